//! Pairing letters (商请共同开展科技志愿服务活动的函) and pairings (结对), rules 27-31.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;
use zhihui_domain as d;

/// A joint activity the letter proposes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct ProposedActivity {
    /// What is to be done.
    #[schema(example = "设施蔬菜病虫害绿色防控技术培训")]
    #[validate(length(min = 1, max = 200))]
    pub what: String,
    /// Roughly when, as a month `YYYY-MM`.
    #[schema(example = "2027-03")]
    pub month: String,
    #[schema(example = "县农业技术推广中心")]
    #[validate(length(min = 1, max = 200))]
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
    pub subject: String,
    /// Why the society proposes the pairing; the body of the letter.
    #[validate(length(min = 1, max = 5000))]
    pub purpose: String,
    /// One to 50 proposed joint activities.
    #[validate(length(min = 1, max = 50), nested)]
    pub activities: Vec<ProposedActivity>,
    /// First day of the pairing.
    #[validate(custom(function = "crate::bounds::date"))]
    pub period_from: NaiveDate,
    /// Last day of the pairing; the pairing ends after it.
    #[validate(custom(function = "crate::bounds::date"))]
    pub period_to: NaiveDate,
    #[schema(example = "王建国")]
    #[validate(length(min = 1, max = 50))]
    pub contact_name: String,
    /// Mainland mobile number; stored encrypted, shown in full only to the two parties.
    #[schema(example = "13800138000")]
    pub contact_phone: String,
}

/// Partial update of a draft; absent fields stay as they are. Send `If-Match` with the ETag.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct UpdatePairingLetterRequest {
    pub recipient_id: Option<Uuid>,
    #[validate(length(min = 2, max = 100))]
    pub subject: Option<String>,
    #[validate(length(min = 1, max = 5000))]
    pub purpose: Option<String>,
    #[validate(length(min = 1, max = 50), nested)]
    pub activities: Option<Vec<ProposedActivity>>,
    #[validate(custom(function = "crate::bounds::date"))]
    pub period_from: Option<NaiveDate>,
    #[validate(custom(function = "crate::bounds::date"))]
    pub period_to: Option<NaiveDate>,
    #[validate(length(min = 1, max = 50))]
    pub contact_name: Option<String>,
    pub contact_phone: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct AcceptPairingLetterRequest {
    /// An optional note to the sender.
    #[validate(length(max = 1000))]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct DeclinePairingLetterRequest {
    /// Why the recipient declines; shown to the sender.
    #[validate(length(min = 1, max = 1000))]
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
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
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

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
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
