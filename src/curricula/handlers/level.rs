//! The add, edit, delete and move flows, written once for the three levels of the tree. A level
//! (`TreeLevel`) says how to find, write and show its records; the flows do the rest.

use crate::web::{
    form::check_version,
    once::{self, FormToken},
};
use actix_session::Session;
use actix_web::{web, HttpRequest, HttpResponse};
use diesel::PgConnection;
use uuid::Uuid;

use super::{after_change, quoted, saved, Spec};
use crate::{
    access::ProgramScope,
    courses::{self, Course},
    curricula::model::Direction,
    db,
    error::AppResult,
    web::{form::FieldErrors, Shell},
    AppState,
};

/// What differs between curricula, modules and lessons.
pub(super) trait TreeLevel: 'static {
    type Record: Send + 'static;
    type Form: Send + 'static;
    type Command: Send + 'static;
    /// "Curriculum": starts the messages.
    const LABEL: &'static str;
    /// "curriculum": in headings, buttons and the record's anchor on the course page.
    const NOUN: &'static str;
    /// "/curricula": the prefix of a record's own routes.
    const PATH: &'static str;
    /// "/courses": the prefix of the parent's routes; new records are posted under the parent.
    const PARENT_PATH: &'static str;

    /// The parent's name (`None` for the course itself, which the page names already) and the
    /// course it belongs to.
    fn find_parent(
        conn: &mut PgConnection,
        scope: &ProgramScope,
        id: Uuid,
    ) -> AppResult<(Option<String>, Course)>;
    /// The record and the id of its course.
    fn find(
        conn: &mut PgConnection,
        scope: &ProgramScope,
        id: Uuid,
    ) -> AppResult<(Self::Record, Uuid)>;
    fn name(record: &Self::Record) -> &str;
    fn updated_at(record: &Self::Record) -> chrono::DateTime<chrono::Utc>;
    fn blank_form() -> Self::Form;
    fn form_of(record: &Self::Record) -> Self::Form;
    fn validate(form: &Self::Form) -> Result<Self::Command, FieldErrors>;
    fn command_name(command: &Self::Command) -> &str;
    fn create(
        conn: &mut PgConnection,
        scope: &ProgramScope,
        parent_id: Uuid,
        command: &Self::Command,
    ) -> AppResult<Uuid>;
    fn update(
        conn: &mut PgConnection,
        scope: &ProgramScope,
        id: Uuid,
        command: &Self::Command,
    ) -> AppResult<()>;
    fn delete(
        conn: &mut PgConnection,
        scope: &ProgramScope,
        record: &Self::Record,
    ) -> AppResult<()>;
    fn move_to(
        conn: &mut PgConnection,
        scope: &ProgramScope,
        record: &Self::Record,
        direction: Direction,
    ) -> AppResult<()>;
    fn page(
        shell: Shell,
        spec: Spec,
        form: Self::Form,
        errors: FieldErrors,
    ) -> AppResult<HttpResponse>;
}

/// The add form of a record under `parent_id`: "Add a module to “Basics”".
fn add_spec<L: TreeLevel>(parent_id: Uuid, parent: Option<&str>, course: Course) -> Spec {
    let heading = match parent {
        Some(parent) => format!("Add a {} to {}", L::NOUN, quoted(parent)),
        None => format!("Add a {}", L::NOUN),
    };
    Spec {
        heading,
        course_id: course.id,
        course_name: course.name,
        action: format!("{}/{parent_id}{}", L::PARENT_PATH, L::PATH),
        submit: format!("Add {}", L::NOUN),
        creating: true,
    }
}

fn edit_spec<L: TreeLevel>(id: Uuid, record: &L::Record, course: Course) -> Spec {
    Spec {
        heading: format!("Edit {} {}", L::NOUN, quoted(L::name(record))),
        course_id: course.id,
        course_name: course.name,
        action: format!("{}/{id}/edit", L::PATH),
        submit: format!("Save {}", L::NOUN),
        creating: false,
    }
}

pub(super) async fn new<L: TreeLevel>(
    shell: Shell,
    scope: ProgramScope,
    state: web::Data<AppState>,
    parent_id: Uuid,
) -> AppResult<HttpResponse> {
    let (parent, course) = db::run(&state.pool, move |conn| {
        L::find_parent(conn, &scope, parent_id)
    })
    .await?;
    let spec = add_spec::<L>(parent_id, parent.as_deref(), course);
    L::page(shell, spec, L::blank_form(), FieldErrors::new())
}

