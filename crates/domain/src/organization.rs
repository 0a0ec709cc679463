//! Organisations and teams (科技志愿服务组织 / 队伍): categories, levels, states and seat rules.

use crate::error::FieldError;
use crate::ProblemCode;

macro_rules! string_enum {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $variant:ident => $s:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name { $($(#[$vm])* $variant),+ }

        // On the wire exactly as `as_str` spells it: one spelling for JSON, SQL and files.
        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <::std::borrow::Cow<'de, str> as ::serde::Deserialize>::deserialize(d)?;
                $name::parse(&s).ok_or_else(|| {
                    ::serde::de::Error::unknown_variant(&s, &[$($s),+])
                })
            }
        }

        impl $crate::ClosedSet for $name {
            const ALL: &'static [Self] = $name::ALL;
            fn as_str(self) -> &'static str {
                $name::as_str(self)
            }
            fn parse(s: &str) -> Option<Self> {
                $name::parse(s)
            }
        }

        impl ::std::convert::AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $s),+ }
            }
            pub fn parse(s: &str) -> Option<Self> {
                match s { $($s => Some($name::$variant),)+ _ => None }
            }
        }
    };
}
pub(crate) use string_enum;

string_enum! {
    /// Category (team type) of an organisation.
    OrganizationCategory {
        /// 全国学会
        NationalSociety => "national_society",
        /// 省级学会
        ProvincialSociety => "provincial_society",
        /// 市级学会
        MunicipalSociety => "municipal_society",
        /// 省级科协
        ProvincialAssociation => "provincial_association",
        /// 市级科协
        CityAssociation => "city_association",
        /// 县级科协
        CountyAssociation => "county_association",
        /// 县级志愿服务联合会/协会
        CountyVolunteerFederation => "county_volunteer_federation",
        /// 高校
        University => "university",
        /// 企业、园区
        Enterprise => "enterprise",
        /// 农技协
        RuralTechnicalAssociation => "rural_technical_association",
        /// 青少年
        Youth => "youth",
        /// 科普大篷车
        ScienceCaravan => "science_caravan",
        /// 科普教育基地
        ScienceEducationBase => "science_education_base",
        /// 其他
        Other => "other",
    }
}

string_enum! {
    /// Level in the organisation tree: national > province > city (支队) > county (大队) > grassroots team (分队).
    OrganizationLevel {
        National => "national",
        Province => "province",
        City => "city",
        County => "county",
        Grassroots => "grassroots",
    }
}

string_enum! {
    /// Registration state of an organisation.
    OrganizationStatus {
        Pending => "pending",
        Approved => "approved",
        Rejected => "rejected",
        Suspended => "suspended",
    }
}

string_enum! {
    /// What can be done to an organisation's registration (组织注册).
    OrganizationAction {
        /// Change its details (its own admins or a platform admin).
        Update => "update",
        /// Approve a pending registration (the parent's admins or a platform admin).
        Approve => "approve",
        /// Reject a pending registration with a reason.
        Reject => "reject",
        /// Send a rejected registration, corrected, for a decision again (its own admins).
        Resubmit => "resubmit",
        /// Flag an approved county as a priority area (脱贫县, 革命老区, 边远山区) or clear the
        /// flag: the admins of an organisation above it, or a platform admin (rule 46).
        FlagPriority => "flag_priority",
    }
}

/// Who the caller is to an organisation.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OrganizationRoles {
    /// Edits it: its own admins and platform admins.
    pub edits: bool,
    /// Decides its registration: its parent's admins and platform admins.
    pub decides: bool,
    /// Flags it as a priority county ([`flags_priority`]).
    pub flags_priority: bool,
}

/// Who flags an organisation as a priority county (rule 46): it is a county-level
/// organisation, and the caller is a platform admin or administers an organisation above
/// it. A county does not flag itself.
pub fn flags_priority(level: OrganizationLevel, platform_admin: bool, above: bool) -> bool {
    level == OrganizationLevel::County && (platform_admin || above)
}

/// The status a registration moves to under `action`, or why it cannot (rule 3): only a
/// pending registration is decided, once.
pub fn organization_transition(
    from: OrganizationStatus,
    action: OrganizationAction,
) -> Result<OrganizationStatus, crate::error::TransitionError> {
    use OrganizationAction as A;
    use OrganizationStatus as S;
    match (from, action) {
        (_, A::Update) => Ok(from),
        (S::Approved, A::FlagPriority) => Ok(from),
        (_, A::FlagPriority) => Err(crate::error::TransitionError::new(
            ProblemCode::OrganizationNotApproved,
            format!("the organisation is {}, not approved", from.as_str()),
        )),
        (S::Pending, A::Approve) => Ok(S::Approved),
        (S::Pending, A::Reject) => Ok(S::Rejected),
        (_, A::Approve | A::Reject) => Err(crate::error::TransitionError::new(
            ProblemCode::OrganizationNotPending,
            format!("the organisation is {}, not pending", from.as_str()),
        )),
        (S::Rejected, A::Resubmit) => Ok(S::Pending),
        (_, A::Resubmit) => Err(crate::error::TransitionError::new(
            ProblemCode::OrganizationNotRejected,
            format!(
                "the organisation is {}; only a rejected registration is sent again",
                from.as_str()
            ),
        )),
    }
}

