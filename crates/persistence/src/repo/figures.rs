//! Per-organisation monthly figures (机构月度统计): activities held, attendances, service
//! hours and new volunteers of each organisation in each month (China time), kept in
//! `organization_month_figures` by the very transactions that change them.
//!
//! A roll-up reads one row per organisation and month from here instead of grouping a
//! month of activities, service records and memberships on every call: nationally some
//! 110,000 narrow rows instead of about half a million. The figures stay live (a publication,
//! a confirmation of hours or an approval is counted when it commits) and equal to what the
//! records say: [`Store::month_figures_drift`] compares the two, and
//! [`Store::rebuild_month_figures`] recomputes the table from the records.
//!
//! What counts, as the records define it: a published activity in the month its start falls
//! in; each service record (one attendance, its hours) in the month of its service date; an
//! approved membership in the month of its approval, for as long as it stays approved.
//!
//! Each transaction writes its figures last, once per (organisation, month) and in that
//! order, so the rows it locks are always the last ones it takes: no transaction holding a
//! figures row waits for another row.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DbBackend};

use crate::repo::kept::Kept;
use crate::repo::Binder;
use uuid::Uuid;
use zhihui_domain::report::china_date;
use zhihui_domain::Month;

use crate::{Store, StoreResult};

/// The table's name.
pub const TABLE: &str = "organization_month_figures";

/// A change to an organisation's figures for a month.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Delta {
    pub activities_held: i64,
    pub attendances: i64,
    pub hours_tenths: i64,
    pub new_volunteers: i64,
}

impl Delta {
    /// `n` published activities.
    pub fn held(n: i64) -> Self {
        Self {
            activities_held: n,
            ..Self::default()
        }
    }

    /// `n` approved members.
    pub fn members(n: i64) -> Self {
        Self {
            new_volunteers: n,
            ..Self::default()
        }
    }

    fn is_zero(&self) -> bool {
        *self == Self::default()
    }

    fn add(&mut self, o: Delta) {
        self.activities_held += o.activities_held;
        self.attendances += o.attendances;
        self.hours_tenths += o.hours_tenths;
        self.new_volunteers += o.new_volunteers;
    }
}

/// The China-time month of an instant.
pub(crate) fn month_of(t: DateTime<Utc>) -> Month {
    Month::of(china_date(t))
}

/// Changes collected during a transaction and written at its end.
#[derive(Debug, Default)]
pub(crate) struct Changes(BTreeMap<(Uuid, String), Delta>);

impl Changes {
    pub fn add(&mut self, org: Uuid, month: Month, d: Delta) {
        self.0.entry((org, month.to_string())).or_default().add(d);
    }

    /// One change.
    pub fn one(org: Uuid, month: Month, d: Delta) -> Self {
        let mut c = Self::default();
        c.add(org, month, d);
        c
    }

    /// Adds the changes to the table, in (organisation, month) order, skipping those that
    /// cancel out.
    pub async fn write<C: ConnectionTrait>(self, c: &C) -> StoreResult<()> {
        for ((org, month), d) in self.0 {
            if d.is_zero() {
                continue;
            }
            let mut b = Binder::new(c.get_database_backend());
            let sql = format!(
                "INSERT INTO {TABLE} (organization_id, month, activities_held, attendances, \
                 hours_tenths, new_volunteers) VALUES ({}, {}, {}, {}, {}, {}) \
                 ON CONFLICT (organization_id, month) DO UPDATE SET \
                 activities_held = {TABLE}.activities_held + excluded.activities_held, \
                 attendances = {TABLE}.attendances + excluded.attendances, \
                 hours_tenths = {TABLE}.hours_tenths + excluded.hours_tenths, \
                 new_volunteers = {TABLE}.new_volunteers + excluded.new_volunteers",
                b.bind(org),
                b.bind(month),
                b.bind(d.activities_held),
                b.bind(d.attendances),
                b.bind(d.hours_tenths),
                b.bind(d.new_volunteers),
            );
            c.execute(b.statement(sql)).await?;
        }
        Ok(())
    }
}

