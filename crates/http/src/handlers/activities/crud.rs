//! Writing, publishing, cancelling and listing activities (rules 17-18).

use super::*;

/// What the plan's own check cannot see: the region exists (when the plan names a new one)
/// and every leader is an approved member of the organisation.
async fn check_stored(
    state: &AppState,
    p: &mut Problems,
    org_id: Uuid,
    region_code: Option<&str>,
    leaders: &[Uuid],
    service_point: Option<Uuid>,
) -> Result<(), ApiError> {
    if let Some(c) = region_code {
        if !p.has("region_code") {
            check_region(state, p, "region_code", c).await?;
        }
    }
    if let Some(id) = service_point {
        if state.store.get_service_point(id).await?.is_none() {
            p.push(
                "service_point_id",
                ProblemCode::ServicePointNotFound,
                "no service point with this id",
            );
        }
    }
    let members = state.store.approved_members_among(org_id, leaders).await?;
    for (i, l) in leaders.iter().enumerate() {
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
    // The form's own rules, exactly as the dashboard runs them before sending, then what
    // needs the store.
    let mut p = Problems::default();
    let plan = p.absorb(ActivityPlan::try_from((&*body, now)));
    check_stored(
        &state,
        &mut p,
        org.id,
        Some(&body.region_code),
        &body.leader_ids,
        body.service_point_id,
    )
    .await?;
    let plan = p.done(plan)?;
    let a = state
        .store
        .create_activity(
            NewActivity {
                organization_id: org.id,
                plan,
                created_by: who.account_id,
            },
            now,
        )
        .await?;
    let version = a.version;
    Ok(with_etag(
        created(format!("/activities/{}", a.id)).json(view(&state, Some(&who), a).await?),
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
    let leaders = state
        .store
        .leaders_of(&[cur.id])
        .await?
        .remove(&cur.id)
        .unwrap_or_default()
        .into_iter()
        .map(|(v, _)| v)
        .collect();
    let current = plan_of(&cur, leaders)?;
    let mut p = Problems::default();
    let plan = p.absorb(current.amended(&body));
    check_stored(
        &state,
        &mut p,
        cur.organization_id,
        body.region_code.as_deref(),
        body.leader_ids.as_deref().unwrap_or(&current.leader_ids),
        plan.as_ref()
            .and_then(|pl| pl.service_point_id)
            .filter(|id| Some(*id) != current.service_point_id),
    )
    .await?;
    let plan = p.done(plan)?;
    let a = state
        .store
        .update_activity(cur.id, expected, plan, state.clock.now())
        .await?;
    let version = a.version;
    Ok(with_etag(
        HttpResponse::Ok().json(view(&state, Some(&who), a).await?),
        version,
    ))
}

/// The stored activity's plan, to which an update applies.
fn plan_of(a: &activity::Model, leader_ids: Vec<Uuid>) -> Result<ActivityPlan, ApiError> {
    Ok(ActivityPlan {
        title: a.title.clone(),
        category: *a.category,
        description: a.description.clone(),
        starts_at: a.starts_at,
        ends_at: a.ends_at,
        place: a.place.clone(),
        region: RegionCode::parse(&a.region_code)
            .map_err(|_| ApiError::Internal(format!("activity {} has a bad region", a.id)))?,
        capacity: a.capacity,
        sign_up_opens_at: a.sign_up_opens_at,
        sign_up_closes_at: a.sign_up_closes_at,
        members_only: a.members_only,
        key_date: a.key_date.map(|k| k.0),
        leader_ids,
        service_point_id: a.service_point_id,
    })
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
    let Reason(reason) = Reason::try_from(&*body)?;
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
            Some(reason),
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
        service_point_id: q.service_point_id,
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
