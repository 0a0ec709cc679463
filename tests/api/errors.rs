use reqwest::Method;
use serde_json::json;

use crate::dual_test;
use crate::fixtures::*;
use crate::helpers::*;

dual_test!(
    malformed_and_misrouted_requests_answer_problem_documents,
    |app: TestApp| async move {
        let r = app
            .client
            .post(app.url("/api/v1/accounts"))
            .header("content-type", "application/json")
            .body("{bad")
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 400);
        assert_eq!(r.headers()["content-type"], "application/problem+json");
        assert!(r.headers().contains_key("x-request-id"));
        let (_, b) = split(r).await;
        assert_eq!(b["code"], "malformed_json");

        let r = app
            .client
            .post(app.url("/api/v1/accounts"))
            .header("content-type", "text/plain")
            .body("x")
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 415);
        assert_eq!(r.headers()["content-type"], "application/problem+json");

        let (s, b) = split(
            app.call(Method::GET, "/api/v1/nothing-here", None, None)
                .await,
        )
        .await;
        assert_eq!((s, b["code"].as_str().unwrap()), (404, "route_not_found"));

        let (s, b) = split(
            app.call(Method::GET, "/api/v1/organizations/not-a-uuid", None, None)
                .await,
        )
        .await;
        assert_eq!(s, 404, "{b}");

        // A literal path beside a parameter: `/applications/export` is not an application.
        let r = app
            .call(Method::PUT, "/api/v1/applications/export", None, None)
            .await;
        assert_eq!(r.status(), 405);
        assert_eq!(r.headers()["allow"], "GET");
        let r = app
            .call(Method::DELETE, "/api/v1/applications/not-an-id", None, None)
            .await;
        assert_eq!(r.status(), 405);
        assert_eq!(r.headers()["allow"], "GET, PUT");
        let (s, _) = split(
            app.call(Method::GET, "/api/v1/applications/not-an-id", None, None)
                .await,
        )
        .await;
        assert_eq!(s, 404);

        let (s, b) = app.get("/api/v1/organizations?limit=999", None).await;
        assert_eq!(s, 422, "{b}");
        assert_eq!(fields(&b), vec![("limit".to_string(), "range".to_string())]);
    }
);

dual_test!(operations_endpoints_answer, |app: TestApp| async move {
    let r = app.call(Method::GET, "/healthz", None, None).await;
    for (h, v) in [
        ("x-content-type-options", "nosniff"),
        ("x-frame-options", "DENY"),
        ("referrer-policy", "strict-origin-when-cross-origin"),
    ] {
        assert_eq!(r.headers()[h], v, "{h}");
    }
    let (s, b) = app.get("/healthz", None).await;
    assert_eq!((s, b["status"].as_str().unwrap()), (200, "ok"));
    let (s, _) = app.get("/readyz", None).await;
    assert_eq!(s, 200);
    let (s, b) = app.get("/metrics", None).await;
    assert_eq!(s, 200);
    assert!(b
        .as_str()
        .unwrap()
        .contains("zhihui_http_requests_total{method=\"GET\",route=\"/readyz\",status=\"200\"} 1"));
    let r = app.call(Method::GET, "/docs/", None, None).await;
    assert_eq!(r.status(), 200);
});

