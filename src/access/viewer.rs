//! Who is asking, and in which programs they may work: resolved once per request by the gate.

use std::future::{ready, Ready};

use actix_web::{dev::Payload, FromRequest, HttpMessage, HttpRequest};
use uuid::Uuid;

use super::Role;
use crate::error::AppError;

/// The signed-in staff member, as loaded (and checked active) for this request.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub id: Uuid,
    pub username: String,
    pub email: String,
    pub role: Role,
}

/// A program the user may work in (active, and assigned to them unless super admin).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProgramRef {
    pub id: Uuid,
    pub name: String,
}

/// Everything the gate learnt about the request's user; handlers read it through extractors.
#[derive(Debug, Clone)]
pub struct Viewer {
    pub user: CurrentUser,
    /// The programs the user may choose from, by name.
    pub programs: Vec<ProgramRef>,
    /// The program this request works in, if the user has any.
    pub current: Option<ProgramRef>,
}

fn from_extensions<T: Clone + 'static>(req: &HttpRequest) -> Result<T, AppError> {
    req.extensions().get::<T>().cloned().ok_or_else(|| {
        // Only reachable when a route was declared Public but its handler wants a user.
        AppError::internal(format!(
            "{} requested on a route without a gate",
            std::any::type_name::<T>()
        ))
    })
}

impl FromRequest for Viewer {
    type Error = AppError;
    type Future = Ready<Result<Self, AppError>>;
    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(from_extensions(req))
    }
}

impl FromRequest for CurrentUser {
    type Error = AppError;
    type Future = Ready<Result<Self, AppError>>;
    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(from_extensions::<Viewer>(req).map(|v| v.user))
    }
}
