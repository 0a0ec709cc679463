//! Monthly reports and the roll-up: figures prefilled from what was recorded, the report's
//! states and deadline, permissions along the tree, roll-up totals against direct counts,
//! the export and the annual summary.

use std::io::Cursor;

use calamine::{Reader, Xlsx};
use chrono::{TimeZone, Utc};
use reqwest::Method;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{json, Value};
use uuid::Uuid;
use zhihui_persistence::entities::{activity, service_record};

use crate::dual_test;
use crate::fixtures::*;
use crate::helpers::*;

fn june(day: u32, hour: u32) -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 6, day, hour, 0, 0).unwrap()
}

fn july(day: u32, hour: u32) -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 7, day, hour, 0, 0).unwrap()
}

/// Two volunteers, 张三 and 李四, approved members of the county: each with their token and
/// volunteer id.
async fn two_members(app: &TestApp, t: &Tree) -> ((User, String), (User, String)) {
    let first = volunteer(app, 1, "张三").await;
    let second = volunteer(app, 2, "李四").await;
    member(app, &t.county_admin, &t.county, &first.0).await;
    member(app, &t.county_admin, &t.county, &second.0).await;
    (first, second)
}

/// Two members of the county and a record history: two activities of the county, a draft
/// that does not count, and the paired society's activity in the county.
async fn county_june(app: &TestApp, t: &Tree) {
    let ((v1, id1), (v2, id2)) = two_members(app, t).await;
    let mut letter = letter_body(&t.society, &t.county);
    letter["period_from"] = json!("2026-06-01");
    let lid = sent_letter(app, t, letter).await;
    let (s, _) = app
        .post(
            &format!("/api/v1/pairing-letters/{lid}/accept"),
            Some(&t.county_admin.token),
            json!({}),
        )
        .await;
    assert_eq!(s, 200);
    served(
        app,
        &t.county_admin,
        &t.county,
        "130102",
        10,
        &[(&v1, &id1, 3.5), (&v2, &id2, 2.0)],
    )
    .await;
    served(
        app,
        &t.county_admin,
        &t.county,
        "130102",
        12,
        &[(&v1, &id1, 1.5)],
    )
    .await;
    served(app, &t.society_admin, &t.society, "130102", 14, &[]).await;
    let mut draft = activity_body(&t.county, 16, 5);
    draft["region_code"] = json!("130102");
    let (s, _) = app
        .post("/api/v1/activities", Some(&t.county_admin.token), draft)
        .await;
    assert_eq!(s, 201);
}

dual_test!(
    monthly_report_prefilled_submitted_returned_accepted,
    long_sessions,
    |app: TestApp| async move {
        let t = tree(&app).await;
        county_june(&app, &t).await;
        app.clock.set(june(20, 2));
        let prepare = format!("/api/v1/organizations/{}/monthly-reports", t.county);

        // The figures are what was recorded.
        let (s, r) = app
            .post(
                &prepare,
                Some(&t.county_admin.token),
                json!({"month": "2026-06"}),
            )
            .await;
        assert_eq!(s, 201, "{r}");
        assert_eq!(
            r["figures"],
            json!({"activities_held": 2, "volunteer_attendances": 3, "service_hours": 7.0,
                   "new_volunteers": 2, "pairing_activities": 1, "needs_served": 0, "exhibition_visitors": 0})
        );
        assert_eq!(r["status"], "draft");
        assert_eq!(r["on_time_until"], "2026-07-05");
        assert_eq!(r["compliance"]["activity_rule_met"], true);
        assert_eq!(
            r["compliance"]["meets_minimum_size"], false,
            "2 of 30 members"
        );
        assert_eq!(r["allowed_actions"], json!(["update", "submit"]));
        let id = r["id"].as_str().unwrap().to_string();
        let path = format!("/api/v1/monthly-reports/{id}");
        let (s, again) = app
            .post(
                &prepare,
                Some(&t.county_admin.token),
                json!({"month": "2026-06"}),
            )
            .await;
        assert_eq!((s, again["id"].as_str()), (200, Some(id.as_str())));

        // What the organisation adds; a stale version changes nothing.
        let (s, _, _) = app
            .put_if(
                &path,
                &t.county_admin.token,
                json!({"people_served": 1}),
                Some("\"9\""),
            )
            .await;
        assert_eq!(s, 412);
        let (s, b, _) = app.put_if(&path, &t.county_admin.token, json!({"people_served": 120, "narrative": "开展设施蔬菜技术培训两场", "next_plan": "七月开展科普进校园"}), Some(&format!("\"{}\"", again["version"])))
        .await;
        assert_eq!(s, 200, "{b}");
        assert_eq!(b["people_served"], 120);
        let (s, _, _) = app
            .put_if(
                &path,
                &t.city_admin.token,
                json!({"people_served": 1}),
                None,
            )
            .await;
        assert_eq!(s, 403);

        // Who sees it: the organisation and everything above it.
        for who in [&t.city_admin, &t.province_admin, &t.platform] {
            let (s, _) = app.get(&path, Some(&who.token)).await;
            assert_eq!(s, 200);
        }
        for who in [&t.outsider, &t.society_admin] {
            let (s, _) = app.get(&path, Some(&who.token)).await;
            assert_eq!(s, 404);
        }

        // Submitted on the last day of grace: on time. Returned, resubmitted a day later:
        // late. Accepted by the parent only.
        app.clock.set(july(5, 10));
        let (s, b) = app
            .post(
                &format!("{path}/submit"),
                Some(&t.county_admin.token),
                json!({}),
            )
            .await;
        assert_eq!((s, b["late"].as_bool()), (200, Some(false)), "{b}");
        let (s, b) = app
            .post(
                &format!("{path}/submit"),
                Some(&t.county_admin.token),
                json!({}),
            )
            .await;
        assert_eq!((s, b["code"].as_str()), (409, Some("report_status")));
        let (s, b, _) = app
            .put_if(
                &path,
                &t.county_admin.token,
                json!({"people_served": 5}),
                None,
            )
            .await;
        assert_eq!((s, b["code"].as_str()), (409, Some("report_status")));
        for who in [&t.county_admin, &t.province_admin] {
            let (s, _) = app
                .post(&format!("{path}/accept"), Some(&who.token), json!({}))
                .await;
            assert_eq!(s, 403);
        }
        let (s, _) = app
            .post(
                &format!("{path}/return"),
                Some(&t.city_admin.token),
                json!({"reason": " "}),
            )
            .await;
        assert_eq!(s, 422);
        let (s, b) = app
            .post(
                &format!("{path}/return"),
                Some(&t.city_admin.token),
                json!({"reason": "请补充活动照片"}),
            )
            .await;
        assert_eq!((s, b["status"].as_str()), (200, Some("returned")));
        assert_eq!(b["return_reason"], "请补充活动照片");
        let form = reqwest::multipart::Form::new().part(
            "file",
            reqwest::multipart::Part::bytes(b"\xFF\xD8\xFFphoto".to_vec()).file_name("现场.jpg"),
        );
        let r = app
            .client
            .post(app.url(&format!("{path}/photos")))
            .bearer_auth(&t.county_admin.token)
            .multipart(form)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 201);
        app.clock.set(july(6, 1));
        let (s, b) = app
            .post(
                &format!("{path}/submit"),
                Some(&t.county_admin.token),
                json!({}),
            )
            .await;
        assert_eq!((s, b["late"].as_bool()), (200, Some(true)), "{b}");
        assert_eq!(b["photos"].as_array().unwrap().len(), 1);
        let (s, b) = app
            .post(
                &format!("{path}/accept"),
                Some(&t.city_admin.token),
                json!({}),
            )
            .await;
        assert_eq!((s, b["status"].as_str()), (200, Some("accepted")));

        // Lists along the tree.
        let (_, l) = app
            .get(
                &format!("/api/v1/monthly-reports?organization_id={}", t.county),
                Some(&t.city_admin.token),
            )
            .await;
        assert_eq!(l["items"].as_array().unwrap().len(), 1);
        let (_, l) = app
            .get(
                &format!(
                    "/api/v1/monthly-reports?organization_id={}&include_descendants=true&status=accepted",
                    t.province
                ),
                Some(&t.province_admin.token),
            )
            .await;
        assert_eq!(l["items"][0]["id"], id.as_str());
        let (s, _) = app
            .get(
                &format!("/api/v1/monthly-reports?organization_id={}", t.county),
                Some(&t.outsider.token),
            )
            .await;
        assert_eq!(s, 403);

        // The year in figures.
        let (s, y) = app
            .get(
                &format!(
                    "/api/v1/organizations/{}/annual-summary?year=2026",
                    t.county
                ),
                Some(&t.province_admin.token),
            )
            .await;
        assert_eq!(s, 200, "{y}");
        assert_eq!(y["months"][5]["figures"]["service_hours"], 7.0);
        assert_eq!(y["months"][5]["report_status"], "accepted");
        assert_eq!(y["months"][4]["report_status"], "missing");
        assert_eq!(y["totals"]["volunteer_attendances"], 3);
        assert_eq!(y["people_served"], 120);
        assert_eq!(y["registered_volunteers_at_year_end"], 2);
        assert_eq!(
            (y["reports_filed"].as_i64(), y["reports_late"].as_i64()),
            (Some(1), Some(1))
        );
    }
);

