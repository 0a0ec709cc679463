//! Activities, sign-ups with a waiting list, check-in, attendance and hour confirmation
//! (rules 17-22).

use std::collections::HashMap;
use std::sync::Arc;
use zhihui_domain::ProblemCode;

use actix_web::{delete, get, post, put, web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use uuid::Uuid;
use zhihui_contract::activities::{
    ActivityPage, ActivityQuery, ActivityView, AttendanceChangeView, AttendanceRequest,
    AttendanceView, CancelActivityRequest, CheckInCodeView, CheckInRequest, ConfirmHoursRequest,
    ConfirmHoursView, ConfirmedHoursView, CreateActivityRequest, LeaderView, MySignUpPage,
    MySignUpView, OwnSignUpView, SignUpPage, SignUpQuery, SignUpView, UpdateActivityRequest,
};
use zhihui_contract::{PageParams, Problem, DEFAULT_LIMIT};
use zhihui_domain::activity::{
    add_working_days, check_in_slot, check_in_slot_expiry, entered_tenths, served_minutes,
    MAX_CAPACITY,
};
use zhihui_domain::{
    activity_action_starts_from, activity_allowed_actions, activity_transition, sign_up_transition,
    ActivityAction, ActivityFacts, ActivityRoles, ActivityStatus, MembershipStatus,
    OrganizationStatus, RegionCode, SignUpAction, SignUpStatus,
};
use zhihui_persistence::entities::{activity, organization, sign_up, volunteer};
use zhihui_persistence::{
    ActivityChanges, ActivityFilter, AttendanceEntry, HoursEntry, NewActivity, RecordContext,
    SignUpGround,
};

use super::{compound_cursor, expected_version, next_cursor, uuid_cursor, with_etag};
use crate::auth::{Authenticated, Caller};
use crate::clock::china_date;
use crate::codes::{code_key, keyed_code};
use crate::error::ApiError;
use crate::lookups::check_region;
use crate::lookups::load_visible;
use crate::lookups::my_volunteer as require_volunteer;
use crate::policy;
use crate::state::AppState;
use crate::validation::Problems;

/// Who may do what with an activity, in one place.
pub(crate) mod policy_activity {
    use super::*;

    /// The running organisation's own admins and the platform admin oversee the activity:
    /// they see its draft and its sign-ups.
    pub fn oversees(who: &Authenticated, a: &activity::Model) -> bool {
        who.is_platform_admin || who.administers(a.organization_id)
    }

    /// Acting on the activity (publishing, cancelling, check-in codes, attendance, hours)
    /// is for the running organisation's own admins (and, where said, its leaders). The
    /// platform admin oversees — sees drafts and sign-up lists — but does not act for an
    /// organisation (README, *Security*).
    pub fn runs(who: &Authenticated, a: &activity::Model) -> bool {
        who.administers(a.organization_id)
    }

    /// Drafts are visible to those who oversee them; everything else is public.
    pub fn visible(who: Option<&Authenticated>, a: &activity::Model) -> bool {
        a.status != ActivityStatus::Draft || who.is_some_and(|w| oversees(w, a))
    }

    /// Sign-up lists: managers, the parent organisation's admins, and the leaders.
    pub fn sees_sign_ups(
        who: &Authenticated,
        a: &activity::Model,
        org: &organization::Model,
        leader: bool,
    ) -> bool {
        oversees(who, a) || policy::manages(who, org) || leader
    }
}
use policy_activity as pa;

async fn load(
    state: &AppState,
    who: Option<&Authenticated>,
    id: Uuid,
) -> Result<activity::Model, ApiError> {
    let a = state
        .store
        .get_activity(id)
        .await?
        .ok_or(ApiError::NotFound(ProblemCode::ActivityNotFound))?;
    if !pa::visible(who, &a) {
        return Err(ApiError::NotFound(ProblemCode::ActivityNotFound));
    }
    Ok(a)
}

async fn my_volunteer(
    state: &AppState,
    who: &Authenticated,
) -> Result<Option<volunteer::Model>, ApiError> {
    Ok(state.store.volunteer_by_account(who.account_id).await?)
}

/// Whether the caller leads the activity.
async fn leads(
    state: &AppState,
    who: &Authenticated,
    a: &activity::Model,
) -> Result<bool, ApiError> {
    match my_volunteer(state, who).await? {
        Some(v) => Ok(state.store.is_activity_leader(a.id, v.id).await?),
        None => Ok(false),
    }
}

fn confirmable_until(
    settings: &crate::state::ApiSettings,
    a: &activity::Model,
) -> chrono::NaiveDate {
    add_working_days(china_date(a.ends_at), settings.confirm_working_days)
}

/// Views for a page of activities with two or three queries, whatever its length.
async fn views(
    state: &AppState,
    who: Option<&Authenticated>,
    items: Vec<activity::Model>,
) -> Result<Vec<ActivityView>, ApiError> {
    let mut out = plain_views(state, items).await?;
    for_caller(state, who, &mut out).await?;
    Ok(out)
}

/// The caller's part of views as anyone sees them (a cached page, say): their own sign-ups
/// and what they may do, with their volunteer profile read once.
async fn for_caller(
    state: &AppState,
    who: Option<&Authenticated>,
    views: &mut [ActivityView],
) -> Result<(), ApiError> {
    let Some(w) = who else {
        return Ok(());
    };
    let me = my_volunteer(state, w).await?;
    if let Some(v) = &me {
        add_own_sign_ups(state, v, views).await?;
    }
    add_allowed_actions(state, w, me.as_ref(), views).await
}

/// The facts the activity's rules read (`zhihui_domain::activity_transition`).
fn facts(now: DateTime<Utc>, a: &activity::Model, hours_confirmed: bool) -> ActivityFacts {
    ActivityFacts {
        now,
        starts_at: a.starts_at,
        ends_at: a.ends_at,
        sign_up_opens_at: a.sign_up_opens_at,
        sign_up_closes_at: a.sign_up_closes_at,
        hours_confirmed,
    }
}

/// Applies the activity's rule for `action`: its next status, or the refusal as a 409.
fn act(
    a: &activity::Model,
    action: ActivityAction,
    f: &ActivityFacts,
) -> Result<ActivityStatus, ApiError> {
    Ok(activity_transition(*a.status, action, f)?)
}

/// Adds what the caller may do to each activity (`allowed_actions`): the caller's roles
/// (admin of the running organisation, leader, a volunteer it admits, signed up) and the
/// activity's facts, judged by the domain's one rule. Two queries for a signed-in
/// volunteer, one more when the caller runs some of the activities.
async fn add_allowed_actions(
    state: &AppState,
    w: &Authenticated,
    me: Option<&volunteer::Model>,
    views: &mut [ActivityView],
) -> Result<(), ApiError> {
    let member_of: std::collections::HashSet<Uuid> = match &me {
        Some(v) => state
            .store
            .memberships_of(v.id)
            .await?
            .into_iter()
            .filter(|(m, _)| m.status == MembershipStatus::Approved)
            .map(|(m, _)| m.organization_id)
            .collect(),
        None => Default::default(),
    };
    let run: Vec<Uuid> = views
        .iter()
        .filter(|v| w.administers(v.organization_id))
        .map(|v| v.id)
        .collect();
    let with_hours = state.store.activities_with_records(&run).await?;
    let now = state.clock.now();
    for v in views.iter_mut() {
        let status = v.status;
        let roles = ActivityRoles {
            runs: w.administers(v.organization_id),
            leads: me
                .as_ref()
                .is_some_and(|m| v.leaders.iter().any(|l| l.volunteer_id == m.id)),
            may_sign_up: me.is_some()
                && (!v.members_only || member_of.contains(&v.organization_id)),
            signed_up: v
                .my_sign_up
                .as_ref()
                .is_some_and(|s| s.status != SignUpStatus::Cancelled),
        };
        let f = ActivityFacts {
            now,
            starts_at: v.starts_at,
            ends_at: v.ends_at,
            sign_up_opens_at: v.sign_up_opens_at,
            sign_up_closes_at: v.sign_up_closes_at,
            hours_confirmed: with_hours.contains(&v.id),
        };
        v.allowed_actions = activity_allowed_actions(status, roles, &f);
    }
    Ok(())
}

/// Views as anyone sees them (no caller's own sign-up): two queries, whatever the length.
async fn plain_views(
    state: &AppState,
    items: Vec<activity::Model>,
) -> Result<Vec<ActivityView>, ApiError> {
    let ids: Vec<Uuid> = items.iter().map(|a| a.id).collect();
    let org_ids: Vec<Uuid> = items.iter().map(|a| a.organization_id).collect();
    let orgs: HashMap<Uuid, String> = state
        .store
        .organizations_by_ids(&org_ids)
        .await?
        .into_iter()
        .map(|o| (o.id, o.name))
        .collect();
    let codes: Vec<String> = items.iter().map(|a| a.region_code.clone()).collect();
    let regions = state.store.region_names(&codes).await?;
    let mut leaders = state.store.leaders_of(&ids).await?;
    let now = state.clock.now();
    Ok(items
        .into_iter()
        .map(|a| {
            let open = a.status == ActivityStatus::Published
                && now >= a.sign_up_opens_at
                && now <= a.sign_up_closes_at;
            ActivityView {
                id: a.id,
                organization_id: a.organization_id,
                organization_name: orgs.get(&a.organization_id).cloned().unwrap_or_default(),
                title: a.title.clone(),
                category: *a.category,
                description: a.description.clone(),
                starts_at: a.starts_at,
                ends_at: a.ends_at,
                place: a.place.clone(),
                region_name: regions.get(&a.region_code).cloned().unwrap_or_default(),
                region_code: a.region_code.clone(),
                capacity: a.capacity,
                places_taken: a.confirmed_count,
                places_left: (a.capacity - a.confirmed_count).max(0),
                waitlist_length: a.waitlist_count,
                sign_up_opens_at: a.sign_up_opens_at,
                sign_up_closes_at: a.sign_up_closes_at,
                sign_up_open: open,
                members_only: a.members_only,
                key_date: a.key_date.map(|v| v.0),
                status: *a.status,
                cancel_reason: a.cancel_reason.clone(),
                leaders: leaders
                    .remove(&a.id)
                    .unwrap_or_default()
                    .into_iter()
                    .map(|(volunteer_id, name)| LeaderView { volunteer_id, name })
                    .collect(),
                my_sign_up: None,
                allowed_actions: vec![],
                hours_confirmable_until: confirmable_until(&state.settings, &a),
                version: a.version,
                created_at: a.created_at,
                updated_at: a.updated_at,
            }
        })
        .collect())
}

/// Adds the caller's own live sign-ups (with the waiting-list position) to views, when the
/// caller is a registered volunteer: one query, and one more per waiting-list place.
async fn add_own_sign_ups(
    state: &AppState,
    v: &volunteer::Model,
    views: &mut [ActivityView],
) -> Result<(), ApiError> {
    let ids: Vec<Uuid> = views.iter().map(|a| a.id).collect();
    let mut mine: HashMap<Uuid, OwnSignUpView> = HashMap::new();
    for s in state.store.live_sign_ups_among(v.id, &ids).await? {
        let pos = if s.status == SignUpStatus::Waitlisted {
            Some(state.store.waitlist_position(&s).await?)
        } else {
            None
        };
        mine.insert(
            s.activity_id,
            OwnSignUpView {
                sign_up_id: s.id,
                status: *s.status,
                waitlist_position: pos,
                checked_in_at: s.checked_in_at,
                checked_out_at: s.checked_out_at,
            },
        );
    }
    for view in views.iter_mut() {
        view.my_sign_up = mine.remove(&view.id);
    }
    Ok(())
}

async fn view(
    state: &AppState,
    who: Option<&Authenticated>,
    a: activity::Model,
) -> Result<ActivityView, ApiError> {
    views(state, who, vec![a])
        .await?
        .pop()
        .ok_or_else(|| ApiError::Internal("activity view missing".into()))
}

/// The fields every activity must satisfy, checked together so that every problem is named.
struct Fields<'a> {
    title: &'a str,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    capacity: i32,
    opens: DateTime<Utc>,
    closes: DateTime<Utc>,
    leaders: &'a [Uuid],
}

