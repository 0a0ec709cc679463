//! Defects found by probing the service from outside, one test per class: forwarded
//! addresses, webhook targets, import bombs, secrets in stored replays, former members,
//! control characters, concurrent report preparation, existence oracles and the platform
//! admin's rule. Sessions ending with logout are in `accounts`.

use std::fmt::Write;

use reqwest::Method;
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{json, Value};

use crate::dual_test;
use crate::fixtures::*;
use crate::helpers::*;

async fn post_from(app: &TestApp, path: &str, forwarded: (&str, &str), body: Value) -> u16 {
    app.client
        .post(app.url(path))
        .header(forwarded.0, forwarded.1)
        .json(&body)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

fn tight_auth(s: &mut zhihui_http::ApiSettings) {
    s.auth_rate_limit_per_minute = 4;
}

dual_test!(
    spoofed_forwarded_addresses_do_not_reset_the_limits,
    tight_auth,
    |app: TestApp| async move {
        // Every attempt names another address; none is believed, so the fifth is refused.
        let mut statuses = vec![];
        for n in 0..6 {
            let header = if n % 2 == 0 {
                ("x-forwarded-for", format!("203.0.113.{n}"))
            } else {
                ("forwarded", format!("for=198.51.100.{n}"))
            };
            statuses.push(
                post_from(
                    &app,
                    "/api/v1/auth/login",
                    (header.0, &header.1),
                    json!({"login": "nobody@zh.cn", "password": "wrong-password-1"}),
                )
                .await,
            );
        }
        assert_eq!(statuses, [401, 401, 401, 401, 429, 429]);
    }
);

fn behind_proxy(s: &mut zhihui_http::ApiSettings) {
    s.auth_rate_limit_per_minute = 2;
    s.trusted_proxies = vec![zhihui_http::client_address::IpNet::parse("127.0.0.1").unwrap()];
}

dual_test!(
    a_trusted_proxy_names_the_client,
    behind_proxy,
    |app: TestApp| async move {
        let body = json!({"login": "nobody@zh.cn", "password": "wrong-password-1"});
        // Behind the trusted proxy each client has its own budget...
        for client in ["203.0.113.1", "203.0.113.2"] {
            for _ in 0..2 {
                let s = post_from(
                    &app,
                    "/api/v1/auth/login",
                    ("x-forwarded-for", client),
                    body.clone(),
                )
                .await;
                assert_eq!(s, 401);
            }
        }
        // ...and a client cannot escape it by writing its own entry first: the proxy's
        // appended (rightmost) entry is the one read.
        let s = post_from(
            &app,
            "/api/v1/auth/login",
            ("x-forwarded-for", "192.0.2.77, 203.0.113.1"),
            body.clone(),
        )
        .await;
        assert_eq!(s, 429);
    }
);

fn strict_webhooks(s: &mut zhihui_http::ApiSettings) {
    s.webhooks.allow_insecure_urls = false;
}

dual_test!(
    webhook_targets_in_other_spellings_of_local_addresses_are_refused,
    strict_webhooks,
    |app: TestApp| async move {
        let w = world(&app).await;
        for url in [
            "https://2130706433:18443/a",
            "https://0x7f.0.0.1:18443/a",
            "https://0177.0.0.1/a",
            "https://127.1/a",
            "https://0/a",
            "https://[::ffff:127.0.0.1]/a",
            "https://[::ffff:a00:1]/a",
            "https://localhost./a",
            "https://100.64.1.1/a",
            "https://169.254.169.254/latest/meta-data",
        ] {
            let (s, b) = app
                .post(
                    "/api/v1/webhooks",
                    Some(&w.admin.token),
                    json!({"organization_id": w.org, "url": url, "event_types": ["activity.published"]}),
                )
                .await;
            assert_eq!(s, 422, "{url}: {b}");
            assert_eq!(
                fields(&b),
                [("url".to_string(), "private_address".to_string())],
                "{url}"
            );
        }
    }
);

/// A delivery to an endpoint whose stored address is not public (written before the rule
/// tightened) is refused at delivery: the check is made at every delivery, not only when
/// the address is registered, and nothing connects.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deliveries_recheck_the_address() {
    let app = spawn_app_with(Backend::Sqlite, strict_webhooks).await;
    let done = Shutdown::of(&app);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let connected = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let seen = connected.clone();
    tokio::spawn(async move {
        while let Ok((_sock, _)) = listener.accept().await {
            seen.store(true, std::sync::atomic::Ordering::SeqCst);
        }
    });
    let w = world(&app).await;
    let (endpoint, _) = crate::webhooks::endpoint(
        &app,
        &w.admin,
        Some(&w.org),
        "https://hooks.example.cn/zhihui",
        &["activity.published"],
    )
    .await;
    let db = app.store.connection();
    db.execute(Statement::from_sql_and_values(
        db.get_database_backend(),
        match db.get_database_backend() {
            sea_orm::DbBackend::Postgres => "UPDATE webhook_endpoints SET url = $1",
            _ => "UPDATE webhook_endpoints SET url = ?",
        },
        [format!("https://2130706433:{port}/hook").into()],
    ))
    .await
    .unwrap();
    let (s, _) = app
        .post(
            &format!("/api/v1/webhooks/{endpoint}/ping"),
            Some(&w.admin.token),
            json!({}),
        )
        .await;
    assert!((200..300).contains(&s), "ping answered {s}");
    let mut attempt = Value::Null;
    for _ in 0..100 {
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        let (_, d) = app
            .get(
                &format!("/api/v1/webhooks/{endpoint}/deliveries"),
                Some(&w.admin.token),
            )
            .await;
        if let Some(first) = d["items"].as_array().and_then(|a| a.first()) {
            if first["attempts"].as_i64().unwrap_or(0) > 0 {
                attempt = first.clone();
                break;
            }
        }
    }
    assert!(
        attempt["last_error"]
            .as_str()
            .unwrap_or("")
            .contains("not a public"),
        "the attempt is refused: {attempt}"
    );
    assert!(
        !connected.load(std::sync::atomic::Ordering::SeqCst),
        "nothing connected"
    );
    done.run().await;
}

