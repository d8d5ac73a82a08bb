//! The program's choices of what a course may offer, each a code with its label.

use diesel::prelude::*;
use uuid::Uuid;

use crate::{
    access::ProgramScope,
    schema::{age_groups, session_types},
};

use super::Offered;

/// The fixed location types (docs/decisions.md, "Reference data"): (code, label), in the order
/// forms and matrices show them.
pub const LOCATION_TYPES: &[(&str, &str)] = &[
    ("our-facility", "Our facility"),
    ("client-location", "Client location"),
    ("virtual", "Virtual"),
];

/// The label of a location type; the code itself if unknown.
pub fn location_label(code: &str) -> &str {
    LOCATION_TYPES
        .iter()
        .find(|(c, _)| *c == code)
        .map_or(code, |(_, label)| label)
}

/// A code of the program's reference data and its label.
#[derive(Debug, Clone)]
pub struct Choice {
    pub code: String,
    pub label: String,
}

/// The location types as choices.
pub(super) fn location_choices() -> Vec<Choice> {
    LOCATION_TYPES
        .iter()
        .map(|(code, label)| Choice {
            code: code.to_string(),
            label: label.to_string(),
        })
        .collect()
}

impl Choice {
    /// The label of `code` among `choices`; the code itself if it is not one of them.
    pub fn label_of(choices: &[Choice], code: &str) -> String {
        choices
            .iter()
            .find(|c| c.code == code)
            .map_or_else(|| code.to_string(), |c| c.label.clone())
    }
}

/// What a course may offer in this program: age groups youngest first, location types in their
/// fixed order, session types smallest first.
#[derive(Debug, Clone, Default)]
pub struct Choices {
    pub age_groups: Vec<Choice>,
    pub location_types: Vec<Choice>,
    pub session_types: Vec<Choice>,
}

impl Choices {
    /// The program's choices, in two queries.
    pub fn load(conn: &mut PgConnection, scope: &ProgramScope) -> QueryResult<Self> {
        let age_groups = scope
            .age_groups()
            .order((age_groups::min_age.asc(), age_groups::code.asc()))
            .select((age_groups::code, age_groups::name))
            .load::<(String, String)>(conn)?;
        let session_types = scope
            .session_types()
            .order((session_types::capacity.asc(), session_types::code.asc()))
            .select((session_types::code, session_types::name))
            .load::<(String, String)>(conn)?;
        let choices = |rows: Vec<(String, String)>| {
            rows.into_iter()
                .map(|(code, label)| Choice { code, label })
                .collect()
        };
        Ok(Self {
            age_groups: choices(age_groups),
            location_types: location_choices(),
            session_types: choices(session_types),
        })
    }

    /// What `course_id` offers, with labels, in the program's order.
    pub fn of_course(
        conn: &mut PgConnection,
        scope: &ProgramScope,
        course_id: Uuid,
    ) -> QueryResult<Self> {
        Ok(Self::load(conn, scope)?.offered_by(&Offered::of_course(conn, scope, course_id)?))
    }

    /// Only what `offered` holds, in the program's order.
    pub fn offered_by(self, offered: &Offered) -> Self {
        let keep = |choices: Vec<Choice>, codes: &[String]| -> Vec<Choice> {
            choices
                .into_iter()
                .filter(|c| codes.contains(&c.code))
                .collect()
        };
        Self {
            age_groups: keep(self.age_groups, &offered.age_groups),
            location_types: keep(self.location_types, &offered.location_types),
            session_types: keep(self.session_types, &offered.session_types),
        }
    }

    /// Whether the three codes are among the choices.
    pub fn offers(&self, age_group: &str, location_type: &str, session_type: &str) -> bool {
        let has = |choices: &[Choice], code: &str| choices.iter().any(|c| c.code == code);
        has(&self.age_groups, age_group)
            && has(&self.location_types, location_type)
            && has(&self.session_types, session_type)
    }

    pub fn age_label(&self, code: &str) -> String {
        Choice::label_of(&self.age_groups, code)
    }

    pub fn session_label(&self, code: &str) -> String {
        Choice::label_of(&self.session_types, code)
    }

    /// A configuration in words: "Ages 9-12 · Our facility · Private".
    pub fn configuration(
        &self,
        age_group: &str,
        location_type: &str,
        session_type: &str,
    ) -> String {
        format!(
            "{} · {} · {}",
            self.age_label(age_group),
            location_label(location_type),
            self.session_label(session_type)
        )
    }
}
