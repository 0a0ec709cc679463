use reqwest::Method;
use serde_json::json;

use crate::dual_test;
use crate::helpers::*;

dual_test!(
    approval_follows_the_tree_and_roles,
    |app: TestApp| async move {
        let platform = app.platform_admin().await;
        let gd_admin = app.user("gd@kx.cn").await;
        let county_admin = app.user("county@kx.cn").await;
        let outsider = app.user("other@kx.cn").await;

        let gd = app
            .organization(
                &gd_admin,
                "广东省科学技术协会",
                "provincial_association",
                "province",
                None,
                "440000",
            )
            .await;
        // Pending: invisible to anonymous and to another organisation's admin, visible to its own admin.
        assert_eq!(
            app.get(&format!("/api/v1/organizations/{gd}"), None)
                .await
                .0,
            404
        );
        assert_eq!(
            app.get(
                &format!("/api/v1/organizations/{gd}"),
                Some(&outsider.token)
            )
            .await
            .0,
            404
        );
        let (s, b) = app
            .get(
                &format!("/api/v1/organizations/{gd}"),
                Some(&gd_admin.token),
            )
            .await;
        assert_eq!((s, b["status"].as_str().unwrap()), (200, "pending"));
        assert_eq!(
            b["contact_phone"], "13800138000",
            "its admin sees the full contact phone"
        );
        assert_eq!(
            b["allowed_actions"],
            json!(["update"]),
            "its admin edits it but does not decide it"
        );
        let (_, b) = app
            .get(
                &format!("/api/v1/organizations/{gd}"),
                Some(&platform.token),
            )
            .await;
        assert_eq!(b["allowed_actions"], json!(["update", "approve", "reject"]));

        // Its own admin cannot approve itself; the platform admin can.
        let (s, b) = app
            .post(
                &format!("/api/v1/organizations/{gd}/approve"),
                Some(&gd_admin.token),
                json!({}),
            )
            .await;
        assert_eq!((s, b["code"].as_str()), (403, Some("parent_admin_only")));
        let (s, b) = app
            .post(
                &format!("/api/v1/organizations/{gd}/approve"),
                Some(&platform.token),
                json!({}),
            )
            .await;
        assert_eq!((s, b["status"].as_str().unwrap()), (200, "approved"));
        assert_eq!(b["allowed_actions"], json!(["update"]), "decided once");
        let (s, b) = app
            .post(
                &format!("/api/v1/organizations/{gd}/approve"),
                Some(&platform.token),
                json!({}),
            )
            .await;
        assert_eq!(
            (s, b["code"].as_str().unwrap()),
            (409, "organization_not_pending")
        );
        let (s, b) = app.get(&format!("/api/v1/organizations/{gd}"), None).await;
        assert_eq!(s, 200);
        assert_eq!(
            b["contact_phone"], "138****8000",
            "the public sees it masked"
        );
        assert!(b["admins"].is_null());

        // A county under it: approved by the province's admin, not by an outsider.
        let county = app
            .organization(
                &county_admin,
                "潮阳区科学技术协会",
                "county_association",
                "county",
                Some(&gd),
                "440513",
            )
            .await;
        let (s, _) = app
            .post(
                &format!("/api/v1/organizations/{county}/approve"),
                Some(&outsider.token),
                json!({}),
            )
            .await;
        assert_eq!(s, 404, "another organisation's admin does not even see it");
        let (s, b) = app
            .get(
                &format!("/api/v1/organizations/{gd}/children?status=pending"),
                Some(&gd_admin.token),
            )
            .await;
        assert_eq!((s, b["items"].as_array().unwrap().len()), (200, 1));
        let (s, b) = app
            .post(
                &format!("/api/v1/organizations/{county}/reject"),
                Some(&gd_admin.token),
                json!({"reason": "材料不全"}),
            )
            .await;
        assert_eq!(
            (
                s,
                b["status"].as_str().unwrap(),
                b["rejection_reason"].as_str().unwrap()
            ),
            (200, "rejected", "材料不全")
        );

        // Filters: region prefix finds the province's organisations; the public sees only approved ones.
        let (_, b) = app.get("/api/v1/organizations?region=440000", None).await;
        let names: Vec<_> = b["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["name"].as_str().unwrap())
            .collect();
        assert_eq!(names, vec!["广东省科学技术协会"]);
        assert_eq!(b["items"][0]["region_name"], "广东省");
        let (_, b) = app
            .get("/api/v1/organizations?q=科学技术", Some(&platform.token))
            .await;
        assert_eq!(
            b["items"].as_array().unwrap().len(),
            2,
            "the platform admin sees everything"
        );
    }
);

dual_test!(registration_rules_are_enforced, |app: TestApp| async move {
    let u = app.user("a@kx.cn").await;
    app.organization(
        &u,
        "中国农学会",
        "national_society",
        "national",
        None,
        "110000",
    )
    .await;
    let (s, b) = app
        .post(
            "/api/v1/organizations",
            Some(&u.token),
            json!({
            "name": " 中国农学会 ", "category": "national_society", "level": "national",
            "region_code": "110000", "contact_name": "王芳", "contact_phone": "13800138000"}),
        )
        .await;
    assert_eq!(
        (s, b["code"].as_str().unwrap()),
        (409, "duplicate_organization_name")
    );

    let (s, b) = app
        .post(
            "/api/v1/organizations",
            Some(&u.token),
            json!({
            "name": "某", "category": "nope", "level": "county", "region_code": "999999",
            "credit_code": "91350100M000100Y44", "contact_name": "王芳", "contact_phone": "12345"}),
        )
        .await;
    assert_eq!(s, 422, "{b}");
    let f: Vec<String> = fields(&b).into_iter().map(|(f, _)| f).collect();
    for field in [
        "name",
        "category",
        "region_code",
        "credit_code",
        "contact_phone",
        "parent_id",
    ] {
        assert!(f.contains(&field.to_string()), "{field} missing in {f:?}");
    }
    // The contact is a person's name, by the same rule the dashboard's form applies
    // (`OrganizationRegistration`); a county team registers under a parent.
    let (s, b) = app
        .post(
            "/api/v1/organizations",
            Some(&u.token),
            json!({
            "name": "某县农技协", "category": "rural_technical_association", "level": "county",
            "region_code": "110000", "contact_name": "王芳2", "contact_phone": "13800138000"}),
        )
        .await;
    assert_eq!(s, 422, "{b}");
    let mut f = fields(&b);
    f.sort();
    assert_eq!(
        f,
        [
            (
                "contact_name".to_string(),
                "person_name_characters".to_string()
            ),
            ("parent_id".to_string(), "parent_required".to_string()),
        ]
    );
    let (s, _) = app.post("/api/v1/organizations", None, json!({})).await;
    assert_eq!(s, 401);
});

dual_test!(updates_carry_versions, |app: TestApp| async move {
    let platform = app.platform_admin().await;
    let owner = app.user("o@kx.cn").await;
    let other = app.user("x@kx.cn").await;
    let id = app
        .approved(
            &platform,
            &owner,
            "北京市科学技术协会",
            "provincial_association",
            "province",
            "110000",
        )
        .await;
    let r = app
        .call(
            Method::GET,
            &format!("/api/v1/organizations/{id}"),
            None,
            None,
        )
        .await;
    let etag = r.headers()["etag"].to_str().unwrap().to_string();
    let update = |tag: String, token: String, desc: &'static str| {
        let c = app
            .client
            .put(app.url(&format!("/api/v1/organizations/{id}")))
            .bearer_auth(token)
            .header("if-match", tag)
            .json(&json!({"description": desc}));
        async move { split(c.send().await.unwrap()).await }
    };
    let (s, b) = update(etag.clone(), owner.token.clone(), "首次修改").await;
    assert_eq!((s, b["description"].as_str().unwrap()), (200, "首次修改"));
    let (s, b) = update(etag.clone(), owner.token.clone(), "过期修改").await;
    assert_eq!((s, b["code"].as_str().unwrap()), (412, "version_mismatch"));
    let (s, _) = update("\"2\"".into(), other.token.clone(), "外人").await;
    assert_eq!(s, 403);
    let (_, b) = app.get(&format!("/api/v1/organizations/{id}"), None).await;
    assert_eq!(
        b["description"], "首次修改",
        "the stale and forbidden writes lost nothing"
    );
});

