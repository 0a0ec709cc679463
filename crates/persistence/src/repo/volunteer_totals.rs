//! Each volunteer's kept totals (志愿者服务累计): confirmed hours and distinct activities,
//! over all time and for each calendar year, in `volunteer_totals`, one row per volunteer
//! and period (`all`, or a year such as `2026`), kept by the transaction that confirms or
//! corrects the hours.
//!
//! The summary (`GET /volunteers/{id}/summary`, rule 24) is what a volunteer's app opens
//! first and most often. Aggregating the volunteer's records on every call cost PostgreSQL
//! more to set up (a join and an aggregate) than to run; with the totals kept, the summary
//! reads the volunteer and two rows by key and aggregates nothing.
//!
//! What counts, as the records define it: every service record's hours, and each activity
//! once however many records the volunteer has for it (`COUNT(DISTINCT activity_id)`), in
//! the year of the record's service date and over all time. Service records are never
//! deleted and a correction changes only their hours, so the totals only ever grow by a
//! confirmation or move by a correction. [`Store::volunteer_totals_drift`] compares them
//! with the records and [`Store::rebuild_volunteer_totals`] recomputes them.

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, NaiveDate};
use sea_orm::{ConnectionTrait, DbBackend};
use uuid::Uuid;

use crate::repo::kept::Kept;
use crate::repo::Binder;
use crate::{Store, StoreResult};

/// The table's name.
pub const TABLE: &str = "volunteer_totals";

/// The period of the all-time row.
pub const ALL_TIME: &str = "all";

/// The period of a service date's year.
pub fn year_period(year: i32) -> String {
    format!("{year:04}")
}

fn period_of(d: NaiveDate) -> String {
    year_period(d.year())
}

/// A change to one volunteer's totals for one period.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Delta {
    tenths: i64,
    activities: i64,
}

/// Changes collected during a transaction and written at its end.
#[derive(Debug, Default)]
pub(crate) struct TotalsChanges(BTreeMap<(Uuid, String), Delta>);

impl TotalsChanges {
    fn add(&mut self, volunteer: Uuid, period: String, tenths: i64, activities: i64) {
        let d = self.0.entry((volunteer, period)).or_default();
        d.tenths += tenths;
        d.activities += activities;
    }

    /// Hours added to or taken from a record dated `date`.
    pub fn hours(&mut self, volunteer: Uuid, date: NaiveDate, tenths: i64) {
        self.add(volunteer, ALL_TIME.into(), tenths, 0);
        self.add(volunteer, period_of(date), tenths, 0);
    }

    /// The volunteer's first record of an activity: over all time (`first_ever`) and in the
    /// year of `date` (`first_in_year`).
    pub fn first_record(
        &mut self,
        volunteer: Uuid,
        date: NaiveDate,
        first_ever: bool,
        first_in_year: bool,
    ) {
        self.add(volunteer, ALL_TIME.into(), 0, i64::from(first_ever));
        self.add(volunteer, period_of(date), 0, i64::from(first_in_year));
    }

    /// Adds the changes to the table, in (volunteer, period) order so that two
    /// confirmations sharing volunteers lock their rows in the same order; a few hundred
    /// rows a statement.
    pub async fn write<C: ConnectionTrait>(self, c: &C) -> StoreResult<()> {
        let rows: Vec<_> = self
            .0
            .into_iter()
            .filter(|(_, d)| *d != Delta::default())
            .collect();
        for chunk in rows.chunks(500) {
            let mut b = Binder::new(c.get_database_backend());
            let values = chunk
                .iter()
                .map(|((volunteer, period), d)| {
                    format!(
                        "({}, {}, {}, {})",
                        b.bind(*volunteer),
                        b.bind(period.clone()),
                        b.bind(d.tenths),
                        b.bind(d.activities)
                    )
                })
                .collect::<Vec<_>>()
                .join(", ");
            let sql = format!(
                "INSERT INTO {TABLE} (volunteer_id, period, hours_tenths, activities) \
                 VALUES {values} ON CONFLICT (volunteer_id, period) DO UPDATE SET \
                 hours_tenths = {TABLE}.hours_tenths + excluded.hours_tenths, \
                 activities = {TABLE}.activities + excluded.activities"
            );
            c.execute(b.statement(sql)).await?;
        }
        Ok(())
    }
}

/// How many records each volunteer has of an activity, in all and in `year`.
pub(crate) async fn records_of_activity<C: ConnectionTrait>(
    c: &C,
    activity_id: Uuid,
    year: i32,
) -> StoreResult<HashMap<Uuid, (i64, i64)>> {
    let mut b = Binder::new(c.get_database_backend());
    let a = b.bind(activity_id);
    let from = b.bind(NaiveDate::from_ymd_opt(year, 1, 1));
    let to = b.bind(NaiveDate::from_ymd_opt(year, 12, 31));
    let sql = format!(
        "SELECT volunteer_id, CAST(count(*) AS BIGINT) AS n, \
           CAST(sum(CASE WHEN service_date >= {from} AND service_date <= {to} THEN 1 ELSE 0 END) \
             AS BIGINT) AS in_year \
         FROM service_records WHERE activity_id = {a} GROUP BY volunteer_id"
    );
    let mut out = HashMap::new();
    for r in c.query_all(b.statement(sql)).await? {
        out.insert(
            r.try_get::<Uuid>("", "volunteer_id")?,
            (r.try_get::<i64>("", "n")?, r.try_get::<i64>("", "in_year")?),
        );
    }
    Ok(out)
}

/// `SELECT volunteer_id, period, hours_tenths, activities` computed from the records: one
/// row per volunteer with records over all time, and one per volunteer and year.
pub fn from_records_sql(backend: DbBackend) -> String {
    let year = match backend {
        DbBackend::Postgres => "to_char(service_date, 'YYYY')",
        _ => "substr(service_date, 1, 4)",
    };
    format!(
        "SELECT volunteer_id, '{ALL_TIME}' AS period, CAST(sum(hours_tenths) AS BIGINT) AS hours_tenths, \
           CAST(count(DISTINCT activity_id) AS BIGINT) AS activities \
         FROM service_records GROUP BY volunteer_id \
         UNION ALL \
         SELECT volunteer_id, {year}, CAST(sum(hours_tenths) AS BIGINT), \
           CAST(count(DISTINCT activity_id) AS BIGINT) \
         FROM service_records GROUP BY volunteer_id, {year}"
    )
}

/// The table with its definition from the records.
fn kept(backend: DbBackend) -> Kept {
    Kept {
        table: TABLE,
        keys: &["volunteer_id", "period"],
        figures: &["hours_tenths", "activities"],
        computed: from_records_sql(backend),
    }
}

/// Replaces the table's content with the totals computed from the records.
pub async fn rebuild<C: ConnectionTrait>(c: &C) -> StoreResult<u64> {
    kept(c.get_database_backend()).refill(c).await
}

impl Store {
    /// Recomputes every volunteer's kept totals from the records, in one transaction
    /// (readers see the old totals until it commits). For after a manual repair of the
    /// records; the service itself keeps them up to date.
    pub async fn rebuild_volunteer_totals(&self) -> StoreResult<u64> {
        kept(self.db.get_database_backend())
            .refill_at_once(&self.db)
            .await
    }

    /// How many (volunteer, period) rows of the kept totals differ from the totals the
    /// records give (0 when they agree). A row of zeros counts as no row.
    pub async fn volunteer_totals_drift(&self) -> StoreResult<u64> {
        kept(self.db.get_database_backend()).drift(&self.db).await
    }
}
