//! Sign-ups with the waiting list (rule 19).

use super::*;

pub(super) async fn own_view(
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
        created(format!("/activities/{}", done.sign_up.activity_id)).json(sign_up_view(
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
