//! `spawn_app`: the real service on port 0 over a fresh database per test.

use std::net::TcpListener;
use std::sync::Arc;

use chrono::TimeZone;
use reqwest::{Client, Method, Response};
use sea_orm::{ConnectionTrait, Database};
use serde_json::{json, Value};
use uuid::Uuid;
use zhihui_http::{ApiSettings, AppState, ManualClock};
use zhihui_persistence::{Crypto, Store};

pub const PII_KEY: &str = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";

#[derive(Clone, Copy, Debug)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub struct TestApp {
    pub address: String,
    pub client: Client,
    pub store: Store,
    pub clock: ManualClock,
    pub settings: ApiSettings,
    /// The database, for tests that reach under the API (triggers, restarts).
    pub database_url: String,
    pub server: actix_web::dev::ServerHandle,
}

/// Runs a test body on SQLite, and on PostgreSQL when `ZHIHUI_TEST_POSTGRES_URL` is set.
#[macro_export]
macro_rules! dual_test {
    ($name:ident, $body:expr) => {
        $crate::dual_test!($name, |_s: &mut zhihui_http::ApiSettings| {}, $body);
    };
    ($name:ident, $tune:expr, $body:expr) => {
        mod $name {
            use super::*;
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let app =
                    $crate::helpers::spawn_app_with($crate::helpers::Backend::Sqlite, $tune).await;
                let done = $crate::helpers::Shutdown::of(&app);
                ($body)(app).await;
                done.run().await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                if std::env::var("ZHIHUI_TEST_POSTGRES_URL").is_err() {
                    eprintln!("ZHIHUI_TEST_POSTGRES_URL not set: PostgreSQL variant not run");
                    return;
                }
                let app =
                    $crate::helpers::spawn_app_with($crate::helpers::Backend::Postgres, $tune)
                        .await;
                let done = $crate::helpers::Shutdown::of(&app);
                ($body)(app).await;
                done.run().await;
            }
        }
    };
}

async fn database_url(backend: Backend) -> String {
    match backend {
        Backend::Sqlite => {
            let dir = std::env::temp_dir().join("zhihui-tests");
            std::fs::create_dir_all(&dir).unwrap();
            format!(
                "sqlite://{}?mode=rwc",
                dir.join(format!("{}.sqlite", Uuid::new_v4())).display()
            )
        }
        Backend::Postgres => {
            let admin_url = std::env::var("ZHIHUI_TEST_POSTGRES_URL").unwrap();
            let name = format!("zhihui_test_{}", Uuid::new_v4().simple());
            let admin = Database::connect(&admin_url).await.unwrap();
            admin
                .execute_unprepared(&format!("CREATE DATABASE {name}"))
                .await
                .unwrap();
            admin.close().await.unwrap();
            let base = admin_url
                .rsplit_once('/')
                .map(|(b, _)| b.to_string())
                .unwrap();
            format!("{base}/{name}")
        }
    }
}

pub async fn spawn_app(backend: Backend) -> TestApp {
    spawn_app_with(backend, |_| {}).await
}

/// Tests that move the clock by days keep their tokens valid with a long access-token life.
pub fn long_sessions(s: &mut ApiSettings) {
    s.access_token_ttl_secs = 90 * 24 * 3600;
}

pub async fn spawn_app_with(backend: Backend, tune: impl FnOnce(&mut ApiSettings)) -> TestApp {
    let url = database_url(backend).await;
    let clock = ManualClock::new(chrono::Utc.with_ymd_and_hms(2026, 6, 1, 2, 0, 0).unwrap());
    serve_on(url, clock, tune).await
}

