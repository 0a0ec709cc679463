//! Needs (科普需求对接): the board of open needs with the figures by region, posting a need,
//! and one need with the steps its viewer may take: publish, dispatch from the ranked
//! teams (派单), claim (接单), accept or decline, schedule, rate (评单), cancel.

use yew::prelude::*;
use yew_router::prelude::*;
use zhihui_contract::needs::{
    ClaimNeedRequest, CreateNeedRequest, DispatchNeedRequest, NeedDraft, NeedPage, NeedRating,
    NeedReasonRequest, NeedRollupView, NeedSuggestionsView, NeedView, RateNeedRequest,
    ScheduleNeedRequest, UpdateNeedRequest,
};
use zhihui_domain::{ActivityCategory, AudienceKind, NeedAction, PriorityArea, SkillField};

use super::{keep, local_error, options, prefix_of, refused};
use crate::app::Route;
use crate::components::{
    confirmed, more_button, use_app, use_get, use_pages, view_load, Empty, ErrorBanner,
    RegionPicker, SelectField, TextField,
};
use crate::format;
use crate::i18n::{label, t, Lang};
use crate::pages::rollup::shade;
use crate::services::{self, ApiError};
use crate::validate::Kind;

fn need_card(lang: Lang, n: &NeedView) -> Html {
    html! {
        <li class="card need">
            <h3><Link<Route> to={Route::Need { id: n.id.to_string() }}>{ n.title.clone() }</Link<Route>></h3>
            <p class="meta">
                <span class={classes!("tag", n.status.as_str())}>{ label(lang, "need_status", n.status) }</span>
                if let Some(a) = n.priority_area { { " · " }<span class="tag priority">{ label(lang, "priority_area", a) }</span> }
                { format!(" · {} · {}", n.requester.name, n.region_name) }
            </p>
            <p class="meta">
                { format!("{} – {} · {} {} · {}", format::date(lang, n.window_from), format::date(lang, n.window_to),
                    label(lang, "audience", n.audience), n.audience_size, label(lang, "category", n.category)) }
            </p>
        </li>
    }
}

/// The board (公开需求): open needs by region and category, priority counties first; the
/// figures of the chosen province (or the nation); and, for those who post, the form.
#[component]
pub fn NeedBoard() -> Html {
    let app = use_app();
    let lang = app.lang;
    let region = use_state(String::new);
    let category = use_state(String::new);
    let status = use_state(|| "open".to_string());
    let posting = use_state(|| false);
    let mut query = format!("/needs?limit=50&status={}", *status);
    if !region.is_empty() {
        query.push_str(&format!("&region={}", prefix_of(&region)));
    }
    if !category.is_empty() {
        query.push_str(&format!("&category={}", *category));
    }
    let (page, retry, more) = use_pages::<NeedPage>(Some(query));
    // The figures of the chosen province (its cities) or city (its counties), else the
    // nation's (its provinces).
    let scope = (!region.is_empty()).then(|| {
        let p = prefix_of(&region);
        p[..p.len().min(4)].to_string()
    });
    let (figures, retry_figures) = use_get::<NeedRollupView>(Some(match &scope {
        Some(p) => format!("/need-rollup?region={p}"),
        None => "/need-rollup".to_string(),
    }));
    let posts = app
        .me
        .as_ref()
        .is_some_and(|m| !m.administered_organizations.is_empty());
    html! {
        <section class="page needs">
            <h1>{ t(lang, "needs.title") }</h1>
            <p class="meta">{ t(lang, "needs.intro") }</p>
            if posts {
                if *posting {
                    <PostNeed />
                } else {
                    <button type="button" class="primary" onclick={let p = posting.clone(); move |_| p.set(true)}>{ t(lang, "needs.post") }</button>
                }
            }
            <form class="filters" onsubmit={|e: SubmitEvent| e.prevent_default()}>
                <RegionPicker name="filter_region" label={t(lang, "needs.region")} value={(*region).clone()} onchange={keep(&region)} />
                <SelectField name="filter_category" label={t(lang, "activities.category")} value={(*category).clone()}
                    options={options::<ActivityCategory>(lang, "category")} placeholder={AttrValue::from(t(lang, "all"))} onchange={keep(&category)} />
                <SelectField name="filter_status" label={t(lang, "needs.status")} value={(*status).clone()}
                    options={options::<zhihui_domain::NeedStatus>(lang, "need_status")} onchange={keep(&status)} />
            </form>
            { view_load(&page, lang, &retry, |p| if p.items.is_empty() { html! { <Empty /> } } else {
                html! { <ul class="cards">{ for p.items.iter().map(|n| need_card(lang, n)) }</ul> } }) }
            { more_button(lang, &page, &more) }
            <h2>{ t(lang, "needs.figures") }</h2>
            { view_load(&figures, lang, &retry_figures, |r| figures_table(lang, r)) }
        </section>
    }
}

