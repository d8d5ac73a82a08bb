//! A session's roster: the students whose enrollment in its class ran on its date (enrolled on or
//! before it, not ended before it); paused ones are shown as paused, waitlisted ones never. Read
//! for many sessions at once (a tutor's day) in two queries.

use std::collections::HashMap;

use chrono::NaiveDate;
use diesel::prelude::*;
use uuid::Uuid;

use super::AttendanceMark;
use crate::{
    access::ProgramScope,
    enrollments::EnrollmentStatus,
    error::AppResult,
    schema::{attendance, course_enrollments as e, makeups, students},
};

/// One student of a session's roster, with their mark if given.
#[derive(Debug, Clone)]
pub struct RosterLine {
    pub enrollment_id: Uuid,
    pub student_id: Uuid,
    pub student_code: String,
    pub name: String,
    pub status: EnrollmentStatus,
    pub progress: i32,
    pub mark: Option<AttendanceMark>,
    pub note: String,
    /// Here for this session only, making up one missed in their own class.
    pub makeup: bool,
    /// Sessions attended and marked so far (filled where a page shows it).
    pub rate: Option<(i64, i64)>,
}

impl RosterLine {
    pub fn is_paused(&self) -> bool {
        self.status == EnrollmentStatus::Paused
    }
    /// "80% attended", once marked at least once.
    pub fn rate_text(&self) -> Option<String> {
        let (attended, marked) = self.rate?;
        (marked > 0).then(|| format!("{}% attended", attended * 100 / marked))
    }
    pub fn is_excused(&self) -> bool {
        self.mark == Some(AttendanceMark::Excused) && !self.makeup
    }
    pub fn marked(&self, mark: &AttendanceMark) -> bool {
        self.mark == Some(*mark)
    }
}

/// A session whose roster is read: its id, class and date in the academy's time zone.
#[derive(Debug, Clone, Copy)]
pub struct SessionDay {
    pub session_id: Uuid,
    pub class_id: Uuid,
    pub date: NaiveDate,
}

type Row = (
    Uuid,
    Uuid,
    Option<Uuid>,
    EnrollmentStatus,
    NaiveDate,
    Option<NaiveDate>,
    i32,
    String,
    String,
    String,
);

/// The rosters of `sessions`, by session id, students by name.
pub fn of_sessions(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    sessions: &[SessionDay],
) -> AppResult<HashMap<Uuid, Vec<RosterLine>>> {
    if sessions.is_empty() {
        return Ok(HashMap::new());
    }
    let class_ids: Vec<Uuid> = sessions.iter().map(|s| s.class_id).collect();
    let session_ids: Vec<Uuid> = sessions.iter().map(|s| s.session_id).collect();
    let booked: Vec<(Uuid, Uuid)> = scope
        .makeups()
        .filter(makeups::session_id.eq_any(&session_ids))
        .select((makeups::session_id, makeups::enrollment_id))
        .load(conn)?;
    let guests: Vec<Uuid> = booked.iter().map(|b| b.1).collect();
    let rows: Vec<Row> = scope
        .course_enrollments_named()
        .filter(
            e::class_id
                .eq_any(&class_ids)
                .and(e::status.ne(EnrollmentStatus::Waitlisted))
                .or(e::id.eq_any(&guests)),
        )
        .order((students::last_name, students::first_name, e::id))
        .select((
            e::id,
            e::student_id,
            e::class_id,
            e::status,
            e::enrollment_date,
            e::completion_date,
            e::progress_percentage,
            students::student_id,
            students::first_name,
            students::last_name,
        ))
        .load(conn)?;
    let marks: HashMap<(Uuid, Uuid), (AttendanceMark, String)> = scope
        .attendance()
        .filter(attendance::session_id.eq_any(&session_ids))
        .select((
            attendance::session_id,
            attendance::enrollment_id,
            attendance::mark,
            attendance::note,
        ))
        .load::<(Uuid, Uuid, AttendanceMark, String)>(conn)?
        .into_iter()
        .map(|(s, e, m, n)| ((s, e), (m, n)))
        .collect();
    Ok(sessions
        .iter()
        .map(|s| {
            let lines = rows
                .iter()
                .filter_map(|r| {
                    let member = r.2 == Some(s.class_id) && ran_on(r.3, r.4, r.5, s.date);
                    let guest = booked.contains(&(s.session_id, r.0));
                    (member || guest).then_some((r, guest))
                })
                .map(|(r, guest)| {
                    let (mark, note) = marks
                        .get(&(s.session_id, r.0))
                        .cloned()
                        .map_or((None, String::new()), |(m, n)| (Some(m), n));
                    RosterLine {
                        enrollment_id: r.0,
                        student_id: r.1,
                        status: r.3,
                        progress: r.6,
                        student_code: r.7.clone(),
                        name: format!("{} {}", r.8, r.9),
                        mark,
                        note,
                        makeup: guest,
                        rate: None,
                    }
                })
                .collect();
            (s.session_id, lines)
        })
        .collect())
}

/// "Ada Obi", the student of an enrollment.
pub fn name_of(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    enrollment_id: Uuid,
) -> AppResult<String> {
    let (first, last): (String, String) = scope
        .course_enrollments_named()
        .filter(e::id.eq(enrollment_id))
        .select((students::first_name, students::last_name))
        .first(conn)?;
    Ok(format!("{first} {last}"))
}

/// Whether an enrollment ran on `day`: begun by then, and running still or ended on or after it.
fn ran_on(
    status: EnrollmentStatus,
    enrolled: NaiveDate,
    ended: Option<NaiveDate>,
    day: NaiveDate,
) -> bool {
    enrolled <= day
        && match status {
            EnrollmentStatus::Active | EnrollmentStatus::Paused => true,
            EnrollmentStatus::Completed | EnrollmentStatus::Withdrawn => {
                ended.is_some_and(|end| end >= day)
            }
            EnrollmentStatus::Waitlisted => false,
        }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_enrollment_is_on_the_roster_from_its_first_day_to_its_last() {
        let d = |day| NaiveDate::from_ymd_opt(2027, 3, day).unwrap();
        assert!(ran_on(EnrollmentStatus::Active, d(1), None, d(1)));
        assert!(!ran_on(EnrollmentStatus::Active, d(2), None, d(1)));
        assert!(ran_on(EnrollmentStatus::Paused, d(1), None, d(9)));
        assert!(ran_on(EnrollmentStatus::Withdrawn, d(1), Some(d(5)), d(5)));
        assert!(!ran_on(EnrollmentStatus::Withdrawn, d(1), Some(d(5)), d(6)));
        assert!(!ran_on(EnrollmentStatus::Waitlisted, d(1), None, d(6)));
    }
}
