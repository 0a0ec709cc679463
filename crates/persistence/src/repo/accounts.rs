use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, EntityTrait, JoinType, QueryFilter, QueryOrder,
    QuerySelect, Set, TransactionTrait,
};
use uuid::Uuid;
use zhihui_domain::ProblemCode;

use crate::entities::{
    account, login_throttle, organization_admin, refresh_token, review, reviewer_assignment,
};
use crate::{Store, StoreError, StoreResult};

/// What a login throttle says before the password is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThrottleState {
    Open { recent_failures: i32 },
    Locked { until: DateTime<Utc> },
}

/// The result of presenting a refresh token.
#[derive(Debug)]
pub enum RefreshOutcome {
    Rotated {
        account_id: Uuid,
        /// The session (token family) the new token continues.
        family_id: Uuid,
    },
    /// Unknown, expired or revoked; a revoked one also revokes its whole family.
    Refused,
}

impl Store {
    pub async fn create_account(
        &self,
        login: &str,
        display_name: &str,
        password_hash: &str,
        is_platform_admin: bool,
        now: DateTime<Utc>,
    ) -> StoreResult<account::Model> {
        let m = account::ActiveModel {
            id: Set(Uuid::now_v7()),
            login: Set(login.to_string()),
            display_name: Set(display_name.to_string()),
            password_hash: Set(password_hash.to_string()),
            is_platform_admin: Set(is_platform_admin),
            created_at: Set(now),
        };
        m.insert(&self.db)
            .await
            .map_err(|e| match StoreError::from(e) {
                StoreError::Conflict { .. } => StoreError::Conflict {
                    code: ProblemCode::LoginTaken,
                    message: "an account with this login already exists".into(),
                },
                other => other,
            })
    }

    pub async fn find_account_by_login(&self, login: &str) -> StoreResult<Option<account::Model>> {
        Ok(account::Entity::find()
            .filter(account::Column::Login.eq(login))
            .one(&self.db)
            .await?)
    }

    pub async fn get_account(&self, id: Uuid) -> StoreResult<Option<account::Model>> {
        Ok(account::Entity::find_by_id(id).one(&self.db).await?)
    }

    /// An account and the organisations it administers, in one round trip (every
    /// authenticated request asks for both).
    pub async fn account_with_admin_of(
        &self,
        id: Uuid,
    ) -> StoreResult<Option<(account::Model, Vec<Uuid>)>> {
        let rows = account::Entity::find_by_id(id)
            .select_also(organization_admin::Entity)
            .join(
                JoinType::LeftJoin,
                account::Entity::belongs_to(organization_admin::Entity)
                    .from(account::Column::Id)
                    .to(organization_admin::Column::AccountId)
                    .into(),
            )
            .all(&self.db)
            .await?;
        let mut rows = rows.into_iter();
        let Some((account, first)) = rows.next() else {
            return Ok(None);
        };
        let admin_of = first
            .into_iter()
            .chain(rows.filter_map(|(_, a)| a))
            .map(|a| a.organization_id)
            .collect();
        Ok(Some((account, admin_of)))
    }

    /// Accounts whose display name or login holds `text`, in the order they were created,
    /// each with the applications assigned to them and not yet scored.
    pub async fn search_accounts(
        &self,
        text: &str,
        after: Option<Uuid>,
        limit: u64,
    ) -> StoreResult<Vec<(account::Model, i64)>> {
        let mut q = account::Entity::find().filter(
            Condition::any()
                .add(super::contains_text(account::Column::DisplayName, text))
                .add(super::contains_text(
                    account::Column::Login,
                    &text.to_lowercase(),
                )),
        );
        if let Some(a) = after {
            q = q.filter(account::Column::Id.gt(a));
        }
        let accounts = q
            .order_by_asc(account::Column::Id)
            .limit(limit)
            .all(&self.db)
            .await?;
        let ids: Vec<Uuid> = accounts.iter().map(|a| a.id).collect();
        let assigned: Vec<(Uuid, Uuid)> = reviewer_assignment::Entity::find()
            .select_only()
            .column(reviewer_assignment::Column::ReviewerId)
            .column(reviewer_assignment::Column::ApplicationId)
            .filter(reviewer_assignment::Column::ReviewerId.is_in(ids.clone()))
            .into_tuple()
            .all(&self.db)
            .await?;
        let scored: std::collections::HashSet<(Uuid, Uuid)> = review::Entity::find()
            .select_only()
            .column(review::Column::ReviewerId)
            .column(review::Column::ApplicationId)
            .filter(review::Column::ReviewerId.is_in(ids))
            .into_tuple::<(Uuid, Uuid)>()
            .all(&self.db)
            .await?
            .into_iter()
            .collect();
        let mut open: std::collections::HashMap<Uuid, i64> = std::collections::HashMap::new();
        for pair in assigned.into_iter().filter(|p| !scored.contains(p)) {
            *open.entry(pair.0).or_default() += 1;
        }
        Ok(accounts
            .into_iter()
            .map(|a| {
                let n = open.get(&a.id).copied().unwrap_or(0);
                (a, n)
            })
            .collect())
    }

