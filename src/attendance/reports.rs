//! What the marks add up to: each enrollment's attendance rate, and the students absent from
//! their last sessions, for the front desk to call.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use super::AttendanceMark;
use crate::{
    access::ProgramScope,
    error::AppResult,
    schema::{attendance as a, class_sessions as s, course_enrollments as e, students},
};

/// Sessions attended (present or late) and sessions marked, by enrollment (one query).
pub fn rates(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    enrollment_ids: &[Uuid],
) -> AppResult<HashMap<Uuid, (i64, i64)>> {
    let rows: Vec<(Uuid, AttendanceMark, i64)> = scope
        .attendance()
        .filter(a::enrollment_id.eq_any(enrollment_ids))
        .group_by((a::enrollment_id, a::mark))
        .select((a::enrollment_id, a::mark, diesel::dsl::count_star()))
        .load(conn)?;
    let mut out: HashMap<Uuid, (i64, i64)> = HashMap::new();
    for (id, mark, n) in rows {
        let entry = out.entry(id).or_default();
        entry.1 += n;
        if mark.attended() {
            entry.0 += n;
        }
    }
    Ok(out)
}

/// A student absent from their last sessions.
pub struct Absentee {
    pub student_id: Uuid,
    pub name: String,
    pub phone: Option<String>,
    pub course: String,
    pub last_seen: Option<DateTime<Utc>>,
}

/// How far back marks are read for the list.
const LOOK_BACK: Duration = Duration::days(120);

/// Running enrollments whose last `n` marks (in the last 120 days) are all "absent".
pub fn absent_lately(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    n: usize,
    now: DateTime<Utc>,
) -> AppResult<Vec<Absentee>> {
    let sessions: HashMap<Uuid, DateTime<Utc>> = scope
        .class_sessions()
        .filter(s::starts_at.gt(now - LOOK_BACK))
        .filter(s::starts_at.le(now))
        .select((s::id, s::starts_at))
        .load::<(Uuid, DateTime<Utc>)>(conn)?
        .into_iter()
        .collect();
    let ids: Vec<Uuid> = sessions.keys().copied().collect();
    let mut marks: Vec<(Uuid, AttendanceMark, DateTime<Utc>)> = scope
        .attendance()
        .filter(a::session_id.eq_any(&ids))
        .select((a::enrollment_id, a::mark, a::session_id))
        .load::<(Uuid, AttendanceMark, Uuid)>(conn)?
        .into_iter()
        .filter_map(|(e, m, session)| Some((e, m, *sessions.get(&session)?)))
        .collect();
    // Newest first within each enrollment.
    marks.sort_by(|x, y| x.0.cmp(&y.0).then(y.2.cmp(&x.2)));
    let mut by_enrollment: HashMap<Uuid, Vec<(AttendanceMark, DateTime<Utc>)>> = HashMap::new();
    for (id, mark, at) in marks {
        by_enrollment.entry(id).or_default().push((mark, at));
    }
    let mut last_seen: HashMap<Uuid, Option<DateTime<Utc>>> = HashMap::new();
    for (id, list) in &by_enrollment {
        if list.len() >= n && list[..n].iter().all(|m| m.0 == AttendanceMark::Absent) {
            last_seen.insert(*id, list.iter().find(|m| m.0.attended()).map(|m| m.1));
        }
    }
    let ids: Vec<Uuid> = last_seen.keys().copied().collect();
    let rows: Vec<(Uuid, Uuid, String, String, Option<String>, String)> = scope
        .course_enrollments_named()
        .filter(e::id.eq_any(&ids))
        .filter(e::status.eq_any([
            crate::enrollments::EnrollmentStatus::Active,
            crate::enrollments::EnrollmentStatus::Paused,
        ]))
        .order((students::last_name, students::first_name))
        .select((
            e::id,
            e::student_id,
            students::first_name,
            students::last_name,
            students::phone,
            crate::schema::courses::name,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, student_id, first, last, phone, course)| Absentee {
            student_id,
            name: format!("{first} {last}"),
            phone,
            course,
            last_seen: last_seen.get(&id).copied().flatten(),
        })
        .collect())
}

