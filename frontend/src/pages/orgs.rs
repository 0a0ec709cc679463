//! An organisation's admin screens (members and join requests, activities, monthly reports,
//! roll-up, pairing letters, child organisations), registering an organisation, and the
//! platform admin's approvals and national roll-up.

use yew::prelude::*;
use yew_router::prelude::*;
use zhihui_contract::activities::{
    ActivityPage as ActivityPageDto, ActivityPlan, ActivityView, CreateActivityRequest,
};
use zhihui_contract::organizations::{
    OrganizationAmendment, OrganizationPage as OrganizationPageDto, OrganizationRegistration,
    OrganizationView, RegisterOrganizationRequest, RejectRequest, SetPriorityAreaRequest,
    UpdateOrganizationRequest,
};
use zhihui_contract::reports::{
    MonthlyReportView, PrepareReportRequest, ReportMonth, UpdateReportRequest,
};
use zhihui_contract::volunteers::{MemberPage, MembershipView, VolunteerImportView};
use zhihui_domain::ReportAction;
use zhihui_domain::{OrganizationAction, OrganizationCategory};

use super::activities::activity_card;
use super::letters::Letters;
use super::rollup::Rollup;
use super::{local_error, refused};
use crate::app::Route;
use crate::components::Load;
use crate::components::{
    checked, use_app, use_get, view_load, Empty, ErrorBanner, RegionPicker, SelectField, TextField,
};
use crate::components::{more_button, use_pages};
use crate::format;
use crate::i18n::{fill, label, t, Lang};
use crate::services::{self, ApiError};
use crate::validate::Kind;
use zhihui_contract::form::Reason;

#[component]
pub fn MyOrganizations() -> Html {
    let app = use_app();
    let lang = app.lang;
    let orgs = app
        .me
        .as_ref()
        .map(|m| m.administered_organizations.clone())
        .unwrap_or_default();
    html! {
        <section class="page">
            <h1>{ t(lang, "orgs.title") }</h1>
            if orgs.is_empty() {
                <Empty text={t(lang, "orgs.none")} />
            } else {
                <ul class="cards">
                { for orgs.iter().map(|o| html! {
                    <li class="card"><h3><Link<Route> to={Route::Org { id: o.id.to_string() }}>{ o.name.clone() }</Link<Route>></h3>
                        <p class="meta"><span class={classes!("tag", o.status.as_str())}>{ label(lang, "status", o.status) }</span></p></li>
                }) }
                </ul>
            }
            <p><Link<Route> to={Route::RegisterOrganization}>{ t(lang, "nav.register_org") }</Link<Route>></p>
        </section>
    }
}

/// Where an organisation's screen opens: an association or federation (科协, 志愿服务联合会)
/// oversees the organisations below it and opens on their figures; a society, a team or a
/// university opens on its members and join requests.
fn home_tab(category: OrganizationCategory) -> &'static str {
    use OrganizationCategory as C;
    match category {
        C::ProvincialAssociation
        | C::CityAssociation
        | C::CountyAssociation
        | C::CountyVolunteerFederation => "rollup",
        _ => "members",
    }
}

const TABS: &[(&str, &str)] = &[
    ("members", "org.members"),
    ("profile", "org.profile"),
    ("activities", "org.activities"),
    ("reports", "org.reports"),
    ("rollup", "org.rollup"),
    ("letters", "org.letters"),
    ("applications", "org.applications"),
    ("children", "org.children"),
    ("records", "org.records"),
    ("certificates", "org.certificates"),
    ("recognition", "org.recognition"),
    ("pairings", "org.pairings"),
    ("admins", "org.admins"),
    ("integrations", "org.integrations"),
];

#[derive(Properties, PartialEq)]
pub struct OrgProps {
    pub id: String,
    pub tab: String,
}

#[component]
pub fn OrganizationScreen(props: &OrgProps) -> Html {
    let app = use_app();
    let lang = app.lang;
    let nav = use_navigator();
    let (org, retry) = use_get::<OrganizationView>(Some(format!("/organizations/{}", props.id)));
    let tab = props.tab.clone();
    // The side menu is a drawer on a phone, opened by its button.
    let menu_open = use_state(|| false);
    {
        let menu_open = menu_open.clone();
        use_effect_with(tab.clone(), move |_| menu_open.set(false));
    }
    let toggle_menu = {
        let menu_open = menu_open.clone();
        Callback::from(move |_| menu_open.set(!*menu_open))
    };
    let mine = app
        .me
        .as_ref()
        .map(|m| m.administered_organizations.clone())
        .unwrap_or_default();
    let switch_org = {
        let tab = tab.clone();
        Callback::from(move |e: Event| {
            let Some(s) = e.target_dyn_into::<web_sys::HtmlSelectElement>() else {
                return;
            };
            if let Some(n) = &nav {
                n.push(&if tab.is_empty() {
                    Route::Org { id: s.value() }
                } else {
                    Route::OrgTab {
                        id: s.value(),
                        tab: tab.clone(),
                    }
                });
            }
        })
    };
    view_load(&org, lang, &retry, |o| {
        if !app.administers(o.id) {
            return html! { <section class="page"><h1>{ o.name.clone() }</h1><p>{ t(lang, "forbidden_page") }</p></section> };
        }
        // Opened without a tab, each kind of organisation opens where its work is.
        let tab = if tab.is_empty() {
            home_tab(o.category).to_string()
        } else {
            tab.clone()
        };
        let tab_label = TABS
            .iter()
            .find(|(k, _)| *k == tab)
            .map_or(t(lang, "org.members"), |(_, l)| t(lang, l));
        html! {
            <section class="page">
                <nav class="crumbs" aria-label={t(lang, "org.crumbs")}>
                    <Link<Route> to={Route::Work}>{ t(lang, "nav.work") }</Link<Route>>
                    <span aria-hidden="true">{ " › " }</span>
                    <Link<Route> to={Route::Org { id: o.id.to_string() }}>{ o.name.clone() }</Link<Route>>
                    <span aria-hidden="true">{ " › " }</span>
                    <span aria-current="page">{ tab_label }</span>
                </nav>
                <div class="org-head">
                    <h1>{ o.name.clone() }</h1>
                    if mine.len() > 1 {
                        <label class="switcher">
                            <span>{ t(lang, "org.switch") }</span>
                            <select id="f-switch-org" onchange={switch_org.clone()}>
                                { for mine.iter().map(|m| html! {
                                    <option value={m.id.to_string()} selected={m.id == o.id}>{ m.name.clone() }</option>
                                }) }
                            </select>
                        </label>
                    }
                </div>
                <p class="meta">{ format!("{} · {} · {}", label(lang, "org_category", o.category), label(lang, "level", o.level), o.region_name) }
                    { " · " }<span class={classes!("tag", o.status.as_str())}>{ label(lang, "status", o.status) }</span>
                    { format!(" · {} {}", t(lang, "org.members_count"), o.approved_members) }</p>
                if let Some(r) = &o.rejection_reason {
                    <p class="problem" role="status">{ t(lang, "org.rejected_because") }{ r.clone() }</p>
                }
                <div class="org-layout">
                <button type="button" class="menu-button" aria-expanded={menu_open.to_string()}
                    aria-controls="org-menu" onclick={toggle_menu.clone()}>{ t(lang, "org.menu") }</button>
                <nav id="org-menu" class={classes!("tabs", "side", menu_open.then_some("open"))} aria-label="organisation">
                    { for TABS.iter().map(|(k, l)| html! {
                        <Link<Route> to={Route::OrgTab { id: o.id.to_string(), tab: (*k).to_string() }}
                            classes={classes!(if tab == *k { "active" } else { "" })}>{ t(lang, l) }</Link<Route>>
                    }) }
                </nav>
                <div class="org-body">
                { match tab.as_str() {
                    "activities" => html! { <OrgActivities org={(*o).clone()} /> },
                    "reports" => html! { <Reports org={o.id} /> },
                    "rollup" => html! { <Rollup org={Some(o.id)} /> },
                    "letters" => html! { <Letters org={o.id} /> },
                    "children" => html! { <Children org={o.id} /> },
                    "applications" => html! { <super::applications::OrgApplications org={o.id} /> },
                    "integrations" => html! { <super::integrations::Integrations org={o.id} /> },
                    "records" => html! { <super::oversight::Records org={o.id} /> },
                    "certificates" => html! { <super::oversight::Certificates org={o.id} /> },
                    "recognition" => html! { <super::oversight::Recognition org={o.id} /> },
                    "pairings" => html! { <super::oversight::Pairings org={o.id} /> },
                    "admins" => html! { <super::oversight::Admins org={(*o).clone()} changed={retry.clone()} /> },
                    "profile" => html! { <Profile org={(*o).clone()} changed={retry.clone()} /> },
                    _ => html! { <Members org={o.id} /> },
                } }
                </div>
                </div>
            </section>
        }
    })
}