    pub async fn set_platform_admin(&self, id: Uuid, value: bool) -> StoreResult<()> {
        account::Entity::update_many()
            .col_expr(account::Column::IsPlatformAdmin, Expr::value(value))
            .filter(account::Column::Id.eq(id))
            .exec(&self.db)
            .await?;
        self.access_changed();
        Ok(())
    }

    pub async fn insert_refresh_token(
        &self,
        account_id: Uuid,
        token_hash: &str,
        family_id: Uuid,
        now: DateTime<Utc>,
        ttl: Duration,
    ) -> StoreResult<()> {
        refresh_token::ActiveModel {
            id: Set(Uuid::now_v7()),
            account_id: Set(account_id),
            token_hash: Set(token_hash.to_string()),
            family_id: Set(family_id),
            expires_at: Set(now + ttl),
            revoked_at: Set(None),
            created_at: Set(now),
        }
        .insert(&self.db)
        .await?;
        Ok(())
    }

    /// Consumes a refresh token and stores its successor in one transaction. Only one of
    /// two concurrent uses of the same token wins; presenting a used token revokes the family.
    pub async fn rotate_refresh_token(
        &self,
        old_hash: &str,
        new_hash: &str,
        now: DateTime<Utc>,
        ttl: Duration,
    ) -> StoreResult<RefreshOutcome> {
        let txn = self.db.begin().await?;
        let Some(old) = refresh_token::Entity::find()
            .filter(refresh_token::Column::TokenHash.eq(old_hash))
            .one(&txn)
            .await?
        else {
            return Ok(RefreshOutcome::Refused);
        };
        if let Some(exchanged_at) = old.revoked_at {
            // Exchanged already. If it was exchanged moments ago and its successor is the
            // session's only live token, the answer to that exchange was lost (the page was
            // reloaded meanwhile): the session goes on with a token that replaces the
            // successor. Otherwise it is a copy, and the session ends.
            let live = refresh_token::Entity::find()
                .filter(refresh_token::Column::FamilyId.eq(old.family_id))
                .filter(refresh_token::Column::RevokedAt.is_null())
                .all(&txn)
                .await?;
            let successor = match live.as_slice() {
                [only] if only.created_at == exchanged_at => Some(only.id),
                _ => None,
            };
            let lost_answer = zhihui_domain::account::refresh_reuse_is_lost_answer(
                exchanged_at,
                now,
                successor.is_some(),
            );
            if let Some(successor) = successor.filter(|_| lost_answer) {
                if !revoke_if_live(&txn, successor, now).await? {
                    return Ok(RefreshOutcome::Refused);
                }
                return self.continue_family(txn, &old, new_hash, now, ttl).await;
            }
            refresh_token::Entity::update_many()
                .col_expr(refresh_token::Column::RevokedAt, Expr::value(now))
                .filter(refresh_token::Column::FamilyId.eq(old.family_id))
                .filter(refresh_token::Column::RevokedAt.is_null())
                .exec(&txn)
                .await?;
            txn.commit().await?;
            // The session's access tokens stop working too (kept rights are dropped).
            self.access_changed();
            return Ok(RefreshOutcome::Refused);
        }
        if old.expires_at <= now {
            return Ok(RefreshOutcome::Refused);
        }
        // Conditional update: the loser of a race updates no row.
        if !revoke_if_live(&txn, old.id, now).await? {
            return Ok(RefreshOutcome::Refused);
        }
        self.continue_family(txn, &old, new_hash, now, ttl).await
    }

