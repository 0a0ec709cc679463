//! Pairing letters and pairings (rules 27-31).
//!
//! Every change to a letter runs in a transaction that locks the letter row (`FOR UPDATE`
//! on PostgreSQL; SQLite serialises writers), so two answers to one letter cannot both
//! succeed. An acceptance also locks the sending society's row: two letters between the
//! same organisations accepted at once are checked for overlap one after the other.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, DatabaseTransaction, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set, TransactionTrait,
};
use uuid::Uuid;
use zhihui_domain::pairing::{effective_status, proof_number, transition};
use zhihui_domain::ProblemCode;
use zhihui_domain::{LetterAction, LetterEvent, LetterStatus};

use super::Actor;
use crate::entities::{
    organization, organization_closure, pairing, pairing_letter, pairing_letter_event,
};
use crate::repo::webhooks::{emit, resource_value};
use crate::{Store, StoreError, StoreResult};
use zhihui_contract::events::{PairingLetterResource, PairingReference};
use zhihui_domain::integration::EventType;

/// A letter as webhooks carry it (never the contact phone).
pub(crate) fn letter_resource(
    l: &pairing_letter::Model,
    status: LetterStatus,
    pairing: Option<&pairing::Model>,
    answer_due_at: Option<DateTime<Utc>>,
) -> serde_json::Value {
    resource_value(&PairingLetterResource {
        kind: "pairing_letter".into(),
        id: l.id,
        sender_id: l.sender_id,
        recipient_id: l.recipient_id,
        subject: l.subject.clone(),
        status,
        period_from: l.period_from,
        period_to: l.period_to,
        sent_at: l.sent_at,
        answer_due_at,
        answered_at: l.answered_at,
        pairing: pairing.map(|p| PairingReference {
            id: p.id,
            proof_number: p.proof_number.clone(),
            href: format!("/api/v1/pairings/{}", p.id),
        }),
        href: format!("/api/v1/pairing-letters/{}", l.id),
    })
}

/// The editable content of a letter (a whole replacement; the handler merges updates).
pub struct LetterContent {
    pub recipient_id: Uuid,
    pub subject: String,
    pub purpose: String,
    /// JSON array of the proposed activities.
    pub activities: String,
    pub period_from: NaiveDate,
    pub period_to: NaiveDate,
    pub contact_name: String,
    pub contact_phone: String,
    pub contact_phone_masked: String,
}

/// A state change requested on a letter.
pub struct LetterStep {
    pub action: LetterAction,
    pub expected_version: Option<i32>,
    /// Accept: the optional note; decline: the reason.
    pub note: Option<String>,
    pub answer_days: i64,
    pub now: DateTime<Utc>,
    /// Today in China, for the pairing's year and whether earlier pairings have ended.
    pub today: NaiveDate,
}

#[derive(Default)]
pub struct LetterFilter {
    /// Letters sent by these organisations (drafts included).
    pub senders: Option<Vec<Uuid>>,
    /// Letters received by these organisations (never drafts).
    pub recipients: Option<Vec<Uuid>>,
    /// Leaves drafts out (an unscoped list: drafts belong to their sender).
    pub hide_drafts: bool,
    /// Effective status; `sent` and `expired` are told apart with the clock.
    pub status: Option<LetterStatus>,
    pub answer_days: i64,
    pub now: Option<DateTime<Utc>>,
    /// Keyset position: the id of the last letter of the previous page (newest first).
    pub before: Option<Uuid>,
    pub limit: u64,
}

#[derive(Default)]
pub struct PairingFilter {
    /// Pairings where one of these organisations is a party; `None`: all.
    pub parties: Option<Vec<Uuid>>,
    /// Where the pairings stand as of `today` (`PairingState::on`).
    pub status: Option<zhihui_domain::PairingState>,
    pub today: Option<NaiveDate>,
    pub before: Option<Uuid>,
    pub limit: u64,
}

fn event(
    letter_id: Uuid,
    action: LetterEvent,
    actor: &Actor,
    note: Option<String>,
    now: DateTime<Utc>,
) -> pairing_letter_event::ActiveModel {
    pairing_letter_event::ActiveModel {
        id: Set(Uuid::now_v7()),
        letter_id: Set(letter_id),
        action: Set(action.into()),
        actor_id: Set(actor.account_id),
        actor_name: Set(actor.name.clone()),
        at: Set(now),
        note: Set(note),
    }
}

