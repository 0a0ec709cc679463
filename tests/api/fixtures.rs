//! The worlds the API tests start from, built through the API as a user would: an approved
//! organisation with its admins (`World`), the society-province-city-county tree
//! (`Tree`), volunteers and members, activities, letters and calls. Request bodies are the
//! contract's DTOs, so a test sends what a generated client would.

use std::process::Command;

use chrono::{DateTime, TimeZone, Utc};
use reqwest::multipart::{Form, Part};
use serde_json::{json, Value};

use zhihui_contract::activities::CreateActivityRequest;
use zhihui_contract::applications::{CreateCallRequest, Criterion};
use zhihui_contract::pairing::{CreatePairingLetterRequest, ProposedActivity};

use crate::helpers::*;

/// A request DTO as the JSON a client sends; tests change single fields of it to probe a
/// rule.
pub fn body(dto: impl serde::Serialize) -> Value {
    serde_json::to_value(dto).unwrap()
}

pub fn day(y: i32, m: u32, d: u32) -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// An approved organisation with its admin, and a second organisation with its own admin.
pub struct World {
    pub platform: User,
    pub admin: User,
    pub org: String,
    pub other_admin: User,
    pub other_org: String,
}

pub async fn world(app: &TestApp) -> World {
    let platform = app.platform_admin().await;
    let admin = app.user("admin@kexie.cn").await;
    let org = app
        .approved(
            &platform,
            &admin,
            "北京市科协科技志愿服务总队",
            "provincial_association",
            "province",
            "110000",
        )
        .await;
    let other_admin = app.user("admin@other.cn").await;
    let other_org = app
        .approved(
            &platform,
            &other_admin,
            "中国农学会",
            "national_society",
            "national",
            "110000",
        )
        .await;
    World {
        platform,
        admin,
        org,
        other_admin,
        other_org,
    }
}

/// A signed-in volunteer: (account, volunteer id). `n` makes the ID number unique.
pub async fn volunteer(app: &TestApp, n: u32, name: &str) -> (User, String) {
    let u = app.user(&format!("v{n}@zh.cn")).await;
    let mut body = volunteer_body(&id_number(
        "110105",
        "19900101",
        &format!("{:03}", n % 1000),
    ));
    body["name"] = json!(name);
    let (s, b) = app.post("/api/v1/volunteers", Some(&u.token), body).await;
    assert_eq!(s, 201, "{b}");
    (u, b["id"].as_str().unwrap().to_string())
}

/// Makes the volunteer an approved member of the organisation.
pub async fn member(app: &TestApp, admin: &User, org: &str, v: &User) {
    let (s, m) = app
        .post(
            &format!("/api/v1/organizations/{org}/memberships"),
            Some(&v.token),
            json!({}),
        )
        .await;
    assert_eq!(s, 201, "{m}");
    let (s, b) = app
        .post(
            &format!(
                "/api/v1/organizations/{org}/memberships/{}/approve",
                m["id"].as_str().unwrap()
            ),
            Some(&admin.token),
            json!({}),
        )
        .await;
    assert_eq!(s, 200, "{b}");
}

pub fn at(day: u32, hour: u32, minute: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 6, day, hour, minute, 0).unwrap()
}

/// A four-hour technical-service activity of `org` on a June day, as a draft body.
pub fn activity_body(org: &str, day: u32, capacity: i32) -> Value {
    body(CreateActivityRequest {
        organization_id: org.parse().unwrap(),
        title: "果树冬季修剪技术指导".into(),
        category: "technical_service".into(),
        description: "为果农讲解修剪要点并现场示范".into(),
        starts_at: at(day, 1, 0),
        ends_at: at(day, 5, 0),
        place: "平谷区大华山镇果品合作社".into(),
        region_code: "110117".into(),
        capacity,
        sign_up_opens_at: None,
        sign_up_closes_at: None,
        members_only: false,
        key_date: None,
        leader_ids: vec![],
        service_point_id: None,
    })
}

/// Creates and publishes an activity; returns its id.
pub async fn published(app: &TestApp, admin: &User, body: Value) -> String {
    let (s, a) = app
        .post("/api/v1/activities", Some(&admin.token), body)
        .await;
    assert_eq!(s, 201, "{a}");
    let id = a["id"].as_str().unwrap().to_string();
    let (s, b) = app
        .post(
            &format!("/api/v1/activities/{id}/publish"),
            Some(&admin.token),
            json!({}),
        )
        .await;
    assert_eq!(s, 200, "{b}");
    id
}

