//! Needs (科普需求) and their matching: posted (点单), dispatched (派单) or claimed (接单),
//! scheduled as the team's activity, served and rated (评单), rules 46-53.

use std::collections::HashMap;

use actix_web::{get, post, put, web, HttpRequest, HttpResponse};
use chrono::{Datelike, NaiveDate};
use uuid::Uuid;
use zhihui_contract::activities::{ActivityPlan, CreateActivityRequest};
use zhihui_contract::form::Reason;
use zhihui_contract::needs::{
    ClaimNeedRequest, CreateNeedRequest, DispatchNeedRequest, NeedContactView, NeedDraft,
    NeedEventView, NeedFigures, NeedMonthFigures, NeedPage, NeedQuery, NeedRating, NeedRatingView,
    NeedReasonRequest, NeedRegionFigures, NeedRollupQuery, NeedRollupView, NeedSuggestionsView,
    NeedView, RankFactorsView, RateNeedRequest, ScheduleNeedRequest, TeamSuggestionView,
    UpdateNeedRequest,
};
use zhihui_contract::pairing::{PairingRef, PartyView};
use zhihui_contract::{Problem, DEFAULT_LIMIT, MAX_LIMIT};
use zhihui_domain::need::{
    check_requester, claim_basis, closeness, effective_status, median, need_allowed_actions,
    need_priority, rank, rating_due, rating_open, serves_needs, Candidate, ClaimFacts, RankWeights,
    WantedSkills,
};
use zhihui_domain::{
    MobilePhone, NeedAction, NeedEvent, NeedRoles, NeedStatus, OrganizationLevel,
    OrganizationStatus, ProblemCode, SkillField,
};
use zhihui_persistence::entities::{organization, service_need};
use zhihui_persistence::{NeedContent, NeedFilter, NeedRatingRecord, NeedStep, VisibleNeeds};

use super::{actor, compound_cursor, expected_version, next_cursor, with_etag};
use crate::auth::{Authenticated, Caller};
use crate::clock::china_date;
use crate::error::ApiError;
use crate::lookups::{check_region, parties, party_of};
use crate::state::AppState;
use crate::validation::Problems;

/// How many teams a suggestion list considers and returns at most.
const CANDIDATES: u64 = 500;
const SUGGESTIONS: usize = 20;

/// Who stands where towards a need.
#[derive(Default)]
struct Standing {
    requester: bool,
    /// Administers the requester's parent (dispatches).
    parent: bool,
    /// Administers an organisation above the requester (sees everything but drafts).
    above: bool,
    holder: bool,
    platform: bool,
    /// The caller's teams that may claim the need now.
    claimable_by: Vec<Uuid>,
}

impl Standing {
    fn roles(&self) -> NeedRoles {
        NeedRoles {
            requester: self.requester,
            parent: self.parent,
            holder: self.holder,
            claimant: !self.claimable_by.is_empty(),
        }
    }

    /// Drafts are the requester's; an open need is on the public board; the rest is the
    /// parties' and the platform's.
    fn sees(&self, status: NeedStatus) -> bool {
        match status {
            NeedStatus::Draft => self.requester,
            NeedStatus::Open => true,
            _ => self.party(),
        }
    }

    /// The requester, the organisations above it, the team holding the need and platform
    /// admins: they see the contact.
    fn party(&self) -> bool {
        self.requester || self.parent || self.above || self.holder || self.platform
    }
}

fn status_of(n: &service_need::Model, today: NaiveDate) -> NeedStatus {
    effective_status(*n.status, n.window_to, today)
}

/// The caller's organisations, loaded once per request.
struct Mine {
    orgs: Vec<organization::Model>,
}

impl Mine {
    async fn of(state: &AppState, who: Option<&Authenticated>) -> Result<Self, ApiError> {
        let ids: Vec<Uuid> = who
            .map(|w| w.admin_of.iter().copied().take(200).collect())
            .unwrap_or_default();
        Ok(Self {
            orgs: state.store.organizations_by_ids(&ids).await?,
        })
    }

    /// The caller's approved serving teams that may claim a need of `region` (rule 48).
    fn claimants(&self, need: &service_need::Model, paired: &[Uuid]) -> Vec<Uuid> {
        self.orgs
            .iter()
            .filter(|o| o.status == OrganizationStatus::Approved)
            .filter(|o| {
                claim_basis(ClaimFacts {
                    team_category: *o.category,
                    team_region: &o.region_code,
                    need_region: &need.region_code,
                    paired: paired.contains(&o.id),
                    own_need: o.id == need.requester_id,
                })
                .is_ok()
            })
            .map(|o| o.id)
            .collect()
    }
}

/// What a page of needs shares: the societies paired with each county, and (once known)
/// whether the caller administers an organisation above each requester.
#[derive(Default)]
struct Shared {
    paired: HashMap<Uuid, Vec<Uuid>>,
    above: Option<HashMap<Uuid, bool>>,
}

#[allow(clippy::too_many_arguments)]
async fn standing(
    state: &AppState,
    who: Option<&Authenticated>,
    mine: &Mine,
    n: &service_need::Model,
    requester: &organization::Model,
    today: NaiveDate,
    shared: &mut Shared,
) -> Result<Standing, ApiError> {
    let Some(who) = who else {
        return Ok(Standing::default());
    };
    let mut s = Standing {
        requester: who.administers(n.requester_id),
        parent: requester.parent_id.is_some_and(|p| who.administers(p)),
        holder: n.holder_id.is_some_and(|h| who.administers(h)),
        platform: who.is_platform_admin,
        ..Default::default()
    };
    if !s.requester && !s.parent && !who.admin_of.is_empty() {
        s.above = match shared.above.as_ref().and_then(|m| m.get(&requester.id)) {
            Some(above) => *above,
            None => {
                let ancestors = state.store.ancestors(requester).await?;
                ancestors.iter().any(|a| who.administers(*a))
            }
        };
    }
    if status_of(n, today) == NeedStatus::Open && !mine.orgs.is_empty() {
        let paired = match n.county_id {
            Some(c) => match shared.paired.get(&c) {
                Some(p) => p.clone(),
                None => {
                    let p = state.store.paired_societies(c, today).await?;
                    shared.paired.insert(c, p.clone());
                    p
                }
            },
            None => vec![],
        };
        s.claimable_by = mine.claimants(n, &paired);
    }
    Ok(s)
}

fn json_list<T: serde::de::DeserializeOwned>(s: &str) -> Vec<T> {
    serde_json::from_str(s).unwrap_or_default()
}

