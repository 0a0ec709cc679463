//! Monthly reports and the live roll-up over the organisation and region trees
//! (rules 39-43).
//!
//! The roll-up is one statement whatever the size of the tree (`Store::rollup`): the scope
//! is a subtree through the closure table or a region-code range, and the database sums the
//! organisations' figures by row and lists who has not reported. The figures are the kept
//! monthly figures (`repo::figures`), written by the transactions that change the records,
//! so they are as fresh as the records.

use std::collections::HashMap;
use zhihui_domain::ProblemCode;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::{Alias, Expr, Func, SimpleExpr};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, JoinType,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, RelationDef, Select, Set,
    TransactionTrait,
};
use uuid::Uuid;
use zhihui_domain::report::china_day_start;
use zhihui_domain::{ActivityStatus, MembershipStatus, Month, ReportStatus};

use super::applications::NewAttachment;
use super::Actor;
use crate::entities::{
    activity, membership, monthly_report, organization, organization_closure, pairing,
    report_photo, service_record,
};
use crate::repo::webhooks::emit;
use crate::repo::Binder;
use crate::{Store, StoreError, StoreResult};
use zhihui_domain::integration::EventType;

/// What the platform holds for one organisation over a period.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Figures {
    pub activities_held: i64,
    pub attendances: i64,
    pub hours_tenths: i64,
    pub new_volunteers: i64,
    pub pairing_activities: i64,
    /// Needs the organisation posted that were served in the period.
    pub needs_served: i64,
    /// Visitors recorded at the exhibitions shown at the organisation's service points,
    /// by the stay's first day (rule 60).
    pub exhibition_visitors: i64,
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

/// The rules a roll-up applies to each organisation, as numbers the domain computed for
/// the period: how many activities it must hold (the longest matching region prefix wins)
/// and the smallest membership of each level that has one.
#[derive(Debug, Clone, Default)]
pub struct RollRules {
    /// Activities required where no prefix matches.
    pub required_activities: i64,
    /// Region-code prefixes with their requirement.
    pub required_by_prefix: Vec<(String, i64)>,
    /// Levels with their minimum number of approved members.
    pub minimum_members: Vec<(String, i64)>,
    /// Months of the period already past their reporting deadline.
    pub due_months: Vec<String>,
}

/// What a roll-up row groups by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Bucket {
    /// The root organisation itself (subtree scope).
    Root(Uuid),
    /// A child organisation and its subtree, or one organisation of a county region.
    Organization(Uuid),
    /// A child region (its full six-digit code).
    Region(String),
}

/// What one roll-up statement answers: the rows' sums, and the first organisations of the
/// scope (by region code) that have not filed every month past its deadline, with their
/// region codes.
#[derive(Debug, Default)]
pub struct RollupRows {
    pub buckets: Vec<BucketFigures>,
    pub not_reporting: Vec<(Uuid, String)>,
}

/// A scope's sums for one month ([`Store::rollup_by_month`]).
#[derive(Debug, Clone, Default)]
pub struct MonthSums {
    pub month: String,
    /// The organisations' kept figures; `pairing_activities` as their reports state them.
    pub figures: Figures,
    pub people_served: i64,
    pub reports_filed: i64,
}

/// Sums over the organisations of one roll-up row (`bucket` `None`: organisations of the
/// scope that fall in no row, counted in the totals only).
#[derive(Debug, Clone, Default)]
pub struct BucketFigures {
    pub bucket: Option<Bucket>,
    pub organizations: i64,
    pub figures: Figures,
    pub people_served: i64,
    pub reports_filed: i64,
    pub reports_late: i64,
    /// Reports missing for months past their deadline, summed over organisations.
    pub reports_missing: i64,
    /// Organisations that have not filed every month past its deadline.
    pub organizations_not_reporting: i64,
    pub short_of_activities: i64,
    pub below_minimum_size: i64,
}

