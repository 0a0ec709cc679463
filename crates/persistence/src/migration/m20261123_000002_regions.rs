//! Seeds the GB/T 2260 region list from `data/regions.tsv` (see `data/README.md`).

use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261123_000002_regions"
    }
}

const REGIONS: &str = include_str!("../../data/regions.tsv");

#[derive(DeriveIden)]
enum Regions {
    Table,
    Code,
    Name,
    Level,
    ParentCode,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let rows: Vec<Vec<&str>> = REGIONS
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .map(|l| l.split('\t').collect())
            .collect();
        for chunk in rows.chunks(500) {
            let mut insert = Query::insert();
            insert.into_table(Regions::Table).columns([
                Regions::Code,
                Regions::Name,
                Regions::Level,
                Regions::ParentCode,
            ]);
            for r in chunk {
                let parent = r.get(3).filter(|p| !p.is_empty()).map(|p| String::from(*p));
                insert.values_panic([
                    r[0].into(),
                    r.get(1).copied().unwrap_or_default().into(),
                    r.get(2).copied().unwrap_or_default().into(),
                    parent.into(),
                ]);
            }
            m.exec_stmt(insert).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.exec_stmt(Query::delete().from_table(Regions::Table).to_owned())
            .await
    }
}
