//! Activities, leaders, sign-ups, attendance, service records and certificates (rules 17-26).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::{add_counter, fk, index, remove_counter};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261124_000003_activities"
    }
}

#[derive(DeriveIden)]
enum Organizations {
    Table,
    Id,
}
#[derive(DeriveIden)]
enum Volunteers {
    Table,
    Id,
}
#[derive(DeriveIden)]
enum Regions {
    Table,
    Code,
}
#[derive(DeriveIden)]
enum Activities {
    Table,
    Id,
    OrganizationId,
    Title,
    Category,
    Description,
    StartsAt,
    EndsAt,
    Place,
    RegionCode,
    Capacity,
    SignUpOpensAt,
    SignUpClosesAt,
    MembersOnly,
    KeyDate,
    Status,
    CancelReason,
    ConfirmedCount,
    WaitlistCount,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
    Version,
}
#[derive(DeriveIden)]
enum ActivityLeaders {
    Table,
    ActivityId,
    VolunteerId,
}
#[derive(DeriveIden)]
enum SignUps {
    Table,
    Id,
    ActivityId,
    VolunteerId,
    Status,
    SignedUpAt,
    PromotedAt,
    CancelledAt,
    CheckedInAt,
    CheckedOutAt,
    Absent,
    AttendanceSource,
}
#[derive(DeriveIden)]
enum AttendanceChanges {
    Table,
    Id,
    SignUpId,
    ChangedBy,
    ChangedAt,
    Reason,
    CheckedInAt,
    CheckedOutAt,
    Absent,
}
#[derive(DeriveIden)]
enum ServiceRecords {
    Table,
    Id,
    SignUpId,
    VolunteerId,
    ActivityId,
    OrganizationId,
    ActivityTitle,
    Category,
    ServiceDate,
    Place,
    Content,
    HoursTenths,
    ResponsiblePerson,
    ConfirmedBy,
    ConfirmedAt,
    UpdatedAt,
}
#[derive(DeriveIden)]
enum ServiceRecordChanges {
    Table,
    Id,
    RecordId,
    ChangedBy,
    ChangedAt,
    Reason,
    OldTenths,
    NewTenths,
}
#[derive(DeriveIden)]
enum Certificates {
    Table,
    Id,
    Number,
    VolunteerId,
    OrganizationId,
    VolunteerName,
    IdNumberMasked,
    VolunteerNumber,
    HoursTenths,
    Activities,
    Content,
    PeriodFrom,
    PeriodTo,
    IssuerName,
    ResponsiblePerson,
    HandlerName,
    ContactPhoneEnc,
    IssuedBy,
    IssuedAt,
    IssueDate,
    RevokedAt,
    RevokedBy,
    RevokeReason,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Activities::Table)
                .col(uuid(Activities::Id).primary_key())
                .col(uuid(Activities::OrganizationId))
                .col(string_len(Activities::Title, 100))
                .col(string_len(Activities::Category, 40))
                .col(text(Activities::Description))
                .col(timestamp_with_time_zone(Activities::StartsAt))
                .col(timestamp_with_time_zone(Activities::EndsAt))
                .col(string_len(Activities::Place, 200))
                .col(string_len(Activities::RegionCode, 6))
                .col(integer(Activities::Capacity))
                .col(timestamp_with_time_zone(Activities::SignUpOpensAt))
                .col(timestamp_with_time_zone(Activities::SignUpClosesAt))
                .col(boolean(Activities::MembersOnly))
                .col(string_len_null(Activities::KeyDate, 40))
                .col(string_len(Activities::Status, 16))
                .col(string_len_null(Activities::CancelReason, 500))
                .col(integer(Activities::ConfirmedCount).default(0))
                .col(integer(Activities::WaitlistCount).default(0))
                .col(uuid(Activities::CreatedBy))
                .col(timestamp_with_time_zone(Activities::CreatedAt))
                .col(timestamp_with_time_zone(Activities::UpdatedAt))
                .col(integer(Activities::Version).default(1))
                .foreign_key(&mut fk(
                    (Activities::Table, Activities::OrganizationId),
                    (Organizations::Table, Organizations::Id),
                ))
                .foreign_key(
                    ForeignKey::create()
                        .from(Activities::Table, Activities::RegionCode)
                        .to(Regions::Table, Regions::Code),
                )
                .to_owned(),
        )
        .await?;
        // Region-prefix listing ordered by start; the organisation's own list; the status filter.
        m.create_index(index(
            "ix_activities_region_start",
            Activities::Table,
            vec![Activities::RegionCode, Activities::StartsAt, Activities::Id],
        ))
        .await?;
        m.create_index(index(
            "ix_activities_org_start",
            Activities::Table,
            vec![Activities::OrganizationId, Activities::StartsAt],
        ))
        .await?;
        m.create_index(index(
            "ix_activities_start",
            Activities::Table,
            vec![Activities::StartsAt, Activities::Id],
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(ActivityLeaders::Table)
                .col(uuid(ActivityLeaders::ActivityId))
                .col(uuid(ActivityLeaders::VolunteerId))
                .primary_key(
                    Index::create()
                        .col(ActivityLeaders::ActivityId)
                        .col(ActivityLeaders::VolunteerId),
                )
                .foreign_key(&mut fk(
                    (ActivityLeaders::Table, ActivityLeaders::ActivityId),
                    (Activities::Table, Activities::Id),
                ))
                .foreign_key(&mut fk(
                    (ActivityLeaders::Table, ActivityLeaders::VolunteerId),
                    (Volunteers::Table, Volunteers::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "ix_activity_leaders_volunteer",
            ActivityLeaders::Table,
            vec![ActivityLeaders::VolunteerId],
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(SignUps::Table)
                .col(uuid(SignUps::Id).primary_key())
                .col(uuid(SignUps::ActivityId))
                .col(uuid(SignUps::VolunteerId))
                .col(string_len(SignUps::Status, 16))
                .col(timestamp_with_time_zone(SignUps::SignedUpAt))
                .col(timestamp_with_time_zone_null(SignUps::PromotedAt))
                .col(timestamp_with_time_zone_null(SignUps::CancelledAt))
                .col(timestamp_with_time_zone_null(SignUps::CheckedInAt))
                .col(timestamp_with_time_zone_null(SignUps::CheckedOutAt))
                .col(boolean(SignUps::Absent).default(false))
                .col(string_len_null(SignUps::AttendanceSource, 16))
                .foreign_key(&mut fk(
                    (SignUps::Table, SignUps::ActivityId),
                    (Activities::Table, Activities::Id),
                ))
                .foreign_key(&mut fk(
                    (SignUps::Table, SignUps::VolunteerId),
                    (Volunteers::Table, Volunteers::Id),
                ))
                .to_owned(),
        )
        .await?;
        // The waiting list is served in order of sign-up.
        m.create_index(index(
            "ix_sign_ups_activity_status",
            SignUps::Table,
            vec![SignUps::ActivityId, SignUps::Status, SignUps::SignedUpAt],
        ))
        .await?;
        m.create_index(index(
            "ix_sign_ups_volunteer",
            SignUps::Table,
            vec![SignUps::VolunteerId, SignUps::Status],
        ))
        .await?;
        // One live sign-up per volunteer and activity, whatever races.
        m.get_connection()
            .execute_unprepared(
                "CREATE UNIQUE INDEX ux_sign_ups_live ON sign_ups (activity_id, volunteer_id) \
                 WHERE status IN ('confirmed', 'waitlisted')",
            )
            .await?;

        m.create_table(
            Table::create()
                .table(AttendanceChanges::Table)
                .col(uuid(AttendanceChanges::Id).primary_key())
                .col(uuid(AttendanceChanges::SignUpId))
                .col(uuid(AttendanceChanges::ChangedBy))
                .col(timestamp_with_time_zone(AttendanceChanges::ChangedAt))
                .col(string_len(AttendanceChanges::Reason, 500))
                .col(timestamp_with_time_zone_null(
                    AttendanceChanges::CheckedInAt,
                ))
                .col(timestamp_with_time_zone_null(
                    AttendanceChanges::CheckedOutAt,
                ))
                .col(boolean(AttendanceChanges::Absent))
                .foreign_key(&mut fk(
                    (AttendanceChanges::Table, AttendanceChanges::SignUpId),
                    (SignUps::Table, SignUps::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "ix_attendance_changes_sign_up",
            AttendanceChanges::Table,
            vec![AttendanceChanges::SignUpId],
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(ServiceRecords::Table)
                .col(uuid(ServiceRecords::Id).primary_key())
                .col(uuid_uniq(ServiceRecords::SignUpId))
                .col(uuid(ServiceRecords::VolunteerId))
                .col(uuid(ServiceRecords::ActivityId))
                .col(uuid(ServiceRecords::OrganizationId))
                .col(string_len(ServiceRecords::ActivityTitle, 100))
                .col(string_len(ServiceRecords::Category, 40))
                .col(date(ServiceRecords::ServiceDate))
                .col(string_len(ServiceRecords::Place, 200))
                .col(text(ServiceRecords::Content))
                .col(integer(ServiceRecords::HoursTenths))
                .col(string_len(ServiceRecords::ResponsiblePerson, 50))
                .col(uuid(ServiceRecords::ConfirmedBy))
                .col(timestamp_with_time_zone(ServiceRecords::ConfirmedAt))
                .col(timestamp_with_time_zone(ServiceRecords::UpdatedAt))
                .foreign_key(&mut fk(
                    (ServiceRecords::Table, ServiceRecords::SignUpId),
                    (SignUps::Table, SignUps::Id),
                ))
                .foreign_key(&mut fk(
                    (ServiceRecords::Table, ServiceRecords::VolunteerId),
                    (Volunteers::Table, Volunteers::Id),
                ))
                .foreign_key(&mut fk(
                    (ServiceRecords::Table, ServiceRecords::OrganizationId),
                    (Organizations::Table, Organizations::Id),
                ))
                .to_owned(),
        )
        .await?;
        // A volunteer's summary and records by period; an organisation's records by period.
        m.create_index(index(
            "ix_service_records_volunteer_date",
            ServiceRecords::Table,
            vec![ServiceRecords::VolunteerId, ServiceRecords::ServiceDate],
        ))
        .await?;
        m.create_index(index(
            "ix_service_records_org_date",
            ServiceRecords::Table,
            vec![ServiceRecords::OrganizationId, ServiceRecords::ServiceDate],
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(ServiceRecordChanges::Table)
                .col(uuid(ServiceRecordChanges::Id).primary_key())
                .col(uuid(ServiceRecordChanges::RecordId))
                .col(uuid(ServiceRecordChanges::ChangedBy))
                .col(timestamp_with_time_zone(ServiceRecordChanges::ChangedAt))
                .col(string_len(ServiceRecordChanges::Reason, 500))
                .col(integer(ServiceRecordChanges::OldTenths))
                .col(integer(ServiceRecordChanges::NewTenths))
                .foreign_key(&mut fk(
                    (ServiceRecordChanges::Table, ServiceRecordChanges::RecordId),
                    (ServiceRecords::Table, ServiceRecords::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "ix_service_record_changes_record",
            ServiceRecordChanges::Table,
            vec![ServiceRecordChanges::RecordId],
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(Certificates::Table)
                .col(uuid(Certificates::Id).primary_key())
                .col(string_len_uniq(Certificates::Number, 40))
                .col(uuid(Certificates::VolunteerId))
                .col(uuid(Certificates::OrganizationId))
                .col(string_len(Certificates::VolunteerName, 50))
                .col(string_len(Certificates::IdNumberMasked, 18))
                .col(string_len(Certificates::VolunteerNumber, 20))
                .col(integer(Certificates::HoursTenths))
                .col(integer(Certificates::Activities))
                .col(text(Certificates::Content))
                .col(date(Certificates::PeriodFrom))
                .col(date(Certificates::PeriodTo))
                .col(string_len(Certificates::IssuerName, 100))
                .col(string_len(Certificates::ResponsiblePerson, 50))
                .col(string_len(Certificates::HandlerName, 50))
                .col(text(Certificates::ContactPhoneEnc))
                .col(uuid(Certificates::IssuedBy))
                .col(timestamp_with_time_zone(Certificates::IssuedAt))
                .col(date(Certificates::IssueDate))
                .col(timestamp_with_time_zone_null(Certificates::RevokedAt))
                .col(uuid_null(Certificates::RevokedBy))
                .col(string_len_null(Certificates::RevokeReason, 500))
                .foreign_key(&mut fk(
                    (Certificates::Table, Certificates::VolunteerId),
                    (Volunteers::Table, Volunteers::Id),
                ))
                .foreign_key(&mut fk(
                    (Certificates::Table, Certificates::OrganizationId),
                    (Organizations::Table, Organizations::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "ix_certificates_volunteer",
            Certificates::Table,
            vec![Certificates::VolunteerId, Certificates::IssuedAt],
        ))
        .await?;
        m.create_index(index(
            "ix_certificates_org",
            Certificates::Table,
            vec![Certificates::OrganizationId, Certificates::IssuedAt],
        ))
        .await?;

        add_counter(m, "certificate_number").await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            Certificates::Table.into_iden(),
            ServiceRecordChanges::Table.into_iden(),
            ServiceRecords::Table.into_iden(),
            AttendanceChanges::Table.into_iden(),
            SignUps::Table.into_iden(),
            ActivityLeaders::Table.into_iden(),
            Activities::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).if_exists().to_owned())
                .await?;
        }
        remove_counter(m, "certificate_number").await
    }
}
