//! The storage layer's one error type and how database errors map to it.

use sea_orm::{DbErr, SqlErr};
use zhihui_domain::ProblemCode;

/// Errors of the storage layer; unique violations arrive as `Conflict`.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    #[error("{message}")]
    Conflict {
        code: zhihui_domain::ProblemCode,
        message: String,
    },
    #[error("the document changed since it was read")]
    VersionMismatch,
    #[error("database unavailable: {0}")]
    Unavailable(String),
    /// The transaction lost a race it could not win by waiting (a deadlock, a serialization
    /// failure, a lock not available): nothing was written, and the same request may be
    /// sent again.
    #[error("database contention: {0}")]
    Contention(String),
    #[error("database error: {0}")]
    Db(DbErr),
    #[error("stored data could not be decrypted")]
    Crypto,
}

impl From<DbErr> for StoreError {
    fn from(e: DbErr) -> Self {
        if let Some(SqlErr::UniqueConstraintViolation(m)) = e.sql_err() {
            return StoreError::Conflict {
                code: ProblemCode::Conflict,
                message: format!("a unique value is already taken ({})", unique_hint(&m)),
            };
        }
        if connection_lost(&e) {
            StoreError::Unavailable(e.to_string())
        } else if sqlstate(&e).is_some_and(|c| matches!(c.as_str(), "40P01" | "40001" | "55P03")) {
            StoreError::Contention(e.to_string())
        } else {
            StoreError::Db(e)
        }
    }
}

/// Whether an error means the database is away (not reachable, restarting, the connection
/// dropped mid-query) rather than that the statement was wrong: callers answer 503 and the
/// pool reconnects on its own.
fn connection_lost(e: &DbErr) -> bool {
    use sea_orm::sqlx::Error as Sqlx;
    let runtime = match e {
        DbErr::ConnectionAcquire(_) | DbErr::Conn(_) => return true,
        DbErr::Exec(r) | DbErr::Query(r) => r,
        _ => return false,
    };
    match runtime {
        sea_orm::RuntimeErr::SqlxError(s) => match s {
            Sqlx::Io(_)
            | Sqlx::Tls(_)
            | Sqlx::PoolTimedOut
            | Sqlx::PoolClosed
            | Sqlx::WorkerCrashed
            | Sqlx::Protocol(_) => true,
            // PostgreSQL: connection exceptions (08…), shutting down or starting (57P01-03).
            Sqlx::Database(d) => d
                .code()
                .is_some_and(|c| c.starts_with("08") || matches!(&*c, "57P01" | "57P02" | "57P03")),
            _ => false,
        },
        _ => false,
    }
}

/// The SQLSTATE of a database error, when the database gave one.
fn sqlstate(e: &DbErr) -> Option<String> {
    match e {
        DbErr::Exec(sea_orm::RuntimeErr::SqlxError(sea_orm::sqlx::Error::Database(d)))
        | DbErr::Query(sea_orm::RuntimeErr::SqlxError(sea_orm::sqlx::Error::Database(d))) => {
            d.code().map(|c| c.into_owned())
        }
        _ => None,
    }
}

fn unique_hint(m: &str) -> &'static str {
    for (needle, hint) in [
        ("name_key", "organisation name"),
        ("credit_code", "credit code"),
        ("id_number_hash", "ID number"),
        ("login", "login"),
        ("account_id", "account"),
        ("ux_memberships_active", "membership"),
    ] {
        if m.contains(needle) {
            return hint;
        }
    }
    "unique field"
}

pub type StoreResult<T> = Result<T, StoreError>;

/// A document's state machine refused the action (the domain's one rule, applied to the
/// row the repository read): a conflict with the rule's code.
impl From<zhihui_domain::TransitionError> for StoreError {
    fn from(e: zhihui_domain::TransitionError) -> Self {
        StoreError::Conflict {
            code: e.code,
            message: e.message,
        }
    }
}
