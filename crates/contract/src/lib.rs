//! Wire types of the Zhihui API: what clients send and receive.
//! Shared by the service (`zhihui-http`) and the web dashboard; no I/O here.

pub mod accounts;
pub mod activities;
pub mod applications;
pub mod bounds;
pub mod events;
pub mod form;
pub mod integrations;
pub mod organizations;
pub mod pairing;
pub mod problem;
pub mod records;
pub mod regions;
pub mod reports;
pub mod values;
pub mod volunteers;

pub use problem::{FieldProblem, Problem};

/// Default and maximum page sizes of every list.
pub const DEFAULT_LIMIT: u64 = 20;
pub const MAX_LIMIT: u64 = 200;

/// Pagination parameters shared by lists.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::IntoParams, validator::Validate)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// Page size, 1 to 200 (default 20).
    #[validate(range(min = 1, max = 200))]
    #[param(minimum = 1, maximum = 200, default = 20)]
    pub limit: Option<u64>,
    /// Opaque cursor from the previous page's `next_cursor`.
    pub cursor: Option<String>,
}

impl PageParams {
    pub fn limit(&self) -> u64 {
        self.limit.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT)
    }
}
