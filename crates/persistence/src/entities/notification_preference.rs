use sea_orm::entity::prelude::*;

/// A person's notification preferences (JSON of `zhihui_domain::notification::Preferences`)
/// and the contact details the sender reads, encrypted.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "notification_preferences")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub account_id: Uuid,
    pub preferences: String,
    pub email_enc: Option<String>,
    pub email_masked: Option<String>,
    pub phone_enc: Option<String>,
    pub phone_masked: Option<String>,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