/// Starts the service over an existing database (a fresh one, or a restart's).
async fn serve_on(url: String, clock: ManualClock, tune: impl FnOnce(&mut ApiSettings)) -> TestApp {
    let db = zhihui_persistence::connect(&url, &Default::default())
        .await
        .unwrap();
    zhihui_persistence::migrate(&db).await.unwrap();
    let store = Store::new(db, Crypto::new(PII_KEY).unwrap());
    let mut settings = ApiSettings::for_tests();
    // Fetched by scripts/fetch-fonts (the test command runs it).
    settings.font_dir =
        Some(std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/fonts"));
    settings.public_base_url = "https://zhihui.example.cn".into();
    tune(&mut settings);
    let state = AppState::new(store.clone(), settings.clone(), Arc::new(clock.clone()));
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = zhihui_http::build_server(listener, state, Some(2)).unwrap();
    let handle = server.handle();
    tokio::spawn(server);
    TestApp {
        address: format!("http://127.0.0.1:{port}"),
        client: Client::new(),
        store,
        clock,
        settings,
        database_url: url,
        server: handle,
    }
}

/// Stops a test's service and closes its pool before the test's runtime goes away, so
/// that no pool task is still running while the runtime shuts down (the pool's upkeep
/// task could spin there and keep the test from ending).
pub struct Shutdown {
    server: actix_web::dev::ServerHandle,
    db: sea_orm::DatabaseConnection,
}

impl Shutdown {
    pub fn of(app: &TestApp) -> Self {
        Self {
            server: app.server.clone(),
            db: app.store.connection().clone(),
        }
    }

    pub async fn run(self) {
        self.server.stop(true).await;
        let _ = self.db.close().await;
    }
}

/// A signed-in account.
#[derive(Clone)]
pub struct User {
    pub id: Uuid,
    pub token: String,
    pub refresh: String,
}

pub const PASSWORD: &str = "correct-horse-42";

impl TestApp {
    /// Stops this service and starts another over the same database and clock, as a
    /// restart or a second replica would.
    pub async fn restart(self, tune: impl FnOnce(&mut ApiSettings)) -> TestApp {
        self.server.stop(true).await;
        serve_on(self.database_url, self.clock, tune).await
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    pub async fn call(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Response {
        let mut r = self.client.request(method, self.url(path));
        if let Some(t) = token {
            r = r.bearer_auth(t);
        }
        if let Some(b) = body {
            r = r.json(&b);
        }
        r.send().await.unwrap()
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> (u16, Value) {
        split(self.call(Method::GET, path, token, None).await).await
    }

    pub async fn post(&self, path: &str, token: Option<&str>, body: Value) -> (u16, Value) {
        split(self.call(Method::POST, path, token, Some(body)).await).await
    }

    /// A PUT without `If-Match`.
    pub async fn put(&self, path: &str, token: &str, body: Value) -> (u16, Value) {
        split(self.call(Method::PUT, path, Some(token), Some(body)).await).await
    }

    /// A PUT with the version read (`If-Match`), if any: the answer and its ETag.
    pub async fn put_if(
        &self,
        path: &str,
        token: &str,
        body: Value,
        if_match: Option<&str>,
    ) -> (u16, Value, Option<String>) {
        let mut r = self
            .client
            .request(Method::PUT, self.url(path))
            .bearer_auth(token)
            .json(&body);
        if let Some(m) = if_match {
            r = r.header("If-Match", m);
        }
        let res = r.send().await.unwrap();
        let etag = res
            .headers()
            .get("etag")
            .map(|v| v.to_str().unwrap().to_string());
        let (s, b) = split(res).await;
        (s, b, etag)
    }

    pub async fn delete(&self, path: &str, token: &str) -> (u16, Value) {
        split(self.call(Method::DELETE, path, Some(token), None).await).await
    }

    pub async fn user(&self, login: &str) -> User {
        let (s, b) = self
            .post(
                "/api/v1/accounts",
                None,
                json!({"login": login, "password": PASSWORD, "display_name": "测试用户"}),
            )
            .await;
        assert_eq!(s, 201, "{b}");
        self.login(login).await
    }

    pub async fn login(&self, login: &str) -> User {
        let (s, b) = self
            .post(
                "/api/v1/auth/login",
                None,
                json!({"login": login, "password": PASSWORD}),
            )
            .await;
        assert_eq!(s, 200, "{b}");
        let (_, me) = self.get("/api/v1/me", b["access_token"].as_str()).await;
        User {
            id: me["id"].as_str().unwrap().parse().unwrap(),
            token: b["access_token"].as_str().unwrap().into(),
            refresh: b["refresh_token"].as_str().unwrap().into(),
        }
    }

    pub async fn platform_admin(&self) -> User {
        zhihui_http::auth::create_platform_admin(
            &self.store,
            &self.settings,
            "admin@zhihui.test",
            "平台管理员",
            PASSWORD,
        )
        .await
        .unwrap();
        self.login("admin@zhihui.test").await
    }

    /// Registers an organisation as `owner`; returns its id.
    pub async fn organization(
        &self,
        owner: &User,
        name: &str,
        category: &str,
        level: &str,
        parent: Option<&str>,
        region: &str,
    ) -> String {
        let (s, b) = self
            .post(
                "/api/v1/organizations",
                Some(&owner.token),
                json!({
                    "name": name, "category": category, "level": level, "parent_id": parent,
                    "region_code": region, "contact_name": "王芳", "contact_phone": "13800138000"
                }),
            )
            .await;
        assert_eq!(s, 201, "{b}");
        b["id"].as_str().unwrap().to_string()
    }

    /// A top-level organisation registered by `owner` and approved by the platform admin.
    pub async fn approved(
        &self,
        platform: &User,
        owner: &User,
        name: &str,
        category: &str,
        level: &str,
        region: &str,
    ) -> String {
        let id = self
            .organization(owner, name, category, level, None, region)
            .await;
        let (s, b) = self
            .post(
                &format!("/api/v1/organizations/{id}/approve"),
                Some(&platform.token),
                json!({}),
            )
            .await;
        assert_eq!(s, 200, "{b}");
        id
    }
}

pub async fn split(r: Response) -> (u16, Value) {
    let s = r.status().as_u16();
    let text = r.text().await.unwrap();
    (
        s,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

/// A valid ID number for a birth date, with the check character computed.
pub fn id_number(area: &str, birth: &str, seq: &str) -> String {
    let first17 = format!("{area}{birth}{seq}");
    let c = zhihui_domain::id_number::check_character(first17.as_bytes()).unwrap();
    format!("{first17}{c}")
}

pub fn volunteer_body(id: &str) -> Value {
    json!({
        "name": "李明", "id_number": id, "phone": "13912345678", "region_code": "110105",
        "skills": ["农业技术"], "service_categories": ["science_popularisation"],
        "consent": {"agreement_version": "2025-01", "accepted": true}
    })
}

pub fn fields(problem: &Value) -> Vec<(String, String)> {
    problem["errors"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|e| {
                    (
                        e["field"].as_str().unwrap_or("").to_string(),
                        e["code"].as_str().unwrap_or("").to_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}
