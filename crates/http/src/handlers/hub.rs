//! Science hub centres (科普服务汇中心): service points, micro-exhibitions, their stays and
//! rotation, rules 57-62.
//!
//! Places, exhibitions and what is on show where are public (a visitor looks up what a
//! centre shows); changing them is for the organisations responsible.

use std::collections::HashMap;

use actix_web::{get, post, put, web, HttpRequest, HttpResponse};
use chrono::Datelike;
use uuid::Uuid;
use zhihui_contract::hub::{
    CreateExhibitionRequest, CreateServicePointRequest, DaysView, ExhibitionDraft, ExhibitionPage,
    ExhibitionQuery, ExhibitionRef, ExhibitionView, PlanGapView, PlanPeriod, PlanRotationRequest,
    ProposedStayView, RecordVisitsRequest, RotationPlanView, ScheduleStayRequest,
    ServicePointDraft, ServicePointFigures, ServicePointFiguresQuery, ServicePointPage,
    ServicePointQuery, ServicePointRef, ServicePointView, StayDays, StayPage, StayQuery, StayView,
    UpdateServicePointRequest,
};
use zhihui_contract::pairing::PartyView;
use zhihui_contract::{Problem, DEFAULT_LIMIT, MAX_LIMIT};
use zhihui_domain::hub::{
    effective_stay_status, plan_faults, plan_rotation, Days, PlacedStay, PlanExhibition, PlanPoint,
    PlanRequest, Visits,
};
use zhihui_domain::{
    service_point_allowed_actions, stay_allowed_actions, OrganizationStatus, ProblemCode,
    StayAction, StayRoles,
};
use zhihui_persistence::entities::{exhibition, exhibition_stay, organization, service_point};
use zhihui_persistence::{
    ExhibitionContent, ExhibitionFilter, ServicePointContent, ServicePointFilter, StayFilter,
};

use super::{actor, compound_cursor, expected_version, next_cursor, uuid_cursor, with_etag};
use crate::auth::{Authenticated, Caller};
use crate::clock::china_date;
use crate::error::ApiError;
use crate::lookups::{check_region, parties, party_of};
use crate::state::AppState;
use crate::validation::Problems;

/// Stays listed on a single service point or exhibition.
const STAYS_SHOWN: u64 = 50;

/// A public read as an anonymous visitor gets it: the same for every visitor, so kept for a
/// few seconds by operation, query and day, and forgotten when this process answers a
/// write (`crate::cache`). Signed-in callers get their own (their allowed actions differ).
async fn public_read<F, Fut>(
    state: &web::Data<AppState>,
    key: String,
    compute: F,
) -> Result<std::sync::Arc<serde_json::Value>, ApiError>
where
    F: FnOnce(web::Data<AppState>) -> Fut,
    Fut: std::future::Future<Output = Result<serde_json::Value, ApiError>> + Send + 'static,
{
    let now = state.clock.now();
    let key = format!("{key}|{}", china_date(now));
    let st = state.clone();
    state
        .hub_reads
        .get_or_compute(&key, state.writes.current(), now, move || compute(st))
        .await
}

fn json_of(v: impl serde::Serialize) -> Result<serde_json::Value, ApiError> {
    serde_json::to_value(v)
        .map_err(|e| ApiError::Internal(format!("a view did not serialise: {e}")))
}

/// The answer to a read, with the ETag of the version it carries (if any).
fn answer(v: &serde_json::Value) -> HttpResponse {
    let res = HttpResponse::Ok().json(v);
    match v.get("version").and_then(serde_json::Value::as_i64) {
        Some(version) => with_etag(res, i32::try_from(version).unwrap_or(0)),
        None => res,
    }
}

/// Whether the caller manages `org`'s places: its admins, the admins of an organisation
/// above it, platform admins.
async fn manages(
    state: &AppState,
    who: Option<&Authenticated>,
    org: &organization::Model,
) -> Result<bool, ApiError> {
    let Some(who) = who else { return Ok(false) };
    if who.is_platform_admin || who.administers(org.id) {
        return Ok(true);
    }
    crate::lookups::administers_above(state, who, org).await
}

/// For a page: which of `orgs` the caller manages, with one statement for the ancestors.
async fn manages_many(
    state: &AppState,
    who: Option<&Authenticated>,
    orgs: &[Uuid],
) -> Result<HashMap<Uuid, bool>, ApiError> {
    let Some(who) = who else {
        return Ok(HashMap::new());
    };
    let mut out: HashMap<Uuid, bool> = orgs
        .iter()
        .map(|o| (*o, who.is_platform_admin || who.administers(*o)))
        .collect();
    if !who.admin_of.is_empty() {
        for (d, a) in state.store.ancestors_of_many(orgs).await? {
            if who.administers(a) {
                out.insert(d, true);
            }
        }
    }
    Ok(out)
}

