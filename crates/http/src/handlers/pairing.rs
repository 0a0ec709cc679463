//! Pairing letters (商请共同开展科技志愿服务活动的函) and pairings (结对), rules 27-31.

use std::collections::HashMap;
use zhihui_domain::ProblemCode;

use actix_web::{get, post, put, web, HttpRequest, HttpResponse};
use uuid::Uuid;
use zhihui_contract::form::Reason;
use zhihui_contract::pairing::{
    AcceptPairingLetterRequest, CreatePairingLetterRequest, DeclinePairingLetterRequest,
    LetterDraft, LetterEventView, PairingLetterPage, PairingLetterQuery, PairingLetterView,
    PairingPage, PairingQuery, PairingRef, PairingView, PartyView, ProposedActivity,
    UpdatePairingLetterRequest,
};
use zhihui_contract::{Problem, DEFAULT_LIMIT, MAX_LIMIT};
use zhihui_domain::pairing::{
    answer_due, check_pairing, effective_status, letter_allowed_actions, transition, LetterRoles,
};
use zhihui_domain::{
    LetterAction, LetterEvent, LetterStatus, Mailbox, MobilePhone, OrganizationStatus,
};
use zhihui_persistence::entities::{organization, pairing, pairing_letter};
use zhihui_persistence::{LetterContent, LetterFilter, LetterStep, PairingFilter};

use super::{actor, expected_version, next_cursor, uuid_cursor, with_etag};
use crate::auth::Authenticated;
use crate::clock::china_date;
use crate::documents::letter::letter_layout;
use crate::error::ApiError;
use crate::lookups::{parties, party_of};
use crate::state::AppState;
use crate::validation::Problems;
use crate::views::pairing::pairing_view;

/// Who stands where towards a letter or pairing.
struct Standing {
    sender: bool,
    recipient: bool,
    /// Administers an organisation above the sender or the recipient.
    above_sender: bool,
    above_recipient: bool,
    platform: bool,
}

impl Standing {
    async fn of(
        state: &AppState,
        who: &Authenticated,
        sender: &organization::Model,
        recipient: &organization::Model,
    ) -> Result<Self, ApiError> {
        let above = |ancestors: Vec<Uuid>| ancestors.into_iter().any(|a| who.administers(a));
        Ok(Self {
            sender: who.administers(sender.id),
            recipient: who.administers(recipient.id),
            above_sender: above(state.store.ancestors(sender).await?),
            above_recipient: above(state.store.ancestors(recipient).await?),
            platform: who.is_platform_admin,
        })
    }

    /// Drafts belong to the sender; once sent, both sides, the organisations above them
    /// and platform admins see the letter.
    fn sees_letter(&self, status: LetterStatus) -> bool {
        if status == LetterStatus::Draft {
            return self.sender;
        }
        self.sender || self.recipient || self.above_sender || self.above_recipient || self.platform
    }

    fn sees_pairing(&self) -> bool {
        self.sender || self.recipient || self.above_sender || self.above_recipient || self.platform
    }

    /// The two parties see the contact phone in full.
    fn party(&self) -> bool {
        self.sender || self.recipient
    }
}

async fn org(state: &AppState, id: Uuid) -> Result<Option<organization::Model>, ApiError> {
    Ok(state.store.get_organization(id).await?)
}

fn status_of(state: &AppState, l: &pairing_letter::Model) -> LetterStatus {
    let stored = *l.status;
    effective_status(
        stored,
        l.sent_at,
        state.clock.now(),
        state.settings.letter_answer_days,
    )
}

fn allowed_actions(status: LetterStatus, s: &Standing) -> Vec<LetterAction> {
    letter_allowed_actions(
        status,
        LetterRoles {
            sender: s.sender,
            recipient: s.recipient,
        },
    )
}

