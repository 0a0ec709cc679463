//! Notifications (通知与提醒), rules 63-68: the outbox's second reader, the reminders due at a
//! time, the inbox, each person's preferences, and the deliveries the sender works through.
//!
//! * `notify_outbox` turns committed outbox events into notifications for the people they
//!   concern, in one transaction that also marks the events notified: a change that rolled
//!   back wrote no event, so it notifies no one, and an event is notified once.
//! * `sweep_reminders` derives the reminders due at a time from the data (a live sign-up whose
//!   activity starts within a day; a report not filed near its deadline). Each is claimed by
//!   inserting its key into `scheduled_notices`, whose primary key makes it go out once
//!   however many replicas look and however often the service restarted.
//! * `claim_notification_deliveries` leases due email and SMS deliveries (`SKIP LOCKED` on
//!   PostgreSQL), decrypting the address only then; a reminder no longer true is skipped.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set, TransactionTrait,
};
use serde_json::Value;
use uuid::Uuid;
use zhihui_domain::integration::EventType;
use zhihui_domain::notification::{
    next_digest_at, report_months, report_reminder, sms_release_at, Channel, LinkPurpose,
    NoticeParams, NotificationKind, Preferences, SendStatus,
};
use zhihui_domain::volunteer::PersonName;
use zhihui_domain::{
    ActivityStatus, OrganizationCategory, OrganizationStatus, ProblemCode, SignUpStatus,
};

use crate::entities::{
    activity, attendance_link, notification, notification_delivery, notification_preference,
    organization, organization_admin, outbox_event, sign_up, volunteer,
};
use crate::{Store, StoreError, StoreResult};

/// A notice for one person, before it is written.
#[derive(Debug, Clone)]
pub struct NoticeDraft {
    pub account_id: Uuid,
    pub kind: NotificationKind,
    pub params: NoticeParams,
    pub href: String,
    pub subject_id: Option<Uuid>,
}

/// A person's preferences with the masked forms of their contact details.
#[derive(Debug, Clone)]
pub struct PreferencesRow {
    pub preferences: Preferences,
    pub email_masked: Option<String>,
    /// The phone SMS go to: the one given here, else the volunteer profile's.
    pub phone_masked: Option<String>,
    pub version: i32,
}

/// A change of contact details: `None` keeps, `Some(None)` removes, `Some(Some(v))` sets
/// (already checked).
#[derive(Debug, Clone, Default)]
pub struct ContactChange {
    pub email: Option<Option<String>>,
    pub phone: Option<Option<(String, String)>>,
}

/// A delivery claimed for sending, with everything the sender needs. The address is
/// decrypted here and lives only as long as the attempt.
pub struct DueNotice {
    pub deliveries: Vec<notification_delivery::Model>,
    pub channel: Channel,
    pub account_id: Uuid,
    pub notifications: Vec<notification::Model>,
    pub preferences: Preferences,
    pub address: Option<String>,
    /// The day-before reminder's one-tap links, by notification.
    pub links: HashMap<Uuid, Vec<(LinkPurpose, Uuid)>>,
    /// Notifications that are no longer true (skipped, not sent).
    pub stale: HashSet<Uuid>,
}

/// A filter of the delivery log.
#[derive(Debug, Clone, Default)]
pub struct DeliveryFilter {
    pub status: Option<SendStatus>,
    pub channel: Option<Channel>,
    pub account_id: Option<Uuid>,
    pub before: Option<Uuid>,
    pub limit: u64,
}

/// Why a one-tap link was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkRefusal {
    Unknown,
    Used,
    Expired,
    SignUpNotLive,
}

impl From<LinkRefusal> for StoreError {
    fn from(r: LinkRefusal) -> Self {
        let (code, message) = match r {
            LinkRefusal::Unknown => (ProblemCode::LinkInvalid, "this link is not valid"),
            LinkRefusal::Used => (ProblemCode::LinkUsed, "this link has been used"),
            LinkRefusal::Expired => (ProblemCode::LinkExpired, "the activity has begun"),
            LinkRefusal::SignUpNotLive => {
                (ProblemCode::SignUpNotLive, "the sign-up has been withdrawn")
            }
        };
        StoreError::Conflict {
            code,
            message: message.into(),
        }
    }
}

/// A followed link's outcome.
pub struct LinkUse {
    pub purpose: LinkPurpose,
    pub activity: activity::Model,
}

fn uuid_at(r: &Value, key: &str) -> Option<Uuid> {
    r.get(key)?.as_str().and_then(|s| Uuid::parse_str(s).ok())
}

fn str_at(r: &Value, key: &str) -> String {
    r.get(key)
        .and_then(|v| v.as_str())
        .unwrap_or_default()
        .to_string()
}

fn time_at(r: &Value, key: &str) -> Option<DateTime<Utc>> {
    serde_json::from_value(r.get(key)?.clone()).ok()
}

fn decode_preferences(raw: Option<&notification_preference::Model>) -> Preferences {
    raw.and_then(|p| serde_json::from_str(&p.preferences).ok())
        .unwrap_or_default()
}

impl Store {
    /// Admins of organisations, as `(organisation, account)`.
    async fn admins_of(
        &self,
        c: &impl ConnectionTrait,
        orgs: &[Uuid],
    ) -> StoreResult<Vec<(Uuid, Uuid)>> {
        if orgs.is_empty() {
            return Ok(vec![]);
        }
        Ok(organization_admin::Entity::find()
            .filter(organization_admin::Column::OrganizationId.is_in(orgs.to_vec()))
            .all(c)
            .await?
            .into_iter()
            .map(|a| (a.organization_id, a.account_id))
            .collect())
    }

    async fn org_names(
        &self,
        c: &impl ConnectionTrait,
        ids: &[Uuid],
    ) -> StoreResult<HashMap<Uuid, organization::Model>> {
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        Ok(organization::Entity::find()
            .filter(organization::Column::Id.is_in(ids.to_vec()))
            .all(c)
            .await?
            .into_iter()
            .map(|o| (o.id, o))
            .collect())
    }

    async fn volunteer_accounts(
        &self,
        c: &impl ConnectionTrait,
        ids: &[Uuid],
    ) -> StoreResult<HashMap<Uuid, volunteer::Model>> {
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        Ok(volunteer::Entity::find()
            .filter(volunteer::Column::Id.is_in(ids.to_vec()))
            .all(c)
            .await?
            .into_iter()
            .map(|v| (v.id, v))
            .collect())
    }