/// The skills a stored need asks for (its two JSON columns), read in one place.
fn wanted_of(n: &service_need::Model) -> WantedSkills {
    WantedSkills {
        fields: json_list::<String>(&n.skill_fields)
            .iter()
            .filter_map(|f| SkillField::parse(f))
            .collect(),
        tags: json_list(&n.skill_tags),
    }
}

fn view(
    state: &AppState,
    n: service_need::Model,
    s: &Standing,
    map: &HashMap<Uuid, PartyView>,
    region_name: String,
    today: NaiveDate,
) -> Result<NeedView, ApiError> {
    let status = status_of(&n, today);
    let contact = if s.party() {
        let phone = if s.requester || s.holder || s.parent {
            state.store.decrypt(&n.contact_phone_enc)?
        } else {
            n.contact_phone_masked.clone()
        };
        Some(NeedContactView {
            name: n.contact_name.clone(),
            phone,
        })
    } else {
        None
    };
    let wanted = wanted_of(&n);
    Ok(NeedView {
        id: n.id,
        requester: party_of(map, n.requester_id)?,
        title: n.title,
        description: n.description,
        category: *n.category,
        skill_fields: wanted.fields,
        skill_tags: wanted.tags,
        audience: *n.audience,
        audience_size: n.audience_size,
        place: n.place,
        region_code: n.region_code,
        region_name,
        window_from: n.window_from,
        window_to: n.window_to,
        priority_area: n.priority_area.map(|a| *a),
        contact,
        status,
        holder: n.holder_id.map(|h| party_of(map, h)).transpose()?,
        activity_id: n.activity_id,
        service_point_id: n.service_point_id,
        pairing: None,
        published_at: n.published_at,
        scheduled_at: n.scheduled_at,
        served_at: n.served_at,
        rating_due_at: match status {
            NeedStatus::Served => n
                .served_at
                .map(|at| rating_due(at, state.settings.need_rating_days)),
            _ => None,
        },
        rating: match (n.stars, n.people_reached, n.rated_at) {
            (Some(stars), Some(people_reached), Some(rated_at)) => Some(NeedRatingView {
                stars,
                people_reached,
                comment: n.rating_comment,
                rated_at,
            }),
            _ => None,
        },
        cancel_reason: n.cancel_reason,
        allowed_actions: need_allowed_actions(status, s.roles()),
        claimable_by: s.claimable_by.clone(),
        created_at: n.created_at,
        updated_at: n.updated_at,
        version: n.version,
        history: None,
    })
}

/// A need the caller may see, with its requester and the caller's standing.
struct Loaded {
    need: service_need::Model,
    requester: organization::Model,
    standing: Standing,
}

async fn load(state: &AppState, who: Option<&Authenticated>, id: Uuid) -> Result<Loaded, ApiError> {
    load_as(state, who, id, false).await
}

/// A need as [`load`] finds it; `published_ok`: also one that was once on the public board
/// (a team claiming a need someone else took meanwhile is told so, not that it is gone).
async fn load_as(
    state: &AppState,
    who: Option<&Authenticated>,
    id: Uuid,
    published_ok: bool,
) -> Result<Loaded, ApiError> {
    let not_found = || ApiError::NotFound(ProblemCode::NeedNotFound);
    let need = state.store.get_need(id).await?.ok_or_else(not_found)?;
    let requester = state
        .store
        .get_organization(need.requester_id)
        .await?
        .ok_or_else(not_found)?;
    let today = china_date(state.clock.now());
    let mine = Mine::of(state, who).await?;
    let standing = standing(
        state,
        who,
        &mine,
        &need,
        &requester,
        today,
        &mut Shared::default(),
    )
    .await?;
    let once_public = published_ok && need.published_at.is_some();
    if !standing.sees(status_of(&need, today)) && !once_public {
        return Err(not_found());
    }
    Ok(Loaded {
        need,
        requester,
        standing,
    })
}

/// The single need's view: parties, the pairing and the history.
async fn full_view(state: &AppState, l: Loaded) -> Result<NeedView, ApiError> {
    let today = china_date(state.clock.now());
    let events = state.store.need_events(l.need.id).await?;
    let mut ids: Vec<Uuid> = events.iter().filter_map(|e| e.team_id).collect();
    ids.extend(l.need.holder_id);
    ids.sort();
    ids.dedup();
    let mut orgs = state.store.organizations_by_ids(&ids).await?;
    orgs.push(l.requester.clone());
    let map = parties(state, &orgs).await?;
    let names = state
        .store
        .region_names(std::slice::from_ref(&l.need.region_code))
        .await?;
    let region_name = names.get(&l.need.region_code).cloned().unwrap_or_default();
    let status = status_of(&l.need, today);
    let pairing = match l.need.pairing_id {
        Some(p) => state.store.get_pairing(p).await?.map(|p| PairingRef {
            id: p.id,
            proof_number: p.proof_number,
        }),
        None => None,
    };
    let window_to = l.need.window_to;
    let party = l.standing.party();
    let mut history: Vec<NeedEventView> = events
        .into_iter()
        // Outsiders see the public steps, not who was dispatched or declined.
        .filter(|e| party || matches!(*e.action, NeedEvent::Created | NeedEvent::Published))
        .map(|e| {
            Ok(NeedEventView {
                action: *e.action,
                at: e.at,
                actor_name: party.then_some(e.actor_name),
                team: e.team_id.map(|t| party_of(&map, t)).transpose()?,
                note: party.then_some(e.note).flatten(),
            })
        })
        .collect::<Result<_, ApiError>>()?;
    if status == NeedStatus::Expired {
        history.push(NeedEventView {
            action: NeedEvent::Expired,
            at: zhihui_domain::report::china_day_start(window_to.succ_opt().unwrap_or(window_to)),
            actor_name: None,
            team: None,
            note: None,
        });
    }
    let mut v = view(state, l.need, &l.standing, &map, region_name, today)?;
    v.pairing = pairing;
    v.history = Some(history);
    Ok(v)
}

/// The county-level organisation a requester is or sits under (pairings are the county's).
async fn county_of(
    state: &AppState,
    requester: &organization::Model,
) -> Result<Option<Uuid>, ApiError> {
    if *requester.level == OrganizationLevel::County {
        return Ok(Some(requester.id));
    }
    for a in state.store.ancestors(requester).await? {
        if let Some(o) = state.store.get_organization(a).await? {
            if *o.level == OrganizationLevel::County {
                return Ok(Some(o.id));
            }
        }
    }
    Ok(None)
}

