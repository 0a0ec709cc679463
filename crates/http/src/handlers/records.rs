//! Service records (rule 23), volunteer summaries and stars (rule 24), the annual "four top
//! tens" (rule 26) and service certificates (rule 25).

use std::collections::HashMap;
use zhihui_domain::ProblemCode;

use actix_web::{get, post, web, HttpResponse};
use chrono::{Datelike, NaiveDate};
use uuid::Uuid;
use zhihui_contract::form::Reason;
use zhihui_contract::records::{
    CertificateOrder, CertificatePage, CertificateQuery, CertificateVerificationView,
    CertificateView, IssueCertificateRequest, NomineeView, RecognitionQuery, RecognitionThresholds,
    RecognitionView, RecordCorrectionView, RevokeCertificateRequest, ServicePointCandidateView,
    ServiceRecordPage, ServiceRecordQuery, ServiceRecordView, TeamRecognitionView,
    VolunteerSummaryView,
};
use zhihui_contract::{Problem, DEFAULT_LIMIT};
use zhihui_domain::activity::points;
use zhihui_domain::hours::star_level;
use zhihui_domain::{certificate_allowed_actions, CertificateStatus, PersonName};
use zhihui_persistence::entities::{certificate, organization};
use zhihui_persistence::{NewCertificate, RecordFilter};

use super::{compound_cursor, next_cursor, uuid_cursor};
use crate::auth::{Authenticated, Caller};
use crate::codes::certificate_suffix;
use crate::documents::certificate::certificate_layout;
use crate::error::ApiError;
use crate::lookups::load_visible;
use crate::policy;
use crate::policy::sees_volunteer_by_id;
use crate::state::AppState;
use crate::validation::Problems;

const STAR_HOURS: [f64; 5] = [100.0, 300.0, 600.0, 1000.0, 1500.0];

fn hours(tenths: i64) -> f64 {
    tenths as f64 / 10.0
}

/// Service records, newest first: the caller's own (no filter, or their `volunteer_id`),
/// an organisation's for those who manage it (`organization_id`), or a member's records
/// with that organisation (both). Filters by service dates.
#[utoipa::path(tag = "records", security(("bearer" = [])), params(ServiceRecordQuery), responses(
    (status = 200, body = ServiceRecordPage),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json", description = "organization_not_found"),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
