//! The one typed request helper: adds the bearer token, renews it with the refresh token
//! when it has expired, and turns problem documents into [`ApiError`]s whose field errors
//! the forms show beside their fields.
//!
//! The access token lives only in memory. The refresh token is kept in the tab's
//! `sessionStorage`, so a reload keeps the person signed in while closing the tab (or
//! signing out) ends the session.

use std::cell::RefCell;

use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use zhihui_contract::accounts::{RefreshTokenRequest, TokenResponse};
use zhihui_contract::problem::Problem;

/// Where the API lives, relative to the page (the service serves both).
pub const API: &str = "/api/v1";
const REFRESH_KEY: &str = "zhihui.refresh";

thread_local! {
    static ACCESS: RefCell<Option<String>> = const { RefCell::new(None) };
    /// A renewal of the tokens is under way.
    static REFRESHING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// A failed request, as the forms and pages need it.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    /// HTTP status; 0 when the service could not be reached.
    pub status: u16,
    /// The problem's stable machine code (`network` when unreachable).
    pub code: String,
    /// The service's own sentence (shown when no translation exists for the code).
    pub detail: String,
    /// Field errors: (field, code, message).
    pub fields: Vec<FieldMessage>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct FieldMessage {
    pub field: String,
    pub code: String,
    pub message: String,
}

impl ApiError {
    pub fn network() -> Self {
        Self {
            status: 0,
            code: "network".into(),
            detail: "the service could not be reached".into(),
            fields: vec![],
        }
    }

    /// The first error on `field` (or on an element of it, `field[2]` or `field.name`).
    pub fn field(&self, field: &str) -> Option<&FieldMessage> {
        self.fields.iter().find(|f| {
            f.field == field
                || f.field
                    .strip_prefix(field)
                    .is_some_and(|rest| rest.starts_with('[') || rest.starts_with('.'))
        })
    }
}

/// Turns an error answer's status and body into an [`ApiError`]. A body that is not a
/// problem document (a proxy's HTML page, say) still gives a usable error.
pub fn error_from_answer(status: u16, body: &str) -> ApiError {
    match serde_json::from_str::<Problem>(body) {
        Ok(p) => ApiError {
            status,
            code: p.code.as_str().into(),
            detail: p.detail.unwrap_or(p.title),
            fields: p
                .errors
                .into_iter()
                .map(|f| FieldMessage {
                    field: f.field,
                    code: f.code.as_str().into(),
                    message: f.message,
                })
                .collect(),
        },
        Err(_) => ApiError {
            status,
            code: match status {
                401 => "authentication_required",
                403 => "forbidden",
                404 => "not_found",
                429 => "rate_limited",
                502..=504 => "service_unavailable",
                _ => "unexpected",
            }
            .into(),
            detail: format!("HTTP {status}"),
            fields: vec![],
        },
    }
}

pub fn set_tokens(tokens: Option<&TokenResponse>) {
    ACCESS.with(|a| *a.borrow_mut() = tokens.map(|t| t.access_token.clone()));
    if let Some(storage) = session_storage() {
        let _ = match tokens {
            Some(t) => storage.set_item(REFRESH_KEY, &t.refresh_token),
            None => storage.remove_item(REFRESH_KEY),
        };
    }
}

pub fn has_refresh_token() -> bool {
    stored_refresh().is_some()
}

fn stored_refresh() -> Option<String> {
    session_storage()?.get_item(REFRESH_KEY).ok().flatten()
}

/// Keeps a value for this tab (until [`take`]).
pub fn keep(key: &str, value: &str) {
    if let Some(s) = session_storage() {
        let _ = s.set_item(key, value);
    }
}

/// The value kept under `key`, removed.
pub fn take(key: &str) -> Option<String> {
    let s = session_storage()?;
    let v = s.get_item(key).ok().flatten();
    let _ = s.remove_item(key);
    v
}

fn session_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok().flatten()
}

/// Exchanges the stored refresh token for new tokens; false when there is none, or when
/// it could not be renewed now.
///
/// Only a refusal of the token itself (400 or 401: expired, revoked, already used) ends the
/// session. A 429 waits for its `Retry-After` and tries again; an unreachable service or a
/// 5xx keeps the session for the next attempt. Requests that need a renewal while one is
/// under way wait for it instead of spending the single-use token a second time.
pub async fn refresh() -> bool {
    if REFRESHING.with(|r| r.get()) {
        while REFRESHING.with(|r| r.get()) {
            gloo_timers::future::TimeoutFuture::new(50).await;
        }
        return bearer().is_some();
    }
    REFRESHING.with(|r| r.set(true));
    let renewed = renew().await;
    REFRESHING.with(|r| r.set(false));
    renewed
}

