//! The volunteer's own pages: hours and star level, sign-ups, certificates, teams; and the
//! public certificate check.

use yew::prelude::*;
use yew_router::prelude::*;
use zhihui_contract::activities::MySignUpPage;
use zhihui_contract::records::{
    CertificatePage, CertificateVerificationView, VolunteerSummaryView,
};
use zhihui_contract::volunteers::VolunteerProfileView;
use zhihui_domain::{MembershipAction, SignUpStatus};

use crate::app::Route;
use crate::components::{input_value, use_app, use_get, view_load, Empty, ErrorBanner};
use crate::components::{more_button, use_pages};
use crate::format;
use crate::i18n::{fill, label, t};
use crate::services::{self, ApiError};

#[component]
pub fn MyPage() -> Html {
    let app = use_app();
    let lang = app.lang;
    let volunteer = app.me.as_ref().and_then(|m| m.volunteer_id);
    let (summary, retry_summary) =
        use_get::<VolunteerSummaryView>(volunteer.map(|v| format!("/volunteers/{v}/summary")));
    let (sign_ups, retry_sign_ups, more_sign_ups) = use_pages::<MySignUpPage>(
        volunteer.map(|_| "/volunteers/me/sign-ups?limit=50".to_string()),
    );
    let (certificates, retry_certs, more_certificates) = use_pages::<CertificatePage>(
        volunteer.map(|v| format!("/certificates?volunteer_id={v}&limit=50")),
    );
    let (profile, retry_profile) =
        use_get::<VolunteerProfileView>(volunteer.map(|_| "/volunteers/me".to_string()));
    let error = use_state(|| None::<ApiError>);

    let Some(me) = app.me.clone() else {
        return html! {
            <section class="page narrow">
                <h1>{ t(lang, "me.title") }</h1>
                <Link<Route> to={Route::SignIn} classes="button primary">{ t(lang, "nav.sign_in") }</Link<Route>>
            </section>
        };
    };
    if volunteer.is_none() {
        return html! {
            <section class="page narrow">
                <h1>{ t(lang, "me.title") }</h1>
                <p>{ t(lang, "me.no_profile") }</p>
                <p><Link<Route> to={Route::Register} classes="button primary">{ t(lang, "nav.register") }</Link<Route>></p>
                if !me.administered_organizations.is_empty() {
                    <p><Link<Route> to={Route::Orgs}>{ t(lang, "nav.orgs") }</Link<Route>></p>
                }
            </section>
        };
    }
    let download = {
        let error = error.clone();
        move |number: String| {
            let error = error.clone();
            Callback::from(move |_| {
                let (error, number) = (error.clone(), number.clone());
                wasm_bindgen_futures::spawn_local(async move {
                    match services::download(
                        &format!("/certificates/{number}/pdf"),
                        &format!("{number}.pdf"),
                    )
                    .await
                    {
                        Ok(()) => error.set(None),
                        Err(e) => error.set(Some(e)),
                    }
                });
            })
        }
    };
    html! {
        <section class="page">
            <h1>{ t(lang, "me.title") }</h1>
            <ErrorBanner error={(*error).clone()} />
            <section class="panel">
                <h2>{ t(lang, "me.summary") }</h2>
                { view_load(&summary, lang, &retry_summary, |s| html! {
                    <div class="stats">
                        <div class="stat"><span class="label">{ t(lang, "me.total_hours") }</span><strong id="total-hours">{ format::hours(lang, s.total_hours) }</strong></div>
                        <div class="stat"><span class="label">{ t(lang, "me.this_year") }</span><strong>{ format::hours(lang, s.hours_this_year) }</strong></div>
                        <div class="stat"><span class="label">{ t(lang, "me.stars") }</span>
                            <strong aria-label={format!("{} {}", t(lang, "me.stars"), s.star_level)}>
                                { stars(s.star_level) }
                            </strong></div>
                        if let Some(h) = s.hours_to_next_star {
                            <div class="stat"><span class="label">{ t(lang, "me.to_next") }</span><strong>{ format::hours(lang, h) }</strong></div>
                        }
                        <div class="stat"><span class="label">{ t(lang, "me.volunteer_number") }</span><strong>{ s.volunteer_number.clone() }</strong></div>
                    </div>
                }) }
            </section>
            <section class="panel">
                <h2>{ t(lang, "me.activities") }</h2>
                { view_load(&sign_ups, lang, &retry_sign_ups, |p| if p.items.is_empty() { html! { <Empty /> } } else { html! {
                    <ul class="cards">
                    { for p.items.iter().map(|s| html! {
                        <li class="card">
                            <h3><Link<Route> to={Route::Activity { id: s.sign_up.activity_id.to_string() }}>{ s.activity_title.clone() }</Link<Route>></h3>
                            <p class="meta">{ format!("{} · {}", format::date_time(lang, s.starts_at), s.place) }</p>
                            <p class="meta status">
                                { if s.sign_up.status == SignUpStatus::Waitlisted {
                                    fill(lang, "activity.waitlisted_at", &s.sign_up.waitlist_position.unwrap_or(0).to_string())
                                  } else { label(lang, "status", s.sign_up.status) } }
                                if s.sign_up.checked_in_at.is_some() { { format!(" · {}", t(lang, "activity.checked_in")) } }
                                if let Some(h) = s.sign_up.confirmed_hours { { format!(" · {}", format::hours(lang, h)) } }
                            </p>
                        </li>
                    }) }
                    </ul>
                } }) }
                { more_button(lang, &sign_ups, &more_sign_ups) }
            </section>
            <section class="panel">
                <h2>{ t(lang, "me.certificates") }</h2>
                { view_load(&certificates, lang, &retry_certs, |p| if p.items.is_empty() { html! { <Empty /> } } else { html! {
                    <ul class="cards">
                    { for p.items.iter().map(|c| html! {
                        <li class="card certificate">
                            <h3>{ c.number.clone() }</h3>
                            <p class="meta">{ format!("{} · {} · {} – {}", c.issuer_name, format::hours(lang, c.hours),
                                format::date(lang, c.period_from), format::date(lang, c.period_to)) }
                                { format!(" · {}", label(lang, "status", c.status)) }</p>
                            <button type="button" class="primary" onclick={download(c.number.clone())}>{ t(lang, "me.download") }</button>
                        </li>
                    }) }
                    </ul>
                } }) }
                { more_button(lang, &certificates, &more_certificates) }
            </section>
            <section class="panel">
                <h2>{ t(lang, "me.teams") }</h2>
                { view_load(&profile, lang, &retry_profile, |p| if p.memberships.is_empty() { html! { <Empty /> } } else { html! {
                    <ul class="plain">
                    { for p.memberships.iter().map(|m| {
                        let leave = m.allowed_actions.contains(&MembershipAction::Leave).then(|| team_action(m.organization_id, "leave", Some(t(lang, "me.leave_confirm")), error.clone(), retry_profile.clone()));
                        html! {
                        <li>{ m.organization_name.clone() }{ " · " }<span class={classes!("tag", m.status.as_str())}>{ label(lang, "status", m.status) }</span>
                            if let Some(r) = &m.reason { <span class="muted">{ format!(" {r}") }</span> }
                            if let Some(onclick) = leave { { " " }<button type="button" class="link" {onclick}>{ t(lang, "me.leave") }</button> }</li>
                    } }) }
                    </ul>
                } }) }
                <JoinTeam done={retry_profile.clone()} />
            </section>
        </section>
    }
}