#[derive(Properties, PartialEq)]
struct ProfileProps {
    org: OrganizationView,
    changed: Callback<()>,
}

/// The organisation's registration details; its admins (and a platform admin) correct them
/// here, a rejected registration included, with the service's own checks before sending and
/// the version read sent along.
#[component]
fn Profile(props: &ProfileProps) -> Html {
    let app = use_app();
    let lang = app.lang;
    let o = &props.org;
    let name = use_state(|| o.name.clone());
    let region = use_state(|| o.region_code.clone());
    let credit = use_state(|| o.credit_code.clone().unwrap_or_default());
    let contact_name = use_state(|| o.contact_name.clone());
    let contact_phone = use_state(|| o.contact_phone.clone());
    let address = use_state(|| o.address.clone().unwrap_or_default());
    let description = use_state(|| o.description.clone().unwrap_or_default());
    let saving = super::use_saving();
    let (error, busy) = (saving.error.clone(), saving.busy.clone());
    let can_edit = o.allowed_actions.contains(&OrganizationAction::Update);
    let can_resubmit = o.allowed_actions.contains(&OrganizationAction::Resubmit);
    let resubmitted = use_state(|| false);
    let resubmit = {
        let (error, busy, resubmitted, changed, id) = (
            error.clone(),
            busy.clone(),
            resubmitted.clone(),
            props.changed.clone(),
            o.id,
        );
        Callback::from(move |_| {
            if *busy {
                return;
            }
            busy.set(true);
            let (error, busy, resubmitted, changed) = (
                error.clone(),
                busy.clone(),
                resubmitted.clone(),
                changed.clone(),
            );
            wasm_bindgen_futures::spawn_local(async move {
                match services::act::<OrganizationView>(&format!("/organizations/{id}/resubmit"))
                    .await
                {
                    Ok(_) => {
                        error.set(None);
                        resubmitted.set(true);
                        changed.emit(());
                    }
                    Err(e) => error.set(Some(e)),
                }
                busy.set(false);
            });
        })
    };
    let onsubmit = {
        let fields = (
            name.clone(),
            region.clone(),
            credit.clone(),
            contact_name.clone(),
            contact_phone.clone(),
            address.clone(),
            description.clone(),
        );
        let (saving, changed, id, version) =
            (saving.clone(), props.changed.clone(), o.id, o.version);
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let (name, region, credit, contact_name, contact_phone, address, description) = &fields;
            let body = UpdateOrganizationRequest {
                name: Some(name.trim().to_string()),
                region_code: Some(region.trim().to_string()),
                credit_code: (!credit.trim().is_empty()).then(|| credit.trim().to_string()),
                contact_name: Some(contact_name.trim().to_string()),
                contact_phone: Some(contact_phone.trim().to_string()),
                address: Some(address.trim().to_string()),
                description: Some(description.trim().to_string()),
            };
            if let Err(r) = OrganizationAmendment::try_from(&body) {
                saving.error.set(Some(refused(r)));
                return;
            }
            saving.put_version::<_, OrganizationView>(
                format!("/organizations/{id}"),
                body,
                version,
                changed.clone(),
            );
        })
    };
    let err = (*error).clone();
    let set = super::keep;
    let saved = saving.saved.clone();
    if !can_edit {
        return html! {
            <section class="panel">
                <h2>{ t(lang, "org.profile") }</h2>
                <dl class="facts">
                    <dt>{ t(lang, "org.name") }</dt><dd>{ o.name.clone() }</dd>
                    <dt>{ t(lang, "org.region") }</dt><dd>{ o.region_name.clone() }</dd>
                    <dt>{ t(lang, "org.contact_name") }</dt><dd>{ format!("{} {}", o.contact_name, o.contact_phone) }</dd>
                    if let Some(a) = &o.address { <dt>{ t(lang, "org.address") }</dt><dd>{ a.clone() }</dd> }
                </dl>
            </section>
        };
    }
    html! {
        <section class="panel">
            <h2>{ t(lang, "org.edit") }</h2>
            <form {onsubmit} novalidate=true>
                <ErrorBanner error={err.clone()} />
                if *saved { <p class="success" role="status">{ t(lang, "org.saved") }</p> }
                <TextField name="name" label={t(lang, "org.name")} value={(*name).clone()} required=true oninput={set(&name)} error={err.clone()} />
                <RegionPicker name="region_code" label={t(lang, "org.region")} value={(*region).clone()} onchange={set(&region)} error={err.clone()} />
                <TextField name="credit_code" label={t(lang, "org.credit_code")} value={(*credit).clone()} kind={Kind::CreditCode} oninput={set(&credit)} error={err.clone()} />
                <TextField name="contact_name" label={t(lang, "org.contact_name")} value={(*contact_name).clone()} required=true kind={Kind::PersonName} oninput={set(&contact_name)} error={err.clone()} />
                <TextField name="contact_phone" label={t(lang, "org.contact_phone")} value={(*contact_phone).clone()} required=true kind={Kind::Phone} input_type="tel" oninput={set(&contact_phone)} error={err.clone()} />
                <TextField name="address" label={t(lang, "org.address")} value={(*address).clone()} oninput={set(&address)} error={err.clone()} />
                <TextField name="description" label={t(lang, "org.description")} value={(*description).clone()} multiline=true oninput={set(&description)} error={err.clone()} />
                <button type="submit" class="primary" disabled={*busy}>{ t(lang, "save") }</button>
            </form>
            if *resubmitted { <p class="success" role="status">{ t(lang, "org.resubmitted") }</p> }
            if can_resubmit {
                <p class="actions"><button type="button" onclick={resubmit} disabled={*busy}>{ t(lang, "org.resubmit") }</button></p>
            }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct OrgIdProps {
    org: uuid::Uuid,
}

/// Join requests decided in bulk (approve, or reject with one reason), and the members.
#[component]
fn Members(props: &OrgIdProps) -> Html {
    let app = use_app();
    let lang = app.lang;
    let org = props.org;
    let (pending, reload_pending, more_pending) = use_pages::<MemberPage>(Some(format!(
        "/organizations/{org}/members?status=pending&limit=200"
    )));
    // The members' search: typed, then applied (the list is read again with `q`).
    let typed = use_state(String::new);
    let wanted = use_state(String::new);
    let (members, reload_members, more_members) = use_pages::<MemberPage>(Some(format!(
        "/organizations/{org}/members?status=approved&limit=200{}",
        if wanted.is_empty() {
            String::new()
        } else {
            format!("&q={}", services::enc(&wanted))
        }
    )));
    let find = {
        let (typed, wanted) = (typed.clone(), wanted.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            wanted.set(typed.trim().to_string());
        })
    };
    let selected = use_state(Vec::<uuid::Uuid>::new);
    let shown = use_state(|| None::<uuid::Uuid>);
    let reason = use_state(String::new);
    let error = use_state(|| None::<ApiError>);
    let busy = use_state(|| false);
    let decide = {
        let (selected, reason, error, busy) = (
            selected.clone(),
            reason.clone(),
            error.clone(),
            busy.clone(),
        );
        let (reload_pending, reload_members) = (reload_pending.clone(), reload_members.clone());
        let toast = app.toast.clone();
        move |approve: bool| {
            let toast = toast.clone();
            let (selected, reason, error, busy) = (
                selected.clone(),
                reason.clone(),
                error.clone(),
                busy.clone(),
            );
            let (reload_pending, reload_members) = (reload_pending.clone(), reload_members.clone());
            Callback::from(move |_| {
                if *busy {
                    return;
                }
                if selected.is_empty() {
                    error.set(Some(local_error("nothing_selected")));
                    return;
                }
                if !approve {
                    if let Err(r) = Reason::try_from(&RejectRequest {
                        reason: (*reason).clone(),
                    }) {
                        error.set(Some(refused(r)));
                        return;
                    }
                }
                if !crate::components::confirmed(&fill(
                    lang,
                    if approve {
                        "org.confirm_approve_members"
                    } else {
                        "org.confirm_reject_members"
                    },
                    &selected.len().to_string(),
                )) {
                    return;
                }
                busy.set(true);
                let ids = (*selected).clone();
                let why = reason.trim().to_string();
                let (selected, error, busy) = (selected.clone(), error.clone(), busy.clone());
                let toast = toast.clone();
                let (reload_pending, reload_members) =
                    (reload_pending.clone(), reload_members.clone());
                wasm_bindgen_futures::spawn_local(async move {
                    // One request per person: each decision stands on its own, and the first
                    // refusal is shown while the others still go through.
                    let mut first_error = None;
                    for id in ids {
                        let path = format!(
                            "/organizations/{org}/memberships/{id}/{}",
                            if approve { "approve" } else { "reject" }
                        );
                        let r = if approve {
                            services::act::<MembershipView>(&path).await
                        } else {
                            services::post::<_, MembershipView>(
                                &path,
                                &RejectRequest {
                                    reason: why.clone(),
                                },
                            )
                            .await
                        };
                        if let Err(e) = r {
                            first_error.get_or_insert(e);
                        }
                    }
                    if first_error.is_none() {
                        toast.emit(if approve {
                            "toast.members_approved"
                        } else {
                            "toast.members_rejected"
                        });
                    }
                    error.set(first_error);
                    selected.set(vec![]);
                    reload_pending.emit(());
                    reload_members.emit(());
                    busy.set(false);
                });
            })
        }
    };
    html! {
        <>
        <section class="panel">
            <h2>{ t(lang, "org.pending") }</h2>
            <ErrorBanner error={(*error).clone()} />
            { view_load(&pending, lang, &reload_pending, |p| {
                if p.items.is_empty() {
                    return html! { <Empty /> };
                }
                let all: Vec<uuid::Uuid> = p.items.iter().map(|m| m.membership_id).collect();
                let select_all = { let s = selected.clone(); Callback::from(move |e: Event| s.set(if checked(&e) { all.clone() } else { vec![] })) };
                html! {
                    <div class="table-wrap"><table>
                        <thead><tr>
                            <th><input type="checkbox" aria-label={t(lang, "select_all")} onchange={select_all} /></th>
                            <th>{ t(lang, "field.name") }</th><th>{ t(lang, "field.id_number") }</th><th>{ t(lang, "field.phone") }</th>
                            <th>{ t(lang, "org.requested_at") }</th>
                        </tr></thead>
                        <tbody>{ for p.items.iter().map(|m| {
                            let id = m.membership_id;
                            let on = selected.contains(&id);
                            let onchange = { let s = selected.clone(); Callback::from(move |e: Event| {
                                let mut n = (*s).clone(); n.retain(|x| *x != id); if checked(&e) { n.push(id); } s.set(n);
                            }) };
                            html! { <tr>
                                <td><input type="checkbox" aria-label={m.volunteer.name.clone()} checked={on} {onchange} /></td>
                                <td>{ m.volunteer.name.clone() }</td><td>{ m.volunteer.id_number_masked.clone() }</td>
                                <td>{ m.volunteer.phone_masked.clone() }</td><td>{ format::date_time(lang, m.requested_at) }</td>
                            </tr> }
                        }) }</tbody>
                    </table></div>
                }
            }) }
            { more_button(lang, &pending, &more_pending) }
            <div class="actions">
                <button type="button" class="primary" onclick={decide(true)} disabled={*busy}>{ t(lang, "org.approve_selected") }</button>
                <TextField name="reason" label={t(lang, "org.reject_reason")} value={(*reason).clone()} required=true
                    oninput={let r = reason.clone(); Callback::from(move |v| r.set(v))} error={(*error).clone()} />
                <button type="button" onclick={decide(false)} disabled={*busy}>{ t(lang, "org.reject_selected") }</button>
            </div>
        </section>
        <Import org={org} done={reload_members.clone()} />
        <section class="panel">
            <h2>{ t(lang, "org.members_count") }</h2>
            <form class="form inline" role="search" onsubmit={find}>
                <input id="f-member-search" type="search" aria-label={t(lang, "org.find_member")}
                    placeholder={t(lang, "org.find_member")} value={(*typed).clone()}
                    oninput={let q = typed.clone(); Callback::from(move |e: InputEvent| q.set(crate::components::input_value(&e)))} />
                <button type="submit">{ t(lang, "search") }</button>
            </form>
            { view_load(&members, lang, &reload_members, |p| if p.items.is_empty() { html! { <Empty /> } } else { html! {
                <>
                <p class="meta" id="members-shown">{ fill(lang, "org.members_shown", &p.items.len().to_string()) }</p>
                <div class="table-wrap"><table>
                    <thead><tr><th>{ t(lang, "field.name") }</th><th>{ t(lang, "me.volunteer_number") }</th><th>{ t(lang, "field.phone") }</th></tr></thead>
                    <tbody>{ for p.items.iter().map(|m| {
                        let id = m.volunteer.id;
                        let open = { let shown = shown.clone(); Callback::from(move |_| shown.set(if *shown == Some(id) { None } else { Some(id) })) };
                        html! { <>
                        <tr><td><button type="button" class="link" onclick={open}>{ m.volunteer.name.clone() }</button></td>
                            <td>{ m.volunteer.volunteer_number.clone() }</td><td>{ m.volunteer.phone_masked.clone() }</td></tr>
                        if *shown == Some(id) { <tr><td colspan="3"><super::oversight::MemberDetail volunteer={id} /></td></tr> }
                        </> }
                    }) }</tbody>
                </table></div>
                </>
            } }) }
            { more_button(lang, &members, &more_members) }
        </section>
        </>
    }
}

