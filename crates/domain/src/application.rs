//! Programme calls and funding applications (项目申报), rules 32-38: states, the rules a
//! submission must meet, endorsement quota arithmetic and weighted review scores.

use crate::ProblemCode;
use chrono::{DateTime, NaiveDate, Utc};

use crate::organization::string_enum;
use crate::OrganizationCategory;

string_enum! {
    /// States of an application. A return for revision sends it back to `draft` with the
    /// reason kept.
    ApplicationStatus {
        Draft => "draft",
        /// Submitted; awaiting endorsement where the call requires it, otherwise in review.
        Submitted => "submitted",
        /// Endorsed by the provincial association; in review.
        Endorsed => "endorsed",
        EndorsementDeclined => "endorsement_declined",
        Approved => "approved",
        Rejected => "rejected",
    }
}

impl ApplicationStatus {
    /// The status as the programme names it (项目申报): an approved application is a project
    /// set up (已立项), not merely a passed form. Screens and exports both read this.
    pub fn title_zh(self) -> &'static str {
        match self {
            ApplicationStatus::Draft => "草稿",
            ApplicationStatus::Submitted => "已提交",
            ApplicationStatus::Endorsed => "已推荐",
            ApplicationStatus::EndorsementDeclined => "未获推荐",
            ApplicationStatus::Approved => "已立项",
            ApplicationStatus::Rejected => "未立项",
        }
    }

    pub fn title_en(self) -> &'static str {
        match self {
            ApplicationStatus::Draft => "Draft",
            ApplicationStatus::Submitted => "Submitted",
            ApplicationStatus::Endorsed => "Endorsed",
            ApplicationStatus::EndorsementDeclined => "Not endorsed",
            ApplicationStatus::Approved => "Approved as a project",
            ApplicationStatus::Rejected => "Not approved",
        }
    }
}

string_enum! {
    /// Where a call stands now: before `opens_at`, taking applications, or after
    /// `closes_at`.
    CallState {
        Upcoming => "upcoming",
        Open => "open",
        Closed => "closed",
    }
}

impl CallState {
    /// Where a call stands at `now`: upcoming before it opens, open up to and including its
    /// closing instant, closed after.
    pub fn at(now: DateTime<Utc>, opens_at: DateTime<Utc>, closes_at: DateTime<Utc>) -> Self {
        if now < opens_at {
            CallState::Upcoming
        } else if now <= closes_at {
            CallState::Open
        } else {
            CallState::Closed
        }
    }

    /// The order calls are listed in: open, then upcoming, then closed.
    pub fn listing_rank(self) -> u8 {
        match self {
            CallState::Open => 0,
            CallState::Upcoming => 1,
            CallState::Closed => 2,
        }
    }
}

string_enum! {
    /// What can be done to an application, by whom the roles say (`allowed_actions`).
    ApplicationAction {
        /// Change the draft (the applicant's admins).
        Update => "update",
        /// Attach a file to the draft.
        Attach => "attach",
        Submit => "submit",
        /// The provincial association of the applicant's province (推荐).
        Endorse => "endorse",
        DeclineEndorsement => "decline_endorsement",
        /// The platform admin, while the application is in review.
        AssignReviewers => "assign_reviewers",
        /// An assigned reviewer, while the application is in review.
        Review => "review",
        Decide => "decide",
        /// The applicant's admins, once the project is approved (结项总结).
        SubmitSummary => "submit_summary",
    }
}

/// Who the caller is to an application.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ApplicationRoles {
    /// An admin of the applicant.
    pub applicant: bool,
    /// An admin of the provincial association of the applicant's province.
    pub province: bool,
    /// A reviewer assigned to the application.
    pub reviewer: bool,
    pub platform: bool,
}

/// The states in which an application is in review: endorsed where the call asks for
/// endorsements, otherwise submitted.
pub fn in_review(endorsement_required: bool) -> &'static [ApplicationStatus] {
    if endorsement_required {
        &[ApplicationStatus::Endorsed]
    } else {
        &[ApplicationStatus::Submitted]
    }
}

