//! The resources webhook events carry (`WebhookEvent.resource`), one type per kind. The
//! repositories build them in the transaction that makes the change (the outbox), and the
//! OpenAPI document's `webhooks` section names, per event type, which one it carries. None
//! carries an ID number or a phone number.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use zhihui_domain as d;

/// A membership, for `membership.requested` and `membership.approved`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct MembershipResource {
    /// Always `membership`.
    #[schema(example = "membership")]
    pub kind: String,
    pub id: Uuid,
    pub organization_id: Uuid,
    pub volunteer_id: Uuid,
    #[schema(schema_with = crate::values::membership_status)]
    pub status: d::MembershipStatus,
    pub requested_at: DateTime<Utc>,
    pub decided_at: Option<DateTime<Utc>>,
    /// Why a request was rejected.
    pub reason: Option<String>,
    /// The volunteer, in this API.
    pub href: String,
}

/// A finished import, for `volunteer.imported`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct VolunteerImportResource {
    /// Always `volunteer_import`.
    #[schema(example = "volunteer_import")]
    pub kind: String,
    pub id: Uuid,
    pub organization_id: Uuid,
    pub total_rows: i32,
    pub created: i32,
    pub already_members: i32,
    pub failed: i32,
    /// The volunteers registered by this import.
    pub volunteer_ids: Vec<Uuid>,
    pub href: String,
}

/// An activity, for `activity.published` and `activity.cancelled`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct ActivityResource {
    /// Always `activity`.
    #[schema(example = "activity")]
    pub kind: String,
    pub id: Uuid,
    pub organization_id: Uuid,
    pub title: String,
    #[schema(schema_with = crate::values::activity_category)]
    pub category: d::ActivityCategory,
    #[schema(schema_with = crate::values::activity_status)]
    pub status: d::ActivityStatus,
    pub region_code: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub capacity: i32,
    pub cancel_reason: Option<String>,
    pub href: String,
}

/// An organisation's registration decided, for `organization.approved` and
/// `organization.rejected` (with the reason, which the organisation corrects against).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct OrganizationResource {
    /// Always `organization`.
    #[schema(example = "organization")]
    pub kind: String,
    pub id: Uuid,
    pub name: String,
    pub parent_id: Option<Uuid>,
    #[schema(schema_with = crate::values::organization_status)]
    pub status: d::OrganizationStatus,
    pub rejection_reason: Option<String>,
    pub href: String,
}

/// A sign-up that holds a place, for `sign_up.confirmed` (a place at once) and
/// `sign_up.promoted` (moved up from the waiting list).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct SignUpResource {
    /// Always `sign_up`.
    #[schema(example = "sign_up")]
    pub kind: String,
    pub id: Uuid,
    pub activity_id: Uuid,
    pub organization_id: Uuid,
    pub volunteer_id: Uuid,
    #[schema(schema_with = crate::values::sign_up_status)]
    pub status: d::SignUpStatus,
    pub starts_at: DateTime<Utc>,
    pub href: String,
}

/// One participant's record in an `hours.confirmed` event.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct ServiceRecordChange {
    pub record_id: Uuid,
    pub volunteer_id: Uuid,
    /// Confirmed hours in tenths.
    pub hours_tenths: i32,
    /// `created`, `corrected` or `unchanged`.
    #[schema(schema_with = crate::values::record_outcome)]
    pub outcome: d::RecordOutcome,
}

/// The hours confirmed for an activity, for `hours.confirmed`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct ServiceRecordsResource {
    /// Always `activity_service_records`.
    #[schema(example = "activity_service_records")]
    pub kind: String,
    pub activity_id: Uuid,
    pub organization_id: Uuid,
    pub service_date: NaiveDate,
    pub records: Vec<ServiceRecordChange>,
    pub href: String,
}

