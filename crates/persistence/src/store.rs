//! The repositories' handle: one connection pool, the personal-data cipher and the few
//! things kept in memory. The repositories themselves are `impl Store` blocks in `repo/`.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend, DbErr};
use sea_orm_migration::MigratorTrait;

use crate::{Crypto, StoreError, StoreResult};

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
    crate::migration::Migrator::up(db, None).await
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
