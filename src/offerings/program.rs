//! What every active course of a program offers, read in one statement whatever the size (the
//! pricing matrix and the bulk price forms lay out every course at once).

use std::collections::HashMap;

use diesel::{
    dsl::row_number,
    prelude::*,
    sql_types::{self, BigInt, Integer, Text},
};
use uuid::Uuid;

use super::{choices::location_choices, Choice, Choices, Offered};
use crate::{
    access::ProgramScope,
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

/// The program's active courses by name, its choices, and what each course offers.
#[derive(Debug, Default)]
pub struct ProgramOfferings {
    pub courses: Vec<CourseRef>,
    pub choices: Choices,
    offered: HashMap<Uuid, Offered>,
}

/// Tags of the tables in the one statement that reads them; 0, 1 and 2 are `Offered`'s kinds.
const COURSE: i32 = 3;
const AGE_GROUP: i32 = 4;
const SESSION_TYPE: i32 = 5;

impl ProgramOfferings {
    /// Its active courses, age groups and session types, each numbered in the program's order
    /// (`row_number`), and what each course offers; every row tagged with its table.
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
                0.into_sql::<Integer>(),
                unranked(),
                course_age_groups::course_id,
                course_age_groups::age_group,
                none(),
            )))
            .union_all(scope.course_location_types().select((
                1.into_sql::<Integer>(),
                unranked(),
                course_location_types::course_id,
                course_location_types::location_type,
                none(),
            )))
            .union_all(scope.course_session_types().select((
                2.into_sql::<Integer>(),
                unranked(),
                course_session_types::course_id,
                course_session_types::session_type,
                none(),
            )))
            .load(conn)?;
        // A union has no order of its own: each list is put in its rank's order here.
        rows.sort_unstable_by_key(|&(tag, rank, ..)| (tag, rank));
        let mut program = Self::default();
        program.choices.location_types = location_choices();
        for (tag, _, course, code, label) in rows {
            match tag {
                COURSE => program.courses.push(CourseRef {
                    id: course,
                    name: label,
                }),
                AGE_GROUP => program.choices.age_groups.push(Choice { code, label }),
                SESSION_TYPE => program.choices.session_types.push(Choice { code, label }),
                kind => program.offered.entry(course).or_default().push(kind, code),
            }
        }
        Ok(program)
    }

    /// What `course_id` offers (nothing for a course not among them).
    pub fn offered(&self, course_id: Uuid) -> Option<&Offered> {
        self.offered.get(&course_id)
    }

    pub fn offers(
        &self,
        course_id: Uuid,
        age_group: &str,
        location_type: &str,
        session_type: &str,
    ) -> bool {
        self.offered(course_id)
            .is_some_and(|o| o.offers(age_group, location_type, session_type))
    }

    /// Every configuration `course_id` offers, in matrix order (location, age group, session type).
    pub fn configurations(&self, course_id: Uuid) -> Vec<(String, String, String)> {
        let mut out = Vec::new();
        for location in &self.choices.location_types {
            for age in &self.choices.age_groups {
                for session in &self.choices.session_types {
                    if self.offers(course_id, &age.code, &location.code, &session.code) {
                        out.push((
                            age.code.clone(),
                            location.code.clone(),
                            session.code.clone(),
                        ));
                    }
                }
            }
        }
        out
    }

    pub fn course(&self, course_id: Uuid) -> Option<&CourseRef> {
        self.courses.iter().find(|c| c.id == course_id)
    }
}
