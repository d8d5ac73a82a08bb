//! A program's closure dates (holidays, breaks): the list, adding and removing one. Sessions are
//! not generated on a closed day; adding a closure cancels the scheduled sessions it covers.

pub mod handlers;
mod model;
