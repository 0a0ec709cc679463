//! What is waiting for the caller (待办): the counts the dashboard's landing page (工作台)
//! shows, each linking to the list where the step is taken.

use std::collections::HashMap;

use actix_web::{get, web, HttpResponse};
use zhihui_contract::accounts::{OrganizationRef, WorkItem, WorkView};
use zhihui_contract::Problem;
use zhihui_domain::application::action_starts_from;
use zhihui_domain::{work, ApplicationAction, OrganizationStatus};
use zhihui_persistence::WorkQuery;

use crate::auth::Authenticated;
use crate::error::ApiError;
use crate::state::AppState;

/// What is waiting for the caller, by kind and organisation: join requests to the teams they
/// administer, registrations under them (at the top of the tree for platform admins), pairing
/// letters to answer before their deadline, the reports of the organisations directly below
/// to accept, applications to endorse (a provincial association's admins), to decide
/// (platform admins) and to review (the reviewer assigned), and the ended activities of
/// their teams with attendances whose hours are not yet confirmed, before the deadline. Each kind is counted from the
/// statuses its step starts from in the state machines, so what is counted is what the
/// caller can act on. Kinds with nothing waiting are left out. Read live on every call.
#[utoipa::path(tag = "accounts", security(("bearer" = [])), responses(
    (status = 200, body = WorkView),
    (status = 401, body = Problem, content_type = "application/problem+json"),
))]
#[get("/me/work")]
pub async fn get_my_work(
    state: web::Data<AppState>,
    who: Authenticated,
) -> Result<HttpResponse, ApiError> {
    let orgs: Vec<_> = state
        .store
        .organizations_by_ids(&who.admin_of)
        .await?
        .into_iter()
        .filter(|o| o.status == OrganizationStatus::Approved)
        .collect();
    let now = state.clock.now();
    let q = WorkQuery {
        organizations: orgs.iter().map(|o| o.id).collect(),
        platform: who.is_platform_admin,
        provinces: super::applications::association_provinces(&state, &who).await?,
        reviewer: who.account_id,
        join_requests: work::join_request_statuses(),
        registrations: work::registration_statuses(),
        letters: work::letter_statuses(),
        letters_sent_after: now - chrono::Duration::days(state.settings.letter_answer_days),
        reports: work::report_statuses(),
        endorse: action_starts_from(ApplicationAction::Endorse, true).to_vec(),
        decide_with_endorsement: action_starts_from(ApplicationAction::Decide, true).to_vec(),
        decide_without_endorsement: action_starts_from(ApplicationAction::Decide, false).to_vec(),
        review_with_endorsement: action_starts_from(ApplicationAction::Review, true).to_vec(),
        review_without_endorsement: action_starts_from(ApplicationAction::Review, false).to_vec(),
        hours_activities: work::hours_activity_statuses(),
        hours_sign_ups: work::hours_sign_up_statuses(),
        hours_ended: (
            zhihui_domain::activity::hours_confirmable_since(
                now,
                state.settings.confirm_working_days,
            ),
            now,
        ),
        campaigns: zhihui_domain::campaign::answering_statuses(),
        today: crate::clock::china_date(now),
        dispatch: work::dispatch_statuses(),
        accept_entries: work::entry_accept_statuses(),
        accepting_campaigns: work::accepting_campaign_statuses(),
    };
    let names: HashMap<_, _> = orgs.iter().map(|o| (o.id, o)).collect();
    let items = state
        .store
        .work_counts(&q)
        .await?
        .into_iter()
        .map(|c| WorkItem {
            kind: c.kind,
            organization: c
                .organization
                .and_then(|id| names.get(&id))
                .map(|o| OrganizationRef {
                    id: o.id,
                    name: o.name.clone(),
                    status: *o.status,
                }),
            count: c.count,
        })
        .collect();
    Ok(HttpResponse::Ok().json(WorkView {
        items,
        counted_at: now,
    }))
}
