//! The live roll-up (汇总) of an organisation's subtree, a region or the nation: a table
//! with a row per child that opens that child's own roll-up, a grid of the children coloured
//! by a chosen figure, bars by child and by month (the whole scope's months, matching the
//! table), who has not reported, and the Excel export.

use yew::prelude::*;
use zhihui_contract::reports::{AnnualSummaryView, RollupByMonthView, RollupRow, RollupView};
use zhihui_domain::RollupKind;

use crate::components::{use_app, use_get, view_load, Empty, ErrorBanner};
use crate::format;
use crate::i18n::{fill, t, Lang};
use crate::services::{self, ApiError};

/// Horizontal bars drawn as SVG: one bar per (label, value).
pub fn bar_chart(title: &str, rows: &[(String, f64)], unit: &dyn Fn(f64) -> String) -> Html {
    if rows.is_empty() {
        return html! {};
    }
    let max = rows
        .iter()
        .map(|(_, v)| *v)
        .fold(0.0_f64, f64::max)
        .max(1.0);
    let row_h = 26.0;
    let height = rows.len() as f64 * row_h + 8.0;
    html! {
        <figure class="chart">
            <figcaption>{ title.to_string() }</figcaption>
            <svg viewBox={format!("0 0 640 {height}")} role="img" aria-label={title.to_string()} preserveAspectRatio="xMinYMin meet">
                { for rows.iter().enumerate().map(|(i, (name, v))| {
                    let y = i as f64 * row_h + 4.0;
                    let w = (v / max * 360.0).max(1.0);
                    html! { <g>
                        <text x="0" y={format!("{}", y + 17.0)} class="chart-label">{ name.chars().take(12).collect::<String>() }</text>
                        <rect x="190" y={format!("{y}")} width={format!("{w:.1}")} height="18" class="bar" />
                        <text x={format!("{:.1}", 196.0 + w)} y={format!("{}", y + 14.0)} class="chart-value">{ unit(*v) }</text>
                    </g> }
                }) }
            </svg>
        </figure>
    }
}

/// "2026年11月", or "2026年10月 – 2026年11月" for a range.
fn period_caption(lang: Lang, from: &str, to: &str) -> String {
    if from == to {
        format::month(lang, from)
    } else {
        format!(
            "{} – {}",
            format::month(lang, from),
            format::month(lang, to)
        )
    }
}

/// Where a roll-up looks.
#[derive(Debug, Clone, PartialEq)]
pub enum RollupScope {
    /// An organisation's subtree.
    Organization(uuid::Uuid),
    /// A region by its code.
    Region(String),
    /// The nation (platform admins).
    Nation,
}

impl RollupScope {
    /// The query parameter that names the scope, ending in `&` (none for the nation).
    fn query(&self) -> String {
        match self {
            RollupScope::Organization(id) => format!("organization_id={id}&"),
            RollupScope::Region(code) => format!("region_code={code}&"),
            RollupScope::Nation => String::new(),
        }
    }

    /// The roll-up a row opens: a child organisation's subtree or a region's; the row of the
    /// scope's own organisation opens nothing.
    fn of_row(row: &RollupRow) -> Option<RollupScope> {
        match row.kind {
            RollupKind::Organization => row.key.parse().ok().map(RollupScope::Organization),
            RollupKind::Region => Some(RollupScope::Region(row.key.clone())),
            _ => None,
        }
    }
}

/// The figure the grid is coloured by.
#[derive(Debug, Clone, Copy, PartialEq)]
enum GridFigure {
    Hours,
    Activities,
    Attendances,
    NewVolunteers,
    ReportsMissing,
}

impl GridFigure {
    const ALL: [GridFigure; 5] = [
        GridFigure::Hours,
        GridFigure::Activities,
        GridFigure::Attendances,
        GridFigure::NewVolunteers,
        GridFigure::ReportsMissing,
    ];

