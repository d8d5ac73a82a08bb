//! Every CSV export: UTF-8 with a byte-order mark (so spreadsheet programs read accents right),
//! quoted by the `csv` crate, dates as ISO 8601, and no cell a spreadsheet would run as a formula.

use std::borrow::Cow;

use actix_web::{http::header, HttpResponse};

use crate::error::{AppError, AppResult};

pub struct CsvExport {
    out: csv::Writer<Vec<u8>>,
}

impl CsvExport {
    pub fn new(header: &[&str]) -> AppResult<Self> {
        let mut export = Self {
            out: csv::Writer::from_writer(vec![0xEF, 0xBB, 0xBF]),
        };
        export.row(header.iter().copied())?;
        Ok(export)
    }

    pub fn row<'a>(&mut self, cells: impl IntoIterator<Item = &'a str>) -> AppResult<()> {
        let cells: Vec<Cow<'a, str>> = cells.into_iter().map(as_text).collect();
        self.out
            .write_record(cells.iter().map(|c| c.as_bytes()))
            .map_err(|e| AppError::internal(format!("writing CSV: {e}")))
    }

    /// The file as a download named `<what>-<program>.csv`.
    pub fn into_response(self, what: &str, program: &str) -> AppResult<HttpResponse> {
        let body = self
            .out
            .into_inner()
            .map_err(|e| AppError::internal(format!("writing CSV: {e}")))?;
        let program = program
            .to_lowercase()
            .replace(|c: char| !c.is_ascii_alphanumeric(), "-");
        Ok(HttpResponse::Ok()
            .insert_header((header::CONTENT_TYPE, "text/csv; charset=utf-8"))
            .insert_header((
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{what}-{program}.csv\""),
            ))
            .body(body))
    }
}

/// A cell that starts like a formula (`=`, `+`, `-`, `@`, a tab or a carriage return) gets a
/// leading single quote, so a spreadsheet shows it as text instead of running it (OWASP's advice
/// on CSV injection): a student named `=HYPERLINK(...)` stays a name.
pub fn as_text(cell: &str) -> Cow<'_, str> {
    if cell.starts_with(FORMULA_STARTS) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A cell as `as_text` wrote it, read back (an export or the template imported again): the
/// apostrophe before a formula's first character goes.
pub fn from_text(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(FORMULA_STARTS) => rest,
        _ => cell,
    }
}

#[cfg(test)]
mod tests {
    use super::as_text;

    #[test]
    fn a_cell_written_as_text_reads_back_as_it_was() {
        for cell in ["+234 803", "=1+2", "'quoted", "plain", "-5"] {
            assert_eq!(super::from_text(&as_text(cell)), cell);
        }
    }

    #[test]
    fn cells_that_start_like_a_formula_are_written_as_text() {
        for (cell, written) in [
            ("=1+2", "'=1+2"),
            ("+234 803 123 4567", "'+234 803 123 4567"),
            ("-2", "'-2"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\t=1", "'\t=1"),
            ("\r=1", "'\r=1"),
            ("Ada", "Ada"),
            ("a=b", "a=b"),
            ("", ""),
        ] {
            assert_eq!(as_text(cell), written, "{cell:?}");
        }
    }
}
