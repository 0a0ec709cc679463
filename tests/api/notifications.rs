//! Notifications (rules 63-68): who is told of what, the inbox, preferences and their bad
//! input, and the day-before reminder through a real SMTP server (aiosmtpd) and an SMS
//! gateway receiver on loopback: its one-tap links confirm once, refuse reuse, forgery,
//! expiry and a withdrawn sign-up, and two senders at once send each reminder once.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration as StdDuration;

use sea_orm::{ConnectionTrait, Database, DbBackend, Statement};
use serde_json::{json, Value};
use zhihui_domain::notification::{sign_link, LinkClaim, LinkPurpose};
use zhihui_http::{AppState, Clock};

use crate::dual_test;
use crate::fixtures::*;
use crate::helpers::*;

async fn inbox(app: &TestApp, u: &User) -> Value {
    let (s, b) = app.get("/api/v1/me/notifications", Some(&u.token)).await;
    assert_eq!(s, 200, "{b}");
    b
}

fn kinds(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["kind"].as_str().unwrap().to_string())
        .collect()
}

/// Turns every committed event into notifications, waiting for any the webhook sender
/// holds locked at that moment (the sender runs beside the tests).
async fn fan_out(app: &TestApp) {
    for _ in 0..500 {
        app.store.notify_outbox(app.clock.now(), 200).await.unwrap();
        if app.store.events_to_notify().await.unwrap() == 0 {
            return;
        }
        tokio::time::sleep(StdDuration::from_millis(10)).await;
    }
    panic!("events still not notified after five seconds");
}

