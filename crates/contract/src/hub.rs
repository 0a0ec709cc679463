//! Science hub centres (科普服务汇中心): service points (服务点/阵地), micro-exhibitions
//! (科普微展览), their stays and rotation, rules 57-62.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;
use zhihui_domain as d;
use zhihui_domain::hub::{Days, Visits};

use crate::form::{Problems, Rejected};
use crate::pairing::PartyView;

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct CreateServicePointRequest {
    /// The organisation responsible for the place; the caller administers it or an
    /// organisation above it.
    pub organization_id: Uuid,
    #[schema(example = "正定县新时代文明实践中心")]
    #[validate(length(min = 2, max = 100))]
    #[schema(min_length = 2, max_length = 100)]
    pub name: String,
    #[schema(schema_with = crate::values::service_point_kind)]
    pub kind: String,
    /// GB/T 2260 county code of the place.
    #[schema(pattern = "^\\s*[0-9]{6}\\s*$")]
    pub region_code: String,
    #[schema(example = "正定镇燕赵南大街 12 号")]
    #[validate(length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200)]
    pub address: String,
    /// Free text, e.g. `周二至周日 9:00-17:00`.
    #[validate(length(max = 200))]
    #[schema(max_length = 200)]
    #[serde(default)]
    pub opening_hours: String,
    /// People it holds at once.
    #[validate(range(min = 1, max = 100_000))]
    #[schema(minimum = 1, maximum = 100_000)]
    pub capacity: i32,
    /// Exhibitions it shows at once; 0 if it shows none.
    #[validate(range(min = 0, max = 20))]
    #[schema(minimum = 0, maximum = 20)]
    #[serde(default)]
    pub exhibition_slots: i32,
}

/// Changes to a service point: the fields sent replace the stored ones. Send `If-Match`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct UpdateServicePointRequest {
    #[validate(length(min = 2, max = 100))]
    #[schema(min_length = 2, max_length = 100)]
    pub name: Option<String>,
    #[schema(schema_with = crate::values::service_point_kind_or_null)]
    pub kind: Option<String>,
    #[schema(pattern = "^\\s*[0-9]{6}\\s*$")]
    pub region_code: Option<String>,
    #[validate(length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200)]
    pub address: Option<String>,
    #[validate(length(max = 200))]
    #[schema(max_length = 200)]
    pub opening_hours: Option<String>,
    #[validate(range(min = 1, max = 100_000))]
    #[schema(minimum = 1, maximum = 100_000)]
    pub capacity: Option<i32>,
    /// Fewer slots than the exhibitions placed there at once from today on are refused
    /// (`service_point_full`).
    #[validate(range(min = 0, max = 20))]
    #[schema(minimum = 0, maximum = 20)]
    pub exhibition_slots: Option<i32>,
}

/// A service point's details, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct ServicePointDraft {
    pub name: String,
    pub kind: d::ServicePointKind,
    pub region: d::RegionCode,
    pub address: String,
    pub opening_hours: String,
    pub capacity: i32,
    pub exhibition_slots: i32,
}

struct RawPoint<'a> {
    name: &'a str,
    kind: &'a str,
    region_code: &'a str,
    address: &'a str,
    opening_hours: &'a str,
    capacity: i32,
    exhibition_slots: i32,
}

impl RawPoint<'_> {
    fn check(self, mut p: Problems) -> Result<ServicePointDraft, Rejected> {
        use d::ProblemCode as C;
        let name = self.name.trim();
        if name.chars().count() < 2 && !p.has("name") {
            p.push("name", C::Length, "a name of 2 to 100 characters");
        }
        let address = self.address.trim();
        if address.is_empty() && !p.has("address") {
            p.push("address", C::Length, "the address is required");
        }
        let kind = p.closed::<d::ServicePointKind>("kind", C::UnknownServicePointKind, self.kind);
        let region = p.parse("region_code", d::RegionCode::parse(self.region_code));
        let draft = match (kind, region) {
            (Some(kind), Some(region)) => Some(ServicePointDraft {
                name: name.to_string(),
                kind,
                region,
                address: address.to_string(),
                opening_hours: self.opening_hours.trim().to_string(),
                capacity: self.capacity,
                exhibition_slots: self.exhibition_slots,
            }),
            _ => None,
        };
        p.done(draft)
    }
}

impl TryFrom<&CreateServicePointRequest> for ServicePointDraft {
    type Error = Rejected;

