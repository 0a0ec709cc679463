//! Integrations (系统对接) of an organisation: the API clients of third-party systems and the
//! webhook endpoints that hear its events, with every delivery and its attempts. Keys and
//! signing secrets are shown once, when they are made; the service keeps only their hashes
//! (keys) or encrypted copies (secrets).

use yew::prelude::*;
use zhihui_contract::integrations::{
    ApiClientKeyView, ApiClientPage, ApiClientRegistration, ApiClientView, CreateApiClientRequest,
    CreateWebhookEndpointRequest, UpdateWebhookEndpointRequest, WebhookDeliveryDetail,
    WebhookDeliveryPage, WebhookDeliveryView, WebhookEndpointPage, WebhookEndpointSecretView,
    WebhookEndpointView, WebhookSettings,
};
use zhihui_domain::integration::ApiClientStatus;
use zhihui_domain::integration::{all_scopes, EventType};

use crate::components::{checked, use_app, use_get, view_load, Empty, ErrorBanner, TextField};
use crate::components::{confirmed, more_button, use_pages};
use crate::format;
use crate::i18n::{label, t, Lang};
use crate::services::{self, ApiError};
use crate::validate::Kind;

#[derive(Properties, PartialEq)]
pub struct OrgIdProps {
    pub org: uuid::Uuid,
}

/// The organisation's integrations tab.
#[component]
pub fn Integrations(props: &OrgIdProps) -> Html {
    html! {
        <>
            <ApiClients org={props.org} />
            <Webhooks org={props.org} />
        </>
    }
}

/// A key or secret shown once, with what to do with it.
fn shown_once(lang: Lang, what: &str, value: &str) -> Html {
    html! {
        <div class="notice" role="status">
            <p><strong>{ what.to_string() }</strong>{ " " }{ t(lang, "integrations.shown_once") }</p>
            <p><code class="secret">{ value.to_string() }</code></p>
        </div>
    }
}

/// Check boxes over a closed list; `chosen` is kept in the list's order.
fn choices(
    name: &'static str,
    all: &[String],
    chosen: &UseStateHandle<Vec<String>>,
    shown: impl Fn(&str) -> String,
) -> Html {
    html! {
        <fieldset class="choices" id={format!("f-{name}")}>
            { for all.iter().map(|v| {
                let on = chosen.contains(v);
                let onchange = {
                    let (chosen, v, all) = (chosen.clone(), v.clone(), all.to_vec());
                    Callback::from(move |e: Event| {
                        let mut next = (*chosen).clone();
                        next.retain(|x| *x != v);
                        if checked(&e) {
                            next.push(v.clone());
                        }
                        next.sort_by_key(|x| all.iter().position(|a| a == x));
                        chosen.set(next);
                    })
                };
                html! { <label class="choice"><input type="checkbox" name={name} value={v.clone()} checked={on} {onchange} />{ shown(v) }</label> }
            }) }
        </fieldset>
    }
}

fn scope_label(lang: Lang, scope: &str) -> String {
    let (family, access) = scope.split_once(':').unwrap_or((scope, ""));
    format!(
        "{} · {}",
        label(lang, "scope", family),
        label(lang, "access", access)
    )
}

