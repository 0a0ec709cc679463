//! Service records (rule 23), volunteer summaries (rule 24), annual recognition (rule 26)
//! and service certificates (rule 25).

use std::collections::BTreeMap;
use zhihui_domain::{ProblemCode, RecordOutcome};

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, Func};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseTransaction, EntityTrait,
    JoinType, QueryFilter, QueryOrder, QuerySelect, RelationTrait, Set, TransactionTrait,
};
use uuid::Uuid;
use zhihui_domain::{
    certificate_transition, ActivityStatus, CertificateAction, CertificateStatus, MembershipStatus,
    Month,
};

use crate::entities::{
    activity, certificate, counter, membership, service_record, service_record_change, volunteer,
};
use crate::repo::figures::{Changes, Delta};
use crate::repo::volunteer_totals::{self, TotalsChanges};
use crate::repo::webhooks::emit;
use crate::{Store, StoreError, StoreResult};
use zhihui_domain::integration::EventType;

/// Hours for one participant, as the organisation confirms them.
pub struct HoursEntry {
    pub sign_up_id: Uuid,
    pub volunteer_id: Uuid,
    pub tenths: i32,
    /// Required when an existing record's hours change.
    pub reason: Option<String>,
}

/// What the activity contributes to each record it produces.
pub struct RecordContext {
    pub activity: activity::Model,
    pub service_date: NaiveDate,
    pub responsible_person: String,
    pub confirmed_by: Uuid,
}

/// The outcome for one participant.
pub struct Confirmed {
    pub record: service_record::Model,
    /// `created`, `corrected` or `unchanged`.
    pub outcome: RecordOutcome,
}

#[derive(Default)]
pub struct RecordFilter {
    pub volunteer_id: Option<Uuid>,
    pub organization_id: Option<Uuid>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// Keyset position: (service date, id) of the last record of the previous page.
    pub before: Option<(NaiveDate, Uuid)>,
    pub limit: u64,
}

/// Totals over confirmed service records.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Totals {
    pub tenths: i64,
    pub activities: i64,
}

/// A volunteer's totals with what the summary names them by.
#[derive(Debug, Clone)]
pub struct VolunteerTotals {
    pub volunteer_id: Uuid,
    pub account_id: Option<Uuid>,
    pub volunteer_number: String,
    pub name: String,
    pub all: Totals,
    /// In the year asked for.
    pub in_year: Totals,
}

/// A member meeting the annual thresholds.
pub struct Nominee {
    pub volunteer_id: Uuid,
    pub name: String,
    pub volunteer_number: String,
    pub totals: Totals,
}

/// What an organisation recorded for one volunteer over a period.
pub struct RecordedService {
    pub totals: Totals,
    pub first: Option<NaiveDate>,
    pub last: Option<NaiveDate>,
    /// Distinct activity titles, most recent first.
    pub titles: Vec<String>,
}

pub struct NewCertificate {
    pub volunteer: volunteer::Model,
    pub organization_id: Uuid,
    pub issuer_name: String,
    pub responsible_person: String,
    pub handler_name: String,
    pub contact_phone: String,
    pub service: RecordedService,
    pub period_from: NaiveDate,
    pub period_to: NaiveDate,
    pub content: String,
    pub issued_by: Uuid,
    pub issue_date: NaiveDate,
    /// Makes the number unguessable: `ZHC-{year}-{seq:08}-{suffix}`; computed by the caller
    /// from the sequence (a keyed hash).
    pub suffix: Box<dyn Fn(&str) -> String + Send + Sync>,
}

impl Store {
    /// Reserves `n` numbers of a named counter; returns the first.
    pub(crate) async fn reserve_counter(
        &self,
        txn: &DatabaseTransaction,
        name: &str,
        n: i64,
    ) -> StoreResult<i64> {
        let mut q = counter::Entity::find_by_id(name.to_string());
        if self.is_postgres() {
            q = q.lock_exclusive();
        }
        let c = q.one(txn).await?.ok_or(StoreError::NotFound)?;
        counter::Entity::update_many()
            .col_expr(counter::Column::Value, Expr::value(c.value + n))
            .filter(counter::Column::Name.eq(name))
            .exec(txn)
            .await?;
        Ok(c.value + 1)
    }

