//! Who may do what, and in which program: roles, the permission table, the request gate and
//! `ProgramScope`, the only way into program-scoped data.

pub mod gate;
pub mod permission;
pub mod role;
pub mod scope;
pub mod viewer;

pub use permission::{Action, Permission};
pub use role::Role;
pub use scope::{command_scope, ProgramScope};
pub use viewer::{CurrentUser, ProgramRef, Viewer};
