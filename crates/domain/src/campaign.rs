//! Collection campaigns (征集), rules 54-56: an organisation asks some of its descendants for
//! entries (the lectures each society will hold this year, the teams' plans for Science
//! Popularisation Day), sees who has answered, and accepts entries as draft activities.
//!
//! Three things carry state: the campaign (`draft` → `open` → `closed`), each addressed
//! organisation's submission (entries until the deadline, then complete; late when completed
//! after the deadline; reopened for one organisation by the owner), and each entry
//! (`submitted` → `withdrawn` or `accepted`).

use chrono::{Datelike, Duration, NaiveDate};

use crate::error::{FieldError, TransitionError};
use crate::organization::string_enum;
use crate::{ActivityStatus, OrganizationCategory, OrganizationLevel, ProblemCode};

string_enum! {
    /// A campaign's state (rule 54).
    CampaignStatus {
        /// Being prepared by its owner; no one else sees it.
        Draft => "draft",
        /// Addressed organisations submit entries.
        Open => "open",
        /// Ended by the owner: no more entries or reopening; accepting goes on.
        Closed => "closed",
    }
}

string_enum! {
    /// What the owner does to a campaign.
    CampaignAction {
        /// Change its details (all of them in a draft; not the fields or the addressees once open).
        Update => "update",
        /// Open it to the addressed organisations.
        Open => "open",
        /// End it.
        Close => "close",
        /// Remind the addressed organisations that are behind.
        Remind => "remind",
    }
}

string_enum! {
    /// An entry's state (rules 55-56).
    EntryStatus {
        Submitted => "submitted",
        /// Taken back by the submitting organisation.
        Withdrawn => "withdrawn",
        /// Accepted by the owner: a draft activity of the submitter exists.
        Accepted => "accepted",
    }
}

string_enum! {
    /// What can be done to an entry.
    EntryAction {
        /// Change it (the submitter, while its submission is open).
        Update => "update",
        /// Take it back (the submitter, while its submission is open).
        Withdraw => "withdraw",
        /// Make it the submitter's draft activity (the owner).
        Accept => "accept",
    }
}

string_enum! {
    /// What can be done to one organisation's submission.
    SubmissionAction {
        /// Add an entry (the addressed organisation).
        AddEntry => "add_entry",
        /// Mark the submission complete (the addressed organisation).
        Complete => "complete",
        /// Let the organisation change its entries again, until a day (the owner).
        Reopen => "reopen",
    }
}

string_enum! {
    /// Where an addressed organisation stands (rule 56).
    SubmissionState {
        /// No entry yet and not complete.
        NotAnswered => "not_answered",
        /// Entries submitted, not complete, the deadline not passed (or reopened).
        InProgress => "in_progress",
        /// The deadline passed and the submission is not complete.
        Overdue => "overdue",
        /// Completed by the deadline.
        Complete => "complete",
        /// Completed after the deadline.
        CompletedLate => "completed_late",
    }
}

string_enum! {
    /// The kind of a field a campaign adds to its entries.
    CustomFieldKind {
        Text => "text",
        Number => "number",
        /// A day, `YYYY-MM-DD`.
        Date => "date",
        /// One of the field's choices.
        Choice => "choice",
    }
}

string_enum! {
    /// How far an entry has come (a campaign's roll-up: planned against held).
    EntryStage {
        /// Submitted, not yet accepted.
        Planned => "planned",
        /// Accepted; its activity is not yet held.
        Accepted => "accepted",
        /// Its activity was published and has ended.
        Held => "held",
        /// Withdrawn, or its activity was cancelled.
        Dropped => "dropped",
    }
}

/// The most fields a campaign adds to the fixed ones (rule 54).
pub const MAX_CUSTOM_FIELDS: usize = 10;
/// The most choices a choice field offers.
pub const MAX_CHOICES: usize = 20;
/// The longest value of a text field, in characters.
pub const MAX_TEXT_VALUE: usize = 200;
/// The most entries a campaign asks of each organisation.
pub const MAX_MINIMUM: i32 = 50;
/// The most entries one organisation submits to one campaign.
pub const MAX_ENTRIES: u64 = 200;
/// Hours between two reminders of one campaign.
pub const REMIND_EVERY_HOURS: i64 = 24;

/// The state a campaign moves to when its owner takes `action`, or why it cannot.
pub fn campaign_transition(
    from: CampaignStatus,
    action: CampaignAction,
) -> Result<CampaignStatus, TransitionError> {
    use CampaignAction as A;
    use CampaignStatus as S;
    match (from, action) {
        (S::Draft | S::Open, A::Update) => Ok(from),
        (S::Draft, A::Open) => Ok(S::Open),
        (S::Open, A::Close | A::Remind) => Ok(if action == A::Close {
            S::Closed
        } else {
            S::Open
        }),
        (S::Closed, _) => Err(TransitionError::new(
            ProblemCode::CampaignClosed,
            "the campaign is closed",
        )),
        (S::Open, A::Open) => Err(TransitionError::new(
            ProblemCode::CampaignNotDraft,
            "the campaign is open already",
        )),
        (S::Draft, A::Close | A::Remind) => Err(TransitionError::new(
            ProblemCode::CampaignNotOpen,
            "the campaign is still a draft",
        )),
    }
}

