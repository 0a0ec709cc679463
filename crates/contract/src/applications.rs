//! Programme calls (项目申报通知) and funding applications (项目申报书), rules 32-38.
//! Money is in fen (1 yuan = 100 fen), as integers.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;
use zhihui_domain as d;

use crate::pairing::{PairingRef, PartyView, ProposedActivity};

/// A review criterion and its weight.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct Criterion {
    #[schema(example = "项目可行性")]
    #[validate(length(min = 1, max = 50))]
    pub name: String,
    /// 1 to 100; weights need not add up to 100 (scores are divided by their sum).
    #[validate(range(min = 1, max = 100))]
    #[schema(minimum = 1, maximum = 100)]
    pub weight: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct CreateCallRequest {
    #[schema(example = "智惠行动")]
    #[validate(length(min = 1, max = 100))]
    pub programme: String,
    #[schema(example = "百会百县乡村行")]
    #[validate(length(min = 1, max = 100))]
    pub sub_project: String,
    #[schema(example = 2027)]
    #[validate(range(min = 2000, max = 2100))]
    #[schema(minimum = 2000, maximum = 2100)]
    pub year: i32,
    #[validate(custom(function = "crate::bounds::instant"))]
    pub opens_at: DateTime<Utc>,
    #[validate(custom(function = "crate::bounds::instant"))]
    pub closes_at: DateTime<Utc>,
    /// Organisation categories that may apply, e.g. `national_society`, `provincial_society`.
    #[validate(length(min = 1, max = 14))]
    #[schema(schema_with = crate::values::organization_categories)]
    pub eligible_categories: Vec<String>,
    /// `society`, `county_volunteer_federation` or `hub_centre`.
    #[schema(schema_with = crate::values::form_variant)]
    pub form_variant: String,
    /// Most an application may request, in fen (200,000 yuan = 20000000).
    #[schema(example = 20000000)]
    #[validate(range(min = 1, max = zhihui_domain::bounds::MAX_FEN))]
    #[schema(minimum = 1, maximum = 1_000_000_000_000_i64)]
    pub cap_fen: i64,
    #[serde(default)]
    pub pairing_required: bool,
    #[serde(default)]
    pub endorsement_required: bool,
    /// Endorsements per province (default 1).
    #[validate(range(min = 1, max = 1000))]
    #[schema(minimum = 1, maximum = 1000)]
    pub province_quota: Option<i32>,
    /// When approved projects file their summary report.
    #[validate(custom(function = "crate::bounds::date"))]
    pub summary_due: NaiveDate,
    #[validate(length(min = 1, max = 20), nested)]
    pub criteria: Vec<Criterion>,
}

