//! Validation messages of a form, by field, shown beside each field (422 with the form re-rendered).

use std::collections::BTreeMap;

#[derive(Debug, Default, Clone)]
pub struct FieldErrors(BTreeMap<&'static str, String>);

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
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

    /// `Ok(value)` when no field has a message.
    pub fn into_result<T>(self, value: T) -> Result<T, FieldErrors> {
        if self.is_empty() {
            Ok(value)
        } else {
            Err(self)
        }
    }
}

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
