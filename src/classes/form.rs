//! The class form and the session forms: text fields kept as typed, validated into commands.

use chrono::{NaiveDate, NaiveTime};
use serde::Deserialize;
use uuid::Uuid;

use super::{
    model::{Class, ClassCommand},
    schedule::Meeting,
};
use crate::web::form::{required, FieldErrors};

/// Rows of weekly times the form offers.
pub const TIME_ROWS: usize = 3;

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct ClassForm {
    pub course_id: String,
    pub facility_id: String,
    pub tutor_id: String,
    pub age_group: String,
    pub location_type: String,
    pub session_type: String,
    pub name: String,
    /// Empty: the session type's capacity.
    pub capacity: String,
    pub start_date: String,
    pub end_date: String,
    pub weekday_1: String,
    pub start_1: String,
    pub minutes_1: String,
    pub weekday_2: String,
    pub start_2: String,
    pub minutes_2: String,
    pub weekday_3: String,
    pub start_3: String,
    pub minutes_3: String,
    /// A curriculum of the course, or `none` (progress typed by hand); empty on a new form.
    pub curriculum_id: String,
    /// The record version, on edit.
    pub version: String,
}

/// One row of weekly times as typed.
pub struct TimeRow<'a> {
    pub n: usize,
    pub weekday: &'a str,
    pub start: &'a str,
    pub minutes: &'a str,
}

impl ClassForm {
    pub fn blank(course_id: Option<Uuid>, today: NaiveDate) -> Self {
        Self {
            course_id: course_id.map(|id| id.to_string()).unwrap_or_default(),
            start_date: today.to_string(),
            end_date: (today + chrono::Duration::weeks(12)).to_string(),
            minutes_1: "60".into(),
            ..Self::default()
        }
    }

    pub fn from_class(class: &Class, times: &[Meeting]) -> Self {
        let mut form = Self {
            course_id: class.course_id.to_string(),
            facility_id: class.facility_id.to_string(),
            tutor_id: class.tutor_id.to_string(),
            age_group: class.age_group.clone(),
            location_type: class.location_type.clone(),
            session_type: class.session_type.clone(),
            name: class.name.clone(),
            capacity: class.capacity.to_string(),
            start_date: class.start_date.to_string(),
            end_date: class.end_date.to_string(),
            curriculum_id: class
                .curriculum_id
                .map_or_else(|| "none".to_string(), |c| c.to_string()),
            version: class.version(),
            ..Self::default()
        };
        for (i, m) in times.iter().take(TIME_ROWS).enumerate() {
            let (weekday, start, minutes) = form.row_mut(i + 1);
            *weekday = m.weekday.to_string();
            *start = m.start_time.format("%H:%M").to_string();
            *minutes = m.duration_minutes.to_string();
        }
        form
    }

    fn row_mut(&mut self, n: usize) -> (&mut String, &mut String, &mut String) {
        match n {
            1 => (&mut self.weekday_1, &mut self.start_1, &mut self.minutes_1),
            2 => (&mut self.weekday_2, &mut self.start_2, &mut self.minutes_2),
            _ => (&mut self.weekday_3, &mut self.start_3, &mut self.minutes_3),
        }
    }

