//! Webhooks: the transactional outbox, endpoints, and the deliveries the sender works through.
//!
//! A change writes its event to `outbox_events` inside its own transaction (`emit`), so an
//! event exists exactly when the change committed. The sender (in the HTTP crate) fans
//! events out to the endpoints that hear them and then works through due deliveries;
//! claiming moves a delivery's `next_attempt_at` forward by a lease, so another replica
//! (or this one after a crash) retries it only once the lease has run out.

use std::collections::{HashMap, HashSet};
use zhihui_domain::ProblemCode;

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::{Expr, LockBehavior, LockType};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Select, Set, TransactionTrait,
};
use serde_json::Value;
use uuid::Uuid;
use zhihui_domain::integration::{DeliveryStatus, EventType};
use zhihui_domain::pairing::answer_due;
use zhihui_domain::LetterStatus;

use crate::entities::{
    organization_closure, outbox_event, pairing_letter, webhook_attempt, webhook_delivery,
    webhook_endpoint,
};
use crate::{Store, StoreError, StoreResult};

/// Writes an event to the outbox within the caller's transaction. `organizations` are the
/// organisations the event concerns; endpoints of these and of every organisation above
/// them hear it, and platform-level endpoints hear everything.
/// A typed event resource (`zhihui_contract::events`) as the outbox stores it.
pub(crate) fn resource_value(resource: &impl serde::Serialize) -> Value {
    serde_json::to_value(resource).unwrap_or(Value::Null)
}

pub(crate) async fn emit(
    c: &impl ConnectionTrait,
    kind: EventType,
    organizations: &[Uuid],
    resource: Value,
    now: DateTime<Utc>,
) -> StoreResult<Uuid> {
    let id = Uuid::now_v7();
    outbox_event::ActiveModel {
        id: Set(id),
        event_type: Set(kind.into()),
        organization_ids: Set(serde_json::to_string(organizations).unwrap_or_default()),
        resource: Set(resource.to_string()),
        occurred_at: Set(now),
        dispatched_at: Set(None),
        notified_at: Set(None),
    }
    .insert(c)
    .await?;
    Ok(id)
}

pub struct NewWebhookEndpoint {
    pub organization_id: Option<Uuid>,
    pub url: String,
    pub description: String,
    pub event_types: Vec<EventType>,
    pub secret: String,
    pub created_by: Uuid,
}

/// Changes to an endpoint; `None` leaves a field as it is.
#[derive(Default)]
pub struct WebhookChanges {
    pub url: Option<String>,
    pub description: Option<String>,
    pub event_types: Option<Vec<EventType>>,
    pub active: Option<bool>,
}

/// A delivery claimed for an attempt, with what it takes to send it.
pub struct DueDelivery {
    pub delivery: webhook_delivery::Model,
    pub event: outbox_event::Model,
    pub url: String,
    pub secret: String,
}

/// The outcome of one HTTP attempt.
pub struct AttemptOutcome {
    pub status_code: Option<u16>,
    pub error: Option<String>,
    pub duration_ms: i32,
    pub response_excerpt: Option<String>,
    pub delivered: bool,
    /// When to try again; `None` with `delivered == false` gives up.
    pub retry_at: Option<DateTime<Utc>>,
}

fn types_json(t: &[EventType]) -> String {
    serde_json::to_string(&t.iter().map(|t| t.as_str()).collect::<Vec<_>>()).unwrap_or_default()
}

/// The event types an endpoint hears.
pub fn endpoint_event_types(e: &webhook_endpoint::Model) -> Vec<EventType> {
    serde_json::from_str(&e.event_types).unwrap_or_default()
}

impl Store {
    /// Locks the selected rows, skipping rows another sender holds (PostgreSQL; SQLite
    /// serialises writers anyway).
    pub(crate) fn skip_locked<E: EntityTrait>(&self, q: Select<E>) -> Select<E> {
        if self.is_postgres() {
            q.lock_with_behavior(LockType::Update, LockBehavior::SkipLocked)
        } else {
            q
        }
    }

