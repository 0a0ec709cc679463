//! Bounded reading of uploaded tables (CSV and XLSX) for imports.
//!
//! An upload is untrusted: a 5 KB workbook can declare a cell at `XFD1048576`, a 14 MB one
//! can inflate to hundreds of megabytes, and one shared string can be referenced a million
//! times. So nothing here allocates by what a file *declares*:
//!
//! - every entry of a workbook is inflated once into a counting sink, with a limit for the
//!   whole archive, before the workbook is opened (zip bombs stop there);
//! - the first sheet is read with a streaming cell reader, cell by cell, never as a dense
//!   range; only the columns of the header row (at most [`MAX_COLUMNS`]) are kept, and only
//!   rows that hold something;
//! - a cell longer than [`MAX_CELL_CHARS`] is not copied (its row is reported);
//! - at most `max_rows` data rows, and at most `deadline` of work.
//!
//! The caller runs this off the async workers (`web::block`).

use std::collections::BTreeMap;
use std::io::{Cursor, Read};
use std::time::{Duration, Instant};

use calamine::{DataRef, Reader, Xlsx};

/// Columns of the header row that are kept (the template has ten).
pub const MAX_COLUMNS: usize = 64;
/// A cell longer than this (in characters) is refused rather than copied.
pub const MAX_CELL_CHARS: usize = 1000;
/// Entries a workbook may hold.
const MAX_ZIP_ENTRIES: usize = 1000;

/// What a read may cost.
#[derive(Debug, Clone, Copy)]
pub struct TableLimits {
    /// Data rows (below the header) at most.
    pub max_rows: usize,
    /// Uncompressed bytes of the whole workbook (and so of any one entry).
    pub max_inflated_bytes: u64,
    /// Wall-clock time for the whole read.
    pub deadline: Duration,
}

impl Default for TableLimits {
    fn default() -> Self {
        Self {
            max_rows: 20_000,
            max_inflated_bytes: 128 * 1024 * 1024,
            deadline: Duration::from_secs(30),
        }
    }
}

/// A table read within its limits: the header row and the data rows that hold something,
/// each with its row number in the file (the header is row 1 of what was read).
#[derive(Debug)]
pub struct Table {
    pub format: zhihui_domain::TableFormat,
    pub header: Vec<String>,
    pub rows: Vec<TableRow>,
}

#[derive(Debug)]
pub struct TableRow {
    /// 1-based row number as a spreadsheet program shows it.
    pub number: u32,
    /// One value per header column (empty where the file has none).
    pub cells: Vec<String>,
    /// Header columns whose cell was longer than [`MAX_CELL_CHARS`] (left empty in `cells`).
    pub too_long: Vec<usize>,
}

/// Why a file could not be read.
#[derive(Debug, PartialEq, Eq)]
pub enum TableError {
    /// Not a readable CSV or XLSX file (the reason is for people).
    Unreadable(String),
    /// No header row.
    Empty,
    /// More data rows than allowed.
    TooManyRows { max: usize },
    /// A workbook that inflates beyond the limits (a zip bomb, or simply too big).
    TooLargeInflated { max: u64 },
    /// The read took longer than allowed.
    TooSlow { secs: u64 },
}

/// Reads a CSV (UTF-8, with or without BOM, or GB18030) or XLSX (first sheet) file.
pub fn read_table(bytes: &[u8], limits: TableLimits) -> Result<Table, TableError> {
    let started = Instant::now();
    if bytes.starts_with(b"PK\x03\x04") {
        read_xlsx(bytes, limits, started)
    } else {
        read_csv(bytes, limits, started)
    }
}

struct Builder {
    limits: TableLimits,
    started: Instant,
    header: Option<Vec<String>>,
    width: usize,
    rows: BTreeMap<u32, TableRow>,
}

impl Builder {
    fn new(limits: TableLimits, started: Instant) -> Self {
        Self {
            limits,
            started,
            header: None,
            width: 0,
            rows: BTreeMap::new(),
        }
    }

    fn check_time(&self) -> Result<(), TableError> {
        if self.started.elapsed() > self.limits.deadline {
            return Err(TableError::TooSlow {
                secs: self.limits.deadline.as_secs(),
            });
        }
        Ok(())
    }