#[get("/service-records")]
pub async fn list_service_records(
    state: web::Data<AppState>,
    who: Authenticated,
    q: web::Query<ServiceRecordQuery>,
) -> Result<HttpResponse, ApiError> {
    let mut p = Problems::validate(&*q);
    if let (Some(f), Some(t)) = (q.from, q.to) {
        if t < f {
            p.push("to", ProblemCode::BeforeFrom, "`to` is on or after `from`");
        }
    }
    let before = compound_cursor(&mut p, &q.cursor, |d| {
        NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()
    });
    p.finish()?;
    let me = state.store.volunteer_by_account(who.account_id).await?;
    let mut volunteer_id = q.volunteer_id;
    let org: Option<organization::Model> = match q.organization_id {
        Some(o) => Some(load_visible(&state, Some(&who), o).await?),
        None => None,
    };
    let own = |id: Uuid| me.as_ref().is_some_and(|m| m.id == id);
    match (&org, volunteer_id) {
        (Some(o), _) => {
            let asks_own = volunteer_id.is_some_and(own);
            if !(policy::manages(&who, o) || asks_own) {
                return Err(ApiError::Forbidden(
                    ProblemCode::NotInYourOversight,
                    "an organisation's records are shown to those who manage it".into(),
                ));
            }
        }
        (None, Some(v)) => {
            if !(own(v) || who.is_platform_admin) {
                return Err(ApiError::Forbidden(
                    ProblemCode::NotYourRecord,
                    "a volunteer's records across organisations are shown to the volunteer; \
                     admins add organization_id"
                        .into(),
                ));
            }
        }
        (None, None) => {
            match &me {
                Some(m) => volunteer_id = Some(m.id),
                None => return Err(ApiError::field(
                    "organization_id",
                    ProblemCode::Required,
                    "give organization_id or volunteer_id (the caller has no volunteer profile)",
                )),
            }
        }
    }
    let limit = q.limit.unwrap_or(DEFAULT_LIMIT);
    let f = RecordFilter {
        volunteer_id,
        organization_id: q.organization_id,
        from: q.from,
        to: q.to,
        before,
        limit,
    };
    let rows = state.store.list_service_records(&f).await?;
    let total = match volunteer_id {
        Some(v) => {
            state
                .store
                .volunteer_totals(v, q.organization_id, q.from, q.to)
                .await?
                .tenths
        }
        None => match q.organization_id {
            Some(o) => state.store.organization_tenths(o, q.from, q.to).await?,
            None => 0,
        },
    };
    let ids: Vec<Uuid> = rows.iter().map(|(r, _)| r.id).collect();
    let mut corrections: HashMap<Uuid, Vec<RecordCorrectionView>> = HashMap::new();
    for c in state.store.record_changes(&ids).await? {
        corrections
            .entry(c.record_id)
            .or_default()
            .push(RecordCorrectionView {
                changed_by: c.changed_by,
                changed_at: c.changed_at,
                reason: c.reason,
                old_hours: hours(c.old_tenths.into()),
                new_hours: hours(c.new_tenths.into()),
            });
    }
    let org_ids: Vec<Uuid> = rows.iter().map(|(r, _)| r.organization_id).collect();
    let org_names: HashMap<Uuid, String> = state
        .store
        .organizations_by_ids(&org_ids)
        .await?
        .into_iter()
        .map(|o| (o.id, o.name))
        .collect();
    let next = next_cursor(&rows, limit, |(r, _)| {
        format!("{}_{}", r.service_date, r.id)
    });
    Ok(HttpResponse::Ok().json(ServiceRecordPage {
        items: rows
            .into_iter()
            .map(|(r, name)| ServiceRecordView {
                corrections: corrections.remove(&r.id).unwrap_or_default(),
                organization_name: org_names
                    .get(&r.organization_id)
                    .cloned()
                    .unwrap_or_default(),
                id: r.id,
                volunteer_id: r.volunteer_id,
                volunteer_name: name,
                activity_id: r.activity_id,
                activity_title: r.activity_title,
                category: *r.category,
                service_date: r.service_date,
                place: r.place,
                content: r.content,
                hours: hours(r.hours_tenths.into()),
                organization_id: r.organization_id,
                responsible_person: r.responsible_person,
                confirmed_at: r.confirmed_at,
            })
            .collect(),
        total_hours: hours(total),
        next_cursor: next,
    }))
}

/// A volunteer's totals: confirmed hours, activities, points, star level, and this year's.
#[utoipa::path(tag = "records", security(("bearer" = [])), params(("id" = Uuid, Path)), responses(
    (status = 200, body = VolunteerSummaryView),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
))]
#[get("/volunteers/{id}/summary")]
pub async fn get_volunteer_summary(
    state: web::Data<AppState>,
    who: Authenticated,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let year = state.clock.today().year();
    // One statement: the volunteer with both kept totals (read before knowing whether the
    // caller may see them, which the volunteer's own account, the usual caller, settles
    // without another read).
    let v = state
        .store
        .volunteer_summary(*id, year)
        .await?
        .ok_or(ApiError::NotFound(ProblemCode::VolunteerNotFound))?;
    if !sees_volunteer_by_id(&state, &who, v.volunteer_id, v.account_id).await? {
        return Err(ApiError::NotFound(ProblemCode::VolunteerNotFound));
    }
    let (all, this_year) = (v.all, v.in_year);
    let total = hours(all.tenths);
    let stars = star_level(total);
    Ok(HttpResponse::Ok().json(VolunteerSummaryView {
        volunteer_id: v.volunteer_id,
        volunteer_number: v.volunteer_number,
        name: v.name,
        total_hours: total,
        activities: all.activities,
        points: points(all.tenths),
        star_level: stars,
        hours_to_next_star: STAR_HOURS
            .get(stars as usize)
            .map(|t| ((t - total) * 10.0).round() / 10.0),
        year,
        hours_this_year: hours(this_year.tenths),
        activities_this_year: this_year.activities,
    }))
}

