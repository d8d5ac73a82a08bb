//! Handlers of the tree: add and edit forms (plain pages), delete and reorder (htmx swaps the
//! tree; without JavaScript they redirect to the course page). The flows are written once
//! (`level.rs`); one file per level says what differs and holds its routes' handlers; the pieces
//! the flows share are here.

mod curricula;
mod lessons;
mod level;
mod modules;

pub use curricula::*;
pub use lessons::*;
pub use modules::*;

use actix_session::Session;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use serde::Deserialize;
use uuid::Uuid;

use super::{
    form::{LessonForm, NodeForm},
    model, TreeView,
};
use crate::{
    access::ProgramScope,
    courses, db,
    error::AppResult,
    web::{flash, form::FieldErrors, is_htmx, redirect, render, render_with_status, Shell},
    AppState,
};

#[derive(Template)]
#[template(path = "curricula/form.html")]
pub(super) struct FormPage {
    shell: Shell,
    heading: String,
    course_name: String,
    action: String,
    back: String,
    submit: String,
    creating: bool,
    is_lesson: bool,
    node: NodeForm,
    lesson: LessonForm,
    errors: FieldErrors,
}

pub(super) struct Spec {
    pub heading: String,
    pub course_id: Uuid,
    pub course_name: String,
    pub action: String,
    pub submit: String,
    /// An add form (it carries a one-time token), not an edit form.
    pub creating: bool,
}

pub(super) fn node_page(
    shell: Shell,
    spec: Spec,
    node: NodeForm,
    errors: FieldErrors,
) -> AppResult<HttpResponse> {
    page(shell, spec, false, node, LessonForm::default(), errors)
}

pub(super) fn lesson_page(
    shell: Shell,
    spec: Spec,
    lesson: LessonForm,
    errors: FieldErrors,
) -> AppResult<HttpResponse> {
    page(shell, spec, true, NodeForm::default(), lesson, errors)
}

fn page(
    shell: Shell,
    spec: Spec,
    is_lesson: bool,
    node: NodeForm,
    lesson: LessonForm,
    errors: FieldErrors,
) -> AppResult<HttpResponse> {
    let status = errors.status();
    render_with_status(
        status,
        &FormPage {
            shell,
            heading: spec.heading,
            course_name: spec.course_name,
            back: format!("/courses/{}#curriculum", spec.course_id),
            action: spec.action,
            submit: spec.submit,
            creating: spec.creating,
            is_lesson,
            node,
            lesson,
            errors,
        },
    )
}

#[derive(Template)]
#[template(path = "curricula/tree.html")]
pub(super) struct TreeFragment {
    shell: Shell,
    tree: TreeView,
}

/// After a change: htmx gets the re-rendered tree (and the message out of band); a plain form
/// goes back to the course page.
pub(super) async fn after_change(
    req: &HttpRequest,
    shell: Shell,
    scope: ProgramScope,
    session: &Session,
    state: &web::Data<AppState>,
    course_id: Uuid,
    notice: String,
) -> AppResult<HttpResponse> {
    if !is_htmx(req) {
        flash::success(session, notice);
        return Ok(redirect(&format!("/courses/{course_id}#curriculum")));
    }
    let (course, nodes) = db::run(&state.pool, move |conn| {
        let course = courses::find(conn, &scope, course_id)?;
        let nodes = model::load_trees(conn, &scope, &[course_id])?
            .remove(&course_id)
            .unwrap_or_default();
        Ok((course, nodes))
    })
    .await?;
    render(&TreeFragment {
        shell,
        tree: TreeView {
            course,
            nodes,
            roster: Vec::new(),
            can_edit: true,
            notice,
        },
    })
}

pub(super) fn saved(
    session: &Session,
    message: String,
    course_id: Uuid,
    anchor: &str,
) -> HttpResponse {
    flash::success(session, message);
    redirect(&format!("/courses/{course_id}#{anchor}"))
}

#[derive(Deserialize)]
pub struct MoveForm {
    #[serde(default)]
    pub direction: String,
}

pub(super) fn quoted(name: &str) -> String {
    format!("\u{201c}{name}\u{201d}")
}
