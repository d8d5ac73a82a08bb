//! A long write off the request: an invoice run or an import writes for seconds, so the request
//! starts it, waits a moment (a small one is done by then and answers as before), and otherwise
//! sends the user to a page that follows its progress. The write is one transaction; its progress
//! is written on a second connection, committed at once, so the page sees it while the
//! transaction is still open.

use std::time::Duration;

use diesel::PgConnection;

use super::{Conn, Pool};
use crate::error::{AppError, AppResult};

/// How long the request waits before it shows the progress instead.
pub const WAIT: Duration = Duration::from_secs(3);

/// How the write stands when the request stops waiting.
pub enum Waited<T> {
    Finished(AppResult<T>),
    Running,
}

/// The second connection the write reports its progress on; without one (the pool is busy), the
/// write goes on and reports nothing.
pub struct Progress(Option<Conn>);

impl Progress {
    /// Runs `report` on the progress connection, if there is one; a failed report is not the
    /// write's failure.
    pub fn report<E>(&mut self, report: impl FnOnce(&mut PgConnection) -> Result<(), E>) {
        if let Some(conn) = self.0.as_mut() {
            let _ = report(&mut conn.pg);
        }
    }
}

/// Runs `work` in one transaction on a task of its own, still for the request's user (the
/// history's "who"); then what `after` makes of its outcome runs on a connection of its own (to
/// record how it ended). Waits `WAIT` for both.
pub async fn run<T, W, A, R>(pool: &Pool, work: W, after: A) -> AppResult<Waited<T>>
where
    T: Send + 'static,
    W: FnOnce(&mut PgConnection, &mut Progress) -> AppResult<T> + Send + 'static,
    A: FnOnce(&AppResult<T>) -> R + Send + 'static,
    R: FnOnce(&mut PgConnection) -> diesel::QueryResult<()> + Send + 'static,
{
    let pool = pool.clone();
    let actor = super::actor::current();
    let task = actix_web::rt::spawn(async move {
        let progress_pool = pool.clone();
        let written = super::transaction(&pool, move |conn| {
            let mut progress = Progress(progress_pool.get().ok());
            work(conn, &mut progress)
        });
        let written = match actor {
            Some(user) => super::actor::acting(user, written).await,
            None => written.await,
        };
        let record = after(&written);
        let _ = super::run(&pool, move |conn| Ok(record(conn)?)).await;
        written
    });
    Ok(match actix_web::rt::time::timeout(WAIT, task).await {
        Ok(Ok(written)) => Waited::Finished(written),
        Ok(Err(_)) => return Err(AppError::internal("the background write stopped")),
        Err(_) => Waited::Running,
    })
}
