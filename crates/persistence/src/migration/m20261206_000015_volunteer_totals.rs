//! Each volunteer's kept totals (`volunteer_totals`), filled from the records.
//!
//! The volunteer summary aggregated the volunteer's service records on every call. The
//! statement itself was quick, but PostgreSQL spent more setting up its join and aggregate
//! than running it, and the summary answered at about half the rate of a bare round trip.
//! The service now keeps each volunteer's hours and distinct activities, over all time
//! (`period = 'all'`) and for each year (`period = '2026'`), in the transaction that
//! confirms or corrects the hours; the summary reads two rows by the primary key
//! (volunteer, period).
//!
//! Existing databases get the table filled from their records here, once.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::fk;
use crate::repo::volunteer_totals;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261206_000015_volunteer_totals"
    }
}

#[derive(DeriveIden)]
enum VolunteerTotals {
    Table,
    VolunteerId,
    Period,
    HoursTenths,
    Activities,
}

#[derive(DeriveIden)]
enum Volunteers {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use VolunteerTotals as T;
        m.create_table(
            Table::create()
                .table(T::Table)
                .col(uuid(T::VolunteerId))
                .col(string_len(T::Period, 4))
                .col(big_integer(T::HoursTenths).default(0))
                .col(big_integer(T::Activities).default(0))
                .primary_key(Index::create().col(T::VolunteerId).col(T::Period))
                .foreign_key(&mut fk(
                    (T::Table, T::VolunteerId),
                    (Volunteers::Table, Volunteers::Id),
                ))
                .to_owned(),
        )
        .await?;
        volunteer_totals::rebuild(m.get_connection())
            .await
            .map_err(|e| DbErr::Migration(format!("filling {}: {e}", volunteer_totals::TABLE)))?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(VolunteerTotals::Table).to_owned())
            .await
    }
}
