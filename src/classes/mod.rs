//! The timetable's classes: a course taught at one facility, for one configuration, by one of its
//! tutors, on a weekly pattern between two dates; their dated sessions (generated from the
//! pattern, closures skipped; each can be cancelled, moved or given a substitute); the class list
//! and page. Rules: docs/decisions.md, "The timetable".

mod changes;
mod crowding;
mod form;
pub mod handlers;
mod model;
mod schedule;
pub mod session_handlers;
mod sessions;

pub use crowding::overload;
pub use model::{find, line, list, matching, of_course, Class, ClassLine, ListFilter};
pub use model::{places, taught_by, term_start, week_filters, ClassPlaces};
pub use schedule::{instant, monday_of, occurrences, Closure, Meeting, WEEKDAYS};
pub use sessions::{
    find as session, line_columns as session_columns, of_class as sessions_of, week, SessionLine,
    WeekFilter,
};

use crate::schema::sql_types;

crate::pg_enum! {
    /// `classes.status`: an archived class keeps its sessions and enrollments and takes no new ones.
    pub enum ClassStatus: sql_types::ClassStatus {
        Active = "active",
        Archived = "archived",
    }
}

impl ClassStatus {
    pub fn label(self) -> &'static str {
        match self {
            ClassStatus::Active => "Active",
            ClassStatus::Archived => "Archived",
        }
    }
}

crate::pg_enum! {
    /// `class_sessions.status`: a cancelled session keeps its reason and frees its tutor.
    pub enum SessionStatus: sql_types::ClassSessionStatus {
        Scheduled = "scheduled",
        Cancelled = "cancelled",
    }
}