async fn check_fields(
    state: &AppState,
    p: &mut Problems,
    org_id: Uuid,
    f: &Fields<'_>,
) -> Result<(), ApiError> {
    if f.title.trim().chars().count() < 2 && !p.has("title") {
        p.push(
            "title",
            ProblemCode::Length,
            "a title has 2 to 100 characters",
        );
    }
    if f.ends_at <= f.starts_at {
        p.push(
            "ends_at",
            ProblemCode::EndsBeforeStart,
            "the end comes after the start",
        );
    } else if f.ends_at - f.starts_at > chrono::Duration::days(31) {
        p.push(
            "ends_at",
            ProblemCode::TooLong,
            "an activity lasts at most 31 days; split longer service into several",
        );
    }
    if !(1..=MAX_CAPACITY).contains(&f.capacity) {
        p.push(
            "capacity",
            ProblemCode::OutOfRange,
            format!("capacity is 1 to {MAX_CAPACITY}"),
        );
    }
    if f.closes <= f.opens {
        p.push(
            "sign_up_closes_at",
            ProblemCode::WindowClosesBeforeOpening,
            "sign-up closes after it opens",
        );
    } else if f.closes > f.ends_at {
        p.push(
            "sign_up_closes_at",
            ProblemCode::WindowAfterEnd,
            "sign-up closes at the latest when the activity ends",
        );
    }
    let members = state
        .store
        .approved_members_among(org_id, f.leaders)
        .await?;
    for (i, l) in f.leaders.iter().enumerate() {
        if !members.contains(l) {
            p.push(
                &format!("leader_ids[{i}]"),
                ProblemCode::LeaderNotMember,
                "a leader is an approved member of the organisation",
            );
        }
    }
    Ok(())
}