/// An organisation the caller may act for: approved, or one it administers (then refused
/// as not approved rather than hidden).
async fn acting_org(
    state: &AppState,
    who: &Authenticated,
    id: Uuid,
    what: &str,
) -> Result<organization::Model, ApiError> {
    let org = state
        .store
        .get_organization(id)
        .await?
        .filter(|o| o.status == OrganizationStatus::Approved || who.administers(o.id))
        .ok_or(ApiError::NotFound(ProblemCode::OrganizationNotFound))?;
    if !manages(state, Some(who), &org).await? {
        return Err(ApiError::Forbidden(
            ProblemCode::NotYourOrganization,
            format!("only the organisation's admins or those above it {what}"),
        ));
    }
    if org.status != OrganizationStatus::Approved {
        return Err(ApiError::Conflict {
            code: ProblemCode::OrganizationNotApproved,
            message: "the organisation is not approved yet".into(),
        });
    }
    Ok(org)
}

fn point_content(d: ServicePointDraft) -> ServicePointContent {
    ServicePointContent {
        name: d.name,
        kind: d.kind,
        region_code: d.region.as_str().to_string(),
        address: d.address,
        opening_hours: d.opening_hours,
        capacity: d.capacity,
        exhibition_slots: d.exhibition_slots,
    }
}

fn point_ref(p: &service_point::Model) -> ServicePointRef {
    ServicePointRef {
        id: p.id,
        name: p.name.clone(),
        region_code: p.region_code.clone(),
        organization_id: p.organization_id,
    }
}

fn exhibition_ref(e: &exhibition::Model) -> ExhibitionRef {
    ExhibitionRef {
        id: e.id,
        title: e.title.clone(),
        theme: e.theme.clone(),
        category: *e.category,
        owner_id: e.owner_id,
    }
}

/// Views of stays, with their exhibitions and points loaded at once.
async fn stay_views(
    state: &AppState,
    who: Option<&Authenticated>,
    stays: Vec<exhibition_stay::Model>,
) -> Result<Vec<StayView>, ApiError> {
    let today = china_date(state.clock.now());
    let mut eids: Vec<Uuid> = stays.iter().map(|s| s.exhibition_id).collect();
    let mut pids: Vec<Uuid> = stays.iter().map(|s| s.service_point_id).collect();
    eids.sort();
    eids.dedup();
    pids.sort();
    pids.dedup();
    let exhibitions: HashMap<Uuid, exhibition::Model> = state
        .store
        .exhibitions_by_ids(&eids)
        .await?
        .into_iter()
        .map(|e| (e.id, e))
        .collect();
    let points: HashMap<Uuid, service_point::Model> = state
        .store
        .service_points_by_ids(&pids)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    stays
        .into_iter()
        .map(|s| {
            let e = exhibitions
                .get(&s.exhibition_id)
                .ok_or_else(|| ApiError::Internal(format!("stay {} lost its exhibition", s.id)))?;
            let p = points
                .get(&s.service_point_id)
                .ok_or_else(|| ApiError::Internal(format!("stay {} lost its point", s.id)))?;
            let status = effective_stay_status(*s.status, Days::new(s.starts_on, s.ends_on), today);
            let roles = StayRoles {
                owner: who.is_some_and(|w| w.is_platform_admin || w.administers(e.owner_id)),
                host: who.is_some_and(|w| w.administers(p.organization_id)),
            };
            Ok(StayView {
                id: s.id,
                exhibition: exhibition_ref(e),
                service_point: point_ref(p),
                starts_on: s.starts_on,
                ends_on: s.ends_on,
                status,
                visitors: s.visitors,
                guided_tours: s.guided_tours,
                lectures: s.lectures,
                visits_recorded_at: s.visits_recorded_at,
                allowed_actions: stay_allowed_actions(status, roles),
                created_at: s.created_at,
                version: s.version,
            })
        })
        .collect()
}

/// The view of one stay.
async fn stay_view(
    state: &AppState,
    who: Option<&Authenticated>,
    s: exhibition_stay::Model,
) -> Result<StayView, ApiError> {
    stay_views(state, who, vec![s])
        .await?
        .pop()
        .ok_or_else(|| ApiError::Internal("a stay's view went missing".into()))
}

/// Views of service points, their organisations and region names loaded at once.
async fn point_views(
    state: &AppState,
    who: Option<&Authenticated>,
    points: Vec<service_point::Model>,
) -> Result<Vec<ServicePointView>, ApiError> {
    let mut org_ids: Vec<Uuid> = points.iter().map(|p| p.organization_id).collect();
    org_ids.sort();
    org_ids.dedup();
    let orgs = state.store.organizations_by_ids(&org_ids).await?;
    let map: HashMap<Uuid, PartyView> = parties(state, &orgs).await?;
    let codes: Vec<String> = points.iter().map(|p| p.region_code.clone()).collect();
    let names = state.store.region_names(&codes).await?;
    let managed = manages_many(state, who, &org_ids).await?;
    points
        .into_iter()
        .map(|p| {
            Ok(ServicePointView {
                id: p.id,
                organization: party_of(&map, p.organization_id)?,
                region_name: names.get(&p.region_code).cloned().unwrap_or_default(),
                name: p.name,
                kind: *p.kind,
                region_code: p.region_code,
                address: p.address,
                opening_hours: p.opening_hours,
                capacity: p.capacity,
                exhibition_slots: p.exhibition_slots,
                allowed_actions: service_point_allowed_actions(
                    managed.get(&p.organization_id).copied().unwrap_or(false),
                ),
                figures: None,
                stays: None,
                created_at: p.created_at,
                updated_at: p.updated_at,
                version: p.version,
            })
        })
        .collect()
}

