//! Reading applications: one, its history, and the lists each role sees.

use super::*;

/// An application with its attachments, and reviews as the caller may see them.
#[utoipa::path(tag = "applications", security(("bearer" = [])), params(("id" = Uuid, Path)), responses(
    (status = 200, body = ApplicationView, headers(("ETag" = String))),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json", description = "application_not_found"),
))]
#[get("/applications/{id:[0-9a-fA-F-]+}")]
pub async fn get_application(
    state: web::Data<AppState>,
    who: Authenticated,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    respond(&state, &who, *id, false).await
}

/// Every state change of an application: who, when, why.
#[utoipa::path(tag = "applications", security(("bearer" = [])), params(("id" = Uuid, Path)), responses(
    (status = 200, body = ApplicationHistory),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
))]
#[get("/applications/{id}/history")]
pub async fn get_application_history(
    state: web::Data<AppState>,
    who: Authenticated,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let l = load(&state, &who, *id).await?;
    let items = state
        .store
        .application_events(l.app.id)
        .await?
        .into_iter()
        .map(|e| ApplicationEventView {
            action: *e.action,
            at: e.at,
            actor_name: e.actor_name,
            note: e.note,
        })
        .collect();
    Ok(HttpResponse::Ok().json(ApplicationHistory { items }))
}

/// Applications the caller may see (their organisations' own, their province's from
/// submission on, those assigned to them for review; everything for platform admins),
/// filtered by call, status, province and applicant; newest first.
#[utoipa::path(tag = "applications", security(("bearer" = [])), params(ApplicationQuery), responses(
    (status = 200, body = ApplicationPage),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
#[get("/applications")]
pub async fn list_applications(
    state: web::Data<AppState>,
    who: Authenticated,
    q: web::Query<ApplicationQuery>,
) -> Result<HttpResponse, ApiError> {
    let mut p = Problems::validate(&*q);
    let mut f = filter_for(
        &state,
        &who,
        &mut p,
        q.call_id,
        q.status.as_deref(),
        q.province_code.as_deref(),
        q.applicant_id,
    )
    .await?;
    f.before = uuid_cursor(&mut p, &q.cursor);
    p.finish()?;
    let limit = q.limit.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT);
    f.limit = limit;
    let list = state.store.list_applications(f).await?;
    let next = next_cursor(&list, limit, |a| a.id.to_string());
    let items = summaries(&state, &who, list).await?;
    Ok(HttpResponse::Ok().json(ApplicationPage {
        items,
        next_cursor: next,
    }))
}
