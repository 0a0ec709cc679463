//! The one error type of the HTTP layer and its mapping to RFC 9457 problem documents.

use actix_web::http::header::{self, HeaderValue};
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use zhihui_contract::{FieldProblem, Problem};
use zhihui_domain::ProblemCode;
use zhihui_persistence::StoreError;

pub const PROBLEM_JSON: &str = "application/problem+json";

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("validation failed")]
    Validation(Vec<FieldProblem>),
    #[error("{detail}")]
    BadRequest { code: ProblemCode, detail: String },
    #[error("authentication required")]
    Unauthenticated { code: ProblemCode, detail: String },
    /// A refusal of who the caller is (403), with its specific code.
    #[error("{1}")]
    Forbidden(ProblemCode, String),
    /// A refusal with its own code (an API client without the scope…).
    #[error("{detail}")]
    Denied { code: ProblemCode, detail: String },
    #[error("not found")]
    NotFound(ProblemCode),
    #[error("{message}")]
    Conflict { code: ProblemCode, message: String },
    #[error("precondition failed")]
    PreconditionFailed,
    #[error("too many requests")]
    TooManyRequests {
        code: ProblemCode,
        detail: String,
        retry_after_secs: i64,
    },
    /// A request too big to handle (413): a file over its limits, too many rows.
    #[error("{detail}")]
    TooLarge { code: ProblemCode, detail: String },
    #[error("service unavailable")]
    Unavailable,
    /// A deadlock or serialization failure: nothing was written; retrying is safe.
    #[error("database busy")]
    Busy,
    /// A capability the server is not set up for (e.g. the PDF font is missing).
    #[error("{detail}")]
    Unconfigured { code: ProblemCode, detail: String },
    #[error("internal error: {0}")]
    Internal(String),
    /// A status produced outside the handlers (no route, wrong method, body too large…).
    #[error("{1}")]
    Status(StatusCode, String),
}

impl ApiError {
    pub fn field(field: &str, code: ProblemCode, message: impl Into<String>) -> Self {
        ApiError::Validation(vec![FieldProblem {
            field: field.into(),
            code,
            message: message.into(),
        }])
    }

    pub fn code(&self) -> ProblemCode {
        use ProblemCode as C;
        match self {
            ApiError::Validation(_) => C::ValidationFailed,
            ApiError::BadRequest { code, .. }
            | ApiError::Unauthenticated { code, .. }
            | ApiError::Forbidden(code, _)
            | ApiError::Denied { code, .. }
            | ApiError::NotFound(code)
            | ApiError::Conflict { code, .. }
            | ApiError::TooManyRequests { code, .. }
            | ApiError::TooLarge { code, .. }
            | ApiError::Unconfigured { code, .. } => *code,
            ApiError::PreconditionFailed => C::VersionMismatch,
            ApiError::Unavailable => C::ServiceUnavailable,
            ApiError::Busy => C::DatabaseBusy,
            ApiError::Internal(_) => C::InternalError,
            ApiError::Status(s, _) => match s.as_u16() {
                404 => C::RouteNotFound,
                405 => C::MethodNotAllowed,
                413 => C::PayloadTooLarge,
                415 => C::UnsupportedMediaType,
                _ => C::BadRequest,
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
            type_: format!("/problems/{}", self.code().as_str().replace('_', "-")),
            title: self.code().title_en().to_string(),
            status: status.as_u16(),
            detail,
            code: self.code(),
            errors: match self {
                ApiError::Validation(e) => e.clone(),
                _ => vec![],
            },
        }
    }
}

impl ResponseError for ApiError {
    /// The catalogue's status of the code; a bare status for errors raised outside the
    /// handlers (no route, wrong method…), which the catalogue names after their status.
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::Status(s, _) => *s,
            other => StatusCode::from_u16(other.code().status())
                .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
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

/// A document's state machine refused the action: a conflict with the rule's code.
impl From<zhihui_domain::TransitionError> for ApiError {
    fn from(e: zhihui_domain::TransitionError) -> Self {
        ApiError::Conflict {
            code: e.code,
            message: e.message,
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => ApiError::NotFound(ProblemCode::NotFound),
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

/// The catalogue as the Markdown page `docs/errors.md` (written by `zhihui-server errors`;
/// a test keeps the committed page current).
pub fn catalogue_markdown() -> String {
    use std::fmt::Write;
    use zhihui_domain::CodeKind;
    let mut out = String::from(
        "# Problem codes (错误代码)\n\n\
         Every error answer is an RFC 9457 problem document (`application/problem+json`) whose \
         `code` is one of the codes below; a 422 `validation_failed` lists each offending field \
         in `errors[]` with a field code. The table is generated from the catalogue in \
         `crates/domain/src/problem.rs` (`cargo run -q -p zhihui-server -- errors > docs/errors.md`); \
         the OpenAPI document lists, per operation and status, the codes it may answer \
         (`x-problem-codes`), and the dashboard shows each code's title in the reader's language.\n\n\
         | code | status | used as | English | 中文 |\n|---|---|---|---|---|\n",
    );
    for c in ProblemCode::ALL {
        let kind = match c.kind() {
            CodeKind::Problem => "problem",
            CodeKind::Field => "field",
            CodeKind::Both => "problem, field",
        };
        let _ = writeln!(
            out,
            "| `{}` | {} | {} | {} | {} |",
            c.as_str(),
            c.status(),
            kind,
            c.title_en(),
            c.title_zh()
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_and_codes_are_stable() {
        let cases: Vec<(ApiError, u16, &str)> = vec![
            (
                ApiError::field("x", ProblemCode::Required, "m"),
                422,
                "validation_failed",
            ),
            (
                ApiError::BadRequest {
                    code: ProblemCode::MalformedJson,
                    detail: "x".into(),
                },
                400,
                "malformed_json",
            ),
            (
                ApiError::Unauthenticated {
                    code: ProblemCode::InvalidToken,
                    detail: "x".into(),
                },
                401,
                "invalid_token",
            ),
            (
                ApiError::Forbidden(ProblemCode::NotYourOrganization, "no".into()),
                403,
                "not_your_organization",
            ),
            (
                ApiError::NotFound(ProblemCode::OrganizationNotFound),
                404,
                "organization_not_found",
            ),
            (
                ApiError::Conflict {
                    code: ProblemCode::DuplicateIdNumber,
                    message: "x".into(),
                },
                409,
                "duplicate_id_number",
            ),
            (ApiError::PreconditionFailed, 412, "version_mismatch"),
            (
                ApiError::TooManyRequests {
                    code: ProblemCode::LoginLocked,
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
            code: ProblemCode::LoginTaken,
            message: "m".into(),
        }
        .into();
        assert_eq!(e.code(), "login_taken");
        let e: ApiError = StoreError::VersionMismatch.into();
        assert_eq!(e.status_code(), StatusCode::PRECONDITION_FAILED);
    }
}