/// Asks to join a team, or leaves one; the list is read again after.
fn team_action(
    org: uuid::Uuid,
    action: &'static str,
    confirm: Option<&'static str>,
    error: UseStateHandle<Option<ApiError>>,
    done: Callback<()>,
) -> Callback<MouseEvent> {
    Callback::from(move |_| {
        // What cannot be undone is asked first (leaving a team means asking to join again).
        if let Some(question) = confirm {
            if !crate::components::confirmed(question) {
                return;
            }
        }
        let (error, done) = (error.clone(), done.clone());
        wasm_bindgen_futures::spawn_local(async move {
            let path = match action {
                "leave" => format!("/organizations/{org}/leave"),
                _ => format!("/organizations/{org}/memberships"),
            };
            match services::act::<zhihui_contract::volunteers::MembershipView>(&path).await {
                Ok(_) => error.set(None),
                Err(e) => error.set(Some(e)),
            }
            done.emit(());
        });
    })
}

#[derive(Properties, PartialEq)]
struct JoinProps {
    done: Callback<()>,
}

/// Finds an approved team by name and asks to join it.
#[component]
fn JoinTeam(props: &JoinProps) -> Html {
    let app = use_app();
    let lang = app.lang;
    let query = use_state(String::new);
    let found = use_state(Vec::<(uuid::Uuid, String)>::new);
    let error = use_state(|| None::<ApiError>);
    let search = {
        let (query, found) = (query.clone(), found.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let (q, found) = ((*query).clone(), found.clone());
            wasm_bindgen_futures::spawn_local(async move {
                found.set(services::find_organizations("", &q).await);
            });
        })
    };
    html! {
        <div class="join">
            <h3>{ t(lang, "me.join") }</h3>
            <ErrorBanner error={(*error).clone()} />
            <form class="inline" onsubmit={search}>
                <input type="search" aria-label={t(lang, "register.team_search")} placeholder={t(lang, "register.team_search")} value={(*query).clone()}
                    oninput={let q = query.clone(); Callback::from(move |e: InputEvent| q.set(input_value(&e)))} />
                <button type="submit">{ t(lang, "search") }</button>
            </form>
            <ul class="plain">{ for found.iter().map(|(id, name)| html! {
                <li>{ name.clone() }{ " " }<button type="button" onclick={team_action(*id, "join", None, error.clone(), props.done.clone())}>{ t(lang, "me.ask_to_join") }</button></li>
            }) }</ul>
        </div>
    }
}