/// Creates an activity as a draft of an approved organisation the caller administers.
#[utoipa::path(tag = "activities", security(("bearer" = [])), request_body = CreateActivityRequest, responses(
    (status = 201, body = ActivityView, headers(("ETag" = String, description = "version of the activity"))),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json", description = "organization_not_found"),
    (status = 409, body = Problem, content_type = "application/problem+json", description = "organization_not_approved"),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
#[post("/activities")]
pub async fn create_activity(
    state: web::Data<AppState>,
    who: Authenticated,
    body: web::Json<CreateActivityRequest>,
) -> Result<HttpResponse, ApiError> {
    let org = load_visible(&state, Some(&who), body.organization_id).await?;
    if !who.administers(org.id) {
        return Err(ApiError::Forbidden(
            ProblemCode::NotYourOrganization,
            "only the organisation's own admins create its activities".into(),
        ));
    }
    if org.status != OrganizationStatus::Approved {
        return Err(ApiError::Conflict {
            code: ProblemCode::OrganizationNotApproved,
            message: "the organisation publishes activities once it is approved".into(),
        });
    }
    let now = state.clock.now();
    let mut p = Problems::validate(&*body);
    let region = check_region(&state, &mut p, "region_code", &body.region_code).await?;
    let opens = body.sign_up_opens_at.unwrap_or(now);
    let closes = body.sign_up_closes_at.unwrap_or(body.starts_at);
    let category = p.closed(
        "category",
        ProblemCode::UnknownActivityCategory,
        &body.category,
    );
    let key_date = p.closed_opt(
        "key_date",
        ProblemCode::UnknownKeyDate,
        body.key_date.as_deref(),
    );
    check_fields(
        &state,
        &mut p,
        org.id,
        &Fields {
            title: &body.title,
            starts_at: body.starts_at,
            ends_at: body.ends_at,
            capacity: body.capacity,
            opens,
            closes,
            leaders: &body.leader_ids,
        },
    )
    .await?;
    if body.ends_at <= now && !p.has("ends_at") {
        p.push(
            "ends_at",
            ProblemCode::InThePast,
            "a new activity ends in the future",
        );
    }
    p.finish()?;
    let (Some(region), Some(category)) = (region, category) else {
        return Err(ApiError::Internal("a checked field is missing".into()));
    };
    let a = state
        .store
        .create_activity(
            NewActivity {
                organization_id: org.id,
                title: body.title.trim().to_string(),
                category,
                description: body.description.trim().to_string(),
                starts_at: body.starts_at,
                ends_at: body.ends_at,
                place: body.place.trim().to_string(),
                region_code: region.as_str().to_string(),
                capacity: body.capacity,
                sign_up_opens_at: opens,
                sign_up_closes_at: closes,
                members_only: body.members_only,
                key_date,
                leaders: body.leader_ids.clone(),
                created_by: who.account_id,
            },
            now,
        )
        .await?;
    let version = a.version;
    Ok(with_etag(
        super::created(format!("/activities/{}", a.id)).json(view(&state, Some(&who), a).await?),
        version,
    ))
}

