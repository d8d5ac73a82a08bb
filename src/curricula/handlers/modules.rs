//! Modules of a curriculum: add, edit, delete, move.

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
        model::{self, Direction, Module, NodeCommand},
    },
    error::AppResult,
    web::{form::FieldErrors, Shell},
    AppState,
};

struct Modules;

impl TreeLevel for Modules {
    type Record = Module;
    type Form = NodeForm;
    type Command = NodeCommand;
    const LABEL: &'static str = "Module";
    const NOUN: &'static str = "module";
    const PATH: &'static str = "/modules";
    const PARENT_PATH: &'static str = "/curricula";

    fn find_parent(
        conn: &mut PgConnection,
        scope: &ProgramScope,
        curriculum_id: Uuid,
    ) -> AppResult<(Option<String>, Course)> {
        let curriculum = model::find_curriculum(conn, scope, curriculum_id)?;
        let course = courses::find(conn, scope, curriculum.course_id)?;
        Ok((Some(curriculum.name), course))
    }
    fn find(conn: &mut PgConnection, scope: &ProgramScope, id: Uuid) -> AppResult<(Module, Uuid)> {
        let (module, curriculum) = model::find_module(conn, scope, id)?;
        Ok((module, curriculum.course_id))
    }
    fn name(module: &Module) -> &str {
        &module.name
    }
    fn updated_at(module: &Module) -> chrono::DateTime<chrono::Utc> {
        module.updated_at
    }
    fn blank_form() -> NodeForm {
        NodeForm::default()
    }
    fn form_of(module: &Module) -> NodeForm {
        NodeForm::from_module(module)
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
        curriculum_id: Uuid,
        command: &NodeCommand,
    ) -> AppResult<Uuid> {
        model::create_module(conn, scope, curriculum_id, command)
    }
    fn update(
        conn: &mut PgConnection,
        scope: &ProgramScope,
        id: Uuid,
        command: &NodeCommand,
    ) -> AppResult<()> {
        model::update_module(conn, scope, id, command)
    }
    fn delete(conn: &mut PgConnection, scope: &ProgramScope, record: &Module) -> AppResult<()> {
        model::delete_module(conn, scope, record)
    }
    fn move_to(
        conn: &mut PgConnection,
        scope: &ProgramScope,
        record: &Module,
        direction: Direction,
    ) -> AppResult<()> {
        model::move_module(conn, scope, record, direction)
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

pub async fn new_module(
    shell: Shell,
    scope: ProgramScope,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
) -> AppResult<HttpResponse> {
    level::new::<Modules>(shell, scope, state, path.into_inner()).await
}

pub async fn create_module(
    shell: Shell,
    scope: ProgramScope,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
    token: FormToken,
    form: web::Form<NodeForm>,
) -> AppResult<HttpResponse> {
    let (id, form) = (path.into_inner(), form.into_inner());
    level::create::<Modules>(shell, scope, session, state, id, token, form).await
}

pub async fn edit_module(
    shell: Shell,
    scope: ProgramScope,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
) -> AppResult<HttpResponse> {
    level::edit::<Modules>(shell, scope, state, path.into_inner()).await
}

pub async fn update_module(
    shell: Shell,
    scope: ProgramScope,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
    form: web::Form<NodeForm>,
) -> AppResult<HttpResponse> {
    let (id, form) = (path.into_inner(), form.into_inner());
    level::update::<Modules>(shell, scope, session, state, id, form).await
}

pub async fn delete_module(
    req: HttpRequest,
    shell: Shell,
    scope: ProgramScope,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
    form: web::Form<VersionForm>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    level::delete::<Modules>(
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
    level::move_to::<Modules>(req, shell, scope, session, state, id, direction).await
}
