//! Covering indexes for the live roll-up at national scale.
//!
//! Each roll-up figure is a scan of one month (or a range) of one table, grouped by
//! organisation. With the period's column first and the grouped and summed columns after
//! it, PostgreSQL answers from the index alone (an index-only scan) instead of visiting
//! a heap page per row: nationally about 25,000 activities, 240,000 service records,
//! 240,000 approved memberships and 100,000 reports a month.

use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261201_000010_rollup_indexes"
    }
}

/// (name, table, columns)
const INDEXES: &[(&str, &str, &[&str])] = &[
    (
        "ix_activities_month_org",
        "activities",
        &["starts_at", "status", "organization_id"],
    ),
    (
        "ix_service_records_date_org",
        "service_records",
        &["service_date", "organization_id", "hours_tenths"],
    ),
    (
        "ix_memberships_decided_org",
        "memberships",
        &["decided_at", "status", "organization_id"],
    ),
    (
        "ix_monthly_reports_month_org",
        "monthly_reports",
        &[
            "month",
            "status",
            "organization_id",
            "late",
            "people_served",
            "pairing_activities",
        ],
    ),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for (name, table, cols) in INDEXES {
            let mut i = Index::create();
            i.name(*name).table(Alias::new(*table)).if_not_exists();
            for c in *cols {
                i.col(Alias::new(*c));
            }
            m.create_index(i.to_owned()).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for (name, table, _) in INDEXES {
            m.drop_index(
                Index::drop()
                    .name(*name)
                    .table(Alias::new(*table))
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }
}
