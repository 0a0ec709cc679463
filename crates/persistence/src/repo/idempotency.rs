//! Idempotency keys (integrations: safe retries of writes).

use chrono::{DateTime, Duration, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};

use crate::entities::idempotency_key;
use crate::{Store, StoreError, StoreResult};

/// How long a key is remembered.
pub const KEY_TTL_HOURS: i64 = 24;

/// What a key says about a request.
#[derive(Debug)]
pub enum KeyState {
    /// First use: the request goes ahead; finish or forget the key afterwards.
    Fresh,
    /// Answered before, for the same request: replay it.
    Replay {
        status: u16,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    },
    /// Used before for a different request.
    Mismatch,
    /// The first request with this key is still being answered.
    InProgress,
}

/// What a sealed answer is bound to: its scope and key.
fn replay_context(scope: &str, key: &str) -> Vec<u8> {
    let mut c = Vec::with_capacity(scope.len() + key.len() + 1);
    c.extend_from_slice(scope.as_bytes());
    c.push(0);
    c.extend_from_slice(key.as_bytes());
    c
}

impl Store {
    /// Claims the key for this request, or says what it was used for.
    pub async fn claim_idempotency_key(
        &self,
        scope: &str,
        key: &str,
        fingerprint: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<KeyState> {
        let expired = now - Duration::hours(KEY_TTL_HOURS);
        idempotency_key::Entity::delete_many()
            .filter(idempotency_key::Column::Scope.eq(scope))
            .filter(idempotency_key::Column::Key.eq(key))
            .filter(idempotency_key::Column::CreatedAt.lt(expired))
            .exec(&self.db)
            .await?;
        let inserted = idempotency_key::ActiveModel {
            scope: Set(scope.to_string()),
            key: Set(key.to_string()),
            fingerprint: Set(fingerprint.to_string()),
            status_code: Set(None),
            headers: Set(None),
            body: Set(None),
            created_at: Set(now),
            completed_at: Set(None),
        }
        .insert(&self.db)
        .await;
        match inserted {
            Ok(_) => Ok(KeyState::Fresh),
            Err(e) => match StoreError::from(e) {
                StoreError::Conflict { .. } => {
                    let Some(k) =
                        idempotency_key::Entity::find_by_id((scope.to_string(), key.to_string()))
                            .one(&self.db)
                            .await?
                    else {
                        return Ok(KeyState::InProgress);
                    };
                    if k.fingerprint != fingerprint {
                        return Ok(KeyState::Mismatch);
                    }
                    let body = k.body.map(|b| {
                        self.crypto
                            .open(&b, &replay_context(scope, key))
                            .map_err(|_| StoreError::Crypto)
                    });
                    match (k.status_code, body) {
                        (Some(status), Some(body)) => Ok(KeyState::Replay {
                            status: u16::try_from(status).unwrap_or(200),
                            headers: k
                                .headers
                                .and_then(|h| serde_json::from_str(&h).ok())
                                .unwrap_or_default(),
                            body: body?,
                        }),
                        _ => Ok(KeyState::InProgress),
                    }
                }
                other => Err(other),
            },
        }
    }

    /// Keeps the answer for replays.
    pub async fn finish_idempotency_key(
        &self,
        scope: &str,
        key: &str,
        status: u16,
        headers: &[(String, String)],
        body: Vec<u8>,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        idempotency_key::ActiveModel {
            scope: Set(scope.to_string()),
            key: Set(key.to_string()),
            status_code: Set(Some(i32::from(status))),
            headers: Set(Some(
                serde_json::to_string(headers).unwrap_or_else(|_| "[]".into()),
            )),
            // Sealed: an answer may carry a new API key, a signing secret, a refresh token
            // or a volunteer's own ID number and phone.
            body: Set(Some(self.crypto.seal(&body, &replay_context(scope, key)))),
            completed_at: Set(Some(now)),
            ..Default::default()
        }
        .update(&self.db)
        .await?;
        Ok(())
    }

    /// Forgets a key whose request failed on the server's side, so a retry may act.
    pub async fn forget_idempotency_key(&self, scope: &str, key: &str) -> StoreResult<()> {
        idempotency_key::Entity::delete_by_id((scope.to_string(), key.to_string()))
            .exec(&self.db)
            .await?;
        Ok(())
    }
}