/// The first and last days a date filter stands for when one end is open: written as
/// plain `YYYY-MM-DD` (`NaiveDate::MIN`/`MAX` carry a sign and would compare wrongly as
/// SQLite's text).
fn first_day() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(1, 1, 1).unwrap_or(chrono::NaiveDate::MIN)
}

fn last_day() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(9999, 12, 31).unwrap_or(chrono::NaiveDate::MAX)
}

/// The stays showing today or ahead, soonest first.
fn ahead(today: chrono::NaiveDate) -> Days {
    Days::new(today, last_day())
}

/// The single service point: its figures of `year` and what it shows now and next.
async fn full_point(
    state: &AppState,
    who: Option<&Authenticated>,
    p: service_point::Model,
    year: Option<i32>,
) -> Result<ServicePointView, ApiError> {
    let today = china_date(state.clock.now());
    let year = year.unwrap_or(today.year());
    let f = state.store.service_point_figures(p.id, year, today).await?;
    let stays = state
        .store
        .list_stays(StayFilter {
            service_point_id: Some(p.id),
            overlapping: Some(ahead(today)),
            limit: STAYS_SHOWN,
            ..Default::default()
        })
        .await?;
    let stays = stay_views(state, who, stays).await?;
    let mut v = point_views(state, who, vec![p])
        .await?
        .pop()
        .ok_or_else(|| ApiError::Internal("a service point's view went missing".into()))?;
    v.figures = Some(ServicePointFigures {
        year,
        activities: f.activities,
        volunteers: f.volunteers,
        hours: f.hours_tenths as f64 / 10.0,
        people_served: f.people_served,
        exhibitions_shown: f.exhibitions_shown,
        visitors: f.visitors,
        guided_tours: f.guided_tours,
        lectures: f.lectures,
    });
    v.stays = Some(stays);
    Ok(v)
}

fn respond_point(v: ServicePointView) -> HttpResponse {
    let version = v.version;
    with_etag(HttpResponse::Ok().json(v), version)
}

/// Registers a service point (rule 57) for an organisation the caller administers, or one
/// below an organisation it administers.
#[utoipa::path(tag = "hub", security(("bearer" = [])), request_body = CreateServicePointRequest, responses(
    (status = 201, body = ServicePointView, headers(("ETag" = String, description = "version of the service point"))),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json", description = "not_your_organization"),
    (status = 404, body = Problem, content_type = "application/problem+json", description = "organization_not_found"),
    (status = 409, body = Problem, content_type = "application/problem+json", description = "organization_not_approved"),
    (status = 422, body = Problem, content_type = "application/problem+json", description = "unknown_service_point_kind, region_not_found…"),
))]
#[post("/service-points")]
pub async fn create_service_point(
    state: web::Data<AppState>,
    who: Authenticated,
    body: web::Json<CreateServicePointRequest>,
) -> Result<HttpResponse, ApiError> {
    let org = acting_org(
        &state,
        &who,
        body.organization_id,
        "register its service points",
    )
    .await?;
    let mut p = Problems::default();
    let draft = p.absorb(ServicePointDraft::try_from(&*body));
    if draft.is_some() {
        check_region(&state, &mut p, "region_code", &body.region_code).await?;
    }
    let draft = p.done(draft)?;
    let actor = actor(&state, &who).await?;
    let sp = state
        .store
        .create_service_point(org.id, point_content(draft), &actor, state.clock.now())
        .await?;
    let id = sp.id;
    let v = full_point(&state, Some(&who), sp, None).await?;
    let version = v.version;
    Ok(with_etag(
        super::created(format!("/service-points/{id}")).json(v),
        version,
    ))
}