const HEADERS: [&str; 4] = ["姓名", "身份证号", "手机号", "居住地区代码"];

/// A workbook holding the template's headers, one valid row and whatever `more` writes.
fn workbook(more: impl FnOnce(&mut rust_xlsxwriter::Worksheet)) -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (i, h) in HEADERS.iter().enumerate() {
        ws.write_string(0, i as u16, *h).unwrap();
    }
    let row = [
        "张伟".to_string(),
        id_number("440513", "19800101", "011"),
        "13800000001".into(),
        "110105".into(),
    ];
    for (i, v) in row.iter().enumerate() {
        ws.write_string(1, i as u16, v).unwrap();
    }
    more(ws);
    wb.save_to_buffer().unwrap()
}

/// The resident memory of this process, in kB (the service runs in it).
fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

fn small_imports(s: &mut zhihui_http::ApiSettings) {
    s.imports.max_rows = 100;
    s.imports.max_bytes = 1024 * 1024;
}

dual_test!(
    import_bombs_are_refused_and_the_service_stays_up,
    small_imports,
    |app: TestApp| async move {
        let w = world(&app).await;
        let before = rss_kib();
        // One cell at the sheet's last row and column: read as one cell, not a range.
        let far = workbook(|ws| {
            ws.write_string(1_048_575, 16_383, "x").unwrap();
        });
        assert!(far.len() < 10_000);
        let (s, b) = import_volunteers(&app, &w.org, &w.admin.token, "far.xlsx", far).await;
        assert_eq!(s, 201, "{b}");
        assert_eq!(
            (b["created"].as_u64(), b["failed"].as_u64()),
            (Some(1), Some(0)),
            "{b}"
        );

        // A sheet that inflates past the limit (8 x the file limit), whatever it declares.
        let inflating = workbook(|ws| {
            let big = "A".repeat(30_000);
            for r in 2..400u32 {
                // Distinct strings, so each is stored: 12 MB that compress to little.
                ws.write_string(r, 20, format!("{r}{big}")).unwrap();
            }
        });
        assert!(inflating.len() < 1024 * 1024, "{} bytes", inflating.len());
        let (s, b) = import_volunteers(&app, &w.org, &w.admin.token, "bomb.xlsx", inflating).await;
        assert_eq!(
            (s, b["code"].as_str()),
            (413, Some("workbook_too_large")),
            "{b}"
        );

        // One long shared string referenced many times in a template column.
        let shared = workbook(|ws| {
            let long = "长".repeat(5_000);
            for r in 2..60u32 {
                ws.write_string(r, 0, &long).unwrap();
            }
        });
        let (s, b) = import_volunteers(&app, &w.org, &w.admin.token, "shared.xlsx", shared).await;
        assert_eq!(s, 201, "{b}");
        assert!(b["errors"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["code"] == "cell_too_long" || e["field"] != "姓名"));

        // More rows than allowed: nothing stored.
        let mut csv = String::from("姓名,身份证号,手机号,居住地区代码\n");
        for n in 0..150 {
            writeln!(csv, "王{n},bad,bad,bad").unwrap();
        }
        let (s, b) =
            import_volunteers(&app, &w.org, &w.admin.token, "rows.csv", csv.into_bytes()).await;
        assert_eq!((s, b["code"].as_str()), (413, Some("too_many_rows")), "{b}");

        // A file over the size limit.
        let (s, b) = import_volunteers(
            &app,
            &w.org,
            &w.admin.token,
            "big.csv",
            vec![b'a'; 1024 * 1024 + 1],
        )
        .await;
        assert_eq!(
            (s, b["errors"][0]["code"].as_str()),
            (422, Some("file_too_large")),
            "{b}"
        );

        let (s, _) = app.get("/readyz", None).await;
        assert_eq!(s, 200, "the service still answers");
        let grown = rss_kib().saturating_sub(before);
        assert!(grown < 512 * 1024, "memory grew by {grown} kB");
    }
);

