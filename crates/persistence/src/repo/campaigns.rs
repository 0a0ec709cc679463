//! Collection campaigns (征集), rules 54-56.
//!
//! Every change to an organisation's entries locks its submission row first (`FOR UPDATE` on
//! PostgreSQL; SQLite has one writer), then the entry, and checks the domain's rules against
//! what it read inside the transaction: two admins of one society adding their third entry
//! at once keep the count exact, and an entry is never changed after the submission was
//! marked complete or the deadline passed.

use std::collections::HashMap;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, DatabaseTransaction, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set, TransactionTrait,
};
use uuid::Uuid;
use zhihui_contract::activities::ActivityPlan;
use zhihui_contract::events::CampaignResource;
use zhihui_domain::campaign::{
    addresses, campaign_transition, check_add_entry, check_complete, check_reopen,
    check_submission_open, check_update, entry_transition, guided_societies, is_late, CustomField,
    SubmissionFacts, REMIND_EVERY_HOURS,
};
use zhihui_domain::integration::EventType;
use zhihui_domain::{
    ActivityCategory, ActivityStatus, CampaignAction, CampaignStatus, EntryAction, EntryStatus,
    OrganizationCategory, OrganizationLevel, OrganizationStatus, ProblemCode, TransitionError,
};

use super::Actor;
use crate::entities::{
    activity, campaign, campaign_entry, campaign_submission, organization, organization_closure,
};
use crate::repo::webhooks::{emit, resource_value};
use crate::{Store, StoreError, StoreResult};

/// A campaign's details (a whole replacement), checked by the contract and the domain.
#[derive(Debug, Clone)]
pub struct CampaignContent {
    pub title: String,
    pub purpose: String,
    pub year: i32,
    pub categories: Vec<OrganizationCategory>,
    pub levels: Vec<OrganizationLevel>,
    pub min_entries: i32,
    pub custom_fields: Vec<CustomField>,
    pub deadline: NaiveDate,
}

/// An entry's content (a whole replacement), its custom values checked against the fields.
#[derive(Debug, Clone)]
pub struct EntryContent {
    pub title: String,
    pub topic: ActivityCategory,
    pub lead: String,
    pub planned_month: i32,
    pub place: String,
    pub expected_audience: i32,
    pub custom: Vec<(String, String)>,
}

#[derive(Debug, Default)]
pub struct CampaignFilter {
    /// Campaigns owned by one of these.
    pub owners_in: Option<Vec<Uuid>>,
    /// Campaigns addressed to one of these (open or closed).
    pub addressed_to_any: Option<Vec<Uuid>>,
    /// Owned by one of the first list or addressed to one of the second (a caller's own).
    pub mine: Option<(Vec<Uuid>, Vec<Uuid>)>,
    /// Drafts are left out unless their owner is one of these.
    pub drafts_of: Vec<Uuid>,
    pub status: Option<CampaignStatus>,
    pub year: Option<i32>,
    /// Keyset position: the last id of the previous page (newest first).
    pub before: Option<Uuid>,
    pub limit: u64,
}

#[derive(Debug, Default)]
pub struct EntryFilter {
    pub campaign_id: Uuid,
    pub organization_id: Option<Uuid>,
    /// Only entries of these organisations (a submitter sees its own).
    pub organizations_in: Option<Vec<Uuid>>,
    pub status: Option<EntryStatus>,
    pub planned_month: Option<i32>,
    /// Keyset position: organisation and id of the last entry of the previous page.
    pub after: Option<(Uuid, Uuid)>,
    pub limit: u64,
}

/// The domain's facts of one submission of one campaign, on `today`.
pub fn submission_facts(
    c: &campaign::Model,
    s: &campaign_submission::Model,
    today: NaiveDate,
) -> SubmissionFacts {
    SubmissionFacts {
        campaign: *c.status,
        deadline: c.deadline,
        reopened_until: s.reopened_until,
        completed: s.completed_on.is_some(),
        today,
    }
}

/// The custom fields a campaign defines (its JSON column).
pub fn custom_fields_of(c: &campaign::Model) -> Vec<CustomField> {
    serde_json::from_str(&c.custom_fields).unwrap_or_default()
}