    fn try_from(r: &CreateServicePointRequest) -> Result<Self, Rejected> {
        RawPoint {
            name: &r.name,
            kind: &r.kind,
            region_code: &r.region_code,
            address: &r.address,
            opening_hours: &r.opening_hours,
            capacity: r.capacity,
            exhibition_slots: r.exhibition_slots,
        }
        .check(Problems::validate(r))
    }
}

impl ServicePointDraft {
    /// These details with a partial update applied, checked as a whole.
    pub fn amended(&self, r: &UpdateServicePointRequest) -> Result<Self, Rejected> {
        RawPoint {
            name: r.name.as_deref().unwrap_or(&self.name),
            kind: r.kind.as_deref().unwrap_or(self.kind.as_str()),
            region_code: r.region_code.as_deref().unwrap_or(self.region.as_str()),
            address: r.address.as_deref().unwrap_or(&self.address),
            opening_hours: r.opening_hours.as_deref().unwrap_or(&self.opening_hours),
            capacity: r.capacity.unwrap_or(self.capacity),
            exhibition_slots: r.exhibition_slots.unwrap_or(self.exhibition_slots),
        }
        .check(Problems::validate(r))
    }
}

/// A service point's figures of a year (rule 58).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct ServicePointFigures {
    pub year: i32,
    /// Activities held there (published or held, not cancelled).
    pub activities: u64,
    /// Volunteers confirmed for those activities.
    pub volunteers: u64,
    /// Confirmed service hours at those activities.
    pub hours: f64,
    /// People reached there: the visitors recorded at its exhibitions' stays.
    pub people_served: u64,
    /// Stays begun there this year, not cancelled.
    pub exhibitions_shown: u64,
    pub visitors: u64,
    pub guided_tours: u64,
    pub lectures: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct ServicePointView {
    pub id: Uuid,
    pub organization: PartyView,
    pub name: String,
    #[schema(schema_with = crate::values::service_point_kind)]
    pub kind: d::ServicePointKind,
    pub region_code: String,
    pub region_name: String,
    pub address: String,
    pub opening_hours: String,
    pub capacity: i32,
    pub exhibition_slots: i32,
    /// What the caller may do.
    #[schema(schema_with = crate::values::service_point_actions)]
    pub allowed_actions: Vec<d::ServicePointAction>,
    /// The year's figures (the single service point only).
    pub figures: Option<ServicePointFigures>,
    /// Stays showing today or ahead, soonest first (the single service point only; at
    /// most 50).
    pub stays: Option<Vec<StayView>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i32,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct ServicePointPage {
    pub items: Vec<ServicePointView>,
    pub next_cursor: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, IntoParams, Validate)]
#[into_params(parameter_in = Query)]
pub struct ServicePointQuery {
    /// A region code or its prefix: `13` (a province), `1301` (a city), `130102` (a county).
    #[param(pattern = "^[0-9]{2}([0-9]{2}([0-9]{2})?)?$")]
    pub region: Option<String>,
    #[param(schema_with = crate::values::service_point_kind_or_null)]
    pub kind: Option<String>,
    /// Service points this organisation is responsible for.
    pub organization_id: Option<Uuid>,
    /// `true`: only those that show exhibitions; `false`: only those that do not.
    pub shows_exhibitions: Option<bool>,
    /// Part of the name or the address.
    #[validate(length(min = 1, max = 50))]
    #[param(min_length = 1, max_length = 50)]
    pub q: Option<String>,
    #[validate(range(min = 1, max = 200))]
    #[param(minimum = 1, maximum = 200, default = 20)]
    pub limit: Option<u64>,
    pub cursor: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, IntoParams, Validate)]
#[into_params(parameter_in = Query)]
pub struct ServicePointFiguresQuery {
    /// The year of the figures; this year (China time) by default.
    #[validate(range(min = 2000, max = 2100))]
    #[param(minimum = 2000, maximum = 2100)]
    pub year: Option<i32>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct CreateExhibitionRequest {
    /// The owning organisation; the caller administers it.
    pub owner_id: Uuid,
    #[schema(example = "防范电信网络诈骗科普展")]
    #[validate(length(min = 2, max = 100))]
    #[schema(min_length = 2, max_length = 100)]
    pub title: String,
    /// The theme; a service point sees each theme once in a rotation (rule 61).
    #[schema(example = "防范电信诈骗")]
    #[validate(length(min = 2, max = 50))]
    #[schema(min_length = 2, max_length = 50)]
    pub theme: String,
    /// The category of CAST's guidance catalogue.
    #[schema(schema_with = crate::values::exhibition_category)]
    pub category: String,
    /// Panels or exhibits.
    #[validate(range(min = 1, max = 500))]
    #[schema(minimum = 1, maximum = 500)]
    pub panels: i32,
    #[validate(length(max = 2000))]
    #[schema(max_length = 2000)]
    #[serde(default)]
    pub description: String,
}

/// A new exhibition, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct ExhibitionDraft {
    pub title: String,
    pub theme: String,
    pub category: d::ExhibitionCategory,
    pub panels: i32,
    pub description: String,
}