fn many_errors(s: &mut zhihui_http::ApiSettings) {
    s.imports.max_rows = 5_000;
}

dual_test!(
    an_import_report_keeps_the_first_thousand_errors,
    many_errors,
    |app: TestApp| async move {
        let w = world(&app).await;
        let mut csv = String::from("姓名,身份证号,手机号,居住地区代码\n");
        for n in 0..1_500 {
            writeln!(csv, "王{n},bad,bad,110105").unwrap();
        }
        let (s, b) =
            import_volunteers(&app, &w.org, &w.admin.token, "bad.csv", csv.into_bytes()).await;
        assert_eq!(s, 201, "{b}");
        assert_eq!(b["failed"].as_u64(), Some(1_500));
        assert_eq!(b["errors"].as_array().unwrap().len(), 1_000);
        assert_eq!(b["errors_truncated"], true);
    }
);

async fn stored_replays(app: &TestApp) -> Vec<Vec<u8>> {
    let db = app.store.connection();
    db.query_all(Statement::from_string(
        db.get_database_backend(),
        "SELECT body FROM idempotency_keys WHERE body IS NOT NULL",
    ))
    .await
    .unwrap()
    .into_iter()
    .map(|r| r.try_get::<Vec<u8>>("", "body").unwrap())
    .collect()
}

dual_test!(
    stored_replays_hold_no_secret_in_clear,
    |app: TestApp| async move {
        let u = app.user("replay@zh.cn").await;
        let id = id_number("110105", "19900101", "123");
        let send = || {
            app.client
                .post(app.url("/api/v1/volunteers"))
                .bearer_auth(&u.token)
                .header("Idempotency-Key", "reg-1")
                .json(&volunteer_body(&id))
                .send()
        };
        let (s, first) = split(send().await.unwrap()).await;
        assert_eq!(s, 201, "{first}");
        assert_eq!(
            first["id_number"],
            id.as_str(),
            "the person sees their own number"
        );
        let r = send().await.unwrap();
        assert_eq!(r.headers()["idempotent-replayed"], "true");
        let (_, replay) = split(r).await;
        assert_eq!(replay, first, "the replay is the first answer");
        let stored = stored_replays(&app).await;
        assert_eq!(stored.len(), 1);
        for body in stored {
            let text = String::from_utf8_lossy(&body);
            assert!(
                !text.contains(&id) && !text.contains("13912345678"),
                "{text}"
            );
        }
    }
);

