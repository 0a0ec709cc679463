use sea_orm::{ConnectionTrait, Statement};
use serde_json::json;

use crate::dual_test;
use crate::fixtures::{member, volunteer, world};
use crate::helpers::*;

dual_test!(real_name_registration, |app: TestApp| async move {
    let u = app.user("v@zh.cn").await;
    // Every bad field is reported at once.
    let mut body = volunteer_body("36042619910102009X");
    body["phone"] = json!("10012345678");
    body["region_code"] = json!("110199");
    body["consent"]["accepted"] = json!(false);
    let (s, b) = app.post("/api/v1/volunteers", Some(&u.token), body).await;
    assert_eq!(s, 422);
    let f = fields(&b);
    for (field, code) in [
        ("id_number", "id_number_checksum"),
        ("phone", "phone_prefix"),
        ("region_code", "region_not_found"),
        ("consent.accepted", "consent_required"),
    ] {
        assert!(
            f.contains(&(field.into(), code.into())),
            "{field}/{code} missing in {f:?}"
        );
    }
    let (s, b) = app
        .post(
            "/api/v1/volunteers",
            Some(&u.token),
            volunteer_body("360426199113010079"),
        )
        .await;
    assert_eq!((s, fields(&b)[0].1.as_str()), (422, "id_number_birth_date"));

    let (s, b) = app
        .post(
            "/api/v1/volunteers",
            Some(&u.token),
            volunteer_body("11010519491231002X"),
        )
        .await;
    assert_eq!(s, 201, "{b}");
    assert_eq!(
        (
            b["gender"].as_str().unwrap(),
            b["birth_date"].as_str().unwrap()
        ),
        ("female", "1949-12-31")
    );
    assert_eq!(
        b["id_number"], "11010519491231002X",
        "the person sees their own number"
    );
    assert_eq!(b["id_number_masked"], "1101**********002X");
    assert!(b["volunteer_number"]
        .as_str()
        .unwrap()
        .starts_with("ZH2026"));

    // One person, one registration.
    let other = app.user("w@zh.cn").await;
    let (s, b) = app
        .post(
            "/api/v1/volunteers",
            Some(&other.token),
            volunteer_body("11010519491231002x"),
        )
        .await;
    assert_eq!(
        (s, b["code"].as_str().unwrap()),
        (409, "duplicate_id_number")
    );
    let (s, b) = app
        .post(
            "/api/v1/volunteers",
            Some(&u.token),
            volunteer_body("440524188001010014"),
        )
        .await;
    assert_eq!(
        (s, b["code"].as_str().unwrap()),
        (409, "volunteer_profile_exists")
    );

    // Stored encrypted: neither the number nor the phone appears in the table.
    let rows = app
        .store
        .connection()
        .query_all(Statement::from_string(
            app.store.connection().get_database_backend(),
            "SELECT id_number_enc, phone_enc FROM volunteers",
        ))
        .await
        .unwrap();
    assert_eq!(rows.len(), 1);
    let enc: String = rows[0].try_get("", "id_number_enc").unwrap();
    let phone: String = rows[0].try_get("", "phone_enc").unwrap();
    assert!(!enc.contains("19491231") && !phone.contains("13912345678"));
});

dual_test!(age_rules, |app: TestApp| async move {
    let u = app.user("kid@zh.cn").await;
    // The clock stands at 2026-06-01: born 2010-01-01 is 16, born 2015-01-01 is 11.
    let (s, b) = app
        .post(
            "/api/v1/volunteers",
            Some(&u.token),
            volunteer_body(&id_number("110105", "20150101", "002")),
        )
        .await;
    assert_eq!((s, fields(&b)[0].1.as_str()), (422, "too_young"));
    let teen = id_number("110105", "20100101", "002");
    let (s, b) = app
        .post("/api/v1/volunteers", Some(&u.token), volunteer_body(&teen))
        .await;
    assert_eq!((s, fields(&b)[0].1.as_str()), (422, "guardian_required"));
    let mut body = volunteer_body(&teen);
    body["guardian"] = json!({"name": "李建国", "phone": "13700001111", "consent": true});
    let (s, b) = app.post("/api/v1/volunteers", Some(&u.token), body).await;
    assert_eq!(s, 201, "{b}");
    assert_eq!(b["guardian"]["phone_masked"], "137****1111");
});

