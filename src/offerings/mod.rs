//! The shared words for what a course offers, used by courses, pricing and enrollments alike:
//! a `Choice` (a code and its label), the program's `Choices` of age groups, location types and
//! session types, what one course has `Offered`, and the whole program's `ProgramOfferings`.
//! A code no longer in the reference data shows as itself wherever a label is asked for.

mod choices;
mod offered;
mod program;

pub use choices::{location_label, Choice, Choices, LOCATION_TYPES};
pub use offered::Offered;
pub use program::{CourseRef, ProgramOfferings};