dual_test!(
    a_report_is_prepared_by_its_own_admins_for_a_month_begun,
    long_sessions,
    |app: TestApp| async move {
        let t = tree(&app).await;
        app.clock.set(june(20, 2));
        let prepare = format!("/api/v1/organizations/{}/monthly-reports", t.county);
        // Only the organisation's own admins write it; parents get 403, others 404.
        let (s, _) = app
            .post(
                &prepare,
                Some(&t.city_admin.token),
                json!({"month": "2026-06"}),
            )
            .await;
        assert_eq!(s, 403);
        let (s, _) = app
            .post(
                &prepare,
                Some(&t.outsider.token),
                json!({"month": "2026-06"}),
            )
            .await;
        assert_eq!(s, 404);
        let (s, b) = app
            .post(
                &prepare,
                Some(&t.county_admin.token),
                json!({"month": "2026-07"}),
            )
            .await;
        assert_eq!(
            (s, fields(&b)),
            (422, vec![("month".into(), "month_in_future".into())])
        );
        let (s, b) = app
            .post(
                &prepare,
                Some(&t.county_admin.token),
                json!({"month": "2026-6"}),
            )
            .await;
        assert_eq!(
            (s, fields(&b)),
            (422, vec![("month".into(), "invalid_month".into())])
        );
    }
);

dual_test!(
    a_societys_report_counts_its_activity_in_the_paired_county,
    long_sessions,
    |app: TestApp| async move {
        let t = tree(&app).await;
        county_june(&app, &t).await;
        app.clock.set(june(20, 2));
        // The society's report counts its activity in the paired county too.
        let (_, soc) = app
            .post(
                &format!("/api/v1/organizations/{}/monthly-reports", t.society),
                Some(&t.society_admin.token),
                json!({"month": "2026-06"}),
            )
            .await;
        assert_eq!(soc["figures"]["activities_held"], 1);
        assert_eq!(soc["figures"]["pairing_activities"], 1);
    }
);

/// Direct counts of what an organisation set recorded in June.
async fn direct(app: &TestApp, orgs: &[&str]) -> (u64, u64, f64) {
    let ids: Vec<Uuid> = orgs.iter().map(|o| o.parse().unwrap()).collect();
    let db = app.store.connection();
    let activities = activity::Entity::find()
        .filter(activity::Column::OrganizationId.is_in(ids.clone()))
        .filter(activity::Column::Status.eq("published"))
        .count(db)
        .await
        .unwrap();
    let records = service_record::Entity::find()
        .filter(service_record::Column::OrganizationId.is_in(ids))
        .all(db)
        .await
        .unwrap();
    let hours = records.iter().map(|r| r.hours_tenths as f64).sum::<f64>() / 10.0;
    (activities, records.len() as u64, hours)
}

