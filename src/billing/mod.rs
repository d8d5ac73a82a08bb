//! How a program bills: by calendar month (the default) or by named terms, and the terms
//! themselves. A price in the pricing matrix is the fee for one such period (docs/decisions.md,
//! "Fees").

pub mod handlers;
mod period;
mod terms;

pub use period::{billing_period_of, BillingPeriod};
pub use terms::{list as terms, BillingTerm};
