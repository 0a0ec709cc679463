//! Notifications (通知与提醒), rules 63-68: a person's inbox and preferences, the one-tap
//! links of the emails (no sign-in: the signature is the credential), and the platform's
//! delivery log. Notifications themselves are written by the sender (`crate::notifier`)
//! from the outbox and the reminders due.

use actix_web::{get, post, put, web, HttpRequest, HttpResponse};
use uuid::Uuid;
use zhihui_contract::notifications::{
    AttendanceLinkOutcome, ChannelChoiceView, LinkRequest, MarkedRead, NotificationDeliveryPage,
    NotificationDeliveryQuery, NotificationDeliveryView, NotificationPage,
    NotificationPreferencesView, NotificationQuery, NotificationView, UnsubscribeOutcome,
    UpdateNotificationPreferencesRequest,
};
use zhihui_contract::{Problem, DEFAULT_LIMIT, MAX_LIMIT};
use zhihui_domain::notification::{
    check_preferences, render, verify_link, Channel, LinkPurpose, NoticeParams, NotificationFamily,
    Preferences, SendStatus,
};
use zhihui_domain::{MobilePhone, ProblemCode};
use zhihui_persistence::entities::notification;
use zhihui_persistence::{ContactChange, DeliveryFilter, PreferencesRow};

use super::{expected_version, next_cursor, uuid_cursor, with_etag};
use crate::auth::Authenticated;
use crate::error::ApiError;
use crate::state::AppState;
use crate::validation::Problems;

fn view(n: &notification::Model, p: &Preferences) -> NotificationView {
    let params: NoticeParams = serde_json::from_str(&n.params).unwrap_or_default();
    let r = render(*n.kind, p.language, &params);
    NotificationView {
        id: n.id,
        kind: *n.kind,
        family: *n.family,
        subject: r.subject,
        body: r.body,
        href: n.href.clone(),
        created_at: n.created_at,
        read_at: n.read_at,
    }
}

fn preferences_view(row: &PreferencesRow) -> NotificationPreferencesView {
    let p = &row.preferences;
    NotificationPreferencesView {
        families: NotificationFamily::ALL
            .iter()
            .map(|f| {
                let c = p.choice(*f);
                ChannelChoiceView {
                    family: *f,
                    in_app: c.in_app || f.legally_required(),
                    email: c.email,
                    sms: c.sms && f.offers_sms(),
                    required: f.legally_required(),
                    offers_sms: f.offers_sms(),
                }
            })
            .collect(),
        email_digest: p.email_digest,
        quiet_from: p.quiet_from.format("%H:%M").to_string(),
        quiet_to: p.quiet_to.format("%H:%M").to_string(),
        language: p.language,
        email_masked: row.email_masked.clone(),
        phone_masked: row.phone_masked.clone(),
        version: row.version,
    }
}

fn not_for_clients(who: &Authenticated) -> Result<(), ApiError> {
    if who.client.is_some() {
        return Err(ApiError::Denied {
            code: ProblemCode::NotForApiClients,
            detail: "notifications are a person's own, not an API client's".into(),
        });
    }
    Ok(())
}

/// The caller's notifications, newest first, with the number unread.
#[utoipa::path(tag = "notifications", security(("bearer" = [])), params(NotificationQuery), responses(
    (status = 200, body = NotificationPage),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json", description = "not_for_api_clients"),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
#[get("/me/notifications")]
pub async fn list_notifications(
    state: web::Data<AppState>,
    who: Authenticated,
    q: web::Query<NotificationQuery>,
) -> Result<HttpResponse, ApiError> {
    not_for_clients(&who)?;
    let mut p = Problems::validate(&*q);
    let before = uuid_cursor(&mut p, &q.cursor);
    p.finish()?;
    let limit = q.limit.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT);
    let (rows, unread) = state
        .store
        .list_notifications(who.account_id, q.unread.unwrap_or(false), before, limit)
        .await?;
    let prefs = state
        .store
        .notification_preferences(who.account_id)
        .await?
        .preferences;
    Ok(HttpResponse::Ok().json(NotificationPage {
        next_cursor: next_cursor(&rows, limit, |n| n.id.to_string()),
        items: rows.iter().map(|n| view(n, &prefs)).collect(),
        unread,
    }))
}

/// Marks one of the caller's notifications read.
#[utoipa::path(tag = "notifications", security(("bearer" = [])), params(("id" = Uuid, Path)), responses(
    (status = 200, body = NotificationView),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json", description = "not_for_api_clients"),
    (status = 404, body = Problem, content_type = "application/problem+json", description = "notification_not_found"),
))]
#[post("/me/notifications/{id}/read")]
pub async fn mark_notification_read(
    state: web::Data<AppState>,
    who: Authenticated,
    path: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    not_for_clients(&who)?;
    let n = state
        .store
        .mark_notification_read(who.account_id, path.into_inner(), state.clock.now())
        .await
        .map_err(|e| match e {
            zhihui_persistence::StoreError::NotFound => {
                ApiError::NotFound(ProblemCode::NotificationNotFound)
            }
            other => other.into(),
        })?;
    let prefs = state
        .store
        .notification_preferences(who.account_id)
        .await?
        .preferences;
    Ok(HttpResponse::Ok().json(view(&n, &prefs)))
}