    fn key(self) -> &'static str {
        match self {
            GridFigure::Hours => "report.service_hours",
            GridFigure::Activities => "report.activities_held",
            GridFigure::Attendances => "report.attendances",
            GridFigure::NewVolunteers => "report.new_volunteers",
            GridFigure::ReportsMissing => "rollup.missing",
        }
    }

    fn of(self, r: &RollupRow) -> f64 {
        match self {
            GridFigure::Hours => r.figures.service_hours,
            GridFigure::Activities => r.figures.activities_held as f64,
            GridFigure::Attendances => r.figures.volunteer_attendances as f64,
            GridFigure::NewVolunteers => r.figures.new_volunteers as f64,
            GridFigure::ReportsMissing => r.reports_missing as f64,
        }
    }

    fn text(self, lang: Lang, v: f64) -> String {
        match self {
            GridFigure::Hours => format::hours(lang, v),
            _ => format!("{v:.0}"),
        }
    }
}

/// The shade (0-5) of a value against the largest of the grid: 0 for nothing at all.
pub fn shade(value: f64, max: f64) -> u8 {
    if value <= 0.0 || max <= 0.0 {
        0
    } else {
        (1.0 + (value / max * 4.0).floor()).min(5.0) as u8
    }
}

#[derive(Properties, PartialEq)]
pub struct RollupProps {
    /// An organisation's subtree; `None` for the nation (platform admins).
    pub org: Option<uuid::Uuid>,
}