/// The addressed categories and levels (the JSON columns).
pub fn addressees_of(c: &campaign::Model) -> (Vec<OrganizationCategory>, Vec<OrganizationLevel>) {
    let cats: Vec<String> = serde_json::from_str(&c.addressed_categories).unwrap_or_default();
    let levels: Vec<String> = serde_json::from_str(&c.addressed_levels).unwrap_or_default();
    (
        cats.iter()
            .filter_map(|s| OrganizationCategory::parse(s))
            .collect(),
        levels
            .iter()
            .filter_map(|s| OrganizationLevel::parse(s))
            .collect(),
    )
}

/// An entry's custom values (its JSON column), in the campaign's field order.
pub fn custom_values_of(e: &campaign_entry::Model) -> Vec<(String, String)> {
    serde_json::from_str(&e.custom).unwrap_or_default()
}

fn json_of<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "[]".into())
}

fn set_content(m: &mut campaign::ActiveModel, c: &CampaignContent) {
    m.title = Set(c.title.clone());
    m.purpose = Set(c.purpose.clone());
    m.year = Set(c.year);
    m.addressed_categories = Set(json_of(
        &c.categories.iter().map(|x| x.as_str()).collect::<Vec<_>>(),
    ));
    m.addressed_levels = Set(json_of(
        &c.levels.iter().map(|x| x.as_str()).collect::<Vec<_>>(),
    ));
    m.min_entries = Set(c.min_entries);
    m.custom_fields = Set(json_of(&c.custom_fields));
    m.deadline = Set(c.deadline);
}

fn set_entry(m: &mut campaign_entry::ActiveModel, c: &EntryContent) {
    m.title = Set(c.title.clone());
    m.topic = Set(c.topic.into());
    m.lead = Set(c.lead.clone());
    m.planned_month = Set(c.planned_month);
    m.place = Set(c.place.clone());
    m.expected_audience = Set(c.expected_audience);
    m.custom = Set(json_of(&c.custom));
}

/// What an announcement of a campaign's step says.
fn resource(
    c: &campaign::Model,
    s: Option<&campaign_submission::Model>,
    entry: Option<&campaign_entry::Model>,
) -> serde_json::Value {
    resource_value(&CampaignResource {
        kind: "campaign".into(),
        id: c.id,
        owner_id: c.owner_id,
        title: c.title.clone(),
        year: c.year,
        deadline: c.deadline,
        status: *c.status,
        min_entries: c.min_entries,
        organization_id: s.map(|s| s.organization_id),
        entries: s.map(|s| s.entries),
        completed_on: s.and_then(|s| s.completed_on),
        entry_id: entry.map(|e| e.id),
        activity_id: entry.and_then(|e| e.activity_id),
        href: format!("/api/v1/campaigns/{}", c.id),
    })
}

