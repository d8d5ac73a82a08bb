//! Creating, changing, archiving and deleting a class: every rule of docs/decisions.md ("The
//! timetable") checked in the transaction that saves it; a change of times, dates or tutor
//! remakes the sessions still ahead.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use diesel::prelude::*;
use uuid::Uuid;

use super::{
    model::{counts_of, times_of, Class, ClassCommand},
    schedule::Meeting,
    sessions, ClassStatus,
};
use crate::{
    access::ProgramScope,
    error::{AppError, AppResult},
    offerings::Choices,
    pricing::{self, PriceKey},
    schema::{class_times, classes, course_enrollments, course_tutors, curricula, session_types},
    web::form::check_version,
};

fn lock(conn: &mut PgConnection, scope: &ProgramScope, id: Uuid) -> AppResult<Class> {
    Ok(scope
        .classes()
        .filter(classes::id.eq(id))
        .select(Class::as_select())
        .for_update()
        .first(conn)?)
}

/// Every rule a class keeps (docs/decisions.md, "The timetable"), checked in the transaction that
/// saves it; the capacity it gets.
fn check(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    c: &ClassCommand,
    today: NaiveDate,
) -> AppResult<i32> {
    crate::courses::require_active(conn, scope, c.course_id, "classes")?;
    let offered = Choices::of_course(conn, scope, c.course_id)?;
    if !offered.offers(&c.age_group, &c.location_type, &c.session_type) {
        return Err(AppError::invalid(
            "session_type",
            "The course does not offer this combination of age group, location and session type.",
        ));
    }
    let (facility_name, facility_capacity) =
        crate::facilities::require_active(conn, scope, c.facility_id, "classes")?;
    if let Some(curriculum) = c.curriculum_id {
        let of_course = scope
            .curricula()
            .filter(curricula::id.eq(curriculum))
            .filter(curricula::course_id.eq(c.course_id))
            .count()
            .get_result::<i64>(conn)?;
        if of_course == 0 {
            return Err(AppError::invalid(
                "curriculum_id",
                "Choose a curriculum of this course, or none.",
            ));
        }
    }
    let tutor = scope
        .course_tutors()
        .filter(course_tutors::course_id.eq(c.course_id))
        .filter(course_tutors::user_id.eq(c.tutor_id))
        .select(course_tutors::user_id)
        .first::<Uuid>(conn)
        .optional()?;
    if tutor.is_none() {
        return Err(AppError::invalid(
            "tutor_id",
            "Choose a tutor assigned to this course (a program admin assigns tutors on the course page).",
        ));
    }
    let key = PriceKey {
        facility_id: c.facility_id,
        course_id: c.course_id,
        age_group: c.age_group.clone(),
        location_type: c.location_type.clone(),
        session_type: c.session_type.clone(),
    };
    let on = c.start_date.max(today);
    if pricing::price_in_force(conn, scope, &key, on)?.is_none() {
        return Err(AppError::invalid(
            "facility_id",
            format!("{facility_name} has no price in force for this configuration, so it cannot have such a class. Ask a program admin to set one."),
        ));
    }
    let session_capacity: i32 = scope
        .session_types()
        .filter(session_types::code.eq(&c.session_type))
        .select(session_types::capacity)
        .first(conn)?;
    let most = session_capacity.min(facility_capacity);
    match c.capacity {
        None => Ok(most),
        Some(n) if n > facility_capacity => Err(AppError::invalid(
            "capacity",
            format!("{facility_name} holds {facility_capacity} people: a class there has at most {facility_capacity} places."),
        )),
        Some(n) if n > session_capacity => Err(AppError::invalid(
            "capacity",
            format!("This session type takes at most {session_capacity} students: lower the places to {session_capacity} or fewer."),
        )),
        Some(n) => Ok(n),
    }
}

pub fn insert(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    c: &ClassCommand,
    today: NaiveDate,
    zone: Tz,
) -> AppResult<Uuid> {
    let capacity = check(conn, scope, c, today)?;
    let id: Uuid = classes::insert()
        .values((
            classes::program_id.eq(scope.program_id()),
            classes::course_id.eq(c.course_id),
            classes::facility_id.eq(c.facility_id),
            classes::tutor_id.eq(c.tutor_id),
            classes::age_group.eq(&c.age_group),
            classes::location_type.eq(&c.location_type),
            classes::session_type.eq(&c.session_type),
            classes::name.eq(&c.name),
            classes::capacity.eq(capacity),
            classes::start_date.eq(c.start_date),
            classes::end_date.eq(c.end_date),
            classes::curriculum_id.eq(c.curriculum_id),
        ))
        .returning(classes::id)
        .get_result(conn)?;
    save_times(conn, scope, id, &c.times)?;
    sessions::generate(conn, scope, id, Utc::now(), zone)?;
    Ok(id)
}

