use sea_orm::entity::prelude::*;

/// A reviewer's scores and comment on an application.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "reviews")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub application_id: Uuid,
    pub reviewer_id: Uuid,
    /// JSON array of {criterion, score}.
    pub scores: String,
    /// The weighted score × 100.
    pub weighted_hundredths: i32,
    pub comment: String,
    pub submitted_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