    /// Creates or corrects service records for an activity's participants in one transaction.
    pub async fn confirm_hours(
        &self,
        ctx: &RecordContext,
        entries: Vec<HoursEntry>,
        now: DateTime<Utc>,
    ) -> StoreResult<Vec<Confirmed>> {
        // Records are locked in one order (by sign-up) whatever order the request lists
        // them in, so that two confirmations of overlapping participants cannot deadlock.
        let mut entries = entries;
        entries.sort_by_key(|e| e.sign_up_id);
        let txn = self.db.begin().await?;
        let mut out = Vec::with_capacity(entries.len());
        let a = &ctx.activity;
        // Confirmations of one activity take turns: whether a record is a volunteer's first
        // of the activity (which the kept totals count) is then read after every earlier
        // confirmation of it has committed.
        if self.is_postgres() {
            activity::Entity::find_by_id(a.id)
                .select_only()
                .column(activity::Column::Id)
                .lock_exclusive()
                .into_tuple::<Uuid>()
                .one(&txn)
                .await?;
        }
        // What the confirmation adds to the organisation's figures for the month, and to
        // each volunteer's totals.
        let mut added = Delta::default();
        let mut totals = TotalsChanges::default();
        let mut created: BTreeMap<Uuid, i64> = BTreeMap::new();
        for e in entries {
            // Locked, so that two admins correcting the same hours at once are applied one
            // after the other, each correction recording the hours it replaced.
            let mut q = service_record::Entity::find()
                .filter(service_record::Column::SignUpId.eq(e.sign_up_id));
            if self.is_postgres() {
                q = q.lock_exclusive();
            }
            let existing = q.one(&txn).await?;
            match existing {
                None => {
                    let r = service_record::ActiveModel {
                        id: Set(Uuid::now_v7()),
                        sign_up_id: Set(e.sign_up_id),
                        volunteer_id: Set(e.volunteer_id),
                        activity_id: Set(a.id),
                        organization_id: Set(a.organization_id),
                        activity_title: Set(a.title.clone()),
                        category: Set(a.category),
                        service_date: Set(ctx.service_date),
                        place: Set(a.place.clone()),
                        content: Set(a.description.chars().take(500).collect()),
                        hours_tenths: Set(e.tenths),
                        responsible_person: Set(ctx.responsible_person.clone()),
                        confirmed_by: Set(ctx.confirmed_by),
                        confirmed_at: Set(now),
                        updated_at: Set(now),
                    }
                    .insert(&txn)
                    .await
                    .map_err(|err| match StoreError::from(err) {
                        StoreError::Conflict { .. } => StoreError::Conflict {
                            code: ProblemCode::HoursBeingConfirmed,
                            message: "these hours were confirmed at the same moment; reload".into(),
                        },
                        other => other,
                    })?;
                    added.attendances += 1;
                    added.hours_tenths += i64::from(r.hours_tenths);
                    totals.hours(r.volunteer_id, r.service_date, r.hours_tenths.into());
                    *created.entry(r.volunteer_id).or_default() += 1;
                    out.push(Confirmed {
                        record: r,
                        outcome: RecordOutcome::Created,
                    });
                }
                Some(r) if r.hours_tenths == e.tenths => out.push(Confirmed {
                    record: r,
                    outcome: RecordOutcome::Unchanged,
                }),
                Some(r) => {
                    let Some(reason) = e.reason.clone() else {
                        return Err(StoreError::Conflict {
                            code: ProblemCode::CorrectionReasonRequired,
                            message: "changing confirmed hours needs a reason".into(),
                        });
                    };
                    service_record_change::ActiveModel {
                        id: Set(Uuid::now_v7()),
                        record_id: Set(r.id),
                        changed_by: Set(ctx.confirmed_by),
                        changed_at: Set(now),
                        reason: Set(reason),
                        old_tenths: Set(r.hours_tenths),
                        new_tenths: Set(e.tenths),
                    }
                    .insert(&txn)
                    .await?;
                    let change = i64::from(e.tenths) - i64::from(r.hours_tenths);
                    added.hours_tenths += change;
                    totals.hours(r.volunteer_id, r.service_date, change);
                    let mut m: service_record::ActiveModel = r.into();
                    m.hours_tenths = Set(e.tenths);
                    m.updated_at = Set(now);
                    out.push(Confirmed {
                        record: m.update(&txn).await?,
                        outcome: RecordOutcome::Corrected,
                    });
                }
            }
        }
        let changed: Vec<zhihui_contract::events::ServiceRecordChange> = out
            .iter()
            .filter(|c| c.outcome != RecordOutcome::Unchanged)
            .map(|c| zhihui_contract::events::ServiceRecordChange {
                record_id: c.record.id,
                volunteer_id: c.record.volunteer_id,
                hours_tenths: c.record.hours_tenths,
                outcome: c.outcome,
            })
            .collect();
        if !changed.is_empty() {
            let resource =
                super::webhooks::resource_value(&zhihui_contract::events::ServiceRecordsResource {
                    kind: "activity_service_records".into(),
                    activity_id: a.id,
                    organization_id: a.organization_id,
                    service_date: ctx.service_date,
                    records: changed,
                    href: format!(
                        "/api/v1/service-records?organization_id={}&from={d}&to={d}",
                        a.organization_id,
                        d = ctx.service_date
                    ),
                });
            emit(
                &txn,
                EventType::HoursConfirmed,
                &[a.organization_id],
                resource,
                now,
            )
            .await?;
        }
        // A volunteer's new records are their first of the activity when they are all the
        // records they have of it (over all time, and in the service date's year).
        if !created.is_empty() {
            let had =
                volunteer_totals::records_of_activity(&txn, a.id, ctx.service_date.year()).await?;
            for (volunteer, new) in created {
                let (all, in_year) = had.get(&volunteer).copied().unwrap_or((new, new));
                totals.first_record(volunteer, ctx.service_date, all == new, in_year == new);
            }
        }
        if out.iter().any(|c| c.outcome == RecordOutcome::Created) {
            let actor = super::Actor {
                account_id: ctx.confirmed_by,
                name: ctx.responsible_person.clone(),
            };
            self.serve_need_of_activity(&txn, a.id, now, &actor).await?;
        }
        totals.write(&txn).await?;
        Changes::one(a.organization_id, Month::of(ctx.service_date), added)
            .write(&txn)
            .await?;
        txn.commit().await?;
        Ok(out)
    }

