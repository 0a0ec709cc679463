//! Storage of Zhihui (智惠): entities, migrations, repositories, and encryption of
//! personal data at rest. All SQL of the product lives in this crate.

pub mod blobs;
pub mod crypto;
pub mod entities;
pub mod migration;
mod repo;
pub mod seed;

mod error;
mod store;

pub use error::{StoreError, StoreResult};
pub use store::{connect, migrate, PoolSettings, Store};

pub use blobs::Blobs;
pub use crypto::Crypto;
pub use repo::accounts::{RefreshOutcome, ThrottleState};
pub use repo::activities::{
    ActivityFilter, AttendanceEntry, Cancellation, NewActivity, SignUpGround, SignUpRow, SignedUp,
};
pub use repo::api_clients::NewApiClient;
pub use repo::applications::{
    ApplicationContent, ApplicationFilter, Apply, CallContent, Change, NewAttachment, ReviewInput,
    Scope,
};
pub use repo::campaigns::{
    addressees_of, custom_fields_of, custom_values_of, submission_facts, CampaignContent,
    CampaignFilter, EntryContent, EntryFilter,
};
pub use repo::hub::{
    ExhibitionContent, ExhibitionFilter, PointCandidateRow, ServicePointContent,
    ServicePointFigureRows, ServicePointFilter, StayFilter,
};
pub use repo::idempotency::KeyState;
pub use repo::imports::{ImportMeta, ImportRefusal, ImportRow};
pub use repo::needs::{
    NeedContent, NeedFilter, NeedRatingRecord, NeedRegionRow, NeedRollupRows, NeedStep, TeamRecord,
    VisibleNeeds,
};
pub use repo::notifications::{
    ContactChange, DeliveryFilter, DueNotice, LinkUse, NoticeDraft, PreferencesRow,
};
pub use repo::organizations::{NewOrganization, OrganizationChanges, OrganizationFilter, Viewer};
pub use repo::pairing::{LetterContent, LetterFilter, LetterStep, PairingFilter};
pub use repo::records::{
    Confirmed, HoursEntry, NewCertificate, Nominee, RecordContext, RecordFilter, RecordedService,
    Totals, VolunteerTotals,
};
pub use repo::reports::{
    Bucket, BucketFigures, Figures, MonthSums, Period, ReportContent, ReportFilter, ReportStep,
    RollRules, RollScope, RollupRows,
};
pub use repo::volunteers::{MemberRow, NewVolunteer};
pub use repo::webhooks::{
    endpoint_event_types, AttemptOutcome, DueDelivery, NewWebhookEndpoint, WebhookChanges,
};
pub use repo::work::{WorkCount, WorkQuery};
pub use repo::Actor;