fn save_times(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    class_id: Uuid,
    times: &[Meeting],
) -> AppResult<()> {
    diesel::delete(
        scope
            .class_times()
            .filter(class_times::class_id.eq(class_id)),
    )
    .execute(conn)?;
    let rows: Vec<_> = times
        .iter()
        .map(|m| {
            (
                class_times::program_id.eq(scope.program_id()),
                class_times::class_id.eq(class_id),
                class_times::weekday.eq(m.weekday),
                class_times::start_time.eq(m.start_time),
                class_times::duration_minutes.eq(m.duration_minutes),
            )
        })
        .collect();
    class_times::insert().values(rows).execute(conn)?;
    Ok(())
}

/// Saves the class; a change of times, dates or tutor regenerates its future sessions (those
/// already past stay as they were).
pub fn update(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    id: Uuid,
    c: &ClassCommand,
    version: &str,
    today: NaiveDate,
    zone: Tz,
) -> AppResult<()> {
    let before = lock(conn, scope, id)?;
    check_version(version, before.updated_at, "This class")?;
    if c.course_id != before.course_id {
        return Err(AppError::invalid(
            "course_id",
            "A class keeps its course; create a new class for another course.",
        ));
    }
    let capacity = check(conn, scope, c, today)?;
    let counts = counts_of(conn, scope, &[id])?;
    let (filled, _) = counts.get(&id).copied().unwrap_or((0, 0));
    if i64::from(capacity) < filled {
        return Err(AppError::invalid(
            "capacity",
            format!(
                "{filled} students are enrolled in this class: it needs at least {filled} places."
            ),
        ));
    }
    let old_times = times_of(conn, scope, &[id])?
        .remove(&id)
        .unwrap_or_default();
    let reschedule = old_times != c.times
        || before.start_date != c.start_date
        || before.end_date != c.end_date
        || before.tutor_id != c.tutor_id;
    diesel::update(scope.classes().filter(classes::id.eq(id)))
        .set((
            classes::facility_id.eq(c.facility_id),
            classes::tutor_id.eq(c.tutor_id),
            classes::age_group.eq(&c.age_group),
            classes::location_type.eq(&c.location_type),
            classes::session_type.eq(&c.session_type),
            classes::name.eq(&c.name),
            classes::capacity.eq(capacity),
            classes::start_date.eq(c.start_date),
            classes::end_date.eq(c.end_date),
            classes::curriculum_id.eq(c.curriculum_id),
        ))
        .execute(conn)
        .map_err(|e| match AppError::from(e) {
            // The composite key: enrollments hold the class's facility and configuration.
            AppError::Conflict(_) => AppError::invalid(
                "facility_id",
                "Students are enrolled in this class: its facility and configuration stay as they are. Create a new class instead.",
            ),
            other => other,
        })?;
    if reschedule {
        save_times(conn, scope, id, &c.times)?;
        sessions::regenerate(conn, scope, id, Utc::now(), zone)?;
    }
    if before.curriculum_id != c.curriculum_id {
        if let Some(curriculum) = c.curriculum_id {
            crate::attendance::recompute_for_curriculum(conn, scope, curriculum)?;
        }
    }
    Ok(())
}

pub fn set_status(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    id: Uuid,
    status: ClassStatus,
    version: &str,
) -> AppResult<String> {
    let class = lock(conn, scope, id)?;
    check_version(version, class.updated_at, "This class")?;
    diesel::update(scope.classes().filter(classes::id.eq(id)))
        .set(classes::status.eq(status))
        .execute(conn)?;
    Ok(class.name)
}

/// Deletes a class that has neither enrollments nor past sessions; its future sessions go with it.
pub fn delete(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    id: Uuid,
    version: &str,
    now: DateTime<Utc>,
) -> AppResult<String> {
    let class = lock(conn, scope, id)?;
    check_version(version, class.updated_at, "This class")?;
    let enrolled: i64 = scope
        .course_enrollments()
        .filter(course_enrollments::class_id.eq(id))
        .count()
        .get_result(conn)?;
    if enrolled > 0 {
        return Err(AppError::conflict(format!(
            "{} has enrollments, so it cannot be deleted. Archive it instead.",
            class.name
        )));
    }
    if sessions::has_past(conn, scope, id, now)? {
        return Err(AppError::conflict(format!(
            "{} has sessions in the past, so it cannot be deleted. Archive it instead.",
            class.name
        )));
    }
    sessions::delete_all(conn, scope, id)?;
    diesel::delete(scope.classes().filter(classes::id.eq(id))).execute(conn)?;
    Ok(class.name)
}
