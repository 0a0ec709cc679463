//! Notifications (通知): the inbox with its unread count, each person's preferences, and the
//! pages the emails' links open without signing in (confirm or withdraw the day before,
//! unsubscribe).

use yew::prelude::*;
use yew_router::prelude::*;
#[cfg(feature = "staff")]
use zhihui_contract::notifications::UnsubscribeOutcome;
use zhihui_contract::notifications::{
    AttendanceLinkOutcome, LinkRequest, MarkedRead, NotificationPage, NotificationView,
};
use zhihui_domain::notification::LinkPurpose;

use crate::app::Route;
use crate::components::{more_button, use_app, use_get, use_pages, view_load, Empty, ErrorBanner};
use crate::format;
use crate::i18n::{fill, t, Lang};
use crate::services::{self, ApiError};

/// The header's link to the inbox with the number unread, read again on every page change.
#[component]
pub fn InboxLink() -> Html {
    let app = use_app();
    let location = use_location();
    let path = location.map(|l| l.path().to_string()).unwrap_or_default();
    let (page, reload) =
        use_get::<NotificationPage>(Some("/me/notifications?unread=true&limit=1".into()));
    // Read again when the page changes (not on the first render: `use_get` has just read it).
    let seen = use_mut_ref(|| None::<String>);
    use_effect_with(path, move |path| {
        let before = seen.borrow_mut().replace(path.clone());
        if before.is_some_and(|b| b != *path) {
            reload.emit(());
        }
    });
    let unread = match &page {
        crate::components::Load::Ready(p) => p.unread,
        _ => 0,
    };
    html! {
        <Link<Route> to={Route::Inbox}>
            { t(app.lang, "nav.inbox") }
            if unread > 0 {
                <span class="badge" id="unread-count">{ unread }</span>
            }
        </Link<Route>>
    }
}

#[component]
pub fn Inbox() -> Html {
    let app = use_app();
    let lang = app.lang;
    let signed_in = app.me.is_some();
    let (page, retry, more) =
        use_pages::<NotificationPage>(signed_in.then(|| "/me/notifications?limit=20".into()));
    let error = use_state(|| None::<ApiError>);
    if !signed_in {
        return html! {
            <section class="page narrow">
                <h1>{ t(lang, "inbox.title") }</h1>
                <Link<Route> to={Route::SignIn} classes="button primary">{ t(lang, "nav.sign_in") }</Link<Route>>
            </section>
        };
    }
    let mark = {
        let (error, retry) = (error.clone(), retry.clone());
        move |id: uuid::Uuid| {
            let (error, retry) = (error.clone(), retry.clone());
            Callback::from(move |_| {
                let (error, retry) = (error.clone(), retry.clone());
                wasm_bindgen_futures::spawn_local(async move {
                    match services::act::<NotificationView>(&format!("/me/notifications/{id}/read"))
                        .await
                    {
                        Ok(_) => {
                            error.set(None);
                            retry.emit(());
                        }
                        Err(e) => error.set(Some(e)),
                    }
                });
            })
        }
    };
    let mark_all = {
        let (error, retry, toast) = (error.clone(), retry.clone(), app.toast.clone());
        Callback::from(move |_| {
            let (error, retry, toast) = (error.clone(), retry.clone(), toast.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match services::act::<MarkedRead>("/me/notifications/read-all").await {
                    Ok(_) => {
                        error.set(None);
                        toast.emit("inbox.marked_all");
                        retry.emit(());
                    }
                    Err(e) => error.set(Some(e)),
                }
            });
        })
    };
    html! {
        <section class="page">
            <h1>{ t(lang, "inbox.title") }</h1>
            <ErrorBanner error={(*error).clone()} />
            <section class="panel">
                { view_load(&page, lang, &retry, |p| html! {
                    <>
                        <p class="meta">
                            { fill(lang, "inbox.unread", &p.unread.to_string()) }
                            if p.unread > 0 {
                                { " " }<button type="button" class="link" onclick={mark_all.clone()}>{ t(lang, "inbox.mark_all") }</button>
                            }
                        </p>
                        if p.items.is_empty() {
                            <Empty />
                        } else {
                            <ul class="cards inbox">{ for p.items.iter().map(|n| html! {
                                <li class={classes!("card", n.read_at.is_none().then_some("unread"))}>
                                    <h3>{ n.subject.clone() }</h3>
                                    <p>{ n.body.clone() }</p>
                                    <p class="meta">
                                        { format::date_time(lang, n.created_at) }{ " · " }
                                        <a href={n.href.clone()}>{ t(lang, "inbox.open") }</a>
                                        if n.read_at.is_none() {
                                            { " · " }<button type="button" class="link" onclick={mark(n.id)}>{ t(lang, "inbox.mark_read") }</button>
                                        }
                                    </p>
                                </li>
                            }) }</ul>
                        }
                    </>
                }) }
                { more_button(lang, &page, &more) }
            </section>
            <p><Link<Route> to={Route::NotificationSettings} classes="button">{ t(lang, "prefs.title") }</Link<Route>></p>
        </section>
    }
}

