//! Slows password guessing: too many failures for one account name, or from one address, lock
//! that key for a while. Keys are kept whether or not the account exists, so locking reveals nothing.

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;

use crate::schema::login_failures;

/// Failures allowed for one account name within the window before it is locked.
pub const ACCOUNT_LIMIT: i32 = 5;
/// Failures allowed from one address within the window (several people may share one).
pub const ADDRESS_LIMIT: i32 = 20;
pub const WINDOW_MINUTES: i64 = 15;
pub const LOCK_MINUTES: i64 = 15;

/// The account's lock: by its id, so its username and its email share one lock; a name that is
/// no account is locked by the name (cut to fit the key), so locking reveals nothing either way.
pub fn account_key(user_id: Option<uuid::Uuid>, login: &str) -> String {
    match user_id {
        Some(id) => format!("user:{id}"),
        None => {
            let name: String = login.trim().to_lowercase().chars().take(256).collect();
            format!("account:{name}")
        }
    }
}

pub fn address_key(address: &str) -> String {
    let address: String = address.chars().take(256).collect();
    format!("address:{address}")
}

/// When the first of `keys` that is locked unlocks, if any is.
pub fn locked_until(
    conn: &mut PgConnection,
    keys: &[String],
) -> QueryResult<Option<DateTime<Utc>>> {
    login_failures::table
        .filter(
            login_failures::throttle_key
                .eq_any(keys)
                .and(login_failures::locked_until.gt(Utc::now())),
        )
        .select(diesel::dsl::max(login_failures::locked_until))
        .first::<Option<DateTime<Utc>>>(conn)
}

/// Counts one failure against `key`, locking it when it reaches `limit` within the window.
pub fn record_failure(conn: &mut PgConnection, key: &str, limit: i32) -> QueryResult<()> {
    use login_failures::dsl as f;
    conn.transaction(|conn| {
        let now = Utc::now();
        let previous = f::login_failures
            .find(key)
            .select((f::failures, f::first_failed_at))
            .for_update()
            .first::<(i32, DateTime<Utc>)>(conn)
            .optional()?;
        let (count, first) = match previous {
            Some((n, first)) if now - first < Duration::minutes(WINDOW_MINUTES) => (n + 1, first),
            _ => (1, now),
        };
        let locked = (count >= limit).then(|| now + Duration::minutes(LOCK_MINUTES));
        // A lock starts a fresh count for when it ends.
        let (count, first) = if locked.is_some() {
            (0, now)
        } else {
            (count, first)
        };
        let row = (
            f::failures.eq(count),
            f::first_failed_at.eq(first),
            f::locked_until.eq(locked),
        );
        diesel::insert_into(f::login_failures)
            .values((f::throttle_key.eq(key), row.0, row.1, row.2))
            .on_conflict(f::throttle_key)
            .do_update()
            .set(row)
            .execute(conn)
            .map(|_| ())
    })
}

pub fn clear(conn: &mut PgConnection, key: &str) -> QueryResult<()> {
    diesel::delete(login_failures::table.find(key))
        .execute(conn)
        .map(|_| ())
}