/// `SELECT organization_id, month, activities_held, attendances, hours_tenths,
/// new_volunteers` computed from the records, one row per organisation and month with
/// anything in it.
pub fn from_records_sql(backend: DbBackend) -> String {
    let (activity_month, record_month, decided_month) = match backend {
        DbBackend::Postgres => (
            "to_char((starts_at AT TIME ZONE 'UTC') + interval '8 hours', 'YYYY-MM')",
            "to_char(service_date, 'YYYY-MM')",
            "to_char((decided_at AT TIME ZONE 'UTC') + interval '8 hours', 'YYYY-MM')",
        ),
        _ => (
            "strftime('%Y-%m', starts_at, '+8 hours')",
            "substr(service_date, 1, 7)",
            "strftime('%Y-%m', decided_at, '+8 hours')",
        ),
    };
    format!(
        "SELECT organization_id, month, CAST(sum(a) AS BIGINT) AS activities_held, \
           CAST(sum(n) AS BIGINT) AS attendances, CAST(sum(h) AS BIGINT) AS hours_tenths, \
           CAST(sum(v) AS BIGINT) AS new_volunteers FROM ( \
           SELECT organization_id, {activity_month} AS month, 1 AS a, 0 AS n, 0 AS h, 0 AS v \
             FROM activities WHERE status = 'published' \
           UNION ALL SELECT organization_id, {record_month}, 0, 1, hours_tenths, 0 \
             FROM service_records \
           UNION ALL SELECT organization_id, {decided_month}, 0, 0, 0, 1 \
             FROM memberships WHERE status = 'approved' AND decided_at IS NOT NULL \
         ) x GROUP BY organization_id, month"
    )
}

/// The table with its definition from the records.
fn kept(backend: DbBackend) -> Kept {
    Kept {
        table: TABLE,
        keys: &["organization_id", "month"],
        figures: &[
            "activities_held",
            "attendances",
            "hours_tenths",
            "new_volunteers",
        ],
        computed: from_records_sql(backend),
    }
}

/// Replaces the table's content with the figures computed from the records.
pub async fn rebuild<C: ConnectionTrait>(c: &C) -> StoreResult<u64> {
    kept(c.get_database_backend()).refill(c).await
}

impl Store {
    /// Recomputes every organisation's monthly figures from the records, in one
    /// transaction (readers see the old figures until it commits). For after a manual
    /// repair of the records; the service itself keeps them up to date.
    pub async fn rebuild_month_figures(&self) -> StoreResult<u64> {
        kept(self.db.get_database_backend())
            .refill_at_once(&self.db)
            .await
    }

    /// How many (organisation, month) rows of the kept figures differ from the figures the
    /// records give (0 when they agree). A row of zeros counts as no row.
    pub async fn month_figures_drift(&self) -> StoreResult<u64> {
        kept(self.db.get_database_backend()).drift(&self.db).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{NaiveDate, TimeZone};

    #[test]
    fn months_are_china_time() {
        // 2026-06-30 16:30 UTC is 2026-07-01 00:30 in Beijing.
        let t = Utc.with_ymd_and_hms(2026, 6, 30, 16, 30, 0).unwrap();
        assert_eq!(month_of(t).to_string(), "2026-07");
        let t = Utc.with_ymd_and_hms(2026, 6, 30, 15, 59, 59).unwrap();
        assert_eq!(month_of(t).to_string(), "2026-06");
    }

    #[test]
    fn changes_to_one_month_add_up_and_cancel_out() {
        let org = Uuid::nil();
        let m = Month::of(NaiveDate::from_ymd_opt(2026, 6, 1).unwrap());
        let mut c = Changes::one(org, m, Delta::held(1));
        c.add(org, m, Delta::held(-1));
        assert_eq!(c.0.len(), 1);
        assert!(c.0.values().all(Delta::is_zero));
    }
}
