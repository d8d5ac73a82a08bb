//! `bench-replay-script`: turns what PostgreSQL logged for one page request (`log_statement = 'all'`)
//! into a pgbench script, so the benchmark can measure the database's own limit for that page.
//!
//! `scripts/bench.sh` brackets each captured request with two marker statements run through psql,
//! `SELECT 'bench-capture-begin:<page>'` and `SELECT 'bench-capture-end:<page>'`; everything the
//! database logged in between for the benchmark database is that request's SQL. Markers rather than
//! "everything after sign-in" keep start-up work (migrations), the sign-in and warm-up requests out.
//!
//! Log format expected: Debian's `log_line_prefix = '%m [%p] %q%u@%d '` on stderr. Diesel uses the
//! extended protocol, logged as `LOG:  execute <name>: SQL` plus `DETAIL:  parameters: $1 = '..'`;
//! its `BEGIN`/`COMMIT`/`SET` go through the simple protocol, logged as `LOG:  statement: SQL`.
//! Messages spanning lines continue on tab-indented lines.

use std::collections::{HashMap, HashSet};
use std::fmt;

/// One log record: its first line and tab-indented continuation lines, joined.
#[derive(Debug, Clone, PartialEq)]
struct Record {
    pid: u32,
    database: Option<String>,
    severity: String,
    message: String,
}

/// A statement the app ran: its SQL and, for the extended protocol, its parameter values
/// (`None` for SQL NULL), `$1` first.
#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    pub pid: u32,
    pub sql: String,
    pub params: Vec<Option<String>>,
}

/// A pgbench script and the `-D name=value` definitions its variables need.
#[derive(Debug, Clone, PartialEq)]
pub struct Script {
    pub text: String,
    pub defines: Vec<(String, String)>,
    pub statements: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ReplayError {
    MarkerMissing(String),
    Empty(String),
    DatabaseError(String),
    BadParameters(String),
}

impl fmt::Display for ReplayError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReplayError::MarkerMissing(m) => write!(f, "marker {m:?} not found in the log"),
            ReplayError::Empty(page) => write!(f, "no statement captured for page {page:?}"),
            ReplayError::DatabaseError(e) => write!(f, "the captured request hit an error: {e}"),
            ReplayError::BadParameters(d) => write!(f, "unreadable parameter list: {d}"),
        }
    }
}

impl std::error::Error for ReplayError {}

pub fn begin_marker(page: &str) -> String {
    format!("SELECT 'bench-capture-begin:{page}'")
}

pub fn end_marker(page: &str) -> String {
    format!("SELECT 'bench-capture-end:{page}'")
}

/// The pgbench script of `page` from a log excerpt, keeping only records of `database`.
pub fn script_for_page(log: &str, database: &str, page: &str) -> Result<Script, ReplayError> {
    let records: Vec<Record> = records(log)
        .into_iter()
        .filter(|r| r.database.as_deref() == Some(database))
        .collect();
    let statements = captured(&records, page)?;
    if statements.is_empty() {
        return Err(ReplayError::Empty(page.into()));
    }
    Ok(script(&statements))
}

/// Splits the log into records; lines before the first record (the excerpt may start mid-record)
/// and lines that are neither a record start nor a continuation are dropped.
fn records(log: &str) -> Vec<Record> {
    let mut out: Vec<Record> = Vec::new();
    let mut open = false;
    for line in log.lines() {
        if let Some(record) = parse_record_start(line) {
            out.push(record);
            open = true;
        } else if let (true, Some(rest), Some(last)) =
            (open, line.strip_prefix('\t'), out.last_mut())
        {
            last.message.push('\n');
            last.message.push_str(rest);
        } else {
            open = false;
        }
    }
    out
}

const SEVERITIES: &[&str] = &[
    "LOG",
    "DETAIL",
    "ERROR",
    "STATEMENT",
    "HINT",
    "CONTEXT",
    "WARNING",
    "NOTICE",
    "INFO",
    "FATAL",
    "PANIC",
    "DEBUG1",
    "DEBUG2",
    "DEBUG3",
    "DEBUG4",
    "DEBUG5",
];

