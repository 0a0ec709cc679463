//! What an organisation's admins oversee beyond daily work: the certificates it issued
//! (and their revocation), its service records, the annual recognition candidates, the
//! pairings of its tree, its admins, the reports of the organisations below it (accepted or
//! returned), a member's detail, and a report's photos.

use chrono::Datelike;
use yew::prelude::*;
use yew_router::prelude::{use_navigator, Link};

use crate::app::Route;
use zhihui_contract::organizations::{GrantAdminRequest, OrganizationAdminView, OrganizationView};
use zhihui_contract::pairing::{PairingPage, PairingView};
use zhihui_contract::records::{
    CertificatePage, CertificateView, RecognitionView, RevokeCertificateRequest, ServiceRecordPage,
};
use zhihui_contract::reports::{
    MonthlyReportPage, MonthlyReportView, PhotoView, ReturnReportRequest,
};
use zhihui_contract::volunteers::VolunteerView;
use zhihui_domain::{CertificateAction, ReportAction};

use crate::components::{more_button, use_pages};
use crate::components::{use_app, use_get, view_load, Empty, ErrorBanner, TextField};
use crate::format;
use crate::i18n::{label, t};
use crate::services::{self, ApiError};
use crate::validate::Kind;

#[derive(Properties, PartialEq)]
pub struct OrgIdProps {
    pub org: uuid::Uuid,
}

/// Asks for a reason with the browser's prompt; `None` when cancelled or left empty.
fn ask(question: &str) -> Option<String> {
    web_sys::window()
        .and_then(|w| w.prompt_with_message(question).ok().flatten())
        .map(|r| r.trim().to_string())
        .filter(|r| !r.is_empty())
}

/// Certificates the organisation issued; one opens with its detail, and may be revoked
/// with a reason (the public verification then says so).
#[component]
pub fn Certificates(props: &OrgIdProps) -> Html {
    let app = use_app();
    let lang = app.lang;
    let org = props.org;
    let (page, reload, more_page) = use_pages::<CertificatePage>(Some(format!(
        "/certificates?organization_id={org}&limit=200"
    )));
    let open = use_state(|| None::<CertificateView>);
    let error = use_state(|| None::<ApiError>);
    let show = {
        let (open, error) = (open.clone(), error.clone());
        move |number: String| {
            let (open, error) = (open.clone(), error.clone());
            Callback::from(move |_| {
                let (open, error, number) = (open.clone(), error.clone(), number.clone());
                wasm_bindgen_futures::spawn_local(async move {
                    match services::get::<CertificateView>(&format!(
                        "/certificates/{}",
                        services::enc(&number)
                    ))
                    .await
                    {
                        Ok(c) => open.set(Some(c)),
                        Err(e) => error.set(Some(e)),
                    }
                });
            })
        }
    };
    let revoke = {
        let (open, error, reload) = (open.clone(), error.clone(), reload.clone());
        move |number: String| {
            let (open, error, reload) = (open.clone(), error.clone(), reload.clone());
            Callback::from(move |_| {
                let Some(reason) = ask(t(lang, "certs.revoke_reason")) else {
                    return;
                };
                let (open, error, reload, number) =
                    (open.clone(), error.clone(), reload.clone(), number.clone());
                wasm_bindgen_futures::spawn_local(async move {
                    match services::post::<_, CertificateView>(
                        &format!("/certificates/{}/revoke", services::enc(&number)),
                        &RevokeCertificateRequest { reason },
                    )
                    .await
                    {
                        Ok(c) => {
                            open.set(Some(c));
                            error.set(None);
                        }
                        Err(e) => error.set(Some(e)),
                    }
                    reload.emit(());
                });
            })
        }
    };
    html! {
        <section class="panel">
            <h2>{ t(lang, "certs.title") }</h2>
            <ErrorBanner error={(*error).clone()} />
            { view_load(&page, lang, &reload, |p| if p.items.is_empty() { html! { <Empty /> } } else { html! {
                <div class="table-wrap"><table>
                    <thead><tr><th>{ t(lang, "certs.number") }</th><th>{ t(lang, "field.name") }</th>
                        <th>{ t(lang, "certs.hours") }</th><th>{ t(lang, "certs.issued") }</th><th>{ t(lang, "integrations.status") }</th><th></th></tr></thead>
                    <tbody>{ for p.items.iter().map(|c| html! { <tr>
                        <td><button type="button" class="link" onclick={show(c.number.clone())}>{ c.number.clone() }</button></td>
                        <td>{ c.volunteer_name.clone() }</td><td>{ format!("{:.1}", c.hours) }</td>
                        <td>{ c.issue_date.to_string() }</td>
                        <td><span class={classes!("tag", c.status.as_str())}>{ label(lang, "certificate", c.status) }</span></td>
                        <td class="actions">if c.allowed_actions.contains(&CertificateAction::Revoke) {
                            <button type="button" class="danger" onclick={revoke(c.number.clone())}>{ t(lang, "certs.revoke") }</button>
                        }</td>
                    </tr> }) }</tbody>
                </table></div>
            } }) }
            { more_button(lang, &page, &more_page) }
            if let Some(c) = &*open {
                <dl class="facts" id="certificate">
                    <dt>{ t(lang, "certs.number") }</dt><dd>{ c.number.clone() }</dd>
                    <dt>{ t(lang, "field.name") }</dt><dd>{ format!("{} · {}", c.volunteer_name, c.id_number_masked) }</dd>
                    <dt>{ t(lang, "certs.period") }</dt><dd>{ format!("{} – {}", c.period_from, c.period_to) }</dd>
                    <dt>{ t(lang, "certs.hours") }</dt><dd>{ format!("{:.1} · {} {}", c.hours, c.activities, t(lang, "certs.activities")) }</dd>
                    <dt>{ t(lang, "certs.content") }</dt><dd>{ c.content.clone() }</dd>
                    if let Some(r) = &c.revoke_reason { <dt>{ t(lang, "certs.revoke_reason") }</dt><dd>{ r.clone() }</dd> }
                    <dt>{ t(lang, "certs.verify") }</dt><dd><a href={c.verification_url.clone()}>{ c.verification_url.clone() }</a></dd>
                </dl>
            }
        </section>
    }
}

