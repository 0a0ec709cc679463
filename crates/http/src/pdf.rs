//! Formal Chinese documents as PDF: service certificates and pairing letters with their proof.
//!
//! A document is laid out as a list of drawing operations (text runs, rules, QR codes)
//! on A4 pages, then rendered with `krilla`, which embeds only the glyphs used (a subset)
//! of the CJK font. The font is Noto Sans SC (SIL OFL 1.1), read from the configured font
//! directory (`scripts/fetch-fonts` puts it in `target/fonts`).

use std::path::PathBuf;
use std::sync::{Arc, OnceLock};
use zhihui_domain::ProblemCode;

use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::metadata::Metadata;
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::{Fill, FillRule};
use krilla::text::{Font, TextDirection};
use krilla::Document;

use crate::error::ApiError;

/// A4 in points.
pub const PAGE_WIDTH: f32 = 595.28;
pub const PAGE_HEIGHT: f32 = 841.89;
pub const MARGIN: f32 = 64.0;

const REGULAR: &str = "NotoSansSC-Regular.ttf";
const BOLD: &str = "NotoSansSC-Bold.ttf";

/// The fonts, read once on first use.
pub struct PdfFonts {
    dir: Option<PathBuf>,
    loaded: OnceLock<Option<(Font, Font)>>,
}

impl PdfFonts {
    pub fn new(dir: Option<PathBuf>) -> Self {
        Self {
            dir,
            loaded: OnceLock::new(),
        }
    }

