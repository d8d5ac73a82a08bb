//! A form's messages by field: what `validate()` finds in the form itself, and what a write
//! finds against the database (`AppError::Invalid`, which rolls the transaction back). Either way
//! the form is shown again (422) with each message beside its field.

use std::collections::BTreeMap;

#[derive(Debug, Default, Clone)]
pub struct FieldErrors(BTreeMap<&'static str, String>);

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
    }

    /// How a page with these errors answers: 200 without any, 422 (the form refused) with some.
    pub fn status(&self) -> actix_web::http::StatusCode {
        if self.is_empty() {
            actix_web::http::StatusCode::OK
        } else {
            actix_web::http::StatusCode::UNPROCESSABLE_ENTITY
        }
    }

    /// Records `message` for `field`, keeping the first message a field gets.
    pub fn add(&mut self, field: &'static str, message: impl Into<String>) {
        self.0.entry(field).or_insert_with(|| message.into());
    }

    /// Records the message if `problem` is `Some`.
    pub fn check(&mut self, field: &'static str, problem: Option<&str>) {
        if let Some(message) = problem {
            self.add(field, message);
        }
    }

    /// The message of `field`, or "" (templates test `.is_empty()`).
    pub fn get(&self, field: &str) -> &str {
        self.0.get(field).map_or("", String::as_str)
    }

    pub fn has(&self, field: &str) -> bool {
        self.0.contains_key(field)
    }

    /// Adds `other`'s messages for fields that have none yet.
    pub fn merge(&mut self, other: FieldErrors) {
        for (field, message) in other.0 {
            self.add(field, message);
        }
    }

    /// Some message, for a one-line summary.
    pub fn first(&self) -> Option<&str> {
        self.0.values().next().map(String::as_str)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Every message, for a page that cannot show them beside their fields.
    pub fn summary(&self) -> String {
        self.0.values().cloned().collect::<Vec<_>>().join(" ")
    }

    /// `Ok(value)` when no field has a message.
    pub fn into_result<T>(self, value: T) -> Result<T, FieldErrors> {
        if self.is_empty() {
            Ok(value)
        } else {
            Err(self)
        }
    }
}
