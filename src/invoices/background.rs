//! Running an invoice run off the request: a large program's run writes for tens of seconds, so
//! the request starts it, waits a moment (a small program's run is done by then and answers as
//! before), and otherwise sends the admin to the run's page, which shows its progress. The run is
//! one transaction; its progress is written on a second connection, committed at once.

use std::time::Duration;

use chrono::NaiveDate;
use uuid::Uuid;

use super::{period::Window, runs, write};
use crate::{
    access::ProgramScope,
    db,
    error::{AppError, AppResult},
};

/// How long the request waits for the run before it shows the progress page instead.
const WAIT: Duration = Duration::from_secs(3);

/// A started run, and how it stands when the request stops waiting.
pub struct Started {
    pub run: Uuid,
    pub outcome: Outcome,
}

pub enum Outcome {
    Finished(AppResult<write::Created>),
    Running,
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
    let scope_for_discard = scope.clone();
    let task_pool = pool.clone();
    // The run goes on after the request, still for the admin who started it (its history).
    let actor = crate::db::actor::current();
    let task = actix_web::rt::spawn(async move {
        let pool = task_pool;
        let (s, progress_pool) = (scope.clone(), pool.clone());
        let work = db::transaction(&pool, move |conn| {
            // One connection for the progress, held for the run; without one, no progress.
            let mut progress_conn = progress_pool.get().ok();
            let mut report = |step: &str, done: usize, total: usize| {
                if let Some(c) = progress_conn.as_mut() {
                    let _ = runs::report(&mut c.pg, &s, run, step, done, total);
                }
            };
            write::generate(conn, &s, window, today, zone, issue, &mut report)
        });
        let created = match actor {
            Some(user) => db::actor::acting(user, work).await,
            None => work.await,
        };
        let outcome = match &created {
            Ok(created) => Ok(created.summary()),
            Err(e) => Err(why_nothing_was_created(e)),
        };
        let _ = db::run(&pool, move |conn| {
            Ok(runs::finish(conn, &scope, run, outcome)?)
        })
        .await;
        created
    });
    let outcome = match actix_web::rt::time::timeout(WAIT, task).await {
        // Refused before writing anything (nothing to bill): the admin reads why on the page
        // they came from, and a refusal leaves no record.
        Ok(Ok(Err(e @ (AppError::Conflict(_) | AppError::Invalid(_))))) => {
            let s = scope_for_discard;
            db::run(pool, move |conn| Ok(runs::discard(conn, &s, run)?)).await?;
            Outcome::Finished(Err(e))
        }
        Ok(Ok(created)) => Outcome::Finished(created),
        Ok(Err(_)) => return Err(AppError::internal("the invoice run stopped")),
        Err(_) => Outcome::Running,
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
