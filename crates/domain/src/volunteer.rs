//! Volunteers (科技志愿者): names, age rules and membership states.

use crate::ProblemCode;
use chrono::NaiveDate;

use crate::error::FieldError;
use crate::id_number::ResidentIdNumber;
use crate::organization::string_enum;

/// At most this many active (pending or approved) memberships at once (rule 15).
pub const MAX_ACTIVE_MEMBERSHIPS: u64 = 5;

/// What the age rule (rule 12) asks of a registration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AgeRule {
    /// 18 or over: registers alone.
    Adult,
    /// 14 to 17: a guardian's name, phone and consent are needed.
    NeedsGuardian,
    /// Under 14: refused.
    TooYoung,
}

pub fn age_rule(id: &ResidentIdNumber, today: NaiveDate) -> AgeRule {
    match id.age_on(today) {
        a if a >= 18 => AgeRule::Adult,
        a if a >= 14 => AgeRule::NeedsGuardian,
        _ => AgeRule::TooYoung,
    }
}

string_enum! {
    /// The "three heads" roles (三长) a volunteer may hold.
    ThreeHeadsRole {
        /// 校长
        SchoolPrincipal => "school_principal",
        /// 院长
        HospitalHead => "hospital_head",
        /// 站长 (agricultural technology station)
        AgriculturalStationHead => "agricultural_station_head",
    }
}

impl ThreeHeadsRole {
    /// The role's name in Chinese, as forms and imported files write it.
    pub fn title_zh(self) -> &'static str {
        match self {
            ThreeHeadsRole::SchoolPrincipal => "校长",
            ThreeHeadsRole::HospitalHead => "院长",
            ThreeHeadsRole::AgriculturalStationHead => "站长",
        }
    }
}

string_enum! {
    /// State of a volunteer's membership of a team.
    MembershipStatus {
        Pending => "pending",
        Approved => "approved",
        Rejected => "rejected",
        Left => "left",
    }
}

string_enum! {
    /// What can be done to a membership (入队申请 and 成员关系).
    MembershipAction {
        /// Approve a join request (the team's admins).
        Approve => "approve",
        /// Reject a join request with one reason.
        Reject => "reject",
        /// Leave the team, or withdraw the request (the volunteer).
        Leave => "leave",
    }
}

/// Who the caller is to a membership.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MembershipRoles {
    /// An admin of the team.
    pub decides: bool,
    /// The volunteer it belongs to.
    pub volunteer: bool,
}

/// The state a membership moves to under `action`, or why it cannot (rules 9-10).
pub fn membership_transition(
    from: MembershipStatus,
    action: MembershipAction,
) -> Result<MembershipStatus, crate::error::TransitionError> {
    use MembershipAction as A;
    use MembershipStatus as S;
    match (from, action) {
        (S::Pending, A::Approve) => Ok(S::Approved),
        (S::Pending, A::Reject) => Ok(S::Rejected),
        (S::Pending | S::Approved, A::Leave) => Ok(S::Left),
        (_, A::Approve | A::Reject) => Err(crate::error::TransitionError::new(
            ProblemCode::MembershipNotPending,
            format!("the membership is {}, not pending", from.as_str()),
        )),
        (_, A::Leave) => Err(crate::error::TransitionError::new(
            ProblemCode::MembershipNotFound,
            format!(
                "the membership is {}; there is nothing to leave",
                from.as_str()
            ),
        )),
    }
}

/// What the caller may do to a membership now.
pub fn membership_allowed_actions(
    status: MembershipStatus,
    roles: MembershipRoles,
) -> Vec<MembershipAction> {
    MembershipAction::ALL
        .iter()
        .copied()
        .filter(|a| match a {
            MembershipAction::Approve | MembershipAction::Reject => roles.decides,
            MembershipAction::Leave => roles.volunteer,
        })
        .filter(|a| membership_transition(status, *a).is_ok())
        .collect()
}

impl MembershipStatus {
    /// Pending and approved memberships count against the cap.
    pub fn is_active(self) -> bool {
        matches!(self, Self::Pending | Self::Approved)
    }

    /// Whether a membership in this state lets the team's admins (and those above the team)
    /// see the volunteer: a current member, or a request they must answer. A former member
    /// (left) or a refused request shows nothing.
    pub fn reveals_volunteer(self) -> bool {
        matches!(self, Self::Pending | Self::Approved)
    }
}

