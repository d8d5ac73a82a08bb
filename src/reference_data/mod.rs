//! A program's reference data: its age groups and session types, edited inline with htmx (and
//! working as plain forms without it). A code in use by a course, a price or an enrollment is
//! neither renamed nor removed: the page says where it is used.

mod form;
pub mod handlers;
mod model;

pub use model::{AgeGroup, SessionType};
