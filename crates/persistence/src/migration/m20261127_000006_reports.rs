//! Monthly reports and their photos; the organisation tree as a closure table so that a
//! subtree's figures are one grouped query, never a walk (rules 39-43).

use sea_orm::{EntityTrait, QuerySelect};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::{fk, index};
use crate::entities::{organization, organization_closure};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261127_000006_reports"
    }
}

#[derive(DeriveIden)]
enum Organizations {
    Table,
    Id,
}
#[derive(DeriveIden)]
enum Memberships {
    Table,
    OrganizationId,
    Status,
    DecidedAt,
}
#[derive(DeriveIden)]
enum OrganizationClosure {
    Table,
    AncestorId,
    DescendantId,
    Depth,
}
#[derive(DeriveIden)]
enum MonthlyReports {
    Table,
    Id,
    OrganizationId,
    Month,
    ActivitiesHeld,
    Attendances,
    HoursTenths,
    NewVolunteers,
    PairingActivities,
    PeopleServed,
    Narrative,
    Highlights,
    Problems,
    NextPlan,
    Status,
    SubmittedAt,
    Late,
    ReturnReason,
    ReturnedAt,
    AcceptedAt,
    DecidedBy,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
    Version,
}
#[derive(DeriveIden)]
enum ReportPhotos {
    Table,
    Id,
    ReportId,
    Sha256,
    Size,
    MediaType,
    FileName,
    UploadedBy,
    UploadedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(OrganizationClosure::Table)
                .col(uuid(OrganizationClosure::AncestorId))
                .col(uuid(OrganizationClosure::DescendantId))
                .col(integer(OrganizationClosure::Depth))
                .primary_key(
                    Index::create()
                        .col(OrganizationClosure::AncestorId)
                        .col(OrganizationClosure::DescendantId),
                )
                .foreign_key(&mut fk(
                    (OrganizationClosure::Table, OrganizationClosure::AncestorId),
                    (Organizations::Table, Organizations::Id),
                ))
                .foreign_key(&mut fk(
                    (
                        OrganizationClosure::Table,
                        OrganizationClosure::DescendantId,
                    ),
                    (Organizations::Table, Organizations::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "ix_organization_closure_descendant",
            OrganizationClosure::Table,
            vec![
                OrganizationClosure::DescendantId,
                OrganizationClosure::AncestorId,
            ],
        ))
        .await?;
        // Every existing organisation with each of its ancestors (and itself at depth 0).
        let db = m.get_connection();
        let rows: Vec<(uuid::Uuid, Option<uuid::Uuid>)> = organization::Entity::find()
            .select_only()
            .column(organization::Column::Id)
            .column(organization::Column::ParentId)
            .into_tuple()
            .all(db)
            .await?;
        let parent: std::collections::HashMap<_, _> = rows.iter().cloned().collect();
        let mut batch = vec![];
        for (id, _) in &rows {
            let mut depth = 0;
            let mut cur = Some(*id);
            while let Some(a) = cur {
                batch.push(organization_closure::ActiveModel {
                    ancestor_id: sea_orm::Set(a),
                    descendant_id: sea_orm::Set(*id),
                    depth: sea_orm::Set(depth),
                });
                depth += 1;
                cur = parent.get(&a).copied().flatten();
                if depth > 32 {
                    break;
                }
            }
            if batch.len() >= 500 {
                organization_closure::Entity::insert_many(std::mem::take(&mut batch))
                    .exec(db)
                    .await?;
            }
        }
        if !batch.is_empty() {
            organization_closure::Entity::insert_many(batch)
                .exec(db)
                .await?;
        }

        m.create_table(
            Table::create()
                .table(MonthlyReports::Table)
                .col(uuid(MonthlyReports::Id).primary_key())
                .col(uuid(MonthlyReports::OrganizationId))
                .col(string_len(MonthlyReports::Month, 7))
                .col(integer(MonthlyReports::ActivitiesHeld))
                .col(integer(MonthlyReports::Attendances))
                .col(big_integer(MonthlyReports::HoursTenths))
                .col(integer(MonthlyReports::NewVolunteers))
                .col(integer(MonthlyReports::PairingActivities))
                .col(integer_null(MonthlyReports::PeopleServed))
                .col(text(MonthlyReports::Narrative))
                .col(text(MonthlyReports::Highlights))
                .col(text(MonthlyReports::Problems))
                .col(text(MonthlyReports::NextPlan))
                .col(string_len(MonthlyReports::Status, 16))
                .col(timestamp_with_time_zone_null(MonthlyReports::SubmittedAt))
                .col(boolean_null(MonthlyReports::Late))
                .col(string_len_null(MonthlyReports::ReturnReason, 2000))
                .col(timestamp_with_time_zone_null(MonthlyReports::ReturnedAt))
                .col(timestamp_with_time_zone_null(MonthlyReports::AcceptedAt))
                .col(uuid_null(MonthlyReports::DecidedBy))
                .col(uuid(MonthlyReports::CreatedBy))
                .col(timestamp_with_time_zone(MonthlyReports::CreatedAt))
                .col(timestamp_with_time_zone(MonthlyReports::UpdatedAt))
                .col(integer(MonthlyReports::Version).default(1))
                .foreign_key(&mut fk(
                    (MonthlyReports::Table, MonthlyReports::OrganizationId),
                    (Organizations::Table, Organizations::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            index(
                "ux_monthly_reports_org_month",
                MonthlyReports::Table,
                vec![MonthlyReports::OrganizationId, MonthlyReports::Month],
            )
            .unique()
            .to_owned(),
        )
        .await?;
        // The roll-up reads a month's reports across organisations.
        m.create_index(index(
            "ix_monthly_reports_month",
            MonthlyReports::Table,
            vec![
                MonthlyReports::Month,
                MonthlyReports::Status,
                MonthlyReports::OrganizationId,
            ],
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(ReportPhotos::Table)
                .col(uuid(ReportPhotos::Id).primary_key())
                .col(uuid(ReportPhotos::ReportId))
                .col(string_len(ReportPhotos::Sha256, 64))
                .col(big_integer(ReportPhotos::Size))
                .col(string_len(ReportPhotos::MediaType, 40))
                .col(string_len(ReportPhotos::FileName, 255))
                .col(uuid(ReportPhotos::UploadedBy))
                .col(timestamp_with_time_zone(ReportPhotos::UploadedAt))
                .foreign_key(&mut fk(
                    (ReportPhotos::Table, ReportPhotos::ReportId),
                    (MonthlyReports::Table, MonthlyReports::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "ix_report_photos_report",
            ReportPhotos::Table,
            vec![ReportPhotos::ReportId],
        ))
        .await?;
        // New volunteers of a month: memberships approved in it, per organisation.
        m.create_index(index(
            "ix_memberships_org_decided",
            Memberships::Table,
            vec![
                Memberships::OrganizationId,
                Memberships::Status,
                Memberships::DecidedAt,
            ],
        ))
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(
            Index::drop()
                .name("ix_memberships_org_decided")
                .table(Memberships::Table)
                .to_owned(),
        )
        .await?;
        for t in [
            ReportPhotos::Table.into_iden(),
            MonthlyReports::Table.into_iden(),
            OrganizationClosure::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).if_exists().to_owned())
                .await?;
        }
        Ok(())
    }
}
