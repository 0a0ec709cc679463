//! Monthly reports (月度报告) and their roll-up, rules 39-43: months, deadlines with the grace
//! period, report states, and the minimum-activity rule.

use crate::ProblemCode;
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};

use crate::error::FieldError;
use crate::organization::string_enum;

string_enum! {
    /// States of a monthly report.
    ReportStatus {
        Draft => "draft",
        Submitted => "submitted",
        /// Sent back by the parent with a reason; changed and submitted again.
        Returned => "returned",
        Accepted => "accepted",
    }
}

impl ReportStatus {
    /// Whether the organisation may still change the report (figures, photos): a draft or
    /// a returned report.
    pub fn is_open(self) -> bool {
        matches!(self, ReportStatus::Draft | ReportStatus::Returned)
    }

    /// Whether the report counts as filed (submitted or accepted) in a summary.
    pub fn is_filed(self) -> bool {
        matches!(self, ReportStatus::Submitted | ReportStatus::Accepted)
    }
}

string_enum! {
    /// What a row of a roll-up (汇总) stands for, and the scope the whole roll-up covers.
    RollupKind {
        /// The organisation's own figures (本级), beside its children's subtrees.
        Own => "self",
        /// An organisation with everything under it.
        Organization => "organization",
        /// A region (province, city or county).
        Region => "region",
        /// The whole country.
        Nation => "nation",
    }
}

string_enum! {
    /// A month's report as a year's summary shows it: its status, or missing.
    MonthStanding {
        Draft => "draft",
        Submitted => "submitted",
        Returned => "returned",
        Accepted => "accepted",
        /// No report was created for the month.
        Missing => "missing",
    }
}

impl From<ReportStatus> for MonthStanding {
    fn from(s: ReportStatus) -> Self {
        match s {
            ReportStatus::Draft => MonthStanding::Draft,
            ReportStatus::Submitted => MonthStanding::Submitted,
            ReportStatus::Returned => MonthStanding::Returned,
            ReportStatus::Accepted => MonthStanding::Accepted,
        }
    }
}

string_enum! {
    /// What can be done to a monthly report.
    ReportAction {
        /// Change the figures' notes and the narrative (the organisation's admins).
        Update => "update",
        Submit => "submit",
        /// Send back with a reason (the parent's admins).
        Return => "return",
        Accept => "accept",
    }
}

/// Who the caller is to a report.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReportRoles {
    /// An admin of the reporting organisation.
    pub author: bool,
    /// An admin of the organisation that accepts or returns it (its parent, or the platform
    /// for a top-level organisation).
    pub decider: bool,
}

/// The states an action may start from: a report is written while a draft or returned,
/// and decided once submitted.
pub fn report_action_starts_from(action: ReportAction) -> &'static [ReportStatus] {
    match action {
        ReportAction::Update | ReportAction::Submit => {
            &[ReportStatus::Draft, ReportStatus::Returned]
        }
        ReportAction::Return | ReportAction::Accept => &[ReportStatus::Submitted],
    }
}

/// What the caller may do to a report now: the one rule the service checks and the
/// dashboard shows.
pub fn report_allowed_actions(status: ReportStatus, roles: ReportRoles) -> Vec<ReportAction> {
    ReportAction::ALL
        .iter()
        .copied()
        .filter(|a| match a {
            ReportAction::Update | ReportAction::Submit => roles.author,
            ReportAction::Return | ReportAction::Accept => roles.decider,
        })
        .filter(|a| report_action_starts_from(*a).contains(&status))
        .collect()
}

string_enum! {
    /// How often an organisation must hold an activity (rule 41).
    ActivityRule {
        Monthly => "monthly",
        Quarterly => "quarterly",
    }
}

/// Default grace: a report for month M may come until the 5th of M+1 (rule 40).
pub const DEFAULT_GRACE_DAYS: u32 = 5;

/// Longest range a roll-up covers.
pub const MAX_MONTHS: u32 = 24;

/// A calendar month, written `YYYY-MM`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    year: i32,
    month: u32,
}

