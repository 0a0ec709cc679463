//! Activities, sign-ups, check-in and hour confirmation (rules 17-22).

use crate::FieldError;
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc, Weekday};

use crate::organization::string_enum;
use crate::pairing::TransitionError;
use crate::ProblemCode;

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

string_enum! {
    /// What can be done to an activity (活动), by whom the roles of [`activity_allowed_actions`] say.
    ActivityAction {
        /// Change its details (the running organisation's admins).
        Update => "update",
        Publish => "publish",
        /// Cancel it with a reason shown to those who signed up.
        Cancel => "cancel",
        /// Sign up for it (a registered volunteer the activity admits).
        SignUp => "sign_up",
        /// Withdraw one's own sign-up.
        WithdrawSignUp => "withdraw_sign_up",
        /// Check in or out with the code the leader shows (a volunteer signed up).
        CheckIn => "check_in",
        /// Show the rotating check-in code (leaders and the organisation's admins).
        IssueCheckInCode => "issue_check_in_code",
        /// Record a participant's attendance by hand (leaders and admins).
        RecordAttendance => "record_attendance",
        /// Confirm the participants' service hours once it has ended (the admins).
        ConfirmHours => "confirm_hours",
    }
}

/// The facts of an activity the rules of its actions read, besides its status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ActivityFacts {
    pub now: DateTime<Utc>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub sign_up_opens_at: DateTime<Utc>,
    pub sign_up_closes_at: DateTime<Utc>,
    /// Hours were confirmed for someone: the activity happened and cannot be cancelled.
    pub hours_confirmed: bool,
}

/// Who the caller is to an activity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ActivityRoles {
    /// An admin of the running organisation.
    pub runs: bool,
    /// One of the activity's leaders.
    pub leads: bool,
    /// A registered volunteer the activity admits (open to all, or a member of the team).
    pub may_sign_up: bool,
    /// Holds a live sign-up (confirmed or waitlisted).
    pub signed_up: bool,
}

/// The statuses an action may start from.
impl ActivityCategory {
    /// The category's name in Chinese, as forms and imported files write it.
    pub fn title_zh(self) -> &'static str {
        match self {
            ActivityCategory::TechnicalService => "技术服务",
            ActivityCategory::Livelihood => "民生服务",
            ActivityCategory::SciencePopularisation => "科普服务",
            ActivityCategory::Emergency => "应急服务",
            ActivityCategory::Professional => "专业服务",
        }
    }
}

pub fn activity_action_starts_from(action: ActivityAction) -> &'static [ActivityStatus] {
    use ActivityAction as A;
    use ActivityStatus as S;
    match action {
        A::Update | A::Cancel => &[S::Draft, S::Published],
        A::Publish => &[S::Draft],
        A::SignUp | A::CheckIn | A::IssueCheckInCode | A::RecordAttendance | A::ConfirmHours => {
            &[S::Published]
        }
        A::WithdrawSignUp => &[S::Draft, S::Published, S::Cancelled],
    }
}

fn refuse(code: ProblemCode, message: impl Into<String>) -> TransitionError {
    TransitionError {
        code,
        message: message.into(),
    }
}

/// The status an activity moves to when `action` is taken (its own for every action but
/// publishing and cancelling), or why it cannot be taken now (rules 17-22).
pub fn activity_transition(
    status: ActivityStatus,
    action: ActivityAction,
    f: &ActivityFacts,
) -> Result<ActivityStatus, TransitionError> {
    use ActivityAction as A;
    if !activity_action_starts_from(action).contains(&status) {
        let code = match action {
            A::SignUp
            | A::CheckIn
            | A::IssueCheckInCode
            | A::RecordAttendance
            | A::ConfirmHours => ProblemCode::ActivityNotOpen,
            _ => ProblemCode::ActivityStatus,
        };
        return Err(refuse(
            code,
            format!(
                "the activity is {}; it cannot {}",
                status.as_str(),
                action_words(action)
            ),
        ));
    }
    match action {
        A::Publish if f.ends_at <= f.now => Err(refuse(
            ProblemCode::ActivityEnded,
            "an activity that has ended cannot be published",
        )),
        A::Cancel if f.hours_confirmed => Err(refuse(
            ProblemCode::HoursConfirmed,
            "hours were confirmed for this activity; it cannot be cancelled",
        )),
        A::SignUp if f.now < f.sign_up_opens_at => Err(refuse(
            ProblemCode::SignUpNotOpenYet,
            format!("sign-up opens at {}", f.sign_up_opens_at.to_rfc3339()),
        )),
        A::SignUp if f.now > f.sign_up_closes_at => Err(refuse(
            ProblemCode::SignUpClosed,
            "sign-up for this activity has closed",
        )),
        A::WithdrawSignUp if status == ActivityStatus::Published && f.now >= f.starts_at => {
            Err(refuse(
                ProblemCode::ActivityStarted,
                "the activity has started; ask its leader to record your absence",
            ))
        }
        A::IssueCheckInCode | A::CheckIn if !check_in_open(f.now, f.starts_at, f.ends_at) => {
            Err(refuse(
                ProblemCode::CheckInClosed,
                "check-in runs from an hour before the start to an hour after the end",
            ))
        }
        A::ConfirmHours if f.now < f.ends_at => Err(refuse(
            ProblemCode::ActivityNotEnded,
            "hours are confirmed after the activity ends",
        )),
        A::Publish => Ok(ActivityStatus::Published),
        A::Cancel => Ok(ActivityStatus::Cancelled),
        _ => Ok(status),
    }
}