/// The notification settings screen (full build only).
#[cfg(feature = "staff")]
mod settings {
    use yew::prelude::*;
    use yew_router::prelude::*;
    use zhihui_contract::notifications::{
        ChannelChoiceRequest, NotificationPreferencesView, UpdateNotificationPreferencesRequest,
    };

    use crate::app::Route;
    use crate::components::{
        checked, use_app, use_get, view_load, ErrorBanner, SelectField, TextField,
    };
    use crate::i18n::{label, t};
    use crate::pages::{keep, use_saving};

    fn language_name(l: zhihui_domain::notification::Language) -> &'static str {
        match l {
            zhihui_domain::notification::Language::Zh => "中文",
            zhihui_domain::notification::Language::En => "English",
        }
    }

    /// The person's preferences: channels per family, where they are reached, the digest,
    /// quiet hours and the language. A screen of the full build: opened rarely, it keeps its
    /// weight out of the build phones load for everything else.
    #[component]
    pub fn NotificationSettings() -> Html {
        let app = use_app();
        let lang = app.lang;
        let (prefs, retry) =
            use_get::<NotificationPreferencesView>(Some("/me/notification-preferences".into()));
        html! {
            <section class="page narrow">
                <h1>{ t(lang, "prefs.title") }</h1>
                <p><Link<Route> to={Route::Inbox}>{ t(lang, "inbox.title") }</Link<Route>></p>
                <section class="panel">
                    { view_load(&prefs, lang, &retry, |p| html! {
                        <PreferencesForm prefs={std::rc::Rc::new(p.clone())} reload={retry.clone()} />
                    }) }
                </section>
            </section>
        }
    }

    #[derive(Properties, PartialEq)]
    struct FormProps {
        prefs: std::rc::Rc<NotificationPreferencesView>,
        reload: Callback<()>,
    }

    #[component]
    fn PreferencesForm(props: &FormProps) -> Html {
        let app = use_app();
        let lang = app.lang;
        let p = props.prefs.clone();
        let families = use_state(|| p.families.clone());
        let email = use_state(String::new);
        let phone = use_state(String::new);
        let digest = use_state(|| p.email_digest);
        let quiet_from = use_state(|| p.quiet_from.clone());
        let quiet_to = use_state(|| p.quiet_to.clone());
        let language = use_state(|| p.language.as_str().to_string());
        let saving = use_saving();
        let toggle = |i: usize, which: &'static str| {
            let families = families.clone();
            Callback::from(move |e: Event| {
                let mut all = (*families).clone();
                if let Some(c) = all.get_mut(i) {
                    let v = checked(&e);
                    match which {
                        "in_app" => c.in_app = v,
                        "email" => c.email = v,
                        _ => c.sms = v,
                    }
                }
                families.set(all);
            })
        };
        let onsubmit = {
            let (families, email, phone, digest) = (
                families.clone(),
                email.clone(),
                phone.clone(),
                digest.clone(),
            );
            let (quiet_from, quiet_to, language) =
                (quiet_from.clone(), quiet_to.clone(), language.clone());
            let (saving, version, reload, toast) = (
                saving.clone(),
                p.version,
                props.reload.clone(),
                app.toast.clone(),
            );
            Callback::from(move |e: SubmitEvent| {
                e.prevent_default();
                let body = UpdateNotificationPreferencesRequest {
                    families: Some(
                        families
                            .iter()
                            .map(|c| ChannelChoiceRequest {
                                family: c.family.as_str().to_string(),
                                in_app: (!c.required).then_some(c.in_app),
                                email: Some(c.email),
                                sms: c.offers_sms.then_some(c.sms),
                            })
                            .collect(),
                    ),
                    email_digest: Some(*digest),
                    quiet_from: Some((*quiet_from).clone()),
                    quiet_to: Some((*quiet_to).clone()),
                    language: Some((*language).clone()),
                    email: (!email.trim().is_empty()).then(|| email.trim().to_string()),
                    phone: (!phone.trim().is_empty()).then(|| phone.trim().to_string()),
                };
                let (reload, toast) = (reload.clone(), toast.clone());
                saving.put_version::<_, NotificationPreferencesView>(
                    "/me/notification-preferences".into(),
                    body,
                    version,
                    Callback::from(move |_| {
                        toast.emit("prefs.saved");
                        reload.emit(());
                    }),
                );
            })
        };
        let error = (*saving.error).clone();
        html! {
            <form {onsubmit} novalidate=true>
                <ErrorBanner error={error.clone()} list_fields=true />
                <div class="table-wrap">
                    <table class="prefs">
                        <thead><tr>
                            <th scope="col">{ t(lang, "prefs.family") }</th>
                            <th scope="col">{ t(lang, "prefs.in_app") }</th>
                            <th scope="col">{ t(lang, "prefs.email") }</th>
                            <th scope="col">{ t(lang, "prefs.sms") }</th>
                        </tr></thead>
                        <tbody>{ for families.iter().enumerate().map(|(i, c)| {
                            let name = label(lang, "notification_family", c.family);
                            html! {
                                <tr>
                                    <th scope="row">{ name.clone() }
                                        if c.required { <span class="hint">{ t(lang, "prefs.required") }</span> }
                                    </th>
                                    <td><input type="checkbox" checked={c.in_app || c.required} disabled={c.required}
                                        aria-label={format!("{name} {}", t(lang, "prefs.in_app"))} onchange={toggle(i, "in_app")} /></td>
                                    <td><input type="checkbox" checked={c.email}
                                        aria-label={format!("{name} {}", t(lang, "prefs.email"))} onchange={toggle(i, "email")} /></td>
                                    <td>if c.offers_sms {
                                        <input type="checkbox" checked={c.sms}
                                            aria-label={format!("{name} {}", t(lang, "prefs.sms"))} onchange={toggle(i, "sms")} />
                                    } else { { "—" } }</td>
                                </tr>
                            }
                        }) }</tbody>
                    </table>
                </div>
                <TextField name="email" label={format!("{} {}", t(lang, "prefs.email_address"), p.email_masked.clone().unwrap_or_default())}
                    value={(*email).clone()} oninput={keep(&email)} input_type="email" autocomplete="email" error={error.clone()} />
                <TextField name="phone" label={format!("{} {}", t(lang, "prefs.phone"), p.phone_masked.clone().unwrap_or_default())}
                    value={(*phone).clone()} oninput={keep(&phone)} input_type="tel" inputmode="tel" error={error.clone()} />
                <div class="field">
                    <label><input type="checkbox" checked={*digest} onchange={{
                        let digest = digest.clone();
                        Callback::from(move |e: Event| digest.set(checked(&e)))
                    }} />{ " " }{ t(lang, "prefs.digest") }</label>
                </div>
                <fieldset class="field">
                    <legend>{ t(lang, "prefs.quiet") }</legend>
                    <TextField name="quiet_from" label={t(lang, "prefs.quiet_from")} value={(*quiet_from).clone()}
                        oninput={keep(&quiet_from)} input_type="time" required=true error={error.clone()} />
                    <TextField name="quiet_to" label={t(lang, "prefs.quiet_to")} value={(*quiet_to).clone()}
                        oninput={keep(&quiet_to)} input_type="time" required=true error={error.clone()} />
                </fieldset>
                <SelectField name="language" label={t(lang, "prefs.language")} value={(*language).clone()}
                    options={zhihui_domain::notification::Language::ALL.iter().map(|l| (l.as_str().to_string(), language_name(*l).to_string())).collect::<Vec<_>>()}
                    onchange={keep(&language)} error={error.clone()} />
                <button type="submit" class="primary" disabled={*saving.busy}>{ t(lang, "prefs.save") }</button>
            </form>
        }
    }
}

