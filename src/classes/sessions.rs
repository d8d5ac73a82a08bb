//! A class's dated sessions: generated from its weekly pattern, regenerated when the pattern
//! changes (the past stays), and changed one at a time (cancelled, moved, given a substitute).
//! A tutor is never in two scheduled sessions at once: the clash is named here, and the
//! database's exclusion constraint keeps it true under concurrent writes.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use chrono_tz::Tz;
use diesel::{
    pg::Pg,
    prelude::*,
    result::{DatabaseErrorKind, Error as DieselError},
};
use uuid::Uuid;

use super::{
    model::{self, closures, times_of},
    schedule::{self, Slot},
    SessionStatus,
};
use crate::{
    access::ProgramScope,
    error::{AppError, AppResult},
    schema::{class_sessions, classes, courses, facilities, users},
    web::{form::check_version, format},
};

/// A session as the calendar and the class page show it.
#[derive(Debug, Clone, Queryable)]
pub struct SessionLine {
    pub id: Uuid,
    pub class_id: Uuid,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub status: SessionStatus,
    pub cancel_reason: String,
    pub substitute: bool,
    pub moved: bool,
    pub updated_at: DateTime<Utc>,
    /// When its attendance was first marked.
    pub attendance_taken_at: Option<DateTime<Utc>>,
    pub class_name: String,
    pub course_id: Uuid,
    pub course_name: String,
    pub facility_id: Uuid,
    pub facility_name: String,
    pub tutor_id: Uuid,
    pub tutor_full_name: String,
    pub tutor_username: String,
}

impl SessionLine {
    pub fn tutor_name(&self) -> &str {
        crate::users::display_name(&self.tutor_full_name, &self.tutor_username)
    }

    pub fn is_cancelled(&self) -> bool {
        self.status == SessionStatus::Cancelled
    }

    pub fn version(&self) -> String {
        crate::web::form::version(self.updated_at)
    }
}

/// The columns of a `SessionLine`, over `ProgramScope::sessions_named`.
#[diesel::dsl::auto_type]
pub fn line_columns() -> _ {
    (
        class_sessions::id,
        class_sessions::class_id,
        class_sessions::starts_at,
        class_sessions::ends_at,
        class_sessions::status,
        class_sessions::cancel_reason,
        class_sessions::substitute,
        class_sessions::moved,
        class_sessions::updated_at,
        class_sessions::attendance_taken_at,
        classes::name,
        classes::course_id,
        courses::name,
        classes::facility_id,
        facilities::name,
        class_sessions::tutor_id,
        users::full_name,
        users::username,
    )
}

/// What the week calendar shows.
#[derive(Debug, Default, Clone)]
pub struct WeekFilter {
    pub facility_id: Option<Uuid>,
    pub tutor_id: Option<Uuid>,
    pub course_id: Option<Uuid>,
    pub class_id: Option<Uuid>,
}

/// The program's sessions from `from` (inclusive) to `to` (exclusive), in time order; a tutor
/// sees only the sessions they teach.
pub fn week(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    filter: &WeekFilter,
) -> QueryResult<Vec<SessionLine>> {
    let mut query = scope
        .sessions_named()
        .filter(class_sessions::starts_at.ge(from))
        .filter(class_sessions::starts_at.lt(to))
        .select(line_columns())
        .into_boxed::<Pg>();
    if let Some(id) = filter.facility_id {
        query = query.filter(classes::facility_id.eq(id));
    }
    if let Some(id) = filter.tutor_id.or(scope.tutor_id()) {
        query = query.filter(class_sessions::tutor_id.eq(id));
    }
    if let Some(id) = filter.course_id {
        query = query.filter(classes::course_id.eq(id));
    }
    if let Some(id) = filter.class_id {
        query = query.filter(class_sessions::class_id.eq(id));
    }
    query
        .order((class_sessions::starts_at.asc(), class_sessions::id.asc()))
        .limit(2000)
        .load(conn)
}

/// One session, with its class's names.
pub fn find(conn: &mut PgConnection, scope: &ProgramScope, id: Uuid) -> AppResult<SessionLine> {
    let mut query = scope
        .sessions_named()
        .filter(class_sessions::id.eq(id))
        .select(line_columns())
        .into_boxed::<Pg>();
    if let Some(tutor) = scope.tutor_id() {
        query = query.filter(class_sessions::tutor_id.eq(tutor));
    }
    Ok(query.first(conn)?)
}

/// A class's sessions from `from` on, at most `limit`.
pub fn of_class(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    class_id: Uuid,
    from: DateTime<Utc>,
    limit: i64,
) -> QueryResult<Vec<SessionLine>> {
    scope
        .sessions_named()
        .filter(class_sessions::class_id.eq(class_id))
        .filter(class_sessions::ends_at.gt(from))
        .order(class_sessions::starts_at.asc())
        .select(line_columns())
        .limit(limit)
        .load(conn)
}

