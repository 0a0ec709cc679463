pub mod accounts;
pub mod activities;
pub mod applications;
pub mod campaigns;
pub mod hub;
pub mod imports;
pub mod integrations;
pub mod needs;
pub mod notifications;
pub mod ops;
pub mod organizations;
pub mod pairing;
pub mod records;
pub mod regions;
pub mod reports;
pub mod volunteers;
pub mod webhooks;
pub mod work;

use actix_multipart::Multipart;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse};
use futures_util::StreamExt;
use uuid::Uuid;
use zhihui_domain::ProblemCode;

use crate::error::ApiError;
use crate::validation::Problems;

/// Reads an opaque cursor (the last id of the previous page), recording a bad one.
pub(crate) fn uuid_cursor(p: &mut Problems, cursor: &Option<String>) -> Option<Uuid> {
    let c = cursor.as_ref()?;
    let parsed = Uuid::parse_str(c).ok();
    if parsed.is_none() {
        p.push(
            "cursor",
            ProblemCode::InvalidCursor,
            "use the next_cursor of the previous page",
        );
    }
    parsed
}

/// Reads a keyset cursor `<key>_<id>` (ordered lists: activities by start, records by
/// date), recording a bad one.
pub(crate) fn compound_cursor<K>(
    p: &mut Problems,
    cursor: &Option<String>,
    key: impl Fn(&str) -> Option<K>,
) -> Option<(K, Uuid)> {
    let c = cursor.as_ref()?;
    let parsed = c
        .split_once('_')
        .and_then(|(k, id)| Some((key(k)?, Uuid::parse_str(id).ok()?)));
    if parsed.is_none() {
        p.push(
            "cursor",
            ProblemCode::InvalidCursor,
            "use the next_cursor of the previous page",
        );
    }
    parsed
}

/// The next cursor: present only when the page is full.
pub(crate) fn next_cursor<T>(
    items: &[T],
    limit: u64,
    key: impl Fn(&T) -> String,
) -> Option<String> {
    if items.len() as u64 == limit {
        items.last().map(key)
    } else {
        None
    }
}

/// Sets the `ETag` of a versioned document (organisations, activities, letters, reports…).
pub(crate) fn with_etag(mut res: HttpResponse, version: i32) -> HttpResponse {
    if let Ok(v) = header::HeaderValue::from_str(&format!("\"{version}\"")) {
        res.headers_mut().insert(header::ETAG, v);
    }
    res
}

/// The version a write expects, from `If-Match` (absent or `*`: no expectation).
pub(crate) fn expected_version(req: &HttpRequest) -> Result<Option<i32>, ApiError> {
    let Some(v) = req.headers().get(header::IF_MATCH) else {
        return Ok(None);
    };
    let s = v.to_str().map_err(|_| ApiError::BadRequest {
        code: ProblemCode::InvalidIfMatch,
        detail: "malformed If-Match".into(),
    })?;
    if s.trim() == "*" {
        return Ok(None);
    }
    s.trim()
        .trim_start_matches("W/")
        .trim_matches('"')
        .parse::<i32>()
        .map(Some)
        .map_err(|_| ApiError::BadRequest {
            code: ProblemCode::InvalidIfMatch,
            detail: "If-Match takes the ETag of a previous read".into(),
        })
}