dual_test!(memberships_and_permissions, |app: TestApp| async move {
    let platform = app.platform_admin().await;
    let gd_admin = app.user("gd@kx.cn").await;
    let other_admin = app.user("sh@kx.cn").await;
    let gd = app
        .approved(
            &platform,
            &gd_admin,
            "广东省科学技术协会",
            "provincial_association",
            "province",
            "440000",
        )
        .await;
    let sh = app
        .approved(
            &platform,
            &other_admin,
            "上海市科学技术协会",
            "provincial_association",
            "province",
            "310000",
        )
        .await;

    let vu = app.user("v@zh.cn").await;
    let mut body = volunteer_body("11010519491231002X");
    body["organization_ids"] = json!([gd]);
    let (s, v) = app.post("/api/v1/volunteers", Some(&vu.token), body).await;
    assert_eq!(s, 201, "{v}");
    let vid = v["id"].as_str().unwrap();
    assert_eq!(v["memberships"][0]["status"], "pending");

    // The team's admin sees the request masked; another organisation's admin sees nothing.
    let (s, b) = app
        .get(
            &format!("/api/v1/organizations/{gd}/members?status=pending"),
            Some(&gd_admin.token),
        )
        .await;
    assert_eq!(s, 200);
    let m = &b["items"][0];
    assert_eq!(m["volunteer"]["id_number_masked"], "1101**********002X");
    assert!(m["volunteer"].get("id_number").is_none());
    assert_eq!(m["volunteer"]["phone_masked"], "139****5678");
    let mid = m["membership_id"].as_str().unwrap().to_string();
    assert_eq!(
        app.get(
            &format!("/api/v1/organizations/{gd}/members"),
            Some(&other_admin.token)
        )
        .await
        .0,
        403
    );
    assert_eq!(
        app.get(
            &format!("/api/v1/organizations/{gd}/members"),
            Some(&vu.token)
        )
        .await
        .0,
        403
    );
    assert_eq!(
        app.get(
            &format!("/api/v1/volunteers/{vid}"),
            Some(&other_admin.token)
        )
        .await
        .0,
        404
    );
    let (s, b) = app
        .get(&format!("/api/v1/volunteers/{vid}"), Some(&gd_admin.token))
        .await;
    assert_eq!(
        (s, b["id_number_masked"].as_str().unwrap()),
        (200, "1101**********002X")
    );

    let (s, _) = app
        .post(
            &format!("/api/v1/organizations/{gd}/memberships/{mid}/approve"),
            Some(&other_admin.token),
            json!({}),
        )
        .await;
    assert_eq!(s, 403);
    let (s, b) = app
        .post(
            &format!("/api/v1/organizations/{gd}/memberships/{mid}/approve"),
            Some(&gd_admin.token),
            json!({}),
        )
        .await;
    assert_eq!((s, b["status"].as_str().unwrap()), (200, "approved"));
    let (s, b) = app
        .post(
            &format!("/api/v1/organizations/{gd}/memberships/{mid}/approve"),
            Some(&gd_admin.token),
            json!({}),
        )
        .await;
    assert_eq!(
        (s, b["code"].as_str().unwrap()),
        (409, "membership_not_pending")
    );
    let (_, org) = app.get(&format!("/api/v1/organizations/{gd}"), None).await;
    assert_eq!(org["approved_members"], 1);

    let (s, b) = app
        .post(
            &format!("/api/v1/organizations/{gd}/memberships"),
            Some(&vu.token),
            json!({}),
        )
        .await;
    assert_eq!((s, b["code"].as_str().unwrap()), (409, "already_member"));
    let (s, b) = app
        .post(
            &format!("/api/v1/organizations/{sh}/memberships"),
            Some(&vu.token),
            json!({}),
        )
        .await;
    assert_eq!(s, 201, "{b}");
    let sh_mid = b["id"].as_str().unwrap().to_string();
    let (s, b) = app
        .post(
            &format!("/api/v1/organizations/{sh}/memberships/{sh_mid}/reject"),
            Some(&other_admin.token),
            json!({"reason": "不在服务区域"}),
        )
        .await;
    assert_eq!((s, b["status"].as_str().unwrap()), (200, "rejected"));

    // At most five active memberships.
    for (i, region) in ["120000", "130000", "140000", "150000", "210000"]
        .iter()
        .enumerate()
    {
        let a = app.user(&format!("t{i}@kx.cn")).await;
        let t = app
            .approved(
                &platform,
                &a,
                &format!("测试科协{i}"),
                "provincial_association",
                "province",
                region,
            )
            .await;
        let (s, b) = app
            .post(
                &format!("/api/v1/organizations/{t}/memberships"),
                Some(&vu.token),
                json!({}),
            )
            .await;
        if i < 4 {
            assert_eq!(s, 201, "{b}");
        } else {
            assert_eq!(
                (s, b["code"].as_str().unwrap()),
                (409, "membership_limit_reached")
            );
        }
    }

    let (s, b) = app
        .post(
            &format!("/api/v1/organizations/{gd}/leave"),
            Some(&vu.token),
            json!({}),
        )
        .await;
    assert_eq!((s, b["status"].as_str().unwrap()), (200, "left"));
    let (_, org) = app.get(&format!("/api/v1/organizations/{gd}"), None).await;
    assert_eq!(org["approved_members"], 0);
    let (s, _) = app
        .post(
            &format!("/api/v1/organizations/{gd}/leave"),
            Some(&vu.token),
            json!({}),
        )
        .await;
    assert_eq!(s, 404);
});

