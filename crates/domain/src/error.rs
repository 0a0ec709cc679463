//! The one error shape every parser in this crate returns.

use std::fmt;

use crate::problem::ProblemCode;

/// Why a value was refused: a stable machine code and a human sentence.
/// The caller attaches the field name (the same parser serves several fields).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub code: ProblemCode,
    pub message: String,
}

impl FieldError {
    pub fn new(code: ProblemCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.message, self.code)
    }
}

impl std::error::Error for FieldError {}

/// A refused transition of a document's state machine (`pairing::transition`,
/// `activity_transition`, …), with its catalogue code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransitionError {
    pub code: ProblemCode,
    pub message: String,
}

impl TransitionError {
    pub fn new(code: ProblemCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }
}

impl fmt::Display for TransitionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.message, self.code)
    }
}

impl std::error::Error for TransitionError {}
