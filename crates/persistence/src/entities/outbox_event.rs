use super::closed::Closed;
use sea_orm::entity::prelude::*;
use zhihui_domain::integration::EventType;

/// An event written in the same transaction as the change it announces.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "outbox_events")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub event_type: Closed<EventType>,
    /// JSON array of the organisations concerned.
    pub organization_ids: String,
    /// JSON object: the resource as it is after the change.
    pub resource: String,
    pub occurred_at: DateTimeUtc,
    pub dispatched_at: Option<DateTimeUtc>,
    /// When the event was turned into notifications for the people it concerns.
    pub notified_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
