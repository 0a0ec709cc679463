//! Existence oracles made expensive and visible.
//!
//! One person, one registration: registering an ID number that is already registered must
//! fail, and so must registering a login that is taken. Each such refusal tells the caller
//! that the number or the login exists — under PIPL the first is itself personal
//! information. The refusals stay (they are the rules), but each one is counted against the
//! caller in the database (shared by every replica), logged without the value, and after a
//! few the caller is refused further attempts for a while, whether or not the next value
//! exists. The ID-number refusal says no more than that the number cannot be registered.

use chrono::Duration;
use uuid::Uuid;
use zhihui_domain::ProblemCode;
use zhihui_persistence::ThrottleState;

use crate::error::ApiError;
use crate::state::AppState;

/// A kind of probe and its budget.
#[derive(Debug, Clone, Copy)]
pub struct Budget {
    /// Names the counter in the throttle table.
    prefix: &'static str,
    /// Refusals within the window that use up the budget.
    pub allowed: i32,
    pub window: Duration,
    /// How long the caller then waits.
    pub lock: Duration,
}

/// Registering an ID number that is already registered: three a day per account.
pub const ID_NUMBER_CONFLICTS: Budget = Budget {
    prefix: "oracle:id_number:",
    allowed: 3,
    window: Duration::hours(24),
    lock: Duration::hours(24),
};

/// Registering a login that is taken: ten an hour per address.
pub const LOGIN_CONFLICTS: Budget = Budget {
    prefix: "oracle:login:",
    allowed: 10,
    window: Duration::hours(1),
    lock: Duration::hours(1),
};

fn key(b: &Budget, subject: &str) -> String {
    // The throttle table is keyed by a hash, as sign-in failures are.
    crate::auth::sha256_hex(&format!("{}{subject}", b.prefix))
}

/// Refuses the caller whose budget is used up (429 with `Retry-After`).
pub async fn check(state: &AppState, b: &Budget, subject: &str) -> Result<(), ApiError> {
    let now = state.clock.now();
    match state.store.throttle_state(&key(b, subject), now, b.window).await? {
        ThrottleState::Locked { until } => Err(ApiError::TooManyRequests {
            code: ProblemCode::TooManyConflicts,
            detail: "too many registrations were refused for this caller; try again later or contact the platform".into(),
            retry_after_secs: (until - now).num_seconds().max(1),
        }),
        ThrottleState::Open { .. } => Ok(()),
    }
}

/// The answer to a registration refused because the value exists: the refusal is counted
/// against the caller and logged (never the value), and the caller is told `code` with a
/// `message` that says no more than that the value cannot be registered.
pub async fn refused(
    state: &AppState,
    b: &Budget,
    subject: &str,
    account: Option<Uuid>,
    code: zhihui_domain::ProblemCode,
    message: &str,
) -> ApiError {
    tracing::warn!(
        probe = b.prefix.trim_end_matches(':'),
        account = ?account,
        "a registration was refused because the value is already registered"
    );
    let counted = state
        .store
        .record_login_failure(
            &key(b, subject),
            state.clock.now(),
            b.window,
            b.allowed,
            b.lock,
        )
        .await;
    match counted {
        Ok(()) => ApiError::Conflict {
            code,
            message: message.into(),
        },
        Err(e) => e.into(),
    }
}
