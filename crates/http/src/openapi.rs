//! The OpenAPI document's frame: title, tags, security schemes. Paths are added by
//! `utoipa-actix-web` as routes are registered, so a route cannot go undocumented.

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Zhihui API",
        description = "Zhihui (智惠): the information platform of China's science-and-technology volunteer service: organisations, real-name volunteers, activities, service hours, pairing letters, programme applications and monthly reports. Errors are RFC 9457 problem documents (application/problem+json).",
        version = "1.0.0",
        license(name = "Apache-2.0", identifier = "Apache-2.0")
    ),
    components(schemas(
        zhihui_contract::Problem,
        zhihui_contract::FieldProblem,
        zhihui_contract::events::MembershipResource,
        zhihui_contract::events::VolunteerImportResource,
        zhihui_contract::events::ActivityResource,
        zhihui_contract::events::SignUpResource,
        zhihui_contract::events::OrganizationResource,
        zhihui_contract::events::ServiceRecordChange,
        zhihui_contract::events::ServiceRecordsResource,
        zhihui_contract::events::CertificateResource,
        zhihui_contract::events::PairingReference,
        zhihui_contract::events::PairingLetterResource,
        zhihui_contract::events::NeedResource,
        zhihui_contract::events::ExhibitionStayResource,
        zhihui_contract::events::CampaignResource,
        zhihui_contract::events::ApplicationResource,
        zhihui_contract::events::MonthlyReportResource,
        zhihui_contract::events::WebhookEndpointResource,
    )),
    modifiers(&SecurityAddon),
    tags(
        (name = "accounts", description = "Accounts and sessions"),
        (name = "regions", description = "GB/T 2260 administrative regions"),
        (name = "organizations", description = "Organisations and teams (科技志愿服务组织)"),
        (name = "volunteers", description = "Real-name volunteers and memberships (科技志愿者)"),
        (name = "activities", description = "Activities, sign-ups, check-in and hour confirmation (科技志愿服务活动)"),
        (name = "records", description = "Service records, summaries, stars and annual recognition (志愿服务记录)"),
        (name = "certificates", description = "Service certificates and their public verification (志愿服务记录证明)"),
        (name = "pairing", description = "Pairing letters and pairings between societies and counties (结对)"),
        (name = "applications", description = "Programme calls and funding applications with endorsement, review and decision (项目申报)"),
        (name = "needs", description = "Needs posted by counties and grassroots teams, dispatched or claimed, scheduled, served and rated (科普需求对接：点单、派单、接单、评单)"),
        (name = "hub", description = "Science hub centres: service points, micro-exhibitions, their stays and rotation (科普服务汇中心：服务点、科普微展览、轮换)"),
        (name = "notifications", description = "Notifications: the inbox, preferences per family and channel, one-tap links from emails, the delivery log (通知与提醒)"),
        (name = "campaigns", description = "Collection campaigns: an organisation asks those below it for entries, follows who has answered, accepts entries as draft activities (征集)"),
        (name = "reports", description = "Monthly reports, the live roll-up over the organisation and region trees, annual summaries (月度报告)"),
        (name = "integrations", description = "API clients of third-party systems; idempotent writes and rate limits are described on every operation"),
        (name = "operations", description = "Health, readiness and metrics"),
    )
)]
pub struct ApiDoc;

struct SecurityAddon;

impl Modify for SecurityAddon {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .description(Some(
                        "Access token from `login` or `refresh_token` (15 minutes).",
                    ))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "api_key",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("zhc_<prefix>_<secret>")
                    .description(Some(
                        "An API client's key (`create_api_client`), accepted wherever `bearer` is, within the client's organisation subtree and scopes: GET needs `<family>:read`, other methods `<family>:write`. Outside them: 403 `scope_missing` or `not_for_api_clients`.",
                    ))
                    .build(),
            ),
        );
    }
}

