use std::io::Cursor;

use calamine::{Reader, Xlsx};

use crate::dual_test;
use crate::fixtures::*;
use crate::helpers::*;

fn csv(rows: &[[&str; 4]]) -> Vec<u8> {
    let mut s = String::from("\u{feff}姓名,身份证号,手机号,居住地区代码,服务类别\n");
    for r in rows {
        s.push_str(&format!("{},{},{},{},科普服务\n", r[0], r[1], r[2], r[3]));
    }
    s.into_bytes()
}

dual_test!(
    csv_import_reports_rows_and_reruns_create_nothing_twice,
    |app: TestApp| async move {
        let platform = app.platform_admin().await;
        let admin = app.user("gd@kx.cn").await;
        let outsider = app.user("sh@kx.cn").await;
        let org = app
            .approved(
                &platform,
                &admin,
                "广东省科学技术协会",
                "provincial_association",
                "province",
                "440000",
            )
            .await;
        app.approved(
            &platform,
            &outsider,
            "上海市科学技术协会",
            "provincial_association",
            "province",
            "310000",
        )
        .await;
        let a = id_number("440513", "19800101", "011");
        let b = id_number("440513", "19850505", "022");
        let c = id_number("440513", "19900909", "033");
        let file = csv(&[
            ["张伟", &a, "13800000001", "440513"],
            ["王芳", &b, "13800000002", "440513"],
            ["刘洋", &c, "13800000003", "440500"],
            ["坏校验", "36042619910102009X", "13800000004", "440513"],
            ["坏日期", "360426199113010079", "13800000005", "440513"],
            [
                "坏电话",
                &id_number("440513", "19700101", "044"),
                "10000000000",
                "440513",
            ],
            ["重复", &a, "13800000006", "440513"],
            [
                "无地区",
                &id_number("440513", "19700101", "055"),
                "13800000007",
                "449999",
            ],
        ]);
        let (s, r) = import_volunteers(&app, &org, &outsider.token, "v.csv", file.clone()).await;
        assert_eq!(s, 403, "{r}");

        let (s, r) = import_volunteers(&app, &org, &admin.token, "v.csv", file.clone()).await;
        assert_eq!(s, 201, "{r}");
        assert_eq!(
            (
                r["total_rows"].as_u64(),
                r["created"].as_u64(),
                r["failed"].as_u64()
            ),
            (Some(8), Some(3), Some(5))
        );
        let errs: Vec<(u64, String, String)> = r["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                (
                    e["row"].as_u64().unwrap(),
                    e["field"].as_str().unwrap().into(),
                    e["code"].as_str().unwrap().into(),
                )
            })
            .collect();
        assert_eq!(
            errs,
            vec![
                (5, "身份证号".into(), "id_number_checksum".into()),
                (6, "身份证号".into(), "id_number_birth_date".into()),
                (7, "手机号".into(), "phone_prefix".into()),
                (8, "身份证号".into(), "duplicate_in_file".into()),
                (9, "居住地区代码".into(), "region_not_found".into()),
            ]
        );
        let (_, o) = app.get(&format!("/api/v1/organizations/{org}"), None).await;
        assert_eq!(o["approved_members"], 3);

        // The same file again creates nobody.
        let (s, again) = import_volunteers(&app, &org, &admin.token, "v.csv", file).await;
        assert_eq!(s, 201);
        assert_eq!(
            (again["created"].as_u64(), again["already_members"].as_u64()),
            (Some(0), Some(3))
        );
        let (_, o) = app.get(&format!("/api/v1/organizations/{org}"), None).await;
        assert_eq!(o["approved_members"], 3);
        let (s, members) = app
            .get(
                &format!("/api/v1/organizations/{org}/members?status=approved"),
                Some(&admin.token),
            )
            .await;
        assert_eq!((s, members["items"].as_array().unwrap().len()), (200, 3));

        let id = r["id"].as_str().unwrap();
        let (s, got) = app
            .get(
                &format!("/api/v1/organizations/{org}/volunteer-imports/{id}"),
                Some(&admin.token),
            )
            .await;
        assert_eq!((s, got["errors"].as_array().unwrap().len()), (200, 5));
        assert_eq!(
            app.get(
                &format!("/api/v1/organizations/{org}/volunteer-imports/{id}"),
                Some(&outsider.token)
            )
            .await
            .0,
            403
        );

        let (s, bad) = import_volunteers(
            &app,
            &org,
            &admin.token,
            "x.csv",
            "名字,电话\n张三,138\n".as_bytes().to_vec(),
        )
        .await;
        assert_eq!((s, fields(&bad)[0].1.as_str()), (422, "missing_columns"));
    }
);

