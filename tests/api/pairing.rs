//! Pairing letters and pairings: every transition and refusal, each party's and outsiders'
//! permissions, expiry by the clock, concurrent acceptance, and the printed letter.

use reqwest::Method;
use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::{json, Value};
use zhihui_persistence::entities::pairing;

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

fn history(v: &Value) -> Vec<(String, String)> {
    v["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["action"].as_str().unwrap().to_string(),
                e["side"].as_str().unwrap().to_string(),
            )
        })
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

dual_test!(
    letter_from_draft_to_pairing,
    long_sessions,
    |app: TestApp| async move {
        let t = tree(&app).await;
        let base = "/api/v1/pairing-letters";

        // A draft, seen by its writer only.
        let r = app
            .call(
                Method::POST,
                base,
                Some(&t.society_admin.token),
                Some(letter_body(&t.society, &t.county)),
            )
            .await;
        assert_eq!(r.headers()["etag"], "\"1\"");
        let (s, d) = split(r).await;
        assert_eq!(s, 201, "{d}");
        let id = d["id"].as_str().unwrap().to_string();
        let path = format!("{base}/{id}");
        assert_eq!(d["status"], "draft");
        assert_eq!(d["sender"]["name"], "河北省农学会");
        assert_eq!(d["recipient"]["region_name"], "长安区");
        assert_eq!(d["contact_phone"], "13800138000");
        assert_eq!(actions(&d), vec!["update", "send"]);
        assert_eq!(
            history(&d),
            vec![("created".to_string(), "sender".to_string())]
        );
        for who in [&t.county_admin, &t.city_admin, &t.outsider] {
            let (s, _) = app.get(&path, Some(&who.token)).await;
            assert_eq!(s, 404, "a draft is the sender's own");
        }
        let (_, inbox) = app
            .get(
                &format!("{base}?mailbox=inbox"),
                Some(&t.county_admin.token),
            )
            .await;
        assert!(ids(&inbox).is_empty(), "drafts are not delivered");

        // Edits carry the version; a stale one is refused and changes nothing.
        let (s, b, _) = app
            .put_if(
                &path,
                &t.society_admin.token,
                json!({"subject": "过期版本的修改"}),
                Some("\"7\""),
            )
            .await;
        assert_eq!(s, 412, "{b}");
        let (s, b, _) = app
            .put_if(
                &path,
                &t.county_admin.token,
                json!({"subject": "受函单位不能改"}),
                Some("\"1\""),
            )
            .await;
        assert_eq!(s, 404, "{b}");
        let (s, b, _) = app
            .put_if(
                &path,
                &t.society_admin.token,
                json!({"purpose": "发挥学会优势，服务乡村振兴。", "contact_phone": "13912345678"}),
                Some("\"1\""),
            )
            .await;
        assert_eq!(s, 200, "{b}");
        assert_eq!(b["version"], 2);
        assert_eq!(b["purpose"], "发挥学会优势，服务乡村振兴。");
        assert_eq!(b["subject"], "关于商请共同开展科技志愿服务活动的函");
        assert_eq!(b["contact_phone"], "13912345678");

        // Only the sender sends.
        let send = format!("{path}/send");
        let (s, _) = app.post(&send, Some(&t.outsider.token), json!({})).await;
        assert_eq!(s, 404);
        let (s, b) = app
            .post(&send, Some(&t.society_admin.token), json!({}))
            .await;
        assert_eq!(s, 200, "{b}");
        assert_eq!(b["status"], "sent");
        assert_eq!(b["answer_due_at"], "2026-07-01T02:00:00Z");
        assert_eq!(actions(&b), vec!["withdraw"]);

        // A sent letter cannot change or be sent again.
        let (s, b, _) = app
            .put_if(
                &path,
                &t.society_admin.token,
                json!({"subject": "发出后修改"}),
                None,
            )
            .await;
        assert_eq!((s, b["code"].as_str()), (409, Some("letter_already_sent")));
        let (s, b) = app
            .post(&send, Some(&t.society_admin.token), json!({}))
            .await;
        assert_eq!((s, b["code"].as_str()), (409, Some("letter_already_sent")));

        // Inbox and outbox.
        let (_, inbox) = app
            .get(
                &format!("{base}?mailbox=inbox"),
                Some(&t.county_admin.token),
            )
            .await;
        assert_eq!(ids(&inbox), vec![id.clone()]);
        let (_, outbox) = app
            .get(
                &format!("{base}?mailbox=outbox&status=sent"),
                Some(&t.society_admin.token),
            )
            .await;
        assert_eq!(ids(&outbox), vec![id.clone()]);
        let (_, none) = app
            .get(
                &format!("{base}?mailbox=inbox"),
                Some(&t.society_admin.token),
            )
            .await;
        assert!(ids(&none).is_empty());
        let (_, all) = app.get(base, Some(&t.platform.token)).await;
        assert_eq!(ids(&all), vec![id.clone()]);
        let (s, b) = app
            .get(
                &format!("{base}?organization_id={}", t.county),
                Some(&t.outsider.token),
            )
            .await;
        assert_eq!(s, 403, "{b}");
        let (s, b) = app
            .get(
                &format!("{base}?organization_id={}", t.outsider_org),
                Some(&t.outsider.token),
            )
            .await;
        assert_eq!(s, 200, "{b}");
        assert!(
            ids(&b).is_empty(),
            "another organisation's letters stay out"
        );

        // The recipient sees the phone; the organisations above it see the letter, masked.
        let (s, r) = app.get(&path, Some(&t.county_admin.token)).await;
        assert_eq!(s, 200, "{r}");
        assert_eq!(r["contact_phone"], "13912345678");
        assert_eq!(actions(&r), vec!["accept", "decline"]);
        for above in [&t.city_admin, &t.province_admin] {
            let (s, v) = app.get(&path, Some(&above.token)).await;
            assert_eq!(s, 200, "{v}");
            assert_eq!(v["contact_phone"], "139****5678");
            assert!(actions(&v).is_empty());
        }
        let (s, _) = app.get(&path, Some(&t.outsider.token)).await;
        assert_eq!(s, 404);

        // Only the recipient answers.
        let accept = format!("{path}/accept");
        for who in [&t.society_admin, &t.city_admin, &t.platform] {
            let (s, b) = app.post(&accept, Some(&who.token), json!({})).await;
            assert_eq!(s, 403, "{b}");
        }
        let (s, b) = app
            .post(
                &format!("{path}/decline"),
                Some(&t.county_admin.token),
                json!({"reason": "  "}),
            )
            .await;
        assert_eq!(s, 422, "{b}");
        assert_eq!(fields(&b), vec![("reason".into(), "required".into())]);
        let r = app
            .call(
                Method::POST,
                &accept,
                Some(&t.county_admin.token),
                Some(json!({"note": "欢迎学会专家来区指导"})),
            )
            .await;
        assert_eq!(r.headers()["etag"], "\"4\"");
        let (s, a) = split(r).await;
        assert_eq!(s, 200, "{a}");
        assert_eq!(a["status"], "accepted");
        assert_eq!(a["answer_note"], "欢迎学会专家来区指导");
        assert_eq!(a["pairing"]["proof_number"], "JD2026000001");
        assert!(actions(&a).is_empty());
        assert_eq!(
            history(&a),
            vec![
                ("created".into(), "sender".into()),
                ("updated".into(), "sender".into()),
                ("sent".into(), "sender".into()),
                ("accepted".into(), "recipient".into()),
            ]
        );
        assert_eq!(a["history"][3]["note"], "欢迎学会专家来区指导");
        assert_eq!(a["history"][3]["actor_name"], "测试用户");

        // Answered once only; nothing can follow.
        for (who, action, body) in [
            (&t.county_admin, "accept", json!({})),
            (&t.county_admin, "decline", json!({"reason": "改变主意"})),
            (&t.society_admin, "withdraw", json!({})),
        ] {
            let (s, b) = app
                .post(&format!("{path}/{action}"), Some(&who.token), body)
                .await;
            assert_eq!(
                (s, b["code"].as_str()),
                (409, Some("letter_already_answered")),
                "{action}"
            );
        }

        // The pairing, for both parties and everyone above them.
        let pid = a["pairing"]["id"].as_str().unwrap().to_string();
        for who in [
            &t.society_admin,
            &t.county_admin,
            &t.city_admin,
            &t.province_admin,
            &t.platform,
        ] {
            let (s, p) = app
                .get(&format!("/api/v1/pairings/{pid}"), Some(&who.token))
                .await;
            assert_eq!(s, 200, "{p}");
            assert_eq!(p["proof_number"], "JD2026000001");
            assert_eq!(p["status"], "upcoming");
            assert_eq!(p["society"]["id"], t.society.as_str());
            assert_eq!(p["county"]["id"], t.county.as_str());
        }
        let (s, _) = app
            .get(&format!("/api/v1/pairings/{pid}"), Some(&t.outsider.token))
            .await;
        assert_eq!(s, 404);
        let (_, mine) = app
            .get("/api/v1/pairings", Some(&t.county_admin.token))
            .await;
        assert_eq!(ids(&mine), vec![pid.clone()]);
        let (s, above) = app
            .get(
                &format!("/api/v1/pairings?organization_id={}", t.county),
                Some(&t.province_admin.token),
            )
            .await;
        assert_eq!(s, 200, "{above}");
        assert_eq!(ids(&above), vec![pid.clone()]);
        let (_, subtree) = app
            .get(
                "/api/v1/pairings?include_descendants=true&status=upcoming",
                Some(&t.province_admin.token),
            )
            .await;
        assert_eq!(ids(&subtree), vec![pid.clone()]);
        let (_, own_only) = app
            .get("/api/v1/pairings", Some(&t.province_admin.token))
            .await;
        assert!(ids(&own_only).is_empty());
        let (s, _) = app
            .get(
                &format!("/api/v1/pairings?organization_id={}", t.county),
                Some(&t.outsider.token),
            )
            .await;
        assert_eq!(s, 403);

        // A pairing is active in its period and ends after it.
        app.clock
            .set(chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 7, 1, 1, 0, 0).unwrap());
        let (_, active) = app
            .get(
                "/api/v1/pairings?status=active",
                Some(&t.society_admin.token),
            )
            .await;
        assert_eq!(ids(&active), vec![pid.clone()]);
    }
);

