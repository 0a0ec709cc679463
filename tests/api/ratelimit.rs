//! Rate limits: per account, per address for anonymous callers, on sign-in per address,
//! and on token refresh per address in a bucket of its own.

use reqwest::Method;
use serde_json::json;

use crate::dual_test;
use crate::helpers::*;

async fn wrong_password(app: &TestApp, login: &str, status: u16) {
    let (s, b) = app
        .post(
            "/api/v1/auth/login",
            None,
            json!({"login": login, "password": "wrong-pass-1"}),
        )
        .await;
    assert_eq!(s, status, "{b}");
}

fn tight(s: &mut zhihui_http::ApiSettings) {
    s.rate_limit_per_minute = 5;
    s.auth_rate_limit_per_minute = 4;
}

dual_test!(
    callers_over_the_limit_wait,
    tight,
    |app: TestApp| async move {
        // Two registrations and two failed sign-ins use this address's four attempts.
        let a = app.user("a@zh.cn").await;
        let b = app.user("b@zh.cn").await;
        wrong_password(&app, "a@zh.cn", 401).await;
        wrong_password(&app, "b@zh.cn", 401).await;
        let r = app
            .call(
                Method::POST,
                "/api/v1/auth/login",
                None,
                Some(json!({"login": "a@zh.cn", "password": PASSWORD})),
            )
            .await;
        assert_eq!(r.status(), 429);
        let retry: i64 = r.headers()["retry-after"]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!((1..=60).contains(&retry));
        let (_, body) = split(r).await;
        assert_eq!(body["code"], "rate_limited");

        // Each account has its own budget; /me was called once by each sign-in above.
        for _ in 0..4 {
            let (s, _) = app.get("/api/v1/me", Some(&a.token)).await;
            assert_eq!(s, 200);
        }
        let (s, b429) = app.get("/api/v1/me", Some(&a.token)).await;
        assert_eq!((s, b429["code"].as_str()), (429, Some("rate_limited")));
        let (s, _) = app.get("/api/v1/me", Some(&b.token)).await;
        assert_eq!(s, 200, "another account is not slowed");

        // The next minute starts afresh.
        app.clock.advance(chrono::Duration::seconds(61));
        let (s, _) = app.get("/api/v1/me", Some(&a.token)).await;
        assert_eq!(s, 200);
        let (s, _) = app
            .post(
                "/api/v1/auth/login",
                None,
                json!({"login": "a@zh.cn", "password": PASSWORD}),
            )
            .await;
        assert_eq!(s, 200);
        // Health checks are never limited.
        for _ in 0..10 {
            let (s, _) = app.get("/healthz", None).await;
            assert_eq!(s, 200);
        }
    }
);

dual_test!(
    refreshes_do_not_spend_the_sign_in_limit,
    tight,
    |app: TestApp| async move {
        // The four attempts of this address are spent.
        let a = app.user("a@zh.cn").await;
        app.user("b@zh.cn").await;
        wrong_password(&app, "b@zh.cn", 401).await;
        wrong_password(&app, "b@zh.cn", 401).await;
        let (s, _) = app
            .post(
                "/api/v1/auth/login",
                None,
                json!({"login": "a@zh.cn", "password": PASSWORD}),
            )
            .await;
        assert_eq!(s, 429);
        // Refreshing still works: a crowd behind one address keeps its sessions. It counts
        // in a bucket of its own, at the general rate (five a minute here).
        let mut token = a.refresh.clone();
        for _ in 0..5 {
            let (s, b) = app
                .post(
                    "/api/v1/auth/refresh",
                    None,
                    json!({"refresh_token": token}),
                )
                .await;
            assert_eq!(s, 200, "{b}");
            token = b["refresh_token"].as_str().unwrap().to_string();
        }
        let (s, b) = app
            .post(
                "/api/v1/auth/refresh",
                None,
                json!({"refresh_token": token}),
            )
            .await;
        assert_eq!((s, b["code"].as_str()), (429, Some("rate_limited")));
        // A refused refresh did not spend the token: it works in the next minute.
        app.clock.advance(chrono::Duration::seconds(61));
        let (s, b) = app
            .post(
                "/api/v1/auth/refresh",
                None,
                json!({"refresh_token": token}),
            )
            .await;
        assert_eq!(s, 200, "{b}");
    }
);

dual_test!(
    a_crowd_signing_in_on_one_address_is_not_slowed,
    tight,
    |app: TestApp| async move {
        // A venue: the volunteers registered earlier; now ten sign in from one address,
        // more than the four attempts a minute it allows, each with the right password.
        app.user("a@zh.cn").await;
        app.clock.advance(chrono::Duration::seconds(61));
        for _ in 0..10 {
            let (s, b) = app
                .post(
                    "/api/v1/auth/login",
                    None,
                    json!({"login": "a@zh.cn", "password": PASSWORD}),
                )
                .await;
            assert_eq!(s, 200, "{b}");
        }
        // Guesses count: the fourth wrong password spends the address's minute, and then
        // the right one waits too.
        for _ in 0..4 {
            wrong_password(&app, "nobody@zh.cn", 401).await;
        }
        wrong_password(&app, "nobody@zh.cn", 429).await;
        let r = app
            .call(
                Method::POST,
                "/api/v1/auth/login",
                None,
                Some(json!({"login": "a@zh.cn", "password": PASSWORD})),
            )
            .await;
        assert_eq!(r.status(), 429);
        assert!(r.headers().contains_key("retry-after"));
    }
);