/// Adds the error answers every operation can give, so each operation's documentation
/// is complete without repeating them on every handler: 400 (malformed body or query),
/// 413/415 (body too large, not JSON) where a body is taken, 401 where a token is needed,
/// 500 and 503 (database unreachable or busy) everywhere under `/api/v1`.
/// An error response: a problem document.
fn problem(description: &str) -> utoipa::openapi::RefOr<utoipa::openapi::Response> {
    use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder};
    RefOr::T(
        ResponseBuilder::new()
            .description(description)
            .content(
                "application/problem+json",
                ContentBuilder::new()
                    .schema(Some(Ref::from_schema_name("Problem")))
                    .build(),
            )
            .build(),
    )
}

pub fn add_common_responses(doc: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::path::Operation;

    fn add(op: &mut Operation) {
        let has_body = op.request_body.is_some();
        let has_query = op.parameters.as_ref().is_some_and(|ps| {
            ps.iter()
                .any(|p| matches!(p.parameter_in, utoipa::openapi::path::ParameterIn::Query))
        });
        let secured = op.security.as_ref().is_some_and(|s| !s.is_empty());
        let r = &mut op.responses.responses;
        let mut put = |code: &str, d: &str| {
            r.entry(code.to_string()).or_insert_with(|| problem(d));
        };
        put(
            "400",
            "Malformed request: invalid JSON, body or query string (problem document)",
        );
        if has_body {
            put("413", "The request body is too large");
            put("415", "The body is not application/json");
        }
        if has_body || has_query {
            put(
                "422",
                "Validation failed (problem document naming each field); among the reasons, `control_character`: text holds a control character",
            );
        }
        if secured {
            put("401", "No valid access token");
        }
        put(
            "429",
            "Too many requests (rate_limited); wait the seconds in Retry-After",
        );
        put("500", "Unexpected error; quote the x-request-id header");
        put(
            "503",
            "`service_unavailable`: the database is unreachable, retry after `Retry-After` seconds; `database_busy`: a concurrent change to the same records won (deadlock or serialization failure), nothing was written, retry at once",
        );
    }

    /// Every POST takes `Idempotency-Key` (see `crate::idempotency`).
    fn idempotent(op: &mut Operation) {
        use utoipa::openapi::path::{ParameterBuilder, ParameterIn};
        use utoipa::openapi::{ObjectBuilder, Required, Type};
        let params = op.parameters.get_or_insert_with(Vec::new);
        params.push(
            ParameterBuilder::new()
                .name("Idempotency-Key")
                .parameter_in(ParameterIn::Header)
                .required(Required::False)
                .description(Some(
                    "A unique key (e.g. a UUID) for this write: a retry with the same key and body gets the first answer again (header `Idempotent-Replayed: true`) without acting twice; the same key with another body is a 422 `idempotency_key_reused`; while the first is in progress, 409 `idempotency_key_in_use`. Kept 24 hours.",
                ))
                .schema(Some(
                    ObjectBuilder::new()
                        .schema_type(Type::String)
                        .min_length(Some(1))
                        .max_length(Some(255))
                        .pattern(Some("^[!-~]+$")),
                ))
                .build(),
        );
        let r = &mut op.responses.responses;
        r.entry("409".to_string())
            .or_insert_with(|| problem("Conflict (idempotency_key_in_use, or a state conflict)"));
        r.entry("422".to_string())
            .or_insert_with(|| problem("Invalid request (idempotency_key_reused, or a field)"));
    }

    for (path, item) in doc.paths.paths.iter_mut() {
        if !path.starts_with("/api/v1") {
            continue;
        }
        if let Some(op) = item.post.as_mut() {
            idempotent(op);
        }
        for op in [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.patch,
        ]
        .into_iter()
        .flatten()
        {
            add(op);
        }
    }
}

/// Completes the document beyond what the routes say: the common error answers, binary
/// bodies as binary strings, the API-key alternative on every operation an API client may
/// call (with the scope it needs), and the webhook deliveries a receiver gets.
pub fn finish_document(doc: &mut utoipa::openapi::OpenApi) {
    add_common_responses(doc);
    binary_bodies(doc);
    api_key_alternatives(doc);
    webhooks_section(doc);
    date_bounds(doc);
    if_match_headers(doc);
    public_security(doc);
    location_headers(doc);
    problem_codes(doc);
    doc.servers = Some(vec![utoipa::openapi::ServerBuilder::new()
        .url("/")
        .description(Some(
            "This service: the API, its documentation and the dashboard on one address",
        ))
        .build()]);
}