    /// The notices one outbox event makes: who it concerns, from the data as it is now
    /// (within the fan-out's transaction), and what each is told.
    async fn drafts_for(
        &self,
        c: &DatabaseTransaction,
        e: &outbox_event::Model,
    ) -> StoreResult<Vec<NoticeDraft>> {
        use EventType as E;
        use NotificationKind as K;
        let r: Value = serde_json::from_str(&e.resource).unwrap_or(Value::Null);
        let concerned: Vec<Uuid> = serde_json::from_str(&e.organization_ids).unwrap_or_default();
        let mut out = vec![];
        let to_admins = |admins: Vec<(Uuid, Uuid)>,
                         kind: NotificationKind,
                         params: &NoticeParams,
                         href: &str,
                         out: &mut Vec<NoticeDraft>| {
            let mut seen = HashSet::new();
            for (_, account) in admins {
                if seen.insert(account) {
                    out.push(NoticeDraft {
                        account_id: account,
                        kind,
                        params: params.clone(),
                        href: href.to_string(),
                        subject_id: None,
                    });
                }
            }
        };
        let name_of = |orgs: &HashMap<Uuid, organization::Model>, id: Option<Uuid>| {
            id.and_then(|i| orgs.get(&i))
                .map(|o| o.name.clone())
                .unwrap_or_default()
        };
        match *e.event_type {
            E::OrganizationApproved | E::OrganizationRejected => {
                let Some(org) = uuid_at(&r, "id") else {
                    return Ok(out);
                };
                let kind = if *e.event_type == E::OrganizationApproved {
                    K::OrganizationApproved
                } else {
                    K::OrganizationRejected
                };
                let params = NoticeParams {
                    organization: str_at(&r, "name"),
                    detail: str_at(&r, "rejection_reason"),
                    ..Default::default()
                };
                let admins = self.admins_of(c, &[org]).await?;
                to_admins(admins, kind, &params, &format!("/orgs/{org}"), &mut out);
            }
            E::MembershipRequested | E::MembershipApproved | E::MembershipRejected => {
                let (Some(org), Some(vol)) =
                    (uuid_at(&r, "organization_id"), uuid_at(&r, "volunteer_id"))
                else {
                    return Ok(out);
                };
                let orgs = self.org_names(c, &[org]).await?;
                let vols = self.volunteer_accounts(c, &[vol]).await?;
                let person = vols
                    .get(&vol)
                    .and_then(|v| PersonName::parse(&v.name).ok())
                    .map(|n| n.masked())
                    .unwrap_or_default();
                let params = NoticeParams {
                    organization: name_of(&orgs, Some(org)),
                    person,
                    detail: str_at(&r, "reason"),
                    ..Default::default()
                };
                if *e.event_type == E::MembershipRequested {
                    let admins = self.admins_of(c, &[org]).await?;
                    let href = format!("/orgs/{org}/members");
                    to_admins(admins, K::MembershipRequested, &params, &href, &mut out);
                } else if let Some(account) = vols.get(&vol).and_then(|v| v.account_id) {
                    out.push(NoticeDraft {
                        account_id: account,
                        kind: if *e.event_type == E::MembershipApproved {
                            K::MembershipApproved
                        } else {
                            K::MembershipRejected
                        },
                        params,
                        href: "/me".into(),
                        subject_id: None,
                    });
                }
            }
            E::SignUpConfirmed
            | E::SignUpPromoted
            | E::ActivityCancelled
            | E::ActivityRescheduled => {
                let Some(act) = uuid_at(&r, "activity_id").or_else(|| uuid_at(&r, "id")) else {
                    return Ok(out);
                };
                let Some(a) = activity::Entity::find_by_id(act).one(c).await? else {
                    return Ok(out);
                };
                let params = NoticeParams {
                    title: a.title.clone(),
                    at: Some(a.starts_at),
                    place: a.place.clone(),
                    detail: a.cancel_reason.clone().unwrap_or_default(),
                    ..Default::default()
                };
                let (kind, volunteers) = match *e.event_type {
                    E::ActivityCancelled | E::ActivityRescheduled => (
                        if *e.event_type == E::ActivityCancelled {
                            K::ActivityCancelled
                        } else {
                            K::ActivityRescheduled
                        },
                        sign_up::Entity::find()
                            .filter(sign_up::Column::ActivityId.eq(act))
                            .filter(sign_up::Column::CancelledAt.is_null())
                            .all(c)
                            .await?
                            .into_iter()
                            .map(|s| s.volunteer_id)
                            .collect::<Vec<_>>(),
                    ),
                    t => (
                        if t == E::SignUpConfirmed {
                            K::SignUpConfirmed
                        } else {
                            K::SignUpPromoted
                        },
                        uuid_at(&r, "volunteer_id").into_iter().collect(),
                    ),
                };
                for v in self.volunteer_accounts(c, &volunteers).await?.values() {
                    if let Some(account) = v.account_id {
                        out.push(NoticeDraft {
                            account_id: account,
                            kind,
                            params: params.clone(),
                            href: format!("/activities/{act}"),
                            subject_id: None,
                        });
                    }
                }
            }
            E::HoursConfirmed => {
                let Some(act) = uuid_at(&r, "activity_id") else {
                    return Ok(out);
                };
                let title = activity::Entity::find_by_id(act)
                    .one(c)
                    .await?
                    .map(|a| a.title)
                    .unwrap_or_default();
                let records: Vec<(Uuid, i64)> = r
                    .get("records")
                    .and_then(|v| v.as_array())
                    .into_iter()
                    .flatten()
                    .filter_map(|x| {
                        let counted = x.get("outcome").and_then(|o| o.as_str()) != Some("absent");
                        let tenths = x.get("hours_tenths")?.as_i64()?;
                        counted.then_some((uuid_at(x, "volunteer_id")?, tenths))
                    })
                    .collect();
                let ids: Vec<Uuid> = records.iter().map(|(v, _)| *v).collect();
                let vols = self.volunteer_accounts(c, &ids).await?;
                for (v, tenths) in records {
                    if let Some(account) = vols.get(&v).and_then(|v| v.account_id) {
                        out.push(NoticeDraft {
                            account_id: account,
                            kind: K::HoursConfirmed,
                            params: NoticeParams {
                                title: title.clone(),
                                detail: format!("{}.{}", tenths / 10, tenths % 10),
                                ..Default::default()
                            },
                            href: "/me".into(),
                            subject_id: None,
                        });
                    }
                }
            }
            E::CertificateIssued => {
                let (Some(vol), org) =
                    (uuid_at(&r, "volunteer_id"), uuid_at(&r, "organization_id"))
                else {
                    return Ok(out);
                };
                let orgs = self
                    .org_names(c, &org.into_iter().collect::<Vec<_>>())
                    .await?;
                let vols = self.volunteer_accounts(c, &[vol]).await?;
                if let Some(account) = vols.get(&vol).and_then(|v| v.account_id) {
                    out.push(NoticeDraft {
                        account_id: account,
                        kind: K::CertificateIssued,
                        params: NoticeParams {
                            title: str_at(&r, "number"),
                            organization: name_of(&orgs, org),
                            ..Default::default()
                        },
                        href: "/me".into(),
                        subject_id: None,
                    });
                }
            }
            E::PairingLetterSent
            | E::PairingLetterAccepted
            | E::PairingLetterDeclined
            | E::PairingLetterExpired => {
                let (Some(sender), Some(recipient)) =
                    (uuid_at(&r, "sender_id"), uuid_at(&r, "recipient_id"))
                else {
                    return Ok(out);
                };
                let orgs = self.org_names(c, &[sender, recipient]).await?;
                let href = format!("/letters/{}", str_at(&r, "id"));
                let (kind, from, to) = match *e.event_type {
                    E::PairingLetterSent => (K::LetterReceived, sender, vec![recipient]),
                    E::PairingLetterExpired => (K::LetterExpired, sender, vec![sender, recipient]),
                    _ => (K::LetterAnswered, recipient, vec![sender]),
                };
                let params = NoticeParams {
                    title: str_at(&r, "subject"),
                    organization: name_of(&orgs, Some(from)),
                    at: time_at(&r, "answer_due_at"),
                    detail: str_at(&r, "status"),
                    ..Default::default()
                };
                let admins = self.admins_of(c, &to).await?;
                to_admins(admins, kind, &params, &href, &mut out);
            }
            E::ApplicationSubmitted | E::ApplicationEndorsed | E::ApplicationDecided => {
                let Some(applicant) = uuid_at(&r, "applicant_id") else {
                    return Ok(out);
                };
                let orgs = self.org_names(c, &[applicant]).await?;
                let href = format!("/applications/{}", str_at(&r, "id"));
                let params = NoticeParams {
                    title: str_at(&r, "title"),
                    organization: name_of(&orgs, Some(applicant)),
                    detail: str_at(&r, "status"),
                    ..Default::default()
                };
                let admins = self.admins_of(c, &[applicant]).await?;
                to_admins(admins, K::ApplicationChanged, &params, &href, &mut out);
                let waits = str_at(&r, "status")
                    == zhihui_domain::ApplicationStatus::Submitted.as_str()
                    && *e.event_type == E::ApplicationSubmitted;
                if waits {
                    let call = uuid_at(&r, "call_id");
                    let needs = match call {
                        Some(id) => crate::entities::call::Entity::find_by_id(id)
                            .one(c)
                            .await?
                            .is_some_and(|c| c.endorsement_required),
                        None => false,
                    };
                    if needs {
                        let province = str_at(&r, "province_code");
                        let prefix: String = province.chars().take(2).collect();
                        let assoc: Vec<Uuid> = organization::Entity::find()
                            .filter(
                                organization::Column::Category
                                    .eq(OrganizationCategory::ProvincialAssociation.as_str()),
                            )
                            .filter(
                                organization::Column::Status
                                    .eq(OrganizationStatus::Approved.as_str()),
                            )
                            .filter(organization::Column::RegionCode.starts_with(&prefix))
                            .all(c)
                            .await?
                            .into_iter()
                            .map(|o| o.id)
                            .collect();
                        let admins = self.admins_of(c, &assoc).await?;
                        to_admins(admins, K::EndorsementWaiting, &params, &href, &mut out);
                    }
                }
            }
            E::MonthlyReportReturned | E::MonthlyReportAccepted => {
                let Some(org) = uuid_at(&r, "organization_id") else {
                    return Ok(out);
                };
                let orgs = self.org_names(c, &[org]).await?;
                let kind = if *e.event_type == E::MonthlyReportReturned {
                    K::ReportReturned
                } else {
                    K::ReportAccepted
                };
                let params = NoticeParams {
                    title: str_at(&r, "month"),
                    organization: name_of(&orgs, Some(org)),
                    detail: str_at(&r, "return_reason"),
                    ..Default::default()
                };
                let admins = self.admins_of(c, &[org]).await?;
                let href = format!("/orgs/{org}/reports");
                to_admins(admins, kind, &params, &href, &mut out);
            }
            E::NeedDispatched
            | E::NeedDispatchAccepted
            | E::NeedDispatchDeclined
            | E::NeedClaimed
            | E::NeedScheduled
            | E::NeedServed
            | E::NeedRated
            | E::NeedCancelled
            | E::NeedExpired => {
                let parties: Vec<Uuid> = [uuid_at(&r, "requester_id"), uuid_at(&r, "holder_id")]
                    .into_iter()
                    .flatten()
                    .collect();
                let params = NoticeParams {
                    title: str_at(&r, "title"),
                    detail: str_at(&r, "status"),
                    ..Default::default()
                };
                let admins = self.admins_of(c, &parties).await?;
                let href = format!("/needs/{}", str_at(&r, "id"));
                to_admins(admins, K::NeedChanged, &params, &href, &mut out);
            }
            E::CampaignOpened | E::CampaignReminder => {
                let Some(owner) = uuid_at(&r, "owner_id") else {
                    return Ok(out);
                };
                let addressed: Vec<Uuid> = match uuid_at(&r, "organization_id") {
                    Some(o) => vec![o],
                    None => concerned.iter().copied().filter(|o| *o != owner).collect(),
                };
                let orgs = self.org_names(c, &[owner]).await?;
                let kind = if *e.event_type == E::CampaignOpened {
                    K::CampaignOpened
                } else {
                    K::CampaignReminder
                };
                let params = NoticeParams {
                    title: str_at(&r, "title"),
                    organization: name_of(&orgs, Some(owner)),
                    detail: str_at(&r, "deadline"),
                    ..Default::default()
                };
                let href = format!("/campaigns/{}", str_at(&r, "id"));
                for chunk in addressed.chunks(500) {
                    let admins = self.admins_of(c, chunk).await?;
                    to_admins(admins, kind, &params, &href, &mut out);
                }
            }
            _ => {}
        }
        Ok(out)
    }

