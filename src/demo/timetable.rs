//! Demo timetable: each program's closures (a Christmas break), and for each tutored course one
//! to three classes at priced configurations, with a term of sessions that began four weeks ago.
//! Running enrollments of a class's configuration join it up to its places; two classes a program
//! are full, with two students on each waitlist. A program that has classes is left alone.

use chrono::{Datelike, Duration, NaiveDate, NaiveTime, Utc};
use chrono_tz::Tz;
use diesel::prelude::*;
use uuid::Uuid;

use crate::{
    classes::{self, Meeting},
    enrollments::EnrollmentStatus,
    error::AppError,
    schema::across_programs::{
        class_sessions, class_times, classes as c, course_enrollments as e, course_tutors,
        curricula, facility_course_pricing as p, program_closures, session_types,
    },
};

const CLASS_NAMES: &[&str] = &[
    "Dolphins",
    "Otters",
    "Seahorses",
    "Falcons",
    "Lions",
    "Eagles",
];

pub fn seed(conn: &mut PgConnection, program_id: Uuid, zone: Tz) -> Result<(), AppError> {
    let existing: i64 = c::table
        .filter(c::program_id.eq(program_id))
        .count()
        .get_result(conn)?;
    if existing > 0 {
        return Ok(());
    }
    let today = Utc::now().with_timezone(&zone).date_naive();
    let christmas = closure_of(today);
    diesel::insert_into(program_closures::table)
        .values((
            program_closures::program_id.eq(program_id),
            program_closures::name.eq(format!("Christmas break {}", christmas.start_date.year())),
            program_closures::start_date.eq(christmas.start_date),
            program_closures::end_date.eq(christmas.end_date),
        ))
        .execute(conn)?;
    let tutored: Vec<(Uuid, Uuid)> = course_tutors::table
        .filter(course_tutors::program_id.eq(program_id))
        .order((course_tutors::course_id, course_tutors::user_id))
        .select((course_tutors::course_id, course_tutors::user_id))
        .load(conn)?;
    let start = classes::monday_of(today) - Duration::weeks(4);
    let end = start + Duration::weeks(14) - Duration::days(1);
    // One (weekday, hour) per class across the program: no tutor is ever in two places.
    let mut slot = 0usize;
    let mut full_classes = 0;
    for (course_id, tutor_id) in tutored {
        let curriculum: Option<Uuid> = curricula::table
            .filter(curricula::course_id.eq(course_id))
            .order((curricula::sequence_order, curricula::id))
            .select(curricula::id)
            .first(conn)
            .optional()?;
        let prices: Vec<(Uuid, String, String, String)> = p::table
            .filter(p::program_id.eq(program_id))
            .filter(p::course_id.eq(course_id))
            .filter(p::is_active.eq(true))
            .filter(p::effective_date.le(start))
            .order((
                p::facility_id,
                p::age_group,
                p::location_type,
                p::session_type,
            ))
            .select((
                p::facility_id,
                p::age_group,
                p::location_type,
                p::session_type,
            ))
            .load(conn)?;
        for (k, (facility_id, age_group, location_type, session_type)) in
            prices.iter().take(3).enumerate()
        {
            let capacity: i32 = session_types::table
                .filter(session_types::program_id.eq(program_id))
                .filter(session_types::code.eq(session_type))
                .select(session_types::capacity)
                .first(conn)?;
            let meeting = Meeting {
                weekday: (slot % 6) as i16 + 1,
                start_time: NaiveTime::from_hms_opt(9 + (slot / 6) as u32 * 2, 0, 0)
                    .unwrap_or(NaiveTime::MIN),
                duration_minutes: 60,
            };
            slot += 1;
            let class_id: Uuid = diesel::insert_into(c::table)
                .values((
                    c::program_id.eq(program_id),
                    c::course_id.eq(course_id),
                    c::facility_id.eq(facility_id),
                    c::tutor_id.eq(tutor_id),
                    c::age_group.eq(age_group),
                    c::location_type.eq(location_type),
                    c::session_type.eq(session_type),
                    c::name.eq(CLASS_NAMES[(slot + k) % CLASS_NAMES.len()]),
                    c::capacity.eq(capacity.min(8)),
                    c::start_date.eq(start),
                    c::end_date.eq(end),
                    c::curriculum_id.eq(curriculum),
                ))
                .returning(c::id)
                .get_result(conn)?;
            diesel::insert_into(class_times::table)
                .values((
                    class_times::program_id.eq(program_id),
                    class_times::class_id.eq(class_id),
                    class_times::weekday.eq(meeting.weekday),
                    class_times::start_time.eq(meeting.start_time),
                    class_times::duration_minutes.eq(meeting.duration_minutes),
                ))
                .execute(conn)?;
            let rows: Vec<_> = classes::occurrences(start, end, &[meeting], &[christmas], zone)
                .into_iter()
                .map(|s| {
                    (
                        class_sessions::program_id.eq(program_id),
                        class_sessions::class_id.eq(class_id),
                        class_sessions::tutor_id.eq(tutor_id),
                        class_sessions::starts_at.eq(s.starts_at),
                        class_sessions::ends_at.eq(s.ends_at),
                    )
                })
                .collect();
            diesel::insert_into(class_sessions::table)
                .values(rows)
                .execute(conn)?;
            let joined = join_running(conn, program_id, class_id, capacity.min(8))?;
            // A few classes full, with a waitlist, as a busy term has them.
            if full_classes < 2 {
                full_classes += 1;
                let places = capacity.min(8).min((joined as i32).max(3));
                make_full_with_waitlist(conn, program_id, class_id, places, today)?;
            }
        }
    }
    Ok(())
}

