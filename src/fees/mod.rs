//! What families pay (docs/decisions.md, "Fees"): the fee each enrollment agreed to and its
//! discount, new prices applied to running enrollments; later invoices, payments and balances.

mod discount;
mod fee;
pub mod handlers;
mod new_prices;

pub use discount::{Discount, DiscountKind};
