//! Invoices (docs/decisions.md, "Fees"): what each student is billed for a billing period,
//! generated for the whole program after a preview, numbered `INV-YYYY-NNNNN`.

pub mod handlers;
mod numbers;
mod period;
mod plan;
mod read;
mod status;
mod write;

pub use period::Window;
pub use read::{of_student, owed, InvoiceRow, Owed};
pub use status::{InvoiceKind, InvoiceStatus};
pub use write::generate;
