//! Activities, sign-ups, check-in, attendance and hour confirmation (rules 17-22).

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;
use zhihui_domain as d;

use crate::form::{Problems, Rejected};

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct CreateActivityRequest {
    /// The approved organisation that runs the activity; the caller administers it.
    pub organization_id: Uuid,
    #[schema(example = "果树冬季修剪技术指导")]
    #[validate(length(min = 2, max = 100))]
    #[schema(min_length = 2, max_length = 100)]
    pub title: String,
    /// One of `technical_service`, `livelihood`, `science_popularisation`, `emergency`,
    /// `professional`.
    #[schema(schema_with = crate::values::activity_category)]
    pub category: String,
    #[validate(length(max = 5000))]
    #[schema(max_length = 5000)]
    #[serde(default)]
    pub description: String,
    #[validate(custom(function = "crate::bounds::instant"))]
    pub starts_at: DateTime<Utc>,
    #[validate(custom(function = "crate::bounds::instant"))]
    pub ends_at: DateTime<Utc>,
    #[schema(example = "平谷区大华山镇果品合作社")]
    #[validate(length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200)]
    pub place: String,
    /// GB/T 2260 code of where the activity happens.
    #[schema(example = "110117")]
    #[schema(pattern = "^\\s*[0-9]{6}\\s*$")]
    pub region_code: String,
    /// Places; further sign-ups go on the waiting list.
    #[schema(example = 30)]
    #[schema(minimum = 1, maximum = 100_000)]
    pub capacity: i32,
    /// When sign-up opens (default: now).
    #[validate(custom(function = "crate::bounds::instant"))]
    pub sign_up_opens_at: Option<DateTime<Utc>>,
    /// When sign-up closes (default: the start).
    #[validate(custom(function = "crate::bounds::instant"))]
    pub sign_up_closes_at: Option<DateTime<Utc>>,
    /// Only approved members of the organisation may sign up.
    #[serde(default)]
    pub members_only: bool,
    /// One of `lei_feng_day`, `science_workers_day`, `science_week`,
    /// `science_popularisation_day`, `international_volunteer_day`.
    #[schema(schema_with = crate::values::key_date_or_null)]
    pub key_date: Option<String>,
    /// Volunteers (approved members of the organisation) who lead the activity.
    #[validate(length(max = 20))]
    #[schema(max_items = 20)]
    #[serde(default)]
    pub leader_ids: Vec<Uuid>,
    /// The service point (服务点) it is held at, if any (rule 58): its figures count it.
    #[serde(default)]
    pub service_point_id: Option<Uuid>,
}

/// Partial update; absent fields stay as they are. Send `If-Match` with the ETag.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct UpdateActivityRequest {
    #[validate(length(min = 2, max = 100))]
    #[schema(min_length = 2, max_length = 100)]
    pub title: Option<String>,
    #[schema(schema_with = crate::values::activity_category_or_null)]
    pub category: Option<String>,
    #[validate(length(max = 5000))]
    #[schema(max_length = 5000)]
    pub description: Option<String>,
    #[validate(custom(function = "crate::bounds::instant"))]
    pub starts_at: Option<DateTime<Utc>>,
    #[validate(custom(function = "crate::bounds::instant"))]
    pub ends_at: Option<DateTime<Utc>>,
    #[validate(length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200)]
    pub place: Option<String>,
    #[schema(pattern = "^\\s*[0-9]{6}\\s*$")]
    pub region_code: Option<String>,
    #[schema(minimum = 1, maximum = 100_000)]
    pub capacity: Option<i32>,
    #[validate(custom(function = "crate::bounds::instant"))]
    pub sign_up_opens_at: Option<DateTime<Utc>>,
    #[validate(custom(function = "crate::bounds::instant"))]
    pub sign_up_closes_at: Option<DateTime<Utc>>,
    pub members_only: Option<bool>,
    /// An empty string removes the tag.
    pub key_date: Option<String>,
    #[validate(length(max = 20))]
    #[schema(max_items = 20)]
    pub leader_ids: Option<Vec<Uuid>>,
    /// The service point it is held at (an id); an empty string removes it.
    #[schema(pattern = "^(|[0-9a-fA-F-]{36})$")]
    pub service_point_id: Option<String>,
}

