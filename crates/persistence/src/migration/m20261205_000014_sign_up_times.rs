//! A sign-up carries its activity's times, and activities leave room for their counts.
//!
//! - Signing up checks that none of the volunteer's live sign-ups overlaps the activity.
//!   Read through the activities, that check grew with every sign-up a volunteer ever made
//!   (sign-ups stay `confirmed` after the activity), each one a lookup of an activity row.
//!   With the activity's `starts_at` and `ends_at` on the sign-up and an index on
//!   `(volunteer_id, ends_at, starts_at)`, it reads only the index entries of the sign-ups
//!   that end after the new activity starts (those still to come) and visits the rows of
//!   those that also start before it ends. The index replaces `ix_sign_ups_volunteer`
//!   `(volunteer_id, status)`, whose other readers (a volunteer's own sign-ups) use its first
//!   column alike, so a sign-up still writes four index entries. The copies change with the
//!   activity's times, in the same transaction (`update_activity`).
//! - Every sign-up and withdrawal updates its activity's counts. On PostgreSQL, an update
//!   whose new row version fits on the same page touches no index (a HOT update); the
//!   activities were written full (fillfactor 100), so most count updates moved the row and
//!   wrote all seven of the table's index entries again. A fillfactor of 70 keeps room on
//!   the pages written from now on.

use sea_orm::{ConnectionTrait, DbBackend};
use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261205_000014_sign_up_times"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        let steps: &[&str] = match db.get_database_backend() {
            DbBackend::Postgres => &[
                "ALTER TABLE sign_ups ADD COLUMN starts_at timestamptz, \
                 ADD COLUMN ends_at timestamptz",
                "UPDATE sign_ups s SET starts_at = a.starts_at, ends_at = a.ends_at \
                 FROM activities a WHERE a.id = s.activity_id",
                "ALTER TABLE sign_ups ALTER COLUMN starts_at SET NOT NULL, \
                 ALTER COLUMN ends_at SET NOT NULL",
                "ALTER TABLE activities SET (fillfactor = 70)",
            ],
            _ => &[
                "ALTER TABLE sign_ups ADD COLUMN starts_at timestamp_with_timezone_text \
                 NOT NULL DEFAULT ''",
                "ALTER TABLE sign_ups ADD COLUMN ends_at timestamp_with_timezone_text \
                 NOT NULL DEFAULT ''",
                "UPDATE sign_ups SET \
                 starts_at = (SELECT a.starts_at FROM activities a WHERE a.id = sign_ups.activity_id), \
                 ends_at = (SELECT a.ends_at FROM activities a WHERE a.id = sign_ups.activity_id)",
            ],
        };
        for sql in steps {
            db.execute_unprepared(sql).await?;
        }
        db.execute_unprepared(
            "CREATE INDEX ix_sign_ups_volunteer_end ON sign_ups (volunteer_id, ends_at, starts_at)",
        )
        .await?;
        db.execute_unprepared("DROP INDEX IF EXISTS ix_sign_ups_volunteer")
            .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        db.execute_unprepared(
            "CREATE INDEX ix_sign_ups_volunteer ON sign_ups (volunteer_id, status)",
        )
        .await?;
        db.execute_unprepared("DROP INDEX IF EXISTS ix_sign_ups_volunteer_end")
            .await?;
        if db.get_database_backend() == DbBackend::Postgres {
            db.execute_unprepared("ALTER TABLE activities RESET (fillfactor)")
                .await?;
        }
        db.execute_unprepared("ALTER TABLE sign_ups DROP COLUMN starts_at")
            .await?;
        db.execute_unprepared("ALTER TABLE sign_ups DROP COLUMN ends_at")
            .await?;
        Ok(())
    }
}
