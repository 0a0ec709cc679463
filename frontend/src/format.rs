//! Dates, times, hours and money as people in China write them, in China Standard Time
//! (UTC+8, where the programme's dates are kept) whatever the browser's zone.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime, TimeZone, Timelike, Utc};

use crate::i18n::Lang;

fn cst() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).unwrap_or_else(|| unreachable!())
}

/// `2026年11月24日 14:30` / `2026-11-24 14:30`.
pub fn date_time(lang: Lang, t: DateTime<Utc>) -> String {
    let l = t.with_timezone(&cst());
    match lang {
        Lang::Zh => format!(
            "{}年{}月{}日 {:02}:{:02}",
            l.year(),
            l.month(),
            l.day(),
            l.hour(),
            l.minute()
        ),
        Lang::En => format!(
            "{:04}-{:02}-{:02} {:02}:{:02}",
            l.year(),
            l.month(),
            l.day(),
            l.hour(),
            l.minute()
        ),
    }
}

/// `2026年11月24日` / `2026-11-24`.
pub fn date(lang: Lang, d: NaiveDate) -> String {
    match lang {
        Lang::Zh => format!("{}年{}月{}日", d.year(), d.month(), d.day()),
        Lang::En => iso_date(d),
    }
}

/// `2026年11月` / `2026-11` from `YYYY-MM`.
pub fn month(lang: Lang, ym: &str) -> String {
    match (lang, ym.split_once('-')) {
        (Lang::Zh, Some((y, m))) => format!("{y}年{}月", m.trim_start_matches('0')),
        _ => ym.to_string(),
    }
}

/// Money from integer fen: `¥12,345.60`.
pub fn money(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    let fen = fen.unsigned_abs();
    let yuan = (fen / 100).to_string();
    let mut grouped = String::new();
    for (i, c) in yuan.chars().enumerate() {
        if i > 0 && (yuan.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{sign}¥{grouped}.{:02}", fen % 100)
}

/// Fen from an amount typed in yuan (`12345.6`, `12,345.60`, `¥200000`); `None` when it is
/// not an amount or has more than two decimals.
pub fn parse_yuan(s: &str) -> Option<i64> {
    let clean: String = s
        .trim()
        .trim_start_matches('¥')
        .chars()
        .filter(|c| *c != ',' && *c != '，' && !c.is_whitespace())
        .collect();
    let (whole, frac) = clean.split_once('.').unwrap_or((&clean, ""));
    if whole.is_empty()
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || frac.len() > 2
        || !frac.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let yuan: i64 = whole.parse().ok()?;
    let fen: i64 = format!("{frac:0<2}").parse().ok()?;
    yuan.checked_mul(100)?.checked_add(fen)
}

/// Hours with at most one decimal: `3.5 小时` / `3.5 h`.
pub fn hours(lang: Lang, h: f64) -> String {
    let n = if (h.fract()).abs() < 1e-9 {
        format!("{h:.0}")
    } else {
        format!("{h:.1}")
    };
    match lang {
        Lang::Zh => format!("{n} 小时"),
        Lang::En => format!("{n} h"),
    }
}

/// `2026-11-24`. Written and read here without chrono's format strings, whose interpreter
/// would otherwise be part of the phone's download.
pub fn iso_date(d: NaiveDate) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
}

/// A date typed or sent as `YYYY-MM-DD`.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let mut parts = s.splitn(3, '-');
    let mut part = |len: usize| {
        parts
            .next()
            .filter(|p| p.len() == len && p.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|p| p.parse::<u32>().ok())
    };
    let (y, m, d) = (part(4)?, part(2)?, part(2)?);
    NaiveDate::from_ymd_opt(y as i32, m, d)
}

/// The value of an `<input type="datetime-local">` (China time) for an instant.
pub fn to_local_input(t: DateTime<Utc>) -> String {
    let l = t.with_timezone(&cst());
    format!(
        "{}T{:02}:{:02}",
        iso_date(l.date_naive()),
        l.hour(),
        l.minute()
    )
}

/// An instant from an `<input type="datetime-local">` value (`YYYY-MM-DDTHH:MM`) read as
/// China time.
pub fn from_local_input(s: &str) -> Option<DateTime<Utc>> {
    let (date, time) = s.split_once('T')?;
    let (h, m) = time.split_once(':')?;
    let two = |p: &str| {
        (p.len() == 2 && p.bytes().all(|b| b.is_ascii_digit()))
            .then(|| p.parse::<u32>().ok())
            .flatten()
    };
    let naive = NaiveDateTime::new(
        parse_date(date)?,
        chrono::NaiveTime::from_hms_opt(two(h)?, two(m)?, 0)?,
    );
    cst()
        .from_local_datetime(&naive)
        .single()
        .map(|t| t.with_timezone(&Utc))
}

/// The current month in China time, `YYYY-MM`, with an offset in months.
pub fn month_of(t: DateTime<Utc>, offset: i32) -> String {
    let l = t.with_timezone(&cst());
    let total = l.year() * 12 + l.month0() as i32 + offset;
    format!(
        "{:04}-{:02}",
        total.div_euclid(12),
        total.rem_euclid(12) + 1
    )
}

/// Now, from the browser's clock.
pub fn now() -> DateTime<Utc> {
    let ms = js_sys::Date::now() as i64;
    DateTime::from_timestamp_millis(ms).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn chinese_dates_are_in_china_time() {
        let t = DateTime::parse_from_rfc3339("2026-11-23T18:05:00Z")
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_default();
        assert_eq!(date_time(Lang::Zh, t), "2026年11月24日 02:05");
        assert_eq!(date_time(Lang::En, t), "2026-11-24 02:05");
        assert_eq!(month(Lang::Zh, "2026-03"), "2026年3月");
        assert_eq!(month_of(t, 0), "2026-11");
        assert_eq!(month_of(t, -11), "2025-12");
        assert_eq!(from_local_input(&to_local_input(t)), Some(t));
        assert_eq!(to_local_input(t), "2026-11-24T02:05");
        assert_eq!(from_local_input("2026-11-24T2:05"), None);
        assert_eq!(from_local_input("2026-11-24 02:05"), None);
        assert_eq!(
            parse_date("2026-02-28"),
            NaiveDate::from_ymd_opt(2026, 2, 28)
        );
        for bad in ["2026-02-30", "2026-2-28", "26-02-28", "2026-02-28x", ""] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
    }

    #[wasm_bindgen_test]
    fn money_in_yuan_with_groups() {
        assert_eq!(money(0), "¥0.00");
        assert_eq!(money(1_234_560), "¥12,345.60");
        assert_eq!(money(100_000_000), "¥1,000,000.00");
        assert_eq!(money(-5), "-¥0.05");
        assert_eq!(hours(Lang::Zh, 3.5), "3.5 小时");
        assert_eq!(parse_yuan("12,345.6"), Some(1_234_560));
        assert_eq!(parse_yuan("¥200000"), Some(20_000_000));
        assert_eq!(parse_yuan("0.05"), Some(5));
        assert_eq!(parse_yuan("1.234"), None);
        assert_eq!(parse_yuan("-3"), None);
        assert_eq!(parse_yuan("abc"), None);
        assert_eq!(hours(Lang::En, 2.0), "2 h");
    }
}
