//! The statements of "My account": only ever about the signed-in user's own row.

use diesel::prelude::*;
use uuid::Uuid;

use crate::{error::AppResult, schema::users};

pub fn full_name(conn: &mut PgConnection, id: Uuid) -> QueryResult<String> {
    users::table.find(id).select(users::full_name).first(conn)
}

pub fn password_hash(conn: &mut PgConnection, id: Uuid) -> QueryResult<String> {
    users::table
        .find(id)
        .select(users::password_hash)
        .first(conn)
}

/// A new password; whoever knew the old one is signed out everywhere (this browser renews its
/// session after).
pub fn set_password(conn: &mut PgConnection, id: Uuid, hash: &str) -> AppResult<()> {
    diesel::update(users::table.find(id))
        .set(users::password_hash.eq(hash))
        .execute(conn)?;
    crate::auth::end_sessions_of(conn, id)?;
    Ok(())
}
