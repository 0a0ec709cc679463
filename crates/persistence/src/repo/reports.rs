//! Monthly reports and the live roll-up over the organisation and region trees
//! (rules 39-43).
//!
//! The roll-up runs a fixed number of grouped queries whatever the size of the tree: each
//! groups by organisation inside the scope (a subtree through the closure table, or a
//! region-code prefix through the organisations' regions), and the caller folds the rows
//! into children. Nothing is precomputed; the figures are as fresh as the records.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, Func, SimpleExpr};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseTransaction, EntityTrait, JoinType, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, RelationDef, Select, Set, TransactionTrait,
};
use uuid::Uuid;
use zhihui_domain::report::china_day_start;
use zhihui_domain::{ActivityStatus, MembershipStatus, Month, OrganizationStatus, ReportStatus};

use super::applications::NewAttachment;
use super::Actor;
use crate::entities::{
    activity, membership, monthly_report, organization, organization_closure, pairing,
    report_photo, service_record,
};
use crate::repo::webhooks::emit;
use crate::{Store, StoreError, StoreResult};
use zhihui_domain::integration::EventType;

/// The states in which a report counts as filed.
const FILED: [&str; 2] = ["submitted", "accepted"];

/// What the platform holds for one organisation over a period.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Figures {
    pub activities_held: i64,
    pub attendances: i64,
    pub hours_tenths: i64,
    pub new_volunteers: i64,
    pub pairing_activities: i64,
}

/// A period: China dates for records, and the same days as UTC instants for timestamps.
#[derive(Debug, Clone, Copy)]
pub struct Period {
    pub first_day: NaiveDate,
    pub last_day: NaiveDate,
    pub from: DateTime<Utc>,
    /// Exclusive.
    pub until: DateTime<Utc>,
}

impl Period {
    /// The months `from` to `to` (China time).
    pub fn months(from: Month, to: Month) -> Self {
        Self {
            first_day: from.first_day(),
            last_day: to.last_day(),
            from: china_day_start(from.first_day()),
            until: china_day_start(to.next().first_day()),
        }
    }
}

/// Where a roll-up looks.
#[derive(Debug, Clone)]
pub enum RollScope {
    /// An organisation and everything below it.
    Subtree(Uuid),
    /// Organisations whose region code starts with the prefix (empty: the nation).
    Region(String),
}

/// An organisation in a roll-up's scope.
#[derive(Debug, Clone)]
pub struct ScopedOrg {
    pub id: Uuid,
    pub parent_id: Option<Uuid>,
    pub region_code: String,
    pub level: String,
    pub approved_members: i64,
}

/// Reports filed for one organisation over the months of a roll-up.
#[derive(Debug, Clone, Copy, Default)]
pub struct Filed {
    pub reports: i64,
    /// Of them, reports for months already past their deadline.
    pub due_reports: i64,
    pub late: i64,
    pub people_served: i64,
    pub pairing_activities: i64,
}

/// Per-organisation figures of a scope, for the caller to fold.
#[derive(Debug, Default)]
pub struct ScopeFigures {
    pub orgs: Vec<ScopedOrg>,
    pub figures: HashMap<Uuid, Figures>,
    pub filed: HashMap<Uuid, Filed>,
}

/// The content an organisation writes into its report.
pub struct ReportContent {
    pub people_served: Option<i32>,
    pub narrative: String,
    pub highlights: String,
    pub problems: String,
    pub next_plan: String,
}

#[derive(Default)]
pub struct ReportFilter {
    pub organizations: Option<Vec<Uuid>>,
    pub month_from: Option<String>,
    pub month_to: Option<String>,
    pub status: Option<String>,
    pub region_prefix: Option<String>,
    pub before: Option<Uuid>,
    pub limit: u64,
}

/// A report change: the states it may start from and what it sets.
pub enum ReportStep {
    Content(ReportContent),
    Submit { figures: Figures, late: bool },
    Return { reason: String },
    Accept,
}

fn by_org<E: EntityTrait>(org_col: E::Column) -> RelationDef
where
    E::Column: sea_orm::IdenStatic,
{
    E::belongs_to(organization::Entity)
        .from(org_col)
        .to(organization::Column::Id)
        .into()
}

