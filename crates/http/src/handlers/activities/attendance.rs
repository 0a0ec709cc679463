//! Check-in codes, check-in and check-out, and attendance kept by the organiser (rule 20).

use super::*;

fn check_in_code(state: &AppState, activity_id: Uuid, slot: i64) -> String {
    let mut msg = activity_id.as_bytes().to_vec();
    msg.extend_from_slice(&slot.to_be_bytes());
    keyed_code(&code_key(state, "zhihui check-in code"), &msg, 8)
}

/// Gives the leader (or an admin) the current check-in code and its QR text. The code is a
/// keyed hash of the activity and a time slot: it rotates every few minutes, the previous
/// one stays valid until the next rotation, and it cannot be forged without the key.
#[utoipa::path(tag = "activities", security(("bearer" = [])), params(("id" = Uuid, Path)), responses(
    (status = 201, body = CheckInCodeView),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 409, body = Problem, content_type = "application/problem+json", description = "check_in_closed, activity_not_open"),
))]
#[post("/activities/{id}/check-in-codes")]
pub async fn issue_check_in_code(
    state: web::Data<AppState>,
    who: Authenticated,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let a = load(&state, Some(&who), *id).await?;
    if !(pa::runs(&who, &a) || leads(&state, &who, &a).await?) {
        return Err(ApiError::Forbidden(
            ProblemCode::NotActivityLeader,
            "check-in codes are for the activity's leaders and its organisation's admins".into(),
        ));
    }
    check_in_window(&state, &a, ActivityAction::IssueCheckInCode)?;
    let period = state.settings.check_in_code_secs;
    let slot = check_in_slot(state.clock.now(), period);
    let code = check_in_code(&state, a.id, slot);
    let qr_text = format!(
        "{}/check-in?activity={}&code={}",
        state.settings.public_base_url.trim_end_matches('/'),
        a.id,
        code
    );
    Ok(
        created(format!("/activities/{}", a.id)).json(CheckInCodeView {
            activity_id: a.id,
            code,
            qr_text,
            rotates_at: check_in_slot_expiry(slot - 1, period),
            expires_at: check_in_slot_expiry(slot, period),
        }),
    )
}

fn check_in_window(
    state: &AppState,
    a: &activity::Model,
    action: ActivityAction,
) -> Result<(), ApiError> {
    act(a, action, &facts(state.clock.now(), a, false)).map(drop)
}

/// Checks a code typed or scanned by a volunteer against the current and previous slot.
fn verify_code(state: &AppState, a: &activity::Model, code: &str) -> Result<(), ApiError> {
    let typed: String = code
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    let period = state.settings.check_in_code_secs;
    let slot = check_in_slot(state.clock.now(), period);
    if typed == check_in_code(state, a.id, slot) || typed == check_in_code(state, a.id, slot - 1) {
        return Ok(());
    }
    // A code of the last few hours is expired rather than wrong: say so.
    let lookback = (6 * 3600 / period.max(1)).clamp(1, 1000);
    if (2..=lookback).any(|k| typed == check_in_code(state, a.id, slot - k)) {
        return Err(ApiError::field(
            "code",
            ProblemCode::CheckInCodeExpired,
            "this code has expired; scan the code the leader shows now",
        ));
    }
    Err(ApiError::field(
        "code",
        ProblemCode::InvalidCheckInCode,
        "this is not the activity's check-in code",
    ))
}

async fn check(
    state: &AppState,
    who: &Authenticated,
    id: Uuid,
    body: &CheckInRequest,
    out: bool,
) -> Result<HttpResponse, ApiError> {
    Problems::validate(body).finish()?;
    let a = load(state, Some(who), id).await?;
    let v = require_volunteer(state, who).await?;
    check_in_window(state, &a, ActivityAction::CheckIn)?;
    verify_code(state, &a, &body.code)?;
    let s = state
        .store
        .live_sign_up(a.id, v.id)
        .await?
        .ok_or(ApiError::Conflict {
            code: ProblemCode::NotSignedUp,
            message: "only volunteers with a place on the activity check in".into(),
        })?;
    let status = Some(*s.status)
        .ok_or_else(|| ApiError::Internal(format!("stored sign-up status {}", s.status)))?;
    sign_up_transition(status, SignUpAction::CheckIn)?;
    let s = state
        .store
        .check_in_out(s.id, out, state.clock.now())
        .await?;
    Ok(HttpResponse::Ok().json(own_view(state, &v, s).await?))
}

