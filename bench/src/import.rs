//! `bench-import`: a CSV file of new students with their guardians (every tenth a younger
//! sibling sharing the guardian before), imported into a program through the app's own steps,
//! each timed: keeping the upload, the preview judging every row, the one transaction.

use std::time::{Duration, Instant};

use chrono::NaiveDate;
use diesel::prelude::*;

use academy_admin::{
    access::command_scope,
    error::AppError,
    imports::{self, OnDuplicate},
    schema::programs,
};

pub struct ImportFigures {
    pub upload: Duration,
    pub preview: Duration,
    pub import: Duration,
    pub created: usize,
    pub guardians: usize,
}

/// The file: `rows` students named after `tag` (so that a second run's are new too).
pub fn import_file(rows: usize, tag: &str) -> Vec<u8> {
    let mut out = String::from("First name,Last name,Date of birth,Email,Phone,City,Guardian,Relationship,Guardian phone\n");
    for n in 0..rows {
        let family = if n % 10 == 9 { n - 1 } else { n };
        out.push_str(&format!(
            "Pupil{n},{tag}{family},{born},pupil{n}.{tag}@example.ng,+234 80{} {:03} {:04},Lagos,Parent {tag}{family},Mother,+234 81{} {:03} {:04}\n",
            n % 10,
            n % 1000,
            n % 10_000,
            family % 10,
            family % 1000,
            family % 10_000,
            born = NaiveDate::from_ymd_opt(2008 + (n % 12) as i32, (n % 12) as u32 + 1, (n % 28) as u32 + 1).unwrap(),
        ));
    }
    out.into_bytes()
}

/// Imports `bytes` into the program `name` as a coordinator's upload, preview and confirmation.
pub fn import(
    conn: &mut PgConnection,
    name: &str,
    bytes: &[u8],
    today: NaiveDate,
) -> Result<ImportFigures, AppError> {
    let program: uuid::Uuid = programs::table
        .filter(programs::name.eq(name))
        .select(programs::id)
        .first(conn)?;
    let scope = command_scope(program, name);
    let started = Instant::now();
    let kept = imports::upload(conn, &scope, "bench.csv", bytes)?;
    let upload = started.elapsed();
    let started = Instant::now();
    let (_, rows) = imports::preview(conn, &scope, kept.id, today)?;
    let preview = started.elapsed();
    if let Some(bad) = rows.iter().find(|r| !r.errors.is_empty()) {
        return Err(AppError::conflict(format!(
            "line {}: {}",
            bad.line,
            bad.errors.summary()
        )));
    }
    let started = Instant::now();
    let done = imports::confirm(
        conn,
        &scope,
        kept.id,
        OnDuplicate::Skip,
        today,
        &mut |_, _| {},
    )?;
    Ok(ImportFigures {
        upload,
        preview,
        import: started.elapsed(),
        created: done.created,
        guardians: done.guardians,
    })
}
