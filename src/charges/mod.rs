//! One-off charges (docs/decisions.md, "Fees"): a registration or kit fee a coordinator adds to
//! a student. The next invoice run bills each charge once, as a line of the student's invoice.

pub mod handlers;
mod model;

pub use model::{pending, pending_of, Charge};
