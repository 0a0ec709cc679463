//! Notifications (通知与提醒), rules 63-68: the inbox, preferences, the one-tap links that work
//! without signing in, and the platform's delivery log.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;
use zhihui_domain::notification::{
    Channel, ChoiceInput, Language, LinkPurpose, NotificationFamily, NotificationKind,
    PreferencesInput, SendStatus,
};

/// One notice in a person's inbox, in the language of their preferences.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct NotificationView {
    pub id: Uuid,
    #[schema(schema_with = crate::values::notification_kind)]
    pub kind: NotificationKind,
    #[schema(schema_with = crate::values::notification_family)]
    pub family: NotificationFamily,
    /// The subject line.
    pub subject: String,
    /// What happened or is due, in a sentence or two.
    pub body: String,
    /// The dashboard's path of what it is about.
    pub href: String,
    pub created_at: DateTime<Utc>,
    pub read_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct NotificationPage {
    pub items: Vec<NotificationView>,
    /// Unread notifications in the whole inbox (not only this page).
    pub unread: u64,
    pub next_cursor: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, IntoParams, Validate)]
#[into_params(parameter_in = Query)]
pub struct NotificationQuery {
    /// Only unread notifications.
    pub unread: Option<bool>,
    #[validate(range(min = 1, max = 200))]
    #[param(minimum = 1, maximum = 200, default = 20)]
    pub limit: Option<u64>,
    pub cursor: Option<String>,
}

/// How many notifications were marked read.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct MarkedRead {
    pub marked: u64,
}

/// One family's channels.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct ChannelChoiceView {
    #[schema(schema_with = crate::values::notification_family)]
    pub family: NotificationFamily,
    pub in_app: bool,
    pub email: bool,
    pub sms: bool,
    /// Legally required: in-app cannot be turned off.
    pub required: bool,
    /// Whether any notice of the family is sent by SMS.
    pub offers_sms: bool,
}

/// A person's notification preferences and where they are reached (masked).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct NotificationPreferencesView {
    pub families: Vec<ChannelChoiceView>,
    /// One email a day (18:00 China time) instead of single emails.
    pub email_digest: bool,
    /// Quiet hours for SMS, China time (`HH:MM`); 21:00-08:00 always holds besides.
    pub quiet_from: String,
    pub quiet_to: String,
    #[schema(schema_with = crate::values::language)]
    pub language: Language,
    /// The email address notices go to, masked; none: no emails.
    pub email_masked: Option<String>,
    /// The phone SMS go to, masked: the one given here, else the volunteer profile's.
    pub phone_masked: Option<String>,
    /// 0 until the person first saves; send it back as `If-Match`.
    pub version: i32,
}

/// One family's change; an omitted channel stays as it is.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct ChannelChoiceRequest {
    #[schema(schema_with = crate::values::notification_family)]
    pub family: String,
    pub in_app: Option<bool>,
    pub email: Option<bool>,
    pub sms: Option<bool>,
}

/// A change of preferences; what is omitted stays as it is.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct UpdateNotificationPreferencesRequest {
    #[validate(length(max = 20))]
    #[schema(max_items = 20)]
    pub families: Option<Vec<ChannelChoiceRequest>>,
    pub email_digest: Option<bool>,
    /// `HH:MM`, China time.
    #[validate(length(max = 5))]
    #[schema(max_length = 5)]
    pub quiet_from: Option<String>,
    #[validate(length(max = 5))]
    #[schema(max_length = 5)]
    pub quiet_to: Option<String>,
    #[schema(schema_with = crate::values::language_or_null)]
    pub language: Option<String>,
    /// The address emails go to; an empty string removes it.
    #[validate(length(max = 100))]
    #[schema(max_length = 100)]
    pub email: Option<String>,
    /// The phone SMS go to (a mainland mobile number); an empty string falls back to the
    /// volunteer profile's.
    #[validate(length(max = 20))]
    #[schema(max_length = 20)]
    pub phone: Option<String>,
}

impl UpdateNotificationPreferencesRequest {
    /// The domain's input (the checks are `zhihui_domain::notification::check_preferences`).
    pub fn input(&self) -> PreferencesInput {
        PreferencesInput {
            families: self
                .families
                .iter()
                .flatten()
                .map(|c| ChoiceInput {
                    family: c.family.clone(),
                    in_app: c.in_app,
                    email: c.email,
                    sms: c.sms,
                })
                .collect(),
            email_digest: self.email_digest,
            quiet_from: self.quiet_from.clone(),
            quiet_to: self.quiet_to.clone(),
            language: self.language.clone(),
        }
    }
}

/// A signed link's token, as the email carried it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct LinkRequest {
    #[validate(length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200)]
    pub token: String,
}

/// What a one-tap attendance link did.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct AttendanceLinkOutcome {
    /// `confirm`: attendance confirmed; `withdraw`: the sign-up withdrawn.
    #[schema(schema_with = crate::values::link_purpose)]
    pub action: LinkPurpose,
    pub activity_id: Uuid,
    pub title: String,
    pub starts_at: DateTime<Utc>,
}

/// What an unsubscribe link turned off.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct UnsubscribeOutcome {
    #[schema(schema_with = crate::values::notification_family)]
    pub family: NotificationFamily,
    /// Emails of the family are off.
    pub email: bool,
}

/// One delivery attempt line of the platform's log (no address: never shown or logged).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct NotificationDeliveryView {
    pub id: Uuid,
    pub notification_id: Uuid,
    pub account_id: Uuid,
    #[schema(schema_with = crate::values::notification_kind_or_null)]
    pub kind: Option<NotificationKind>,
    #[schema(schema_with = crate::values::channel)]
    pub channel: Channel,
    #[schema(schema_with = crate::values::send_status)]
    pub status: SendStatus,
    pub attempts: i32,
    /// Held for the daily digest.
    pub digest: bool,
    /// When it goes (or is retried), while pending.
    pub next_attempt_at: Option<DateTime<Utc>>,
    pub sent_at: Option<DateTime<Utc>>,
    /// Why the last attempt failed, or why it was skipped.
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct NotificationDeliveryPage {
    pub items: Vec<NotificationDeliveryView>,
    pub next_cursor: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, IntoParams, Validate)]
#[into_params(parameter_in = Query)]
pub struct NotificationDeliveryQuery {
    #[param(schema_with = crate::values::send_status_or_null)]
    pub status: Option<String>,
    #[param(schema_with = crate::values::channel_or_null)]
    pub channel: Option<String>,
    pub account_id: Option<Uuid>,
    #[validate(range(min = 1, max = 200))]
    #[param(minimum = 1, maximum = 200, default = 20)]
    pub limit: Option<u64>,
    pub cursor: Option<String>,
}
