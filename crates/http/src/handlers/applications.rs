//! Programme calls and funding applications with endorsement, review and decision
//! (项目申报), rules 32-38.

use std::collections::HashMap;
use zhihui_domain::ProblemCode;

use actix_multipart::Multipart;
use actix_web::{get, post, put, web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use zhihui_contract::applications::{
    ApplicationEventView, ApplicationExportQuery, ApplicationHistory, ApplicationPage,
    ApplicationQuery, ApplicationSummaryView, ApplicationView, AssignReviewersRequest,
    AttachmentUpload, AttachmentView, BudgetLine, CallPage, CallQuery, CallView, ContactInput,
    ContactView, CreateApplicationRequest, CreateCallRequest, Criterion, DecisionRequest,
    DeclineEndorsementRequest, EndorseRequest, ProjectSummaryRequest, ReviewView, ReviewerView,
    Score, SubmitReviewRequest, UpdateApplicationRequest, UpdateCallRequest,
};
use zhihui_contract::pairing::{PairingRef, ProposedActivity};
use zhihui_contract::{FieldProblem, Problem, DEFAULT_LIMIT, MAX_LIMIT};
use zhihui_domain::application::{
    action_starts_from, allowed_actions, average, check_submission, province_of, summary_late,
    weighted_score, PairingFact, Submission,
};
use zhihui_domain::{
    ApplicationAction, ApplicationEvent, ApplicationRoles, ApplicationStatus, CallState, Decision,
    MobilePhone, OrganizationCategory, OrganizationStatus,
};
use zhihui_persistence::entities::{application, call, organization};
use zhihui_persistence::{
    ApplicationContent, ApplicationFilter, Apply, CallContent, Change, ReviewInput, Scope,
};

use super::{
    actor, expected_version, keep_upload, next_cursor, read_upload, serve_kept, uuid_cursor,
    with_etag,
};
use crate::auth::Authenticated;
use crate::clock::china_date;
use crate::error::ApiError;
use crate::export::{self, Cell};
use crate::lookups::{parties, party_of};
use crate::state::AppState;
use crate::validation::Problems;

/// A contact as stored: the phone encrypted, and its masked form.
#[derive(Serialize, Deserialize)]
struct StoredContact {
    name: String,
    role: String,
    phone_enc: String,
    phone_masked: String,
}

fn platform_only(who: &Authenticated) -> Result<(), ApiError> {
    if who.is_platform_admin {
        Ok(())
    } else {
        Err(ApiError::Forbidden(
            ProblemCode::PlatformAdminOnly,
            "only platform admins manage calls and decisions".into(),
        ))
    }
}

fn call_state(c: &call::Model, now: DateTime<Utc>) -> CallState {
    CallState::at(now, c.opens_at, c.closes_at)
}

fn call_view(c: call::Model, now: DateTime<Utc>) -> CallView {
    CallView {
        id: c.id,
        state: call_state(&c, now),
        eligible_categories: serde_json::from_str(&c.eligible_categories).unwrap_or_default(),
        criteria: serde_json::from_str(&c.criteria).unwrap_or_default(),
        programme: c.programme,
        sub_project: c.sub_project,
        year: c.year,
        opens_at: c.opens_at,
        closes_at: c.closes_at,
        form_variant: *c.form_variant,
        cap_fen: c.cap_fen,
        pairing_required: c.pairing_required,
        endorsement_required: c.endorsement_required,
        province_quota: c.province_quota,
        summary_due: c.summary_due,
        version: c.version,
    }
}

/// The checked settings of a call.
struct CallFields<'a> {
    opens_at: DateTime<Utc>,
    closes_at: DateTime<Utc>,
    eligible: &'a [String],
    criteria: &'a [Criterion],
    summary_due: chrono::NaiveDate,
}

fn check_call(p: &mut Problems, f: &CallFields<'_>) {
    if f.closes_at <= f.opens_at {
        p.push(
            "closes_at",
            ProblemCode::ClosesBeforeOpening,
            "a call closes after it opens",
        );
    }
    for (i, c) in f.eligible.iter().enumerate() {
        if OrganizationCategory::parse(c).is_none() {
            p.push(
                &format!("eligible_categories[{i}]"),
                ProblemCode::UnknownCategory,
                "not a known organisation category",
            );
        }
    }
    let mut names: Vec<&str> = f.criteria.iter().map(|c| c.name.trim()).collect();
    names.sort();
    names.dedup();
    if names.len() != f.criteria.len() {
        p.push(
            "criteria",
            ProblemCode::DuplicateCriterion,
            "each criterion has its own name",
        );
    }
    if f.summary_due < china_date(f.closes_at) {
        p.push(
            "summary_due",
            ProblemCode::DueBeforeClosing,
            "summaries fall due after the call closes",
        );
    }
}

fn attachment_view(a: zhihui_persistence::entities::attachment::Model) -> AttachmentView {
    AttachmentView {
        id: a.id,
        file_name: a.file_name,
        media_type: a.media_type,
        size: a.size,
        sha256: a.sha256,
        uploaded_at: a.uploaded_at,
    }
}

fn to_json<T: Serialize>(v: &T) -> Result<String, ApiError> {
    serde_json::to_string(v).map_err(|e| ApiError::Internal(e.to_string()))
}

/// Publishes a call (platform admins).
#[utoipa::path(tag = "applications", security(("bearer" = [])), request_body = CreateCallRequest, responses(
    (status = 201, body = CallView, headers(("ETag" = String))),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
#[post("/calls")]
pub async fn create_call(
    state: web::Data<AppState>,
    who: Authenticated,
    body: web::Json<CreateCallRequest>,
) -> Result<HttpResponse, ApiError> {
    platform_only(&who)?;
    let mut p = Problems::validate(&*body);
    check_call(
        &mut p,
        &CallFields {
            opens_at: body.opens_at,
            closes_at: body.closes_at,
            eligible: &body.eligible_categories,
            criteria: &body.criteria,
            summary_due: body.summary_due,
        },
    );
    let form_variant = p.closed(
        "form_variant",
        ProblemCode::UnknownFormVariant,
        &body.form_variant,
    );
    p.finish()?;
    let form_variant =
        form_variant.ok_or_else(|| ApiError::Internal("form variant missing".into()))?;
    let now = state.clock.now();
    let c = state
        .store
        .create_call(
            CallContent {
                programme: body.programme.trim().to_string(),
                sub_project: body.sub_project.trim().to_string(),
                year: body.year,
                opens_at: body.opens_at,
                closes_at: body.closes_at,
                eligible_categories: to_json(&body.eligible_categories)?,
                form_variant,
                cap_fen: body.cap_fen,
                pairing_required: body.pairing_required,
                endorsement_required: body.endorsement_required,
                province_quota: body.province_quota.unwrap_or(1),
                summary_due: body.summary_due,
                criteria: to_json(&body.criteria)?,
            },
            who.account_id,
            now,
        )
        .await?;
    let v = c.version;
    Ok(with_etag(
        super::created(format!("/calls/{}", c.id)).json(call_view(c, now)),
        v,
    ))
}

