//! Storage of Zhihui (智惠): entities, migrations, repositories, and encryption of
//! personal data at rest. All SQL of the product lives in this crate.

pub mod blobs;
pub mod crypto;
pub mod entities;
pub mod migration;
mod repo;
pub mod seed;

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};
use std::time::Duration;
use zhihui_domain::ProblemCode;

use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend, DbErr, SqlErr,
};
use sea_orm_migration::MigratorTrait;

pub use blobs::Blobs;
pub use crypto::Crypto;
pub use repo::accounts::{RefreshOutcome, ThrottleState};
pub use repo::activities::{
    ActivityChanges, ActivityFilter, AttendanceEntry, Cancellation, NewActivity, SignUpGround,
    SignUpRow, SignedUp,
};
pub use repo::api_clients::NewApiClient;
pub use repo::applications::{
    ApplicationContent, ApplicationFilter, Apply, CallContent, Change, NewAttachment, ReviewInput,
    Scope,
};
pub use repo::idempotency::KeyState;
pub use repo::imports::{ImportMeta, ImportRefusal, ImportRow};
pub use repo::organizations::{NewOrganization, OrganizationChanges, OrganizationFilter, Viewer};
pub use repo::pairing::{LetterContent, LetterFilter, LetterStep, PairingFilter};
pub use repo::records::{
    Confirmed, HoursEntry, NewCertificate, Nominee, RecordContext, RecordFilter, RecordedService,
    Totals, VolunteerTotals,
};
pub use repo::reports::{
    Bucket, BucketFigures, Figures, Period, ReportContent, ReportFilter, ReportStep, RollRules,
    RollScope, RollupRows,
};
pub use repo::volunteers::{MemberRow, NewVolunteer};
pub use repo::webhooks::{
    endpoint_event_types, AttemptOutcome, DueDelivery, NewWebhookEndpoint, WebhookChanges,
};
pub use repo::Actor;

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

/// A status read back from a row, as its domain enum.
pub(crate) fn stored<T>(parsed: Option<T>, column: &str, value: &str) -> StoreResult<T> {
    parsed
        .ok_or_else(|| StoreError::Db(sea_orm::DbErr::Custom(format!("stored {column} `{value}`"))))
}

/// The repositories over one connection pool.
#[derive(Clone)]
pub struct Store {
    pub(crate) db: DatabaseConnection,
    pub(crate) crypto: Crypto,
    /// Region names by code, read once: the region list comes with a migration and no
    /// request changes it, while nearly every list names its regions.
    pub(crate) region_names: Arc<OnceLock<Arc<HashMap<String, String>>>>,
    /// Advanced after every committed change to who may do what (an account's platform
    /// right, an admin seat, a new organisation's first admin), so that rights kept by the
    /// caller for a few seconds are read again at once.
    pub(crate) access_changes: Arc<std::sync::atomic::AtomicU64>,
}

/// The connection pool's size and patience.
#[derive(Debug, Clone)]
pub struct PoolSettings {
    /// PostgreSQL connections at most (SQLite uses one).
    pub max_connections: u32,
    /// How long a query waits for a free connection; past it the caller gets
    /// [`StoreError::Unavailable`] (a 503), so a database that went away answers quickly.
    pub acquire_timeout: Duration,
}

impl Default for PoolSettings {
    fn default() -> Self {
        Self {
            max_connections: 20,
            acquire_timeout: Duration::from_secs(3),
        }
    }
}

/// A PostgreSQL connection idle for longer than this is checked before it is used.
const IDLE_BEFORE_PING: Duration = Duration::from_secs(1);

