//! Collection campaigns (征集): the campaigns an organisation opened or is asked to answer,
//! opening one (with its own fields), and one campaign: for its owner the progress table,
//! the months planned against held, accepting entries, reminding, exporting and closing; for
//! an addressed organisation its entries (added, changed, withdrawn) and marking them
//! complete.

use std::collections::BTreeMap;

use yew::prelude::*;
use yew_router::prelude::*;
use zhihui_contract::campaigns::{
    AcceptCampaignEntryRequest, CampaignDraft, CampaignEntryPage, CampaignEntryView, CampaignPage,
    CampaignProgressView, CampaignReminderView, CampaignView, CreateCampaignEntryRequest,
    CreateCampaignRequest, CustomFieldSpec, EntryDraft, ReopenSubmissionRequest, SubmissionView,
    UpdateCampaignEntryRequest, UpdateCampaignRequest,
};
use zhihui_domain::campaign::CustomField;
use zhihui_domain::{
    ActivityCategory, CampaignAction, CustomFieldKind, EntryAction, OrganizationCategory,
    OrganizationLevel, SubmissionAction,
};

use super::{keep, local_error, my_orgs, options, refused, use_saving};
use crate::app::Route;
use crate::components::{
    confirmed, more_button, use_app, use_get, use_pages, view_load, Empty, ErrorBanner,
    SelectField, TextField,
};
use crate::format;
use crate::i18n::{fill, label, t, Lang};
use crate::services::{self, ApiError};
use crate::validate::Kind;

fn campaign_card(lang: Lang, c: &CampaignView) -> Html {
    html! {
        <li class="card campaign">
            <h3><Link<Route> to={Route::Campaign { id: c.id.to_string() }}>{ c.title.clone() }</Link<Route>></h3>
            <p class="meta">
                <span class="tag">{ label(lang, "campaign_status", c.status) }</span>
                { format!(" · {} · {} {}", c.owner.name, t(lang, "campaigns.deadline"), format::date(lang, c.deadline)) }
                if c.addressed > 0 { { format!(" · {} {}/{}", t(lang, "campaigns.completed"), c.completed, c.addressed) } }
            </p>
            { for c.my_submissions.iter().map(|s| html! {
                <p class="meta">{ format!("{}：", s.organization.name) }
                    <span class="tag">{ label(lang, "submission_state", s.state) }</span>
                    { format!(" {}/{}", s.entries, s.min_entries) }</p>
            }) }
        </li>
    }
}

/// The campaigns the caller opened or is asked to answer.
#[component]
pub fn Campaigns() -> Html {
    let app = use_app();
    let lang = app.lang;
    let adding = use_state(|| false);
    let (page, retry, more) = use_pages::<CampaignPage>(Some("/campaigns?limit=50".into()));
    html! {
        <section class="page campaigns">
            <h1>{ t(lang, "campaigns.title") }</h1>
            <p class="meta">{ t(lang, "campaigns.intro") }</p>
            if !my_orgs(&app).is_empty() {
                if *adding {
                    <CampaignForm />
                } else {
                    <button type="button" class="primary" onclick={let a = adding.clone(); move |_| a.set(true)}>{ t(lang, "campaigns.new") }</button>
                }
            }
            { view_load(&page, lang, &retry, |p| if p.items.is_empty() { html! { <Empty /> } } else {
                html! { <ul class="cards">{ for p.items.iter().map(|c| campaign_card(lang, c)) }</ul> } }) }
            { more_button(lang, &page, &more) }
        </section>
    }
}

/// A field of the campaign's own, as the form edits it.
#[derive(Clone, PartialEq, Default)]
struct FieldRow {
    key: String,
    label: String,
    kind: String,
    required: bool,
    /// Choices separated by commas or 、.
    choices: String,
}

#[derive(Clone, PartialEq)]
struct CampaignFields {
    owner: String,
    title: String,
    purpose: String,
    year: String,
    categories: Vec<OrganizationCategory>,
    levels: Vec<OrganizationLevel>,
    min_entries: String,
    deadline: String,
    fields: Vec<FieldRow>,
}

fn choices_of(s: &str) -> Vec<String> {
    s.split([',', '，', '、'])
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(str::to_string)
        .collect()
}

