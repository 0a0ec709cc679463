//! The notification sender (rules 63-68): runs beside the HTTP server, off the request path,
//! like the webhook sender. Each round it turns new outbox events into notifications,
//! derives the reminders now due, and sends the email and SMS deliveries that are due.
//! Every replica may run it: events are claimed with `SKIP LOCKED`, reminders by their
//! unique key, deliveries by a lease.
//!
//! Addresses are decrypted by the repository when a delivery is claimed and live only for
//! the attempt: they are never logged, and an error that quotes one is masked before it is
//! stored.

use std::time::Instant;

use chrono::Duration;
use lettre::message::header::{ContentTransferEncoding, ContentType};
use lettre::message::{Body, Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use zhihui_domain::integration::next_attempt_at;
use zhihui_domain::notification::{
    render, sign_link, sms_segments, Channel, Language, LinkClaim, LinkPurpose, NoticeParams,
    NotificationFamily, SendStatus,
};
use zhihui_persistence::{DueNotice, StoreResult};

use crate::state::{AppState, SmtpSecurity};

/// How long a claimed delivery is left to its sender before another may retry it.
const LEASE_SECS: i64 = 120;

/// Starts the sender on the current Tokio runtime when the settings ask for it.
pub fn spawn_notifier(state: AppState) {
    if !state.settings.notifications.deliver {
        return;
    }
    tokio::spawn(run(state));
}

/// The key that signs one-tap links: derived from the token secret, so that it needs no
/// setting of its own and changes with it.
pub fn link_key(state: &AppState) -> Vec<u8> {
    use sha2::Digest;
    sha2::Sha256::digest(format!("zhihui-links:{}", state.settings.jwt_secret).as_bytes()).to_vec()
}

pub type Mailer = AsyncSmtpTransport<Tokio1Executor>;

/// The SMTP transport of the settings; `None` when email is not set up.
pub fn mailer(state: &AppState) -> Option<Mailer> {
    let s = state.settings.notifications.smtp.as_ref()?;
    let builder = match s.security {
        SmtpSecurity::None => Ok(Mailer::builder_dangerous(&s.host)),
        SmtpSecurity::StartTls => Mailer::starttls_relay(&s.host),
        SmtpSecurity::Tls => Mailer::relay(&s.host),
    };
    let mut builder = match builder {
        Ok(b) => b
            .port(s.port)
            .timeout(Some(std::time::Duration::from_secs(15))),
        Err(e) => {
            tracing::error!(error = %e, "the SMTP relay could not be set up");
            return None;
        }
    };
    if let (Some(u), Some(p)) = (&s.username, &s.password) {
        builder = builder.credentials(Credentials::new(u.clone(), p.clone()));
    }
    Some(builder.build())
}

async fn run(state: AppState) {
    let mail = mailer(&state);
    let http = match reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(10))
        .connect_timeout(std::time::Duration::from_secs(5))
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .build()
    {
        Ok(c) => c,
        Err(e) => {
            tracing::error!(error = %e, "the notification sender could not start");
            return;
        }
    };
    loop {
        let started = Instant::now();
        if let Err(e) = round(&state, mail.as_ref(), &http).await {
            // The database may be away; the next round tries again.
            tracing::warn!(error = %e, "notification round failed");
        }
        let spent = started.elapsed();
        tracing::trace!(?spent, "notification round");
        tokio::time::sleep(state.settings.notifications.poll).await;
    }
}

/// One round; returns when nothing is due.
pub async fn round(
    state: &AppState,
    mail: Option<&Mailer>,
    http: &reqwest::Client,
) -> StoreResult<()> {
    let store = &state.store;
    let now = state.clock.now();
    while store.notify_outbox(now, 200).await? == 200 {}
    for _ in 0..50 {
        if store
            .sweep_reminders(now, state.settings.report_grace_days, 200)
            .await?
            == 0
        {
            break;
        }
    }
    loop {
        let now = state.clock.now();
        let due = store
            .claim_notification_deliveries(now, Duration::seconds(LEASE_SECS), 32)
            .await?;
        if due.is_empty() {
            return Ok(());
        }
        for d in due {
            send(state, mail, http, d).await?;
        }
    }
}

/// Masks anything in an error that looks like the address it was about.
fn scrub(error: &str, address: &str) -> String {
    let masked = zhihui_domain::account::mask_login(address);
    error.replace(address, &masked).chars().take(500).collect()
}