dual_test!(xlsx_template_and_import, |app: TestApp| async move {
    let platform = app.platform_admin().await;
    let admin = app.user("gd@kx.cn").await;
    let org = app
        .approved(
            &platform,
            &admin,
            "广东省科学技术协会",
            "provincial_association",
            "province",
            "440000",
        )
        .await;

    let r = app
        .client
        .get(app.url("/api/v1/volunteer-imports/template?format=xlsx"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let bytes = r.bytes().await.unwrap().to_vec();
    let mut wb = Xlsx::new(Cursor::new(bytes)).unwrap();
    let range = wb.worksheet_range_at(0).unwrap().unwrap();
    let header: Vec<String> = range
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert_eq!(
        &header[..4],
        &["姓名", "身份证号", "手机号", "居住地区代码"]
    );
    let (s, body) = app.get("/api/v1/volunteer-imports/template", None).await;
    assert_eq!(s, 200);
    assert!(body
        .as_str()
        .unwrap()
        .contains("姓名,身份证号,手机号,居住地区代码"));

    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (i, h) in ["姓名", "身份证号", "手机号", "居住地区代码"]
        .iter()
        .enumerate()
    {
        ws.write_string(0, i as u16, *h).unwrap();
    }
    for n in 0..20u32 {
        let row = n + 1;
        ws.write_string(row, 0, "陈静").unwrap();
        ws.write_string(
            row,
            1,
            id_number("440513", "19800101", &format!("{:03}", n + 100)),
        )
        .unwrap();
        ws.write_string(row, 2, "13800000001").unwrap();
        ws.write_number(row, 3, 440513.0).unwrap();
    }
    let (s, r) = import_volunteers(
        &app,
        &org,
        &admin.token,
        "v.xlsx",
        wb.save_to_buffer().unwrap(),
    )
    .await;
    assert_eq!(s, 201, "{r}");
    assert_eq!(
        (
            r["format"].as_str(),
            r["created"].as_u64(),
            r["failed"].as_u64()
        ),
        (Some("xlsx"), Some(20), Some(0))
    );
});

dual_test!(
    concurrent_admin_grants_never_exceed_the_seat_cap,
    |app: TestApp| async move {
        let platform = app.platform_admin().await;
        let admin = app.user("gd@kx.cn").await;
        let org = app
            .approved(
                &platform,
                &admin,
                "广东省科学技术协会",
                "provincial_association",
                "province",
                "440000",
            )
            .await;
        // 150 approved members allow 2 admin seats; the registrant holds one.
        let rows: Vec<[String; 4]> = (0..150)
            .map(|n| {
                [
                    "陈静".into(),
                    id_number("440513", "19800101", &format!("{n:03}")),
                    "13800000001".into(),
                    "440513".into(),
                ]
            })
            .collect();
        let refs: Vec<[&str; 4]> = rows
            .iter()
            .map(|r| [r[0].as_str(), r[1].as_str(), r[2].as_str(), r[3].as_str()])
            .collect();
        let (s, r) = import_volunteers(&app, &org, &admin.token, "v.csv", csv(&refs)).await;
        assert_eq!((s, r["created"].as_u64()), (201, Some(150)), "{r}");
        let mut logins = vec![];
        for i in 0..6 {
            let l = format!("candidate{i}@kx.cn");
            app.user(&l).await;
            logins.push(l);
        }
        let path = format!("/api/v1/organizations/{org}/admins");
        let calls = logins
            .iter()
            .map(|l| app.post(&path, Some(&admin.token), serde_json::json!({"login": l})));
        let results = futures_util::future::join_all(calls).await;
        let granted = results.iter().filter(|(s, _)| *s == 201).count();
        let refused = results
            .iter()
            .filter(|(s, b)| *s == 409 && b["code"] == "admin_seat_cap_reached")
            .count();
        assert_eq!((granted, refused), (1, 5), "{results:?}");
        let (_, o) = app
            .get(&format!("/api/v1/organizations/{org}"), Some(&admin.token))
            .await;
        assert_eq!(
            (o["admin_count"].as_u64(), o["admin_seat_cap"].as_u64()),
            (Some(2), Some(2))
        );
        assert_eq!(o["admins"].as_array().unwrap().len(), 2);
    }
);