/// Changes an activity (draft or published). `If-Match` with the ETag guards against
/// overwriting someone else's change (412). Raising the capacity moves the waiting list up.
#[utoipa::path(tag = "activities", security(("bearer" = [])), params(("id" = Uuid, Path), ("If-Match" = Option<String>, Header, description = "ETag of the version read")), request_body = UpdateActivityRequest, responses(
    (status = 200, body = ActivityView, headers(("ETag" = String))),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 409, body = Problem, content_type = "application/problem+json", description = "activity_cancelled, capacity_below_sign_ups"),
    (status = 412, body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
#[put("/activities/{id}")]
pub async fn update_activity(
    state: web::Data<AppState>,
    who: Authenticated,
    req: HttpRequest,
    id: web::Path<Uuid>,
    body: web::Json<UpdateActivityRequest>,
) -> Result<HttpResponse, ApiError> {
    let cur = load(&state, Some(&who), *id).await?;
    if !pa::runs(&who, &cur) {
        return Err(ApiError::Forbidden(
            ProblemCode::NotYourOrganization,
            "only the organisation's own admins change its activities".into(),
        ));
    }
    let expected = expected_version(&req)?;
    let mut p = Problems::validate(&*body);
    let region_code = match &body.region_code {
        Some(c) => check_region(&state, &mut p, "region_code", c)
            .await?
            .map(|r: RegionCode| r.as_str().to_string()),
        None => Some(cur.region_code.clone()),
    };
    let key_date = match body.key_date.as_deref() {
        Some("") => None,
        Some(k) => p.closed("key_date", ProblemCode::UnknownKeyDate, k),
        None => cur.key_date.map(|k| k.0),
    };
    let category = match body.category.as_deref() {
        Some(c) => p.closed("category", ProblemCode::UnknownActivityCategory, c),
        None => Some(*cur.category),
    };
    let leaders = match &body.leader_ids {
        Some(l) => l.clone(),
        None => state
            .store
            .leaders_of(&[cur.id])
            .await?
            .remove(&cur.id)
            .unwrap_or_default()
            .into_iter()
            .map(|(v, _)| v)
            .collect(),
    };
    let c = ActivityChanges {
        title: body
            .title
            .as_deref()
            .map(|t| t.trim().to_string())
            .unwrap_or(cur.title.clone()),
        category: category.unwrap_or(*cur.category),
        description: body
            .description
            .as_deref()
            .map(|t| t.trim().to_string())
            .unwrap_or(cur.description.clone()),
        starts_at: body.starts_at.unwrap_or(cur.starts_at),
        ends_at: body.ends_at.unwrap_or(cur.ends_at),
        place: body
            .place
            .as_deref()
            .map(|t| t.trim().to_string())
            .unwrap_or(cur.place.clone()),
        region_code: region_code.clone().unwrap_or_default(),
        capacity: body.capacity.unwrap_or(cur.capacity),
        sign_up_opens_at: body.sign_up_opens_at.unwrap_or(cur.sign_up_opens_at),
        sign_up_closes_at: body.sign_up_closes_at.unwrap_or(cur.sign_up_closes_at),
        members_only: body.members_only.unwrap_or(cur.members_only),
        key_date,
        leaders,
    };
    check_fields(
        &state,
        &mut p,
        cur.organization_id,
        &Fields {
            title: &c.title,
            starts_at: c.starts_at,
            ends_at: c.ends_at,
            capacity: c.capacity,
            opens: c.sign_up_opens_at,
            closes: c.sign_up_closes_at,
            leaders: &c.leaders,
        },
    )
    .await?;
    p.finish()?;
    let a = state
        .store
        .update_activity(cur.id, expected, c, state.clock.now())
        .await?;
    let version = a.version;
    Ok(with_etag(
        HttpResponse::Ok().json(view(&state, Some(&who), a).await?),
        version,
    ))
}

/// Publishes a draft: it becomes visible to everyone and open to sign-up in its window.
#[utoipa::path(tag = "activities", security(("bearer" = [])), params(("id" = Uuid, Path)), responses(
    (status = 200, body = ActivityView),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 409, body = Problem, content_type = "application/problem+json", description = "activity_status, activity_ended"),
))]
#[post("/activities/{id}/publish")]
pub async fn publish_activity(
    state: web::Data<AppState>,
    who: Authenticated,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let cur = load(&state, Some(&who), *id).await?;
    if !pa::runs(&who, &cur) {
        return Err(ApiError::Forbidden(
            ProblemCode::NotYourOrganization,
            "only the organisation's own admins publish its activities".into(),
        ));
    }
    let now = state.clock.now();
    let to = act(&cur, ActivityAction::Publish, &facts(now, &cur, false))?;
    let a = state
        .store
        .set_activity_status(
            cur.id,
            activity_action_starts_from(ActivityAction::Publish),
            to,
            None,
            now,
        )
        .await?;
    let version = a.version;
    Ok(with_etag(
        HttpResponse::Ok().json(view(&state, Some(&who), a).await?),
        version,
    ))
}

/// Cancels an activity, with the reason shown to those who signed up.
#[utoipa::path(tag = "activities", security(("bearer" = [])), params(("id" = Uuid, Path)), request_body = CancelActivityRequest, responses(
    (status = 200, body = ActivityView),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 409, body = Problem, content_type = "application/problem+json", description = "activity_status, hours_confirmed"),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
#[post("/activities/{id}/cancel")]
pub async fn cancel_activity(
    state: web::Data<AppState>,
    who: Authenticated,
    id: web::Path<Uuid>,
    body: web::Json<CancelActivityRequest>,
) -> Result<HttpResponse, ApiError> {
    let cur = load(&state, Some(&who), *id).await?;
    if !pa::runs(&who, &cur) {
        return Err(ApiError::Forbidden(
            ProblemCode::NotYourOrganization,
            "only the organisation's own admins cancel its activities".into(),
        ));
    }
    Problems::validate(&*body).finish()?;
    let hours = !state.store.records_of_activity(cur.id).await?.is_empty();
    let to = act(
        &cur,
        ActivityAction::Cancel,
        &facts(state.clock.now(), &cur, hours),
    )?;
    let a = state
        .store
        .set_activity_status(
            cur.id,
            activity_action_starts_from(ActivityAction::Cancel),
            to,
            Some(body.reason.trim().to_string()),
            state.clock.now(),
        )
        .await?;
    let version = a.version;
    Ok(with_etag(
        HttpResponse::Ok().json(view(&state, Some(&who), a).await?),
        version,
    ))
}

/// Activities by region (a province or city code includes the regions inside it), category,
/// organisation, dates, status, key date and free text; ordered by start. Anyone may list
/// published and cancelled activities; drafts appear to their organisation's admins.
/// A page as anyone but an admin sees it is kept by a replica for `read_cache_secs` (5 s by
/// default) and forgotten when it takes a write that may change it (a sign-up does), so
/// places left may lag another replica's
/// sign-ups by a few times that (at most four); the caller's own sign-up (`my_sign_up`) is
/// always current.
#[utoipa::path(tag = "activities", params(ActivityQuery), responses(
    (status = 200, body = ActivityPage),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
