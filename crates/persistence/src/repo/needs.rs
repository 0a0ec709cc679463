//! Needs (科普需求) and their matching, rules 46-53.
//!
//! Every step locks the need's row (`FOR UPDATE` on PostgreSQL; SQLite has one writer) and
//! checks the step against the need's effective state inside the transaction, so of two
//! teams claiming at once, or a claim racing a dispatch, one holds the need and the other
//! is refused with the state machine's conflict.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseTransaction, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect, Set, TransactionTrait,
};
use uuid::Uuid;
use zhihui_contract::activities::ActivityPlan;
use zhihui_contract::events::NeedResource;
use zhihui_domain::integration::EventType;
use zhihui_domain::need::{effective_status, need_transition, stored_as};
use zhihui_domain::{
    ActivityCategory, AudienceKind, NeedAction, NeedEvent, NeedStatus, PriorityArea,
};

use super::{region_prefix, Actor, Binder};
use crate::entities::{
    activity, need_event, organization, organization_closure, pairing, service_need,
};
use crate::repo::webhooks::{emit, resource_value};
use crate::{Store, StoreError, StoreResult};

/// A need as webhooks carry it (never the contact).
pub(crate) fn need_resource(n: &service_need::Model, status: NeedStatus) -> serde_json::Value {
    resource_value(&NeedResource {
        kind: "need".into(),
        id: n.id,
        requester_id: n.requester_id,
        holder_id: n.holder_id,
        title: n.title.clone(),
        category: *n.category,
        region_code: n.region_code.clone(),
        window_from: n.window_from,
        window_to: n.window_to,
        status,
        activity_id: n.activity_id,
        stars: n.stars,
        href: format!("/api/v1/needs/{}", n.id),
    })
}

/// The editable content of a need (a whole replacement; the handler merges updates).
pub struct NeedContent {
    pub title: String,
    pub description: String,
    pub category: ActivityCategory,
    /// JSON array of skill field values.
    pub skill_fields: String,
    /// JSON array of tags.
    pub skill_tags: String,
    pub audience: AudienceKind,
    pub audience_size: i32,
    pub place: String,
    pub region_code: String,
    pub window_from: NaiveDate,
    pub window_to: NaiveDate,
    pub priority_area: Option<PriorityArea>,
    pub contact_name: String,
    pub contact_phone: String,
    pub contact_phone_masked: String,
}

/// What a rating records.
pub struct NeedRatingRecord {
    pub stars: i32,
    pub people_reached: i32,
    pub comment: Option<String>,
}

/// A step requested on a need.
pub struct NeedStep {
    pub action: NeedAction,
    pub expected_version: Option<i32>,
    /// The team dispatched to (dispatch) or claiming (claim).
    pub team_id: Option<Uuid>,
    /// The dispatch note, the reason for declining or cancelling.
    pub note: Option<String>,
    pub now: DateTime<Utc>,
    /// Today in China: whether the window has passed, the day counts.
    pub today: NaiveDate,
    /// Rate: the rating.
    pub rating: Option<NeedRatingRecord>,
    /// Schedule: the team's draft activity and the pairing it serves under.
    pub activity: Option<(ActivityPlan, Uuid)>,
    pub pairing_id: Option<Uuid>,
    /// Organisations whose webhooks hear of the step besides the requester and the team:
    /// the requester's parent.
    pub also_tell: Vec<Uuid>,
}

#[derive(Default)]
pub struct NeedFilter {
    /// Effective status; needs that can expire are told apart with `today`.
    pub status: Option<NeedStatus>,
    /// Only these stored statuses (the public board: open ones).
    pub visible: Option<VisibleNeeds>,
    pub region_prefix: Option<String>,
    pub category: Option<ActivityCategory>,
    pub overlapping: Option<(Option<NaiveDate>, Option<NaiveDate>)>,
    pub requester_id: Option<Uuid>,
    pub holder_id: Option<Uuid>,
    pub today: Option<NaiveDate>,
    /// Keyset position: priority (1 first) and the id, newest first.
    pub after: Option<(i16, Uuid)>,
    pub limit: u64,
}

