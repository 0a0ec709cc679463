//! API clients for third-party systems (a provincial volunteer platform, a society's
//! membership system, a reporting tool).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;
use zhihui_domain as d;

use crate::form::{Problems, Rejected};

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct CreateApiClientRequest {
    #[schema(example = "省志愿服务平台同步")]
    #[validate(length(min = 1, max = 100))]
    #[schema(min_length = 1, max_length = 100)]
    pub name: String,
    /// `<family>:read` or `<family>:write` (write includes read); families: `organizations`,
    /// `volunteers`, `activities`, `records`, `letters`, `applications`, `reports`, `needs`.
    #[validate(length(min = 1, max = 16))]
    #[schema(schema_with = crate::values::requested_scopes)]
    pub scopes: Vec<String>,
}

/// A new API client as the form and the service both check it: a name, and scopes each
/// `<family>:read` or `<family>:write`, kept once each in the order given.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiClientRegistration {
    pub name: String,
    pub scopes: Vec<String>,
}

impl TryFrom<&CreateApiClientRequest> for ApiClientRegistration {
    type Error = Rejected;

    fn try_from(r: &CreateApiClientRequest) -> Result<Self, Rejected> {
        let mut p = Problems::validate(r);
        let name = r.name.trim().to_string();
        if name.is_empty() && !p.has("name") {
            p.push("name", d::ProblemCode::Required, "name the client");
        }
        let mut scopes: Vec<String> = vec![];
        for (i, s) in r.scopes.iter().enumerate() {
            if d::integration::Scope::parse(s).is_none() {
                p.push(
                    &format!("scopes[{i}]"),
                    d::ProblemCode::UnknownScope,
                    "a scope is <family>:read or <family>:write",
                );
            } else if !scopes.contains(s) {
                scopes.push(s.clone());
            }
        }
        p.done(Some(ApiClientRegistration { name, scopes }))
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ApiClientView {
    pub id: Uuid,
    pub organization_id: Uuid,
    pub name: String,
    /// The public part of the key (`zhc_<key_prefix>_…`).
    pub key_prefix: String,
    #[schema(schema_with = crate::values::requested_scopes)]
    pub scopes: Vec<String>,
    /// `active` or `revoked`.
    #[schema(schema_with = crate::values::api_client_status)]
    pub status: d::integration::ApiClientStatus,
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
    /// Newest first.
    pub items: Vec<ApiClientView>,
    /// Pass as `cursor` for the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

/// A page of an organisation's API clients.
#[derive(Debug, Clone, Default, Deserialize, IntoParams, Validate)]
#[into_params(parameter_in = Query)]
pub struct ApiClientQuery {
    #[validate(range(min = 1, max = 200))]
    #[param(minimum = 1, maximum = 200, default = 20)]
    pub limit: Option<u64>,
    /// The previous page's `next_cursor`.
    pub cursor: Option<String>,
}

/// Registers a webhook endpoint.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct CreateWebhookEndpointRequest {
    /// The organisation whose events (and those of every organisation below it) the
    /// endpoint hears; omitted by a platform admin for a platform-level endpoint that hears
    /// everything.
    pub organization_id: Option<Uuid>,
    /// An `https://` address on the public internet.
    #[schema(example = "https://hooks.example.cn/zhihui")]
    #[validate(length(min = 1, max = 2000))]
    #[schema(min_length = 1, max_length = 2000)]
    pub url: String,
    #[schema(example = "省志愿服务平台")]
    #[validate(length(max = 200))]
    #[schema(max_length = 200)]
    pub description: Option<String>,
    /// Event types: `membership.requested`, `membership.approved`, `volunteer.imported`,
    /// `activity.published`, `activity.cancelled`, `hours.confirmed`, `certificate.issued`,
    /// `pairing_letter.sent`, `pairing_letter.accepted`, `pairing_letter.declined`,
    /// `pairing_letter.expired`, `application.submitted`, `application.endorsed`,
    /// `application.decided`, `monthly_report.submitted`, `monthly_report.returned`,
    /// `monthly_report.accepted`.
    #[validate(length(min = 1, max = 40))]
    #[schema(schema_with = crate::values::subscribed_event_types)]
    pub event_types: Vec<String>,
}

/// Changes to an endpoint; omitted fields stay as they are. `active: false` pauses it: it
/// gets no new events until resumed.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct UpdateWebhookEndpointRequest {
    #[validate(length(min = 1, max = 2000))]
    #[schema(min_length = 1, max_length = 2000)]
    pub url: Option<String>,
    #[validate(length(max = 200))]
    #[schema(max_length = 200)]
    pub description: Option<String>,
    #[validate(length(min = 1, max = 40))]
    #[schema(schema_with = crate::values::subscribed_event_types)]
    pub event_types: Option<Vec<String>>,
    pub active: Option<bool>,
}

/// A webhook endpoint's settings as the form and the service both check them: an address
/// of the right shape (`https://`, unless the service allows plain addresses for local
/// testing) and event types each known and subscribable, kept once each. Whether a name
/// resolves to a public address is the service's to check when it is given.
#[derive(Debug, Clone, PartialEq)]
pub struct WebhookSettings {
    pub url: Option<String>,
    pub description: Option<String>,
    pub event_types: Option<Vec<d::integration::EventType>>,
    pub active: Option<bool>,
}

impl TryFrom<(&CreateWebhookEndpointRequest, bool)> for WebhookSettings {
    type Error = Rejected;

