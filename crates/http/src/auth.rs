//! Authentication: password hashing, access tokens (JWT), refresh tokens, and the
//! extractor that turns a bearer token into the caller's identity and roles.

use std::future::Future;
use std::pin::Pin;
use zhihui_domain::ProblemCode;

use actix_web::{web, FromRequest, HttpRequest};
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{DateTime, Utc};
use jsonwebtoken::{decode, encode, DecodingKey, EncodingKey, Header, Validation};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::error::ApiError;
use crate::state::{ApiSettings, AppState};

fn argon2(settings: &ApiSettings) -> Result<Argon2<'static>, ApiError> {
    let params = Params::new(
        settings.argon2_memory_kib,
        settings.argon2_iterations,
        settings.argon2_parallelism,
        None,
    )
    .map_err(|e| ApiError::Internal(format!("argon2 parameters: {e}")))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

pub fn hash_password_sync(settings: &ApiSettings, password: &str) -> Result<String, ApiError> {
    let salt = SaltString::generate(&mut OsRng);
    argon2(settings)?
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| ApiError::Internal(format!("argon2: {e}")))
}

/// Waits for one of the per-core turns at password hashing (see `AppState::password_work`).
async fn password_turn(state: &AppState) -> Result<tokio::sync::SemaphorePermit<'_>, ApiError> {
    state
        .password_work
        .acquire()
        .await
        .map_err(|e| ApiError::Internal(format!("password work: {e}")))
}

/// Hashes off the async threads, one per core at a time.
pub async fn hash_password(state: &AppState, password: String) -> Result<String, ApiError> {
    let settings = state.settings.clone();
    let _turn = password_turn(state).await?;
    web::block(move || hash_password_sync(&settings, &password))
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?
}

/// Verifies off the async threads, one per core at a time.
pub async fn verify_password(
    state: &AppState,
    password: String,
    hash: String,
) -> Result<bool, ApiError> {
    let settings = state.settings.clone();
    let _turn = password_turn(state).await?;
    web::block(move || {
        let parsed = PasswordHash::new(&hash)
            .map_err(|e| ApiError::Internal(format!("stored hash: {e}")))?;
        Ok(argon2(&settings)?
            .verify_password(password.as_bytes(), &parsed)
            .is_ok())
    })
    .await
    .map_err(|e| ApiError::Internal(e.to_string()))?
}

#[derive(Debug, Serialize, Deserialize)]
struct Claims {
    sub: Uuid,
    iat: i64,
    exp: i64,
    jti: Uuid,
    /// The session (refresh-token family): once it is closed (logout, a used refresh token
    /// presented again), its access tokens are refused too.
    sid: Uuid,
}

pub fn issue_access_token(
    settings: &ApiSettings,
    account_id: Uuid,
    session: Uuid,
    now: DateTime<Utc>,
) -> Result<String, ApiError> {
    let claims = Claims {
        sub: account_id,
        iat: now.timestamp(),
        exp: now.timestamp() + settings.access_token_ttl_secs,
        jti: Uuid::new_v4(),
        sid: session,
    };
    encode(
        &Header::default(),
        &claims,
        &EncodingKey::from_secret(settings.jwt_secret.as_bytes()),
    )
    .map_err(|e| ApiError::Internal(format!("jwt: {e}")))
}

/// The account a genuine, unexpired access token names (its session is not checked: see
/// `authenticate`).
pub(crate) fn read_access_token(
    settings: &ApiSettings,
    token: &str,
    now: DateTime<Utc>,
) -> Result<Uuid, ApiError> {
    read_access_claims(settings, token, now).map(|(account, _)| account)
}

/// The account and session of a genuine, unexpired access token.
fn read_access_claims(
    settings: &ApiSettings,
    token: &str,
    now: DateTime<Utc>,
) -> Result<(Uuid, Uuid), ApiError> {
    let mut v = Validation::default();
    // Expiry is checked against the injected clock below.
    v.validate_exp = false;
    v.required_spec_claims.clear();
    let data = decode::<Claims>(
        token,
        &DecodingKey::from_secret(settings.jwt_secret.as_bytes()),
        &v,
    )
    .map_err(|_| invalid_token("the access token is not valid"))?;
    if data.claims.exp <= now.timestamp() {
        return Err(invalid_token("the access token has expired; refresh it"));
    }
    Ok((data.claims.sub, data.claims.sid))
}

fn invalid_token(detail: &str) -> ApiError {
    ApiError::Unauthenticated {
        code: ProblemCode::InvalidToken,
        detail: detail.into(),
    }
}

