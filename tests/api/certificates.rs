//! Service certificates: who issues them, what they say, the PDF, and public verification.

use serde_json::json;

use crate::dual_test;
use crate::fixtures::*;
use crate::helpers::*;

dual_test!(
    certificates_issue_print_verify_revoke,
    long_sessions,
    |app: TestApp| async move {
        let w = world(&app).await;
        let (vol, vid) = volunteer(&app, 1, "张三丰").await;
        let (other_vol, _) = volunteer(&app, 2, "李四").await;
        member(&app, &w.admin, &w.org, &vol).await;
        let id = published(&app, &w.admin, activity_body(&w.org, 10, 10)).await;
        let (s, _) = app
            .post(
                &format!("/api/v1/activities/{id}/sign-ups"),
                Some(&vol.token),
                json!({}),
            )
            .await;
        assert_eq!(s, 201);

        // Nothing recorded yet: refused.
        let body = json!({"organization_id": w.org, "volunteer_id": vid, "handler_name": "刘经办"});
        let (s, b) = app
            .post("/api/v1/certificates", Some(&w.admin.token), body.clone())
            .await;
        assert_eq!(
            (s, b["code"].as_str()),
            (409, Some("no_recorded_hours")),
            "{b}"
        );

        app.clock.set(at(10, 6, 0));
        let (s, b) = app
            .post(
                &format!("/api/v1/activities/{id}/service-hours"),
                Some(&w.admin.token),
                json!({"entries": [{"volunteer_id": vid, "hours": 3.5}]}),
            )
            .await;
        assert_eq!(s, 200, "{b}");

        // Who records, certifies: another organisation's admin cannot issue for this one,
        // nor for their own organisation, which recorded nothing.
        let (s, _) = app
            .post(
                "/api/v1/certificates",
                Some(&w.other_admin.token),
                body.clone(),
            )
            .await;
        assert_eq!(s, 403);
        let mut theirs = body.clone();
        theirs["organization_id"] = json!(w.other_org);
        let (s, b) = app
            .post("/api/v1/certificates", Some(&w.other_admin.token), theirs)
            .await;
        assert_eq!((s, b["code"].as_str()), (409, Some("no_recorded_hours")));
        let (s, _) = app
            .post("/api/v1/certificates", Some(&vol.token), body.clone())
            .await;
        assert_eq!(s, 403, "a volunteer does not certify themself");
        let mut bad = body.clone();
        bad["contact_phone"] = json!("12345");
        bad["period_from"] = json!("2026-07-01");
        bad["period_to"] = json!("2026-06-01");
        let (s, b) = app
            .post("/api/v1/certificates", Some(&w.admin.token), bad)
            .await;
        assert_eq!(s, 422);
        assert_eq!(fields(&b).len(), 2, "{b}");

        let (s, c) = app
            .post("/api/v1/certificates", Some(&w.admin.token), body.clone())
            .await;
        assert_eq!(s, 201, "{c}");
        let number = c["number"].as_str().unwrap().to_string();
        assert!(number.starts_with("ZHC-2026-00000001-"), "{number}");
        assert_eq!(c["hours"], 3.5);
        assert_eq!(c["activities"], 1);
        assert_eq!(
            c["id_number_masked"].as_str().unwrap().matches('*').count(),
            10
        );
        assert_eq!(c["issuer_name"], "北京市科协科技志愿服务总队");
        assert_eq!(c["responsible_person"], "王芳");
        assert_eq!(c["handler_name"], "刘经办");
        assert_eq!(c["contact_phone"], "13800138000");
        assert_eq!(
            (c["period_from"].as_str(), c["period_to"].as_str()),
            (Some("2026-06-10"), Some("2026-06-10"))
        );
        assert_eq!(c["status"], "valid");
        assert_eq!(
            c["verification_url"],
            format!("https://zhihui.example.cn/verify/{number}").as_str()
        );
        // Another certificate gets the next number.
        let (_, c2) = app
            .post("/api/v1/certificates", Some(&w.admin.token), body.clone())
            .await;
        assert!(c2["number"]
            .as_str()
            .unwrap()
            .starts_with("ZHC-2026-00000002-"));

        // Reading: the volunteer and the issuer's admins; not another volunteer or admin.
        let path = format!("/api/v1/certificates/{number}");
        for u in [&vol, &w.admin, &w.platform] {
            let (s, _) = app.get(&path, Some(&u.token)).await;
            assert_eq!(s, 200);
        }
        for u in [&other_vol, &w.other_admin] {
            let (s, _) = app.get(&path, Some(&u.token)).await;
            assert_eq!(s, 404);
        }
        let (s, _) = app.get(&path, None).await;
        assert_eq!(s, 401);
        let (s, l) = app.get("/api/v1/certificates", Some(&vol.token)).await;
        assert_eq!((s, l["items"].as_array().unwrap().len()), (200, 2));
        let (s, l) = app
            .get(
                &format!("/api/v1/certificates?organization_id={}", w.org),
                Some(&w.admin.token),
            )
            .await;
        assert_eq!((s, l["items"].as_array().unwrap().len()), (200, 2));
        let (s, _) = app
            .get(
                &format!("/api/v1/certificates?organization_id={}", w.org),
                Some(&w.other_admin.token),
            )
            .await;
        assert_eq!(s, 403);

        // The PDF: Chinese text that extracts, with the name, hours and number.
        let r = app
            .client
            .get(app.url(&format!("{path}/pdf")))
            .bearer_auth(&vol.token)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 200);
        assert_eq!(r.headers()["content-type"], "application/pdf");
        let bytes = r.bytes().await.unwrap();
        assert!(bytes.starts_with(b"%PDF-"));
        assert!(
            bytes.len() < 400_000,
            "the font is subset, not embedded whole: {} bytes",
            bytes.len()
        );
        let text = pdf_text(&bytes);
        let flat: String = text.split_whitespace().collect();
        for needle in [
            "志愿服务记录证明",
            "张三丰",
            "3.5小时",
            "北京市科协科技志愿服务总队",
            "刘经办",
            number.as_str(),
        ] {
            assert!(flat.contains(needle), "{needle} not in PDF text:\n{text}");
        }
        let (s, _) = app
            .get(&format!("{path}/pdf"), Some(&other_vol.token))
            .await;
        assert_eq!(s, 404);

        // Public verification shows only what a verifier needs.
        let (s, v) = app.get(&format!("{path}/verification"), None).await;
        assert_eq!(s, 200, "{v}");
        assert_eq!(v["volunteer_name"], "张*丰");
        assert_eq!(
            (v["valid"].as_bool(), v["hours"].as_f64()),
            (Some(true), Some(3.5))
        );
        assert!(v.get("id_number_masked").is_none() && v.get("contact_phone").is_none());
        let (s, _) = app
            .get(
                "/api/v1/certificates/ZHC-2026-00000001-XXXX/verification",
                None,
            )
            .await;
        assert_eq!(s, 404, "a guessed suffix finds nothing");

        // Revocation by the issuer.
        let (s, _) = app
            .post(
                &format!("{path}/revoke"),
                Some(&vol.token),
                json!({"reason": "x"}),
            )
            .await;
        assert_eq!(s, 403);
        let (s, b) = app
            .post(
                &format!("{path}/revoke"),
                Some(&w.admin.token),
                json!({"reason": "时长录入有误，已重新出具"}),
            )
            .await;
        assert_eq!((s, b["status"].as_str()), (200, Some("revoked")));
        let (s, _) = app
            .post(
                &format!("{path}/revoke"),
                Some(&w.admin.token),
                json!({"reason": "again"}),
            )
            .await;
        assert_eq!(s, 409);
        let (_, v) = app.get(&format!("{path}/verification"), None).await;
        assert_eq!(
            (v["valid"].as_bool(), v["status"].as_str()),
            (Some(false), Some("revoked"))
        );
        let r = app
            .client
            .get(app.url(&format!("{path}/pdf")))
            .bearer_auth(&vol.token)
            .send()
            .await
            .unwrap();
        let text = pdf_text(&r.bytes().await.unwrap());
        assert!(text.contains("本证明已撤销"), "{text}");
    }
);
