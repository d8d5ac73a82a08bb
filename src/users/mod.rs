//! Staff accounts: the Academy section's user pages (`/users`) and, through `model::Reach`, the
//! account pages of a program's team (`/team/users`); creating a user with checked fields.

mod assignments;
mod form;
pub mod handlers;
mod model;
pub mod team;

pub use model::display_name;

use diesel::prelude::*;
use uuid::Uuid;

use crate::{access::Role, auth, error::AppError, schema::users};

/// A username: 3-64 characters of letters, digits, dot, dash or underscore.
pub fn username_problem(username: &str) -> Option<&'static str> {
    let ok_chars = username
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'));
    if !(3..=64).contains(&username.len()) || !ok_chars {
        Some("Use 3 to 64 letters, digits, dots, dashes or underscores.")
    } else {
        None
    }
}

pub fn email_problem(email: &str) -> Option<&'static str> {
    let parts: Vec<&str> = email.split('@').collect();
    let ok = parts.len() == 2
        && !parts[0].is_empty()
        && parts[1].contains('.')
        && !parts[1].starts_with('.')
        && !parts[1].ends_with('.')
        && email.len() <= 254
        && !email.chars().any(char::is_whitespace);
    (!ok).then_some("Enter an email address like name@example.com.")
}

/// Inserts a user whose password hash is already computed; fails on a taken username or email.
pub fn insert(
    conn: &mut PgConnection,
    username: &str,
    email: &str,
    password_hash: &str,
    role: Role,
) -> Result<Uuid, AppError> {
    diesel::insert_into(users::table)
        .values((
            users::username.eq(username.trim()),
            users::email.eq(email.trim()),
            users::password_hash.eq(password_hash),
            users::role.eq(role),
        ))
        .returning(users::id)
        .get_result(conn)
        .map_err(|e| match AppError::from(e) {
            AppError::Conflict(_) => AppError::conflict("That username or email is already taken."),
            other => other,
        })
}

/// For the `create-super-admin` command: checks every field, then creates the account.
pub fn create_super_admin(
    conn: &mut PgConnection,
    username: &str,
    email: &str,
    new_password: &str,
) -> Result<Uuid, AppError> {
    let problem = username_problem(username.trim())
        .map(|p| format!("username: {p}"))
        .or_else(|| email_problem(email.trim()).map(|p| format!("email: {p}")))
        .or_else(|| {
            auth::password_weakness(new_password, username).map(|p| format!("password: {p}"))
        });
    if let Some(problem) = problem {
        return Err(AppError::bad_request(problem));
    }
    insert(
        conn,
        username,
        email,
        &auth::hash_password(new_password)?,
        Role::SuperAdmin,
    )
}
