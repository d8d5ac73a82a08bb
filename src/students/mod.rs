//! Students of a program: the list (search, filter, sort, pages, CSV), the profile, the form.

pub mod export;
mod form;
pub mod handlers;
mod model;
mod status;
mod student_code;

pub use form::StudentForm;
pub use model::{create_many, find, many, search, update, visible, Student, StudentChanges};
pub use student_code::next as next_student_code;

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