/// The figures by child region, each row shaded by its unmet needs (a map-like table), and
/// the year by month.
fn figures_table(lang: Lang, r: &NeedRollupView) -> Html {
    let max = r
        .by_region
        .iter()
        .map(|x| x.figures.unmet as f64)
        .fold(0.0, f64::max);
    let cell = |v: Option<String>| v.unwrap_or_else(|| "—".into());
    html! {
        <>
            <p class="meta">{ format!("{} · {}", r.region_name, r.year) }</p>
            <div class="table-wrap"><table class="rollup needs-figures">
                <thead><tr>
                    <th scope="col">{ t(lang, "needs.region") }</th>
                    <th scope="col">{ t(lang, "needs.posted") }</th>
                    <th scope="col">{ t(lang, "needs.served") }</th>
                    <th scope="col">{ t(lang, "needs.unmet") }</th>
                    <th scope="col">{ t(lang, "needs.median_days") }</th>
                    <th scope="col">{ t(lang, "needs.average_rating") }</th>
                </tr></thead>
                <tbody>{ for r.by_region.iter().map(|x| html! {
                    <tr class={classes!(format!("heat-{}", shade(x.figures.unmet as f64, max)))}>
                        <th scope="row" data-label={t(lang, "needs.region")}>
                            { x.region_name.clone() }
                            if x.priority_needs > 0 { <span class="tag priority">{ t(lang, "needs.priority") }</span> }
                        </th>
                        <td data-label={t(lang, "needs.posted")}>{ x.figures.posted }</td>
                        <td data-label={t(lang, "needs.served")}>{ x.figures.served }</td>
                        <td data-label={t(lang, "needs.unmet")}>{ x.figures.unmet }</td>
                        <td data-label={t(lang, "needs.median_days")}>{ cell(x.figures.median_days_to_schedule.map(|d| d.to_string())) }</td>
                        <td data-label={t(lang, "needs.average_rating")}>{ cell(x.figures.average_rating.map(|a| format!("{a:.1}"))) }</td>
                    </tr>
                }) }</tbody>
                <tfoot><tr>
                    <th scope="row">{ t(lang, "rollup.total") }</th>
                    <td>{ r.totals.posted }</td><td>{ r.totals.served }</td><td>{ r.totals.unmet }</td>
                    <td>{ cell(r.totals.median_days_to_schedule.map(|d| d.to_string())) }</td>
                    <td>{ cell(r.totals.average_rating.map(|a| format!("{a:.1}"))) }</td>
                </tr></tfoot>
            </table></div>
            <p class="meta">{ for r.by_month.iter().filter(|m| m.posted + m.served > 0).map(|m| html! {
                <span class="month-figure">{ format!("{} {} {} / {} {} ", format::month(lang, &m.month), t(lang, "needs.posted"), m.posted, t(lang, "needs.served"), m.served) }</span>
            }) }</p>
        </>
    }
}

#[derive(Clone, PartialEq)]
struct NeedForm {
    organization: String,
    title: String,
    description: String,
    category: String,
    fields: Vec<SkillField>,
    tags: String,
    audience: String,
    audience_size: String,
    place: String,
    region: String,
    window_from: String,
    window_to: String,
    priority_area: String,
    contact_name: String,
    contact_phone: String,
}

