//! Monthly reports (月度报告), the live roll-up over the organisation and region trees, and
//! annual summaries, rules 39-43.

use std::collections::HashMap;
use std::sync::Arc;
use zhihui_domain::ProblemCode;

use actix_multipart::Multipart;
use actix_web::{get, post, put, web, HttpRequest, HttpResponse};
use uuid::Uuid;
use zhihui_contract::reports::{
    AnnualMonthView, AnnualSummaryQuery, AnnualSummaryView, FiguresView, MonthlyReportPage,
    MonthlyReportView, NotReportedView, PhotoUpload, PhotoView, PrepareReportRequest,
    ReportCompliance, ReportQuery, ReturnReportRequest, RollupExportQuery, RollupQuery, RollupRow,
    RollupView, UpdateReportRequest,
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

fn figures_view(f: &Figures) -> FiguresView {
    FiguresView {
        activities_held: f.activities_held,
        volunteer_attendances: f.attendances,
        service_hours: f.hours_tenths as f64 / 10.0,
        new_volunteers: f.new_volunteers,
        pairing_activities: f.pairing_activities,
    }
}

fn photo_view(p: zhihui_persistence::entities::report_photo::Model) -> PhotoView {
    PhotoView {
        id: p.id,
        file_name: p.file_name,
        media_type: p.media_type,
        size: p.size,
        uploaded_at: p.uploaded_at,
    }
}

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

/// The draft report of an organisation for a month, with the figures the platform holds
/// filled in (activities held, attendances, confirmed hours, new volunteers, pairing
/// activities). Calling it again refreshes the figures of an open report; a filed report
/// is returned as it is. The organisation's own admins.
#[utoipa::path(tag = "reports", security(("bearer" = [])), params(("id" = Uuid, Path, description = "organisation")), request_body = PrepareReportRequest, responses(
    (status = 200, body = MonthlyReportView, headers(("ETag" = String)), description = "an existing report"),
    (status = 201, body = MonthlyReportView, headers(("ETag" = String)), description = "a new draft"),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 409, body = Problem, content_type = "application/problem+json", description = "organization_not_approved"),
    (status = 422, body = Problem, content_type = "application/problem+json", description = "invalid_month, month_in_future"),
))]
#[post("/organizations/{id}/monthly-reports")]
pub async fn prepare_monthly_report(
    state: web::Data<AppState>,
    who: Authenticated,
    id: web::Path<Uuid>,
    body: web::Json<PrepareReportRequest>,
) -> Result<HttpResponse, ApiError> {
    let org = load_org(&state, *id).await?;
    if !who.administers(org.id) {
        return Err(if oversees(&state, &who, org.id).await? {
            ApiError::Forbidden(
                ProblemCode::NotYourOrganization,
                "an organisation's own admins write its reports".into(),
            )
        } else {
            ApiError::NotFound(ProblemCode::OrganizationNotFound)
        });
    }
    if org.status != OrganizationStatus::Approved {
        return Err(ApiError::Conflict {
            code: ProblemCode::OrganizationNotApproved,
            message: "an organisation reports once it is approved".into(),
        });
    }
    let mut p = Problems::default();
    let month = parse_month(&mut p, "month", &body.month);
    let now = state.clock.now();
    if let Some(m) = month {
        if m > Month::of(china_date(now)) {
            p.push(
                "month",
                ProblemCode::MonthInFuture,
                "a month is reported once it has begun",
            );
        }
    }
    p.finish()?;
    let month = month.ok_or_else(|| ApiError::Internal("month".into()))?;
    let figures = state
        .store
        .organization_figures(org.id, Period::months(month, month))
        .await?;
    let (r, created) = state
        .store
        .prepare_report(
            org.id,
            &month.to_string(),
            figures,
            &actor(&state, &who).await?,
            now,
        )
        .await?;
    respond(&state, &who, r.id, created).await
}

/// A report, for the organisation's admins and those above it.
#[utoipa::path(tag = "reports", security(("bearer" = [])), params(("id" = Uuid, Path)), responses(
    (status = 200, body = MonthlyReportView, headers(("ETag" = String))),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json", description = "report_not_found"),
))]
#[get("/monthly-reports/{id}")]
pub async fn get_monthly_report(
    state: web::Data<AppState>,
    who: Authenticated,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    respond(&state, &who, *id, false).await
}