dual_test!(
    a_second_pairing_of_the_same_two_may_not_overlap_the_first,
    |app: TestApp| async move {
        let t = tree(&app).await;
        let base = "/api/v1/pairing-letters";
        let proof = paired(&app, &t).await;
        // A second pairing of the same two for an overlapping period is refused at sending;
        // one that starts after the first ends may be sent.
        let mut overlap = letter_body(&t.society, &t.county);
        overlap["period_from"] = json!("2027-01-01");
        overlap["period_to"] = json!("2027-12-31");
        overlap["activities"] =
            json!([{"what": "科普讲座", "month": "2027-05", "place": "区科技馆"}]);
        let (s, b) = app.post(base, Some(&t.society_admin.token), overlap).await;
        assert_eq!(s, 201, "{b}");
        let (s, b) = app
            .post(
                &format!("{base}/{}/send", b["id"].as_str().unwrap()),
                Some(&t.society_admin.token),
                json!({}),
            )
            .await;
        assert_eq!(
            (s, b["code"].as_str()),
            (409, Some("already_paired")),
            "{b}"
        );
        assert!(b["detail"].as_str().unwrap().contains(&proof), "{b}");
        let mut renewal = letter_body(&t.society, &t.county);
        renewal["period_from"] = json!("2027-07-01");
        renewal["period_to"] = json!("2028-06-30");
        renewal["activities"] =
            json!([{"what": "科普讲座", "month": "2027-09", "place": "区科技馆"}]);
        sent_letter(&app, &t, renewal).await;
    }
);

