//! Visitors at the exhibitions shown at an organisation's service points join its monthly
//! report's figures (rule 60): a column beside the needs served, and the covering index of
//! the roll-up's report sums extended by it, so that the sums still read the index alone.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::index;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261215_000024_report_visitors"
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
    ExhibitionVisitors,
}

const INDEX: &str = "ix_monthly_reports_month_org";

async fn covering(m: &SchemaManager<'_>, with_visitors: bool) -> Result<(), DbErr> {
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
        R::NeedsServed,
    ];
    if with_visitors {
        cols.push(R::ExhibitionVisitors);
    }
    m.create_index(index(INDEX, R::Table, cols)).await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(MonthlyReports::Table)
                .add_column(integer(MonthlyReports::ExhibitionVisitors).default(0))
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
                .drop_column(MonthlyReports::ExhibitionVisitors)
                .to_owned(),
        )
        .await
    }
}
