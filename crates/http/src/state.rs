//! Shared state of the running service.

use std::path::PathBuf;
use std::sync::Arc;

use zhihui_domain::hours::RoundingRule;
use zhihui_domain::RecognitionRule;
use zhihui_persistence::{Blobs, Store};

use zhihui_contract::activities::ActivityView;
use zhihui_contract::reports::RollupView;

use crate::cache::{Generation, ReadCache};
use crate::clock::Clock;
use crate::middleware::Metrics;
use crate::pdf::PdfFonts;

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
    /// Rounding of service hours per session (rule 21).
    pub rounding: RoundingRule,
    /// Working days after an activity's end within which hours are confirmed (rule 22).
    pub confirm_working_days: u32,
    /// How long a check-in code lasts before the next one replaces it.
    pub check_in_code_secs: i64,
    /// Public address of the web app, for verification links and QR codes.
    pub public_base_url: String,
    /// Directory holding NotoSansSC-Regular.ttf and NotoSansSC-Bold.ttf.
    pub font_dir: Option<PathBuf>,
    /// Thresholds of the annual recognition (rule 26).
    pub recognition: RecognitionRule,
    /// Days a recipient has to answer a pairing letter before it expires (rule 28).
    pub letter_answer_days: i64,
    /// Days a requester has to rate a served need (rule 51).
    pub need_rating_days: i64,
    /// How suggestions weigh each factor (rule 52).
    pub need_rank_weights: zhihui_domain::need::RankWeights,
    /// Where attachments are kept by their content (`<data_dir>/attachments`).
    pub attachments_dir: PathBuf,
    /// Days into the next month a monthly report is still on time (rule 40).
    pub report_grace_days: u32,
    /// Regions (code prefixes) whose organisations must hold an activity a quarter rather
    /// than a month (rule 41); the longest prefix wins.
    pub activity_rules: Vec<(String, zhihui_domain::ActivityRule)>,
    /// Requests a minute per account (or per address for anonymous callers).
    pub rate_limit_per_minute: u32,
    /// Registrations and failed sign-ins a minute per address (successful sign-ins and
    /// token refreshes are not counted here).
    pub auth_rate_limit_per_minute: u32,
    pub webhooks: WebhookSettings,
    pub notifications: NotificationSettings,
    /// Bounds of a volunteer import.
    pub imports: ImportLimits,
    /// Proxies whose forwarded-address headers are believed (addresses or CIDR blocks);
    /// empty: the client's address is the socket's.
    pub trusted_proxies: Vec<crate::client_address::IpNet>,
    /// Seconds roll-ups, the public activity list and account rights are kept in this
    /// process (`crate::cache`); 0 keeps nothing.
    pub read_cache_secs: u64,
}

/// What one volunteer import may cost (file size, rows, inflated size, time).
#[derive(Clone, Copy, Debug)]
pub struct ImportLimits {
    /// Bytes of the uploaded file.
    pub max_bytes: usize,
    /// Data rows of a file.
    pub max_rows: usize,
    /// Seconds the file may take to read.
    pub max_seconds: u64,
}

impl Default for ImportLimits {
    fn default() -> Self {
        Self {
            max_bytes: 10 * 1024 * 1024,
            max_rows: 20_000,
            max_seconds: 30,
        }
    }
}

impl ImportLimits {
    /// The reader's limits: a workbook may inflate to 8 times the file's limit at most.
    pub fn table(&self) -> crate::tabular::TableLimits {
        crate::tabular::TableLimits {
            max_rows: self.max_rows,
            max_inflated_bytes: (self.max_bytes as u64).saturating_mul(8).max(1 << 20),
            deadline: std::time::Duration::from_secs(self.max_seconds.max(1)),
        }
    }
}

/// The webhook sender's settings.
/// The notification sender (`crate::notifier`).
#[derive(Clone, Debug)]
pub struct NotificationSettings {
    /// Whether this replica runs the sender (any number of replicas may).
    pub deliver: bool,
    /// How often it looks for new events, reminders due and deliveries due.
    pub poll: std::time::Duration,
    /// The first retry's wait; each later one doubles (up to four hours), for a day.
    pub retry_base_secs: i64,
    /// Email over SMTP; `None`: no emails.
    pub smtp: Option<SmtpSettings>,
    /// SMS through an HTTP gateway; `None`: no SMS.
    pub sms: Option<SmsSettings>,
}

/// How the connection to the SMTP server is secured.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SmtpSecurity {
    /// Plain SMTP (a relay on the same machine or network, and tests).
    None,
    /// STARTTLS on the submission port (587).
    StartTls,
    /// TLS from the first byte (465).
    Tls,
}

#[derive(Clone)]
pub struct SmtpSettings {
    pub host: String,
    pub port: u16,
    pub security: SmtpSecurity,
    pub username: Option<String>,
    pub password: Option<String>,
    /// The sender, e.g. `智惠 <noreply@example.cn>`.
    pub from: String,
}

impl std::fmt::Debug for SmtpSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpSettings")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("security", &self.security)
            .finish_non_exhaustive()
    }
}

/// An SMS gateway taking `POST <url>` with a bearer key and a JSON body of the template id,
/// its parameters and the rendered text.
#[derive(Clone)]
pub struct SmsSettings {
    pub url: String,
    pub key: String,
}

impl std::fmt::Debug for SmsSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmsSettings")
            .field("url", &self.url)
            .finish_non_exhaustive()
    }
}