/// The Christmas break around `today`: 22 December to 5 January.
fn closure_of(today: NaiveDate) -> classes::Closure {
    let year = if today.month() == 1 {
        today.year() - 1
    } else {
        today.year()
    };
    classes::Closure {
        start_date: NaiveDate::from_ymd_opt(year, 12, 22).unwrap_or(today),
        end_date: NaiveDate::from_ymd_opt(year + 1, 1, 5).unwrap_or(today),
    }
}

/// Puts up to `places` running enrollments of the class's configuration, in no class yet, into it.
fn join_running(
    conn: &mut PgConnection,
    program_id: Uuid,
    class_id: Uuid,
    places: i32,
) -> QueryResult<usize> {
    let (course_id, facility_id, age_group, location_type, session_type): (
        Uuid,
        Uuid,
        String,
        String,
        String,
    ) = c::table
        .find(class_id)
        .select((
            c::course_id,
            c::facility_id,
            c::age_group,
            c::location_type,
            c::session_type,
        ))
        .first(conn)?;
    let ids: Vec<Uuid> = e::table
        .filter(e::program_id.eq(program_id))
        .filter(e::course_id.eq(course_id))
        .filter(e::facility_id.eq(facility_id))
        .filter(e::age_group.eq(age_group))
        .filter(e::location_type.eq(location_type))
        .filter(e::session_type.eq(session_type))
        .filter(e::class_id.is_null())
        .filter(e::status.eq_any([EnrollmentStatus::Active, EnrollmentStatus::Paused]))
        .order(e::id)
        .limit(i64::from(places))
        .select(e::id)
        .load(conn)?;
    diesel::update(e::table.filter(e::id.eq_any(&ids)))
        .set(e::class_id.eq(class_id))
        .execute(conn)
}

/// Gives the class `places` (no fewer than the students it has), fills the free ones with active
/// students of the program not yet in its course at that facility, and puts two more on its
/// waitlist (in line a minute apart).
fn make_full_with_waitlist(
    conn: &mut PgConnection,
    program_id: Uuid,
    class_id: Uuid,
    places: i32,
    today: NaiveDate,
) -> QueryResult<()> {
    use crate::schema::across_programs::students as s;
    let (course_id, facility_id, age_group, location_type, session_type): (
        Uuid,
        Uuid,
        String,
        String,
        String,
    ) = diesel::update(c::table.find(class_id))
        .set(c::capacity.eq(places))
        .returning((
            c::course_id,
            c::facility_id,
            c::age_group,
            c::location_type,
            c::session_type,
        ))
        .get_result(conn)?;
    let taken = e::table
        .filter(e::course_id.eq(course_id))
        .filter(e::facility_id.eq(facility_id))
        .select(e::student_id);
    let running: i64 = e::table
        .filter(e::class_id.eq(class_id))
        .count()
        .get_result(conn)?;
    let free = (i64::from(places) - running).max(0);
    let newcomers: Vec<Uuid> = s::table
        .filter(s::program_id.eq(program_id))
        .filter(s::status.eq(crate::students::StudentStatus::Active))
        .filter(s::id.ne_all(taken))
        .order(s::student_id)
        .limit(free + 2)
        .select(s::id)
        .load(conn)?;
    let now = Utc::now();
    for (k, student_id) in newcomers.into_iter().enumerate() {
        let waits = k as i64 >= free;
        diesel::insert_into(e::table)
            .values((
                e::program_id.eq(program_id),
                e::student_id.eq(student_id),
                e::course_id.eq(course_id),
                e::facility_id.eq(facility_id),
                e::age_group.eq(&age_group),
                e::location_type.eq(&location_type),
                e::session_type.eq(&session_type),
                e::enrollment_date.eq(today),
                e::class_id.eq(class_id),
                e::status.eq(if waits {
                    EnrollmentStatus::Waitlisted
                } else {
                    EnrollmentStatus::Active
                }),
                e::waitlisted_at.eq(waits.then(|| now - Duration::minutes(10 - k as i64))),
            ))
            .execute(conn)?;
    }
    Ok(())
}
