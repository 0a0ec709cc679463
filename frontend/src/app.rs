//! Routes, the app shell (navigation, language switch) and the session.

use std::rc::Rc;

use yew::prelude::*;
use yew_router::prelude::*;
use zhihui_contract::accounts::MeView;

use crate::components::AppCtx;
use crate::i18n::{t, Lang};
use crate::pages;
use crate::services;

#[derive(Clone, Routable, PartialEq, Debug)]
pub enum Route {
    #[at("/")]
    Home,
    #[at("/activities")]
    Activities,
    #[at("/activities/:id")]
    Activity { id: String },
    /// The activity's page with its editor open (its organisation's admins).
    #[at("/activities/:id/edit")]
    EditActivity { id: String },
    #[at("/sign-in")]
    SignIn,
    #[at("/register")]
    Register,
    #[at("/sign-up")]
    SignUp,
    #[at("/register-organization")]
    RegisterOrganization,
    #[at("/me")]
    Me,
    #[at("/check-in")]
    CheckIn,
    #[at("/verify")]
    VerifyForm,
    #[at("/verify/:number")]
    Verify { number: String },
    #[at("/orgs")]
    Orgs,
    #[at("/orgs/:id")]
    Org { id: String },
    #[at("/orgs/:id/:tab")]
    OrgTab { id: String, tab: String },
    #[at("/letters/:id")]
    Letter { id: String },
    #[at("/applications")]
    Applications,
    #[at("/applications/:id")]
    Application { id: String },
    #[at("/platform")]
    Platform,
    /// What is waiting for staff, reviewers and the platform (工作台).
    #[at("/work")]
    Work,
    /// The board of needs and their figures (需求对接).
    #[at("/needs")]
    Needs,
    #[at("/needs/:id")]
    Need { id: String },
    /// Science hub centres: service points, exhibitions, the rotation (科普服务汇中心).
    #[at("/hub")]
    Hub,
    #[at("/service-points/:id")]
    ServicePoint { id: String },
    #[at("/exhibitions/:id")]
    Exhibition { id: String },
    /// Collection campaigns (征集).
    #[at("/campaigns")]
    Campaigns,
    #[at("/campaigns/:id")]
    Campaign { id: String },
    /// The person's notifications and their preferences (通知).
    #[at("/inbox")]
    Inbox,
    /// Notification preferences (a screen of the full build).
    #[at("/inbox/settings")]
    NotificationSettings,
    /// The day-before email's one-tap link (no sign-in needed).
    #[at("/attend")]
    Attend,
    /// An email's unsubscribe link (no sign-in needed).
    #[at("/unsubscribe")]
    Unsubscribe,
    #[not_found]
    #[at("/404")]
    NotFound,
}

fn switch(route: Route) -> Html {
    match route {
        Route::Home | Route::Activities => html! { <pages::activities::ActivityList /> },
        Route::Activity { id } => html! { <pages::activities::ActivityPage {id} /> },
        Route::SignIn => html! { <pages::account::SignIn /> },
        Route::Register => html! { <pages::account::Register /> },
        Route::Me => html! { <pages::me::MyPage /> },
        Route::CheckIn => html! { <pages::activities::CheckIn /> },
        Route::VerifyForm => html! { <pages::me::Verify number={None::<String>} /> },
        Route::Verify { number } => html! { <pages::me::Verify number={Some(number)} /> },
        Route::NotFound => html! { <pages::NotFound /> },
        Route::Inbox => html! { <pages::inbox::Inbox /> },
        Route::Attend => html! { <pages::inbox::Attend /> },
        staff => staff_screen(staff),
    }
}

impl Route {
    /// The screens of organisation staff, reviewers and the platform: in the staff build of
    /// the dashboard only (`boot.js` picks the build by the same paths).
    pub fn is_staff(&self) -> bool {
        matches!(
            self,
            Route::RegisterOrganization
                | Route::EditActivity { .. }
                | Route::Orgs
                | Route::Org { .. }
                | Route::OrgTab { .. }
                | Route::Letter { .. }
                | Route::Applications
                | Route::Application { .. }
                | Route::Platform
                | Route::Work
                | Route::Needs
                | Route::Need { .. }
                | Route::Hub
                | Route::ServicePoint { .. }
                | Route::Exhibition { .. }
                | Route::Campaigns
                | Route::Campaign { .. }
                | Route::NotificationSettings
                | Route::SignUp
                | Route::Unsubscribe
        )
    }
}