/// A real name: 2 to 50 characters, letters (any script), the middle dot of
/// minority and foreign names, spaces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonName(String);

impl PersonName {
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let s = raw.trim();
        let n = s.chars().count();
        if !(2..=50).contains(&n) {
            return Err(FieldError::new(
                ProblemCode::PersonNameLength,
                "a name has 2 to 50 characters",
            ));
        }
        if !s
            .chars()
            .all(|c| c.is_alphabetic() || matches!(c, '·' | '•' | ' ' | '.' | '-'))
        {
            return Err(FieldError::new(
                ProblemCode::PersonNameCharacters,
                "a name holds letters, spaces and the middle dot only",
            ));
        }
        Ok(Self(s.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `张*丰`: the middle masked, for public verification pages.
    pub fn masked(&self) -> String {
        let chars: Vec<char> = self.0.chars().collect();
        match chars.len() {
            0 | 1 => self.0.clone(),
            2 => format!("{}*", chars[0]),
            n => format!("{}{}{}", chars[0], "*".repeat(n - 2), chars[n - 1]),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn age_bands() {
        let id = ResidentIdNumber::parse("11010519491231002X").unwrap();
        assert_eq!(age_rule(&id, d(1967, 12, 31)), AgeRule::Adult);
        assert_eq!(age_rule(&id, d(1967, 12, 30)), AgeRule::NeedsGuardian);
        assert_eq!(age_rule(&id, d(1963, 12, 31)), AgeRule::NeedsGuardian);
        assert_eq!(age_rule(&id, d(1963, 12, 30)), AgeRule::TooYoung);
    }

    #[test]
    fn names() {
        assert!(PersonName::parse("张三").is_ok());
        assert!(PersonName::parse("阿依古丽·买买提").is_ok());
        assert!(PersonName::parse("张").is_err());
        assert!(PersonName::parse("张3").is_err());
        assert_eq!(PersonName::parse("张三丰").unwrap().masked(), "张*丰");
        assert_eq!(PersonName::parse("张三").unwrap().masked(), "张*");
    }

    #[test]
    fn membership_activity() {
        assert!(MembershipStatus::Pending.reveals_volunteer());
        assert!(!MembershipStatus::Left.reveals_volunteer());
        assert!(!MembershipStatus::Rejected.reveals_volunteer());
        assert!(MembershipStatus::Pending.is_active());
        assert!(MembershipStatus::Approved.is_active());
        assert!(!MembershipStatus::Left.is_active());
        assert!(!MembershipStatus::Rejected.is_active());
    }
}

#[cfg(test)]
mod membership_state_tests {
    use super::*;

    #[test]
    fn every_state_and_action() {
        use MembershipAction as A;
        use MembershipStatus as S;
        let code = |s, a| membership_transition(s, a).err().map(|e| e.code);
        assert_eq!(
            membership_transition(S::Pending, A::Approve),
            Ok(S::Approved)
        );
        assert_eq!(
            membership_transition(S::Pending, A::Reject),
            Ok(S::Rejected)
        );
        assert_eq!(membership_transition(S::Pending, A::Leave), Ok(S::Left));
        assert_eq!(membership_transition(S::Approved, A::Leave), Ok(S::Left));
        for s in [S::Approved, S::Rejected, S::Left] {
            assert_eq!(code(s, A::Approve), Some(ProblemCode::MembershipNotPending));
            assert_eq!(code(s, A::Reject), Some(ProblemCode::MembershipNotPending));
        }
        for s in [S::Rejected, S::Left] {
            assert_eq!(code(s, A::Leave), Some(ProblemCode::MembershipNotFound));
        }
        let admin = MembershipRoles {
            decides: true,
            ..Default::default()
        };
        let me = MembershipRoles {
            volunteer: true,
            ..Default::default()
        };
        assert_eq!(
            membership_allowed_actions(S::Pending, admin),
            vec![A::Approve, A::Reject]
        );
        assert_eq!(membership_allowed_actions(S::Approved, admin), vec![]);
        assert_eq!(membership_allowed_actions(S::Approved, me), vec![A::Leave]);
        assert_eq!(membership_allowed_actions(S::Left, me), vec![]);
    }
}
