//! A county flagged as a priority area (脱贫县, 革命老区, 边远山区) by an organisation above
//! it: its needs are listed first (rule 46).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261213_000022_priority_counties"
    }
}

#[derive(DeriveIden)]
enum Organizations {
    Table,
    PriorityArea,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Organizations::Table)
                .add_column(string_len_null(Organizations::PriorityArea, 32))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Organizations::Table)
                .drop_column(Organizations::PriorityArea)
                .to_owned(),
        )
        .await
    }
}
