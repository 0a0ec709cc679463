//! Login identities.

use crate::ProblemCode;
use chrono::{DateTime, Duration, Utc};
use std::fmt;

use crate::error::FieldError;
use crate::phone::MobilePhone;

/// What a person signs in with: an e-mail address or a mainland mobile number,
/// normalised (lower-case e-mail, bare 11-digit phone).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct LoginName(String);

impl LoginName {
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let s = raw.trim();
        if s.contains('@') {
            let lower = s.to_lowercase();
            let (local, domain) = lower.split_once('@').unwrap_or(("", ""));
            let ok = !local.is_empty()
                && local.len() <= 64
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && lower.len() <= 254
                && !lower.chars().any(|c| c.is_whitespace() || c.is_control())
                && !domain.contains('@');
            if ok {
                Ok(Self(lower))
            } else {
                Err(FieldError::new(
                    ProblemCode::LoginFormat,
                    "not a valid e-mail address",
                ))
            }
        } else {
            MobilePhone::parse(s)
                .map(|p| Self(p.as_str().to_string()))
                .map_err(|_| {
                    FieldError::new(
                        ProblemCode::LoginFormat,
                        "use an e-mail address or a mainland mobile number",
                    )
                })
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A login as others may see it: `l***@example.cn`, `138****8000`; enough to tell two people
/// of one name apart, not to write to them.
pub fn mask_login(login: &str) -> String {
    match login.split_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}***@{domain}")
        }
        None => match MobilePhone::parse(login) {
            Ok(p) => p.masked(),
            Err(_) => "***".to_string(),
        },
    }
}

/// A password of 8 to 128 characters with at least one letter and one digit.
#[derive(Clone)]
pub struct Password(String);

impl Password {
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let n = raw.chars().count();
        if n < 8 {
            return Err(FieldError::new(
                ProblemCode::PasswordTooShort,
                "a password has at least 8 characters",
            ));
        }
        if n > 128 {
            return Err(FieldError::new(
                ProblemCode::PasswordTooLong,
                "a password has at most 128 characters",
            ));
        }
        if !raw.chars().any(char::is_alphabetic) || !raw.chars().any(|c| c.is_ascii_digit()) {
            return Err(FieldError::new(
                ProblemCode::PasswordTooWeak,
                "a password needs at least one letter and one digit",
            ));
        }
        Ok(Self(raw.to_string()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(***)")
    }
}

/// How long after a refresh token is exchanged its holder may present it again (刷新宽限).
///
/// A page that is closed or reloaded while its refresh is under way never receives the new
/// token: the next page load presents the one already exchanged. Without a grace that looks
/// like a stolen token and ends the session; with it, the session continues.
pub const REFRESH_REUSE_GRACE_SECS: i64 = 30;

/// Whether a refresh token exchanged at `exchanged_at` and presented again at `now` is the
/// lost answer to its own exchange, not a copy: within [`REFRESH_REUSE_GRACE_SECS`] and while
/// the token it was exchanged for is the session's only live one (`successor_unused`).
/// Then the session goes on with a new token that replaces the successor, so it still has
/// one live token; otherwise the reuse ends the session.
pub fn refresh_reuse_is_lost_answer(
    exchanged_at: DateTime<Utc>,
    now: DateTime<Utc>,
    successor_unused: bool,
) -> bool {
    let since = now - exchanged_at;
    successor_unused
        && since >= Duration::zero()
        && since <= Duration::seconds(REFRESH_REUSE_GRACE_SECS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reused_refresh_token_is_a_lost_answer_only_briefly_and_once() {
        let t = DateTime::<Utc>::from_timestamp(1_780_000_000, 0).unwrap_or_default();
        assert!(refresh_reuse_is_lost_answer(t, t, true));
        assert!(refresh_reuse_is_lost_answer(
            t,
            t + Duration::seconds(30),
            true
        ));
        assert!(!refresh_reuse_is_lost_answer(
            t,
            t + Duration::seconds(31),
            true
        ));
        assert!(!refresh_reuse_is_lost_answer(
            t,
            t + Duration::seconds(1),
            false
        ));
        assert!(!refresh_reuse_is_lost_answer(
            t,
            t - Duration::seconds(1),
            true
        ));
    }

    #[test]
    fn login_names() {
        assert_eq!(
            LoginName::parse(" Li.Ming@Example.CN ").unwrap().as_str(),
            "li.ming@example.cn"
        );
        assert_eq!(
            LoginName::parse("138 0013 8000").unwrap().as_str(),
            "13800138000"
        );
        assert!(LoginName::parse("li@localhost").is_err());
        assert!(LoginName::parse("12345").is_err());
        assert!(LoginName::parse("@x.cn").is_err());
    }

    #[test]
    fn masked_logins() {
        assert_eq!(mask_login("li.ming@example.cn"), "l***@example.cn");
        assert_eq!(mask_login("13800138000"), "138****8000");
        assert_eq!(mask_login("x"), "***");
    }

    #[test]
    fn passwords() {
        assert!(Password::parse("abc12345").is_ok());
        assert_eq!(
            Password::parse("abc123").unwrap_err().code,
            ProblemCode::PasswordTooShort
        );
        assert_eq!(
            Password::parse("abcdefghij").unwrap_err().code,
            ProblemCode::PasswordTooWeak
        );
        assert!(!format!("{:?}", Password::parse("abc12345").unwrap()).contains("abc"));
    }
}
