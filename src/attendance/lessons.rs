//! The lessons a session covered, from its class's curriculum, and the credits they give: each
//! student marked present or late is credited with them; a mark changed to absent takes the
//! session's credits back. Credits by hand (a makeup done elsewhere) keep who and why.

use std::collections::HashSet;

use chrono::Utc;
use chrono_tz::Tz;
use diesel::prelude::*;
use uuid::Uuid;

use super::{open, progress, AttendanceMark};
use crate::{
    access::ProgramScope,
    error::{AppError, AppResult},
    schema::{
        attendance as a, lesson_credit_changes as lc, lesson_credits as c, session_lessons as sl,
    },
};

/// Sets the lessons the session covered to `lesson_ids` (of its class's curriculum) and credits
/// them to the students who attended; returns how many lessons.
pub fn cover(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    session_id: Uuid,
    lesson_ids: &[Uuid],
    zone: Tz,
) -> AppResult<usize> {
    conn.transaction(|conn| {
        let session = open::open(conn, scope, session_id, Utc::now(), zone)?;
        let Some(curriculum) = session.curriculum_id else {
            return Err(AppError::conflict(
                "This class follows no curriculum: a coordinator chooses one on the class's page.",
            ));
        };
        let of_curriculum: HashSet<Uuid> =
            crate::curricula::lessons_of(conn, scope, &[curriculum])?
                .into_iter()
                .map(|l| l.id)
                .collect();
        let chosen: Vec<Uuid> = lesson_ids
            .iter()
            .copied()
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        if chosen.iter().any(|l| !of_curriculum.contains(l)) {
            return Err(AppError::invalid(
                "lesson_ids",
                "Tick lessons of the class's curriculum only.",
            ));
        }
        diesel::delete(
            scope
                .session_lessons()
                .filter(sl::session_id.eq(session_id))
                .filter(sl::lesson_id.ne_all(&chosen)),
        )
        .execute(conn)?;
        let rows: Vec<_> = chosen
            .iter()
            .map(|l| {
                (
                    sl::program_id.eq(scope.program_id()),
                    sl::session_id.eq(session_id),
                    sl::lesson_id.eq(*l),
                    sl::created_by.eq(scope.actor_id()),
                )
            })
            .collect();
        sl::insert()
            .values(rows)
            .on_conflict_do_nothing()
            .execute(conn)?;
        let marked: Vec<Uuid> = scope
            .attendance()
            .filter(a::session_id.eq(session_id))
            .select(a::enrollment_id)
            .load(conn)?;
        credit_attended(conn, scope, session_id, &marked)?;
        Ok(chosen.len())
    })
}

/// Brings the credits that `session_id` gives to `enrollments` in line with their marks and the
/// session's lessons, then their progress.
pub(super) fn credit_attended(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    session_id: Uuid,
    enrollments: &[Uuid],
) -> AppResult<()> {
    if enrollments.is_empty() {
        return Ok(());
    }
    let covered: Vec<Uuid> = scope
        .session_lessons()
        .filter(sl::session_id.eq(session_id))
        .select(sl::lesson_id)
        .load(conn)?;
    let attended: Vec<Uuid> = scope
        .attendance()
        .filter(a::session_id.eq(session_id))
        .filter(a::enrollment_id.eq_any(enrollments))
        .filter(a::mark.eq_any([AttendanceMark::Present, AttendanceMark::Late]))
        .select(a::enrollment_id)
        .load(conn)?;
    // What this session credited and no longer should: a lesson unticked, a mark now absent.
    diesel::delete(
        scope
            .lesson_credits()
            .filter(c::session_id.eq(session_id))
            .filter(c::enrollment_id.eq_any(enrollments))
            .filter(
                c::lesson_id
                    .ne_all(&covered)
                    .or(c::enrollment_id.ne_all(&attended)),
            ),
    )
    .execute(conn)?;
    let rows: Vec<_> = attended
        .iter()
        .flat_map(|e| covered.iter().map(move |l| (*e, *l)))
        .map(|(e, l)| {
            (
                c::program_id.eq(scope.program_id()),
                c::enrollment_id.eq(e),
                c::lesson_id.eq(l),
                c::session_id.eq(Some(session_id)),
                c::credited_by.eq(scope.actor_id()),
            )
        })
        .collect();
    if !rows.is_empty() {
        c::insert()
            .values(rows)
            .on_conflict((c::enrollment_id, c::lesson_id))
            .do_nothing()
            .execute(conn)?;
    }
    progress::recompute(conn, scope, enrollments)
}

/// Credits or takes back one lesson of one student by hand, with the reason kept.
pub fn set_by_hand(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    enrollment_id: Uuid,
    lesson_id: Uuid,
    credited: bool,
    reason: &str,
) -> AppResult<()> {
    let reason = reason.trim();
    if reason.is_empty() || reason.chars().count() > 500 {
        return Err(AppError::invalid(
            "reason",
            "Say why (at most 500 characters): it is kept with the change.",
        ));
    }
    conn.transaction(|conn| {
        let curriculum = super::progress::curriculum_of(conn, scope, enrollment_id)?
            .ok_or_else(|| AppError::conflict("This enrollment follows no curriculum yet: put it in a class that follows one."))?;
        let lessons = crate::curricula::lessons_of(conn, scope, &[curriculum])?;
        if !lessons.iter().any(|l| l.id == lesson_id) {
            return Err(AppError::NotFound);
        }
        if credited {
            c::insert()
                .values((
                    c::program_id.eq(scope.program_id()),
                    c::enrollment_id.eq(enrollment_id),
                    c::lesson_id.eq(lesson_id),
                    c::credited_by.eq(scope.actor_id()),
                    c::reason.eq(reason),
                ))
                .on_conflict((c::enrollment_id, c::lesson_id))
                .do_nothing()
                .execute(conn)?;
        } else {
            diesel::delete(
                scope
                    .lesson_credits()
                    .filter(c::enrollment_id.eq(enrollment_id))
                    .filter(c::lesson_id.eq(lesson_id)),
            )
            .execute(conn)?;
        }
        lc::insert()
            .values((
                lc::program_id.eq(scope.program_id()),
                lc::enrollment_id.eq(enrollment_id),
                lc::lesson_id.eq(lesson_id),
                lc::credited.eq(credited),
                lc::reason.eq(reason),
                lc::changed_by.eq(scope.actor_id()),
            ))
            .execute(conn)?;
        progress::recompute(conn, scope, &[enrollment_id])
    })
}
