//! Running a confirmed import off the request: ten thousand rows take a few seconds, so the
//! request waits a moment (a small file is done by then) and otherwise shows the import's page,
//! which follows its progress. The import is one transaction; its progress is written on a
//! second connection, committed at once.

use std::time::Duration;

use chrono::NaiveDate;
use uuid::Uuid;

use super::{model, write};
use crate::{
    access::ProgramScope,
    db,
    error::{AppError, AppResult},
};

/// How long the request waits before it shows the progress instead.
const WAIT: Duration = Duration::from_secs(3);

pub enum Outcome {
    Finished(AppResult<String>),
    Running,
}

/// Marks the import as importing (refused if it was confirmed before) and runs it.
pub async fn start(
    pool: &db::Pool,
    scope: ProgramScope,
    id: Uuid,
    on_duplicate: write::OnDuplicate,
    today: NaiveDate,
) -> AppResult<Outcome> {
    let s = scope.clone();
    db::run(pool, move |conn| model::start(conn, &s, id)).await?;
    let pool = pool.clone();
    // The import goes on after the request, still for the user who confirmed it (its history).
    let actor = db::actor::current();
    let task = actix_web::rt::spawn(async move {
        let (s, progress_pool) = (scope.clone(), pool.clone());
        let work = db::transaction(&pool, move |conn| {
            let mut progress_conn = progress_pool.get().ok();
            let mut report = |done: usize, total: usize| {
                if let Some(c) = progress_conn.as_mut() {
                    let _ = model::report(&mut c.pg, &s, id, done, total);
                }
            };
            write::import(conn, &s, id, on_duplicate, today, &mut report)
        });
        let written = match actor {
            Some(user) => db::actor::acting(user, work).await,
            None => work.await,
        };
        if let Err(e) = &written {
            let why = write::why_nothing_was_imported(e);
            let _ = db::run(&pool, move |conn| {
                Ok(model::failed(conn, &scope, id, &why)?)
            })
            .await;
        }
        written.map(|done| done.message())
    });
    Ok(match actix_web::rt::time::timeout(WAIT, task).await {
        Ok(Ok(written)) => Outcome::Finished(written),
        Ok(Err(_)) => return Err(AppError::internal("the import stopped")),
        Err(_) => Outcome::Running,
    })
}
