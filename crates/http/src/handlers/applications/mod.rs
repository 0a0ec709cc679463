//! Programme calls and funding applications with endorsement, review and decision
//! (项目申报), rules 32-38.

use std::collections::HashMap;
use zhihui_domain::ProblemCode;

use actix_multipart::Multipart;
use actix_web::{get, post, put, web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use zhihui_contract::applications::{
    ApplicationChanges, ApplicationDraft, ApplicationEventView, ApplicationExportQuery,
    ApplicationHistory, ApplicationPage, ApplicationQuery, ApplicationSummaryView, ApplicationView,
    AssignReviewersRequest, AttachmentUpload, AttachmentView, BudgetLine, CallPage, CallQuery,
    CallTerms, CallView, Contact, ContactView, CreateApplicationRequest, CreateCallRequest,
    Criterion, DecisionRequest, DeclineEndorsementRequest, EndorseRequest, ProjectSummaryRequest,
    ReviewScores, ReviewView, ReviewerView, SubmitReviewRequest, UpdateApplicationRequest,
    UpdateCallRequest, Verdict,
};
use zhihui_contract::form::{blank, Reason};
use zhihui_contract::pairing::PairingRef;
use zhihui_contract::{FieldProblem, Problem, DEFAULT_LIMIT, MAX_LIMIT};
use zhihui_domain::application::{
    action_starts_from, allowed_actions, average, check_submission, province_of, summary_late,
    weighted_score, PairingFact, Submission,
};
use zhihui_domain::{
    ApplicationAction, ApplicationEvent, ApplicationRoles, ApplicationStatus, OrganizationCategory,
    OrganizationStatus,
};
use zhihui_persistence::entities::{application, call, organization};
use zhihui_persistence::{
    ApplicationContent, ApplicationFilter, Apply, CallContent, Change, ReviewInput, Scope,
};

use super::{
    actor, created, expected_version, keep_upload, next_cursor, read_upload, serve_kept,
    uuid_cursor, with_etag,
};
use crate::auth::Authenticated;
use crate::clock::china_date;
use crate::error::ApiError;
use crate::export::{self, Cell};
use crate::lookups::{parties, party_of};
use crate::state::AppState;
use crate::validation::Problems;
use crate::views::applications::{attachment_view, call_state, call_view, review_view};

mod calls;
mod drafting;
mod exports;
mod reading;
mod workflow;
pub use calls::*;
pub use drafting::*;
pub use exports::*;
pub use reading::*;
pub use workflow::*;

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

fn to_json<T: Serialize>(v: &T) -> Result<String, ApiError> {
    serde_json::to_string(v).map_err(|e| ApiError::Internal(e.to_string()))
}

async fn load_call(state: &AppState, id: Uuid) -> Result<call::Model, ApiError> {
    state
        .store
        .get_call(id)
        .await?
        .ok_or(ApiError::NotFound(ProblemCode::CallNotFound))
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
pub(crate) async fn association_provinces(
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
