//! Organisations and teams (科技志愿服务组织 / 队伍), rules 1-8.

use actix_web::{delete, get, post, put, web, HttpRequest, HttpResponse};
use uuid::Uuid;
use zhihui_contract::form::Reason;
use zhihui_contract::organizations::{
    GrantAdminRequest, OrganizationAdminView, OrganizationAmendment, OrganizationPage,
    OrganizationQuery, OrganizationRegistration, OrganizationView, RegisterOrganizationRequest,
    RejectRequest, SetPriorityAreaRequest, UpdateOrganizationRequest,
};
use zhihui_contract::{Problem, DEFAULT_LIMIT};
use zhihui_domain::organization::check_placement;
use zhihui_domain::{LoginName, OrganizationLevel, OrganizationStatus, RegionCode};
use zhihui_domain::{OrganizationAction, OrganizationRoles, ProblemCode};
use zhihui_persistence::entities::organization;
use zhihui_persistence::{NewOrganization, OrganizationChanges, OrganizationFilter};

use super::{expected_version, with_etag};
use crate::auth::{Authenticated, Caller};
use crate::error::ApiError;
use crate::lookups::{check_region, load_visible};
use crate::policy;
use crate::state::AppState;
use crate::validation::Problems;
use crate::views;

async fn view(
    state: &AppState,
    who: Option<&Authenticated>,
    org: organization::Model,
) -> Result<OrganizationView, ApiError> {
    let names = state
        .store
        .region_names(std::slice::from_ref(&org.region_code))
        .await?;
    view_named(state, who, org, &names).await
}

/// `names`: region code to name, fetched once for a whole page.
async fn view_named(
    state: &AppState,
    who: Option<&Authenticated>,
    org: organization::Model,
    names: &std::collections::HashMap<String, String>,
) -> Result<OrganizationView, ApiError> {
    let region_name = names.get(&org.region_code).cloned().unwrap_or_default();
    let manages = who.is_some_and(|w| policy::manages(w, &org));
    let admins = if manages {
        Some(
            state
                .store
                .organization_admins(org.id)
                .await?
                .iter()
                .map(|(seat, a)| views::admin(seat, a))
                .collect(),
        )
    } else {
        None
    };
    let decides = who.is_some_and(|w| policy::decides(w, &org));
    let flags_priority = match who {
        Some(w) if *org.level == zhihui_domain::OrganizationLevel::County => {
            let above = decides || crate::lookups::administers_above(state, w, &org).await?;
            zhihui_domain::flags_priority(*org.level, w.is_platform_admin, above)
        }
        _ => false,
    };
    let roles = OrganizationRoles {
        edits: who.is_some_and(|w| policy::edits(w, &org)),
        decides,
        flags_priority,
    };
    views::organization(&state.store, org, region_name, manages, admins, roles)
}

/// Flags an approved county as a priority area (`poverty_alleviated` 脱贫县,
/// `revolutionary_base` 革命老区, `remote_mountain` 边远山区) or clears the flag with `null`:
/// the admins of an organisation above it, or a platform admin (a county does not flag
/// itself). Its needs, and those posted under it, are then listed first (rule 46). Send
/// `If-Match` with the ETag.
#[utoipa::path(tag = "organizations", security(("bearer" = [])), params(("id" = Uuid, Path), ("If-Match" = Option<String>, Header, description = "ETag of the version read")), request_body = SetPriorityAreaRequest, responses(
    (status = 200, body = OrganizationView, headers(("ETag" = String))),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json", description = "parent_admin_only"),
    (status = 404, body = Problem, content_type = "application/problem+json", description = "organization_not_found"),
    (status = 409, body = Problem, content_type = "application/problem+json", description = "organization_not_approved"),
    (status = 412, body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json", description = "unknown_priority_area, not_a_county"),
))]
#[put("/organizations/{id}/priority-area")]
pub async fn set_organization_priority_area(
    state: web::Data<AppState>,
    req: HttpRequest,
    who: Authenticated,
    id: web::Path<Uuid>,
    body: web::Json<SetPriorityAreaRequest>,
) -> Result<HttpResponse, ApiError> {
    let org = load_visible(&state, Some(&who), *id).await?;
    let mut p = Problems::validate(&*body);
    let area: Option<zhihui_domain::PriorityArea> = p.closed_opt(
        "priority_area",
        ProblemCode::UnknownPriorityArea,
        body.priority_area.as_deref(),
    );
    if *org.level != zhihui_domain::OrganizationLevel::County {
        p.push(
            "priority_area",
            ProblemCode::NotACounty,
            "priority areas are counties",
        );
    }
    p.finish()?;
    let above = policy::decides(&who, &org)
        || crate::lookups::administers_above(&state, &who, &org).await?;
    if !zhihui_domain::flags_priority(*org.level, who.is_platform_admin, above) {
        return Err(ApiError::Forbidden(
            ProblemCode::ParentAdminOnly,
            "the admins of an organisation above the county, or a platform admin, flag it".into(),
        ));
    }
    let updated = state
        .store
        .set_priority_area(org.id, expected_version(&req)?, area, state.clock.now())
        .await?;
    let v = updated.version;
    Ok(with_etag(
        HttpResponse::Ok().json(view(&state, Some(&who), updated).await?),
        v,
    ))
}