/// What the caller may do to a campaign: the owner's admins act; others only read.
pub fn campaign_allowed_actions(status: CampaignStatus, owner: bool) -> Vec<CampaignAction> {
    if !owner {
        return vec![];
    }
    CampaignAction::ALL
        .iter()
        .copied()
        .filter(|a| campaign_transition(status, *a).is_ok())
        .collect()
}

/// Which parts of an open campaign stay fixed: its fields and its addressees, since entries
/// and submissions were made against them.
pub fn check_update(
    status: CampaignStatus,
    changes_fields_or_addressees: bool,
) -> Result<(), TransitionError> {
    campaign_transition(status, CampaignAction::Update)?;
    if status == CampaignStatus::Open && changes_fields_or_addressees {
        return Err(TransitionError::new(
            ProblemCode::CampaignFieldsFixed,
            "an open campaign keeps its fields and addressees; entries were made against them",
        ));
    }
    Ok(())
}

/// Rule 54: whether an organisation is addressed by a campaign asking these categories and
/// levels (an empty list asks every one).
pub fn addresses(
    categories: &[OrganizationCategory],
    levels: &[OrganizationLevel],
    category: OrganizationCategory,
    level: OrganizationLevel,
) -> bool {
    (categories.is_empty() || categories.contains(&category))
        && (levels.is_empty() || levels.contains(&level))
}

/// The societies an association guides without being their parent in the organisation tree
/// (业务主管): a city association its city's municipal societies, a provincial association
/// its province's provincial societies. A campaign addresses them as it does descendants
/// (the notice that asks "每个学会" comes from the city association). The answer is the
/// category and the length of the owner's region code they share.
pub fn guided_societies(owner: OrganizationCategory) -> Option<(OrganizationCategory, usize)> {
    match owner {
        OrganizationCategory::CityAssociation => Some((OrganizationCategory::MunicipalSociety, 4)),
        OrganizationCategory::ProvincialAssociation => {
            Some((OrganizationCategory::ProvincialSociety, 2))
        }
        _ => None,
    }
}

/// The minimum entries asked of each organisation.
pub fn check_minimum(minimum: i32) -> Result<(), FieldError> {
    if (1..=MAX_MINIMUM).contains(&minimum) {
        Ok(())
    } else {
        Err(FieldError::new(
            ProblemCode::Range,
            format!("between 1 and {MAX_MINIMUM} entries"),
        ))
    }
}

/// The deadline, when the campaign is opened or the deadline moved: not before today (China
/// time), and within the campaign's year or the year before (plans for a year are asked for
/// before it starts).
pub fn check_deadline(deadline: NaiveDate, year: i32, today: NaiveDate) -> Result<(), FieldError> {
    if deadline < today {
        return Err(FieldError::new(
            ProblemCode::InThePast,
            "the deadline has passed; choose today or a later day",
        ));
    }
    if deadline.year() > year || deadline.year() < year - 1 {
        return Err(FieldError::new(
            ProblemCode::Range,
            format!("a deadline in {} or {year}", year - 1),
        ));
    }
    Ok(())
}

/// A field a campaign adds to its entries.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CustomField {
    /// Its key in an entry's `custom` values: `[a-z][a-z0-9_]{0,31}`.
    pub key: String,
    /// Its label, the column heading of the export.
    pub label: String,
    pub kind: CustomFieldKind,
    pub required: bool,
    /// The choices of a choice field; empty for the other kinds.
    pub choices: Vec<String>,
}

fn key_ok(key: &str) -> bool {
    let mut chars = key.chars();
    matches!(chars.next(), Some('a'..='z'))
        && key.len() <= 32
        && chars.all(|c| matches!(c, 'a'..='z' | '0'..='9' | '_'))
}

