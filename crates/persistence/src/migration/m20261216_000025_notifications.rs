//! Notifications and reminders (通知与提醒), rules 63-68: each person's preferences and
//! contact details, the notifications (the inbox), one delivery per channel with its retries,
//! the claims that make a reminder due at a time go out once, the single-use attendance
//! links, and the outbox's second reader (`notified_at`, beside the webhooks' `dispatched_at`).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::{fk, index};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261216_000025_notifications"
    }
}

#[derive(DeriveIden)]
enum Accounts {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum SignUps {
    Table,
    Id,
    Status,
    StartsAt,
    AttendanceConfirmedAt,
}

#[derive(DeriveIden)]
enum OutboxEvents {
    Table,
    NotifiedAt,
    OccurredAt,
}

#[derive(DeriveIden)]
enum NotificationPreferences {
    Table,
    AccountId,
    Preferences,
    EmailEnc,
    EmailMasked,
    PhoneEnc,
    PhoneMasked,
    UpdatedAt,
    Version,
}

#[derive(DeriveIden)]
enum Notifications {
    Table,
    Id,
    AccountId,
    Kind,
    Family,
    Params,
    Href,
    SubjectId,
    EventId,
    Shown,
    CreatedAt,
    ReadAt,
}

#[derive(DeriveIden)]
enum NotificationDeliveries {
    Table,
    Id,
    NotificationId,
    AccountId,
    Channel,
    Status,
    Attempts,
    NextAttemptAt,
    FirstAttemptAt,
    LastError,
    SentAt,
    Digest,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ScheduledNotices {
    Table,
    Kind,
    SubjectId,
    Period,
    CreatedAt,
}

#[derive(DeriveIden)]
enum AttendanceLinks {
    Table,
    Id,
    SignUpId,
    Purpose,
    ExpiresAt,
    UsedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(OutboxEvents::Table)
                .add_column(timestamp_with_time_zone_null(OutboxEvents::NotifiedAt))
                .to_owned(),
        )
        .await?;
        // The events not yet turned into notifications, oldest first. Events written before
        // notifications existed are marked as read so that no one is told of the past.
        m.get_connection()
            .execute_unprepared("UPDATE outbox_events SET notified_at = occurred_at")
            .await?;
        m.create_index(index(
            "ix_outbox_events_unnotified",
            OutboxEvents::Table,
            vec![OutboxEvents::NotifiedAt, OutboxEvents::OccurredAt],
        ))
        .await?;
        m.alter_table(
            Table::alter()
                .table(SignUps::Table)
                .add_column(timestamp_with_time_zone_null(
                    SignUps::AttendanceConfirmedAt,
                ))
                .to_owned(),
        )
        .await?;

        // The reminders' look-ahead: live sign-ups by their activity's start.
        m.create_index(index(
            "ix_sign_ups_status_start",
            SignUps::Table,
            vec![SignUps::Status, SignUps::StartsAt],
        ))
        .await?;

        use NotificationPreferences as P;
        m.create_table(
            Table::create()
                .table(P::Table)
                .col(uuid(P::AccountId).primary_key())
                .col(text(P::Preferences))
                .col(text_null(P::EmailEnc))
                .col(string_len_null(P::EmailMasked, 100))
                .col(text_null(P::PhoneEnc))
                .col(string_len_null(P::PhoneMasked, 20))
                .col(timestamp_with_time_zone(P::UpdatedAt))
                .col(integer(P::Version).default(1))
                .foreign_key(&mut fk(
                    (P::Table, P::AccountId),
                    (Accounts::Table, Accounts::Id),
                ))
                .to_owned(),
        )
        .await?;