/// Posting a need (点单), phone-width first: saved as a draft, or published at once.
#[component]
fn PostNeed() -> Html {
    let app = use_app();
    let lang = app.lang;
    let nav = use_navigator();
    let orgs = super::my_orgs(&app);
    let form = use_state(|| NeedForm {
        organization: orgs.first().map(|o| o.0.clone()).unwrap_or_default(),
        title: String::new(),
        description: String::new(),
        category: ActivityCategory::SciencePopularisation.as_str().into(),
        fields: vec![],
        tags: String::new(),
        audience: AudienceKind::Farmers.as_str().into(),
        audience_size: "30".into(),
        place: String::new(),
        region: String::new(),
        window_from: String::new(),
        window_to: String::new(),
        priority_area: String::new(),
        contact_name: String::new(),
        contact_phone: String::new(),
    });
    let error = use_state(|| None::<ApiError>);
    let busy = use_state(|| false);
    let set = |f: fn(&mut NeedForm, String)| {
        let form = form.clone();
        Callback::from(move |v: String| {
            let mut n = (*form).clone();
            f(&mut n, v);
            form.set(n);
        })
    };
    let submit = {
        let (form, error, busy) = (form.clone(), error.clone(), busy.clone());
        let toast = app.toast.clone();
        move |publish: bool| {
            let (form, error, busy, nav, toast) = (
                form.clone(),
                error.clone(),
                busy.clone(),
                nav.clone(),
                toast.clone(),
            );
            Callback::from(move |e: MouseEvent| {
                e.prevent_default();
                if *busy {
                    return;
                }
                let f = (*form).clone();
                let Ok(organization_id) = f.organization.parse() else {
                    error.set(Some(local_error("choose_organization")));
                    return;
                };
                let date = |s: &str| format::parse_date(s);
                let (Some(window_from), Some(window_to)) =
                    (date(&f.window_from), date(&f.window_to))
                else {
                    error.set(Some(super::field_error(
                        if date(&f.window_from).is_none() {
                            "window_from"
                        } else {
                            "window_to"
                        },
                        "required",
                    )));
                    return;
                };
                let body = CreateNeedRequest {
                    organization_id,
                    title: f.title.trim().into(),
                    description: f.description.trim().into(),
                    category: f.category.clone(),
                    skill_fields: f.fields.iter().map(|x| x.as_str().to_string()).collect(),
                    skill_tags: f
                        .tags
                        .split([',', '，', '、'])
                        .map(str::trim)
                        .filter(|s| !s.is_empty())
                        .map(str::to_string)
                        .collect(),
                    audience: f.audience.clone(),
                    audience_size: f.audience_size.trim().parse().unwrap_or(0),
                    place: f.place.trim().into(),
                    region_code: f.region.clone(),
                    window_from,
                    window_to,
                    priority_area: (!f.priority_area.is_empty()).then(|| f.priority_area.clone()),
                    contact_name: f.contact_name.trim().into(),
                    contact_phone: f.contact_phone.trim().into(),
                    service_point_id: None,
                };
                // The service's own check of the need, before anything is sent.
                let today = zhihui_domain::report::china_date(format::now());
                if let Err(r) = NeedDraft::try_from((&body, today)) {
                    error.set(Some(refused(r)));
                    return;
                }
                busy.set(true);
                let (error, busy, nav, toast) =
                    (error.clone(), busy.clone(), nav.clone(), toast.clone());
                wasm_bindgen_futures::spawn_local(async move {
                    let result = async {
                        let n = services::post::<_, NeedView>("/needs", &body).await?;
                        if publish {
                            services::act_version::<NeedView>(
                                &format!("/needs/{}/publish", n.id),
                                n.version,
                            )
                            .await
                        } else {
                            Ok(n)
                        }
                    }
                    .await;
                    match result {
                        Ok(n) => {
                            toast.emit(if publish {
                                "toast.need_published"
                            } else {
                                "toast.need_saved"
                            });
                            if let Some(nav) = nav {
                                nav.push(&Route::Need {
                                    id: n.id.to_string(),
                                });
                            }
                        }
                        Err(e) => error.set(Some(e)),
                    }
                    busy.set(false);
                });
            })
        }
    };
    let f = (*form).clone();
    let err = (*error).clone();
    let toggle_field = |field: SkillField| {
        let form = form.clone();
        Callback::from(move |_| {
            let mut n = (*form).clone();
            if let Some(i) = n.fields.iter().position(|x| *x == field) {
                n.fields.remove(i);
            } else {
                n.fields.push(field);
            }
            form.set(n);
        })
    };
    html! {
        <form class="compose need-form" novalidate=true>
            <h2>{ t(lang, "needs.post") }</h2>
            <ErrorBanner error={err.clone()} />
            <SelectField name="organization_id" label={t(lang, "needs.requester")} value={f.organization.clone()} options={orgs.clone()}
                onchange={set(|f, v| f.organization = v)} error={err.clone()} />
            <TextField name="title" label={t(lang, "needs.topic")} value={f.title.clone()} required=true kind={Kind::Required} oninput={set(|f, v| f.title = v)} error={err.clone()} />
            <SelectField name="category" label={t(lang, "activities.category")} value={f.category.clone()} options={options::<ActivityCategory>(lang, "category")}
                onchange={set(|f, v| f.category = v)} error={err.clone()} />
            <fieldset class="field">
                <legend>{ t(lang, "needs.skill_fields") }<span class="hint">{ t(lang, "optional") }</span></legend>
                <div class="checks">{ for SkillField::ALL.iter().map(|s| html! {
                    <label class="check"><input type="checkbox" name="skill_fields" value={s.as_str()} checked={f.fields.contains(s)} onchange={toggle_field(*s)} />
                        { label(lang, "skill_field", s.as_str()) }</label>
                }) }</div>
            </fieldset>
            <TextField name="skill_tags" label={t(lang, "needs.skill_tags")} value={f.tags.clone()} oninput={set(|f, v| f.tags = v)} error={err.clone()} />
            <SelectField name="audience" label={t(lang, "needs.audience")} value={f.audience.clone()} options={options::<AudienceKind>(lang, "audience")}
                onchange={set(|f, v| f.audience = v)} error={err.clone()} />
            <TextField name="audience_size" label={t(lang, "needs.audience_size")} value={f.audience_size.clone()} required=true input_type="number" inputmode="numeric"
                oninput={set(|f, v| f.audience_size = v)} error={err.clone()} />
            <TextField name="place" label={t(lang, "activity.place")} value={f.place.clone()} required=true kind={Kind::Required} oninput={set(|f, v| f.place = v)} error={err.clone()} />
            <RegionPicker name="region_code" label={t(lang, "needs.county")} value={f.region.clone()} onchange={set(|f, v| f.region = v)} error={err.clone()} />
            <TextField name="window_from" label={t(lang, "needs.window_from")} value={f.window_from.clone()} input_type="date" required=true kind={Kind::Required} oninput={set(|f, v| f.window_from = v)} error={err.clone()} />
            <TextField name="window_to" label={t(lang, "needs.window_to")} value={f.window_to.clone()} input_type="date" required=true kind={Kind::Required} oninput={set(|f, v| f.window_to = v)} error={err.clone()} />
            <SelectField name="priority_area" label={t(lang, "needs.priority_area")} value={f.priority_area.clone()} options={options::<PriorityArea>(lang, "priority_area")}
                placeholder={AttrValue::from(t(lang, "needs.no_priority"))} onchange={set(|f, v| f.priority_area = v)} error={err.clone()} />
            <TextField name="description" label={t(lang, "activity.description")} value={f.description.clone()} multiline=true oninput={set(|f, v| f.description = v)} error={err.clone()} />
            <TextField name="contact_name" label={t(lang, "org.contact_name")} value={f.contact_name.clone()} required=true kind={Kind::PersonName} oninput={set(|f, v| f.contact_name = v)} error={err.clone()} />
            <TextField name="contact_phone" label={t(lang, "org.contact_phone")} value={f.contact_phone.clone()} required=true kind={Kind::Phone} input_type="tel" oninput={set(|f, v| f.contact_phone = v)} error={err.clone()} />
            <div class="actions">
                <button type="button" onclick={submit(false)} disabled={*busy}>{ t(lang, "letters.save_draft") }</button>
                <button type="submit" class="primary" onclick={submit(true)} disabled={*busy}>{ t(lang, "needs.publish") }</button>
            </div>
        </form>
    }
}