/// Generates the class's sessions from its pattern, dates and the program's closures, those that
/// start after `now` only.
pub fn generate(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    class_id: Uuid,
    now: DateTime<Utc>,
    zone: Tz,
) -> AppResult<usize> {
    let class: model::Class = scope
        .classes()
        .filter(classes::id.eq(class_id))
        .select(model::Class::as_select())
        .first(conn)?;
    let meetings = times_of(conn, scope, &[class_id])?
        .remove(&class_id)
        .unwrap_or_default();
    let slots: Vec<Slot> = schedule::occurrences(
        class.start_date,
        class.end_date,
        &meetings,
        &closures(conn, scope)?,
        zone,
    )
    .into_iter()
    .filter(|s| s.starts_at > now)
    .collect();
    // Sessions ahead that regenerating kept (their attendance is taken): none doubled.
    let kept: Vec<(DateTime<Utc>, DateTime<Utc>)> = scope
        .class_sessions()
        .filter(class_sessions::class_id.eq(class_id))
        .filter(class_sessions::starts_at.gt(now))
        .select((class_sessions::starts_at, class_sessions::ends_at))
        .load(conn)?;
    let slots: Vec<Slot> = slots
        .into_iter()
        .filter(|s| !kept.iter().any(|k| k.0 < s.ends_at && k.1 > s.starts_at))
        .collect();
    refuse_clashes(conn, scope, class.tutor_id, &slots, None, zone)?;
    let rows: Vec<_> = slots
        .iter()
        .map(|s| {
            (
                class_sessions::program_id.eq(scope.program_id()),
                class_sessions::class_id.eq(class_id),
                class_sessions::tutor_id.eq(class.tutor_id),
                class_sessions::starts_at.eq(s.starts_at),
                class_sessions::ends_at.eq(s.ends_at),
            )
        })
        .collect();
    let mut written = 0;
    // Postgres takes at most 65,535 parameters a statement: 5 a row.
    for chunk in rows.chunks(10_000) {
        written += class_sessions::insert()
            .values(chunk)
            .execute(conn)
            .map_err(clash_elsewhere)?;
    }
    Ok(written)
}

/// Replaces the class's sessions that have not started yet with those of its pattern now; one
/// whose attendance is already taken (from 30 minutes before its start), or with a makeup booked
/// into it, stays.
pub fn regenerate(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    class_id: Uuid,
    now: DateTime<Utc>,
    zone: Tz,
) -> AppResult<usize> {
    diesel::delete(
        scope
            .class_sessions()
            .filter(class_sessions::class_id.eq(class_id))
            .filter(class_sessions::starts_at.gt(now))
            .filter(class_sessions::attendance_taken_at.is_null())
            .filter(diesel::dsl::not(diesel::dsl::exists(
                scope
                    .makeups()
                    .filter(crate::schema::makeups::session_id.eq(class_sessions::id)),
            ))),
    )
    .execute(conn)?;
    generate(conn, scope, class_id, now, zone)
}

pub fn has_past(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    class_id: Uuid,
    now: DateTime<Utc>,
) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        scope
            .class_sessions()
            .filter(class_sessions::class_id.eq(class_id))
            .filter(class_sessions::starts_at.le(now)),
    ))
    .get_result(conn)
}

pub fn delete_all(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    class_id: Uuid,
) -> QueryResult<usize> {
    diesel::delete(
        scope
            .class_sessions()
            .filter(class_sessions::class_id.eq(class_id)),
    )
    .execute(conn)
}

/// The exclusion constraint caught a clash the check above could not see: a session of another
/// program (never named here), or one written meanwhile.
fn clash_elsewhere(e: DieselError) -> AppError {
    match &e {
        DieselError::DatabaseError(DatabaseErrorKind::Unknown, info)
            if info.constraint_name() == Some("class_sessions_tutor_clash") =>
        {
            AppError::invalid(
                "tutor_id",
                "The tutor already teaches at one of these times (in another program, or in a session just added). Choose another tutor or time.",
            )
        }
        _ => e.into(),
    }
}

