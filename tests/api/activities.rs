//! Activities, sign-ups and the waiting list, check-in codes, attendance and hours.

use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{json, Value};
use zhihui_persistence::entities::sign_up;

use crate::dual_test;
use crate::fixtures::*;
use crate::helpers::*;

dual_test!(
    activity_lifecycle_and_listing,
    long_sessions,
    |app: TestApp| async move {
        let w = world(&app).await;
        let (leader, leader_vid) = volunteer(&app, 1, "张三丰").await;
        member(&app, &w.admin, &w.org, &leader).await;
        let (outsider, _) = volunteer(&app, 2, "李四").await;

        let body = activity_body(&w.org, 10, 30);

        let mut body = body;
        body["leader_ids"] = json!([leader_vid]);
        body["key_date"] = json!("science_workers_day");
        let (s, a) = app
            .post("/api/v1/activities", Some(&w.admin.token), body)
            .await;
        assert_eq!(s, 201, "{a}");
        let id = a["id"].as_str().unwrap().to_string();
        assert_eq!(a["status"], "draft");
        assert_eq!(
            a["allowed_actions"],
            json!(["update", "publish", "cancel"]),
            "the admin is offered what the draft allows"
        );
        assert_eq!(a["leaders"][0]["name"], "张三丰");
        assert_eq!(a["region_name"], "平谷区");
        assert_eq!(a["hours_confirmable_until"], "2026-06-24");

        // Drafts are invisible to others.
        let (s, _) = app.get(&format!("/api/v1/activities/{id}"), None).await;
        assert_eq!(s, 404);
        let (s, _) = app
            .get(
                &format!("/api/v1/activities/{id}"),
                Some(&w.other_admin.token),
            )
            .await;
        assert_eq!(s, 404);
        let (_, l) = app.get("/api/v1/activities", None).await;
        assert_eq!(l["items"].as_array().unwrap().len(), 0);
        let (_, l) = app.get("/api/v1/activities", Some(&w.admin.token)).await;
        assert_eq!(l["items"].as_array().unwrap().len(), 1);

        // Publishing is the own admin's.
        let (s, _) = app
            .post(
                &format!("/api/v1/activities/{id}/publish"),
                Some(&w.other_admin.token),
                json!({}),
            )
            .await;
        assert_eq!(
            s, 404,
            "another organisation's admin does not see the draft"
        );
        let (s, a) = app
            .post(
                &format!("/api/v1/activities/{id}/publish"),
                Some(&w.admin.token),
                json!({}),
            )
            .await;
        assert_eq!((s, a["status"].as_str()), (200, Some("published")));
        let (s, _) = app
            .post(
                &format!("/api/v1/activities/{id}/publish"),
                Some(&w.admin.token),
                json!({}),
            )
            .await;
        assert_eq!(s, 409, "publishing twice");
        // What each caller may do, as the domain's rule says (before sign-up opens at 10:00
        // nobody may sign up; the leader's check-in starts an hour before the start).
        let allowed = |v: &Value| -> Vec<String> {
            v["allowed_actions"]
                .as_array()
                .unwrap()
                .iter()
                .map(|a| a.as_str().unwrap().to_string())
                .collect()
        };
        for (token, expected) in [
            (
                Some(&w.admin.token),
                vec!["update", "cancel", "record_attendance"],
            ),
            (Some(&w.other_admin.token), vec![]),
            (Some(&w.platform.token), vec![]),
            (None, vec![]),
        ] {
            let (_, v) = app
                .get(
                    &format!("/api/v1/activities/{id}"),
                    token.map(String::as_str),
                )
                .await;
            assert_eq!(allowed(&v), expected, "{v}");
        }
        // A page of the list says the same as the activity itself (the list may be cached).
        for (token, expected) in [
            (
                Some(&w.admin.token),
                vec!["update", "cancel", "record_attendance"],
            ),
            (None, vec![]),
        ] {
            let (_, page) = app
                .get("/api/v1/activities", token.map(String::as_str))
                .await;
            let item = page["items"]
                .as_array()
                .unwrap()
                .iter()
                .find(|a| a["id"] == id.as_str())
                .cloned()
                .expect("the activity is listed");
            assert_eq!(allowed(&item), expected, "{item}");
        }
        let (s, a) = app.get(&format!("/api/v1/activities/{id}"), None).await;
        assert_eq!(s, 200);
        assert_eq!(
            (a["places_left"].as_i64(), a["sign_up_open"].as_bool()),
            (Some(30), Some(true))
        );

        // Updates carry the version.
        let (s, b, _) = app
            .put_if(
                &format!("/api/v1/activities/{id}"),
                &w.admin.token,
                json!({"capacity": 40}),
                Some("\"99\""),
            )
            .await;
        assert_eq!((s, b["code"].as_str()), (412, Some("version_mismatch")));
        let (s, b, etag) = app
            .put_if(
                &format!("/api/v1/activities/{id}"),
                &w.admin.token,
                json!({"capacity": 40, "title": "果树修剪技术指导（第二期）"}),
                Some(&format!("\"{}\"", a["version"])),
            )
            .await;
        assert_eq!(s, 200, "{b}");
        assert_eq!(b["capacity"], 40);
        assert_eq!(etag.as_deref(), Some("\"3\""));
        let (s, _, _) = app
            .put_if(
                &format!("/api/v1/activities/{id}"),
                &w.other_admin.token,
                json!({"capacity": 5}),
                None,
            )
            .await;
        assert_eq!(s, 403);

        // Cancelling needs a reason, by the own admin.
        let (s, _) = app
            .post(
                &format!("/api/v1/activities/{id}/cancel"),
                Some(&w.admin.token),
                json!({"reason": ""}),
            )
            .await;
        assert_eq!(s, 422);
        let (s, _) = app
            .post(
                &format!("/api/v1/activities/{id}/cancel"),
                Some(&outsider.token),
                json!({"reason": "天气"}),
            )
            .await;
        assert_eq!(s, 403);
        let (s, a) = app
            .post(
                &format!("/api/v1/activities/{id}/cancel"),
                Some(&w.admin.token),
                json!({"reason": "暴雨预警"}),
            )
            .await;
        assert_eq!(s, 200);
        assert_eq!(
            (a["status"].as_str(), a["cancel_reason"].as_str()),
            (Some("cancelled"), Some("暴雨预警"))
        );
        let (s, b, _) = app
            .put_if(
                &format!("/api/v1/activities/{id}"),
                &w.admin.token,
                json!({"capacity": 50}),
                None,
            )
            .await;
        assert_eq!((s, b["code"].as_str()), (409, Some("activity_cancelled")));
    }
);

