//! Pieces every page uses: the app context, the loading hook, form fields that validate as
//! they are typed, error banners, loading and empty states.

use std::rc::Rc;

use serde::de::DeserializeOwned;
use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;
use zhihui_contract::accounts::MeView;

use crate::i18n::{error_text, t, Lang};
use crate::services::{get, ApiError, FieldMessage};
use crate::validate::{check, Kind};

/// What every page may know: the language, who is signed in, how to change either.
#[derive(Clone, PartialEq)]
pub struct AppCtx {
    pub lang: Lang,
    /// `None` when nobody is signed in.
    pub me: Option<Rc<MeView>>,
    /// False until the saved session (if any) has been renewed on start.
    pub ready: bool,
    pub set_lang: Callback<Lang>,
    /// Reads `/me` again (after sign-in, registration, sign-out).
    pub reload_me: Callback<()>,
    /// Says what an action did (a text key), for a few seconds.
    pub toast: Callback<&'static str>,
}

impl AppCtx {
    pub fn t(&self, key: &'static str) -> &'static str {
        t(self.lang, key)
    }

    pub fn administers(&self, org: uuid::Uuid) -> bool {
        self.me.as_ref().is_some_and(|m| {
            m.is_platform_admin || m.administered_organizations.iter().any(|o| o.id == org)
        })
    }
}

#[hook]
pub fn use_app() -> AppCtx {
    use_context::<AppCtx>().unwrap_or_else(|| AppCtx {
        lang: Lang::Zh,
        me: None,
        ready: true,
        set_lang: Callback::noop(),
        reload_me: Callback::noop(),
        toast: Callback::noop(),
    })
}

/// Asks before what cannot be undone (`window.confirm`); without a window (tests) the
/// answer is yes.
pub fn confirmed(question: &str) -> bool {
    web_sys::window()
        .map(|w| w.confirm_with_message(question).unwrap_or(false))
        .unwrap_or(true)
}

/// A value read from the API.
pub enum Load<T> {
    Loading,
    Ready(Rc<T>),
    Failed(ApiError),
}

impl<T> Clone for Load<T> {
    fn clone(&self) -> Self {
        match self {
            Load::Loading => Load::Loading,
            Load::Ready(v) => Load::Ready(v.clone()),
            Load::Failed(e) => Load::Failed(e.clone()),
        }
    }
}

impl<T> PartialEq for Load<T> {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Load::Loading, Load::Loading) => true,
            (Load::Ready(a), Load::Ready(b)) => Rc::ptr_eq(a, b),
            (Load::Failed(a), Load::Failed(b)) => a == b,
            _ => false,
        }
    }
}

/// GETs `path` (nothing while it is `None`) and again whenever the returned callback is
/// called; a reload keeps showing the old value until the new one arrives. Only the answer
/// to the latest request is shown: when the path changes twice quickly (a filter changed
/// again before its list arrived), an earlier answer arriving last is dropped.
#[hook]
pub fn use_get<T>(path: Option<String>) -> (Load<T>, Callback<()>)
where
    T: DeserializeOwned + 'static,
{
    let state = use_state(|| Load::<T>::Loading);
    let tick = use_state(|| 0u32);
    let latest = use_mut_ref(|| 0u64);
    {
        let state = state.clone();
        use_effect_with((path, *tick), move |(path, _)| {
            if let Some(path) = path.clone() {
                if !matches!(*state, Load::Ready(_)) {
                    state.set(Load::Loading);
                }
                let request = {
                    let mut n = latest.borrow_mut();
                    *n += 1;
                    *n
                };
                wasm_bindgen_futures::spawn_local(async move {
                    let answer = get::<T>(&path).await;
                    if *latest.borrow() != request {
                        return;
                    }
                    match answer {
                        Ok(v) => state.set(Load::Ready(Rc::new(v))),
                        Err(e) => state.set(Load::Failed(e)),
                    }
                });
            }
        });
    }
    let reload = {
        let tick = tick.clone();
        Callback::from(move |_| tick.set(*tick + 1))
    };
    ((*state).clone(), reload)
}

