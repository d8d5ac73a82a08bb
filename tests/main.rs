//! The one integration-test binary: every test talks to a real PostgreSQL through the real app.

mod support;

mod auth;
mod browser;
mod facilities;
mod permissions;
mod pricing;
mod program_context;
mod schema;
mod scoping;
mod shell;