/// An activity's plan as the form and the service both check it before anything is looked
/// up (活动安排): the title, schedule, sign-up window, capacity and tags, each parsed into its
/// domain value, with the rules that need no stored record. Whether the region exists and
/// the leaders are approved members are the service's to check against the store.
#[derive(Debug, Clone, PartialEq)]
pub struct ActivityPlan {
    pub title: String,
    pub category: d::ActivityCategory,
    pub description: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub place: String,
    pub region: d::RegionCode,
    pub capacity: i32,
    pub sign_up_opens_at: DateTime<Utc>,
    pub sign_up_closes_at: DateTime<Utc>,
    pub members_only: bool,
    pub key_date: Option<d::KeyDate>,
    pub leader_ids: Vec<Uuid>,
    pub service_point_id: Option<Uuid>,
}

/// A new activity checked at `now` (the default opening of its sign-up, and the instant it
/// must end after).
impl TryFrom<(&CreateActivityRequest, DateTime<Utc>)> for ActivityPlan {
    type Error = Rejected;

    fn try_from((r, now): (&CreateActivityRequest, DateTime<Utc>)) -> Result<Self, Rejected> {
        use d::ProblemCode as C;
        let mut p = Problems::validate(r);
        let region = p.parse("region_code", d::RegionCode::parse(&r.region_code));
        let category =
            p.closed::<d::ActivityCategory>("category", C::UnknownActivityCategory, &r.category);
        let key_date = match r.key_date.as_deref() {
            None => Some(None),
            Some(k) => p.closed("key_date", C::UnknownKeyDate, k).map(Some),
        };
        let plan = match (region, category, key_date) {
            (Some(region), Some(category), Some(key_date)) => Some(ActivityPlan {
                title: r.title.trim().to_string(),
                category,
                description: r.description.trim().to_string(),
                starts_at: r.starts_at,
                ends_at: r.ends_at,
                place: r.place.trim().to_string(),
                region,
                capacity: r.capacity,
                sign_up_opens_at: r.sign_up_opens_at.unwrap_or(now),
                sign_up_closes_at: r.sign_up_closes_at.unwrap_or(r.starts_at),
                members_only: r.members_only,
                key_date,
                leader_ids: r.leader_ids.clone(),
                service_point_id: r.service_point_id,
            }),
            _ => None,
        };
        check_schedule(
            &mut p,
            &r.title,
            r.starts_at,
            r.ends_at,
            r.capacity,
            r.sign_up_opens_at.unwrap_or(now),
            r.sign_up_closes_at.unwrap_or(r.starts_at),
        );
        if r.ends_at <= now && !p.has("ends_at") {
            p.push("ends_at", C::InThePast, "a new activity ends in the future");
        }
        p.done(plan)
    }
}

impl ActivityPlan {
    /// The plan an activity's view shows: what an edit form changes and checks against.
    pub fn of(v: &ActivityView) -> Option<ActivityPlan> {
        Some(ActivityPlan {
            title: v.title.clone(),
            category: v.category,
            description: v.description.clone(),
            starts_at: v.starts_at,
            ends_at: v.ends_at,
            place: v.place.clone(),
            region: d::RegionCode::parse(&v.region_code).ok()?,
            capacity: v.capacity,
            sign_up_opens_at: v.sign_up_opens_at,
            sign_up_closes_at: v.sign_up_closes_at,
            members_only: v.members_only,
            key_date: v.key_date,
            leader_ids: v.leaders.iter().map(|l| l.volunteer_id).collect(),
            service_point_id: v.service_point_id,
        })
    }

