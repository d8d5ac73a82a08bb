//! The reference data every new program starts with (docs/decisions.md): age groups and session types.

use diesel::prelude::*;
use uuid::Uuid;

use crate::schema::across_programs::{age_groups, session_types};

/// (code, name, min age, max age)
pub const AGE_GROUPS: &[(&str, &str, i32, Option<i32>)] = &[
    ("6-8", "Ages 6-8", 6, Some(8)),
    ("9-12", "Ages 9-12", 9, Some(12)),
    ("13-17", "Ages 13-17", 13, Some(17)),
    ("18+", "Adults 18+", 18, None),
];

/// (code, name, capacity)
pub const SESSION_TYPES: &[(&str, &str, i32)] = &[
    ("private", "Private", 2),
    ("group", "Group", 5),
    ("school-group", "School group", 50),
];

/// Adds the defaults a program lacks; codes it already has are left as they are.
pub fn install(conn: &mut PgConnection, program_id: Uuid) -> QueryResult<()> {
    let ages: Vec<_> = AGE_GROUPS
        .iter()
        .map(|(code, name, min, max)| {
            (
                age_groups::program_id.eq(program_id),
                age_groups::code.eq(*code),
                age_groups::name.eq(*name),
                age_groups::min_age.eq(*min),
                age_groups::max_age.eq(*max),
            )
        })
        .collect();
    diesel::insert_into(age_groups::table)
        .values(ages)
        .on_conflict((age_groups::program_id, age_groups::code))
        .do_nothing()
        .execute(conn)?;
    let sessions: Vec<_> = SESSION_TYPES
        .iter()
        .map(|(code, name, capacity)| {
            (
                session_types::program_id.eq(program_id),
                session_types::code.eq(*code),
                session_types::name.eq(*name),
                session_types::capacity.eq(*capacity),
            )
        })
        .collect();
    diesel::insert_into(session_types::table)
        .values(sessions)
        .on_conflict((session_types::program_id, session_types::code))
        .do_nothing()
        .execute(conn)?;
    Ok(())
}