fn figures(row: &Value) -> (u64, u64, f64) {
    (
        row["figures"]["activities_held"].as_u64().unwrap(),
        row["figures"]["volunteer_attendances"].as_u64().unwrap(),
        row["figures"]["service_hours"].as_f64().unwrap(),
    )
}

fn row<'a>(v: &'a Value, key: &str) -> &'a Value {
    v["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["key"] == key)
        .unwrap_or_else(|| panic!("no row {key} in {v}"))
}

dual_test!(
    rollup_over_the_tree_matches_direct_counts,
    long_sessions,
    |app: TestApp| async move {
        let t = tree(&app).await;
        county_june(&app, &t).await;
        // A second county under the city, and the city's own activity.
        app.clock.set(june(1, 3));
        let qx_admin = app.user("admin@qxkx.cn").await;
        let qx = app
            .organization(
                &qx_admin,
                "桥西区科学技术协会",
                "county_association",
                "county",
                Some(&t.city),
                "130104",
            )
            .await;
        let (s, _) = app
            .post(
                &format!("/api/v1/organizations/{qx}/approve"),
                Some(&t.city_admin.token),
                json!({}),
            )
            .await;
        assert_eq!(s, 200);
        let (v3, id3) = volunteer(&app, 3, "王五").await;
        member(&app, &qx_admin, &qx, &v3).await;
        member(&app, &t.city_admin, &t.city, &v3).await;
        served(&app, &qx_admin, &qx, "130104", 18, &[(&v3, &id3, 4.0)]).await;
        served(
            &app,
            &t.city_admin,
            &t.city,
            "130100",
            19,
            &[(&v3, &id3, 2.5)],
        )
        .await;

        // The county files June; the others do not.
        app.clock.set(june(25, 2));
        let (_, r) = app
            .post(
                &format!("/api/v1/organizations/{}/monthly-reports", t.county),
                Some(&t.county_admin.token),
                json!({"month": "2026-06"}),
            )
            .await;
        let rid = r["id"].as_str().unwrap();
        app.put_if(
            &format!("/api/v1/monthly-reports/{rid}"),
            &t.county_admin.token,
            json!({"people_served": 80}),
            None,
        )
        .await;
        let (s, _) = app
            .post(
                &format!("/api/v1/monthly-reports/{rid}/submit"),
                Some(&t.county_admin.token),
                json!({}),
            )
            .await;
        assert_eq!(s, 200);
        app.clock.set(july(10, 2));
        // Another branch of the tree (a sibling county) sees neither the report nor the roll-up.
        let (s, _) = app
            .get(
                &format!("/api/v1/monthly-reports/{rid}"),
                Some(&qx_admin.token),
            )
            .await;
        assert_eq!(s, 404);
        let (s, _) = app
            .get(
                &format!(
                    "/api/v1/report-rollup?organization_id={}&month_from=2026-06",
                    t.county
                ),
                Some(&qx_admin.token),
            )
            .await;
        assert_eq!(s, 403);

        // The province's subtree: itself, and the city with everything under it.
        let (s, p) = app
            .get(
                &format!(
                    "/api/v1/report-rollup?organization_id={}&month_from=2026-06",
                    t.province
                ),
                Some(&t.province_admin.token),
            )
            .await;
        assert_eq!(s, 200, "{p}");
        assert_eq!(
            figures(&p["totals"]),
            direct(&app, &[&t.province, &t.city, &t.county, &qx]).await
        );
        assert_eq!(
            figures(row(&p, &t.city)),
            direct(&app, &[&t.city, &t.county, &qx]).await
        );
        assert_eq!(figures(row(&p, &t.province)), (0, 0, 0.0));
        assert_eq!(row(&p, &t.province)["kind"], "self");
        assert_eq!(p["totals"]["organizations"], 4);
        assert_eq!(p["totals"]["people_served"], 80);
        assert_eq!(p["totals"]["reports_due"], 4);
        assert_eq!(p["totals"]["reports_filed"], 1);
        assert_eq!(p["totals"]["reports_missing"], 3);
        assert_eq!(
            p["totals"]["organizations_short_of_activities"], 1,
            "the province held none"
        );
        assert_eq!(p["totals"]["compliant"], false);
        assert_eq!(p["not_reported_total"], 3);
        let missing: Vec<&str> = p["not_reported"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["name"].as_str().unwrap())
            .collect();
        assert!(
            missing.contains(&"桥西区科学技术协会") && !missing.contains(&"长安区科学技术协会")
        );
        assert_eq!(p["not_reported"][0]["missing_months"], json!(["2026-06"]));

        // The city's subtree: a row per county, each against its own direct count.
        let (_, c) = app
            .get(
                &format!(
                    "/api/v1/report-rollup?organization_id={}&month_from=2026-06&month_to=2026-06",
                    t.city
                ),
                Some(&t.city_admin.token),
            )
            .await;
        assert_eq!(
            figures(row(&c, &t.county)),
            direct(&app, &[&t.county]).await
        );
        assert_eq!(figures(row(&c, &qx)), direct(&app, &[&qx]).await);
        assert_eq!(figures(row(&c, &t.city)), direct(&app, &[&t.city]).await);
        assert_eq!(row(&c, &t.county)["compliant"], true);
        assert_eq!(row(&c, &qx)["reports_missing"], 1);

        // The region tree: the province by city, the city by county, the nation by province.
        let (s, r) = app
            .get(
                "/api/v1/report-rollup?region_code=130000&month_from=2026-06",
                Some(&t.province_admin.token),
            )
            .await;
        assert_eq!(s, 200, "{r}");
        assert_eq!(row(&r, "130100")["name"], "石家庄市");
        assert_eq!(
            figures(row(&r, "130100")),
            direct(&app, &[&t.city, &t.county, &qx]).await
        );
        assert_eq!(
            figures(row(&r, "130000")),
            direct(&app, &[&t.province, &t.society]).await
        );
        let (_, r) = app
            .get(
                "/api/v1/report-rollup?region_code=130100&month_from=2026-06",
                Some(&t.city_admin.token),
            )
            .await;
        assert_eq!(figures(row(&r, "130104")), direct(&app, &[&qx]).await);
        let (_, n) = app
            .get(
                "/api/v1/report-rollup?month_from=2026-06",
                Some(&t.platform.token),
            )
            .await;
        assert_eq!(n["scope"], "nation");
        assert_eq!(
            figures(&n["totals"]),
            direct(
                &app,
                &[
                    &t.province,
                    &t.society,
                    &t.city,
                    &t.county,
                    &qx,
                    &t.outsider_org
                ]
            )
            .await
        );
        assert_eq!(row(&n, "110000")["organizations"], 1);

        // Who may look.
        for (who, q) in [
            (&t.outsider, format!("organization_id={}", t.province)),
            (&t.county_admin, "region_code=130000".to_string()),
            (&t.province_admin, String::new()),
            (&t.city_admin, "region_code=110000".to_string()),
        ] {
            let (s, _) = app
                .get(
                    &format!("/api/v1/report-rollup?{q}&month_from=2026-06"),
                    Some(&who.token),
                )
                .await;
            assert_eq!(s, 403, "{q}");
        }
        let (s, b) = app
            .get(
                "/api/v1/report-rollup?month_from=2026-08&month_to=2026-06",
                Some(&t.platform.token),
            )
            .await;
        assert_eq!(
            (s, fields(&b)),
            (422, vec![("month_to".into(), "range_backwards".into())])
        );

        // The export ends with the totals.
        let r = app
            .call(
                Method::GET,
                &format!(
                    "/api/v1/report-rollup/export?organization_id={}&month_from=2026-06",
                    t.province
                ),
                Some(&t.province_admin.token),
                None,
            )
            .await;
        assert_eq!(r.status().as_u16(), 200);
        let mut wb = Xlsx::new(Cursor::new(r.bytes().await.unwrap().to_vec())).unwrap();
        let range = wb.worksheet_range("汇总").unwrap();
        let rows: Vec<Vec<String>> = range
            .rows()
            .map(|r| r.iter().map(|c| c.to_string()).collect())
            .collect();
        assert_eq!(rows[0][4], "服务时长（小时）");
        assert_eq!(rows[0][8], "需求服务数");
        assert_eq!(rows[0][9], "展览参观人次");
        let last = rows.last().unwrap();
        assert_eq!(last[0], "合计");
        let (acts, att, hours) = figures(&p["totals"]);
        assert_eq!(last[2], acts.to_string());
        assert_eq!(last[3], att.to_string());
        assert_eq!(last[4], hours.to_string());
        assert_eq!(last[13], "3");
        assert_eq!(rows.len(), 1 + p["rows"].as_array().unwrap().len() + 1);

        // A county's region is listed organisation by organisation.
        let (s, k) = app
            .get(
                "/api/v1/report-rollup?region_code=130104&month_from=2026-06",
                Some(&t.platform.token),
            )
            .await;
        assert_eq!(s, 200, "{k}");
        assert_eq!(row(&k, &qx)["kind"], "organization");
        assert_eq!(figures(row(&k, &qx)), direct(&app, &[&qx]).await);

        // Where a region prefix is quarterly, one activity in the quarter is enough; the
        // longest prefix wins, elsewhere it stays one a month.
        let quarter = format!(
            "/api/v1/report-rollup?organization_id={}&month_from=2026-04&month_to=2026-06",
            t.province
        );
        let (s, monthly) = app.get(&quarter, Some(&t.province_admin.token)).await;
        assert_eq!(s, 200, "{monthly}");
        let app = app
            .restart(|s| {
                s.activity_rules = vec![
                    ("13".into(), zhihui_domain::ActivityRule::Monthly),
                    ("1301".into(), zhihui_domain::ActivityRule::Quarterly),
                ]
            })
            .await;
        let (s, quarterly) = app.get(&quarter, Some(&t.province_admin.token)).await;
        assert_eq!(s, 200, "{quarterly}");
        let (mut short_monthly, mut short_quarterly) = (0, 0);
        for (org, quarterly_rule) in [
            (&t.province, false),
            (&t.city, true),
            (&t.county, true),
            (&qx, true),
        ] {
            let held = direct(&app, &[org]).await.0;
            short_monthly += u64::from(held < 3);
            short_quarterly += u64::from(held < if quarterly_rule { 1 } else { 3 });
        }
        assert!(
            short_quarterly < short_monthly,
            "the data must tell the rules apart"
        );
        assert_eq!(
            monthly["totals"]["organizations_short_of_activities"],
            short_monthly
        );
        assert_eq!(
            quarterly["totals"]["organizations_short_of_activities"],
            short_quarterly
        );
    }
);

