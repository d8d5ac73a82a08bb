//! Curricula of a course: add, edit, delete, move.

use crate::web::{form::VersionForm, once::FormToken};
use actix_session::Session;
use actix_web::{web, HttpRequest, HttpResponse};
use diesel::PgConnection;
use uuid::Uuid;

use super::{
    level::{self, TreeLevel},
    node_page, MoveForm, Spec,
};
use crate::{
    access::ProgramScope,
    courses::{self, Course},
    curricula::{
        form::NodeForm,
        model::{self, Curriculum, Direction, NodeCommand},
    },
    error::AppResult,
    web::{form::FieldErrors, Shell},
    AppState,
};

struct Curricula;

impl TreeLevel for Curricula {
    type Record = Curriculum;
    type Form = NodeForm;
    type Command = NodeCommand;
    const LABEL: &'static str = "Curriculum";
    const NOUN: &'static str = "curriculum";
    const PATH: &'static str = "/curricula";
    const PARENT_PATH: &'static str = "/courses";

    fn find_parent(
        conn: &mut PgConnection,
        scope: &ProgramScope,
        course_id: Uuid,
    ) -> AppResult<(Option<String>, Course)> {
        Ok((None, courses::find(conn, scope, course_id)?))
    }
    fn find(
        conn: &mut PgConnection,
        scope: &ProgramScope,
        id: Uuid,
    ) -> AppResult<(Curriculum, Uuid)> {
        let curriculum = model::find_curriculum(conn, scope, id)?;
        let course_id = curriculum.course_id;
        Ok((curriculum, course_id))
    }
    fn name(curriculum: &Curriculum) -> &str {
        &curriculum.name
    }
    fn updated_at(curriculum: &Curriculum) -> chrono::DateTime<chrono::Utc> {
        curriculum.updated_at
    }
    fn blank_form() -> NodeForm {
        NodeForm::default()
    }
    fn form_of(curriculum: &Curriculum) -> NodeForm {
        NodeForm::from_curriculum(curriculum)
    }
    fn validate(form: &NodeForm) -> Result<NodeCommand, FieldErrors> {
        form.validate()
    }
    fn command_name(command: &NodeCommand) -> &str {
        &command.name
    }
    fn create(
        conn: &mut PgConnection,
        scope: &ProgramScope,
        course_id: Uuid,
        command: &NodeCommand,
    ) -> AppResult<Uuid> {
        model::create_curriculum(conn, scope, course_id, command)
    }
    fn update(
        conn: &mut PgConnection,
        scope: &ProgramScope,
        id: Uuid,
        command: &NodeCommand,
    ) -> AppResult<()> {
        model::update_curriculum(conn, scope, id, command)
    }
    fn delete(conn: &mut PgConnection, scope: &ProgramScope, record: &Curriculum) -> AppResult<()> {
        model::delete_curriculum(conn, scope, record)
    }
    fn move_to(
        conn: &mut PgConnection,
        scope: &ProgramScope,
        record: &Curriculum,
        direction: Direction,
    ) -> AppResult<()> {
        model::move_curriculum(conn, scope, record, direction)
    }
    fn page(
        shell: Shell,
        spec: Spec,
        form: NodeForm,
        errors: FieldErrors,
    ) -> AppResult<HttpResponse> {
        node_page(shell, spec, form, errors)
    }
}

pub async fn new_curriculum(
    shell: Shell,
    scope: ProgramScope,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
) -> AppResult<HttpResponse> {
    level::new::<Curricula>(shell, scope, state, path.into_inner()).await
}

pub async fn create_curriculum(
    shell: Shell,
    scope: ProgramScope,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
    token: FormToken,
    form: web::Form<NodeForm>,
) -> AppResult<HttpResponse> {
    let (id, form) = (path.into_inner(), form.into_inner());
    level::create::<Curricula>(shell, scope, session, state, id, token, form).await
}

pub async fn edit_curriculum(
    shell: Shell,
    scope: ProgramScope,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
) -> AppResult<HttpResponse> {
    level::edit::<Curricula>(shell, scope, state, path.into_inner()).await
}

pub async fn update_curriculum(
    shell: Shell,
    scope: ProgramScope,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
    form: web::Form<NodeForm>,
) -> AppResult<HttpResponse> {
    let (id, form) = (path.into_inner(), form.into_inner());
    level::update::<Curricula>(shell, scope, session, state, id, form).await
}

pub async fn delete_curriculum(
    req: HttpRequest,
    shell: Shell,
    scope: ProgramScope,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
    form: web::Form<VersionForm>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    level::delete::<Curricula>(
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
    level::move_to::<Curricula>(req, shell, scope, session, state, id, direction).await
}