    /// This plan with a partial update applied, checked as a whole: a change to one field
    /// is refused when it no longer fits the fields left as they are (an end moved before
    /// the start kept). An empty `key_date` removes the tag.
    pub fn amended(&self, r: &UpdateActivityRequest) -> Result<ActivityPlan, Rejected> {
        use d::ProblemCode as C;
        let mut p = Problems::validate(r);
        let region = match &r.region_code {
            Some(c) => p.parse("region_code", d::RegionCode::parse(c)),
            None => Some(self.region.clone()),
        };
        let category = match r.category.as_deref() {
            Some(c) => p.closed("category", C::UnknownActivityCategory, c),
            None => Some(self.category),
        };
        let key_date = match r.key_date.as_deref() {
            Some("") => Some(None),
            Some(k) => p.closed("key_date", C::UnknownKeyDate, k).map(Some),
            None => Some(self.key_date),
        };
        let service_point_id = match r.service_point_id.as_deref().map(str::trim) {
            Some("") => Some(None),
            Some(id) => match Uuid::parse_str(id) {
                Ok(id) => Some(Some(id)),
                Err(_) => {
                    p.push(
                        "service_point_id",
                        C::Invalid,
                        "a service point's id, or empty",
                    );
                    None
                }
            },
            None => Some(self.service_point_id),
        };
        let text = |new: &Option<String>, old: &String| {
            new.as_deref()
                .map(|t| t.trim().to_string())
                .unwrap_or_else(|| old.clone())
        };
        let title = text(&r.title, &self.title);
        let starts_at = r.starts_at.unwrap_or(self.starts_at);
        let ends_at = r.ends_at.unwrap_or(self.ends_at);
        let capacity = r.capacity.unwrap_or(self.capacity);
        let opens = r.sign_up_opens_at.unwrap_or(self.sign_up_opens_at);
        let closes = r.sign_up_closes_at.unwrap_or(self.sign_up_closes_at);
        check_schedule(&mut p, &title, starts_at, ends_at, capacity, opens, closes);
        let plan = match (region, category, key_date, service_point_id) {
            (Some(region), Some(category), Some(key_date), Some(service_point_id)) => {
                Some(ActivityPlan {
                    title,
                    category,
                    description: text(&r.description, &self.description),
                    starts_at,
                    ends_at,
                    place: text(&r.place, &self.place),
                    region,
                    capacity,
                    sign_up_opens_at: opens,
                    sign_up_closes_at: closes,
                    members_only: r.members_only.unwrap_or(self.members_only),
                    key_date,
                    leader_ids: r
                        .leader_ids
                        .clone()
                        .unwrap_or_else(|| self.leader_ids.clone()),
                    service_point_id,
                })
            }
            _ => None,
        };
        p.done(plan)
    }
}

