//! One organisation's monthly report: preparing, filling, photos, submitting, returning and accepting it (rules 39-41).

use super::*;

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
    let now = state.clock.now();
    let ReportMonth(month) = ReportMonth::try_from((&*body, china_date(now)))?;
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
    Ok(created(format!("/monthly-reports/{}/photos/{}", l.report.id, p.id)).json(photo_view(p)))
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
    let Reason(reason) = Reason::try_from(&*body)?;
    decide(&state, &who, *id, ReportStep::Return { reason }).await
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
