//! Running an invoice run off the request (`db::background`): a large program's run writes for
//! tens of seconds, so the request starts it, waits a moment (a small program's run is done by
//! then and answers as before), and otherwise sends the admin to the run's page, which shows its
//! progress. Every run is recorded, with how it ended.

use chrono::NaiveDate;
use uuid::Uuid;

use super::{period::Window, runs, write};
use crate::{
    access::ProgramScope,
    db::{self, background::Waited},
    error::{AppError, AppResult},
};

/// A started run, and how it stands when the request stops waiting.
pub struct Started {
    pub run: Uuid,
    pub outcome: Waited<write::Created>,
}

/// Starts the run of `window` and waits for it a moment.
pub async fn start(
    pool: &db::Pool,
    scope: ProgramScope,
    window: Window,
    today: NaiveDate,
    zone: chrono_tz::Tz,
    issue: write::Issue,
) -> AppResult<Started> {
    let (s, w) = (scope.clone(), window.clone());
    let run = db::run(pool, move |conn| Ok(runs::start(conn, &s, &w)?)).await?;
    let s = scope.clone();
    let work = move |conn: &mut diesel::PgConnection, progress: &mut db::background::Progress| {
        let mut report = |step: &str, done: usize, total: usize| {
            progress.report(|c| runs::report(c, &s, run, step, done, total));
        };
        write::generate(conn, &s, window, today, zone, issue, &mut report)
    };
    let s = scope.clone();
    let after = move |created: &AppResult<write::Created>| {
        let outcome = match created {
            Ok(created) => Ok(created.summary()),
            Err(e) => Err(why_nothing_was_created(e)),
        };
        move |conn: &mut diesel::PgConnection| runs::finish(conn, &s, run, outcome)
    };
    let outcome = match db::background::run(pool, work, after).await? {
        // Refused before writing anything (nothing to bill): the admin reads why on the page
        // they came from, and a refusal leaves no record.
        Waited::Finished(Err(e @ (AppError::Conflict(_) | AppError::Invalid(_)))) => {
            db::run(pool, move |conn| Ok(runs::discard(conn, &scope, run)?)).await?;
            Waited::Finished(Err(e))
        }
        outcome => outcome,
    };
    Ok(Started { run, outcome })
}

fn why_nothing_was_created(error: &AppError) -> String {
    match error {
        AppError::Conflict(why) => why.clone(),
        AppError::Invalid(errors) => format!("{} Nothing was created.", errors.summary()),
        _ => "The run stopped on an error and created nothing. Try again; if it fails again, tell whoever runs the app.".into(),
    }
}