/// The annual "four top tens" eligibility for an organisation's admins: the team's figures
/// against the team thresholds, and the members meeting the volunteer thresholds.
#[utoipa::path(tag = "records", security(("bearer" = [])), params(("id" = Uuid, Path), RecognitionQuery), responses(
    (status = 200, body = RecognitionView),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
#[get("/organizations/{id}/recognition")]
pub async fn get_recognition_candidates(
    state: web::Data<AppState>,
    who: Authenticated,
    id: web::Path<Uuid>,
    q: web::Query<RecognitionQuery>,
) -> Result<HttpResponse, ApiError> {
    Problems::validate(&*q).finish()?;
    let org = load_visible(&state, Some(&who), *id).await?;
    if !policy::manages(&who, &org) {
        return Err(ApiError::Forbidden(
            ProblemCode::NotYourOrganization,
            "recognition eligibility is shown to the organisation's admins".into(),
        ));
    }
    let year = q.year.unwrap_or(state.clock.today().year());
    let r = state.settings.recognition;
    let (Some(d_from), Some(d_to)) = (
        NaiveDate::from_ymd_opt(year, 1, 1),
        NaiveDate::from_ymd_opt(year, 12, 31),
    ) else {
        return Err(ApiError::field(
            "year",
            ProblemCode::OutOfRange,
            "not a year",
        ));
    };
    // The year in China Standard Time, as instants.
    let start = zhihui_domain::report::china_day_start(d_from);
    let end = zhihui_domain::report::china_day_start(d_to) + chrono::Duration::days(1);
    let team = state
        .store
        .organization_totals(org.id, start, end, d_from, d_to)
        .await?;
    let members = org.approved_members;
    let team_hours = hours(team.tenths);
    let shortfalls = r.team_shortfalls(members, team.activities, team_hours);
    let nominees = state
        .store
        .recognition_nominees(
            org.id,
            d_from,
            d_to,
            r.volunteer_min_activities,
            (r.volunteer_min_hours * 10.0).ceil() as i64,
        )
        .await?;
    let points = state
        .store
        .service_point_candidates(org.id, year, zhihui_domain::hub::RECOGNITION_POINTS)
        .await?;
    Ok(HttpResponse::Ok().json(RecognitionView {
        organization_id: org.id,
        year,
        thresholds: RecognitionThresholds {
            volunteer_min_activities: r.volunteer_min_activities,
            volunteer_min_hours: r.volunteer_min_hours,
            team_min_members: r.team_min_members,
            team_min_activities: r.team_min_activities,
            team_min_hours_per_member: r.team_min_hours_per_member,
            team_min_hours: r.team_min_hours,
        },
        team: TeamRecognitionView {
            members,
            activities: team.activities,
            hours: team_hours,
            hours_per_member: if members > 0 {
                (team_hours / members as f64 * 10.0).round() / 10.0
            } else {
                0.0
            },
            eligible: shortfalls.is_empty(),
            shortfalls: shortfalls.into_iter().map(String::from).collect(),
        },
        volunteers: nominees
            .into_iter()
            .map(|n| NomineeView {
                volunteer_id: n.volunteer_id,
                name: n.name,
                volunteer_number: n.volunteer_number,
                activities: n.totals.activities,
                hours: hours(n.totals.tenths),
            })
            .collect(),
        service_points: points
            .into_iter()
            .map(|c| ServicePointCandidateView {
                service_point_id: c.point.id,
                name: c.point.name,
                kind: *c.point.kind,
                organization_id: c.point.organization_id,
                region_code: c.point.region_code,
                activities: c.activities,
                people_served: c.people_served,
                hours: c.hours_tenths as f64 / 10.0,
            })
            .collect(),
    }))
}