/// The organisation's confirmed service records, newest first, with their total.
#[component]
pub fn Records(props: &OrgIdProps) -> Html {
    let app = use_app();
    let lang = app.lang;
    let (page, reload, more_page) = use_pages::<ServiceRecordPage>(Some(format!(
        "/service-records?organization_id={}&limit=200",
        props.org
    )));
    html! {
        <section class="panel">
            <h2>{ t(lang, "records.title") }</h2>
            { view_load(&page, lang, &reload, |p| if p.items.is_empty() { html! { <Empty /> } } else { html! {
                <>
                <p class="meta">{ format!("{} {:.1}", t(lang, "records.total_hours"), p.total_hours) }</p>
                <div class="table-wrap"><table>
                    <thead><tr><th>{ t(lang, "records.date") }</th><th>{ t(lang, "field.name") }</th>
                        <th>{ t(lang, "records.activity") }</th><th>{ t(lang, "certs.hours") }</th></tr></thead>
                    <tbody>{ for p.items.iter().map(|r| html! { <tr>
                        <td>{ r.service_date.to_string() }</td><td>{ r.volunteer_name.clone() }</td>
                        <td>{ format!("{} · {}", r.activity_title, label(lang, "category", r.category)) }</td>
                        <td>{ format!("{:.1}", r.hours) }</td>
                    </tr> }) }</tbody>
                </table></div>
                </>
            } }) }
            { more_button(lang, &page, &more_page) }
        </section>
    }
}

