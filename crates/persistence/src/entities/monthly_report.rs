use super::closed::Closed;
use sea_orm::entity::prelude::*;
use zhihui_domain::ReportStatus;

/// A monthly report (月度报告) of an organisation.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "monthly_reports")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organization_id: Uuid,
    /// `YYYY-MM`.
    pub month: String,
    pub activities_held: i32,
    pub attendances: i32,
    pub hours_tenths: i64,
    pub new_volunteers: i32,
    pub pairing_activities: i32,
    /// Needs the organisation posted that were served in the month (rule 53).
    pub needs_served: i32,
    /// Visitors at the exhibitions shown at its service points, stays begun in the month.
    pub exhibition_visitors: i32,
    pub people_served: Option<i32>,
    pub narrative: String,
    pub highlights: String,
    pub problems: String,
    pub next_plan: String,
    pub status: Closed<ReportStatus>,
    pub submitted_at: Option<DateTimeUtc>,
    pub late: Option<bool>,
    pub return_reason: Option<String>,
    pub returned_at: Option<DateTimeUtc>,
    pub accepted_at: Option<DateTimeUtc>,
    pub decided_by: Option<Uuid>,
    pub created_by: Uuid,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