async fn load_call(state: &AppState, id: Uuid) -> Result<call::Model, ApiError> {
    state
        .store
        .get_call(id)
        .await?
        .ok_or(ApiError::NotFound(ProblemCode::CallNotFound))
}

/// Changes a call (platform admins); `If-Match` guards against overwriting (412).
#[utoipa::path(tag = "applications", security(("bearer" = [])), params(("id" = Uuid, Path), ("If-Match" = Option<String>, Header, description = "ETag of the version read")), request_body = UpdateCallRequest, responses(
    (status = 200, body = CallView, headers(("ETag" = String))),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 412, body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
#[put("/calls/{id}")]
pub async fn update_call(
    state: web::Data<AppState>,
    who: Authenticated,
    req: HttpRequest,
    id: web::Path<Uuid>,
    body: web::Json<UpdateCallRequest>,
) -> Result<HttpResponse, ApiError> {
    platform_only(&who)?;
    let cur = load_call(&state, *id).await?;
    let expected = expected_version(&req)?;
    let eligible: Vec<String> = match &body.eligible_categories {
        Some(e) => e.clone(),
        None => serde_json::from_str(&cur.eligible_categories).unwrap_or_default(),
    };
    let criteria: Vec<Criterion> = match &body.criteria {
        Some(c) => c.clone(),
        None => serde_json::from_str(&cur.criteria).unwrap_or_default(),
    };
    let mut p = Problems::validate(&*body);
    let form_variant = p.closed_opt(
        "form_variant",
        ProblemCode::UnknownFormVariant,
        body.form_variant.as_deref(),
    );
    let c = CallContent {
        programme: body
            .programme
            .as_deref()
            .map(|s| s.trim().to_string())
            .unwrap_or(cur.programme.clone()),
        sub_project: body
            .sub_project
            .as_deref()
            .map(|s| s.trim().to_string())
            .unwrap_or(cur.sub_project.clone()),
        year: body.year.unwrap_or(cur.year),
        opens_at: body.opens_at.unwrap_or(cur.opens_at),
        closes_at: body.closes_at.unwrap_or(cur.closes_at),
        eligible_categories: to_json(&eligible)?,
        form_variant: form_variant.unwrap_or(*cur.form_variant),
        cap_fen: body.cap_fen.unwrap_or(cur.cap_fen),
        pairing_required: body.pairing_required.unwrap_or(cur.pairing_required),
        endorsement_required: body
            .endorsement_required
            .unwrap_or(cur.endorsement_required),
        province_quota: body.province_quota.unwrap_or(cur.province_quota),
        summary_due: body.summary_due.unwrap_or(cur.summary_due),
        criteria: to_json(&criteria)?,
    };
    check_call(
        &mut p,
        &CallFields {
            opens_at: c.opens_at,
            closes_at: c.closes_at,
            eligible: &eligible,
            criteria: &criteria,
            summary_due: c.summary_due,
        },
    );
    p.finish()?;
    let now = state.clock.now();
    let out = state.store.update_call(cur.id, expected, c, now).await?;
    let v = out.version;
    Ok(with_etag(HttpResponse::Ok().json(call_view(out, now)), v))
}

/// Calls, open ones first (closing soonest first), then upcoming, then closed. Public.
#[utoipa::path(tag = "applications", params(CallQuery), responses(
    (status = 200, body = CallPage),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
#[get("/calls")]
pub async fn list_calls(
    state: web::Data<AppState>,
    q: web::Query<CallQuery>,
) -> Result<HttpResponse, ApiError> {
    let mut p = Problems::validate(&*q);
    let after = super::uuid_cursor(&mut p, &q.cursor);
    p.finish()?;
    let limit = usize::try_from(q.limit.unwrap_or(DEFAULT_LIMIT)).unwrap_or(usize::MAX);
    let now = state.clock.now();
    let mut calls = state.store.list_calls(q.year).await?;
    let rank = |c: &call::Model| call_state(c, now).listing_rank();
    calls.sort_by(|a, b| {
        rank(a).cmp(&rank(b)).then_with(|| match rank(a) {
            0 => a.closes_at.cmp(&b.closes_at),
            1 => a.opens_at.cmp(&b.opens_at),
            _ => b.closes_at.cmp(&a.closes_at),
        })
    });
    // The cursor is the last call of the previous page; the page goes on after it in
    // today's order (a call that moved meanwhile, say from upcoming to open, may be met
    // twice or missed once).
    let start = after
        .and_then(|a| calls.iter().position(|c| c.id == a))
        .map_or(0, |i| i + 1);
    let page: Vec<call::Model> = calls.into_iter().skip(start).take(limit + 1).collect();
    let more = page.len() > limit;
    let items: Vec<CallView> = page
        .into_iter()
        .take(limit)
        .map(|c| call_view(c, now))
        .collect();
    let next_cursor = more
        .then(|| items.last().map(|c| c.id.to_string()))
        .flatten();
    Ok(HttpResponse::Ok().json(CallPage { items, next_cursor }))
}

/// One call. Public.
#[utoipa::path(tag = "applications", params(("id" = Uuid, Path)), responses(
    (status = 200, body = CallView, headers(("ETag" = String))),
    (status = 404, body = Problem, content_type = "application/problem+json", description = "call_not_found"),
))]
#[get("/calls/{id}")]
pub async fn get_call(
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let c = load_call(&state, *id).await?;
    let v = c.version;
    Ok(with_etag(
        HttpResponse::Ok().json(call_view(c, state.clock.now())),
        v,
    ))
}

/// How the caller stands towards an application.
/// Who the caller is to the application (the domain's roles).
type Standing = ApplicationRoles;

/// Whether the caller may see the application: its applicant's admins, the platform, its
/// reviewers, and the province's association once it is submitted.
fn sees(s: &Standing, a: &application::Model) -> bool {
    s.applicant || s.platform || s.reviewer || (s.province && a.submitted_at.is_some())
}

/// Provinces whose provincial association the caller administers.
async fn association_provinces(
    state: &AppState,
    who: &Authenticated,
) -> Result<Vec<String>, ApiError> {
    Ok(state
        .store
        .organizations_by_ids(&who.admin_of)
        .await?
        .into_iter()
        .filter(|o| {
            o.category == OrganizationCategory::ProvincialAssociation
                && o.status == OrganizationStatus::Approved
        })
        .map(|o| province_of(&o.region_code))
        .collect())
}

struct Loaded {
    app: application::Model,
    call: call::Model,
    standing: Standing,
}

async fn load(state: &AppState, who: &Authenticated, id: Uuid) -> Result<Loaded, ApiError> {
    let not_found = || ApiError::NotFound(ProblemCode::ApplicationNotFound);
    let app = state
        .store
        .get_application(id)
        .await?
        .ok_or_else(not_found)?;
    let reviewers = state.store.reviewers_of(app.id).await?;
    let standing = Standing {
        applicant: who.administers(app.applicant_id),
        province: association_provinces(state, who)
            .await?
            .contains(&app.province_code),
        reviewer: reviewers.iter().any(|r| r.reviewer_id == who.account_id),
        platform: who.is_platform_admin,
    };
    if !sees(&standing, &app) {
        return Err(not_found());
    }
    let call = load_call(state, app.call_id).await?;
    Ok(Loaded {
        app,
        call,
        standing,
    })
}

