//! Pairing letters (商请共同开展科技志愿服务活动的函) and pairings (结对), rules 27-31.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;
use zhihui_domain as d;

use crate::form::{Problems, Rejected};

/// A joint activity the letter proposes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct ProposedActivity {
    /// What is to be done.
    #[schema(example = "设施蔬菜病虫害绿色防控技术培训")]
    #[validate(length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200)]
    pub what: String,
    /// Roughly when, as a month `YYYY-MM`.
    #[schema(example = "2027-03")]
    pub month: String,
    #[schema(example = "县农业技术推广中心")]
    #[validate(length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200)]
    pub place: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct CreatePairingLetterRequest {
    /// The sending society (national, provincial or municipal); the caller administers it.
    pub sender_id: Uuid,
    /// A county-level association for science and technology or county volunteer federation.
    pub recipient_id: Uuid,
    #[schema(example = "关于商请共同开展科技志愿服务活动的函")]
    #[validate(length(min = 2, max = 100))]
    #[schema(min_length = 2, max_length = 100)]
    pub subject: String,
    /// Why the society proposes the pairing; the body of the letter.
    #[validate(length(min = 1, max = 5000))]
    #[schema(min_length = 1, max_length = 5000)]
    pub purpose: String,
    /// One to 50 proposed joint activities.
    #[validate(length(min = 1, max = 50), nested)]
    #[schema(min_items = 1, max_items = 50)]
    pub activities: Vec<ProposedActivity>,
    /// First day of the pairing.
    #[validate(custom(function = "crate::bounds::date"))]
    pub period_from: NaiveDate,
    /// Last day of the pairing; the pairing ends after it.
    #[validate(custom(function = "crate::bounds::date"))]
    pub period_to: NaiveDate,
    /// The contact person's name (a person's name: letters, spaces and the middle dot).
    #[schema(example = "王建国")]
    #[validate(length(min = 2, max = 50))]
    #[schema(min_length = 2, max_length = 50)]
    pub contact_name: String,
    /// Mainland mobile number; stored encrypted, shown in full only to the two parties.
    #[schema(example = "13800138000")]
    #[schema(pattern = "^[+0-9 -]+$")]
    pub contact_phone: String,
}

/// Partial update of a draft; absent fields stay as they are. Send `If-Match` with the ETag.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct UpdatePairingLetterRequest {
    pub recipient_id: Option<Uuid>,
    #[validate(length(min = 2, max = 100))]
    #[schema(min_length = 2, max_length = 100)]
    pub subject: Option<String>,
    #[validate(length(min = 1, max = 5000))]
    #[schema(min_length = 1, max_length = 5000)]
    pub purpose: Option<String>,
    #[validate(length(min = 1, max = 50), nested)]
    #[schema(min_items = 1, max_items = 50)]
    pub activities: Option<Vec<ProposedActivity>>,
    #[validate(custom(function = "crate::bounds::date"))]
    pub period_from: Option<NaiveDate>,
    #[validate(custom(function = "crate::bounds::date"))]
    pub period_to: Option<NaiveDate>,
    #[validate(length(min = 2, max = 50))]
    #[schema(min_length = 2, max_length = 50)]
    pub contact_name: Option<String>,
    #[schema(pattern = "^[+0-9 -]+$")]
    pub contact_phone: Option<String>,
}

/// A letter's content as the form and the service both check it before anything is looked
/// up (函件草稿): trimmed texts, the proposed activities' months within the period, a period
/// of at most five years that has not ended, and the contact's mobile number. Whether the
/// recipient exists and may be paired with the sender is the service's to check.
#[derive(Debug, Clone, PartialEq)]
pub struct LetterDraft {
    pub recipient_id: Uuid,
    pub subject: String,
    pub purpose: String,
    pub activities: Vec<ProposedActivity>,
    pub period_from: NaiveDate,
    pub period_to: NaiveDate,
    pub contact_name: String,
    pub contact_phone: d::MobilePhone,
}

/// A new letter checked on `today` (China's date: the period must not have ended).
impl TryFrom<(&CreatePairingLetterRequest, NaiveDate)> for LetterDraft {
    type Error = Rejected;

    fn try_from((r, today): (&CreatePairingLetterRequest, NaiveDate)) -> Result<Self, Rejected> {
        let mut p = Problems::validate(r);
        p.parse("contact_name", d::PersonName::parse(&r.contact_name));
        let phone = p.parse("contact_phone", d::MobilePhone::parse(&r.contact_phone));
        let content = Content {
            subject: r.subject.trim().to_string(),
            purpose: r.purpose.trim().to_string(),
            activities: r.activities.iter().map(ProposedActivity::trimmed).collect(),
            period_from: r.period_from,
            period_to: r.period_to,
            contact_name: r.contact_name.trim().to_string(),
        };
        content.check(&mut p, today);
        p.done(phone.map(|phone| content.draft(r.recipient_id, phone)))
    }
}

