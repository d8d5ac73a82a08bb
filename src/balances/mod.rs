//! Outstanding balances (docs/decisions.md, "Fees"): who owes what, aged by how long past due,
//! with the program's totals, search, a filter by age and a CSV.

mod ageing;
pub mod handlers;
mod model;

pub use ageing::{Ageing, Bucket};
pub use model::{by_month, totals};