/// Rule 54: at most ten fields, each with a key of its own, a label, and choices exactly
/// when it is a choice field. The error names the field's position (`custom_fields[2].key`).
pub fn check_custom_fields(fields: &[CustomField]) -> Result<(), (String, FieldError)> {
    if fields.len() > MAX_CUSTOM_FIELDS {
        return Err((
            "custom_fields".into(),
            FieldError::new(
                ProblemCode::TooManyCustomFields,
                format!("at most {MAX_CUSTOM_FIELDS} fields besides the fixed ones"),
            ),
        ));
    }
    for (i, f) in fields.iter().enumerate() {
        let at = |part: &str| format!("custom_fields[{i}].{part}");
        if !key_ok(&f.key) {
            return Err((
                at("key"),
                FieldError::new(
                    ProblemCode::ValueFormat,
                    "a key of lowercase letters, digits and _ starting with a letter, at most 32",
                ),
            ));
        }
        if fields[..i].iter().any(|g| g.key == f.key) {
            return Err((
                at("key"),
                FieldError::new(
                    ProblemCode::DuplicateCustomField,
                    "another field has this key",
                ),
            ));
        }
        let label = f.label.trim().chars().count();
        if !(1..=50).contains(&label) {
            return Err((
                at("label"),
                FieldError::new(ProblemCode::Length, "a label of 1 to 50 characters"),
            ));
        }
        match f.kind {
            CustomFieldKind::Choice => {
                let n = f.choices.len();
                let distinct = f
                    .choices
                    .iter()
                    .enumerate()
                    .all(|(j, c)| !c.trim().is_empty() && !f.choices[..j].contains(c));
                if !(2..=MAX_CHOICES).contains(&n) || !distinct {
                    return Err((
                        at("choices"),
                        FieldError::new(
                            ProblemCode::BadChoices,
                            format!("2 to {MAX_CHOICES} distinct, non-empty choices"),
                        ),
                    ));
                }
                if f.choices.iter().any(|c| c.chars().count() > 50) {
                    return Err((
                        at("choices"),
                        FieldError::new(ProblemCode::Length, "a choice of at most 50 characters"),
                    ));
                }
            }
            _ if !f.choices.is_empty() => {
                return Err((
                    at("choices"),
                    FieldError::new(ProblemCode::BadChoices, "only a choice field has choices"),
                ))
            }
            _ => {}
        }
    }
    Ok(())
}

/// One value of a custom field, as sent: text, or a number.
#[derive(Debug, Clone, PartialEq)]
pub enum RawValue<'a> {
    Text(&'a str),
    Number(f64),
}

/// A value checked against its field, in the one spelling stored and exported.
pub fn check_custom_value(field: &CustomField, raw: &RawValue<'_>) -> Result<String, FieldError> {
    let text = |s: &str| s.trim().to_string();
    match (field.kind, raw) {
        (CustomFieldKind::Text, RawValue::Text(s)) => {
            if s.trim().chars().count() > MAX_TEXT_VALUE {
                Err(FieldError::new(
                    ProblemCode::Length,
                    format!("at most {MAX_TEXT_VALUE} characters"),
                ))
            } else {
                Ok(text(s))
            }
        }
        (CustomFieldKind::Number, RawValue::Number(n)) if n.is_finite() => Ok(format_number(*n)),
        (CustomFieldKind::Number, RawValue::Text(s)) => match s.trim().parse::<f64>() {
            Ok(n) if n.is_finite() => Ok(format_number(n)),
            _ => Err(FieldError::new(ProblemCode::ValueFormat, "a number")),
        },
        (CustomFieldKind::Date, RawValue::Text(s)) => {
            NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
                .map(|d| d.format("%Y-%m-%d").to_string())
                .map_err(|_| FieldError::new(ProblemCode::ValueFormat, "a day as YYYY-MM-DD"))
        }
        (CustomFieldKind::Choice, RawValue::Text(s)) => {
            let s = s.trim();
            if field.choices.iter().any(|c| c == s) {
                Ok(s.to_string())
            } else {
                Err(FieldError::new(
                    ProblemCode::NotAChoice,
                    format!("one of: {}", field.choices.join("、")),
                ))
            }
        }
        (kind, _) => Err(FieldError::new(
            ProblemCode::ValueFormat,
            format!("a {} value", kind.as_str()),
        )),
    }
}

fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// Field problems keyed by the field's path (`custom.mode`).
pub type FieldErrors = Vec<(String, FieldError)>;

