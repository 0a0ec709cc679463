use super::closed::Closed;
use sea_orm::entity::prelude::*;
use zhihui_domain::{ActivityCategory, AudienceKind, NeedStatus, PriorityArea};

/// A need (科普需求) posted by a county body or a grassroots team. `status` is the stored
/// state; an open, dispatched or claimed need past its window is expired without the row
/// changing.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "service_needs")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub requester_id: Uuid,
    /// The county-level organisation the requester is or sits under (pairings are its).
    pub county_id: Option<Uuid>,
    pub title: String,
    pub description: String,
    pub category: Closed<ActivityCategory>,
    /// JSON array of skill field values.
    pub skill_fields: String,
    /// JSON array of free tags.
    pub skill_tags: String,
    pub audience: Closed<AudienceKind>,
    pub audience_size: i32,
    pub place: String,
    pub region_code: String,
    pub window_from: Date,
    pub window_to: Date,
    pub priority_area: Option<Closed<PriorityArea>>,
    /// 1 for a priority county (listed first), else 0.
    pub priority: i16,
    pub contact_name: String,
    pub contact_phone_enc: String,
    pub contact_phone_masked: String,
    pub status: Closed<NeedStatus>,
    /// The team the need is dispatched to or held by.
    pub holder_id: Option<Uuid>,
    pub activity_id: Option<Uuid>,
    pub pairing_id: Option<Uuid>,
    pub published_at: Option<DateTimeUtc>,
    /// `YYYY-MM`, China time.
    pub published_month: Option<String>,
    pub scheduled_at: Option<DateTimeUtc>,
    pub days_to_schedule: Option<i32>,
    pub served_at: Option<DateTimeUtc>,
    pub served_month: Option<String>,
    pub rated_at: Option<DateTimeUtc>,
    pub stars: Option<i32>,
    pub people_reached: Option<i32>,
    pub rating_comment: Option<String>,
    pub cancel_reason: Option<String>,
    pub created_by: Uuid,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
    /// When the need's expiry (computed from the clock) was announced to webhooks.
    pub expiry_announced_at: Option<DateTimeUtc>,
    /// The service point the need is posted for, if any (rule 46).
    pub service_point_id: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
