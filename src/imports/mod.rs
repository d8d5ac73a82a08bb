//! Importing students and their guardians from a CSV file (docs/decisions.md, "Importing
//! students"): upload, columns, a preview of every row with its errors beside the field, fixes,
//! then one transaction for every valid row.

mod background;
mod check;
mod columns;
mod dates;
mod file;
pub mod handlers;
mod model;
pub mod preview_handlers;
mod steps;
mod write;

pub use model::ImportStatus;
pub use steps::{confirm, preview, upload, Kept};
pub use write::{Done, OnDuplicate};