fn letter_view(
    state: &AppState,
    l: pairing_letter::Model,
    s: &Standing,
    map: &HashMap<Uuid, PartyView>,
    p: Option<&pairing::Model>,
) -> Result<PairingLetterView, ApiError> {
    let status = status_of(state, &l);
    let contact_phone = if s.party() {
        state.store.decrypt(&l.contact_phone_enc)?
    } else {
        l.contact_phone_masked.clone()
    };
    let activities: Vec<ProposedActivity> = serde_json::from_str(&l.activities)
        .map_err(|e| ApiError::Internal(format!("stored activities: {e}")))?;
    Ok(PairingLetterView {
        id: l.id,
        sender: party_of(map, l.sender_id)?,
        recipient: party_of(map, l.recipient_id)?,
        subject: l.subject,
        purpose: l.purpose,
        activities,
        period_from: l.period_from,
        period_to: l.period_to,
        contact_name: l.contact_name,
        contact_phone,
        status,
        sent_at: l.sent_at,
        answer_due_at: l
            .sent_at
            .map(|t| answer_due(t, state.settings.letter_answer_days)),
        answered_at: l.answered_at,
        answer_note: l.answer_note,
        decline_reason: l.decline_reason,
        pairing: p.map(|p| PairingRef {
            id: p.id,
            proof_number: p.proof_number.clone(),
        }),
        allowed_actions: allowed_actions(status, s),
        created_at: l.created_at,
        updated_at: l.updated_at,
        version: l.version,
        history: None,
    })
}

/// A letter the caller may see, with both parties and the caller's standing.
struct Loaded {
    letter: pairing_letter::Model,
    sender: organization::Model,
    recipient: organization::Model,
    standing: Standing,
}

async fn load_letter(state: &AppState, who: &Authenticated, id: Uuid) -> Result<Loaded, ApiError> {
    let not_found = || ApiError::NotFound(ProblemCode::PairingLetterNotFound);
    let letter = state
        .store
        .get_pairing_letter(id)
        .await?
        .ok_or_else(not_found)?;
    let sender = org(state, letter.sender_id).await?.ok_or_else(not_found)?;
    let recipient = org(state, letter.recipient_id)
        .await?
        .ok_or_else(not_found)?;
    let standing = Standing::of(state, who, &sender, &recipient).await?;
    if !standing.sees_letter(status_of(state, &letter)) {
        return Err(not_found());
    }
    Ok(Loaded {
        letter,
        sender,
        recipient,
        standing,
    })
}

async fn full_view(state: &AppState, l: Loaded) -> Result<PairingLetterView, ApiError> {
    let map = parties(state, &[l.sender.clone(), l.recipient.clone()]).await?;
    let p = state
        .store
        .pairings_of_letters(&[l.letter.id])
        .await?
        .remove(&l.letter.id);
    let events = state.store.pairing_letter_events(l.letter.id).await?;
    let status = status_of(state, &l.letter);
    let mut history: Vec<LetterEventView> = events
        .into_iter()
        .map(|e| LetterEventView {
            side: e.action.side(),
            action: *e.action,
            at: e.at,
            actor_name: Some(e.actor_name),
            note: e.note,
        })
        .collect();
    if status == LetterStatus::Expired {
        if let Some(sent) = l.letter.sent_at {
            history.push(LetterEventView {
                action: LetterEvent::Expired,
                at: answer_due(sent, state.settings.letter_answer_days),
                side: LetterEvent::Expired.side(),
                actor_name: None,
                note: None,
            });
        }
    }
    let mut v = letter_view(state, l.letter, &l.standing, &map, p.as_ref())?;
    v.history = Some(history);
    Ok(v)
}

/// What a draft's own check cannot see: the recipient is an approved organisation the
/// sender may pair with (rules 27, 30).
async fn check_parties(
    state: &AppState,
    p: &mut Problems,
    sender: &organization::Model,
    recipient_id: Uuid,
) -> Result<(), ApiError> {
    match org(state, recipient_id).await? {
        Some(r) if r.status == OrganizationStatus::Approved => {
            let (sc, rc, rl) = (*sender.category, *r.category, *r.level);
            if let Err(e) = check_pairing(sc, rc, rl, sender.id == r.id) {
                let field = if e.code == "sender_not_society" {
                    "sender_id"
                } else {
                    "recipient_id"
                };
                p.push(field, e.code, e.message);
            }
        }
        _ => p.push(
            "recipient_id",
            ProblemCode::OrganizationNotFound,
            "no approved organisation with this id",
        ),
    }
    Ok(())
}

