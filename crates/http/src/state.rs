//! Shared state of the running service.

use std::path::PathBuf;
use std::sync::Arc;

use zhihui_persistence::Store;

use crate::clock::Clock;
use crate::middleware::Metrics;

/// Settings the HTTP layer needs (the server crate builds them from configuration).
#[derive(Clone)]
pub struct ApiSettings {
    pub jwt_secret: String,
    pub access_token_ttl_secs: i64,
    pub refresh_token_ttl_days: i64,
    pub argon2_memory_kib: u32,
    pub argon2_iterations: u32,
    pub argon2_parallelism: u32,
    /// Failed logins within the window that lock the login.
    pub login_lock_after: i32,
    pub login_window_secs: i64,
    pub login_lock_secs: i64,
    /// Extra delay per recent failure, in milliseconds (capped at 2 s).
    pub login_slowdown_ms: u64,
    pub max_body_bytes: usize,
    pub max_upload_bytes: usize,
    /// Directory of the built web dashboard, served at `/` when present.
    pub frontend_dir: Option<PathBuf>,
}

impl ApiSettings {
    /// Fast settings for tests: cheap password hashing, no slowdown.
    pub fn for_tests() -> Self {
        Self {
            jwt_secret: "test-secret-test-secret-test-secret".into(),
            access_token_ttl_secs: 900,
            refresh_token_ttl_days: 30,
            argon2_memory_kib: 256,
            argon2_iterations: 1,
            argon2_parallelism: 1,
            login_lock_after: 5,
            login_window_secs: 900,
            login_lock_secs: 900,
            login_slowdown_ms: 0,
            max_body_bytes: 256 * 1024,
            max_upload_bytes: 20 * 1024 * 1024,
            frontend_dir: None,
        }
    }
}

#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub settings: Arc<ApiSettings>,
    pub clock: Arc<dyn Clock>,
    pub metrics: Arc<Metrics>,
    /// A hash of a random password, verified when the login is unknown so that
    /// unknown logins and wrong passwords take the same time.
    pub dummy_hash: Arc<String>,
}

impl AppState {
    pub fn new(store: Store, settings: ApiSettings, clock: Arc<dyn Clock>) -> Self {
        let dummy = crate::auth::hash_password_sync(&settings, &uuid::Uuid::new_v4().to_string())
            .unwrap_or_default();
        Self {
            store,
            settings: Arc::new(settings),
            clock,
            metrics: Arc::new(Metrics::default()),
            dummy_hash: Arc::new(dummy),
        }
    }
}
