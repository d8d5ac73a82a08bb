//! Lessons of a module: add, edit, delete, move.

use actix_session::Session;
use actix_web::{web, HttpRequest, HttpResponse};
use uuid::Uuid;

use super::{after_change, lesson_page, module_spec, quoted, saved, MoveForm};
use crate::{
    access::ProgramScope,
    courses::{model as courses, tutors::ConfirmForm},
    curricula::{
        form::LessonForm,
        model::{self, Direction},
    },
    db,
    error::AppResult,
    web::{form::FieldErrors, Shell},
    AppState,
};

pub async fn new_lesson(
    shell: Shell,
    scope: ProgramScope,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let (module, course) = db::run(&state.pool, move |conn| {
        let (module, curriculum) = model::find_module(conn, &scope, id)?;
        let course = courses::find(conn, &scope, curriculum.course_id)?;
        Ok((module, course))
    })
    .await?;
    let spec = module_spec(
        format!("Add a lesson to {}", quoted(&module.name)),
        course,
        format!("/modules/{id}/lessons"),
        "Add lesson",
    );
    lesson_page(shell, spec, LessonForm::blank(), FieldErrors::new())
}

pub async fn create_lesson(
    shell: Shell,
    scope: ProgramScope,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
    form: web::Form<LessonForm>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let form = form.into_inner();
    let (module, course, result) = db::transaction(&state.pool, move |conn| {
        let (module, curriculum) = model::find_module(conn, &scope, id)?;
        let course = courses::find(conn, &scope, curriculum.course_id)?;
        let result = match form.validate() {
            Ok(command) => Ok((
                model::create_lesson(conn, &scope, id, &command)?,
                command.name,
            )),
            Err(errors) => Err((form, errors)),
        };
        Ok((module, course, result))
    })
    .await?;
    match result {
        Ok((lesson_id, name)) => Ok(saved(
            &session,
            format!(
                "Lesson {} added to {}.",
                quoted(&name),
                quoted(&module.name)
            ),
            course.id,
            &format!("lesson-{lesson_id}"),
        )),
        Err((form, errors)) => lesson_page(
            shell,
            module_spec(
                format!("Add a lesson to {}", quoted(&module.name)),
                course,
                format!("/modules/{id}/lessons"),
                "Add lesson",
            ),
            form,
            errors,
        ),
    }
}

pub async fn edit_lesson(
    shell: Shell,
    scope: ProgramScope,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let (lesson, course) = db::run(&state.pool, move |conn| {
        let (lesson, _, curriculum) = model::find_lesson(conn, &scope, id)?;
        let course = courses::find(conn, &scope, curriculum.course_id)?;
        Ok((lesson, course))
    })
    .await?;
    let spec = module_spec(
        format!("Edit lesson {}", quoted(&lesson.name)),
        course,
        format!("/lessons/{id}/edit"),
        "Save lesson",
    );
    lesson_page(
        shell,
        spec,
        LessonForm::from_lesson(&lesson),
        FieldErrors::new(),
    )
}

pub async fn update_lesson(
    shell: Shell,
    scope: ProgramScope,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
    form: web::Form<LessonForm>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let form = form.into_inner();
    let (lesson, course, result) = db::transaction(&state.pool, move |conn| {
        let (lesson, _, curriculum) = model::find_lesson(conn, &scope, id)?;
        let course = courses::find(conn, &scope, curriculum.course_id)?;
        let result = match form.validate() {
            Ok(command) => {
                model::update_lesson(conn, &scope, id, &command)?;
                Ok(command.name)
            }
            Err(errors) => Err((form, errors)),
        };
        Ok((lesson, course, result))
    })
    .await?;
    match result {
        Ok(name) => Ok(saved(
            &session,
            format!("Lesson {} saved.", quoted(&name)),
            course.id,
            &format!("lesson-{id}"),
        )),
        Err((form, errors)) => lesson_page(
            shell,
            module_spec(
                format!("Edit lesson {}", quoted(&lesson.name)),
                course,
                format!("/lessons/{id}/edit"),
                "Save lesson",
            ),
            form,
            errors,
        ),
    }
}

pub async fn delete_lesson(
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
    let (lesson, curriculum) = db::transaction(&state.pool, move |conn| {
        let (lesson, _, curriculum) = model::find_lesson(conn, &s, id)?;
        model::delete_lesson(conn, &s, &lesson)?;
        Ok((lesson, curriculum))
    })
    .await?;
    let notice = format!("Lesson {} deleted.", quoted(&lesson.name));
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

pub async fn move_lesson(
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
    let (lesson, curriculum) = db::transaction(&state.pool, move |conn| {
        let (lesson, _, curriculum) = model::find_lesson(conn, &s, id)?;
        model::move_lesson(conn, &s, &lesson, direction)?;
        Ok((lesson, curriculum))
    })
    .await?;
    let notice = format!("Lesson {} moved.", quoted(&lesson.name));
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
