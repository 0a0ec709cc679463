//! Webhooks: a receiver on loopback gets signed deliveries, retries after a failure, none
//! for a change that rolled back, and deliveries written before a restart.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration as StdDuration;

use chrono::Duration;
use hmac::{Hmac, Mac};
use reqwest::Method;
use sea_orm::{ConnectionTrait, Database, DbBackend};
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::sync::mpsc;
use zhihui_http::Clock;

use crate::dual_test;
use crate::fixtures::*;
use crate::helpers::*;

/// One request as the receiver saw it.
#[derive(Debug)]
pub struct Received {
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Received {
    pub fn header(&self, name: &str) -> String {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }

    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap()
    }

    /// Checks the signature as a receiver would, with its own HMAC code.
    pub fn signed_with(&self, secret: &str) -> bool {
        let h = self.header("Zhihui-Signature");
        let Some((t, v1)) = h
            .strip_prefix("t=")
            .and_then(|rest| rest.split_once(",v1="))
        else {
            return false;
        };
        let mut mac = Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).unwrap();
        mac.update(format!("{t}.").as_bytes());
        mac.update(&self.body);
        let Ok(sig) = hex::decode(v1) else {
            return false;
        };
        mac.verify_slice(&sig).is_ok()
    }
}

/// A webhook receiver on loopback: answers each request with the next planned status
/// (200 once the plan is used up) and hands what it got to the test.
pub struct Receiver {
    pub url: String,
    plan: Arc<Mutex<VecDeque<u16>>>,
    got: mpsc::UnboundedReceiver<Received>,
}

impl Receiver {
    pub async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/hooks/zhihui", listener.local_addr().unwrap());
        let plan: Arc<Mutex<VecDeque<u16>>> = Arc::default();
        let (tx, got) = mpsc::unbounded_channel();
        let p = plan.clone();
        tokio::spawn(async move {
            while let Ok((mut sock, _)) = listener.accept().await {
                let (tx, p) = (tx.clone(), p.clone());
                tokio::spawn(async move {
                    let Some(r) = read_request(&mut sock).await else {
                        return;
                    };
                    let status = p.lock().unwrap().pop_front().unwrap_or(200);
                    let answer = format!(
                        "HTTP/1.1 {status} X\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok"
                    );
                    let _ = sock.write_all(answer.as_bytes()).await;
                    let _ = sock.shutdown().await;
                    let _ = tx.send(r);
                });
            }
        });
        Self { url, plan, got }
    }

    pub fn answer_next(&self, statuses: &[u16]) {
        self.plan.lock().unwrap().extend(statuses);
    }

    /// The next request; fails the test if none comes within ten seconds.
    pub async fn next(&mut self) -> Received {
        tokio::time::timeout(StdDuration::from_secs(10), self.got.recv())
            .await
            .expect("no delivery within ten seconds")
            .unwrap()
    }
}

async fn read_request(sock: &mut tokio::net::TcpStream) -> Option<Received> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        let n = sock.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_string();
    let headers: Vec<(String, String)> = head
        .lines()
        .skip(1)
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    let len: usize = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    while buf.len() < head_end + len {
        let n = sock.read(&mut chunk).await.ok()?;
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    Some(Received {
        headers,
        body: buf[head_end..].to_vec(),
    })
}

pub async fn endpoint(
    app: &TestApp,
    admin: &User,
    org: Option<&str>,
    url: &str,
    types: &[&str],
) -> (String, String) {
    let (s, b) = app
        .post(
            "/api/v1/webhooks",
            Some(&admin.token),
            json!({"organization_id": org, "url": url, "event_types": types, "description": "测试接收端"}),
        )
        .await;
    assert_eq!(s, 201, "{b}");
    (
        b["endpoint"]["id"].as_str().unwrap().to_string(),
        b["secret"].as_str().unwrap().to_string(),
    )
}