/// The roll-up's figures for one organisation's own row: (activities, attendances, hours,
/// new volunteers).
async fn own_figures(app: &TestApp, admin: &User, org: &str, month: &str) -> (u64, u64, f64, u64) {
    let (s, v) = app
        .get(
            &format!("/api/v1/report-rollup?organization_id={org}&month_from={month}"),
            Some(&admin.token),
        )
        .await;
    assert_eq!(s, 200, "{v}");
    let f = &v["totals"]["figures"];
    (
        f["activities_held"].as_u64().unwrap(),
        f["volunteer_attendances"].as_u64().unwrap(),
        f["service_hours"].as_f64().unwrap(),
        f["new_volunteers"].as_u64().unwrap(),
    )
}

dual_test!(
    the_kept_monthly_figures_follow_every_change,
    long_sessions,
    |app: TestApp| async move {
        let t = tree(&app).await;
        let drift = || async { app.store.month_figures_drift().await.unwrap() };
        app.clock.set(june(1, 2));
        let ((v1, id1), (v2, id2)) = two_members(&app, &t).await;
        let a = served(
            &app,
            &t.county_admin,
            &t.county,
            "130102",
            10,
            &[(&v1, &id1, 3.5), (&v2, &id2, 2.0)],
        )
        .await;
        let b = served(&app, &t.county_admin, &t.county, "130102", 12, &[]).await;
        assert_eq!(drift().await, 0);
        assert_eq!(
            own_figures(&app, &t.county_admin, &t.county, "2026-06").await,
            (2, 2, 5.5, 2)
        );

        // A correction changes the month's hours by the difference.
        let (s, r) = app
            .post(
                &format!("/api/v1/activities/{a}/service-hours"),
                Some(&t.county_admin.token),
                json!({"entries": [{"volunteer_id": id1, "hours": 1.5, "reason": "核对签到表后更正"}]}),
            )
            .await;
        assert_eq!(s, 200, "{r}");
        assert_eq!(drift().await, 0);
        assert_eq!(
            own_figures(&app, &t.county_admin, &t.county, "2026-06").await,
            (2, 2, 3.5, 2)
        );

        // A published activity moved into July counts there, and no longer in June.
        app.clock.set(june(11, 0));
        let (s, r) = split(
            app.call(
                Method::PUT,
                &format!("/api/v1/activities/{b}"),
                Some(&t.county_admin.token),
                Some(json!({"starts_at": july(14, 1), "ends_at": july(14, 5)})),
            )
            .await,
        )
        .await;
        assert_eq!(s, 200, "{r}");
        assert_eq!(drift().await, 0);
        assert_eq!(
            own_figures(&app, &t.county_admin, &t.county, "2026-06")
                .await
                .0,
            1
        );
        assert_eq!(
            own_figures(&app, &t.county_admin, &t.county, "2026-07")
                .await
                .0,
            1
        );
        // A range adds the months up.
        assert_eq!(
            own_figures(&app, &t.county_admin, &t.county, "2026-06&month_to=2026-07").await,
            (2, 2, 3.5, 2)
        );

        // Cancelled, it counts nowhere.
        let (s, r) = app
            .post(
                &format!("/api/v1/activities/{b}/cancel"),
                Some(&t.county_admin.token),
                json!({"reason": "暴雨预警"}),
            )
            .await;
        assert_eq!(s, 200, "{r}");
        assert_eq!(drift().await, 0);
        assert_eq!(
            own_figures(&app, &t.county_admin, &t.county, "2026-07")
                .await
                .0,
            0
        );

        // A member who leaves no longer counts among June's new volunteers.
        let (s, r) = app
            .post(
                &format!("/api/v1/organizations/{}/leave", t.county),
                Some(&v2.token),
                json!({}),
            )
            .await;
        assert_eq!(s, 200, "{r}");
        assert_eq!(drift().await, 0);
        assert_eq!(
            own_figures(&app, &t.county_admin, &t.county, "2026-06").await,
            (1, 2, 3.5, 1)
        );

        // The check notices figures that no longer match the records, and a rebuild
        // restores them.
        app.store
            .connection()
            .execute_unprepared(
                "UPDATE organization_month_figures SET hours_tenths = hours_tenths + 70 \
                 WHERE month = '2026-06'",
            )
            .await
            .unwrap();
        assert!(drift().await > 0);
        // (Changed under the service: its roll-ups show it at the latest two periods after
        // the kept ones were computed.)
        app.clock.advance(chrono::Duration::seconds(11));
        assert_eq!(
            own_figures(&app, &t.county_admin, &t.county, "2026-06")
                .await
                .2,
            10.5
        );
        app.store.rebuild_month_figures().await.unwrap();
        assert_eq!(drift().await, 0);
        app.clock.advance(chrono::Duration::seconds(11));
        assert_eq!(
            own_figures(&app, &t.county_admin, &t.county, "2026-06").await,
            (1, 2, 3.5, 1)
        );
    }
);

