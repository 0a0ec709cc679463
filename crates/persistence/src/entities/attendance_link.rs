use super::closed::Closed;
use sea_orm::entity::prelude::*;
use zhihui_domain::notification::LinkPurpose;

/// A signed one-tap link of the day-before reminder (rule 65): single use, expiring at the
/// activity's start.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "attendance_links")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub sign_up_id: Uuid,
    pub purpose: Closed<LinkPurpose>,
    pub expires_at: DateTimeUtc,
    pub used_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
