//! The cells of a facility's matrix by position: course x location type x age group x session
//! type, each a slot in one flat vector. Looking a cell up is index arithmetic, with no key to
//! build or hash per cell, and every label is made once and shared by its cells.

use std::sync::Arc;

use uuid::Uuid;

use crate::{
    offerings::{Choice, ProgramOfferings},
    web::escaped::Escaped,
};

/// A code and its label, as text and as written into a page (escaped once, not once per cell),
/// and the code as written in a query string; shared by every cell that shows them.
#[derive(Debug, Clone)]
pub struct Label {
    pub code: Arc<str>,
    pub name: Arc<str>,
    pub code_html: Escaped,
    pub name_html: Escaped,
    pub in_query: Escaped,
}

impl Label {
    pub fn new(code: &str, name: &str) -> Self {
        Self {
            code: code.into(),
            name: name.into(),
            code_html: Escaped::new(code),
            name_html: Escaped::new(name),
            in_query: Escaped::new(
                &form_urlencoded::byte_serialize(code.as_bytes()).collect::<String>(),
            ),
        }
    }
}

pub struct Grid {
    /// Each course's id and, as a label, its id as text (code and query) and its name.
    pub courses: Vec<(Uuid, Label)>,
    pub locations: Vec<Label>,
    pub ages: Vec<Label>,
    pub sessions: Vec<Label>,
    offered: Vec<bool>,
}

/// One position: indexes into the grid's courses, locations, ages and sessions.
#[derive(Debug, Clone, Copy)]
pub struct At {
    pub course: usize,
    pub location: usize,
    pub age: usize,
    pub session: usize,
}

impl Grid {
    pub fn new(offerings: &ProgramOfferings) -> Self {
        let label_all = |choices: &[Choice]| -> Vec<Label> {
            choices
                .iter()
                .map(|c| Label::new(&c.code, &c.label))
                .collect()
        };
        let choices = &offerings.choices;
        let mut grid = Self {
            courses: offerings
                .courses
                .iter()
                .map(|c| (c.id, Label::new(&c.id.to_string(), &c.name)))
                .collect(),
            locations: label_all(&choices.location_types),
            ages: label_all(&choices.age_groups),
            sessions: label_all(&choices.session_types),
            offered: Vec::new(),
        };
        grid.offered = vec![false; grid.len()];
        // Each course's offerings are looked up once per code, not once per cell.
        for course in 0..grid.courses.len() {
            let Some(offered) = offerings.offered(grid.courses[course].0) else {
                continue;
            };
            let offers = |labels: &[Label], codes: &[String]| -> Vec<bool> {
                labels
                    .iter()
                    .map(|l| codes.iter().any(|c| **c == *l.code))
                    .collect()
            };
            let ages = offers(&grid.ages, &offered.age_groups);
            let locations = offers(&grid.locations, &offered.location_types);
            let sessions = offers(&grid.sessions, &offered.session_types);
            for location in 0..locations.len() {
                for age in 0..ages.len() {
                    for session in 0..sessions.len() {
                        let slot = grid.slot(At {
                            course,
                            location,
                            age,
                            session,
                        });
                        grid.offered[slot] = locations[location] && ages[age] && sessions[session];
                    }
                }
            }
        }
        grid
    }

    pub fn len(&self) -> usize {
        self.courses.len() * self.locations.len() * self.ages.len() * self.sessions.len()
    }

    /// A vector with one empty place per cell.
    pub fn places<T: Clone>(&self) -> Vec<Option<T>> {
        vec![None; self.len()]
    }

    pub fn slot(&self, at: At) -> usize {
        ((at.course * self.locations.len() + at.location) * self.ages.len() + at.age)
            * self.sessions.len()
            + at.session
    }

    pub fn offered(&self, at: At) -> bool {
        self.offered[self.slot(at)]
    }
}
