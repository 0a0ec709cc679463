use zhihui_http::openapi_document;

#[test]
fn committed_spec_matches_the_code() {
    let generated = serde_json::to_value(openapi_document()).unwrap();
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../openapi/openapi.json");
    let committed: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    assert!(
        generated == committed,
        "openapi/openapi.json is stale: run `cargo run -q -p zhihui-server -- openapi > openapi/openapi.json`"
    );
}

#[test]
fn every_required_operation_is_documented_with_errors() {
    let doc = serde_json::to_value(openapi_document()).unwrap();
    let mut ops = vec![];
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let id = op["operationId"]
                .as_str()
                .unwrap_or_else(|| panic!("{method} {path} has no operationId"));
            ops.push(id.to_string());
            let responses = op["responses"].as_object().unwrap();
            if path.starts_with("/api/v1")
                && path != "/api/v1/regions/{code}"
                && id != "list_regions"
            {
                assert!(
                    responses.keys().any(|k| k.starts_with('4')),
                    "{id} documents no error status"
                );
            }
        }
    }
    for required in [
        "register_account",
        "login",
        "refresh_token",
        "logout",
        "get_me",
        "list_regions",
        "get_region",
        "register_organization",
        "list_organizations",
        "get_organization",
        "update_organization",
        "approve_organization",
        "reject_organization",
        "list_organization_children",
        "grant_organization_admin",
        "revoke_organization_admin",
        "register_volunteer",
        "get_my_volunteer_profile",
        "get_volunteer",
        "list_organization_members",
        "request_membership",
        "approve_membership",
        "reject_membership",
        "leave_organization",
        "create_activity",
        "update_activity",
        "publish_activity",
        "cancel_activity",
        "list_activities",
        "get_activity",
        "sign_up_for_activity",
        "cancel_sign_up",
        "list_activity_sign_ups",
        "issue_check_in_code",
        "check_in",
        "check_out",
        "record_attendance",
        "confirm_service_hours",
        "list_service_records",
        "get_volunteer_summary",
        "issue_certificate",
        "get_certificate",
        "get_certificate_pdf",
        "verify_certificate",
        "create_pairing_letter",
        "update_pairing_letter",
        "send_pairing_letter",
        "withdraw_pairing_letter",
        "accept_pairing_letter",
        "decline_pairing_letter",
        "list_pairing_letters",
        "get_pairing_letter",
        "get_pairing_letter_pdf",
        "list_pairings",
        "get_pairing",
        "create_call",
        "update_call",
        "list_calls",
        "get_call",
        "create_application",
        "update_application",
        "upload_application_attachment",
        "submit_application",
        "endorse_application",
        "decline_endorsement",
        "assign_reviewers",
        "submit_review",
        "decide_application",
        "list_applications",
        "get_application",
        "get_application_history",
        "export_applications",
        "submit_project_summary",
        "prepare_monthly_report",
        "update_monthly_report",
        "submit_monthly_report",
        "return_monthly_report",
        "accept_monthly_report",
        "list_monthly_reports",
        "get_report_rollup",
        "export_report_rollup",
        "get_annual_summary",
        "create_api_client",
        "list_api_clients",
        "rotate_api_client_secret",
        "revoke_api_client",
        "create_webhook_endpoint",
        "list_webhook_endpoints",
        "get_webhook_endpoint",
        "update_webhook_endpoint",
        "delete_webhook_endpoint",
        "rotate_webhook_secret",
        "ping_webhook_endpoint",
        "list_webhook_deliveries",
        "get_webhook_delivery",
        "replay_webhook_delivery",
    ] {
        assert!(
            ops.iter().any(|o| o == required),
            "{required} missing from the spec"
        );
    }
}