/// The state an action may start from (`None`: from any state in review).
pub fn action_starts_from(
    action: ApplicationAction,
    endorsement_required: bool,
) -> &'static [ApplicationStatus] {
    use ApplicationAction as A;
    match action {
        A::Update | A::Attach | A::Submit => &[ApplicationStatus::Draft],
        A::Endorse | A::DeclineEndorsement => &[ApplicationStatus::Submitted],
        A::AssignReviewers | A::Review | A::Decide => in_review(endorsement_required),
        A::SubmitSummary => &[ApplicationStatus::Approved],
    }
}

/// What the caller may do to an application now: the one rule the service checks and the
/// dashboard shows. Endorsement exists only where the call asks for it.
pub fn allowed_actions(
    status: ApplicationStatus,
    endorsement_required: bool,
    roles: ApplicationRoles,
) -> Vec<ApplicationAction> {
    use ApplicationAction as A;
    A::ALL
        .iter()
        .copied()
        .filter(|a| match a {
            A::Update | A::Attach | A::Submit | A::SubmitSummary => roles.applicant,
            A::Endorse | A::DeclineEndorsement => roles.province && endorsement_required,
            A::AssignReviewers | A::Decide => roles.platform,
            A::Review => roles.reviewer,
        })
        .filter(|a| action_starts_from(*a, endorsement_required).contains(&status))
        .collect()
}

string_enum! {
    /// Which application form a call uses.
    FormVariant {
        /// 学会
        Society => "society",
        /// 县级志愿服务联合会
        CountyVolunteerFederation => "county_volunteer_federation",
        /// 科普服务汇中心
        HubCentre => "hub_centre",
    }
}

string_enum! {
    /// The platform admin's decision on an application.
    Decision {
        Approve => "approve",
        Reject => "reject",
        /// Back to draft for revision, with the reason.
        Return => "return",
    }
}

string_enum! {
    /// One entry of an application's history (办理记录).
    ApplicationEvent {
        Created => "created",
        Updated => "updated",
        AttachmentAdded => "attachment_added",
        Submitted => "submitted",
        /// Submitted again after a return for revision.
        Resubmitted => "resubmitted",
        Endorsed => "endorsed",
        EndorsementDeclined => "endorsement_declined",
        ReviewersAssigned => "reviewers_assigned",
        Approved => "approved",
        Rejected => "rejected",
        Returned => "returned",
        SummarySubmitted => "summary_submitted",
    }
}

impl ApplicationEvent {
    /// What a submission records: a first submission, or one after a return for revision.
    pub fn submission(after_return: bool) -> Self {
        if after_return {
            ApplicationEvent::Resubmitted
        } else {
            ApplicationEvent::Submitted
        }
    }
}

impl Decision {
    /// What the decision records in the history.
    pub fn event(self) -> ApplicationEvent {
        match self {
            Decision::Approve => ApplicationEvent::Approved,
            Decision::Reject => ApplicationEvent::Rejected,
            Decision::Return => ApplicationEvent::Returned,
        }
    }
}

impl ApplicationStatus {
    /// Whether the platform has decided (approved or rejected): the applicant then sees the
    /// reviews, without the reviewers' names.
    pub fn is_decided(self) -> bool {
        matches!(
            self,
            ApplicationStatus::Approved | ApplicationStatus::Rejected
        )
    }
}

/// Highest score of one review criterion.
pub const MAX_SCORE: u32 = 100;

/// One rule of rule 34 (and 33, 35) that a submission breaks: the field it concerns, a stable
/// code and a sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubmissionProblem {
    pub field: &'static str,
    pub code: ProblemCode,
    pub message: String,
}

fn problem(
    field: &'static str,
    code: ProblemCode,
    message: impl Into<String>,
) -> SubmissionProblem {
    SubmissionProblem {
        field,
        code,
        message: message.into(),
    }
}

/// What the pairing an application relies on turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PairingFact {
    /// No pairing named.
    None,
    /// Unknown proof, or a pairing the applicant is not a party to.
    NotTheApplicants,
    /// The applicant's pairing, but ended before the call opened.
    Ended,
    /// The applicant's pairing, current.
    Valid,
}

