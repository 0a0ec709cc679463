//! Request ids, structured request logs, Prometheus metrics, and problem documents for
//! errors produced outside the handlers.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::middleware::{ErrorHandlerResponse, Next};
use actix_web::{web, ResponseError};
use tracing::Instrument;

use crate::cache::{reach_of, Reach};
use crate::error::{ApiError, PROBLEM_JSON};
use crate::state::AppState;

pub const REQUEST_ID: &str = "x-request-id";

/// Reads a request's body once, up to `limit` bytes, for a middleware that must look at it
/// before the handler (the idempotency fingerprint, the control-character guard), and puts
/// it back unchanged. Over the limit: the 413 problem, and the body is not put back.
pub async fn buffer_body(
    req: &mut ServiceRequest,
    limit: usize,
) -> Result<Result<bytes::Bytes, ApiError>, actix_web::Error> {
    use actix_web::HttpMessage;
    use futures_util::StreamExt;
    let mut payload = req.take_payload();
    let mut body = bytes::BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk?;
        if body.len() + chunk.len() > limit {
            return Ok(Err(ApiError::Status(
                actix_web::http::StatusCode::PAYLOAD_TOO_LARGE,
                format!("the request body is larger than {limit} bytes"),
            )));
        }
        body.extend_from_slice(&chunk);
    }
    let body = body.freeze();
    let (_, mut again) = actix_http::h1::Payload::create(true);
    again.unread_data(body.clone());
    req.set_payload(actix_web::dev::Payload::from(again));
    Ok(Ok(body))
}

const BUCKETS: [f64; 10] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0];

#[derive(Default)]
struct Series {
    count: u64,
    sum: f64,
    buckets: [u64; 10],
}

/// Request counters and latency histograms by method, route pattern and status.
#[derive(Default)]
pub struct Metrics {
    series: Mutex<BTreeMap<(String, String, u16), Series>>,
}

impl Metrics {
    fn observe(&self, method: &str, route: &str, status: u16, secs: f64) {
        if let Ok(mut m) = self.series.lock() {
            let s = m
                .entry((method.to_string(), route.to_string(), status))
                .or_default();
            s.count += 1;
            s.sum += secs;
            for (i, b) in BUCKETS.iter().enumerate() {
                if secs <= *b {
                    s.buckets[i] += 1;
                }
            }
        }
    }

    /// Prometheus text exposition format.
    pub fn render(&self) -> String {
        let mut out = String::from(
            "# HELP zhihui_http_requests_total HTTP requests answered.\n# TYPE zhihui_http_requests_total counter\n",
        );
        let Ok(m) = self.series.lock() else {
            return out;
        };
        for ((method, route, status), s) in m.iter() {
            out.push_str(&format!(
                "zhihui_http_requests_total{{method=\"{method}\",route=\"{route}\",status=\"{status}\"}} {}\n",
                s.count
            ));
        }
        out.push_str("# HELP zhihui_http_request_duration_seconds Time to answer.\n# TYPE zhihui_http_request_duration_seconds histogram\n");
        for ((method, route, status), s) in m.iter() {
            let labels = format!("method=\"{method}\",route=\"{route}\",status=\"{status}\"");
            for (i, b) in BUCKETS.iter().enumerate() {
                out.push_str(&format!(
                    "zhihui_http_request_duration_seconds_bucket{{{labels},le=\"{b}\"}} {}\n",
                    s.buckets[i]
                ));
            }
            out.push_str(&format!(
                "zhihui_http_request_duration_seconds_bucket{{{labels},le=\"+Inf\"}} {}\n",
                s.count
            ));
            out.push_str(&format!(
                "zhihui_http_request_duration_seconds_sum{{{labels}}} {}\n",
                s.sum
            ));
            out.push_str(&format!(
                "zhihui_http_request_duration_seconds_count{{{labels}}} {}\n",
                s.count
            ));
        }
        out
    }
}