/// The states an action may start from (the domain's state machine, for this call).
fn starts_from(action: ApplicationAction, c: &call::Model) -> &'static [ApplicationStatus] {
    action_starts_from(action, c.endorsement_required)
}

fn review_view(
    r: zhihui_persistence::entities::review::Model,
    i: usize,
    names: &HashMap<Uuid, String>,
    identified: bool,
) -> ReviewView {
    ReviewView {
        reviewer_id: identified.then_some(r.reviewer_id),
        reviewer_name: identified.then(|| names.get(&r.reviewer_id).cloned().unwrap_or_default()),
        label: format!("评审专家{}", i + 1),
        scores: serde_json::from_str(&r.scores).unwrap_or_default(),
        weighted_score: f64::from(r.weighted_hundredths) / 100.0,
        comment: r.comment,
        submitted_at: r.submitted_at,
        updated_at: r.updated_at,
    }
}

async fn account_names(state: &AppState, ids: &[Uuid]) -> Result<HashMap<Uuid, String>, ApiError> {
    let mut out = HashMap::new();
    for id in ids {
        if let Some(a) = state.store.get_account(*id).await? {
            out.insert(*id, a.display_name);
        }
    }
    Ok(out)
}

async fn full_view(
    state: &AppState,
    who: &Authenticated,
    l: Loaded,
) -> Result<ApplicationView, ApiError> {
    let Loaded {
        app,
        call,
        standing,
    } = l;
    let mut ids = vec![app.applicant_id];
    ids.extend(app.provincial_partner_id);
    let orgs = state.store.organizations_by_ids(&ids).await?;
    let map = parties(state, &orgs).await?;
    let pairing = match app.pairing_id {
        Some(p) => state.store.get_pairing(p).await?.map(|p| PairingRef {
            id: p.id,
            proof_number: p.proof_number,
        }),
        None => None,
    };
    let full_phones = standing.applicant || standing.platform;
    let stored: Vec<StoredContact> = serde_json::from_str(&app.contacts).unwrap_or_default();
    let mut contacts = Vec::with_capacity(stored.len());
    for c in stored {
        contacts.push(ContactView {
            phone: if full_phones {
                state.store.decrypt(&c.phone_enc)?
            } else {
                c.phone_masked
            },
            name: c.name,
            role: c.role,
        });
    }
    let attachments = state
        .store
        .attachments_of(app.id)
        .await?
        .into_iter()
        .map(attachment_view)
        .collect();
    let decided = app.status.is_decided();
    let all_reviews = state.store.reviews_of(app.id).await?;
    let assigned = state.store.reviewers_of(app.id).await?;
    let reviewer_ids: Vec<Uuid> = assigned.iter().map(|r| r.reviewer_id).collect();
    let names = if standing.platform {
        account_names(state, &reviewer_ids).await?
    } else {
        HashMap::new()
    };
    let avg = average(
        &all_reviews
            .iter()
            .map(|r| f64::from(r.weighted_hundredths) / 100.0)
            .collect::<Vec<_>>(),
    );
    let (reviews, review_average) = if standing.platform {
        let v = all_reviews
            .iter()
            .cloned()
            .enumerate()
            .map(|(i, r)| review_view(r, i, &names, true))
            .collect();
        (Some(v), avg)
    } else if standing.reviewer {
        let mine = all_reviews
            .iter()
            .cloned()
            .enumerate()
            .filter(|(_, r)| r.reviewer_id == who.account_id)
            .map(|(i, r)| review_view(r, i, &names, true))
            .collect();
        (Some(mine), None)
    } else if standing.applicant && decided {
        let v = all_reviews
            .iter()
            .cloned()
            .enumerate()
            .map(|(i, r)| review_view(r, i, &names, false))
            .collect();
        (Some(v), avg)
    } else {
        (None, None)
    };
    let reviewers = standing.platform.then(|| {
        assigned
            .iter()
            .map(|r| ReviewerView {
                reviewer_id: r.reviewer_id,
                name: names.get(&r.reviewer_id).cloned().unwrap_or_default(),
                assigned_at: r.assigned_at,
                reviewed: all_reviews.iter().any(|x| x.reviewer_id == r.reviewer_id),
            })
            .collect()
    });
    let allowed_actions = allowed_actions(*app.status, call.endorsement_required, standing);
    Ok(ApplicationView {
        id: app.id,
        call_id: app.call_id,
        call_title: format!("{} · {}", call.programme, call.sub_project),
        applicant: party_of(&map, app.applicant_id)?,
        province_code: app.province_code,
        title: app.title,
        summary: app.summary,
        objectives: app.objectives,
        activities: serde_json::from_str(&app.activities).unwrap_or_default(),
        budget: serde_json::from_str(&app.budget).unwrap_or_default(),
        requested_fen: app.requested_fen,
        pairing,
        provincial_partner: app
            .provincial_partner_id
            .map(|p| party_of(&map, p))
            .transpose()?,
        provincial_partner_role: app.provincial_partner_role,
        contacts,
        status: *app.status,
        return_reason: app.return_reason,
        revision_deadline: app.revision_deadline,
        submitted_at: app.submitted_at,
        endorsed_at: app.endorsed_at,
        endorsement_note: app.endorsement_note,
        decided_at: app.decided_at,
        decision_reason: app.decision_reason,
        granted_fen: app.granted_fen,
        summary_text: app.summary_text,
        summary_submitted_at: app.summary_submitted_at,
        summary_late: app.summary_late,
        attachments,
        review_average,
        reviews,
        reviewers,
        allowed_actions,
        created_at: app.created_at,
        updated_at: app.updated_at,
        version: app.version,
    })
}

async fn respond(
    state: &AppState,
    who: &Authenticated,
    id: Uuid,
    created: bool,
) -> Result<HttpResponse, ApiError> {
    let l = load(state, who, id).await?;
    let v = l.app.version;
    let view = full_view(state, who, l).await?;
    let res = if created {
        super::created(format!("/applications/{id}")).json(view)
    } else {
        HttpResponse::Ok().json(view)
    };
    Ok(with_etag(res, v))
}

/// The draft's content as the caller wrote it (merged with the stored draft on update).
struct Draft {
    title: String,
    summary: String,
    objectives: String,
    activities: Vec<ProposedActivity>,
    budget: Vec<BudgetLine>,
    requested_fen: i64,
    pairing_proof: Option<String>,
    provincial_partner_id: Option<Uuid>,
    provincial_partner_role: Option<String>,
    contacts: Option<Vec<ContactInput>>,
}