/// `2026-11-26 21:42:34.209 UTC [18255] postgres@aa_bench_10000 LOG:  execute ...`; the `user@db`
/// part is absent for processes without a session (checkpointer...).
fn parse_record_start(line: &str) -> Option<Record> {
    if !line.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let open = line.find(" [")?;
    let close = open + line[open..].find("] ")?;
    let pid: u32 = line[open + 2..close].parse().ok()?;
    let rest = &line[close + 2..];
    let (database, rest) = match rest.split_once(' ') {
        Some((who, after)) if who.contains('@') && !who.ends_with(':') => {
            (who.rsplit_once('@').map(|(_, db)| db.to_string()), after)
        }
        _ => (None, rest),
    };
    let (severity, message) = rest.split_once(":  ")?;
    if !SEVERITIES.contains(&severity) {
        return None;
    }
    Some(Record {
        pid,
        database,
        severity: severity.into(),
        message: message.into(),
    })
}

/// The statements logged strictly between the page's begin and end markers, in log order.
fn captured(records: &[Record], page: &str) -> Result<Vec<Statement>, ReplayError> {
    let (begin, end) = (begin_marker(page), end_marker(page));
    let is_marker = |r: &Record, marker: &str| {
        r.severity == "LOG" && r.message.strip_prefix("statement: ").map(str::trim) == Some(marker)
    };
    let start = records
        .iter()
        .position(|r| is_marker(r, &begin))
        .ok_or_else(|| ReplayError::MarkerMissing(begin.clone()))?;
    let stop = start
        + records[start..]
            .iter()
            .position(|r| is_marker(r, &end))
            .ok_or_else(|| ReplayError::MarkerMissing(end.clone()))?;
    // Skip whatever the marker sessions themselves logged.
    let marker_pids: HashSet<u32> = [records[start].pid, records[stop].pid].into();
    statements(
        records[start + 1..stop]
            .iter()
            .filter(|r| !marker_pids.contains(&r.pid)),
    )
}

/// Statements from records; a `DETAIL:  parameters:` belongs to its backend's last `execute`.
fn statements<'a>(
    records: impl Iterator<Item = &'a Record>,
) -> Result<Vec<Statement>, ReplayError> {
    let mut out: Vec<Statement> = Vec::new();
    let mut last_execute: HashMap<u32, usize> = HashMap::new();
    for r in records {
        match r.severity.as_str() {
            "LOG" => {
                if let Some(sql) = r.message.strip_prefix("statement: ") {
                    last_execute.remove(&r.pid);
                    out.push(Statement {
                        pid: r.pid,
                        sql: sql.into(),
                        params: vec![],
                    });
                } else if let Some(sql) = executed_sql(&r.message) {
                    last_execute.insert(r.pid, out.len());
                    out.push(Statement {
                        pid: r.pid,
                        sql: sql.into(),
                        params: vec![],
                    });
                }
            }
            "DETAIL" => {
                if let Some(list) = r.message.strip_prefix("parameters: ") {
                    if let Some(&at) = last_execute.get(&r.pid) {
                        out[at].params = parse_parameters(list)?;
                    }
                }
            }
            "ERROR" | "FATAL" | "PANIC" => {
                return Err(ReplayError::DatabaseError(r.message.clone()));
            }
            _ => {}
        }
    }
    Ok(out)
}

/// The SQL of `execute <name>: SQL` (also `execute <name>/<portal>: SQL`).
fn executed_sql(message: &str) -> Option<&str> {
    let rest = message.strip_prefix("execute ")?;
    rest.split_once(": ").map(|(_, sql)| sql)
}

/// `$1 = 'a''b', $2 = NULL` -> `[Some("a'b"), None]`; positions must run 1, 2, 3...
fn parse_parameters(list: &str) -> Result<Vec<Option<String>>, ReplayError> {
    let bad = || ReplayError::BadParameters(list.chars().take(200).collect());
    let mut values = Vec::new();
    let mut rest = list;
    loop {
        let after_dollar = rest.strip_prefix('$').ok_or_else(bad)?;
        let digits = after_dollar.bytes().take_while(u8::is_ascii_digit).count();
        let position: usize = after_dollar[..digits].parse().map_err(|_| bad())?;
        if position != values.len() + 1 {
            return Err(bad());
        }
        let after_eq = after_dollar[digits..].strip_prefix(" = ").ok_or_else(bad)?;
        let (value, after_value) = if let Some(after_null) = after_eq.strip_prefix("NULL") {
            (None, after_null)
        } else {
            let (value, after) = quoted(after_eq).ok_or_else(bad)?;
            (Some(value), after)
        };
        values.push(value);
        match after_value.strip_prefix(", ") {
            Some(next) => rest = next,
            None if after_value.trim().is_empty() => return Ok(values),
            None => return Err(bad()),
        }
    }
}

