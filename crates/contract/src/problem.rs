//! RFC 9457 problem documents.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use zhihui_domain::ProblemCode;

/// An error answer (`application/problem+json`).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct Problem {
    /// A URI naming the problem type (`about:blank` style relative reference).
    #[serde(rename = "type")]
    pub type_: String,
    pub title: String,
    pub status: u16,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// Stable machine-readable code, e.g. `validation_failed`, `duplicate_id_number`.
    #[schema(schema_with = crate::values::problem_code)]
    pub code: ProblemCode,
    /// For validation problems: every offending field.
    #[serde(default)]
    pub errors: Vec<FieldProblem>,
}

/// One field's problem.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct FieldProblem {
    /// The field's JSON path, e.g. `id_number` or `guardian.phone`.
    pub field: String,
    /// Stable code, e.g. `id_number_checksum`.
    #[schema(schema_with = crate::values::field_code)]
    pub code: ProblemCode,
    pub message: String,
}
