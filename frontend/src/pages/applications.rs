//! Calls for applications (申报指南) and applications (申报书): an organisation drafts one
//! with its budget lines and contacts, attaches the stamped form, submits it and follows its
//! history; a reviewer scores; the platform publishes calls and decides.

use chrono::NaiveDate;
use yew::prelude::*;
use yew_router::prelude::*;
use zhihui_contract::accounts::{AccountPage, AccountSummary};
use zhihui_contract::applications::{
    ApplicationDraft, ApplicationHistory, ApplicationPage, ApplicationSummaryView, ApplicationView,
    AssignReviewersRequest, AttachmentView, BudgetLine, CallPage, CallTerms, CallView,
    ContactInput, CreateApplicationRequest, CreateCallRequest, Criterion, DecisionRequest,
    DeclineEndorsementRequest, EndorseRequest, ProjectSummaryRequest, ReviewScores, ReviewView,
    ReviewerView, Score, SubmitReviewRequest, UpdateApplicationRequest, UpdateCallRequest, Verdict,
};
use zhihui_contract::pairing::ProposedActivity;
use zhihui_domain::{ApplicationAction, CallState, Decision};

use super::field_error;
use crate::app::Route;
use crate::components::{
    checked, input_value, use_app, use_get, view_load, Empty, ErrorBanner, SelectField, TextField,
};
use crate::components::{confirmed, more_button, use_pages};
use crate::format;
use crate::i18n::{label, t, Lang};
use crate::services::{self, ApiError};
use crate::validate::Kind;
use zhihui_contract::form::Reason;

fn call_title(c: &CallView) -> String {
    format!("{} · {}（{}）", c.programme, c.sub_project, c.year)
}

fn application_row(lang: Lang, a: &ApplicationSummaryView) -> Html {
    html! {
        <li class="card">
            <h3><Link<Route> to={Route::Application { id: a.id.to_string() }}>{ a.title.clone() }</Link<Route>></h3>
            <p class="meta">{ format!("{} · {}", a.applicant.name, format::money(a.requested_fen)) }
                { " · " }<span class={classes!("tag", a.status.as_str())}>{ crate::i18n::application_status(lang, a.status) }</span></p>
        </li>
    }
}

/// Every application the caller may see: their organisations' own, their province's, those
/// assigned to them for review, everything for platform admins.
#[component]
pub fn Applications() -> Html {
    let app = use_app();
    let lang = app.lang;
    let (list, retry, more_list) = use_pages::<ApplicationPage>(
        app.me
            .as_ref()
            .map(|_| "/applications?limit=100".to_string()),
    );
    let export_error = use_state(|| None::<ApiError>);
    let export = |format: &'static str| {
        let export_error = export_error.clone();
        Callback::from(move |_| {
            let export_error = export_error.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let r = services::download(
                    &format!("/applications/export?format={format}"),
                    &format!("applications.{format}"),
                )
                .await;
                export_error.set(r.err());
            });
        })
    };
    if app.me.is_none() {
        return html! { <section class="page narrow"><Link<Route> to={Route::SignIn} classes="button primary">{ t(lang, "nav.sign_in") }</Link<Route>></section> };
    }
    html! {
        <section class="page">
            <h1>{ t(lang, "apps.title") }</h1>
            <ErrorBanner error={(*export_error).clone()} />
            <div class="actions">
                <button type="button" onclick={export("xlsx")}>{ t(lang, "apps.export_xlsx") }</button>
                <button type="button" onclick={export("csv")}>{ t(lang, "apps.export_csv") }</button>
            </div>
            { view_load(&list, lang, &retry, |p| if p.items.is_empty() { html! { <Empty /> } } else {
                html! { <ul class="cards">{ for p.items.iter().map(|a| application_row(lang, a)) }</ul> } }) }
            { more_button(lang, &list, &more_list) }
        </section>
    }
}

#[derive(Properties, PartialEq)]
pub struct OrgProps {
    pub org: uuid::Uuid,
}

/// An organisation's tab: open calls to apply to, and its applications.
#[component]
pub fn OrgApplications(props: &OrgProps) -> Html {
    let app = use_app();
    let lang = app.lang;
    let org = props.org;
    let (calls, retry_calls, more_calls) =
        use_pages::<CallPage>(Some("/calls?limit=200".to_string()));
    let (mine, retry_mine, more_mine) =
        use_pages::<ApplicationPage>(Some(format!("/applications?applicant_id={org}&limit=100")));
    let applying = use_state(|| None::<CallView>);
    html! {
        <>
        <section class="panel">
            <h2>{ t(lang, "apps.calls") }</h2>
            { view_load(&calls, lang, &retry_calls, |p| {
                let open: Vec<&CallView> = p.items.iter().filter(|c| c.state == CallState::Open).collect();
                if open.is_empty() { return html! { <Empty /> }; }
                html! { <ul class="cards">{ for open.iter().map(|c| {
                    let (applying, call) = (applying.clone(), (*c).clone());
                    html! { <li class="card">
                        <h3>{ call_title(c) }</h3>
                        <p class="meta">{ format!("{} {} · {} {}", t(lang, "apps.closes"), format::date_time(lang, c.closes_at), t(lang, "apps.cap"), format::money(c.cap_fen)) }</p>
                        <button type="button" class="primary" onclick={move |_| applying.set(Some(call.clone()))}>{ t(lang, "apps.apply") }</button>
                    </li> }
                }) }</ul> }
            }) }
            { more_button(lang, &calls, &more_calls) }
            if let Some(call) = &*applying {
                <Composer org={org} call={call.clone()} existing={None::<ApplicationView>} />
            }
        </section>
        <section class="panel">
            <h2>{ t(lang, "apps.mine") }</h2>
            { view_load(&mine, lang, &retry_mine, |p| if p.items.is_empty() { html! { <Empty /> } } else {
                html! { <ul class="cards">{ for p.items.iter().map(|a| application_row(lang, a)) }</ul> } }) }
            { more_button(lang, &mine, &more_mine) }
        </section>
        </>
    }
}

#[derive(Clone, PartialEq)]
struct Line {
    item: String,
    amount: String,
    note: String,
}

#[derive(Clone, PartialEq)]
struct Draft {
    title: String,
    summary: String,
    objectives: String,
    what: String,
    month: String,
    place: String,
    budget: Vec<Line>,
    requested: String,
    pairing_proof: String,
    partner_query: String,
    partner: Option<(uuid::Uuid, String)>,
    partner_role: String,
    contact_name: String,
    contact_role: String,
    contact_phone: String,
}

