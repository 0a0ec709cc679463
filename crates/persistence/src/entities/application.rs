use super::closed::Closed;
use sea_orm::entity::prelude::*;
use zhihui_domain::ApplicationStatus;

/// A funding application (项目申报书) of an organisation to a call.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "applications")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub call_id: Uuid,
    pub applicant_id: Uuid,
    /// The applicant's province (`130000`), for endorsement and the quota.
    pub province_code: String,
    pub title: String,
    pub summary: String,
    pub objectives: String,
    /// JSON array of planned activities.
    pub activities: String,
    /// JSON array of budget lines.
    pub budget: String,
    pub requested_fen: i64,
    pub pairing_id: Option<Uuid>,
    pub provincial_partner_id: Option<Uuid>,
    pub provincial_partner_role: Option<String>,
    /// JSON array of contacts with encrypted phones.
    pub contacts: String,
    pub status: Closed<ApplicationStatus>,
    pub return_reason: Option<String>,
    pub revision_deadline: Option<DateTimeUtc>,
    pub submitted_at: Option<DateTimeUtc>,
    pub endorsed_at: Option<DateTimeUtc>,
    pub endorsed_by: Option<Uuid>,
    pub endorsement_note: Option<String>,
    pub decided_at: Option<DateTimeUtc>,
    pub decided_by: Option<Uuid>,
    pub decision_reason: Option<String>,
    pub granted_fen: Option<i64>,
    pub summary_text: Option<String>,
    pub summary_submitted_at: Option<DateTimeUtc>,
    pub summary_late: Option<bool>,
    pub created_by: Uuid,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
