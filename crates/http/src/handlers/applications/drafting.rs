//! Drafting an application: its content, attachments and submission (rules 33-34).

use super::*;

/// What the draft's own check cannot see: the pairing proof names an accepted pairing of
/// the applicant, and the provincial partner is an approved provincial society. Returns the
/// pairing's id.
async fn check_stored(
    state: &AppState,
    p: &mut Problems,
    applicant: &organization::Model,
    pairing_proof: Option<&str>,
    provincial_partner_id: Option<Uuid>,
) -> Result<Option<Uuid>, ApiError> {
    let pairing_id = match pairing_proof {
        None => None,
        Some(proof) => match state.store.pairing_by_proof(proof).await? {
            Some(pr) if pr.society_id == applicant.id || pr.county_id == applicant.id => {
                Some(pr.id)
            }
            _ => {
                p.push(
                    "pairing_proof",
                    ProblemCode::PairingNotFound,
                    "no accepted pairing of the applicant has this proof number",
                );
                None
            }
        },
    };
    if let Some(partner) = provincial_partner_id {
        let ok = state
            .store
            .get_organization(partner)
            .await?
            .is_some_and(|o| {
                o.category == OrganizationCategory::ProvincialSociety
                    && o.status == OrganizationStatus::Approved
            });
        if !ok {
            p.push(
                "provincial_partner_id",
                ProblemCode::NotAProvincialSociety,
                "the partner is an approved provincial society",
            );
        }
    }
    Ok(pairing_id)
}

/// The contacts as stored: phones encrypted, with their masked form.
fn stored_contacts(state: &AppState, contacts: &[Contact]) -> Result<String, ApiError> {
    to_json(
        &contacts
            .iter()
            .map(|c| StoredContact {
                name: c.name.as_str().to_string(),
                role: c.role.clone(),
                phone_enc: state.store.encrypt(c.phone.as_str()),
                phone_masked: c.phone.masked(),
            })
            .collect::<Vec<_>>(),
    )
}

/// Drafts an application of an approved organisation the caller administers. One per
/// organisation and call (409 `application_exists`). The rules of the call are checked on
/// submission.
#[utoipa::path(tag = "applications", security(("bearer" = [])), request_body = CreateApplicationRequest, responses(
    (status = 201, body = ApplicationView, headers(("ETag" = String))),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json", description = "call_not_found, organization_not_found"),
    (status = 409, body = Problem, content_type = "application/problem+json", description = "application_exists, organization_not_approved"),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
#[post("/applications")]
pub async fn create_application(
    state: web::Data<AppState>,
    who: Authenticated,
    body: web::Json<CreateApplicationRequest>,
) -> Result<HttpResponse, ApiError> {
    let call = load_call(&state, body.call_id).await?;
    let applicant = state
        .store
        .get_organization(body.applicant_id)
        .await?
        .filter(|o| who.administers(o.id) || o.status == OrganizationStatus::Approved)
        .ok_or(ApiError::NotFound(ProblemCode::OrganizationNotFound))?;
    if !who.administers(applicant.id) {
        return Err(ApiError::Forbidden(
            ProblemCode::NotYourOrganization,
            "only the organisation's own admins write its applications".into(),
        ));
    }
    if applicant.status != OrganizationStatus::Approved {
        return Err(ApiError::Conflict {
            code: ProblemCode::OrganizationNotApproved,
            message: "the organisation applies once it is approved".into(),
        });
    }
    // The form's own rules, exactly as the dashboard runs them before sending, then what
    // needs the store.
    let mut p = Problems::default();
    let draft = p.absorb(ApplicationDraft::try_from(&*body));
    let pairing_id = check_stored(
        &state,
        &mut p,
        &applicant,
        blank(body.pairing_proof.as_deref()),
        body.provincial_partner_id,
    )
    .await?;
    let d = p.done(draft)?;
    let content = ApplicationContent {
        contacts: stored_contacts(&state, &d.contacts)?,
        title: d.title,
        summary: d.summary,
        objectives: d.objectives,
        activities: to_json(&d.activities)?,
        budget: to_json(&d.budget)?,
        requested_fen: d.requested_fen,
        pairing_id,
        provincial_partner_id: d.provincial_partner_id,
        provincial_partner_role: d.provincial_partner_role,
    };
    let a = state
        .store
        .create_application(
            call.id,
            applicant.id,
            province_of(&applicant.region_code),
            content,
            &actor(&state, &who).await?,
            state.clock.now(),
        )
        .await?;
    respond(&state, &who, a.id, true).await
}

