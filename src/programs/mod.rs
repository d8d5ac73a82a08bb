//! Programs: the program switcher, default reference data, and the Academy section's program
//! pages (list, create, edit, archive, restore, delete).

mod defaults;
mod form;
pub mod handlers;
mod model;
pub mod switch;
mod usage;

pub use defaults::install as install_defaults;