impl Store {
    async fn lock_letter(
        &self,
        txn: &DatabaseTransaction,
        id: Uuid,
    ) -> StoreResult<pairing_letter::Model> {
        let mut q = pairing_letter::Entity::find_by_id(id);
        if self.is_postgres() {
            q = q.lock_exclusive();
        }
        q.one(txn).await?.ok_or(StoreError::NotFound)
    }

    /// A pairing between the two organisations that has not ended by `today` and whose
    /// period overlaps `from..=to` (rule 30: one active pairing between the same two).
    async fn overlapping_pairing(
        &self,
        txn: &DatabaseTransaction,
        society: Uuid,
        county: Uuid,
        from: NaiveDate,
        to: NaiveDate,
        today: NaiveDate,
    ) -> StoreResult<Option<pairing::Model>> {
        Ok(pairing::Entity::find()
            .filter(pairing::Column::SocietyId.eq(society))
            .filter(pairing::Column::CountyId.eq(county))
            .filter(pairing::Column::PeriodTo.gte(today))
            .filter(pairing::Column::PeriodTo.gte(from))
            .filter(pairing::Column::PeriodFrom.lte(to))
            .one(txn)
            .await?)
    }

    fn already_paired(p: &pairing::Model) -> StoreError {
        StoreError::Conflict {
            code: ProblemCode::AlreadyPaired,
            message: format!(
                "the two organisations are already paired from {} to {} (proof {})",
                p.period_from, p.period_to, p.proof_number
            ),
        }
    }

