//! What is waiting for a person (待办): counts of the documents whose next step is theirs.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::ConnectionTrait;
use uuid::Uuid;
use zhihui_domain::{
    ActivityStatus, ApplicationStatus, CampaignStatus, ClosedSet, EntryStatus, LetterStatus,
    MembershipStatus, NeedStatus, OrganizationStatus, ReportStatus, SignUpStatus, WorkKind,
};

use crate::repo::Binder;
use crate::{Store, StoreResult};

/// Whose work to count, and the statuses each kind starts from (the domain's, from its
/// state machines).
#[derive(Debug, Clone)]
pub struct WorkQuery {
    /// Approved organisations the person administers.
    pub organizations: Vec<Uuid>,
    /// A platform admin: registrations at the top of the tree and decisions.
    pub platform: bool,
    /// Province codes whose provincial association the person administers (endorsements).
    pub provinces: Vec<String>,
    /// The person, as a reviewer.
    pub reviewer: Uuid,
    pub join_requests: Vec<MembershipStatus>,
    pub registrations: Vec<OrganizationStatus>,
    pub letters: Vec<LetterStatus>,
    /// Letters sent before this are past their answer deadline (expired).
    pub letters_sent_after: DateTime<Utc>,
    pub reports: Vec<ReportStatus>,
    /// Statuses an application is endorsed from (calls that ask for endorsement).
    pub endorse: Vec<ApplicationStatus>,
    /// Statuses the platform decides an application from, for calls with and without
    /// endorsement.
    pub decide_with_endorsement: Vec<ApplicationStatus>,
    pub decide_without_endorsement: Vec<ApplicationStatus>,
    /// Statuses a reviewer scores an application in, likewise.
    pub review_with_endorsement: Vec<ApplicationStatus>,
    pub review_without_endorsement: Vec<ApplicationStatus>,
    /// Activities and sign-ups hours are confirmed from.
    pub hours_activities: Vec<ActivityStatus>,
    pub hours_sign_ups: Vec<SignUpStatus>,
    /// Hours are confirmed after the end and before the deadline: activities that ended
    /// in this range.
    pub hours_ended: (DateTime<Utc>, DateTime<Utc>),
    /// Campaign states an organisation answers in, and today (China's date): submissions
    /// not completed whose deadline or reopening is today or later.
    pub campaigns: Vec<CampaignStatus>,
    pub today: NaiveDate,
    /// Need statuses the parent dispatches from (their window not yet past `today`).
    pub dispatch: Vec<NeedStatus>,
    /// Entry statuses accepted from, in campaigns of these states.
    pub accept_entries: Vec<EntryStatus>,
    pub accepting_campaigns: Vec<CampaignStatus>,
}

/// One count: a kind of work, the organisation it is for (none for the province's, the
/// platform's and a reviewer's), and how many.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkCount {
    pub kind: WorkKind,
    pub organization: Option<Uuid>,
    pub count: i64,
}

/// The spellings of statuses, for `IN (…)`.
fn names<S: ClosedSet>(statuses: &[S]) -> Vec<String> {
    statuses.iter().map(|s| s.as_str().to_string()).collect()
}

