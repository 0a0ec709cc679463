//! Calls and applications: the whole path from draft to summary, every refusal of the
//! call's rules, each role's permissions, the endorsement quota under racing requests, and
//! the export.

use std::io::Cursor;

use calamine::{Reader, Xlsx};
use chrono::{TimeZone, Utc};
use reqwest::multipart::{Form, Part};
use reqwest::Method;
use serde_json::{json, Value};

use crate::dual_test;
use crate::fixtures::*;
use crate::helpers::*;

const PDF: &[u8] = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";

async fn create_call(app: &TestApp, platform: &User, body: Value) -> String {
    let (s, b) = app.post("/api/v1/calls", Some(&platform.token), body).await;
    assert_eq!(s, 201, "{b}");
    b["id"].as_str().unwrap().to_string()
}

fn application_body(call: &str, applicant: &str, proof: Option<&str>) -> Value {
    json!({
        "call_id": call,
        "applicant_id": applicant,
        "title": "长安区设施蔬菜绿色防控科技志愿服务",
        "summary": "组织学会专家赴长安区开展设施蔬菜病虫害绿色防控技术培训和现场指导。",
        "objectives": "培训农户500人次，建立示范棚10个。",
        "activities": [{"what": "绿色防控技术培训", "month": "2026-09", "place": "长安区农业技术推广中心"}],
        "budget": [
            {"item": "专家差旅费", "amount_fen": 9000000},
            {"item": "培训资料印制", "amount_fen": 6000000, "note": "3000册"}
        ],
        "requested_fen": 15000000,
        "pairing_proof": proof,
        "contacts": [{"name": "王建国", "role": "项目负责人", "phone": "13800138000"}]
    })
}

/// The society's pairing with the county, accepted: returns its proof number.
async fn upload(app: &TestApp, id: &str, token: &str, name: &str, bytes: &[u8]) -> (u16, Value) {
    let form = Form::new().part(
        "file",
        Part::bytes(bytes.to_vec()).file_name(name.to_string()),
    );
    let r = app
        .client
        .post(app.url(&format!("/api/v1/applications/{id}/attachments")))
        .bearer_auth(token)
        .multipart(form)
        .send()
        .await
        .unwrap();
    split(r).await
}

/// A drafted application with its stamped form attached; returns its id.
async fn drafted(app: &TestApp, token: &str, body: Value) -> String {
    let (s, b) = app.post("/api/v1/applications", Some(token), body).await;
    assert_eq!(s, 201, "{b}");
    let id = b["id"].as_str().unwrap().to_string();
    let (s, b) = upload(app, &id, token, "申报书盖章页.pdf", PDF).await;
    assert_eq!(s, 201, "{b}");
    id
}

fn codes(problem: &Value) -> Vec<String> {
    let mut c: Vec<String> = fields(problem).into_iter().map(|(_, c)| c).collect();
    c.sort();
    c
}

