//! The one integration-test binary: every test talks to a real PostgreSQL through the real app.

mod support;

mod account;
mod architecture;
mod attendance;
mod auth;
mod balances;
mod bench;
mod boundary;
mod browser;
mod commands;
mod courses;
mod curricula;
mod dashboard;
mod enrollments;
mod facilities;
mod failure;
mod fees;
mod html;
mod invoices;
mod payments;
mod permissions;
mod pool;
mod pricing;
mod program_context;
mod programs;
mod reference_data;
mod schema;
mod scoping;
mod shell;
mod students;
mod stylesheet;
mod team;
mod timetable;
mod users;
