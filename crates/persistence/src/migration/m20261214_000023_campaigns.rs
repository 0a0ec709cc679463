//! Collection campaigns (征集), rules 54-56: the campaign, one submission per addressed
//! organisation (made when the campaign opens), the entries, and the campaign an activity
//! was accepted from.
//!
//! Lists that are JSON (the addressed categories and levels, the custom fields, an entry's
//! custom values) are text columns, read and written by the repository only.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::{fk, index};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261214_000023_campaigns"
    }
}

#[derive(DeriveIden)]
enum Organizations {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Activities {
    Table,
    CampaignId,
}

#[derive(DeriveIden)]
enum Campaigns {
    Table,
    Id,
    OwnerId,
    Title,
    Purpose,
    Year,
    AddressedCategories,
    AddressedLevels,
    MinEntries,
    CustomFields,
    Deadline,
    Status,
    OpenedAt,
    ClosedAt,
    RemindedAt,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
    Version,
}

#[derive(DeriveIden)]
enum CampaignSubmissions {
    Table,
    Id,
    CampaignId,
    OrganizationId,
    Entries,
    FirstEntryAt,
    CompletedOn,
    CompletedAt,
    Late,
    ReopenedUntil,
    UpdatedAt,
    Version,
}

#[derive(DeriveIden)]
enum CampaignEntries {
    Table,
    Id,
    CampaignId,
    OrganizationId,
    Title,
    Topic,
    Lead,
    PlannedMonth,
    Place,
    ExpectedAudience,
    Custom,
    Status,
    ActivityId,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
    Version,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use Campaigns as C;
        m.create_table(
            Table::create()
                .table(C::Table)
                .col(uuid(C::Id).primary_key())
                .col(uuid(C::OwnerId))
                .col(string_len(C::Title, 100))
                .col(text(C::Purpose))
                .col(integer(C::Year))
                .col(text(C::AddressedCategories))
                .col(text(C::AddressedLevels))
                .col(integer(C::MinEntries))
                .col(text(C::CustomFields))
                .col(date(C::Deadline))
                .col(string_len(C::Status, 16))
                .col(timestamp_with_time_zone_null(C::OpenedAt))
                .col(timestamp_with_time_zone_null(C::ClosedAt))
                .col(timestamp_with_time_zone_null(C::RemindedAt))
                .col(uuid(C::CreatedBy))
                .col(timestamp_with_time_zone(C::CreatedAt))
                .col(timestamp_with_time_zone(C::UpdatedAt))
                .col(integer(C::Version).default(1))
                .foreign_key(&mut fk(
                    (C::Table, C::OwnerId),
                    (Organizations::Table, Organizations::Id),
                ))
                .to_owned(),
        )
        .await?;
        // An owner's campaigns, newest first.
        m.create_index(index(
            "ix_campaigns_owner",
            C::Table,
            vec![C::OwnerId, C::Id],
        ))
        .await?;

        use CampaignSubmissions as S;
        m.create_table(
            Table::create()
                .table(S::Table)
                .col(uuid(S::Id).primary_key())
                .col(uuid(S::CampaignId))
                .col(uuid(S::OrganizationId))
                .col(integer(S::Entries).default(0))
                .col(timestamp_with_time_zone_null(S::FirstEntryAt))
                .col(date_null(S::CompletedOn))
                .col(timestamp_with_time_zone_null(S::CompletedAt))
                .col(boolean(S::Late).default(false))
                .col(date_null(S::ReopenedUntil))
                .col(timestamp_with_time_zone(S::UpdatedAt))
                .col(integer(S::Version).default(1))
                .foreign_key(&mut fk((S::Table, S::CampaignId), (C::Table, C::Id)))
                .foreign_key(&mut fk(
                    (S::Table, S::OrganizationId),
                    (Organizations::Table, Organizations::Id),
                ))
                .to_owned(),
        )
        .await?;
        // One submission per organisation and campaign; the progress table reads by campaign.
        m.create_index(
            index(
                "ux_campaign_submissions",
                S::Table,
                vec![S::CampaignId, S::OrganizationId],
            )
            .unique()
            .to_owned(),
        )
        .await?;
        // The campaigns addressed to an organisation.
        m.create_index(index(
            "ix_campaign_submissions_organization",
            S::Table,
            vec![S::OrganizationId, S::CampaignId],
        ))
        .await?;

        use CampaignEntries as E;
        m.create_table(
            Table::create()
                .table(E::Table)
                .col(uuid(E::Id).primary_key())
                .col(uuid(E::CampaignId))
                .col(uuid(E::OrganizationId))
                .col(string_len(E::Title, 100))
                .col(string_len(E::Topic, 32))
                .col(string_len(E::Lead, 50))
                .col(integer(E::PlannedMonth))
                .col(string_len(E::Place, 200))
                .col(integer(E::ExpectedAudience))
                .col(text(E::Custom))
                .col(string_len(E::Status, 16))
                .col(uuid_null(E::ActivityId))
                .col(uuid(E::CreatedBy))
                .col(timestamp_with_time_zone(E::CreatedAt))
                .col(timestamp_with_time_zone(E::UpdatedAt))
                .col(integer(E::Version).default(1))
                .foreign_key(&mut fk((E::Table, E::CampaignId), (C::Table, C::Id)))
                .foreign_key(&mut fk(
                    (E::Table, E::OrganizationId),
                    (Organizations::Table, Organizations::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "ix_campaign_entries_campaign",
            E::Table,
            vec![E::CampaignId, E::OrganizationId, E::Id],
        ))
        .await?;

        m.alter_table(
            Table::alter()
                .table(Activities::Table)
                .add_column(uuid_null(Activities::CampaignId))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Activities::Table)
                .drop_column(Activities::CampaignId)
                .to_owned(),
        )
        .await?;
        for t in ["campaign_entries", "campaign_submissions", "campaigns"] {
            m.drop_table(Table::drop().table(Alias::new(t)).to_owned())
                .await?;
        }
        Ok(())
    }
}
