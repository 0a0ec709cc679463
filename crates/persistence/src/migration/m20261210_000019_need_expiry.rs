//! When a need's expiry (computed from the clock) was announced to webhooks, so that each
//! expired need is announced once, like a letter's.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261210_000019_need_expiry"
    }
}

#[derive(DeriveIden)]
enum ServiceNeeds {
    Table,
    ExpiryAnnouncedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(ServiceNeeds::Table)
                .add_column(timestamp_with_time_zone_null(
                    ServiceNeeds::ExpiryAnnouncedAt,
                ))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(ServiceNeeds::Table)
                .drop_column(ServiceNeeds::ExpiryAnnouncedAt)
                .to_owned(),
        )
        .await
    }
}