dual_test!(
    letter_content_and_parties_are_checked,
    |app: TestApp| async move {
        let t = tree(&app).await;
        let base = "/api/v1/pairing-letters";
        let create = |token: String, body: Value| {
            let app = &app;
            async move { app.post(base, Some(&token), body).await }
        };
        let society = t.society_admin.token.clone();

        // Who writes: the society's own admins, once the society is approved.
        let (s, _) = create(
            t.county_admin.token.clone(),
            letter_body(&t.society, &t.county),
        )
        .await;
        assert_eq!(s, 403);
        let (s, b) = create(t.city_admin.token.clone(), letter_body(&t.city, &t.county)).await;
        assert_eq!(s, 422);
        assert_eq!(
            fields(&b),
            vec![("sender_id".into(), "sender_not_society".into())]
        );

        // To whom: a county partner, never itself.
        let (_, b) = create(society.clone(), letter_body(&t.society, &t.province)).await;
        assert_eq!(
            fields(&b),
            vec![("recipient_id".into(), "recipient_category".into())]
        );
        let (_, b) = create(society.clone(), letter_body(&t.society, &t.society)).await;
        assert_eq!(
            fields(&b),
            vec![("recipient_id".into(), "pairing_with_itself".into())]
        );
        let pending_owner = app.user("admin@pending.cn").await;
        let pending = app
            .organization(
                &pending_owner,
                "桥西区科学技术协会",
                "county_association",
                "county",
                Some(&t.city),
                "130104",
            )
            .await;
        let (_, b) = create(society.clone(), letter_body(&t.society, &pending)).await;
        assert_eq!(
            fields(&b),
            vec![("recipient_id".into(), "organization_not_found".into())]
        );

        // What: every field problem at once, named by its field.
        let mut bad = letter_body(&t.society, &t.county);
        bad["activities"] = json!([
            {"what": "科普讲座", "month": "2026-13", "place": "区科技馆"},
            {"what": "", "month": "2028-01", "place": "区科技馆"}
        ]);
        bad["contact_phone"] = json!("12345");
        bad["subject"] = json!("函");
        let (s, b) = create(society.clone(), bad).await;
        assert_eq!(s, 422, "{b}");
        let mut f = fields(&b);
        f.sort();
        assert_eq!(
            f,
            vec![
                ("activities[0].month".into(), "invalid_month".into()),
                ("activities[1].month".into(), "month_outside_period".into()),
                ("activities[1].what".into(), "length".into()),
                ("contact_phone".into(), "phone_format".into()),
                ("subject".into(), "length".into()),
            ]
        );
        let mut backwards = letter_body(&t.society, &t.county);
        backwards["period_to"] = json!("2026-06-30");
        let (_, b) = create(society.clone(), backwards).await;
        assert_eq!(
            fields(&b),
            vec![("period_to".into(), "period_ends_before_start".into())]
        );
        let mut none = letter_body(&t.society, &t.county);
        none["activities"] = json!([]);
        let (_, b) = create(society.clone(), none).await;
        assert_eq!(fields(&b), vec![("activities".into(), "length".into())]);
        let (_, outbox) = app.get(base, Some(&society)).await;
        assert!(ids(&outbox).is_empty(), "no refused letter was stored");

        // Withdrawal: before an answer only; nothing is answered after it.
        let (s, d) = create(society.clone(), letter_body(&t.society, &t.county)).await;
        assert_eq!(s, 201);
        let draft = d["id"].as_str().unwrap().to_string();
        let (s, b) = app
            .post(
                &format!("{base}/{draft}/withdraw"),
                Some(&society),
                json!({}),
            )
            .await;
        assert_eq!((s, b["code"].as_str()), (409, Some("letter_not_sent")));
        let w = sent_letter(&app, &t, letter_body(&t.society, &t.county)).await;
        let (s, b) = app
            .post(
                &format!("{base}/{w}/withdraw"),
                Some(&t.county_admin.token),
                json!({}),
            )
            .await;
        assert_eq!(s, 403, "{b}");
        let (s, b) = app
            .post(&format!("{base}/{w}/withdraw"), Some(&society), json!({}))
            .await;
        assert_eq!((s, b["status"].as_str()), (200, Some("withdrawn")));
        for (action, body) in [("accept", json!({})), ("decline", json!({"reason": "无"}))] {
            let (s, b) = app
                .post(
                    &format!("{base}/{w}/{action}"),
                    Some(&t.county_admin.token),
                    body,
                )
                .await;
            assert_eq!((s, b["code"].as_str()), (409, Some("letter_withdrawn")));
        }
        let (s, b) = app
            .post(&format!("{base}/{w}/withdraw"), Some(&society), json!({}))
            .await;
        assert_eq!((s, b["code"].as_str()), (409, Some("letter_withdrawn")));

        // Declining: the reason goes back to the sender; no pairing.
        let dl = sent_letter(&app, &t, letter_body(&t.society, &t.county)).await;
        let (s, b) = app
            .post(
                &format!("{base}/{dl}/decline"),
                Some(&t.county_admin.token),
                json!({"reason": "本年度已与其他学会结对"}),
            )
            .await;
        assert_eq!(s, 200, "{b}");
        let (_, v) = app.get(&format!("{base}/{dl}"), Some(&society)).await;
        assert_eq!(v["status"], "declined");
        assert_eq!(v["decline_reason"], "本年度已与其他学会结对");
        assert!(v["pairing"].is_null());
        assert_eq!(v["history"][2]["side"], "recipient");
        let (_, declined) = app
            .get(&format!("{base}?status=declined"), Some(&society))
            .await;
        assert_eq!(ids(&declined), vec![dl.clone()]);
        let (s, b) = app
            .get(&format!("{base}?status=lost&mailbox=side"), Some(&society))
            .await;
        assert_eq!(s, 422);
        let mut f = fields(&b);
        f.sort();
        assert_eq!(
            f,
            vec![
                ("mailbox".into(), "unknown_mailbox".into()),
                ("status".into(), "unknown_status".into())
            ]
        );
        assert_eq!(app.store_pairings().await, 0);
    }
);

