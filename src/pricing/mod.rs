//! The prices of a facility: one per course and configuration (age group x location type x
//! session type), with history. The matrix page, its cells (htmx), the history of a cell, bulk
//! helpers, and the one price lookup the rest of the app uses.

pub mod bulk;
pub mod cell;
mod copy;
mod grid;
pub mod handlers;
mod history;
mod lookup;
mod matrix;
mod offer;
mod placed;
mod price;
mod store;

pub use matrix::{active_price_lines, PriceLine};

pub use lookup::{
    facilities_with_price, in_force_for_counts, price_in_force, price_in_force_query,
    program_prices_in_force, FacilityPrice, PriceKey,
};
pub use price::Price;
