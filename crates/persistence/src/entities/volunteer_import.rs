use sea_orm::entity::prelude::*;

use super::closed::Closed;
use zhihui_domain::TableFormat;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "volunteer_imports")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organization_id: Uuid,
    pub file_name: String,
    pub file_sha256: String,
    pub format: Closed<TableFormat>,
    pub status: String,
    pub total_rows: i32,
    pub created_count: i32,
    pub existing_count: i32,
    pub failed_count: i32,
    #[sea_orm(column_type = "Text")]
    pub errors: String,
    pub created_by: Uuid,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
