//! Activities, sign-ups, check-in, attendance and hour confirmation (rules 17-22).

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;
use zhihui_domain as d;

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct CreateActivityRequest {
    /// The approved organisation that runs the activity; the caller administers it.
    pub organization_id: Uuid,
    #[schema(example = "果树冬季修剪技术指导")]
    #[validate(length(min = 2, max = 100))]
    pub title: String,
    /// One of `technical_service`, `livelihood`, `science_popularisation`, `emergency`,
    /// `professional`.
    #[schema(schema_with = crate::values::activity_category)]
    pub category: String,
    #[validate(length(max = 5000))]
    #[serde(default)]
    pub description: String,
    #[validate(custom(function = "crate::bounds::instant"))]
    pub starts_at: DateTime<Utc>,
    #[validate(custom(function = "crate::bounds::instant"))]
    pub ends_at: DateTime<Utc>,
    #[schema(example = "平谷区大华山镇果品合作社")]
    #[validate(length(min = 1, max = 200))]
    pub place: String,
    /// GB/T 2260 code of where the activity happens.
    #[schema(example = "110117")]
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
    #[serde(default)]
    pub leader_ids: Vec<Uuid>,
}

/// Partial update; absent fields stay as they are. Send `If-Match` with the ETag.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct UpdateActivityRequest {
    #[validate(length(min = 2, max = 100))]
    pub title: Option<String>,
    #[schema(schema_with = crate::values::activity_category_or_null)]
    pub category: Option<String>,
    #[validate(length(max = 5000))]
    pub description: Option<String>,
    #[validate(custom(function = "crate::bounds::instant"))]
    pub starts_at: Option<DateTime<Utc>>,
    #[validate(custom(function = "crate::bounds::instant"))]
    pub ends_at: Option<DateTime<Utc>>,
    #[validate(length(min = 1, max = 200))]
    pub place: Option<String>,
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
    pub leader_ids: Option<Vec<Uuid>>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct CancelActivityRequest {
    #[validate(length(min = 1, max = 500))]
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
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams, Validate)]
#[into_params(parameter_in = Query)]
pub struct ActivityQuery {
    /// Region code: a province or city code also finds the activities of the regions in it.
    pub region_code: Option<String>,
    #[param(schema_with = crate::values::activity_category)]
    pub category: Option<String>,
    pub organization_id: Option<Uuid>,
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
    pub reason: String,
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