/// Every 201 names where the created resource is read (`handlers::created`).
fn location_headers(doc: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::header::HeaderBuilder;
    use utoipa::openapi::{ObjectBuilder, RefOr, Type};
    for item in doc.paths.paths.values_mut() {
        for (_, op) in operations_mut(item) {
            if let Some(RefOr::T(r)) = op.responses.responses.get_mut("201") {
                r.headers.insert(
                    "Location".into(),
                    HeaderBuilder::new()
                        .schema(ObjectBuilder::new().schema_type(Type::String))
                        .description(Some(
                            "Where the created resource (or the document that shows it) is read: a path under /api/v1",
                        ))
                        .build(),
                );
            }
        }
    }
}

/// The one rule for a token sent to a public operation: an operation whose answer depends
/// on the caller (its handler reads `Caller`: drafts, own sign-ups, contact details) takes
/// an optional bearer token and checks it when sent, answering 401 `invalid_token` for a
/// stale one; every other public operation (sign-in, registration, refresh, the probes, the
/// region list, calls) declares no credentials and ignores an `Authorization` header.
fn public_security(doc: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::security::SecurityRequirement;
    for item in doc.paths.paths.values_mut() {
        for (_, op) in operations_mut(item) {
            if op.security.as_ref().is_some_and(|s| !s.is_empty()) {
                continue;
            }
            let id = op.operation_id.clone().unwrap_or_default();
            let reads_caller = HANDLER_CODES
                .iter()
                .any(|(name, caller, _)| *name == id && *caller);
            if reads_caller {
                op.security = Some(vec![
                    SecurityRequirement::default(),
                    SecurityRequirement::new("bearer", Vec::<String>::new()),
                ]);
                op.responses
                    .responses
                    .entry("401".into())
                    .or_insert_with(|| {
                        problem("A token was sent and is invalid or expired (`invalid_token`); send none, or a fresh one")
                    });
            } else {
                op.security = Some(vec![SecurityRequirement::default()]);
            }
        }
    }
}

/// The not-found codes of the resources a path names by id (`/activities/{id}/…`).
fn path_resources(path: &str) -> Vec<zhihui_domain::ProblemCode> {
    use zhihui_domain::ProblemCode as C;
    let segments: Vec<&str> = path.split('/').collect();
    segments
        .windows(2)
        .filter(|w| w[1].starts_with('{'))
        .filter_map(|w| {
            Some(match w[0] {
                "activities" => C::ActivityNotFound,
                "organizations" => C::OrganizationNotFound,
                "certificates" => C::CertificateNotFound,
                "applications" => C::ApplicationNotFound,
                "calls" => C::CallNotFound,
                "monthly-reports" | "reports" => C::ReportNotFound,
                "pairing-letters" | "letters" => C::PairingLetterNotFound,
                "pairings" => C::PairingNotFound,
                "needs" => C::NeedNotFound,
                "service-points" => C::ServicePointNotFound,
                "exhibitions" => C::ExhibitionNotFound,
                "exhibition-stays" => C::StayNotFound,
                "campaigns" => C::CampaignNotFound,
                "campaign-entries" => C::CampaignEntryNotFound,
                "api-clients" => C::ApiClientNotFound,
                "webhook-endpoints" | "webhooks" => C::WebhookNotFound,
                "deliveries" => C::DeliveryNotFound,
                "volunteers" => C::VolunteerNotFound,
                "regions" => C::RegionNotFound,
                "imports" => C::ImportNotFound,
                "photos" => C::PhotoNotFound,
                "attachments" => C::AttachmentNotFound,
                "memberships" => C::MembershipNotFound,
                "sign-ups" => C::SignUpNotFound,
                "accounts" => C::AccountNotFound,
                _ => return None,
            })
        })
        .collect()
}