    /// Writes notices with their deliveries, by each person's preferences: the inbox row
    /// always (shown unless turned off), an email when they gave an address (held for the
    /// digest if they chose it), an SMS where the kind offers one and they have a phone
    /// (held through quiet hours).
    pub(crate) async fn write_notices(
        &self,
        c: &impl ConnectionTrait,
        drafts: Vec<NoticeDraft>,
        now: DateTime<Utc>,
    ) -> StoreResult<Vec<notification::Model>> {
        if drafts.is_empty() {
            return Ok(vec![]);
        }
        let accounts: Vec<Uuid> = drafts
            .iter()
            .map(|d| d.account_id)
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        let mut prefs: HashMap<Uuid, notification_preference::Model> = HashMap::new();
        let mut phones: HashSet<Uuid> = HashSet::new();
        for chunk in accounts.chunks(500) {
            for p in notification_preference::Entity::find()
                .filter(notification_preference::Column::AccountId.is_in(chunk.to_vec()))
                .all(c)
                .await?
            {
                prefs.insert(p.account_id, p);
            }
            let with_phone: Vec<Option<Uuid>> = volunteer::Entity::find()
                .select_only()
                .column(volunteer::Column::AccountId)
                .filter(volunteer::Column::AccountId.is_in(chunk.to_vec()))
                .into_tuple()
                .all(c)
                .await?;
            phones.extend(with_phone.into_iter().flatten());
        }
        let mut notes = vec![];
        let mut deliveries = vec![];
        let mut written = vec![];
        for d in drafts {
            let row = prefs.get(&d.account_id);
            let p = decode_preferences(row);
            let id = Uuid::now_v7();
            let model = notification::Model {
                id,
                account_id: d.account_id,
                kind: d.kind.into(),
                family: d.kind.family().into(),
                params: serde_json::to_string(&d.params).unwrap_or_default(),
                href: d.href.chars().take(200).collect(),
                subject_id: d.subject_id,
                event_id: None,
                shown: p.wants(d.kind, Channel::InApp),
                created_at: now,
                read_at: None,
            };
            let has_email = row.is_some_and(|r| r.email_enc.is_some());
            if has_email && p.wants(d.kind, Channel::Email) {
                let at = if p.email_digest {
                    next_digest_at(now)
                } else {
                    now
                };
                deliveries.push(new_delivery(
                    id,
                    d.account_id,
                    Channel::Email,
                    at,
                    p.email_digest,
                    now,
                ));
            }
            let has_phone =
                row.is_some_and(|r| r.phone_enc.is_some()) || phones.contains(&d.account_id);
            if has_phone && p.wants(d.kind, Channel::Sms) {
                let at = sms_release_at(now, &p);
                deliveries.push(new_delivery(id, d.account_id, Channel::Sms, at, false, now));
            }
            notes.push(notification::ActiveModel::from(model.clone()));
            written.push(model);
        }
        crate::repo::insert_in_chunks(c, notes).await?;
        crate::repo::insert_in_chunks(c, deliveries).await?;
        Ok(written)
    }