/// Reads the multipart field `file` (its name and bytes), refusing more than `max` bytes.
pub(crate) async fn read_upload(
    payload: &mut Multipart,
    max: usize,
) -> Result<(String, Vec<u8>), ApiError> {
    let bad = |e: &dyn std::fmt::Display| ApiError::BadRequest {
        code: ProblemCode::InvalidMultipart,
        detail: e.to_string(),
    };
    let mut file: Option<(String, Vec<u8>)> = None;
    while let Some(field) = payload.next().await {
        let mut field = field.map_err(|e| bad(&e))?;
        if field.name() != Some("file") {
            continue;
        }
        let name = field
            .content_disposition()
            .and_then(|d| d.get_filename())
            .unwrap_or("upload")
            .chars()
            .filter(|c| !crate::text_guard::forbidden_char(*c))
            .take(255)
            .collect();
        let mut bytes = vec![];
        while let Some(chunk) = field.next().await {
            let chunk = chunk.map_err(|e| bad(&e))?;
            if bytes.len() + chunk.len() > max {
                return Err(ApiError::field(
                    "file",
                    ProblemCode::FileTooLarge,
                    format!("at most {max} bytes"),
                ));
            }
            bytes.extend_from_slice(&chunk);
        }
        file = Some((name, bytes));
    }
    file.ok_or_else(|| {
        ApiError::field(
            "file",
            ProblemCode::Required,
            "send the file in a multipart field named file",
        )
    })
}

/// The caller as a history records them (account and display name).
pub(crate) async fn actor(
    state: &crate::state::AppState,
    who: &crate::auth::Authenticated,
) -> Result<zhihui_persistence::Actor, ApiError> {
    let name = state
        .store
        .get_account(who.account_id)
        .await?
        .map(|a| a.display_name)
        .unwrap_or_default();
    Ok(zhihui_persistence::Actor {
        account_id: who.account_id,
        name,
    })
}

/// Keeps an uploaded file by its content if its first bytes say it is one of `kinds`
/// (`application/pdf`, `image/jpeg`, `image/png`), whatever its name says.
pub(crate) async fn keep_upload(
    state: &crate::state::AppState,
    name: String,
    bytes: &[u8],
    kinds: &[&str],
    refusal: &str,
) -> Result<zhihui_persistence::NewAttachment, ApiError> {
    let kind = sniff(bytes).filter(|k| kinds.contains(k)).ok_or_else(|| {
        ApiError::field(
            "file",
            ProblemCode::UnsupportedFileType,
            refusal.to_string(),
        )
    })?;
    let sha = state
        .blobs
        .put(bytes)
        .await
        .map_err(|e| ApiError::Internal(format!("storing the file: {e}")))?;
    Ok(zhihui_persistence::NewAttachment {
        sha256: sha,
        size: bytes.len() as i64,
        media_type: kind.to_string(),
        file_name: name,
    })
}

/// Answers a kept file: inline (photos) or as a download under an ASCII-safe name, never
/// cached by shared caches and never sniffed as another type.
pub(crate) async fn serve_kept(
    state: &crate::state::AppState,
    sha256: &str,
    media_type: String,
    download_name: Option<&str>,
) -> Result<HttpResponse, ApiError> {
    let bytes = state
        .blobs
        .get(sha256)
        .await
        .map_err(|e| ApiError::Internal(format!("reading a kept file: {e}")))?
        .ok_or_else(|| ApiError::Internal("a kept file is missing".into()))?;
    let mut res = HttpResponse::Ok();
    res.content_type(media_type)
        .insert_header((header::CACHE_CONTROL, "private, max-age=3600"))
        .insert_header(("X-Content-Type-Options", "nosniff"));
    if let Some(name) = download_name {
        let ascii: String = name
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '.' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        res.insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{ascii}\""),
        ));
    }
    Ok(res.body(bytes))
}

/// A 201 answer with `Location`: where the created resource (or, where it has no address of
/// its own, the document that shows it) is read, as a path under `/api/v1`.
pub(crate) fn created(location: impl std::fmt::Display) -> actix_web::HttpResponseBuilder {
    let mut b = HttpResponse::Created();
    b.insert_header((
        actix_web::http::header::LOCATION,
        format!("/api/v1{location}"),
    ));
    b
}

/// What a file's first bytes say it is: PDF, JPEG or PNG, whatever its name.
pub(crate) fn sniff(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"%PDF-") {
        Some("application/pdf")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else {
        None
    }
}