dual_test!(
    former_members_and_refused_requests_are_not_visible,
    |app: TestApp| async move {
        let w = world(&app).await;
        let (left, left_id) = volunteer(&app, 301, "离队者").await;
        member(&app, &w.admin, &w.org, &left).await;
        let path = format!("/api/v1/volunteers/{left_id}");
        let (s, _) = app.get(&path, Some(&w.admin.token)).await;
        assert_eq!(s, 200, "a current member is visible");
        let (s, b) = app
            .post(
                &format!("/api/v1/organizations/{}/leave", w.org),
                Some(&left.token),
                json!({}),
            )
            .await;
        assert!(s == 200 || s == 204, "{b}");
        let (s, _) = app.get(&path, Some(&w.admin.token)).await;
        assert_eq!(s, 404, "a former member is gone");

        let (refused, refused_id) = volunteer(&app, 302, "被拒者").await;
        let (s, m) = app
            .post(
                &format!("/api/v1/organizations/{}/memberships", w.org),
                Some(&refused.token),
                json!({}),
            )
            .await;
        assert_eq!(s, 201, "{m}");
        let path = format!("/api/v1/volunteers/{refused_id}");
        let (s, _) = app.get(&path, Some(&w.admin.token)).await;
        assert_eq!(
            s, 200,
            "a pending request is visible to the team that answers it"
        );
        let (s, _) = app.get(&path, Some(&w.other_admin.token)).await;
        assert_eq!(s, 404, "not to another organisation");
        let (s, b) = app
            .post(
                &format!(
                    "/api/v1/organizations/{}/memberships/{}/reject",
                    w.org,
                    m["id"].as_str().unwrap()
                ),
                Some(&w.admin.token),
                json!({"reason": "不符合条件"}),
            )
            .await;
        assert_eq!(s, 200, "{b}");
        let (s, _) = app.get(&path, Some(&w.admin.token)).await;
        assert_eq!(s, 404, "a refused request is gone");
        let (s, _) = app.get(&path, Some(&w.platform.token)).await;
        assert_eq!(s, 200, "the platform admin still sees everyone");
    }
);

dual_test!(
    control_characters_are_refused_on_both_databases,
    |app: TestApp| async move {
        let owner = app.user("nul@zh.cn").await;
        let (s, b) = app
            .post(
                "/api/v1/organizations",
                Some(&owner.token),
                json!({"name": "北京\u{0}科协", "category": "provincial_association", "level": "province",
                       "region_code": "110000", "contact_name": "王\u{1b}芳", "contact_phone": "13800138000"}),
            )
            .await;
        assert_eq!(s, 422, "{b}");
        let mut f = fields(&b);
        f.sort();
        assert_eq!(
            f,
            [
                ("contact_name".to_string(), "control_character".to_string()),
                ("name".to_string(), "control_character".to_string())
            ]
        );
        let (s, b) = app
            .post(
                "/api/v1/auth/login",
                None,
                json!({"login": "a\u{0}@zh.cn", "password": "x"}),
            )
            .await;
        assert_eq!(
            (s, fields(&b)[0].1.as_str()),
            (422, "control_character"),
            "{b}"
        );
        let (s, b) = app.get("/api/v1/activities?q=%00", None).await;
        assert_eq!((s, fields(&b)[0].0.as_str()), (422, "q"), "{b}");
        // Line breaks and tabs stay allowed where text runs over lines.
        let (s, _) = app.get("/api/v1/activities?q=%E4%BF%AE%09", None).await;
        assert_eq!(s, 200);
        let db = app.store.connection();
        let stored = db
            .query_one(Statement::from_string(
                db.get_database_backend(),
                "SELECT COUNT(*) AS n FROM organizations",
            ))
            .await
            .unwrap()
            .unwrap()
            .try_get::<i64>("", "n")
            .unwrap();
        assert_eq!(stored, 0, "nothing was stored");
    }
);