dual_test!(
    application_from_draft_to_summary,
    long_sessions,
    |app: TestApp| async move {
        let t = tree(&app).await;
        let proof = paired(&app, &t).await;

        // Calls: published by platform admins, read by anyone.
        let (s, b) = app
            .post("/api/v1/calls", Some(&t.province_admin.token), call_body())
            .await;
        assert_eq!(s, 403);
        assert_eq!(b["code"], "platform_admin_only", "{b}");
        let call = create_call(&app, &t.platform, call_body()).await;
        let (s, calls) = app.get("/api/v1/calls", None).await;
        assert_eq!(s, 200);
        assert_eq!(calls["items"][0]["id"], call.as_str());
        assert_eq!(calls["items"][0]["state"], "open");

        // The draft: only the organisation's own admins write it.
        let body = application_body(&call, &t.society, Some(&proof));
        let (s, _) = app
            .post(
                "/api/v1/applications",
                Some(&t.outsider.token),
                body.clone(),
            )
            .await;
        assert_eq!(s, 403);
        let (s, d) = app
            .post(
                "/api/v1/applications",
                Some(&t.society_admin.token),
                body.clone(),
            )
            .await;
        assert_eq!(s, 201, "{d}");
        let id = d["id"].as_str().unwrap().to_string();
        let path = format!("/api/v1/applications/{id}");
        assert_eq!(d["status"], "draft");
        assert_eq!(d["pairing"]["proof_number"], proof.as_str());
        assert_eq!(d["province_code"], "130000");
        assert_eq!(d["contacts"][0]["phone"], "13800138000");
        let (s, b) = app
            .post("/api/v1/applications", Some(&t.society_admin.token), body)
            .await;
        assert_eq!((s, b["code"].as_str()), (409, Some("application_exists")));

        // The stamped form (its checks are `attachments_are_told_by_their_content`).
        let (s, a) = upload(&app, &id, &t.society_admin.token, "申报书盖章页.pdf", PDF).await;
        assert_eq!(s, 201, "{a}");

        // Submitting twice submits once.
        let submit = format!("{path}/submit");
        let calls = (0..2).map(|_| app.post(&submit, Some(&t.society_admin.token), json!({})));
        let mut results: Vec<(u16, Option<String>)> = futures_util::future::join_all(calls)
            .await
            .into_iter()
            .map(|(s, b)| (s, b["code"].as_str().map(str::to_string)))
            .collect();
        results.sort();
        assert_eq!(
            results,
            vec![(200, None), (409, Some("application_status".into()))]
        );
        let (s, b) = app
            .put(&path, &t.society_admin.token, json!({"title": "改题目"}))
            .await;
        assert_eq!((s, b["code"].as_str()), (409, Some("application_status")));

        // What each role is offered is what the service lets it do: the applicant nothing
        // once submitted, the province the endorsement, the platform nothing until then.
        let actions = |b: &serde_json::Value| -> Vec<String> {
            b["allowed_actions"]
                .as_array()
                .unwrap()
                .iter()
                .map(|a| a.as_str().unwrap().to_string())
                .collect()
        };
        for (who, expected) in [
            (&t.society_admin, vec![]),
            (&t.province_admin, vec!["endorse", "decline_endorsement"]),
            (&t.platform, vec![]),
        ] {
            let (s, b) = app.get(&path, Some(&who.token)).await;
            assert_eq!(s, 200, "{b}");
            assert_eq!(actions(&b), expected, "{b}");
        }

        // Endorsement: the provincial association of the applicant's province only.
        let endorse = format!("{path}/endorse");
        for who in [&t.outsider, &t.city_admin] {
            let (s, _) = app.post(&endorse, Some(&who.token), json!({})).await;
            assert_eq!(s, 404);
        }
        let (s, b) = app
            .post(&endorse, Some(&t.society_admin.token), json!({}))
            .await;
        assert_eq!(s, 403, "{b}");
        assert_eq!(b["code"], "endorser_only", "{b}");
        let (s, b) = app
            .post(
                &endorse,
                Some(&t.province_admin.token),
                json!({"note": "同意推荐"}),
            )
            .await;
        assert_eq!(s, 200, "{b}");
        assert_eq!(b["status"], "endorsed");
        assert_eq!(b["contacts"][0]["phone"], "138****8000");
        assert!(actions(&b).is_empty(), "endorsed once: {b}");
        let (_, b) = app.get(&path, Some(&t.platform.token)).await;
        assert_eq!(actions(&b), ["assign_reviewers", "decide"]);

        // Reviewers: assigned by platform admins, never the applicant's own admins.
        let r1 = app.user("expert1@review.cn").await;
        let r2 = app.user("expert2@review.cn").await;
        let r3 = app.user("expert3@review.cn").await;
        let reviewers = format!("{path}/reviewers");
        let (s, b) = app
            .post(
                &reviewers,
                Some(&t.platform.token),
                json!({"reviewer_ids": [t.society_admin.id, uuid::Uuid::new_v4()]}),
            )
            .await;
        assert_eq!(s, 422, "{b}");
        assert_eq!(codes(&b), vec!["reviewer_conflict", "reviewer_not_found"]);
        let (s, _) = app
            .post(
                &reviewers,
                Some(&t.province_admin.token),
                json!({"reviewer_ids": [r1.id]}),
            )
            .await;
        assert_eq!(s, 403);
        let (s, b) = app
            .post(
                &reviewers,
                Some(&t.platform.token),
                json!({"reviewer_ids": [r1.id, r2.id]}),
            )
            .await;
        assert_eq!(s, 200, "{b}");
        assert_eq!(b["reviewers"].as_array().unwrap().len(), 2);

        // Reviews: assigned reviewers only, one score per criterion.
        let mine = format!("{path}/reviews/mine");
        let (s, _) = app.get(&path, Some(&r3.token)).await;
        assert_eq!(s, 404, "an unassigned reviewer sees nothing");
        let (s, _) = app.put(&mine, &r3.token, json!({"scores": []})).await;
        assert_eq!(s, 404);
        let (s, b) = app.put(&mine, &r1.token, json!({"scores": [{"criterion": "可行性", "score": 80}, {"criterion": "创新", "score": 90}]}))
        .await;
        assert_eq!(s, 422, "{b}");
        assert_eq!(codes(&b), vec!["criterion_missing", "unknown_criterion"]);
        let (s, b) = app.put(&mine, &r1.token, json!({"scores": [{"criterion": "可行性", "score": 60}, {"criterion": "效益", "score": 60}], "comment": "初评"}))
        .await;
        assert_eq!(s, 200, "{b}");
        let (s, b) = app.put(&mine, &r1.token, json!({"scores": [{"criterion": "可行性", "score": 80}, {"criterion": "效益", "score": 90}], "comment": "方案可行"}))
        .await;
        assert_eq!(s, 200, "{b}");
        assert_eq!(b["weighted_score"], 84.0);
        let (s, _) = app.put(&mine, &r2.token, json!({"scores": [{"criterion": "可行性", "score": 70}, {"criterion": "效益", "score": 71}], "comment": "预算偏高"}))
        .await;
        assert_eq!(s, 200);
        let (_, seen) = app.get(&path, Some(&r2.token)).await;
        assert_eq!(
            seen["reviews"].as_array().unwrap().len(),
            1,
            "a reviewer sees their own"
        );
        let (_, before) = app.get(&path, Some(&t.society_admin.token)).await;
        assert!(
            before["reviews"].is_null(),
            "no reviews before the decision"
        );
        let (_, p) = app.get(&path, Some(&t.platform.token)).await;
        assert_eq!(p["review_average"], 77.2);
        assert_eq!(p["reviews"][0]["reviewer_id"], r1.id.to_string());
        assert_eq!(p["reviews"][1]["comment"], "预算偏高");

        // The decision.
        let decide = format!("{path}/decision");
        let (s, b) = app
            .post(
                &decide,
                Some(&t.platform.token),
                json!({"decision": "approve", "granted_fen": 15000001}),
            )
            .await;
        assert_eq!(s, 422);
        assert_eq!(codes(&b), vec!["granted_above_request"]);
        let (s, _) = app
            .post(
                &decide,
                Some(&t.province_admin.token),
                json!({"decision": "approve", "granted_fen": 1}),
            )
            .await;
        assert_eq!(s, 403);
        let (s, b) = app
            .post(
                &decide,
                Some(&t.platform.token),
                json!({"decision": "approve", "granted_fen": 12000000, "reason": "压缩印制费"}),
            )
            .await;
        assert_eq!(s, 200, "{b}");
        assert_eq!(b["status"], "approved");
        assert_eq!(b["granted_fen"], 12000000);
        let (s, b) = app.put(&mine, &r1.token, json!({"scores": [{"criterion": "可行性", "score": 10}, {"criterion": "效益", "score": 10}]}))
        .await;
        assert_eq!((s, b["code"].as_str()), (409, Some("review_closed")));
        let (_, after) = app.get(&path, Some(&t.society_admin.token)).await;
        assert_eq!(after["review_average"], 77.2);
        let reviews = after["reviews"].as_array().unwrap();
        assert_eq!(reviews.len(), 2);
        assert!(reviews
            .iter()
            .all(|r| r["reviewer_id"].is_null() && r["reviewer_name"].is_null()));
        assert_eq!(reviews[0]["label"], "评审专家1");
        assert!(after["reviewers"].is_null());

        // The summary: on time, then late after the due date.
        let summary = format!("{path}/summary");
        let (s, b) = app
            .post(
                &summary,
                Some(&t.province_admin.token),
                json!({"text": "代交"}),
            )
            .await;
        assert_eq!(s, 403, "{b}");
        let (s, b) = app
            .post(
                &summary,
                Some(&t.society_admin.token),
                json!({"text": "共开展培训12场，培训农户620人次。"}),
            )
            .await;
        assert_eq!(s, 200, "{b}");
        assert_eq!(b["summary_late"], false);
        app.clock
            .set(Utc.with_ymd_and_hms(2027, 9, 1, 1, 0, 0).unwrap());
        let society = app.login("admin@hbsociety.cn").await;
        let (s, b) = app
            .post(
                &summary,
                Some(&society.token),
                json!({"text": "补充：示范棚12个。"}),
            )
            .await;
        assert_eq!(s, 200, "{b}");
        assert_eq!(b["summary_late"], true);

        // The history: every change with who and why.
        let (s, h) = app
            .get(&format!("{path}/history"), Some(&society.token))
            .await;
        assert_eq!(s, 200, "{h}");
        let actions: Vec<&str> = h["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["action"].as_str().unwrap())
            .collect();
        assert_eq!(
            actions,
            vec![
                "created",
                "attachment_added",
                "submitted",
                "endorsed",
                "reviewers_assigned",
                "approved",
                "summary_submitted",
                "summary_submitted"
            ]
        );
        assert_eq!(h["items"][3]["note"], "同意推荐");
        assert_eq!(h["items"][5]["note"], "压缩印制费");
        assert_eq!(h["items"][7]["note"], "late");

        // Lists by role.
        let (_, mine) = app.get("/api/v1/applications", Some(&society.token)).await;
        assert_eq!(mine["items"][0]["id"], id.as_str());
        let province = app.login("admin@hebkx.cn").await;
        let (_, prov) = app
            .get(
                "/api/v1/applications?province_code=130000&status=approved",
                Some(&province.token),
            )
            .await;
        assert_eq!(prov["items"].as_array().unwrap().len(), 1);
        assert!(prov["items"][0]["review_average"].is_null());
        let outsider = app.login("admin@bjkx.cn").await;
        let (_, none) = app.get("/api/v1/applications", Some(&outsider.token)).await;
        assert!(none["items"].as_array().unwrap().is_empty());
        let (s, b) = app
            .get(
                "/api/v1/applications?status=won&province_code=13",
                Some(&outsider.token),
            )
            .await;
        assert_eq!(s, 422);
        assert_eq!(codes(&b), vec!["invalid_province", "unknown_status"]);
    }
);

dual_test!(
    attachments_are_told_by_their_content,
    |app: TestApp| async move {
        let t = tree(&app).await;
        let proof = paired(&app, &t).await;
        let call = create_call(&app, &t.platform, call_body()).await;
        let (s, d) = app
            .post(
                "/api/v1/applications",
                Some(&t.society_admin.token),
                application_body(&call, &t.society, Some(&proof)),
            )
            .await;
        assert_eq!(s, 201, "{d}");
        let id = d["id"].as_str().unwrap().to_string();
        let path = format!("/api/v1/applications/{id}");
        // Told by their content, not their name.
        let (s, b) = upload(
            &app,
            &id,
            &t.society_admin.token,
            "盖章页.pdf",
            b"just text",
        )
        .await;
        assert_eq!(s, 422, "{b}");
        assert_eq!(
            fields(&b),
            vec![("file".into(), "unsupported_file_type".into())]
        );
        let (s, _) = upload(&app, &id, &t.county_admin.token, "x.pdf", PDF).await;
        assert_eq!(s, 404, "the county does not see the society's draft");
        let (s, a) = upload(&app, &id, &t.society_admin.token, "申报书盖章页.pdf", PDF).await;
        assert_eq!(s, 201, "{a}");
        assert_eq!(a["media_type"], "application/pdf");
        let file = format!("{path}/attachments/{}", a["id"].as_str().unwrap());
        let r = app
            .call(Method::GET, &file, Some(&t.society_admin.token), None)
            .await;
        assert_eq!(r.status().as_u16(), 200);
        assert_eq!(r.headers()["content-type"], "application/pdf");
        assert_eq!(r.bytes().await.unwrap().as_ref(), PDF);
        for who in [&t.outsider, &t.province_admin] {
            let r = app.call(Method::GET, &file, Some(&who.token), None).await;
            assert_eq!(r.status().as_u16(), 404, "not visible before submission");
        }
    }
);

dual_test!(
    every_rule_of_the_call_is_named,
    long_sessions,
    |app: TestApp| async move {
        let t = tree(&app).await;
        let proof = paired(&app, &t).await;
        let call = create_call(&app, &t.platform, call_body()).await;
        let token = t.society_admin.token.clone();

        // Several rules broken at once, each named: no attachment, no pairing, above the
        // cap, a budget that does not add up.
        let mut body = application_body(&call, &t.society, None);
        body["requested_fen"] = json!(20000001);
        let (s, d) = app.post("/api/v1/applications", Some(&token), body).await;
        assert_eq!(s, 201, "{d}");
        let id = d["id"].as_str().unwrap().to_string();
        let submit = format!("/api/v1/applications/{id}/submit");
        let (s, b) = app.post(&submit, Some(&token), json!({})).await;
        assert_eq!(s, 422, "{b}");
        assert_eq!(
            codes(&b),
            vec![
                "above_cap",
                "attachment_required",
                "budget_mismatch",
                "pairing_required"
            ]
        );

        // A proof that is not the applicant's is refused while drafting.
        let other_admin = app.user("admin@hbcrop.cn").await;
        let other = app
            .approved(
                &t.platform,
                &other_admin,
                "河北省作物学会",
                "provincial_society",
                "province",
                "130000",
            )
            .await;
        let (s, b) = app
            .post(
                "/api/v1/applications",
                Some(&other_admin.token),
                application_body(&call, &other, Some(&proof)),
            )
            .await;
        assert_eq!(s, 422);
        assert_eq!(codes(&b), vec!["pairing_not_found"]);

        // Fixing what was wrong lets it through; nothing stored was lost on the way.
        let (s, b) = app
            .put(
                &format!("/api/v1/applications/{id}"),
                &token,
                json!({"requested_fen": 15000000, "pairing_proof": proof}),
            )
            .await;
        assert_eq!(s, 200, "{b}");
        assert_eq!(b["title"], "长安区设施蔬菜绿色防控科技志愿服务");
        let (s, _) = upload(&app, &id, &token, "form.png", b"\x89PNG\r\n\x1a\nrest").await;
        assert_eq!(s, 201);

        // Not yet open; closed; closed but within a revision deadline.
        let mut later = call_body();
        later["opens_at"] = json!("2026-06-10T00:00:00Z");
        later["sub_project"] = json!("科普服务汇中心");
        let upcoming = create_call(&app, &t.platform, later).await;
        let early = drafted(
            &app,
            &token,
            application_body(&upcoming, &t.society, Some(&proof)),
        )
        .await;
        let (s, b) = app
            .post(
                &format!("/api/v1/applications/{early}/submit"),
                Some(&token),
                json!({}),
            )
            .await;
        assert_eq!(s, 422);
        assert_eq!(codes(&b), vec!["call_not_open"]);
        app.clock
            .set(Utc.with_ymd_and_hms(2026, 7, 2, 0, 0, 0).unwrap());
        let (s, b) = app.post(&submit, Some(&token), json!({})).await;
        assert_eq!(s, 422);
        assert_eq!(codes(&b), vec!["call_closed"]);

        // An organisation of a category the call does not admit.
        app.clock
            .set(Utc.with_ymd_and_hms(2026, 6, 5, 0, 0, 0).unwrap());
        let (s, b) = app
            .post(
                "/api/v1/applications",
                Some(&t.county_admin.token),
                application_body(&upcoming, &t.county, Some(&proof)),
            )
            .await;
        assert_eq!(s, 201, "{b}");
        let county_app = b["id"].as_str().unwrap().to_string();
        let (s, _) = upload(
            &app,
            &county_app,
            &t.county_admin.token,
            "f.jpg",
            b"\xFF\xD8\xFFjpeg",
        )
        .await;
        assert_eq!(s, 201);
        app.clock
            .set(Utc.with_ymd_and_hms(2026, 6, 11, 0, 0, 0).unwrap());
        let (s, b) = app
            .post(
                &format!("/api/v1/applications/{county_app}/submit"),
                Some(&t.county_admin.token),
                json!({}),
            )
            .await;
        assert_eq!(s, 422);
        assert_eq!(codes(&b), vec!["ineligible_category"]);

        // A national society brings in the provincial society of the paired region.
        let national_admin = app.user("admin@cast-agri.cn").await;
        let national = app
            .approved(
                &t.platform,
                &national_admin,
                "中国农学会",
                "national_society",
                "national",
                "110000",
            )
            .await;
        let mut letter = letter_body(&national, &t.county);
        letter["period_from"] = json!("2026-06-11");
        let (s, l) = app
            .post(
                "/api/v1/pairing-letters",
                Some(&national_admin.token),
                letter,
            )
            .await;
        assert_eq!(s, 201, "{l}");
        let lid = l["id"].as_str().unwrap();
        let (s, _) = app
            .post(
                &format!("/api/v1/pairing-letters/{lid}/send"),
                Some(&national_admin.token),
                json!({}),
            )
            .await;
        assert_eq!(s, 200);
        let (_, accepted) = app
            .post(
                &format!("/api/v1/pairing-letters/{lid}/accept"),
                Some(&t.county_admin.token),
                json!({}),
            )
            .await;
        let national_proof = accepted["pairing"]["proof_number"]
            .as_str()
            .unwrap()
            .to_string();
        let nat = drafted(
            &app,
            &national_admin.token,
            application_body(&upcoming, &national, Some(&national_proof)),
        )
        .await;
        let nat_submit = format!("/api/v1/applications/{nat}/submit");
        let (s, b) = app
            .post(&nat_submit, Some(&national_admin.token), json!({}))
            .await;
        assert_eq!(s, 422);
        assert_eq!(codes(&b), vec!["provincial_partner_required"]);
        let bj_admin = app.user("admin@bjsociety.cn").await;
        let bj_society = app
            .approved(
                &t.platform,
                &bj_admin,
                "北京农学会",
                "provincial_society",
                "province",
                "110000",
            )
            .await;
        let nat_path = format!("/api/v1/applications/{nat}");
        let (s, _) = app
            .put(
                &nat_path,
                &national_admin.token,
                json!({"provincial_partner_id": bj_society}),
            )
            .await;
        assert_eq!(s, 200);
        let (s, b) = app
            .post(&nat_submit, Some(&national_admin.token), json!({}))
            .await;
        assert_eq!(s, 422);
        assert_eq!(codes(&b), vec!["provincial_partner_region"]);
        let (s, _) = app.put(&nat_path, &national_admin.token, json!({"provincial_partner_id": t.society, "provincial_partner_role": "河北省农学会组织省内专家参与培训"}))
        .await;
        assert_eq!(s, 200);
        let (s, b) = app
            .post(&nat_submit, Some(&national_admin.token), json!({}))
            .await;
        assert_eq!(s, 200, "{b}");

        // A pairing that has ended no longer counts.
        app.clock
            .set(Utc.with_ymd_and_hms(2027, 7, 2, 0, 0, 0).unwrap());
        let mut open_long = call_body();
        open_long["sub_project"] = json!("百会百县乡村行（第二批）");
        open_long["year"] = json!(2027);
        open_long["opens_at"] = json!("2027-07-01T00:00:00Z");
        open_long["closes_at"] = json!("2027-12-31T00:00:00Z");
        open_long["summary_due"] = json!("2028-08-31");
        let platform = app.login("admin@zhihui.test").await;
        let second = create_call(&app, &platform, open_long).await;
        let society = app.login("admin@hbsociety.cn").await;
        let ended = drafted(
            &app,
            &society.token,
            application_body(&second, &t.society, Some(&proof)),
        )
        .await;
        let (s, b) = app
            .post(
                &format!("/api/v1/applications/{ended}/submit"),
                Some(&society.token),
                json!({}),
            )
            .await;
        assert_eq!(s, 422);
        assert_eq!(codes(&b), vec!["pairing_ended"]);
    }
);

dual_test!(
    the_provincial_quota_holds_when_endorsements_race,
    long_sessions,
    |app: TestApp| async move {
        let t = tree(&app).await;
        let mut body = call_body();
        body["pairing_required"] = json!(false);
        let call = create_call(&app, &t.platform, body).await;
        let mut ids = vec![];
        for (i, name) in [
            "河北省作物学会",
            "河北省植物保护学会",
            "河北省园艺学会",
            "河北省土壤学会",
        ]
        .iter()
        .enumerate()
        {
            let admin = app.user(&format!("admin{i}@hbsocieties.cn")).await;
            let org = app
                .approved(
                    &t.platform,
                    &admin,
                    name,
                    "provincial_society",
                    "province",
                    "130000",
                )
                .await;
            let id = drafted(&app, &admin.token, application_body(&call, &org, None)).await;
            let (s, b) = app
                .post(
                    &format!("/api/v1/applications/{id}/submit"),
                    Some(&admin.token),
                    json!({}),
                )
                .await;
            assert_eq!(s, 200, "{b}");
            ids.push(id);
        }
        let paths: Vec<String> = ids
            .iter()
            .map(|id| format!("/api/v1/applications/{id}/endorse"))
            .collect();
        let calls = paths
            .iter()
            .map(|p| app.post(p, Some(&t.province_admin.token), json!({})));
        let results = futures_util::future::join_all(calls).await;
        let mut outcome: Vec<(u16, Option<String>)> = results
            .iter()
            .map(|(s, b)| (*s, b["code"].as_str().map(str::to_string)))
            .collect();
        outcome.sort();
        assert_eq!(
            outcome,
            vec![
                (200, None),
                (409, Some("endorsement_quota_reached".into())),
                (409, Some("endorsement_quota_reached".into())),
                (409, Some("endorsement_quota_reached".into())),
            ],
            "{results:?}"
        );
        let (_, endorsed) = app
            .get(
                &format!("/api/v1/applications?call_id={call}&status=endorsed"),
                Some(&t.platform.token),
            )
            .await;
        assert_eq!(endorsed["items"].as_array().unwrap().len(), 1);

        // Declining needs a reason; a declined application is out of review.
        let declined = ids
            .iter()
            .find(|id| endorsed["items"][0]["id"].as_str() != Some(id.as_str()))
            .unwrap();
        let (s, _) = app
            .post(
                &format!("/api/v1/applications/{declined}/decline-endorsement"),
                Some(&t.province_admin.token),
                json!({"reason": ""}),
            )
            .await;
        assert_eq!(s, 422);
        let (s, b) = app
            .post(
                &format!("/api/v1/applications/{declined}/decline-endorsement"),
                Some(&t.province_admin.token),
                json!({"reason": "名额已满"}),
            )
            .await;
        assert_eq!(
            (s, b["status"].as_str()),
            (200, Some("endorsement_declined"))
        );
        let (s, b) = app
            .post(
                &format!("/api/v1/applications/{declined}/decision"),
                Some(&t.platform.token),
                json!({"decision": "approve", "granted_fen": 1}),
            )
            .await;
        assert_eq!((s, b["code"].as_str()), (409, Some("application_status")));

        // Returned for revision: back to draft with the reason, resubmitted within the
        // revision deadline after the call closed.
        let chosen = endorsed["items"][0]["id"].as_str().unwrap().to_string();
        let (s, b) = app
            .post(
                &format!("/api/v1/applications/{chosen}/decision"),
                Some(&t.platform.token),
                json!({"decision": "return", "reason": "预算明细不全", "revision_deadline": "2026-07-10T00:00:00Z"}),
            )
            .await;
        assert_eq!(s, 200, "{b}");
        assert_eq!(b["status"], "draft");
        assert_eq!(b["return_reason"], "预算明细不全");
        assert!(b["endorsed_at"].is_null());
        let owner = ids.iter().position(|i| *i == chosen).unwrap();
        let owner = app.login(&format!("admin{owner}@hbsocieties.cn")).await;
        app.clock
            .set(Utc.with_ymd_and_hms(2026, 7, 5, 0, 0, 0).unwrap());
        let (s, b) = app
            .post(
                &format!("/api/v1/applications/{chosen}/submit"),
                Some(&owner.token),
                json!({}),
            )
            .await;
        assert_eq!((s, b["status"].as_str()), (200, Some("submitted")), "{b}");
        let (s, b) = app
            .post(
                &format!("/api/v1/applications/{chosen}/endorse"),
                Some(&t.province_admin.token),
                json!({}),
            )
            .await;
        assert_eq!(
            (s, b["status"].as_str()),
            (200, Some("endorsed")),
            "the returned one's place is free again: {b}"
        );
        let (_, h) = app
            .get(
                &format!("/api/v1/applications/{chosen}/history"),
                Some(&owner.token),
            )
            .await;
        let actions: Vec<&str> = h["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["action"].as_str().unwrap())
            .collect();
        assert_eq!(
            actions,
            vec![
                "created",
                "attachment_added",
                "submitted",
                "endorsed",
                "returned",
                "resubmitted",
                "endorsed"
            ]
        );
        app.clock
            .set(Utc.with_ymd_and_hms(2026, 7, 11, 0, 0, 0).unwrap());
        let (s, b) = app
            .post(
                &format!("/api/v1/applications/{chosen}/decision"),
                Some(&t.platform.token),
                json!({"decision": "return", "reason": "再改"}),
            )
            .await;
        assert_eq!(s, 200, "{b}");
        let (s, b) = app
            .post(
                &format!("/api/v1/applications/{chosen}/submit"),
                Some(&owner.token),
                json!({}),
            )
            .await;
        assert_eq!((s, codes(&b)), (422, vec!["call_closed".to_string()]));
    }
);

dual_test!(
    applications_export_with_chinese_headers,
    |app: TestApp| async move {
        let t = tree(&app).await;
        let mut body = call_body();
        body["pairing_required"] = json!(false);
        let call = create_call(&app, &t.platform, body).await;
        let id = drafted(
            &app,
            &t.society_admin.token,
            application_body(&call, &t.society, None),
        )
        .await;
        let (s, _) = app
            .post(
                &format!("/api/v1/applications/{id}/submit"),
                Some(&t.society_admin.token),
                json!({}),
            )
            .await;
        assert_eq!(s, 200);

        let r = app
            .call(
                Method::GET,
                &format!("/api/v1/applications/export?call_id={call}"),
                Some(&t.platform.token),
                None,
            )
            .await;
        assert_eq!(r.status().as_u16(), 200);
        let bytes = r.bytes().await.unwrap().to_vec();
        let mut wb = Xlsx::new(Cursor::new(bytes)).unwrap();
        let range = wb.worksheet_range("项目申报").unwrap();
        let rows: Vec<Vec<String>> = range
            .rows()
            .map(|r| r.iter().map(|c| c.to_string()).collect())
            .collect();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0][1], "项目名称");
        assert_eq!(rows[0][5], "申请金额（元）");
        assert_eq!(rows[1][0], id);
        assert_eq!(rows[1][2], "河北省农学会");
        assert_eq!(rows[1][3], "河北省");
        assert_eq!(rows[1][4], "已提交");
        assert_eq!(rows[1][5], "150000");

        let r = app
            .call(
                Method::GET,
                "/api/v1/applications/export?format=csv",
                Some(&t.society_admin.token),
                None,
            )
            .await;
        let text = r.text().await.unwrap();
        assert!(text.starts_with("\u{feff}申报编号,项目名称"), "{text}");
        assert!(text.contains("长安区设施蔬菜绿色防控科技志愿服务"));
        let (_, empty) = app
            .call(
                Method::GET,
                "/api/v1/applications/export?format=csv",
                Some(&t.outsider.token),
                None,
            )
            .await
            .text()
            .await
            .map(|t| (0, t))
            .unwrap();
        assert_eq!(
            empty.lines().count(),
            1,
            "another organisation's rows stay out"
        );
        let (s, b) = app
            .get(
                "/api/v1/applications/export?format=pdf",
                Some(&t.platform.token),
            )
            .await;
        assert_eq!(
            (s, fields(&b)),
            (422, vec![("format".into(), "unknown_format".into())])
        );
    }
);

