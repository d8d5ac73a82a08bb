//! Courses with their offerings, written straight into the database: the catalogue pages are
//! another feature's, and pricing tests need courses of their own.

use diesel::{pg::PgConnection, prelude::*, sql_query, sql_types};
use uuid::Uuid;

#[derive(QueryableByName)]
struct Id {
    #[diesel(sql_type = sql_types::Uuid)]
    id: Uuid,
}

/// An active course of `program_id` offering every listed age group, location and session type.
pub fn add_course(
    conn: &mut PgConnection,
    program_id: Uuid,
    name: &str,
    age_groups: &[&str],
    location_types: &[&str],
    session_types: &[&str],
) -> Uuid {
    let id =
        sql_query("INSERT INTO courses (program_id, name, level) VALUES ($1, $2, 1) RETURNING id")
            .bind::<sql_types::Uuid, _>(program_id)
            .bind::<sql_types::Text, _>(name)
            .get_result::<Id>(conn)
            .unwrap()
            .id;
    for (table, column, codes) in [
        ("course_age_groups", "age_group", age_groups),
        ("course_location_types", "location_type", location_types),
        ("course_session_types", "session_type", session_types),
    ] {
        for code in codes {
            sql_query(format!(
                "INSERT INTO {table} (course_id, program_id, {column}) VALUES ($1, $2, $3)"
            ))
            .bind::<sql_types::Uuid, _>(id)
            .bind::<sql_types::Uuid, _>(program_id)
            .bind::<sql_types::Text, _>(*code)
            .execute(conn)
            .unwrap();
        }
    }
    id
}

/// A course offering one configuration: 6-8, our facility, group.
pub fn add_simple_course(conn: &mut PgConnection, program_id: Uuid, name: &str) -> Uuid {
    add_course(
        conn,
        program_id,
        name,
        &["6-8"],
        &["our-facility"],
        &["group"],
    )
}

/// An active facility of `program_id`.
pub fn add_facility(conn: &mut PgConnection, program_id: Uuid, name: &str) -> Uuid {
    sql_query("INSERT INTO facilities (program_id, name, facility_type, capacity) VALUES ($1, $2, 'pool', 30) RETURNING id")
        .bind::<sql_types::Uuid, _>(program_id)
        .bind::<sql_types::Text, _>(name)
        .get_result::<Id>(conn)
        .unwrap()
        .id
}

/// The id of a facility by name (any program).
pub fn facility_id(conn: &mut PgConnection, name: &str) -> Uuid {
    sql_query("SELECT id FROM facilities WHERE name = $1")
        .bind::<sql_types::Text, _>(name)
        .get_result::<Id>(conn)
        .unwrap()
        .id
}