impl Draft {
    fn from_view(a: Option<&ApplicationView>) -> Self {
        let Some(a) = a else {
            return Draft {
                title: String::new(),
                summary: String::new(),
                objectives: String::new(),
                what: String::new(),
                month: format::month_of(format::now(), 1),
                place: String::new(),
                budget: vec![Line {
                    item: String::new(),
                    amount: String::new(),
                    note: String::new(),
                }],
                requested: String::new(),
                pairing_proof: String::new(),
                partner_query: String::new(),
                partner: None,
                partner_role: String::new(),
                contact_name: String::new(),
                contact_role: "项目负责人".into(),
                contact_phone: String::new(),
            };
        };
        let yuan = |fen: i64| format!("{}.{:02}", fen / 100, fen % 100);
        let first = a.activities.first();
        let contact = a.contacts.first();
        Draft {
            title: a.title.clone(),
            summary: a.summary.clone(),
            objectives: a.objectives.clone(),
            what: first.map(|x| x.what.clone()).unwrap_or_default(),
            month: first.map(|x| x.month.clone()).unwrap_or_default(),
            place: first.map(|x| x.place.clone()).unwrap_or_default(),
            budget: a
                .budget
                .iter()
                .map(|b| Line {
                    item: b.item.clone(),
                    amount: yuan(b.amount_fen),
                    note: b.note.clone().unwrap_or_default(),
                })
                .collect(),
            requested: yuan(a.requested_fen),
            pairing_proof: a
                .pairing
                .as_ref()
                .map(|p| p.proof_number.clone())
                .unwrap_or_default(),
            partner_query: String::new(),
            partner: a
                .provincial_partner
                .as_ref()
                .map(|p| (p.id, p.name.clone())),
            partner_role: a.provincial_partner_role.clone().unwrap_or_default(),
            contact_name: contact.map(|c| c.name.clone()).unwrap_or_default(),
            contact_role: contact.map(|c| c.role.clone()).unwrap_or_default(),
            // A phone shown masked cannot be sent back; the applicant's admins see it in full.
            contact_phone: contact
                .map(|c| c.phone.clone())
                .filter(|p| !p.contains('*'))
                .unwrap_or_default(),
        }
    }
}

#[derive(Properties, PartialEq)]
struct ComposerProps {
    org: uuid::Uuid,
    call: CallView,
    existing: Option<ApplicationView>,
}