/// Adds people served, narrative, highlights, problems and next month's plan to a draft or
/// returned report (its own admins). `If-Match` guards against overwriting (412).
#[utoipa::path(tag = "reports", security(("bearer" = [])), params(("id" = Uuid, Path), ("If-Match" = Option<String>, Header, description = "ETag of the version read")), request_body = UpdateReportRequest, responses(
    (status = 200, body = MonthlyReportView, headers(("ETag" = String))),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 409, body = Problem, content_type = "application/problem+json", description = "report_status"),
    (status = 412, body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
#[put("/monthly-reports/{id}")]
pub async fn update_monthly_report(
    state: web::Data<AppState>,
    who: Authenticated,
    req: HttpRequest,
    id: web::Path<Uuid>,
    body: web::Json<UpdateReportRequest>,
) -> Result<HttpResponse, ApiError> {
    Problems::validate(&*body).finish()?;
    let l = load(&state, &who, *id).await?;
    if !who.administers(l.org.id) {
        return Err(ApiError::Forbidden(
            ProblemCode::NotYourOrganization,
            "an organisation's own admins write its reports".into(),
        ));
    }
    let r = &l.report;
    let text = |v: &Option<String>, cur: &str| {
        v.as_deref()
            .map(|s| s.trim().to_string())
            .unwrap_or_else(|| cur.to_string())
    };
    let content = ReportContent {
        people_served: body.people_served.or(r.people_served),
        narrative: text(&body.narrative, &r.narrative),
        highlights: text(&body.highlights, &r.highlights),
        problems: text(&body.problems, &r.problems),
        next_plan: text(&body.next_plan, &r.next_plan),
    };
    state
        .store
        .change_report(
            r.id,
            report_action_starts_from(ReportAction::Update),
            expected_version(&req)?,
            ReportStep::Content(content),
            &actor(&state, &who).await?,
            state.clock.now(),
        )
        .await?;
    respond(&state, &who, r.id, false).await
}

/// Adds a photo (JPEG or PNG, told by the content) to an open report.
#[utoipa::path(tag = "reports", security(("bearer" = [])), params(("id" = Uuid, Path)),
    request_body(content = PhotoUpload, content_type = "multipart/form-data"), responses(
    (status = 201, body = PhotoView),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 409, body = Problem, content_type = "application/problem+json", description = "report_status"),
    (status = 422, body = Problem, content_type = "application/problem+json", description = "unsupported_file_type, file_too_large"),
))]
#[post("/monthly-reports/{id}/photos")]
pub async fn upload_report_photo(
    state: web::Data<AppState>,
    who: Authenticated,
    id: web::Path<Uuid>,
    mut payload: Multipart,
) -> Result<HttpResponse, ApiError> {
    let l = load(&state, &who, *id).await?;
    if !who.administers(l.org.id) {
        return Err(ApiError::Forbidden(
            ProblemCode::NotYourOrganization,
            "an organisation's own admins write its reports".into(),
        ));
    }
    if !l.report.status.is_open() {
        return Err(ApiError::Conflict {
            code: ProblemCode::ReportStatus,
            message: format!(
                "the report is {}; photos go with open reports",
                l.report.status
            ),
        });
    }
    let (name, bytes) = read_upload(&mut payload, state.settings.max_upload_bytes).await?;
    let file = keep_upload(
        &state,
        name,
        &bytes,
        &["image/jpeg", "image/png"],
        "a photo is a JPEG or PNG file",
    )
    .await?;
    let p = state
        .store
        .add_report_photo(
            l.report.id,
            file,
            &actor(&state, &who).await?,
            state.clock.now(),
        )
        .await?;
    Ok(
        super::created(format!("/monthly-reports/{}/photos/{}", l.report.id, p.id))
            .json(photo_view(p)),
    )
}