#[get("/activities")]
pub async fn list_activities(
    state: web::Data<AppState>,
    caller: Caller,
    q: web::Query<ActivityQuery>,
) -> Result<HttpResponse, ApiError> {
    let mut p = Problems::validate(&*q);
    let region_prefix = match &q.region_code {
        Some(c) => match RegionCode::parse(c) {
            Ok(r) => Some(r.prefix().to_string()),
            Err(e) => {
                p.push("region_code", e.code, e.message);
                None
            }
        },
        None => None,
    };
    let category = p.closed_opt(
        "category",
        ProblemCode::UnknownActivityCategory,
        q.category.as_deref(),
    );
    let status = p.closed_opt("status", ProblemCode::UnknownStatus, q.status.as_deref());
    let key_date = p.closed_opt(
        "key_date",
        ProblemCode::UnknownKeyDate,
        q.key_date.as_deref(),
    );
    if let (Some(f), Some(t)) = (q.from, q.to) {
        if t <= f {
            p.push("to", ProblemCode::BeforeFrom, "`to` comes after `from`");
        }
    }
    let after = compound_cursor(&mut p, &q.cursor, |t| {
        DateTime::<Utc>::from_timestamp_micros(t.parse().ok()?)
    });
    p.finish()?;
    let limit = q.limit.unwrap_or(DEFAULT_LIMIT);
    let viewer = caller.viewer();
    let filter = ActivityFilter {
        region_prefix,
        category,
        organization_id: q.organization_id,
        from: q.from,
        to: q.to,
        status,
        text: q.q.as_ref().map(|t| t.trim().to_string()),
        key_date,
        after,
        limit,
    };
    // Everyone but an admin (who also sees drafts) sees the same page for the same filter:
    // it is kept for a few seconds (`crate::cache`), and the caller's own sign-ups are added.
    let shared = !viewer.platform_admin && viewer.admin_of.is_empty();
    let now = state.clock.now();
    let generation = state.activity_writes.current();
    let key = format!("{filter:?}");
    let st = state.clone();
    let page = move || async move {
        let items = st.store.list_activities(&viewer, &filter).await?;
        plain_views(&st, items).await
    };
    let page = if shared {
        state
            .activity_pages
            .get_or_compute(&key, generation, now, page)
            .await?
    } else {
        Arc::new(page().await?)
    };
    let next = next_cursor(&page, limit, |a| {
        format!("{}_{}", a.starts_at.timestamp_micros(), a.id)
    });
    let mut items = page.to_vec();
    for_caller(&state, caller.0.as_ref(), &mut items).await?;
    Ok(HttpResponse::Ok().json(ActivityPage {
        items,
        next_cursor: next,
    }))
}

/// An activity with its places left, waiting list length and the caller's own sign-up.
#[utoipa::path(tag = "activities", params(("id" = Uuid, Path)), responses(
    (status = 200, body = ActivityView, headers(("ETag" = String))),
    (status = 404, body = Problem, content_type = "application/problem+json"),
))]
#[get("/activities/{id}")]
pub async fn get_activity(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let a = load(&state, caller.0.as_ref(), *id).await?;
    let version = a.version;
    Ok(with_etag(
        HttpResponse::Ok().json(view(&state, caller.0.as_ref(), a).await?),
        version,
    ))
}

fn sign_up_view(
    s: sign_up::Model,
    name: String,
    number: String,
    phone: String,
    position: Option<i64>,
    hours: Option<f64>,
) -> SignUpView {
    SignUpView {
        id: s.id,
        activity_id: s.activity_id,
        volunteer_id: s.volunteer_id,
        volunteer_name: name,
        volunteer_number: number,
        phone_masked: phone,
        status: *s.status,
        waitlist_position: position,
        signed_up_at: s.signed_up_at,
        promoted_at: s.promoted_at,
        cancelled_at: s.cancelled_at,
        checked_in_at: s.checked_in_at,
        checked_out_at: s.checked_out_at,
        absent: s.absent,
        attendance_source: s.attendance_source.map(|v| v.0),
        confirmed_hours: hours,
    }
}

async fn own_view(
    state: &AppState,
    v: &volunteer::Model,
    s: sign_up::Model,
) -> Result<SignUpView, ApiError> {
    let pos = if s.status == SignUpStatus::Waitlisted {
        Some(state.store.waitlist_position(&s).await?)
    } else {
        None
    };
    Ok(sign_up_view(
        s,
        v.name.clone(),
        v.volunteer_number.clone(),
        v.phone_masked.clone(),
        pos,
        None,
    ))
}

/// Signs the caller (a registered volunteer) up: a place while there is one (201 with
/// `confirmed`), else the waiting list (201 with `waitlisted` and the position).
#[utoipa::path(tag = "activities", security(("bearer" = [])), params(("id" = Uuid, Path)), responses(
    (status = 201, body = SignUpView),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json", description = "members only"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 409, body = Problem, content_type = "application/problem+json", description = "already_signed_up, overlapping_sign_up, sign_up_closed, sign_up_not_open_yet, activity_not_open, volunteer_not_registered"),
))]
#[post("/activities/{id}/sign-ups")]
pub async fn sign_up_for_activity(
    state: web::Data<AppState>,
    who: Authenticated,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let now = state.clock.now();
    // The rules are judged on what the store read under its locks, so a sign-up is a
    // single transaction and nothing is read twice.
    let judge = |g: SignUpGround<'_>| -> Result<(), ApiError> {
        let a = g.activity;
        if !pa::visible(Some(&who), a) {
            return Err(ApiError::NotFound(ProblemCode::ActivityNotFound));
        }
        if g.volunteer.is_none() {
            return Err(crate::lookups::not_registered());
        }
        act(a, ActivityAction::SignUp, &facts(now, a, false))?;
        if !g.admitted {
            return Err(ApiError::Forbidden(
                ProblemCode::MembersOnly,
                "this activity is for the organisation's members only; ask to join the team first"
                    .into(),
            ));
        }
        Ok(())
    };
    let done = state
        .store
        .sign_up(*id, who.account_id, now, judge)
        .await
        .map_err(|e| match e {
            ApiError::NotFound(ProblemCode::NotFound) => {
                ApiError::NotFound(ProblemCode::ActivityNotFound)
            }
            other => other,
        })?;
    // The position counted under the activity's lock, not read again after the commit
    // (other sign-ups may have joined since).
    let v = &done.volunteer;
    // The caller's sign-up is read back as the activity's `my_sign_up`.
    Ok(
        super::created(format!("/activities/{}", done.sign_up.activity_id)).json(sign_up_view(
            done.sign_up,
            v.name.clone(),
            v.volunteer_number.clone(),
            v.phone_masked.clone(),
            done.waitlist_position,
            None,
        )),
    )
}

/// Withdraws the caller's sign-up; a freed place goes to the first on the waiting list.
#[utoipa::path(tag = "activities", security(("bearer" = [])), params(("id" = Uuid, Path)), responses(
    (status = 200, body = SignUpView, description = "the withdrawn sign-up"),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json", description = "no live sign-up"),
    (status = 409, body = Problem, content_type = "application/problem+json", description = "already_checked_in, activity_started"),
))]
#[delete("/activities/{id}/sign-ups/mine")]
pub async fn cancel_sign_up(
    state: web::Data<AppState>,
    who: Authenticated,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let a = load(&state, Some(&who), *id).await?;
    let v = require_volunteer(&state, &who).await?;
    act(
        &a,
        ActivityAction::WithdrawSignUp,
        &facts(state.clock.now(), &a, false),
    )?;
    let c = state
        .store
        .cancel_sign_up(a.id, v.id, state.clock.now())
        .await
        .map_err(|e| match e {
            zhihui_persistence::StoreError::NotFound => {
                ApiError::NotFound(ProblemCode::SignUpNotFound)
            }
            other => other.into(),
        })?;
    Ok(HttpResponse::Ok().json(own_view(&state, &v, c.cancelled).await?))
}

