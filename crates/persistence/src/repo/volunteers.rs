use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseTransaction, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect, Set, TransactionTrait,
};
use uuid::Uuid;
use zhihui_domain::ProblemCode;
use zhihui_domain::{
    membership_transition, MembershipAction, MembershipStatus, MobilePhone, PersonName, RegionCode,
    ResidentIdNumber, MAX_ACTIVE_MEMBERSHIPS,
};

use crate::entities::{counter, membership, organization, volunteer};
use crate::repo::figures::{self, Changes, Delta};
use crate::repo::webhooks::emit;
use crate::{Store, StoreError, StoreResult};
use zhihui_domain::integration::EventType;

/// A membership as webhooks carry it.
fn membership_resource(m: &membership::Model) -> serde_json::Value {
    crate::repo::webhooks::resource_value(&zhihui_contract::events::MembershipResource {
        kind: "membership".into(),
        id: m.id,
        organization_id: m.organization_id,
        volunteer_id: m.volunteer_id,
        status: *m.status,
        requested_at: m.requested_at,
        decided_at: m.decided_at,
        reason: m.reason.clone(),
        href: format!("/api/v1/volunteers/{}", m.volunteer_id),
    })
}

/// A validated registration, in plain text; this repository encrypts what must be.
pub struct NewVolunteer {
    pub account_id: Option<Uuid>,
    pub name: String,
    pub id_number: String,
    pub id_number_masked: String,
    pub gender: zhihui_domain::Gender,
    pub birth_date: NaiveDate,
    pub phone: String,
    pub phone_masked: String,
    pub region_code: String,
    pub skills: Vec<String>,
    pub service_categories: Vec<zhihui_domain::ActivityCategory>,
    pub three_heads_role: Option<zhihui_domain::ThreeHeadsRole>,
    pub guardian: Option<(String, String, String, bool)>,
    pub consent_version: String,
    pub source: String,
}

impl NewVolunteer {
    /// The identity part, from parsed domain values; the caller fills in the rest.
    pub fn identity(
        name: &PersonName,
        id: &ResidentIdNumber,
        phone: &MobilePhone,
        region: &RegionCode,
        source: &str,
    ) -> Self {
        Self {
            account_id: None,
            name: name.as_str().to_string(),
            id_number: id.as_str().to_string(),
            id_number_masked: id.masked(),
            gender: id.gender(),
            birth_date: id.birth_date(),
            phone: phone.as_str().to_string(),
            phone_masked: phone.masked(),
            region_code: region.as_str().to_string(),
            skills: vec![],
            service_categories: vec![],
            three_heads_role: None,
            guardian: None,
            consent_version: String::new(),
            source: source.to_string(),
        }
    }
}

/// A membership with its volunteer, for member lists.
pub struct MemberRow {
    pub membership: membership::Model,
    pub volunteer: volunteer::Model,
}

fn duplicate_id() -> StoreError {
    StoreError::Conflict {
        code: ProblemCode::DuplicateIdNumber,
        message: "a volunteer with this ID number is already registered".into(),
    }
}

fn limit_reached() -> StoreError {
    StoreError::Conflict {
        code: ProblemCode::MembershipLimitReached,
        message: format!("a volunteer holds at most {MAX_ACTIVE_MEMBERSHIPS} active memberships"),
    }
}

/// The approved memberships of an organisation among these volunteers.
pub(crate) fn approved_members(
    org_id: Uuid,
    volunteer_ids: Vec<Uuid>,
) -> sea_orm::Select<membership::Entity> {
    membership::Entity::find()
        .filter(membership::Column::OrganizationId.eq(org_id))
        .filter(membership::Column::VolunteerId.is_in(volunteer_ids))
        .filter(membership::Column::Status.eq(MembershipStatus::Approved.as_str()))
}

