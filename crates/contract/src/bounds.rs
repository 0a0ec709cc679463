//! Field validators for the domain's edges (`zhihui_domain::bounds`), named in the DTOs with
//! `#[validate(custom(function = …))]`; the problem names the field with `out_of_range`.

use chrono::{DateTime, NaiveDate, Utc};
use validator::ValidationError;
use zhihui_domain::bounds::{date_in_range, instant_in_range, FIRST_YEAR, LAST_YEAR};

fn out_of_range() -> ValidationError {
    let mut e = ValidationError::new("out_of_range");
    e.message = Some(format!("a date from {FIRST_YEAR}-01-01 to {LAST_YEAR}-12-31").into());
    e
}

pub fn instant(t: &DateTime<Utc>) -> Result<(), ValidationError> {
    if instant_in_range(*t) {
        Ok(())
    } else {
        Err(out_of_range())
    }
}

pub fn date(d: &NaiveDate) -> Result<(), ValidationError> {
    if date_in_range(*d) {
        Ok(())
    } else {
        Err(out_of_range())
    }
}