/// What is stored of a checked draft.
fn content(d: LetterDraft) -> Result<LetterContent, ApiError> {
    Ok(LetterContent {
        recipient_id: d.recipient_id,
        subject: d.subject,
        purpose: d.purpose,
        activities: serde_json::to_string(&d.activities)
            .map_err(|e| ApiError::Internal(e.to_string()))?,
        period_from: d.period_from,
        period_to: d.period_to,
        contact_name: d.contact_name,
        contact_phone_masked: d.contact_phone.masked(),
        contact_phone: d.contact_phone.as_str().to_string(),
    })
}

/// Writes a pairing letter as a draft from a society the caller administers to a county
/// association for science and technology or county volunteer federation.
#[utoipa::path(tag = "pairing", security(("bearer" = [])), request_body = CreatePairingLetterRequest, responses(
    (status = 201, body = PairingLetterView, headers(("ETag" = String, description = "version of the letter"))),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json", description = "organization_not_found (the sender)"),
    (status = 409, body = Problem, content_type = "application/problem+json", description = "organization_not_approved"),
    (status = 422, body = Problem, content_type = "application/problem+json", description = "sender_not_society, recipient_category, recipient_not_county, pairing_with_itself, invalid_month, month_outside_period, period_ends_before_start…"),
))]
#[post("/pairing-letters")]
pub async fn create_pairing_letter(
    state: web::Data<AppState>,
    who: Authenticated,
    body: web::Json<CreatePairingLetterRequest>,
) -> Result<HttpResponse, ApiError> {
    let sender = org(&state, body.sender_id)
        .await?
        .filter(|o| o.status == OrganizationStatus::Approved || who.administers(o.id))
        .ok_or(ApiError::NotFound(ProblemCode::OrganizationNotFound))?;
    if !who.administers(sender.id) {
        return Err(ApiError::Forbidden(
            ProblemCode::NotYourOrganization,
            "only the sending society's own admins write its letters".into(),
        ));
    }
    if sender.status != OrganizationStatus::Approved {
        return Err(ApiError::Conflict {
            code: ProblemCode::OrganizationNotApproved,
            message: "the society writes letters once it is approved".into(),
        });
    }
    // The form's own rules, exactly as the dashboard runs them before sending, then the
    // parties, which need the store.
    let mut p = Problems::default();
    let draft = p.absorb(LetterDraft::try_from((
        &*body,
        china_date(state.clock.now()),
    )));
    check_parties(&state, &mut p, &sender, body.recipient_id).await?;
    let content = content(p.done(draft)?)?;
    let actor = actor(&state, &who).await?;
    let l = state
        .store
        .create_pairing_letter(sender.id, content, &actor, state.clock.now())
        .await?;
    let version = l.version;
    let loaded = load_letter(&state, &who, l.id).await?;
    Ok(with_etag(
        super::created(format!("/pairing-letters/{}", l.id)).json(full_view(&state, loaded).await?),
        version,
    ))
}