/// Checks what can be checked while drafting and builds the stored content. Contacts left
/// out keep `kept_contacts`.
async fn build_content(
    state: &AppState,
    p: &mut Problems,
    applicant: &organization::Model,
    d: Draft,
    kept_contacts: Option<String>,
) -> Result<Option<ApplicationContent>, ApiError> {
    for (i, a) in d.activities.iter().enumerate() {
        if chrono::NaiveDate::parse_from_str(&format!("{}-01", a.month.trim()), "%Y-%m-%d").is_err()
        {
            p.push(
                &format!("activities[{i}].month"),
                ProblemCode::InvalidMonth,
                "a month is written YYYY-MM",
            );
        }
    }
    let pairing_id = match d.pairing_proof.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(proof) => match state.store.pairing_by_proof(proof).await? {
            Some(pr) if pr.society_id == applicant.id || pr.county_id == applicant.id => {
                Some(pr.id)
            }
            _ => {
                p.push(
                    "pairing_proof",
                    ProblemCode::PairingNotFound,
                    "no accepted pairing of the applicant has this proof number",
                );
                None
            }
        },
    };
    if let Some(partner) = d.provincial_partner_id {
        let ok = state
            .store
            .get_organization(partner)
            .await?
            .is_some_and(|o| {
                o.category == OrganizationCategory::ProvincialSociety
                    && o.status == OrganizationStatus::Approved
            });
        if !ok {
            p.push(
                "provincial_partner_id",
                ProblemCode::NotAProvincialSociety,
                "the partner is an approved provincial society",
            );
        }
    }
    let contacts = match d.contacts {
        Some(list) => {
            let mut out = vec![];
            for (i, c) in list.iter().enumerate() {
                if let Some(phone) = p.parse(
                    &format!("contacts[{i}].phone"),
                    MobilePhone::parse(&c.phone),
                ) {
                    out.push(StoredContact {
                        name: c.name.trim().to_string(),
                        role: c.role.trim().to_string(),
                        phone_enc: state.store.encrypt(phone.as_str()),
                        phone_masked: phone.masked(),
                    });
                }
            }
            Some(to_json(&out)?)
        }
        None => kept_contacts,
    };
    if !p.0.is_empty() {
        return Ok(None);
    }
    Ok(Some(ApplicationContent {
        title: d.title.trim().to_string(),
        summary: d.summary.trim().to_string(),
        objectives: d.objectives.trim().to_string(),
        activities: to_json(&d.activities)?,
        budget: to_json(&d.budget)?,
        requested_fen: d.requested_fen,
        pairing_id,
        provincial_partner_id: d.provincial_partner_id,
        provincial_partner_role: d.provincial_partner_role.map(|r| r.trim().to_string()),
        contacts: contacts.unwrap_or_else(|| "[]".into()),
    }))
}

/// Drafts an application of an approved organisation the caller administers. One per
/// organisation and call (409 `application_exists`). The rules of the call are checked on
/// submission.
#[utoipa::path(tag = "applications", security(("bearer" = [])), request_body = CreateApplicationRequest, responses(
    (status = 201, body = ApplicationView, headers(("ETag" = String))),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json", description = "call_not_found, organization_not_found"),
    (status = 409, body = Problem, content_type = "application/problem+json", description = "application_exists, organization_not_approved"),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
#[post("/applications")]
pub async fn create_application(
    state: web::Data<AppState>,
    who: Authenticated,
    body: web::Json<CreateApplicationRequest>,
) -> Result<HttpResponse, ApiError> {
    let call = load_call(&state, body.call_id).await?;
    let applicant = state
        .store
        .get_organization(body.applicant_id)
        .await?
        .filter(|o| who.administers(o.id) || o.status == OrganizationStatus::Approved)
        .ok_or(ApiError::NotFound(ProblemCode::OrganizationNotFound))?;
    if !who.administers(applicant.id) {
        return Err(ApiError::Forbidden(
            ProblemCode::NotYourOrganization,
            "only the organisation's own admins write its applications".into(),
        ));
    }
    if applicant.status != OrganizationStatus::Approved {
        return Err(ApiError::Conflict {
            code: ProblemCode::OrganizationNotApproved,
            message: "the organisation applies once it is approved".into(),
        });
    }
    let mut p = Problems::validate(&*body);
    let content = build_content(
        &state,
        &mut p,
        &applicant,
        Draft {
            title: body.title.clone(),
            summary: body.summary.clone(),
            objectives: body.objectives.clone(),
            activities: body.activities.clone(),
            budget: body.budget.clone(),
            requested_fen: body.requested_fen,
            pairing_proof: body.pairing_proof.clone(),
            provincial_partner_id: body.provincial_partner_id,
            provincial_partner_role: body.provincial_partner_role.clone(),
            contacts: Some(body.contacts.clone()),
        },
        None,
    )
    .await?;
    p.finish()?;
    let content = content.ok_or_else(|| ApiError::Internal("application content".into()))?;
    let a = state
        .store
        .create_application(
            call.id,
            applicant.id,
            province_of(&applicant.region_code),
            content,
            &actor(&state, &who).await?,
            state.clock.now(),
        )
        .await?;
    respond(&state, &who, a.id, true).await
}

/// Changes a draft (also one returned for revision). `If-Match` guards against overwriting.
#[utoipa::path(tag = "applications", security(("bearer" = [])), params(("id" = Uuid, Path), ("If-Match" = Option<String>, Header, description = "ETag of the version read")), request_body = UpdateApplicationRequest, responses(
    (status = 200, body = ApplicationView, headers(("ETag" = String))),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 409, body = Problem, content_type = "application/problem+json", description = "application_status"),
    (status = 412, body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
#[put("/applications/{id:[0-9a-fA-F-]+}")]
pub async fn update_application(
    state: web::Data<AppState>,
    who: Authenticated,
    req: HttpRequest,
    id: web::Path<Uuid>,
    body: web::Json<UpdateApplicationRequest>,
) -> Result<HttpResponse, ApiError> {
    let l = load(&state, &who, *id).await?;
    if !l.standing.applicant {
        return Err(ApiError::Forbidden(
            ProblemCode::NotYourOrganization,
            "only the applicant's admins change an application".into(),
        ));
    }
    let expected = expected_version(&req)?;
    let cur = &l.app;
    let applicant = state
        .store
        .get_organization(cur.applicant_id)
        .await?
        .ok_or(ApiError::NotFound(ProblemCode::OrganizationNotFound))?;
    let current_proof = match cur.pairing_id {
        Some(pid) => state.store.get_pairing(pid).await?.map(|p| p.proof_number),
        None => None,
    };
    let mut p = Problems::validate(&*body);
    let content = build_content(
        &state,
        &mut p,
        &applicant,
        Draft {
            title: body.title.clone().unwrap_or(cur.title.clone()),
            summary: body.summary.clone().unwrap_or(cur.summary.clone()),
            objectives: body.objectives.clone().unwrap_or(cur.objectives.clone()),
            activities: match &body.activities {
                Some(a) => a.clone(),
                None => serde_json::from_str(&cur.activities).unwrap_or_default(),
            },
            budget: match &body.budget {
                Some(b) => b.clone(),
                None => serde_json::from_str(&cur.budget).unwrap_or_default(),
            },
            requested_fen: body.requested_fen.unwrap_or(cur.requested_fen),
            pairing_proof: body.pairing_proof.clone().or(current_proof),
            provincial_partner_id: body.provincial_partner_id.or(cur.provincial_partner_id),
            provincial_partner_role: body
                .provincial_partner_role
                .clone()
                .or(cur.provincial_partner_role.clone()),
            contacts: body.contacts.clone(),
        },
        Some(cur.contacts.clone()),
    )
    .await?;
    p.finish()?;
    let c = content.ok_or_else(|| ApiError::Internal("application content".into()))?;
    state
        .store
        .change_application(
            cur.id,
            Change {
                from: &[ApplicationStatus::Draft],
                expected_version: expected,
                action: ApplicationEvent::Updated,
                note: None,
                now: state.clock.now(),
            },
            &actor(&state, &who).await?,
            Apply::Content(c),
        )
        .await?;
    respond(&state, &who, cur.id, false).await
}

/// Attaches a file to a draft (the scanned, stamped form and supporting documents): PDF,
/// JPEG or PNG as told by the content, at most `max_upload_bytes`. Files are kept by their
/// SHA-256 under the data directory; downloads go to those who see the application.
#[utoipa::path(tag = "applications", security(("bearer" = [])), params(("id" = Uuid, Path)),
    request_body(content = AttachmentUpload, content_type = "multipart/form-data"), responses(
    (status = 201, body = AttachmentView),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 409, body = Problem, content_type = "application/problem+json", description = "application_status"),
    (status = 422, body = Problem, content_type = "application/problem+json", description = "unsupported_file_type, file_too_large, required"),
))]
#[post("/applications/{id}/attachments")]
pub async fn upload_application_attachment(
    state: web::Data<AppState>,
    who: Authenticated,
    id: web::Path<Uuid>,
    mut payload: Multipart,
) -> Result<HttpResponse, ApiError> {
    let l = load(&state, &who, *id).await?;
    if !l.standing.applicant {
        return Err(ApiError::Forbidden(
            ProblemCode::NotYourOrganization,
            "only the applicant's admins attach files".into(),
        ));
    }
    let (name, bytes) = read_upload(&mut payload, state.settings.max_upload_bytes).await?;
    let file = keep_upload(
        &state,
        name,
        &bytes,
        &["application/pdf", "image/jpeg", "image/png"],
        "attach a PDF, JPEG or PNG file",
    )
    .await?;
    let a = state
        .store
        .add_attachment(
            l.app.id,
            file,
            &actor(&state, &who).await?,
            state.clock.now(),
        )
        .await?;
    Ok(
        super::created(format!("/applications/{}/attachments/{}", l.app.id, a.id))
            .json(attachment_view(a)),
    )
}

