//! Signing in and registering as a volunteer (实名注册).

use yew::prelude::*;
use yew_router::prelude::*;
use zhihui_contract::accounts::{AccountRegistration, AccountView, MeView, RegisterAccountRequest};
use zhihui_contract::form::Rejected;
use zhihui_contract::volunteers::{
    ConsentInput, RegisterVolunteerRequest, VolunteerProfileView, VolunteerRegistration,
};

use super::activities::{CheckInQuery, PENDING_CHECK_IN};
use super::{local_error, refused};
use crate::app::Route;
use crate::components::{checked, input_value, use_app, ErrorBanner, RegionPicker, TextField};
use crate::i18n::{label, t};
use crate::services::{self, ApiError};
use crate::validate::Kind;

/// The version of the volunteer agreement the registration form shows.
pub const AGREEMENT_VERSION: &str = "2025-01";

#[component]
pub fn SignIn() -> Html {
    let app = use_app();
    let nav = use_navigator();
    let login = use_state(String::new);
    let password = use_state(String::new);
    let error = use_state(|| None::<ApiError>);
    let busy = use_state(|| false);
    let onsubmit = {
        let (login, password, error, busy) =
            (login.clone(), password.clone(), error.clone(), busy.clone());
        let reload = app.reload_me.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *busy {
                return;
            }
            busy.set(true);
            let (l, p) = ((*login).clone(), (*password).clone());
            let (error, busy, reload, nav) =
                (error.clone(), busy.clone(), reload.clone(), nav.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match services::login(l.trim(), &p).await {
                    Ok(()) => {
                        error.set(None);
                        let me = services::get::<MeView>("/me").await.ok();
                        reload.emit(());
                        let to = landing(me.as_ref());
                        // A check-in scanned before signing in resumes where it was.
                        let pending = services::take(PENDING_CHECK_IN)
                            .and_then(|q| serde_json::from_str::<CheckInQuery>(&q).ok());
                        if let Some(n) = nav {
                            match pending {
                                Some(q) => {
                                    let _ = n.push_with_query(&Route::CheckIn, &q);
                                }
                                None => n.push(&to),
                            }
                        }
                    }
                    Err(e) => error.set(Some(e)),
                }
                busy.set(false);
            });
        })
    };
    html! {
        <section class="page narrow">
            <h1>{ app.t("sign_in.title") }</h1>
            <form {onsubmit} novalidate=true>
                <ErrorBanner error={(*error).clone()} />
                <TextField name="login" label={app.t("field.login")} value={(*login).clone()} required=true
                    autocomplete="username" oninput={let s = login.clone(); Callback::from(move |v| s.set(v))} error={(*error).clone()} />
                <TextField name="password" label={app.t("field.password")} value={(*password).clone()} required=true
                    input_type="password" autocomplete="current-password"
                    oninput={let s = password.clone(); Callback::from(move |v| s.set(v))} error={(*error).clone()} />
                <button type="submit" class="primary" disabled={*busy}>{ if *busy { app.t("working") } else { app.t("nav.sign_in") } }</button>
            </form>
            <p><Link<Route> to={Route::Register}>{ app.t("nav.register") }</Link<Route>>
               { " · " }<Link<Route> to={Route::SignUp}>{ app.t("nav.sign_up") }</Link<Route>>
               { " · " }<Link<Route> to={Route::RegisterOrganization}>{ app.t("nav.register_org") }</Link<Route>></p>
        </section>
    }
}

#[derive(Clone, PartialEq, Default)]
struct VolunteerForm {
    login: String,
    password: String,
    name: String,
    id_number: String,
    phone: String,
    region_code: String,
    skills: String,
    categories: Vec<String>,
    consent: bool,
    teams: Vec<(uuid::Uuid, String)>,
}

/// Where a person lands after signing in: platform admins and the admins of organisations
/// on their workbench (what is waiting for them), volunteers on their own page, staff and
/// reviewers without a volunteer profile on their organisations, where they register one;
/// never a page asking a staff member for an ID number.
pub fn landing(me: Option<&MeView>) -> Route {
    match me {
        Some(m) if m.is_platform_admin || !m.administered_organizations.is_empty() => Route::Work,
        Some(m) if m.volunteer_id.is_none() => Route::Orgs,
        _ => Route::Me,
    }
}

