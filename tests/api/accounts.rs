use chrono::Duration;
use serde_json::json;

use crate::dual_test;
use crate::helpers::*;

dual_test!(register_login_refresh_logout, |app: TestApp| async move {
    let (s, b) = app
        .post(
            "/api/v1/accounts",
            None,
            json!({"login": "Li.Ming@Example.cn", "password": PASSWORD, "display_name": "李明"}),
        )
        .await;
    assert_eq!(s, 201, "{b}");
    assert_eq!(b["login"], "li.ming@example.cn");
    assert!(b.get("password_hash").is_none());

    let (s, b) = app
        .post(
            "/api/v1/accounts",
            None,
            json!({"login": "li.ming@example.cn", "password": PASSWORD, "display_name": "x"}),
        )
        .await;
    assert_eq!((s, b["code"].as_str().unwrap()), (409, "login_taken"));

    let u = app.login("LI.MING@example.cn").await;
    let (s, me) = app.get("/api/v1/me", Some(&u.token)).await;
    assert_eq!(s, 200);
    assert_eq!(me["is_platform_admin"], false);

    // A page reloaded while its refresh was under way presents the exchanged token again
    // moments later: within the grace the session goes on, with one live token (the one the
    // lost answer held is replaced).
    let (s, lost) = app
        .post(
            "/api/v1/auth/refresh",
            None,
            json!({"refresh_token": u.refresh}),
        )
        .await;
    assert_eq!(s, 200, "{lost}");
    app.clock.advance(Duration::seconds(20));
    let (s, again) = app
        .post(
            "/api/v1/auth/refresh",
            None,
            json!({"refresh_token": u.refresh}),
        )
        .await;
    assert_eq!(s, 200, "{again}");
    assert_ne!(again["refresh_token"], lost["refresh_token"]);
    let (s, b) = app
        .post(
            "/api/v1/auth/refresh",
            None,
            json!({"refresh_token": lost["refresh_token"]}),
        )
        .await;
    assert_eq!(s, 200, "the replaced token is itself within the grace: {b}");
    let u = User {
        refresh: b["refresh_token"].as_str().unwrap().to_string(),
        ..u
    };
    app.clock.advance(Duration::seconds(31));

    // Refresh rotates: the old refresh token stops working, and reusing it after the grace
    // ends the session.
    let (s, t2) = app
        .post(
            "/api/v1/auth/refresh",
            None,
            json!({"refresh_token": u.refresh}),
        )
        .await;
    assert_eq!(s, 200, "{t2}");
    assert_ne!(t2["refresh_token"], u.refresh.as_str());
    app.clock.advance(Duration::seconds(31));
    let (s, b) = app
        .post(
            "/api/v1/auth/refresh",
            None,
            json!({"refresh_token": u.refresh}),
        )
        .await;
    assert_eq!(
        (s, b["code"].as_str().unwrap()),
        (401, "invalid_refresh_token")
    );
    let (s, _) = app
        .post(
            "/api/v1/auth/refresh",
            None,
            json!({"refresh_token": t2["refresh_token"]}),
        )
        .await;
    assert_eq!(s, 401, "reuse of a used token revokes the whole family");
    // The closed session's access tokens stop working with it, the first and the rotated
    // one alike (issue 20, class 15).
    for token in [u.token.as_str(), t2["access_token"].as_str().unwrap()] {
        let (s, b) = app.get("/api/v1/me", Some(token)).await;
        assert_eq!((s, b["code"].as_str()), (401, Some("invalid_token")), "{b}");
    }

    let u = app.login("li.ming@example.cn").await;
    let other = app.login("li.ming@example.cn").await;
    let r = app
        .call(
            reqwest::Method::POST,
            "/api/v1/auth/logout",
            None,
            Some(json!({"refresh_token": u.refresh})),
        )
        .await;
    assert_eq!(r.status(), 204);
    let (s, _) = app
        .post(
            "/api/v1/auth/refresh",
            None,
            json!({"refresh_token": u.refresh}),
        )
        .await;
    assert_eq!(s, 401);
    let (s, b) = app.get("/api/v1/me", Some(&u.token)).await;
    assert_eq!(
        (s, b["code"].as_str()),
        (401, Some("invalid_token")),
        "logout ends the session's access token at once: {b}"
    );
    let (s, _) = app.get("/api/v1/me", Some(&other.token)).await;
    assert_eq!(s, 200, "another session of the account goes on");

    // Access tokens expire after 15 minutes (injected clock), in an open session too.
    app.clock.advance(Duration::minutes(16));
    let (s, b) = app.get("/api/v1/me", Some(&other.token)).await;
    assert_eq!((s, b["code"].as_str().unwrap()), (401, "invalid_token"));
});