/// Downloads an attachment (those who see the application).
#[utoipa::path(tag = "applications", security(("bearer" = [])), params(("id" = Uuid, Path), ("attachment_id" = Uuid, Path)), responses(
    (status = 200, description = "The file", content(
        (Vec<u8> = "application/pdf"), (Vec<u8> = "image/jpeg"), (Vec<u8> = "image/png")
    )),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
))]
#[get("/applications/{id}/attachments/{attachment_id}")]
pub async fn get_application_attachment(
    state: web::Data<AppState>,
    who: Authenticated,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (id, attachment_id) = path.into_inner();
    let l = load(&state, &who, id).await?;
    let a = state
        .store
        .get_attachment(attachment_id)
        .await?
        .filter(|a| a.application_id == l.app.id)
        .ok_or(ApiError::NotFound(ProblemCode::AttachmentNotFound))?;
    serve_kept(&state, &a.sha256, a.media_type, Some(&a.file_name)).await
}

/// Submits a draft. Every rule of the call is checked and every broken one named with its
/// own code: `call_not_open`, `call_closed`, `ineligible_category`, `above_cap`,
/// `amount_required`, `budget_mismatch`, `pairing_required`, `pairing_not_found`,
/// `pairing_ended`, `provincial_partner_required`, `provincial_partner_region`,
/// `attachment_required`. A double-clicked submit submits once (the second gets 409).
#[utoipa::path(tag = "applications", security(("bearer" = [])), params(("id" = Uuid, Path), ("If-Match" = Option<String>, Header, description = "ETag of the version read")), responses(
    (status = 200, body = ApplicationView, headers(("ETag" = String))),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 409, body = Problem, content_type = "application/problem+json", description = "application_status"),
    (status = 412, body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json", description = "the rules of the call that the application breaks"),
))]
#[post("/applications/{id}/submit")]
pub async fn submit_application(
    state: web::Data<AppState>,
    who: Authenticated,
    req: HttpRequest,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let l = load(&state, &who, *id).await?;
    if !l.standing.applicant {
        return Err(ApiError::Forbidden(
            ProblemCode::NotYourOrganization,
            "only the applicant's admins submit an application".into(),
        ));
    }
    let (app, call) = (&l.app, &l.call);
    let now = state.clock.now();
    let today = china_date(now);
    let applicant = state
        .store
        .get_organization(app.applicant_id)
        .await?
        .ok_or(ApiError::NotFound(ProblemCode::OrganizationNotFound))?;
    let applicant_cat =
        Some(*applicant.category).ok_or_else(|| ApiError::Internal("stored category".into()))?;
    let pairing = match app.pairing_id {
        Some(pid) => state.store.get_pairing(pid).await?,
        None => None,
    };
    let pairing_fact = match (&app.pairing_id, &pairing) {
        (None, _) => PairingFact::None,
        (Some(_), None) => PairingFact::NotTheApplicants,
        (Some(_), Some(p)) if p.society_id != applicant.id && p.county_id != applicant.id => {
            PairingFact::NotTheApplicants
        }
        (Some(_), Some(p)) if p.period_to < today => PairingFact::Ended,
        _ => PairingFact::Valid,
    };
    let provincial_partner = match app.provincial_partner_id {
        None => None,
        Some(pid) => {
            let partner = state.store.get_organization(pid).await?;
            let county_province = match &pairing {
                Some(p) => state
                    .store
                    .get_organization(p.county_id)
                    .await?
                    .map(|c| province_of(&c.region_code)),
                None => None,
            };
            Some(partner.is_some_and(|o| {
                o.category == OrganizationCategory::ProvincialSociety
                    && county_province
                        .as_deref()
                        .is_none_or(|cp| province_of(&o.region_code) == cp)
            }))
        }
    };
    let budget: Vec<BudgetLine> = serde_json::from_str(&app.budget).unwrap_or_default();
    let eligible: Vec<String> = serde_json::from_str(&call.eligible_categories).unwrap_or_default();
    let mut problems: Vec<FieldProblem> = check_submission(&Submission {
        now,
        opens_at: call.opens_at,
        closes_at: call.closes_at,
        revision_deadline: app.revision_deadline,
        eligible: eligible
            .iter()
            .filter_map(|c| OrganizationCategory::parse(c))
            .collect(),
        applicant: applicant_cat,
        cap_fen: call.cap_fen,
        requested_fen: app.requested_fen,
        budget_fen: budget.iter().map(|b| b.amount_fen).collect(),
        pairing_required: call.pairing_required,
        pairing: pairing_fact,
        provincial_partner,
    })
    .into_iter()
    .map(|p| FieldProblem {
        field: p.field.into(),
        code: p.code,
        message: p.message,
    })
    .collect();
    if state.store.attachments_of(app.id).await?.is_empty() {
        problems.push(FieldProblem {
            field: "attachments".into(),
            code: ProblemCode::AttachmentRequired,
            message: "attach the stamped application form".into(),
        });
    }
    if app.status != ApplicationStatus::Draft {
        // A second click: say so plainly rather than listing rules.
        problems.clear();
    }
    if !problems.is_empty() {
        return Err(ApiError::Validation(problems));
    }
    let action = ApplicationEvent::submission(app.return_reason.is_some());
    state
        .store
        .change_application(
            app.id,
            Change {
                from: starts_from(ApplicationAction::Submit, call),
                expected_version: expected_version(&req)?,
                action,
                note: None,
                now,
            },
            &actor(&state, &who).await?,
            Apply::Submit,
        )
        .await?;
    respond(&state, &who, app.id, false).await
}

