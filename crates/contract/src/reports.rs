//! Monthly reports (月度报告), the live roll-up over the organisation and region trees, and
//! annual summaries, rules 39-43. Months are written `YYYY-MM`; hours in hours (one decimal).

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;
use zhihui_domain as d;

use crate::form::{Problems, Rejected};
use crate::pairing::PartyView;

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct PrepareReportRequest {
    #[schema(example = "2026-06")]
    pub month: String,
}

/// The month a report is prepared for, checked on `today` (China's date): written
/// `YYYY-MM` and already begun (rule 39).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReportMonth(pub d::report::Month);

impl TryFrom<(&PrepareReportRequest, NaiveDate)> for ReportMonth {
    type Error = Rejected;

    fn try_from((r, today): (&PrepareReportRequest, NaiveDate)) -> Result<Self, Rejected> {
        let mut p = Problems::validate(r);
        let month = p.parse("month", d::report::Month::parse(&r.month));
        if month.is_some_and(|m| m > d::report::Month::of(today)) {
            p.push(
                "month",
                d::ProblemCode::MonthInFuture,
                "a month is reported once it has begun",
            );
        }
        p.done(month.map(ReportMonth))
    }
}

/// What the organisation adds to the figures the platform holds. Absent fields stay.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct UpdateReportRequest {
    #[validate(range(min = 0, max = 100000000))]
    #[schema(minimum = 0, maximum = 100000000)]
    pub people_served: Option<i32>,
    #[validate(length(max = 10000))]
    #[schema(max_length = 10000)]
    pub narrative: Option<String>,
    #[validate(length(max = 5000))]
    #[schema(max_length = 5000)]
    pub highlights: Option<String>,
    #[validate(length(max = 5000))]
    #[schema(max_length = 5000)]
    pub problems: Option<String>,
    #[validate(length(max = 5000))]
    #[schema(max_length = 5000)]
    pub next_plan: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct ReturnReportRequest {
    #[validate(length(min = 1, max = 2000))]
    #[schema(min_length = 1, max_length = 2000)]
    pub reason: String,
}

/// Figures the platform holds for a period.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct FiguresView {
    /// Published activities that started in the period.
    pub activities_held: i64,
    /// Confirmed service records (one per volunteer and activity).
    pub volunteer_attendances: i64,
    /// Confirmed service hours.
    pub service_hours: f64,
    /// Memberships approved in the period.
    pub new_volunteers: i64,
    /// Activities held by a society in a county it is paired with.
    pub pairing_activities: i64,
    /// Needs the organisation posted that were served in the period (rule 53); the team
    /// that served them counts the activity instead.
    #[serde(default)]
    pub needs_served: i64,
    /// Visitors recorded at the exhibitions shown at the organisation's service points,
    /// stays begun in the period (rule 60); the exhibition's owner does not count them too.
    #[serde(default)]
    pub exhibition_visitors: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct PhotoView {
    pub id: Uuid,
    pub file_name: String,
    pub media_type: String,
    pub size: i64,
    pub uploaded_at: DateTime<Utc>,
}

/// The report's standing against rule 41 and rule 7.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ReportCompliance {
    /// `monthly` or `quarterly`, as configured for the organisation's region.
    #[schema(schema_with = crate::values::activity_rule)]
    pub activity_rule: d::ActivityRule,
    /// Whether the rule is met: an activity this month, or this quarter so far.
    pub activity_rule_met: bool,
    /// Whether the team reaches the minimum size of its level (absent: no minimum).
    pub meets_minimum_size: Option<bool>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct MonthlyReportView {
    pub id: Uuid,
    pub organization: PartyView,
    pub month: String,
    pub figures: FiguresView,
    pub people_served: Option<i32>,
    pub narrative: String,
    pub highlights: String,
    pub problems: String,
    pub next_plan: String,
    pub photos: Vec<PhotoView>,
    /// `draft`, `submitted`, `returned` or `accepted`.
    #[schema(schema_with = crate::values::report_status)]
    pub status: d::ReportStatus,
    /// The last day (China date) a report is on time: the month's end plus the grace period.
    pub on_time_until: NaiveDate,
    pub submitted_at: Option<DateTime<Utc>>,
    /// Filed after `on_time_until`.
    pub late: Option<bool>,
    /// Not filed and past `on_time_until`.
    pub overdue: bool,
    pub return_reason: Option<String>,
    pub returned_at: Option<DateTime<Utc>>,
    pub accepted_at: Option<DateTime<Utc>>,
    pub compliance: ReportCompliance,
    /// What the caller may do now: among `update`, `submit`, `return`, `accept`.
    #[schema(schema_with = crate::values::report_actions)]
    pub allowed_actions: Vec<d::ReportAction>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i32,
}

