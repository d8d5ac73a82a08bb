//! `/reference-data`: the page, and each change answering either the whole page (plain forms) or
//! the section it changed (htmx), with messages beside the fields (422) when refused.

use actix_session::Session;
use actix_web::{http::StatusCode, web, HttpRequest, HttpResponse};
use askama::Template;
use diesel::prelude::*;
use serde::Deserialize;
use uuid::Uuid;

use super::{
    form::{AgeGroupForm, SessionTypeForm},
    model::{self, overlaps, AgeGroup, SessionType, Usage},
};
use crate::{
    access::ProgramScope,
    db,
    error::{AppError, AppResult},
    schema::{age_groups, programs, session_types},
    web::{
        flash,
        form::{check_version, FieldErrors},
        is_htmx, redirect, render_with_status, Shell,
    },
    AppState,
};

#[derive(Default)]
pub struct AgeGroupsView {
    pub rows: Vec<(AgeGroup, Usage)>,
    pub editing: Option<Uuid>,
    pub edit_form: AgeGroupForm,
    pub edit_errors: FieldErrors,
    pub new_form: AgeGroupForm,
    pub new_errors: FieldErrors,
    pub notice: String,
}

impl AgeGroupsView {
    pub fn is_editing(&self, id: &Uuid) -> bool {
        self.editing.as_ref() == Some(id)
    }
}

#[derive(Default)]
pub struct SessionTypesView {
    pub rows: Vec<(SessionType, Usage)>,
    pub editing: Option<Uuid>,
    pub edit_form: SessionTypeForm,
    pub edit_errors: FieldErrors,
    pub new_form: SessionTypeForm,
    pub new_errors: FieldErrors,
    pub notice: String,
}

impl SessionTypesView {
    pub fn is_editing(&self, id: &Uuid) -> bool {
        self.editing.as_ref() == Some(id)
    }
}

#[derive(Template)]
#[template(path = "reference_data/show.html")]
struct Page {
    shell: Shell,
    ages: AgeGroupsView,
    sessions: SessionTypesView,
}

#[derive(Template)]
#[template(path = "reference_data/age_groups.html")]
struct AgeGroupsFragment {
    shell: Shell,
    ages: AgeGroupsView,
}

#[derive(Template)]
#[template(path = "reference_data/session_types.html")]
struct SessionTypesFragment {
    shell: Shell,
    sessions: SessionTypesView,
}

fn load_ages(conn: &mut PgConnection, scope: &ProgramScope) -> AppResult<AgeGroupsView> {
    let mut rows = Vec::new();
    for group in model::age_groups(conn, scope)? {
        let usage = model::age_group_usage(conn, scope, &group.code)?;
        rows.push((group, usage));
    }
    Ok(AgeGroupsView {
        rows,
        new_form: AgeGroupForm::default(),
        ..AgeGroupsView::default()
    })
}

fn load_sessions(conn: &mut PgConnection, scope: &ProgramScope) -> AppResult<SessionTypesView> {
    let mut rows = Vec::new();
    for session_type in model::session_types(conn, scope)? {
        let usage = model::session_type_usage(conn, scope, &session_type.code)?;
        rows.push((session_type, usage));
    }
    Ok(SessionTypesView {
        rows,
        ..SessionTypesView::default()
    })
}

enum Section {
    Ages(AgeGroupsView),
    Sessions(SessionTypesView),
}

/// The answer to a change: the changed section for htmx, else the whole page.
async fn respond(
    req: &HttpRequest,
    shell: Shell,
    scope: ProgramScope,
    state: &AppState,
    status: StatusCode,
    section: Section,
) -> AppResult<HttpResponse> {
    if is_htmx(req) {
        return match section {
            Section::Ages(ages) => render_with_status(status, &AgeGroupsFragment { shell, ages }),
            Section::Sessions(sessions) => {
                render_with_status(status, &SessionTypesFragment { shell, sessions })
            }
        };
    }
    let (ages, sessions) = match section {
        Section::Ages(ages) => {
            let sessions = db::run(&state.pool, move |conn| load_sessions(conn, &scope)).await?;
            (ages, sessions)
        }
        Section::Sessions(sessions) => {
            let ages = db::run(&state.pool, move |conn| load_ages(conn, &scope)).await?;
            (ages, sessions)
        }
    };
    render_with_status(
        status,
        &Page {
            shell,
            ages,
            sessions,
        },
    )
}

