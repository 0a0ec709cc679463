//! Programme calls (申报通知): publishing, changing, listing and reading them (rule 32).

use super::*;

/// What is stored of a call's checked terms.
fn content(t: CallTerms) -> Result<CallContent, ApiError> {
    Ok(CallContent {
        programme: t.programme,
        sub_project: t.sub_project,
        year: t.year,
        opens_at: t.opens_at,
        closes_at: t.closes_at,
        eligible_categories: to_json(&t.eligible_categories)?,
        form_variant: t.form_variant,
        cap_fen: t.cap_fen,
        pairing_required: t.pairing_required,
        endorsement_required: t.endorsement_required,
        province_quota: t.province_quota,
        summary_due: t.summary_due,
        criteria: to_json(&t.criteria)?,
    })
}

/// Publishes a call (platform admins).
#[utoipa::path(tag = "applications", security(("bearer" = [])), request_body = CreateCallRequest, responses(
    (status = 201, body = CallView, headers(("ETag" = String))),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
#[post("/calls")]
pub async fn create_call(
    state: web::Data<AppState>,
    who: Authenticated,
    body: web::Json<CreateCallRequest>,
) -> Result<HttpResponse, ApiError> {
    platform_only(&who)?;
    let terms = CallTerms::try_from(&*body)?;
    let now = state.clock.now();
    let c = state
        .store
        .create_call(content(terms)?, who.account_id, now)
        .await?;
    let v = c.version;
    Ok(with_etag(
        created(format!("/calls/{}", c.id)).json(call_view(c, now)),
        v,
    ))
}

/// Changes a call (platform admins); `If-Match` guards against overwriting (412).
#[utoipa::path(tag = "applications", security(("bearer" = [])), params(("id" = Uuid, Path), ("If-Match" = Option<String>, Header, description = "ETag of the version read")), request_body = UpdateCallRequest, responses(
    (status = 200, body = CallView, headers(("ETag" = String))),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 412, body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
#[put("/calls/{id}")]
pub async fn update_call(
    state: web::Data<AppState>,
    who: Authenticated,
    req: HttpRequest,
    id: web::Path<Uuid>,
    body: web::Json<UpdateCallRequest>,
) -> Result<HttpResponse, ApiError> {
    platform_only(&who)?;
    let cur = load_call(&state, *id).await?;
    let expected = expected_version(&req)?;
    let current = CallTerms {
        programme: cur.programme.clone(),
        sub_project: cur.sub_project.clone(),
        year: cur.year,
        opens_at: cur.opens_at,
        closes_at: cur.closes_at,
        eligible_categories: serde_json::from_str(&cur.eligible_categories)
            .map_err(|e| ApiError::Internal(format!("call {}: {e}", cur.id)))?,
        form_variant: *cur.form_variant,
        cap_fen: cur.cap_fen,
        pairing_required: cur.pairing_required,
        endorsement_required: cur.endorsement_required,
        province_quota: cur.province_quota,
        summary_due: cur.summary_due,
        criteria: serde_json::from_str(&cur.criteria)
            .map_err(|e| ApiError::Internal(format!("call {}: {e}", cur.id)))?,
    };
    let c = content(current.amended(&body)?)?;
    let now = state.clock.now();
    let out = state.store.update_call(cur.id, expected, c, now).await?;
    let v = out.version;
    Ok(with_etag(HttpResponse::Ok().json(call_view(out, now)), v))
}

/// Calls, open ones first (closing soonest first), then upcoming, then closed. Public.
#[utoipa::path(tag = "applications", params(CallQuery), responses(
    (status = 200, body = CallPage),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
#[get("/calls")]
pub async fn list_calls(
    state: web::Data<AppState>,
    q: web::Query<CallQuery>,
) -> Result<HttpResponse, ApiError> {
    let mut p = Problems::validate(&*q);
    let after = uuid_cursor(&mut p, &q.cursor);
    p.finish()?;
    let limit = usize::try_from(q.limit.unwrap_or(DEFAULT_LIMIT)).unwrap_or(usize::MAX);
    let now = state.clock.now();
    let mut calls = state.store.list_calls(q.year).await?;
    let rank = |c: &call::Model| call_state(c, now).listing_rank();
    calls.sort_by(|a, b| {
        rank(a).cmp(&rank(b)).then_with(|| match rank(a) {
            0 => a.closes_at.cmp(&b.closes_at),
            1 => a.opens_at.cmp(&b.opens_at),
            _ => b.closes_at.cmp(&a.closes_at),
        })
    });
    // The cursor is the last call of the previous page; the page goes on after it in
    // today's order (a call that moved meanwhile, say from upcoming to open, may be met
    // twice or missed once).
    let start = after
        .and_then(|a| calls.iter().position(|c| c.id == a))
        .map_or(0, |i| i + 1);
    let page: Vec<call::Model> = calls.into_iter().skip(start).take(limit + 1).collect();
    let more = page.len() > limit;
    let items: Vec<CallView> = page
        .into_iter()
        .take(limit)
        .map(|c| call_view(c, now))
        .collect();
    let next_cursor = more
        .then(|| items.last().map(|c| c.id.to_string()))
        .flatten();
    Ok(HttpResponse::Ok().json(CallPage { items, next_cursor }))
}

/// One call. Public.
#[utoipa::path(tag = "applications", params(("id" = Uuid, Path)), responses(
    (status = 200, body = CallView, headers(("ETag" = String))),
    (status = 404, body = Problem, content_type = "application/problem+json", description = "call_not_found"),
))]
#[get("/calls/{id}")]
pub async fn get_call(
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let c = load_call(&state, *id).await?;
    let v = c.version;
    Ok(with_etag(
        HttpResponse::Ok().json(call_view(c, state.clock.now())),
        v,
    ))
}
