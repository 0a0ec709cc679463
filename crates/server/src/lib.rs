//! Configuration and commands of the `zhihui` binary.

use std::net::TcpListener;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::{bail, Context};
use figment::providers::{Env, Format, Serialized, Toml};
use figment::Figment;
use serde::{Deserialize, Serialize};
use zhihui_http::{ApiSettings, AppState, SystemClock};
use zhihui_persistence::{Crypto, Store};

/// Development defaults that production mode refuses.
pub const DEV_JWT_SECRET: &str = "development-only-jwt-secret-change-me";
pub const DEV_PII_KEY: &str = "ZGV2ZWxvcG1lbnQtb25seS1waWkta2V5LWNoYW5nZSE=";

/// Every setting; defaults < file (`ZHIHUI_CONFIG` or `./zhihui.toml`) < `ZHIHUI_*` variables.
#[derive(Clone, Serialize, Deserialize)]
pub struct Settings {
    /// `development` or `production`.
    pub mode: String,
    pub bind: String,
    pub data_dir: PathBuf,
    /// Empty: the embedded SQLite file `<data_dir>/zhihui.sqlite`.
    pub database_url: String,
    /// PostgreSQL connections this process keeps at most (SQLite uses one).
    pub database_pool_size: u32,
    /// How long a request waits for a free connection before a 503.
    pub database_acquire_timeout_millis: u64,
    pub jwt_secret: String,
    /// 32 bytes, base64: encrypts ID numbers and phones at rest.
    pub pii_key: String,
    pub access_token_ttl_secs: i64,
    pub refresh_token_ttl_days: i64,
    pub argon2_memory_kib: u32,
    pub argon2_iterations: u32,
    pub login_lock_after: i32,
    pub login_window_secs: i64,
    pub login_lock_secs: i64,
    pub login_slowdown_ms: u64,
    pub max_body_bytes: usize,
    pub frontend_dir: PathBuf,
    /// Directory holding NotoSansSC-Regular.ttf and NotoSansSC-Bold.ttf (scripts/fetch-fonts).
    pub font_dir: PathBuf,
    /// Public address of the web app, used in verification links and QR codes.
    pub public_base_url: String,
    /// Working days after an activity's end to confirm hours (rule 22).
    pub hours_confirmation_working_days: u32,
    /// Rounding of a session's remainder (rule 21): below this many minutes counts 0 …
    pub hours_zero_below_minutes: u32,
    /// … up to and including this many minutes counts half an hour, beyond a full hour.
    pub hours_half_up_to_minutes: u32,
    /// Lifetime of a check-in code before it rotates.
    pub check_in_code_secs: i64,
    /// Annual recognition thresholds (rule 26).
    pub recognition_volunteer_min_activities: i64,
    pub recognition_volunteer_min_hours: f64,
    pub recognition_team_min_members: i64,
    pub recognition_team_min_activities: i64,
    pub recognition_team_min_hours_per_member: f64,
    pub recognition_team_min_hours: f64,
    /// Days a recipient has to answer a pairing letter (rule 28).
    pub letter_answer_days: i64,
    /// Days a requester has to rate a served need (rule 51).
    pub need_rating_days: i64,
    /// Weights of the team suggestions for a need (rule 52): skills, pairing, closeness,
    /// load, ratings.
    pub need_weight_skills: f64,
    pub need_weight_pairing: f64,
    pub need_weight_closeness: f64,
    pub need_weight_load: f64,
    pub need_weight_rating: f64,
    /// Days into the next month a monthly report is on time (rule 40).
    pub report_grace_days: u32,
    /// Region-code prefixes with their activity rule, e.g. `4403:quarterly,1101:quarterly`.
    pub activity_rules: String,
    /// Requests a minute per account (or address, for anonymous callers).
    pub rate_limit_per_minute: u32,
    /// Registrations and failed sign-ins a minute per address (successful sign-ins and
    /// token refreshes are not counted here).
    pub auth_rate_limit_per_minute: u32,
    /// Whether `serve` applies the migrations first. With several replicas, turn it off and
    /// run `zhihui migrate` once before starting them.
    pub migrate_on_start: bool,
    /// Whether this replica sends webhook deliveries (any number of replicas may).
    pub webhook_delivery: bool,
    /// How often the webhook sender looks for new events and due retries, in milliseconds.
    pub webhook_poll_millis: u64,
    /// The first retry's wait, in seconds; each later one waits twice as long (up to four
    /// hours), for a day.
    pub webhook_retry_base_secs: i64,
    /// Days settled webhook deliveries (and their events) are kept.
    pub webhook_retention_days: i64,
    /// Also accept `http://` and local-network webhook addresses (development only).
    pub webhook_allow_insecure_urls: bool,
    /// Whether this replica sends notifications (any number of replicas may).
    pub notification_delivery: bool,
    /// How often the notification sender looks for new events and due reminders, in ms.
    pub notification_poll_millis: u64,
    /// The first retry of a failed email or SMS, in seconds; doubling, for a day.
    pub notification_retry_base_secs: i64,
    /// The SMTP server emails go through; empty: no emails.
    pub smtp_host: String,
    pub smtp_port: u16,
    /// `starttls` (port 587), `tls` (465) or `none` (a relay on a trusted network).
    pub smtp_security: String,
    pub smtp_username: String,
    pub smtp_password: String,
    /// The sender of notification emails, e.g. `智惠 <noreply@example.cn>`.
    pub smtp_from: String,
    /// The SMS gateway's URL; empty: no SMS.
    pub sms_gateway_url: String,
    /// The SMS gateway's key, sent as a bearer token.
    pub sms_gateway_key: String,
    /// Seconds roll-ups, the public activity list and account rights are kept in each
    /// process; a write this process answers forgets them at once, another replica's shows
    /// within this period. 0 keeps nothing.
    pub read_cache_secs: u64,
    /// Bytes of an import file at most.
    pub import_max_bytes: usize,
    /// Data rows of an import file at most.
    pub import_max_rows: usize,
    /// Seconds an import file may take to read.
    pub import_max_seconds: u64,
    /// Proxies (addresses or CIDR blocks, comma-separated) whose `X-Forwarded-For` and
    /// `Forwarded` headers name the client; empty: the socket's address is the client's.
    pub trusted_proxies: String,
    pub workers: usize,
    /// `json` or `pretty`.
    pub log_format: String,
    pub log_level: String,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            mode: "development".into(),
            bind: "127.0.0.1:8080".into(),
            data_dir: PathBuf::from("./data"),
            database_url: String::new(),
            database_pool_size: 20,
            database_acquire_timeout_millis: 3000,
            jwt_secret: DEV_JWT_SECRET.into(),
            pii_key: DEV_PII_KEY.into(),
            access_token_ttl_secs: 900,
            refresh_token_ttl_days: 30,
            argon2_memory_kib: 19_456,
            argon2_iterations: 2,
            login_lock_after: 5,
            login_window_secs: 900,
            login_lock_secs: 900,
            login_slowdown_ms: 250,
            max_body_bytes: 256 * 1024,
            frontend_dir: PathBuf::from("./frontend/dist"),
            font_dir: PathBuf::from("./target/fonts"),
            public_base_url: "http://127.0.0.1:8080".into(),
            hours_confirmation_working_days: 10,
            hours_zero_below_minutes: 15,
            hours_half_up_to_minutes: 45,
            check_in_code_secs: 300,
            recognition_volunteer_min_activities: 10,
            recognition_volunteer_min_hours: 20.0,
            recognition_team_min_members: 20,
            recognition_team_min_activities: 50,
            recognition_team_min_hours_per_member: 5.0,
            recognition_team_min_hours: 100.0,
            letter_answer_days: 30,
            need_rating_days: 30,
            need_weight_skills: 40.0,
            need_weight_pairing: 20.0,
            need_weight_closeness: 20.0,
            need_weight_load: 10.0,
            need_weight_rating: 10.0,
            report_grace_days: 5,
            activity_rules: String::new(),
            rate_limit_per_minute: 600,
            auth_rate_limit_per_minute: 30,
            migrate_on_start: true,
            webhook_delivery: true,
            webhook_poll_millis: 1000,
            webhook_retry_base_secs: 30,
            webhook_retention_days: 30,
            webhook_allow_insecure_urls: false,
            notification_delivery: true,
            notification_poll_millis: 2000,
            notification_retry_base_secs: 60,
            smtp_host: String::new(),
            smtp_port: 587,
            smtp_security: "starttls".into(),
            smtp_username: String::new(),
            smtp_password: String::new(),
            smtp_from: "智惠 <noreply@localhost>".into(),
            sms_gateway_url: String::new(),
            sms_gateway_key: String::new(),
            read_cache_secs: 5,
            import_max_bytes: 10 * 1024 * 1024,
            import_max_rows: 20_000,
            import_max_seconds: 30,
            trusted_proxies: String::new(),
            workers: 0,
            log_format: "json".into(),
            log_level: "info".into(),
        }
    }
}