#[derive(Properties, PartialEq)]
pub struct NeedProps {
    pub id: String,
}

/// What a step sends.
enum Step {
    Plain(&'static str),
    Reason(&'static str, String),
    Dispatch(uuid::Uuid),
    Claim(uuid::Uuid),
    Schedule(ScheduleNeedRequest),
    Rate(RateNeedRequest),
}

/// One need with its history and the steps its viewer may take now.
#[component]
pub fn NeedScreen(props: &NeedProps) -> Html {
    let app = use_app();
    let lang = app.lang;
    let (need, reload) = use_get::<NeedView>(Some(format!("/needs/{}", props.id)));
    let error = use_state(|| None::<ApiError>);
    let busy = use_state(|| false);
    let reason = use_state(String::new);
    let day = use_state(String::new);
    let start = use_state(|| "09:00".to_string());
    let end = use_state(|| "11:00".to_string());
    let stars = use_state(|| "5".to_string());
    let reached = use_state(String::new);
    let comment = use_state(String::new);
    let go = {
        let (error, busy, reload, toast) = (
            error.clone(),
            busy.clone(),
            reload.clone(),
            app.toast.clone(),
        );
        move |n: &NeedView, step: Step, done: &'static str| {
            let (error, busy, reload, toast) =
                (error.clone(), busy.clone(), reload.clone(), toast.clone());
            let (id, version) = (n.id, n.version);
            if *busy {
                return;
            }
            busy.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                let path = |a: &str| format!("/needs/{id}/{a}");
                let result = match step {
                    Step::Plain(a) => services::act_version::<NeedView>(&path(a), version).await,
                    Step::Reason(a, r) => {
                        services::post_version::<_, NeedView>(
                            &path(a),
                            &NeedReasonRequest { reason: r },
                            version,
                        )
                        .await
                    }
                    Step::Dispatch(team_id) => {
                        services::post_version::<_, NeedView>(
                            &path("dispatch"),
                            &DispatchNeedRequest {
                                team_id,
                                note: None,
                            },
                            version,
                        )
                        .await
                    }
                    Step::Claim(team_id) => {
                        services::post_version::<_, NeedView>(
                            &path("claim"),
                            &ClaimNeedRequest { team_id },
                            version,
                        )
                        .await
                    }
                    Step::Schedule(b) => {
                        services::post_version::<_, NeedView>(&path("schedule"), &b, version).await
                    }
                    Step::Rate(b) => {
                        services::post_version::<_, NeedView>(&path("rate"), &b, version).await
                    }
                };
                match result {
                    Ok(_) => {
                        error.set(None);
                        toast.emit(done);
                    }
                    Err(e) => error.set(Some(e)),
                }
                reload.emit(());
                busy.set(false);
            });
        }
    };
    view_load(&need, lang, &reload, |n| {
        let can = |a: NeedAction| n.allowed_actions.contains(&a);
        let click = |step: fn(&NeedView) -> Option<Step>,
                     done: &'static str,
                     question: Option<&'static str>| {
            let (go, n, error) = (go.clone(), n.clone(), error.clone());
            Callback::from(move |_: MouseEvent| {
                if question.is_some_and(|q| !confirmed(t(lang, q))) {
                    return;
                }
                match step(&n) {
                    Some(s) => go(&n, s, done),
                    None => error.set(Some(local_error("required"))),
                }
            })
        };
        let with_reason = |action: &'static str, done: &'static str, question: &'static str| {
            let (go, n, error, reason) = (go.clone(), n.clone(), error.clone(), reason.clone());
            Callback::from(move |_: MouseEvent| {
                if let Err(r) = zhihui_contract::form::Reason::of(
                    &NeedReasonRequest {
                        reason: (*reason).clone(),
                    },
                    "reason",
                    &reason,
                ) {
                    error.set(Some(refused(r)));
                    return;
                }
                if !confirmed(t(lang, question)) {
                    return;
                }
                go(&n, Step::Reason(action, reason.trim().to_string()), done);
            })
        };
        let schedule = {
            let (go, n, error) = (go.clone(), n.clone(), error.clone());
            let (day, start, end) = (day.clone(), start.clone(), end.clone());
            Callback::from(move |_: MouseEvent| {
                let at = |time: &str| format::from_local_input(&format!("{}T{}", *day, time));
                match (at(&start), at(&end)) {
                    (Some(starts_at), Some(ends_at)) => go(
                        &n,
                        Step::Schedule(ScheduleNeedRequest { starts_at, ends_at }),
                        "toast.need_scheduled",
                    ),
                    _ => error.set(Some(super::field_error("starts_at", "required"))),
                }
            })
        };
        let rate = {
            let (go, n, error) = (go.clone(), n.clone(), error.clone());
            let (stars, reached, comment) = (stars.clone(), reached.clone(), comment.clone());
            Callback::from(move |_: MouseEvent| {
                let body = RateNeedRequest {
                    stars: stars.parse().unwrap_or(0),
                    people_reached: reached.trim().parse().unwrap_or(-1),
                    comment: (!comment.trim().is_empty()).then(|| comment.trim().to_string()),
                };
                if let Err(r) = NeedRating::try_from(&body) {
                    error.set(Some(refused(r)));
                    return;
                }
                go(&n, Step::Rate(body), "toast.need_rated");
            })
        };
        let my_orgs: Vec<(uuid::Uuid, String)> = app
            .me
            .as_ref()
            .map(|m| {
                m.administered_organizations
                    .iter()
                    .map(|o| (o.id, o.name.clone()))
                    .collect()
            })
            .unwrap_or_default();
        let name_of = |id: uuid::Uuid| {
            my_orgs
                .iter()
                .find(|(o, _)| *o == id)
                .map(|(_, n)| n.clone())
                .unwrap_or_default()
        };
        let err = (*error).clone();
        html! {
            <section class="page need">
                <h1>{ n.title.clone() }</h1>
                <p class="meta">
                    <span class={classes!("tag", n.status.as_str())}>{ label(lang, "need_status", n.status) }</span>
                    if let Some(a) = n.priority_area { { " · " }<span class="tag priority">{ label(lang, "priority_area", a) }</span> }
                </p>
                <ErrorBanner error={err.clone()} />
                <dl class="facts">
                    <dt>{ t(lang, "needs.requester") }</dt><dd>{ n.requester.name.clone() }</dd>
                    <dt>{ t(lang, "activities.category") }</dt><dd>{ label(lang, "category", n.category) }</dd>
                    <dt>{ t(lang, "needs.audience") }</dt><dd>{ format!("{} · {}", label(lang, "audience", n.audience), n.audience_size) }</dd>
                    <dt>{ t(lang, "activity.place") }</dt><dd>{ format!("{} · {}", n.region_name, n.place) }</dd>
                    <dt>{ t(lang, "needs.window") }</dt><dd>{ format!("{} – {}", format::date(lang, n.window_from), format::date(lang, n.window_to)) }</dd>
                    if !n.skill_fields.is_empty() || !n.skill_tags.is_empty() {
                        <dt>{ t(lang, "needs.skill_fields") }</dt>
                        <dd>{ n.skill_fields.iter().map(|s| label(lang, "skill_field", s.as_str())).chain(n.skill_tags.iter().cloned()).collect::<Vec<_>>().join("、") }</dd>
                    }
                    if let Some(c) = &n.contact { <dt>{ t(lang, "org.contact_name") }</dt><dd>{ format!("{} {}", c.name, c.phone) }</dd> }
                    if let Some(h) = &n.holder { <dt>{ t(lang, "needs.holder") }</dt><dd>{ h.name.clone() }</dd> }
                    if let Some(a) = n.activity_id {
                        <dt>{ t(lang, "needs.activity") }</dt>
                        <dd><Link<Route> to={Route::Activity { id: a.to_string() }}>{ t(lang, "needs.open_activity") }</Link<Route>></dd>
                    }
                    if let Some(p) = &n.pairing { <dt>{ t(lang, "letters.proof") }</dt><dd class="proof">{ p.proof_number.clone() }</dd> }
                    if let Some(r) = &n.rating {
                        <dt>{ t(lang, "needs.rating") }</dt>
                        <dd>{ format!("{} ★ · {} {}{}", r.stars, t(lang, "needs.reached"), r.people_reached, r.comment.as_ref().map(|c| format!(" · {c}")).unwrap_or_default()) }</dd>
                    }
                    if let Some(r) = &n.cancel_reason { <dt>{ t(lang, "needs.cancel_reason") }</dt><dd>{ r.clone() }</dd> }
                </dl>
                if !n.description.is_empty() { <p class="description">{ n.description.clone() }</p> }
                <div class="actions">
                    if can(NeedAction::Publish) {
                        <button type="button" class="primary" disabled={*busy} onclick={click(|_| Some(Step::Plain("publish")), "toast.need_published", None)}>{ t(lang, "needs.publish") }</button>
                    }
                    if can(NeedAction::AcceptDispatch) {
                        <button type="button" class="primary" disabled={*busy} onclick={click(|_| Some(Step::Plain("accept-dispatch")), "toast.need_accepted", Some("needs.confirm_accept"))}>{ t(lang, "needs.accept_dispatch") }</button>
                    }
                    { for n.claimable_by.iter().filter(|_| can(NeedAction::Claim)).map(|team| {
                        let (go, n2, team) = (go.clone(), n.clone(), *team);
                        html! { <button type="button" class="primary" disabled={*busy} onclick={Callback::from(move |_: MouseEvent| {
                            if confirmed(t(lang, "needs.confirm_claim")) { go(&n2, Step::Claim(team), "toast.need_claimed") }
                        })}>{ format!("{} · {}", t(lang, "needs.claim"), name_of(team)) }</button> }
                    }) }
                </div>
                if can(NeedAction::DeclineDispatch) || can(NeedAction::Cancel) {
                    <div class="decline">
                        <TextField name="reason" label={t(lang, "needs.reason")} value={(*reason).clone()} required=true kind={Kind::Required}
                            oninput={keep(&reason)} error={err.clone()} />
                        if can(NeedAction::DeclineDispatch) {
                            <button type="button" disabled={*busy} onclick={with_reason("decline-dispatch", "toast.need_declined", "needs.confirm_decline")}>{ t(lang, "needs.decline_dispatch") }</button>
                        }
                        if can(NeedAction::Cancel) {
                            <button type="button" disabled={*busy} onclick={with_reason("cancel", "toast.need_cancelled", "needs.confirm_cancel")}>{ t(lang, "needs.cancel") }</button>
                        }
                    </div>
                }
                if can(NeedAction::Schedule) {
                    <fieldset class="panel schedule">
                        <legend>{ t(lang, "needs.schedule") }</legend>
                        <TextField name="starts_at" label={t(lang, "needs.day")} value={(*day).clone()} input_type="date" required=true oninput={keep(&day)} error={err.clone()} />
                        <TextField name="start_time" label={t(lang, "needs.from_time")} value={(*start).clone()} input_type="time" required=true oninput={keep(&start)} />
                        <TextField name="ends_at" label={t(lang, "needs.to_time")} value={(*end).clone()} input_type="time" required=true oninput={keep(&end)} error={err.clone()} />
                        <button type="button" class="primary" disabled={*busy} onclick={schedule}>{ t(lang, "needs.schedule") }</button>
                    </fieldset>
                }
                if can(NeedAction::Rate) {
                    <fieldset class="panel rate">
                        <legend>{ t(lang, "needs.rate") }</legend>
                        <SelectField name="stars" label={t(lang, "needs.stars")} value={(*stars).clone()}
                            options={(1..=5).rev().map(|s| (s.to_string(), "★".repeat(s))).collect::<Vec<_>>()} onchange={keep(&stars)} error={err.clone()} />
                        <TextField name="people_reached" label={t(lang, "needs.reached")} value={(*reached).clone()} required=true input_type="number" inputmode="numeric" oninput={keep(&reached)} error={err.clone()} />
                        <TextField name="comment" label={t(lang, "needs.comment")} value={(*comment).clone()} multiline=true oninput={keep(&comment)} error={err.clone()} />
                        <button type="button" class="primary" disabled={*busy} onclick={rate}>{ t(lang, "needs.rate") }</button>
                    </fieldset>
                }
                if can(NeedAction::Update) {
                    <EditNeed need={n.clone()} done={reload.clone()} />
                }
                if can(NeedAction::Dispatch) || can(NeedAction::Update) {
                    <Suggestions need={n.clone()} dispatch={
                        let (go, n2) = (go.clone(), n.clone());
                        Callback::from(move |team: uuid::Uuid| if confirmed(t(lang, "needs.confirm_dispatch")) { go(&n2, Step::Dispatch(team), "toast.need_dispatched") })
                    } can_dispatch={can(NeedAction::Dispatch)} />
                }
                if let Some(h) = &n.history {
                    <ol class="history">{ for h.iter().map(|e| html! {
                        <li>{ format!("{} · {}{}{}{}", format::date_time(lang, e.at), label(lang, "need_event", e.action),
                            e.team.as_ref().map(|x| format!(" · {}", x.name)).unwrap_or_default(),
                            e.actor_name.as_ref().map(|x| format!(" · {x}")).unwrap_or_default(),
                            e.note.as_ref().map(|x| format!(" · {x}")).unwrap_or_default()) }</li>
                    }) }</ol>
                }
            </section>
        }
    })
}