/// The priority flag of the county a need is posted under, if any (rule 46).
async fn county_flag(
    state: &AppState,
    county: Option<Uuid>,
) -> Result<Option<zhihui_domain::PriorityArea>, ApiError> {
    Ok(match county {
        Some(c) => state
            .store
            .get_organization(c)
            .await?
            .and_then(|o| o.priority_area.map(|a| *a)),
        None => None,
    })
}

fn content(d: NeedDraft) -> NeedContent {
    NeedContent {
        title: d.title,
        description: d.description,
        category: d.category,
        skill_fields: serde_json::to_string(
            &d.skills
                .fields
                .iter()
                .map(|f| f.as_str())
                .collect::<Vec<_>>(),
        )
        .unwrap_or_else(|_| "[]".into()),
        skill_tags: serde_json::to_string(&d.skills.tags).unwrap_or_else(|_| "[]".into()),
        audience: d.audience,
        audience_size: d.audience_size,
        place: d.place,
        region_code: d.region.as_str().to_string(),
        window_from: d.window_from,
        window_to: d.window_to,
        priority_area: d.priority_area,
        contact_name: d.contact_name,
        contact_phone_masked: d.contact_phone.masked(),
        contact_phone: d.contact_phone.as_str().to_string(),
    }
}

fn respond(v: NeedView) -> HttpResponse {
    let version = v.version;
    with_etag(HttpResponse::Ok().json(v), version)
}

/// Posts a need as a draft for an organisation the caller administers: a county
/// association or volunteer federation, a township, school, enterprise or community team,
/// or any organisation for a service point it is responsible for (`service_point_id`).
#[utoipa::path(tag = "needs", security(("bearer" = [])), request_body = CreateNeedRequest, responses(
    (status = 201, body = NeedView, headers(("ETag" = String, description = "version of the need"))),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json", description = "not_your_organization"),
    (status = 404, body = Problem, content_type = "application/problem+json", description = "organization_not_found"),
    (status = 409, body = Problem, content_type = "application/problem+json", description = "organization_not_approved"),
    (status = 422, body = Problem, content_type = "application/problem+json", description = "not_a_requester, service_point_not_found, not_the_requesters_service_point, unknown_skill_field, unknown_audience, in_the_past, period_ends_before_start, region_not_found…"),
))]
#[post("/needs")]
pub async fn create_need(
    state: web::Data<AppState>,
    who: Authenticated,
    body: web::Json<CreateNeedRequest>,
) -> Result<HttpResponse, ApiError> {
    let requester = state
        .store
        .get_organization(body.organization_id)
        .await?
        .filter(|o| o.status == OrganizationStatus::Approved || who.administers(o.id))
        .ok_or(ApiError::NotFound(ProblemCode::OrganizationNotFound))?;
    if !who.administers(requester.id) {
        return Err(ApiError::Forbidden(
            ProblemCode::NotYourOrganization,
            "only the requesting organisation's own admins post its needs".into(),
        ));
    }
    if requester.status != OrganizationStatus::Approved {
        return Err(ApiError::Conflict {
            code: ProblemCode::OrganizationNotApproved,
            message: "an organisation posts needs once it is approved".into(),
        });
    }
    let today = china_date(state.clock.now());
    let mut p = Problems::default();
    let own_point = match body.service_point_id {
        Some(id) => match state.store.get_service_point(id).await? {
            None => {
                p.push(
                    "service_point_id",
                    ProblemCode::ServicePointNotFound,
                    "no service point with this id",
                );
                false
            }
            Some(sp) if sp.organization_id != requester.id => {
                p.push(
                    "service_point_id",
                    ProblemCode::NotTheRequestersServicePoint,
                    "a need is posted for a service point of the requesting organisation",
                );
                false
            }
            Some(_) => true,
        },
        None => false,
    };
    if !p.has("service_point_id") {
        if let Err(e) = check_requester(*requester.category, *requester.level, own_point) {
            p.push("organization_id", e.code, e.message);
        }
    }
    let draft = p.absorb(NeedDraft::try_from((&*body, today)));
    if draft.is_some() {
        check_region(&state, &mut p, "region_code", &body.region_code).await?;
    }
    let mut draft = p.done(draft)?;
    let county = county_of(&state, &requester).await?;
    draft.priority_area = need_priority(draft.priority_area, county_flag(&state, county).await?);
    let actor = actor(&state, &who).await?;
    let n = state
        .store
        .create_need(
            requester.id,
            county,
            body.service_point_id,
            content(draft),
            &actor,
            state.clock.now(),
        )
        .await?;
    let loaded = load(&state, Some(&who), n.id).await?;
    let v = full_view(&state, loaded).await?;
    let version = v.version;
    Ok(with_etag(
        super::created(format!("/needs/{}", n.id)).json(v),
        version,
    ))
}