    /// A new endpoint; the flag allows plain `http://` and local addresses.
    fn try_from(
        (r, allow_insecure): (&CreateWebhookEndpointRequest, bool),
    ) -> Result<Self, Rejected> {
        let mut p = Problems::validate(r);
        let url = checked_url(&mut p, Some(&r.url), allow_insecure);
        let event_types = checked_types(&mut p, Some(&r.event_types));
        let description = Some(
            r.description
                .as_deref()
                .unwrap_or_default()
                .trim()
                .to_string(),
        );
        p.done(Some(WebhookSettings {
            url,
            description,
            event_types,
            active: None,
        }))
    }
}

impl TryFrom<(&UpdateWebhookEndpointRequest, bool)> for WebhookSettings {
    type Error = Rejected;

    /// A change; what is absent stays.
    fn try_from(
        (r, allow_insecure): (&UpdateWebhookEndpointRequest, bool),
    ) -> Result<Self, Rejected> {
        let mut p = Problems::validate(r);
        let url = checked_url(&mut p, r.url.as_deref(), allow_insecure);
        let event_types = checked_types(&mut p, r.event_types.as_deref());
        p.done(Some(WebhookSettings {
            url,
            description: r.description.as_deref().map(|d| d.trim().to_string()),
            event_types,
            active: r.active,
        }))
    }
}

fn checked_url(p: &mut Problems, url: Option<&str>, allow_insecure: bool) -> Option<String> {
    let url = url?.trim();
    if p.has("url") {
        return None;
    }
    let refused = match d::integration::check_webhook_url(url, allow_insecure) {
        Ok(()) => return Some(url.to_string()),
        Err(d::integration::UrlProblem::NotHttps) => {
            (d::ProblemCode::InvalidUrl, "use an https:// address")
        }
        Err(d::integration::UrlProblem::Malformed) => (
            d::ProblemCode::InvalidUrl,
            "not an address: https://host/path",
        ),
        Err(d::integration::UrlProblem::PrivateHost) => (
            d::ProblemCode::PrivateAddress,
            "the address is on a local or private network; use a public one",
        ),
    };
    p.push("url", refused.0, refused.1);
    None
}

fn checked_types(
    p: &mut Problems,
    types: Option<&[String]>,
) -> Option<Vec<d::integration::EventType>> {
    use d::integration::EventType;
    let mut out = vec![];
    for (i, t) in types?.iter().enumerate() {
        match EventType::parse(t).filter(|t| *t != EventType::Ping) {
            Some(t) if !out.contains(&t) => out.push(t),
            Some(_) => {}
            None => p.push(
                &format!("event_types[{i}]"),
                d::ProblemCode::UnknownEventType,
                "not an event type; the list is in the description of event_types",
            ),
        }
    }
    Some(out)
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct WebhookEndpointView {
    pub id: Uuid,
    /// None for a platform-level endpoint.
    pub organization_id: Option<Uuid>,
    pub url: String,
    pub description: String,
    #[schema(schema_with = crate::values::subscribed_event_types)]
    pub event_types: Vec<d::integration::EventType>,
    pub active: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub rotated_at: Option<DateTime<Utc>>,
}

/// An endpoint with its signing secret, shown at creation and rotation only.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct WebhookEndpointSecretView {
    pub endpoint: WebhookEndpointView,
    /// Verifies the `Zhihui-Signature` header of every delivery.
    #[schema(example = "whsec_6Tt1Cq0JrI5mUeQ2bX4pZ8vN3kLs9aWd")]
    pub secret: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct WebhookEndpointPage {
    /// Newest first.
    pub items: Vec<WebhookEndpointView>,
    /// Pass as `cursor` for the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, IntoParams, Validate)]
#[into_params(parameter_in = Query)]
pub struct WebhookEndpointQuery {
    /// One organisation's endpoints; without it, the endpoints of every organisation the
    /// caller administers (a platform admin: the platform-level ones).
    pub organization_id: Option<Uuid>,
    #[validate(range(min = 1, max = 200))]
    #[param(minimum = 1, maximum = 200, default = 20)]
    pub limit: Option<u64>,
    /// The previous page's `next_cursor`.
    pub cursor: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, IntoParams, Validate)]
#[into_params(parameter_in = Query)]
pub struct WebhookDeliveryQuery {
    /// `pending`, `delivered` or `failed` (retried for a day without success).
    #[param(schema_with = crate::values::delivery_status)]
    pub status: Option<String>,
    #[validate(range(min = 1, max = 200))]
    #[param(minimum = 1, maximum = 200, default = 20)]
    pub limit: Option<u64>,
    pub cursor: Option<String>,
}

/// One event to one endpoint.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct WebhookDeliveryView {
    pub id: Uuid,
    pub endpoint_id: Uuid,
    /// The event's id: the same in a replay, so a receiver can ignore what it has seen.
    pub event_id: Uuid,
    #[schema(schema_with = crate::values::event_type)]
    pub event_type: d::integration::EventType,
    /// `pending`, `delivered` or `failed`.
    #[schema(schema_with = crate::values::delivery_status)]
    pub status: d::integration::DeliveryStatus,
    pub attempts: i32,
    pub next_attempt_at: Option<DateTime<Utc>>,
    pub last_attempt_at: Option<DateTime<Utc>>,
    pub last_status_code: Option<i32>,
    pub last_error: Option<String>,
    pub delivered_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    /// The delivery this one replays.
    pub replay_of: Option<Uuid>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct WebhookDeliveryPage {
    pub items: Vec<WebhookDeliveryView>,
    pub next_cursor: Option<String>,
}

/// One HTTP attempt.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct WebhookAttemptView {
    pub number: i32,
    pub attempted_at: DateTime<Utc>,
    /// The receiver's status; none when it could not be reached.
    pub status_code: Option<i32>,
    pub error: Option<String>,
    pub duration_ms: i32,
    /// The first kilobyte of the receiver's answer.
    pub response_excerpt: Option<String>,
}

/// A delivery with the event it carries and every attempt.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct WebhookDeliveryDetail {
    pub delivery: WebhookDeliveryView,
    pub event: WebhookEvent,
    pub attempts: Vec<WebhookAttemptView>,
}

/// The body of every delivery (`POST` to the endpoint, `application/json`), signed in the
/// `Zhihui-Signature` header: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" with
/// the endpoint's secret>`. Deliveries are at least once: deduplicate by `id`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct WebhookEvent {
    pub id: Uuid,
    #[serde(rename = "type")]
    #[schema(schema_with = crate::values::event_type)]
    pub event_type: d::integration::EventType,
    pub occurred_at: DateTime<Utc>,
    /// The organisations the event concerns.
    pub organization_ids: Vec<Uuid>,
    /// The resource after the change: its `kind`, `id`, the fields that matter to the event
    /// and `href`, its address in this API (read it with an API client for the full view).
    /// Never carries ID numbers or phone numbers. Which resource each event type carries is
    /// in the document's `webhooks` section (`zhihui_contract::events`).
    #[schema(schema_with = crate::events::any_resource)]
    pub resource: serde_json::Value,
}