/// The year's recognition (年度表彰): the team's standing against the thresholds and the
/// volunteers who meet theirs.
#[component]
pub fn Recognition(props: &OrgIdProps) -> Html {
    let app = use_app();
    let lang = app.lang;
    let this_year = format::now().year();
    let year = use_state(|| this_year);
    let (view, reload) = use_get::<RecognitionView>(Some(format!(
        "/organizations/{}/recognition?year={}",
        props.org, *year
    )));
    let years: Vec<i32> = (this_year - 4..=this_year).rev().collect();
    html! {
        <section class="panel">
            <h2>{ t(lang, "recognition.title") }</h2>
            <div class="actions">{ for years.iter().map(|y| {
                let (set, y) = (year.clone(), *y);
                html! { <button type="button" class={classes!((*year == y).then_some("primary"))}
                    onclick={Callback::from(move |_| set.set(y))}>{ y }</button> }
            }) }</div>
            { view_load(&view, lang, &reload, |r| html! {
                <>
                <p class="meta">{ format!("{} {} · {} {} · {} {:.1}", t(lang, "recognition.members"), r.team.members,
                    t(lang, "recognition.activities"), r.team.activities, t(lang, "certs.hours"), r.team.hours) }
                    { " · " }<span class={classes!("tag", if r.team.eligible { "approved" } else { "pending" })}>
                    { t(lang, if r.team.eligible { "recognition.eligible" } else { "recognition.not_eligible" }) }</span></p>
                if r.volunteers.is_empty() { <Empty /> } else {
                    <div class="table-wrap"><table>
                        <thead><tr><th>{ t(lang, "field.name") }</th><th>{ t(lang, "me.volunteer_number") }</th>
                            <th>{ t(lang, "recognition.activities") }</th><th>{ t(lang, "certs.hours") }</th></tr></thead>
                        <tbody>{ for r.volunteers.iter().map(|n| html! { <tr>
                            <td>{ n.name.clone() }</td><td>{ n.volunteer_number.clone() }</td>
                            <td>{ n.activities }</td><td>{ format!("{:.1}", n.hours) }</td>
                        </tr> }) }</tbody>
                    </table></div>
                }
                <h3>{ t(lang, "recognition.service_points") }</h3>
                if r.service_points.is_empty() { <Empty /> } else {
                    <div class="table-wrap"><table class="recognition-points">
                        <thead><tr><th>{ t(lang, "hub.point") }</th><th>{ t(lang, "hub.activities") }</th>
                            <th>{ t(lang, "hub.people_served") }</th><th>{ t(lang, "certs.hours") }</th></tr></thead>
                        <tbody>{ for r.service_points.iter().map(|p| html! { <tr>
                            <td><Link<Route> to={Route::ServicePoint { id: p.service_point_id.to_string() }}>{ p.name.clone() }</Link<Route>></td>
                            <td>{ p.activities }</td><td>{ p.people_served }</td><td>{ format!("{:.1}", p.hours) }</td>
                        </tr> }) }</tbody>
                    </table></div>
                }
                </>
            }) }
        </section>
    }
}

/// The pairings (结对) of the organisation and the organisations below it; one opens with its
/// detail.
#[component]
pub fn Pairings(props: &OrgIdProps) -> Html {
    let app = use_app();
    let lang = app.lang;
    let (page, reload, more_page) = use_pages::<PairingPage>(Some(format!(
        "/pairings?organization_id={}&include_descendants=true&limit=200",
        props.org
    )));
    let open = use_state(|| None::<PairingView>);
    let error = use_state(|| None::<ApiError>);
    let show = {
        let (open, error) = (open.clone(), error.clone());
        move |id: uuid::Uuid| {
            let (open, error) = (open.clone(), error.clone());
            Callback::from(move |_| {
                let (open, error) = (open.clone(), error.clone());
                wasm_bindgen_futures::spawn_local(async move {
                    match services::get::<PairingView>(&format!("/pairings/{id}")).await {
                        Ok(p) => open.set(Some(p)),
                        Err(e) => error.set(Some(e)),
                    }
                });
            })
        }
    };
    html! {
        <section class="panel">
            <h2>{ t(lang, "pairings.title") }</h2>
            <ErrorBanner error={(*error).clone()} />
            { view_load(&page, lang, &reload, |p| if p.items.is_empty() { html! { <Empty /> } } else { html! {
                <div class="table-wrap"><table>
                    <thead><tr><th>{ t(lang, "letters.proof") }</th><th>{ t(lang, "pairings.society") }</th>
                        <th>{ t(lang, "pairings.county") }</th><th>{ t(lang, "certs.period") }</th><th>{ t(lang, "integrations.status") }</th></tr></thead>
                    <tbody>{ for p.items.iter().map(|x| html! { <tr>
                        <td><button type="button" class="link" onclick={show(x.id)}>{ x.proof_number.clone() }</button></td>
                        <td>{ x.society.name.clone() }</td><td>{ x.county.name.clone() }</td>
                        <td>{ format!("{} – {}", x.period_from, x.period_to) }</td>
                        <td>{ label(lang, "pairing", x.status) }</td>
                    </tr> }) }</tbody>
                </table></div>
            } }) }
            { more_button(lang, &page, &more_page) }
            if let Some(x) = &*open {
                <dl class="facts" id="pairing">
                    <dt>{ t(lang, "letters.proof") }</dt><dd>{ x.proof_number.clone() }</dd>
                    <dt>{ t(lang, "pairings.society") }</dt><dd>{ x.society.name.clone() }</dd>
                    <dt>{ t(lang, "pairings.county") }</dt><dd>{ x.county.name.clone() }</dd>
                    <dt>{ t(lang, "certs.period") }</dt><dd>{ format!("{} – {}", x.period_from, x.period_to) }</dd>
                    <dt>{ t(lang, "pairings.since") }</dt><dd>{ format::date_time(lang, x.created_at) }</dd>
                </dl>
            }
        </section>
    }
}