/// The roll-up of an organisation's subtree (or the nation) for a range of months. A row's
/// name opens that child's roll-up; the trail above the table leads back.
#[component]
pub fn Rollup(props: &RollupProps) -> Html {
    let app = use_app();
    let lang = app.lang;
    let now = format::now();
    let from = use_state(|| format::month_of(now, -1));
    let to = use_state(|| format::month_of(now, -1));
    let applied = use_state(|| ((*from).clone(), (*to).clone()));
    let top = props
        .org
        .map_or(RollupScope::Nation, RollupScope::Organization);
    // The scopes opened from the top one, each with the name it was opened by.
    let trail = use_state(Vec::<(RollupScope, String)>::new);
    {
        let trail = trail.clone();
        use_effect_with(top.clone(), move |_| trail.set(vec![]));
    }
    let scope = trail.last().map_or(top.clone(), |(s, _)| s.clone());
    let query = format!(
        "{}month_from={}&month_to={}",
        scope.query(),
        applied.0,
        applied.1
    );
    let (rollup, retry) = use_get::<RollupView>(Some(format!("/report-rollup?{query}")));
    let year = applied.1.get(..4).unwrap_or("2026").to_string();
    let (months, retry_months) = use_get::<RollupByMonthView>(Some(format!(
        "/report-rollup/by-month?{}month_from={year}-01&month_to={year}-12",
        scope.query()
    )));
    let own_org = match &scope {
        RollupScope::Organization(id) => Some(*id),
        _ => None,
    };
    let (annual, retry_annual) = use_get::<AnnualSummaryView>(
        own_org.map(|o| format!("/organizations/{o}/annual-summary?year={year}")),
    );
    let grid_figure = use_state(|| GridFigure::Hours);
    let error = use_state(|| None::<ApiError>);
    let onsubmit = {
        let (from, to, applied) = (from.clone(), to.clone(), applied.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            applied.set(((*from).clone(), (*to).clone()));
        })
    };
    let export = {
        let (error, query) = (error.clone(), query.clone());
        Callback::from(move |_| {
            let (error, query) = (error.clone(), query.clone());
            wasm_bindgen_futures::spawn_local(async move {
                if let Err(e) = services::download(
                    &format!("/report-rollup/export?{query}&format=xlsx"),
                    "rollup.xlsx",
                )
                .await
                {
                    error.set(Some(e));
                }
            });
        })
    };
    let open = {
        let trail = trail.clone();
        move |row: &RollupRow| {
            let next = RollupScope::of_row(row)?;
            let (trail, name) = (trail.clone(), row.name.clone());
            Some(Callback::from(move |_: MouseEvent| {
                let mut t = (*trail).clone();
                t.push((next.clone(), name.clone()));
                trail.set(t);
            }))
        }
    };
    let back_to = {
        let trail = trail.clone();
        move |depth: usize| {
            let trail = trail.clone();
            Callback::from(move |_: MouseEvent| {
                let mut t = (*trail).clone();
                t.truncate(depth);
                trail.set(t);
            })
        }
    };
    let month_input = |id: &'static str, state: &UseStateHandle<String>| {
        let s = state.clone();
        html! { <input id={id} type="month" value={(**state).clone()}
        oninput={Callback::from(move |e: InputEvent| s.set(crate::components::input_value(&e)))} /> }
    };
    let on_figure = {
        let grid_figure = grid_figure.clone();
        Callback::from(move |e: Event| {
            if let Some(s) = e.target_dyn_into::<web_sys::HtmlSelectElement>() {
                if let Some(f) = GridFigure::ALL.get(s.selected_index().max(0) as usize) {
                    grid_figure.set(*f);
                }
            }
        })
    };
    let labels = [
        t(lang, "rollup.unit"),
        t(lang, "rollup.orgs"),
        t(lang, "report.activities_held"),
        t(lang, "report.attendances"),
        t(lang, "report.service_hours"),
        t(lang, "report.new_volunteers"),
        t(lang, "rollup.filed"),
        t(lang, "rollup.late"),
        t(lang, "rollup.missing"),
    ];
    html! {
        <section class="panel">
            <h2>{ t(lang, "org.rollup") }</h2>
            if !trail.is_empty() {
                <nav class="trail" aria-label={t(lang, "rollup.trail")}>
                    <button type="button" class="link" onclick={back_to(0)}>{ t(lang, "rollup.top") }</button>
                    { for trail.iter().enumerate().map(|(i, (_, name))| html! {
                        <>
                            <span aria-hidden="true">{ " › " }</span>
                            if i + 1 == trail.len() {
                                <span aria-current="page">{ name.clone() }</span>
                            } else {
                                <button type="button" class="link" onclick={back_to(i + 1)}>{ name.clone() }</button>
                            }
                        </>
                    }) }
                </nav>
            }
            <form class="inline" {onsubmit}>
                <label for="f-from">{ t(lang, "rollup.from") }</label>{ month_input("f-from", &from) }
                <label for="f-to">{ t(lang, "rollup.to") }</label>{ month_input("f-to", &to) }
                <button type="submit" class="primary">{ t(lang, "rollup.show") }</button>
                <button type="button" onclick={export}>{ t(lang, "rollup.export") }</button>
            </form>
            <ErrorBanner error={(*error).clone()} />
            { view_load(&rollup, lang, &retry, |r| {
                let figure = *grid_figure;
                let children: Vec<&RollupRow> = r.rows.iter().filter(|x| x.kind != RollupKind::Own).collect();
                let max = children.iter().map(|x| figure.of(x)).fold(0.0_f64, f64::max);
                html! {
                <>
                // The months the figures below are for; while other months are being
                // fetched the table says so rather than passing the old figures for them.
                <div class="table-wrap"><table class="rollup cards-on-phone" aria-busy={(applied.0 != r.month_from || applied.1 != r.month_to).to_string()}>
                    <caption>{ format!("{} · {}", r.name, period_caption(lang, &r.month_from, &r.month_to)) }</caption>
                    <thead><tr>{ for labels.iter().map(|l| html! { <th scope="col">{ *l }</th> }) }</tr></thead>
                    <tbody>{ for r.rows.iter().map(|row| rollup_row(lang, &labels, row, false, open(row))) }</tbody>
                    <tfoot>{ rollup_row(lang, &labels, &RollupRow { name: t(lang, "rollup.total").into(), ..r.totals.clone() }, true, None) }</tfoot>
                </table></div>
                if !children.is_empty() {
                    <figure class="grid-map">
                        <figcaption>
                            <label for="f-grid-figure">{ t(lang, "rollup.grid_by") }</label>
                            <select id="f-grid-figure" onchange={on_figure.clone()}>
                                { for GridFigure::ALL.iter().map(|f| html! {
                                    <option value={f.key()} selected={*f == figure}>{ t(lang, f.key()) }</option>
                                }) }
                            </select>
                        </figcaption>
                        <ul class="tiles">{ for children.iter().map(|x| {
                            let v = figure.of(x);
                            html! {
                                <li>
                                    <button type="button" class={classes!("tile", format!("heat-{}", shade(v, max)))}
                                        onclick={open(x)} disabled={RollupScope::of_row(x).is_none()}
                                        title={format!("{} · {}", x.name, figure.text(lang, v))}>
                                        <span class="tile-name">{ x.name.clone() }</span>
                                        <span class="tile-value">{ figure.text(lang, v) }</span>
                                    </button>
                                </li>
                            }
                        }) }</ul>
                        <p class="legend meta" aria-hidden="true">
                            { t(lang, "rollup.less") }
                            { for (0..=5).map(|i| html! { <span class={classes!("swatch", format!("heat-{i}"))}></span> }) }
                            { t(lang, "rollup.more") }
                        </p>
                    </figure>
                }
                <div class="charts">
                    { bar_chart(t(lang, "rollup.chart_hours"), &r.rows.iter().map(|x| (x.name.clone(), x.figures.service_hours)).collect::<Vec<_>>(), &|v| format::hours(lang, v)) }
                    { bar_chart(t(lang, "rollup.chart_activities"), &r.rows.iter().map(|x| (x.name.clone(), x.figures.activities_held as f64)).collect::<Vec<_>>(), &|v| format!("{v:.0}")) }
                </div>
                <h3>{ format!("{} ({})", t(lang, "rollup.not_reported"), r.not_reported_total) }</h3>
                if r.not_reported.is_empty() { <Empty /> } else {
                    <ul class="plain not-reported">{ for r.not_reported.iter().map(|n| html! {
                        <li>{ format!("{} · {}", n.name, n.missing_months.iter().map(|m| format::month(lang, m)).collect::<Vec<_>>().join("、")) }</li>
                    }) }</ul>
                }
                </>
            }}) }
            // The whole scope month by month, the same organisations as the table.
            { view_load(&months, lang, &retry_months, |m| html! {
                <div class="charts">
                    { bar_chart(
                        &fill(lang, "rollup.chart_months", &year),
                        &m.months.iter().map(|x| (format::month(lang, &x.month), x.figures.service_hours)).collect::<Vec<_>>(),
                        &|v| format::hours(lang, v),
                    ) }
                    { bar_chart(
                        &fill(lang, "rollup.chart_month_activities", &year),
                        &m.months.iter().map(|x| (format::month(lang, &x.month), x.figures.activities_held as f64)).collect::<Vec<_>>(),
                        &|v| format!("{v:.0}"),
                    ) }
                </div>
            }) }
            if own_org.is_some() {
                { view_load(&annual, lang, &retry_annual, |a| html! {
                    <p class="meta own-year">{ format!(
                        "{}：{} {} · {} {} · {} {} · {} {}",
                        fill(lang, "rollup.own_year", &a.year.to_string()),
                        t(lang, "rollup.filed"), a.reports_filed,
                        t(lang, "rollup.late"), a.reports_late,
                        t(lang, "report.people_served"), a.people_served,
                        t(lang, "rollup.registered"), a.registered_volunteers_at_year_end,
                    ) }</p>
                }) }
            }
        </section>
    }
}

