//! Modules of a curriculum: add, edit, delete, move.

use actix_session::Session;
use actix_web::{web, HttpRequest, HttpResponse};
use uuid::Uuid;

use super::{after_change, module_spec, node_page, quoted, saved, MoveForm};
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

pub async fn new_module(
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
    let spec = module_spec(
        format!("Add a module to {}", quoted(&curriculum.name)),
        course,
        format!("/curricula/{id}/modules"),
        "Add module",
    );
    node_page(shell, spec, NodeForm::default(), FieldErrors::new())
}

pub async fn create_module(
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
            Ok(command) => Ok((
                model::create_module(conn, &scope, id, &command)?,
                command.name,
            )),
            Err(errors) => Err((form, errors)),
        };
        Ok((curriculum, course, result))
    })
    .await?;
    match result {
        Ok((module_id, name)) => Ok(saved(
            &session,
            format!(
                "Module {} added to {}.",
                quoted(&name),
                quoted(&curriculum.name)
            ),
            course.id,
            &format!("module-{module_id}"),
        )),
        Err((form, errors)) => node_page(
            shell,
            module_spec(
                format!("Add a module to {}", quoted(&curriculum.name)),
                course,
                format!("/curricula/{id}/modules"),
                "Add module",
            ),
            form,
            errors,
        ),
    }
}

pub async fn edit_module(
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
        format!("Edit module {}", quoted(&module.name)),
        course,
        format!("/modules/{id}/edit"),
        "Save module",
    );
    node_page(
        shell,
        spec,
        NodeForm::from_module(&module),
        FieldErrors::new(),
    )
}

pub async fn update_module(
    shell: Shell,
    scope: ProgramScope,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
    form: web::Form<NodeForm>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let form = form.into_inner();
    let (module, course, result) = db::transaction(&state.pool, move |conn| {
        let (module, curriculum) = model::find_module(conn, &scope, id)?;
        let course = courses::find(conn, &scope, curriculum.course_id)?;
        let result = match form.validate() {
            Ok(command) => {
                model::update_module(conn, &scope, id, &command)?;
                Ok(command.name)
            }
            Err(errors) => Err((form, errors)),
        };
        Ok((module, course, result))
    })
    .await?;
    match result {
        Ok(name) => Ok(saved(
            &session,
            format!("Module {} saved.", quoted(&name)),
            course.id,
            &format!("module-{id}"),
        )),
        Err((form, errors)) => node_page(
            shell,
            module_spec(
                format!("Edit module {}", quoted(&module.name)),
                course,
                format!("/modules/{id}/edit"),
                "Save module",
            ),
            form,
            errors,
        ),
    }
}

pub async fn delete_module(
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
    let (module, curriculum) = db::transaction(&state.pool, move |conn| {
        let (module, curriculum) = model::find_module(conn, &s, id)?;
        model::delete_module(conn, &s, &module)?;
        Ok((module, curriculum))
    })
    .await?;
    let notice = format!("Module {} deleted.", quoted(&module.name));
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

pub async fn move_module(
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
    let (module, curriculum) = db::transaction(&state.pool, move |conn| {
        let (module, curriculum) = model::find_module(conn, &s, id)?;
        model::move_module(conn, &s, &module, direction)?;
        Ok((module, curriculum))
    })
    .await?;
    let notice = format!("Module {} moved.", quoted(&module.name));
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
