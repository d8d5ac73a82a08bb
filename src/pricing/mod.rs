//! The prices of a facility: one per course and configuration (age group x location type x
//! session type), with history. The matrix page, its cells (htmx), the history of a cell, bulk
//! helpers, and the one price lookup the rest of the app uses.

pub mod bulk;
pub mod cell;
mod grid;
pub mod history;
pub mod lookup;
pub mod matrix;
pub mod offer;
mod placed;
pub mod price;
pub mod store;

pub use lookup::made_at;
pub use price::Price;
