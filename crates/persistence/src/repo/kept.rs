//! What the kept tables share: the monthly figures (`repo::figures`) and the volunteer
//! totals (`repo::volunteer_totals`) are computed from the records by one SQL text each,
//! which both fills the table and checks it.

use sea_orm::{ConnectionTrait, Statement, TransactionTrait};

use crate::StoreResult;

/// A table the service keeps beside the records it is computed from.
pub(crate) struct Kept {
    pub table: &'static str,
    /// The key columns, then the figures.
    pub keys: &'static [&'static str],
    pub figures: &'static [&'static str],
    /// `SELECT` of the keys and figures, in that order, computed from the records.
    pub computed: String,
}

impl Kept {
    fn columns(&self) -> String {
        self.keys
            .iter()
            .chain(self.figures)
            .copied()
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Replaces the table's content with what the records give; the rows written.
    pub async fn refill<C: ConnectionTrait>(&self, c: &C) -> StoreResult<u64> {
        c.execute_unprepared(&format!("DELETE FROM {}", self.table))
            .await?;
        let r = c
            .execute_unprepared(&format!(
                "INSERT INTO {} ({}) {}",
                self.table,
                self.columns(),
                self.computed
            ))
            .await?;
        Ok(r.rows_affected())
    }

    /// [`Kept::refill`] in a transaction of its own: readers see the old content until it
    /// commits.
    pub async fn refill_at_once<D: ConnectionTrait + TransactionTrait>(
        &self,
        db: &D,
    ) -> StoreResult<u64> {
        let txn = db.begin().await?;
        let n = self.refill(&txn).await?;
        txn.commit().await?;
        Ok(n)
    }

    /// How many rows of the table differ from the rows the records give (0 when they
    /// agree). A row of zeros counts as no row.
    pub async fn drift<C: ConnectionTrait>(&self, c: &C) -> StoreResult<u64> {
        let nonzero = self
            .figures
            .iter()
            .map(|f| format!("{f} <> 0"))
            .collect::<Vec<_>>()
            .join(" OR ");
        let kept = format!(
            "SELECT {} FROM {} WHERE {nonzero}",
            self.columns(),
            self.table
        );
        let sql = format!(
            "WITH kept AS ({kept}), computed AS ({}), \
               extra AS (SELECT * FROM kept EXCEPT SELECT * FROM computed), \
               lacking AS (SELECT * FROM computed EXCEPT SELECT * FROM kept) \
             SELECT CAST((SELECT count(*) FROM extra) + (SELECT count(*) FROM lacking) \
               AS BIGINT) AS n",
            self.computed
        );
        let row = c
            .query_one(Statement::from_string(c.get_database_backend(), sql))
            .await?;
        let n: i64 = match row {
            Some(r) => r.try_get("", "n")?,
            None => 0,
        };
        Ok(n as u64)
    }
}