    pub async fn create_webhook_endpoint(
        &self,
        n: NewWebhookEndpoint,
        now: DateTime<Utc>,
    ) -> StoreResult<webhook_endpoint::Model> {
        Ok(webhook_endpoint::ActiveModel {
            id: Set(Uuid::now_v7()),
            organization_id: Set(n.organization_id),
            url: Set(n.url),
            description: Set(n.description),
            event_types: Set(types_json(&n.event_types)),
            secret_enc: Set(self.crypto.encrypt(&n.secret)),
            active: Set(true),
            created_by: Set(n.created_by),
            created_at: Set(now),
            updated_at: Set(now),
            rotated_at: Set(None),
            version: Set(1),
        }
        .insert(&self.db)
        .await?)
    }

    pub async fn get_webhook_endpoint(
        &self,
        id: Uuid,
    ) -> StoreResult<Option<webhook_endpoint::Model>> {
        Ok(webhook_endpoint::Entity::find_by_id(id)
            .one(&self.db)
            .await?)
    }

    /// Endpoints of some organisations, or the platform-level ones (`None`).
    pub async fn webhook_endpoints_of(
        &self,
        orgs: Option<&[Uuid]>,
        before: Option<Uuid>,
        limit: u64,
    ) -> StoreResult<Vec<webhook_endpoint::Model>> {
        let q = webhook_endpoint::Entity::find();
        let mut q = match orgs {
            Some(ids) => q.filter(webhook_endpoint::Column::OrganizationId.is_in(ids.to_vec())),
            None => q.filter(webhook_endpoint::Column::OrganizationId.is_null()),
        };
        if let Some(b) = before {
            q = q.filter(webhook_endpoint::Column::Id.lt(b));
        }
        Ok(q.order_by_desc(webhook_endpoint::Column::Id)
            .limit(limit)
            .all(&self.db)
            .await?)
    }

    pub async fn update_webhook_endpoint(
        &self,
        id: Uuid,
        c: WebhookChanges,
        now: DateTime<Utc>,
    ) -> StoreResult<webhook_endpoint::Model> {
        let cur = self
            .get_webhook_endpoint(id)
            .await?
            .ok_or(StoreError::NotFound)?;
        let version = cur.version;
        let mut m: webhook_endpoint::ActiveModel = cur.into();
        if let Some(u) = c.url {
            m.url = Set(u);
        }
        if let Some(d) = c.description {
            m.description = Set(d);
        }
        if let Some(t) = c.event_types {
            m.event_types = Set(types_json(&t));
        }
        if let Some(a) = c.active {
            m.active = Set(a);
        }
        m.updated_at = Set(now);
        m.version = Set(version + 1);
        Ok(m.update(&self.db).await?)
    }