/// Changes a draft or open need (the requester). Once a team holds it, it cannot change
/// (`need_already_held`). Send `If-Match` with the ETag.
#[utoipa::path(tag = "needs", security(("bearer" = [])), params(("id" = Uuid, Path), ("If-Match" = Option<String>, Header, description = "ETag of the version read")), request_body = UpdateNeedRequest, responses(
    (status = 200, body = NeedView, headers(("ETag" = String))),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json", description = "need_not_found"),
    (status = 409, body = Problem, content_type = "application/problem+json", description = "need_already_held, need_served, need_expired, need_cancelled"),
    (status = 412, body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
#[put("/needs/{id}")]
pub async fn update_need(
    state: web::Data<AppState>,
    who: Authenticated,
    req: HttpRequest,
    id: web::Path<Uuid>,
    body: web::Json<UpdateNeedRequest>,
) -> Result<HttpResponse, ApiError> {
    let l = load(&state, Some(&who), *id).await?;
    if !l.standing.requester {
        return Err(ApiError::Forbidden(
            ProblemCode::NotYourOrganization,
            "only the requesting organisation's admins change a need".into(),
        ));
    }
    let expected = expected_version(&req)?;
    let today = china_date(state.clock.now());
    zhihui_domain::need_transition(status_of(&l.need, today), NeedAction::Update)?;
    let n = &l.need;
    let current = NeedDraft {
        title: n.title.clone(),
        description: n.description.clone(),
        category: *n.category,
        skills: wanted_of(n),
        audience: *n.audience,
        audience_size: n.audience_size,
        place: n.place.clone(),
        region: zhihui_domain::RegionCode::parse(&n.region_code)
            .map_err(|_| ApiError::Internal(format!("need {} has a bad region", n.id)))?,
        window_from: n.window_from,
        window_to: n.window_to,
        priority_area: n.priority_area.map(|a| *a),
        contact_name: n.contact_name.clone(),
        contact_phone: MobilePhone::parse(&state.store.decrypt(&n.contact_phone_enc)?)
            .map_err(|_| ApiError::Internal(format!("need {} has a bad phone", n.id)))?,
    };
    let mut p = Problems::default();
    let draft = p.absorb(current.amended(&body, today));
    if let (Some(_), Some(code)) = (&draft, &body.region_code) {
        check_region(&state, &mut p, "region_code", code).await?;
    }
    let mut draft = p.done(draft)?;
    draft.priority_area =
        need_priority(draft.priority_area, county_flag(&state, n.county_id).await?);
    let actor = actor(&state, &who).await?;
    state
        .store
        .update_need(
            n.id,
            expected,
            content(draft),
            &actor,
            state.clock.now(),
            today,
        )
        .await?;
    let loaded = load(&state, Some(&who), *id).await?;
    Ok(respond(full_view(&state, loaded).await?))
}

/// What a step carries beyond the action.
#[derive(Default)]
struct Extra {
    team_id: Option<Uuid>,
    note: Option<String>,
    rating: Option<NeedRatingRecord>,
    activity: Option<(ActivityPlan, Uuid)>,
    pairing_id: Option<Uuid>,
}

/// Takes one step on a need for the side allowed to take it.
async fn step(
    state: &AppState,
    who: &Authenticated,
    req: &HttpRequest,
    l: Loaded,
    action: NeedAction,
    extra: Extra,
) -> Result<HttpResponse, ApiError> {
    let (allowed, side) = match action {
        NeedAction::Update | NeedAction::Publish | NeedAction::Cancel | NeedAction::Rate => {
            (l.standing.requester, "requesting organisation's admins")
        }
        NeedAction::Dispatch => (
            l.standing.parent,
            "requester's parent organisation's admins",
        ),
        NeedAction::AcceptDispatch | NeedAction::DeclineDispatch | NeedAction::Schedule => {
            (l.standing.holder, "admins of the team holding the need")
        }
        NeedAction::Claim => (true, ""),
    };
    if !allowed {
        return Err(ApiError::Forbidden(
            if action == NeedAction::Dispatch {
                ProblemCode::ParentAdminOnly
            } else {
                ProblemCode::NotYourOrganization
            },
            format!("only the {side} may {} this need", action.as_str()),
        ));
    }
    let now = state.clock.now();
    let actor = actor(state, who).await?;
    let also_tell: Vec<Uuid> = l.requester.parent_id.into_iter().collect();
    state
        .store
        .act_on_need(
            l.need.id,
            NeedStep {
                action,
                expected_version: expected_version(req)?,
                team_id: extra.team_id,
                note: extra.note,
                now,
                today: china_date(now),
                rating: extra.rating,
                activity: extra.activity,
                pairing_id: extra.pairing_id,
                also_tell,
            },
            &actor,
        )
        .await?;
    let loaded = load(state, Some(who), l.need.id).await?;
    Ok(respond(full_view(state, loaded).await?))
}

/// Opens a draft to teams (the requester): it appears on the public board.
#[utoipa::path(tag = "needs", security(("bearer" = [])), params(("id" = Uuid, Path), ("If-Match" = Option<String>, Header, description = "ETag of the version read")), responses(
    (status = 200, body = NeedView, headers(("ETag" = String))),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 409, body = Problem, content_type = "application/problem+json", description = "need_not_draft, need_cancelled"),
    (status = 412, body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json", description = "in_the_past (the window has ended)"),
))]
#[post("/needs/{id}/publish")]
pub async fn publish_need(
    state: web::Data<AppState>,
    who: Authenticated,
    req: HttpRequest,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let l = load(&state, Some(&who), *id).await?;
    if l.standing.requester && l.need.window_to < china_date(state.clock.now()) {
        return Err(ApiError::field(
            "window_to",
            ProblemCode::InThePast,
            "the window has already ended; change it before publishing",
        ));
    }
    step(&state, &who, &req, l, NeedAction::Publish, Extra::default()).await
}

/// Cancels a need before it is served (the requester), with a reason.
#[utoipa::path(tag = "needs", security(("bearer" = [])), params(("id" = Uuid, Path), ("If-Match" = Option<String>, Header, description = "ETag of the version read")), request_body = NeedReasonRequest, responses(
    (status = 200, body = NeedView, headers(("ETag" = String))),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 409, body = Problem, content_type = "application/problem+json", description = "need_served, need_expired, need_cancelled"),
    (status = 412, body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
#[post("/needs/{id}/cancel")]
pub async fn cancel_need(
    state: web::Data<AppState>,
    who: Authenticated,
    req: HttpRequest,
    id: web::Path<Uuid>,
    body: web::Json<NeedReasonRequest>,
) -> Result<HttpResponse, ApiError> {
    let Reason(reason) = Reason::of(&*body, "reason", &body.reason)?;
    let l = load(&state, Some(&who), *id).await?;
    let extra = Extra {
        note: Some(reason),
        ..Default::default()
    };
    step(&state, &who, &req, l, NeedAction::Cancel, extra).await
}

/// An approved organisation that serves needs, or a 422 against `field`.
async fn serving_team(
    state: &AppState,
    field: &str,
    id: Uuid,
) -> Result<organization::Model, ApiError> {
    let team = state
        .store
        .get_organization(id)
        .await?
        .filter(|o| o.status == OrganizationStatus::Approved)
        .ok_or_else(|| {
            ApiError::field(
                field,
                ProblemCode::OrganizationNotFound,
                "no approved organisation with this id",
            )
        })?;
    if !serves_needs(*team.category) {
        return Err(ApiError::field(
            field,
            ProblemCode::NotAServingTeam,
            "associations for science and technology and volunteer federations dispatch needs; a team serves them",
        ));
    }
    Ok(team)
}

/// Dispatches an open need to one team (派单; the requester's parent organisation). The
/// team accepts or declines; meanwhile no other team may claim it.
#[utoipa::path(tag = "needs", security(("bearer" = [])), params(("id" = Uuid, Path), ("If-Match" = Option<String>, Header, description = "ETag of the version read")), request_body = DispatchNeedRequest, responses(
    (status = 200, body = NeedView, headers(("ETag" = String))),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json", description = "parent_admin_only"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 409, body = Problem, content_type = "application/problem+json", description = "need_already_held, need_not_open, need_expired, need_cancelled, need_served"),
    (status = 412, body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json", description = "organization_not_found, not_a_serving_team (team_id)"),
))]
#[post("/needs/{id}/dispatch")]
pub async fn dispatch_need(
    state: web::Data<AppState>,
    who: Authenticated,
    req: HttpRequest,
    id: web::Path<Uuid>,
    body: web::Json<DispatchNeedRequest>,
) -> Result<HttpResponse, ApiError> {
    Problems::validate(&*body).finish()?;
    let l = load(&state, Some(&who), *id).await?;
    if !l.standing.parent {
        return Err(ApiError::Forbidden(
            ProblemCode::ParentAdminOnly,
            "only the requester's parent organisation dispatches its needs".into(),
        ));
    }
    let team = serving_team(&state, "team_id", body.team_id).await?;
    let extra = Extra {
        team_id: Some(team.id),
        note: zhihui_contract::form::blank(body.note.as_deref()).map(|n| n.trim().to_string()),
        ..Default::default()
    };
    step(&state, &who, &req, l, NeedAction::Dispatch, extra).await
}

