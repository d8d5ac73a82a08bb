//! Invoices (docs/decisions.md, "Fees"): what each student is billed for a billing period,
//! generated for the whole program after a preview, numbered `INV-YYYY-NNNNN`, and corrected
//! by credit notes (`CRN-YYYY-NNNNN`).

mod background;
mod credit;
pub mod draft_handlers;
mod drafts;
pub mod handlers;
mod numbers;
mod period;
mod plan;
mod read;
mod runs;
mod status;
mod write;

pub use credit::{credit_note, Credit};
pub use period::Window;
pub use read::{of_student, of_students, owed, InvoiceRow, Owed};
pub use runs::{finish as finish_run, start as start_run};
pub use status::{InvoiceKind, InvoiceStatus, RunStatus};
pub use write::{generate, Issue};
