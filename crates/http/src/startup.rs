//! Assembling the application: routes, middleware, docs, static dashboard.

use std::net::TcpListener;
use zhihui_domain::ProblemCode;

use actix_web::dev::Server;
use actix_web::middleware::{from_fn, ErrorHandlers};
use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};
use utoipa::OpenApi;
use utoipa_actix_web::{scope, AppExt};
use utoipa_swagger_ui::SwaggerUi;

use crate::error::ApiError;
use crate::handlers::{
    accounts, activities, applications, campaigns, hub, imports, integrations, needs,
    notifications, ops, organizations, pairing, records, regions, reports, volunteers, webhooks,
    work,
};
use crate::middleware::{content_security_policy, observe, problem_for_plain_errors};
use crate::openapi::{finish_document, ApiDoc};
use crate::state::AppState;

/// Registers every documented route.
fn api(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(
        scope::scope("/api/v1")
            .service(accounts::register_account)
            .service(accounts::list_accounts)
            .service(accounts::login)
            .service(accounts::refresh_token)
            .service(accounts::logout)
            .service(accounts::get_me)
            .service(work::get_my_work)
            .service(regions::list_regions)
            .service(regions::get_region)
            .service(organizations::register_organization)
            .service(organizations::list_organizations)
            .service(organizations::get_organization)
            .service(organizations::update_organization)
            .service(organizations::set_organization_priority_area)
            .service(organizations::approve_organization)
            .service(organizations::resubmit_organization)
            .service(organizations::reject_organization)
            .service(organizations::list_organization_children)
            .service(organizations::grant_organization_admin)
            .service(organizations::revoke_organization_admin)
            .service(volunteers::register_volunteer)
            .service(volunteers::get_my_volunteer_profile)
            .service(volunteers::get_volunteer)
            .service(volunteers::list_organization_members)
            .service(volunteers::request_membership)
            .service(volunteers::approve_membership)
            .service(volunteers::reject_membership)
            .service(volunteers::leave_organization)
            .service(imports::get_volunteer_import_template)
            .service(imports::create_volunteer_import)
            .service(imports::get_volunteer_import)
            .service(activities::create_activity)
            .service(activities::list_activities)
            .service(activities::get_activity)
            .service(activities::update_activity)
            .service(activities::publish_activity)
            .service(activities::cancel_activity)
            .service(activities::sign_up_for_activity)
            .service(activities::cancel_sign_up)
            .service(activities::list_activity_sign_ups)
            .service(activities::list_my_sign_ups)
            .service(activities::issue_check_in_code)
            .service(activities::check_in)
            .service(activities::check_out)
            .service(activities::record_attendance)
            .service(activities::confirm_service_hours)
            .service(records::list_service_records)
            .service(records::get_volunteer_summary)
            .service(records::get_recognition_candidates)
            .service(records::issue_certificate)
            .service(records::list_certificates)
            .service(records::get_certificate)
            .service(records::get_certificate_pdf)
            .service(records::verify_certificate)
            .service(records::revoke_certificate)
            .service(pairing::create_pairing_letter)
            .service(pairing::list_pairing_letters)
            .service(pairing::get_pairing_letter)
            .service(pairing::update_pairing_letter)
            .service(pairing::send_pairing_letter)
            .service(pairing::withdraw_pairing_letter)
            .service(pairing::accept_pairing_letter)
            .service(pairing::decline_pairing_letter)
            .service(pairing::get_pairing_letter_pdf)
            .service(pairing::list_pairings)
            .service(pairing::get_pairing)
            .service(needs::create_need)
            .service(needs::list_needs)
            .service(needs::get_need)
            .service(needs::update_need)
            .service(needs::publish_need)
            .service(needs::cancel_need)
            .service(needs::suggest_teams_for_need)
            .service(needs::dispatch_need)
            .service(needs::accept_need_dispatch)
            .service(needs::decline_need_dispatch)
            .service(needs::claim_need)
            .service(needs::schedule_need)
            .service(needs::rate_need)
            .service(needs::get_need_rollup)
            .service(hub::create_service_point)
            .service(hub::list_service_points)
            .service(hub::get_service_point)
            .service(hub::update_service_point)
            .service(hub::create_exhibition)
            .service(hub::list_exhibitions)
            .service(hub::get_exhibition)
            .service(hub::schedule_exhibition_stay)
            .service(hub::list_exhibition_stays)
            .service(hub::cancel_exhibition_stay)
            .service(hub::record_exhibition_visits)
            .service(hub::plan_exhibition_rotation)
            .service(notifications::list_notifications)
            .service(notifications::mark_notification_read)
            .service(notifications::mark_all_notifications_read)
            .service(notifications::get_notification_preferences)
            .service(notifications::update_notification_preferences)
            .service(notifications::confirm_attendance_by_link)
            .service(notifications::unsubscribe_by_link)
            .service(notifications::list_notification_deliveries)
            .service(campaigns::create_campaign)
            .service(campaigns::list_campaigns)
            .service(campaigns::get_campaign)
            .service(campaigns::update_campaign)
            .service(campaigns::open_campaign)
            .service(campaigns::close_campaign)
            .service(campaigns::remind_campaign)
            .service(campaigns::get_campaign_progress)
            .service(campaigns::export_campaign)
            .service(campaigns::list_campaign_entries)
            .service(campaigns::create_campaign_entry)
            .service(campaigns::update_campaign_entry)
            .service(campaigns::withdraw_campaign_entry)
            .service(campaigns::accept_campaign_entry)
            .service(campaigns::complete_campaign_submission)
            .service(campaigns::reopen_campaign_submission)
            .service(applications::create_call)
            .service(applications::list_calls)
            .service(applications::get_call)
            .service(applications::update_call)
            .service(applications::export_applications)
            .service(applications::create_application)
            .service(applications::list_applications)
            .service(applications::get_application)
            .service(applications::update_application)
            .service(applications::upload_application_attachment)
            .service(applications::get_application_attachment)
            .service(applications::submit_application)
            .service(applications::endorse_application)
            .service(applications::decline_endorsement)
            .service(applications::assign_reviewers)
            .service(applications::submit_review)
            .service(applications::decide_application)
            .service(applications::submit_project_summary)
            .service(applications::get_application_history)
            .service(reports::prepare_monthly_report)
            .service(reports::list_monthly_reports)
            .service(reports::get_monthly_report)
            .service(reports::update_monthly_report)
            .service(reports::upload_report_photo)
            .service(reports::get_report_photo)
            .service(reports::submit_monthly_report)
            .service(reports::return_monthly_report)
            .service(reports::accept_monthly_report)
            .service(reports::export_report_rollup)
            .service(reports::get_report_rollup_by_month)
            .service(reports::get_report_rollup)
            .service(reports::get_annual_summary)
            .service(integrations::create_api_client)
            .service(integrations::list_api_clients)
            .service(integrations::rotate_api_client_secret)
            .service(integrations::revoke_api_client)
            .service(webhooks::create_webhook_endpoint)
            .service(webhooks::list_webhook_endpoints)
            .service(webhooks::get_webhook_endpoint)
            .service(webhooks::update_webhook_endpoint)
            .service(webhooks::delete_webhook_endpoint)
            .service(webhooks::rotate_webhook_secret)
            .service(webhooks::ping_webhook_endpoint)
            .service(webhooks::list_webhook_deliveries)
            .service(webhooks::get_webhook_delivery)
            .service(webhooks::replay_webhook_delivery),
    )
    .service(ops::healthz)
    .service(ops::readyz)
    .service(ops::metrics);
}

