//! What families pay (docs/decisions.md, "Fees"): the fee each enrollment agreed to and its
//! discount; later invoices, payments and balances.

mod discount;

pub use discount::{Discount, DiscountKind};
