//! Accounts and sessions.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;
use zhihui_domain as d;

use crate::form::{Problems, Rejected};

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct RegisterAccountRequest {
    /// E-mail address or mainland mobile number.
    #[schema(example = "li.ming@example.cn")]
    #[validate(length(min = 3, max = 254))]
    #[schema(min_length = 3, max_length = 254)]
    pub login: String,
    /// 8 to 128 characters with a letter and a digit.
    #[validate(length(min = 8, max = 128))]
    #[schema(min_length = 8, max_length = 128)]
    pub password: String,
    #[schema(example = "李明")]
    #[validate(length(min = 1, max = 50))]
    #[schema(min_length = 1, max_length = 50)]
    pub display_name: String,
}

/// A new account as the form and the service both check it (注册): a login that is an
/// e-mail address or mainland mobile number, a password with a letter and a digit, a
/// display name that says something. Whether the login is taken is the store's to say.
#[derive(Debug, Clone)]
pub struct AccountRegistration {
    pub login: d::LoginName,
    pub password: d::Password,
    pub display_name: String,
}

impl TryFrom<&RegisterAccountRequest> for AccountRegistration {
    type Error = Rejected;

    fn try_from(r: &RegisterAccountRequest) -> Result<Self, Rejected> {
        let mut p = Problems::validate(r);
        let login = p.parse("login", d::LoginName::parse(&r.login));
        let password = p.parse("password", d::Password::parse(&r.password));
        let display_name = r.display_name.trim().to_string();
        if display_name.is_empty() && !p.has("display_name") {
            p.push(
                "display_name",
                d::ProblemCode::Required,
                "a display name is required",
            );
        }
        let value = match (login, password) {
            (Some(login), Some(password)) => Some(AccountRegistration {
                login,
                password,
                display_name,
            }),
            _ => None,
        };
        p.done(value)
    }
}

/// A sign-in is checked for size only: its login is not parsed, so that an answer never
/// tells which logins could exist (a wrong one is the same 401 as a wrong password).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    #[validate(length(min = 1, max = 254))]
    #[schema(min_length = 1, max_length = 254)]
    pub login: String,
    #[validate(length(min = 1, max = 128))]
    #[schema(min_length = 1, max_length = 128)]
    pub password: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct RefreshTokenRequest {
    #[validate(length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200)]
    pub refresh_token: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct TokenResponse {
    /// Short-lived JWT for `Authorization: Bearer`.
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: String,
    /// Seconds until the access token expires.
    pub expires_in: i64,
    /// Single-use refresh token; each refresh returns a new one.
    pub refresh_token: String,
    pub refresh_expires_in: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AccountView {
    pub id: Uuid,
    pub login: String,
    pub display_name: String,
    pub created_at: DateTime<Utc>,
}

/// Finding people for a role (the reviewers of an application): by part of the display
/// name or of the login.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams, Validate)]
#[into_params(parameter_in = Query)]
pub struct AccountQuery {
    /// Part of the display name or of the login; at least two characters.
    #[validate(length(min = 2, max = 50))]
    #[param(min_length = 2, max_length = 50)]
    pub q: String,
    #[validate(range(min = 1, max = 200))]
    #[param(minimum = 1, maximum = 200, default = 20)]
    pub limit: Option<u64>,
    pub cursor: Option<String>,
}

/// A person in the directory (评审专家库), as the platform sees them when choosing
/// reviewers: the login masked.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct AccountSummary {
    pub id: Uuid,
    pub display_name: String,
    /// `l***@example.cn`, `138****8000`.
    pub login_masked: String,
    /// Applications assigned to them and not yet scored: their current load.
    pub reviews_open: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct AccountPage {
    pub items: Vec<AccountSummary>,
    pub next_cursor: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct OrganizationRef {
    pub id: Uuid,
    pub name: String,
    #[schema(schema_with = crate::values::organization_status)]
    pub status: d::OrganizationStatus,
}

/// One kind of work waiting for the caller (待办), and how many.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct WorkItem {
    #[schema(schema_with = crate::values::work_kind)]
    pub kind: d::WorkKind,
    /// The organisation it is for; none for a province's endorsements, the platform's own
    /// work and a reviewer's.
    pub organization: Option<OrganizationRef>,
    pub count: i64,
}

/// What is waiting for the caller: only kinds with something waiting.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct WorkView {
    pub items: Vec<WorkItem>,
    /// When the counts were read: they are live.
    pub counted_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct MeView {
    pub id: Uuid,
    pub login: String,
    pub display_name: String,
    pub is_platform_admin: bool,
    /// The real-name volunteer profile, once registered.
    pub volunteer_id: Option<Uuid>,
    /// Organisations this account administers.
    pub administered_organizations: Vec<OrganizationRef>,
}