/// After a successful change: htmx gets the fresh section with a notice; a plain form a redirect
/// and a flash message.
async fn done(
    req: &HttpRequest,
    session: &Session,
    shell: Shell,
    scope: ProgramScope,
    state: &AppState,
    ages: bool,
    notice: String,
) -> AppResult<HttpResponse> {
    if !is_htmx(req) {
        flash::success(session, notice);
        return Ok(redirect("/reference-data"));
    }
    let reload = scope.clone();
    let section = if ages {
        let mut view = db::run(&state.pool, move |conn| load_ages(conn, &reload)).await?;
        view.notice = notice;
        Section::Ages(view)
    } else {
        let mut view = db::run(&state.pool, move |conn| load_sessions(conn, &reload)).await?;
        view.notice = notice;
        Section::Sessions(view)
    };
    respond(req, shell, scope, state, StatusCode::OK, section).await
}

pub async fn show(
    shell: Shell,
    scope: ProgramScope,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let (ages, sessions) = db::run(&state.pool, move |conn| {
        Ok((load_ages(conn, &scope)?, load_sessions(conn, &scope)?))
    })
    .await?;
    render_with_status(
        StatusCode::OK,
        &Page {
            shell,
            ages,
            sessions,
        },
    )
}

// ---------------------------------------------------------------- age groups

#[derive(Deserialize)]
pub struct AgeGroupPath {
    age_group_id: Uuid,
}

/// Serialises changes to a program's reference data: each check-then-write waits for the previous
/// one to commit, so it sees its rows (new rows included, which a row lock could not cover). A
/// `NO KEY` lock, so rows elsewhere that merely reference the program are not held up.
fn lock_program(conn: &mut PgConnection, scope: &ProgramScope) -> AppResult<()> {
    programs::table
        .find(scope.program_id())
        .select(programs::id)
        .for_no_key_update()
        .first::<Uuid>(conn)?;
    Ok(())
}

/// Checks a saved age group against the others of the program (code unique, ranges apart) and
/// against its own uses (a code in use keeps its spelling). `None` when it may be saved.
fn age_group_conflicts(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    editing: Option<&AgeGroup>,
    command: &super::form::AgeGroupCommand,
) -> AppResult<Option<FieldErrors>> {
    let mut errors = FieldErrors::new();
    // Two saves at once cannot both pass the checks: they queue on the program's row.
    lock_program(conn, scope)?;
    let others: Vec<AgeGroup> = scope
        .age_groups()
        .order(age_groups::min_age.asc())
        .select(AgeGroup::as_select())
        .load(conn)?;
    for other in others
        .iter()
        .filter(|o| Some(o.id) != editing.map(|e| e.id))
    {
        if other.code == command.code {
            errors.add("code", "Another age group of this program has that code.");
        }
        if overlaps(
            (command.min_age, command.max_age),
            (other.min_age, other.max_age),
        ) {
            errors.add(
                "min_age",
                format!(
                    "These ages overlap {} ({}); age groups may not overlap.",
                    other.code,
                    other.range()
                ),
            );
        }
    }
    if let Some(current) = editing {
        if current.code != command.code {
            let usage = model::age_group_usage(conn, scope, &current.code)?;
            if usage.in_use() {
                errors.add(
                    "code",
                    format!(
                        "Code {} is used by {}; it cannot be renamed. Add a new age group instead.",
                        current.code,
                        usage.describe()
                    ),
                );
            }
        }
    }
    Ok((!errors.is_empty()).then_some(errors))
}

