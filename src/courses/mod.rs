//! Courses (issue 4 builds the catalogue pages); for now the tutor's own list.

pub mod mine;
