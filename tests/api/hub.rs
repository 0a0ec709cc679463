//! Science hub centres (科普服务汇中心): service points registered and changed by the
//! organisations responsible, exhibitions placed and rotated between them (one place at a
//! time, at most the point's slots at once, also under a race), visits recorded, the
//! rotation planner, and every role's refusals.

use reqwest::Method;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{json, Value};
use zhihui_persistence::entities::outbox_event;

use crate::dual_test;
use crate::fixtures::*;
use crate::helpers::*;

fn ids(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap().to_string())
        .collect()
}

fn actions(v: &Value) -> Vec<&str> {
    v["allowed_actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap())
        .collect()
}

fn point_body(org: &str, name: &str, kind: &str, slots: i32) -> Value {
    json!({
        "organization_id": org,
        "name": name,
        "kind": kind,
        "region_code": "130102",
        "address": "长安区中山东路 88 号",
        "opening_hours": "周二至周日 9:00-17:00",
        "capacity": 200,
        "exhibition_slots": slots
    })
}

async fn point(app: &TestApp, who: &User, body: Value) -> String {
    let (st, b) = app
        .post("/api/v1/service-points", Some(&who.token), body)
        .await;
    assert_eq!(st, 201, "{b}");
    b["id"].as_str().unwrap().to_string()
}

async fn exhibition(app: &TestApp, who: &User, owner: &str, title: &str, theme: &str) -> String {
    let (st, b) = app
        .post(
            "/api/v1/exhibitions",
            Some(&who.token),
            json!({
                "owner_id": owner,
                "title": title,
                "theme": theme,
                "category": "emergency_safety",
                "panels": 12
            }),
        )
        .await;
    assert_eq!(st, 201, "{b}");
    b["id"].as_str().unwrap().to_string()
}

async fn stay(
    app: &TestApp,
    who: &User,
    exhibition: &str,
    point: &str,
    from: &str,
    to: &str,
) -> (u16, Value) {
    app.post(
        &format!("/api/v1/exhibitions/{exhibition}/stays"),
        Some(&who.token),
        json!({"service_point_id": point, "starts_on": from, "ends_on": to}),
    )
    .await
}

/// A POST with `If-Match`.
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

fn at(day: u32, month: u32) -> chrono::DateTime<chrono::Utc> {
    use chrono::TimeZone;
    chrono::Utc
        .with_ymd_and_hms(2026, month, day, 2, 0, 0)
        .unwrap()
}

dual_test!(
    service_points_are_registered_listed_and_changed,
    |app: TestApp| async move {
        let t = tree(&app).await;
        let (volunteer, _) = volunteer(&app, 1, "张伟").await;
        // The county registers its civilisation-practice centre; the city, above it,
        // registers a station for the county.
        let (st, v) = app
            .post(
                "/api/v1/service-points",
                Some(&t.county_admin.token),
                point_body(
                    &t.county,
                    "长安区新时代文明实践中心",
                    "civilisation_centre",
                    2,
                ),
            )
            .await;
        assert_eq!(st, 201, "{v}");
        let centre = v["id"].as_str().unwrap().to_string();
        assert_eq!(v["organization"]["id"], t.county.as_str());
        assert_eq!(v["kind"], "civilisation_centre");
        assert_eq!(v["region_name"], "长安区");
        assert_eq!(actions(&v), vec!["update"]);
        assert_eq!(v["figures"]["activities"], 0);
        assert_eq!(v["stays"], json!([]));
        let station = point(
            &app,
            &t.city_admin,
            point_body(
                &t.county,
                "西兆通镇新时代文明实践所",
                "civilisation_station",
                0,
            ),
        )
        .await;

        // Neither another province's admin, nor a volunteer, nor anyone signed out.
        for who in [&t.outsider, &volunteer, &t.society_admin] {
            let (st, b) = app
                .post(
                    "/api/v1/service-points",
                    Some(&who.token),
                    point_body(&t.county, "某服务点", "civilisation_post", 0),
                )
                .await;
            assert_eq!(
                (st, b["code"].as_str()),
                (403, Some("not_your_organization"))
            );
        }
        let (st, _) = app
            .post(
                "/api/v1/service-points",
                None,
                point_body(&t.county, "某服务点", "civilisation_post", 0),
            )
            .await;
        assert_eq!(st, 401);

        // Bad input names every field, and nothing is stored.
        let (st, b) = app
            .post(
                "/api/v1/service-points",
                Some(&t.county_admin.token),
                json!({
                    "organization_id": t.county,
                    "name": " ",
                    "kind": "temple",
                    "region_code": "999999",
                    "address": "",
                    "capacity": 0,
                    "exhibition_slots": 21
                }),
            )
            .await;
        assert_eq!(st, 422, "{b}");
        let f = fields(&b);
        for field in ["name", "kind", "address", "capacity", "exhibition_slots"] {
            assert!(f.iter().any(|(n, _)| n == field), "{field}: {f:?}");
        }
        assert!(f.contains(&("kind".into(), "unknown_service_point_kind".into())));

        // The public list, by region, kind, exhibitions and text, page by page.
        let (st, page) = app.get("/api/v1/service-points?region=13", None).await;
        assert_eq!(st, 200);
        assert_eq!(ids(&page), vec![centre.clone(), station.clone()]);
        assert!(page["items"][0]["allowed_actions"]
            .as_array()
            .unwrap()
            .is_empty());
        let (_, page) = app
            .get("/api/v1/service-points?kind=civilisation_station", None)
            .await;
        assert_eq!(ids(&page), vec![station.clone()]);
        let (_, page) = app
            .get("/api/v1/service-points?shows_exhibitions=true", None)
            .await;
        assert_eq!(ids(&page), vec![centre.clone()]);
        let (_, page) = app
            .get("/api/v1/service-points?q=%E8%A5%BF%E5%85%86%E9%80%9A", None)
            .await;
        assert_eq!(ids(&page), vec![station.clone()]);
        let (_, page) = app.get("/api/v1/service-points?region=11", None).await;
        assert!(ids(&page).is_empty());
        let (_, first) = app.get("/api/v1/service-points?limit=1", None).await;
        assert_eq!(ids(&first), vec![centre.clone()]);
        let cursor = first["next_cursor"].as_str().unwrap();
        let (_, second) = app
            .get(
                &format!("/api/v1/service-points?limit=1&cursor={cursor}"),
                None,
            )
            .await;
        assert_eq!(ids(&second), vec![station.clone()]);
        for bad in [
            "region=1",
            "limit=0",
            "limit=201",
            "kind=temple",
            "cursor=x",
        ] {
            let (st, b) = app
                .get(&format!("/api/v1/service-points?{bad}"), None)
                .await;
            assert_eq!(st, 422, "{bad}: {b}");
        }

        // Changes carry the version; the province (above) may, another province may not.
        let one = format!("/api/v1/service-points/{centre}");
        let (st, _, etag) = app
            .put_if(
                &one,
                &t.province_admin.token,
                json!({"opening_hours": "每天 8:30-18:00", "capacity": 300}),
                Some("\"1\""),
            )
            .await;
        assert_eq!(st, 200);
        assert_eq!(etag.as_deref(), Some("\"2\""));
        let (st, _, _) = app
            .put_if(
                &one,
                &t.county_admin.token,
                json!({"capacity": 10}),
                Some("\"1\""),
            )
            .await;
        assert_eq!(st, 412);
        let (st, b, _) = app
            .put_if(&one, &t.outsider.token, json!({"capacity": 10}), None)
            .await;
        assert_eq!(
            (st, b["code"].as_str()),
            (403, Some("not_your_organization"))
        );
        let (st, b, _) = app
            .put_if(&one, &t.county_admin.token, json!({"kind": "temple"}), None)
            .await;
        assert_eq!(st, 422, "{b}");
        let (_, v) = app.get(&one, None).await;
        assert_eq!(v["capacity"], 300);
        assert_eq!(v["opening_hours"], "每天 8:30-18:00");
        assert_eq!(v["version"], 2);
        let (st, b) = app
            .get(
                &format!("/api/v1/service-points/{}", uuid::Uuid::now_v7()),
                None,
            )
            .await;
        assert_eq!(
            (st, b["code"].as_str()),
            (404, Some("service_point_not_found"))
        );
    }
);

/// The city's exhibitions at two county points and the outsider's; the city admin places.
struct Hub {
    t: Tree,
    centre: String,
    station: String,
    no_slots: String,
    far: String,
    fraud: String,
    sorting: String,
    first_aid: String,
}

async fn hub(app: &TestApp) -> Hub {
    let t = tree(app).await;
    let centre = point(
        app,
        &t.county_admin,
        point_body(
            &t.county,
            "长安区新时代文明实践中心",
            "civilisation_centre",
            1,
        ),
    )
    .await;
    let station = point(
        app,
        &t.county_admin,
        point_body(
            &t.county,
            "西兆通镇新时代文明实践所",
            "civilisation_station",
            1,
        ),
    )
    .await;
    let no_slots = point(
        app,
        &t.county_admin,
        point_body(&t.county, "东村新时代文明实践站", "civilisation_post", 0),
    )
    .await;
    let mut far_body = point_body(
        &t.outsider_org,
        "北京科普e站",
        "community_science_station",
        3,
    );
    far_body["region_code"] = json!("110105");
    let far = point(app, &t.outsider, far_body).await;
    let fraud = exhibition(
        app,
        &t.city_admin,
        &t.city,
        "防范电信网络诈骗科普展",
        "防范电信诈骗",
    )
    .await;
    let sorting = exhibition(app, &t.city_admin, &t.city, "垃圾分类科普展", "垃圾分类").await;
    let first_aid = exhibition(app, &t.city_admin, &t.city, "应急救护科普展", "急救知识").await;
    Hub {
        t,
        centre,
        station,
        no_slots,
        far,
        fraud,
        sorting,
        first_aid,
    }
}

dual_test!(
    exhibitions_stay_one_place_at_a_time_and_are_visited,
    long_sessions,
    |app: TestApp| async move {
        let h = hub(&app).await;
        let t = &h.t;
        let city = &t.city_admin;

        // The catalogue: only the owner's admins add; the category is the guidance
        // catalogue's.
        let body = json!({"owner_id": t.city, "title": "航天科普展", "theme": "航天", "category": "frontier_science", "panels": 8});
        let (st, b) = app
            .post(
                "/api/v1/exhibitions",
                Some(&t.county_admin.token),
                body.clone(),
            )
            .await;
        assert_eq!(
            (st, b["code"].as_str()),
            (403, Some("not_your_organization"))
        );
        let mut bad = body.clone();
        bad["category"] = json!("astrology");
        bad["panels"] = json!(0);
        let (st, b) = app
            .post("/api/v1/exhibitions", Some(&city.token), bad)
            .await;
        assert_eq!(st, 422);
        let f = fields(&b);
        assert!(
            f.contains(&("category".into(), "unknown_exhibition_category".into())),
            "{f:?}"
        );
        assert!(f.iter().any(|(n, _)| n == "panels"), "{f:?}");
        let (_, page) = app
            .get(&format!("/api/v1/exhibitions?owner_id={}", t.city), None)
            .await;
        assert_eq!(
            ids(&page),
            vec![h.fraud.clone(), h.sorting.clone(), h.first_aid.clone()]
        );
        let (_, page) = app
            .get("/api/v1/exhibitions?q=%E5%9E%83%E5%9C%BE", None)
            .await;
        assert_eq!(ids(&page), vec![h.sorting.clone()]);

        // The fraud exhibition at the centre for June's second half.
        let (st, s1) = stay(&app, city, &h.fraud, &h.centre, "2026-06-10", "2026-06-30").await;
        assert_eq!(st, 201, "{s1}");
        assert_eq!(s1["status"], "scheduled");
        assert_eq!(actions(&s1), vec!["cancel"]);
        assert_eq!(s1["service_point"]["id"], h.centre.as_str());
        let s1_id = s1["id"].as_str().unwrap().to_string();

        // Not in two places at once; not two at a point with one slot.
        let (st, b) = stay(&app, city, &h.fraud, &h.station, "2026-06-30", "2026-07-10").await;
        assert_eq!(
            (st, b["code"].as_str()),
            (409, Some("exhibition_elsewhere")),
            "{b}"
        );
        let (st, b) = stay(
            &app,
            city,
            &h.sorting,
            &h.centre,
            "2026-06-01",
            "2026-06-10",
        )
        .await;
        assert_eq!(
            (st, b["code"].as_str()),
            (409, Some("service_point_full")),
            "{b}"
        );
        // The day after is free, at the station too.
        let (st, b) = stay(&app, city, &h.fraud, &h.station, "2026-07-01", "2026-07-10").await;
        assert_eq!(st, 201, "{b}");
        let s2_id = b["id"].as_str().unwrap().to_string();
        let (st, b) = stay(
            &app,
            city,
            &h.sorting,
            &h.no_slots,
            "2026-07-01",
            "2026-07-10",
        )
        .await;
        assert_eq!(
            (st, b["code"].as_str()),
            (409, Some("point_shows_no_exhibitions")),
            "{b}"
        );
        // Another province's point is out of reach; the county does not place the city's.
        let (st, b) = stay(&app, city, &h.sorting, &h.far, "2026-07-01", "2026-07-10").await;
        assert_eq!(
            (st, b["code"].as_str()),
            (403, Some("service_point_out_of_reach")),
            "{b}"
        );
        let (st, b) = stay(
            &app,
            &t.county_admin,
            &h.sorting,
            &h.station,
            "2026-06-01",
            "2026-06-05",
        )
        .await;
        assert_eq!(
            (st, b["code"].as_str()),
            (403, Some("not_your_organization")),
            "{b}"
        );
        // Bad days name the field.
        for (from, to, code) in [
            ("2026-06-20", "2026-06-19", "period_ends_before_start"),
            ("2026-05-01", "2026-05-31", "in_the_past"),
            ("2026-06-01", "2027-06-30", "period_too_long"),
        ] {
            let (st, b) = stay(&app, city, &h.sorting, &h.station, from, to).await;
            assert_eq!(st, 422, "{b}");
            assert_eq!(fields(&b), vec![("ends_on".to_string(), code.to_string())]);
        }
        let (st, b) = stay(
            &app,
            city,
            &h.sorting,
            &uuid::Uuid::now_v7().to_string(),
            "2026-06-01",
            "2026-06-05",
        )
        .await;
        assert_eq!(st, 422);
        assert_eq!(
            fields(&b),
            vec![(
                "service_point_id".to_string(),
                "service_point_not_found".to_string()
            )]
        );
        // The centre cannot drop to no slots while a stay is ahead.
        let (st, b, _) = app
            .put_if(
                &format!("/api/v1/service-points/{}", h.centre),
                &t.county_admin.token,
                json!({"exhibition_slots": 0}),
                None,
            )
            .await;
        assert_eq!(
            (st, b["code"].as_str()),
            (409, Some("service_point_full")),
            "{b}"
        );

        // Visits are recorded from the first day, by the host or the owner.
        let visits = format!("/api/v1/exhibition-stays/{s1_id}/visits");
        let (st, b) = app
            .put(&visits, &t.county_admin.token, json!({"visitors": 10}))
            .await;
        assert_eq!(
            (st, b["code"].as_str()),
            (409, Some("stay_not_begun")),
            "{b}"
        );
        app.clock.set(at(12, 6));
        let (_, v) = app
            .get(
                &format!("/api/v1/service-points/{}", h.centre),
                Some(&t.county_admin.token),
            )
            .await;
        assert_eq!(v["stays"][0]["status"], "showing");
        assert_eq!(actions(&v["stays"][0]), vec!["record_visits"]);
        let (st, b) = post_if(
            &app,
            &format!("/api/v1/exhibition-stays/{s1_id}/cancel"),
            city,
            json!({}),
            1,
        )
        .await;
        assert_eq!((st, b["code"].as_str()), (409, Some("stay_begun")), "{b}");
        let (st, b) = app
            .put(&visits, &t.outsider.token, json!({"visitors": 10}))
            .await;
        assert_eq!(
            (st, b["code"].as_str()),
            (403, Some("not_your_organization")),
            "{b}"
        );
        let (st, b) = app
            .put(
                &visits,
                &t.county_admin.token,
                json!({"visitors": 5, "guided_tours": 6}),
            )
            .await;
        assert_eq!(st, 422, "{b}");
        assert_eq!(
            fields(&b),
            vec![("guided_tours".to_string(), "out_of_range".to_string())]
        );
        let (st, b, etag) = app
            .put_if(
                &visits,
                &t.county_admin.token,
                json!({"visitors": 120, "guided_tours": 3, "lectures": 1}),
                Some("\"1\""),
            )
            .await;
        assert_eq!(st, 200, "{b}");
        assert_eq!(etag.as_deref(), Some("\"2\""));
        let (st, _, _) = app
            .put_if(
                &visits,
                city.token.as_str(),
                json!({"visitors": 1}),
                Some("\"1\""),
            )
            .await;
        assert_eq!(st, 412);
        let (_, v) = app
            .get(
                &format!("/api/v1/service-points/{}?year=2026", h.centre),
                None,
            )
            .await;
        assert_eq!(v["figures"]["exhibitions_shown"], 1);
        assert_eq!(v["figures"]["visitors"], 120);
        assert_eq!(v["figures"]["people_served"], 120);
        assert_eq!(v["figures"]["guided_tours"], 3);
        assert_eq!(v["figures"]["lectures"], 1);
        // The visitors join the June report of the point's organisation (the county), not
        // the exhibition owner's (the city), so the city's roll-up counts them once.
        let (st, r) = app
            .post(
                &format!("/api/v1/organizations/{}/monthly-reports", t.county),
                Some(&t.county_admin.token),
                json!({"month": "2026-06"}),
            )
            .await;
        assert_eq!(st, 201, "{r}");
        assert_eq!(r["figures"]["exhibition_visitors"], 120, "{r}");
        let (st, r) = app
            .post(
                &format!("/api/v1/organizations/{}/monthly-reports", t.city),
                Some(&city.token),
                json!({"month": "2026-06"}),
            )
            .await;
        assert_eq!(st, 201, "{r}");
        assert_eq!(r["figures"]["exhibition_visitors"], 0, "{r}");
        let (_, v) = app
            .get(
                &format!("/api/v1/service-points/{}?year=2025", h.centre),
                None,
            )
            .await;
        assert_eq!(v["figures"]["visitors"], 0);
        let (st, _) = app
            .get(
                &format!("/api/v1/service-points/{}?year=1999", h.centre),
                None,
            )
            .await;
        assert_eq!(st, 422);

        // A stay ahead is cancelled by the owner (not the host), and its days are free.
        let cancel = format!("/api/v1/exhibition-stays/{s2_id}/cancel");
        let (st, b) = post_if(&app, &cancel, &t.county_admin, json!({}), 1).await;
        assert_eq!(
            (st, b["code"].as_str()),
            (403, Some("not_your_organization")),
            "{b}"
        );
        let (st, b) = post_if(&app, &cancel, city, json!({}), 1).await;
        assert_eq!(st, 200, "{b}");
        assert_eq!(b["status"], "cancelled");
        let (st, b) = post_if(&app, &cancel, city, json!({}), 2).await;
        assert_eq!(
            (st, b["code"].as_str()),
            (409, Some("stay_cancelled")),
            "{b}"
        );
        let (st, b) = stay(
            &app,
            city,
            &h.sorting,
            &h.station,
            "2026-07-01",
            "2026-07-10",
        )
        .await;
        assert_eq!(st, 201, "{b}");

        // The calendar: the city's stays, by first day; cancelled ones only when asked.
        let (_, page) = app
            .get(
                &format!("/api/v1/exhibition-stays?organization_id={}", t.city),
                None,
            )
            .await;
        assert_eq!(page["items"].as_array().unwrap().len(), 2);
        assert_eq!(page["items"][0]["id"], s1_id.as_str());
        let (_, page) = app
            .get(
                &format!(
                    "/api/v1/exhibition-stays?organization_id={}&include_cancelled=true",
                    t.city
                ),
                None,
            )
            .await;
        assert_eq!(page["items"].as_array().unwrap().len(), 3);
        let (_, page) = app
            .get(
                "/api/v1/exhibition-stays?from=2026-07-05&to=2026-07-31",
                None,
            )
            .await;
        assert_eq!(page["items"].as_array().unwrap().len(), 1);
        let (_, first) = app.get("/api/v1/exhibition-stays?limit=1", None).await;
        let cursor = first["next_cursor"].as_str().unwrap();
        let (_, second) = app
            .get(
                &format!("/api/v1/exhibition-stays?limit=1&cursor={cursor}"),
                None,
            )
            .await;
        assert_ne!(ids(&first), ids(&second));
        for bad in ["from=2026-07-05&to=2026-07-01", "cursor=nope", "limit=0"] {
            let (st, _) = app
                .get(&format!("/api/v1/exhibition-stays?{bad}"), None)
                .await;
            assert_eq!(st, 422, "{bad}");
        }
        let (_, e) = app
            .get(&format!("/api/v1/exhibitions/{}", h.fraud), None)
            .await;
        assert_eq!(e["stays"].as_array().unwrap().len(), 1);
        assert_eq!(e["owner"]["id"], t.city.as_str());
        let (st, b) = app
            .get(
                &format!("/api/v1/exhibitions/{}", uuid::Uuid::now_v7()),
                None,
            )
            .await;
        assert_eq!(
            (st, b["code"].as_str()),
            (404, Some("exhibition_not_found"))
        );
    }
);

dual_test!(
    a_rotation_plan_shows_each_centre_each_theme_once,
    long_sessions,
    |app: TestApp| async move {
        let h = hub(&app).await;
        let t = &h.t;
        let city = &t.city_admin;
        // The centre showed the fraud exhibition in June.
        let (st, _) = stay(&app, city, &h.fraud, &h.centre, "2026-06-01", "2026-06-30").await;
        assert_eq!(st, 201);
        let body = json!({
            "owner_id": t.city,
            "exhibition_ids": [h.fraud, h.sorting, h.first_aid],
            "service_point_ids": [h.centre, h.station],
            "starts_on": "2026-07-01",
            "ends_on": "2026-09-28",
            "stay_days": 30
        });
        let (st, plan) = app
            .post(
                "/api/v1/exhibition-rotation-plans",
                Some(&city.token),
                body.clone(),
            )
            .await;
        assert_eq!(st, 200, "{plan}");
        let rounds = plan["rounds"].as_array().unwrap();
        assert_eq!(rounds.len(), 3);
        assert_eq!(rounds[0]["starts_on"], "2026-07-01");
        assert_eq!(rounds[2]["ends_on"], "2026-09-28");
        let stays = plan["stays"].as_array().unwrap();
        // The centre never sees fraud again; each point sees each theme once.
        assert!(!stays
            .iter()
            .any(|s| s["service_point_id"] == h.centre.as_str()
                && s["exhibition_id"] == h.fraud.as_str()));
        for p in [&h.centre, &h.station] {
            let mut seen: Vec<&str> = stays
                .iter()
                .filter(|s| s["service_point_id"] == p.as_str())
                .map(|s| s["exhibition_id"].as_str().unwrap())
                .collect();
            let n = seen.len();
            seen.sort();
            seen.dedup();
            assert_eq!(seen.len(), n);
        }
        // The station sees all three; the centre the two it has not seen; then it is
        // empty for a round, and says so.
        assert_eq!(
            stays
                .iter()
                .filter(|s| s["service_point_id"] == h.station.as_str())
                .count(),
            3
        );
        assert_eq!(
            stays
                .iter()
                .filter(|s| s["service_point_id"] == h.centre.as_str())
                .count(),
            2
        );
        assert_eq!(plan["gaps"].as_array().unwrap().len(), 1);
        // The plan places as it is: every proposed stay is accepted.
        for s in stays {
            let (st, b) = stay(
                &app,
                city,
                s["exhibition_id"].as_str().unwrap(),
                s["service_point_id"].as_str().unwrap(),
                s["starts_on"].as_str().unwrap(),
                s["ends_on"].as_str().unwrap(),
            )
            .await;
            assert_eq!(st, 201, "{s} {b}");
        }
        // Planned again over the same period, nothing more fits.
        let (_, again) = app
            .post(
                "/api/v1/exhibition-rotation-plans",
                Some(&city.token),
                body.clone(),
            )
            .await;
        assert_eq!(again["stays"], json!([]));

        // Only the owner's admins plan, with the owner's exhibitions, at points in reach.
        let (st, b) = app
            .post(
                "/api/v1/exhibition-rotation-plans",
                Some(&t.county_admin.token),
                body.clone(),
            )
            .await;
        assert_eq!(
            (st, b["code"].as_str()),
            (403, Some("not_your_organization"))
        );
        let mut far = body.clone();
        far["service_point_ids"] = json!([h.far]);
        let (st, b) = app
            .post("/api/v1/exhibition-rotation-plans", Some(&city.token), far)
            .await;
        assert_eq!(
            (st, b["code"].as_str()),
            (403, Some("service_point_out_of_reach"))
        );
        let other = exhibition(&app, &t.county_admin, &t.county, "县里的展览", "科学健身").await;
        let mut foreign = body.clone();
        foreign["exhibition_ids"] = json!([other]);
        let (st, b) = app
            .post(
                "/api/v1/exhibition-rotation-plans",
                Some(&city.token),
                foreign,
            )
            .await;
        assert_eq!(st, 422);
        assert_eq!(
            fields(&b),
            vec![(
                "exhibition_ids[0]".to_string(),
                "exhibition_not_found".to_string()
            )]
        );
        let mut short = body.clone();
        short["stay_days"] = json!(3);
        let (st, b) = app
            .post(
                "/api/v1/exhibition-rotation-plans",
                Some(&city.token),
                short,
            )
            .await;
        assert_eq!(st, 422);
        assert_eq!(fields(&b)[0].0, "stay_days");
        let (st, _) = app
            .post("/api/v1/exhibition-rotation-plans", None, body)
            .await;
        assert_eq!(st, 401);
    }
);

dual_test!(
    schedulers_racing_for_the_same_days_place_one_stay,
    long_sessions,
    |app: TestApp| async move {
        let h = hub(&app).await;
        let t = &h.t;
        let mut points = vec![];
        for i in 0..8 {
            points.push(
                point(
                    &app,
                    &t.county_admin,
                    point_body(
                        &t.county,
                        &format!("第{i}新时代文明实践站"),
                        "civilisation_post",
                        1,
                    ),
                )
                .await,
            );
        }
        // One exhibition sent to eight points for overlapping days at once.
        let calls = points.iter().enumerate().map(|(i, p)| {
            let from = format!("2026-07-{:02}", 1 + i);
            let app = &app;
            let city = &t.city_admin;
            let fraud = h.fraud.clone();
            async move { stay(app, city, &fraud, p, &from, "2026-07-20").await }
        });
        let answers = futures_util::future::join_all(calls).await;
        let won = answers.iter().filter(|(s, _)| *s == 201).count();
        assert_eq!(won, 1, "{answers:?}");
        for (st, b) in answers.iter().filter(|(s, _)| *s != 201) {
            assert_eq!(
                (*st, b["code"].as_str()),
                (409, Some("exhibition_elsewhere")),
                "{b}"
            );
        }
        // Two exhibitions racing for the one slot of one point.
        let calls = [&h.sorting, &h.first_aid].into_iter().map(|e| {
            let app = &app;
            let city = &t.city_admin;
            let centre = h.centre.clone();
            async move { stay(app, city, e, &centre, "2026-08-01", "2026-08-31").await }
        });
        let answers = futures_util::future::join_all(calls).await;
        assert_eq!(
            answers.iter().filter(|(s, _)| *s == 201).count(),
            1,
            "{answers:?}"
        );
        for (st, b) in answers.iter().filter(|(s, _)| *s != 201) {
            assert_eq!(
                (*st, b["code"].as_str()),
                (409, Some("service_point_full")),
                "{b}"
            );
        }
        let (_, page) = app.get("/api/v1/exhibition-stays?limit=200", None).await;
        assert_eq!(page["items"].as_array().unwrap().len(), 2);
        // Only the placements that held were announced, to the owner and the host.
        let announced = outbox_event::Entity::find()
            .filter(outbox_event::Column::EventType.eq("exhibition_stay.scheduled"))
            .all(app.store.connection())
            .await
            .unwrap();
        assert_eq!(announced.len(), 2);
        assert!(announced.iter().all(
            |e| e.organization_ids.contains(&t.city) && e.organization_ids.contains(&t.county)
        ));
        assert_eq!(
            outbox_event::Entity::find()
                .filter(outbox_event::Column::EventType.like("exhibition_stay.%"))
                .count(app.store.connection())
                .await
                .unwrap(),
            2
        );
    }
);

dual_test!(
    activities_held_at_a_service_point_count_in_its_figures,
    long_sessions,
    |app: TestApp| async move {
        let t = tree(&app).await;
        // A village's civilisation-practice post (a recognised kind) and the county's
        // centre (not one).
        let centre = point(
            &app,
            &t.county_admin,
            point_body(&t.county, "东村新时代文明实践站", "civilisation_post", 1),
        )
        .await;
        point(
            &app,
            &t.county_admin,
            point_body(
                &t.county,
                "长安区新时代文明实践中心",
                "civilisation_centre",
                1,
            ),
        )
        .await;
        let (v1, v1_id) = volunteer(&app, 1, "张伟").await;
        let starts = at(20, 6) - chrono::Duration::hours(1);
        let mut body = activity_body(&t.county, 1, 30);
        body["starts_at"] = json!(starts);
        body["ends_at"] = json!(starts + chrono::Duration::hours(4));
        body["region_code"] = json!("130102");

        // An unknown point is named as the field at fault.
        let mut bad = body.clone();
        bad["service_point_id"] = json!(uuid::Uuid::now_v7());
        let (st, b) = app
            .post("/api/v1/activities", Some(&t.county_admin.token), bad)
            .await;
        assert_eq!(st, 422, "{b}");
        assert!(fields(&b).contains(&(
            "service_point_id".to_string(),
            "service_point_not_found".to_string()
        )));

        body["service_point_id"] = json!(centre);
        let id = published(&app, &t.county_admin, body).await;
        let (_, a) = app.get(&format!("/api/v1/activities/{id}"), None).await;
        assert_eq!(a["service_point_id"], centre.as_str());
        let (st, b) = app
            .post(
                &format!("/api/v1/activities/{id}/sign-ups"),
                Some(&v1.token),
                json!({}),
            )
            .await;
        assert_eq!(st, 201, "{b}");
        app.clock.set(starts + chrono::Duration::hours(5));
        let (st, b) = app
            .post(
                &format!("/api/v1/activities/{id}/service-hours"),
                Some(&t.county_admin.token),
                json!({"entries": [{"volunteer_id": v1_id, "hours": 3.5}]}),
            )
            .await;
        assert_eq!(st, 200, "{b}");

        let (_, v) = app
            .get(&format!("/api/v1/service-points/{centre}"), None)
            .await;
        assert_eq!(v["figures"]["activities"], 1);
        assert_eq!(v["figures"]["volunteers"], 1);
        assert_eq!(v["figures"]["hours"], 3.5);
        let (_, page) = app
            .get(
                &format!("/api/v1/activities?service_point_id={centre}"),
                None,
            )
            .await;
        assert_eq!(ids(&page), vec![id.clone()]);

        // The fourth list of the year's recognition: the post, for the county and the city
        // above it; not for another province.
        for (org, who) in [(&t.county, &t.county_admin), (&t.city, &t.city_admin)] {
            let (st, r) = app
                .get(
                    &format!("/api/v1/organizations/{org}/recognition?year=2026"),
                    Some(&who.token),
                )
                .await;
            assert_eq!(st, 200, "{r}");
            let points = r["service_points"].as_array().unwrap();
            assert_eq!(points.len(), 1, "{r}");
            assert_eq!(points[0]["service_point_id"], centre.as_str());
            assert_eq!(points[0]["activities"], 1);
            assert_eq!(points[0]["hours"], 3.5);
        }
        let (_, r) = app
            .get(
                &format!(
                    "/api/v1/organizations/{}/recognition?year=2026",
                    t.outsider_org
                ),
                Some(&t.outsider.token),
            )
            .await;
        assert_eq!(r["service_points"], json!([]));

        // A draft elsewhere is not counted; an activity moved away no longer is.
        let (_, page) = app
            .get(
                &format!(
                    "/api/v1/activities?service_point_id={}",
                    uuid::Uuid::now_v7()
                ),
                None,
            )
            .await;
        assert!(ids(&page).is_empty());
        let mut later = activity_body(&t.county, 1, 30);
        later["starts_at"] = json!(at(1, 7));
        later["ends_at"] = json!(at(1, 7) + chrono::Duration::hours(2));
        later["service_point_id"] = json!(centre);
        let (st, draft) = app
            .post("/api/v1/activities", Some(&t.county_admin.token), later)
            .await;
        assert_eq!(st, 201, "{draft}");
        let draft_id = draft["id"].as_str().unwrap();
        let (_, v) = app
            .get(&format!("/api/v1/service-points/{centre}"), None)
            .await;
        assert_eq!(v["figures"]["activities"], 1);
        let one = format!("/api/v1/activities/{draft_id}");
        let (st, b, _) = app
            .put_if(
                &one,
                &t.county_admin.token,
                json!({"service_point_id": "x"}),
                None,
            )
            .await;
        assert_eq!(st, 422, "{b}");
        assert_eq!(
            fields(&b),
            vec![("service_point_id".to_string(), "invalid".to_string())]
        );
        let (st, b, _) = app
            .put_if(
                &one,
                &t.county_admin.token,
                json!({"service_point_id": ""}),
                None,
            )
            .await;
        assert_eq!(st, 200, "{b}");
        assert_eq!(b["service_point_id"], Value::Null);
    }
);

dual_test!(
    a_service_points_organisation_posts_needs_for_it,
    long_sessions,
    |app: TestApp| async move {
        let t = tree(&app).await;
        // The provincial society runs a science-education base in the county; a provincial
        // society posts no needs of its own, but does for its base (rule 46).
        let mut base = point_body(
            &t.society,
            "河北省农学会科普教育基地",
            "science_education_base",
            0,
        );
        base["address"] = json!("长安区农科路 1 号");
        let base = point(&app, &t.society_admin, base).await;
        let county_point = point(
            &app,
            &t.county_admin,
            point_body(
                &t.county,
                "长安区新时代文明实践中心",
                "civilisation_centre",
                1,
            ),
        )
        .await;
        let need = |sp: Option<&str>| {
            json!({
                "organization_id": t.society,
                "title": "基地开放日果树修剪讲座",
                "category": "technical_service",
                "skill_fields": ["agriculture"],
                "audience": "farmers",
                "audience_size": 40,
                "place": "农学会科普教育基地",
                "region_code": "130102",
                "window_from": "2026-06-10",
                "window_to": "2026-07-31",
                "contact_name": "李春华",
                "contact_phone": "13900139000",
                "service_point_id": sp
            })
        };
        let post = |body: Value| {
            let app = &app;
            let token = t.society_admin.token.clone();
            async move { app.post("/api/v1/needs", Some(&token), body).await }
        };
        let (st, b) = post(need(None)).await;
        assert_eq!(st, 422, "{b}");
        assert_eq!(
            fields(&b),
            vec![("organization_id".to_string(), "not_a_requester".to_string())]
        );
        let (st, b) = post(need(Some(&county_point))).await;
        assert_eq!(st, 422, "{b}");
        assert_eq!(
            fields(&b),
            vec![(
                "service_point_id".to_string(),
                "not_the_requesters_service_point".to_string()
            )]
        );
        let (st, b) = post(need(Some(&uuid::Uuid::now_v7().to_string()))).await;
        assert_eq!(st, 422, "{b}");
        assert_eq!(
            fields(&b),
            vec![(
                "service_point_id".to_string(),
                "service_point_not_found".to_string()
            )]
        );
        let (st, v) = post(need(Some(&base))).await;
        assert_eq!(st, 201, "{v}");
        assert_eq!(v["service_point_id"], base.as_str());
        let one = format!("/api/v1/needs/{}", v["id"].as_str().unwrap());

        // A team of the county claims and schedules it: the activity is held at the base.
        let team_admin = app.user("admin@canjx.cn").await;
        let team = child(
            &app,
            &t.county_admin,
            &team_admin,
            "长安区农村专业技术协会",
            ("rural_technical_association", "grassroots"),
            &t.county,
            "130102",
        )
        .await;
        let team_admin = app.login("admin@canjx.cn").await;
        let (st, b) = app
            .post(
                &format!("{one}/publish"),
                Some(&t.society_admin.token),
                json!({}),
            )
            .await;
        assert_eq!(st, 200, "{b}");
        let (st, b) = app
            .post(
                &format!("{one}/claim"),
                Some(&team_admin.token),
                json!({"team_id": team}),
            )
            .await;
        assert_eq!(st, 200, "{b}");
        let starts = at(20, 6);
        let (st, b) = app
            .post(
                &format!("{one}/schedule"),
                Some(&team_admin.token),
                json!({"starts_at": starts, "ends_at": starts + chrono::Duration::hours(3)}),
            )
            .await;
        assert_eq!(st, 200, "{b}");
        let activity = b["activity_id"].as_str().unwrap();
        let (_, a) = app
            .get(
                &format!("/api/v1/activities/{activity}"),
                Some(&team_admin.token),
            )
            .await;
        assert_eq!(a["service_point_id"], base.as_str());
    }
);

dual_test!(
    api_clients_reach_hub_centres_with_the_hub_scope,
    |app: TestApp| async move {
        let t = tree(&app).await;
        let clients = format!("/api/v1/organizations/{}/api-clients", t.county);
        let key = |scopes: Value| {
            let (app, token, clients) = (&app, t.county_admin.token.clone(), clients.clone());
            async move {
                let (s, c) = app
                    .post(
                        &clients,
                        Some(&token),
                        json!({"name": "文明实践云同步", "scopes": scopes}),
                    )
                    .await;
                assert_eq!(s, 201, "{c}");
                c["api_key"].as_str().unwrap().to_string()
            }
        };
        let writer = key(json!(["hub:write"])).await;
        let reader = key(json!(["hub:read"])).await;
        let other = key(json!(["needs:write"])).await;
        let body = point_body(
            &t.county,
            "长安区新时代文明实践中心",
            "civilisation_centre",
            1,
        );
        let call = |method: Method, path: &'static str, key: &str, body: Option<Value>| {
            let (app, key) = (&app, key.to_string());
            async move { split(app.call(method, path, Some(&key), body).await).await }
        };
        // Writes with hub:write, within its organisation's subtree.
        let (s, p) = call(
            Method::POST,
            "/api/v1/service-points",
            &writer,
            Some(body.clone()),
        )
        .await;
        assert_eq!(s, 201, "{p}");
        // Read-only and another family's keys are refused by scope.
        for k in [&reader, &other] {
            let (s, b) = call(
                Method::POST,
                "/api/v1/service-points",
                k,
                Some(body.clone()),
            )
            .await;
            assert_eq!((s, b["code"].as_str()), (403, Some("scope_missing")), "{b}");
        }
        let (s, page) = call(Method::GET, "/api/v1/service-points", &reader, None).await;
        assert_eq!(s, 200, "{page}");
        assert_eq!(ids(&page), vec![p["id"].as_str().unwrap().to_string()]);
        let (s, b) = call(Method::GET, "/api/v1/exhibition-stays", &other, None).await;
        assert_eq!((s, b["code"].as_str()), (403, Some("scope_missing")), "{b}");
        // Outside its subtree: another province's organisation.
        let mut far = point_body(
            &t.outsider_org,
            "北京科普e站",
            "community_science_station",
            0,
        );
        far["region_code"] = json!("110105");
        let (s, _) = call(Method::POST, "/api/v1/service-points", &writer, Some(far)).await;
        assert_eq!(s, 403);
    }
);
