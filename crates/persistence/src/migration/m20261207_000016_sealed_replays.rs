//! Stored replays of idempotent requests are sealed (AES-256-GCM under a key derived from
//! the personal-data key) from now on: a replay holds whatever its answer held — a
//! volunteer's own ID number and phone, a new API key, a webhook signing secret, a refresh
//! token. The replays stored before in clear are forgotten; they would have expired within
//! a day, and a retry with one of their keys now acts as a first request would.

use sea_orm::ConnectionTrait;
use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261207_000016_sealed_replays"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.get_connection()
            .execute_unprepared("DELETE FROM idempotency_keys WHERE body IS NOT NULL")
            .await?;
        Ok(())
    }

    async fn down(&self, _m: &SchemaManager) -> Result<(), DbErr> {
        Ok(())
    }
}
