//! The one error type of the HTTP layer and its mapping to RFC 9457 problem documents.

use actix_web::http::header::{self, HeaderValue};
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use zhihui_contract::{FieldProblem, Problem};
use zhihui_persistence::StoreError;

pub const PROBLEM_JSON: &str = "application/problem+json";

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("validation failed")]
    Validation(Vec<FieldProblem>),
    #[error("{detail}")]
    BadRequest { code: &'static str, detail: String },
    #[error("authentication required")]
    Unauthenticated { code: &'static str, detail: String },
    #[error("{0}")]
    Forbidden(String),
    /// A refusal with its own code (an API client without the scope…).
    #[error("{detail}")]
    Denied { code: &'static str, detail: String },
    #[error("not found")]
    NotFound(&'static str),
    #[error("{message}")]
    Conflict { code: &'static str, message: String },
    #[error("precondition failed")]
    PreconditionFailed,
    #[error("too many requests")]
    TooManyRequests {
        code: &'static str,
        detail: String,
        retry_after_secs: i64,
    },
    /// A request too big to handle (413): a file over its limits, too many rows.
    #[error("{detail}")]
    TooLarge { code: &'static str, detail: String },
    #[error("service unavailable")]
    Unavailable,
    /// A deadlock or serialization failure: nothing was written; retrying is safe.
    #[error("database busy")]
    Busy,
    /// A capability the server is not set up for (e.g. the PDF font is missing).
    #[error("{detail}")]
    Unconfigured { code: &'static str, detail: String },
    #[error("internal error: {0}")]
    Internal(String),
    /// A status produced outside the handlers (no route, wrong method, body too large…).
    #[error("{1}")]
    Status(StatusCode, String),
}

impl ApiError {
    pub fn field(field: &str, code: &'static str, message: impl Into<String>) -> Self {
        ApiError::Validation(vec![FieldProblem {
            field: field.into(),
            code: code.into(),
            message: message.into(),
        }])
    }

    pub fn code(&self) -> &'static str {
        match self {
            ApiError::Validation(_) => "validation_failed",
            ApiError::BadRequest { code, .. } => code,
            ApiError::Unauthenticated { code, .. } => code,
            ApiError::Forbidden(_) => "forbidden",
            ApiError::Denied { code, .. } => code,
            ApiError::NotFound(code) => code,
            ApiError::Conflict { code, .. } => code,
            ApiError::PreconditionFailed => "version_mismatch",
            ApiError::TooManyRequests { code, .. } => code,
            ApiError::TooLarge { code, .. } => code,
            ApiError::Unavailable => "service_unavailable",
            ApiError::Busy => "database_busy",
            ApiError::Unconfigured { code, .. } => code,
            ApiError::Internal(_) => "internal_error",
            ApiError::Status(s, _) => match s.as_u16() {
                404 => "route_not_found",
                405 => "method_not_allowed",
                413 => "payload_too_large",
                415 => "unsupported_media_type",
                400 => "bad_request",
                _ => "http_error",
            },
        }
    }

    pub fn to_problem(&self) -> Problem {
        let status = self.status_code();
        let detail = match self {
            ApiError::Validation(errs) => Some(format!("{} field(s) are invalid", errs.len())),
            ApiError::Internal(_) => Some(
                "an unexpected error occurred; quote the x-request-id header when reporting it"
                    .into(),
            ),
            ApiError::Unavailable => Some("the database is unreachable; try again shortly".into()),
            ApiError::Busy => Some(
                "another change to the same records got there first; nothing was written, send the request again".into(),
            ),
            ApiError::NotFound(_) => Some("no such resource, or it is not visible to you".into()),
            ApiError::PreconditionFailed => Some(
                "the document changed since you read it; read it again and reapply your change"
                    .into(),
            ),
            other => Some(other.to_string()),
        };
        Problem {
            type_: format!("/problems/{}", self.code().replace('_', "-")),
            title: status.canonical_reason().unwrap_or("Error").to_string(),
            status: status.as_u16(),
            detail,
            code: self.code().to_string(),
            errors: match self {
                ApiError::Validation(e) => e.clone(),
                _ => vec![],
            },
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::BadRequest { .. } => StatusCode::BAD_REQUEST,
            ApiError::Unauthenticated { .. } => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) | ApiError::Denied { .. } => StatusCode::FORBIDDEN,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::Conflict { .. } => StatusCode::CONFLICT,
            ApiError::PreconditionFailed => StatusCode::PRECONDITION_FAILED,
            ApiError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::Unavailable | ApiError::Busy | ApiError::Unconfigured { .. } => {
                StatusCode::SERVICE_UNAVAILABLE
            }
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
            ApiError::Status(s, _) => *s,
        }
    }

    fn error_response(&self) -> HttpResponse {
        if let ApiError::Internal(cause) = self {
            tracing::error!(%cause, "request failed");
        }
        let mut res = HttpResponse::build(self.status_code());
        res.insert_header((header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON)));
        match self {
            ApiError::TooManyRequests {
                retry_after_secs, ..
            } => {
                res.insert_header((header::RETRY_AFTER, retry_after_secs.max(&1).to_string()));
            }
            ApiError::Unauthenticated { .. } => {
                res.insert_header((header::WWW_AUTHENTICATE, "Bearer"));
            }
            ApiError::Unavailable => {
                res.insert_header((header::RETRY_AFTER, "5"));
            }
            ApiError::Busy => {
                res.insert_header((header::RETRY_AFTER, "1"));
            }
            _ => {}
        }
        res.body(serde_json::to_string(&self.to_problem()).unwrap_or_default())
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => ApiError::NotFound("not_found"),
            StoreError::Conflict { code, message } => ApiError::Conflict { code, message },
            StoreError::VersionMismatch => ApiError::PreconditionFailed,
            StoreError::Unavailable(cause) => {
                tracing::warn!(%cause, "database unavailable");
                ApiError::Unavailable
            }
            StoreError::Contention(cause) => {
                tracing::warn!(%cause, "transaction lost a race; the client may retry");
                ApiError::Busy
            }
            StoreError::Db(e) => ApiError::Internal(e.to_string()),
            StoreError::Crypto => {
                ApiError::Internal("stored personal data could not be decrypted".into())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_and_codes_are_stable() {
        let cases: Vec<(ApiError, u16, &str)> = vec![
            (ApiError::field("x", "c", "m"), 422, "validation_failed"),
            (
                ApiError::BadRequest {
                    code: "malformed_json",
                    detail: "x".into(),
                },
                400,
                "malformed_json",
            ),
            (
                ApiError::Unauthenticated {
                    code: "invalid_token",
                    detail: "x".into(),
                },
                401,
                "invalid_token",
            ),
            (ApiError::Forbidden("no".into()), 403, "forbidden"),
            (
                ApiError::NotFound("organization_not_found"),
                404,
                "organization_not_found",
            ),
            (
                ApiError::Conflict {
                    code: "duplicate_id_number",
                    message: "x".into(),
                },
                409,
                "duplicate_id_number",
            ),
            (ApiError::PreconditionFailed, 412, "version_mismatch"),
            (
                ApiError::TooManyRequests {
                    code: "login_locked",
                    detail: "x".into(),
                    retry_after_secs: 3,
                },
                429,
                "login_locked",
            ),
            (ApiError::Unavailable, 503, "service_unavailable"),
            (ApiError::Busy, 503, "database_busy"),
            (
                ApiError::Internal("secret cause".into()),
                500,
                "internal_error",
            ),
            (
                ApiError::Status(StatusCode::METHOD_NOT_ALLOWED, "x".into()),
                405,
                "method_not_allowed",
            ),
        ];
        for (e, status, code) in cases {
            assert_eq!(e.status_code().as_u16(), status);
            let p = e.to_problem();
            assert_eq!(p.code, code);
            assert_eq!(p.status, status);
        }
    }

    #[test]
    fn internal_errors_say_nothing_about_the_cause() {
        let p = ApiError::Internal("SELECT * FROM secrets".into()).to_problem();
        assert!(!p.detail.unwrap_or_default().contains("SELECT"));
    }

    #[test]
    fn store_conflicts_keep_their_code() {
        let e: ApiError = StoreError::Conflict {
            code: "login_taken",
            message: "m".into(),
        }
        .into();
        assert_eq!(e.code(), "login_taken");
        let e: ApiError = StoreError::VersionMismatch.into();
        assert_eq!(e.status_code(), StatusCode::PRECONDITION_FAILED);
    }
}
