//! Volunteers (real-name registration, rules 9-16) and memberships.

use std::collections::BTreeSet;
use zhihui_domain::{MembershipAction, MembershipRoles, ProblemCode};

use actix_web::{get, post, web, HttpResponse};
use uuid::Uuid;
use zhihui_contract::organizations::RejectRequest;
use zhihui_contract::volunteers::{
    MemberPage, MemberQuery, MemberView, MembershipView, RegisterVolunteerRequest,
    VolunteerProfileView, VolunteerRegistration, VolunteerView,
};
use zhihui_contract::{Problem, DEFAULT_LIMIT};
use zhihui_domain::{MembershipStatus, OrganizationStatus};
use zhihui_persistence::NewVolunteer;

use crate::auth::Authenticated;
use crate::error::ApiError;
use crate::lookups::check_region;
use crate::lookups::{load_visible, my_volunteer};
use crate::policy::{manages, sees_volunteer};
use crate::state::AppState;
use crate::validation::Problems;
use crate::views;

async fn profile(
    state: &AppState,
    v: zhihui_persistence::entities::volunteer::Model,
) -> Result<VolunteerProfileView, ApiError> {
    let ms = state
        .store
        .memberships_of(v.id)
        .await?
        .into_iter()
        .map(|(m, name)| {
            views::membership(
                m,
                name,
                MembershipRoles {
                    volunteer: true,
                    ..Default::default()
                },
            )
        })
        .collect();
    views::profile(&state.store, v, ms)
}

/// Registers the signed-in account's real-name volunteer profile (one per person: the ID
/// number is unique) and optionally asks to join teams.
#[utoipa::path(tag = "volunteers", security(("bearer" = [])), request_body = RegisterVolunteerRequest, responses(
    (status = 201, body = VolunteerProfileView),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 409, body = Problem, content_type = "application/problem+json", description = "duplicate_id_number, volunteer_profile_exists"),
    (status = 429, body = Problem, content_type = "application/problem+json", description = "too_many_conflicts: this account registered ID numbers already registered too often"),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
#[post("/volunteers")]
pub async fn register_volunteer(
    state: web::Data<AppState>,
    who: Authenticated,
    body: web::Json<RegisterVolunteerRequest>,
) -> Result<HttpResponse, ApiError> {
    if state
        .store
        .volunteer_by_account(who.account_id)
        .await?
        .is_some()
    {
        return Err(ApiError::Conflict {
            code: ProblemCode::VolunteerProfileExists,
            message: "this account already has a volunteer profile".into(),
        });
    }
    let subject = who.account_id.to_string();
    crate::oracles::check(&state, &crate::oracles::ID_NUMBER_CONFLICTS, &subject).await?;
    // The form's own rules, exactly as the dashboard runs them before sending, then what
    // needs the store: the region exists and the teams are approved.
    let mut p = Problems::default();
    let form = p.absorb(VolunteerRegistration::try_from((
        &*body,
        state.clock.today(),
    )));
    if !p.has("region_code") {
        check_region(&state, &mut p, "region_code", &body.region_code).await?;
    }
    let mut join = Vec::new();
    let mut seen = BTreeSet::new();
    for (i, oid) in body.organization_ids.iter().enumerate() {
        if !seen.insert(*oid) {
            continue;
        }
        match state.store.get_organization(*oid).await? {
            Some(o) if o.status == OrganizationStatus::Approved => join.push(o.id),
            _ => p.push(
                &format!("organization_ids[{i}]"),
                ProblemCode::OrganizationNotFound,
                "no approved organisation has this id",
            ),
        }
    }
    let f = p.done(form)?;
    let v = state
        .store
        .create_volunteer(
            NewVolunteer {
                account_id: Some(who.account_id),
                skills: f.skills,
                service_categories: f.service_categories,
                three_heads_role: f.three_heads_role,
                guardian: f.guardian.map(|g| {
                    (
                        g.name,
                        g.phone.as_str().to_string(),
                        g.phone.masked(),
                        g.consent,
                    )
                }),
                consent_version: f.consent_version,
                ..NewVolunteer::identity(&f.name, &f.id_number, &f.phone, &f.region, "self")
            },
            &join,
            state.clock.now(),
        )
        .await;
    let v = match v {
        Err(zhihui_persistence::StoreError::Conflict {
            code: ProblemCode::DuplicateIdNumber,
            ..
        }) => {
            return Err(crate::oracles::refused(
                &state,
                &crate::oracles::ID_NUMBER_CONFLICTS,
                &subject,
                Some(who.account_id),
                ProblemCode::DuplicateIdNumber,
                "this ID number cannot be registered here; if it is yours, contact the platform's service desk",
            )
            .await);
        }
        other => other?,
    };
    Ok(super::created("/volunteers/me").json(profile(&state, v).await?))
}

