//! Invoice runs: each generation of a period's invoices, its progress while it writes and its
//! outcome. The run's own transaction cannot show its progress (its rows stay invisible until it
//! commits), so progress is written here on a connection of its own, committed at once.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use super::{period::Window, status::RunStatus};
use crate::{
    access::ProgramScope,
    error::{AppError, AppResult},
    schema::invoice_runs as r,
};

#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = r, check_for_backend(diesel::pg::Pg))]
pub struct Run {
    pub id: Uuid,
    pub period_name: String,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub status: RunStatus,
    pub step: String,
    pub done: i32,
    pub total: i32,
    pub message: String,
    pub started_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
}

impl Run {
    pub fn is_running(&self) -> bool {
        self.status == RunStatus::Running
    }
    /// How far it is, 0 to 100.
    pub fn percent(&self) -> i32 {
        if self.total == 0 {
            0
        } else {
            (i64::from(self.done) * 100 / i64::from(self.total)) as i32
        }
    }
}

/// A new run of `window`, running.
pub fn start(conn: &mut PgConnection, scope: &ProgramScope, window: &Window) -> QueryResult<Uuid> {
    r::insert()
        .values((
            r::program_id.eq(scope.program_id()),
            r::period_name.eq(&window.name),
            r::period_start.eq(window.start),
            r::period_end.eq(window.end),
            r::started_by.eq(scope.actor_id()),
        ))
        .returning(r::id)
        .get_result(conn)
}

/// What the run is doing and how far (written outside the run's transaction).
pub fn report(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    id: Uuid,
    step: &str,
    done: usize,
    total: usize,
) -> QueryResult<()> {
    diesel::update(scope.invoice_runs().filter(r::id.eq(id)))
        .set((
            r::step.eq(step),
            r::done.eq(i32::try_from(done).unwrap_or(i32::MAX)),
            r::total.eq(i32::try_from(total).unwrap_or(i32::MAX)),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Done with what it created, or failed with why nothing was.
pub fn finish(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    id: Uuid,
    outcome: Result<String, String>,
) -> QueryResult<()> {
    let (status, message) = match outcome {
        Ok(message) => (RunStatus::Done, message),
        Err(message) => (RunStatus::Failed, message),
    };
    diesel::update(scope.invoice_runs().filter(r::id.eq(id)))
        .set((
            r::status.eq(status),
            r::message.eq(message),
            r::finished_at.eq(diesel::dsl::now),
        ))
        .execute(conn)
        .map(|_| ())
}

pub fn find(conn: &mut PgConnection, scope: &ProgramScope, id: Uuid) -> AppResult<Run> {
    scope
        .invoice_runs()
        .filter(r::id.eq(id))
        .select(Run::as_select())
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound)
}

/// The program's latest runs, newest first.
pub fn recent(conn: &mut PgConnection, scope: &ProgramScope, limit: i64) -> QueryResult<Vec<Run>> {
    scope
        .invoice_runs()
        .order(r::started_at.desc())
        .select(Run::as_select())
        .limit(limit)
        .load(conn)
}

/// Forgets a run refused before it wrote anything (nothing to bill): the admin read why on the
/// page they came from, and a refusal changes nothing.
pub fn discard(conn: &mut PgConnection, scope: &ProgramScope, id: Uuid) -> QueryResult<()> {
    diesel::delete(scope.invoice_runs().filter(r::id.eq(id)))
        .execute(conn)
        .map(|_| ())
}
