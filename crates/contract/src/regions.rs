//! Administrative regions (GB/T 2260).

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use zhihui_domain as d;

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct RegionView {
    /// Six-digit GB/T 2260 code.
    #[schema(example = "440524")]
    pub code: String,
    #[schema(example = "潮阳区")]
    pub name: String,
    /// `province`, `city` or `county`.
    #[schema(schema_with = crate::values::region_level)]
    pub level: d::RegionLevel,
    pub parent_code: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct RegionPage {
    pub items: Vec<RegionView>,
    pub next_cursor: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams, validator::Validate)]
#[into_params(parameter_in = Query)]
pub struct RegionQuery {
    /// Only the direct children of this region.
    #[validate(length(equal = 6))]
    #[param(min_length = 6, max_length = 6)]
    pub parent: Option<String>,
    /// `province`, `city` or `county`.
    #[param(schema_with = crate::values::region_level)]
    pub level: Option<String>,
    /// Part of the name.
    #[validate(length(max = 50))]
    #[param(max_length = 50)]
    pub q: Option<String>,
    #[validate(range(min = 1, max = 200))]
    #[param(minimum = 1, maximum = 200, default = 20)]
    pub limit: Option<u64>,
    pub cursor: Option<String>,
}
