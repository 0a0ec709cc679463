//! `Idempotency-Key` on state-changing requests: a client that retries a POST with the same
//! key and the same body gets the first answer again (with `Idempotent-Replayed: true`)
//! instead of acting twice; the same key with another body is a 422 problem; while the first
//! request is still being answered, a retry gets 409. Keys are remembered for 24 hours per
//! signed-in account. Server errors (5xx) are not remembered, so a retry may act.

use actix_web::body::{to_bytes, BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::{web, HttpResponse};
use sha2::{Digest, Sha256};
use zhihui_domain::ProblemCode;
use zhihui_persistence::KeyState;

use crate::error::ApiError;
use crate::state::AppState;

pub const HEADER: &str = "idempotency-key";
const REPLAYED: &str = "idempotent-replayed";
/// Answer headers worth replaying.
const KEPT: [&str; 4] = ["content-type", "etag", "location", "content-disposition"];

/// The signed-in account (or verified API client) a request acts for; keys are kept per
/// caller. Requests without a
/// valid token are passed on untouched: the handler answers 401 where sign-in is needed, and
/// the anonymous writes (registration, sign-in) are guarded by their own uniqueness rules.
async fn scope_of(req: &ServiceRequest, state: &AppState) -> Option<String> {
    let token = req
        .headers()
        .get(actix_web::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })?
        .trim();
    if let Some(key) = token.strip_prefix(crate::auth::API_KEY_PREFIX) {
        return crate::auth::verified_client(state, key)
            .await
            .ok()
            .map(|c| format!("client:{}", c.id));
    }
    crate::auth::read_access_token(&state.settings, token, state.clock.now())
        .ok()
        .map(|id| format!("account:{id}"))
}

fn valid_key(k: &str) -> bool {
    (1..=255).contains(&k.len()) && k.bytes().all(|b| (0x21..=0x7e).contains(&b))
}

pub async fn idempotency(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let key = req
        .headers()
        .get(HEADER)
        .map(|v| v.to_str().unwrap_or("\u{0}").to_string());
    let (Some(key), true) = (
        key,
        req.method() == Method::POST && req.path().starts_with("/api/v1/"),
    ) else {
        return next
            .call(req)
            .await
            .map(ServiceResponse::map_into_boxed_body);
    };
    let Some(state) = req.app_data::<web::Data<AppState>>().cloned() else {
        return next
            .call(req)
            .await
            .map(ServiceResponse::map_into_boxed_body);
    };
    let Some(scope) = scope_of(&req, &state).await else {
        return next
            .call(req)
            .await
            .map(ServiceResponse::map_into_boxed_body);
    };
    if !valid_key(&key) {
        let e = ApiError::BadRequest {
            code: ProblemCode::InvalidIdempotencyKey,
            detail: "Idempotency-Key is 1 to 255 visible ASCII characters, e.g. a UUID".into(),
        };
        return Ok(req.error_response(e));
    }
    // Read the body once, fingerprint it, and hand it on unchanged.
    let limit = state.settings.max_upload_bytes + 64 * 1024;
    let body = match crate::middleware::buffer_body(&mut req, limit).await? {
        Ok(b) => b,
        Err(e) => return Ok(req.error_response(e)),
    };
    let mut h = Sha256::new();
    h.update(req.method().as_str());
    h.update(b"\n");
    h.update(req.path());
    h.update(b"?");
    h.update(req.query_string());
    h.update(b"\n");
    if let Some(ct) = req.headers().get(actix_web::http::header::CONTENT_TYPE) {
        // A multipart boundary changes on every send; the body still tells files apart.
        let ct = ct.to_str().unwrap_or("");
        h.update(ct.split(';').next().unwrap_or(""));
    }
    h.update(b"\n");
    h.update(&body);
    let fingerprint = hex::encode(h.finalize());
    let now = state.clock.now();
    let claimed = match state
        .store
        .claim_idempotency_key(&scope, &key, &fingerprint, now)
        .await
    {
        Ok(c) => c,
        Err(e) => return Ok(req.error_response(ApiError::from(e))),
    };
    match claimed {
        KeyState::Replay {
            status,
            headers,
            body,
        } => {
            let mut res =
                HttpResponse::build(StatusCode::from_u16(status).unwrap_or(StatusCode::OK));
            for (n, v) in headers {
                if let (Ok(n), Ok(v)) = (
                    HeaderName::from_bytes(n.as_bytes()),
                    HeaderValue::from_str(&v),
                ) {
                    res.insert_header((n, v));
                }
            }
            res.insert_header((REPLAYED, "true"));
            Ok(req.into_response(res.body(body)))
        }
        KeyState::Mismatch => Ok(req.error_response(ApiError::field(
            "Idempotency-Key",
            ProblemCode::IdempotencyKeyReused,
            "this key was used for a different request; use a new key for a new request",
        ))),
        KeyState::InProgress => Ok(req.error_response(ApiError::Conflict {
            code: ProblemCode::IdempotencyKeyInUse,
            message: "the first request with this key is still being answered; retry shortly"
                .into(),
        })),
        KeyState::Fresh => {
            let res = match next.call(req).await {
                Ok(r) => r,
                Err(e) => {
                    let _ = state.store.forget_idempotency_key(&scope, &key).await;
                    return Err(e);
                }
            };
            let (req, res) = res.into_parts();
            let status = res.status();
            let headers: Vec<(String, String)> = res
                .headers()
                .iter()
                .filter(|(n, _)| KEPT.contains(&n.as_str()))
                .filter_map(|(n, v)| Some((n.as_str().to_string(), v.to_str().ok()?.to_string())))
                .collect();
            let mut rebuilt = HttpResponse::build(status);
            for (n, v) in res.headers() {
                rebuilt.append_header((n.clone(), v.clone()));
            }
            let bytes = to_bytes(res.into_body())
                .await
                .map_err(|_| actix_web::error::ErrorInternalServerError("answer body"))?;
            if status.is_server_error() {
                let _ = state.store.forget_idempotency_key(&scope, &key).await;
            } else if let Err(e) = state
                .store
                .finish_idempotency_key(
                    &scope,
                    &key,
                    status.as_u16(),
                    &headers,
                    bytes.to_vec(),
                    now,
                )
                .await
            {
                tracing::warn!(error = %e, "an idempotent answer could not be kept");
            }
            Ok(ServiceResponse::new(req, rebuilt.body(bytes)))
        }
    }
}
