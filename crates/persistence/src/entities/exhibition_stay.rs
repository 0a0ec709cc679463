use super::closed::Closed;
use sea_orm::entity::prelude::*;
use zhihui_domain::StayStatus;

/// One exhibition at one service point from a day to a day, rule 60. `status` is
/// `scheduled` or `cancelled`; showing and ended follow from the dates.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "exhibition_stays")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub exhibition_id: Uuid,
    pub service_point_id: Uuid,
    pub starts_on: Date,
    pub ends_on: Date,
    /// The year of the first day (the figures of a year).
    pub year: i32,
    pub status: Closed<StayStatus>,
    pub visitors: i32,
    pub guided_tours: i32,
    pub lectures: i32,
    pub visits_recorded_at: Option<DateTimeUtc>,
    pub created_by: Uuid,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
