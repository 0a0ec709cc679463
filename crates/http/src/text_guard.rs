//! Control characters never enter the service's text.
//!
//! PostgreSQL refuses a NUL in text (the request failed with a 500), SQLite stores it, and
//! either way a NUL or an escape sequence in a title or a name has no business in a
//! document printed, exported or shown in a browser. So every string of a JSON body and
//! every query parameter is checked before a handler runs: C0 controls (U+0000-U+001F), DEL
//! and the C1 controls (U+0080-U+009F) are refused with a 422 naming the field, except tab,
//! line feed and carriage return, which multi-line fields (descriptions, narratives) hold.
//! Both databases therefore answer the same.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::CONTENT_TYPE;
use actix_web::middleware::Next;
use serde_json::Value;
use zhihui_contract::FieldProblem;

use crate::error::ApiError;

/// Whether `c` is a control character that text may not hold.
pub fn forbidden_char(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{2028}' | '\u{2029}')
}

fn problem(field: String) -> FieldProblem {
    FieldProblem {
        field,
        code: zhihui_domain::ProblemCode::ControlCharacter,
        message: "text may not hold control characters (NUL and the like); only tab and line breaks are allowed".into(),
    }
}

/// Every string in `v` (keys too) holding a forbidden character, by its path
/// (`activities[0].what`).
pub fn find_in_json(v: &Value, path: &str, out: &mut Vec<FieldProblem>) {
    match v {
        Value::String(s) if s.chars().any(forbidden_char) => {
            out.push(problem(if path.is_empty() {
                "body".into()
            } else {
                path.into()
            }))
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                find_in_json(item, &format!("{path}[{i}]"), out);
            }
        }
        Value::Object(map) => {
            for (k, item) in map {
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                if k.chars().any(forbidden_char) {
                    out.push(problem(p.chars().filter(|c| !forbidden_char(*c)).collect()));
                    continue;
                }
                find_in_json(item, &p, out);
            }
        }
        _ => {}
    }
}

/// A JSON text can only carry a control character as a `\u00XX` escape (a raw one is not
/// JSON), or U+0080-U+009F and the line separators as UTF-8: a cheap look for either before
/// the body is parsed to name the field.
fn may_hold_controls(body: &[u8]) -> bool {
    body.windows(2).any(|w| w == b"\\u")
        || std::str::from_utf8(body).is_ok_and(|s| s.chars().any(forbidden_char))
}

fn query_problems(query: &str) -> Vec<FieldProblem> {
    url::form_urlencoded::parse(query.as_bytes())
        .filter(|(k, v)| k.chars().any(forbidden_char) || v.chars().any(forbidden_char))
        .map(|(k, _)| problem(k.chars().filter(|c| !forbidden_char(*c)).collect()))
        .collect()
}

pub async fn text_guard(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    if !req.path().starts_with("/api/") {
        return next
            .call(req)
            .await
            .map(ServiceResponse::map_into_boxed_body);
    }
    let mut problems = query_problems(req.query_string());
    let is_json = req
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| {
            let ct = ct
                .split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase();
            ct == "application/json" || ct.ends_with("+json")
        });
    if is_json {
        let limit = req
            .app_data::<actix_web::web::Data<crate::state::AppState>>()
            .map_or(256 * 1024, |s| s.settings.max_body_bytes);
        let body = match crate::middleware::buffer_body(&mut req, limit).await? {
            Ok(b) => b,
            Err(e) => return Ok(req.error_response(e)),
        };
        if may_hold_controls(&body) {
            if let Ok(v) = serde_json::from_slice::<Value>(&body) {
                find_in_json(&v, "", &mut problems);
            }
        }
    }
    if !problems.is_empty() {
        return Ok(req.error_response(ApiError::Validation(problems)));
    }
    next.call(req)
        .await
        .map(ServiceResponse::map_into_boxed_body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_are_found_by_path() {
        let v: Value = serde_json::from_str(
            r#"{"title":"a\u0000b","description":"line\nbreak\ttab","activities":[{"what":"ok"},{"what":"\u001b[31m"}],"n":1}"#,
        )
        .unwrap();
        let mut out = vec![];
        find_in_json(&v, "", &mut out);
        let fields: Vec<&str> = out.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(fields, ["activities[1].what", "title"]);
        assert!(may_hold_controls(br#"{"a":"\u0000"}"#));
        assert!(!may_hold_controls("{\"a\":\"plain 中文\"}".as_bytes()));
        assert!(forbidden_char('\u{85}') && forbidden_char('\u{7f}') && !forbidden_char('\n'));
    }

    #[test]
    fn query_parameters_are_checked_decoded() {
        assert_eq!(query_problems("q=%00x&limit=2")[0].field, "q");
        assert!(query_problems("q=%E4%BF%AE%E5%89%AA&status=published").is_empty());
    }
}