impl TryFrom<&CreateExhibitionRequest> for ExhibitionDraft {
    type Error = Rejected;

    fn try_from(r: &CreateExhibitionRequest) -> Result<Self, Rejected> {
        use d::ProblemCode as C;
        let mut p = Problems::validate(r);
        for (field, v) in [("title", &r.title), ("theme", &r.theme)] {
            if v.trim().chars().count() < 2 && !p.has(field) {
                p.push(field, C::Length, "at least 2 characters");
            }
        }
        let category = p.closed::<d::ExhibitionCategory>(
            "category",
            C::UnknownExhibitionCategory,
            &r.category,
        );
        let draft = category.map(|category| ExhibitionDraft {
            title: r.title.trim().to_string(),
            theme: r.theme.trim().to_string(),
            category,
            panels: r.panels,
            description: r.description.trim().to_string(),
        });
        p.done(draft)
    }
}

/// An exhibition as a stay names it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct ExhibitionRef {
    pub id: Uuid,
    pub title: String,
    pub theme: String,
    #[schema(schema_with = crate::values::exhibition_category)]
    pub category: d::ExhibitionCategory,
    pub owner_id: Uuid,
}

/// A service point as a stay names it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct ServicePointRef {
    pub id: Uuid,
    pub name: String,
    pub region_code: String,
    pub organization_id: Uuid,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct ExhibitionView {
    pub id: Uuid,
    pub owner: PartyView,
    pub title: String,
    pub theme: String,
    #[schema(schema_with = crate::values::exhibition_category)]
    pub category: d::ExhibitionCategory,
    pub panels: i32,
    pub description: String,
    /// Its stays showing today or ahead, soonest first (the single exhibition only; at
    /// most 50).
    pub stays: Option<Vec<StayView>>,
    pub created_at: DateTime<Utc>,
    pub version: i32,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct ExhibitionPage {
    pub items: Vec<ExhibitionView>,
    pub next_cursor: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, IntoParams, Validate)]
#[into_params(parameter_in = Query)]
pub struct ExhibitionQuery {
    pub owner_id: Option<Uuid>,
    #[param(schema_with = crate::values::exhibition_category_or_null)]
    pub category: Option<String>,
    /// Part of the title or the theme.
    #[validate(length(min = 1, max = 50))]
    #[param(min_length = 1, max_length = 50)]
    pub q: Option<String>,
    #[validate(range(min = 1, max = 200))]
    #[param(minimum = 1, maximum = 200, default = 20)]
    pub limit: Option<u64>,
    pub cursor: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct ScheduleStayRequest {
    /// Where the exhibition goes: a service point of the owner or of an organisation
    /// below it (or one the caller administers) that shows exhibitions.
    pub service_point_id: Uuid,
    /// The first day on show.
    #[validate(custom(function = "crate::bounds::date"))]
    pub starts_on: NaiveDate,
    /// The last day on show (at most a year after the first).
    #[validate(custom(function = "crate::bounds::date"))]
    pub ends_on: NaiveDate,
}

/// A new stay's days, checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StayDays(pub Days);

/// A stay's days, checked on `today` (China's date).
impl TryFrom<(&ScheduleStayRequest, NaiveDate)> for StayDays {
    type Error = Rejected;