/// Accepts a need dispatched to the caller's team: the team holds it.
#[utoipa::path(tag = "needs", security(("bearer" = [])), params(("id" = Uuid, Path), ("If-Match" = Option<String>, Header, description = "ETag of the version read")), responses(
    (status = 200, body = NeedView, headers(("ETag" = String))),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 409, body = Problem, content_type = "application/problem+json", description = "need_not_dispatched, need_expired, need_cancelled"),
    (status = 412, body = Problem, content_type = "application/problem+json"),
))]
#[post("/needs/{id}/accept-dispatch")]
pub async fn accept_need_dispatch(
    state: web::Data<AppState>,
    who: Authenticated,
    req: HttpRequest,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let l = load(&state, Some(&who), *id).await?;
    step(
        &state,
        &who,
        &req,
        l,
        NeedAction::AcceptDispatch,
        Extra::default(),
    )
    .await
}

/// Declines a need dispatched to the caller's team, with a reason: it is open again.
#[utoipa::path(tag = "needs", security(("bearer" = [])), params(("id" = Uuid, Path), ("If-Match" = Option<String>, Header, description = "ETag of the version read")), request_body = NeedReasonRequest, responses(
    (status = 200, body = NeedView, headers(("ETag" = String))),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 409, body = Problem, content_type = "application/problem+json", description = "need_not_dispatched, need_expired, need_cancelled"),
    (status = 412, body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
#[post("/needs/{id}/decline-dispatch")]
pub async fn decline_need_dispatch(
    state: web::Data<AppState>,
    who: Authenticated,
    req: HttpRequest,
    id: web::Path<Uuid>,
    body: web::Json<NeedReasonRequest>,
) -> Result<HttpResponse, ApiError> {
    let Reason(reason) = Reason::of(&*body, "reason", &body.reason)?;
    let l = load(&state, Some(&who), *id).await?;
    let extra = Extra {
        team_id: l.need.holder_id,
        note: Some(reason),
        ..Default::default()
    };
    step(&state, &who, &req, l, NeedAction::DeclineDispatch, extra).await
}

/// Claims an open need for a team the caller administers (接单): a team of the need's
/// county, a society paired with the county, a society of its province or a national
/// society (rule 48). One team holds a need: a claim that loses a race is refused with
/// `need_already_held`.
#[utoipa::path(tag = "needs", security(("bearer" = [])), params(("id" = Uuid, Path), ("If-Match" = Option<String>, Header, description = "ETag of the version read")), request_body = ClaimNeedRequest, responses(
    (status = 200, body = NeedView, headers(("ETag" = String))),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json", description = "not_your_organization, claim_not_eligible"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 409, body = Problem, content_type = "application/problem+json", description = "need_already_held, need_not_open, need_expired, need_cancelled, need_served"),
    (status = 412, body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json", description = "organization_not_found, not_a_serving_team (team_id)"),
))]
#[post("/needs/{id}/claim")]
pub async fn claim_need(
    state: web::Data<AppState>,
    who: Authenticated,
    req: HttpRequest,
    id: web::Path<Uuid>,
    body: web::Json<ClaimNeedRequest>,
) -> Result<HttpResponse, ApiError> {
    let l = load_as(&state, Some(&who), *id, true).await?;
    if !who.administers(body.team_id) {
        return Err(ApiError::Forbidden(
            ProblemCode::NotYourOrganization,
            "a need is claimed for a team the caller administers".into(),
        ));
    }
    let team = serving_team(&state, "team_id", body.team_id).await?;
    let today = china_date(state.clock.now());
    let paired = match l.need.county_id {
        Some(c) if team.category.is_society() => state
            .store
            .active_pairing(team.id, c, today)
            .await?
            .is_some(),
        _ => false,
    };
    if let Err(e) = claim_basis(ClaimFacts {
        team_category: *team.category,
        team_region: &team.region_code,
        need_region: &l.need.region_code,
        paired,
        own_need: team.id == l.need.requester_id,
    }) {
        return Err(ApiError::Forbidden(e.code, e.message));
    }
    let extra = Extra {
        team_id: Some(team.id),
        ..Default::default()
    };
    step(&state, &who, &req, l, NeedAction::Claim, extra).await
}

