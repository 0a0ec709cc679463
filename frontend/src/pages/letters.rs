//! Pairing letters (结对函): a society's outbox and a county's inbox, writing and sending a
//! letter, and answering one.

use yew::prelude::*;
use yew_router::prelude::*;
use zhihui_contract::pairing::{
    AcceptPairingLetterRequest, CreatePairingLetterRequest, DeclinePairingLetterRequest,
    LetterDraft, PairingLetterPage, PairingLetterView, ProposedActivity,
    UpdatePairingLetterRequest,
};
use zhihui_domain::LetterAction;

use super::{local_error, precheck};
use crate::app::Route;
use crate::components::{input_value, use_app, use_get, view_load, Empty, ErrorBanner, TextField};
use crate::components::{more_button, use_pages};
use crate::format;
use crate::i18n::{label, t, Lang};
use crate::services::{self, ApiError};
use crate::validate::Kind;
use zhihui_contract::form::Reason;

fn letter_row(lang: Lang, l: &PairingLetterView, inbox: bool) -> Html {
    html! {
        <li class="card letter">
            <h3><Link<Route> to={Route::Letter { id: l.id.to_string() }}>{ l.subject.clone() }</Link<Route>></h3>
            <p class="meta">
                { if inbox { format!("{}：{}", t(lang, "letters.from"), l.sender.name) } else { format!("{}：{}", t(lang, "letters.to"), l.recipient.name) } }
                { " · " }<span class={classes!("tag", l.status.as_str())}>{ label(lang, "status", l.status) }</span>
                if let Some(s) = l.sent_at { { format!(" · {}", format::date_time(lang, s)) } }
            </p>
        </li>
    }
}

#[derive(Properties, PartialEq)]
pub struct OrgIdProps {
    pub org: uuid::Uuid,
}

/// The organisation's letters, both ways, and the form to write one.
#[component]
pub fn Letters(props: &OrgIdProps) -> Html {
    let app = use_app();
    let lang = app.lang;
    let org = props.org;
    let (inbox, retry_in, more_inbox) = use_pages::<PairingLetterPage>(Some(format!(
        "/pairing-letters?mailbox=inbox&organization_id={org}&limit=50"
    )));
    let (outbox, retry_out, more_outbox) = use_pages::<PairingLetterPage>(Some(format!(
        "/pairing-letters?mailbox=outbox&organization_id={org}&limit=50"
    )));
    let composing = use_state(|| false);
    html! {
        <>
            <section class="panel">
                <h2>{ t(lang, "letters.inbox") }</h2>
                { view_load(&inbox, lang, &retry_in, |p| if p.items.is_empty() { html! { <Empty /> } } else {
                    html! { <ul class="cards">{ for p.items.iter().map(|l| letter_row(lang, l, true)) }</ul> } }) }
                { more_button(lang, &inbox, &more_inbox) }
            </section>
            <section class="panel">
                <h2>{ t(lang, "letters.outbox") }</h2>
                { view_load(&outbox, lang, &retry_out, |p| if p.items.is_empty() { html! { <Empty /> } } else {
                    html! { <ul class="cards">{ for p.items.iter().map(|l| letter_row(lang, l, false)) }</ul> } }) }
                { more_button(lang, &outbox, &more_outbox) }
                if *composing {
                    <Compose org={org} />
                } else {
                    <button type="button" class="primary" onclick={let c = composing.clone(); move |_| c.set(true)}>{ t(lang, "letters.compose") }</button>
                }
            </section>
        </>
    }
}

#[derive(Clone, Default, PartialEq)]
struct LetterForm {
    recipient_query: String,
    recipient: Option<(uuid::Uuid, String)>,
    subject: String,
    purpose: String,
    what: String,
    month: String,
    place: String,
    period_from: String,
    period_to: String,
    contact_name: String,
    contact_phone: String,
}

