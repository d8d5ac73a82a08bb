//! Running a confirmed import off the request (`db::background`): ten thousand rows take a few
//! seconds, so the request waits a moment (a small file is done by then) and otherwise shows the
//! import's page, which follows its progress.

use chrono::NaiveDate;
use uuid::Uuid;

use super::{model, write};
use crate::{
    access::ProgramScope,
    db::{self, background::Waited},
    error::AppResult,
};

/// Marks the import as importing (refused if it was confirmed before) and runs it; a failure
/// puts it back to its preview with the reason.
pub async fn start(
    pool: &db::Pool,
    scope: ProgramScope,
    id: Uuid,
    on_duplicate: write::OnDuplicate,
    today: NaiveDate,
) -> AppResult<Waited<String>> {
    let s = scope.clone();
    db::run(pool, move |conn| model::start(conn, &s, id)).await?;
    let s = scope.clone();
    let work = move |conn: &mut diesel::PgConnection, progress: &mut db::background::Progress| {
        let mut report = |done: usize, total: usize| {
            progress.report(|c| model::report(c, &s, id, done, total));
        };
        write::import(conn, &s, id, on_duplicate, today, &mut report).map(|done| done.message())
    };
    let after = move |written: &AppResult<String>| {
        let why = written.as_ref().err().map(write::why_nothing_was_imported);
        move |conn: &mut diesel::PgConnection| match why {
            Some(why) => model::failed(conn, &scope, id, &why),
            None => Ok(()),
        }
    };
    db::background::run(pool, work, after).await
}
