//! Administrative regions (GB/T 2260).

use actix_web::{get, web, HttpResponse};
use zhihui_contract::regions::{RegionPage, RegionQuery, RegionView};
use zhihui_contract::{Problem, DEFAULT_LIMIT};
use zhihui_domain::ProblemCode;
use zhihui_domain::{RegionCode, RegionLevel};

use crate::error::ApiError;
use crate::state::AppState;
use crate::validation::Problems;
use crate::views;

/// Lists regions by parent, level or name, ordered by code.
#[utoipa::path(tag = "regions", params(RegionQuery), responses(
    (status = 200, body = RegionPage),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
#[get("/regions")]
pub async fn list_regions(
    state: web::Data<AppState>,
    q: web::Query<RegionQuery>,
) -> Result<HttpResponse, ApiError> {
    let mut p = Problems::validate(&*q);
    let level: Option<RegionLevel> =
        p.closed_opt("level", ProblemCode::UnknownLevel, q.level.as_deref());
    if let Some(c) = &q.cursor {
        if RegionCode::parse(c).is_err() {
            p.push(
                "cursor",
                ProblemCode::InvalidCursor,
                "use the next_cursor of the previous page",
            );
        }
    }
    p.finish()?;
    let limit = q.limit.unwrap_or(DEFAULT_LIMIT);
    let rows = state
        .store
        .list_regions(
            q.parent.as_deref(),
            level,
            q.q.as_deref(),
            q.cursor.as_deref(),
            limit,
        )
        .await?;
    let next_cursor = super::next_cursor(&rows, limit, |r| r.code.clone());
    Ok(HttpResponse::Ok().json(RegionPage {
        items: rows.into_iter().map(views::region).collect(),
        next_cursor,
    }))
}

/// One region by its six-digit code.
#[utoipa::path(tag = "regions", params(("code" = String, Path, description = "Six-digit GB/T 2260 code")), responses(
    (status = 200, body = RegionView),
    (status = 404, body = Problem, content_type = "application/problem+json"),
))]
#[get("/regions/{code}")]
pub async fn get_region(
    state: web::Data<AppState>,
    code: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let r = state
        .store
        .get_region(&code)
        .await?
        .ok_or(ApiError::NotFound(ProblemCode::RegionNotFound))?;
    Ok(HttpResponse::Ok().json(views::region(r)))
}
