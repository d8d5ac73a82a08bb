//! The connection pool, embedded migrations, and running Diesel work off the async executor.

use diesel::{
    pg::PgConnection,
    r2d2::{ConnectionManager, Pool as R2d2Pool, PooledConnection},
};
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

use crate::error::AppError;

pub type Pool = R2d2Pool<ConnectionManager<PgConnection>>;
pub type Conn = PooledConnection<ConnectionManager<PgConnection>>;

pub const MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations");

pub fn pool(database_url: &str, size: u32) -> Result<Pool, diesel::r2d2::PoolError> {
    R2d2Pool::builder()
        .max_size(size)
        // No idle minimum: r2d2 refills a minimum on background threads, and a process exiting
        // while one of them is inside libpq (a refill after the database went away, say) can
        // crash on the way out. Connections open on first use and then stay in the pool.
        .min_idle(Some(0))
        // A `SELECT 1` before every checkout would add a statement to each database call of each
        // request; a broken connection is noticed by Diesel and dropped from the pool instead.
        .test_on_check_out(false)
        .connection_timeout(std::time::Duration::from_secs(10))
        .build(ConnectionManager::new(database_url))
}

/// Applies every pending migration; returns how many ran.
pub fn migrate(conn: &mut PgConnection) -> Result<usize, Box<dyn std::error::Error + Send + Sync>> {
    Ok(conn.run_pending_migrations(MIGRATIONS)?.len())
}

/// Runs blocking Diesel work on actix's blocking pool so the async workers keep serving.
pub async fn run<T, F>(pool: &Pool, work: F) -> Result<T, AppError>
where
    F: FnOnce(&mut PgConnection) -> Result<T, AppError> + Send + 'static,
    T: Send + 'static,
{
    let pool = pool.clone();
    actix_web::web::block(move || {
        let mut conn = pool.get().map_err(AppError::pool)?;
        work(&mut conn)
    })
    .await
    .map_err(|e| AppError::internal(format!("blocking task failed: {e}")))?
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