fn verification_url(state: &AppState, number: &str) -> String {
    format!(
        "{}/verify/{}",
        state.settings.public_base_url.trim_end_matches('/'),
        number
    )
}

/// `who`: the caller, for the certificate's `allowed_actions` (its issuer's admins revoke it).
fn certificate_view(
    state: &AppState,
    who: &Authenticated,
    c: certificate::Model,
) -> Result<CertificateView, ApiError> {
    let contact_phone = state.store.decrypt(&c.contact_phone_enc)?;
    let status = CertificateStatus::of(c.revoked_at.is_some());
    Ok(CertificateView {
        verification_url: verification_url(state, &c.number),
        status,
        allowed_actions: certificate_allowed_actions(status, who.administers(c.organization_id)),
        number: c.number,
        volunteer_id: c.volunteer_id,
        volunteer_name: c.volunteer_name,
        id_number_masked: c.id_number_masked,
        volunteer_number: c.volunteer_number,
        hours: hours(c.hours_tenths.into()),
        activities: c.activities,
        content: c.content,
        period_from: c.period_from,
        period_to: c.period_to,
        organization_id: c.organization_id,
        issuer_name: c.issuer_name,
        responsible_person: c.responsible_person,
        handler_name: c.handler_name,
        contact_phone,
        issue_date: c.issue_date,
        issued_at: c.issued_at,
        revoked_at: c.revoked_at,
        revoke_reason: c.revoke_reason,
    })
}

/// Issues a service certificate (志愿服务记录证明), free of charge, by the organisation that
/// recorded the hours ("who records, certifies"): its own admins only, and only over
/// hours it recorded for that volunteer.
#[utoipa::path(tag = "certificates", security(("bearer" = [])), request_body = IssueCertificateRequest, responses(
    (status = 201, body = CertificateView),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 409, body = Problem, content_type = "application/problem+json", description = "no_recorded_hours"),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
#[post("/certificates")]
pub async fn issue_certificate(
    state: web::Data<AppState>,
    who: Authenticated,
    body: web::Json<IssueCertificateRequest>,
) -> Result<HttpResponse, ApiError> {
    let org = load_visible(&state, Some(&who), body.organization_id).await?;
    if !who.administers(org.id) {
        return Err(ApiError::Forbidden(
            ProblemCode::NotYourOrganization,
            "certificates are issued by the admins of the organisation that recorded the hours"
                .into(),
        ));
    }
    let order = CertificateOrder::try_from(&*body)?;
    let phone = match &order.contact_phone {
        Some(p) => p.as_str().to_string(),
        None => state.store.decrypt(&org.contact_phone_enc)?,
    };
    let v = state
        .store
        .get_volunteer(body.volunteer_id)
        .await?
        .ok_or(ApiError::NotFound(ProblemCode::VolunteerNotFound))?;
    let service = state
        .store
        .recorded_service(org.id, v.id, order.period_from, order.period_to)
        .await?;
    let (Some(first), Some(last)) = (service.first, service.last) else {
        return Err(ApiError::Conflict {
            code: ProblemCode::NoRecordedHours,
            message: "this organisation recorded no hours for the volunteer in the period; \
                      the organisation that recorded them issues the certificate"
                .into(),
        });
    };
    let handler = match order.handler_name {
        Some(h) => h,
        None => state
            .store
            .get_account(who.account_id)
            .await?
            .map(|a| a.display_name)
            .unwrap_or_default(),
    };
    let content = {
        let shown: Vec<&str> = service.titles.iter().take(8).map(String::as_str).collect();
        let mut c = shown.join("、");
        if service.titles.len() > shown.len() {
            c.push_str(&format!("等{}项活动", service.totals.activities));
        }
        c
    };
    let c = state
        .store
        .issue_certificate(
            NewCertificate {
                period_from: order.period_from.unwrap_or(first),
                period_to: order.period_to.unwrap_or(last),
                volunteer: v,
                organization_id: org.id,
                issuer_name: org.name.clone(),
                responsible_person: org.contact_name.clone(),
                handler_name: handler,
                contact_phone: phone,
                service,
                content,
                issued_by: who.account_id,
                issue_date: state.clock.today(),
                suffix: Box::new(certificate_suffix(&state)),
            },
            state.clock.now(),
        )
        .await?;
    Ok(super::created(format!("/certificates/{}", c.number))
        .json(certificate_view(&state, &who, c)?))
}