/// Marks every unread notification of the caller read.
#[utoipa::path(tag = "notifications", security(("bearer" = [])), responses(
    (status = 200, body = MarkedRead),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json", description = "not_for_api_clients"),
))]
#[post("/me/notifications/read-all")]
pub async fn mark_all_notifications_read(
    state: web::Data<AppState>,
    who: Authenticated,
) -> Result<HttpResponse, ApiError> {
    not_for_clients(&who)?;
    let marked = state
        .store
        .mark_all_notifications_read(who.account_id, state.clock.now())
        .await?;
    Ok(HttpResponse::Ok().json(MarkedRead { marked }))
}

/// The caller's notification preferences (the defaults until first saved).
#[utoipa::path(tag = "notifications", security(("bearer" = [])), responses(
    (status = 200, body = NotificationPreferencesView, headers(("ETag" = String))),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json", description = "not_for_api_clients"),
))]
#[get("/me/notification-preferences")]
pub async fn get_notification_preferences(
    state: web::Data<AppState>,
    who: Authenticated,
) -> Result<HttpResponse, ApiError> {
    not_for_clients(&who)?;
    let row = state.store.notification_preferences(who.account_id).await?;
    Ok(with_etag(
        HttpResponse::Ok().json(preferences_view(&row)),
        row.version,
    ))
}

/// Changes the caller's preferences: channels per family (in-app stays on for legally
/// required notices), the daily digest, quiet hours for SMS, the language, and the email
/// address and phone notices go to. Every wrong field is named; nothing changes then.
#[utoipa::path(tag = "notifications", security(("bearer" = [])), request_body = UpdateNotificationPreferencesRequest, params(("If-Match" = Option<String>, Header, description = "The ETag read; a change made meanwhile answers 412")), responses(
    (status = 200, body = NotificationPreferencesView, headers(("ETag" = String))),
    (status = 400, body = Problem, content_type = "application/problem+json"),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json", description = "not_for_api_clients"),
    (status = 412, body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json", description = "unknown_notification_family, legally_required_notice, sms_not_offered, not_a_time, unknown_language, invalid_email, invalid_phone"),
))]
#[put("/me/notification-preferences")]
pub async fn update_notification_preferences(
    state: web::Data<AppState>,
    who: Authenticated,
    req: HttpRequest,
    body: web::Json<UpdateNotificationPreferencesRequest>,
) -> Result<HttpResponse, ApiError> {
    not_for_clients(&who)?;
    let expected = expected_version(&req)?;
    let mut p = Problems::validate(&*body);
    let cur = state.store.notification_preferences(who.account_id).await?;
    let next = match check_preferences(&cur.preferences, &body.input()) {
        Ok(n) => Some(n),
        Err(errors) => {
            for (field, e) in errors {
                p.push(&field, e.code, e.message);
            }
            None
        }
    };
    let mut contact = ContactChange::default();
    if let Some(e) = &body.email {
        let e = e.trim();
        if e.is_empty() {
            contact.email = Some(None);
        } else if let Some(ok) =
            p.parse("email", zhihui_domain::notification::EmailAddress::parse(e))
        {
            contact.email = Some(Some(ok.as_str().to_string()));
        }
    }
    if let Some(ph) = &body.phone {
        let ph = ph.trim();
        if ph.is_empty() {
            contact.phone = Some(None);
        } else if let Some(ok) = p.parse("phone", MobilePhone::parse(ph)) {
            contact.phone = Some(Some((ok.as_str().to_string(), ok.masked())));
        }
    }
    p.finish()?;
    let next = next.unwrap_or(cur.preferences);
    let row = state
        .store
        .save_notification_preferences(who.account_id, &next, contact, expected, state.clock.now())
        .await?;
    Ok(with_etag(
        HttpResponse::Ok().json(preferences_view(&row)),
        row.version,
    ))
}

fn claim_of(
    state: &AppState,
    token: &str,
) -> Result<zhihui_domain::notification::LinkClaim, ApiError> {
    verify_link(&crate::notifier::link_key(state), token.trim()).ok_or(ApiError::Conflict {
        code: ProblemCode::LinkInvalid,
        message: "this link is not valid; open the activity in the app instead".into(),
    })
}

