//! Schema migrations: one set for SQLite and PostgreSQL.

use sea_orm_migration::prelude::*;

mod m20261123_000001_foundation;
mod m20261123_000002_regions;
mod m20261124_000003_activities;
mod m20261125_000004_pairing;
mod m20261126_000005_applications;
mod m20261127_000006_reports;
mod m20261128_000007_idempotency;
mod m20261129_000008_api_clients;
mod m20261130_000009_webhooks;
mod m20261201_000010_rollup_indexes;
mod m20261202_000011_activity_region_order;
mod m20261203_000012_records_by_activity;
mod m20261204_000013_month_figures;
mod m20261205_000014_sign_up_times;
mod m20261206_000015_volunteer_totals;
mod m20261207_000016_sealed_replays;
mod m20261208_000017_needs;
mod m20261209_000018_report_needs;
mod m20261210_000019_need_expiry;
mod m20261211_000020_hub_centres;
mod m20261212_000021_need_service_point;
mod m20261213_000022_priority_counties;
mod m20261214_000023_campaigns;
mod m20261215_000024_report_visitors;
mod m20261216_000025_notifications;

/// A foreign key that deletes with its parent row.
fn fk(
    from: (impl IntoIden + 'static, impl IntoIden + 'static),
    to: (impl IntoIden + 'static, impl IntoIden + 'static),
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(from.0, from.1)
        .to(to.0, to.1)
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

/// A named index over columns in order.
fn index(
    name: &str,
    table: impl IntoIden + 'static,
    cols: Vec<impl IntoIden + 'static>,
) -> IndexCreateStatement {
    let mut i = Index::create();
    i.name(name).table(table);
    for c in cols {
        i.col(c);
    }
    i.to_owned()
}

/// Adds a named sequence to `counters` (certificate numbers, pairing proofs…).
async fn add_counter(m: &SchemaManager<'_>, name: &str) -> Result<(), DbErr> {
    m.exec_stmt(
        Query::insert()
            .into_table(Alias::new("counters"))
            .columns([Alias::new("name"), Alias::new("value")])
            .values_panic([name.into(), 0i64.into()])
            .to_owned(),
    )
    .await
}

async fn remove_counter(m: &SchemaManager<'_>, name: &str) -> Result<(), DbErr> {
    m.exec_stmt(
        Query::delete()
            .from_table(Alias::new("counters"))
            .and_where(Expr::col(Alias::new("name")).eq(name))
            .to_owned(),
    )
    .await
}

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261123_000001_foundation::Migration),
            Box::new(m20261123_000002_regions::Migration),
            Box::new(m20261124_000003_activities::Migration),
            Box::new(m20261125_000004_pairing::Migration),
            Box::new(m20261126_000005_applications::Migration),
            Box::new(m20261127_000006_reports::Migration),
            Box::new(m20261128_000007_idempotency::Migration),
            Box::new(m20261129_000008_api_clients::Migration),
            Box::new(m20261130_000009_webhooks::Migration),
            Box::new(m20261201_000010_rollup_indexes::Migration),
            Box::new(m20261202_000011_activity_region_order::Migration),
            Box::new(m20261203_000012_records_by_activity::Migration),
            Box::new(m20261204_000013_month_figures::Migration),
            Box::new(m20261205_000014_sign_up_times::Migration),
            Box::new(m20261206_000015_volunteer_totals::Migration),
            Box::new(m20261207_000016_sealed_replays::Migration),
            Box::new(m20261208_000017_needs::Migration),
            Box::new(m20261209_000018_report_needs::Migration),
            Box::new(m20261210_000019_need_expiry::Migration),
            Box::new(m20261211_000020_hub_centres::Migration),
            Box::new(m20261212_000021_need_service_point::Migration),
            Box::new(m20261213_000022_priority_counties::Migration),
            Box::new(m20261214_000023_campaigns::Migration),
            Box::new(m20261215_000024_report_visitors::Migration),
            Box::new(m20261216_000025_notifications::Migration),
        ]
    }
}