dual_test!(
    events_reach_the_people_they_concern,
    |app: TestApp| async move {
        let w = world(&app).await;
        let (v, _) = volunteer(&app, 1, "王小明").await;
        let (v2, _) = volunteer(&app, 2, "李四").await;

        // An approved registration tells the organisation's admins.
        fan_out(&app).await;
        for admin in [&w.admin, &w.other_admin] {
            assert_eq!(kinds(&inbox(&app, admin).await), ["organization.approved"]);
            let (s, _) = app
                .post(
                    "/api/v1/me/notifications/read-all",
                    Some(&admin.token),
                    json!({}),
                )
                .await;
            assert_eq!(s, 200);
        }

        // A join request tells the team's admin, not another organisation's.
        let (s, m) = app
            .post(
                &format!("/api/v1/organizations/{}/memberships", w.org),
                Some(&v.token),
                json!({}),
            )
            .await;
        assert_eq!(s, 201, "{m}");
        fan_out(&app).await;
        let a = inbox(&app, &w.admin).await;
        assert_eq!(kinds(&a), ["membership.requested", "organization.approved"]);
        assert_eq!(a["unread"], 1);
        // The volunteer's name is masked; the subject is in Chinese by default.
        assert!(
            a["items"][0]["body"].as_str().unwrap().contains("王*明"),
            "{a}"
        );
        assert!(!a["items"][0]["body"].as_str().unwrap().contains("王小明"));
        assert_eq!(a["items"][0]["subject"], "收到加入团队申请");
        assert_eq!(inbox(&app, &w.other_admin).await["unread"], 0);
        assert_eq!(inbox(&app, &v).await["unread"], 0);

        // Approval tells the volunteer.
        let (s, b) = app
            .post(
                &format!(
                    "/api/v1/organizations/{}/memberships/{}/approve",
                    w.org,
                    m["id"].as_str().unwrap()
                ),
                Some(&w.admin.token),
                json!({}),
            )
            .await;
        assert_eq!(s, 200, "{b}");
        fan_out(&app).await;
        assert_eq!(kinds(&inbox(&app, &v).await), ["membership.approved"]);

        // A rejection tells the volunteer why.
        let (s, m2) = app
            .post(
                &format!("/api/v1/organizations/{}/memberships", w.other_org),
                Some(&v2.token),
                json!({}),
            )
            .await;
        assert_eq!(s, 201, "{m2}");
        let (s, b) = app
            .post(
                &format!(
                    "/api/v1/organizations/{}/memberships/{}/reject",
                    w.other_org,
                    m2["id"].as_str().unwrap()
                ),
                Some(&w.other_admin.token),
                json!({"reason": "本队仅招收农业技术人员"}),
            )
            .await;
        assert_eq!(s, 200, "{b}");
        fan_out(&app).await;
        let r = inbox(&app, &v2).await;
        assert_eq!(kinds(&r), ["membership.rejected"]);
        assert!(r["items"][0]["body"]
            .as_str()
            .unwrap()
            .contains("本队仅招收农业技术人员"));
        let (s, _) = app
            .post(
                "/api/v1/me/notifications/read-all",
                Some(&v2.token),
                json!({}),
            )
            .await;
        assert_eq!(s, 200);

        // Marking read: one's own only; another's notification is not found.
        let id = a["items"][0]["id"].as_str().unwrap().to_string();
        let path = format!("/api/v1/me/notifications/{id}/read");
        let (s, b) = app.post(&path, Some(&w.other_admin.token), json!({})).await;
        assert_eq!(
            (s, b["code"].as_str()),
            (404, Some("notification_not_found"))
        );
        let (s, b) = app.post(&path, Some(&w.admin.token), json!({})).await;
        assert_eq!(s, 200, "{b}");
        assert!(b["read_at"].is_string());
        assert_eq!(inbox(&app, &w.admin).await["unread"], 0);
        let (s, _) = app.post(&path, None, json!({})).await;
        assert_eq!(s, 401);

        // One place: the first is confirmed, the second waits and moves up when it frees.
        let act = published(&app, &w.admin, activity_body(&w.org, 10, 1)).await;
        let sign_ups = format!("/api/v1/activities/{act}/sign-ups");
        for u in [&v, &v2] {
            let (s, b) = app.post(&sign_ups, Some(&u.token), json!({})).await;
            assert_eq!(s, 201, "{b}");
        }
        fan_out(&app).await;
        assert_eq!(
            kinds(&inbox(&app, &v).await),
            ["sign_up.confirmed", "membership.approved"]
        );
        assert_eq!(kinds(&inbox(&app, &v2).await), ["membership.rejected"]);
        let (s, b) = app.delete(&format!("{sign_ups}/mine"), &v.token).await;
        assert!(s == 200 || s == 204, "{s} {b}");
        fan_out(&app).await;
        let p = inbox(&app, &v2).await;
        assert_eq!(kinds(&p), ["sign_up.promoted", "membership.rejected"]);
        assert!(p["items"][0]["body"]
            .as_str()
            .unwrap()
            .contains("果树冬季修剪技术指导"));

        // Moving the activity tells who takes part; a change of its description does not.
        let path = format!("/api/v1/activities/{act}");
        let (s, b, _) = app
            .put_if(
                &path,
                &w.admin.token,
                json!({"description": "带上修枝剪"}),
                None,
            )
            .await;
        assert_eq!(s, 200, "{b}");
        let (s, b, _) = app
            .put_if(
                &path,
                &w.admin.token,
                json!({"starts_at": at(11, 1, 0), "ends_at": at(11, 5, 0)}),
                None,
            )
            .await;
        assert_eq!(s, 200, "{b}");
        fan_out(&app).await;
        let moved = kinds(&inbox(&app, &v2).await);
        assert_eq!(moved[0], "activity.rescheduled");
        assert_eq!(
            moved
                .iter()
                .filter(|k| *k == "activity.rescheduled")
                .count(),
            1
        );

        // Cancelling the activity tells who is still signed up.
        let (s, b) = app
            .post(
                &format!("/api/v1/activities/{act}/cancel"),
                Some(&w.admin.token),
                json!({"reason": "暴雨预警"}),
            )
            .await;
        assert_eq!(s, 200, "{b}");
        fan_out(&app).await;
        let p = inbox(&app, &v2).await;
        assert_eq!(kinds(&p)[0], "activity.cancelled");
        assert!(p["items"][0]["body"].as_str().unwrap().contains("暴雨预警"));
        assert_eq!(kinds(&inbox(&app, &v).await)[0], "sign_up.confirmed");

        // Mark all read.
        let (s, b) = app
            .post(
                "/api/v1/me/notifications/read-all",
                Some(&v2.token),
                json!({}),
            )
            .await;
        assert_eq!((s, b["marked"].as_u64()), (200, Some(3)));
        assert_eq!(inbox(&app, &v2).await["unread"], 0);

        // The delivery log is the platform's.
        let (s, b) = app
            .get("/api/v1/notification-deliveries", Some(&w.admin.token))
            .await;
        assert_eq!((s, b["code"].as_str()), (403, Some("platform_admin_only")));
        let (s, b) = app
            .get(
                "/api/v1/notification-deliveries?channel=fax",
                Some(&w.platform.token),
            )
            .await;
        assert_eq!(
            fields(&b),
            [("channel".into(), "unknown_channel".into())],
            "{s}"
        );
    }
);