/// Refuses `slots` if the tutor already teaches a scheduled session of this program at an
/// overlapping time (other than `except`), naming the first clash.
fn refuse_clashes(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    tutor_id: Uuid,
    slots: &[Slot],
    except: Option<Uuid>,
    zone: Tz,
) -> AppResult<()> {
    let (Some(first), Some(last)) = (slots.first(), slots.iter().map(|s| s.ends_at).max()) else {
        return Ok(());
    };
    let mut query = scope
        .sessions_named()
        .filter(class_sessions::tutor_id.eq(tutor_id))
        .filter(class_sessions::status.eq(SessionStatus::Scheduled))
        .filter(class_sessions::starts_at.lt(last))
        .filter(class_sessions::ends_at.gt(first.starts_at))
        .order(class_sessions::starts_at.asc())
        .select(line_columns())
        .into_boxed::<Pg>();
    if let Some(id) = except {
        query = query.filter(class_sessions::id.ne(id));
    }
    let booked: Vec<SessionLine> = query.load(conn)?;
    for slot in slots {
        if let Some(other) = booked
            .iter()
            .find(|b| b.starts_at < slot.ends_at && slot.starts_at < b.ends_at)
        {
            return Err(AppError::invalid(
                "tutor_id",
                format!(
                    "{} already teaches {} ({}) on {}: that clashes with the session on {}.",
                    other.tutor_name(),
                    other.class_name,
                    other.course_name,
                    format::date_time(other.starts_at, zone),
                    format::date_time(slot.starts_at, zone),
                ),
            ));
        }
    }
    Ok(())
}

/// A session as its changes need it, its row locked for the rest of the transaction and its
/// version checked.
#[derive(Queryable)]
struct Locked {
    class_id: Uuid,
    tutor_id: Uuid,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    status: SessionStatus,
    updated_at: DateTime<Utc>,
}

fn lock(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    id: Uuid,
    version: &str,
) -> AppResult<Locked> {
    let session: Locked = scope
        .class_sessions()
        .filter(class_sessions::id.eq(id))
        .select((
            class_sessions::class_id,
            class_sessions::tutor_id,
            class_sessions::starts_at,
            class_sessions::ends_at,
            class_sessions::status,
            class_sessions::updated_at,
        ))
        .for_update()
        .first(conn)?;
    check_version(version, session.updated_at, "This session")?;
    Ok(session)
}

pub fn cancel(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    id: Uuid,
    reason: &str,
    version: &str,
) -> AppResult<()> {
    if lock(conn, scope, id, version)?.status == SessionStatus::Cancelled {
        return Err(AppError::conflict("This session is already cancelled."));
    }
    diesel::update(scope.class_sessions().filter(class_sessions::id.eq(id)))
        .set((
            class_sessions::status.eq(SessionStatus::Cancelled),
            class_sessions::cancel_reason.eq(reason),
        ))
        .execute(conn)?;
    Ok(())
}

/// Puts the session on another date and time (the academy's), the tutor's clashes refused.
#[allow(clippy::too_many_arguments)]
pub fn reschedule(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    id: Uuid,
    day: NaiveDate,
    time: NaiveTime,
    minutes: i32,
    version: &str,
    zone: Tz,
) -> AppResult<Uuid> {
    let session = lock(conn, scope, id, version)?;
    if session.status == SessionStatus::Cancelled {
        return Err(AppError::invalid(
            "date",
            "A cancelled session cannot be moved.",
        ));
    }
    let slot = schedule::slot(day, time, minutes, zone);
    refuse_clashes(conn, scope, session.tutor_id, &[slot], Some(id), zone)
        .map_err(|e| rename(e, "date"))?;
    diesel::update(scope.class_sessions().filter(class_sessions::id.eq(id)))
        .set((
            class_sessions::starts_at.eq(slot.starts_at),
            class_sessions::ends_at.eq(slot.ends_at),
            class_sessions::moved.eq(true),
        ))
        .execute(conn)
        .map_err(|e| rename(clash_elsewhere(e), "date"))?;
    Ok(session.class_id)
}

/// Gives the session to another tutor of the program (or back to the class's own).
pub fn substitute(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    id: Uuid,
    tutor_id: Uuid,
    version: &str,
    zone: Tz,
) -> AppResult<()> {
    let session = lock(conn, scope, id, version)?;
    if !model::program_tutors(conn, scope)?
        .iter()
        .any(|(t, _)| *t == tutor_id)
    {
        return Err(AppError::invalid(
            "tutor_id",
            "Choose an active tutor of this program.",
        ));
    }
    let slot = Slot {
        starts_at: session.starts_at,
        ends_at: session.ends_at,
    };
    refuse_clashes(conn, scope, tutor_id, &[slot], Some(id), zone)?;
    let own: Uuid = scope
        .classes()
        .filter(classes::id.eq(session.class_id))
        .select(classes::tutor_id)
        .first(conn)?;
    diesel::update(scope.class_sessions().filter(class_sessions::id.eq(id)))
        .set((
            class_sessions::tutor_id.eq(tutor_id),
            class_sessions::substitute.eq(tutor_id != own),
        ))
        .execute(conn)
        .map_err(clash_elsewhere)?;
    Ok(())
}

/// A refusal's messages under another field of the form.
fn rename(e: AppError, field: &'static str) -> AppError {
    match e {
        AppError::Invalid(errors) => AppError::invalid(field, errors.summary()),
        other => other,
    }
}