impl std::fmt::Debug for Settings {
    /// Secrets are never printed.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("mode", &self.mode)
            .field("bind", &self.bind)
            .field("data_dir", &self.data_dir)
            .field(
                "database",
                &if self.database_url.is_empty() {
                    "sqlite"
                } else {
                    "external"
                },
            )
            .field("jwt_secret", &"***")
            .field("pii_key", &"***")
            .finish_non_exhaustive()
    }
}

impl Settings {
    pub fn load() -> anyhow::Result<Self> {
        let file = std::env::var("ZHIHUI_CONFIG").unwrap_or_else(|_| "zhihui.toml".into());
        let s: Settings = Figment::from(Serialized::defaults(Settings::default()))
            .merge(Toml::file(file))
            .merge(Env::prefixed("ZHIHUI_"))
            .extract()
            .context("reading configuration")?;
        Ok(s)
    }

    pub fn database_url(&self) -> anyhow::Result<String> {
        if !self.database_url.is_empty() {
            return Ok(self.database_url.clone());
        }
        std::fs::create_dir_all(&self.data_dir)
            .with_context(|| format!("creating {}", self.data_dir.display()))?;
        Ok(format!(
            "sqlite://{}?mode=rwc",
            self.data_dir.join("zhihui.sqlite").display()
        ))
    }