fn require_province(l: &Loaded) -> Result<(), ApiError> {
    if !l.standing.province {
        return Err(ApiError::Forbidden(
            ProblemCode::EndorserOnly,
            "endorsement belongs to the provincial association of the applicant's province".into(),
        ));
    }
    if !l.call.endorsement_required {
        return Err(ApiError::Conflict {
            code: ProblemCode::EndorsementNotRequired,
            message: "this call does not ask for endorsements".into(),
        });
    }
    Ok(())
}

/// Endorses a submitted application (the provincial association of the applicant's
/// province), within the call's per-province quota even when endorsements race.
#[utoipa::path(tag = "applications", security(("bearer" = [])), params(("id" = Uuid, Path)), request_body = EndorseRequest, responses(
    (status = 200, body = ApplicationView, headers(("ETag" = String))),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 409, body = Problem, content_type = "application/problem+json", description = "endorsement_quota_reached, endorsement_not_required, application_status"),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
#[post("/applications/{id}/endorse")]
pub async fn endorse_application(
    state: web::Data<AppState>,
    who: Authenticated,
    id: web::Path<Uuid>,
    body: web::Json<EndorseRequest>,
) -> Result<HttpResponse, ApiError> {
    Problems::validate(&*body).finish()?;
    let l = load(&state, &who, *id).await?;
    require_province(&l)?;
    state
        .store
        .endorse_application(
            l.app.id,
            i64::from(l.call.province_quota),
            Change {
                from: starts_from(ApplicationAction::Endorse, &l.call),
                expected_version: None,
                action: ApplicationEvent::Endorsed,
                note: body.note.as_deref().map(str::trim).map(str::to_string),
                now: state.clock.now(),
            },
            &actor(&state, &who).await?,
        )
        .await?;
    respond(&state, &who, l.app.id, false).await
}

/// Declines to endorse a submitted application, with the reason.
#[utoipa::path(tag = "applications", security(("bearer" = [])), params(("id" = Uuid, Path)), request_body = DeclineEndorsementRequest, responses(
    (status = 200, body = ApplicationView, headers(("ETag" = String))),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 409, body = Problem, content_type = "application/problem+json", description = "endorsement_not_required, application_status"),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
#[post("/applications/{id}/decline-endorsement")]
pub async fn decline_endorsement(
    state: web::Data<AppState>,
    who: Authenticated,
    id: web::Path<Uuid>,
    body: web::Json<DeclineEndorsementRequest>,
) -> Result<HttpResponse, ApiError> {
    let mut p = Problems::validate(&*body);
    if body.reason.trim().is_empty() && !p.has("reason") {
        p.push(
            "reason",
            ProblemCode::Required,
            "say why the application is not endorsed",
        );
    }
    p.finish()?;
    let l = load(&state, &who, *id).await?;
    require_province(&l)?;
    let reason = body.reason.trim().to_string();
    state
        .store
        .change_application(
            l.app.id,
            Change {
                from: starts_from(ApplicationAction::DeclineEndorsement, &l.call),
                expected_version: None,
                action: ApplicationEvent::EndorsementDeclined,
                note: Some(reason.clone()),
                now: state.clock.now(),
            },
            &actor(&state, &who).await?,
            Apply::DeclineEndorsement { reason },
        )
        .await?;
    respond(&state, &who, l.app.id, false).await
}

/// Assigns reviewers (accounts) to an application in review (platform admins). The
/// applicant's own admins cannot review it.
#[utoipa::path(tag = "applications", security(("bearer" = [])), params(("id" = Uuid, Path)), request_body = AssignReviewersRequest, responses(
    (status = 200, body = ApplicationView, headers(("ETag" = String))),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 409, body = Problem, content_type = "application/problem+json", description = "application_status"),
    (status = 422, body = Problem, content_type = "application/problem+json", description = "reviewer_not_found, reviewer_conflict"),
))]
#[post("/applications/{id}/reviewers")]
pub async fn assign_reviewers(
    state: web::Data<AppState>,
    who: Authenticated,
    id: web::Path<Uuid>,
    body: web::Json<AssignReviewersRequest>,
) -> Result<HttpResponse, ApiError> {
    platform_only(&who)?;
    let mut p = Problems::validate(&*body);
    let l = load(&state, &who, *id).await?;
    let admins: Vec<Uuid> = state
        .store
        .organization_admins(l.app.applicant_id)
        .await?
        .into_iter()
        .map(|(_, a)| a.id)
        .collect();
    for (i, r) in body.reviewer_ids.iter().enumerate() {
        let field = format!("reviewer_ids[{i}]");
        if state.store.get_account(*r).await?.is_none() {
            p.push(
                &field,
                ProblemCode::ReviewerNotFound,
                "no account with this id",
            );
        } else if admins.contains(r) {
            p.push(
                &field,
                ProblemCode::ReviewerConflict,
                "an admin of the applicant cannot review its application",
            );
        }
    }
    p.finish()?;
    let status = *l.app.status;
    if !starts_from(ApplicationAction::AssignReviewers, &l.call).contains(&status) {
        return Err(ApiError::Conflict {
            code: ProblemCode::ApplicationStatus,
            message: format!(
                "the application is {}; reviewers are assigned while it is in review",
                l.app.status
            ),
        });
    }
    state
        .store
        .assign_reviewers(
            l.app.id,
            &body.reviewer_ids,
            &actor(&state, &who).await?,
            state.clock.now(),
        )
        .await?;
    respond(&state, &who, l.app.id, false).await
}

