//! "My courses": the tutor's landing page, the courses assigned to them in the current program.

use actix_web::{web, HttpResponse};
use askama::Template;
use diesel::prelude::*;
use uuid::Uuid;

use crate::{
    access::ProgramScope,
    db,
    error::AppResult,
    schema::{course_tutors, courses},
    web::{render, Shell},
    AppState,
};

pub struct MyCourse {
    pub id: Uuid,
    pub name: String,
    pub level: i32,
}

#[derive(Template)]
#[template(path = "courses/mine.html")]
struct MyCoursesPage {
    shell: Shell,
    courses: Vec<MyCourse>,
}

pub async fn list(
    shell: Shell,
    scope: ProgramScope,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let courses = db::run(&state.pool, move |conn| assigned_courses(conn, &scope)).await?;
    render(&MyCoursesPage { shell, courses })
}

fn assigned_courses(conn: &mut PgConnection, scope: &ProgramScope) -> AppResult<Vec<MyCourse>> {
    let Some(tutor_id) = scope.tutor_id() else {
        return Ok(Vec::new());
    };
    let rows = scope
        .courses()
        .filter(courses::is_active.eq(true))
        .filter(
            courses::id.eq_any(
                scope
                    .course_tutors()
                    .filter(course_tutors::user_id.eq(tutor_id))
                    .select(course_tutors::course_id),
            ),
        )
        .order(courses::name.asc())
        .select((courses::id, courses::name, courses::level))
        .load::<(Uuid, String, i32)>(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, name, level)| MyCourse { id, name, level })
        .collect())
}
