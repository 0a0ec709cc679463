//! Pairing letters, their history, and the pairings they create (rules 27-31).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::{add_counter, fk, index, remove_counter};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261125_000004_pairing"
    }
}

#[derive(DeriveIden)]
enum Organizations {
    Table,
    Id,
}
#[derive(DeriveIden)]
enum PairingLetters {
    Table,
    Id,
    SenderId,
    RecipientId,
    Subject,
    Purpose,
    Activities,
    PeriodFrom,
    PeriodTo,
    ContactName,
    ContactPhoneEnc,
    ContactPhoneMasked,
    Status,
    SentAt,
    AnsweredAt,
    AnswerNote,
    DeclineReason,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
    Version,
}
#[derive(DeriveIden)]
enum PairingLetterEvents {
    Table,
    Id,
    LetterId,
    Action,
    ActorId,
    ActorName,
    At,
    Note,
}
#[derive(DeriveIden)]
enum Pairings {
    Table,
    Id,
    LetterId,
    SocietyId,
    CountyId,
    ProofNumber,
    PeriodFrom,
    PeriodTo,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(PairingLetters::Table)
                .col(uuid(PairingLetters::Id).primary_key())
                .col(uuid(PairingLetters::SenderId))
                .col(uuid(PairingLetters::RecipientId))
                .col(string_len(PairingLetters::Subject, 100))
                .col(text(PairingLetters::Purpose))
                // JSON array of {what, month, place}.
                .col(text(PairingLetters::Activities))
                .col(date(PairingLetters::PeriodFrom))
                .col(date(PairingLetters::PeriodTo))
                .col(string_len(PairingLetters::ContactName, 50))
                .col(string_len(PairingLetters::ContactPhoneEnc, 200))
                .col(string_len(PairingLetters::ContactPhoneMasked, 20))
                .col(string_len(PairingLetters::Status, 16))
                .col(timestamp_with_time_zone_null(PairingLetters::SentAt))
                .col(timestamp_with_time_zone_null(PairingLetters::AnsweredAt))
                .col(string_len_null(PairingLetters::AnswerNote, 1000))
                .col(string_len_null(PairingLetters::DeclineReason, 1000))
                .col(uuid(PairingLetters::CreatedBy))
                .col(timestamp_with_time_zone(PairingLetters::CreatedAt))
                .col(timestamp_with_time_zone(PairingLetters::UpdatedAt))
                .col(integer(PairingLetters::Version).default(1))
                .foreign_key(&mut fk(
                    (PairingLetters::Table, PairingLetters::SenderId),
                    (Organizations::Table, Organizations::Id),
                ))
                .foreign_key(&mut fk(
                    (PairingLetters::Table, PairingLetters::RecipientId),
                    (Organizations::Table, Organizations::Id),
                ))
                .to_owned(),
        )
        .await?;
        // Outbox and inbox, newest first (ids are time-ordered).
        m.create_index(index(
            "ix_pairing_letters_sender",
            PairingLetters::Table,
            vec![PairingLetters::SenderId, PairingLetters::Id],
        ))
        .await?;
        m.create_index(index(
            "ix_pairing_letters_recipient",
            PairingLetters::Table,
            vec![PairingLetters::RecipientId, PairingLetters::Id],
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(PairingLetterEvents::Table)
                .col(uuid(PairingLetterEvents::Id).primary_key())
                .col(uuid(PairingLetterEvents::LetterId))
                .col(string_len(PairingLetterEvents::Action, 16))
                .col(uuid(PairingLetterEvents::ActorId))
                .col(string_len(PairingLetterEvents::ActorName, 100))
                .col(timestamp_with_time_zone(PairingLetterEvents::At))
                .col(string_len_null(PairingLetterEvents::Note, 1000))
                .foreign_key(&mut fk(
                    (PairingLetterEvents::Table, PairingLetterEvents::LetterId),
                    (PairingLetters::Table, PairingLetters::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "ix_pairing_letter_events_letter",
            PairingLetterEvents::Table,
            vec![PairingLetterEvents::LetterId, PairingLetterEvents::At],
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(Pairings::Table)
                .col(uuid(Pairings::Id).primary_key())
                .col(uuid_uniq(Pairings::LetterId))
                .col(uuid(Pairings::SocietyId))
                .col(uuid(Pairings::CountyId))
                .col(string_len_uniq(Pairings::ProofNumber, 20))
                .col(date(Pairings::PeriodFrom))
                .col(date(Pairings::PeriodTo))
                .col(timestamp_with_time_zone(Pairings::CreatedAt))
                .foreign_key(&mut fk(
                    (Pairings::Table, Pairings::LetterId),
                    (PairingLetters::Table, PairingLetters::Id),
                ))
                .foreign_key(&mut fk(
                    (Pairings::Table, Pairings::SocietyId),
                    (Organizations::Table, Organizations::Id),
                ))
                .foreign_key(&mut fk(
                    (Pairings::Table, Pairings::CountyId),
                    (Organizations::Table, Organizations::Id),
                ))
                .to_owned(),
        )
        .await?;
        // The overlap check between two organisations, and each party's list by period.
        m.create_index(index(
            "ix_pairings_society",
            Pairings::Table,
            vec![Pairings::SocietyId, Pairings::CountyId, Pairings::PeriodTo],
        ))
        .await?;
        m.create_index(index(
            "ix_pairings_county",
            Pairings::Table,
            vec![Pairings::CountyId, Pairings::PeriodTo],
        ))
        .await?;
        add_counter(m, "pairing_proof").await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            Pairings::Table.into_iden(),
            PairingLetterEvents::Table.into_iden(),
            PairingLetters::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).if_exists().to_owned())
                .await?;
        }
        remove_counter(m, "pairing_proof").await
    }
}
