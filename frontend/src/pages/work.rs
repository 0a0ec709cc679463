//! The landing page (工作台) of the people who run organisations, review and run the
//! platform: what is waiting for them, each count opening the list where the step is taken,
//! and their organisations.

use yew::prelude::*;
use yew_router::prelude::*;
use zhihui_contract::accounts::{WorkItem, WorkView};
use zhihui_domain::WorkKind;

use crate::app::Route;
use crate::components::{use_app, use_get, view_load};
use crate::i18n::{label, t};

/// Where a kind of work is done: the organisation's tab, or the applications list.
fn target(i: &WorkItem) -> Route {
    let tab = |tab: &str| {
        i.organization.as_ref().map(|o| Route::OrgTab {
            id: o.id.to_string(),
            tab: tab.to_string(),
        })
    };
    match i.kind {
        WorkKind::JoinRequests => tab("members"),
        WorkKind::OrganizationsToApprove => tab("children").or(Some(Route::Platform)),
        WorkKind::LettersToAnswer => tab("letters"),
        WorkKind::ReportsToAccept => tab("reports"),
        WorkKind::HoursToConfirm => tab("activities"),
        WorkKind::CampaignsToAnswer | WorkKind::CampaignEntriesToAccept => Some(Route::Campaigns),
        WorkKind::NeedsToDispatch => Some(Route::Needs),
        WorkKind::ApplicationsToEndorse
        | WorkKind::ApplicationsToDecide
        | WorkKind::ReviewsToWrite => Some(Route::Applications),
    }
    .unwrap_or(Route::Orgs)
}

#[component]
pub fn Workbench() -> Html {
    let app = use_app();
    let lang = app.lang;
    let (work, retry) = use_get::<WorkView>(Some("/me/work".into()));
    let orgs = app
        .me
        .as_ref()
        .map(|m| m.administered_organizations.clone())
        .unwrap_or_default();
    html! {
        <section class="page">
            <h1>{ t(lang, "work.title") }</h1>
            <section class="panel">
                <h2>{ t(lang, "work.waiting") }</h2>
                { view_load(&work, lang, &retry, |w| html! {
                    if w.items.is_empty() {
                        <p class="empty">{ t(lang, "work.nothing") }</p>
                    } else {
                        <ul class="work-items">{ for w.items.iter().map(|i| html! {
                            <li>
                                <Link<Route> to={target(i)} classes="work-item">
                                    <span class="work-count">{ i.count }</span>
                                    <span class="work-kind">{ label(lang, "work_kind", i.kind) }</span>
                                    if let Some(o) = &i.organization {
                                        <span class="meta">{ o.name.clone() }</span>
                                    }
                                </Link<Route>>
                            </li>
                        }) }</ul>
                    }
                }) }
            </section>
            if !orgs.is_empty() {
                <section class="panel">
                    <h2>{ t(lang, "nav.orgs") }</h2>
                    <ul class="plain">{ for orgs.iter().map(|o| html! {
                        <li><Link<Route> to={Route::Org { id: o.id.to_string() }}>{ o.name.clone() }</Link<Route>>
                            { " · " }<span class={classes!("tag", o.status.as_str())}>{ label(lang, "status", o.status) }</span></li>
                    }) }</ul>
                </section>
            }
        </section>
    }
}