    /// Replaces the signing secret; deliveries from now on are signed with the new one.
    pub async fn rotate_webhook_secret(
        &self,
        id: Uuid,
        secret: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<webhook_endpoint::Model> {
        let cur = self
            .get_webhook_endpoint(id)
            .await?
            .ok_or(StoreError::NotFound)?;
        let version = cur.version;
        let mut m: webhook_endpoint::ActiveModel = cur.into();
        m.secret_enc = Set(self.crypto.encrypt(secret));
        m.rotated_at = Set(Some(now));
        m.updated_at = Set(now);
        m.version = Set(version + 1);
        Ok(m.update(&self.db).await?)
    }

    /// Deletes an endpoint with its delivery log.
    pub async fn delete_webhook_endpoint(&self, id: Uuid) -> StoreResult<()> {
        let res = webhook_endpoint::Entity::delete_by_id(id)
            .exec(&self.db)
            .await?;
        if res.rows_affected == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    /// A test event for one endpoint, delivered like any other.
    pub async fn ping_webhook_endpoint(
        &self,
        e: &webhook_endpoint::Model,
        now: DateTime<Utc>,
    ) -> StoreResult<webhook_delivery::Model> {
        let txn = self.db.begin().await?;
        let orgs: Vec<Uuid> = e.organization_id.into_iter().collect();
        let event = emit(
            &txn,
            EventType::Ping,
            &orgs,
            resource_value(&zhihui_contract::events::WebhookEndpointResource {
                kind: "webhook_endpoint".into(),
                id: e.id,
            }),
            now,
        )
        .await?;
        outbox_event::Entity::update_many()
            .col_expr(outbox_event::Column::DispatchedAt, Expr::value(now))
            .filter(outbox_event::Column::Id.eq(event))
            .exec(&txn)
            .await?;
        let d = new_delivery(e.id, event, None, now).insert(&txn).await?;
        txn.commit().await?;
        Ok(d)
    }

    /// Fans out up to `limit` undispatched events to the active endpoints that hear them;
    /// returns how many events it handled.
    pub async fn dispatch_outbox(&self, now: DateTime<Utc>, limit: u64) -> StoreResult<usize> {
        let txn = self.db.begin().await?;
        let q = outbox_event::Entity::find()
            .filter(outbox_event::Column::DispatchedAt.is_null())
            .order_by_asc(outbox_event::Column::OccurredAt)
            .order_by_asc(outbox_event::Column::Id)
            .limit(limit);
        let events = self.skip_locked(q).all(&txn).await?;
        if events.is_empty() {
            return Ok(0);
        }
        let endpoints = webhook_endpoint::Entity::find()
            .filter(webhook_endpoint::Column::Active.eq(true))
            .all(&txn)
            .await?;
        let concerned: Vec<Vec<Uuid>> = events
            .iter()
            .map(|e| serde_json::from_str(&e.organization_ids).unwrap_or_default())
            .collect();
        let mut hearers: HashMap<Uuid, HashSet<Uuid>> = HashMap::new();
        let all: HashSet<Uuid> = concerned.iter().flatten().copied().collect();
        let all: Vec<Uuid> = all.into_iter().collect();
        for chunk in all.chunks(500) {
            for row in organization_closure::Entity::find()
                .filter(organization_closure::Column::DescendantId.is_in(chunk.to_vec()))
                .all(&txn)
                .await?
            {
                hearers
                    .entry(row.descendant_id)
                    .or_default()
                    .insert(row.ancestor_id);
            }
        }
        let mut deliveries = vec![];
        for (event, orgs) in events.iter().zip(&concerned) {
            let above: HashSet<Uuid> = orgs
                .iter()
                .flat_map(|o| hearers.get(o).into_iter().flatten().copied())
                .chain(orgs.iter().copied())
                .collect();
            for e in &endpoints {
                let hears_org = e.organization_id.is_none_or(|o| above.contains(&o));
                let hears_type = endpoint_event_types(e).contains(&event.event_type);
                if hears_org && hears_type {
                    deliveries.push(new_delivery(e.id, event.id, None, now));
                }
            }
        }
        crate::repo::insert_in_chunks(&txn, deliveries).await?;
        outbox_event::Entity::update_many()
            .col_expr(outbox_event::Column::DispatchedAt, Expr::value(now))
            .filter(outbox_event::Column::Id.is_in(events.iter().map(|e| e.id)))
            .exec(&txn)
            .await?;
        txn.commit().await?;
        Ok(events.len())
    }

    /// Announces, once each, the letters that expired unanswered (expiry is computed from
    /// the clock, so nothing else marks the moment).
    pub async fn announce_expired_letters(
        &self,
        now: DateTime<Utc>,
        answer_days: i64,
        limit: u64,
    ) -> StoreResult<usize> {
        let txn = self.db.begin().await?;
        let q = pairing_letter::Entity::find()
            .filter(pairing_letter::Column::Status.eq(LetterStatus::Sent.as_str()))
            .filter(pairing_letter::Column::ExpiryAnnouncedAt.is_null())
            .filter(pairing_letter::Column::SentAt.lt(now - Duration::days(answer_days)))
            .order_by_asc(pairing_letter::Column::SentAt)
            .limit(limit);
        let letters = self.skip_locked(q).all(&txn).await?;
        for l in &letters {
            let due = l.sent_at.map(|s| answer_due(s, answer_days));
            emit(
                &txn,
                EventType::PairingLetterExpired,
                &[l.sender_id, l.recipient_id],
                crate::repo::pairing::letter_resource(l, LetterStatus::Expired, None, due),
                due.unwrap_or(now),
            )
            .await?;
        }
        if !letters.is_empty() {
            pairing_letter::Entity::update_many()
                .col_expr(pairing_letter::Column::ExpiryAnnouncedAt, Expr::value(now))
                .filter(pairing_letter::Column::Id.is_in(letters.iter().map(|l| l.id)))
                .exec(&txn)
                .await?;
        }
        txn.commit().await?;
        Ok(letters.len())
    }

    /// Forgets up to `limit` events dispatched before `before` whose deliveries are all
    /// settled (delivered or given up) and older than `before`, with those deliveries and
    /// their attempts (the foreign keys cascade). Events still being delivered, and events
    /// replayed since, stay. Returns how many events went.
    pub async fn prune_webhook_history(
        &self,
        before: DateTime<Utc>,
        limit: u64,
    ) -> StoreResult<u64> {
        let mut b = crate::repo::Binder::new(self.db.get_database_backend());
        let sql = format!(
            "DELETE FROM outbox_events WHERE id IN (SELECT e.id FROM outbox_events e \
             WHERE e.dispatched_at IS NOT NULL AND e.dispatched_at < {before} \
             AND e.notified_at IS NOT NULL \
             AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.event_id = e.id \
               AND (d.status = {pending} OR d.created_at >= {before2})) \
             ORDER BY e.dispatched_at LIMIT {limit})",
            before = b.bind(before),
            pending = b.bind(DeliveryStatus::Pending.as_str()),
            before2 = b.bind(before),
        );
        let r = self.db.execute(b.statement(sql)).await?;
        Ok(r.rows_affected())
    }

    /// Claims up to `limit` due deliveries for `lease`: they are not due again until the
    /// lease runs out, so a crash mid-attempt means a later retry, not a lost delivery.
    pub async fn claim_due_deliveries(
        &self,
        now: DateTime<Utc>,
        lease: Duration,
        limit: u64,
    ) -> StoreResult<Vec<DueDelivery>> {
        let txn = self.db.begin().await?;
        let q = webhook_delivery::Entity::find()
            .filter(webhook_delivery::Column::Status.eq(DeliveryStatus::Pending.as_str()))
            .filter(webhook_delivery::Column::NextAttemptAt.lte(now))
            .order_by_asc(webhook_delivery::Column::NextAttemptAt)
            .order_by_asc(webhook_delivery::Column::Id)
            .limit(limit);
        let due = self.skip_locked(q).all(&txn).await?;
        if due.is_empty() {
            return Ok(vec![]);
        }
        webhook_delivery::Entity::update_many()
            .col_expr(
                webhook_delivery::Column::NextAttemptAt,
                Expr::value(now + lease),
            )
            .filter(webhook_delivery::Column::Id.is_in(due.iter().map(|d| d.id)))
            .exec(&txn)
            .await?;
        let events: HashMap<Uuid, outbox_event::Model> = outbox_event::Entity::find()
            .filter(outbox_event::Column::Id.is_in(due.iter().map(|d| d.event_id)))
            .all(&txn)
            .await?
            .into_iter()
            .map(|e| (e.id, e))
            .collect();
        let endpoints: HashMap<Uuid, webhook_endpoint::Model> = webhook_endpoint::Entity::find()
            .filter(webhook_endpoint::Column::Id.is_in(due.iter().map(|d| d.endpoint_id)))
            .all(&txn)
            .await?
            .into_iter()
            .map(|e| (e.id, e))
            .collect();
        txn.commit().await?;
        let mut out = vec![];
        for d in due {
            let (Some(event), Some(endpoint)) =
                (events.get(&d.event_id), endpoints.get(&d.endpoint_id))
            else {
                continue;
            };
            out.push(DueDelivery {
                event: event.clone(),
                url: endpoint.url.clone(),
                secret: self.decrypt(&endpoint.secret_enc)?,
                delivery: d,
            });
        }
        Ok(out)
    }

    /// Records an attempt and what follows it: delivered, a retry at a time, or given up.
    pub async fn record_delivery_attempt(
        &self,
        d: &webhook_delivery::Model,
        o: AttemptOutcome,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let txn = self.db.begin().await?;
        let number = d.attempts + 1;
        webhook_attempt::ActiveModel {
            id: Set(Uuid::now_v7()),
            delivery_id: Set(d.id),
            number: Set(number),
            attempted_at: Set(now),
            status_code: Set(o.status_code.map(i32::from)),
            error: Set(o.error.clone()),
            duration_ms: Set(o.duration_ms),
            response_excerpt: Set(o.response_excerpt),
        }
        .insert(&txn)
        .await?;
        let status = if o.delivered {
            DeliveryStatus::Delivered
        } else if o.retry_at.is_some() {
            DeliveryStatus::Pending
        } else {
            DeliveryStatus::Failed
        };
        webhook_delivery::Entity::update_many()
            .col_expr(
                webhook_delivery::Column::Status,
                Expr::value(status.as_str()),
            )
            .col_expr(webhook_delivery::Column::Attempts, Expr::value(number))
            .col_expr(
                webhook_delivery::Column::NextAttemptAt,
                Expr::value(if o.delivered { None } else { o.retry_at }),
            )
            .col_expr(
                webhook_delivery::Column::FirstAttemptAt,
                Expr::value(d.first_attempt_at.unwrap_or(now)),
            )
            .col_expr(webhook_delivery::Column::LastAttemptAt, Expr::value(now))
            .col_expr(
                webhook_delivery::Column::LastStatusCode,
                Expr::value(o.status_code.map(i32::from)),
            )
            .col_expr(webhook_delivery::Column::LastError, Expr::value(o.error))
            .col_expr(
                webhook_delivery::Column::DeliveredAt,
                Expr::value(o.delivered.then_some(now)),
            )
            .filter(webhook_delivery::Column::Id.eq(d.id))
            .exec(&txn)
            .await?;
        txn.commit().await?;
        Ok(())
    }

    /// An endpoint's deliveries, newest first, optionally of one status.
    pub async fn list_webhook_deliveries(
        &self,
        endpoint_id: Uuid,
        status: Option<DeliveryStatus>,
        before: Option<Uuid>,
        limit: u64,
    ) -> StoreResult<Vec<(webhook_delivery::Model, EventType)>> {
        let mut q = webhook_delivery::Entity::find()
            .filter(webhook_delivery::Column::EndpointId.eq(endpoint_id));
        if let Some(s) = status {
            q = q.filter(webhook_delivery::Column::Status.eq(s.as_str()));
        }
        if let Some(b) = before {
            q = q.filter(webhook_delivery::Column::Id.lt(b));
        }
        let items = q
            .order_by_desc(webhook_delivery::Column::Id)
            .limit(limit)
            .all(&self.db)
            .await?;
        let types: HashMap<Uuid, EventType> = outbox_event::Entity::find()
            .filter(outbox_event::Column::Id.is_in(items.iter().map(|d| d.event_id)))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|e| (e.id, *e.event_type))
            .collect();
        Ok(items
            .into_iter()
            .filter_map(|d| {
                let t = types.get(&d.event_id).copied()?;
                Some((d, t))
            })
            .collect())
    }

    /// A delivery with its event and its attempts in order.
    pub async fn get_webhook_delivery(
        &self,
        id: Uuid,
    ) -> StoreResult<
        Option<(
            webhook_delivery::Model,
            outbox_event::Model,
            Vec<webhook_attempt::Model>,
        )>,
    > {
        let Some(d) = webhook_delivery::Entity::find_by_id(id)
            .one(&self.db)
            .await?
        else {
            return Ok(None);
        };
        let event = outbox_event::Entity::find_by_id(d.event_id)
            .one(&self.db)
            .await?
            .ok_or(StoreError::NotFound)?;
        let attempts = webhook_attempt::Entity::find()
            .filter(webhook_attempt::Column::DeliveryId.eq(id))
            .order_by_asc(webhook_attempt::Column::Number)
            .all(&self.db)
            .await?;
        Ok(Some((d, event, attempts)))
    }

    /// Sends a delivered or failed delivery's event again, as a new delivery (the event id
    /// stays the same, so receivers that deduplicate see it once).
    pub async fn replay_webhook_delivery(
        &self,
        d: &webhook_delivery::Model,
        now: DateTime<Utc>,
    ) -> StoreResult<webhook_delivery::Model> {
        if d.status == DeliveryStatus::Pending {
            return Err(StoreError::Conflict {
                code: ProblemCode::DeliveryPending,
                message: "this delivery is still being attempted".into(),
            });
        }
        Ok(new_delivery(d.endpoint_id, d.event_id, Some(d.id), now)
            .insert(&self.db)
            .await?)
    }
}

fn new_delivery(
    endpoint: Uuid,
    event: Uuid,
    replay_of: Option<Uuid>,
    now: DateTime<Utc>,
) -> webhook_delivery::ActiveModel {
    webhook_delivery::ActiveModel {
        id: Set(Uuid::now_v7()),
        endpoint_id: Set(endpoint),
        event_id: Set(event),
        status: Set(DeliveryStatus::Pending.into()),
        attempts: Set(0),
        next_attempt_at: Set(Some(now)),
        first_attempt_at: Set(None),
        last_attempt_at: Set(None),
        last_status_code: Set(None),
        last_error: Set(None),
        delivered_at: Set(None),
        created_at: Set(now),
        replay_of: Set(replay_of),
    }
}
