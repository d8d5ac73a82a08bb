//! Lessons of a module: add, edit, delete, move.

use crate::web::{form::VersionForm, once::FormToken};
use actix_session::Session;
use actix_web::{web, HttpRequest, HttpResponse};
use diesel::PgConnection;
use uuid::Uuid;

use super::{
    lesson_page,
    level::{self, TreeLevel},
    MoveForm, Spec,
};
use crate::{
    access::ProgramScope,
    courses::{self, Course},
    curricula::{
        form::LessonForm,
        model::{self, Direction, Lesson, LessonCommand},
    },
    error::AppResult,
    web::{form::FieldErrors, Shell},
    AppState,
};

struct Lessons;

impl TreeLevel for Lessons {
    type Record = Lesson;
    type Form = LessonForm;
    type Command = LessonCommand;
    const LABEL: &'static str = "Lesson";
    const NOUN: &'static str = "lesson";
    const PATH: &'static str = "/lessons";
    const PARENT_PATH: &'static str = "/modules";

    fn find_parent(
        conn: &mut PgConnection,
        scope: &ProgramScope,
        module_id: Uuid,
    ) -> AppResult<(Option<String>, Course)> {
        let (module, curriculum) = model::find_module(conn, scope, module_id)?;
        let course = courses::find(conn, scope, curriculum.course_id)?;
        Ok((Some(module.name), course))
    }
    fn find(conn: &mut PgConnection, scope: &ProgramScope, id: Uuid) -> AppResult<(Lesson, Uuid)> {
        let (lesson, _, curriculum) = model::find_lesson(conn, scope, id)?;
        Ok((lesson, curriculum.course_id))
    }
    fn name(lesson: &Lesson) -> &str {
        &lesson.name
    }
    fn updated_at(lesson: &Lesson) -> chrono::DateTime<chrono::Utc> {
        lesson.updated_at
    }
    fn blank_form() -> LessonForm {
        LessonForm::blank()
    }
    fn form_of(lesson: &Lesson) -> LessonForm {
        LessonForm::from_lesson(lesson)
    }
    fn validate(form: &LessonForm) -> Result<LessonCommand, FieldErrors> {
        form.validate()
    }
    fn command_name(command: &LessonCommand) -> &str {
        &command.name
    }
    fn create(
        conn: &mut PgConnection,
        scope: &ProgramScope,
        module_id: Uuid,
        command: &LessonCommand,
    ) -> AppResult<Uuid> {
        let id = model::create_lesson(conn, scope, module_id, command)?;
        progress_follows(conn, scope, module_id)?;
        Ok(id)
    }
    fn update(
        conn: &mut PgConnection,
        scope: &ProgramScope,
        id: Uuid,
        command: &LessonCommand,
    ) -> AppResult<()> {
        model::update_lesson(conn, scope, id, command)?;
        let (_, _, curriculum) = model::find_lesson(conn, scope, id)?;
        crate::attendance::recompute_for_curriculum(conn, scope, curriculum.id)
    }
    fn delete(conn: &mut PgConnection, scope: &ProgramScope, record: &Lesson) -> AppResult<()> {
        model::delete_lesson(conn, scope, record)?;
        progress_follows(conn, scope, record.module_id)
    }
    fn move_to(
        conn: &mut PgConnection,
        scope: &ProgramScope,
        record: &Lesson,
        direction: Direction,
    ) -> AppResult<()> {
        model::move_lesson(conn, scope, record, direction)
    }
    fn page(
        shell: Shell,
        spec: Spec,
        form: LessonForm,
        errors: FieldErrors,
    ) -> AppResult<HttpResponse> {
        lesson_page(shell, spec, form, errors)
    }
}

pub async fn new_lesson(
    shell: Shell,
    scope: ProgramScope,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
) -> AppResult<HttpResponse> {
    level::new::<Lessons>(shell, scope, state, path.into_inner()).await
}

pub async fn create_lesson(
    shell: Shell,
    scope: ProgramScope,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
    token: FormToken,
    form: web::Form<LessonForm>,
) -> AppResult<HttpResponse> {
    let (id, form) = (path.into_inner(), form.into_inner());
    level::create::<Lessons>(shell, scope, session, state, id, token, form).await
}

pub async fn edit_lesson(
    shell: Shell,
    scope: ProgramScope,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
) -> AppResult<HttpResponse> {
    level::edit::<Lessons>(shell, scope, state, path.into_inner()).await
}

pub async fn update_lesson(
    shell: Shell,
    scope: ProgramScope,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
    form: web::Form<LessonForm>,
) -> AppResult<HttpResponse> {
    let (id, form) = (path.into_inner(), form.into_inner());
    level::update::<Lessons>(shell, scope, session, state, id, form).await
}

pub async fn delete_lesson(
    req: HttpRequest,
    shell: Shell,
    scope: ProgramScope,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
    form: web::Form<VersionForm>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    level::delete::<Lessons>(
        req,
        shell,
        scope,
        session,
        state,
        id,
        form.into_inner().version,
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
    level::move_to::<Lessons>(req, shell, scope, session, state, id, direction).await
}

/// A lesson added, retimed or removed changes the share each credited lesson is of the whole:
/// the progress of the students following its curriculum is computed again, in the same
/// transaction.
fn progress_follows(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    module_id: Uuid,
) -> AppResult<()> {
    let curriculum = model::curriculum_of_module(conn, scope, module_id)?;
    crate::attendance::recompute_for_curriculum(conn, scope, curriculum)
}