fn by_closure<E: EntityTrait>(org_col: E::Column) -> RelationDef {
    E::belongs_to(organization_closure::Entity)
        .from(org_col)
        .to(organization_closure::Column::DescendantId)
        .into()
}

/// Limits a query on a table with an organisation column to the scope.
fn scoped<E: EntityTrait>(q: Select<E>, org_col: E::Column, scope: &RollScope) -> Select<E> {
    match scope {
        RollScope::Subtree(root) => q
            .join(JoinType::InnerJoin, by_closure::<E>(org_col))
            .filter(organization_closure::Column::AncestorId.eq(*root)),
        RollScope::Region(prefix) if prefix.is_empty() => q,
        RollScope::Region(prefix) => q
            .join(JoinType::InnerJoin, by_org::<E>(org_col))
            .filter(organization::Column::RegionCode.starts_with(prefix.as_str())),
    }
}

fn status_conflict(status: &str, from: &[ReportStatus]) -> StoreError {
    StoreError::Conflict {
        code: "report_status",
        message: format!(
            "the report is {status}; this needs it to be {}",
            from.iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(" or ")
        ),
    }
}

impl Store {
    /// One organisation's figures over a period (a month for a report).
    pub async fn organization_figures(&self, org: Uuid, p: Period) -> StoreResult<Figures> {
        let scope = ScopeFilter::One(org);
        let mut f = self
            .figures_by_org(&scope, p)
            .await?
            .remove(&org)
            .unwrap_or_default();
        f.pairing_activities = self.pairing_activities(org, p).await?;
        Ok(f)
    }

    /// Activities held in a paired county by a society paired with it during the period,
    /// counted for either party.
    async fn pairing_activities(&self, org: Uuid, p: Period) -> StoreResult<i64> {
        let pairs = pairing::Entity::find()
            .filter(
                sea_orm::Condition::any()
                    .add(pairing::Column::SocietyId.eq(org))
                    .add(pairing::Column::CountyId.eq(org)),
            )
            .filter(pairing::Column::PeriodFrom.lte(p.last_day))
            .filter(pairing::Column::PeriodTo.gte(p.first_day))
            .all(&self.db)
            .await?;
        let mut n = 0;
        for pr in pairs {
            let Some(county) = organization::Entity::find_by_id(pr.county_id)
                .one(&self.db)
                .await?
            else {
                continue;
            };
            let from = p.from.max(china_day_start(pr.period_from));
            let until = p
                .until
                .min(china_day_start(pr.period_to) + chrono::Duration::days(1));
            n += activity::Entity::find()
                .filter(activity::Column::OrganizationId.eq(pr.society_id))
                .filter(activity::Column::RegionCode.eq(county.region_code))
                .filter(activity::Column::Status.eq(ActivityStatus::Published.as_str()))
                .filter(activity::Column::StartsAt.gte(from))
                .filter(activity::Column::StartsAt.lt(until))
                .count(&self.db)
                .await? as i64;
        }
        Ok(n)
    }

