//! Request rate limits: per account for signed-in callers, per API client, per address for
//! anonymous ones,
//! a stricter per-address limit on registrations and failed sign-ins, and a bucket of its
//! own per address for token refreshes. A caller
//! over the limit gets a 429 problem with `Retry-After`. Windows are fixed minutes on the
//! injected clock; the counters live in the process (each replica counts its own share).

use std::collections::HashMap;
use std::sync::Mutex;
use zhihui_domain::ProblemCode;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::middleware::Next;
use actix_web::web;
use chrono::{DateTime, Utc};

use crate::error::ApiError;
use crate::state::AppState;

/// Counters of the current minute per key.
#[derive(Default)]
pub struct RateLimiter {
    windows: Mutex<HashMap<String, (i64, u32)>>,
}

impl RateLimiter {
    /// Counts a request; `Err(seconds)` when the key is over `limit` this minute.
    pub fn hit(&self, key: &str, limit: u32, now: DateTime<Utc>) -> Result<(), i64> {
        self.count(key, limit, now, 1)
    }

    /// `Err(seconds)` when the key has used up `limit` this minute; counts nothing.
    pub fn spent(&self, key: &str, limit: u32, now: DateTime<Utc>) -> Result<(), i64> {
        self.count(key, limit, now, 0)
    }

    fn count(&self, key: &str, limit: u32, now: DateTime<Utc>, add: u32) -> Result<(), i64> {
        let minute = now.timestamp().div_euclid(60);
        let Ok(mut w) = self.windows.lock() else {
            return Ok(());
        };
        if w.len() > 100_000 {
            w.retain(|_, (m, _)| *m == minute);
        }
        let e = w.entry(key.to_string()).or_insert((minute, 0));
        if e.0 != minute {
            *e = (minute, 0);
        }
        if e.1 >= limit {
            return Err(60 - now.timestamp().rem_euclid(60));
        }
        e.1 += add;
        Ok(())
    }
}

/// Registration: accounts are created by scripts too, so they are limited per address,
/// strictly.
fn is_registration(req: &ServiceRequest) -> bool {
    req.method() == Method::POST && req.path() == "/api/v1/accounts"
}

/// Sign-in: passwords are guessed at by scripts, and every guess but the right one fails.
/// So a failed sign-in counts against the strict per-address limit and a successful one
/// does not: fifty volunteers signing in on one venue's Wi-Fi, each with their own
/// password, are never slowed; the thirty-first wrong password from one address in a
/// minute is. (Each account also locks after a few failures, in the handler.)
fn is_sign_in(req: &ServiceRequest) -> bool {
    req.method() == Method::POST && req.path() == "/api/v1/auth/login"
}

/// A token refresh presents a single-use 256-bit secret, which no script guesses: it does
/// not count against the sign-in limit (thirty volunteers on one venue's Wi-Fi or behind a
/// carrier's shared address each refresh as their pages load). It counts per address in a
/// bucket of its own at the general rate, which still bounds the load.
fn is_refresh(req: &ServiceRequest) -> bool {
    req.method() == Method::POST && req.path() == "/api/v1/auth/refresh"
}

pub async fn rate_limit(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let Some(state) = req.app_data::<web::Data<AppState>>().cloned() else {
        return next
            .call(req)
            .await
            .map(ServiceResponse::map_into_boxed_body);
    };
    if !req.path().starts_with("/api/v1/") {
        return next
            .call(req)
            .await
            .map(ServiceResponse::map_into_boxed_body);
    }
    let now = state.clock.now();
    let address = crate::client_address::of_request(req.request(), &state.settings.trusted_proxies);
    let s = &state.settings;
    // Registrations and failed sign-ins share one key per address; built only for them.
    let auth_key = || format!("auth:{address}");
    if is_sign_in(&req) {
        if let Err(retry_after_secs) =
            state
                .limiter
                .spent(&auth_key(), s.auth_rate_limit_per_minute, now)
        {
            return Ok(req.error_response(ApiError::TooManyRequests {
                code: ProblemCode::RateLimited,
                detail: "too many failed sign-ins from this address; wait before trying again"
                    .into(),
                retry_after_secs,
            }));
        }
        let res = next.call(req).await?;
        if !res.status().is_success() {
            let _ = state
                .limiter
                .hit(&auth_key(), s.auth_rate_limit_per_minute, now);
        }
        return Ok(res.map_into_boxed_body());
    }
    let verdict = if is_registration(&req) {
        state
            .limiter
            .hit(&auth_key(), s.auth_rate_limit_per_minute, now)
    } else if is_refresh(&req) {
        state
            .limiter
            .hit(&format!("refresh:{address}"), s.rate_limit_per_minute, now)
    } else {
        let token = req
            .headers()
            .get(actix_web::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| {
                v.strip_prefix("Bearer ")
                    .or_else(|| v.strip_prefix("bearer "))
            })
            .map(str::trim);
        // API clients count per key prefix; people per account; the rest per address.
        let client = token
            .and_then(|t| t.strip_prefix(crate::auth::API_KEY_PREFIX))
            .and_then(|k| k.split_once('_'))
            .map(|(prefix, _)| format!("client:{prefix}"));
        let account = token
            .and_then(|t| crate::auth::read_access_token(s, t, now).ok())
            .map(|id| format!("account:{id}"));
        let key = client
            .or(account)
            .unwrap_or_else(|| format!("address:{address}"));
        state.limiter.hit(&key, s.rate_limit_per_minute, now)
    };
    match verdict {
        Ok(()) => next
            .call(req)
            .await
            .map(ServiceResponse::map_into_boxed_body),
        Err(retry_after_secs) => Ok(req.error_response(ApiError::TooManyRequests {
            code: ProblemCode::RateLimited,
            detail: "too many requests; wait before trying again".into(),
            retry_after_secs,
        })),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn a_minute_window_counts_and_resets() {
        let l = RateLimiter::default();
        let t = Utc
            .with_ymd_and_hms(2026, 6, 1, 0, 0, 50)
            .single()
            .unwrap_or_default();
        assert!(l.hit("a", 2, t).is_ok());
        assert!(l.hit("a", 2, t).is_ok());
        assert_eq!(l.hit("a", 2, t), Err(10));
        assert!(l.hit("b", 2, t).is_ok(), "keys count apart");
        assert!(l.hit("a", 2, t + chrono::Duration::seconds(10)).is_ok());
        assert!(l.hit("d", 1, t).is_ok());
        assert_eq!(l.spent("d", 1, t), Err(10), "a spent key waits");
        assert!(l.spent("c", 1, t).is_ok());
        assert!(l.spent("c", 1, t).is_ok(), "looking counts nothing");
    }
}
