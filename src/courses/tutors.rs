//! Tutor assignment's queries: a course's tutors (`course_tutors`, with who assigned them and
//! when), assigning and unassigning; the pages are `tutor_handlers`.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use super::model::{self, Course};
use crate::{
    access::{ProgramScope, Role},
    error::AppResult,
    schema::{course_tutors, user_program_assignments, users},
    web::{form::check_version, format},
};

pub struct AssignedTutor {
    pub user_id: Uuid,
    pub username: String,
    pub assigned_by: String,
    /// When, in the academy's time zone.
    pub assigned_at: String,
    /// The assignment's version, for the unassign form.
    pub version: String,
}

/// The tutors section of a course page.
pub struct TutorsView {
    pub course: Course,
    pub assigned: Vec<AssignedTutor>,
    /// Tutors of the program not assigned yet: (id, username).
    pub available: Vec<(Uuid, String)>,
    pub can_assign: bool,
    pub error: String,
}

pub fn load(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    course: Course,
    can_assign: bool,
    zone: chrono_tz::Tz,
) -> AppResult<TutorsView> {
    // One query: each tutor with their username and who assigned them.
    let (tutor, assigner) = diesel::alias!(users as tutor, users as assigner);
    let rows: Vec<(Uuid, String, Option<String>, DateTime<Utc>, DateTime<Utc>)> = scope
        .course_tutors()
        .filter(course_tutors::course_id.eq(course.id))
        .inner_join(tutor.on(tutor.field(users::id).eq(course_tutors::user_id)))
        .left_join(assigner.on(course_tutors::assigned_by.eq(assigner.field(users::id).nullable())))
        .order(course_tutors::assigned_at.asc())
        .select((
            course_tutors::user_id,
            tutor.field(users::username),
            assigner.field(users::username).nullable(),
            course_tutors::assigned_at,
            course_tutors::updated_at,
        ))
        .load(conn)?;
    let assigned: Vec<AssignedTutor> = rows
        .into_iter()
        .map(|(user_id, username, by, at, updated_at)| AssignedTutor {
            user_id,
            username,
            assigned_by: by.unwrap_or_else(|| "—".into()),
            assigned_at: format::date_time(at, zone),
            version: crate::web::form::version(updated_at),
        })
        .collect();
    let available = if can_assign {
        program_tutors(conn, scope)?
            .into_iter()
            .filter(|(id, _)| !assigned.iter().any(|a| a.user_id == *id))
            .collect()
    } else {
        Vec::new()
    };
    Ok(TutorsView {
        course,
        assigned,
        available,
        can_assign,
        error: String::new(),
    })
}

/// Active tutors assigned to the program, by username.
fn program_tutors(conn: &mut PgConnection, scope: &ProgramScope) -> AppResult<Vec<(Uuid, String)>> {
    Ok(users::table
        .filter(users::role.eq(Role::Tutor))
        .filter(users::is_active.eq(true))
        .filter(
            users::id.eq_any(
                scope
                    .user_program_assignments()
                    .select(user_program_assignments::user_id),
            ),
        )
        .order(users::username.asc())
        .select((users::id, users::username))
        .load(conn)?)
}

pub enum Assigned {
    Done(String),
    Refused(String),
}

/// Assigns the program's tutor `raw` (an id as posted) to the course, and the section after it.
pub fn assign(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    course_id: Uuid,
    raw: &str,
    zone: chrono_tz::Tz,
) -> AppResult<(Assigned, TutorsView)> {
    let course = model::lock(conn, scope, course_id)?;
    let tutors = program_tutors(conn, scope)?;
    let chosen = raw
        .trim()
        .parse::<Uuid>()
        .ok()
        .and_then(|id| tutors.iter().find(|(t, _)| *t == id).cloned());
    let outcome = match chosen {
        None => Assigned::Refused("Choose a tutor of this program.".into()),
        Some((user_id, username)) => {
            let inserted = course_tutors::insert()
                .values((
                    course_tutors::course_id.eq(course_id),
                    course_tutors::program_id.eq(scope.program_id()),
                    course_tutors::user_id.eq(user_id),
                    course_tutors::assigned_by.eq(scope.actor_id()),
                ))
                .on_conflict_do_nothing()
                .execute(conn)?;
            if inserted == 0 {
                Assigned::Refused(format!("{username} already tutors this course."))
            } else {
                Assigned::Done(format!("{username} now tutors {}.", course.name))
            }
        }
    };
    Ok((outcome, load(conn, scope, course, true, zone)?))
}

/// Takes the tutor off the course if the assignment is still the `version` the page showed; the
/// message and the section after it.
pub fn unassign(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    course_id: Uuid,
    user_id: Uuid,
    version: &str,
    zone: chrono_tz::Tz,
) -> AppResult<(String, TutorsView)> {
    let course = model::lock(conn, scope, course_id)?;
    let assigned: DateTime<Utc> = scope
        .course_tutors()
        .filter(course_tutors::course_id.eq(course_id))
        .filter(course_tutors::user_id.eq(user_id))
        .select(course_tutors::updated_at)
        .for_update()
        .first(conn)?;
    check_version(version, assigned, "This assignment")?;
    let teaching = crate::classes::taught_by(conn, scope, Some(course_id), user_id)?;
    if let Some(classes) = crate::web::format::and_list(&teaching) {
        return Err(crate::error::AppError::conflict(format!(
            "This tutor teaches {classes} of {}: give the class another tutor first. Nothing was changed.",
            course.name
        )));
    }
    diesel::delete(
        scope
            .course_tutors()
            .filter(course_tutors::course_id.eq(course_id))
            .filter(course_tutors::user_id.eq(user_id)),
    )
    .execute(conn)?;
    let username: String = users::table
        .find(user_id)
        .select(users::username)
        .first(conn)?;
    let message = format!("{username} no longer tutors {}.", course.name);
    Ok((message, load(conn, scope, course, true, zone)?))
}
