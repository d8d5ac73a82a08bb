//! The Academy section's program pages (super admins): list, create, edit, archive, restore and
//! delete. A new program starts with the default reference data (`defaults::install`); the
//! statements are `model`.

use actix_session::Session;
use actix_web::{http::StatusCode, web, HttpResponse};
use askama::Template;
use serde::Deserialize;
use uuid::Uuid;

use super::{
    form::ProgramForm,
    model::{self, ProgramRow},
    usage,
};
use crate::{
    db,
    error::{AppError, AppResult},
    web::{
        flash,
        form::{check_version, FieldErrors, VersionForm},
        once::{self, FormToken},
        pagination::{query_string, PageRequest, Paginated},
        redirect, render, render_with_status,
        sort::Sort,
        Shell,
    },
    AppState,
};

// ---------------------------------------------------------------- list

#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub sort: String,
    pub page: Option<i64>,
}

pub struct ListedProgram {
    pub program: ProgramRow,
    pub members: i64,
}

#[derive(Template)]
#[template(path = "programs/list.html")]
struct ListPage {
    shell: Shell,
    query: ListQuery,
    pagination: Paginated<ListedProgram>,
    tz: chrono_tz::Tz,
}

impl ListPage {
    fn order(&self) -> Sort {
        self.query.order()
    }
    /// The list's query without its order, for the column headers.
    fn unsorted(&self) -> String {
        query_string(&[("q", &self.query.q), ("status", &self.query.status)])
    }
}

impl ListQuery {
    /// The list's order; an unknown one reads as the default (by name).
    fn order(&self) -> Sort {
        Sort::parse(&self.sort, model::SORT_KEYS, Sort::default()).unwrap_or_default()
    }
}

pub async fn list(
    shell: Shell,
    state: web::Data<AppState>,
    query: web::Query<ListQuery>,
) -> AppResult<HttpResponse> {
    let query = query.into_inner();
    let request = PageRequest::parse(query.page)?;
    let (q, status, sort) = (query.q.clone(), query.status.clone(), query.order());
    let rows = db::run(&state.pool, move |conn| {
        let rows = model::page(conn, (&q, &status), sort, request)?;
        let ids: Vec<Uuid> = rows.iter().map(|(p, _)| p.id).collect();
        let counts = usage::member_counts(conn, &ids)?;
        Ok(rows
            .into_iter()
            .map(|(program, total)| {
                let members = counts.get(&program.id).copied().unwrap_or(0);
                (ListedProgram { program, members }, total)
            })
            .collect::<Vec<_>>())
    })
    .await?;
    let base = query_string(&[
        ("q", &query.q),
        ("status", &query.status),
        ("sort", &query.sort),
    ]);
    render(&ListPage {
        shell,
        query,
        pagination: Paginated::new(rows, request, base),
        tz: state.config.time_zone,
    })
}

// ---------------------------------------------------------------- form

#[derive(Template)]
#[template(path = "programs/form.html")]
struct FormPage {
    shell: Shell,
    form: ProgramForm,
    errors: FieldErrors,
    program: Option<ProgramRow>,
    usage: Option<usage::ProgramUsage>,
    tz: chrono_tz::Tz,
}

impl FormPage {
    fn action(&self) -> String {
        match &self.program {
            Some(p) => format!("/programs/{}/edit", p.id),
            None => "/programs/new".into(),
        }
    }
    fn active_checked(&self) -> bool {
        self.form.is_active.is_some()
    }
}

pub async fn new(shell: Shell, state: web::Data<AppState>) -> AppResult<HttpResponse> {
    render(&FormPage {
        shell,
        form: ProgramForm {
            is_active: Some("on".into()),
            ..ProgramForm::default()
        },
        errors: FieldErrors::new(),
        program: None,
        usage: None,
        tz: state.config.time_zone,
    })
}

pub async fn create(
    shell: Shell,
    session: Session,
    state: web::Data<AppState>,
    token: FormToken,
    form: web::Form<ProgramForm>,
) -> AppResult<HttpResponse> {
    let form = form.into_inner();
    let command = match form.validate() {
        Ok(c) => c,
        Err(errors) => return invalid(shell, form, errors, None, None, state.config.time_zone),
    };
    let user = shell.user.id;
    let outcome = db::transaction(&state.pool, move |conn| {
        let insert = |conn: &mut _| Ok((model::create(conn, &command)?, command.name));
        once::create(conn, token, user, insert, |(id, _)| {
            format!("/programs/{id}/edit")
        })
    })
    .await;
    match outcome {
        Ok((id, name)) => {
            flash::success(
                &session,
                format!("Program {name} created with the default age groups and session types. Add its team next."),
            );
            Ok(redirect(&format!("/programs/{id}/edit")))
        }
        Err(AppError::Invalid(errors)) => {
            invalid(shell, form, errors, None, None, state.config.time_zone)
        }
        Err(e) => Err(e),
    }
}