/// Sign-ups of an activity with the waiting list in order, for its admins, its parent
/// organisation's admins and its leaders.
#[utoipa::path(tag = "activities", security(("bearer" = [])), params(("id" = Uuid, Path), SignUpQuery), responses(
    (status = 200, body = SignUpPage),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
#[get("/activities/{id}/sign-ups")]
pub async fn list_activity_sign_ups(
    state: web::Data<AppState>,
    who: Authenticated,
    id: web::Path<Uuid>,
    q: web::Query<SignUpQuery>,
) -> Result<HttpResponse, ApiError> {
    let a = load(&state, Some(&who), *id).await?;
    let org = state
        .store
        .get_organization(a.organization_id)
        .await?
        .ok_or(ApiError::NotFound(ProblemCode::OrganizationNotFound))?;
    let leader = leads(&state, &who, &a).await?;
    if !pa::sees_sign_ups(&who, &a, &org, leader) {
        return Err(ApiError::Forbidden(
            ProblemCode::NotActivityLeader,
            "sign-ups are shown to the activity's leaders and its organisation's admins".into(),
        ));
    }
    let mut p = Problems::validate(&*q);
    let status: Option<SignUpStatus> =
        p.closed_opt("status", ProblemCode::UnknownStatus, q.status.as_deref());
    let after = uuid_cursor(&mut p, &q.cursor);
    p.finish()?;
    let limit = q.limit.unwrap_or(DEFAULT_LIMIT);
    let rows = state
        .store
        .list_sign_ups(a.id, status, after, limit)
        .await?;
    let hours: HashMap<Uuid, i32> = state
        .store
        .records_of_activity(a.id)
        .await?
        .into_iter()
        .map(|r| (r.sign_up_id, r.hours_tenths))
        .collect();
    let next = next_cursor(&rows, limit, |r| r.sign_up.id.to_string());
    Ok(HttpResponse::Ok().json(SignUpPage {
        items: rows
            .into_iter()
            .map(|r| {
                let h = hours.get(&r.sign_up.id).map(|t| *t as f64 / 10.0);
                sign_up_view(
                    r.sign_up,
                    r.volunteer_name,
                    r.volunteer_number,
                    r.phone_masked,
                    r.waitlist_position,
                    h,
                )
            })
            .collect(),
        next_cursor: next,
    }))
}

/// The caller's own sign-ups, newest first, with waiting-list positions.
#[utoipa::path(tag = "activities", security(("bearer" = [])), params(PageParams), responses(
    (status = 200, body = MySignUpPage),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 409, body = Problem, content_type = "application/problem+json", description = "volunteer_not_registered"),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
#[get("/volunteers/me/sign-ups")]
pub async fn list_my_sign_ups(
    state: web::Data<AppState>,
    who: Authenticated,
    q: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    let v = require_volunteer(&state, &who).await?;
    let mut p = Problems::validate(&*q);
    let before = uuid_cursor(&mut p, &q.cursor);
    p.finish()?;
    let limit = q.limit();
    let rows = state
        .store
        .sign_ups_of_volunteer(v.id, before, limit)
        .await?;
    let ids: Vec<Uuid> = rows.iter().map(|(_, a)| a.id).collect();
    let led = state.store.led_among(v.id, &ids).await?;
    let next = next_cursor(&rows, limit, |(s, _)| s.id.to_string());
    let mut items = Vec::with_capacity(rows.len());
    for (s, a) in rows {
        items.push(MySignUpView {
            leader: led.contains(&a.id),
            activity_title: a.title,
            activity_status: *a.status,
            starts_at: a.starts_at,
            ends_at: a.ends_at,
            place: a.place,
            organization_id: a.organization_id,
            sign_up: own_view(&state, &v, s).await?,
        });
    }
    Ok(HttpResponse::Ok().json(MySignUpPage {
        items,
        next_cursor: next,
    }))
}

fn check_in_code(state: &AppState, activity_id: Uuid, slot: i64) -> String {
    let mut msg = activity_id.as_bytes().to_vec();
    msg.extend_from_slice(&slot.to_be_bytes());
    keyed_code(&code_key(state, "zhihui check-in code"), &msg, 8)
}

/// Gives the leader (or an admin) the current check-in code and its QR text. The code is a
/// keyed hash of the activity and a time slot: it rotates every few minutes, the previous
/// one stays valid until the next rotation, and it cannot be forged without the key.
#[utoipa::path(tag = "activities", security(("bearer" = [])), params(("id" = Uuid, Path)), responses(
    (status = 201, body = CheckInCodeView),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 409, body = Problem, content_type = "application/problem+json", description = "check_in_closed, activity_not_open"),
))]
#[post("/activities/{id}/check-in-codes")]
pub async fn issue_check_in_code(
    state: web::Data<AppState>,
    who: Authenticated,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let a = load(&state, Some(&who), *id).await?;
    if !(pa::runs(&who, &a) || leads(&state, &who, &a).await?) {
        return Err(ApiError::Forbidden(
            ProblemCode::NotActivityLeader,
            "check-in codes are for the activity's leaders and its organisation's admins".into(),
        ));
    }
    check_in_window(&state, &a, ActivityAction::IssueCheckInCode)?;
    let period = state.settings.check_in_code_secs;
    let slot = check_in_slot(state.clock.now(), period);
    let code = check_in_code(&state, a.id, slot);
    let qr_text = format!(
        "{}/check-in?activity={}&code={}",
        state.settings.public_base_url.trim_end_matches('/'),
        a.id,
        code
    );
    Ok(
        super::created(format!("/activities/{}", a.id)).json(CheckInCodeView {
            activity_id: a.id,
            code,
            qr_text,
            rotates_at: check_in_slot_expiry(slot - 1, period),
            expires_at: check_in_slot_expiry(slot, period),
        }),
    )
}

fn check_in_window(
    state: &AppState,
    a: &activity::Model,
    action: ActivityAction,
) -> Result<(), ApiError> {
    act(a, action, &facts(state.clock.now(), a, false)).map(drop)
}