/// What a caller who is not a party may see of the needs.
pub struct VisibleNeeds {
    /// Open needs (the public board) are visible to everyone.
    pub open: bool,
    /// And every need of these organisations, as requester or holder.
    pub of: Vec<Uuid>,
    /// And every need posted within these region prefixes (an association's territory).
    pub regions: Vec<String>,
}

/// One team's record for the ranking.
#[derive(Debug, Clone, Default)]
pub struct TeamRecord {
    /// Needs dispatched to it, claimed or scheduled.
    pub open_commitments: u32,
    pub ratings: u32,
    pub stars_total: u32,
}

/// One row of the figures: grouped by child region.
#[derive(Debug, Clone, Default)]
pub struct NeedRegionRow {
    pub region_prefix: String,
    pub posted: u64,
    pub served: u64,
    pub unmet: u64,
    pub priority: u64,
    pub ratings: u64,
    pub stars_total: u64,
    /// (days from publishing to scheduling, how many needs).
    pub days: Vec<(i64, u64)>,
}

/// The figures of a scope (rule 53).
#[derive(Debug, Clone, Default)]
pub struct NeedRollupRows {
    pub by_region: Vec<NeedRegionRow>,
    /// (month, posted).
    pub posted_by_month: Vec<(String, u64)>,
    /// (month, served).
    pub served_by_month: Vec<(String, u64)>,
}

fn event(
    need_id: Uuid,
    action: NeedEvent,
    actor: &Actor,
    team_id: Option<Uuid>,
    note: Option<String>,
    now: DateTime<Utc>,
) -> need_event::ActiveModel {
    need_event::ActiveModel {
        id: Set(Uuid::now_v7()),
        need_id: Set(need_id),
        action: Set(action.into()),
        actor_id: Set(actor.account_id),
        actor_name: Set(actor.name.clone()),
        team_id: Set(team_id),
        at: Set(now),
        note: Set(note),
    }
}

fn set_content(m: &mut service_need::ActiveModel, c: NeedContent, store: &Store) {
    m.title = Set(c.title);
    m.description = Set(c.description);
    m.category = Set(c.category.into());
    m.skill_fields = Set(c.skill_fields);
    m.skill_tags = Set(c.skill_tags);
    m.audience = Set(c.audience.into());
    m.audience_size = Set(c.audience_size);
    m.place = Set(c.place);
    m.region_code = Set(c.region_code);
    m.window_from = Set(c.window_from);
    m.window_to = Set(c.window_to);
    m.priority = Set(i16::from(c.priority_area.is_some()));
    m.priority_area = Set(c.priority_area.map(Into::into));
    m.contact_name = Set(c.contact_name);
    m.contact_phone_enc = Set(store.crypto.encrypt(&c.contact_phone));
    m.contact_phone_masked = Set(c.contact_phone_masked);
}

/// `YYYY-MM` of an instant in China.
fn china_month(at: DateTime<Utc>) -> String {
    zhihui_domain::report::china_date(at)
        .format("%Y-%m")
        .to_string()
}

impl Store {
    async fn lock_need(
        &self,
        txn: &DatabaseTransaction,
        id: Uuid,
    ) -> StoreResult<service_need::Model> {
        let mut q = service_need::Entity::find_by_id(id);
        if self.is_postgres() {
            q = q.lock_exclusive();
        }
        q.one(txn).await?.ok_or(StoreError::NotFound)
    }