pub async fn create_age_group(
    req: HttpRequest,
    session: Session,
    shell: Shell,
    scope: ProgramScope,
    state: web::Data<AppState>,
    form: web::Form<AgeGroupForm>,
) -> AppResult<HttpResponse> {
    let form = form.into_inner();
    let work_scope = scope.clone();
    let validated = form.validate();
    let outcome = match validated {
        Err(errors) => Err(errors),
        Ok(command) => {
            db::transaction(&state.pool, move |conn| {
                if let Some(errors) = age_group_conflicts(conn, &work_scope, None, &command)? {
                    return Ok(Err(errors));
                }
                diesel::insert_into(age_groups::table)
                    .values((
                        age_groups::program_id.eq(work_scope.program_id()),
                        age_groups::code.eq(&command.code),
                        age_groups::name.eq(&command.name),
                        age_groups::min_age.eq(command.min_age),
                        age_groups::max_age.eq(command.max_age),
                    ))
                    .execute(conn)?;
                Ok(Ok(command.code))
            })
            .await?
        }
    };
    match outcome {
        Ok(code) => {
            done(
                &req,
                &session,
                shell,
                scope,
                &state,
                true,
                format!("Age group {code} added."),
            )
            .await
        }
        Err(errors) => {
            let reload = scope.clone();
            let mut view = db::run(&state.pool, move |conn| load_ages(conn, &reload)).await?;
            view.new_form = form;
            view.new_errors = errors;
            respond(
                &req,
                shell,
                scope,
                &state,
                StatusCode::UNPROCESSABLE_ENTITY,
                Section::Ages(view),
            )
            .await
        }
    }
}

fn find_age_group(conn: &mut PgConnection, scope: &ProgramScope, id: Uuid) -> AppResult<AgeGroup> {
    Ok(scope
        .age_groups()
        .filter(age_groups::id.eq(id))
        .select(AgeGroup::as_select())
        .first(conn)?)
}

/// The section with one row open for editing.
pub async fn edit_age_group(
    req: HttpRequest,
    shell: Shell,
    scope: ProgramScope,
    state: web::Data<AppState>,
    path: web::Path<AgeGroupPath>,
) -> AppResult<HttpResponse> {
    let id = path.age_group_id;
    let reload = scope.clone();
    let view = db::run(&state.pool, move |conn| {
        let group = find_age_group(conn, &reload, id)?;
        let mut view = load_ages(conn, &reload)?;
        view.editing = Some(group.id);
        view.edit_form = AgeGroupForm {
            code: group.code.clone(),
            name: group.name.clone(),
            min_age: group.min_age.to_string(),
            max_age: group.max_text(),
        };
        Ok(view)
    })
    .await?;
    respond(
        &req,
        shell,
        scope,
        &state,
        StatusCode::OK,
        Section::Ages(view),
    )
    .await
}