/// Changes a draft letter; a sent letter cannot change (`letter_already_sent`). Send
/// `If-Match` with the ETag: a stale version is refused with 412.
#[utoipa::path(tag = "pairing", security(("bearer" = [])), params(("id" = Uuid, Path), ("If-Match" = Option<String>, Header, description = "ETag of the version read")), request_body = UpdatePairingLetterRequest, responses(
    (status = 200, body = PairingLetterView, headers(("ETag" = String))),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json", description = "pairing_letter_not_found"),
    (status = 409, body = Problem, content_type = "application/problem+json", description = "letter_already_sent, letter_already_answered, letter_withdrawn, letter_expired"),
    (status = 412, body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
#[put("/pairing-letters/{id}")]
pub async fn update_pairing_letter(
    state: web::Data<AppState>,
    who: Authenticated,
    req: HttpRequest,
    id: web::Path<Uuid>,
    body: web::Json<UpdatePairingLetterRequest>,
) -> Result<HttpResponse, ApiError> {
    let l = load_letter(&state, &who, *id).await?;
    if !l.standing.sender {
        return Err(ApiError::Forbidden(
            ProblemCode::NotYourOrganization,
            "only the sending society's admins change a letter".into(),
        ));
    }
    let expected = expected_version(&req)?;
    let status = status_of(&state, &l.letter);
    transition(status, LetterAction::Update)?;
    let cur = &l.letter;
    let current = LetterDraft {
        recipient_id: cur.recipient_id,
        subject: cur.subject.clone(),
        purpose: cur.purpose.clone(),
        activities: serde_json::from_str(&cur.activities).unwrap_or_default(),
        period_from: cur.period_from,
        period_to: cur.period_to,
        contact_name: cur.contact_name.clone(),
        contact_phone: MobilePhone::parse(&state.store.decrypt(&cur.contact_phone_enc)?)
            .map_err(|_| ApiError::Internal(format!("letter {} has a bad phone", cur.id)))?,
    };
    let mut p = Problems::default();
    let draft = p.absorb(current.amended(&body, china_date(state.clock.now())));
    check_parties(
        &state,
        &mut p,
        &l.sender,
        body.recipient_id.unwrap_or(cur.recipient_id),
    )
    .await?;
    let content = content(p.done(draft)?)?;
    let actor = actor(&state, &who).await?;
    let updated = state
        .store
        .update_pairing_letter(cur.id, expected, content, &actor, state.clock.now())
        .await?;
    let version = updated.version;
    let loaded = load_letter(&state, &who, updated.id).await?;
    Ok(with_etag(
        HttpResponse::Ok().json(full_view(&state, loaded).await?),
        version,
    ))
}

/// Takes one step on a letter for the side allowed to take it.
async fn step(
    state: &AppState,
    who: &Authenticated,
    req: &HttpRequest,
    id: Uuid,
    action: LetterAction,
    note: Option<String>,
) -> Result<HttpResponse, ApiError> {
    let l = load_letter(state, who, id).await?;
    let (allowed, side) = match action {
        LetterAction::Accept | LetterAction::Decline => (l.standing.recipient, "recipient"),
        _ => (l.standing.sender, "sending society"),
    };
    if !allowed {
        return Err(ApiError::Forbidden(
            ProblemCode::NotYourOrganization,
            format!(
                "only the {side}'s admins may {} this letter",
                action.as_str()
            ),
        ));
    }
    let now = state.clock.now();
    let today = china_date(now);
    if action == LetterAction::Send {
        if l.letter.period_to < today {
            return Err(ApiError::field(
                "period_to",
                ProblemCode::InThePast,
                "the period has already ended; change it before sending",
            ));
        }
        if l.recipient.status != OrganizationStatus::Approved {
            return Err(ApiError::Conflict {
                code: ProblemCode::OrganizationNotApproved,
                message: "the recipient is no longer an approved organisation".into(),
            });
        }
    }
    let actor = actor(state, who).await?;
    let (letter, _) = state
        .store
        .act_on_pairing_letter(
            id,
            LetterStep {
                action,
                expected_version: expected_version(req)?,
                note,
                answer_days: state.settings.letter_answer_days,
                now,
                today,
            },
            &actor,
        )
        .await?;
    let version = letter.version;
    let loaded = load_letter(state, who, letter.id).await?;
    Ok(with_etag(
        HttpResponse::Ok().json(full_view(state, loaded).await?),
        version,
    ))
}

/// Sends a draft to its recipient, who has `letter_answer_days` (default 30) to answer.
/// Refused while the two are paired for an overlapping period (`already_paired`).
#[utoipa::path(tag = "pairing", security(("bearer" = [])), params(("id" = Uuid, Path), ("If-Match" = Option<String>, Header, description = "ETag of the version read")), responses(
    (status = 200, body = PairingLetterView, headers(("ETag" = String))),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 409, body = Problem, content_type = "application/problem+json", description = "letter_already_sent, letter_already_answered, letter_withdrawn, letter_expired, already_paired, organization_not_approved"),
    (status = 412, body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json", description = "in_the_past"),
))]
#[post("/pairing-letters/{id}/send")]
pub async fn send_pairing_letter(
    state: web::Data<AppState>,
    who: Authenticated,
    req: HttpRequest,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    step(&state, &who, &req, *id, LetterAction::Send, None).await
}

