//! Webhook endpoints and their delivery logs. Events are written to the outbox with the
//! change they announce; `crate::webhooks` sends them.

use actix_web::{delete, get, patch, post, web, HttpResponse};
use uuid::Uuid;
use zhihui_contract::integrations::{
    CreateWebhookEndpointRequest, UpdateWebhookEndpointRequest, WebhookDeliveryDetail,
    WebhookDeliveryPage, WebhookDeliveryQuery, WebhookDeliveryView, WebhookEndpointPage,
    WebhookEndpointQuery, WebhookEndpointSecretView, WebhookEndpointView, WebhookSettings,
};
use zhihui_contract::Problem;
use zhihui_domain::integration::{DeliveryStatus, EventType, UrlProblem};
use zhihui_domain::OrganizationStatus;
use zhihui_domain::ProblemCode;
use zhihui_persistence::entities::webhook_endpoint;
use zhihui_persistence::{NewWebhookEndpoint, WebhookChanges};

use super::{next_cursor, uuid_cursor};
use crate::auth::Authenticated;
use crate::error::ApiError;
use crate::state::AppState;
use crate::validation::Problems;
use crate::views::webhooks::{delivery_detail, delivery_view, view, DeliveryRows};

/// People (not API clients) who administer the endpoint's organisation, or platform admins;
/// platform-level endpoints are platform admins' only.
fn manages(who: &Authenticated, org: Option<Uuid>) -> Result<(), ApiError> {
    let allowed =
        who.client.is_none() && (who.is_platform_admin || org.is_some_and(|o| who.administers(o)));
    if allowed {
        Ok(())
    } else {
        Err(ApiError::Forbidden(
            ProblemCode::NotYourOrganization,
            "webhooks are managed by the organisation's own admins".into(),
        ))
    }
}

/// A new signing secret: `whsec_` and 32 random letters and digits.
fn new_secret() -> String {
    use rand::distributions::{Alphanumeric, DistString};
    format!(
        "whsec_{}",
        Alphanumeric.sample_string(&mut rand::rngs::OsRng, 32)
    )
}

/// Checks the address's text, then (for a name) the addresses it resolves to now. The
/// sender checks the resolved addresses again at every delivery; a name that does not
/// resolve yet is accepted here.
/// What the settings' own check cannot see: a name that resolves now resolves to public
/// addresses only (unless plain local addresses are allowed for testing).
async fn check_resolution(p: &mut Problems, url: Option<&str>, allow_insecure: bool) {
    if let (Some(url), false) = (url, allow_insecure) {
        if resolves_publicly(url).await.is_err() {
            p.push(
                "url",
                ProblemCode::PrivateAddress,
                "the address is on a local or private network; use a public one",
            );
        }
    }
}

/// A name that resolves now must resolve to public addresses only; one that does not
/// resolve yet (or in time) is accepted, and checked again at every delivery.
async fn resolves_publicly(url: &str) -> Result<(), UrlProblem> {
    let Ok(parsed) = url::Url::parse(url) else {
        return Err(UrlProblem::Malformed);
    };
    let Some(url::Host::Domain(name)) = parsed.host() else {
        return Ok(());
    };
    let port = parsed.port_or_known_default().unwrap_or(443);
    let resolution = tokio::time::timeout(
        std::time::Duration::from_secs(2),
        crate::webhooks::resolve_receiver(name, port),
    )
    .await;
    match resolution {
        Ok(crate::webhooks::Resolution::NotPublic(_)) => Err(UrlProblem::PrivateHost),
        _ => Ok(()),
    }
}

