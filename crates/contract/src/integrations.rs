//! API clients for third-party systems (a provincial volunteer platform, a society's
//! membership system, a reporting tool).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
pub struct CreateApiClientRequest {
    #[schema(example = "省志愿服务平台同步")]
    #[validate(length(min = 1, max = 100))]
    pub name: String,
    /// `<family>:read` or `<family>:write` (write includes read); families: `organizations`,
    /// `volunteers`, `activities`, `records`, `letters`, `applications`, `reports`.
    #[schema(example = json!(["activities:write", "reports:read"]))]
    #[validate(length(min = 1, max = 14))]
    pub scopes: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ApiClientView {
    pub id: Uuid,
    pub organization_id: Uuid,
    pub name: String,
    /// The public part of the key (`zhc_<key_prefix>_…`).
    pub key_prefix: String,
    pub scopes: Vec<String>,
    /// `active` or `revoked`.
    pub status: String,
    pub created_at: DateTime<Utc>,
    pub rotated_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub last_used_at: Option<DateTime<Utc>>,
    /// The address of the last use.
    pub last_used_from: Option<String>,
}

/// A client with its key, shown once: only a hash is stored.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ApiClientKeyView {
    pub client: ApiClientView,
    /// Send as `Authorization: Bearer <api_key>`.
    #[schema(example = "zhc_3f9a1c2b7d4e_Qm9ndXMga2V5IGZvciBkb2N1bWVudGF0aW9uIG9ubHk")]
    pub api_key: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ApiClientPage {
    pub items: Vec<ApiClientView>,
}
