//! Activities, sign-ups, check-in and hour confirmation (rules 17-22).

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc, Weekday};

use crate::organization::string_enum;

string_enum! {
    /// How a participant's attendance was recorded.
    AttendanceSource {
        /// Checked in and out with the rotating code.
        Code => "code",
        /// Recorded by a leader or an admin, with a reason.
        Manual => "manual",
    }
}

string_enum! {
    /// Service categories used nationally (rule 17).
    ActivityCategory {
        TechnicalService => "technical_service",
        Livelihood => "livelihood",
        SciencePopularisation => "science_popularisation",
        Emergency => "emergency",
        Professional => "professional",
    }
}

string_enum! {
    /// Key dates worth tagging (rule 18).
    KeyDate {
        /// 学雷锋纪念日, 5 March.
        LeiFengDay => "lei_feng_day",
        /// 全国科技工作者日, 30 May.
        ScienceWorkersDay => "science_workers_day",
        /// 科技活动周, May.
        ScienceWeek => "science_week",
        /// 全国科普日, September.
        SciencePopularisationDay => "science_popularisation_day",
        /// 国际志愿者日, 5 December.
        InternationalVolunteerDay => "international_volunteer_day",
    }
}

string_enum! {
    /// Life of an activity: drafted, published (open to sign-up), cancelled.
    ActivityStatus {
        Draft => "draft",
        Published => "published",
        Cancelled => "cancelled",
    }
}

string_enum! {
    /// A sign-up holds a place (`confirmed`), waits for one (`waitlisted`) or was withdrawn.
    SignUpStatus {
        Confirmed => "confirmed",
        Waitlisted => "waitlisted",
        Cancelled => "cancelled",
    }
}

/// Largest capacity of one activity.
pub const MAX_CAPACITY: i32 = 100_000;

/// Two time ranges overlap when each starts before the other ends (touching ends do not).
pub fn overlaps(
    a_start: DateTime<Utc>,
    a_end: DateTime<Utc>,
    b_start: DateTime<Utc>,
    b_end: DateTime<Utc>,
) -> bool {
    a_start < b_end && b_start < a_end
}

/// Adds working days to a date; Saturdays and Sundays are not working days.
pub fn add_working_days(from: NaiveDate, days: u32) -> NaiveDate {
    let mut d = from;
    let mut left = days;
    while left > 0 {
        d = d.succ_opt().unwrap_or(d);
        if !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) {
            left -= 1;
        }
    }
    d
}

/// Minutes actually served between check-in and check-out, counted only inside the
/// activity's own time (travel and waiting before the start are excluded, rule 21).
pub fn served_minutes(
    check_in: DateTime<Utc>,
    check_out: DateTime<Utc>,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
) -> u32 {
    let from = check_in.max(starts_at);
    let to = check_out.min(ends_at);
    if to <= from {
        return 0;
    }
    u32::try_from((to - from).num_minutes()).unwrap_or(u32::MAX)
}

/// Hours as tenths, from a decimal number of hours entered by hand:
/// 0 to 24 per activity day, at most one decimal place.
pub fn entered_tenths(hours: f64, starts_at: DateTime<Utc>, ends_at: DateTime<Utc>) -> Option<i32> {
    if !hours.is_finite() || hours < 0.0 {
        return None;
    }
    let tenths = (hours * 10.0).round();
    if (tenths - hours * 10.0).abs() > 1e-6 {
        return None;
    }
    let days = ((ends_at - starts_at).num_hours() / 24 + 1).max(1) as f64;
    if tenths > days * 240.0 {
        return None;
    }
    Some(tenths as i32)
}

/// The rotating time slot a check-in code belongs to.
pub fn check_in_slot(now: DateTime<Utc>, period_secs: i64) -> i64 {
    now.timestamp().div_euclid(period_secs.max(1))
}

/// When a slot's code stops being accepted: the end of the slot after it (a code read out
/// just before rotation still works for one more period).
pub fn check_in_slot_expiry(slot: i64, period_secs: i64) -> DateTime<Utc> {
    DateTime::<Utc>::from_timestamp((slot + 2) * period_secs.max(1), 0).unwrap_or_default()
}

/// Check-in is possible from an hour before the start to an hour after the end.
pub fn check_in_open(now: DateTime<Utc>, starts_at: DateTime<Utc>, ends_at: DateTime<Utc>) -> bool {
    now >= starts_at - Duration::hours(1) && now <= ends_at + Duration::hours(1)
}

/// Thresholds of the annual "four top tens" (rule 26; configurable).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RecognitionRule {
    pub volunteer_min_activities: i64,
    pub volunteer_min_hours: f64,
    pub team_min_members: i64,
    pub team_min_activities: i64,
    pub team_min_hours_per_member: f64,
    pub team_min_hours: f64,
}

