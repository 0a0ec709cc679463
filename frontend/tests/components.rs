//! Components with logic, rendered in a real browser (Chromium through chromedriver):
//! a field shows the domain's verdict as it is typed, and the service's verdict after a
//! submit until the value changes.

#![allow(clippy::unwrap_used)] // a test file: a failed step is a failed test

use std::time::Duration;

use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{HtmlInputElement, InputEvent};
use yew::prelude::*;
use zhihui_frontend::components::TextField;
use zhihui_frontend::services::{error_from_answer, ApiError};
use zhihui_frontend::validate::Kind;

wasm_bindgen_test_configure!(run_in_browser);

#[derive(Properties, PartialEq)]
struct HarnessProps {
    error: Option<ApiError>,
}

#[component]
fn Harness(props: &HarnessProps) -> Html {
    let value = use_state(String::new);
    html! {
        <TextField name="id_number" label="居民身份证号" value={(*value).clone()} kind={Kind::IdNumber} required=true
            oninput={let v = value.clone(); Callback::from(move |s| v.set(s))} error={props.error.clone()} />
    }
}

fn mount(error: Option<ApiError>) -> web_sys::Element {
    let document = gloo_utils::document();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    yew::Renderer::<Harness>::with_root_and_props(root.clone(), HarnessProps { error }).render();
    root
}

async fn settle() {
    yew::platform::time::sleep(Duration::from_millis(30)).await;
}

fn type_into(root: &web_sys::Element, value: &str) {
    let input: HtmlInputElement = root
        .query_selector("#f-id_number")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    input.set_value(value);
    input
        .dispatch_event(&InputEvent::new("input").unwrap())
        .unwrap();
}

fn error_text(root: &web_sys::Element) -> Option<String> {
    root.query_selector("#f-id_number-error")
        .unwrap()
        .map(|e| e.text_content().unwrap_or_default())
}

#[wasm_bindgen_test]
async fn a_bad_id_number_is_refused_as_it_is_typed() {
    let root = mount(None);
    settle().await;
    assert_eq!(error_text(&root), None, "nothing shown before typing");
    type_into(&root, "110105194912310021");
    settle().await;
    assert_eq!(
        error_text(&root).as_deref(),
        Some("身份证号校验位不正确，请核对")
    );
    let input = root.query_selector("#f-id_number").unwrap().unwrap();
    assert_eq!(input.get_attribute("aria-invalid").as_deref(), Some("true"));
    type_into(&root, "11010519491231002X");
    settle().await;
    assert_eq!(error_text(&root), None);
    type_into(&root, "");
    settle().await;
    assert_eq!(error_text(&root).as_deref(), Some("此项为必填项"));
    root.remove();
}

#[wasm_bindgen_test]
async fn the_services_verdict_shows_until_the_value_changes() {
    let problem = error_from_answer(
        409,
        r#"{"type":"about:blank","title":"Conflict","status":422,"code":"validation_failed",
            "errors":[{"field":"id_number","code":"duplicate_id_number","message":"already registered"}]}"#,
    );
    let root = mount(Some(problem));
    settle().await;
    assert_eq!(
        error_text(&root).as_deref(),
        Some("该身份证号无法在此注册；如为本人证件，请联系平台客服")
    );
    type_into(&root, "11010519491231002X");
    settle().await;
    assert_eq!(error_text(&root), None, "the service judged another value");
    root.remove();
}
