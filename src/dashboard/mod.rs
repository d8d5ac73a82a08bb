//! The landing page of admins and coordinators: the current program at a glance.

use actix_web::HttpResponse;
use askama::Template;
use diesel::prelude::*;

use crate::{
    access::{permission::allows, Action, CurrentUser, ProgramScope},
    db,
    enrollments::EnrollmentStatus,
    error::AppResult,
    schema::course_enrollments,
    web::{redirect, render, Shell},
    AppState,
};

/// `/`: each role's landing page.
pub async fn home(user: CurrentUser) -> HttpResponse {
    if allows(user.role, Action::ViewDashboard) {
        redirect("/dashboard")
    } else {
        redirect("/my-courses")
    }
}

pub struct Figures {
    pub courses: i64,
    pub facilities: i64,
    pub students: i64,
    pub active_enrollments: i64,
}

#[derive(Template)]
#[template(path = "dashboard/show.html")]
struct DashboardPage {
    shell: Shell,
    figures: Figures,
}

pub async fn show(
    shell: Shell,
    scope: ProgramScope,
    state: actix_web::web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let figures = db::run(&state.pool, move |conn| figures(conn, &scope)).await?;
    render(&DashboardPage { shell, figures })
}

fn figures(conn: &mut PgConnection, scope: &ProgramScope) -> AppResult<Figures> {
    use diesel::dsl::count_star as count;
    Ok(Figures {
        courses: scope.courses().select(count()).first(conn)?,
        facilities: scope.facilities().select(count()).first(conn)?,
        students: scope.students().select(count()).first(conn)?,
        active_enrollments: scope
            .course_enrollments()
            .filter(course_enrollments::status.eq(EnrollmentStatus::Active))
            .select(count())
            .first(conn)?,
    })
}
