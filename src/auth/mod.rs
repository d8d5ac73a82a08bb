//! Signing in and out: password hashes, the server-side session store, login throttling. Other
//! features use what this file exports; the sign-in pages are `login` and `logout`.

mod credentials;
pub mod login;
pub mod logout;
mod password;
mod session_store;
mod throttle;

pub use password::{
    hash as hash_password, verify as verify_password, weakness as password_weakness,
};
pub use session_store::{
    end_sessions_of, is_unavailable as session_is_unavailable, PgSessionStore,
};
pub use throttle::{ACCOUNT_LIMIT, WINDOW_MINUTES as THROTTLE_WINDOW_MINUTES};

use actix_session::Session;
use uuid::Uuid;

/// Session key of the signed-in user's id.
pub const SESSION_USER_ID: &str = "user_id";

pub fn session_user_id(session: &Session) -> Option<Uuid> {
    session.get::<Uuid>(SESSION_USER_ID).ok().flatten()
}