/// The application form: created as a draft, or a draft (or a returned one) revised.
#[component]
fn Composer(props: &ComposerProps) -> Html {
    let app = use_app();
    let lang = app.lang;
    let nav = use_navigator();
    let draft = use_state(|| Draft::from_view(props.existing.as_ref()));
    let error = use_state(|| None::<ApiError>);
    let busy = use_state(|| false);
    let set = |f: fn(&mut Draft, String)| {
        let draft = draft.clone();
        Callback::from(move |v: String| {
            let mut n = (*draft).clone();
            f(&mut n, v);
            draft.set(n);
        })
    };
    let partners = use_state(Vec::<(uuid::Uuid, String)>::new);
    let search_partner = {
        let (draft, partners) = (draft.clone(), partners.clone());
        Callback::from(move |_| {
            let (q, partners) = (draft.partner_query.clone(), partners.clone());
            wasm_bindgen_futures::spawn_local(async move {
                partners
                    .set(services::find_organizations("category=provincial_society&", &q).await);
            });
        })
    };
    let d = (*draft).clone();
    let budget_total: i64 = d
        .budget
        .iter()
        .filter_map(|l| format::parse_yuan(&l.amount))
        .sum();
    let onsubmit = {
        let (draft, error, busy) = (draft.clone(), error.clone(), busy.clone());
        let (org, call_id, existing) = (props.org, props.call.id, props.existing.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *busy {
                return;
            }
            let d = (*draft).clone();
            let mut budget = vec![];
            for (i, l) in d.budget.iter().enumerate() {
                if l.item.trim().is_empty() && l.amount.trim().is_empty() {
                    continue;
                }
                let Some(fen) = format::parse_yuan(&l.amount).filter(|f| *f > 0) else {
                    error.set(Some(field_error(
                        &format!("budget[{i}].amount_fen"),
                        "amount",
                    )));
                    return;
                };
                budget.push(BudgetLine {
                    item: l.item.trim().into(),
                    amount_fen: fen,
                    note: (!l.note.trim().is_empty()).then(|| l.note.trim().into()),
                });
            }
            let total: i64 = budget.iter().map(|b| b.amount_fen).sum();
            let requested = if d.requested.trim().is_empty() {
                Some(total)
            } else {
                format::parse_yuan(&d.requested)
            };
            let Some(requested_fen) = requested else {
                error.set(Some(field_error("requested_fen", "amount")));
                return;
            };
            let activities = if d.what.trim().is_empty() {
                vec![]
            } else {
                vec![ProposedActivity {
                    what: d.what.trim().into(),
                    month: d.month.clone(),
                    place: d.place.trim().into(),
                }]
            };
            let contacts = vec![ContactInput {
                name: d.contact_name.trim().into(),
                role: d.contact_role.trim().into(),
                phone: d.contact_phone.trim().into(),
            }];
            let proof = d.pairing_proof.trim().to_string();
            let body = CreateApplicationRequest {
                call_id,
                applicant_id: org,
                title: d.title.trim().into(),
                summary: d.summary.trim().into(),
                objectives: d.objectives.trim().into(),
                activities,
                budget,
                requested_fen,
                pairing_proof: (!proof.is_empty()).then(|| proof.clone()),
                provincial_partner_id: d.partner.as_ref().map(|(id, _)| *id),
                provincial_partner_role: (!d.partner_role.trim().is_empty())
                    .then(|| d.partner_role.trim().to_string()),
                contacts,
            };
            // The service's own check of the content; an update sends every field the form
            // holds, so the same check covers it.
            if let Err(r) = ApplicationDraft::try_from(&body) {
                error.set(Some(super::refused(r)));
                return;
            }
            busy.set(true);
            let (error, busy, nav, existing) =
                (error.clone(), busy.clone(), nav.clone(), existing.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let result = match &existing {
                    None => services::post::<_, ApplicationView>("/applications", &body).await,
                    Some(a) => {
                        let update = UpdateApplicationRequest {
                            title: Some(body.title),
                            summary: Some(body.summary),
                            objectives: Some(body.objectives),
                            activities: Some(body.activities),
                            budget: Some(body.budget),
                            requested_fen: Some(body.requested_fen),
                            pairing_proof: Some(proof),
                            provincial_partner_id: body.provincial_partner_id,
                            provincial_partner_role: body.provincial_partner_role,
                            contacts: Some(body.contacts),
                        };
                        services::put_version::<_, ApplicationView>(
                            &format!("/applications/{}", a.id),
                            &update,
                            a.version,
                        )
                        .await
                    }
                };
                match result {
                    Ok(a) => {
                        error.set(None);
                        if let Some(n) = nav {
                            n.push(&Route::Application {
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
    let err = (*error).clone();
    html! {
        <form class="compose" {onsubmit} novalidate=true>
            <h3>{ call_title(&props.call) }</h3>
            <ErrorBanner error={err.clone()} />
            <TextField name="title" label={t(lang, "apps.project_title")} value={d.title.clone()} required=true kind={Kind::Required} oninput={set(|d, v| d.title = v)} error={err.clone()} />
            <TextField name="summary" label={t(lang, "apps.summary")} value={d.summary.clone()} required=true kind={Kind::Required} multiline=true oninput={set(|d, v| d.summary = v)} error={err.clone()} />
            <TextField name="objectives" label={t(lang, "apps.objectives")} value={d.objectives.clone()} required=true kind={Kind::Required} multiline=true oninput={set(|d, v| d.objectives = v)} error={err.clone()} />
            <TextField name="activities[0].what" label={t(lang, "letters.what")} value={d.what.clone()} oninput={set(|d, v| d.what = v)} error={err.clone()} />
            <TextField name="activities[0].month" label={t(lang, "letters.month")} input_type="month" value={d.month.clone()} oninput={set(|d, v| d.month = v)} error={err.clone()} />
            <TextField name="activities[0].place" label={t(lang, "activity.place")} value={d.place.clone()} oninput={set(|d, v| d.place = v)} error={err.clone()} />
            <fieldset class={classes!(err.as_ref().is_some_and(|e| e.field("budget").is_some()).then_some("has-error"))}>
                <legend>{ t(lang, "apps.budget") }</legend>
                <div class="table-wrap"><table class="budget">
                    <thead><tr><th>{ t(lang, "apps.item") }</th><th>{ t(lang, "apps.amount") }</th><th>{ t(lang, "apps.note") }</th><th></th></tr></thead>
                    <tbody>{ for d.budget.iter().enumerate().map(|(i, l)| {
                        let edit = |f: fn(&mut Line, String)| { let draft = draft.clone(); Callback::from(move |e: InputEvent| {
                            let mut n = (*draft).clone(); if let Some(line) = n.budget.get_mut(i) { f(line, input_value(&e)); } draft.set(n);
                        }) };
                        let remove = { let draft = draft.clone(); Callback::from(move |_| { let mut n = (*draft).clone(); n.budget.remove(i); draft.set(n); }) };
                        let line_error = err.as_ref().and_then(|e| e.field(&format!("budget[{i}]"))).map(|f| crate::i18n::error_text(lang, &f.code, &f.message));
                        html! { <tr>
                            <td><input id={format!("f-budget-{i}-item")} aria-label={format!("{} {}", t(lang, "apps.item"), i + 1)} value={l.item.clone()} oninput={edit(|l, v| l.item = v)} /></td>
                            <td><input id={format!("f-budget-{i}-amount")} aria-label={format!("{} {}", t(lang, "apps.amount"), i + 1)} inputmode="decimal" value={l.amount.clone()} oninput={edit(|l, v| l.amount = v)} />
                                if let Some(m) = line_error { <p class="field-error" role="alert">{ m }</p> }</td>
                            <td><input aria-label={format!("{} {}", t(lang, "apps.note"), i + 1)} value={l.note.clone()} oninput={edit(|l, v| l.note = v)} /></td>
                            <td><button type="button" class="link" onclick={remove}>{ t(lang, "apps.remove_line") }</button></td>
                        </tr> }
                    }) }</tbody>
                    <tfoot><tr><th>{ t(lang, "rollup.total") }</th><th id="budget-total">{ format::money(budget_total) }</th><th></th><th></th></tr></tfoot>
                </table></div>
                <button type="button" onclick={let draft = draft.clone(); move |_| { let mut n = (*draft).clone();
                    n.budget.push(Line { item: String::new(), amount: String::new(), note: String::new() }); draft.set(n); }}>{ t(lang, "apps.add_line") }</button>
            </fieldset>
            <TextField name="requested_fen" label={t(lang, "apps.requested")} value={d.requested.clone()} inputmode="decimal" oninput={set(|d, v| d.requested = v)} error={err.clone()} />
            <TextField name="pairing_proof" label={t(lang, "letters.proof")} value={d.pairing_proof.clone()} oninput={set(|d, v| d.pairing_proof = v)} error={err.clone()} />
            <fieldset class={classes!(err.as_ref().is_some_and(|e| e.field("provincial_partner_id").is_some()).then_some("has-error"))}>
                <legend>{ t(lang, "apps.partner") }<span class="hint">{ t(lang, "apps.partner_hint") }</span></legend>
                if let Some((_, name)) = &d.partner { <p class="chosen">{ name.clone() }</p> }
                <div class="inline">
                    <input type="search" aria-label={t(lang, "apps.partner")} value={d.partner_query.clone()}
                        oninput={let draft = draft.clone(); Callback::from(move |e: InputEvent| { let mut n = (*draft).clone(); n.partner_query = input_value(&e); draft.set(n); })} />
                    <button type="button" onclick={let s = search_partner.clone(); move |_| s.emit(())}>{ t(lang, "search") }</button>
                </div>
                <ul class="choices">{ for partners.iter().map(|(id, name)| {
                    let (draft, id, name) = (draft.clone(), *id, name.clone());
                    let on = d.partner.as_ref().is_some_and(|(x, _)| *x == id);
                    let text = name.clone();
                    html! { <li><label class="check"><input type="radio" name="partner" checked={on}
                        onchange={Callback::from(move |_| { let mut n = (*draft).clone(); n.partner = Some((id, name.clone())); draft.set(n); })} />{ text }</label></li> }
                }) }</ul>
                if let Some(m) = err.as_ref().and_then(|e| e.field("provincial_partner_id")).map(|f| crate::i18n::error_text(lang, &f.code, &f.message)) {
                    <p class="field-error" role="alert">{ m }</p>
                }
                <TextField name="provincial_partner_role" label={t(lang, "apps.partner_role")} value={d.partner_role.clone()} multiline=true oninput={set(|d, v| d.partner_role = v)} error={err.clone()} />
            </fieldset>
            <TextField name="contacts[0].name" label={t(lang, "org.contact_name")} value={d.contact_name.clone()} required=true kind={Kind::PersonName} oninput={set(|d, v| d.contact_name = v)} error={err.clone()} />
            <TextField name="contacts[0].role" label={t(lang, "apps.contact_role")} value={d.contact_role.clone()} required=true kind={Kind::Required} oninput={set(|d, v| d.contact_role = v)} error={err.clone()} />
            <TextField name="contacts[0].phone" label={t(lang, "org.contact_phone")} value={d.contact_phone.clone()} required=true kind={Kind::Phone} input_type="tel" oninput={set(|d, v| d.contact_phone = v)} error={err.clone()} />
            <button type="submit" class="primary" disabled={*busy}>{ t(lang, "letters.save_draft") }</button>
        </form>
    }
}

#[derive(Properties, PartialEq)]
pub struct IdProps {
    pub id: String,
}

/// One application: its content, attachments, what the caller may do with it, its history.
#[component]
pub fn ApplicationScreen(props: &IdProps) -> Html {
    let app = use_app();
    let lang = app.lang;
    let (application, reload) =
        use_get::<ApplicationView>(Some(format!("/applications/{}", props.id)));
    let (history, reload_history) =
        use_get::<ApplicationHistory>(Some(format!("/applications/{}/history", props.id)));
    let call_id = match &application {
        crate::components::Load::Ready(a) => Some(a.call_id),
        _ => None,
    };
    let (call, _) = use_get::<CallView>(call_id.map(|c| format!("/calls/{c}")));
    let error = use_state(|| None::<ApiError>);
    let busy = use_state(|| false);
    let editing = use_state(|| false);
    let after = {
        let (reload, reload_history) = (reload.clone(), reload_history.clone());
        Callback::from(move |_| {
            reload.emit(());
            reload_history.emit(());
        })
    };
    let upload = {
        let (error, after) = (error.clone(), after.clone());
        let id = props.id.clone();
        Callback::from(move |e: Event| {
            let Some(input) = e.target_dyn_into::<web_sys::HtmlInputElement>() else {
                return;
            };
            let Some(file) = input.files().and_then(|f| f.get(0)) else {
                return;
            };
            let (error, after, id) = (error.clone(), after.clone(), id.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match services::upload::<AttachmentView>(
                    &format!("/applications/{id}/attachments"),
                    &file,
                )
                .await
                {
                    Ok(_) => {
                        error.set(None);
                        after.emit(());
                    }
                    Err(e) => error.set(Some(e)),
                }
                input.set_value("");
            });
        })
    };
    let submit = {
        let (error, busy, after) = (error.clone(), busy.clone(), after.clone());
        move |a: &ApplicationView| {
            let (error, busy, after, id, version) =
                (error.clone(), busy.clone(), after.clone(), a.id, a.version);
            Callback::from(move |_| {
                if *busy {
                    return;
                }
                busy.set(true);
                let (error, busy, after) = (error.clone(), busy.clone(), after.clone());
                wasm_bindgen_futures::spawn_local(async move {
                    match services::act_version::<ApplicationView>(
                        &format!("/applications/{id}/submit"),
                        version,
                    )
                    .await
                    {
                        Ok(_) => error.set(None),
                        Err(e) => error.set(Some(e)),
                    }
                    after.emit(());
                    busy.set(false);
                });
            })
        }
    };
    view_load(&application, lang, &reload, |a| {
        // The service says what the caller may do now (the domain's `allowed_actions`).
        let may = |action: ApplicationAction| a.allowed_actions.contains(&action);
        html! {
            <section class="page">
                <h1>{ a.title.clone() }</h1>
                <p class="meta">{ format!("{} · {} · ", a.call_title, a.applicant.name) }
                    <span class={classes!("tag", a.status.as_str())}>{ crate::i18n::application_status(lang, a.status) }</span></p>
                <ErrorBanner error={(*error).clone()} list_fields=true />
                if let Some(r) = &a.return_reason { <p class="problem">{ format!("{}：{}", t(lang, "apps.returned"), r) }</p> }
                if let Some(r) = &a.decision_reason { <p class="meta">{ format!("{}：{}", t(lang, "apps.decision_reason"), r) }</p> }
                if let Some(n) = &a.endorsement_note { <p class="meta">{ format!("{}：{}", t(lang, "apps.endorsement_note"), n) }</p> }
                <dl class="facts">
                    <dt>{ t(lang, "apps.requested") }</dt><dd id="requested">{ format::money(a.requested_fen) }</dd>
                    if let Some(g) = a.granted_fen { <dt>{ t(lang, "apps.granted") }</dt><dd>{ format::money(g) }</dd> }
                    if let Some(p) = &a.pairing { <dt>{ t(lang, "letters.proof") }</dt><dd>{ p.proof_number.clone() }</dd> }
                    if let Some(s) = a.submitted_at { <dt>{ t(lang, "status.submitted") }</dt><dd>{ format::date_time(lang, s) }</dd> }
                    if let Some(avg) = a.review_average { <dt>{ t(lang, "apps.average") }</dt><dd>{ format!("{avg:.1}") }</dd> }
                </dl>
                <h2>{ t(lang, "apps.summary") }</h2><p class="description">{ a.summary.clone() }</p>
                <h2>{ t(lang, "apps.objectives") }</h2><p class="description">{ a.objectives.clone() }</p>
                if !a.budget.is_empty() {
                    <h2>{ t(lang, "apps.budget") }</h2>
                    <div class="table-wrap"><table>
                        <tbody>{ for a.budget.iter().map(|b| html! { <tr><td>{ b.item.clone() }</td><td>{ format::money(b.amount_fen) }</td><td>{ b.note.clone().unwrap_or_default() }</td></tr> }) }</tbody>
                        <tfoot><tr><th>{ t(lang, "rollup.total") }</th><th>{ format::money(a.budget.iter().map(|b| b.amount_fen).sum()) }</th><th></th></tr></tfoot>
                    </table></div>
                }
                <h2>{ t(lang, "apps.attachments") }</h2>
                if a.attachments.is_empty() { <Empty /> } else {
                    <ul class="plain attachments">{ for a.attachments.iter().map(|f| {
                        let path = format!("/applications/{}/attachments/{}", a.id, f.id);
                        let (name, error) = (f.file_name.clone(), error.clone());
                        let fetch = Callback::from(move |_| {
                            let (path, name, error) = (path.clone(), name.clone(), error.clone());
                            wasm_bindgen_futures::spawn_local(async move {
                                if let Err(e) = services::download(&path, &name).await {
                                    error.set(Some(e));
                                }
                            });
                        });
                        html! { <li><button type="button" class="link" onclick={fetch}>{ f.file_name.clone() }</button>
                            { format!(" · {} KB", (f.size + 1023) / 1024) }</li> }
                    }) }</ul>
                }
                if may(ApplicationAction::Attach) {
                    <div class="field">
                        <label for="f-file">{ t(lang, "apps.attach") }</label>
                        <input id="f-file" type="file" accept="application/pdf,image/jpeg,image/png" onchange={upload.clone()} />
                    </div>
                }
                if may(ApplicationAction::Update) || may(ApplicationAction::Submit) {
                    <div class="actions">
                        if may(ApplicationAction::Update) { <button type="button" onclick={let e = editing.clone(); move |_| e.set(!*e)}>{ t(lang, "apps.edit") }</button> }
                        if may(ApplicationAction::Submit) { <button type="button" class="primary" onclick={submit(a)} disabled={*busy}>{ t(lang, "submit") }</button> }
                    </div>
                    if *editing {
                        { match &call { crate::components::Load::Ready(c) => html! {
                            <Composer org={a.applicant.id} call={(**c).clone()} existing={Some((*a).clone())} /> }, _ => html! {} } }
                    }
                }
                if may(ApplicationAction::Endorse) || may(ApplicationAction::DeclineEndorsement) {
                    <Endorse id={a.id} done={after.clone()} />
                }
                if may(ApplicationAction::AssignReviewers) {
                    <AssignReviewers id={a.id} assigned={a.reviewers.clone().unwrap_or_default()} done={after.clone()} />
                }
                if may(ApplicationAction::SubmitSummary) || a.summary_text.is_some() {
                    <ProjectSummary id={a.id} text={a.summary_text.clone()} late={a.summary_late} editable={may(ApplicationAction::SubmitSummary)} done={after.clone()} />
                }
                if may(ApplicationAction::Review) {
                    { match &call { crate::components::Load::Ready(c) => html! {
                        <ReviewForm id={a.id} criteria={c.criteria.clone()} mine={a.reviews.as_ref().and_then(|r| r.first().cloned())} done={after.clone()} /> }, _ => html! {} } }
                }
                // Read before deciding: every review with its reviewer for the platform, the
                // applicant's anonymous ones after the decision; a reviewer's own is its form.
                if !may(ApplicationAction::Review) {
                    { reviews(lang, a.reviews.as_deref().unwrap_or_default()) }
                }
                if may(ApplicationAction::Decide) {
                    <Decide id={a.id} version={a.version} requested={a.requested_fen} done={after.clone()} />
                }
                <h2>{ t(lang, "apps.history") }</h2>
                { view_load(&history, lang, &reload_history, |h| html! {
                    <ol class="history">{ for h.items.iter().map(|e| html! {
                        <li>{ format!("{} · {} · {}", format::date_time(lang, e.at), label(lang, "event", e.action), e.actor_name) }
                            if let Some(n) = &e.note { { format!(" · {n}") } }</li>
                    }) }</ol>
                }) }
            </section>
        }
    })
}

#[derive(Properties, PartialEq)]
struct ActionProps {
    id: uuid::Uuid,
    done: Callback<()>,
}

/// The provincial association's endorsement (推荐), or its refusal with the reason.
#[component]
fn Endorse(props: &ActionProps) -> Html {
    let app = use_app();
    let lang = app.lang;
    let note = use_state(String::new);
    let error = use_state(|| None::<ApiError>);
    let busy = use_state(|| false);
    let send = |endorse: bool| {
        let (note, error, busy, done, id, toast) = (
            note.clone(),
            error.clone(),
            busy.clone(),
            props.done.clone(),
            props.id,
            app.toast.clone(),
        );
        Callback::from(move |_| {
            if *busy {
                return;
            }
            let text = note.trim().to_string();
            if !endorse {
                if let Err(r) = Reason::try_from(&DeclineEndorsementRequest {
                    reason: text.clone(),
                }) {
                    error.set(Some(super::refused(r)));
                    return;
                }
            }
            if !confirmed(t(
                lang,
                if endorse {
                    "apps.confirm_endorse"
                } else {
                    "apps.confirm_decline_endorsement"
                },
            )) {
                return;
            }
            busy.set(true);
            let (error, busy, done, toast) =
                (error.clone(), busy.clone(), done.clone(), toast.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let r = if endorse {
                    services::post::<_, ApplicationView>(
                        &format!("/applications/{id}/endorse"),
                        &EndorseRequest {
                            note: Some(text).filter(|n| !n.is_empty()),
                        },
                    )
                    .await
                } else {
                    services::post::<_, ApplicationView>(
                        &format!("/applications/{id}/decline-endorsement"),
                        &DeclineEndorsementRequest { reason: text },
                    )
                    .await
                };
                match r {
                    Ok(_) => {
                        toast.emit(if endorse {
                            "toast.endorsed"
                        } else {
                            "toast.endorsement_declined"
                        });
                        done.emit(());
                    }
                    Err(e) => error.set(Some(e)),
                }
                busy.set(false);
            });
        })
    };
    html! {
        <section class="panel" id="endorsement">
            <h2>{ t(lang, "apps.endorsement") }</h2>
            <ErrorBanner error={(*error).clone()} />
            <TextField name="reason" label={t(lang, "apps.endorsement_note")} value={(*note).clone()} multiline=true
                oninput={let n = note.clone(); Callback::from(move |v| n.set(v))} error={(*error).clone()} />
            <div class="actions">
                <button type="button" class="primary" onclick={send(true)} disabled={*busy}>{ t(lang, "apps.endorse") }</button>
                <button type="button" onclick={send(false)} disabled={*busy}>{ t(lang, "apps.decline_endorsement") }</button>
            </div>
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct AssignProps {
    id: uuid::Uuid,
    assigned: Vec<ReviewerView>,
    done: Callback<()>,
}

/// The platform assigns reviewers found in the directory of people (评审专家库): searched
/// by name or login, each shown with their open reviews, chosen as removable names. The
/// applicant's own admins are refused by the service.
#[component]
fn AssignReviewers(props: &AssignProps) -> Html {
    let app = use_app();
    let lang = app.lang;
    let query = use_state(String::new);
    let found = use_state(|| None::<Vec<AccountSummary>>);
    let chosen = use_state(Vec::<AccountSummary>::new);
    let error = use_state(|| None::<ApiError>);
    let busy = use_state(|| false);
    let search = {
        let (query, found, error) = (query.clone(), found.clone(), error.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let q = query.trim().to_string();
            if q.chars().count() < 2 {
                error.set(Some(field_error("q", "search_too_short")));
                return;
            }
            let (found, error) = (found.clone(), error.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match services::get::<AccountPage>(&format!(
                    "/accounts?q={}&limit=20",
                    services::enc(&q)
                ))
                .await
                {
                    Ok(p) => {
                        error.set(None);
                        found.set(Some(p.items));
                    }
                    Err(e) => error.set(Some(e)),
                }
            });
        })
    };
    let assign = {
        let found = found.clone();
        let (chosen, error, busy, done, id, toast) = (
            chosen.clone(),
            error.clone(),
            busy.clone(),
            props.done.clone(),
            props.id,
            app.toast.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            if *busy {
                return;
            }
            if chosen.is_empty() {
                error.set(Some(field_error("reviewer_ids", "nothing_selected")));
                return;
            }
            let reviewer_ids = chosen.iter().map(|a| a.id).collect();
            busy.set(true);
            let (chosen, found, error, busy, done, toast) = (
                chosen.clone(),
                found.clone(),
                error.clone(),
                busy.clone(),
                done.clone(),
                toast.clone(),
            );
            wasm_bindgen_futures::spawn_local(async move {
                match services::post::<_, ApplicationView>(
                    &format!("/applications/{id}/reviewers"),
                    &AssignReviewersRequest { reviewer_ids },
                )
                .await
                {
                    Ok(_) => {
                        chosen.set(vec![]);
                        found.set(None);
                        toast.emit("toast.reviewers_assigned");
                        done.emit(());
                    }
                    Err(e) => error.set(Some(e)),
                }
                busy.set(false);
            });
        })
    };
    let assigned: Vec<uuid::Uuid> = props.assigned.iter().map(|r| r.reviewer_id).collect();
    let set = |list: Vec<AccountSummary>| {
        let chosen = chosen.clone();
        Callback::from(move |_: MouseEvent| chosen.set(list.clone()))
    };
    html! {
        <section class="panel" id="reviewers">
            <h2>{ t(lang, "apps.reviewers") }</h2>
            if props.assigned.is_empty() { <Empty /> } else {
                <ul class="plain">{ for props.assigned.iter().map(|r| html! {
                    <li>{ format!("{} · {}", r.name, t(lang, if r.reviewed { "apps.reviewed" } else { "apps.not_reviewed" })) }</li>
                }) }</ul>
            }
            <ErrorBanner error={(*error).clone()} list_fields=true />
            <form class="form inline" role="search" onsubmit={search}>
                <label for="f-reviewer-search">{ t(lang, "apps.find_reviewer") }</label>
                <input id="f-reviewer-search" type="search" value={(*query).clone()}
                    oninput={let q = query.clone(); Callback::from(move |e: InputEvent| q.set(crate::components::input_value(&e)))} />
                <button type="submit">{ t(lang, "search") }</button>
            </form>
            if let Some(list) = &*found {
                if list.is_empty() {
                    <p class="meta">{ t(lang, "apps.no_reviewer_matches") }</p>
                } else {
                    <ul class="plain picks">{ for list.iter().map(|a| {
                        let taken = assigned.contains(&a.id) || chosen.iter().any(|c| c.id == a.id);
                        let mut more = (*chosen).clone();
                        more.push(a.clone());
                        html! { <li>
                            <button type="button" disabled={taken} onclick={set(more)}>
                                { format!("{} {}", t(lang, "activity.add_leader"), a.display_name) }</button>
                            <span class="meta">{ format!(" {} · {} {}", a.login_masked, t(lang, "apps.reviews_open"), a.reviews_open) }</span>
                        </li> }
                    }) }</ul>
                }
            }
            if !chosen.is_empty() {
                <ul class="chips">{ for chosen.iter().map(|a| {
                    let rest: Vec<_> = chosen.iter().filter(|c| c.id != a.id).cloned().collect();
                    html! { <li>{ a.display_name.clone() }
                        <button type="button" class="link" aria-label={format!("{} {}", t(lang, "activity.remove_leader"), a.display_name)} onclick={set(rest)}>{ "×" }</button></li> }
                }) }</ul>
            }
            <button type="button" class="primary" disabled={*busy} onclick={assign}>{ t(lang, "apps.assign") }</button>
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct SummaryProps {
    id: uuid::Uuid,
    text: Option<String>,
    late: Option<bool>,
    editable: bool,
    done: Callback<()>,
}

/// The approved project's summary report (结项总结), filed by the applicant.
#[component]
fn ProjectSummary(props: &SummaryProps) -> Html {
    let app = use_app();
    let lang = app.lang;
    let text = use_state(|| props.text.clone().unwrap_or_default());
    let error = use_state(|| None::<ApiError>);
    let busy = use_state(|| false);
    let file = {
        let (text, error, busy, done, id) = (
            text.clone(),
            error.clone(),
            busy.clone(),
            props.done.clone(),
            props.id,
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *busy {
                return;
            }
            let body = ProjectSummaryRequest {
                text: text.trim().to_string(),
            };
            if let Err(r) = Reason::try_from(&body) {
                error.set(Some(super::refused(r)));
                return;
            }
            busy.set(true);
            let (error, busy, done) = (error.clone(), busy.clone(), done.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match services::post::<_, ApplicationView>(
                    &format!("/applications/{id}/summary"),
                    &body,
                )
                .await
                {
                    Ok(_) => done.emit(()),
                    Err(e) => error.set(Some(e)),
                }
                busy.set(false);
            });
        })
    };
    html! {
        <section class="panel" id="project-summary">
            <h2>{ t(lang, "apps.project_summary") }</h2>
            if props.late == Some(true) { <p class="problem">{ t(lang, "apps.summary_late") }</p> }
            if props.editable {
                <form class="form" onsubmit={file}>
                    <ErrorBanner error={(*error).clone()} />
                    <TextField name="text" label={t(lang, "apps.project_summary")} value={(*text).clone()} multiline=true required=true
                        oninput={let t = text.clone(); Callback::from(move |v| t.set(v))} error={(*error).clone()} />
                    <button type="submit" class="primary" disabled={*busy}>{ t(lang, "submit") }</button>
                </form>
            } else {
                <p class="description">{ props.text.clone().unwrap_or_default() }</p>
            }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct ReviewProps {
    id: uuid::Uuid,
    criteria: Vec<Criterion>,
    mine: Option<ReviewView>,
    done: Callback<()>,
}

/// The reviewer's scoring form: one score (0-100) per criterion of the call, and a comment.
#[component]
fn ReviewForm(props: &ReviewProps) -> Html {
    let app = use_app();
    let lang = app.lang;
    let scores = use_state(|| {
        props
            .criteria
            .iter()
            .map(|c| {
                props
                    .mine
                    .as_ref()
                    .and_then(|m| m.scores.iter().find(|s| s.criterion == c.name))
                    .map(|s| s.score.to_string())
                    .unwrap_or_default()
            })
            .collect::<Vec<_>>()
    });
    let comment = use_state(|| {
        props
            .mine
            .as_ref()
            .map(|m| m.comment.clone())
            .unwrap_or_default()
    });
    let error = use_state(|| None::<ApiError>);
    let busy = use_state(|| false);
    let saved = use_state(|| None::<f64>);
    let onsubmit = {
        let busy_in = busy.clone();
        let (scores, comment, error, saved, done) = (
            scores.clone(),
            comment.clone(),
            error.clone(),
            saved.clone(),
            props.done.clone(),
        );
        let (id, criteria) = (props.id, props.criteria.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *busy_in {
                return;
            }
            let mut list = vec![];
            for (i, c) in criteria.iter().enumerate() {
                match scores
                    .get(i)
                    .and_then(|s| s.trim().parse::<u32>().ok())
                    .filter(|s| *s <= 100)
                {
                    Some(score) => list.push(Score {
                        criterion: c.name.clone(),
                        score,
                    }),
                    None => {
                        error.set(Some(field_error(&format!("scores[{i}]"), "range")));
                        return;
                    }
                }
            }
            let body = SubmitReviewRequest {
                scores: list,
                comment: comment.trim().to_string(),
            };
            // The service's own check: each criterion of the call scored once.
            if let Err(r) = ReviewScores::try_from((&body, criteria.as_slice())) {
                error.set(Some(super::refused(r)));
                return;
            }
            busy_in.set(true);
            let busy_done = busy_in.clone();
            let (error, saved, done) = (error.clone(), saved.clone(), done.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match services::put::<_, ReviewView>(
                    &format!("/applications/{id}/reviews/mine"),
                    &body,
                )
                .await
                {
                    Ok(r) => {
                        error.set(None);
                        saved.set(Some(r.weighted_score));
                        done.emit(());
                    }
                    Err(e) => error.set(Some(e)),
                }
                busy_done.set(false);
            });
        })
    };
    let err = (*error).clone();
    html! {
        <form class="compose" {onsubmit} novalidate=true>
            <h2>{ t(lang, "apps.review") }</h2>
            <ErrorBanner error={err.clone()} />
            if let Some(s) = *saved { <p class="success" role="status">{ format!("{} {s:.1}", t(lang, "apps.weighted")) }</p> }
            { for props.criteria.iter().enumerate().map(|(i, c)| {
                let scores = scores.clone();
                html! { <TextField name={format!("scores[{i}]")} label={format!("{}（{}）", c.name, c.weight)} input_type="number" inputmode="numeric"
                    value={scores.get(i).cloned().unwrap_or_default()} required=true error={err.clone()}
                    oninput={Callback::from(move |v: String| { let mut n = (*scores).clone(); if let Some(s) = n.get_mut(i) { *s = v; } scores.set(n); })} /> }
            }) }
            <TextField name="comment" label={t(lang, "apps.comment")} multiline=true value={(*comment).clone()}
                oninput={let c = comment.clone(); Callback::from(move |v| c.set(v))} error={err.clone()} />
            <button type="submit" class="primary" disabled={*busy}>{ t(lang, "submit") }</button>
        </form>
    }
}

#[derive(Properties, PartialEq)]
struct DecideProps {
    id: uuid::Uuid,
    version: i32,
    requested: i64,
    done: Callback<()>,
}

/// The platform's decision: approve with the amount granted, reject, or return for revision.
#[component]
fn Decide(props: &DecideProps) -> Html {
    let app = use_app();
    let lang = app.lang;
    let decision = use_state(|| "approve".to_string());
    let granted = use_state(|| format!("{}.{:02}", props.requested / 100, props.requested % 100));
    let reason = use_state(String::new);
    let error = use_state(|| None::<ApiError>);
    let busy = use_state(|| false);
    let onsubmit = {
        let busy_in = busy.clone();
        let (decision, granted, reason, error, done) = (
            decision.clone(),
            granted.clone(),
            reason.clone(),
            error.clone(),
            props.done.clone(),
        );
        let (id, version, requested) = (props.id, props.version, props.requested);
        let toast = app.toast.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *busy_in {
                return;
            }
            let approve = *decision == Decision::Approve.as_str();
            let granted_fen = if approve {
                match format::parse_yuan(&granted) {
                    Some(f) => Some(f),
                    None => {
                        error.set(Some(field_error("granted_fen", "amount")));
                        return;
                    }
                }
            } else {
                None
            };
            let body = DecisionRequest {
                decision: (*decision).clone(),
                granted_fen,
                reason: (!reason.trim().is_empty()).then(|| reason.trim().to_string()),
                revision_deadline: None,
            };
            // The service's own check against the amount requested.
            if let Err(r) = Verdict::try_from((&body, requested, format::now())) {
                error.set(Some(super::refused(r)));
                return;
            }
            if !confirmed(t(lang, "apps.confirm_decision")) {
                return;
            }
            busy_in.set(true);
            let busy_done = busy_in.clone();
            let (error, done, toast) = (error.clone(), done.clone(), toast.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match services::post_version::<_, ApplicationView>(
                    &format!("/applications/{id}/decision"),
                    &body,
                    version,
                )
                .await
                {
                    Ok(_) => {
                        error.set(None);
                        toast.emit("toast.decided");
                        done.emit(());
                    }
                    Err(e) => error.set(Some(e)),
                }
                busy_done.set(false);
            });
        })
    };
    let err = (*error).clone();
    let options: Vec<(String, String)> = ["approve", "reject", "return"]
        .iter()
        .map(|d| (d.to_string(), label(lang, "decision", d)))
        .collect();
    html! {
        <form class="compose" {onsubmit} novalidate=true>
            <h2>{ t(lang, "apps.decide") }</h2>
            <ErrorBanner error={err.clone()} />
            <SelectField name="decision" label={t(lang, "apps.decide")} value={(*decision).clone()} {options}
                onchange={let d = decision.clone(); Callback::from(move |v| d.set(v))} error={err.clone()} />
            if *decision == Decision::Approve.as_str() {
                <TextField name="granted_fen" label={t(lang, "apps.granted")} value={(*granted).clone()} inputmode="decimal"
                    oninput={let g = granted.clone(); Callback::from(move |v| g.set(v))} error={err.clone()} />
            } else {
                <TextField name="reason" label={t(lang, "apps.decision_reason")} multiline=true value={(*reason).clone()} required=true
                    oninput={let r = reason.clone(); Callback::from(move |v| r.set(v))} error={err.clone()} />
            }
            <button type="submit" class="primary" disabled={*busy}>{ t(lang, "submit") }</button>
        </form>
    }
}

#[derive(Clone, PartialEq)]
struct CallForm {
    programme: String,
    sub_project: String,
    year: String,
    opens_at: String,
    closes_at: String,
    eligible: Vec<String>,
    form_variant: String,
    cap: String,
    pairing_required: bool,
    endorsement_required: bool,
    summary_due: String,
    criteria: String,
}

/// The platform admin publishes a call (申报指南); criteria as `name:weight` lines.
#[component]
pub fn CallComposer() -> Html {
    let app = use_app();
    let lang = app.lang;
    let now = format::now();
    let form = use_state(|| CallForm {
        programme: "智惠行动".into(),
        sub_project: String::new(),
        year: format::month_of(now, 0)[..4].to_string(),
        opens_at: format::to_local_input(now),
        closes_at: format::to_local_input(now + chrono::Duration::days(30)),
        eligible: vec!["national_society".into(), "provincial_society".into()],
        form_variant: "society".into(),
        cap: "200000".into(),
        pairing_required: false,
        endorsement_required: false,
        // Eight months after the call closes: a default that is valid in every month (a
        // year-end default fell before the closing date in December).
        summary_due: format::to_local_input(now + chrono::Duration::days(30 + 240))[..10]
            .to_string(),
        criteria: "项目意义:30\n实施方案:40\n预算合理性:30".into(),
    });
    let error = use_state(|| None::<ApiError>);
    let busy = use_state(|| false);
    let created = use_state(|| None::<CallView>);
    let set = |f: fn(&mut CallForm, String)| {
        let form = form.clone();
        Callback::from(move |v: String| {
            let mut n = (*form).clone();
            f(&mut n, v);
            form.set(n);
        })
    };
    let onsubmit = {
        let busy_in = busy.clone();
        let (form, error, created) = (form.clone(), error.clone(), created.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *busy_in {
                return;
            }
            let f = (*form).clone();
            let (Some(opens_at), Some(closes_at)) = (
                format::from_local_input(&f.opens_at),
                format::from_local_input(&f.closes_at),
            ) else {
                error.set(Some(field_error("closes_at", "required")));
                return;
            };
            let Some(cap_fen) = format::parse_yuan(&f.cap) else {
                error.set(Some(field_error("cap_fen", "amount")));
                return;
            };
            let Some(summary_due) = format::parse_date(&f.summary_due) else {
                error.set(Some(field_error("summary_due", "required")));
                return;
            };
            let criteria: Vec<Criterion> = f
                .criteria
                .lines()
                .filter_map(|l| {
                    let (name, weight) = l.rsplit_once([':', '：'])?;
                    Some(Criterion {
                        name: name.trim().into(),
                        weight: weight.trim().parse().ok()?,
                    })
                })
                .collect();
            let body = CreateCallRequest {
                programme: f.programme.trim().into(),
                sub_project: f.sub_project.trim().into(),
                year: f.year.trim().parse().unwrap_or(0),
                opens_at,
                closes_at,
                eligible_categories: f.eligible.clone(),
                form_variant: f.form_variant.clone(),
                cap_fen,
                pairing_required: f.pairing_required,
                endorsement_required: f.endorsement_required,
                province_quota: None,
                summary_due,
                criteria,
            };
            // The service's own check of the terms (window, categories, criteria, due date).
            if let Err(r) = CallTerms::try_from(&body) {
                error.set(Some(super::refused(r)));
                return;
            }
            busy_in.set(true);
            let busy_done = busy_in.clone();
            let (error, created) = (error.clone(), created.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match services::post::<_, CallView>("/calls", &body).await {
                    Ok(c) => {
                        error.set(None);
                        created.set(Some(c));
                    }
                    Err(e) => error.set(Some(e)),
                }
                busy_done.set(false);
            });
        })
    };
    let f = (*form).clone();
    let err = (*error).clone();
    let variants: Vec<(String, String)> = zhihui_domain::FormVariant::ALL
        .iter()
        .map(|v| (v.to_string(), label(lang, "variant", v)))
        .collect();
    html! {
        <form class="compose" {onsubmit} novalidate=true>
            <h2>{ t(lang, "apps.new_call") }</h2>
            <ErrorBanner error={err.clone()} />
            if let Some(c) = &*created { <p class="success" role="status">{ format!("{} · {}", t(lang, "done"), call_title(c)) }</p> }
            <TextField name="programme" label={t(lang, "apps.programme")} value={f.programme.clone()} required=true oninput={set(|f, v| f.programme = v)} error={err.clone()} />
            <TextField name="sub_project" label={t(lang, "apps.sub_project")} value={f.sub_project.clone()} required=true kind={Kind::Required} oninput={set(|f, v| f.sub_project = v)} error={err.clone()} />
            <TextField name="year" label={t(lang, "apps.year")} value={f.year.clone()} input_type="number" required=true oninput={set(|f, v| f.year = v)} error={err.clone()} />
            <TextField name="opens_at" label={t(lang, "apps.opens")} value={f.opens_at.clone()} input_type="datetime-local" required=true oninput={set(|f, v| f.opens_at = v)} error={err.clone()} />
            <TextField name="closes_at" label={t(lang, "apps.closes")} value={f.closes_at.clone()} input_type="datetime-local" required=true oninput={set(|f, v| f.closes_at = v)} error={err.clone()} />
            <fieldset class="checks"><legend>{ t(lang, "apps.eligible") }</legend>
                { for zhihui_domain::OrganizationCategory::ALL.iter().map(|c| {
                    let (form, code) = (form.clone(), c.to_string());
                    let on = f.eligible.contains(&code);
                    html! { <label class="check"><input type="checkbox" checked={on} onchange={Callback::from(move |e: Event| {
                        let mut n = (*form).clone(); n.eligible.retain(|x| *x != code); if checked(&e) { n.eligible.push(code.clone()); } form.set(n);
                    })} />{ label(lang, "org_category", c) }</label> }
                }) }
            </fieldset>
            <SelectField name="form_variant" label={t(lang, "apps.variant")} value={f.form_variant.clone()} options={variants} onchange={set(|f, v| f.form_variant = v)} error={err.clone()} />
            <TextField name="cap_fen" label={t(lang, "apps.cap")} value={f.cap.clone()} inputmode="decimal" required=true oninput={set(|f, v| f.cap = v)} error={err.clone()} />
            <label class="check"><input type="checkbox" checked={f.pairing_required}
                onchange={let form = form.clone(); Callback::from(move |e: Event| { let mut n = (*form).clone(); n.pairing_required = checked(&e); form.set(n); })} />{ t(lang, "apps.pairing_required") }</label>
            <label class="check"><input type="checkbox" checked={f.endorsement_required}
                onchange={let form = form.clone(); Callback::from(move |e: Event| { let mut n = (*form).clone(); n.endorsement_required = checked(&e); form.set(n); })} />{ t(lang, "apps.endorsement_required") }</label>
            <TextField name="summary_due" label={t(lang, "apps.summary_due")} value={f.summary_due.clone()} input_type="date" required=true oninput={set(|f, v| f.summary_due = v)} error={err.clone()} />
            <TextField name="criteria" label={t(lang, "apps.criteria")} value={f.criteria.clone()} multiline=true required=true oninput={set(|f, v| f.criteria = v)} error={err.clone()} />
            <button type="submit" class="primary" disabled={*busy}>{ t(lang, "submit") }</button>
        </form>
    }
}

