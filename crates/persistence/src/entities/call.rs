use super::closed::Closed;
use sea_orm::entity::prelude::*;
use zhihui_domain::FormVariant;

/// A programme call (项目申报通知) published by the platform admin.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "calls")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub programme: String,
    pub sub_project: String,
    pub year: i32,
    pub opens_at: DateTimeUtc,
    pub closes_at: DateTimeUtc,
    /// JSON array of organisation categories.
    pub eligible_categories: String,
    pub form_variant: Closed<FormVariant>,
    pub cap_fen: i64,
    pub pairing_required: bool,
    pub endorsement_required: bool,
    pub province_quota: i32,
    pub summary_due: Date,
    /// JSON array of {name, weight}.
    pub criteria: String,
    pub created_by: Uuid,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
