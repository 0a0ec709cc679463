//! The activity list of a province or a city in start order.
//!
//! A region filter on a province (`11`) or a city (`1101`) matches many codes, so
//! `ix_activities_region_start` cannot give the list its start order, and the planner walks
//! every activity in start order until a page of them matches (thousands of rows
//! nationally). On the code's first two or four digits the index gives the order, and a
//! page of 20 reads 20 rows. Expression indexes: the same statement on SQLite and
//! PostgreSQL.

use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261202_000011_activity_region_order"
    }
}

const INDEXES: &[(&str, &str)] = &[
    (
        "ix_activities_province_start",
        "CREATE INDEX IF NOT EXISTS ix_activities_province_start \
         ON activities (substr(region_code, 1, 2), starts_at, id)",
    ),
    (
        "ix_activities_city_start",
        "CREATE INDEX IF NOT EXISTS ix_activities_city_start \
         ON activities (substr(region_code, 1, 4), starts_at, id)",
    ),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for (_, sql) in INDEXES {
            m.get_connection().execute_unprepared(sql).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for (name, _) in INDEXES {
            m.get_connection()
                .execute_unprepared(&format!("DROP INDEX IF EXISTS {name}"))
                .await?;
        }
        Ok(())
    }
}