dual_test!(admin_seats_respect_the_cap, |app: TestApp| async move {
    let platform = app.platform_admin().await;
    let owner = app.user("o@kx.cn").await;
    let second = app.user("s@kx.cn").await;
    let id = app
        .approved(
            &platform,
            &owner,
            "上海市科学技术协会",
            "provincial_association",
            "province",
            "310000",
        )
        .await;
    // 0 approved members: 1 seat, already taken by the registrant.
    let (s, b) = app
        .post(
            &format!("/api/v1/organizations/{id}/admins"),
            Some(&owner.token),
            json!({"login": "s@kx.cn"}),
        )
        .await;
    assert_eq!(
        (s, b["code"].as_str().unwrap()),
        (409, "admin_seat_cap_reached")
    );
    let (s, _) = app
        .post(
            &format!("/api/v1/organizations/{id}/admins"),
            Some(&second.token),
            json!({"login": "s@kx.cn"}),
        )
        .await;
    assert_eq!(s, 403);
    let r = app
        .call(
            Method::DELETE,
            &format!("/api/v1/organizations/{id}/admins/{}", owner.id),
            Some(&owner.token),
            None,
        )
        .await;
    let (s, b) = split(r).await;
    assert_eq!((s, b["code"].as_str().unwrap()), (409, "last_admin"));
    let (s, b) = app
        .post(
            &format!("/api/v1/organizations/{id}/admins"),
            Some(&owner.token),
            json!({"login": "nobody@kx.cn"}),
        )
        .await;
    assert_eq!((s, fields(&b)[0].1.as_str()), (422, "account_not_found"));
});

