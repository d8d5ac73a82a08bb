//! Per-session CSRF token: a hidden `csrf_token` field in forms, the `X-CSRF-Token` header on
//! htmx requests (from `hx-headers` on `<body>`). The gate checks it on every write.

use actix_session::Session;
use actix_web::http::header::HeaderMap;
use uuid::Uuid;

use crate::{error::AppError, web::form_meta::FormMeta};

pub const SESSION_CSRF: &str = "csrf";
pub const HEADER: &str = "X-CSRF-Token";

/// The session's token, created on first use.
pub fn token(session: &Session) -> String {
    if let Ok(Some(token)) = session.get::<String>(SESSION_CSRF) {
        return token;
    }
    let token = fresh();
    let _ = session.insert(SESSION_CSRF, &token);
    token
}

/// Replaces the token (at sign-in, so a token seen before sign-in is worthless after).
pub fn rotate(session: &Session) -> String {
    let token = fresh();
    let _ = session.insert(SESSION_CSRF, &token);
    token
}

fn fresh() -> String {
    format!("{}{}", Uuid::new_v4().simple(), Uuid::new_v4().simple())
}

pub fn verify(session: &Session, headers: &HeaderMap, form: &FormMeta) -> Result<(), AppError> {
    let expected = session
        .get::<String>(SESSION_CSRF)
        .ok()
        .flatten()
        .ok_or(AppError::CsrfRejected)?;
    let given = headers
        .get(HEADER)
        .and_then(|v| v.to_str().ok())
        .or(form.csrf_token.as_deref())
        .ok_or(AppError::CsrfRejected)?;
    if constant_time_eq(expected.as_bytes(), given.as_bytes()) {
        Ok(())
    } else {
        Err(AppError::CsrfRejected)
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