/// Changes a service point's details (its organisation's admins, those above it, platform
/// admins). Send `If-Match` with the ETag.
#[utoipa::path(tag = "hub", security(("bearer" = [])), params(("id" = Uuid, Path), ("If-Match" = Option<String>, Header, description = "ETag of the version read")), request_body = UpdateServicePointRequest, responses(
    (status = 200, body = ServicePointView, headers(("ETag" = String))),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json", description = "not_your_organization"),
    (status = 404, body = Problem, content_type = "application/problem+json", description = "service_point_not_found"),
    (status = 409, body = Problem, content_type = "application/problem+json", description = "service_point_full (fewer slots than exhibitions placed at once)"),
    (status = 412, body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
#[put("/service-points/{id}")]
pub async fn update_service_point(
    state: web::Data<AppState>,
    who: Authenticated,
    req: HttpRequest,
    id: web::Path<Uuid>,
    body: web::Json<UpdateServicePointRequest>,
) -> Result<HttpResponse, ApiError> {
    let not_found = || ApiError::NotFound(ProblemCode::ServicePointNotFound);
    let sp = state
        .store
        .get_service_point(*id)
        .await?
        .ok_or_else(not_found)?;
    let org = state
        .store
        .get_organization(sp.organization_id)
        .await?
        .ok_or_else(not_found)?;
    if !manages(&state, Some(&who), &org).await? {
        return Err(ApiError::Forbidden(
            ProblemCode::NotYourOrganization,
            "only the responsible organisation's admins or those above it change a service point"
                .into(),
        ));
    }
    let expected = expected_version(&req)?;
    let current = ServicePointDraft {
        name: sp.name.clone(),
        kind: *sp.kind,
        region: zhihui_domain::RegionCode::parse(&sp.region_code)
            .map_err(|_| ApiError::Internal(format!("service point {} has a bad region", sp.id)))?,
        address: sp.address.clone(),
        opening_hours: sp.opening_hours.clone(),
        capacity: sp.capacity,
        exhibition_slots: sp.exhibition_slots,
    };
    let mut p = Problems::default();
    let draft = p.absorb(current.amended(&body));
    if let (Some(_), Some(code)) = (&draft, &body.region_code) {
        check_region(&state, &mut p, "region_code", code).await?;
    }
    let draft = p.done(draft)?;
    let now = state.clock.now();
    let sp = state
        .store
        .update_service_point(sp.id, expected, point_content(draft), china_date(now), now)
        .await?;
    Ok(respond_point(
        full_point(&state, Some(&who), sp, None).await?,
    ))
}

/// Service points, oldest first: by region (a prefix of the code), kind, responsible
/// organisation, whether they show exhibitions, or a part of the name or address. Public.
#[utoipa::path(tag = "hub", params(ServicePointQuery), responses(
    (status = 200, body = ServicePointPage),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
#[get("/service-points")]
pub async fn list_service_points(
    state: web::Data<AppState>,
    caller: Caller,
    q: web::Query<ServicePointQuery>,
) -> Result<HttpResponse, ApiError> {
    let mut p = Problems::validate(&*q);
    let kind = p.closed_opt(
        "kind",
        ProblemCode::UnknownServicePointKind,
        q.kind.as_deref(),
    );
    check_region_prefix(&mut p, &q.region);
    let text = q.q.as_deref().map(str::trim).filter(|t| !t.is_empty());
    if q.q.is_some() && text.is_none() && !p.has("q") {
        p.push("q", ProblemCode::Length, "say what to look for");
    }
    let after = uuid_cursor(&mut p, &q.cursor);
    p.finish()?;
    let limit = q.limit.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT);
    let filter = ServicePointFilter {
        region_prefix: q.region.clone(),
        kind,
        organization_id: q.organization_id,
        shows_exhibitions: q.shows_exhibitions,
        text: text.map(str::to_string),
        after,
        limit,
    };
    async fn page(
        state: web::Data<AppState>,
        who: Option<Authenticated>,
        filter: ServicePointFilter,
    ) -> Result<serde_json::Value, ApiError> {
        let limit = filter.limit;
        let rows = state.store.list_service_points(filter).await?;
        let items = point_views(&state, who.as_ref(), rows).await?;
        let next = next_cursor(&items, limit, |v| v.id.to_string());
        json_of(ServicePointPage {
            items,
            next_cursor: next,
        })
    }
    let v = match caller.0 {
        None => {
            let key = format!("list_service_points|{filter:?}");
            public_read(&state, key, move |st| page(st, None, filter)).await?
        }
        Some(w) => std::sync::Arc::new(page(state.clone(), Some(w), filter).await?),
    };
    Ok(answer(&v))
}

fn check_region_prefix(p: &mut Problems, region: &Option<String>) {
    if let Some(r) = region {
        if !(matches!(r.len(), 2 | 4 | 6) && r.bytes().all(|b| b.is_ascii_digit())) {
            p.push(
                "region",
                ProblemCode::InvalidRegion,
                "a region code or its prefix: 2, 4 or 6 digits",
            );
        }
    }
}

/// One service point with its figures of a year (rule 58: activities held there, the
/// volunteers and hours, exhibitions shown and their visitors) and the stays showing now
/// or next. Public.
#[utoipa::path(tag = "hub", params(("id" = Uuid, Path), ServicePointFiguresQuery), responses(
    (status = 200, body = ServicePointView, headers(("ETag" = String))),
    (status = 404, body = Problem, content_type = "application/problem+json", description = "service_point_not_found"),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
#[get("/service-points/{id}")]
pub async fn get_service_point(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    q: web::Query<ServicePointFiguresQuery>,
) -> Result<HttpResponse, ApiError> {
    Problems::validate(&*q).finish()?;
    let (id, year) = (*id, q.year);
    async fn one(
        state: web::Data<AppState>,
        who: Option<Authenticated>,
        id: Uuid,
        year: Option<i32>,
    ) -> Result<serde_json::Value, ApiError> {
        let sp = state
            .store
            .get_service_point(id)
            .await?
            .ok_or(ApiError::NotFound(ProblemCode::ServicePointNotFound))?;
        json_of(full_point(&state, who.as_ref(), sp, year).await?)
    }
    let v = match caller.0 {
        None => {
            let key = format!("get_service_point|{id}|{year:?}");
            public_read(&state, key, move |st| one(st, None, id, year)).await?
        }
        Some(w) => std::sync::Arc::new(one(state.clone(), Some(w), id, year).await?),
    };
    Ok(answer(&v))
}