/// Per operation, the codes each handler names in its own body (listed by `build.rs`).
const HANDLER_CODES: &[(&str, bool, &[zhihui_domain::ProblemCode])] =
    include!(concat!(env!("OUT_DIR"), "/handler_codes.rs"));

/// The problem codes an operation may answer, per documented status, as the response's
/// `x-problem-codes` and a sentence in its description: the codes its handler names, the
/// codes its description names, and the codes every operation of that kind may answer
/// (`validation_failed` for a 422, `scope_missing` for a 403 to an API key…). Each is a
/// catalogue code (`zhihui_domain::ProblemCode`) whose status is the response's.
fn problem_codes(doc: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::RefOr;
    use zhihui_domain::ProblemCode as C;
    for (path, item) in doc.paths.paths.iter_mut() {
        let path = path.clone();
        for (method, op) in operations_mut(item) {
            let id = op.operation_id.clone().unwrap_or_default();
            let own: &[C] = HANDLER_CODES
                .iter()
                .find(|(name, _, _)| *name == id)
                .map_or(&[], |(_, _, codes)| codes);
            let has_query = op
                .parameters
                .iter()
                .flatten()
                .any(|p| matches!(p.parameter_in, utoipa::openapi::path::ParameterIn::Query));
            let has_if_match = op
                .parameters
                .iter()
                .flatten()
                .any(|p| p.name.eq_ignore_ascii_case("if-match"));
            let multipart = op
                .request_body
                .as_ref()
                .is_some_and(|b| b.content.keys().any(|k| k.starts_with("multipart/")));
            let api_key = op
                .security
                .iter()
                .flatten()
                .any(|s| serde_json::to_value(s).is_ok_and(|v| v.get("api_key").is_some()));
            let secured = op.security.as_ref().is_some_and(|s| !s.is_empty());
            let optional_token = op.security.iter().flatten().any(|s| {
                serde_json::to_value(s).is_ok_and(|v| v.as_object().is_some_and(|o| o.is_empty()))
            });
            for (status, response) in op.responses.responses.iter_mut() {
                let Ok(status) = status.parse::<u16>() else {
                    continue;
                };
                if status < 400 {
                    continue;
                }
                let RefOr::T(r) = response else { continue };
                let mut codes: Vec<C> = match status {
                    400 => {
                        let mut v = vec![C::MalformedJson, C::InvalidBody];
                        if has_query {
                            v.push(C::InvalidQuery);
                        }
                        if has_if_match {
                            v.push(C::InvalidIfMatch);
                        }
                        if multipart {
                            v.push(C::InvalidMultipart);
                        }
                        if method == "POST" {
                            v.push(C::InvalidIdempotencyKey);
                        }
                        v
                    }
                    401 if optional_token => vec![C::InvalidToken],
                    401 if secured => vec![C::AuthenticationRequired, C::InvalidToken],
                    403 if api_key => vec![C::ScopeMissing, C::NotForApiClients],
                    409 if method == "POST" => vec![C::IdempotencyKeyInUse],
                    404 => {
                        let mut v = vec![C::NotFound];
                        v.extend(path_resources(&path));
                        v
                    }
                    412 => vec![C::VersionMismatch],
                    413 => vec![C::PayloadTooLarge],
                    415 => vec![C::UnsupportedMediaType],
                    422 => vec![C::ValidationFailed],
                    429 => vec![C::RateLimited],
                    500 => vec![C::InternalError],
                    503 => vec![C::ServiceUnavailable, C::DatabaseBusy],
                    _ => vec![],
                };
                codes.extend(own.iter().copied().filter(|c| c.status() == status));
                codes.extend(
                    r.description
                        .split(|c: char| {
                            !(c.is_ascii_lowercase() || c == '_' || c.is_ascii_digit())
                        })
                        .filter_map(C::parse)
                        .filter(|c| c.status() == status && c.is_problem()),
                );
                codes.retain(|c| c.is_problem());
                codes.sort();
                codes.dedup();
                if codes.is_empty() {
                    continue;
                }
                let names: Vec<&str> = codes.iter().map(|c| c.as_str()).collect();
                if !r.description.contains("Problem codes:") {
                    r.description = format!(
                        "{}{}Problem codes: {}.",
                        r.description,
                        if r.description.is_empty() { "" } else { ". " },
                        names
                            .iter()
                            .map(|n| format!("`{n}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    );
                }
                r.extensions
                    .get_or_insert_with(Default::default)
                    .insert("x-problem-codes".into(), serde_json::json!(names));
            }
        }
    }
}

/// `If-Match` is optional, but when sent it is an ETag: a plain string, never null (a
/// nullable header made generated clients send `None`).
fn if_match_headers(doc: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::path::ParameterIn;
    use utoipa::openapi::{ObjectBuilder, Required, Type};
    for item in doc.paths.paths.values_mut() {
        for (_, op) in operations_mut(item) {
            for p in op.parameters.iter_mut().flatten() {
                if matches!(p.parameter_in, ParameterIn::Header)
                    && p.name.eq_ignore_ascii_case("if-match")
                {
                    p.required = Required::False;
                    p.schema = Some(
                        ObjectBuilder::new()
                            .schema_type(Type::String)
                            .examples([serde_json::json!("\"3\"")])
                            .into(),
                    );
                }
            }
        }
    }
}

/// Dates and instants lie within the domain's years (`zhihui_domain::bounds`); OpenAPI has
/// no keyword for a date's range, so each date field and parameter says it in words.
fn date_bounds(doc: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::schema::{KnownFormat, SchemaFormat};
    use utoipa::openapi::{RefOr, Schema};
    use zhihui_domain::bounds::{FIRST_YEAR, LAST_YEAR};
    fn note(schema: &mut RefOr<Schema>) {
        let RefOr::T(Schema::Object(o)) = schema else {
            return;
        };
        let is_date = matches!(
            o.format,
            Some(SchemaFormat::KnownFormat(
                KnownFormat::Date | KnownFormat::DateTime
            ))
        );
        if is_date {
            let bounds = format!("From {FIRST_YEAR}-01-01 to {LAST_YEAR}-12-31.");
            o.description = Some(match o.description.take() {
                Some(d) if !d.contains(&bounds) => format!("{d} {bounds}"),
                Some(d) => d,
                None => bounds,
            });
        }
    }
    if let Some(components) = doc.components.as_mut() {
        for schema in components.schemas.values_mut() {
            if let RefOr::T(Schema::Object(o)) = schema {
                o.properties.values_mut().for_each(note);
            }
        }
    }
    for item in doc.paths.paths.values_mut() {
        for (_, op) in operations_mut(item) {
            for p in op.parameters.iter_mut().flatten() {
                if let Some(schema) = p.schema.as_mut() {
                    note(schema);
                }
            }
        }
    }
}

fn operations_mut(
    item: &mut utoipa::openapi::PathItem,
) -> impl Iterator<Item = (&'static str, &mut utoipa::openapi::path::Operation)> {
    [
        ("GET", &mut item.get),
        ("PUT", &mut item.put),
        ("POST", &mut item.post),
        ("DELETE", &mut item.delete),
        ("PATCH", &mut item.patch),
    ]
    .into_iter()
    .filter_map(|(m, op)| op.as_mut().map(|o| (m, o)))
}

/// `Vec<u8>` answers (files: PDFs, workbooks, photos) are documented by utoipa as arrays of
/// integers; on the wire they are bytes, which OpenAPI spells `type: string, format: binary`
/// (generated clients then return the bytes instead of parsing JSON).
fn binary_bodies(doc: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::schema::{KnownFormat, SchemaFormat};
    use utoipa::openapi::{ObjectBuilder, RefOr, Type};
    let is_bytes = |schema: &RefOr<utoipa::openapi::Schema>| {
        serde_json::to_value(schema)
            .is_ok_and(|v| v["type"] == "array" && v["items"]["type"] == "integer")
    };
    let binary = || -> RefOr<utoipa::openapi::Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Binary)))
            .into()
    };
    for item in doc.paths.paths.values_mut() {
        for (_, op) in operations_mut(item) {
            for response in op.responses.responses.values_mut() {
                let RefOr::T(response) = response else {
                    continue;
                };
                let mut is_file = false;
                for (media, content) in response.content.iter_mut() {
                    if content.schema.as_ref().is_some_and(is_bytes) {
                        content.schema = Some(binary());
                    }
                    is_file |= !media.contains("json");
                }
                // A file answer is also described as plain bytes, which generic clients
                // (openapi-python-client, …) know how to return; the service sends it under
                // the specific type listed beside.
                if is_file && !response.content.contains_key("application/octet-stream") {
                    // First, so that a client taking the first type it knows takes bytes.
                    response.content.shift_insert(
                        0,
                        "application/octet-stream".to_string(),
                        utoipa::openapi::content::ContentBuilder::new()
                            .schema(Some(binary()))
                            .build(),
                    );
                }
            }
        }
    }
}

