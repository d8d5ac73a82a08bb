//! An uploaded CSV file read into a header and rows: UTF-8 with or without a byte-order mark,
//! comma or semicolon separated (guessed from the header line), every row as long as the header.
//! A file that cannot be read so gets one clear message and is not kept.

use serde::{Deserialize, Serialize};

/// A row of the file with the line it starts on, for messages that point into the file.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct FileRow {
    pub line: u64,
    pub cells: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<FileRow>,
}

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// The most columns a file may have (the columns screen names each).
pub const MAX_COLUMNS: usize = 60;

fn has_control(cell: &str) -> bool {
    cell.chars()
        .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
}

/// Reads `bytes` as a CSV table, or says why it cannot.
pub fn read(bytes: &[u8]) -> Result<Table, String> {
    let bytes = bytes.strip_prefix(BOM).unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let line = bytes[..e.valid_up_to()].iter().filter(|b| **b == b'\n').count() + 1;
        format!("The file is not UTF-8 text (line {line} is not). In your spreadsheet, save it as \u{201c}CSV UTF-8\u{201d} and upload it again.")
    })?;
    if text.trim().is_empty() {
        return Err("The file is empty.".into());
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .delimiter(separator(text))
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    let headers: Vec<String> = match records.next() {
        Some(Ok(record)) => record.iter().map(str::to_string).collect(),
        Some(Err(e)) => return Err(unreadable(text, &e)),
        None => return Err("The file is empty.".into()),
    };
    if headers.len() > MAX_COLUMNS {
        return Err(format!(
            "The header line has {} columns; an import reads at most {MAX_COLUMNS}. Remove the columns it does not need.",
            headers.len()
        ));
    }
    let (mut rows, mut lines) = (Vec::new(), Lines::new(text));
    for record in records {
        let record = record.map_err(|e| unreadable(text, &e))?;
        if record.iter().all(str::is_empty) {
            continue;
        }
        if record.iter().any(has_control) {
            return Err(format!(
                "Line {} holds a control character (such as NUL), which no field accepts; nothing was imported.",
                lines.of(record.position())
            ));
        }
        rows.push(FileRow {
            line: lines.of(record.position()),
            cells: record.iter().map(str::to_string).collect(),
        });
    }
    if rows.is_empty() {
        return Err("The file has a header line but no rows under it.".into());
    }
    Ok(Table { headers, rows })
}

/// `;` when the header line has more semicolons than commas outside quotes (spreadsheets in many
/// locales save so), else `,`.
fn separator(text: &str) -> u8 {
    let (mut quoted, mut commas, mut semicolons) = (false, 0, 0);
    for c in text.chars() {
        match c {
            '\n' if !quoted => break,
            '"' => quoted = !quoted,
            ',' if !quoted => commas += 1,
            ';' if !quoted => semicolons += 1,
            _ => {}
        }
    }
    if semicolons > commas {
        b';'
    } else {
        b','
    }
}

/// Counts the lines of `text` as the records advance, each count starting where the last one
/// stopped (one pass over the file).
struct Lines<'a> {
    bytes: &'a [u8],
    at: usize,
    line: u64,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str) -> Self {
        Self {
            bytes: text.as_bytes(),
            at: 0,
            line: 1,
        }
    }

    /// The line a record starts on, from its byte offset past the blank lines before it (the
    /// reader's own count passes over blank lines, and its offset starts before them).
    fn of(&mut self, position: Option<&csv::Position>) -> u64 {
        let bytes = self.bytes;
        let mut byte = position.map_or(0, |p| p.byte() as usize).min(bytes.len());
        while byte < bytes.len() && matches!(bytes[byte], b'\n' | b'\r') {
            byte += 1;
        }
        if byte < self.at {
            (self.at, self.line) = (0, 1);
        }
        self.line += bytes[self.at..byte].iter().filter(|b| **b == b'\n').count() as u64;
        self.at = byte;
        self.line
    }
}

fn unreadable(text: &str, error: &csv::Error) -> String {
    let line = Lines::new(text).of(error.position());
    match error.kind() {
        csv::ErrorKind::UnequalLengths { expected_len, len, .. } => format!(
            "Line {line} has {len} fields where the header line has {expected_len}. Check it for a missing or extra separator, or a quote that is not closed; nothing was imported."
        ),
        _ => format!("The file cannot be read as CSV at line {line}; nothing was imported."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bom_and_semicolons_are_read_and_blank_lines_skipped() {
        let table =
            read(b"\xEF\xBB\xBFFirst name;Last name\n Ada ;\"Obi; Jr\"\n;\n\nEmeka;Eze\n").unwrap();
        assert_eq!(table.headers, ["First name", "Last name"]);
        assert_eq!(table.rows.len(), 2);
        assert_eq!(table.rows[0].cells, ["Ada", "Obi; Jr"]);
        assert_eq!(table.rows[1].line, 5);
    }

    #[test]
    fn a_comma_file_with_quoted_semicolons_stays_a_comma_file() {
        let table = read(b"\"a;b;c\",d\n1,2\n").unwrap();
        assert_eq!(table.headers, ["a;b;c", "d"]);
    }

    #[test]
    fn malformed_files_say_why() {
        assert!(read(b"").unwrap_err().contains("empty"));
        assert!(read(b"a,b\n").unwrap_err().contains("no rows"));
        assert!(read(b"a,b\n1,2\n1,2,3\n")
            .unwrap_err()
            .contains("Line 3 has 3 fields"));
        assert!(read(b"a,b\n1,\xFF\n")
            .unwrap_err()
            .contains("line 2 is not"));
    }
}
