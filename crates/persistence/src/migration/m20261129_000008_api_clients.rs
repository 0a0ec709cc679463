//! API clients of third-party systems: an organisation's credential with named scopes.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::{fk, index};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261129_000008_api_clients"
    }
}

#[derive(DeriveIden)]
enum Organizations {
    Table,
    Id,
}
#[derive(DeriveIden)]
enum ApiClients {
    Table,
    Id,
    OrganizationId,
    Name,
    KeyPrefix,
    SecretHash,
    Scopes,
    CreatedBy,
    CreatedAt,
    RotatedAt,
    RevokedAt,
    LastUsedAt,
    LastUsedFrom,
    Version,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(ApiClients::Table)
                .col(uuid(ApiClients::Id).primary_key())
                .col(uuid(ApiClients::OrganizationId))
                .col(string_len(ApiClients::Name, 100))
                // The public part of the key (`zhc_<prefix>_<secret>`), to find the client.
                .col(string_len_uniq(ApiClients::KeyPrefix, 24))
                // SHA-256 of the secret part; the secret itself is shown once.
                .col(string_len(ApiClients::SecretHash, 64))
                .col(text(ApiClients::Scopes))
                .col(uuid(ApiClients::CreatedBy))
                .col(timestamp_with_time_zone(ApiClients::CreatedAt))
                .col(timestamp_with_time_zone_null(ApiClients::RotatedAt))
                .col(timestamp_with_time_zone_null(ApiClients::RevokedAt))
                .col(timestamp_with_time_zone_null(ApiClients::LastUsedAt))
                .col(string_len_null(ApiClients::LastUsedFrom, 64))
                .col(integer(ApiClients::Version).default(1))
                .foreign_key(&mut fk(
                    (ApiClients::Table, ApiClients::OrganizationId),
                    (Organizations::Table, Organizations::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "ix_api_clients_org",
            ApiClients::Table,
            vec![ApiClients::OrganizationId],
        ))
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(
            Table::drop()
                .table(ApiClients::Table)
                .if_exists()
                .to_owned(),
        )
        .await
    }
}