    pub async fn create_pairing_letter(
        &self,
        sender_id: Uuid,
        c: LetterContent,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> StoreResult<pairing_letter::Model> {
        let txn = self.db.begin().await?;
        let id = Uuid::now_v7();
        let m = pairing_letter::ActiveModel {
            id: Set(id),
            sender_id: Set(sender_id),
            recipient_id: Set(c.recipient_id),
            subject: Set(c.subject),
            purpose: Set(c.purpose),
            activities: Set(c.activities),
            period_from: Set(c.period_from),
            period_to: Set(c.period_to),
            contact_name: Set(c.contact_name),
            contact_phone_enc: Set(self.crypto.encrypt(&c.contact_phone)),
            contact_phone_masked: Set(c.contact_phone_masked),
            status: Set(LetterStatus::Draft.into()),
            sent_at: Set(None),
            answered_at: Set(None),
            answer_note: Set(None),
            decline_reason: Set(None),
            created_by: Set(actor.account_id),
            created_at: Set(now),
            updated_at: Set(now),
            version: Set(1),
            expiry_announced_at: Set(None),
        }
        .insert(&txn)
        .await?;
        event(id, LetterEvent::Created, actor, None, now)
            .insert(&txn)
            .await?;
        txn.commit().await?;
        Ok(m)
    }

    /// Replaces a draft's content if the stored version is `expected_version` (when given).
    pub async fn update_pairing_letter(
        &self,
        id: Uuid,
        expected_version: Option<i32>,
        c: LetterContent,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> StoreResult<pairing_letter::Model> {
        let txn = self.db.begin().await?;
        let cur = self.lock_letter(&txn, id).await?;
        if expected_version.is_some_and(|v| v != cur.version) {
            return Err(StoreError::VersionMismatch);
        }
        let stored = *cur.status;
        transition(stored, LetterAction::Update).map_err(|e| StoreError::Conflict {
            code: e.code,
            message: e.message,
        })?;
        let mut m: pairing_letter::ActiveModel = cur.clone().into();
        m.recipient_id = Set(c.recipient_id);
        m.subject = Set(c.subject);
        m.purpose = Set(c.purpose);
        m.activities = Set(c.activities);
        m.period_from = Set(c.period_from);
        m.period_to = Set(c.period_to);
        m.contact_name = Set(c.contact_name);
        m.contact_phone_enc = Set(self.crypto.encrypt(&c.contact_phone));
        m.contact_phone_masked = Set(c.contact_phone_masked);
        m.updated_at = Set(now);
        m.version = Set(cur.version + 1);
        let out = m.update(&txn).await?;
        event(id, LetterEvent::Updated, actor, None, now)
            .insert(&txn)
            .await?;
        txn.commit().await?;
        Ok(out)
    }

    /// Sends, withdraws, accepts or declines a letter. The letter's effective state (a sent
    /// letter past its deadline is expired) decides what is allowed. Acceptance creates the
    /// pairing with the next proof number.
    pub async fn act_on_pairing_letter(
        &self,
        id: Uuid,
        step: LetterStep,
        actor: &Actor,
    ) -> StoreResult<(pairing_letter::Model, Option<pairing::Model>)> {
        let txn = self.db.begin().await?;
        let cur = self.lock_letter(&txn, id).await?;
        if step.expected_version.is_some_and(|v| v != cur.version) {
            return Err(StoreError::VersionMismatch);
        }
        let stored = *cur.status;
        let from = effective_status(stored, cur.sent_at, step.now, step.answer_days);
        let to = transition(from, step.action).map_err(|e| StoreError::Conflict {
            code: e.code,
            message: e.message,
        })?;
        let mut created = None;
        if matches!(step.action, LetterAction::Send | LetterAction::Accept) {
            if step.action == LetterAction::Accept {
                // Serialise acceptances between the same society and county.
                let mut q = organization::Entity::find_by_id(cur.sender_id);
                if self.is_postgres() {
                    q = q.lock_exclusive();
                }
                q.one(&txn).await?.ok_or(StoreError::NotFound)?;
            }
            if let Some(p) = self
                .overlapping_pairing(
                    &txn,
                    cur.sender_id,
                    cur.recipient_id,
                    cur.period_from,
                    cur.period_to,
                    step.today,
                )
                .await?
            {
                return Err(Self::already_paired(&p));
            }
        }
        if step.action == LetterAction::Accept {
            let seq = self.reserve_counter(&txn, "pairing_proof", 1).await?;
            let p = pairing::ActiveModel {
                id: Set(Uuid::now_v7()),
                letter_id: Set(cur.id),
                society_id: Set(cur.sender_id),
                county_id: Set(cur.recipient_id),
                proof_number: Set(proof_number(chrono::Datelike::year(&step.today), seq)),
                period_from: Set(cur.period_from),
                period_to: Set(cur.period_to),
                created_at: Set(step.now),
            }
            .insert(&txn)
            .await?;
            created = Some(p);
        }
        let mut m: pairing_letter::ActiveModel = cur.clone().into();
        m.status = Set(to.into());
        match step.action {
            LetterAction::Send => m.sent_at = Set(Some(step.now)),
            LetterAction::Accept => {
                m.answered_at = Set(Some(step.now));
                m.answer_note = Set(step.note.clone());
            }
            LetterAction::Decline => {
                m.answered_at = Set(Some(step.now));
                m.decline_reason = Set(step.note.clone());
            }
            _ => {}
        }
        m.updated_at = Set(step.now);
        m.version = Set(cur.version + 1);
        let out = m.update(&txn).await?;
        event(id, LetterEvent::of(step.action), actor, step.note, step.now)
            .insert(&txn)
            .await?;
        let announced = match step.action {
            LetterAction::Send => Some(EventType::PairingLetterSent),
            LetterAction::Accept => Some(EventType::PairingLetterAccepted),
            LetterAction::Decline => Some(EventType::PairingLetterDeclined),
            _ => None,
        };
        if let Some(kind) = announced {
            let due = out
                .sent_at
                .map(|s| zhihui_domain::pairing::answer_due(s, step.answer_days));
            emit(
                &txn,
                kind,
                &[out.sender_id, out.recipient_id],
                letter_resource(&out, *out.status, created.as_ref(), due),
                step.now,
            )
            .await?;
        }
        txn.commit().await?;
        Ok((out, created))
    }

    pub async fn get_pairing_letter(&self, id: Uuid) -> StoreResult<Option<pairing_letter::Model>> {
        Ok(pairing_letter::Entity::find_by_id(id).one(&self.db).await?)
    }

    pub async fn pairing_letter_events(
        &self,
        letter_id: Uuid,
    ) -> StoreResult<Vec<pairing_letter_event::Model>> {
        Ok(pairing_letter_event::Entity::find()
            .filter(pairing_letter_event::Column::LetterId.eq(letter_id))
            .order_by_asc(pairing_letter_event::Column::At)
            .order_by_asc(pairing_letter_event::Column::Id)
            .all(&self.db)
            .await?)
    }

    /// Letters newest first: an outbox (drafts included), an inbox (sent letters onwards),
    /// or both.
    pub async fn list_pairing_letters(
        &self,
        f: LetterFilter,
    ) -> StoreResult<Vec<pairing_letter::Model>> {
        use pairing_letter::Column as C;
        let mut q = pairing_letter::Entity::find();
        let mut boxes = Condition::any();
        let mut scoped = false;
        if let Some(s) = f.senders {
            scoped = true;
            boxes = boxes.add(C::SenderId.is_in(s));
        }
        if let Some(r) = f.recipients {
            scoped = true;
            boxes = boxes.add(
                Condition::all()
                    .add(C::RecipientId.is_in(r))
                    .add(C::Status.ne(LetterStatus::Draft.as_str())),
            );
        }
        if scoped {
            q = q.filter(boxes);
        }
        if f.hide_drafts {
            q = q.filter(C::Status.ne(LetterStatus::Draft.as_str()));
        }
        if let Some(st) = f.status {
            let now = f.now.unwrap_or_else(Utc::now);
            let deadline = now - Duration::days(f.answer_days);
            q = match st {
                LetterStatus::Sent => q
                    .filter(C::Status.eq(LetterStatus::Sent.as_str()))
                    .filter(C::SentAt.gte(deadline)),
                LetterStatus::Expired => q
                    .filter(C::Status.eq(LetterStatus::Sent.as_str()))
                    .filter(C::SentAt.lt(deadline)),
                other => q.filter(C::Status.eq(other.as_str())),
            };
        }
        if let Some(b) = f.before {
            q = q.filter(C::Id.lt(b));
        }
        Ok(q.order_by_desc(C::Id).limit(f.limit).all(&self.db).await?)
    }

    pub async fn get_pairing(&self, id: Uuid) -> StoreResult<Option<pairing::Model>> {
        Ok(pairing::Entity::find_by_id(id).one(&self.db).await?)
    }

    pub async fn pairing_by_proof(&self, proof: &str) -> StoreResult<Option<pairing::Model>> {
        Ok(pairing::Entity::find()
            .filter(pairing::Column::ProofNumber.eq(proof))
            .one(&self.db)
            .await?)
    }

    /// The pairings created by these letters: letter id to pairing.
    pub async fn pairings_of_letters(
        &self,
        letter_ids: &[Uuid],
    ) -> StoreResult<std::collections::HashMap<Uuid, pairing::Model>> {
        if letter_ids.is_empty() {
            return Ok(Default::default());
        }
        Ok(pairing::Entity::find()
            .filter(pairing::Column::LetterId.is_in(letter_ids.to_vec()))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|p| (p.letter_id, p))
            .collect())
    }

    /// Pairings newest first.
    pub async fn list_pairings(&self, f: PairingFilter) -> StoreResult<Vec<pairing::Model>> {
        use pairing::Column as C;
        let mut q = pairing::Entity::find();
        if let Some(p) = f.parties {
            q = q.filter(
                Condition::any()
                    .add(C::SocietyId.is_in(p.clone()))
                    .add(C::CountyId.is_in(p)),
            );
        }
        if let (Some(st), Some(today)) = (f.status, f.today) {
            use zhihui_domain::PairingState as S;
            q = match st {
                S::Upcoming => q.filter(C::PeriodFrom.gt(today)),
                S::Active => q
                    .filter(C::PeriodFrom.lte(today))
                    .filter(C::PeriodTo.gte(today)),
                S::Ended => q.filter(C::PeriodTo.lt(today)),
            };
        }
        if let Some(b) = f.before {
            q = q.filter(C::Id.lt(b));
        }
        Ok(q.order_by_desc(C::Id).limit(f.limit).all(&self.db).await?)
    }

    /// The organisation's ancestors (not itself), from the closure table.
    pub async fn ancestors(&self, org: &organization::Model) -> StoreResult<Vec<Uuid>> {
        Ok(organization_closure::Entity::find()
            .select_only()
            .column(organization_closure::Column::AncestorId)
            .filter(organization_closure::Column::DescendantId.eq(org.id))
            .filter(organization_closure::Column::Depth.gt(0))
            .order_by_asc(organization_closure::Column::Depth)
            .into_tuple()
            .all(&self.db)
            .await?)
    }
}