    fn try_from((r, today): (&ScheduleStayRequest, NaiveDate)) -> Result<Self, Rejected> {
        let mut p = Problems::validate(r);
        let days = Days::new(r.starts_on, r.ends_on);
        if p.is_empty() {
            if let Err((field, e)) = d::hub::check_stay_days(days, today) {
                p.push(field, e.code, e.message);
            }
        }
        p.done(Some(StayDays(days)))
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct RecordVisitsRequest {
    /// Visitors over the whole stay so far (replaces what was recorded).
    #[validate(range(min = 0, max = 10_000_000))]
    #[schema(minimum = 0, maximum = 10_000_000)]
    pub visitors: i32,
    /// Guided tours given (at most the visitors).
    #[validate(range(min = 0, max = 10_000_000))]
    #[schema(minimum = 0, maximum = 10_000_000)]
    #[serde(default)]
    pub guided_tours: i32,
    /// Lectures held around the exhibition.
    #[validate(range(min = 0, max = 10_000_000))]
    #[schema(minimum = 0, maximum = 10_000_000)]
    #[serde(default)]
    pub lectures: i32,
}

impl TryFrom<&RecordVisitsRequest> for Visits {
    type Error = Rejected;

    fn try_from(r: &RecordVisitsRequest) -> Result<Self, Rejected> {
        let mut p = Problems::validate(r);
        let v = Visits {
            visitors: r.visitors,
            guided_tours: r.guided_tours,
            lectures: r.lectures,
        };
        if p.is_empty() {
            if let Err((field, e)) = d::hub::check_visits(v) {
                p.push(field, e.code, e.message);
            }
        }
        p.done(Some(v))
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct StayView {
    pub id: Uuid,
    pub exhibition: ExhibitionRef,
    pub service_point: ServicePointRef,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    /// The effective state on today's date (China time).
    #[schema(schema_with = crate::values::stay_status)]
    pub status: d::StayStatus,
    pub visitors: i32,
    pub guided_tours: i32,
    pub lectures: i32,
    pub visits_recorded_at: Option<DateTime<Utc>>,
    #[schema(schema_with = crate::values::stay_actions)]
    pub allowed_actions: Vec<d::StayAction>,
    pub created_at: DateTime<Utc>,
    pub version: i32,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct StayPage {
    pub items: Vec<StayView>,
    pub next_cursor: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, IntoParams, Validate)]
#[into_params(parameter_in = Query)]
pub struct StayQuery {
    pub exhibition_id: Option<Uuid>,
    pub service_point_id: Option<Uuid>,
    /// Stays of this organisation's exhibitions or at its service points.
    pub organization_id: Option<Uuid>,
    /// Stays sharing a day with `from`..`to`.
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// Also cancelled stays.
    pub include_cancelled: Option<bool>,
    #[validate(range(min = 1, max = 200))]
    #[param(minimum = 1, maximum = 200, default = 20)]
    pub limit: Option<u64>,
    pub cursor: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct PlanRotationRequest {
    /// The organisation whose exhibitions rotate; the caller administers it.
    pub owner_id: Uuid,
    /// Its exhibitions to place.
    #[validate(length(min = 1, max = 100))]
    #[schema(min_items = 1, max_items = 100)]
    pub exhibition_ids: Vec<Uuid>,
    /// The service points to place them at.
    #[validate(length(min = 1, max = 100))]
    #[schema(min_items = 1, max_items = 100)]
    pub service_point_ids: Vec<Uuid>,
    #[validate(custom(function = "crate::bounds::date"))]
    pub starts_on: NaiveDate,
    /// At most three years after the first day.
    #[validate(custom(function = "crate::bounds::date"))]
    pub ends_on: NaiveDate,
    /// The length of each stay, 7 to 366 days.
    #[validate(range(min = 7, max = 366))]
    #[schema(minimum = 7, maximum = 366)]
    pub stay_days: i64,
}

/// A rotation's period and stay length, checked (rule 61).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlanPeriod {
    pub period: Days,
    pub stay_days: i64,
}

impl TryFrom<&PlanRotationRequest> for PlanPeriod {
    type Error = Rejected;

    fn try_from(r: &PlanRotationRequest) -> Result<Self, Rejected> {
        let mut p = Problems::validate(r);
        let period = Days::new(r.starts_on, r.ends_on);
        if p.is_empty() {
            if let Err((field, e)) = d::hub::check_plan_request(period, r.stay_days) {
                p.push(field, e.code, e.message);
            }
        }
        p.done(Some(PlanPeriod {
            period,
            stay_days: r.stay_days,
        }))
    }
}

/// A period of days.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct DaysView {
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
}

impl From<Days> for DaysView {
    fn from(d: Days) -> Self {
        Self {
            starts_on: d.from,
            ends_on: d.to,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct ProposedStayView {
    pub exhibition_id: Uuid,
    pub service_point_id: Uuid,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct PlanGapView {
    /// A service point able to show exhibitions left without one for this round: every
    /// exhibition free then shows a theme it has seen.
    pub service_point_id: Uuid,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
}

/// A proposed rotation (rule 61). Nothing is stored: schedule the stays kept, one by one,
/// with `schedule_exhibition_stay`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct RotationPlanView {
    pub rounds: Vec<DaysView>,
    pub stays: Vec<ProposedStayView>,
    pub gaps: Vec<PlanGapView>,
}