/// An entry's custom values against the campaign's fields: every required field present and
/// not blank, no key the campaign does not define. Errors are keyed `custom.<key>`.
pub fn check_custom_values(
    fields: &[CustomField],
    values: &[(String, RawValue<'_>)],
) -> Result<Vec<(String, String)>, FieldErrors> {
    let mut out = vec![];
    let mut errors = vec![];
    for (key, raw) in values {
        let at = format!("custom.{key}");
        match fields.iter().find(|f| &f.key == key) {
            None => errors.push((
                at,
                FieldError::new(
                    ProblemCode::UnknownCustomField,
                    "the campaign has no such field",
                ),
            )),
            Some(f) => match check_custom_value(f, raw) {
                Ok(v) if v.is_empty() => {}
                Ok(v) => out.push((key.clone(), v)),
                Err(e) => errors.push((at, e)),
            },
        }
    }
    for f in fields.iter().filter(|f| f.required) {
        let given = out.iter().any(|(k, _)| k == &f.key);
        let refused = errors
            .iter()
            .any(|(k, _)| k == &format!("custom.{}", f.key));
        if !given && !refused {
            errors.push((
                format!("custom.{}", f.key),
                FieldError::new(ProblemCode::Required, format!("{} is required", f.label)),
            ));
        }
    }
    if errors.is_empty() {
        out.sort_by_key(|(k, _)| fields.iter().position(|f| &f.key == k));
        Ok(out)
    } else {
        Err(errors)
    }
}

/// What decides whether an organisation may change its entries now (rule 55).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SubmissionFacts {
    pub campaign: CampaignStatus,
    pub deadline: NaiveDate,
    /// The last day of a reopening by the owner, if any.
    pub reopened_until: Option<NaiveDate>,
    pub completed: bool,
    pub today: NaiveDate,
}

impl SubmissionFacts {
    /// The last day entries may change: the deadline, or a later reopening.
    pub fn open_until(&self) -> NaiveDate {
        match self.reopened_until {
            Some(r) if r > self.deadline => r,
            _ => self.deadline,
        }
    }
}

/// Whether the organisation may add, change or withdraw entries now, or why not (rule 55):
/// the campaign is open, the submission not marked complete, and today is not after the
/// deadline or the owner's reopening.
pub fn check_submission_open(f: SubmissionFacts) -> Result<(), TransitionError> {
    match f.campaign {
        CampaignStatus::Draft => {
            return Err(TransitionError::new(
                ProblemCode::CampaignNotOpen,
                "the campaign is not open",
            ))
        }
        CampaignStatus::Closed => {
            return Err(TransitionError::new(
                ProblemCode::CampaignClosed,
                "the campaign is closed",
            ))
        }
        CampaignStatus::Open => {}
    }
    if f.completed {
        return Err(TransitionError::new(
            ProblemCode::SubmissionComplete,
            "the submission is marked complete; the campaign's owner can reopen it",
        ));
    }
    if f.today > f.open_until() {
        return Err(TransitionError::new(
            ProblemCode::CampaignDeadlinePassed,
            format!(
                "entries were due by {}; the campaign's owner can reopen the submission",
                f.open_until()
            ),
        ));
    }
    Ok(())
}

/// Adding an entry: open as for changes, and fewer than [`MAX_ENTRIES`] entries so far.
pub fn check_add_entry(f: SubmissionFacts, entries: u64) -> Result<(), TransitionError> {
    check_submission_open(f)?;
    if entries >= MAX_ENTRIES {
        return Err(TransitionError::new(
            ProblemCode::TooManyEntries,
            format!("at most {MAX_ENTRIES} entries per organisation"),
        ));
    }
    Ok(())
}

/// The campaign states in which an organisation may still answer (rule 55): those
/// [`check_submission_open`] lets through; the workbench counts submissions not completed in
/// them whose deadline or reopening is today or later.
pub fn answering_statuses() -> Vec<CampaignStatus> {
    CampaignStatus::ALL
        .iter()
        .copied()
        .filter(|s| {
            check_submission_open(SubmissionFacts {
                campaign: *s,
                deadline: NaiveDate::MAX,
                reopened_until: None,
                completed: false,
                today: NaiveDate::MIN,
            })
            .is_ok()
        })
        .collect()
}

/// Marking a submission complete: open as for entries, with at least the minimum.
pub fn check_complete(
    f: SubmissionFacts,
    entries: u64,
    minimum: i32,
) -> Result<(), TransitionError> {
    check_submission_open(f)?;
    if entries < minimum.max(0) as u64 {
        return Err(TransitionError::new(
            ProblemCode::TooFewEntries,
            format!("{entries} of the {minimum} entries asked for are submitted"),
        ));
    }
    Ok(())
}

/// Reopening one organisation's submission until `until` (the owner, while the campaign is
/// open): not before today.
pub fn check_reopen(
    campaign: CampaignStatus,
    until: NaiveDate,
    today: NaiveDate,
) -> Result<(), (Option<&'static str>, TransitionError)> {
    if campaign != CampaignStatus::Open {
        return Err((
            None,
            campaign_transition(campaign, CampaignAction::Close)
                .err()
                .unwrap_or_else(|| {
                    TransitionError::new(ProblemCode::CampaignNotOpen, "the campaign is not open")
                }),
        ));
    }
    if until < today {
        return Err((
            Some("until"),
            TransitionError::new(ProblemCode::InThePast, "reopen until today or a later day"),
        ));
    }
    Ok(())
}

/// Rule 55: a completion after the deadline (China's date) is late, also when the owner
/// reopened the submission.
pub fn is_late(completed_on: NaiveDate, deadline: NaiveDate) -> bool {
    completed_on > deadline
}

/// Where an addressed organisation stands (rule 56).
pub fn submission_state(
    entries: u64,
    completed_on: Option<NaiveDate>,
    f: SubmissionFacts,
) -> SubmissionState {
    match completed_on {
        Some(day) if is_late(day, f.deadline) => SubmissionState::CompletedLate,
        Some(_) => SubmissionState::Complete,
        None if f.today > f.open_until() => SubmissionState::Overdue,
        None if entries == 0 => SubmissionState::NotAnswered,
        None => SubmissionState::InProgress,
    }
}

/// Whether an organisation in this state is reminded: it has not completed.
pub fn is_behind(state: SubmissionState) -> bool {
    matches!(
        state,
        SubmissionState::NotAnswered | SubmissionState::InProgress | SubmissionState::Overdue
    )
}

/// What the caller may do to one organisation's submission now.
pub fn submission_allowed_actions(
    f: SubmissionFacts,
    entries: u64,
    minimum: i32,
    submitter: bool,
    owner: bool,
) -> Vec<SubmissionAction> {
    let mut out = vec![];
    if submitter && check_add_entry(f, entries).is_ok() {
        out.push(SubmissionAction::AddEntry);
    }
    if submitter && check_complete(f, entries, minimum).is_ok() {
        out.push(SubmissionAction::Complete);
    }
    if owner && f.campaign == CampaignStatus::Open && (f.completed || f.today > f.open_until()) {
        out.push(SubmissionAction::Reopen);
    }
    out
}

/// The state an entry moves to when `action` is taken, or why it cannot.
pub fn entry_transition(
    from: EntryStatus,
    action: EntryAction,
) -> Result<EntryStatus, TransitionError> {
    match (from, action) {
        (EntryStatus::Submitted, EntryAction::Update) => Ok(EntryStatus::Submitted),
        (EntryStatus::Submitted, EntryAction::Withdraw) => Ok(EntryStatus::Withdrawn),
        (EntryStatus::Submitted, EntryAction::Accept) => Ok(EntryStatus::Accepted),
        (EntryStatus::Withdrawn, _) => Err(TransitionError::new(
            ProblemCode::EntryWithdrawn,
            "the entry was withdrawn",
        )),
        (EntryStatus::Accepted, _) => Err(TransitionError::new(
            ProblemCode::EntryAccepted,
            "the entry was accepted; its activity is changed instead",
        )),
    }
}

/// What the caller may do to an entry: the submitter changes or withdraws it while the
/// submission is open; the owner accepts it while the campaign is open or closed.
pub fn entry_allowed_actions(
    status: EntryStatus,
    submission: SubmissionFacts,
    submitter: bool,
    owner: bool,
) -> Vec<EntryAction> {
    EntryAction::ALL
        .iter()
        .copied()
        .filter(|a| entry_transition(status, *a).is_ok())
        .filter(|a| match a {
            EntryAction::Update | EntryAction::Withdraw => {
                submitter && check_submission_open(submission).is_ok()
            }
            EntryAction::Accept => owner && submission.campaign != CampaignStatus::Draft,
        })
        .collect()
}

/// The day an accepted entry's draft activity is put on (rule 56): the 15th of the planned
/// month, or tomorrow if that has passed within the month. A month that has passed cannot be
/// planned any more.
pub fn draft_day(year: i32, month: u32, today: NaiveDate) -> Result<NaiveDate, TransitionError> {
    let passed = || {
        TransitionError::new(
            ProblemCode::PlannedMonthPassed,
            format!("the planned month {year}-{month:02} has passed"),
        )
    };
    let fifteenth = NaiveDate::from_ymd_opt(year, month, 15).ok_or_else(passed)?;
    if fifteenth > today {
        return Ok(fifteenth);
    }
    let tomorrow = today + Duration::days(1);
    if tomorrow.year() == year && tomorrow.month() == month {
        Ok(tomorrow)
    } else {
        Err(passed())
    }
}

/// The hours of an accepted entry's draft activity when none are given: 09:00-11:00 China
/// time on its [`draft_day`].
pub fn draft_hours(
    year: i32,
    month: u32,
    today: NaiveDate,
) -> Result<(chrono::DateTime<chrono::Utc>, chrono::DateTime<chrono::Utc>), TransitionError> {
    let start = crate::report::china_day_start(draft_day(year, month, today)?);
    Ok((start + Duration::hours(9), start + Duration::hours(11)))
}

/// How far an entry has come: its status, and its activity's (`activity_ended`: the
/// activity's end is past).
pub fn entry_stage(status: EntryStatus, activity: Option<(ActivityStatus, bool)>) -> EntryStage {
    match (status, activity) {
        (EntryStatus::Withdrawn, _) => EntryStage::Dropped,
        (EntryStatus::Submitted, _) => EntryStage::Planned,
        (EntryStatus::Accepted, Some((ActivityStatus::Cancelled, _))) => EntryStage::Dropped,
        (EntryStatus::Accepted, Some((ActivityStatus::Published, true))) => EntryStage::Held,
        (EntryStatus::Accepted, _) => EntryStage::Accepted,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn facts(today: NaiveDate) -> SubmissionFacts {
        SubmissionFacts {
            campaign: CampaignStatus::Open,
            deadline: d(2027, 2, 28),
            reopened_until: None,
            completed: false,
            today,
        }
    }

    #[test]
    fn the_campaign_moves_draft_open_closed_and_no_further() {
        use CampaignAction as A;
        use CampaignStatus as S;
        assert_eq!(campaign_transition(S::Draft, A::Open), Ok(S::Open));
        assert_eq!(campaign_transition(S::Open, A::Close), Ok(S::Closed));
        assert_eq!(campaign_transition(S::Open, A::Remind), Ok(S::Open));
        assert_eq!(
            campaign_transition(S::Draft, A::Close).unwrap_err().code,
            ProblemCode::CampaignNotOpen
        );
        assert_eq!(
            campaign_transition(S::Open, A::Open).unwrap_err().code,
            ProblemCode::CampaignNotDraft
        );
        for a in CampaignAction::ALL {
            assert_eq!(
                campaign_transition(S::Closed, *a).unwrap_err().code,
                ProblemCode::CampaignClosed
            );
        }
        assert_eq!(
            campaign_allowed_actions(S::Draft, true),
            vec![A::Update, A::Open]
        );
        assert_eq!(
            campaign_allowed_actions(S::Open, true),
            vec![A::Update, A::Close, A::Remind]
        );
        assert!(campaign_allowed_actions(S::Open, false).is_empty());
        assert!(campaign_allowed_actions(S::Closed, true).is_empty());
    }

    #[test]
    fn an_open_campaign_keeps_its_fields_and_addressees() {
        assert!(check_update(CampaignStatus::Draft, true).is_ok());
        assert!(check_update(CampaignStatus::Open, false).is_ok());
        assert_eq!(
            check_update(CampaignStatus::Open, true).unwrap_err().code,
            ProblemCode::CampaignFieldsFixed
        );
        assert_eq!(
            check_update(CampaignStatus::Closed, false)
                .unwrap_err()
                .code,
            ProblemCode::CampaignClosed
        );
    }

    #[test]
    fn addressees_are_chosen_by_category_and_level() {
        use OrganizationCategory as C;
        use OrganizationLevel as L;
        assert!(addresses(&[], &[], C::MunicipalSociety, L::City));
        assert!(addresses(
            &[C::MunicipalSociety],
            &[],
            C::MunicipalSociety,
            L::City
        ));
        assert!(!addresses(
            &[C::MunicipalSociety],
            &[],
            C::CountyAssociation,
            L::County
        ));
        assert!(addresses(
            &[],
            &[L::County],
            C::CountyAssociation,
            L::County
        ));
        assert!(!addresses(
            &[C::CountyAssociation],
            &[L::City],
            C::CountyAssociation,
            L::County
        ));
    }

    #[test]
    fn associations_address_the_societies_they_guide() {
        use OrganizationCategory as C;
        assert_eq!(
            guided_societies(C::CityAssociation),
            Some((C::MunicipalSociety, 4))
        );
        assert_eq!(
            guided_societies(C::ProvincialAssociation),
            Some((C::ProvincialSociety, 2))
        );
        assert_eq!(guided_societies(C::CountyAssociation), None);
        assert_eq!(guided_societies(C::MunicipalSociety), None);
    }

    #[test]
    fn only_an_open_campaign_is_answered() {
        assert_eq!(answering_statuses(), vec![CampaignStatus::Open]);
    }

    #[test]
    fn the_deadline_is_not_past_and_near_the_year() {
        let today = d(2027, 1, 10);
        assert!(check_deadline(d(2027, 2, 28), 2027, today).is_ok());
        assert!(check_deadline(today, 2027, today).is_ok());
        assert_eq!(
            check_deadline(d(2027, 1, 9), 2027, today).unwrap_err().code,
            ProblemCode::InThePast
        );
        assert_eq!(
            check_deadline(d(2028, 1, 9), 2027, today).unwrap_err().code,
            ProblemCode::Range
        );
        assert!(check_deadline(d(2027, 12, 1), 2028, today).is_ok());
        assert!(check_minimum(1).is_ok() && check_minimum(50).is_ok());
        assert!(check_minimum(0).is_err() && check_minimum(51).is_err());
    }

    fn field(key: &str, kind: CustomFieldKind) -> CustomField {
        CustomField {
            key: key.into(),
            label: key.to_uppercase(),
            kind,
            required: false,
            choices: if kind == CustomFieldKind::Choice {
                vec!["线上".into(), "线下".into()]
            } else {
                vec![]
            },
        }
    }

    #[test]
    fn custom_fields_are_at_most_ten_with_keys_of_their_own() {
        let ten: Vec<_> = (0..10)
            .map(|i| field(&format!("f{i}"), CustomFieldKind::Text))
            .collect();
        assert!(check_custom_fields(&ten).is_ok());
        let mut eleven = ten.clone();
        eleven.push(field("f10", CustomFieldKind::Text));
        let (at, e) = check_custom_fields(&eleven).unwrap_err();
        assert_eq!(
            (at.as_str(), e.code),
            ("custom_fields", ProblemCode::TooManyCustomFields)
        );
        let twice = vec![
            field("a", CustomFieldKind::Text),
            field("a", CustomFieldKind::Number),
        ];
        let (at, e) = check_custom_fields(&twice).unwrap_err();
        assert_eq!(
            (at.as_str(), e.code),
            ("custom_fields[1].key", ProblemCode::DuplicateCustomField)
        );
        let bad_key = vec![field("Speaker", CustomFieldKind::Text)];
        assert_eq!(
            check_custom_fields(&bad_key).unwrap_err().0,
            "custom_fields[0].key"
        );
        let mut one_choice = field("mode", CustomFieldKind::Choice);
        one_choice.choices = vec!["线上".into()];
        assert_eq!(
            check_custom_fields(&[one_choice]).unwrap_err().1.code,
            ProblemCode::BadChoices
        );
        let mut text_with_choices = field("t", CustomFieldKind::Text);
        text_with_choices.choices = vec!["a".into(), "b".into()];
        assert_eq!(
            check_custom_fields(&[text_with_choices]).unwrap_err().0,
            "custom_fields[0].choices"
        );
    }

    #[test]
    fn custom_values_are_checked_against_their_fields() {
        let mut mode = field("mode", CustomFieldKind::Choice);
        mode.required = true;
        let fields = vec![
            field("note", CustomFieldKind::Text),
            field("budget", CustomFieldKind::Number),
            field("day", CustomFieldKind::Date),
            mode,
        ];
        let ok = check_custom_values(
            &fields,
            &[
                ("mode".into(), RawValue::Text("线下")),
                ("budget".into(), RawValue::Number(1200.0)),
                ("day".into(), RawValue::Text(" 2027-03-05 ")),
                ("note".into(), RawValue::Text("")),
            ],
        )
        .unwrap();
        assert_eq!(
            ok,
            vec![
                ("budget".to_string(), "1200".to_string()),
                ("day".to_string(), "2027-03-05".to_string()),
                ("mode".to_string(), "线下".to_string()),
            ]
        );
        let errors = check_custom_values(
            &fields,
            &[
                ("budget".into(), RawValue::Text("many")),
                ("day".into(), RawValue::Text("2027-02-30")),
                ("colour".into(), RawValue::Text("red")),
            ],
        )
        .unwrap_err();
        let codes: Vec<(&str, ProblemCode)> =
            errors.iter().map(|(k, e)| (k.as_str(), e.code)).collect();
        assert_eq!(
            codes,
            vec![
                ("custom.budget", ProblemCode::ValueFormat),
                ("custom.day", ProblemCode::ValueFormat),
                ("custom.colour", ProblemCode::UnknownCustomField),
                ("custom.mode", ProblemCode::Required),
            ]
        );
        let wrong_choice =
            check_custom_values(&fields, &[("mode".into(), RawValue::Text("邮寄"))]).unwrap_err();
        assert_eq!(wrong_choice[0].1.code, ProblemCode::NotAChoice);
        assert!(check_custom_value(&fields[1], &RawValue::Number(f64::NAN)).is_err());
        assert_eq!(
            check_custom_value(&fields[1], &RawValue::Number(2.5)).unwrap(),
            "2.5"
        );
        let long = "字".repeat(201);
        assert_eq!(
            check_custom_value(&fields[0], &RawValue::Text(&long))
                .unwrap_err()
                .code,
            ProblemCode::Length
        );
    }

    #[test]
    fn entries_change_until_the_deadline_or_a_reopening() {
        assert!(check_submission_open(facts(d(2027, 2, 28))).is_ok());
        assert_eq!(
            check_submission_open(facts(d(2027, 3, 1)))
                .unwrap_err()
                .code,
            ProblemCode::CampaignDeadlinePassed
        );
        let reopened = SubmissionFacts {
            reopened_until: Some(d(2027, 3, 7)),
            ..facts(d(2027, 3, 7))
        };
        assert!(check_submission_open(reopened).is_ok());
        assert_eq!(
            check_submission_open(SubmissionFacts {
                today: d(2027, 3, 8),
                ..reopened
            })
            .unwrap_err()
            .code,
            ProblemCode::CampaignDeadlinePassed
        );
        let completed = SubmissionFacts {
            completed: true,
            ..facts(d(2027, 2, 1))
        };
        assert_eq!(
            check_submission_open(completed).unwrap_err().code,
            ProblemCode::SubmissionComplete
        );
        let closed = SubmissionFacts {
            campaign: CampaignStatus::Closed,
            ..facts(d(2027, 2, 1))
        };
        assert_eq!(
            check_submission_open(closed).unwrap_err().code,
            ProblemCode::CampaignClosed
        );
        let draft = SubmissionFacts {
            campaign: CampaignStatus::Draft,
            ..facts(d(2027, 2, 1))
        };
        assert_eq!(
            check_submission_open(draft).unwrap_err().code,
            ProblemCode::CampaignNotOpen
        );
    }

    #[test]
    fn a_submission_is_complete_with_the_minimum_and_late_after_the_deadline() {
        let f = facts(d(2027, 2, 20));
        assert_eq!(
            check_complete(f, 2, 3).unwrap_err().code,
            ProblemCode::TooFewEntries
        );
        assert!(check_complete(f, 3, 3).is_ok());
        assert!(!is_late(d(2027, 2, 28), d(2027, 2, 28)));
        assert!(is_late(d(2027, 3, 1), d(2027, 2, 28)));
        assert_eq!(submission_state(0, None, f), SubmissionState::NotAnswered);
        assert_eq!(submission_state(2, None, f), SubmissionState::InProgress);
        assert_eq!(
            submission_state(2, None, facts(d(2027, 3, 1))),
            SubmissionState::Overdue
        );
        assert_eq!(
            submission_state(3, Some(d(2027, 2, 20)), f),
            SubmissionState::Complete
        );
        assert_eq!(
            submission_state(3, Some(d(2027, 3, 2)), facts(d(2027, 3, 2))),
            SubmissionState::CompletedLate
        );
        assert!(is_behind(SubmissionState::Overdue));
        assert!(!is_behind(SubmissionState::CompletedLate));
    }

    #[test]
    fn who_may_do_what_to_a_submission_and_an_entry() {
        let f = facts(d(2027, 2, 20));
        assert_eq!(
            submission_allowed_actions(f, 2, 3, true, false),
            vec![SubmissionAction::AddEntry]
        );
        assert_eq!(
            submission_allowed_actions(f, 3, 3, true, false),
            vec![SubmissionAction::AddEntry, SubmissionAction::Complete]
        );
        assert!(submission_allowed_actions(f, 3, 3, false, true).is_empty());
        let late = facts(d(2027, 3, 2));
        assert_eq!(
            submission_allowed_actions(late, 3, 3, true, true),
            vec![SubmissionAction::Reopen]
        );
        assert_eq!(
            entry_allowed_actions(EntryStatus::Submitted, f, true, false),
            vec![EntryAction::Update, EntryAction::Withdraw]
        );
        assert_eq!(
            entry_allowed_actions(EntryStatus::Submitted, late, true, true),
            vec![EntryAction::Accept]
        );
        assert!(entry_allowed_actions(EntryStatus::Accepted, f, true, true).is_empty());
        assert_eq!(
            entry_transition(EntryStatus::Withdrawn, EntryAction::Accept)
                .unwrap_err()
                .code,
            ProblemCode::EntryWithdrawn
        );
        assert_eq!(
            entry_transition(EntryStatus::Accepted, EntryAction::Update)
                .unwrap_err()
                .code,
            ProblemCode::EntryAccepted
        );
        assert!(check_reopen(CampaignStatus::Open, d(2027, 3, 1), d(2027, 3, 1)).is_ok());
        assert_eq!(
            check_reopen(CampaignStatus::Open, d(2027, 2, 1), d(2027, 3, 1))
                .unwrap_err()
                .0,
            Some("until")
        );
        assert_eq!(
            check_reopen(CampaignStatus::Closed, d(2027, 3, 9), d(2027, 3, 1))
                .unwrap_err()
                .1
                .code,
            ProblemCode::CampaignClosed
        );
    }

    #[test]
    fn an_accepted_entry_is_put_on_the_fifteenth_or_tomorrow() {
        assert_eq!(draft_day(2027, 3, d(2027, 1, 10)), Ok(d(2027, 3, 15)));
        assert_eq!(draft_day(2027, 3, d(2027, 3, 20)), Ok(d(2027, 3, 21)));
        assert_eq!(
            draft_day(2027, 3, d(2027, 3, 31)).unwrap_err().code,
            ProblemCode::PlannedMonthPassed
        );
        assert!(draft_day(2027, 2, d(2027, 3, 1)).is_err());
        assert!(draft_day(2027, 13, d(2027, 1, 1)).is_err());
    }

    #[test]
    fn a_draft_activity_is_held_in_the_china_morning() {
        let (from, to) = draft_hours(2027, 3, d(2027, 1, 10)).unwrap();
        assert_eq!(from.to_rfc3339(), "2027-03-15T01:00:00+00:00");
        assert_eq!(to.to_rfc3339(), "2027-03-15T03:00:00+00:00");
        assert!(draft_hours(2027, 2, d(2027, 3, 1)).is_err());
    }

    #[test]
    fn the_roll_up_counts_planned_against_held() {
        use ActivityStatus as A;
        assert_eq!(
            entry_stage(EntryStatus::Submitted, None),
            EntryStage::Planned
        );
        assert_eq!(
            entry_stage(EntryStatus::Withdrawn, None),
            EntryStage::Dropped
        );
        assert_eq!(
            entry_stage(EntryStatus::Accepted, Some((A::Draft, true))),
            EntryStage::Accepted
        );
        assert_eq!(
            entry_stage(EntryStatus::Accepted, Some((A::Published, false))),
            EntryStage::Accepted
        );
        assert_eq!(
            entry_stage(EntryStatus::Accepted, Some((A::Published, true))),
            EntryStage::Held
        );
        assert_eq!(
            entry_stage(EntryStatus::Accepted, Some((A::Cancelled, false))),
            EntryStage::Dropped
        );
    }
}