fn action_words(action: ActivityAction) -> &'static str {
    match action {
        ActivityAction::Update => "be changed",
        ActivityAction::Publish => "be published",
        ActivityAction::Cancel => "be cancelled",
        ActivityAction::SignUp => "take sign-ups",
        ActivityAction::WithdrawSignUp => "take withdrawals",
        ActivityAction::CheckIn => "check anyone in",
        ActivityAction::IssueCheckInCode => "check anyone in",
        ActivityAction::RecordAttendance => "record attendance",
        ActivityAction::ConfirmHours => "have hours confirmed",
    }
}

/// What the caller may do to an activity now: the one rule the service checks and the
/// dashboard shows.
pub fn activity_allowed_actions(
    status: ActivityStatus,
    roles: ActivityRoles,
    f: &ActivityFacts,
) -> Vec<ActivityAction> {
    use ActivityAction as A;
    ActivityAction::ALL
        .iter()
        .copied()
        .filter(|a| match a {
            A::Update | A::Publish | A::Cancel | A::ConfirmHours => roles.runs,
            A::IssueCheckInCode | A::RecordAttendance => roles.runs || roles.leads,
            A::SignUp => roles.may_sign_up && !roles.signed_up,
            A::WithdrawSignUp | A::CheckIn => roles.signed_up,
        })
        .filter(|a| activity_transition(status, *a, f).is_ok())
        .collect()
}

string_enum! {
    /// What can be done to a sign-up (报名).
    SignUpAction {
        /// Check in or out with the rotating code.
        CheckIn => "check_in",
        /// Have service hours confirmed.
        ConfirmHours => "confirm_hours",
    }
}

