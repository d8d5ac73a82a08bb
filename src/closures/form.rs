//! The closure form: a name and two dates, kept as typed.

use chrono::NaiveDate;
use serde::Deserialize;

use super::model::ClosureCommand;
use crate::web::form::{required, FieldErrors};

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct ClosureForm {
    pub name: String,
    pub start_date: String,
    pub end_date: String,
}

impl ClosureForm {
    pub fn validate(&self) -> Result<ClosureCommand, FieldErrors> {
        let mut errors = FieldErrors::new();
        let name = required(&self.name, 160)
            .map_err(|e| errors.add("name", e))
            .ok();
        let date = |errors: &mut FieldErrors, field: &'static str, value: &str| {
            NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d")
                .map_err(|_| errors.add(field, "Enter a date, e.g. 2026-12-22."))
                .ok()
        };
        let start_date = date(&mut errors, "start_date", &self.start_date);
        // One day off: the last day may be left empty.
        let end_date = if self.end_date.trim().is_empty() {
            start_date
        } else {
            date(&mut errors, "end_date", &self.end_date)
        };
        if let (Some(start), Some(end)) = (start_date, end_date) {
            if end < start {
                errors.add("end_date", "The last day comes on or after the first.");
            } else if (end - start).num_days() > 366 {
                errors.add("end_date", "A closure lasts at most a year.");
            }
        }
        match (name, start_date, end_date) {
            (Some(name), Some(start_date), Some(end_date)) if errors.is_empty() => {
                Ok(ClosureCommand {
                    name,
                    start_date,
                    end_date,
                })
            }
            _ => Err(errors),
        }
    }
}