/// A volunteer's summary as they read it: total hours, activities, the year, and the
/// year's hours and activities.
async fn summary_of(app: &TestApp, v: &User, id: &str) -> (f64, i64, i64, f64, i64) {
    let (s, b) = app
        .get(&format!("/api/v1/volunteers/{id}/summary"), Some(&v.token))
        .await;
    assert_eq!(s, 200, "{b}");
    (
        b["total_hours"].as_f64().unwrap(),
        b["activities"].as_i64().unwrap(),
        b["year"].as_i64().unwrap(),
        b["hours_this_year"].as_f64().unwrap(),
        b["activities_this_year"].as_i64().unwrap(),
    )
}

/// Sessions that outlast the turn of the year the test moves its clock across.
fn year_long_sessions(s: &mut zhihui_http::ApiSettings) {
    s.access_token_ttl_secs = 400 * 24 * 3600;
}

dual_test!(
    the_kept_volunteer_totals_follow_every_change,
    year_long_sessions,
    |app: TestApp| async move {
        let t = tree(&app).await;
        let drift = || async { app.store.volunteer_totals_drift().await.unwrap() };
        app.clock.set(june(1, 2));
        let ((v1, id1), (v2, id2)) = two_members(&app, &t).await;
        assert_eq!(summary_of(&app, &v1, &id1).await, (0.0, 0, 2026, 0.0, 0));

        // Each confirmation adds its hours and, once per activity, the activity.
        let a = served(
            &app,
            &t.county_admin,
            &t.county,
            "130102",
            10,
            &[(&v1, &id1, 3.5), (&v2, &id2, 2.0)],
        )
        .await;
        served(
            &app,
            &t.county_admin,
            &t.county,
            "130102",
            12,
            &[(&v1, &id1, 1.0)],
        )
        .await;
        assert_eq!(drift().await, 0);
        assert_eq!(summary_of(&app, &v1, &id1).await, (4.5, 2, 2026, 4.5, 2));
        assert_eq!(summary_of(&app, &v2, &id2).await, (2.0, 1, 2026, 2.0, 1));

        // A correction moves the hours by the difference and leaves the activities; one to
        // no hours at all still leaves the activity counted, as its record remains.
        let hours = format!("/api/v1/activities/{a}/service-hours");
        let correct = |vid: &str, h: f64| json!({"entries": [{"volunteer_id": vid, "hours": h, "reason": "核对签到表后更正"}]});
        let (s, r) = app
            .post(&hours, Some(&t.county_admin.token), correct(&id1, 1.5))
            .await;
        assert_eq!(s, 200, "{r}");
        let (s, r) = app
            .post(&hours, Some(&t.county_admin.token), correct(&id2, 0.0))
            .await;
        assert_eq!(s, 200, "{r}");
        assert_eq!(drift().await, 0);
        assert_eq!(summary_of(&app, &v1, &id1).await, (2.5, 2, 2026, 2.5, 2));
        assert_eq!(summary_of(&app, &v2, &id2).await, (0.0, 1, 2026, 0.0, 1));

        // Confirming the same hours again changes nothing.
        let (s, r) = app
            .post(
                &hours,
                Some(&t.county_admin.token),
                json!({"entries": [{"volunteer_id": id1, "hours": 1.5}]}),
            )
            .await;
        assert_eq!(
            (s, r["results"][0]["outcome"].as_str()),
            (200, Some("unchanged")),
            "{r}"
        );
        assert_eq!(summary_of(&app, &v1, &id1).await, (2.5, 2, 2026, 2.5, 2));

        // Moved to a later day after its hours were confirmed, the activity can be left and
        // joined again, and the new sign-up's hours make a second record of the same
        // activity: the hours add up and the activity still counts once.
        let (s, r) = split(
            app.call(
                Method::PUT,
                &format!("/api/v1/activities/{a}"),
                Some(&t.county_admin.token),
                Some(json!({
                    "starts_at": june(20, 1),
                    "ends_at": june(20, 5),
                    "sign_up_closes_at": june(20, 0),
                })),
            )
            .await,
        )
        .await;
        assert_eq!(s, 200, "{r}");
        let mine = format!("/api/v1/activities/{a}/sign-ups/mine");
        let (s, r) = split(app.call(Method::DELETE, &mine, Some(&v2.token), None).await).await;
        assert_eq!(s, 200, "{r}");
        let (s, r) = app
            .post(
                &format!("/api/v1/activities/{a}/sign-ups"),
                Some(&v2.token),
                json!({}),
            )
            .await;
        assert_eq!(s, 201, "{r}");
        app.clock.set(june(20, 6));
        let (s, r) = app
            .post(
                &hours,
                Some(&t.county_admin.token),
                json!({"entries": [{"volunteer_id": id2, "hours": 3.0}]}),
            )
            .await;
        assert_eq!(
            (s, r["results"][0]["outcome"].as_str()),
            (200, Some("created")),
            "{r}"
        );
        assert_eq!(drift().await, 0);
        assert_eq!(summary_of(&app, &v2, &id2).await, (3.0, 1, 2026, 3.0, 1));

        // In the next year the totals stay and the year's start again; a service in the new
        // year counts in both.
        let new_year = Utc.with_ymd_and_hms(2027, 1, 5, 1, 0, 0).unwrap();
        app.clock.set(new_year);
        assert_eq!(summary_of(&app, &v1, &id1).await, (2.5, 2, 2027, 0.0, 0));
        served_from(
            &app,
            &t.county_admin,
            &t.county,
            "130102",
            new_year + chrono::Duration::days(3),
            &[(&v1, &id1, 2.0)],
        )
        .await;
        assert_eq!(drift().await, 0);
        assert_eq!(summary_of(&app, &v1, &id1).await, (4.5, 3, 2027, 2.0, 1));

        // The check notices totals that no longer match the records, and a rebuild
        // restores them.
        app.store
            .connection()
            .execute_unprepared("UPDATE volunteer_totals SET hours_tenths = hours_tenths + 70")
            .await
            .unwrap();
        assert!(drift().await > 0);
        assert_eq!(summary_of(&app, &v1, &id1).await, (11.5, 3, 2027, 9.0, 1));
        app.store.rebuild_volunteer_totals().await.unwrap();
        assert_eq!(drift().await, 0);
        assert_eq!(summary_of(&app, &v1, &id1).await, (4.5, 3, 2027, 2.0, 1));
        assert_eq!(summary_of(&app, &v2, &id2).await, (3.0, 1, 2027, 0.0, 0));
    }
);