async fn exhibition_views(
    state: &AppState,
    rows: Vec<exhibition::Model>,
) -> Result<Vec<ExhibitionView>, ApiError> {
    let mut org_ids: Vec<Uuid> = rows.iter().map(|e| e.owner_id).collect();
    org_ids.sort();
    org_ids.dedup();
    let orgs = state.store.organizations_by_ids(&org_ids).await?;
    let map = parties(state, &orgs).await?;
    rows.into_iter()
        .map(|e| {
            Ok(ExhibitionView {
                id: e.id,
                owner: party_of(&map, e.owner_id)?,
                title: e.title,
                theme: e.theme,
                category: *e.category,
                panels: e.panels,
                description: e.description,
                stays: None,
                created_at: e.created_at,
                version: e.version,
            })
        })
        .collect()
}

async fn full_exhibition(
    state: &AppState,
    who: Option<&Authenticated>,
    e: exhibition::Model,
) -> Result<ExhibitionView, ApiError> {
    let today = china_date(state.clock.now());
    let stays = state
        .store
        .list_stays(StayFilter {
            exhibition_id: Some(e.id),
            overlapping: Some(ahead(today)),
            limit: STAYS_SHOWN,
            ..Default::default()
        })
        .await?;
    let stays = stay_views(state, who, stays).await?;
    let mut v = exhibition_views(state, vec![e])
        .await?
        .pop()
        .ok_or_else(|| ApiError::Internal("an exhibition's view went missing".into()))?;
    v.stays = Some(stays);
    Ok(v)
}

/// Adds a micro-exhibition (rule 59) to the catalogue of an organisation the caller
/// administers.
#[utoipa::path(tag = "hub", security(("bearer" = [])), request_body = CreateExhibitionRequest, responses(
    (status = 201, body = ExhibitionView, headers(("ETag" = String, description = "version of the exhibition"))),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json", description = "not_your_organization"),
    (status = 404, body = Problem, content_type = "application/problem+json", description = "organization_not_found"),
    (status = 409, body = Problem, content_type = "application/problem+json", description = "organization_not_approved"),
    (status = 422, body = Problem, content_type = "application/problem+json", description = "unknown_exhibition_category…"),
))]
#[post("/exhibitions")]
pub async fn create_exhibition(
    state: web::Data<AppState>,
    who: Authenticated,
    body: web::Json<CreateExhibitionRequest>,
) -> Result<HttpResponse, ApiError> {
    let owner = acting_org(&state, &who, body.owner_id, "add its exhibitions").await?;
    let draft = ExhibitionDraft::try_from(&*body)?;
    let actor = actor(&state, &who).await?;
    let e = state
        .store
        .create_exhibition(
            owner.id,
            ExhibitionContent {
                title: draft.title,
                theme: draft.theme,
                category: draft.category,
                panels: draft.panels,
                description: draft.description,
            },
            &actor,
            state.clock.now(),
        )
        .await?;
    let id = e.id;
    let v = full_exhibition(&state, Some(&who), e).await?;
    let version = v.version;
    Ok(with_etag(
        super::created(format!("/exhibitions/{id}")).json(v),
        version,
    ))
}

/// The catalogue of exhibitions, oldest first: by owner, category, or a part of the title
/// or theme. Public.
#[utoipa::path(tag = "hub", params(ExhibitionQuery), responses(
    (status = 200, body = ExhibitionPage),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
#[get("/exhibitions")]
pub async fn list_exhibitions(
    state: web::Data<AppState>,
    q: web::Query<ExhibitionQuery>,
) -> Result<HttpResponse, ApiError> {
    let mut p = Problems::validate(&*q);
    let category = p.closed_opt(
        "category",
        ProblemCode::UnknownExhibitionCategory,
        q.category.as_deref(),
    );
    let text = q.q.as_deref().map(str::trim).filter(|t| !t.is_empty());
    if q.q.is_some() && text.is_none() && !p.has("q") {
        p.push("q", ProblemCode::Length, "say what to look for");
    }
    let after = uuid_cursor(&mut p, &q.cursor);
    p.finish()?;
    let limit = q.limit.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT);
    let rows = state
        .store
        .list_exhibitions(ExhibitionFilter {
            owner_id: q.owner_id,
            category,
            text: text.map(str::to_string),
            after,
            limit,
        })
        .await?;
    let items = exhibition_views(&state, rows).await?;
    let next = next_cursor(&items, limit, |v| v.id.to_string());
    Ok(HttpResponse::Ok().json(ExhibitionPage {
        items,
        next_cursor: next,
    }))
}

/// One exhibition with its stays showing now or next. Public.
#[utoipa::path(tag = "hub", params(("id" = Uuid, Path)), responses(
    (status = 200, body = ExhibitionView, headers(("ETag" = String))),
    (status = 404, body = Problem, content_type = "application/problem+json", description = "exhibition_not_found"),
))]
#[get("/exhibitions/{id}")]
pub async fn get_exhibition(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let e = state
        .store
        .get_exhibition(*id)
        .await?
        .ok_or(ApiError::NotFound(ProblemCode::ExhibitionNotFound))?;
    let v = full_exhibition(&state, caller.0.as_ref(), e).await?;
    let version = v.version;
    Ok(with_etag(HttpResponse::Ok().json(v), version))
}

/// Whether the owner's exhibitions may go to `point`: a point of the owner or of an
/// organisation below it, or one the caller administers itself.
async fn within_reach(
    state: &AppState,
    who: &Authenticated,
    owner: Uuid,
    point: &service_point::Model,
) -> Result<bool, ApiError> {
    Ok(who.is_platform_admin
        || point.organization_id == owner
        || who.administers(point.organization_id)
        || state
            .store
            .is_ancestor_or_self(owner, point.organization_id)
            .await?)
}