/// Attended and marked, this week and this term, by class and by course.
#[derive(Default)]
pub struct Rates {
    pub by_class: HashMap<Uuid, ((i64, i64), (i64, i64))>,
    /// (course name, this week, this term), by name.
    pub by_course: Vec<(String, (i64, i64), (i64, i64))>,
}

/// "80%", or "—" when nothing was marked.
pub fn percent(rate: &(i64, i64)) -> String {
    match rate {
        (_, 0) => "—".into(),
        (attended, marked) => format!("{}%", attended * 100 / marked),
    }
}

/// The program's attendance from `term_from` to `now`, and from `week_from` on (three queries).
pub fn program_rates(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    term_from: DateTime<Utc>,
    week_from: DateTime<Utc>,
    now: DateTime<Utc>,
) -> AppResult<Rates> {
    use crate::schema::{classes, courses};
    let sessions: HashMap<Uuid, (Uuid, DateTime<Utc>)> = scope
        .class_sessions()
        .filter(s::starts_at.ge(term_from))
        .filter(s::starts_at.le(now))
        .filter(s::attendance_taken_at.is_not_null())
        .select((s::id, s::class_id, s::starts_at))
        .load::<(Uuid, Uuid, DateTime<Utc>)>(conn)?
        .into_iter()
        .map(|(id, class, at)| (id, (class, at)))
        .collect();
    if sessions.is_empty() {
        return Ok(Rates::default());
    }
    let ids: Vec<Uuid> = sessions.keys().copied().collect();
    let counts: Vec<(Uuid, AttendanceMark, i64)> = scope
        .attendance()
        .filter(a::session_id.eq_any(&ids))
        .group_by((a::session_id, a::mark))
        .select((a::session_id, a::mark, diesel::dsl::count_star()))
        .load(conn)?;
    let mut by_class: HashMap<Uuid, ((i64, i64), (i64, i64))> = HashMap::new();
    for (session, mark, n) in counts {
        let Some((class, at)) = sessions.get(&session) else {
            continue;
        };
        let entry = by_class.entry(*class).or_default();
        let attended = if mark.attended() { n } else { 0 };
        entry.1 .0 += attended;
        entry.1 .1 += n;
        if *at >= week_from {
            entry.0 .0 += attended;
            entry.0 .1 += n;
        }
    }
    let class_ids: Vec<Uuid> = by_class.keys().copied().collect();
    let of_class: Vec<(Uuid, Uuid)> = scope
        .classes()
        .filter(classes::id.eq_any(&class_ids))
        .select((classes::id, classes::course_id))
        .load(conn)?;
    let course_ids: Vec<Uuid> = of_class.iter().map(|c| c.1).collect();
    let names: HashMap<Uuid, String> = scope
        .courses()
        .filter(courses::id.eq_any(&course_ids))
        .select((courses::id, courses::name))
        .load::<(Uuid, String)>(conn)?
        .into_iter()
        .collect();
    let mut by_course: HashMap<Uuid, ((i64, i64), (i64, i64))> = HashMap::new();
    for (class, course) in &of_class {
        if let Some((week, term)) = by_class.get(class) {
            let entry = by_course.entry(*course).or_default();
            entry.0 .0 += week.0;
            entry.0 .1 += week.1;
            entry.1 .0 += term.0;
            entry.1 .1 += term.1;
        }
    }
    let mut by_course: Vec<(String, (i64, i64), (i64, i64))> = by_course
        .into_iter()
        .map(|(course, (week, term))| (names.get(&course).cloned().unwrap_or_default(), week, term))
        .collect();
    by_course.sort();
    Ok(Rates {
        by_class,
        by_course,
    })
}