/// The whole roll-up of one organisation for a month, as `user` reads it.
async fn rollup_of(app: &TestApp, user: &User, org: &str, month: &str) -> (u16, Value) {
    app.get(
        &format!("/api/v1/report-rollup?organization_id={org}&month_from={month}"),
        Some(&user.token),
    )
    .await
}

/// Runs a statement under the service, as another replica or the command line would;
/// `$n` placeholders become `?n` on SQLite.
async fn under_the_service(app: &TestApp, sql: &str, values: Vec<sea_orm::Value>) {
    let db = app.store.connection();
    let backend = db.get_database_backend();
    let sql = match backend {
        sea_orm::DbBackend::Postgres => sql.to_string(),
        _ => sql.replace('$', "?"),
    };
    db.execute(sea_orm::Statement::from_sql_and_values(
        backend, sql, values,
    ))
    .await
    .unwrap();
}

/// The item of a page of activities with this id.
fn item<'a>(page: &'a Value, id: &str) -> &'a Value {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["id"] == id)
        .unwrap_or_else(|| panic!("{id} not on the page: {page}"))
}

fn hours_of(v: &Value) -> f64 {
    v["totals"]["figures"]["service_hours"].as_f64().unwrap()
}

dual_test!(
    answers_are_kept_for_seconds_and_forgotten_on_writes,
    long_sessions,
    |app: TestApp| async move {
        let t = tree(&app).await;
        let (v1, id1) = volunteer(&app, 1, "张三").await;
        member(&app, &t.county_admin, &t.county, &v1).await;
        let a = served(
            &app,
            &t.county_admin,
            &t.county,
            "130102",
            10,
            &[(&v1, &id1, 3.5)],
        )
        .await;

        // A roll-up read again within the period, with nothing written, is the kept one.
        let (s, first) = rollup_of(&app, &t.county_admin, &t.county, "2026-06").await;
        assert_eq!(s, 200, "{first}");
        assert_eq!(hours_of(&first), 3.5);
        app.clock.advance(chrono::Duration::seconds(2));
        let (_, again) = rollup_of(&app, &t.county_admin, &t.county, "2026-06").await;
        assert_eq!(again["computed_at"], first["computed_at"]);

        // A change this process did not make (another replica's, the command line's) shows
        // once the period has passed.
        app.store
            .connection()
            .execute_unprepared(
                "UPDATE organization_month_figures SET hours_tenths = hours_tenths + 70 \
                 WHERE month = '2026-06'",
            )
            .await
            .unwrap();
        let (_, kept) = rollup_of(&app, &t.county_admin, &t.county, "2026-06").await;
        assert_eq!(hours_of(&kept), 3.5, "still the kept answer");
        // (Within the next period the expired answer still stands in while it is computed
        // again in the background; two periods on, it is computed for the request.)
        app.clock.advance(chrono::Duration::seconds(9));
        let (_, later) = rollup_of(&app, &t.county_admin, &t.county, "2026-06").await;
        assert_eq!(hours_of(&later), 10.5);
        assert_ne!(later["computed_at"], first["computed_at"]);

        // A write this process answers that may change a roll-up (a new activity) forgets
        // it at once.
        app.store.rebuild_month_figures().await.unwrap();
        let (_, kept) = rollup_of(&app, &t.county_admin, &t.county, "2026-06").await;
        assert_eq!(hours_of(&kept), 10.5);
        let (s, b) = app
            .post(
                "/api/v1/activities",
                Some(&t.county_admin.token),
                activity_body(&t.county, 20, 10),
            )
            .await;
        assert_eq!(s, 201, "{b}");
        let (_, fresh) = rollup_of(&app, &t.county_admin, &t.county, "2026-06").await;
        assert_eq!(hours_of(&fresh), 3.5);

        // The public list: the same kept page for everyone but admins, with each caller's
        // own sign-up added.
        let list = format!("/api/v1/activities?organization_id={}", t.county);
        let title_of = |v: &Value| item(v, &a)["title"].as_str().unwrap().to_string();
        let (s, anyone) = app.get(&list, None).await;
        assert_eq!(s, 200, "{anyone}");
        let before = title_of(&anyone);
        under_the_service(
            &app,
            "UPDATE activities SET title = $1 WHERE id = $2",
            vec!["改过的标题".into(), Uuid::parse_str(&a).unwrap().into()],
        )
        .await;
        let (_, anyone) = app.get(&list, None).await;
        assert_eq!(title_of(&anyone), before, "the kept page");
        let mine = |v: &Value| item(v, &a)["my_sign_up"].clone();
        assert!(mine(&anyone).is_null());
        let (_, as_v1) = app.get(&list, Some(&v1.token)).await;
        assert_eq!(title_of(&as_v1), before, "the kept page");
        assert_eq!(mine(&as_v1)["status"], "confirmed", "{as_v1}");
        let (_, as_admin) = app.get(&list, Some(&t.county_admin.token)).await;
        assert_eq!(title_of(&as_admin), "改过的标题", "admins read afresh");
        app.clock.advance(chrono::Duration::seconds(11));
        let (_, anyone) = app.get(&list, None).await;
        assert_eq!(title_of(&anyone), "改过的标题");

        // Rights: a change made elsewhere shows within the period; one made through the
        // store takes effect at once.
        let (s, _) = rollup_of(&app, &t.outsider, &t.county, "2026-06").await;
        assert_eq!(s, 403);
        under_the_service(
            &app,
            "UPDATE accounts SET is_platform_admin = $1 WHERE id = $2",
            vec![true.into(), t.outsider.id.into()],
        )
        .await;
        let (s, _) = rollup_of(&app, &t.outsider, &t.county, "2026-06").await;
        assert_eq!(s, 403, "the kept rights");
        app.clock.advance(chrono::Duration::seconds(11));
        let (s, b) = rollup_of(&app, &t.outsider, &t.county, "2026-06").await;
        assert_eq!(s, 200, "{b}");
        app.store
            .set_platform_admin(t.outsider.id, false)
            .await
            .unwrap();
        let (s, _) = rollup_of(&app, &t.outsider, &t.county, "2026-06").await;
        assert_eq!(s, 403, "taken away at once");
        // Registering an organisation makes its registrant its admin at once, though their
        // rights were kept a moment before (a pending organisation shows only to its admins).
        let (s, _) = app.get("/api/v1/me", Some(&v1.token)).await;
        assert_eq!(s, 200);
        let pending = app
            .organization(
                &v1,
                "桥西区科学技术协会",
                "county_association",
                "county",
                Some(&t.city),
                "130104",
            )
            .await;
        let (s, b) = app
            .get(&format!("/api/v1/organizations/{pending}"), Some(&v1.token))
            .await;
        assert_eq!(s, 200, "{b}");
        let (s, _) = app
            .get(
                &format!("/api/v1/organizations/{pending}"),
                Some(&t.outsider.token),
            )
            .await;
        assert_eq!(s, 404, "still hidden from others");

        // What a write reaches: a sign-up changes the activity pages at once, not the
        // roll-ups (they count confirmed hours); signing in changes neither.
        let d = published(&app, &t.county_admin, activity_body(&t.county, 25, 10)).await;
        app.clock.set(at(24, 0, 0));
        let (_, before) = rollup_of(&app, &t.county_admin, &t.county, "2026-06").await;
        let taken = |v: &Value| item(v, &d)["places_taken"].as_i64().unwrap();
        let (_, page) = app.get(&list, None).await;
        assert_eq!(taken(&page), 0);
        app.clock.advance(chrono::Duration::seconds(1));
        let (s, b) = app
            .post(
                &format!("/api/v1/activities/{d}/sign-ups"),
                Some(&v1.token),
                json!({}),
            )
            .await;
        assert_eq!(s, 201, "{b}");
        let _ = app.login("v1@zh.cn").await;
        let (_, after) = rollup_of(&app, &t.county_admin, &t.county, "2026-06").await;
        assert_eq!(after["computed_at"], before["computed_at"], "still kept");
        let (_, page) = app.get(&list, None).await;
        assert_eq!(taken(&page), 1, "the place taken shows at once");
        // A refused write reaches nothing either; a new activity reaches the roll-ups.
        let (s, _) = app
            .post(
                &format!("/api/v1/activities/{d}/sign-ups"),
                Some(&v1.token),
                json!({}),
            )
            .await;
        assert_eq!(s, 409);
        let (_, again) = rollup_of(&app, &t.county_admin, &t.county, "2026-06").await;
        assert_eq!(again["computed_at"], before["computed_at"]);
        let (s, b) = app
            .post(
                "/api/v1/activities",
                Some(&t.county_admin.token),
                activity_body(&t.county, 27, 10),
            )
            .await;
        assert_eq!(s, 201, "{b}");
        let (_, later) = rollup_of(&app, &t.county_admin, &t.county, "2026-06").await;
        assert_ne!(later["computed_at"], before["computed_at"]);
    }
);

