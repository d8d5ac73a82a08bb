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
    QueryResult, RunQueryDsl,
};
use uuid::Uuid;

pub struct Managed {
    pub pg: PgConnection,
    lost: bool,
    /// The user the connection was last told it acts for (`app.actor_id`); None: never told.
    actor: Option<Option<Uuid>>,
}

impl Managed {
    /// Tells the connection who its next work is for (the history's "who"), when that changed.
    /// Outside any transaction, so a rolled-back transaction cannot undo it.
    pub fn act_for(&mut self, actor: Option<Uuid>) -> QueryResult<()> {
        if self.actor != Some(actor) {
            let user = actor.map(|u| u.to_string()).unwrap_or_default();
            // A select of the function, not SQL text: Diesel keeps it prepared, and this runs
            // whenever a connection changes hands between users.
            diesel::select(super::functions::set_config("app.actor_id", user, false))
                .execute(&mut self.pg)?;
            self.actor = Some(actor);
        }
        Ok(())
    }

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
        Ok(Managed {
            pg,
            lost: false,
            actor: None,
        })
    }

    fn is_valid(&self, conn: &mut Managed) -> Result<(), Error> {
        self.0.is_valid(&mut conn.pg)
    }

    fn has_broken(&self, conn: &mut Managed) -> bool {
        conn.lost || self.0.has_broken(&mut conn.pg)
    }
}