impl Store {
    /// Reserves `n` consecutive volunteer numbers and returns the first.
    pub(crate) async fn reserve_numbers(
        &self,
        txn: &DatabaseTransaction,
        n: i64,
    ) -> StoreResult<i64> {
        let mut q = counter::Entity::find_by_id("volunteer_number".to_string());
        if self.is_postgres() {
            q = q.lock_exclusive();
        }
        let c = q.one(txn).await?.ok_or(StoreError::NotFound)?;
        counter::Entity::update_many()
            .col_expr(counter::Column::Value, Expr::value(c.value + n))
            .filter(counter::Column::Name.eq("volunteer_number"))
            .exec(txn)
            .await?;
        Ok(c.value + 1)
    }

    pub fn volunteer_number(seq: i64, now: DateTime<Utc>) -> String {
        format!("ZH{}{:08}", now.format("%Y"), seq)
    }

    pub(crate) fn volunteer_model(
        &self,
        v: &NewVolunteer,
        number: String,
        now: DateTime<Utc>,
    ) -> volunteer::ActiveModel {
        volunteer::ActiveModel {
            id: Set(Uuid::now_v7()),
            account_id: Set(v.account_id),
            volunteer_number: Set(number),
            name: Set(v.name.clone()),
            id_number_enc: Set(self.crypto.encrypt(&v.id_number)),
            id_number_hash: Set(self.crypto.lookup_hash(&v.id_number)),
            id_number_masked: Set(v.id_number_masked.clone()),
            gender: Set(v.gender.into()),
            birth_date: Set(v.birth_date),
            phone_enc: Set(self.crypto.encrypt(&v.phone)),
            phone_masked: Set(v.phone_masked.clone()),
            region_code: Set(v.region_code.clone()),
            skills: Set(serde_json::to_string(&v.skills).unwrap_or_else(|_| "[]".into())),
            service_categories: Set(
                serde_json::to_string(&v.service_categories).unwrap_or_else(|_| "[]".into())
            ),
            three_heads_role: Set(v.three_heads_role.map(Into::into)),
            guardian_name: Set(v.guardian.as_ref().map(|g| g.0.clone())),
            guardian_phone_enc: Set(v.guardian.as_ref().map(|g| self.crypto.encrypt(&g.1))),
            guardian_phone_masked: Set(v.guardian.as_ref().map(|g| g.2.clone())),
            guardian_consent: Set(v.guardian.as_ref().map(|g| g.3)),
            consent_version: Set(v.consent_version.clone()),
            consented_at: Set(now),
            source: Set(v.source.clone()),
            active_memberships: Set(0),
            created_at: Set(now),
        }
    }

    /// Registers a volunteer and asks to join the given teams, all or nothing.
    pub async fn create_volunteer(
        &self,
        v: NewVolunteer,
        join: &[Uuid],
        now: DateTime<Utc>,
    ) -> StoreResult<volunteer::Model> {
        let txn = self.db.begin().await?;
        if self
            .volunteer_id_by_hash_in(&txn, &self.crypto.lookup_hash(&v.id_number))
            .await?
            .is_some()
        {
            return Err(duplicate_id());
        }
        let seq = self.reserve_numbers(&txn, 1).await?;
        let model = self
            .volunteer_model(&v, Self::volunteer_number(seq, now), now)
            .insert(&txn)
            .await
            .map_err(|e| match StoreError::from(e) {
                StoreError::Conflict { message, .. } if message.contains("account") => {
                    StoreError::Conflict {
                        code: ProblemCode::VolunteerProfileExists,
                        message: "this account already has a volunteer profile".into(),
                    }
                }
                StoreError::Conflict { .. } => duplicate_id(),
                other => other,
            })?;
        for org in join {
            self.insert_membership(&txn, model.id, *org, MembershipStatus::Pending, None, now)
                .await?;
        }
        txn.commit().await?;
        self.get_volunteer(model.id)
            .await?
            .ok_or(StoreError::NotFound)
    }

    async fn volunteer_id_by_hash_in<C: ConnectionTrait>(
        &self,
        c: &C,
        hash: &str,
    ) -> StoreResult<Option<Uuid>> {
        Ok(volunteer::Entity::find()
            .filter(volunteer::Column::IdNumberHash.eq(hash))
            .one(c)
            .await?
            .map(|v| v.id))
    }