/// Five stars, the earned ones filled.
fn stars(level: u8) -> String {
    let level = usize::from(level.min(5));
    format!("{}{}", "★".repeat(level), "☆".repeat(5 - level))
}

#[derive(Properties, PartialEq)]
pub struct VerifyProps {
    pub number: Option<String>,
}

/// Anyone checks a certificate by its number (the number printed on it, or its QR code).
#[component]
pub fn Verify(props: &VerifyProps) -> Html {
    let app = use_app();
    let lang = app.lang;
    let nav = use_navigator();
    let input = use_state(|| props.number.clone().unwrap_or_default());
    let (result, retry) = use_get::<CertificateVerificationView>(props.number.as_ref().map(|n| {
        format!(
            "/certificates/{}/verification",
            crate::services::enc(n.trim())
        )
    }));
    let onsubmit = {
        let input = input.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let n = input.trim().to_string();
            if let (Some(nav), false) = (nav.as_ref(), n.is_empty()) {
                nav.push(&Route::Verify { number: n });
            }
        })
    };
    html! {
        <section class="page narrow">
            <h1>{ t(lang, "verify.title") }</h1>
            <form class="inline" {onsubmit}>
                <label for="f-number" class="sr-only">{ t(lang, "verify.number") }</label>
                <input id="f-number" name="number" placeholder={t(lang, "verify.number")} value={(*input).clone()}
                    oninput={let i = input.clone(); Callback::from(move |e: InputEvent| i.set(input_value(&e)))} />
                <button type="submit" class="primary">{ t(lang, "verify.button") }</button>
            </form>
            if props.number.is_some() {
                { view_load(&result, lang, &retry, |v| html! {
                    <div class={classes!("verdict", if v.valid { "valid" } else { "revoked" })} role="status">
                        <h2>{ if v.valid { t(lang, "verify.valid") } else { t(lang, "verify.revoked") } }</h2>
                        <dl class="facts">
                            <dt>{ t(lang, "verify.number") }</dt><dd>{ v.number.clone() }</dd>
                            <dt>{ t(lang, "field.name") }</dt><dd>{ v.volunteer_name.clone() }</dd>
                            <dt>{ t(lang, "cert.hours") }</dt><dd>{ format::hours(lang, v.hours) }</dd>
                            <dt>{ t(lang, "cert.period") }</dt><dd>{ format!("{} – {}", format::date(lang, v.period_from), format::date(lang, v.period_to)) }</dd>
                            <dt>{ t(lang, "cert.issuer") }</dt><dd>{ v.issuer_name.clone() }</dd>
                            <dt>{ t(lang, "cert.issued") }</dt><dd>{ format::date(lang, v.issue_date) }</dd>
                        </dl>
                    </div>
                }) }
            }
        </section>
    }
}