/// Everything a submission is judged on, gathered by the caller.
#[derive(Debug, Clone)]
pub struct Submission {
    pub now: DateTime<Utc>,
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    /// Set when the application was returned for revision with its own deadline.
    pub revision_deadline: Option<DateTime<Utc>>,
    pub eligible: Vec<OrganizationCategory>,
    pub applicant: OrganizationCategory,
    pub cap_fen: i64,
    pub requested_fen: i64,
    pub budget_fen: Vec<i64>,
    pub pairing_required: bool,
    pub pairing: PairingFact,
    /// Rule 35: for a national society, whether a provincial society of the paired region
    /// takes part (`None`: none named; `Some(false)`: named but not of that province).
    pub provincial_partner: Option<bool>,
}

/// The rules a submission breaks (empty: it may be submitted). Each has its own code.
pub fn check_submission(s: &Submission) -> Vec<SubmissionProblem> {
    let mut out = vec![];
    let deadline = match s.revision_deadline {
        Some(r) if r > s.closes_at => r,
        _ => s.closes_at,
    };
    if s.now < s.opens_at {
        out.push(problem(
            "call_id",
            ProblemCode::CallNotOpen,
            "the call has not opened yet",
        ));
    } else if s.now > deadline {
        out.push(problem(
            "call_id",
            ProblemCode::CallClosed,
            "the call closed; applications are no longer taken",
        ));
    }
    if !s.eligible.contains(&s.applicant) {
        out.push(problem(
            "applicant_id",
            ProblemCode::IneligibleCategory,
            format!(
                "{} organisations may not apply to this call",
                s.applicant.as_str()
            ),
        ));
    }
    if s.requested_fen <= 0 {
        out.push(problem(
            "requested_fen",
            ProblemCode::AmountRequired,
            "the amount requested is above zero",
        ));
    } else if s.requested_fen > s.cap_fen {
        out.push(problem(
            "requested_fen",
            ProblemCode::AboveCap,
            format!("the call funds at most {} per application", yuan(s.cap_fen)),
        ));
    }
    for (i, line) in s.budget_fen.iter().enumerate() {
        if *line > s.cap_fen {
            out.push(problem(
                "budget",
                ProblemCode::BudgetLineAboveCap,
                format!(
                    "line {} asks for {}; one line cannot exceed the call's cap of {}",
                    i + 1,
                    yuan(*line),
                    yuan(s.cap_fen)
                ),
            ));
        }
    }
    // Summed in i128: no list of i64 amounts can wrap it.
    let total: i128 = s.budget_fen.iter().map(|f| i128::from(*f)).sum();
    if s.budget_fen.is_empty() || total != i128::from(s.requested_fen) {
        out.push(problem(
            "budget",
            ProblemCode::BudgetMismatch,
            format!(
                "the budget lines add up to {}, the request is {}",
                yuan_wide(total),
                yuan(s.requested_fen)
            ),
        ));
    }
    if s.pairing_required {
        match s.pairing {
            PairingFact::None => out.push(problem(
                "pairing_proof",
                ProblemCode::PairingRequired,
                "this call requires the proof of an accepted pairing",
            )),
            PairingFact::NotTheApplicants => out.push(problem(
                "pairing_proof",
                ProblemCode::PairingNotFound,
                "no accepted pairing of the applicant has this proof number",
            )),
            PairingFact::Ended => out.push(problem(
                "pairing_proof",
                ProblemCode::PairingEnded,
                "the pairing ended; a current pairing is required",
            )),
            PairingFact::Valid => {}
        }
    }
    if s.applicant == OrganizationCategory::NationalSociety {
        match s.provincial_partner {
            None => out.push(problem(
                "provincial_partner_id",
                ProblemCode::ProvincialPartnerRequired,
                "a national society brings in the provincial society of the paired region",
            )),
            Some(false) => out.push(problem(
                "provincial_partner_id",
                ProblemCode::ProvincialPartnerRegion,
                "the provincial society is of the province of the paired county",
            )),
            Some(true) => {}
        }
    }
    out
}

/// Fen as yuan for messages: `200000.00 元`.
pub fn yuan(fen: i64) -> String {
    yuan_wide(i128::from(fen))
}