/// A page of a list the API pages by cursor (`items` and `next_cursor`).
pub trait Paged: DeserializeOwned + Clone + 'static {
    fn next_cursor(&self) -> Option<&str>;
    /// The next page's items added after these, and its cursor kept.
    fn append(&mut self, next: Self);
}

macro_rules! paged {
    ($($t:ty),+ $(,)?) => {$(
        impl Paged for $t {
            fn next_cursor(&self) -> Option<&str> {
                self.next_cursor.as_deref()
            }
            fn append(&mut self, next: Self) {
                self.items.extend(next.items);
                self.next_cursor = next.next_cursor;
            }
        }
    )+};
}

paged!(
    zhihui_contract::activities::ActivityPage,
    zhihui_contract::activities::SignUpPage,
    zhihui_contract::activities::MySignUpPage,
    zhihui_contract::volunteers::MemberPage,
    zhihui_contract::organizations::OrganizationPage,
    zhihui_contract::applications::ApplicationPage,
    zhihui_contract::applications::CallPage,
    zhihui_contract::reports::MonthlyReportPage,
    zhihui_contract::integrations::ApiClientPage,
    zhihui_contract::integrations::WebhookEndpointPage,
    zhihui_contract::integrations::WebhookDeliveryPage,
    zhihui_contract::records::CertificatePage,
    zhihui_contract::records::ServiceRecordPage,
    zhihui_contract::pairing::PairingLetterPage,
    zhihui_contract::pairing::PairingPage,
    zhihui_contract::needs::NeedPage,
    zhihui_contract::hub::ServicePointPage,
    zhihui_contract::hub::ExhibitionPage,
    zhihui_contract::campaigns::CampaignPage,
    zhihui_contract::campaigns::CampaignEntryPage,
    zhihui_contract::notifications::NotificationPage,
    zhihui_contract::notifications::NotificationDeliveryPage,
);

/// A list paged by the API's cursor: the first page of `path`, then each next page added
/// below when the returned `more` callback is called, so nothing is cut silently. A reload
/// starts again from the first page.
#[hook]
pub fn use_pages<P: Paged>(path: Option<String>) -> (Load<P>, Callback<()>, Callback<()>) {
    let (first, reload) = use_get::<P>(path.clone());
    let extended = use_state(|| None::<Rc<P>>);
    {
        // A new first page (a reload, another filter) drops the pages added to the old one.
        let extended = extended.clone();
        use_effect_with(first.clone(), move |_| extended.set(None));
    }
    let shown = match (&first, &*extended) {
        (Load::Ready(_), Some(all)) => Load::Ready(all.clone()),
        _ => first.clone(),
    };
    let more = {
        let (shown, extended) = (shown.clone(), extended.clone());
        Callback::from(move |_| {
            let Load::Ready(current) = &shown else {
                return;
            };
            let (Some(cursor), Some(path)) = (current.next_cursor(), path.clone()) else {
                return;
            };
            let sep = if path.contains('?') { '&' } else { '?' };
            let next_path = format!("{path}{sep}cursor={}", crate::services::enc(cursor));
            let (current, extended) = (current.clone(), extended.clone());
            wasm_bindgen_futures::spawn_local(async move {
                if let Ok(next) = get::<P>(&next_path).await {
                    let mut all = (*current).clone();
                    all.append(next);
                    extended.set(Some(Rc::new(all)));
                }
            });
        })
    };
    (shown, reload, more)
}

/// The "more" button under a paged list, while the API has more to give.
pub fn more_button<P: Paged>(lang: Lang, load: &Load<P>, more: &Callback<()>) -> Html {
    match load {
        Load::Ready(p) if p.next_cursor().is_some() => {
            let more = more.clone();
            html! {
                <p class="more"><button type="button" onclick={move |_| more.emit(())}>{ t(lang, "more") }</button></p>
            }
        }
        _ => html! {},
    }
}

/// Shows a loaded value, or the loading state, or the error with a retry button.
pub fn view_load<T>(
    load: &Load<T>,
    lang: Lang,
    retry: &Callback<()>,
    body: impl FnOnce(&T) -> Html,
) -> Html {
    match load {
        Load::Loading => html! { <Spinner /> },
        Load::Failed(e) => {
            let retry = retry.clone();
            html! {
                <div class="problem" role="alert">
                    <p>{ error_text(lang, &e.code, &e.detail) }</p>
                    <button type="button" onclick={move |_| retry.emit(())}>{ t(lang, "retry") }</button>
                </div>
            }
        }
        Load::Ready(v) => body(v),
    }
}

