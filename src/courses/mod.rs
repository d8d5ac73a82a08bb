//! Courses: the catalogue list, the course form with its offerings, archive/restore/delete, tutor
//! assignment, the course page (with its curriculum tree and roster) and the tutor's "My courses".
//!
//! Every course read goes through [`model::visible`], the one place that limits tutors to their
//! own courses.

mod form;
pub mod handlers;
pub mod mine;
mod model;
mod offerings;
mod page;
pub mod tutor_handlers;
mod tutors;

pub use model::{find, judge_active, require_active, visible_ids, Course};