impl Month {
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let bad = || FieldError::new(ProblemCode::InvalidMonth, "a month is written YYYY-MM");
        let (y, m) = raw.trim().split_once('-').ok_or_else(bad)?;
        if y.len() != 4 || m.len() != 2 {
            return Err(bad());
        }
        let year: i32 = y.parse().map_err(|_| bad())?;
        let month: u32 = m.parse().map_err(|_| bad())?;
        if !(1..=12).contains(&month) || !(2000..=2100).contains(&year) {
            return Err(bad());
        }
        Ok(Self { year, month })
    }

    /// The month a date falls in.
    pub fn of(d: NaiveDate) -> Self {
        Self {
            year: d.year(),
            month: d.month(),
        }
    }

    pub fn year(self) -> i32 {
        self.year
    }

    pub fn number(self) -> u32 {
        self.month
    }

    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).unwrap_or_default()
    }

    pub fn next(self) -> Self {
        if self.month == 12 {
            Self {
                year: self.year + 1,
                month: 1,
            }
        } else {
            Self {
                year: self.year,
                month: self.month + 1,
            }
        }
    }

    pub fn last_day(self) -> NaiveDate {
        self.next().first_day() - Duration::days(1)
    }

    /// Months from `self` to `to`, both included (empty when `to` comes first).
    pub fn through(self, to: Month) -> Vec<Month> {
        let mut out = vec![];
        let mut m = self;
        while m <= to && out.len() < 1200 {
            out.push(m);
            m = m.next();
        }
        out
    }

    /// The first month of the quarter this month is in.
    pub fn quarter_start(self) -> Self {
        Self {
            year: self.year,
            month: (self.month - 1) / 3 * 3 + 1,
        }
    }
}