/// Schedules a need the caller's team holds (rule 50): creates the team's draft activity
/// with the need's title, category, place, region and the audience size as capacity, within
/// the need's window, linked both ways and to the pairing between the team and the county
/// when one is in force. The team edits and publishes the activity as any other.
#[utoipa::path(tag = "needs", security(("bearer" = [])), params(("id" = Uuid, Path), ("If-Match" = Option<String>, Header, description = "ETag of the version read")), request_body = ScheduleNeedRequest, responses(
    (status = 200, body = NeedView, headers(("ETag" = String))),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 409, body = Problem, content_type = "application/problem+json", description = "need_not_claimed, need_expired, need_cancelled"),
    (status = 412, body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json", description = "outside_window (starts_at), ends_before_start, in_the_past…"),
))]
#[post("/needs/{id}/schedule")]
pub async fn schedule_need(
    state: web::Data<AppState>,
    who: Authenticated,
    req: HttpRequest,
    id: web::Path<Uuid>,
    body: web::Json<ScheduleNeedRequest>,
) -> Result<HttpResponse, ApiError> {
    let l = load(&state, Some(&who), *id).await?;
    let Some(holder) = l.need.holder_id.filter(|_| l.standing.holder) else {
        return Err(ApiError::Forbidden(
            ProblemCode::NotYourOrganization,
            "only the admins of the team holding the need schedule it".into(),
        ));
    };
    let today = china_date(state.clock.now());
    zhihui_domain::need_transition(status_of(&l.need, today), NeedAction::Schedule)?;
    let n = &l.need;
    let request = CreateActivityRequest {
        organization_id: holder,
        title: n.title.clone(),
        category: n.category.as_str().to_string(),
        description: n.description.clone(),
        starts_at: body.starts_at,
        ends_at: body.ends_at,
        place: n.place.clone(),
        region_code: n.region_code.clone(),
        capacity: n.audience_size,
        sign_up_opens_at: None,
        sign_up_closes_at: None,
        members_only: false,
        key_date: None,
        leader_ids: vec![],
        service_point_id: n.service_point_id,
    };
    let mut p = Problems::validate(&*body);
    let plan = p.absorb(ActivityPlan::try_from((&request, state.clock.now())));
    if let Err(e) = zhihui_domain::need::check_within_window(
        china_date(body.starts_at),
        n.window_from,
        n.window_to,
    ) {
        p.push("starts_at", e.code, e.message);
    }
    let plan = p.done(plan)?;
    let team = state.store.get_organization(holder).await?;
    let pairing_id = match (n.county_id, team) {
        (Some(c), Some(t)) if t.category.is_society() => state
            .store
            .active_pairing(t.id, c, today)
            .await?
            .map(|p| p.id),
        _ => None,
    };
    let extra = Extra {
        activity: Some((plan, who.account_id)),
        pairing_id,
        ..Default::default()
    };
    step(&state, &who, &req, l, NeedAction::Schedule, extra).await
}

/// Rates a served need (评单; the requester), once, within `need_rating_days` (default 30)
/// of its service: one to five stars, the people reached, a comment.
#[utoipa::path(tag = "needs", security(("bearer" = [])), params(("id" = Uuid, Path), ("If-Match" = Option<String>, Header, description = "ETag of the version read")), request_body = RateNeedRequest, responses(
    (status = 200, body = NeedView, headers(("ETag" = String))),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 409, body = Problem, content_type = "application/problem+json", description = "need_not_served, need_already_rated, rating_window_closed"),
    (status = 412, body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json", description = "range (stars, people_reached)"),
))]
#[post("/needs/{id}/rate")]
pub async fn rate_need(
    state: web::Data<AppState>,
    who: Authenticated,
    req: HttpRequest,
    id: web::Path<Uuid>,
    body: web::Json<RateNeedRequest>,
) -> Result<HttpResponse, ApiError> {
    let rating = NeedRating::try_from(&*body)?;
    let l = load(&state, Some(&who), *id).await?;
    if l.standing.requester {
        if let (NeedStatus::Served, Some(served)) = (*l.need.status, l.need.served_at) {
            if !rating_open(served, state.clock.now(), state.settings.need_rating_days) {
                return Err(ApiError::Conflict {
                    code: ProblemCode::RatingWindowClosed,
                    message: format!(
                        "a served need is rated within {} days",
                        state.settings.need_rating_days
                    ),
                });
            }
        }
    }
    let extra = Extra {
        rating: Some(NeedRatingRecord {
            stars: rating.stars,
            people_reached: rating.people_reached,
            comment: rating.comment,
        }),
        ..Default::default()
    };
    step(&state, &who, &req, l, NeedAction::Rate, extra).await
}

/// One need: anyone sees an open need (the board, without its contact); drafts are the
/// requester's; the rest is for the requester, the organisations above it, the team
/// holding it and platform admins.
#[utoipa::path(tag = "needs", params(("id" = Uuid, Path)), responses(
    (status = 200, body = NeedView, headers(("ETag" = String))),
    (status = 404, body = Problem, content_type = "application/problem+json", description = "need_not_found"),
))]
#[get("/needs/{id}")]
pub async fn get_need(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let l = load(&state, caller.0.as_ref(), *id).await?;
    Ok(respond(full_view(&state, l).await?))
}

/// Needs, priority counties first, then newest first. Anonymous callers see the public
/// board: open needs without contacts. Signed in, an organisation's admins also see the
/// needs it posted or holds and those posted within its region (an association's
/// territory); platform admins see every need but drafts of others.
#[utoipa::path(tag = "needs", params(NeedQuery), responses(
    (status = 200, body = NeedPage),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
#[get("/needs")]
pub async fn list_needs(
    state: web::Data<AppState>,
    caller: Caller,
    q: web::Query<NeedQuery>,
) -> Result<HttpResponse, ApiError> {
    let mut p = Problems::validate(&*q);
    let status: Option<NeedStatus> =
        p.closed_opt("status", ProblemCode::UnknownStatus, q.status.as_deref());
    let category = p.closed_opt(
        "category",
        ProblemCode::UnknownActivityCategory,
        q.category.as_deref(),
    );
    if let Some(r) = &q.region {
        if !(matches!(r.len(), 2 | 4 | 6) && r.bytes().all(|b| b.is_ascii_digit())) {
            p.push(
                "region",
                ProblemCode::InvalidRegion,
                "a region code or its prefix: 2, 4 or 6 digits",
            );
        }
    }
    if let (Some(f), Some(t)) = (q.from, q.to) {
        if t < f {
            p.push(
                "to",
                ProblemCode::BeforeFrom,
                "`to` comes on or after `from`",
            );
        }
    }
    let after = compound_cursor(&mut p, &q.cursor, |k| k.parse::<i16>().ok());
    p.finish()?;
    let b = BoardQuery {
        status,
        category,
        region: q.region.clone(),
        from: q.from,
        to: q.to,
        requester_id: q.requester_id,
        holder_id: q.holder_id,
        after,
        limit: q.limit.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT),
    };
    let page = match caller.0 {
        // The public board is the same for every visitor: kept for a few seconds, and
        // forgotten when this process answers a write (`crate::cache`).
        None => {
            let now = state.clock.now();
            let key = format!("{b:?}|{}", china_date(now));
            let work_state = state.clone();
            state
                .need_boards
                .get_or_compute(&key, state.writes.current(), now, move || {
                    page_of(work_state, None, b)
                })
                .await?
        }
        Some(w) => std::sync::Arc::new(page_of(state.clone(), Some(w), b).await?),
    };
    Ok(HttpResponse::Ok().json(&*page))
}