/// The rules every activity's plan satisfies (rule 17): a title of at least two characters
/// once trimmed, an end after the start and at most 31 days later, 1 to
/// [`d::activity::MAX_CAPACITY`] places, and a sign-up window that closes after it opens and no later
/// than the end.
fn check_schedule(
    p: &mut Problems,
    title: &str,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    capacity: i32,
    opens: DateTime<Utc>,
    closes: DateTime<Utc>,
) {
    use d::ProblemCode as C;
    if title.trim().chars().count() < 2 && !p.has("title") {
        p.push("title", C::Length, "a title has 2 to 100 characters");
    }
    if ends_at <= starts_at {
        p.push(
            "ends_at",
            C::EndsBeforeStart,
            "the end comes after the start",
        );
    } else if ends_at - starts_at > chrono::Duration::days(31) {
        p.push(
            "ends_at",
            C::TooLong,
            "an activity lasts at most 31 days; split longer service into several",
        );
    }
    if !(1..=d::activity::MAX_CAPACITY).contains(&capacity) {
        p.push(
            "capacity",
            C::OutOfRange,
            format!("capacity is 1 to {}", d::activity::MAX_CAPACITY),
        );
    }
    if closes <= opens {
        p.push(
            "sign_up_closes_at",
            C::WindowClosesBeforeOpening,
            "sign-up closes after it opens",
        );
    } else if closes > ends_at {
        p.push(
            "sign_up_closes_at",
            C::WindowAfterEnd,
            "sign-up closes at the latest when the activity ends",
        );
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct CancelActivityRequest {
    #[validate(length(min = 1, max = 500))]
    #[schema(min_length = 1, max_length = 500)]
    pub reason: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct LeaderView {
    pub volunteer_id: Uuid,
    pub name: String,
}

/// The caller's own sign-up, when they have one.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct OwnSignUpView {
    pub sign_up_id: Uuid,
    /// `confirmed` or `waitlisted`.
    #[schema(schema_with = crate::values::sign_up_status)]
    pub status: d::SignUpStatus,
    pub waitlist_position: Option<i64>,
    pub checked_in_at: Option<DateTime<Utc>>,
    pub checked_out_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct ActivityView {
    pub id: Uuid,
    pub organization_id: Uuid,
    pub organization_name: String,
    pub title: String,
    #[schema(schema_with = crate::values::activity_category)]
    pub category: d::ActivityCategory,
    pub description: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub place: String,
    pub region_code: String,
    pub region_name: String,
    pub capacity: i32,
    pub places_taken: i32,
    pub places_left: i32,
    pub waitlist_length: i32,
    pub sign_up_opens_at: DateTime<Utc>,
    pub sign_up_closes_at: DateTime<Utc>,
    /// Whether sign-up is open now (published, inside the window).
    pub sign_up_open: bool,
    pub members_only: bool,
    #[schema(schema_with = crate::values::key_date_or_null)]
    pub key_date: Option<d::KeyDate>,
    /// `draft`, `published` or `cancelled`.
    #[schema(schema_with = crate::values::activity_status)]
    pub status: d::ActivityStatus,
    pub cancel_reason: Option<String>,
    pub leaders: Vec<LeaderView>,
    /// The caller's sign-up (absent for anonymous callers or when there is none).
    pub my_sign_up: Option<OwnSignUpView>,
    /// What the caller may do to the activity now (`zhihui_domain::activity_allowed_actions`):
    /// the dashboard offers exactly these.
    #[serde(default)]
    #[schema(schema_with = crate::values::activity_actions)]
    pub allowed_actions: Vec<d::ActivityAction>,
    /// Last day the organisation may confirm hours (10 working days after the end).
    pub hours_confirmable_until: NaiveDate,
    /// The need (科普需求) this activity was scheduled from, if any.
    #[serde(default)]
    pub need_id: Option<Uuid>,
    /// The service point (服务点) it is held at, if any.
    #[serde(default)]
    pub service_point_id: Option<Uuid>,
    /// The campaign (征集) whose accepted entry it came from, if any.
    #[serde(default)]
    pub campaign_id: Option<Uuid>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams, Validate)]
#[into_params(parameter_in = Query)]
pub struct ActivityQuery {
    /// Region code: a province or city code also finds the activities of the regions in it.
    #[param(pattern = "^\\s*[0-9]{6}\\s*$")]
    pub region_code: Option<String>,
    #[param(schema_with = crate::values::activity_category)]
    pub category: Option<String>,
    pub organization_id: Option<Uuid>,
    /// Activities held at this service point.
    pub service_point_id: Option<Uuid>,
    /// Activities that have not ended before this time.
    #[validate(custom(function = "crate::bounds::instant"))]
    pub from: Option<DateTime<Utc>>,
    /// Activities that start before this time.
    #[validate(custom(function = "crate::bounds::instant"))]
    pub to: Option<DateTime<Utc>>,
    /// `draft`, `published` or `cancelled`.
    #[param(schema_with = crate::values::activity_status)]
    pub status: Option<String>,
    #[param(schema_with = crate::values::key_date)]
    pub key_date: Option<String>,
    /// Free text found in the title, description or place.
    #[validate(length(min = 1, max = 50))]
    #[param(min_length = 1, max_length = 50)]
    pub q: Option<String>,
    #[validate(range(min = 1, max = 200))]
    #[param(minimum = 1, maximum = 200, default = 20)]
    pub limit: Option<u64>,
    pub cursor: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ActivityPage {
    pub items: Vec<ActivityView>,
    pub next_cursor: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SignUpView {
    pub id: Uuid,
    pub activity_id: Uuid,
    pub volunteer_id: Uuid,
    pub volunteer_name: String,
    pub volunteer_number: String,
    /// Masked phone, for the leader to reach the volunteer through the organisation.
    pub phone_masked: String,
    /// `confirmed`, `waitlisted` or `cancelled`.
    #[schema(schema_with = crate::values::sign_up_status)]
    pub status: d::SignUpStatus,
    /// 1-based place on the waiting list, for waitlisted sign-ups.
    pub waitlist_position: Option<i64>,
    pub signed_up_at: DateTime<Utc>,
    pub promoted_at: Option<DateTime<Utc>>,
    pub cancelled_at: Option<DateTime<Utc>>,
    pub checked_in_at: Option<DateTime<Utc>>,
    pub checked_out_at: Option<DateTime<Utc>>,
    /// Recorded absent by a leader or admin.
    pub absent: bool,
    /// `code` (checked in with a code) or `manual` (recorded by a leader or admin).
    #[schema(schema_with = crate::values::attendance_source_or_null)]
    pub attendance_source: Option<d::AttendanceSource>,
    /// Confirmed hours, once the organisation confirmed them.
    pub confirmed_hours: Option<f64>,
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams, Validate)]
#[into_params(parameter_in = Query)]
pub struct SignUpQuery {
    /// `confirmed`, `waitlisted` or `cancelled`.
    #[param(schema_with = crate::values::sign_up_status)]
    pub status: Option<String>,
    #[validate(range(min = 1, max = 200))]
    #[param(minimum = 1, maximum = 200, default = 20)]
    pub limit: Option<u64>,
    pub cursor: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SignUpPage {
    pub items: Vec<SignUpView>,
    pub next_cursor: Option<String>,
}

/// A volunteer's own sign-up with the activity it is for.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct MySignUpView {
    pub sign_up: SignUpView,
    pub activity_title: String,
    #[schema(schema_with = crate::values::activity_status)]
    pub activity_status: d::ActivityStatus,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub place: String,
    pub organization_id: Uuid,
    /// Whether the volunteer leads this activity.
    pub leader: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct MySignUpPage {
    pub items: Vec<MySignUpView>,
    pub next_cursor: Option<String>,
}

/// The rotating check-in code the leader shows on site.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CheckInCodeView {
    pub activity_id: Uuid,
    /// Eight characters, to type in.
    #[schema(example = "K7Q2M9XA")]
    pub code: String,
    /// Text to render as a QR code; scanning it opens the check-in page.
    pub qr_text: String,
    /// A new code replaces this one at this time.
    pub rotates_at: DateTime<Utc>,
    /// This code is refused after this time.
    pub expires_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct CheckInRequest {
    #[validate(length(min = 1, max = 64))]
    #[schema(min_length = 1, max_length = 64)]
    pub code: String,
}

/// Attendance recorded or corrected by hand; the reason is kept with who and when.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct AttendanceRequest {
    #[validate(custom(function = "crate::bounds::instant"))]
    pub checked_in_at: Option<DateTime<Utc>>,
    #[validate(custom(function = "crate::bounds::instant"))]
    pub checked_out_at: Option<DateTime<Utc>>,
    /// The volunteer did not come (clears the times).
    #[serde(default)]
    pub absent: bool,
    #[validate(length(min = 1, max = 500))]
    #[schema(min_length = 1, max_length = 500)]
    pub reason: String,
}

/// Attendance recorded by hand as the form and the service both check it against the
/// activity's time (rule 20): present with a check-in, and a check-out after it, within 12
/// hours of the activity; or absent, which clears the times. The reason is required.
#[derive(Debug, Clone, PartialEq)]
pub struct AttendanceRecord {
    pub checked_in_at: Option<DateTime<Utc>>,
    pub checked_out_at: Option<DateTime<Utc>>,
    pub absent: bool,
    pub reason: String,
}

/// Attendance at an activity from `starts_at` to `ends_at`.
impl TryFrom<(&AttendanceRequest, DateTime<Utc>, DateTime<Utc>)> for AttendanceRecord {
    type Error = Rejected;

    fn try_from(
        (r, starts_at, ends_at): (&AttendanceRequest, DateTime<Utc>, DateTime<Utc>),
    ) -> Result<Self, Rejected> {
        use d::ProblemCode as C;
        let mut p = Problems::validate(r);
        let reason = r.reason.trim().to_string();
        if reason.is_empty() && !p.has("reason") {
            p.push(
                "reason",
                C::Required,
                "say why attendance is recorded by hand",
            );
        }
        let (cin, cout) = if r.absent {
            (None, None)
        } else {
            (r.checked_in_at, r.checked_out_at)
        };
        if !r.absent && cin.is_none() {
            p.push(
                "checked_in_at",
                C::Required,
                "give the check-in time, or mark the volunteer absent",
            );
        }
        if let (Some(i), Some(o)) = (cin, cout) {
            if o <= i {
                p.push(
                    "checked_out_at",
                    C::BeforeCheckIn,
                    "check-out comes after check-in",
                );
            }
        }
        for (f, t) in [("checked_in_at", cin), ("checked_out_at", cout)] {
            if t.is_some_and(|t| {
                t < starts_at - chrono::Duration::hours(12)
                    || t > ends_at + chrono::Duration::hours(12)
            }) {
                p.push(f, C::OutsideActivity, "the time is not during the activity");
            }
        }
        p.done(Some(AttendanceRecord {
            checked_in_at: cin,
            checked_out_at: cout,
            absent: r.absent,
            reason,
        }))
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AttendanceChangeView {
    pub changed_by: Uuid,
    pub changed_at: DateTime<Utc>,
    pub reason: String,
    pub checked_in_at: Option<DateTime<Utc>>,
    pub checked_out_at: Option<DateTime<Utc>>,
    pub absent: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AttendanceView {
    pub sign_up: SignUpView,
    pub changes: Vec<AttendanceChangeView>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct HoursEntryInput {
    pub volunteer_id: Uuid,
    /// Hours entered by hand (one decimal at most); absent: computed from check-in and
    /// check-out, rounded per session (under 15 min 0, 15-45 min 0.5 h, more 1 h). At most
    /// 24 a day of the activity (an activity lasts at most 31 days).
    #[validate(range(min = 0.0, max = 744.0))]
    #[schema(minimum = 0, maximum = 744)]
    pub hours: Option<f64>,
    /// Required when it changes hours already confirmed.
    #[validate(length(min = 1, max = 500))]
    #[schema(min_length = 1, max_length = 500)]
    pub reason: Option<String>,
}

/// Confirms hours for the listed participants, or for every confirmed participant who
/// was not absent with `all: true` (listed entries then override the computed hours).
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct ConfirmHoursRequest {
    #[serde(default)]
    pub all: bool,
    #[validate(length(max = 10000), nested)]
    #[schema(max_items = 10000)]
    #[serde(default)]
    pub entries: Vec<HoursEntryInput>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ConfirmedHoursView {
    pub volunteer_id: Uuid,
    pub volunteer_name: String,
    pub record_id: Uuid,
    pub hours: f64,
    /// `created`, `corrected` or `unchanged`.
    pub outcome: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ConfirmHoursView {
    pub activity_id: Uuid,
    pub confirmable_until: NaiveDate,
    pub results: Vec<ConfirmedHoursView>,
}

crate::reason_request! {
    CancelActivityRequest => reason,
}

#[cfg(test)]
mod plan_tests {
    use super::*;
    use chrono::TimeZone;

    fn at(day: u32, hour: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, day, hour, 0, 0).unwrap()
    }

    fn request() -> CreateActivityRequest {
        CreateActivityRequest {
            organization_id: Uuid::nil(),
            title: " 果树冬季修剪 ".into(),
            category: "technical_service".into(),
            description: String::new(),
            starts_at: at(10, 1),
            ends_at: at(10, 4),
            place: "大华山镇".into(),
            region_code: "110117".into(),
            capacity: 30,
            sign_up_opens_at: None,
            sign_up_closes_at: None,
            members_only: false,
            key_date: None,
            leader_ids: vec![],
            service_point_id: None,
        }
    }

    fn codes(r: Result<ActivityPlan, Rejected>) -> Vec<(String, &'static str)> {
        match r {
            Ok(_) => vec![],
            Err(Rejected(p)) => p.into_iter().map(|p| (p.field, p.code.as_str())).collect(),
        }
    }

    #[test]
    fn a_good_plan_gets_its_window_defaults() {
        let now = at(3, 12);
        let plan = ActivityPlan::try_from((&request(), now)).expect("accepted");
        assert_eq!(plan.title, "果树冬季修剪");
        assert_eq!(plan.category, d::ActivityCategory::TechnicalService);
        assert_eq!(plan.sign_up_opens_at, now, "sign-up opens now by default");
        assert_eq!(plan.sign_up_closes_at, at(10, 1), "and closes at the start");
        assert_eq!(plan.description, "", "a description is optional");
    }

    #[test]
    fn every_rule_of_a_new_plan_is_named_at_once() {
        let mut r = request();
        r.title = " x ".into();
        r.category = "gardening".into();
        r.key_date = Some("new_year".into());
        r.region_code = "990000".into();
        r.ends_at = at(1, 1);
        r.starts_at = at(1, 2);
        r.capacity = 0;
        r.sign_up_opens_at = Some(at(1, 0));
        r.sign_up_closes_at = Some(at(1, 0));
        assert_eq!(
            codes(ActivityPlan::try_from((&r, at(3, 12)))),
            vec![
                ("region_code".into(), "region_code_province"),
                ("category".into(), "unknown_activity_category"),
                ("key_date".into(), "unknown_key_date"),
                ("title".into(), "length"),
                ("ends_at".into(), "ends_before_start"),
                ("capacity".into(), "out_of_range"),
                ("sign_up_closes_at".into(), "window_closes_before_opening"),
            ]
        );
    }

    #[test]
    fn a_new_plan_ends_in_the_future_and_lasts_at_most_31_days() {
        let mut r = request();
        assert_eq!(
            codes(ActivityPlan::try_from((&r, at(10, 5)))),
            vec![
                ("sign_up_closes_at".into(), "window_closes_before_opening"),
                ("ends_at".into(), "in_the_past"),
            ]
        );
        r.starts_at =
            Utc.with_ymd_and_hms(2026, 11, 1, 0, 0, 0).unwrap() + chrono::Duration::days(40);
        r.ends_at = r.starts_at + chrono::Duration::days(32);
        r.sign_up_closes_at = Some(r.ends_at + chrono::Duration::hours(1));
        assert_eq!(
            codes(ActivityPlan::try_from((&r, at(3, 12)))),
            vec![
                ("ends_at".into(), "too_long"),
                ("sign_up_closes_at".into(), "window_after_end"),
            ]
        );
    }

    #[test]
    fn an_update_is_checked_against_the_fields_it_keeps() {
        let plan = ActivityPlan::try_from((&request(), at(3, 12))).unwrap();
        let moved = UpdateActivityRequest {
            ends_at: Some(at(9, 0)),
            ..Default::default()
        };
        assert_eq!(
            codes(plan.amended(&moved)),
            vec![
                ("ends_at".into(), "ends_before_start"),
                ("sign_up_closes_at".into(), "window_after_end"),
            ],
            "the end moved before the start kept, and the window closes after it"
        );
        let untagged = UpdateActivityRequest {
            key_date: Some(String::new()),
            capacity: Some(40),
            title: Some(" 冬季修剪 ".into()),
            ..Default::default()
        };
        let mut tagged = plan.clone();
        tagged.key_date = Some(d::KeyDate::InternationalVolunteerDay);
        let after = tagged.amended(&untagged).expect("accepted");
        assert_eq!(after.key_date, None, "an empty key date removes the tag");
        assert_eq!((after.capacity, after.title.as_str()), (40, "冬季修剪"));
        assert_eq!(after.starts_at, plan.starts_at, "what is absent stays");
    }
}