/// Checks a code typed or scanned by a volunteer against the current and previous slot.
fn verify_code(state: &AppState, a: &activity::Model, code: &str) -> Result<(), ApiError> {
    let typed: String = code
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    let period = state.settings.check_in_code_secs;
    let slot = check_in_slot(state.clock.now(), period);
    if typed == check_in_code(state, a.id, slot) || typed == check_in_code(state, a.id, slot - 1) {
        return Ok(());
    }
    // A code of the last few hours is expired rather than wrong: say so.
    let lookback = (6 * 3600 / period.max(1)).clamp(1, 1000);
    if (2..=lookback).any(|k| typed == check_in_code(state, a.id, slot - k)) {
        return Err(ApiError::field(
            "code",
            ProblemCode::CheckInCodeExpired,
            "this code has expired; scan the code the leader shows now",
        ));
    }
    Err(ApiError::field(
        "code",
        ProblemCode::InvalidCheckInCode,
        "this is not the activity's check-in code",
    ))
}

async fn check(
    state: &AppState,
    who: &Authenticated,
    id: Uuid,
    body: &CheckInRequest,
    out: bool,
) -> Result<HttpResponse, ApiError> {
    Problems::validate(body).finish()?;
    let a = load(state, Some(who), id).await?;
    let v = require_volunteer(state, who).await?;
    check_in_window(state, &a, ActivityAction::CheckIn)?;
    verify_code(state, &a, &body.code)?;
    let s = state
        .store
        .live_sign_up(a.id, v.id)
        .await?
        .ok_or(ApiError::Conflict {
            code: ProblemCode::NotSignedUp,
            message: "only volunteers with a place on the activity check in".into(),
        })?;
    let status = Some(*s.status)
        .ok_or_else(|| ApiError::Internal(format!("stored sign-up status {}", s.status)))?;
    sign_up_transition(status, SignUpAction::CheckIn)?;
    let s = state
        .store
        .check_in_out(s.id, out, state.clock.now())
        .await?;
    Ok(HttpResponse::Ok().json(own_view(state, &v, s).await?))
}

/// Checks the caller in with the code the leader shows.
#[utoipa::path(tag = "activities", security(("bearer" = [])), params(("id" = Uuid, Path)), request_body = CheckInRequest, responses(
    (status = 200, body = SignUpView),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 409, body = Problem, content_type = "application/problem+json", description = "not_signed_up, waitlisted, already_checked_in, check_in_closed"),
    (status = 422, body = Problem, content_type = "application/problem+json", description = "invalid_check_in_code, check_in_code_expired"),
))]
#[post("/activities/{id}/check-in")]
pub async fn check_in(
    state: web::Data<AppState>,
    who: Authenticated,
    id: web::Path<Uuid>,
    body: web::Json<CheckInRequest>,
) -> Result<HttpResponse, ApiError> {
    check(&state, &who, *id, &body, false).await
}

/// Checks the caller out with the code the leader shows.
#[utoipa::path(tag = "activities", security(("bearer" = [])), params(("id" = Uuid, Path)), request_body = CheckInRequest, responses(
    (status = 200, body = SignUpView),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 409, body = Problem, content_type = "application/problem+json", description = "not_signed_up, not_checked_in, already_checked_out, check_in_closed"),
    (status = 422, body = Problem, content_type = "application/problem+json", description = "invalid_check_in_code, check_in_code_expired"),
))]
#[post("/activities/{id}/check-out")]
pub async fn check_out(
    state: web::Data<AppState>,
    who: Authenticated,
    id: web::Path<Uuid>,
    body: web::Json<CheckInRequest>,
) -> Result<HttpResponse, ApiError> {
    check(&state, &who, *id, &body, true).await
}

/// Records or corrects a participant's attendance by hand (leader or admin); the reason is
/// kept with who and when.
#[utoipa::path(tag = "activities", security(("bearer" = [])), params(("id" = Uuid, Path), ("volunteer_id" = Uuid, Path)), request_body = AttendanceRequest, responses(
    (status = 200, body = AttendanceView),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
#[put("/activities/{id}/attendance/{volunteer_id}")]
pub async fn record_attendance(
    state: web::Data<AppState>,
    who: Authenticated,
    path: web::Path<(Uuid, Uuid)>,
    body: web::Json<AttendanceRequest>,
) -> Result<HttpResponse, ApiError> {
    let (id, volunteer_id) = path.into_inner();
    let a = load(&state, Some(&who), id).await?;
    if !(pa::runs(&who, &a) || leads(&state, &who, &a).await?) {
        return Err(ApiError::Forbidden(
            ProblemCode::NotActivityLeader,
            "attendance is recorded by the activity's leaders and its organisation's admins".into(),
        ));
    }
    act(
        &a,
        ActivityAction::RecordAttendance,
        &facts(state.clock.now(), &a, false),
    )?;
    let mut p = Problems::validate(&*body);
    let (cin, cout) = if body.absent {
        (None, None)
    } else {
        (body.checked_in_at, body.checked_out_at)
    };
    if !body.absent && cin.is_none() {
        p.push(
            "checked_in_at",
            ProblemCode::Required,
            "give the check-in time, or mark the volunteer absent",
        );
    }
    if let (Some(i), Some(o)) = (cin, cout) {
        if o <= i {
            p.push(
                "checked_out_at",
                ProblemCode::BeforeCheckIn,
                "check-out comes after check-in",
            );
        }
    }
    for (f, t) in [("checked_in_at", cin), ("checked_out_at", cout)] {
        if let Some(t) = t {
            if t < a.starts_at - chrono::Duration::hours(12)
                || t > a.ends_at + chrono::Duration::hours(12)
            {
                p.push(
                    f,
                    ProblemCode::OutsideActivity,
                    "the time is not during the activity",
                );
            }
        }
    }
    p.finish()?;
    let s = state
        .store
        .live_sign_up(a.id, volunteer_id)
        .await?
        .ok_or(ApiError::NotFound(ProblemCode::SignUpNotFound))?;
    let s = state
        .store
        .record_attendance(
            s.id,
            AttendanceEntry {
                checked_in_at: cin,
                checked_out_at: cout,
                absent: body.absent,
                reason: body.reason.trim().to_string(),
                by: who.account_id,
            },
            state.clock.now(),
        )
        .await?;
    let changes = state
        .store
        .attendance_changes(s.id)
        .await?
        .into_iter()
        .map(|c| AttendanceChangeView {
            changed_by: c.changed_by,
            changed_at: c.changed_at,
            reason: c.reason,
            checked_in_at: c.checked_in_at,
            checked_out_at: c.checked_out_at,
            absent: c.absent,
        })
        .collect();
    let v = state
        .store
        .get_volunteer(volunteer_id)
        .await?
        .ok_or(ApiError::NotFound(ProblemCode::VolunteerNotFound))?;
    Ok(HttpResponse::Ok().json(AttendanceView {
        sign_up: own_view(&state, &v, s).await?,
        changes,
    }))
}