impl Store {
    pub async fn create_campaign(
        &self,
        owner_id: Uuid,
        c: &CampaignContent,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> StoreResult<campaign::Model> {
        let mut m = campaign::ActiveModel {
            id: Set(Uuid::now_v7()),
            owner_id: Set(owner_id),
            status: Set(CampaignStatus::Draft.into()),
            opened_at: Set(None),
            closed_at: Set(None),
            reminded_at: Set(None),
            created_by: Set(actor.account_id),
            created_at: Set(now),
            updated_at: Set(now),
            version: Set(1),
            ..Default::default()
        };
        set_content(&mut m, c);
        Ok(m.insert(&self.db).await?)
    }

    pub async fn get_campaign(&self, id: Uuid) -> StoreResult<Option<campaign::Model>> {
        Ok(campaign::Entity::find_by_id(id).one(&self.db).await?)
    }

    async fn lock_campaign(
        &self,
        txn: &DatabaseTransaction,
        id: Uuid,
    ) -> StoreResult<campaign::Model> {
        let mut q = campaign::Entity::find_by_id(id);
        if self.is_postgres() {
            q = q.lock_exclusive();
        }
        q.one(txn).await?.ok_or(StoreError::NotFound)
    }

    /// Replaces a campaign's details if the stored version is `expected_version`. An open
    /// campaign keeps its fields and addressees (`campaign_fields_fixed`).
    pub async fn update_campaign(
        &self,
        id: Uuid,
        expected_version: Option<i32>,
        c: &CampaignContent,
        now: DateTime<Utc>,
    ) -> StoreResult<campaign::Model> {
        let txn = self.db.begin().await?;
        let cur = self.lock_campaign(&txn, id).await?;
        if expected_version.is_some_and(|v| v != cur.version) {
            return Err(StoreError::VersionMismatch);
        }
        let (cats, levels) = addressees_of(&cur);
        let fixed_changed =
            cats != c.categories || levels != c.levels || custom_fields_of(&cur) != c.custom_fields;
        check_update(*cur.status, fixed_changed)?;
        let mut m: campaign::ActiveModel = cur.clone().into();
        set_content(&mut m, c);
        m.updated_at = Set(now);
        m.version = Set(cur.version + 1);
        let out = m.update(&txn).await?;
        txn.commit().await?;
        Ok(out)
    }

    /// The approved organisations below `owner` (and the societies it guides) that these
    /// categories and levels address.
    pub async fn campaign_addressees(
        &self,
        owner: Uuid,
        categories: &[OrganizationCategory],
        levels: &[OrganizationLevel],
    ) -> StoreResult<Vec<Uuid>> {
        self.addressees_in(&self.db, owner, categories, levels)
            .await
    }

    async fn addressees_in(
        &self,
        c: &impl sea_orm::ConnectionTrait,
        owner: Uuid,
        categories: &[OrganizationCategory],
        levels: &[OrganizationLevel],
    ) -> StoreResult<Vec<Uuid>> {
        let owner_org = organization::Entity::find_by_id(owner)
            .one(c)
            .await?
            .ok_or(StoreError::NotFound)?;
        let mut below: Vec<Uuid> = vec![];
        if let Some((category, digits)) = guided_societies(*owner_org.category) {
            let prefix: String = owner_org.region_code.chars().take(digits).collect();
            below = organization::Entity::find()
                .select_only()
                .column(organization::Column::Id)
                .filter(organization::Column::Category.eq(category.as_str()))
                .filter(super::region_prefix(
                    organization::Column::RegionCode,
                    &prefix,
                ))
                .into_tuple()
                .all(c)
                .await?;
        }
        let descendants: Vec<Uuid> = organization_closure::Entity::find()
            .select_only()
            .column(organization_closure::Column::DescendantId)
            .filter(organization_closure::Column::AncestorId.eq(owner))
            .filter(organization_closure::Column::Depth.gt(0))
            .into_tuple()
            .all(c)
            .await?;
        below.extend(descendants);
        below.sort();
        below.dedup();
        let mut out = vec![];
        for chunk in below.chunks(1000) {
            let rows: Vec<(Uuid, String, String)> = organization::Entity::find()
                .select_only()
                .column(organization::Column::Id)
                .column(organization::Column::Category)
                .column(organization::Column::Level)
                .filter(organization::Column::Id.is_in(chunk.to_vec()))
                .filter(organization::Column::Status.eq(OrganizationStatus::Approved.as_str()))
                .into_tuple()
                .all(c)
                .await?;
            out.extend(rows.into_iter().filter_map(|(id, cat, level)| {
                let cat = OrganizationCategory::parse(&cat)?;
                let level = OrganizationLevel::parse(&level)?;
                addresses(categories, levels, cat, level).then_some(id)
            }));
        }
        out.sort();
        Ok(out)
    }

    /// Opens a draft (rule 54): one submission for each organisation it addresses now, and
    /// `campaign.opened` to them.
    pub async fn open_campaign(
        &self,
        id: Uuid,
        expected_version: Option<i32>,
        now: DateTime<Utc>,
    ) -> StoreResult<(campaign::Model, usize)> {
        let txn = self.db.begin().await?;
        let cur = self.lock_campaign(&txn, id).await?;
        if expected_version.is_some_and(|v| v != cur.version) {
            return Err(StoreError::VersionMismatch);
        }
        let to = campaign_transition(*cur.status, CampaignAction::Open)?;
        let (cats, levels) = addressees_of(&cur);
        let orgs = self
            .addressees_in(&txn, cur.owner_id, &cats, &levels)
            .await?;
        if orgs.is_empty() {
            return Err(StoreError::Conflict {
                code: ProblemCode::CampaignAddressesNobody,
                message:
                    "no approved organisation below matches the campaign's categories and levels"
                        .into(),
            });
        }
        for chunk in orgs.chunks(500) {
            campaign_submission::Entity::insert_many(chunk.iter().map(|o| {
                campaign_submission::ActiveModel {
                    id: Set(Uuid::now_v7()),
                    campaign_id: Set(id),
                    organization_id: Set(*o),
                    entries: Set(0),
                    first_entry_at: Set(None),
                    completed_on: Set(None),
                    completed_at: Set(None),
                    late: Set(false),
                    reopened_until: Set(None),
                    updated_at: Set(now),
                    version: Set(1),
                }
            }))
            .exec(&txn)
            .await?;
        }
        let mut m: campaign::ActiveModel = cur.clone().into();
        m.status = Set(to.into());
        m.opened_at = Set(Some(now));
        m.updated_at = Set(now);
        m.version = Set(cur.version + 1);
        let out = m.update(&txn).await?;
        let mut told = orgs.clone();
        told.push(out.owner_id);
        emit(
            &txn,
            EventType::CampaignOpened,
            &told,
            resource(&out, None, None),
            now,
        )
        .await?;
        txn.commit().await?;
        Ok((out, orgs.len()))
    }

    /// Closes an open campaign: no more entries or reopening.
    pub async fn close_campaign(
        &self,
        id: Uuid,
        expected_version: Option<i32>,
        now: DateTime<Utc>,
    ) -> StoreResult<campaign::Model> {
        let txn = self.db.begin().await?;
        let cur = self.lock_campaign(&txn, id).await?;
        if expected_version.is_some_and(|v| v != cur.version) {
            return Err(StoreError::VersionMismatch);
        }
        let to = campaign_transition(*cur.status, CampaignAction::Close)?;
        let mut m: campaign::ActiveModel = cur.clone().into();
        m.status = Set(to.into());
        m.closed_at = Set(Some(now));
        m.updated_at = Set(now);
        m.version = Set(cur.version + 1);
        let out = m.update(&txn).await?;
        emit(
            &txn,
            EventType::CampaignClosed,
            &[out.owner_id],
            resource(&out, None, None),
            now,
        )
        .await?;
        txn.commit().await?;
        Ok(out)
    }

    /// Reminds every addressed organisation that is behind (`campaign.reminder`, one event
    /// each), at most once a day. Returns the organisations reminded.
    pub async fn remind_campaign(
        &self,
        id: Uuid,
        today: NaiveDate,
        now: DateTime<Utc>,
    ) -> StoreResult<Vec<Uuid>> {
        let txn = self.db.begin().await?;
        let cur = self.lock_campaign(&txn, id).await?;
        campaign_transition(*cur.status, CampaignAction::Remind)?;
        if let Some(at) = cur.reminded_at {
            if now < at + Duration::hours(REMIND_EVERY_HOURS) {
                return Err(StoreError::Conflict {
                    code: ProblemCode::RemindedRecently,
                    message: format!(
                        "a reminder went out at {}; the next one can go a day later",
                        at.format("%Y-%m-%d %H:%M UTC")
                    ),
                });
            }
        }
        let behind: Vec<campaign_submission::Model> = campaign_submission::Entity::find()
            .filter(campaign_submission::Column::CampaignId.eq(id))
            .filter(campaign_submission::Column::CompletedOn.is_null())
            .all(&txn)
            .await?
            .into_iter()
            .filter(|s| {
                zhihui_domain::campaign::is_behind(zhihui_domain::campaign::submission_state(
                    s.entries.max(0) as u64,
                    s.completed_on,
                    submission_facts(&cur, s, today),
                ))
            })
            .collect();
        for s in &behind {
            emit(
                &txn,
                EventType::CampaignReminder,
                &[s.organization_id],
                resource(&cur, Some(s), None),
                now,
            )
            .await?;
        }
        let mut m: campaign::ActiveModel = cur.clone().into();
        m.reminded_at = Set(Some(now));
        m.update(&txn).await?;
        txn.commit().await?;
        Ok(behind.iter().map(|s| s.organization_id).collect())
    }

    pub async fn list_campaigns(&self, f: CampaignFilter) -> StoreResult<Vec<campaign::Model>> {
        use campaign::Column as C;
        let addressed = |orgs: Vec<Uuid>| {
            C::Id.in_subquery(
                sea_orm::sea_query::Query::select()
                    .column(campaign_submission::Column::CampaignId)
                    .from(campaign_submission::Entity)
                    .and_where(campaign_submission::Column::OrganizationId.is_in(orgs))
                    .to_owned(),
            )
        };
        let mut q = campaign::Entity::find();
        if let Some(o) = f.owners_in {
            q = q.filter(C::OwnerId.is_in(o));
        }
        if let Some(a) = f.addressed_to_any {
            q = q.filter(addressed(a));
        }
        if let Some((owned, answering)) = f.mine {
            q = q.filter(
                Condition::any()
                    .add(C::OwnerId.is_in(owned))
                    .add(addressed(answering)),
            );
        }
        q = q.filter(
            Condition::any()
                .add(C::Status.ne(CampaignStatus::Draft.as_str()))
                .add(C::OwnerId.is_in(f.drafts_of)),
        );
        if let Some(s) = f.status {
            q = q.filter(C::Status.eq(s.as_str()));
        }
        if let Some(y) = f.year {
            q = q.filter(C::Year.eq(y));
        }
        if let Some(b) = f.before {
            q = q.filter(C::Id.lt(b));
        }
        Ok(q.order_by_desc(C::Id).limit(f.limit).all(&self.db).await?)
    }

    /// Every submission of a campaign, by organisation.
    pub async fn campaign_submissions(
        &self,
        campaign_id: Uuid,
    ) -> StoreResult<Vec<campaign_submission::Model>> {
        Ok(campaign_submission::Entity::find()
            .filter(campaign_submission::Column::CampaignId.eq(campaign_id))
            .order_by_asc(campaign_submission::Column::OrganizationId)
            .all(&self.db)
            .await?)
    }

    /// The submissions of these organisations to a campaign (the caller's own).
    pub async fn submissions_of(
        &self,
        campaign_id: Uuid,
        orgs: &[Uuid],
    ) -> StoreResult<Vec<campaign_submission::Model>> {
        if orgs.is_empty() {
            return Ok(vec![]);
        }
        Ok(campaign_submission::Entity::find()
            .filter(campaign_submission::Column::CampaignId.eq(campaign_id))
            .filter(campaign_submission::Column::OrganizationId.is_in(orgs.to_vec()))
            .order_by_asc(campaign_submission::Column::OrganizationId)
            .all(&self.db)
            .await?)
    }

    /// The submissions of these organisations to these campaigns (a page of campaigns the
    /// caller answers).
    pub async fn submissions_to(
        &self,
        campaigns: &[Uuid],
        orgs: &[Uuid],
    ) -> StoreResult<Vec<campaign_submission::Model>> {
        if campaigns.is_empty() || orgs.is_empty() {
            return Ok(vec![]);
        }
        Ok(campaign_submission::Entity::find()
            .filter(campaign_submission::Column::CampaignId.is_in(campaigns.to_vec()))
            .filter(campaign_submission::Column::OrganizationId.is_in(orgs.to_vec()))
            .order_by_asc(campaign_submission::Column::OrganizationId)
            .all(&self.db)
            .await?)
    }

    /// How many organisations each campaign addresses, and how many completed.
    pub async fn campaign_counts(&self, ids: &[Uuid]) -> StoreResult<HashMap<Uuid, (u64, u64)>> {
        let mut out: HashMap<Uuid, (u64, u64)> = HashMap::new();
        if ids.is_empty() {
            return Ok(out);
        }
        let rows: Vec<(Uuid, Option<NaiveDate>)> = campaign_submission::Entity::find()
            .select_only()
            .column(campaign_submission::Column::CampaignId)
            .column(campaign_submission::Column::CompletedOn)
            .filter(campaign_submission::Column::CampaignId.is_in(ids.to_vec()))
            .into_tuple()
            .all(&self.db)
            .await?;
        for (c, done) in rows {
            let e = out.entry(c).or_default();
            e.0 += 1;
            e.1 += u64::from(done.is_some());
        }
        Ok(out)
    }

    async fn lock_submission(
        &self,
        txn: &DatabaseTransaction,
        campaign_id: Uuid,
        org: Uuid,
    ) -> StoreResult<campaign_submission::Model> {
        let mut q = campaign_submission::Entity::find()
            .filter(campaign_submission::Column::CampaignId.eq(campaign_id))
            .filter(campaign_submission::Column::OrganizationId.eq(org));
        if self.is_postgres() {
            q = q.lock_exclusive();
        }
        q.one(txn).await?.ok_or(StoreError::Conflict {
            code: ProblemCode::NotAddressed,
            message: "the campaign does not ask this organisation".into(),
        })
    }

    async fn save_submission(
        txn: &DatabaseTransaction,
        s: &campaign_submission::Model,
        change: impl FnOnce(&mut campaign_submission::ActiveModel),
        now: DateTime<Utc>,
    ) -> StoreResult<campaign_submission::Model> {
        let mut m: campaign_submission::ActiveModel = s.clone().into();
        change(&mut m);
        m.updated_at = Set(now);
        m.version = Set(s.version + 1);
        Ok(m.update(txn).await?)
    }

    /// Adds an entry for `org` (rule 55): while its submission is open, up to the most one
    /// organisation submits.
    pub async fn add_campaign_entry(
        &self,
        campaign_id: Uuid,
        org: Uuid,
        content: &EntryContent,
        actor: &Actor,
        today: NaiveDate,
        now: DateTime<Utc>,
    ) -> StoreResult<campaign_entry::Model> {
        let txn = self.db.begin().await?;
        let c = campaign::Entity::find_by_id(campaign_id)
            .one(&txn)
            .await?
            .ok_or(StoreError::NotFound)?;
        let s = self.lock_submission(&txn, campaign_id, org).await?;
        check_add_entry(submission_facts(&c, &s, today), s.entries.max(0) as u64)?;
        let mut m = campaign_entry::ActiveModel {
            id: Set(Uuid::now_v7()),
            campaign_id: Set(campaign_id),
            organization_id: Set(org),
            status: Set(EntryStatus::Submitted.into()),
            activity_id: Set(None),
            created_by: Set(actor.account_id),
            created_at: Set(now),
            updated_at: Set(now),
            version: Set(1),
            ..Default::default()
        };
        set_entry(&mut m, content);
        let out = m.insert(&txn).await?;
        Self::save_submission(
            &txn,
            &s,
            |m| {
                m.entries = Set(s.entries + 1);
                if s.first_entry_at.is_none() {
                    m.first_entry_at = Set(Some(now));
                }
            },
            now,
        )
        .await?;
        txn.commit().await?;
        Ok(out)
    }

    pub async fn get_campaign_entry(&self, id: Uuid) -> StoreResult<Option<campaign_entry::Model>> {
        Ok(campaign_entry::Entity::find_by_id(id).one(&self.db).await?)
    }

    /// Locks an entry's submission, then the entry, checking the version read.
    async fn lock_entry(
        &self,
        txn: &DatabaseTransaction,
        id: Uuid,
        expected_version: Option<i32>,
    ) -> StoreResult<(
        campaign::Model,
        campaign_submission::Model,
        campaign_entry::Model,
    )> {
        let e = campaign_entry::Entity::find_by_id(id)
            .one(txn)
            .await?
            .ok_or(StoreError::NotFound)?;
        let c = campaign::Entity::find_by_id(e.campaign_id)
            .one(txn)
            .await?
            .ok_or(StoreError::NotFound)?;
        let s = self
            .lock_submission(txn, e.campaign_id, e.organization_id)
            .await?;
        let mut q = campaign_entry::Entity::find_by_id(id);
        if self.is_postgres() {
            q = q.lock_exclusive();
        }
        let e = q.one(txn).await?.ok_or(StoreError::NotFound)?;
        if expected_version.is_some_and(|v| v != e.version) {
            return Err(StoreError::VersionMismatch);
        }
        Ok((c, s, e))
    }

    /// Replaces an entry's content while its submission is open (rule 55).
    pub async fn update_campaign_entry(
        &self,
        id: Uuid,
        expected_version: Option<i32>,
        content: &EntryContent,
        today: NaiveDate,
        now: DateTime<Utc>,
    ) -> StoreResult<campaign_entry::Model> {
        let txn = self.db.begin().await?;
        let (c, s, e) = self.lock_entry(&txn, id, expected_version).await?;
        entry_transition(*e.status, EntryAction::Update)?;
        check_submission_open(submission_facts(&c, &s, today))?;
        let mut m: campaign_entry::ActiveModel = e.clone().into();
        set_entry(&mut m, content);
        m.updated_at = Set(now);
        m.version = Set(e.version + 1);
        let out = m.update(&txn).await?;
        txn.commit().await?;
        Ok(out)
    }

    /// Takes an entry back while its submission is open (rule 55).
    pub async fn withdraw_campaign_entry(
        &self,
        id: Uuid,
        expected_version: Option<i32>,
        today: NaiveDate,
        now: DateTime<Utc>,
    ) -> StoreResult<campaign_entry::Model> {
        let txn = self.db.begin().await?;
        let (c, s, e) = self.lock_entry(&txn, id, expected_version).await?;
        let to = entry_transition(*e.status, EntryAction::Withdraw)?;
        check_submission_open(submission_facts(&c, &s, today))?;
        let mut m: campaign_entry::ActiveModel = e.clone().into();
        m.status = Set(to.into());
        m.updated_at = Set(now);
        m.version = Set(e.version + 1);
        let out = m.update(&txn).await?;
        Self::save_submission(&txn, &s, |m| m.entries = Set((s.entries - 1).max(0)), now).await?;
        txn.commit().await?;
        Ok(out)
    }

    /// Marks `org`'s submission complete (rule 55): with at least the minimum, late when
    /// after the deadline; `campaign.submission_completed` to the owner.
    pub async fn complete_campaign_submission(
        &self,
        campaign_id: Uuid,
        org: Uuid,
        today: NaiveDate,
        now: DateTime<Utc>,
    ) -> StoreResult<campaign_submission::Model> {
        let txn = self.db.begin().await?;
        let c = campaign::Entity::find_by_id(campaign_id)
            .one(&txn)
            .await?
            .ok_or(StoreError::NotFound)?;
        let s = self.lock_submission(&txn, campaign_id, org).await?;
        check_complete(
            submission_facts(&c, &s, today),
            s.entries.max(0) as u64,
            c.min_entries,
        )?;
        let out = Self::save_submission(
            &txn,
            &s,
            |m| {
                m.completed_on = Set(Some(today));
                m.completed_at = Set(Some(now));
                m.late = Set(is_late(today, c.deadline));
            },
            now,
        )
        .await?;
        emit(
            &txn,
            EventType::CampaignSubmissionCompleted,
            &[c.owner_id, org],
            resource(&c, Some(&out), None),
            now,
        )
        .await?;
        txn.commit().await?;
        Ok(out)
    }

    /// Lets `org` change its entries again until `until` (the owner, rule 55); a completion
    /// is undone, to be marked again.
    pub async fn reopen_campaign_submission(
        &self,
        campaign_id: Uuid,
        org: Uuid,
        until: NaiveDate,
        today: NaiveDate,
        now: DateTime<Utc>,
    ) -> StoreResult<campaign_submission::Model> {
        let txn = self.db.begin().await?;
        let c = self.lock_campaign(&txn, campaign_id).await?;
        let s = self.lock_submission(&txn, campaign_id, org).await?;
        check_reopen(*c.status, until, today).map_err(|(_, e)| StoreError::from(e))?;
        let out = Self::save_submission(
            &txn,
            &s,
            |m| {
                m.reopened_until = Set(Some(until));
                m.completed_on = Set(None);
                m.completed_at = Set(None);
                m.late = Set(false);
            },
            now,
        )
        .await?;
        emit(
            &txn,
            EventType::CampaignSubmissionReopened,
            &[org, c.owner_id],
            resource(&c, Some(&out), None),
            now,
        )
        .await?;
        txn.commit().await?;
        Ok(out)
    }

    /// Accepts an entry (rule 56): the submitter's draft activity from `plan`, linked to the
    /// campaign; `campaign_entry.accepted` to the submitter.
    pub async fn accept_campaign_entry(
        &self,
        id: Uuid,
        expected_version: Option<i32>,
        plan: &ActivityPlan,
        created_by: Uuid,
        now: DateTime<Utc>,
    ) -> StoreResult<campaign_entry::Model> {
        let txn = self.db.begin().await?;
        let (c, s, e) = self.lock_entry(&txn, id, expected_version).await?;
        let to = entry_transition(*e.status, EntryAction::Accept)?;
        if *c.status == CampaignStatus::Draft {
            return Err(StoreError::from(TransitionError::new(
                ProblemCode::CampaignNotOpen,
                "the campaign is not open",
            )));
        }
        let activity_id = self
            .insert_draft_activity(&txn, e.organization_id, plan, created_by, Some(c.id), now)
            .await?;
        let mut m: campaign_entry::ActiveModel = e.clone().into();
        m.status = Set(to.into());
        m.activity_id = Set(Some(activity_id));
        m.updated_at = Set(now);
        m.version = Set(e.version + 1);
        let out = m.update(&txn).await?;
        emit(
            &txn,
            EventType::CampaignEntryAccepted,
            &[e.organization_id, c.owner_id],
            resource(&c, Some(&s), Some(&out)),
            now,
        )
        .await?;
        txn.commit().await?;
        Ok(out)
    }

    /// The status and end of each of these activities (accepted entries' stages).
    pub async fn activity_states(
        &self,
        ids: &[Uuid],
    ) -> StoreResult<HashMap<Uuid, (ActivityStatus, DateTime<Utc>)>> {
        let mut out = HashMap::new();
        for chunk in ids.chunks(1000) {
            let rows: Vec<(Uuid, String, DateTime<Utc>)> = activity::Entity::find()
                .select_only()
                .column(activity::Column::Id)
                .column(activity::Column::Status)
                .column(activity::Column::EndsAt)
                .filter(activity::Column::Id.is_in(chunk.to_vec()))
                .into_tuple()
                .all(&self.db)
                .await?;
            for (id, status, ends) in rows {
                if let Some(s) = ActivityStatus::parse(&status) {
                    out.insert(id, (s, ends));
                }
            }
        }
        Ok(out)
    }

    pub async fn list_campaign_entries(
        &self,
        f: EntryFilter,
    ) -> StoreResult<Vec<campaign_entry::Model>> {
        use campaign_entry::Column as C;
        let mut q = campaign_entry::Entity::find().filter(C::CampaignId.eq(f.campaign_id));
        if let Some(o) = f.organization_id {
            q = q.filter(C::OrganizationId.eq(o));
        }
        if let Some(o) = f.organizations_in {
            q = q.filter(C::OrganizationId.is_in(o));
        }
        if let Some(s) = f.status {
            q = q.filter(C::Status.eq(s.as_str()));
        }
        if let Some(m) = f.planned_month {
            q = q.filter(C::PlannedMonth.eq(m));
        }
        if let Some((org, id)) = f.after {
            q = q.filter(
                Condition::any().add(C::OrganizationId.gt(org)).add(
                    Condition::all()
                        .add(C::OrganizationId.eq(org))
                        .add(C::Id.gt(id)),
                ),
            );
        }
        Ok(q.order_by_asc(C::OrganizationId)
            .order_by_asc(C::Id)
            .limit(f.limit)
            .all(&self.db)
            .await?)
    }
}