/// The assigned reviewer's scores (one per criterion of the call, 0-100) and comment. A
/// reviewer may change their review until the decision.
#[utoipa::path(tag = "applications", security(("bearer" = [])), params(("id" = Uuid, Path)), request_body = SubmitReviewRequest, responses(
    (status = 200, body = ReviewView),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 409, body = Problem, content_type = "application/problem+json", description = "review_closed"),
    (status = 422, body = Problem, content_type = "application/problem+json", description = "unknown_criterion, criterion_missing, duplicate_criterion"),
))]
#[put("/applications/{id}/reviews/mine")]
pub async fn submit_review(
    state: web::Data<AppState>,
    who: Authenticated,
    id: web::Path<Uuid>,
    body: web::Json<SubmitReviewRequest>,
) -> Result<HttpResponse, ApiError> {
    let l = load(&state, &who, *id).await?;
    if !l.standing.reviewer {
        return Err(ApiError::Forbidden(
            ProblemCode::NotAssignedReviewer,
            "only reviewers assigned to the application review it".into(),
        ));
    }
    let criteria: Vec<Criterion> = serde_json::from_str(&l.call.criteria).unwrap_or_default();
    let mut p = Problems::validate(&*body);
    let mut pairs = vec![];
    let mut seen = vec![];
    for (i, s) in body.scores.iter().enumerate() {
        match criteria.iter().find(|c| c.name == s.criterion) {
            None => p.push(
                &format!("scores[{i}].criterion"),
                ProblemCode::UnknownCriterion,
                "not a criterion of this call",
            ),
            Some(_) if seen.contains(&s.criterion) => p.push(
                &format!("scores[{i}].criterion"),
                ProblemCode::DuplicateCriterion,
                "each criterion is scored once",
            ),
            Some(c) => {
                seen.push(s.criterion.clone());
                pairs.push((c.weight, s.score));
            }
        }
    }
    for c in &criteria {
        if !body.scores.iter().any(|s| s.criterion == c.name) {
            p.push(
                "scores",
                ProblemCode::CriterionMissing,
                format!("score the criterion {}", c.name),
            );
        }
    }
    p.finish()?;
    let weighted = weighted_score(&pairs);
    let scores: Vec<Score> = body.scores.clone();
    let r = state
        .store
        .put_review(
            l.app.id,
            ReviewInput {
                reviewer: who.account_id,
                scores: to_json(&scores)?,
                weighted_hundredths: (weighted * 100.0).round() as i32,
                comment: body.comment.trim().to_string(),
            },
            starts_from(ApplicationAction::Review, &l.call),
            state.clock.now(),
        )
        .await?;
    let names = account_names(&state, &[who.account_id]).await?;
    let position = state
        .store
        .reviews_of(l.app.id)
        .await?
        .iter()
        .position(|x| x.id == r.id)
        .unwrap_or(0);
    Ok(HttpResponse::Ok().json(review_view(r, position, &names, true)))
}

/// Approves (with the granted amount, not above the request), rejects (with the reason) or
/// returns for revision (back to draft with the reason, and optionally a revision deadline
/// after the call's closing time). Platform admins.
#[utoipa::path(tag = "applications", security(("bearer" = [])), params(("id" = Uuid, Path), ("If-Match" = Option<String>, Header, description = "ETag of the version read")), request_body = DecisionRequest, responses(
    (status = 200, body = ApplicationView, headers(("ETag" = String))),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 409, body = Problem, content_type = "application/problem+json", description = "application_status"),
    (status = 412, body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json", description = "unknown_decision, granted_required, granted_above_request, reason required"),
))]
#[post("/applications/{id}/decision")]
pub async fn decide_application(
    state: web::Data<AppState>,
    who: Authenticated,
    req: HttpRequest,
    id: web::Path<Uuid>,
    body: web::Json<DecisionRequest>,
) -> Result<HttpResponse, ApiError> {
    platform_only(&who)?;
    let l = load(&state, &who, *id).await?;
    let now = state.clock.now();
    let mut p = Problems::validate(&*body);
    let decision = Decision::parse(&body.decision);
    let reason = body
        .reason
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(str::to_string);
    match decision {
        None => p.push(
            "decision",
            ProblemCode::UnknownDecision,
            "use approve, reject or return",
        ),
        Some(Decision::Approve) => match body.granted_fen {
            None => p.push(
                "granted_fen",
                ProblemCode::GrantedRequired,
                "say how much is granted",
            ),
            Some(g) if g <= 0 => p.push(
                "granted_fen",
                ProblemCode::OutOfRange,
                "grant more than zero",
            ),
            Some(g) if g > l.app.requested_fen => p.push(
                "granted_fen",
                ProblemCode::GrantedAboveRequest,
                "the grant is not above the amount requested",
            ),
            _ => {}
        },
        Some(Decision::Reject | Decision::Return) => {
            if reason.is_none() {
                p.push("reason", ProblemCode::Required, "say why");
            }
            if let Some(d) = body.revision_deadline {
                if d <= now {
                    p.push(
                        "revision_deadline",
                        ProblemCode::InThePast,
                        "the revision deadline lies ahead",
                    );
                }
            }
        }
    }
    p.finish()?;
    let decision = decision.ok_or_else(|| ApiError::Internal("decision".into()))?;
    let action = decision.event();
    let what = match decision {
        Decision::Approve => Apply::Decide {
            to: ApplicationStatus::Approved,
            granted_fen: body.granted_fen,
            reason: reason.clone(),
        },
        Decision::Reject => Apply::Decide {
            to: ApplicationStatus::Rejected,
            granted_fen: None,
            reason: reason.clone(),
        },
        Decision::Return => Apply::Return {
            reason: reason.clone().unwrap_or_default(),
            revision_deadline: body.revision_deadline,
        },
    };
    state
        .store
        .change_application(
            l.app.id,
            Change {
                from: starts_from(ApplicationAction::Decide, &l.call),
                expected_version: expected_version(&req)?,
                action,
                note: reason,
                now,
            },
            &actor(&state, &who).await?,
            what,
        )
        .await?;
    respond(&state, &who, l.app.id, false).await
}

/// Files an approved project's summary report; after the call's due date it is marked late.
/// It may be filed again (the history keeps each filing).
#[utoipa::path(tag = "applications", security(("bearer" = [])), params(("id" = Uuid, Path)), request_body = ProjectSummaryRequest, responses(
    (status = 200, body = ApplicationView, headers(("ETag" = String))),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 409, body = Problem, content_type = "application/problem+json", description = "application_status"),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
#[post("/applications/{id}/summary")]
pub async fn submit_project_summary(
    state: web::Data<AppState>,
    who: Authenticated,
    id: web::Path<Uuid>,
    body: web::Json<ProjectSummaryRequest>,
) -> Result<HttpResponse, ApiError> {
    let mut p = Problems::validate(&*body);
    if body.text.trim().is_empty() && !p.has("text") {
        p.push(
            "text",
            ProblemCode::Required,
            "the summary report is required",
        );
    }
    p.finish()?;
    let l = load(&state, &who, *id).await?;
    if !l.standing.applicant {
        return Err(ApiError::Forbidden(
            ProblemCode::NotYourOrganization,
            "only the applicant's admins file the summary".into(),
        ));
    }
    let now = state.clock.now();
    let late = summary_late(china_date(now), l.call.summary_due);
    let text = body.text.trim().to_string();
    state
        .store
        .change_application(
            l.app.id,
            Change {
                from: starts_from(ApplicationAction::SubmitSummary, &l.call),
                expected_version: None,
                action: ApplicationEvent::SummarySubmitted,
                note: late.then(|| "late".to_string()),
                now,
            },
            &actor(&state, &who).await?,
            Apply::Summary { text, late },
        )
        .await?;
    respond(&state, &who, l.app.id, false).await
}

