//! The database threads: one per pooled connection, taking jobs from one queue in order of
//! arrival. A request's database work is a job; the request waits for its result on the async
//! executor. Compared with a blocking task per call behind a semaphore, a job costs one hand-off
//! each way and no thread pool bookkeeping, which was a large part of a small page's cost.

use std::{
    panic::{catch_unwind, AssertUnwindSafe},
    sync::{
        atomic::{AtomicU8, Ordering},
        mpsc, Arc, Mutex,
    },
    thread,
    time::Duration,
};

use diesel::{pg::PgConnection, r2d2::Pool as R2d2Pool};

use super::connection::Manager;
use crate::error::AppError;

type Connections = R2d2Pool<Manager>;
type Job = Box<dyn FnOnce(&Connections) + Send>;

/// Where a job is: a caller that gives up may only take back a job no thread has started, so a
/// "busy" answer always means nothing ran.
const WAITING: u8 = 0;
const STARTED: u8 = 1;
const ABANDONED: u8 = 2;

#[derive(Clone)]
pub struct Queue {
    jobs: mpsc::Sender<Job>,
}

impl Queue {
    /// Starts `threads` database threads over `connections`. They end when the last clone of
    /// the queue is dropped.
    pub fn start(connections: Connections, threads: u32) -> Self {
        let (jobs, inbox) = mpsc::channel::<Job>();
        let inbox = Arc::new(Mutex::new(inbox));
        for n in 0..threads {
            let (inbox, connections) = (inbox.clone(), connections.clone());
            thread::Builder::new()
                .name(format!("database-{n}"))
                .spawn(move || loop {
                    // The lock is held only while taking the next job.
                    let next = inbox.lock().map(|inbox| inbox.recv());
                    match next {
                        Ok(Ok(job)) => job(&connections),
                        _ => return,
                    }
                })
                .expect("a database thread starts");
        }
        Self { jobs }
    }

    /// Runs `work` on a database thread with a pooled connection, once the jobs queued before it
    /// have started; `AppError::Busy` (and `work` never runs) if none started it within `wait`.
    /// When `failed` says the outcome is a failure, the connection is checked before it goes back.
    pub async fn run<T, F>(
        &self,
        wait: Duration,
        work: F,
        failed: fn(&T) -> bool,
    ) -> Result<T, AppError>
    where
        F: FnOnce(&mut PgConnection) -> T + Send + 'static,
        T: Send + 'static,
    {
        let actor = super::actor::current();
        let (reply, mut answer) = tokio::sync::oneshot::channel();
        let state = Arc::new(AtomicU8::new(WAITING));
        let job_state = state.clone();
        let job: Job = Box::new(move |connections| {
            if job_state
                .compare_exchange(WAITING, STARTED, Ordering::AcqRel, Ordering::Acquire)
                .is_err()
            {
                return;
            }
            let done = match connections.get() {
                Ok(mut conn) => {
                    let done = match conn.act_for(actor) {
                        Ok(()) => catch_unwind(AssertUnwindSafe(|| work(&mut conn.pg)))
                            .map_err(|_| AppError::internal("database work panicked")),
                        Err(e) => Err(e.into()),
                    };
                    if done.as_ref().is_ok_and(failed) {
                        conn.check_after_failure();
                    }
                    done
                }
                Err(e) => Err(AppError::pool(e)),
            };
            let _ = reply.send(done);
        });
        self.jobs
            .send(job)
            .map_err(|_| AppError::internal("the database threads have stopped"))?;
        match tokio::time::timeout(wait, &mut answer).await {
            Ok(done) => done.unwrap_or_else(|_| Err(dropped())),
            Err(_) => {
                if state
                    .compare_exchange(WAITING, ABANDONED, Ordering::AcqRel, Ordering::Acquire)
                    .is_ok()
                {
                    return Err(AppError::Busy);
                }
                // Started just now: its outcome is the answer, however long it takes.
                answer.await.unwrap_or_else(|_| Err(dropped()))
            }
        }
    }
}

fn dropped() -> AppError {
    AppError::internal("a database job ended without an answer")
}