    /// Which of these activities have confirmed hours (one query).
    pub async fn activities_with_records(
        &self,
        activity_ids: &[Uuid],
    ) -> StoreResult<std::collections::HashSet<Uuid>> {
        if activity_ids.is_empty() {
            return Ok(Default::default());
        }
        let ids: Vec<Uuid> = service_record::Entity::find()
            .select_only()
            .column(service_record::Column::ActivityId)
            .distinct()
            .filter(service_record::Column::ActivityId.is_in(activity_ids.to_vec()))
            .into_tuple()
            .all(&self.db)
            .await?;
        Ok(ids.into_iter().collect())
    }

    /// Records of an activity by sign-up id.
    pub async fn records_of_activity(
        &self,
        activity_id: Uuid,
    ) -> StoreResult<Vec<service_record::Model>> {
        Ok(service_record::Entity::find()
            .filter(service_record::Column::ActivityId.eq(activity_id))
            .all(&self.db)
            .await?)
    }

    /// Corrections of records, oldest first.
    pub async fn record_changes(
        &self,
        record_ids: &[Uuid],
    ) -> StoreResult<Vec<service_record_change::Model>> {
        if record_ids.is_empty() {
            return Ok(vec![]);
        }
        Ok(service_record_change::Entity::find()
            .filter(service_record_change::Column::RecordId.is_in(record_ids.to_vec()))
            .order_by_asc(service_record_change::Column::Id)
            .all(&self.db)
            .await?)
    }