/// A report's photo, for those who see the report.
#[utoipa::path(tag = "reports", security(("bearer" = [])), params(("id" = Uuid, Path), ("photo_id" = Uuid, Path)), responses(
    (status = 200, description = "The photo", content((Vec<u8> = "image/jpeg"), (Vec<u8> = "image/png"))),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
))]
#[get("/monthly-reports/{id}/photos/{photo_id}")]
pub async fn get_report_photo(
    state: web::Data<AppState>,
    who: Authenticated,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (id, photo_id) = path.into_inner();
    let l = load(&state, &who, id).await?;
    let p = state
        .store
        .get_report_photo(photo_id)
        .await?
        .filter(|p| p.report_id == l.report.id)
        .ok_or(ApiError::NotFound(ProblemCode::PhotoNotFound))?;
    serve_kept(&state, &p.sha256, p.media_type, None).await
}

/// Submits a draft or returned report with the figures as they stand now; after the month's
/// end plus the grace period (default the 5th of the next month, China time) it is marked late.
#[utoipa::path(tag = "reports", security(("bearer" = [])), params(("id" = Uuid, Path), ("If-Match" = Option<String>, Header, description = "ETag of the version read")), responses(
    (status = 200, body = MonthlyReportView, headers(("ETag" = String))),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 409, body = Problem, content_type = "application/problem+json", description = "report_status"),
    (status = 412, body = Problem, content_type = "application/problem+json"),
))]
#[post("/monthly-reports/{id}/submit")]
pub async fn submit_monthly_report(
    state: web::Data<AppState>,
    who: Authenticated,
    req: HttpRequest,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let l = load(&state, &who, *id).await?;
    if !who.administers(l.org.id) {
        return Err(ApiError::Forbidden(
            ProblemCode::NotYourOrganization,
            "an organisation's own admins submit its reports".into(),
        ));
    }
    let month =
        Month::parse(&l.report.month).map_err(|_| ApiError::Internal("stored month".into()))?;
    let now = state.clock.now();
    let figures = state
        .store
        .organization_figures(l.org.id, Period::months(month, month))
        .await?;
    let late = is_late(month, china_date(now), state.settings.report_grace_days);
    state
        .store
        .change_report(
            l.report.id,
            report_action_starts_from(ReportAction::Submit),
            expected_version(&req)?,
            ReportStep::Submit { figures, late },
            &actor(&state, &who).await?,
            now,
        )
        .await?;
    respond(&state, &who, l.report.id, false).await
}

/// Returns a submitted report to its organisation with a reason (the parent's admins).
#[utoipa::path(tag = "reports", security(("bearer" = [])), params(("id" = Uuid, Path)), request_body = ReturnReportRequest, responses(
    (status = 200, body = MonthlyReportView, headers(("ETag" = String))),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 409, body = Problem, content_type = "application/problem+json", description = "report_status"),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
#[post("/monthly-reports/{id}/return")]
pub async fn return_monthly_report(
    state: web::Data<AppState>,
    who: Authenticated,
    id: web::Path<Uuid>,
    body: web::Json<ReturnReportRequest>,
) -> Result<HttpResponse, ApiError> {
    let mut p = Problems::validate(&*body);
    if body.reason.trim().is_empty() && !p.has("reason") {
        p.push(
            "reason",
            ProblemCode::Required,
            "say why the report goes back",
        );
    }
    p.finish()?;
    decide(
        &state,
        &who,
        *id,
        ReportStep::Return {
            reason: body.reason.trim().to_string(),
        },
    )
    .await
}

/// Accepts a submitted report (the parent's admins).
#[utoipa::path(tag = "reports", security(("bearer" = [])), params(("id" = Uuid, Path)), responses(
    (status = 200, body = MonthlyReportView, headers(("ETag" = String))),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 409, body = Problem, content_type = "application/problem+json", description = "report_status"),
))]
#[post("/monthly-reports/{id}/accept")]
pub async fn accept_monthly_report(
    state: web::Data<AppState>,
    who: Authenticated,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    decide(&state, &who, *id, ReportStep::Accept).await
}

