//! The data generator: a small data set loads on both databases, keeps the invariants the
//! service relies on, and its accounts sign in.

use sea_orm::{ConnectionTrait, Database, Statement};
use serde_json::json;
use zhihui_persistence::seed::{SeedScale, SEED_PASSWORD};

use crate::dual_test;
use crate::helpers::*;

async fn count(app: &TestApp, sql: &str) -> i64 {
    let db = Database::connect(&app.database_url).await.unwrap();
    let row = db
        .query_one(Statement::from_string(
            db.get_database_backend(),
            sql.to_string(),
        ))
        .await
        .unwrap()
        .unwrap();
    let n: i64 = row.try_get_by_index(0).unwrap();
    db.close().await.unwrap();
    n
}

async fn sign_in(app: &TestApp, login: &str) -> String {
    let (s, b) = app
        .post(
            "/api/v1/auth/login",
            None,
            json!({"login": login, "password": SEED_PASSWORD}),
        )
        .await;
    assert_eq!(s, 200, "{b}");
    b["access_token"].as_str().unwrap().to_string()
}

dual_test!(
    a_small_data_set_loads_consistently,
    |app: TestApp| async move {
        let scale = SeedScale::named("small").unwrap();
        let hash = zhihui_http::auth::hash_password_sync(&app.settings, SEED_PASSWORD).unwrap();
        let now = chrono::Utc::now();
        let report = app
            .store
            .seed(&scale, &hash, now, 7, &|_| {})
            .await
            .unwrap();
        assert_eq!(report.organizations, scale.organizations);
        assert_eq!(report.volunteers, scale.volunteers);
        assert_eq!(report.activities, scale.activities);
        assert!(report.records > scale.records / 2, "{report:?}");
        assert!(report.monthly_reports > 0);
        assert_eq!(report.needs, scale.needs);
        // Needs: every one published, the served ones with their month, some unmet, and
        // the figures of the nation count them all.
        assert_eq!(
            count(
                &app,
                "SELECT count(*) FROM service_needs WHERE published_month IS NULL"
            )
            .await,
            0
        );
        assert_eq!(
            count(
                &app,
                "SELECT count(*) FROM service_needs WHERE status IN ('served', 'rated') AND served_month IS NULL"
            )
            .await,
            0
        );
        let (s, r) = app.get("/api/v1/need-rollup", None).await;
        assert_eq!(s, 200, "{r}");
        let (s, last) = app
            .get(
                &format!(
                    "/api/v1/need-rollup?year={}",
                    chrono::Datelike::year(&now) - 1
                ),
                None,
            )
            .await;
        assert_eq!(s, 200, "{last}");
        let posted =
            r["totals"]["posted"].as_u64().unwrap() + last["totals"]["posted"].as_u64().unwrap();
        assert_eq!(posted, scale.needs as u64);
        let unmet =
            r["totals"]["unmet"].as_u64().unwrap() + last["totals"]["unmet"].as_u64().unwrap();
        assert!(unmet > 0 && unmet < posted / 4, "{unmet} of {posted}");
        let (s, board) = app.get("/api/v1/needs?limit=200", None).await;
        assert_eq!(s, 200);
        assert!(!board["items"].as_array().unwrap().is_empty());

        // Service points and exhibitions: as many as asked, every stay within rule 60 (one
        // place at a time, at most the point's slots at once: stays are whole months, so
        // the first days tell).
        assert_eq!(report.service_points, scale.service_points);
        assert!(report.exhibitions > 0 && report.exhibitions <= scale.exhibitions);
        assert_eq!(report.exhibition_stays, report.exhibitions * 9);
        assert_eq!(
            count(
                &app,
                "SELECT count(*) FROM exhibition_stays a JOIN exhibition_stays b \
                 ON a.exhibition_id = b.exhibition_id AND a.id <> b.id \
                 AND a.starts_on <= b.ends_on AND b.starts_on <= a.ends_on"
            )
            .await,
            0
        );
        assert_eq!(
            count(
                &app,
                "SELECT count(*) FROM (SELECT s.service_point_id, s.starts_on, count(*) AS n \
                 FROM exhibition_stays s GROUP BY s.service_point_id, s.starts_on) g \
                 JOIN service_points p ON p.id = g.service_point_id WHERE g.n > p.exhibition_slots"
            )
            .await,
            0
        );
        // Campaigns: one per city association, each county association's count of entries
        // what its entries hold, and a completion only with the minimum.
        assert!(report.campaigns > 0 && report.campaign_entries > 0);
        assert_eq!(
            count(&app, "SELECT count(*) FROM campaigns").await,
            report.campaigns as i64
        );
        assert_eq!(
            count(
                &app,
                "SELECT count(*) FROM campaign_submissions s WHERE s.entries <> \
                 (SELECT count(*) FROM campaign_entries e WHERE e.campaign_id = s.campaign_id \
                 AND e.organization_id = s.organization_id)"
            )
            .await,
            0
        );
        assert_eq!(
            count(
                &app,
                "SELECT count(*) FROM campaign_submissions WHERE completed_on IS NOT NULL AND entries < 3"
            )
            .await,
            0
        );
        let (s, points) = app
            .get(
                "/api/v1/service-points?shows_exhibitions=true&limit=5",
                None,
            )
            .await;
        assert_eq!(s, 200);
        let first = points["items"][0]["id"].as_str().unwrap().to_string();
        let (s, one) = app
            .get(&format!("/api/v1/service-points/{first}"), None)
            .await;
        assert_eq!(s, 200, "{one}");
        let (s, stays) = app.get("/api/v1/exhibition-stays?limit=200", None).await;
        assert_eq!(s, 200);
        assert_eq!(stays["items"].as_array().unwrap().len(), 200);

        // What the service relies on.
        assert_eq!(count(&app, "SELECT count(*) FROM volunteers").await, 2000);
        // The roll-ups' monthly figures, filled from the records just loaded.
        assert!(count(&app, "SELECT count(*) FROM organization_month_figures").await > 0);
        assert_eq!(app.store.month_figures_drift().await.unwrap(), 0);
        // And the volunteers' kept totals.
        assert!(count(&app, "SELECT count(*) FROM volunteer_totals").await > 0);
        assert_eq!(app.store.volunteer_totals_drift().await.unwrap(), 0);
        assert_eq!(
            count(
                &app,
                "SELECT count(DISTINCT id_number_hash) FROM volunteers"
            )
            .await,
            2000,
            "ID numbers are unique"
        );
        assert_eq!(
            count(
                &app,
                "SELECT count(*) FROM activities WHERE confirmed_count > capacity"
            )
            .await,
            0
        );
        assert_eq!(
            count(
                &app,
                "SELECT count(*) FROM activities a WHERE confirmed_count <> (SELECT count(*) \
             FROM sign_ups s WHERE s.activity_id = a.id AND s.status = 'confirmed')"
            )
            .await,
            0
        );
        assert_eq!(
            count(
                &app,
                "SELECT count(*) FROM organizations o WHERE approved_members <> (SELECT count(*) \
             FROM memberships m WHERE m.organization_id = o.id AND m.status = 'approved')"
            )
            .await,
            0
        );
        assert_eq!(
            count(
                &app,
                "SELECT count(*) FROM volunteers v WHERE active_memberships <> (SELECT count(*) \
             FROM memberships m WHERE m.volunteer_id = v.id AND m.status = 'approved')"
            )
            .await,
            0
        );
        assert_eq!(
            count(
                &app,
                "SELECT count(*) FROM service_records r JOIN sign_ups s ON s.id = r.sign_up_id \
             WHERE s.volunteer_id <> r.volunteer_id OR s.activity_id <> r.activity_id"
            )
            .await,
            0
        );
        // Every organisation sees itself and its ancestors in the closure.
        assert_eq!(
            count(
                &app,
                "SELECT count(*) FROM organization_closure WHERE depth = 0"
            )
            .await,
            scale.organizations as i64
        );

        // The accounts sign in and see their data through the API.
        let admin = sign_in(&app, "seed-admin-0@zhihui.test").await;
        let (s, me) = app.get("/api/v1/me", Some(&admin)).await;
        assert_eq!(s, 200, "{me}");
        let org = me["administered_organizations"][0]["id"]
            .as_str()
            .unwrap()
            .to_string();
        let (s, r) = app
            .get(
                &format!("/api/v1/report-rollup?organization_id={org}&month_from=2026-01"),
                Some(&admin),
            )
            .await;
        assert_eq!(s, 200, "{r}");
        assert!(r["totals"]["organizations"].as_i64().unwrap() > 10, "{r}");
        let v = sign_in(&app, "seed-v0@zhihui.test").await;
        let (s, p) = app.get("/api/v1/volunteers/me", Some(&v)).await;
        assert_eq!(s, 200, "{p}");
        assert!(p["id_number_masked"].as_str().unwrap().contains('*'), "{p}");

        // A second load is refused rather than mixed in.
        let again = app.store.seed(&scale, &hash, now, 7, &|_| {}).await;
        assert!(again.is_err());
    }
);