dual_test!(regions_are_the_published_list, |app: TestApp| async move {
    let (s, b) = app
        .get("/api/v1/regions?level=province&limit=200", None)
        .await;
    assert_eq!(s, 200);
    assert_eq!(b["items"].as_array().unwrap().len(), 31);
    let (_, b) = app
        .get("/api/v1/regions?parent=440500&limit=200", None)
        .await;
    assert!(b["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["name"] == "潮阳区"));
    let (s, b) = app.get("/api/v1/regions/110105", None).await;
    assert_eq!(
        (
            s,
            b["name"].as_str().unwrap(),
            b["parent_code"].as_str().unwrap()
        ),
        (200, "朝阳区", "110100")
    );
    let (s, b) = app.get("/api/v1/regions/119999", None).await;
    assert_eq!((s, b["code"].as_str().unwrap()), (404, "region_not_found"));
    // Pagination walks the whole list in stable order without repeats.
    let (_, first) = app.get("/api/v1/regions?level=city&limit=50", None).await;
    let cursor = first["next_cursor"].as_str().unwrap();
    let (_, second) = app
        .get(
            &format!("/api/v1/regions?level=city&limit=50&cursor={cursor}"),
            None,
        )
        .await;
    assert!(second["items"][0]["code"].as_str().unwrap() > cursor);
});

dual_test!(
    the_dashboard_is_served_with_its_routes_and_policy,
    |s: &mut zhihui_http::ApiSettings| {
        let dir = std::env::temp_dir().join(format!("zhihui-dashboard-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("index.html"),
            "<!doctype html><title>dashboard-marker</title>",
        )
        .unwrap();
        std::fs::write(dir.join("boot.js"), "import init from './app.js';").unwrap();
        s.frontend_dir = Some(dir);
    },
    |app: TestApp| async move {
        // A client-side route falls back to the app's page, under the dashboard's policy.
        let r = app
            .call(Method::GET, "/activities/42/sign-ups", None, None)
            .await;
        assert_eq!(r.status(), 200);
        let csp = r.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .to_string();
        assert!(r.text().await.unwrap().contains("dashboard-marker"));
        assert!(
            csp.contains("script-src 'self' 'wasm-unsafe-eval'"),
            "{csp}"
        );
        assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
        assert!(!csp.contains("unsafe-inline"), "{csp}");
        // Its files are served as they are, gzip-compressed for a client that asks.
        let r = app.call(Method::GET, "/boot.js", None, None).await;
        assert_eq!(r.status(), 200);
        assert!(r.text().await.unwrap().contains("import init"));
        let r = app
            .client
            .get(app.url("/boot.js"))
            .header("accept-encoding", "gzip")
            .send()
            .await
            .unwrap();
        assert_eq!(r.headers()["content-encoding"], "gzip");
        // The API keeps answering problems, not the app's page.
        let r = app
            .call(Method::GET, "/api/v1/no-such-resource", None, None)
            .await;
        assert_eq!(r.status(), 404);
        assert!(r.headers()["content-type"]
            .to_str()
            .unwrap()
            .contains("problem+json"));
        // Other methods are not the dashboard's: a known path still answers 405 with `Allow`.
        let r = app
            .call(
                Method::from_bytes(b"TRACE").unwrap(),
                "/healthz",
                None,
                None,
            )
            .await;
        assert_eq!(r.status(), 405);
        assert_eq!(r.headers()["allow"], "GET");
        let r = app.call(Method::POST, "/activities/42", None, None).await;
        assert_eq!(r.status(), 404);
        assert!(r.headers()["content-type"]
            .to_str()
            .unwrap()
            .contains("problem+json"));
        // The Swagger UI needs inline code of its own: no dashboard policy there.
        let r = app.call(Method::GET, "/docs/", None, None).await;
        assert_eq!(r.status(), 200);
        assert!(r.headers().get("content-security-policy").is_none());
    }
);

dual_test!(
    the_dashboard_sends_its_compressed_copies_and_lets_hashed_files_be_kept,
    |s: &mut zhihui_http::ApiSettings| {
        let dir = std::env::temp_dir().join(format!("zhihui-dashboard-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("index.html"), "<title>page</title>").unwrap();
        std::fs::write(dir.join("index.html.br"), "brotli-page").unwrap();
        std::fs::write(dir.join("index.html.gz"), "gzip-page").unwrap();
        let wasm = "app-0123456789abcdef.wasm";
        std::fs::write(dir.join(wasm), b"\0asm-raw").unwrap();
        std::fs::write(dir.join(format!("{wasm}.br")), "brotli-module").unwrap();
        std::fs::write(dir.join(format!("{wasm}.gz")), "gzip-module").unwrap();
        std::fs::write(dir.join("sizes.json"), "{}").unwrap();
        s.frontend_dir = Some(dir);
    },
    |app: TestApp| async move {
        let get = |path: &'static str, accept: &'static str| {
            let app = &app;
            async move {
                let r = app
                    .client
                    .get(app.url(path))
                    .header("accept-encoding", accept)
                    .send()
                    .await
                    .unwrap();
                let h = |n: &str| {
                    r.headers()
                        .get(n)
                        .map(|v| v.to_str().unwrap().to_string())
                        .unwrap_or_default()
                };
                let head = (
                    r.status().as_u16(),
                    h("content-encoding"),
                    h("content-type"),
                    h("cache-control"),
                    h("vary"),
                );
                let body = r.bytes().await.unwrap().to_vec();
                (head, String::from_utf8_lossy(&body).into_owned())
            }
        };
        let immutable = "public, max-age=31536000, immutable";
        // The module: brotli when accepted, else gzip, else as it is; kept for good.
        let ((status, enc, ty, cache, vary), body) =
            get("/app-0123456789abcdef.wasm", "gzip, deflate, br, zstd").await;
        assert_eq!(
            (status, enc.as_str(), body.as_str()),
            (200, "br", "brotli-module")
        );
        assert_eq!(
            (ty.as_str(), cache.as_str()),
            ("application/wasm", immutable)
        );
        assert!(
            vary.to_ascii_lowercase().contains("accept-encoding"),
            "{vary}"
        );
        let ((_, enc, _, _, _), body) = get("/app-0123456789abcdef.wasm", "gzip, br;q=0").await;
        assert_eq!((enc.as_str(), body.as_str()), ("gzip", "gzip-module"));
        let ((_, enc, _, _, _), body) = get("/app-0123456789abcdef.wasm", "identity").await;
        assert_eq!((enc.as_str(), body.as_str()), ("", "\0asm-raw"));
        // The page is asked for again each time, so a new build's names are found.
        let ((_, enc, ty, cache, _), body) = get("/", "br").await;
        assert_eq!(
            (enc.as_str(), body.as_str(), cache.as_str()),
            ("br", "brotli-page", "no-cache")
        );
        assert!(ty.starts_with("text/html"), "{ty}");
        let ((_, _, _, cache, _), body) = get("/activities/42", "gzip").await;
        assert_eq!((body.as_str(), cache.as_str()), ("gzip-page", "no-cache"));
        // Only the listed files are served: the build's own record, a compressed copy by its
        // name and paths out of the directory all get the app's page.
        for path in [
            "/sizes.json",
            "/index.html.br",
            "/../Cargo.toml",
            "/%2e%2e/Cargo.toml",
        ] {
            let ((status, _, _, _, _), body) = get(path, "identity").await;
            assert_eq!(
                (status, body.as_str()),
                (200, "<title>page</title>"),
                "{path}"
            );
        }
    }
);

dual_test!(
    a_transaction_that_loses_a_race_answers_a_retryable_503,
    |app: TestApp| async move {
        use sea_orm::{ConnectionTrait, Database, DbBackend};
        let db = Database::connect(&app.database_url).await.unwrap();
        if db.get_database_backend() != DbBackend::Postgres {
            // SQLite serialises writers in one connection: no deadlock to report.
            db.close().await.unwrap();
            return;
        }
        // The database reports a deadlock for this one login, as it would for the loser of
        // two transactions waiting on each other.
        db.execute_unprepared(
            "CREATE FUNCTION lose_race() RETURNS trigger LANGUAGE plpgsql AS $$ \
             BEGIN RAISE EXCEPTION 'deadlock detected' USING ERRCODE = '40P01'; END $$; \
             CREATE TRIGGER lose_race BEFORE INSERT ON accounts FOR EACH ROW \
             WHEN (NEW.login = 'race@example.cn') EXECUTE FUNCTION lose_race();",
        )
        .await
        .unwrap();
        let body = serde_json::json!({"login": "race@example.cn", "password": "secret-pass-1", "display_name": "竞争"});
        let r = app
            .client
            .post(app.url("/api/v1/accounts"))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 503);
        assert_eq!(r.headers()["retry-after"], "1");
        let p: serde_json::Value = r.json().await.unwrap();
        assert_eq!(p["code"], "database_busy", "{p}");
        // Nothing was written: the same request succeeds once the race is gone.
        db.execute_unprepared("DROP TRIGGER lose_race ON accounts; DROP FUNCTION lose_race();")
            .await
            .unwrap();
        db.close().await.unwrap();
        let (s, b) = app.post("/api/v1/accounts", None, body).await;
        assert_eq!(s, 201, "{b}");
    }
);

dual_test!(
    a_misspelt_field_is_named_not_ignored,
    |app: TestApp| async move {
        let (s, b) = app
            .post(
                "/api/v1/accounts",
                None,
                json!({"login": "typo@zh.cn", "password": PASSWORD, "display_name": "李明", "dispaly_name": "x"}),
            )
            .await;
        assert_eq!(s, 422, "{b}");
        assert_eq!(
            fields(&b),
            [("dispaly_name".to_string(), "unknown_field".to_string())]
        );
        // Nothing was created: the same login registers afterwards.
        let (s, b) = app
            .post(
                "/api/v1/accounts",
                None,
                json!({"login": "typo@zh.cn", "password": PASSWORD, "display_name": "李明"}),
            )
            .await;
        assert_eq!(s, 201, "{b}");
    }
);

dual_test!(
    a_value_outside_a_closed_set_is_refused_naming_its_field_on_every_list,
    |app: TestApp| async move {
        let w = world(&app).await;
        let activity = published(&app, &w.admin, activity_body(&w.org, 12, 10)).await;
        let hook = crate::webhooks::Receiver::start().await;
        let (endpoint, _) = crate::webhooks::endpoint(
            &app,
            &w.admin,
            Some(&w.org),
            &hook.url,
            &["activity.published"],
        )
        .await;
        let org = &w.org;
        // (path with the wrong values, the fields named, with their codes). Each value is
        // one letter off a real one, as a client would misspell it.
        let cases: Vec<(String, Vec<(&str, &str)>)> = vec![
            (
                "/api/v1/organizations?category=universty&level=provnce&status=aproved".into(),
                vec![
                    ("category", "unknown_category"),
                    ("level", "unknown_level"),
                    ("status", "unknown_status"),
                ],
            ),
            (
                "/api/v1/activities?category=emergncy&status=publised&key_date=science_wek".into(),
                vec![
                    ("category", "unknown_activity_category"),
                    ("key_date", "unknown_key_date"),
                    ("status", "unknown_status"),
                ],
            ),
            (
                format!("/api/v1/activities/{activity}/sign-ups?status=confirmd"),
                vec![("status", "unknown_status")],
            ),
            (
                format!("/api/v1/organizations/{org}/members?status=aproved"),
                vec![("status", "unknown_status")],
            ),
            (
                "/api/v1/monthly-reports?status=submited".into(),
                vec![("status", "unknown_status")],
            ),
            (
                "/api/v1/applications?status=aproved".into(),
                vec![("status", "unknown_status")],
            ),
            (
                "/api/v1/applications/export?status=aproved&format=xls".into(),
                vec![("format", "unknown_format"), ("status", "unknown_status")],
            ),
            (
                format!("/api/v1/report-rollup/export?organization_id={org}&month_from=2026-01&format=xls"),
                vec![("format", "unknown_format")],
            ),
            (
                "/api/v1/pairings?status=activ".into(),
                vec![("status", "unknown_status")],
            ),
            (
                "/api/v1/pairing-letters?mailbox=inbx&status=snt".into(),
                vec![("mailbox", "unknown_mailbox"), ("status", "unknown_status")],
            ),
            (
                format!("/api/v1/webhooks/{endpoint}/deliveries?status=faild"),
                vec![("status", "invalid_status")],
            ),
            (
                "/api/v1/regions?level=cty".into(),
                vec![("level", "unknown_level")],
            ),
            (
                "/api/v1/volunteer-imports/template?format=xls".into(),
                vec![("format", "unknown_format")],
            ),
        ];
        for (path, want) in cases {
            let token = if path.contains("/applications") || path.contains("/pairings") {
                &w.platform.token
            } else {
                &w.admin.token
            };
            let (s, b) = app.get(&path, Some(token)).await;
            assert_eq!(s, 422, "{path}: {b}");
            let mut got = fields(&b);
            got.sort();
            let want: Vec<(String, String)> = want
                .into_iter()
                .map(|(f, c)| (f.to_string(), c.to_string()))
                .collect();
            assert_eq!(got, want, "{path}");
            // The message names the values the field takes.
            for e in b["errors"].as_array().unwrap() {
                assert!(
                    e["message"].as_str().unwrap().starts_with("use one of "),
                    "{path}: {e}"
                );
            }
        }
        // The same values spelt right are taken.
        for path in [
            "/api/v1/organizations?category=university&level=province&status=approved".to_string(),
            "/api/v1/activities?category=emergency&status=published&key_date=science_week".into(),
            format!("/api/v1/webhooks/{endpoint}/deliveries?status=failed"),
            "/api/v1/pairing-letters?mailbox=inbox&status=sent".into(),
        ] {
            let (s, b) = app.get(&path, Some(&w.admin.token)).await;
            assert_eq!(s, 200, "{path}: {b}");
        }
    }
);