/// The OpenAPI document, exactly as the running service publishes it.
pub fn openapi_document() -> utoipa::openapi::OpenApi {
    let (_, mut doc) = App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .configure(api)
        .split_for_parts();
    finish_document(&mut doc);
    doc
}

fn json_error(err: actix_web::error::JsonPayloadError, _: &HttpRequest) -> actix_web::Error {
    use actix_web::error::JsonPayloadError as J;
    match &err {
        J::ContentType => ApiError::Status(
            actix_web::http::StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "send the body as application/json".into(),
        ),
        J::Overflow { .. } | J::OverflowKnownLength { .. } => ApiError::Status(
            actix_web::http::StatusCode::PAYLOAD_TOO_LARGE,
            "the request body is too large".into(),
        ),
        // A misspelt or unknown field is named, not silently ignored (request DTOs deny
        // unknown fields).
        J::Deserialize(e) if e.is_data() && e.to_string().starts_with("unknown field `") => {
            let name = e
                .to_string()
                .trim_start_matches("unknown field `")
                .split('`')
                .next()
                .unwrap_or_default()
                .chars()
                .take(100)
                .collect::<String>();
            ApiError::field(
                &name,
                ProblemCode::UnknownField,
                "this field is not part of the request; check its spelling against the contract",
            )
        }
        J::Deserialize(e) if e.is_data() => ApiError::BadRequest {
            code: ProblemCode::InvalidBody,
            detail: format!("the body does not match the schema: {e}"),
        },
        _ => ApiError::BadRequest {
            code: ProblemCode::MalformedJson,
            detail: format!("the body is not valid JSON: {err}"),
        },
    }
    .into()
}