/// A certificate, for `certificate.issued`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct CertificateResource {
    /// Always `certificate`.
    #[schema(example = "certificate")]
    pub kind: String,
    pub id: Uuid,
    pub number: String,
    pub organization_id: Uuid,
    pub volunteer_id: Uuid,
    pub hours_tenths: i32,
    pub activities: i32,
    pub period_from: NaiveDate,
    pub period_to: NaiveDate,
    pub issued_at: DateTime<Utc>,
    pub href: String,
}

/// The pairing an accepted letter made.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct PairingReference {
    pub id: Uuid,
    pub proof_number: String,
    pub href: String,
}

/// A pairing letter, for the `pairing_letter.*` events.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct PairingLetterResource {
    /// Always `pairing_letter`.
    #[schema(example = "pairing_letter")]
    pub kind: String,
    pub id: Uuid,
    pub sender_id: Uuid,
    pub recipient_id: Uuid,
    pub subject: String,
    #[schema(schema_with = crate::values::letter_status)]
    pub status: d::LetterStatus,
    pub period_from: NaiveDate,
    pub period_to: NaiveDate,
    pub sent_at: Option<DateTime<Utc>>,
    pub answer_due_at: Option<DateTime<Utc>>,
    pub answered_at: Option<DateTime<Utc>>,
    pub pairing: Option<PairingReference>,
    pub href: String,
}

/// A need, for the `need.*` events (never its contact).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct NeedResource {
    /// Always `need`.
    #[schema(example = "need")]
    pub kind: String,
    pub id: Uuid,
    pub requester_id: Uuid,
    /// The team dispatched to or holding the need.
    pub holder_id: Option<Uuid>,
    pub title: String,
    #[schema(schema_with = crate::values::activity_category)]
    pub category: d::ActivityCategory,
    pub region_code: String,
    pub window_from: NaiveDate,
    pub window_to: NaiveDate,
    #[schema(schema_with = crate::values::need_status)]
    pub status: d::NeedStatus,
    pub activity_id: Option<Uuid>,
    pub stars: Option<i32>,
    pub href: String,
}

/// An exhibition's stay at a service point, for the `exhibition_stay.*` events.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct ExhibitionStayResource {
    /// Always `exhibition_stay`.
    #[schema(example = "exhibition_stay")]
    pub kind: String,
    pub id: Uuid,
    pub exhibition_id: Uuid,
    pub exhibition_title: String,
    pub theme: String,
    /// The exhibition's owner.
    pub owner_id: Uuid,
    pub service_point_id: Uuid,
    pub service_point_name: String,
    /// The organisation responsible for the service point.
    pub host_id: Uuid,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    /// `scheduled` or `cancelled` as stored; `showing` and `ended` follow from the dates.
    #[schema(schema_with = crate::values::stay_status)]
    pub status: d::StayStatus,
    pub visitors: i32,
    pub guided_tours: i32,
    pub lectures: i32,
    pub href: String,
}

/// A campaign (征集), for the `campaign.*` and `campaign_entry.*` events. The events about one
/// organisation's submission (a reminder, a completion, a reopening, an accepted entry) name
/// it and its count of entries.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct CampaignResource {
    /// Always `campaign`.
    #[schema(example = "campaign")]
    pub kind: String,
    pub id: Uuid,
    /// The organisation that opened the campaign.
    pub owner_id: Uuid,
    pub title: String,
    pub year: i32,
    /// The last day entries are taken (China's date).
    pub deadline: NaiveDate,
    #[schema(schema_with = crate::values::campaign_status)]
    pub status: d::CampaignStatus,
    /// Entries asked of each addressed organisation.
    pub min_entries: i32,
    /// The addressed organisation the event is about, if one.
    pub organization_id: Option<Uuid>,
    /// Its entries (submitted or accepted).
    pub entries: Option<i32>,
    /// The day it marked its submission complete.
    pub completed_on: Option<NaiveDate>,
    /// The accepted entry, and the draft activity made from it.
    pub entry_id: Option<Uuid>,
    pub activity_id: Option<Uuid>,
    pub href: String,
}

