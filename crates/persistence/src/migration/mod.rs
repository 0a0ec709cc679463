//! Schema migrations: one set for SQLite and PostgreSQL.

use sea_orm_migration::prelude::*;

mod m20261123_000001_foundation;
mod m20261123_000002_regions;
mod m20261124_000003_activities;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261123_000001_foundation::Migration),
            Box::new(m20261123_000002_regions::Migration),
            Box::new(m20261124_000003_activities::Migration),
        ]
    }
}