#[cfg(feature = "staff")]
fn staff_screen(route: Route) -> Html {
    match route {
        Route::RegisterOrganization => html! { <pages::orgs::RegisterOrganization /> },
        Route::EditActivity { id } => {
            html! { <pages::activities::ActivityPage {id} editing=true /> }
        }
        Route::Orgs => html! { <pages::orgs::MyOrganizations /> },
        Route::Org { id } => {
            html! { <pages::orgs::OrganizationScreen {id} tab={String::new()} /> }
        }
        Route::OrgTab { id, tab } => html! { <pages::orgs::OrganizationScreen {id} {tab} /> },
        Route::Letter { id } => html! { <pages::letters::LetterPage {id} /> },
        Route::Applications => html! { <pages::applications::Applications /> },
        Route::Application { id } => html! { <pages::applications::ApplicationScreen {id} /> },
        Route::Platform => html! { <pages::orgs::Platform /> },
        Route::Work => html! { <pages::work::Workbench /> },
        Route::Needs => html! { <pages::needs::NeedBoard /> },
        Route::Need { id } => html! { <pages::needs::NeedScreen {id} /> },
        Route::Hub => html! { <pages::hub::HubCentres /> },
        Route::ServicePoint { id } => html! { <pages::hub::ServicePointScreen {id} /> },
        Route::Exhibition { id } => html! { <pages::hub::ExhibitionScreen {id} /> },
        Route::Campaigns => html! { <pages::campaigns::Campaigns /> },
        Route::Campaign { id } => html! { <pages::campaigns::CampaignScreen {id} /> },
        Route::NotificationSettings => html! { <pages::inbox::NotificationSettings /> },
        Route::SignUp => html! { <pages::account::SignUp /> },
        Route::Unsubscribe => html! { <pages::inbox::Unsubscribe /> },
        other => {
            debug_assert!(!other.is_staff());
            html! { <pages::NotFound /> }
        }
    }
}

#[cfg(not(feature = "staff"))]
fn staff_screen(_: Route) -> Html {
    html! { <pages::StaffArea /> }
}

const LANG_KEY: &str = "zhihui.lang";

fn saved_lang() -> Lang {
    let stored = web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .and_then(|s| s.get_item(LANG_KEY).ok().flatten());
    match stored.as_deref() {
        Some("en") => Lang::En,
        _ => Lang::Zh,
    }
}

fn set_document_lang(lang: Lang) {
    if let Some(el) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = el.set_attribute("lang", lang.tag());
    }
}

#[component]
pub fn App() -> Html {
    let lang = use_state(saved_lang);
    let me = use_state(|| None::<Rc<MeView>>);
    let ready = use_state(|| false);
    let reload_me = {
        let me = me.clone();
        let ready = ready.clone();
        Callback::from(move |_| {
            let me = me.clone();
            let ready = ready.clone();
            wasm_bindgen_futures::spawn_local(async move {
                match services::get::<MeView>("/me").await {
                    Ok(m) => me.set(Some(Rc::new(m))),
                    Err(_) => me.set(None),
                }
                ready.set(true);
            });
        })
    };
    {
        // On start, a session kept in this tab is renewed (the access token was only in
        // memory, so a reload needs a new one).
        let reload_me = reload_me.clone();
        let ready = ready.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                if services::has_refresh_token() && services::refresh().await {
                    reload_me.emit(());
                } else {
                    ready.set(true);
                }
            });
        });
    }
    use_effect_with(*lang, |l| set_document_lang(*l));
    // Whether the session kept in the tab has been renewed (or there is none): the browser
    // tests wait for it before loading another page, which would cut the renewal short.
    use_effect_with(*ready, |r| {
        if let Some(root) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
        {
            let _ = root.set_attribute("data-ready", if *r { "true" } else { "false" });
        }
    });
    let set_lang = {
        let lang = lang.clone();
        Callback::from(move |l: Lang| {
            if let Some(s) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
                let _ = s.set_item(LANG_KEY, l.tag());
            }
            lang.set(l);
        })
    };
    // What an action did, said for a few seconds at the foot of the screen (a toast); a
    // newer one replaces it and is not cut short by the older one's timer.
    let toast = use_state(|| None::<(&'static str, u32)>);
    let say = {
        let toast = toast.clone();
        let serial = use_mut_ref(|| 0_u32);
        Callback::from(move |key: &'static str| {
            let n = {
                let mut s = serial.borrow_mut();
                *s = s.wrapping_add(1);
                *s
            };
            toast.set(Some((key, n)));
            let (toast, serial) = (toast.clone(), serial.clone());
            gloo_timers::callback::Timeout::new(6_000, move || {
                if *serial.borrow() == n {
                    toast.set(None);
                }
            })
            .forget();
        })
    };
    let ctx = AppCtx {
        lang: *lang,
        me: (*me).clone(),
        ready: *ready,
        set_lang,
        reload_me,
        toast: say,
    };
    html! {
        <ContextProvider<AppCtx> context={ctx}>
            <BrowserRouter>
                <Shell />
            </BrowserRouter>
            if let Some((key, _)) = *toast {
                <p class="toast success" role="status">{ t(*lang, key) }</p>
            }
        </ContextProvider<AppCtx>>
    }
}