/// Places the exhibition at a service point from a day to a day (rule 60), for the
/// exhibition owner's admins. The exhibition must be nowhere else on any of those days
/// (`exhibition_elsewhere`) and the point must have a free slot on each
/// (`service_point_full`); of two placements racing for the same days, one is refused.
#[utoipa::path(tag = "hub", security(("bearer" = [])), params(("id" = Uuid, Path)), request_body = ScheduleStayRequest, responses(
    (status = 201, body = StayView, headers(("ETag" = String, description = "version of the stay"))),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json", description = "not_your_organization, service_point_out_of_reach"),
    (status = 404, body = Problem, content_type = "application/problem+json", description = "exhibition_not_found"),
    (status = 409, body = Problem, content_type = "application/problem+json", description = "exhibition_elsewhere, service_point_full, point_shows_no_exhibitions"),
    (status = 422, body = Problem, content_type = "application/problem+json", description = "service_point_not_found, period_ends_before_start, period_too_long, in_the_past"),
))]
#[post("/exhibitions/{id}/stays")]
pub async fn schedule_exhibition_stay(
    state: web::Data<AppState>,
    who: Authenticated,
    id: web::Path<Uuid>,
    body: web::Json<ScheduleStayRequest>,
) -> Result<HttpResponse, ApiError> {
    let e = state
        .store
        .get_exhibition(*id)
        .await?
        .ok_or(ApiError::NotFound(ProblemCode::ExhibitionNotFound))?;
    if !(who.is_platform_admin || who.administers(e.owner_id)) {
        return Err(ApiError::Forbidden(
            ProblemCode::NotYourOrganization,
            "only the exhibition owner's admins place it".into(),
        ));
    }
    let today = china_date(state.clock.now());
    let StayDays(days) = StayDays::try_from((&*body, today))?;
    let point = state
        .store
        .get_service_point(body.service_point_id)
        .await?
        .ok_or_else(|| {
            ApiError::field(
                "service_point_id",
                ProblemCode::ServicePointNotFound,
                "no service point with this id",
            )
        })?;
    if !within_reach(&state, &who, e.owner_id, &point).await? {
        return Err(ApiError::Forbidden(
            ProblemCode::ServicePointOutOfReach,
            "the service point belongs to neither the owner nor an organisation below it".into(),
        ));
    }
    let actor = actor(&state, &who).await?;
    let s = state
        .store
        .schedule_stay(e.id, point.id, days, &actor, state.clock.now())
        .await?;
    let sid = s.id;
    let v = stay_view(&state, Some(&who), s).await?;
    let version = v.version;
    Ok(with_etag(
        super::created(format!("/exhibition-stays?exhibition_id={}#{sid}", e.id)).json(v),
        version,
    ))
}

/// Stays, by first day: of an exhibition, at a service point, of an organisation's
/// exhibitions or at its points, sharing a day with `from`..`to` (the rotation calendar).
/// Cancelled stays only when asked. Public.
#[utoipa::path(tag = "hub", params(StayQuery), responses(
    (status = 200, body = StayPage),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
#[get("/exhibition-stays")]
pub async fn list_exhibition_stays(
    state: web::Data<AppState>,
    caller: Caller,
    q: web::Query<StayQuery>,
) -> Result<HttpResponse, ApiError> {
    let mut p = Problems::validate(&*q);
    if let (Some(f), Some(t)) = (q.from, q.to) {
        if t < f {
            p.push(
                "to",
                ProblemCode::BeforeFrom,
                "`to` comes on or after `from`",
            );
        }
    }
    let after = compound_cursor(&mut p, &q.cursor, |k| {
        chrono::NaiveDate::parse_from_str(k, "%Y-%m-%d").ok()
    });
    p.finish()?;
    let limit = q.limit.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT);
    let overlapping = match (q.from, q.to) {
        (None, None) => None,
        (f, t) => Some(Days::new(
            f.unwrap_or_else(first_day),
            t.unwrap_or_else(last_day),
        )),
    };
    let query = StayPageQuery {
        exhibition_id: q.exhibition_id,
        service_point_id: q.service_point_id,
        organization_id: q.organization_id,
        overlapping,
        include_cancelled: q.include_cancelled.unwrap_or(false),
        after,
        limit,
    };
    let v = match caller.0 {
        None => {
            let key = format!("list_exhibition_stays|{query:?}");
            public_read(&state, key, move |st| stay_page(st, None, query)).await?
        }
        Some(w) => std::sync::Arc::new(stay_page(state.clone(), Some(w), query).await?),
    };
    Ok(answer(&v))
}

/// A checked query of the stays.
#[derive(Debug)]
struct StayPageQuery {
    exhibition_id: Option<Uuid>,
    service_point_id: Option<Uuid>,
    organization_id: Option<Uuid>,
    overlapping: Option<Days>,
    include_cancelled: bool,
    after: Option<(chrono::NaiveDate, Uuid)>,
    limit: u64,
}

