//! Students of a program: the list (search, filter, sort, pages, CSV), the profile, the form.

pub mod export;
pub mod form;
pub mod handlers;
pub mod model;
pub mod status;
pub mod student_code;

use crate::schema::sql_types;

crate::pg_enum! {
    /// `students.status`.
    pub enum StudentStatus: sql_types::StudentStatus {
        Active = "active",
        Inactive = "inactive",
        Graduated = "graduated",
        Withdrawn = "withdrawn",
    }
}

impl StudentStatus {
    pub fn label(self) -> &'static str {
        match self {
            StudentStatus::Active => "Active",
            StudentStatus::Inactive => "Inactive",
            StudentStatus::Graduated => "Graduated",
            StudentStatus::Withdrawn => "Withdrawn",
        }
    }
}