/// A society, a county association two levels under a provincial association, and an
/// unrelated organisation, each with its own admin.
pub struct Tree {
    pub platform: User,
    /// Admin of the provincial society that writes letters.
    pub society_admin: User,
    pub society: String,
    /// Admin of the provincial association above the city and the county.
    pub province_admin: User,
    pub province: String,
    pub city_admin: User,
    pub city: String,
    pub county_admin: User,
    pub county: String,
    pub outsider: User,
    pub outsider_org: String,
}

pub async fn child(
    app: &TestApp,
    parent_admin: &User,
    owner: &User,
    name: &str,
    (category, level): (&str, &str),
    parent: &str,
    region: &str,
) -> String {
    let id = app
        .organization(owner, name, category, level, Some(parent), region)
        .await;
    let (s, b) = app
        .post(
            &format!("/api/v1/organizations/{id}/approve"),
            Some(&parent_admin.token),
            json!({}),
        )
        .await;
    assert_eq!(s, 200, "{b}");
    id
}

pub async fn tree(app: &TestApp) -> Tree {
    let platform = app.platform_admin().await;
    let society_admin = app.user("admin@hbsociety.cn").await;
    let society = app
        .approved(
            &platform,
            &society_admin,
            "河北省农学会",
            "provincial_society",
            "province",
            "130000",
        )
        .await;
    let province_admin = app.user("admin@hebkx.cn").await;
    let province = app
        .approved(
            &platform,
            &province_admin,
            "河北省科学技术协会",
            "provincial_association",
            "province",
            "130000",
        )
        .await;
    let city_admin = app.user("admin@sjzkx.cn").await;
    let city = child(
        app,
        &province_admin,
        &city_admin,
        "石家庄市科学技术协会",
        ("city_association", "city"),
        &province,
        "130100",
    )
    .await;
    let county_admin = app.user("admin@cakx.cn").await;
    let county = child(
        app,
        &city_admin,
        &county_admin,
        "长安区科学技术协会",
        ("county_association", "county"),
        &city,
        "130102",
    )
    .await;
    let outsider = app.user("admin@bjkx.cn").await;
    let outsider_org = app
        .approved(
            &platform,
            &outsider,
            "北京市科学技术协会",
            "provincial_association",
            "province",
            "110000",
        )
        .await;
    Tree {
        platform,
        society_admin,
        society,
        province_admin,
        province,
        city_admin,
        city,
        county_admin,
        county,
        outsider,
        outsider_org,
    }
}

/// A letter from `sender` to `recipient` proposing two activities over a year.
pub fn letter_body(sender: &str, recipient: &str) -> Value {
    let proposed = |what: &str, month: &str, place: &str| ProposedActivity {
        what: what.into(),
        month: month.into(),
        place: place.into(),
    };
    body(CreatePairingLetterRequest {
        sender_id: sender.parse().unwrap(),
        recipient_id: recipient.parse().unwrap(),
        subject: "关于商请共同开展科技志愿服务活动的函".into(),
        purpose:
            "为深入贯彻落实科技志愿服务工作部署，发挥学会人才和技术优势，助力基层农业产业发展。"
                .into(),
        activities: vec![
            proposed(
                "设施蔬菜病虫害绿色防控技术培训",
                "2026-09",
                "长安区农业技术推广中心",
            ),
            proposed("果树冬季修剪现场指导", "2027-01", "西兆通镇果品合作社"),
        ],
        period_from: day(2026, 7, 1),
        period_to: day(2027, 6, 30),
        contact_name: "王建国".into(),
        contact_phone: "13800138000".into(),
    })
}

/// Creates and sends a letter; returns its id.
pub async fn sent_letter(app: &TestApp, t: &Tree, body: Value) -> String {
    let (s, b) = app
        .post(
            "/api/v1/pairing-letters",
            Some(&t.society_admin.token),
            body,
        )
        .await;
    assert_eq!(s, 201, "{b}");
    let id = b["id"].as_str().unwrap().to_string();
    let (s, b) = app
        .post(
            &format!("/api/v1/pairing-letters/{id}/send"),
            Some(&t.society_admin.token),
            json!({}),
        )
        .await;
    assert_eq!(s, 200, "{b}");
    id
}

