//! Serves the web dashboard that `scripts/build-frontend` wrote: `index.html` for the app's
//! own paths, and the files it names, which carry their content's hash in their names.
//!
//! - A hashed file never changes, so browsers may keep it for a year without asking again
//!   (`Cache-Control: immutable`); `index.html` is asked for each time (`no-cache`, answered
//!   with 304 while its `ETag` holds), so a new build is picked up at the next load.
//! - The build wrote a brotli and a gzip copy of each file; the one the browser accepts is
//!   sent as it is (`Content-Encoding`, `Vary: Accept-Encoding`), so nothing is compressed
//!   per request and the module is sent at brotli's size rather than at gzip's fast level.
//! - The files are listed once at start-up: a request can only ever name one of them, never
//!   a path on disk.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use actix_files::NamedFile;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, ContentEncoding, HeaderValue};

/// One file of the dashboard and the compressed copies written beside it.
#[derive(Debug, Clone)]
struct Asset {
    path: PathBuf,
    mime: actix_web::mime::Mime,
    brotli: Option<PathBuf>,
    gzip: Option<PathBuf>,
    immutable: bool,
}

/// The dashboard's files by the name they are requested by.
#[derive(Debug, Clone)]
pub struct Dashboard {
    assets: HashMap<String, Asset>,
}

impl Dashboard {
    /// Lists the built dashboard in `dir`; `None` when it has no `index.html`.
    pub fn open(dir: &Path) -> Option<Dashboard> {
        let mut assets = HashMap::new();
        for entry in std::fs::read_dir(dir).ok()?.flatten() {
            let path = entry.path();
            let Some(name) = path.file_name().and_then(|n| n.to_str()).map(str::to_owned) else {
                continue;
            };
            let compressed = name.ends_with(".br") || name.ends_with(".gz");
            if !path.is_file() || compressed || name.starts_with('.') || name == "sizes.json" {
                continue;
            }
            let beside = |ext: &str| {
                let p = dir.join(format!("{name}.{ext}"));
                p.is_file().then_some(p)
            };
            let mime = actix_files::file_extension_to_mime(
                Path::new(&name)
                    .extension()
                    .and_then(|e| e.to_str())
                    .unwrap_or(""),
            );
            assets.insert(
                name.clone(),
                Asset {
                    brotli: beside("br"),
                    gzip: beside("gz"),
                    immutable: is_hashed(&name),
                    mime,
                    path,
                },
            );
        }
        assets
            .contains_key("index.html")
            .then_some(Dashboard { assets })
    }

    /// Answers a GET or HEAD: the named file, or `index.html` for any other path (the app's
    /// own routes, such as `/activities/…`).
    pub async fn serve(&self, req: ServiceRequest) -> Result<ServiceResponse, actix_web::Error> {
        let (req, _) = req.into_parts();
        let asset = self
            .assets
            .get(req.path().trim_start_matches('/'))
            .unwrap_or(&self.assets["index.html"]);
        let (path, encoding) = match preferred_encoding(req.headers().get(header::ACCEPT_ENCODING))
        {
            Preferred { brotli: true, .. } if asset.brotli.is_some() => {
                (asset.brotli.as_ref(), Some(ContentEncoding::Brotli))
            }
            Preferred { gzip: true, .. } if asset.gzip.is_some() => {
                (asset.gzip.as_ref(), Some(ContentEncoding::Gzip))
            }
            _ => (None, None),
        };
        let mut file = NamedFile::open_async(path.unwrap_or(&asset.path))
            .await?
            .set_content_type(asset.mime.clone())
            .disable_content_disposition();
        if let Some(e) = encoding {
            // The `Compress` middleware leaves an answer that names its encoding alone.
            file = file.set_content_encoding(e);
        }
        let mut res = file.into_response(&req);
        let headers = res.headers_mut();
        headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
        headers.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static(if asset.immutable {
                "public, max-age=31536000, immutable"
            } else {
                "no-cache"
            }),
        );
        Ok(ServiceResponse::new(req, res))
    }
}

/// Whether a file's name carries its content's hash (`app-3f2a9c0b1d2e4f56.wasm`): sixteen
/// hex digits after the last dash of the stem.
fn is_hashed(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or("");
    stem.rsplit_once('-').is_some_and(|(_, h)| {
        h.len() == 16
            && h.bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    })
}

/// The compressed forms a request accepts.
#[derive(Debug, Default, PartialEq, Eq)]
struct Preferred {
    brotli: bool,
    gzip: bool,
}

/// Reads `Accept-Encoding` (`br;q=1.0, gzip, *;q=0`): a coding counts unless its weight is 0.
fn preferred_encoding(value: Option<&HeaderValue>) -> Preferred {
    let mut p = Preferred::default();
    let Some(text) = value.and_then(|v| v.to_str().ok()) else {
        return p;
    };
    for part in text.split(',') {
        let mut fields = part.split(';').map(str::trim);
        let coding = fields.next().unwrap_or("").to_ascii_lowercase();
        let refused = fields.any(|f| {
            f.strip_prefix("q=")
                .and_then(|q| q.parse::<f32>().ok())
                .is_some_and(|q| q <= 0.0)
        });
        match coding.as_str() {
            "br" => p.brotli = !refused,
            "gzip" => p.gzip = !refused,
            "*" if !refused => {
                p.brotli = true;
                p.gzip = true;
            }
            _ => {}
        }
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accepts(v: &str) -> Preferred {
        preferred_encoding(Some(&HeaderValue::from_str(v).unwrap()))
    }

    #[test]
    fn reads_the_codings_a_browser_accepts() {
        assert_eq!(
            accepts("gzip, deflate, br, zstd"),
            Preferred {
                brotli: true,
                gzip: true
            }
        );
        assert_eq!(
            accepts("gzip;q=1.0, br;q=0"),
            Preferred {
                brotli: false,
                gzip: true
            }
        );
        assert_eq!(accepts("identity"), Preferred::default());
        assert_eq!(preferred_encoding(None), Preferred::default());
        assert_eq!(
            accepts("*"),
            Preferred {
                brotli: true,
                gzip: true
            }
        );
    }

    #[test]
    fn only_names_with_a_content_hash_are_kept_for_good() {
        assert!(is_hashed("app-3f2a9c0b1d2e4f56.wasm"));
        assert!(is_hashed("style-0123456789abcdef.css"));
        assert!(!is_hashed("index.html"));
        assert!(!is_hashed("app-3f2a9c0b1d2e4f5.wasm"));
        assert!(!is_hashed("app-3F2A9C0B1D2E4F56.wasm"));
        assert!(!is_hashed("zhihui_frontend_bg.wasm"));
    }
}