/// Registers an endpoint for an organisation's events (and those of every organisation
/// below it), or, for a platform admin without `organization_id`, for every event. The
/// signing secret is in this answer only. Deliveries are `POST`s of a `WebhookEvent`,
/// signed in `Zhihui-Signature`, retried with exponential backoff for a day.
#[utoipa::path(tag = "integrations", security(("bearer" = [])), request_body = CreateWebhookEndpointRequest, responses(
    (status = 201, body = WebhookEndpointSecretView),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json", description = "organization_not_found"),
    (status = 409, body = Problem, content_type = "application/problem+json", description = "organization_not_approved"),
    (status = 422, body = Problem, content_type = "application/problem+json", description = "invalid_url, private_address, unknown_event_type"),
))]
#[post("/webhooks")]
pub async fn create_webhook_endpoint(
    state: web::Data<AppState>,
    who: Authenticated,
    body: web::Json<CreateWebhookEndpointRequest>,
) -> Result<HttpResponse, ApiError> {
    manages(&who, body.organization_id)?;
    if let Some(id) = body.organization_id {
        let org = state
            .store
            .get_organization(id)
            .await?
            .ok_or(ApiError::NotFound(ProblemCode::OrganizationNotFound))?;
        if org.status != OrganizationStatus::Approved {
            return Err(ApiError::Conflict {
                code: ProblemCode::OrganizationNotApproved,
                message: "webhooks are for approved organisations".into(),
            });
        }
    }
    let insecure = state.settings.webhooks.allow_insecure_urls;
    let mut p = Problems::default();
    let settings = p.absorb(WebhookSettings::try_from((&*body, insecure)));
    if let Some(s) = &settings {
        check_resolution(&mut p, s.url.as_deref(), insecure).await;
    }
    let settings = p.done(settings)?;
    let secret = new_secret();
    let e = state
        .store
        .create_webhook_endpoint(
            NewWebhookEndpoint {
                organization_id: body.organization_id,
                url: settings.url.unwrap_or_default(),
                description: settings.description.unwrap_or_default(),
                event_types: settings.event_types.unwrap_or_default(),
                secret: secret.clone(),
                created_by: who.account_id,
            },
            state.clock.now(),
        )
        .await?;
    Ok(
        super::created(format!("/webhooks/{}", e.id)).json(WebhookEndpointSecretView {
            endpoint: view(e),
            secret,
        }),
    )
}

/// Endpoints of an organisation, of every organisation the caller administers, or (a
/// platform admin without `organization_id`) the platform-level ones. Never their secrets.
#[utoipa::path(tag = "integrations", security(("bearer" = [])), params(WebhookEndpointQuery), responses(
    (status = 200, body = WebhookEndpointPage),
    (status = 400, body = Problem, content_type = "application/problem+json"),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
))]
#[get("/webhooks")]
pub async fn list_webhook_endpoints(
    state: web::Data<AppState>,
    who: Authenticated,
    q: web::Query<WebhookEndpointQuery>,
) -> Result<HttpResponse, ApiError> {
    let mut p = Problems::validate(&*q);
    let before = super::uuid_cursor(&mut p, &q.cursor);
    p.finish()?;
    let limit = q.limit.unwrap_or(zhihui_contract::DEFAULT_LIMIT);
    let items = match q.organization_id {
        Some(org) => {
            manages(&who, Some(org))?;
            state
                .store
                .webhook_endpoints_of(Some(&[org]), before, limit)
                .await?
        }
        None if who.client.is_none() && who.is_platform_admin => {
            state
                .store
                .webhook_endpoints_of(None, before, limit)
                .await?
        }
        // Every organisation the person administers (none: not theirs to see).
        None => {
            if who.client.is_some() || who.admin_of.is_empty() {
                manages(&who, None)?;
            }
            state
                .store
                .webhook_endpoints_of(Some(&who.admin_of), before, limit)
                .await?
        }
    };
    let next_cursor = super::next_cursor(&items, limit, |e| e.id.to_string());
    Ok(HttpResponse::Ok().json(WebhookEndpointPage {
        items: items.into_iter().map(view).collect(),
        next_cursor,
    }))
}