    /// Figures grouped by organisation within a scope: four grouped queries.
    async fn figures_by_org(
        &self,
        scope: &ScopeFilter,
        p: Period,
    ) -> StoreResult<HashMap<Uuid, Figures>> {
        let mut out: HashMap<Uuid, Figures> = HashMap::new();
        let q = activity::Entity::find()
            .select_only()
            .column(activity::Column::OrganizationId)
            .column_as(
                Expr::col((activity::Entity, activity::Column::Id)).count(),
                "n",
            )
            .filter(activity::Column::Status.eq(ActivityStatus::Published.as_str()))
            .filter(activity::Column::StartsAt.gte(p.from))
            .filter(activity::Column::StartsAt.lt(p.until))
            .group_by(activity::Column::OrganizationId);
        let rows: Vec<(Uuid, i64)> = scope
            .apply(q, activity::Column::OrganizationId)
            .into_tuple()
            .all(&self.db)
            .await?;
        for (org, n) in rows {
            out.entry(org).or_default().activities_held = n;
        }
        let q = service_record::Entity::find()
            .select_only()
            .column(service_record::Column::OrganizationId)
            .column_as(
                Expr::col((service_record::Entity, service_record::Column::Id)).count(),
                "n",
            )
            .column_as(
                SimpleExpr::from(Func::coalesce([
                    Expr::col((service_record::Entity, service_record::Column::HoursTenths)).sum(),
                    Expr::val(0i64).into(),
                ])),
                "h",
            )
            .filter(service_record::Column::ServiceDate.gte(p.first_day))
            .filter(service_record::Column::ServiceDate.lte(p.last_day))
            .group_by(service_record::Column::OrganizationId);
        let rows: Vec<(Uuid, i64, i64)> = scope
            .apply(q, service_record::Column::OrganizationId)
            .into_tuple()
            .all(&self.db)
            .await?;
        for (org, n, h) in rows {
            let f = out.entry(org).or_default();
            f.attendances = n;
            f.hours_tenths = h;
        }
        let q = membership::Entity::find()
            .select_only()
            .column(membership::Column::OrganizationId)
            .column_as(
                Expr::col((membership::Entity, membership::Column::Id)).count(),
                "n",
            )
            .filter(membership::Column::Status.eq(MembershipStatus::Approved.as_str()))
            .filter(membership::Column::DecidedAt.gte(p.from))
            .filter(membership::Column::DecidedAt.lt(p.until))
            .group_by(membership::Column::OrganizationId);
        let rows: Vec<(Uuid, i64)> = scope
            .apply(q, membership::Column::OrganizationId)
            .into_tuple()
            .all(&self.db)
            .await?;
        for (org, n) in rows {
            out.entry(org).or_default().new_volunteers = n;
        }
        Ok(out)
    }

    /// Everything a roll-up folds: the approved organisations in scope, their figures, and
    /// the reports they filed for `months` (submitted or accepted).
    pub async fn scope_figures(
        &self,
        scope: &RollScope,
        p: Period,
        months: &[String],
        due: &[String],
    ) -> StoreResult<ScopeFigures> {
        let q = organization::Entity::find()
            .select_only()
            .column(organization::Column::Id)
            .column(organization::Column::ParentId)
            .column(organization::Column::RegionCode)
            .column(organization::Column::Level)
            .column(organization::Column::ApprovedMembers)
            .filter(organization::Column::Status.eq(OrganizationStatus::Approved.as_str()));
        let q = match scope {
            RollScope::Subtree(root) => q
                .join(
                    JoinType::InnerJoin,
                    by_closure::<organization::Entity>(organization::Column::Id),
                )
                .filter(organization_closure::Column::AncestorId.eq(*root)),
            RollScope::Region(prefix) => {
                q.filter(organization::Column::RegionCode.starts_with(prefix.as_str()))
            }
        };
        let orgs: Vec<(Uuid, Option<Uuid>, String, String, i64)> =
            q.into_tuple().all(&self.db).await?;
        let orgs = orgs
            .into_iter()
            .map(
                |(id, parent_id, region_code, level, approved_members)| ScopedOrg {
                    id,
                    parent_id,
                    region_code,
                    level,
                    approved_members,
                },
            )
            .collect();
        let filter = ScopeFilter::Roll(scope.clone());
        let figures = self.figures_by_org(&filter, p).await?;
        // One pass over the period's filed reports: how many, their sums, how many were
        // late, and how many are for months already past their deadline.
        let count_if = |cond: SimpleExpr| -> SimpleExpr {
            Func::sum(SimpleExpr::Case(Box::new(
                Expr::case(cond, 1i32).finally(0i32),
            )))
            .into()
        };
        let q = monthly_report::Entity::find()
            .select_only()
            .column(monthly_report::Column::OrganizationId)
            .column_as(
                Expr::col((monthly_report::Entity, monthly_report::Column::Id)).count(),
                "n",
            )
            .column_as(
                SimpleExpr::from(Func::coalesce([
                    Expr::col((monthly_report::Entity, monthly_report::Column::PeopleServed)).sum(),
                    Expr::val(0i64).into(),
                ])),
                "people",
            )
            .column_as(
                SimpleExpr::from(Func::coalesce([
                    Expr::col((
                        monthly_report::Entity,
                        monthly_report::Column::PairingActivities,
                    ))
                    .sum(),
                    Expr::val(0i64).into(),
                ])),
                "pairing",
            )
            .column_as(
                count_if(
                    Expr::col((monthly_report::Entity, monthly_report::Column::Late)).eq(true),
                ),
                "late",
            )
            .column_as(
                count_if(if due.is_empty() {
                    Expr::val(false).into()
                } else {
                    Expr::col((monthly_report::Entity, monthly_report::Column::Month))
                        .is_in(due.to_vec())
                }),
                "due",
            )
            .filter(monthly_report::Column::Month.is_in(months.to_vec()))
            .filter(monthly_report::Column::Status.is_in(FILED))
            .group_by(monthly_report::Column::OrganizationId);
        let rows: Vec<(Uuid, i64, i64, i64, i64, i64)> = filter
            .apply(q, monthly_report::Column::OrganizationId)
            .into_tuple()
            .all(&self.db)
            .await?;
        let filed: HashMap<Uuid, Filed> = rows
            .into_iter()
            .map(|(org, n, people, pairing, late, due_reports)| {
                (
                    org,
                    Filed {
                        reports: n,
                        due_reports,
                        late,
                        people_served: people,
                        pairing_activities: pairing,
                    },
                )
            })
            .collect();
        Ok(ScopeFigures {
            orgs,
            figures,
            filed,
        })
    }