/// An application with its attachments, and reviews as the caller may see them.
#[utoipa::path(tag = "applications", security(("bearer" = [])), params(("id" = Uuid, Path)), responses(
    (status = 200, body = ApplicationView, headers(("ETag" = String))),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json", description = "application_not_found"),
))]
#[get("/applications/{id:[0-9a-fA-F-]+}")]
pub async fn get_application(
    state: web::Data<AppState>,
    who: Authenticated,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    respond(&state, &who, *id, false).await
}

/// Every state change of an application: who, when, why.
#[utoipa::path(tag = "applications", security(("bearer" = [])), params(("id" = Uuid, Path)), responses(
    (status = 200, body = ApplicationHistory),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
))]
#[get("/applications/{id}/history")]
pub async fn get_application_history(
    state: web::Data<AppState>,
    who: Authenticated,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let l = load(&state, &who, *id).await?;
    let items = state
        .store
        .application_events(l.app.id)
        .await?
        .into_iter()
        .map(|e| ApplicationEventView {
            action: *e.action,
            at: e.at,
            actor_name: e.actor_name,
            note: e.note,
        })
        .collect();
    Ok(HttpResponse::Ok().json(ApplicationHistory { items }))
}

/// The filter of a list or an export, limited to what the caller may see.
async fn filter_for(
    state: &AppState,
    who: &Authenticated,
    p: &mut Problems,
    call_id: Option<Uuid>,
    status: Option<&str>,
    province: Option<&str>,
    applicant: Option<Uuid>,
) -> Result<ApplicationFilter, ApiError> {
    let status: Option<ApplicationStatus> =
        p.closed_opt("status", ProblemCode::UnknownStatus, status);
    if let Some(pr) = province {
        if pr.len() != 6 || !pr.ends_with("0000") || !pr.bytes().all(|b| b.is_ascii_digit()) {
            p.push(
                "province_code",
                ProblemCode::InvalidProvince,
                "a province code ends in 0000, e.g. 130000",
            );
        }
    }
    let scope = if who.is_platform_admin {
        None
    } else {
        Some(Scope {
            applicants: who.admin_of.clone(),
            provinces: association_provinces(state, who).await?,
            reviewer: Some(who.account_id),
        })
    };
    Ok(ApplicationFilter {
        call_id,
        status,
        province_code: province.map(str::to_string),
        applicant_id: applicant,
        scope,
        before: None,
        limit: DEFAULT_LIMIT,
    })
}

/// Applications the caller may see (their organisations' own, their province's from
/// submission on, those assigned to them for review; everything for platform admins),
/// filtered by call, status, province and applicant; newest first.
#[utoipa::path(tag = "applications", security(("bearer" = [])), params(ApplicationQuery), responses(
    (status = 200, body = ApplicationPage),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
#[get("/applications")]
pub async fn list_applications(
    state: web::Data<AppState>,
    who: Authenticated,
    q: web::Query<ApplicationQuery>,
) -> Result<HttpResponse, ApiError> {
    let mut p = Problems::validate(&*q);
    let mut f = filter_for(
        &state,
        &who,
        &mut p,
        q.call_id,
        q.status.as_deref(),
        q.province_code.as_deref(),
        q.applicant_id,
    )
    .await?;
    f.before = uuid_cursor(&mut p, &q.cursor);
    p.finish()?;
    let limit = q.limit.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT);
    f.limit = limit;
    let list = state.store.list_applications(f).await?;
    let next = next_cursor(&list, limit, |a| a.id.to_string());
    let items = summaries(&state, &who, list).await?;
    Ok(HttpResponse::Ok().json(ApplicationPage {
        items,
        next_cursor: next,
    }))
}

async fn summaries(
    state: &AppState,
    who: &Authenticated,
    list: Vec<application::Model>,
) -> Result<Vec<ApplicationSummaryView>, ApiError> {
    let mut ids: Vec<Uuid> = list.iter().map(|a| a.applicant_id).collect();
    ids.sort();
    ids.dedup();
    let map = parties(state, &state.store.organizations_by_ids(&ids).await?).await?;
    let totals = if who.is_platform_admin {
        let app_ids: Vec<Uuid> = list.iter().map(|a| a.id).collect();
        state.store.review_totals(&app_ids).await?
    } else {
        HashMap::new()
    };
    list.into_iter()
        .map(|a| {
            Ok(ApplicationSummaryView {
                id: a.id,
                call_id: a.call_id,
                applicant: party_of(&map, a.applicant_id)?,
                province_code: a.province_code,
                title: a.title,
                requested_fen: a.requested_fen,
                granted_fen: a.granted_fen,
                status: *a.status,
                submitted_at: a.submitted_at,
                endorsed_at: a.endorsed_at,
                review_average: totals
                    .get(&a.id)
                    .filter(|(_, n)| *n > 0)
                    .map(|(s, n)| (*s as f64 / *n as f64).round() / 100.0),
                updated_at: a.updated_at,
            })
        })
        .collect()
}

/// Chinese name of an application state, for exports.
const EXPORT_ROWS: u64 = 10_000;

/// The filtered list (as `list_applications`, up to 10,000 rows) as XLSX or CSV with
/// Chinese headers; amounts in yuan.
#[utoipa::path(tag = "applications", security(("bearer" = [])), params(ApplicationExportQuery), responses(
    (status = 200, description = "The table", content(
        (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (String = "text/csv")
    )),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
#[get("/applications/export")]
pub async fn export_applications(
    state: web::Data<AppState>,
    who: Authenticated,
    q: web::Query<ApplicationExportQuery>,
) -> Result<HttpResponse, ApiError> {
    let mut p = Problems::validate(&*q);
    let mut f = filter_for(
        &state,
        &who,
        &mut p,
        q.call_id,
        q.status.as_deref(),
        q.province_code.as_deref(),
        q.applicant_id,
    )
    .await?;
    let format = export::format(&mut p, q.format.as_deref(), export::Format::Xlsx);
    p.finish()?;
    f.limit = EXPORT_ROWS;
    let list = state.store.list_applications(f).await?;
    let codes: Vec<String> = list.iter().map(|a| a.province_code.clone()).collect();
    let provinces = state.store.region_names(&codes).await?;
    let rows: Vec<Vec<Cell>> = summaries(&state, &who, list)
        .await?
        .into_iter()
        .map(|a| {
            vec![
                a.id.to_string().into(),
                a.title.into(),
                a.applicant.name.into(),
                provinces
                    .get(&a.province_code)
                    .cloned()
                    .unwrap_or_default()
                    .into(),
                a.status.title_zh().into(),
                Cell::Number(a.requested_fen as f64 / 100.0),
                a.granted_fen.map(|g| g as f64 / 100.0).into(),
                a.submitted_at
                    .map(|t| china_date(t).to_string())
                    .unwrap_or_default()
                    .into(),
                a.endorsed_at
                    .map(|t| china_date(t).to_string())
                    .unwrap_or_default()
                    .into(),
                a.review_average.into(),
            ]
        })
        .collect();
    export::respond(
        format,
        "applications",
        "项目申报",
        &[
            "申报编号",
            "项目名称",
            "申报单位",
            "所在省份",
            "状态",
            "申请金额（元）",
            "批准金额（元）",
            "提交日期",
            "推荐日期",
            "评审均分",
        ],
        &rows,
    )
}
