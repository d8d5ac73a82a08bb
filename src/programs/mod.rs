//! Programs: the program switcher (and, from issue 3, the Academy section's program pages).

pub mod defaults;
pub mod switch;