async fn deliveries(app: &TestApp, admin: &User, endpoint: &str) -> Vec<Value> {
    let (s, b) = app
        .get(
            &format!("/api/v1/webhooks/{endpoint}/deliveries"),
            Some(&admin.token),
        )
        .await;
    assert_eq!(s, 200, "{b}");
    b["items"].as_array().unwrap().clone()
}

/// Waits (without sleeping blindly) until the sender has recorded an attempt's outcome.
async fn settled(app: &TestApp, admin: &User, endpoint: &str, attempts: i64) -> Value {
    for _ in 0..200 {
        let items = deliveries(app, admin, endpoint).await;
        if let Some(d) = items.first() {
            if d["attempts"].as_i64() == Some(attempts) {
                return d.clone();
            }
        }
        tokio::task::yield_now().await;
        tokio::time::sleep(StdDuration::from_millis(25)).await;
    }
    panic!("the attempt was not recorded");
}

dual_test!(
    deliveries_are_signed_retried_and_replayed,
    |app: TestApp| async move {
        let t = tree(&app).await;
        let mut county_hook = Receiver::start().await;
        let mut province_hook = Receiver::start().await;
        let mut outsider_hook = Receiver::start().await;

        let (county_ep, secret) = endpoint(
            &app,
            &t.county_admin,
            Some(&t.county),
            &county_hook.url,
            &["activity.published", "activity.cancelled"],
        )
        .await;
        assert!(secret.starts_with("whsec_"));
        let (province_ep, _) = endpoint(
            &app,
            &t.province_admin,
            Some(&t.province),
            &province_hook.url,
            &["activity.published"],
        )
        .await;
        let (outsider_ep, _) = endpoint(
            &app,
            &t.outsider,
            Some(&t.outsider_org),
            &outsider_hook.url,
            &["activity.published"],
        )
        .await;
        // The first attempt fails with a 500.
        county_hook.answer_next(&[500]);
        let activity = published(&app, &t.county_admin, activity_body(&t.county, 20, 10)).await;
        let first = county_hook.next().await;
        assert!(first.signed_with(&secret), "{:?}", first.headers);
        assert!(!first.signed_with("whsec_someone_else"));
        assert_eq!(first.header("Zhihui-Event-Type"), "activity.published");
        assert_eq!(first.header("Content-Type"), "application/json");
        let event = first.json();
        assert_eq!(event["type"], "activity.published");
        assert_eq!(event["resource"]["id"], activity.as_str());
        assert_eq!(event["resource"]["status"], "published");
        assert_eq!(
            event["resource"]["href"],
            format!("/api/v1/activities/{activity}")
        );
        assert_eq!(event["organization_ids"], json!([t.county]));
        // The envelope and its resource are the contract's types, field for field.
        let typed: zhihui_contract::integrations::WebhookEvent =
            serde_json::from_value(event.clone()).expect("a WebhookEvent");
        let resource: zhihui_contract::events::ActivityResource =
            serde_json::from_value(typed.resource).expect("an ActivityResource");
        assert_eq!(
            (resource.kind.as_str(), resource.capacity),
            ("activity", 10)
        );
        assert_eq!(
            first.header("Zhihui-Event-Id"),
            event["id"].as_str().unwrap()
        );
        // The province above the county hears it too.
        let above = province_hook.next().await;
        assert_eq!(above.json()["id"], event["id"]);

        let d = settled(&app, &t.county_admin, &county_ep, 1).await;
        assert_eq!(d["status"], "pending", "{d}");
        assert_eq!(d["last_status_code"], 500, "{d}");
        assert_eq!(d["event_type"], "activity.published");
        let retry_at: chrono::DateTime<chrono::Utc> =
            serde_json::from_value(d["next_attempt_at"].clone()).unwrap();
        assert_eq!(retry_at, app.clock.now() + Duration::seconds(30), "{d}");

        // Nothing before the retry is due; then the same event again, signed afresh.
        app.clock.advance(Duration::seconds(31));
        let second = county_hook.next().await;
        assert_eq!(second.json(), event);
        assert!(second.signed_with(&secret));
        assert_eq!(
            second.header("Zhihui-Delivery-Id"),
            first.header("Zhihui-Delivery-Id")
        );
        let d = settled(&app, &t.county_admin, &county_ep, 2).await;
        assert_eq!(d["status"], "delivered", "{d}");
        let delivery = d["id"].as_str().unwrap().to_string();
        let (s, detail) = app
            .get(
                &format!("/api/v1/webhook-deliveries/{delivery}"),
                Some(&t.county_admin.token),
            )
            .await;
        assert_eq!(s, 200, "{detail}");
        assert_eq!(detail["event"], event);
        let codes: Vec<i64> = detail["attempts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["status_code"].as_i64().unwrap())
            .collect();
        assert_eq!(codes, vec![500, 200]);
        assert_eq!(detail["attempts"][1]["response_excerpt"], "ok");
        let (s, _) = app
            .get(
                &format!("/api/v1/webhook-deliveries/{delivery}"),
                Some(&t.outsider.token),
            )
            .await;
        assert_eq!(s, 404);

        // A replay: the same event, a new delivery.
        let (s, r) = app
            .post(
                &format!("/api/v1/webhook-deliveries/{delivery}/replay"),
                Some(&t.county_admin.token),
                json!({}),
            )
            .await;
        assert_eq!(s, 202, "{r}");
        assert_eq!(r["replay_of"], delivery.as_str());
        let again = county_hook.next().await;
        assert_eq!(again.json()["id"], event["id"]);
        assert_eq!(
            again.header("Zhihui-Delivery-Id"),
            r["id"].as_str().unwrap()
        );
        let (s, _) = app
            .post(
                &format!("/api/v1/webhook-deliveries/{delivery}/replay"),
                Some(&t.outsider.token),
                json!({}),
            )
            .await;
        assert_eq!(s, 404);

        // A ping reaches the endpoint it is for.
        let (s, r) = app
            .post(
                &format!("/api/v1/webhooks/{county_ep}/ping"),
                Some(&t.county_admin.token),
                json!({}),
            )
            .await;
        assert_eq!(s, 202, "{r}");
        let ping = county_hook.next().await;
        assert_eq!(ping.json()["type"], "webhook.ping");
        assert!(ping.signed_with(&secret));

        // After rotation the old secret no longer verifies.
        let (s, r) = app
            .post(
                &format!("/api/v1/webhooks/{county_ep}/rotate"),
                Some(&t.county_admin.token),
                json!({}),
            )
            .await;
        assert_eq!(s, 200, "{r}");
        let fresh = r["secret"].as_str().unwrap().to_string();
        assert_ne!(fresh, secret);
        let (s, b) = app
            .post(
                &format!("/api/v1/activities/{activity}/cancel"),
                Some(&t.county_admin.token),
                json!({"reason": "暴雨预警"}),
            )
            .await;
        assert_eq!(s, 200, "{b}");
        let cancelled = county_hook.next().await;
        assert_eq!(cancelled.json()["type"], "activity.cancelled");
        assert_eq!(cancelled.json()["resource"]["cancel_reason"], "暴雨预警");
        assert!(cancelled.signed_with(&fresh));
        assert!(!cancelled.signed_with(&secret));

        // A paused endpoint hears nothing new; the province still does.
        let (s, b) = split(
            app.call(
                Method::PATCH,
                &format!("/api/v1/webhooks/{county_ep}"),
                Some(&t.county_admin.token),
                Some(json!({"active": false})),
            )
            .await,
        )
        .await;
        assert_eq!(s, 200, "{b}");
        assert_eq!(b["active"], false);
        let before = deliveries(&app, &t.county_admin, &county_ep).await.len();
        let second_activity =
            published(&app, &t.county_admin, activity_body(&t.county, 21, 10)).await;
        let heard = province_hook.next().await;
        assert_eq!(heard.json()["resource"]["id"], second_activity.as_str());
        assert_eq!(
            deliveries(&app, &t.county_admin, &county_ep).await.len(),
            before
        );

        // Another organisation's endpoint heard none of it.
        assert!(deliveries(&app, &t.outsider, &outsider_ep).await.is_empty());
        assert!(outsider_hook.got.try_recv().is_err());

        // Deleting removes the endpoint and its log.
        let r = app
            .call(
                Method::DELETE,
                &format!("/api/v1/webhooks/{province_ep}"),
                Some(&t.outsider.token),
                None,
            )
            .await;
        assert_eq!(r.status().as_u16(), 404);
        let r = app
            .call(
                Method::DELETE,
                &format!("/api/v1/webhooks/{province_ep}"),
                Some(&t.province_admin.token),
                None,
            )
            .await;
        assert_eq!(r.status().as_u16(), 204);
        let (s, _) = app
            .get(
                &format!("/api/v1/webhooks/{province_ep}"),
                Some(&t.province_admin.token),
            )
            .await;
        assert_eq!(s, 404);
    }
);

dual_test!(
    who_registers_and_reads_webhook_endpoints,
    |app: TestApp| async move {
        let t = tree(&app).await;
        let county_hook = Receiver::start().await;
        // Who may register: the organisation's admins and platform admins.
        let body = json!({"organization_id": t.county, "url": county_hook.url, "event_types": ["activity.published"]});
        let (s, p) = app
            .post("/api/v1/webhooks", Some(&t.outsider.token), body.clone())
            .await;
        assert_eq!(s, 403, "{p}");
        let (s, p) = app
            .post(
                "/api/v1/webhooks",
                Some(&t.county_admin.token),
                json!({"url": county_hook.url, "event_types": ["activity.published"]}),
            )
            .await;
        assert_eq!(s, 403, "a platform-level endpoint is the platform's: {p}");
        let (s, p) = app
            .post(
                "/api/v1/webhooks",
                Some(&t.county_admin.token),
                json!({"organization_id": t.county, "url": "not an address", "event_types": ["activity.published", "activity.deleted"]}),
            )
            .await;
        assert_eq!(s, 422, "{p}");
        let f = fields(&p);
        assert!(f.contains(&("url".into(), "invalid_url".into())), "{p}");
        assert!(
            f.contains(&("event_types[1]".into(), "unknown_event_type".into())),
            "{p}"
        );

        let (county_ep, secret) = endpoint(
            &app,
            &t.county_admin,
            Some(&t.county),
            &county_hook.url,
            &["activity.published"],
        )
        .await;
        assert!(secret.starts_with("whsec_"));
        // The secret is never shown again; another organisation's admin sees nothing.
        let (s, b) = app
            .get(
                &format!("/api/v1/webhooks/{county_ep}"),
                Some(&t.county_admin.token),
            )
            .await;
        assert_eq!(s, 200, "{b}");
        assert!(b.get("secret").is_none() && !b.to_string().contains(&secret));
        let (s, _) = app
            .get(
                &format!("/api/v1/webhooks/{county_ep}"),
                Some(&t.outsider.token),
            )
            .await;
        assert_eq!(s, 404);
        let (s, _) = app
            .get(
                &format!("/api/v1/webhooks/{county_ep}/deliveries"),
                Some(&t.province_admin.token),
            )
            .await;
        assert_eq!(s, 404);
        let (s, b) = app
            .get(
                &format!("/api/v1/webhooks/{county_ep}"),
                Some(&t.platform.token),
            )
            .await;
        assert_eq!(s, 200, "{b}");
        let (s, b) = app
            .get("/api/v1/webhooks", Some(&t.county_admin.token))
            .await;
        assert_eq!(s, 200, "{b}");
        assert_eq!(b["items"].as_array().unwrap().len(), 1);
        // Someone who administers nothing, and an API client, may not manage webhooks.
        let nobody = app.user("nobody@zh.cn").await;
        let (s, _) = app.get("/api/v1/webhooks", Some(&nobody.token)).await;
        assert_eq!(s, 403);
        let (s, c) = app
            .post(
                &format!("/api/v1/organizations/{}/api-clients", t.county),
                Some(&t.county_admin.token),
                json!({"name": "县平台", "scopes": ["activities:write"]}),
            )
            .await;
        assert_eq!(s, 201, "{c}");
        let key = c["api_key"].as_str().unwrap();
        let (s, p) = app.get("/api/v1/webhooks", Some(key)).await;
        assert_eq!(
            (s, p["code"].as_str()),
            (403, Some("not_for_api_clients")),
            "{p}"
        );
        let (s, p) = app.post("/api/v1/webhooks", Some(key), body.clone()).await;
        assert_eq!(s, 403, "{p}");
    }
);

dual_test!(
    failing_receivers_are_retried_for_a_day_then_given_up,
    long_sessions,
    |app: TestApp| async move {
        let t = tree(&app).await;
        // An address where nothing listens.
        let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/gone", closed.local_addr().unwrap());
        drop(closed);
        let (ep, _) = endpoint(
            &app,
            &t.county_admin,
            Some(&t.county),
            &url,
            &["activity.published"],
        )
        .await;
        published(&app, &t.county_admin, activity_body(&t.county, 20, 10)).await;
        let d = settled(&app, &t.county_admin, &ep, 1).await;
        assert_eq!(d["status"], "pending", "{d}");
        assert!(d["last_status_code"].is_null(), "{d}");
        assert!(
            d["last_error"]
                .as_str()
                .unwrap()
                .contains("could not connect"),
            "{d}"
        );
        // A day later the next failure is the last.
        app.clock.advance(Duration::hours(24));
        let d = settled(&app, &t.county_admin, &ep, 2).await;
        assert_eq!(d["status"], "failed", "{d}");
        assert!(d["next_attempt_at"].is_null(), "{d}");
        let (s, b) = app
            .get(
                &format!("/api/v1/webhooks/{ep}/deliveries?status=failed"),
                Some(&t.county_admin.token),
            )
            .await;
        assert_eq!(s, 200, "{b}");
        assert_eq!(b["items"].as_array().unwrap().len(), 1);
        let (s, b) = app
            .get(
                &format!("/api/v1/webhooks/{ep}/deliveries?status=lost"),
                Some(&t.county_admin.token),
            )
            .await;
        assert_eq!(s, 422, "{b}");
    }
);

dual_test!(
    webhook_addresses_must_be_public_https,
    |s: &mut zhihui_http::ApiSettings| s.webhooks.allow_insecure_urls = false,
    |app: TestApp| async move {
        let t = tree(&app).await;
        for (url, code) in [
            ("http://hooks.example.cn/x", "invalid_url"),
            ("https://127.0.0.1:9000/x", "private_address"),
            ("https://localhost/x", "private_address"),
            ("https://192.168.1.20/x", "private_address"),
        ] {
            let (s, p) = app
                .post(
                    "/api/v1/webhooks",
                    Some(&t.county_admin.token),
                    json!({"organization_id": t.county, "url": url, "event_types": ["activity.published"]}),
                )
                .await;
            assert_eq!(s, 422, "{url}: {p}");
            assert_eq!(
                fields(&p),
                vec![("url".to_string(), code.to_string())],
                "{url}"
            );
        }
        let (s, p) = app
            .post(
                "/api/v1/webhooks",
                Some(&t.county_admin.token),
                json!({"organization_id": t.county, "url": "https://hooks.example.cn/zhihui", "event_types": ["activity.published"]}),
            )
            .await;
        assert_eq!(s, 201, "{p}");
    }
);

/// Makes the outbox refuse one event type, so that the change writing it rolls back.
async fn refuse_events(app: &TestApp, event_type: &str, on: bool) {
    let db = Database::connect(&app.database_url).await.unwrap();
    let sql = match (db.get_database_backend(), on) {
        (DbBackend::Postgres, true) => format!(
            "CREATE FUNCTION refuse_event() RETURNS trigger LANGUAGE plpgsql AS $$ \
             BEGIN RAISE EXCEPTION 'refused by the test'; END $$; \
             CREATE TRIGGER refuse_event AFTER INSERT ON outbox_events FOR EACH ROW \
             WHEN (NEW.event_type = '{event_type}') EXECUTE FUNCTION refuse_event();"
        ),
        (DbBackend::Postgres, false) => {
            "DROP TRIGGER refuse_event ON outbox_events; DROP FUNCTION refuse_event();".into()
        }
        (_, true) => format!(
            "CREATE TRIGGER refuse_event AFTER INSERT ON outbox_events \
             WHEN NEW.event_type = '{event_type}' \
             BEGIN SELECT RAISE(ABORT, 'refused by the test'); END;"
        ),
        (_, false) => "DROP TRIGGER refuse_event;".into(),
    };
    db.execute_unprepared(&sql).await.unwrap();
    db.close().await.unwrap();
}

dual_test!(
    a_rolled_back_change_sends_nothing,
    |app: TestApp| async move {
        let t = tree(&app).await;
        let mut hook = Receiver::start().await;
        let (ep, secret) = endpoint(
            &app,
            &t.county_admin,
            Some(&t.county),
            &hook.url,
            &["activity.published"],
        )
        .await;
        let (s, a) = app
            .post(
                "/api/v1/activities",
                Some(&t.county_admin.token),
                activity_body(&t.county, 20, 10),
            )
            .await;
        assert_eq!(s, 201, "{a}");
        let doomed = a["id"].as_str().unwrap().to_string();
        refuse_events(&app, "activity.published", true).await;
        let (s, p) = app
            .post(
                &format!("/api/v1/activities/{doomed}/publish"),
                Some(&t.county_admin.token),
                json!({}),
            )
            .await;
        assert_eq!(s, 500, "{p}");
        refuse_events(&app, "activity.published", false).await;
        // The publication rolled back with its event.
        let (s, a) = app
            .get(
                &format!("/api/v1/activities/{doomed}"),
                Some(&t.county_admin.token),
            )
            .await;
        assert_eq!(s, 200, "{a}");
        assert_eq!(a["status"], "draft");
        // The next change's event is the first and only one the receiver gets.
        let kept = published(&app, &t.county_admin, activity_body(&t.county, 21, 10)).await;
        let got = hook.next().await;
        assert!(got.signed_with(&secret));
        assert_eq!(got.json()["resource"]["id"], kept.as_str());
        let all = deliveries(&app, &t.county_admin, &ep).await;
        assert_eq!(all.len(), 1, "{all:?}");
    }
);

dual_test!(
    events_committed_before_a_restart_are_delivered_after_it,
    |s: &mut zhihui_http::ApiSettings| {
        long_sessions(s);
        s.webhooks.deliver = false;
    },
    |app: TestApp| async move {
        let t = tree(&app).await;
        let mut hook = Receiver::start().await;
        let (ep, secret) = endpoint(
            &app,
            &t.county_admin,
            Some(&t.county),
            &hook.url,
            &[
                "pairing_letter.sent",
                "pairing_letter.expired",
                "membership.requested",
                "membership.approved",
            ],
        )
        .await;
        let letter = sent_letter(&app, &t, letter_body(&t.society, &t.county)).await;
        let (v, _) = volunteer(&app, 7, "赵六").await;
        member(&app, &t.county_admin, &t.county, &v).await;
        // This service sends nothing: the events wait in the outbox.
        assert!(deliveries(&app, &t.county_admin, &ep).await.is_empty());

        let app = app.restart(long_sessions).await;
        let mut types = vec![];
        for _ in 0..3 {
            let r = hook.next().await;
            assert!(r.signed_with(&secret));
            types.push(r.json()["type"].as_str().unwrap().to_string());
        }
        types.sort();
        assert_eq!(
            types,
            vec![
                "membership.approved",
                "membership.requested",
                "pairing_letter.sent"
            ]
        );

        // Nobody answers the letter: its expiry is announced once, when the clock passes it.
        app.clock.advance(Duration::days(30) + Duration::minutes(1));
        let expired = hook.next().await;
        let e = expired.json();
        assert_eq!(e["type"], "pairing_letter.expired");
        assert_eq!(e["resource"]["id"], letter.as_str());
        assert_eq!(e["resource"]["status"], "expired");
        let letter_resource: zhihui_contract::events::PairingLetterResource =
            serde_json::from_value(e["resource"].clone()).expect("a PairingLetterResource");
        assert!(letter_resource.pairing.is_none());
        assert!(
            !expired.body.windows(11).any(|w| w == b"13800138000"),
            "no phone numbers in events"
        );
        app.clock.advance(Duration::minutes(5));
        let (s, r) = app
            .post(
                &format!("/api/v1/webhooks/{ep}/ping"),
                Some(&t.county_admin.token),
                json!({}),
            )
            .await;
        assert_eq!(s, 202, "{r}");
        assert_eq!(
            hook.next().await.json()["type"],
            "webhook.ping",
            "the expiry was announced once"
        );
    }
);

dual_test!(
    a_platform_endpoint_hears_every_family,
    long_sessions,
    |app: TestApp| async move {
        let t = tree(&app).await;
        let mut hook = Receiver::start().await;
        let all = [
            "membership.requested",
            "membership.approved",
            "volunteer.imported",
            "activity.published",
            "activity.cancelled",
            "hours.confirmed",
            "certificate.issued",
            "pairing_letter.sent",
            "pairing_letter.accepted",
            "pairing_letter.declined",
            "pairing_letter.expired",
            "application.submitted",
            "application.endorsed",
            "application.decided",
            "monthly_report.submitted",
            "monthly_report.returned",
            "monthly_report.accepted",
        ];
        let (_, secret) = endpoint(&app, &t.platform, None, &hook.url, &all).await;

        let (v, vid) = volunteer(&app, 3, "王五").await;
        member(&app, &t.county_admin, &t.county, &v).await;
        let mut letter = letter_body(&t.society, &t.county);
        letter["period_from"] = json!("2026-06-01");
        let lid = sent_letter(&app, &t, letter).await;
        let (s, _) = app
            .post(
                &format!("/api/v1/pairing-letters/{lid}/accept"),
                Some(&t.county_admin.token),
                json!({}),
            )
            .await;
        assert_eq!(s, 200);
        served(
            &app,
            &t.county_admin,
            &t.county,
            "130102",
            10,
            &[(&v, &vid, 3.5)],
        )
        .await;
        app.clock
            .set(chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 6, 20, 2, 0, 0).unwrap());
        let (s, r) = app
            .post(
                &format!("/api/v1/organizations/{}/monthly-reports", t.county),
                Some(&t.county_admin.token),
                json!({"month": "2026-06"}),
            )
            .await;
        assert_eq!(s, 201, "{r}");
        let rid = r["id"].as_str().unwrap();
        let (s, b) = app
            .post(
                &format!("/api/v1/monthly-reports/{rid}/submit"),
                Some(&t.county_admin.token),
                json!({}),
            )
            .await;
        assert_eq!(s, 200, "{b}");

        let mut got: Vec<(String, Value)> = vec![];
        for _ in 0..7 {
            let r = hook.next().await;
            assert!(r.signed_with(&secret));
            let e = r.json();
            got.push((e["type"].as_str().unwrap().to_string(), e));
        }
        let mut types: Vec<&str> = got.iter().map(|(t, _)| t.as_str()).collect();
        types.sort();
        assert_eq!(
            types,
            vec![
                "activity.published",
                "hours.confirmed",
                "membership.approved",
                "membership.requested",
                "monthly_report.submitted",
                "pairing_letter.accepted",
                "pairing_letter.sent",
            ]
        );
        let of = |t: &str| {
            got.iter()
                .find(|(k, _)| k == t)
                .map(|(_, e)| e.clone())
                .unwrap()
        };
        let accepted = of("pairing_letter.accepted");
        assert!(accepted["resource"]["pairing"]["proof_number"]
            .as_str()
            .unwrap()
            .starts_with("JD2026"));
        assert_eq!(accepted["organization_ids"], json!([t.society, t.county]));
        let hours = of("hours.confirmed");
        assert_eq!(hours["resource"]["records"][0]["hours_tenths"], 35);
        assert_eq!(
            hours["resource"]["records"][0]["volunteer_id"],
            vid.as_str()
        );
        let report = of("monthly_report.submitted");
        assert_eq!(report["resource"]["id"], rid);
        assert_eq!(report["resource"]["month"], "2026-06");
        let joined = of("membership.approved");
        assert_eq!(joined["resource"]["volunteer_id"], vid.as_str());
        // Personal data stays out of events.
        for (_, e) in &got {
            let text = e.to_string();
            assert!(
                !text.contains("13912345678") && !text.contains("13800138000"),
                "{text}"
            );
        }
    }
);

