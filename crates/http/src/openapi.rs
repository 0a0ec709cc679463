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
    }
}
