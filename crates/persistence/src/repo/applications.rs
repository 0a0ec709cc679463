//! Programme calls and applications (rules 32-38).
//!
//! Every state change of an application runs in a transaction that locks the application
//! row (`FOR UPDATE` on PostgreSQL; SQLite serialises writers), checks the state it starts
//! from, and records the change with who, when and why. An endorsement also locks the call
//! row first, so the per-province quota is counted by one endorser at a time.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, DatabaseTransaction, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Set, TransactionTrait,
};
use uuid::Uuid;
use zhihui_domain::ProblemCode;
use zhihui_domain::{ApplicationEvent, ApplicationStatus};

use super::Actor;
use crate::entities::{
    application, application_event, attachment, call, review, reviewer_assignment,
};
use crate::repo::webhooks::emit;
use crate::{Store, StoreError, StoreResult};
use zhihui_domain::integration::EventType;

/// A call's settings (a whole replacement on update; the handler merges).
pub struct CallContent {
    pub programme: String,
    pub sub_project: String,
    pub year: i32,
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    pub eligible_categories: String,
    pub form_variant: zhihui_domain::FormVariant,
    pub cap_fen: i64,
    pub pairing_required: bool,
    pub endorsement_required: bool,
    pub province_quota: i32,
    pub summary_due: NaiveDate,
    pub criteria: String,
}

/// An application's editable content (a whole replacement; the handler merges).
pub struct ApplicationContent {
    pub title: String,
    pub summary: String,
    pub objectives: String,
    pub activities: String,
    pub budget: String,
    pub requested_fen: i64,
    pub pairing_id: Option<Uuid>,
    pub provincial_partner_id: Option<Uuid>,
    pub provincial_partner_role: Option<String>,
    /// JSON with phones already encrypted.
    pub contacts: String,
}

#[derive(Default, Clone)]
pub struct ApplicationFilter {
    pub call_id: Option<Uuid>,
    pub status: Option<ApplicationStatus>,
    pub province_code: Option<String>,
    pub applicant_id: Option<Uuid>,
    /// What a caller who is not a platform admin may see (any of it); `None`: everything.
    pub scope: Option<Scope>,
    pub before: Option<Uuid>,
    pub limit: u64,
}

/// The applications a caller may see: their organisations' own, their provinces' from
/// submission on (provincial associations), and those assigned to them for review.
#[derive(Default, Clone)]
pub struct Scope {
    pub applicants: Vec<Uuid>,
    pub provinces: Vec<String>,
    pub reviewer: Option<Uuid>,
}

/// A new attachment's description; the bytes are already stored by their hash.
pub struct NewAttachment {
    pub sha256: String,
    pub size: i64,
    pub media_type: String,
    pub file_name: String,
}

fn status_conflict(cur: ApplicationStatus, from: &[ApplicationStatus]) -> StoreError {
    StoreError::Conflict {
        code: ProblemCode::ApplicationStatus,
        message: format!(
            "the application is {cur}; this needs it to be {}",
            from.iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(" or ")
        ),
    }
}

fn event(
    application_id: Uuid,
    action: ApplicationEvent,
    actor: &Actor,
    note: Option<String>,
    now: DateTime<Utc>,
) -> application_event::ActiveModel {
    application_event::ActiveModel {
        id: Set(Uuid::now_v7()),
        application_id: Set(application_id),
        action: Set(action.into()),
        actor_id: Set(actor.account_id),
        actor_name: Set(actor.name.clone()),
        at: Set(now),
        note: Set(note),
    }
}

/// What a change sets on the application.
pub enum Apply {
    /// A draft's new content.
    Content(ApplicationContent),
    Submit,
    Endorse {
        note: Option<String>,
    },
    DeclineEndorsement {
        reason: String,
    },
    /// Approve or reject.
    Decide {
        to: ApplicationStatus,
        granted_fen: Option<i64>,
        reason: Option<String>,
    },
    /// Back to draft for revision; the endorsement lapses.
    Return {
        reason: String,
        revision_deadline: Option<DateTime<Utc>>,
    },
    Summary {
        text: String,
        late: bool,
    },
}

