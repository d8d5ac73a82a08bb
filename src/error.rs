//! One error type for the whole app. Handlers return `Result<_, AppError>`; the `error_pages`
//! middleware (web/error_pages.rs) turns it into a page, or a fragment for htmx requests.

use actix_web::{http::StatusCode, HttpResponse, ResponseError};
use diesel::result::{DatabaseErrorKind, Error as DieselError};

use crate::web::form::FieldErrors;

pub type AppResult<T> = Result<T, AppError>;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Missing, or belongs to a program the user may not use: the two answer alike on purpose.
    #[error("not found")]
    NotFound,
    #[error("forbidden: {0}")]
    Forbidden(String),
    #[error("not signed in")]
    Unauthenticated,
    #[error("missing or wrong CSRF token")]
    CsrfRejected,
    /// A write from a page rendered for another program than the session's current one.
    #[error("page belongs to program {page_program}")]
    StaleProgram { page_program: String },
    /// The user has no active program to work in.
    #[error("no active program")]
    NoProgram,
    #[error("bad request: {0}")]
    BadRequest(String),
    /// A form field holding a control character (NUL...), refused before any handler runs.
    #[error("control character in field {field}")]
    RefusedField { field: String },
    #[error("conflict: {0}")]
    Conflict(String),
    /// An upload over its limit, read to its end and dropped.
    #[error("too large: {0}")]
    TooLarge(String),
    /// What the user sent cannot be saved, found while writing (a name taken, a price that ended
    /// meanwhile...): the transaction rolls back and the handler shows the form again with each
    /// message beside its field; a handler that does not answers 422 with the messages.
    #[error("invalid: {0:?}")]
    Invalid(FieldErrors),
    /// A create form sent again (`web::once`); `location` is the record it made.
    #[error("form already submitted")]
    AlreadySubmitted { location: Option<String> },
    /// Every connection stayed in use for as long as a request may wait.
    #[error("busy")]
    Busy,
    #[error("database error: {0}")]
    Database(#[source] DieselError),
    #[error("internal error: {0}")]
    Internal(String),
}

impl AppError {
    pub fn forbidden(why: impl Into<String>) -> Self {
        Self::Forbidden(why.into())
    }
    pub fn bad_request(why: impl Into<String>) -> Self {
        Self::BadRequest(why.into())
    }
    pub fn conflict(why: impl Into<String>) -> Self {
        Self::Conflict(why.into())
    }
    pub fn internal(why: impl Into<String>) -> Self {
        Self::Internal(why.into())
    }
    pub fn pool(e: diesel::r2d2::PoolError) -> Self {
        Self::Internal(format!("database pool: {e}"))
    }

    /// Title and message shown to the user; never SQL, never a stack trace.
    pub fn public_message(&self) -> (&'static str, String) {
        match self {
            Self::NotFound => ("Not found", "The page or record you asked for does not exist, or you may not see it.".into()),
            Self::Forbidden(why) => ("Not allowed", why.clone()),
            Self::Unauthenticated => ("Signed out", "Please sign in to continue.".into()),
            Self::CsrfRejected => (
                "Form expired",
                "This form is out of date or was not sent from this site. Reload the page and try again.".into(),
            ),
            Self::StaleProgram { page_program } => (
                "Program changed",
                format!("This page belongs to program {page_program}, but you have switched program since. Reload the page; nothing was changed."),
            ),
            Self::NoProgram => (
                "No active program",
                "You are not assigned to any active program yet. Ask an administrator to add you to one.".into(),
            ),
            Self::BadRequest(why) => ("Bad request", why.clone()),
            Self::RefusedField { field } => (
                "Bad request",
                format!(
                    "The field \u{201c}{}\u{201d} contains a control character (such as NUL), which cannot be saved. Remove it and try again; nothing was changed.",
                    field_label(field)
                ),
            ),
            Self::Conflict(why) => ("Could not save", why.clone()),
            Self::TooLarge(why) => ("File too large", why.clone()),
            Self::Invalid(errors) => ("Could not save", errors.summary()),
            Self::AlreadySubmitted { .. } => (
                "Already sent",
                "This form was sent before and is saved (or still being saved) once; nothing was saved twice. Reload the list to see it.".into(),
            ),
            Self::Busy => (
                "Busy",
                "The server is busier than usual and could not take this request in time. Nothing was changed. Please try again in a moment.".into(),
            ),
            Self::Database(_) | Self::Internal(_) => (
                "Something went wrong",
                "We could not complete this request. Nothing was changed. Please try again; if it keeps happening, tell an administrator the request id below.".into(),
            ),
        }
    }

    pub fn is_internal(&self) -> bool {
        matches!(self, Self::Database(_) | Self::Internal(_))
    }
}

impl From<FieldErrors> for AppError {
    fn from(errors: FieldErrors) -> Self {
        Self::Invalid(errors)
    }
}

impl AppError {
    /// One field's message as a refusal.
    pub fn invalid(field: &'static str, message: impl Into<String>) -> Self {
        let mut errors = FieldErrors::new();
        errors.add(field, message);
        Self::Invalid(errors)
    }
}

impl From<DieselError> for AppError {
    fn from(e: DieselError) -> Self {
        match &e {
            DieselError::NotFound => Self::NotFound,
            DieselError::DatabaseError(kind, _) => match kind {
                DatabaseErrorKind::UniqueViolation => {
                    Self::Conflict("That conflicts with a record that already exists. Nothing was changed.".into())
                }
                DatabaseErrorKind::ForeignKeyViolation => Self::Conflict(
                    "That refers to something that no longer exists, or is still in use elsewhere. Nothing was changed."
                        .into(),
                ),
                DatabaseErrorKind::CheckViolation | DatabaseErrorKind::NotNullViolation => {
                    Self::BadRequest("A value is missing or out of range. Nothing was changed.".into())
                }
                _ => Self::Database(e),
            },
            _ => Self::Database(e),
        }
    }
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::Forbidden(_) | Self::CsrfRejected | Self::NoProgram => StatusCode::FORBIDDEN,
            Self::Unauthenticated => StatusCode::SEE_OTHER,
            Self::StaleProgram { .. } | Self::Conflict(_) => StatusCode::CONFLICT,
            Self::AlreadySubmitted { location: Some(_) } => StatusCode::SEE_OTHER,
            Self::AlreadySubmitted { location: None } => StatusCode::CONFLICT,
            Self::BadRequest(_) | Self::RefusedField { .. } => StatusCode::BAD_REQUEST,
            Self::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Self::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            Self::Busy => StatusCode::SERVICE_UNAVAILABLE,
            Self::Database(_) | Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The body is filled in by `web::error_pages`, which knows the request (htmx or not, its id).
    fn error_response(&self) -> HttpResponse {
        HttpResponse::build(self.status_code()).finish()
    }
}

/// `emergency_phone` -> "Emergency phone": a field's name as the page's label would say it.
fn field_label(name: &str) -> String {
    let words = name.replace(['_', '-'], " ");
    let mut chars = words.trim().chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => "A field".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::field_label;

    #[test]
    fn a_field_name_reads_like_its_label() {
        assert_eq!(field_label("emergency_phone"), "Emergency phone");
        assert_eq!(field_label("q"), "Q");
        assert_eq!(field_label(""), "A field");
    }
}