/// Follows the day-before email's one-tap link (rule 65): confirms attendance or withdraws
/// the sign-up, without signing in. The link is signed, single use, and expires when the
/// activity starts; a withdrawn sign-up's link is refused.
#[utoipa::path(tag = "notifications", request_body = LinkRequest, responses(
    (status = 200, body = AttendanceLinkOutcome),
    (status = 400, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json", description = "link_invalid: forged, altered or unknown"),
    (status = 409, body = Problem, content_type = "application/problem+json", description = "link_used, sign_up_not_live"),
    (status = 410, body = Problem, content_type = "application/problem+json", description = "link_expired: the activity has begun"),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
#[post("/attendance-links")]
pub async fn confirm_attendance_by_link(
    state: web::Data<AppState>,
    body: web::Json<LinkRequest>,
) -> Result<HttpResponse, ApiError> {
    Problems::validate(&*body).finish()?;
    let claim = claim_of(&state, &body.token)?;
    if claim.purpose == LinkPurpose::Unsubscribe {
        return Err(ApiError::Conflict {
            code: ProblemCode::LinkInvalid,
            message: "this is not an attendance link".into(),
        });
    }
    let used = state
        .store
        .use_attendance_link(claim.subject, claim.purpose, state.clock.now())
        .await?;
    Ok(HttpResponse::Ok().json(AttendanceLinkOutcome {
        action: used.purpose,
        activity_id: used.activity.id,
        title: used.activity.title,
        starts_at: used.activity.starts_at,
    }))
}

/// Follows an email's unsubscribe link: emails of that family stop, without signing in.
/// Following it again changes nothing.
#[utoipa::path(tag = "notifications", request_body = LinkRequest, responses(
    (status = 200, body = UnsubscribeOutcome),
    (status = 400, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json", description = "link_invalid"),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
#[post("/unsubscribe")]
pub async fn unsubscribe_by_link(
    state: web::Data<AppState>,
    body: web::Json<LinkRequest>,
) -> Result<HttpResponse, ApiError> {
    Problems::validate(&*body).finish()?;
    let claim = claim_of(&state, &body.token)?;
    let (Some(family), LinkPurpose::Unsubscribe) = (claim.family, claim.purpose) else {
        return Err(ApiError::Conflict {
            code: ProblemCode::LinkInvalid,
            message: "this is not an unsubscribe link".into(),
        });
    };
    let cur = state.store.notification_preferences(claim.subject).await?;
    let mut next = cur.preferences.clone();
    if let Some(c) = next.families.iter_mut().find(|c| c.family == family) {
        c.email = false;
    }
    if next != cur.preferences {
        state
            .store
            .save_notification_preferences(
                claim.subject,
                &next,
                ContactChange::default(),
                None,
                state.clock.now(),
            )
            .await?;
    }
    Ok(HttpResponse::Ok().json(UnsubscribeOutcome {
        family,
        email: false,
    }))
}

/// The delivery log of emails and SMS, newest first (platform admins): what went, what
/// waits (quiet hours, the digest, a retry), what was skipped and why, and what failed
/// after a day of retries. No address is ever shown.
#[utoipa::path(tag = "notifications", security(("bearer" = [])), params(NotificationDeliveryQuery), responses(
    (status = 200, body = NotificationDeliveryPage),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json", description = "platform_admin_only"),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
#[get("/notification-deliveries")]
pub async fn list_notification_deliveries(
    state: web::Data<AppState>,
    who: Authenticated,
    q: web::Query<NotificationDeliveryQuery>,
) -> Result<HttpResponse, ApiError> {
    if !who.is_platform_admin {
        return Err(ApiError::Forbidden(
            ProblemCode::PlatformAdminOnly,
            "the delivery log is the platform's".into(),
        ));
    }
    let mut p = Problems::validate(&*q);
    let status =
        p.closed_opt::<SendStatus>("status", ProblemCode::UnknownStatus, q.status.as_deref());
    let channel =
        p.closed_opt::<Channel>("channel", ProblemCode::UnknownChannel, q.channel.as_deref());
    let before = uuid_cursor(&mut p, &q.cursor);
    p.finish()?;
    let limit = q.limit.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT);
    let rows = state
        .store
        .list_notification_deliveries(&DeliveryFilter {
            status,
            channel,
            account_id: q.account_id,
            before,
            limit,
        })
        .await?;
    Ok(HttpResponse::Ok().json(NotificationDeliveryPage {
        next_cursor: next_cursor(&rows, limit, |(d, _)| d.id.to_string()),
        items: rows
            .into_iter()
            .map(|(d, n)| NotificationDeliveryView {
                id: d.id,
                notification_id: d.notification_id,
                account_id: d.account_id,
                kind: n.map(|n| *n.kind),
                channel: *d.channel,
                status: *d.status,
                attempts: d.attempts,
                digest: d.digest,
                next_attempt_at: (*d.status == SendStatus::Pending).then_some(d.next_attempt_at),
                sent_at: d.sent_at,
                last_error: d.last_error,
                created_at: d.created_at,
            })
            .collect(),
    }))
}