impl Default for RecognitionRule {
    fn default() -> Self {
        Self {
            volunteer_min_activities: 10,
            volunteer_min_hours: 20.0,
            team_min_members: 20,
            team_min_activities: 50,
            team_min_hours_per_member: 5.0,
            team_min_hours: 100.0,
        }
    }
}

impl RecognitionRule {
    pub fn volunteer_eligible(&self, activities: i64, hours: f64) -> bool {
        activities >= self.volunteer_min_activities && hours >= self.volunteer_min_hours
    }

    /// What a team still lacks (empty when it is eligible), as stable codes.
    pub fn team_shortfalls(&self, members: i64, activities: i64, hours: f64) -> Vec<&'static str> {
        let mut out = Vec::new();
        if members < self.team_min_members {
            out.push("members");
        }
        if activities < self.team_min_activities {
            out.push("activities");
        }
        let per_member = if members > 0 {
            hours / members as f64
        } else {
            0.0
        };
        if per_member < self.team_min_hours_per_member {
            out.push("hours_per_member");
        }
        if hours < self.team_min_hours {
            out.push("hours");
        }
        out
    }
}

/// Points: one per confirmed hour (rule 24), whole points only.
pub fn points(confirmed_tenths: i64) -> i64 {
    confirmed_tenths.max(0) / 10
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t(h: u32, m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 5, h, m, 0)
            .single()
            .unwrap_or_default()
    }

    #[test]
    fn overlap_excludes_touching_ends() {
        assert!(overlaps(t(1, 0), t(3, 0), t(2, 0), t(4, 0)));
        assert!(!overlaps(t(1, 0), t(2, 0), t(2, 0), t(4, 0)));
        assert!(overlaps(t(1, 0), t(5, 0), t(2, 0), t(3, 0)));
    }

    #[test]
    fn working_days_skip_weekends() {
        // Friday 2026-11-20 + 1 working day = Monday 2026-11-23.
        let fri = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap_or_default();
        assert_eq!(
            add_working_days(fri, 1),
            NaiveDate::from_ymd_opt(2026, 11, 23).unwrap_or_default()
        );
        // Ten working days are two calendar weeks.
        assert_eq!(
            add_working_days(fri, 10),
            NaiveDate::from_ymd_opt(2026, 12, 4).unwrap_or_default()
        );
        let sat = NaiveDate::from_ymd_opt(2026, 11, 21).unwrap_or_default();
        assert_eq!(
            add_working_days(sat, 1),
            NaiveDate::from_ymd_opt(2026, 11, 23).unwrap_or_default()
        );
    }

    #[test]
    fn served_minutes_clip_to_the_activity() {
        assert_eq!(served_minutes(t(8, 0), t(12, 0), t(9, 0), t(11, 0)), 120);
        assert_eq!(served_minutes(t(9, 30), t(10, 10), t(9, 0), t(11, 0)), 40);
        assert_eq!(served_minutes(t(12, 0), t(13, 0), t(9, 0), t(11, 0)), 0);
    }

    #[test]
    fn entered_hours() {
        assert_eq!(entered_tenths(2.5, t(9, 0), t(11, 0)), Some(25));
        assert_eq!(entered_tenths(2.25, t(9, 0), t(11, 0)), None);
        assert_eq!(entered_tenths(-1.0, t(9, 0), t(11, 0)), None);
        assert_eq!(entered_tenths(25.0, t(9, 0), t(11, 0)), None);
        assert_eq!(entered_tenths(f64::NAN, t(9, 0), t(11, 0)), None);
    }

    #[test]
    fn slots_rotate_and_expire_after_the_next_one() {
        let p = 300;
        let s = check_in_slot(t(9, 0), p);
        assert_eq!(check_in_slot(t(9, 4), p), s);
        assert_eq!(check_in_slot(t(9, 5), p), s + 1);
        assert_eq!(check_in_slot_expiry(s, p), t(9, 10));
    }

    #[test]
    fn recognition_thresholds() {
        let r = RecognitionRule::default();
        assert!(r.volunteer_eligible(10, 20.0));
        assert!(!r.volunteer_eligible(9, 100.0));
        assert!(!r.volunteer_eligible(10, 19.5));
        assert!(r.team_shortfalls(20, 50, 100.0).is_empty());
        assert_eq!(
            r.team_shortfalls(40, 50, 150.0),
            vec!["hours_per_member"],
            "150 h over 40 members is 3.75 h each"
        );
        assert_eq!(
            r.team_shortfalls(0, 0, 0.0),
            vec!["members", "activities", "hours_per_member", "hours"]
        );
    }

    #[test]
    fn points_are_whole_hours() {
        assert_eq!(points(25), 2);
        assert_eq!(points(0), 0);
    }
}