/// Withdraws a sent letter before it is answered (the sending society).
#[utoipa::path(tag = "pairing", security(("bearer" = [])), params(("id" = Uuid, Path), ("If-Match" = Option<String>, Header, description = "ETag of the version read")), responses(
    (status = 200, body = PairingLetterView, headers(("ETag" = String))),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 409, body = Problem, content_type = "application/problem+json", description = "letter_not_sent, letter_already_answered, letter_withdrawn, letter_expired"),
    (status = 412, body = Problem, content_type = "application/problem+json"),
))]
#[post("/pairing-letters/{id}/withdraw")]
pub async fn withdraw_pairing_letter(
    state: web::Data<AppState>,
    who: Authenticated,
    req: HttpRequest,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    step(&state, &who, &req, *id, LetterAction::Withdraw, None).await
}

/// Accepts a letter (the recipient, with an optional note). Creates the pairing with its
/// proof number; two acceptances at once create one pairing.
#[utoipa::path(tag = "pairing", security(("bearer" = [])), params(("id" = Uuid, Path), ("If-Match" = Option<String>, Header, description = "ETag of the version read")), request_body = AcceptPairingLetterRequest, responses(
    (status = 200, body = PairingLetterView, headers(("ETag" = String))),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 409, body = Problem, content_type = "application/problem+json", description = "letter_not_sent, letter_already_answered, letter_withdrawn, letter_expired, already_paired"),
    (status = 412, body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
#[post("/pairing-letters/{id}/accept")]
pub async fn accept_pairing_letter(
    state: web::Data<AppState>,
    who: Authenticated,
    req: HttpRequest,
    id: web::Path<Uuid>,
    body: web::Json<AcceptPairingLetterRequest>,
) -> Result<HttpResponse, ApiError> {
    Problems::validate(&*body).finish()?;
    let note = body
        .note
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_string);
    step(&state, &who, &req, *id, LetterAction::Accept, note).await
}

/// Declines a letter (the recipient, with a reason shown to the sender).
#[utoipa::path(tag = "pairing", security(("bearer" = [])), params(("id" = Uuid, Path), ("If-Match" = Option<String>, Header, description = "ETag of the version read")), request_body = DeclinePairingLetterRequest, responses(
    (status = 200, body = PairingLetterView, headers(("ETag" = String))),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 409, body = Problem, content_type = "application/problem+json", description = "letter_not_sent, letter_already_answered, letter_withdrawn, letter_expired"),
    (status = 412, body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json", description = "reason required"),
))]
#[post("/pairing-letters/{id}/decline")]
pub async fn decline_pairing_letter(
    state: web::Data<AppState>,
    who: Authenticated,
    req: HttpRequest,
    id: web::Path<Uuid>,
    body: web::Json<DeclinePairingLetterRequest>,
) -> Result<HttpResponse, ApiError> {
    let Reason(reason) = Reason::try_from(&*body)?;
    step(&state, &who, &req, *id, LetterAction::Decline, Some(reason)).await
}

/// Letters of the organisations the caller administers: the inbox (letters received, from
/// sending onwards), the outbox (drafts included), or both; newest first. A platform admin
/// without `organization_id` sees every sent letter.
#[utoipa::path(tag = "pairing", security(("bearer" = [])), params(PairingLetterQuery), responses(
    (status = 200, body = PairingLetterPage),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
