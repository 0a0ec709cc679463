//! Activities, sign-ups with a waiting list, check-in, attendance and hour confirmation
//! (rules 17-22).

use std::collections::HashMap;
use std::sync::Arc;
use zhihui_domain::ProblemCode;

use actix_web::{delete, get, post, put, web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use uuid::Uuid;
use zhihui_contract::activities::{
    ActivityPage, ActivityPlan, ActivityQuery, ActivityView, AttendanceChangeView,
    AttendanceRecord, AttendanceRequest, AttendanceView, CancelActivityRequest, CheckInCodeView,
    CheckInRequest, ConfirmHoursRequest, ConfirmHoursView, ConfirmedHoursView,
    CreateActivityRequest, LeaderView, MySignUpPage, MySignUpView, OwnSignUpView, SignUpPage,
    SignUpQuery, SignUpView, UpdateActivityRequest,
};
use zhihui_contract::form::Reason;
use zhihui_contract::{PageParams, Problem, DEFAULT_LIMIT};
use zhihui_domain::activity::{
    check_in_slot, check_in_slot_expiry, plan_confirmation, served_minutes, HoursLine, Participant,
};
use zhihui_domain::{
    activity_action_starts_from, activity_allowed_actions, activity_transition, sign_up_transition,
    ActivityAction, ActivityFacts, ActivityRoles, ActivityStatus, MembershipStatus,
    OrganizationStatus, RegionCode, SignUpAction, SignUpStatus,
};
use zhihui_persistence::entities::{activity, organization, sign_up, volunteer};
use zhihui_persistence::{
    ActivityFilter, AttendanceEntry, HoursEntry, NewActivity, RecordContext, SignUpGround,
};

use super::{compound_cursor, created, expected_version, next_cursor, uuid_cursor, with_etag};
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
use crate::views::activities::sign_up_view;

mod attendance;
mod crud;
mod hours;
mod sign_ups;
pub use attendance::*;
pub use crud::*;
pub use hours::*;
pub use sign_ups::*;

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
    zhihui_domain::activity::hours_confirmable_until(a.ends_at, settings.confirm_working_days)
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
    let needs = state.store.needs_of_activities(&ids).await?;
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
                need_id: needs.get(&a.id).copied(),
                service_point_id: a.service_point_id,
                campaign_id: a.campaign_id,
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
