use super::closed::Closed;
use sea_orm::entity::prelude::*;
use zhihui_domain::{ActivityCategory, EntryStatus};

/// One planned item an organisation submits to a campaign (rules 55-56).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "campaign_entries")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub campaign_id: Uuid,
    pub organization_id: Uuid,
    pub title: String,
    pub topic: Closed<ActivityCategory>,
    /// The speaker or lead (主讲人/负责人).
    pub lead: String,
    /// 1-12, in the campaign's year.
    pub planned_month: i32,
    pub place: String,
    pub expected_audience: i32,
    /// The custom values, a JSON object of strings.
    pub custom: String,
    pub status: Closed<EntryStatus>,
    /// The draft activity made when the entry was accepted.
    pub activity_id: Option<Uuid>,
    pub created_by: Uuid,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
