//! `Idempotency-Key`: a retried write answers the first result and acts once.

use reqwest::Method;
use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::{json, Value};
use zhihui_persistence::entities::activity;

use crate::dual_test;
use crate::fixtures::*;
use crate::helpers::*;

async fn post_keyed(
    app: &TestApp,
    path: &str,
    token: &str,
    key: &str,
    body: &Value,
) -> (u16, Option<String>, Value) {
    let r = app
        .client
        .request(Method::POST, app.url(path))
        .bearer_auth(token)
        .header("Idempotency-Key", key)
        .json(body)
        .send()
        .await
        .unwrap();
    let replayed = r
        .headers()
        .get("idempotent-replayed")
        .map(|v| v.to_str().unwrap().to_string());
    let (s, b) = split(r).await;
    (s, replayed, b)
}

async fn activities(app: &TestApp) -> u64 {
    activity::Entity::find()
        .count(app.store.connection())
        .await
        .unwrap()
}

dual_test!(
    a_retried_write_acts_once,
    long_sessions,
    |app: TestApp| async move {
        let w = world(&app).await;
        let body = activity_body(&w.org, 20, 10);
        let token = w.admin.token.clone();

        let (s, replayed, first) =
            post_keyed(&app, "/api/v1/activities", &token, "k-1", &body).await;
        assert_eq!((s, replayed), (201, None), "{first}");
        let (s, replayed, again) =
            post_keyed(&app, "/api/v1/activities", &token, "k-1", &body).await;
        assert_eq!((s, replayed.as_deref()), (201, Some("true")));
        assert_eq!(again, first, "the first answer, word for word");
        assert_eq!(activities(&app).await, 1);

        // The same key for another request is refused; another caller's key is their own.
        let mut other = body.clone();
        other["capacity"] = json!(11);
        let (s, _, b) = post_keyed(&app, "/api/v1/activities", &token, "k-1", &other).await;
        assert_eq!(s, 422);
        assert_eq!(
            fields(&b),
            vec![("Idempotency-Key".into(), "idempotency_key_reused".into())]
        );
        let other_body = activity_body(&w.other_org, 20, 10);
        let (s, replayed, _) = post_keyed(
            &app,
            "/api/v1/activities",
            &w.other_admin.token,
            "k-1",
            &other_body,
        )
        .await;
        assert_eq!((s, replayed), (201, None));
        assert_eq!(activities(&app).await, 2);

        // A refusal is an answer too, and is replayed.
        let mut bad = body.clone();
        bad["capacity"] = json!(0);
        let (s, _, b1) = post_keyed(&app, "/api/v1/activities", &token, "k-bad", &bad).await;
        let (s2, replayed, b2) =
            post_keyed(&app, "/api/v1/activities", &token, "k-bad", &bad).await;
        assert_eq!((s, s2, replayed.as_deref()), (422, 422, Some("true")));
        assert_eq!(b1, b2);

        // Malformed keys are refused before anything happens.
        let (s, _, b) = post_keyed(&app, "/api/v1/activities", &token, "has space", &body).await;
        assert_eq!(
            (s, b["code"].as_str()),
            (400, Some("invalid_idempotency_key"))
        );
        assert_eq!(activities(&app).await, 2);

        // Many retries at once: one acts, the rest replay it or are told to wait.
        let calls =
            (0..6).map(|_| post_keyed(&app, "/api/v1/activities", &token, "k-burst", &body));
        let results = futures_util::future::join_all(calls).await;
        let acted = results
            .iter()
            .filter(|(s, r, _)| *s == 201 && r.is_none())
            .count();
        assert_eq!(acted, 1, "{results:?}");
        for (s, r, b) in &results {
            assert!(
                (*s == 201) || (*s == 409 && b["code"] == "idempotency_key_in_use"),
                "{s} {r:?} {b}"
            );
        }
        assert_eq!(activities(&app).await, 3);

        // Keys are kept for a day.
        app.clock.advance(chrono::Duration::hours(25));
        let (s, replayed, b) = post_keyed(&app, "/api/v1/activities", &token, "k-1", &body).await;
        assert_eq!((s, replayed), (201, None), "{b}");
        assert_eq!(activities(&app).await, 4);
    }
);