/// A fresh random refresh token and its stored hash.
pub fn new_refresh_token() -> (String, String) {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let token = URL_SAFE_NO_PAD.encode(bytes);
    let hash = sha256_hex(&token);
    (token, hash)
}

pub fn sha256_hex(s: &str) -> String {
    hex::encode(Sha256::digest(s.as_bytes()))
}

/// The authenticated caller with the roles that permissions look at.
#[derive(Debug, Clone)]
pub struct Authenticated {
    pub account_id: Uuid,
    pub is_platform_admin: bool,
    /// Organisations the caller administers.
    pub admin_of: Vec<Uuid>,
    /// The API client acting, when the credential is an API key (its organisation's
    /// subtree is `admin_of`, its account the admin who created it).
    pub client: Option<Uuid>,
}

impl Authenticated {
    pub fn administers(&self, org_id: Uuid) -> bool {
        self.admin_of.contains(&org_id)
    }

    pub fn viewer(&self) -> zhihui_persistence::Viewer {
        zhihui_persistence::Viewer {
            platform_admin: self.is_platform_admin,
            admin_of: self.admin_of.clone(),
        }
    }
}

/// The caller, signed in or not.
#[derive(Debug, Clone)]
pub struct Caller(pub Option<Authenticated>);

impl Caller {
    pub fn viewer(&self) -> zhihui_persistence::Viewer {
        self.0
            .as_ref()
            .map(Authenticated::viewer)
            .unwrap_or_default()
    }
}

async fn authenticate(req: HttpRequest) -> Result<Option<Authenticated>, ApiError> {
    let Some(value) = req.headers().get(actix_web::http::header::AUTHORIZATION) else {
        return Ok(None);
    };
    let state = req
        .app_data::<web::Data<AppState>>()
        .ok_or_else(|| ApiError::Internal("state missing".into()))?
        .clone();
    let value = value
        .to_str()
        .map_err(|_| invalid_token("malformed Authorization header"))?;
    let token = value
        .strip_prefix("Bearer ")
        .or_else(|| value.strip_prefix("bearer "))
        .ok_or_else(|| invalid_token("use Authorization: Bearer <access token>"))?;
    if let Some(key) = token.trim().strip_prefix(API_KEY_PREFIX) {
        return authenticate_client(&req, &state, key).await.map(Some);
    }
    let now = state.clock.now();
    let (account_id, session) = read_access_claims(&state.settings, token.trim(), now)?;
    // The rights, and whether the session is still open, are kept for a few seconds
    // (`crate::cache`): a person's app sends several requests at once, and each would read
    // the same rows. A logout or a revoked session in this process drops them at once (it
    // advances the access generation); another replica sees it within the keeping period.
    let generation = state.store.access_generation();
    let key = format!("{account_id}:{session}");
    let store = state.store.clone();
    let rights = state
        .rights
        .get_or_compute(&key, generation, now, move || async move {
            let (account, admin_of) = store
                .account_with_admin_of(account_id)
                .await?
                .ok_or_else(|| invalid_token("the account no longer exists"))?;
            if !store.session_open(session).await? {
                return Err(invalid_token("the session has ended; sign in again"));
            }
            Ok::<_, ApiError>(crate::state::Rights {
                is_platform_admin: account.is_platform_admin,
                admin_of,
            })
        })
        .await?;
    Ok(Some(Authenticated {
        account_id,
        is_platform_admin: rights.is_platform_admin,
        admin_of: rights.admin_of.clone(),
        client: None,
    }))
}

/// API keys read `zhc_<prefix>_<secret>`.
pub const API_KEY_PREFIX: &str = "zhc_";

/// A new API key: (prefix, secret, SHA-256 of the secret).
pub fn new_api_key() -> (String, String, String) {
    let mut p = [0u8; 6];
    rand::rngs::OsRng.fill_bytes(&mut p);
    let mut s = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut s);
    let secret = URL_SAFE_NO_PAD.encode(s);
    let hash = sha256_hex(&secret);
    (hex::encode(p), secret, hash)
}