#[component]
pub fn Spinner() -> Html {
    let app = use_app();
    html! { <p class="loading" aria-live="polite">{ app.t("loading") }</p> }
}

#[derive(Properties, PartialEq)]
pub struct EmptyProps {
    #[prop_or_default]
    pub text: Option<AttrValue>,
}

#[component]
pub fn Empty(props: &EmptyProps) -> Html {
    let app = use_app();
    html! { <p class="empty">{ props.text.clone().unwrap_or_else(|| app.t("empty").into()) }</p> }
}

#[derive(Properties, PartialEq)]
pub struct ErrorBannerProps {
    pub error: Option<ApiError>,
    /// Also list the field errors (on pages whose fields are not on screen).
    #[prop_or_default]
    pub list_fields: bool,
}

/// The problem a request answered with, in the page's language; field errors are shown
/// beside their fields, so the banner only says to look at them.
#[component]
pub fn ErrorBanner(props: &ErrorBannerProps) -> Html {
    let app = use_app();
    match &props.error {
        None => html! {},
        Some(e) if props.list_fields && !e.fields.is_empty() => html! {
            <div class="problem" role="alert">
                <ul class="plain">{ for e.fields.iter().map(|f| html! { <li>{ error_text(app.lang, &f.code, &f.message) }</li> }) }</ul>
            </div>
        },
        Some(e) => {
            // A field error whose field has no input on this page (the guardian rule, a
            // letter's recipient, a check-in code judged by the service) would mark nothing
            // and leave "check the fields marked" pointing nowhere: it is said here instead.
            let unmarked: Vec<&FieldMessage> = e
                .fields
                .iter()
                .filter(|f| !field_on_page(&f.field))
                .collect();
            html! {
                <div class="problem" role="alert">
                    { error_text(app.lang, &e.code, &e.detail) }
                    if !unmarked.is_empty() {
                        <ul class="plain">{ for unmarked.iter().map(|f| html! { <li>{ error_text(app.lang, &f.code, &f.message) }</li> }) }</ul>
                    }
                </div>
            }
        }
    }
}

/// Whether the page shows an input for `field` (or for the list or group it belongs to),
/// where its error is marked.
fn field_on_page(field: &str) -> bool {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return true;
    };
    let base = field.split(['[', '.']).next().unwrap_or(field);
    doc.get_element_by_id(&format!("f-{field}")).is_some()
        || doc.get_element_by_id(&format!("f-{base}")).is_some()
        || doc
            .query_selector(&format!("[id^=\"f-{base}-\"]"))
            .ok()
            .flatten()
            .is_some()
}

/// A field's error text: the local check's, else the service's.
pub fn field_message(
    lang: Lang,
    local: Option<zhihui_domain::FieldError>,
    server: Option<&FieldMessage>,
) -> Option<String> {
    match (local, server) {
        (Some(e), _) => Some(error_text(lang, e.code.as_str(), &e.message)),
        (None, Some(f)) => Some(error_text(lang, &f.code, &f.message)),
        (None, None) => None,
    }
}

#[derive(Properties, PartialEq)]
pub struct TextFieldProps {
    /// The field's name in the API (problem documents name it so).
    pub name: AttrValue,
    pub label: AttrValue,
    pub value: AttrValue,
    pub oninput: Callback<String>,
    #[prop_or(Kind::Free)]
    pub kind: Kind,
    #[prop_or_default]
    pub required: bool,
    #[prop_or(AttrValue::Static("text"))]
    pub input_type: AttrValue,
    /// The last answer's problem, if any.
    #[prop_or_default]
    pub error: Option<ApiError>,
    #[prop_or_default]
    pub autocomplete: Option<AttrValue>,
    #[prop_or_default]
    pub inputmode: Option<AttrValue>,
    #[prop_or_default]
    pub multiline: bool,
}

