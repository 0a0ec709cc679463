//! Science hub centres (科普服务汇中心), rules 57-62: service points, micro-exhibitions and
//! their stays, and the service point an activity is held at.
//!
//! A stay keeps its year (China time, from its first day) so a service point's figures of a
//! year group by a plain column on both databases.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::{fk, index};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261211_000020_hub_centres"
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
    ServicePointId,
    StartsAt,
}

#[derive(DeriveIden)]
enum ServicePoints {
    Table,
    Id,
    OrganizationId,
    Name,
    Kind,
    RegionCode,
    Address,
    OpeningHours,
    Capacity,
    ExhibitionSlots,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
    Version,
}

#[derive(DeriveIden)]
enum Exhibitions {
    Table,
    Id,
    OwnerId,
    Title,
    Theme,
    Category,
    Panels,
    Description,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
    Version,
}

#[derive(DeriveIden)]
enum ExhibitionStays {
    Table,
    Id,
    ExhibitionId,
    ServicePointId,
    StartsOn,
    EndsOn,
    Year,
    Status,
    Visitors,
    GuidedTours,
    Lectures,
    VisitsRecordedAt,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
    Version,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use ServicePoints as P;
        m.create_table(
            Table::create()
                .table(P::Table)
                .col(uuid(P::Id).primary_key())
                .col(uuid(P::OrganizationId))
                .col(string_len(P::Name, 100))
                .col(string_len(P::Kind, 32))
                .col(string_len(P::RegionCode, 6))
                .col(string_len(P::Address, 200))
                .col(string_len(P::OpeningHours, 200))
                .col(integer(P::Capacity))
                .col(integer(P::ExhibitionSlots))
                .col(uuid(P::CreatedBy))
                .col(timestamp_with_time_zone(P::CreatedAt))
                .col(timestamp_with_time_zone(P::UpdatedAt))
                .col(integer(P::Version).default(1))
                .foreign_key(&mut fk(
                    (P::Table, P::OrganizationId),
                    (Organizations::Table, Organizations::Id),
                ))
                .to_owned(),
        )
        .await?;
        // The list by region (a prefix of the code), by organisation.
        m.create_index(index(
            "ix_service_points_region",
            P::Table,
            vec![P::RegionCode, P::Id],
        ))
        .await?;
        m.create_index(index(
            "ix_service_points_organization",
            P::Table,
            vec![P::OrganizationId, P::Id],
        ))
        .await?;

        use Exhibitions as E;
        m.create_table(
            Table::create()
                .table(E::Table)
                .col(uuid(E::Id).primary_key())
                .col(uuid(E::OwnerId))
                .col(string_len(E::Title, 100))
                .col(string_len(E::Theme, 50))
                .col(string_len(E::Category, 32))
                .col(integer(E::Panels))
                .col(text(E::Description))
                .col(uuid(E::CreatedBy))
                .col(timestamp_with_time_zone(E::CreatedAt))
                .col(timestamp_with_time_zone(E::UpdatedAt))
                .col(integer(E::Version).default(1))
                .foreign_key(&mut fk(
                    (E::Table, E::OwnerId),
                    (Organizations::Table, Organizations::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "ix_exhibitions_owner",
            E::Table,
            vec![E::OwnerId, E::Id],
        ))
        .await?;

        use ExhibitionStays as S;
        m.create_table(
            Table::create()
                .table(S::Table)
                .col(uuid(S::Id).primary_key())
                .col(uuid(S::ExhibitionId))
                .col(uuid(S::ServicePointId))
                .col(date(S::StartsOn))
                .col(date(S::EndsOn))
                .col(integer(S::Year))
                .col(string_len(S::Status, 16))
                .col(integer(S::Visitors).default(0))
                .col(integer(S::GuidedTours).default(0))
                .col(integer(S::Lectures).default(0))
                .col(timestamp_with_time_zone_null(S::VisitsRecordedAt))
                .col(uuid(S::CreatedBy))
                .col(timestamp_with_time_zone(S::CreatedAt))
                .col(timestamp_with_time_zone(S::UpdatedAt))
                .col(integer(S::Version).default(1))
                .foreign_key(&mut fk((S::Table, S::ExhibitionId), (E::Table, E::Id)))
                .foreign_key(&mut fk((S::Table, S::ServicePointId), (P::Table, P::Id)))
                .to_owned(),
        )
        .await?;
        // An exhibition's stays and a point's stays, by date (the overlap checks, the
        // calendar and the figures).
        for (name, cols) in [
            (
                "ix_exhibition_stays_exhibition",
                vec![S::ExhibitionId, S::StartsOn],
            ),
            (
                "ix_exhibition_stays_point",
                vec![S::ServicePointId, S::StartsOn],
            ),
            ("ix_exhibition_stays_year", vec![S::ServicePointId, S::Year]),
        ] {
            m.create_index(index(name, S::Table, cols)).await?;
        }

        m.alter_table(
            Table::alter()
                .table(Activities::Table)
                .add_column(uuid_null(Activities::ServicePointId))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "ix_activities_service_point",
            Activities::Table,
            vec![Activities::ServicePointId, Activities::StartsAt],
        ))
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(
            Index::drop()
                .name("ix_activities_service_point")
                .table(Activities::Table)
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Activities::Table)
                .drop_column(Activities::ServicePointId)
                .to_owned(),
        )
        .await?;
        for t in [
            ExhibitionStays::Table.into_iden(),
            Exhibitions::Table.into_iden(),
            ServicePoints::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).if_exists().to_owned())
                .await?;
        }
        Ok(())
    }
}