#[cfg(feature = "staff")]
pub use settings::NotificationSettings;

#[derive(serde::Deserialize, Default)]
struct TokenQuery {
    token: Option<String>,
}

/// What following a link said: working, done (in words), or the refusal.
enum Followed {
    Working,
    Done(String),
    Refused(ApiError),
}

/// The token of the link that opened the page.
#[hook]
fn use_token() -> String {
    use_location()
        .and_then(|l| l.query::<TokenQuery>().ok())
        .and_then(|q| q.token)
        .unwrap_or_default()
}

fn view_followed(lang: Lang, title: &'static str, f: &Followed) -> Html {
    html! {
        <section class="page narrow">
            <h1>{ t(lang, title) }</h1>
            { match f {
                Followed::Working => html! { <crate::components::Spinner /> },
                Followed::Done(words) => html! { <p class="notice success" role="status" id="link-outcome">{ words.clone() }</p> },
                Followed::Refused(e) => html! { <ErrorBanner error={Some(e.clone())} /> },
            } }
            <p><Link<Route> to={Route::Me}>{ t(lang, "nav.me") }</Link<Route>></p>
        </section>
    }
}

/// The day-before email's link: confirms attendance or withdraws, without signing in. The
/// link is followed when the page opens: opening it is the one tap.
#[component]
pub fn Attend() -> Html {
    let app = use_app();
    let lang = app.lang;
    let token = use_token();
    let state = use_state(|| Followed::Working);
    {
        let state = state.clone();
        use_effect_with(token, move |token| {
            let body = LinkRequest {
                token: token.clone(),
            };
            wasm_bindgen_futures::spawn_local(async move {
                let answer =
                    services::post::<_, AttendanceLinkOutcome>("/attendance-links", &body).await;
                state.set(match answer {
                    Ok(o) => {
                        let word = if o.action == LinkPurpose::Confirm {
                            "attend.confirmed"
                        } else {
                            "attend.withdrawn"
                        };
                        Followed::Done(fill(lang, word, &o.title))
                    }
                    Err(e) => Followed::Refused(e),
                });
            });
        });
    }
    view_followed(lang, "attend.title", &state)
}

/// An email's unsubscribe link (full build: rare, and read on any device).
#[cfg(feature = "staff")]
#[component]
pub fn Unsubscribe() -> Html {
    let app = use_app();
    let lang = app.lang;
    let token = use_token();
    let state = use_state(|| Followed::Working);
    {
        let state = state.clone();
        use_effect_with(token, move |token| {
            let body = LinkRequest {
                token: token.clone(),
            };
            wasm_bindgen_futures::spawn_local(async move {
                let answer = services::post::<_, UnsubscribeOutcome>("/unsubscribe", &body).await;
                state.set(match answer {
                    Ok(o) => Followed::Done(fill(
                        lang,
                        "unsubscribe.done",
                        &crate::i18n::label(lang, "notification_family", o.family),
                    )),
                    Err(e) => Followed::Refused(e),
                });
            });
        });
    }
    view_followed(lang, "unsubscribe.title", &state)
}
