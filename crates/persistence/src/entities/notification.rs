use super::closed::Closed;
use sea_orm::entity::prelude::*;
use zhihui_domain::notification::{NotificationFamily, NotificationKind};

/// One notice to one person: the inbox row, and what every channel's delivery renders.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "notifications")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub account_id: Uuid,
    pub kind: Closed<NotificationKind>,
    pub family: Closed<NotificationFamily>,
    /// JSON of `zhihui_domain::notification::NoticeParams`.
    pub params: String,
    /// The dashboard's path of what it is about.
    pub href: String,
    /// What a reminder due at a time is about (a sign-up, a reporting organisation), read
    /// again when it is sent: a reminder no longer true is not sent.
    pub subject_id: Option<Uuid>,
    /// The outbox event it came from; `None` for a reminder due at a time.
    pub event_id: Option<Uuid>,
    /// Whether the inbox shows it (the person's in-app choice when it was made).
    pub shown: bool,
    pub created_at: DateTimeUtc,
    pub read_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