/// Every operation an API client may call (`crate::auth::scope_family`) takes its key as
/// well as a person's token; the requirement names the scope the call needs (OpenAPI 3.1
/// allows role names for non-OAuth schemes).
fn api_key_alternatives(doc: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::security::SecurityRequirement;
    for (path, item) in doc.paths.paths.iter_mut() {
        let Some(family) = crate::auth::scope_family(path) else {
            continue;
        };
        for (method, op) in operations_mut(item) {
            let Some(security) = op.security.as_mut() else {
                continue;
            };
            if security.is_empty() {
                continue;
            }
            let access = if method == "GET" { "read" } else { "write" };
            security.push(SecurityRequirement::new(
                "api_key",
                [format!("{}:{access}", family.as_str())],
            ));
        }
    }
}

/// The deliveries a webhook endpoint receives, one per event type, as OpenAPI 3.1's
/// top-level `webhooks` (utoipa has no field for it; it is written beside `paths`).
fn webhooks_section(doc: &mut utoipa::openapi::OpenApi) {
    use zhihui_domain::integration::EventType;
    let mut hooks = serde_json::Map::new();
    for t in EventType::ALL {
        let name = t.as_str();
        hooks.insert(
            name.to_string(),
            serde_json::json!({
                "post": {
                    "operationId": format!("webhook_{}", name.replace('.', "_")),
                    // Sent by this service, authenticated by its signature header.
                    "security": [],
                    "summary": format!("The `{name}` event, sent to the endpoints that hear it"),
                    "description": "Sent as `POST` with `application/json`, at least once: deduplicate by the event's `id`. Verify `Zhihui-Signature` (`t=<unix seconds>,v1=<hex HMAC-SHA256 of \"<t>.<body>\" with the endpoint's secret>`) before trusting the body. Any 2xx answer within 10 s settles the delivery; anything else is retried with doubling waits for a day. Redirects are not followed.",
                    "parameters": [
                        {"name": "Zhihui-Signature", "in": "header", "required": true, "schema": {"type": "string"}},
                        {"name": "Zhihui-Event-Id", "in": "header", "required": true, "schema": {"type": "string", "format": "uuid"}},
                        {"name": "Zhihui-Event-Type", "in": "header", "required": true, "schema": {"type": "string", "const": name}},
                        {"name": "Zhihui-Delivery-Id", "in": "header", "required": true, "schema": {"type": "string", "format": "uuid"}}
                    ],
                    "requestBody": {
                        "required": true,
                        // The envelope, with this event type's own resource.
                        "content": {"application/json": {"schema": {"allOf": [
                            {"$ref": "#/components/schemas/WebhookEvent"},
                            {
                                "type": "object",
                                "required": ["type", "resource"],
                                "properties": {
                                    "type": {"type": "string", "const": name},
                                    "resource": {"$ref": format!(
                                        "#/components/schemas/{}",
                                        zhihui_contract::events::resource_schema(*t)
                                    )}
                                }
                            }
                        ]}}}
                    },
                    "responses": {
                        "2XX": {"description": "Received; the delivery is settled"},
                        "default": {"description": "Not received; the delivery is retried"}
                    }
                }
            }),
        );
    }
    doc.extensions
        .get_or_insert_with(Default::default)
        .insert("webhooks".to_string(), serde_json::Value::Object(hooks));
}
