//! Service records by activity.
//!
//! Confirming an activity's hours reads its records (`records_of_activity`); without an
//! index on `activity_id` that read scanned every record (2.6 million in the national data
//! set, 275 ms), and corrections queued behind it.

use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261203_000012_records_by_activity"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_index(
            Index::create()
                .name("ix_service_records_activity")
                .table(Alias::new("service_records"))
                .col(Alias::new("activity_id"))
                .if_not_exists()
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(
            Index::drop()
                .name("ix_service_records_activity")
                .table(Alias::new("service_records"))
                .to_owned(),
        )
        .await
    }
}