    fn get(&self) -> Result<(Font, Font), ApiError> {
        let fonts = self.loaded.get_or_init(|| {
            let dir = self.dir.as_ref()?;
            let read = |name: &str| -> Option<Font> {
                let bytes = std::fs::read(dir.join(name)).ok()?;
                Font::new(Arc::new(bytes).into(), 0)
            };
            Some((read(REGULAR)?, read(BOLD)?))
        });
        fonts.clone().ok_or_else(|| ApiError::Unconfigured {
            code: ProblemCode::PdfFontMissing,
            detail: "documents cannot be printed: the CJK font is not installed on the server \
                     (run scripts/fetch-fonts or set ZHIHUI_FONT_DIR)"
                .into(),
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Align {
    Left,
    Center,
    Right,
}

#[derive(Debug, Clone)]
enum Op {
    Text {
        x: f32,
        y: f32,
        size: f32,
        bold: bool,
        color: (u8, u8, u8),
        text: String,
    },
    Rule {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        color: (u8, u8, u8),
    },
    Qr {
        x: f32,
        y: f32,
        size: f32,
        text: String,
    },
}

/// Estimated advance of a character in ems: CJK and full-width characters take a whole em,
/// Latin letters and digits about half (close enough for wrapping and centring).
fn advance(c: char) -> f32 {
    if c.is_ascii() {
        if c.is_ascii_uppercase() || c == 'W' || c == 'M' {
            0.62
        } else {
            0.52
        }
    } else {
        1.0
    }
}

pub fn text_width(text: &str, size: f32) -> f32 {
    text.chars().map(advance).sum::<f32>() * size
}

/// Splits text into lines no wider than `width`; keeps explicit line breaks. Chinese breaks
/// between any two characters; a run of Latin letters and digits (a number, a URL) stays
/// whole unless it is wider than the line by itself.
pub fn wrap(text: &str, size: f32, width: f32) -> Vec<String> {
    let mut lines = Vec::new();
    for para in text.split('\n') {
        let mut tokens: Vec<String> = Vec::new();
        for c in para.chars() {
            let joins = c.is_ascii_graphic()
                && tokens
                    .last()
                    .and_then(|t| t.chars().last())
                    .is_some_and(|p| p.is_ascii_graphic());
            match tokens.last_mut() {
                Some(t) if joins => t.push(c),
                _ => tokens.push(c.to_string()),
            }
        }
        let mut line = String::new();
        let mut w = 0.0;
        for t in tokens {
            let tw = text_width(&t, size);
            if w + tw > width && !line.is_empty() {
                lines.push(std::mem::take(&mut line));
                w = 0.0;
            }
            if tw > width {
                // Longer than a line: break it by characters.
                for c in t.chars() {
                    let a = advance(c) * size;
                    if w + a > width && !line.is_empty() {
                        lines.push(std::mem::take(&mut line));
                        w = 0.0;
                    }
                    line.push(c);
                    w += a;
                }
            } else {
                line.push_str(&t);
                w += tw;
            }
        }
        lines.push(line);
    }
    lines
}

/// A document being laid out top to bottom on A4 pages.
pub struct Layout {
    title: String,
    pages: Vec<Vec<Op>>,
    /// Distance from the top of the current page.
    y: f32,
}

impl Layout {
    pub fn new(title: &str) -> Self {
        Self {
            title: title.to_string(),
            pages: vec![vec![]],
            y: MARGIN,
        }
    }

    fn ops(&mut self) -> &mut Vec<Op> {
        if self.pages.is_empty() {
            self.pages.push(vec![]);
        }
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    fn ensure(&mut self, height: f32) {
        if self.y + height > PAGE_HEIGHT - MARGIN {
            self.pages.push(vec![]);
            self.y = MARGIN;
        }
    }

    pub fn space(&mut self, h: f32) {
        self.y += h;
    }

    pub fn y(&self) -> f32 {
        self.y
    }

    /// One line of text at the cursor.
    pub fn line(&mut self, text: &str, size: f32, bold: bool, align: Align) {
        self.line_colored(text, size, bold, align, (0, 0, 0));
    }

    pub fn line_colored(
        &mut self,
        text: &str,
        size: f32,
        bold: bool,
        align: Align,
        color: (u8, u8, u8),
    ) {
        let h = size * 1.6;
        self.ensure(h);
        let w = text_width(text, size);
        let x = match align {
            Align::Left => MARGIN,
            Align::Center => (PAGE_WIDTH - w) / 2.0,
            Align::Right => PAGE_WIDTH - MARGIN - w,
        };
        let y = self.y + size;
        self.ops().push(Op::Text {
            x,
            y,
            size,
            bold,
            color,
            text: text.to_string(),
        });
        self.y += h;
    }

    /// A wrapped paragraph; `indent` in ems on the first line (Chinese paragraphs indent two).
    pub fn paragraph(&mut self, text: &str, size: f32, indent_ems: usize) {
        let width = PAGE_WIDTH - 2.0 * MARGIN;
        let first = format!("{}{}", "\u{3000}".repeat(indent_ems), text);
        for l in wrap(&first, size, width) {
            self.line(&l, size, false, Align::Left);
        }
    }

    /// A label and value pair on one line, the value wrapped under itself.
    pub fn field(&mut self, label: &str, value: &str, size: f32) {
        let lw = text_width(label, size);
        let width = PAGE_WIDTH - 2.0 * MARGIN - lw;
        let lines = wrap(value, size, width);
        for (i, l) in lines.iter().enumerate() {
            let h = size * 1.7;
            self.ensure(h);
            let y = self.y + size;
            if i == 0 {
                self.ops().push(Op::Text {
                    x: MARGIN,
                    y,
                    size,
                    bold: true,
                    color: (0, 0, 0),
                    text: label.to_string(),
                });
            }
            self.ops().push(Op::Text {
                x: MARGIN + lw,
                y,
                size,
                bold: false,
                color: (0, 0, 0),
                text: l.clone(),
            });
            self.y += h;
        }
    }

    /// A horizontal rule across the text width.
    pub fn rule(&mut self, thickness: f32, color: (u8, u8, u8)) {
        self.ensure(thickness + 8.0);
        let y = self.y + 4.0;
        self.ops().push(Op::Rule {
            x: MARGIN,
            y,
            w: PAGE_WIDTH - 2.0 * MARGIN,
            h: thickness,
            color,
        });
        self.y += thickness + 8.0;
    }

    /// A QR code with a caption beneath, at the right margin.
    pub fn qr_right(&mut self, text: &str, size: f32, caption: &str) {
        self.ensure(size + 24.0);
        let x = PAGE_WIDTH - MARGIN - size;
        let y = self.y;
        self.ops().push(Op::Qr {
            x,
            y,
            size,
            text: text.to_string(),
        });
        let cs = 9.0;
        let cw = text_width(caption, cs);
        self.ops().push(Op::Text {
            x: x + (size - cw) / 2.0,
            y: y + size + 12.0,
            size: cs,
            bold: false,
            color: (80, 80, 80),
            text: caption.to_string(),
        });
    }

    /// Renders the pages; CPU-bound (font subsetting), so call it off the async threads.
    pub fn render(self, fonts: &PdfFonts) -> Result<Vec<u8>, ApiError> {
        let (regular, bold) = fonts.get()?;
        let mut doc = Document::new();
        doc.set_metadata(
            Metadata::new()
                .title(self.title.clone())
                .language("zh-CN".into())
                .creator("Zhihui 智惠".into()),
        );
        let settings = PageSettings::from_wh(PAGE_WIDTH, PAGE_HEIGHT)
            .ok_or_else(|| ApiError::Internal("page size".into()))?;
        for ops in self.pages {
            let mut page = doc.start_page_with(settings.clone());
            let mut surface = page.surface();
            for op in ops {
                match op {
                    Op::Text {
                        x,
                        y,
                        size,
                        bold: b,
                        color,
                        text,
                    } => {
                        surface.set_fill(Some(fill(color)));
                        let font = if b { bold.clone() } else { regular.clone() };
                        surface.draw_text(
                            Point::from_xy(x, y),
                            font,
                            size,
                            &text,
                            false,
                            TextDirection::Auto,
                        );
                    }
                    Op::Rule { x, y, w, h, color } => {
                        let mut pb = PathBuilder::new();
                        if let Some(r) = Rect::from_xywh(x, y, w, h) {
                            pb.push_rect(r);
                        }
                        if let Some(path) = pb.finish() {
                            surface.set_fill(Some(fill(color)));
                            surface.draw_path(&path);
                        }
                    }
                    Op::Qr { x, y, size, text } => {
                        let code = qrcode::QrCode::with_error_correction_level(
                            text.as_bytes(),
                            qrcode::EcLevel::M,
                        )
                        .map_err(|e| ApiError::Internal(format!("QR code: {e}")))?;
                        let n = code.width();
                        let quiet = 2.0;
                        let cell = size / (n as f32 + 2.0 * quiet);
                        let mut pb = PathBuilder::new();
                        for (i, c) in code.to_colors().iter().enumerate() {
                            if *c == qrcode::Color::Dark {
                                let (row, col) = (i / n, i % n);
                                if let Some(r) = Rect::from_xywh(
                                    x + (col as f32 + quiet) * cell,
                                    y + (row as f32 + quiet) * cell,
                                    cell,
                                    cell,
                                ) {
                                    pb.push_rect(r);
                                }
                            }
                        }
                        if let Some(path) = pb.finish() {
                            surface.set_fill(Some(fill((0, 0, 0))));
                            surface.draw_path(&path);
                        }
                    }
                }
            }
            surface.finish();
            page.finish();
        }
        doc.finish()
            .map_err(|e| ApiError::Internal(format!("PDF: {e:?}")))
    }
}

/// Renders a layout off the async threads and answers it as an inline PDF that is not
/// cached (printed documents carry personal data).
pub async fn respond(
    fonts: std::sync::Arc<PdfFonts>,
    layout: Layout,
    filename: &str,
) -> Result<actix_web::HttpResponse, ApiError> {
    let bytes = actix_web::web::block(move || layout.render(&fonts))
        .await
        .map_err(|e| ApiError::Internal(format!("PDF rendering: {e}")))??;
    Ok(actix_web::HttpResponse::Ok()
        .content_type("application/pdf")
        .insert_header((
            actix_web::http::header::CONTENT_DISPOSITION,
            format!("inline; filename=\"{filename}\""),
        ))
        .insert_header((actix_web::http::header::CACHE_CONTROL, "private, no-store"))
        .body(bytes))
}

fn fill(c: (u8, u8, u8)) -> Fill {
    Fill {
        paint: rgb::Color::new(c.0, c.1, c.2).into(),
        opacity: NormalizedF32::ONE,
        rule: FillRule::NonZero,
    }
}

/// A date the Chinese way: 2026年11月23日.
pub fn chinese_date(d: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapping_respects_width_and_breaks() {
        let lines = wrap("一二三四五六七八九十", 10.0, 35.0);
        assert_eq!(lines, vec!["一二三", "四五六", "七八九", "十"]);
        assert_eq!(wrap("甲\n乙", 10.0, 100.0), vec!["甲", "乙"]);
        // A number is not split when it fits on the next line.
        let lines = wrap("编号ZH202600000001。", 10.0, 90.0);
        assert_eq!(lines, vec!["编号", "ZH202600000001。"]);
    }

    #[test]
    fn chinese_dates() {
        let d = chrono::NaiveDate::from_ymd_opt(2026, 3, 5).unwrap_or_default();
        assert_eq!(chinese_date(d), "2026年3月5日");
    }

    #[test]
    fn a_missing_font_is_a_clear_503() {
        let fonts = PdfFonts::new(Some(PathBuf::from("/nonexistent")));
        let mut l = Layout::new("t");
        l.line("证明", 12.0, false, Align::Left);
        match l.render(&fonts) {
            Err(ApiError::Unconfigured { code, .. }) => assert_eq!(code, "pdf_font_missing"),
            other => panic!(
                "expected a missing-font error, got {:?}",
                other.map(|b| b.len())
            ),
        }
    }
}