impl BucketFigures {
    /// Adds another row's sums (for the totals).
    pub fn add(&mut self, o: &BucketFigures) {
        self.organizations += o.organizations;
        self.figures.activities_held += o.figures.activities_held;
        self.figures.attendances += o.figures.attendances;
        self.figures.hours_tenths += o.figures.hours_tenths;
        self.figures.new_volunteers += o.figures.new_volunteers;
        self.figures.pairing_activities += o.figures.pairing_activities;
        self.figures.needs_served += o.figures.needs_served;
        self.figures.exhibition_visitors += o.figures.exhibition_visitors;
        self.people_served += o.people_served;
        self.reports_filed += o.reports_filed;
        self.reports_late += o.reports_late;
        self.reports_missing += o.reports_missing;
        self.organizations_not_reporting += o.organizations_not_reporting;
        self.short_of_activities += o.short_of_activities;
        self.below_minimum_size += o.below_minimum_size;
    }
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
    pub status: Option<ReportStatus>,
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

fn status_conflict(status: ReportStatus, from: &[ReportStatus]) -> StoreError {
    StoreError::Conflict {
        code: ProblemCode::ReportStatus,
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
        f.needs_served = self.needs_served(org, p).await?;
        f.exhibition_visitors = self.exhibition_visitors(org, p).await?;
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

    /// Needs the organisation posted that were served in the period (rule 53). Counted for
    /// the requester only: the team serving it is usually in the same county's subtree, and
    /// a roll-up summing both reports would count the need twice.
    async fn needs_served(&self, org: Uuid, p: Period) -> StoreResult<i64> {
        use crate::entities::service_need;
        Ok(service_need::Entity::find()
            .filter(service_need::Column::RequesterId.eq(org))
            .filter(service_need::Column::ServedAt.gte(p.from))
            .filter(service_need::Column::ServedAt.lt(p.until))
            .count(&self.db)
            .await? as i64)
    }

    /// Visitors recorded at the stays (not cancelled) at the organisation's service points
    /// that began in the period: the point's organisation reports them, not the
    /// exhibition's owner, so a roll-up counts each visit once.
    async fn exhibition_visitors(&self, org: Uuid, p: Period) -> StoreResult<i64> {
        use crate::entities::{exhibition_stay, service_point};
        let n: Option<i64> = exhibition_stay::Entity::find()
            .select_only()
            .column_as(
                Expr::col((exhibition_stay::Entity, exhibition_stay::Column::Visitors))
                    .sum()
                    .cast_as(Alias::new("BIGINT")),
                "n",
            )
            .join(
                JoinType::InnerJoin,
                exhibition_stay::Entity::belongs_to(service_point::Entity)
                    .from(exhibition_stay::Column::ServicePointId)
                    .to(service_point::Column::Id)
                    .into(),
            )
            .filter(service_point::Column::OrganizationId.eq(org))
            .filter(
                exhibition_stay::Column::Status.ne(zhihui_domain::StayStatus::Cancelled.as_str()),
            )
            .filter(exhibition_stay::Column::StartsOn.gte(p.first_day))
            .filter(exhibition_stay::Column::StartsOn.lte(p.last_day))
            .into_tuple()
            .one(&self.db)
            .await?
            .flatten();
        Ok(n.unwrap_or(0))
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

    /// A scope's sums month by month (the year's charts): its approved organisations'
    /// kept figures, and their filed reports (how many, people served, pairing activities).
    /// Every month asked for has an entry, zero where nothing happened.
    pub async fn rollup_by_month(
        &self,
        scope: &RollScope,
        months: &[String],
    ) -> StoreResult<Vec<MonthSums>> {
        let mut b = Binder::new(self.db.get_database_backend());
        let scope_orgs = scope_orgs_sql(&mut b, scope);
        let figures = super::figures::TABLE;
        let fig_months = b.list(months);
        let rep_months = b.list(months);
        let sql = format!(
            "{scope_orgs} \
             SELECT 0 AS src, f.month AS month, CAST(sum(f.activities_held) AS BIGINT) AS a, \
               CAST(sum(f.attendances) AS BIGINT) AS b, CAST(sum(f.hours_tenths) AS BIGINT) AS c, \
               CAST(sum(f.new_volunteers) AS BIGINT) AS d, CAST(0 AS BIGINT) AS e \
               FROM {figures} f JOIN scope_orgs s ON s.id = f.organization_id \
               WHERE f.month IN ({fig_months}) GROUP BY f.month \
             UNION ALL SELECT 1, mr.month, CAST(count(mr.organization_id) AS BIGINT), \
               CAST(sum(mr.people_served) AS BIGINT), CAST(sum(mr.pairing_activities) AS BIGINT), \
               CAST(sum(mr.needs_served) AS BIGINT), \
               CAST(sum(mr.exhibition_visitors) AS BIGINT) \
               FROM monthly_reports mr JOIN scope_orgs s ON s.id = mr.organization_id \
               WHERE mr.month IN ({rep_months}) AND mr.status IN ('submitted', 'accepted') \
               GROUP BY mr.month"
        );
        let mut out: Vec<MonthSums> = months
            .iter()
            .map(|m| MonthSums {
                month: m.clone(),
                ..Default::default()
            })
            .collect();
        for r in self.db.query_all(b.statement(sql)).await? {
            let month: String = r.try_get("", "month")?;
            let Some(sums) = out.iter_mut().find(|s| s.month == month) else {
                continue;
            };
            let n =
                |c: &str| -> StoreResult<i64> { Ok(r.try_get::<Option<i64>>("", c)?.unwrap_or(0)) };
            if r.try_get::<i32>("", "src")? == 0 {
                sums.figures.activities_held = n("a")?;
                sums.figures.attendances = n("b")?;
                sums.figures.hours_tenths = n("c")?;
                sums.figures.new_volunteers = n("d")?;
            } else {
                sums.reports_filed = n("a")?;
                sums.people_served = n("b")?;
                sums.figures.pairing_activities = n("c")?;
                sums.figures.needs_served = n("d")?;
                sums.figures.exhibition_visitors = n("e")?;
            }
        }
        Ok(out)
    }

    /// The roll-up, grouped in the database: one statement computes each approved
    /// organisation's figures in scope, applies the rules to it, sums the organisations by
    /// row, and lists the first `limit` organisations (by region code) that have not filed
    /// every month past its deadline, so that a national roll-up over 110,000 organisations
    /// returns some thirty rows and that list instead of one row per organisation, and
    /// computes each organisation's figures once for both. The figures are the kept monthly
    /// figures (`organization_month_figures`, one row per organisation and month, from
    /// `ix_month_figures_month`) and the reports'
    /// (`ix_monthly_reports_month_org`, covering what is summed).
    pub async fn rollup(
        &self,
        scope: &RollScope,
        months: &[String],
        rules: &RollRules,
        limit: u64,
    ) -> StoreResult<RollupRows> {
        let mut b = Binder::new(self.db.get_database_backend());
        let per_org = per_org_sql(&mut b, scope, months, rules);
        let none = "CAST(NULL AS BIGINT)";
        let sql = format!(
            "{per_org}, \
             buckets AS (SELECT CAST(is_root AS BIGINT) AS is_root, bucket_org, bucket_region, \
               CAST(count(*) AS BIGINT) AS organizations, \
               CAST(sum(activities) AS BIGINT) AS activities, \
               CAST(sum(attendances) AS BIGINT) AS attendances, \
               CAST(sum(hours) AS BIGINT) AS hours, \
               CAST(sum(new_volunteers) AS BIGINT) AS new_volunteers, \
               CAST(sum(people) AS BIGINT) AS people, \
               CAST(sum(pairing) AS BIGINT) AS pairing, \
               CAST(sum(needs) AS BIGINT) AS needs, \
               CAST(sum(visitors) AS BIGINT) AS visitors, \
               CAST(sum(filed) AS BIGINT) AS filed, \
               CAST(sum(late) AS BIGINT) AS late, \
               CAST(sum(missing) AS BIGINT) AS missing, \
               CAST(sum(CASE WHEN missing > 0 THEN 1 ELSE 0 END) AS BIGINT) AS not_reporting, \
               CAST(sum(short) AS BIGINT) AS short, \
               CAST(sum(below) AS BIGINT) AS below \
               FROM per_org GROUP BY is_root, bucket_org, bucket_region), \
             missing_list AS (SELECT id, region_code FROM per_org WHERE missing > 0 \
               ORDER BY region_code, id LIMIT {limit}) \
             SELECT 0 AS listed, is_root, bucket_org, bucket_region, organizations, activities, \
               attendances, hours, new_volunteers, people, pairing, needs, visitors, filed, late, \
               missing, not_reporting, short, below, CAST(NULL AS TEXT) AS region_code FROM buckets \
             UNION ALL SELECT 1, {none}, id, CAST(NULL AS TEXT), {none}, {none}, {none}, {none}, \
               {none}, {none}, {none}, {none}, {none}, {none}, {none}, {none}, {none}, {none}, {none}, \
               region_code \
               FROM missing_list"
        );
        let rows = if self.is_postgres() {
            // Planned for its parameters each time: after five runs PostgreSQL may switch a
            // prepared statement to one generic plan, and the generic plan of this one reads
            // a month of every organisation's figures for a province's subtree (48 ms instead
            // of 5 ms).
            let txn = self.db.begin().await?;
            txn.execute_unprepared("SET LOCAL plan_cache_mode = force_custom_plan")
                .await?;
            let rows = txn.query_all(b.statement(sql)).await?;
            txn.commit().await?;
            rows
        } else {
            self.db.query_all(b.statement(sql)).await?
        };
        let mut out = RollupRows::default();
        for r in rows {
            let listed: i32 = r.try_get("", "listed")?;
            let org: Option<Uuid> = r.try_get("", "bucket_org")?;
            if listed == 1 {
                if let (Some(id), Some(code)) =
                    (org, r.try_get::<Option<String>>("", "region_code")?)
                {
                    out.not_reporting.push((id, code));
                }
                continue;
            }
            let is_root: i64 = r.try_get("", "is_root")?;
            let region: Option<String> = r.try_get("", "bucket_region")?;
            let bucket = match (org, region) {
                (Some(o), _) if is_root == 1 => Some(Bucket::Root(o)),
                (Some(o), _) => Some(Bucket::Organization(o)),
                (None, Some(code)) => Some(Bucket::Region(code)),
                (None, None) => None,
            };
            let n =
                |c: &str| -> StoreResult<i64> { Ok(r.try_get::<Option<i64>>("", c)?.unwrap_or(0)) };
            out.buckets.push(BucketFigures {
                bucket,
                organizations: n("organizations")?,
                figures: Figures {
                    activities_held: n("activities")?,
                    attendances: n("attendances")?,
                    hours_tenths: n("hours")?,
                    new_volunteers: n("new_volunteers")?,
                    pairing_activities: n("pairing")?,
                    needs_served: n("needs")?,
                    exhibition_visitors: n("visitors")?,
                },
                people_served: n("people")?,
                reports_filed: n("filed")?,
                reports_late: n("late")?,
                reports_missing: n("missing")?,
                organizations_not_reporting: n("not_reporting")?,
                short_of_activities: n("short")?,
                below_minimum_size: n("below")?,
            });
        }
        // The list in its order (a UNION ALL keeps no order of its own).
        out.not_reporting
            .sort_by(|a, b| (&a.1, a.0).cmp(&(&b.1, b.0)));
        Ok(out)
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
            .filter(
                monthly_report::Column::Status.is_in(
                    ReportStatus::ALL
                        .iter()
                        .filter(|s| s.is_filed())
                        .map(|s| s.as_str()),
                ),
            )
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
    /// returned). A filed report is returned as it is. Idempotent for one month: the draft
    /// is inserted unless the month's report exists (`ON CONFLICT DO NOTHING` on the unique
    /// `(organization_id, month)`), then the month's report is read under its lock, so two
    /// callers at once both get the one report and neither meets a unique violation.
    pub async fn prepare_report(
        &self,
        org: Uuid,
        month: &str,
        figures: Figures,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> StoreResult<(monthly_report::Model, bool)> {
        let txn = self.db.begin().await?;
        let id = Uuid::now_v7();
        let mut draft = monthly_report::ActiveModel {
            id: Set(id),
            organization_id: Set(org),
            month: Set(month.to_string()),
            activities_held: Set(0),
            attendances: Set(0),
            hours_tenths: Set(0),
            new_volunteers: Set(0),
            pairing_activities: Set(0),
            needs_served: Set(0),
            exhibition_visitors: Set(0),
            people_served: Set(None),
            narrative: Set(String::new()),
            highlights: Set(String::new()),
            problems: Set(String::new()),
            next_plan: Set(String::new()),
            status: Set(ReportStatus::Draft.into()),
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
        set_figures(&mut draft, figures);
        monthly_report::Entity::insert(draft)
            .on_conflict(
                sea_orm::sea_query::OnConflict::columns([
                    monthly_report::Column::OrganizationId,
                    monthly_report::Column::Month,
                ])
                .do_nothing()
                .to_owned(),
            )
            .do_nothing()
            .exec(&txn)
            .await?;
        let mut q = monthly_report::Entity::find()
            .filter(monthly_report::Column::OrganizationId.eq(org))
            .filter(monthly_report::Column::Month.eq(month));
        if self.is_postgres() {
            q = q.lock_exclusive();
        }
        let cur = q.one(&txn).await?.ok_or(StoreError::NotFound)?;
        let created = cur.id == id;
        let out = if !created && cur.status.is_open() {
            let mut m: monthly_report::ActiveModel = cur.clone().into();
            set_figures(&mut m, figures);
            m.updated_at = Set(now);
            m.version = Set(cur.version + 1);
            m.update(&txn).await?
        } else {
            cur
        };
        txn.commit().await?;
        Ok((out, created))
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
        let status = *cur.status;
        if !from.contains(&status) {
            return Err(status_conflict(*cur.status, from));
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
                m.status = Set(ReportStatus::Submitted.into());
                m.submitted_at = Set(Some(now));
                m.late = Set(Some(late));
            }
            ReportStep::Return { reason } => {
                m.status = Set(ReportStatus::Returned.into());
                m.return_reason = Set(Some(reason));
                m.returned_at = Set(Some(now));
                m.decided_by = Set(Some(actor.account_id));
            }
            ReportStep::Accept => {
                m.status = Set(ReportStatus::Accepted.into());
                m.accepted_at = Set(Some(now));
                m.decided_by = Set(Some(actor.account_id));
            }
        }
        m.updated_at = Set(now);
        m.version = Set(cur.version + 1);
        let out = m.update(&txn).await?;
        if let Some(kind) = announced {
            let resource =
                super::webhooks::resource_value(&zhihui_contract::events::MonthlyReportResource {
                    kind: "monthly_report".into(),
                    id: out.id,
                    organization_id: out.organization_id,
                    month: out.month.clone(),
                    status: *out.status,
                    late: out.late,
                    return_reason: out.return_reason.clone(),
                    submitted_at: out.submitted_at,
                    href: format!("/api/v1/monthly-reports/{}", out.id),
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
            q = q.filter(C::Status.eq(s.as_str()));
        }
        if let Some(prefix) = f.region_prefix {
            q = q
                .join(
                    JoinType::InnerJoin,
                    by_org::<monthly_report::Entity>(C::OrganizationId),
                )
                .filter(super::region_prefix(
                    organization::Column::RegionCode,
                    &prefix,
                ));
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

/// A scope for the grouped queries: one organisation.
enum ScopeFilter {
    One(Uuid),
}

impl ScopeFilter {
    fn apply<E: EntityTrait>(&self, q: Select<E>, org_col: E::Column) -> Select<E> {
        match self {
            ScopeFilter::One(id) => q.filter(org_col.eq(*id)),
        }
    }
}

/// `WITH … per_org AS (…)`: one row per approved organisation in scope with its figures for
/// the period, its row (`is_root`, `bucket_org`, `bucket_region`) and the rules applied
/// (`short`, `below`, `missing`). Placeholders are bound in the order they appear.
/// `WITH scope_orgs AS (…)`: the approved organisations of a scope, and which row of the
/// roll-up each counts in.
fn scope_orgs_sql(b: &mut Binder, scope: &RollScope) -> String {
    let (from_orgs, is_root, bucket_org, bucket_region) = match scope {
        RollScope::Subtree(root) => {
            let r1 = b.bind(*root);
            let r3 = b.bind(*root);
            // The row a descendant counts in is its ancestor one level below the root: in
            // a tree that is the ancestor one step nearer than the root (`depth - 1`), one
            // lookup by descendant instead of a search of the root's children.
            (
                format!(
                    "FROM organization_closure c JOIN organizations o ON o.id = c.descendant_id \
                     LEFT JOIN organization_closure k ON k.descendant_id = o.id AND k.depth = c.depth - 1 \
                     WHERE c.ancestor_id = {r1} AND o.status = 'approved'"
                ),
                format!("CASE WHEN o.id = {r3} THEN 1 ELSE 0 END"),
                format!("CASE WHEN o.id = {} THEN o.id ELSE k.ancestor_id END", b.bind(*root)),
                "CAST(NULL AS TEXT)".to_string(),
            )
        }
        RollScope::Region(prefix) => {
            let filter = if prefix.is_empty() {
                String::new()
            } else {
                format!(
                    " AND o.region_code >= {} AND o.region_code < {}",
                    b.bind(prefix.clone()),
                    b.bind(format!("{prefix}~"))
                )
            };
            let orgs = format!("FROM organizations o WHERE o.status = 'approved'{filter}");
            match prefix.len() {
                6 => (orgs, "0".into(), "o.id".into(), "CAST(NULL AS TEXT)".into()),
                n => {
                    let zeros = "0".repeat(6 - n - 2);
                    (
                        orgs,
                        "0".into(),
                        "CAST(NULL AS UUID)".into(),
                        format!(
                            "CASE WHEN length(o.region_code) = 6 THEN substr(o.region_code, 1, {}) || '{zeros}' END",
                            n + 2
                        ),
                    )
                }
            }
        }
    };
    format!(
        "WITH scope_orgs AS (SELECT o.id, o.region_code, o.level, o.approved_members, \
           {is_root} AS is_root, {bucket_org} AS bucket_org, {bucket_region} AS bucket_region \
           {from_orgs})"
    )
}

fn per_org_sql(b: &mut Binder, scope: &RollScope, months: &[String], rules: &RollRules) -> String {
    let scope_orgs = scope_orgs_sql(b, scope);
    // Limits a table to the scope; the nation takes every row (the final join keeps only
    // approved organisations), which saves a join per figure.
    let in_scope = |alias: &str| match scope {
        RollScope::Region(prefix) if prefix.is_empty() => String::new(),
        _ => format!("JOIN scope_orgs s ON s.id = {alias}.organization_id"),
    };
    let month_list = b.list(months);
    let due_list = b.list(&rules.due_months);
    let due_count = b.bind(rules.due_months.len() as i64);
    // A report and a figures row are unique per organisation and month: for one month
    // they are read as they are, without grouping (a third faster nationally).
    let one_month = months.len() == 1;
    let reports = if one_month {
        format!(
            "rep AS (SELECT mr.organization_id AS org, 1 AS n, mr.people_served AS people, \
               mr.pairing_activities AS pairing, mr.needs_served AS needs, \
               mr.exhibition_visitors AS visitors, \
               CASE WHEN mr.late THEN 1 ELSE 0 END AS late, \
               CASE WHEN mr.month IN ({due_list}) THEN 1 ELSE 0 END AS due \
               FROM monthly_reports mr {} \
               WHERE mr.month = {month_list} AND mr.status IN ('submitted', 'accepted'))",
            in_scope("mr")
        )
    } else {
        format!(
            "rep AS (SELECT mr.organization_id AS org, count(mr.organization_id) AS n, \
               sum(mr.people_served) AS people, sum(mr.pairing_activities) AS pairing, \
               sum(mr.needs_served) AS needs, sum(mr.exhibition_visitors) AS visitors, \
               sum(CASE WHEN mr.late THEN 1 ELSE 0 END) AS late, \
               sum(CASE WHEN mr.month IN ({due_list}) THEN 1 ELSE 0 END) AS due \
               FROM monthly_reports mr {} \
               WHERE mr.month IN ({month_list}) AND mr.status IN ('submitted', 'accepted') \
               GROUP BY mr.organization_id)",
            in_scope("mr")
        )
    };
    let missing = format!(
        "CASE WHEN {due_count} > coalesce(rep.due, 0) THEN {due_count} - coalesce(rep.due, 0) ELSE 0 END"
    );
    let fig_months = b.list(months);
    let figures = super::figures::TABLE;
    let fig = if one_month {
        format!(
            "fig AS (SELECT f.organization_id AS org, f.activities_held AS act, \
               f.attendances AS n, f.hours_tenths AS h, f.new_volunteers AS mem \
               FROM {figures} f {} WHERE f.month = {fig_months})",
            in_scope("f")
        )
    } else {
        format!(
            "fig AS (SELECT f.organization_id AS org, sum(f.activities_held) AS act, \
               sum(f.attendances) AS n, sum(f.hours_tenths) AS h, sum(f.new_volunteers) AS mem \
               FROM {figures} f {} WHERE f.month IN ({fig_months}) GROUP BY f.organization_id)",
            in_scope("f")
        )
    };
    let mut required = String::from("CASE");
    let mut by_prefix = rules.required_by_prefix.clone();
    by_prefix.sort_by_key(|(prefix, _)| std::cmp::Reverse(prefix.len()));
    for (prefix, n) in &by_prefix {
        let pat = b.bind(format!("{prefix}%"));
        let n = b.bind(*n);
        required.push_str(&format!(" WHEN s.region_code LIKE {pat} THEN {n}"));
    }
    let default_required = b.bind(rules.required_activities);
    let required = if by_prefix.is_empty() {
        default_required
    } else {
        format!("{required} ELSE {default_required} END")
    };
    let minimum = if rules.minimum_members.is_empty() {
        "NULL".to_string()
    } else {
        let mut m = String::from("CASE s.level");
        for (level, n) in &rules.minimum_members {
            let l = b.bind(level.clone());
            let n = b.bind(*n);
            m.push_str(&format!(" WHEN {l} THEN {n}"));
        }
        m + " END"
    };
    // The figures come from the kept monthly figures (`repo::figures`), one row per
    // organisation and month, not from the records themselves.
    format!(
        "{scope_orgs}, {reports}, \
         {fig}, \
         per_org AS (SELECT s.id, s.region_code, s.is_root, s.bucket_org, s.bucket_region, \
           coalesce(fig.act, 0) AS activities, coalesce(fig.n, 0) AS attendances, \
           coalesce(fig.h, 0) AS hours, coalesce(fig.mem, 0) AS new_volunteers, \
           coalesce(rep.people, 0) AS people, coalesce(rep.pairing, 0) AS pairing, \
           coalesce(rep.needs, 0) AS needs, coalesce(rep.visitors, 0) AS visitors, \
           coalesce(rep.n, 0) AS filed, coalesce(rep.late, 0) AS late, {missing} AS missing, \
           CASE WHEN coalesce(fig.act, 0) < {required} THEN 1 ELSE 0 END AS short, \
           CASE WHEN s.approved_members < {minimum} THEN 1 ELSE 0 END AS below \
           FROM scope_orgs s LEFT JOIN fig ON fig.org = s.id LEFT JOIN rep ON rep.org = s.id)",
    )
}

fn set_figures(m: &mut monthly_report::ActiveModel, f: Figures) {
    let small = |n: i64| i32::try_from(n).unwrap_or(i32::MAX);
    m.activities_held = Set(small(f.activities_held));
    m.attendances = Set(small(f.attendances));
    m.hours_tenths = Set(f.hours_tenths);
    m.new_volunteers = Set(small(f.new_volunteers));
    m.pairing_activities = Set(small(f.pairing_activities));
    m.needs_served = Set(small(f.needs_served));
    m.exhibition_visitors = Set(small(f.exhibition_visitors));
}