dual_test!(
    registration_lists_every_bad_field,
    |app: TestApp| async move {
        let (s, b) = app
            .post(
                "/api/v1/accounts",
                None,
                json!({"login": "not-a-login", "password": "short", "display_name": ""}),
            )
            .await;
        assert_eq!(s, 422);
        let f = fields(&b);
        for field in ["login", "password", "display_name"] {
            assert!(
                f.iter().any(|(n, _)| n == field),
                "{field} missing from {f:?}"
            );
        }
        let (s, b) = app
            .post("/api/v1/accounts", None, json!({"login": "x@y.cn"}))
            .await;
        assert_eq!((s, b["code"].as_str().unwrap()), (400, "invalid_body"));
    }
);

dual_test!(
    unknown_user_and_wrong_password_look_alike_then_lock,
    |app: TestApp| async move {
        app.user("13800138001").await;
        let (s1, b1) = app
            .post(
                "/api/v1/auth/login",
                None,
                json!({"login": "13800138001", "password": "wrong-pass-1"}),
            )
            .await;
        let (s2, b2) = app
            .post(
                "/api/v1/auth/login",
                None,
                json!({"login": "13800138009", "password": "wrong-pass-1"}),
            )
            .await;
        assert_eq!((s1, s2), (401, 401));
        assert_eq!(b1, b2, "same answer for unknown login and wrong password");
        for _ in 0..4 {
            app.post(
                "/api/v1/auth/login",
                None,
                json!({"login": "13800138001", "password": "wrong-pass-1"}),
            )
            .await;
        }
        // Locked now, even with the right password.
        let r = app
            .call(
                reqwest::Method::POST,
                "/api/v1/auth/login",
                None,
                Some(json!({"login": "13800138001", "password": PASSWORD})),
            )
            .await;
        assert_eq!(r.status(), 429);
        assert!(r.headers().contains_key("retry-after"));
        app.clock.advance(Duration::minutes(16));
        let (s, _) = app
            .post(
                "/api/v1/auth/login",
                None,
                json!({"login": "13800138001", "password": PASSWORD}),
            )
            .await;
        assert_eq!(s, 200, "the lock lifts after its time");
    }
);

dual_test!(me_needs_a_token, |app: TestApp| async move {
    let r = app
        .call(reqwest::Method::GET, "/api/v1/me", None, None)
        .await;
    assert_eq!(r.status(), 401);
    assert_eq!(r.headers()["www-authenticate"], "Bearer");
    let (s, b) = app.get("/api/v1/me", Some("forged.token.value")).await;
    assert_eq!((s, b["code"].as_str().unwrap()), (401, "invalid_token"));
});

dual_test!(
    a_refresh_token_presented_many_times_at_once_leaves_one_live_token,
    |app: TestApp| async move {
        use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
        use zhihui_persistence::entities::refresh_token;
        let u = app.user("burst@zh.cn").await;
        // Six tabs renew the same session at once: whatever order they land in (a race, or
        // the grace for a lost answer), the session keeps exactly one live token.
        let calls = (0..6).map(|_| {
            app.post(
                "/api/v1/auth/refresh",
                None,
                json!({"refresh_token": u.refresh}),
            )
        });
        let results = futures_util::future::join_all(calls).await;
        assert!(results.iter().any(|(s, _)| *s == 200), "{results:?}");
        assert!(
            results.iter().all(|(s, _)| *s == 200 || *s == 401),
            "{results:?}"
        );
        let live = refresh_token::Entity::find()
            .filter(refresh_token::Column::RevokedAt.is_null())
            .count(app.store.connection())
            .await
            .unwrap();
        assert_eq!(live, 1);
    }
);