dual_test!(
    preferences_refuse_bad_input_and_change_nothing,
    |app: TestApp| async move {
        let (v, _) = volunteer(&app, 1, "王小明").await;
        let path = "/api/v1/me/notification-preferences";
        let (s, before) = app.get(path, Some(&v.token)).await;
        assert_eq!(s, 200, "{before}");
        assert_eq!(before["version"], 0);
        assert_eq!(before["quiet_from"], "21:00");
        assert!(before["phone_masked"].as_str().unwrap().contains("****"));
        assert!(before["email_masked"].is_null());

        let (s, b, _) = app
            .put_if(
                path,
                &v.token,
                json!({
                    "families": [
                        {"family": "weather", "email": false},
                        {"family": "report", "in_app": false},
                        {"family": "membership", "sms": true}
                    ],
                    "quiet_from": "25:00",
                    "quiet_to": "7",
                    "language": "fr",
                    "email": "not an address",
                    "phone": "12345"
                }),
                None,
            )
            .await;
        assert_eq!(s, 422, "{b}");
        let got: Vec<(String, String)> = fields(&b);
        for want in [
            ("families[0].family", "unknown_notification_family"),
            ("families[1].in_app", "legally_required_notice"),
            ("families[2].sms", "sms_not_offered"),
            ("quiet_from", "not_a_time"),
            ("quiet_to", "not_a_time"),
            ("language", "unknown_language"),
            ("email", "invalid_email"),
        ] {
            assert!(
                got.contains(&(want.0.to_string(), want.1.to_string())),
                "{want:?} not in {got:?}"
            );
        }
        assert!(got.iter().any(|(f, _)| f == "phone"), "{got:?}");
        let (_, after) = app.get(path, Some(&v.token)).await;
        assert_eq!(after, before);

        // A good change, then a stale one.
        let (s, b, etag) = app
            .put_if(
                path,
                &v.token,
                json!({
                    "families": [{"family": "activity", "in_app": false, "email": false}],
                    "email": "wang.xm@example.cn",
                    "language": "en",
                    "email_digest": true
                }),
                Some("\"0\""),
            )
            .await;
        assert_eq!(s, 200, "{b}");
        assert_eq!(etag.as_deref(), Some("\"1\""));
        assert_eq!(b["email_masked"], "w***@example.cn");
        assert!(!b.to_string().contains("wang.xm"));
        let activity = b["families"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["family"] == "activity")
            .unwrap()
            .clone();
        assert_eq!(
            (activity["in_app"].as_bool(), activity["email"].as_bool()),
            (Some(false), Some(false))
        );
        let (s, _, _) = app
            .put_if(path, &v.token, json!({"language": "zh"}), Some("\"0\""))
            .await;
        assert_eq!(s, 412);

        // Activity notices turned off in the app: a sign-up writes none to the inbox.
        let w = world(&app).await;
        let act = published(&app, &w.admin, activity_body(&w.org, 10, 5)).await;
        let (s, b) = app
            .post(
                &format!("/api/v1/activities/{act}/sign-ups"),
                Some(&v.token),
                json!({}),
            )
            .await;
        assert_eq!(s, 201, "{b}");
        fan_out(&app).await;
        assert!(kinds(&inbox(&app, &v).await).is_empty());

        // API clients have no inbox.
        let (s, _) = app
            .get("/api/v1/me/notifications", Some("zk_not-a-key"))
            .await;
        assert_eq!(s, 401);
    }
);