/// A checked query of the list of needs.
#[derive(Debug)]
struct BoardQuery {
    status: Option<NeedStatus>,
    category: Option<zhihui_domain::ActivityCategory>,
    region: Option<String>,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    requester_id: Option<Uuid>,
    holder_id: Option<Uuid>,
    after: Option<(i16, Uuid)>,
    limit: u64,
}

/// One page of needs as `who` sees it.
async fn page_of(
    state: web::Data<AppState>,
    caller: Option<Authenticated>,
    q: BoardQuery,
) -> Result<NeedPage, ApiError> {
    let who = caller.as_ref();
    let today = china_date(state.clock.now());
    let mine = Mine::of(&state, who).await?;
    let visible = match who {
        Some(w) if w.is_platform_admin => None,
        Some(w) => Some(VisibleNeeds {
            open: true,
            of: w.admin_of.clone(),
            regions: mine
                .orgs
                .iter()
                .filter(|o| !serves_needs(*o.category))
                .filter_map(|o| match *o.level {
                    OrganizationLevel::Province => o.region_code.get(..2),
                    OrganizationLevel::City => o.region_code.get(..4),
                    OrganizationLevel::County => Some(o.region_code.as_str()),
                    _ => None,
                })
                .map(str::to_string)
                .collect(),
        }),
        None => Some(VisibleNeeds {
            open: true,
            of: vec![],
            regions: vec![],
        }),
    };
    let limit = q.limit;
    let needs = state
        .store
        .list_needs(NeedFilter {
            status: q.status,
            visible,
            region_prefix: q.region.clone(),
            category: q.category,
            overlapping: Some((q.from, q.to)),
            requester_id: q.requester_id,
            holder_id: q.holder_id,
            today: Some(today),
            after: q.after,
            limit,
        })
        .await?;
    let next = next_cursor(&needs, limit, |n| format!("{}_{}", n.priority, n.id));
    let mut ids: Vec<Uuid> = needs
        .iter()
        .flat_map(|n| std::iter::once(n.requester_id).chain(n.holder_id))
        .collect();
    ids.sort();
    ids.dedup();
    let orgs = state.store.organizations_by_ids(&ids).await?;
    let map = parties(&state, &orgs).await?;
    let codes: Vec<String> = needs.iter().map(|n| n.region_code.clone()).collect();
    let names = state.store.region_names(&codes).await?;
    let mut shared = Shared::default();
    if let Some(w) = who.filter(|w| !w.admin_of.is_empty()) {
        let requesters: Vec<Uuid> = orgs.iter().map(|o| o.id).collect();
        let mut above: HashMap<Uuid, bool> = requesters.iter().map(|r| (*r, false)).collect();
        for (descendant, ancestor) in state.store.ancestors_of_many(&requesters).await? {
            if w.administers(ancestor) {
                above.insert(descendant, true);
            }
        }
        shared.above = Some(above);
    }
    let mut items = Vec::with_capacity(needs.len());
    for n in needs {
        let requester = orgs
            .iter()
            .find(|o| o.id == n.requester_id)
            .ok_or_else(|| ApiError::Internal(format!("requester of need {} missing", n.id)))?;
        let s = standing(&state, who, &mine, &n, requester, today, &mut shared).await?;
        if !s.sees(status_of(&n, today)) && !who.is_some_and(|w| w.is_platform_admin) {
            continue;
        }
        let region_name = names.get(&n.region_code).cloned().unwrap_or_default();
        items.push(view(&state, n, &s, &map, region_name, today)?);
    }
    Ok(NeedPage {
        items,
        next_cursor: next,
    })
}

/// Teams ranked for a need (rule 52), with each factor's points: the share of the wanted
/// skills their approved members hold, an active pairing with the need's county, closeness
/// in the region tree, their open commitments and past ratings. The weights are
/// configuration (`need_weight_*`). Considered: the approved teams of the county, the
/// societies of its province, national societies and societies paired with the county.
/// For the requester, the organisations above it and platform admins.
#[utoipa::path(tag = "needs", security(("bearer" = [])), params(("id" = Uuid, Path)), responses(
    (status = 200, body = NeedSuggestionsView),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
))]
#[get("/needs/{id}/suggestions")]
pub async fn suggest_teams_for_need(
    state: web::Data<AppState>,
    who: Authenticated,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let l = load(&state, Some(&who), *id).await?;
    let s = &l.standing;
    if !(s.requester || s.parent || s.above || s.platform) {
        return Err(ApiError::Forbidden(
            ProblemCode::NotInYourOversight,
            "suggestions are for the requester, the organisations above it and the platform".into(),
        ));
    }
    let n = &l.need;
    let today = china_date(state.clock.now());
    let paired = match n.county_id {
        Some(c) => state.store.paired_societies(c, today).await?,
        None => vec![],
    };
    let teams = state
        .store
        .need_candidates(&n.region_code, &paired, CANDIDATES)
        .await?;
    let teams: Vec<organization::Model> = teams
        .into_iter()
        .filter(|t| t.id != n.requester_id)
        .collect();
    let ids: Vec<Uuid> = teams.iter().map(|t| t.id).collect();
    let skills: HashMap<Uuid, Vec<String>> =
        state.store.member_skills(&ids).await?.into_iter().collect();
    let records: HashMap<Uuid, zhihui_persistence::TeamRecord> =
        state.store.team_records(&ids).await?.into_iter().collect();
    let wanted = wanted_of(n);
    let candidates: Vec<(Uuid, Candidate)> = teams
        .iter()
        .map(|t| {
            let held = skills.get(&t.id).map(Vec::as_slice).unwrap_or(&[]);
            let r = records.get(&t.id).cloned().unwrap_or_default();
            (
                t.id,
                Candidate {
                    matched: wanted.covered_by(held.iter().map(String::as_str)),
                    wanted: wanted.count(),
                    paired: paired.contains(&t.id),
                    closeness: closeness(*t.category, &t.region_code, &n.region_code),
                    open_commitments: r.open_commitments,
                    ratings: r.ratings,
                    stars_total: r.stars_total,
                },
            )
        })
        .collect();
    let w: RankWeights = state.settings.need_rank_weights;
    let ranked = rank(candidates, &w);
    let top: Vec<_> = ranked.into_iter().take(SUGGESTIONS).collect();
    let top_orgs: Vec<organization::Model> = teams
        .into_iter()
        .filter(|t| top.iter().any(|(id, _, _)| *id == t.id))
        .collect();
    let map = parties(&state, &top_orgs).await?;
    let mut items = Vec::with_capacity(top.len());
    for (i, (team_id, c, f)) in top.into_iter().enumerate() {
        let team = top_orgs
            .iter()
            .find(|t| t.id == team_id)
            .ok_or_else(|| ApiError::Internal("a ranked team went missing".into()))?;
        let basis = claim_basis(ClaimFacts {
            team_category: *team.category,
            team_region: &team.region_code,
            need_region: &n.region_code,
            paired: c.paired,
            own_need: false,
        })
        .ok();
        items.push(TeamSuggestionView {
            rank: i as u32 + 1,
            team: party_of(&map, team_id)?,
            score: (f.total() * 100.0).round() / 100.0,
            factors: RankFactorsView {
                skills: f.skills,
                pairing: f.pairing,
                closeness: f.closeness,
                load: f.load,
                rating: f.rating,
            },
            matched_skills: c.matched,
            closeness: c.closeness,
            paired: c.paired,
            open_commitments: c.open_commitments,
            ratings: c.ratings,
            average_rating: (c.ratings > 0)
                .then(|| (f64::from(c.stars_total) / f64::from(c.ratings) * 100.0).round() / 100.0),
            claim_basis: basis,
        });
    }
    Ok(HttpResponse::Ok().json(NeedSuggestionsView {
        need_id: n.id,
        weights: RankFactorsView {
            skills: w.skills,
            pairing: w.pairing,
            closeness: w.closeness,
            load: w.load,
            rating: w.rating,
        },
        items,
    }))
}

