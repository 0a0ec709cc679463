use super::closed::Closed;
use sea_orm::entity::prelude::*;
use zhihui_domain::{ActivityCategory, ActivityStatus, KeyDate};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "activities")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organization_id: Uuid,
    pub title: String,
    pub category: Closed<ActivityCategory>,
    pub description: String,
    pub starts_at: DateTimeUtc,
    pub ends_at: DateTimeUtc,
    pub place: String,
    pub region_code: String,
    pub capacity: i32,
    pub sign_up_opens_at: DateTimeUtc,
    pub sign_up_closes_at: DateTimeUtc,
    pub members_only: bool,
    pub key_date: Option<Closed<KeyDate>>,
    pub status: Closed<ActivityStatus>,
    pub cancel_reason: Option<String>,
    pub confirmed_count: i32,
    pub waitlist_count: i32,
    pub created_by: Uuid,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
    /// The service point it is held at (rule 58).
    pub service_point_id: Option<Uuid>,
    /// The campaign (征集) whose accepted entry this activity came from.
    pub campaign_id: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
