//! The OpenAPI document's frame: title, tags, security schemes. Paths are added by
//! `utoipa-actix-web` as routes are registered, so a route cannot go undocumented.

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Zhihui (智惠) API",
        description = "The information platform of China's science-and-technology volunteer service: organisations, real-name volunteers, activities, service hours, pairing letters, programme applications and monthly reports. Errors are RFC 9457 problem documents (application/problem+json).",
        version = "1.0.0",
        license(name = "Apache-2.0")
    ),
    components(schemas(zhihui_contract::Problem, zhihui_contract::FieldProblem)),
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
pub fn add_common_responses(doc: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::path::Operation;
    use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder};

    fn problem(description: &str) -> RefOr<utoipa::openapi::Response> {
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
