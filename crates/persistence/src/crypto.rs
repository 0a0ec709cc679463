//! Encryption of personal data at rest (AES-256-GCM) and keyed lookup hashes (HMAC-SHA256).

use aes_gcm::aead::{Aead, KeyInit, OsRng};
use aes_gcm::{AeadCore, Aes256Gcm, Key, Nonce};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// Holds the two keys derived from the configured master key.
#[derive(Clone)]
pub struct Crypto {
    cipher: Aes256Gcm,
    lookup_key: [u8; 32],
    /// Seals stored answers (idempotency replays): a key of its own, so a sealed answer
    /// can never be passed off as an encrypted field or the other way round.
    replay_cipher: Aes256Gcm,
}

#[derive(Debug, thiserror::Error)]
pub enum CryptoError {
    #[error("the personal-data key must be 32 bytes, base64 encoded")]
    BadKey,
    #[error("a stored value could not be decrypted")]
    Decrypt,
}

fn derive(master: &[u8], label: &[u8]) -> [u8; 32] {
    // HMAC as a key-derivation function: independent keys for encryption and lookup.
    let mut mac = <HmacSha256 as Mac>::new_from_slice(master).unwrap_or_else(|_| {
        // HMAC accepts any key length; this branch cannot be taken.
        <HmacSha256 as Mac>::new_from_slice(&[0u8; 32]).unwrap_or_else(|_| unreachable!())
    });
    mac.update(label);
    mac.finalize().into_bytes().into()
}

/// AES-256-GCM with a fresh random nonce: `nonce || ciphertext`. Empty associated data is
/// the same as none, so values encrypted before `context` existed still open.
fn seal_with(cipher: &Aes256Gcm, plain: &[u8], context: &[u8]) -> Vec<u8> {
    let nonce = Aes256Gcm::generate_nonce(&mut OsRng);
    let payload = aes_gcm::aead::Payload {
        msg: plain,
        aad: context,
    };
    let ct = cipher.encrypt(&nonce, payload).unwrap_or_default();
    let mut out = nonce.to_vec();
    out.extend_from_slice(&ct);
    out
}

fn open_with(cipher: &Aes256Gcm, sealed: &[u8], context: &[u8]) -> Result<Vec<u8>, CryptoError> {
    if sealed.len() < 12 {
        return Err(CryptoError::Decrypt);
    }
    let (nonce, ct) = sealed.split_at(12);
    let payload = aes_gcm::aead::Payload {
        msg: ct,
        aad: context,
    };
    cipher
        .decrypt(Nonce::from_slice(nonce), payload)
        .map_err(|_| CryptoError::Decrypt)
}

impl Crypto {
    /// `master_b64`: 32 random bytes, base64 encoded.
    pub fn new(master_b64: &str) -> Result<Self, CryptoError> {
        let master = STANDARD
            .decode(master_b64.trim())
            .map_err(|_| CryptoError::BadKey)?;
        if master.len() != 32 {
            return Err(CryptoError::BadKey);
        }
        let enc = derive(&master, b"zhihui/pii/encryption/v1");
        let lookup_key = derive(&master, b"zhihui/pii/lookup/v1");
        let replay = derive(&master, b"zhihui/replay/encryption/v1");
        Ok(Self {
            cipher: Aes256Gcm::new(Key::<Aes256Gcm>::from_slice(&enc)),
            lookup_key,
            replay_cipher: Aes256Gcm::new(Key::<Aes256Gcm>::from_slice(&replay)),
        })
    }

    /// Encrypts with a fresh random nonce; the result is `base64(nonce || ciphertext)`.
    pub fn encrypt(&self, plain: &str) -> String {
        STANDARD.encode(seal_with(&self.cipher, plain.as_bytes(), b""))
    }

    pub fn decrypt(&self, stored: &str) -> Result<String, CryptoError> {
        let raw = STANDARD.decode(stored).map_err(|_| CryptoError::Decrypt)?;
        let plain = open_with(&self.cipher, &raw, b"")?;
        String::from_utf8(plain).map_err(|_| CryptoError::Decrypt)
    }

    /// Seals bytes (a stored answer) under the replay key: `nonce || ciphertext`.
    /// `context` (the key's scope and name) is bound as associated data, so a sealed answer
    /// cannot be moved to another key.
    pub fn seal(&self, plain: &[u8], context: &[u8]) -> Vec<u8> {
        seal_with(&self.replay_cipher, plain, context)
    }

    pub fn open(&self, sealed: &[u8], context: &[u8]) -> Result<Vec<u8>, CryptoError> {
        open_with(&self.replay_cipher, sealed, context)
    }

    /// Keyed hash for equality lookups (an ID number cannot be found by hashing guesses
    /// without the key).
    pub fn lookup_hash(&self, value: &str) -> String {
        let mut mac = <HmacSha256 as Mac>::new_from_slice(&self.lookup_key)
            .unwrap_or_else(|_| unreachable!());
        mac.update(value.as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";

    #[test]
    fn round_trip_and_fresh_nonces() {
        let c = Crypto::new(KEY).unwrap();
        let a = c.encrypt("11010519491231002X");
        let b = c.encrypt("11010519491231002X");
        assert_ne!(a, b, "each encryption uses a new nonce");
        assert!(!a.contains("1949"));
        assert_eq!(c.decrypt(&a).unwrap(), "11010519491231002X");
        assert_eq!(c.lookup_hash("x"), c.lookup_hash("x"));
        assert_ne!(c.lookup_hash("x"), c.lookup_hash("y"));
    }

    #[test]
    fn values_stored_before_associated_data_still_open() {
        let c = Crypto::new(KEY).unwrap();
        let nonce = Aes256Gcm::generate_nonce(&mut OsRng);
        let mut raw = nonce.to_vec();
        raw.extend(c.cipher.encrypt(&nonce, b"13912345678".as_ref()).unwrap());
        assert_eq!(c.decrypt(&STANDARD.encode(raw)).unwrap(), "13912345678");
    }

    #[test]
    fn sealed_answers_open_only_in_their_context() {
        let c = Crypto::new(KEY).unwrap();
        let sealed = c.seal(b"{\"key\":\"zh_live_secret\"}", b"account:1\0k");
        assert!(!sealed.windows(6).any(|w| w == b"secret"));
        assert_eq!(
            c.open(&sealed, b"account:1\0k").unwrap(),
            b"{\"key\":\"zh_live_secret\"}"
        );
        assert!(
            c.open(&sealed, b"account:2\0k").is_err(),
            "bound to its key"
        );
        assert!(c.open(b"plain text body", b"account:1\0k").is_err());
    }

    #[test]
    fn tampering_and_bad_keys_are_refused() {
        let c = Crypto::new(KEY).unwrap();
        let mut a = c.encrypt("secret").into_bytes();
        let last = a.len() - 3;
        a[last] = if a[last] == b'A' { b'B' } else { b'A' };
        assert!(c.decrypt(&String::from_utf8(a).unwrap()).is_err());
        assert!(Crypto::new("c2hvcnQ=").is_err());
    }
}