/// The signed-in person's own profile, with the full ID number and phone.
#[utoipa::path(tag = "volunteers", security(("bearer" = [])), responses(
    (status = 200, body = VolunteerProfileView),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json", description = "volunteer_not_registered"),
))]
#[get("/volunteers/me")]
pub async fn get_my_volunteer_profile(
    state: web::Data<AppState>,
    who: Authenticated,
) -> Result<HttpResponse, ApiError> {
    let v = state
        .store
        .volunteer_by_account(who.account_id)
        .await?
        .ok_or(ApiError::NotFound(ProblemCode::VolunteerNotFound))?;
    Ok(HttpResponse::Ok().json(profile(&state, v).await?))
}

/// A volunteer, masked, for the admins of the teams they belong or asked to belong to
/// (and their parents), the platform admin, and the person.
#[utoipa::path(tag = "volunteers", security(("bearer" = [])), params(("id" = Uuid, Path)), responses(
    (status = 200, body = VolunteerView),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
))]
#[get("/volunteers/{id}")]
pub async fn get_volunteer(
    state: web::Data<AppState>,
    who: Authenticated,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let v = state
        .store
        .get_volunteer(*id)
        .await?
        .ok_or(ApiError::NotFound(ProblemCode::VolunteerNotFound))?;
    if !sees_volunteer(&state, &who, &v).await? {
        return Err(ApiError::NotFound(ProblemCode::VolunteerNotFound));
    }
    Ok(HttpResponse::Ok().json(views::volunteer(v)))
}

/// Members and join requests of a team (its admins, its parent's admins, platform admin), in
/// the order they asked to join; `q` finds them by part of the name or by volunteer number.
#[utoipa::path(tag = "volunteers", security(("bearer" = [])), params(("id" = Uuid, Path), MemberQuery), responses(
    (status = 200, body = MemberPage),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
#[get("/organizations/{id}/members")]
pub async fn list_organization_members(
    state: web::Data<AppState>,
    who: Authenticated,
    id: web::Path<Uuid>,
    q: web::Query<MemberQuery>,
) -> Result<HttpResponse, ApiError> {
    let org = load_visible(&state, Some(&who), *id).await?;
    if !manages(&who, &org) {
        return Err(ApiError::Forbidden(
            ProblemCode::NotYourOrganization,
            "only the team's admins see its members".into(),
        ));
    }
    let mut p = Problems::validate(&*q);
    let status: Option<MembershipStatus> =
        p.closed_opt("status", ProblemCode::UnknownStatus, q.status.as_deref());
    let after = super::uuid_cursor(&mut p, &q.cursor);
    p.finish()?;
    let limit = q.limit.unwrap_or(DEFAULT_LIMIT);
    let text = q.q.as_deref().map(str::trim).filter(|t| !t.is_empty());
    let rows = state
        .store
        .list_members(org.id, status, text, after, limit)
        .await?;
    let next_cursor = super::next_cursor(&rows, limit, |r| r.membership.id.to_string());
    Ok(HttpResponse::Ok().json(MemberPage {
        items: rows
            .into_iter()
            .map(|r| MemberView {
                allowed_actions: zhihui_domain::membership_allowed_actions(
                    *r.membership.status,
                    MembershipRoles {
                        decides: true,
                        ..Default::default()
                    },
                ),
                membership_id: r.membership.id,
                status: *r.membership.status,
                requested_at: r.membership.requested_at,
                decided_at: r.membership.decided_at,
                volunteer: views::volunteer(r.volunteer),
            })
            .collect(),
        next_cursor,
    }))
}