#[derive(Properties, PartialEq)]
struct ImportProps {
    org: uuid::Uuid,
    done: Callback<()>,
}

/// Bulk import (批量导入) from the template, as CSV or XLSX: the row-by-row report of what was
/// refused and why, next to how many were created or were members already.
#[component]
fn Import(props: &ImportProps) -> Html {
    let app = use_app();
    let lang = app.lang;
    let report = use_state(|| None::<VolunteerImportView>);
    let error = use_state(|| None::<ApiError>);
    let busy = use_state(|| false);
    // The stored report, read again (it is what `get_volunteer_import` keeps for later).
    let reread = {
        let (report, error, org) = (report.clone(), error.clone(), props.org);
        Callback::from(move |_| {
            let Some(id) = report.as_ref().map(|r| r.id) else {
                return;
            };
            let (report, error) = (report.clone(), error.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match services::get::<VolunteerImportView>(&format!(
                    "/organizations/{org}/volunteer-imports/{id}"
                ))
                .await
                {
                    Ok(r) => report.set(Some(r)),
                    Err(e) => error.set(Some(e)),
                }
            });
        })
    };
    let onchange = {
        let (report, error, busy, done, org) = (
            report.clone(),
            error.clone(),
            busy.clone(),
            props.done.clone(),
            props.org,
        );
        Callback::from(move |e: Event| {
            let Some(input) = e.target_dyn_into::<web_sys::HtmlInputElement>() else {
                return;
            };
            let Some(file) = input.files().and_then(|f| f.get(0)) else {
                return;
            };
            busy.set(true);
            let (report, error, busy, done) =
                (report.clone(), error.clone(), busy.clone(), done.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match services::upload::<VolunteerImportView>(
                    &format!("/organizations/{org}/volunteer-imports"),
                    &file,
                )
                .await
                {
                    Ok(r) => {
                        error.set(None);
                        report.set(Some(r));
                        done.emit(());
                    }
                    Err(e) => error.set(Some(e)),
                }
                input.set_value("");
                busy.set(false);
            });
        })
    };
    let template = {
        let error = error.clone();
        Callback::from(move |_| {
            let error = error.clone();
            wasm_bindgen_futures::spawn_local(async move {
                if let Err(e) = services::download(
                    "/volunteer-imports/template?format=xlsx",
                    "志愿者导入模板.xlsx",
                )
                .await
                {
                    error.set(Some(e));
                }
            });
        })
    };
    html! {
        <section class="panel">
            <h2>{ t(lang, "import.title") }</h2>
            <ErrorBanner error={(*error).clone()} list_fields=true />
            <div class="actions">
                <button type="button" onclick={template}>{ t(lang, "import.template") }</button>
                <div class="field">
                    <label for="f-import">{ t(lang, "import.file") }</label>
                    <input id="f-import" type="file" disabled={*busy}
                        accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" {onchange} />
                </div>
            </div>
            if let Some(r) = &*report {
                <p class="success" role="status">{ format!("{} {} · {} {} · {} {} · {} {}",
                    t(lang, "import.rows"), r.total_rows, t(lang, "import.created"), r.created,
                    t(lang, "import.already"), r.already_members, t(lang, "import.failed"), r.failed) }</p>
                if !r.errors.is_empty() {
                    <div class="table-wrap"><table class="import-errors">
                        <thead><tr><th>{ t(lang, "import.row") }</th><th>{ t(lang, "import.column") }</th><th>{ t(lang, "import.reason") }</th></tr></thead>
                        <tbody>{ for r.errors.iter().map(|e| html! {
                            <tr><td>{ e.row }</td><td>{ e.field.clone() }</td><td>{ crate::i18n::error_text(lang, &e.code, &e.reason) }</td></tr>
                        }) }</tbody>
                    </table></div>
                    if r.errors_truncated { <p class="hint">{ t(lang, "import.errors_truncated") }</p> }
                }
                <button type="button" onclick={reread}>{ t(lang, "import.reread") }</button>
            }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct OrgViewProps {
    org: OrganizationView,
}

#[derive(Clone, PartialEq)]
struct ActivityForm {
    title: String,
    category: String,
    description: String,
    starts_at: String,
    ends_at: String,
    place: String,
    region_code: String,
    capacity: String,
    members_only: bool,
    leaders: Vec<uuid::Uuid>,
}

#[component]
fn OrgActivities(props: &OrgViewProps) -> Html {
    let app = use_app();
    let lang = app.lang;
    let nav = use_navigator();
    let org = &props.org;
    let (list, retry, more_list) = use_pages::<ActivityPageDto>(Some(format!(
        "/activities?organization_id={}&limit=50",
        org.id
    )));
    let start = format::now() + chrono::Duration::days(7);
    let form = use_state(|| ActivityForm {
        title: String::new(),
        category: "science_popularisation".into(),
        description: String::new(),
        starts_at: format::to_local_input(start),
        ends_at: format::to_local_input(start + chrono::Duration::hours(3)),
        place: String::new(),
        region_code: org.region_code.clone(),
        capacity: "30".into(),
        members_only: false,
        leaders: vec![],
    });
    let error = use_state(|| None::<ApiError>);
    let busy = use_state(|| false);
    let set = |f: fn(&mut ActivityForm, String)| {
        let form = form.clone();
        Callback::from(move |v: String| {
            let mut n = (*form).clone();
            f(&mut n, v);
            form.set(n);
        })
    };
    let onsubmit = {
        let (form, error, busy) = (form.clone(), error.clone(), busy.clone());
        let org_id = org.id;
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *busy {
                return;
            }
            let f = (*form).clone();
            let when = |field: &str, s: &str| {
                format::from_local_input(s).ok_or_else(|| super::field_error(field, "required"))
            };
            let (starts_at, ends_at) =
                match (when("starts_at", &f.starts_at), when("ends_at", &f.ends_at)) {
                    (Ok(s), Ok(e)) => (s, e),
                    (Err(e), _) | (_, Err(e)) => {
                        error.set(Some(e));
                        return;
                    }
                };
            let body = CreateActivityRequest {
                organization_id: org_id,
                title: f.title.trim().into(),
                category: f.category.clone(),
                description: f.description.trim().into(),
                starts_at,
                ends_at,
                place: f.place.trim().into(),
                region_code: f.region_code.clone(),
                capacity: f.capacity.trim().parse().unwrap_or(0),
                sign_up_opens_at: None,
                sign_up_closes_at: None,
                members_only: f.members_only,
                key_date: None,
                leader_ids: f.leaders.clone(),
                service_point_id: None,
            };
            // The service's own check of the plan (title, schedule, window, capacity).
            if let Err(r) = ActivityPlan::try_from((&body, crate::format::now())) {
                error.set(Some(refused(r)));
                return;
            }
            busy.set(true);
            let (error, busy, nav) = (error.clone(), busy.clone(), nav.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match services::post::<_, ActivityView>("/activities", &body).await {
                    Ok(a) => {
                        if let Some(n) = nav {
                            n.push(&Route::Activity {
                                id: a.id.to_string(),
                            });
                        }
                    }
                    Err(e) => error.set(Some(e)),
                }
                busy.set(false);
            });
        })
    };
    let f = (*form).clone();
    let err = (*error).clone();
    let categories: Vec<(String, String)> = zhihui_domain::ActivityCategory::ALL
        .iter()
        .map(|c| (c.to_string(), label(lang, "category", c)))
        .collect();
    html! {
        <>
        <section class="panel">
            <h2>{ t(lang, "org.activities") }</h2>
            { view_load(&list, lang, &retry, |p| if p.items.is_empty() { html! { <Empty /> } } else {
                html! { <ul class="cards">{ for p.items.iter().map(|a| activity_card(lang, a)) }</ul> } }) }
            { more_button(lang, &list, &more_list) }
        </section>
        <section class="panel">
            <h2>{ t(lang, "activity.create") }</h2>
            <form {onsubmit} novalidate=true>
                <ErrorBanner error={err.clone()} />
                <TextField name="title" label={t(lang, "activity.title_field")} value={f.title.clone()} required=true kind={Kind::Required} oninput={set(|f, v| f.title = v)} error={err.clone()} />
                <SelectField name="category" label={t(lang, "activities.category")} value={f.category.clone()} options={categories} onchange={set(|f, v| f.category = v)} error={err.clone()} />
                <TextField name="description" label={t(lang, "activity.description")} value={f.description.clone()} multiline=true oninput={set(|f, v| f.description = v)} error={err.clone()} />
                <TextField name="starts_at" label={t(lang, "activity.starts_at")} value={f.starts_at.clone()} required=true input_type="datetime-local" oninput={set(|f, v| f.starts_at = v)} error={err.clone()} />
                <TextField name="ends_at" label={t(lang, "activity.ends_at")} value={f.ends_at.clone()} required=true input_type="datetime-local" oninput={set(|f, v| f.ends_at = v)} error={err.clone()} />
                <TextField name="place" label={t(lang, "activity.place")} value={f.place.clone()} required=true kind={Kind::Required} oninput={set(|f, v| f.place = v)} error={err.clone()} />
                <RegionPicker name="region_code" label={t(lang, "activity.region")} value={f.region_code.clone()} onchange={set(|f, v| f.region_code = v)} error={err.clone()} />
                <TextField name="capacity" label={t(lang, "activity.capacity")} value={f.capacity.clone()} required=true input_type="number" inputmode="numeric" oninput={set(|f, v| f.capacity = v)} error={err.clone()} />
                <LeaderPicker org={org.id} chosen={f.leaders.clone()} onchange={
                    let form = form.clone();
                    Callback::from(move |ids: Vec<uuid::Uuid>| { let mut n = (*form).clone(); n.leaders = ids; form.set(n); })
                } />
                <label class="check"><input type="checkbox" checked={f.members_only}
                    onchange={let form = form.clone(); Callback::from(move |e: Event| { let mut n = (*form).clone(); n.members_only = checked(&e); form.set(n); })} />
                    { t(lang, "activity.members_only") }</label>
                <button type="submit" class="primary" disabled={*busy}>{ if *busy { t(lang, "working") } else { t(lang, "save") } }</button>
            </form>
        </section>
        </>
    }
}