pub(super) async fn create<L: TreeLevel>(
    shell: Shell,
    scope: ProgramScope,
    session: Session,
    state: web::Data<AppState>,
    parent_id: Uuid,
    token: FormToken,
    form: L::Form,
) -> AppResult<HttpResponse> {
    let user = shell.user.id;
    let (parent, course, result) = db::transaction(&state.pool, move |conn| {
        let (parent, course) = L::find_parent(conn, &scope, parent_id)?;
        let course_id = course.id;
        let result = match L::validate(&form) {
            Ok(command) => Ok((
                once::create(
                    conn,
                    token,
                    user,
                    |conn| L::create(conn, &scope, parent_id, &command),
                    |id| format!("/courses/{course_id}#{}-{id}", L::NOUN),
                )?,
                L::command_name(&command).to_string(),
            )),
            Err(errors) => Err((form, errors)),
        };
        Ok((parent, course, result))
    })
    .await?;
    match result {
        Ok((id, name)) => {
            let message = match &parent {
                Some(parent) => format!(
                    "{} {} added to {}.",
                    L::LABEL,
                    quoted(&name),
                    quoted(parent)
                ),
                None => format!("{} {} added.", L::LABEL, quoted(&name)),
            };
            let anchor = format!("{}-{id}", L::NOUN);
            Ok(saved(&session, message, course.id, &anchor))
        }
        Err((form, errors)) => {
            let spec = add_spec::<L>(parent_id, parent.as_deref(), course);
            L::page(shell, spec, form, errors)
        }
    }
}

/// The record with its course, for the edit form.
fn find_with_course<L: TreeLevel>(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    id: Uuid,
) -> AppResult<(L::Record, Course)> {
    let (record, course_id) = L::find(conn, scope, id)?;
    let course = courses::find(conn, scope, course_id)?;
    Ok((record, course))
}

pub(super) async fn edit<L: TreeLevel>(
    shell: Shell,
    scope: ProgramScope,
    state: web::Data<AppState>,
    id: Uuid,
) -> AppResult<HttpResponse> {
    let (record, course) = db::run(&state.pool, move |conn| {
        find_with_course::<L>(conn, &scope, id)
    })
    .await?;
    let form = L::form_of(&record);
    L::page(
        shell,
        edit_spec::<L>(id, &record, course),
        form,
        FieldErrors::new(),
    )
}

pub(super) async fn update<L: TreeLevel>(
    shell: Shell,
    scope: ProgramScope,
    session: Session,
    state: web::Data<AppState>,
    id: Uuid,
    form: L::Form,
) -> AppResult<HttpResponse> {
    let (record, course, result) = db::transaction(&state.pool, move |conn| {
        let (record, course) = find_with_course::<L>(conn, &scope, id)?;
        let result = match L::validate(&form) {
            Ok(command) => {
                L::update(conn, &scope, id, &command)?;
                Ok(L::command_name(&command).to_string())
            }
            Err(errors) => Err((form, errors)),
        };
        Ok((record, course, result))
    })
    .await?;
    match result {
        Ok(name) => {
            let message = format!("{} {} saved.", L::LABEL, quoted(&name));
            let anchor = format!("{}-{id}", L::NOUN);
            Ok(saved(&session, message, course.id, &anchor))
        }
        Err((form, errors)) => L::page(shell, edit_spec::<L>(id, &record, course), form, errors),
    }
}

/// Finds the record and runs `change` on it in one transaction; gives the record and its course.
async fn write<L: TreeLevel>(
    state: &web::Data<AppState>,
    scope: ProgramScope,
    id: Uuid,
    change: impl FnOnce(&mut PgConnection, &ProgramScope, &L::Record) -> AppResult<()> + Send + 'static,
) -> AppResult<(L::Record, Uuid)> {
    db::transaction(&state.pool, move |conn| {
        let (record, course_id) = L::find(conn, &scope, id)?;
        change(conn, &scope, &record)?;
        Ok((record, course_id))
    })
    .await
}

pub(super) async fn delete<L: TreeLevel>(
    req: HttpRequest,
    shell: Shell,
    scope: ProgramScope,
    session: Session,
    state: web::Data<AppState>,
    id: Uuid,
    version: String,
) -> AppResult<HttpResponse> {
    let delete = move |conn: &mut PgConnection, scope: &ProgramScope, record: &L::Record| {
        check_version(&version, L::updated_at(record), L::LABEL)?;
        L::delete(conn, scope, record)
    };
    let (record, course_id) = write::<L>(&state, scope.clone(), id, delete).await?;
    let notice = format!("{} {} deleted.", L::LABEL, quoted(L::name(&record)));
    after_change(&req, shell, scope, &session, &state, course_id, notice).await
}

pub(super) async fn move_to<L: TreeLevel>(
    req: HttpRequest,
    shell: Shell,
    scope: ProgramScope,
    session: Session,
    state: web::Data<AppState>,
    id: Uuid,
    direction: Direction,
) -> AppResult<HttpResponse> {
    let move_it = move |conn: &mut PgConnection, scope: &ProgramScope, record: &L::Record| {
        L::move_to(conn, scope, record, direction)
    };
    let (record, course_id) = write::<L>(&state, scope.clone(), id, move_it).await?;
    let notice = format!("{} {} moved.", L::LABEL, quoted(L::name(&record)));
    after_change(&req, shell, scope, &session, &state, course_id, notice).await
}
