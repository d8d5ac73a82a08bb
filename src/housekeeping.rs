//! What the server forgets on a schedule: expired sessions, sign-in throttling that no longer
//! locks anything, day-old one-time form tokens, and imported files a week on. Sessions are
//! otherwise only deleted at sign-out, so a day of visitors who never sign out would stay in
//! `http_sessions` for good. An import's file holds children's names, birthdays and their
//! parents' phones: kept while someone works on it, not for good (docs/decisions.md, "Importing
//! students"). The sweep acts for no program: it forgets in every program at once.

use std::{thread, time::Duration};

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use crate::{
    auth::THROTTLE_WINDOW_MINUTES,
    db::Pool,
    imports::ImportStatus,
    schema::{across_programs::imports, form_submissions, http_sessions, login_failures},
};

/// How often the server sweeps.
pub const EVERY: Duration = Duration::from_secs(10 * 60);

/// How long an import's file is kept: a preview since it was last changed, an imported file since
/// it was imported.
pub const IMPORTS_KEPT_DAYS: i64 = 7;

/// Sweeps now; returns how many rows went.
pub fn run_once(pool: &Pool) -> Result<usize, Box<dyn std::error::Error + Send + Sync>> {
    let mut conn = pool.get()?;
    let conn = &mut conn.pg;
    let now = Utc::now();
    let sessions = diesel::delete(http_sessions::table.filter(http_sessions::expires_at.lt(now)))
        .execute(conn)?;
    let window = now - chrono::Duration::minutes(THROTTLE_WINDOW_MINUTES);
    let failures = diesel::delete(
        login_failures::table
            .filter(login_failures::first_failed_at.lt(window))
            .filter(
                login_failures::locked_until
                    .is_null()
                    .or(login_failures::locked_until.lt(now)),
            ),
    )
    .execute(conn)?;
    // A form is sent again within seconds or minutes; a day is plenty.
    let forms = diesel::delete(
        form_submissions::table
            .filter(form_submissions::created_at.lt(now - chrono::Duration::days(1))),
    )
    .execute(conn)?;
    Ok(sessions + failures + forms + forget_imports(conn, now)?)
}

/// A preview left for a week goes whole; an imported file's rows a week after (its outcome stays
/// in the list of recent imports). An import being written is never touched.
fn forget_imports(conn: &mut PgConnection, now: DateTime<Utc>) -> QueryResult<usize> {
    let before = now - chrono::Duration::days(IMPORTS_KEPT_DAYS);
    let previews = diesel::delete(
        imports::table
            .filter(imports::status.eq(ImportStatus::Previewing))
            .filter(imports::updated_at.lt(before)),
    )
    .execute(conn)?;
    let empty = serde_json::json!([]);
    let imported = diesel::update(
        imports::table
            .filter(imports::status.eq(ImportStatus::Imported))
            .filter(imports::finished_at.lt(before))
            .filter(imports::rows.ne(&empty)),
    )
    .set((
        imports::rows.eq(&empty),
        imports::fixes.eq(serde_json::json!({})),
    ))
    .execute(conn)?;
    Ok(previews + imported)
}

/// Sweeps every `EVERY` on a thread of its own, for as long as the process runs.
pub fn start(pool: Pool) {
    let spawned = thread::Builder::new()
        .name("housekeeping".into())
        .spawn(move || loop {
            thread::sleep(EVERY);
            match run_once(&pool) {
                Ok(0) => {}
                Ok(rows) => tracing::info!(rows, "expired sessions and sign-in failures forgotten"),
                Err(e) => tracing::warn!(error = %e, "housekeeping failed; trying again later"),
            }
        });
    if let Err(e) = spawned {
        tracing::warn!(error = %e, "housekeeping thread did not start");
    }
}