/// An SMTP server process (aiosmtpd from PyPI, installed by the test command) writing
/// what it receives into a maildir.
struct MailServer {
    child: std::process::Child,
    port: u16,
    dir: PathBuf,
}

impl MailServer {
    async fn start() -> Self {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let venv = root.join("target/venv/bin/python");
        let python = if venv.exists() {
            venv
        } else {
            PathBuf::from("python3")
        };
        let port = {
            let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            l.local_addr().unwrap().port()
        };
        let dir = std::env::temp_dir().join(format!("zhihui-mail-{}", uuid::Uuid::new_v4()));
        let mut child = std::process::Command::new(&python)
            .args(["-m", "aiosmtpd", "-n", "-l"])
            .arg(format!("127.0.0.1:{port}"))
            .args(["-c", "aiosmtpd.handlers.Mailbox"])
            .arg(&dir)
            .spawn()
            .expect("aiosmtpd (pip install aiosmtpd) is needed for the email tests");
        for _ in 0..100 {
            if tokio::net::TcpStream::connect(("127.0.0.1", port))
                .await
                .is_ok()
            {
                return Self { child, port, dir };
            }
            tokio::time::sleep(StdDuration::from_millis(100)).await;
        }
        let _ = child.kill();
        let _ = child.wait();
        panic!("the SMTP server did not start on port {port} (is aiosmtpd installed?)");
    }

    /// The messages received so far, as text.
    fn messages(&self) -> Vec<String> {
        let mut out = vec![];
        for sub in ["new", "cur"] {
            if let Ok(entries) = std::fs::read_dir(self.dir.join(sub)) {
                for e in entries.flatten() {
                    out.push(std::fs::read_to_string(e.path()).unwrap_or_default());
                }
            }
        }
        out
    }
}

impl Drop for MailServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// The tokens of a message's links to `path`, in order, once each (quoted-printable undone).
fn token_after(message: &str, path: &str) -> Vec<String> {
    let flat = message
        .replace("=\r\n", "")
        .replace("=\n", "")
        .replace("=3D", "=");
    let needle = format!("{path}?token=");
    let mut out: Vec<String> = vec![];
    for (i, _) in flat.match_indices(&needle) {
        let t: String = flat[i + needle.len()..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '.' || *c == '_')
            .collect();
        // The plain-text and the HTML part carry the same links.
        if !out.contains(&t) {
            out.push(t);
        }
    }
    out
}

async fn sender_state(app: &TestApp, smtp_port: u16, sms_url: &str) -> AppState {
    let mut settings = app.settings.clone();
    settings.notifications.smtp = Some(zhihui_http::SmtpSettings {
        host: "127.0.0.1".into(),
        port: smtp_port,
        security: zhihui_http::SmtpSecurity::None,
        username: None,
        password: None,
        from: "智惠 <noreply@zhihui.example.cn>".into(),
    });
    settings.notifications.sms = Some(zhihui_http::SmsSettings {
        url: sms_url.into(),
        key: "sms-test-key".into(),
    });
    AppState::new(app.store.clone(), settings, Arc::new(app.clock.clone()))
}

/// One round of a sender (a replica's), with its own SMTP connection and HTTP client.
async fn send_round(state: &AppState) -> zhihui_persistence::StoreResult<()> {
    let mailer = zhihui_http::notifier::mailer(state);
    let http = reqwest::Client::new();
    zhihui_http::notifier::round(state, mailer.as_ref(), &http).await
}