    /// How many committed events are not yet turned into notifications (the webhook sender
    /// may hold some for a moment: `notify_outbox` skips rows it has locked).
    pub async fn events_to_notify(&self) -> StoreResult<u64> {
        Ok(outbox_event::Entity::find()
            .filter(outbox_event::Column::NotifiedAt.is_null())
            .count(&self.db)
            .await?)
    }

    /// Turns up to `limit` events not yet notified into notifications; returns how many
    /// events it handled.
    pub async fn notify_outbox(&self, now: DateTime<Utc>, limit: u64) -> StoreResult<usize> {
        let txn = self.db.begin().await?;
        let q = outbox_event::Entity::find()
            .filter(outbox_event::Column::NotifiedAt.is_null())
            .order_by_asc(outbox_event::Column::OccurredAt)
            .order_by_asc(outbox_event::Column::Id)
            .limit(limit);
        let events = self.skip_locked(q).all(&txn).await?;
        if events.is_empty() {
            return Ok(0);
        }
        let mut drafts = vec![];
        let mut from_event = vec![];
        for e in &events {
            let d = self.drafts_for(&txn, e).await?;
            from_event.extend(std::iter::repeat_n(e.id, d.len()));
            drafts.extend(d);
        }
        let written = self.write_notices(&txn, drafts, now).await?;
        // The event each notice came from, for the person's data export and the log.
        let mut by_event: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
        for (n, e) in written.iter().zip(from_event) {
            by_event.entry(e).or_default().push(n.id);
        }
        for (event, ids) in by_event {
            for chunk in ids.chunks(500) {
                notification::Entity::update_many()
                    .col_expr(notification::Column::EventId, Expr::value(event))
                    .filter(notification::Column::Id.is_in(chunk.to_vec()))
                    .exec(&txn)
                    .await?;
            }
        }
        outbox_event::Entity::update_many()
            .col_expr(outbox_event::Column::NotifiedAt, Expr::value(now))
            .filter(outbox_event::Column::Id.is_in(events.iter().map(|e| e.id)))
            .exec(&txn)
            .await?;
        txn.commit().await?;
        Ok(events.len())
    }

