//! Activities, leaders, sign-ups with their waiting list, and attendance (rules 17-20).
//!
//! Capacity holds under concurrency because every change to an activity's places runs in
//! a transaction that first locks the activity row (`SELECT … FOR UPDATE` on PostgreSQL;
//! SQLite serialises writers on its single connection). The places taken are counted on
//! the activity row and changed only inside those transactions.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseTransaction, EntityTrait,
    FromQueryResult, JoinType, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set,
    TransactionTrait,
};
use uuid::Uuid;
use zhihui_domain::ProblemCode;
use zhihui_domain::{ActivityCategory, ActivityStatus, AttendanceSource, KeyDate, SignUpStatus};

use crate::entities::{activity, activity_leader, attendance_change, sign_up, volunteer};
use crate::repo::figures::{self, Changes, Delta};
use crate::repo::webhooks::emit;
use crate::{Store, StoreError, StoreResult, Viewer};
use zhihui_contract::activities::ActivityPlan;
use zhihui_domain::integration::EventType;

/// The row's editable fields from a checked plan.
pub(crate) fn set_plan(m: &mut activity::ActiveModel, p: &ActivityPlan) {
    m.title = Set(p.title.clone());
    m.category = Set(p.category.into());
    m.description = Set(p.description.clone());
    m.starts_at = Set(p.starts_at);
    m.ends_at = Set(p.ends_at);
    m.place = Set(p.place.clone());
    m.region_code = Set(p.region.as_str().to_string());
    m.capacity = Set(p.capacity);
    m.sign_up_opens_at = Set(p.sign_up_opens_at);
    m.sign_up_closes_at = Set(p.sign_up_closes_at);
    m.members_only = Set(p.members_only);
    m.key_date = Set(p.key_date.map(Into::into));
    m.service_point_id = Set(p.service_point_id);
}

/// A new activity: its checked plan (the one the form and the handler checked), whose
/// organisation, and who created it.
pub struct NewActivity {
    pub organization_id: Uuid,
    pub plan: ActivityPlan,
    pub created_by: Uuid,
}

#[derive(Debug, Default)]
pub struct ActivityFilter {
    pub region_prefix: Option<String>,
    pub category: Option<ActivityCategory>,
    pub organization_id: Option<Uuid>,
    pub service_point_id: Option<Uuid>,
    /// Activities that end at or after this time.
    pub from: Option<DateTime<Utc>>,
    /// Activities that start before this time.
    pub to: Option<DateTime<Utc>>,
    pub status: Option<ActivityStatus>,
    pub text: Option<String>,
    pub key_date: Option<KeyDate>,
    /// Keyset position: (start, id) of the last activity of the previous page.
    pub after: Option<(DateTime<Utc>, Uuid)>,
    pub limit: u64,
}

/// A sign-up with what its readers need of the volunteer.
pub struct SignUpRow {
    pub sign_up: sign_up::Model,
    pub volunteer_name: String,
    pub volunteer_number: String,
    pub phone_masked: String,
    /// 1-based place on the waiting list, for waitlisted sign-ups.
    pub waitlist_position: Option<i64>,
}

/// What a sign-up rests on, read under the transaction's locks for the caller to judge.
pub struct SignUpGround<'a> {
    pub activity: &'a activity::Model,
    /// The caller's volunteer profile; `None` when they have not registered one.
    pub volunteer: Option<&'a volunteer::Model>,
    /// False only when the activity is for its organisation's members and the volunteer is
    /// not an approved member.
    pub admitted: bool,
}

/// A sign-up made, with the volunteer who made it.
pub struct SignedUp {
    pub volunteer: volunteer::Model,
    pub sign_up: sign_up::Model,
    /// The place on the waiting list, counted under the activity's lock (waitlisted only).
    pub waitlist_position: Option<i64>,
}

/// Outcome of withdrawing a sign-up.
pub struct Cancellation {
    pub cancelled: sign_up::Model,
    /// The first on the waiting list, who took the freed place.
    pub promoted: Option<sign_up::Model>,
}

/// An attendance correction by a leader or admin.
pub struct AttendanceEntry {
    pub checked_in_at: Option<DateTime<Utc>>,
    pub checked_out_at: Option<DateTime<Utc>>,
    pub absent: bool,
    pub reason: String,
    pub by: Uuid,
}

/// The volunteer's live sign-ups that are the activity or overlap it (an activity overlaps
/// itself; a cancelled one overlaps nothing), as the `FROM … WHERE …` of a statement over
/// `sign_ups s JOIN activities a`, with the placeholders of the activity, the volunteer and
/// the activity's times. It reads the sign-ups still to come through
/// `ix_sign_ups_volunteer_end`.
fn clashing(b: &mut super::Binder, act: &str, vol: &str, from: &str, to: &str) -> String {
    let confirmed = b.bind(SignUpStatus::Confirmed.as_str());
    let waitlisted = b.bind(SignUpStatus::Waitlisted.as_str());
    let cancelled = b.bind(ActivityStatus::Cancelled.as_str());
    format!(
        "FROM sign_ups s JOIN activities a ON a.id = s.activity_id \
         WHERE s.volunteer_id = {vol} AND s.ends_at > {from} AND s.starts_at < {to} \
           AND s.status IN ({confirmed}, {waitlisted}) \
           AND (s.activity_id = {act} OR a.status <> {cancelled})"
    )
}