#[derive(Properties, PartialEq)]
pub struct AdminsProps {
    pub org: OrganizationView,
    pub changed: Callback<()>,
}

/// The organisation's admins: another is granted by login (an approved member's account,
/// within the seats the team's size allows), and one may be revoked (the last one stays).
#[component]
pub fn Admins(props: &AdminsProps) -> Html {
    let app = use_app();
    let lang = app.lang;
    let org = props.org.id;
    let login = use_state(String::new);
    let error = use_state(|| None::<ApiError>);
    let busy = use_state(|| false);
    let grant = {
        let (login, error, busy, changed) = (
            login.clone(),
            error.clone(),
            busy.clone(),
            props.changed.clone(),
        );
        let toast = app.toast.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *busy {
                return;
            }
            let body = GrantAdminRequest {
                login: login.trim().to_string(),
            };
            if let Err(r) = zhihui_domain::LoginName::try_from(&body) {
                error.set(Some(super::refused(r)));
                return;
            }
            busy.set(true);
            let (login, error, busy, changed, toast) = (
                login.clone(),
                error.clone(),
                busy.clone(),
                changed.clone(),
                toast.clone(),
            );
            wasm_bindgen_futures::spawn_local(async move {
                match services::post::<_, OrganizationAdminView>(
                    &format!("/organizations/{org}/admins"),
                    &body,
                )
                .await
                {
                    Ok(_) => {
                        login.set(String::new());
                        error.set(None);
                        toast.emit("toast.admin_granted");
                        changed.emit(());
                    }
                    Err(e) => error.set(Some(e)),
                }
                busy.set(false);
            });
        })
    };
    // Handing over the seat: one who revokes themself no longer runs the organisation, and
    // goes back to their workbench.
    let navigator = use_navigator();
    let me = app.me.as_ref().map(|m| m.id);
    let revoke = {
        let (error, changed, toast, reload_me) = (
            error.clone(),
            props.changed.clone(),
            app.toast.clone(),
            app.reload_me.clone(),
        );
        move |account: uuid::Uuid| {
            let (error, changed, toast, reload_me, navigator) = (
                error.clone(),
                changed.clone(),
                toast.clone(),
                reload_me.clone(),
                navigator.clone(),
            );
            Callback::from(move |_| {
                let own = me == Some(account);
                let question = if own {
                    "admins.confirm_revoke_self"
                } else {
                    "admins.confirm_revoke"
                };
                if !crate::components::confirmed(t(lang, question)) {
                    return;
                }
                let (error, changed, toast, reload_me, navigator) = (
                    error.clone(),
                    changed.clone(),
                    toast.clone(),
                    reload_me.clone(),
                    navigator.clone(),
                );
                wasm_bindgen_futures::spawn_local(async move {
                    let r =
                        services::delete::<()>(&format!("/organizations/{org}/admins/{account}"))
                            .await;
                    if r.is_ok() {
                        toast.emit("toast.admin_revoked");
                        if own {
                            reload_me.emit(());
                            if let Some(n) = navigator {
                                n.push(&crate::app::Route::Work);
                            }
                            return;
                        }
                    }
                    error.set(r.err());
                    changed.emit(());
                });
            })
        }
    };
    let admins = props.org.admins.clone().unwrap_or_default();
    html! {
        <section class="panel">
            <h2>{ t(lang, "admins.title") }</h2>
            <ErrorBanner error={(*error).clone()} />
            <ul class="plain">{ for admins.iter().map(|a| html! {
                <li>{ format!("{} · {} ", a.display_name, format::date_time(lang, a.granted_at)) }
                    <button type="button" class="danger" onclick={revoke(a.account_id)}>{ t(lang, "admins.revoke") }</button></li>
            }) }</ul>
            <form class="form" onsubmit={grant}>
                <TextField name="login" label={t(lang, "admins.login")} value={(*login).clone()} required=true kind={Kind::Required}
                    oninput={let l = login.clone(); Callback::from(move |v| l.set(v))} error={(*error).clone()} />
                <button type="submit" class="primary" disabled={*busy}>{ t(lang, "admins.grant") }</button>
            </form>
        </section>
    }
}