/// Registers an organisation (pending until its parent's admin or a platform admin approves).
/// The registering account becomes its first admin.
#[utoipa::path(tag = "organizations", security(("bearer" = [])), request_body = RegisterOrganizationRequest, responses(
    (status = 201, body = OrganizationView),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 409, body = Problem, content_type = "application/problem+json", description = "duplicate_organization_name, duplicate_credit_code"),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
#[post("/organizations")]
pub async fn register_organization(
    state: web::Data<AppState>,
    who: Authenticated,
    body: web::Json<RegisterOrganizationRequest>,
) -> Result<HttpResponse, ApiError> {
    // The form's own rules, exactly as the dashboard runs them before sending …
    let mut p = Problems::default();
    let form = p.absorb(OrganizationRegistration::try_from(&*body));
    // … then what needs the store: the region exists, the parent is approved and above
    // the new organisation, and the region lies within the parent's.
    if !p.has("region_code") {
        check_region(&state, &mut p, "region_code", &body.region_code).await?;
    }
    let parent = match body.parent_id {
        Some(pid) => match state.store.get_organization(pid).await? {
            Some(o) if o.status == OrganizationStatus::Approved => Some(o),
            Some(_) => {
                p.push(
                    "parent_id",
                    ProblemCode::ParentNotApproved,
                    "the parent organisation is not approved yet",
                );
                None
            }
            None => {
                p.push(
                    "parent_id",
                    ProblemCode::ParentNotFound,
                    "no such organisation",
                );
                None
            }
        },
        None => None,
    };
    if let (Some(f), Some(par)) = (&form, &parent) {
        if let Err(e) = check_placement(f.category, f.level, Some(*par.level)) {
            p.push("parent_id", e.code, e.message);
        }
    }
    if let (Some(par), Ok(r)) = (&parent, RegionCode::parse(&body.region_code)) {
        if let Ok(pr) = RegionCode::parse(&par.region_code) {
            if par.level != OrganizationLevel::National && !pr.contains(&r) {
                p.push(
                    "region_code",
                    ProblemCode::OutsideParentRegion,
                    "the region lies outside the parent organisation's region",
                );
            }
        }
    }
    let f = p.done(form)?;
    let org = state
        .store
        .create_organization(
            NewOrganization {
                name: f.name.as_str().to_string(),
                category: f.category,
                level: f.level,
                parent_id: parent.map(|o| o.id),
                region_code: f.region.as_str().to_string(),
                credit_code: f.credit_code.map(|c| c.as_str().to_string()),
                contact_name: f.contact_name.as_str().to_string(),
                contact_phone: f.contact_phone.as_str().to_string(),
                contact_phone_masked: f.contact_phone.masked(),
                address: f.address,
                description: f.description,
                created_by: who.account_id,
            },
            state.clock.now(),
        )
        .await?;
    let mut who = who;
    who.admin_of.push(org.id);
    let version = org.version;
    Ok(with_etag(
        super::created(format!("/organizations/{}", org.id))
            .json(view(&state, Some(&who), org).await?),
        version,
    ))
}

/// Lists organisations: approved ones for everyone, plus pending and rejected ones to those who manage them.
#[utoipa::path(tag = "organizations", params(OrganizationQuery), responses(
    (status = 200, body = OrganizationPage),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
#[get("/organizations")]
pub async fn list_organizations(
    state: web::Data<AppState>,
    caller: Caller,
    q: web::Query<OrganizationQuery>,
) -> Result<HttpResponse, ApiError> {
    list(&state, &caller, &q, None).await
}

