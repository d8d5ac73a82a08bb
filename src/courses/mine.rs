//! "My courses": the tutor's landing page, the courses assigned to them in the current program,
//! each with its curriculum tree (read-only) and its roster.

use actix_web::{web, HttpResponse};
use askama::Template;
use diesel::PgConnection;

use super::model;
use crate::{
    access::ProgramScope,
    curricula::{load_trees, TreeView},
    db, enrollments,
    error::AppResult,
    web::{render, Shell},
    AppState,
};

#[derive(Template)]
#[template(path = "courses/mine.html")]
struct MyCoursesPage {
    shell: Shell,
    courses: Vec<TreeView>,
}

pub async fn list(
    shell: Shell,
    scope: ProgramScope,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let courses = db::run(&state.pool, move |conn| assigned_courses(conn, &scope)).await?;
    render(&MyCoursesPage { shell, courses })
}

/// The tutor's active courses with their trees and rosters, in five queries however many.
fn assigned_courses(conn: &mut PgConnection, scope: &ProgramScope) -> AppResult<Vec<TreeView>> {
    if scope.tutor_id().is_none() {
        return Ok(Vec::new());
    }
    let list = model::active_visible(conn, scope)?;
    let ids: Vec<_> = list.iter().map(|c| c.id).collect();
    let mut trees = load_trees(conn, scope, &ids)?;
    let mut rosters = enrollments::rosters(conn, scope, &ids)?;
    Ok(list
        .into_iter()
        .map(|course| TreeView {
            nodes: trees.remove(&course.id).unwrap_or_default(),
            roster: rosters.remove(&course.id).unwrap_or_default(),
            course,
            can_edit: false,
            notice: String::new(),
        })
        .collect())
}
