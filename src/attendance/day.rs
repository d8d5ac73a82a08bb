//! A day of sessions with their rosters, marks and lessons: what "Today" shows, read in a fixed
//! number of queries however many sessions and students.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use chrono_tz::Tz;
use diesel::prelude::*;
use uuid::Uuid;

use super::{
    roster::{self, RosterLine, SessionDay},
    rules,
};
use crate::{
    access::ProgramScope,
    classes::{self, SessionLine, WeekFilter},
    curricula::LessonRef,
    error::AppResult,
    schema::{classes as class_table, session_lessons as sl},
};

/// One session of the day, as a tutor works with it.
pub struct DaySession {
    pub session: SessionLine,
    pub roster: Vec<RosterLine>,
    /// The lessons of the class's curriculum (empty when it follows none), and those covered.
    pub lessons: Vec<LessonRef>,
    pub covered: HashSet<Uuid>,
    /// Why marks cannot be given now, if they cannot.
    pub closed: Option<&'static str>,
}

impl DaySession {
    pub fn marked(&self) -> usize {
        self.roster.iter().filter(|l| l.mark.is_some()).count()
    }
    pub fn is_covered(&self, lesson: &Uuid) -> bool {
        self.covered.contains(lesson)
    }
}

/// The sessions of `day` (a tutor's own only), with their rosters and lessons.
pub fn load(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    day: NaiveDate,
    zone: Tz,
) -> AppResult<Vec<DaySession>> {
    let from = classes::instant(day, NaiveTime::MIN, zone);
    let to = classes::instant(day + Duration::days(1), NaiveTime::MIN, zone);
    let sessions = classes::week(conn, scope, from, to, &WeekFilter::default())?;
    let days: Vec<SessionDay> = sessions
        .iter()
        .map(|s| SessionDay {
            session_id: s.id,
            class_id: s.class_id,
            date: day,
        })
        .collect();
    let mut rosters = roster::of_sessions(conn, scope, &days)?;
    let enrollments: Vec<Uuid> = rosters
        .values()
        .flatten()
        .map(|l| l.enrollment_id)
        .collect();
    let rates = super::reports::rates(conn, scope, &enrollments)?;
    for line in rosters.values_mut().flatten() {
        line.rate = rates.get(&line.enrollment_id).copied();
    }
    let class_ids: Vec<Uuid> = sessions.iter().map(|s| s.class_id).collect();
    let curricula: HashMap<Uuid, Uuid> = scope
        .classes()
        .filter(class_table::id.eq_any(&class_ids))
        .filter(class_table::curriculum_id.is_not_null())
        .select((
            class_table::id,
            class_table::curriculum_id.assume_not_null(),
        ))
        .load::<(Uuid, Uuid)>(conn)?
        .into_iter()
        .collect();
    let curriculum_ids: Vec<Uuid> = curricula.values().copied().collect();
    let lessons = crate::curricula::lessons_of(conn, scope, &curriculum_ids)?;
    let session_ids: Vec<Uuid> = sessions.iter().map(|s| s.id).collect();
    let mut covered: HashMap<Uuid, HashSet<Uuid>> = HashMap::new();
    for (session, lesson) in scope
        .session_lessons()
        .filter(sl::session_id.eq_any(&session_ids))
        .select((sl::session_id, sl::lesson_id))
        .load::<(Uuid, Uuid)>(conn)?
    {
        covered.entry(session).or_default().insert(lesson);
    }
    let now = Utc::now();
    Ok(sessions
        .into_iter()
        .map(|session| {
            let of_class = curricula.get(&session.class_id);
            DaySession {
                roster: rosters.remove(&session.id).unwrap_or_default(),
                lessons: lessons
                    .iter()
                    .filter(|l| Some(&l.curriculum_id) == of_class)
                    .cloned()
                    .collect(),
                covered: covered.remove(&session.id).unwrap_or_default(),
                closed: closed(scope, &session, now),
                session,
            }
        })
        .collect())
}

fn closed(scope: &ProgramScope, s: &SessionLine, now: DateTime<Utc>) -> Option<&'static str> {
    rules::may_mark(
        s.is_cancelled(),
        scope.tutor_id().is_some(),
        s.starts_at,
        now,
    )
    .err()
    .map(|r| r.message())
}
