//! Per-organisation monthly figures (`organization_month_figures`), filled from the records.
//!
//! The roll-up read a month of activities, service records and memberships, grouped by
//! organisation, on every call (0.7 s of PostgreSQL CPU for the nation). The service now
//! keeps each organisation's figures for each month in this table, in the transactions that
//! change them; the roll-up reads one row per organisation and month from
//! `ix_month_figures_month` (month, organisation, then every summed column: index-only),
//! looking up a subtree's organisations one by one and reading a month's range for a
//! region or the nation. The primary key keeps one row per organisation and month.
//!
//! Existing databases get the table filled from their records here, once.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::fk;
use crate::repo::figures;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261204_000013_month_figures"
    }
}

#[derive(DeriveIden)]
enum OrganizationMonthFigures {
    Table,
    OrganizationId,
    Month,
    ActivitiesHeld,
    Attendances,
    HoursTenths,
    NewVolunteers,
}

#[derive(DeriveIden)]
enum Organizations {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use OrganizationMonthFigures as F;
        m.create_table(
            Table::create()
                .table(F::Table)
                .col(uuid(F::OrganizationId))
                .col(string_len(F::Month, 7))
                .col(big_integer(F::ActivitiesHeld).default(0))
                .col(big_integer(F::Attendances).default(0))
                .col(big_integer(F::HoursTenths).default(0))
                .col(big_integer(F::NewVolunteers).default(0))
                .primary_key(Index::create().col(F::OrganizationId).col(F::Month))
                .foreign_key(&mut fk(
                    (F::Table, F::OrganizationId),
                    (Organizations::Table, Organizations::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_month_figures_month")
                .table(F::Table)
                .col(F::Month)
                .col(F::OrganizationId)
                .col(F::ActivitiesHeld)
                .col(F::Attendances)
                .col(F::HoursTenths)
                .col(F::NewVolunteers)
                .to_owned(),
        )
        .await?;
        figures::rebuild(m.get_connection())
            .await
            .map_err(|e| DbErr::Migration(format!("filling {}: {e}", figures::TABLE)))?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(
            Table::drop()
                .table(OrganizationMonthFigures::Table)
                .to_owned(),
        )
        .await
    }
}
