use super::closed::Closed;
use sea_orm::entity::prelude::*;
use zhihui_domain::CampaignStatus;

/// A collection campaign (征集), rule 54. The addressed categories and levels and the custom
/// fields are JSON text.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "campaigns")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub owner_id: Uuid,
    pub title: String,
    pub purpose: String,
    pub year: i32,
    pub addressed_categories: String,
    pub addressed_levels: String,
    pub min_entries: i32,
    pub custom_fields: String,
    /// The last day entries are taken (China's date).
    pub deadline: Date,
    pub status: Closed<CampaignStatus>,
    pub opened_at: Option<DateTimeUtc>,
    pub closed_at: Option<DateTimeUtc>,
    pub reminded_at: Option<DateTimeUtc>,
    pub created_by: Uuid,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