#[derive(Properties, PartialEq)]
struct LeaderPickerProps {
    org: uuid::Uuid,
    chosen: Vec<uuid::Uuid>,
    onchange: Callback<Vec<uuid::Uuid>>,
}

/// Choosing an activity's leaders among the team's members (活动负责人): the chosen as
/// removable names, and a search by name over the members, every page of them (a
/// "加载更多" button while the API has more), instead of a checkbox per member.
#[component]
fn LeaderPicker(props: &LeaderPickerProps) -> Html {
    let app = use_app();
    let lang = app.lang;
    let (members, _, more) = use_pages::<MemberPage>(Some(format!(
        "/organizations/{}/members?status=approved&limit=200",
        props.org
    )));
    let query = use_state(String::new);
    let Load::Ready(m) = &members else {
        return html! {};
    };
    if m.items.is_empty() {
        return html! {};
    }
    let name_of = |id: &uuid::Uuid| {
        m.items
            .iter()
            .find(|x| x.volunteer.id == *id)
            .map(|x| x.volunteer.name.clone())
            .unwrap_or_default()
    };
    let wanted = query.trim().to_string();
    let matches: Vec<_> = m
        .items
        .iter()
        .filter(|x| !props.chosen.contains(&x.volunteer.id))
        .filter(|x| !wanted.is_empty() && x.volunteer.name.contains(wanted.as_str()))
        .take(8)
        .collect();
    let set = |ids: Vec<uuid::Uuid>| {
        let onchange = props.onchange.clone();
        Callback::from(move |_: MouseEvent| onchange.emit(ids.clone()))
    };
    html! {
        <fieldset class="picker">
            <legend>{ t(lang, "activity.leaders") }<span class="hint">{ t(lang, "optional") }</span></legend>
            if !props.chosen.is_empty() {
                <ul class="chips">{ for props.chosen.iter().map(|id| {
                    let name = name_of(id);
                    let rest: Vec<_> = props.chosen.iter().copied().filter(|x| x != id).collect();
                    html! { <li>{ name.clone() }
                        <button type="button" class="link" aria-label={format!("{} {name}", t(lang, "activity.remove_leader"))} onclick={set(rest)}>{ "×" }</button></li> }
                }) }</ul>
            }
            <input id="f-leader-search" type="search" aria-label={t(lang, "activity.find_leader")}
                placeholder={t(lang, "activity.find_leader")} value={(*query).clone()}
                oninput={let q = query.clone(); Callback::from(move |e: InputEvent| q.set(crate::components::input_value(&e)))} />
            if !wanted.is_empty() {
                if matches.is_empty() {
                    <p class="meta">{ t(lang, "activity.no_member_matches") }</p>
                } else {
                    <ul class="plain picks">{ for matches.iter().map(|x| {
                        let mut ids = props.chosen.clone();
                        ids.push(x.volunteer.id);
                        let query = query.clone();
                        let add = set(ids);
                        html! { <li><button type="button" onclick={Callback::from(move |e: MouseEvent| { query.set(String::new()); add.emit(e); })}>
                            { format!("{} {}", t(lang, "activity.add_leader"), x.volunteer.name) }</button></li> }
                    }) }</ul>
                }
            }
            { more_button(lang, &members, &more) }
        </fieldset>
    }
}