async fn decide(
    state: &AppState,
    who: &Authenticated,
    id: Uuid,
    step: ReportStep,
) -> Result<HttpResponse, ApiError> {
    let l = load(state, who, id).await?;
    if !decides(who, &l.org) {
        return Err(ApiError::Forbidden(
            ProblemCode::ParentAdminOnly,
            "the parent organisation's admins return or accept a report".into(),
        ));
    }
    state
        .store
        .change_report(
            l.report.id,
            report_action_starts_from(match step {
                ReportStep::Return { .. } => ReportAction::Return,
                _ => ReportAction::Accept,
            }),
            None,
            step,
            &actor(state, who).await?,
            state.clock.now(),
        )
        .await?;
    respond(state, who, l.report.id, false).await
}

/// Reports by organisation (with its subtree), months, status and region, newest month
/// first; what the caller oversees (everything for platform admins).
#[utoipa::path(tag = "reports", security(("bearer" = [])), params(ReportQuery), responses(
    (status = 200, body = MonthlyReportPage),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
#[get("/monthly-reports")]
pub async fn list_monthly_reports(
    state: web::Data<AppState>,
    who: Authenticated,
    q: web::Query<ReportQuery>,
) -> Result<HttpResponse, ApiError> {
    let mut p = Problems::validate(&*q);
    let from = q
        .month_from
        .as_deref()
        .and_then(|m| parse_month(&mut p, "month_from", m));
    let to = q
        .month_to
        .as_deref()
        .and_then(|m| parse_month(&mut p, "month_to", m));
    let status: Option<ReportStatus> =
        p.closed_opt("status", ProblemCode::UnknownStatus, q.status.as_deref());
    if let Some(r) = q.region_code.as_deref() {
        if r.len() != 6 || !r.bytes().all(|b| b.is_ascii_digit()) {
            p.push(
                "region_code",
                ProblemCode::InvalidRegion,
                "a region code has six digits",
            );
        }
    }
    let before = uuid_cursor(&mut p, &q.cursor);
    p.finish()?;
    let roots = match q.organization_id {
        Some(o) => {
            if !oversees(&state, &who, o).await? {
                return Err(ApiError::Forbidden(
                    ProblemCode::NotInYourOversight,
                    "reports are shown to the organisation's admins and those above it".into(),
                ));
            }
            Some(vec![o])
        }
        None if who.is_platform_admin => None,
        None => Some(who.admin_of.clone()),
    };
    let organizations = match roots {
        Some(r) if q.include_descendants || q.organization_id.is_none() => {
            Some(state.store.subtree_ids(&r).await?)
        }
        other => other,
    };
    let limit = q.limit.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT);
    let list = state
        .store
        .list_reports(ReportFilter {
            organizations,
            month_from: from.map(|m| m.to_string()),
            month_to: to.map(|m| m.to_string()),
            status,
            region_prefix: q
                .region_code
                .as_deref()
                .map(|r| region_prefix(r).to_string()),
            before,
            limit,
        })
        .await?;
    let next = next_cursor(&list, limit, |r| r.id.to_string());
    let mut ids: Vec<Uuid> = list.iter().map(|r| r.organization_id).collect();
    ids.sort();
    ids.dedup();
    let orgs: HashMap<Uuid, organization::Model> = state
        .store
        .organizations_by_ids(&ids)
        .await?
        .into_iter()
        .map(|o| (o.id, o))
        .collect();
    let mut items = Vec::with_capacity(list.len());
    for r in list {
        let Some(org) = orgs.get(&r.organization_id).cloned() else {
            continue;
        };
        items.push(view(&state, &who, Loaded { report: r, org }).await?);
    }
    Ok(HttpResponse::Ok().json(MonthlyReportPage {
        items,
        next_cursor: next,
    }))
}

/// A roll-up's scope, checked against the caller.
struct Scope {
    roll: RollScope,
    kind: RollupKind,
    key: String,
    /// `None` for an organisation: read with the figures (a roll-up kept for the scope
    /// then needs no read at all, for a caller whose rights settle the permission).
    name: Option<String>,
}