impl LetterDraft {
    /// The draft a letter's view shows to its sender (who sees the phone in full): what an
    /// edit form changes and checks against.
    pub fn of(v: &PairingLetterView) -> Option<LetterDraft> {
        Some(LetterDraft {
            recipient_id: v.recipient.id,
            subject: v.subject.clone(),
            purpose: v.purpose.clone(),
            activities: v.activities.clone(),
            period_from: v.period_from,
            period_to: v.period_to,
            contact_name: v.contact_name.clone(),
            contact_phone: d::MobilePhone::parse(&v.contact_phone).ok()?,
        })
    }

    /// This draft with a partial update applied, checked as a whole on `today`: a new
    /// period must still hold the proposed activities kept.
    pub fn amended(
        &self,
        r: &UpdatePairingLetterRequest,
        today: NaiveDate,
    ) -> Result<LetterDraft, Rejected> {
        let mut p = Problems::validate(r);
        if let Some(n) = &r.contact_name {
            p.parse("contact_name", d::PersonName::parse(n));
        }
        let phone = match &r.contact_phone {
            Some(c) => p.parse("contact_phone", d::MobilePhone::parse(c)),
            None => Some(self.contact_phone.clone()),
        };
        let text = |new: &Option<String>, old: &String| {
            new.as_deref()
                .map(|t| t.trim().to_string())
                .unwrap_or_else(|| old.clone())
        };
        let content = Content {
            subject: text(&r.subject, &self.subject),
            purpose: text(&r.purpose, &self.purpose),
            activities: match &r.activities {
                Some(a) => a.iter().map(ProposedActivity::trimmed).collect(),
                None => self.activities.clone(),
            },
            period_from: r.period_from.unwrap_or(self.period_from),
            period_to: r.period_to.unwrap_or(self.period_to),
            contact_name: text(&r.contact_name, &self.contact_name),
        };
        content.check(&mut p, today);
        let recipient_id = r.recipient_id.unwrap_or(self.recipient_id);
        p.done(phone.map(|phone| content.draft(recipient_id, phone)))
    }
}

/// A letter's texts and period, checked before the parties are.
struct Content {
    subject: String,
    purpose: String,
    activities: Vec<ProposedActivity>,
    period_from: NaiveDate,
    period_to: NaiveDate,
    contact_name: String,
}

impl Content {
    fn draft(self, recipient_id: Uuid, contact_phone: d::MobilePhone) -> LetterDraft {
        LetterDraft {
            recipient_id,
            subject: self.subject,
            purpose: self.purpose,
            activities: self.activities,
            period_from: self.period_from,
            period_to: self.period_to,
            contact_name: self.contact_name,
            contact_phone,
        }
    }

    /// The rules of a letter's content (rules 27-28), each problem against its field.
    fn check(&self, p: &mut Problems, today: NaiveDate) {
        use chrono::Datelike;
        use d::ProblemCode as C;
        if self.subject.chars().count() < 2 && !p.has("subject") {
            p.push("subject", C::Length, "a subject has 2 to 100 characters");
        }
        if self.purpose.is_empty() && !p.has("purpose") {
            p.push("purpose", C::Length, "the purpose is required");
        }
        if self.contact_name.is_empty() && !p.has("contact_name") {
            p.push("contact_name", C::Length, "the contact person is required");
        }
        let period_sound = if self.period_to < self.period_from {
            p.push(
                "period_to",
                C::PeriodEndsBeforeStart,
                "the period ends on or after its first day",
            );
            false
        } else if (self.period_to - self.period_from).num_days() > d::pairing::MAX_PERIOD_DAYS {
            p.push(
                "period_to",
                C::PeriodTooLong,
                "a pairing lasts at most five years",
            );
            false
        } else {
            if self.period_to < today {
                p.push("period_to", C::InThePast, "the period has already ended");
            }
            true
        };
        // Months are placed within the period only when the period itself is sound.
        let first = self.period_from.with_day(1).unwrap_or(self.period_from);
        for (i, a) in self.activities.iter().enumerate() {
            let field = format!("activities[{i}].month");
            match NaiveDate::parse_from_str(&format!("{}-01", a.month), "%Y-%m-%d") {
                Err(_) => p.push(&field, C::InvalidMonth, "a month is written YYYY-MM"),
                Ok(m) if period_sound && (m < first || m > self.period_to) => p.push(
                    &field,
                    C::MonthOutsidePeriod,
                    "a proposed activity falls within the pairing period",
                ),
                Ok(_) => {}
            }
        }
    }
}

