//! Service records, summaries, recognition and certificates (rules 23-26).

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;
use zhihui_domain as d;

use crate::form::{Problems, Rejected};

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct RecordCorrectionView {
    pub changed_by: Uuid,
    pub changed_at: DateTime<Utc>,
    pub reason: String,
    pub old_hours: f64,
    pub new_hours: f64,
}

/// A service record (志愿服务记录): who served, where, when, what, how long, for whom.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ServiceRecordView {
    pub id: Uuid,
    pub volunteer_id: Uuid,
    pub volunteer_name: String,
    pub activity_id: Uuid,
    pub activity_title: String,
    #[schema(schema_with = crate::values::activity_category)]
    pub category: d::ActivityCategory,
    pub service_date: NaiveDate,
    pub place: String,
    pub content: String,
    pub hours: f64,
    pub organization_id: Uuid,
    pub organization_name: String,
    /// The organising unit's responsible person.
    pub responsible_person: String,
    pub confirmed_at: DateTime<Utc>,
    pub corrections: Vec<RecordCorrectionView>,
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams, Validate)]
#[into_params(parameter_in = Query)]
pub struct ServiceRecordQuery {
    /// A volunteer's records (their own, or a member's for the team's admin).
    pub volunteer_id: Option<Uuid>,
    /// An organisation's records (its admins, its parent's admins).
    pub organization_id: Option<Uuid>,
    /// First service date, inclusive.
    #[validate(custom(function = "crate::bounds::date"))]
    pub from: Option<NaiveDate>,
    /// Last service date, inclusive.
    #[validate(custom(function = "crate::bounds::date"))]
    pub to: Option<NaiveDate>,
    #[validate(range(min = 1, max = 200))]
    #[param(minimum = 1, maximum = 200, default = 20)]
    pub limit: Option<u64>,
    pub cursor: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ServiceRecordPage {
    pub items: Vec<ServiceRecordView>,
    /// Hours of the whole filtered set (not only this page).
    pub total_hours: f64,
    pub next_cursor: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct VolunteerSummaryView {
    pub volunteer_id: Uuid,
    pub volunteer_number: String,
    pub name: String,
    pub total_hours: f64,
    pub activities: i64,
    /// One point per confirmed hour.
    pub points: i64,
    /// 0 to 5 stars: 100, 300, 600, 1000, 1500 hours.
    pub star_level: u8,
    /// Hours still needed for the next star (absent at five stars).
    pub hours_to_next_star: Option<f64>,
    pub year: i32,
    pub hours_this_year: f64,
    pub activities_this_year: i64,
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams, Validate)]
#[into_params(parameter_in = Query)]
pub struct RecognitionQuery {
    /// The year (default: the current one).
    #[validate(range(min = 2000, max = 2100))]
    #[param(minimum = 2000, maximum = 2100)]
    pub year: Option<i32>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct RecognitionThresholds {
    pub volunteer_min_activities: i64,
    pub volunteer_min_hours: f64,
    pub team_min_members: i64,
    pub team_min_activities: i64,
    pub team_min_hours_per_member: f64,
    pub team_min_hours: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct TeamRecognitionView {
    pub members: i64,
    pub activities: i64,
    pub hours: f64,
    pub hours_per_member: f64,
    pub eligible: bool,
    /// What the team lacks: `members`, `activities`, `hours_per_member`, `hours`.
    pub shortfalls: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct NomineeView {
    pub volunteer_id: Uuid,
    pub name: String,
    pub volunteer_number: String,
    pub activities: i64,
    pub hours: f64,
}

/// The annual "four top tens" (四个一百) eligibility of an organisation and its members.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct RecognitionView {
    pub organization_id: Uuid,
    pub year: i32,
    pub thresholds: RecognitionThresholds,
    pub team: TeamRecognitionView,
    /// Approved members meeting the volunteer thresholds with this year's records, most
    /// hours first.
    pub volunteers: Vec<NomineeView>,
    /// The community and village service points of the organisation and those below it
    /// (the fourth list, rules 26 and 62) with their year: most hours first, at most 50,
    /// those with nothing in the year left out.
    #[serde(default)]
    pub service_points: Vec<ServicePointCandidateView>,
}

/// A service point among the year's recognition candidates.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct ServicePointCandidateView {
    pub service_point_id: Uuid,
    pub name: String,
    #[schema(schema_with = crate::values::service_point_kind)]
    pub kind: d::ServicePointKind,
    pub organization_id: Uuid,
    pub region_code: String,
    /// Activities held there in the year.
    pub activities: u64,
    /// Visitors recorded at its exhibitions' stays begun in the year.
    pub people_served: u64,
    /// Confirmed service hours at those activities.
    pub hours: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct IssueCertificateRequest {
    /// The organisation that recorded the hours (who records, certifies).
    pub organization_id: Uuid,
    pub volunteer_id: Uuid,
    /// First service date covered (default: the first record).
    #[validate(custom(function = "crate::bounds::date"))]
    pub period_from: Option<NaiveDate>,
    /// Last service date covered (default: the last record).
    #[validate(custom(function = "crate::bounds::date"))]
    pub period_to: Option<NaiveDate>,
    /// The person handling the certificate (default: the issuing admin's name).
    #[validate(length(min = 2, max = 50))]
    #[schema(min_length = 2, max_length = 50)]
    pub handler_name: Option<String>,
    /// Contact phone printed on the certificate (default: the organisation's).
    #[schema(pattern = "^[+0-9 -]+$")]
    pub contact_phone: Option<String>,
}

/// A certificate request as the form and the service both check it: a period that ends
/// on or after it starts, a handler's name, a mobile number if one is given. Whether the
/// organisation recorded hours for the volunteer is the store's to say.
#[derive(Debug, Clone, PartialEq)]
pub struct CertificateOrder {
    pub period_from: Option<NaiveDate>,
    pub period_to: Option<NaiveDate>,
    pub handler_name: Option<String>,
    pub contact_phone: Option<d::MobilePhone>,
}

impl TryFrom<&IssueCertificateRequest> for CertificateOrder {
    type Error = Rejected;

    fn try_from(r: &IssueCertificateRequest) -> Result<Self, Rejected> {
        let mut p = Problems::validate(r);
        if let (Some(f), Some(t)) = (r.period_from, r.period_to) {
            if t < f {
                p.push(
                    "period_to",
                    d::ProblemCode::BeforeFrom,
                    "the period ends on or after it starts",
                );
            }
        }
        let contact_phone = match &r.contact_phone {
            Some(c) => p.parse("contact_phone", d::MobilePhone::parse(c)).map(Some),
            None => Some(None),
        };
        let order = contact_phone.map(|contact_phone| CertificateOrder {
            period_from: r.period_from,
            period_to: r.period_to,
            handler_name: crate::form::blank(r.handler_name.as_deref()).map(str::to_string),
            contact_phone,
        });
        p.done(order)
    }
}

/// A service certificate (志愿服务记录证明).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CertificateView {
    #[schema(example = "ZHC-2026-00000001-7KQ2")]
    pub number: String,
    pub volunteer_id: Uuid,
    pub volunteer_name: String,
    pub id_number_masked: String,
    pub volunteer_number: String,
    pub hours: f64,
    pub activities: i32,
    /// What the service was: the activities covered.
    pub content: String,
    pub period_from: NaiveDate,
    pub period_to: NaiveDate,
    pub organization_id: Uuid,
    pub issuer_name: String,
    pub responsible_person: String,
    pub handler_name: String,
    pub contact_phone: String,
    pub issue_date: NaiveDate,
    pub issued_at: DateTime<Utc>,
    /// `valid` or `revoked`.
    #[schema(schema_with = crate::values::certificate_status)]
    pub status: d::CertificateStatus,
    /// What the caller may do to the certificate now (`certificate_allowed_actions`).
    #[serde(default)]
    #[schema(schema_with = crate::values::certificate_actions)]
    pub allowed_actions: Vec<d::CertificateAction>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub revoke_reason: Option<String>,
    /// Public page where anyone can check the certificate by its number.
    pub verification_url: String,
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams, Validate)]
#[into_params(parameter_in = Query)]
pub struct CertificateQuery {
    pub volunteer_id: Option<Uuid>,
    pub organization_id: Option<Uuid>,
    #[validate(range(min = 1, max = 200))]
    #[param(minimum = 1, maximum = 200, default = 20)]
    pub limit: Option<u64>,
    pub cursor: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CertificatePage {
    pub items: Vec<CertificateView>,
    pub next_cursor: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct RevokeCertificateRequest {
    #[validate(length(min = 1, max = 500))]
    #[schema(min_length = 1, max_length = 500)]
    pub reason: String,
}

/// What a verifier sees: enough to trust the paper, nothing more.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CertificateVerificationView {
    pub number: String,
    /// `valid` or `revoked`.
    #[schema(schema_with = crate::values::certificate_status)]
    pub status: d::CertificateStatus,
    pub valid: bool,
    /// The name with its middle masked, e.g. `李*明`.
    pub volunteer_name: String,
    pub hours: f64,
    pub period_from: NaiveDate,
    pub period_to: NaiveDate,
    pub issuer_name: String,
    pub issue_date: NaiveDate,
    pub revoked_at: Option<DateTime<Utc>>,
}

crate::reason_request! {
    RevokeCertificateRequest => reason,
}