/// Partial update; absent fields stay. Send `If-Match` with the ETag.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct UpdateCallRequest {
    #[validate(length(min = 1, max = 100))]
    pub programme: Option<String>,
    #[validate(length(min = 1, max = 100))]
    pub sub_project: Option<String>,
    #[validate(range(min = 2000, max = 2100))]
    #[schema(minimum = 2000, maximum = 2100)]
    pub year: Option<i32>,
    #[validate(custom(function = "crate::bounds::instant"))]
    pub opens_at: Option<DateTime<Utc>>,
    #[validate(custom(function = "crate::bounds::instant"))]
    pub closes_at: Option<DateTime<Utc>>,
    #[validate(length(min = 1, max = 14))]
    #[schema(schema_with = crate::values::organization_categories)]
    pub eligible_categories: Option<Vec<String>>,
    #[schema(schema_with = crate::values::form_variant_or_null)]
    pub form_variant: Option<String>,
    #[validate(range(min = 1, max = zhihui_domain::bounds::MAX_FEN))]
    #[schema(minimum = 1, maximum = 1_000_000_000_000_i64)]
    pub cap_fen: Option<i64>,
    pub pairing_required: Option<bool>,
    pub endorsement_required: Option<bool>,
    #[validate(range(min = 1, max = 1000))]
    #[schema(minimum = 1, maximum = 1000)]
    pub province_quota: Option<i32>,
    #[validate(custom(function = "crate::bounds::date"))]
    pub summary_due: Option<NaiveDate>,
    #[validate(length(min = 1, max = 20), nested)]
    pub criteria: Option<Vec<Criterion>>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct CallView {
    pub id: Uuid,
    pub programme: String,
    pub sub_project: String,
    pub year: i32,
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    /// `upcoming`, `open` or `closed`, now.
    #[schema(schema_with = crate::values::call_state)]
    pub state: d::CallState,
    #[schema(schema_with = crate::values::organization_categories)]
    pub eligible_categories: Vec<d::OrganizationCategory>,
    #[schema(schema_with = crate::values::form_variant)]
    pub form_variant: d::FormVariant,
    pub cap_fen: i64,
    pub pairing_required: bool,
    pub endorsement_required: bool,
    pub province_quota: i32,
    pub summary_due: NaiveDate,
    pub criteria: Vec<Criterion>,
    pub version: i32,
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams, Validate)]
#[into_params(parameter_in = Query)]
pub struct CallQuery {
    #[validate(range(min = 2000, max = 2100))]
    #[param(minimum = 2000, maximum = 2100)]
    pub year: Option<i32>,
    #[validate(range(min = 1, max = 200))]
    #[param(minimum = 1, maximum = 200, default = 20)]
    pub limit: Option<u64>,
    /// The previous page's `next_cursor`.
    pub cursor: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CallPage {
    /// Open calls first (closing soonest first), then upcoming, then closed (latest first).
    pub items: Vec<CallView>,
    /// Pass as `cursor` for the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

/// One line of the budget.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct BudgetLine {
    #[schema(example = "专家差旅费")]
    #[validate(length(min = 1, max = 100))]
    pub item: String,
    #[schema(example = 3000000)]
    #[validate(range(min = 1, max = zhihui_domain::bounds::MAX_FEN))]
    #[schema(minimum = 1, maximum = 1_000_000_000_000_i64)]
    pub amount_fen: i64,
    #[validate(length(max = 500))]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct ContactInput {
    #[validate(length(min = 1, max = 50))]
    pub name: String,
    /// E.g. 项目负责人, 联系人.
    #[validate(length(min = 1, max = 50))]
    pub role: String,
    /// Mainland mobile number; encrypted at rest.
    pub phone: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct ContactView {
    pub name: String,
    pub role: String,
    /// In full for the applicant's admins and platform admins, masked for others.
    pub phone: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct CreateApplicationRequest {
    pub call_id: Uuid,
    /// The applying organisation; the caller administers it.
    pub applicant_id: Uuid,
    #[validate(length(min = 2, max = 100))]
    pub title: String,
    #[validate(length(min = 1, max = 5000))]
    pub summary: String,
    #[validate(length(min = 1, max = 5000))]
    pub objectives: String,
    #[validate(length(max = 100), nested)]
    #[serde(default)]
    pub activities: Vec<ProposedActivity>,
    #[validate(length(max = 100), nested)]
    #[serde(default)]
    pub budget: Vec<BudgetLine>,
    #[validate(range(min = 0, max = zhihui_domain::bounds::MAX_FEN))]
    #[schema(minimum = 0, maximum = 1_000_000_000_000_i64)]
    pub requested_fen: i64,
    /// The proof number of the accepted pairing the application relies on.
    #[schema(example = "JD2026000001")]
    pub pairing_proof: Option<String>,
    /// For a national society: the provincial society of the paired region that takes part.
    pub provincial_partner_id: Option<Uuid>,
    /// How that provincial society takes part.
    #[validate(length(max = 2000))]
    pub provincial_partner_role: Option<String>,
    #[validate(length(min = 1, max = 10), nested)]
    pub contacts: Vec<ContactInput>,
}

/// Partial update of a draft; absent fields stay. An empty `pairing_proof` removes it.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct UpdateApplicationRequest {
    #[validate(length(min = 2, max = 100))]
    pub title: Option<String>,
    #[validate(length(min = 1, max = 5000))]
    pub summary: Option<String>,
    #[validate(length(min = 1, max = 5000))]
    pub objectives: Option<String>,
    #[validate(length(max = 100), nested)]
    pub activities: Option<Vec<ProposedActivity>>,
    #[validate(length(max = 100), nested)]
    pub budget: Option<Vec<BudgetLine>>,
    #[validate(range(min = 0, max = zhihui_domain::bounds::MAX_FEN))]
    #[schema(minimum = 0, maximum = 1_000_000_000_000_i64)]
    pub requested_fen: Option<i64>,
    pub pairing_proof: Option<String>,
    pub provincial_partner_id: Option<Uuid>,
    #[validate(length(max = 2000))]
    pub provincial_partner_role: Option<String>,
    #[validate(length(min = 1, max = 10), nested)]
    pub contacts: Option<Vec<ContactInput>>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct AttachmentView {
    pub id: Uuid,
    pub file_name: String,
    /// `application/pdf`, `image/jpeg` or `image/png`, from the content.
    pub media_type: String,
    pub size: i64,
    pub sha256: String,
    pub uploaded_at: DateTime<Utc>,
}

/// The file of `upload_application_attachment`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AttachmentUpload {
    /// The file (field name `file`): PDF, JPEG or PNG.
    #[schema(value_type = String, format = Binary)]
    pub file: Vec<u8>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct Score {
    /// The criterion's name, as in the call.
    pub criterion: String,
    /// 0 to 100.
    #[validate(range(max = 100))]
    #[schema(maximum = 100)]
    pub score: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct SubmitReviewRequest {
    /// One score per criterion of the call.
    #[validate(length(min = 1, max = 20), nested)]
    pub scores: Vec<Score>,
    #[validate(length(max = 5000))]
    #[serde(default)]
    pub comment: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct ReviewView {
    /// The reviewer, for platform admins and the reviewer themself only.
    pub reviewer_id: Option<Uuid>,
    pub reviewer_name: Option<String>,
    /// `评审专家1`, `评审专家2`… in the order reviews arrived.
    pub label: String,
    pub scores: Vec<Score>,
    pub weighted_score: f64,
    pub comment: String,
    pub submitted_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct AssignReviewersRequest {
    /// Accounts to add as reviewers (those already assigned stay).
    #[validate(length(min = 1, max = 20))]
    pub reviewer_ids: Vec<Uuid>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct ReviewerView {
    pub reviewer_id: Uuid,
    pub name: String,
    pub assigned_at: DateTime<Utc>,
    pub reviewed: bool,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct EndorseRequest {
    #[validate(length(max = 2000))]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct DeclineEndorsementRequest {
    #[validate(length(min = 1, max = 2000))]
    pub reason: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct DecisionRequest {
    /// `approve`, `reject` or `return` (for revision).
    #[schema(schema_with = crate::values::decision)]
    pub decision: String,
    /// Approve: the amount granted, not above the request.
    #[validate(range(min = 0, max = zhihui_domain::bounds::MAX_FEN))]
    #[schema(minimum = 0, maximum = 1_000_000_000_000_i64)]
    pub granted_fen: Option<i64>,
    /// Reject and return: why (required).
    #[validate(length(max = 2000))]
    pub reason: Option<String>,
    /// Return: until when the revised application may be submitted, if after the call closes.
    #[validate(custom(function = "crate::bounds::instant"))]
    pub revision_deadline: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct ProjectSummaryRequest {
    /// The project's summary report: what was done, for whom, results.
    #[validate(length(min = 1, max = 20000))]
    pub text: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct ApplicationView {
    pub id: Uuid,
    pub call_id: Uuid,
    /// Programme and sub-project, e.g. `智惠行动 · 百会百县乡村行`.
    pub call_title: String,
    pub applicant: PartyView,
    pub province_code: String,
    pub title: String,
    pub summary: String,
    pub objectives: String,
    pub activities: Vec<ProposedActivity>,
    pub budget: Vec<BudgetLine>,
    pub requested_fen: i64,
    pub pairing: Option<PairingRef>,
    pub provincial_partner: Option<PartyView>,
    pub provincial_partner_role: Option<String>,
    pub contacts: Vec<ContactView>,
    /// `draft`, `submitted`, `endorsed`, `endorsement_declined`, `approved` or `rejected`.
    #[schema(schema_with = crate::values::application_status)]
    pub status: d::ApplicationStatus,
    /// Why it was returned for revision (a draft again).
    pub return_reason: Option<String>,
    pub revision_deadline: Option<DateTime<Utc>>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub endorsed_at: Option<DateTime<Utc>>,
    pub endorsement_note: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    pub decision_reason: Option<String>,
    pub granted_fen: Option<i64>,
    pub summary_text: Option<String>,
    pub summary_submitted_at: Option<DateTime<Utc>>,
    /// Filed after the call's summary due date.
    pub summary_late: Option<bool>,
    pub attachments: Vec<AttachmentView>,
    /// Mean of the reviews' weighted scores (platform admins; the applicant after the
    /// decision).
    pub review_average: Option<f64>,
    /// Reviews: every one with its reviewer for platform admins; the caller's own for a
    /// reviewer; anonymous ones for the applicant after the decision.
    pub reviews: Option<Vec<ReviewView>>,
    /// Assigned reviewers (platform admins only).
    pub reviewers: Option<Vec<ReviewerView>>,
    /// What the caller may do now (the domain's `allowed_actions` for the caller's roles).
    #[schema(schema_with = crate::values::application_actions)]
    pub allowed_actions: Vec<d::ApplicationAction>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i32,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ApplicationEventView {
    /// What happened (`resubmitted`: submitted again after a return for revision).
    #[schema(schema_with = crate::values::application_event)]
    pub action: d::ApplicationEvent,
    pub at: DateTime<Utc>,
    pub actor_name: String,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ApplicationHistory {
    pub items: Vec<ApplicationEventView>,
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams, Validate)]
#[into_params(parameter_in = Query)]
pub struct ApplicationQuery {
    pub call_id: Option<Uuid>,
    #[param(schema_with = crate::values::application_status)]
    pub status: Option<String>,
    /// A province code (`130000`).
    pub province_code: Option<String>,
    pub applicant_id: Option<Uuid>,
    #[validate(range(min = 1, max = 200))]
    #[param(minimum = 1, maximum = 200, default = 20)]
    pub limit: Option<u64>,
    pub cursor: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams, Validate)]
#[into_params(parameter_in = Query)]
pub struct ApplicationExportQuery {
    pub call_id: Option<Uuid>,
    #[param(schema_with = crate::values::application_status)]
    pub status: Option<String>,
    pub province_code: Option<String>,
    pub applicant_id: Option<Uuid>,
    /// `xlsx` (default) or `csv`.
    #[param(schema_with = crate::values::table_format)]
    pub format: Option<String>,
}

/// An application in a list.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ApplicationSummaryView {
    pub id: Uuid,
    pub call_id: Uuid,
    pub applicant: PartyView,
    pub province_code: String,
    pub title: String,
    pub requested_fen: i64,
    pub granted_fen: Option<i64>,
    #[schema(schema_with = crate::values::application_status)]
    pub status: d::ApplicationStatus,
    pub submitted_at: Option<DateTime<Utc>>,
    pub endorsed_at: Option<DateTime<Utc>>,
    /// Mean weighted review score (platform admins only).
    pub review_average: Option<f64>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ApplicationPage {
    pub items: Vec<ApplicationSummaryView>,
    pub next_cursor: Option<String>,
}