    /// Records, newest service date first.
    pub async fn list_service_records(
        &self,
        f: &RecordFilter,
    ) -> StoreResult<Vec<(service_record::Model, String)>> {
        let mut q = service_record::Entity::find();
        if let Some(v) = f.volunteer_id {
            q = q.filter(service_record::Column::VolunteerId.eq(v));
        }
        if let Some(v) = f.organization_id {
            q = q.filter(service_record::Column::OrganizationId.eq(v));
        }
        if let Some(v) = f.from {
            q = q.filter(service_record::Column::ServiceDate.gte(v));
        }
        if let Some(v) = f.to {
            q = q.filter(service_record::Column::ServiceDate.lte(v));
        }
        if let Some((d, id)) = f.before {
            q = q.filter(
                Condition::any()
                    .add(service_record::Column::ServiceDate.lt(d))
                    .add(
                        Condition::all()
                            .add(service_record::Column::ServiceDate.eq(d))
                            .add(service_record::Column::Id.lt(id)),
                    ),
            );
        }
        let rows = q
            .order_by_desc(service_record::Column::ServiceDate)
            .order_by_desc(service_record::Column::Id)
            .limit(f.limit)
            .all(&self.db)
            .await?;
        let vids: Vec<Uuid> = rows.iter().map(|r| r.volunteer_id).collect();
        let names = self.volunteer_names(&vids).await?;
        Ok(rows
            .into_iter()
            .map(|r| {
                let n = names.get(&r.volunteer_id).cloned().unwrap_or_default();
                (r, n)
            })
            .collect())
    }

    /// Hours and distinct activities of a volunteer's records, optionally within dates and
    /// for one organisation. One aggregate query on `ix_service_records_volunteer_date`.
    pub async fn volunteer_totals(
        &self,
        volunteer_id: Uuid,
        organization_id: Option<Uuid>,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
    ) -> StoreResult<Totals> {
        let mut q = service_record::Entity::find()
            .filter(service_record::Column::VolunteerId.eq(volunteer_id));
        if let Some(o) = organization_id {
            q = q.filter(service_record::Column::OrganizationId.eq(o));
        }
        if let Some(d) = from {
            q = q.filter(service_record::Column::ServiceDate.gte(d));
        }
        if let Some(d) = to {
            q = q.filter(service_record::Column::ServiceDate.lte(d));
        }
        let (tenths, activities): (Option<i64>, i64) = q
            .select_only()
            .column_as(
                Expr::expr(Func::sum(Expr::col(service_record::Column::HoursTenths))),
                "tenths",
            )
            .column_as(
                Expr::expr(Func::count_distinct(Expr::col(
                    service_record::Column::ActivityId,
                ))),
                "activities",
            )
            .into_tuple()
            .one(&self.db)
            .await?
            .unwrap_or((None, 0));
        Ok(Totals {
            tenths: tenths.unwrap_or(0),
            activities,
        })
    }