impl ProposedActivity {
    /// The activity with its texts trimmed, as it is stored.
    pub fn trimmed(&self) -> ProposedActivity {
        ProposedActivity {
            what: self.what.trim().to_string(),
            month: self.month.trim().to_string(),
            place: self.place.trim().to_string(),
        }
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct AcceptPairingLetterRequest {
    /// An optional note to the sender.
    #[validate(length(max = 1000))]
    #[schema(max_length = 1000)]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct DeclinePairingLetterRequest {
    /// Why the recipient declines; shown to the sender.
    #[validate(length(min = 1, max = 1000))]
    #[schema(min_length = 1, max_length = 1000)]
    pub reason: String,
}

/// An organisation as a party to a letter or pairing.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct PartyView {
    pub id: Uuid,
    pub name: String,
    #[schema(schema_with = crate::values::organization_category)]
    pub category: d::OrganizationCategory,
    #[schema(schema_with = crate::values::organization_level)]
    pub level: d::OrganizationLevel,
    pub region_code: String,
    pub region_name: String,
}

/// One step of a letter's history.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct LetterEventView {
    /// What happened; `expired` is added when the answer deadline has passed.
    #[schema(schema_with = crate::values::letter_event)]
    pub action: d::LetterEvent,
    pub at: DateTime<Utc>,
    /// The side it came from: answers are the recipient's, an expiry the clock's (`system`).
    #[schema(schema_with = crate::values::letter_side)]
    pub side: d::LetterSide,
    /// Who acted (absent for an expiry).
    pub actor_name: Option<String>,
    /// The acceptance note or the reason for declining.
    pub note: Option<String>,
}

/// The pairing an accepted letter created, in brief.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct PairingRef {
    pub id: Uuid,
    #[schema(example = "JD2026000001")]
    pub proof_number: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct PairingLetterView {
    pub id: Uuid,
    pub sender: PartyView,
    pub recipient: PartyView,
    pub subject: String,
    pub purpose: String,
    pub activities: Vec<ProposedActivity>,
    pub period_from: NaiveDate,
    pub period_to: NaiveDate,
    pub contact_name: String,
    /// In full for the two parties' admins, masked for others.
    pub contact_phone: String,
    /// `draft`, `sent`, `accepted`, `declined`, `withdrawn` or `expired` (a sent letter not
    /// answered by `answer_due_at`).
    #[schema(schema_with = crate::values::letter_status)]
    pub status: d::LetterStatus,
    pub sent_at: Option<DateTime<Utc>>,
    /// When an answer is due (sent letters).
    pub answer_due_at: Option<DateTime<Utc>>,
    pub answered_at: Option<DateTime<Utc>>,
    pub answer_note: Option<String>,
    pub decline_reason: Option<String>,
    /// The pairing, once accepted.
    pub pairing: Option<PairingRef>,
    /// What the caller may do now: among `update`, `send`, `withdraw`, `accept`, `decline`.
    #[schema(schema_with = crate::values::letter_actions)]
    pub allowed_actions: Vec<d::LetterAction>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i32,
    /// Who did what, when (on `get_pairing_letter` only).
    pub history: Option<Vec<LetterEventView>>,
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams, Validate)]
#[into_params(parameter_in = Query)]
pub struct PairingLetterQuery {
    /// `inbox` (letters received) or `outbox` (letters written, drafts included);
    /// default both.
    #[param(schema_with = crate::values::mailbox)]
    pub mailbox: Option<String>,
    /// One organisation the caller administers (default: all of them; a platform admin
    /// without it sees every letter).
    pub organization_id: Option<Uuid>,
    /// `draft`, `sent`, `accepted`, `declined`, `withdrawn` or `expired`.
    #[param(schema_with = crate::values::letter_status)]
    pub status: Option<String>,
    #[validate(range(min = 1, max = 200))]
    #[param(minimum = 1, maximum = 200, default = 20)]
    pub limit: Option<u64>,
    pub cursor: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PairingLetterPage {
    pub items: Vec<PairingLetterView>,
    pub next_cursor: Option<String>,
}

/// A pairing relationship (结对关系).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PairingView {
    pub id: Uuid,
    /// Unique, human-readable: `JD` + year + sequence. An application attaches it.
    #[schema(example = "JD2026000001")]
    pub proof_number: String,
    pub letter_id: Uuid,
    pub society: PartyView,
    pub county: PartyView,
    pub period_from: NaiveDate,
    pub period_to: NaiveDate,
    /// `upcoming`, `active` or `ended` (after `period_to`), as of today in China.
    #[schema(schema_with = crate::values::pairing_state)]
    pub status: d::PairingState,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams, Validate)]