#[component]
fn ApiClients(props: &OrgIdProps) -> Html {
    let app = use_app();
    let lang = app.lang;
    let org = props.org;
    let (page, reload, more_page) =
        use_pages::<ApiClientPage>(Some(format!("/organizations/{org}/api-clients?limit=20")));
    let name = use_state(String::new);
    let scopes = use_state(Vec::<String>::new);
    let error = use_state(|| None::<ApiError>);
    let busy = use_state(|| false);
    let key = use_state(|| None::<(String, String)>);
    // Counts creations: the form is mounted afresh after each, its fields untouched.
    let made = use_state(|| 0u32);
    let all: Vec<String> = all_scopes().collect();
    let create = {
        let (name, scopes, error, busy, key, reload, made) = (
            name.clone(),
            scopes.clone(),
            error.clone(),
            busy.clone(),
            key.clone(),
            reload.clone(),
            made.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *busy {
                return;
            }
            let body = CreateApiClientRequest {
                name: name.trim().to_string(),
                scopes: (*scopes).clone(),
            };
            if let Err(r) = ApiClientRegistration::try_from(&body) {
                error.set(Some(super::refused(r)));
                return;
            }
            busy.set(true);
            let (name, scopes, error, busy, key, reload, made) = (
                name.clone(),
                scopes.clone(),
                error.clone(),
                busy.clone(),
                key.clone(),
                reload.clone(),
                made.clone(),
            );
            wasm_bindgen_futures::spawn_local(async move {
                match services::post::<_, ApiClientKeyView>(
                    &format!("/organizations/{org}/api-clients"),
                    &body,
                )
                .await
                {
                    Ok(k) => {
                        key.set(Some((k.client.name.clone(), k.api_key)));
                        made.set(*made + 1);
                        name.set(String::new());
                        scopes.set(vec![]);
                        error.set(None);
                        reload.emit(());
                    }
                    Err(e) => error.set(Some(e)),
                }
                busy.set(false);
            });
        })
    };
    let act = {
        let (error, key, reload) = (error.clone(), key.clone(), reload.clone());
        move |c: &ApiClientView, action: &'static str| {
            let (error, key, reload) = (error.clone(), key.clone(), reload.clone());
            let (id, client_name) = (c.id, c.name.clone());
            Callback::from(move |_| {
                let confirm = if action == "revoke" {
                    "integrations.confirm_revoke"
                } else {
                    "integrations.confirm_rotate"
                };
                if !confirmed(t(lang, confirm)) {
                    return;
                }
                let (error, key, reload, client_name) = (
                    error.clone(),
                    key.clone(),
                    reload.clone(),
                    client_name.clone(),
                );
                wasm_bindgen_futures::spawn_local(async move {
                    let r = if action == "rotate" {
                        services::act::<ApiClientKeyView>(&format!("/api-clients/{id}/rotate"))
                            .await
                            .map(|k| key.set(Some((client_name, k.api_key))))
                    } else {
                        services::act::<ApiClientView>(&format!("/api-clients/{id}/revoke"))
                            .await
                            .map(|_| ())
                    };
                    error.set(r.err());
                    reload.emit(());
                });
            })
        }
    };
    html! {
        <section class="panel">
            <h2>{ t(lang, "integrations.api_clients") }</h2>
            <p class="hint">{ t(lang, "integrations.api_clients_hint") }</p>
            <ErrorBanner error={(*error).clone()} />
            if let Some((n, k)) = &*key { { shown_once(lang, n, k) } }
            { view_load(&page, lang, &reload, |p| if p.items.is_empty() { html! { <Empty /> } } else { html! {
                <div class="table-wrap"><table>
                    <thead><tr>
                        <th>{ t(lang, "integrations.name") }</th><th>{ t(lang, "integrations.key_prefix") }</th>
                        <th>{ t(lang, "integrations.scopes") }</th><th>{ t(lang, "integrations.status") }</th>
                        <th>{ t(lang, "integrations.last_used") }</th><th></th>
                    </tr></thead>
                    <tbody>{ for p.items.iter().map(|c| html! { <tr>
                        <td>{ c.name.clone() }</td><td><code>{ format!("zhc_{}_…", c.key_prefix) }</code></td>
                        <td>{ c.scopes.iter().map(|s| scope_label(lang, s)).collect::<Vec<_>>().join("、") }</td>
                        <td><span class={classes!("tag", c.status.as_str())}>{ label(lang, "client_status", c.status) }</span></td>
                        <td>{ c.last_used_at.map(|at| format!("{} {}", format::date_time(lang, at), c.last_used_from.clone().unwrap_or_default())).unwrap_or_else(|| "—".into()) }</td>
                        <td class="actions">
                            if c.status == ApiClientStatus::Active {
                                <button type="button" onclick={act(c, "rotate")}>{ t(lang, "integrations.rotate") }</button>
                                <button type="button" class="danger" onclick={act(c, "revoke")}>{ t(lang, "integrations.revoke") }</button>
                            }
                        </td>
                    </tr> }) }</tbody>
                </table></div>
            } }) }
            { more_button(lang, &page, &more_page) }
            <form class="form" onsubmit={create} key={format!("client-{}", *made)}>
                <h3>{ t(lang, "integrations.new_client") }</h3>
                <TextField name="name" label={t(lang, "integrations.name")} value={(*name).clone()} required=true kind={Kind::Required}
                    oninput={let n = name.clone(); Callback::from(move |v| n.set(v))} error={(*error).clone()} />
                <p class="label">{ t(lang, "integrations.scopes") }</p>
                { choices("scopes", &all, &scopes, |s| scope_label(lang, s)) }
                if let Some(e) = error.as_ref().and_then(|e| e.field("scopes")) {
                    <p class="field-error" role="alert">{ crate::i18n::error_text(lang, &e.code, &e.message) }</p>
                }
                <button type="submit" class="primary" disabled={*busy}>{ t(lang, "integrations.create_client") }</button>
            </form>
        </section>
    }
}