    /// Takes one cell; `value` is only read when the cell is kept.
    fn cell(&mut self, number: u32, col: usize, value: Option<&str>) -> Result<(), TableError> {
        let Some(value) = value else { return Ok(()) };
        if self.header.is_none() || col >= self.width {
            return Ok(());
        }
        if value.trim().is_empty() {
            return Ok(());
        }
        if !self.rows.contains_key(&number) {
            if self.rows.len() >= self.limits.max_rows {
                return Err(TableError::TooManyRows {
                    max: self.limits.max_rows,
                });
            }
            self.rows.insert(
                number,
                TableRow {
                    number,
                    cells: vec![String::new(); self.width],
                    too_long: vec![],
                },
            );
        }
        if let Some(row) = self.rows.get_mut(&number) {
            if value.chars().nth(MAX_CELL_CHARS).is_some() {
                row.too_long.push(col);
            } else if let Some(c) = row.cells.get_mut(col) {
                *c = value.to_string();
            }
        }
        Ok(())
    }

    fn header_row(&mut self, cells: Vec<String>) {
        let mut cells = cells;
        cells.truncate(MAX_COLUMNS);
        while cells.last().is_some_and(|c| c.trim().is_empty()) {
            cells.pop();
        }
        self.width = cells.len();
        self.header = Some(cells);
    }

    fn finish(self, format: zhihui_domain::TableFormat) -> Result<Table, TableError> {
        let header = self.header.ok_or(TableError::Empty)?;
        Ok(Table {
            format,
            header,
            rows: self.rows.into_values().collect(),
        })
    }
}

fn read_csv(bytes: &[u8], limits: TableLimits, started: Instant) -> Result<Table, TableError> {
    let text: std::borrow::Cow<'_, str> = match std::str::from_utf8(bytes) {
        Ok(s) => s.trim_start_matches('\u{feff}').into(),
        // Spreadsheet programs in China often save CSV as GB18030.
        Err(_) => encoding_rs::GB18030.decode(bytes).0,
    };
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut b = Builder::new(limits, started);
    let mut rec = csv::StringRecord::new();
    let mut number = 0u32;
    loop {
        match rdr.read_record(&mut rec) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                return Err(TableError::Unreadable(format!(
                    "not a readable CSV file: {e}"
                )))
            }
        }
        number += 1;
        if number.is_multiple_of(1024) {
            b.check_time()?;
        }
        if b.header.is_none() {
            if rec.iter().all(|c| c.trim().is_empty()) {
                continue;
            }
            b.header_row(rec.iter().map(|c| c.trim().to_string()).collect());
            // Data rows are numbered from the header's own number.
            number = 1;
            continue;
        }
        for (col, value) in rec.iter().enumerate().take(b.width) {
            b.cell(number, col, Some(value))?;
        }
    }
    b.finish(zhihui_domain::TableFormat::Csv)
}

/// Inflates every entry into a counting sink: refuses archives whose real (not declared)
/// uncompressed size is over the limits, before any of it is parsed.
fn check_archive(bytes: &[u8], limits: TableLimits, started: Instant) -> Result<(), TableError> {
    let unreadable = || TableError::Unreadable("not a readable XLSX workbook".into());
    let too_large = TableError::TooLargeInflated {
        max: limits.max_inflated_bytes,
    };
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| unreadable())?;
    if zip.len() > MAX_ZIP_ENTRIES {
        return Err(unreadable());
    }
    let mut total = 0u64;
    let mut buf = vec![0u8; 64 * 1024];
    for i in 0..zip.len() {
        let entry = zip.by_index(i).map_err(|_| unreadable())?;
        // The declared size refuses early; the count refuses an entry that lies.
        if entry.size() > limits.max_inflated_bytes - total {
            return Err(too_large);
        }
        let mut limited = entry.take(limits.max_inflated_bytes - total + 1);
        loop {
            let n = limited.read(&mut buf).map_err(|_| unreadable())?;
            if n == 0 {
                break;
            }
            total += n as u64;
            if total > limits.max_inflated_bytes {
                return Err(too_large);
            }
            if started.elapsed() > limits.deadline {
                return Err(TableError::TooSlow {
                    secs: limits.deadline.as_secs(),
                });
            }
        }
    }
    Ok(())
}

fn text_of<'a>(v: &'a DataRef<'_>) -> Option<std::borrow::Cow<'a, str>> {
    Some(match v {
        DataRef::Empty => return None,
        DataRef::SharedString(s) => (*s).into(),
        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.as_str().into(),
        DataRef::Float(f) if f.fract() == 0.0 && f.abs() < 1e17 => format!("{f:.0}").into(),
        DataRef::Float(f) => f.to_string().into(),
        DataRef::Int(i) => i.to_string().into(),
        DataRef::Bool(b) => b.to_string().into(),
        DataRef::DateTime(d) => d.to_string().into(),
        DataRef::Error(e) => e.to_string().into(),
    })
}

