use super::closed::Closed;
use sea_orm::entity::prelude::*;
use zhihui_domain::notification::{Channel, SendStatus};

/// One notification on one channel (email or SMS), with its retries.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "notification_deliveries")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub notification_id: Uuid,
    pub account_id: Uuid,
    pub channel: Closed<Channel>,
    pub status: Closed<SendStatus>,
    pub attempts: i32,
    pub next_attempt_at: DateTimeUtc,
    pub first_attempt_at: Option<DateTimeUtc>,
    /// Why the last attempt failed, or why it was skipped (never an address).
    pub last_error: Option<String>,
    pub sent_at: Option<DateTimeUtc>,
    /// Held for the person's daily digest.
    pub digest: bool,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
