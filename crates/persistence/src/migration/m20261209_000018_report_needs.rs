//! Needs served in the month join a monthly report's figures (rule 53): a column beside the
//! pairing activities, and the covering index of the roll-up's report sums extended by it,
//! so that the sums still read the index alone.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::index;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261209_000018_report_needs"
    }
}

#[derive(DeriveIden)]
enum MonthlyReports {
    Table,
    Month,
    Status,
    OrganizationId,
    Late,
    PeopleServed,
    PairingActivities,
    NeedsServed,
}

const INDEX: &str = "ix_monthly_reports_month_org";

async fn covering(m: &SchemaManager<'_>, with_needs: bool) -> Result<(), DbErr> {
    use MonthlyReports as R;
    m.drop_index(Index::drop().name(INDEX).table(R::Table).to_owned())
        .await?;
    let mut cols = vec![
        R::Month,
        R::Status,
        R::OrganizationId,
        R::Late,
        R::PeopleServed,
        R::PairingActivities,
    ];
    if with_needs {
        cols.push(R::NeedsServed);
    }
    m.create_index(index(INDEX, R::Table, cols)).await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(MonthlyReports::Table)
                .add_column(integer(MonthlyReports::NeedsServed).default(0))
                .to_owned(),
        )
        .await?;
        covering(m, true).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        covering(m, false).await?;
        m.alter_table(
            Table::alter()
                .table(MonthlyReports::Table)
                .drop_column(MonthlyReports::NeedsServed)
                .to_owned(),
        )
        .await
    }
}
