//! Pairing (结对) between a society and a county partner, opened by a letter proposing joint
//! activities (商请共同开展科技志愿服务活动的函), rules 27-31.

use crate::ProblemCode;
use chrono::{DateTime, Duration, Utc};

use crate::error::FieldError;
use crate::organization::string_enum;
use crate::{OrganizationCategory, OrganizationLevel};

string_enum! {
    /// States of a pairing letter. `expired` is never stored: a sent letter is expired when
    /// the clock passes its answer deadline, whether or not anyone looked.
    LetterStatus {
        Draft => "draft",
        Sent => "sent",
        Accepted => "accepted",
        Declined => "declined",
        Withdrawn => "withdrawn",
        Expired => "expired",
    }
}

string_enum! {
    /// What can be done to a letter.
    LetterAction {
        Update => "update",
        Send => "send",
        Withdraw => "withdraw",
        Accept => "accept",
        Decline => "decline",
    }
}

string_enum! {
    /// Where a pairing stands against today's date (China time): before `period_from`,
    /// within the period, or after `period_to`.
    PairingState {
        Upcoming => "upcoming",
        Active => "active",
        Ended => "ended",
    }
}

string_enum! {
    /// Which letters of an organisation a list shows.
    Mailbox {
        /// Letters received (收件箱).
        Inbox => "inbox",
        /// Letters written, drafts included (发件箱).
        Outbox => "outbox",
    }
}

string_enum! {
    /// One entry of a letter's history (往来记录).
    LetterEvent {
        Created => "created",
        Updated => "updated",
        Sent => "sent",
        Withdrawn => "withdrawn",
        Accepted => "accepted",
        Declined => "declined",
        /// Not stored: added to the history when the answer deadline has passed.
        Expired => "expired",
    }
}

string_enum! {
    /// Which side of a letter an entry of its history comes from.
    LetterSide {
        Sender => "sender",
        Recipient => "recipient",
        /// The clock (an expiry).
        System => "system",
    }
}

impl LetterEvent {
    /// What taking `action` records in the history.
    pub fn of(action: LetterAction) -> Self {
        match action {
            LetterAction::Update => LetterEvent::Updated,
            LetterAction::Send => LetterEvent::Sent,
            LetterAction::Withdraw => LetterEvent::Withdrawn,
            LetterAction::Accept => LetterEvent::Accepted,
            LetterAction::Decline => LetterEvent::Declined,
        }
    }

    /// The side the entry comes from: answers are the recipient's, expiry is the clock's,
    /// everything else the sender's.
    pub fn side(self) -> LetterSide {
        match self {
            LetterEvent::Accepted | LetterEvent::Declined => LetterSide::Recipient,
            LetterEvent::Expired => LetterSide::System,
            LetterEvent::Created
            | LetterEvent::Updated
            | LetterEvent::Sent
            | LetterEvent::Withdrawn => LetterSide::Sender,
        }
    }
}

impl PairingState {
    /// Where a pairing stands on `today`: upcoming before its period, active during it
    /// (both ends included), ended after.
    pub fn on(today: chrono::NaiveDate, from: chrono::NaiveDate, to: chrono::NaiveDate) -> Self {
        if today < from {
            PairingState::Upcoming
        } else if today <= to {
            PairingState::Active
        } else {
            PairingState::Ended
        }
    }
}

/// Days a recipient has to answer (rule 28; configurable).
pub const DEFAULT_ANSWER_DAYS: i64 = 30;

/// When the answer to a letter sent at `sent_at` is due.
pub fn answer_due(sent_at: DateTime<Utc>, answer_days: i64) -> DateTime<Utc> {
    sent_at + Duration::days(answer_days)
}

/// The status a letter has now: a sent letter past its deadline is expired.
pub fn effective_status(
    stored: LetterStatus,
    sent_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
    answer_days: i64,
) -> LetterStatus {
    match (stored, sent_at) {
        (LetterStatus::Sent, Some(at)) if now > answer_due(at, answer_days) => {
            LetterStatus::Expired
        }
        (s, _) => s,
    }
}

pub use crate::error::TransitionError;