/// Confirms participants' hours (the organisation's admins), within 10 working days of
/// the end (configurable). Hours come from check-in and check-out inside the activity's
/// time, rounded per session (rule 21), or are entered; they become service records.
/// Changing confirmed hours needs a reason and is kept with who, when and why.
#[utoipa::path(tag = "activities", security(("bearer" = [])), params(("id" = Uuid, Path)), request_body = ConfirmHoursRequest, responses(
    (status = 200, body = ConfirmHoursView),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 409, body = Problem, content_type = "application/problem+json", description = "activity_not_ended, confirmation_window_closed, activity_not_open"),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
#[post("/activities/{id}/service-hours")]
pub async fn confirm_service_hours(
    state: web::Data<AppState>,
    who: Authenticated,
    id: web::Path<Uuid>,
    body: web::Json<ConfirmHoursRequest>,
) -> Result<HttpResponse, ApiError> {
    let a = load(&state, Some(&who), *id).await?;
    if !pa::runs(&who, &a) {
        return Err(ApiError::Forbidden(
            ProblemCode::NotYourOrganization,
            "hours are confirmed by the organisation's own admins".into(),
        ));
    }
    let now = state.clock.now();
    act(&a, ActivityAction::ConfirmHours, &facts(now, &a, false))?;
    let until = confirmable_until(&state.settings, &a);
    let mut p = Problems::validate(&*body);
    if !body.all && body.entries.is_empty() {
        p.push(
            "entries",
            ProblemCode::Required,
            "list participants, or send all: true for every participant",
        );
    }
    let participants = state.store.participants(a.id).await?;
    let by_volunteer: HashMap<Uuid, &sign_up::Model> =
        participants.iter().map(|s| (s.volunteer_id, s)).collect();
    let existing: HashMap<Uuid, i32> = state
        .store
        .records_of_activity(a.id)
        .await?
        .into_iter()
        .map(|r| (r.sign_up_id, r.hours_tenths))
        .collect();
    let computed = |s: &sign_up::Model| -> i32 {
        match (s.checked_in_at, s.checked_out_at, s.absent) {
            (Some(i), Some(o), false) => {
                state
                    .settings
                    .rounding
                    .counted_tenths(served_minutes(i, o, a.starts_at, a.ends_at))
                    as i32
            }
            _ => 0,
        }
    };
    let mut planned: Vec<(Uuid, HoursEntry)> = Vec::new();
    let mut listed = std::collections::BTreeSet::new();
    for (i, e) in body.entries.iter().enumerate() {
        let Some(s) = by_volunteer.get(&e.volunteer_id) else {
            p.push(
                &format!("entries[{i}].volunteer_id"),
                ProblemCode::NotAParticipant,
                "the volunteer has no place on this activity",
            );
            continue;
        };
        if !listed.insert(e.volunteer_id) {
            p.push(
                &format!("entries[{i}].volunteer_id"),
                ProblemCode::Duplicate,
                "each participant once",
            );
            continue;
        }
        let tenths = match e.hours {
            Some(h) => match entered_tenths(h, a.starts_at, a.ends_at) {
                Some(t) => t,
                None => {
                    p.push(
                        &format!("entries[{i}].hours"),
                        ProblemCode::InvalidHours,
                        "hours are 0 to 24 per day of the activity, with one decimal at most",
                    );
                    continue;
                }
            },
            None => computed(s),
        };
        if existing.get(&s.id).is_some_and(|t| *t != tenths) && e.reason.is_none() {
            p.push(
                &format!("entries[{i}].reason"),
                ProblemCode::CorrectionReasonRequired,
                "these hours were confirmed before; say why they change",
            );
        }
        planned.push((
            s.volunteer_id,
            HoursEntry {
                sign_up_id: s.id,
                volunteer_id: s.volunteer_id,
                tenths,
                reason: e.reason.as_ref().map(|r| r.trim().to_string()),
            },
        ));
    }
    if body.all {
        for s in &participants {
            if listed.contains(&s.volunteer_id) || s.absent || existing.contains_key(&s.id) {
                continue;
            }
            planned.push((
                s.volunteer_id,
                HoursEntry {
                    sign_up_id: s.id,
                    volunteer_id: s.volunteer_id,
                    tenths: computed(s),
                    reason: None,
                },
            ));
        }
    }
    p.finish()?;
    let creates = planned
        .iter()
        .any(|(_, e)| !existing.contains_key(&e.sign_up_id));
    if creates && state.clock.today() > until {
        return Err(ApiError::Conflict {
            code: ProblemCode::ConfirmationWindowClosed,
            message: format!(
                "hours were to be confirmed by {until}; corrections of confirmed hours are still possible"
            ),
        });
    }
    let org = state
        .store
        .get_organization(a.organization_id)
        .await?
        .ok_or(ApiError::NotFound(ProblemCode::OrganizationNotFound))?;
    let names = {
        let ids: Vec<Uuid> = planned.iter().map(|(v, _)| *v).collect();
        state.store.volunteer_names(&ids).await?
    };
    let ctx = RecordContext {
        service_date: china_date(a.starts_at),
        responsible_person: org.contact_name.clone(),
        confirmed_by: who.account_id,
        activity: a.clone(),
    };
    let results = state
        .store
        .confirm_hours(&ctx, planned.into_iter().map(|(_, e)| e).collect(), now)
        .await?;
    Ok(HttpResponse::Ok().json(ConfirmHoursView {
        activity_id: a.id,
        confirmable_until: until,
        results: results
            .into_iter()
            .map(|c| ConfirmedHoursView {
                volunteer_name: names
                    .get(&c.record.volunteer_id)
                    .cloned()
                    .unwrap_or_default(),
                volunteer_id: c.record.volunteer_id,
                record_id: c.record.id,
                hours: c.record.hours_tenths as f64 / 10.0,
                outcome: c.outcome.to_string(),
            })
            .collect(),
    }))
}
