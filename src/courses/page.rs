//! The course page: details, offerings, tutors, curriculum tree and roster, in a fixed number of
//! queries whatever the size of its tree and roster. Shown by `handlers` and, with a refused
//! tutor assignment, by `tutor_handlers`.

use actix_web::{http::StatusCode, web, HttpResponse};
use askama::Template;
use uuid::Uuid;

use super::{
    model::{self, Usage},
    tutors::{self, TutorsView},
};
use crate::{
    access::{permission::allows, Action, ProgramScope},
    curricula::{load_trees, TreeView},
    db, enrollments,
    error::AppResult,
    offerings::Choices,
    web::{render_with_status, Shell},
    AppState,
};

#[derive(Template)]
#[template(path = "courses/show.html")]
struct ShowPage {
    shell: Shell,
    tree: TreeView,
    offered: Choices,
    tutors: TutorsView,
    usage: Usage,
    can_edit: bool,
    classes: Vec<crate::classes::ClassLine>,
    can_manage_classes: bool,
}

/// The course page, in a fixed number of queries whatever the size of its tree and roster.
pub async fn show_page(
    shell: Shell,
    scope: ProgramScope,
    state: &web::Data<AppState>,
    course_id: Uuid,
    tutors_view: Option<TutorsView>,
) -> AppResult<HttpResponse> {
    let can_edit = allows(shell.user.role, Action::EditCatalogue);
    let can_edit_curricula = allows(shell.user.role, Action::EditCurricula);
    let can_assign = allows(shell.user.role, Action::AssignTutors);
    let zone = state.config.time_zone;
    let shell_role = shell.user.role;
    let status = if tutors_view.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let page = db::run(&state.pool, move |conn| {
        let course = model::find(conn, &scope, course_id)?;
        let offered = Choices::of_course(conn, &scope, course_id)?;
        let usage = if can_edit {
            model::usage(conn, &scope, course_id)?
        } else {
            Usage::default()
        };
        let tutors = match tutors_view {
            Some(view) => view,
            None => tutors::load(conn, &scope, course.clone(), can_assign, zone)?,
        };
        let nodes = load_trees(conn, &scope, &[course_id])?
            .remove(&course_id)
            .unwrap_or_default();
        let roster = enrollments::rosters(conn, &scope, &[course_id])?
            .remove(&course_id)
            .unwrap_or_default();
        let classes = crate::classes::of_course(conn, &scope, course_id)?;
        Ok((course, nodes, roster, offered, tutors, usage, classes))
    })
    .await?;
    let (course, nodes, roster, offered, tutors, usage, classes) = page;
    render_with_status(
        status,
        &ShowPage {
            shell,
            tree: TreeView {
                course,
                nodes,
                roster,
                can_edit: can_edit_curricula,
                notice: String::new(),
            },
            offered,
            tutors,
            usage,
            can_edit,
            classes,
            can_manage_classes: allows(shell_role, Action::ManageTimetable),
        },
    )
}
