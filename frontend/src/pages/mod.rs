//! The screens, one module per area.

pub mod account;
pub mod activities;
#[cfg(feature = "staff")]
pub mod applications;
#[cfg(feature = "staff")]
pub mod campaigns;
#[cfg(feature = "staff")]
pub mod deliveries;
#[cfg(feature = "staff")]
pub mod hub;
pub mod inbox;
#[cfg(feature = "staff")]
pub mod integrations;
#[cfg(feature = "staff")]
pub mod letters;
pub mod me;
#[cfg(feature = "staff")]
pub mod needs;
#[cfg(feature = "staff")]
pub mod orgs;
#[cfg(feature = "staff")]
pub mod oversight;
#[cfg(feature = "staff")]
pub mod rollup;
#[cfg(feature = "staff")]
pub mod work;

use yew::prelude::*;

use crate::components::use_app;
use crate::services::{ApiError, FieldMessage};
use crate::validate::{check, Kind};
use zhihui_contract::form::Rejected;
use zhihui_contract::FieldProblem;

/// The state of a form that saves a change to a document: the refusal shown, whether a
/// request is under way, and whether the last change was saved.
#[derive(Clone)]
pub struct Saving {
    pub error: UseStateHandle<Option<ApiError>>,
    pub busy: UseStateHandle<bool>,
    pub saved: UseStateHandle<bool>,
}

#[hook]
pub fn use_saving() -> Saving {
    Saving {
        error: use_state(|| None),
        busy: use_state(|| false),
        saved: use_state(|| false),
    }
}

impl Saving {
    /// Sends `body` to `path` with the version read (`PUT` with `If-Match`); on success the
    /// change is marked saved and `done` is called, otherwise the refusal is shown.
    pub fn put_version<B, T>(&self, path: String, body: B, version: i32, done: Callback<()>)
    where
        B: serde::Serialize + 'static,
        T: serde::de::DeserializeOwned + 'static,
    {
        if *self.busy {
            return;
        }
        self.busy.set(true);
        let s = self.clone();
        wasm_bindgen_futures::spawn_local(async move {
            match crate::services::put_version::<B, T>(&path, &body, version).await {
                Ok(_) => {
                    s.error.set(None);
                    s.saved.set(true);
                    done.emit(());
                }
                Err(e) => s.error.set(Some(e)),
            }
            s.busy.set(false);
        });
    }
}

/// The choices of a closed set for a select, in the page's language.
#[cfg(feature = "staff")]
pub fn options<T: zhihui_domain::ClosedSet>(
    lang: crate::i18n::Lang,
    family: &str,
) -> Vec<(String, String)> {
    T::ALL
        .iter()
        .map(|v| {
            (
                v.as_str().to_string(),
                crate::i18n::label(lang, family, v.as_str()),
            )
        })
        .collect()
}

/// The approved organisations the signed-in caller administers, as a select's choices
/// (id, name): those a form acts for.
#[cfg(feature = "staff")]
pub fn my_orgs(app: &crate::components::AppCtx) -> Vec<(String, String)> {
    app.me
        .as_ref()
        .map(|m| {
            m.administered_organizations
                .iter()
                .filter(|o| o.status == zhihui_domain::OrganizationStatus::Approved)
                .map(|o| (o.id.to_string(), o.name.clone()))
                .collect()
        })
        .unwrap_or_default()
}

/// A region code as the lists' `region` filter takes it: a province `13`, a city `1301`, a
/// county.
#[cfg(feature = "staff")]
pub fn prefix_of(code: &str) -> String {
    if code.ends_with("0000") {
        code[..2].to_string()
    } else if code.ends_with("00") {
        code[..4].to_string()
    } else {
        code.to_string()
    }
}

/// A callback that keeps a text field's value.
pub fn keep(s: &UseStateHandle<String>) -> Callback<String> {
    let s = s.clone();
    Callback::from(move |v: String| s.set(v))
}

#[component]
pub fn NotFound() -> Html {
    let app = use_app();
    html! { <section class="page"><h1>{ app.t("not_found_page") }</h1></section> }
}

/// Runs the domain's checks over a form's fields before anything is sent; the failures come
/// back in the shape of the service's answer, so fields show them the same way.
pub fn precheck(fields: &[(&str, Kind, &str, bool)]) -> Option<ApiError> {
    let failures: Vec<FieldProblem> = fields
        .iter()
        .filter_map(|(name, kind, value, required)| {
            check(*kind, value, *required).map(|e| FieldProblem {
                field: (*name).to_string(),
                code: e.code,
                message: e.message,
            })
        })
        .collect();
    (!failures.is_empty()).then(|| refused(Rejected(failures)))
}

/// A request refused by its whole-form check (the `TryFrom` the service runs on the same
/// body), in the shape of the service's answer.
pub fn refused(r: Rejected) -> ApiError {
    ApiError {
        status: 422,
        code: "validation_failed".into(),
        detail: "some fields are invalid".into(),
        fields: r
            .0
            .into_iter()
            .map(|p| FieldMessage {
                field: p.field,
                code: p.code.to_string(),
                message: p.message,
            })
            .collect(),
    }
}

/// One field refused by the page itself, in the shape of the service's answer.
pub fn field_error(field: &str, code: &str) -> ApiError {
    ApiError {
        status: 422,
        code: "validation_failed".into(),
        detail: String::new(),
        fields: vec![FieldMessage {
            field: field.into(),
            code: code.into(),
            message: code.into(),
        }],
    }
}

/// An error the page itself raises (nothing selected, consent missing…).
pub fn local_error(code: &str) -> ApiError {
    ApiError {
        status: 0,
        code: code.into(),
        detail: code.into(),
        fields: vec![],
    }
}

/// A staff screen opened in the volunteers' build of the dashboard, which leaves those
/// screens out to stay small for phones: the page is loaded again, and `boot.js` loads the
/// staff build for a staff path (the same app with every screen).
#[cfg(not(feature = "staff"))]
#[component]
pub fn StaffArea() -> Html {
    use_effect_with((), |_| {
        if let Some(w) = web_sys::window() {
            let _ = w.location().reload();
        }
    });
    html! { <crate::components::Spinner /> }
}