/// A row of the table; on a phone each row is a card whose cells name their column
/// (`data-label`). A child's name opens its roll-up.
fn rollup_row(
    lang: Lang,
    labels: &[&'static str; 9],
    r: &RollupRow,
    strong: bool,
    open: Option<Callback<MouseEvent>>,
) -> Html {
    let name = match open {
        Some(onclick) => {
            html! { <button type="button" class="link" {onclick}>{ r.name.clone() }</button> }
        }
        None => html! { { r.name.clone() } },
    };
    let values = [
        r.organizations.to_string(),
        r.figures.activities_held.to_string(),
        r.figures.volunteer_attendances.to_string(),
        format::hours(lang, r.figures.service_hours),
        r.figures.new_volunteers.to_string(),
        r.reports_filed.to_string(),
        r.reports_late.to_string(),
        r.reports_missing.to_string(),
    ];
    html! {
        <tr class={classes!((!r.compliant).then_some("short"), strong.then_some("total"))}>
            <th scope="row">{ name }</th>
            { for values.into_iter().zip(labels.iter().skip(1)).map(|(v, l)| html! {
                <td data-label={*l}>{ v }</td>
            }) }
        </tr>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn the_grid_shades_nothing_apart_and_the_largest_darkest() {
        assert_eq!(shade(0.0, 10.0), 0);
        assert_eq!(shade(5.0, 0.0), 0);
        assert_eq!(shade(0.1, 10.0), 1);
        assert_eq!(shade(5.0, 10.0), 3);
        assert_eq!(shade(9.9, 10.0), 4);
        assert_eq!(shade(10.0, 10.0), 5);
    }
}
