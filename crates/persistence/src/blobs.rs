//! Files kept by their content: `<root>/<first two hex digits>/<sha256>`. The same bytes are
//! stored once; a file is written to a temporary name and renamed into place, so a reader
//! never sees half a file and a crash leaves no broken one.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

#[derive(Debug, Clone)]
pub struct Blobs {
    root: PathBuf,
}

impl Blobs {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    fn path(&self, sha256: &str) -> Option<PathBuf> {
        if sha256.len() != 64 || !sha256.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        Some(self.root.join(&sha256[..2]).join(sha256))
    }

    /// Stores the bytes and returns their SHA-256 (lower-case hex).
    pub async fn put(&self, bytes: &[u8]) -> std::io::Result<String> {
        let sha = hex::encode(Sha256::digest(bytes));
        let path = self
            .path(&sha)
            .ok_or_else(|| std::io::Error::other("hash"))?;
        if tokio::fs::try_exists(&path).await.unwrap_or(false) {
            return Ok(sha);
        }
        let dir = path.parent().ok_or_else(|| std::io::Error::other("path"))?;
        tokio::fs::create_dir_all(dir).await?;
        let tmp = dir.join(format!(".{sha}.{}", uuid::Uuid::new_v4().simple()));
        tokio::fs::write(&tmp, bytes).await?;
        tokio::fs::rename(&tmp, &path).await?;
        Ok(sha)
    }

    /// The stored bytes, or `None` when there are none for this hash.
    pub async fn get(&self, sha256: &str) -> std::io::Result<Option<Vec<u8>>> {
        let Some(path) = self.path(sha256) else {
            return Ok(None);
        };
        match tokio::fs::read(&path).await {
            Ok(b) => Ok(Some(b)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }
}