#[into_params(parameter_in = Query)]
pub struct PairingQuery {
    /// Pairings of this organisation (its admins and the admins of organisations above it).
    /// Default: the organisations the caller administers; a platform admin sees all.
    pub organization_id: Option<Uuid>,
    /// Also the pairings of the organisations below `organization_id` (or below the
    /// caller's organisations).
    #[serde(default)]
    pub include_descendants: bool,
    /// `upcoming`, `active` or `ended`.
    #[param(schema_with = crate::values::pairing_state)]
    pub status: Option<String>,
    #[validate(range(min = 1, max = 200))]
    #[param(minimum = 1, maximum = 200, default = 20)]
    pub limit: Option<u64>,
    pub cursor: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PairingPage {
    pub items: Vec<PairingView>,
    pub next_cursor: Option<String>,
}

crate::reason_request! {
    DeclinePairingLetterRequest => reason,
}

#[cfg(test)]
mod draft_tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn request() -> CreatePairingLetterRequest {
        CreatePairingLetterRequest {
            sender_id: Uuid::nil(),
            recipient_id: Uuid::max(),
            subject: " 关于商请共同开展科技志愿服务活动的函 ".into(),
            purpose: "共同开展技术培训".into(),
            activities: vec![ProposedActivity {
                what: " 蔬菜病虫害防控培训 ".into(),
                month: "2027-03".into(),
                place: "县农技中心".into(),
            }],
            period_from: day(2027, 1, 1),
            period_to: day(2027, 12, 31),
            contact_name: "王建国".into(),
            contact_phone: "138-0013-8000".into(),
        }
    }

    fn codes(r: Result<LetterDraft, Rejected>) -> Vec<(String, &'static str)> {
        match r {
            Ok(_) => vec![],
            Err(Rejected(p)) => p.into_iter().map(|p| (p.field, p.code.as_str())).collect(),
        }
    }

    #[test]
    fn a_good_draft_is_trimmed_and_its_phone_parsed() {
        let d = LetterDraft::try_from((&request(), day(2026, 12, 3))).expect("accepted");
        assert_eq!(d.subject, "关于商请共同开展科技志愿服务活动的函");
        assert_eq!(d.activities[0].what, "蔬菜病虫害防控培训");
        assert_eq!(d.contact_phone.as_str(), "13800138000");
    }

    #[test]
    fn every_problem_of_a_draft_is_named_at_once() {
        let mut r = request();
        r.subject = " 函 ".into();
        r.contact_name = "王建国2".into();
        r.contact_phone = "12345".into();
        r.activities[0].month = "2027-3x".into();
        r.period_to = day(2026, 12, 31);
        assert_eq!(
            codes(LetterDraft::try_from((&r, day(2026, 12, 3)))),
            vec![
                ("contact_name".into(), "person_name_characters"),
                ("contact_phone".into(), "phone_format"),
                ("subject".into(), "length"),
                ("period_to".into(), "period_ends_before_start"),
                ("activities[0].month".into(), "invalid_month"),
            ]
        );
    }

    #[test]
    fn the_period_holds_the_activities_is_at_most_five_years_and_has_not_ended() {
        let mut r = request();
        r.activities[0].month = "2028-01".into();
        assert_eq!(
            codes(LetterDraft::try_from((&r, day(2026, 12, 3)))),
            vec![("activities[0].month".into(), "month_outside_period")]
        );
        r.period_to = day(2032, 2, 1);
        assert_eq!(
            codes(LetterDraft::try_from((&r, day(2026, 12, 3)))),
            vec![("period_to".into(), "period_too_long")],
            "months are not placed in a period that is itself wrong"
        );
        assert_eq!(
            codes(LetterDraft::try_from((&request(), day(2028, 1, 1)))),
            vec![("period_to".into(), "in_the_past")]
        );
    }

    #[test]
    fn an_update_is_checked_with_the_activities_it_keeps() {
        let d = LetterDraft::try_from((&request(), day(2026, 12, 3))).unwrap();
        let shorter = UpdatePairingLetterRequest {
            period_to: Some(day(2027, 2, 28)),
            ..Default::default()
        };
        assert_eq!(
            codes(d.amended(&shorter, day(2026, 12, 3))),
            vec![("activities[0].month".into(), "month_outside_period")]
        );
        let renamed = UpdatePairingLetterRequest {
            contact_name: Some(" 李华 ".into()),
            ..Default::default()
        };
        let after = d.amended(&renamed, day(2026, 12, 3)).expect("accepted");
        assert_eq!(after.contact_name, "李华");
        assert_eq!(after.contact_phone, d.contact_phone, "what is absent stays");
    }
}