    /// Production refuses the development secrets, every secret that appears in the
    /// repository, and secrets too short or too regular to be random.
    pub fn check(&self) -> anyhow::Result<()> {
        if self.mode == "production" {
            if let Err(why) = check_production_secret(&self.jwt_secret, 32) {
                bail!("production mode needs ZHIHUI_JWT_SECRET set to a random secret of at least 32 characters (openssl rand -base64 48): {why}");
            }
            if let Err(why) = check_production_secret(&self.pii_key, 0) {
                bail!("production mode needs ZHIHUI_PII_KEY set to 32 random bytes in base64 (openssl rand -base64 32): {why}");
            }
            use base64::Engine;
            let key = base64::engine::general_purpose::STANDARD
                .decode(self.pii_key.trim())
                .unwrap_or_default();
            let distinct = key.iter().collect::<std::collections::HashSet<_>>().len();
            if key.len() == 32 && distinct < 20 {
                bail!("production mode needs ZHIHUI_PII_KEY set to 32 random bytes in base64 (openssl rand -base64 32): these 32 bytes are too regular to be random");
            }
        } else if self.mode != "development" {
            bail!("ZHIHUI_MODE is development or production");
        }
        Crypto::new(&self.pii_key).context("ZHIHUI_PII_KEY")?;
        Ok(())
    }

    /// The trusted proxies, parsed; a bad entry is a configuration error.
    fn trusted_proxies(&self) -> anyhow::Result<Vec<zhihui_http::client_address::IpNet>> {
        self.trusted_proxies
            .split(',')
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(|p| {
                zhihui_http::client_address::IpNet::parse(p).with_context(|| {
                    format!("ZHIHUI_TRUSTED_PROXIES: {p:?} is not an address or CIDR block")
                })
            })
            .collect()
    }

