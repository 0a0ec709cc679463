//! Programme calls, applications, their attachments, history, reviewers and reviews
//! (rules 32-38).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::{fk, index};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261126_000005_applications"
    }
}

#[derive(DeriveIden)]
enum Organizations {
    Table,
    Id,
}
#[derive(DeriveIden)]
enum Accounts {
    Table,
    Id,
}
#[derive(DeriveIden)]
enum Calls {
    Table,
    Id,
    Programme,
    SubProject,
    Year,
    OpensAt,
    ClosesAt,
    EligibleCategories,
    FormVariant,
    CapFen,
    PairingRequired,
    EndorsementRequired,
    ProvinceQuota,
    SummaryDue,
    Criteria,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
    Version,
}
#[derive(DeriveIden)]
enum Applications {
    Table,
    Id,
    CallId,
    ApplicantId,
    ProvinceCode,
    Title,
    Summary,
    Objectives,
    Activities,
    Budget,
    RequestedFen,
    PairingId,
    ProvincialPartnerId,
    ProvincialPartnerRole,
    Contacts,
    Status,
    ReturnReason,
    RevisionDeadline,
    SubmittedAt,
    EndorsedAt,
    EndorsedBy,
    EndorsementNote,
    DecidedAt,
    DecidedBy,
    DecisionReason,
    GrantedFen,
    SummaryText,
    SummarySubmittedAt,
    SummaryLate,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
    Version,
}
#[derive(DeriveIden)]
enum Attachments {
    Table,
    Id,
    ApplicationId,
    Sha256,
    Size,
    MediaType,
    FileName,
    UploadedBy,
    UploadedAt,
}
#[derive(DeriveIden)]
enum ApplicationEvents {
    Table,
    Id,
    ApplicationId,
    Action,
    ActorId,
    ActorName,
    At,
    Note,
}
#[derive(DeriveIden)]
enum ReviewerAssignments {
    Table,
    ApplicationId,
    ReviewerId,
    AssignedAt,
}
#[derive(DeriveIden)]
enum Reviews {
    Table,
    Id,
    ApplicationId,
    ReviewerId,
    Scores,
    WeightedHundredths,
    Comment,
    SubmittedAt,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Calls::Table)
                .col(uuid(Calls::Id).primary_key())
                .col(string_len(Calls::Programme, 100))
                .col(string_len(Calls::SubProject, 100))
                .col(integer(Calls::Year))
                .col(timestamp_with_time_zone(Calls::OpensAt))
                .col(timestamp_with_time_zone(Calls::ClosesAt))
                // JSON array of organisation categories.
                .col(text(Calls::EligibleCategories))
                .col(string_len(Calls::FormVariant, 40))
                .col(big_integer(Calls::CapFen))
                .col(boolean(Calls::PairingRequired))
                .col(boolean(Calls::EndorsementRequired))
                .col(integer(Calls::ProvinceQuota))
                .col(date(Calls::SummaryDue))
                // JSON array of {name, weight}.
                .col(text(Calls::Criteria))
                .col(uuid(Calls::CreatedBy))
                .col(timestamp_with_time_zone(Calls::CreatedAt))
                .col(timestamp_with_time_zone(Calls::UpdatedAt))
                .col(integer(Calls::Version).default(1))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "ix_calls_closes",
            Calls::Table,
            vec![Calls::ClosesAt, Calls::Id],
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(Applications::Table)
                .col(uuid(Applications::Id).primary_key())
                .col(uuid(Applications::CallId))
                .col(uuid(Applications::ApplicantId))
                .col(string_len(Applications::ProvinceCode, 6))
                .col(string_len(Applications::Title, 100))
                .col(text(Applications::Summary))
                .col(text(Applications::Objectives))
                .col(text(Applications::Activities))
                .col(text(Applications::Budget))
                .col(big_integer(Applications::RequestedFen))
                .col(uuid_null(Applications::PairingId))
                .col(uuid_null(Applications::ProvincialPartnerId))
                .col(string_len_null(Applications::ProvincialPartnerRole, 2000))
                // JSON array of {name, role, phone_enc, phone_masked}.
                .col(text(Applications::Contacts))
                .col(string_len(Applications::Status, 24))
                .col(string_len_null(Applications::ReturnReason, 2000))
                .col(timestamp_with_time_zone_null(
                    Applications::RevisionDeadline,
                ))
                .col(timestamp_with_time_zone_null(Applications::SubmittedAt))
                .col(timestamp_with_time_zone_null(Applications::EndorsedAt))
                .col(uuid_null(Applications::EndorsedBy))
                .col(string_len_null(Applications::EndorsementNote, 2000))
                .col(timestamp_with_time_zone_null(Applications::DecidedAt))
                .col(uuid_null(Applications::DecidedBy))
                .col(string_len_null(Applications::DecisionReason, 2000))
                .col(big_integer_null(Applications::GrantedFen))
                .col(text_null(Applications::SummaryText))
                .col(timestamp_with_time_zone_null(
                    Applications::SummarySubmittedAt,
                ))
                .col(boolean_null(Applications::SummaryLate))
                .col(uuid(Applications::CreatedBy))
                .col(timestamp_with_time_zone(Applications::CreatedAt))
                .col(timestamp_with_time_zone(Applications::UpdatedAt))
                .col(integer(Applications::Version).default(1))
                .foreign_key(&mut fk(
                    (Applications::Table, Applications::CallId),
                    (Calls::Table, Calls::Id),
                ))
                .foreign_key(&mut fk(
                    (Applications::Table, Applications::ApplicantId),
                    (Organizations::Table, Organizations::Id),
                ))
                .to_owned(),
        )
        .await?;
        // One application per organisation per call, whatever races.
        m.create_index(
            index(
                "ux_applications_call_applicant",
                Applications::Table,
                vec![Applications::CallId, Applications::ApplicantId],
            )
            .unique()
            .to_owned(),
        )
        .await?;
        // A call's applications by province and status (lists, quota counts, exports).
        m.create_index(index(
            "ix_applications_call_province",
            Applications::Table,
            vec![
                Applications::CallId,
                Applications::ProvinceCode,
                Applications::Status,
            ],
        ))
        .await?;
        m.create_index(index(
            "ix_applications_applicant",
            Applications::Table,
            vec![Applications::ApplicantId, Applications::Id],
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(Attachments::Table)
                .col(uuid(Attachments::Id).primary_key())
                .col(uuid(Attachments::ApplicationId))
                .col(string_len(Attachments::Sha256, 64))
                .col(big_integer(Attachments::Size))
                .col(string_len(Attachments::MediaType, 40))
                .col(string_len(Attachments::FileName, 255))
                .col(uuid(Attachments::UploadedBy))
                .col(timestamp_with_time_zone(Attachments::UploadedAt))
                .foreign_key(&mut fk(
                    (Attachments::Table, Attachments::ApplicationId),
                    (Applications::Table, Applications::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "ix_attachments_application",
            Attachments::Table,
            vec![Attachments::ApplicationId],
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(ApplicationEvents::Table)
                .col(uuid(ApplicationEvents::Id).primary_key())
                .col(uuid(ApplicationEvents::ApplicationId))
                .col(string_len(ApplicationEvents::Action, 32))
                .col(uuid(ApplicationEvents::ActorId))
                .col(string_len(ApplicationEvents::ActorName, 100))
                .col(timestamp_with_time_zone(ApplicationEvents::At))
                .col(string_len_null(ApplicationEvents::Note, 2000))
                .foreign_key(&mut fk(
                    (ApplicationEvents::Table, ApplicationEvents::ApplicationId),
                    (Applications::Table, Applications::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "ix_application_events_application",
            ApplicationEvents::Table,
            vec![ApplicationEvents::ApplicationId, ApplicationEvents::At],
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(ReviewerAssignments::Table)
                .col(uuid(ReviewerAssignments::ApplicationId))
                .col(uuid(ReviewerAssignments::ReviewerId))
                .col(timestamp_with_time_zone(ReviewerAssignments::AssignedAt))
                .primary_key(
                    Index::create()
                        .col(ReviewerAssignments::ApplicationId)
                        .col(ReviewerAssignments::ReviewerId),
                )
                .foreign_key(&mut fk(
                    (
                        ReviewerAssignments::Table,
                        ReviewerAssignments::ApplicationId,
                    ),
                    (Applications::Table, Applications::Id),
                ))
                .foreign_key(&mut fk(
                    (ReviewerAssignments::Table, ReviewerAssignments::ReviewerId),
                    (Accounts::Table, Accounts::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "ix_reviewer_assignments_reviewer",
            ReviewerAssignments::Table,
            vec![ReviewerAssignments::ReviewerId],
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(Reviews::Table)
                .col(uuid(Reviews::Id).primary_key())
                .col(uuid(Reviews::ApplicationId))
                .col(uuid(Reviews::ReviewerId))
                // JSON array of {criterion, score}.
                .col(text(Reviews::Scores))
                .col(integer(Reviews::WeightedHundredths))
                .col(text(Reviews::Comment))
                .col(timestamp_with_time_zone(Reviews::SubmittedAt))
                .col(timestamp_with_time_zone(Reviews::UpdatedAt))
                .foreign_key(&mut fk(
                    (Reviews::Table, Reviews::ApplicationId),
                    (Applications::Table, Applications::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            index(
                "ux_reviews_application_reviewer",
                Reviews::Table,
                vec![Reviews::ApplicationId, Reviews::ReviewerId],
            )
            .unique()
            .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            Reviews::Table.into_iden(),
            ReviewerAssignments::Table.into_iden(),
            ApplicationEvents::Table.into_iden(),
            Attachments::Table.into_iden(),
            Applications::Table.into_iden(),
            Calls::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).if_exists().to_owned())
                .await?;
        }
        Ok(())
    }
}