#[component]
fn Shell() -> Html {
    let app = crate::components::use_app();
    let lang = app.lang;
    let nav = use_navigator();
    let toggle = {
        let set = app.set_lang.clone();
        Callback::from(move |_| set.emit(if lang == Lang::Zh { Lang::En } else { Lang::Zh }))
    };
    let sign_out = {
        let reload = app.reload_me.clone();
        Callback::from(move |_| {
            let reload = reload.clone();
            let nav = nav.clone();
            wasm_bindgen_futures::spawn_local(async move {
                services::sign_out().await;
                reload.emit(());
                if let Some(n) = nav {
                    n.push(&Route::SignIn);
                }
            });
        })
    };
    let me = app.me.clone();
    html! {
        <>
            <header class="top">
                <Link<Route> to={Route::Home} classes="brand">{ t(lang, "brand") }</Link<Route>>
                <nav aria-label="main">
                    <Link<Route> to={Route::Activities}>{ t(lang, "nav.activities") }</Link<Route>>
                    <Link<Route> to={Route::VerifyForm}>{ t(lang, "nav.verify") }</Link<Route>>
                    if let Some(m) = &me {
                        if m.is_platform_admin || !m.administered_organizations.is_empty() {
                            <Link<Route> to={Route::Work}>{ t(lang, "nav.work") }</Link<Route>>
                        }
                        <Link<Route> to={Route::Me}>{ t(lang, "nav.me") }</Link<Route>>
                        <pages::inbox::InboxLink />
                        if !m.administered_organizations.is_empty() {
                            <Link<Route> to={Route::Orgs}>{ t(lang, "nav.orgs") }</Link<Route>>
                        }
                        if m.is_platform_admin || !m.administered_organizations.is_empty() {
                            <Link<Route> to={Route::Needs}>{ t(lang, "nav.needs") }</Link<Route>>
                            <Link<Route> to={Route::Hub}>{ t(lang, "nav.hub") }</Link<Route>>
                            <Link<Route> to={Route::Campaigns}>{ t(lang, "nav.campaigns") }</Link<Route>>
                        }
                        <Link<Route> to={Route::Applications}>{ t(lang, "nav.applications") }</Link<Route>>
                        if m.is_platform_admin {
                            <Link<Route> to={Route::Platform}>{ t(lang, "nav.platform") }</Link<Route>>
                        }
                        <span class="who">{ m.display_name.clone() }</span>
                        <button type="button" class="link" onclick={sign_out}>{ t(lang, "nav.sign_out") }</button>
                    } else {
                        <Link<Route> to={Route::SignIn}>{ t(lang, "nav.sign_in") }</Link<Route>>
                        <Link<Route> to={Route::Register}>{ t(lang, "nav.register") }</Link<Route>>
                    }
                    <button type="button" class="link lang" onclick={toggle}>{ t(lang, "nav.lang") }</button>
                </nav>
            </header>
            <main>
                if app.ready {
                    <Switch<Route> render={switch} />
                } else {
                    <crate::components::Spinner />
                }
            </main>
        </>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    /// `boot.js` loads the staff build for exactly the staff screens' paths.
    #[wasm_bindgen_test]
    fn boot_js_loads_the_staff_build_for_every_staff_screen() {
        let boot = include_str!("../static/boot.js");
        let list = boot
            .split_once("const STAFF = [")
            .and_then(|(_, rest)| rest.split_once(']'))
            .map(|(list, _)| list)
            .expect("boot.js names the staff paths");
        let id = "00000000-0000-0000-0000-000000000000".to_string();
        let routes = [
            Route::RegisterOrganization,
            Route::Orgs,
            Route::Org { id: id.clone() },
            Route::OrgTab {
                id: id.clone(),
                tab: "members".into(),
            },
            Route::Letter { id: id.clone() },
            Route::Applications,
            Route::Application { id: id.clone() },
            Route::Platform,
            Route::Work,
            Route::Home,
            Route::Activities,
            Route::Activity { id: id.clone() },
            Route::EditActivity { id: id.clone() },
            Route::SignIn,
            Route::Register,
            Route::SignUp,
            Route::Me,
            Route::CheckIn,
            Route::VerifyForm,
            Route::Verify {
                number: "V1".into(),
            },
            Route::Inbox,
            Route::NotificationSettings,
            Route::Attend,
            Route::Unsubscribe,
        ];
        let patterns: Vec<&str> = list
            .split(',')
            .map(|p| p.trim().trim_matches('\''))
            .collect();
        for r in routes {
            let path = r.to_path();
            let parts: Vec<&str> = path.split('/').skip(1).collect();
            let listed = patterns.iter().any(|p| {
                p.split('/').enumerate().all(|(i, s)| match parts.get(i) {
                    Some(part) if s == "*" => !part.is_empty(),
                    Some(part) => s == *part,
                    None => false,
                })
            });
            assert_eq!(listed, r.is_staff(), "{path}");
        }
    }
}