/// An application, for the `application.*` events.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct ApplicationResource {
    /// Always `application`.
    #[schema(example = "application")]
    pub kind: String,
    pub id: Uuid,
    pub call_id: Uuid,
    pub applicant_id: Uuid,
    pub province_code: String,
    pub title: String,
    #[schema(schema_with = crate::values::application_status)]
    pub status: d::ApplicationStatus,
    pub requested_fen: i64,
    pub granted_fen: Option<i64>,
    pub endorsed_at: Option<DateTime<Utc>>,
    /// The reason or remark given with the step, if any.
    pub note: Option<String>,
    pub href: String,
}

/// A monthly report, for the `monthly_report.*` events.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct MonthlyReportResource {
    /// Always `monthly_report`.
    #[schema(example = "monthly_report")]
    pub kind: String,
    pub id: Uuid,
    pub organization_id: Uuid,
    /// `YYYY-MM`.
    pub month: String,
    #[schema(schema_with = crate::values::report_status)]
    pub status: d::ReportStatus,
    pub late: Option<bool>,
    pub return_reason: Option<String>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub href: String,
}

/// The endpoint a test delivery is for, for `webhook.ping`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct WebhookEndpointResource {
    /// Always `webhook_endpoint`.
    #[schema(example = "webhook_endpoint")]
    pub kind: String,
    pub id: Uuid,
}

/// The name of the resource schema an event type carries: the one mapping the OpenAPI
/// document's `webhooks` section reads.
pub fn resource_schema(t: zhihui_domain::integration::EventType) -> &'static str {
    use zhihui_domain::integration::EventType as E;
    match t {
        E::MembershipRequested | E::MembershipApproved | E::MembershipRejected => {
            "MembershipResource"
        }
        E::OrganizationApproved | E::OrganizationRejected => "OrganizationResource",
        E::VolunteerImported => "VolunteerImportResource",
        E::ActivityPublished | E::ActivityCancelled | E::ActivityRescheduled => "ActivityResource",
        E::SignUpConfirmed | E::SignUpPromoted => "SignUpResource",
        E::HoursConfirmed => "ServiceRecordsResource",
        E::CertificateIssued => "CertificateResource",
        E::PairingLetterSent
        | E::PairingLetterAccepted
        | E::PairingLetterDeclined
        | E::PairingLetterExpired => "PairingLetterResource",
        E::ApplicationSubmitted | E::ApplicationEndorsed | E::ApplicationDecided => {
            "ApplicationResource"
        }
        E::MonthlyReportSubmitted | E::MonthlyReportReturned | E::MonthlyReportAccepted => {
            "MonthlyReportResource"
        }
        E::NeedPublished
        | E::NeedDispatched
        | E::NeedDispatchAccepted
        | E::NeedDispatchDeclined
        | E::NeedClaimed
        | E::NeedScheduled
        | E::NeedServed
        | E::NeedRated
        | E::NeedCancelled
        | E::NeedExpired => "NeedResource",
        E::ExhibitionStayScheduled | E::ExhibitionStayCancelled | E::ExhibitionVisitsRecorded => {
            "ExhibitionStayResource"
        }
        E::CampaignOpened
        | E::CampaignClosed
        | E::CampaignReminder
        | E::CampaignSubmissionCompleted
        | E::CampaignSubmissionReopened
        | E::CampaignEntryAccepted => "CampaignResource",
        E::Ping => "WebhookEndpointResource",
    }
}

/// `WebhookEvent.resource`: one of the resource schemas (`anyOf`: the small ones overlap).
pub fn any_resource() -> utoipa::openapi::RefOr<utoipa::openapi::Schema> {
    use utoipa::openapi::schema::AnyOfBuilder;
    use utoipa::openapi::Ref;
    let mut names: Vec<&str> = zhihui_domain::integration::EventType::ALL
        .iter()
        .map(|t| resource_schema(*t))
        .collect();
    names.sort_unstable();
    names.dedup();
    names
        .into_iter()
        .fold(AnyOfBuilder::new(), |b, n| b.item(Ref::from_schema_name(n)))
        .into()
}
