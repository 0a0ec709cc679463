use super::closed::Closed;
use sea_orm::entity::prelude::*;
use zhihui_domain::NeedEvent;

/// One step in a need's history: who did what, when, and for which team.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "need_events")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub need_id: Uuid,
    pub action: Closed<NeedEvent>,
    pub actor_id: Uuid,
    /// The actor's display name at the time.
    pub actor_name: String,
    /// The team dispatched to, claiming, accepting or declining.
    pub team_id: Option<Uuid>,
    pub at: DateTimeUtc,
    pub note: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
