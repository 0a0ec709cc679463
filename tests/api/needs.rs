//! Needs (点单、派单、接单、评单): every step from posting to rating, each role's permissions
//! and refusals, the one-holder rule under a race, expiry by the clock, suggestions, the
//! public board and the figures.

use reqwest::Method;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{json, Value};
use zhihui_http::clock::Clock;
use zhihui_persistence::entities::{outbox_event, service_need};

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

fn history(v: &Value) -> Vec<String> {
    v["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap().to_string())
        .collect()
}

fn ids(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap().to_string())
        .collect()
}

/// A need of the county in June and July 2026 for farmers, wanting agriculture.
fn need_body(org: &str) -> Value {
    json!({
        "organization_id": org,
        "title": "设施蔬菜病虫害绿色防控技术培训",
        "description": "全镇设施蔬菜种植户约四十人参加",
        "category": "technical_service",
        "skill_fields": ["agriculture"],
        "skill_tags": ["病虫害防治"],
        "audience": "farmers",
        "audience_size": 40,
        "place": "西兆通镇文化站",
        "region_code": "130102",
        "window_from": "2026-06-10",
        "window_to": "2026-07-31",
        "contact_name": "李春华",
        "contact_phone": "13900139000"
    })
}

/// The tree of the pairing tests, with two teams beside it: one of the county (a rural
/// technical association whose member registered with 农业技术) and a national society.
struct Scene {
    t: Tree,
    team_admin: User,
    team: String,
    national_admin: User,
    national: String,
    /// A provincial society of another province (not eligible to claim in Hebei).
    far_admin: User,
    far: String,
}

async fn scene(app: &TestApp) -> Scene {
    let t = tree(app).await;
    let team_admin = app.user("admin@canjx.cn").await;
    let team = child(
        app,
        &t.county_admin,
        &team_admin,
        "长安区农村专业技术协会",
        ("rural_technical_association", "grassroots"),
        &t.county,
        "130102",
    )
    .await;
    let (v, _) = volunteer(app, 1, "张伟").await;
    member(app, &team_admin, &team, &v).await;
    let national_admin = app.user("admin@caass.cn").await;
    let national = app
        .approved(
            &t.platform,
            &national_admin,
            "中国植物保护学会",
            "national_society",
            "national",
            "110000",
        )
        .await;
    let far_admin = app.user("admin@bjnx.cn").await;
    let far = app
        .approved(
            &t.platform,
            &far_admin,
            "北京农学会",
            "provincial_society",
            "province",
            "110000",
        )
        .await;
    Scene {
        t,
        team_admin,
        team,
        national_admin,
        national,
        far_admin,
        far,
    }
}

/// Posts and publishes the county's need; returns its id.
async fn open_need(app: &TestApp, s: &Scene, body: Value) -> String {
    let (st, b) = app
        .post("/api/v1/needs", Some(&s.t.county_admin.token), body)
        .await;
    assert_eq!(st, 201, "{b}");
    let id = b["id"].as_str().unwrap().to_string();
    let (st, b) = app
        .post(
            &format!("/api/v1/needs/{id}/publish"),
            Some(&s.t.county_admin.token),
            json!({}),
        )
        .await;
    assert_eq!(st, 200, "{b}");
    id
}