async fn send(
    state: &AppState,
    mail: Option<&Mailer>,
    http: &reqwest::Client,
    d: DueNotice,
) -> StoreResult<()> {
    let store = &state.store;
    let now = state.clock.now();
    let skip = |ids: Vec<uuid::Uuid>, why: &'static str| async move {
        store
            .finish_notification_deliveries(&ids, SendStatus::Skipped, Some(why.into()), None, now)
            .await
    };
    // Reminders no longer true, and channels turned off since, are not sent.
    let (live, gone): (Vec<_>, Vec<_>) = d
        .deliveries
        .iter()
        .zip(&d.notifications)
        .partition(|(_, n)| !d.stale.contains(&n.id) && d.preferences.wants(*n.kind, d.channel));
    skip(
        gone.iter().map(|(x, _)| x.id).collect(),
        "no longer true or turned off",
    )
    .await?;
    if live.is_empty() {
        return Ok(());
    }
    let ids: Vec<uuid::Uuid> = live.iter().map(|(x, _)| x.id).collect();
    let Some(address) = d.address.clone() else {
        return skip(ids, "no address").await;
    };
    let lang = d.preferences.language;
    let result = match d.channel {
        Channel::Email => match mail {
            Some(m) => send_email(state, m, &d, &live, &address, lang).await,
            None => return skip(ids, "email is not set up").await,
        },
        Channel::Sms => match &state.settings.notifications.sms {
            Some(_) => send_sms(state, http, &live, &address, lang).await,
            None => return skip(ids, "SMS is not set up").await,
        },
        Channel::InApp => Ok(()),
    };
    match result {
        Ok(()) => {
            store
                .finish_notification_deliveries(&ids, SendStatus::Sent, None, None, now)
                .await
        }
        Err(e) => {
            let error = scrub(&e, &address);
            let first = live
                .iter()
                .filter_map(|(x, _)| x.first_attempt_at)
                .min()
                .unwrap_or(now);
            let attempts = live.iter().map(|(x, _)| x.attempts).max().unwrap_or(0);
            let retry = next_attempt_at(
                (attempts + 1) as u32,
                first,
                now,
                state.settings.notifications.retry_base_secs,
            );
            tracing::warn!(channel = %d.channel, error = %error, "a notification was not delivered");
            let status = if retry.is_some() {
                SendStatus::Pending
            } else {
                SendStatus::Failed
            };
            store
                .finish_notification_deliveries(&ids, status, Some(error), retry, now)
                .await
        }
    }
}

type Live<'a> = [(
    &'a zhihui_persistence::entities::notification_delivery::Model,
    &'a zhihui_persistence::entities::notification::Model,
)];