async fn renew() -> bool {
    for _ in 0..4 {
        let Some(refresh_token) = stored_refresh() else {
            return false;
        };
        let body = json(&RefreshTokenRequest { refresh_token });
        let Ok(resp) = fetch(
            "POST",
            &format!("{API}/auth/refresh"),
            Some(body),
            None,
            None,
        )
        .await
        else {
            return false;
        };
        let text = match resp.text() {
            Ok(p) => JsFuture::from(p).await.ok().and_then(|v| v.as_string()),
            Err(_) => None,
        }
        .unwrap_or_default();
        match resp.status() {
            200 => {
                return match serde_json::from_str::<TokenResponse>(&text) {
                    Ok(t) => {
                        set_tokens(Some(&t));
                        true
                    }
                    Err(_) => false,
                }
            }
            400 | 401 => {
                set_tokens(None);
                return false;
            }
            429 => {
                let wait: u32 = resp
                    .headers()
                    .get("retry-after")
                    .ok()
                    .flatten()
                    .and_then(|v| v.trim().parse().ok())
                    .unwrap_or(5);
                gloo_timers::future::TimeoutFuture::new(wait.clamp(1, 60) * 1000).await;
            }
            _ => return false,
        }
    }
    false
}

/// Signs out: revokes the refresh token on the service and forgets both tokens.
pub async fn sign_out() {
    if let Some(refresh_token) = stored_refresh() {
        let body = RefreshTokenRequest { refresh_token };
        let _ = raw(
            "POST",
            &format!("{API}/auth/logout"),
            Some(json(&body)),
            None,
            None,
        )
        .await;
    }
    set_tokens(None);
}

fn json<B: Serialize>(body: &B) -> String {
    serde_json::to_string(body).unwrap_or_default()
}

fn bearer() -> Option<String> {
    ACCESS.with(|a| a.borrow().clone())
}

/// One fetch; returns the status and the body text.
async fn raw(
    method: &str,
    url: &str,
    body: Option<String>,
    token: Option<String>,
    extra: Option<(&str, &str)>,
) -> Result<(u16, String), ApiError> {
    let resp = fetch(method, url, body, token, extra).await?;
    let text = match resp.text() {
        Ok(p) => JsFuture::from(p).await.ok().and_then(|v| v.as_string()),
        Err(_) => None,
    }
    .unwrap_or_default();
    Ok((resp.status(), text))
}

async fn fetch(
    method: &str,
    url: &str,
    body: Option<String>,
    token: Option<String>,
    extra: Option<(&str, &str)>,
) -> Result<web_sys::Response, ApiError> {
    let window = web_sys::window().ok_or_else(ApiError::network)?;
    let init = web_sys::RequestInit::new();
    init.set_method(method);
    let headers = web_sys::Headers::new().map_err(|_| ApiError::network())?;
    let _ = headers.set("accept", "application/json, application/problem+json");
    if let Some(t) = token {
        let _ = headers.set("authorization", &format!("Bearer {t}"));
    }
    if let Some(b) = body {
        let _ = headers.set("content-type", "application/json");
        init.set_body(&JsValue::from_str(&b));
    }
    if let Some((k, v)) = extra {
        let _ = headers.set(k, v);
    }
    init.set_headers(&headers);
    let request =
        web_sys::Request::new_with_str_and_init(url, &init).map_err(|_| ApiError::network())?;
    let value = JsFuture::from(window.fetch_with_request(&request))
        .await
        .map_err(|_| ApiError::network())?;
    value
        .dyn_into::<web_sys::Response>()
        .map_err(|_| ApiError::network())
}

/// Sends a request with the current token; on a 401 renews the token once and repeats.
async fn send(method: &str, path: &str, body: Option<String>) -> Result<(u16, String), ApiError> {
    send_with(method, path, body, None).await
}

async fn send_with(
    method: &str,
    path: &str,
    body: Option<String>,
    extra: Option<(&str, &str)>,
) -> Result<(u16, String), ApiError> {
    let url = format!("{API}{path}");
    let first = raw(method, &url, body.clone(), bearer(), extra).await?;
    if first.0 == 401 && has_refresh_token() && refresh().await {
        return raw(method, &url, body, bearer(), extra).await;
    }
    Ok(first)
}