fn apply(m: &mut application::ActiveModel, a: Apply, by: Uuid, now: DateTime<Utc>) {
    let status = |s: ApplicationStatus| Set(s.into());
    match a {
        Apply::Content(c) => {
            m.title = Set(c.title);
            m.summary = Set(c.summary);
            m.objectives = Set(c.objectives);
            m.activities = Set(c.activities);
            m.budget = Set(c.budget);
            m.requested_fen = Set(c.requested_fen);
            m.pairing_id = Set(c.pairing_id);
            m.provincial_partner_id = Set(c.provincial_partner_id);
            m.provincial_partner_role = Set(c.provincial_partner_role);
            m.contacts = Set(c.contacts);
        }
        Apply::Submit => {
            m.status = status(ApplicationStatus::Submitted);
            m.submitted_at = Set(Some(now));
        }
        Apply::Endorse { note } => {
            m.status = status(ApplicationStatus::Endorsed);
            m.endorsed_at = Set(Some(now));
            m.endorsed_by = Set(Some(by));
            m.endorsement_note = Set(note);
        }
        Apply::DeclineEndorsement { reason } => {
            m.status = status(ApplicationStatus::EndorsementDeclined);
            m.endorsement_note = Set(Some(reason));
        }
        Apply::Decide {
            to,
            granted_fen,
            reason,
        } => {
            m.status = status(to);
            m.decided_at = Set(Some(now));
            m.decided_by = Set(Some(by));
            m.decision_reason = Set(reason);
            m.granted_fen = Set(granted_fen);
        }
        Apply::Return {
            reason,
            revision_deadline,
        } => {
            m.status = status(ApplicationStatus::Draft);
            m.return_reason = Set(Some(reason));
            m.revision_deadline = Set(revision_deadline);
            m.endorsed_at = Set(None);
            m.endorsed_by = Set(None);
            m.endorsement_note = Set(None);
        }
        Apply::Summary { text, late } => {
            m.summary_text = Set(Some(text));
            m.summary_submitted_at = Set(Some(now));
            m.summary_late = Set(Some(late));
        }
    }
}

/// A reviewer's scores (JSON), their weighted total × 100, and comment.
pub struct ReviewInput {
    pub reviewer: Uuid,
    pub scores: String,
    pub weighted_hundredths: i32,
    pub comment: String,
}

/// A state change: the states it may start from, what it records, and what it sets.
pub struct Change<'a> {
    pub from: &'a [ApplicationStatus],
    pub expected_version: Option<i32>,
    pub action: ApplicationEvent,
    pub note: Option<String>,
    pub now: DateTime<Utc>,
}

impl Store {
    pub async fn create_call(
        &self,
        c: CallContent,
        by: Uuid,
        now: DateTime<Utc>,
    ) -> StoreResult<call::Model> {
        Ok(call::ActiveModel {
            id: Set(Uuid::now_v7()),
            programme: Set(c.programme),
            sub_project: Set(c.sub_project),
            year: Set(c.year),
            opens_at: Set(c.opens_at),
            closes_at: Set(c.closes_at),
            eligible_categories: Set(c.eligible_categories),
            form_variant: Set(c.form_variant.into()),
            cap_fen: Set(c.cap_fen),
            pairing_required: Set(c.pairing_required),
            endorsement_required: Set(c.endorsement_required),
            province_quota: Set(c.province_quota),
            summary_due: Set(c.summary_due),
            criteria: Set(c.criteria),
            created_by: Set(by),
            created_at: Set(now),
            updated_at: Set(now),
            version: Set(1),
        }
        .insert(&self.db)
        .await?)
    }

