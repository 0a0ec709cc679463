use sea_orm::entity::prelude::*;

/// One addressed organisation's answer to a campaign, made when the campaign opens (rule 55).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "campaign_submissions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub campaign_id: Uuid,
    pub organization_id: Uuid,
    /// Entries submitted or accepted (not withdrawn).
    pub entries: i32,
    pub first_entry_at: Option<DateTimeUtc>,
    /// China's date of the completion (lateness compares it with the deadline).
    pub completed_on: Option<Date>,
    pub completed_at: Option<DateTimeUtc>,
    pub late: bool,
    pub reopened_until: Option<Date>,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