/// A leading `'...'` literal with `''` doubling: its value and what follows it.
fn quoted(text: &str) -> Option<(String, &str)> {
    let body = text.strip_prefix('\'')?;
    let mut value = String::new();
    let mut chars = body.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c != '\'' {
            value.push(c);
        } else if chars.peek().map(|&(_, next)| next) == Some('\'') {
            value.push('\'');
            chars.next();
        } else {
            return Some((value, &body[i + 1..]));
        }
    }
    None
}

/// One pgbench command per statement, `$n` becoming `:s<statement>p<n>`; a NULL parameter is
/// written as the literal NULL and an empty one as `''`, since a pgbench variable can hold
/// neither (`-D name=` is refused).
fn script(statements: &[Statement]) -> Script {
    let mut text = String::new();
    let mut defines = Vec::new();
    for (index, statement) in statements.iter().enumerate() {
        let number = index + 1;
        let sql = substitute_parameters(&statement.sql, |n| match statement.params.get(n - 1) {
            Some(Some(value)) if value.is_empty() => Some("''".into()),
            Some(Some(value)) => {
                let name = format!("s{number}p{n}");
                defines.push((name.clone(), value.clone()));
                Some(format!(":{name}"))
            }
            Some(None) => Some("NULL".into()),
            None => None,
        });
        text.push_str(sql.trim_end().trim_end_matches(';'));
        text.push_str(";\n");
    }
    Script {
        text,
        defines,
        statements: statements.len(),
    }
}