/// Opening a campaign as a draft for an organisation the caller administers.
#[component]
fn CampaignForm() -> Html {
    let app = use_app();
    let lang = app.lang;
    let nav = use_navigator();
    let orgs = my_orgs(&app);
    let today = zhihui_domain::report::china_date(format::now());
    let form = use_state(|| CampaignFields {
        owner: orgs.first().map(|o| o.0.clone()).unwrap_or_default(),
        title: String::new(),
        purpose: String::new(),
        year: chrono::Datelike::year(&today).to_string(),
        categories: vec![],
        levels: vec![],
        min_entries: "3".into(),
        deadline: String::new(),
        fields: vec![],
    });
    let error = use_state(|| None::<ApiError>);
    let busy = use_state(|| false);
    let set = |f: fn(&mut CampaignFields, String)| {
        let form = form.clone();
        Callback::from(move |v: String| {
            let mut n = (*form).clone();
            f(&mut n, v);
            form.set(n);
        })
    };
    let set_row = |i: usize, f: fn(&mut FieldRow, String)| {
        let form = form.clone();
        Callback::from(move |v: String| {
            let mut n = (*form).clone();
            if let Some(r) = n.fields.get_mut(i) {
                f(r, v);
            }
            form.set(n);
        })
    };
    let submit = {
        let (form, error, busy, toast) =
            (form.clone(), error.clone(), busy.clone(), app.toast.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *busy {
                return;
            }
            let f = (*form).clone();
            let Ok(owner_id) = f.owner.parse() else {
                error.set(Some(local_error("choose_organization")));
                return;
            };
            let Some(deadline) = format::parse_date(&f.deadline) else {
                error.set(Some(local_error("choose_deadline")));
                return;
            };
            let body = CreateCampaignRequest {
                owner_id,
                title: f.title.trim().into(),
                purpose: f.purpose.trim().into(),
                year: f.year.trim().parse().unwrap_or(0),
                addressed_categories: f.categories.iter().map(|c| c.as_str().into()).collect(),
                addressed_levels: f.levels.iter().map(|c| c.as_str().into()).collect(),
                min_entries: f.min_entries.trim().parse().unwrap_or(0),
                custom_fields: f
                    .fields
                    .iter()
                    .map(|r| CustomFieldSpec {
                        key: r.key.trim().into(),
                        label: r.label.trim().into(),
                        kind: r.kind.clone(),
                        required: r.required,
                        choices: if r.kind == CustomFieldKind::Choice.as_str() {
                            choices_of(&r.choices)
                        } else {
                            vec![]
                        },
                    })
                    .collect(),
                deadline,
            };
            let today = zhihui_domain::report::china_date(format::now());
            if let Err(r) = CampaignDraft::try_from((&body, today)) {
                error.set(Some(refused(r)));
                return;
            }
            busy.set(true);
            let (error, busy, nav, toast) =
                (error.clone(), busy.clone(), nav.clone(), toast.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match services::post::<_, CampaignView>("/campaigns", &body).await {
                    Ok(c) => {
                        toast.emit("toast.campaign_saved");
                        if let Some(nav) = nav {
                            nav.push(&Route::Campaign {
                                id: c.id.to_string(),
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
    let toggle_category = |c: OrganizationCategory| {
        let form = form.clone();
        Callback::from(move |_| {
            let mut n = (*form).clone();
            match n.categories.iter().position(|x| *x == c) {
                Some(i) => {
                    n.categories.remove(i);
                }
                None => n.categories.push(c),
            }
            form.set(n);
        })
    };
    let toggle_level = |l: OrganizationLevel| {
        let form = form.clone();
        Callback::from(move |_| {
            let mut n = (*form).clone();
            match n.levels.iter().position(|x| *x == l) {
                Some(i) => {
                    n.levels.remove(i);
                }
                None => n.levels.push(l),
            }
            form.set(n);
        })
    };
    let add_field = {
        let form = form.clone();
        Callback::from(move |_| {
            let mut n = (*form).clone();
            let i = n.fields.len() + 1;
            n.fields.push(FieldRow {
                key: format!("field{i}"),
                kind: CustomFieldKind::Text.as_str().into(),
                ..Default::default()
            });
            form.set(n);
        })
    };
    html! {
        <form class="compose campaign-form" novalidate=true onsubmit={submit}>
            <h2>{ t(lang, "campaigns.new") }</h2>
            <ErrorBanner error={err.clone()} />
            <SelectField name="owner_id" label={t(lang, "campaigns.owner")} value={f.owner.clone()} options={orgs.clone()}
                onchange={set(|f, v| f.owner = v)} error={err.clone()} />
            <TextField name="title" label={t(lang, "campaigns.campaign_title")} value={f.title.clone()} required=true kind={Kind::Required} oninput={set(|f, v| f.title = v)} error={err.clone()} />
            <TextField name="purpose" label={t(lang, "campaigns.purpose")} value={f.purpose.clone()} multiline=true oninput={set(|f, v| f.purpose = v)} error={err.clone()} />
            <TextField name="year" label={t(lang, "campaigns.year")} value={f.year.clone()} required=true input_type="number" inputmode="numeric" oninput={set(|f, v| f.year = v)} error={err.clone()} />
            <fieldset class="field">
                <legend>{ t(lang, "campaigns.categories") }<span class="hint">{ t(lang, "campaigns.none_is_all") }</span></legend>
                <div class="checks">{ for OrganizationCategory::ALL.iter().map(|c| html! {
                    <label class="check"><input type="checkbox" name="addressed_categories" value={c.as_str()} checked={f.categories.contains(c)} onchange={toggle_category(*c)} />
                        { label(lang, "org_category", c.as_str()) }</label>
                }) }</div>
            </fieldset>
            <fieldset class="field">
                <legend>{ t(lang, "campaigns.levels") }<span class="hint">{ t(lang, "campaigns.none_is_all") }</span></legend>
                <div class="checks">{ for OrganizationLevel::ALL.iter().map(|l| html! {
                    <label class="check"><input type="checkbox" name="addressed_levels" value={l.as_str()} checked={f.levels.contains(l)} onchange={toggle_level(*l)} />
                        { label(lang, "level", l.as_str()) }</label>
                }) }</div>
            </fieldset>
            <TextField name="min_entries" label={t(lang, "campaigns.min_entries")} value={f.min_entries.clone()} required=true input_type="number" inputmode="numeric" oninput={set(|f, v| f.min_entries = v)} error={err.clone()} />
            <TextField name="deadline" label={t(lang, "campaigns.deadline")} value={f.deadline.clone()} required=true input_type="date" oninput={set(|f, v| f.deadline = v)} error={err.clone()} />
            <fieldset class="field custom-fields">
                <legend>{ t(lang, "campaigns.custom_fields") }<span class="hint">{ t(lang, "campaigns.fixed_fields") }</span></legend>
                { for f.fields.iter().enumerate().map(|(i, r)| {
                    let required = {
                        let form = form.clone();
                        Callback::from(move |_| {
                            let mut n = (*form).clone();
                            if let Some(r) = n.fields.get_mut(i) { r.required = !r.required; }
                            form.set(n);
                        })
                    };
                    let remove = {
                        let form = form.clone();
                        Callback::from(move |_| {
                            let mut n = (*form).clone();
                            n.fields.remove(i);
                            form.set(n);
                        })
                    };
                    html! {
                        <div class="field-row">
                            <TextField name={format!("custom_fields[{i}].label")} label={t(lang, "campaigns.field_label")} value={r.label.clone()} required=true oninput={set_row(i, |r, v| r.label = v)} error={err.clone()} />
                            <TextField name={format!("custom_fields[{i}].key")} label={t(lang, "campaigns.field_key")} value={r.key.clone()} required=true oninput={set_row(i, |r, v| r.key = v)} error={err.clone()} />
                            <SelectField name={format!("custom_fields[{i}].kind")} label={t(lang, "campaigns.field_kind")} value={r.kind.clone()}
                                options={options::<CustomFieldKind>(lang, "field_kind")} onchange={set_row(i, |r, v| r.kind = v)} error={err.clone()} />
                            if r.kind == CustomFieldKind::Choice.as_str() {
                                <TextField name={format!("custom_fields[{i}].choices")} label={t(lang, "campaigns.field_choices")} value={r.choices.clone()} oninput={set_row(i, |r, v| r.choices = v)} error={err.clone()} />
                            }
                            <label class="check"><input type="checkbox" checked={r.required} onchange={required} />{ t(lang, "campaigns.field_required") }</label>
                            <button type="button" class="link" onclick={remove}>{ t(lang, "campaigns.remove_field") }</button>
                        </div>
                    }
                }) }
                if f.fields.len() < zhihui_domain::campaign::MAX_CUSTOM_FIELDS {
                    <button type="button" onclick={add_field}>{ t(lang, "campaigns.add_field") }</button>
                }
            </fieldset>
            <div class="actions"><button type="submit" class="primary" disabled={*busy}>{ t(lang, "save") }</button></div>
        </form>
    }
}

#[derive(Properties, PartialEq)]
pub struct IdProps {
    pub id: String,
}

/// One campaign, as its owner, those above it or an addressed organisation sees it.
#[component]
pub fn CampaignScreen(props: &IdProps) -> Html {
    let app = use_app();
    let lang = app.lang;
    let (campaign, reload) = use_get::<CampaignView>(Some(format!("/campaigns/{}", props.id)));
    let error = use_state(|| None::<ApiError>);
    html! {
        <section class="page campaign">
            { view_load(&campaign, lang, &reload, |c| html! {
                <>
                    <h1>{ c.title.clone() }</h1>
                    <p class="meta">
                        <span class="tag">{ label(lang, "campaign_status", c.status) }</span>
                        { format!(" · {} · {} {}", c.owner.name, t(lang, "campaigns.deadline"), format::date(lang, c.deadline)) }
                    </p>
                    if !c.purpose.is_empty() { <p class="purpose">{ c.purpose.clone() }</p> }
                    <dl class="facts">
                        <dt>{ t(lang, "campaigns.year") }</dt><dd>{ c.year }</dd>
                        <dt>{ t(lang, "campaigns.min_entries") }</dt><dd>{ c.min_entries }</dd>
                        <dt>{ t(lang, "campaigns.addressees") }</dt>
                        <dd>{ addressees(lang, c) }</dd>
                        if c.addressed > 0 {
                            <dt>{ t(lang, "campaigns.completed") }</dt><dd>{ format!("{}/{}", c.completed, c.addressed) }</dd>
                        }
                    </dl>
                    <ErrorBanner error={(*error).clone()} />
                    <OwnerActions campaign={c.clone()} done={reload.clone()} error={error.clone()} />
                    { for c.my_submissions.iter().map(|s| html! {
                        <Submission campaign={c.clone()} submission={s.clone()} done={reload.clone()} />
                    }) }
                    if c.follows && c.addressed > 0 {
                        <Progress campaign={c.clone()} />
                    }
                    if c.follows || !c.my_submissions.is_empty() {
                        // Entries added, withdrawn or completed elsewhere on the page change
                        // the key, so the list is read again.
                        <Entries key={entries_key(c)} campaign={c.clone()} done={reload.clone()} />
                    }
                </>
            }) }
        </section>
    }
}

fn entries_key(c: &CampaignView) -> String {
    let mine: i32 = c.my_submissions.iter().map(|s| s.entries).sum();
    let done = c
        .my_submissions
        .iter()
        .filter(|s| s.completed_on.is_some())
        .count();
    format!("{}-{}-{mine}-{done}", c.version, c.completed)
}

fn addressees(lang: Lang, c: &CampaignView) -> String {
    let mut parts: Vec<String> = c
        .addressed_categories
        .iter()
        .map(|x| label(lang, "org_category", x.as_str()))
        .collect();
    parts.extend(
        c.addressed_levels
            .iter()
            .map(|x| label(lang, "level", x.as_str())),
    );
    if parts.is_empty() {
        t(lang, "campaigns.everyone_below").to_string()
    } else {
        parts.join("、")
    }
}

#[derive(Properties, PartialEq)]
struct OwnerProps {
    campaign: CampaignView,
    done: Callback<()>,
    error: UseStateHandle<Option<ApiError>>,
}

/// The owner's buttons: open, change the deadline, remind, export, close.
#[component]
fn OwnerActions(props: &OwnerProps) -> Html {
    let app = use_app();
    let lang = app.lang;
    let c = &props.campaign;
    let busy = use_state(|| false);
    let deadline = use_state(|| format::iso_date(c.deadline));
    let saving = use_saving();
    let step = |action: CampaignAction, question: &'static str, toast_key: &'static str| {
        let (busy, error, done, toast) = (
            busy.clone(),
            props.error.clone(),
            props.done.clone(),
            app.toast.clone(),
        );
        let (id, version) = (c.id, c.version);
        Callback::from(move |_| {
            if *busy || !confirmed(t(lang, question)) {
                return;
            }
            busy.set(true);
            let (busy, error, done, toast) =
                (busy.clone(), error.clone(), done.clone(), toast.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let r = match action {
                    CampaignAction::Open => services::act_version::<CampaignView>(
                        &format!("/campaigns/{id}/open"),
                        version,
                    )
                    .await
                    .map(|_| ()),
                    CampaignAction::Close => services::act_version::<CampaignView>(
                        &format!("/campaigns/{id}/close"),
                        version,
                    )
                    .await
                    .map(|_| ()),
                    _ => {
                        services::act::<CampaignReminderView>(&format!("/campaigns/{id}/reminders"))
                            .await
                            .map(|_| ())
                    }
                };
                match r {
                    Ok(()) => {
                        error.set(None);
                        toast.emit(toast_key);
                        done.emit(());
                    }
                    Err(e) => error.set(Some(e)),
                }
                busy.set(false);
            });
        })
    };
    let export = {
        let (error, id) = (props.error.clone(), c.id);
        Callback::from(move |_| {
            let error = error.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let r =
                    services::download(&format!("/campaigns/{id}/export"), "campaign.xlsx").await;
                error.set(r.err());
            });
        })
    };
    let move_deadline = {
        let (deadline, saving, done, toast) = (
            deadline.clone(),
            saving.clone(),
            props.done.clone(),
            app.toast.clone(),
        );
        let (id, version) = (c.id, c.version);
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Some(day) = format::parse_date(&deadline) else {
                saving.error.set(Some(local_error("choose_deadline")));
                return;
            };
            let body = UpdateCampaignRequest {
                deadline: Some(day),
                ..Default::default()
            };
            let (done, toast) = (done.clone(), toast.clone());
            saving.put_version::<_, CampaignView>(
                format!("/campaigns/{id}"),
                body,
                version,
                Callback::from(move |_| {
                    toast.emit("toast.campaign_saved");
                    done.emit(());
                }),
            );
        })
    };
    let can = |a: CampaignAction| c.allowed_actions.contains(&a);
    html! {
        <>
            <div class="actions">
                if can(CampaignAction::Open) {
                    <button type="button" class="primary" disabled={*busy} onclick={step(CampaignAction::Open, "campaigns.open_confirm", "toast.campaign_opened")}>{ t(lang, "campaigns.open") }</button>
                }
                if can(CampaignAction::Remind) {
                    <button type="button" disabled={*busy} onclick={step(CampaignAction::Remind, "campaigns.remind_confirm", "toast.campaign_reminded")}>{ t(lang, "campaigns.remind") }</button>
                }
                if c.follows && c.addressed > 0 {
                    <button type="button" onclick={export}>{ t(lang, "campaigns.export") }</button>
                }
                if can(CampaignAction::Close) {
                    <button type="button" class="danger" disabled={*busy} onclick={step(CampaignAction::Close, "campaigns.close_confirm", "toast.campaign_closed")}>{ t(lang, "campaigns.close") }</button>
                }
            </div>
            if can(CampaignAction::Update) {
                <form class="inline" novalidate=true onsubmit={move_deadline}>
                    <ErrorBanner error={(*saving.error).clone()} />
                    <TextField name="deadline" label={t(lang, "campaigns.deadline")} value={(*deadline).clone()} required=true input_type="date" oninput={keep(&deadline)} error={(*saving.error).clone()} />
                    <button type="submit" disabled={*saving.busy}>{ t(lang, "campaigns.move_deadline") }</button>
                </form>
            }
        </>
    }
}

#[derive(Properties, PartialEq)]
struct SubmissionProps {
    campaign: CampaignView,
    submission: SubmissionView,
    done: Callback<()>,
}

/// An addressed organisation's submission: where it stands, adding entries, completing.
#[component]
fn Submission(props: &SubmissionProps) -> Html {
    let app = use_app();
    let lang = app.lang;
    let s = &props.submission;
    let c = &props.campaign;
    let adding = use_state(|| false);
    let error = use_state(|| None::<ApiError>);
    let busy = use_state(|| false);
    let complete = {
        let (busy, error, done, toast) = (
            busy.clone(),
            error.clone(),
            props.done.clone(),
            app.toast.clone(),
        );
        let (id, org) = (c.id, s.organization.id);
        Callback::from(move |_| {
            if *busy || !confirmed(t(lang, "campaigns.complete_confirm")) {
                return;
            }
            busy.set(true);
            let (busy, error, done, toast) =
                (busy.clone(), error.clone(), done.clone(), toast.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match services::act::<SubmissionView>(&format!(
                    "/campaigns/{id}/submissions/{org}/complete"
                ))
                .await
                {
                    Ok(_) => {
                        error.set(None);
                        toast.emit("toast.submission_completed");
                        done.emit(());
                    }
                    Err(e) => error.set(Some(e)),
                }
                busy.set(false);
            });
        })
    };
    let can = |a: SubmissionAction| s.allowed_actions.contains(&a);
    html! {
        <section class="panel submission">
            <h2>{ fill(lang, "campaigns.submission_of", &s.organization.name) }</h2>
            <p class="meta">
                <span class="tag">{ label(lang, "submission_state", s.state) }</span>
                { format!(" · {} {}/{} · {} {}", t(lang, "campaigns.entries"), s.entries, s.min_entries, t(lang, "campaigns.open_until"), format::date(lang, s.open_until)) }
                if s.late { { format!(" · {}", t(lang, "campaigns.late")) } }
            </p>
            <ErrorBanner error={(*error).clone()} />
            <div class="actions">
                if can(SubmissionAction::AddEntry) && !*adding {
                    <button type="button" class="primary" onclick={let a = adding.clone(); move |_| a.set(true)}>{ t(lang, "campaigns.add_entry") }</button>
                }
                if can(SubmissionAction::Complete) {
                    <button type="button" disabled={*busy} onclick={complete}>{ t(lang, "campaigns.complete") }</button>
                }
            </div>
            if *adding {
                <EntryForm campaign={c.clone()} organization={s.organization.id.to_string()} entry={None::<CampaignEntryView>}
                    done={let (a, d) = (adding.clone(), props.done.clone()); Callback::from(move |_| { a.set(false); d.emit(()); })} />
            }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct EntryFormProps {
    campaign: CampaignView,
    organization: String,
    /// The entry changed, or none for a new one.
    entry: Option<CampaignEntryView>,
    done: Callback<()>,
}

#[derive(Clone, PartialEq)]
struct EntryFields {
    title: String,
    topic: String,
    lead: String,
    month: String,
    place: String,
    audience: String,
    custom: BTreeMap<String, String>,
}

/// An entry's fixed fields and the campaign's own, for a new entry or a change.
#[component]
fn EntryForm(props: &EntryFormProps) -> Html {
    let app = use_app();
    let lang = app.lang;
    let c = &props.campaign;
    let form = use_state(|| match &props.entry {
        Some(e) => EntryFields {
            title: e.title.clone(),
            topic: e.topic.as_str().into(),
            lead: e.lead.clone(),
            month: e.planned_month.to_string(),
            place: e.place.clone(),
            audience: e.expected_audience.to_string(),
            custom: e
                .custom
                .iter()
                .map(|v| (v.key.clone(), v.value.clone()))
                .collect(),
        },
        None => EntryFields {
            title: String::new(),
            topic: ActivityCategory::SciencePopularisation.as_str().into(),
            lead: String::new(),
            month: String::new(),
            place: String::new(),
            audience: "50".into(),
            custom: BTreeMap::new(),
        },
    });
    let saving = use_saving();
    let set = |f: fn(&mut EntryFields, String)| {
        let form = form.clone();
        Callback::from(move |v: String| {
            let mut n = (*form).clone();
            f(&mut n, v);
            form.set(n);
        })
    };
    let set_custom = |key: String| {
        let form = form.clone();
        Callback::from(move |v: String| {
            let mut n = (*form).clone();
            n.custom.insert(key.clone(), v);
            form.set(n);
        })
    };
    let submit = {
        let (form, saving, done, toast) = (
            form.clone(),
            saving.clone(),
            props.done.clone(),
            app.toast.clone(),
        );
        let fields: Vec<CustomField> = c.custom_fields.iter().map(CustomField::from).collect();
        let (campaign, organization, entry) =
            (c.id, props.organization.clone(), props.entry.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *saving.busy {
                return;
            }
            let f = (*form).clone();
            let custom: BTreeMap<String, serde_json::Value> = f
                .custom
                .iter()
                .filter(|(_, v)| !v.trim().is_empty())
                .map(|(k, v)| {
                    let number = fields
                        .iter()
                        .any(|x| &x.key == k && x.kind == CustomFieldKind::Number);
                    let value = match v
                        .trim()
                        .parse::<f64>()
                        .ok()
                        .and_then(serde_json::Number::from_f64)
                    {
                        Some(n) if number => serde_json::Value::Number(n),
                        _ => serde_json::Value::String(v.trim().into()),
                    };
                    (k.clone(), value)
                })
                .collect();
            let Ok(organization_id) = organization.parse() else {
                return;
            };
            let body = CreateCampaignEntryRequest {
                organization_id,
                title: f.title.trim().into(),
                topic: f.topic.clone(),
                lead: f.lead.trim().into(),
                planned_month: f.month.trim().parse().unwrap_or(0),
                place: f.place.trim().into(),
                expected_audience: f.audience.trim().parse().unwrap_or(0),
                custom,
            };
            if let Err(r) = EntryDraft::try_from((&body, fields.as_slice())) {
                saving.error.set(Some(refused(r)));
                return;
            }
            let (done, toast) = (done.clone(), toast.clone());
            let after = Callback::from(move |_| {
                toast.emit("toast.entry_saved");
                done.emit(());
            });
            match &entry {
                Some(e) => {
                    let change = UpdateCampaignEntryRequest {
                        title: Some(body.title),
                        topic: Some(body.topic),
                        lead: Some(body.lead),
                        planned_month: Some(body.planned_month),
                        place: Some(body.place),
                        expected_audience: Some(body.expected_audience),
                        custom: Some(body.custom),
                    };
                    saving.put_version::<_, CampaignEntryView>(
                        format!("/campaign-entries/{}", e.id),
                        change,
                        e.version,
                        after,
                    );
                }
                None => {
                    saving.busy.set(true);
                    let saving = saving.clone();
                    wasm_bindgen_futures::spawn_local(async move {
                        match services::post::<_, CampaignEntryView>(
                            &format!("/campaigns/{campaign}/entries"),
                            &body,
                        )
                        .await
                        {
                            Ok(_) => {
                                saving.error.set(None);
                                after.emit(());
                            }
                            Err(e) => saving.error.set(Some(e)),
                        }
                        saving.busy.set(false);
                    });
                }
            }
        })
    };
    let f = (*form).clone();
    let err = (*saving.error).clone();
    let months: Vec<(String, String)> = (1..=12)
        .map(|m| {
            (
                m.to_string(),
                fill(lang, "campaigns.month_n", &m.to_string()),
            )
        })
        .collect();
    html! {
        <form class="compose entry-form" novalidate=true onsubmit={submit}>
            <ErrorBanner error={err.clone()} />
            <TextField name="title" label={t(lang, "campaigns.entry_title")} value={f.title.clone()} required=true kind={Kind::Required} oninput={set(|f, v| f.title = v)} error={err.clone()} />
            <SelectField name="topic" label={t(lang, "campaigns.topic")} value={f.topic.clone()} options={options::<ActivityCategory>(lang, "category")}
                onchange={set(|f, v| f.topic = v)} error={err.clone()} />
            <TextField name="lead" label={t(lang, "campaigns.lead")} value={f.lead.clone()} required=true kind={Kind::Required} oninput={set(|f, v| f.lead = v)} error={err.clone()} />
            <SelectField name="planned_month" label={t(lang, "campaigns.planned_month")} value={f.month.clone()} options={months}
                placeholder={AttrValue::from(t(lang, "hub.choose"))} onchange={set(|f, v| f.month = v)} error={err.clone()} />
            <TextField name="place" label={t(lang, "campaigns.place")} value={f.place.clone()} required=true kind={Kind::Required} oninput={set(|f, v| f.place = v)} error={err.clone()} />
            <TextField name="expected_audience" label={t(lang, "campaigns.audience")} value={f.audience.clone()} required=true input_type="number" inputmode="numeric" oninput={set(|f, v| f.audience = v)} error={err.clone()} />
            { for c.custom_fields.iter().map(|x| {
                let name = format!("custom.{}", x.key);
                let value = f.custom.get(&x.key).cloned().unwrap_or_default();
                match x.kind {
                    CustomFieldKind::Choice => html! {
                        <SelectField name={name} label={x.label.clone()} value={value}
                            options={x.choices.iter().map(|c| (c.clone(), c.clone())).collect::<Vec<_>>()}
                            placeholder={AttrValue::from(t(lang, "hub.choose"))} onchange={set_custom(x.key.clone())} error={err.clone()} />
                    },
                    kind => html! {
                        <TextField name={name} label={x.label.clone()} value={value} required={x.required}
                            input_type={match kind { CustomFieldKind::Number => "number", CustomFieldKind::Date => "date", _ => "text" }}
                            oninput={set_custom(x.key.clone())} error={err.clone()} />
                    },
                }
            }) }
            <div class="actions"><button type="submit" class="primary" disabled={*saving.busy}>{ t(lang, "save") }</button></div>
        </form>
    }
}

#[derive(Properties, PartialEq)]
struct CampaignProps {
    campaign: CampaignView,
}

/// The owner's progress table (rule 56) and the months planned against held.
#[component]
fn Progress(props: &CampaignProps) -> Html {
    let app = use_app();
    let lang = app.lang;
    let c = &props.campaign;
    let state = use_state(String::new);
    let mut path = format!("/campaigns/{}/progress?limit=200", c.id);
    if !state.is_empty() {
        path.push_str(&format!("&state={}", *state));
    }
    let (progress, reload) = use_get::<CampaignProgressView>(Some(path));
    let until = use_state(String::new);
    let error = use_state(|| None::<ApiError>);
    let reopen = |org: uuid::Uuid| {
        let (until, error, reload, toast) = (
            until.clone(),
            error.clone(),
            reload.clone(),
            app.toast.clone(),
        );
        let id = c.id;
        Callback::from(move |_| {
            let Some(day) = format::parse_date(&until) else {
                error.set(Some(local_error("choose_reopen_day")));
                return;
            };
            let (error, reload, toast) = (error.clone(), reload.clone(), toast.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let body = ReopenSubmissionRequest { until: day };
                match services::post::<_, SubmissionView>(
                    &format!("/campaigns/{id}/submissions/{org}/reopen"),
                    &body,
                )
                .await
                {
                    Ok(_) => {
                        error.set(None);
                        toast.emit("toast.submission_reopened");
                        reload.emit(());
                    }
                    Err(e) => error.set(Some(e)),
                }
            });
        })
    };
    html! {
        <section class="panel progress">
            <h2>{ t(lang, "campaigns.progress") }</h2>
            <ErrorBanner error={(*error).clone()} />
            <form class="filters" onsubmit={|e: SubmitEvent| e.prevent_default()}>
                <SelectField name="filter_state" label={t(lang, "campaigns.state")} value={(*state).clone()}
                    options={options::<zhihui_domain::SubmissionState>(lang, "submission_state")} placeholder={AttrValue::from(t(lang, "all"))} onchange={keep(&state)} />
                <TextField name="until" label={t(lang, "campaigns.reopen_until")} value={(*until).clone()} input_type="date" oninput={keep(&until)} />
            </form>
            { view_load(&progress, lang, &reload, |p| html! {
                <>
                    <p class="meta">{ format!("{} {} · {} {} · {} {} · {} {} · {} {}",
                        t(lang, "submission_state.not_answered"), p.not_answered,
                        t(lang, "submission_state.in_progress"), p.in_progress,
                        t(lang, "submission_state.overdue"), p.overdue,
                        t(lang, "submission_state.complete"), p.complete,
                        t(lang, "submission_state.completed_late"), p.completed_late) }</p>
                    <div class="table-wrap"><table class="progress-table">
                        <thead><tr>
                            <th>{ t(lang, "campaigns.organization") }</th><th>{ t(lang, "campaigns.state") }</th>
                            <th>{ t(lang, "campaigns.entries") }</th><th>{ t(lang, "campaigns.short_by") }</th>
                            <th>{ t(lang, "campaigns.planned") }</th><th>{ t(lang, "campaigns.accepted") }</th><th>{ t(lang, "campaigns.held") }</th><th></th>
                        </tr></thead>
                        <tbody>{ for p.rows.iter().map(|r| html! {
                            <tr>
                                <td>{ r.organization.name.clone() }</td>
                                <td>{ label(lang, "submission_state", r.state) }</td>
                                <td>{ format!("{}/{}", r.entries, p.min_entries) }</td>
                                <td>{ r.short_by }</td>
                                <td>{ r.planned }</td><td>{ r.accepted }</td><td>{ r.held }</td>
                                <td>if r.allowed_actions.contains(&SubmissionAction::Reopen) {
                                    <button type="button" class="link" onclick={reopen(r.organization.id)}>{ t(lang, "campaigns.reopen") }</button>
                                }</td>
                            </tr>
                        }) }</tbody>
                    </table></div>
                    if p.entries > 0 {
                    <h3>{ t(lang, "campaigns.months") }</h3>
                    <div class="table-wrap"><table class="months-table">
                        <thead><tr><th>{ t(lang, "campaigns.month") }</th><th>{ t(lang, "campaigns.planned") }</th><th>{ t(lang, "campaigns.accepted") }</th><th>{ t(lang, "campaigns.held") }</th></tr></thead>
                        <tbody>{ for p.months.iter().filter(|m| m.planned > 0).map(|m| html! {
                            <tr><td>{ fill(lang, "campaigns.month_n", &m.month.to_string()) }</td><td>{ m.planned }</td><td>{ m.accepted }</td><td>{ m.held }</td></tr>
                        }) }</tbody>
                    </table></div>
                    }
                </>
            }) }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct EntriesProps {
    campaign: CampaignView,
    done: Callback<()>,
}

/// The entries the caller sees, with what it may do to each.
#[component]
fn Entries(props: &EntriesProps) -> Html {
    let app = use_app();
    let lang = app.lang;
    let c = &props.campaign;
    let path = format!("/campaigns/{}/entries?limit=50", c.id);
    let (page, retry, more) = use_pages::<CampaignEntryPage>(Some(path));
    let done = {
        let (retry, done) = (retry.clone(), props.done.clone());
        Callback::from(move |_| {
            retry.emit(());
            done.emit(());
        })
    };
    html! {
        <section class="panel entries">
            <h2>{ t(lang, "campaigns.entry_list") }</h2>
            { view_load(&page, lang, &retry, |p| if p.items.is_empty() { html! { <Empty /> } } else {
                html! { <ul class="cards">{ for p.items.iter().map(|e| html! {
                    <EntryCard campaign={c.clone()} entry={e.clone()} done={done.clone()} />
                }) }</ul> } }) }
            { more_button(lang, &page, &more) }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct EntryCardProps {
    campaign: CampaignView,
    entry: CampaignEntryView,
    done: Callback<()>,
}

#[component]
fn EntryCard(props: &EntryCardProps) -> Html {
    let app = use_app();
    let lang = app.lang;
    let e = &props.entry;
    let editing = use_state(|| false);
    let error = use_state(|| None::<ApiError>);
    let busy = use_state(|| false);
    let act = |action: EntryAction| {
        let (busy, error, done, toast) = (
            busy.clone(),
            error.clone(),
            props.done.clone(),
            app.toast.clone(),
        );
        let (id, version) = (e.id, e.version);
        Callback::from(move |_| {
            let question = if action == EntryAction::Accept {
                "campaigns.accept_confirm"
            } else {
                "campaigns.withdraw_confirm"
            };
            if *busy || !confirmed(t(lang, question)) {
                return;
            }
            busy.set(true);
            let (busy, error, done, toast) =
                (busy.clone(), error.clone(), done.clone(), toast.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let r = if action == EntryAction::Accept {
                    services::post_version::<_, CampaignEntryView>(
                        &format!("/campaign-entries/{id}/accept"),
                        &AcceptCampaignEntryRequest::default(),
                        version,
                    )
                    .await
                } else {
                    services::act_version::<CampaignEntryView>(
                        &format!("/campaign-entries/{id}/withdraw"),
                        version,
                    )
                    .await
                };
                match r {
                    Ok(_) => {
                        error.set(None);
                        toast.emit(if action == EntryAction::Accept {
                            "toast.entry_accepted"
                        } else {
                            "toast.entry_withdrawn"
                        });
                        done.emit(());
                    }
                    Err(err) => error.set(Some(err)),
                }
                busy.set(false);
            });
        })
    };
    let can = |a: EntryAction| e.allowed_actions.contains(&a);
    html! {
        <li class="card entry">
            <h3>{ e.title.clone() }</h3>
            <p class="meta">
                <span class="tag">{ label(lang, "entry_stage", e.stage) }</span>
                { format!(" · {} · {} · {} · {} · {} {}", e.organization.name, label(lang, "category", e.topic.as_str()),
                    fill(lang, "campaigns.month_n", &e.planned_month.to_string()), e.lead, t(lang, "campaigns.audience"), e.expected_audience) }
            </p>
            <p class="meta">{ e.place.clone() }
                { for e.custom.iter().map(|v| html! { { format!(" · {}：{}", v.label, v.value) } }) }</p>
            if let Some(a) = e.activity_id {
                <p><Link<Route> to={Route::Activity { id: a.to_string() }}>{ t(lang, "campaigns.open_activity") }</Link<Route>></p>
            }
            <ErrorBanner error={(*error).clone()} />
            <div class="actions">
                if can(EntryAction::Accept) {
                    <button type="button" class="primary" disabled={*busy} onclick={act(EntryAction::Accept)}>{ t(lang, "campaigns.accept") }</button>
                }
                if can(EntryAction::Update) && !*editing {
                    <button type="button" onclick={let x = editing.clone(); move |_| x.set(true)}>{ t(lang, "hub.edit") }</button>
                }
                if can(EntryAction::Withdraw) {
                    <button type="button" class="danger" disabled={*busy} onclick={act(EntryAction::Withdraw)}>{ t(lang, "campaigns.withdraw") }</button>
                }
            </div>
            if *editing {
                <EntryForm campaign={props.campaign.clone()} organization={e.organization.id.to_string()} entry={Some(e.clone())}
                    done={let (x, d) = (editing.clone(), props.done.clone()); Callback::from(move |_| { x.set(false); d.emit(()); })} />
            }
        </li>
    }
}
