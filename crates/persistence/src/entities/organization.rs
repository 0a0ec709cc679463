use super::closed::Closed;
use sea_orm::entity::prelude::*;
use zhihui_domain::{OrganizationCategory, OrganizationLevel, OrganizationStatus, PriorityArea};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "organizations")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub name: String,
    pub name_key: String,
    pub category: Closed<OrganizationCategory>,
    pub level: Closed<OrganizationLevel>,
    pub parent_id: Option<Uuid>,
    pub region_code: String,
    pub credit_code: Option<String>,
    pub contact_name: String,
    pub contact_phone_enc: String,
    pub contact_phone_masked: String,
    pub address: Option<String>,
    pub description: Option<String>,
    pub status: Closed<OrganizationStatus>,
    pub rejection_reason: Option<String>,
    pub approved_members: i64,
    pub admin_count: i64,
    pub created_by: Uuid,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
    /// A county flagged as a priority area by an organisation above it (rule 46).
    pub priority_area: Option<Closed<PriorityArea>>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
