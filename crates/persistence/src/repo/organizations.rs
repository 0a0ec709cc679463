use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    Set, TransactionTrait,
};
use uuid::Uuid;
use zhihui_domain::ProblemCode;
use zhihui_domain::{
    admin_seat_cap, organization_transition, OrganizationAction, OrganizationStatus,
};

use crate::entities::{account, organization, organization_admin, organization_closure};
use crate::{Store, StoreError, StoreResult};

/// Who is looking: decides which non-approved organisations are visible.
#[derive(Debug, Clone, Default)]
pub struct Viewer {
    pub platform_admin: bool,
    /// Organisations the viewer administers.
    pub admin_of: Vec<Uuid>,
}

pub struct NewOrganization {
    pub name: String,
    pub category: zhihui_domain::OrganizationCategory,
    pub level: zhihui_domain::OrganizationLevel,
    pub parent_id: Option<Uuid>,
    pub region_code: String,
    pub credit_code: Option<String>,
    pub contact_name: String,
    pub contact_phone: String,
    pub contact_phone_masked: String,
    pub address: Option<String>,
    pub description: Option<String>,
    pub created_by: Uuid,
}

#[derive(Default)]
pub struct OrganizationChanges {
    pub name: Option<String>,
    pub region_code: Option<String>,
    pub credit_code: Option<String>,
    pub contact_name: Option<String>,
    pub contact_phone: Option<(String, String)>,
    pub address: Option<String>,
    pub description: Option<String>,
}

#[derive(Default)]
pub struct OrganizationFilter {
    pub category: Option<zhihui_domain::OrganizationCategory>,
    pub level: Option<zhihui_domain::OrganizationLevel>,
    pub region_prefix: Option<String>,
    pub status: Option<zhihui_domain::OrganizationStatus>,
    pub name_part: Option<String>,
    pub parent_id: Option<Uuid>,
    pub after_id: Option<Uuid>,
    pub limit: u64,
}