#[derive(Properties, PartialEq)]
struct SuggestionsProps {
    need: NeedView,
    dispatch: Callback<uuid::Uuid>,
    can_dispatch: bool,
}

/// The ranked teams (rule 52) with each factor's points; the parent dispatches to one.
#[component]
fn Suggestions(props: &SuggestionsProps) -> Html {
    let app = use_app();
    let lang = app.lang;
    let (list, retry) =
        use_get::<NeedSuggestionsView>(Some(format!("/needs/{}/suggestions", props.need.id)));
    html! {
        <section class="panel suggestions">
            <h2>{ t(lang, "needs.suggestions") }</h2>
            { view_load(&list, lang, &retry, |s| if s.items.is_empty() { html! { <Empty /> } } else { html! {
                <ol class="cards">{ for s.items.iter().map(|x| {
                    let (dispatch, team) = (props.dispatch.clone(), x.team.id);
                    html! {
                        <li class="card suggestion">
                            <h3>{ format!("{}. {}", x.rank, x.team.name) }</h3>
                            <p class="meta">{ format!("{} {:.1} · {} · {}", t(lang, "needs.score"), x.score, label(lang, "closeness", x.closeness), x.team.region_name) }</p>
                            <p class="meta">{ format!("{} {:.1} · {} {:.1} · {} {:.1} · {} {:.1} · {} {:.1}",
                                t(lang, "needs.factor_skills"), x.factors.skills, t(lang, "needs.factor_pairing"), x.factors.pairing,
                                t(lang, "needs.factor_closeness"), x.factors.closeness, t(lang, "needs.factor_load"), x.factors.load,
                                t(lang, "needs.factor_rating"), x.factors.rating) }</p>
                            if !x.matched_skills.is_empty() {
                                <p class="meta">{ format!("{}：{}", t(lang, "needs.matched"), x.matched_skills.iter().map(|m| if SkillField::parse(m).is_some() { label(lang, "skill_field", m) } else { m.clone() }).collect::<Vec<_>>().join("、")) }</p>
                            }
                            if props.can_dispatch {
                                <button type="button" onclick={Callback::from(move |_: MouseEvent| dispatch.emit(team))}>{ t(lang, "needs.dispatch") }</button>
                            }
                        </li>
                    }
                }) }</ol>
            } }) }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct EditNeedProps {
    need: NeedView,
    done: Callback<()>,
}

/// Changing a draft or open need (its requester): the topic, the audience size and the
/// window, checked with the service's own rule and sent with the version read.
#[component]
fn EditNeed(props: &EditNeedProps) -> Html {
    let app = use_app();
    let lang = app.lang;
    let n = &props.need;
    let title = use_state(|| n.title.clone());
    let size = use_state(|| n.audience_size.to_string());
    let from = use_state(|| n.window_from.to_string());
    let to = use_state(|| n.window_to.to_string());
    let saving = super::use_saving();
    let onsubmit = {
        let (title, size, from, to) = (title.clone(), size.clone(), from.clone(), to.clone());
        let (saving, done, id, version) = (saving.clone(), props.done.clone(), n.id, n.version);
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let body = UpdateNeedRequest {
                title: Some(title.trim().to_string()),
                audience_size: size.trim().parse().ok(),
                window_from: format::parse_date(&from),
                window_to: format::parse_date(&to),
                ..Default::default()
            };
            if body.audience_size.is_none() {
                saving
                    .error
                    .set(Some(super::field_error("audience_size", "range")));
                return;
            }
            saving.put_version::<_, NeedView>(format!("/needs/{id}"), body, version, done.clone());
        })
    };
    let err = (*saving.error).clone();
    html! {
        <details class="panel edit">
            <summary>{ t(lang, "needs.edit") }</summary>
            <form {onsubmit} novalidate=true>
                <ErrorBanner error={err.clone()} />
                if *saving.saved { <p class="success" role="status">{ t(lang, "letters.saved") }</p> }
                <TextField name="title" label={t(lang, "needs.topic")} value={(*title).clone()} required=true oninput={keep(&title)} error={err.clone()} />
                <TextField name="audience_size" label={t(lang, "needs.audience_size")} value={(*size).clone()} required=true input_type="number" oninput={keep(&size)} error={err.clone()} />
                <TextField name="window_from" label={t(lang, "needs.window_from")} value={(*from).clone()} required=true input_type="date" oninput={keep(&from)} error={err.clone()} />
                <TextField name="window_to" label={t(lang, "needs.window_to")} value={(*to).clone()} required=true input_type="date" oninput={keep(&to)} error={err.clone()} />
                <button type="submit" class="primary" disabled={*saving.busy}>{ t(lang, "save") }</button>
            </form>
        </details>
    }
}

#[cfg(test)]
mod tests {
    use super::prefix_of;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn the_region_filter_narrows_by_the_chosen_level() {
        assert_eq!(prefix_of("130000"), "13");
        assert_eq!(prefix_of("130100"), "1301");
        assert_eq!(prefix_of("130102"), "130102");
    }
}