/// Replaces each `$n` outside quoted literals and identifiers by `replace(n)` (kept as is on None).
fn substitute_parameters(sql: &str, mut replace: impl FnMut(usize) -> Option<String>) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut quote: Option<char> = None;
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some(q), _) => {
                out.push(c);
                if c == q {
                    quote = None; // a doubled quote simply reopens on the next character
                }
            }
            (None, '\'' | '"') => {
                quote = Some(c);
                out.push(c);
            }
            (None, '$') if chars.peek().is_some_and(char::is_ascii_digit) => {
                let mut digits = String::new();
                while let Some(d) = chars.next_if(char::is_ascii_digit) {
                    digits.push(d);
                }
                let n: usize = digits.parse().unwrap_or(0);
                match replace(n) {
                    Some(replacement) => out.push_str(&replacement),
                    None => {
                        out.push('$');
                        out.push_str(&digits);
                    }
                }
            }
            (None, _) => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const DB: &str = "aa_bench_10000";

    fn line(pid: u32, db: &str, rest: &str) -> String {
        format!("2026-11-26 21:42:34.209 UTC [{pid}] postgres@{db} {rest}\n")
    }

    fn marker(pid: u32, text: String) -> String {
        line(pid, DB, &format!("LOG:  statement: {text}"))
    }

    fn capture(body: &str) -> String {
        let mut log = String::new();
        log.push_str(&line(9, DB, "LOG:  execute s0: SELECT 'before the marker'"));
        log.push_str(&marker(100, begin_marker("p")));
        log.push_str(body);
        log.push_str(&marker(101, end_marker("p")));
        log.push_str(&line(9, DB, "LOG:  execute s0: SELECT 'after the marker'"));
        log
    }

    #[test]
    fn execute_with_parameters_becomes_variables_and_defines() {
        let log = capture(&format!(
            "{}{}",
            line(7, DB, "LOG:  execute __diesel_stmt_3: SELECT a FROM t WHERE k = $1 AND e > $2 LIMIT $3"),
            line(7, DB, "DETAIL:  parameters: $1 = 'it''s, $2 = x', $2 = '2026-11-26 21:42:34+00', $3 = '1'"),
        ));
        let script = script_for_page(&log, DB, "p").unwrap();
        assert_eq!(
            script.text,
            "SELECT a FROM t WHERE k = :s1p1 AND e > :s1p2 LIMIT :s1p3;\n"
        );
        assert_eq!(
            script.defines,
            vec![
                ("s1p1".into(), "it's, $2 = x".into()),
                ("s1p2".into(), "2026-11-26 21:42:34+00".into()),
                ("s1p3".into(), "1".into()),
            ]
        );
        assert_eq!(script.statements, 1);
    }

    #[test]
    fn null_and_empty_parameters_become_literals() {
        let log = capture(&format!(
            "{}{}",
            line(
                7,
                DB,
                "LOG:  execute <unnamed>: UPDATE t SET a = $1, b = $2 WHERE c = $3 AND d = $4"
            ),
            line(
                7,
                DB,
                "DETAIL:  parameters: $1 = NULL, $2 = 'x', $3 = NULL, $4 = ''"
            ),
        ));
        let script = script_for_page(&log, DB, "p").unwrap();
        assert_eq!(
            script.text,
            "UPDATE t SET a = NULL, b = :s1p2 WHERE c = NULL AND d = '';\n"
        );
        assert_eq!(script.defines, vec![("s1p2".into(), "x".into())]);
    }

    #[test]
    fn multi_line_statements_and_values_keep_their_lines() {
        let log = capture(&format!(
            "{}\t  FROM t\n\t WHERE a = $1\n{}\tsecond line'\n",
            line(7, DB, "LOG:  execute <unnamed>: SELECT 1"),
            line(7, DB, "DETAIL:  parameters: $1 = 'first line"),
        ));
        let script = script_for_page(&log, DB, "p").unwrap();
        assert_eq!(script.text, "SELECT 1\n  FROM t\n WHERE a = :s1p1;\n");
        assert_eq!(script.defines[0].1, "first line\nsecond line");
    }

    #[test]
    fn only_the_database_and_the_window_between_the_markers_count() {
        let log = capture(&format!(
            "{}{}{}{}",
            line(7, "other_db", "LOG:  execute s: SELECT 'another database'"),
            "2026-11-26 21:42:34.210 UTC [55] LOG:  checkpoint starting: time\n",
            line(7, DB, "LOG:  statement: BEGIN"),
            line(7, DB, "LOG:  statement: COMMIT"),
        ));
        let script = script_for_page(&log, DB, "p").unwrap();
        assert_eq!(script.text, "BEGIN;\nCOMMIT;\n");
        assert!(script.defines.is_empty());
        assert_eq!(script.statements, 2);
    }

    #[test]
    fn the_marker_sessions_own_statements_are_left_out() {
        let log = capture(&line(
            100,
            DB,
            "LOG:  statement: SET application_name = 'psql'",
        ));
        assert_eq!(
            script_for_page(&log, DB, "p"),
            Err(ReplayError::Empty("p".into()))
        );
    }

    #[test]
    fn parameters_attach_to_their_own_backend() {
        let log = capture(&format!(
            "{}{}{}{}",
            line(7, DB, "LOG:  execute a: SELECT $1"),
            line(8, DB, "LOG:  execute b: SELECT $1"),
            line(8, DB, "DETAIL:  parameters: $1 = 'eight'"),
            line(7, DB, "DETAIL:  parameters: $1 = 'seven'"),
        ));
        let script = script_for_page(&log, DB, "p").unwrap();
        assert_eq!(
            script.defines,
            vec![
                ("s1p1".into(), "seven".into()),
                ("s2p1".into(), "eight".into())
            ]
        );
    }

    #[test]
    fn dollars_inside_literals_and_long_positions_are_handled() {
        let sql = "SELECT '$1', \"$2\", $1, $10 WHERE x = 'a''$1'";
        let out = substitute_parameters(sql, |n| Some(format!(":v{n}")));
        assert_eq!(out, "SELECT '$1', \"$2\", :v1, :v10 WHERE x = 'a''$1'");
    }

    #[test]
    fn missing_markers_errors_and_bad_parameters_are_refused() {
        let no_end = marker(100, begin_marker("p"));
        assert!(matches!(
            script_for_page(&no_end, DB, "p"),
            Err(ReplayError::MarkerMissing(_))
        ));
        assert!(matches!(
            script_for_page("", DB, "p"),
            Err(ReplayError::MarkerMissing(_))
        ));
        let failed = capture(&line(7, DB, "ERROR:  relation \"nope\" does not exist"));
        assert!(matches!(
            script_for_page(&failed, DB, "p"),
            Err(ReplayError::DatabaseError(_))
        ));
        assert!(parse_parameters("$1 = 'unterminated").is_err());
        assert!(parse_parameters("$2 = 'out of order'").is_err());
    }

    #[test]
    fn another_pages_markers_do_not_match() {
        let log = capture(&line(7, DB, "LOG:  statement: BEGIN"));
        assert!(matches!(
            script_for_page(&log, DB, "p2"),
            Err(ReplayError::MarkerMissing(_))
        ));
    }
}