/// Checks the caller in with the code the leader shows.
#[utoipa::path(tag = "activities", security(("bearer" = [])), params(("id" = Uuid, Path)), request_body = CheckInRequest, responses(
    (status = 200, body = SignUpView),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 409, body = Problem, content_type = "application/problem+json", description = "not_signed_up, waitlisted, already_checked_in, check_in_closed"),
    (status = 422, body = Problem, content_type = "application/problem+json", description = "invalid_check_in_code, check_in_code_expired"),
))]
#[post("/activities/{id}/check-in")]
pub async fn check_in(
    state: web::Data<AppState>,
    who: Authenticated,
    id: web::Path<Uuid>,
    body: web::Json<CheckInRequest>,
) -> Result<HttpResponse, ApiError> {
    check(&state, &who, *id, &body, false).await
}

/// Checks the caller out with the code the leader shows.
#[utoipa::path(tag = "activities", security(("bearer" = [])), params(("id" = Uuid, Path)), request_body = CheckInRequest, responses(
    (status = 200, body = SignUpView),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 409, body = Problem, content_type = "application/problem+json", description = "not_signed_up, not_checked_in, already_checked_out, check_in_closed"),
    (status = 422, body = Problem, content_type = "application/problem+json", description = "invalid_check_in_code, check_in_code_expired"),
))]
#[post("/activities/{id}/check-out")]
pub async fn check_out(
    state: web::Data<AppState>,
    who: Authenticated,
    id: web::Path<Uuid>,
    body: web::Json<CheckInRequest>,
) -> Result<HttpResponse, ApiError> {
    check(&state, &who, *id, &body, true).await
}

/// Records or corrects a participant's attendance by hand (leader or admin); the reason is
/// kept with who and when.
#[utoipa::path(tag = "activities", security(("bearer" = [])), params(("id" = Uuid, Path), ("volunteer_id" = Uuid, Path)), request_body = AttendanceRequest, responses(
    (status = 200, body = AttendanceView),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
#[put("/activities/{id}/attendance/{volunteer_id}")]
pub async fn record_attendance(
    state: web::Data<AppState>,
    who: Authenticated,
    path: web::Path<(Uuid, Uuid)>,
    body: web::Json<AttendanceRequest>,
) -> Result<HttpResponse, ApiError> {
    let (id, volunteer_id) = path.into_inner();
    let a = load(&state, Some(&who), id).await?;
    if !(pa::runs(&who, &a) || leads(&state, &who, &a).await?) {
        return Err(ApiError::Forbidden(
            ProblemCode::NotActivityLeader,
            "attendance is recorded by the activity's leaders and its organisation's admins".into(),
        ));
    }
    act(
        &a,
        ActivityAction::RecordAttendance,
        &facts(state.clock.now(), &a, false),
    )?;
    let record = AttendanceRecord::try_from((&*body, a.starts_at, a.ends_at))?;
    let s = state
        .store
        .live_sign_up(a.id, volunteer_id)
        .await?
        .ok_or(ApiError::NotFound(ProblemCode::SignUpNotFound))?;
    let s = state
        .store
        .record_attendance(
            s.id,
            AttendanceEntry {
                checked_in_at: record.checked_in_at,
                checked_out_at: record.checked_out_at,
                absent: record.absent,
                reason: record.reason,
                by: who.account_id,
            },
            state.clock.now(),
        )
        .await?;
    let changes = state
        .store
        .attendance_changes(s.id)
        .await?
        .into_iter()
        .map(|c| AttendanceChangeView {
            changed_by: c.changed_by,
            changed_at: c.changed_at,
            reason: c.reason,
            checked_in_at: c.checked_in_at,
            checked_out_at: c.checked_out_at,
            absent: c.absent,
        })
        .collect();
    let v = state
        .store
        .get_volunteer(volunteer_id)
        .await?
        .ok_or(ApiError::NotFound(ProblemCode::VolunteerNotFound))?;
    Ok(HttpResponse::Ok().json(AttendanceView {
        sign_up: own_view(&state, &v, s).await?,
        changes,
    }))
}