fn params_of(n: &zhihui_persistence::entities::notification::Model) -> NoticeParams {
    serde_json::from_str(&n.params).unwrap_or_default()
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A link of the dashboard that acts on a signed token.
fn link(state: &AppState, path: &str, claim: LinkClaim) -> String {
    format!(
        "{}/{path}?token={}",
        state.settings.public_base_url.trim_end_matches('/'),
        sign_link(&link_key(state), claim)
    )
}

async fn send_email(
    state: &AppState,
    mailer: &Mailer,
    d: &DueNotice,
    live: &Live<'_>,
    address: &str,
    lang: Language,
) -> Result<(), String> {
    let smtp = state
        .settings
        .notifications
        .smtp
        .as_ref()
        .ok_or("email is not set up")?;
    let zh = lang == Language::Zh;
    let base = state.settings.public_base_url.trim_end_matches('/');
    let mut text = String::new();
    let mut html = String::from("<!doctype html><html><body style=\"font-family:sans-serif\">");
    let mut families: Vec<NotificationFamily> = vec![];
    for (_, n) in live {
        let r = render(*n.kind, lang, &params_of(n));
        text.push_str(&format!("{}\n{}\n{base}{}\n", r.subject, r.body, n.href));
        html.push_str(&format!(
            "<h3>{}</h3><p>{}</p><p><a href=\"{base}{}\">{}</a></p>",
            html_escape(&r.subject),
            html_escape(&r.body),
            html_escape(&n.href),
            if zh { "查看详情" } else { "Open" }
        ));
        for (purpose, id) in d.links.get(&n.id).into_iter().flatten() {
            let url = link(
                state,
                "attend",
                LinkClaim {
                    purpose: *purpose,
                    subject: *id,
                    family: None,
                },
            );
            let label = match (purpose, zh) {
                (LinkPurpose::Confirm, true) => "确认参加",
                (LinkPurpose::Confirm, false) => "I will come",
                (_, true) => "退出活动",
                (_, false) => "Withdraw",
            };
            text.push_str(&format!("{label}: {url}\n"));
            html.push_str(&format!(
                "<p><a href=\"{}\">{label}</a></p>",
                html_escape(&url)
            ));
        }
        text.push('\n');
        if !families.contains(&n.kind.family()) {
            families.push(n.kind.family());
        }
    }
    for f in families {
        let url = link(
            state,
            "unsubscribe",
            LinkClaim {
                purpose: LinkPurpose::Unsubscribe,
                subject: d.account_id,
                family: Some(f),
            },
        );
        let label = if zh {
            "不再接收此类邮件"
        } else {
            "Stop these emails"
        };
        text.push_str(&format!("{label}: {url}\n"));
        html.push_str(&format!(
            "<p style=\"font-size:small\"><a href=\"{}\">{label}</a></p>",
            html_escape(&url)
        ));
    }
    html.push_str("</body></html>");
    let subject = match live {
        [(_, n)] => render(*n.kind, lang, &params_of(n)).subject,
        _ if zh => format!("智惠每日通知（{} 条）", live.len()),
        _ => format!("Zhihui daily digest ({} notices)", live.len()),
    };
    let from: Mailbox = smtp
        .from
        .parse()
        .map_err(|e| format!("the sender address is not valid: {e}"))?;
    let to: Mailbox = address
        .parse()
        .map_err(|e| format!("the address is not valid: {e}"))?;
    // Quoted-printable: the links stay readable in the source of the message.
    let qp = |s: String| {
        Body::new_with_encoding(s, ContentTransferEncoding::QuotedPrintable)
            .map_err(|_| "the message could not be encoded".to_string())
    };
    let (text, html) = (qp(text)?, qp(html)?);
    let message = Message::builder()
        .from(from)
        .to(to)
        .subject(subject)
        .multipart(
            MultiPart::alternative()
                .singlepart(
                    SinglePart::builder()
                        .header(ContentType::TEXT_PLAIN)
                        .body(text),
                )
                .singlepart(
                    SinglePart::builder()
                        .header(ContentType::TEXT_HTML)
                        .body(html),
                ),
        )
        .map_err(|e| e.to_string())?;
    mailer
        .send(message)
        .await
        .map(|_| ())
        .map_err(|e| e.to_string())
}

/// The SMS gateway's request: a template and its parameters, as the Chinese SMS providers
/// take them, with the rendered text for gateways that send text.
#[derive(serde::Serialize)]
struct SmsRequest<'a> {
    phone: &'a str,
    template_id: &'a str,
    params: serde_json::Value,
    text: String,
    segments: usize,
}

async fn send_sms(
    state: &AppState,
    http: &reqwest::Client,
    live: &Live<'_>,
    phone: &str,
    lang: Language,
) -> Result<(), String> {
    let sms = state
        .settings
        .notifications
        .sms
        .as_ref()
        .ok_or("SMS is not set up")?;
    for (_, n) in live {
        let p = params_of(n);
        // Only the title, time and place: no ID number and no name (rule 67).
        let params = serde_json::json!({
            "title": p.title.chars().take(20).collect::<String>(),
            "at": p.at.map(|t| (t + Duration::hours(8)).format("%m-%d %H:%M").to_string()),
            "place": p.place.chars().take(20).collect::<String>(),
        });
        let text = format!("【智惠】{}", render(*n.kind, lang, &p).body);
        let body = SmsRequest {
            phone,
            template_id: n.kind.as_str(),
            params,
            segments: sms_segments(&text),
            text,
        };
        let res = http
            .post(&sms.url)
            .bearer_auth(&sms.key)
            .json(&body)
            .send()
            .await
            .map_err(|e| format!("the SMS gateway could not be reached: {}", e.without_url()))?;
        if !res.status().is_success() {
            return Err(format!("the SMS gateway answered {}", res.status()));
        }
    }
    Ok(())
}
