//! API clients of third-party systems (integrations).

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use uuid::Uuid;
use zhihui_domain::ProblemCode;

use crate::entities::api_client;
use crate::{Store, StoreError, StoreResult};

pub struct NewApiClient {
    pub organization_id: Uuid,
    pub name: String,
    pub key_prefix: String,
    pub secret_hash: String,
    pub scopes: String,
    pub created_by: Uuid,
}

impl Store {
    pub async fn create_api_client(
        &self,
        c: NewApiClient,
        now: DateTime<Utc>,
    ) -> StoreResult<api_client::Model> {
        Ok(api_client::ActiveModel {
            id: Set(Uuid::now_v7()),
            organization_id: Set(c.organization_id),
            name: Set(c.name),
            key_prefix: Set(c.key_prefix),
            secret_hash: Set(c.secret_hash),
            scopes: Set(c.scopes),
            created_by: Set(c.created_by),
            created_at: Set(now),
            rotated_at: Set(None),
            revoked_at: Set(None),
            last_used_at: Set(None),
            last_used_from: Set(None),
            version: Set(1),
        }
        .insert(&self.db)
        .await?)
    }

    pub async fn get_api_client(&self, id: Uuid) -> StoreResult<Option<api_client::Model>> {
        Ok(api_client::Entity::find_by_id(id).one(&self.db).await?)
    }

    pub async fn api_client_by_prefix(
        &self,
        prefix: &str,
    ) -> StoreResult<Option<api_client::Model>> {
        Ok(api_client::Entity::find()
            .filter(api_client::Column::KeyPrefix.eq(prefix))
            .one(&self.db)
            .await?)
    }

    /// A page of an organisation's clients, newest first, after the cursor `before`.
    pub async fn api_clients_of(
        &self,
        org: Uuid,
        before: Option<Uuid>,
        limit: u64,
    ) -> StoreResult<Vec<api_client::Model>> {
        let mut q = api_client::Entity::find().filter(api_client::Column::OrganizationId.eq(org));
        if let Some(b) = before {
            q = q.filter(api_client::Column::Id.lt(b));
        }
        Ok(q.order_by_desc(api_client::Column::Id)
            .limit(limit)
            .all(&self.db)
            .await?)
    }

    /// Replaces the secret of a client that is not revoked; the old one stops working now.
    pub async fn rotate_api_client(
        &self,
        id: Uuid,
        secret_hash: String,
        now: DateTime<Utc>,
    ) -> StoreResult<api_client::Model> {
        self.change_live_client(
            id,
            vec![
                (api_client::Column::SecretHash, Expr::value(secret_hash)),
                (api_client::Column::RotatedAt, Expr::value(now)),
            ],
        )
        .await
    }

    pub async fn revoke_api_client(
        &self,
        id: Uuid,
        now: DateTime<Utc>,
    ) -> StoreResult<api_client::Model> {
        self.change_live_client(id, vec![(api_client::Column::RevokedAt, Expr::value(now))])
            .await
    }

    /// Sets columns of a client that is not revoked (409 `api_client_revoked` otherwise).
    async fn change_live_client(
        &self,
        id: Uuid,
        set: Vec<(api_client::Column, sea_orm::sea_query::SimpleExpr)>,
    ) -> StoreResult<api_client::Model> {
        let mut q = api_client::Entity::update_many().col_expr(
            api_client::Column::Version,
            Expr::col(api_client::Column::Version).add(1),
        );
        for (c, v) in set {
            q = q.col_expr(c, v);
        }
        let res = q
            .filter(api_client::Column::Id.eq(id))
            .filter(api_client::Column::RevokedAt.is_null())
            .exec(&self.db)
            .await?;
        if res.rows_affected == 0 {
            return Err(StoreError::Conflict {
                code: ProblemCode::ApiClientRevoked,
                message: "the client is revoked".into(),
            });
        }
        self.get_api_client(id).await?.ok_or(StoreError::NotFound)
    }

    /// Records a use: when and from which address (at most once a minute per address).
    pub async fn touch_api_client(
        &self,
        c: &api_client::Model,
        from: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let fresh = c
            .last_used_at
            .is_some_and(|t| now - t < Duration::seconds(60))
            && c.last_used_from.as_deref() == Some(from);
        if fresh {
            return Ok(());
        }
        api_client::Entity::update_many()
            .col_expr(api_client::Column::LastUsedAt, Expr::value(now))
            .col_expr(
                api_client::Column::LastUsedFrom,
                Expr::value(from.to_string()),
            )
            .filter(api_client::Column::Id.eq(c.id))
            .exec(&self.db)
            .await?;
        Ok(())
    }
}
