//! What every form shares: its messages by field (`FieldErrors`), required text, the record
//! version that guards a destructive post, LIKE patterns.

pub use super::field_errors::FieldErrors;

/// A required, trimmed text of at most `max` characters.
pub fn required(value: &str, max: usize) -> Result<String, String> {
    let value = value.trim();
    if value.is_empty() {
        Err("This field is required.".into())
    } else if value.chars().count() > max {
        Err(format!("Use at most {max} characters."))
    } else {
        Ok(value.to_string())
    }
}

/// The version of a record for the hidden `version` field of its action forms: its `updated_at`
/// in microseconds. A form whose version no longer matches acts on a record that changed since
/// the page was rendered (or was not sent by our page at all): it is refused, nothing changed.
pub fn version(updated_at: chrono::DateTime<chrono::Utc>) -> String {
    updated_at.timestamp_micros().to_string()
}

/// Checks a submitted `version` against the record's `updated_at`.
pub fn check_version(
    given: &str,
    updated_at: chrono::DateTime<chrono::Utc>,
    what: &str,
) -> Result<(), crate::error::AppError> {
    if given.trim().is_empty() {
        return Err(crate::error::AppError::bad_request(
            "This form is missing its record version. Reload the page and try again; nothing was changed.",
        ));
    }
    if given.trim() != version(updated_at) {
        return Err(crate::error::AppError::conflict(format!(
            "{what} was changed by someone else since this page was shown. Reload the page and try again; nothing was changed."
        )));
    }
    Ok(())
}

/// `text` as an `ILIKE` pattern matching exactly it (case aside): `%`, `_` and `\` taken literally.
pub fn escape_like(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

/// A search text as an `ILIKE` pattern matching it anywhere.
pub fn like_pattern(q: &str) -> String {
    format!("%{}%", escape_like(q.trim()))
}

/// The one field of a destructive post: the record's version (see `check_version`).
#[derive(Debug, Default, serde::Deserialize)]
pub struct VersionForm {
    #[serde(default)]
    pub version: String,
}
