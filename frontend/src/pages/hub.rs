//! Science hub centres (科普服务汇中心): the service points of a region, the catalogue of
//! micro-exhibitions, the rotation calendar (service points by weeks) with placing and
//! planning stays, and one service point with its figures and its stays (visits recorded,
//! stays cancelled, details changed).

use chrono::{Datelike, Duration, NaiveDate};
use yew::prelude::*;
use yew_router::prelude::*;
use zhihui_contract::hub::{
    CreateExhibitionRequest, CreateServicePointRequest, ExhibitionDraft, ExhibitionPage,
    ExhibitionView, PlanPeriod, PlanRotationRequest, RecordVisitsRequest, RotationPlanView,
    ScheduleStayRequest, ServicePointDraft, ServicePointPage, ServicePointView, StayDays, StayPage,
    StayView, UpdateServicePointRequest,
};
use zhihui_contract::organizations::OrganizationView;
use zhihui_domain::{ExhibitionCategory, ServicePointAction, ServicePointKind, StayAction};

use super::{keep, local_error, my_orgs, options, prefix_of, refused, use_saving};
use crate::app::Route;
use crate::components::{
    confirmed, more_button, use_app, use_get, use_pages, view_load, Empty, ErrorBanner,
    RegionPicker, SelectField, TextField,
};
use crate::format;
use crate::i18n::{label, t, Lang};
use crate::services::{self, ApiError};
use crate::validate::Kind;

fn point_card(lang: Lang, p: &ServicePointView) -> Html {
    html! {
        <li class="card point">
            <h3><Link<Route> to={Route::ServicePoint { id: p.id.to_string() }}>{ p.name.clone() }</Link<Route>></h3>
            <p class="meta">
                <span class="tag">{ label(lang, "point_kind", p.kind) }</span>
                { format!(" · {} · {}", p.organization.name, p.region_name) }
            </p>
            <p class="meta">
                { p.address.clone() }
                if p.exhibition_slots > 0 { { format!(" · {} {}", t(lang, "hub.slots"), p.exhibition_slots) } }
            </p>
        </li>
    }
}

/// The hub centres' home: service points, exhibitions and the rotation calendar.
#[component]
pub fn HubCentres() -> Html {
    let app = use_app();
    let lang = app.lang;
    let tab = use_state(|| "points".to_string());
    let tabs: [(&'static str, &'static str); 3] = [
        ("points", "hub.points"),
        ("exhibitions", "hub.exhibitions"),
        ("calendar", "hub.calendar"),
    ];
    html! {
        <section class="page hub">
            <h1>{ t(lang, "hub.title") }</h1>
            <p class="meta">{ t(lang, "hub.intro") }</p>
            <nav class="tabs" aria-label={t(lang, "hub.title")}>
                { for tabs.into_iter().map(|(key, words)| {
                    let tab = tab.clone();
                    let current = *tab == *key;
                    html! {
                        <button type="button" class={classes!("tab", current.then_some("current"))} aria-pressed={current.to_string()}
                            onclick={move |_| tab.set(key.to_string())}>{ t(lang, words) }</button>
                    }
                }) }
            </nav>
            { match tab.as_str() {
                "exhibitions" => html! { <Exhibitions /> },
                "calendar" => html! { <RotationCalendar /> },
                _ => html! { <Points /> },
            } }
        </section>
    }
}

#[component]
fn Points() -> Html {
    let app = use_app();
    let lang = app.lang;
    let region = use_state(String::new);
    let kind = use_state(String::new);
    let shows = use_state(String::new);
    let text = use_state(String::new);
    let adding = use_state(|| false);
    let mut query = "/service-points?limit=50".to_string();
    if !region.is_empty() {
        query.push_str(&format!("&region={}", prefix_of(&region)));
    }
    if !kind.is_empty() {
        query.push_str(&format!("&kind={}", *kind));
    }
    if !shows.is_empty() {
        query.push_str(&format!("&shows_exhibitions={}", *shows));
    }
    if !text.trim().is_empty() {
        query.push_str(&format!("&q={}", services::enc(text.trim())));
    }
    let (page, retry, more) = use_pages::<ServicePointPage>(Some(query));
    let admin = !my_orgs(&app).is_empty();
    html! {
        <>
            if admin {
                if *adding {
                    <PointForm />
                } else {
                    <button type="button" class="primary" onclick={let a = adding.clone(); move |_| a.set(true)}>{ t(lang, "hub.add_point") }</button>
                }
            }
            <form class="filters" onsubmit={|e: SubmitEvent| e.prevent_default()}>
                <RegionPicker name="filter_region" label={t(lang, "needs.region")} value={(*region).clone()} onchange={keep(&region)} />
                <SelectField name="filter_kind" label={t(lang, "hub.kind")} value={(*kind).clone()}
                    options={options::<ServicePointKind>(lang, "point_kind")} placeholder={AttrValue::from(t(lang, "all"))} onchange={keep(&kind)} />
                <SelectField name="filter_shows" label={t(lang, "hub.shows_exhibitions")} value={(*shows).clone()}
                    options={vec![("true".into(), t(lang, "hub.yes").into()), ("false".into(), t(lang, "hub.no").into())]}
                    placeholder={AttrValue::from(t(lang, "all"))} onchange={keep(&shows)} />
                <TextField name="q" label={t(lang, "hub.search")} value={(*text).clone()} oninput={keep(&text)} />
            </form>
            { view_load(&page, lang, &retry, |p| if p.items.is_empty() { html! { <Empty /> } } else {
                html! { <ul class="cards">{ for p.items.iter().map(|x| point_card(lang, x)) }</ul> } }) }
            { more_button(lang, &page, &more) }
        </>
    }
}

