//! The Team page's statements: its members with their assignment and course assignments, adding
//! an existing person, taking someone off the program.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use crate::{
    access::{ProgramScope, Role},
    error::{AppError, AppResult},
    schema::{course_tutors, user_program_assignments, users},
    users::{
        assignments::{self, unassign_question},
        model::{filtered, manageable, may_remove, members, removable, sorted, UserRow},
    },
    web::{
        form::check_version,
        pagination::{total_count, PageRequest},
        sort::Sort,
    },
};

pub struct Member {
    pub user: UserRow,
    pub assigned_at: DateTime<Utc>,
    pub assigned_by: Option<String>,
    pub course_assignments: i64,
    pub version: String,
    /// Whether the viewer may edit this person's account (`users::model::manageable`).
    pub manageable: bool,
    /// Whether the viewer may take this person off the team (`users::model::removable`).
    pub removable: bool,
}

impl Member {
    pub fn confirm_question(&self, program: &str) -> String {
        unassign_question(&self.user.username, program, self.course_assignments)
    }
}

/// One page of the program's people, filtered and sorted, with who assigned them, their course
/// assignments and what the viewer may do, in five queries whatever the page's size.
pub fn page(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    (q, role, status): (&str, &str, &str),
    sort: Sort,
    request: PageRequest,
) -> AppResult<Vec<(Member, i64)>> {
    let scope = scope.clone();
    let rows: Vec<(UserRow, i64)> = sorted(filtered(members(&scope), q, role, status), sort)
        .select((UserRow::as_select(), total_count()))
        .limit(request.limit())
        .offset(request.offset())
        .load(conn)?;
    // The page's assignments, who made them and the course assignments, in three queries.
    let ids: Vec<Uuid> = rows.iter().map(|(u, _)| u.id).collect();
    let placed: HashMap<Uuid, (DateTime<Utc>, Option<Uuid>, DateTime<Utc>)> = scope
        .user_program_assignments()
        .filter(user_program_assignments::user_id.eq_any(&ids))
        .select((
            user_program_assignments::user_id,
            (
                user_program_assignments::assigned_at,
                user_program_assignments::assigned_by,
                user_program_assignments::updated_at,
            ),
        ))
        .load::<(Uuid, (DateTime<Utc>, Option<Uuid>, DateTime<Utc>))>(conn)?
        .into_iter()
        .collect();
    let by_ids: Vec<Uuid> = placed.values().filter_map(|(_, by, _)| *by).collect();
    let names: HashMap<Uuid, String> = users::table
        .filter(users::id.eq_any(&by_ids))
        .select((users::id, users::username))
        .load::<(Uuid, String)>(conn)?
        .into_iter()
        .collect();
    let courses: HashMap<Uuid, i64> = scope
        .course_tutors()
        .filter(course_tutors::user_id.eq_any(&ids))
        .group_by(course_tutors::user_id)
        .select((course_tutors::user_id, diesel::dsl::count_star()))
        .load::<(Uuid, i64)>(conn)?
        .into_iter()
        .collect();
    let may_manage: std::collections::HashSet<Uuid> = manageable(&scope)
        .filter(users::id.eq_any(&ids))
        .select(users::id)
        .load::<Uuid>(conn)?
        .into_iter()
        .collect();
    let mut team = Vec::with_capacity(rows.len());
    for (user, total) in rows {
        let Some((assigned_at, by, updated_at)) = placed.get(&user.id).copied() else {
            continue; // taken off the team between the two queries
        };
        team.push((
            Member {
                manageable: may_manage.contains(&user.id),
                removable: may_remove(&scope, user.role),
                assigned_at,
                assigned_by: by.and_then(|id| names.get(&id).cloned()),
                course_assignments: courses.get(&user.id).copied().unwrap_or(0),
                version: crate::web::form::version(updated_at),
                user,
            },
            total,
        ));
    }
    Ok(team)
}

/// Adds a person `assignments::candidates` offers to the program; their username.
pub fn add(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    user_id: Uuid,
    by: Uuid,
) -> AppResult<String> {
    let offered = assignments::candidates(conn, scope)?;
    if !offered.iter().any(|(id, _)| *id == user_id) {
        return Err(AppError::NotFound);
    }
    let (username, role): (String, Role) = users::table
        .find(user_id)
        .select((users::username, users::role))
        .first(conn)?;
    user_program_assignments::insert()
        .values((
            user_program_assignments::user_id.eq(user_id),
            user_program_assignments::program_id.eq(scope.program_id()),
            user_program_assignments::assigned_by.eq(by),
        ))
        .execute(conn)?;
    let _ = role;
    Ok(username)
}

/// Takes someone `removable` gives off the program if their assignment is still the `version`
/// the page showed; their username and how many course assignments ended with it.
pub fn take_off(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    user_id: Uuid,
    version: &str,
) -> AppResult<(String, i64)> {
    let user: UserRow = removable(scope)
        .filter(users::id.eq(user_id))
        .select(UserRow::as_select())
        .first(conn)?;
    let updated_at: DateTime<Utc> = scope
        .user_program_assignments()
        .filter(user_program_assignments::user_id.eq(user.id))
        .select(user_program_assignments::updated_at)
        .for_update()
        .first(conn)?;
    check_version(version, updated_at, "This assignment")?;
    let teaching = crate::classes::taught_by(conn, scope, None, user.id)?;
    super::super::assignments::refuse_if_teaching(&teaching, scope.program_name())?;
    let ended: i64 = scope
        .course_tutors()
        .filter(course_tutors::user_id.eq(user.id))
        .count()
        .get_result(conn)?;
    diesel::delete(
        scope
            .user_program_assignments()
            .filter(user_program_assignments::user_id.eq(user.id)),
    )
    .execute(conn)?;
    Ok((user.username, ended))
}
