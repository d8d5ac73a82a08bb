//! Whose credentials a sign-in names: an account by its username or email, either in any case.

use diesel::prelude::*;
use uuid::Uuid;

use crate::schema::users;

/// The account `login` (lower case) names: its id, password hash and whether it is active.
pub fn of(conn: &mut PgConnection, login: &str) -> QueryResult<Option<(Uuid, String, bool)>> {
    use crate::db::functions::lower;
    users::table
        .filter(
            lower(users::username)
                .eq(login)
                .or(lower(users::email).eq(login)),
        )
        .select((users::id, users::password_hash, users::is_active))
        .first(conn)
        .optional()
}
