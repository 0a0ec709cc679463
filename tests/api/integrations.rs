//! API clients: scopes and the organisation subtree enforced, the key shown once, rotation
//! and revocation taking effect at once, and each use recorded.

use reqwest::Method;
use serde_json::{json, Value};

use crate::dual_test;
use crate::fixtures::*;
use crate::helpers::*;

async fn as_client(
    app: &TestApp,
    method: Method,
    path: &str,
    key: &str,
    body: Option<Value>,
) -> (u16, Value) {
    split(app.call(method, path, Some(key), body).await).await
}

dual_test!(
    api_clients_act_within_scope_and_subtree,
    |app: TestApp| async move {
        let w = world(&app).await;
        let clients = format!("/api/v1/organizations/{}/api-clients", w.org);

        // Created by the organisation's own admins; the key is shown once.
        let (s, _) = app
            .post(
                &clients,
                Some(&w.other_admin.token),
                json!({"name": "x", "scopes": ["activities:read"]}),
            )
            .await;
        assert_eq!(s, 403);
        let (s, b) = app
            .post(
                &clients,
                Some(&w.admin.token),
                json!({"name": "同步", "scopes": ["activities:admin"]}),
            )
            .await;
        assert_eq!(
            (s, fields(&b)),
            (422, vec![("scopes[0]".into(), "unknown_scope".into())])
        );
        let (s, c) = app
            .post(
                &clients,
                Some(&w.admin.token),
                json!({"name": "省平台同步", "scopes": ["activities:write", "reports:read"]}),
            )
            .await;
        assert_eq!(s, 201, "{c}");
        let key = c["api_key"].as_str().unwrap().to_string();
        assert!(key.starts_with("zhc_"));
        let id = c["client"]["id"].as_str().unwrap().to_string();
        let (_, reader) = app
            .post(
                &clients,
                Some(&w.admin.token),
                json!({"name": "只读", "scopes": ["activities:read"]}),
            )
            .await;
        let read_key = reader["api_key"].as_str().unwrap().to_string();

        // Within scope and subtree: writes its organisation's activities.
        let (s, a) = as_client(
            &app,
            Method::POST,
            "/api/v1/activities",
            &key,
            Some(activity_body(&w.org, 20, 10)),
        )
        .await;
        assert_eq!(s, 201, "{a}");
        // Another organisation, another family, a person's operation, a read-only key: refused.
        let (s, _) = as_client(
            &app,
            Method::POST,
            "/api/v1/activities",
            &key,
            Some(activity_body(&w.other_org, 20, 10)),
        )
        .await;
        assert_eq!(s, 403);
        let (s, b) = as_client(
            &app,
            Method::GET,
            &format!("/api/v1/organizations/{}/members", w.org),
            &key,
            None,
        )
        .await;
        assert_eq!((s, b["code"].as_str()), (403, Some("scope_missing")));
        let (s, b) = as_client(&app, Method::GET, "/api/v1/me", &key, None).await;
        assert_eq!((s, b["code"].as_str()), (403, Some("not_for_api_clients")));
        let (s, b) = as_client(&app, Method::GET, &clients, &key, None).await;
        assert_eq!((s, b["code"].as_str()), (403, Some("not_for_api_clients")));
        let (s, b) = as_client(
            &app,
            Method::POST,
            "/api/v1/activities",
            &read_key,
            Some(activity_body(&w.org, 21, 10)),
        )
        .await;
        assert_eq!((s, b["code"].as_str()), (403, Some("scope_missing")));
        let (s, _) = as_client(
            &app,
            Method::GET,
            &format!("/api/v1/activities/{}", a["id"].as_str().unwrap()),
            &read_key,
            None,
        )
        .await;
        assert_eq!(s, 200);

        // Each use is recorded; the key never appears again.
        let (s, list) = app.get(&clients, Some(&w.admin.token)).await;
        assert_eq!(s, 200);
        let mine = list["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == id.as_str())
            .unwrap();
        assert!(mine["last_used_at"].is_string());
        assert_eq!(mine["last_used_from"], "127.0.0.1");
        assert!(!list.to_string().contains(&key[20..]));

        // Rotation and revocation take effect at once.
        let (s, r) = app
            .post(
                &format!("/api/v1/api-clients/{id}/rotate"),
                Some(&w.admin.token),
                json!({}),
            )
            .await;
        assert_eq!(s, 200, "{r}");
        let new_key = r["api_key"].as_str().unwrap().to_string();
        let (s, b) = as_client(&app, Method::GET, "/api/v1/activities", &key, None).await;
        assert_eq!((s, b["code"].as_str()), (401, Some("invalid_token")));
        let (s, _) = as_client(
            &app,
            Method::POST,
            "/api/v1/activities",
            &new_key,
            Some(activity_body(&w.org, 22, 10)),
        )
        .await;
        assert_eq!(s, 201);
        let (s, _) = app
            .post(
                &format!("/api/v1/api-clients/{id}/revoke"),
                Some(&w.other_admin.token),
                json!({}),
            )
            .await;
        assert_eq!(s, 403);
        let (s, v) = app
            .post(
                &format!("/api/v1/api-clients/{id}/revoke"),
                Some(&w.admin.token),
                json!({}),
            )
            .await;
        assert_eq!((s, v["status"].as_str()), (200, Some("revoked")));
        let (s, _) = as_client(
            &app,
            Method::POST,
            "/api/v1/activities",
            &new_key,
            Some(activity_body(&w.org, 23, 10)),
        )
        .await;
        assert_eq!(s, 401);
        let (s, b) = app
            .post(
                &format!("/api/v1/api-clients/{id}/rotate"),
                Some(&w.admin.token),
                json!({}),
            )
            .await;
        assert_eq!((s, b["code"].as_str()), (409, Some("api_client_revoked")));
        let (s, _) = as_client(
            &app,
            Method::GET,
            "/api/v1/activities",
            "zhc_000000000000_forged",
            None,
        )
        .await;
        assert_eq!(s, 401);
    }
);

dual_test!(
    integration_lists_are_paged_by_cursor,
    |app: TestApp| async move {
        let w = world(&app).await;
        let clients = format!("/api/v1/organizations/{}/api-clients", w.org);
        let mut made = vec![];
        for n in 0..3 {
            let (s, b) = app
                .post(
                    &clients,
                    Some(&w.admin.token),
                    json!({"name": format!("同步{n}"), "scopes": ["activities:read"]}),
                )
                .await;
            assert_eq!(s, 201, "{b}");
            made.push(b["client"]["id"].as_str().unwrap().to_string());
        }
        let (s, first) = app
            .get(&format!("{clients}?limit=2"), Some(&w.admin.token))
            .await;
        assert_eq!(s, 200, "{first}");
        let ids = |p: &Value| -> Vec<String> {
            p["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["id"].as_str().unwrap().to_string())
                .collect()
        };
        assert_eq!(
            ids(&first),
            vec![made[2].clone(), made[1].clone()],
            "newest first"
        );
        let cursor = first["next_cursor"]
            .as_str()
            .expect("a next page")
            .to_string();
        let (_, second) = app
            .get(
                &format!("{clients}?limit=2&cursor={cursor}"),
                Some(&w.admin.token),
            )
            .await;
        assert_eq!(ids(&second), vec![made[0].clone()]);
        assert!(second["next_cursor"].is_null(), "{second}");
        let (s, b) = app
            .get(&format!("{clients}?cursor=nonsense"), Some(&w.admin.token))
            .await;
        assert_eq!(
            (s, b["errors"][0]["code"].as_str()),
            (422, Some("invalid_cursor"))
        );
        let (s, _) = app
            .get(&format!("{clients}?limit=201"), Some(&w.admin.token))
            .await;
        assert_eq!(s, 422);

        // Webhook endpoints and calls page the same way.
        let (s, b) = app
            .get("/api/v1/webhooks?limit=1", Some(&w.admin.token))
            .await;
        assert_eq!((s, b["items"].as_array().map(Vec::len)), (200, Some(0)));
        assert!(b["next_cursor"].is_null());
        let (s, b) = app.get("/api/v1/calls?limit=1", None).await;
        assert_eq!(s, 200, "{b}");
        assert!(b.get("next_cursor").is_some());
    }
);