dual_test!(
    need_from_posting_to_rating,
    long_sessions,
    |app: TestApp| async move {
        let s = scene(&app).await;
        let t = &s.t;
        let base = "/api/v1/needs";

        // A draft: the requester's alone.
        let (st, d) = app
            .post(base, Some(&t.county_admin.token), need_body(&t.county))
            .await;
        assert_eq!(st, 201, "{d}");
        let id = d["id"].as_str().unwrap().to_string();
        let one = format!("{base}/{id}");
        assert_eq!(d["status"], "draft");
        assert_eq!(actions(&d), ["update", "publish", "cancel"]);
        assert_eq!(d["contact"]["phone"], "13900139000");
        assert_eq!(d["requester"]["name"], "长安区科学技术协会");
        for who in [None, Some(&t.city_admin.token), Some(&s.team_admin.token)] {
            let (st, _) = app.get(&one, who.map(String::as_str)).await;
            assert_eq!(st, 404, "a draft is the requester's");
        }

        // Published: on the public board, without the contact.
        let (st, o) = app
            .post(
                &format!("{one}/publish"),
                Some(&t.county_admin.token),
                json!({}),
            )
            .await;
        assert_eq!(st, 200, "{o}");
        assert_eq!(o["status"], "open");
        let (st, public) = app.get(&one, None).await;
        assert_eq!(st, 200);
        assert!(public["contact"].is_null(), "{public}");
        assert!(actions(&public).is_empty());
        assert_eq!(history(&public), ["created", "published"]);
        let (_, board) = app.get(&format!("{base}?region=13"), None).await;
        assert_eq!(ids(&board), [id.as_str()]);

        // Each side is offered its own step.
        let (_, v) = app.get(&one, Some(&s.team_admin.token)).await;
        assert_eq!(actions(&v), ["claim"]);
        assert_eq!(v["claimable_by"], json!([s.team]));
        assert!(
            v["contact"].is_null(),
            "a team that does not hold the need: no contact"
        );
        let (_, v) = app.get(&one, Some(&t.city_admin.token)).await;
        assert_eq!(actions(&v), ["dispatch"]);
        assert_eq!(v["contact"]["phone"], "13900139000");
        // The parent's workbench has it to dispatch; the county's (the requester) does not.
        let waiting = |who: &User| {
            let (app, token) = (&app, who.token.clone());
            async move {
                let (_, w) = app.get("/api/v1/me/work", Some(&token)).await;
                w["items"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter(|i| i["kind"] == "needs_to_dispatch")
                    .map(|i| i["count"].as_i64().unwrap())
                    .sum::<i64>()
            }
        };
        assert_eq!(waiting(&t.city_admin).await, 1);
        assert_eq!(waiting(&t.county_admin).await, 0);
        let (_, v) = app.get(&one, Some(&s.far_admin.token)).await;
        assert!(
            actions(&v).is_empty(),
            "a society of another province cannot claim: {v}"
        );
        // The platform sees it all, the contact masked, and takes no step of the parties.
        let (_, v) = app.get(&one, Some(&t.platform.token)).await;
        assert!(actions(&v).is_empty(), "{v}");
        assert_eq!(v["contact"]["phone"], "139****9000");
        let (st, _) = app
            .get(&format!("{one}/suggestions"), Some(&t.platform.token))
            .await;
        assert_eq!(st, 200);
        let (st, b) = app
            .post(
                &format!("{one}/dispatch"),
                Some(&t.platform.token),
                json!({"team_id": s.team}),
            )
            .await;
        assert_eq!((st, b["code"].as_str()), (403, Some("parent_admin_only")));
        let (_, v) = app.get(&one, Some(&t.province_admin.token)).await;
        assert!(actions(&v).is_empty());
        assert_eq!(
            v["contact"]["name"], "李春华",
            "the province above sees the contact"
        );

        // Suggestions: the county's team with the wanted skill first, then the society of the
        // province, then the national society; never an association.
        let (st, sg) = app
            .get(&format!("{one}/suggestions"), Some(&t.city_admin.token))
            .await;
        assert_eq!(st, 200, "{sg}");
        let ranked: Vec<&str> = sg["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["team"]["id"].as_str().unwrap())
            .collect();
        assert_eq!(
            ranked,
            [s.team.as_str(), t.society.as_str(), s.national.as_str()]
        );
        let top = &sg["items"][0];
        assert_eq!(top["matched_skills"], json!(["agriculture"]));
        assert_eq!(top["closeness"], "same_county");
        assert_eq!(top["claim_basis"], "same_county");
        assert_eq!(
            top["factors"]["skills"], 20.0,
            "one of two wanted skills: half of 40"
        );
        assert_eq!(sg["weights"]["skills"], 40.0);
        for who in [&s.team_admin, &s.far_admin] {
            let (st, _) = app
                .get(&format!("{one}/suggestions"), Some(&who.token))
                .await;
            assert_eq!(st, 403);
        }
        let (st, _) = app.get(&format!("{one}/suggestions"), None).await;
        assert_eq!(st, 401);

        // Dispatch (派单): only the requester's parent, only to a serving team.
        let dispatch = format!("{one}/dispatch");
        let (st, b) = app
            .post(
                &dispatch,
                Some(&t.county_admin.token),
                json!({"team_id": s.team}),
            )
            .await;
        assert_eq!((st, b["code"].as_str()), (403, Some("parent_admin_only")));
        let (st, b) = app
            .post(
                &dispatch,
                Some(&t.city_admin.token),
                json!({"team_id": t.outsider_org}),
            )
            .await;
        assert_eq!(st, 422, "{b}");
        assert_eq!(
            fields(&b),
            [("team_id".into(), "not_a_serving_team".into())]
        );
        let (st, b) = app
            .post(
                &dispatch,
                Some(&t.city_admin.token),
                json!({"team_id": s.team, "note": "请农技协承接"}),
            )
            .await;
        assert_eq!(st, 200, "{b}");
        assert_eq!(b["status"], "dispatched");
        assert_eq!(b["holder"]["id"], s.team.as_str());
        // While the team answers, nobody else takes the need.
        let (st, b) = app
            .post(
                &format!("{one}/claim"),
                Some(&s.national_admin.token),
                json!({"team_id": s.national}),
            )
            .await;
        assert_eq!((st, b["code"].as_str()), (409, Some("need_already_held")));
        let (_, v) = app.get(&one, Some(&s.team_admin.token)).await;
        assert_eq!(actions(&v), ["accept_dispatch", "decline_dispatch"]);
        assert_eq!(waiting(&t.city_admin).await, 0);
        assert_eq!(
            v["contact"]["phone"], "13900139000",
            "the team it is sent to sees the contact"
        );

        // Declined with a reason: open again.
        let (st, b) = app
            .post(
                &format!("{one}/decline-dispatch"),
                Some(&s.team_admin.token),
                json!({"reason": " "}),
            )
            .await;
        assert_eq!(st, 422, "{b}");
        let (st, b) = app
            .post(
                &format!("{one}/decline-dispatch"),
                Some(&s.team_admin.token),
                json!({"reason": "六月人手不足"}),
            )
            .await;
        assert_eq!(st, 200, "{b}");
        assert_eq!(b["status"], "open");
        assert!(b["holder"].is_null());
        assert_eq!(
            history(&b),
            ["created", "published"],
            "the team is no longer a party"
        );
        let (_, v) = app.get(&one, Some(&t.county_admin.token)).await;
        let declined = v["history"].as_array().unwrap().last().unwrap().clone();
        assert_eq!(declined["action"], "dispatch_declined");
        assert_eq!(declined["note"], "六月人手不足");
        assert_eq!(declined["team"]["id"], s.team.as_str());

        // Dispatched again and accepted: the team holds it.
        let (st, _) = app
            .post(
                &dispatch,
                Some(&t.city_admin.token),
                json!({"team_id": s.team}),
            )
            .await;
        assert_eq!(st, 200);
        let (st, b) = app
            .post(
                &format!("{one}/accept-dispatch"),
                Some(&t.city_admin.token),
                json!({}),
            )
            .await;
        assert_eq!(st, 403, "only the team answers: {b}");
        let (st, b) = app
            .post(
                &format!("{one}/accept-dispatch"),
                Some(&s.team_admin.token),
                json!({}),
            )
            .await;
        assert_eq!(st, 200, "{b}");
        assert_eq!(b["status"], "claimed");
        assert_eq!(actions(&b), ["schedule"]);

        // Scheduling makes the team's draft activity within the window.
        let schedule = format!("{one}/schedule");
        let (st, _) = app
            .post(
                &schedule,
                Some(&t.county_admin.token),
                json!({"starts_at": at(20, 1, 0), "ends_at": at(20, 5, 0)}),
            )
            .await;
        assert_eq!(st, 403);
        let (st, b) = app
            .post(
                &schedule,
                Some(&s.team_admin.token),
                json!({"starts_at": at(5, 1, 0), "ends_at": at(5, 5, 0)}),
            )
            .await;
        assert_eq!(st, 422, "{b}");
        assert_eq!(fields(&b), [("starts_at".into(), "outside_window".into())]);
        let (st, b) = app
            .post(
                &format!("{one}/rate"),
                Some(&t.county_admin.token),
                json!({"stars": 5, "people_reached": 40}),
            )
            .await;
        assert_eq!((st, b["code"].as_str()), (409, Some("need_not_served")));
        let (st, b) = app
            .post(
                &schedule,
                Some(&s.team_admin.token),
                json!({"starts_at": at(20, 1, 0), "ends_at": at(20, 5, 0)}),
            )
            .await;
        assert_eq!(st, 200, "{b}");
        assert_eq!(b["status"], "scheduled");
        let activity = b["activity_id"].as_str().unwrap().to_string();
        let (st, a) = app
            .get(
                &format!("/api/v1/activities/{activity}"),
                Some(&s.team_admin.token),
            )
            .await;
        assert_eq!(st, 200, "{a}");
        assert_eq!(a["status"], "draft");
        assert_eq!(a["title"], "设施蔬菜病虫害绿色防控技术培训");
        assert_eq!(a["capacity"], 40);
        assert_eq!(a["region_code"], "130102");
        assert_eq!(a["organization_id"], s.team.as_str());
        assert_eq!(a["need_id"], id.as_str(), "linked both ways");

        // The team publishes it; a volunteer comes; the hours are confirmed: served.
        let (st, b) = app
            .post(
                &format!("/api/v1/activities/{activity}/publish"),
                Some(&s.team_admin.token),
                json!({}),
            )
            .await;
        assert_eq!(st, 200, "{b}");
        let (v2, v2_id) = volunteer(&app, 2, "王芳").await;
        let (st, b) = app
            .post(
                &format!("/api/v1/activities/{activity}/sign-ups"),
                Some(&v2.token),
                json!({}),
            )
            .await;
        assert_eq!(st, 201, "{b}");
        app.clock.set(at(20, 6, 0));
        let (st, b) = app
            .post(
                &format!("/api/v1/activities/{activity}/service-hours"),
                Some(&s.team_admin.token),
                json!({"entries": [{"volunteer_id": v2_id, "hours": 4}]}),
            )
            .await;
        assert_eq!(st, 200, "{b}");
        let (_, v) = app.get(&one, Some(&t.county_admin.token)).await;
        assert_eq!(v["status"], "served", "{v}");
        assert_eq!(actions(&v), ["rate"]);
        assert!(v["rating_due_at"]
            .as_str()
            .unwrap()
            .starts_with("2026-07-20"));

        // Rated (评单) once, by the requester, one to five stars.
        let rate = format!("{one}/rate");
        let (st, b) = app
            .post(
                &rate,
                Some(&t.county_admin.token),
                json!({"stars": 6, "people_reached": 38}),
            )
            .await;
        assert_eq!(st, 422);
        assert_eq!(fields(&b), [("stars".into(), "range".into())]);
        let (st, _) = app
            .post(
                &rate,
                Some(&s.team_admin.token),
                json!({"stars": 5, "people_reached": 38}),
            )
            .await;
        assert_eq!(st, 403, "the team does not rate itself");
        let (st, b) = app
            .post(
                &rate,
                Some(&t.county_admin.token),
                json!({"stars": 5, "people_reached": 38, "comment": "讲得实在"}),
            )
            .await;
        assert_eq!(st, 200, "{b}");
        assert_eq!(b["status"], "rated");
        assert_eq!(b["rating"]["stars"], 5);
        assert_eq!(b["rating"]["people_reached"], 38);
        let (st, b) = app
            .post(
                &rate,
                Some(&t.county_admin.token),
                json!({"stars": 4, "people_reached": 38}),
            )
            .await;
        assert_eq!((st, b["code"].as_str()), (409, Some("need_already_rated")));
        let (_, v) = app.get(&one, Some(&t.county_admin.token)).await;
        assert_eq!(
            history(&v),
            [
                "created",
                "published",
                "dispatched",
                "dispatch_declined",
                "dispatched",
                "dispatch_accepted",
                "scheduled",
                "served",
                "rated"
            ]
            .map(String::from)
        );

        // The need served joins the month's report of the requester, not the team's (whose
        // activity the report counts already): a roll-up over the county's subtree sums
        // both, and counts the need once.
        for (org, admin, served) in [(&t.county, &t.county_admin, 1), (&s.team, &s.team_admin, 0)] {
            let (st, r) = app
                .post(
                    &format!("/api/v1/organizations/{org}/monthly-reports"),
                    Some(&admin.token),
                    json!({"month": "2026-06"}),
                )
                .await;
            assert_eq!(st, 201, "{r}");
            assert_eq!(r["figures"]["needs_served"], served, "{r}");
        }

        // The rating feeds the team's record in the next suggestions.
        let (_, next) = app
            .post(base, Some(&t.county_admin.token), need_body(&t.county))
            .await;
        let next = next["id"].as_str().unwrap();
        let (_, sg) = app
            .get(
                &format!("{base}/{next}/suggestions"),
                Some(&t.county_admin.token),
            )
            .await;
        assert_eq!(sg["items"][0]["ratings"], 1);
        assert_eq!(sg["items"][0]["average_rating"], 5.0);

        // Every step was announced to webhooks, in the transaction that took it.
        let kinds = outbox_event::Entity::find()
            .filter(outbox_event::Column::EventType.like("need.%"))
            .count(app.store.connection())
            .await
            .unwrap();
        assert_eq!(
            kinds, 8,
            "published, dispatched ×2, declined, accepted, scheduled, served, rated"
        );
    }
);

dual_test!(
    twenty_claimants_and_a_dispatch_leave_one_holder,
    long_sessions,
    |app: TestApp| async move {
        let s = scene(&app).await;
        let t = &s.t;
        // One admin runs twenty teams of the county; each claims at once, while the city
        // dispatches to the national society.
        let owner = app.user("admin@teams.cn").await;
        let mut teams = vec![];
        for i in 0..20 {
            teams.push(
                child(
                    &app,
                    &t.county_admin,
                    &owner,
                    &format!("长安区第{i}科普分队"),
                    ("other", "grassroots"),
                    &t.county,
                    "130102",
                )
                .await,
            );
        }
        let owner = app.login("admin@teams.cn").await;
        let id = open_need(&app, &s, need_body(&t.county)).await;
        let one = format!("/api/v1/needs/{id}");
        let mut calls = vec![];
        for team in &teams {
            let (app, token, url) = (&app, owner.token.clone(), format!("{one}/claim"));
            calls.push(Box::pin(async move {
                app.post(&url, Some(&token), json!({"team_id": team})).await
            })
                as std::pin::Pin<
                    Box<dyn std::future::Future<Output = (u16, Value)> + Send + '_>,
                >);
        }
        let dispatch_url = format!("{one}/dispatch");
        let city = t.city_admin.token.clone();
        let national = s.national.clone();
        let app_ref = &app;
        calls.push(Box::pin(async move {
            app_ref
                .post(&dispatch_url, Some(&city), json!({"team_id": national}))
                .await
        }));
        let answers = futures_util::future::join_all(calls).await;
        let won: Vec<&(u16, Value)> = answers.iter().filter(|(s, _)| *s == 200).collect();
        assert_eq!(won.len(), 1, "{answers:?}");
        for (st, b) in answers.iter().filter(|(s, _)| *s != 200) {
            assert_eq!(
                (*st, b["code"].as_str()),
                (409, Some("need_already_held")),
                "{b}"
            );
        }
        let (_, v) = app.get(&one, Some(&t.county_admin.token)).await;
        assert_eq!(v["holder"]["id"], won[0].1["holder"]["id"]);
        let holders = service_need::Entity::find()
            .filter(service_need::Column::HolderId.is_not_null())
            .count(app.store.connection())
            .await
            .unwrap();
        assert_eq!(holders, 1);
    }
);

dual_test!(
    bad_input_and_every_refusal,
    long_sessions,
    |app: TestApp| async move {
        let s = scene(&app).await;
        let t = &s.t;
        let base = "/api/v1/needs";
        let stored = || async {
            service_need::Entity::find()
                .count(app.store.connection())
                .await
                .unwrap()
        };

        // Every bad field named at once; nothing stored.
        let mut bad = need_body(&t.county);
        bad["window_from"] = json!("2026-05-01");
        bad["window_to"] = json!("2026-05-20");
        bad["skill_fields"] = json!(["astrology"]);
        bad["audience"] = json!("tourists");
        bad["audience_size"] = json!(0);
        let (st, b) = app.post(base, Some(&t.county_admin.token), bad).await;
        assert_eq!(st, 422, "{b}");
        let mut got = fields(&b);
        got.sort();
        assert_eq!(
            got,
            [
                ("audience".into(), "unknown_audience".into()),
                ("audience_size".into(), "range".into()),
                ("skill_fields[0]".into(), "unknown_skill_field".into()),
                ("window_to".into(), "in_the_past".into()),
            ]
        );
        let mut unknown_region = need_body(&t.county);
        unknown_region["region_code"] = json!("139999");
        let (st, b) = app
            .post(base, Some(&t.county_admin.token), unknown_region)
            .await;
        assert_eq!(st, 422);
        assert_eq!(
            fields(&b),
            [("region_code".into(), "region_not_found".into())]
        );
        assert_eq!(stored().await, 0);

        // Who posts: a society does not; one's own organisation only; anonymous never.
        let (st, b) = app
            .post(base, Some(&t.society_admin.token), need_body(&t.society))
            .await;
        assert_eq!(st, 422);
        assert_eq!(
            fields(&b),
            [("organization_id".into(), "not_a_requester".into())]
        );
        let (st, b) = app
            .post(base, Some(&t.city_admin.token), need_body(&t.county))
            .await;
        assert_eq!(
            (st, b["code"].as_str()),
            (403, Some("not_your_organization"))
        );
        let (st, _) = app.post(base, None, need_body(&t.county)).await;
        assert_eq!(st, 401);
        let (st, b) = app
            .post(base, Some(&s.team_admin.token), need_body(&s.team))
            .await;
        assert_eq!(st, 201, "a grassroots team posts its own: {b}");
        assert_eq!(stored().await, 1);
        // It is not offered, and may not take, its own need.
        let own = format!("{base}/{}", b["id"].as_str().unwrap());
        let (st, _) = app
            .post(
                &format!("{own}/publish"),
                Some(&s.team_admin.token),
                json!({}),
            )
            .await;
        assert_eq!(st, 200);
        let (_, v) = app.get(&own, Some(&s.team_admin.token)).await;
        assert!(v["claimable_by"].as_array().unwrap().is_empty(), "{v}");
        let (st, b) = app
            .post(
                &format!("{own}/claim"),
                Some(&s.team_admin.token),
                json!({"team_id": s.team}),
            )
            .await;
        assert_eq!((st, b["code"].as_str()), (403, Some("claim_not_eligible")));
        let (st, _) = app
            .post(
                &format!("{own}/cancel"),
                Some(&s.team_admin.token),
                json!({"reason": "重复发布"}),
            )
            .await;
        assert_eq!(st, 200);

        let id = open_need(&app, &s, need_body(&t.county)).await;
        let one = format!("{base}/{id}");
        let claim = format!("{one}/claim");

        // Claims: for a team one administers, by an eligible team only.
        let (st, b) = app
            .post(
                &claim,
                Some(&s.national_admin.token),
                json!({"team_id": s.team}),
            )
            .await;
        assert_eq!(
            (st, b["code"].as_str()),
            (403, Some("not_your_organization"))
        );
        let (st, b) = app
            .post(&claim, Some(&s.far_admin.token), json!({"team_id": s.far}))
            .await;
        assert_eq!(
            (st, b["code"].as_str()),
            (403, Some("claim_not_eligible")),
            "{b}"
        );
        let (st, b) = app
            .post(
                &claim,
                Some(&t.county_admin.token),
                json!({"team_id": t.county}),
            )
            .await;
        assert_eq!(st, 422, "an association does not claim: {b}");
        let (v, _) = volunteer(&app, 7, "赵敏").await;
        let (st, _) = app
            .post(&claim, Some(&v.token), json!({"team_id": s.team}))
            .await;
        assert_eq!(st, 403, "a volunteer administers no team");

        // An update while open is allowed; once held it is refused.
        let (st, b) = app
            .put(&one, &t.county_admin.token, json!({"audience_size": 60}))
            .await;
        assert_eq!(st, 200, "{b}");
        assert_eq!(b["audience_size"], 60);
        let (st, b) = app
            .put(&one, &s.team_admin.token, json!({"audience_size": 70}))
            .await;
        assert_eq!(st, 403, "{b}");
        let (st, b) = app
            .post(
                &claim,
                Some(&s.national_admin.token),
                json!({"team_id": s.national}),
            )
            .await;
        assert_eq!(st, 200, "a national society claims anywhere: {b}");
        let (st, b) = app
            .put(&one, &t.county_admin.token, json!({"audience_size": 70}))
            .await;
        assert_eq!((st, b["code"].as_str()), (409, Some("need_already_held")));
        let (_, v) = app.get(&one, Some(&t.county_admin.token)).await;
        assert_eq!(v["audience_size"], 60, "nothing changed by a refusal");

        // The window passes without an activity: expired, and nothing more is taken.
        app.clock.set(at(1, 2, 0) + chrono::Duration::days(61));
        let (_, v) = app.get(&one, Some(&t.county_admin.token)).await;
        assert_eq!(v["status"], "expired");
        assert_eq!(history(&v).last().unwrap(), "expired");
        let (st, b) = app
            .post(
                &format!("{one}/schedule"),
                Some(&s.national_admin.token),
                json!({"starts_at": at(20, 1, 0), "ends_at": at(20, 5, 0)}),
            )
            .await;
        assert_eq!((st, b["code"].as_str()), (409, Some("need_expired")));
        // The expiry is announced to webhooks once, however often the sender looks (its
        // own round may have looked already).
        let today = zhihui_domain::report::china_date(app.clock.now());
        for _ in 0..2 {
            app.store
                .announce_expired_needs(today, app.clock.now(), 200)
                .await
                .unwrap();
        }
        let expired_events = outbox_event::Entity::find()
            .filter(outbox_event::Column::EventType.eq("need.expired"))
            .count(app.store.connection())
            .await
            .unwrap();
        assert_eq!(expired_events, 1);
        let (_, expired) = app
            .get(
                &format!("{base}?status=expired"),
                Some(&t.county_admin.token),
            )
            .await;
        assert_eq!(ids(&expired), [id.as_str()]);
        let (_, open) = app.get(&format!("{base}?status=open"), None).await;
        assert!(ids(&open).is_empty());

        // Cancelling takes a reason; a cancelled need takes nothing more.
        app.clock.set(at(1, 2, 0));
        let other = open_need(&app, &s, need_body(&t.county)).await;
        let (st, _) = app
            .post(
                &format!("{base}/{other}/cancel"),
                Some(&t.county_admin.token),
                json!({"reason": ""}),
            )
            .await;
        assert_eq!(st, 422);
        let (st, b) = app
            .post(
                &format!("{base}/{other}/cancel"),
                Some(&t.county_admin.token),
                json!({"reason": "镇里已自行安排"}),
            )
            .await;
        assert_eq!(st, 200, "{b}");
        assert_eq!(b["cancel_reason"], "镇里已自行安排");
        let (st, b) = app
            .post(
                &format!("{base}/{other}/claim"),
                Some(&s.team_admin.token),
                json!({"team_id": s.team}),
            )
            .await;
        assert_eq!((st, b["code"].as_str()), (409, Some("need_cancelled")));
        let (st, _) = app.get(&format!("{base}/{other}"), None).await;
        assert_eq!(st, 404, "a cancelled need leaves the public board");
        let (st, b) = app.get(&format!("{base}?status=bogus"), None).await;
        assert_eq!(st, 422);
        assert_eq!(fields(&b), [("status".into(), "unknown_status".into())]);
    }
);

dual_test!(
    a_rating_closes_thirty_days_after_service,
    long_sessions,
    |app: TestApp| async move {
        let s = scene(&app).await;
        let t = &s.t;
        let id = open_need(&app, &s, need_body(&t.county)).await;
        let one = format!("/api/v1/needs/{id}");
        let (st, _) = app
            .post(
                &format!("{one}/claim"),
                Some(&s.team_admin.token),
                json!({"team_id": s.team}),
            )
            .await;
        assert_eq!(st, 200);
        let (_, b) = app
            .post(
                &format!("{one}/schedule"),
                Some(&s.team_admin.token),
                json!({"starts_at": at(20, 1, 0), "ends_at": at(20, 5, 0)}),
            )
            .await;
        let activity = b["activity_id"].as_str().unwrap().to_string();
        app.call(
            Method::POST,
            &format!("/api/v1/activities/{activity}/publish"),
            Some(&s.team_admin.token),
            Some(json!({})),
        )
        .await;
        let (v, vid) = volunteer(&app, 3, "刘洋").await;
        app.post(
            &format!("/api/v1/activities/{activity}/sign-ups"),
            Some(&v.token),
            json!({}),
        )
        .await;
        app.clock.set(at(20, 6, 0));
        let (st, b) = app
            .post(
                &format!("/api/v1/activities/{activity}/service-hours"),
                Some(&s.team_admin.token),
                json!({"entries": [{"volunteer_id": vid, "hours": 3}]}),
            )
            .await;
        assert_eq!(st, 200, "{b}");
        app.clock
            .set(at(20, 6, 0) + chrono::Duration::days(30) + chrono::Duration::minutes(1));
        let (st, b) = app
            .post(
                &format!("{one}/rate"),
                Some(&t.county_admin.token),
                json!({"stars": 4, "people_reached": 30}),
            )
            .await;
        assert_eq!(
            (st, b["code"].as_str()),
            (409, Some("rating_window_closed")),
            "{b}"
        );
        let (_, v) = app.get(&one, Some(&t.county_admin.token)).await;
        assert_eq!(v["status"], "served");
        assert!(v["rating"].is_null());
    }
);

dual_test!(
    the_board_and_the_figures,
    long_sessions,
    |app: TestApp| async move {
        let s = scene(&app).await;
        let t = &s.t;
        // Three needs: a plain one, a priority county's one (listed first), a draft (never on
        // the board), and one of the team in another category.
        let plain = open_need(&app, &s, need_body(&t.county)).await;
        let mut body = need_body(&t.county);
        body["priority_area"] = json!("revolutionary_base");
        let priority = open_need(&app, &s, body).await;
        let (_, draft) = app
            .post(
                "/api/v1/needs",
                Some(&t.county_admin.token),
                need_body(&t.county),
            )
            .await;
        let draft = draft["id"].as_str().unwrap().to_string();
        let (_, board) = app.get("/api/v1/needs", None).await;
        assert_eq!(ids(&board), [priority.clone(), plain.clone()]);
        let (_, mine) = app
            .get(
                &format!("/api/v1/needs?requester_id={}", t.county),
                Some(&t.county_admin.token),
            )
            .await;
        assert_eq!(ids(&mine), [priority.clone(), draft.clone(), plain.clone()]);
        // Paged one at a time, in the same order.
        let (_, p1) = app.get("/api/v1/needs?limit=1", None).await;
        assert_eq!(ids(&p1), [priority.as_str()]);
        let cursor = p1["next_cursor"].as_str().unwrap();
        let (_, p2) = app
            .get(&format!("/api/v1/needs?limit=1&cursor={cursor}"), None)
            .await;
        assert_eq!(ids(&p2), [plain.as_str()]);
        for (q, want) in [
            ("region=11", 0),
            ("region=1301", 2),
            ("category=livelihood", 0),
            ("from=2026-08-01", 0),
            ("to=2026-06-10", 2),
        ] {
            let (st, b) = app.get(&format!("/api/v1/needs?{q}"), None).await;
            assert_eq!(st, 200, "{q}: {b}");
            assert_eq!(ids(&b).len(), want, "{q}");
        }
        let (st, _) = app.get("/api/v1/needs?region=1", None).await;
        assert_eq!(st, 422);

        // The plain need is served; the priority one passes its window.
        let (_, b) = app
            .post(
                &format!("/api/v1/needs/{plain}/claim"),
                Some(&s.team_admin.token),
                json!({"team_id": s.team}),
            )
            .await;
        assert_eq!(b["status"], "claimed");
        app.clock.set(at(3, 2, 0));
        let (_, b) = app
            .post(
                &format!("/api/v1/needs/{plain}/schedule"),
                Some(&s.team_admin.token),
                json!({"starts_at": at(20, 1, 0), "ends_at": at(20, 5, 0)}),
            )
            .await;
        let activity = b["activity_id"].as_str().unwrap().to_string();
        app.post(
            &format!("/api/v1/activities/{activity}/publish"),
            Some(&s.team_admin.token),
            json!({}),
        )
        .await;
        let (v, vid) = volunteer(&app, 4, "陈静").await;
        app.post(
            &format!("/api/v1/activities/{activity}/sign-ups"),
            Some(&v.token),
            json!({}),
        )
        .await;
        app.clock.set(at(20, 6, 0));
        app.post(
            &format!("/api/v1/activities/{activity}/service-hours"),
            Some(&s.team_admin.token),
            json!({"entries": [{"volunteer_id": vid, "hours": 3}]}),
        )
        .await;
        app.post(
            &format!("/api/v1/needs/{plain}/rate"),
            Some(&t.county_admin.token),
            json!({"stars": 4, "people_reached": 35}),
        )
        .await;
        app.clock.set(at(1, 2, 0) + chrono::Duration::days(70));

        let (st, r) = app
            .get("/api/v1/need-rollup?region=13&year=2026", None)
            .await;
        assert_eq!(st, 200, "{r}");
        assert_eq!(r["region_name"], "河北省");
        let totals = &r["totals"];
        assert_eq!(totals["posted"], 2, "drafts are not posted: {r}");
        assert_eq!(totals["served"], 1);
        assert_eq!(totals["unmet"], 1);
        assert_eq!(totals["median_days_to_schedule"], 2);
        assert_eq!(totals["average_rating"], 4.0);
        let cities = r["by_region"].as_array().unwrap();
        assert_eq!(cities.len(), 1);
        assert_eq!(cities[0]["region_code"], "130100");
        assert_eq!(cities[0]["priority_needs"], 1);
        let june = &r["by_month"][5];
        assert_eq!(
            (
                june["month"].as_str(),
                june["posted"].as_u64(),
                june["served"].as_u64()
            ),
            (Some("2026-06"), Some(2), Some(1))
        );
        let (_, nation) = app.get("/api/v1/need-rollup?year=2026", None).await;
        assert_eq!(nation["by_region"][0]["region_code"], "130000");
        assert_eq!(nation["totals"]["posted"], 2);
        let (_, elsewhere) = app
            .get("/api/v1/need-rollup?region=11&year=2026", None)
            .await;
        assert_eq!(elsewhere["totals"]["posted"], 0);
        for bad in ["region=1", "region=", "region=130102", "year=1999"] {
            let (st, _) = app.get(&format!("/api/v1/need-rollup?{bad}"), None).await;
            assert_eq!(st, 422, "{bad}");
        }
    }
);

/// A POST-less PUT with `If-Match` and an optional token.
async fn flag(
    app: &TestApp,
    org: &str,
    who: Option<&User>,
    area: Value,
    version: Option<i64>,
) -> (u16, Value) {
    let mut r = app
        .client
        .request(
            Method::PUT,
            app.url(&format!("/api/v1/organizations/{org}/priority-area")),
        )
        .json(&json!({ "priority_area": area }));
    if let Some(w) = who {
        r = r.bearer_auth(&w.token);
    }
    if let Some(v) = version {
        r = r.header("If-Match", format!("\"{v}\""));
    }
    split(r.send().await.unwrap()).await
}

dual_test!(
    a_county_flagged_from_above_lists_its_needs_as_priority,
    |app: TestApp| async move {
        let t = tree(&app).await;
        let (volunteer, _) = volunteer(&app, 1, "张伟").await;
        let one = format!("/api/v1/organizations/{}", t.county);
        // The county does not flag itself; nor does another province, a volunteer or anyone
        // signed out.
        for who in [&t.county_admin, &t.outsider, &volunteer] {
            let (st, b) = flag(
                &app,
                &t.county,
                Some(who),
                json!("revolutionary_base"),
                None,
            )
            .await;
            assert_eq!(
                (st, b["code"].as_str()),
                (403, Some("parent_admin_only")),
                "{b}"
            );
        }
        let (st, _) = flag(&app, &t.county, None, json!("revolutionary_base"), None).await;
        assert_eq!(st, 401);
        let (_, v) = app.get(&one, Some(&t.county_admin.token)).await;
        assert!(!actions(&v).contains(&"flag_priority"));
        let (_, v) = app.get(&one, Some(&t.province_admin.token)).await;
        assert!(actions(&v).contains(&"flag_priority"), "{v}");
        // Counties only, known areas only, the version read.
        let (st, b) = flag(
            &app,
            &t.city,
            Some(&t.province_admin),
            json!("remote_mountain"),
            None,
        )
        .await;
        assert_eq!(st, 422);
        assert_eq!(
            fields(&b),
            vec![("priority_area".to_string(), "not_a_county".to_string())]
        );
        let (st, b) = flag(
            &app,
            &t.county,
            Some(&t.province_admin),
            json!("island"),
            None,
        )
        .await;
        assert_eq!(st, 422);
        assert_eq!(
            fields(&b),
            vec![(
                "priority_area".to_string(),
                "unknown_priority_area".to_string()
            )]
        );
        let version = v["version"].as_i64().unwrap();
        let (st, _) = flag(
            &app,
            &t.county,
            Some(&t.province_admin),
            json!("revolutionary_base"),
            Some(version + 1),
        )
        .await;
        assert_eq!(st, 412);
        // The province (two levels above) flags it; its needs carry the flag whatever the
        // county declares.
        let (st, v) = flag(
            &app,
            &t.county,
            Some(&t.province_admin),
            json!("revolutionary_base"),
            Some(version),
        )
        .await;
        assert_eq!(st, 200, "{v}");
        assert_eq!(v["priority_area"], "revolutionary_base");
        let mut body = need_body(&t.county);
        body["priority_area"] = json!("remote_mountain");
        let (st, n) = app
            .post("/api/v1/needs", Some(&t.county_admin.token), body)
            .await;
        assert_eq!(st, 201, "{n}");
        assert_eq!(n["priority_area"], "revolutionary_base");
        // Cleared by the city (its parent): the county's next need is as declared.
        let (st, v) = flag(&app, &t.county, Some(&t.city_admin), Value::Null, None).await;
        assert_eq!(st, 200, "{v}");
        assert_eq!(v["priority_area"], Value::Null);
        let (_, n) = app
            .post(
                "/api/v1/needs",
                Some(&t.county_admin.token),
                need_body(&t.county),
            )
            .await;
        assert_eq!(n["priority_area"], Value::Null);
    }
);
