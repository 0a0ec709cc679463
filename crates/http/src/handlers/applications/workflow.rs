//! An application after submission: endorsement, reviewers, reviews, the decision and the project summary (rules 35-38).

use super::*;

fn require_province(l: &Loaded) -> Result<(), ApiError> {
    if !l.standing.province {
        return Err(ApiError::Forbidden(
            ProblemCode::EndorserOnly,
            "endorsement belongs to the provincial association of the applicant's province".into(),
        ));
    }
    if !l.call.endorsement_required {
        return Err(ApiError::Conflict {
            code: ProblemCode::EndorsementNotRequired,
            message: "this call does not ask for endorsements".into(),
        });
    }
    Ok(())
}

/// Endorses a submitted application (the provincial association of the applicant's
/// province), within the call's per-province quota even when endorsements race.
#[utoipa::path(tag = "applications", security(("bearer" = [])), params(("id" = Uuid, Path)), request_body = EndorseRequest, responses(
    (status = 200, body = ApplicationView, headers(("ETag" = String))),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 409, body = Problem, content_type = "application/problem+json", description = "endorsement_quota_reached, endorsement_not_required, application_status"),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
#[post("/applications/{id}/endorse")]
pub async fn endorse_application(
    state: web::Data<AppState>,
    who: Authenticated,
    id: web::Path<Uuid>,
    body: web::Json<EndorseRequest>,
) -> Result<HttpResponse, ApiError> {
    Problems::validate(&*body).finish()?;
    let l = load(&state, &who, *id).await?;
    require_province(&l)?;
    state
        .store
        .endorse_application(
            l.app.id,
            i64::from(l.call.province_quota),
            Change {
                from: starts_from(ApplicationAction::Endorse, &l.call),
                expected_version: None,
                action: ApplicationEvent::Endorsed,
                note: body.note.as_deref().map(str::trim).map(str::to_string),
                now: state.clock.now(),
            },
            &actor(&state, &who).await?,
        )
        .await?;
    respond(&state, &who, l.app.id, false).await
}

/// Declines to endorse a submitted application, with the reason.
#[utoipa::path(tag = "applications", security(("bearer" = [])), params(("id" = Uuid, Path)), request_body = DeclineEndorsementRequest, responses(
    (status = 200, body = ApplicationView, headers(("ETag" = String))),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 409, body = Problem, content_type = "application/problem+json", description = "endorsement_not_required, application_status"),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
#[post("/applications/{id}/decline-endorsement")]
pub async fn decline_endorsement(
    state: web::Data<AppState>,
    who: Authenticated,
    id: web::Path<Uuid>,
    body: web::Json<DeclineEndorsementRequest>,
) -> Result<HttpResponse, ApiError> {
    let Reason(reason) = Reason::try_from(&*body)?;
    let l = load(&state, &who, *id).await?;
    require_province(&l)?;
    state
        .store
        .change_application(
            l.app.id,
            Change {
                from: starts_from(ApplicationAction::DeclineEndorsement, &l.call),
                expected_version: None,
                action: ApplicationEvent::EndorsementDeclined,
                note: Some(reason.clone()),
                now: state.clock.now(),
            },
            &actor(&state, &who).await?,
            Apply::DeclineEndorsement { reason },
        )
        .await?;
    respond(&state, &who, l.app.id, false).await
}

/// Assigns reviewers (accounts) to an application in review (platform admins). The
/// applicant's own admins cannot review it.
#[utoipa::path(tag = "applications", security(("bearer" = [])), params(("id" = Uuid, Path)), request_body = AssignReviewersRequest, responses(
    (status = 200, body = ApplicationView, headers(("ETag" = String))),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 409, body = Problem, content_type = "application/problem+json", description = "application_status"),
    (status = 422, body = Problem, content_type = "application/problem+json", description = "reviewer_not_found, reviewer_conflict"),
))]
#[post("/applications/{id}/reviewers")]
pub async fn assign_reviewers(
    state: web::Data<AppState>,
    who: Authenticated,
    id: web::Path<Uuid>,
    body: web::Json<AssignReviewersRequest>,
) -> Result<HttpResponse, ApiError> {
    platform_only(&who)?;
    let mut p = Problems::validate(&*body);
    let l = load(&state, &who, *id).await?;
    let admins: Vec<Uuid> = state
        .store
        .organization_admins(l.app.applicant_id)
        .await?
        .into_iter()
        .map(|(_, a)| a.id)
        .collect();
    for (i, r) in body.reviewer_ids.iter().enumerate() {
        let field = format!("reviewer_ids[{i}]");
        if state.store.get_account(*r).await?.is_none() {
            p.push(
                &field,
                ProblemCode::ReviewerNotFound,
                "no account with this id",
            );
        } else if admins.contains(r) {
            p.push(
                &field,
                ProblemCode::ReviewerConflict,
                "an admin of the applicant cannot review its application",
            );
        }
    }
    p.finish()?;
    let status = *l.app.status;
    if !starts_from(ApplicationAction::AssignReviewers, &l.call).contains(&status) {
        return Err(ApiError::Conflict {
            code: ProblemCode::ApplicationStatus,
            message: format!(
                "the application is {}; reviewers are assigned while it is in review",
                l.app.status
            ),
        });
    }
    state
        .store
        .assign_reviewers(
            l.app.id,
            &body.reviewer_ids,
            &actor(&state, &who).await?,
            state.clock.now(),
        )
        .await?;
    respond(&state, &who, l.app.id, false).await
}