dual_test!(
    an_admin_finds_members_by_name_or_number,
    |app: TestApp| async move {
        let w = world(&app).await;
        let mut numbers = vec![];
        for (n, name) in [(1, "张伟"), (2, "张小燕"), (3, "李四"), (4, "王五")] {
            let (v, _) = volunteer(&app, n, name).await;
            member(&app, &w.admin, &w.org, &v).await;
            let (_, me) = app.get("/api/v1/volunteers/me", Some(&v.token)).await;
            numbers.push(me["volunteer_number"].as_str().unwrap().to_string());
        }
        let names = |q: &str| {
            let path = format!(
                "/api/v1/organizations/{}/members?status=approved&q={}",
                w.org,
                urlencoding(q)
            );
            let app = &app;
            let token = w.admin.token.clone();
            async move {
                let (s, b) = app.get(&path, Some(&token)).await;
                assert_eq!(s, 200, "{b}");
                b["items"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|m| m["volunteer"]["name"].as_str().unwrap().to_string())
                    .collect::<Vec<_>>()
            }
        };
        assert_eq!(names("张").await, ["张伟", "张小燕"]);
        assert_eq!(names(" 小燕 ").await, ["张小燕"]);
        assert_eq!(names(&numbers[2]).await, ["李四"]);
        assert_eq!(
            names(&numbers[2][..6]).await,
            Vec::<String>::new(),
            "a whole number only"
        );
        // Wildcards of LIKE are letters like any other: nobody's name holds them.
        assert_eq!(names("%").await, Vec::<String>::new());
        assert_eq!(names("_").await, Vec::<String>::new());
        assert_eq!(names("张_").await, Vec::<String>::new());
        assert_eq!(names("").await.len(), 4, "an empty search is no filter");
        // So in the other searches by text: organisations and activities.
        for path in [
            "/api/v1/organizations?q=%25",
            "/api/v1/organizations?q=_",
            "/api/v1/activities?q=%25",
        ] {
            let (s, b) = app.get(path, Some(&w.admin.token)).await;
            assert_eq!(
                (s, b["items"].as_array().map(Vec::len)),
                (200, Some(0)),
                "{path}"
            );
        }
        let (_, b) = app
            .get("/api/v1/organizations?q=%E7%A7%91%E5%8D%8F", None)
            .await;
        assert_eq!(
            b["items"].as_array().map(Vec::len),
            Some(1),
            "科协 still finds one"
        );
        let (s, b) = app
            .get(
                &format!(
                    "/api/v1/organizations/{}/members?q={}",
                    w.org,
                    "长".repeat(51)
                ),
                Some(&w.admin.token),
            )
            .await;
        assert_eq!((s, fields(&b)[0].0.as_str()), (422, "q"));
        let (s, _) = app
            .get(
                &format!("/api/v1/organizations/{}/members?q=张", w.org),
                Some(&w.other_admin.token),
            )
            .await;
        assert_eq!(s, 403, "another organisation's admin finds nobody");
    }
);

fn urlencoding(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
