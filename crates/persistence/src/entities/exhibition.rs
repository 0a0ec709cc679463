use super::closed::Closed;
use sea_orm::entity::prelude::*;
use zhihui_domain::ExhibitionCategory;

/// A micro-exhibition (科普微展览), rule 59.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "exhibitions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub owner_id: Uuid,
    pub title: String,
    pub theme: String,
    pub category: Closed<ExhibitionCategory>,
    /// Panels or exhibits.
    pub panels: i32,
    pub description: String,
    pub created_by: Uuid,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