    async fn insert_membership(
        &self,
        txn: &DatabaseTransaction,
        volunteer_id: Uuid,
        org_id: Uuid,
        status: MembershipStatus,
        decided_by: Option<Uuid>,
        now: DateTime<Utc>,
    ) -> StoreResult<membership::Model> {
        let mut q = volunteer::Entity::find_by_id(volunteer_id);
        if self.is_postgres() {
            q = q.lock_exclusive();
        }
        let vol = q.one(txn).await?.ok_or(StoreError::NotFound)?;
        if vol.active_memberships as u64 >= MAX_ACTIVE_MEMBERSHIPS {
            return Err(limit_reached());
        }
        let m = membership::ActiveModel {
            id: Set(Uuid::now_v7()),
            volunteer_id: Set(volunteer_id),
            organization_id: Set(org_id),
            status: Set(status.into()),
            reason: Set(None),
            requested_at: Set(now),
            decided_at: Set(decided_by.map(|_| now)),
            decided_by: Set(decided_by),
        }
        .insert(txn)
        .await
        .map_err(|e| match StoreError::from(e) {
            StoreError::Conflict { .. } => StoreError::Conflict {
                code: ProblemCode::AlreadyMember,
                message: "the volunteer already has a pending or approved membership of this team"
                    .into(),
            },
            other => other,
        })?;
        volunteer::Entity::update_many()
            .col_expr(
                volunteer::Column::ActiveMemberships,
                Expr::col(volunteer::Column::ActiveMemberships).add(1),
            )
            .filter(volunteer::Column::Id.eq(volunteer_id))
            .exec(txn)
            .await?;
        if status == MembershipStatus::Approved {
            bump_members(txn, org_id, 1).await?;
            Changes::one(org_id, figures::month_of(now), Delta::members(1))
                .write(txn)
                .await?;
        } else {
            emit(
                txn,
                EventType::MembershipRequested,
                &[org_id],
                membership_resource(&m),
                now,
            )
            .await?;
        }
        Ok(m)
    }

    pub async fn request_membership(
        &self,
        volunteer_id: Uuid,
        org_id: Uuid,
        now: DateTime<Utc>,
    ) -> StoreResult<membership::Model> {
        let txn = self.db.begin().await?;
        let m = self
            .insert_membership(
                &txn,
                volunteer_id,
                org_id,
                MembershipStatus::Pending,
                None,
                now,
            )
            .await?;
        txn.commit().await?;
        Ok(m)
    }

    /// Approves or rejects a pending membership; a concurrent second decision sees `Conflict`.
    pub async fn decide_membership(
        &self,
        org_id: Uuid,
        membership_id: Uuid,
        action: MembershipAction,
        reason: Option<String>,
        by: Uuid,
        now: DateTime<Utc>,
    ) -> StoreResult<membership::Model> {
        let txn = self.db.begin().await?;
        let current = membership::Entity::find_by_id(membership_id)
            .filter(membership::Column::OrganizationId.eq(org_id))
            .one(&txn)
            .await?
            .ok_or(StoreError::NotFound)?;
        let from = *current.status;
        let to = membership_transition(from, action)?;
        let approve = to == MembershipStatus::Approved;
        let res = membership::Entity::update_many()
            .col_expr(membership::Column::Status, Expr::value(to.as_str()))
            .col_expr(membership::Column::Reason, Expr::value(reason))
            .col_expr(membership::Column::DecidedAt, Expr::value(now))
            .col_expr(membership::Column::DecidedBy, Expr::value(by))
            .filter(membership::Column::Id.eq(membership_id))
            .filter(membership::Column::Status.eq(from.as_str()))
            .exec(&txn)
            .await?;
        if res.rows_affected == 0 {
            // A concurrent decision won: the rule's refusal for the state it left.
            let now_is = membership::Entity::find_by_id(membership_id)
                .one(&txn)
                .await?
                .map(|m| *m.status);
            return Err(now_is
                .and_then(|s| membership_transition(s, action).err())
                .map_or(
                    StoreError::Contention("the membership changed".into()),
                    Into::into,
                ));
        }
        if approve {
            bump_members(&txn, org_id, 1).await?;
        } else {
            volunteer::Entity::update_many()
                .col_expr(
                    volunteer::Column::ActiveMemberships,
                    Expr::col(volunteer::Column::ActiveMemberships).sub(1),
                )
                .filter(volunteer::Column::Id.eq(current.volunteer_id))
                .exec(&txn)
                .await?;
        }
        let m = membership::Entity::find_by_id(membership_id)
            .one(&txn)
            .await?
            .ok_or(StoreError::NotFound)?;
        if approve {
            emit(
                &txn,
                EventType::MembershipApproved,
                &[org_id],
                membership_resource(&m),
                now,
            )
            .await?;
            Changes::one(org_id, figures::month_of(now), Delta::members(1))
                .write(&txn)
                .await?;
        } else {
            emit(
                &txn,
                EventType::MembershipRejected,
                &[org_id],
                membership_resource(&m),
                now,
            )
            .await?;
        }
        txn.commit().await?;
        Ok(m)
    }

