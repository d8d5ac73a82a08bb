//! The codes one course offers (`course_age_groups`, `course_location_types`,
//! `course_session_types`).

use diesel::{prelude::*, sql_types::Integer, IntoSql};
use uuid::Uuid;

use crate::{
    access::ProgramScope,
    schema::{course_age_groups, course_location_types, course_session_types},
};

/// The codes a course offers, of each kind.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Offered {
    pub age_groups: Vec<String>,
    pub location_types: Vec<String>,
    pub session_types: Vec<String>,
}

impl Offered {
    /// What `course_id` offers, in one query: the three kinds tagged 0, 1 and 2 (bound values,
    /// not SQL literals, so that the statement is prepared once per connection).
    pub fn of_course(
        conn: &mut PgConnection,
        scope: &ProgramScope,
        course_id: Uuid,
    ) -> QueryResult<Self> {
        let rows: Vec<(i32, String)> = scope
            .course_age_groups()
            .filter(course_age_groups::course_id.eq(course_id))
            .select((0.into_sql::<Integer>(), course_age_groups::age_group))
            .union_all(
                scope
                    .course_location_types()
                    .filter(course_location_types::course_id.eq(course_id))
                    .select((
                        1.into_sql::<Integer>(),
                        course_location_types::location_type,
                    ))
                    .union_all(
                        scope
                            .course_session_types()
                            .filter(course_session_types::course_id.eq(course_id))
                            .select((2.into_sql::<Integer>(), course_session_types::session_type)),
                    ),
            )
            .load(conn)?;
        let mut offered = Self::default();
        for (kind, code) in rows {
            offered.push(kind, code);
        }
        Ok(offered)
    }

    /// Adds a code of kind 0 (age group), 1 (location type) or 2 (session type).
    pub(super) fn push(&mut self, kind: i32, code: String) {
        match kind {
            0 => self.age_groups.push(code),
            1 => self.location_types.push(code),
            _ => self.session_types.push(code),
        }
    }

    pub fn offers(&self, age_group: &str, location_type: &str, session_type: &str) -> bool {
        let has = |codes: &[String], code: &str| codes.iter().any(|c| c == code);
        has(&self.age_groups, age_group)
            && has(&self.location_types, location_type)
            && has(&self.session_types, session_type)
    }
}
