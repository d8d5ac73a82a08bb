//! The week calendar of a program's sessions (a tutor's "My week"), filtered by facility, tutor,
//! course or class, and its printable version.

pub mod handlers;
mod week;

pub use week::{fragment, load, Week, WeekQuery};
