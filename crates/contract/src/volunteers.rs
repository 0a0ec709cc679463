//! Volunteers (real-name registration) and memberships.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;
use zhihui_domain as d;

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct GuardianInput {
    #[validate(length(min = 2, max = 50))]
    pub name: String,
    pub phone: String,
    /// The guardian consents to the registration.
    pub consent: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct ConsentInput {
    /// Version of the registration agreement accepted, e.g. `2025-01`.
    #[validate(length(min = 1, max = 20))]
    pub agreement_version: String,
    pub accepted: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct RegisterVolunteerRequest {
    #[schema(example = "李明")]
    pub name: String,
    /// Resident ID number (GB 11643); gender and birth date are derived from it.
    #[schema(example = "11010519491231002X")]
    pub id_number: String,
    #[schema(example = "13800138000")]
    pub phone: String,
    /// Region of residence (GB/T 2260).
    #[schema(example = "110105")]
    pub region_code: String,
    /// Professional skills or fields, e.g. `农业技术`.
    #[validate(length(max = 20))]
    #[serde(default)]
    pub skills: Vec<String>,
    /// Service categories of interest, e.g. `science_popularisation`.
    #[validate(length(max = 10))]
    #[serde(default)]
    #[schema(schema_with = crate::values::activity_categories)]
    pub service_categories: Vec<String>,
    /// "Three heads" role: `school_principal`, `hospital_head` or `agricultural_station_head`.
    #[schema(schema_with = crate::values::three_heads_role_or_null)]
    pub three_heads_role: Option<String>,
    /// Required from 14 to 17 years of age.
    #[validate(nested)]
    pub guardian: Option<GuardianInput>,
    #[validate(nested)]
    pub consent: ConsentInput,
    /// Teams to ask to join at once (at most 5).
    #[validate(length(max = 5))]
    #[serde(default)]
    pub organization_ids: Vec<Uuid>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct GuardianView {
    pub name: String,
    pub phone_masked: String,
    pub consent: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct MembershipView {
    pub id: Uuid,
    pub organization_id: Uuid,
    pub organization_name: String,
    pub volunteer_id: Uuid,
    /// `pending`, `approved`, `rejected` or `left`.
    #[schema(schema_with = crate::values::membership_status)]
    pub status: d::MembershipStatus,
    pub reason: Option<String>,
    pub requested_at: DateTime<Utc>,
    pub decided_at: Option<DateTime<Utc>>,
    /// What the caller may do to the membership now (`membership_allowed_actions`): leave it
    /// (the volunteer), approve or reject it (the team's admins).
    #[serde(default)]
    #[schema(schema_with = crate::values::membership_actions)]
    pub allowed_actions: Vec<d::MembershipAction>,
}

/// A volunteer as the person sees themself: the full ID number and phone.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct VolunteerProfileView {
    pub id: Uuid,
    /// Volunteer number, e.g. `ZH2026000123`.
    pub volunteer_number: String,
    pub name: String,
    pub id_number: String,
    pub id_number_masked: String,
    /// `male` or `female`, derived from the ID number.
    #[schema(schema_with = crate::values::gender)]
    pub gender: d::Gender,
    pub birth_date: NaiveDate,
    pub phone: String,
    pub region_code: String,
    pub skills: Vec<String>,
    #[schema(schema_with = crate::values::activity_categories)]
    pub service_categories: Vec<d::ActivityCategory>,
    #[schema(schema_with = crate::values::three_heads_role_or_null)]
    pub three_heads_role: Option<d::ThreeHeadsRole>,
    pub guardian: Option<GuardianView>,
    pub consent_version: String,
    pub consented_at: DateTime<Utc>,
    pub memberships: Vec<MembershipView>,
    pub created_at: DateTime<Utc>,
}

/// A volunteer as an authorised admin sees them: ID number and phone masked.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct VolunteerView {
    pub id: Uuid,
    pub volunteer_number: String,
    pub name: String,
    /// `1101**********002X`
    pub id_number_masked: String,
    #[schema(schema_with = crate::values::gender)]
    pub gender: d::Gender,
    pub birth_date: NaiveDate,
    /// `138****8000`
    pub phone_masked: String,
    pub region_code: String,
    pub skills: Vec<String>,
    #[schema(schema_with = crate::values::activity_categories)]
    pub service_categories: Vec<d::ActivityCategory>,
    #[schema(schema_with = crate::values::three_heads_role_or_null)]
    pub three_heads_role: Option<d::ThreeHeadsRole>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct MemberView {
    pub membership_id: Uuid,
    #[schema(schema_with = crate::values::membership_status)]
    pub status: d::MembershipStatus,
    pub requested_at: DateTime<Utc>,
    pub decided_at: Option<DateTime<Utc>>,
    /// What the caller may do to the membership now (`membership_allowed_actions`).
    #[serde(default)]
    #[schema(schema_with = crate::values::membership_actions)]
    pub allowed_actions: Vec<d::MembershipAction>,
    pub volunteer: VolunteerView,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct MemberPage {
    pub items: Vec<MemberView>,
    pub next_cursor: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams, Validate)]
#[into_params(parameter_in = Query)]
pub struct MemberQuery {
    /// `pending`, `approved`, `rejected` or `left`.
    #[param(schema_with = crate::values::membership_status)]
    pub status: Option<String>,
    #[validate(range(min = 1, max = 200))]
    #[param(minimum = 1, maximum = 200, default = 20)]
    pub limit: Option<u64>,
    pub cursor: Option<String>,
}

/// One refused row of an import.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ImportRowError {
    /// Row number in the file, counting the header as row 1.
    pub row: u32,
    /// The column header (e.g. `身份证号`).
    pub field: String,
    pub code: String,
    pub reason: String,
}

/// A bulk import of volunteers and its row-by-row report.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct VolunteerImportView {
    pub id: Uuid,
    pub organization_id: Uuid,
    pub file_name: String,
    /// SHA-256 of the uploaded file.
    pub file_sha256: String,
    /// `csv` or `xlsx`.
    #[schema(schema_with = crate::values::table_format)]
    pub format: d::TableFormat,
    /// `completed` (all rows handled; see `failed`).
    pub status: String,
    pub total_rows: u32,
    /// New volunteers created as approved members of the team.
    pub created: u32,
    /// Rows whose person was already a member of the team (a re-run creates nothing twice).
    pub already_members: u32,
    pub failed: u32,
    /// Row errors, by row: the first 1,000 of them (see `errors_truncated`).
    pub errors: Vec<ImportRowError>,
    /// Whether some failed rows' errors were left out of `errors` (more than 1,000).
    pub errors_truncated: bool,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TemplateQuery {
    /// `csv` (default) or `xlsx`.
    #[param(schema_with = crate::values::table_format)]
    pub format: Option<String>,
}

/// Multipart upload of a CSV or XLSX file in the template's layout.
#[derive(Debug, ToSchema)]
#[allow(dead_code)]
pub struct ImportUpload {
    /// The file (field name `file`).
    #[schema(value_type = String, format = Binary)]
    pub file: Vec<u8>,
}
