//! The connection pool, embedded migrations, and running Diesel work off the async executor.

pub mod actor;
pub mod background;
pub mod connection;
pub mod functions;
mod queue;

use std::time::Duration;

use diesel::{
    pg::PgConnection,
    r2d2::{Pool as R2d2Pool, PoolError, PooledConnection},
};

use connection::Manager;
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

use crate::error::AppError;

pub type Conn = PooledConnection<Manager>;

pub const MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations");

/// How long a request waits for its turn before it gets the "busy" page.
const WAIT: Duration = Duration::from_secs(10);

/// The pool, and the queue in front of it: requests' database work runs on one thread per
/// connection, first come, first served, and the request waits on the async executor. r2d2 alone
/// wakes its waiters in no particular order (p99 spikes), and more connections than cores only
/// make the database's backends fight over the CPU.
#[derive(Clone)]
pub struct Pool {
    connections: R2d2Pool<Manager>,
    queue: queue::Queue,
    wait: Duration,
}

pub fn pool(database_url: &str, size: u32) -> Result<Pool, PoolError> {
    let connections = R2d2Pool::builder()
        .max_size(size)
        // No idle minimum: r2d2 refills a minimum on background threads, and a process exiting
        // while one of them is inside libpq (a refill after the database went away, say) can
        // crash on the way out. Connections open on first use and then stay in the pool.
        .min_idle(Some(0))
        // A `SELECT 1` before every checkout would add a statement to each database call of each
        // request; a broken connection is noticed by Diesel and dropped from the pool instead.
        .test_on_check_out(false)
        .connection_timeout(WAIT)
        .build(Manager::new(database_url))?;
    Ok(Pool {
        queue: queue::Queue::start(connections.clone(), size),
        connections,
        wait: WAIT,
    })
}

impl Pool {
    /// The same pool with another longest wait for a turn.
    pub fn with_wait(self, wait: Duration) -> Self {
        Self { wait, ..self }
    }

    /// A connection right now, outside the queue: for commands and tests, not for requests.
    pub fn get(&self) -> Result<Conn, PoolError> {
        self.connections.get()
    }

    /// Runs `work` with a connection on a database thread, once it is this caller's turn.
    pub async fn with_connection<T, F>(&self, work: F) -> Result<T, AppError>
    where
        F: FnOnce(&mut PgConnection) -> T + Send + 'static,
        T: Send + 'static,
    {
        self.queue.run(self.wait, work, |_| false).await
    }

    /// Like `with_connection`; when `work` fails, the connection is checked, and one whose
    /// server end is gone leaves the pool (`connection.rs`).
    pub async fn with_checked_connection<T, E, F>(&self, work: F) -> Result<Result<T, E>, AppError>
    where
        F: FnOnce(&mut PgConnection) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: Send + 'static,
    {
        self.queue.run(self.wait, work, Result::is_err).await
    }
}

/// Applies every pending migration; returns how many ran.
pub fn migrate(conn: &mut PgConnection) -> Result<usize, Box<dyn std::error::Error + Send + Sync>> {
    Ok(conn.run_pending_migrations(MIGRATIONS)?.len())
}

/// Runs blocking Diesel work off the async workers, in the pool's queue.
pub async fn run<T, F>(pool: &Pool, work: F) -> Result<T, AppError>
where
    F: FnOnce(&mut PgConnection) -> Result<T, AppError> + Send + 'static,
    T: Send + 'static,
{
    pool.with_checked_connection(work).await?
}

/// Like [`run`], inside one transaction: all of `work` is saved, or none of it.
pub async fn transaction<T, F>(pool: &Pool, work: F) -> Result<T, AppError>
where
    F: FnOnce(&mut PgConnection) -> Result<T, AppError> + Send + 'static,
    T: Send + 'static,
{
    use diesel::Connection;
    run(pool, move |conn| conn.transaction(work)).await
}
