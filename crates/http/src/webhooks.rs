//! The webhook sender: runs beside the HTTP server, off the request path. Each round it
//! announces expired pairing letters, fans new outbox events out to the endpoints that hear
//! them, and attempts the deliveries that are due. Every replica may run it: claims are
//! leases taken with `SKIP LOCKED` on PostgreSQL.

use std::time::Instant;

use chrono::Duration;
use futures_util::StreamExt;
use zhihui_contract::integrations::WebhookEvent;
use zhihui_domain::integration::{
    check_webhook_url, is_public_address, next_attempt_at, signature_header,
};
use zhihui_persistence::{AttemptOutcome, DueDelivery, StoreResult};

use crate::state::AppState;

/// The header carrying `t=<unix seconds>,v1=<hex HMAC-SHA256>`.
pub const SIGNATURE_HEADER: &str = "Zhihui-Signature";
/// How long a claimed delivery is left to its sender before another may retry it.
const LEASE_SECS: i64 = 120;
/// A receiver's answer is read up to this many bytes for the log.
const EXCERPT_BYTES: usize = 1024;
/// Deliveries attempted at once.
const PARALLEL: usize = 8;
/// How often the sender forgets history past the retention.
const PRUNE_EVERY: std::time::Duration = std::time::Duration::from_secs(3600);

/// Starts the sender on the current Tokio runtime when the settings ask for it.
pub fn spawn_sender(state: AppState) {
    if !state.settings.webhooks.deliver {
        return;
    }
    tokio::spawn(run(state));
}

/// What a receiver's name resolves to.
pub enum Resolution {
    /// Only public addresses.
    Public(Vec<std::net::SocketAddr>),
    /// At least one address that is not public (`is_public_address`).
    NotPublic(NotPublic),
    /// The name did not resolve (now).
    Unresolved(std::io::Error),
}

/// Resolves a receiver's name and judges the addresses a connection would use. The one
/// check of resolved addresses: when an endpoint is registered, and at every delivery
/// (`PublicOnlyResolver`), so a name that later points into the local network is caught.
pub async fn resolve_receiver(host: &str, port: u16) -> Resolution {
    match tokio::net::lookup_host((host, port)).await {
        Err(e) => Resolution::Unresolved(e),
        Ok(addrs) => {
            let addrs: Vec<_> = addrs.collect();
            if addrs.is_empty() || addrs.iter().any(|a| !is_public_address(a.ip())) {
                Resolution::NotPublic(NotPublic(host.to_string()))
            } else {
                Resolution::Public(addrs)
            }
        }
    }
}

/// The sender's resolver: public addresses only.
pub struct PublicOnlyResolver;

impl reqwest::dns::Resolve for PublicOnlyResolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let host = name.as_str().to_string();
        Box::pin(async move {
            match resolve_receiver(&host, 0).await {
                Resolution::Public(addrs) => Ok(Box::new(addrs.into_iter()) as reqwest::dns::Addrs),
                Resolution::NotPublic(e) => {
                    Err(Box::new(e) as Box<dyn std::error::Error + Send + Sync>)
                }
                Resolution::Unresolved(e) => {
                    Err(Box::new(e) as Box<dyn std::error::Error + Send + Sync>)
                }
            }
        })
    }
}

/// A receiver's name resolved to an address that is not public.
#[derive(Debug)]
pub struct NotPublic(pub String);

impl std::fmt::Display for NotPublic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} resolves to an address that is not public", self.0)
    }
}

impl std::error::Error for NotPublic {}

/// The HTTP client of the sender: no redirects, short timeouts and, unless insecure
/// addresses are allowed, only public addresses.
pub fn sender_client(allow_insecure: bool) -> reqwest::Result<reqwest::Client> {
    let mut builder = reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(10))
        .connect_timeout(std::time::Duration::from_secs(5))
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .user_agent(concat!("Zhihui-Webhooks/", env!("CARGO_PKG_VERSION")));
    if !allow_insecure {
        builder = builder.dns_resolver(std::sync::Arc::new(PublicOnlyResolver));
    }
    builder.build()
}

async fn run(state: AppState) {
    let client = match sender_client(state.settings.webhooks.allow_insecure_urls) {
        Ok(c) => c,
        Err(e) => {
            tracing::error!(error = %e, "the webhook sender could not start");
            return;
        }
    };
    let mut last_prune: Option<Instant> = None;
    loop {
        if let Err(e) = round(&state, &client).await {
            // The database may be away; the next round tries again.
            tracing::warn!(error = %e, "webhook round failed");
        }
        if last_prune.is_none_or(|t| t.elapsed() >= PRUNE_EVERY) {
            match prune(&state).await {
                Ok(n) => {
                    last_prune = Some(Instant::now());
                    if n > 0 {
                        tracing::info!(events = n, "old webhook history forgotten");
                    }
                }
                Err(e) => tracing::warn!(error = %e, "pruning webhook history failed"),
            }
        }
        tokio::time::sleep(state.settings.webhooks.poll).await;
    }
}

/// Forgets the settled history older than the retention, a thousand events at a time so
/// that no statement holds its locks for long.
async fn prune(state: &AppState) -> StoreResult<u64> {
    let before = state.clock.now() - Duration::days(state.settings.webhooks.retention_days);
    let mut total = 0;
    loop {
        let n = state.store.prune_webhook_history(before, 1000).await?;
        total += n;
        if n < 1000 {
            return Ok(total);
        }
    }
}