    /// Ends the volunteer's active membership of a team.
    pub async fn leave_organization(
        &self,
        volunteer_id: Uuid,
        org_id: Uuid,
        now: DateTime<Utc>,
    ) -> StoreResult<membership::Model> {
        let txn = self.db.begin().await?;
        let current = membership::Entity::find()
            .filter(membership::Column::VolunteerId.eq(volunteer_id))
            .filter(membership::Column::OrganizationId.eq(org_id))
            .filter(membership::Column::Status.is_in([
                MembershipStatus::Pending.as_str(),
                MembershipStatus::Approved.as_str(),
            ]))
            .one(&txn)
            .await?
            .ok_or(StoreError::NotFound)?;
        let from = *current.status;
        let to = membership_transition(from, MembershipAction::Leave)?;
        let res = membership::Entity::update_many()
            .col_expr(membership::Column::Status, Expr::value(to.as_str()))
            .col_expr(membership::Column::DecidedAt, Expr::value(now))
            .filter(membership::Column::Id.eq(current.id))
            .filter(membership::Column::Status.eq(current.status.as_str()))
            .exec(&txn)
            .await?;
        if res.rows_affected == 0 {
            return Err(StoreError::NotFound);
        }
        volunteer::Entity::update_many()
            .col_expr(
                volunteer::Column::ActiveMemberships,
                Expr::col(volunteer::Column::ActiveMemberships).sub(1),
            )
            .filter(volunteer::Column::Id.eq(volunteer_id))
            .exec(&txn)
            .await?;
        if current.status == MembershipStatus::Approved {
            bump_members(&txn, org_id, -1).await?;
        }
        let m = membership::Entity::find_by_id(current.id)
            .one(&txn)
            .await?
            .ok_or(StoreError::NotFound)?;
        // An approval counts in its month's new volunteers while it stands.
        if let (true, Some(approved_at)) = (
            current.status == MembershipStatus::Approved,
            current.decided_at,
        ) {
            Changes::one(org_id, figures::month_of(approved_at), Delta::members(-1))
                .write(&txn)
                .await?;
        }
        txn.commit().await?;
        Ok(m)
    }

    pub async fn get_volunteer(&self, id: Uuid) -> StoreResult<Option<volunteer::Model>> {
        Ok(volunteer::Entity::find_by_id(id).one(&self.db).await?)
    }

    pub async fn volunteer_by_account(
        &self,
        account_id: Uuid,
    ) -> StoreResult<Option<volunteer::Model>> {
        Ok(volunteer::Entity::find()
            .filter(volunteer::Column::AccountId.eq(account_id))
            .one(&self.db)
            .await?)
    }

    /// Memberships of a volunteer with the team names, newest first.
    pub async fn memberships_of(
        &self,
        volunteer_id: Uuid,
    ) -> StoreResult<Vec<(membership::Model, String)>> {
        let ms = membership::Entity::find()
            .filter(membership::Column::VolunteerId.eq(volunteer_id))
            .order_by_desc(membership::Column::Id)
            .all(&self.db)
            .await?;
        let ids: Vec<Uuid> = ms.iter().map(|m| m.organization_id).collect();
        let orgs = self.organizations_by_ids(&ids).await?;
        Ok(ms
            .into_iter()
            .map(|m| {
                let name = orgs
                    .iter()
                    .find(|o| o.id == m.organization_id)
                    .map(|o| o.name.clone())
                    .unwrap_or_default();
                (m, name)
            })
            .collect())
    }