/// Changes a draft (also one returned for revision). `If-Match` guards against overwriting.
#[utoipa::path(tag = "applications", security(("bearer" = [])), params(("id" = Uuid, Path), ("If-Match" = Option<String>, Header, description = "ETag of the version read")), request_body = UpdateApplicationRequest, responses(
    (status = 200, body = ApplicationView, headers(("ETag" = String))),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 409, body = Problem, content_type = "application/problem+json", description = "application_status"),
    (status = 412, body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
#[put("/applications/{id:[0-9a-fA-F-]+}")]
pub async fn update_application(
    state: web::Data<AppState>,
    who: Authenticated,
    req: HttpRequest,
    id: web::Path<Uuid>,
    body: web::Json<UpdateApplicationRequest>,
) -> Result<HttpResponse, ApiError> {
    let l = load(&state, &who, *id).await?;
    if !l.standing.applicant {
        return Err(ApiError::Forbidden(
            ProblemCode::NotYourOrganization,
            "only the applicant's admins change an application".into(),
        ));
    }
    let expected = expected_version(&req)?;
    let cur = &l.app;
    let applicant = state
        .store
        .get_organization(cur.applicant_id)
        .await?
        .ok_or(ApiError::NotFound(ProblemCode::OrganizationNotFound))?;
    let current_proof = match cur.pairing_id {
        Some(pid) => state.store.get_pairing(pid).await?.map(|p| p.proof_number),
        None => None,
    };
    let mut p = Problems::default();
    let changes = p.absorb(ApplicationChanges::try_from(&*body));
    let proof = match &body.pairing_proof {
        Some(given) => blank(Some(given)),
        None => current_proof.as_deref(),
    };
    let partner = body.provincial_partner_id.or(cur.provincial_partner_id);
    let pairing_id = check_stored(&state, &mut p, &applicant, proof, partner).await?;
    let ch = p.done(changes)?;
    let kept = |new: Option<String>, old: &String| new.unwrap_or_else(|| old.clone());
    let c = ApplicationContent {
        title: kept(ch.title, &cur.title),
        summary: kept(ch.summary, &cur.summary),
        objectives: kept(ch.objectives, &cur.objectives),
        activities: match ch.activities {
            Some(a) => to_json(&a)?,
            None => cur.activities.clone(),
        },
        budget: match ch.budget {
            Some(b) => to_json(&b)?,
            None => cur.budget.clone(),
        },
        requested_fen: ch.requested_fen.unwrap_or(cur.requested_fen),
        pairing_id,
        provincial_partner_id: partner,
        provincial_partner_role: ch
            .provincial_partner_role
            .or(cur.provincial_partner_role.clone()),
        contacts: match &ch.contacts {
            Some(list) => stored_contacts(&state, list)?,
            None => cur.contacts.clone(),
        },
    };
    state
        .store
        .change_application(
            cur.id,
            Change {
                from: &[ApplicationStatus::Draft],
                expected_version: expected,
                action: ApplicationEvent::Updated,
                note: None,
                now: state.clock.now(),
            },
            &actor(&state, &who).await?,
            Apply::Content(c),
        )
        .await?;
    respond(&state, &who, cur.id, false).await
}

/// Attaches a file to a draft (the scanned, stamped form and supporting documents): PDF,
/// JPEG or PNG as told by the content, at most `max_upload_bytes`. Files are kept by their
/// SHA-256 under the data directory; downloads go to those who see the application.
#[utoipa::path(tag = "applications", security(("bearer" = [])), params(("id" = Uuid, Path)),
    request_body(content = AttachmentUpload, content_type = "multipart/form-data"), responses(
    (status = 201, body = AttachmentView),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 409, body = Problem, content_type = "application/problem+json", description = "application_status"),
    (status = 422, body = Problem, content_type = "application/problem+json", description = "unsupported_file_type, file_too_large, required"),
))]
#[post("/applications/{id}/attachments")]
pub async fn upload_application_attachment(
    state: web::Data<AppState>,
    who: Authenticated,
    id: web::Path<Uuid>,
    mut payload: Multipart,
) -> Result<HttpResponse, ApiError> {
    let l = load(&state, &who, *id).await?;
    if !l.standing.applicant {
        return Err(ApiError::Forbidden(
            ProblemCode::NotYourOrganization,
            "only the applicant's admins attach files".into(),
        ));
    }
    let (name, bytes) = read_upload(&mut payload, state.settings.max_upload_bytes).await?;
    let file = keep_upload(
        &state,
        name,
        &bytes,
        &["application/pdf", "image/jpeg", "image/png"],
        "attach a PDF, JPEG or PNG file",
    )
    .await?;
    let a = state
        .store
        .add_attachment(
            l.app.id,
            file,
            &actor(&state, &who).await?,
            state.clock.now(),
        )
        .await?;
    Ok(
        created(format!("/applications/{}/attachments/{}", l.app.id, a.id))
            .json(attachment_view(a)),
    )
}

/// Downloads an attachment (those who see the application).
#[utoipa::path(tag = "applications", security(("bearer" = [])), params(("id" = Uuid, Path), ("attachment_id" = Uuid, Path)), responses(
    (status = 200, description = "The file", content(
        (Vec<u8> = "application/pdf"), (Vec<u8> = "image/jpeg"), (Vec<u8> = "image/png")
    )),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
))]
#[get("/applications/{id}/attachments/{attachment_id}")]
pub async fn get_application_attachment(
    state: web::Data<AppState>,
    who: Authenticated,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (id, attachment_id) = path.into_inner();
    let l = load(&state, &who, id).await?;
    let a = state
        .store
        .get_attachment(attachment_id)
        .await?
        .filter(|a| a.application_id == l.app.id)
        .ok_or(ApiError::NotFound(ProblemCode::AttachmentNotFound))?;
    serve_kept(&state, &a.sha256, a.media_type, Some(&a.file_name)).await
}