/// This month's report: prepared from the records, completed, submitted; a returned report
/// shows why.
#[component]
fn Reports(props: &OrgIdProps) -> Html {
    let app = use_app();
    let lang = app.lang;
    let org = props.org;
    let month = use_state(|| format::month_of(format::now(), -1));
    let report = use_state(|| None::<MonthlyReportView>);
    let draft = use_state(UpdateReportRequest::default);
    let error = use_state(|| None::<ApiError>);
    let busy = use_state(|| false);
    let notice = use_state(|| None::<&'static str>);
    let (list, retry, more_list) = use_pages::<zhihui_contract::reports::MonthlyReportPage>(Some(
        format!("/monthly-reports?organization_id={org}&limit=24"),
    ));
    let show = {
        let (report, draft) = (report.clone(), draft.clone());
        Callback::from(move |r: MonthlyReportView| {
            draft.set(UpdateReportRequest {
                people_served: r.people_served,
                narrative: Some(r.narrative.clone()),
                highlights: Some(r.highlights.clone()),
                problems: Some(r.problems.clone()),
                next_plan: Some(r.next_plan.clone()),
            });
            report.set(Some(r));
        })
    };
    let prepare = {
        let (month, error, busy, show) = (month.clone(), error.clone(), busy.clone(), show.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *busy {
                return;
            }
            let body = PrepareReportRequest {
                month: (*month).clone(),
            };
            let today = zhihui_domain::report::china_date(format::now());
            if let Err(r) = ReportMonth::try_from((&body, today)) {
                error.set(Some(refused(r)));
                return;
            }
            busy.set(true);
            let (error, busy, show) = (error.clone(), busy.clone(), show.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match services::post::<_, MonthlyReportView>(
                    &format!("/organizations/{org}/monthly-reports"),
                    &body,
                )
                .await
                {
                    Ok(r) => {
                        error.set(None);
                        show.emit(r);
                    }
                    Err(e) => error.set(Some(e)),
                }
                busy.set(false);
            });
        })
    };
    let save = {
        let (report, draft, error, busy, show, notice, retry) = (
            report.clone(),
            draft.clone(),
            error.clone(),
            busy.clone(),
            show.clone(),
            notice.clone(),
            retry.clone(),
        );
        move |submit: bool| {
            let (report, draft, error, busy, show, notice, retry) = (
                report.clone(),
                draft.clone(),
                error.clone(),
                busy.clone(),
                show.clone(),
                notice.clone(),
                retry.clone(),
            );
            Callback::from(move |e: MouseEvent| {
                e.prevent_default();
                let Some(r) = (*report).clone() else { return };
                if *busy {
                    return;
                }
                busy.set(true);
                let body = (*draft).clone();
                let (error, busy, show, notice, retry) = (
                    error.clone(),
                    busy.clone(),
                    show.clone(),
                    notice.clone(),
                    retry.clone(),
                );
                wasm_bindgen_futures::spawn_local(async move {
                    let result = async {
                        let saved = services::put_version::<_, MonthlyReportView>(
                            &format!("/monthly-reports/{}", r.id),
                            &body,
                            r.version,
                        )
                        .await?;
                        if submit {
                            services::act_version::<MonthlyReportView>(
                                &format!("/monthly-reports/{}/submit", saved.id),
                                saved.version,
                            )
                            .await
                        } else {
                            Ok(saved)
                        }
                    }
                    .await;
                    match result {
                        Ok(r) => {
                            error.set(None);
                            notice.set(Some(if submit { "done" } else { "report.saved" }));
                            show.emit(r);
                            retry.emit(());
                        }
                        Err(e) => error.set(Some(e)),
                    }
                    busy.set(false);
                });
            })
        }
    };
    // Reads the open report again (after a photo is added).
    let reread = {
        let (report, error) = (report.clone(), error.clone());
        Callback::from(move |_| {
            let Some(id) = report.as_ref().map(|r| r.id) else {
                return;
            };
            let (report, error) = (report.clone(), error.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match services::get::<MonthlyReportView>(&format!("/monthly-reports/{id}")).await {
                    Ok(r) => report.set(Some(r)),
                    Err(e) => error.set(Some(e)),
                }
            });
        })
    };
    let d = (*draft).clone();
    let err = (*error).clone();
    let set_text = |f: fn(&mut UpdateReportRequest, String)| {
        let draft = draft.clone();
        Callback::from(move |v: String| {
            let mut n = (*draft).clone();
            f(&mut n, v);
            draft.set(n);
        })
    };
    html! {
        <>
        <section class="panel">
            <h2>{ t(lang, "org.reports") }</h2>
            <form class="inline" onsubmit={prepare}>
                <label for="f-month">{ t(lang, "report.month") }</label>
                <input id="f-month" type="month" value={(*month).clone()}
                    oninput={let m = month.clone(); Callback::from(move |e: InputEvent| m.set(crate::components::input_value(&e)))} />
                <button type="submit" class="primary" disabled={*busy}>{ t(lang, "report.prepare") }</button>
            </form>
            <ErrorBanner error={err.clone()} />
            if let Some(k) = *notice { <p class="success" role="status">{ t(lang, k) }</p> }
            if let Some(r) = &*report {
                <div class="report">
                    <h3>{ format!("{} · ", format::month(lang, &r.month)) }<span class={classes!("tag", r.status.as_str())}>{ label(lang, "status", r.status) }</span></h3>
                    if let Some(why) = &r.return_reason { <p class="problem">{ format!("{}：{}", t(lang, "report.returned_reason"), why) }</p> }
                    <p class="meta">{ format!("{} {}", t(lang, "report.due"), format::date(lang, r.on_time_until)) }</p>
                    <div class="stats">
                        <div class="stat"><span class="label">{ t(lang, "report.activities_held") }</span><strong>{ r.figures.activities_held }</strong></div>
                        <div class="stat"><span class="label">{ t(lang, "report.attendances") }</span><strong>{ r.figures.volunteer_attendances }</strong></div>
                        <div class="stat"><span class="label">{ t(lang, "report.service_hours") }</span><strong>{ format::hours(lang, r.figures.service_hours) }</strong></div>
                        <div class="stat"><span class="label">{ t(lang, "report.new_volunteers") }</span><strong>{ r.figures.new_volunteers }</strong></div>
                        <div class="stat"><span class="label">{ t(lang, "report.needs_served") }</span><strong>{ r.figures.needs_served }</strong></div>
                        <div class="stat"><span class="label">{ t(lang, "report.exhibition_visitors") }</span><strong>{ r.figures.exhibition_visitors }</strong></div>
                    </div>
                    if r.allowed_actions.iter().any(|a| matches!(a, ReportAction::Update | ReportAction::Submit)) {
                        <form novalidate=true>
                            <TextField name="people_served" label={t(lang, "report.people_served")} input_type="number" inputmode="numeric"
                                value={d.people_served.map(|n| n.to_string()).unwrap_or_default()}
                                oninput={let draft = draft.clone(); Callback::from(move |v: String| { let mut n = (*draft).clone(); n.people_served = v.trim().parse().ok(); draft.set(n); })}
                                error={err.clone()} />
                            <TextField name="narrative" label={t(lang, "report.narrative")} multiline=true value={d.narrative.clone().unwrap_or_default()} oninput={set_text(|d, v| d.narrative = Some(v))} error={err.clone()} />
                            <TextField name="highlights" label={t(lang, "report.highlights")} multiline=true value={d.highlights.clone().unwrap_or_default()} oninput={set_text(|d, v| d.highlights = Some(v))} error={err.clone()} />
                            <TextField name="problems" label={t(lang, "report.problems")} multiline=true value={d.problems.clone().unwrap_or_default()} oninput={set_text(|d, v| d.problems = Some(v))} error={err.clone()} />
                            <TextField name="next_plan" label={t(lang, "report.next_plan")} multiline=true value={d.next_plan.clone().unwrap_or_default()} oninput={set_text(|d, v| d.next_plan = Some(v))} error={err.clone()} />
                            <div class="actions">
                                <button type="button" onclick={save(false)} disabled={*busy}>{ t(lang, "save") }</button>
                                <button type="submit" class="primary" onclick={save(true)} disabled={*busy}>{ t(lang, "report.submit") }</button>
                            </div>
                        </form>
                    }
                    <super::oversight::ReportPhotos report={r.id} photos={r.photos.clone()}
                        editable={r.allowed_actions.contains(&ReportAction::Update)} changed={reread.clone()} />
                </div>
            }
        </section>
        <super::oversight::ChildReports org={org} />
        <section class="panel">
            { view_load(&list, lang, &retry, |p| if p.items.is_empty() { html! { <Empty /> } } else { html! {
                <div class="table-wrap"><table>
                    <thead><tr><th>{ t(lang, "report.month") }</th><th>{ t(lang, "activity.status") }</th>
                        <th>{ t(lang, "report.activities_held") }</th><th>{ t(lang, "report.service_hours") }</th></tr></thead>
                    <tbody>{ for p.items.iter().map(|r| {
                        let (show, r2) = (show.clone(), r.clone());
                        html! { <tr>
                            <td><button type="button" class="link" onclick={move |_| show.emit(r2.clone())}>{ format::month(lang, &r.month) }</button></td>
                            <td>{ label(lang, "status", r.status) }</td><td>{ r.figures.activities_held }</td><td>{ format::hours(lang, r.figures.service_hours) }</td>
                        </tr> }
                    }) }</tbody>
                </table></div>
            } }) }
            { more_button(lang, &list, &more_list) }
        </section>
        </>
    }
}

