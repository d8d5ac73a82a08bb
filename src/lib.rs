//! Academy Admin: the app that `main.rs` serves and the tests drive, built in one place.

pub mod access;
pub mod account;
pub mod attendance;
pub mod auth;
pub mod balances;
pub mod billing;
pub mod calendar;
pub mod charges;
pub mod classes;
pub mod closures;
pub mod config;
pub mod courses;
pub mod curricula;
pub mod dashboard;
pub mod db;
pub mod demo;
pub mod enrollments;
pub mod error;
pub mod facilities;
pub mod fees;
pub mod guardians;
pub mod history;
pub mod housekeeping;
pub mod imports;
pub mod invoices;
pub mod offerings;
pub mod payments;
pub mod pg_enum;
pub mod pricing;
pub mod programs;
pub mod reference_data;
pub mod routes;
pub mod schema;
mod state;
pub mod students;
pub mod users;
pub mod web;

use actix_session::{config::PersistentSession, SessionMiddleware};
use actix_web::{
    body::MessageBody,
    cookie::{time::Duration, Key, SameSite},
    dev::{ServiceFactory, ServiceRequest, ServiceResponse},
    middleware::{from_fn, DefaultHeaders},
    web as aweb, App,
};

pub use state::AppState;

use crate::{auth::PgSessionStore, error::AppError};

/// Name of the session cookie; it carries only a random key into `http_sessions`.
pub const SESSION_COOKIE: &str = "academy_session";
/// A working day: a session idle for longer than this (with no change to it) must sign in again.
const SESSION_TTL_HOURS: i64 = 12;

/// Content-Security-Policy: only our own scripts and styles, so injected markup cannot run.
const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                   connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

pub fn build_app(
    state: AppState,
    session_key: Key,
) -> App<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    let signing_key = web::csrf::SigningKey(session_key.clone());
    let sessions = SessionMiddleware::builder(PgSessionStore::new(state.pool.clone()), session_key)
        .cookie_name(SESSION_COOKIE.into())
        .cookie_http_only(true)
        .cookie_same_site(SameSite::Lax)
        .cookie_secure(state.config.secure_cookies)
        .session_lifecycle(
            PersistentSession::default().session_ttl(Duration::hours(SESSION_TTL_HOURS)),
        )
        .build();
    let headers = DefaultHeaders::new()
        .add(("Content-Security-Policy", CSP))
        .add(("X-Content-Type-Options", "nosniff"))
        .add(("Referrer-Policy", "same-origin"))
        .add(("X-Frame-Options", "DENY"))
        // Pages, fragments and exports hold students' records (medical notes among them) and a
        // per-session CSRF token: no browser or proxy keeps a copy. Static files set their own.
        .add(("Cache-Control", "no-store"));

    App::new()
        .app_data(aweb::Data::new(state))
        .app_data(aweb::Data::new(signing_key))
        .app_data(
            aweb::FormConfig::default()
                .limit(256 * 1024)
                .error_handler(|e, _| {
                    AppError::bad_request(format!("The form could not be read: {e}")).into()
                }),
        )
        .app_data(aweb::QueryConfig::default().error_handler(|e, _| {
            AppError::bad_request(format!("The address has an invalid parameter: {e}")).into()
        }))
        // A malformed id in a path is simply a record that does not exist.
        .app_data(aweb::PathConfig::default().error_handler(|_, _| AppError::NotFound.into()))
        .configure(routes::configure)
        .default_service(aweb::to(|| async {
            Err::<actix_web::HttpResponse, _>(AppError::NotFound)
        }))
        // Outside the sessions: a session that cannot be loaded or saved still gets a proper
        // page, with its request id, and a log line.
        .wrap(sessions)
        .wrap(from_fn(web::error_pages::render))
        .wrap(headers)
}
