use sea_orm::entity::prelude::*;

/// A file attached to an application; the bytes live content-addressed under the data
/// directory (`attachments/<first two hex>/<sha256>`).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "attachments")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub application_id: Uuid,
    pub sha256: String,
    pub size: i64,
    pub media_type: String,
    pub file_name: String,
    pub uploaded_by: Uuid,
    pub uploaded_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