    /// The months among `months` for which each organisation filed (submitted or accepted).
    pub async fn filed_months(
        &self,
        orgs: &[Uuid],
        months: &[String],
    ) -> StoreResult<HashMap<Uuid, Vec<String>>> {
        if orgs.is_empty() || months.is_empty() {
            return Ok(HashMap::new());
        }
        let rows: Vec<(Uuid, String)> = monthly_report::Entity::find()
            .select_only()
            .column(monthly_report::Column::OrganizationId)
            .column(monthly_report::Column::Month)
            .filter(monthly_report::Column::OrganizationId.is_in(orgs.to_vec()))
            .filter(monthly_report::Column::Month.is_in(months.to_vec()))
            .filter(monthly_report::Column::Status.is_in(FILED))
            .into_tuple()
            .all(&self.db)
            .await?;
        let mut out: HashMap<Uuid, Vec<String>> = HashMap::new();
        for (o, m) in rows {
            out.entry(o).or_default().push(m);
        }
        Ok(out)
    }

    /// Whether `ancestor` is `org` or above it.
    pub async fn is_ancestor_or_self(&self, ancestor: Uuid, org: Uuid) -> StoreResult<bool> {
        Ok(organization_closure::Entity::find_by_id((ancestor, org))
            .one(&self.db)
            .await?
            .is_some())
    }

    /// Organisations the given ones administer, to any depth (themselves included).
    pub async fn subtree_ids(&self, roots: &[Uuid]) -> StoreResult<Vec<Uuid>> {
        if roots.is_empty() {
            return Ok(vec![]);
        }
        Ok(organization_closure::Entity::find()
            .select_only()
            .column(organization_closure::Column::DescendantId)
            .filter(organization_closure::Column::AncestorId.is_in(roots.to_vec()))
            .distinct()
            .into_tuple()
            .all(&self.db)
            .await?)
    }

    pub async fn report_of(
        &self,
        org: Uuid,
        month: &str,
    ) -> StoreResult<Option<monthly_report::Model>> {
        Ok(monthly_report::Entity::find()
            .filter(monthly_report::Column::OrganizationId.eq(org))
            .filter(monthly_report::Column::Month.eq(month))
            .one(&self.db)
            .await?)
    }

    pub async fn get_report(&self, id: Uuid) -> StoreResult<Option<monthly_report::Model>> {
        Ok(monthly_report::Entity::find_by_id(id).one(&self.db).await?)
    }