fn decode<T: DeserializeOwned>(status: u16, text: &str) -> Result<T, ApiError> {
    if (200..300).contains(&status) {
        // 204 has no body: `()` decodes from JSON null.
        let text = if text.trim().is_empty() { "null" } else { text };
        serde_json::from_str(text).map_err(|e| ApiError {
            status,
            code: "unexpected_answer".into(),
            detail: e.to_string(),
            fields: vec![],
        })
    } else {
        Err(error_from_answer(status, text))
    }
}

pub async fn get<T: DeserializeOwned>(path: &str) -> Result<T, ApiError> {
    let (status, text) = send("GET", path, None).await?;
    decode(status, &text)
}

pub async fn post<B: Serialize, T: DeserializeOwned>(path: &str, body: &B) -> Result<T, ApiError> {
    let (status, text) = send("POST", path, Some(json(body))).await?;
    decode(status, &text)
}

/// A POST without a body (actions such as publish, approve, submit).
pub async fn act<T: DeserializeOwned>(path: &str) -> Result<T, ApiError> {
    let (status, text) = send("POST", path, None).await?;
    decode(status, &text)
}

pub async fn put<B: Serialize, T: DeserializeOwned>(path: &str, body: &B) -> Result<T, ApiError> {
    let (status, text) = send("PUT", path, Some(json(body))).await?;
    decode(status, &text)
}

/// A PUT of a long-lived document (report, letter) guarded by the version that was read:
/// someone else's newer change answers 412 `version_mismatch` instead of being overwritten.
pub async fn put_version<B: Serialize, T: DeserializeOwned>(
    path: &str,
    body: &B,
    version: i32,
) -> Result<T, ApiError> {
    let tag = format!("\"{version}\"");
    let (status, text) = send_with("PUT", path, Some(json(body)), Some(("if-match", &tag))).await?;
    decode(status, &text)
}

/// A POST with a body on a long-lived document, guarded by the version that was read.
pub async fn post_version<B: Serialize, T: DeserializeOwned>(
    path: &str,
    body: &B,
    version: i32,
) -> Result<T, ApiError> {
    let tag = format!("\"{version}\"");
    let (status, text) =
        send_with("POST", path, Some(json(body)), Some(("if-match", &tag))).await?;
    decode(status, &text)
}

/// An action on a long-lived document guarded by the version that was read.
pub async fn act_version<T: DeserializeOwned>(path: &str, version: i32) -> Result<T, ApiError> {
    let tag = format!("\"{version}\"");
    let (status, text) = send_with("POST", path, None, Some(("if-match", &tag))).await?;
    decode(status, &text)
}

/// A partial change (only the fields sent change).
pub async fn patch<B: Serialize, T: DeserializeOwned>(path: &str, body: &B) -> Result<T, ApiError> {
    let (status, text) = send("PATCH", path, Some(json(body))).await?;
    decode(status, &text)
}

pub async fn delete<T: DeserializeOwned>(path: &str) -> Result<T, ApiError> {
    let (status, text) = send("DELETE", path, None).await?;
    decode(status, &text)
}

/// Uploads a file as the multipart field `file` (attachments, photos).
pub async fn upload<T: DeserializeOwned>(path: &str, file: &web_sys::File) -> Result<T, ApiError> {
    let url = format!("{API}{path}");
    let send_once = || async {
        let form = web_sys::FormData::new().map_err(|_| ApiError::network())?;
        form.append_with_blob_and_filename("file", file, &file.name())
            .map_err(|_| ApiError::network())?;
        let window = web_sys::window().ok_or_else(ApiError::network)?;
        let init = web_sys::RequestInit::new();
        init.set_method("POST");
        let headers = web_sys::Headers::new().map_err(|_| ApiError::network())?;
        if let Some(t) = bearer() {
            let _ = headers.set("authorization", &format!("Bearer {t}"));
        }
        init.set_headers(&headers);
        init.set_body(&form);
        let request = web_sys::Request::new_with_str_and_init(&url, &init)
            .map_err(|_| ApiError::network())?;
        let resp: web_sys::Response = JsFuture::from(window.fetch_with_request(&request))
            .await
            .map_err(|_| ApiError::network())?
            .dyn_into()
            .map_err(|_| ApiError::network())?;
        let text = match resp.text() {
            Ok(p) => JsFuture::from(p).await.ok().and_then(|v| v.as_string()),
            Err(_) => None,
        }
        .unwrap_or_default();
        Ok::<_, ApiError>((resp.status(), text))
    };
    let mut answer = send_once().await?;
    if answer.0 == 401 && has_refresh_token() && refresh().await {
        answer = send_once().await?;
    }
    decode(answer.0, &answer.1)
}

