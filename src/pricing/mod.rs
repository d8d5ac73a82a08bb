//! Facility course pricing: the price in force for a configuration.

pub mod lookup;