/// What the caller may do to an organisation now.
pub fn organization_allowed_actions(
    status: OrganizationStatus,
    roles: OrganizationRoles,
) -> Vec<OrganizationAction> {
    OrganizationAction::ALL
        .iter()
        .copied()
        .filter(|a| match a {
            OrganizationAction::Update | OrganizationAction::Resubmit => roles.edits,
            OrganizationAction::Approve | OrganizationAction::Reject => roles.decides,
            OrganizationAction::FlagPriority => roles.flags_priority,
        })
        .filter(|a| organization_transition(status, *a).is_ok())
        .collect()
}

impl OrganizationLevel {
    /// Whether an organisation at this level may register without a parent: only national
    /// and provincial ones sit at the top of their trees.
    pub fn registers_without_parent(self) -> bool {
        matches!(self, Self::National | Self::Province)
    }

    /// Depth in the tree: national 0 … grassroots 4.
    pub fn depth(self) -> u8 {
        match self {
            Self::National => 0,
            Self::Province => 1,
            Self::City => 2,
            Self::County => 3,
            Self::Grassroots => 4,
        }
    }

    /// Minimum registered members a team of this level should reach (rule 7);
    /// a compliance flag, not a registration block.
    pub fn minimum_members(self) -> Option<u64> {
        match self {
            Self::County => Some(30),
            Self::Grassroots => Some(10),
            _ => None,
        }
    }
}

impl OrganizationCategory {
    /// The one level a category implies, if it implies one.
    pub fn required_level(self) -> Option<OrganizationLevel> {
        use OrganizationCategory::*;
        use OrganizationLevel as L;
        match self {
            NationalSociety => Some(L::National),
            ProvincialSociety | ProvincialAssociation => Some(L::Province),
            MunicipalSociety | CityAssociation => Some(L::City),
            CountyAssociation | CountyVolunteerFederation => Some(L::County),
            _ => None,
        }
    }

    pub fn is_society(self) -> bool {
        matches!(
            self,
            Self::NationalSociety | Self::ProvincialSociety | Self::MunicipalSociety
        )
    }
}

/// Checks that a category may sit at a level and a child may sit under a parent.
pub fn check_placement(
    category: OrganizationCategory,
    level: OrganizationLevel,
    parent_level: Option<OrganizationLevel>,
) -> Result<(), FieldError> {
    if let Some(required) = category.required_level() {
        if required != level {
            return Err(FieldError::new(
                ProblemCode::LevelCategoryMismatch,
                format!(
                    "a {} organisation is at {} level",
                    category.as_str(),
                    required.as_str()
                ),
            ));
        }
    }
    if let Some(p) = parent_level {
        if p.depth() >= level.depth() {
            return Err(FieldError::new(
                ProblemCode::ParentLevel,
                format!(
                    "a {} organisation cannot sit under a {} one",
                    level.as_str(),
                    p.as_str()
                ),
            ));
        }
    }
    Ok(())
}

/// Admin seats allowed for a number of approved members (rule 8):
/// 1-100 members: 1; 101-200: 2; 201-300: 3; 301-400: 4; 401 and more: 5.
pub fn admin_seat_cap(approved_members: u64) -> u64 {
    approved_members.div_ceil(100).clamp(1, 5)
}

/// A trimmed organisation name of 2 to 100 characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrganizationName(String);