dual_test!(
    plain_accounts_and_anonymous_callers_cannot_decide,
    |app: TestApp| async move {
        let platform = app.platform_admin().await;
        let owner = app.user("o@kx.cn").await;
        let volunteer = app.user("v@zh.cn").await;
        let province = app
            .approved(
                &platform,
                &owner,
                "浙江省科学技术协会",
                "provincial_association",
                "province",
                "330000",
            )
            .await;
        let county_owner = app.user("c@kx.cn").await;
        let county = app
            .organization(
                &county_owner,
                "西湖区科学技术协会",
                "county_association",
                "county",
                Some(&province),
                "330106",
            )
            .await;

        let approve = format!("/api/v1/organizations/{county}/approve");
        assert_eq!(app.post(&approve, None, json!({})).await.0, 401);
        assert_eq!(
            app.post(&approve, Some(&volunteer.token), json!({}))
                .await
                .0,
            404,
            "a plain account does not see a pending team"
        );
        assert_eq!(
            app.post(&approve, Some(&county_owner.token), json!({}))
                .await
                .0,
            403,
            "no one approves their own team"
        );
        let (s, b) = app
            .post(
                &format!("/api/v1/organizations/{county}/reject"),
                Some(&owner.token),
                json!({"reason": ""}),
            )
            .await;
        assert_eq!((s, fields(&b)[0].0.as_str()), (422, "reason"));
        let (s, b) = app.post(&approve, Some(&owner.token), json!({})).await;
        assert_eq!((s, b["status"].as_str().unwrap()), (200, "approved"));

        // Joining a team needs a volunteer profile; members lists need an admin.
        let (s, b) = app
            .post(
                &format!("/api/v1/organizations/{county}/memberships"),
                Some(&volunteer.token),
                json!({}),
            )
            .await;
        assert_eq!(
            (s, b["code"].as_str().unwrap()),
            (409, "volunteer_not_registered")
        );
        assert_eq!(
            app.post(
                &format!("/api/v1/organizations/{county}/memberships"),
                None,
                json!({})
            )
            .await
            .0,
            401
        );
        assert_eq!(
            app.get(&format!("/api/v1/organizations/{county}/members"), None)
                .await
                .0,
            401
        );
        // The parent's admin manages the child's members; the platform admin too.
        assert_eq!(
            app.get(
                &format!("/api/v1/organizations/{county}/members"),
                Some(&owner.token)
            )
            .await
            .0,
            200
        );
        assert_eq!(
            app.get(
                &format!("/api/v1/organizations/{county}/members"),
                Some(&platform.token)
            )
            .await
            .0,
            200
        );
        // A county organisation may not sit outside its parent's province.
        let (s, b) = app
        .post("/api/v1/organizations", Some(&county_owner.token), json!({
            "name": "潮阳区科协", "category": "county_association", "level": "county", "parent_id": province,
            "region_code": "440513", "contact_name": "王芳", "contact_phone": "13800138000"}))
        .await;
        assert_eq!(
            (s, fields(&b)[0].1.as_str()),
            (422, "outside_parent_region")
        );
    }
);

