//! Confirming service hours after an activity (rules 21-22).

use super::*;

/// Confirms participants' hours (the organisation's admins), within 10 working days of
/// the end (configurable). Hours come from check-in and check-out inside the activity's
/// time, rounded per session (rule 21), or are entered; they become service records.
/// Changing confirmed hours needs a reason and is kept with who, when and why.
#[utoipa::path(tag = "activities", security(("bearer" = [])), params(("id" = Uuid, Path)), request_body = ConfirmHoursRequest, responses(
    (status = 200, body = ConfirmHoursView),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 409, body = Problem, content_type = "application/problem+json", description = "activity_not_ended, confirmation_window_closed, activity_not_open"),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
#[post("/activities/{id}/service-hours")]
pub async fn confirm_service_hours(
    state: web::Data<AppState>,
    who: Authenticated,
    id: web::Path<Uuid>,
    body: web::Json<ConfirmHoursRequest>,
) -> Result<HttpResponse, ApiError> {
    let a = load(&state, Some(&who), *id).await?;
    if !pa::runs(&who, &a) {
        return Err(ApiError::Forbidden(
            ProblemCode::NotYourOrganization,
            "hours are confirmed by the organisation's own admins".into(),
        ));
    }
    let now = state.clock.now();
    act(&a, ActivityAction::ConfirmHours, &facts(now, &a, false))?;
    let until = confirmable_until(&state.settings, &a);
    Problems::validate(&*body).finish()?;
    let participants = state.store.participants(a.id).await?;
    let existing: HashMap<Uuid, i32> = state
        .store
        .records_of_activity(a.id)
        .await?
        .into_iter()
        .map(|r| (r.sign_up_id, r.hours_tenths))
        .collect();
    let computed = |s: &sign_up::Model| -> i32 {
        match (s.checked_in_at, s.checked_out_at, s.absent) {
            (Some(i), Some(o), false) => {
                state
                    .settings
                    .rounding
                    .counted_tenths(served_minutes(i, o, a.starts_at, a.ends_at))
                    as i32
            }
            _ => 0,
        }
    };
    let people: Vec<Participant<Uuid>> = participants
        .iter()
        .map(|s| Participant {
            sign_up: s.id,
            volunteer: s.volunteer_id,
            absent: s.absent,
            computed_tenths: computed(s),
            confirmed_tenths: existing.get(&s.id).copied(),
        })
        .collect();
    let lines: Vec<HoursLine<'_, Uuid>> = body
        .entries
        .iter()
        .map(|e| HoursLine {
            volunteer: e.volunteer_id,
            hours: e.hours,
            reason: e.reason.as_deref(),
        })
        .collect();
    let planned: Vec<(Uuid, HoursEntry)> =
        match plan_confirmation(&lines, body.all, &people, a.starts_at, a.ends_at) {
            Ok(plan) => plan
                .into_iter()
                .map(|h| {
                    (
                        h.volunteer,
                        HoursEntry {
                            sign_up_id: h.sign_up,
                            volunteer_id: h.volunteer,
                            tenths: h.tenths,
                            reason: h.reason,
                        },
                    )
                })
                .collect(),
            Err(found) => {
                let mut p = Problems::default();
                for (field, e) in found {
                    p.push(&field, e.code, e.message);
                }
                p.finish()?;
                return Err(ApiError::Internal("a refused plan named no problem".into()));
            }
        };
    let creates = planned
        .iter()
        .any(|(_, e)| !existing.contains_key(&e.sign_up_id));
    if creates && state.clock.today() > until {
        return Err(ApiError::Conflict {
            code: ProblemCode::ConfirmationWindowClosed,
            message: format!(
                "hours were to be confirmed by {until}; corrections of confirmed hours are still possible"
            ),
        });
    }
    let org = state
        .store
        .get_organization(a.organization_id)
        .await?
        .ok_or(ApiError::NotFound(ProblemCode::OrganizationNotFound))?;
    let names = {
        let ids: Vec<Uuid> = planned.iter().map(|(v, _)| *v).collect();
        state.store.volunteer_names(&ids).await?
    };
    let ctx = RecordContext {
        service_date: china_date(a.starts_at),
        responsible_person: org.contact_name.clone(),
        confirmed_by: who.account_id,
        activity: a.clone(),
    };
    let results = state
        .store
        .confirm_hours(&ctx, planned.into_iter().map(|(_, e)| e).collect(), now)
        .await?;
    Ok(HttpResponse::Ok().json(ConfirmHoursView {
        activity_id: a.id,
        confirmable_until: until,
        results: results
            .into_iter()
            .map(|c| ConfirmedHoursView {
                volunteer_name: names
                    .get(&c.record.volunteer_id)
                    .cloned()
                    .unwrap_or_default(),
                volunteer_id: c.record.volunteer_id,
                record_id: c.record.id,
                hours: c.record.hours_tenths as f64 / 10.0,
                outcome: c.outcome.to_string(),
            })
            .collect(),
    }))
}