impl OrganizationName {
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let s: String = raw.split_whitespace().collect::<Vec<_>>().join(" ");
        let n = s.chars().count();
        if n < 2 {
            return Err(FieldError::new(
                ProblemCode::NameTooShort,
                "a name has at least 2 characters",
            ));
        }
        if n > 100 {
            return Err(FieldError::new(
                ProblemCode::NameTooLong,
                "a name has at most 100 characters",
            ));
        }
        if s.chars().any(char::is_control) {
            return Err(FieldError::new(
                ProblemCode::NameCharacters,
                "a name cannot hold control characters",
            ));
        }
        Ok(Self(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seat_cap_follows_the_table() {
        let cases = [
            (0, 1),
            (1, 1),
            (100, 1),
            (101, 2),
            (200, 2),
            (201, 3),
            (300, 3),
            (301, 4),
            (400, 4),
            (401, 5),
            (10_000, 5),
        ];
        for (m, cap) in cases {
            assert_eq!(admin_seat_cap(m), cap, "{m} members");
        }
    }

    #[test]
    fn placement_rules() {
        use OrganizationCategory as C;
        use OrganizationLevel as L;
        assert!(check_placement(C::CountyAssociation, L::County, Some(L::City)).is_ok());
        assert_eq!(
            check_placement(C::CountyAssociation, L::City, None)
                .unwrap_err()
                .code,
            ProblemCode::LevelCategoryMismatch
        );
        assert_eq!(
            check_placement(C::University, L::City, Some(L::County))
                .unwrap_err()
                .code,
            ProblemCode::ParentLevel
        );
        assert_eq!(
            check_placement(C::University, L::City, Some(L::City))
                .unwrap_err()
                .code,
            ProblemCode::ParentLevel
        );
        assert!(check_placement(C::Other, L::Grassroots, Some(L::County)).is_ok());
    }

    #[test]
    fn enums_round_trip() {
        for c in OrganizationCategory::ALL {
            assert_eq!(OrganizationCategory::parse(c.as_str()), Some(*c));
        }
        for l in OrganizationLevel::ALL {
            assert_eq!(OrganizationLevel::parse(l.as_str()), Some(*l));
        }
        assert_eq!(OrganizationStatus::parse("nope"), None);
    }

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(
            OrganizationName::parse("  中国  科协 ").unwrap().as_str(),
            "中国 科协"
        );
        assert!(OrganizationName::parse("科").is_err());
        assert!(OrganizationName::parse(&"科".repeat(101)).is_err());
        assert!(OrganizationName::parse("ab\u{0007}").is_err());
    }

    #[test]
    fn minimum_sizes() {
        assert_eq!(OrganizationLevel::County.minimum_members(), Some(30));
        assert_eq!(OrganizationLevel::Grassroots.minimum_members(), Some(10));
        assert_eq!(OrganizationLevel::Province.minimum_members(), None);
    }
}

#[cfg(test)]
mod organization_state_tests {
    use super::*;

    #[test]
    fn only_a_pending_registration_is_decided_once() {
        use OrganizationAction as A;
        use OrganizationStatus as S;
        for from in S::ALL {
            assert_eq!(organization_transition(*from, A::Update), Ok(*from));
            for a in [A::Approve, A::Reject] {
                let r = organization_transition(*from, a);
                if *from == S::Pending {
                    assert!(r.is_ok());
                } else {
                    assert_eq!(
                        r.err().map(|e| e.code),
                        Some(ProblemCode::OrganizationNotPending)
                    );
                }
            }
        }
        assert_eq!(
            organization_transition(S::Pending, A::Approve),
            Ok(S::Approved)
        );
        assert_eq!(
            organization_transition(S::Pending, A::Reject),
            Ok(S::Rejected)
        );
    }

    #[test]
    fn only_a_rejected_registration_is_sent_again() {
        use OrganizationAction as A;
        use OrganizationStatus as S;
        for from in S::ALL {
            let r = organization_transition(*from, A::Resubmit);
            if *from == S::Rejected {
                assert_eq!(r, Ok(S::Pending));
            } else {
                assert_eq!(
                    r.err().map(|e| e.code),
                    Some(ProblemCode::OrganizationNotRejected)
                );
            }
        }
        let own = OrganizationRoles {
            edits: true,
            ..Default::default()
        };
        let parent = OrganizationRoles {
            decides: true,
            ..Default::default()
        };
        assert_eq!(
            organization_allowed_actions(S::Rejected, own),
            vec![A::Update, A::Resubmit]
        );
        assert_eq!(
            organization_allowed_actions(S::Rejected, parent),
            vec![],
            "the parent decides; it does not send the registration again"
        );
    }

    #[test]
    fn only_those_above_a_county_flag_it_as_a_priority() {
        use OrganizationLevel as L;
        assert!(flags_priority(L::County, false, true));
        assert!(flags_priority(L::County, true, false));
        assert!(
            !flags_priority(L::County, false, false),
            "not the county itself"
        );
        assert!(!flags_priority(L::City, true, true), "counties only");
        let above = OrganizationRoles {
            flags_priority: true,
            ..Default::default()
        };
        assert_eq!(
            organization_allowed_actions(OrganizationStatus::Approved, above),
            vec![OrganizationAction::FlagPriority]
        );
        assert!(organization_allowed_actions(OrganizationStatus::Pending, above).is_empty());
    }

    #[test]
    fn each_role_is_offered_what_it_may_do() {
        use OrganizationAction as A;
        use OrganizationStatus as S;
        let both = OrganizationRoles {
            edits: true,
            decides: true,
            ..Default::default()
        };
        let parent = OrganizationRoles {
            decides: true,
            ..Default::default()
        };
        let own = OrganizationRoles {
            edits: true,
            ..Default::default()
        };
        assert_eq!(
            organization_allowed_actions(S::Pending, both),
            vec![A::Update, A::Approve, A::Reject]
        );
        assert_eq!(
            organization_allowed_actions(S::Pending, parent),
            vec![A::Approve, A::Reject]
        );
        assert_eq!(organization_allowed_actions(S::Approved, parent), vec![]);
        assert_eq!(
            organization_allowed_actions(S::Approved, own),
            vec![A::Update]
        );
        assert!(organization_allowed_actions(S::Pending, OrganizationRoles::default()).is_empty());
    }
}