dual_test!(
    settled_history_is_forgotten_after_the_retention,
    long_sessions,
    |app: TestApp| async move {
        let t = tree(&app).await;
        let mut hook = Receiver::start().await;
        let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let gone = format!("http://{}/gone", closed.local_addr().unwrap());
        drop(closed);
        // One endpoint hears cancellations and answers; the other hears publications and
        // never answers, so its delivery is still being retried.
        let (good, _) = endpoint(
            &app,
            &t.county_admin,
            Some(&t.county),
            &hook.url,
            &["activity.cancelled"],
        )
        .await;
        let (bad, _) = endpoint(
            &app,
            &t.county_admin,
            Some(&t.county),
            &gone,
            &["activity.published"],
        )
        .await;
        let id = published(&app, &t.county_admin, activity_body(&t.county, 20, 10)).await;
        let (s, b) = app
            .post(
                &format!("/api/v1/activities/{id}/cancel"),
                Some(&t.county_admin.token),
                json!({"reason": "暴雨预警"}),
            )
            .await;
        assert_eq!(s, 200, "{b}");
        hook.next().await;
        assert_eq!(
            settled(&app, &t.county_admin, &good, 1).await["status"],
            "delivered"
        );
        assert_eq!(
            settled(&app, &t.county_admin, &bad, 1).await["status"],
            "pending"
        );

        // Within the retention nothing goes.
        let now = app.clock.now();
        let n = app
            .store
            .prune_webhook_history(now - Duration::days(1), 1000)
            .await
            .unwrap();
        assert_eq!(n, 0);
        assert_eq!(deliveries(&app, &t.county_admin, &good).await.len(), 1);

        // Past it, an event not yet turned into notifications for the people it concerns
        // stays: the outbox has two readers.
        let n = app
            .store
            .prune_webhook_history(now + Duration::days(1), 1000)
            .await
            .unwrap();
        assert_eq!(n, 0);
        while app.store.events_to_notify().await.unwrap() > 0 {
            app.store.notify_outbox(now, 1000).await.unwrap();
        }

        // Then the settled delivery goes with its event and attempts (and so do the events
        // no endpoint heard: the five registrations approved); the one still being retried
        // stays.
        let n = app
            .store
            .prune_webhook_history(now + Duration::days(1), 1000)
            .await
            .unwrap();
        assert_eq!(n, 6);
        assert!(deliveries(&app, &t.county_admin, &good).await.is_empty());
        let kept = deliveries(&app, &t.county_admin, &bad).await;
        assert_eq!(kept.len(), 1);
        let (s, d) = app
            .get(
                &format!(
                    "/api/v1/webhook-deliveries/{}",
                    kept[0]["id"].as_str().unwrap()
                ),
                Some(&t.county_admin.token),
            )
            .await;
        assert_eq!(s, 200, "{d}");
    }
);
