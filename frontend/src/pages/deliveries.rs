//! The platform's delivery log of notification emails and SMS: what went, what waits (quiet
//! hours, the digest, a retry), what was skipped and why, what failed after a day of
//! retries. Addresses never appear.

use yew::prelude::*;
use zhihui_contract::notifications::NotificationDeliveryPage;
use zhihui_domain::notification::{Channel, SendStatus};

use crate::components::{more_button, use_app, use_pages, view_load, Empty, SelectField};
use crate::format;
use crate::i18n::{label, t};

#[component]
pub fn DeliveryLog() -> Html {
    let app = use_app();
    let lang = app.lang;
    let status = use_state(String::new);
    let channel = use_state(String::new);
    let mut path = "/notification-deliveries?limit=50".to_string();
    if !status.is_empty() {
        path.push_str(&format!("&status={}", *status));
    }
    if !channel.is_empty() {
        path.push_str(&format!("&channel={}", *channel));
    }
    let (page, retry, more) = use_pages::<NotificationDeliveryPage>(Some(path));
    let keep = |s: &UseStateHandle<String>| {
        let s = s.clone();
        Callback::from(move |v: String| s.set(v))
    };
    html! {
        <div class="deliveries" id="notification-deliveries">
            <div class="filters">
                <SelectField name="status" label={t(lang, "deliveries.status")} value={(*status).clone()}
                    options={super::options::<SendStatus>(lang, "send_status")} onchange={keep(&status)}
                    placeholder={Some(AttrValue::Static(t(lang, "all")))} />
                <SelectField name="channel" label={t(lang, "deliveries.channel")} value={(*channel).clone()}
                    options={super::options::<Channel>(lang, "channel")} onchange={keep(&channel)}
                    placeholder={Some(AttrValue::Static(t(lang, "all")))} />
            </div>
            { view_load(&page, lang, &retry, |p| if p.items.is_empty() { html! { <Empty /> } } else { html! {
                <div class="table-wrap"><table>
                    <thead><tr>
                        <th>{ t(lang, "deliveries.kind") }</th><th>{ t(lang, "deliveries.channel") }</th>
                        <th>{ t(lang, "deliveries.status") }</th><th>{ t(lang, "deliveries.attempts") }</th>
                        <th>{ t(lang, "deliveries.when") }</th><th>{ t(lang, "deliveries.error") }</th>
                    </tr></thead>
                    <tbody>{ for p.items.iter().map(|d| html! { <tr>
                        <td>{ d.kind.map(|k| label(lang, "notice_kind", k)).unwrap_or_default() }</td>
                        <td>{ label(lang, "channel", d.channel) }</td>
                        <td><span class={classes!("tag", d.status.as_str())}>{ label(lang, "send_status", d.status) }</span></td>
                        <td>{ d.attempts }</td>
                        <td>{ format::date_time(lang, d.sent_at.or(d.next_attempt_at).unwrap_or(d.created_at)) }</td>
                        <td>{ d.last_error.clone().unwrap_or_default() }</td>
                    </tr> }) }</tbody>
                </table></div>
            } }) }
            { more_button(lang, &page, &more) }
        </div>
    }
}
