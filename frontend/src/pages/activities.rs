//! Browsing and searching activities, one activity's page (signing up, and for its
//! organisation's admins: publishing, the check-in code, attendance and hours), and
//! checking in by code.

use serde::Deserialize;
use yew::prelude::*;
use yew_router::prelude::*;
use zhihui_contract::activities::{
    ActivityPage as ActivityPageDto, ActivityView, AttendanceRecord, AttendanceRequest,
    AttendanceView, CancelActivityRequest, CheckInCodeView, CheckInRequest, ConfirmHoursRequest,
    ConfirmHoursView, HoursEntryInput, SignUpPage, SignUpView,
};
use zhihui_contract::records::{CertificateView, IssueCertificateRequest};
use zhihui_domain::{ActivityAction, ActivityStatus, SignUpStatus};
#[cfg(feature = "staff")]
use {
    crate::components::TextField,
    zhihui_contract::activities::{ActivityPlan, UpdateActivityRequest},
};

use super::local_error;
use crate::app::Route;
use crate::components::{
    checked, input_value, use_app, use_get, view_load, Empty, ErrorBanner, Load, RegionPicker,
    Spinner,
};
use crate::components::{more_button, use_pages};
use crate::format;
use crate::i18n::{fill, label, t, Lang};
use crate::services::{self, enc, ApiError};

/// One activity as a card in a list.
pub fn activity_card(lang: Lang, a: &ActivityView) -> Html {
    html! {
        <li class="card activity">
            <h3><Link<Route> to={Route::Activity { id: a.id.to_string() }}>{ a.title.clone() }</Link<Route>></h3>
            <p class="meta">
                <span class="tag">{ label(lang, "category", a.category) }</span>
                if a.status != ActivityStatus::Published { <span class={classes!("tag", a.status.as_str())}>{ label(lang, "status", a.status) }</span> }
                { format!(" {} · {}", format::date_time(lang, a.starts_at), a.region_name) }
            </p>
            <p class="meta">{ a.place.clone() }{ " · " }{ a.organization_name.clone() }</p>
            <p class="meta">{ format!("{} {}/{}", t(lang, "activity.places_left"), a.places_left, a.capacity) }
                if a.waitlist_length > 0 { { format!(" · {} {}", t(lang, "activity.waitlist"), a.waitlist_length) } }
            </p>
        </li>
    }
}

