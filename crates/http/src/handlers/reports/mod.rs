//! Monthly reports (月度报告), the live roll-up over the organisation and region trees, and
//! annual summaries, rules 39-43.

use std::collections::HashMap;
use std::sync::Arc;
use zhihui_domain::ProblemCode;

use actix_multipart::Multipart;
use actix_web::{get, post, put, web, HttpRequest, HttpResponse};
use uuid::Uuid;
use zhihui_contract::form::Reason;
use zhihui_contract::reports::{
    AnnualMonthView, AnnualSummaryQuery, AnnualSummaryView, MonthlyReportPage, MonthlyReportView,
    NotReportedView, PhotoUpload, PhotoView, PrepareReportRequest, ReportCompliance, ReportMonth,
    ReportQuery, ReturnReportRequest, RollupByMonthView, RollupExportQuery, RollupMonthView,
    RollupQuery, RollupRow, RollupView, UpdateReportRequest,
};
use zhihui_contract::{Problem, DEFAULT_LIMIT, MAX_LIMIT};
use zhihui_domain::report::{
    china_day_start, is_late, is_overdue, last_on_time_day, region_prefix, required_activities,
    rule_for, MAX_MONTHS,
};
use zhihui_domain::{
    report_action_starts_from, report_allowed_actions, ActivityRule, Month, MonthStanding,
    OrganizationCategory, OrganizationLevel, OrganizationStatus, ReportAction, ReportRoles,
    ReportStatus, RollupKind,
};
use zhihui_persistence::entities::{monthly_report, organization};
use zhihui_persistence::{
    Bucket, BucketFigures, Figures, Period, ReportContent, ReportFilter, ReportStep, RollRules,
    RollScope, RollupRows,
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
use crate::views::reports::{figures_view, photo_view};

mod monthly;
mod rollup;
pub use monthly::*;
pub use rollup::*;

fn parse_month(p: &mut Problems, field: &str, raw: &str) -> Option<Month> {
    p.parse(field, Month::parse(raw))
}

async fn load_org(state: &AppState, id: Uuid) -> Result<organization::Model, ApiError> {
    state
        .store
        .get_organization(id)
        .await?
        .ok_or(ApiError::NotFound(ProblemCode::OrganizationNotFound))
}

/// The caller administers the organisation or one above it (or is a platform admin).
async fn oversees(state: &AppState, who: &Authenticated, org: Uuid) -> Result<bool, ApiError> {
    if who.is_platform_admin || who.administers(org) {
        return Ok(true);
    }
    for a in &who.admin_of {
        if state.store.is_ancestor_or_self(*a, org).await? {
            return Ok(true);
        }
    }
    Ok(false)
}

/// The parent's admins (a platform admin for a top-level organisation, or always) decide.
fn decides(who: &Authenticated, org: &organization::Model) -> bool {
    who.is_platform_admin || org.parent_id.is_some_and(|p| who.administers(p))
}

fn rule_of(state: &AppState, region: &str) -> ActivityRule {
    rule_for(region, &state.settings.activity_rules)
}

fn minimum_size(level: OrganizationLevel, members: i64) -> Option<bool> {
    level.minimum_members().map(|m| members.max(0) as u64 >= m)
}

struct Loaded {
    report: monthly_report::Model,
    org: organization::Model,
}

async fn load(state: &AppState, who: &Authenticated, id: Uuid) -> Result<Loaded, ApiError> {
    let not_found = || ApiError::NotFound(ProblemCode::ReportNotFound);
    let report = state.store.get_report(id).await?.ok_or_else(not_found)?;
    if !oversees(state, who, report.organization_id).await? {
        return Err(not_found());
    }
    let org = load_org(state, report.organization_id).await?;
    Ok(Loaded { report, org })
}

async fn view(
    state: &AppState,
    who: &Authenticated,
    l: Loaded,
) -> Result<MonthlyReportView, ApiError> {
    let Loaded { report: r, org } = l;
    let month = Month::parse(&r.month).map_err(|_| ApiError::Internal("stored month".into()))?;
    let grace = state.settings.report_grace_days;
    let today = china_date(state.clock.now());
    let rule = rule_of(state, &org.region_code);
    let rule_met = match rule {
        ActivityRule::Monthly => r.activities_held > 0,
        ActivityRule::Quarterly => {
            r.activities_held > 0
                || state
                    .store
                    .organization_figures(org.id, Period::months(month.quarter_start(), month))
                    .await?
                    .activities_held
                    > 0
        }
    };
    let status = *r.status;
    let allowed = report_allowed_actions(
        status,
        ReportRoles {
            author: who.administers(org.id),
            decider: decides(who, &org),
        },
    );
    let photos = state
        .store
        .report_photos(r.id)
        .await?
        .into_iter()
        .map(photo_view)
        .collect();
    let map = parties(state, std::slice::from_ref(&org)).await?;
    Ok(MonthlyReportView {
        id: r.id,
        organization: party_of(&map, org.id)?,
        month: r.month.clone(),
        figures: figures_view(&Figures {
            activities_held: i64::from(r.activities_held),
            attendances: i64::from(r.attendances),
            hours_tenths: r.hours_tenths,
            new_volunteers: i64::from(r.new_volunteers),
            pairing_activities: i64::from(r.pairing_activities),
            needs_served: i64::from(r.needs_served),
            exhibition_visitors: i64::from(r.exhibition_visitors),
        }),
        people_served: r.people_served,
        narrative: r.narrative,
        highlights: r.highlights,
        problems: r.problems,
        next_plan: r.next_plan,
        photos,
        status: *r.status,
        on_time_until: last_on_time_day(month, grace),
        submitted_at: r.submitted_at,
        late: r.late,
        overdue: report_action_starts_from(ReportAction::Submit).contains(&status)
            && is_overdue(month, today, grace),
        return_reason: r.return_reason,
        returned_at: r.returned_at,
        accepted_at: r.accepted_at,
        compliance: ReportCompliance {
            activity_rule: rule,
            activity_rule_met: rule_met,
            meets_minimum_size: minimum_size(*org.level, org.approved_members),
        },
        allowed_actions: allowed,
        created_at: r.created_at,
        updated_at: r.updated_at,
        version: r.version,
    })
}

async fn respond(
    state: &AppState,
    who: &Authenticated,
    id: Uuid,
    created: bool,
) -> Result<HttpResponse, ApiError> {
    let l = load(state, who, id).await?;
    let v = l.report.version;
    let body = view(state, who, l).await?;
    let res = if created {
        super::created(format!("/monthly-reports/{id}")).json(body)
    } else {
        HttpResponse::Ok().json(body)
    };
    Ok(with_etag(res, v))
}
