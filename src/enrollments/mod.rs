//! Course enrollments: their status and assignment types, and how lists show them.

mod admission;
pub mod bulk;
mod configuration;
mod counts;
mod create;
mod form;
pub mod handlers;
mod lifecycle;
mod lines;
pub mod list;
mod listing;
mod many;
mod placing;
mod request;

pub use counts::active_at;
pub use lifecycle::{apply, changeable_of_student, Transition};

pub use lines::{of_student, one, rosters, EnrollmentLine};

use crate::schema::sql_types;

crate::pg_enum! {
    /// `course_enrollments.status`: active <-> paused; then completed or withdrawn, both final.
    /// Waitlisted: waiting for a place in a full class; becomes active when offered one.
    pub enum EnrollmentStatus: sql_types::EnrollmentStatus {
        Active = "active",
        Paused = "paused",
        Completed = "completed",
        Withdrawn = "withdrawn",
        Waitlisted = "waitlisted",
    }
}

crate::pg_enum! {
    /// `course_enrollments.assignment_type`: how the enrollment came about.
    pub enum AssignmentType: sql_types::AssignmentType {
        Direct = "direct",
        ParentAssigned = "parent_assigned",
        BulkAssigned = "bulk_assigned",
    }
}

impl EnrollmentStatus {
    /// Active or paused: still changeable, progress can still be recorded.
    pub fn is_running(self) -> bool {
        matches!(self, EnrollmentStatus::Active | EnrollmentStatus::Paused)
    }

    pub fn label(self) -> &'static str {
        match self {
            EnrollmentStatus::Active => "Active",
            EnrollmentStatus::Paused => "Paused",
            EnrollmentStatus::Completed => "Completed",
            EnrollmentStatus::Withdrawn => "Withdrawn",
            EnrollmentStatus::Waitlisted => "Waitlisted",
        }
    }
}