#[component]
pub fn ActivityList() -> Html {
    let app = use_app();
    let lang = app.lang;
    let q = use_state(String::new);
    let region = use_state(String::new);
    let category = use_state(String::new);
    // The filter that was applied (changes only on search), the items so far and the cursor.
    let applied = use_state(|| (String::new(), String::new(), String::new()));
    let items = use_state(Vec::<ActivityView>::new);
    let cursor = use_state(|| None::<String>);
    let loading = use_state(|| true);
    let error = use_state(|| None::<ApiError>);

    let fetch = {
        let (items, cursor, loading, error) = (
            items.clone(),
            cursor.clone(),
            loading.clone(),
            error.clone(),
        );
        Callback::from(
            move |(filter, after, append): ((String, String, String), Option<String>, bool)| {
                let (items, cursor, loading, error) = (
                    items.clone(),
                    cursor.clone(),
                    loading.clone(),
                    error.clone(),
                );
                loading.set(true);
                let mut path = String::from("/activities?status=published&limit=20");
                let now = format::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
                path.push_str(&format!("&from={}", enc(&now)));
                if !filter.0.trim().is_empty() {
                    path.push_str(&format!("&q={}", enc(filter.0.trim())));
                }
                if !filter.1.is_empty() {
                    path.push_str(&format!("&region_code={}", &filter.1[..2]));
                }
                if !filter.2.is_empty() {
                    path.push_str(&format!("&category={}", filter.2));
                }
                if let Some(c) = after {
                    path.push_str(&format!("&cursor={}", enc(&c)));
                }
                let previous = (*items).clone();
                wasm_bindgen_futures::spawn_local(async move {
                    match services::get::<ActivityPageDto>(&path).await {
                        Ok(page) => {
                            let mut all = if append { previous } else { vec![] };
                            all.extend(page.items);
                            items.set(all);
                            cursor.set(page.next_cursor);
                            error.set(None);
                        }
                        Err(e) => error.set(Some(e)),
                    }
                    loading.set(false);
                });
            },
        )
    };
    {
        let fetch = fetch.clone();
        use_effect_with((*applied).clone(), move |f| {
            fetch.emit((f.clone(), None, false))
        });
    }
    let onsubmit = {
        let (q, region, category, applied) =
            (q.clone(), region.clone(), category.clone(), applied.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            applied.set(((*q).clone(), (*region).clone(), (*category).clone()));
        })
    };
    let more = {
        let (fetch, applied, cursor) = (fetch.clone(), applied.clone(), cursor.clone());
        Callback::from(move |_| fetch.emit(((*applied).clone(), (*cursor).clone(), true)))
    };
    html! {
        <section class="page">
            <h1>{ t(lang, "activities.title") }</h1>
            <form class="filters" {onsubmit} role="search">
                <input type="search" name="q" aria-label={t(lang, "activities.search")} placeholder={t(lang, "activities.search")}
                    value={(*q).clone()} oninput={let q = q.clone(); Callback::from(move |e: InputEvent| q.set(input_value(&e)))} />
                <RegionPicker name="region" label={t(lang, "activities.region")} value={(*region).clone()} provinces_only=true
                    onchange={let r = region.clone(); Callback::from(move |v| r.set(v))} />
                <select aria-label={t(lang, "activities.category")}
                    onchange={let c = category.clone(); Callback::from(move |e: Event| {
                        if let Some(s) = e.target_dyn_into::<web_sys::HtmlSelectElement>() { c.set(s.value()); }
                    })}>
                    <option value="" selected={category.is_empty()}>{ format!("{} · {}", t(lang, "activities.category"), t(lang, "all")) }</option>
                    { for zhihui_domain::ActivityCategory::ALL.iter().map(|c| html! { <option value={c.as_str()} selected={*category == c.as_str()}>{ label(lang, "category", c) }</option> }) }
                </select>
                <button type="submit" class="primary">{ t(lang, "search") }</button>
            </form>
            <ErrorBanner error={(*error).clone()} />
            if items.is_empty() && *loading {
                <Spinner />
            } else if items.is_empty() && error.is_none() {
                <Empty />
            } else {
                <ul class="cards">{ for items.iter().map(|a| activity_card(lang, a)) }</ul>
            }
            if cursor.is_some() {
                <button type="button" onclick={more} disabled={*loading}>{ t(lang, "more") }</button>
            }
        </section>
    }
}

#[derive(Properties, PartialEq)]
pub struct ActivityPageProps {
    pub id: String,
    /// Opened to edit the activity (its admins): the editor starts open.
    #[prop_or_default]
    pub editing: bool,
}

