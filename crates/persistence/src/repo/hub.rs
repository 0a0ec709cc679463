//! Science hub centres (科普服务汇中心): service points, micro-exhibitions and their stays,
//! rules 57-62.
//!
//! Placing a stay locks the exhibition's row and then the service point's (`FOR UPDATE` on
//! PostgreSQL, always in that order; SQLite has one writer) and checks rule 60 against the
//! stays read inside the transaction, so of two schedulers racing for overlapping days one
//! succeeds and the other is refused with the rule's conflict.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, DatabaseTransaction, EntityTrait, FromQueryResult,
    QueryFilter, QueryOrder, QuerySelect, Set, TransactionTrait,
};
use uuid::Uuid;
use zhihui_domain::hub::{
    check_exhibition_free, check_room, effective_stay_status, most_at_once, stay_transition, Days,
    Visits,
};
use zhihui_domain::{ExhibitionCategory, ServicePointKind, StayAction, StayStatus};

use super::{contains_text, region_prefix, Actor};
use crate::entities::{activity, exhibition, exhibition_stay, service_point, service_record};
use crate::repo::webhooks::{emit, resource_value};
use crate::{Store, StoreError, StoreResult};
use zhihui_contract::events::ExhibitionStayResource;
use zhihui_domain::integration::EventType;

/// The editable details of a service point (a whole replacement).
pub struct ServicePointContent {
    pub name: String,
    pub kind: ServicePointKind,
    pub region_code: String,
    pub address: String,
    pub opening_hours: String,
    pub capacity: i32,
    pub exhibition_slots: i32,
}

#[derive(Debug, Default)]
pub struct ServicePointFilter {
    pub region_prefix: Option<String>,
    pub kind: Option<ServicePointKind>,
    pub organization_id: Option<Uuid>,
    /// Only those that show exhibitions (slots above 0), or only those that do not.
    pub shows_exhibitions: Option<bool>,
    /// Part of the name or the address.
    pub text: Option<String>,
    /// Keyset position: the last id of the previous page (oldest first).
    pub after: Option<Uuid>,
    pub limit: u64,
}

/// The content of a new exhibition.
pub struct ExhibitionContent {
    pub title: String,
    pub theme: String,
    pub category: ExhibitionCategory,
    pub panels: i32,
    pub description: String,
}

#[derive(Debug, Default)]
pub struct ExhibitionFilter {
    pub owner_id: Option<Uuid>,
    pub category: Option<ExhibitionCategory>,
    /// Part of the title or the theme.
    pub text: Option<String>,
    pub after: Option<Uuid>,
    pub limit: u64,
}

#[derive(Debug, Default)]
pub struct StayFilter {
    pub exhibition_id: Option<Uuid>,
    pub service_point_id: Option<Uuid>,
    /// Stays of these exhibitions (an owner's) or at these points.
    pub exhibitions_in: Option<Vec<Uuid>>,
    pub points_in: Option<Vec<Uuid>>,
    /// Stays sharing a day with this period.
    pub overlapping: Option<Days>,
    pub include_cancelled: bool,
    /// Keyset position: first day and id of the last stay of the previous page.
    pub after: Option<(NaiveDate, Uuid)>,
    pub limit: u64,
}

/// A service point's figures for a year (rule 58).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ServicePointFigureRows {
    /// Activities held there that were not cancelled.
    pub activities: u64,
    /// Volunteers confirmed for those activities (their taken places).
    pub volunteers: u64,
    /// Volunteers' confirmed service records at those activities.
    pub volunteer_services: u64,
    /// People reached there: the visitors recorded at its exhibitions' stays.
    pub people_served: u64,
    /// Confirmed service hours at those activities, in tenths of an hour.
    pub hours_tenths: u64,
    /// Stays begun by `today`, not cancelled.
    pub exhibitions_shown: u64,
    pub visitors: u64,
    pub guided_tours: u64,
    pub lectures: u64,
}