    /// A volunteer's name and number with their kept totals over all time and in `year`
    /// (`repo::volunteer_totals`): one statement reading the volunteer and at most two
    /// totals rows by key, nothing aggregated. `None` when there is no such volunteer.
    pub async fn volunteer_summary(
        &self,
        volunteer_id: Uuid,
        year: i32,
    ) -> StoreResult<Option<VolunteerTotals>> {
        let mut b = super::Binder::new(self.db.get_database_backend());
        let v = b.bind(volunteer_id);
        let all = b.bind(volunteer_totals::ALL_TIME);
        let y = b.bind(volunteer_totals::year_period(year));
        let sql = format!(
            "SELECT v.id, v.account_id, v.volunteer_number, v.name, \
                    t.period, t.hours_tenths, t.activities \
             FROM volunteers v LEFT JOIN {} t \
               ON t.volunteer_id = v.id AND t.period IN ({all}, {y}) \
             WHERE v.id = {v}",
            volunteer_totals::TABLE
        );
        let rows = self.db.query_all(b.statement(sql)).await?;
        let Some(first) = rows.first() else {
            return Ok(None);
        };
        let mut out = VolunteerTotals {
            volunteer_id: first.try_get("", "id")?,
            account_id: first.try_get("", "account_id")?,
            volunteer_number: first.try_get("", "volunteer_number")?,
            name: first.try_get("", "name")?,
            all: Totals::default(),
            in_year: Totals::default(),
        };
        for r in &rows {
            let Some(period) = r.try_get::<Option<String>>("", "period")? else {
                continue;
            };
            let totals = Totals {
                tenths: r.try_get("", "hours_tenths")?,
                activities: r.try_get("", "activities")?,
            };
            if period == volunteer_totals::ALL_TIME {
                out.all = totals;
            } else {
                out.in_year = totals;
            }
        }
        Ok(Some(out))
    }

    /// What an organisation recorded for a volunteer in a period (for certificates).
    pub async fn recorded_service(
        &self,
        organization_id: Uuid,
        volunteer_id: Uuid,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
    ) -> StoreResult<RecordedService> {
        let totals = self
            .volunteer_totals(volunteer_id, Some(organization_id), from, to)
            .await?;
        let mut q = service_record::Entity::find()
            .filter(service_record::Column::VolunteerId.eq(volunteer_id))
            .filter(service_record::Column::OrganizationId.eq(organization_id))
            .filter(service_record::Column::HoursTenths.gt(0));
        if let Some(d) = from {
            q = q.filter(service_record::Column::ServiceDate.gte(d));
        }
        if let Some(d) = to {
            q = q.filter(service_record::Column::ServiceDate.lte(d));
        }
        let rows: Vec<(String, NaiveDate)> = q
            .select_only()
            .column(service_record::Column::ActivityTitle)
            .column(service_record::Column::ServiceDate)
            .order_by_desc(service_record::Column::ServiceDate)
            .into_tuple()
            .all(&self.db)
            .await?;
        let mut titles: Vec<String> = Vec::new();
        for (t, _) in &rows {
            if !titles.contains(t) {
                titles.push(t.clone());
            }
        }
        Ok(RecordedService {
            totals,
            first: rows.last().map(|r| r.1),
            last: rows.first().map(|r| r.1),
            titles,
        })
    }