/// The state a letter moves to when `action` is taken in state `from` (its effective state),
/// or why it cannot.
pub fn transition(
    from: LetterStatus,
    action: LetterAction,
) -> Result<LetterStatus, TransitionError> {
    use LetterAction as A;
    use LetterStatus as S;
    let to = match (from, action) {
        (S::Draft, A::Update) => S::Draft,
        (S::Draft, A::Send) => S::Sent,
        (S::Sent, A::Withdraw) => S::Withdrawn,
        (S::Sent, A::Accept) => S::Accepted,
        (S::Sent, A::Decline) => S::Declined,
        (S::Draft, A::Withdraw | A::Accept | A::Decline) => {
            return Err(TransitionError {
                code: ProblemCode::LetterNotSent,
                message: "the letter is still a draft".into(),
            })
        }
        (S::Sent, A::Update | A::Send) => {
            return Err(TransitionError {
                code: ProblemCode::LetterAlreadySent,
                message: "a sent letter cannot be changed; withdraw it and write a new one".into(),
            })
        }
        (S::Accepted | S::Declined, _) => {
            return Err(TransitionError {
                code: ProblemCode::LetterAlreadyAnswered,
                message: format!("the letter was {} already", from.as_str()),
            })
        }
        (S::Withdrawn, _) => {
            return Err(TransitionError {
                code: ProblemCode::LetterWithdrawn,
                message: "the sender withdrew the letter".into(),
            })
        }
        (S::Expired, _) => {
            return Err(TransitionError {
                code: ProblemCode::LetterExpired,
                message: "the letter was not answered in time and has expired".into(),
            })
        }
    };
    Ok(to)
}

/// Rule 27 and 30: a society (national, provincial, municipal) writes to a county-level
/// association for science and technology or county volunteer federation, never to itself.
/// Who the caller is to a letter: the sender's admins write, send and withdraw it; the
/// recipient's admins accept or decline it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LetterRoles {
    pub sender: bool,
    pub recipient: bool,
}

/// What the caller may do to a letter in `status` now: the actions its state allows that
/// the caller's side performs.
pub fn letter_allowed_actions(status: LetterStatus, roles: LetterRoles) -> Vec<LetterAction> {
    LetterAction::ALL
        .iter()
        .copied()
        .filter(|a| transition(status, *a).is_ok())
        .filter(|a| match a {
            LetterAction::Update | LetterAction::Send | LetterAction::Withdraw => roles.sender,
            LetterAction::Accept | LetterAction::Decline => roles.recipient,
        })
        .collect()
}

/// The longest pairing period a letter proposes: five years (rule 28).
pub const MAX_PERIOD_DAYS: i64 = 5 * 366;

pub fn check_pairing(
    sender: OrganizationCategory,
    recipient: OrganizationCategory,
    recipient_level: OrganizationLevel,
    same: bool,
) -> Result<(), FieldError> {
    if same {
        return Err(FieldError::new(
            ProblemCode::PairingWithItself,
            "an organisation cannot pair with itself",
        ));
    }
    if !sender.is_society() {
        return Err(FieldError::new(
            ProblemCode::SenderNotSociety,
            "pairing letters are sent by national, provincial or municipal societies",
        ));
    }
    if !matches!(
        recipient,
        OrganizationCategory::CountyAssociation | OrganizationCategory::CountyVolunteerFederation
    ) {
        return Err(FieldError::new(
            ProblemCode::RecipientCategory,
            "the recipient is a county association for science and technology or a county volunteer federation",
        ));
    }
    if recipient_level != OrganizationLevel::County {
        return Err(FieldError::new(
            ProblemCode::RecipientNotCounty,
            "the recipient must be at county level",
        ));
    }
    Ok(())
}