#[component]
pub fn ActivityPage(props: &ActivityPageProps) -> Html {
    let app = use_app();
    let lang = app.lang;
    let (activity, reload) = use_get::<ActivityView>(Some(format!("/activities/{}", props.id)));
    let error = use_state(|| None::<ApiError>);
    let busy = use_state(|| false);

    let run = {
        let (error, busy, reload) = (error.clone(), busy.clone(), reload.clone());
        move |action: &'static str, id: uuid::Uuid| {
            let (error, busy, reload) = (error.clone(), busy.clone(), reload.clone());
            Callback::from(move |_| {
                if *busy {
                    return;
                }
                busy.set(true);
                let (error, busy, reload) = (error.clone(), busy.clone(), reload.clone());
                wasm_bindgen_futures::spawn_local(async move {
                    let result = match action {
                        "sign_up" => {
                            services::act::<SignUpView>(&format!("/activities/{id}/sign-ups"))
                                .await
                                .map(drop)
                        }
                        "withdraw" => services::delete::<SignUpView>(&format!(
                            "/activities/{id}/sign-ups/mine"
                        ))
                        .await
                        .map(drop),
                        "cancel" => {
                            let Some(reason) = web_sys::window()
                                .and_then(|w| {
                                    w.prompt_with_message(t(lang, "activity.cancel_reason"))
                                        .ok()
                                        .flatten()
                                })
                                .map(|r| r.trim().to_string())
                                .filter(|r| !r.is_empty())
                            else {
                                busy.set(false);
                                return;
                            };
                            services::post::<_, ActivityView>(
                                &format!("/activities/{id}/cancel"),
                                &CancelActivityRequest { reason },
                            )
                            .await
                            .map(drop)
                        }
                        _ => services::act::<ActivityView>(&format!("/activities/{id}/publish"))
                            .await
                            .map(drop),
                    };
                    match result {
                        Ok(()) => error.set(None),
                        Err(e) => error.set(Some(e)),
                    }
                    reload.emit(());
                    busy.set(false);
                });
            })
        }
    };

    view_load(&activity, lang, &reload, |a| {
        // What the caller may do is the view's `allowed_actions` (the domain's rule): leaders
        // run check-in and attendance too (rule 20); confirming hours stays with admins.
        let admin = app.administers(a.organization_id);
        let me = app.me.clone();
        let mine = a
            .my_sign_up
            .as_ref()
            .filter(|s| s.status != SignUpStatus::Cancelled);
        let can = |x: ActivityAction| a.allowed_actions.contains(&x);
        html! {
            <section class="page">
                <p><Link<Route> to={Route::Activities}>{ "← " }{ t(lang, "nav.activities") }</Link<Route>></p>
                <h1>{ a.title.clone() }</h1>
                <p class="meta">
                    <span class="tag">{ label(lang, "category", a.category) }</span>
                    <span class={classes!("tag", a.status.as_str())}>{ label(lang, "status", a.status) }</span>
                </p>
                <dl class="facts">
                    <dt>{ t(lang, "activity.when") }</dt>
                    <dd>{ format!("{} – {}", format::date_time(lang, a.starts_at), format::date_time(lang, a.ends_at)) }</dd>
                    <dt>{ t(lang, "activity.place") }</dt><dd>{ format!("{} · {}", a.place, a.region_name) }</dd>
                    <dt>{ t(lang, "activity.org") }</dt><dd>{ a.organization_name.clone() }</dd>
                    if !a.leaders.is_empty() {
                        <dt>{ t(lang, "activity.leaders") }</dt>
                        <dd>{ a.leaders.iter().map(|l| l.name.clone()).collect::<Vec<_>>().join("、") }</dd>
                    }
                    <dt>{ t(lang, "activity.places") }</dt>
                    <dd>{ format!("{}/{} · {} {}", a.places_taken, a.capacity, t(lang, "activity.waitlist"), a.waitlist_length) }</dd>
                </dl>
                <p class="description">{ a.description.clone() }</p>
                <ErrorBanner error={(*error).clone()} />
                <div class="actions">
                    if let Some(s) = mine {
                        <p class="status" role="status">
                            { if s.status == SignUpStatus::Waitlisted {
                                fill(lang, "activity.waitlisted_at", &s.waitlist_position.unwrap_or(0).to_string())
                              } else if s.checked_in_at.is_some() {
                                t(lang, "activity.checked_in").to_string()
                              } else { t(lang, "activity.signed_up").to_string() } }
                        </p>
                        if can(ActivityAction::CheckIn) {
                            <Link<Route> to={Route::CheckIn} classes="button">{ t(lang, "check_in.title") }</Link<Route>>
                        }
                        if can(ActivityAction::WithdrawSignUp) {
                            <button type="button" onclick={run("withdraw", a.id)} disabled={*busy}>{ t(lang, "activity.cancel_sign_up") }</button>
                        }
                    } else if can(ActivityAction::SignUp) {
                        <button type="button" class="primary" onclick={run("sign_up", a.id)} disabled={*busy}>{ t(lang, "activity.sign_up") }</button>
                    } else if a.sign_up_open {
                        if me.is_none() {
                            <Link<Route> to={Route::SignIn} classes="button primary">{ t(lang, "activity.sign_in_to_sign_up") }</Link<Route>>
                        } else if me.as_ref().is_some_and(|m| m.volunteer_id.is_none()) {
                            <Link<Route> to={Route::Register} classes="button primary">{ t(lang, "activity.register_first") }</Link<Route>>
                        }
                    }
                    if can(ActivityAction::Publish) {
                        <button type="button" class="primary" onclick={run("publish", a.id)} disabled={*busy}>{ t(lang, "activity.publish") }</button>
                    }
                    if can(ActivityAction::Cancel) {
                        <button type="button" class="danger" onclick={run("cancel", a.id)} disabled={*busy}>{ t(lang, "activity.cancel") }</button>
                    }
                </div>
                if can(ActivityAction::Update) {
                    { edit_activity(lang, a, props.editing, &reload) }
                }
                if can(ActivityAction::IssueCheckInCode) {
                    <CheckInCode id={a.id} />
                }
                if can(ActivityAction::RecordAttendance) {
                    <Participants activity={a.clone()} can_confirm={admin} />
                }
            </section>
        }
    })
}

