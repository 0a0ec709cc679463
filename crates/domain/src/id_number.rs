//! Resident identity card number (公民身份号码), GB 11643.

use crate::ProblemCode;
use std::fmt;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::error::FieldError;
use crate::region::is_province_prefix;

const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];

/// Gender derived from the 17th digit: odd is male, even is female.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Gender {
    Male,
    Female,
}

impl Gender {
    pub const ALL: &'static [Gender] = &[Self::Male, Self::Female];

    pub fn as_str(self) -> &'static str {
        match self {
            Gender::Male => "male",
            Gender::Female => "female",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "male" => Some(Gender::Male),
            "female" => Some(Gender::Female),
            _ => None,
        }
    }
}

/// An 18-character resident ID number whose checksum, birth date and province are valid.
/// Gender and birth date are derived from it, never typed.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct ResidentIdNumber(String);

/// The check character for the first 17 digits.
pub fn check_character(first17: &[u8]) -> Option<char> {
    if first17.len() != 17 {
        return None;
    }
    let mut sum = 0u32;
    for (i, b) in first17.iter().enumerate() {
        let d = (*b as char).to_digit(10)?;
        sum += d * WEIGHTS[i];
    }
    Some(CHECK[(sum % 11) as usize])
}

impl ResidentIdNumber {
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let s: String = raw.trim().to_ascii_uppercase();
        let bytes = s.as_bytes();
        if bytes.len() != 18 {
            return Err(FieldError::new(
                ProblemCode::IdNumberLength,
                "a resident ID number has 18 characters",
            ));
        }
        if !bytes[..17].iter().all(u8::is_ascii_digit)
            || !(bytes[17].is_ascii_digit() || bytes[17] == b'X')
        {
            return Err(FieldError::new(
                ProblemCode::IdNumberCharacters,
                "a resident ID number is 17 digits followed by a digit or X",
            ));
        }
        if !is_province_prefix(&s[..2]) {
            return Err(FieldError::new(
                ProblemCode::IdNumberProvince,
                "the first two digits are not a province code",
            ));
        }
        let expected = check_character(&bytes[..17]).ok_or_else(|| {
            FieldError::new(
                ProblemCode::IdNumberCharacters,
                "the first 17 characters must be digits",
            )
        })?;
        if expected != bytes[17] as char {
            return Err(FieldError::new(
                ProblemCode::IdNumberChecksum,
                "the check character does not match (GB 11643)",
            ));
        }
        if birth_date_of(&s).is_none() {
            return Err(FieldError::new(
                ProblemCode::IdNumberBirthDate,
                "digits 7 to 14 are not a real calendar date",
            ));
        }
        Ok(Self(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn birth_date(&self) -> NaiveDate {
        // Checked in `parse`; a fallback keeps this total without a panic.
        birth_date_of(&self.0).unwrap_or_default()
    }

    pub fn gender(&self) -> Gender {
        let d = self.0.as_bytes()[16] - b'0';
        if d % 2 == 1 {
            Gender::Male
        } else {
            Gender::Female
        }
    }

    /// The province code (two digits followed by `0000`).
    pub fn province_code(&self) -> String {
        format!("{}0000", &self.0[..2])
    }

    /// Age in whole years on `today`.
    pub fn age_on(&self, today: NaiveDate) -> i32 {
        let b = self.birth_date();
        let mut age = today.year() - b.year();
        if (today.month(), today.day()) < (b.month(), b.day()) {
            age -= 1;
        }
        age
    }

    /// `1101**********002X`: the first four and last four characters shown.
    pub fn masked(&self) -> String {
        mask_id_number(&self.0)
    }
}

/// Masks any ID-like string: first four and last four characters kept.
pub fn mask_id_number(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    if chars.len() <= 8 {
        return "*".repeat(chars.len());
    }
    let mut out = String::with_capacity(chars.len());
    for (i, c) in chars.iter().enumerate() {
        if i < 4 || i >= chars.len() - 4 {
            out.push(*c);
        } else {
            out.push('*');
        }
    }
    out
}

fn birth_date_of(s: &str) -> Option<NaiveDate> {
    let y: i32 = s.get(6..10)?.parse().ok()?;
    let m: u32 = s.get(10..12)?.parse().ok()?;
    let d: u32 = s.get(12..14)?.parse().ok()?;
    if y < 1800 {
        return None;
    }
    NaiveDate::from_ymd_opt(y, m, d)
}

impl fmt::Debug for ResidentIdNumber {
    /// Never prints the number itself, so it cannot leak into logs.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ResidentIdNumber({})", self.masked())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_the_valid_examples_of_the_rules() {
        let a = ResidentIdNumber::parse("11010519491231002X").unwrap();
        assert_eq!(a.gender(), Gender::Female);
        assert_eq!(
            a.birth_date(),
            NaiveDate::from_ymd_opt(1949, 12, 31).unwrap()
        );
        assert_eq!(a.masked(), "1101**********002X");
        assert_eq!(a.province_code(), "110000");
        let b = ResidentIdNumber::parse("440524188001010014").unwrap();
        assert_eq!(b.gender(), Gender::Male);
        assert_eq!(b.birth_date(), NaiveDate::from_ymd_opt(1880, 1, 1).unwrap());
    }

    #[test]
    fn lower_case_x_and_spaces_are_normalised() {
        let a = ResidentIdNumber::parse(" 11010519491231002x ").unwrap();
        assert_eq!(a.as_str(), "11010519491231002X");
    }

    #[test]
    fn refuses_a_bad_checksum() {
        let e = ResidentIdNumber::parse("36042619910102009X").unwrap_err();
        assert_eq!(e.code, ProblemCode::IdNumberChecksum);
    }

    #[test]
    fn refuses_month_thirteen_even_with_a_valid_checksum() {
        let e = ResidentIdNumber::parse("360426199113010079").unwrap_err();
        assert_eq!(e.code, ProblemCode::IdNumberBirthDate);
    }

    #[test]
    fn refuses_unknown_province_and_bad_shapes() {
        // 99 is not a province; checksum made valid so the province rule is what fails.
        let mut s = String::from("99010519491231002");
        s.push(check_character(s.as_bytes()).unwrap());
        assert_eq!(
            ResidentIdNumber::parse(&s).unwrap_err().code,
            ProblemCode::IdNumberProvince
        );
        assert_eq!(
            ResidentIdNumber::parse("123").unwrap_err().code,
            ProblemCode::IdNumberLength
        );
        assert_eq!(
            ResidentIdNumber::parse("1101051949123100AX")
                .unwrap_err()
                .code,
            ProblemCode::IdNumberCharacters
        );
    }

    #[test]
    fn age_counts_whole_years() {
        let a = ResidentIdNumber::parse("11010519491231002X").unwrap();
        assert_eq!(a.age_on(NaiveDate::from_ymd_opt(1950, 12, 30).unwrap()), 0);
        assert_eq!(a.age_on(NaiveDate::from_ymd_opt(1950, 12, 31).unwrap()), 1);
    }

    #[test]
    fn debug_never_shows_the_number() {
        let a = ResidentIdNumber::parse("11010519491231002X").unwrap();
        assert!(!format!("{a:?}").contains("19491231"));
    }

    mod props {
        use super::super::*;
        use proptest::prelude::*;

        fn valid_id() -> impl Strategy<Value = String> {
            (
                prop::sample::select(vec!["11", "31", "44", "65"]),
                0u32..10000,
                1900i32..2020,
                1u32..13,
                1u32..29,
                0u32..1000,
            )
                .prop_map(|(p, area, y, m, d, seq)| {
                    let first17 = format!("{p}{area:04}{y:04}{m:02}{d:02}{seq:03}");
                    let c = check_character(first17.as_bytes()).unwrap();
                    format!("{first17}{c}")
                })
        }

        proptest! {
            #[test]
            fn every_generated_valid_number_parses_and_round_trips(s in valid_id()) {
                let id = ResidentIdNumber::parse(&s).unwrap();
                prop_assert_eq!(id.as_str(), s.as_str());
                prop_assert_eq!(id.masked().len(), 18);
                let g = if (s.as_bytes()[16] - b'0') % 2 == 1 { Gender::Male } else { Gender::Female };
                prop_assert_eq!(id.gender(), g);
            }

            #[test]
            fn changing_one_digit_breaks_the_checksum(s in valid_id(), pos in 0usize..17, delta in 1u8..10) {
                let mut b = s.into_bytes();
                b[pos] = b'0' + (b[pos] - b'0' + delta) % 10;
                let t = String::from_utf8(b).unwrap();
                prop_assert!(ResidentIdNumber::parse(&t).is_err());
            }

            #[test]
            fn arbitrary_strings_never_panic(s in ".{0,30}") {
                let _ = ResidentIdNumber::parse(&s);
            }
        }
    }
}