async fn link_ids(app: &TestApp, sign_up: &str) -> Vec<(String, String)> {
    let db = Database::connect(&app.database_url).await.unwrap();
    let backend = db.get_database_backend();
    let sql = match backend {
        DbBackend::Postgres => "SELECT CAST(id AS TEXT) AS id, purpose FROM attendance_links WHERE CAST(sign_up_id AS TEXT) = $1",
        _ => "SELECT id, purpose FROM attendance_links WHERE sign_up_id = ?",
    };
    let value: sea_orm::Value = match backend {
        DbBackend::Postgres => sign_up.to_string().into(),
        _ => uuid::Uuid::parse_str(sign_up).unwrap().into(),
    };
    let rows = db
        .query_all(Statement::from_sql_and_values(backend, sql, [value]))
        .await
        .unwrap();
    rows.iter()
        .map(|r| {
            let id: String = r
                .try_get::<String>("", "id")
                .or_else(|_| r.try_get::<uuid::Uuid>("", "id").map(|u| u.to_string()))
                .unwrap();
            (id, r.try_get("", "purpose").unwrap())
        })
        .collect()
}

dual_test!(
    the_day_before_email_confirms_once,
    long_sessions,
    |app: TestApp| async move {
        let mail = MailServer::start().await;
        let mut sms = crate::webhooks::Receiver::start().await;
        let w = world(&app).await;
        let (v, _) = volunteer(&app, 1, "王小明").await;
        let (v2, _) = volunteer(&app, 2, "李四").await;
        let (v3, _) = volunteer(&app, 3, "赵六").await;
        let (s, b, _) = app
            .put_if(
                "/api/v1/me/notification-preferences",
                &v.token,
                json!({"email": "wang.xm@example.cn"}),
                None,
            )
            .await;
        assert_eq!(s, 200, "{b}");
        // Starts 3 June 01:00 UTC (09:00 China time); the clock is at 1 June 02:00.
        let act = published(&app, &w.admin, activity_body(&w.org, 3, 10)).await;
        let path = format!("/api/v1/activities/{act}/sign-ups");
        let mut ids = vec![];
        for u in [&v, &v2, &v3] {
            let (s, b) = app.post(&path, Some(&u.token), json!({})).await;
            assert_eq!(s, 201, "{b}");
            ids.push(b["id"].as_str().unwrap().to_string());
        }
        fan_out(&app).await;
        // Two senders, as two replicas: nothing is due yet, then the day before.
        let a = sender_state(&app, mail.port, &sms.url).await;
        let b2 = sender_state(&app, mail.port, &sms.url).await;
        let (r1, r2) = tokio::join!(send_round(&a), send_round(&b2));
        r1.unwrap();
        r2.unwrap();
        let confirmations = mail.messages().len();
        assert_eq!(confirmations, 1, "the sign-up confirmation email");
        app.clock.set(at(2, 2, 0));
        let (r1, r2) = tokio::join!(send_round(&a), send_round(&b2));
        r1.unwrap();
        r2.unwrap();
        let messages = mail.messages();
        let day_before: Vec<&String> = messages
            .iter()
            .filter(|m| {
                m.contains("Tomorrow")
                    || m.contains("=E6=98=8E=E5=A4=A9")
                    || token_after(m, "/attend").len() == 2
            })
            .collect();
        assert_eq!(day_before.len(), 1, "one day-before email: {messages:?}");
        let m = day_before[0];
        assert!(m.contains("wang.xm@example.cn"));
        let attend = token_after(m, "/attend");
        assert_eq!(attend.len(), 2, "{m}");
        let unsubscribe = token_after(m, "/unsubscribe");
        assert_eq!(unsubscribe.len(), 1, "{m}");
        // The day-before SMS went to every participant with a phone, without ID numbers or names.
        let mut texts = vec![];
        for _ in 0..3 {
            let r = sms.next().await;
            assert_eq!(r.header("authorization"), "Bearer sms-test-key");
            let j = r.json();
            assert_eq!(j["template_id"], "activity.day_before");
            assert!(j["phone"].as_str().unwrap().starts_with('1'));
            texts.push(j["text"].as_str().unwrap().to_string());
        }
        for t in &texts {
            assert!(!t.contains("王小明") && !t.contains("110105"), "{t}");
        }

        // Confirm once; again is refused; a forged token is not valid.
        let (confirm, withdraw) = (&attend[0], &attend[1]);
        let (s, b) = app
            .post("/api/v1/attendance-links", None, json!({"token": confirm}))
            .await;
        assert_eq!(s, 200, "{b}");
        assert_eq!(b["action"], "confirm");
        assert_eq!(b["activity_id"].as_str(), Some(act.as_str()));
        let (s, b) = app
            .post("/api/v1/attendance-links", None, json!({"token": confirm}))
            .await;
        assert_eq!((s, b["code"].as_str()), (409, Some("link_used")));
        let mut forged = confirm.clone();
        let last = forged.pop().unwrap();
        forged.push(if last == '0' { '1' } else { '0' });
        let (s, b) = app
            .post("/api/v1/attendance-links", None, json!({"token": forged}))
            .await;
        assert_eq!((s, b["code"].as_str()), (404, Some("link_invalid")));
        let (s, _) = app
            .post("/api/v1/attendance-links", None, json!({"token": "x"}))
            .await;
        assert_eq!(s, 404);
        // Withdrawing through the other link withdraws the sign-up.
        let (s, b) = app
            .post("/api/v1/attendance-links", None, json!({"token": withdraw}))
            .await;
        assert_eq!((s, b["action"].as_str()), (200, Some("withdraw")), "{b}");
        let (_, mine) = app
            .get("/api/v1/volunteers/me/sign-ups", Some(&v.token))
            .await;
        assert!(!mine.to_string().contains("\"confirmed\""), "{mine}");

        // The second volunteer withdrew in the app: their link is refused.
        let key = zhihui_http::notifier::link_key(&a);
        let token_of = |id: &str, purpose| {
            sign_link(
                &key,
                LinkClaim {
                    purpose,
                    subject: uuid::Uuid::parse_str(id).unwrap(),
                    family: None,
                },
            )
        };
        let l2 = link_ids(&app, &ids[1]).await;
        let c2 = l2.iter().find(|(_, p)| p == "confirm").unwrap().0.clone();
        let (s, _) = app.delete(&format!("{path}/mine"), &v2.token).await;
        assert!(s == 200 || s == 204);
        let (s, b) = app
            .post(
                "/api/v1/attendance-links",
                None,
                json!({"token": token_of(&c2, LinkPurpose::Confirm)}),
            )
            .await;
        assert_eq!((s, b["code"].as_str()), (409, Some("sign_up_not_live")));
        // A link signed for one purpose does not serve the other.
        let (s, _) = app
            .post(
                "/api/v1/attendance-links",
                None,
                json!({"token": token_of(&c2, LinkPurpose::Withdraw)}),
            )
            .await;
        assert_eq!(s, 404);
        // After the start, the third volunteer's link has expired.
        let l3 = link_ids(&app, &ids[2]).await;
        let c3 = l3.iter().find(|(_, p)| p == "confirm").unwrap().0.clone();
        app.clock.set(at(3, 1, 30));
        let (s, b) = app
            .post(
                "/api/v1/attendance-links",
                None,
                json!({"token": token_of(&c3, LinkPurpose::Confirm)}),
            )
            .await;
        assert_eq!((s, b["code"].as_str()), (410, Some("link_expired")));

        // The unsubscribe link turns off the family's emails without signing in, twice alike.
        for _ in 0..2 {
            let (s, b) = app
                .post(
                    "/api/v1/unsubscribe",
                    None,
                    json!({"token": unsubscribe[0]}),
                )
                .await;
            assert_eq!((s, b["family"].as_str()), (200, Some("activity")), "{b}");
        }
        let (_, p) = app
            .get("/api/v1/me/notification-preferences", Some(&v.token))
            .await;
        let activity = p["families"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["family"] == "activity")
            .unwrap()
            .clone();
        assert_eq!(activity["email"], false);
        let (s, _) = app
            .post("/api/v1/unsubscribe", None, json!({"token": confirm}))
            .await;
        assert_eq!(s, 404);

        // Later rounds send nothing again.
        send_round(&a).await.unwrap();
        assert_eq!(mail.messages().len(), messages.len());

        // The log shows what went, without addresses.
        let (s, log) = app
            .get(
                "/api/v1/notification-deliveries?limit=50",
                Some(&w.platform.token),
            )
            .await;
        assert_eq!(s, 200, "{log}");
        assert!(!log.to_string().contains("wang.xm"));
        let sent = log["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["status"] == "sent")
            .count();
        assert_eq!(sent, 5, "two emails and three SMS: {log}");
    }
);

dual_test!(
    sms_waits_out_the_quiet_hours,
    long_sessions,
    |app: TestApp| async move {
        let mut sms = crate::webhooks::Receiver::start().await;
        let w = world(&app).await;
        let (v, _) = volunteer(&app, 1, "王小明").await;
        // Starts 3 June 13:00 UTC (21:00 China time); the day before is 2 June 13:00 UTC, in
        // the quiet hours: the SMS waits until 08:00 China time (3 June 00:00 UTC).
        let mut body = activity_body(&w.org, 3, 10);
        body["starts_at"] = json!(at(3, 13, 0));
        body["ends_at"] = json!(at(3, 14, 0));
        let act = published(&app, &w.admin, body).await;
        let (s, b) = app
            .post(
                &format!("/api/v1/activities/{act}/sign-ups"),
                Some(&v.token),
                json!({}),
            )
            .await;
        assert_eq!(s, 201, "{b}");
        let state = sender_state(&app, 9, &sms.url).await;
        app.clock.set(at(2, 13, 30));
        zhihui_http::notifier::round(&state, None, &reqwest::Client::new())
            .await
            .unwrap();
        let (_, log) = app
            .get(
                "/api/v1/notification-deliveries?channel=sms",
                Some(&w.platform.token),
            )
            .await;
        let held = &log["items"][0];
        assert_eq!(held["status"], "pending", "{log}");
        assert_eq!(held["next_attempt_at"], "2026-06-03T00:00:00Z");
        app.clock.set(at(3, 0, 1));
        zhihui_http::notifier::round(&state, None, &reqwest::Client::new())
            .await
            .unwrap();
        assert_eq!(
            sms.next().await.json()["template_id"],
            "activity.day_before"
        );
    }
);

async fn count_of(app: &TestApp, u: &User, kind: &str) -> usize {
    let (s, b) = app
        .get("/api/v1/me/notifications?limit=200", Some(&u.token))
        .await;
    assert_eq!(s, 200, "{b}");
    kinds(&b).iter().filter(|k| k.as_str() == kind).count()
}

dual_test!(
    letters_and_report_reminders_reach_their_admins_once,
    long_sessions,
    |app: TestApp| async move {
        let t = tree(&app).await;
        // A letter received tells the recipient's admins; its answer tells the sender's.
        let id = sent_letter(&app, &t, letter_body(&t.society, &t.county)).await;
        fan_out(&app).await;
        assert_eq!(
            count_of(&app, &t.county_admin, "pairing_letter.received").await,
            1
        );
        for other in [&t.society_admin, &t.outsider, &t.city_admin] {
            assert_eq!(count_of(&app, other, "pairing_letter.received").await, 0);
        }
        let (s, b) = app
            .post(
                &format!("/api/v1/pairing-letters/{id}/accept"),
                Some(&t.county_admin.token),
                json!({}),
            )
            .await;
        assert_eq!(s, 200, "{b}");
        fan_out(&app).await;
        assert_eq!(
            count_of(&app, &t.society_admin, "pairing_letter.answered").await,
            1
        );
        assert_eq!(
            count_of(&app, &t.county_admin, "pairing_letter.answered").await,
            0
        );

        // June's report (grace 5 days) is due on 5 July: on 3 July every organisation's admins
        // are told it is due soon, once, however often the reminders are looked for and after
        // a restart.
        let grace = app.settings.report_grace_days;
        let sweep = |app: &TestApp| {
            let (store, now) = (app.store.clone(), app.clock.now());
            async move { store.sweep_reminders(now, grace, 200).await.unwrap() }
        };
        app.clock
            .set(chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 7, 3, 2, 0, 0).unwrap());
        assert!(sweep(&app).await > 0);
        assert_eq!(sweep(&app).await, 0);
        let app = app.restart(long_sessions).await;
        assert_eq!(sweep(&app).await, 0);
        for admin in [&t.county_admin, &t.city_admin, &t.society_admin] {
            assert_eq!(count_of(&app, admin, "monthly_report.due_soon").await, 1);
        }
        // Missed while the service was down on the 5th and 6th: late on the 7th, to the county's
        // admins and its parent's (the city), not the province's for the county.
        app.clock
            .set(chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 7, 7, 2, 0, 0).unwrap());
        assert!(sweep(&app).await > 0);
        assert_eq!(sweep(&app).await, 0);
        assert_eq!(
            count_of(&app, &t.county_admin, "monthly_report.late").await,
            1
        );
        let (_, inbox) = app
            .get(
                "/api/v1/me/notifications?limit=200",
                Some(&t.city_admin.token),
            )
            .await;
        let late: Vec<&Value> = inbox["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|n| n["kind"] == "monthly_report.late")
            .collect();
        // The city's own report, and its county's.
        assert_eq!(late.len(), 2, "{inbox}");
        assert!(late
            .iter()
            .any(|n| n["href"].as_str().unwrap().contains(&t.county)));
        // The province hears of its own child's (the city's) late report, not the county's.
        let (_, province) = app
            .get(
                "/api/v1/me/notifications?limit=200",
                Some(&t.province_admin.token),
            )
            .await;
        let province_late: Vec<&Value> = province["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|n| n["kind"] == "monthly_report.late")
            .collect();
        assert!(province_late
            .iter()
            .any(|n| n["href"].as_str().unwrap().contains(&t.city)));
        assert!(!province_late
            .iter()
            .any(|n| n["href"].as_str().unwrap().contains(&t.county)));
        Shutdown::of(&app).run().await;
    }
);

dual_test!(
    a_daily_digest_sends_one_email_at_six,
    long_sessions,
    |app: TestApp| async move {
        let mail = MailServer::start().await;
        let w = world(&app).await;
        let (v, _) = volunteer(&app, 1, "王小明").await;
        let (s, b, _) = app
            .put_if(
                "/api/v1/me/notification-preferences",
                &v.token,
                json!({"email": "wang.xm@example.cn", "email_digest": true}),
                None,
            )
            .await;
        assert_eq!(s, 200, "{b}");
        let mut ids = vec![];
        for day in [10, 12] {
            let act = published(&app, &w.admin, activity_body(&w.org, day, 10)).await;
            let (s, b) = app
                .post(
                    &format!("/api/v1/activities/{act}/sign-ups"),
                    Some(&v.token),
                    json!({}),
                )
                .await;
            assert_eq!(s, 201, "{b}");
            ids.push(act);
        }
        fan_out(&app).await;
        // 10:00 China time: both emails wait for 18:00 (10:00 UTC).
        let state = sender_state(&app, mail.port, "http://127.0.0.1:9/").await;
        send_round(&state).await.unwrap();
        assert!(mail.messages().is_empty());
        let (_, log) = app
            .get(
                "/api/v1/notification-deliveries?channel=email",
                Some(&w.platform.token),
            )
            .await;
        let items = log["items"].as_array().unwrap();
        assert_eq!(items.len(), 2, "{log}");
        for d in items {
            assert_eq!(
                (d["status"].as_str(), d["digest"].as_bool()),
                (Some("pending"), Some(true))
            );
            assert_eq!(d["next_attempt_at"], "2026-06-01T10:00:00Z");
        }
        // At 18:00 one email carries both.
        app.clock.set(at(1, 10, 0));
        send_round(&state).await.unwrap();
        let messages = mail.messages();
        assert_eq!(messages.len(), 1, "{messages:?}");
        let flat = messages[0].replace("=\r\n", "").replace("=\n", "");
        for act in &ids {
            assert!(flat.contains(&format!("/activities/{act}")), "{flat}");
        }
        let (_, log) = app
            .get(
                "/api/v1/notification-deliveries?channel=email&status=sent",
                Some(&w.platform.token),
            )
            .await;
        assert_eq!(log["items"].as_array().unwrap().len(), 2, "{log}");
    }
);