    pub fn api_settings(&self) -> anyhow::Result<ApiSettings> {
        Ok(ApiSettings {
            jwt_secret: self.jwt_secret.clone(),
            access_token_ttl_secs: self.access_token_ttl_secs,
            refresh_token_ttl_days: self.refresh_token_ttl_days,
            argon2_memory_kib: self.argon2_memory_kib,
            argon2_iterations: self.argon2_iterations,
            argon2_parallelism: 1,
            login_lock_after: self.login_lock_after,
            login_window_secs: self.login_window_secs,
            login_lock_secs: self.login_lock_secs,
            login_slowdown_ms: self.login_slowdown_ms,
            max_body_bytes: self.max_body_bytes,
            max_upload_bytes: 20 * 1024 * 1024,
            frontend_dir: Some(self.frontend_dir.clone()),
            rounding: zhihui_domain::hours::RoundingRule {
                zero_below_minutes: self.hours_zero_below_minutes,
                half_up_to_minutes: self.hours_half_up_to_minutes,
            },
            confirm_working_days: self.hours_confirmation_working_days,
            check_in_code_secs: self.check_in_code_secs.max(30),
            public_base_url: self.public_base_url.clone(),
            font_dir: Some(self.font_dir.clone()),
            recognition: zhihui_domain::RecognitionRule {
                volunteer_min_activities: self.recognition_volunteer_min_activities,
                volunteer_min_hours: self.recognition_volunteer_min_hours,
                team_min_members: self.recognition_team_min_members,
                team_min_activities: self.recognition_team_min_activities,
                team_min_hours_per_member: self.recognition_team_min_hours_per_member,
                team_min_hours: self.recognition_team_min_hours,
            },
            letter_answer_days: self.letter_answer_days.max(1),
            need_rating_days: self.need_rating_days.max(1),
            need_rank_weights: zhihui_domain::need::RankWeights {
                skills: self.need_weight_skills.max(0.0),
                pairing: self.need_weight_pairing.max(0.0),
                closeness: self.need_weight_closeness.max(0.0),
                load: self.need_weight_load.max(0.0),
                rating: self.need_weight_rating.max(0.0),
            },
            attachments_dir: self.data_dir.join("attachments"),
            report_grace_days: self.report_grace_days.min(28),
            rate_limit_per_minute: self.rate_limit_per_minute.max(1),
            auth_rate_limit_per_minute: self.auth_rate_limit_per_minute.max(1),
            webhooks: zhihui_http::WebhookSettings {
                deliver: self.webhook_delivery,
                poll: std::time::Duration::from_millis(self.webhook_poll_millis.max(10)),
                retry_base_secs: self.webhook_retry_base_secs.max(1),
                retention_days: self.webhook_retention_days.max(2),
                allow_insecure_urls: self.webhook_allow_insecure_urls,
            },
            notifications: zhihui_http::NotificationSettings {
                deliver: self.notification_delivery,
                poll: std::time::Duration::from_millis(self.notification_poll_millis.max(10)),
                retry_base_secs: self.notification_retry_base_secs.max(1),
                smtp: (!self.smtp_host.is_empty()).then(|| zhihui_http::SmtpSettings {
                    host: self.smtp_host.clone(),
                    port: self.smtp_port,
                    security: match self.smtp_security.as_str() {
                        "none" => zhihui_http::SmtpSecurity::None,
                        "tls" => zhihui_http::SmtpSecurity::Tls,
                        _ => zhihui_http::SmtpSecurity::StartTls,
                    },
                    username: (!self.smtp_username.is_empty()).then(|| self.smtp_username.clone()),
                    password: (!self.smtp_password.is_empty()).then(|| self.smtp_password.clone()),
                    from: self.smtp_from.clone(),
                }),
                sms: (!self.sms_gateway_url.is_empty()).then(|| zhihui_http::SmsSettings {
                    url: self.sms_gateway_url.clone(),
                    key: self.sms_gateway_key.clone(),
                }),
            },
            read_cache_secs: self.read_cache_secs.min(300),
            imports: zhihui_http::ImportLimits {
                max_bytes: self.import_max_bytes.max(1024),
                max_rows: self.import_max_rows.max(1),
                max_seconds: self.import_max_seconds.max(1),
            },
            trusted_proxies: self.trusted_proxies()?,
            activity_rules: self
                .activity_rules
                .split(',')
                .filter_map(|item| {
                    let (prefix, rule) = item.trim().split_once(':')?;
                    Some((
                        prefix.trim().to_string(),
                        zhihui_domain::ActivityRule::parse(rule.trim())?,
                    ))
                })
                .collect(),
        })
    }
}

/// Values of secrets that are public because the repository holds them: the development
/// defaults, the deployment example's placeholders and the tests' keys.
fn repository_secrets() -> Vec<String> {
    let mut known: Vec<String> = include_str!("../../../deploy/env.example")
        .lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .filter_map(|l| l.split_once('='))
        .map(|(_, v)| v.trim().trim_matches('"').to_string())
        .filter(|v| !v.is_empty())
        .collect();
    known.extend(
        [
            DEV_JWT_SECRET,
            DEV_PII_KEY,
            // tests/api/helpers.rs and the HTTP crate's test settings.
            "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
            "test-secret-test-secret-test-secret",
        ]
        .map(String::from),
    );
    known
}

/// A production secret: none of the repository's, at least `min_len` characters (when
/// non-zero), and about as varied as a random one: an estimate of its entropy (its length
/// times the Shannon entropy of its characters) of at least 128 bits for a text secret.
fn check_production_secret(secret: &str, min_len: usize) -> Result<(), &'static str> {
    let s = secret.trim();
    let lower = s.to_ascii_lowercase();
    if repository_secrets().iter().any(|k| k == s)
        || lower.contains("change-me")
        || lower.contains("changeme")
        || lower.contains("development")
    {
        return Err("this value is published in the repository or is a placeholder");
    }
    if min_len == 0 {
        return Ok(());
    }
    if s.chars().count() < min_len {
        return Err("too short");
    }
    let mut counts = std::collections::HashMap::new();
    for c in s.chars() {
        *counts.entry(c).or_insert(0usize) += 1;
    }
    let n = s.chars().count() as f64;
    let per_char: f64 = counts
        .values()
        .map(|&k| {
            let p = k as f64 / n;
            -p * p.log2()
        })
        .sum();
    if counts.len() < 12 || per_char * n < 128.0 {
        return Err("too regular to be random");
    }
    Ok(())
}

