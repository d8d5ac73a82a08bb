//! `seed-demo`: a small, realistic academy to try the app with. Running it again changes nothing.

mod billing;
mod catalogue;

use chrono::Utc;
use diesel::prelude::*;
use uuid::Uuid;

use crate::{
    access::Role,
    auth,
    error::AppError,
    schema::across_programs::{programs, user_program_assignments, users},
};

mod enrollments;
mod pricing;
mod students;
mod timetable;

/// Students each active demo program gets.
pub const STUDENTS_PER_PROGRAM: usize = students::PER_PROGRAM;

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

/// (username, full name, role, program)
const USERS: &[(&str, &str, Role, Option<&str>)] = &[
    ("superadmin", "Adaeze Okafor", Role::SuperAdmin, None),
    (
        "swim.admin",
        "Bola Adeyemi",
        Role::ProgramAdmin,
        Some("Swimming"),
    ),
    (
        "swim.coord",
        "Chidi Nwosu",
        Role::ProgramCoordinator,
        Some("Swimming"),
    ),
    ("swim.tutor", "Halima Bello", Role::Tutor, Some("Swimming")),
    (
        "football.tutor",
        "Tunde Bakare",
        Role::Tutor,
        Some("Football"),
    ),
    (
        "football.coord",
        "Emeka Eze",
        Role::ProgramCoordinator,
        Some("Football"),
    ),
];

/// `zone`: the academy's time zone, in which demo classes meet at whole hours.
pub fn seed(conn: &mut PgConnection, zone: chrono_tz::Tz) -> Result<(), AppError> {
    // One hash for every demo account: argon2 is slow on purpose.
    let hash = auth::hash_password(DEMO_PASSWORD)?;
    conn.transaction(|conn| {
        for (i, (name, description, active)) in PROGRAMS.iter().enumerate() {
            let id = program(conn, name, description, *active)?;
            crate::programs::install_defaults(conn, id)?;
            if *active {
                students::seed(conn, id, i * 17)?;
            }
        }
        for (username, full_name, role, program_name) in USERS {
            let user_id = user(conn, username, *role, &hash)?;
            // Only a name not set yet: a second run, or a name changed in the app, stays as it is.
            diesel::update(users::table.filter(users::id.eq(user_id).and(users::full_name.eq(""))))
                .set(users::full_name.eq(*full_name))
                .execute(conn)?;
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
        catalogue::seed(conn)?;
        // After the catalogue: prices whatever active courses with offerings exist.
        pricing::seed(conn)?;
        // Enrollments last: they need the courses, facilities and prices above. Each program's
        // are made by a coordinator of that program.
        for (name, _, active) in PROGRAMS {
            if *active {
                let id = program_id(conn, name)?;
                let coordinator = users::table
                    .inner_join(
                        user_program_assignments::table
                            .on(user_program_assignments::user_id.eq(users::id)),
                    )
                    .filter(user_program_assignments::program_id.eq(id))
                    .filter(users::role.eq(Role::ProgramCoordinator))
                    .order(users::username.asc())
                    .select(users::id)
                    .first::<Uuid>(conn)
                    .optional()?;
                enrollments::seed(conn, id, coordinator)?;
                timetable::seed(conn, id, zone)?;
                billing::seed(conn, id, Utc::now().with_timezone(&zone).date_naive())?;
                billing::invoices(conn, id, name, zone)?;
            }
        }
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