/// Child organisations; pending ones are approved or rejected here.
#[component]
fn Children(props: &OrgIdProps) -> Html {
    let app = use_app();
    let lang = app.lang;
    let (children, retry, more_children) = use_pages::<OrganizationPageDto>(Some(format!(
        "/organizations/{}/children?limit=200",
        props.org
    )));
    html! {
        <section class="panel">
            <h2>{ t(lang, "org.children") }</h2>
            { view_load(&children, lang, &retry, |p| pending_list(lang, &p.items, &retry)) }
            { more_button(lang, &children, &more_children) }
        </section>
    }
}

fn pending_list(lang: Lang, items: &[OrganizationView], reload: &Callback<()>) -> Html {
    if items.is_empty() {
        return html! { <Empty /> };
    }
    html! {
        <ul class="cards">{ for items.iter().map(|o| html! {
            <li class="card">
                <h3>{ o.name.clone() }</h3>
                <p class="meta">{ format!("{} · {} · {}", label(lang, "org_category", o.category), label(lang, "level", o.level), o.region_name) }
                    { " · " }<span class={classes!("tag", o.status.as_str())}>{ label(lang, "status", o.status) }</span></p>
                if let Some(a) = o.priority_area { <p class="meta"><span class="tag priority">{ label(lang, "priority_area", a) }</span></p> }
                if o.allowed_actions.contains(&OrganizationAction::Approve) { <Decide id={o.id} reload={reload.clone()} /> }
                if o.allowed_actions.contains(&OrganizationAction::FlagPriority) { <PriorityFlag org={o.clone()} reload={reload.clone()} /> }
            </li>
        }) }</ul>
    }
}

