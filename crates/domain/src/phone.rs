//! Mainland mobile numbers.

use crate::ProblemCode;
use std::fmt;

use crate::error::FieldError;

/// An 11-digit mainland mobile number with an allocated network prefix.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct MobilePhone(String);

fn allocated(prefix3: u32) -> bool {
    matches!(prefix3,
        130..=139 | 145..=149 | 150..=153 | 155..=159 | 162 | 165..=167 | 170..=178
        | 180..=189 | 190..=193 | 195..=199)
}

impl MobilePhone {
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let mut s: String = raw.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
        if let Some(rest) = s.strip_prefix("+86") {
            s = rest.to_string();
        }
        if s.len() != 11 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(FieldError::new(
                ProblemCode::PhoneFormat,
                "a mobile number has 11 digits",
            ));
        }
        let prefix: u32 = s[..3].parse().unwrap_or(0);
        if !allocated(prefix) {
            return Err(FieldError::new(
                ProblemCode::PhonePrefix,
                format!("{prefix} is not an allocated mobile network prefix"),
            ));
        }
        Ok(Self(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `138****8000`
    pub fn masked(&self) -> String {
        format!("{}****{}", &self.0[..3], &self.0[7..])
    }
}

impl fmt::Debug for MobilePhone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "MobilePhone({})", self.masked())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accepts_allocated_prefixes() {
        for p in [
            "13800138000",
            "14512345678",
            "16212345678",
            "19912345678",
            "+86 138-0013-8000",
        ] {
            assert!(MobilePhone::parse(p).is_ok(), "{p}");
        }
        assert_eq!(
            MobilePhone::parse("13800138000").unwrap().masked(),
            "138****8000"
        );
    }

    #[test]
    fn refuses_unallocated_and_malformed() {
        for p in [
            "14012345678",
            "16012345678",
            "19412345678",
            "12012345678",
            "1790000000",
        ] {
            assert!(MobilePhone::parse(p).is_err(), "{p}");
        }
        assert_eq!(
            MobilePhone::parse("1380013800a").unwrap_err().code,
            ProblemCode::PhoneFormat
        );
        assert_eq!(
            MobilePhone::parse("10012345678").unwrap_err().code,
            ProblemCode::PhonePrefix
        );
    }

    proptest! {
        #[test]
        fn never_panics(s in ".{0,20}") { let _ = MobilePhone::parse(&s); }

        #[test]
        fn any_allocated_prefix_with_eight_digits_parses(p in 130u32..200, rest in 0u32..100_000_000) {
            let s = format!("{p}{rest:08}");
            prop_assert_eq!(MobilePhone::parse(&s).is_ok(), allocated(p));
        }
    }
}