async fn resolve_scope(
    state: &AppState,
    who: &Authenticated,
    p: &mut Problems,
    organization_id: Option<Uuid>,
    region_code: Option<&str>,
) -> Result<Option<Scope>, ApiError> {
    match (organization_id, region_code) {
        (Some(_), Some(_)) => {
            p.push(
                "region_code",
                ProblemCode::OneScope,
                "give an organisation or a region, not both",
            );
            Ok(None)
        }
        (Some(id), None) => {
            if !oversees(state, who, id).await? {
                load_org(state, id).await?; // 404 when there is no such organisation
                return Err(ApiError::Forbidden(
                    ProblemCode::NotInYourOversight,
                    "a roll-up is shown to the organisation's admins and those above it".into(),
                ));
            }
            Ok(Some(Scope {
                roll: RollScope::Subtree(id),
                kind: RollupKind::Organization,
                key: id.to_string(),
                name: None,
            }))
        }
        (None, Some(code)) => {
            let Some(region) = state.store.get_region(code).await? else {
                p.push(
                    "region_code",
                    ProblemCode::UnknownRegion,
                    "not a known region code",
                );
                return Ok(None);
            };
            let prefix = region_prefix(code).to_string();
            let associations = state
                .store
                .organizations_by_ids(&who.admin_of)
                .await?
                .into_iter()
                .filter(|o| {
                    matches!(
                        Some(*o.category),
                        Some(
                            OrganizationCategory::ProvincialAssociation
                                | OrganizationCategory::CityAssociation
                                | OrganizationCategory::CountyAssociation
                        )
                    ) && o.status == OrganizationStatus::Approved
                })
                .any(|o| prefix.starts_with(region_prefix(&o.region_code)));
            if !(who.is_platform_admin || associations) {
                return Err(ApiError::Forbidden(ProblemCode::NotInYourOversight,
                    "a region's roll-up is shown to its associations for science and technology and platform admins".into(),
                ));
            }
            Ok(Some(Scope {
                roll: RollScope::Region(prefix.clone()),
                kind: RollupKind::Region,
                key: code.to_string(),
                name: Some(region.name),
            }))
        }
        (None, None) => {
            if !who.is_platform_admin {
                return Err(ApiError::Forbidden(
                    ProblemCode::PlatformAdminOnly,
                    "the national roll-up is shown to platform admins".into(),
                ));
            }
            Ok(Some(Scope {
                roll: RollScope::Region(String::new()),
                kind: RollupKind::Nation,
                key: "000000".into(),
                name: Some("全国".into()),
            }))
        }
    }
}

/// A roll-up row from the sums the database grouped.
fn rollup_row(
    b: &BucketFigures,
    due_months: usize,
    kind: RollupKind,
    key: String,
    name: String,
) -> RollupRow {
    RollupRow {
        kind,
        key,
        name,
        organizations: b.organizations,
        figures: figures_view(&b.figures),
        people_served: b.people_served,
        reports_due: b.organizations * due_months as i64,
        reports_filed: b.reports_filed,
        reports_late: b.reports_late,
        reports_missing: b.reports_missing,
        organizations_short_of_activities: b.short_of_activities,
        organizations_below_minimum_size: b.below_minimum_size,
        compliant: b.reports_missing == 0 && b.short_of_activities == 0,
    }
}

/// The rules of rules 39-43 as numbers for a period of `months` months: activities
/// required by region (the configured prefixes, else monthly) and minimum sizes by level.
fn roll_rules(state: &AppState, months: u32, due: Vec<String>) -> RollRules {
    RollRules {
        required_activities: i64::from(required_activities(months, ActivityRule::Monthly)),
        required_by_prefix: state
            .settings
            .activity_rules
            .iter()
            .map(|(prefix, rule)| {
                (
                    prefix.clone(),
                    i64::from(required_activities(months, *rule)),
                )
            })
            .collect(),
        minimum_members: OrganizationLevel::ALL
            .iter()
            .filter_map(|l| Some((l.as_str().to_string(), l.minimum_members()? as i64)))
            .collect(),
        due_months: due,
    }
}

/// Months and their period from a query, with field problems.
fn months_of(p: &mut Problems, from: &str, to: Option<&str>) -> Option<(Month, Month)> {
    let from = parse_month(p, "month_from", from)?;
    let to = match to {
        Some(t) => parse_month(p, "month_to", t)?,
        None => from,
    };
    if to < from {
        p.push(
            "month_to",
            ProblemCode::RangeBackwards,
            "month_to comes after month_from",
        );
        return None;
    }
    if from.through(to).len() > MAX_MONTHS as usize {
        p.push(
            "month_to",
            ProblemCode::RangeTooLong,
            "a roll-up covers at most 24 months",
        );
        return None;
    }
    Some((from, to))
}