dual_test!(
    created_resources_say_where_they_are_read,
    |app: TestApp| async move {
        let owner = app.user("location@zh.cn").await;
        let r = app
            .call(
                Method::POST,
                "/api/v1/organizations",
                Some(&owner.token),
                Some(json!({
                    "name": "北京市延庆学会", "category": "provincial_society", "level": "province",
                    "region_code": "110000", "contact_name": "王芳", "contact_phone": "13800138000"
                })),
            )
            .await;
        let location = r
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let (s, created) = split(r).await;
        assert_eq!(s, 201, "{created}");
        let id = created["id"].as_str().unwrap();
        assert_eq!(
            location.as_deref(),
            Some(format!("/api/v1/organizations/{id}").as_str())
        );
        let (s, read) = app
            .get(location.as_deref().unwrap(), Some(&owner.token))
            .await;
        assert_eq!((s, read["id"].as_str()), (200, Some(id)));

        // A public operation that reads the caller checks a token that is sent: a stale one
        // answers 401 at once; one that does not read the caller ignores the header.
        let (s, b) = app
            .get(&format!("/api/v1/organizations/{id}"), Some("not-a-token"))
            .await;
        assert_eq!((s, b["code"].as_str()), (401, Some("invalid_token")));
        let (s, _) = app.get("/api/v1/regions", Some("not-a-token")).await;
        assert_eq!(s, 200);
    }
);

dual_test!(
    a_rejected_registration_is_corrected_and_sent_again,
    |app: TestApp| async move {
        let platform = app.platform_admin().await;
        let u = app.user("a@kx.cn").await;
        let outsider = app.user("b@kx.cn").await;
        let id = app
            .organization(
                &u,
                "中国农学会",
                "national_society",
                "national",
                None,
                "110000",
            )
            .await;
        let path = format!("/api/v1/organizations/{id}");
        let (s, _) = app
            .post(
                &format!("{path}/reject"),
                Some(&platform.token),
                json!({"reason": "联系人电话无法接通"}),
            )
            .await;
        assert_eq!(s, 200);
        let (_, o) = app.get(&path, Some(&u.token)).await;
        assert_eq!(o["status"], "rejected");
        assert_eq!(o["rejection_reason"], "联系人电话无法接通");
        assert_eq!(o["allowed_actions"], json!(["update", "resubmit"]));

        // Only its own admins (or a platform admin) send it again.
        let (s, _) = app
            .post(
                &format!("{path}/resubmit"),
                Some(&outsider.token),
                json!({}),
            )
            .await;
        assert_eq!(
            s, 404,
            "another person does not see a rejected registration"
        );
        let (s, o) = app
            .put(&path, &u.token, json!({"contact_phone": "13911112222"}))
            .await;
        assert_eq!(s, 200, "{o}");
        let (s, o) = app
            .post(&format!("{path}/resubmit"), Some(&u.token), json!({}))
            .await;
        assert_eq!(s, 200, "{o}");
        assert_eq!(o["status"], "pending");
        assert_eq!(o["rejection_reason"], serde_json::Value::Null);
        assert_eq!(o["contact_phone"], "13911112222");
        let (s, b) = app
            .post(&format!("{path}/resubmit"), Some(&u.token), json!({}))
            .await;
        assert_eq!(
            (s, b["code"].as_str()),
            (409, Some("organization_not_rejected"))
        );
        let (s, o) = app
            .post(&format!("{path}/approve"), Some(&platform.token), json!({}))
            .await;
        assert_eq!((s, o["status"].as_str()), (200, Some("approved")));
    }
);

dual_test!(
    the_parent_decides_a_registration_but_does_not_send_it_again,
    |app: TestApp| async move {
        let platform = app.platform_admin().await;
        let gd_admin = app.user("gd@kx.cn").await;
        let county_admin = app.user("county@kx.cn").await;
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
        let county = app
            .organization(
                &county_admin,
                "南山区科学技术协会",
                "county_association",
                "county",
                Some(&gd),
                "440305",
            )
            .await;
        let path = format!("/api/v1/organizations/{county}");
        let (s, _) = app
            .post(
                &format!("{path}/reject"),
                Some(&gd_admin.token),
                json!({"reason": "请补充统一社会信用代码"}),
            )
            .await;
        assert_eq!(s, 200);
        let (_, o) = app.get(&path, Some(&gd_admin.token)).await;
        assert_eq!(
            o["allowed_actions"],
            json!([]),
            "the parent is offered nothing"
        );
        let (s, b) = app
            .post(
                &format!("{path}/resubmit"),
                Some(&gd_admin.token),
                json!({}),
            )
            .await;
        assert_eq!(
            (s, b["code"].as_str()),
            (403, Some("not_your_organization"))
        );
        // A platform admin may send it again on the organisation's behalf.
        let (s, o) = app
            .post(
                &format!("{path}/resubmit"),
                Some(&platform.token),
                json!({}),
            )
            .await;
        assert_eq!((s, o["status"].as_str()), (200, Some("pending")), "{o}");
        let (s, o) = app
            .post(&format!("{path}/approve"), Some(&gd_admin.token), json!({}))
            .await;
        assert_eq!((s, o["status"].as_str()), (200, Some("approved")), "{o}");
    }
);