fn invalid(
    shell: Shell,
    form: ProgramForm,
    errors: FieldErrors,
    program: Option<ProgramRow>,
    usage: Option<usage::ProgramUsage>,
    tz: chrono_tz::Tz,
) -> AppResult<HttpResponse> {
    render_with_status(
        StatusCode::UNPROCESSABLE_ENTITY,
        &FormPage {
            shell,
            form,
            errors,
            program,
            usage,
            tz,
        },
    )
}

#[derive(Deserialize)]
pub struct ProgramPath {
    program_id: Uuid,
}

pub async fn edit(
    shell: Shell,
    state: web::Data<AppState>,
    path: web::Path<ProgramPath>,
) -> AppResult<HttpResponse> {
    let id = path.program_id;
    let (program, usage) = db::run(&state.pool, move |conn| {
        Ok((model::find(conn, id)?, usage::of_program(conn, id)?))
    })
    .await?;
    render(&FormPage {
        shell,
        form: ProgramForm {
            name: program.name.clone(),
            description: program.description.clone(),
            is_active: program.is_active.then(|| "on".into()),
        },
        errors: FieldErrors::new(),
        program: Some(program),
        usage: Some(usage),
        tz: state.config.time_zone,
    })
}

pub async fn update(
    shell: Shell,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<ProgramPath>,
    form: web::Form<ProgramForm>,
) -> AppResult<HttpResponse> {
    let id = path.program_id;
    let form = form.into_inner();
    let (program, usage) = db::run(&state.pool, move |conn| {
        Ok((model::find(conn, id)?, usage::of_program(conn, id)?))
    })
    .await?;
    let command = match form.validate() {
        Ok(c) => c,
        Err(errors) => {
            return invalid(
                shell,
                form,
                errors,
                Some(program),
                Some(usage),
                state.config.time_zone,
            )
        }
    };
    let saved = db::transaction(&state.pool, move |conn| {
        model::update(conn, id, &command)?;
        Ok(command.name)
    })
    .await;
    match saved {
        Ok(name) => {
            flash::success(&session, format!("Program {name} saved."));
            Ok(redirect("/programs"))
        }
        Err(AppError::Invalid(errors)) => invalid(
            shell,
            form,
            errors,
            Some(program),
            Some(usage),
            state.config.time_zone,
        ),
        Err(e) => Err(e),
    }
}

// ---------------------------------------------------------------- archive, restore, delete

async fn set_active(
    session: Session,
    state: &AppState,
    id: Uuid,
    version: String,
    active: bool,
) -> AppResult<HttpResponse> {
    let name = db::transaction(&state.pool, move |conn| {
        let program = model::lock(conn, id)?;
        check_version(&version, program.updated_at, "This program")?;
        model::set_active(conn, id, active)?;
        Ok(program.name)
    })
    .await?;
    let message = if active {
        format!("Program {name} restored: its team can work in it again.")
    } else {
        format!("Program {name} archived: nobody can switch to it; its data stays as it is.")
    };
    flash::success(&session, message);
    Ok(redirect("/programs"))
}

pub async fn archive(
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<ProgramPath>,
    form: web::Form<VersionForm>,
) -> AppResult<HttpResponse> {
    set_active(
        session,
        &state,
        path.program_id,
        form.into_inner().version,
        false,
    )
    .await
}

pub async fn restore(
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<ProgramPath>,
    form: web::Form<VersionForm>,
) -> AppResult<HttpResponse> {
    set_active(
        session,
        &state,
        path.program_id,
        form.into_inner().version,
        true,
    )
    .await
}

pub async fn delete(
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<ProgramPath>,
    form: web::Form<VersionForm>,
) -> AppResult<HttpResponse> {
    let id = path.program_id;
    let version = form.into_inner().version;
    let name = db::transaction(&state.pool, move |conn| {
        let program = model::lock(conn, id)?;
        check_version(&version, program.updated_at, "This program")?;
        let usage = usage::of_program(conn, id)?;
        if let Some(reason) = usage.blocks_deletion() {
            return Err(AppError::conflict(format!(
                "{} cannot be deleted: it still has {reason}. Archive it instead; nothing was changed.",
                program.name
            )));
        }
        model::delete(conn, id)?;
        Ok(program.name)
    })
    .await?;
    flash::success(&session, format!("Program {name} deleted."));
    Ok(redirect("/programs"))
}
