use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::entities::region::{self, Entity as Region};
use crate::{Store, StoreResult};

impl Store {
    pub async fn list_regions(
        &self,
        parent: Option<&str>,
        level: Option<&str>,
        name_part: Option<&str>,
        after_code: Option<&str>,
        limit: u64,
    ) -> StoreResult<Vec<region::Model>> {
        let mut q = Region::find();
        if let Some(p) = parent {
            q = q.filter(region::Column::ParentCode.eq(p));
        }
        if let Some(l) = level {
            q = q.filter(region::Column::Level.eq(l));
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

    /// Names of the given region codes, in one query.
    pub async fn region_names(
        &self,
        codes: &[String],
    ) -> StoreResult<std::collections::HashMap<String, String>> {
        let mut unique: Vec<String> = codes.to_vec();
        unique.sort();
        unique.dedup();
        Ok(Region::find()
            .filter(region::Column::Code.is_in(unique))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|r| (r.code, r.name))
            .collect())
    }

    pub async fn region_exists(&self, code: &str) -> StoreResult<bool> {
        Ok(Region::find_by_id(code.to_string()).count(&self.db).await? > 0)
    }
}