/// The API client behind a key, if the key is genuine and not revoked.
pub(crate) async fn verified_client(
    state: &AppState,
    key: &str,
) -> Result<zhihui_persistence::entities::api_client::Model, ApiError> {
    let bad = || invalid_token("the API key is not valid");
    let (prefix, secret) = key.split_once('_').ok_or_else(bad)?;
    let client = state
        .store
        .api_client_by_prefix(prefix)
        .await?
        .ok_or_else(bad)?;
    let given = sha256_hex(secret);
    let same = given.len() == client.secret_hash.len()
        && given
            .bytes()
            .zip(client.secret_hash.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0;
    if !same {
        return Err(bad());
    }
    if client.revoked_at.is_some() {
        return Err(invalid_token("the API key was revoked"));
    }
    Ok(client)
}

/// Which family of resources a path belongs to, for API clients' scopes.
pub(crate) fn scope_family(path: &str) -> Option<zhihui_domain::integration::ScopeFamily> {
    use zhihui_domain::integration::ScopeFamily as F;
    let rest = path.strip_prefix("/api/v1/")?;
    let segs: Vec<&str> = rest.split('/').collect();
    Some(match segs.as_slice() {
        ["organizations", _, "members" | "memberships" | "volunteer-imports" | "leave", ..] => {
            F::Volunteers
        }
        ["organizations", _, "monthly-reports" | "annual-summary", ..] => F::Reports,
        ["organizations", _, "recognition", ..] => F::Records,
        ["organizations", _, "api-clients", ..] | ["api-clients", ..] => return None,
        ["organizations", ..] => F::Organizations,
        ["volunteers", _, "summary"] => F::Records,
        ["volunteers", ..] | ["volunteer-imports", ..] => F::Volunteers,
        ["activities", ..] => F::Activities,
        ["service-records", ..] | ["certificates", ..] => F::Records,
        ["pairing-letters", ..] | ["pairings", ..] => F::Letters,
        ["calls", ..] | ["applications", ..] => F::Applications,
        ["monthly-reports", ..] | ["report-rollup", ..] => F::Reports,
        ["needs", ..] | ["need-rollup", ..] => F::Needs,
        ["service-points", ..]
        | ["exhibitions", ..]
        | ["exhibition-stays", ..]
        | ["exhibition-rotation-plans", ..] => F::Hub,
        ["campaigns", ..] | ["campaign-entries", ..] => F::Campaigns,
        _ => return None,
    })
}

async fn authenticate_client(
    req: &HttpRequest,
    state: &AppState,
    key: &str,
) -> Result<Authenticated, ApiError> {
    let client = verified_client(state, key).await?;
    let granted: Vec<zhihui_domain::integration::Scope> =
        serde_json::from_str::<Vec<String>>(&client.scopes)
            .unwrap_or_default()
            .iter()
            .filter_map(|s| zhihui_domain::integration::Scope::parse(s))
            .collect();
    let write = req.method() != actix_web::http::Method::GET;
    let Some(family) = scope_family(req.path()) else {
        return Err(ApiError::Denied {
            code: ProblemCode::NotForApiClients,
            detail: "this operation is for people signed in, not for API clients".into(),
        });
    };
    if !zhihui_domain::integration::allows(&granted, family, write) {
        return Err(ApiError::Denied {
            code: ProblemCode::ScopeMissing,
            detail: format!(
                "the API client needs the scope {}:{}",
                family.as_str(),
                if write { "write" } else { "read" }
            ),
        });
    }
    let from = crate::client_address::of_request(req, &state.settings.trusted_proxies);
    state
        .store
        .touch_api_client(&client, &from, state.clock.now())
        .await?;
    let admin_of = state.store.subtree_ids(&[client.organization_id]).await?;
    Ok(Authenticated {
        account_id: client.created_by,
        is_platform_admin: false,
        admin_of,
        client: Some(client.id),
    })
}

impl FromRequest for Caller {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move { authenticate(req).await.map(Caller) })
    }
}

impl FromRequest for Authenticated {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            authenticate(req).await?.ok_or(ApiError::Unauthenticated {
                code: ProblemCode::AuthenticationRequired,
                detail: "sign in and send Authorization: Bearer <access token>".into(),
            })
        })
    }
}

/// Creates a platform admin, or promotes an existing account (the `zhihui admin create` command).
pub async fn create_platform_admin(
    store: &zhihui_persistence::Store,
    settings: &ApiSettings,
    login: &str,
    display_name: &str,
    password: &str,
) -> Result<Uuid, ApiError> {
    let login = zhihui_domain::LoginName::parse(login)
        .map_err(|e| ApiError::field("login", e.code, e.message))?;
    if let Some(a) = store.find_account_by_login(login.as_str()).await? {
        store.set_platform_admin(a.id, true).await?;
        return Ok(a.id);
    }
    let password = zhihui_domain::Password::parse(password)
        .map_err(|e| ApiError::field("password", e.code, e.message))?;
    let hash = hash_password_sync(settings, password.expose())?;
    Ok(store
        .create_account(login.as_str(), display_name, &hash, true, Utc::now())
        .await?
        .id)
}
