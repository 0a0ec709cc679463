//! The request checks are the contract's (`zhihui_contract::form`), shared with the dashboard;
//! here a refusal becomes the service's 422 answer.

pub use zhihui_contract::form::{Problems, Rejected};

use crate::error::ApiError;

impl From<Rejected> for ApiError {
    fn from(r: Rejected) -> Self {
        ApiError::Validation(r.0)
    }
}
