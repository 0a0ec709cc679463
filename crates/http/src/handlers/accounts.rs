//! Accounts and sessions.

use std::time::Duration as StdDuration;
use zhihui_domain::ProblemCode;

use actix_web::{get, post, web, HttpResponse};
use chrono::Duration;
use uuid::Uuid;
use zhihui_contract::accounts::{
    AccountPage, AccountQuery, AccountRegistration, AccountSummary, AccountView, LoginRequest,
    MeView, OrganizationRef, RefreshTokenRequest, RegisterAccountRequest, TokenResponse,
};
use zhihui_contract::Problem;
use zhihui_domain::LoginName;
use zhihui_persistence::{RefreshOutcome, ThrottleState};

use crate::auth::{self, Authenticated};
use crate::error::ApiError;
use crate::state::AppState;
use crate::validation::Problems;
use crate::views;

/// Creates a login (e-mail or mobile number) with a password.
#[utoipa::path(tag = "accounts", request_body = RegisterAccountRequest, responses(
    (status = 201, body = AccountView),
    (status = 400, body = Problem, content_type = "application/problem+json"),
    (status = 409, body = Problem, content_type = "application/problem+json", description = "login_taken"),
    (status = 422, body = Problem, content_type = "application/problem+json"),
    (status = 429, body = Problem, content_type = "application/problem+json", description = "too_many_conflicts: too many refused registrations from this address"),
))]
#[post("/accounts")]
pub async fn register_account(
    state: web::Data<AppState>,
    req: actix_web::HttpRequest,
    body: web::Json<RegisterAccountRequest>,
) -> Result<HttpResponse, ApiError> {
    let address = crate::client_address::of_request(&req, &state.settings.trusted_proxies);
    crate::oracles::check(&state, &crate::oracles::LOGIN_CONFLICTS, &address).await?;
    let AccountRegistration {
        login: login_name,
        password,
        display_name,
    } = AccountRegistration::try_from(&*body)?;
    let hash = auth::hash_password(&state, password.expose().to_string()).await?;
    let account = state
        .store
        .create_account(
            login_name.as_str(),
            &display_name,
            &hash,
            false,
            state.clock.now(),
        )
        .await;
    let account = match account {
        Err(zhihui_persistence::StoreError::Conflict {
            code: ProblemCode::LoginTaken,
            ..
        }) => {
            return Err(crate::oracles::refused(
                &state,
                &crate::oracles::LOGIN_CONFLICTS,
                &address,
                None,
                ProblemCode::LoginTaken,
                "this login cannot be registered; sign in, or choose another",
            )
            .await);
        }
        other => other?,
    };
    Ok(super::created("/me").json(views::account(&account)))
}

async fn issue_tokens(
    state: &AppState,
    account_id: Uuid,
    family: Option<(String, Uuid)>,
) -> Result<TokenResponse, ApiError> {
    let now = state.clock.now();
    let s = &state.settings;
    let refresh_ttl = Duration::days(s.refresh_token_ttl_days);
    let (refresh, session) = match family {
        Some((token, family_id)) => (token, family_id),
        None => {
            let (token, hash) = auth::new_refresh_token();
            let family_id = Uuid::new_v4();
            state
                .store
                .insert_refresh_token(account_id, &hash, family_id, now, refresh_ttl)
                .await?;
            (token, family_id)
        }
    };
    let access_token = auth::issue_access_token(s, account_id, session, now)?;
    Ok(TokenResponse {
        access_token,
        token_type: "Bearer".into(),
        expires_in: s.access_token_ttl_secs,
        refresh_token: refresh,
        refresh_expires_in: refresh_ttl.num_seconds(),
    })
}

fn invalid_credentials() -> ApiError {
    ApiError::Unauthenticated {
        code: ProblemCode::InvalidCredentials,
        detail: "the login or the password is wrong".into(),
    }
}

/// Signs in. Unknown logins and wrong passwords get the same answer after the same work;
/// repeated failures slow down and then lock the login for a while (429 with Retry-After).
#[utoipa::path(tag = "accounts", request_body = LoginRequest, responses(
    (status = 200, body = TokenResponse),
    (status = 401, body = Problem, content_type = "application/problem+json", description = "invalid_credentials"),
    (status = 422, body = Problem, content_type = "application/problem+json"),
    (status = 429, body = Problem, content_type = "application/problem+json", description = "login_locked"),
))]
#[post("/auth/login")]
pub async fn login(
    state: web::Data<AppState>,
    body: web::Json<LoginRequest>,
) -> Result<HttpResponse, ApiError> {
    Problems::validate(&*body).finish()?;
    let s = state.settings.clone();
    let normalised = LoginName::parse(&body.login)
        .map(|l| l.as_str().to_string())
        .unwrap_or_else(|_| body.login.trim().to_lowercase());
    let key = auth::sha256_hex(&normalised);
    let now = state.clock.now();
    let window = Duration::seconds(s.login_window_secs);
    let failures = match state.store.throttle_state(&key, now, window).await? {
        ThrottleState::Locked { until } => {
            return Err(ApiError::TooManyRequests {
                code: ProblemCode::LoginLocked,
                detail: "too many failed sign-ins; try again later".into(),
                retry_after_secs: (until - now).num_seconds(),
            })
        }
        ThrottleState::Open { recent_failures } => recent_failures,
    };
    let account = state.store.find_account_by_login(&normalised).await?;
    let hash = account
        .as_ref()
        .map(|a| a.password_hash.clone())
        .unwrap_or_else(|| state.dummy_hash.to_string());
    let ok = auth::verify_password(&state, body.password.clone(), hash).await?;
    match account {
        Some(a) if ok => {
            state.store.clear_login_failures(&key).await?;
            Ok(HttpResponse::Ok().json(issue_tokens(&state, a.id, None).await?))
        }
        _ => {
            state
                .store
                .record_login_failure(
                    &key,
                    now,
                    window,
                    s.login_lock_after,
                    Duration::seconds(s.login_lock_secs),
                )
                .await?;
            let delay = (s.login_slowdown_ms * failures.max(0) as u64).min(2000);
            if delay > 0 {
                tokio::time::sleep(StdDuration::from_millis(delay)).await;
            }
            Err(invalid_credentials())
        }
    }
}

