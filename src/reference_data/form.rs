//! The age group and session type forms, and their validation.

use serde::Deserialize;

use crate::web::form::{required, FieldErrors};

#[derive(Debug, Default, Clone, Deserialize)]
pub struct AgeGroupForm {
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub min_age: String,
    #[serde(default)]
    pub max_age: String,
}

pub struct AgeGroupCommand {
    pub code: String,
    pub name: String,
    pub min_age: i32,
    pub max_age: Option<i32>,
}

/// Lowercase kebab-case, e.g. `school-group`; age groups may end in `+` (`18+`).
fn code_problem(code: &str, plus_allowed: bool) -> Option<&'static str> {
    let body = if plus_allowed {
        code.strip_suffix('+').unwrap_or(code)
    } else {
        code
    };
    let ok = !body.is_empty()
        && code.len() <= 32
        && body.split('-').all(|part| {
            !part.is_empty()
                && part
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        });
    (!ok).then_some(if plus_allowed {
        "Use lowercase letters, digits and dashes, like 9-12 or 18+ (at most 32 characters)."
    } else {
        "Use lowercase letters, digits and dashes, like school-group (at most 32 characters)."
    })
}

fn whole_number(
    errors: &mut FieldErrors,
    field: &'static str,
    value: &str,
    min: i32,
    max: i32,
) -> Option<i32> {
    match value.trim().parse::<i32>() {
        Ok(n) if (min..=max).contains(&n) => Some(n),
        _ => {
            errors.add(field, format!("Enter a whole number from {min} to {max}."));
            None
        }
    }
}

impl AgeGroupForm {
    pub fn validate(&self) -> Result<AgeGroupCommand, FieldErrors> {
        let mut errors = FieldErrors::new();
        let code = self.code.trim().to_string();
        errors.check("code", code_problem(&code, true));
        let name = required(&self.name, 80).unwrap_or_else(|e| {
            errors.add("name", e);
            String::new()
        });
        let min_age = whole_number(&mut errors, "min_age", &self.min_age, 0, 120);
        let max_age = if self.max_age.trim().is_empty() {
            None
        } else {
            whole_number(&mut errors, "max_age", &self.max_age, 0, 120)
        };
        if let (Some(min), Some(max)) = (min_age, max_age) {
            if max < min {
                errors.add(
                    "max_age",
                    "The maximum age cannot be below the minimum age.",
                );
            }
        }
        errors.into_result(AgeGroupCommand {
            code,
            name,
            min_age: min_age.unwrap_or(0),
            max_age,
        })
    }
}

#[derive(Debug, Default, Clone, Deserialize)]
pub struct SessionTypeForm {
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub capacity: String,
}

pub struct SessionTypeCommand {
    pub code: String,
    pub name: String,
    pub capacity: i32,
}

impl SessionTypeForm {
    pub fn validate(&self) -> Result<SessionTypeCommand, FieldErrors> {
        let mut errors = FieldErrors::new();
        let code = self.code.trim().to_string();
        errors.check("code", code_problem(&code, false));
        let name = required(&self.name, 80).unwrap_or_else(|e| {
            errors.add("name", e);
            String::new()
        });
        let capacity = whole_number(&mut errors, "capacity", &self.capacity, 1, 100);
        errors.into_result(SessionTypeCommand {
            code,
            name,
            capacity: capacity.unwrap_or(1),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::code_problem;

    #[test]
    fn codes_are_lowercase_kebab_case() {
        assert!(code_problem("school-group", false).is_none());
        assert!(code_problem("18+", true).is_none());
        assert!(code_problem("6-8", true).is_none());
        assert!(code_problem("18+", false).is_some());
        assert!(code_problem("School", false).is_some());
        assert!(code_problem("a--b", false).is_some());
        assert!(code_problem("", true).is_some());
        assert!(code_problem("+", true).is_some());
    }
}