dual_test!(
    nothing_is_kept_with_a_zero_period,
    |s: &mut zhihui_http::ApiSettings| {
        long_sessions(s);
        s.read_cache_secs = 0;
    },
    |app: TestApp| async move {
        let t = tree(&app).await;
        app.clock.set(june(20, 2));
        let (s, first) = rollup_of(&app, &t.county_admin, &t.county, "2026-06").await;
        assert_eq!(s, 200, "{first}");
        app.clock.advance(chrono::Duration::seconds(1));
        let (_, again) = rollup_of(&app, &t.county_admin, &t.county, "2026-06").await;
        assert_ne!(again["computed_at"], first["computed_at"]);
    }
);

dual_test!(
    the_rollup_by_month_charts_the_whole_subtree,
    long_sessions,
    |app: TestApp| async move {
        let t = tree(&app).await;
        county_june(&app, &t).await;
        app.clock.set(july(10, 2));
        let by_month = |who: &User, q: String| {
            let (app, token) = (&app, who.token.clone());
            async move {
                app.get(&format!("/api/v1/report-rollup/by-month?{q}"), Some(&token))
                    .await
            }
        };
        let (s, v) = by_month(
            &t.province_admin,
            format!(
                "organization_id={}&month_from=2026-05&month_to=2026-07",
                t.province
            ),
        )
        .await;
        assert_eq!(s, 200, "{v}");
        assert_eq!(v["scope"], "organization");
        let months: Vec<&str> = v["months"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["month"].as_str().unwrap())
            .collect();
        assert_eq!(months, ["2026-05", "2026-06", "2026-07"]);
        // Each month is the roll-up of that month: the whole subtree, not the province's
        // own figures (which are nothing: it held no activity).
        for (i, month) in months.iter().enumerate() {
            let (_, r) = rollup_of(&app, &t.province_admin, &t.province, month).await;
            assert_eq!(figures(&v["months"][i]), figures(&r["totals"]), "{month}");
        }
        let june = figures(&v["months"][1]);
        assert!(june.0 > 0 && june.2 > 0.0, "{v}");
        assert_eq!(figures(&v["months"][0]), (0, 0, 0.0));
        let (_, own) = app
            .get(
                &format!(
                    "/api/v1/organizations/{}/annual-summary?year=2026",
                    t.province
                ),
                Some(&t.province_admin.token),
            )
            .await;
        assert_eq!(figures(&own["months"][5]), (0, 0, 0.0));
        // A region and the nation are charted too, for those who may see their roll-up.
        let (s, r) = by_month(
            &t.province_admin,
            "region_code=130000&month_from=2026-06".into(),
        )
        .await;
        assert_eq!((s, r["name"].as_str()), (200, Some("河北省")), "{r}");
        // The region also holds the provincial society, outside the association's tree.
        let (_, whole) = app
            .get(
                "/api/v1/report-rollup?region_code=130000&month_from=2026-06",
                Some(&t.province_admin.token),
            )
            .await;
        assert_eq!(figures(&r["months"][0]), figures(&whole["totals"]));
        assert!(figures(&r["months"][0]).0 > june.0);
        let (s, n) = by_month(&t.platform, "month_from=2026-06".into()).await;
        assert_eq!((s, n["scope"].as_str()), (200, Some("nation")));
        assert!(figures(&n["months"][0]).2 >= june.2);
        // Who may not, and a range that runs backwards.
        for (who, q) in [
            (&t.outsider, format!("organization_id={}", t.province)),
            (&t.county_admin, format!("organization_id={}", t.city)),
            (&t.county_admin, "region_code=130000".to_string()),
            (&t.province_admin, String::new()),
        ] {
            let (s, _) = by_month(who, format!("{q}&month_from=2026-06")).await;
            assert_eq!(s, 403, "{q}");
        }
        let (s, b) = by_month(&t.platform, "month_from=2026-08&month_to=2026-06".into()).await;
        assert_eq!(
            (s, fields(&b)),
            (422, vec![("month_to".into(), "range_backwards".into())])
        );
        let (s, b) = by_month(&t.platform, "month_from=2024-01&month_to=2026-06".into()).await;
        assert_eq!(
            (s, fields(&b)),
            (422, vec![("month_to".into(), "range_too_long".into())])
        );
    }
);