/// The platform's calls, each with its deadlines changed in place (a call is often extended
/// for a province that could not stamp its forms in time).
#[component]
pub fn CallDeadlines() -> Html {
    let app = use_app();
    let lang = app.lang;
    let (calls, retry, more_calls) = use_pages::<CallPage>(Some("/calls?limit=200".to_string()));
    html! {
        <>
            <h2>{ t(lang, "calls.title") }</h2>
            { view_load(&calls, lang, &retry, |p| if p.items.is_empty() { html! { <Empty /> } } else { html! {
                <ul class="cards">{ for p.items.iter().map(|c| html! { <CallDeadline call={c.clone()} done={retry.clone()} /> }) }</ul>
            } }) }
            { more_button(lang, &calls, &more_calls) }
        </>
    }
}

#[derive(Properties, PartialEq)]
struct CallDeadlineProps {
    call: CallView,
    done: Callback<()>,
}

#[component]
fn CallDeadline(props: &CallDeadlineProps) -> Html {
    let app = use_app();
    let lang = app.lang;
    let c = &props.call;
    let closes = use_state(|| format::to_local_input(c.closes_at));
    let due = use_state(|| c.summary_due.to_string());
    let error = use_state(|| None::<ApiError>);
    let busy = use_state(|| false);
    let save = {
        let (closes, due, error, busy, done, id) = (
            closes.clone(),
            due.clone(),
            error.clone(),
            busy.clone(),
            props.done.clone(),
            c.id,
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *busy {
                return;
            }
            let Some(closes_at) = format::from_local_input(&closes) else {
                error.set(Some(field_error("closes_at", "invalid_date")));
                return;
            };
            let Ok(summary_due) = due.parse::<NaiveDate>() else {
                error.set(Some(field_error("summary_due", "invalid_date")));
                return;
            };
            busy.set(true);
            let body = UpdateCallRequest {
                closes_at: Some(closes_at),
                summary_due: Some(summary_due),
                ..Default::default()
            };
            let (error, busy, done) = (error.clone(), busy.clone(), done.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match services::put::<_, CallView>(&format!("/calls/{id}"), &body).await {
                    Ok(_) => {
                        error.set(None);
                        done.emit(());
                    }
                    Err(e) => error.set(Some(e)),
                }
                busy.set(false);
            });
        })
    };
    html! {
        <li class="card">
            <h3>{ call_title(c) }</h3>
            <p class="meta">{ label(lang, "call_state", c.state) }</p>
            <form class="inline" onsubmit={save}>
                <ErrorBanner error={(*error).clone()} list_fields=true />
                <label for={format!("f-closes-{}", c.id)}>{ t(lang, "calls.closes_at") }</label>
                <input id={format!("f-closes-{}", c.id)} type="datetime-local" value={(*closes).clone()}
                    oninput={let v = closes.clone(); Callback::from(move |e: InputEvent| v.set(input_value(&e)))} />
                <label for={format!("f-due-{}", c.id)}>{ t(lang, "calls.summary_due") }</label>
                <input id={format!("f-due-{}", c.id)} type="date" value={(*due).clone()}
                    oninput={let v = due.clone(); Callback::from(move |e: InputEvent| v.set(input_value(&e)))} />
                <button type="submit" disabled={*busy}>{ t(lang, "save") }</button>
            </form>
        </li>
    }
}

/// The reviews of an application: who (or which expert, anonymously), the weighted score,
/// each criterion's score and the comment.
fn reviews(lang: Lang, list: &[ReviewView]) -> Html {
    if list.is_empty() {
        return html! {};
    }
    html! {
        <section id="reviews">
            <h2>{ t(lang, "apps.reviews") }</h2>
            <ul class="cards">{ for list.iter().map(|r| html! {
                <li class="card review">
                    <h3>{ r.reviewer_name.clone().unwrap_or_else(|| r.label.clone()) }
                        { format!(" · {} {:.1}", t(lang, "apps.weighted"), r.weighted_score) }</h3>
                    <p class="meta">{ r.scores.iter().map(|s| format!("{} {}", s.criterion, s.score)).collect::<Vec<_>>().join(" · ") }
                        { format!(" · {}", format::date_time(lang, r.updated_at)) }</p>
                    if !r.comment.is_empty() { <p>{ r.comment.clone() }</p> }
                </li>
            }) }</ul>
        </section>
    }
}
