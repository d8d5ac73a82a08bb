//! Makeups: a student excused from a session of their class joins a session of another class of
//! the same course that has a free place, for that session only. The place is counted under the
//! other class's lock: its running enrollments and the makeups already booked into the session.

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use super::AttendanceMark;
use crate::{
    access::ProgramScope,
    classes::{SessionLine, SessionStatus},
    enrollments::EnrollmentStatus,
    error::{AppError, AppResult},
    schema::{
        attendance as a, class_sessions as s, classes, course_enrollments as e, makeups as m,
    },
};

/// Sessions a makeup may be booked into this far ahead.
const AHEAD: Duration = Duration::days(60);

/// What the booking page shows: who, what was missed, and the sessions with a free place.
pub struct Choice {
    pub student: String,
    pub missed: SessionLine,
    pub options: Vec<(SessionLine, i64)>,
}

/// The enrollment's course and class, checked: the student was excused from `missed`.
fn excused(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    enrollment_id: Uuid,
    missed: Uuid,
) -> AppResult<(Uuid, Option<Uuid>)> {
    let mark: Option<AttendanceMark> = scope
        .attendance()
        .filter(a::session_id.eq(missed))
        .filter(a::enrollment_id.eq(enrollment_id))
        .select(a::mark)
        .first(conn)
        .optional()?;
    if mark != Some(AttendanceMark::Excused) {
        return Err(AppError::conflict(
            "A makeup is for an excused absence: mark the student excused from that session first.",
        ));
    }
    Ok(scope
        .course_enrollments()
        .filter(e::id.eq(enrollment_id))
        .select((e::course_id, e::class_id))
        .first(conn)?)
}

/// Places taken in each session: its class's running enrollments and the makeups booked into it.
fn taken(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    sessions: &[(Uuid, Uuid)],
) -> AppResult<Vec<i64>> {
    let class_ids: Vec<Uuid> = sessions.iter().map(|x| x.1).collect();
    let running: Vec<(Option<Uuid>, i64)> = scope
        .course_enrollments()
        .filter(e::class_id.eq_any(&class_ids))
        .filter(e::status.eq_any([EnrollmentStatus::Active, EnrollmentStatus::Paused]))
        .group_by(e::class_id)
        .select((e::class_id, diesel::dsl::count_star()))
        .load(conn)?;
    let session_ids: Vec<Uuid> = sessions.iter().map(|x| x.0).collect();
    let guests: Vec<(Uuid, i64)> = scope
        .makeups()
        .filter(m::session_id.eq_any(&session_ids))
        .group_by(m::session_id)
        .select((m::session_id, diesel::dsl::count_star()))
        .load(conn)?;
    Ok(sessions
        .iter()
        .map(|(session, class)| {
            let members = running
                .iter()
                .find(|r| r.0 == Some(*class))
                .map_or(0, |r| r.1);
            let booked = guests.iter().find(|g| g.0 == *session).map_or(0, |g| g.1);
            members + booked
        })
        .collect())
}

/// The sessions of the course's other classes, ahead and scheduled, with a free place.
pub fn choice(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    enrollment_id: Uuid,
    missed: Uuid,
    now: DateTime<Utc>,
) -> AppResult<Choice> {
    let (course, own_class) = excused(conn, scope, enrollment_id, missed)?;
    let missed = crate::classes::session(conn, scope, missed)?;
    let student = super::roster::name_of(conn, scope, enrollment_id)?;
    let mut query = scope
        .sessions_named()
        .filter(classes::course_id.eq(course))
        .filter(s::status.eq(SessionStatus::Scheduled))
        .filter(s::starts_at.gt(now))
        .filter(s::starts_at.lt(now + AHEAD))
        .into_boxed::<diesel::pg::Pg>();
    if let Some(own) = own_class {
        query = query.filter(s::class_id.ne(own));
    }
    let sessions: Vec<SessionLine> = query
        .order(s::starts_at)
        .limit(60)
        .select(crate::classes::session_columns())
        .load(conn)?;
    let capacities: Vec<(Uuid, i32)> = scope
        .classes()
        .filter(classes::id.eq_any(sessions.iter().map(|x| x.class_id).collect::<Vec<_>>()))
        .select((classes::id, classes::capacity))
        .load(conn)?;
    let pairs: Vec<(Uuid, Uuid)> = sessions.iter().map(|x| (x.id, x.class_id)).collect();
    let taken = taken(conn, scope, &pairs)?;
    let options = sessions
        .into_iter()
        .zip(taken)
        .filter_map(|(session, taken)| {
            let capacity = capacities.iter().find(|c| c.0 == session.class_id)?.1;
            let free = i64::from(capacity) - taken;
            (free > 0).then_some((session, free))
        })
        .collect();
    Ok(Choice {
        student,
        missed,
        options,
    })
}

/// Books the makeup; refused when the session has no free place any more (counted under its
/// class's lock), is not one offered, or the absence already has its makeup.
pub fn book(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    enrollment_id: Uuid,
    missed: Uuid,
    session_id: Uuid,
    now: DateTime<Utc>,
) -> AppResult<String> {
    conn.transaction(|conn| {
        let (course, own_class) = excused(conn, scope, enrollment_id, missed)?;
        let (class_id, starts_at, status): (Uuid, DateTime<Utc>, SessionStatus) = scope
            .class_sessions()
            .filter(s::id.eq(session_id))
            .select((s::class_id, s::starts_at, s::status))
            .first(conn)?;
        let (name, capacity, class_course): (String, i32, Uuid) = scope
            .classes()
            .filter(classes::id.eq(class_id))
            .select((classes::name, classes::capacity, classes::course_id))
            .for_update()
            .first(conn)?;
        if class_course != course
            || Some(class_id) == own_class
            || status != SessionStatus::Scheduled
            || starts_at <= now
        {
            return Err(AppError::invalid(
                "session_id",
                "Choose one of the sessions offered: a session ahead of another class of the same course.",
            ));
        }
        let taken = taken(conn, scope, &[(session_id, class_id)])?[0];
        if taken >= i64::from(capacity) {
            return Err(AppError::invalid(
                "session_id",
                format!("{name} has no free place in that session any more: choose another."),
            ));
        }
        let inserted = m::insert()
            .values((
                m::program_id.eq(scope.program_id()),
                m::enrollment_id.eq(enrollment_id),
                m::missed_session_id.eq(missed),
                m::session_id.eq(session_id),
                m::booked_by.eq(scope.actor_id()),
            ))
            .execute(conn);
        match inserted {
            Ok(_) => Ok(name),
            Err(diesel::result::Error::DatabaseError(
                diesel::result::DatabaseErrorKind::UniqueViolation,
                _,
            )) => Err(AppError::conflict(
                "This absence already has its makeup, or the student is already in that session. Nothing was changed.",
            )),
            Err(other) => Err(other.into()),
        }
    })
}