/// Exchanges a refresh token for a new access token and a new refresh token. Each refresh
/// token works once; presenting a used one revokes the whole session.
#[utoipa::path(tag = "accounts", request_body = RefreshTokenRequest, responses(
    (status = 200, body = TokenResponse),
    (status = 401, body = Problem, content_type = "application/problem+json", description = "invalid_refresh_token"),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
#[post("/auth/refresh")]
pub async fn refresh_token(
    state: web::Data<AppState>,
    body: web::Json<RefreshTokenRequest>,
) -> Result<HttpResponse, ApiError> {
    Problems::validate(&*body).finish()?;
    let (new_token, new_hash) = auth::new_refresh_token();
    let outcome = state
        .store
        .rotate_refresh_token(
            &auth::sha256_hex(&body.refresh_token),
            &new_hash,
            state.clock.now(),
            Duration::days(state.settings.refresh_token_ttl_days),
        )
        .await?;
    match outcome {
        RefreshOutcome::Rotated {
            account_id,
            family_id,
        } => Ok(HttpResponse::Ok()
            .json(issue_tokens(&state, account_id, Some((new_token, family_id))).await?)),
        RefreshOutcome::Refused => Err(ApiError::Unauthenticated {
            code: ProblemCode::InvalidRefreshToken,
            detail: "the refresh token is unknown, expired or already used; sign in again".into(),
        }),
    }
}

/// Ends the session the refresh token belongs to.
#[utoipa::path(tag = "accounts", request_body = RefreshTokenRequest, responses(
    (status = 204, description = "Signed out (also for an unknown token)"),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
#[post("/auth/logout")]
pub async fn logout(
    state: web::Data<AppState>,
    body: web::Json<RefreshTokenRequest>,
) -> Result<HttpResponse, ApiError> {
    Problems::validate(&*body).finish()?;
    state
        .store
        .revoke_refresh_family(&auth::sha256_hex(&body.refresh_token), state.clock.now())
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The directory of people (评审专家库), for the platform choosing an application's
/// reviewers: accounts whose display name or login holds `q`, in the order they were
/// created, with the login masked and each one's open reviews (assigned, not yet scored).
#[utoipa::path(tag = "accounts", security(("bearer" = [])), params(AccountQuery), responses(
    (status = 200, body = AccountPage),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
#[get("/accounts")]
pub async fn list_accounts(
    state: web::Data<AppState>,
    who: Authenticated,
    q: web::Query<AccountQuery>,
) -> Result<HttpResponse, ApiError> {
    if !who.is_platform_admin {
        return Err(ApiError::Forbidden(
            ProblemCode::PlatformAdminOnly,
            "the directory of people is the platform's, for choosing reviewers".into(),
        ));
    }
    let mut p = Problems::validate(&*q);
    let after = super::uuid_cursor(&mut p, &q.cursor);
    p.finish()?;
    let limit = q.limit.unwrap_or(zhihui_contract::DEFAULT_LIMIT);
    let rows = state
        .store
        .search_accounts(q.q.trim(), after, limit)
        .await?;
    let next_cursor = super::next_cursor(&rows, limit, |(a, _)| a.id.to_string());
    Ok(HttpResponse::Ok().json(AccountPage {
        items: rows
            .into_iter()
            .map(|(a, reviews_open)| AccountSummary {
                id: a.id,
                display_name: a.display_name,
                login_masked: zhihui_domain::account::mask_login(&a.login),
                reviews_open,
            })
            .collect(),
        next_cursor,
    }))
}

/// The signed-in account with its roles.
#[utoipa::path(tag = "accounts", security(("bearer" = [])), responses(
    (status = 200, body = MeView),
    (status = 401, body = Problem, content_type = "application/problem+json"),
))]
#[get("/me")]
pub async fn get_me(
    state: web::Data<AppState>,
    who: Authenticated,
) -> Result<HttpResponse, ApiError> {
    let a = state
        .store
        .get_account(who.account_id)
        .await?
        .ok_or(ApiError::NotFound(ProblemCode::AccountNotFound))?;
    let volunteer = state.store.volunteer_by_account(a.id).await?;
    let orgs = state.store.organizations_by_ids(&who.admin_of).await?;
    Ok(HttpResponse::Ok().json(MeView {
        id: a.id,
        login: a.login,
        display_name: a.display_name,
        is_platform_admin: a.is_platform_admin,
        volunteer_id: volunteer.map(|v| v.id),
        administered_organizations: orgs
            .into_iter()
            .map(|o| OrganizationRef {
                id: o.id,
                name: o.name,
                status: *o.status,
            })
            .collect(),
    }))
}
