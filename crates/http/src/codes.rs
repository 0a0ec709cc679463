//! Keyed codes: short codes computed with HMAC-SHA256 under a key derived from the
//! service's secret (check-in codes, certificate number suffixes).

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

use crate::state::AppState;

/// Base-32 of the first bytes of an HMAC: `len` characters without look-alikes (no I, L, O, 1).
pub fn keyed_code(key: &[u8], message: &[u8], len: usize) -> String {
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(key) else {
        return String::new();
    };
    mac.update(message);
    let digest = mac.finalize().into_bytes();
    let mut bits: u64 = 0;
    for b in digest.iter().take(8) {
        bits = (bits << 8) | u64::from(*b);
    }
    (0..len.min(12))
        .map(|i| CODE_ALPHABET[((bits >> (i * 5)) & 31) as usize] as char)
        .collect()
}

/// Suffix that makes certificate numbers unguessable.
pub fn certificate_suffix(state: &AppState) -> impl Fn(&str) -> String + Send + Sync {
    let key = code_key(state, "zhihui certificate number");
    move |base: &str| keyed_code(&key, base.as_bytes(), 4)
}

/// Key of the keyed codes, derived from the service secret.
pub fn code_key(state: &AppState, purpose: &str) -> Vec<u8> {
    let mut h = Sha256::new();
    h.update(purpose.as_bytes());
    h.update(state.settings.jwt_secret.as_bytes());
    h.finalize().to_vec()
}

pub const CODE_ALPHABET: &[u8; 32] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ0";
