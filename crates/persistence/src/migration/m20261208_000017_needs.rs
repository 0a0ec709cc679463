//! Needs (科普需求) and their history, rules 46-53.
//!
//! The month a need was published and served (China time, `YYYY-MM`) and the whole days
//! from publishing to scheduling are written when those steps happen, so the figures group
//! by plain columns on both databases instead of by each one's date functions.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::{fk, index};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261208_000017_needs"
    }
}

#[derive(DeriveIden)]
enum Organizations {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum ServiceNeeds {
    Table,
    Id,
    RequesterId,
    CountyId,
    Title,
    Description,
    Category,
    SkillFields,
    SkillTags,
    Audience,
    AudienceSize,
    Place,
    RegionCode,
    WindowFrom,
    WindowTo,
    PriorityArea,
    Priority,
    ContactName,
    ContactPhoneEnc,
    ContactPhoneMasked,
    Status,
    HolderId,
    ActivityId,
    PairingId,
    PublishedAt,
    PublishedMonth,
    ScheduledAt,
    DaysToSchedule,
    ServedAt,
    ServedMonth,
    RatedAt,
    Stars,
    PeopleReached,
    RatingComment,
    CancelReason,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
    Version,
}

#[derive(DeriveIden)]
enum NeedEvents {
    Table,
    Id,
    NeedId,
    Action,
    ActorId,
    ActorName,
    TeamId,
    At,
    Note,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use ServiceNeeds as N;
        m.create_table(
            Table::create()
                .table(N::Table)
                .col(uuid(N::Id).primary_key())
                .col(uuid(N::RequesterId))
                .col(uuid_null(N::CountyId))
                .col(string_len(N::Title, 100))
                .col(text(N::Description))
                .col(string_len(N::Category, 32))
                // JSON arrays: the skill fields' values and the free tags.
                .col(text(N::SkillFields))
                .col(text(N::SkillTags))
                .col(string_len(N::Audience, 32))
                .col(integer(N::AudienceSize))
                .col(string_len(N::Place, 200))
                .col(string_len(N::RegionCode, 6))
                .col(date(N::WindowFrom))
                .col(date(N::WindowTo))
                .col(string_len_null(N::PriorityArea, 32))
                // 1 for a priority county: lists put these first.
                .col(small_integer(N::Priority).default(0))
                .col(string_len(N::ContactName, 50))
                .col(string_len(N::ContactPhoneEnc, 200))
                .col(string_len(N::ContactPhoneMasked, 20))
                .col(string_len(N::Status, 16))
                .col(uuid_null(N::HolderId))
                .col(uuid_null(N::ActivityId).unique_key())
                .col(uuid_null(N::PairingId))
                .col(timestamp_with_time_zone_null(N::PublishedAt))
                .col(string_len_null(N::PublishedMonth, 7))
                .col(timestamp_with_time_zone_null(N::ScheduledAt))
                .col(integer_null(N::DaysToSchedule))
                .col(timestamp_with_time_zone_null(N::ServedAt))
                .col(string_len_null(N::ServedMonth, 7))
                .col(timestamp_with_time_zone_null(N::RatedAt))
                .col(integer_null(N::Stars))
                .col(integer_null(N::PeopleReached))
                .col(string_len_null(N::RatingComment, 1000))
                .col(string_len_null(N::CancelReason, 1000))
                .col(uuid(N::CreatedBy))
                .col(timestamp_with_time_zone(N::CreatedAt))
                .col(timestamp_with_time_zone(N::UpdatedAt))
                .col(integer(N::Version).default(1))
                .foreign_key(&mut fk(
                    (N::Table, N::RequesterId),
                    (Organizations::Table, Organizations::Id),
                ))
                .to_owned(),
        )
        .await?;
        // The board (open needs of a region), a requester's and a team's lists, the
        // figures by region and month.
        for (name, cols) in [
            (
                "ix_service_needs_status_region",
                vec![N::Status, N::RegionCode, N::Priority, N::Id],
            ),
            (
                "ix_service_needs_requester",
                vec![N::RequesterId, N::Priority, N::Id],
            ),
            ("ix_service_needs_holder", vec![N::HolderId, N::Status]),
            (
                "ix_service_needs_region_month",
                vec![N::RegionCode, N::PublishedMonth],
            ),
        ] {
            m.create_index(index(name, N::Table, cols)).await?;
        }

        use NeedEvents as E;
        m.create_table(
            Table::create()
                .table(E::Table)
                .col(uuid(E::Id).primary_key())
                .col(uuid(E::NeedId))
                .col(string_len(E::Action, 24))
                .col(uuid(E::ActorId))
                .col(string_len(E::ActorName, 100))
                .col(uuid_null(E::TeamId))
                .col(timestamp_with_time_zone(E::At))
                .col(string_len_null(E::Note, 1000))
                .foreign_key(&mut fk((E::Table, E::NeedId), (N::Table, N::Id)))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "ix_need_events_need",
            E::Table,
            vec![E::NeedId, E::At],
        ))
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            NeedEvents::Table.into_iden(),
            ServiceNeeds::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).if_exists().to_owned())
                .await?;
        }
        Ok(())
    }
}