pub async fn update_age_group(
    req: HttpRequest,
    session: Session,
    shell: Shell,
    scope: ProgramScope,
    state: web::Data<AppState>,
    path: web::Path<AgeGroupPath>,
    form: web::Form<AgeGroupForm>,
) -> AppResult<HttpResponse> {
    let id = path.age_group_id;
    let form = form.into_inner();
    let work_scope = scope.clone();
    let validated = form.validate();
    let outcome = db::transaction(&state.pool, move |conn| {
        // A missing id, or one of another program, is not found before anything else is said.
        let current = find_age_group(conn, &work_scope, id)?;
        let command = match validated {
            Ok(c) => c,
            Err(errors) => return Ok(Err(errors)),
        };
        if let Some(errors) = age_group_conflicts(conn, &work_scope, Some(&current), &command)? {
            return Ok(Err(errors));
        }
        diesel::update(
            work_scope
                .age_groups()
                .filter(age_groups::id.eq(current.id)),
        )
        .set((
            age_groups::code.eq(&command.code),
            age_groups::name.eq(&command.name),
            age_groups::min_age.eq(command.min_age),
            age_groups::max_age.eq(command.max_age),
        ))
        .execute(conn)?;
        Ok(Ok(command.code))
    })
    .await?;
    match outcome {
        Ok(code) => {
            done(
                &req,
                &session,
                shell,
                scope,
                &state,
                true,
                format!("Age group {code} saved."),
            )
            .await
        }
        Err(errors) => {
            let reload = scope.clone();
            let mut view = db::run(&state.pool, move |conn| load_ages(conn, &reload)).await?;
            view.editing = Some(id);
            view.edit_form = form;
            view.edit_errors = errors;
            respond(
                &req,
                shell,
                scope,
                &state,
                StatusCode::UNPROCESSABLE_ENTITY,
                Section::Ages(view),
            )
            .await
        }
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct VersionForm {
    #[serde(default)]
    version: String,
}

pub async fn delete_age_group(
    req: HttpRequest,
    session: Session,
    shell: Shell,
    scope: ProgramScope,
    state: web::Data<AppState>,
    path: web::Path<AgeGroupPath>,
    form: web::Form<VersionForm>,
) -> AppResult<HttpResponse> {
    let id = path.age_group_id;
    let version = form.into_inner().version;
    let work_scope = scope.clone();
    let code = db::transaction(&state.pool, move |conn| {
        let group: AgeGroup = work_scope
            .age_groups()
            .filter(age_groups::id.eq(id))
            .select(AgeGroup::as_select())
            .for_update()
            .first(conn)?;
        check_version(&version, group.updated_at, "This age group")?;
        let usage = model::age_group_usage(conn, &work_scope, &group.code)?;
        if usage.in_use() {
            return Err(AppError::conflict(format!(
                "Age group {} is used by {}; it cannot be removed. Nothing was changed.",
                group.code,
                usage.describe()
            )));
        }
        diesel::delete(work_scope.age_groups().filter(age_groups::id.eq(group.id)))
            .execute(conn)?;
        Ok(group.code)
    })
    .await?;
    done(
        &req,
        &session,
        shell,
        scope,
        &state,
        true,
        format!("Age group {code} removed."),
    )
    .await
}

// ---------------------------------------------------------------- session types

#[derive(Deserialize)]
pub struct SessionTypePath {
    session_type_id: Uuid,
}

fn session_type_conflicts(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    editing: Option<&SessionType>,
    command: &super::form::SessionTypeCommand,
) -> AppResult<Option<FieldErrors>> {
    let mut errors = FieldErrors::new();
    lock_program(conn, scope)?;
    let others: Vec<SessionType> = scope
        .session_types()
        .select(SessionType::as_select())
        .load(conn)?;
    if others
        .iter()
        .any(|o| Some(o.id) != editing.map(|e| e.id) && o.code == command.code)
    {
        errors.add(
            "code",
            "Another session type of this program has that code.",
        );
    }
    if let Some(current) = editing {
        if current.code != command.code {
            let usage = model::session_type_usage(conn, scope, &current.code)?;
            if usage.in_use() {
                errors.add(
                    "code",
                    format!(
                        "Code {} is used by {}; it cannot be renamed. Add a new session type instead.",
                        current.code,
                        usage.describe()
                    ),
                );
            }
        }
    }
    Ok((!errors.is_empty()).then_some(errors))
}

pub async fn create_session_type(
    req: HttpRequest,
    session: Session,
    shell: Shell,
    scope: ProgramScope,
    state: web::Data<AppState>,
    form: web::Form<SessionTypeForm>,
) -> AppResult<HttpResponse> {
    let form = form.into_inner();
    let work_scope = scope.clone();
    let outcome = match form.validate() {
        Err(errors) => Err(errors),
        Ok(command) => {
            db::transaction(&state.pool, move |conn| {
                if let Some(errors) = session_type_conflicts(conn, &work_scope, None, &command)? {
                    return Ok(Err(errors));
                }
                diesel::insert_into(session_types::table)
                    .values((
                        session_types::program_id.eq(work_scope.program_id()),
                        session_types::code.eq(&command.code),
                        session_types::name.eq(&command.name),
                        session_types::capacity.eq(command.capacity),
                    ))
                    .execute(conn)?;
                Ok(Ok(command.code))
            })
            .await?
        }
    };
    match outcome {
        Ok(code) => {
            done(
                &req,
                &session,
                shell,
                scope,
                &state,
                false,
                format!("Session type {code} added."),
            )
            .await
        }
        Err(errors) => {
            let reload = scope.clone();
            let mut view = db::run(&state.pool, move |conn| load_sessions(conn, &reload)).await?;
            view.new_form = form;
            view.new_errors = errors;
            respond(
                &req,
                shell,
                scope,
                &state,
                StatusCode::UNPROCESSABLE_ENTITY,
                Section::Sessions(view),
            )
            .await
        }
    }
}

fn find_session_type(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    id: Uuid,
) -> AppResult<SessionType> {
    Ok(scope
        .session_types()
        .filter(session_types::id.eq(id))
        .select(SessionType::as_select())
        .first(conn)?)
}

pub async fn edit_session_type(
    req: HttpRequest,
    shell: Shell,
    scope: ProgramScope,
    state: web::Data<AppState>,
    path: web::Path<SessionTypePath>,
) -> AppResult<HttpResponse> {
    let id = path.session_type_id;
    let reload = scope.clone();
    let view = db::run(&state.pool, move |conn| {
        let found = find_session_type(conn, &reload, id)?;
        let mut view = load_sessions(conn, &reload)?;
        view.editing = Some(found.id);
        view.edit_form = SessionTypeForm {
            code: found.code.clone(),
            name: found.name.clone(),
            capacity: found.capacity.to_string(),
        };
        Ok(view)
    })
    .await?;
    respond(
        &req,
        shell,
        scope,
        &state,
        StatusCode::OK,
        Section::Sessions(view),
    )
    .await
}

pub async fn update_session_type(
    req: HttpRequest,
    session: Session,
    shell: Shell,
    scope: ProgramScope,
    state: web::Data<AppState>,
    path: web::Path<SessionTypePath>,
    form: web::Form<SessionTypeForm>,
) -> AppResult<HttpResponse> {
    let id = path.session_type_id;
    let form = form.into_inner();
    let work_scope = scope.clone();
    let validated = form.validate();
    let outcome = db::transaction(&state.pool, move |conn| {
        let current = find_session_type(conn, &work_scope, id)?;
        let command = match validated {
            Ok(c) => c,
            Err(errors) => return Ok(Err(errors)),
        };
        if let Some(errors) = session_type_conflicts(conn, &work_scope, Some(&current), &command)? {
            return Ok(Err(errors));
        }
        diesel::update(
            work_scope
                .session_types()
                .filter(session_types::id.eq(current.id)),
        )
        .set((
            session_types::code.eq(&command.code),
            session_types::name.eq(&command.name),
            session_types::capacity.eq(command.capacity),
        ))
        .execute(conn)?;
        Ok(Ok(command.code))
    })
    .await?;
    match outcome {
        Ok(code) => {
            done(
                &req,
                &session,
                shell,
                scope,
                &state,
                false,
                format!("Session type {code} saved."),
            )
            .await
        }
        Err(errors) => {
            let reload = scope.clone();
            let mut view = db::run(&state.pool, move |conn| load_sessions(conn, &reload)).await?;
            view.editing = Some(id);
            view.edit_form = form;
            view.edit_errors = errors;
            respond(
                &req,
                shell,
                scope,
                &state,
                StatusCode::UNPROCESSABLE_ENTITY,
                Section::Sessions(view),
            )
            .await
        }
    }
}

pub async fn delete_session_type(
    req: HttpRequest,
    session: Session,
    shell: Shell,
    scope: ProgramScope,
    state: web::Data<AppState>,
    path: web::Path<SessionTypePath>,
    form: web::Form<VersionForm>,
) -> AppResult<HttpResponse> {
    let id = path.session_type_id;
    let version = form.into_inner().version;
    let work_scope = scope.clone();
    let code = db::transaction(&state.pool, move |conn| {
        let found: SessionType = work_scope
            .session_types()
            .filter(session_types::id.eq(id))
            .select(SessionType::as_select())
            .for_update()
            .first(conn)?;
        check_version(&version, found.updated_at, "This session type")?;
        let usage = model::session_type_usage(conn, &work_scope, &found.code)?;
        if usage.in_use() {
            return Err(AppError::conflict(format!(
                "Session type {} is used by {}; it cannot be removed. Nothing was changed.",
                found.code,
                usage.describe()
            )));
        }
        diesel::delete(
            work_scope
                .session_types()
                .filter(session_types::id.eq(found.id)),
        )
        .execute(conn)?;
        Ok(found.code)
    })
    .await?;
    done(
        &req,
        &session,
        shell,
        scope,
        &state,
        false,
        format!("Session type {code} removed."),
    )
    .await
}
