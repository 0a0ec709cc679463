use std::sync::Arc;

use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::entities::region::{self, Entity as Region};
use crate::{Store, StoreResult};

impl Store {
    pub async fn list_regions(
        &self,
        parent: Option<&str>,
        level: Option<zhihui_domain::RegionLevel>,
        name_part: Option<&str>,
        after_code: Option<&str>,
        limit: u64,
    ) -> StoreResult<Vec<region::Model>> {
        let mut q = Region::find();
        if let Some(p) = parent {
            q = q.filter(region::Column::ParentCode.eq(p));
        }
        if let Some(l) = level {
            q = q.filter(region::Column::Level.eq(l.as_str()));
        }
        if let Some(n) = name_part {
            q = q.filter(region::Column::Name.contains(n));
        }
        if let Some(a) = after_code {
            q = q.filter(region::Column::Code.gt(a));
        }
        Ok(q.order_by_asc(region::Column::Code)
            .limit(limit)
            .all(&self.db)
            .await?)
    }

    pub async fn get_region(&self, code: &str) -> StoreResult<Option<region::Model>> {
        Ok(Region::find_by_id(code.to_string()).one(&self.db).await?)
    }

    /// Names of the given region codes. The whole list (about 3,200 rows) is read on the
    /// first call and kept: it is fixed by the migrations.
    pub async fn region_names(
        &self,
        codes: &[String],
    ) -> StoreResult<std::collections::HashMap<String, String>> {
        let all = match self.region_names.get() {
            Some(all) => all.clone(),
            None => {
                let all: std::collections::HashMap<String, String> = Region::find()
                    .all(&self.db)
                    .await?
                    .into_iter()
                    .map(|r| (r.code, r.name))
                    .collect();
                self.region_names.get_or_init(|| Arc::new(all)).clone()
            }
        };
        Ok(codes
            .iter()
            .filter_map(|c| Some((c.clone(), all.get(c)?.clone())))
            .collect())
    }

    pub async fn region_exists(&self, code: &str) -> StoreResult<bool> {
        Ok(Region::find_by_id(code.to_string()).count(&self.db).await? > 0)
    }
}