    /// Stores the session's next token (created at `now`, the moment its predecessor was
    /// exchanged) and commits.
    async fn continue_family(
        &self,
        txn: sea_orm::DatabaseTransaction,
        old: &refresh_token::Model,
        new_hash: &str,
        now: DateTime<Utc>,
        ttl: Duration,
    ) -> StoreResult<RefreshOutcome> {
        refresh_token::ActiveModel {
            id: Set(Uuid::now_v7()),
            account_id: Set(old.account_id),
            token_hash: Set(new_hash.to_string()),
            family_id: Set(old.family_id),
            expires_at: Set(now + ttl),
            revoked_at: Set(None),
            created_at: Set(now),
        }
        .insert(&txn)
        .await?;
        txn.commit().await?;
        Ok(RefreshOutcome::Rotated {
            account_id: old.account_id,
            family_id: old.family_id,
        })
    }

    /// Revokes the token's whole family (logout). Unknown tokens are ignored.
    pub async fn revoke_refresh_family(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let Some(t) = refresh_token::Entity::find()
            .filter(refresh_token::Column::TokenHash.eq(token_hash))
            .one(&self.db)
            .await?
        else {
            return Ok(false);
        };
        refresh_token::Entity::update_many()
            .col_expr(refresh_token::Column::RevokedAt, Expr::value(now))
            .filter(refresh_token::Column::FamilyId.eq(t.family_id))
            .filter(refresh_token::Column::RevokedAt.is_null())
            .exec(&self.db)
            .await?;
        self.access_changed();
        Ok(true)
    }

    /// Whether a session (a refresh-token family) is still open: one of its tokens is
    /// neither used nor revoked. Logout and the reuse of a used token close it.
    pub async fn session_open(&self, family_id: Uuid) -> StoreResult<bool> {
        Ok(refresh_token::Entity::find()
            .filter(refresh_token::Column::FamilyId.eq(family_id))
            .filter(refresh_token::Column::RevokedAt.is_null())
            .one(&self.db)
            .await?
            .is_some())
    }

    pub async fn throttle_state(
        &self,
        key: &str,
        now: DateTime<Utc>,
        window: Duration,
    ) -> StoreResult<ThrottleState> {
        let t = login_throttle::Entity::find_by_id(key.to_string())
            .one(&self.db)
            .await?;
        Ok(match t {
            Some(t) if t.locked_until.is_some_and(|u| u > now) => ThrottleState::Locked {
                until: t.locked_until.unwrap_or(now),
            },
            Some(t) if t.window_started_at + window > now => ThrottleState::Open {
                recent_failures: t.failures,
            },
            _ => ThrottleState::Open { recent_failures: 0 },
        })
    }

    /// Counts a failed login; locks the key once `lock_after` failures fall in the window.
    pub async fn record_login_failure(
        &self,
        key: &str,
        now: DateTime<Utc>,
        window: Duration,
        lock_after: i32,
        lock_for: Duration,
    ) -> StoreResult<()> {
        let txn = self.db.begin().await?;
        let existing = login_throttle::Entity::find_by_id(key.to_string())
            .one(&txn)
            .await?;
        let (failures, started) = match &existing {
            Some(t)
                if t.window_started_at + window > now && t.locked_until.is_none_or(|u| u > now) =>
            {
                (t.failures + 1, t.window_started_at)
            }
            _ => (1, now),
        };
        let locked_until = (failures >= lock_after).then_some(now + lock_for);
        let model = login_throttle::ActiveModel {
            key: Set(key.to_string()),
            failures: Set(failures),
            window_started_at: Set(started),
            locked_until: Set(locked_until),
        };
        if existing.is_some() {
            model.update(&txn).await?;
        } else {
            model.insert(&txn).await?;
        }
        txn.commit().await?;
        Ok(())
    }

    pub async fn clear_login_failures(&self, key: &str) -> StoreResult<()> {
        login_throttle::Entity::delete_by_id(key.to_string())
            .exec(&self.db)
            .await?;
        Ok(())
    }
}

/// Marks one refresh token used, if it still is live; false when another request got there
/// first (the loser of a race updates no row).
async fn revoke_if_live(
    txn: &sea_orm::DatabaseTransaction,
    id: Uuid,
    now: DateTime<Utc>,
) -> StoreResult<bool> {
    let res = refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::RevokedAt, Expr::value(now))
        .filter(refresh_token::Column::Id.eq(id))
        .filter(refresh_token::Column::RevokedAt.is_null())
        .exec(txn)
        .await?;
    Ok(res.rows_affected == 1)
}