/// Text of a PDF, extracted with poppler's `pdftotext` (the CI installs poppler-utils).
pub fn pdf_text(bytes: &[u8]) -> String {
    let dir = std::env::temp_dir().join("zhihui-tests");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{}.pdf", uuid::Uuid::new_v4()));
    std::fs::write(&path, bytes).unwrap();
    if let Ok(keep) = std::env::var("ZHIHUI_KEEP_PDF") {
        std::fs::copy(&path, keep).unwrap();
    }
    let out = Command::new("pdftotext")
        .arg("-enc")
        .arg("UTF-8")
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (Debian poppler-utils) is needed for this test");
    let _ = std::fs::remove_file(&path);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Uploads a volunteer roster (CSV or XLSX) to `org`.
pub async fn import_volunteers(
    app: &TestApp,
    org: &str,
    token: &str,
    name: &str,
    bytes: Vec<u8>,
) -> (u16, Value) {
    let form = Form::new().part("file", Part::bytes(bytes).file_name(name.to_string()));
    let r = app
        .client
        .post(app.url(&format!("/api/v1/organizations/{org}/volunteer-imports")))
        .bearer_auth(token)
        .multipart(form)
        .send()
        .await
        .unwrap();
    split(r).await
}

/// A published activity of `org` on a June day in `region`, the volunteers signed up, and
/// their hours confirmed after it ends. Leaves the clock just after the end.
pub async fn served(
    app: &TestApp,
    admin: &User,
    org: &str,
    region: &str,
    day: u32,
    volunteers: &[(&User, &str, f64)],
) -> String {
    served_from(app, admin, org, region, at(day, 1, 0), volunteers).await
}

/// The same for an activity from `starts` to four hours later, on any day.
pub async fn served_from(
    app: &TestApp,
    admin: &User,
    org: &str,
    region: &str,
    starts: chrono::DateTime<Utc>,
    volunteers: &[(&User, &str, f64)],
) -> String {
    app.clock
        .set(starts - chrono::Duration::hours(1) - chrono::Duration::days(1));
    let mut body = activity_body(org, 1, 30);
    body["starts_at"] = json!(starts);
    body["ends_at"] = json!(starts + chrono::Duration::hours(4));
    body["region_code"] = json!(region);
    let id = published(app, admin, body).await;
    for (v, _, _) in volunteers {
        let (s, b) = app
            .post(
                &format!("/api/v1/activities/{id}/sign-ups"),
                Some(&v.token),
                json!({}),
            )
            .await;
        assert_eq!(s, 201, "{b}");
    }
    app.clock.set(starts + chrono::Duration::hours(5));
    if volunteers.is_empty() {
        return id;
    }
    let entries: Vec<Value> = volunteers
        .iter()
        .map(|(_, vid, h)| json!({"volunteer_id": vid, "hours": h}))
        .collect();
    let (s, b) = app
        .post(
            &format!("/api/v1/activities/{id}/service-hours"),
            Some(&admin.token),
            json!({"entries": entries}),
        )
        .await;
    assert_eq!(s, 200, "{b}");
    id
}

/// An open call of the rural tour: societies, a pairing and the provincial association's
/// endorsement required, one endorsement per province.
pub fn call_body() -> Value {
    body(CreateCallRequest {
        programme: "智惠行动".into(),
        sub_project: "百会百县乡村行".into(),
        year: 2026,
        opens_at: Utc.with_ymd_and_hms(2026, 5, 31, 0, 0, 0).unwrap(),
        closes_at: Utc.with_ymd_and_hms(2026, 7, 1, 0, 0, 0).unwrap(),
        eligible_categories: vec!["national_society".into(), "provincial_society".into()],
        form_variant: "society".into(),
        cap_fen: 20_000_000,
        pairing_required: true,
        endorsement_required: true,
        province_quota: Some(1),
        summary_due: day(2027, 8, 31),
        criteria: vec![
            Criterion {
                name: "可行性".into(),
                weight: 60,
            },
            Criterion {
                name: "效益".into(),
                weight: 40,
            },
        ],
    })
}

/// A letter from the tree's society to its county, sent and accepted; returns the
/// pairing's proof number.
pub async fn paired(app: &TestApp, t: &Tree) -> String {
    let id = sent_letter(app, t, letter_body(&t.society, &t.county)).await;
    let (s, b) = app
        .post(
            &format!("/api/v1/pairing-letters/{id}/accept"),
            Some(&t.county_admin.token),
            json!({}),
        )
        .await;
    assert_eq!(s, 200, "{b}");
    b["pairing"]["proof_number"].as_str().unwrap().to_string()
}
