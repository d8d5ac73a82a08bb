//! Guardians (docs/decisions.md, "Guardians"): the parents and others to call, who may pick a
//! child up or pay the fees. A guardian has one or more children and a child one or more
//! guardians (siblings share theirs); what is true for one child is on the link.

mod form;
pub mod handlers;
mod model;

pub use form::GuardianForm;
pub use model::{
    create_many, link_many, named, of_student, payer_of, Flags, Guardian, GuardianChanges,
    GuardianOfStudent,
};
