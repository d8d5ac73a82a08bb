//! Forms of the tree: a curriculum or module (name, description), a lesson (name, content,
//! duration).

use serde::Deserialize;

use super::model::{Curriculum, Lesson, LessonCommand, Module, NodeCommand};
use crate::web::form::{required, FieldErrors};

#[derive(Debug, Clone, Default, Deserialize)]
pub struct NodeForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub description: String,
}

impl NodeForm {
    pub fn from_curriculum(c: &Curriculum) -> Self {
        Self {
            name: c.name.clone(),
            description: c.description.clone(),
        }
    }

    pub fn from_module(m: &Module) -> Self {
        Self {
            name: m.name.clone(),
            description: m.description.clone(),
        }
    }

    pub fn validate(&self) -> Result<NodeCommand, FieldErrors> {
        let mut errors = FieldErrors::new();
        let name = required(&self.name, 160).unwrap_or_else(|e| {
            errors.add("name", e);
            String::new()
        });
        let description = self.description.trim().to_string();
        if description.chars().count() > 5000 {
            errors.add("description", "Use at most 5000 characters.");
        }
        errors.into_result(NodeCommand { name, description })
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct LessonForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub content: String,
    #[serde(default)]
    pub duration_minutes: String,
}

impl LessonForm {
    pub fn blank() -> Self {
        Self {
            duration_minutes: "45".into(),
            ..Self::default()
        }
    }

    pub fn from_lesson(l: &Lesson) -> Self {
        Self {
            name: l.name.clone(),
            content: l.content.clone(),
            duration_minutes: l.duration_minutes.to_string(),
        }
    }

    pub fn validate(&self) -> Result<LessonCommand, FieldErrors> {
        let mut errors = FieldErrors::new();
        let name = required(&self.name, 160).unwrap_or_else(|e| {
            errors.add("name", e);
            String::new()
        });
        let content = self.content.trim_end().to_string();
        if content.chars().count() > 50_000 {
            errors.add("content", "Use at most 50,000 characters.");
        }
        let duration_minutes = match self.duration_minutes.trim().parse::<i32>() {
            Ok(m) if (0..=1440).contains(&m) => m,
            _ => {
                errors.add(
                    "duration_minutes",
                    "Enter the minutes as a whole number from 0 to 1440.",
                );
                0
            }
        };
        errors.into_result(LessonCommand {
            name,
            content,
            duration_minutes,
        })
    }
}
