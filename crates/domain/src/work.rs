//! What is waiting for a person (待办), for the landing page (工作台) of the people who run
//! organisations, review and run the platform. Each kind of work is a step of a state machine
//! someone may take now: which statuses it starts from is read off that machine's own
//! transition function, so the count and the step can never disagree.

use crate::activity::{activity_action_starts_from, sign_up_transition};
use crate::organization::string_enum;
use crate::{
    membership_transition, organization_transition, report_action_starts_from, LetterAction,
    LetterStatus, MembershipAction, MembershipStatus, OrganizationAction, OrganizationStatus,
    ReportAction, ReportStatus,
};
use crate::{ActivityAction, ActivityStatus, SignUpAction, SignUpStatus};

string_enum! {
    /// A kind of work waiting for someone (待办).
    WorkKind {
        /// Volunteers asking to join a team the person administers (入队申请).
        JoinRequests => "join_requests",
        /// Organisations registered under one the person administers, or at the top of the
        /// tree for platform admins, waiting for approval (注册审核).
        OrganizationsToApprove => "organizations_to_approve",
        /// Pairing letters received and not yet answered, before their deadline (结对函).
        LettersToAnswer => "letters_to_answer",
        /// Monthly reports of the organisations directly below, submitted and waiting to be
        /// accepted or returned (月报审核).
        ReportsToAccept => "reports_to_accept",
        /// Applications of the province waiting for its endorsement (推荐).
        ApplicationsToEndorse => "applications_to_endorse",
        /// Applications in review waiting for the platform's decision (评审决定).
        ApplicationsToDecide => "applications_to_decide",
        /// Applications assigned to the person for review, not yet scored (评审).
        ReviewsToWrite => "reviews_to_write",
        /// Activities of a team the person administers that have ended with attendances
        /// whose hours are not yet confirmed, before the confirmation deadline (确认时长).
        HoursToConfirm => "hours_to_confirm",
        /// Campaigns asking an organisation the person administers that it has not
        /// completed, while it may still change its entries (征集填报).
        CampaignsToAnswer => "campaigns_to_answer",
        /// Open needs posted by an organisation directly below one the person administers,
        /// within their window, waiting to be dispatched (派单).
        NeedsToDispatch => "needs_to_dispatch",
        /// Entries submitted to a campaign an organisation the person administers opened,
        /// waiting to be accepted (征集条目采纳).
        CampaignEntriesToAccept => "campaign_entries_to_accept",
    }
}

/// The statuses from which `action` may be taken, as `transition` says.
pub fn starts_from<S: Copy, A: Copy, T, E>(
    all: &[S],
    action: A,
    transition: impl Fn(S, A) -> Result<T, E>,
) -> Vec<S> {
    all.iter()
        .copied()
        .filter(|s| transition(*s, action).is_ok())
        .collect()
}

/// Join requests are memberships an admin may approve.
pub fn join_request_statuses() -> Vec<MembershipStatus> {
    starts_from(
        MembershipStatus::ALL,
        MembershipAction::Approve,
        membership_transition,
    )
}

/// Registrations waiting are those the parent may approve.
pub fn registration_statuses() -> Vec<OrganizationStatus> {
    starts_from(
        OrganizationStatus::ALL,
        OrganizationAction::Approve,
        organization_transition,
    )
}

/// Letters to answer are those the recipient may accept (a sent letter past its deadline is
/// expired, which the count leaves out by its sending time).
pub fn letter_statuses() -> Vec<LetterStatus> {
    starts_from(
        LetterStatus::ALL,
        LetterAction::Accept,
        crate::pairing::transition,
    )
}

/// Reports to accept are those the parent may accept.
pub fn report_statuses() -> Vec<ReportStatus> {
    report_action_starts_from(ReportAction::Accept).to_vec()
}

/// Activities whose hours are to be confirmed are those that may have hours confirmed.
pub fn hours_activity_statuses() -> Vec<ActivityStatus> {
    activity_action_starts_from(ActivityAction::ConfirmHours).to_vec()
}

/// Attendances waiting for their hours are sign-ups that may have hours confirmed.
pub fn hours_sign_up_statuses() -> Vec<SignUpStatus> {
    starts_from(
        SignUpStatus::ALL,
        SignUpAction::ConfirmHours,
        sign_up_transition,
    )
}

/// Needs to dispatch are those the parent may dispatch, as stored (`need::stored_as`); each
/// of those statuses expires with its window (`need::can_expire`), which the count compares
/// with today.
pub fn dispatch_statuses() -> Vec<crate::NeedStatus> {
    let mut out: Vec<crate::NeedStatus> =
        crate::need::need_action_starts_from(crate::NeedAction::Dispatch)
            .into_iter()
            .flat_map(|s| crate::need::stored_as(s).iter().copied())
            .collect();
    out.dedup();
    out
}

/// Entries to accept are those the owner may accept, in campaigns that still take it.
pub fn entry_accept_statuses() -> Vec<crate::EntryStatus> {
    starts_from(
        crate::EntryStatus::ALL,
        crate::EntryAction::Accept,
        crate::campaign::entry_transition,
    )
}

/// Campaign states in which entries are accepted: all but the draft.
pub fn accepting_campaign_statuses() -> Vec<crate::CampaignStatus> {
    crate::CampaignStatus::ALL
        .iter()
        .copied()
        .filter(|s| *s != crate::CampaignStatus::Draft)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_of_work_starts_where_its_step_does() {
        assert_eq!(join_request_statuses(), [MembershipStatus::Pending]);
        assert_eq!(registration_statuses(), [OrganizationStatus::Pending]);
        assert_eq!(letter_statuses(), [LetterStatus::Sent]);
        assert_eq!(report_statuses(), [ReportStatus::Submitted]);
        assert_eq!(hours_activity_statuses(), [ActivityStatus::Published]);
        assert_eq!(hours_sign_up_statuses(), [SignUpStatus::Confirmed]);
        assert_eq!(dispatch_statuses(), [crate::NeedStatus::Open]);
        assert!(dispatch_statuses()
            .iter()
            .all(|s| crate::need::can_expire(*s)));
        assert_eq!(entry_accept_statuses(), [crate::EntryStatus::Submitted]);
        assert_eq!(
            accepting_campaign_statuses(),
            [crate::CampaignStatus::Open, crate::CampaignStatus::Closed]
        );
    }
}