/// Whether a sign-up in `status` may take `action`: only a confirmed place checks in or
/// has hours confirmed; a waiting-list place waits, a withdrawn one is gone.
pub fn sign_up_transition(
    status: SignUpStatus,
    action: SignUpAction,
) -> Result<SignUpStatus, TransitionError> {
    match status {
        SignUpStatus::Confirmed => Ok(status),
        SignUpStatus::Waitlisted => Err(refuse(
            ProblemCode::Waitlisted,
            match action {
                SignUpAction::CheckIn => {
                    "you are on the waiting list, without a place; the leader can record you"
                }
                SignUpAction::ConfirmHours => "a waiting-list place has no hours to confirm",
            },
        )),
        SignUpStatus::Cancelled => Err(refuse(
            ProblemCode::NotSignedUp,
            "the sign-up was withdrawn",
        )),
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

/// The last China date on which the hours of an activity that ended at `ends_at` may be
/// confirmed: `working_days` working days after its last day (rule 22).
pub fn hours_confirmable_until(ends_at: DateTime<Utc>, working_days: u32) -> NaiveDate {
    add_working_days(crate::report::china_date(ends_at), working_days)
}

/// The earliest end of an activity whose hours may still be confirmed at `now`: activities
/// that ended before it are past [`hours_confirmable_until`]. For the lists of what is
/// waiting, which select by end.
pub fn hours_confirmable_since(now: DateTime<Utc>, working_days: u32) -> DateTime<Utc> {
    let today = crate::report::china_date(now);
    // `add_working_days` never decreases as its start moves on, so step back while the day
    // before still reaches today.
    let mut first = today;
    while let Some(before) = first.pred_opt() {
        if add_working_days(before, working_days) < today {
            break;
        }
        first = before;
    }
    crate::report::china_day_start(first)
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

/// A participant of an activity as hour confirmation sees them (`I` is the store's id).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Participant<I> {
    pub sign_up: I,
    pub volunteer: I,
    pub absent: bool,
    /// Hours from their check-in and check-out under the rounding rule, in tenths.
    pub computed_tenths: i32,
    /// Hours confirmed before, in tenths, if any.
    pub confirmed_tenths: Option<i32>,
}

/// One line of a confirmation as the organisation sent it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HoursLine<'a, I> {
    pub volunteer: I,
    /// Entered by hand; none: computed from check-in and check-out.
    pub hours: Option<f64>,
    pub reason: Option<&'a str>,
}

/// Hours to record for one participant.
#[derive(Debug, Clone, PartialEq)]
pub struct PlannedHours<I> {
    pub sign_up: I,
    pub volunteer: I,
    pub tenths: i32,
    pub reason: Option<String>,
}

/// Plans an hour confirmation (rules 21-22): each listed participant once, with the hours
/// entered (0 to 24 a day of the activity, one decimal) or computed; a change to hours
/// confirmed before needs a reason; with `all`, every participant not listed, not absent
/// and not yet confirmed gets their computed hours. Refusals name the line's field
/// (`entries[i].…`).
pub fn plan_confirmation<I: Copy + Ord>(
    lines: &[HoursLine<'_, I>],
    all: bool,
    participants: &[Participant<I>],
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
) -> Result<Vec<PlannedHours<I>>, Vec<(String, FieldError)>> {
    let mut problems = vec![];
    let mut planned = vec![];
    let mut listed = std::collections::BTreeSet::new();
    if !all && lines.is_empty() {
        problems.push((
            "entries".to_string(),
            FieldError::new(
                ProblemCode::Required,
                "list participants, or send all: true for every participant",
            ),
        ));
    }
    for (i, line) in lines.iter().enumerate() {
        let Some(p) = participants.iter().find(|p| p.volunteer == line.volunteer) else {
            problems.push((
                format!("entries[{i}].volunteer_id"),
                FieldError::new(
                    ProblemCode::NotAParticipant,
                    "the volunteer has no place on this activity",
                ),
            ));
            continue;
        };
        if !listed.insert(line.volunteer) {
            problems.push((
                format!("entries[{i}].volunteer_id"),
                FieldError::new(ProblemCode::Duplicate, "each participant once"),
            ));
            continue;
        }
        let tenths = match line.hours {
            Some(h) => match entered_tenths(h, starts_at, ends_at) {
                Some(t) => t,
                None => {
                    problems.push((
                        format!("entries[{i}].hours"),
                        FieldError::new(
                            ProblemCode::InvalidHours,
                            "hours are 0 to 24 per day of the activity, with one decimal at most",
                        ),
                    ));
                    continue;
                }
            },
            None => p.computed_tenths,
        };
        if p.confirmed_tenths.is_some_and(|t| t != tenths) && line.reason.is_none() {
            problems.push((
                format!("entries[{i}].reason"),
                FieldError::new(
                    ProblemCode::CorrectionReasonRequired,
                    "these hours were confirmed before; say why they change",
                ),
            ));
        }
        planned.push(PlannedHours {
            sign_up: p.sign_up,
            volunteer: p.volunteer,
            tenths,
            reason: line.reason.map(|r| r.trim().to_string()),
        });
    }
    if all {
        for p in participants {
            if listed.contains(&p.volunteer) || p.absent || p.confirmed_tenths.is_some() {
                continue;
            }
            planned.push(PlannedHours {
                sign_up: p.sign_up,
                volunteer: p.volunteer,
                tenths: p.computed_tenths,
                reason: None,
            });
        }
    }
    if problems.is_empty() {
        Ok(planned)
    } else {
        Err(problems)
    }
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
    fn the_confirmation_window_and_its_first_end_agree() {
        // Each end from 40 days back: confirmable now exactly when it is on or after the
        // first end the lists select by.
        let now = Utc.with_ymd_and_hms(2026, 6, 10, 3, 0, 0).unwrap();
        for days in [0_u32, 1, 5, 10] {
            let since = hours_confirmable_since(now, days);
            for h in 0..(40 * 24) {
                let ends = now - Duration::hours(h);
                let open = hours_confirmable_until(ends, days) >= crate::report::china_date(now);
                assert_eq!(open, ends >= since, "{days} days, ended {ends}");
            }
        }
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

#[cfg(test)]
mod state_machine_tests {
    use super::*;
    use chrono::TimeZone;

    fn at(h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 5, 10, h, 0, 0)
            .single()
            .unwrap_or_default()
    }

    fn facts(now: u32) -> ActivityFacts {
        ActivityFacts {
            now: at(now),
            starts_at: at(10),
            ends_at: at(12),
            sign_up_opens_at: at(2),
            sign_up_closes_at: at(9),
            hours_confirmed: false,
        }
    }

    #[test]
    fn every_state_and_action_is_allowed_or_refused_with_its_code() {
        use ActivityAction as A;
        use ActivityStatus as S;
        let code = |s, a, f: &ActivityFacts| activity_transition(s, a, f).err().map(|e| e.code);
        let f = facts(5);
        // Draft: written, published, cancelled; nothing happens at it.
        assert_eq!(
            activity_transition(S::Draft, A::Publish, &f),
            Ok(S::Published)
        );
        assert_eq!(
            activity_transition(S::Draft, A::Cancel, &f),
            Ok(S::Cancelled)
        );
        assert_eq!(activity_transition(S::Draft, A::Update, &f), Ok(S::Draft));
        for a in [
            A::SignUp,
            A::CheckIn,
            A::IssueCheckInCode,
            A::RecordAttendance,
            A::ConfirmHours,
        ] {
            assert_eq!(
                code(S::Draft, a, &f),
                Some(ProblemCode::ActivityNotOpen),
                "{a:?}"
            );
            assert_eq!(
                code(S::Cancelled, a, &f),
                Some(ProblemCode::ActivityNotOpen),
                "{a:?}"
            );
        }
        // Published: no second publication; sign-up inside its window.
        assert_eq!(
            code(S::Published, A::Publish, &f),
            Some(ProblemCode::ActivityStatus)
        );
        assert_eq!(
            activity_transition(S::Published, A::SignUp, &f),
            Ok(S::Published)
        );
        assert_eq!(
            code(S::Published, A::SignUp, &facts(1)),
            Some(ProblemCode::SignUpNotOpenYet)
        );
        assert_eq!(
            code(S::Published, A::SignUp, &facts(10)),
            Some(ProblemCode::SignUpClosed)
        );
        assert_eq!(
            code(S::Published, A::WithdrawSignUp, &facts(10)),
            Some(ProblemCode::ActivityStarted)
        );
        assert!(activity_transition(S::Published, A::WithdrawSignUp, &facts(8)).is_ok());
        // Check-in from an hour before the start to an hour after the end.
        assert_eq!(
            code(S::Published, A::IssueCheckInCode, &facts(5)),
            Some(ProblemCode::CheckInClosed)
        );
        assert!(activity_transition(S::Published, A::IssueCheckInCode, &facts(9)).is_ok());
        assert!(activity_transition(S::Published, A::IssueCheckInCode, &facts(13)).is_ok());
        assert_eq!(
            code(S::Published, A::IssueCheckInCode, &facts(14)),
            Some(ProblemCode::CheckInClosed)
        );
        // Hours once it has ended; no cancelling after hours.
        assert_eq!(
            code(S::Published, A::ConfirmHours, &facts(11)),
            Some(ProblemCode::ActivityNotEnded)
        );
        assert!(activity_transition(S::Published, A::ConfirmHours, &facts(12)).is_ok());
        let done = ActivityFacts {
            hours_confirmed: true,
            ..facts(13)
        };
        assert_eq!(
            code(S::Published, A::Cancel, &done),
            Some(ProblemCode::HoursConfirmed)
        );
        // An ended activity is not published.
        assert_eq!(
            code(S::Draft, A::Publish, &facts(12)),
            Some(ProblemCode::ActivityEnded)
        );
        // Cancelled is final, but a sign-up to it may still be withdrawn.
        for a in [A::Update, A::Publish, A::Cancel] {
            assert_eq!(
                code(S::Cancelled, a, &f),
                Some(ProblemCode::ActivityStatus),
                "{a:?}"
            );
        }
        assert!(activity_transition(S::Cancelled, A::WithdrawSignUp, &facts(11)).is_ok());
    }

    #[test]
    fn each_role_is_offered_what_it_may_do() {
        use ActivityAction as A;
        use ActivityStatus as S;
        let admin = ActivityRoles {
            runs: true,
            ..Default::default()
        };
        let leader = ActivityRoles {
            leads: true,
            ..Default::default()
        };
        let volunteer = ActivityRoles {
            may_sign_up: true,
            ..Default::default()
        };
        let signed = ActivityRoles {
            may_sign_up: true,
            signed_up: true,
            ..Default::default()
        };
        assert_eq!(
            activity_allowed_actions(S::Draft, admin, &facts(5)),
            vec![A::Update, A::Publish, A::Cancel]
        );
        assert_eq!(
            activity_allowed_actions(S::Published, volunteer, &facts(5)),
            vec![A::SignUp]
        );
        assert_eq!(
            activity_allowed_actions(S::Published, signed, &facts(5)),
            vec![A::WithdrawSignUp]
        );
        assert_eq!(
            activity_allowed_actions(S::Published, signed, &facts(10)),
            vec![A::CheckIn]
        );
        assert_eq!(
            activity_allowed_actions(S::Published, leader, &facts(10)),
            vec![A::IssueCheckInCode, A::RecordAttendance]
        );
        assert_eq!(
            activity_allowed_actions(S::Published, admin, &facts(12)),
            vec![
                A::Update,
                A::Cancel,
                A::IssueCheckInCode,
                A::RecordAttendance,
                A::ConfirmHours
            ]
        );
        assert!(
            activity_allowed_actions(S::Published, ActivityRoles::default(), &facts(5)).is_empty()
        );
        assert!(activity_allowed_actions(S::Cancelled, admin, &facts(5)).is_empty());
    }

    #[test]
    fn only_a_confirmed_place_checks_in_or_has_hours() {
        for a in SignUpAction::ALL {
            assert!(sign_up_transition(SignUpStatus::Confirmed, *a).is_ok());
            assert_eq!(
                sign_up_transition(SignUpStatus::Waitlisted, *a)
                    .err()
                    .map(|e| e.code),
                Some(ProblemCode::Waitlisted)
            );
            assert_eq!(
                sign_up_transition(SignUpStatus::Cancelled, *a)
                    .err()
                    .map(|e| e.code),
                Some(ProblemCode::NotSignedUp)
            );
        }
    }
}

#[cfg(test)]
mod confirmation_tests {
    use super::*;
    use chrono::TimeZone;

    fn day(h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 6, 10, h, 0, 0).unwrap()
    }

    fn participant(
        n: u32,
        computed: i32,
        confirmed: Option<i32>,
        absent: bool,
    ) -> Participant<u32> {
        Participant {
            sign_up: 100 + n,
            volunteer: n,
            absent,
            computed_tenths: computed,
            confirmed_tenths: confirmed,
        }
    }

    fn line(n: u32, hours: Option<f64>, reason: Option<&str>) -> HoursLine<'_, u32> {
        HoursLine {
            volunteer: n,
            hours,
            reason,
        }
    }

    fn fields(
        r: Result<Vec<PlannedHours<u32>>, Vec<(String, FieldError)>>,
    ) -> Vec<(String, ProblemCode)> {
        r.err()
            .unwrap_or_default()
            .into_iter()
            .map(|(f, e)| (f, e.code))
            .collect()
    }

    #[test]
    fn all_adds_the_unlisted_present_and_unconfirmed_with_computed_hours() {
        let people = [
            participant(1, 40, None, false),
            participant(2, 30, None, true),
            participant(3, 20, Some(20), false),
            participant(4, 10, None, false),
        ];
        let plan =
            plan_confirmation(&[line(4, Some(2.5), None)], true, &people, day(1), day(5)).unwrap();
        let got: Vec<(u32, i32)> = plan.iter().map(|p| (p.volunteer, p.tenths)).collect();
        assert_eq!(
            got,
            vec![(4, 25), (1, 40)],
            "hand-entered for the listed one, computed for the others; not the absent or the confirmed"
        );
    }

    #[test]
    fn every_wrong_line_is_named() {
        let people = [
            participant(1, 40, Some(40), false),
            participant(2, 30, None, false),
        ];
        let lines = [
            line(9, None, None),
            line(1, Some(3.0), None),
            line(2, Some(2.25), None),
            line(2, None, None),
        ];
        assert_eq!(
            fields(plan_confirmation(&lines, false, &people, day(1), day(5))),
            vec![
                (
                    "entries[0].volunteer_id".into(),
                    ProblemCode::NotAParticipant
                ),
                (
                    "entries[1].reason".into(),
                    ProblemCode::CorrectionReasonRequired
                ),
                ("entries[2].hours".into(), ProblemCode::InvalidHours),
                ("entries[3].volunteer_id".into(), ProblemCode::Duplicate),
            ]
        );
        assert_eq!(
            fields(plan_confirmation(&[], false, &people, day(1), day(5))),
            vec![("entries".into(), ProblemCode::Required)],
            "nothing listed and not all"
        );
        let same = [line(1, Some(4.0), None)];
        assert!(
            plan_confirmation(&same, false, &people, day(1), day(5)).is_ok(),
            "confirming the same hours again needs no reason"
        );
    }
}