async fn rollup(
    state: &web::Data<AppState>,
    who: &Authenticated,
    organization_id: Option<Uuid>,
    region_code: Option<&str>,
    month_from: &str,
    month_to: Option<&str>,
) -> Result<Arc<RollupView>, ApiError> {
    let mut p = Problems::default();
    let range = months_of(&mut p, month_from, month_to);
    let scope = resolve_scope(state, who, &mut p, organization_id, region_code).await?;
    p.finish()?;
    let (Some((from, to)), Some(scope)) = (range, scope) else {
        return Err(ApiError::Internal("roll-up scope".into()));
    };
    let now = state.clock.now();
    let today = china_date(now);
    // The same scope, period and day give the same answer: kept for a few seconds, and
    // forgotten at once when this process answers a write (`crate::cache`).
    let generation = state.writes.current();
    let cache_key = format!("{}|{}|{from}|{to}|{today}", scope.kind, scope.key);
    let state_for_work = state.clone();
    state
        .rollups
        .get_or_compute(&cache_key, generation, now, move || {
            compute_rollup(state_for_work, scope, from, to, now)
        })
        .await
}

/// The roll-up of a resolved scope and period, as of `now`.
async fn compute_rollup(
    state: web::Data<AppState>,
    scope: Scope,
    from: Month,
    to: Month,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<RollupView, ApiError> {
    let today = china_date(now);
    let scope_name = match (&scope.name, &scope.roll) {
        (Some(name), _) => name.clone(),
        (None, RollScope::Subtree(id)) => load_org(&state, *id).await?.name,
        (None, RollScope::Region(_)) => String::new(),
    };
    let grace = state.settings.report_grace_days;
    let months: Vec<Month> = from.through(to);
    let month_keys: Vec<String> = months.iter().map(|m| m.to_string()).collect();
    let due: Vec<String> = months
        .iter()
        .filter(|m| is_overdue(**m, today, grace))
        .map(|m| m.to_string())
        .collect();
    let rules = roll_rules(&state, months.len() as u32, due.clone());
    // Who has not reported: the first 200 by region code (and how many in all, below).
    let RollupRows {
        buckets,
        not_reporting: missing,
    } = state
        .store
        .rollup(&scope.roll, &month_keys, &rules, 200)
        .await?;
    // The totals count every organisation of the scope, the rows those that fall in one.
    let mut all = BucketFigures::default();
    for b in &buckets {
        all.add(b);
    } // Names of the rows.
    let listed: Vec<Uuid> = missing.iter().map(|(id, _)| *id).collect();
    // The rows' organisations and those listed as not reporting, named in one read.
    let org_keys: Vec<Uuid> = buckets
        .iter()
        .filter_map(|b| match b.bucket {
            Some(Bucket::Root(id)) | Some(Bucket::Organization(id)) => Some(id),
            _ => None,
        })
        .chain(listed.iter().copied())
        .collect();
    let region_keys: Vec<String> = buckets
        .iter()
        .filter_map(|b| match &b.bucket {
            Some(Bucket::Region(code)) => Some(code.clone()),
            _ => None,
        })
        .collect();
    let org_names: HashMap<Uuid, String> = state
        .store
        .organizations_by_ids(&org_keys)
        .await?
        .into_iter()
        .map(|o| (o.id, o.name))
        .collect();
    let region_names = state.store.region_names(&region_keys).await?;
    let mut out_rows: Vec<RollupRow> = buckets
        .iter()
        .filter_map(|b| {
            Some(match b.bucket.as_ref()? {
                Bucket::Root(id) => {
                    let name = org_names.get(id).cloned().unwrap_or_default();
                    rollup_row(
                        b,
                        due.len(),
                        RollupKind::Own,
                        id.to_string(),
                        format!("{name}（本级）"),
                    )
                }
                Bucket::Organization(id) => {
                    let name = org_names.get(id).cloned().unwrap_or_default();
                    rollup_row(b, due.len(), RollupKind::Organization, id.to_string(), name)
                }
                Bucket::Region(code) => {
                    let name = region_names.get(code).cloned().unwrap_or_default();
                    rollup_row(b, due.len(), RollupKind::Region, code.clone(), name)
                }
            })
        })
        .collect();
    out_rows.sort_by(|a, b| {
        (a.kind != RollupKind::Own)
            .cmp(&(b.kind != RollupKind::Own))
            .then_with(|| a.key.cmp(&b.key))
    });
    let not_reported_total = all.organizations_not_reporting;
    let filed_months = state.store.filed_months(&listed, &due).await?;
    let not_reported = missing
        .into_iter()
        .map(|(id, region_code)| NotReportedView {
            organization_id: id,
            name: org_names.get(&id).cloned().unwrap_or_default(),
            region_code,
            missing_months: due
                .iter()
                .filter(|m| !filed_months.get(&id).is_some_and(|f| f.contains(*m)))
                .cloned()
                .collect(),
        })
        .collect();
    Ok(RollupView {
        scope: scope.kind,
        key: scope.key.clone(),
        name: scope_name.clone(),
        month_from: from.to_string(),
        month_to: to.to_string(),
        totals: rollup_row(&all, due.len(), scope.kind, scope.key, scope_name),
        rows: out_rows,
        not_reported,
        not_reported_total,
        computed_at: now,
    })
}

/// The live roll-up of an organisation's subtree (a row for itself and one per child), a
/// region (a province by city, a city by county, a county by organisation) or the nation
/// (by province), for a month or a range: totals, compliance per row, and who has not
/// reported. Computed from the organisations' monthly figures, which the service keeps up to
/// date in the transactions that change them, and from the filed reports; `computed_at` says
/// when. A replica keeps an answer for `read_cache_secs` (5 s by default) and forgets it when
/// it takes a write that may change it (hours, reports, members; not sign-ups); figures changed through another replica show within a few times that
/// (at most four).
#[utoipa::path(tag = "reports", security(("bearer" = [])), params(RollupQuery), responses(
    (status = 200, body = RollupView),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
#[get("/report-rollup")]
pub async fn get_report_rollup(
    state: web::Data<AppState>,
    who: Authenticated,
    q: web::Query<RollupQuery>,
) -> Result<HttpResponse, ApiError> {
    let v = rollup(
        &state,
        &who,
        q.organization_id,
        q.region_code.as_deref(),
        &q.month_from,
        q.month_to.as_deref(),
    )
    .await?;
    Ok(HttpResponse::Ok().json(&*v))
}

/// The roll-up as XLSX or CSV with Chinese headers: one line per row, then the totals.
#[utoipa::path(tag = "reports", security(("bearer" = [])), params(RollupExportQuery), responses(
    (status = 200, description = "The table", content(
        (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (String = "text/csv")
    )),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
#[get("/report-rollup/export")]
pub async fn export_report_rollup(
    state: web::Data<AppState>,
    who: Authenticated,
    q: web::Query<RollupExportQuery>,
) -> Result<HttpResponse, ApiError> {
    let mut p = Problems::default();
    let format = export::format(&mut p, q.format.as_deref(), export::Format::Xlsx);
    p.finish()?;
    let v = rollup(
        &state,
        &who,
        q.organization_id,
        q.region_code.as_deref(),
        &q.month_from,
        q.month_to.as_deref(),
    )
    .await?;
    let line = |r: &RollupRow, name: String| -> Vec<Cell> {
        vec![
            name.into(),
            Cell::Number(r.organizations as f64),
            Cell::Number(r.figures.activities_held as f64),
            Cell::Number(r.figures.volunteer_attendances as f64),
            Cell::Number(r.figures.service_hours),
            Cell::Number(r.figures.new_volunteers as f64),
            Cell::Number(r.people_served as f64),
            Cell::Number(r.figures.pairing_activities as f64),
            Cell::Number(r.reports_due as f64),
            Cell::Number(r.reports_filed as f64),
            Cell::Number(r.reports_late as f64),
            Cell::Number(r.reports_missing as f64),
            Cell::Number(r.organizations_short_of_activities as f64),
            Cell::Number(r.organizations_below_minimum_size as f64),
            if r.compliant { "是" } else { "否" }.into(),
        ]
    };
    let mut rows: Vec<Vec<Cell>> = v.rows.iter().map(|r| line(r, r.name.clone())).collect();
    rows.push(line(&v.totals, "合计".into()));
    let stem = format!("rollup-{}-{}-{}", v.key, v.month_from, v.month_to);
    export::respond(
        format,
        &stem,
        "汇总",
        &[
            "单位或地区",
            "组织数",
            "开展活动数",
            "志愿者参与人次",
            "服务时长（小时）",
            "新增志愿者",
            "服务群众人数",
            "结对活动数",
            "应报月报数",
            "已报月报数",
            "逾期月报数",
            "缺报月报数",
            "活动不达标组织数",
            "人数不达标组织数",
            "是否达标",
        ],
        &rows,
    )
}

/// An organisation's year in figures, month by month and in total, with its registered
/// volunteers at the year's end (rule 43). Its admins and those above it.
#[utoipa::path(tag = "reports", security(("bearer" = [])), params(("id" = Uuid, Path), AnnualSummaryQuery), responses(
    (status = 200, body = AnnualSummaryView),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
#[get("/organizations/{id}/annual-summary")]
pub async fn get_annual_summary(
    state: web::Data<AppState>,
    who: Authenticated,
    id: web::Path<Uuid>,
    q: web::Query<AnnualSummaryQuery>,
) -> Result<HttpResponse, ApiError> {
    Problems::validate(&*q).finish()?;
    let org = load_org(&state, *id).await?;
    if !oversees(&state, &who, org.id).await? {
        return Err(ApiError::Forbidden(
            ProblemCode::NotInYourOversight,
            "the annual summary is shown to the organisation's admins and those above it".into(),
        ));
    }
    let first = Month::parse(&format!("{:04}-01", q.year))
        .map_err(|e| ApiError::field("year", e.code, e.message))?;
    let last = Month::parse(&format!("{:04}-12", q.year))
        .map_err(|e| ApiError::field("year", e.code, e.message))?;
    let reports: HashMap<String, monthly_report::Model> = state
        .store
        .list_reports(ReportFilter {
            organizations: Some(vec![org.id]),
            month_from: Some(first.to_string()),
            month_to: Some(last.to_string()),
            limit: 12,
            ..Default::default()
        })
        .await?
        .into_iter()
        .map(|r| (r.month.clone(), r))
        .collect();
    let mut months = vec![];
    let mut totals = Figures::default();
    let (mut people, mut filed, mut late) = (0i64, 0i64, 0i64);
    for m in first.through(last) {
        let f = state
            .store
            .organization_figures(org.id, Period::months(m, m))
            .await?;
        totals.activities_held += f.activities_held;
        totals.attendances += f.attendances;
        totals.hours_tenths += f.hours_tenths;
        totals.new_volunteers += f.new_volunteers;
        totals.pairing_activities += f.pairing_activities;
        let r = reports.get(&m.to_string());
        let is_filed = r.is_some_and(|r| r.status.is_filed());
        if is_filed {
            filed += 1;
            people += r.and_then(|r| r.people_served).map(i64::from).unwrap_or(0);
            if r.and_then(|r| r.late) == Some(true) {
                late += 1;
            }
        }
        months.push(AnnualMonthView {
            month: m.to_string(),
            figures: figures_view(&f),
            people_served: r.and_then(|r| r.people_served),
            report_status: r.map_or(MonthStanding::Missing, |r| (*r.status).into()),
            report_late: r.and_then(|r| r.late),
        });
    }
    let year_end = china_day_start(last.next().first_day());
    let registered = state.store.members_joined_by(org.id, year_end).await?;
    let map = parties(&state, std::slice::from_ref(&org)).await?;
    Ok(HttpResponse::Ok().json(AnnualSummaryView {
        organization: party_of(&map, org.id)?,
        year: q.year,
        months,
        totals: figures_view(&totals),
        people_served: people,
        registered_volunteers_at_year_end: registered,
        reports_filed: filed,
        reports_late: late,
    }))
}