#[derive(Clone, Debug)]
pub struct WebhookSettings {
    /// Whether this replica runs the sender.
    pub deliver: bool,
    /// How often it looks for new events and due retries.
    pub poll: std::time::Duration,
    /// The first retry's wait; each later one doubles (up to four hours), for a day.
    pub retry_base_secs: i64,
    /// Also accept `http://` and local-network addresses (development and tests).
    pub allow_insecure_urls: bool,
    /// Settled deliveries and their events are kept this many days, then forgotten.
    pub retention_days: i64,
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
            rounding: RoundingRule::default(),
            confirm_working_days: 10,
            check_in_code_secs: 300,
            public_base_url: "http://127.0.0.1:8080".into(),
            font_dir: None,
            recognition: RecognitionRule::default(),
            letter_answer_days: zhihui_domain::pairing::DEFAULT_ANSWER_DAYS,
            need_rating_days: zhihui_domain::need::DEFAULT_RATING_DAYS,
            need_rank_weights: zhihui_domain::need::RankWeights::default(),
            attachments_dir: std::env::temp_dir().join("zhihui-attachments"),
            report_grace_days: zhihui_domain::report::DEFAULT_GRACE_DAYS,
            activity_rules: vec![],
            rate_limit_per_minute: 100_000,
            auth_rate_limit_per_minute: 100_000,
            webhooks: WebhookSettings {
                deliver: true,
                poll: std::time::Duration::from_millis(50),
                retry_base_secs: 30,
                retention_days: 30,
                allow_insecure_urls: true,
            },
            notifications: NotificationSettings {
                deliver: false,
                poll: std::time::Duration::from_millis(50),
                retry_base_secs: 1,
                smtp: None,
                sms: None,
            },
            read_cache_secs: 5,
            imports: ImportLimits::default(),
            trusted_proxies: vec![],
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
    /// Fonts of printed documents, read on first use.
    pub fonts: Arc<PdfFonts>,
    /// Attachments, kept by their content.
    pub blobs: Blobs,
    /// Request counters for the rate limits.
    pub limiter: Arc<crate::ratelimit::RateLimiter>,
    /// Password hashes computed at once: one per core. Each argon2 hash holds its memory
    /// cost (19 MiB by default) while it runs, and more at once than there are cores only
    /// adds memory: 32 concurrent sign-ins grew the process by gigabytes that the
    /// allocator kept after they finished.
    pub password_work: Arc<tokio::sync::Semaphore>,
    /// Advanced after an answered write that may change a roll-up (`crate::cache::reach_of`);
    /// roll-ups kept from before it are computed again.
    pub writes: Arc<Generation>,
    /// Advanced after an answered write that may change an activity page (those above, and
    /// sign-ups, check-ins and check-outs).
    pub activity_writes: Arc<Generation>,
    /// Roll-ups by scope, period and day (`crate::cache`).
    pub rollups: Arc<ReadCache<RollupView>>,
    /// Pages of the activity list as anyone but an admin sees them, by filter.
    pub activity_pages: Arc<ReadCache<Vec<ActivityView>>>,
    /// A signed-in account's rights, by account, stamped with the store's access generation.
    pub rights: Arc<ReadCache<Rights>>,
    /// Figures of needs by scope, year and day.
    pub need_rollups: Arc<ReadCache<zhihui_contract::needs::NeedRollupView>>,
    /// Pages of the public board of needs as an anonymous visitor sees them, by filter.
    pub need_boards: Arc<ReadCache<zhihui_contract::needs::NeedPage>>,
    /// Hub centres' public reads (service points, exhibitions, stays) as an anonymous
    /// visitor sees them, by operation, query and day.
    pub hub_reads: Arc<ReadCache<serde_json::Value>>,
}

/// What the permission checks read of an account.
pub struct Rights {
    pub is_platform_admin: bool,
    pub admin_of: Vec<uuid::Uuid>,
}

impl AppState {
    pub fn new(store: Store, settings: ApiSettings, clock: Arc<dyn Clock>) -> Self {
        let dummy = crate::auth::hash_password_sync(&settings, &uuid::Uuid::new_v4().to_string())
            .unwrap_or_default();
        Self {
            store,
            settings: Arc::new(settings.clone()),
            clock,
            metrics: Arc::new(Metrics::default()),
            fonts: Arc::new(PdfFonts::new(settings.font_dir.clone())),
            blobs: Blobs::new(settings.attachments_dir.clone()),
            limiter: Arc::new(crate::ratelimit::RateLimiter::default()),
            dummy_hash: Arc::new(dummy),
            password_work: Arc::new(tokio::sync::Semaphore::new(
                std::thread::available_parallelism().map_or(1, |n| n.get()),
            )),
            writes: Arc::default(),
            activity_writes: Arc::default(),
            rollups: Arc::new(ReadCache::new(settings.read_cache_secs, 2_000)),
            activity_pages: Arc::new(ReadCache::new(settings.read_cache_secs, 2_000)),
            rights: Arc::new(ReadCache::new(settings.read_cache_secs, 100_000)),
            need_rollups: Arc::new(ReadCache::new(settings.read_cache_secs, 2_000)),
            need_boards: Arc::new(ReadCache::new(settings.read_cache_secs, 2_000)),
            hub_reads: Arc::new(ReadCache::new(settings.read_cache_secs, 5_000)),
        }
    }
}