dual_test!(
    unanswered_letters_expire_by_the_clock,
    long_sessions,
    |app: TestApp| async move {
        let t = tree(&app).await;
        let base = "/api/v1/pairing-letters";
        let id = sent_letter(&app, &t, letter_body(&t.society, &t.county)).await;
        let path = format!("{base}/{id}");

        // Still open on the last day.
        app.clock.advance(chrono::Duration::days(30));
        let (_, v) = app.get(&path, Some(&t.county_admin.token)).await;
        assert_eq!(v["status"], "sent");

        // Expired a moment later, with no one acting.
        app.clock.advance(chrono::Duration::minutes(1));
        let (_, v) = app.get(&path, Some(&t.county_admin.token)).await;
        assert_eq!(v["status"], "expired");
        assert!(actions(&v).is_empty());
        let h = history(&v);
        assert_eq!(
            h.last().unwrap(),
            &("expired".to_string(), "system".to_string())
        );
        assert_eq!(v["history"][2]["at"], "2026-07-01T02:00:00Z");
        for (who, action, body) in [
            (&t.county_admin, "accept", json!({})),
            (&t.county_admin, "decline", json!({"reason": "太迟"})),
            (&t.society_admin, "withdraw", json!({})),
        ] {
            let (s, b) = app
                .post(&format!("{path}/{action}"), Some(&who.token), body)
                .await;
            assert_eq!((s, b["code"].as_str()), (409, Some("letter_expired")));
        }
        let (_, expired) = app
            .get(
                &format!("{base}?status=expired"),
                Some(&t.society_admin.token),
            )
            .await;
        assert_eq!(ids(&expired), vec![id.clone()]);
        let (_, sent) = app
            .get(&format!("{base}?status=sent"), Some(&t.society_admin.token))
            .await;
        assert!(ids(&sent).is_empty());
        assert_eq!(app.store_pairings().await, 0);
    }
);

