//! API clients: credentials of third-party systems, scoped to an organisation's subtree and
//! to named resource families.

use actix_web::{get, post, web, HttpResponse};
use uuid::Uuid;
use zhihui_contract::integrations::{
    ApiClientKeyView, ApiClientPage, ApiClientQuery, ApiClientRegistration, ApiClientView,
    CreateApiClientRequest,
};
use zhihui_contract::Problem;
use zhihui_domain::OrganizationStatus;
use zhihui_domain::ProblemCode;
use zhihui_persistence::entities::api_client;
use zhihui_persistence::NewApiClient;

use crate::auth::{new_api_key, Authenticated, API_KEY_PREFIX};
use crate::error::ApiError;
use crate::state::AppState;
use crate::validation::Problems;
use crate::views::integrations::view;

/// People (not API clients) who administer the organisation, or platform admins.
fn manages(who: &Authenticated, org: Uuid) -> Result<(), ApiError> {
    if who.client.is_none() && (who.is_platform_admin || who.administers(org)) {
        Ok(())
    } else {
        Err(ApiError::Forbidden(
            ProblemCode::NotYourOrganization,
            "API clients are managed by the organisation's own admins".into(),
        ))
    }
}

/// Creates an API client for an organisation with named scopes. The key is in this answer
/// only; it is stored as a hash. The client acts within the organisation and everything below
/// it, and only within its scopes; elsewhere it gets 403 (`scope_missing`,
/// `not_for_api_clients`) or 404.
#[utoipa::path(tag = "integrations", security(("bearer" = [])), params(("id" = Uuid, Path, description = "organisation")), request_body = CreateApiClientRequest, responses(
    (status = 201, body = ApiClientKeyView),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 409, body = Problem, content_type = "application/problem+json", description = "organization_not_approved"),
    (status = 422, body = Problem, content_type = "application/problem+json", description = "unknown_scope"),
))]
#[post("/organizations/{id}/api-clients")]
pub async fn create_api_client(
    state: web::Data<AppState>,
    who: Authenticated,
    id: web::Path<Uuid>,
    body: web::Json<CreateApiClientRequest>,
) -> Result<HttpResponse, ApiError> {
    let org = state
        .store
        .get_organization(*id)
        .await?
        .ok_or(ApiError::NotFound(ProblemCode::OrganizationNotFound))?;
    manages(&who, org.id)?;
    if org.status != OrganizationStatus::Approved {
        return Err(ApiError::Conflict {
            code: ProblemCode::OrganizationNotApproved,
            message: "API clients are for approved organisations".into(),
        });
    }
    let ApiClientRegistration { name, scopes } = ApiClientRegistration::try_from(&*body)?;
    let (prefix, secret, hash) = new_api_key();
    let c = state
        .store
        .create_api_client(
            NewApiClient {
                organization_id: org.id,
                name,
                key_prefix: prefix.clone(),
                secret_hash: hash,
                scopes: serde_json::to_string(&scopes)
                    .map_err(|e| ApiError::Internal(e.to_string()))?,
                created_by: who.account_id,
            },
            state.clock.now(),
        )
        .await?;
    Ok(
        super::created(format!("/organizations/{}/api-clients", org.id)).json(ApiClientKeyView {
            client: view(c),
            api_key: format!("{API_KEY_PREFIX}{prefix}_{secret}"),
        }),
    )
}

/// An organisation's API clients with their last use (never their keys).
#[utoipa::path(tag = "integrations", security(("bearer" = [])), params(("id" = Uuid, Path, description = "organisation"), ApiClientQuery), responses(
    (status = 200, body = ApiClientPage),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json", description = "a malformed id"),
))]
#[get("/organizations/{id}/api-clients")]
pub async fn list_api_clients(
    state: web::Data<AppState>,
    who: Authenticated,
    id: web::Path<Uuid>,
    q: web::Query<ApiClientQuery>,
) -> Result<HttpResponse, ApiError> {
    manages(&who, *id)?;
    let mut p = Problems::validate(&*q);
    let before = super::uuid_cursor(&mut p, &q.cursor);
    p.finish()?;
    let limit = q.limit.unwrap_or(zhihui_contract::DEFAULT_LIMIT);
    let rows = state.store.api_clients_of(*id, before, limit).await?;
    let next_cursor = super::next_cursor(&rows, limit, |c| c.id.to_string());
    Ok(HttpResponse::Ok().json(ApiClientPage {
        items: rows.into_iter().map(view).collect(),
        next_cursor,
    }))
}

async fn load(
    state: &AppState,
    who: &Authenticated,
    id: Uuid,
) -> Result<api_client::Model, ApiError> {
    let c = state
        .store
        .get_api_client(id)
        .await?
        .ok_or(ApiError::NotFound(ProblemCode::ApiClientNotFound))?;
    manages(who, c.organization_id)?;
    Ok(c)
}

/// Replaces a client's key; the old key stops working at once. The new key is in this
/// answer only.
#[utoipa::path(tag = "integrations", security(("bearer" = [])), params(("id" = Uuid, Path)), responses(
    (status = 200, body = ApiClientKeyView),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 409, body = Problem, content_type = "application/problem+json", description = "api_client_revoked"),
))]
#[post("/api-clients/{id}/rotate")]
pub async fn rotate_api_client_secret(
    state: web::Data<AppState>,
    who: Authenticated,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let c = load(&state, &who, *id).await?;
    let (_, secret, hash) = new_api_key();
    let c = state
        .store
        .rotate_api_client(c.id, hash, state.clock.now())
        .await?;
    let key = format!("{API_KEY_PREFIX}{}_{secret}", c.key_prefix);
    Ok(HttpResponse::Ok().json(ApiClientKeyView {
        client: view(c),
        api_key: key,
    }))
}

/// Revokes a client; its key stops working at once.
#[utoipa::path(tag = "integrations", security(("bearer" = [])), params(("id" = Uuid, Path)), responses(
    (status = 200, body = ApiClientView),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 409, body = Problem, content_type = "application/problem+json", description = "api_client_revoked"),
))]
#[post("/api-clients/{id}/revoke")]
pub async fn revoke_api_client(
    state: web::Data<AppState>,
    who: Authenticated,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let c = load(&state, &who, *id).await?;
    let c = state
        .store
        .revoke_api_client(c.id, state.clock.now())
        .await?;
    Ok(HttpResponse::Ok().json(view(c)))
}