/// The proof number of a pairing: `JD` + year + six-digit sequence, e.g. `JD2026000123`.
pub fn proof_number(year: i32, seq: i64) -> String {
    format!("JD{year}{seq:06}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn answers_are_the_recipients_expiry_the_clocks_and_the_rest_the_senders() {
        use LetterEvent as E;
        for e in E::ALL {
            let want = match e {
                E::Accepted | E::Declined => LetterSide::Recipient,
                E::Expired => LetterSide::System,
                _ => LetterSide::Sender,
            };
            assert_eq!(e.side(), want, "{e}");
        }
        for a in LetterAction::ALL {
            let e = LetterEvent::of(*a);
            assert_ne!(e, E::Created, "{a}");
            assert_ne!(e, E::Expired, "{a}");
        }
        assert_eq!(LetterEvent::of(LetterAction::Accept), E::Accepted);
        assert_eq!(LetterEvent::of(LetterAction::Withdraw), E::Withdrawn);
    }

    #[test]
    fn each_side_is_offered_its_own_actions_in_every_state() {
        use LetterAction as A;
        use LetterStatus as S;
        let sender = LetterRoles {
            sender: true,
            recipient: false,
        };
        let recipient = LetterRoles {
            sender: false,
            recipient: true,
        };
        let both = LetterRoles {
            sender: true,
            recipient: true,
        };
        assert_eq!(
            letter_allowed_actions(S::Draft, sender),
            [A::Update, A::Send]
        );
        assert_eq!(letter_allowed_actions(S::Draft, recipient), []);
        assert_eq!(letter_allowed_actions(S::Sent, sender), [A::Withdraw]);
        assert_eq!(
            letter_allowed_actions(S::Sent, recipient),
            [A::Accept, A::Decline]
        );
        for s in [S::Accepted, S::Declined, S::Withdrawn, S::Expired] {
            assert_eq!(letter_allowed_actions(s, both), [], "{s}");
        }
        assert_eq!(letter_allowed_actions(S::Sent, LetterRoles::default()), []);
    }

    #[test]
    fn closed_sets_travel_as_they_are_spelt() {
        for m in Mailbox::ALL {
            let json = serde_json::to_string(m).unwrap();
            assert_eq!(json, format!("\"{}\"", m.as_str()));
            assert_eq!(serde_json::from_str::<Mailbox>(&json).unwrap(), *m);
        }
        let refused = serde_json::from_str::<LetterStatus>("\"publised\"").unwrap_err();
        assert!(refused.to_string().contains("publised"), "{refused}");
    }

    #[test]
    fn every_transition() {
        use LetterAction as A;
        use LetterStatus as S;
        assert_eq!(transition(S::Draft, A::Send), Ok(S::Sent));
        assert_eq!(transition(S::Draft, A::Update), Ok(S::Draft));
        assert_eq!(transition(S::Sent, A::Accept), Ok(S::Accepted));
        assert_eq!(transition(S::Sent, A::Decline), Ok(S::Declined));
        assert_eq!(transition(S::Sent, A::Withdraw), Ok(S::Withdrawn));
        let code = |s, a| transition(s, a).map_err(|e| e.code).err();
        assert_eq!(
            code(S::Sent, A::Update),
            Some(ProblemCode::LetterAlreadySent)
        );
        assert_eq!(code(S::Draft, A::Accept), Some(ProblemCode::LetterNotSent));
        assert_eq!(
            code(S::Accepted, A::Accept),
            Some(ProblemCode::LetterAlreadyAnswered)
        );
        assert_eq!(
            code(S::Declined, A::Withdraw),
            Some(ProblemCode::LetterAlreadyAnswered)
        );
        assert_eq!(
            code(S::Withdrawn, A::Accept),
            Some(ProblemCode::LetterWithdrawn)
        );
        assert_eq!(
            code(S::Expired, A::Accept),
            Some(ProblemCode::LetterExpired)
        );
    }

    #[test]
    fn expiry_is_computed_from_the_clock() {
        let sent = Utc
            .with_ymd_and_hms(2026, 1, 1, 0, 0, 0)
            .single()
            .unwrap_or_default();
        let day = |d| sent + Duration::days(d);
        assert_eq!(
            effective_status(LetterStatus::Sent, Some(sent), day(30), 30),
            LetterStatus::Sent
        );
        assert_eq!(
            effective_status(LetterStatus::Sent, Some(sent), day(31), 30),
            LetterStatus::Expired
        );
        assert_eq!(
            effective_status(LetterStatus::Accepted, Some(sent), day(90), 30),
            LetterStatus::Accepted
        );
    }

    #[test]
    fn who_pairs_with_whom() {
        use OrganizationCategory as C;
        use OrganizationLevel as L;
        assert!(check_pairing(C::NationalSociety, C::CountyAssociation, L::County, false).is_ok());
        assert!(check_pairing(
            C::MunicipalSociety,
            C::CountyVolunteerFederation,
            L::County,
            false
        )
        .is_ok());
        let code = |s, r, l, same| check_pairing(s, r, l, same).err().map(|e| e.code);
        assert_eq!(
            code(C::CityAssociation, C::CountyAssociation, L::County, false),
            Some(ProblemCode::SenderNotSociety)
        );
        assert_eq!(
            code(C::NationalSociety, C::University, L::County, false),
            Some(ProblemCode::RecipientCategory)
        );
        assert_eq!(
            code(C::NationalSociety, C::CountyAssociation, L::City, false),
            Some(ProblemCode::RecipientNotCounty)
        );
        assert_eq!(
            code(C::NationalSociety, C::NationalSociety, L::National, true),
            Some(ProblemCode::PairingWithItself)
        );
    }

    #[test]
    fn proof_numbers() {
        assert_eq!(proof_number(2026, 123), "JD2026000123");
    }
}
