use super::closed::Closed;
use sea_orm::entity::prelude::*;
use zhihui_domain::ActivityCategory;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "service_records")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub sign_up_id: Uuid,
    pub volunteer_id: Uuid,
    pub activity_id: Uuid,
    pub organization_id: Uuid,
    pub activity_title: String,
    pub category: Closed<ActivityCategory>,
    pub service_date: Date,
    pub place: String,
    pub content: String,
    pub hours_tenths: i32,
    pub responsible_person: String,
    pub confirmed_by: Uuid,
    pub confirmed_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