impl std::fmt::Display for Month {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

/// The last day (China date) a report for `month` is on time: the `grace_days`-th of the
/// next month (0: the month's last day).
pub fn last_on_time_day(month: Month, grace_days: u32) -> NaiveDate {
    if grace_days == 0 {
        month.last_day()
    } else {
        month.next().first_day() + Duration::days(i64::from(grace_days) - 1)
    }
}

/// The date in China Standard Time (UTC+8), where the programme's dates are kept, of an
/// instant.
pub fn china_date(t: DateTime<Utc>) -> NaiveDate {
    (t + Duration::hours(8)).date_naive()
}

/// Midnight of a China date (UTC+8), as a UTC instant.
pub fn china_day_start(d: NaiveDate) -> DateTime<Utc> {
    d.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc() - Duration::hours(8)
}

/// Whether a report filed on `filed` (China date) is late.
pub fn is_late(month: Month, filed: NaiveDate, grace_days: u32) -> bool {
    filed > last_on_time_day(month, grace_days)
}

/// Whether a report for `month` not filed by `today` is overdue (missing).
pub fn is_overdue(month: Month, today: NaiveDate, grace_days: u32) -> bool {
    today > last_on_time_day(month, grace_days)
}

/// Activities an organisation must hold over `months` consecutive months under its rule:
/// one a month, or one a quarter (rounded up).
pub fn required_activities(months: u32, rule: ActivityRule) -> u32 {
    match rule {
        ActivityRule::Monthly => months,
        ActivityRule::Quarterly => months.div_ceil(3),
    }
}

/// The rule that applies in a region: the longest configured prefix wins
/// (`("4403", Quarterly)` covers every county of Shenzhen).
pub fn rule_for(region_code: &str, overrides: &[(String, ActivityRule)]) -> ActivityRule {
    overrides
        .iter()
        .filter(|(prefix, _)| region_code.starts_with(prefix.as_str()))
        .max_by_key(|(prefix, _)| prefix.len())
        .map(|(_, r)| *r)
        .unwrap_or(ActivityRule::Monthly)
}

/// The region-code prefix of a region: `110000` → `11`, `110100` → `1101`, `110105` → itself.
pub fn region_prefix(code: &str) -> &str {
    if code.len() == 6 && code.ends_with("0000") {
        &code[..2]
    } else if code.len() == 6 && code.ends_with("00") {
        &code[..4]
    } else {
        code
    }
}

/// The child region of `parent_prefix` that `code` lies in: a province's city (`1101` + `00`),
/// a city's county, or, under the nation (empty prefix), the province.
pub fn child_region(parent_prefix: &str, code: &str) -> Option<String> {
    if !code.starts_with(parent_prefix) || code.len() != 6 {
        return None;
    }
    Some(match parent_prefix.len() {
        0 => format!("{}0000", &code[..2]),
        2 => format!("{}00", &code[..4]),
        _ => code.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_report_is_open_or_filed_never_both() {
        use ReportStatus as S;
        let open: Vec<_> = S::ALL.iter().filter(|s| s.is_open()).collect();
        let filed: Vec<_> = S::ALL.iter().filter(|s| s.is_filed()).collect();
        assert_eq!(open, [&S::Draft, &S::Returned]);
        assert_eq!(filed, [&S::Submitted, &S::Accepted]);
    }

    #[test]
    fn every_report_state_offers_each_role_its_steps() {
        use ReportAction as A;
        let author = ReportRoles {
            author: true,
            decider: false,
        };
        let decider = ReportRoles {
            author: false,
            decider: true,
        };
        for s in [ReportStatus::Draft, ReportStatus::Returned] {
            assert_eq!(report_allowed_actions(s, author), [A::Update, A::Submit]);
            assert!(report_allowed_actions(s, decider).is_empty());
        }
        assert!(report_allowed_actions(ReportStatus::Submitted, author).is_empty());
        assert_eq!(
            report_allowed_actions(ReportStatus::Submitted, decider),
            [A::Return, A::Accept]
        );
        let both = ReportRoles {
            author: true,
            decider: true,
        };
        assert!(
            report_allowed_actions(ReportStatus::Accepted, both).is_empty(),
            "accepted is final"
        );
    }

    fn m(s: &str) -> Month {
        Month::parse(s).unwrap_or(Month {
            year: 2000,
            month: 1,
        })
    }

    fn d(y: i32, mo: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, mo, day).unwrap_or_default()
    }

    #[test]
    fn months_parse_and_step() {
        assert!(Month::parse("2026-13").is_err());
        assert!(Month::parse("2026-1").is_err());
        assert!(Month::parse("26-01").is_err());
        assert_eq!(m("2026-12").next(), m("2027-01"));
        assert_eq!(m("2026-02").last_day(), d(2026, 2, 28));
        assert_eq!(m("2024-02").last_day(), d(2024, 2, 29));
        assert_eq!(m("2026-11").through(m("2027-02")).len(), 4);
        assert!(m("2026-11").through(m("2026-10")).is_empty());
        assert_eq!(m("2026-08").quarter_start(), m("2026-07"));
        assert_eq!(m("2026-03").to_string(), "2026-03");
    }

    #[test]
    fn deadlines_with_grace() {
        let june = m("2026-06");
        assert_eq!(last_on_time_day(june, 5), d(2026, 7, 5));
        assert!(!is_late(june, d(2026, 7, 5), 5));
        assert!(is_late(june, d(2026, 7, 6), 5));
        assert_eq!(last_on_time_day(m("2026-12"), 5), d(2027, 1, 5));
        assert_eq!(last_on_time_day(june, 0), d(2026, 6, 30));
        assert!(is_overdue(june, d(2026, 7, 6), 5));
        assert!(!is_overdue(june, d(2026, 7, 1), 5));
        assert_eq!(
            china_day_start(d(2026, 7, 1)).to_rfc3339(),
            "2026-06-30T16:00:00+00:00"
        );
        // China's date turns at 16:00 UTC, and the start of a day is in that day.
        let start = china_day_start(d(2026, 7, 1));
        assert_eq!(china_date(start), d(2026, 7, 1));
        assert_eq!(china_date(start - Duration::seconds(1)), d(2026, 6, 30));
    }

    #[test]
    fn activity_rules() {
        assert_eq!(required_activities(3, ActivityRule::Monthly), 3);
        assert_eq!(required_activities(4, ActivityRule::Quarterly), 2);
        let o = vec![
            ("44".to_string(), ActivityRule::Monthly),
            ("4403".to_string(), ActivityRule::Quarterly),
        ];
        assert_eq!(rule_for("440305", &o), ActivityRule::Quarterly);
        assert_eq!(rule_for("440105", &o), ActivityRule::Monthly);
        assert_eq!(rule_for("110105", &[]), ActivityRule::Monthly);
    }

    #[test]
    fn region_tree() {
        assert_eq!(region_prefix("130000"), "13");
        assert_eq!(region_prefix("130100"), "1301");
        assert_eq!(region_prefix("130102"), "130102");
        assert_eq!(child_region("", "130102").as_deref(), Some("130000"));
        assert_eq!(child_region("13", "130102").as_deref(), Some("130100"));
        assert_eq!(child_region("1301", "130102").as_deref(), Some("130102"));
        assert_eq!(child_region("14", "130102"), None);
    }
}
