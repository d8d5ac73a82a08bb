//! The prices of a facility: one per course and configuration (age group x location type x
//! session type), with history. The matrix page, its cells (htmx), the history of a cell, bulk
//! helpers, and the one price lookup the rest of the app uses.

pub mod bulk;
pub mod cell;
pub mod history;
pub mod lookup;
pub mod matrix;
pub mod offer;
pub mod price;
pub mod store;

use chrono::{NaiveDate, Utc};

use crate::config::Config;

pub use price::Price;

/// Today in the academy's time zone: the day new prices take effect and old ones end.
pub fn today(config: &Config) -> NaiveDate {
    Utc::now().with_timezone(&config.time_zone).date_naive()
}