    pub async fn create_need(
        &self,
        requester_id: Uuid,
        county_id: Option<Uuid>,
        service_point_id: Option<Uuid>,
        c: NeedContent,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> StoreResult<service_need::Model> {
        let txn = self.db.begin().await?;
        let id = Uuid::now_v7();
        let mut m = service_need::ActiveModel {
            id: Set(id),
            requester_id: Set(requester_id),
            county_id: Set(county_id),
            status: Set(NeedStatus::Draft.into()),
            holder_id: Set(None),
            activity_id: Set(None),
            pairing_id: Set(None),
            published_at: Set(None),
            published_month: Set(None),
            scheduled_at: Set(None),
            days_to_schedule: Set(None),
            served_at: Set(None),
            served_month: Set(None),
            rated_at: Set(None),
            stars: Set(None),
            people_reached: Set(None),
            rating_comment: Set(None),
            cancel_reason: Set(None),
            expiry_announced_at: Set(None),
            service_point_id: Set(service_point_id),
            created_by: Set(actor.account_id),
            created_at: Set(now),
            updated_at: Set(now),
            version: Set(1),
            ..Default::default()
        };
        set_content(&mut m, c, self);
        let out = m.insert(&txn).await?;
        event(id, NeedEvent::Created, actor, None, None, now)
            .insert(&txn)
            .await?;
        txn.commit().await?;
        Ok(out)
    }

    /// Replaces a draft or open need's content if the stored version is `expected_version`.
    pub async fn update_need(
        &self,
        id: Uuid,
        expected_version: Option<i32>,
        c: NeedContent,
        actor: &Actor,
        now: DateTime<Utc>,
        today: NaiveDate,
    ) -> StoreResult<service_need::Model> {
        let txn = self.db.begin().await?;
        let cur = self.lock_need(&txn, id).await?;
        if expected_version.is_some_and(|v| v != cur.version) {
            return Err(StoreError::VersionMismatch);
        }
        let from = effective_status(*cur.status, cur.window_to, today);
        need_transition(from, NeedAction::Update)?;
        let mut m: service_need::ActiveModel = cur.clone().into();
        set_content(&mut m, c, self);
        m.updated_at = Set(now);
        m.version = Set(cur.version + 1);
        let out = m.update(&txn).await?;
        event(id, NeedEvent::Updated, actor, None, None, now)
            .insert(&txn)
            .await?;
        txn.commit().await?;
        Ok(out)
    }

    /// Takes one step on a need (every action but `update`). Scheduling creates the team's
    /// draft activity in the same transaction.
    pub async fn act_on_need(
        &self,
        id: Uuid,
        step: NeedStep,
        actor: &Actor,
    ) -> StoreResult<service_need::Model> {
        let txn = self.db.begin().await?;
        let cur = self.lock_need(&txn, id).await?;
        if step.expected_version.is_some_and(|v| v != cur.version) {
            return Err(StoreError::VersionMismatch);
        }
        let from = effective_status(*cur.status, cur.window_to, step.today);
        let to = need_transition(from, step.action)?;
        let mut m: service_need::ActiveModel = cur.clone().into();
        m.status = Set(to.into());
        let mut team = cur.holder_id;
        match step.action {
            NeedAction::Publish => {
                m.published_at = Set(Some(step.now));
                m.published_month = Set(Some(china_month(step.now)));
            }
            NeedAction::Dispatch | NeedAction::Claim => {
                team = step.team_id;
                m.holder_id = Set(step.team_id);
            }
            NeedAction::DeclineDispatch => m.holder_id = Set(None),
            NeedAction::Cancel => m.cancel_reason = Set(step.note.clone()),
            NeedAction::Schedule => {
                let (plan, created_by) = step.activity.as_ref().ok_or_else(|| {
                    StoreError::Db(sea_orm::DbErr::Custom(
                        "scheduling needs an activity".into(),
                    ))
                })?;
                let holder = cur.holder_id.ok_or_else(|| {
                    StoreError::Db(sea_orm::DbErr::Custom("a claimed need has a holder".into()))
                })?;
                let activity_id = self
                    .insert_draft_activity(&txn, holder, plan, *created_by, None, step.now)
                    .await?;
                let published = cur
                    .published_at
                    .map(zhihui_domain::report::china_date)
                    .unwrap_or(step.today);
                m.activity_id = Set(Some(activity_id));
                m.pairing_id = Set(step.pairing_id);
                m.scheduled_at = Set(Some(step.now));
                m.days_to_schedule = Set(Some(zhihui_domain::need::days_between(
                    published, step.today,
                ) as i32));
            }
            NeedAction::Rate => {
                let r = step.rating.as_ref().ok_or_else(|| {
                    StoreError::Db(sea_orm::DbErr::Custom("a rating has stars".into()))
                })?;
                m.rated_at = Set(Some(step.now));
                m.stars = Set(Some(r.stars));
                m.people_reached = Set(Some(r.people_reached));
                m.rating_comment = Set(r.comment.clone());
            }
            NeedAction::Update | NeedAction::AcceptDispatch => {}
        }
        m.updated_at = Set(step.now);
        m.version = Set(cur.version + 1);
        let out = m.update(&txn).await?;
        let recorded_team = match step.action {
            NeedAction::Dispatch
            | NeedAction::Claim
            | NeedAction::AcceptDispatch
            | NeedAction::DeclineDispatch => team,
            _ => None,
        };
        let note = match step.action {
            NeedAction::Rate => step.rating.as_ref().and_then(|r| r.comment.clone()),
            _ => step.note.clone(),
        };
        event(
            id,
            NeedEvent::of(step.action),
            actor,
            recorded_team,
            note,
            step.now,
        )
        .insert(&txn)
        .await?;
        let kind = match step.action {
            NeedAction::Publish => Some(EventType::NeedPublished),
            NeedAction::Dispatch => Some(EventType::NeedDispatched),
            NeedAction::AcceptDispatch => Some(EventType::NeedDispatchAccepted),
            NeedAction::DeclineDispatch => Some(EventType::NeedDispatchDeclined),
            NeedAction::Claim => Some(EventType::NeedClaimed),
            NeedAction::Schedule => Some(EventType::NeedScheduled),
            NeedAction::Rate => Some(EventType::NeedRated),
            NeedAction::Cancel => Some(EventType::NeedCancelled),
            NeedAction::Update => None,
        };
        if let Some(kind) = kind {
            let mut told = vec![out.requester_id];
            told.extend(team);
            told.extend(step.also_tell.iter().copied());
            emit(&txn, kind, &told, need_resource(&out, to), step.now).await?;
        }
        txn.commit().await?;
        Ok(out)
    }

    /// Inserts a draft activity within `txn` (a need's scheduling, a campaign entry's
    /// acceptance, which names its campaign).
    pub(crate) async fn insert_draft_activity(
        &self,
        txn: &DatabaseTransaction,
        organization_id: Uuid,
        plan: &ActivityPlan,
        created_by: Uuid,
        campaign_id: Option<Uuid>,
        now: DateTime<Utc>,
    ) -> StoreResult<Uuid> {
        let id = Uuid::now_v7();
        let mut m = activity::ActiveModel {
            id: Set(id),
            organization_id: Set(organization_id),
            status: Set(zhihui_domain::ActivityStatus::Draft.into()),
            cancel_reason: Set(None),
            confirmed_count: Set(0),
            waitlist_count: Set(0),
            created_by: Set(created_by),
            created_at: Set(now),
            updated_at: Set(now),
            version: Set(1),
            campaign_id: Set(campaign_id),
            ..Default::default()
        };
        super::activities::set_plan(&mut m, plan);
        m.insert(txn).await?;
        Ok(id)
    }

    /// Called in the transaction that confirms an activity's hours: the scheduled need it
    /// serves becomes served (rule 51's clock starts).
    pub(crate) async fn serve_need_of_activity(
        &self,
        txn: &DatabaseTransaction,
        activity_id: Uuid,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> StoreResult<()> {
        let mut q = service_need::Entity::find()
            .filter(service_need::Column::ActivityId.eq(activity_id))
            .filter(service_need::Column::Status.eq(NeedStatus::Scheduled.as_str()));
        if self.is_postgres() {
            q = q.lock_exclusive();
        }
        let Some(cur) = q.one(txn).await? else {
            return Ok(());
        };
        let mut m: service_need::ActiveModel = cur.clone().into();
        m.status = Set(NeedStatus::Served.into());
        m.served_at = Set(Some(now));
        m.served_month = Set(Some(china_month(now)));
        m.updated_at = Set(now);
        m.version = Set(cur.version + 1);
        let out = m.update(txn).await?;
        event(cur.id, NeedEvent::Served, actor, cur.holder_id, None, now)
            .insert(txn)
            .await?;
        let mut told = vec![out.requester_id];
        told.extend(out.holder_id);
        emit(
            txn,
            EventType::NeedServed,
            &told,
            need_resource(&out, NeedStatus::Served),
            now,
        )
        .await?;
        Ok(())
    }

    pub async fn get_need(&self, id: Uuid) -> StoreResult<Option<service_need::Model>> {
        Ok(service_need::Entity::find_by_id(id).one(&self.db).await?)
    }

    /// The needs activities were scheduled from, by activity.
    pub async fn needs_of_activities(
        &self,
        activities: &[Uuid],
    ) -> StoreResult<std::collections::HashMap<Uuid, Uuid>> {
        if activities.is_empty() {
            return Ok(Default::default());
        }
        let rows: Vec<(Uuid, Option<Uuid>)> = service_need::Entity::find()
            .select_only()
            .column(service_need::Column::Id)
            .column(service_need::Column::ActivityId)
            .filter(service_need::Column::ActivityId.is_in(activities.to_vec()))
            .into_tuple()
            .all(&self.db)
            .await?;
        Ok(rows
            .into_iter()
            .filter_map(|(need, activity)| Some((activity?, need)))
            .collect())
    }

    pub async fn need_events(&self, need_id: Uuid) -> StoreResult<Vec<need_event::Model>> {
        Ok(need_event::Entity::find()
            .filter(need_event::Column::NeedId.eq(need_id))
            .order_by_asc(need_event::Column::At)
            .order_by_asc(need_event::Column::Id)
            .all(&self.db)
            .await?)
    }

    /// Needs by the filter: priority counties first, then newest first.
    pub async fn list_needs(&self, f: NeedFilter) -> StoreResult<Vec<service_need::Model>> {
        use service_need::Column as C;
        let mut q = service_need::Entity::find();
        let today = f.today.unwrap_or_else(|| Utc::now().date_naive());
        if let Some(v) = f.visible {
            let mut any = Condition::any();
            if v.open {
                any = any.add(
                    Condition::all()
                        .add(C::Status.eq(NeedStatus::Open.as_str()))
                        .add(C::WindowTo.gte(today)),
                );
            }
            if !v.of.is_empty() {
                any = any
                    .add(C::RequesterId.is_in(v.of.clone()))
                    .add(C::HolderId.is_in(v.of));
            }
            for r in v.regions {
                any = any.add(
                    Condition::all()
                        .add(C::Status.ne(NeedStatus::Draft.as_str()))
                        .add(region_prefix(C::RegionCode, &r)),
                );
            }
            q = q.filter(any);
        }
        if let Some(st) = f.status {
            let stored: Vec<&str> = stored_as(st).iter().map(|s| s.as_str()).collect();
            q = q.filter(C::Status.is_in(stored));
            q = match st {
                NeedStatus::Expired => q.filter(C::WindowTo.lt(today)),
                s if zhihui_domain::need::can_expire(s) => q.filter(C::WindowTo.gte(today)),
                _ => q,
            };
        }
        if let Some(r) = f.region_prefix {
            q = q.filter(region_prefix(C::RegionCode, &r));
        }
        if let Some(c) = f.category {
            q = q.filter(C::Category.eq(c.as_str()));
        }
        if let Some((from, to)) = f.overlapping {
            if let Some(from) = from {
                q = q.filter(C::WindowTo.gte(from));
            }
            if let Some(to) = to {
                q = q.filter(C::WindowFrom.lte(to));
            }
        }
        if let Some(r) = f.requester_id {
            q = q.filter(C::RequesterId.eq(r));
        }
        if let Some(h) = f.holder_id {
            q = q.filter(C::HolderId.eq(h));
        }
        if let Some((p, id)) = f.after {
            q = q.filter(
                Condition::any()
                    .add(C::Priority.lt(p))
                    .add(Condition::all().add(C::Priority.eq(p)).add(C::Id.lt(id))),
            );
        }
        Ok(q.order_by_desc(C::Priority)
            .order_by_desc(C::Id)
            .limit(f.limit)
            .all(&self.db)
            .await?)
    }

    /// The distinct skills of the approved members of each of `teams`: what the ranking
    /// matches the wanted skills against.
    pub async fn member_skills(&self, teams: &[Uuid]) -> StoreResult<Vec<(Uuid, Vec<String>)>> {
        if teams.is_empty() {
            return Ok(vec![]);
        }
        let mut b = Binder::new(self.db.get_database_backend());
        let list = b.list(teams);
        let approved = b.bind(zhihui_domain::MembershipStatus::Approved.as_str());
        let sql = format!(
            "SELECT DISTINCT m.organization_id, v.skills FROM memberships m \
             JOIN volunteers v ON v.id = m.volunteer_id \
             WHERE m.organization_id IN ({list}) AND m.status = {approved} AND v.skills <> '[]'"
        );
        let mut out: Vec<(Uuid, Vec<String>)> = vec![];
        for r in self.db.query_all(b.statement(sql)).await? {
            let org: Uuid = r.try_get_by_index(0)?;
            let skills: String = r.try_get_by_index(1)?;
            let skills: Vec<String> = serde_json::from_str(&skills).unwrap_or_default();
            match out.iter_mut().find(|(o, _)| *o == org) {
                Some((_, s)) => s.extend(skills),
                None => out.push((org, skills)),
            }
        }
        for (_, s) in &mut out {
            s.sort();
            s.dedup();
        }
        Ok(out)
    }

    /// Each team's open commitments and past ratings.
    pub async fn team_records(&self, teams: &[Uuid]) -> StoreResult<Vec<(Uuid, TeamRecord)>> {
        if teams.is_empty() {
            return Ok(vec![]);
        }
        let mut b = Binder::new(self.db.get_database_backend());
        let list = b.list(teams);
        let held: Vec<&str> = [
            NeedStatus::Dispatched,
            NeedStatus::Claimed,
            NeedStatus::Scheduled,
        ]
        .iter()
        .map(|s| s.as_str())
        .collect();
        let held = b.list(&held);
        let rated = b.bind(NeedStatus::Rated.as_str());
        let sql = format!(
            "SELECT holder_id, \
               SUM(CASE WHEN status IN ({held}) THEN 1 ELSE 0 END), \
               SUM(CASE WHEN status = {rated} THEN 1 ELSE 0 END), \
               SUM(CASE WHEN status = {rated} THEN stars ELSE 0 END) \
             FROM service_needs WHERE holder_id IN ({list}) GROUP BY holder_id"
        );
        let mut out = vec![];
        for r in self.db.query_all(b.statement(sql)).await? {
            let team: Uuid = r.try_get_by_index(0)?;
            let n = |i: usize| -> StoreResult<u32> {
                let v: Option<i64> = r.try_get_by_index(i)?;
                Ok(v.unwrap_or(0).max(0) as u32)
            };
            out.push((
                team,
                TeamRecord {
                    open_commitments: n(1)?,
                    ratings: n(2)?,
                    stars_total: n(3)?,
                },
            ));
        }
        Ok(out)
    }

    /// The figures of the needs posted in `year` within a region prefix (`""`: the nation),
    /// grouped by the child region (`child_len` digits of the code), and by month.
    pub async fn need_rollup(
        &self,
        prefix: &str,
        child_len: usize,
        year: i32,
        today: NaiveDate,
    ) -> StoreResult<NeedRollupRows> {
        let backend = self.db.get_database_backend();
        let months = (format!("{year}-01"), format!("{year}-12"));
        let scope = |b: &mut Binder, col: &str| -> String {
            if prefix.is_empty() {
                "1 = 1".into()
            } else {
                let lo = b.bind(prefix.to_string());
                let hi = b.bind(format!("{prefix}~"));
                format!("region_code >= {lo} AND region_code < {hi} AND {col} IS NOT NULL")
            }
        };
        let child = format!("SUBSTR(region_code, 1, {child_len})");
        // By child region: posted, served, unmet, priority, ratings.
        let mut b = Binder::new(backend);
        let sc = scope(&mut b, "published_month");
        let (m0, m1) = (b.bind(months.0.clone()), b.bind(months.1.clone()));
        let served: Vec<&str> = [NeedStatus::Served, NeedStatus::Rated]
            .iter()
            .map(|s| s.as_str())
            .collect();
        let served = b.list(&served);
        let can_expire: Vec<&str> = stored_as(NeedStatus::Expired)
            .iter()
            .map(|s| s.as_str())
            .collect();
        let can_expire = b.list(&can_expire);
        let day = b.bind(today);
        let rated = b.bind(NeedStatus::Rated.as_str());
        let sql = format!(
            "SELECT {child}, COUNT(*), \
               SUM(CASE WHEN status IN ({served}) THEN 1 ELSE 0 END), \
               SUM(CASE WHEN status IN ({can_expire}) AND window_to < {day} THEN 1 ELSE 0 END), \
               SUM(priority), \
               SUM(CASE WHEN status = {rated} THEN 1 ELSE 0 END), \
               SUM(CASE WHEN status = {rated} THEN stars ELSE 0 END) \
             FROM service_needs \
             WHERE {sc} AND published_month >= {m0} AND published_month <= {m1} \
             GROUP BY {child}"
        );
        let mut rows = NeedRollupRows::default();
        let n = |r: &sea_orm::QueryResult, i: usize| -> StoreResult<u64> {
            let v: Option<i64> = r.try_get_by_index(i)?;
            Ok(v.unwrap_or(0).max(0) as u64)
        };
        for r in self.db.query_all(b.statement(sql)).await? {
            rows.by_region.push(NeedRegionRow {
                region_prefix: r.try_get_by_index(0)?,
                posted: n(&r, 1)?,
                served: n(&r, 2)?,
                unmet: n(&r, 3)?,
                priority: n(&r, 4)?,
                ratings: n(&r, 5)?,
                stars_total: n(&r, 6)?,
                days: vec![],
            });
        }
        // Days from publishing to scheduling, as a histogram per child region.
        let mut b = Binder::new(backend);
        let sc = scope(&mut b, "published_month");
        let (m0, m1) = (b.bind(months.0.clone()), b.bind(months.1.clone()));
        let sql = format!(
            "SELECT {child}, days_to_schedule, COUNT(*) FROM service_needs \
             WHERE {sc} AND published_month >= {m0} AND published_month <= {m1} \
               AND days_to_schedule IS NOT NULL \
             GROUP BY {child}, days_to_schedule"
        );
        for r in self.db.query_all(b.statement(sql)).await? {
            let region: String = r.try_get_by_index(0)?;
            let days: i32 = r.try_get_by_index(1)?;
            let count = n(&r, 2)?;
            if let Some(row) = rows
                .by_region
                .iter_mut()
                .find(|x| x.region_prefix == region)
            {
                row.days.push((i64::from(days), count));
            }
        }
        // By month: posted by the month published, served by the month served.
        for (col, into_served) in [("published_month", false), ("served_month", true)] {
            let mut b = Binder::new(backend);
            let sc = scope(&mut b, col);
            let (m0, m1) = (b.bind(months.0.clone()), b.bind(months.1.clone()));
            let sql = format!(
                "SELECT {col}, COUNT(*) FROM service_needs \
                 WHERE {sc} AND {col} >= {m0} AND {col} <= {m1} GROUP BY {col}"
            );
            for r in self.db.query_all(b.statement(sql)).await? {
                let month: String = r.try_get_by_index(0)?;
                let count = n(&r, 1)?;
                if into_served {
                    rows.served_by_month.push((month, count));
                } else {
                    rows.posted_by_month.push((month, count));
                }
            }
        }
        Ok(rows)
    }

    /// The pairing between a society and a county in force on `today`, if any.
    pub async fn active_pairing(
        &self,
        society_id: Uuid,
        county_id: Uuid,
        today: NaiveDate,
    ) -> StoreResult<Option<pairing::Model>> {
        Ok(pairing::Entity::find()
            .filter(pairing::Column::SocietyId.eq(society_id))
            .filter(pairing::Column::CountyId.eq(county_id))
            .filter(pairing::Column::PeriodFrom.lte(today))
            .filter(pairing::Column::PeriodTo.gte(today))
            .one(&self.db)
            .await?)
    }

    /// The societies paired with a county on `today`.
    pub async fn paired_societies(
        &self,
        county_id: Uuid,
        today: NaiveDate,
    ) -> StoreResult<Vec<Uuid>> {
        Ok(pairing::Entity::find()
            .select_only()
            .column(pairing::Column::SocietyId)
            .filter(pairing::Column::CountyId.eq(county_id))
            .filter(pairing::Column::PeriodFrom.lte(today))
            .filter(pairing::Column::PeriodTo.gte(today))
            .into_tuple()
            .all(&self.db)
            .await?)
    }

    /// The approved organisations that could serve a need in `region_code` (rule 48's
    /// circle): those of the county, the societies of its province, national societies and
    /// `paired` societies; at most `limit`, the county's own first.
    pub async fn need_candidates(
        &self,
        region_code: &str,
        paired: &[Uuid],
        limit: u64,
    ) -> StoreResult<Vec<organization::Model>> {
        use organization::Column as C;
        use zhihui_domain::OrganizationCategory as K;
        let serving: Vec<&str> = K::ALL
            .iter()
            .filter(|c| zhihui_domain::need::serves_needs(**c))
            .map(|c| c.as_str())
            .collect();
        let societies: Vec<&str> = K::ALL
            .iter()
            .filter(|c| c.is_society())
            .map(|c| c.as_str())
            .collect();
        let province = region_code.get(..2).unwrap_or(region_code);
        let serving_approved = || {
            organization::Entity::find()
                .filter(C::Status.eq(zhihui_domain::OrganizationStatus::Approved.as_str()))
                .filter(C::Category.is_in(serving.clone()))
        };
        // The county's own teams first, so that a long list of societies never crowds
        // them out; then the rest of the circle.
        let mut found = serving_approved()
            .filter(C::RegionCode.eq(region_code))
            .order_by_asc(C::Id)
            .limit(limit)
            .all(&self.db)
            .await?;
        let rest = Condition::any()
            .add(
                Condition::all()
                    .add(C::Category.is_in(societies))
                    .add(region_prefix(C::RegionCode, province)),
            )
            .add(C::Category.eq(K::NationalSociety.as_str()))
            .add(C::Id.is_in(paired.to_vec()));
        let room = limit.saturating_sub(found.len() as u64);
        if room > 0 {
            found.extend(
                serving_approved()
                    .filter(C::RegionCode.ne(region_code))
                    .filter(rest)
                    .order_by_asc(C::Id)
                    .limit(room)
                    .all(&self.db)
                    .await?,
            );
        }
        Ok(found)
    }

    /// The organisations above each of `orgs` (descendant, ancestor), in one statement: a
    /// page of needs learns which requesters sit under the caller's organisations at once.
    pub async fn ancestors_of_many(&self, orgs: &[Uuid]) -> StoreResult<Vec<(Uuid, Uuid)>> {
        if orgs.is_empty() {
            return Ok(vec![]);
        }
        Ok(organization_closure::Entity::find()
            .select_only()
            .column(organization_closure::Column::DescendantId)
            .column(organization_closure::Column::AncestorId)
            .filter(organization_closure::Column::DescendantId.is_in(orgs.to_vec()))
            .filter(organization_closure::Column::Depth.gt(0))
            .into_tuple()
            .all(&self.db)
            .await?)
    }

    /// Announces, once each, the needs whose window passed with no activity (expiry is
    /// computed from the clock, so nothing else marks the moment): `need.expired` to the
    /// requester and the team that held it.
    pub async fn announce_expired_needs(
        &self,
        today: NaiveDate,
        now: DateTime<Utc>,
        limit: u64,
    ) -> StoreResult<usize> {
        use sea_orm::sea_query::{Expr, LockBehavior, LockType};
        let txn = self.db.begin().await?;
        let stored: Vec<&str> = stored_as(NeedStatus::Expired)
            .iter()
            .map(|s| s.as_str())
            .collect();
        let mut q = service_need::Entity::find()
            .filter(service_need::Column::Status.is_in(stored))
            .filter(service_need::Column::WindowTo.lt(today))
            .filter(service_need::Column::ExpiryAnnouncedAt.is_null())
            .order_by_asc(service_need::Column::WindowTo)
            .limit(limit);
        if self.is_postgres() {
            q = q.lock_with_behavior(LockType::Update, LockBehavior::SkipLocked);
        }
        let needs = q.all(&txn).await?;
        for n in &needs {
            let mut told = vec![n.requester_id];
            told.extend(n.holder_id);
            let at = n
                .window_to
                .succ_opt()
                .map(zhihui_domain::report::china_day_start)
                .unwrap_or(now);
            emit(
                &txn,
                EventType::NeedExpired,
                &told,
                need_resource(n, NeedStatus::Expired),
                at,
            )
            .await?;
        }
        if !needs.is_empty() {
            service_need::Entity::update_many()
                .col_expr(service_need::Column::ExpiryAnnouncedAt, Expr::value(now))
                .filter(service_need::Column::Id.is_in(needs.iter().map(|n| n.id)))
                .exec(&txn)
                .await?;
        }
        txn.commit().await?;
        Ok(needs.len())
    }
}
