//! Program assignments seen across programs: a user's programs on the Academy pages, a super
//! admin adding a user to a program or taking them off, and the people a program admin may add
//! to their team. By nature these read `user_program_assignments` of several programs, so this
//! file is listed in `tests/scoping.rs`; team pages inside one program use `ProgramScope`.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use crate::{
    access::{ProgramScope, Role},
    error::AppError,
    schema::across_programs::{classes, course_tutors, programs, user_program_assignments, users},
    web::form::check_version,
};

/// The roles a program admin manages in their team.
pub const TEAM_ROLES: &[Role] = &[Role::ProgramCoordinator, Role::Tutor];

/// The names of the programs of each listed user (archived ones marked).
pub fn program_names(
    conn: &mut PgConnection,
    user_ids: &[Uuid],
) -> QueryResult<HashMap<Uuid, Vec<String>>> {
    let rows: Vec<(Uuid, String, bool)> = user_program_assignments::table
        .inner_join(programs::table)
        .filter(user_program_assignments::user_id.eq_any(user_ids))
        .order(programs::name.asc())
        .select((
            user_program_assignments::user_id,
            programs::name,
            programs::is_active,
        ))
        .load(conn)?;
    let mut out: HashMap<Uuid, Vec<String>> = HashMap::new();
    for (user_id, name, active) in rows {
        let label = if active {
            name
        } else {
            format!("{name} (archived)")
        };
        out.entry(user_id).or_default().push(label);
    }
    Ok(out)
}

pub struct Assignment {
    pub program_id: Uuid,
    pub program_name: String,
    pub program_active: bool,
    pub assigned_at: DateTime<Utc>,
    pub assigned_by: Option<String>,
    pub course_assignments: i64,
    pub version: String,
}

impl Assignment {
    /// The question asked before taking the user off the program.
    pub fn confirm_question(&self, who: &str) -> String {
        unassign_question(who, &self.program_name, self.course_assignments)
    }
}

/// "Remove ada from Swimming? Their 2 course assignments there end too."
pub fn unassign_question(who: &str, program: &str, course_assignments: i64) -> String {
    let courses = match course_assignments {
        0 => "They have no course assignments there.".to_string(),
        1 => "Their 1 course assignment there ends too.".to_string(),
        n => format!("Their {n} course assignments there end too."),
    };
    format!("Remove {who} from {program}? {courses}")
}

/// A user's programs, with who assigned them and their course assignments in each.
pub fn assignments_of(conn: &mut PgConnection, user_id: Uuid) -> QueryResult<Vec<Assignment>> {
    let by_users = diesel::alias!(users as by_users);
    let rows: Vec<(
        Uuid,
        String,
        bool,
        DateTime<Utc>,
        Option<String>,
        DateTime<Utc>,
    )> = user_program_assignments::table
        .inner_join(programs::table)
        .left_join(
            by_users
                .on(user_program_assignments::assigned_by.eq(by_users.field(users::id).nullable())),
        )
        .filter(user_program_assignments::user_id.eq(user_id))
        .order(programs::name.asc())
        .select((
            programs::id,
            programs::name,
            programs::is_active,
            user_program_assignments::assigned_at,
            by_users.field(users::username).nullable(),
            user_program_assignments::updated_at,
        ))
        .load(conn)?;
    let mut out = Vec::with_capacity(rows.len());
    for (program_id, program_name, program_active, assigned_at, assigned_by, updated_at) in rows {
        let course_assignments = course_tutors::table
            .filter(course_tutors::user_id.eq(user_id))
            .filter(course_tutors::program_id.eq(program_id))
            .count()
            .get_result(conn)?;
        out.push(Assignment {
            program_id,
            program_name,
            program_active,
            assigned_at,
            assigned_by,
            course_assignments,
            version: crate::web::form::version(updated_at),
        });
    }
    Ok(out)
}

/// Active programs a user is not in yet, for the "add to program" dropdown.
pub fn programs_to_offer(
    conn: &mut PgConnection,
    user_id: Uuid,
) -> QueryResult<Vec<(Uuid, String)>> {
    programs::table
        .filter(programs::is_active.eq(true))
        .filter(
            programs::id.ne_all(
                user_program_assignments::table
                    .filter(user_program_assignments::user_id.eq(user_id))
                    .select(user_program_assignments::program_id),
            ),
        )
        .order(programs::name.asc())
        .select((programs::id, programs::name))
        .load(conn)
}

/// Adds a user to a program. The program must be active; super admins work in every program
/// already, so they are not assigned.
pub fn assign(
    conn: &mut PgConnection,
    user_id: Uuid,
    role: Role,
    program_id: Uuid,
    assigned_by: Uuid,
) -> Result<String, AppError> {
    if role == Role::SuperAdmin {
        return Err(AppError::conflict(
            "Super admins work in every program already; they are not assigned to programs.",
        ));
    }
    let name: String = programs::table
        .filter(programs::id.eq(program_id))
        .filter(programs::is_active.eq(true))
        .select(programs::name)
        .first(conn)
        .optional()?
        .ok_or_else(|| AppError::bad_request("Choose an active program."))?;
    diesel::insert_into(user_program_assignments::table)
        .values((
            user_program_assignments::user_id.eq(user_id),
            user_program_assignments::program_id.eq(program_id),
            user_program_assignments::assigned_by.eq(assigned_by),
        ))
        .on_conflict((
            user_program_assignments::user_id,
            user_program_assignments::program_id,
        ))
        .do_nothing()
        .execute(conn)?;
    Ok(name)
}

