//! The business of Zhihui (智惠): newtypes that parse and validate, enumerations,
//! state rules and numeric rules of the science-and-technology volunteer service.
//!
//! This crate performs no I/O and depends on nothing that needs an operating system,
//! so the web dashboard runs the very same checks in the browser (it compiles for
//! `wasm32-unknown-unknown`).

pub mod account;
pub mod activity;
pub mod application;
pub mod bounds;
pub mod campaign;
pub mod credit_code;
pub mod error;
pub mod hours;
pub mod hub;
pub mod id_number;
pub mod integration;
pub mod need;
pub mod notification;
pub mod organization;
pub mod pairing;
pub mod phone;
pub mod problem;
pub mod region;
pub mod report;
pub mod table;
pub mod volunteer;
pub mod work;

/// A closed set of values with one spelling each (`as_str`/`parse`): every status, category,
/// level, kind and decision of the platform. The same spelling is used on the wire (serde),
/// in the database (the persistence crate's column type) and in files.
pub trait ClosedSet: Copy + Eq + std::fmt::Debug + 'static {
    const ALL: &'static [Self];
    fn as_str(self) -> &'static str;
    fn parse(s: &str) -> Option<Self>;
}

impl ClosedSet for RegionLevel {
    const ALL: &'static [Self] = RegionLevel::ALL;
    fn as_str(self) -> &'static str {
        RegionLevel::as_str(self)
    }
    fn parse(s: &str) -> Option<Self> {
        RegionLevel::parse(s)
    }
}

impl ClosedSet for Gender {
    const ALL: &'static [Self] = Gender::ALL;
    fn as_str(self) -> &'static str {
        Gender::as_str(self)
    }
    fn parse(s: &str) -> Option<Self> {
        Gender::parse(s)
    }
}

pub use account::{LoginName, Password};
pub use activity::{
    activity_action_starts_from, activity_allowed_actions, activity_transition, sign_up_transition,
    ActivityAction, ActivityCategory, ActivityFacts, ActivityRoles, ActivityStatus,
    AttendanceSource, KeyDate, RecognitionRule, SignUpAction, SignUpStatus,
};
pub use application::{
    ApplicationAction, ApplicationEvent, ApplicationRoles, ApplicationStatus, CallState, Decision,
    FormVariant,
};
pub use campaign::{
    campaign_allowed_actions, campaign_transition, entry_allowed_actions, entry_transition,
    CampaignAction, CampaignStatus, CustomFieldKind, EntryAction, EntryStage, EntryStatus,
    SubmissionAction, SubmissionState,
};
pub use credit_code::CreditCode;
pub use error::FieldError;
pub use error::TransitionError;
pub use hours::{
    certificate_allowed_actions, certificate_transition, CertificateAction, CertificateStatus,
    RecordOutcome,
};
pub use hub::{
    service_point_allowed_actions, stay_allowed_actions, stay_transition, ExhibitionCategory,
    ServicePointAction, ServicePointKind, StayAction, StayRoles, StayStatus,
};
pub use id_number::{Gender, ResidentIdNumber};
pub use need::{
    need_allowed_actions, need_transition, AudienceKind, ClaimBasis, Closeness, NeedAction,
    NeedEvent, NeedRoles, NeedStatus, PriorityArea, SkillField,
};
pub use organization::{
    admin_seat_cap, flags_priority, organization_allowed_actions, organization_transition,
    OrganizationAction, OrganizationCategory, OrganizationLevel, OrganizationName,
    OrganizationRoles, OrganizationStatus,
};
pub use pairing::{LetterAction, LetterEvent, LetterSide, LetterStatus, Mailbox, PairingState};
pub use phone::MobilePhone;
pub use problem::{CodeKind, ProblemCode};
pub use region::{RegionCode, RegionLevel};
pub use report::{
    report_action_starts_from, report_allowed_actions, ActivityRule, Month, MonthStanding,
    ReportAction, ReportRoles, ReportStatus, RollupKind,
};
pub use table::TableFormat;
pub use volunteer::{
    age_rule, membership_allowed_actions, membership_transition, AgeRule, MembershipAction,
    MembershipRoles, MembershipStatus, PersonName, ThreeHeadsRole, MAX_ACTIVE_MEMBERSHIPS,
};
pub use work::WorkKind;