    /// Approved members of an organisation whose records in the period meet the thresholds,
    /// most hours first. One grouped query over the members' records.
    pub async fn recognition_nominees(
        &self,
        organization_id: Uuid,
        from: NaiveDate,
        to: NaiveDate,
        min_activities: i64,
        min_tenths: i64,
    ) -> StoreResult<Vec<Nominee>> {
        let sum = Func::sum(Expr::col((
            service_record::Entity,
            service_record::Column::HoursTenths,
        )));
        let cnt = Func::count_distinct(Expr::col((
            service_record::Entity,
            service_record::Column::ActivityId,
        )));
        let rows: Vec<(Uuid, String, String, Option<i64>, i64)> = volunteer::Entity::find()
            .select_only()
            .column(volunteer::Column::Id)
            .column(volunteer::Column::Name)
            .column(volunteer::Column::VolunteerNumber)
            .column_as(Expr::expr(sum.clone()), "tenths")
            .column_as(Expr::expr(cnt.clone()), "activities")
            .join_rev(JoinType::InnerJoin, membership::Relation::Volunteer.def())
            .join(
                JoinType::InnerJoin,
                volunteer::Entity::belongs_to(service_record::Entity)
                    .from(volunteer::Column::Id)
                    .to(service_record::Column::VolunteerId)
                    .into(),
            )
            .filter(membership::Column::OrganizationId.eq(organization_id))
            .filter(membership::Column::Status.eq(MembershipStatus::Approved.as_str()))
            .filter(service_record::Column::ServiceDate.gte(from))
            .filter(service_record::Column::ServiceDate.lte(to))
            .group_by(volunteer::Column::Id)
            .group_by(volunteer::Column::Name)
            .group_by(volunteer::Column::VolunteerNumber)
            .having(Expr::expr(cnt).gte(min_activities))
            .having(Expr::expr(sum.clone()).gte(min_tenths))
            .order_by_desc(Expr::expr(sum))
            .limit(200)
            .into_tuple()
            .all(&self.db)
            .await?;
        Ok(rows
            .into_iter()
            .map(|(id, name, number, tenths, activities)| Nominee {
                volunteer_id: id,
                name,
                volunteer_number: number,
                totals: Totals {
                    tenths: tenths.unwrap_or(0),
                    activities,
                },
            })
            .collect())
    }

    /// An organisation's year: activities held (published, ended in the period) and the
    /// hours it recorded.
    pub async fn organization_totals(
        &self,
        organization_id: Uuid,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        from_date: NaiveDate,
        to_date: NaiveDate,
    ) -> StoreResult<Totals> {
        let held = activity::Entity::find()
            .filter(activity::Column::OrganizationId.eq(organization_id))
            .filter(activity::Column::Status.eq(ActivityStatus::Published.as_str()))
            .filter(activity::Column::EndsAt.gte(from))
            .filter(activity::Column::EndsAt.lt(to))
            .select_only()
            .column_as(Expr::col(activity::Column::Id).count(), "n")
            .into_tuple::<i64>()
            .one(&self.db)
            .await?
            .unwrap_or(0);
        let tenths = self
            .organization_tenths(organization_id, Some(from_date), Some(to_date))
            .await?;
        Ok(Totals {
            tenths,
            activities: held,
        })
    }

    /// Hours an organisation recorded, optionally within service dates.
    pub async fn organization_tenths(
        &self,
        organization_id: Uuid,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
    ) -> StoreResult<i64> {
        let mut q = service_record::Entity::find()
            .filter(service_record::Column::OrganizationId.eq(organization_id));
        if let Some(d) = from {
            q = q.filter(service_record::Column::ServiceDate.gte(d));
        }
        if let Some(d) = to {
            q = q.filter(service_record::Column::ServiceDate.lte(d));
        }
        let tenths: Option<i64> = q
            .select_only()
            .column_as(
                Expr::expr(Func::sum(Expr::col(service_record::Column::HoursTenths))),
                "t",
            )
            .into_tuple()
            .one(&self.db)
            .await?
            .flatten();
        Ok(tenths.unwrap_or(0))
    }

