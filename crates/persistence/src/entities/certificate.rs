use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "certificates")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub number: String,
    pub volunteer_id: Uuid,
    pub organization_id: Uuid,
    pub volunteer_name: String,
    pub id_number_masked: String,
    pub volunteer_number: String,
    pub hours_tenths: i32,
    pub activities: i32,
    pub content: String,
    pub period_from: Date,
    pub period_to: Date,
    pub issuer_name: String,
    pub responsible_person: String,
    pub handler_name: String,
    pub contact_phone_enc: String,
    pub issued_by: Uuid,
    pub issued_at: DateTimeUtc,
    pub issue_date: Date,
    pub revoked_at: Option<DateTimeUtc>,
    pub revoked_by: Option<Uuid>,
    pub revoke_reason: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