async fn load(
    state: &AppState,
    who: &Authenticated,
    id: Uuid,
) -> Result<webhook_endpoint::Model, ApiError> {
    let e = state
        .store
        .get_webhook_endpoint(id)
        .await?
        .ok_or(ApiError::NotFound(ProblemCode::WebhookNotFound))?;
    if who.client.is_none()
        && !who.is_platform_admin
        && !e.organization_id.is_some_and(|o| who.administers(o))
    {
        // Not theirs: as if it did not exist.
        return Err(ApiError::NotFound(ProblemCode::WebhookNotFound));
    }
    manages(who, e.organization_id)?;
    Ok(e)
}

/// One endpoint (never its secret).
#[utoipa::path(tag = "integrations", security(("bearer" = [])), params(("id" = Uuid, Path)), responses(
    (status = 200, body = WebhookEndpointView),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
))]
#[get("/webhooks/{id}")]
pub async fn get_webhook_endpoint(
    state: web::Data<AppState>,
    who: Authenticated,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(view(load(&state, &who, *id).await?)))
}

/// Changes an endpoint's address, description or events, or pauses (`active: false`) and
/// resumes it. A paused endpoint gets no new events; what was already due is still sent.
#[utoipa::path(tag = "integrations", security(("bearer" = [])), params(("id" = Uuid, Path)), request_body = UpdateWebhookEndpointRequest, responses(
    (status = 200, body = WebhookEndpointView),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json", description = "invalid_url, private_address, unknown_event_type"),
))]
#[patch("/webhooks/{id}")]
pub async fn update_webhook_endpoint(
    state: web::Data<AppState>,
    who: Authenticated,
    id: web::Path<Uuid>,
    body: web::Json<UpdateWebhookEndpointRequest>,
) -> Result<HttpResponse, ApiError> {
    let e = load(&state, &who, *id).await?;
    let insecure = state.settings.webhooks.allow_insecure_urls;
    let mut p = Problems::default();
    let settings = p.absorb(WebhookSettings::try_from((&*body, insecure)));
    if let Some(s) = &settings {
        check_resolution(&mut p, s.url.as_deref(), insecure).await;
    }
    let settings = p.done(settings)?;
    let e = state
        .store
        .update_webhook_endpoint(
            e.id,
            WebhookChanges {
                url: settings.url,
                description: settings.description,
                event_types: settings.event_types,
                active: settings.active,
            },
            state.clock.now(),
        )
        .await?;
    Ok(HttpResponse::Ok().json(view(e)))
}

/// Deletes an endpoint and its delivery log; nothing more is sent to it.
#[utoipa::path(tag = "integrations", security(("bearer" = [])), params(("id" = Uuid, Path)), responses(
    (status = 204),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
))]
#[delete("/webhooks/{id}")]
pub async fn delete_webhook_endpoint(
    state: web::Data<AppState>,
    who: Authenticated,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let e = load(&state, &who, *id).await?;
    state.store.delete_webhook_endpoint(e.id).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Replaces the signing secret; every delivery from now on (retries included) is signed
/// with the new one. The secret is in this answer only.
#[utoipa::path(tag = "integrations", security(("bearer" = [])), params(("id" = Uuid, Path)), responses(
    (status = 200, body = WebhookEndpointSecretView),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
))]
#[post("/webhooks/{id}/rotate")]
pub async fn rotate_webhook_secret(
    state: web::Data<AppState>,
    who: Authenticated,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let e = load(&state, &who, *id).await?;
    let secret = new_secret();
    let e = state
        .store
        .rotate_webhook_secret(e.id, &secret, state.clock.now())
        .await?;
    Ok(HttpResponse::Ok().json(WebhookEndpointSecretView {
        endpoint: view(e),
        secret,
    }))
}