    pub async fn update_call(
        &self,
        id: Uuid,
        expected_version: Option<i32>,
        c: CallContent,
        now: DateTime<Utc>,
    ) -> StoreResult<call::Model> {
        let txn = self.db.begin().await?;
        let cur = self.lock_call(&txn, id).await?;
        if expected_version.is_some_and(|v| v != cur.version) {
            return Err(StoreError::VersionMismatch);
        }
        let mut m: call::ActiveModel = cur.clone().into();
        m.programme = Set(c.programme);
        m.sub_project = Set(c.sub_project);
        m.year = Set(c.year);
        m.opens_at = Set(c.opens_at);
        m.closes_at = Set(c.closes_at);
        m.eligible_categories = Set(c.eligible_categories);
        m.form_variant = Set(c.form_variant.into());
        m.cap_fen = Set(c.cap_fen);
        m.pairing_required = Set(c.pairing_required);
        m.endorsement_required = Set(c.endorsement_required);
        m.province_quota = Set(c.province_quota);
        m.summary_due = Set(c.summary_due);
        m.criteria = Set(c.criteria);
        m.updated_at = Set(now);
        m.version = Set(cur.version + 1);
        let out = m.update(&txn).await?;
        txn.commit().await?;
        Ok(out)
    }

    async fn lock_call(&self, txn: &DatabaseTransaction, id: Uuid) -> StoreResult<call::Model> {
        let mut q = call::Entity::find_by_id(id);
        if self.is_postgres() {
            q = q.lock_exclusive();
        }
        q.one(txn).await?.ok_or(StoreError::NotFound)
    }

    pub async fn get_call(&self, id: Uuid) -> StoreResult<Option<call::Model>> {
        Ok(call::Entity::find_by_id(id).one(&self.db).await?)
    }

    /// Calls of a year (or all), at most 500; the handler orders them open first.
    pub async fn list_calls(&self, year: Option<i32>) -> StoreResult<Vec<call::Model>> {
        let mut q = call::Entity::find();
        if let Some(y) = year {
            q = q.filter(call::Column::Year.eq(y));
        }
        // Calls are published by platform admins, a few a year: all of a year (or all) are
        // read and ordered by their state, which depends on the hour.
        Ok(q.order_by_asc(call::Column::ClosesAt).all(&self.db).await?)
    }

