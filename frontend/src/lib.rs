//! Zhihui (智惠) web dashboard: a Yew single-page app over the `/api/v1` API.
//!
//! It speaks the API's own wire types (`zhihui-contract`) and validates what people type with
//! the service's own parsers (`zhihui-domain`), so a bad ID number is refused beside the field
//! with the same reason the server would give.

pub mod app;
pub mod components;
pub mod format;
pub mod i18n;
pub mod pages;
pub mod services;
pub mod validate;

/// Mounts the app on the page (not in the wasm-bindgen-test runner, which has no page).
#[cfg(all(target_arch = "wasm32", not(test)))]
#[wasm_bindgen::prelude::wasm_bindgen(start)]
pub fn start() {
    // The loading page index.html painted while the module was on its way.
    if let Some(doc) = web_sys::window().and_then(|w| w.document()) {
        if let Some(boot) = doc.get_element_by_id("boot") {
            boot.remove();
        }
        // Which build is running (`app`: the volunteers', `staff`: every screen).
        if let Some(root) = doc.document_element() {
            let build = if cfg!(feature = "staff") {
                "staff"
            } else {
                "app"
            };
            let _ = root.set_attribute("data-build", build);
        }
    }
    yew::Renderer::<app::App>::new().render();
}