fn not_open(status: ActivityStatus) -> StoreError {
    StoreError::Conflict {
        code: ProblemCode::ActivityNotOpen,
        message: format!("the activity is {status}; only published activities take sign-ups"),
    }
}

impl Store {
    async fn lock_activity(
        &self,
        txn: &DatabaseTransaction,
        id: Uuid,
    ) -> StoreResult<activity::Model> {
        let mut q = activity::Entity::find_by_id(id);
        if self.is_postgres() {
            q = q.lock_exclusive();
        }
        q.one(txn).await?.ok_or(StoreError::NotFound)
    }

    async fn set_leaders(
        &self,
        txn: &DatabaseTransaction,
        activity_id: Uuid,
        leaders: &[Uuid],
    ) -> StoreResult<()> {
        activity_leader::Entity::delete_many()
            .filter(activity_leader::Column::ActivityId.eq(activity_id))
            .exec(txn)
            .await?;
        let mut seen = std::collections::BTreeSet::new();
        for v in leaders {
            if seen.insert(*v) {
                activity_leader::ActiveModel {
                    activity_id: Set(activity_id),
                    volunteer_id: Set(*v),
                }
                .insert(txn)
                .await?;
            }
        }
        Ok(())
    }

    pub async fn create_activity(
        &self,
        a: NewActivity,
        now: DateTime<Utc>,
    ) -> StoreResult<activity::Model> {
        let txn = self.db.begin().await?;
        let id = Uuid::now_v7();
        let mut m = activity::ActiveModel {
            id: Set(id),
            organization_id: Set(a.organization_id),
            status: Set(ActivityStatus::Draft.into()),
            cancel_reason: Set(None),
            confirmed_count: Set(0),
            waitlist_count: Set(0),
            created_by: Set(a.created_by),
            created_at: Set(now),
            updated_at: Set(now),
            version: Set(1),
            ..Default::default()
        };
        set_plan(&mut m, &a.plan);
        let m = m.insert(&txn).await?;
        self.set_leaders(&txn, id, &a.plan.leader_ids).await?;
        txn.commit().await?;
        Ok(m)
    }

    /// Replaces the editable fields if the stored version is `expected_version` (when given).
    /// Raising the capacity moves people up from the waiting list; lowering it below the
    /// places already taken is refused.
    pub async fn update_activity(
        &self,
        id: Uuid,
        expected_version: Option<i32>,
        c: ActivityPlan,
        now: DateTime<Utc>,
    ) -> StoreResult<activity::Model> {
        let txn = self.db.begin().await?;
        let cur = self.lock_activity(&txn, id).await?;
        if expected_version.is_some_and(|v| v != cur.version) {
            return Err(StoreError::VersionMismatch);
        }
        if cur.status == ActivityStatus::Cancelled {
            return Err(StoreError::Conflict {
                code: ProblemCode::ActivityCancelled,
                message: "a cancelled activity cannot be changed".into(),
            });
        }
        if c.capacity < cur.confirmed_count {
            return Err(StoreError::Conflict {
                code: ProblemCode::CapacityBelowSignUps,
                message: format!(
                    "{} places are already taken; the capacity cannot go below that",
                    cur.confirmed_count
                ),
            });
        }
        let mut m: activity::ActiveModel = cur.clone().into();
        set_plan(&mut m, &c);
        m.updated_at = Set(now);
        m.version = Set(cur.version + 1);
        m.update(&txn).await?;
        if (c.starts_at, c.ends_at) != (cur.starts_at, cur.ends_at) {
            sign_up::Entity::update_many()
                .col_expr(sign_up::Column::StartsAt, Expr::value(c.starts_at))
                .col_expr(sign_up::Column::EndsAt, Expr::value(c.ends_at))
                .filter(sign_up::Column::ActivityId.eq(id))
                .exec(&txn)
                .await?;
            // Its reminders are due again for the new time.
            crate::entities::scheduled_notice::Entity::delete_many()
                .filter(
                    crate::entities::scheduled_notice::Column::SubjectId.in_subquery(
                        sea_orm::sea_query::Query::select()
                            .column(sign_up::Column::Id)
                            .from(sign_up::Entity)
                            .and_where(sign_up::Column::ActivityId.eq(id))
                            .to_owned(),
                    ),
                )
                .exec(&txn)
                .await?;
        }
        let moved = (c.starts_at, c.ends_at, &c.place) != (cur.starts_at, cur.ends_at, &cur.place);
        self.set_leaders(&txn, id, &c.leader_ids).await?;
        let free = c.capacity - cur.confirmed_count;
        if free > 0 {
            self.promote(&txn, id, free as u64, now).await?;
        }
        let out = activity::Entity::find_by_id(id)
            .one(&txn)
            .await?
            .ok_or(StoreError::NotFound)?;
        // A published activity moved to another month counts in that one.
        if cur.status == ActivityStatus::Published {
            let mut months = Changes::default();
            months.add(
                cur.organization_id,
                figures::month_of(cur.starts_at),
                Delta::held(-1),
            );
            months.add(
                out.organization_id,
                figures::month_of(out.starts_at),
                Delta::held(1),
            );
            months.write(&txn).await?;
        }
        if cur.status == ActivityStatus::Published && moved {
            emit(
                &txn,
                EventType::ActivityRescheduled,
                &[out.organization_id],
                activity_resource(&out),
                now,
            )
            .await?;
        }
        txn.commit().await?;
        Ok(out)
    }

