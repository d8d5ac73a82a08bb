//! Handlers of the tree: add and edit forms (plain pages), delete and reorder (htmx swaps the
//! tree; without JavaScript they redirect to the course page).

use actix_session::Session;
use actix_web::{http::StatusCode, web, HttpRequest, HttpResponse};
use askama::Template;
use serde::Deserialize;
use uuid::Uuid;

use super::{
    form::{LessonForm, NodeForm},
    model::{self, Direction},
    TreeView,
};
use crate::{
    access::ProgramScope,
    courses::{model as courses, tutors::ConfirmForm},
    db,
    error::AppResult,
    web::{flash, form::FieldErrors, is_htmx, redirect, render, render_with_status, Shell},
    AppState,
};

#[derive(Template)]
#[template(path = "curricula/form.html")]
struct FormPage {
    shell: Shell,
    heading: String,
    course_name: String,
    action: String,
    back: String,
    submit: &'static str,
    is_lesson: bool,
    node: NodeForm,
    lesson: LessonForm,
    errors: FieldErrors,
}

struct Spec {
    heading: String,
    course_id: Uuid,
    course_name: String,
    action: String,
    submit: &'static str,
}

fn node_page(
    shell: Shell,
    spec: Spec,
    node: NodeForm,
    errors: FieldErrors,
) -> AppResult<HttpResponse> {
    page(shell, spec, false, node, LessonForm::default(), errors)
}

fn lesson_page(
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
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    render_with_status(
        status,
        &FormPage {
            shell,
            heading: spec.heading,
            course_name: spec.course_name,
            back: format!("/courses/{}#curriculum", spec.course_id),
            action: spec.action,
            submit: spec.submit,
            is_lesson,
            node,
            lesson,
            errors,
        },
    )
}

#[derive(Template)]
#[template(path = "curricula/tree.html")]
struct TreeFragment {
    shell: Shell,
    tree: TreeView,
}

/// After a change: htmx gets the re-rendered tree (and the message out of band); a plain form
/// goes back to the course page.
async fn after_change(
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

fn saved(session: &Session, message: String, course_id: Uuid, anchor: &str) -> HttpResponse {
    flash::success(session, message);
    redirect(&format!("/courses/{course_id}#{anchor}"))
}

#[derive(Deserialize)]
pub struct MoveForm {
    #[serde(default)]
    pub direction: String,
}

fn quoted(name: &str) -> String {
    format!("\u{201c}{name}\u{201d}")
}

// ----- Curricula -----

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

// ----- Modules -----

fn module_spec(
    heading: String,
    course: courses::Course,
    action: String,
    submit: &'static str,
) -> Spec {
    Spec {
        heading,
        course_id: course.id,
        course_name: course.name,
        action,
        submit,
    }
}

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

// ----- Lessons -----

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