/// Announces a step of a stay to the exhibition's owner and the point's organisation
/// (inside the step's transaction: a change rolled back announces nothing).
async fn announce(
    txn: &DatabaseTransaction,
    kind: EventType,
    s: &exhibition_stay::Model,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let e = exhibition::Entity::find_by_id(s.exhibition_id)
        .one(txn)
        .await?
        .ok_or(StoreError::NotFound)?;
    let p = service_point::Entity::find_by_id(s.service_point_id)
        .one(txn)
        .await?
        .ok_or(StoreError::NotFound)?;
    let mut to = vec![e.owner_id];
    if p.organization_id != e.owner_id {
        to.push(p.organization_id);
    }
    let resource = resource_value(&ExhibitionStayResource {
        kind: "exhibition_stay".into(),
        id: s.id,
        exhibition_id: e.id,
        exhibition_title: e.title,
        theme: e.theme,
        owner_id: e.owner_id,
        service_point_id: p.id,
        service_point_name: p.name,
        host_id: p.organization_id,
        starts_on: s.starts_on,
        ends_on: s.ends_on,
        status: *s.status,
        visitors: s.visitors,
        guided_tours: s.guided_tours,
        lectures: s.lectures,
        href: format!("/api/v1/exhibition-stays?exhibition_id={}", e.id),
    });
    emit(txn, kind, &to, resource, now).await?;
    Ok(())
}

fn days_of(s: &exhibition_stay::Model) -> Days {
    Days::new(s.starts_on, s.ends_on)
}

fn set_point(m: &mut service_point::ActiveModel, c: ServicePointContent) {
    m.name = Set(c.name);
    m.kind = Set(c.kind.into());
    m.region_code = Set(c.region_code);
    m.address = Set(c.address);
    m.opening_hours = Set(c.opening_hours);
    m.capacity = Set(c.capacity);
    m.exhibition_slots = Set(c.exhibition_slots);
}

#[derive(FromQueryResult, Default)]
struct Sums {
    n: Option<i64>,
    a: Option<i64>,
    b: Option<i64>,
    c: Option<i64>,
}

#[derive(FromQueryResult, Default)]
struct CountSum {
    n: Option<i64>,
    a: Option<i64>,
}