#[derive(Properties, PartialEq)]
struct PriorityFlagProps {
    org: OrganizationView,
    reload: Callback<()>,
}

/// Flagging a county as a priority area, or clearing the flag (those above it, rule 46).
#[component]
fn PriorityFlag(props: &PriorityFlagProps) -> Html {
    let app = use_app();
    let lang = app.lang;
    let area = use_state(|| {
        props
            .org
            .priority_area
            .map(|a| a.as_str().to_string())
            .unwrap_or_default()
    });
    let saving = super::use_saving();
    let save = {
        let (area, saving, reload, toast) = (
            area.clone(),
            saving.clone(),
            props.reload.clone(),
            app.toast.clone(),
        );
        let (id, version) = (props.org.id, props.org.version);
        Callback::from(move |_| {
            let body = SetPriorityAreaRequest {
                priority_area: (!area.is_empty()).then(|| (*area).clone()),
            };
            let (reload, toast) = (reload.clone(), toast.clone());
            saving.put_version::<_, OrganizationView>(
                format!("/organizations/{id}/priority-area"),
                body,
                version,
                Callback::from(move |_| {
                    toast.emit("toast.priority_saved");
                    reload.emit(());
                }),
            );
        })
    };
    let err = (*saving.error).clone();
    html! {
        <div class="priority-flag">
            <ErrorBanner error={err.clone()} />
            <SelectField name={format!("priority_area-{}", props.org.id)} label={t(lang, "org.priority_area")} value={(*area).clone()}
                options={super::options::<zhihui_domain::PriorityArea>(lang, "priority_area")}
                placeholder={AttrValue::from(t(lang, "needs.no_priority"))} onchange={super::keep(&area)} error={err} />
            <button type="button" onclick={save} disabled={*saving.busy}>{ t(lang, "org.save_priority") }</button>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct DecideProps {
    id: uuid::Uuid,
    reload: Callback<()>,
}

#[component]
fn Decide(props: &DecideProps) -> Html {
    let app = use_app();
    let lang = app.lang;
    let error = use_state(|| None::<ApiError>);
    let reason = use_state(String::new);
    let busy = use_state(|| false);
    let go = {
        let (error, reason, busy, reload, id) = (
            error.clone(),
            reason.clone(),
            busy.clone(),
            props.reload.clone(),
            props.id,
        );
        let toast = app.toast.clone();
        move |approve: bool| {
            let (error, reason, busy, reload, toast) = (
                error.clone(),
                reason.clone(),
                busy.clone(),
                reload.clone(),
                toast.clone(),
            );
            Callback::from(move |_| {
                if *busy {
                    return;
                }
                if !approve {
                    if let Err(r) = Reason::try_from(&RejectRequest {
                        reason: (*reason).clone(),
                    }) {
                        error.set(Some(refused(r)));
                        return;
                    }
                }
                if !crate::components::confirmed(t(
                    lang,
                    if approve {
                        "org.confirm_approve"
                    } else {
                        "org.confirm_reject"
                    },
                )) {
                    return;
                }
                busy.set(true);
                let why = reason.trim().to_string();
                let (error, busy, reload, toast) =
                    (error.clone(), busy.clone(), reload.clone(), toast.clone());
                wasm_bindgen_futures::spawn_local(async move {
                    let r = if approve {
                        services::act::<OrganizationView>(&format!("/organizations/{id}/approve"))
                            .await
                    } else {
                        services::post::<_, OrganizationView>(
                            &format!("/organizations/{id}/reject"),
                            &RejectRequest { reason: why },
                        )
                        .await
                    };
                    match r {
                        Ok(_) => {
                            toast.emit(if approve {
                                "toast.organization_approved"
                            } else {
                                "toast.organization_rejected"
                            });
                            reload.emit(());
                        }
                        Err(e) => error.set(Some(e)),
                    }
                    busy.set(false);
                });
            })
        }
    };
    html! {
        <div class="actions">
            <ErrorBanner error={(*error).clone()} />
            <button type="button" class="primary" onclick={go(true)} disabled={*busy}>{ t(lang, "org.approve") }</button>
            <TextField name="reason" label={t(lang, "org.reject_reason")} value={(*reason).clone()} required=true
                oninput={let r = reason.clone(); Callback::from(move |v| r.set(v))} error={(*error).clone()} />
            <button type="button" onclick={go(false)} disabled={*busy}>{ t(lang, "org.reject") }</button>
        </div>
    }
}

#[derive(Clone, PartialEq, Default)]
struct OrgForm {
    name: String,
    category: String,
    level: String,
    parent_query: String,
    parent: Option<(uuid::Uuid, String)>,
    region_code: String,
    credit_code: String,
    contact_name: String,
    contact_phone: String,
    address: String,
}

#[component]
pub fn RegisterOrganization() -> Html {
    let app = use_app();
    let lang = app.lang;
    let form = use_state(|| OrgForm {
        category: "county_association".into(),
        level: "county".into(),
        ..Default::default()
    });
    let parents = use_state(Vec::<(uuid::Uuid, String)>::new);
    let error = use_state(|| None::<ApiError>);
    let busy = use_state(|| false);
    let done = use_state(|| false);
    if app.me.is_none() {
        return html! { <section class="page narrow"><h1>{ t(lang, "org.register_title") }</h1>
        <p class="meta">{ t(lang, "sign_up.hint") }</p>
        <p class="actions"><Link<Route> to={Route::SignUp} classes="button primary">{ t(lang, "nav.sign_up") }</Link<Route>>
        <Link<Route> to={Route::SignIn} classes="button">{ t(lang, "nav.sign_in") }</Link<Route>></p></section> };
    }
    let set = |f: fn(&mut OrgForm, String)| {
        let form = form.clone();
        Callback::from(move |v: String| {
            let mut n = (*form).clone();
            f(&mut n, v);
            form.set(n);
        })
    };
    let search = {
        let (form, parents) = (form.clone(), parents.clone());
        Callback::from(move |_| {
            let (q, parents) = (form.parent_query.clone(), parents.clone());
            wasm_bindgen_futures::spawn_local(async move {
                parents.set(services::find_organizations("", &q).await);
            });
        })
    };
    let onsubmit = {
        let (form, error, busy, done, reload) = (
            form.clone(),
            error.clone(),
            busy.clone(),
            done.clone(),
            app.reload_me.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *busy {
                return;
            }
            let f = (*form).clone();
            let opt = |s: &str| (!s.trim().is_empty()).then(|| s.trim().to_string());
            let body = RegisterOrganizationRequest {
                name: f.name.trim().into(),
                category: f.category.clone(),
                level: f.level.clone(),
                parent_id: f.parent.as_ref().map(|(id, _)| *id),
                region_code: f.region_code.clone(),
                credit_code: opt(&f.credit_code),
                contact_name: f.contact_name.trim().into(),
                contact_phone: f.contact_phone.trim().into(),
                address: opt(&f.address),
                description: None,
            };
            // The service's own check of the whole form, before anything is sent.
            if let Err(r) = OrganizationRegistration::try_from(&body) {
                error.set(Some(refused(r)));
                return;
            }
            busy.set(true);
            let (error, busy, done, reload) =
                (error.clone(), busy.clone(), done.clone(), reload.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match services::post::<_, OrganizationView>("/organizations", &body).await {
                    Ok(_) => {
                        error.set(None);
                        done.set(true);
                        reload.emit(());
                    }
                    Err(e) => error.set(Some(e)),
                }
                busy.set(false);
            });
        })
    };
    if *done {
        return html! { <section class="page narrow"><h1>{ t(lang, "org.register_title") }</h1>
        <p class="success" role="status">{ t(lang, "org.registered") }</p>
        <Link<Route> to={Route::Orgs} classes="button primary">{ t(lang, "nav.orgs") }</Link<Route>></section> };
    }
    let f = (*form).clone();
    let err = (*error).clone();
    html! {
        <section class="page narrow">
            <h1>{ t(lang, "org.register_title") }</h1>
            <form {onsubmit} novalidate=true>
                <ErrorBanner error={err.clone()} />
                <TextField name="name" label={t(lang, "org.name")} value={f.name.clone()} required=true kind={Kind::Required} oninput={set(|f, v| f.name = v)} error={err.clone()} />
                <SelectField name="category" label={t(lang, "org.category")} value={f.category.clone()}
                    options={zhihui_domain::OrganizationCategory::ALL.iter().map(|c| (c.to_string(), label(lang, "org_category", c))).collect::<Vec<_>>()}
                    onchange={set(|f, v| f.category = v)} error={err.clone()} />
                <SelectField name="level" label={t(lang, "org.level")} value={f.level.clone()}
                    options={zhihui_domain::OrganizationLevel::ALL.iter().map(|c| (c.to_string(), label(lang, "level", c))).collect::<Vec<_>>()}
                    onchange={set(|f, v| f.level = v)} error={err.clone()} />
                <fieldset>
                    <legend>{ t(lang, "org.parent") }<span class="hint">{ t(lang, "optional") }</span></legend>
                    if let Some((_, n)) = &f.parent { <p class="chosen">{ n.clone() }</p> }
                    <div class="inline">
                        <input type="search" aria-label={t(lang, "org.parent")} value={f.parent_query.clone()}
                            oninput={let form = form.clone(); Callback::from(move |e: InputEvent| { let mut n = (*form).clone(); n.parent_query = crate::components::input_value(&e); form.set(n); })} />
                        <button type="button" onclick={let s = search.clone(); move |_| s.emit(())}>{ t(lang, "search") }</button>
                    </div>
                    <ul class="choices">{ for parents.iter().map(|(id, name)| {
                        let (form, id, name) = (form.clone(), *id, name.clone());
                        let on = f.parent.as_ref().is_some_and(|(x, _)| *x == id);
                        let text = name.clone();
                        html! { <li><label class="check"><input type="radio" name="parent" checked={on}
                            onchange={Callback::from(move |_| { let mut n = (*form).clone(); n.parent = Some((id, name.clone())); form.set(n); })} />{ text }</label></li> }
                    }) }</ul>
                </fieldset>
                <RegionPicker name="region_code" label={t(lang, "org.region")} value={f.region_code.clone()} onchange={set(|f, v| f.region_code = v)} error={err.clone()} />
                <TextField name="credit_code" label={t(lang, "org.credit_code")} value={f.credit_code.clone()} kind={Kind::CreditCode} oninput={set(|f, v| f.credit_code = v)} error={err.clone()} />
                <TextField name="contact_name" label={t(lang, "org.contact_name")} value={f.contact_name.clone()} required=true kind={Kind::PersonName} oninput={set(|f, v| f.contact_name = v)} error={err.clone()} />
                <TextField name="contact_phone" label={t(lang, "org.contact_phone")} value={f.contact_phone.clone()} required=true kind={Kind::Phone} input_type="tel" oninput={set(|f, v| f.contact_phone = v)} error={err.clone()} />
                <TextField name="address" label={t(lang, "org.address")} value={f.address.clone()} oninput={set(|f, v| f.address = v)} error={err.clone()} />
                <button type="submit" class="primary" disabled={*busy}>{ if *busy { t(lang, "working") } else { t(lang, "submit") } }</button>
            </form>
        </section>
    }
}

