//! Signing in and out: password hashes, the server-side session store, CSRF, login throttling.

pub mod csrf;
pub mod login;
pub mod logout;
pub mod password;
pub mod session_store;
pub mod throttle;

use actix_session::Session;
use uuid::Uuid;

/// Session key of the signed-in user's id.
pub const SESSION_USER_ID: &str = "user_id";

pub fn session_user_id(session: &Session) -> Option<Uuid> {
    session.get::<Uuid>(SESSION_USER_ID).ok().flatten()
}