    /// Issues a certificate with the next number.
    pub async fn issue_certificate(
        &self,
        c: NewCertificate,
        now: DateTime<Utc>,
    ) -> StoreResult<certificate::Model> {
        let txn = self.db.begin().await?;
        let seq = self.reserve_counter(&txn, "certificate_number", 1).await?;
        let base = format!("ZHC-{}-{seq:08}", chrono::Datelike::year(&c.issue_date));
        let number = format!("{base}-{}", (c.suffix)(&base));
        let contact = self.crypto.encrypt(&c.contact_phone);
        let m = certificate::ActiveModel {
            id: Set(Uuid::now_v7()),
            number: Set(number),
            volunteer_id: Set(c.volunteer.id),
            organization_id: Set(c.organization_id),
            volunteer_name: Set(c.volunteer.name.clone()),
            id_number_masked: Set(c.volunteer.id_number_masked.clone()),
            volunteer_number: Set(c.volunteer.volunteer_number.clone()),
            hours_tenths: Set(c.service.totals.tenths as i32),
            activities: Set(c.service.totals.activities as i32),
            content: Set(c.content),
            period_from: Set(c.period_from),
            period_to: Set(c.period_to),
            issuer_name: Set(c.issuer_name),
            responsible_person: Set(c.responsible_person),
            handler_name: Set(c.handler_name),
            contact_phone_enc: Set(contact),
            issued_by: Set(c.issued_by),
            issued_at: Set(now),
            issue_date: Set(c.issue_date),
            revoked_at: Set(None),
            revoked_by: Set(None),
            revoke_reason: Set(None),
        }
        .insert(&txn)
        .await?;
        let resource =
            super::webhooks::resource_value(&zhihui_contract::events::CertificateResource {
                kind: "certificate".into(),
                id: m.id,
                number: m.number.clone(),
                organization_id: m.organization_id,
                volunteer_id: m.volunteer_id,
                hours_tenths: m.hours_tenths,
                activities: m.activities,
                period_from: m.period_from,
                period_to: m.period_to,
                issued_at: m.issued_at,
                href: format!("/api/v1/certificates/{}", m.number),
            });
        emit(
            &txn,
            EventType::CertificateIssued,
            &[m.organization_id],
            resource,
            now,
        )
        .await?;
        txn.commit().await?;
        Ok(m)
    }

    pub async fn certificate_by_number(
        &self,
        number: &str,
    ) -> StoreResult<Option<certificate::Model>> {
        Ok(certificate::Entity::find()
            .filter(certificate::Column::Number.eq(number))
            .one(&self.db)
            .await?)
    }

    /// Certificates of a volunteer and/or an issuing organisation, newest first.
    pub async fn list_certificates(
        &self,
        volunteer_id: Option<Uuid>,
        organization_id: Option<Uuid>,
        before: Option<Uuid>,
        limit: u64,
    ) -> StoreResult<Vec<certificate::Model>> {
        let mut q = certificate::Entity::find();
        if let Some(v) = volunteer_id {
            q = q.filter(certificate::Column::VolunteerId.eq(v));
        }
        if let Some(o) = organization_id {
            q = q.filter(certificate::Column::OrganizationId.eq(o));
        }
        if let Some(b) = before {
            q = q.filter(certificate::Column::Id.lt(b));
        }
        Ok(q.order_by_desc(certificate::Column::Id)
            .limit(limit)
            .all(&self.db)
            .await?)
    }

    pub async fn revoke_certificate(
        &self,
        id: Uuid,
        by: Uuid,
        reason: String,
        now: DateTime<Utc>,
    ) -> StoreResult<certificate::Model> {
        let cur = certificate::Entity::find_by_id(id)
            .one(&self.db)
            .await?
            .ok_or(StoreError::NotFound)?;
        let from = if cur.revoked_at.is_some() {
            CertificateStatus::Revoked
        } else {
            CertificateStatus::Valid
        };
        certificate_transition(from, CertificateAction::Revoke)?;
        let res = certificate::Entity::update_many()
            .col_expr(certificate::Column::RevokedAt, Expr::value(now))
            .col_expr(certificate::Column::RevokedBy, Expr::value(by))
            .col_expr(certificate::Column::RevokeReason, Expr::value(reason))
            .filter(certificate::Column::Id.eq(id))
            .filter(certificate::Column::RevokedAt.is_null())
            .exec(&self.db)
            .await?;
        if res.rows_affected == 0 {
            // Revoked meanwhile: the rule's refusal for a revoked certificate.
            certificate_transition(CertificateStatus::Revoked, CertificateAction::Revoke)?;
        }
        certificate::Entity::find_by_id(id)
            .one(&self.db)
            .await?
            .ok_or(StoreError::NotFound)
    }
}