/// Takes a user off a program; their course assignments there end with it (the course_tutors
/// foreign key cascades). Returns the program's name and how many course assignments ended.
pub fn unassign(
    conn: &mut PgConnection,
    user_id: Uuid,
    program_id: Uuid,
    version: &str,
) -> Result<(String, i64), AppError> {
    let (name, updated_at): (String, DateTime<Utc>) = user_program_assignments::table
        .inner_join(programs::table)
        .filter(user_program_assignments::user_id.eq(user_id))
        .filter(user_program_assignments::program_id.eq(program_id))
        .select((programs::name, user_program_assignments::updated_at))
        .for_update()
        .first(conn)?;
    check_version(version, updated_at, "This assignment")?;
    // Their classes keep them as tutor (the foreign key refuses the cascade): name them.
    let teaching: Vec<String> = classes::table
        .filter(classes::tutor_id.eq(user_id))
        .filter(classes::program_id.eq(program_id))
        .order(classes::name)
        .select(classes::name)
        .distinct()
        .limit(5)
        .load(conn)?;
    refuse_if_teaching(&teaching, &name)?;
    let ended: i64 = course_tutors::table
        .filter(course_tutors::user_id.eq(user_id))
        .filter(course_tutors::program_id.eq(program_id))
        .count()
        .get_result(conn)?;
    diesel::delete(
        user_program_assignments::table
            .filter(user_program_assignments::user_id.eq(user_id))
            .filter(user_program_assignments::program_id.eq(program_id)),
    )
    .execute(conn)?;
    Ok((name, ended))
}

/// Someone who still teaches classes of a program stays in it: the refusal names the classes.
pub(super) fn refuse_if_teaching(classes: &[String], program: &str) -> Result<(), AppError> {
    match crate::web::format::and_list(classes) {
        None => Ok(()),
        Some(list) => Err(AppError::conflict(format!(
            "They teach {list} in {program}: give the class another tutor first. Nothing was changed."
        ))),
    }
}

/// People a team page may add to its program: active accounts not in it yet. A super admin may
/// add anyone but super admins; a program admin only coordinators and tutors who are in none of
/// the programs or share one of the admin's programs (never someone of only other programs).
pub fn candidates(
    conn: &mut PgConnection,
    scope: &ProgramScope,
) -> QueryResult<Vec<(Uuid, String)>> {
    let in_program = user_program_assignments::table
        .filter(user_program_assignments::program_id.eq(scope.program_id()))
        .select(user_program_assignments::user_id);
    let mut query = users::table
        .filter(users::is_active.eq(true))
        .filter(users::role.ne(Role::SuperAdmin))
        .filter(users::id.ne_all(in_program))
        .into_boxed();
    if scope.actor_role() != Some(Role::SuperAdmin) {
        let actor = scope.actor_id().unwrap_or_default();
        let actor_programs: Vec<Uuid> = user_program_assignments::table
            .filter(user_program_assignments::user_id.eq(actor))
            .select(user_program_assignments::program_id)
            .load(conn)?;
        let with_shared_program = user_program_assignments::table
            .filter(user_program_assignments::program_id.eq_any(actor_programs))
            .select(user_program_assignments::user_id);
        let with_any_program =
            user_program_assignments::table.select(user_program_assignments::user_id);
        query = query.filter(users::role.eq_any(TEAM_ROLES)).filter(
            users::id
                .eq_any(with_shared_program)
                .or(users::id.ne_all(with_any_program)),
        );
    }
    let rows: Vec<(Uuid, String, String, Role)> = query
        .order(users::username.asc())
        .select((users::id, users::username, users::full_name, users::role))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, username, full_name, role)| {
            let name = if full_name.is_empty() {
                username.clone()
            } else {
                format!("{full_name} ({username})")
            };
            (id, format!("{name}, {}", role.label()))
        })
        .collect())
}

/// `query` without the users who are assigned to a program `actor` is not assigned to. A
/// program admin manages only people whose every program is one of theirs: an account reaches
/// every program it is in, so changing its password or name acts in those programs too.
pub fn within_programs_of(
    query: users::BoxedQuery<'static, diesel::pg::Pg>,
    actor: Uuid,
) -> users::BoxedQuery<'static, diesel::pg::Pg> {
    let mine = diesel::alias!(user_program_assignments as actor_programs);
    let beyond = user_program_assignments::table
        .filter(
            user_program_assignments::program_id.ne_all(
                mine.filter(mine.field(user_program_assignments::user_id).eq(actor))
                    .select(mine.field(user_program_assignments::program_id)),
            ),
        )
        .select(user_program_assignments::user_id);
    query.filter(users::id.ne_all(beyond))
}

/// Takes a user off every program (they became a super admin, who works in all of them).
pub fn remove_all(conn: &mut PgConnection, user_id: Uuid) -> QueryResult<usize> {
    diesel::delete(
        user_program_assignments::table.filter(user_program_assignments::user_id.eq(user_id)),
    )
    .execute(conn)
}