fn query_error(err: actix_web::error::QueryPayloadError, _: &HttpRequest) -> actix_web::Error {
    ApiError::BadRequest {
        code: ProblemCode::InvalidQuery,
        detail: format!("the query string is invalid: {err}"),
    }
    .into()
}

fn path_error(err: actix_web::error::PathError, _: &HttpRequest) -> actix_web::Error {
    let _ = err;
    ApiError::NotFound(ProblemCode::NotFound).into()
}

/// Documented path patterns and their methods: an unmatched request whose path is known
/// gets 405 with `Allow`, otherwise 404.
#[derive(Clone, Default)]
struct KnownPaths(Vec<(Vec<String>, Vec<&'static str>)>);

impl KnownPaths {
    fn from_doc(doc: &utoipa::openapi::OpenApi) -> Self {
        let mut out = vec![];
        for (path, item) in &doc.paths.paths {
            let mut methods = vec![];
            for (m, op) in [
                ("GET", &item.get),
                ("PUT", &item.put),
                ("POST", &item.post),
                ("DELETE", &item.delete),
                ("PATCH", &item.patch),
            ] {
                if op.is_some() {
                    methods.push(m);
                }
            }
            out.push((path.split('/').map(str::to_string).collect(), methods));
        }
        KnownPaths(out)
    }

    /// The methods of the most specific documented patterns matching `path` (a literal
    /// segment beats a parameter: `/applications/export` is not `/applications/{id}`).
    fn allowed(&self, path: &str) -> Option<Vec<&'static str>> {
        let segs: Vec<&str> = path.split('/').collect();
        let mut best: Option<(usize, Vec<&'static str>)> = None;
        for (pattern, methods) in &self.0 {
            let matches = pattern.len() == segs.len()
                && pattern
                    .iter()
                    .zip(&segs)
                    .all(|(p, s)| p == s || (p.starts_with('{') && !s.is_empty()));
            if !matches {
                continue;
            }
            let params = pattern.iter().filter(|p| p.starts_with('{')).count();
            match &mut best {
                Some((n, m)) if *n == params => m.extend(methods),
                Some((n, _)) if *n < params => {}
                _ => best = Some((params, methods.clone())),
            }
        }
        best.map(|(_, m)| m)
    }
}

async fn not_found(req: HttpRequest) -> Result<HttpResponse, ApiError> {
    let allowed = req
        .app_data::<web::Data<KnownPaths>>()
        .and_then(|k| k.allowed(req.path()));
    match allowed {
        // The method is served here, but not for this value of a parameter.
        Some(methods) if methods.contains(&req.method().as_str()) => Err(ApiError::Status(
            actix_web::http::StatusCode::NOT_FOUND,
            "no such resource".into(),
        )),
        Some(methods) => {
            let mut res = actix_web::ResponseError::error_response(&ApiError::Status(
                actix_web::http::StatusCode::METHOD_NOT_ALLOWED,
                format!("this path takes {}", methods.join(", ")),
            ));
            if let Ok(v) = actix_web::http::header::HeaderValue::from_str(&methods.join(", ")) {
                res.headers_mut().insert(actix_web::http::header::ALLOW, v);
            }
            Ok(res)
        }
        None => Err(ApiError::Status(
            actix_web::http::StatusCode::NOT_FOUND,
            "no route matches this path".into(),
        )),
    }
}

/// Headers every answer carries: no type sniffing, no framing by other sites, no referrer
/// leaking paths (which hold ids) to other origins, and HTTPS remembered once served over it.
/// The content security policy is added by `content_security_policy` (the Swagger UI bundle
/// and the WebAssembly app need different allowances); the browser tests run the dashboard
/// under it.
fn security_headers() -> actix_web::middleware::DefaultHeaders {
    actix_web::middleware::DefaultHeaders::new()
        .add(("X-Content-Type-Options", "nosniff"))
        .add(("X-Frame-Options", "DENY"))
        .add(("Referrer-Policy", "strict-origin-when-cross-origin"))
        .add(("Strict-Transport-Security", "max-age=31536000"))
}

/// Builds the server on an already bound listener (port 0 in tests).
pub fn build_server(
    listener: TcpListener,
    state: AppState,
    workers: Option<usize>,
) -> std::io::Result<Server> {
    // Webhook deliveries are sent beside the server, off the request path.
    crate::webhooks::spawn_sender(state.clone());
    crate::notifier::spawn_notifier(state.clone());
    // The dashboard's files are listed once; every worker serves from the same list.
    let dashboard = state
        .settings
        .frontend_dir
        .as_deref()
        .and_then(crate::dashboard::Dashboard::open)
        .map(std::sync::Arc::new);
    let data = web::Data::new(state);
    let mut server = HttpServer::new(move || {
        let max_body = data.settings.max_body_bytes;
        let (app, mut doc) = App::new()
            .into_utoipa_app()
            .openapi(ApiDoc::openapi())
            .app_data(data.clone())
            .app_data(
                web::JsonConfig::default()
                    .limit(max_body)
                    .error_handler(json_error),
            )
            .app_data(web::QueryConfig::default().error_handler(query_error))
            .app_data(web::PathConfig::default().error_handler(path_error))
            .configure(api)
            .split_for_parts();
        finish_document(&mut doc);
        let known = web::Data::new(KnownPaths::from_doc(&doc));
        let mut app = app
            .app_data(known)
            .wrap(ErrorHandlers::new().default_handler(problem_for_plain_errors))
            .wrap(from_fn(crate::text_guard::text_guard))
            .wrap(from_fn(crate::idempotency::idempotency))
            .wrap(from_fn(crate::ratelimit::rate_limit))
            .wrap(security_headers())
            .wrap(from_fn(content_security_policy))
            .wrap(from_fn(observe))
            // gzip for clients that ask (browsers, mobile apps): the dashboard's WebAssembly
            // module shrinks to about a third, long JSON lists more.
            .wrap(actix_web::middleware::Compress::default())
            .service(SwaggerUi::new("/docs/{_:.*}").url("/api-docs/openapi.json", doc));
        if let Some(dashboard) = dashboard.clone() {
            app = app.service(
                actix_web::web::scope("")
                    // Only reads reach the dashboard's files: any other method falls through
                    // to the API's own 404/405 answers (with `Allow` for known paths).
                    .guard(
                        actix_web::guard::Any(actix_web::guard::Get()).or(actix_web::guard::Head()),
                    )
                    .default_service(actix_web::dev::fn_service(
                        move |req: actix_web::dev::ServiceRequest| {
                            let dashboard = dashboard.clone();
                            async move { dashboard.serve(req).await }
                        },
                    )),
            );
        }
        app.default_service(web::to(not_found))
    })
    .shutdown_timeout(30)
    .listen(listener)?;
    if let Some(w) = workers {
        server = server.workers(w);
    }
    Ok(server.run())
}
