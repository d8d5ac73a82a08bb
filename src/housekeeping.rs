//! What the server forgets on a schedule: expired sessions, sign-in throttling that no longer
//! locks anything, and day-old one-time form tokens. Sessions are otherwise only deleted at sign-out, so a day of visitors who never
//! sign out would stay in `http_sessions` for good.

use std::{thread, time::Duration};

use chrono::Utc;
use diesel::prelude::*;

use crate::{
    auth::THROTTLE_WINDOW_MINUTES,
    db::Pool,
    schema::{form_submissions, http_sessions, login_failures},
};

/// How often the server sweeps.
pub const EVERY: Duration = Duration::from_secs(10 * 60);

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
    Ok(sessions + failures + forms)
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