fn figures(
    posted: u64,
    served: u64,
    unmet: u64,
    days: &[(i64, u64)],
    ratings: u64,
    stars: u64,
) -> NeedFigures {
    NeedFigures {
        posted,
        served,
        unmet,
        median_days_to_schedule: median(days),
        ratings,
        average_rating: (ratings > 0)
            .then(|| (stars as f64 / ratings as f64 * 100.0).round() / 100.0),
    }
}

/// Figures of needs for the nation, a province (`region=13`) or a city (`region=1301`),
/// counted over the needs published in the year (rule 53): posted, served, unmet past their
/// window, median days from publishing to scheduling, ratings; by child region (priority
/// first, then most unmet) and by month. Aggregates only: public, like the board.
#[utoipa::path(tag = "needs", params(NeedRollupQuery), responses(
    (status = 200, body = NeedRollupView),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
#[get("/need-rollup")]
pub async fn get_need_rollup(
    state: web::Data<AppState>,
    q: web::Query<NeedRollupQuery>,
) -> Result<HttpResponse, ApiError> {
    let mut p = Problems::validate(&*q);
    let prefix = q.region.clone().unwrap_or_default();
    // Absent is the nation; given, a province or a city (an empty value is not the nation).
    let shaped = match &q.region {
        None => true,
        Some(r) => matches!(r.len(), 2 | 4) && r.bytes().all(|b| b.is_ascii_digit()),
    };
    if !shaped {
        p.push(
            "region",
            ProblemCode::InvalidRegion,
            "a province (2 digits) or city (4 digits) code prefix",
        );
    }
    p.finish()?;
    let now = state.clock.now();
    let today = china_date(now);
    let year = q.year.unwrap_or(today.year());
    // The same scope, year and day give the same answer: kept for a few seconds, and
    // forgotten when this process answers a write (`crate::cache`).
    let key = format!("{prefix}|{year}|{today}");
    let generation = state.writes.current();
    let work_state = state.clone();
    let region = q.region.clone();
    let v = state
        .need_rollups
        .get_or_compute(&key, generation, now, move || {
            compute_rollup(work_state, prefix, region, year, today)
        })
        .await?;
    Ok(HttpResponse::Ok().json(&*v))
}

/// The figures of a checked scope and year, as of `today`.
async fn compute_rollup(
    state: web::Data<AppState>,
    prefix: String,
    region: Option<String>,
    year: i32,
    today: NaiveDate,
) -> Result<NeedRollupView, ApiError> {
    let scope_code = match prefix.len() {
        2 => format!("{prefix}0000"),
        4 => format!("{prefix}00"),
        _ => String::new(),
    };
    let scope_name = if scope_code.is_empty() {
        "全国".to_string()
    } else {
        let names = state
            .store
            .region_names(std::slice::from_ref(&scope_code))
            .await?;
        names.get(&scope_code).cloned().ok_or(ApiError::field(
            "region",
            ProblemCode::RegionNotFound,
            "no such province or city",
        ))?
    };
    let child_len = prefix.len() + 2;
    let rows = state
        .store
        .need_rollup(&prefix, child_len, year, today)
        .await?;
    let child_codes: Vec<String> = rows
        .by_region
        .iter()
        .map(|r| format!("{:0<6}", r.region_prefix))
        .collect();
    let names = state.store.region_names(&child_codes).await?;
    let mut all_days: Vec<(i64, u64)> = vec![];
    let mut totals = (0u64, 0u64, 0u64, 0u64, 0u64);
    let mut by_region: Vec<NeedRegionFigures> = rows
        .by_region
        .iter()
        .map(|r| {
            all_days.extend(r.days.iter().copied());
            totals.0 += r.posted;
            totals.1 += r.served;
            totals.2 += r.unmet;
            totals.3 += r.ratings;
            totals.4 += r.stars_total;
            let code = format!("{:0<6}", r.region_prefix);
            NeedRegionFigures {
                region_name: names.get(&code).cloned().unwrap_or_default(),
                region_code: code,
                priority_needs: r.priority,
                figures: figures(
                    r.posted,
                    r.served,
                    r.unmet,
                    &r.days,
                    r.ratings,
                    r.stars_total,
                ),
            }
        })
        .collect();
    by_region.sort_by(|a, b| {
        (b.priority_needs > 0)
            .cmp(&(a.priority_needs > 0))
            .then(b.figures.unmet.cmp(&a.figures.unmet))
            .then(a.region_code.cmp(&b.region_code))
    });
    let by_month = (1..=12)
        .map(|m| {
            let month = format!("{year}-{m:02}");
            let count = |v: &[(String, u64)]| {
                v.iter()
                    .find(|(k, _)| *k == month)
                    .map(|(_, n)| *n)
                    .unwrap_or(0)
            };
            NeedMonthFigures {
                posted: count(&rows.posted_by_month),
                served: count(&rows.served_by_month),
                month,
            }
        })
        .collect();
    Ok(NeedRollupView {
        region,
        region_name: scope_name,
        year,
        totals: figures(totals.0, totals.1, totals.2, &all_days, totals.3, totals.4),
        by_region,
        by_month,
    })
}
