//! A class's attendance over its term: students by sessions, each cell a mark; the page prints as
//! a register and the same cells are the CSV export. Read in five queries whatever the term.

use std::collections::HashMap;

use diesel::prelude::*;
use uuid::Uuid;

use super::AttendanceMark;
use crate::{
    access::ProgramScope,
    classes::{ClassLine, SessionLine},
    enrollments::EnrollmentStatus,
    error::AppResult,
    schema::{attendance as a, course_enrollments as e, students},
};

/// Sessions a grid shows at most (a class runs two years at most: 104 weekly sessions).
const MOST_SESSIONS: i64 = 400;

pub struct Grid {
    pub class: ClassLine,
    pub sessions: Vec<SessionLine>,
    pub rows: Vec<GridRow>,
}

pub struct GridRow {
    pub student_code: String,
    pub name: String,
    /// One cell per session, in the order of `Grid::sessions`: the mark and its note.
    pub cells: Vec<Option<(AttendanceMark, String)>>,
}

impl GridRow {
    /// Sessions attended (present or late) and sessions marked.
    pub fn attended(&self) -> (usize, usize) {
        let marked: Vec<&AttendanceMark> = self.cells.iter().flatten().map(|c| &c.0).collect();
        (marked.iter().filter(|m| m.attended()).count(), marked.len())
    }

    /// "80%", or "—" before any mark.
    pub fn rate(&self) -> String {
        match self.attended() {
            (_, 0) => "—".into(),
            (done, all) => format!("{}%", done * 100 / all),
        }
    }
}

/// The class's grid (a tutor's own classes only: `classes::line` refuses the others).
pub fn of_class(conn: &mut PgConnection, scope: &ProgramScope, class_id: Uuid) -> AppResult<Grid> {
    let class = crate::classes::line(conn, scope, class_id)?;
    let sessions = crate::classes::sessions_of(
        conn,
        scope,
        class_id,
        chrono::DateTime::<chrono::Utc>::UNIX_EPOCH,
        MOST_SESSIONS,
    )?;
    let members: Vec<(Uuid, String, String, String)> = scope
        .course_enrollments_named()
        .filter(e::class_id.eq(class_id))
        .filter(e::status.ne(EnrollmentStatus::Waitlisted))
        .order((students::last_name, students::first_name, e::id))
        .select((
            e::id,
            students::student_id,
            students::first_name,
            students::last_name,
        ))
        .load(conn)?;
    let session_ids: Vec<Uuid> = sessions.iter().map(|s| s.id).collect();
    let marks: HashMap<(Uuid, Uuid), (AttendanceMark, String)> = scope
        .attendance()
        .filter(a::session_id.eq_any(&session_ids))
        .select((a::session_id, a::enrollment_id, a::mark, a::note))
        .load::<(Uuid, Uuid, AttendanceMark, String)>(conn)?
        .into_iter()
        .map(|(s, e, m, n)| ((s, e), (m, n)))
        .collect();
    let rows = members
        .into_iter()
        .map(|(enrollment, code, first, last)| GridRow {
            student_code: code,
            name: format!("{last}, {first}"),
            cells: sessions
                .iter()
                .map(|s| marks.get(&(s.id, enrollment)).cloned())
                .collect(),
        })
        .collect();
    Ok(Grid {
        class,
        sessions,
        rows,
    })
}
