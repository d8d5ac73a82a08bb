//! Curricula of a course: add, edit, delete, move.

use actix_session::Session;
use actix_web::{web, HttpRequest, HttpResponse};
use uuid::Uuid;

use super::{after_change, node_page, quoted, saved, MoveForm, Spec};
use crate::{
    access::ProgramScope,
    courses::{model as courses, tutors::ConfirmForm},
    curricula::{
        form::NodeForm,
        model::{self, Direction},
    },
    db,
    error::AppResult,
    web::{form::FieldErrors, Shell},
    AppState,
};

pub async fn new_curriculum(
    shell: Shell,
    scope: ProgramScope,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
) -> AppResult<HttpResponse> {
    let course_id = path.into_inner();
    let course = db::run(&state.pool, move |conn| {
        courses::find(conn, &scope, course_id)
    })
    .await?;
    let spec = Spec {
        heading: "Add a curriculum".into(),
        course_id,
        course_name: course.name,
        action: format!("/courses/{course_id}/curricula"),
        submit: "Add curriculum",
    };
    node_page(shell, spec, NodeForm::default(), FieldErrors::new())
}

pub async fn create_curriculum(
    shell: Shell,
    scope: ProgramScope,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
    form: web::Form<NodeForm>,
) -> AppResult<HttpResponse> {
    let course_id = path.into_inner();
    let form = form.into_inner();
    let (course, result) = db::transaction(&state.pool, move |conn| {
        let course = courses::find(conn, &scope, course_id)?;
        let result = match form.validate() {
            Ok(command) => Ok((
                model::create_curriculum(conn, &scope, course_id, &command)?,
                command.name,
            )),
            Err(errors) => Err((form, errors)),
        };
        Ok((course, result))
    })
    .await?;
    match result {
        Ok((id, name)) => Ok(saved(
            &session,
            format!("Curriculum {} added.", quoted(&name)),
            course_id,
            &format!("curriculum-{id}"),
        )),
        Err((form, errors)) => node_page(
            shell,
            Spec {
                heading: "Add a curriculum".into(),
                course_id,
                course_name: course.name,
                action: format!("/courses/{course_id}/curricula"),
                submit: "Add curriculum",
            },
            form,
            errors,
        ),
    }
}

pub async fn edit_curriculum(
    shell: Shell,
    scope: ProgramScope,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let (curriculum, course) = db::run(&state.pool, move |conn| {
        let curriculum = model::find_curriculum(conn, &scope, id)?;
        let course = courses::find(conn, &scope, curriculum.course_id)?;
        Ok((curriculum, course))
    })
    .await?;
    let spec = Spec {
        heading: format!("Edit curriculum {}", quoted(&curriculum.name)),
        course_id: course.id,
        course_name: course.name,
        action: format!("/curricula/{id}/edit"),
        submit: "Save curriculum",
    };
    node_page(
        shell,
        spec,
        NodeForm::from_curriculum(&curriculum),
        FieldErrors::new(),
    )
}

pub async fn update_curriculum(
    shell: Shell,
    scope: ProgramScope,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
    form: web::Form<NodeForm>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let form = form.into_inner();
    let (curriculum, course, result) = db::transaction(&state.pool, move |conn| {
        let curriculum = model::find_curriculum(conn, &scope, id)?;
        let course = courses::find(conn, &scope, curriculum.course_id)?;
        let result = match form.validate() {
            Ok(command) => {
                model::update_curriculum(conn, &scope, id, &command)?;
                Ok(command.name)
            }
            Err(errors) => Err((form, errors)),
        };
        Ok((curriculum, course, result))
    })
    .await?;
    match result {
        Ok(name) => Ok(saved(
            &session,
            format!("Curriculum {} saved.", quoted(&name)),
            course.id,
            &format!("curriculum-{id}"),
        )),
        Err((form, errors)) => node_page(
            shell,
            Spec {
                heading: format!("Edit curriculum {}", quoted(&curriculum.name)),
                course_id: course.id,
                course_name: course.name,
                action: format!("/curricula/{id}/edit"),
                submit: "Save curriculum",
            },
            form,
            errors,
        ),
    }
}

pub async fn delete_curriculum(
    req: HttpRequest,
    shell: Shell,
    scope: ProgramScope,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
    form: web::Form<ConfirmForm>,
) -> AppResult<HttpResponse> {
    form.check()?;
    let id = path.into_inner();
    let s = scope.clone();
    let curriculum = db::transaction(&state.pool, move |conn| {
        let curriculum = model::find_curriculum(conn, &s, id)?;
        model::delete_curriculum(conn, &s, &curriculum)?;
        Ok(curriculum)
    })
    .await?;
    let notice = format!("Curriculum {} deleted.", quoted(&curriculum.name));
    after_change(
        &req,
        shell,
        scope,
        &session,
        &state,
        curriculum.course_id,
        notice,
    )
    .await
}

pub async fn move_curriculum(
    req: HttpRequest,
    shell: Shell,
    scope: ProgramScope,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
    form: web::Form<MoveForm>,
) -> AppResult<HttpResponse> {
    let direction = Direction::parse(&form.direction)?;
    let id = path.into_inner();
    let s = scope.clone();
    let curriculum = db::transaction(&state.pool, move |conn| {
        let curriculum = model::find_curriculum(conn, &s, id)?;
        model::move_curriculum(conn, &s, &curriculum, direction)?;
        Ok(curriculum)
    })
    .await?;
    let notice = format!("Curriculum {} moved.", quoted(&curriculum.name));
    after_change(
        &req,
        shell,
        scope,
        &session,
        &state,
        curriculum.course_id,
        notice,
    )
    .await
}