#[component]
fn Compose(props: &OrgIdProps) -> Html {
    let app = use_app();
    let lang = app.lang;
    let nav = use_navigator();
    let form = use_state(|| LetterForm {
        month: format::month_of(format::now(), 1),
        ..Default::default()
    });
    let found = use_state(Vec::<(uuid::Uuid, String)>::new);
    let error = use_state(|| None::<ApiError>);
    let busy = use_state(|| false);
    let set = |f: fn(&mut LetterForm, String)| {
        let form = form.clone();
        Callback::from(move |v: String| {
            let mut n = (*form).clone();
            f(&mut n, v);
            form.set(n);
        })
    };
    let search = {
        let (form, found) = (form.clone(), found.clone());
        Callback::from(move |_| {
            let q = form.recipient_query.clone();
            let found = found.clone();
            wasm_bindgen_futures::spawn_local(async move {
                found.set(services::find_organizations("level=county&", &q).await);
            });
        })
    };
    let submit = {
        let (form, error, busy) = (form.clone(), error.clone(), busy.clone());
        let sender = props.org;
        move |send: bool| {
            let (form, error, busy, nav) = (form.clone(), error.clone(), busy.clone(), nav.clone());
            Callback::from(move |e: MouseEvent| {
                e.prevent_default();
                if *busy {
                    return;
                }
                let f = (*form).clone();
                if let Some(p) = precheck(&[
                    ("period_from", Kind::Required, &f.period_from, true),
                    ("period_to", Kind::Required, &f.period_to, true),
                ]) {
                    error.set(Some(p));
                    return;
                }
                let Some((recipient_id, _)) = f.recipient.clone() else {
                    error.set(Some(local_error("choose_recipient")));
                    return;
                };
                let date = |s: &str| crate::format::parse_date(s).unwrap_or_default();
                let body = CreatePairingLetterRequest {
                    sender_id: sender,
                    recipient_id,
                    subject: f.subject.trim().into(),
                    purpose: f.purpose.trim().into(),
                    activities: if f.what.trim().is_empty() {
                        vec![]
                    } else {
                        vec![ProposedActivity {
                            what: f.what.trim().into(),
                            month: f.month.clone(),
                            place: f.place.trim().into(),
                        }]
                    },
                    period_from: date(&f.period_from),
                    period_to: date(&f.period_to),
                    contact_name: f.contact_name.trim().into(),
                    contact_phone: f.contact_phone.trim().into(),
                };
                // The service's own check of the draft (texts, period, months, contact).
                let today = zhihui_domain::report::china_date(crate::format::now());
                if let Err(r) = LetterDraft::try_from((&body, today)) {
                    error.set(Some(super::refused(r)));
                    return;
                }
                busy.set(true);
                let (error, busy, nav) = (error.clone(), busy.clone(), nav.clone());
                wasm_bindgen_futures::spawn_local(async move {
                    let result = async {
                        let letter =
                            services::post::<_, PairingLetterView>("/pairing-letters", &body)
                                .await?;
                        if send {
                            services::act_version::<PairingLetterView>(
                                &format!("/pairing-letters/{}/send", letter.id),
                                letter.version,
                            )
                            .await
                        } else {
                            Ok(letter)
                        }
                    }
                    .await;
                    match result {
                        Ok(l) => {
                            if let Some(n) = nav {
                                n.push(&Route::Letter {
                                    id: l.id.to_string(),
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
    html! {
        <form class="compose" novalidate=true>
            <h3>{ t(lang, "letters.compose") }</h3>
            <ErrorBanner error={err.clone()} />
            <fieldset class={classes!(err.as_ref().is_some_and(|e| e.code == "choose_recipient" || e.field("recipient_id").is_some()).then_some("has-error"))}>
                <legend>{ t(lang, "letters.recipient") }</legend>
                if let Some((_, name)) = &f.recipient {
                    <p class="chosen">{ name.clone() }</p>
                }
                <div class="inline">
                    <input type="search" aria-label={t(lang, "letters.recipient")} value={f.recipient_query.clone()}
                        oninput={let form = form.clone(); Callback::from(move |e: InputEvent| { let mut n = (*form).clone(); n.recipient_query = input_value(&e); form.set(n); })} />
                    <button type="button" onclick={let s = search.clone(); move |_| s.emit(())}>{ t(lang, "search") }</button>
                </div>
                <ul class="choices">
                    { for found.iter().map(|(id, name)| {
                        let (form, id, name) = (form.clone(), *id, name.clone());
                        let chosen = f.recipient.as_ref().is_some_and(|(x, _)| *x == id);
                        let label_text = name.clone();
                        html! { <li><label class="check"><input type="radio" name="recipient" checked={chosen}
                            onchange={Callback::from(move |_| { let mut n = (*form).clone(); n.recipient = Some((id, name.clone())); form.set(n); })} />
                            { label_text }</label></li> }
                    }) }
                </ul>
            </fieldset>
            <TextField name="subject" label={t(lang, "letters.subject")} value={f.subject.clone()} required=true kind={Kind::Required} oninput={set(|f, v| f.subject = v)} error={err.clone()} />
            <TextField name="purpose" label={t(lang, "letters.purpose")} value={f.purpose.clone()} required=true kind={Kind::Required} multiline=true oninput={set(|f, v| f.purpose = v)} error={err.clone()} />
            <TextField name="activities[0].what" label={t(lang, "letters.what")} value={f.what.clone()} oninput={set(|f, v| f.what = v)} error={err.clone()} />
            <TextField name="activities[0].month" label={t(lang, "letters.month")} value={f.month.clone()} input_type="month" oninput={set(|f, v| f.month = v)} error={err.clone()} />
            <TextField name="activities[0].place" label={t(lang, "activity.place")} value={f.place.clone()} oninput={set(|f, v| f.place = v)} error={err.clone()} />
            <TextField name="period_from" label={t(lang, "letters.period_from")} value={f.period_from.clone()} input_type="date" required=true kind={Kind::Required} oninput={set(|f, v| f.period_from = v)} error={err.clone()} />
            <TextField name="period_to" label={t(lang, "letters.period_to")} value={f.period_to.clone()} input_type="date" required=true kind={Kind::Required} oninput={set(|f, v| f.period_to = v)} error={err.clone()} />
            <TextField name="contact_name" label={t(lang, "org.contact_name")} value={f.contact_name.clone()} required=true kind={Kind::PersonName} oninput={set(|f, v| f.contact_name = v)} error={err.clone()} />
            <TextField name="contact_phone" label={t(lang, "org.contact_phone")} value={f.contact_phone.clone()} required=true kind={Kind::Phone} input_type="tel" oninput={set(|f, v| f.contact_phone = v)} error={err.clone()} />
            <div class="actions">
                <button type="button" onclick={submit(false)} disabled={*busy}>{ t(lang, "letters.save_draft") }</button>
                <button type="submit" class="primary" onclick={submit(true)} disabled={*busy}>{ t(lang, "letters.send") }</button>
            </div>
        </form>
    }
}

#[derive(Properties, PartialEq)]
pub struct LetterProps {
    pub id: String,
}

/// One letter with its history, and what the caller may do with it now.
#[component]
pub fn LetterPage(props: &LetterProps) -> Html {
    let app = use_app();
    let lang = app.lang;
    let (letter, reload) =
        use_get::<PairingLetterView>(Some(format!("/pairing-letters/{}", props.id)));
    let error = use_state(|| None::<ApiError>);
    let busy = use_state(|| false);
    let reason = use_state(String::new);
    let act = {
        let (error, busy, reload, reason) =
            (error.clone(), busy.clone(), reload.clone(), reason.clone());
        move |action: &'static str, l: &PairingLetterView| {
            let (error, busy, reload, reason) =
                (error.clone(), busy.clone(), reload.clone(), reason.clone());
            let (id, version) = (l.id, l.version);
            Callback::from(move |_| {
                if *busy {
                    return;
                }
                if action == LetterAction::Decline.as_str() {
                    if let Err(r) = Reason::try_from(&DeclinePairingLetterRequest {
                        reason: (*reason).clone(),
                    }) {
                        error.set(Some(super::refused(r)));
                        return;
                    }
                }
                busy.set(true);
                let (error, busy, reload, why) = (
                    error.clone(),
                    busy.clone(),
                    reload.clone(),
                    (*reason).clone(),
                );
                wasm_bindgen_futures::spawn_local(async move {
                    let path = format!("/pairing-letters/{id}/{action}");
                    let result = match action {
                        "accept" => {
                            services::post_version::<_, PairingLetterView>(
                                &path,
                                &AcceptPairingLetterRequest { note: None },
                                version,
                            )
                            .await
                        }
                        "decline" => {
                            services::post_version::<_, PairingLetterView>(
                                &path,
                                &DeclinePairingLetterRequest {
                                    reason: why.trim().into(),
                                },
                                version,
                            )
                            .await
                        }
                        _ => services::act_version::<PairingLetterView>(&path, version).await,
                    };
                    match result {
                        Ok(_) => error.set(None),
                        Err(e) => error.set(Some(e)),
                    }
                    reload.emit(());
                    busy.set(false);
                });
            })
        }
    };
    let pdf = {
        let error = error.clone();
        let id = props.id.clone();
        Callback::from(move |_| {
            let (error, id) = (error.clone(), id.clone());
            wasm_bindgen_futures::spawn_local(async move {
                if let Err(e) = services::download(
                    &format!("/pairing-letters/{id}/pdf"),
                    &format!("pairing-letter-{id}.pdf"),
                )
                .await
                {
                    error.set(Some(e));
                }
            });
        })
    };
    view_load(&letter, lang, &reload, |l| {
        let can = |a: LetterAction| l.allowed_actions.contains(&a);
        html! {
            <section class="page">
                <h1>{ l.subject.clone() }</h1>
                <p class="meta"><span class={classes!("tag", l.status.as_str())}>{ label(lang, "status", l.status) }</span></p>
                <ErrorBanner error={(*error).clone()} />
                <dl class="facts">
                    <dt>{ t(lang, "letters.from") }</dt><dd>{ l.sender.name.clone() }</dd>
                    <dt>{ t(lang, "letters.to") }</dt><dd>{ l.recipient.name.clone() }</dd>
                    <dt>{ t(lang, "cert.period") }</dt><dd>{ format!("{} – {}", format::date(lang, l.period_from), format::date(lang, l.period_to)) }</dd>
                    <dt>{ t(lang, "org.contact_name") }</dt><dd>{ format!("{} {}", l.contact_name, l.contact_phone) }</dd>
                    if let Some(p) = &l.pairing { <dt>{ t(lang, "letters.proof") }</dt><dd class="proof">{ p.proof_number.clone() }</dd> }
                    if let Some(r) = &l.decline_reason { <dt>{ t(lang, "letters.decline_reason") }</dt><dd>{ r.clone() }</dd> }
                </dl>
                <p class="description">{ l.purpose.clone() }</p>
                if !l.activities.is_empty() {
                    <ul class="plain">{ for l.activities.iter().map(|a| html! { <li>{ format!("{} · {} · {}", format::month(lang, &a.month), a.what, a.place) }</li> }) }</ul>
                }
                <div class="actions">
                    if can(LetterAction::Send) { <button type="button" class="primary" onclick={act("send", l)} disabled={*busy}>{ t(lang, "letters.send") }</button> }
                    if can(LetterAction::Withdraw) { <button type="button" onclick={act("withdraw", l)} disabled={*busy}>{ t(lang, "letters.withdraw") }</button> }
                    if can(LetterAction::Accept) { <button type="button" class="primary" onclick={act("accept", l)} disabled={*busy}>{ t(lang, "letters.accept") }</button> }
                    <button type="button" onclick={pdf.clone()}>{ "PDF" }</button>
                </div>
                if can(LetterAction::Update) {
                    <EditLetter letter={l.clone()} done={reload.clone()} />
                }
                if can(LetterAction::Decline) {
                    <div class="decline">
                        <TextField name="reason" label={t(lang, "letters.decline_reason")} value={(*reason).clone()} required=true kind={Kind::Required}
                            oninput={let r = reason.clone(); Callback::from(move |v| r.set(v))} error={(*error).clone()} />
                        <button type="button" onclick={act("decline", l)} disabled={*busy}>{ t(lang, "letters.decline") }</button>
                    </div>
                }
                if let Some(h) = &l.history {
                    <ol class="history">{ for h.iter().map(|e| html! {
                        <li>{ format!("{} · {} · {}", format::date_time(lang, e.at), label(lang, "letter_event", e.action), e.actor_name.clone().unwrap_or_default()) }</li>
                    }) }</ol>
                }
            </section>
        }
    })
}

#[derive(Properties, PartialEq)]
struct EditLetterProps {
    letter: PairingLetterView,
    done: Callback<()>,
}

/// Changing a draft letter (its sender's admins): subject, purpose, period and contact,
/// checked with the service's own rule (the proposed activities must still fall within the
/// period) and sent with the version read.
#[component]
fn EditLetter(props: &EditLetterProps) -> Html {
    let app = use_app();
    let lang = app.lang;
    let l = &props.letter;
    let subject = use_state(|| l.subject.clone());
    let purpose = use_state(|| l.purpose.clone());
    let from = use_state(|| l.period_from.to_string());
    let to = use_state(|| l.period_to.to_string());
    let contact_name = use_state(|| l.contact_name.clone());
    let contact_phone = use_state(|| l.contact_phone.clone());
    let saving = super::use_saving();
    let onsubmit = {
        let fields = (
            subject.clone(),
            purpose.clone(),
            from.clone(),
            to.clone(),
            contact_name.clone(),
            contact_phone.clone(),
        );
        let (saving, done, current) = (saving.clone(), props.done.clone(), l.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let (subject, purpose, from, to, contact_name, contact_phone) = &fields;
            let date = |field: &str, s: &str| {
                crate::format::parse_date(s).ok_or_else(|| super::field_error(field, "required"))
            };
            let (period_from, period_to) = match (date("period_from", from), date("period_to", to))
            {
                (Ok(f), Ok(t)) => (f, t),
                (Err(e), _) | (_, Err(e)) => {
                    saving.error.set(Some(e));
                    return;
                }
            };
            let body = UpdatePairingLetterRequest {
                subject: Some(subject.trim().to_string()),
                purpose: Some(purpose.trim().to_string()),
                period_from: Some(period_from),
                period_to: Some(period_to),
                contact_name: Some(contact_name.trim().to_string()),
                contact_phone: Some(contact_phone.trim().to_string()),
                ..Default::default()
            };
            let today = zhihui_domain::report::china_date(crate::format::now());
            if let Some(Err(r)) = LetterDraft::of(&current).map(|d| d.amended(&body, today)) {
                saving.error.set(Some(super::refused(r)));
                return;
            }
            saving.put_version::<_, PairingLetterView>(
                format!("/pairing-letters/{}", current.id),
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
        <details class="panel edit">
            <summary>{ t(lang, "letters.edit") }</summary>
            <form {onsubmit} novalidate=true>
                <ErrorBanner error={err.clone()} />
                if *saved { <p class="success" role="status">{ t(lang, "letters.saved") }</p> }
                <TextField name="subject" label={t(lang, "letters.subject")} value={(*subject).clone()} required=true oninput={set(&subject)} error={err.clone()} />
                <TextField name="purpose" label={t(lang, "letters.purpose")} value={(*purpose).clone()} required=true multiline=true oninput={set(&purpose)} error={err.clone()} />
                <TextField name="period_from" label={t(lang, "letters.period_from")} value={(*from).clone()} required=true input_type="date" oninput={set(&from)} error={err.clone()} />
                <TextField name="period_to" label={t(lang, "letters.period_to")} value={(*to).clone()} required=true input_type="date" oninput={set(&to)} error={err.clone()} />
                <TextField name="contact_name" label={t(lang, "org.contact_name")} value={(*contact_name).clone()} required=true oninput={set(&contact_name)} error={err.clone()} />
                <TextField name="contact_phone" label={t(lang, "org.contact_phone")} value={(*contact_phone).clone()} required=true input_type="tel" oninput={set(&contact_phone)} error={err.clone()} />
                <button type="submit" class="primary" disabled={*busy}>{ t(lang, "save") }</button>
            </form>
        </details>
    }
}
