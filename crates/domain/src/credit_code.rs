//! Unified social credit code (统一社会信用代码), GB 32100.

use crate::error::FieldError;
use crate::ProblemCode;

/// The 31-character alphabet: digits and capitals without I, O, S, V, Z.
pub const ALPHABET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

fn value_of(c: char) -> Option<u32> {
    ALPHABET.find(c).map(|i| i as u32)
}

/// The check character for the first 17 characters.
pub fn check_character(first17: &str) -> Option<char> {
    if first17.chars().count() != 17 {
        return None;
    }
    let mut sum = 0u32;
    for (i, c) in first17.chars().enumerate() {
        sum += value_of(c)? * WEIGHTS[i];
    }
    let v = (31 - sum % 31) % 31;
    ALPHABET.chars().nth(v as usize)
}

/// An 18-character unified social credit code with a valid check character.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CreditCode(String);

impl CreditCode {
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let s = raw.trim().to_ascii_uppercase();
        if s.chars().count() != 18 {
            return Err(FieldError::new(
                ProblemCode::CreditCodeLength,
                "a unified social credit code has 18 characters",
            ));
        }
        if let Some(bad) = s.chars().find(|c| value_of(*c).is_none()) {
            return Err(FieldError::new(
                ProblemCode::CreditCodeCharacters,
                format!("'{bad}' is not allowed (digits and capitals without I, O, S, V, Z)"),
            ));
        }
        let expected = check_character(&s[..17]).ok_or_else(|| {
            FieldError::new(ProblemCode::CreditCodeCharacters, "invalid characters")
        })?;
        if s.ends_with(expected) {
            Ok(Self(s))
        } else {
            Err(FieldError::new(
                ProblemCode::CreditCodeChecksum,
                "the check character does not match (GB 32100)",
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accepts_real_codes() {
        // Published codes of real organisations.
        for code in ["91350100M000100Y43", "91110000600037341L"] {
            assert!(CreditCode::parse(code).is_ok(), "{code}");
        }
    }

    #[test]
    fn refuses_bad_check_and_forbidden_letters() {
        assert_eq!(
            CreditCode::parse("91350100M000100Y44").unwrap_err().code,
            ProblemCode::CreditCodeChecksum
        );
        assert_eq!(
            CreditCode::parse("91350100M000100YI3").unwrap_err().code,
            ProblemCode::CreditCodeCharacters
        );
        assert_eq!(
            CreditCode::parse("9135").unwrap_err().code,
            ProblemCode::CreditCodeLength
        );
        assert_eq!(
            CreditCode::parse("91350100M0001O0Y43").unwrap_err().code,
            ProblemCode::CreditCodeCharacters
        );
    }

    proptest! {
        #[test]
        fn generated_codes_parse(body in proptest::collection::vec(0usize..31, 17)) {
            let first: String = body.iter().map(|i| ALPHABET.chars().nth(*i).unwrap()).collect();
            let c = check_character(&first).unwrap();
            let code = format!("{first}{c}");
            prop_assert!(CreditCode::parse(&code).is_ok());
            prop_assert!(CreditCode::parse(&code.to_lowercase()).is_ok());
        }

        #[test]
        fn arbitrary_strings_never_panic(s in ".{0,24}") {
            let _ = CreditCode::parse(&s);
        }
    }
}
