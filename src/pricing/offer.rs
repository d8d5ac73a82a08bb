//! What the program's courses offer: the configurations (age group x location type x session type)
//! a price may use. Loaded for a whole program in a fixed number of queries.

use std::collections::{BTreeSet, HashMap};

use diesel::{prelude::*, sql_types::Integer};
use uuid::Uuid;

use super::lookup::PriceKey;
use crate::{
    access::ProgramScope,
    error::{AppError, AppResult},
    location_types::LOCATION_TYPES,
    schema::{
        age_groups, course_age_groups, course_location_types, course_session_types, courses,
        session_types,
    },
};

#[derive(Debug, Clone)]
pub struct CourseRef {
    pub id: Uuid,
    pub name: String,
}

/// A code and its label, in the program's order.
#[derive(Debug, Clone)]
pub struct Code {
    pub code: String,
    pub name: String,
}

/// Tags of the offering tables in the one statement that reads them.
const AGE: i32 = 0;
const LOCATION: i32 = 1;
const SESSION: i32 = 2;

/// Which of a course's offered codes: its age groups, location types or session types.
#[derive(Debug, Clone, Copy)]
pub enum OfferedCodes {
    Ages,
    Locations,
    Sessions,
}

#[derive(Debug, Default)]
pub struct Offerings {
    /// Active courses of the program, by name.
    pub courses: Vec<CourseRef>,
    /// Age groups of the program, youngest first.
    pub age_groups: Vec<Code>,
    /// Session types of the program, smallest first.
    pub session_types: Vec<Code>,
    ages: HashMap<Uuid, BTreeSet<String>>,
    locations: HashMap<Uuid, BTreeSet<String>>,
    sessions: HashMap<Uuid, BTreeSet<String>>,
}

impl Offerings {
    /// Everything the matrix needs to know about the program's courses: four queries, whatever the size.
    pub fn load(conn: &mut PgConnection, scope: &ProgramScope) -> QueryResult<Self> {
        let courses = scope
            .courses()
            .filter(courses::is_active.eq(true))
            .order((courses::name.asc(), courses::id.asc()))
            .select((courses::id, courses::name))
            .load::<(Uuid, String)>(conn)?
            .into_iter()
            .map(|(id, name)| CourseRef { id, name })
            .collect();
        let age_groups = scope
            .age_groups()
            .order((age_groups::min_age.asc(), age_groups::code.asc()))
            .select((age_groups::code, age_groups::name))
            .load::<(String, String)>(conn)?
            .into_iter()
            .map(|(code, name)| Code { code, name })
            .collect();
        let session_types = scope
            .session_types()
            .order((session_types::capacity.asc(), session_types::code.asc()))
            .select((session_types::code, session_types::name))
            .load::<(String, String)>(conn)?
            .into_iter()
            .map(|(code, name)| Code { code, name })
            .collect();
        // The three offering tables in one statement, each row tagged with its table.
        let tagged: Vec<(i32, Uuid, String)> = scope
            .course_age_groups()
            .select((
                AGE.into_sql::<Integer>(),
                course_age_groups::course_id,
                course_age_groups::age_group,
            ))
            .union_all(scope.course_location_types().select((
                LOCATION.into_sql::<Integer>(),
                course_location_types::course_id,
                course_location_types::location_type,
            )))
            .union_all(scope.course_session_types().select((
                SESSION.into_sql::<Integer>(),
                course_session_types::course_id,
                course_session_types::session_type,
            )))
            .load(conn)?;
        let (mut ages, mut locations, mut sessions) = Default::default();
        for (tag, course, code) in tagged {
            let map: &mut HashMap<Uuid, BTreeSet<String>> = match tag {
                AGE => &mut ages,
                LOCATION => &mut locations,
                _ => &mut sessions,
            };
            map.entry(course).or_default().insert(code);
        }
        Ok(Self {
            courses,
            age_groups,
            session_types,
            ages,
            locations,
            sessions,
        })
    }

