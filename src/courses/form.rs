//! The course form: text fields kept as typed, offerings as the ticked codes.

use super::model::{Course, CourseCommand};
use crate::{
    offerings::{Choices, Offered},
    web::form::{required, FieldErrors},
};

#[derive(Debug, Clone, Default)]
pub struct CourseForm {
    pub name: String,
    pub description: String,
    pub level: String,
    pub is_active: bool,
    pub age_groups: Vec<String>,
    pub location_types: Vec<String>,
    pub session_types: Vec<String>,
}

impl CourseForm {
    /// A new course: active, level 1, nothing ticked.
    pub fn blank() -> Self {
        Self {
            level: "1".into(),
            is_active: true,
            ..Self::default()
        }
    }

    pub fn from_course(course: &Course, offerings: &Offered) -> Self {
        Self {
            name: course.name.clone(),
            description: course.description.clone(),
            level: course.level.to_string(),
            is_active: course.is_active,
            age_groups: offerings.age_groups.clone(),
            location_types: offerings.location_types.clone(),
            session_types: offerings.session_types.clone(),
        }
    }

    /// From the posted pairs (checkbox groups repeat their name).
    pub fn from_pairs(pairs: &[(String, String)]) -> Self {
        let mut form = Self::default();
        for (key, value) in pairs {
            match key.as_str() {
                "name" => form.name = value.clone(),
                "description" => form.description = value.clone(),
                "level" => form.level = value.clone(),
                "is_active" => form.is_active = value == "on" || value == "true",
                "age_groups" => form.age_groups.push(value.clone()),
                "location_types" => form.location_types.push(value.clone()),
                "session_types" => form.session_types.push(value.clone()),
                _ => {}
            }
        }
        form
    }

    pub fn has(&self, group: &str, code: &str) -> bool {
        let list = match group {
            "age_groups" => &self.age_groups,
            "location_types" => &self.location_types,
            _ => &self.session_types,
        };
        list.iter().any(|c| c == code)
    }

    pub fn validate(&self, choices: &Choices) -> Result<CourseCommand, FieldErrors> {
        let mut errors = FieldErrors::new();
        let name = required(&self.name, 160).unwrap_or_else(|e| {
            errors.add("name", e);
            String::new()
        });
        let description = self.description.trim().to_string();
        if description.chars().count() > 5000 {
            errors.add("description", "Use at most 5000 characters.");
        }
        let level = match self.level.trim().parse::<i32>() {
            Ok(level) if (1..=20).contains(&level) => level,
            _ => {
                errors.add("level", "Enter a whole number from 1 to 20.");
                1
            }
        };
        let pick = |errors: &mut FieldErrors,
                    field: &'static str,
                    ticked: &[String],
                    allowed: &dyn Fn(&str) -> bool,
                    what: &str|
         -> Vec<String> {
            let mut codes: Vec<String> = Vec::new();
            for code in ticked {
                if !allowed(code) {
                    errors.add(field, format!("Choose {what} from the list."));
                } else if !codes.contains(code) {
                    codes.push(code.clone());
                }
            }
            if codes.is_empty() {
                errors.add(field, format!("Choose at least one {what}."));
            }
            codes
        };
        let age_groups = pick(
            &mut errors,
            "age_groups",
            &self.age_groups,
            &|c| choices.age_groups.iter().any(|a| a.code == c),
            "age group",
        );
        let location_types = pick(
            &mut errors,
            "location_types",
            &self.location_types,
            &|c| choices.location_types.iter().any(|l| l.code == c),
            "location type",
        );
        let session_types = pick(
            &mut errors,
            "session_types",
            &self.session_types,
            &|c| choices.session_types.iter().any(|s| s.code == c),
            "session type",
        );
        errors.into_result(CourseCommand {
            name,
            description,
            level,
            is_active: self.is_active,
            offerings: Offered {
                age_groups,
                location_types,
                session_types,
            },
        })
    }
}