/// Asks to join a team (at most 5 active memberships).
#[utoipa::path(tag = "volunteers", security(("bearer" = [])), params(("id" = Uuid, Path)), responses(
    (status = 201, body = MembershipView),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 409, body = Problem, content_type = "application/problem+json", description = "already_member, membership_limit_reached, volunteer_not_registered, organization_not_approved"),
))]
#[post("/organizations/{id}/memberships")]
pub async fn request_membership(
    state: web::Data<AppState>,
    who: Authenticated,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let org = load_visible(&state, Some(&who), *id).await?;
    if org.status != OrganizationStatus::Approved {
        return Err(ApiError::Conflict {
            code: ProblemCode::OrganizationNotApproved,
            message: "the team is not approved yet".into(),
        });
    }
    let v = my_volunteer(&state, &who).await?;
    let m = state
        .store
        .request_membership(v.id, org.id, state.clock.now())
        .await?;
    // The volunteer's memberships are read back in their profile.
    Ok(super::created("/volunteers/me").json(views::membership(
        m,
        org.name,
        MembershipRoles {
            volunteer: true,
            ..Default::default()
        },
    )))
}

async fn decide(
    state: &AppState,
    who: &Authenticated,
    org_id: Uuid,
    mid: Uuid,
    action: MembershipAction,
    reason: Option<String>,
) -> Result<HttpResponse, ApiError> {
    let org = load_visible(state, Some(who), org_id).await?;
    if !manages(who, &org) {
        return Err(ApiError::Forbidden(
            ProblemCode::NotYourOrganization,
            "only the team's admins decide on join requests".into(),
        ));
    }
    state
        .store
        .get_membership(org.id, mid)
        .await?
        .ok_or(ApiError::NotFound(ProblemCode::MembershipNotFound))?;
    let m = state
        .store
        .decide_membership(
            org.id,
            mid,
            action,
            reason,
            who.account_id,
            state.clock.now(),
        )
        .await?;
    Ok(HttpResponse::Ok().json(views::membership(
        m,
        org.name,
        MembershipRoles {
            decides: true,
            ..Default::default()
        },
    )))
}

/// Approves a join request.
#[utoipa::path(tag = "volunteers", security(("bearer" = [])), params(("id" = Uuid, Path), ("membership_id" = Uuid, Path)), responses(
    (status = 200, body = MembershipView),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 409, body = Problem, content_type = "application/problem+json", description = "membership_not_pending"),
))]
#[post("/organizations/{id}/memberships/{membership_id}/approve")]
pub async fn approve_membership(
    state: web::Data<AppState>,
    who: Authenticated,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (org, mid) = path.into_inner();
    decide(&state, &who, org, mid, MembershipAction::Approve, None).await
}

/// Rejects a join request with a reason.
#[utoipa::path(tag = "volunteers", security(("bearer" = [])), params(("id" = Uuid, Path), ("membership_id" = Uuid, Path)), request_body = RejectRequest, responses(
    (status = 200, body = MembershipView),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 409, body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
#[post("/organizations/{id}/memberships/{membership_id}/reject")]
pub async fn reject_membership(
    state: web::Data<AppState>,
    who: Authenticated,
    path: web::Path<(Uuid, Uuid)>,
    body: web::Json<RejectRequest>,
) -> Result<HttpResponse, ApiError> {
    Problems::validate(&*body).finish()?;
    let (org, mid) = path.into_inner();
    decide(
        &state,
        &who,
        org,
        mid,
        MembershipAction::Reject,
        Some(body.reason.trim().to_string()),
    )
    .await
}

/// Leaves a team (or withdraws a pending request).
#[utoipa::path(tag = "volunteers", security(("bearer" = [])), params(("id" = Uuid, Path)), responses(
    (status = 200, body = MembershipView),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 409, body = Problem, content_type = "application/problem+json"),
))]
#[post("/organizations/{id}/leave")]
pub async fn leave_organization(
    state: web::Data<AppState>,
    who: Authenticated,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let org = load_visible(&state, Some(&who), *id).await?;
    let v = my_volunteer(&state, &who).await?;
    let m = state
        .store
        .leave_organization(v.id, org.id, state.clock.now())
        .await
        .map_err(|e| match e {
            zhihui_persistence::StoreError::NotFound => {
                ApiError::NotFound(ProblemCode::MembershipNotFound)
            }
            other => other.into(),
        })?;
    Ok(HttpResponse::Ok().json(views::membership(
        m,
        org.name,
        MembershipRoles {
            volunteer: true,
            ..Default::default()
        },
    )))
}
