//! The service point a need is posted for (rule 46: a service point's organisation posts
//! needs for it); the activity scheduled from the need is held there.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261212_000021_need_service_point"
    }
}

#[derive(DeriveIden)]
enum ServiceNeeds {
    Table,
    ServicePointId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(ServiceNeeds::Table)
                .add_column(uuid_null(ServiceNeeds::ServicePointId))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(ServiceNeeds::Table)
                .drop_column(ServiceNeeds::ServicePointId)
                .to_owned(),
        )
        .await
    }
}
