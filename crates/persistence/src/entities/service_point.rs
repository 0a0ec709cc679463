use super::closed::Closed;
use sea_orm::entity::prelude::*;
use zhihui_domain::ServicePointKind;

/// A service point (服务点/阵地): a place where service happens, rule 57.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "service_points")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The organisation responsible for it.
    pub organization_id: Uuid,
    pub name: String,
    pub kind: Closed<ServicePointKind>,
    pub region_code: String,
    pub address: String,
    pub opening_hours: String,
    /// People it holds at once.
    pub capacity: i32,
    /// Exhibitions it shows at once (0: none).
    pub exhibition_slots: i32,
    pub created_by: Uuid,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