    /// Creates the draft with the figures, or refreshes the figures of an open one (draft or
    /// returned). A filed report is returned as it is.
    pub async fn prepare_report(
        &self,
        org: Uuid,
        month: &str,
        figures: Figures,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> StoreResult<(monthly_report::Model, bool)> {
        let txn = self.db.begin().await?;
        let existing = monthly_report::Entity::find()
            .filter(monthly_report::Column::OrganizationId.eq(org))
            .filter(monthly_report::Column::Month.eq(month))
            .one(&txn)
            .await?;
        let out = match existing {
            Some(r) => {
                let cur = self.lock_report(&txn, r.id).await?;
                if matches!(cur.status.as_str(), "draft" | "returned") {
                    let mut m: monthly_report::ActiveModel = cur.clone().into();
                    set_figures(&mut m, figures);
                    m.updated_at = Set(now);
                    m.version = Set(cur.version + 1);
                    (m.update(&txn).await?, false)
                } else {
                    (cur, false)
                }
            }
            None => {
                let m = monthly_report::ActiveModel {
                    id: Set(Uuid::now_v7()),
                    organization_id: Set(org),
                    month: Set(month.to_string()),
                    activities_held: Set(0),
                    attendances: Set(0),
                    hours_tenths: Set(0),
                    new_volunteers: Set(0),
                    pairing_activities: Set(0),
                    people_served: Set(None),
                    narrative: Set(String::new()),
                    highlights: Set(String::new()),
                    problems: Set(String::new()),
                    next_plan: Set(String::new()),
                    status: Set(ReportStatus::Draft.as_str().to_string()),
                    submitted_at: Set(None),
                    late: Set(None),
                    return_reason: Set(None),
                    returned_at: Set(None),
                    accepted_at: Set(None),
                    decided_by: Set(None),
                    created_by: Set(actor.account_id),
                    created_at: Set(now),
                    updated_at: Set(now),
                    version: Set(1),
                };
                let mut m = m;
                set_figures(&mut m, figures);
                (m.insert(&txn).await?, true)
            }
        };
        txn.commit().await?;
        Ok(out)
    }

    async fn lock_report(
        &self,
        txn: &DatabaseTransaction,
        id: Uuid,
    ) -> StoreResult<monthly_report::Model> {
        let mut q = monthly_report::Entity::find_by_id(id);
        if self.is_postgres() {
            q = q.lock_exclusive();
        }
        q.one(txn).await?.ok_or(StoreError::NotFound)
    }

    /// Applies a step if the report is in one of `from` (and at the expected version).
    pub async fn change_report(
        &self,
        id: Uuid,
        from: &[ReportStatus],
        expected_version: Option<i32>,
        step: ReportStep,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> StoreResult<monthly_report::Model> {
        let txn = self.db.begin().await?;
        let cur = self.lock_report(&txn, id).await?;
        if expected_version.is_some_and(|v| v != cur.version) {
            return Err(StoreError::VersionMismatch);
        }
        let status = ReportStatus::parse(&cur.status).unwrap_or(ReportStatus::Draft);
        if !from.contains(&status) {
            return Err(status_conflict(&cur.status, from));
        }
        let announced = match &step {
            ReportStep::Submit { .. } => Some(EventType::MonthlyReportSubmitted),
            ReportStep::Return { .. } => Some(EventType::MonthlyReportReturned),
            ReportStep::Accept => Some(EventType::MonthlyReportAccepted),
            ReportStep::Content(_) => None,
        };
        let mut m: monthly_report::ActiveModel = cur.clone().into();
        match step {
            ReportStep::Content(c) => {
                m.people_served = Set(c.people_served);
                m.narrative = Set(c.narrative);
                m.highlights = Set(c.highlights);
                m.problems = Set(c.problems);
                m.next_plan = Set(c.next_plan);
            }
            ReportStep::Submit { figures, late } => {
                set_figures(&mut m, figures);
                m.status = Set(ReportStatus::Submitted.as_str().to_string());
                m.submitted_at = Set(Some(now));
                m.late = Set(Some(late));
            }
            ReportStep::Return { reason } => {
                m.status = Set(ReportStatus::Returned.as_str().to_string());
                m.return_reason = Set(Some(reason));
                m.returned_at = Set(Some(now));
                m.decided_by = Set(Some(actor.account_id));
            }
            ReportStep::Accept => {
                m.status = Set(ReportStatus::Accepted.as_str().to_string());
                m.accepted_at = Set(Some(now));
                m.decided_by = Set(Some(actor.account_id));
            }
        }
        m.updated_at = Set(now);
        m.version = Set(cur.version + 1);
        let out = m.update(&txn).await?;
        if let Some(kind) = announced {
            let resource = serde_json::json!({
                "kind": "monthly_report",
                "id": out.id,
                "organization_id": out.organization_id,
                "month": out.month,
                "status": out.status,
                "late": out.late,
                "return_reason": out.return_reason,
                "submitted_at": out.submitted_at,
                "href": format!("/api/v1/monthly-reports/{}", out.id),
            });
            emit(&txn, kind, &[out.organization_id], resource, now).await?;
        }
        txn.commit().await?;
        Ok(out)
    }

    /// Reports newest month first.
    pub async fn list_reports(&self, f: ReportFilter) -> StoreResult<Vec<monthly_report::Model>> {
        use monthly_report::Column as C;
        let mut q = monthly_report::Entity::find();
        if let Some(o) = f.organizations {
            q = q.filter(C::OrganizationId.is_in(o));
        }
        if let Some(m) = f.month_from {
            q = q.filter(C::Month.gte(m));
        }
        if let Some(m) = f.month_to {
            q = q.filter(C::Month.lte(m));
        }
        if let Some(s) = f.status {
            q = q.filter(C::Status.eq(s));
        }
        if let Some(prefix) = f.region_prefix {
            q = q
                .join(
                    JoinType::InnerJoin,
                    by_org::<monthly_report::Entity>(C::OrganizationId),
                )
                .filter(organization::Column::RegionCode.starts_with(prefix.as_str()));
        }
        if let Some(b) = f.before {
            q = q.filter(C::Id.lt(b));
        }
        Ok(q.order_by_desc(C::Month)
            .order_by_desc(C::Id)
            .limit(f.limit)
            .all(&self.db)
            .await?)
    }

    pub async fn add_report_photo(
        &self,
        report_id: Uuid,
        a: NewAttachment,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> StoreResult<report_photo::Model> {
        Ok(report_photo::ActiveModel {
            id: Set(Uuid::now_v7()),
            report_id: Set(report_id),
            sha256: Set(a.sha256),
            size: Set(a.size),
            media_type: Set(a.media_type),
            file_name: Set(a.file_name),
            uploaded_by: Set(actor.account_id),
            uploaded_at: Set(now),
        }
        .insert(&self.db)
        .await?)
    }

    pub async fn report_photos(&self, report_id: Uuid) -> StoreResult<Vec<report_photo::Model>> {
        Ok(report_photo::Entity::find()
            .filter(report_photo::Column::ReportId.eq(report_id))
            .order_by_asc(report_photo::Column::UploadedAt)
            .all(&self.db)
            .await?)
    }

    pub async fn get_report_photo(&self, id: Uuid) -> StoreResult<Option<report_photo::Model>> {
        Ok(report_photo::Entity::find_by_id(id).one(&self.db).await?)
    }

    /// Approved members of an organisation who joined by `until` and are still members.
    pub async fn members_joined_by(&self, org: Uuid, until: DateTime<Utc>) -> StoreResult<i64> {
        Ok(membership::Entity::find()
            .filter(membership::Column::OrganizationId.eq(org))
            .filter(membership::Column::Status.eq(MembershipStatus::Approved.as_str()))
            .filter(membership::Column::DecidedAt.lt(until))
            .count(&self.db)
            .await? as i64)
    }
}

/// A scope for the grouped queries: one organisation, or a roll-up scope.
enum ScopeFilter {
    One(Uuid),
    Roll(RollScope),
}

impl ScopeFilter {
    fn apply<E: EntityTrait>(&self, q: Select<E>, org_col: E::Column) -> Select<E> {
        match self {
            ScopeFilter::One(id) => q.filter(org_col.eq(*id)),
            ScopeFilter::Roll(scope) => scoped(q, org_col, scope),
        }
    }
}

fn set_figures(m: &mut monthly_report::ActiveModel, f: Figures) {
    let small = |n: i64| i32::try_from(n).unwrap_or(i32::MAX);
    m.activities_held = Set(small(f.activities_held));
    m.attendances = Set(small(f.attendances));
    m.hours_tenths = Set(f.hours_tenths);
    m.new_volunteers = Set(small(f.new_volunteers));
    m.pairing_activities = Set(small(f.pairing_activities));
}
