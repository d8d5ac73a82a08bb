//! The pool's connections, which the app can declare lost. Diesel tells r2d2 that a connection
//! is broken only when its transaction state is; a connection whose server end was closed (the
//! database restarted, a backend terminated) fails every statement outside a transaction and
//! would stay in the pool, failing a request each time it is handed out. After a failed piece of
//! work, the database thread pings the connection; if that fails too, the connection is marked
//! lost and r2d2 drops it.

use diesel::{
    connection::SimpleConnection,
    pg::PgConnection,
    r2d2::{ConnectionManager, Error, ManageConnection},
};

pub struct Managed {
    pub pg: PgConnection,
    lost: bool,
}

impl Managed {
    /// After work that failed: is the connection itself gone?
    pub fn check_after_failure(&mut self) {
        if self.pg.batch_execute("SELECT 1").is_err() {
            tracing::warn!("a database connection was lost; it leaves the pool");
            self.lost = true;
        }
    }
}

pub struct Manager(ConnectionManager<PgConnection>);

impl Manager {
    pub fn new(database_url: &str) -> Self {
        Self(ConnectionManager::new(database_url))
    }
}

impl ManageConnection for Manager {
    type Connection = Managed;
    type Error = Error;

    fn connect(&self) -> Result<Managed, Error> {
        let mut pg = self.0.connect()?;
        // No parallel workers: the app's statements read a page each, many at once on a few
        // cores, and a worker's start-up (about 7 ms) costs more than it saves (the balances
        // page's debtors: 11 ms in parallel, 2 ms without, at 1M students).
        pg.batch_execute("SET max_parallel_workers_per_gather = 0")
            .map_err(Error::QueryError)?;
        Ok(Managed { pg, lost: false })
    }

    fn is_valid(&self, conn: &mut Managed) -> Result<(), Error> {
        self.0.is_valid(&mut conn.pg)
    }

    fn has_broken(&self, conn: &mut Managed) -> bool {
        conn.lost || self.0.has_broken(&mut conn.pg)
    }
}
