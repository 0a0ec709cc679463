//! Bulk import of volunteers by a team's admin (rule 14): a template, an upload, a report.

use actix_multipart::Multipart;
use actix_web::{get, post, web, HttpResponse};
use sha2::{Digest, Sha256};
use std::collections::{HashMap, HashSet};
use uuid::Uuid;
use zhihui_contract::volunteers::{
    ImportRowError, ImportUpload, TemplateQuery, VolunteerImportView,
};
use zhihui_contract::Problem;
use zhihui_domain::ProblemCode;
use zhihui_domain::{
    age_rule, AgeRule, MobilePhone, OrganizationStatus, PersonName, RegionCode, ResidentIdNumber,
};
use zhihui_persistence::{ImportMeta, ImportRow, NewVolunteer};

use super::read_upload;
use crate::auth::Authenticated;
use crate::error::ApiError;
use crate::lookups::load_visible;
use crate::policy::manages;
use crate::state::AppState;
use crate::tabular::{read_table, TableError, TableRow, MAX_CELL_CHARS};
use crate::validation::Problems;
use crate::views::imports::view;

/// Column headers of the template, in order.
pub const HEADERS: [&str; 10] = [
    "姓名",
    "身份证号",
    "手机号",
    "居住地区代码",
    "专业技能",
    "服务类别",
    "三长身份",
    "监护人姓名",
    "监护人电话",
    "监护人同意",
];
const EXAMPLE: [&str; 10] = [
    "李明",
    "11010519491231002X",
    "13912345678",
    "110105",
    "农业技术；植物保护",
    "科普服务；技术服务",
    "",
    "",
    "",
    "",
];
/// The import template, as CSV (UTF-8 with BOM, so spreadsheet programs read the Chinese
/// headers) or XLSX (ID and phone columns formatted as text so no digit is lost).
#[utoipa::path(tag = "volunteers", params(TemplateQuery), responses(
    (status = 200, description = "The template file", content(
        (String = "text/csv"),
        (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    )),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
#[get("/volunteer-imports/template")]
pub async fn get_volunteer_import_template(
    q: web::Query<TemplateQuery>,
) -> Result<HttpResponse, ApiError> {
    use crate::export::{format, Format};
    let mut p = Problems::default();
    let format = format(&mut p, q.format.as_deref(), Format::Csv);
    p.finish()?;
    match format {
        Format::Csv => {
            let mut body = String::from("\u{feff}");
            body.push_str(&HEADERS.join(","));
            body.push('\n');
            body.push_str(&EXAMPLE.join(","));
            body.push('\n');
            Ok(HttpResponse::Ok()
                .content_type("text/csv; charset=utf-8")
                .insert_header((
                    "content-disposition",
                    "attachment; filename=\"volunteer-import.csv\"",
                ))
                .body(body))
        }
        Format::Xlsx => {
            let bytes =
                xlsx_template().map_err(|e| ApiError::Internal(format!("xlsx template: {e}")))?;
            Ok(HttpResponse::Ok()
                .content_type("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
                .insert_header((
                    "content-disposition",
                    "attachment; filename=\"volunteer-import.xlsx\"",
                ))
                .body(bytes))
        }
    }
}

fn xlsx_template() -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let text = rust_xlsxwriter::Format::new().set_num_format("@");
    let bold = rust_xlsxwriter::Format::new().set_bold();
    let ws = wb.add_worksheet();
    ws.set_name("志愿者")?;
    for (i, h) in HEADERS.iter().enumerate() {
        ws.set_column_format(i as u16, &text)?;
        ws.set_column_width(i as u16, 20)?;
        ws.write_string_with_format(0, i as u16, *h, &bold)?;
        ws.write_string(1, i as u16, EXAMPLE[i])?;
    }
    wb.save_to_buffer()
}

/// The problem document for a file that could not be read within the limits.
fn table_problem(e: TableError) -> ApiError {
    match e {
        TableError::Unreadable(m) => ApiError::field("file", ProblemCode::UnreadableFile, m),
        TableError::Empty => {
            ApiError::field("file", ProblemCode::EmptyFile, "the file has no header row")
        }
        TableError::TooManyRows { max } => ApiError::TooLarge {
            code: ProblemCode::TooManyRows,
            detail: format!("a file holds at most {max} rows; split it into several files"),
        },
        TableError::TooLargeInflated { max } => ApiError::TooLarge {
            code: ProblemCode::WorkbookTooLarge,
            detail: format!(
                "the workbook unpacks to more than {} MiB; save only the template's sheet",
                max / (1024 * 1024)
            ),
        },
        TableError::TooSlow { secs } => ApiError::TooLarge {
            code: ProblemCode::ImportTooSlow,
            detail: format!(
                "the file could not be read within {secs} s; split it into several files"
            ),
        },
    }
}

fn split_list(s: &str) -> Vec<String> {
    s.split(['；', ';', '、', '，', ','])
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .map(str::to_string)
        .collect()
}

/// Imports volunteers from a CSV or XLSX file in the template's layout. Valid rows become
/// approved members of the team; every bad row is reported by row, column and reason; a
/// re-run of the same file creates nothing twice.
#[utoipa::path(tag = "volunteers", security(("bearer" = [])), params(("id" = Uuid, Path)),
    request_body(content = ImportUpload, content_type = "multipart/form-data"), responses(
    (status = 201, body = VolunteerImportView),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 409, body = Problem, content_type = "application/problem+json", description = "organization_not_approved"),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
#[post("/organizations/{id}/volunteer-imports")]
pub async fn create_volunteer_import(
    state: web::Data<AppState>,
    who: Authenticated,
    id: web::Path<Uuid>,
    mut payload: Multipart,
) -> Result<HttpResponse, ApiError> {
    let org = load_visible(&state, Some(&who), *id).await?;
    if !manages(&who, &org) {
        return Err(ApiError::Forbidden(
            ProblemCode::NotYourOrganization,
            "only the team's admins import its volunteers".into(),
        ));
    }
    if org.status != OrganizationStatus::Approved {
        return Err(ApiError::Conflict {
            code: ProblemCode::OrganizationNotApproved,
            message: "the team is not approved yet".into(),
        });
    }
    let limits = state.settings.imports;
    let (file_name, bytes) = read_upload(&mut payload, limits.max_bytes).await?;
    let sha = hex::encode(Sha256::digest(&bytes));
    // Parsing is CPU work on untrusted input: off the async workers, within its limits.
    let table = web::block(move || read_table(&bytes, limits.table()))
        .await
        .map_err(|e| ApiError::Internal(format!("import reader: {e}")))?
        .map_err(table_problem)?;
    let format = table.format;
    let col: HashMap<&str, usize> = table
        .header
        .iter()
        .enumerate()
        .map(|(i, h)| (h.as_str(), i))
        .collect();
    let missing: Vec<&str> = HEADERS[..4]
        .iter()
        .copied()
        .filter(|h| !col.contains_key(h))
        .collect();
    if !missing.is_empty() {
        return Err(ApiError::field(
            "file",
            ProblemCode::MissingColumns,
            format!("missing columns: {}", missing.join("、")),
        ));
    }
    let cell = |r: &TableRow, h: &str| {
        col.get(h)
            .and_then(|i| r.cells.get(*i))
            .map(|s| s.trim().to_string())
            .unwrap_or_default()
    };
    let data = &table.rows;

    let regions: HashSet<String> = data.iter().map(|r| cell(r, "居住地区代码")).collect();
    let known = state.store.existing_region_codes(&regions).await?;
    let today = state.clock.today();
    let mut errors: Vec<ImportRowError> = vec![];
    let mut rows = vec![];
    let mut seen_ids = HashSet::new();
    let mut total = 0u32;
    for r in data {
        let row = r.number;
        total += 1;
        let before = errors.len();
        let mut err = |field: &str, code: ProblemCode, reason: String| {
            errors.push(ImportRowError {
                row,
                field: field.into(),
                code: code.as_str().into(),
                reason,
            });
        };
        for &i in &r.too_long {
            let field = table.header.get(i).cloned().unwrap_or_default();
            err(
                &field,
                ProblemCode::CellTooLong,
                format!("at most {MAX_CELL_CHARS} characters"),
            );
        }
        if !r.too_long.is_empty() {
            // The row's other cells are not judged: its reason is the cell refused.
            continue;
        }
        let name = PersonName::parse(&cell(r, "姓名"))
            .map_err(|e| err("姓名", e.code, e.message))
            .ok();
        let idn = ResidentIdNumber::parse(&cell(r, "身份证号"))
            .map_err(|e| err("身份证号", e.code, e.message))
            .ok();
        let phone = MobilePhone::parse(&cell(r, "手机号"))
            .map_err(|e| err("手机号", e.code, e.message))
            .ok();
        let region = match RegionCode::parse(&cell(r, "居住地区代码")) {
            Ok(c) if known.contains(c.as_str()) => Some(c),
            Ok(_) => {
                err(
                    "居住地区代码",
                    ProblemCode::RegionNotFound,
                    "no such region in the GB/T 2260 list".into(),
                );
                None
            }
            Err(e) => {
                err("居住地区代码", e.code, e.message);
                None
            }
        };
        let mut categories = vec![];
        for c in split_list(&cell(r, "服务类别")) {
            match zhihui_domain::ActivityCategory::ALL
                .iter()
                .find(|k| k.title_zh() == c || k.as_str() == c)
            {
                Some(k) => categories.push(*k),
                None => err(
                    "服务类别",
                    ProblemCode::UnknownServiceCategory,
                    format!("“{c}” is not a service category"),
                ),
            }
        }
        let heads = cell(r, "三长身份");
        let three_heads = if heads.is_empty() {
            None
        } else {
            match zhihui_domain::ThreeHeadsRole::ALL
                .iter()
                .find(|r| r.title_zh() == heads || r.as_str() == heads)
            {
                Some(r) => Some(*r),
                None => {
                    err(
                        "三长身份",
                        ProblemCode::UnknownThreeHeadsRole,
                        format!(
                            "use 校长, 院长 or 站长 ({})",
                            zhihui_domain::ThreeHeadsRole::ALL
                                .iter()
                                .map(|r| r.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    );
                    None
                }
            }
        };
        let mut guardian = None;
        if let Some(id) = &idn {
            match age_rule(id, today) {
                AgeRule::Adult => {}
                AgeRule::TooYoung => err(
                    "身份证号",
                    ProblemCode::TooYoung,
                    "volunteers register from 14 years of age".into(),
                ),
                AgeRule::NeedsGuardian => {
                    let gname = cell(r, "监护人姓名");
                    let consent = matches!(
                        cell(r, "监护人同意").as_str(),
                        "是" | "同意" | "yes" | "true" | "1"
                    );
                    match MobilePhone::parse(&cell(r, "监护人电话")) {
                        _ if gname.is_empty() => err(
                            "监护人姓名",
                            ProblemCode::GuardianRequired,
                            "from 14 to 17 a guardian is needed".into(),
                        ),
                        _ if !consent => err(
                            "监护人同意",
                            ProblemCode::GuardianConsentRequired,
                            "the guardian must consent (是)".into(),
                        ),
                        Ok(p) => guardian = Some((gname, p.as_str().to_string(), p.masked(), true)),
                        Err(e) => err("监护人电话", e.code, e.message),
                    }
                }
            }
            if !seen_ids.insert(id.as_str().to_string()) {
                err(
                    "身份证号",
                    ProblemCode::DuplicateInFile,
                    "this ID number appears earlier in the file".into(),
                );
            }
        }
        if errors.len() > before {
            continue;
        }
        let (Some(name), Some(id), Some(phone), Some(region)) = (name, idn, phone, region) else {
            continue;
        };
        let skills: Vec<String> = split_list(&cell(r, "专业技能"))
            .into_iter()
            .map(|s| s.chars().take(50).collect())
            .take(20)
            .collect();
        rows.push(ImportRow {
            row,
            volunteer: NewVolunteer {
                skills,
                service_categories: categories,
                three_heads_role: three_heads,
                guardian,
                // The importing team attests the consent it collected.
                consent_version: "import".into(),
                ..NewVolunteer::identity(&name, &id, &phone, &region, "import")
            },
        });
    }
    let failed_rows: HashSet<u32> = errors.iter().map(|e| e.row).collect();
    let record = state
        .store
        .import_volunteers(
            ImportMeta {
                organization_id: org.id,
                file_name,
                file_sha256: sha,
                format,
                total_rows: total,
                created_by: who.account_id,
            },
            rows,
            failed_rows.len(),
            |refusals| {
                let mut all = errors.clone();
                all.extend(refusals.iter().map(|r| ImportRowError {
                    row: r.row,
                    field: "身份证号".into(),
                    code: r.code.into(),
                    reason: r.reason.clone(),
                }));
                all.sort_by_key(|e| e.row);
                // The report keeps the first errors; `failed` still counts every bad row.
                all.truncate(MAX_REPORTED_ERRORS);
                serde_json::to_string(&all).unwrap_or_else(|_| "[]".into())
            },
            state.clock.now(),
        )
        .await?;
    Ok(super::created(format!(
        "/organizations/{}/volunteer-imports/{}",
        org.id, record.id
    ))
    .json(view(record)))
}

/// Row errors an import's report keeps (the first ones, by row).
pub const MAX_REPORTED_ERRORS: usize = 1000;

/// An import's status and its row-by-row report.
#[utoipa::path(tag = "volunteers", security(("bearer" = [])), params(("id" = Uuid, Path), ("import_id" = Uuid, Path)), responses(
    (status = 200, body = VolunteerImportView),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
))]
#[get("/organizations/{id}/volunteer-imports/{import_id}")]
pub async fn get_volunteer_import(
    state: web::Data<AppState>,
    who: Authenticated,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (id, import_id) = path.into_inner();
    let org = load_visible(&state, Some(&who), id).await?;
    if !manages(&who, &org) {
        return Err(ApiError::Forbidden(
            ProblemCode::NotYourOrganization,
            "only the team's admins read its imports".into(),
        ));
    }
    let m = state
        .store
        .get_volunteer_import(org.id, import_id)
        .await?
        .ok_or(ApiError::NotFound(ProblemCode::ImportNotFound))?;
    Ok(HttpResponse::Ok().json(view(m)))
}
