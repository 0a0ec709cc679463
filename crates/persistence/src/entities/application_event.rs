use super::closed::Closed;
use sea_orm::entity::prelude::*;
use zhihui_domain::ApplicationEvent;

/// One state change of an application: who, when, why.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "application_events")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub application_id: Uuid,
    pub action: Closed<ApplicationEvent>,
    pub actor_id: Uuid,
    pub actor_name: String,
    pub at: DateTimeUtc,
    pub note: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
