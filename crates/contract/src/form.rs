//! Checking a whole request at once, collecting every field problem: the one place where
//! `validator` reports and the domain's parse errors become [`FieldProblem`]s.
//!
//! The service and the dashboard share it: a request DTO converts to its checked domain
//! value by one `TryFrom` (returning [`Rejected`] with every problem), which the handler calls
//! before acting and the form calls before sending, so both accept exactly the same input.

use validator::{Validate, ValidationErrors, ValidationErrorsKind};
use zhihui_domain::{ClosedSet, FieldError, ProblemCode};

use crate::FieldProblem;

/// Every field problem of a request that was refused (422 `validation_failed`).
#[derive(Debug, Clone, PartialEq)]
pub struct Rejected(pub Vec<FieldProblem>);

impl Rejected {
    /// The first problem found for `field`, if any (what a form shows beside it).
    pub fn on(&self, field: &str) -> Option<&FieldProblem> {
        self.0.iter().find(|p| p.field == field)
    }
}

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

    /// Parses with a domain parser, recording its error against `field` unless the field
    /// already has one (a length refused by the schema is not refused twice).
    pub fn parse<T>(&mut self, field: &str, r: Result<T, FieldError>) -> Option<T> {
        match r {
            Ok(v) => Some(v),
            Err(e) => {
                if !self.has(field) {
                    self.push(field, e.code, e.message);
                }
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

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Ends the checks of a request: nothing found, or every problem found at once.
    pub fn finish(self) -> Result<(), Rejected> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(Rejected(self.0))
        }
    }

    /// Takes in the verdict of a whole-form check (`TryFrom` of a request): its value, or
    /// its problems added to these.
    pub fn absorb<T>(&mut self, r: Result<T, Rejected>) -> Option<T> {
        match r {
            Ok(v) => Some(v),
            Err(Rejected(problems)) => {
                for p in problems {
                    if !self
                        .0
                        .iter()
                        .any(|q| q.field == p.field && q.code == p.code)
                    {
                        self.0.push(p);
                    }
                }
                None
            }
        }
    }

    /// The value built once every check passed, or every problem found. A form builds its
    /// value from the fields it parsed, so a missing value always comes with the problem
    /// that made it missing; the middle arm only keeps a form's mistake from passing as a
    /// success.
    pub fn done<T>(self, value: Option<T>) -> Result<T, Rejected> {
        match value {
            Some(v) if self.0.is_empty() => Ok(v),
            _ if self.0.is_empty() => Err(Rejected(vec![FieldProblem {
                field: String::new(),
                code: ProblemCode::Invalid,
                message: "the request could not be read".into(),
            }])),
            _ => Err(Rejected(self.0)),
        }
    }
}

/// A reason, note or report that must say something (理由): the text trimmed, refused when
/// blank. The service checks it before acting and the form before sending.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reason(pub String);

impl Reason {
    /// The `field` of `dto` (already checked by its `validator` rules) as a reason.
    pub fn of(dto: &impl Validate, field: &str, text: &str) -> Result<Reason, Rejected> {
        let mut p = Problems::validate(dto);
        let t = text.trim();
        if t.is_empty() && !p.has(field) {
            p.push(field, ProblemCode::Required, "say why");
        }
        p.done(Some(Reason(t.to_string())))
    }
}

/// Converts each request whose content is one required text into a [`Reason`].
#[macro_export]
macro_rules! reason_request {
    ($($dto:ty => $field:ident),+ $(,)?) => {
        $(
            impl TryFrom<&$dto> for $crate::form::Reason {
                type Error = $crate::form::Rejected;

                fn try_from(r: &$dto) -> Result<Self, Self::Error> {
                    $crate::form::Reason::of(r, stringify!($field), &r.$field)
                }
            }
        )+
    };
}

/// An optional text as given, trimmed; none when blank (an empty string clears a field).
pub fn blank(s: Option<&str>) -> Option<&str> {
    s.map(str::trim).filter(|s| !s.is_empty())
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
