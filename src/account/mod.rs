//! "My account": every signed-in user sees their account and programs, and changes their own
//! password (the current one required).

pub mod handlers;
mod model;