dual_test!(
    concurrent_acceptances_make_one_pairing,
    |app: TestApp| async move {
        let t = tree(&app).await;
        let base = "/api/v1/pairing-letters";

        // A double-clicked (or eightfold) acceptance of one letter.
        let id = sent_letter(&app, &t, letter_body(&t.society, &t.county)).await;
        let accept = format!("{base}/{id}/accept");
        let calls = (0..8).map(|_| app.post(&accept, Some(&t.county_admin.token), json!({})));
        let results = futures_util::future::join_all(calls).await;
        let ok = results.iter().filter(|(s, _)| *s == 200).count();
        assert_eq!(ok, 1, "{results:?}");
        for (s, b) in results.iter().filter(|(s, _)| *s != 200) {
            assert_eq!(
                (*s, b["code"].as_str()),
                (409, Some("letter_already_answered"))
            );
        }
        assert_eq!(app.store_pairings().await, 1);

        // Two letters between the same two for overlapping periods, accepted at once.
        let other_society_admin = app.user("admin@hbcrop.cn").await;
        let other = app
            .approved(
                &t.platform,
                &other_society_admin,
                "河北省作物学会",
                "provincial_society",
                "province",
                "130000",
            )
            .await;
        let mut ids = vec![];
        for _ in 0..2 {
            let (s, b) = app
                .post(
                    base,
                    Some(&other_society_admin.token),
                    letter_body(&other, &t.county),
                )
                .await;
            assert_eq!(s, 201, "{b}");
            let id = b["id"].as_str().unwrap().to_string();
            let (s, _) = app
                .post(
                    &format!("{base}/{id}/send"),
                    Some(&other_society_admin.token),
                    json!({}),
                )
                .await;
            assert_eq!(s, 200);
            ids.push(id);
        }
        let paths: Vec<String> = ids.iter().map(|id| format!("{base}/{id}/accept")).collect();
        let calls = paths
            .iter()
            .map(|p| app.post(p, Some(&t.county_admin.token), json!({})));
        let results = futures_util::future::join_all(calls).await;
        let mut codes: Vec<(u16, Option<String>)> = results
            .iter()
            .map(|(s, b)| (*s, b["code"].as_str().map(str::to_string)))
            .collect();
        codes.sort();
        assert_eq!(
            codes,
            vec![(200, None), (409, Some("already_paired".into()))],
            "{results:?}"
        );
        assert_eq!(app.store_pairings().await, 2);
        let (_, page) = app
            .get("/api/v1/pairings", Some(&t.county_admin.token))
            .await;
        let proofs: Vec<&str> = page["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["proof_number"].as_str().unwrap())
            .collect();
        assert_eq!(proofs, vec!["JD2026000002", "JD2026000001"]);
    }
);

dual_test!(letter_prints_with_its_proof, |app: TestApp| async move {
    let t = tree(&app).await;
    let base = "/api/v1/pairing-letters";
    let id = sent_letter(&app, &t, letter_body(&t.society, &t.county)).await;
    let pdf = |token: String| {
        let app = &app;
        let path = format!("{base}/{id}/pdf");
        async move {
            let r = app.call(Method::GET, &path, Some(&token), None).await;
            let status = r.status().as_u16();
            let kind = r
                .headers()
                .get("content-type")
                .map(|v| v.to_str().unwrap().to_string());
            (status, kind, r.bytes().await.unwrap().to_vec())
        }
    };
    let (s, kind, bytes) = pdf(t.county_admin.token.clone()).await;
    assert_eq!((s, kind.as_deref()), (200, Some("application/pdf")));
    let text = pdf_text(&bytes);
    assert!(text.contains("长安区科学技术协会："), "{text}");
    assert!(text.contains("设施蔬菜病虫害绿色防控技术培训"), "{text}");
    assert!(text.contains("2026年9月"), "{text}");
    assert!(!text.contains("结对证明"), "{text}");

    let (s, _) = app
        .post(
            &format!("{base}/{id}/accept"),
            Some(&t.county_admin.token),
            json!({}),
        )
        .await;
    assert_eq!(s, 200);
    let (s, _, bytes) = pdf(t.province_admin.token.clone()).await;
    assert_eq!(s, 200);
    let text = pdf_text(&bytes);
    assert!(text.contains("长安区科学技术协会"), "{text}");
    assert!(text.contains("JD2026000001"), "{text}");
    assert!(text.contains("河北省农学会"), "{text}");
    assert!(text.contains("2026年6月1日"), "{text}");
    assert!(
        text.contains("138****8000"),
        "masked for those above: {text}"
    );
    let (s, _, _) = pdf(t.outsider.token.clone()).await;
    assert_eq!(s, 404);
});

impl TestApp {
    async fn store_pairings(&self) -> u64 {
        pairing::Entity::find()
            .count(self.store.connection())
            .await
            .unwrap()
    }
}
