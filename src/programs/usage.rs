//! What depends on a program, counted across its tables: the Academy section decides whether a
//! program may be deleted before any scope exists for it (listed in `tests/scoping.rs`).

use crate::web::format::{and_list, plural};
use std::collections::HashMap;

use diesel::prelude::*;
use uuid::Uuid;

use crate::schema::across_programs::{courses, facilities, students, user_program_assignments};

#[derive(Debug, Clone, Default)]
pub struct ProgramUsage {
    pub courses: i64,
    pub facilities: i64,
    pub students: i64,
    pub members: i64,
}

impl ProgramUsage {
    /// "2 courses and 1 team member" when something depends on the program.
    pub fn blocks_deletion(&self) -> Option<String> {
        let parts: Vec<String> = [
            (self.courses, "course", "courses"),
            (self.facilities, "facility", "facilities"),
            (self.students, "student", "students"),
            (self.members, "team member", "team members"),
        ]
        .iter()
        .filter(|(n, _, _)| *n > 0)
        .map(|(n, one, many)| plural(*n, one, many))
        .collect();
        and_list(&parts)
    }
}

pub fn of_program(conn: &mut PgConnection, id: Uuid) -> QueryResult<ProgramUsage> {
    Ok(ProgramUsage {
        courses: courses::table
            .filter(courses::program_id.eq(id))
            .count()
            .get_result(conn)?,
        facilities: facilities::table
            .filter(facilities::program_id.eq(id))
            .count()
            .get_result(conn)?,
        students: students::table
            .filter(students::program_id.eq(id))
            .count()
            .get_result(conn)?,
        members: user_program_assignments::table
            .filter(user_program_assignments::program_id.eq(id))
            .count()
            .get_result(conn)?,
    })
}

/// Team sizes of the listed programs.
pub fn member_counts(conn: &mut PgConnection, ids: &[Uuid]) -> QueryResult<HashMap<Uuid, i64>> {
    let rows: Vec<(Uuid, i64)> = user_program_assignments::table
        .filter(user_program_assignments::program_id.eq_any(ids))
        .group_by(user_program_assignments::program_id)
        .select((
            user_program_assignments::program_id,
            diesel::dsl::count_star(),
        ))
        .load(conn)?;
    Ok(rows.into_iter().collect())
}
