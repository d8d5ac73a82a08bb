//! The program form: kept as typed, checked into a `ProgramCommand`.

use serde::Deserialize;

use crate::web::form::{required, FieldErrors};

#[derive(Debug, Default, Clone, Deserialize)]
pub struct ProgramForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// The edit form's checkbox: present when checked.
    #[serde(default)]
    pub is_active: Option<String>,
}

pub struct ProgramCommand {
    pub name: String,
    pub description: String,
    pub is_active: bool,
}

impl ProgramForm {
    pub fn validate(&self) -> Result<ProgramCommand, FieldErrors> {
        let mut errors = FieldErrors::new();
        let name = required(&self.name, 120).unwrap_or_else(|e| {
            errors.add("name", e);
            String::new()
        });
        let description = self.description.trim().to_string();
        if description.chars().count() > 2000 {
            errors.add("description", "Use at most 2000 characters.");
        }
        errors.into_result(ProgramCommand {
            name,
            description,
            is_active: self.is_active.is_some(),
        })
    }
}
