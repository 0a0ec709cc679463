use super::closed::Closed;
use sea_orm::entity::prelude::*;
use zhihui_domain::{AttendanceSource, SignUpStatus};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sign_ups")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub activity_id: Uuid,
    pub volunteer_id: Uuid,
    pub status: Closed<SignUpStatus>,
    pub signed_up_at: DateTimeUtc,
    pub promoted_at: Option<DateTimeUtc>,
    pub cancelled_at: Option<DateTimeUtc>,
    pub checked_in_at: Option<DateTimeUtc>,
    pub checked_out_at: Option<DateTimeUtc>,
    pub absent: bool,
    pub attendance_source: Option<Closed<AttendanceSource>>,
    /// The activity's times, copied so that a volunteer's overlap check reads only the
    /// sign-ups still to come (`ix_sign_ups_volunteer_end`); they change with the activity's.
    pub starts_at: DateTimeUtc,
    pub ends_at: DateTimeUtc,
    /// When the volunteer confirmed through the day-before link (rule 65).
    pub attendance_confirmed_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::volunteer::Entity",
        from = "Column::VolunteerId",
        to = "super::volunteer::Column::Id"
    )]
    Volunteer,
    #[sea_orm(
        belongs_to = "super::activity::Entity",
        from = "Column::ActivityId",
        to = "super::activity::Column::Id"
    )]
    Activity,
}

impl Related<super::volunteer::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Volunteer.def()
    }
}

impl Related<super::activity::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Activity.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
