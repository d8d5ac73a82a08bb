//! Assigning and unassigning a course's tutors (program admins), as htmx fragments of the
//! course page or plain posts; the queries are in `tutors`.

use actix_session::Session;
use actix_web::{http::StatusCode, web, HttpRequest, HttpResponse};
use askama::Template;
use serde::Deserialize;
use uuid::Uuid;

use super::{
    page::show_page,
    tutors::{self, Assigned, TutorsView},
};
use crate::{
    access::ProgramScope,
    db,
    error::AppResult,
    web::{flash, form::VersionForm, is_htmx, redirect, render, render_with_status, Shell},
    AppState,
};

#[derive(Template)]
#[template(path = "courses/tutors_fragment.html")]
struct TutorsFragment {
    shell: Shell,
    tutors: TutorsView,
}

#[derive(Deserialize)]
pub struct AssignForm {
    #[serde(default)]
    pub user_id: String,
}

pub async fn assign(
    req: HttpRequest,
    shell: Shell,
    scope: ProgramScope,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
    form: web::Form<AssignForm>,
) -> AppResult<HttpResponse> {
    let course_id = path.into_inner();
    let raw = form.into_inner().user_id;
    let zone = state.config.time_zone;
    let s = scope.clone();
    let (outcome, mut view) = db::transaction(&state.pool, move |conn| {
        tutors::assign(conn, &s, course_id, &raw, zone)
    })
    .await?;
    match outcome {
        Assigned::Done(message) => {
            if is_htmx(&req) {
                render(&TutorsFragment {
                    shell,
                    tutors: view,
                })
            } else {
                flash::success(&session, message);
                Ok(redirect(&format!("/courses/{course_id}#tutors")))
            }
        }
        Assigned::Refused(message) => {
            view.error = message;
            if is_htmx(&req) {
                render_with_status(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    &TutorsFragment {
                        shell,
                        tutors: view,
                    },
                )
            } else {
                show_page(shell, scope, &state, course_id, Some(view)).await
            }
        }
    }
}

pub async fn unassign(
    req: HttpRequest,
    shell: Shell,
    scope: ProgramScope,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<(Uuid, Uuid)>,
    form: web::Form<VersionForm>,
) -> AppResult<HttpResponse> {
    let (course_id, user_id) = path.into_inner();
    let version = form.into_inner().version;
    let zone = state.config.time_zone;
    let (message, view) = db::transaction(&state.pool, move |conn| {
        tutors::unassign(conn, &scope, course_id, user_id, &version, zone)
    })
    .await?;
    if is_htmx(&req) {
        render(&TutorsFragment {
            shell,
            tutors: view,
        })
    } else {
        flash::success(&session, message);
        Ok(redirect(&format!("/courses/{course_id}#tutors")))
    }
}