dual_test!(
    the_activity_list_filters_by_region_category_text_and_time_and_pages,
    |app: TestApp| async move {
        let w = world(&app).await;
        let mut first = activity_body(&w.org, 10, 30);
        first["key_date"] = json!("science_workers_day");
        let id = published(&app, &w.admin, first).await;
        // A second activity elsewhere, for the filters.
        let mut other = activity_body(&w.other_org, 12, 10);
        other["region_code"] = json!("440305");
        other["category"] = json!("science_popularisation");
        other["title"] = json!("社区防诈骗科普讲座");
        let other_id = published(&app, &w.other_admin, other).await;

        let ids = |v: &Value| -> Vec<String> {
            v["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|a| a["id"].as_str().unwrap().to_string())
                .collect()
        };
        let (_, l) = app.get("/api/v1/activities?region_code=110000", None).await;
        assert_eq!(ids(&l), vec![id.clone()], "a province finds its counties");
        let (_, l) = app.get("/api/v1/activities?region_code=440300", None).await;
        assert_eq!(
            ids(&l),
            vec![other_id.clone()],
            "a city finds its districts"
        );
        let (_, l) = app.get("/api/v1/activities?region_code=440305", None).await;
        assert_eq!(ids(&l), vec![other_id.clone()], "a district finds its own");
        let (_, l) = app.get("/api/v1/activities?region_code=440304", None).await;
        assert_eq!(ids(&l), Vec::<String>::new(), "and not its neighbour's");
        let (_, l) = app.get("/api/v1/activities?region_code=120000", None).await;
        assert_eq!(ids(&l), Vec::<String>::new(), "nor another province's");
        let (_, l) = app
            .get("/api/v1/activities?category=science_popularisation", None)
            .await;
        assert_eq!(ids(&l), vec![other_id.clone()]);
        let (_, l) = app
            .get(
                &format!("/api/v1/activities?organization_id={}", w.org),
                None,
            )
            .await;
        assert_eq!(ids(&l), vec![id.clone()]);
        let (_, l) = app
            .get(&format!("/api/v1/activities?q={}", "防诈骗"), None)
            .await;
        assert_eq!(ids(&l), vec![other_id.clone()]);
        let (_, l) = app
            .get("/api/v1/activities?key_date=science_workers_day", None)
            .await;
        assert_eq!(ids(&l), vec![id.clone()]);
        let (_, l) = app
            .get(
                &format!(
                    "/api/v1/activities?from={}",
                    at(11, 0, 0).to_rfc3339().replace('+', "%2B")
                ),
                None,
            )
            .await;
        assert_eq!(
            ids(&l),
            vec![other_id.clone()],
            "from excludes what ended before"
        );
        // Cursor pagination in start order.
        let (_, p1) = app.get("/api/v1/activities?limit=1", None).await;
        assert_eq!(ids(&p1), vec![id.clone()]);
        let (_, p2) = app
            .get(
                &format!(
                    "/api/v1/activities?limit=1&cursor={}",
                    p1["next_cursor"].as_str().unwrap()
                ),
                None,
            )
            .await;
        assert_eq!(ids(&p2), vec![other_id.clone()]);
        let (s, b) = app.get("/api/v1/activities?cursor=nonsense", None).await;
        assert_eq!((s, fields(&b)[0].1.as_str()), (422, "invalid_cursor"));
        let (s, _) = app.get("/api/v1/activities?region_code=11", None).await;
        assert_eq!(s, 422);
    }
);

dual_test!(
    every_bad_field_of_a_new_activity_is_named_at_once,
    |app: TestApp| async move {
        let w = world(&app).await;
        let (_, outsider_vid) = volunteer(&app, 2, "李四").await;
        let mut bad = activity_body(&w.org, 10, 0);
        bad["category"] = json!("party");
        bad["ends_at"] = json!(at(10, 0, 0));
        bad["region_code"] = json!("110199");
        bad["key_date"] = json!("spring_festival");
        bad["leader_ids"] = json!([outsider_vid]);
        let (s, b) = app
            .post("/api/v1/activities", Some(&w.admin.token), bad)
            .await;
        assert_eq!(s, 422, "{b}");
        let f = fields(&b);
        for (field, code) in [
            ("category", "unknown_activity_category"),
            ("ends_at", "ends_before_start"),
            ("capacity", "out_of_range"),
            ("region_code", "region_not_found"),
            ("key_date", "unknown_key_date"),
            ("leader_ids[0]", "leader_not_member"),
        ] {
            assert!(
                f.contains(&(field.into(), code.into())),
                "{field}/{code} missing in {f:?}"
            );
        }
    }
);

dual_test!(
    only_an_approved_organisations_own_admins_create_its_activities,
    |app: TestApp| async move {
        let w = world(&app).await;
        let (leader, _) = volunteer(&app, 1, "张三丰").await;
        member(&app, &w.admin, &w.org, &leader).await;
        // Only the organisation's own admins create its activities.
        let body = activity_body(&w.org, 10, 30);
        for u in [&w.other_admin, &leader, &w.platform] {
            let (s, b) = app
                .post("/api/v1/activities", Some(&u.token), body.clone())
                .await;
            assert_eq!(s, 403);
            assert_eq!(b["code"], "not_your_organization", "{b}");
        }
        let (s, _) = app.post("/api/v1/activities", None, body.clone()).await;
        assert_eq!(s, 401);
        // A pending organisation cannot publish yet.
        let pending_admin = app.user("pending@zh.cn").await;
        let pending = app
            .organization(
                &pending_admin,
                "平谷区科协",
                "county_association",
                "county",
                Some(&w.org),
                "110117",
            )
            .await;
        let (s, b) = app
            .post(
                "/api/v1/activities",
                Some(&pending_admin.token),
                activity_body(&pending, 10, 5),
            )
            .await;
        assert_eq!(
            (s, b["code"].as_str()),
            (409, Some("organization_not_approved"))
        );
    }
);

dual_test!(
    sign_up_waiting_list_and_rules,
    long_sessions,
    |app: TestApp| async move {
        let w = world(&app).await;
        let mut vols = Vec::new();
        for n in 1..=4 {
            vols.push(volunteer(&app, n, "王小明").await);
        }
        let id = published(&app, &w.admin, activity_body(&w.org, 10, 2)).await;
        let path = format!("/api/v1/activities/{id}/sign-ups");

        let (s, b) = app.post(&path, Some(&w.other_admin.token), json!({})).await;
        assert_eq!(
            (s, b["code"].as_str()),
            (409, Some("volunteer_not_registered"))
        );
        let (s, _) = app.post(&path, None, json!({})).await;
        assert_eq!(s, 401);

        let mut statuses = Vec::new();
        for (u, _) in &vols[..3] {
            let (s, b) = app.post(&path, Some(&u.token), json!({})).await;
            assert_eq!(s, 201, "{b}");
            statuses.push((
                b["status"].as_str().unwrap().to_string(),
                b["waitlist_position"].as_i64(),
            ));
        }
        assert_eq!(
            statuses,
            vec![
                ("confirmed".to_string(), None),
                ("confirmed".to_string(), None),
                ("waitlisted".to_string(), Some(1))
            ]
        );
        let (s, b) = app.post(&path, Some(&vols[0].0.token), json!({})).await;
        assert_eq!((s, b["code"].as_str()), (409, Some("already_signed_up")));
        let (_, a) = app
            .get(&format!("/api/v1/activities/{id}"), Some(&vols[2].0.token))
            .await;
        assert_eq!(
            (a["places_left"].as_i64(), a["waitlist_length"].as_i64()),
            (Some(0), Some(1))
        );
        assert_eq!(a["my_sign_up"]["status"], "waitlisted");
        assert_eq!(a["my_sign_up"]["waitlist_position"], 1);

        // Overlapping activities exclude each other; adjacent ones do not.
        let mut overlap = activity_body(&w.other_org, 10, 10);
        overlap["starts_at"] = json!(at(10, 4, 0));
        overlap["ends_at"] = json!(at(10, 8, 0));
        let overlap_id = published(&app, &w.other_admin, overlap).await;
        let (s, b) = app
            .post(
                &format!("/api/v1/activities/{overlap_id}/sign-ups"),
                Some(&vols[0].0.token),
                json!({}),
            )
            .await;
        assert_eq!(
            (s, b["code"].as_str()),
            (409, Some("overlapping_sign_up")),
            "{b}"
        );
        assert!(
            b["detail"]
                .as_str()
                .unwrap()
                .contains("「果树冬季修剪技术指导」"),
            "the clash is named: {b}"
        );
        let mut after = activity_body(&w.other_org, 10, 10);
        after["starts_at"] = json!(at(10, 5, 0));
        after["ends_at"] = json!(at(10, 6, 0));
        let after_id = published(&app, &w.other_admin, after).await;
        let (s, _) = app
            .post(
                &format!("/api/v1/activities/{after_id}/sign-ups"),
                Some(&vols[0].0.token),
                json!({}),
            )
            .await;
        assert_eq!(s, 201, "touching ends do not overlap");

        // Moving an activity moves its sign-ups' times: the check sees the new times only.
        let (s, b, _) = app
            .put_if(
                &format!("/api/v1/activities/{after_id}"),
                &w.other_admin.token,
                json!({"starts_at": at(12, 1, 0), "ends_at": at(12, 3, 0)}),
                None,
            )
            .await;
        assert_eq!(s, 200, "{b}");
        let mut old_slot = activity_body(&w.other_org, 10, 10);
        old_slot["starts_at"] = json!(at(10, 5, 30));
        old_slot["ends_at"] = json!(at(10, 7, 0));
        let mut new_slot = activity_body(&w.other_org, 12, 10);
        new_slot["starts_at"] = json!(at(12, 2, 0));
        new_slot["ends_at"] = json!(at(12, 4, 0));
        for (body, want) in [(old_slot, 201), (new_slot, 409)] {
            let slot = published(&app, &w.other_admin, body).await;
            let (s, b) = app
                .post(
                    &format!("/api/v1/activities/{slot}/sign-ups"),
                    Some(&vols[0].0.token),
                    json!({}),
                )
                .await;
            assert_eq!(s, want, "{b}");
        }

        // Who sees the sign-ups.
        let (s, l) = app.get(&path, Some(&w.admin.token)).await;
        assert_eq!(s, 200);
        assert_eq!(l["items"].as_array().unwrap().len(), 3);
        assert!(l["items"][0]["phone_masked"]
            .as_str()
            .unwrap()
            .contains('*'));
        for u in [&w.other_admin, &vols[0].0] {
            let (s, _) = app.get(&path, Some(&u.token)).await;
            assert_eq!(s, 403);
        }
        let (s, l) = app
            .get(
                &format!("{path}?status=waitlisted"),
                Some(&w.platform.token),
            )
            .await;
        assert_eq!((s, l["items"].as_array().unwrap().len()), (200, 1));

        // Withdrawing a place moves the first on the waiting list up.
        let (s, b) = app.delete(&format!("{path}/mine"), &vols[0].0.token).await;
        assert_eq!((s, b["status"].as_str()), (200, Some("cancelled")));
        let (s, _) = app.delete(&format!("{path}/mine"), &vols[0].0.token).await;
        assert_eq!(s, 404, "nothing left to withdraw");
        let (_, a) = app
            .get(&format!("/api/v1/activities/{id}"), Some(&vols[2].0.token))
            .await;
        assert_eq!(a["my_sign_up"]["status"], "confirmed");
        assert_eq!(
            (a["places_left"].as_i64(), a["waitlist_length"].as_i64()),
            (Some(0), Some(0))
        );
        // Signing up again after withdrawing goes to the end of the queue.
        let (s, b) = app.post(&path, Some(&vols[0].0.token), json!({})).await;
        assert_eq!((s, b["status"].as_str()), (201, Some("waitlisted")));

        // Own sign-ups, newest first.
        let (s, mine) = app
            .get("/api/v1/volunteers/me/sign-ups", Some(&vols[0].0.token))
            .await;
        assert_eq!(s, 200);
        let items = mine["items"].as_array().unwrap();
        // Two sign-ups for the first activity (one withdrawn), the moved one and the slot
        // its old times freed.
        assert_eq!(items.len(), 4, "{mine}");
        assert_eq!(items[0]["sign_up"]["status"], "waitlisted");

        // Capacity below the places taken is refused; raising it promotes the queue.
        let (s, b, _) = app
            .put_if(
                &format!("/api/v1/activities/{id}"),
                &w.admin.token,
                json!({"capacity": 1}),
                None,
            )
            .await;
        assert_eq!(
            (s, b["code"].as_str()),
            (409, Some("capacity_below_sign_ups"))
        );
        let (s, b, _) = app
            .put_if(
                &format!("/api/v1/activities/{id}"),
                &w.admin.token,
                json!({"capacity": 3}),
                None,
            )
            .await;
        assert_eq!(s, 200);
        assert_eq!(
            (b["places_taken"].as_i64(), b["waitlist_length"].as_i64()),
            (Some(3), Some(0))
        );

        // Once the activity has started, withdrawing is refused.
        app.clock.set(at(10, 2, 0));
        let (s, b) = app.delete(&format!("{path}/mine"), &vols[1].0.token).await;
        assert_eq!((s, b["code"].as_str()), (409, Some("activity_started")));
    }
);

dual_test!(
    members_only_activities_take_members,
    long_sessions,
    |app: TestApp| async move {
        // Members only: a volunteer signs up once an approved member.
        let w = world(&app).await;
        let (v, _) = volunteer(&app, 4, "王小明").await;
        let mut closed = activity_body(&w.org, 15, 10);
        closed["members_only"] = json!(true);
        let closed_id = published(&app, &w.admin, closed).await;
        let (s, _) = app
            .post(
                &format!("/api/v1/activities/{closed_id}/sign-ups"),
                Some(&v.token),
                json!({}),
            )
            .await;
        assert_eq!(s, 403);
        member(&app, &w.admin, &w.org, &v).await;
        let (s, _) = app
            .post(
                &format!("/api/v1/activities/{closed_id}/sign-ups"),
                Some(&v.token),
                json!({}),
            )
            .await;
        assert_eq!(s, 201);
    }
);

dual_test!(
    sign_up_opens_and_closes_with_its_window,
    long_sessions,
    |app: TestApp| async move {
        // The sign-up window.
        let w = world(&app).await;
        let (v, _) = volunteer(&app, 4, "王小明").await;
        let mut later = activity_body(&w.org, 20, 10);
        later["sign_up_opens_at"] = json!(at(5, 0, 0));
        later["sign_up_closes_at"] = json!(at(8, 0, 0));
        let later_id = published(&app, &w.admin, later).await;
        let lpath = format!("/api/v1/activities/{later_id}/sign-ups");
        let (s, b) = app.post(&lpath, Some(&v.token), json!({})).await;
        assert_eq!((s, b["code"].as_str()), (409, Some("sign_up_not_open_yet")));
        app.clock.set(at(8, 0, 1));
        let (s, b) = app.post(&lpath, Some(&v.token), json!({})).await;
        assert_eq!((s, b["code"].as_str()), (409, Some("sign_up_closed")));
    }
);

dual_test!(
    a_sign_up_is_judged_on_the_activity_read_under_its_lock,
    long_sessions,
    |app: TestApp| async move {
        // A draft is not there for a volunteer, nor an unknown id; a cancelled activity takes
        // no sign-ups; a refusal writes nothing.
        let w = world(&app).await;
        let (v, _) = volunteer(&app, 4, "王小明").await;
        let (s, draft) = app
            .post(
                "/api/v1/activities",
                Some(&w.admin.token),
                activity_body(&w.org, 25, 10),
            )
            .await;
        assert_eq!(s, 201);
        let unknown = uuid::Uuid::now_v7().to_string();
        for target in [draft["id"].as_str().unwrap(), unknown.as_str()] {
            let (s, b) = app
                .post(
                    &format!("/api/v1/activities/{target}/sign-ups"),
                    Some(&v.token),
                    json!({}),
                )
                .await;
            assert_eq!((s, b["code"].as_str()), (404, Some("activity_not_found")));
        }
        let gone = published(&app, &w.admin, activity_body(&w.org, 26, 10)).await;
        let (s, _) = app
            .post(
                &format!("/api/v1/activities/{gone}/cancel"),
                Some(&w.admin.token),
                json!({"reason": "天气"}),
            )
            .await;
        assert_eq!(s, 200);
        let (s, b) = app
            .post(
                &format!("/api/v1/activities/{gone}/sign-ups"),
                Some(&v.token),
                json!({}),
            )
            .await;
        assert_eq!((s, b["code"].as_str()), (409, Some("activity_not_open")));
        let (_, l) = app
            .get(
                &format!("/api/v1/activities/{gone}/sign-ups"),
                Some(&w.admin.token),
            )
            .await;
        assert_eq!(l["items"].as_array().map(Vec::len), Some(0));
    }
);

/// Fifty volunteers sign up at once for the last two places: exactly two get them.
async fn concurrent(app: TestApp) {
    let w = world(&app).await;
    let id = published(&app, &w.admin, activity_body(&w.org, 10, 5)).await;
    let path = format!("/api/v1/activities/{id}/sign-ups");
    let mut early = Vec::new();
    for n in 0..3 {
        early.push(volunteer(&app, 900 + n, "早到者").await);
    }
    for (u, _) in &early {
        let (s, _) = app.post(&path, Some(&u.token), json!({})).await;
        assert_eq!(s, 201);
    }
    let mut racers = Vec::new();
    for n in 0..50 {
        racers.push(volunteer(&app, 100 + n, "抢报者").await);
    }
    let mut tasks = Vec::new();
    for (u, _) in racers {
        let client = app.client.clone();
        let url = app.url(&path);
        tasks.push(tokio::spawn(async move {
            let r = client.post(url).bearer_auth(&u.token).send().await.unwrap();
            split(r).await
        }));
    }
    let mut confirmed = 0;
    let mut waitlisted = 0;
    let mut told: Vec<(String, i64)> = vec![];
    for t in tasks {
        let (s, b) = t.await.unwrap();
        assert_eq!(s, 201, "{b}");
        match b["status"].as_str() {
            Some("confirmed") => confirmed += 1,
            Some("waitlisted") => {
                waitlisted += 1;
                told.push((
                    b["id"].as_str().unwrap().to_string(),
                    b["waitlist_position"].as_i64().unwrap(),
                ));
            }
            other => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!((confirmed, waitlisted), (2, 48));
    // Each volunteer was told the place the queue holds: 1..48, no two alike, and the same
    // as a later read of the queue.
    let mut answered: Vec<i64> = told.iter().map(|(_, p)| *p).collect();
    answered.sort();
    assert_eq!(answered, (1..=48).collect::<Vec<_>>(), "positions answered");
    let (_, a) = app.get(&format!("/api/v1/activities/{id}"), None).await;
    assert_eq!(
        (
            a["places_taken"].as_i64(),
            a["places_left"].as_i64(),
            a["waitlist_length"].as_i64()
        ),
        (Some(5), Some(0), Some(48))
    );
    // The stored rows agree with the counters.
    let n = sign_up::Entity::find()
        .filter(sign_up::Column::ActivityId.eq(id.parse::<uuid::Uuid>().unwrap()))
        .filter(sign_up::Column::Status.eq("confirmed"))
        .count(app.store.connection())
        .await
        .unwrap();
    assert_eq!(n, 5);
    // Waiting-list positions are 1..48 without gaps.
    let (_, l) = app
        .get(
            &format!("{path}?status=waitlisted&limit=200"),
            Some(&w.admin.token),
        )
        .await;
    let mut pos: Vec<i64> = l["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["waitlist_position"].as_i64().unwrap())
        .collect();
    for item in l["items"].as_array().unwrap() {
        let id = item["id"].as_str().unwrap();
        let answered = told.iter().find(|(t, _)| t == id).map(|(_, p)| *p);
        assert_eq!(
            answered,
            item["waitlist_position"].as_i64(),
            "the position answered is the one the queue holds"
        );
    }
    pos.sort();
    assert_eq!(pos, (1..=48).collect::<Vec<_>>());

    // One volunteer's submit clicked eight times over two activities at the same hours:
    // one sign-up, and the counts agree (the clash is checked after the volunteer's lock).
    let (clicker, _) = volunteer(&app, 990, "连点者").await;
    let twins = [
        published(&app, &w.admin, activity_body(&w.org, 11, 5)).await,
        published(&app, &w.admin, activity_body(&w.org, 11, 5)).await,
    ];
    let mut tasks = Vec::new();
    for n in 0..8 {
        let client = app.client.clone();
        let url = app.url(&format!("/api/v1/activities/{}/sign-ups", twins[n % 2]));
        let token = clicker.token.clone();
        tasks.push(tokio::spawn(async move {
            let r = client.post(url).bearer_auth(&token).send().await.unwrap();
            split(r).await
        }));
    }
    let mut codes = Vec::new();
    for t in tasks {
        let (s, b) = t.await.unwrap();
        codes.push((s, b["code"].as_str().map(str::to_string)));
    }
    assert_eq!(
        codes.iter().filter(|(s, _)| *s == 201).count(),
        1,
        "{codes:?}"
    );
    assert!(
        codes.iter().all(|(s, c)| *s == 201
            || (*s == 409
                && matches!(
                    c.as_deref(),
                    Some("already_signed_up" | "overlapping_sign_up")
                ))),
        "{codes:?}"
    );
    let mut taken = 0;
    for t in &twins {
        let (_, a) = app.get(&format!("/api/v1/activities/{t}"), None).await;
        taken += a["places_taken"].as_i64().unwrap();
    }
    assert_eq!(taken, 1);
}

mod concurrent_sign_ups_never_exceed_capacity {
    use super::*;
    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn sqlite() {
        concurrent(spawn_app(Backend::Sqlite).await).await;
    }
    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn postgres() {
        if std::env::var("ZHIHUI_TEST_POSTGRES_URL").is_err() {
            return;
        }
        concurrent(spawn_app(Backend::Postgres).await).await;
    }
}

dual_test!(
    check_in_codes_attendance_and_hours,
    long_sessions,
    |app: TestApp| async move {
        let w = world(&app).await;
        let (leader, leader_vid) = volunteer(&app, 1, "张三丰").await;
        member(&app, &w.admin, &w.org, &leader).await;
        let (a_user, a_vid) = volunteer(&app, 2, "赵一").await;
        let (b_user, b_vid) = volunteer(&app, 3, "钱二").await;
        let (c_user, c_vid) = volunteer(&app, 4, "孙三").await;
        let (d_user, d_vid) = volunteer(&app, 5, "周四").await;
        let mut body = activity_body(&w.org, 10, 10);
        body["leader_ids"] = json!([leader_vid]);
        let id = published(&app, &w.admin, body).await;
        for u in [&a_user, &b_user, &c_user, &d_user] {
            let (s, _) = app
                .post(
                    &format!("/api/v1/activities/{id}/sign-ups"),
                    Some(&u.token),
                    json!({}),
                )
                .await;
            assert_eq!(s, 201);
        }
        let codes = format!("/api/v1/activities/{id}/check-in-codes");
        let (s, b) = app.post(&codes, Some(&leader.token), json!({})).await;
        assert_eq!(
            (s, b["code"].as_str()),
            (409, Some("check_in_closed")),
            "days before the start"
        );

        app.clock.set(at(10, 0, 30));
        for u in [&a_user, &w.other_admin] {
            let (s, b) = app.post(&codes, Some(&u.token), json!({})).await;
            assert_eq!(s, 403, "only leaders and the own admins");
            assert_eq!(b["code"], "not_activity_leader", "{b}");
        }
        let (s, code) = app.post(&codes, Some(&leader.token), json!({})).await;
        assert_eq!(s, 201, "{code}");
        let c = code["code"].as_str().unwrap().to_string();
        assert_eq!(c.len(), 8);
        assert!(code["qr_text"].as_str().unwrap().contains(&c));
        let (s, admin_code) = app.post(&codes, Some(&w.admin.token), json!({})).await;
        assert_eq!(
            (s, admin_code["code"].as_str()),
            (201, Some(c.as_str())),
            "same slot, same code"
        );

        let check_in = format!("/api/v1/activities/{id}/check-in");
        let check_out = format!("/api/v1/activities/{id}/check-out");
        // A forged code.
        let (s, b) = app
            .post(&check_in, Some(&a_user.token), json!({"code": "ABCDEFGH"}))
            .await;
        assert_eq!(
            (s, fields(&b)[0].1.as_str()),
            (422, "invalid_check_in_code")
        );
        let (s, b) = app
            .post(&check_out, Some(&a_user.token), json!({"code": c}))
            .await;
        assert_eq!((s, b["code"].as_str()), (409, Some("not_checked_in")));
        // Arrives before the start: only the activity's own time counts.
        let (s, b) = app
            .post(
                &check_in,
                Some(&a_user.token),
                json!({"code": c.to_lowercase()}),
            )
            .await;
        assert_eq!(s, 200, "{b}");
        assert_eq!(b["attendance_source"], "code");
        let (s, b) = app
            .post(&check_in, Some(&a_user.token), json!({"code": c}))
            .await;
        assert_eq!((s, b["code"].as_str()), (409, Some("already_checked_in")));
        let (s, b) = app
            .post(&check_in, Some(&leader.token), json!({"code": c}))
            .await;
        assert_eq!((s, b["code"].as_str()), (409, Some("not_signed_up")));
        app.clock.set(at(10, 0, 36));
        let (s, _) = app
            .post(&check_in, Some(&b_user.token), json!({"code": c}))
            .await;
        assert_eq!(
            s, 200,
            "the previous slot's code still works until the next rotation"
        );

        // Eleven minutes later the first code is expired.
        app.clock.set(at(10, 3, 10));
        let (s, b) = app
            .post(&check_out, Some(&a_user.token), json!({"code": c}))
            .await;
        assert_eq!(
            (s, fields(&b)[0].1.as_str()),
            (422, "check_in_code_expired")
        );
        let (_, fresh) = app.post(&codes, Some(&leader.token), json!({})).await;
        let c2 = fresh["code"].as_str().unwrap().to_string();
        assert_ne!(c, c2, "the code rotates");
        // A: from the start (01:00) to 03:10 = 130 min → 2 h + 10 min → 2.0 h.
        let (s, _) = app
            .post(&check_out, Some(&a_user.token), json!({"code": c2}))
            .await;
        assert_eq!(s, 200);
        app.clock.set(at(10, 3, 20));
        let (_, fresh) = app.post(&codes, Some(&w.admin.token), json!({})).await;
        let c3 = fresh["code"].as_str().unwrap().to_string();
        // B: 01:00 to 03:20 = 140 min → 2.5 h.
        let (s, _) = app
            .post(&check_out, Some(&b_user.token), json!({"code": c3}))
            .await;
        assert_eq!(s, 200);

        // The leader records C by hand (forgot the phone) and D as absent; reasons kept.
        let att = |v: &str| format!("/api/v1/activities/{id}/attendance/{v}");
        let (s, b, _) = app.put_if(&att(&c_vid), &leader.token, json!({"checked_in_at": at(10, 1, 0), "checked_out_at": at(10, 4, 50), "reason": "手机没电，现场签到表为证"}), None)
    .await;
        assert_eq!(s, 200, "{b}");
        assert_eq!(b["changes"][0]["reason"], "手机没电，现场签到表为证");
        assert_eq!(b["sign_up"]["attendance_source"], "manual");
        let (s, _, _) = app
            .put_if(
                &att(&d_vid),
                &leader.token,
                json!({"absent": true, "reason": "未到场"}),
                None,
            )
            .await;
        assert_eq!(s, 200);

        // Hours: not before the end, not by a leader or another admin.
        let hours = format!("/api/v1/activities/{id}/service-hours");
        let (s, b) = app
            .post(&hours, Some(&w.admin.token), json!({"all": true}))
            .await;
        assert_eq!((s, b["code"].as_str()), (409, Some("activity_not_ended")));
        app.clock.set(at(10, 6, 0));
        for u in [&leader, &w.other_admin] {
            let (s, _) = app.post(&hours, Some(&u.token), json!({"all": true})).await;
            assert_eq!(s, 403);
        }
        let (s, b) = app.post(&hours, Some(&w.admin.token), json!({})).await;
        assert_eq!(s, 422, "{b}");
        let (s, b) = app
            .post(
                &hours,
                Some(&w.admin.token),
                json!({"entries": [{"volunteer_id": leader_vid}]}),
            )
            .await;
        assert_eq!((s, fields(&b)[0].1.as_str()), (422, "not_a_participant"));
        let (s, b) = app
            .post(
                &hours,
                Some(&w.admin.token),
                json!({"all": true, "entries": [{"volunteer_id": b_vid, "hours": 2.25}]}),
            )
            .await;
        assert_eq!((s, fields(&b)[0].1.as_str()), (422, "invalid_hours"));
        let (s, b) = app
            .post(&hours, Some(&w.admin.token), json!({"all": true}))
            .await;
        assert_eq!(s, 200, "{b}");
        let mut got: Vec<(String, f64)> = b["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["volunteer_name"].as_str().unwrap().to_string(),
                    r["hours"].as_f64().unwrap(),
                )
            })
            .collect();
        got.sort_by(|x, y| x.0.cmp(&y.0));
        // C: 01:00 to 04:50 = 230 min → 3 h + 50 min → 4.0 h. D is absent and left out.
        assert_eq!(
            got,
            vec![
                ("孙三".into(), 4.0),
                ("赵一".into(), 2.0),
                ("钱二".into(), 2.5)
            ]
        );

        // A correction needs a reason and is kept.
        let (s, b) = app
            .post(
                &hours,
                Some(&w.admin.token),
                json!({"entries": [{"volunteer_id": a_vid, "hours": 3}]}),
            )
            .await;
        assert_eq!(
            (s, fields(&b)[0].1.as_str()),
            (422, "correction_reason_required")
        );
        app.clock.set(at(25, 2, 0));
        let (s, b) = app
            .post(
                &hours,
                Some(&w.admin.token),
                json!({"entries": [{"volunteer_id": d_vid, "hours": 1}]}),
            )
            .await;
        assert_eq!(
            (s, b["code"].as_str()),
            (409, Some("confirmation_window_closed")),
            "10 working days after 10 June is 24 June"
        );
        let (s, b) = app
        .post(&hours, Some(&w.admin.token), json!({"entries": [{"volunteer_id": a_vid, "hours": 3, "reason": "签退时手机没电，负责人核实为三小时"}]}))
        .await;
        assert_eq!(s, 200, "{b}");
        assert_eq!(b["results"][0]["outcome"], "corrected");

        // Records: the volunteer's own, with the correction.
        let (s, _) = app.get("/api/v1/service-records", None).await;
        assert_eq!(s, 401);
        let (s, b) = app
            .get("/api/v1/service-records", Some(&w.other_admin.token))
            .await;
        assert_eq!(
            (s, fields(&b)[0].1.as_str()),
            (422, "required"),
            "no volunteer profile and no filter"
        );
        let (s, r) = app
            .get("/api/v1/service-records", Some(&a_user.token))
            .await;
        assert_eq!(s, 200, "{r}");
        assert_eq!(r["total_hours"], 3.0);
        let rec = &r["items"][0];
        assert_eq!(rec["hours"], 3.0);
        assert_eq!(rec["service_date"], "2026-06-10");
        assert_eq!(rec["organization_name"], "北京市科协科技志愿服务总队");
        assert_eq!(rec["responsible_person"], "王芳");
        assert_eq!(rec["corrections"][0]["old_hours"], 2.0);
        assert_eq!(rec["corrections"][0]["new_hours"], 3.0);
        // The organisation's records for its admin; refused to another organisation's admin.
        let (s, r) = app
            .get(
                &format!("/api/v1/service-records?organization_id={}", w.org),
                Some(&w.admin.token),
            )
            .await;
        assert_eq!(
            (
                s,
                r["items"].as_array().unwrap().len(),
                r["total_hours"].as_f64()
            ),
            (200, 3, Some(9.5))
        );
        let (s, _) = app
            .get(
                &format!("/api/v1/service-records?organization_id={}", w.org),
                Some(&w.other_admin.token),
            )
            .await;
        assert_eq!(s, 403);
        let (s, _) = app
            .get(
                &format!("/api/v1/service-records?volunteer_id={a_vid}"),
                Some(&b_user.token),
            )
            .await;
        assert_eq!(s, 403);
        let (_, r) = app
            .get(
                &format!(
                    "/api/v1/service-records?organization_id={}&from=2026-06-11",
                    w.org
                ),
                Some(&w.admin.token),
            )
            .await;
        assert_eq!(r["items"].as_array().unwrap().len(), 0, "period filter");

        // Sign-up list shows confirmed hours to the admin.
        let (_, l) = app
            .get(
                &format!("/api/v1/activities/{id}/sign-ups"),
                Some(&w.admin.token),
            )
            .await;
        let d = l["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["volunteer_id"] == d_vid.as_str())
            .unwrap();
        assert_eq!(
            (d["absent"].as_bool(), d["confirmed_hours"].as_f64()),
            (Some(true), None)
        );

        // Summary: totals, points, stars; refused to outsiders.
        let (s, sum) = app
            .get(
                &format!("/api/v1/volunteers/{b_vid}/summary"),
                Some(&b_user.token),
            )
            .await;
        assert_eq!(s, 200, "{sum}");
        assert_eq!(
            (
                sum["total_hours"].as_f64(),
                sum["points"].as_i64(),
                sum["star_level"].as_u64()
            ),
            (Some(2.5), Some(2), Some(0))
        );
        assert_eq!(
            (sum["hours_this_year"].as_f64(), sum["activities"].as_i64()),
            (Some(2.5), Some(1))
        );
        assert_eq!(sum["hours_to_next_star"], 97.5);
        let (s, _) = app
            .get(
                &format!("/api/v1/volunteers/{b_vid}/summary"),
                Some(&a_user.token),
            )
            .await;
        assert_eq!(s, 404);
        let (s, _) = app
            .get(
                &format!("/api/v1/volunteers/{b_vid}/summary"),
                Some(&w.platform.token),
            )
            .await;
        assert_eq!(s, 200);

        // An activity with confirmed hours cannot be cancelled.
        let (s, b) = app
            .post(
                &format!("/api/v1/activities/{id}/cancel"),
                Some(&w.admin.token),
                json!({"reason": "误操作"}),
            )
            .await;
        assert_eq!((s, b["code"].as_str()), (409, Some("hours_confirmed")));
    }
);

dual_test!(
    attendance_by_hand_is_the_leaders_and_lies_within_the_activity,
    long_sessions,
    |app: TestApp| async move {
        let w = world(&app).await;
        let (leader, leader_vid) = volunteer(&app, 1, "张三丰").await;
        member(&app, &w.admin, &w.org, &leader).await;
        let (d_user, d_vid) = volunteer(&app, 5, "周四").await;
        let mut body = activity_body(&w.org, 10, 10);
        body["leader_ids"] = json!([leader_vid]);
        let id = published(&app, &w.admin, body).await;
        let (s, _) = app
            .post(
                &format!("/api/v1/activities/{id}/sign-ups"),
                Some(&d_user.token),
                json!({}),
            )
            .await;
        assert_eq!(s, 201);
        app.clock.set(at(10, 3, 0));
        let att = |v: &str| format!("/api/v1/activities/{id}/attendance/{v}");
        let (s, _, _) = app
            .put_if(
                &att(&d_vid),
                &d_user.token,
                json!({"checked_in_at": at(10, 1, 0), "reason": "我来了"}),
                None,
            )
            .await;
        assert_eq!(s, 403, "a participant does not record attendance");
        let (s, _, _) = app
            .put_if(
                &att(&d_vid),
                &w.other_admin.token,
                json!({"absent": true, "reason": "x"}),
                None,
            )
            .await;
        assert_eq!(s, 403, "another organisation's admin does not either");
        let (s, b, _) = app
            .put_if(
                &att(&d_vid),
                &leader.token,
                json!({"checked_out_at": at(10, 2, 0), "reason": "x"}),
                None,
            )
            .await;
        assert_eq!(
            (s, fields(&b)[0].1.as_str()),
            (422, "required"),
            "check-in time or absent"
        );
        let (s, b, _) = app.put_if(&att(&d_vid), &leader.token, json!({"checked_in_at": at(10, 3, 0), "checked_out_at": at(10, 2, 0), "reason": "x"}), None)
        .await;
        assert_eq!((s, fields(&b)[0].1.as_str()), (422, "before_check_in"));
        let (s, b, _) = app
            .put_if(
                &att(&d_vid),
                &leader.token,
                json!({"checked_in_at": at(20, 1, 0), "reason": "x"}),
                None,
            )
            .await;
        assert_eq!((s, fields(&b)[0].1.as_str()), (422, "outside_activity"));
    }
);

dual_test!(
    corrections_made_at_once_apply_one_after_the_other,
    long_sessions,
    |app: TestApp| async move {
        let w = world(&app).await;
        let (a_user, a_vid) = volunteer(&app, 2, "赵一").await;
        let (b_user, b_vid) = volunteer(&app, 3, "钱二").await;
        let id = served(
            &app,
            &w.admin,
            &w.org,
            "110117",
            10,
            &[(&a_user, &a_vid, 3.0), (&b_user, &b_vid, 2.5)],
        )
        .await;
        let hours = format!("/api/v1/activities/{id}/service-hours");

        // Admins correcting the same hours at once: the corrections apply one after the
        // other, each recording the hours it replaced, and the record ends with the last.
        let correct = |h: f64| json!({"entries": [{"volunteer_id": a_vid, "hours": h, "reason": "核对签到表后更正"}]});
        let (r1, r2, r3, r4) = tokio::join!(
            app.post(&hours, Some(&w.admin.token), correct(1.5)),
            app.post(&hours, Some(&w.admin.token), correct(2.5)),
            app.post(&hours, Some(&w.admin.token), correct(4.5)),
            app.post(&hours, Some(&w.admin.token), correct(5.5)),
        );
        for (s, b) in [&r1, &r2, &r3, &r4] {
            assert_eq!(*s, 200, "{b}");
        }
        let (_, r) = app
            .get("/api/v1/service-records", Some(&a_user.token))
            .await;
        let rec = &r["items"][0];
        let chain: Vec<(f64, f64)> = rec["corrections"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                (
                    c["old_hours"].as_f64().unwrap(),
                    c["new_hours"].as_f64().unwrap(),
                )
            })
            .collect();
        assert_eq!(chain.len(), 4, "{chain:?}");
        assert_eq!(chain[0].0, 3.0, "the first replaced the confirmed hours");
        for pair in chain.windows(2) {
            assert_eq!(
                pair[0].1, pair[1].0,
                "each replaces the one before: {chain:?}"
            );
        }
        assert_eq!(rec["hours"].as_f64(), Some(chain[3].1), "{chain:?}");
        let mut last: Vec<f64> = chain.iter().map(|c| c.1).collect();
        last.sort_by(f64::total_cmp);
        assert_eq!(last, vec![1.5, 2.5, 4.5, 5.5]);

        // Two participants corrected at once in opposite orders: no deadlock.
        for round in 0..5 {
            let h = 6.0 + f64::from(round);
            let both = |first: &str, second: &str| {
                json!({"entries": [
                    {"volunteer_id": first, "hours": h, "reason": "核对签到表后更正"},
                    {"volunteer_id": second, "hours": h, "reason": "核对签到表后更正"},
                ]})
            };
            let (x, y) = tokio::join!(
                app.post(&hours, Some(&w.admin.token), both(&a_vid, &b_vid)),
                app.post(&hours, Some(&w.admin.token), both(&b_vid, &a_vid)),
            );
            assert_eq!((x.0, y.0), (200, 200), "{} {}", x.1, y.1);
        }
        // The volunteers' kept totals followed every one of those corrections.
        assert_eq!(app.store.volunteer_totals_drift().await.unwrap(), 0);
    }
);

dual_test!(
    annual_recognition,
    long_sessions,
    |app: TestApp| async move {
        let w = world(&app).await;
        let (star, star_vid) = volunteer(&app, 1, "优秀者").await;
        let (almost, _) = volunteer(&app, 2, "差一点").await;
        member(&app, &w.admin, &w.org, &star).await;
        member(&app, &w.admin, &w.org, &almost).await;
        // Ten activities on consecutive days; the second volunteer misses the last one.
        let mut ids = Vec::new();
        for day in 2..12 {
            let id = published(&app, &w.admin, activity_body(&w.org, day, 10)).await;
            for u in [&star, &almost] {
                if day == 11 && u.id == almost.id {
                    continue;
                }
                let (s, _) = app
                    .post(
                        &format!("/api/v1/activities/{id}/sign-ups"),
                        Some(&u.token),
                        json!({}),
                    )
                    .await;
                assert_eq!(s, 201);
            }
            ids.push(id);
        }
        app.clock.set(at(12, 0, 0));
        for id in &ids {
            let (s, b) = app
                .post(
                    &format!("/api/v1/activities/{id}/service-hours"),
                    Some(&w.admin.token),
                    json!({"all": true, "entries": []}),
                )
                .await;
            assert_eq!(s, 200, "{b}");
            // Entered by hand: nobody checked in.
            let entries: Vec<Value> = b["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| json!({"volunteer_id": r["volunteer_id"], "hours": 2.5, "reason": "按签到表补录"}))
            .collect();
            let (s, b) = app
                .post(
                    &format!("/api/v1/activities/{id}/service-hours"),
                    Some(&w.admin.token),
                    json!({"entries": entries}),
                )
                .await;
            assert_eq!(s, 200, "{b}");
        }
        let path = format!("/api/v1/organizations/{}/recognition?year=2026", w.org);
        let (s, r) = app.get(&path, Some(&w.admin.token)).await;
        assert_eq!(s, 200, "{r}");
        let nominees = r["volunteers"].as_array().unwrap();
        assert_eq!(nominees.len(), 1, "{r}");
        assert_eq!(nominees[0]["volunteer_id"], star_vid.as_str());
        assert_eq!(
            (
                nominees[0]["activities"].as_i64(),
                nominees[0]["hours"].as_f64()
            ),
            (Some(10), Some(25.0))
        );
        // The nominees are chosen in SQL; the rule they follow is the domain's
        // `RecognitionRule::volunteer_eligible`, with the thresholds the answer states.
        let t = &r["thresholds"];
        let rule = zhihui_domain::RecognitionRule {
            volunteer_min_activities: t["volunteer_min_activities"].as_i64().unwrap(),
            volunteer_min_hours: t["volunteer_min_hours"].as_f64().unwrap(),
            team_min_members: t["team_min_members"].as_i64().unwrap(),
            team_min_activities: t["team_min_activities"].as_i64().unwrap(),
            team_min_hours_per_member: t["team_min_hours_per_member"].as_f64().unwrap(),
            team_min_hours: t["team_min_hours"].as_f64().unwrap(),
        };
        assert!(rule.volunteer_eligible(10, 25.0), "the nominee");
        assert!(!rule.volunteer_eligible(9, 22.5), "the one left out");
        assert_eq!(r["team"]["members"], 2);
        assert_eq!(r["team"]["activities"], 10);
        assert_eq!(r["team"]["hours"], 47.5);
        assert_eq!(r["team"]["eligible"], false);
        assert_eq!(
            r["team"]["shortfalls"],
            json!(["members", "activities", "hours"]),
            "23.75 h per member is enough; 2 members, 10 activities and 47.5 h are not"
        );
        let (_, r) = app
            .get(
                &format!("/api/v1/organizations/{}/recognition?year=2025", w.org),
                Some(&w.admin.token),
            )
            .await;
        assert_eq!(r["volunteers"].as_array().unwrap().len(), 0);
        for u in [&w.other_admin, &star] {
            let (s, _) = app.get(&path, Some(&u.token)).await;
            assert_eq!(s, 403);
        }
        let (s, _) = app.get(&path, None).await;
        assert_eq!(s, 401);
    }
);

dual_test!(
    the_clash_query_agrees_with_the_domain_rule_of_overlap,
    |app: TestApp| async move {
        // The sign-up clash is judged in SQL (one statement, under the activity's lock); the
        // rule it must follow is `zhihui_domain::activity::overlaps`. Every case here is
        // judged by both, including the touching ends the rule lets through.
        use zhihui_domain::activity::overlaps;
        let w = world(&app).await;
        let (v, _) = volunteer(&app, 61, "李四").await;
        let base = published(&app, &w.admin, activity_body(&w.org, 12, 10)).await;
        let (s, b) = app
            .post(
                &format!("/api/v1/activities/{base}/sign-ups"),
                Some(&v.token),
                json!({}),
            )
            .await;
        assert_eq!(s, 201, "{b}");
        let (base_from, base_to) = (at(12, 1, 0), at(12, 5, 0));
        let mut clashes = 0;
        for (from, to) in [
            (0, 1),
            (0, 2),
            (2, 3),
            (4, 6),
            (5, 7),
            (0, 6),
            (6, 8),
            (1, 5),
        ] {
            let (from, to) = (at(12, from, 0), at(12, to, 0));
            let mut body = activity_body(&w.other_org, 12, 10);
            body["starts_at"] = json!(from);
            body["ends_at"] = json!(to);
            let id = published(&app, &w.other_admin, body).await;
            let (s, b) = app
                .post(
                    &format!("/api/v1/activities/{id}/sign-ups"),
                    Some(&v.token),
                    json!({}),
                )
                .await;
            let clash = s == 409 && b["code"] == "overlapping_sign_up";
            clashes += usize::from(clash);
            assert_eq!(
                clash,
                overlaps(base_from, base_to, from, to),
                "{from}–{to}: {s} {b}"
            );
            if s == 201 {
                let (s, b) = app
                    .delete(&format!("/api/v1/activities/{id}/sign-ups/mine"), &v.token)
                    .await;
                assert_eq!(s, 200, "{b}");
            }
        }
        assert_eq!(
            clashes, 5,
            "five of the eight overlap; touching ends do not"
        );
    }
);

dual_test!(
    an_update_is_checked_with_the_fields_it_keeps_and_a_blank_reason_is_refused,
    |app: TestApp| async move {
        let w = world(&app).await;
        let id = published(&app, &w.admin, activity_body(&w.org, 10, 30)).await;
        let path = format!("/api/v1/activities/{id}");
        let (_, before) = app.get(&path, Some(&w.admin.token)).await;

        // Only the end is sent, before the start kept: the plan is refused as a whole, as
        // the dashboard's form refuses it (`ActivityPlan::amended`).
        let (s, b, _) = app
            .put_if(
                &path,
                &w.admin.token,
                json!({ "ends_at": at(10, 0, 30) }),
                None,
            )
            .await;
        assert_eq!(s, 422, "{b}");
        let mut f = fields(&b);
        f.sort();
        assert_eq!(
            f,
            vec![
                ("ends_at".into(), "ends_before_start".into()),
                ("sign_up_closes_at".into(), "window_after_end".into()),
            ]
        );
        // A reason of spaces says nothing; the activity stays as it was.
        let (s, b) = app
            .post(
                &format!("{path}/cancel"),
                Some(&w.admin.token),
                json!({ "reason": "   " }),
            )
            .await;
        assert_eq!(s, 422, "{b}");
        assert_eq!(fields(&b), vec![("reason".into(), "required".into())]);
        let (_, after) = app.get(&path, Some(&w.admin.token)).await;
        assert_eq!(after, before, "nothing refused was stored");
    }
);

dual_test!(
    the_workbench_counts_ended_activities_with_hours_to_confirm_until_the_deadline,
    long_sessions,
    |app: TestApp| async move {
        let w = world(&app).await;
        let (present, present_vid) = volunteer(&app, 1, "张三").await;
        let (absent, absent_vid) = volunteer(&app, 2, "李四").await;
        let id = published(&app, &w.admin, activity_body(&w.org, 10, 10)).await;
        for v in [&present, &absent] {
            let (s, b) = app
                .post(
                    &format!("/api/v1/activities/{id}/sign-ups"),
                    Some(&v.token),
                    json!({}),
                )
                .await;
            assert_eq!(s, 201, "{b}");
        }
        let hours = |who: &User| {
            let token = who.token.clone();
            let app = &app;
            async move {
                let (s, b) = app.get("/api/v1/me/work", Some(&token)).await;
                assert_eq!(s, 200, "{b}");
                b["items"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter(|i| i["kind"] == "hours_to_confirm")
                    .map(|i| {
                        (
                            i["organization"]["id"].as_str().unwrap().to_string(),
                            i["count"].as_i64().unwrap(),
                        )
                    })
                    .collect::<Vec<_>>()
            }
        };
        // During the activity: one present, one absent, recorded by hand.
        app.clock.set(at(10, 3, 0));
        for (vid, body) in [
            (
                &present_vid,
                json!({"checked_in_at": at(10, 1, 0), "checked_out_at": at(10, 3, 0), "reason": "现场登记"}),
            ),
            (&absent_vid, json!({"absent": true, "reason": "请假"})),
        ] {
            let (s, b, _) = app
                .put_if(
                    &format!("/api/v1/activities/{id}/attendance/{vid}"),
                    &w.admin.token,
                    body,
                    None,
                )
                .await;
            assert_eq!(s, 200, "{b}");
        }
        assert_eq!(hours(&w.admin).await, vec![], "not before it ends");
        // Ended: the team's admins have one activity to confirm; nobody else has.
        app.clock.set(at(10, 6, 0));
        assert_eq!(hours(&w.admin).await, vec![(w.org.clone(), 1)]);
        for who in [&w.other_admin, &w.platform, &present] {
            assert_eq!(hours(who).await, vec![], "{}", who.id);
        }
        // Ten working days after 10 June is 24 June (China time): counted to its last
        // minute, gone the next day, when confirming is refused.
        app.clock.set(at(24, 15, 59));
        assert_eq!(hours(&w.admin).await, vec![(w.org.clone(), 1)]);
        app.clock.set(at(24, 16, 1));
        assert_eq!(hours(&w.admin).await, vec![]);
        let confirm = json!({"entries": [{"volunteer_id": present_vid, "hours": 2.0}]});
        let (s, b) = app
            .post(
                &format!("/api/v1/activities/{id}/service-hours"),
                Some(&w.admin.token),
                confirm.clone(),
            )
            .await;
        assert_eq!(
            (s, b["code"].as_str()),
            (409, Some("confirmation_window_closed"))
        );
        // Confirmed, it leaves the list (the absent volunteer has nothing to confirm).
        app.clock.set(at(10, 6, 0));
        let (s, b) = app
            .post(
                &format!("/api/v1/activities/{id}/service-hours"),
                Some(&w.admin.token),
                confirm,
            )
            .await;
        assert_eq!(s, 200, "{b}");
        assert_eq!(hours(&w.admin).await, vec![]);
    }
);
