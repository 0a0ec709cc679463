use super::closed::Closed;
use sea_orm::entity::prelude::*;
use zhihui_domain::LetterEvent;

/// One step in a letter's history: who did what, when.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "pairing_letter_events")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub letter_id: Uuid,
    pub action: Closed<LetterEvent>,
    pub actor_id: Uuid,
    /// The actor's display name at the time.
    pub actor_name: String,
    pub at: DateTimeUtc,
    pub note: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