    pub async fn create_application(
        &self,
        call_id: Uuid,
        applicant_id: Uuid,
        province_code: String,
        c: ApplicationContent,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> StoreResult<application::Model> {
        let txn = self.db.begin().await?;
        let id = Uuid::now_v7();
        let m = application::ActiveModel {
            id: Set(id),
            call_id: Set(call_id),
            applicant_id: Set(applicant_id),
            province_code: Set(province_code),
            title: Set(c.title),
            summary: Set(c.summary),
            objectives: Set(c.objectives),
            activities: Set(c.activities),
            budget: Set(c.budget),
            requested_fen: Set(c.requested_fen),
            pairing_id: Set(c.pairing_id),
            provincial_partner_id: Set(c.provincial_partner_id),
            provincial_partner_role: Set(c.provincial_partner_role),
            contacts: Set(c.contacts),
            status: Set(ApplicationStatus::Draft.into()),
            return_reason: Set(None),
            revision_deadline: Set(None),
            submitted_at: Set(None),
            endorsed_at: Set(None),
            endorsed_by: Set(None),
            endorsement_note: Set(None),
            decided_at: Set(None),
            decided_by: Set(None),
            decision_reason: Set(None),
            granted_fen: Set(None),
            summary_text: Set(None),
            summary_submitted_at: Set(None),
            summary_late: Set(None),
            created_by: Set(actor.account_id),
            created_at: Set(now),
            updated_at: Set(now),
            version: Set(1),
        }
        .insert(&txn)
        .await
        .map_err(|e| match StoreError::from(e) {
            StoreError::Conflict { .. } => StoreError::Conflict {
                code: ProblemCode::ApplicationExists,
                message: "the organisation already has an application to this call".into(),
            },
            other => other,
        })?;
        event(id, ApplicationEvent::Created, actor, None, now)
            .insert(&txn)
            .await?;
        txn.commit().await?;
        Ok(m)
    }

    async fn lock_application(
        &self,
        txn: &DatabaseTransaction,
        id: Uuid,
    ) -> StoreResult<application::Model> {
        let mut q = application::Entity::find_by_id(id);
        if self.is_postgres() {
            q = q.lock_exclusive();
        }
        q.one(txn).await?.ok_or(StoreError::NotFound)
    }

    /// Applies a state change (or an edit) under the row lock, if the application is in one
    /// of `change.from` and at the expected version; records it in the history.
    pub async fn change_application(
        &self,
        id: Uuid,
        change: Change<'_>,
        actor: &Actor,
        what: Apply,
    ) -> StoreResult<application::Model> {
        let txn = self.db.begin().await?;
        let cur = self.lock_application(&txn, id).await?;
        let out = self.change_locked(&txn, cur, change, actor, what).await?;
        txn.commit().await?;
        Ok(out)
    }

    async fn change_locked(
        &self,
        txn: &DatabaseTransaction,
        cur: application::Model,
        change: Change<'_>,
        actor: &Actor,
        what: Apply,
    ) -> StoreResult<application::Model> {
        if change.expected_version.is_some_and(|v| v != cur.version) {
            return Err(StoreError::VersionMismatch);
        }
        let status = *cur.status;
        if !change.from.contains(&status) {
            return Err(status_conflict(*cur.status, change.from));
        }
        let announced = match &what {
            Apply::Submit => Some(EventType::ApplicationSubmitted),
            Apply::Endorse { .. } => Some(EventType::ApplicationEndorsed),
            Apply::Decide { .. } | Apply::Return { .. } => Some(EventType::ApplicationDecided),
            _ => None,
        };
        let mut m: application::ActiveModel = cur.clone().into();
        apply(&mut m, what, actor.account_id, change.now);
        m.updated_at = Set(change.now);
        m.version = Set(cur.version + 1);
        let out = m.update(txn).await?;
        if let Some(kind) = announced {
            let resource =
                super::webhooks::resource_value(&zhihui_contract::events::ApplicationResource {
                    kind: "application".into(),
                    id: out.id,
                    call_id: out.call_id,
                    applicant_id: out.applicant_id,
                    province_code: out.province_code.clone(),
                    title: out.title.clone(),
                    status: *out.status,
                    requested_fen: out.requested_fen,
                    granted_fen: out.granted_fen,
                    endorsed_at: out.endorsed_at,
                    note: change.note.clone(),
                    href: format!("/api/v1/applications/{}", out.id),
                });
            emit(txn, kind, &[out.applicant_id], resource, change.now).await?;
        }
        event(cur.id, change.action, actor, change.note, change.now)
            .insert(txn)
            .await?;
        Ok(out)
    }

    /// Endorses a submitted application if its province has endorsed fewer than `quota`
    /// applications to the call. The call row is locked first: racing endorsers queue.
    pub async fn endorse_application(
        &self,
        id: Uuid,
        quota: i64,
        change: Change<'_>,
        actor: &Actor,
    ) -> StoreResult<application::Model> {
        let txn = self.db.begin().await?;
        let unlocked = application::Entity::find_by_id(id)
            .one(&txn)
            .await?
            .ok_or(StoreError::NotFound)?;
        self.lock_call(&txn, unlocked.call_id).await?;
        let cur = self.lock_application(&txn, id).await?;
        let endorsed = application::Entity::find()
            .filter(application::Column::CallId.eq(cur.call_id))
            .filter(application::Column::ProvinceCode.eq(cur.province_code.clone()))
            .filter(application::Column::EndorsedAt.is_not_null())
            .count(&txn)
            .await? as i64;
        if !zhihui_domain::application::quota_allows(endorsed, quota) {
            return Err(StoreError::Conflict {
                code: ProblemCode::EndorsementQuotaReached,
                message: format!(
                    "the province has endorsed {endorsed} of its {quota} applications to this call"
                ),
            });
        }
        let note = change.note.clone();
        let out = self
            .change_locked(&txn, cur, change, actor, Apply::Endorse { note })
            .await?;
        txn.commit().await?;
        Ok(out)
    }

    pub async fn get_application(&self, id: Uuid) -> StoreResult<Option<application::Model>> {
        Ok(application::Entity::find_by_id(id).one(&self.db).await?)
    }

    pub async fn application_events(&self, id: Uuid) -> StoreResult<Vec<application_event::Model>> {
        Ok(application_event::Entity::find()
            .filter(application_event::Column::ApplicationId.eq(id))
            .order_by_asc(application_event::Column::At)
            .order_by_asc(application_event::Column::Id)
            .all(&self.db)
            .await?)
    }

    /// Applications newest first.
    pub async fn list_applications(
        &self,
        f: ApplicationFilter,
    ) -> StoreResult<Vec<application::Model>> {
        use application::Column as C;
        let mut q = application::Entity::find();
        if let Some(c) = f.call_id {
            q = q.filter(C::CallId.eq(c));
        }
        if let Some(s) = f.status {
            q = q.filter(C::Status.eq(s.as_str()));
        }
        if let Some(p) = f.province_code {
            q = q.filter(C::ProvinceCode.eq(p));
        }
        if let Some(a) = f.applicant_id {
            q = q.filter(C::ApplicantId.eq(a));
        }
        if let Some(scope) = f.scope {
            let mut any = Condition::any().add(C::ApplicantId.is_in(scope.applicants));
            if !scope.provinces.is_empty() {
                any = any.add(
                    Condition::all()
                        .add(C::ProvinceCode.is_in(scope.provinces))
                        .add(C::SubmittedAt.is_not_null()),
                );
            }
            if let Some(r) = scope.reviewer {
                let assigned: Vec<Uuid> = reviewer_assignment::Entity::find()
                    .select_only()
                    .column(reviewer_assignment::Column::ApplicationId)
                    .filter(reviewer_assignment::Column::ReviewerId.eq(r))
                    .into_tuple()
                    .all(&self.db)
                    .await?;
                any = any.add(C::Id.is_in(assigned));
            }
            q = q.filter(any);
        }
        if let Some(b) = f.before {
            q = q.filter(C::Id.lt(b));
        }
        Ok(q.order_by_desc(C::Id).limit(f.limit).all(&self.db).await?)
    }

    pub async fn add_attachment(
        &self,
        application_id: Uuid,
        a: NewAttachment,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> StoreResult<attachment::Model> {
        let txn = self.db.begin().await?;
        let cur = self.lock_application(&txn, application_id).await?;
        if cur.status != ApplicationStatus::Draft {
            return Err(status_conflict(*cur.status, &[ApplicationStatus::Draft]));
        }
        let m = attachment::ActiveModel {
            id: Set(Uuid::now_v7()),
            application_id: Set(application_id),
            sha256: Set(a.sha256),
            size: Set(a.size),
            media_type: Set(a.media_type),
            file_name: Set(a.file_name.clone()),
            uploaded_by: Set(actor.account_id),
            uploaded_at: Set(now),
        }
        .insert(&txn)
        .await?;
        event(
            application_id,
            ApplicationEvent::AttachmentAdded,
            actor,
            Some(a.file_name),
            now,
        )
        .insert(&txn)
        .await?;
        txn.commit().await?;
        Ok(m)
    }

    pub async fn attachments_of(
        &self,
        application_id: Uuid,
    ) -> StoreResult<Vec<attachment::Model>> {
        Ok(attachment::Entity::find()
            .filter(attachment::Column::ApplicationId.eq(application_id))
            .order_by_asc(attachment::Column::UploadedAt)
            .all(&self.db)
            .await?)
    }

    pub async fn get_attachment(&self, id: Uuid) -> StoreResult<Option<attachment::Model>> {
        Ok(attachment::Entity::find_by_id(id).one(&self.db).await?)
    }

    /// Adds reviewers (already assigned ones stay); returns all assigned.
    pub async fn assign_reviewers(
        &self,
        application_id: Uuid,
        reviewers: &[Uuid],
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> StoreResult<Vec<reviewer_assignment::Model>> {
        let txn = self.db.begin().await?;
        self.lock_application(&txn, application_id).await?;
        let existing: Vec<Uuid> = reviewer_assignment::Entity::find()
            .select_only()
            .column(reviewer_assignment::Column::ReviewerId)
            .filter(reviewer_assignment::Column::ApplicationId.eq(application_id))
            .into_tuple()
            .all(&txn)
            .await?;
        let mut added = 0;
        for r in reviewers {
            if existing.contains(r) {
                continue;
            }
            reviewer_assignment::ActiveModel {
                application_id: Set(application_id),
                reviewer_id: Set(*r),
                assigned_at: Set(now),
            }
            .insert(&txn)
            .await?;
            added += 1;
        }
        if added > 0 {
            event(
                application_id,
                ApplicationEvent::ReviewersAssigned,
                actor,
                Some(format!("{added}")),
                now,
            )
            .insert(&txn)
            .await?;
        }
        let all = reviewer_assignment::Entity::find()
            .filter(reviewer_assignment::Column::ApplicationId.eq(application_id))
            .all(&txn)
            .await?;
        txn.commit().await?;
        Ok(all)
    }

    pub async fn reviewers_of(
        &self,
        application_id: Uuid,
    ) -> StoreResult<Vec<reviewer_assignment::Model>> {
        Ok(reviewer_assignment::Entity::find()
            .filter(reviewer_assignment::Column::ApplicationId.eq(application_id))
            .order_by_asc(reviewer_assignment::Column::AssignedAt)
            .all(&self.db)
            .await?)
    }

    /// Creates or replaces the reviewer's review while the application awaits its decision.
    pub async fn put_review(
        &self,
        application_id: Uuid,
        r: ReviewInput,
        open: &[ApplicationStatus],
        now: DateTime<Utc>,
    ) -> StoreResult<review::Model> {
        let ReviewInput {
            reviewer,
            scores,
            weighted_hundredths,
            comment,
        } = r;
        let txn = self.db.begin().await?;
        let cur = self.lock_application(&txn, application_id).await?;
        let status = *cur.status;
        if !open.contains(&status) {
            return Err(StoreError::Conflict {
                code: ProblemCode::ReviewClosed,
                message: format!("the application is {}; reviews are closed", cur.status),
            });
        }
        let existing = review::Entity::find()
            .filter(review::Column::ApplicationId.eq(application_id))
            .filter(review::Column::ReviewerId.eq(reviewer))
            .one(&txn)
            .await?;
        let out = match existing {
            Some(r) => {
                let mut m: review::ActiveModel = r.into();
                m.scores = Set(scores);
                m.weighted_hundredths = Set(weighted_hundredths);
                m.comment = Set(comment);
                m.updated_at = Set(now);
                m.update(&txn).await?
            }
            None => {
                review::ActiveModel {
                    id: Set(Uuid::now_v7()),
                    application_id: Set(application_id),
                    reviewer_id: Set(reviewer),
                    scores: Set(scores),
                    weighted_hundredths: Set(weighted_hundredths),
                    comment: Set(comment),
                    submitted_at: Set(now),
                    updated_at: Set(now),
                }
                .insert(&txn)
                .await?
            }
        };
        txn.commit().await?;
        Ok(out)
    }

    pub async fn reviews_of(&self, application_id: Uuid) -> StoreResult<Vec<review::Model>> {
        Ok(review::Entity::find()
            .filter(review::Column::ApplicationId.eq(application_id))
            .order_by_asc(review::Column::SubmittedAt)
            .order_by_asc(review::Column::Id)
            .all(&self.db)
            .await?)
    }

    /// Weighted averages of many applications' reviews, in hundredths: id to (sum, count).
    pub async fn review_totals(
        &self,
        ids: &[Uuid],
    ) -> StoreResult<std::collections::HashMap<Uuid, (i64, i64)>> {
        if ids.is_empty() {
            return Ok(Default::default());
        }
        let rows: Vec<(Uuid, i32)> = review::Entity::find()
            .select_only()
            .column(review::Column::ApplicationId)
            .column(review::Column::WeightedHundredths)
            .filter(review::Column::ApplicationId.is_in(ids.to_vec()))
            .into_tuple()
            .all(&self.db)
            .await?;
        let mut out = std::collections::HashMap::new();
        for (id, w) in rows {
            let e = out.entry(id).or_insert((0i64, 0i64));
            e.0 += i64::from(w);
            e.1 += 1;
        }
        Ok(out)
    }
}