    /// Claims reminder keys; returns the subjects this call claimed (the others were
    /// claimed before, here or by another replica).
    async fn claim_notices(
        &self,
        c: &impl ConnectionTrait,
        kind: NotificationKind,
        subjects: &[Uuid],
        period: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<HashSet<Uuid>> {
        let mut claimed = HashSet::new();
        for chunk in subjects.chunks(200) {
            let mut b = crate::repo::Binder::new(c.get_database_backend());
            let (k, p, at) = (b.bind(kind.as_str()), b.bind(period), b.bind(now));
            let rows: Vec<String> = chunk
                .iter()
                .map(|s| format!("({k}, {}, {p}, {at})", b.bind(*s)))
                .collect();
            let sql = format!(
                "INSERT INTO scheduled_notices (kind, subject_id, period, created_at) VALUES {} \
                 ON CONFLICT DO NOTHING RETURNING subject_id",
                rows.join(", ")
            );
            for r in c.query_all(b.statement(sql)).await? {
                claimed.insert(r.try_get::<Uuid>("", "subject_id")?);
            }
        }
        Ok(claimed)
    }

    /// Derives and sends the reminders due at `now` (rules 64, 65, 68), up to `limit`
    /// subjects of each kind; returns how many notices it wrote.
    pub async fn sweep_reminders(
        &self,
        now: DateTime<Utc>,
        grace_days: u32,
        limit: u64,
    ) -> StoreResult<usize> {
        let mut written = 0;
        for kind in [
            NotificationKind::ActivityStartsSoon,
            NotificationKind::ActivityDayBefore,
        ] {
            written += self.sweep_activity_reminders(kind, now, limit).await?;
        }
        let today = zhihui_domain::report::china_date(now);
        for month in report_months(today) {
            if let Some(kind) = report_reminder(month, grace_days, today) {
                written += self
                    .sweep_report_reminders(kind, &month.to_string(), grace_days, now, limit)
                    .await?;
            }
        }
        Ok(written)
    }

    async fn sweep_activity_reminders(
        &self,
        kind: NotificationKind,
        now: DateTime<Utc>,
        limit: u64,
    ) -> StoreResult<usize> {
        // The window in which `kind` is the reminder due (`activity_reminder`).
        let (from, to) = match kind {
            NotificationKind::ActivityStartsSoon => (now, now + Duration::hours(2)),
            _ => (now + Duration::hours(2), now + Duration::hours(24)),
        };
        let txn = self.db.begin().await?;
        let mut b = crate::repo::Binder::new(txn.get_database_backend());
        let sql = format!(
            "SELECT s.id FROM sign_ups s JOIN activities a ON a.id = s.activity_id \
             WHERE s.status = {confirmed} AND s.starts_at > {from} AND s.starts_at <= {to} \
               AND a.status = {published} \
               AND NOT EXISTS (SELECT 1 FROM scheduled_notices n WHERE n.kind = {kind} \
                               AND n.subject_id = s.id AND n.period = '') \
             ORDER BY s.starts_at LIMIT {limit}",
            confirmed = b.bind(SignUpStatus::Confirmed.as_str()),
            from = b.bind(from),
            to = b.bind(to),
            published = b.bind(ActivityStatus::Published.as_str()),
            kind = b.bind(kind.as_str()),
        );
        let ids: Vec<Uuid> = txn
            .query_all(b.statement(sql))
            .await?
            .iter()
            .map(|r| r.try_get("", "id"))
            .collect::<Result<_, _>>()?;
        if ids.is_empty() {
            return Ok(0);
        }
        let claimed = self.claim_notices(&txn, kind, &ids, "", now).await?;
        let sups: Vec<sign_up::Model> = sign_up::Entity::find()
            .filter(sign_up::Column::Id.is_in(claimed.iter().copied()))
            .all(&txn)
            .await?;
        let acts: HashMap<Uuid, activity::Model> = activity::Entity::find()
            .filter(activity::Column::Id.is_in(sups.iter().map(|s| s.activity_id)))
            .all(&txn)
            .await?
            .into_iter()
            .map(|a| (a.id, a))
            .collect();
        let vols = self
            .volunteer_accounts(
                &txn,
                &sups.iter().map(|s| s.volunteer_id).collect::<Vec<_>>(),
            )
            .await?;
        let mut drafts = vec![];
        let mut links = vec![];
        for s in &sups {
            let (Some(a), Some(account)) = (
                acts.get(&s.activity_id),
                vols.get(&s.volunteer_id).and_then(|v| v.account_id),
            ) else {
                continue;
            };
            if kind == NotificationKind::ActivityDayBefore {
                for purpose in [LinkPurpose::Confirm, LinkPurpose::Withdraw] {
                    links.push(attendance_link::ActiveModel {
                        id: Set(Uuid::new_v4()),
                        sign_up_id: Set(s.id),
                        purpose: Set(purpose.into()),
                        expires_at: Set(a.starts_at),
                        used_at: Set(None),
                    });
                }
            }
            drafts.push(NoticeDraft {
                account_id: account,
                kind,
                params: NoticeParams {
                    title: a.title.clone(),
                    at: Some(a.starts_at),
                    place: a.place.clone(),
                    ..Default::default()
                },
                href: format!("/activities/{}", a.id),
                subject_id: Some(s.id),
            });
        }
        crate::repo::insert_in_chunks(&txn, links).await?;
        let n = self.write_notices(&txn, drafts, now).await?.len();
        txn.commit().await?;
        Ok(n)
    }

    async fn sweep_report_reminders(
        &self,
        kind: NotificationKind,
        month: &str,
        grace_days: u32,
        now: DateTime<Utc>,
        limit: u64,
    ) -> StoreResult<usize> {
        let txn = self.db.begin().await?;
        let mut b = crate::repo::Binder::new(txn.get_database_backend());
        // Approved organisations that existed in the month and have not filed its report.
        let sql = format!(
            "SELECT o.id FROM organizations o WHERE o.status = {approved} \
               AND o.created_at < {month_end} \
               AND NOT EXISTS (SELECT 1 FROM monthly_reports r WHERE r.organization_id = o.id \
                               AND r.month = {month} AND r.status IN ({submitted}, {accepted})) \
               AND NOT EXISTS (SELECT 1 FROM scheduled_notices n WHERE n.kind = {kind} \
                               AND n.subject_id = o.id AND n.period = {month2}) \
             ORDER BY o.id LIMIT {limit}",
            approved = b.bind(OrganizationStatus::Approved.as_str()),
            month_end = b.bind(month_end(month).unwrap_or(now)),
            month = b.bind(month),
            submitted = b.bind(zhihui_domain::ReportStatus::Submitted.as_str()),
            accepted = b.bind(zhihui_domain::ReportStatus::Accepted.as_str()),
            kind = b.bind(kind.as_str()),
            month2 = b.bind(month),
        );
        let ids: Vec<Uuid> = txn
            .query_all(b.statement(sql))
            .await?
            .iter()
            .map(|r| r.try_get("", "id"))
            .collect::<Result<_, _>>()?;
        if ids.is_empty() {
            return Ok(0);
        }
        let claimed: Vec<Uuid> = self
            .claim_notices(&txn, kind, &ids, month, now)
            .await?
            .into_iter()
            .collect();
        let orgs = self.org_names(&txn, &claimed).await?;
        let parents: Vec<Uuid> = if kind == NotificationKind::ReportLate {
            orgs.values().filter_map(|o| o.parent_id).collect()
        } else {
            vec![]
        };
        let mut admins: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
        let all: Vec<Uuid> = claimed.iter().chain(&parents).copied().collect();
        for chunk in all.chunks(500) {
            for (org, account) in self.admins_of(&txn, chunk).await? {
                admins.entry(org).or_default().push(account);
            }
        }
        let due = zhihui_domain::report::Month::parse(month)
            .ok()
            .map(|m| zhihui_domain::report::last_on_time_day(m, grace_days));
        let mut drafts = vec![];
        for o in orgs.values() {
            let params = NoticeParams {
                title: month.to_string(),
                organization: o.name.clone(),
                detail: due.map(|d| d.to_string()).unwrap_or_default(),
                ..Default::default()
            };
            let mut to: Vec<Uuid> = admins.get(&o.id).cloned().unwrap_or_default();
            if let Some(p) = o.parent_id.filter(|_| kind == NotificationKind::ReportLate) {
                to.extend(admins.get(&p).cloned().unwrap_or_default());
            }
            to.sort_unstable();
            to.dedup();
            for account in to {
                drafts.push(NoticeDraft {
                    account_id: account,
                    kind,
                    params: params.clone(),
                    href: format!("/orgs/{}/reports", o.id),
                    subject_id: Some(o.id),
                });
            }
        }
        let n = self.write_notices(&txn, drafts, now).await?.len();
        txn.commit().await?;
        Ok(n)
    }

    /// A person's inbox, newest first, with the number unread.
    pub async fn list_notifications(
        &self,
        account: Uuid,
        unread_only: bool,
        before: Option<Uuid>,
        limit: u64,
    ) -> StoreResult<(Vec<notification::Model>, u64)> {
        let base = notification::Entity::find()
            .filter(notification::Column::AccountId.eq(account))
            .filter(notification::Column::Shown.eq(true));
        let unread = base
            .clone()
            .filter(notification::Column::ReadAt.is_null())
            .count(&self.db)
            .await?;
        let mut q = base;
        if unread_only {
            q = q.filter(notification::Column::ReadAt.is_null());
        }
        if let Some(b) = before {
            q = q.filter(notification::Column::Id.lt(b));
        }
        let items = q
            .order_by_desc(notification::Column::Id)
            .limit(limit)
            .all(&self.db)
            .await?;
        Ok((items, unread))
    }

    /// Marks one of the person's notifications read (again: no change).
    pub async fn mark_notification_read(
        &self,
        account: Uuid,
        id: Uuid,
        now: DateTime<Utc>,
    ) -> StoreResult<notification::Model> {
        let n = notification::Entity::find_by_id(id)
            .filter(notification::Column::AccountId.eq(account))
            .filter(notification::Column::Shown.eq(true))
            .one(&self.db)
            .await?
            .ok_or(StoreError::NotFound)?;
        if n.read_at.is_some() {
            return Ok(n);
        }
        notification::Entity::update_many()
            .col_expr(notification::Column::ReadAt, Expr::value(now))
            .filter(notification::Column::Id.eq(id))
            .filter(notification::Column::ReadAt.is_null())
            .exec(&self.db)
            .await?;
        Ok(notification::Model {
            read_at: Some(now),
            ..n
        })
    }

    /// Marks every unread notification of the person read; returns how many.
    pub async fn mark_all_notifications_read(
        &self,
        account: Uuid,
        now: DateTime<Utc>,
    ) -> StoreResult<u64> {
        Ok(notification::Entity::update_many()
            .col_expr(notification::Column::ReadAt, Expr::value(now))
            .filter(notification::Column::AccountId.eq(account))
            .filter(notification::Column::ReadAt.is_null())
            .exec(&self.db)
            .await?
            .rows_affected)
    }

    /// A person's preferences (the defaults until they chose).
    pub async fn notification_preferences(&self, account: Uuid) -> StoreResult<PreferencesRow> {
        let row = notification_preference::Entity::find_by_id(account)
            .one(&self.db)
            .await?;
        let volunteer_phone = match row.as_ref().and_then(|r| r.phone_masked.clone()) {
            Some(p) => Some(p),
            None => volunteer::Entity::find()
                .filter(volunteer::Column::AccountId.eq(account))
                .one(&self.db)
                .await?
                .map(|v| v.phone_masked),
        };
        Ok(PreferencesRow {
            preferences: decode_preferences(row.as_ref()),
            email_masked: row.as_ref().and_then(|r| r.email_masked.clone()),
            phone_masked: volunteer_phone,
            version: row.map(|r| r.version).unwrap_or(0),
        })
    }

    /// Saves a person's preferences and contact details; `expected_version` guards
    /// against a change made meanwhile (0: none saved yet).
    pub async fn save_notification_preferences(
        &self,
        account: Uuid,
        preferences: &Preferences,
        contact: ContactChange,
        expected_version: Option<i32>,
        now: DateTime<Utc>,
    ) -> StoreResult<PreferencesRow> {
        let txn = self.db.begin().await?;
        let mut q = notification_preference::Entity::find_by_id(account);
        if self.is_postgres() {
            q = q.lock_exclusive();
        }
        let cur = q.one(&txn).await?;
        let version = cur.as_ref().map(|c| c.version).unwrap_or(0);
        if expected_version.is_some_and(|v| v != version) {
            return Err(StoreError::VersionMismatch);
        }
        let json = serde_json::to_string(preferences).unwrap_or_default();
        let mut m = match cur {
            Some(c) => notification_preference::ActiveModel::from(c),
            None => notification_preference::ActiveModel {
                account_id: Set(account),
                email_enc: Set(None),
                email_masked: Set(None),
                phone_enc: Set(None),
                phone_masked: Set(None),
                ..Default::default()
            },
        };
        m.preferences = Set(json);
        if let Some(e) = contact.email {
            m.email_masked = Set(e.as_deref().map(zhihui_domain::account::mask_login));
            m.email_enc = Set(e.map(|e| self.crypto.encrypt(&e)));
        }
        if let Some(p) = contact.phone {
            m.phone_masked = Set(p.as_ref().map(|(_, masked)| masked.clone()));
            m.phone_enc = Set(p.map(|(plain, _)| self.crypto.encrypt(&plain)));
        }
        m.updated_at = Set(now);
        m.version = Set(version + 1);
        if version == 0 {
            m.insert(&txn).await?;
        } else {
            m.update(&txn).await?;
        }
        txn.commit().await?;
        self.notification_preferences(account).await
    }

    /// Claims up to `limit` due email and SMS deliveries for `lease`. A person's digest
    /// deliveries due together go as one.
    pub async fn claim_notification_deliveries(
        &self,
        now: DateTime<Utc>,
        lease: Duration,
        limit: u64,
    ) -> StoreResult<Vec<DueNotice>> {
        let txn = self.db.begin().await?;
        let q = notification_delivery::Entity::find()
            .filter(notification_delivery::Column::Status.eq(SendStatus::Pending.as_str()))
            .filter(notification_delivery::Column::NextAttemptAt.lte(now))
            .order_by_asc(notification_delivery::Column::NextAttemptAt)
            .order_by_asc(notification_delivery::Column::Id)
            .limit(limit);
        let due = self.skip_locked(q).all(&txn).await?;
        if due.is_empty() {
            return Ok(vec![]);
        }
        notification_delivery::Entity::update_many()
            .col_expr(
                notification_delivery::Column::NextAttemptAt,
                Expr::value(now + lease),
            )
            .filter(notification_delivery::Column::Id.is_in(due.iter().map(|d| d.id)))
            .exec(&txn)
            .await?;
        let notes: HashMap<Uuid, notification::Model> = notification::Entity::find()
            .filter(notification::Column::Id.is_in(due.iter().map(|d| d.notification_id)))
            .all(&txn)
            .await?
            .into_iter()
            .map(|n| (n.id, n))
            .collect();
        let accounts: Vec<Uuid> = due.iter().map(|d| d.account_id).collect();
        let prefs: HashMap<Uuid, notification_preference::Model> =
            notification_preference::Entity::find()
                .filter(notification_preference::Column::AccountId.is_in(accounts.clone()))
                .all(&txn)
                .await?
                .into_iter()
                .map(|p| (p.account_id, p))
                .collect();
        let phones: HashMap<Uuid, String> = volunteer::Entity::find()
            .filter(volunteer::Column::AccountId.is_in(accounts))
            .all(&txn)
            .await?
            .into_iter()
            .filter_map(|v| Some((v.account_id?, v.phone_enc)))
            .collect();
        // What the reminders among them are about, read again now.
        let subjects: Vec<Uuid> = notes.values().filter_map(|n| n.subject_id).collect();
        let live_sign_ups: HashMap<Uuid, (sign_up::Model, Option<activity::Model>)> = {
            let sups = sign_up::Entity::find()
                .filter(sign_up::Column::Id.is_in(subjects.clone()))
                .all(&txn)
                .await?;
            let acts: HashMap<Uuid, activity::Model> = activity::Entity::find()
                .filter(activity::Column::Id.is_in(sups.iter().map(|s| s.activity_id)))
                .all(&txn)
                .await?
                .into_iter()
                .map(|a| (a.id, a))
                .collect();
            sups.into_iter()
                .map(|s| {
                    let a = acts.get(&s.activity_id).cloned();
                    (s.id, (s, a))
                })
                .collect()
        };
        let filed: HashSet<(Uuid, String)> = crate::entities::monthly_report::Entity::find()
            .filter(crate::entities::monthly_report::Column::OrganizationId.is_in(subjects.clone()))
            .all(&txn)
            .await?
            .into_iter()
            .filter(|r| r.status.is_filed())
            .map(|r| (r.organization_id, r.month))
            .collect();
        let links: Vec<attendance_link::Model> = attendance_link::Entity::find()
            .filter(attendance_link::Column::SignUpId.is_in(subjects))
            .all(&txn)
            .await?;
        txn.commit().await?;

        let mut groups: Vec<DueNotice> = vec![];
        for d in due {
            let Some(n) = notes.get(&d.notification_id).cloned() else {
                continue;
            };
            let stale = match (*n.kind, n.subject_id) {
                (
                    NotificationKind::ActivityDayBefore | NotificationKind::ActivityStartsSoon,
                    Some(s),
                ) => !live_sign_ups.get(&s).is_some_and(|(s, a)| {
                    s.status == SignUpStatus::Confirmed
                        && a.as_ref().is_some_and(|a| {
                            a.status == ActivityStatus::Published && a.starts_at > now
                        })
                }),
                (
                    NotificationKind::ReportDueSoon
                    | NotificationKind::ReportDueToday
                    | NotificationKind::ReportLate,
                    Some(org),
                ) => {
                    let month: NoticeParams = serde_json::from_str(&n.params).unwrap_or_default();
                    filed.contains(&(org, month.title))
                }
                _ => false,
            };
            let row = prefs.get(&d.account_id);
            let address = match *d.channel {
                Channel::Email => row.and_then(|r| r.email_enc.as_deref()),
                Channel::Sms => row
                    .and_then(|r| r.phone_enc.as_deref())
                    .or_else(|| phones.get(&d.account_id).map(|s| s.as_str())),
                Channel::InApp => None,
            }
            .and_then(|enc| self.crypto.decrypt(enc).ok());
            let note_links: Vec<(LinkPurpose, Uuid)> = n
                .subject_id
                .map(|s| {
                    links
                        .iter()
                        .filter(|l| l.sign_up_id == s && l.used_at.is_none())
                        .map(|l| (*l.purpose, l.id))
                        .collect()
                })
                .unwrap_or_default();
            let joins = d.digest
                && groups.last().is_some_and(|g| {
                    g.account_id == d.account_id
                        && g.channel == *d.channel
                        && g.deliveries.iter().all(|x| x.digest)
                });
            let group = if joins {
                groups.last_mut()
            } else {
                groups.push(DueNotice {
                    deliveries: vec![],
                    channel: *d.channel,
                    account_id: d.account_id,
                    notifications: vec![],
                    preferences: decode_preferences(row),
                    address,
                    links: HashMap::new(),
                    stale: HashSet::new(),
                });
                groups.last_mut()
            };
            if let Some(g) = group {
                if stale {
                    g.stale.insert(n.id);
                }
                if !note_links.is_empty() {
                    g.links.insert(n.id, note_links);
                }
                g.notifications.push(n);
                g.deliveries.push(d);
            }
        }
        Ok(groups)
    }

    /// Records the outcome of an attempt at some deliveries: sent, skipped with a reason,
    /// retried at `retry_at`, or given up (`failed`).
    pub async fn finish_notification_deliveries(
        &self,
        ids: &[Uuid],
        status: SendStatus,
        error: Option<String>,
        retry_at: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        if ids.is_empty() {
            return Ok(());
        }
        let mut q = notification_delivery::Entity::update_many()
            .col_expr(
                notification_delivery::Column::Status,
                Expr::value(status.as_str()),
            )
            .col_expr(
                notification_delivery::Column::Attempts,
                Expr::col(notification_delivery::Column::Attempts).add(1),
            )
            .col_expr(notification_delivery::Column::LastError, Expr::value(error));
        if status == SendStatus::Sent {
            q = q.col_expr(notification_delivery::Column::SentAt, Expr::value(now));
        }
        if let Some(at) = retry_at {
            q = q.col_expr(
                notification_delivery::Column::NextAttemptAt,
                Expr::value(at),
            );
        }
        q.filter(notification_delivery::Column::Id.is_in(ids.to_vec()))
            .exec(&self.db)
            .await?;
        notification_delivery::Entity::update_many()
            .col_expr(
                notification_delivery::Column::FirstAttemptAt,
                Expr::value(now),
            )
            .filter(notification_delivery::Column::Id.is_in(ids.to_vec()))
            .filter(notification_delivery::Column::FirstAttemptAt.is_null())
            .exec(&self.db)
            .await?;
        Ok(())
    }

    /// The delivery log (the platform's), newest first.
    pub async fn list_notification_deliveries(
        &self,
        f: &DeliveryFilter,
    ) -> StoreResult<Vec<(notification_delivery::Model, Option<notification::Model>)>> {
        let mut q = notification_delivery::Entity::find();
        if let Some(s) = f.status {
            q = q.filter(notification_delivery::Column::Status.eq(s.as_str()));
        }
        if let Some(c) = f.channel {
            q = q.filter(notification_delivery::Column::Channel.eq(c.as_str()));
        }
        if let Some(a) = f.account_id {
            q = q.filter(notification_delivery::Column::AccountId.eq(a));
        }
        if let Some(b) = f.before {
            q = q.filter(notification_delivery::Column::Id.lt(b));
        }
        let rows = q
            .order_by_desc(notification_delivery::Column::Id)
            .limit(f.limit)
            .all(&self.db)
            .await?;
        let notes: HashMap<Uuid, notification::Model> = notification::Entity::find()
            .filter(notification::Column::Id.is_in(rows.iter().map(|d| d.notification_id)))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|n| (n.id, n))
            .collect();
        Ok(rows
            .into_iter()
            .map(|d| {
                let n = notes.get(&d.notification_id).cloned();
                (d, n)
            })
            .collect())
    }