    /// Moves a status forward when the current one is among `from`.
    pub async fn set_activity_status(
        &self,
        id: Uuid,
        from: &[ActivityStatus],
        to: ActivityStatus,
        reason: Option<String>,
        now: DateTime<Utc>,
    ) -> StoreResult<activity::Model> {
        let txn = self.db.begin().await?;
        let cur = self.lock_activity(&txn, id).await?;
        let res = activity::Entity::update_many()
            .col_expr(activity::Column::Status, Expr::value(to.as_str()))
            .col_expr(activity::Column::CancelReason, Expr::value(reason))
            .col_expr(activity::Column::UpdatedAt, Expr::value(now))
            .col_expr(
                activity::Column::Version,
                Expr::col(activity::Column::Version).add(1),
            )
            .filter(activity::Column::Id.eq(id))
            .filter(activity::Column::Status.is_in(from.iter().map(|s| s.as_str())))
            .exec(&txn)
            .await?;
        if res.rows_affected == 0 {
            return Err(StoreError::Conflict {
                code: ProblemCode::ActivityStatus,
                message: format!(
                    "the activity is {}; this needs it to be {}",
                    cur.status,
                    from.iter()
                        .map(|s| s.as_str())
                        .collect::<Vec<_>>()
                        .join(" or ")
                ),
            });
        }
        let out = activity::Entity::find_by_id(id)
            .one(&txn)
            .await?
            .ok_or(StoreError::NotFound)?;
        let announced = match to {
            ActivityStatus::Published => Some(EventType::ActivityPublished),
            ActivityStatus::Cancelled => Some(EventType::ActivityCancelled),
            _ => None,
        };
        if let Some(kind) = announced {
            emit(
                &txn,
                kind,
                &[out.organization_id],
                activity_resource(&out),
                now,
            )
            .await?;
        }
        // Published activities count in the month they start in.
        let published = ActivityStatus::Published;
        let change = i64::from(out.status == published) - i64::from(cur.status == published);
        if change != 0 {
            Changes::one(
                out.organization_id,
                figures::month_of(out.starts_at),
                Delta::held(change),
            )
            .write(&txn)
            .await?;
        }
        txn.commit().await?;
        Ok(out)
    }

    pub async fn get_activity(&self, id: Uuid) -> StoreResult<Option<activity::Model>> {
        Ok(activity::Entity::find_by_id(id).one(&self.db).await?)
    }

    /// Leaders of activities with their names: activity id to (volunteer id, name).
    pub async fn leaders_of(
        &self,
        activity_ids: &[Uuid],
    ) -> StoreResult<std::collections::HashMap<Uuid, Vec<(Uuid, String)>>> {
        let mut out: std::collections::HashMap<Uuid, Vec<(Uuid, String)>> = Default::default();
        if activity_ids.is_empty() {
            return Ok(out);
        }
        // One round trip: the leaders with their names.
        let rows: Vec<(Uuid, Uuid, String)> = activity_leader::Entity::find()
            .select_only()
            .column(activity_leader::Column::ActivityId)
            .column(activity_leader::Column::VolunteerId)
            .column(volunteer::Column::Name)
            .join(
                JoinType::InnerJoin,
                activity_leader::Entity::belongs_to(volunteer::Entity)
                    .from(activity_leader::Column::VolunteerId)
                    .to(volunteer::Column::Id)
                    .into(),
            )
            .filter(activity_leader::Column::ActivityId.is_in(activity_ids.to_vec()))
            .into_tuple()
            .all(&self.db)
            .await?;
        for (activity_id, volunteer_id, name) in rows {
            out.entry(activity_id)
                .or_default()
                .push((volunteer_id, name));
        }
        for v in out.values_mut() {
            v.sort_by(|a, b| a.1.cmp(&b.1));
        }
        Ok(out)
    }

    /// The volunteer's live sign-ups among these activities.
    pub async fn live_sign_ups_among(
        &self,
        volunteer_id: Uuid,
        activity_ids: &[Uuid],
    ) -> StoreResult<Vec<sign_up::Model>> {
        if activity_ids.is_empty() {
            return Ok(vec![]);
        }
        Ok(sign_up::Entity::find()
            .filter(sign_up::Column::VolunteerId.eq(volunteer_id))
            .filter(sign_up::Column::ActivityId.is_in(activity_ids.to_vec()))
            .filter(sign_up::Column::Status.is_in([
                SignUpStatus::Confirmed.as_str(),
                SignUpStatus::Waitlisted.as_str(),
            ]))
            .all(&self.db)
            .await?)
    }