/// The editor, in the staff build; the volunteers' build links to the page that opens it
/// (loaded in the staff build), so phones do not download it.
#[cfg(feature = "staff")]
fn edit_activity(_: Lang, a: &ActivityView, open: bool, reload: &Callback<()>) -> Html {
    html! { <EditActivity activity={a.clone()} done={reload.clone()} {open} /> }
}

#[cfg(not(feature = "staff"))]
fn edit_activity(lang: Lang, a: &ActivityView, _: bool, _: &Callback<()>) -> Html {
    html! {
        <p><Link<Route> to={Route::EditActivity { id: a.id.to_string() }} classes="button">{ t(lang, "activity.edit") }</Link<Route>></p>
    }
}

#[cfg(feature = "staff")]
#[derive(Properties, PartialEq)]
struct EditActivityProps {
    activity: ActivityView,
    done: Callback<()>,
    /// Opened at once (the page was opened to edit it).
    open: bool,
}

/// Changing a draft or published activity (its admins): the fields a plan is made of,
/// checked as a whole with the service's own rule before sending, and sent with the
/// version read so that someone else's change in between is not overwritten.
#[cfg(feature = "staff")]
#[component]
fn EditActivity(props: &EditActivityProps) -> Html {
    let app = use_app();
    let lang = app.lang;
    let a = &props.activity;
    let title = use_state(|| a.title.clone());
    let description = use_state(|| a.description.clone());
    let starts = use_state(|| format::to_local_input(a.starts_at));
    let ends = use_state(|| format::to_local_input(a.ends_at));
    let place = use_state(|| a.place.clone());
    let capacity = use_state(|| a.capacity.to_string());
    let saving = super::use_saving();
    let onsubmit = {
        let (title, description, starts, ends, place, capacity) = (
            title.clone(),
            description.clone(),
            starts.clone(),
            ends.clone(),
            place.clone(),
            capacity.clone(),
        );
        let (saving, done, current) = (saving.clone(), props.done.clone(), a.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let when = |field: &str, s: &str| {
                format::from_local_input(s).ok_or_else(|| super::field_error(field, "required"))
            };
            let (starts_at, ends_at) = match (when("starts_at", &starts), when("ends_at", &ends)) {
                (Ok(s), Ok(e)) => (s, e),
                (Err(e), _) | (_, Err(e)) => {
                    saving.error.set(Some(e));
                    return;
                }
            };
            let body = UpdateActivityRequest {
                title: Some(title.trim().to_string()),
                description: Some(description.trim().to_string()),
                starts_at: Some(starts_at),
                ends_at: Some(ends_at),
                place: Some(place.trim().to_string()),
                capacity: Some(capacity.trim().parse().unwrap_or(0)),
                ..Default::default()
            };
            // The service's own check of the plan as it will be after the change.
            if let Some(Err(r)) = ActivityPlan::of(&current).map(|p| p.amended(&body)) {
                saving.error.set(Some(super::refused(r)));
                return;
            }
            saving.put_version::<_, ActivityView>(
                format!("/activities/{}", current.id),
                body,
                current.version,
                done.clone(),
            );
        })
    };
    let err = (*saving.error).clone();
    let set = super::keep;
    let (saved, busy) = (saving.saved.clone(), saving.busy.clone());
    html! {
        <details class="panel edit" open={props.open}>
            <summary>{ t(lang, "activity.edit") }</summary>
            <form {onsubmit} novalidate=true>
                <ErrorBanner error={err.clone()} />
                if *saved { <p class="success" role="status">{ t(lang, "activity.saved") }</p> }
                <TextField name="title" label={t(lang, "activity.title_field")} value={(*title).clone()} required=true oninput={set(&title)} error={err.clone()} />
                <TextField name="description" label={t(lang, "activity.description")} value={(*description).clone()} multiline=true oninput={set(&description)} error={err.clone()} />
                <TextField name="starts_at" label={t(lang, "activity.starts_at")} value={(*starts).clone()} required=true input_type="datetime-local" oninput={set(&starts)} error={err.clone()} />
                <TextField name="ends_at" label={t(lang, "activity.ends_at")} value={(*ends).clone()} required=true input_type="datetime-local" oninput={set(&ends)} error={err.clone()} />
                <TextField name="place" label={t(lang, "activity.place")} value={(*place).clone()} required=true oninput={set(&place)} error={err.clone()} />
                <TextField name="capacity" label={t(lang, "activity.capacity")} value={(*capacity).clone()} required=true input_type="number" inputmode="numeric" oninput={set(&capacity)} error={err.clone()} />
                <button type="submit" class="primary" disabled={*busy}>{ t(lang, "save") }</button>
            </form>
        </details>
    }
}