#[get("/pairing-letters")]
pub async fn list_pairing_letters(
    state: web::Data<AppState>,
    who: Authenticated,
    q: web::Query<PairingLetterQuery>,
) -> Result<HttpResponse, ApiError> {
    let mut p = Problems::validate(&*q);
    let mailbox: Option<Mailbox> =
        p.closed_opt("mailbox", ProblemCode::UnknownMailbox, q.mailbox.as_deref());
    let status: Option<LetterStatus> =
        p.closed_opt("status", ProblemCode::UnknownStatus, q.status.as_deref());
    let before = uuid_cursor(&mut p, &q.cursor);
    p.finish()?;
    let orgs = match q.organization_id {
        Some(o) if who.administers(o) || who.is_platform_admin => Some(vec![o]),
        Some(_) => {
            return Err(ApiError::Forbidden(
                ProblemCode::NotYourOrganization,
                "letters are listed for an organisation the caller administers".into(),
            ))
        }
        None if who.is_platform_admin => None,
        None => Some(who.admin_of.clone()),
    };
    let limit = q.limit.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT);
    let mut f = LetterFilter {
        status,
        answer_days: state.settings.letter_answer_days,
        now: Some(state.clock.now()),
        before,
        limit,
        ..Default::default()
    };
    match &orgs {
        Some(o) => {
            if mailbox != Some(Mailbox::Inbox) {
                f.senders = Some(o.clone());
            }
            if mailbox != Some(Mailbox::Outbox) {
                f.recipients = Some(o.clone());
            }
        }
        None => f.hide_drafts = true,
    }
    let letters = state.store.list_pairing_letters(f).await?;
    let mut ids: Vec<Uuid> = letters
        .iter()
        .flat_map(|l| [l.sender_id, l.recipient_id])
        .collect();
    ids.sort();
    ids.dedup();
    let orgs_found = state.store.organizations_by_ids(&ids).await?;
    let map = parties(&state, &orgs_found).await?;
    let letter_ids: Vec<Uuid> = letters.iter().map(|l| l.id).collect();
    let pairings = state.store.pairings_of_letters(&letter_ids).await?;
    let next = next_cursor(&letters, limit, |l| l.id.to_string());
    let mut items = Vec::with_capacity(letters.len());
    for l in letters {
        let standing = Standing {
            sender: who.administers(l.sender_id),
            recipient: who.administers(l.recipient_id),
            above_sender: false,
            above_recipient: false,
            platform: who.is_platform_admin,
        };
        let pid = l.id;
        items.push(letter_view(&state, l, &standing, &map, pairings.get(&pid))?);
    }
    Ok(HttpResponse::Ok().json(PairingLetterPage {
        items,
        next_cursor: next,
    }))
}

/// A letter with its history (who did what, when). Drafts are seen by the sender only;
/// sent letters by both parties, the organisations above them and platform admins.
#[utoipa::path(tag = "pairing", security(("bearer" = [])), params(("id" = Uuid, Path)), responses(
    (status = 200, body = PairingLetterView, headers(("ETag" = String))),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json", description = "pairing_letter_not_found"),
))]
#[get("/pairing-letters/{id}")]
pub async fn get_pairing_letter(
    state: web::Data<AppState>,
    who: Authenticated,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let l = load_letter(&state, &who, *id).await?;
    let version = l.letter.version;
    Ok(with_etag(
        HttpResponse::Ok().json(full_view(&state, l).await?),
        version,
    ))
}