    /// Activities the volunteer leads, among these.
    pub async fn led_among(
        &self,
        volunteer_id: Uuid,
        activity_ids: &[Uuid],
    ) -> StoreResult<Vec<Uuid>> {
        if activity_ids.is_empty() {
            return Ok(vec![]);
        }
        Ok(activity_leader::Entity::find()
            .filter(activity_leader::Column::VolunteerId.eq(volunteer_id))
            .filter(activity_leader::Column::ActivityId.is_in(activity_ids.to_vec()))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|l| l.activity_id)
            .collect())
    }

    pub async fn is_activity_leader(
        &self,
        activity_id: Uuid,
        volunteer_id: Uuid,
    ) -> StoreResult<bool> {
        Ok(
            activity_leader::Entity::find_by_id((activity_id, volunteer_id))
                .one(&self.db)
                .await?
                .is_some(),
        )
    }

    /// Published and cancelled activities for everyone; drafts only for the organisation's
    /// own admins and platform admins. Ordered by start, then id.
    pub async fn list_activities(
        &self,
        viewer: &Viewer,
        f: &ActivityFilter,
    ) -> StoreResult<Vec<activity::Model>> {
        let mut q = activity::Entity::find();
        if !viewer.platform_admin {
            let mut visible =
                Condition::any().add(activity::Column::Status.ne(ActivityStatus::Draft.as_str()));
            if !viewer.admin_of.is_empty() {
                visible =
                    visible.add(activity::Column::OrganizationId.is_in(viewer.admin_of.clone()));
            }
            q = q.filter(visible);
        }
        if let Some(v) = &f.region_prefix {
            // A province's or a city's activities in start order come from
            // `ix_activities_province_start` / `ix_activities_city_start` (indexes on the
            // code's first two or four digits), a county's from `ix_activities_region_start`.
            q = match v.len() {
                2 => q.filter(Expr::expr(Expr::cust("substr(region_code, 1, 2)")).eq(v.as_str())),
                4 => q.filter(Expr::expr(Expr::cust("substr(region_code, 1, 4)")).eq(v.as_str())),
                6 => q.filter(activity::Column::RegionCode.eq(v.as_str())),
                _ => q.filter(super::region_prefix(activity::Column::RegionCode, v)),
            };
        }
        if let Some(v) = &f.category {
            q = q.filter(activity::Column::Category.eq(v.as_str()));
        }
        if let Some(v) = f.organization_id {
            q = q.filter(activity::Column::OrganizationId.eq(v));
        }
        if let Some(v) = f.service_point_id {
            q = q.filter(activity::Column::ServicePointId.eq(v));
        }
        if let Some(v) = f.from {
            q = q.filter(activity::Column::EndsAt.gte(v));
        }
        if let Some(v) = f.to {
            q = q.filter(activity::Column::StartsAt.lt(v));
        }
        if let Some(v) = &f.status {
            q = q.filter(activity::Column::Status.eq(v.as_str()));
        }
        if let Some(v) = &f.key_date {
            q = q.filter(activity::Column::KeyDate.eq(v.as_str()));
        }
        if let Some(t) = &f.text {
            q = q.filter(
                Condition::any()
                    .add(super::contains_text(activity::Column::Title, t))
                    .add(super::contains_text(activity::Column::Description, t))
                    .add(super::contains_text(activity::Column::Place, t)),
            );
        }
        if let Some((at, id)) = f.after {
            q = q.filter(
                Condition::any().add(activity::Column::StartsAt.gt(at)).add(
                    Condition::all()
                        .add(activity::Column::StartsAt.eq(at))
                        .add(activity::Column::Id.gt(id)),
                ),
            );
        }
        Ok(q.order_by_asc(activity::Column::StartsAt)
            .order_by_asc(activity::Column::Id)
            .limit(f.limit)
            .all(&self.db)
            .await?)
    }

    /// Signs the account's volunteer up: a place while there is one, else the waiting list.
    /// Everything the decision rests on is read under the transaction's locks, the
    /// activity's first and then the volunteer's, and handed to `judge` (the caller's rules:
    /// who may see the activity, its sign-up window) before anything is written; an error
    /// from `judge` writes nothing. Under those locks this checks that the activity is still
    /// published and that none of the volunteer's live sign-ups overlaps it.
    pub async fn sign_up<E: From<StoreError>>(
        &self,
        activity_id: Uuid,
        account_id: Uuid,
        now: DateTime<Utc>,
        judge: impl FnOnce(SignUpGround<'_>) -> Result<(), E>,
    ) -> Result<SignedUp, E> {
        let txn = self.db.begin().await.map_err(StoreError::from)?;
        let a = self.lock_activity(&txn, activity_id).await?;
        let mut vq = volunteer::Entity::find().filter(volunteer::Column::AccountId.eq(account_id));
        if self.is_postgres() {
            vq = vq.lock_exclusive();
        }
        let v = vq.one(&txn).await.map_err(StoreError::from)?;
        let admitted = match &v {
            Some(v) if a.members_only => {
                super::volunteers::approved_members(a.organization_id, vec![v.id])
                    .count(&txn)
                    .await
                    .map_err(StoreError::from)?
                    > 0
            }
            _ => true,
        };
        judge(SignUpGround {
            activity: &a,
            volunteer: v.as_ref(),
            admitted,
        })?;
        let v = v.ok_or(StoreError::NotFound)?;
        if a.status != ActivityStatus::Published {
            return Err(not_open(*a.status).into());
        }
        let confirmed = a.confirmed_count < a.capacity;
        let status = if confirmed {
            SignUpStatus::Confirmed
        } else {
            SignUpStatus::Waitlisted
        };
        // The queue is ordered by (signed_up_at, id). `now` was read before the lock, so a
        // request that waited for it could sort ahead of one already queued; it joins the
        // end instead, and its place is the queue's length under the lock.
        let (at, position) = if confirmed {
            (now, None)
        } else {
            let last: Option<DateTime<Utc>> = sign_up::Entity::find()
                .select_only()
                .column_as(sign_up::Column::SignedUpAt.max(), "last")
                .filter(sign_up::Column::ActivityId.eq(a.id))
                .filter(sign_up::Column::Status.eq(SignUpStatus::Waitlisted.as_str()))
                .into_tuple::<Option<DateTime<Utc>>>()
                .one(&txn)
                .await
                .map_err(StoreError::from)?
                .flatten();
            let at = match last {
                Some(l) if l >= now => l + chrono::Duration::microseconds(1),
                _ => now,
            };
            (at, Some(i64::from(a.waitlist_count) + 1))
        };
        let s = self
            .insert_unless_clash(&txn, &a, v.id, status, at)
            .await
            .map_err(|e| match e {
                StoreError::Conflict { .. } => StoreError::Conflict {
                    code: ProblemCode::AlreadySignedUp,
                    message: "the volunteer is already signed up for this activity".into(),
                },
                other => other,
            })?;
        let Some(s) = s else {
            return Err(self.clash(&txn, &a, v.id).await?.into());
        };
        if confirmed {
            emit(
                &txn,
                EventType::SignUpConfirmed,
                &[a.organization_id],
                sign_up_resource(&s, a.organization_id),
                now,
            )
            .await?;
        }
        txn.commit().await.map_err(StoreError::from)?;
        Ok(SignedUp {
            volunteer: v,
            sign_up: s,
            waitlist_position: position,
        })
    }

    /// Writes the sign-up and counts it on the activity, unless one of the volunteer's live
    /// sign-ups clashes with it (`clashing`); `None` when one does, and nothing is written.
    /// The check runs in the statement that inserts: the volunteer's lock, taken by an
    /// earlier statement, keeps it true until the commit. On PostgreSQL the count is updated in the same statement; SQLite, which
    /// has no writing common table expressions, updates it in a second one.
    async fn insert_unless_clash(
        &self,
        txn: &DatabaseTransaction,
        a: &activity::Model,
        volunteer_id: Uuid,
        status: SignUpStatus,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<sign_up::Model>> {
        let backend = txn.get_database_backend();
        let mut b = super::Binder::new(backend);
        let (id, act, vol) = (b.bind(Uuid::now_v7()), b.bind(a.id), b.bind(volunteer_id));
        let (st, at, no) = (b.bind(status.as_str()), b.bind(now), b.bind(false));
        let (from, to) = (b.bind(a.starts_at), b.bind(a.ends_at));
        let clashes = clashing(&mut b, &act, &vol, &from, &to);
        let insert = format!(
            "INSERT INTO sign_ups (id, activity_id, volunteer_id, status, signed_up_at, absent, \
                                   starts_at, ends_at) \
             SELECT {id}, {act}, {vol}, {st}, {at}, {no}, {from}, {to} \
             WHERE NOT EXISTS (SELECT 1 {clashes}) \
             RETURNING *"
        );
        let count = if status == SignUpStatus::Confirmed {
            "confirmed_count"
        } else {
            "waitlist_count"
        };
        let bump = |act: &str, cond: &str| {
            format!("UPDATE activities SET {count} = {count} + 1 WHERE id = {act}{cond}")
        };
        let row = if backend == sea_orm::DbBackend::Postgres {
            let sql = format!(
                "WITH ins AS ({insert}), counted AS ({}) SELECT * FROM ins",
                bump(&act, " AND EXISTS (SELECT 1 FROM ins)")
            );
            txn.query_one(b.statement(sql)).await?
        } else {
            let row = txn.query_one(b.statement(insert)).await?;
            if row.is_some() {
                let mut u = super::Binder::new(backend);
                let sql = bump(&u.bind(a.id), "");
                txn.execute(u.statement(sql)).await?;
            }
            row
        };
        row.map(|r| sign_up::Model::from_query_result(&r, ""))
            .transpose()
            .map_err(StoreError::from)
    }

    /// Why `insert_unless_clash` wrote nothing: the volunteer's live sign-up for this
    /// activity, or one at an overlapping time (named by its title).
    async fn clash(
        &self,
        txn: &DatabaseTransaction,
        a: &activity::Model,
        volunteer_id: Uuid,
    ) -> StoreResult<StoreError> {
        let mut b = super::Binder::new(txn.get_database_backend());
        let (act, vol) = (b.bind(a.id), b.bind(volunteer_id));
        let (from, to) = (b.bind(a.starts_at), b.bind(a.ends_at));
        let sql = format!(
            "SELECT s.activity_id, a.title {}",
            clashing(&mut b, &act, &vol, &from, &to)
        );
        let hits = txn
            .query_all(b.statement(sql))
            .await?
            .iter()
            .map(|r| Ok((r.try_get("", "activity_id")?, r.try_get("", "title")?)))
            .collect::<Result<Vec<(Uuid, String)>, sea_orm::DbErr>>()?;
        Ok(if hits.iter().any(|(id, _)| *id == a.id) {
            StoreError::Conflict {
                code: ProblemCode::AlreadySignedUp,
                message: "the volunteer is already signed up for this activity".into(),
            }
        } else if let Some((_, title)) = hits.first() {
            StoreError::Conflict {
                code: ProblemCode::OverlappingSignUp,
                message: format!("already signed up for 「{title}」 at an overlapping time"),
            }
        } else {
            StoreError::Contention("the sign-up clashed with one withdrawn meanwhile".into())
        })
    }

    /// Moves up to `n` people from the waiting list into places, first come first served.
    async fn promote(
        &self,
        txn: &DatabaseTransaction,
        activity_id: Uuid,
        n: u64,
        now: DateTime<Utc>,
    ) -> StoreResult<Vec<sign_up::Model>> {
        let next = sign_up::Entity::find()
            .filter(sign_up::Column::ActivityId.eq(activity_id))
            .filter(sign_up::Column::Status.eq(SignUpStatus::Waitlisted.as_str()))
            .order_by_asc(sign_up::Column::SignedUpAt)
            .order_by_asc(sign_up::Column::Id)
            .limit(n)
            .all(txn)
            .await?;
        if next.is_empty() {
            return Ok(vec![]);
        }
        let ids: Vec<Uuid> = next.iter().map(|s| s.id).collect();
        sign_up::Entity::update_many()
            .col_expr(
                sign_up::Column::Status,
                Expr::value(SignUpStatus::Confirmed.as_str()),
            )
            .col_expr(sign_up::Column::PromotedAt, Expr::value(now))
            .filter(sign_up::Column::Id.is_in(ids.clone()))
            .exec(txn)
            .await?;
        let k = next.len() as i32;
        activity::Entity::update_many()
            .col_expr(
                activity::Column::ConfirmedCount,
                Expr::col(activity::Column::ConfirmedCount).add(k),
            )
            .col_expr(
                activity::Column::WaitlistCount,
                Expr::col(activity::Column::WaitlistCount).sub(k),
            )
            .filter(activity::Column::Id.eq(activity_id))
            .exec(txn)
            .await?;
        let promoted = sign_up::Entity::find()
            .filter(sign_up::Column::Id.is_in(ids))
            .all(txn)
            .await?;
        if let Some(org) = activity::Entity::find_by_id(activity_id)
            .one(txn)
            .await?
            .map(|a| a.organization_id)
        {
            for s in &promoted {
                emit(
                    txn,
                    EventType::SignUpPromoted,
                    &[org],
                    sign_up_resource(s, org),
                    now,
                )
                .await?;
            }
        }
        Ok(promoted)
    }

    /// Withdraws the volunteer's live sign-up; a freed place goes to the first on the list.
    pub async fn cancel_sign_up(
        &self,
        activity_id: Uuid,
        volunteer_id: Uuid,
        now: DateTime<Utc>,
    ) -> StoreResult<Cancellation> {
        let txn = self.db.begin().await?;
        let done = self
            .cancel_sign_up_in(&txn, activity_id, volunteer_id, now)
            .await?;
        txn.commit().await?;
        Ok(done)
    }

    /// `cancel_sign_up` within the caller's transaction (a followed withdraw link marks
    /// itself used in the same one, so a refused withdrawal leaves the link unused).
    pub(crate) async fn cancel_sign_up_in(
        &self,
        txn: &DatabaseTransaction,
        activity_id: Uuid,
        volunteer_id: Uuid,
        now: DateTime<Utc>,
    ) -> StoreResult<Cancellation> {
        let a = self.lock_activity(txn, activity_id).await?;
        let s = sign_up::Entity::find()
            .filter(sign_up::Column::ActivityId.eq(activity_id))
            .filter(sign_up::Column::VolunteerId.eq(volunteer_id))
            .filter(sign_up::Column::Status.is_in([
                SignUpStatus::Confirmed.as_str(),
                SignUpStatus::Waitlisted.as_str(),
            ]))
            .one(txn)
            .await?
            .ok_or(StoreError::NotFound)?;
        if s.checked_in_at.is_some() {
            return Err(StoreError::Conflict {
                code: ProblemCode::AlreadyCheckedIn,
                message: "a sign-up that has checked in cannot be withdrawn".into(),
            });
        }
        let was_confirmed = s.status == SignUpStatus::Confirmed;
        let mut m: sign_up::ActiveModel = s.into();
        m.status = Set(SignUpStatus::Cancelled.into());
        m.cancelled_at = Set(Some(now));
        let cancelled = m.update(txn).await?;
        let col = if was_confirmed {
            activity::Column::ConfirmedCount
        } else {
            activity::Column::WaitlistCount
        };
        activity::Entity::update_many()
            .col_expr(col, Expr::col(col).sub(1))
            .filter(activity::Column::Id.eq(activity_id))
            .exec(txn)
            .await?;
        let promoted = if was_confirmed && a.status == ActivityStatus::Published {
            self.promote(txn, activity_id, 1, now)
                .await?
                .into_iter()
                .next()
        } else {
            None
        };
        Ok(Cancellation {
            cancelled,
            promoted,
        })
    }

    /// The volunteer's live sign-up for an activity.
    pub async fn live_sign_up(
        &self,
        activity_id: Uuid,
        volunteer_id: Uuid,
    ) -> StoreResult<Option<sign_up::Model>> {
        Ok(sign_up::Entity::find()
            .filter(sign_up::Column::ActivityId.eq(activity_id))
            .filter(sign_up::Column::VolunteerId.eq(volunteer_id))
            .filter(sign_up::Column::Status.is_in([
                SignUpStatus::Confirmed.as_str(),
                SignUpStatus::Waitlisted.as_str(),
            ]))
            .one(&self.db)
            .await?)
    }

    /// 1-based place on the waiting list.
    pub async fn waitlist_position(&self, s: &sign_up::Model) -> StoreResult<i64> {
        let ahead = sign_up::Entity::find()
            .filter(sign_up::Column::ActivityId.eq(s.activity_id))
            .filter(sign_up::Column::Status.eq(SignUpStatus::Waitlisted.as_str()))
            .filter(
                Condition::any()
                    .add(sign_up::Column::SignedUpAt.lt(s.signed_up_at))
                    .add(
                        Condition::all()
                            .add(sign_up::Column::SignedUpAt.eq(s.signed_up_at))
                            .add(sign_up::Column::Id.lt(s.id)),
                    ),
            )
            .count(&self.db)
            .await?;
        Ok(ahead as i64 + 1)
    }

    /// Sign-ups of an activity, waiting list in order; with the volunteers' masked contact.
    pub async fn list_sign_ups(
        &self,
        activity_id: Uuid,
        status: Option<SignUpStatus>,
        after: Option<Uuid>,
        limit: u64,
    ) -> StoreResult<Vec<SignUpRow>> {
        let mut q = sign_up::Entity::find()
            .filter(sign_up::Column::ActivityId.eq(activity_id))
            .find_also_related(volunteer::Entity);
        if let Some(s) = status {
            q = q.filter(sign_up::Column::Status.eq(s.as_str()));
        }
        if let Some(a) = after {
            q = q.filter(sign_up::Column::Id.gt(a));
        }
        let rows = q
            .order_by_asc(sign_up::Column::Id)
            .limit(limit)
            .all(&self.db)
            .await?;
        let waiting: Vec<Uuid> = sign_up::Entity::find()
            .filter(sign_up::Column::ActivityId.eq(activity_id))
            .filter(sign_up::Column::Status.eq(SignUpStatus::Waitlisted.as_str()))
            .order_by_asc(sign_up::Column::SignedUpAt)
            .order_by_asc(sign_up::Column::Id)
            .select_only()
            .column(sign_up::Column::Id)
            .into_tuple()
            .all(&self.db)
            .await?;
        Ok(rows
            .into_iter()
            .map(|(s, v)| {
                let pos = waiting
                    .iter()
                    .position(|w| *w == s.id)
                    .map(|p| p as i64 + 1);
                let (name, number, phone) = v
                    .map(|v| (v.name, v.volunteer_number, v.phone_masked))
                    .unwrap_or_default();
                SignUpRow {
                    sign_up: s,
                    volunteer_name: name,
                    volunteer_number: number,
                    phone_masked: phone,
                    waitlist_position: pos,
                }
            })
            .collect())
    }

    /// A volunteer's sign-ups (all states), newest first, with their activities.
    pub async fn sign_ups_of_volunteer(
        &self,
        volunteer_id: Uuid,
        after: Option<Uuid>,
        limit: u64,
    ) -> StoreResult<Vec<(sign_up::Model, activity::Model)>> {
        let mut q = sign_up::Entity::find()
            .filter(sign_up::Column::VolunteerId.eq(volunteer_id))
            .find_also_related(activity::Entity);
        if let Some(a) = after {
            q = q.filter(sign_up::Column::Id.lt(a));
        }
        Ok(q.order_by_desc(sign_up::Column::Id)
            .limit(limit)
            .all(&self.db)
            .await?
            .into_iter()
            .filter_map(|(s, a)| a.map(|a| (s, a)))
            .collect())
    }

    /// Records check-in (`out == false`) or check-out by the volunteer with a valid code.
    pub async fn check_in_out(
        &self,
        sign_up_id: Uuid,
        out: bool,
        now: DateTime<Utc>,
    ) -> StoreResult<sign_up::Model> {
        let mut q = sign_up::Entity::update_many()
            .filter(sign_up::Column::Id.eq(sign_up_id))
            .filter(sign_up::Column::Status.eq(SignUpStatus::Confirmed.as_str()));
        q = if out {
            q.col_expr(sign_up::Column::CheckedOutAt, Expr::value(now))
                .filter(sign_up::Column::CheckedInAt.is_not_null())
                .filter(sign_up::Column::CheckedOutAt.is_null())
        } else {
            q.col_expr(sign_up::Column::CheckedInAt, Expr::value(now))
                .col_expr(sign_up::Column::Absent, Expr::value(false))
                .col_expr(sign_up::Column::AttendanceSource, Expr::value("code"))
                .filter(sign_up::Column::CheckedInAt.is_null())
        };
        let res = q.exec(&self.db).await?;
        let s = sign_up::Entity::find_by_id(sign_up_id)
            .one(&self.db)
            .await?
            .ok_or(StoreError::NotFound)?;
        if res.rows_affected == 0 {
            let (code, message) = if out && s.checked_in_at.is_none() {
                (ProblemCode::NotCheckedIn, "check in before checking out")
            } else if out {
                (ProblemCode::AlreadyCheckedOut, "already checked out")
            } else {
                (ProblemCode::AlreadyCheckedIn, "already checked in")
            };
            return Err(StoreError::Conflict {
                code,
                message: message.into(),
            });
        }
        Ok(s)
    }

    /// Sets attendance by hand and keeps the change with who, when and why.
    pub async fn record_attendance(
        &self,
        sign_up_id: Uuid,
        e: AttendanceEntry,
        now: DateTime<Utc>,
    ) -> StoreResult<sign_up::Model> {
        let txn = self.db.begin().await?;
        let s = sign_up::Entity::find_by_id(sign_up_id)
            .one(&txn)
            .await?
            .ok_or(StoreError::NotFound)?;
        let mut m: sign_up::ActiveModel = s.into();
        m.checked_in_at = Set(e.checked_in_at);
        m.checked_out_at = Set(e.checked_out_at);
        m.absent = Set(e.absent);
        m.attendance_source = Set(Some(AttendanceSource::Manual.into()));
        let out = m.update(&txn).await?;
        attendance_change::ActiveModel {
            id: Set(Uuid::now_v7()),
            sign_up_id: Set(sign_up_id),
            changed_by: Set(e.by),
            changed_at: Set(now),
            reason: Set(e.reason),
            checked_in_at: Set(e.checked_in_at),
            checked_out_at: Set(e.checked_out_at),
            absent: Set(e.absent),
        }
        .insert(&txn)
        .await?;
        txn.commit().await?;
        Ok(out)
    }

    /// Hand-made attendance changes of a sign-up, oldest first.
    pub async fn attendance_changes(
        &self,
        sign_up_id: Uuid,
    ) -> StoreResult<Vec<attendance_change::Model>> {
        Ok(attendance_change::Entity::find()
            .filter(attendance_change::Column::SignUpId.eq(sign_up_id))
            .order_by_asc(attendance_change::Column::Id)
            .all(&self.db)
            .await?)
    }

    /// Confirmed sign-ups of an activity (the participants whose hours are confirmed).
    pub async fn participants(&self, activity_id: Uuid) -> StoreResult<Vec<sign_up::Model>> {
        Ok(sign_up::Entity::find()
            .filter(sign_up::Column::ActivityId.eq(activity_id))
            .filter(sign_up::Column::Status.eq(SignUpStatus::Confirmed.as_str()))
            .order_by_asc(sign_up::Column::Id)
            .all(&self.db)
            .await?)
    }
}

/// A sign-up as the `sign_up.*` events carry it.
fn sign_up_resource(s: &sign_up::Model, organization_id: Uuid) -> serde_json::Value {
    super::webhooks::resource_value(&zhihui_contract::events::SignUpResource {
        kind: "sign_up".into(),
        id: s.id,
        activity_id: s.activity_id,
        organization_id,
        volunteer_id: s.volunteer_id,
        status: *s.status,
        starts_at: s.starts_at,
        href: format!("/api/v1/activities/{}", s.activity_id),
    })
}

/// An activity as the `activity.*` events carry it.
fn activity_resource(out: &activity::Model) -> serde_json::Value {
    super::webhooks::resource_value(&zhihui_contract::events::ActivityResource {
        kind: "activity".into(),
        id: out.id,
        organization_id: out.organization_id,
        title: out.title.clone(),
        category: *out.category,
        status: *out.status,
        region_code: out.region_code.clone(),
        starts_at: out.starts_at,
        ends_at: out.ends_at,
        capacity: out.capacity,
        cancel_reason: out.cancel_reason.clone(),
        href: format!("/api/v1/activities/{}", out.id),
    })
}
