//! Per-session CSRF token: a hidden `csrf_token` field in forms, the `X-CSRF-Token` header on
//! htmx requests (from `hx-headers` on `<body>`). The gate checks it on every write.
//!
//! Before sign-in there is no session (an anonymous visit stores nothing): the sign-in form's
//! token lives in a cookie signed with the session key, and the form must send it back.

use actix_session::Session;
use actix_web::{
    cookie::{time::Duration, Cookie, CookieJar, Key, SameSite},
    http::header::HeaderMap,
    HttpRequest,
};
use uuid::Uuid;

use crate::{error::AppError, web::form_meta::FormMeta};

pub const SESSION_CSRF: &str = "csrf";
pub const HEADER: &str = "X-CSRF-Token";
/// The sign-in form's token, signed so that no other site can set one of its choosing.
pub const LOGIN_COOKIE: &str = "academy_login_csrf";

/// The key that signs the sign-in form's cookie: the session key, registered as app data.
#[derive(Clone)]
pub struct SigningKey(pub Key);

/// The sign-in form's token: the one its cookie holds, or a new one with the cookie to set.
pub fn login_token(req: &HttpRequest, key: &SigningKey) -> (String, Option<Cookie<'static>>) {
    if let Some(token) = login_cookie_token(req.headers(), key) {
        return (token, None);
    }
    let token = fresh();
    let mut jar = CookieJar::new();
    jar.signed_mut(&key.0).add(
        Cookie::build(LOGIN_COOKIE, token.clone())
            .path("/login")
            .http_only(true)
            .same_site(SameSite::Lax)
            .max_age(Duration::hours(12))
            .finish(),
    );
    let cookie = jar.delta().next().cloned().map(Cookie::into_owned);
    (token, cookie)
}

/// An expired copy of the sign-in cookie, to drop it once signed in.
pub fn forget_login_cookie() -> Cookie<'static> {
    let mut cookie = Cookie::build(LOGIN_COOKIE, "").path("/login").finish();
    cookie.make_removal();
    cookie
}

fn login_cookie_token(headers: &HeaderMap, key: &SigningKey) -> Option<String> {
    let mut jar = CookieJar::new();
    for header in headers.get_all(actix_web::http::header::COOKIE) {
        for part in header.to_str().ok()?.split(';') {
            if let Ok(cookie) = Cookie::parse(part.trim().to_owned()) {
                jar.add_original(cookie);
            }
        }
    }
    jar.signed(&key.0)
        .get(LOGIN_COOKIE)
        .map(|c| c.value().to_string())
}

/// The session's token as the gate saw it, kept with the request: an error page is rendered
/// after the session middleware has finished, when the session can no longer be read.
#[derive(Debug, Clone)]
pub struct PageToken(pub String);

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

/// Checks the request's token against the session's, or, for a visitor without a session, the
/// signed sign-in cookie's (only the sign-in form posts without being signed in).
pub fn verify(
    session: &Session,
    headers: &HeaderMap,
    form: &FormMeta,
    key: Option<&SigningKey>,
) -> Result<(), AppError> {
    let expected = session
        .get::<String>(SESSION_CSRF)
        .ok()
        .flatten()
        .or_else(|| key.and_then(|key| login_cookie_token(headers, key)))
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