/// The letter as a formal Chinese document (title, addressee, body with the proposed
/// activities, the sender and date) and, once accepted, the pairing proof with its number.
#[utoipa::path(tag = "pairing", security(("bearer" = [])), params(("id" = Uuid, Path)), responses(
    (status = 200, content_type = "application/pdf", body = Vec<u8>, description = "A4 PDF"),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 503, body = Problem, content_type = "application/problem+json", description = "pdf_font_missing"),
))]
#[get("/pairing-letters/{id}/pdf")]
pub async fn get_pairing_letter_pdf(
    state: web::Data<AppState>,
    who: Authenticated,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let l = load_letter(&state, &who, *id).await?;
    let v = full_view(&state, l).await?;
    let name = match &v.pairing {
        Some(p) => format!("{}.pdf", p.proof_number),
        None => format!("pairing-letter-{}.pdf", v.id),
    };
    crate::pdf::respond(state.fonts.clone(), letter_layout(&v), &name).await
}

/// Pairings of an organisation, for its admins and the admins of every organisation above
/// it; with `include_descendants`, also those of the organisations below. Newest first.
#[utoipa::path(tag = "pairing", security(("bearer" = [])), params(PairingQuery), responses(
    (status = 200, body = PairingPage),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json", description = "organization_not_found"),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
#[get("/pairings")]
pub async fn list_pairings(
    state: web::Data<AppState>,
    who: Authenticated,
    q: web::Query<PairingQuery>,
) -> Result<HttpResponse, ApiError> {
    let mut p = Problems::validate(&*q);
    let status: Option<zhihui_domain::PairingState> =
        p.closed_opt("status", ProblemCode::UnknownStatus, q.status.as_deref());
    let before = uuid_cursor(&mut p, &q.cursor);
    p.finish()?;
    let roots = match q.organization_id {
        Some(id) => {
            let o = org(&state, id)
                .await?
                .ok_or(ApiError::NotFound(ProblemCode::OrganizationNotFound))?;
            let above = state
                .store
                .ancestors(&o)
                .await?
                .into_iter()
                .any(|a| who.administers(a));
            if !(who.administers(id) || above || who.is_platform_admin) {
                return Err(ApiError::Forbidden(
                    ProblemCode::NotInYourOversight,
                    "pairings are shown to the organisation's admins and those above it".into(),
                ));
            }
            Some(vec![id])
        }
        None if who.is_platform_admin => None,
        None => Some(who.admin_of.clone()),
    };
    let parties_filter = match roots {
        Some(r) if q.include_descendants => Some(state.store.subtree_ids(&r).await?),
        other => other,
    };
    let today = china_date(state.clock.now());
    let limit = q.limit.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT);
    let list = state
        .store
        .list_pairings(PairingFilter {
            parties: parties_filter,
            status,
            today: Some(today),
            before,
            limit,
        })
        .await?;
    let mut ids: Vec<Uuid> = list
        .iter()
        .flat_map(|p| [p.society_id, p.county_id])
        .collect();
    ids.sort();
    ids.dedup();
    let map = parties(&state, &state.store.organizations_by_ids(&ids).await?).await?;
    let next = next_cursor(&list, limit, |p| p.id.to_string());
    Ok(HttpResponse::Ok().json(PairingPage {
        items: list
            .into_iter()
            .map(|p| pairing_view(p, &map, today))
            .collect::<Result<_, _>>()?,
        next_cursor: next,
    }))
}

/// A pairing, for both parties, the organisations above them and platform admins.
#[utoipa::path(tag = "pairing", security(("bearer" = [])), params(("id" = Uuid, Path)), responses(
    (status = 200, body = PairingView),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json", description = "pairing_not_found"),
))]
#[get("/pairings/{id}")]
pub async fn get_pairing(
    state: web::Data<AppState>,
    who: Authenticated,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let not_found = || ApiError::NotFound(ProblemCode::PairingNotFound);
    let p = state.store.get_pairing(*id).await?.ok_or_else(not_found)?;
    let society = org(&state, p.society_id).await?.ok_or_else(not_found)?;
    let county = org(&state, p.county_id).await?.ok_or_else(not_found)?;
    if !Standing::of(&state, &who, &society, &county)
        .await?
        .sees_pairing()
    {
        return Err(not_found());
    }
    let map = parties(&state, &[society, county]).await?;
    let today = china_date(state.clock.now());
    Ok(HttpResponse::Ok().json(pairing_view(p, &map, today)?))
}