async fn load_certificate(
    state: &AppState,
    who: &Authenticated,
    number: &str,
) -> Result<certificate::Model, ApiError> {
    let c = state
        .store
        .certificate_by_number(number)
        .await?
        .ok_or(ApiError::NotFound(ProblemCode::CertificateNotFound))?;
    let mut allowed = who.is_platform_admin;
    if !allowed {
        let own = state.store.volunteer_by_account(who.account_id).await?;
        allowed = own.is_some_and(|v| v.id == c.volunteer_id);
    }
    if !allowed {
        if let Some(o) = state.store.get_organization(c.organization_id).await? {
            allowed = policy::manages(who, &o);
        }
    }
    if !allowed {
        return Err(ApiError::NotFound(ProblemCode::CertificateNotFound));
    }
    Ok(c)
}

/// A certificate in full, for the volunteer, the issuer's admins and platform admins.
#[utoipa::path(tag = "certificates", security(("bearer" = [])), params(("number" = String, Path)), responses(
    (status = 200, body = CertificateView),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
))]
#[get("/certificates/{number}")]
pub async fn get_certificate(
    state: web::Data<AppState>,
    who: Authenticated,
    number: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let c = load_certificate(&state, &who, &number).await?;
    Ok(HttpResponse::Ok().json(certificate_view(&state, &who, c)?))
}

/// Certificates of a volunteer (the person, platform admins) or of an issuing organisation
/// (those who manage it); the caller's own without a filter.
#[utoipa::path(tag = "certificates", security(("bearer" = [])), params(CertificateQuery), responses(
    (status = 200, body = CertificatePage),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json", description = "organization_not_found"),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
#[get("/certificates")]
pub async fn list_certificates(
    state: web::Data<AppState>,
    who: Authenticated,
    q: web::Query<CertificateQuery>,
) -> Result<HttpResponse, ApiError> {
    let mut p = Problems::validate(&*q);
    let before = uuid_cursor(&mut p, &q.cursor);
    p.finish()?;
    let me = state.store.volunteer_by_account(who.account_id).await?;
    let mut volunteer_id = q.volunteer_id;
    if let Some(o) = q.organization_id {
        let org = load_visible(&state, Some(&who), o).await?;
        if !policy::manages(&who, &org) {
            return Err(ApiError::Forbidden(
                ProblemCode::NotInYourOversight,
                "an organisation's certificates are shown to those who manage it".into(),
            ));
        }
    } else if let Some(v) = volunteer_id {
        if !(who.is_platform_admin || me.as_ref().is_some_and(|m| m.id == v)) {
            return Err(ApiError::Forbidden(
                ProblemCode::NotYourRecord,
                "a volunteer's certificates are shown to the volunteer".into(),
            ));
        }
    } else {
        volunteer_id = Some(me.as_ref().map(|m| m.id).ok_or_else(|| {
            ApiError::field(
                "volunteer_id",
                ProblemCode::Required,
                "give volunteer_id or organization_id",
            )
        })?);
    }
    let limit = q.limit.unwrap_or(DEFAULT_LIMIT);
    let rows = state
        .store
        .list_certificates(volunteer_id, q.organization_id, before, limit)
        .await?;
    let next = next_cursor(&rows, limit, |c| c.id.to_string());
    Ok(HttpResponse::Ok().json(CertificatePage {
        items: rows
            .into_iter()
            .map(|c| certificate_view(&state, &who, c))
            .collect::<Result<_, _>>()?,
        next_cursor: next,
    }))
}

