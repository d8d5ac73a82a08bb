//! Programs: the program switcher, default reference data, and the Academy section's program
//! pages (list, create, edit, archive, restore, delete).

pub mod defaults;
pub mod pages;
pub mod switch;
pub mod usage;