async fn stay_page(
    state: web::Data<AppState>,
    who: Option<Authenticated>,
    q: StayPageQuery,
) -> Result<serde_json::Value, ApiError> {
    let (exhibitions_in, points_in) = match q.organization_id {
        Some(org) => {
            let es = state
                .store
                .list_exhibitions(ExhibitionFilter {
                    owner_id: Some(org),
                    limit: 1000,
                    ..Default::default()
                })
                .await?;
            let ps = state
                .store
                .list_service_points(ServicePointFilter {
                    organization_id: Some(org),
                    limit: 1000,
                    ..Default::default()
                })
                .await?;
            (
                Some(es.iter().map(|e| e.id).collect()),
                Some(ps.iter().map(|p| p.id).collect()),
            )
        }
        None => (None, None),
    };
    let rows = state
        .store
        .list_stays(StayFilter {
            exhibition_id: q.exhibition_id,
            service_point_id: q.service_point_id,
            exhibitions_in,
            points_in,
            overlapping: q.overlapping,
            include_cancelled: q.include_cancelled,
            after: q.after,
            limit: q.limit,
        })
        .await?;
    let items = stay_views(&state, who.as_ref(), rows).await?;
    let next = next_cursor(&items, q.limit, |v| format!("{}_{}", v.starts_on, v.id));
    json_of(StayPage {
        items,
        next_cursor: next,
    })
}

/// Takes one step on a stay for the side allowed to take it.
async fn stay_step(
    state: &AppState,
    who: &Authenticated,
    req: &HttpRequest,
    id: Uuid,
    action: StayAction,
    visits: Option<Visits>,
) -> Result<HttpResponse, ApiError> {
    let s = state
        .store
        .get_stay(id)
        .await?
        .ok_or(ApiError::NotFound(ProblemCode::StayNotFound))?;
    let v = stay_view(state, Some(who), s).await?;
    let owner = who.is_platform_admin || who.administers(v.exhibition.owner_id);
    let host = who.administers(v.service_point.organization_id);
    let allowed = match action {
        StayAction::Cancel => owner,
        StayAction::RecordVisits => owner || host,
    };
    if !allowed {
        return Err(ApiError::Forbidden(
            ProblemCode::NotYourOrganization,
            match action {
                StayAction::Cancel => "only the exhibition owner's admins cancel a stay",
                StayAction::RecordVisits => {
                    "only the hosting service point's or the exhibition owner's admins record visits"
                }
            }
            .into(),
        ));
    }
    let now = state.clock.now();
    let s = state
        .store
        .act_on_stay(
            id,
            action,
            expected_version(req)?,
            visits,
            china_date(now),
            now,
        )
        .await?;
    let v = stay_view(state, Some(who), s).await?;
    let version = v.version;
    Ok(with_etag(HttpResponse::Ok().json(v), version))
}

/// Cancels a stay before its first day (the exhibition owner's admins); its slot and the
/// exhibition's days are free again. Send `If-Match` with the ETag.
#[utoipa::path(tag = "hub", security(("bearer" = [])), params(("id" = Uuid, Path), ("If-Match" = Option<String>, Header, description = "ETag of the version read")), responses(
    (status = 200, body = StayView, headers(("ETag" = String))),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json", description = "not_your_organization"),
    (status = 404, body = Problem, content_type = "application/problem+json", description = "stay_not_found"),
    (status = 409, body = Problem, content_type = "application/problem+json", description = "stay_begun, stay_cancelled"),
    (status = 412, body = Problem, content_type = "application/problem+json"),
))]
#[post("/exhibition-stays/{id}/cancel")]
pub async fn cancel_exhibition_stay(
    state: web::Data<AppState>,
    who: Authenticated,
    req: HttpRequest,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    stay_step(&state, &who, &req, *id, StayAction::Cancel, None).await
}

/// Records a stay's visits so far (rule 62): visitors, guided tours, lectures held; the
/// figures replace what was recorded. For the hosting service point's admins and the
/// exhibition owner's, from the stay's first day. Send `If-Match` with the ETag.
#[utoipa::path(tag = "hub", security(("bearer" = [])), params(("id" = Uuid, Path), ("If-Match" = Option<String>, Header, description = "ETag of the version read")), request_body = RecordVisitsRequest, responses(
    (status = 200, body = StayView, headers(("ETag" = String))),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json", description = "not_your_organization"),
    (status = 404, body = Problem, content_type = "application/problem+json", description = "stay_not_found"),
    (status = 409, body = Problem, content_type = "application/problem+json", description = "stay_not_begun, stay_cancelled"),
    (status = 412, body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json", description = "out_of_range"),
))]
#[put("/exhibition-stays/{id}/visits")]
pub async fn record_exhibition_visits(
    state: web::Data<AppState>,
    who: Authenticated,
    req: HttpRequest,
    id: web::Path<Uuid>,
    body: web::Json<RecordVisitsRequest>,
) -> Result<HttpResponse, ApiError> {
    let visits = Visits::try_from(&*body)?;
    stay_step(
        &state,
        &who,
        &req,
        *id,
        StayAction::RecordVisits,
        Some(visits),
    )
    .await
}