/// Revokes a certificate (the issuer's own admins), with the reason; verification then
/// shows it as revoked.
#[utoipa::path(tag = "certificates", security(("bearer" = [])), params(("number" = String, Path)), request_body = RevokeCertificateRequest, responses(
    (status = 200, body = CertificateView),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 409, body = Problem, content_type = "application/problem+json", description = "certificate_revoked"),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
#[post("/certificates/{number}/revoke")]
pub async fn revoke_certificate(
    state: web::Data<AppState>,
    who: Authenticated,
    number: web::Path<String>,
    body: web::Json<RevokeCertificateRequest>,
) -> Result<HttpResponse, ApiError> {
    let c = load_certificate(&state, &who, &number).await?;
    if !who.administers(c.organization_id) {
        return Err(ApiError::Forbidden(
            ProblemCode::NotYourOrganization,
            "a certificate is revoked by its issuer's admins".into(),
        ));
    }
    let Reason(reason) = Reason::try_from(&*body)?;
    let c = state
        .store
        .revoke_certificate(c.id, who.account_id, reason, state.clock.now())
        .await?;
    Ok(HttpResponse::Ok().json(certificate_view(&state, &who, c)?))
}

/// Public verification by number: only what a verifier needs (the name with its middle
/// masked, hours, period, issuer, date, and whether it is valid or revoked).
#[utoipa::path(tag = "certificates", params(("number" = String, Path)), responses(
    (status = 200, body = CertificateVerificationView),
    (status = 404, body = Problem, content_type = "application/problem+json", description = "no certificate has this number"),
))]
#[get("/certificates/{number}/verification")]
pub async fn verify_certificate(
    state: web::Data<AppState>,
    _caller: Caller,
    number: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let c = state
        .store
        .certificate_by_number(number.trim())
        .await?
        .ok_or(ApiError::NotFound(ProblemCode::CertificateNotFound))?;
    let masked = PersonName::parse(&c.volunteer_name)
        .map(|n| n.masked())
        .unwrap_or_else(|_| "*".into());
    Ok(HttpResponse::Ok().json(CertificateVerificationView {
        valid: c.revoked_at.is_none(),
        status: CertificateStatus::of(c.revoked_at.is_some()),
        number: c.number,
        volunteer_name: masked,
        hours: hours(c.hours_tenths.into()),
        period_from: c.period_from,
        period_to: c.period_to,
        issuer_name: c.issuer_name,
        issue_date: c.issue_date,
        revoked_at: c.revoked_at,
    }))
}

/// The certificate as an A4 PDF in Chinese, with a QR code of its verification URL.
#[utoipa::path(tag = "certificates", security(("bearer" = [])), params(("number" = String, Path)), responses(
    (status = 200, description = "the certificate as PDF", content_type = "application/pdf", body = Vec<u8>),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 503, body = Problem, content_type = "application/problem+json", description = "pdf_font_missing"),
))]
#[get("/certificates/{number}/pdf")]
pub async fn get_certificate_pdf(
    state: web::Data<AppState>,
    who: Authenticated,
    number: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let c = load_certificate(&state, &who, &number).await?;
    let view = certificate_view(&state, &who, c)?;
    let filename = format!("{}.pdf", view.number);
    crate::pdf::respond(state.fonts.clone(), certificate_layout(&view), &filename).await
}
