//! Turning `validator` reports and domain parse errors into field problems.

use validator::{Validate, ValidationErrors, ValidationErrorsKind};
use zhihui_contract::FieldProblem;
use zhihui_domain::{ClosedSet, FieldError, ProblemCode};

use crate::error::ApiError;

/// Collects every field problem of one request before answering.
#[derive(Default)]
pub struct Problems(pub Vec<FieldProblem>);

impl Problems {
    pub fn validate(dto: &impl Validate) -> Self {
        let mut p = Problems::default();
        if let Err(e) = dto.validate() {
            flatten("", &e, &mut p.0);
        }
        p
    }

    pub fn push(&mut self, field: &str, code: ProblemCode, message: impl Into<String>) {
        self.0.push(FieldProblem {
            field: field.into(),
            code,
            message: message.into(),
        });
    }

    /// Parses with a domain parser, recording its error against `field`.
    pub fn parse<T>(&mut self, field: &str, r: Result<T, FieldError>) -> Option<T> {
        match r {
            Ok(v) => Some(v),
            Err(e) => {
                self.push(field, e.code, e.message);
                None
            }
        }
    }

    /// One value of a closed set (a category, a status, …), or `code` against `field`
    /// naming the values it may take.
    pub fn closed<T: ClosedSet>(
        &mut self,
        field: &str,
        code: ProblemCode,
        value: &str,
    ) -> Option<T> {
        let v = T::parse(value);
        if v.is_none() {
            self.push(field, code, one_of::<T>());
        }
        v
    }

    /// Like [`Problems::closed`] for an optional field.
    pub fn closed_opt<T: ClosedSet>(
        &mut self,
        field: &str,
        code: ProblemCode,
        value: Option<&str>,
    ) -> Option<T> {
        value.and_then(|v| self.closed(field, code, v))
    }

    pub fn has(&self, field: &str) -> bool {
        self.0.iter().any(|p| p.field == field)
    }

    pub fn finish(self) -> Result<(), ApiError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(ApiError::Validation(self.0))
        }
    }
}

/// "use one of a, b, c": the message of a value outside a closed set.
pub fn one_of<T: ClosedSet>() -> String {
    format!(
        "use one of {}",
        T::ALL
            .iter()
            .map(|c| c.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    )
}

fn flatten(prefix: &str, e: &ValidationErrors, out: &mut Vec<FieldProblem>) {
    for (field, kind) in e.errors() {
        let path = if prefix.is_empty() {
            field.to_string()
        } else {
            format!("{prefix}.{field}")
        };
        match kind {
            ValidationErrorsKind::Field(errs) => {
                for err in errs {
                    let message = match err.code.as_ref() {
                        "length" => describe("length", err),
                        "range" => describe("value", err),
                        other => err
                            .message
                            .as_ref()
                            .map_or_else(|| format!("invalid ({other})"), |m| m.to_string()),
                    };
                    // Every code a validator attribute names is in the catalogue (a
                    // contract test walks them); `invalid` only if one slipped through.
                    let code = ProblemCode::parse(&err.code);
                    debug_assert!(code.is_some(), "{} is not in the catalogue", err.code);
                    out.push(FieldProblem {
                        field: path.clone(),
                        code: code.unwrap_or(ProblemCode::Invalid),
                        message,
                    });
                }
            }
            ValidationErrorsKind::Struct(inner) => flatten(&path, inner, out),
            ValidationErrorsKind::List(items) => {
                for (i, inner) in items {
                    flatten(&format!("{path}[{i}]"), inner, out);
                }
            }
        }
    }
}

fn describe(what: &str, err: &validator::ValidationError) -> String {
    let min = err.params.get("min").map(|v| v.to_string());
    let max = err.params.get("max").map(|v| v.to_string());
    let equal = err.params.get("equal").map(|v| v.to_string());
    match (min, max, equal) {
        (_, _, Some(e)) => format!("{what} must be {e}"),
        (Some(a), Some(b), _) => format!("{what} must be between {a} and {b}"),
        (Some(a), None, _) => format!("{what} must be at least {a}"),
        (None, Some(b), _) => format!("{what} must be at most {b}"),
        _ => format!("{what} is out of range"),
    }
}
