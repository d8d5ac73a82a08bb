//! The history of every change (docs/decisions.md, "History"): recorded by the database's
//! triggers on every program-scoped table (migration 000034), read here for a record's History
//! panel. Nothing in the app writes, edits or deletes it.

mod activity;
pub mod activity_handlers;
pub mod handlers;
mod model;

pub use model::{of_record, page_of, Entry, HistoryAction, Kind};

/// The program-scoped tables whose changes are not recorded, and why. Every other table with a
/// `program_id` has the history triggers (a test checks it, for tables added later too).
pub const UNRECORDED: &[(&str, &str)] = &[
    ("history", "the history itself"),
    ("student_counts", "derived: kept by triggers from students"),
    (
        "enrollment_counts",
        "derived: kept by triggers from enrollments",
    ),
    (
        "outstanding_by_due",
        "derived: kept by triggers from invoices and payments",
    ),
    (
        "money_by_month",
        "derived: kept by triggers from invoice lines and payments",
    ),
    (
        "invoice_counters",
        "a counter: the numbers it hands out are on the invoices recorded",
    ),
    (
        "receipt_counters",
        "a counter: the numbers it hands out are on the payments recorded",
    ),
    (
        "imports",
        "a working copy of an uploaded file; the students and guardians it creates or changes are recorded one by one",
    ),
    (
        "invoice_runs",
        "a run's record is itself its log (who, when, outcome); its progress changes every second",
    ),
];