fn request_id(req: &ServiceRequest) -> String {
    req.headers()
        .get(REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .filter(|v| {
            !v.is_empty()
                && v.len() <= 64
                && v.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        })
        .map(str::to_string)
        .unwrap_or_else(|| uuid::Uuid::new_v4().to_string())
}

/// Gives every request an id (kept from the client when well-formed), logs one line per
/// request (method, route, status, latency; never bodies or query strings), and counts it.
/// After a write it advances the write generations it reaches (`crate::cache`).
pub async fn observe(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let id = request_id(&req);
    let started = Instant::now();
    let method = req.method().to_string();
    let path = req.path().to_string();
    let state = req.app_data::<web::Data<AppState>>().cloned();
    let span = tracing::info_span!("request", request_id = %id);
    let writes = !matches!(
        *req.method(),
        actix_web::http::Method::GET
            | actix_web::http::Method::HEAD
            | actix_web::http::Method::OPTIONS
    );
    let res = next.call(req).instrument(span.clone()).await;
    let route = match &res {
        Ok(r) => r.request().match_pattern(),
        Err(_) => None,
    };
    if let (true, Some(s)) = (writes, &state) {
        // Whatever the write did is committed now: the kept answers it may have changed go
        // (a refusal, 4xx, changed nothing).
        let reach = match &res {
            Ok(r) if r.status().is_client_error() => Reach::Nothing,
            Ok(_) => reach_of(route.as_deref().unwrap_or_default()),
            Err(_) => Reach::Everything,
        };
        if reach == Reach::Everything {
            s.writes.advance();
        }
        if reach != Reach::Nothing {
            s.activity_writes.advance();
        }
    }
    let mut res = res?;
    let route = route.unwrap_or_else(|| "unmatched".into());
    let status = res.status().as_u16();
    let secs = started.elapsed().as_secs_f64();
    if let Ok(v) = HeaderValue::from_str(&id) {
        res.headers_mut()
            .insert(HeaderName::from_static(REQUEST_ID), v);
    }
    let _e = span.enter();
    tracing::info!(%method, %path, %route, status, latency_ms = secs * 1000.0, "answered");
    if let Some(s) = state {
        s.metrics.observe(&method, &route, status, secs);
    }
    Ok(res)
}

/// Turns error answers that are not problem documents (no route, wrong method, body
/// too large, …) into problem documents.
pub fn problem_for_plain_errors<B>(
    res: ServiceResponse<B>,
) -> actix_web::Result<ErrorHandlerResponse<B>> {
    let is_problem = res
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(PROBLEM_JSON.as_bytes()));
    if is_problem {
        return Ok(ErrorHandlerResponse::Response(res.map_into_left_body()));
    }
    let status = res.status();
    let detail = match status.as_u16() {
        404 => "no route matches this path".to_string(),
        405 => "this path does not accept this method".to_string(),
        413 => "the request body is too large".to_string(),
        _ => status.canonical_reason().unwrap_or("error").to_string(),
    };
    let mut allow = None;
    if status.as_u16() == 405 {
        allow = res.headers().get(header::ALLOW).cloned();
    }
    let (req, _) = res.into_parts();
    let mut resp = ApiError::Status(status, detail).error_response();
    if let Some(a) = allow {
        resp.headers_mut().insert(header::ALLOW, a);
    }
    Ok(ErrorHandlerResponse::Response(
        ServiceResponse::new(req, resp).map_into_right_body(),
    ))
}

/// The dashboard's content security policy: scripts, styles, images and connections from
/// this origin only; WebAssembly compiled from this origin's module (`wasm-unsafe-eval`);
/// no inline scripts or styles, no plugins, no framing, forms post back here only.
pub const DASHBOARD_CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; font-src 'self'; \
object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// Puts [`DASHBOARD_CSP`] on every answer except the Swagger UI's (`/docs/`), whose bundled
/// page needs inline code of its own; API answers carry it harmlessly.
pub async fn content_security_policy(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let docs = req.path().starts_with("/docs");
    let mut res = next.call(req).await?;
    if !docs {
        res.headers_mut().insert(
            actix_web::http::header::CONTENT_SECURITY_POLICY,
            actix_web::http::header::HeaderValue::from_static(DASHBOARD_CSP),
        );
    }
    Ok(res)
}