/// Reports submitted by the organisations below, waiting for this one: each is accepted, or
/// returned with the reason (the service says which the caller may do).
#[component]
pub fn ChildReports(props: &OrgIdProps) -> Html {
    let app = use_app();
    let lang = app.lang;
    let (page, reload, more_page) = use_pages::<MonthlyReportPage>(Some(format!(
        "/monthly-reports?organization_id={}&include_descendants=true&status=submitted&limit=200",
        props.org
    )));
    let error = use_state(|| None::<ApiError>);
    let decide = {
        let (error, reload, toast) = (error.clone(), reload.clone(), app.toast.clone());
        move |r: &MonthlyReportView, accept: bool| {
            let (error, reload, id, version) = (error.clone(), reload.clone(), r.id, r.version);
            let toast = toast.clone();
            Callback::from(move |_| {
                let reason = if accept {
                    if !crate::components::confirmed(t(lang, "reports.confirm_accept")) {
                        return;
                    }
                    None
                } else {
                    match ask(t(lang, "reports.return_reason")) {
                        Some(r) => Some(r),
                        None => return,
                    }
                };
                let (error, reload, toast) = (error.clone(), reload.clone(), toast.clone());
                wasm_bindgen_futures::spawn_local(async move {
                    let r = match reason {
                        None => {
                            services::act_version::<MonthlyReportView>(
                                &format!("/monthly-reports/{id}/accept"),
                                version,
                            )
                            .await
                        }
                        Some(reason) => {
                            services::post_version::<_, MonthlyReportView>(
                                &format!("/monthly-reports/{id}/return"),
                                &ReturnReportRequest { reason },
                                version,
                            )
                            .await
                        }
                    };
                    if r.is_ok() {
                        toast.emit(if accept {
                            "toast.report_accepted"
                        } else {
                            "toast.report_returned"
                        });
                    }
                    error.set(r.err());
                    reload.emit(());
                });
            })
        }
    };
    html! {
        <section class="panel">
            <h2>{ t(lang, "reports.children") }</h2>
            <ErrorBanner error={(*error).clone()} />
            { view_load(&page, lang, &reload, |p| {
                let mine: Vec<&MonthlyReportView> = p.items.iter().filter(|r| !r.allowed_actions.is_empty()).collect();
                if mine.is_empty() { return html! { <Empty /> }; }
                html! {
                    <div class="table-wrap"><table>
                        <thead><tr><th>{ t(lang, "reports.organization") }</th><th>{ t(lang, "reports.month") }</th>
                            <th>{ t(lang, "records.activity") }</th><th>{ t(lang, "certs.hours") }</th><th></th></tr></thead>
                        <tbody>{ for mine.iter().map(|r| html! { <tr>
                            <td>{ r.organization.name.clone() }</td><td>{ r.month.clone() }</td>
                            <td>{ r.figures.activities_held }</td><td>{ format!("{:.1}", r.figures.service_hours) }</td>
                            <td class="actions">
                                if r.allowed_actions.contains(&ReportAction::Accept) {
                                    <button type="button" class="primary" onclick={decide(r, true)}>{ t(lang, "reports.accept") }</button>
                                }
                                if r.allowed_actions.contains(&ReportAction::Return) {
                                    <button type="button" onclick={decide(r, false)}>{ t(lang, "reports.return") }</button>
                                }
                            </td>
                        </tr> }) }</tbody>
                    </table></div>
                }
            }) }
            { more_button(lang, &page, &more_page) }
        </section>
    }
}

