use super::closed::Closed;
use sea_orm::entity::prelude::*;
use zhihui_domain::{Gender, ThreeHeadsRole};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "volunteers")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub account_id: Option<Uuid>,
    pub volunteer_number: String,
    pub name: String,
    pub id_number_enc: String,
    pub id_number_hash: String,
    pub id_number_masked: String,
    pub gender: Closed<Gender>,
    pub birth_date: Date,
    pub phone_enc: String,
    pub phone_masked: String,
    pub region_code: String,
    pub skills: String,
    pub service_categories: String,
    pub three_heads_role: Option<Closed<ThreeHeadsRole>>,
    pub guardian_name: Option<String>,
    pub guardian_phone_enc: Option<String>,
    pub guardian_phone_masked: Option<String>,
    pub guardian_consent: Option<bool>,
    pub consent_version: String,
    pub consented_at: DateTimeUtc,
    pub source: String,
    pub active_memberships: i32,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