/// One round; returns when nothing is due.
async fn round(state: &AppState, client: &reqwest::Client) -> StoreResult<()> {
    let store = &state.store;
    let now = state.clock.now();
    while store
        .announce_expired_letters(now, state.settings.letter_answer_days, 200)
        .await?
        == 200
    {}
    let today = crate::clock::china_date(now);
    while store.announce_expired_needs(today, now, 200).await? == 200 {}
    while store.dispatch_outbox(now, 200).await? == 200 {}
    loop {
        let now = state.clock.now();
        let due = store
            .claim_due_deliveries(now, Duration::seconds(LEASE_SECS), 32)
            .await?;
        if due.is_empty() {
            return Ok(());
        }
        let results: Vec<StoreResult<()>> = futures_util::stream::iter(due)
            .map(|d| attempt(state, client, d))
            .buffer_unordered(PARALLEL)
            .collect()
            .await;
        for r in results {
            r?;
        }
    }
}

/// The JSON body of a delivery.
pub fn delivery_body(e: &zhihui_persistence::entities::outbox_event::Model) -> WebhookEvent {
    WebhookEvent {
        id: e.id,
        event_type: *e.event_type,
        occurred_at: e.occurred_at,
        organization_ids: serde_json::from_str(&e.organization_ids).unwrap_or_default(),
        resource: serde_json::from_str(&e.resource).unwrap_or_default(),
    }
}

async fn attempt(state: &AppState, client: &reqwest::Client, d: DueDelivery) -> StoreResult<()> {
    let body = serde_json::to_vec(&delivery_body(&d.event)).unwrap_or_default();
    let sent_at = state.clock.now();
    let signature = signature_header(&d.secret, sent_at.timestamp(), &body);
    let started = Instant::now();
    // The address is checked again at every delivery: an IP literal does not pass through
    // the resolver, and the rule may have tightened since the endpoint was registered.
    if check_webhook_url(&d.url, state.settings.webhooks.allow_insecure_urls).is_err() {
        return finish(
            state,
            &d,
            None,
            Some("the address is not a public https:// address; not sent".into()),
            None,
            started,
        )
        .await;
    }
    let answer = client
        .post(&d.url)
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .header(SIGNATURE_HEADER, signature)
        .header("Zhihui-Event-Id", d.event.id.to_string())
        .header("Zhihui-Event-Type", d.event.event_type.as_str())
        .header("Zhihui-Delivery-Id", d.delivery.id.to_string())
        .body(body)
        .send()
        .await;
    let (status_code, error, excerpt) = match answer {
        Ok(res) => {
            let status = res.status();
            let excerpt = read_excerpt(res).await;
            let error = (!status.is_success()).then(|| format!("the receiver answered {status}"));
            (Some(status.as_u16()), error, excerpt)
        }
        Err(e) => (None, Some(describe(e)), None),
    };
    finish(state, &d, status_code, error, excerpt, started).await
}

/// Records an attempt and when to try again.
async fn finish(
    state: &AppState,
    d: &DueDelivery,
    status_code: Option<u16>,
    error: Option<String>,
    excerpt: Option<String>,
    started: Instant,
) -> StoreResult<()> {
    let duration_ms = started.elapsed().as_millis().min(i32::MAX as u128) as i32;
    let delivered = error.is_none();
    let now = state.clock.now();
    let retry_at = if delivered {
        None
    } else {
        next_attempt_at(
            (d.delivery.attempts + 1) as u32,
            d.delivery.first_attempt_at.unwrap_or(now),
            now,
            state.settings.webhooks.retry_base_secs,
        )
    };
    if !delivered {
        tracing::info!(
            delivery = %d.delivery.id,
            event_type = %d.event.event_type,
            status = ?status_code,
            retry_at = ?retry_at,
            "webhook delivery failed"
        );
    }
    state
        .store
        .record_delivery_attempt(
            &d.delivery,
            AttemptOutcome {
                status_code,
                error,
                duration_ms,
                response_excerpt: excerpt,
                delivered,
                retry_at,
            },
            now,
        )
        .await
}

/// The first kilobyte of an answer, as text; the rest is not read.
async fn read_excerpt(mut res: reqwest::Response) -> Option<String> {
    let mut buf = Vec::new();
    while let Ok(Some(chunk)) = res.chunk().await {
        buf.extend_from_slice(&chunk);
        if buf.len() >= EXCERPT_BYTES {
            break;
        }
    }
    buf.truncate(EXCERPT_BYTES);
    let text = String::from_utf8_lossy(&buf).trim().to_string();
    (!text.is_empty()).then_some(text)
}

/// What went wrong, without the address's query (it may carry a token).
fn describe(e: reqwest::Error) -> String {
    let mut cause: Option<&dyn std::error::Error> = std::error::Error::source(&e);
    while let Some(c) = cause {
        if let Some(np) = c.downcast_ref::<NotPublic>() {
            return format!("refused: {np}");
        }
        cause = c.source();
    }
    let what = if e.is_timeout() {
        "timed out"
    } else if e.is_connect() {
        "could not connect"
    } else if e.is_redirect() {
        "redirects are not followed"
    } else {
        "request failed"
    };
    format!("{what}: {}", e.without_url())
}

#[cfg(test)]
mod resolution_tests {
    use super::*;

    #[tokio::test]
    async fn a_name_of_the_local_machine_is_not_public() {
        // `localhost` resolves through the hosts file on every machine.
        assert!(matches!(
            resolve_receiver("localhost", 443).await,
            Resolution::NotPublic(_)
        ));
        let refused = reqwest::dns::Resolve::resolve(
            &PublicOnlyResolver,
            "localhost".parse().expect("a name"),
        )
        .await;
        assert!(refused.is_err(), "the sender's resolver refuses it");
    }
}