/// The key that makes names unique: case and white space do not tell two names apart.
pub fn name_key(name: &str) -> String {
    name.chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

fn duplicate_name() -> StoreError {
    StoreError::Conflict {
        code: ProblemCode::DuplicateOrganizationName,
        message: "an organisation with this name is already registered".into(),
    }
}

fn map_unique(e: sea_orm::DbErr) -> StoreError {
    match StoreError::from(e) {
        StoreError::Conflict { message, .. } if message.contains("credit code") => {
            StoreError::Conflict {
                code: ProblemCode::DuplicateCreditCode,
                message: "an organisation with this credit code is already registered".into(),
            }
        }
        StoreError::Conflict { .. } => duplicate_name(),
        other => other,
    }
}

impl Store {
    /// Registers an organisation as pending; its registrant takes the first admin seat.
    pub async fn create_organization(
        &self,
        new: NewOrganization,
        now: DateTime<Utc>,
    ) -> StoreResult<organization::Model> {
        let txn = self.db.begin().await?;
        let id = Uuid::now_v7();
        let model = organization::ActiveModel {
            id: Set(id),
            name_key: Set(name_key(&new.name)),
            name: Set(new.name),
            category: Set(new.category.into()),
            level: Set(new.level.into()),
            parent_id: Set(new.parent_id),
            region_code: Set(new.region_code),
            credit_code: Set(new.credit_code),
            contact_name: Set(new.contact_name),
            contact_phone_enc: Set(self.crypto.encrypt(&new.contact_phone)),
            contact_phone_masked: Set(new.contact_phone_masked),
            address: Set(new.address),
            description: Set(new.description),
            status: Set(OrganizationStatus::Pending.into()),
            rejection_reason: Set(None),
            approved_members: Set(0),
            admin_count: Set(1),
            created_by: Set(new.created_by),
            created_at: Set(now),
            updated_at: Set(now),
            version: Set(1),
            priority_area: Set(None),
        }
        .insert(&txn)
        .await
        .map_err(map_unique)?;
        organization_admin::ActiveModel {
            organization_id: Set(id),
            account_id: Set(new.created_by),
            granted_by: Set(None),
            granted_at: Set(now),
        }
        .insert(&txn)
        .await?;
        // The closure: itself, then each of the parent's ancestors one level further.
        let mut rows = vec![organization_closure::ActiveModel {
            ancestor_id: Set(id),
            descendant_id: Set(id),
            depth: Set(0),
        }];
        if let Some(parent) = new.parent_id {
            let above = organization_closure::Entity::find()
                .filter(organization_closure::Column::DescendantId.eq(parent))
                .all(&txn)
                .await?;
            rows.extend(
                above
                    .into_iter()
                    .map(|a| organization_closure::ActiveModel {
                        ancestor_id: Set(a.ancestor_id),
                        descendant_id: Set(id),
                        depth: Set(a.depth + 1),
                    }),
            );
        }
        organization_closure::Entity::insert_many(rows)
            .exec(&txn)
            .await?;
        txn.commit().await?;
        self.access_changed();
        Ok(model)
    }

    pub async fn get_organization(&self, id: Uuid) -> StoreResult<Option<organization::Model>> {
        Ok(organization::Entity::find_by_id(id).one(&self.db).await?)
    }

    pub async fn organizations_by_ids(
        &self,
        ids: &[Uuid],
    ) -> StoreResult<Vec<organization::Model>> {
        if ids.is_empty() {
            return Ok(vec![]);
        }
        Ok(organization::Entity::find()
            .filter(organization::Column::Id.is_in(ids.to_vec()))
            .order_by_asc(organization::Column::Id)
            .all(&self.db)
            .await?)
    }

    pub async fn list_organizations(
        &self,
        viewer: &Viewer,
        f: &OrganizationFilter,
    ) -> StoreResult<Vec<organization::Model>> {
        let mut q = organization::Entity::find();
        if !viewer.platform_admin {
            let mut visible = Condition::any()
                .add(organization::Column::Status.eq(OrganizationStatus::Approved.as_str()));
            if !viewer.admin_of.is_empty() {
                visible = visible
                    .add(organization::Column::Id.is_in(viewer.admin_of.clone()))
                    .add(organization::Column::ParentId.is_in(viewer.admin_of.clone()));
            }
            q = q.filter(visible);
        }
        if let Some(v) = &f.category {
            q = q.filter(organization::Column::Category.eq(v.as_str()));
        }
        if let Some(v) = &f.level {
            q = q.filter(organization::Column::Level.eq(v.as_str()));
        }
        if let Some(v) = &f.status {
            q = q.filter(organization::Column::Status.eq(v.as_str()));
        }
        if let Some(v) = &f.region_prefix {
            q = q.filter(super::region_prefix(organization::Column::RegionCode, v));
        }
        if let Some(v) = &f.name_part {
            q = q.filter(super::contains_text(organization::Column::Name, v));
        }
        if let Some(v) = f.parent_id {
            q = q.filter(organization::Column::ParentId.eq(v));
        }
        if let Some(v) = f.after_id {
            q = q.filter(organization::Column::Id.gt(v));
        }
        Ok(q.order_by_asc(organization::Column::Id)
            .limit(f.limit)
            .all(&self.db)
            .await?)
    }

    /// Applies changes if the stored version is `expected_version` (when given).
    pub async fn update_organization(
        &self,
        id: Uuid,
        expected_version: Option<i32>,
        c: OrganizationChanges,
        now: DateTime<Utc>,
    ) -> StoreResult<organization::Model> {
        let txn = self.db.begin().await?;
        let mut q = organization::Entity::find_by_id(id);
        if self.is_postgres() {
            q = q.lock_exclusive();
        }
        let current = q.one(&txn).await?.ok_or(StoreError::NotFound)?;
        if expected_version.is_some_and(|v| v != current.version) {
            return Err(StoreError::VersionMismatch);
        }
        let version = current.version + 1;
        let mut m: organization::ActiveModel = current.into();
        if let Some(v) = c.name {
            m.name_key = Set(name_key(&v));
            m.name = Set(v);
        }
        if let Some(v) = c.region_code {
            m.region_code = Set(v);
        }
        if let Some(v) = c.credit_code {
            m.credit_code = Set(Some(v));
        }
        if let Some(v) = c.contact_name {
            m.contact_name = Set(v);
        }
        if let Some((full, masked)) = c.contact_phone {
            m.contact_phone_enc = Set(self.crypto.encrypt(&full));
            m.contact_phone_masked = Set(masked);
        }
        if let Some(v) = c.address {
            m.address = Set(Some(v));
        }
        if let Some(v) = c.description {
            m.description = Set(Some(v));
        }
        m.updated_at = Set(now);
        m.version = Set(version);
        let updated = m.update(&txn).await.map_err(map_unique)?;
        txn.commit().await?;
        Ok(updated)
    }

    /// Flags a county as a priority area, or clears the flag (`None`), if the stored
    /// version is `expected_version`; the rule (`organization_transition`) is applied to the
    /// row read under the lock.
    pub async fn set_priority_area(
        &self,
        id: Uuid,
        expected_version: Option<i32>,
        area: Option<zhihui_domain::PriorityArea>,
        now: DateTime<Utc>,
    ) -> StoreResult<organization::Model> {
        let txn = self.db.begin().await?;
        let mut q = organization::Entity::find_by_id(id);
        if self.is_postgres() {
            q = q.lock_exclusive();
        }
        let current = q.one(&txn).await?.ok_or(StoreError::NotFound)?;
        if expected_version.is_some_and(|v| v != current.version) {
            return Err(StoreError::VersionMismatch);
        }
        zhihui_domain::organization_transition(
            *current.status,
            zhihui_domain::OrganizationAction::FlagPriority,
        )
        .map_err(|e| StoreError::Conflict {
            code: e.code,
            message: e.message,
        })?;
        let version = current.version + 1;
        let mut m: organization::ActiveModel = current.into();
        m.priority_area = Set(area.map(Into::into));
        m.updated_at = Set(now);
        m.version = Set(version);
        let updated = m.update(&txn).await?;
        txn.commit().await?;
        Ok(updated)
    }

    /// Decides a registration by the domain's rule (`organization_transition`) applied to
    /// the row read; the update holds only if the status is still the one read, so of two
    /// concurrent decisions one applies and the other sees the rule's refusal.
    pub async fn decide_organization(
        &self,
        id: Uuid,
        action: OrganizationAction,
        reason: Option<String>,
        now: DateTime<Utc>,
    ) -> StoreResult<organization::Model> {
        let cur = self
            .get_organization(id)
            .await?
            .ok_or(StoreError::NotFound)?;
        let from = *cur.status;
        let to = organization_transition(from, action)?;
        let txn = self.db.begin().await?;
        let res = organization::Entity::update_many()
            .col_expr(organization::Column::Status, Expr::value(to.as_str()))
            .col_expr(organization::Column::RejectionReason, Expr::value(reason))
            .col_expr(organization::Column::UpdatedAt, Expr::value(now))
            .col_expr(
                organization::Column::Version,
                Expr::col(organization::Column::Version).add(1),
            )
            .filter(organization::Column::Id.eq(id))
            .filter(organization::Column::Status.eq(from.as_str()))
            .exec(&txn)
            .await?;
        let org = organization::Entity::find_by_id(id)
            .one(&txn)
            .await?
            .ok_or(StoreError::NotFound)?;
        let announced = match *org.status {
            OrganizationStatus::Approved => {
                Some(zhihui_domain::integration::EventType::OrganizationApproved)
            }
            OrganizationStatus::Rejected => {
                Some(zhihui_domain::integration::EventType::OrganizationRejected)
            }
            _ => None,
        };
        if let Some(kind) = announced.filter(|_| res.rows_affected == 1) {
            let concerned: Vec<Uuid> = std::iter::once(org.id).chain(org.parent_id).collect();
            let resource =
                super::webhooks::resource_value(&zhihui_contract::events::OrganizationResource {
                    kind: "organization".into(),
                    id: org.id,
                    name: org.name.clone(),
                    parent_id: org.parent_id,
                    status: *org.status,
                    rejection_reason: org.rejection_reason.clone(),
                    href: format!("/api/v1/organizations/{}", org.id),
                });
            super::webhooks::emit(&txn, kind, &concerned, resource, now).await?;
        }
        txn.commit().await?;
        if res.rows_affected == 0 {
            let now_is = *org.status;
            organization_transition(now_is, action)?;
            return Err(StoreError::Contention(
                "the registration changed meanwhile".into(),
            ));
        }
        Ok(org)
    }

    pub async fn administered_organizations(&self, account_id: Uuid) -> StoreResult<Vec<Uuid>> {
        Ok(organization_admin::Entity::find()
            .filter(organization_admin::Column::AccountId.eq(account_id))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|a| a.organization_id)
            .collect())
    }

    pub async fn organization_admins(
        &self,
        org_id: Uuid,
    ) -> StoreResult<Vec<(organization_admin::Model, account::Model)>> {
        let rows = organization_admin::Entity::find()
            .filter(organization_admin::Column::OrganizationId.eq(org_id))
            .order_by_asc(organization_admin::Column::GrantedAt)
            .all(&self.db)
            .await?;
        let ids: Vec<Uuid> = rows.iter().map(|r| r.account_id).collect();
        let accounts = account::Entity::find()
            .filter(account::Column::Id.is_in(ids))
            .all(&self.db)
            .await?;
        Ok(rows
            .into_iter()
            .filter_map(|r| {
                let a = accounts.iter().find(|a| a.id == r.account_id)?.clone();
                Some((r, a))
            })
            .collect())
    }

    /// Grants an admin seat within the cap of rule 8. The organisation row is locked so two
    /// admins granting at once cannot exceed the cap.
    pub async fn grant_organization_admin(
        &self,
        org_id: Uuid,
        account_id: Uuid,
        granted_by: Uuid,
        now: DateTime<Utc>,
    ) -> StoreResult<organization_admin::Model> {
        let txn = self.db.begin().await?;
        let mut q = organization::Entity::find_by_id(org_id);
        if self.is_postgres() {
            q = q.lock_exclusive();
        }
        let org = q.one(&txn).await?.ok_or(StoreError::NotFound)?;
        let already = organization_admin::Entity::find_by_id((org_id, account_id))
            .one(&txn)
            .await?;
        if already.is_some() {
            return Err(StoreError::Conflict {
                code: ProblemCode::AlreadyAdmin,
                message: "this account already holds an admin seat".into(),
            });
        }
        let cap = admin_seat_cap(org.approved_members.max(0) as u64) as i64;
        if org.admin_count >= cap {
            return Err(StoreError::Conflict {
                code: ProblemCode::AdminSeatCapReached,
                message: format!(
                    "{} approved members allow {cap} admin seat(s), all taken",
                    org.approved_members
                ),
            });
        }
        let seat = organization_admin::ActiveModel {
            organization_id: Set(org_id),
            account_id: Set(account_id),
            granted_by: Set(Some(granted_by)),
            granted_at: Set(now),
        }
        .insert(&txn)
        .await?;
        organization::Entity::update_many()
            .col_expr(
                organization::Column::AdminCount,
                Expr::col(organization::Column::AdminCount).add(1),
            )
            .filter(organization::Column::Id.eq(org_id))
            .exec(&txn)
            .await?;
        txn.commit().await?;
        self.access_changed();
        Ok(seat)
    }

    /// Revokes a seat; the last admin of an organisation cannot be removed.
    pub async fn revoke_organization_admin(
        &self,
        org_id: Uuid,
        account_id: Uuid,
    ) -> StoreResult<()> {
        let txn = self.db.begin().await?;
        let mut q = organization::Entity::find_by_id(org_id);
        if self.is_postgres() {
            q = q.lock_exclusive();
        }
        let org = q.one(&txn).await?.ok_or(StoreError::NotFound)?;
        let seat = organization_admin::Entity::find_by_id((org_id, account_id))
            .one(&txn)
            .await?
            .ok_or(StoreError::NotFound)?;
        if org.admin_count <= 1 {
            return Err(StoreError::Conflict {
                code: ProblemCode::LastAdmin,
                message: "an organisation keeps at least one admin".into(),
            });
        }
        organization_admin::Entity::delete_by_id((seat.organization_id, seat.account_id))
            .exec(&txn)
            .await?;
        organization::Entity::update_many()
            .col_expr(
                organization::Column::AdminCount,
                Expr::col(organization::Column::AdminCount).sub(1),
            )
            .filter(organization::Column::Id.eq(org_id))
            .exec(&txn)
            .await?;
        txn.commit().await?;
        self.access_changed();
        Ok(())
    }

    /// Whether `account_id` administers any of `org_ids`.
    pub async fn administers_any(&self, account_id: Uuid, org_ids: &[Uuid]) -> StoreResult<bool> {
        if org_ids.is_empty() {
            return Ok(false);
        }
        let n = organization_admin::Entity::find()
            .filter(organization_admin::Column::AccountId.eq(account_id))
            .filter(organization_admin::Column::OrganizationId.is_in(org_ids.to_vec()))
            .limit(1)
            .all(&self.db)
            .await?;
        Ok(!n.is_empty())
    }
}