#[derive(Properties, PartialEq)]
struct UuidProps {
    id: uuid::Uuid,
}

fn qr_svg(text: &str) -> Html {
    match qrcode::QrCode::new(text.as_bytes()) {
        Ok(code) => {
            let svg = code
                .render::<qrcode::render::svg::Color>()
                .min_dimensions(240, 240)
                .quiet_zone(true)
                .build();
            Html::from_html_unchecked(AttrValue::from(svg))
        }
        Err(_) => html! {},
    }
}

/// The leader's screen: the current check-in code, large, with its QR code (a phone's camera
/// opens the check-in page with the code filled in).
#[component]
fn CheckInCode(props: &UuidProps) -> Html {
    let app = use_app();
    let lang = app.lang;
    let code = use_state(|| None::<CheckInCodeView>);
    let error = use_state(|| None::<ApiError>);
    let onclick = {
        let (code, error, id) = (code.clone(), error.clone(), props.id);
        Callback::from(move |_| {
            let (code, error) = (code.clone(), error.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match services::act::<CheckInCodeView>(&format!("/activities/{id}/check-in-codes"))
                    .await
                {
                    Ok(c) => {
                        code.set(Some(c));
                        error.set(None);
                    }
                    Err(e) => error.set(Some(e)),
                }
            });
        })
    };
    html! {
        <section class="panel">
            <h2>{ t(lang, "activity.check_in_code") }</h2>
            <ErrorBanner error={(*error).clone()} />
            if let Some(c) = &*code {
                <div class="check-in-code">
                    <p class="code" aria-label={t(lang, "activity.check_in_code")}>{ c.code.clone() }</p>
                    <div class="qr">{ qr_svg(&c.qr_text) }</div>
                    <p class="meta">{ fill(lang, "activity.code_rotates", &format::date_time(lang, c.rotates_at)) }</p>
                </div>
            }
            <button type="button" {onclick}>{ t(lang, "activity.show_code") }</button>
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct ParticipantsProps {
    activity: ActivityView,
    /// Admins confirm hours and issue certificates; leaders see the list.
    can_confirm: bool,
}

/// Participants with their attendance; hours confirmed in bulk (the selected, or everyone who
/// attended); a certificate issued for a participant with confirmed hours.
#[component]
fn Participants(props: &ParticipantsProps) -> Html {
    let app = use_app();
    let lang = app.lang;
    let a = &props.activity;
    let (sign_ups, reload, more_sign_ups) =
        use_pages::<SignUpPage>(Some(format!("/activities/{}/sign-ups?limit=200", a.id)));
    let ended = props.can_confirm && a.ends_at <= format::now();
    let selected = use_state(Vec::<uuid::Uuid>::new);
    // Hours typed by hand per volunteer (otherwise computed from check-in and check-out).
    let typed = use_state(std::collections::HashMap::<uuid::Uuid, String>::new);
    let error = use_state(|| None::<ApiError>);
    let busy = use_state(|| false);
    let notice = use_state(|| None::<String>);
    let reason = use_state(String::new);

    // Attendance by hand (rule 20): present for the activity's whole time, or absent; the
    // reason is kept with who recorded it and when.
    let attend = {
        let (error, reload, reason) = (error.clone(), reload.clone(), reason.clone());
        let (id, starts_at, ends_at) = (a.id, a.starts_at, a.ends_at);
        move |volunteer: uuid::Uuid, absent: bool| {
            let (error, reload, reason) = (error.clone(), reload.clone(), reason.clone());
            Callback::from(move |_| {
                let body = AttendanceRequest {
                    checked_in_at: (!absent).then_some(starts_at),
                    checked_out_at: (!absent).then_some(ends_at),
                    absent,
                    reason: reason.trim().to_string(),
                };
                // The service's own check against the activity's time.
                if let Err(r) = AttendanceRecord::try_from((&body, starts_at, ends_at)) {
                    error.set(Some(super::refused(r)));
                    return;
                }
                let (error, reload) = (error.clone(), reload.clone());
                wasm_bindgen_futures::spawn_local(async move {
                    match services::put::<_, AttendanceView>(
                        &format!("/activities/{id}/attendance/{volunteer}"),
                        &body,
                    )
                    .await
                    {
                        Ok(_) => error.set(None),
                        Err(e) => error.set(Some(e)),
                    }
                    reload.emit(());
                });
            })
        }
    };

    let confirm = {
        let (selected, error, busy, reload, notice, typed) = (
            selected.clone(),
            error.clone(),
            busy.clone(),
            reload.clone(),
            notice.clone(),
            typed.clone(),
        );
        let id = a.id;
        move |all: bool| {
            let (selected, error, busy, reload, notice, typed) = (
                selected.clone(),
                error.clone(),
                busy.clone(),
                reload.clone(),
                notice.clone(),
                typed.clone(),
            );
            Callback::from(move |_| {
                if *busy {
                    return;
                }
                if !all && selected.is_empty() {
                    error.set(Some(local_error("nothing_selected")));
                    return;
                }
                let entered =
                    |v: &uuid::Uuid| typed.get(v).and_then(|h| h.trim().parse::<f64>().ok());
                let entries: Vec<HoursEntryInput> = if all {
                    typed
                        .keys()
                        .filter_map(|v| {
                            entered(v).map(|h| HoursEntryInput {
                                volunteer_id: *v,
                                hours: Some(h),
                                reason: None,
                            })
                        })
                        .collect()
                } else {
                    selected
                        .iter()
                        .map(|v| HoursEntryInput {
                            volunteer_id: *v,
                            hours: entered(v),
                            reason: None,
                        })
                        .collect()
                };
                busy.set(true);
                let body = ConfirmHoursRequest { all, entries };
                let (error, busy, reload, notice, selected) = (
                    error.clone(),
                    busy.clone(),
                    reload.clone(),
                    notice.clone(),
                    selected.clone(),
                );
                wasm_bindgen_futures::spawn_local(async move {
                    match services::post::<_, ConfirmHoursView>(
                        &format!("/activities/{id}/service-hours"),
                        &body,
                    )
                    .await
                    {
                        Ok(v) => {
                            error.set(None);
                            notice.set(Some(
                                v.results
                                    .iter()
                                    .map(|r| {
                                        format!(
                                            "{} {}",
                                            r.volunteer_name,
                                            format::hours(lang, r.hours)
                                        )
                                    })
                                    .collect::<Vec<_>>()
                                    .join("，"),
                            ));
                            selected.set(vec![]);
                        }
                        Err(e) => error.set(Some(e)),
                    }
                    reload.emit(());
                    busy.set(false);
                });
            })
        }
    };
    let issue = {
        let (error, notice) = (error.clone(), notice.clone());
        let org = a.organization_id;
        move |volunteer: uuid::Uuid| {
            let (error, notice) = (error.clone(), notice.clone());
            Callback::from(move |_| {
                let (error, notice) = (error.clone(), notice.clone());
                let body = IssueCertificateRequest {
                    organization_id: org,
                    volunteer_id: volunteer,
                    period_from: None,
                    period_to: None,
                    handler_name: None,
                    contact_phone: None,
                };
                wasm_bindgen_futures::spawn_local(async move {
                    match services::post::<_, CertificateView>("/certificates", &body).await {
                        Ok(c) => {
                            error.set(None);
                            notice.set(Some(format!("{} {}", t(lang, "verify.number"), c.number)));
                        }
                        Err(e) => error.set(Some(e)),
                    }
                });
            })
        }
    };
    html! {
        <section class="panel">
            <h2>{ t(lang, "activity.participants") }</h2>
            <ErrorBanner error={(*error).clone()} />
            if let Some(n) = &*notice { <p class="success" role="status">{ n.clone() }</p> }
            <crate::components::TextField name="reason" label={t(lang, "activity.attendance_reason")} value={(*reason).clone()} required=true
                oninput={let r = reason.clone(); Callback::from(move |v| r.set(v))} error={(*error).clone()} />
            { view_load(&sign_ups, lang, &reload, |page| {
                let rows: Vec<&SignUpView> = page.items.iter().filter(|s| s.status != SignUpStatus::Cancelled).collect();
                if rows.is_empty() {
                    return html! { <Empty /> };
                }
                let all_ids: Vec<uuid::Uuid> = rows.iter().filter(|s| s.status == SignUpStatus::Confirmed).map(|s| s.volunteer_id).collect();
                let select_all = {
                    let selected = selected.clone();
                    Callback::from(move |e: Event| selected.set(if checked(&e) { all_ids.clone() } else { vec![] }))
                };
                html! {
                    <div class="table-wrap">
                    <table>
                        <thead><tr>
                            <th><input type="checkbox" aria-label={t(lang, "select_all")} onchange={select_all} /></th>
                            <th>{ t(lang, "field.name") }</th><th>{ t(lang, "field.phone") }</th>
                            <th>{ t(lang, "activity.status") }</th><th>{ t(lang, "activity.checked_in") }</th>
                            <th>{ t(lang, "activity.hours") }</th><th></th>
                        </tr></thead>
                        <tbody>
                        { for rows.iter().map(|s| {
                            let v = s.volunteer_id;
                            let on = selected.contains(&v);
                            let onchange = {
                                let selected = selected.clone();
                                Callback::from(move |e: Event| {
                                    let mut next = (*selected).clone();
                                    next.retain(|x| *x != v);
                                    if checked(&e) { next.push(v); }
                                    selected.set(next);
                                })
                            };
                            html! {
                                <tr>
                                    <td><input type="checkbox" aria-label={s.volunteer_name.clone()} checked={on} {onchange} disabled={s.status != SignUpStatus::Confirmed} /></td>
                                    <td>{ s.volunteer_name.clone() }<br/><span class="muted">{ s.volunteer_number.clone() }</span></td>
                                    <td>{ s.phone_masked.clone() }</td>
                                    <td>{ if s.status == SignUpStatus::Waitlisted { fill(lang, "activity.waitlisted_at", &s.waitlist_position.unwrap_or(0).to_string()) } else { label(lang, "status", s.status) } }</td>
                                    <td>
                                        { if s.absent { t(lang, "activity.absent").to_string() } else { s.checked_in_at.map(|t| format::date_time(lang, t)).unwrap_or_else(|| "—".into()) } }
                                        if s.status == SignUpStatus::Confirmed && s.confirmed_hours.is_none() {
                                            <div class="row-actions">
                                                <button type="button" class="link" onclick={attend(v, false)}>{ t(lang, "activity.mark_present") }</button>
                                                <button type="button" class="link" onclick={attend(v, true)}>{ t(lang, "activity.mark_absent") }</button>
                                            </div>
                                        }
                                    </td>
                                    <td class="hours">
                                        { s.confirmed_hours.map(|h| format::hours(lang, h)).unwrap_or_else(|| "—".into()) }
                                        if ended && s.status == SignUpStatus::Confirmed && s.confirmed_hours.is_none() {
                                            <input type="number" step="0.5" min="0" class="hours-input" inputmode="decimal"
                                                aria-label={format!("{} · {}", s.volunteer_name, t(lang, "activity.hours"))}
                                                value={typed.get(&v).cloned().unwrap_or_default()}
                                                oninput={let typed = typed.clone(); Callback::from(move |e: InputEvent| {
                                                    let mut n = (*typed).clone(); n.insert(v, input_value(&e)); typed.set(n);
                                                })} />
                                        }
                                    </td>
                                    <td>if props.can_confirm && s.confirmed_hours.is_some_and(|h| h > 0.0) {
                                        <button type="button" onclick={issue(v)}>{ t(lang, "activity.issue_certificate") }</button>
                                    }</td>
                                </tr>
                            }
                        }) }
                        </tbody>
                    </table>
                    </div>
                }
            }) }
            { more_button(lang, &sign_ups, &more_sign_ups) }
            if ended {
                <div class="actions">
                    <button type="button" onclick={confirm(false)} disabled={*busy}>{ t(lang, "activity.confirm_selected") }</button>
                    <button type="button" class="primary" onclick={confirm(true)} disabled={*busy}>{ t(lang, "activity.confirm_all") }</button>
                </div>
            }
        </section>
    }
}

/// The check-in page's query, as the leader's QR code fills it in.
#[derive(Deserialize, serde::Serialize, Default)]
pub struct CheckInQuery {
    activity: Option<String>,
    code: Option<String>,
}

/// Where a check-in scanned while signed out is kept until the volunteer has signed in.
pub const PENDING_CHECK_IN: &str = "zhihui.pending_check_in";

/// Checking in (or out) with the code the leader shows; the QR code opens this page with
/// both filled in.
#[component]
pub fn CheckIn() -> Html {
    let app = use_app();
    let lang = app.lang;
    let location = use_location();
    let query: CheckInQuery = location
        .and_then(|l| l.query::<CheckInQuery>().ok())
        .unwrap_or_default();
    let code = use_state(|| query.code.clone().unwrap_or_default());
    let activity_id = query.activity.clone();
    let (mine, _) = use_get::<zhihui_contract::activities::MySignUpPage>(
        app.me
            .as_ref()
            .filter(|m| m.volunteer_id.is_some())
            .map(|_| "/volunteers/me/sign-ups?limit=50".to_string()),
    );
    let chosen = use_state(|| activity_id.clone().unwrap_or_default());
    let error = use_state(|| None::<ApiError>);
    let done = use_state(|| None::<&'static str>);
    let busy = use_state(|| false);
    if app.me.is_none() {
        // Scanned while signed out: the code waits for the sign-in, which comes back here.
        if query.code.is_some() {
            services::keep(
                PENDING_CHECK_IN,
                &serde_json::to_string(&query).unwrap_or_default(),
            );
        }
        return html! {
            <section class="page narrow">
                <h1>{ t(lang, "check_in.title") }</h1>
                <Link<Route> to={Route::SignIn} classes="button primary">{ t(lang, "nav.sign_in") }</Link<Route>>
            </section>
        };
    }
    let submit = {
        let (code, chosen, error, done, busy) = (
            code.clone(),
            chosen.clone(),
            error.clone(),
            done.clone(),
            busy.clone(),
        );
        move |out: bool| {
            let (code, chosen, error, done, busy) = (
                code.clone(),
                chosen.clone(),
                error.clone(),
                done.clone(),
                busy.clone(),
            );
            Callback::from(move |e: MouseEvent| {
                e.prevent_default();
                if *busy || chosen.is_empty() {
                    return;
                }
                busy.set(true);
                let body = CheckInRequest {
                    code: code.trim().to_string(),
                };
                let path = format!(
                    "/activities/{}/{}",
                    *chosen,
                    if out { "check-out" } else { "check-in" }
                );
                let (error, done, busy) = (error.clone(), done.clone(), busy.clone());
                wasm_bindgen_futures::spawn_local(async move {
                    match services::post::<_, SignUpView>(&path, &body).await {
                        Ok(_) => {
                            error.set(None);
                            done.set(Some(if out { "check_out.ok" } else { "check_in.ok" }));
                        }
                        Err(e) => {
                            done.set(None);
                            error.set(Some(e));
                        }
                    }
                    busy.set(false);
                });
            })
        }
    };
    let options: Vec<(String, String)> = match &mine {
        Load::Ready(p) => p
            .items
            .iter()
            .filter(|s| {
                s.sign_up.status == SignUpStatus::Confirmed
                    && s.activity_status == ActivityStatus::Published
            })
            .map(|s| {
                (
                    s.sign_up.activity_id.to_string(),
                    format!(
                        "{} · {}",
                        s.activity_title,
                        format::date_time(lang, s.starts_at)
                    ),
                )
            })
            .collect(),
        _ => vec![],
    };
    html! {
        <section class="page narrow">
            <h1>{ t(lang, "check_in.title") }</h1>
            <form novalidate=true>
                <ErrorBanner error={(*error).clone()} />
                if let Some(k) = *done { <p class="success" role="status">{ t(lang, k) }</p> }
                <div class="field">
                    <label for="f-activity">{ t(lang, "check_in.activity") }</label>
                    <select id="f-activity" onchange={let c = chosen.clone(); Callback::from(move |e: Event| {
                        if let Some(s) = e.target_dyn_into::<web_sys::HtmlSelectElement>() { c.set(s.value()); }
                    })}>
                        <option value="" selected={chosen.is_empty()}>{ t(lang, "region.choose") }</option>
                        { for options.iter().map(|(v, l)| html! { <option value={v.clone()} selected={*v == *chosen}>{ l.clone() }</option> }) }
                    </select>
                </div>
                <div class="field">
                    <label for="f-code">{ t(lang, "check_in.code") }</label>
                    <input id="f-code" name="code" class="big" autocapitalize="characters" autocomplete="one-time-code" spellcheck="false" value={(*code).clone()}
                        oninput={let c = code.clone(); Callback::from(move |e: InputEvent| c.set(input_value(&e)))} />
                </div>
                <div class="actions">
                    <button type="submit" class="primary" onclick={submit(false)} disabled={*busy}>{ t(lang, "check_in.button") }</button>
                    <button type="button" onclick={submit(true)} disabled={*busy}>{ t(lang, "check_in.out") }</button>
                </div>
            </form>
        </section>
    }
}