/// What a client generator needs of the contract: closed value sets as enums, files as
/// binary strings, bounded page sizes, the API key where it is accepted, the deliveries a
/// webhook receiver gets, and a plain-ASCII title (generators derive package names from it).
#[test]
fn the_contract_serves_generated_clients() {
    let doc = serde_json::to_value(openapi_document()).unwrap();
    fn walk(v: &serde_json::Value, f: &mut impl FnMut(&serde_json::Value)) {
        f(v);
        match v {
            serde_json::Value::Object(m) => m.values().for_each(|x| walk(x, f)),
            serde_json::Value::Array(a) => a.iter().for_each(|x| walk(x, f)),
            _ => {}
        }
    }
    let (mut enums, mut byte_arrays) = (0, 0);
    walk(&doc, &mut |v| {
        if v.get("enum").is_some() {
            enums += 1;
        }
        if v["type"] == "array" && v["items"]["type"] == "integer" {
            byte_arrays += 1;
        }
    });
    assert!(enums >= 40, "{enums} enums");
    assert_eq!(byte_arrays, 0, "files are `type: string, format: binary`");
    assert!(doc["info"]["title"].as_str().unwrap().is_ascii());

    let mut with_key = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            for p in op["parameters"].as_array().into_iter().flatten() {
                if p["name"] == "limit" {
                    assert_eq!(p["schema"]["maximum"], 200, "{method} {path}");
                    assert_eq!(p["schema"]["minimum"], 1, "{method} {path}");
                }
            }
            for p in op["parameters"].as_array().into_iter().flatten() {
                if p["name"] == "If-Match" {
                    assert_eq!(p["schema"]["type"], "string", "{method} {path}: never null");
                }
            }
            for (status, r) in op["responses"].as_object().into_iter().flatten() {
                let Some(content) = r["content"].as_object() else {
                    continue;
                };
                if content.keys().any(|m| !m.contains("json")) {
                    assert_eq!(
                        content.keys().next().map(String::as_str),
                        Some("application/octet-stream"),
                        "{method} {path} {status}: bytes first, for clients that take the first type they know"
                    );
                }
            }
            let security = op["security"].as_array().cloned().unwrap_or_default();
            if security.iter().any(|r| r.get("api_key").is_some()) {
                with_key += 1;
            }
        }
    }
    assert!(with_key >= 50, "{with_key} operations take the API key");
    // Operations for people only do not offer the key.
    let me = &doc["paths"]["/api/v1/me"]["get"]["security"];
    assert!(me
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r.get("api_key").is_none()));
    let list = &doc["paths"]["/api/v1/activities/{id}/sign-ups"]["get"]["security"];
    assert!(list.to_string().contains("activities:read"), "{list}");

    let hooks = doc["webhooks"].as_object().expect("a webhooks section");
    for t in zhihui_domain::integration::EventType::ALL {
        let hook = &hooks[t.as_str()]["post"];
        let schema = &hook["requestBody"]["content"]["application/json"]["schema"]["allOf"];
        assert_eq!(
            schema[0]["$ref"],
            "#/components/schemas/WebhookEvent",
            "{}",
            t.as_str()
        );
        // Each event type names its own resource schema, and the schema exists.
        let resource = schema[1]["properties"]["resource"]["$ref"]
            .as_str()
            .unwrap();
        let name = resource.trim_start_matches("#/components/schemas/");
        assert_eq!(name, zhihui_contract::events::resource_schema(*t));
        assert!(doc["components"]["schemas"].get(name).is_some(), "{name}");
        assert_eq!(schema[1]["properties"]["type"]["const"], t.as_str());
    }
}

#[test]
fn committed_error_catalogue_matches_the_code() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/errors.md");
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        committed == zhihui_http::error::catalogue_markdown(),
        "docs/errors.md is stale: run `cargo run -q -p zhihui-server -- errors > docs/errors.md`"
    );
}

/// Every problem code the spec names is one the catalogue answers with that status, and
/// every documented error response lists its codes.
#[test]
fn every_error_response_lists_catalogue_codes_of_its_status() {
    use zhihui_domain::ProblemCode;
    let doc = serde_json::to_value(openapi_document()).unwrap();
    let enum_codes: Vec<&str> = doc["components"]["schemas"]["Problem"]["properties"]["code"]
        ["enum"]
        .as_array()
        .expect("Problem.code is an enum")
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert!(enum_codes.contains(&"not_your_organization"));
    let mut listed = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            for (status, r) in op["responses"].as_object().unwrap() {
                let Ok(status) = status.parse::<u16>() else {
                    continue;
                };
                if status < 400
                    || status == 405
                    || status == 404 && r.get("x-problem-codes").is_none()
                {
                    continue;
                }
                let codes = r["x-problem-codes"]
                    .as_array()
                    .unwrap_or_else(|| panic!("{method} {path} {status} lists no codes"));
                for c in codes {
                    let c = ProblemCode::parse(c.as_str().unwrap()).expect("a catalogue code");
                    assert_eq!(c.status(), status, "{method} {path}: {c} under {status}");
                    assert!(enum_codes.contains(&c.as_str()));
                    listed += 1;
                }
            }
        }
    }
    assert!(listed > 300, "{listed}");
}

/// Every 201 says where the new resource is read, and every operation says what
/// credentials it takes (a public one: none, or an optional token it checks).
#[test]
fn created_answers_carry_location_and_every_operation_declares_security() {
    let doc = serde_json::to_value(openapi_document()).unwrap();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            if let Some(r) = op["responses"].get("201") {
                assert!(
                    r["headers"].get("Location").is_some(),
                    "{method} {path}: 201 without Location"
                );
            }
            let security = op["security"]
                .as_array()
                .unwrap_or_else(|| panic!("{method} {path} declares no security"));
            assert!(!security.is_empty(), "{method} {path}");
            let optional = security.iter().any(|s| s == &serde_json::json!({}));
            let bearer = security.iter().any(|s| s.get("bearer").is_some());
            if optional && bearer {
                assert!(
                    op["responses"].get("401").is_some(),
                    "{method} {path} checks a sent token but documents no 401"
                );
            }
        }
    }
}