async fn list(
    state: &AppState,
    caller: &Caller,
    q: &OrganizationQuery,
    parent: Option<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let mut p = Problems::validate(q);
    let category = p.closed_opt(
        "category",
        ProblemCode::UnknownCategory,
        q.category.as_deref(),
    );
    let level = p.closed_opt("level", ProblemCode::UnknownLevel, q.level.as_deref());
    let status = p.closed_opt("status", ProblemCode::UnknownStatus, q.status.as_deref());
    let region = q
        .region
        .as_deref()
        .and_then(|r| p.parse("region", RegionCode::parse(r)));
    let after = super::uuid_cursor(&mut p, &q.cursor);
    p.finish()?;
    let limit = q.limit.unwrap_or(DEFAULT_LIMIT);
    let rows = state
        .store
        .list_organizations(
            &caller.viewer(),
            &OrganizationFilter {
                category,
                level,
                region_prefix: region.map(|r| r.prefix().to_string()),
                status,
                name_part: q.q.clone().filter(|s| !s.trim().is_empty()),
                parent_id: parent,
                after_id: after,
                limit,
            },
        )
        .await?;
    let next_cursor = super::next_cursor(&rows, limit, |o| o.id.to_string());
    let codes: Vec<String> = rows.iter().map(|o| o.region_code.clone()).collect();
    let names = state.store.region_names(&codes).await?;
    let mut items = Vec::with_capacity(rows.len());
    for o in rows {
        items.push(view_named(state, caller.0.as_ref(), o, &names).await?);
    }
    Ok(HttpResponse::Ok().json(OrganizationPage { items, next_cursor }))
}

/// One organisation. The `ETag` header carries its version for `If-Match` on update.
#[utoipa::path(tag = "organizations", params(("id" = Uuid, Path)), responses(
    (status = 200, body = OrganizationView, headers(("ETag" = String))),
    (status = 404, body = Problem, content_type = "application/problem+json"),
))]
#[get("/organizations/{id}")]
pub async fn get_organization(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let org = load_visible(&state, caller.0.as_ref(), *id).await?;
    let version = org.version;
    Ok(with_etag(
        HttpResponse::Ok().json(view(&state, caller.0.as_ref(), org).await?),
        version,
    ))
}

/// Direct children of an organisation.
#[utoipa::path(tag = "organizations", params(("id" = Uuid, Path), OrganizationQuery), responses(
    (status = 200, body = OrganizationPage),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
#[get("/organizations/{id}/children")]
pub async fn list_organization_children(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    q: web::Query<OrganizationQuery>,
) -> Result<HttpResponse, ApiError> {
    load_visible(&state, caller.0.as_ref(), *id).await?;
    list(&state, &caller, &q, Some(*id)).await
}

/// Updates an organisation's record (own admin or platform admin). Send `If-Match` with the
/// ETag you read to avoid overwriting someone else's change (412 when it is stale).
#[utoipa::path(tag = "organizations", security(("bearer" = [])), params(("id" = Uuid, Path), ("If-Match" = Option<String>, Header)),
    request_body = UpdateOrganizationRequest, responses(
    (status = 200, body = OrganizationView, headers(("ETag" = String))),
    (status = 400, body = Problem, content_type = "application/problem+json"),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 409, body = Problem, content_type = "application/problem+json", description = "duplicate_organization_name, duplicate_credit_code"),
    (status = 412, body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
#[put("/organizations/{id}")]
pub async fn update_organization(
    state: web::Data<AppState>,
    req: HttpRequest,
    who: Authenticated,
    id: web::Path<Uuid>,
    body: web::Json<UpdateOrganizationRequest>,
) -> Result<HttpResponse, ApiError> {
    let org = load_visible(&state, Some(&who), *id).await?;
    if !policy::edits(&who, &org) {
        return Err(ApiError::Forbidden(
            ProblemCode::NotYourOrganization,
            "only the organisation's admins or a platform admin edit it".into(),
        ));
    }
    let version = expected_version(&req)?;
    // The form's own rules, then whether a new region exists.
    let mut p = Problems::default();
    let change = p.absorb(OrganizationAmendment::try_from(&*body));
    if let (Some(c), false) = (&body.region_code, p.has("region_code")) {
        check_region(&state, &mut p, "region_code", c).await?;
    }
    let change = p.done(change)?;
    let updated = state
        .store
        .update_organization(
            org.id,
            version,
            OrganizationChanges {
                name: change.name.map(|n| n.as_str().to_string()),
                region_code: change.region.map(|r| r.as_str().to_string()),
                credit_code: change.credit_code.map(|c| c.as_str().to_string()),
                contact_name: change.contact_name.map(|n| n.as_str().to_string()),
                contact_phone: change
                    .contact_phone
                    .map(|p| (p.as_str().to_string(), p.masked())),
                address: change.address,
                description: change.description,
            },
            state.clock.now(),
        )
        .await?;
    let v = updated.version;
    Ok(with_etag(
        HttpResponse::Ok().json(view(&state, Some(&who), updated).await?),
        v,
    ))
}

async fn decide(
    state: &AppState,
    who: &Authenticated,
    id: Uuid,
    action: OrganizationAction,
    reason: Option<String>,
) -> Result<HttpResponse, ApiError> {
    let org = load_visible(state, Some(who), id).await?;
    if !policy::decides(who, &org) {
        return Err(ApiError::Forbidden(
            ProblemCode::ParentAdminOnly,
            "the parent organisation's admin or a platform admin decides".into(),
        ));
    }
    let org = state
        .store
        .decide_organization(id, action, reason, state.clock.now())
        .await?;
    Ok(HttpResponse::Ok().json(view(state, Some(who), org).await?))
}

/// Approves a pending organisation (its parent's admin, or a platform admin).
#[utoipa::path(tag = "organizations", security(("bearer" = [])), params(("id" = Uuid, Path)), responses(
    (status = 200, body = OrganizationView),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 409, body = Problem, content_type = "application/problem+json", description = "organization_not_pending"),
))]
#[post("/organizations/{id}/approve")]
pub async fn approve_organization(
    state: web::Data<AppState>,
    who: Authenticated,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    decide(&state, &who, *id, OrganizationAction::Approve, None).await
}