fn read_xlsx(bytes: &[u8], limits: TableLimits, started: Instant) -> Result<Table, TableError> {
    let unreadable = |m: &str| TableError::Unreadable(m.to_string());
    check_archive(bytes, limits, started)?;
    let mut wb: Xlsx<_> =
        Xlsx::new(Cursor::new(bytes)).map_err(|_| unreadable("not a readable XLSX workbook"))?;
    let first = wb
        .sheet_names()
        .into_iter()
        .next()
        .ok_or_else(|| unreadable("the workbook has no sheet"))?;
    let mut cells = wb
        .worksheet_cells_reader(&first)
        .map_err(|_| unreadable("the first sheet cannot be read"))?;
    let mut b = Builder::new(limits, started);
    // The header is the first row that holds something; cells arrive in row order.
    let mut header_at: Option<u32> = None;
    let mut header: Vec<String> = vec![];
    let mut seen = 0u64;
    loop {
        let cell = match cells.next_cell() {
            Ok(Some(c)) => c,
            Ok(None) => break,
            Err(_) => return Err(unreadable("the first sheet cannot be read")),
        };
        seen += 1;
        if seen.is_multiple_of(4096) {
            b.check_time()?;
        }
        let (row, col) = cell.get_position();
        let col = col as usize;
        if b.header.is_none() {
            if header_at.is_some_and(|h| h != row) {
                b.header_row(std::mem::take(&mut header));
            } else {
                let value = text_of(cell.get_value());
                let Some(value) = value.filter(|v| !v.trim().is_empty()) else {
                    continue;
                };
                header_at = Some(row);
                if col < MAX_COLUMNS && value.chars().count() <= MAX_CELL_CHARS {
                    if header.len() <= col {
                        header.resize(col + 1, String::new());
                    }
                    header[col] = value.trim().to_string();
                }
                continue;
            }
        }
        if col >= b.width {
            continue;
        }
        let number = row.saturating_sub(header_at.unwrap_or(0)).saturating_add(1);
        let value = text_of(cell.get_value());
        b.cell(number, col, value.as_deref())?;
    }
    if b.header.is_none() && header_at.is_some() {
        b.header_row(header);
    }
    b.finish(zhihui_domain::TableFormat::Xlsx)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits() -> TableLimits {
        TableLimits {
            max_rows: 3,
            ..TableLimits::default()
        }
    }

    #[test]
    fn csv_keeps_header_columns_and_numbers_rows() {
        let t = read_table("\u{feff}a,b\n1,2,3\n\n4,5\n".as_bytes(), limits()).unwrap();
        assert_eq!(t.header, ["a", "b"]);
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.rows[0].number, 2);
        assert_eq!(t.rows[0].cells, ["1", "2"]);
        assert_eq!(
            t.rows[1].number, 3,
            "records are counted, as before: CSV readers skip blank lines"
        );
    }

    #[test]
    fn csv_stops_past_the_row_limit() {
        let t = read_table(b"a\n1\n2\n3\n4\n", limits());
        assert_eq!(t.unwrap_err(), TableError::TooManyRows { max: 3 });
    }

    #[test]
    fn long_cells_are_flagged_not_copied() {
        let long = "x".repeat(MAX_CELL_CHARS + 1);
        let t = read_table(format!("a,b\n{long},1\n").as_bytes(), limits()).unwrap();
        assert_eq!(t.rows[0].too_long, [0]);
        assert_eq!(t.rows[0].cells[0], "");
    }

    #[test]
    fn xlsx_far_cell_is_not_a_dense_range() {
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        ws.write_string(0, 0, "a").unwrap();
        ws.write_string(0, 1, "b").unwrap();
        ws.write_string(1, 0, "1").unwrap();
        ws.write_string(1_048_575, 16_383, "far").unwrap();
        let bytes = wb.save_to_buffer().unwrap();
        let t = read_table(&bytes, limits()).unwrap();
        assert_eq!(t.format, zhihui_domain::TableFormat::Xlsx);
        assert_eq!(t.header, ["a", "b"]);
        assert_eq!(
            t.rows.len(),
            1,
            "the far cell is outside the header's columns"
        );
        assert_eq!(t.rows[0].number, 2);
    }

    #[test]
    fn xlsx_bomb_entries_are_refused_by_their_real_size() {
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        ws.write_string(0, 0, "a").unwrap();
        ws.write_string(1, 0, "y".repeat(30_000)).unwrap();
        let bytes = wb.save_to_buffer().unwrap();
        let small = TableLimits {
            max_inflated_bytes: 20_000,
            ..limits()
        };
        assert_eq!(
            read_table(&bytes, small).unwrap_err(),
            TableError::TooLargeInflated {
                max: small.max_inflated_bytes
            }
        );
    }
}