    pub fn offers(
        &self,
        course_id: Uuid,
        age_group: &str,
        location_type: &str,
        session_type: &str,
    ) -> bool {
        self.offers_code(course_id, OfferedCodes::Ages, age_group)
            && self.offers_code(course_id, OfferedCodes::Locations, location_type)
            && self.offers_code(course_id, OfferedCodes::Sessions, session_type)
    }

    /// Whether `course_id` offers `code` among its age groups, location types or session types.
    pub fn offers_code(&self, course_id: Uuid, codes: OfferedCodes, code: &str) -> bool {
        let map = match codes {
            OfferedCodes::Ages => &self.ages,
            OfferedCodes::Locations => &self.locations,
            OfferedCodes::Sessions => &self.sessions,
        };
        map.get(&course_id).is_some_and(|set| set.contains(code))
    }

    /// Every configuration `course_id` offers, in matrix order (location, age group, session type).
    pub fn configurations(&self, course_id: Uuid) -> Vec<(String, String, String)> {
        let mut out = Vec::new();
        for (location, _) in LOCATION_TYPES {
            for age in &self.age_groups {
                for session in &self.session_types {
                    if self.offers(course_id, &age.code, location, &session.code) {
                        out.push((age.code.clone(), location.to_string(), session.code.clone()));
                    }
                }
            }
        }
        out
    }

    pub fn course(&self, course_id: Uuid) -> Option<&CourseRef> {
        self.courses.iter().find(|c| c.id == course_id)
    }

    pub fn age_label(&self, code: &str) -> String {
        self.age_groups
            .iter()
            .find(|a| a.code == code)
            .map_or_else(|| code.to_string(), |a| a.name.clone())
    }

    /// The names of one age group and one session type (for a single cell).
    pub fn labels(
        conn: &mut PgConnection,
        scope: &ProgramScope,
        age_group: &str,
        session_type: &str,
    ) -> QueryResult<(String, String)> {
        let age = scope
            .age_groups()
            .filter(age_groups::code.eq(age_group))
            .select(age_groups::name)
            .first::<String>(conn)
            .optional()?
            .unwrap_or_else(|| age_group.to_string());
        let session = scope
            .session_types()
            .filter(session_types::code.eq(session_type))
            .select(session_types::name)
            .first::<String>(conn)
            .optional()?
            .unwrap_or_else(|| session_type.to_string());
        Ok((age, session))
    }

    pub fn session_label(&self, code: &str) -> String {
        self.session_types
            .iter()
            .find(|s| s.code == code)
            .map_or_else(|| code.to_string(), |s| s.name.clone())
    }
}

/// Checks that `key` names an active course of the program and a configuration it offers; the
/// course's name on success. A course of another program is not found; a configuration the course
/// does not offer is a clear refusal.
pub fn check_offered(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    key: &PriceKey,
) -> AppResult<String> {
    let (name, active) = scope
        .courses()
        .filter(courses::id.eq(key.course_id))
        .select((courses::name, courses::is_active))
        .first::<(String, bool)>(conn)?;
    if !active {
        return Err(AppError::bad_request(format!(
            "{name} is archived, so it cannot be priced."
        )));
    }
    let age: i64 = scope
        .course_age_groups()
        .filter(course_age_groups::course_id.eq(key.course_id))
        .filter(course_age_groups::age_group.eq(&key.age_group))
        .count()
        .get_result(conn)?;
    let location: i64 = scope
        .course_location_types()
        .filter(course_location_types::course_id.eq(key.course_id))
        .filter(course_location_types::location_type.eq(&key.location_type))
        .count()
        .get_result(conn)?;
    let session: i64 = scope
        .course_session_types()
        .filter(course_session_types::course_id.eq(key.course_id))
        .filter(course_session_types::session_type.eq(&key.session_type))
        .count()
        .get_result(conn)?;
    if age == 0 || location == 0 || session == 0 {
        return Err(AppError::bad_request(format!(
            "{name} does not offer age group {:?}, location {:?} and session type {:?} together, so it cannot have a price for them. Nothing was saved.",
            key.age_group, key.location_type, key.session_type
        )));
    }
    Ok(name)
}