/// A labelled input that runs the domain's parser as it is typed (once the field has been
/// touched) and shows the service's error for the field after a submit.
#[component]
pub fn TextField(props: &TextFieldProps) -> Html {
    let app = use_app();
    let touched = use_state(|| false);
    let submitted_value = use_state(|| None::<String>);
    {
        // Remember the value the service judged, so its error goes once the field changes.
        let submitted_value = submitted_value.clone();
        let value = props.value.to_string();
        use_effect_with(props.error.clone(), move |_| {
            submitted_value.set(Some(value))
        });
    }
    let local = if *touched {
        check(props.kind, &props.value, props.required)
    } else {
        None
    };
    let server = props
        .error
        .as_ref()
        .and_then(|e| e.field(&props.name))
        .filter(|_| submitted_value.as_deref() == Some(props.value.as_str()));
    let message = field_message(app.lang, local, server);
    let id = format!("f-{}", props.name);
    let err_id = format!("{id}-error");
    let oninput = {
        let cb = props.oninput.clone();
        let touched = touched.clone();
        Callback::from(move |e: InputEvent| {
            touched.set(true);
            let value = if let Some(i) = e.target_dyn_into::<HtmlInputElement>() {
                i.value()
            } else if let Some(t) = e.target_dyn_into::<HtmlTextAreaElement>() {
                t.value()
            } else {
                String::new()
            };
            cb.emit(value);
        })
    };
    let onblur = {
        let touched = touched.clone();
        Callback::from(move |_| touched.set(true))
    };
    let invalid = message.is_some().then_some("true");
    html! {
        <div class={classes!("field", message.is_some().then_some("has-error"))}>
            <label for={id.clone()}>
                { props.label.clone() }
                if !props.required { <span class="hint">{ app.t("optional") }</span> }
            </label>
            if props.multiline {
                <textarea id={id.clone()} name={props.name.clone()} value={props.value.clone()}
                    {oninput} {onblur} aria-invalid={invalid} aria-describedby={err_id.clone()}
                    required={props.required} rows="4" />
            } else {
                <input id={id.clone()} name={props.name.clone()} type={props.input_type.clone()}
                    value={props.value.clone()} {oninput} {onblur} aria-invalid={invalid}
                    aria-describedby={err_id.clone()} required={props.required}
                    autocomplete={props.autocomplete.clone()} inputmode={props.inputmode.clone()} />
            }
            if let Some(m) = message {
                <p class="field-error" id={err_id} role="alert">{ m }</p>
            }
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct SelectFieldProps {
    pub name: AttrValue,
    pub label: AttrValue,
    pub value: AttrValue,
    /// (value, label)
    pub options: Vec<(String, String)>,
    pub onchange: Callback<String>,
    #[prop_or_default]
    pub error: Option<ApiError>,
    #[prop_or_default]
    pub placeholder: Option<AttrValue>,
}

#[component]
pub fn SelectField(props: &SelectFieldProps) -> Html {
    let app = use_app();
    let id = format!("f-{}", props.name);
    let onchange = {
        let cb = props.onchange.clone();
        Callback::from(move |e: Event| {
            if let Some(s) = e.target_dyn_into::<HtmlSelectElement>() {
                cb.emit(s.value());
            }
        })
    };
    let message = props
        .error
        .as_ref()
        .and_then(|e| e.field(&props.name))
        .map(|f| error_text(app.lang, &f.code, &f.message));
    html! {
        <div class={classes!("field", message.is_some().then_some("has-error"))}>
            <label for={id.clone()}>{ props.label.clone() }</label>
            <select id={id} name={props.name.clone()} {onchange}>
                if let Some(p) = &props.placeholder {
                    <option value="" selected={props.value.is_empty()}>{ p.clone() }</option>
                }
                { for props.options.iter().map(|(v, l)| html! {
                    <option value={v.clone()} selected={*v == props.value.as_str()}>{ l.clone() }</option>
                }) }
            </select>
            if let Some(m) = message { <p class="field-error" role="alert">{ m }</p> }
        </div>
    }
}

/// The value of an `<input>` from its event.
pub fn input_value(e: &InputEvent) -> String {
    e.target_dyn_into::<HtmlInputElement>()
        .map(|i| i.value())
        .unwrap_or_default()
}

/// Whether a checkbox is ticked, from its change event.
pub fn checked(e: &Event) -> bool {
    e.target_dyn_into::<HtmlInputElement>()
        .map(|i| i.checked())
        .unwrap_or(false)
}

#[derive(Properties, PartialEq)]
pub struct RegionPickerProps {
    pub name: AttrValue,
    pub label: AttrValue,
    /// The code chosen so far (province, city or county).
    pub value: AttrValue,
    pub onchange: Callback<String>,
    #[prop_or_default]
    pub error: Option<ApiError>,
    /// Stop at the province (for filters) instead of going down to the county.
    #[prop_or_default]
    pub provinces_only: bool,
}

/// Province, city and county chosen in turn, each list read from `list_regions`.
#[component]
pub fn RegionPicker(props: &RegionPickerProps) -> Html {
    use zhihui_contract::regions::RegionPage;
    let app = use_app();
    let code = props.value.to_string();
    let province = (code.len() == 6).then(|| format!("{}0000", &code[..2]));
    let city = (code.len() == 6 && !code.ends_with("0000")).then(|| format!("{}00", &code[..4]));
    let (provinces, retry_p) =
        use_get::<RegionPage>(Some("/regions?level=province&limit=200".into()));
    let (cities, _) = use_get::<RegionPage>(
        province
            .clone()
            .filter(|_| !props.provinces_only)
            .map(|p| format!("/regions?parent={p}&limit=200")),
    );
    let (counties, _) = use_get::<RegionPage>(
        city.clone()
            .filter(|_| !props.provinces_only)
            .map(|c| format!("/regions?parent={c}&limit=200")),
    );
    let message = props
        .error
        .as_ref()
        .and_then(|e| e.field(&props.name))
        .map(|f| error_text(app.lang, &f.code, &f.message));
    let select = |level: &'static str,
                  list: &Load<RegionPage>,
                  current: Option<String>,
                  parent: Option<String>| {
        let cb = props.onchange.clone();
        let onchange = Callback::from(move |e: Event| {
            if let Some(s) = e.target_dyn_into::<HtmlSelectElement>() {
                let v = s.value();
                // Choosing "choose" again goes back up to the parent's code.
                cb.emit(if v.is_empty() {
                    parent.clone().unwrap_or_default()
                } else {
                    v
                });
            }
        });
        let items = match list {
            Load::Ready(p) => p.items.clone(),
            _ => vec![],
        };
        let id = format!("f-{}-{level}", props.name);
        html! {
            <select id={id} aria-label={t(app.lang, level)} {onchange} disabled={items.is_empty()}>
                <option value="" selected={current.is_none()}>{ format!("{} · {}", t(app.lang, level), t(app.lang, "region.choose")) }</option>
                { for items.iter().map(|r| html! {
                    <option value={r.code.clone()} selected={current.as_deref() == Some(r.code.as_str())}>{ r.name.clone() }</option>
                }) }
            </select>
        }
    };
    let chosen_city = city.clone();
    let chosen_county = (code.len() == 6 && !code.ends_with("00")).then(|| code.clone());
    // The chosen county read back by its code, so a narrow screen shows what was picked.
    let (picked, _) = use_get::<zhihui_contract::regions::RegionView>(
        chosen_county.clone().map(|c| format!("/regions/{c}")),
    );
    html! {
        <fieldset class={classes!("field", "region-picker", message.is_some().then_some("has-error"))}>
            <legend>{ props.label.clone() }</legend>
            if let Load::Failed(_) = provinces {
                <button type="button" onclick={move |_| retry_p.emit(())}>{ app.t("retry") }</button>
            }
            { select("region.province", &provinces, province.clone(), None) }
            if !props.provinces_only {
                { select("region.city", &cities, chosen_city, province.clone()) }
                { select("region.county", &counties, chosen_county, city.clone()) }
                if let Load::Ready(r) = &picked {
                    <p class="hint" role="status">{ format!("{} {}（{}）", t(app.lang, "region.chosen"), r.name, r.code) }</p>
                }
            }
            if let Some(m) = message { <p class="field-error" role="alert">{ m }</p> }
        </fieldset>
    }
}