impl Store {
    pub async fn create_service_point(
        &self,
        organization_id: Uuid,
        c: ServicePointContent,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> StoreResult<service_point::Model> {
        let mut m = service_point::ActiveModel {
            id: Set(Uuid::now_v7()),
            organization_id: Set(organization_id),
            created_by: Set(actor.account_id),
            created_at: Set(now),
            updated_at: Set(now),
            version: Set(1),
            ..Default::default()
        };
        set_point(&mut m, c);
        Ok(m.insert(&self.db).await?)
    }

    /// Replaces a service point's details if the stored version is `expected_version`.
    /// Fewer exhibition slots than it shows at once from `today` on are refused
    /// (`service_point_full`).
    pub async fn update_service_point(
        &self,
        id: Uuid,
        expected_version: Option<i32>,
        c: ServicePointContent,
        today: NaiveDate,
        now: DateTime<Utc>,
    ) -> StoreResult<service_point::Model> {
        let txn = self.db.begin().await?;
        let cur = self.lock_point(&txn, id).await?;
        if expected_version.is_some_and(|v| v != cur.version) {
            return Err(StoreError::VersionMismatch);
        }
        if c.exhibition_slots < cur.exhibition_slots {
            let ahead: Vec<Days> = exhibition_stay::Entity::find()
                .filter(exhibition_stay::Column::ServicePointId.eq(id))
                .filter(exhibition_stay::Column::Status.ne(StayStatus::Cancelled.as_str()))
                .filter(exhibition_stay::Column::EndsOn.gte(today))
                .all(&txn)
                .await?
                .iter()
                .map(days_of)
                .collect();
            let far = ahead.iter().map(|d| d.to).max().unwrap_or(today);
            let most = most_at_once(&ahead, Days::new(today, far));
            if most > c.exhibition_slots.max(0) as usize {
                return Err(StoreError::Conflict {
                    code: zhihui_domain::ProblemCode::ServicePointFull,
                    message: format!(
                        "{most} exhibitions are placed here at once from today on; cancel or move stays first"
                    ),
                });
            }
        }
        let mut m: service_point::ActiveModel = cur.clone().into();
        set_point(&mut m, c);
        m.updated_at = Set(now);
        m.version = Set(cur.version + 1);
        let out = m.update(&txn).await?;
        txn.commit().await?;
        Ok(out)
    }

    async fn lock_point(
        &self,
        txn: &DatabaseTransaction,
        id: Uuid,
    ) -> StoreResult<service_point::Model> {
        let mut q = service_point::Entity::find_by_id(id);
        if self.is_postgres() {
            q = q.lock_exclusive();
        }
        q.one(txn).await?.ok_or(StoreError::NotFound)
    }

    pub async fn get_service_point(&self, id: Uuid) -> StoreResult<Option<service_point::Model>> {
        Ok(service_point::Entity::find_by_id(id).one(&self.db).await?)
    }

    pub async fn service_points_by_ids(
        &self,
        ids: &[Uuid],
    ) -> StoreResult<Vec<service_point::Model>> {
        if ids.is_empty() {
            return Ok(vec![]);
        }
        Ok(service_point::Entity::find()
            .filter(service_point::Column::Id.is_in(ids.to_vec()))
            .all(&self.db)
            .await?)
    }

    pub async fn list_service_points(
        &self,
        f: ServicePointFilter,
    ) -> StoreResult<Vec<service_point::Model>> {
        use service_point::Column as C;
        let mut q = service_point::Entity::find();
        if let Some(r) = f.region_prefix {
            q = q.filter(region_prefix(C::RegionCode, &r));
        }
        if let Some(k) = f.kind {
            q = q.filter(C::Kind.eq(k.as_str()));
        }
        if let Some(o) = f.organization_id {
            q = q.filter(C::OrganizationId.eq(o));
        }
        match f.shows_exhibitions {
            Some(true) => q = q.filter(C::ExhibitionSlots.gt(0)),
            Some(false) => q = q.filter(C::ExhibitionSlots.eq(0)),
            None => {}
        }
        if let Some(t) = f.text {
            q = q.filter(
                Condition::any()
                    .add(contains_text(C::Name, &t))
                    .add(contains_text(C::Address, &t)),
            );
        }
        if let Some(after) = f.after {
            q = q.filter(C::Id.gt(after));
        }
        Ok(q.order_by_asc(C::Id).limit(f.limit).all(&self.db).await?)
    }

    pub async fn create_exhibition(
        &self,
        owner_id: Uuid,
        c: ExhibitionContent,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> StoreResult<exhibition::Model> {
        Ok(exhibition::ActiveModel {
            id: Set(Uuid::now_v7()),
            owner_id: Set(owner_id),
            title: Set(c.title),
            theme: Set(c.theme),
            category: Set(c.category.into()),
            panels: Set(c.panels),
            description: Set(c.description),
            created_by: Set(actor.account_id),
            created_at: Set(now),
            updated_at: Set(now),
            version: Set(1),
        }
        .insert(&self.db)
        .await?)
    }

    pub async fn get_exhibition(&self, id: Uuid) -> StoreResult<Option<exhibition::Model>> {
        Ok(exhibition::Entity::find_by_id(id).one(&self.db).await?)
    }

    pub async fn exhibitions_by_ids(&self, ids: &[Uuid]) -> StoreResult<Vec<exhibition::Model>> {
        if ids.is_empty() {
            return Ok(vec![]);
        }
        Ok(exhibition::Entity::find()
            .filter(exhibition::Column::Id.is_in(ids.to_vec()))
            .all(&self.db)
            .await?)
    }

    pub async fn list_exhibitions(
        &self,
        f: ExhibitionFilter,
    ) -> StoreResult<Vec<exhibition::Model>> {
        use exhibition::Column as C;
        let mut q = exhibition::Entity::find();
        if let Some(o) = f.owner_id {
            q = q.filter(C::OwnerId.eq(o));
        }
        if let Some(c) = f.category {
            q = q.filter(C::Category.eq(c.as_str()));
        }
        if let Some(t) = f.text {
            q = q.filter(
                Condition::any()
                    .add(contains_text(C::Title, &t))
                    .add(contains_text(C::Theme, &t)),
            );
        }
        if let Some(after) = f.after {
            q = q.filter(C::Id.gt(after));
        }
        Ok(q.order_by_asc(C::Id).limit(f.limit).all(&self.db).await?)
    }

    async fn lock_exhibition(
        &self,
        txn: &DatabaseTransaction,
        id: Uuid,
    ) -> StoreResult<exhibition::Model> {
        let mut q = exhibition::Entity::find_by_id(id);
        if self.is_postgres() {
            q = q.lock_exclusive();
        }
        q.one(txn).await?.ok_or(StoreError::NotFound)
    }

    /// Places an exhibition at a service point for `days` (rule 60): the exhibition must be
    /// nowhere else on any of those days and the point must have a free slot on each.
    pub async fn schedule_stay(
        &self,
        exhibition_id: Uuid,
        point_id: Uuid,
        days: Days,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> StoreResult<exhibition_stay::Model> {
        use exhibition_stay::Column as C;
        let txn = self.db.begin().await?;
        // Always the exhibition first, then the point: no two placements wait on each
        // other in opposite orders.
        self.lock_exhibition(&txn, exhibition_id).await?;
        let point = self.lock_point(&txn, point_id).await?;
        let live = |q: sea_orm::Select<exhibition_stay::Entity>| {
            q.filter(C::Status.ne(StayStatus::Cancelled.as_str()))
                .filter(C::EndsOn.gte(days.from))
                .filter(C::StartsOn.lte(days.to))
        };
        let elsewhere: Vec<Days> = live(exhibition_stay::Entity::find())
            .filter(C::ExhibitionId.eq(exhibition_id))
            .all(&txn)
            .await?
            .iter()
            .map(days_of)
            .collect();
        check_exhibition_free(&elsewhere, days)?;
        let here: Vec<Days> = live(exhibition_stay::Entity::find())
            .filter(C::ServicePointId.eq(point_id))
            .all(&txn)
            .await?
            .iter()
            .map(days_of)
            .collect();
        check_room(point.exhibition_slots, &here, days)?;
        let out = exhibition_stay::ActiveModel {
            id: Set(Uuid::now_v7()),
            exhibition_id: Set(exhibition_id),
            service_point_id: Set(point_id),
            starts_on: Set(days.from),
            ends_on: Set(days.to),
            year: Set(days.from.year()),
            status: Set(StayStatus::Scheduled.into()),
            visitors: Set(0),
            guided_tours: Set(0),
            lectures: Set(0),
            visits_recorded_at: Set(None),
            created_by: Set(actor.account_id),
            created_at: Set(now),
            updated_at: Set(now),
            version: Set(1),
        }
        .insert(&txn)
        .await?;
        announce(&txn, EventType::ExhibitionStayScheduled, &out, now).await?;
        txn.commit().await?;
        Ok(out)
    }

    pub async fn get_stay(&self, id: Uuid) -> StoreResult<Option<exhibition_stay::Model>> {
        Ok(exhibition_stay::Entity::find_by_id(id)
            .one(&self.db)
            .await?)
    }

    /// Takes one step on a stay: cancels it, or records its visits (`visits`).
    pub async fn act_on_stay(
        &self,
        id: Uuid,
        action: StayAction,
        expected_version: Option<i32>,
        visits: Option<Visits>,
        today: NaiveDate,
        now: DateTime<Utc>,
    ) -> StoreResult<exhibition_stay::Model> {
        let txn = self.db.begin().await?;
        let mut q = exhibition_stay::Entity::find_by_id(id);
        if self.is_postgres() {
            q = q.lock_exclusive();
        }
        let cur = q.one(&txn).await?.ok_or(StoreError::NotFound)?;
        if expected_version.is_some_and(|v| v != cur.version) {
            return Err(StoreError::VersionMismatch);
        }
        let from = effective_stay_status(*cur.status, days_of(&cur), today);
        let to = stay_transition(from, action)?;
        let mut m: exhibition_stay::ActiveModel = cur.clone().into();
        match action {
            StayAction::Cancel => m.status = Set(to.into()),
            StayAction::RecordVisits => {
                let v = visits.unwrap_or_default();
                m.visitors = Set(v.visitors);
                m.guided_tours = Set(v.guided_tours);
                m.lectures = Set(v.lectures);
                m.visits_recorded_at = Set(Some(now));
            }
        }
        m.updated_at = Set(now);
        m.version = Set(cur.version + 1);
        let out = m.update(&txn).await?;
        let kind = match action {
            StayAction::Cancel => EventType::ExhibitionStayCancelled,
            StayAction::RecordVisits => EventType::ExhibitionVisitsRecorded,
        };
        announce(&txn, kind, &out, now).await?;
        txn.commit().await?;
        Ok(out)
    }

    pub async fn list_stays(&self, f: StayFilter) -> StoreResult<Vec<exhibition_stay::Model>> {
        use exhibition_stay::Column as C;
        let mut q = exhibition_stay::Entity::find();
        if let Some(e) = f.exhibition_id {
            q = q.filter(C::ExhibitionId.eq(e));
        }
        if let Some(p) = f.service_point_id {
            q = q.filter(C::ServicePointId.eq(p));
        }
        match (f.exhibitions_in, f.points_in) {
            (Some(es), Some(ps)) => {
                q = q.filter(
                    Condition::any()
                        .add(C::ExhibitionId.is_in(es))
                        .add(C::ServicePointId.is_in(ps)),
                )
            }
            (Some(es), None) => q = q.filter(C::ExhibitionId.is_in(es)),
            (None, Some(ps)) => q = q.filter(C::ServicePointId.is_in(ps)),
            (None, None) => {}
        }
        if let Some(d) = f.overlapping {
            q = q
                .filter(C::EndsOn.gte(d.from))
                .filter(C::StartsOn.lte(d.to));
        }
        if !f.include_cancelled {
            q = q.filter(C::Status.ne(StayStatus::Cancelled.as_str()));
        }
        if let Some((day, id)) = f.after {
            q = q.filter(
                Condition::any()
                    .add(C::StartsOn.gt(day))
                    .add(Condition::all().add(C::StartsOn.eq(day)).add(C::Id.gt(id))),
            );
        }
        Ok(q.order_by_asc(C::StartsOn)
            .order_by_asc(C::Id)
            .limit(f.limit)
            .all(&self.db)
            .await?)
    }

    /// The stays, not cancelled, at these points or of these exhibitions that end on or
    /// before `until` (what a plan works around and which themes each point has seen).
    pub async fn stays_until(
        &self,
        exhibitions: &[Uuid],
        points: &[Uuid],
        until: NaiveDate,
    ) -> StoreResult<Vec<exhibition_stay::Model>> {
        use exhibition_stay::Column as C;
        Ok(exhibition_stay::Entity::find()
            .filter(
                Condition::any()
                    .add(C::ExhibitionId.is_in(exhibitions.to_vec()))
                    .add(C::ServicePointId.is_in(points.to_vec())),
            )
            .filter(C::Status.ne(StayStatus::Cancelled.as_str()))
            .filter(C::StartsOn.lte(until))
            .order_by_asc(C::StartsOn)
            .limit(20_000)
            .all(&self.db)
            .await?)
    }

    /// A service point's figures of `year` (rule 58), counted on `today`.
    pub async fn service_point_figures(
        &self,
        point_id: Uuid,
        year: i32,
        today: NaiveDate,
    ) -> StoreResult<ServicePointFigureRows> {
        use exhibition_stay::Column as S;
        let stays = exhibition_stay::Entity::find()
            .select_only()
            .column_as(S::Id.count(), "n")
            .column_as(S::Visitors.sum(), "a")
            .column_as(S::GuidedTours.sum(), "b")
            .column_as(S::Lectures.sum(), "c")
            .filter(S::ServicePointId.eq(point_id))
            .filter(S::Year.eq(year))
            .filter(S::Status.ne(StayStatus::Cancelled.as_str()))
            .filter(S::StartsOn.lte(today))
            .into_model::<Sums>()
            .one(&self.db)
            .await?;
        let (from, to) = year_bounds(year);
        use activity::Column as A;
        let held = activity::Entity::find()
            .select_only()
            .column_as(A::Id.count(), "n")
            .column_as(A::ConfirmedCount.sum(), "a")
            .filter(A::ServicePointId.eq(point_id))
            .filter(A::Status.ne(zhihui_domain::ActivityStatus::Cancelled.as_str()))
            .filter(A::Status.ne(zhihui_domain::ActivityStatus::Draft.as_str()))
            .filter(A::StartsAt.gte(from))
            .filter(A::StartsAt.lt(to))
            .into_model::<CountSum>()
            .one(&self.db)
            .await?;
        use service_record::Column as R;
        let records = service_record::Entity::find()
            .select_only()
            .column_as(R::Id.count(), "n")
            .column_as(R::HoursTenths.sum(), "a")
            .filter(
                R::ActivityId.in_subquery(
                    sea_orm::sea_query::Query::select()
                        .column(A::Id)
                        .from(activity::Entity)
                        .and_where(A::ServicePointId.eq(point_id))
                        .and_where(A::StartsAt.gte(from))
                        .and_where(A::StartsAt.lt(to))
                        .to_owned(),
                ),
            )
            .into_model::<CountSum>()
            .one(&self.db)
            .await?;
        let n = |v: Option<i64>| v.unwrap_or(0).max(0) as u64;
        let (stays, held, records) = (
            stays.unwrap_or_default(),
            held.unwrap_or_default(),
            records.unwrap_or_default(),
        );
        Ok(ServicePointFigureRows {
            activities: n(held.n),
            volunteers: n(held.a),
            volunteer_services: n(records.n),
            people_served: n(stays.a),
            hours_tenths: n(records.a),
            exhibitions_shown: n(stays.n),
            visitors: n(stays.a),
            guided_tours: n(stays.b),
            lectures: n(stays.c),
        })
    }
}

/// A service point's figures for the recognition of a year (rules 26 and 62).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PointCandidateRow {
    pub point: service_point::Model,
    pub activities: u64,
    pub people_served: u64,
    pub hours_tenths: u64,
}

impl Store {
    /// The community and village service points of `org` and the organisations below it,
    /// with their activities, people served (visitors) and hours in the year, most hours
    /// first, then most activities (at most `limit`).
    pub async fn service_point_candidates(
        &self,
        org: Uuid,
        year: i32,
        limit: u64,
    ) -> StoreResult<Vec<PointCandidateRow>> {
        use crate::entities::organization_closure as oc;
        let kinds: Vec<&str> = ServicePointKind::ALL
            .iter()
            .filter(|k| k.is_recognised_grassroots())
            .map(|k| k.as_str())
            .collect();
        let points = service_point::Entity::find()
            .filter(
                service_point::Column::OrganizationId.in_subquery(
                    sea_orm::sea_query::Query::select()
                        .column(oc::Column::DescendantId)
                        .from(oc::Entity)
                        .and_where(oc::Column::AncestorId.eq(org))
                        .to_owned(),
                ),
            )
            .filter(service_point::Column::Kind.is_in(kinds))
            .limit(5_000)
            .all(&self.db)
            .await?;
        if points.is_empty() {
            return Ok(vec![]);
        }
        let ids: Vec<Uuid> = points.iter().map(|p| p.id).collect();
        let (from, to) = year_bounds(year);
        let today = NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or_default();
        use activity::Column as A;
        let held: Vec<(Option<Uuid>, i64)> = activity::Entity::find()
            .select_only()
            .column(A::ServicePointId)
            .column_as(A::Id.count(), "n")
            .filter(A::ServicePointId.is_in(ids.clone()))
            .filter(A::Status.eq(zhihui_domain::ActivityStatus::Published.as_str()))
            .filter(A::StartsAt.gte(from))
            .filter(A::StartsAt.lt(to))
            .group_by(A::ServicePointId)
            .into_tuple()
            .all(&self.db)
            .await?;
        use service_record::Column as R;
        let hours: Vec<(Option<Uuid>, Option<i64>)> = service_record::Entity::find()
            .select_only()
            .column_as(
                sea_orm::sea_query::Expr::col((activity::Entity, A::ServicePointId)),
                "point",
            )
            .column_as(R::HoursTenths.sum(), "tenths")
            .join(
                sea_orm::JoinType::InnerJoin,
                service_record::Entity::belongs_to(activity::Entity)
                    .from(R::ActivityId)
                    .to(A::Id)
                    .into(),
            )
            .filter(A::ServicePointId.is_in(ids.clone()))
            .filter(A::StartsAt.gte(from))
            .filter(A::StartsAt.lt(to))
            .group_by(sea_orm::sea_query::Expr::col((
                activity::Entity,
                A::ServicePointId,
            )))
            .into_tuple()
            .all(&self.db)
            .await?;
        use exhibition_stay::Column as S;
        let visitors: Vec<(Uuid, Option<i64>)> = exhibition_stay::Entity::find()
            .select_only()
            .column(S::ServicePointId)
            .column_as(S::Visitors.sum(), "v")
            .filter(S::ServicePointId.is_in(ids))
            .filter(S::Year.eq(year))
            .filter(S::Status.ne(StayStatus::Cancelled.as_str()))
            .filter(S::StartsOn.lte(today))
            .group_by(S::ServicePointId)
            .into_tuple()
            .all(&self.db)
            .await?;
        let n = |v: Option<i64>| v.unwrap_or(0).max(0) as u64;
        let mut rows: Vec<PointCandidateRow> = points
            .into_iter()
            .map(|p| PointCandidateRow {
                activities: held
                    .iter()
                    .find(|(id, _)| *id == Some(p.id))
                    .map_or(0, |(_, c)| n(Some(*c))),
                hours_tenths: hours
                    .iter()
                    .find(|(id, _)| *id == Some(p.id))
                    .map_or(0, |(_, t)| n(*t)),
                people_served: visitors
                    .iter()
                    .find(|(id, _)| *id == p.id)
                    .map_or(0, |(_, v)| n(*v)),
                point: p,
            })
            .filter(|r| r.activities + r.people_served + r.hours_tenths > 0)
            .collect();
        rows.sort_by(|a, b| {
            (b.hours_tenths, b.activities, b.people_served, a.point.id).cmp(&(
                a.hours_tenths,
                a.activities,
                a.people_served,
                b.point.id,
            ))
        });
        rows.truncate(limit as usize);
        Ok(rows)
    }
}

/// The first instant of `year` and of the next one, China time.
fn year_bounds(year: i32) -> (DateTime<Utc>, DateTime<Utc>) {
    let first = |y: i32| {
        NaiveDate::from_ymd_opt(y, 1, 1)
            .map(zhihui_domain::report::china_day_start)
            .unwrap_or_default()
    };
    (first(year), first(year + 1))
}
