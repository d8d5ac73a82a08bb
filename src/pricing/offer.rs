//! What the program's courses offer: the configurations (age group x location type x session type)
//! a price may use. Loaded for a whole program in a fixed number of queries.

use std::collections::{BTreeSet, HashMap};

use diesel::{
    dsl::row_number,
    prelude::*,
    sql_types::{self, BigInt, Integer, Text},
};
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

/// Tags of the tables in the one statement that reads them.
const COURSE: i32 = 0;
const AGE_GROUP: i32 = 1;
const SESSION_TYPE: i32 = 2;
const AGE: i32 = 3;
const LOCATION: i32 = 4;
const SESSION: i32 = 5;

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
    /// Everything the matrix needs to know about the program's courses, in one statement
    /// whatever the size: its active courses, age groups and session types, each numbered in the
    /// program's order (`row_number`), and what each course offers; every row tagged with its table.
    pub fn load(conn: &mut PgConnection, scope: &ProgramScope) -> QueryResult<Self> {
        let nil = || Uuid::nil().into_sql::<sql_types::Uuid>();
        let none = || "".into_sql::<Text>();
        let unranked = || 0i64.into_sql::<BigInt>();
        let mut rows: Vec<(i32, i64, Uuid, String, String)> = scope
            .courses()
            .filter(courses::is_active.eq(true))
            .select((
                COURSE.into_sql::<Integer>(),
                row_number().window_order((courses::name.asc(), courses::id.asc())),
                courses::id,
                none(),
                courses::name,
            ))
            .union_all(scope.age_groups().select((
                AGE_GROUP.into_sql::<Integer>(),
                row_number().window_order((age_groups::min_age.asc(), age_groups::code.asc())),
                nil(),
                age_groups::code,
                age_groups::name,
            )))
            .union_all(
                scope.session_types().select((
                    SESSION_TYPE.into_sql::<Integer>(),
                    row_number()
                        .window_order((session_types::capacity.asc(), session_types::code.asc())),
                    nil(),
                    session_types::code,
                    session_types::name,
                )),
            )
            .union_all(scope.course_age_groups().select((
                AGE.into_sql::<Integer>(),
                unranked(),
                course_age_groups::course_id,
                course_age_groups::age_group,
                none(),
            )))
            .union_all(scope.course_location_types().select((
                LOCATION.into_sql::<Integer>(),
                unranked(),
                course_location_types::course_id,
                course_location_types::location_type,
                none(),
            )))
            .union_all(scope.course_session_types().select((
                SESSION.into_sql::<Integer>(),
                unranked(),
                course_session_types::course_id,
                course_session_types::session_type,
                none(),
            )))
            .load(conn)?;
        // A union has no order of its own: each list is put in its rank's order here.
        rows.sort_unstable_by_key(|&(tag, rank, ..)| (tag, rank));
        let mut offerings = Self::default();
        for (tag, _, course, code, name) in rows {
            let offered = match tag {
                COURSE => {
                    offerings.courses.push(CourseRef { id: course, name });
                    continue;
                }
                AGE_GROUP => {
                    offerings.age_groups.push(Code { code, name });
                    continue;
                }
                SESSION_TYPE => {
                    offerings.session_types.push(Code { code, name });
                    continue;
                }
                AGE => &mut offerings.ages,
                LOCATION => &mut offerings.locations,
                _ => &mut offerings.sessions,
            };
            offered.entry(course).or_default().insert(code);
        }
        Ok(offerings)
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