#[derive(Clone, PartialEq)]
struct PointFields {
    organization: String,
    name: String,
    kind: String,
    region: String,
    address: String,
    opening_hours: String,
    capacity: String,
    slots: String,
}

/// Registering a service point for an organisation the caller administers.
#[component]
fn PointForm() -> Html {
    let app = use_app();
    let lang = app.lang;
    let nav = use_navigator();
    let orgs = my_orgs(&app);
    let form = use_state(|| PointFields {
        organization: orgs.first().map(|o| o.0.clone()).unwrap_or_default(),
        name: String::new(),
        kind: ServicePointKind::CivilisationCentre.as_str().into(),
        region: String::new(),
        address: String::new(),
        opening_hours: String::new(),
        capacity: "100".into(),
        slots: "1".into(),
    });
    let error = use_state(|| None::<ApiError>);
    let busy = use_state(|| false);
    let set = |f: fn(&mut PointFields, String)| {
        let form = form.clone();
        Callback::from(move |v: String| {
            let mut n = (*form).clone();
            f(&mut n, v);
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
            let Ok(organization_id) = f.organization.parse() else {
                error.set(Some(local_error("choose_organization")));
                return;
            };
            let body = CreateServicePointRequest {
                organization_id,
                name: f.name.trim().into(),
                kind: f.kind.clone(),
                region_code: f.region.clone(),
                address: f.address.trim().into(),
                opening_hours: f.opening_hours.trim().into(),
                capacity: f.capacity.trim().parse().unwrap_or(0),
                exhibition_slots: f.slots.trim().parse().unwrap_or(-1),
            };
            if let Err(r) = ServicePointDraft::try_from(&body) {
                error.set(Some(refused(r)));
                return;
            }
            busy.set(true);
            let (error, busy, nav, toast) =
                (error.clone(), busy.clone(), nav.clone(), toast.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match services::post::<_, ServicePointView>("/service-points", &body).await {
                    Ok(p) => {
                        toast.emit("toast.point_added");
                        if let Some(nav) = nav {
                            nav.push(&Route::ServicePoint {
                                id: p.id.to_string(),
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
    html! {
        <form class="compose point-form" novalidate=true onsubmit={submit}>
            <h2>{ t(lang, "hub.add_point") }</h2>
            <ErrorBanner error={err.clone()} />
            <SelectField name="organization_id" label={t(lang, "hub.responsible")} value={f.organization.clone()} options={orgs.clone()}
                onchange={set(|f, v| f.organization = v)} error={err.clone()} />
            <TextField name="name" label={t(lang, "hub.point_name")} value={f.name.clone()} required=true kind={Kind::Required} oninput={set(|f, v| f.name = v)} error={err.clone()} />
            <SelectField name="kind" label={t(lang, "hub.kind")} value={f.kind.clone()} options={options::<ServicePointKind>(lang, "point_kind")}
                onchange={set(|f, v| f.kind = v)} error={err.clone()} />
            <RegionPicker name="region_code" label={t(lang, "needs.county")} value={f.region.clone()} onchange={set(|f, v| f.region = v)} error={err.clone()} />
            <TextField name="address" label={t(lang, "hub.address")} value={f.address.clone()} required=true kind={Kind::Required} oninput={set(|f, v| f.address = v)} error={err.clone()} />
            <TextField name="opening_hours" label={t(lang, "hub.opening_hours")} value={f.opening_hours.clone()} oninput={set(|f, v| f.opening_hours = v)} error={err.clone()} />
            <TextField name="capacity" label={t(lang, "hub.capacity")} value={f.capacity.clone()} required=true input_type="number" inputmode="numeric" oninput={set(|f, v| f.capacity = v)} error={err.clone()} />
            <TextField name="exhibition_slots" label={t(lang, "hub.slots")} value={f.slots.clone()} required=true input_type="number" inputmode="numeric" oninput={set(|f, v| f.slots = v)} error={err.clone()} />
            <div class="actions"><button type="submit" class="primary" disabled={*busy}>{ t(lang, "save") }</button></div>
        </form>
    }
}

fn exhibition_card(lang: Lang, e: &ExhibitionView) -> Html {
    html! {
        <li class="card exhibition">
            <h3><Link<Route> to={Route::Exhibition { id: e.id.to_string() }}>{ e.title.clone() }</Link<Route>></h3>
            <p class="meta">
                <span class="tag">{ label(lang, "exhibition_category", e.category) }</span>
                { format!(" · {} · {} · {} {}", e.theme, e.owner.name, e.panels, t(lang, "hub.panels")) }
            </p>
        </li>
    }
}

#[component]
fn Exhibitions() -> Html {
    let app = use_app();
    let lang = app.lang;
    let category = use_state(String::new);
    let text = use_state(String::new);
    let adding = use_state(|| false);
    let mut query = "/exhibitions?limit=50".to_string();
    if !category.is_empty() {
        query.push_str(&format!("&category={}", *category));
    }
    if !text.trim().is_empty() {
        query.push_str(&format!("&q={}", services::enc(text.trim())));
    }
    let (page, retry, more) = use_pages::<ExhibitionPage>(Some(query));
    let admin = !my_orgs(&app).is_empty();
    html! {
        <>
            if admin {
                if *adding {
                    <ExhibitionForm done={let (a, r) = (adding.clone(), retry.clone()); Callback::from(move |_| { a.set(false); r.emit(()); })} />
                } else {
                    <button type="button" class="primary" onclick={let a = adding.clone(); move |_| a.set(true)}>{ t(lang, "hub.add_exhibition") }</button>
                }
            }
            <form class="filters" onsubmit={|e: SubmitEvent| e.prevent_default()}>
                <SelectField name="filter_category" label={t(lang, "hub.category")} value={(*category).clone()}
                    options={options::<ExhibitionCategory>(lang, "exhibition_category")} placeholder={AttrValue::from(t(lang, "all"))} onchange={keep(&category)} />
                <TextField name="q" label={t(lang, "hub.search")} value={(*text).clone()} oninput={keep(&text)} />
            </form>
            { view_load(&page, lang, &retry, |p| if p.items.is_empty() { html! { <Empty /> } } else {
                html! { <ul class="cards">{ for p.items.iter().map(|x| exhibition_card(lang, x)) }</ul> } }) }
            { more_button(lang, &page, &more) }
        </>
    }
}

#[derive(Properties, PartialEq)]
struct DoneProps {
    done: Callback<()>,
}

#[derive(Clone, PartialEq, Default)]
struct ExhibitionFields {
    owner: String,
    title: String,
    theme: String,
    category: String,
    panels: String,
    description: String,
}

#[component]
fn ExhibitionForm(props: &DoneProps) -> Html {
    let app = use_app();
    let lang = app.lang;
    let orgs = my_orgs(&app);
    let form = use_state(|| ExhibitionFields {
        owner: orgs.first().map(|o| o.0.clone()).unwrap_or_default(),
        category: ExhibitionCategory::ScientificLiving.as_str().into(),
        panels: "12".into(),
        ..Default::default()
    });
    let error = use_state(|| None::<ApiError>);
    let busy = use_state(|| false);
    let set = |f: fn(&mut ExhibitionFields, String)| {
        let form = form.clone();
        Callback::from(move |v: String| {
            let mut n = (*form).clone();
            f(&mut n, v);
            form.set(n);
        })
    };
    let submit = {
        let (form, error, busy, toast, done) = (
            form.clone(),
            error.clone(),
            busy.clone(),
            app.toast.clone(),
            props.done.clone(),
        );
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
            let body = CreateExhibitionRequest {
                owner_id,
                title: f.title.trim().into(),
                theme: f.theme.trim().into(),
                category: f.category.clone(),
                panels: f.panels.trim().parse().unwrap_or(0),
                description: f.description.trim().into(),
            };
            if let Err(r) = ExhibitionDraft::try_from(&body) {
                error.set(Some(refused(r)));
                return;
            }
            busy.set(true);
            let (error, busy, toast, done) =
                (error.clone(), busy.clone(), toast.clone(), done.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match services::post::<_, ExhibitionView>("/exhibitions", &body).await {
                    Ok(_) => {
                        toast.emit("toast.exhibition_added");
                        done.emit(());
                    }
                    Err(e) => error.set(Some(e)),
                }
                busy.set(false);
            });
        })
    };
    let f = (*form).clone();
    let err = (*error).clone();
    html! {
        <form class="compose exhibition-form" novalidate=true onsubmit={submit}>
            <h2>{ t(lang, "hub.add_exhibition") }</h2>
            <ErrorBanner error={err.clone()} />
            <SelectField name="owner_id" label={t(lang, "hub.owner")} value={f.owner.clone()} options={orgs.clone()}
                onchange={set(|f, v| f.owner = v)} error={err.clone()} />
            <TextField name="title" label={t(lang, "hub.exhibition_title")} value={f.title.clone()} required=true kind={Kind::Required} oninput={set(|f, v| f.title = v)} error={err.clone()} />
            <TextField name="theme" label={t(lang, "hub.theme")} value={f.theme.clone()} required=true kind={Kind::Required} oninput={set(|f, v| f.theme = v)} error={err.clone()} />
            <SelectField name="category" label={t(lang, "hub.category")} value={f.category.clone()} options={options::<ExhibitionCategory>(lang, "exhibition_category")}
                onchange={set(|f, v| f.category = v)} error={err.clone()} />
            <TextField name="panels" label={t(lang, "hub.panels")} value={f.panels.clone()} required=true input_type="number" inputmode="numeric" oninput={set(|f, v| f.panels = v)} error={err.clone()} />
            <TextField name="description" label={t(lang, "activity.description")} value={f.description.clone()} multiline=true oninput={set(|f, v| f.description = v)} error={err.clone()} />
            <div class="actions"><button type="submit" class="primary" disabled={*busy}>{ t(lang, "save") }</button></div>
        </form>
    }
}

/// The Monday of the week `d` falls in.
fn monday(d: NaiveDate) -> NaiveDate {
    d - Duration::days(i64::from(d.weekday().num_days_from_monday()))
}

const WEEKS: i64 = 12;

/// The rotation calendar (轮换日历) of an organisation: its service points and those its
/// exhibitions visit, by week, for twelve weeks; with placing one stay and planning a
/// rotation.
#[component]
fn RotationCalendar() -> Html {
    let app = use_app();
    let lang = app.lang;
    let orgs = my_orgs(&app);
    let org = use_state(|| orgs.first().map(|o| o.0.clone()).unwrap_or_default());
    let start =
        use_state(|| format::iso_date(monday(zhihui_domain::report::china_date(format::now()))));
    let first = format::parse_date(&start).map(monday);
    let stays_path = match (org.is_empty(), first) {
        (false, Some(f)) => Some(format!(
            "/exhibition-stays?organization_id={}&from={}&to={}&limit=200",
            *org,
            format::iso_date(f),
            format::iso_date(f + Duration::days(7 * WEEKS - 1))
        )),
        _ => None,
    };
    let (stays, retry) = use_get::<StayPage>(stays_path);
    let (owner, _) =
        use_get::<OrganizationView>((!org.is_empty()).then(|| format!("/organizations/{}", *org)));
    let region = match &owner {
        crate::components::Load::Ready(o) => Some(prefix_of(&o.region_code)),
        _ => None,
    };
    let (points, _) = use_get::<ServicePointPage>(
        region.map(|r| format!("/service-points?region={r}&shows_exhibitions=true&limit=200")),
    );
    let (exhibitions, _) = use_get::<ExhibitionPage>(
        (!org.is_empty()).then(|| format!("/exhibitions?owner_id={}&limit=200", *org)),
    );
    let point_list: Vec<(String, String)> = match &points {
        crate::components::Load::Ready(p) => p
            .items
            .iter()
            .map(|x| (x.id.to_string(), x.name.clone()))
            .collect(),
        _ => vec![],
    };
    let exhibition_list: Vec<(String, String)> = match &exhibitions {
        crate::components::Load::Ready(p) => p
            .items
            .iter()
            .map(|x| (x.id.to_string(), format!("{}（{}）", x.title, x.theme)))
            .collect(),
        _ => vec![],
    };
    if orgs.is_empty() {
        return html! { <Empty text={AttrValue::from(t(lang, "hub.calendar_for_admins"))} /> };
    }
    let calendar = |page: &StayPage| -> Html {
        let Some(first) = first else { return html! {} };
        let weeks: Vec<NaiveDate> = (0..WEEKS).map(|w| first + Duration::days(7 * w)).collect();
        // Rows: the points known to the calendar, those with stays first.
        let mut rows: Vec<(String, String)> = vec![];
        for s in &page.items {
            let key = s.service_point.id.to_string();
            if !rows.iter().any(|(k, _)| *k == key) {
                rows.push((key, s.service_point.name.clone()));
            }
        }
        for p in &point_list {
            if !rows.iter().any(|(k, _)| *k == p.0) {
                rows.push(p.clone());
            }
        }
        if rows.is_empty() {
            return html! { <Empty /> };
        }
        html! {
            <div class="table-wrap"><table class="calendar rotation">
                <thead><tr>
                    <th scope="col">{ t(lang, "hub.point") }</th>
                    { for weeks.iter().map(|w| html! { <th scope="col">{ format!("{}/{}", w.month(), w.day()) }</th> }) }
                </tr></thead>
                <tbody>{ for rows.iter().map(|(id, name)| html! {
                    <tr>
                        <th scope="row"><Link<Route> to={Route::ServicePoint { id: id.clone() }}>{ name.clone() }</Link<Route>></th>
                        { for weeks.iter().map(|w| {
                            let end = *w + Duration::days(6);
                            let here: Vec<&StayView> = page.items.iter()
                                .filter(|s| s.service_point.id.to_string() == *id && s.starts_on <= end && *w <= s.ends_on)
                                .collect();
                            html! { <td class={classes!((!here.is_empty()).then_some("busy"))}>
                                { for here.iter().map(|s| html! { <span class="stay" title={s.exhibition.title.clone()}>{ s.exhibition.theme.clone() }</span> }) }
                            </td> }
                        }) }
                    </tr>
                }) }</tbody>
            </table></div>
        }
    };
    html! {
        <>
            <form class="filters" onsubmit={|e: SubmitEvent| e.prevent_default()}>
                <SelectField name="calendar_org" label={t(lang, "hub.owner")} value={(*org).clone()} options={orgs.clone()} onchange={keep(&org)} />
                <TextField name="calendar_from" label={t(lang, "hub.from_week")} value={(*start).clone()} input_type="date" oninput={keep(&start)} />
            </form>
            { view_load(&stays, lang, &retry, calendar) }
            <PlaceStay points={point_list.clone()} exhibitions={exhibition_list.clone()} done={retry.clone()} />
            <PlanRotation owner={(*org).clone()} points={point_list} exhibitions={exhibition_list} done={retry} />
        </>
    }
}

#[derive(Properties, PartialEq)]
struct PlaceProps {
    points: Vec<(String, String)>,
    exhibitions: Vec<(String, String)>,
    done: Callback<()>,
}

/// Placing one exhibition at one service point for some days (rule 60).
#[component]
fn PlaceStay(props: &PlaceProps) -> Html {
    let app = use_app();
    let lang = app.lang;
    let exhibition = use_state(String::new);
    let point = use_state(String::new);
    let from = use_state(String::new);
    let to = use_state(String::new);
    let error = use_state(|| None::<ApiError>);
    let busy = use_state(|| false);
    let submit = {
        let (exhibition, point, from, to, error, busy, toast, done) = (
            exhibition.clone(),
            point.clone(),
            from.clone(),
            to.clone(),
            error.clone(),
            busy.clone(),
            app.toast.clone(),
            props.done.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *busy {
                return;
            }
            let (Ok(service_point_id), Some(starts_on), Some(ends_on)) = (
                point.parse(),
                format::parse_date(&from),
                format::parse_date(&to),
            ) else {
                error.set(Some(local_error("required")));
                return;
            };
            if exhibition.is_empty() {
                error.set(Some(local_error("required")));
                return;
            }
            let body = ScheduleStayRequest {
                service_point_id,
                starts_on,
                ends_on,
            };
            let today = zhihui_domain::report::china_date(format::now());
            if let Err(r) = StayDays::try_from((&body, today)) {
                error.set(Some(refused(r)));
                return;
            }
            busy.set(true);
            let path = format!("/exhibitions/{}/stays", *exhibition);
            let (error, busy, toast, done) =
                (error.clone(), busy.clone(), toast.clone(), done.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match services::post::<_, StayView>(&path, &body).await {
                    Ok(_) => {
                        error.set(None);
                        toast.emit("toast.stay_placed");
                        done.emit(());
                    }
                    Err(e) => error.set(Some(e)),
                }
                busy.set(false);
            });
        })
    };
    let err = (*error).clone();
    html! {
        <form class="compose stay-form" novalidate=true onsubmit={submit}>
            <h2>{ t(lang, "hub.place_stay") }</h2>
            <ErrorBanner error={err.clone()} />
            <SelectField name="exhibition_id" label={t(lang, "hub.exhibition")} value={(*exhibition).clone()} options={props.exhibitions.clone()}
                placeholder={AttrValue::from(t(lang, "hub.choose"))} onchange={keep(&exhibition)} error={err.clone()} />
            <SelectField name="service_point_id" label={t(lang, "hub.point")} value={(*point).clone()} options={props.points.clone()}
                placeholder={AttrValue::from(t(lang, "hub.choose"))} onchange={keep(&point)} error={err.clone()} />
            <TextField name="starts_on" label={t(lang, "hub.starts_on")} value={(*from).clone()} input_type="date" required=true oninput={keep(&from)} error={err.clone()} />
            <TextField name="ends_on" label={t(lang, "hub.ends_on")} value={(*to).clone()} input_type="date" required=true oninput={keep(&to)} error={err.clone()} />
            <div class="actions"><button type="submit" class="primary" disabled={*busy}>{ t(lang, "hub.place") }</button></div>
        </form>
    }
}

#[derive(Properties, PartialEq)]
struct PlanProps {
    owner: String,
    points: Vec<(String, String)>,
    exhibitions: Vec<(String, String)>,
    done: Callback<()>,
}

/// Planning a rotation (rule 61): the proposal is shown, then placed as it is.
#[component]
fn PlanRotation(props: &PlanProps) -> Html {
    let app = use_app();
    let lang = app.lang;
    let chosen_points = use_state(Vec::<String>::new);
    let chosen_exhibitions = use_state(Vec::<String>::new);
    let from = use_state(String::new);
    let to = use_state(String::new);
    let days = use_state(|| "30".to_string());
    let plan = use_state(|| None::<RotationPlanView>);
    let error = use_state(|| None::<ApiError>);
    let busy = use_state(|| false);
    let toggle = |list: &UseStateHandle<Vec<String>>, id: String| {
        let list = list.clone();
        Callback::from(move |_| {
            let mut l = (*list).clone();
            if let Some(i) = l.iter().position(|x| *x == id) {
                l.remove(i);
            } else {
                l.push(id.clone());
            }
            list.set(l);
        })
    };
    let propose = {
        let (owner, points, exhibitions, from, to, days, plan, error, busy) = (
            props.owner.clone(),
            chosen_points.clone(),
            chosen_exhibitions.clone(),
            from.clone(),
            to.clone(),
            days.clone(),
            plan.clone(),
            error.clone(),
            busy.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let (Ok(owner_id), Some(starts_on), Some(ends_on)) = (
                owner.parse(),
                format::parse_date(&from),
                format::parse_date(&to),
            ) else {
                error.set(Some(local_error("required")));
                return;
            };
            let body = PlanRotationRequest {
                owner_id,
                exhibition_ids: exhibitions.iter().filter_map(|x| x.parse().ok()).collect(),
                service_point_ids: points.iter().filter_map(|x| x.parse().ok()).collect(),
                starts_on,
                ends_on,
                stay_days: days.trim().parse().unwrap_or(0),
            };
            // The service's own check of the period and the stay length.
            if let Err(r) = PlanPeriod::try_from(&body) {
                error.set(Some(refused(r)));
                return;
            }
            busy.set(true);
            let (plan, error, busy) = (plan.clone(), error.clone(), busy.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match services::post::<_, RotationPlanView>("/exhibition-rotation-plans", &body)
                    .await
                {
                    Ok(p) => {
                        error.set(None);
                        plan.set(Some(p));
                    }
                    Err(e) => error.set(Some(e)),
                }
                busy.set(false);
            });
        })
    };
    let place_all = {
        let (plan, error, busy, toast, done) = (
            plan.clone(),
            error.clone(),
            busy.clone(),
            app.toast.clone(),
            props.done.clone(),
        );
        Callback::from(move |_| {
            let Some(p) = (*plan).clone() else { return };
            if *busy || !confirmed(t(lang, "hub.place_all_confirm")) {
                return;
            }
            busy.set(true);
            let (plan, error, busy, toast, done) = (
                plan.clone(),
                error.clone(),
                busy.clone(),
                toast.clone(),
                done.clone(),
            );
            wasm_bindgen_futures::spawn_local(async move {
                // One by one: a refusal (someone placed a stay meanwhile) stops there and
                // says which, the stays before it kept.
                for s in &p.stays {
                    let body = ScheduleStayRequest {
                        service_point_id: s.service_point_id,
                        starts_on: s.starts_on,
                        ends_on: s.ends_on,
                    };
                    let path = format!("/exhibitions/{}/stays", s.exhibition_id);
                    if let Err(e) = services::post::<_, StayView>(&path, &body).await {
                        error.set(Some(e));
                        busy.set(false);
                        done.emit(());
                        return;
                    }
                }
                toast.emit("toast.plan_placed");
                plan.set(None);
                busy.set(false);
                done.emit(());
            });
        })
    };
    let name_of = |list: &[(String, String)], id: &uuid::Uuid| {
        let id = id.to_string();
        list.iter()
            .find(|(k, _)| *k == id)
            .map(|(_, n)| n.clone())
            .unwrap_or(id)
    };
    let err = (*error).clone();
    html! {
        <form class="compose plan-form" novalidate=true onsubmit={propose}>
            <h2>{ t(lang, "hub.plan") }</h2>
            <p class="meta">{ t(lang, "hub.plan_intro") }</p>
            <ErrorBanner error={err.clone()} list_fields=true />
            <fieldset class="field">
                <legend>{ t(lang, "hub.exhibitions") }</legend>
                <div class="checks">{ for props.exhibitions.iter().map(|(id, name)| html! {
                    <label class="check"><input type="checkbox" name="exhibition_ids" value={id.clone()} checked={chosen_exhibitions.contains(id)}
                        onchange={toggle(&chosen_exhibitions, id.clone())} />{ name.clone() }</label>
                }) }</div>
            </fieldset>
            <fieldset class="field">
                <legend>{ t(lang, "hub.points") }</legend>
                <div class="checks">{ for props.points.iter().map(|(id, name)| html! {
                    <label class="check"><input type="checkbox" name="service_point_ids" value={id.clone()} checked={chosen_points.contains(id)}
                        onchange={toggle(&chosen_points, id.clone())} />{ name.clone() }</label>
                }) }</div>
            </fieldset>
            <TextField name="plan_starts_on" label={t(lang, "hub.starts_on")} value={(*from).clone()} input_type="date" required=true oninput={keep(&from)} />
            <TextField name="plan_ends_on" label={t(lang, "hub.ends_on")} value={(*to).clone()} input_type="date" required=true oninput={keep(&to)} />
            <TextField name="stay_days" label={t(lang, "hub.stay_days")} value={(*days).clone()} input_type="number" inputmode="numeric" oninput={keep(&days)} error={err.clone()} />
            <div class="actions"><button type="submit" disabled={*busy}>{ t(lang, "hub.propose") }</button></div>
            if let Some(p) = &*plan {
                if p.stays.is_empty() {
                    <Empty text={AttrValue::from(t(lang, "hub.plan_empty"))} />
                } else {
                    <div class="table-wrap"><table class="plan">
                        <thead><tr>
                            <th scope="col">{ t(lang, "hub.starts_on") }</th><th scope="col">{ t(lang, "hub.ends_on") }</th>
                            <th scope="col">{ t(lang, "hub.point") }</th><th scope="col">{ t(lang, "hub.exhibition") }</th>
                        </tr></thead>
                        <tbody>{ for p.stays.iter().map(|s| html! {
                            <tr>
                                <td>{ format::date(lang, s.starts_on) }</td><td>{ format::date(lang, s.ends_on) }</td>
                                <td>{ name_of(&props.points, &s.service_point_id) }</td>
                                <td>{ name_of(&props.exhibitions, &s.exhibition_id) }</td>
                            </tr>
                        }) }</tbody>
                    </table></div>
                    <button type="button" class="primary" onclick={place_all} disabled={*busy}>{ t(lang, "hub.place_all") }</button>
                }
                if !p.gaps.is_empty() {
                    <p class="meta gaps">{ format!("{} {}", t(lang, "hub.gaps"), p.gaps.len()) }</p>
                }
            }
        </form>
    }
}

#[derive(Properties, PartialEq)]
pub struct IdProps {
    pub id: String,
}

/// One service point: its details, the year's figures, and its stays now and next.
#[component]
pub fn ServicePointScreen(props: &IdProps) -> Html {
    let app = use_app();
    let lang = app.lang;
    let year = use_state(|| {
        zhihui_domain::report::china_date(format::now())
            .year()
            .to_string()
    });
    let (point, reload) =
        use_get::<ServicePointView>(Some(format!("/service-points/{}?year={}", props.id, *year)));
    let editing = use_state(|| false);
    html! {
        <section class="page service-point">
            { view_load(&point, lang, &reload, |p| html! {
                <>
                    <h1>{ p.name.clone() }</h1>
                    <p class="meta">
                        <span class="tag">{ label(lang, "point_kind", p.kind) }</span>
                        { format!(" · {} · {}", p.organization.name, p.region_name) }
                    </p>
                    <dl class="facts">
                        <dt>{ t(lang, "hub.address") }</dt><dd>{ p.address.clone() }</dd>
                        <dt>{ t(lang, "hub.opening_hours") }</dt><dd>{ p.opening_hours.clone() }</dd>
                        <dt>{ t(lang, "hub.capacity") }</dt><dd>{ p.capacity }</dd>
                        <dt>{ t(lang, "hub.slots") }</dt><dd>{ p.exhibition_slots }</dd>
                    </dl>
                    if p.allowed_actions.contains(&ServicePointAction::Update) {
                        if *editing {
                            <EditPoint point={p.clone()} done={let (e, r) = (editing.clone(), reload.clone()); Callback::from(move |_| { e.set(false); r.emit(()); })} />
                        } else {
                            <button type="button" onclick={let e = editing.clone(); move |_| e.set(true)}>{ t(lang, "hub.edit") }</button>
                        }
                    }
                    <h2>{ t(lang, "hub.figures") }</h2>
                    <form class="filters" onsubmit={|e: SubmitEvent| e.prevent_default()}>
                        <TextField name="year" label={t(lang, "hub.year")} value={(*year).clone()} input_type="number" inputmode="numeric" oninput={keep(&year)} />
                    </form>
                    if let Some(f) = &p.figures {
                        <dl class="facts figures">
                            <dt>{ t(lang, "hub.activities") }</dt><dd>{ f.activities }</dd>
                            <dt>{ t(lang, "hub.volunteers") }</dt><dd>{ f.volunteers }</dd>
                            <dt>{ t(lang, "hub.hours") }</dt><dd>{ format::hours(lang, f.hours) }</dd>
                            <dt>{ t(lang, "hub.people_served") }</dt><dd>{ f.people_served }</dd>
                            <dt>{ t(lang, "hub.exhibitions_shown") }</dt><dd>{ f.exhibitions_shown }</dd>
                            <dt>{ t(lang, "hub.guided_tours") }</dt><dd>{ f.guided_tours }</dd>
                            <dt>{ t(lang, "hub.lectures") }</dt><dd>{ f.lectures }</dd>
                        </dl>
                    }
                    <h2>{ t(lang, "hub.stays") }</h2>
                    if let Some(stays) = &p.stays {
                        if stays.is_empty() { <Empty /> } else {
                            <ul class="cards">{ for stays.iter().map(|s| html! { <StayCard stay={s.clone()} done={reload.clone()} /> }) }</ul>
                        }
                    }
                </>
            }) }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct EditPointProps {
    point: ServicePointView,
    done: Callback<()>,
}

#[component]
fn EditPoint(props: &EditPointProps) -> Html {
    let app = use_app();
    let lang = app.lang;
    let p = &props.point;
    let name = use_state(|| p.name.clone());
    let address = use_state(|| p.address.clone());
    let hours = use_state(|| p.opening_hours.clone());
    let capacity = use_state(|| p.capacity.to_string());
    let slots = use_state(|| p.exhibition_slots.to_string());
    let saving = use_saving();
    let submit = {
        let (name, address, hours, capacity, slots, saving) = (
            name.clone(),
            address.clone(),
            hours.clone(),
            capacity.clone(),
            slots.clone(),
            saving.clone(),
        );
        let (toast, done) = (app.toast.clone(), props.done.clone());
        let point = p.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let body = UpdateServicePointRequest {
                name: Some(name.trim().into()),
                address: Some(address.trim().into()),
                opening_hours: Some(hours.trim().into()),
                capacity: Some(capacity.trim().parse().unwrap_or(0)),
                exhibition_slots: Some(slots.trim().parse().unwrap_or(-1)),
                ..Default::default()
            };
            let Ok(region) = zhihui_domain::RegionCode::parse(&point.region_code) else {
                return;
            };
            let current = ServicePointDraft {
                name: point.name.clone(),
                kind: point.kind,
                region,
                address: point.address.clone(),
                opening_hours: point.opening_hours.clone(),
                capacity: point.capacity,
                exhibition_slots: point.exhibition_slots,
            };
            if let Err(r) = current.amended(&body) {
                saving.error.set(Some(refused(r)));
                return;
            }
            let (toast, done) = (toast.clone(), done.clone());
            saving.put_version::<_, ServicePointView>(
                format!("/service-points/{}", point.id),
                body,
                point.version,
                Callback::from(move |_| {
                    toast.emit("toast.point_saved");
                    done.emit(());
                }),
            );
        })
    };
    let err = (*saving.error).clone();
    let busy = saving.busy.clone();
    html! {
        <form class="compose" novalidate=true onsubmit={submit}>
            <ErrorBanner error={err.clone()} />
            <TextField name="name" label={t(lang, "hub.point_name")} value={(*name).clone()} required=true kind={Kind::Required} oninput={keep(&name)} error={err.clone()} />
            <TextField name="address" label={t(lang, "hub.address")} value={(*address).clone()} required=true kind={Kind::Required} oninput={keep(&address)} error={err.clone()} />
            <TextField name="opening_hours" label={t(lang, "hub.opening_hours")} value={(*hours).clone()} oninput={keep(&hours)} error={err.clone()} />
            <TextField name="capacity" label={t(lang, "hub.capacity")} value={(*capacity).clone()} input_type="number" inputmode="numeric" oninput={keep(&capacity)} error={err.clone()} />
            <TextField name="exhibition_slots" label={t(lang, "hub.slots")} value={(*slots).clone()} input_type="number" inputmode="numeric" oninput={keep(&slots)} error={err.clone()} />
            <div class="actions"><button type="submit" class="primary" disabled={*busy}>{ t(lang, "save") }</button></div>
        </form>
    }
}

#[derive(Properties, PartialEq)]
struct StayProps {
    stay: StayView,
    done: Callback<()>,
}

/// One stay with the steps its viewer may take: record visits, cancel.
#[component]
fn StayCard(props: &StayProps) -> Html {
    let app = use_app();
    let lang = app.lang;
    let s = &props.stay;
    let visitors = use_state(|| s.visitors.to_string());
    let tours = use_state(|| s.guided_tours.to_string());
    let lectures = use_state(|| s.lectures.to_string());
    let saving = use_saving();
    let record = {
        let (visitors, tours, lectures, saving) = (
            visitors.clone(),
            tours.clone(),
            lectures.clone(),
            saving.clone(),
        );
        let (toast, done) = (app.toast.clone(), props.done.clone());
        let (id, version) = (s.id, s.version);
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let body = RecordVisitsRequest {
                visitors: visitors.trim().parse().unwrap_or(-1),
                guided_tours: tours.trim().parse().unwrap_or(-1),
                lectures: lectures.trim().parse().unwrap_or(-1),
            };
            if let Err(r) = zhihui_domain::hub::Visits::try_from(&body) {
                saving.error.set(Some(refused(r)));
                return;
            }
            let (toast, done) = (toast.clone(), done.clone());
            saving.put_version::<_, StayView>(
                format!("/exhibition-stays/{id}/visits"),
                body,
                version,
                Callback::from(move |_| {
                    toast.emit("toast.visits_recorded");
                    done.emit(());
                }),
            );
        })
    };
    let (error, busy) = (saving.error.clone(), saving.busy.clone());
    let cancel = {
        let (error, busy, toast, done) = (
            error.clone(),
            busy.clone(),
            app.toast.clone(),
            props.done.clone(),
        );
        let (id, version) = (s.id, s.version);
        Callback::from(move |_| {
            if *busy || !confirmed(t(lang, "hub.cancel_confirm")) {
                return;
            }
            busy.set(true);
            let (error, busy, toast, done) =
                (error.clone(), busy.clone(), toast.clone(), done.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match services::act_version::<StayView>(
                    &format!("/exhibition-stays/{id}/cancel"),
                    version,
                )
                .await
                {
                    Ok(_) => {
                        toast.emit("toast.stay_cancelled");
                        done.emit(());
                    }
                    Err(e) => error.set(Some(e)),
                }
                busy.set(false);
            });
        })
    };
    let err = (*error).clone();
    html! {
        <li class="card stay">
            <h3><Link<Route> to={Route::Exhibition { id: s.exhibition.id.to_string() }}>{ s.exhibition.title.clone() }</Link<Route>></h3>
            <p class="meta">
                <span class={classes!("tag", s.status.as_str())}>{ label(lang, "stay_status", s.status) }</span>
                { format!(" · {} – {} · {}", format::date(lang, s.starts_on), format::date(lang, s.ends_on), s.service_point.name) }
            </p>
            if s.visits_recorded_at.is_some() {
                <p class="meta">{ format!("{} {} · {} {} · {} {}", t(lang, "hub.visitors"), s.visitors, t(lang, "hub.guided_tours"), s.guided_tours, t(lang, "hub.lectures"), s.lectures) }</p>
            }
            <ErrorBanner error={err.clone()} />
            if s.allowed_actions.contains(&StayAction::RecordVisits) {
                <form class="compose inline" novalidate=true onsubmit={record}>
                    <TextField name="visitors" label={t(lang, "hub.visitors")} value={(*visitors).clone()} input_type="number" inputmode="numeric" oninput={keep(&visitors)} error={err.clone()} />
                    <TextField name="guided_tours" label={t(lang, "hub.guided_tours")} value={(*tours).clone()} input_type="number" inputmode="numeric" oninput={keep(&tours)} error={err.clone()} />
                    <TextField name="lectures" label={t(lang, "hub.lectures")} value={(*lectures).clone()} input_type="number" inputmode="numeric" oninput={keep(&lectures)} error={err.clone()} />
                    <div class="actions"><button type="submit" class="primary" disabled={*busy}>{ t(lang, "hub.record_visits") }</button></div>
                </form>
            }
            if s.allowed_actions.contains(&StayAction::Cancel) {
                <button type="button" class="danger" onclick={cancel} disabled={*busy}>{ t(lang, "hub.cancel_stay") }</button>
            }
        </li>
    }
}

/// One exhibition and where it shows now and next.
#[component]
pub fn ExhibitionScreen(props: &IdProps) -> Html {
    let app = use_app();
    let lang = app.lang;
    let (exhibition, reload) =
        use_get::<ExhibitionView>(Some(format!("/exhibitions/{}", props.id)));
    html! {
        <section class="page exhibition">
            { view_load(&exhibition, lang, &reload, |e| html! {
                <>
                    <h1>{ e.title.clone() }</h1>
                    <p class="meta">
                        <span class="tag">{ label(lang, "exhibition_category", e.category) }</span>
                        { format!(" · {} · {} · {} {}", e.theme, e.owner.name, e.panels, t(lang, "hub.panels")) }
                    </p>
                    if !e.description.is_empty() { <p>{ e.description.clone() }</p> }
                    <h2>{ t(lang, "hub.stays") }</h2>
                    if let Some(stays) = &e.stays {
                        if stays.is_empty() { <Empty /> } else {
                            <ul class="cards">{ for stays.iter().map(|s| html! { <StayCard stay={s.clone()} done={reload.clone()} /> }) }</ul>
                        }
                    }
                </>
            }) }
        </section>
    }
}
