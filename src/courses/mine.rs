//! "My courses": the tutor's landing page, the courses assigned to them in the current program,
//! each with its curriculum tree (read-only) and its roster.

use actix_web::{web, HttpResponse};
use askama::Template;
use diesel::PgConnection;

use super::model;
use crate::{
    access::ProgramScope,
    classes::{self, ClassLine, ListFilter, SessionLine, WeekFilter},
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
    /// The classes the tutor teaches, and their sessions of the next seven days.
    classes: Vec<ClassLine>,
    next: Vec<SessionLine>,
    zone: chrono_tz::Tz,
}

impl MyCoursesPage {
    fn classes_of(&self, course: &uuid::Uuid) -> Vec<&ClassLine> {
        self.classes
            .iter()
            .filter(|c| c.class.course_id == *course)
            .collect()
    }
    fn when(&self, s: &SessionLine) -> String {
        let local = s.starts_at.with_timezone(&self.zone);
        format!(
            "{}–{}",
            local.format("%a %-d %b, %H:%M"),
            s.ends_at.with_timezone(&self.zone).format("%H:%M")
        )
    }
}

pub async fn list(
    shell: Shell,
    scope: ProgramScope,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let zone = state.config.time_zone;
    let from = chrono::Utc::now();
    let to = from + chrono::Duration::days(7);
    let (courses, classes, next) = db::run(&state.pool, move |conn| {
        let courses = assigned_courses(conn, &scope)?;
        let (classes, next) = match scope.tutor_id() {
            None => (Vec::new(), Vec::new()),
            Some(_) => (
                classes::list(conn, &scope, &ListFilter::default())?,
                classes::week(conn, &scope, from, to, &WeekFilter::default())?,
            ),
        };
        Ok((courses, classes, next))
    })
    .await?;
    render(&MyCoursesPage {
        shell,
        courses,
        classes,
        next,
        zone,
    })
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