/// Rejects a pending organisation with a reason.
#[utoipa::path(tag = "organizations", security(("bearer" = [])), params(("id" = Uuid, Path)), request_body = RejectRequest, responses(
    (status = 200, body = OrganizationView),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 409, body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
#[post("/organizations/{id}/reject")]
pub async fn reject_organization(
    state: web::Data<AppState>,
    who: Authenticated,
    id: web::Path<Uuid>,
    body: web::Json<RejectRequest>,
) -> Result<HttpResponse, ApiError> {
    let Reason(reason) = Reason::try_from(&*body)?;
    decide(&state, &who, *id, OrganizationAction::Reject, Some(reason)).await
}

/// Sends a rejected registration, corrected, to the parent for a decision again (its own
/// admins or a platform admin): it is pending once more and the rejection's reason is
/// cleared. Correct it first with `update_organization`.
#[utoipa::path(tag = "organizations", security(("bearer" = [])), params(("id" = Uuid, Path)), responses(
    (status = 200, body = OrganizationView),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 409, body = Problem, content_type = "application/problem+json", description = "organization_not_rejected"),
))]
#[post("/organizations/{id}/resubmit")]
pub async fn resubmit_organization(
    state: web::Data<AppState>,
    who: Authenticated,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let org = load_visible(&state, Some(&who), *id).await?;
    if !policy::edits(&who, &org) {
        return Err(ApiError::Forbidden(
            ProblemCode::NotYourOrganization,
            "only the organisation's own admins send its registration again".into(),
        ));
    }
    let org = state
        .store
        .decide_organization(
            org.id,
            OrganizationAction::Resubmit,
            None,
            state.clock.now(),
        )
        .await?;
    Ok(HttpResponse::Ok().json(view(&state, Some(&who), org).await?))
}

/// Grants an admin seat to an account, within the cap set by approved members (rule 8).
#[utoipa::path(tag = "organizations", security(("bearer" = [])), params(("id" = Uuid, Path)), request_body = GrantAdminRequest, responses(
    (status = 201, body = OrganizationAdminView),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 409, body = Problem, content_type = "application/problem+json", description = "admin_seat_cap_reached, already_admin"),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
#[post("/organizations/{id}/admins")]
pub async fn grant_organization_admin(
    state: web::Data<AppState>,
    who: Authenticated,
    id: web::Path<Uuid>,
    body: web::Json<GrantAdminRequest>,
) -> Result<HttpResponse, ApiError> {
    let org = load_visible(&state, Some(&who), *id).await?;
    if !policy::manages(&who, &org) {
        return Err(ApiError::Forbidden(
            ProblemCode::NotInYourOversight,
            "only the organisation's or its parent's admins grant seats".into(),
        ));
    }
    let login = LoginName::try_from(&*body)?;
    let account = state
        .store
        .find_account_by_login(login.as_str())
        .await?
        .ok_or_else(|| {
            ApiError::field(
                "login",
                ProblemCode::AccountNotFound,
                "no account has this login",
            )
        })?;
    let seat = state
        .store
        .grant_organization_admin(org.id, account.id, who.account_id, state.clock.now())
        .await?;
    // The seat is listed in the organisation's view (`admins`).
    Ok(super::created(format!("/organizations/{}", org.id)).json(views::admin(&seat, &account)))
}

/// Revokes an admin seat; the last admin stays.
#[utoipa::path(tag = "organizations", security(("bearer" = [])), params(("id" = Uuid, Path), ("account_id" = Uuid, Path)), responses(
    (status = 204, description = "Revoked"),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 409, body = Problem, content_type = "application/problem+json", description = "last_admin"),
))]
#[delete("/organizations/{id}/admins/{account_id}")]
pub async fn revoke_organization_admin(
    state: web::Data<AppState>,
    who: Authenticated,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (id, account_id) = path.into_inner();
    let org = load_visible(&state, Some(&who), id).await?;
    if !policy::manages(&who, &org) {
        return Err(ApiError::Forbidden(
            ProblemCode::NotInYourOversight,
            "only the organisation's or its parent's admins revoke seats".into(),
        ));
    }
    state
        .store
        .revoke_organization_admin(org.id, account_id)
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
