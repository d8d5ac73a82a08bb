//! actix-session's store in PostgreSQL (`http_sessions`). The cookie holds only a random key, so
//! a new key at sign-in and deleting the row at sign-out really end the old session.

use std::collections::HashMap;

use actix_session::storage::{LoadError, SaveError, SessionKey, SessionStore, UpdateError};
use actix_web::cookie::time::Duration;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use crate::{
    db::{functions::set_config, Pool},
    schema::http_sessions,
};

type State = HashMap<String, String>;

/// The key of a session that could not be loaded (see `load`); the gate refuses such a request.
pub const UNAVAILABLE: &str = "unavailable";

/// Whether this request's session could not be loaded from the store.
pub fn is_unavailable(session: &actix_session::Session) -> bool {
    session.contains_key(UNAVAILABLE)
}

#[derive(Clone)]
pub struct PgSessionStore {
    pool: Pool,
}

impl PgSessionStore {
    pub fn new(pool: Pool) -> Self {
        Self { pool }
    }

    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut PgConnection) -> QueryResult<T> + Send + 'static,
    ) -> anyhow::Result<T> {
        Ok(self.pool.with_checked_connection(work).await??)
    }
}

fn expiry(ttl: &Duration) -> DateTime<Utc> {
    Utc::now() + chrono::Duration::seconds(ttl.whole_seconds())
}

type AsynchronousRow = diesel::dsl::Filter<
    diesel::dsl::Find<http_sessions::table, String>,
    diesel::dsl::IsNotNull<set_config<&'static str, &'static str, bool>>,
>;

/// The session's row, in a statement whose own transaction commits without waiting for the disk:
/// its condition sets `synchronous_commit` off for that transaction alone (`is_local`), so the
/// pooled connection keeps synchronous commits for everything else. A POST that saves a change
/// and sets its flash message would otherwise wait for two WAL flushes (its own transaction's and
/// the session's): under load the second doubled the time a front-desk POST holds a connection.
/// What a crash can lose is the last fraction of a second of session updates (a flash message, a
/// later expiry); signing in and out (`save`, `delete`) stay durable, so an ended session stays
/// ended.
fn row_committed_asynchronously(key: String) -> AsynchronousRow {
    http_sessions::table
        .find(key)
        .filter(set_config("synchronous_commit", "off", true).is_not_null())
}

fn new_key() -> String {
    format!("{}{}", Uuid::new_v4().simple(), Uuid::new_v4().simple())
}

impl SessionStore for PgSessionStore {
    async fn load(&self, key: &SessionKey) -> Result<Option<State>, LoadError> {
        let key = key.as_ref().to_owned();
        let state = self
            .run(move |conn| {
                http_sessions::table
                    .filter(
                        http_sessions::session_key
                            .eq(key)
                            .and(http_sessions::expires_at.gt(Utc::now())),
                    )
                    .select(http_sessions::state)
                    .first::<serde_json::Value>(conn)
                    .optional()
            })
            .await;
        // An unreadable store is neither "no session" (that would send a signed-in user to the
        // sign-in page and drop the form they sent) nor an error here (actix-session would answer
        // it with a blank 500, before any page of ours): the session says it is unavailable, and
        // the gate answers with the error page.
        let state = match state {
            Ok(state) => state,
            Err(e) => {
                tracing::error!(error = %e, "loading a session failed");
                return Ok(Some(State::from([(
                    UNAVAILABLE.to_string(),
                    "true".to_string(),
                )])));
            }
        };
        state
            .map(serde_json::from_value)
            .transpose()
            .map_err(|e| LoadError::Deserialization(e.into()))
    }

    async fn save(&self, state: State, ttl: &Duration) -> Result<SessionKey, SaveError> {
        let json = serde_json::to_value(state).map_err(|e| SaveError::Serialization(e.into()))?;
        let key = new_key();
        let expires_at = expiry(ttl);
        let row_key = key.clone();
        self.run(move |conn| {
            diesel::insert_into(http_sessions::table)
                .values((
                    http_sessions::session_key.eq(row_key),
                    http_sessions::state.eq(json),
                    http_sessions::expires_at.eq(expires_at),
                ))
                .execute(conn)
        })
        .await
        .map_err(SaveError::Other)?;
        SessionKey::try_from(key).map_err(|e| SaveError::Other(e.into()))
    }

    async fn update(
        &self,
        key: SessionKey,
        state: State,
        ttl: &Duration,
    ) -> Result<SessionKey, UpdateError> {
        let json =
            serde_json::to_value(&state).map_err(|e| UpdateError::Serialization(e.into()))?;
        let expires_at = expiry(ttl);
        let row_key: String = key.as_ref().to_owned();
        let updated = self
            .run(move |conn| {
                diesel::update(row_committed_asynchronously(row_key))
                    .set((
                        http_sessions::state.eq(json),
                        http_sessions::expires_at.eq(expires_at),
                    ))
                    .execute(conn)
            })
            .await;
        // The request's own work is done (and committed) by now: failing here would answer a
        // saved change with an error, and a user who retries would save it twice. What is lost
        // is this request's change to the session (a flash message, most often).
        let updated = match updated {
            Ok(updated) => updated,
            Err(e) => {
                tracing::error!(error = %e, "saving a session failed; the request's answer stands");
                return Ok(key);
            }
        };
        if updated == 1 {
            Ok(key)
        } else {
            // The row expired or was deleted meanwhile: start a new session with the state.
            self.save(state, ttl)
                .await
                .map_err(|e| UpdateError::Other(anyhow::anyhow!(e.to_string())))
        }
    }

    async fn update_ttl(&self, key: &SessionKey, ttl: &Duration) -> anyhow::Result<()> {
        let row_key = key.as_ref().to_owned();
        let expires_at = expiry(ttl);
        self.run(move |conn| {
            diesel::update(row_committed_asynchronously(row_key))
                .set(http_sessions::expires_at.eq(expires_at))
                .execute(conn)
        })
        .await
        .map(|_| ())
    }

    async fn delete(&self, key: &SessionKey) -> anyhow::Result<()> {
        let row_key = key.as_ref().to_owned();
        self.run(move |conn| diesel::delete(http_sessions::table.find(row_key)).execute(conn))
            .await
            .map(|_| ())
    }
}

/// Ends every session of a user, e.g. when an administrator sets them a new password: whoever
/// knew the old one is signed out at their next request. (`user_id` is stored JSON-encoded.)
pub fn end_sessions_of(
    conn: &mut diesel::PgConnection,
    user_id: Uuid,
) -> diesel::QueryResult<usize> {
    use diesel::sql_types::{Bool, Text};
    diesel::delete(
        http_sessions::table.filter(
            diesel::dsl::sql::<Bool>("state ->> 'user_id' = ")
                .bind::<Text, _>(format!("\"{user_id}\"")),
        ),
    )
    .execute(conn)
}
