use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set, TransactionTrait};
use uuid::Uuid;
use zhihui_domain::MembershipStatus;

use crate::entities::{membership, organization, region, volunteer, volunteer_import};
use crate::repo::figures::{self, Changes, Delta};
use crate::repo::webhooks::emit;
use crate::{NewVolunteer, Store, StoreResult};
use zhihui_domain::integration::EventType;

/// A parsed row ready to store, with its row number.
pub struct ImportRow {
    pub row: u32,
    pub volunteer: NewVolunteer,
}

/// A row refused while storing (the person is registered but not in this team).
pub struct ImportRefusal {
    pub row: u32,
    pub code: &'static str,
    pub reason: String,
}

pub struct ImportMeta {
    pub organization_id: Uuid,
    pub file_name: String,
    pub file_sha256: String,
    pub format: zhihui_domain::TableFormat,
    pub total_rows: u32,
    pub created_by: Uuid,
}

impl Store {
    /// Which of these region codes exist.
    pub async fn existing_region_codes(
        &self,
        codes: &HashSet<String>,
    ) -> StoreResult<HashSet<String>> {
        let mut out = HashSet::new();
        let all: Vec<String> = codes.iter().cloned().collect();
        for chunk in all.chunks(500) {
            for r in region::Entity::find()
                .filter(region::Column::Code.is_in(chunk.to_vec()))
                .all(&self.db)
                .await?
            {
                out.insert(r.code);
            }
        }
        Ok(out)
    }

    /// Stores the valid rows of an import in one transaction: new people become approved
    /// members of the team; people already in the team are counted and left alone; people
    /// registered but not in the team are refused (they ask to join themselves).
    /// Returns (created, already members, refusals) and records the import with `errors_json`.
    pub async fn import_volunteers(
        &self,
        meta: ImportMeta,
        rows: Vec<ImportRow>,
        // Rows already refused while parsing (counted as failed).
        parse_errors: usize,
        errors_json: impl FnOnce(&[ImportRefusal]) -> String,
        now: DateTime<Utc>,
    ) -> StoreResult<volunteer_import::Model> {
        let txn = self.db.begin().await?;
        let org = meta.organization_id;
        // Existing people, by keyed hash.
        let hashes: Vec<String> = rows
            .iter()
            .map(|r| self.crypto.lookup_hash(&r.volunteer.id_number))
            .collect();
        let mut existing: HashMap<String, Uuid> = HashMap::new();
        for chunk in hashes.chunks(500) {
            for v in volunteer::Entity::find()
                .filter(volunteer::Column::IdNumberHash.is_in(chunk.to_vec()))
                .all(&txn)
                .await?
            {
                existing.insert(v.id_number_hash, v.id);
            }
        }
        let ids: Vec<Uuid> = existing.values().copied().collect();
        let mut in_team = HashSet::new();
        for chunk in ids.chunks(500) {
            for m in membership::Entity::find()
                .filter(membership::Column::OrganizationId.eq(org))
                .filter(membership::Column::VolunteerId.is_in(chunk.to_vec()))
                .filter(membership::Column::Status.is_in([
                    MembershipStatus::Pending.as_str(),
                    MembershipStatus::Approved.as_str(),
                ]))
                .all(&txn)
                .await?
            {
                in_team.insert(m.volunteer_id);
            }
        }
        let mut refusals = vec![];
        let mut already = 0u32;
        let mut fresh = vec![];
        for (r, hash) in rows.into_iter().zip(hashes) {
            match existing.get(&hash) {
                Some(id) if in_team.contains(id) => already += 1,
                Some(_) => refusals.push(ImportRefusal {
                    row: r.row,
                    code: "registered_elsewhere",
                    reason:
                        "this person is already registered; they ask to join the team themselves"
                            .into(),
                }),
                None => fresh.push(r),
            }
        }
        let created = fresh.len() as u32;
        let mut created_ids = Vec::with_capacity(fresh.len());
        if !fresh.is_empty() {
            let first = self.reserve_numbers(&txn, fresh.len() as i64).await?;
            let mut vols = Vec::with_capacity(fresh.len());
            let mut mems = Vec::with_capacity(fresh.len());
            for (i, r) in fresh.iter().enumerate() {
                let mut m = self.volunteer_model(
                    &r.volunteer,
                    Self::volunteer_number(first + i as i64, now),
                    now,
                );
                m.active_memberships = Set(1);
                let vid = Uuid::now_v7();
                m.id = Set(vid);
                created_ids.push(vid);
                vols.push(m);
                mems.push(membership::ActiveModel {
                    id: Set(Uuid::now_v7()),
                    volunteer_id: Set(vid),
                    organization_id: Set(org),
                    status: Set(MembershipStatus::Approved.into()),
                    reason: Set(None),
                    requested_at: Set(now),
                    decided_at: Set(Some(now)),
                    decided_by: Set(Some(meta.created_by)),
                });
            }
            crate::repo::insert_in_chunks(&txn, vols).await?;
            crate::repo::insert_in_chunks(&txn, mems).await?;
            organization::Entity::update_many()
                .col_expr(
                    organization::Column::ApprovedMembers,
                    Expr::col(organization::Column::ApprovedMembers).add(created as i64),
                )
                .filter(organization::Column::Id.eq(org))
                .exec(&txn)
                .await?;
        }
        let record = volunteer_import::ActiveModel {
            id: Set(Uuid::now_v7()),
            organization_id: Set(org),
            file_name: Set(meta.file_name),
            file_sha256: Set(meta.file_sha256),
            format: Set(meta.format.into()),
            status: Set("completed".into()),
            total_rows: Set(meta.total_rows as i32),
            created_count: Set(created as i32),
            existing_count: Set(already as i32),
            failed_count: Set((parse_errors + refusals.len()) as i32),
            errors: Set(errors_json(&refusals)),
            created_by: Set(meta.created_by),
            created_at: Set(now),
        }
        .insert(&txn)
        .await?;
        if created > 0 {
            emit(
                &txn,
                EventType::VolunteerImported,
                &[org],
                super::webhooks::resource_value(
                    &zhihui_contract::events::VolunteerImportResource {
                        kind: "volunteer_import".into(),
                        id: record.id,
                        organization_id: org,
                        total_rows: record.total_rows,
                        created: record.created_count,
                        already_members: record.existing_count,
                        failed: record.failed_count,
                        volunteer_ids: created_ids.clone(),
                        href: format!(
                            "/api/v1/organizations/{org}/volunteer-imports/{}",
                            record.id
                        ),
                    },
                ),
                now,
            )
            .await?;
            // The new members count in this month's figures: written last.
            Changes::one(
                org,
                figures::month_of(now),
                Delta::members(i64::from(created)),
            )
            .write(&txn)
            .await?;
        }
        txn.commit().await?;
        Ok(record)
    }

    pub async fn get_volunteer_import(
        &self,
        org_id: Uuid,
        id: Uuid,
    ) -> StoreResult<Option<volunteer_import::Model>> {
        Ok(volunteer_import::Entity::find_by_id(id)
            .filter(volunteer_import::Column::OrganizationId.eq(org_id))
            .one(&self.db)
            .await?)
    }
}