/// The platform admin's desk: organisations waiting for approval, and the national roll-up.
#[component]
pub fn Platform() -> Html {
    let app = use_app();
    let lang = app.lang;
    let (pending, retry, more_pending) =
        use_pages::<OrganizationPageDto>(Some("/organizations?status=pending&limit=100".into()));
    if !app.me.as_ref().is_some_and(|m| m.is_platform_admin) {
        return html! { <section class="page"><p>{ t(lang, "forbidden_page") }</p></section> };
    }
    html! {
        <section class="page">
            <h1>{ t(lang, "nav.platform") }</h1>
            <section class="panel">
                <h2>{ t(lang, "platform.pending") }</h2>
                { view_load(&pending, lang, &retry, |p| pending_list(lang, &p.items, &retry)) }
                { more_button(lang, &pending, &more_pending) }
            </section>
            <section class="panel"><super::applications::CallComposer /></section>
            <section class="panel"><super::applications::CallDeadlines /></section>
            <section class="panel">
                <h2>{ t(lang, "deliveries.title") }</h2>
                <super::deliveries::DeliveryLog />
            </section>
            <p><Link<Route> to={Route::Applications}>{ t(lang, "nav.applications") }</Link<Route>></p>
            <h2>{ t(lang, "platform.national") }</h2>
            <Rollup org={None::<uuid::Uuid>} />
        </section>
    }
}
