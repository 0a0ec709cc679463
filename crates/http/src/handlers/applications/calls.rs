//! Programme calls (申报通知): publishing, changing, listing and reading them (rule 32).

use super::*;

/// The checked settings of a call.
struct CallFields<'a> {
    opens_at: DateTime<Utc>,
    closes_at: DateTime<Utc>,
    eligible: &'a [String],
    criteria: &'a [Criterion],
    summary_due: chrono::NaiveDate,
}

fn check_call(p: &mut Problems, f: &CallFields<'_>) {
    if f.closes_at <= f.opens_at {
        p.push(
            "closes_at",
            ProblemCode::ClosesBeforeOpening,
            "a call closes after it opens",
        );
    }
    for (i, c) in f.eligible.iter().enumerate() {
        if OrganizationCategory::parse(c).is_none() {
            p.push(
                &format!("eligible_categories[{i}]"),
                ProblemCode::UnknownCategory,
                "not a known organisation category",
            );
        }
    }
    let mut names: Vec<&str> = f.criteria.iter().map(|c| c.name.trim()).collect();
    names.sort();
    names.dedup();
    if names.len() != f.criteria.len() {
        p.push(
            "criteria",
            ProblemCode::DuplicateCriterion,
            "each criterion has its own name",
        );
    }
    if f.summary_due < china_date(f.closes_at) {
        p.push(
            "summary_due",
            ProblemCode::DueBeforeClosing,
            "summaries fall due after the call closes",
        );
    }
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
    let mut p = Problems::validate(&*body);
    check_call(
        &mut p,
        &CallFields {
            opens_at: body.opens_at,
            closes_at: body.closes_at,
            eligible: &body.eligible_categories,
            criteria: &body.criteria,
            summary_due: body.summary_due,
        },
    );
    let form_variant = p.closed(
        "form_variant",
        ProblemCode::UnknownFormVariant,
        &body.form_variant,
    );
    p.finish()?;
    let form_variant =
        form_variant.ok_or_else(|| ApiError::Internal("form variant missing".into()))?;
    let now = state.clock.now();
    let c = state
        .store
        .create_call(
            CallContent {
                programme: body.programme.trim().to_string(),
                sub_project: body.sub_project.trim().to_string(),
                year: body.year,
                opens_at: body.opens_at,
                closes_at: body.closes_at,
                eligible_categories: to_json(&body.eligible_categories)?,
                form_variant,
                cap_fen: body.cap_fen,
                pairing_required: body.pairing_required,
                endorsement_required: body.endorsement_required,
                province_quota: body.province_quota.unwrap_or(1),
                summary_due: body.summary_due,
                criteria: to_json(&body.criteria)?,
            },
            who.account_id,
            now,
        )
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
    let eligible: Vec<String> = match &body.eligible_categories {
        Some(e) => e.clone(),
        None => serde_json::from_str(&cur.eligible_categories).unwrap_or_default(),
    };
    let criteria: Vec<Criterion> = match &body.criteria {
        Some(c) => c.clone(),
        None => serde_json::from_str(&cur.criteria).unwrap_or_default(),
    };
    let mut p = Problems::validate(&*body);
    let form_variant = p.closed_opt(
        "form_variant",
        ProblemCode::UnknownFormVariant,
        body.form_variant.as_deref(),
    );
    let c = CallContent {
        programme: body
            .programme
            .as_deref()
            .map(|s| s.trim().to_string())
            .unwrap_or(cur.programme.clone()),
        sub_project: body
            .sub_project
            .as_deref()
            .map(|s| s.trim().to_string())
            .unwrap_or(cur.sub_project.clone()),
        year: body.year.unwrap_or(cur.year),
        opens_at: body.opens_at.unwrap_or(cur.opens_at),
        closes_at: body.closes_at.unwrap_or(cur.closes_at),
        eligible_categories: to_json(&eligible)?,
        form_variant: form_variant.unwrap_or(*cur.form_variant),
        cap_fen: body.cap_fen.unwrap_or(cur.cap_fen),
        pairing_required: body.pairing_required.unwrap_or(cur.pairing_required),
        endorsement_required: body
            .endorsement_required
            .unwrap_or(cur.endorsement_required),
        province_quota: body.province_quota.unwrap_or(cur.province_quota),
        summary_due: body.summary_due.unwrap_or(cur.summary_due),
        criteria: to_json(&criteria)?,
    };
    check_call(
        &mut p,
        &CallFields {
            opens_at: c.opens_at,
            closes_at: c.closes_at,
            eligible: &eligible,
            criteria: &criteria,
            summary_due: c.summary_due,
        },
    );
    p.finish()?;
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
