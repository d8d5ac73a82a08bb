//! `ProgramScope`: the one way into program-scoped tables.
//!
//! Only the gate (for a request) and the command line (for demo data) can build one; its fields
//! are private. Every program-scoped query starts from one of its table methods (defined beside
//! the tables, in `crate::schema`), which already filter by the program, so an id of another
//! program is simply "not found"; the compiler refuses any other way to read those tables.

use std::future::{ready, Ready};

use actix_web::{dev::Payload, FromRequest, HttpMessage, HttpRequest};
use uuid::Uuid;

use super::Role;
use crate::error::AppError;

/// A scope for the command line (demo data) in one program, acting as no signed-in user. The
/// gate builds every request's scope; nothing that answers a request calls this.
pub fn command_scope(program_id: Uuid, program_name: &str) -> ProgramScope {
    ProgramScope {
        program_id,
        program_name: program_name.to_string(),
        actor: None,
    }
}

#[derive(Debug, Clone)]
pub struct ProgramScope {
    program_id: Uuid,
    program_name: String,
    /// Who acts: user id and role.
    actor: Option<(Uuid, Role)>,
}

impl ProgramScope {
    pub(super) fn for_request(
        program_id: Uuid,
        program_name: String,
        user_id: Uuid,
        role: Role,
    ) -> Self {
        Self {
            program_id,
            program_name,
            actor: Some((user_id, role)),
        }
    }

    pub fn program_id(&self) -> Uuid {
        self.program_id
    }

    pub fn program_name(&self) -> &str {
        &self.program_name
    }

    pub fn actor_id(&self) -> Option<Uuid> {
        self.actor.map(|(id, _)| id)
    }

    /// The role of who acts (`None` for the command line).
    pub fn actor_role(&self) -> Option<Role> {
        self.actor.map(|(_, role)| role)
    }

    /// The tutor whose view is limited to their own courses, if the actor is one.
    pub fn tutor_id(&self) -> Option<Uuid> {
        self.actor
            .filter(|(_, role)| *role == Role::Tutor)
            .map(|(id, _)| id)
    }
}

impl FromRequest for ProgramScope {
    type Error = AppError;
    type Future = Ready<Result<Self, AppError>>;
    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(
            req.extensions()
                .get::<ProgramScope>()
                .cloned()
                .ok_or_else(|| {
                    AppError::internal(
                        "ProgramScope requested on a route without a program-scoped permission",
                    )
                }),
        )
    }
}