/// Opens and migrates the database and builds the store.
pub async fn open_store(settings: &Settings) -> anyhow::Result<Store> {
    open(settings, true).await
}

async fn open(settings: &Settings, migrate: bool) -> anyhow::Result<Store> {
    let pool = zhihui_persistence::PoolSettings {
        max_connections: settings.database_pool_size.max(1),
        acquire_timeout: std::time::Duration::from_millis(
            settings.database_acquire_timeout_millis.max(100),
        ),
    };
    let db = zhihui_persistence::connect(&settings.database_url()?, &pool)
        .await
        .context("connecting to the database")?;
    if migrate {
        zhihui_persistence::migrate(&db)
            .await
            .context("migrating the database")?;
    }
    Ok(Store::new(db, Crypto::new(&settings.pii_key)?))
}

pub async fn serve(settings: Settings) -> anyhow::Result<()> {
    settings.check()?;
    let store = open(&settings, settings.migrate_on_start).await?;
    let state = AppState::new(store, settings.api_settings()?, Arc::new(SystemClock));
    let listener =
        TcpListener::bind(&settings.bind).with_context(|| format!("binding {}", settings.bind))?;
    tracing::info!(address = %settings.bind, "serving; API at /api/v1, docs at /docs/");
    let workers = (settings.workers > 0).then_some(settings.workers);
    zhihui_http::build_server(listener, state, workers)?.await?;
    tracing::info!("stopped");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn production_refuses_development_secrets() {
        let mut s = Settings {
            mode: "production".into(),
            ..Settings::default()
        };
        assert!(s
            .check()
            .unwrap_err()
            .to_string()
            .contains("ZHIHUI_JWT_SECRET"));
        s.jwt_secret = "a-real-secret-of-enough-length-0123456789".into();
        assert!(s
            .check()
            .unwrap_err()
            .to_string()
            .contains("ZHIHUI_PII_KEY"));
        s.pii_key = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=".into();
        assert!(s.check().is_err(), "the tests' key is public");
        s.pii_key = "q8Xr2N0vJc5mY1tWzL7pHs3uKd9eBf4gRa6iOw2xTnE=".into();
        assert!(s.check().is_ok());
        s.pii_key = "c2hvcnQ=".into();
        assert!(s.check().is_err(), "a key that is not 32 bytes is refused");
        assert!(
            Settings::default().check().is_ok(),
            "development runs with the defaults"
        );
    }

    #[test]
    fn production_refuses_published_and_weak_secrets() {
        let strong_key = "q8Xr2N0vJc5mY1tWzL7pHs3uKd9eBf4gRa6iOw2xTnE=";
        for weak in [
            // deploy/env.example's placeholder, 39 characters.
            "change-me-change-me-change-me-change-me",
            "test-secret-test-secret-test-secret",
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            "abababababababababababababababababababab",
            "0123456789012345678901234567890123456789",
            "Short-but-random-9f8e",
        ] {
            let s = Settings {
                mode: "production".into(),
                jwt_secret: weak.into(),
                pii_key: strong_key.into(),
                ..Settings::default()
            };
            assert!(
                s.check()
                    .unwrap_err()
                    .to_string()
                    .contains("ZHIHUI_JWT_SECRET"),
                "{weak} is refused"
            );
        }
        for weak_key in [
            "change-me",
            // 32 bytes of one value.
            "QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUE=",
        ] {
            let s = Settings {
                mode: "production".into(),
                jwt_secret: "Yq3v9Xk2Lr8Nw5Tz1Bc7Hm4Pd6Fs0Gj2Ke8Ua".into(),
                pii_key: weak_key.into(),
                ..Settings::default()
            };
            assert!(
                s.check()
                    .unwrap_err()
                    .to_string()
                    .contains("ZHIHUI_PII_KEY"),
                "{weak_key}"
            );
        }
        assert!(
            repository_secrets().contains(&"change-me-change-me-change-me-change-me".to_string())
        );
    }

    #[test]
    fn debug_output_hides_secrets() {
        let s = Settings::default();
        let shown = format!("{s:?}");
        assert!(!shown.contains(DEV_JWT_SECRET) && !shown.contains(DEV_PII_KEY));
    }
}
