//! Idempotency keys: the first answer to a state-changing request, kept for 24 hours so a
//! client retrying on a bad network gets it again instead of acting twice.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::index;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261128_000007_idempotency"
    }
}

#[derive(DeriveIden)]
enum IdempotencyKeys {
    Table,
    Scope,
    Key,
    Fingerprint,
    StatusCode,
    Headers,
    Body,
    CreatedAt,
    CompletedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(IdempotencyKeys::Table)
                // Who sent it: `account:<id>` or `address:<ip>`.
                .col(string_len(IdempotencyKeys::Scope, 80))
                .col(string_len(IdempotencyKeys::Key, 255))
                // SHA-256 of method, path, query, content type and body.
                .col(string_len(IdempotencyKeys::Fingerprint, 64))
                .col(integer_null(IdempotencyKeys::StatusCode))
                // JSON object of the answer's headers worth replaying.
                .col(text_null(IdempotencyKeys::Headers))
                .col(blob_null(IdempotencyKeys::Body))
                .col(timestamp_with_time_zone(IdempotencyKeys::CreatedAt))
                .col(timestamp_with_time_zone_null(IdempotencyKeys::CompletedAt))
                .primary_key(
                    Index::create()
                        .col(IdempotencyKeys::Scope)
                        .col(IdempotencyKeys::Key),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "ix_idempotency_keys_created",
            IdempotencyKeys::Table,
            vec![IdempotencyKeys::CreatedAt],
        ))
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(
            Table::drop()
                .table(IdempotencyKeys::Table)
                .if_exists()
                .to_owned(),
        )
        .await
    }
}