/// Sends a `webhook.ping` event to the endpoint, to check the address and the signature
/// check; the delivery appears in the log like any other.
#[utoipa::path(tag = "integrations", security(("bearer" = [])), params(("id" = Uuid, Path)), responses(
    (status = 202, body = WebhookDeliveryView),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
))]
#[post("/webhooks/{id}/ping")]
pub async fn ping_webhook_endpoint(
    state: web::Data<AppState>,
    who: Authenticated,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let e = load(&state, &who, *id).await?;
    let d = state
        .store
        .ping_webhook_endpoint(&e, state.clock.now())
        .await?;
    Ok(HttpResponse::Accepted().json(delivery_view(d, EventType::Ping)))
}

/// An endpoint's delivery log, newest first.
#[utoipa::path(tag = "integrations", security(("bearer" = [])), params(("id" = Uuid, Path), WebhookDeliveryQuery), responses(
    (status = 200, body = WebhookDeliveryPage),
    (status = 400, body = Problem, content_type = "application/problem+json"),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json", description = "invalid_status, invalid_cursor"),
))]
#[get("/webhooks/{id}/deliveries")]
pub async fn list_webhook_deliveries(
    state: web::Data<AppState>,
    who: Authenticated,
    id: web::Path<Uuid>,
    q: web::Query<WebhookDeliveryQuery>,
) -> Result<HttpResponse, ApiError> {
    let e = load(&state, &who, *id).await?;
    let mut p = Problems::validate(&*q);
    let before = uuid_cursor(&mut p, &q.cursor);
    let status: Option<DeliveryStatus> =
        p.closed_opt("status", ProblemCode::InvalidStatus, q.status.as_deref());
    p.finish()?;
    let limit = q.limit.unwrap_or(20);
    let rows = state
        .store
        .list_webhook_deliveries(e.id, status, before, limit)
        .await?;
    let items: Vec<WebhookDeliveryView> =
        rows.into_iter().map(|(d, t)| delivery_view(d, t)).collect();
    let next_cursor = next_cursor(&items, limit, |d| d.id.to_string());
    Ok(HttpResponse::Ok().json(WebhookDeliveryPage { items, next_cursor }))
}

/// A delivery of an endpoint the caller manages (404 otherwise).
async fn load_delivery(
    state: &AppState,
    who: &Authenticated,
    id: Uuid,
) -> Result<DeliveryRows, ApiError> {
    let rows = state
        .store
        .get_webhook_delivery(id)
        .await?
        .ok_or(ApiError::NotFound(ProblemCode::DeliveryNotFound))?;
    load(state, who, rows.0.endpoint_id)
        .await
        .map_err(|e| match e {
            ApiError::NotFound(_) => ApiError::NotFound(ProblemCode::DeliveryNotFound),
            other => other,
        })?;
    Ok(rows)
}

/// A delivery with the event it carries and every attempt (status, error, time taken, the
/// start of the receiver's answer).
#[utoipa::path(tag = "integrations", security(("bearer" = [])), params(("id" = Uuid, Path)), responses(
    (status = 200, body = WebhookDeliveryDetail),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
))]
#[get("/webhook-deliveries/{id}")]
pub async fn get_webhook_delivery(
    state: web::Data<AppState>,
    who: Authenticated,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(delivery_detail(load_delivery(&state, &who, *id).await?)))
}

/// Sends a delivered or failed delivery's event again, as a new delivery with the same
/// event id.
#[utoipa::path(tag = "integrations", security(("bearer" = [])), params(("id" = Uuid, Path)), responses(
    (status = 202, body = WebhookDeliveryView),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 409, body = Problem, content_type = "application/problem+json", description = "delivery_pending"),
))]
#[post("/webhook-deliveries/{id}/replay")]
pub async fn replay_webhook_delivery(
    state: web::Data<AppState>,
    who: Authenticated,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let (d, event, _) = load_delivery(&state, &who, *id).await?;
    let replay = state
        .store
        .replay_webhook_delivery(&d, state.clock.now())
        .await?;
    Ok(HttpResponse::Accepted().json(delivery_view(replay, *event.event_type)))
}