/// A plain account for organisation staff and reviewers (注册账号): login, password and a
/// display name, checked with the service's own rule; then signed in, and on to registering
/// the organisation. A screen of the full build, as the organisation's registration is.
#[cfg(feature = "staff")]
#[component]
pub fn SignUp() -> Html {
    let app = use_app();
    let nav = use_navigator();
    let login = use_state(String::new);
    let password = use_state(String::new);
    let display_name = use_state(String::new);
    let error = use_state(|| None::<ApiError>);
    let busy = use_state(|| false);
    let onsubmit = {
        let (login, password, display_name, error, busy) = (
            login.clone(),
            password.clone(),
            display_name.clone(),
            error.clone(),
            busy.clone(),
        );
        let reload = app.reload_me.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *busy {
                return;
            }
            let body = RegisterAccountRequest {
                login: login.trim().to_string(),
                password: (*password).clone(),
                display_name: display_name.trim().to_string(),
            };
            if let Err(r) = AccountRegistration::try_from(&body) {
                error.set(Some(refused(r)));
                return;
            }
            busy.set(true);
            let (error, busy, reload, nav) =
                (error.clone(), busy.clone(), reload.clone(), nav.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let result = async {
                    services::post::<_, AccountView>("/accounts", &body).await?;
                    services::login(&body.login, &body.password).await
                }
                .await;
                match result {
                    Ok(()) => {
                        error.set(None);
                        reload.emit(());
                        if let Some(n) = nav {
                            n.push(&Route::RegisterOrganization);
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
        <section class="page narrow">
            <h1>{ app.t("sign_up.title") }</h1>
            <p class="meta">{ app.t("sign_up.hint") }</p>
            <form {onsubmit} novalidate=true>
                <ErrorBanner error={err.clone()} />
                <TextField name="login" label={app.t("field.login")} value={(*login).clone()} required=true kind={Kind::Login}
                    autocomplete="username" oninput={let s = login.clone(); Callback::from(move |v| s.set(v))} error={err.clone()} />
                <TextField name="password" label={app.t("field.password")} value={(*password).clone()} required=true kind={Kind::Password}
                    input_type="password" autocomplete="new-password"
                    oninput={let s = password.clone(); Callback::from(move |v| s.set(v))} error={err.clone()} />
                <TextField name="display_name" label={app.t("field.display_name")} value={(*display_name).clone()} required=true
                    autocomplete="name" oninput={let s = display_name.clone(); Callback::from(move |v| s.set(v))} error={err.clone()} />
                <button type="submit" class="primary" disabled={*busy}>{ if *busy { app.t("working") } else { app.t("nav.sign_up") } }</button>
            </form>
            <p><Link<Route> to={Route::SignIn}>{ app.t("nav.sign_in") }</Link<Route>>
               { " · " }<Link<Route> to={Route::Register}>{ app.t("nav.register") }</Link<Route>></p>
        </section>
    }
}

/// The account a new volunteer registers first, named after them.
fn account_body(f: &VolunteerForm) -> RegisterAccountRequest {
    RegisterAccountRequest {
        login: f.login.trim().to_string(),
        password: f.password.clone(),
        display_name: f.name.trim().to_string(),
    }
}

/// Real-name registration: an account (unless signed in already) and the volunteer profile,
/// with the teams to ask to join. Every field is checked as it is typed with the service's
/// own parsers; nothing is created while a field is known to be wrong.
#[component]
pub fn Register() -> Html {
    let app = use_app();
    let lang = app.lang;
    let form = use_state(VolunteerForm::default);
    let error = use_state(|| None::<ApiError>);
    let busy = use_state(|| false);
    let done = use_state(|| None::<VolunteerProfileView>);
    let team_query = use_state(String::new);
    let teams = use_state(Vec::<(uuid::Uuid, String)>::new);
    let signed_in = app.me.clone();

    let set = |f: fn(&mut VolunteerForm, String)| {
        let form = form.clone();
        Callback::from(move |v: String| {
            let mut next = (*form).clone();
            f(&mut next, v);
            form.set(next);
        })
    };

    let search_teams = {
        let (team_query, teams) = (team_query.clone(), teams.clone());
        Callback::from(move |_| {
            let q = (*team_query).clone();
            let teams = teams.clone();
            wasm_bindgen_futures::spawn_local(async move {
                teams.set(services::find_organizations("", &q).await);
            });
        })
    };
    {
        let search = search_teams.clone();
        use_effect_with((), move |_| search.emit(()));
    }

    let onsubmit = {
        let (form, error, busy, done) = (form.clone(), error.clone(), busy.clone(), done.clone());
        let reload = app.reload_me.clone();
        let signed_in = signed_in.is_some();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *busy {
                return;
            }
            let f = (*form).clone();
            let body = RegisterVolunteerRequest {
                name: f.name.trim().to_string(),
                id_number: f.id_number.trim().to_string(),
                phone: f.phone.trim().to_string(),
                region_code: f.region_code.clone(),
                skills: f
                    .skills
                    .split(['、', ',', '，', ';', '；'])
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
                    .collect(),
                service_categories: f.categories.clone(),
                three_heads_role: None,
                guardian: None,
                consent: ConsentInput {
                    agreement_version: AGREEMENT_VERSION.into(),
                    accepted: true,
                },
                organization_ids: f.teams.iter().map(|(id, _)| *id).collect(),
            };
            // The service's own check of the registration (identity, age rule on today's
            // China date), and the account's fields when one is created first.
            let today = zhihui_domain::report::china_date(crate::format::now());
            let mut found = match VolunteerRegistration::try_from((&body, today)) {
                Ok(_) => vec![],
                Err(Rejected(p)) => p,
            };
            if !signed_in {
                if let Err(Rejected(p)) = AccountRegistration::try_from(&account_body(&f)) {
                    // The display name is the volunteer's name, checked above.
                    found.extend(p.into_iter().filter(|p| p.field != "display_name"));
                }
            }
            if !found.is_empty() {
                error.set(Some(refused(Rejected(found))));
                return;
            }
            if f.teams.is_empty() {
                error.set(Some(local_error("choose_team")));
                return;
            }
            if !f.consent {
                error.set(Some(local_error("consent")));
                return;
            }
            busy.set(true);
            let (error, busy, done, reload) =
                (error.clone(), busy.clone(), done.clone(), reload.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let result = async {
                    if !signed_in {
                        services::post::<_, AccountView>("/accounts", &account_body(&f)).await?;
                        services::login(f.login.trim(), &f.password).await?;
                        reload.emit(());
                    }
                    services::post::<_, VolunteerProfileView>("/volunteers", &body).await
                }
                .await;
                match result {
                    Ok(profile) => {
                        error.set(None);
                        done.set(Some(profile));
                        reload.emit(());
                    }
                    Err(e) => error.set(Some(e)),
                }
                busy.set(false);
            });
        })
    };

    if let Some(profile) = &*done {
        return html! {
            <section class="page narrow">
                <h1>{ t(lang, "register.title") }</h1>
                <p class="success" role="status">{ t(lang, "register.done") }</p>
                <p>{ t(lang, "me.volunteer_number") }{ "：" }<strong>{ profile.volunteer_number.clone() }</strong></p>
                <Link<Route> to={Route::Me} classes="button primary">{ t(lang, "nav.me") }</Link<Route>>
            </section>
        };
    }

    let f = (*form).clone();
    let err = (*error).clone();
    let team_list = (*teams).clone();
    html! {
        <section class="page narrow">
            <h1>{ t(lang, "register.title") }</h1>
            <form {onsubmit} novalidate=true>
                <ErrorBanner error={err.clone()} />
                <fieldset>
                    <legend>{ t(lang, "register.account") }</legend>
                    if let Some(me) = &signed_in {
                        <p>{ t(lang, "register.signed_in_as") }{ me.login.clone() }</p>
                    } else {
                        <TextField name="login" label={t(lang, "field.login")} value={f.login.clone()} kind={Kind::Login}
                            required=true autocomplete="username" oninput={set(|f, v| f.login = v)} error={err.clone()} />
                        <TextField name="password" label={t(lang, "field.password")} value={f.password.clone()} kind={Kind::Password}
                            required=true input_type="password" autocomplete="new-password" oninput={set(|f, v| f.password = v)} error={err.clone()} />
                    }
                </fieldset>
                <fieldset>
                    <legend>{ t(lang, "register.person") }</legend>
                    <TextField name="name" label={t(lang, "field.name")} value={f.name.clone()} kind={Kind::PersonName}
                        required=true autocomplete="name" oninput={set(|f, v| f.name = v)} error={err.clone()} />
                    <TextField name="id_number" label={t(lang, "field.id_number")} value={f.id_number.clone()} kind={Kind::IdNumber}
                        required=true autocomplete="off" oninput={set(|f, v| f.id_number = v)} error={err.clone()} />
                    <TextField name="phone" label={t(lang, "field.phone")} value={f.phone.clone()} kind={Kind::Phone}
                        required=true input_type="tel" inputmode="numeric" autocomplete="tel" oninput={set(|f, v| f.phone = v)} error={err.clone()} />
                    <RegionPicker name="region_code" label={t(lang, "field.region_code")} value={f.region_code.clone()}
                        onchange={set(|f, v| f.region_code = v)} error={err.clone()} />
                    <TextField name="skills" label={t(lang, "field.skills")} value={f.skills.clone()}
                        oninput={set(|f, v| f.skills = v)} error={err.clone()} />
                    <fieldset class="checks">
                        <legend>{ t(lang, "field.service_categories") }</legend>
                        { for zhihui_domain::ActivityCategory::ALL.iter().map(|c| {
                            let form = form.clone();
                            let code = c.to_string();
                            let on = f.categories.contains(&code);
                            let onchange = Callback::from(move |e: Event| {
                                let mut next = (*form).clone();
                                next.categories.retain(|x| *x != code);
                                if checked(&e) { next.categories.push(code.clone()); }
                                form.set(next);
                            });
                            html! { <label class="check"><input type="checkbox" checked={on} {onchange} />{ label(lang, "category", c) }</label> }
                        }) }
                    </fieldset>
                </fieldset>
                <fieldset class={classes!(err.as_ref().is_some_and(|e| e.code == "choose_team" || e.field("organization_ids").is_some()).then_some("has-error"))}>
                    <legend>{ t(lang, "field.organization_ids") }</legend>
                    <div class="inline">
                        <input type="search" aria-label={t(lang, "register.team_search")} placeholder={t(lang, "register.team_search")}
                            value={(*team_query).clone()}
                            oninput={let q = team_query.clone(); Callback::from(move |e: InputEvent| q.set(input_value(&e)))} />
                        <button type="button" onclick={let s = search_teams.clone(); move |_| s.emit(())}>{ t(lang, "search") }</button>
                    </div>
                    <ul class="choices">
                        { for team_list.iter().map(|(id, name)| {
                            let form = form.clone();
                            let (id, name, text) = (*id, name.clone(), name.clone());
                            let on = f.teams.iter().any(|(x, _)| *x == id);
                            let onchange = Callback::from(move |e: Event| {
                                let mut next = (*form).clone();
                                next.teams.retain(|(x, _)| *x != id);
                                if checked(&e) { next.teams.push((id, name.clone())); }
                                form.set(next);
                            });
                            html! { <li><label class="check"><input type="checkbox" name="team" checked={on} {onchange} />{ text }</label></li> }
                        }) }
                    </ul>
                </fieldset>
                <label class="check consent">
                    <input type="checkbox" name="consent" checked={f.consent}
                        onchange={let form = form.clone(); Callback::from(move |e: Event| { let mut n = (*form).clone(); n.consent = checked(&e); form.set(n); })} />
                    { t(lang, "field.consent") }
                </label>
                <button type="submit" class="primary" disabled={*busy}>{ if *busy { t(lang, "working") } else { t(lang, "submit") } }</button>
            </form>
        </section>
    }
}
