//! Payments (docs/decisions.md, "Fees"): money received from a family, its receipt, and what it
//! paid: the invoice it was for, then the student's other open invoices oldest first; what is
//! left is the student's credit, applied to their next invoice.

pub mod handlers;
mod method;
mod numbers;
mod record;
mod refund;
mod settle;
mod statement;

pub use method::{PaymentKind, PaymentMethod};
pub use record::{record, Payment};
pub use settle::{release, settle};
pub use statement::{balance_of, balance_of_all, payments_of, Balance, PaymentRow};
