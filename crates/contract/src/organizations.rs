//! Organisations and teams (科技志愿服务组织 / 队伍).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;
use zhihui_domain as d;

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct RegisterOrganizationRequest {
    #[schema(example = "中国农学会")]
    #[validate(length(min = 2, max = 100))]
    pub name: String,
    /// One of `national_society`, `provincial_society`, `municipal_society`,
    /// `provincial_association`, `city_association`, `county_association`,
    /// `county_volunteer_federation`, `university`, `enterprise`,
    /// `rural_technical_association`, `youth`, `science_caravan`,
    /// `science_education_base`, `other`.
    #[schema(schema_with = crate::values::organization_category)]
    pub category: String,
    /// One of `national`, `province`, `city`, `county`, `grassroots`.
    #[schema(schema_with = crate::values::organization_level)]
    pub level: String,
    /// The parent organisation that approves this one; none for a top-level organisation.
    pub parent_id: Option<Uuid>,
    /// GB/T 2260 code of the region the organisation sits in.
    #[schema(example = "110000")]
    pub region_code: String,
    /// Unified social credit code (GB 32100), optional.
    pub credit_code: Option<String>,
    #[validate(length(min = 2, max = 50))]
    pub contact_name: String,
    pub contact_phone: String,
    #[validate(length(max = 200))]
    pub address: Option<String>,
    #[validate(length(max = 2000))]
    pub description: Option<String>,
}

/// Partial update; absent fields stay as they are.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct UpdateOrganizationRequest {
    #[validate(length(min = 2, max = 100))]
    pub name: Option<String>,
    pub region_code: Option<String>,
    pub credit_code: Option<String>,
    #[validate(length(min = 2, max = 50))]
    pub contact_name: Option<String>,
    pub contact_phone: Option<String>,
    #[validate(length(max = 200))]
    pub address: Option<String>,
    #[validate(length(max = 2000))]
    pub description: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct RejectRequest {
    #[validate(length(min = 1, max = 500))]
    pub reason: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct GrantAdminRequest {
    /// The login (e-mail or phone) of the account that receives the seat.
    #[validate(length(min = 3, max = 254))]
    pub login: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct OrganizationAdminView {
    pub account_id: Uuid,
    pub display_name: String,
    pub granted_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct OrganizationView {
    pub id: Uuid,
    pub name: String,
    #[schema(schema_with = crate::values::organization_category)]
    pub category: d::OrganizationCategory,
    #[schema(schema_with = crate::values::organization_level)]
    pub level: d::OrganizationLevel,
    pub parent_id: Option<Uuid>,
    pub region_code: String,
    pub region_name: String,
    pub credit_code: Option<String>,
    pub contact_name: String,
    /// Masked (`138****8000`) unless the caller administers this organisation or its parent.
    pub contact_phone: String,
    pub address: Option<String>,
    pub description: Option<String>,
    /// `pending`, `approved`, `rejected` or `suspended`.
    #[schema(schema_with = crate::values::organization_status)]
    pub status: d::OrganizationStatus,
    pub rejection_reason: Option<String>,
    /// What the caller may do to the organisation now (`organization_allowed_actions`).
    #[serde(default)]
    #[schema(schema_with = crate::values::organization_actions)]
    pub allowed_actions: Vec<d::OrganizationAction>,
    pub approved_members: u64,
    /// Admin seats allowed by the number of approved members (rule 8).
    pub admin_seat_cap: u64,
    pub admin_count: u64,
    /// For county brigades (30) and grassroots teams (10): whether the minimum size is reached.
    pub meets_minimum_size: Option<bool>,
    /// Listed only for those who manage the organisation.
    pub admins: Option<Vec<OrganizationAdminView>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i32,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct OrganizationPage {
    pub items: Vec<OrganizationView>,
    pub next_cursor: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams, Validate)]
#[into_params(parameter_in = Query)]
pub struct OrganizationQuery {
    #[param(schema_with = crate::values::organization_category)]
    pub category: Option<String>,
    #[param(schema_with = crate::values::organization_level)]
    pub level: Option<String>,
    /// A region code: a province finds everything in its cities and counties too.
    pub region: Option<String>,
    #[param(schema_with = crate::values::organization_status)]
    pub status: Option<String>,
    /// Part of the name.
    #[validate(length(max = 100))]
    pub q: Option<String>,
    #[validate(range(min = 1, max = 200))]
    #[param(minimum = 1, maximum = 200, default = 20)]
    pub limit: Option<u64>,
    pub cursor: Option<String>,
}