/// The assigned reviewer's scores (one per criterion of the call, 0-100) and comment. A
/// reviewer may change their review until the decision.
#[utoipa::path(tag = "applications", security(("bearer" = [])), params(("id" = Uuid, Path)), request_body = SubmitReviewRequest, responses(
    (status = 200, body = ReviewView),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 409, body = Problem, content_type = "application/problem+json", description = "review_closed"),
    (status = 422, body = Problem, content_type = "application/problem+json", description = "unknown_criterion, criterion_missing, duplicate_criterion"),
))]
#[put("/applications/{id}/reviews/mine")]
pub async fn submit_review(
    state: web::Data<AppState>,
    who: Authenticated,
    id: web::Path<Uuid>,
    body: web::Json<SubmitReviewRequest>,
) -> Result<HttpResponse, ApiError> {
    let l = load(&state, &who, *id).await?;
    if !l.standing.reviewer {
        return Err(ApiError::Forbidden(
            ProblemCode::NotAssignedReviewer,
            "only reviewers assigned to the application review it".into(),
        ));
    }
    let criteria: Vec<Criterion> = serde_json::from_str(&l.call.criteria).unwrap_or_default();
    let r = ReviewScores::try_from((&*body, criteria.as_slice()))?;
    let weighted = weighted_score(&r.weighted);
    let r = state
        .store
        .put_review(
            l.app.id,
            ReviewInput {
                reviewer: who.account_id,
                scores: to_json(&r.scores)?,
                weighted_hundredths: (weighted * 100.0).round() as i32,
                comment: r.comment,
            },
            starts_from(ApplicationAction::Review, &l.call),
            state.clock.now(),
        )
        .await?;
    let names = account_names(&state, &[who.account_id]).await?;
    let position = state
        .store
        .reviews_of(l.app.id)
        .await?
        .iter()
        .position(|x| x.id == r.id)
        .unwrap_or(0);
    Ok(HttpResponse::Ok().json(review_view(r, position, &names, true)))
}

/// Approves (with the granted amount, not above the request), rejects (with the reason) or
/// returns for revision (back to draft with the reason, and optionally a revision deadline
/// after the call's closing time). Platform admins.
#[utoipa::path(tag = "applications", security(("bearer" = [])), params(("id" = Uuid, Path), ("If-Match" = Option<String>, Header, description = "ETag of the version read")), request_body = DecisionRequest, responses(
    (status = 200, body = ApplicationView, headers(("ETag" = String))),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 409, body = Problem, content_type = "application/problem+json", description = "application_status"),
    (status = 412, body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json", description = "unknown_decision, granted_required, granted_above_request, reason required"),
))]
#[post("/applications/{id}/decision")]
pub async fn decide_application(
    state: web::Data<AppState>,
    who: Authenticated,
    req: HttpRequest,
    id: web::Path<Uuid>,
    body: web::Json<DecisionRequest>,
) -> Result<HttpResponse, ApiError> {
    platform_only(&who)?;
    let l = load(&state, &who, *id).await?;
    let now = state.clock.now();
    let verdict = Verdict::try_from((&*body, l.app.requested_fen, now))?;
    let action = verdict.decision().event();
    let reason = verdict.reason().map(str::to_string);
    let what = match verdict {
        Verdict::Approve {
            granted_fen,
            reason,
        } => Apply::Decide {
            to: ApplicationStatus::Approved,
            granted_fen: Some(granted_fen),
            reason,
        },
        Verdict::Reject { reason } => Apply::Decide {
            to: ApplicationStatus::Rejected,
            granted_fen: None,
            reason: Some(reason),
        },
        Verdict::Return {
            reason,
            revision_deadline,
        } => Apply::Return {
            reason,
            revision_deadline,
        },
    };
    state
        .store
        .change_application(
            l.app.id,
            Change {
                from: starts_from(ApplicationAction::Decide, &l.call),
                expected_version: expected_version(&req)?,
                action,
                note: reason,
                now,
            },
            &actor(&state, &who).await?,
            what,
        )
        .await?;
    respond(&state, &who, l.app.id, false).await
}

/// Files an approved project's summary report; after the call's due date it is marked late.
/// It may be filed again (the history keeps each filing).
#[utoipa::path(tag = "applications", security(("bearer" = [])), params(("id" = Uuid, Path)), request_body = ProjectSummaryRequest, responses(
    (status = 200, body = ApplicationView, headers(("ETag" = String))),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 409, body = Problem, content_type = "application/problem+json", description = "application_status"),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
#[post("/applications/{id}/summary")]
pub async fn submit_project_summary(
    state: web::Data<AppState>,
    who: Authenticated,
    id: web::Path<Uuid>,
    body: web::Json<ProjectSummaryRequest>,
) -> Result<HttpResponse, ApiError> {
    let Reason(text) = Reason::try_from(&*body)?;
    let l = load(&state, &who, *id).await?;
    if !l.standing.applicant {
        return Err(ApiError::Forbidden(
            ProblemCode::NotYourOrganization,
            "only the applicant's admins file the summary".into(),
        ));
    }
    let now = state.clock.now();
    let late = summary_late(china_date(now), l.call.summary_due);
    state
        .store
        .change_application(
            l.app.id,
            Change {
                from: starts_from(ApplicationAction::SubmitSummary, &l.call),
                expected_version: None,
                action: ApplicationEvent::SummarySubmitted,
                note: late.then(|| "late".to_string()),
                now,
            },
            &actor(&state, &who).await?,
            Apply::Summary { text, late },
        )
        .await?;
    respond(&state, &who, l.app.id, false).await
}