    /// Follows a one-tap attendance link (rule 65): once, before the activity starts, while
    /// the sign-up is live. Confirming marks the sign-up confirmed by the volunteer;
    /// withdrawing withdraws it (a freed place goes to the first on the waiting list).
    pub async fn use_attendance_link(
        &self,
        link_id: Uuid,
        purpose: LinkPurpose,
        now: DateTime<Utc>,
    ) -> StoreResult<LinkUse> {
        let txn = self.db.begin().await?;
        let mut q = attendance_link::Entity::find_by_id(link_id);
        if self.is_postgres() {
            q = q.lock_exclusive();
        }
        let link = q.one(&txn).await?.ok_or(LinkRefusal::Unknown)?;
        if *link.purpose != purpose {
            return Err(LinkRefusal::Unknown.into());
        }
        if link.used_at.is_some() {
            return Err(LinkRefusal::Used.into());
        }
        if now >= link.expires_at {
            return Err(LinkRefusal::Expired.into());
        }
        let s = sign_up::Entity::find_by_id(link.sign_up_id)
            .one(&txn)
            .await?
            .ok_or(LinkRefusal::Unknown)?;
        if s.status != SignUpStatus::Confirmed {
            return Err(LinkRefusal::SignUpNotLive.into());
        }
        // Single use: the first to mark it wins; a racing second finds it used.
        let marked = attendance_link::Entity::update_many()
            .col_expr(attendance_link::Column::UsedAt, Expr::value(now))
            .filter(attendance_link::Column::Id.eq(link.id))
            .filter(attendance_link::Column::UsedAt.is_null())
            .exec(&txn)
            .await?;
        if marked.rows_affected == 0 {
            return Err(LinkRefusal::Used.into());
        }
        let activity_id = s.activity_id;
        if purpose == LinkPurpose::Confirm {
            sign_up::Entity::update_many()
                .col_expr(sign_up::Column::AttendanceConfirmedAt, Expr::value(now))
                .filter(sign_up::Column::Id.eq(s.id))
                .exec(&txn)
                .await?;
        } else {
            // In the same transaction: a refused withdrawal leaves the link unused.
            self.cancel_sign_up_in(&txn, activity_id, s.volunteer_id, now)
                .await?;
        }
        txn.commit().await?;
        let activity = activity::Entity::find_by_id(activity_id)
            .one(&self.db)
            .await?
            .ok_or(StoreError::NotFound)?;
        Ok(LinkUse { purpose, activity })
    }
}

fn new_delivery(
    notification: Uuid,
    account: Uuid,
    channel: Channel,
    at: DateTime<Utc>,
    digest: bool,
    now: DateTime<Utc>,
) -> notification_delivery::ActiveModel {
    notification_delivery::ActiveModel {
        id: Set(Uuid::now_v7()),
        notification_id: Set(notification),
        account_id: Set(account),
        channel: Set(channel.into()),
        status: Set(SendStatus::Pending.into()),
        attempts: Set(0),
        next_attempt_at: Set(at),
        first_attempt_at: Set(None),
        last_error: Set(None),
        sent_at: Set(None),
        digest: Set(digest),
        created_at: Set(now),
    }
}

/// The first instant after a month (`YYYY-MM`), China time.
fn month_end(month: &str) -> Option<DateTime<Utc>> {
    let m = zhihui_domain::report::Month::parse(month).ok()?;
    Some(zhihui_domain::report::china_day_start(m.next().first_day()))
}