/// The file of `upload_report_photo`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PhotoUpload {
    /// The photo (field name `file`): JPEG or PNG.
    #[schema(value_type = String, format = Binary)]
    pub file: Vec<u8>,
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams, Validate)]
#[into_params(parameter_in = Query)]
pub struct ReportQuery {
    /// Reports of this organisation (its admins and those above it).
    pub organization_id: Option<Uuid>,
    /// Also the organisations below `organization_id`.
    #[serde(default)]
    pub include_descendants: bool,
    pub month_from: Option<String>,
    pub month_to: Option<String>,
    /// `draft`, `submitted`, `returned` or `accepted`.
    #[param(schema_with = crate::values::report_status)]
    pub status: Option<String>,
    /// Organisations in this region (a province or city code covers what lies inside it).
    #[param(pattern = "^\\s*[0-9]{6}\\s*$")]
    pub region_code: Option<String>,
    #[validate(range(min = 1, max = 200))]
    #[param(minimum = 1, maximum = 200, default = 20)]
    pub limit: Option<u64>,
    pub cursor: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct MonthlyReportPage {
    pub items: Vec<MonthlyReportView>,
    pub next_cursor: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams, Validate)]
#[into_params(parameter_in = Query)]
pub struct RollupQuery {
    /// Roll up this organisation's subtree (one row for itself, one per child).
    pub organization_id: Option<Uuid>,
    /// Or roll up a region: a province gives a row per city, a city per county, a county
    /// per organisation. Neither: the nation, a row per province (platform admins).
    #[param(pattern = "^\\s*[0-9]{6}\\s*$")]
    pub region_code: Option<String>,
    /// First month, `YYYY-MM`.
    #[param(example = "2026-06")]
    pub month_from: String,
    /// Default: `month_from`. At most 24 months.
    pub month_to: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams, Validate)]
#[into_params(parameter_in = Query)]
pub struct RollupExportQuery {
    pub organization_id: Option<Uuid>,
    #[param(pattern = "^\\s*[0-9]{6}\\s*$")]
    pub region_code: Option<String>,
    pub month_from: String,
    pub month_to: Option<String>,
    /// `xlsx` (default) or `csv`.
    #[param(schema_with = crate::values::table_format)]
    pub format: Option<String>,
}

/// One row of a roll-up: an organisation's subtree, the organisation itself, or a region.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct RollupRow {
    /// `self` (the organisation's own figures), `organization` (a child's subtree) or
    /// `region`; the totals row carries the roll-up's scope.
    #[schema(schema_with = crate::values::rollup_kind)]
    pub kind: d::RollupKind,
    /// The organisation id or region code.
    pub key: String,
    pub name: String,
    /// Approved organisations counted.
    pub organizations: i64,
    pub figures: FiguresView,
    /// From the reports filed (submitted or accepted).
    pub people_served: i64,
    /// Reports due by now for the months (organisations × months past their deadline).
    pub reports_due: i64,
    pub reports_filed: i64,
    pub reports_late: i64,
    pub reports_missing: i64,
    /// Organisations that held fewer activities than their rule asks for the period.
    pub organizations_short_of_activities: i64,
    /// Organisations below the minimum size of their level (rule 7).
    pub organizations_below_minimum_size: i64,
    /// No missing reports and no organisation short of activities.
    pub compliant: bool,
}

/// One month of a roll-up by month.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct RollupMonthView {
    /// `YYYY-MM`.
    pub month: String,
    /// The scope's organisations' figures for the month (pairing activities as their
    /// reports state them).
    pub figures: FiguresView,
    /// From the reports filed (submitted or accepted) for the month.
    pub people_served: i64,
    pub reports_filed: i64,
}

/// A roll-up's scope month by month: the same organisations as `/report-rollup` (an
/// organisation's whole subtree, a region or the nation), one entry per month asked for.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct RollupByMonthView {
    /// `organization`, `region` or `nation`.
    #[schema(schema_with = crate::values::rollup_kind)]
    pub scope: d::RollupKind,
    pub key: String,
    pub name: String,
    pub months: Vec<RollupMonthView>,
    pub computed_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct NotReportedView {
    pub organization_id: Uuid,
    pub name: String,
    pub region_code: String,
    /// Months due by now without a filed report.
    pub missing_months: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct RollupView {
    /// `organization`, `region` or `nation`.
    #[schema(schema_with = crate::values::rollup_kind)]
    pub scope: d::RollupKind,
    pub key: String,
    pub name: String,
    pub month_from: String,
    pub month_to: String,
    pub totals: RollupRow,
    pub rows: Vec<RollupRow>,
    /// Organisations with reports missing, by region code then name (at most 200).
    pub not_reported: Vec<NotReportedView>,
    /// How many organisations have reports missing in all.
    pub not_reported_total: i64,
    /// When the figures were read: they are live.
    pub computed_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams, Validate)]
#[into_params(parameter_in = Query)]
pub struct AnnualSummaryQuery {
    #[validate(range(min = 2000, max = 2100))]
    #[param(minimum = 2000, maximum = 2100)]
    pub year: i32,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AnnualMonthView {
    pub month: String,
    pub figures: FiguresView,
    pub people_served: Option<i32>,
    /// The month's report status, or `missing`.
    #[schema(schema_with = crate::values::month_standing)]
    pub report_status: d::MonthStanding,
    pub report_late: Option<bool>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AnnualSummaryView {
    pub organization: PartyView,
    pub year: i32,
    pub months: Vec<AnnualMonthView>,
    pub totals: FiguresView,
    pub people_served: i64,
    /// Members who joined by the year's end and are members now.
    pub registered_volunteers_at_year_end: i64,
    pub reports_filed: i64,
    pub reports_late: i64,
}

crate::reason_request! {
    ReturnReportRequest => reason,
}