/// Proposes a rotation of the owner's exhibitions between service points (rule 61): the
/// period is cut into rounds of `stay_days`; in each round every exhibition is at one
/// point at most, no point gets more than its free slots, and no point gets a theme it has
/// shown before. As many points as possible receive one in every round (a maximum
/// matching); `gaps` names the rounds a point able to show one is left without, because
/// every exhibition free then has a theme it has seen. Stays already placed are worked
/// around. Nothing is stored: keep or change the stays and place them with
/// `schedule_exhibition_stay`.
#[utoipa::path(tag = "hub", security(("bearer" = [])), request_body = PlanRotationRequest, responses(
    (status = 200, body = RotationPlanView),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json", description = "not_your_organization, service_point_out_of_reach"),
    (status = 404, body = Problem, content_type = "application/problem+json", description = "organization_not_found"),
    (status = 422, body = Problem, content_type = "application/problem+json", description = "exhibition_not_found, service_point_not_found, period_too_long, out_of_range…"),
))]
#[post("/exhibition-rotation-plans")]
pub async fn plan_exhibition_rotation(
    state: web::Data<AppState>,
    who: Authenticated,
    body: web::Json<PlanRotationRequest>,
) -> Result<HttpResponse, ApiError> {
    let PlanPeriod { period, .. } = PlanPeriod::try_from(&*body)?;
    let owner = state
        .store
        .get_organization(body.owner_id)
        .await?
        .ok_or(ApiError::NotFound(ProblemCode::OrganizationNotFound))?;
    if !(who.is_platform_admin || who.administers(owner.id)) {
        return Err(ApiError::Forbidden(
            ProblemCode::NotYourOrganization,
            "only the owner's admins plan its exhibitions' rotation".into(),
        ));
    }
    let mut eids = body.exhibition_ids.clone();
    eids.sort();
    eids.dedup();
    let mut pids = body.service_point_ids.clone();
    pids.sort();
    pids.dedup();
    let exhibitions = state.store.exhibitions_by_ids(&eids).await?;
    let points = state.store.service_points_by_ids(&pids).await?;
    let mut p = Problems::default();
    for (i, id) in body.exhibition_ids.iter().enumerate() {
        if !exhibitions
            .iter()
            .any(|e| e.id == *id && e.owner_id == owner.id)
        {
            p.push(
                &format!("exhibition_ids[{i}]"),
                ProblemCode::ExhibitionNotFound,
                "not an exhibition of the owner",
            );
        }
    }
    for (i, id) in body.service_point_ids.iter().enumerate() {
        if !points.iter().any(|sp| sp.id == *id) {
            p.push(
                &format!("service_point_ids[{i}]"),
                ProblemCode::ServicePointNotFound,
                "no service point with this id",
            );
        }
    }
    p.finish()?;
    for sp in &points {
        if !within_reach(&state, &who, owner.id, sp).await? {
            return Err(ApiError::Forbidden(
                ProblemCode::ServicePointOutOfReach,
                format!(
                    "{} belongs to neither the owner nor an organisation below it",
                    sp.name
                ),
            ));
        }
    }
    let before = state.store.stays_until(&eids, &pids, period.to).await?;
    let theme_of: HashMap<Uuid, String> = state
        .store
        .exhibitions_by_ids(&before.iter().map(|s| s.exhibition_id).collect::<Vec<_>>())
        .await?
        .into_iter()
        .map(|e| (e.id, e.theme))
        .collect();
    let plan_points: Vec<PlanPoint> = points
        .iter()
        .map(|sp| PlanPoint {
            id: sp.id,
            slots: sp.exhibition_slots,
            seen_themes: before
                .iter()
                .filter(|s| s.service_point_id == sp.id && s.starts_on < period.from)
                .filter_map(|s| theme_of.get(&s.exhibition_id).cloned())
                .collect(),
        })
        .collect();
    let plan_exhibitions: Vec<PlanExhibition> = exhibitions
        .iter()
        .map(|e| PlanExhibition {
            id: e.id,
            theme: e.theme.clone(),
        })
        .collect();
    let placed: Vec<PlacedStay> = before
        .iter()
        .filter(|s| s.ends_on >= period.from)
        .map(|s| PlacedStay {
            exhibition_id: s.exhibition_id,
            point_id: s.service_point_id,
            days: Days::new(s.starts_on, s.ends_on),
        })
        .collect();
    let req = PlanRequest {
        exhibitions: &plan_exhibitions,
        points: &plan_points,
        period,
        stay_days: body.stay_days,
        placed: &placed,
    };
    let plan = plan_rotation(&req).map_err(|(f, e)| ApiError::field(f, e.code, e.message))?;
    let faults = plan_faults(&req, &plan);
    if !faults.is_empty() {
        return Err(ApiError::Internal(format!(
            "the rotation plan broke a rule: {}",
            faults.join("; ")
        )));
    }
    Ok(HttpResponse::Ok().json(RotationPlanView {
        rounds: plan.rounds.into_iter().map(DaysView::from).collect(),
        stays: plan
            .stays
            .into_iter()
            .map(|s| ProposedStayView {
                exhibition_id: s.exhibition_id,
                service_point_id: s.point_id,
                starts_on: s.days.from,
                ends_on: s.days.to,
            })
            .collect(),
        gaps: plan
            .gaps
            .into_iter()
            .map(|g| PlanGapView {
                service_point_id: g.point_id,
                starts_on: g.days.from,
                ends_on: g.days.to,
            })
            .collect(),
    }))
}