    pub fn rows(&self) -> Vec<TimeRow<'_>> {
        vec![
            TimeRow {
                n: 1,
                weekday: &self.weekday_1,
                start: &self.start_1,
                minutes: &self.minutes_1,
            },
            TimeRow {
                n: 2,
                weekday: &self.weekday_2,
                start: &self.start_2,
                minutes: &self.minutes_2,
            },
            TimeRow {
                n: 3,
                weekday: &self.weekday_3,
                start: &self.start_3,
                minutes: &self.minutes_3,
            },
        ]
    }

    pub fn course(&self) -> Option<Uuid> {
        self.course_id.trim().parse().ok()
    }

    pub fn validate(&self) -> Result<ClassCommand, FieldErrors> {
        let mut errors = FieldErrors::new();
        let id = |errors: &mut FieldErrors, field: &'static str, value: &str, message: &str| {
            value
                .trim()
                .parse::<Uuid>()
                .map_err(|_| errors.add(field, message))
                .ok()
        };
        let course_id = id(
            &mut errors,
            "course_id",
            &self.course_id,
            "Choose a course.",
        );
        let facility_id = id(
            &mut errors,
            "facility_id",
            &self.facility_id,
            "Choose a facility.",
        );
        let tutor_id = id(&mut errors, "tutor_id", &self.tutor_id, "Choose a tutor.");
        let code = |errors: &mut FieldErrors, field: &'static str, value: &str, message: &str| {
            let value = value.trim();
            if value.is_empty() || value.len() > 32 {
                errors.add(field, message);
                None
            } else {
                Some(value.to_string())
            }
        };
        let age_group = code(
            &mut errors,
            "age_group",
            &self.age_group,
            "Choose an age group.",
        );
        let location_type = code(
            &mut errors,
            "location_type",
            &self.location_type,
            "Choose a location.",
        );
        let session_type = code(
            &mut errors,
            "session_type",
            &self.session_type,
            "Choose a session type.",
        );
        let name = required(&self.name, 80)
            .map_err(|e| errors.add("name", e))
            .ok();
        let capacity = match self.capacity.trim() {
            "" => Some(None),
            raw => match raw.parse::<i32>() {
                Ok(n) if n >= 1 => Some(Some(n)),
                _ => {
                    errors.add("capacity", "Enter a number of places of at least 1, or leave it empty for the session type's capacity.");
                    None
                }
            },
        };
        let date = |errors: &mut FieldErrors, field: &'static str, value: &str| {
            NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d")
                .map_err(|_| errors.add(field, "Enter a date, e.g. 2027-01-11."))
                .ok()
        };
        let start_date = date(&mut errors, "start_date", &self.start_date);
        let end_date = date(&mut errors, "end_date", &self.end_date);
        if let (Some(start), Some(end)) = (start_date, end_date) {
            if end < start {
                errors.add("end_date", "The last day comes on or after the first.");
            } else if (end - start).num_days() > 731 {
                errors.add(
                    "end_date",
                    "A class runs at most two years; make a new class for the next term.",
                );
            }
        }
        let times = self.times(&mut errors);
        let curriculum_id = match self.curriculum_id.trim() {
            "" | "none" => Some(None),
            raw => raw
                .parse::<Uuid>()
                .map(Some)
                .map_err(|_| {
                    errors.add(
                        "curriculum_id",
                        "Choose a curriculum of the course, or none.",
                    )
                })
                .ok(),
        };
        match (
            course_id,
            facility_id,
            tutor_id,
            age_group,
            location_type,
            session_type,
            name,
            capacity,
            start_date,
            end_date,
        ) {
            (
                Some(course_id),
                Some(facility_id),
                Some(tutor_id),
                Some(age_group),
                Some(location_type),
                Some(session_type),
                Some(name),
                Some(capacity),
                Some(start_date),
                Some(end_date),
            ) if errors.is_empty() => Ok(ClassCommand {
                course_id,
                facility_id,
                tutor_id,
                age_group,
                location_type,
                session_type,
                name,
                capacity,
                start_date,
                end_date,
                times,
                curriculum_id: curriculum_id.flatten(),
            }),
            _ => Err(errors),
        }
    }

    /// The weekly times typed; empty rows are skipped, at least one is needed.
    fn times(&self, errors: &mut FieldErrors) -> Vec<Meeting> {
        let mut times: Vec<Meeting> = Vec::new();
        for row in self.rows() {
            if row.weekday.trim().is_empty() && row.start.trim().is_empty() {
                continue;
            }
            let field = ["", "weekday_1", "weekday_2", "weekday_3"][row.n];
            let weekday = match row.weekday.trim().parse::<i16>() {
                Ok(d) if (1..=7).contains(&d) => d,
                _ => {
                    errors.add(field, "Choose a day of the week.");
                    continue;
                }
            };
            let Ok(start_time) = NaiveTime::parse_from_str(row.start.trim(), "%H:%M") else {
                errors.add(field, "Enter a start time such as 09:00.");
                continue;
            };
            let duration_minutes = match row.minutes.trim().parse::<i32>() {
                Ok(m) if (5..=720).contains(&m) => m,
                _ => {
                    errors.add(field, "Enter a length from 5 to 720 minutes.");
                    continue;
                }
            };
            let meeting = Meeting {
                weekday,
                start_time,
                duration_minutes,
            };
            if times
                .iter()
                .any(|t| t.weekday == weekday && t.start_time == start_time)
            {
                errors.add(field, "This day and time are already in the class's times.");
                continue;
            }
            times.push(meeting);
        }
        if times.is_empty() && !errors.has("weekday_1") {
            errors.add("weekday_1", "Give the class at least one weekly time.");
        }
        times.sort_by_key(|t| (t.weekday, t.start_time));
        times
    }
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct CancelForm {
    pub reason: String,
    pub version: String,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct MoveForm {
    pub date: String,
    pub start: String,
    pub minutes: String,
    pub version: String,
}

impl MoveForm {
    pub fn validate(&self) -> Result<(NaiveDate, NaiveTime, i32), FieldErrors> {
        let mut errors = FieldErrors::new();
        let day = NaiveDate::parse_from_str(self.date.trim(), "%Y-%m-%d")
            .map_err(|_| errors.add("date", "Enter a date, e.g. 2027-01-11."))
            .ok();
        let time = NaiveTime::parse_from_str(self.start.trim(), "%H:%M")
            .map_err(|_| errors.add("start", "Enter a start time such as 09:00."))
            .ok();
        let minutes = match self.minutes.trim().parse::<i32>() {
            Ok(m) if (5..=720).contains(&m) => Some(m),
            _ => {
                errors.add("minutes", "Enter a length from 5 to 720 minutes.");
                None
            }
        };
        match (day, time, minutes) {
            (Some(d), Some(t), Some(m)) if errors.is_empty() => Ok((d, t, m)),
            _ => Err(errors),
        }
    }
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct SubstituteForm {
    pub tutor_id: String,
    pub version: String,
}
