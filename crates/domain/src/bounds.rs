//! The edges of the values the platform takes: dates and instants within the years it can
//! plausibly concern, and amounts of money within what any programme could grant. Checked
//! before anything reaches the database, so both databases answer the same (a year 275760
//! or an amount past `i64` never gets as far as a column that would refuse it).

use chrono::{DateTime, Datelike, NaiveDate, Utc};

/// The first year a date may fall in.
pub const FIRST_YEAR: i32 = 2000;
/// The last year a date may fall in.
pub const LAST_YEAR: i32 = 2100;
/// The largest amount of money, in fen: 10 billion yuan (100 亿元).
pub const MAX_FEN: i64 = 1_000_000_000_000;

/// Whether a date falls within [`FIRST_YEAR`]..=[`LAST_YEAR`].
pub fn date_in_range(d: NaiveDate) -> bool {
    (FIRST_YEAR..=LAST_YEAR).contains(&d.year())
}

/// Whether an instant falls within [`FIRST_YEAR`]..=[`LAST_YEAR`] (UTC).
pub fn instant_in_range(t: DateTime<Utc>) -> bool {
    (FIRST_YEAR..=LAST_YEAR).contains(&t.year())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn the_edges_are_inclusive() {
        let d = |y| NaiveDate::from_ymd_opt(y, 1, 1).unwrap_or_default();
        assert!(date_in_range(d(2000)) && date_in_range(d(2100)));
        assert!(!date_in_range(d(1999)) && !date_in_range(d(2101)));
        let t = |y| {
            Utc.with_ymd_and_hms(y, 12, 31, 23, 59, 59)
                .single()
                .unwrap_or_default()
        };
        assert!(instant_in_range(t(2100)) && !instant_in_range(t(1970)));
        assert!(!instant_in_range(t(9999)));
    }
}
