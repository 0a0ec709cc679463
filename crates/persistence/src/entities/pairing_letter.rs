use super::closed::Closed;
use sea_orm::entity::prelude::*;
use zhihui_domain::LetterStatus;

/// A pairing letter (商请共同开展科技志愿服务活动的函). `status` is the stored state; a sent
/// letter past its answer deadline is expired without the row changing.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "pairing_letters")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub sender_id: Uuid,
    pub recipient_id: Uuid,
    pub subject: String,
    pub purpose: String,
    /// JSON array of the proposed joint activities.
    pub activities: String,
    pub period_from: Date,
    pub period_to: Date,
    pub contact_name: String,
    pub contact_phone_enc: String,
    pub contact_phone_masked: String,
    pub status: Closed<LetterStatus>,
    pub sent_at: Option<DateTimeUtc>,
    pub answered_at: Option<DateTimeUtc>,
    pub answer_note: Option<String>,
    pub decline_reason: Option<String>,
    pub created_by: Uuid,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
    /// When the letter's expiry (computed from the clock) was announced to webhooks.
    pub expiry_announced_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