fn subscribable() -> Vec<String> {
    EventType::ALL
        .iter()
        .filter(|e| **e != EventType::Ping)
        .map(|e| e.as_str().to_string())
        .collect()
}

#[component]
fn Webhooks(props: &OrgIdProps) -> Html {
    let app = use_app();
    let lang = app.lang;
    let org = props.org;
    let (page, reload, more_page) = use_pages::<WebhookEndpointPage>(Some(format!(
        "/webhooks?organization_id={org}&limit=200"
    )));
    let url = use_state(String::new);
    let description = use_state(String::new);
    let events = use_state(Vec::<String>::new);
    let error = use_state(|| None::<ApiError>);
    let busy = use_state(|| false);
    let secret = use_state(|| None::<(String, String)>);
    let open = use_state(|| None::<uuid::Uuid>);
    let editing = use_state(|| None::<uuid::Uuid>);
    let made = use_state(|| 0u32);
    let all = subscribable();
    let create = {
        let (url, description, events, error, busy, secret, reload, made) = (
            url.clone(),
            description.clone(),
            events.clone(),
            error.clone(),
            busy.clone(),
            secret.clone(),
            reload.clone(),
            made.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *busy {
                return;
            }
            let body = CreateWebhookEndpointRequest {
                organization_id: Some(org),
                url: url.trim().to_string(),
                description: Some(description.trim().to_string()).filter(|d| !d.is_empty()),
                event_types: (*events).clone(),
            };
            // The address's shape and the event types; whether plain local addresses are
            // allowed, and where a name resolves, are the service's to say.
            if let Err(r) = WebhookSettings::try_from((&body, true)) {
                error.set(Some(super::refused(r)));
                return;
            }
            busy.set(true);
            let (url, description, events, error, busy, secret, reload, made) = (
                url.clone(),
                description.clone(),
                events.clone(),
                error.clone(),
                busy.clone(),
                secret.clone(),
                reload.clone(),
                made.clone(),
            );
            wasm_bindgen_futures::spawn_local(async move {
                match services::post::<_, WebhookEndpointSecretView>("/webhooks", &body).await {
                    Ok(s) => {
                        secret.set(Some((s.endpoint.url.clone(), s.secret)));
                        made.set(*made + 1);
                        url.set(String::new());
                        description.set(String::new());
                        events.set(vec![]);
                        error.set(None);
                        reload.emit(());
                    }
                    Err(e) => error.set(Some(e)),
                }
                busy.set(false);
            });
        })
    };
    let act = {
        let (error, secret, reload) = (error.clone(), secret.clone(), reload.clone());
        move |w: &WebhookEndpointView, action: &'static str| {
            let (error, secret, reload) = (error.clone(), secret.clone(), reload.clone());
            let (id, url, active) = (w.id, w.url.clone(), w.active);
            Callback::from(move |_| {
                let question = match action {
                    "delete" => Some("integrations.confirm_delete"),
                    "rotate" => Some("integrations.confirm_rotate"),
                    _ => None,
                };
                if question.is_some_and(|q| !confirmed(t(lang, q))) {
                    return;
                }
                let (error, secret, reload, url) =
                    (error.clone(), secret.clone(), reload.clone(), url.clone());
                wasm_bindgen_futures::spawn_local(async move {
                    let r = match action {
                        "ping" => {
                            services::act::<WebhookDeliveryView>(&format!("/webhooks/{id}/ping"))
                                .await
                                .map(|_| ())
                        }
                        "rotate" => services::act::<WebhookEndpointSecretView>(&format!(
                            "/webhooks/{id}/rotate"
                        ))
                        .await
                        .map(|s| secret.set(Some((url, s.secret)))),
                        "toggle" => services::patch::<_, WebhookEndpointView>(
                            &format!("/webhooks/{id}"),
                            &UpdateWebhookEndpointRequest {
                                url: None,
                                description: None,
                                event_types: None,
                                active: Some(!active),
                            },
                        )
                        .await
                        .map(|_| ()),
                        _ => services::delete::<()>(&format!("/webhooks/{id}")).await,
                    };
                    error.set(r.err());
                    reload.emit(());
                });
            })
        }
    };
    html! {
        <section class="panel">
            <h2>{ t(lang, "integrations.webhooks") }</h2>
            <p class="hint">{ t(lang, "integrations.webhooks_hint") }</p>
            <ErrorBanner error={(*error).clone()} />
            if let Some((u, s)) = &*secret { { shown_once(lang, u, s) } }
            { view_load(&page, lang, &reload, |p| if p.items.is_empty() { html! { <Empty /> } } else { html! {
                <div class="table-wrap"><table>
                    <thead><tr>
                        <th>{ t(lang, "integrations.url") }</th><th>{ t(lang, "integrations.events") }</th>
                        <th>{ t(lang, "integrations.status") }</th><th></th>
                    </tr></thead>
                    <tbody>{ for p.items.iter().map(|w| {
                        let id = w.id;
                        let show = { let open = open.clone(); Callback::from(move |_| open.set(if *open == Some(id) { None } else { Some(id) })) };
                        let edit = { let editing = editing.clone(); Callback::from(move |_| editing.set(if *editing == Some(id) { None } else { Some(id) })) };
                        html! { <>
                        <tr>
                            <td><code>{ w.url.clone() }</code><br /><span class="hint">{ w.description.clone() }</span></td>
                            <td>{ w.event_types.iter().map(|e| label(lang, "webhook_event", e)).collect::<Vec<_>>().join("、") }</td>
                            <td><span class={classes!("tag", if w.active { "active" } else { "paused" })}>
                                { t(lang, if w.active { "integrations.active" } else { "integrations.paused" }) }</span></td>
                            <td class="actions">
                                <button type="button" onclick={show}>{ t(lang, "integrations.deliveries") }</button>
                                <button type="button" onclick={edit}>{ t(lang, "integrations.edit") }</button>
                                <button type="button" onclick={act(w, "ping")}>{ t(lang, "integrations.ping") }</button>
                                <button type="button" onclick={act(w, "toggle")}>{ t(lang, if w.active { "integrations.pause" } else { "integrations.resume" }) }</button>
                                <button type="button" onclick={act(w, "rotate")}>{ t(lang, "integrations.rotate") }</button>
                                <button type="button" class="danger" onclick={act(w, "delete")}>{ t(lang, "integrations.delete") }</button>
                            </td>
                        </tr>
                        if *editing == Some(id) {
                            <tr><td colspan="4"><EditEndpoint id={id} done={{ let (editing, reload) = (editing.clone(), reload.clone()); Callback::from(move |_| { editing.set(None); reload.emit(()); }) }} /></td></tr>
                        }
                        if *open == Some(id) {
                            <tr><td colspan="4"><Deliveries endpoint={id} /></td></tr>
                        }
                        </> }
                    }) }</tbody>
                </table></div>
            } }) }
            { more_button(lang, &page, &more_page) }
            <form class="form" onsubmit={create} key={format!("webhook-{}", *made)}>
                <h3>{ t(lang, "integrations.new_webhook") }</h3>
                <TextField name="url" label={t(lang, "integrations.url")} value={(*url).clone()} required=true kind={Kind::Required}
                    input_type="url" oninput={let u = url.clone(); Callback::from(move |v| u.set(v))} error={(*error).clone()} />
                <TextField name="description" label={t(lang, "integrations.description")} value={(*description).clone()}
                    oninput={let d = description.clone(); Callback::from(move |v| d.set(v))} error={(*error).clone()} />
                <p class="label">{ t(lang, "integrations.events") }</p>
                { choices("event_types", &all, &events, |e| label(lang, "webhook_event", e)) }
                if let Some(e) = error.as_ref().and_then(|e| e.field("event_types")) {
                    <p class="field-error" role="alert">{ crate::i18n::error_text(lang, &e.code, &e.message) }</p>
                }
                <button type="submit" class="primary" disabled={*busy}>{ t(lang, "integrations.create_webhook") }</button>
            </form>
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct EditProps {
    id: uuid::Uuid,
    done: Callback<()>,
}

/// Changes an endpoint's address, description or events, starting from what the service
/// holds now (it may have changed since the list was read).
#[component]
fn EditEndpoint(props: &EditProps) -> Html {
    let app = use_app();
    let (current, retry) = use_get::<WebhookEndpointView>(Some(format!("/webhooks/{}", props.id)));
    view_load(&current, app.lang, &retry, |w| {
        html! { <EditForm endpoint={w.clone()} done={props.done.clone()} /> }
    })
}

#[derive(Properties, PartialEq)]
struct EditFormProps {
    endpoint: WebhookEndpointView,
    done: Callback<()>,
}

#[component]
fn EditForm(props: &EditFormProps) -> Html {
    let app = use_app();
    let lang = app.lang;
    let id = props.endpoint.id;
    let url = use_state(|| props.endpoint.url.clone());
    let description = use_state(|| props.endpoint.description.clone());
    let events = use_state(|| {
        props
            .endpoint
            .event_types
            .iter()
            .map(|e| e.as_str().to_string())
            .collect::<Vec<_>>()
    });
    let error = use_state(|| None::<ApiError>);
    let busy = use_state(|| false);
    let all = subscribable();
    let save = {
        let (url, description, events, error, busy, done) = (
            url.clone(),
            description.clone(),
            events.clone(),
            error.clone(),
            busy.clone(),
            props.done.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *busy {
                return;
            }
            let body = UpdateWebhookEndpointRequest {
                url: Some(url.trim().to_string()),
                description: Some(description.trim().to_string()),
                event_types: Some((*events).clone()),
                active: None,
            };
            if let Err(r) = WebhookSettings::try_from((&body, true)) {
                error.set(Some(super::refused(r)));
                return;
            }
            busy.set(true);
            let (error, busy, done) = (error.clone(), busy.clone(), done.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match services::patch::<_, WebhookEndpointView>(&format!("/webhooks/{id}"), &body)
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
        <form class="form" onsubmit={save}>
            <ErrorBanner error={(*error).clone()} />
            <TextField name="url" label={t(lang, "integrations.url")} value={(*url).clone()} required=true kind={Kind::Required}
                input_type="url" oninput={let u = url.clone(); Callback::from(move |v| u.set(v))} error={(*error).clone()} />
            <TextField name="description" label={t(lang, "integrations.description")} value={(*description).clone()}
                oninput={let d = description.clone(); Callback::from(move |v| d.set(v))} error={(*error).clone()} />
            { choices("event_types", &all, &events, |e| label(lang, "webhook_event", e)) }
            <button type="submit" class="primary" disabled={*busy}>{ t(lang, "save") }</button>
        </form>
    }
}

#[derive(Properties, PartialEq)]
struct DeliveriesProps {
    endpoint: uuid::Uuid,
}

/// An endpoint's deliveries, newest first, by status; each with its attempts, and sent
/// again on request.
#[component]
fn Deliveries(props: &DeliveriesProps) -> Html {
    let app = use_app();
    let lang = app.lang;
    let endpoint = props.endpoint;
    let status = use_state(String::new);
    let path = format!(
        "/webhooks/{endpoint}/deliveries?limit=50{}",
        if status.is_empty() {
            String::new()
        } else {
            format!("&status={}", *status)
        }
    );
    let (page, reload) = use_get::<WebhookDeliveryPage>(Some(path));
    let detail = use_state(|| None::<WebhookDeliveryDetail>);
    let error = use_state(|| None::<ApiError>);
    let open = {
        let (detail, error) = (detail.clone(), error.clone());
        move |id: uuid::Uuid| {
            let (detail, error) = (detail.clone(), error.clone());
            Callback::from(move |_| {
                let (detail, error) = (detail.clone(), error.clone());
                wasm_bindgen_futures::spawn_local(async move {
                    match services::get::<WebhookDeliveryDetail>(&format!(
                        "/webhook-deliveries/{id}"
                    ))
                    .await
                    {
                        Ok(d) => detail.set(Some(d)),
                        Err(e) => error.set(Some(e)),
                    }
                });
            })
        }
    };
    let replay = {
        let (error, reload) = (error.clone(), reload.clone());
        move |id: uuid::Uuid| {
            let (error, reload) = (error.clone(), reload.clone());
            Callback::from(move |_| {
                let (error, reload) = (error.clone(), reload.clone());
                wasm_bindgen_futures::spawn_local(async move {
                    let r = services::act::<WebhookDeliveryView>(&format!(
                        "/webhook-deliveries/{id}/replay"
                    ))
                    .await;
                    error.set(r.err());
                    reload.emit(());
                });
            })
        }
    };
    let filter = {
        let status = status.clone();
        Callback::from(move |v: String| status.set(v))
    };
    let statuses: Vec<(String, String)> = zhihui_domain::integration::DeliveryStatus::ALL
        .iter()
        .map(|s| (s.as_str().to_string(), label(lang, "delivery", s.as_str())))
        .collect();
    html! {
        <div class="deliveries">
            <ErrorBanner error={(*error).clone()} />
            <crate::components::SelectField name="status" label={t(lang, "integrations.status")} value={(*status).clone()}
                options={statuses} onchange={filter} placeholder={Some(AttrValue::Static(t(lang, "all")))} />
            { view_load(&page, lang, &reload, |p| if p.items.is_empty() { html! { <Empty /> } } else { html! {
                <div class="table-wrap"><table>
                    <thead><tr>
                        <th>{ t(lang, "integrations.event") }</th><th>{ t(lang, "integrations.status") }</th>
                        <th>{ t(lang, "integrations.attempts") }</th><th>{ t(lang, "integrations.last_error") }</th>
                        <th>{ t(lang, "integrations.created") }</th><th></th>
                    </tr></thead>
                    <tbody>{ for p.items.iter().map(|d| html! { <tr>
                        <td>{ label(lang, "webhook_event", d.event_type) }</td>
                        <td><span class={classes!("tag", d.status.as_str())}>{ label(lang, "delivery", d.status) }</span></td>
                        <td>{ d.attempts }</td>
                        <td>{ d.last_error.clone().unwrap_or_default() }</td>
                        <td>{ format::date_time(lang, d.created_at) }</td>
                        <td class="actions">
                            <button type="button" onclick={open(d.id)}>{ t(lang, "integrations.attempts") }</button>
                            <button type="button" onclick={replay(d.id)}>{ t(lang, "integrations.replay") }</button>
                        </td>
                    </tr> }) }</tbody>
                </table></div>
            } }) }
            if let Some(d) = &*detail {
                <div class="panel">
                    <h3>{ format!("{} · {}", label(lang, "webhook_event", d.delivery.event_type), d.event.id) }</h3>
                    <ol class="attempts">{ for d.attempts.iter().map(|a| html! {
                        <li>{ format!("{} · {} · {} ms · {}", format::date_time(lang, a.attempted_at),
                            a.status_code.map(|c| c.to_string()).unwrap_or_else(|| "—".into()), a.duration_ms,
                            a.error.clone().or_else(|| a.response_excerpt.clone()).unwrap_or_default()) }</li>
                    }) }</ol>
                    if d.attempts.is_empty() { <p>{ t(lang, "integrations.no_attempts") }</p> }
                    <button type="button" onclick={{ let detail = detail.clone(); Callback::from(move |_| detail.set(None)) }}>{ t(lang, "integrations.close") }</button>
                </div>
            }
        </div>
    }
}