/// What the workbench counts for a person: `(kind, organisation id or "")` → count.
async fn work_of(app: &TestApp, who: &User) -> std::collections::BTreeMap<(String, String), i64> {
    let (s, b) = app.get("/api/v1/me/work", Some(&who.token)).await;
    assert_eq!(s, 200, "{b}");
    b["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            let org = i["organization"]["id"].as_str().unwrap_or("").to_string();
            (
                (i["kind"].as_str().unwrap().to_string(), org),
                i["count"].as_i64().unwrap(),
            )
        })
        .collect()
}

fn work(items: &[(&str, &str, i64)]) -> std::collections::BTreeMap<(String, String), i64> {
    items
        .iter()
        .map(|(k, o, n)| ((k.to_string(), o.to_string()), *n))
        .collect()
}

dual_test!(
    the_workbench_counts_what_each_person_can_act_on,
    long_sessions,
    |app: TestApp| async move {
        let t = tree(&app).await;
        let (s, _) = app.get("/api/v1/me/work", None).await;
        assert_eq!(s, 401);
        for who in [&t.county_admin, &t.province_admin, &t.outsider] {
            assert_eq!(work_of(&app, who).await, work(&[]));
        }
        // A team registers under the county, a volunteer asks to join the county, a letter
        // arrives from the society.
        let team_admin = app.user("admin@team.cn").await;
        let team = app
            .organization(
                &team_admin,
                "长安区农技协",
                "rural_technical_association",
                "grassroots",
                Some(&t.county),
                "130102",
            )
            .await;
        let (v, _) = volunteer(&app, 7, "赵六").await;
        let (s, b) = app
            .post(
                &format!("/api/v1/organizations/{}/memberships", t.county),
                Some(&v.token),
                json!({}),
            )
            .await;
        assert_eq!(s, 201, "{b}");
        let letter = sent_letter(&app, &t, letter_body(&t.society, &t.county)).await;
        // A new national society waits for the platform.
        let nat_admin = app.user("admin@national.cn").await;
        app.organization(
            &nat_admin,
            "中国植物保护学会",
            "national_society",
            "national",
            None,
            "110000",
        )
        .await;
        let county = t.county.as_str();
        assert_eq!(
            work_of(&app, &t.county_admin).await,
            work(&[
                ("join_requests", county, 1),
                ("organizations_to_approve", county, 1),
                ("letters_to_answer", county, 1),
            ])
        );
        let platform = work_of(&app, &t.platform).await;
        assert_eq!(
            platform[&("organizations_to_approve".into(), String::new())],
            1
        );
        // Nobody else is counted another's work: not the city above, not another province.
        for who in [&t.city_admin, &t.outsider, &team_admin] {
            assert_eq!(work_of(&app, who).await, work(&[]), "{}", who.id);
        }
        // A letter past its answer deadline can no longer be answered: it is not counted.
        let sent = zhihui_http::Clock::now(&app.clock);
        app.clock.set(sent + chrono::Duration::days(31));
        assert!(!work_of(&app, &t.county_admin)
            .await
            .contains_key(&("letters_to_answer".to_string(), county.to_string())));
        app.clock.set(sent);

        // Acting on it takes it off the list.
        let (s, b) = app
            .post(
                &format!("/api/v1/pairing-letters/{letter}/accept"),
                Some(&t.county_admin.token),
                json!({}),
            )
            .await;
        assert_eq!(s, 200, "{b}");
        let proof = b["pairing"]["proof_number"].as_str().unwrap().to_string();
        let (s, _) = app
            .post(
                &format!("/api/v1/organizations/{team}/approve"),
                Some(&t.county_admin.token),
                json!({}),
            )
            .await;
        assert_eq!(s, 200);
        assert_eq!(
            work_of(&app, &t.county_admin).await,
            work(&[("join_requests", county, 1)])
        );

        // A report submitted by the county waits for the city, its parent.
        let (s, r) = app
            .post(
                &format!("/api/v1/organizations/{county}/monthly-reports"),
                Some(&t.county_admin.token),
                json!({"month": "2026-05"}),
            )
            .await;
        assert_eq!(s, 201, "{r}");
        let rid = r["id"].as_str().unwrap();
        let (s, b) = app
            .post(
                &format!("/api/v1/monthly-reports/{rid}/submit"),
                Some(&t.county_admin.token),
                json!({}),
            )
            .await;
        assert_eq!(s, 200, "{b}");
        assert_eq!(
            work_of(&app, &t.city_admin).await,
            work(&[("reports_to_accept", &t.city, 1)])
        );
        assert_eq!(work_of(&app, &t.province_admin).await, work(&[]));

        // An application: the province endorses it, then the platform decides and the
        // assigned reviewer scores it.
        let call = create_call(&app, &t.platform, call_body()).await;
        let id = drafted(
            &app,
            &t.society_admin.token,
            application_body(&call, &t.society, Some(&proof)),
        )
        .await;
        assert_eq!(work_of(&app, &t.province_admin).await, work(&[]), "a draft");
        let (s, _) = app
            .post(
                &format!("/api/v1/applications/{id}/submit"),
                Some(&t.society_admin.token),
                json!({}),
            )
            .await;
        assert_eq!(s, 200);
        assert_eq!(
            work_of(&app, &t.province_admin).await,
            work(&[("applications_to_endorse", "", 1)])
        );
        let decide = ("applications_to_decide".to_string(), String::new());
        assert!(!work_of(&app, &t.platform).await.contains_key(&decide));
        let (s, _) = app
            .post(
                &format!("/api/v1/applications/{id}/endorse"),
                Some(&t.province_admin.token),
                json!({}),
            )
            .await;
        assert_eq!(s, 200);
        assert_eq!(work_of(&app, &t.province_admin).await, work(&[]));
        assert_eq!(work_of(&app, &t.platform).await[&decide], 1);
        let expert = app.user("expert@review.cn").await;
        // The platform finds the expert in the directory, with their load.
        let (s, b) = app
            .get("/api/v1/accounts?q=REVIEW.cn", Some(&t.platform.token))
            .await;
        assert_eq!(s, 200, "{b}");
        assert_eq!(
            b["items"],
            json!([{"id": expert.id, "display_name": "测试用户", "login_masked": "e***@review.cn", "reviews_open": 0}])
        );
        let directory = |token: String| {
            let app = &app;
            async move { app.get("/api/v1/accounts?q=review", Some(&token)).await }
        };
        for who in [&t.province_admin, &t.society_admin, &expert] {
            let (s, b) = directory(who.token.clone()).await;
            assert_eq!((s, b["code"].as_str()), (403, Some("platform_admin_only")));
        }
        let (s, _) = app.get("/api/v1/accounts?q=review", None).await;
        assert_eq!(s, 401);
        let (s, b) = app
            .get("/api/v1/accounts?q=e", Some(&t.platform.token))
            .await;
        assert_eq!(
            (s, fields(&b)[0].0.as_str()),
            (422, "q"),
            "one letter is too little"
        );
        let (s, b) = app
            .get("/api/v1/accounts?q=%25%25", Some(&t.platform.token))
            .await;
        assert_eq!(b["items"], json!([]), "{s}: % is a letter");
        let (s, _) = app
            .post(
                &format!("/api/v1/applications/{id}/reviewers"),
                Some(&t.platform.token),
                json!({"reviewer_ids": [expert.id]}),
            )
            .await;
        assert_eq!(s, 200);
        assert_eq!(
            work_of(&app, &expert).await,
            work(&[("reviews_to_write", "", 1)])
        );
        let (_, b) = directory(t.platform.token.clone()).await;
        assert_eq!(b["items"][0]["reviews_open"], 1);
        let (s, _) = app
            .put(
                &format!("/api/v1/applications/{id}/reviews/mine"),
                &expert.token,
                json!({"scores": [{"criterion": "可行性", "score": 80}, {"criterion": "效益", "score": 90}]}),
            )
            .await;
        assert_eq!(s, 200);
        assert_eq!(work_of(&app, &expert).await, work(&[]));
        let (_, b) = directory(t.platform.token.clone()).await;
        assert_eq!(b["items"][0]["reviews_open"], 0, "scored: no longer open");
    }
);
