//! One-shot messages shown on the next page ("Student saved."), kept in the session.

use actix_session::Session;
use serde::{Deserialize, Serialize};

const SESSION_FLASH: &str = "flash";

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Flash {
    /// `success`, `info`, `warning` or `error`: also the CSS class of the message.
    pub kind: String,
    pub message: String,
    /// The next page puts the keyboard focus on its main heading (after a program switch, the
    /// whole page is new).
    #[serde(default)]
    pub focus_heading: bool,
}

pub fn success(session: &Session, message: impl Into<String>) {
    set(session, "success", message.into());
}

pub fn info(session: &Session, message: impl Into<String>) {
    set(session, "info", message.into());
}

pub fn warning(session: &Session, message: impl Into<String>) {
    set(session, "warning", message.into());
}

/// A message that something was refused (shown in the error style on the next page).
pub fn error(session: &Session, message: impl Into<String>) {
    set(session, "error", message.into());
}

/// Information after which the next page's main heading takes the focus.
pub fn info_and_focus_heading(session: &Session, message: impl Into<String>) {
    let _ = session.insert(
        SESSION_FLASH,
        Flash {
            kind: "info".into(),
            message: message.into(),
            focus_heading: true,
        },
    );
}

fn set(session: &Session, kind: &str, message: String) {
    let _ = session.insert(
        SESSION_FLASH,
        Flash {
            kind: kind.into(),
            message,
            focus_heading: false,
        },
    );
}

/// Takes the pending message, if any, so it shows once.
pub fn take(session: &Session) -> Option<Flash> {
    // Look before removing: `remove` marks the session changed even when the key is absent, and
    // a changed session is written back, an UPDATE on every page view for nothing.
    session.get::<Flash>(SESSION_FLASH).ok().flatten()?;
    session
        .remove_as::<Flash>(SESSION_FLASH)
        .and_then(Result::ok)
}
