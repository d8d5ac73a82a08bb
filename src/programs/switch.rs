//! The header's program dropdown: choose the program to work in, land on the same section in it.

use actix_session::Session;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use uuid::Uuid;

use crate::{
    access::{gate::SESSION_PROGRAM_ID, Viewer},
    error::{AppError, AppResult},
    web::{flash, local_path, redirect_for},
};

#[derive(Deserialize)]
pub struct SwitchForm {
    program_id: Uuid,
    return_to: Option<String>,
}

pub async fn submit(
    req: HttpRequest,
    viewer: Viewer,
    session: Session,
    form: web::Form<SwitchForm>,
) -> AppResult<HttpResponse> {
    // Only the user's own active programs; anything else is refused, never replaced.
    let program = viewer
        .programs
        .iter()
        .find(|p| p.id == form.program_id)
        .ok_or_else(|| AppError::forbidden("You may not use that program."))?;
    session
        .insert(SESSION_PROGRAM_ID, program.id)
        .map_err(|e| AppError::internal(e.to_string()))?;
    flash::info_and_focus_heading(
        &session,
        format!("You are now working in {}.", program.name),
    );
    let landing = form
        .return_to
        .as_deref()
        .and_then(local_path)
        .map(|p| section_of(&p))
        .unwrap_or_else(|| "/".into());
    Ok(redirect_for(&req, &landing))
}

/// `/courses/3f2a.../edit` -> `/courses`: a record of the old program does not exist in the new one,
/// so the user lands on the same section's list.
fn section_of(path: &str) -> String {
    let first = path
        .trim_start_matches('/')
        .split(['/', '?', '#'])
        .next()
        .unwrap_or("");
    format!("/{first}")
}

#[cfg(test)]
mod tests {
    use super::section_of;

    #[test]
    fn a_record_page_lands_on_its_section() {
        assert_eq!(section_of("/courses/3f2a/edit"), "/courses");
        assert_eq!(section_of("/dashboard"), "/dashboard");
        assert_eq!(section_of("/students?page=3"), "/students");
        assert_eq!(section_of("/"), "/");
    }
}
