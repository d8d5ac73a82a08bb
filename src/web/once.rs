//! One-time tokens of create forms: the same form sent twice (a double click, a retry after an
//! answer that never arrived) creates one record, and the second answer leads to it.
//!
//! A create form carries a fresh `form_token` (`fields::once` in the templates); the gate reads it
//! with the CSRF token. The handler claims it in the transaction that creates the record, and
//! records where the record is. A second claim of the same token waits for the first transaction
//! (the primary key), then finds it taken: `AppError::AlreadySubmitted` answers with a redirect to
//! the record. A post without a token (not from our pages) is simply not protected.

use std::future::{ready, Ready};

use actix_web::{dev::Payload, FromRequest, HttpMessage, HttpRequest};
use diesel::prelude::*;
use uuid::Uuid;

use crate::{error::AppError, schema::form_submissions};

/// The token a create form was sent with, if any.
#[derive(Debug, Clone, Copy, Default)]
pub struct FormToken(pub Option<Uuid>);

impl FormToken {
    /// A new token for a form being rendered.
    pub fn fresh() -> String {
        Uuid::new_v4().to_string()
    }

    pub fn parse(raw: Option<&str>) -> Self {
        Self(raw.and_then(|t| t.trim().parse().ok()))
    }
}

impl FromRequest for FormToken {
    type Error = AppError;
    type Future = Ready<Result<Self, AppError>>;
    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(Ok(req
            .extensions()
            .get::<FormToken>()
            .copied()
            .unwrap_or_default()))
    }
}

/// Claims the token for `user`, inside the transaction that creates the record; a token claimed
/// before is `AlreadySubmitted`, with where its record is.
pub fn claim(conn: &mut PgConnection, token: FormToken, user: Uuid) -> Result<(), AppError> {
    claim_for(conn, token, user, None)
}

/// `claim` for a record whose page is known before it is made (a new enrollment leads to its
/// student): one statement instead of a claim and `saved_at`, on the busiest create path.
pub fn claim_leading_to(
    conn: &mut PgConnection,
    token: FormToken,
    user: Uuid,
    location: &str,
) -> Result<(), AppError> {
    claim_for(conn, token, user, Some(location))
}

fn claim_for(
    conn: &mut PgConnection,
    token: FormToken,
    user: Uuid,
    location: Option<&str>,
) -> Result<(), AppError> {
    let Some(token) = token.0 else {
        return Ok(());
    };
    let claimed = diesel::insert_into(form_submissions::table)
        .values((
            form_submissions::token.eq(token),
            form_submissions::user_id.eq(user),
            form_submissions::location.eq(location.unwrap_or_default()),
        ))
        .on_conflict_do_nothing()
        .execute(conn)?;
    if claimed == 1 {
        return Ok(());
    }
    let location: Option<String> = form_submissions::table
        .find(token)
        .filter(form_submissions::user_id.eq(user))
        .select(form_submissions::location)
        .first(conn)
        .optional()?;
    Err(AppError::AlreadySubmitted {
        location: location.and_then(|l| crate::web::local_path(&l)),
    })
}

/// Records where the record made with `token` is, in the same transaction.
pub fn saved_at(conn: &mut PgConnection, token: FormToken, location: &str) -> Result<(), AppError> {
    if let Some(token) = token.0 {
        diesel::update(form_submissions::table.find(token))
            .set(form_submissions::location.eq(location))
            .execute(conn)?;
    }
    Ok(())
}

/// `create` run once per token, inside the caller's transaction: claims the token, creates, and
/// records `location` of what was created.
pub fn create<T>(
    conn: &mut PgConnection,
    token: FormToken,
    user: Uuid,
    create: impl FnOnce(&mut PgConnection) -> Result<T, AppError>,
    location: impl FnOnce(&T) -> String,
) -> Result<T, AppError> {
    claim(conn, token, user)?;
    let created = create(conn)?;
    saved_at(conn, token, &location(&created))?;
    Ok(created)
}
