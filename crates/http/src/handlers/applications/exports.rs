//! The application export for the platform and the provinces (XLSX or CSV).

use super::*;

/// Chinese name of an application state, for exports.
const EXPORT_ROWS: u64 = 10_000;

/// The filtered list (as `list_applications`, up to 10,000 rows) as XLSX or CSV with
/// Chinese headers; amounts in yuan.
#[utoipa::path(tag = "applications", security(("bearer" = [])), params(ApplicationExportQuery), responses(
    (status = 200, description = "The table", content(
        (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (String = "text/csv")
    )),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
#[get("/applications/export")]
pub async fn export_applications(
    state: web::Data<AppState>,
    who: Authenticated,
    q: web::Query<ApplicationExportQuery>,
) -> Result<HttpResponse, ApiError> {
    let mut p = Problems::validate(&*q);
    let mut f = filter_for(
        &state,
        &who,
        &mut p,
        q.call_id,
        q.status.as_deref(),
        q.province_code.as_deref(),
        q.applicant_id,
    )
    .await?;
    let format = export::format(&mut p, q.format.as_deref(), export::Format::Xlsx);
    p.finish()?;
    f.limit = EXPORT_ROWS;
    let list = state.store.list_applications(f).await?;
    let codes: Vec<String> = list.iter().map(|a| a.province_code.clone()).collect();
    let provinces = state.store.region_names(&codes).await?;
    let rows: Vec<Vec<Cell>> = summaries(&state, &who, list)
        .await?
        .into_iter()
        .map(|a| {
            vec![
                a.id.to_string().into(),
                a.title.into(),
                a.applicant.name.into(),
                provinces
                    .get(&a.province_code)
                    .cloned()
                    .unwrap_or_default()
                    .into(),
                a.status.title_zh().into(),
                Cell::Number(a.requested_fen as f64 / 100.0),
                a.granted_fen.map(|g| g as f64 / 100.0).into(),
                a.submitted_at
                    .map(|t| china_date(t).to_string())
                    .unwrap_or_default()
                    .into(),
                a.endorsed_at
                    .map(|t| china_date(t).to_string())
                    .unwrap_or_default()
                    .into(),
                a.review_average.into(),
            ]
        })
        .collect();
    export::respond(
        format,
        "applications",
        "项目申报",
        &[
            "申报编号",
            "项目名称",
            "申报单位",
            "所在省份",
            "状态",
            "申请金额（元）",
            "批准金额（元）",
            "提交日期",
            "推荐日期",
            "评审均分",
        ],
        &rows,
    )
}