        use Notifications as N;
        m.create_table(
            Table::create()
                .table(N::Table)
                .col(uuid(N::Id).primary_key())
                .col(uuid(N::AccountId))
                .col(string_len(N::Kind, 40))
                .col(string_len(N::Family, 16))
                .col(text(N::Params))
                .col(string_len(N::Href, 200))
                .col(uuid_null(N::SubjectId))
                .col(uuid_null(N::EventId))
                .col(boolean(N::Shown))
                .col(timestamp_with_time_zone(N::CreatedAt))
                .col(timestamp_with_time_zone_null(N::ReadAt))
                .foreign_key(&mut fk(
                    (N::Table, N::AccountId),
                    (Accounts::Table, Accounts::Id),
                ))
                .to_owned(),
        )
        .await?;
        // A person's inbox, newest first; its unread count reads the same index.
        m.create_index(index(
            "ix_notifications_account",
            N::Table,
            vec![N::AccountId, N::Shown, N::ReadAt, N::Id],
        ))
        .await?;

        use NotificationDeliveries as D;
        m.create_table(
            Table::create()
                .table(D::Table)
                .col(uuid(D::Id).primary_key())
                .col(uuid(D::NotificationId))
                .col(uuid(D::AccountId))
                .col(string_len(D::Channel, 8))
                .col(string_len(D::Status, 12))
                .col(integer(D::Attempts).default(0))
                .col(timestamp_with_time_zone(D::NextAttemptAt))
                .col(timestamp_with_time_zone_null(D::FirstAttemptAt))
                .col(text_null(D::LastError))
                .col(timestamp_with_time_zone_null(D::SentAt))
                .col(boolean(D::Digest).default(false))
                .col(timestamp_with_time_zone(D::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(D::Table, D::NotificationId)
                        .to(N::Table, N::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        // The sender's claim: pending deliveries by the time they are due.
        m.create_index(index(
            "ix_notification_deliveries_due",
            D::Table,
            vec![D::Status, D::NextAttemptAt],
        ))
        .await?;
        m.create_index(index(
            "ix_notification_deliveries_notification",
            D::Table,
            vec![D::NotificationId],
        ))
        .await?;

        use ScheduledNotices as S;
        // A reminder due at a time is claimed by inserting its key: the key is unique, so
        // however many replicas look, and after however many restarts, it goes out once.
        m.create_table(
            Table::create()
                .table(S::Table)
                .col(string_len(S::Kind, 40))
                .col(uuid(S::SubjectId))
                .col(string_len(S::Period, 16))
                .col(timestamp_with_time_zone(S::CreatedAt))
                .primary_key(
                    Index::create()
                        .col(S::Kind)
                        .col(S::SubjectId)
                        .col(S::Period),
                )
                .to_owned(),
        )
        .await?;

        use AttendanceLinks as L;
        m.create_table(
            Table::create()
                .table(L::Table)
                .col(uuid(L::Id).primary_key())
                .col(uuid(L::SignUpId))
                .col(string_len(L::Purpose, 16))
                .col(timestamp_with_time_zone(L::ExpiresAt))
                .col(timestamp_with_time_zone_null(L::UsedAt))
                .foreign_key(&mut fk(
                    (L::Table, L::SignUpId),
                    (SignUps::Table, SignUps::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "ix_attendance_links_sign_up",
            L::Table,
            vec![L::SignUpId],
        ))
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            AttendanceLinks::Table.into_iden(),
            ScheduledNotices::Table.into_iden(),
            NotificationDeliveries::Table.into_iden(),
            Notifications::Table.into_iden(),
            NotificationPreferences::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        m.drop_index(
            Index::drop()
                .name("ix_sign_ups_status_start")
                .table(SignUps::Table)
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(SignUps::Table)
                .drop_column(SignUps::AttendanceConfirmedAt)
                .to_owned(),
        )
        .await?;
        m.drop_index(
            Index::drop()
                .name("ix_outbox_events_unnotified")
                .table(OutboxEvents::Table)
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(OutboxEvents::Table)
                .drop_column(OutboxEvents::NotifiedAt)
                .to_owned(),
        )
        .await
    }
}