/// Submits a draft. Every rule of the call is checked and every broken one named with its
/// own code: `call_not_open`, `call_closed`, `ineligible_category`, `above_cap`,
/// `amount_required`, `budget_mismatch`, `pairing_required`, `pairing_not_found`,
/// `pairing_ended`, `provincial_partner_required`, `provincial_partner_region`,
/// `attachment_required`. A double-clicked submit submits once (the second gets 409).
#[utoipa::path(tag = "applications", security(("bearer" = [])), params(("id" = Uuid, Path), ("If-Match" = Option<String>, Header, description = "ETag of the version read")), responses(
    (status = 200, body = ApplicationView, headers(("ETag" = String))),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 409, body = Problem, content_type = "application/problem+json", description = "application_status"),
    (status = 412, body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json", description = "the rules of the call that the application breaks"),
))]
#[post("/applications/{id}/submit")]
pub async fn submit_application(
    state: web::Data<AppState>,
    who: Authenticated,
    req: HttpRequest,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let l = load(&state, &who, *id).await?;
    if !l.standing.applicant {
        return Err(ApiError::Forbidden(
            ProblemCode::NotYourOrganization,
            "only the applicant's admins submit an application".into(),
        ));
    }
    let (app, call) = (&l.app, &l.call);
    let now = state.clock.now();
    let today = china_date(now);
    let applicant = state
        .store
        .get_organization(app.applicant_id)
        .await?
        .ok_or(ApiError::NotFound(ProblemCode::OrganizationNotFound))?;
    let applicant_cat =
        Some(*applicant.category).ok_or_else(|| ApiError::Internal("stored category".into()))?;
    let pairing = match app.pairing_id {
        Some(pid) => state.store.get_pairing(pid).await?,
        None => None,
    };
    let pairing_fact = match (&app.pairing_id, &pairing) {
        (None, _) => PairingFact::None,
        (Some(_), None) => PairingFact::NotTheApplicants,
        (Some(_), Some(p)) if p.society_id != applicant.id && p.county_id != applicant.id => {
            PairingFact::NotTheApplicants
        }
        (Some(_), Some(p)) if p.period_to < today => PairingFact::Ended,
        _ => PairingFact::Valid,
    };
    let provincial_partner = match app.provincial_partner_id {
        None => None,
        Some(pid) => {
            let partner = state.store.get_organization(pid).await?;
            let county_province = match &pairing {
                Some(p) => state
                    .store
                    .get_organization(p.county_id)
                    .await?
                    .map(|c| province_of(&c.region_code)),
                None => None,
            };
            Some(partner.is_some_and(|o| {
                o.category == OrganizationCategory::ProvincialSociety
                    && county_province
                        .as_deref()
                        .is_none_or(|cp| province_of(&o.region_code) == cp)
            }))
        }
    };
    let budget: Vec<BudgetLine> = serde_json::from_str(&app.budget).unwrap_or_default();
    let eligible: Vec<String> = serde_json::from_str(&call.eligible_categories).unwrap_or_default();
    let mut problems: Vec<FieldProblem> = check_submission(&Submission {
        now,
        opens_at: call.opens_at,
        closes_at: call.closes_at,
        revision_deadline: app.revision_deadline,
        eligible: eligible
            .iter()
            .filter_map(|c| OrganizationCategory::parse(c))
            .collect(),
        applicant: applicant_cat,
        cap_fen: call.cap_fen,
        requested_fen: app.requested_fen,
        budget_fen: budget.iter().map(|b| b.amount_fen).collect(),
        pairing_required: call.pairing_required,
        pairing: pairing_fact,
        provincial_partner,
    })
    .into_iter()
    .map(|p| FieldProblem {
        field: p.field.into(),
        code: p.code,
        message: p.message,
    })
    .collect();
    if state.store.attachments_of(app.id).await?.is_empty() {
        problems.push(FieldProblem {
            field: "attachments".into(),
            code: ProblemCode::AttachmentRequired,
            message: "attach the stamped application form".into(),
        });
    }
    if app.status != ApplicationStatus::Draft {
        // A second click: say so plainly rather than listing rules.
        problems.clear();
    }
    if !problems.is_empty() {
        return Err(ApiError::Validation(problems));
    }
    let action = ApplicationEvent::submission(app.return_reason.is_some());
    state
        .store
        .change_application(
            app.id,
            Change {
                from: starts_from(ApplicationAction::Submit, call),
                expected_version: expected_version(&req)?,
                action,
                note: None,
                now,
            },
            &actor(&state, &who).await?,
            Apply::Submit,
        )
        .await?;
    respond(&state, &who, app.id, false).await
}