dual_test!(
    preparing_one_month_at_once_gives_everyone_the_one_report,
    |app: TestApp| async move {
        let w = world(&app).await;
        let path = format!("/api/v1/organizations/{}/monthly-reports", w.org);
        let mut tasks = vec![];
        for _ in 0..8 {
            let client = app.client.clone();
            let url = app.url(&path);
            let token = w.admin.token.clone();
            tasks.push(tokio::spawn(async move {
                let r = client
                    .post(url)
                    .bearer_auth(token)
                    .json(&json!({"month": "2026-05"}))
                    .send()
                    .await
                    .unwrap();
                split(r).await
            }));
        }
        let mut ids = std::collections::BTreeSet::new();
        for t in tasks {
            let (s, b) = t.await.unwrap();
            assert!(s == 200 || s == 201, "{s} {b}");
            ids.insert(b["id"].as_str().unwrap().to_string());
        }
        assert_eq!(ids.len(), 1, "one report: {ids:?}");
    }
);

dual_test!(
    registering_known_id_numbers_is_limited_and_says_little,
    |app: TestApp| async move {
        let owner = app.user("owner@zh.cn").await;
        let known = id_number("110105", "19900101", "555");
        let (s, _) = app
            .post(
                "/api/v1/volunteers",
                Some(&owner.token),
                volunteer_body(&known),
            )
            .await;
        assert_eq!(s, 201);
        let prober = app.user("prober@zh.cn").await;
        for _ in 0..3 {
            let (s, b) = app
                .post(
                    "/api/v1/volunteers",
                    Some(&prober.token),
                    volunteer_body(&known),
                )
                .await;
            assert_eq!(
                (s, b["code"].as_str()),
                (409, Some("duplicate_id_number")),
                "{b}"
            );
            assert!(
                !b["detail"].as_str().unwrap().contains("already registered"),
                "{b}"
            );
        }
        // The budget is used up: even a number nobody holds is refused now.
        let fresh = id_number("110105", "19900101", "556");
        let (s, b) = app
            .post(
                "/api/v1/volunteers",
                Some(&prober.token),
                volunteer_body(&fresh),
            )
            .await;
        assert_eq!(
            (s, b["code"].as_str()),
            (429, Some("too_many_conflicts")),
            "{b}"
        );
        // Another account is not affected.
        let other = app.user("other@zh.cn").await;
        let (s, _) = app
            .post(
                "/api/v1/volunteers",
                Some(&other.token),
                volunteer_body(&fresh),
            )
            .await;
        assert_eq!(s, 201);
    }
);

