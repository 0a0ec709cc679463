//! Tables for download: XLSX (for Excel and WPS) and CSV (UTF-8 with a byte-order mark, so
//! Excel shows the Chinese headers), from the same headers and rows.

use actix_web::http::header;
use actix_web::HttpResponse;
use zhihui_domain::ProblemCode;

use crate::error::ApiError;
use crate::validation::Problems;

/// One cell of an exported table.
#[derive(Debug, Clone)]
pub enum Cell {
    Text(String),
    Number(f64),
    Empty,
}

impl From<String> for Cell {
    fn from(s: String) -> Self {
        Cell::Text(s)
    }
}

impl From<&str> for Cell {
    fn from(s: &str) -> Self {
        Cell::Text(s.to_string())
    }
}

impl From<Option<f64>> for Cell {
    fn from(v: Option<f64>) -> Self {
        v.map(Cell::Number).unwrap_or(Cell::Empty)
    }
}

pub use zhihui_domain::TableFormat as Format;

/// The `format` query parameter, `default` when absent. A value that is not a format is
/// recorded in `p` against `format`, beside the request's other problems.
pub fn format(p: &mut Problems, s: Option<&str>, default: Format) -> Format {
    p.closed_opt("format", ProblemCode::UnknownFormat, s)
        .unwrap_or(default)
}

/// One sheet of a workbook: its name, its header row and its rows.
pub struct Sheet<'a> {
    pub name: &'a str,
    pub headers: &'a [&'a str],
    pub rows: &'a [Vec<Cell>],
}

fn workbook(sheets: &[Sheet<'_>]) -> Result<Vec<u8>, ApiError> {
    let e = |e: rust_xlsxwriter::XlsxError| ApiError::Internal(format!("XLSX: {e}"));
    let mut wb = rust_xlsxwriter::Workbook::new();
    let bold = rust_xlsxwriter::Format::new().set_bold();
    for sheet in sheets {
        let ws = wb.add_worksheet();
        ws.set_name(sheet.name).map_err(e)?;
        for (i, h) in sheet.headers.iter().enumerate() {
            ws.set_column_width(i as u16, 18).map_err(e)?;
            ws.write_string_with_format(0, i as u16, *h, &bold)
                .map_err(e)?;
        }
        for (r, row) in sheet.rows.iter().enumerate() {
            let r = r as u32 + 1;
            for (c, cell) in row.iter().enumerate() {
                match cell {
                    Cell::Text(t) => {
                        ws.write_string(r, c as u16, t).map_err(e)?;
                    }
                    Cell::Number(n) => {
                        ws.write_number(r, c as u16, *n).map_err(e)?;
                    }
                    Cell::Empty => {}
                }
            }
        }
        ws.set_freeze_panes(1, 0).map_err(e)?;
    }
    wb.save_to_buffer().map_err(e)
}

fn xlsx(sheet: &str, headers: &[&str], rows: &[Vec<Cell>]) -> Result<Vec<u8>, ApiError> {
    workbook(&[Sheet {
        name: sheet,
        headers,
        rows,
    }])
}

/// A text cell as CSV writes it: one that a spreadsheet program would read as a formula
/// (it starts with `=`, `+`, `-`, `@`, a tab or a carriage return, or their full-width
/// forms) is prefixed with `'`, so it shows as the text it is (OWASP, CSV injection). XLSX
/// cells are written as typed strings, which no spreadsheet evaluates.
pub fn csv_text(t: &str) -> String {
    match t.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r' | '＝' | '＋' | '－' | '＠') => {
            format!("'{t}")
        }
        _ => t.to_string(),
    }
}

fn csv(headers: &[&str], rows: &[Vec<Cell>]) -> Result<Vec<u8>, ApiError> {
    let mut out = b"\xEF\xBB\xBF".to_vec();
    {
        let mut w = csv::Writer::from_writer(&mut out);
        let e = |e: csv::Error| ApiError::Internal(format!("CSV: {e}"));
        w.write_record(headers.iter().map(|h| csv_text(h)))
            .map_err(e)?;
        for row in rows {
            w.write_record(row.iter().map(|c| match c {
                Cell::Text(t) => csv_text(t),
                Cell::Number(n) => n.to_string(),
                Cell::Empty => String::new(),
            }))
            .map_err(e)?;
        }
        w.flush()
            .map_err(|e| ApiError::Internal(format!("CSV: {e}")))?;
    }
    Ok(out)
}

/// The table as a download named `<stem>.xlsx` or `<stem>.csv`.
pub fn respond(
    format: Format,
    stem: &str,
    sheet: &str,
    headers: &[&str],
    rows: &[Vec<Cell>],
) -> Result<HttpResponse, ApiError> {
    let bytes = match format {
        Format::Xlsx => xlsx(sheet, headers, rows)?,
        Format::Csv => csv(headers, rows)?,
    };
    let (kind, ext) = (format.media_type(), format.as_str());
    Ok(HttpResponse::Ok()
        .content_type(kind)
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{stem}.{ext}\""),
        ))
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .body(bytes))
}

/// A workbook of several sheets as a download named `<stem>.xlsx`.
pub fn respond_workbook(stem: &str, sheets: &[Sheet<'_>]) -> Result<HttpResponse, ApiError> {
    let bytes = workbook(sheets)?;
    Ok(HttpResponse::Ok()
        .content_type(Format::Xlsx.media_type())
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{stem}.xlsx\""),
        ))
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .body(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_leave_csv_as_text() {
        for f in [
            "=cmd|' /C calc'!A0",
            "=HYPERLINK(\"http://x\",\"y\")",
            "+1+1",
            "@SUM(1)",
            "-1+1",
            "\t=1",
            "＝1+1",
        ] {
            assert!(csv_text(f).starts_with('\''), "{f}");
        }
        assert_eq!(csv_text("北京市科协"), "北京市科协");
        let rows = vec![vec![Cell::from("=1+1"), Cell::Number(-2.0)]];
        let out = String::from_utf8(csv(&["名称", "数"], &rows).unwrap()).unwrap();
        assert!(out.contains("'=1+1,-2"), "{out}");
    }

    #[test]
    fn formulas_in_xlsx_are_typed_strings() {
        let rows = vec![vec![Cell::from("=1+1")]];
        let bytes = xlsx("t", &["a"], &rows).unwrap();
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut sheet = String::new();
        std::io::Read::read_to_string(
            &mut zip.by_name("xl/worksheets/sheet1.xml").unwrap(),
            &mut sheet,
        )
        .unwrap();
        assert!(!sheet.contains("<f>"), "no formula element: {sheet}");
    }
}
