//! Attendance and the lessons a session covered: a tutor's "Today", one mark per student and
//! session, the rules of who may mark when (rules.rs), and progress that follows the curriculum
//! (progress.rs). Decisions: docs/decisions.md, "Attendance and progress".

mod day;
mod grid;
pub mod handlers;
mod lessons;
mod makeups;
mod marking;
mod open;
pub mod progress;
pub mod reports;
mod roster;
mod rules;

pub use progress::{checklists, recompute_for_curriculum, Checklist};

use crate::schema::sql_types;

crate::pg_enum! {
    /// `attendance.mark`: present and late count as attended (and credit the session's lessons).
    pub enum AttendanceMark: sql_types::AttendanceMark {
        Present = "present",
        Late = "late",
        Absent = "absent",
        Excused = "excused",
    }
}

impl AttendanceMark {
    pub fn label(self) -> &'static str {
        match self {
            AttendanceMark::Present => "Present",
            AttendanceMark::Absent => "Absent",
            AttendanceMark::Late => "Late",
            AttendanceMark::Excused => "Excused",
        }
    }

    /// Present or late: the student was there, and is credited with what the session covered.
    pub fn attended(self) -> bool {
        matches!(self, AttendanceMark::Present | AttendanceMark::Late)
    }
}