#[derive(Properties, PartialEq)]
pub struct PhotosProps {
    pub report: uuid::Uuid,
    pub photos: Vec<PhotoView>,
    pub editable: bool,
    pub changed: Callback<()>,
}

/// A report's photos: each downloads; while the report is open, another may be added.
#[component]
pub fn ReportPhotos(props: &PhotosProps) -> Html {
    let app = use_app();
    let lang = app.lang;
    let report = props.report;
    let error = use_state(|| None::<ApiError>);
    let upload = {
        let (error, changed) = (error.clone(), props.changed.clone());
        Callback::from(move |e: Event| {
            let Some(input) = e.target_dyn_into::<web_sys::HtmlInputElement>() else {
                return;
            };
            let Some(file) = input.files().and_then(|f| f.get(0)) else {
                return;
            };
            let (error, changed) = (error.clone(), changed.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let r = services::upload::<PhotoView>(
                    &format!("/monthly-reports/{report}/photos"),
                    &file,
                )
                .await;
                error.set(r.err());
                changed.emit(());
                input.set_value("");
            });
        })
    };
    html! {
        <div class="photos">
            <h3>{ t(lang, "reports.photos") }</h3>
            <ErrorBanner error={(*error).clone()} />
            if props.photos.is_empty() { <Empty /> } else {
                <ul class="plain">{ for props.photos.iter().map(|p| {
                    let (path, name, error) = (format!("/monthly-reports/{report}/photos/{}", p.id), p.file_name.clone(), error.clone());
                    let fetch = Callback::from(move |_| {
                        let (path, name, error) = (path.clone(), name.clone(), error.clone());
                        wasm_bindgen_futures::spawn_local(async move {
                            if let Err(e) = services::download(&path, &name).await {
                                error.set(Some(e));
                            }
                        });
                    });
                    html! { <li><button type="button" class="link" onclick={fetch}>{ p.file_name.clone() }</button>
                        { format!(" · {} KB", (p.size + 1023) / 1024) }</li> }
                }) }</ul>
            }
            if props.editable {
                <div class="field">
                    <label for={format!("f-photo-{report}")}>{ t(lang, "reports.add_photo") }</label>
                    <input id={format!("f-photo-{report}")} type="file" accept="image/jpeg,image/png" onchange={upload} />
                </div>
            }
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct MemberProps {
    pub volunteer: uuid::Uuid,
}

/// A member's detail as the team's admins see it (masked ID number and phone).
#[component]
pub fn MemberDetail(props: &MemberProps) -> Html {
    let app = use_app();
    let lang = app.lang;
    let (v, reload) = use_get::<VolunteerView>(Some(format!("/volunteers/{}", props.volunteer)));
    view_load(&v, lang, &reload, |v| {
        html! {
            <dl class="facts member">
                <dt>{ t(lang, "field.name") }</dt><dd>{ v.name.clone() }</dd>
                <dt>{ t(lang, "me.volunteer_number") }</dt><dd>{ v.volunteer_number.clone() }</dd>
                <dt>{ t(lang, "field.id_number") }</dt><dd>{ v.id_number_masked.clone() }</dd>
                <dt>{ t(lang, "field.phone") }</dt><dd>{ v.phone_masked.clone() }</dd>
                <dt>{ t(lang, "member.skills") }</dt><dd>{ v.skills.join("、") }</dd>
                <dt>{ t(lang, "member.categories") }</dt><dd>{ v.service_categories.iter().map(|c| label(lang, "category", c)).collect::<Vec<_>>().join("、") }</dd>
            </dl>
        }
    })
}
