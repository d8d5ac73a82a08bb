//! `seed-demo`: a small, realistic academy to try the app with. Running it again changes nothing.

use diesel::prelude::*;
use uuid::Uuid;

use crate::{
    access::Role,
    auth::password,
    error::AppError,
    programs::defaults,
    schema::{programs, user_program_assignments, users},
};

mod pricing;

pub const DEMO_PASSWORD: &str = "academy-demo";

/// (name, description, active)
const PROGRAMS: &[(&str, &str, bool)] = &[
    (
        "Swimming",
        "Learn-to-swim and competitive squads for children, teens and adults.",
        true,
    ),
    (
        "Football",
        "Grassroots and academy football coaching.",
        true,
    ),
    (
        "Robotics",
        "Build-and-code robotics clubs (paused this term).",
        false,
    ),
];

/// (username, role, program)
const USERS: &[(&str, Role, Option<&str>)] = &[
    ("superadmin", Role::SuperAdmin, None),
    ("swim.admin", Role::ProgramAdmin, Some("Swimming")),
    ("swim.coord", Role::ProgramCoordinator, Some("Swimming")),
    ("swim.tutor", Role::Tutor, Some("Swimming")),
    ("football.coord", Role::ProgramCoordinator, Some("Football")),
];

pub fn seed(conn: &mut PgConnection) -> Result<(), AppError> {
    // One hash for every demo account: argon2 is slow on purpose.
    let hash = password::hash(DEMO_PASSWORD)?;
    conn.transaction(|conn| {
        for (name, description, active) in PROGRAMS {
            let id = program(conn, name, description, *active)?;
            defaults::install(conn, id)?;
        }
        for (username, role, program_name) in USERS {
            let user_id = user(conn, username, *role, &hash)?;
            if let Some(program_name) = program_name {
                let program_id = program_id(conn, program_name)?;
                diesel::insert_into(user_program_assignments::table)
                    .values((
                        user_program_assignments::user_id.eq(user_id),
                        user_program_assignments::program_id.eq(program_id),
                    ))
                    .on_conflict((
                        user_program_assignments::user_id,
                        user_program_assignments::program_id,
                    ))
                    .do_nothing()
                    .execute(conn)?;
            }
        }
        // After the catalogue: prices whatever active courses with offerings exist.
        pricing::seed(conn)?;
        Ok(())
    })
}

fn program_id(conn: &mut PgConnection, name: &str) -> QueryResult<Uuid> {
    programs::table
        .filter(programs::name.eq(name))
        .select(programs::id)
        .first(conn)
}

fn program(
    conn: &mut PgConnection,
    name: &str,
    description: &str,
    active: bool,
) -> QueryResult<Uuid> {
    if let Some(id) = program_id(conn, name).optional()? {
        return Ok(id);
    }
    diesel::insert_into(programs::table)
        .values((
            programs::name.eq(name),
            programs::description.eq(description),
            programs::is_active.eq(active),
        ))
        .returning(programs::id)
        .get_result(conn)
}

fn user(conn: &mut PgConnection, username: &str, role: Role, hash: &str) -> Result<Uuid, AppError> {
    if let Some(id) = users::table
        .filter(users::username.eq(username))
        .select(users::id)
        .first(conn)
        .optional()?
    {
        return Ok(id);
    }
    crate::users::insert(
        conn,
        username,
        &format!("{username}@academy.example"),
        hash,
        role,
    )
}