impl Store {
    /// Counts what is waiting for a person, by kind and organisation, in one statement;
    /// kinds with nothing waiting are left out.
    pub async fn work_counts(&self, q: &WorkQuery) -> StoreResult<Vec<WorkCount>> {
        let mut b = Binder::new(self.db.get_database_backend());
        let mut parts: Vec<String> = vec![];
        let in_review =
            |b: &mut Binder, with: &[ApplicationStatus], without: &[ApplicationStatus]| {
                let mut any = vec![];
                if !with.is_empty() {
                    let t = b.bind(true);
                    let l = b.list(&names(with));
                    any.push(format!(
                        "(c.endorsement_required = {t} AND a.status IN ({l}))"
                    ));
                }
                if !without.is_empty() {
                    let f = b.bind(false);
                    let l = b.list(&names(without));
                    any.push(format!(
                        "(c.endorsement_required = {f} AND a.status IN ({l}))"
                    ));
                }
                if any.is_empty() {
                    "1 = 0".to_string()
                } else {
                    format!("({})", any.join(" OR "))
                }
            };
        let orgs = !q.organizations.is_empty();
        if orgs && !q.join_requests.is_empty() {
            let o = b.list(&q.organizations);
            let s = b.list(&names(&q.join_requests));
            parts.push(format!(
                "SELECT '{}' AS kind, m.organization_id AS org, CAST(count(*) AS BIGINT) AS n \
                 FROM memberships m WHERE m.organization_id IN ({o}) AND m.status IN ({s}) \
                 GROUP BY m.organization_id",
                WorkKind::JoinRequests.as_str()
            ));
        }
        if !q.registrations.is_empty() && (orgs || q.platform) {
            let s = names(&q.registrations);
            if orgs {
                let o = b.list(&q.organizations);
                let s = b.list(&s);
                parts.push(format!(
                    "SELECT '{}', o.parent_id, CAST(count(*) AS BIGINT) FROM organizations o \
                     WHERE o.parent_id IN ({o}) AND o.status IN ({s}) GROUP BY o.parent_id",
                    WorkKind::OrganizationsToApprove.as_str()
                ));
            }
            if q.platform {
                let s = b.list(&s);
                parts.push(format!(
                    "SELECT '{}', CAST(NULL AS UUID), CAST(count(*) AS BIGINT) \
                     FROM organizations o WHERE o.parent_id IS NULL AND o.status IN ({s})",
                    WorkKind::OrganizationsToApprove.as_str()
                ));
            }
        }
        if orgs && !q.letters.is_empty() {
            let o = b.list(&q.organizations);
            let s = b.list(&names(&q.letters));
            let after = b.bind(q.letters_sent_after);
            parts.push(format!(
                "SELECT '{}', l.recipient_id, CAST(count(*) AS BIGINT) FROM pairing_letters l \
                 WHERE l.recipient_id IN ({o}) AND l.status IN ({s}) AND l.sent_at > {after} \
                 GROUP BY l.recipient_id",
                WorkKind::LettersToAnswer.as_str()
            ));
        }
        if orgs && !q.reports.is_empty() {
            let o = b.list(&q.organizations);
            let s = b.list(&names(&q.reports));
            parts.push(format!(
                "SELECT '{}', o.parent_id, CAST(count(*) AS BIGINT) FROM monthly_reports r \
                 JOIN organizations o ON o.id = r.organization_id \
                 WHERE o.parent_id IN ({o}) AND r.status IN ({s}) GROUP BY o.parent_id",
                WorkKind::ReportsToAccept.as_str()
            ));
        }
        if orgs && !q.hours_activities.is_empty() && !q.hours_sign_ups.is_empty() {
            let o = b.list(&q.organizations);
            let s = b.list(&names(&q.hours_activities));
            let (since, until) = (b.bind(q.hours_ended.0), b.bind(q.hours_ended.1));
            let su = b.list(&names(&q.hours_sign_ups));
            let absent = b.bind(false);
            parts.push(format!(
                "SELECT '{}', a.organization_id, CAST(count(*) AS BIGINT) FROM activities a \
                 WHERE a.organization_id IN ({o}) AND a.status IN ({s}) \
                 AND a.ends_at >= {since} AND a.ends_at <= {until} \
                 AND EXISTS (SELECT 1 FROM sign_ups su WHERE su.activity_id = a.id \
                 AND su.status IN ({su}) AND su.absent = {absent} \
                 AND su.checked_in_at IS NOT NULL AND NOT EXISTS \
                 (SELECT 1 FROM service_records sr WHERE sr.sign_up_id = su.id)) \
                 GROUP BY a.organization_id",
                WorkKind::HoursToConfirm.as_str()
            ));
        }
        if orgs && !q.campaigns.is_empty() {
            let o = b.list(&q.organizations);
            let s = b.list(&names(&q.campaigns));
            let (d, r) = (b.bind(q.today), b.bind(q.today));
            parts.push(format!(
                "SELECT '{}', cs.organization_id, CAST(count(*) AS BIGINT) \
                 FROM campaign_submissions cs JOIN campaigns c ON c.id = cs.campaign_id \
                 WHERE cs.organization_id IN ({o}) AND c.status IN ({s}) \
                 AND cs.completed_on IS NULL AND (c.deadline >= {d} OR cs.reopened_until >= {r}) \
                 GROUP BY cs.organization_id",
                WorkKind::CampaignsToAnswer.as_str()
            ));
        }
        if orgs && !q.dispatch.is_empty() {
            let o = b.list(&q.organizations);
            let s = b.list(&names(&q.dispatch));
            let d = b.bind(q.today);
            parts.push(format!(
                "SELECT '{}', o.parent_id, CAST(count(*) AS BIGINT) FROM service_needs n \
                 JOIN organizations o ON o.id = n.requester_id \
                 WHERE o.parent_id IN ({o}) AND n.status IN ({s}) AND n.window_to >= {d} \
                 GROUP BY o.parent_id",
                WorkKind::NeedsToDispatch.as_str()
            ));
        }
        if orgs && !q.accept_entries.is_empty() && !q.accepting_campaigns.is_empty() {
            let o = b.list(&q.organizations);
            let s = b.list(&names(&q.accept_entries));
            let c = b.list(&names(&q.accepting_campaigns));
            parts.push(format!(
                "SELECT '{}', c.owner_id, CAST(count(*) AS BIGINT) FROM campaign_entries e \
                 JOIN campaigns c ON c.id = e.campaign_id \
                 WHERE c.owner_id IN ({o}) AND e.status IN ({s}) AND c.status IN ({c}) \
                 GROUP BY c.owner_id",
                WorkKind::CampaignEntriesToAccept.as_str()
            ));
        }
        if !q.provinces.is_empty() && !q.endorse.is_empty() {
            let p = b.list(&q.provinces);
            let t = b.bind(true);
            let s = b.list(&names(&q.endorse));
            parts.push(format!(
                "SELECT '{}', CAST(NULL AS UUID), CAST(count(*) AS BIGINT) FROM applications a \
                 JOIN calls c ON c.id = a.call_id WHERE c.endorsement_required = {t} \
                 AND a.province_code IN ({p}) AND a.status IN ({s})",
                WorkKind::ApplicationsToEndorse.as_str()
            ));
        }
        if q.platform {
            let cond = in_review(
                &mut b,
                &q.decide_with_endorsement,
                &q.decide_without_endorsement,
            );
            parts.push(format!(
                "SELECT '{}', CAST(NULL AS UUID), CAST(count(*) AS BIGINT) FROM applications a \
                 JOIN calls c ON c.id = a.call_id WHERE {cond}",
                WorkKind::ApplicationsToDecide.as_str()
            ));
        }
        let cond = in_review(
            &mut b,
            &q.review_with_endorsement,
            &q.review_without_endorsement,
        );
        let me = b.bind(q.reviewer);
        parts.push(format!(
            "SELECT '{}', CAST(NULL AS UUID), CAST(count(*) AS BIGINT) \
             FROM reviewer_assignments ra JOIN applications a ON a.id = ra.application_id \
             JOIN calls c ON c.id = a.call_id WHERE ra.reviewer_id = {me} AND {cond} \
             AND NOT EXISTS (SELECT 1 FROM reviews rv WHERE rv.application_id = ra.application_id \
             AND rv.reviewer_id = ra.reviewer_id)",
            WorkKind::ReviewsToWrite.as_str()
        ));
        let sql = parts.join(" UNION ALL ");
        let mut out = vec![];
        for r in self.db.query_all(b.statement(sql)).await? {
            let kind: String = r.try_get_by_index(0)?;
            let count: i64 = r.try_get_by_index(2)?;
            let Some(kind) = WorkKind::parse(&kind) else {
                continue;
            };
            if count > 0 {
                out.push(WorkCount {
                    kind,
                    organization: r.try_get_by_index(1)?,
                    count,
                });
            }
        }
        Ok(out)
    }
}