/// Opens the database. SQLite files are created when missing; an SQLite pool holds a
/// single connection so that write transactions are serialised (the embedded default
/// serves one writer at a time; PostgreSQL is for load).
pub async fn connect(url: &str, pool: &PoolSettings) -> Result<DatabaseConnection, DbErr> {
    if !url.starts_with("sqlite:") {
        return connect_postgres(url, pool).await;
    }
    let mut opts = ConnectOptions::new(url.to_string());
    opts.sqlx_logging(false)
        .acquire_timeout(pool.acquire_timeout)
        .connect_timeout(Duration::from_secs(5))
        .max_connections(1)
        .min_connections(1);
    let db = Database::connect(opts).await?;
    db.execute_unprepared(
        "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=5000;",
    )
    .await?;
    Ok(db)
}

/// The PostgreSQL pool, built here rather than by sea-orm for its check before use.
///
/// The pool's own check (`test_before_acquire`, on by default) pings every connection
/// before every use: a second round trip on every request, as costly as the statement it
/// preceded. Without it the summary and `/readyz` answered a quarter to a third more requests
/// per second. But a connection PostgreSQL has closed (a restart, a failover) would then
/// fail its next statement: after a restart while the service was idle, its first sixteen
/// requests answered 503. So only a connection idle for more than a second is pinged, and
/// one that does not answer is dropped for another. Under load connections are never idle that
/// long; after a quiet spell the first request of each connection pays one ping.
async fn connect_postgres(url: &str, pool: &PoolSettings) -> Result<DatabaseConnection, DbErr> {
    use sea_orm::sqlx::postgres::{PgConnectOptions, PgPoolOptions};
    use sea_orm::sqlx::{ConnectOptions as _, Connection as _};
    let lost = |e: sea_orm::sqlx::Error| DbErr::Conn(sea_orm::RuntimeErr::SqlxError(e));
    // The roll-ups are a handful of grouped scans whose cost estimates cross the JIT
    // threshold: compiling them took longer (about half a second nationally) than running
    // them. Their hash aggregates over 100,000 organisations need more than the default
    // 4 MB to stay in memory.
    let options = url
        .parse::<PgConnectOptions>()
        .map_err(lost)?
        .disable_statement_logging()
        .options([("jit", "off"), ("work_mem", "32MB")]);
    let pg = PgPoolOptions::new()
        .max_connections(pool.max_connections)
        .min_connections(1)
        .acquire_timeout(pool.acquire_timeout)
        .test_before_acquire(false)
        .before_acquire(|conn, meta| {
            Box::pin(
                async move { Ok(meta.idle_for < IDLE_BEFORE_PING || conn.ping().await.is_ok()) },
            )
        })
        .connect_with(options)
        .await
        .map_err(lost)?;
    Ok(sea_orm::SqlxPostgresConnector::from_sqlx_postgres_pool(pg))
}

pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    migration::Migrator::up(db, None).await
}

impl Store {
    pub fn new(db: DatabaseConnection, crypto: Crypto) -> Self {
        Self {
            db,
            crypto,
            region_names: Arc::default(),
            access_changes: Arc::default(),
        }
    }

    /// How many changes of rights this store has committed (see `access_changes`).
    pub fn access_generation(&self) -> u64 {
        self.access_changes
            .load(std::sync::atomic::Ordering::Acquire)
    }

    pub(crate) fn access_changed(&self) {
        self.access_changes
            .fetch_add(1, std::sync::atomic::Ordering::AcqRel);
    }

    pub fn connection(&self) -> &DatabaseConnection {
        &self.db
    }

    pub fn crypto(&self) -> &Crypto {
        &self.crypto
    }

    /// One round trip, for readiness.
    pub async fn ping(&self) -> StoreResult<()> {
        self.db
            .ping()
            .await
            .map_err(|e| StoreError::Unavailable(e.to_string()))
    }

    pub(crate) fn is_postgres(&self) -> bool {
        self.db.get_database_backend() == DbBackend::Postgres
    }

    pub fn encrypt(&self, plain: &str) -> String {
        self.crypto.encrypt(plain)
    }

    pub fn decrypt(&self, stored: &str) -> StoreResult<String> {
        self.crypto.decrypt(stored).map_err(|_| StoreError::Crypto)
    }
}