/// Signs in and keeps the tokens.
pub async fn login(login: &str, password: &str) -> Result<(), ApiError> {
    let body = zhihui_contract::accounts::LoginRequest {
        login: login.to_string(),
        password: password.to_string(),
    };
    let (status, text) = raw(
        "POST",
        &format!("{API}/auth/login"),
        Some(json(&body)),
        None,
        None,
    )
    .await?;
    let tokens: TokenResponse = decode(status, &text)?;
    set_tokens(Some(&tokens));
    Ok(())
}

/// Downloads a file the API serves (a certificate PDF, an Excel export) with the bearer
/// token, and hands it to the browser as a download named `file_name`.
pub async fn download(path: &str, file_name: &str) -> Result<(), ApiError> {
    let url = format!("{API}{path}");
    let mut resp = fetch("GET", &url, None, bearer(), None).await?;
    if resp.status() == 401 && has_refresh_token() && refresh().await {
        resp = fetch("GET", &url, None, bearer(), None).await?;
    }
    if !resp.ok() {
        let text = match resp.text() {
            Ok(p) => JsFuture::from(p).await.ok().and_then(|v| v.as_string()),
            Err(_) => None,
        }
        .unwrap_or_default();
        return Err(error_from_answer(resp.status(), &text));
    }
    let blob = match resp.blob() {
        Ok(p) => JsFuture::from(p).await.map_err(|_| ApiError::network())?,
        Err(_) => return Err(ApiError::network()),
    };
    let blob: web_sys::Blob = blob.dyn_into().map_err(|_| ApiError::network())?;
    let object_url =
        web_sys::Url::create_object_url_with_blob(&blob).map_err(|_| ApiError::network())?;
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or_else(ApiError::network)?;
    let anchor: web_sys::HtmlAnchorElement = document
        .create_element("a")
        .map_err(|_| ApiError::network())?
        .dyn_into()
        .map_err(|_| ApiError::network())?;
    anchor.set_href(&object_url);
    anchor.set_download(file_name);
    anchor.click();
    let _ = web_sys::Url::revoke_object_url(&object_url);
    Ok(())
}

/// Approved organisations whose name holds `q`, narrowed by `filter` (extra query
/// parameters such as `level=county&`), as (id, "name · region") for pickers. A failed search
/// finds nothing; the pickers show an empty list.
pub async fn find_organizations(filter: &str, q: &str) -> Vec<(uuid::Uuid, String)> {
    let path = format!(
        "/organizations?status=approved&{filter}limit=20&q={}",
        enc(q.trim())
    );
    match get::<zhihui_contract::organizations::OrganizationPage>(&path).await {
        Ok(p) => p
            .items
            .into_iter()
            .map(|o| (o.id, format!("{} · {}", o.name, o.region_name)))
            .collect(),
        Err(_) => vec![],
    }
}

/// Percent-encodes a query value.
pub fn enc(value: &str) -> String {
    String::from(js_sys::encode_uri_component(value))
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn a_problem_document_becomes_field_errors() {
        let body = r#"{"type":"https://zhihui.example/problems/validation","title":"Unprocessable","status":422,
            "detail":"2 fields are invalid","code":"validation_failed",
            "errors":[{"field":"id_number","code":"id_number_checksum","message":"the check character does not match (GB 11643)"},
                      {"field":"organization_ids[0]","code":"not_found","message":"no such organisation"}]}"#;
        let e = error_from_answer(422, body);
        assert_eq!(e.status, 422);
        assert_eq!(e.code, "validation_failed");
        assert_eq!(e.detail, "2 fields are invalid");
        assert_eq!(
            e.field("id_number").map(|f| f.code.as_str()),
            Some("id_number_checksum")
        );
        assert_eq!(
            e.field("organization_ids").map(|f| f.code.as_str()),
            Some("not_found")
        );
        assert!(e.field("phone").is_none());
        // A field name that merely starts like another is not that field.
        assert!(e.field("id_num").is_none());
    }

    #[wasm_bindgen_test]
    fn an_answer_that_is_not_a_problem_still_has_a_code() {
        let e = error_from_answer(502, "<html>Bad Gateway</html>");
        assert_eq!(e.code, "service_unavailable");
        assert!(e.fields.is_empty());
        assert_eq!(error_from_answer(404, "").code, "not_found");
        assert_eq!(error_from_answer(500, "").code, "unexpected");
    }
}
