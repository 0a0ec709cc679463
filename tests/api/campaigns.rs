//! Collection campaigns (征集): a city opens a campaign for its municipal societies, they
//! submit entries (one short of the minimum), complete, are reopened after the deadline and
//! marked late; the city follows the progress, reminds, accepts entries as draft activities,
//! exports the workbook and closes; every other role is refused or told nothing.

use std::io::Cursor;

use calamine::{Reader, Xlsx};
use reqwest::Method;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{json, Value};
use zhihui_persistence::entities::{campaign_entry, outbox_event};

use crate::dual_test;
use crate::fixtures::*;
use crate::helpers::*;

fn actions(v: &Value) -> Vec<&str> {
    v["allowed_actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap())
        .collect()
}

fn campaign_body(owner: &str) -> Value {
    json!({
        "owner_id": owner,
        "title": "2026年度科普讲座活动征集",
        "purpose": "各学会至少开展3场科普讲座",
        "year": 2026,
        "addressed_categories": ["municipal_society"],
        "min_entries": 3,
        "custom_fields": [
            {"key": "mode", "label": "活动形式", "kind": "choice", "required": true, "choices": ["线上", "线下"]},
            {"key": "budget", "label": "经费预算（元）", "kind": "number"}
        ],
        "deadline": "2026-06-30"
    })
}

fn entry_body(org: &str, title: &str, month: i32) -> Value {
    json!({
        "organization_id": org,
        "title": title,
        "topic": "science_popularisation",
        "lead": "李教授",
        "planned_month": month,
        "place": "石家庄市科技馆报告厅",
        "expected_audience": 120,
        "custom": {"mode": "线下", "budget": 3000}
    })
}

async fn entry(app: &TestApp, who: &User, campaign: &str, body: Value) -> Value {
    let (st, b) = app
        .post(
            &format!("/api/v1/campaigns/{campaign}/entries"),
            Some(&who.token),
            body,
        )
        .await;
    assert_eq!(st, 201, "{b}");
    b
}

async fn post_if(app: &TestApp, path: &str, who: &User, body: Value, version: i64) -> (u16, Value) {
    let r = app
        .client
        .request(Method::POST, app.url(path))
        .bearer_auth(&who.token)
        .header("If-Match", format!("\"{version}\""))
        .json(&body)
        .send()
        .await
        .unwrap();
    split(r).await
}

async fn put_v(
    app: &TestApp,
    path: &str,
    token: &str,
    body: Value,
    version: Option<i64>,
) -> (u16, Value) {
    let m = version.map(|v| format!("\"{v}\""));
    let (st, b, _) = app.put_if(path, token, body, m.as_deref()).await;
    (st, b)
}

/// Two municipal societies of the tree's city (under the province in the tree; the city
/// association guides them), each with its own admin.
async fn societies(app: &TestApp, t: &Tree) -> ((User, String), (User, String)) {
    let a_admin = app.user("admin@sjzns.cn").await;
    let a = child(
        app,
        &t.province_admin,
        &a_admin,
        "石家庄市农学会",
        ("municipal_society", "city"),
        &t.province,
        "130100",
    )
    .await;
    let b_admin = app.user("admin@sjzyx.cn").await;
    let b = child(
        app,
        &t.province_admin,
        &b_admin,
        "石家庄市医学会",
        ("municipal_society", "city"),
        &t.province,
        "130100",
    )
    .await;
    ((a_admin, a), (b_admin, b))
}

/// The campaigns waiting on the workbench of `who`, by organisation.
async fn to_answer(app: &TestApp, who: &User) -> Vec<(String, i64)> {
    let (s, b) = app.get("/api/v1/me/work", Some(&who.token)).await;
    assert_eq!(s, 200, "{b}");
    b["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["kind"] == "campaigns_to_answer")
        .map(|i| {
            (
                i["organization"]["id"].as_str().unwrap().to_string(),
                i["count"].as_i64().unwrap(),
            )
        })
        .collect()
}

async fn events(app: &TestApp, kind: &str) -> u64 {
    outbox_event::Entity::find()
        .filter(outbox_event::Column::EventType.eq(kind))
        .count(app.store.connection())
        .await
        .unwrap()
}

dual_test!(
    a_campaign_is_drafted_opened_and_seen_only_by_those_it_concerns,
    |app: TestApp| async move {
        let t = tree(&app).await;
        let ((a_admin, a), _) = societies(&app, &t).await;
        let (volunteer, _) = volunteer(&app, 1, "张伟").await;

        // Bad input names every field, and nothing is stored.
        let mut bad = campaign_body(&t.city);
        bad["title"] = json!(" ");
        bad["addressed_categories"] = json!(["temple"]);
        bad["min_entries"] = json!(0);
        bad["deadline"] = json!("2026-05-01");
        bad["custom_fields"] = json!([
            {"key": "mode", "label": "形式", "kind": "choice", "choices": ["线上"]},
            {"key": "mode", "label": "形式2", "kind": "text"}
        ]);
        let (st, b) = app
            .post("/api/v1/campaigns", Some(&t.city_admin.token), bad)
            .await;
        assert_eq!(st, 422, "{b}");
        let f = fields(&b);
        for (field, code) in [
            ("title", "length"),
            ("addressed_categories[0]", "unknown_category"),
            ("min_entries", "range"),
            ("custom_fields[0].choices", "bad_choices"),
        ] {
            assert!(
                f.contains(&(field.into(), code.into())),
                "{field} {code}: {f:?}"
            );
        }
        let mut eleven = campaign_body(&t.city);
        eleven["custom_fields"] = json!((0..11)
            .map(|i| json!({"key": format!("f{i}"), "label": format!("项{i}"), "kind": "text"}))
            .collect::<Vec<_>>());
        let (st, b) = app
            .post("/api/v1/campaigns", Some(&t.city_admin.token), eleven)
            .await;
        assert_eq!(st, 422, "{b}");
        assert!(fields(&b).iter().any(|(n, _)| n == "custom_fields"), "{b}");
        let mut past = campaign_body(&t.city);
        past["deadline"] = json!("2026-05-31");
        let (st, b) = app
            .post("/api/v1/campaigns", Some(&t.city_admin.token), past)
            .await;
        assert_eq!(
            fields(&b),
            vec![("deadline".into(), "in_the_past".into())],
            "{st}"
        );

        // Only the owner's admins open campaigns for it.
        for who in [&a_admin, &t.county_admin, &t.outsider, &volunteer] {
            let (st, b) = app
                .post(
                    "/api/v1/campaigns",
                    Some(&who.token),
                    campaign_body(&t.city),
                )
                .await;
            assert_eq!(
                (st, b["code"].as_str()),
                (403, Some("not_your_organization"))
            );
        }
        let (st, _) = app
            .post("/api/v1/campaigns", None, campaign_body(&t.city))
            .await;
        assert_eq!(st, 401);
        let (st, v) = app
            .post(
                "/api/v1/campaigns",
                Some(&t.city_admin.token),
                campaign_body(&t.city),
            )
            .await;
        assert_eq!(st, 201, "{v}");
        let id = v["id"].as_str().unwrap().to_string();
        assert_eq!(v["status"], "draft");
        assert_eq!(actions(&v), vec!["update", "open"]);
        assert_eq!(v["custom_fields"][0]["choices"], json!(["线上", "线下"]));
        assert_eq!(v["addressed"], 0);

        // A draft is the owner's alone.
        let path = format!("/api/v1/campaigns/{id}");
        for who in [
            &a_admin,
            &t.province_admin,
            &t.outsider,
            &volunteer,
            &t.county_admin,
        ] {
            let (st, b) = app.get(&path, Some(&who.token)).await;
            assert_eq!((st, b["code"].as_str()), (404, Some("campaign_not_found")));
        }

        // Opening addresses the two societies, not the county association below the city.
        let (st, b) = post_if(&app, &format!("{path}/open"), &a_admin, json!({}), 1).await;
        assert_eq!(st, 404, "{b}");
        let (st, b) = post_if(&app, &format!("{path}/open"), &t.city_admin, json!({}), 9).await;
        assert_eq!(st, 412, "{b}");
        let (st, v) = post_if(&app, &format!("{path}/open"), &t.city_admin, json!({}), 1).await;
        assert_eq!(st, 200, "{v}");
        assert_eq!(v["status"], "open");
        assert_eq!(v["addressed"], 2);
        assert_eq!(actions(&v), vec!["update", "close", "remind"]);
        assert_eq!(events(&app, "campaign.opened").await, 1);
        let (st, b) = post_if(&app, &format!("{path}/open"), &t.city_admin, json!({}), 2).await;
        assert_eq!((st, b["code"].as_str()), (409, Some("campaign_not_draft")));

        // The addressed society sees it with its submission; the province above reads it;
        // the county, another province and a volunteer are told nothing.
        let (st, v) = app.get(&path, Some(&a_admin.token)).await;
        assert_eq!(st, 200);
        assert_eq!(actions(&v), Vec::<&str>::new());
        assert_eq!(v["my_submissions"][0]["organization"]["id"], a.as_str());
        assert_eq!(v["my_submissions"][0]["state"], "not_answered");
        assert_eq!(
            v["my_submissions"][0]["allowed_actions"],
            json!(["add_entry"])
        );
        let (st, v) = app.get(&path, Some(&t.province_admin.token)).await;
        assert_eq!(st, 200);
        assert_eq!(actions(&v), Vec::<&str>::new());
        for who in [&t.county_admin, &t.outsider, &volunteer, &t.society_admin] {
            let (st, _) = app.get(&path, Some(&who.token)).await;
            assert_eq!(st, 404);
        }

        // An open campaign keeps its fields and addressees; its deadline may move.
        let (st, b) = put_v(
            &app,
            &path,
            &t.city_admin.token,
            json!({"addressed_levels": ["county"]}),
            Some(2),
        )
        .await;
        assert_eq!(
            (st, b["code"].as_str()),
            (409, Some("campaign_fields_fixed")),
            "{b}"
        );
        let (st, v) = put_v(
            &app,
            &path,
            &t.city_admin.token,
            json!({"deadline": "2026-07-15"}),
            Some(2),
        )
        .await;
        assert_eq!(st, 200, "{v}");
        assert_eq!(v["deadline"], "2026-07-15");
        let (st, _) = put_v(
            &app,
            &path,
            &a_admin.token,
            json!({"title": "改个标题"}),
            None,
        )
        .await;
        assert_eq!(st, 403);

        // Lists: the owner's, the addressed one's, and refusals.
        let (st, page) = app
            .get("/api/v1/campaigns", Some(&t.city_admin.token))
            .await;
        assert_eq!(st, 200);
        assert_eq!(page["items"].as_array().unwrap().len(), 1);
        let (_, page) = app
            .get(
                &format!("/api/v1/campaigns?addressed_to={a}"),
                Some(&a_admin.token),
            )
            .await;
        assert_eq!(page["items"][0]["id"], id.as_str());
        let (_, page) = app
            .get(
                &format!("/api/v1/campaigns?owner_id={}", t.city),
                Some(&t.province_admin.token),
            )
            .await;
        assert_eq!(page["items"].as_array().unwrap().len(), 1);
        let (st, b) = app
            .get(
                &format!("/api/v1/campaigns?owner_id={}", t.city),
                Some(&t.outsider.token),
            )
            .await;
        assert_eq!(
            (st, b["code"].as_str()),
            (403, Some("not_in_your_oversight"))
        );
        let (st, _) = app
            .get(
                &format!("/api/v1/campaigns?addressed_to={a}"),
                Some(&t.city_admin.token),
            )
            .await;
        assert_eq!(st, 403);
        let (_, page) = app
            .get("/api/v1/campaigns", Some(&t.county_admin.token))
            .await;
        assert_eq!(page["items"], json!([]));
        let (st, _) = app
            .get("/api/v1/campaigns?status=lost", Some(&a_admin.token))
            .await;
        assert_eq!(st, 422);

        // A campaign addressing nobody is not opened.
        let mut nobody = campaign_body(&t.city);
        nobody["addressed_categories"] = json!(["university"]);
        let (_, v) = app
            .post("/api/v1/campaigns", Some(&t.city_admin.token), nobody)
            .await;
        let (st, b) = app
            .post(
                &format!("/api/v1/campaigns/{}/open", v["id"].as_str().unwrap()),
                Some(&t.city_admin.token),
                json!({}),
            )
            .await;
        assert_eq!(st, 422, "{b}");
        assert_eq!(
            fields(&b),
            vec![(
                "addressed_categories".into(),
                "campaign_addresses_nobody".into()
            )]
        );
    }
);

dual_test!(
    societies_submit_the_city_follows_accepts_exports_and_closes,
    long_sessions,
    |app: TestApp| async move {
        let t = tree(&app).await;
        let ((a_admin, a), (b_admin, b)) = societies(&app, &t).await;
        let (_, v) = app
            .post(
                "/api/v1/campaigns",
                Some(&t.city_admin.token),
                campaign_body(&t.city),
            )
            .await;
        let id = v["id"].as_str().unwrap().to_string();
        let path = format!("/api/v1/campaigns/{id}");
        let (st, _) = app
            .post(
                &format!("{path}/open"),
                Some(&t.city_admin.token),
                json!({}),
            )
            .await;
        assert_eq!(st, 200);
        let entries = format!("{path}/entries");
        // Each society's workbench has the campaign to answer; the city's does not.
        assert_eq!(to_answer(&app, &a_admin).await, vec![(a.clone(), 1)]);
        assert_eq!(to_answer(&app, &b_admin).await, vec![(b.clone(), 1)]);
        assert!(to_answer(&app, &t.city_admin).await.is_empty());

        // Custom values are checked against the campaign's fields, each named.
        let mut bad = entry_body(&a, "讲座", 7);
        bad["custom"] = json!({"mode": "邮寄", "budget": "很多", "colour": "red"});
        bad["planned_month"] = json!(13);
        let (st, e) = app.post(&entries, Some(&a_admin.token), bad).await;
        assert_eq!(st, 422, "{e}");
        let f = fields(&e);
        for (field, code) in [
            ("custom.mode", "not_a_choice"),
            ("custom.budget", "value_format"),
            ("custom.colour", "unknown_custom_field"),
            ("planned_month", "range"),
        ] {
            assert!(f.contains(&(field.into(), code.into())), "{field}: {f:?}");
        }
        let mut missing = entry_body(&a, "讲座", 7);
        missing["custom"] = json!({});
        let (_, e) = app.post(&entries, Some(&a_admin.token), missing).await;
        assert_eq!(fields(&e), vec![("custom.mode".into(), "required".into())]);

        // Society A submits three, society B two; neither submits for the other, and the
        // county (not addressed) is told nothing.
        let mut a_entries = vec![];
        for (n, month) in [(1, 7), (2, 9), (3, 11)] {
            let e = entry(
                &app,
                &a_admin,
                &id,
                entry_body(&a, &format!("果树修剪讲座{n}"), month),
            )
            .await;
            assert_eq!(e["status"], "submitted");
            assert_eq!(e["stage"], "planned");
            assert_eq!(actions(&e), vec!["update", "withdraw"]);
            assert_eq!(e["custom"][0]["label"], "活动形式");
            a_entries.push(e);
        }
        let mut b_entries = vec![];
        for n in 1..=2 {
            b_entries.push(
                entry(
                    &app,
                    &b_admin,
                    &id,
                    entry_body(&b, &format!("健康讲座{n}"), 8),
                )
                .await,
            );
        }
        let (st, e) = app
            .post(&entries, Some(&a_admin.token), entry_body(&b, "冒名", 8))
            .await;
        assert_eq!(
            (st, e["code"].as_str()),
            (403, Some("not_your_organization"))
        );
        let (st, _) = app
            .post(
                &entries,
                Some(&t.county_admin.token),
                entry_body(&t.county, "县里", 8),
            )
            .await;
        assert_eq!(st, 404);
        let (st, e) = app
            .post(
                &entries,
                Some(&t.city_admin.token),
                entry_body(&t.city, "市里", 8),
            )
            .await;
        assert_eq!((st, e["code"].as_str()), (403, Some("not_addressed")));

        // Completing needs the minimum.
        let complete = |org: &str| format!("{path}/submissions/{org}/complete");
        let (st, e) = app
            .post(&complete(&b), Some(&b_admin.token), json!({}))
            .await;
        assert_eq!(
            (st, e["code"].as_str()),
            (409, Some("too_few_entries")),
            "{e}"
        );
        let (st, e) = app
            .post(&complete(&a), Some(&b_admin.token), json!({}))
            .await;
        assert_eq!(st, 403, "{e}");
        let (st, s) = app
            .post(&complete(&a), Some(&a_admin.token), json!({}))
            .await;
        assert_eq!(st, 200, "{s}");
        assert_eq!(s["state"], "complete");
        assert_eq!(s["late"], false);
        assert_eq!(events(&app, "campaign.submission_completed").await, 1);
        assert!(to_answer(&app, &a_admin).await.is_empty());
        let (st, e) = app
            .post(&entries, Some(&a_admin.token), entry_body(&a, "第四场", 12))
            .await;
        assert_eq!((st, e["code"].as_str()), (409, Some("submission_complete")));
        let e1 = &a_entries[0];
        let (st, e) = put_v(
            &app,
            &format!("/api/v1/campaign-entries/{}", e1["id"].as_str().unwrap()),
            &a_admin.token,
            json!({"title": "改了"}),
            Some(1),
        )
        .await;
        assert_eq!((st, e["code"].as_str()), (409, Some("submission_complete")));

        // The owner reads entries but changes none of them; anonymous callers see nothing.
        let a1 = format!(
            "/api/v1/campaign-entries/{}",
            a_entries[0]["id"].as_str().unwrap()
        );
        let (st, e) = put_v(
            &app,
            &a1,
            &t.city_admin.token,
            json!({"title": "市里改的"}),
            None,
        )
        .await;
        assert_eq!(
            (st, e["code"].as_str()),
            (403, Some("not_your_organization")),
            "{e}"
        );
        let (st, _) = app.get(&path, None).await;
        assert_eq!(st, 401);
        // B edits and withdraws while open; the count follows.
        let b1 = b_entries[0]["id"].as_str().unwrap();
        let (st, e) = put_v(
            &app,
            &format!("/api/v1/campaign-entries/{b1}"),
            &b_admin.token,
            json!({"planned_month": 10, "custom": {"mode": "线上"}}),
            Some(1),
        )
        .await;
        assert_eq!(st, 200, "{e}");
        assert_eq!(e["planned_month"], 10);
        assert_eq!(
            e["custom"],
            json!([{"key": "mode", "label": "活动形式", "value": "线上"}])
        );
        let b2 = b_entries[1]["id"].as_str().unwrap();
        // Another addressed society does not even see B's entries.
        let (st, e) = app
            .post(
                &format!("/api/v1/campaign-entries/{b2}/withdraw"),
                Some(&a_admin.token),
                json!({}),
            )
            .await;
        assert_eq!(
            (st, e["code"].as_str()),
            (404, Some("campaign_entry_not_found"))
        );
        let (st, e) = app
            .post(
                &format!("/api/v1/campaign-entries/{b2}/withdraw"),
                Some(&b_admin.token),
                json!({}),
            )
            .await;
        assert_eq!(st, 200, "{e}");
        assert_eq!(e["status"], "withdrawn");
        assert_eq!(actions(&e), Vec::<&str>::new());

        // The progress table: the city and the province above read it; the societies do not.
        let (st, p) = app
            .get(&format!("{path}/progress"), Some(&t.city_admin.token))
            .await;
        assert_eq!(st, 200, "{p}");
        assert_eq!(
            (
                p["addressed"].clone(),
                p["complete"].clone(),
                p["in_progress"].clone()
            ),
            (json!(2), json!(1), json!(1))
        );
        assert_eq!(p["entries"], 4);
        let row_b = p["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["organization"]["id"] == b.as_str())
            .unwrap();
        assert_eq!(
            (row_b["entries"].clone(), row_b["short_by"].clone()),
            (json!(1), json!(2))
        );
        assert_eq!(row_b["state"], "in_progress");
        assert_eq!(p["months"][6]["planned"], 1);
        assert_eq!(p["months"][9]["planned"], 1);
        let (st, _) = app
            .get(&format!("{path}/progress"), Some(&t.province_admin.token))
            .await;
        assert_eq!(st, 200);
        let (st, e) = app
            .get(&format!("{path}/progress"), Some(&a_admin.token))
            .await;
        assert_eq!((st, e["code"].as_str()), (403, Some("campaign_owner_only")));
        let (_, only) = app
            .get(
                &format!("{path}/progress?state=complete"),
                Some(&t.city_admin.token),
            )
            .await;
        assert_eq!(only["rows"].as_array().unwrap().len(), 1);

        // Entries: all to the city, its own to each society.
        let (_, page) = app.get(&entries, Some(&t.city_admin.token)).await;
        assert_eq!(page["items"].as_array().unwrap().len(), 5);
        let (_, page) = app.get(&entries, Some(&b_admin.token)).await;
        assert_eq!(page["items"].as_array().unwrap().len(), 2);
        assert!(page["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["organization"]["id"] == b.as_str()));
        let (_, page) = app
            .get(&format!("{entries}?limit=2"), Some(&t.city_admin.token))
            .await;
        let cursor = page["next_cursor"].as_str().unwrap().to_string();
        let (_, rest) = app
            .get(
                &format!("{entries}?limit=200&cursor={cursor}"),
                Some(&t.city_admin.token),
            )
            .await;
        assert_eq!(rest["items"].as_array().unwrap().len(), 3);

        // The city's workbench has the submitted entries to accept (A's three, B's one).
        let (_, w) = app.get("/api/v1/me/work", Some(&t.city_admin.token)).await;
        let to_accept: Vec<&Value> = w["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|i| i["kind"] == "campaign_entries_to_accept")
            .collect();
        assert_eq!(to_accept.len(), 1, "{w}");
        assert_eq!(to_accept[0]["organization"]["id"], t.city.as_str());
        assert_eq!(to_accept[0]["count"], 4);
        // The city accepts A's first entry: a draft activity of A, linked to the campaign.
        let e1_id = e1["id"].as_str().unwrap();
        let accept = format!("/api/v1/campaign-entries/{e1_id}/accept");
        let (st, e) = app.post(&accept, Some(&a_admin.token), json!({})).await;
        assert_eq!((st, e["code"].as_str()), (403, Some("campaign_owner_only")));
        let (st, e) = app
            .post(&accept, Some(&t.city_admin.token), json!({}))
            .await;
        assert_eq!(st, 200, "{e}");
        assert_eq!(e["status"], "accepted");
        assert_eq!(e["stage"], "accepted");
        let activity = e["activity_id"].as_str().unwrap().to_string();
        let (st, act) = app
            .get(
                &format!("/api/v1/activities/{activity}"),
                Some(&a_admin.token),
            )
            .await;
        assert_eq!(st, 200, "{act}");
        assert_eq!(act["status"], "draft");
        assert_eq!(act["organization_id"], a.as_str());
        assert_eq!(act["campaign_id"], id.as_str());
        assert_eq!(act["title"], "果树修剪讲座1");
        assert_eq!(act["capacity"], 120);
        assert_eq!(act["starts_at"], "2026-07-15T01:00:00Z");
        assert!(act["description"]
            .as_str()
            .unwrap()
            .contains("活动形式：线下"));
        let (st, e) = app
            .post(&accept, Some(&t.city_admin.token), json!({}))
            .await;
        assert_eq!((st, e["code"].as_str()), (409, Some("entry_accepted")));
        assert_eq!(events(&app, "campaign_entry.accepted").await, 1);
        // An entry of a month already past cannot be accepted without times.
        // (June is the clock's month: the 15th has passed, so tomorrow is chosen.)
        let june = entry(&app, &b_admin, &id, entry_body(&b, "六月讲座", 6)).await;
        let (st, e) = app
            .post(
                &format!(
                    "/api/v1/campaign-entries/{}/accept",
                    june["id"].as_str().unwrap()
                ),
                Some(&t.city_admin.token),
                json!({}),
            )
            .await;
        assert_eq!(st, 200, "{e}");

        // After the deadline: B is overdue and refused; the city reopens it, B completes
        // late.
        app.clock
            .set(chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 7, 1, 2, 0, 0).unwrap());
        let (st, e) = app
            .post(&entries, Some(&b_admin.token), entry_body(&b, "迟到", 9))
            .await;
        assert_eq!(
            (st, e["code"].as_str()),
            (409, Some("campaign_deadline_passed")),
            "{e}"
        );
        let (_, p) = app
            .get(
                &format!("{path}/progress?state=overdue"),
                Some(&t.city_admin.token),
            )
            .await;
        assert_eq!(p["rows"][0]["organization"]["id"], b.as_str());
        assert_eq!(actions(&p["rows"][0]), vec!["reopen"]);
        assert!(to_answer(&app, &b_admin).await.is_empty());
        let reopen = format!("{path}/submissions/{b}/reopen");
        let (st, e) = app
            .post(
                &reopen,
                Some(&b_admin.token),
                json!({"until": "2026-07-07"}),
            )
            .await;
        assert_eq!((st, e["code"].as_str()), (403, Some("campaign_owner_only")));
        let (st, e) = app
            .post(
                &reopen,
                Some(&t.city_admin.token),
                json!({"until": "2026-06-30"}),
            )
            .await;
        assert_eq!(
            fields(&e),
            vec![("until".into(), "in_the_past".into())],
            "{st}"
        );
        let (st, s) = app
            .post(
                &reopen,
                Some(&t.city_admin.token),
                json!({"until": "2026-07-07"}),
            )
            .await;
        assert_eq!(st, 200, "{s}");
        assert_eq!(s["open_until"], "2026-07-07");
        assert_eq!(to_answer(&app, &b_admin).await, vec![(b.clone(), 1)]);
        entry(&app, &b_admin, &id, entry_body(&b, "补报讲座", 9)).await;
        let (st, s) = app
            .post(&complete(&b), Some(&b_admin.token), json!({}))
            .await;
        assert_eq!(st, 200, "{s}");
        assert_eq!(
            (s["state"].clone(), s["late"].clone()),
            (json!("completed_late"), json!(true))
        );

        // Reminders: once a day, to those behind (none now).
        let (st, r) = app
            .post(
                &format!("{path}/reminders"),
                Some(&t.city_admin.token),
                json!({}),
            )
            .await;
        assert_eq!(st, 200, "{r}");
        assert_eq!(r["organization_ids"], json!([]));
        let (st, r) = app
            .post(
                &format!("{path}/reminders"),
                Some(&t.city_admin.token),
                json!({}),
            )
            .await;
        assert_eq!((st, r["code"].as_str()), (409, Some("reminded_recently")));
        let (st, _) = app
            .post(
                &format!("{path}/reminders"),
                Some(&a_admin.token),
                json!({}),
            )
            .await;
        assert_eq!(st, 403);

        // The workbook: entries with the campaign's own columns, a summary per organisation,
        // and the months.
        let r = app
            .call(
                Method::GET,
                &format!("{path}/export"),
                Some(&t.city_admin.token),
                None,
            )
            .await;
        assert_eq!(r.status().as_u16(), 200);
        let bytes = r.bytes().await.unwrap().to_vec();
        let mut wb = Xlsx::new(Cursor::new(bytes)).unwrap();
        let rows = |wb: &mut Xlsx<_>, sheet: &str| -> Vec<Vec<String>> {
            wb.worksheet_range(sheet)
                .unwrap()
                .rows()
                .map(|r| r.iter().map(|c| c.to_string()).collect())
                .collect()
        };
        let e = rows(&mut wb, "条目");
        assert_eq!(&e[0][..3], &["填报单位", "标题", "主题类别"]);
        assert_eq!(&e[0][8..], &["活动形式", "经费预算（元）"]);
        assert_eq!(e.len(), 1 + 6, "{e:?}");
        let first = e.iter().find(|r| r[1] == "果树修剪讲座1").unwrap();
        assert_eq!(first[0], "石家庄市农学会");
        assert_eq!(first[7], "已采纳");
        assert_eq!((first[8].as_str(), first[9].as_str()), ("线下", "3000"));
        let s = rows(&mut wb, "各单位汇总");
        assert_eq!(s[0][0], "单位");
        let sb = s.iter().find(|r| r[0] == "石家庄市医学会").unwrap();
        assert_eq!(
            (sb[1].as_str(), sb[3].as_str(), sb[4].as_str()),
            ("3", "逾期完成", "是")
        );
        let m = rows(&mut wb, "月度汇总");
        assert_eq!(m.len(), 13);
        let r = app
            .call(
                Method::GET,
                &format!("{path}/export"),
                Some(&a_admin.token),
                None,
            )
            .await;
        assert_eq!(r.status().as_u16(), 403);

        // Closing ends entries; accepting goes on.
        let (st, v) = app
            .post(&format!("{path}/close"), Some(&a_admin.token), json!({}))
            .await;
        assert_eq!(st, 403, "{v}");
        let (st, v) = app
            .post(
                &format!("{path}/close"),
                Some(&t.city_admin.token),
                json!({}),
            )
            .await;
        assert_eq!(st, 200, "{v}");
        assert_eq!(v["status"], "closed");
        assert_eq!(actions(&v), Vec::<&str>::new());
        let (st, e) = app
            .post(
                &reopen,
                Some(&t.city_admin.token),
                json!({"until": "2026-07-09"}),
            )
            .await;
        assert_eq!((st, e["code"].as_str()), (409, Some("campaign_closed")));
        let e2 = a_entries[1]["id"].as_str().unwrap();
        let (st, e) = app
            .post(
                &format!("/api/v1/campaign-entries/{e2}/accept"),
                Some(&t.city_admin.token),
                json!({}),
            )
            .await;
        assert_eq!(st, 200, "{e}");
        let stored = campaign_entry::Entity::find()
            .filter(campaign_entry::Column::CampaignId.eq(uuid::Uuid::parse_str(&id).unwrap()))
            .count(app.store.connection())
            .await
            .unwrap();
        assert_eq!(stored, 7);
    }
);

dual_test!(
    the_last_entries_of_a_submission_race_and_the_count_holds,
    |app: TestApp| async move {
        let t = tree(&app).await;
        let ((a_admin, a), _) = societies(&app, &t).await;
        let mut body = campaign_body(&t.city);
        body["min_entries"] = json!(1);
        let (_, v) = app
            .post("/api/v1/campaigns", Some(&t.city_admin.token), body)
            .await;
        let id = v["id"].as_str().unwrap().to_string();
        app.post(
            &format!("/api/v1/campaigns/{id}/open"),
            Some(&t.city_admin.token),
            json!({}),
        )
        .await;
        // Ten entries at once (the submission's row is locked for each): every one counted.
        let adds = (0..10).map(|n| {
            let app = &app;
            let (id, a, tok) = (&id, &a, &a_admin);
            async move {
                app.post(
                    &format!("/api/v1/campaigns/{id}/entries"),
                    Some(&tok.token),
                    entry_body(a, &format!("讲座{n}"), 9),
                )
                .await
                .0
            }
        });
        let statuses = futures_util::future::join_all(adds).await;
        assert!(statuses.iter().all(|s| *s == 201), "{statuses:?}");
        let (_, v) = app
            .get(&format!("/api/v1/campaigns/{id}"), Some(&a_admin.token))
            .await;
        assert_eq!(v["my_submissions"][0]["entries"], 10);
    }
);

dual_test!(
    api_clients_reach_campaigns_with_the_campaigns_scope,
    |app: TestApp| async move {
        let t = tree(&app).await;
        societies(&app, &t).await;
        let clients = format!("/api/v1/organizations/{}/api-clients", t.city);
        let key = |scopes: Value| {
            let (app, token, clients) = (&app, t.city_admin.token.clone(), clients.clone());
            async move {
                let (s, c) = app
                    .post(
                        &clients,
                        Some(&token),
                        json!({"name": "市科协办公系统", "scopes": scopes}),
                    )
                    .await;
                assert_eq!(s, 201, "{c}");
                c["api_key"].as_str().unwrap().to_string()
            }
        };
        let writer = key(json!(["campaigns:write"])).await;
        let reader = key(json!(["campaigns:read"])).await;
        let other = key(json!(["hub:write"])).await;
        let call = |method: Method, path: String, key: &str, body: Option<Value>| {
            let (app, key) = (&app, key.to_string());
            async move { split(app.call(method, &path, Some(&key), body).await).await }
        };
        let (s, c) = call(
            Method::POST,
            "/api/v1/campaigns".into(),
            &writer,
            Some(campaign_body(&t.city)),
        )
        .await;
        assert_eq!(s, 201, "{c}");
        let id = c["id"].as_str().unwrap().to_string();
        for k in [&reader, &other] {
            let (s, b) = call(
                Method::POST,
                "/api/v1/campaigns".into(),
                k,
                Some(campaign_body(&t.city)),
            )
            .await;
            assert_eq!((s, b["code"].as_str()), (403, Some("scope_missing")), "{b}");
        }
        let (s, b) = call(
            Method::POST,
            format!("/api/v1/campaigns/{id}/open"),
            &writer,
            Some(json!({})),
        )
        .await;
        assert_eq!(s, 200, "{b}");
        let (s, page) = call(Method::GET, "/api/v1/campaigns".into(), &reader, None).await;
        assert_eq!(s, 200, "{page}");
        assert_eq!(page["items"][0]["id"], id.as_str());
        let (s, b) = call(
            Method::GET,
            format!("/api/v1/campaigns/{id}/progress"),
            &other,
            None,
        )
        .await;
        assert_eq!((s, b["code"].as_str()), (403, Some("scope_missing")), "{b}");
        let (s, _) = app.get("/api/v1/campaigns", None).await;
        assert_eq!(s, 401);
        // Outside its subtree: another province's organisation.
        let (s, _) = call(
            Method::POST,
            "/api/v1/campaigns".into(),
            &writer,
            Some(campaign_body(&t.outsider_org)),
        )
        .await;
        assert_eq!(s, 403);
    }
);