dual_test!(
    the_platform_admin_oversees_but_does_not_act_for_an_organisation,
    |app: TestApp| async move {
        let w = world(&app).await;
        let id = published(&app, &w.admin, activity_body(&w.org, 10, 5)).await;
        let (v, vid) = volunteer(&app, 401, "参与者").await;
        let (s, _) = app
            .post(
                &format!("/api/v1/activities/{id}/sign-ups"),
                Some(&v.token),
                json!({}),
            )
            .await;
        assert_eq!(s, 201);
        let attendance = json!({"absent": true, "reason": "未到场"});
        // The platform admin sees the activity and its sign-ups...
        let (s, _) = app
            .get(
                &format!("/api/v1/activities/{id}/sign-ups"),
                Some(&w.platform.token),
            )
            .await;
        assert_eq!(s, 200);
        // ...and acts on none of it, as another organisation's admin may not either.
        for who in [&w.platform, &w.other_admin] {
            let (s, b) = app
                .post(
                    &format!("/api/v1/activities/{id}/check-in-codes"),
                    Some(&who.token),
                    json!({}),
                )
                .await;
            assert_eq!(s, 403, "{b}");
            let s = app
                .call(
                    Method::PUT,
                    &format!("/api/v1/activities/{id}/attendance/{vid}"),
                    Some(&who.token),
                    Some(attendance.clone()),
                )
                .await
                .status()
                .as_u16();
            assert_eq!(s, 403);
            let (s, b) = app
                .post(
                    &format!("/api/v1/activities/{id}/cancel"),
                    Some(&who.token),
                    json!({"reason": "测试"}),
                )
                .await;
            assert_eq!(s, 403, "{b}");
        }
        let (s, b) = app
            .post(
                &format!("/api/v1/activities/{id}/check-in-codes"),
                Some(&w.admin.token),
                json!({}),
            )
            .await;
        // The organisation's own admin passes the permission and meets the day's rule.
        assert_eq!(
            (s, b["code"].as_str()),
            (409, Some("check_in_closed")),
            "{b}"
        );
    }
);

dual_test!(
    numbers_and_dates_at_the_edges_answer_the_same_on_both_databases,
    |app: TestApp| async move {
        let w = world(&app).await;
        let field_of = |b: &Value| fields(b).first().cloned().unwrap_or_default();
        // Instants far outside any plausible year: a field problem, nothing stored.
        for (field, value) in [
            ("starts_at", "9999-01-01T00:00:00Z"),
            ("starts_at", "1900-01-01T00:00:00Z"),
            ("ends_at", "2101-01-01T00:00:00Z"),
            ("sign_up_closes_at", "0001-01-01T00:00:00Z"),
        ] {
            let mut body = activity_body(&w.org, 10, 5);
            body[field] = json!(value);
            let (s, b) = app
                .post("/api/v1/activities", Some(&w.admin.token), body)
                .await;
            assert_eq!(s, 422, "{field}={value}: {b}");
            assert!(
                fields(&b).contains(&(field.to_string(), "out_of_range".to_string())),
                "{field}={value}: {b}"
            );
        }
        // Capacity past the rule, and past what a 32-bit column holds.
        let mut body = activity_body(&w.org, 10, 100_001);
        let (s, b) = app
            .post("/api/v1/activities", Some(&w.admin.token), body.clone())
            .await;
        assert_eq!((s, field_of(&b).0.as_str()), (422, "capacity"), "{b}");
        body["capacity"] = json!(4_294_967_296_i64);
        let (s, b) = app
            .post("/api/v1/activities", Some(&w.admin.token), body)
            .await;
        assert_eq!((s, b["code"].as_str()), (400, Some("invalid_body")), "{b}");
        // Money past what any programme grants; dates of a call.
        let mut call = call_body();
        call["cap_fen"] = json!(1_000_000_000_001_i64);
        call["summary_due"] = json!("2999-12-31");
        let (s, b) = app
            .post("/api/v1/calls", Some(&w.platform.token), call)
            .await;
        assert_eq!(s, 422, "{b}");
        let mut f = fields(&b);
        f.sort();
        assert_eq!(
            f,
            [
                ("cap_fen".to_string(), "range".to_string()),
                ("summary_due".to_string(), "out_of_range".to_string())
            ]
        );
        // A query's dates too.
        let (s, b) = app
            .get("/api/v1/activities?from=0001-01-01T00:00:00Z", None)
            .await;
        assert_eq!(
            (s, field_of(&b)),
            (422, ("from".into(), "out_of_range".into())),
            "{b}"
        );
        let (s, b) = app.get("/api/v1/activities?limit=201", None).await;
        assert_eq!((s, field_of(&b).0.as_str()), (422, "limit"), "{b}");
        let (s, b) = app.get("/api/v1/activities", Some(&w.admin.token)).await;
        assert_eq!(s, 200);
        assert_eq!(
            b["items"].as_array().unwrap().len(),
            0,
            "nothing was stored"
        );
    }
);
