//! Administrative region codes (行政区划代码), GB/T 2260.

use crate::ProblemCode;
use serde::{Deserialize, Serialize};

use crate::error::FieldError;

/// Province-level codes in GB/T 2260 (including Taiwan, Hong Kong and Macao).
const PROVINCES: [&str; 34] = [
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37", "41",
    "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65", "71",
    "81", "82",
];

pub fn is_province_prefix(two: &str) -> bool {
    PROVINCES.contains(&two)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RegionLevel {
    Province,
    City,
    County,
}

impl RegionLevel {
    pub const ALL: &'static [RegionLevel] = &[Self::Province, Self::City, Self::County];

    pub fn as_str(self) -> &'static str {
        match self {
            RegionLevel::Province => "province",
            RegionLevel::City => "city",
            RegionLevel::County => "county",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "province" => Some(Self::Province),
            "city" => Some(Self::City),
            "county" => Some(Self::County),
            _ => None,
        }
    }
}

/// A six-digit region code: digits 1-2 province, 3-4 city, 5-6 county.
/// Whether the code exists is checked against the stored region list; this type
/// checks the shape and the province.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RegionCode(String);

impl RegionCode {
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let s = raw.trim();
        if s.len() != 6 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(FieldError::new(
                ProblemCode::RegionCodeFormat,
                "a region code has six digits",
            ));
        }
        if !is_province_prefix(&s[..2]) {
            return Err(FieldError::new(
                ProblemCode::RegionCodeProvince,
                "the first two digits are not a province code",
            ));
        }
        if &s[2..4] == "00" && &s[4..6] != "00" {
            return Err(FieldError::new(
                ProblemCode::RegionCodeFormat,
                "a county code needs its city digits",
            ));
        }
        Ok(Self(s.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn level(&self) -> RegionLevel {
        if &self.0[2..] == "0000" {
            RegionLevel::Province
        } else if &self.0[4..] == "00" {
            RegionLevel::City
        } else {
            RegionLevel::County
        }
    }

    /// The prefix shared by this region and everything inside it.
    pub fn prefix(&self) -> &str {
        match self.level() {
            RegionLevel::Province => &self.0[..2],
            RegionLevel::City => &self.0[..4],
            RegionLevel::County => &self.0,
        }
    }

    /// Whether `other` lies inside this region (or is this region).
    pub fn contains(&self, other: &RegionCode) -> bool {
        other.0.starts_with(self.prefix())
    }

    pub fn province(&self) -> RegionCode {
        RegionCode(format!("{}0000", &self.0[..2]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn levels_and_containment() {
        let p = RegionCode::parse("440000").unwrap();
        let c = RegionCode::parse("440500").unwrap();
        let k = RegionCode::parse("440524").unwrap();
        assert_eq!(p.level(), RegionLevel::Province);
        assert_eq!(c.level(), RegionLevel::City);
        assert_eq!(k.level(), RegionLevel::County);
        assert!(p.contains(&k) && c.contains(&k) && k.contains(&k));
        assert!(!k.contains(&c));
        assert!(!RegionCode::parse("110000").unwrap().contains(&k));
        assert_eq!(k.province(), p);
    }

    #[test]
    fn refuses_bad_codes() {
        assert_eq!(
            RegionCode::parse("4405").unwrap_err().code,
            ProblemCode::RegionCodeFormat
        );
        assert_eq!(
            RegionCode::parse("990000").unwrap_err().code,
            ProblemCode::RegionCodeProvince
        );
        assert_eq!(
            RegionCode::parse("440024").unwrap_err().code,
            ProblemCode::RegionCodeFormat
        );
    }

    proptest! {
        #[test]
        fn never_panics(s in ".{0,10}") { let _ = RegionCode::parse(&s); }
    }
}