/// [`yuan`] of a sum that may exceed `i64`.
pub fn yuan_wide(fen: i128) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    let f = fen.unsigned_abs();
    format!("{sign}{}.{:02} 元", f / 100, f % 100)
}

/// The province a region code belongs to: `130102` → `130000`.
pub fn province_of(region_code: &str) -> String {
    let head: String = region_code.chars().take(2).collect();
    format!("{head}0000")
}

/// Whether one more endorsement fits the per-province quota.
pub fn quota_allows(endorsed_in_province: i64, quota: i64) -> bool {
    endorsed_in_province < quota
}

/// The weighted score of one review: Σ weight × score / Σ weight, on 0-100.
pub fn weighted_score(weights_and_scores: &[(u32, u32)]) -> f64 {
    let w: u64 = weights_and_scores.iter().map(|(w, _)| u64::from(*w)).sum();
    if w == 0 {
        return 0.0;
    }
    let s: u64 = weights_and_scores
        .iter()
        .map(|(w, s)| u64::from(*w) * u64::from(*s))
        .sum();
    round2(s as f64 / w as f64)
}

/// The mean of reviews' weighted scores, rounded to two decimals.
pub fn average(scores: &[f64]) -> Option<f64> {
    if scores.is_empty() {
        return None;
    }
    Some(round2(scores.iter().sum::<f64>() / scores.len() as f64))
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// Whether a project summary filed on `filed` is late against the call's due date.
pub fn summary_late(filed: NaiveDate, due: NaiveDate) -> bool {
    filed > due
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn each_decision_records_its_own_history_entry() {
        assert_eq!(Decision::Approve.event(), ApplicationEvent::Approved);
        assert_eq!(Decision::Reject.event(), ApplicationEvent::Rejected);
        assert_eq!(Decision::Return.event(), ApplicationEvent::Returned);
        assert_eq!(
            ApplicationEvent::submission(false),
            ApplicationEvent::Submitted
        );
        assert_eq!(
            ApplicationEvent::submission(true),
            ApplicationEvent::Resubmitted
        );
        let decided: Vec<_> = ApplicationStatus::ALL
            .iter()
            .filter(|s| s.is_decided())
            .collect();
        assert_eq!(
            decided,
            [&ApplicationStatus::Approved, &ApplicationStatus::Rejected]
        );
    }

    fn t(m: u32, d: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, m, d, 0, 0, 0)
            .single()
            .unwrap_or_default()
    }

    fn good() -> Submission {
        Submission {
            now: t(6, 10),
            opens_at: t(6, 1),
            closes_at: t(6, 30),
            revision_deadline: None,
            eligible: vec![OrganizationCategory::ProvincialSociety],
            applicant: OrganizationCategory::ProvincialSociety,
            cap_fen: 20_000_000,
            requested_fen: 15_000_000,
            budget_fen: vec![10_000_000, 5_000_000],
            pairing_required: true,
            pairing: PairingFact::Valid,
            provincial_partner: None,
        }
    }

    fn codes(s: &Submission) -> Vec<ProblemCode> {
        check_submission(s).into_iter().map(|p| p.code).collect()
    }

    #[test]
    fn each_role_is_offered_what_it_may_do_in_each_state() {
        use ApplicationAction as A;
        let applicant = ApplicationRoles {
            applicant: true,
            ..Default::default()
        };
        let province = ApplicationRoles {
            province: true,
            ..Default::default()
        };
        let platform = ApplicationRoles {
            platform: true,
            ..Default::default()
        };
        let reviewer = ApplicationRoles {
            reviewer: true,
            ..Default::default()
        };
        let s = ApplicationStatus::Submitted;
        assert_eq!(
            allowed_actions(ApplicationStatus::Draft, true, applicant),
            [A::Update, A::Attach, A::Submit]
        );
        assert!(allowed_actions(s, true, applicant).is_empty());
        assert_eq!(
            allowed_actions(s, true, province),
            [A::Endorse, A::DeclineEndorsement]
        );
        assert!(
            allowed_actions(s, false, province).is_empty(),
            "no endorsement asked"
        );
        // Where endorsement is required, a submitted application is not in review yet: the
        // platform may not decide it (the dashboard once offered that).
        assert!(allowed_actions(s, true, platform).is_empty());
        assert_eq!(
            allowed_actions(s, false, platform),
            [A::AssignReviewers, A::Decide]
        );
        assert_eq!(
            allowed_actions(ApplicationStatus::Endorsed, true, platform),
            [A::AssignReviewers, A::Decide]
        );
        assert_eq!(
            allowed_actions(ApplicationStatus::Endorsed, true, reviewer),
            [A::Review]
        );
        assert_eq!(
            allowed_actions(ApplicationStatus::Approved, true, applicant),
            [A::SubmitSummary]
        );
        assert!(allowed_actions(
            ApplicationStatus::Rejected,
            true,
            ApplicationRoles {
                applicant: true,
                province: true,
                reviewer: true,
                platform: true
            }
        )
        .is_empty());
    }

    #[test]
    fn a_sound_submission_passes() {
        assert!(codes(&good()).is_empty());
    }

    #[test]
    fn each_rule_has_its_code() {
        let mut s = good();
        s.now = t(5, 31);
        assert_eq!(codes(&s), vec!["call_not_open"]);
        s.now = t(7, 1);
        assert_eq!(codes(&s), vec!["call_closed"]);
        s.revision_deadline = Some(t(7, 5));
        assert!(codes(&s).is_empty(), "a revision deadline extends the call");
        let mut s = good();
        s.applicant = OrganizationCategory::Enterprise;
        assert_eq!(codes(&s), vec!["ineligible_category"]);
        let mut s = good();
        s.requested_fen = 20_000_001;
        s.budget_fen = vec![20_000_001];
        assert_eq!(codes(&s), vec!["above_cap", "budget_line_above_cap"]);
        let mut s = good();
        s.requested_fen = 100_000;
        s.budget_fen = vec![i64::MAX, i64::MAX, 100_002];
        let c = codes(&s);
        assert!(
            c.contains(&ProblemCode::BudgetMismatch)
                && c.contains(&ProblemCode::BudgetLineAboveCap),
            "lines that would wrap an i64 sum do not add up to the request: {c:?}"
        );
        assert!(yuan(i64::MIN).starts_with("-92233720368547758.08"));
        let mut s = good();
        s.budget_fen = vec![10_000_000];
        assert_eq!(codes(&s), vec!["budget_mismatch"]);
        for (fact, code) in [
            (PairingFact::None, "pairing_required"),
            (PairingFact::NotTheApplicants, "pairing_not_found"),
            (PairingFact::Ended, "pairing_ended"),
        ] {
            let mut s = good();
            s.pairing = fact;
            assert_eq!(codes(&s), vec![code]);
        }
        let mut s = good();
        s.pairing_required = false;
        s.pairing = PairingFact::None;
        assert!(codes(&s).is_empty());
        let mut s = good();
        s.eligible.push(OrganizationCategory::NationalSociety);
        s.applicant = OrganizationCategory::NationalSociety;
        assert_eq!(codes(&s), vec!["provincial_partner_required"]);
        s.provincial_partner = Some(false);
        assert_eq!(codes(&s), vec!["provincial_partner_region"]);
        s.provincial_partner = Some(true);
        assert!(codes(&s).is_empty());
    }

    #[test]
    fn scores_weigh_and_average() {
        assert_eq!(weighted_score(&[(60, 80), (40, 90)]), 84.0);
        assert_eq!(weighted_score(&[(1, 70), (2, 71)]), 70.67);
        assert_eq!(weighted_score(&[]), 0.0);
        assert_eq!(average(&[84.0, 70.67]), Some(77.34));
        assert_eq!(average(&[]), None);
    }

    #[test]
    fn money_regions_quota_and_lateness() {
        assert_eq!(yuan(20_000_000), "200000.00 元");
        assert_eq!(yuan(105), "1.05 元");
        assert_eq!(province_of("130102"), "130000");
        assert!(quota_allows(0, 1));
        assert!(!quota_allows(1, 1));
        let due = NaiveDate::from_ymd_opt(2027, 8, 31).unwrap_or_default();
        assert!(!summary_late(due, due));
        assert!(summary_late(due.succ_opt().unwrap_or_default(), due));
    }
}
