//! Marking attendance: one mark per student and session (the unique key makes two people marking
//! at once leave one record), every change kept with who made it, the session marked taken, and
//! the session's lessons credited to those who attended.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use diesel::{pg::upsert::excluded, prelude::*};
use uuid::Uuid;

use super::{
    lessons,
    open::{open, roster_of},
    roster::RosterLine,
    AttendanceMark,
};
use crate::{
    access::ProgramScope,
    error::{AppError, AppResult},
    schema::{attendance as a, attendance_changes as ch, class_sessions as s},
};

/// Gives (or changes) one student's mark; returns their roster line as it now is.
pub fn mark(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    session_id: Uuid,
    enrollment_id: Uuid,
    mark: AttendanceMark,
    note: &str,
    zone: Tz,
) -> AppResult<RosterLine> {
    conn.transaction(|conn| {
        let now = Utc::now();
        let session = open(conn, scope, session_id, now, zone)?;
        let roster = roster_of(conn, scope, session.day)?;
        if !roster.iter().any(|l| l.enrollment_id == enrollment_id) {
            return Err(AppError::conflict(
                "This student is not enrolled in this class on the session's day.",
            ));
        }
        save(
            conn,
            scope,
            session.day.session_id,
            &[enrollment_id],
            mark,
            note,
            now,
        )?;
        lessons::credit_attended(conn, scope, session.day.session_id, &[enrollment_id])?;
        let mut line = roster_of(conn, scope, session.day)?
            .into_iter()
            .find(|l| l.enrollment_id == enrollment_id)
            .ok_or(AppError::NotFound)?;
        line.rate = super::reports::rates(conn, scope, &[enrollment_id])?
            .get(&enrollment_id)
            .copied();
        Ok(line)
    })
}

/// Marks present every student of the roster who has no mark yet; returns how many.
pub fn all_present(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    session_id: Uuid,
    zone: Tz,
) -> AppResult<usize> {
    conn.transaction(|conn| {
        let now = Utc::now();
        let session = open(conn, scope, session_id, now, zone)?;
        let unmarked: Vec<Uuid> = roster_of(conn, scope, session.day)?
            .into_iter()
            .filter(|l| l.mark.is_none())
            .map(|l| l.enrollment_id)
            .collect();
        save(
            conn,
            scope,
            session_id,
            &unmarked,
            AttendanceMark::Present,
            "",
            now,
        )?;
        lessons::credit_attended(conn, scope, session_id, &unmarked)?;
        Ok(unmarked.len())
    })
}

/// Writes the marks (insert or update, one statement), their changes, and the session's "taken".
fn save(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    session_id: Uuid,
    enrollments: &[Uuid],
    mark: AttendanceMark,
    note: &str,
    now: DateTime<Utc>,
) -> AppResult<()> {
    if enrollments.is_empty() {
        return Ok(());
    }
    let note = note.trim();
    if note.chars().count() > 500 {
        return Err(AppError::invalid(
            "note",
            "Keep the note under 500 characters.",
        ));
    }
    // The marks before, locked: the change log says what each was.
    let before: Vec<(Uuid, AttendanceMark, String)> = scope
        .attendance()
        .filter(a::session_id.eq(session_id))
        .filter(a::enrollment_id.eq_any(enrollments))
        .select((a::enrollment_id, a::mark, a::note))
        .for_update()
        .load(conn)?;
    let rows: Vec<_> = enrollments
        .iter()
        .map(|id| {
            (
                a::program_id.eq(scope.program_id()),
                a::session_id.eq(session_id),
                a::enrollment_id.eq(*id),
                a::mark.eq(mark),
                a::note.eq(note),
                a::marked_by.eq(scope.actor_id()),
            )
        })
        .collect();
    a::insert()
        .values(rows)
        .on_conflict((a::session_id, a::enrollment_id))
        .do_update()
        .set((
            a::mark.eq(excluded(a::mark)),
            a::note.eq(excluded(a::note)),
            a::marked_by.eq(excluded(a::marked_by)),
        ))
        .execute(conn)?;
    let changes: Vec<_> = enrollments
        .iter()
        .filter(|id| {
            !before
                .iter()
                .any(|(e, m, n)| e == *id && *m == mark && n == note)
        })
        .map(|id| {
            (
                ch::program_id.eq(scope.program_id()),
                ch::session_id.eq(session_id),
                ch::enrollment_id.eq(*id),
                ch::from_mark.eq(before.iter().find(|b| b.0 == *id).map(|b| b.1)),
                ch::to_mark.eq(mark),
                ch::note.eq(note),
                ch::changed_by.eq(scope.actor_id()),
            )
        })
        .collect();
    if !changes.is_empty() {
        ch::insert().values(changes).execute(conn)?;
    }
    diesel::update(
        scope
            .class_sessions()
            .filter(s::id.eq(session_id))
            .filter(s::attendance_taken_at.is_null()),
    )
    .set((
        s::attendance_taken_at.eq(now),
        s::attendance_taken_by.eq(scope.actor_id()),
    ))
    .execute(conn)?;
    Ok(())
}