    pub async fn get_membership(
        &self,
        org_id: Uuid,
        id: Uuid,
    ) -> StoreResult<Option<membership::Model>> {
        Ok(membership::Entity::find_by_id(id)
            .filter(membership::Column::OrganizationId.eq(org_id))
            .one(&self.db)
            .await?)
    }

    /// Names of volunteers by id, in one query.
    pub async fn volunteer_names(
        &self,
        ids: &[Uuid],
    ) -> StoreResult<std::collections::HashMap<Uuid, String>> {
        if ids.is_empty() {
            return Ok(Default::default());
        }
        Ok(volunteer::Entity::find()
            .filter(volunteer::Column::Id.is_in(ids.to_vec()))
            .select_only()
            .column(volunteer::Column::Id)
            .column(volunteer::Column::Name)
            .into_tuple::<(Uuid, String)>()
            .all(&self.db)
            .await?
            .into_iter()
            .collect())
    }

    /// Which of these volunteers are approved members of the organisation.
    pub async fn approved_members_among(
        &self,
        org_id: Uuid,
        volunteer_ids: &[Uuid],
    ) -> StoreResult<Vec<Uuid>> {
        if volunteer_ids.is_empty() {
            return Ok(vec![]);
        }
        Ok(approved_members(org_id, volunteer_ids.to_vec())
            .select_only()
            .column(membership::Column::VolunteerId)
            .into_tuple()
            .all(&self.db)
            .await?)
    }

    /// Organisation ids whose admins may see the volunteer: those where a membership's
    /// state reveals the volunteer (`MembershipStatus::reveals_volunteer`: a current member
    /// or a pending request, not a former member or a refused request).
    pub async fn organizations_of_volunteer(&self, volunteer_id: Uuid) -> StoreResult<Vec<Uuid>> {
        use zhihui_domain::MembershipStatus;
        let revealing = MembershipStatus::ALL
            .iter()
            .filter(|s| s.reveals_volunteer())
            .map(|s| s.as_str());
        Ok(membership::Entity::find()
            .select_only()
            .column(membership::Column::OrganizationId)
            .filter(membership::Column::VolunteerId.eq(volunteer_id))
            .filter(membership::Column::Status.is_in(revealing))
            .into_tuple()
            .all(&self.db)
            .await?)
    }

    pub async fn list_members(
        &self,
        org_id: Uuid,
        status: Option<MembershipStatus>,
        text: Option<&str>,
        after: Option<Uuid>,
        limit: u64,
    ) -> StoreResult<Vec<MemberRow>> {
        let mut q =
            membership::Entity::find().filter(membership::Column::OrganizationId.eq(org_id));
        if let Some(s) = status {
            q = q.filter(membership::Column::Status.eq(s.as_str()));
        }
        if let Some(t) = text {
            q = q.filter(
                Condition::any()
                    .add(super::contains_text(volunteer::Column::Name, t))
                    .add(volunteer::Column::VolunteerNumber.eq(t)),
            );
        }
        if let Some(a) = after {
            q = q.filter(membership::Column::Id.gt(a));
        }
        let rows = q
            .order_by_asc(membership::Column::Id)
            .limit(limit)
            .find_also_related(volunteer::Entity)
            .all(&self.db)
            .await?;
        Ok(rows
            .into_iter()
            .filter_map(|(m, v)| {
                v.map(|v| MemberRow {
                    membership: m,
                    volunteer: v,
                })
            })
            .collect())
    }
}

async fn bump_members(txn: &DatabaseTransaction, org_id: Uuid, delta: i64) -> StoreResult<()> {
    organization::Entity::update_many()
        .col_expr(
            organization::Column::ApprovedMembers,
            Expr::col(organization::Column::ApprovedMembers).add(delta),
        )
        .filter(organization::Column::Id.eq(org_id))
        .exec(txn)
        .await?;
    Ok(())
}
