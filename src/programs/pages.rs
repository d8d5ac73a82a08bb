//! The Academy section's program pages (super admins): list, create, edit, archive, restore and
//! delete. A new program starts with the default reference data (`defaults::install`).

use actix_session::Session;
use actix_web::{http::StatusCode, web, HttpResponse};
use askama::Template;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde::Deserialize;
use uuid::Uuid;

use super::{defaults, usage};
use crate::{
    db,
    error::{AppError, AppResult},
    schema::programs,
    web::{
        flash,
        form::{check_version, like_pattern, required, FieldErrors, VersionForm},
        once::{self, FormToken},
        pagination::{query_string, total_count, PageRequest, Paginated},
        redirect, render, render_with_status,
        sort::Sort,
        Shell,
    },
    AppState,
};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = programs)]
pub struct ProgramRow {
    pub id: Uuid,
    pub name: String,
    pub description: String,
    pub is_active: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl ProgramRow {
    pub fn version(&self) -> String {
        crate::web::form::version(self.updated_at)
    }
}

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
        Sort::parse(&self.sort, &["name", "status", "created"], Sort::default()).unwrap_or_default()
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
        let mut select = programs::table.into_boxed();
        if !q.trim().is_empty() {
            let pattern = like_pattern(&q);
            select = select.filter(
                programs::name
                    .ilike(pattern.clone())
                    .or(programs::description.ilike(pattern)),
            );
        }
        match status.as_str() {
            "active" => select = select.filter(programs::is_active.eq(true)),
            "archived" => select = select.filter(programs::is_active.eq(false)),
            _ => {}
        }
        use programs::{created_at, id, is_active, name};
        select = match (sort.key, sort.descending) {
            ("created", false) => select.order((created_at.asc(), id.asc())),
            ("created", true) => select.order((created_at.desc(), id.asc())),
            // Active first, then archived.
            ("status", false) => select.order((is_active.desc(), name.asc())),
            ("status", true) => select.order((is_active.asc(), name.asc())),
            (_, false) => select.order((name.asc(), id.asc())),
            (_, true) => select.order((name.desc(), id.asc())),
        };
        let rows: Vec<(ProgramRow, i64)> = select
            .select((ProgramRow::as_select(), total_count()))
            .limit(request.limit())
            .offset(request.offset())
            .load(conn)?;
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

#[derive(Debug, Default, Clone, Deserialize)]
pub struct ProgramForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// The edit form's checkbox: present when checked.
    #[serde(default)]
    pub is_active: Option<String>,
}

struct ProgramCommand {
    name: String,
    description: String,
    is_active: bool,
}

impl ProgramForm {
    fn validate(&self) -> Result<ProgramCommand, FieldErrors> {
        let mut errors = FieldErrors::new();
        let name = required(&self.name, 120).unwrap_or_else(|e| {
            errors.add("name", e);
            String::new()
        });
        let description = self.description.trim().to_string();
        if description.chars().count() > 2000 {
            errors.add("description", "Use at most 2000 characters.");
        }
        errors.into_result(ProgramCommand {
            name,
            description,
            is_active: self.is_active.is_some(),
        })
    }
}

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

/// A name another program has (names are unique case-insensitively).
fn name_taken(conn: &mut PgConnection, name: &str, except: Option<Uuid>) -> QueryResult<bool> {
    let lower = diesel::dsl::sql::<diesel::sql_types::Text>("lower(name)");
    let n: i64 = programs::table
        .filter(lower.eq(name.to_lowercase()))
        .filter(programs::id.ne(except.unwrap_or_default()))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
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
        let insert = |conn: &mut PgConnection| -> AppResult<Option<(Uuid, String)>> {
            if name_taken(conn, &command.name, None)? {
                return Ok(None);
            }
            let id: Uuid = diesel::insert_into(programs::table)
                .values((
                    programs::name.eq(&command.name),
                    programs::description.eq(&command.description),
                    programs::is_active.eq(true),
                ))
                .returning(programs::id)
                .get_result(conn)?;
            defaults::install(conn, id)?;
            Ok(Some((id, command.name)))
        };
        once::create(conn, token, user, insert, |made| match made {
            Some((id, _)) => format!("/programs/{id}/edit"),
            None => String::new(),
        })
    })
    .await?;
    match outcome {
        Some((id, name)) => {
            flash::success(
                &session,
                format!("Program {name} created with the default age groups and session types. Add its team next."),
            );
            Ok(redirect(&format!("/programs/{id}/edit")))
        }
        None => {
            let mut errors = FieldErrors::new();
            errors.add("name", "Another program has that name.");
            invalid(shell, form, errors, None, None, state.config.time_zone)
        }
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

fn find(conn: &mut PgConnection, id: Uuid) -> Result<ProgramRow, AppError> {
    Ok(programs::table
        .find(id)
        .select(ProgramRow::as_select())
        .first(conn)?)
}

pub async fn edit(
    shell: Shell,
    state: web::Data<AppState>,
    path: web::Path<ProgramPath>,
) -> AppResult<HttpResponse> {
    let id = path.program_id;
    let (program, usage) = db::run(&state.pool, move |conn| {
        Ok((find(conn, id)?, usage::of_program(conn, id)?))
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
        Ok((find(conn, id)?, usage::of_program(conn, id)?))
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
        if name_taken(conn, &command.name, Some(id))? {
            return Ok(None);
        }
        diesel::update(programs::table.find(id))
            .set((
                programs::name.eq(&command.name),
                programs::description.eq(&command.description),
                programs::is_active.eq(command.is_active),
            ))
            .execute(conn)?;
        Ok(Some(command.name))
    })
    .await?;
    match saved {
        Some(name) => {
            flash::success(&session, format!("Program {name} saved."));
            Ok(redirect("/programs"))
        }
        None => {
            let mut errors = FieldErrors::new();
            errors.add("name", "Another program has that name.");
            invalid(
                shell,
                form,
                errors,
                Some(program),
                Some(usage),
                state.config.time_zone,
            )
        }
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
        let program = find(conn, id)?;
        check_version(&version, program.updated_at, "This program")?;
        diesel::update(programs::table.find(id))
            .set(programs::is_active.eq(active))
            .execute(conn)?;
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
        let program: ProgramRow = programs::table
            .find(id)
            .select(ProgramRow::as_select())
            .for_update()
            .first(conn)?;
        check_version(&version, program.updated_at, "This program")?;
        let usage = usage::of_program(conn, id)?;
        if let Some(reason) = usage.blocks_deletion() {
            return Err(AppError::conflict(format!(
                "{} cannot be deleted: it still has {reason}. Archive it instead; nothing was changed.",
                program.name
            )));
        }
        // Its age groups, session types (and nothing else) go with it.
        diesel::delete(programs::table.find(id)).execute(conn)?;
        Ok(program.name)
    })
    .await?;
    flash::success(&session, format!("Program {name} deleted."));
    Ok(redirect("/programs"))
}
