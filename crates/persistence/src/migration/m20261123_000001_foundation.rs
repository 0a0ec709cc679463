//! Accounts, sessions, regions, organisations, volunteers, memberships, imports.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261123_000001_foundation"
    }
}

#[derive(DeriveIden)]
enum Regions {
    Table,
    Code,
    Name,
    Level,
    ParentCode,
}
#[derive(DeriveIden)]
enum Accounts {
    Table,
    Id,
    Login,
    DisplayName,
    PasswordHash,
    IsPlatformAdmin,
    CreatedAt,
}
#[derive(DeriveIden)]
enum RefreshTokens {
    Table,
    Id,
    AccountId,
    TokenHash,
    FamilyId,
    ExpiresAt,
    RevokedAt,
    CreatedAt,
}
#[derive(DeriveIden)]
enum LoginThrottles {
    Table,
    Key,
    Failures,
    WindowStartedAt,
    LockedUntil,
}
#[derive(DeriveIden)]
enum Organizations {
    Table,
    Id,
    Name,
    NameKey,
    Category,
    Level,
    ParentId,
    RegionCode,
    CreditCode,
    ContactName,
    ContactPhoneEnc,
    ContactPhoneMasked,
    Address,
    Description,
    Status,
    RejectionReason,
    ApprovedMembers,
    AdminCount,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
    Version,
}
#[derive(DeriveIden)]
enum OrganizationAdmins {
    Table,
    OrganizationId,
    AccountId,
    GrantedBy,
    GrantedAt,
}
#[derive(DeriveIden)]
enum Volunteers {
    Table,
    Id,
    AccountId,
    VolunteerNumber,
    Name,
    IdNumberEnc,
    IdNumberHash,
    IdNumberMasked,
    Gender,
    BirthDate,
    PhoneEnc,
    PhoneMasked,
    RegionCode,
    Skills,
    ServiceCategories,
    ThreeHeadsRole,
    GuardianName,
    GuardianPhoneEnc,
    GuardianPhoneMasked,
    GuardianConsent,
    ConsentVersion,
    ConsentedAt,
    Source,
    ActiveMemberships,
    CreatedAt,
}
#[derive(DeriveIden)]
enum Memberships {
    Table,
    Id,
    VolunteerId,
    OrganizationId,
    Status,
    Reason,
    RequestedAt,
    DecidedAt,
    DecidedBy,
}
#[derive(DeriveIden)]
enum VolunteerImports {
    Table,
    Id,
    OrganizationId,
    FileName,
    FileSha256,
    Format,
    Status,
    TotalRows,
    CreatedCount,
    ExistingCount,
    FailedCount,
    Errors,
    CreatedBy,
    CreatedAt,
}
#[derive(DeriveIden)]
enum Counters {
    Table,
    Name,
    Value,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Regions::Table)
                .col(string_len(Regions::Code, 6).primary_key())
                .col(string_len(Regions::Name, 64))
                .col(string_len(Regions::Level, 16))
                .col(string_len_null(Regions::ParentCode, 6))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_regions_parent")
                .table(Regions::Table)
                .col(Regions::ParentCode)
                .col(Regions::Code)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_regions_level")
                .table(Regions::Table)
                .col(Regions::Level)
                .col(Regions::Code)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Accounts::Table)
                .col(uuid(Accounts::Id).primary_key())
                .col(string_len_uniq(Accounts::Login, 254))
                .col(string_len(Accounts::DisplayName, 50))
                .col(string_len(Accounts::PasswordHash, 255))
                .col(boolean(Accounts::IsPlatformAdmin).default(false))
                .col(timestamp_with_time_zone(Accounts::CreatedAt))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(RefreshTokens::Table)
                .col(uuid(RefreshTokens::Id).primary_key())
                .col(uuid(RefreshTokens::AccountId))
                .col(string_len_uniq(RefreshTokens::TokenHash, 64))
                .col(uuid(RefreshTokens::FamilyId))
                .col(timestamp_with_time_zone(RefreshTokens::ExpiresAt))
                .col(timestamp_with_time_zone_null(RefreshTokens::RevokedAt))
                .col(timestamp_with_time_zone(RefreshTokens::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(RefreshTokens::Table, RefreshTokens::AccountId)
                        .to(Accounts::Table, Accounts::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_refresh_tokens_family")
                .table(RefreshTokens::Table)
                .col(RefreshTokens::FamilyId)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(LoginThrottles::Table)
                .col(string_len(LoginThrottles::Key, 64).primary_key())
                .col(integer(LoginThrottles::Failures))
                .col(timestamp_with_time_zone(LoginThrottles::WindowStartedAt))
                .col(timestamp_with_time_zone_null(LoginThrottles::LockedUntil))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Organizations::Table)
                .col(uuid(Organizations::Id).primary_key())
                .col(string_len(Organizations::Name, 100))
                .col(string_len_uniq(Organizations::NameKey, 100))
                .col(string_len(Organizations::Category, 40))
                .col(string_len(Organizations::Level, 16))
                .col(uuid_null(Organizations::ParentId))
                .col(string_len(Organizations::RegionCode, 6))
                .col(string_len_null(Organizations::CreditCode, 18))
                .col(string_len(Organizations::ContactName, 50))
                .col(text(Organizations::ContactPhoneEnc))
                .col(string_len(Organizations::ContactPhoneMasked, 16))
                .col(string_len_null(Organizations::Address, 200))
                .col(text_null(Organizations::Description))
                .col(string_len(Organizations::Status, 16))
                .col(string_len_null(Organizations::RejectionReason, 500))
                .col(big_integer(Organizations::ApprovedMembers).default(0))
                .col(big_integer(Organizations::AdminCount).default(0))
                .col(uuid(Organizations::CreatedBy))
                .col(timestamp_with_time_zone(Organizations::CreatedAt))
                .col(timestamp_with_time_zone(Organizations::UpdatedAt))
                .col(integer(Organizations::Version).default(1))
                .foreign_key(
                    ForeignKey::create()
                        .from(Organizations::Table, Organizations::ParentId)
                        .to(Organizations::Table, Organizations::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(Organizations::Table, Organizations::RegionCode)
                        .to(Regions::Table, Regions::Code),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_organizations_parent")
                .table(Organizations::Table)
                .col(Organizations::ParentId)
                .col(Organizations::Id)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_organizations_region")
                .table(Organizations::Table)
                .col(Organizations::RegionCode)
                .col(Organizations::Id)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_organizations_credit_code")
                .table(Organizations::Table)
                .col(Organizations::CreditCode)
                .unique()
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(OrganizationAdmins::Table)
                .col(uuid(OrganizationAdmins::OrganizationId))
                .col(uuid(OrganizationAdmins::AccountId))
                .col(uuid_null(OrganizationAdmins::GrantedBy))
                .col(timestamp_with_time_zone(OrganizationAdmins::GrantedAt))
                .primary_key(
                    Index::create()
                        .col(OrganizationAdmins::OrganizationId)
                        .col(OrganizationAdmins::AccountId),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(
                            OrganizationAdmins::Table,
                            OrganizationAdmins::OrganizationId,
                        )
                        .to(Organizations::Table, Organizations::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(OrganizationAdmins::Table, OrganizationAdmins::AccountId)
                        .to(Accounts::Table, Accounts::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_organization_admins_account")
                .table(OrganizationAdmins::Table)
                .col(OrganizationAdmins::AccountId)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Volunteers::Table)
                .col(uuid(Volunteers::Id).primary_key())
                .col(uuid_null(Volunteers::AccountId).unique_key())
                .col(string_len_uniq(Volunteers::VolunteerNumber, 20))
                .col(string_len(Volunteers::Name, 50))
                .col(text(Volunteers::IdNumberEnc))
                .col(string_len_uniq(Volunteers::IdNumberHash, 64))
                .col(string_len(Volunteers::IdNumberMasked, 18))
                .col(string_len(Volunteers::Gender, 8))
                .col(date(Volunteers::BirthDate))
                .col(text(Volunteers::PhoneEnc))
                .col(string_len(Volunteers::PhoneMasked, 16))
                .col(string_len(Volunteers::RegionCode, 6))
                .col(text(Volunteers::Skills))
                .col(text(Volunteers::ServiceCategories))
                .col(string_len_null(Volunteers::ThreeHeadsRole, 40))
                .col(string_len_null(Volunteers::GuardianName, 50))
                .col(text_null(Volunteers::GuardianPhoneEnc))
                .col(string_len_null(Volunteers::GuardianPhoneMasked, 16))
                .col(boolean_null(Volunteers::GuardianConsent))
                .col(string_len(Volunteers::ConsentVersion, 40))
                .col(timestamp_with_time_zone(Volunteers::ConsentedAt))
                .col(string_len(Volunteers::Source, 16))
                .col(integer(Volunteers::ActiveMemberships).default(0))
                .col(timestamp_with_time_zone(Volunteers::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(Volunteers::Table, Volunteers::AccountId)
                        .to(Accounts::Table, Accounts::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(Volunteers::Table, Volunteers::RegionCode)
                        .to(Regions::Table, Regions::Code),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_volunteers_region")
                .table(Volunteers::Table)
                .col(Volunteers::RegionCode)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Memberships::Table)
                .col(uuid(Memberships::Id).primary_key())
                .col(uuid(Memberships::VolunteerId))
                .col(uuid(Memberships::OrganizationId))
                .col(string_len(Memberships::Status, 16))
                .col(string_len_null(Memberships::Reason, 500))
                .col(timestamp_with_time_zone(Memberships::RequestedAt))
                .col(timestamp_with_time_zone_null(Memberships::DecidedAt))
                .col(uuid_null(Memberships::DecidedBy))
                .foreign_key(
                    ForeignKey::create()
                        .from(Memberships::Table, Memberships::VolunteerId)
                        .to(Volunteers::Table, Volunteers::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(Memberships::Table, Memberships::OrganizationId)
                        .to(Organizations::Table, Organizations::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_memberships_org_status")
                .table(Memberships::Table)
                .col(Memberships::OrganizationId)
                .col(Memberships::Status)
                .col(Memberships::Id)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_memberships_volunteer")
                .table(Memberships::Table)
                .col(Memberships::VolunteerId)
                .to_owned(),
        )
        .await?;
        // One active (pending or approved) membership per volunteer and team: a partial
        // unique index, written the same way on SQLite and PostgreSQL.
        m.get_connection()
            .execute_unprepared(
                "CREATE UNIQUE INDEX ux_memberships_active ON memberships (volunteer_id, organization_id) \
                 WHERE status IN ('pending', 'approved')",
            )
            .await?;

        m.create_table(
            Table::create()
                .table(VolunteerImports::Table)
                .col(uuid(VolunteerImports::Id).primary_key())
                .col(uuid(VolunteerImports::OrganizationId))
                .col(string_len(VolunteerImports::FileName, 255))
                .col(string_len(VolunteerImports::FileSha256, 64))
                .col(string_len(VolunteerImports::Format, 8))
                .col(string_len(VolunteerImports::Status, 16))
                .col(integer(VolunteerImports::TotalRows))
                .col(integer(VolunteerImports::CreatedCount))
                .col(integer(VolunteerImports::ExistingCount))
                .col(integer(VolunteerImports::FailedCount))
                .col(text(VolunteerImports::Errors))
                .col(uuid(VolunteerImports::CreatedBy))
                .col(timestamp_with_time_zone(VolunteerImports::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(VolunteerImports::Table, VolunteerImports::OrganizationId)
                        .to(Organizations::Table, Organizations::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Counters::Table)
                .col(string_len(Counters::Name, 40).primary_key())
                .col(big_integer(Counters::Value))
                .to_owned(),
        )
        .await?;
        m.exec_stmt(
            Query::insert()
                .into_table(Counters::Table)
                .columns([Counters::Name, Counters::Value])
                .values_panic(["volunteer_number".into(), 0i64.into()])
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            Counters::Table.into_iden(),
            VolunteerImports::Table.into_iden(),
            Memberships::Table.into_iden(),
            Volunteers::Table.into_iden(),
            OrganizationAdmins::Table.into_iden(),
            Organizations::Table.into_iden(),
            LoginThrottles::Table.into_iden(),
            RefreshTokens::Table.into_iden(),
            Accounts::Table.into_iden(),
            Regions::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
