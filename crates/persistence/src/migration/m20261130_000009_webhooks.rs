//! Webhooks: endpoints, the transactional outbox of events, deliveries and their attempts.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::{fk, index};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261130_000009_webhooks"
    }
}

#[derive(DeriveIden)]
enum Organizations {
    Table,
    Id,
}
#[derive(DeriveIden)]
enum PairingLetters {
    Table,
    Status,
    SentAt,
    ExpiryAnnouncedAt,
}
#[derive(DeriveIden)]
enum WebhookEndpoints {
    Table,
    Id,
    OrganizationId,
    Url,
    Description,
    EventTypes,
    SecretEnc,
    Active,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
    RotatedAt,
    Version,
}
#[derive(DeriveIden)]
enum OutboxEvents {
    Table,
    Id,
    EventType,
    OrganizationIds,
    Resource,
    OccurredAt,
    DispatchedAt,
}
#[derive(DeriveIden)]
enum WebhookDeliveries {
    Table,
    Id,
    EndpointId,
    EventId,
    Status,
    Attempts,
    NextAttemptAt,
    FirstAttemptAt,
    LastAttemptAt,
    LastStatusCode,
    LastError,
    DeliveredAt,
    CreatedAt,
    ReplayOf,
}
#[derive(DeriveIden)]
enum WebhookAttempts {
    Table,
    Id,
    DeliveryId,
    Number,
    AttemptedAt,
    StatusCode,
    Error,
    DurationMs,
    ResponseExcerpt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(WebhookEndpoints::Table)
                .col(uuid(WebhookEndpoints::Id).primary_key())
                // None: a platform-level endpoint that hears every event.
                .col(uuid_null(WebhookEndpoints::OrganizationId))
                .col(text(WebhookEndpoints::Url))
                .col(string_len(WebhookEndpoints::Description, 200))
                // JSON array of event types.
                .col(text(WebhookEndpoints::EventTypes))
                // The signing secret, encrypted (it must be read back to sign).
                .col(text(WebhookEndpoints::SecretEnc))
                .col(boolean(WebhookEndpoints::Active).default(true))
                .col(uuid(WebhookEndpoints::CreatedBy))
                .col(timestamp_with_time_zone(WebhookEndpoints::CreatedAt))
                .col(timestamp_with_time_zone(WebhookEndpoints::UpdatedAt))
                .col(timestamp_with_time_zone_null(WebhookEndpoints::RotatedAt))
                .col(integer(WebhookEndpoints::Version).default(1))
                .foreign_key(&mut fk(
                    (WebhookEndpoints::Table, WebhookEndpoints::OrganizationId),
                    (Organizations::Table, Organizations::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "ix_webhook_endpoints_org",
            WebhookEndpoints::Table,
            vec![WebhookEndpoints::OrganizationId],
        ))
        .await?;
        m.create_table(
            Table::create()
                .table(OutboxEvents::Table)
                .col(uuid(OutboxEvents::Id).primary_key())
                .col(string_len(OutboxEvents::EventType, 64))
                // JSON array: the organisations the event concerns (endpoints of these and
                // of every organisation above them hear it).
                .col(text(OutboxEvents::OrganizationIds))
                .col(text(OutboxEvents::Resource))
                .col(timestamp_with_time_zone(OutboxEvents::OccurredAt))
                // Set once the event is fanned out to its endpoints' deliveries.
                .col(timestamp_with_time_zone_null(OutboxEvents::DispatchedAt))
                .to_owned(),
        )
        .await?;
        // The dispatcher's scan: undispatched events, oldest first.
        m.create_index(index(
            "ix_outbox_events_pending",
            OutboxEvents::Table,
            vec![OutboxEvents::DispatchedAt, OutboxEvents::OccurredAt],
        ))
        .await?;
        m.create_table(
            Table::create()
                .table(WebhookDeliveries::Table)
                .col(uuid(WebhookDeliveries::Id).primary_key())
                .col(uuid(WebhookDeliveries::EndpointId))
                .col(uuid(WebhookDeliveries::EventId))
                // pending, delivered, failed (retries exhausted)
                .col(string_len(WebhookDeliveries::Status, 16))
                .col(integer(WebhookDeliveries::Attempts).default(0))
                .col(timestamp_with_time_zone_null(
                    WebhookDeliveries::NextAttemptAt,
                ))
                .col(timestamp_with_time_zone_null(
                    WebhookDeliveries::FirstAttemptAt,
                ))
                .col(timestamp_with_time_zone_null(
                    WebhookDeliveries::LastAttemptAt,
                ))
                .col(integer_null(WebhookDeliveries::LastStatusCode))
                .col(text_null(WebhookDeliveries::LastError))
                .col(timestamp_with_time_zone_null(
                    WebhookDeliveries::DeliveredAt,
                ))
                .col(timestamp_with_time_zone(WebhookDeliveries::CreatedAt))
                .col(uuid_null(WebhookDeliveries::ReplayOf))
                .foreign_key(&mut fk(
                    (WebhookDeliveries::Table, WebhookDeliveries::EndpointId),
                    (WebhookEndpoints::Table, WebhookEndpoints::Id),
                ))
                .foreign_key(&mut fk(
                    (WebhookDeliveries::Table, WebhookDeliveries::EventId),
                    (OutboxEvents::Table, OutboxEvents::Id),
                ))
                .to_owned(),
        )
        .await?;
        // The sender's scan: pending deliveries that are due.
        m.create_index(index(
            "ix_webhook_deliveries_due",
            WebhookDeliveries::Table,
            vec![WebhookDeliveries::Status, WebhookDeliveries::NextAttemptAt],
        ))
        .await?;
        // An endpoint's delivery log, newest first.
        m.create_index(index(
            "ix_webhook_deliveries_endpoint",
            WebhookDeliveries::Table,
            vec![WebhookDeliveries::EndpointId, WebhookDeliveries::Id],
        ))
        .await?;
        m.create_table(
            Table::create()
                .table(WebhookAttempts::Table)
                .col(uuid(WebhookAttempts::Id).primary_key())
                .col(uuid(WebhookAttempts::DeliveryId))
                .col(integer(WebhookAttempts::Number))
                .col(timestamp_with_time_zone(WebhookAttempts::AttemptedAt))
                .col(integer_null(WebhookAttempts::StatusCode))
                .col(text_null(WebhookAttempts::Error))
                .col(integer(WebhookAttempts::DurationMs))
                .col(text_null(WebhookAttempts::ResponseExcerpt))
                .foreign_key(&mut fk(
                    (WebhookAttempts::Table, WebhookAttempts::DeliveryId),
                    (WebhookDeliveries::Table, WebhookDeliveries::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "ix_webhook_attempts_delivery",
            WebhookAttempts::Table,
            vec![WebhookAttempts::DeliveryId, WebhookAttempts::Number],
        ))
        .await?;
        // Expiry is computed from the clock; this marks the letters whose expiry has been
        // announced, so that it is announced once.
        m.alter_table(
            Table::alter()
                .table(PairingLetters::Table)
                .add_column(timestamp_with_time_zone_null(
                    PairingLetters::ExpiryAnnouncedAt,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "ix_pairing_letters_expiry",
            PairingLetters::Table,
            vec![
                PairingLetters::Status,
                PairingLetters::ExpiryAnnouncedAt,
                PairingLetters::SentAt,
            ],
        ))
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(
            Index::drop()
                .name("ix_pairing_letters_expiry")
                .table(PairingLetters::Table)
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(PairingLetters::Table)
                .drop_column(PairingLetters::ExpiryAnnouncedAt)
                .to_owned(),
        )
        .await?;
        for t in [
            WebhookAttempts::Table.into_iden(),
            WebhookDeliveries::Table.into_iden(),
            OutboxEvents::Table.into_iden(),
            WebhookEndpoints::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).if_exists().to_owned())
                .await?;
        }
        Ok(())
    }
}
