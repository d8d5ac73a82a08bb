//! The closures page: the program's closure dates and the form to add one.

use actix_session::Session;
use actix_web::{web, HttpResponse};
use askama::Template;
use uuid::Uuid;

use super::model::{self, ProgramClosure};
use crate::{
    access::ProgramScope,
    db,
    error::{AppError, AppResult},
    web::{
        date_range::{DateRangeForm as ClosureForm, LastDay},
        flash,
        form::{FieldErrors, VersionForm},
        format,
        once::{self, FormToken},
        redirect, render_with_status, Shell,
    },
    AppState,
};

#[derive(Template)]
#[template(path = "closures/list.html")]
struct ListPage {
    shell: Shell,
    closures: Vec<ProgramClosure>,
    form: ClosureForm,
    errors: FieldErrors,
}

impl ListPage {
    fn date(&self, day: &chrono::NaiveDate) -> String {
        format::date(*day)
    }
}

async fn page(
    shell: Shell,
    scope: ProgramScope,
    state: &AppState,
    form: ClosureForm,
    errors: FieldErrors,
) -> AppResult<HttpResponse> {
    let closures = db::run(&state.pool, move |conn| Ok(model::list(conn, &scope)?)).await?;
    let status = errors.status();
    render_with_status(
        status,
        &ListPage {
            shell,
            closures,
            form,
            errors,
        },
    )
}

pub async fn list(
    shell: Shell,
    scope: ProgramScope,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    page(
        shell,
        scope,
        &state,
        ClosureForm::default(),
        FieldErrors::new(),
    )
    .await
}

pub async fn create(
    shell: Shell,
    scope: ProgramScope,
    state: web::Data<AppState>,
    session: Session,
    token: FormToken,
    form: web::Form<ClosureForm>,
) -> AppResult<HttpResponse> {
    let form = form.into_inner();
    let command = match form.validate(LastDay::MayBeEmpty, "A closure") {
        Ok(command) => command,
        Err(errors) => return page(shell, scope, &state, form, errors).await,
    };
    let (user, zone) = (shell.user.id, state.config.time_zone);
    let s = scope.clone();
    let saved = db::transaction(&state.pool, move |conn| {
        once::create(
            conn,
            token,
            user,
            |conn| model::insert(conn, &s, &command, zone),
            |_| "/closures".to_string(),
        )
    })
    .await;
    match saved {
        Ok(cancelled) => {
            let cancelled = match cancelled {
                0 => String::new(),
                n => format!(
                    " {} on those days cancelled.",
                    format::plural(n, "session", "sessions")
                ),
            };
            flash::success(
                &session,
                format!("Closure {} added.{cancelled}", form.name.trim()),
            );
            Ok(redirect("/closures"))
        }
        Err(AppError::Invalid(errors)) => page(shell, scope, &state, form, errors).await,
        Err(e) => Err(e),
    }
}

pub async fn delete(
    scope: ProgramScope,
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<Uuid>,
    form: web::Form<VersionForm>,
) -> AppResult<HttpResponse> {
    let (id, version) = (path.into_inner(), form.into_inner().version);
    let name = db::transaction(&state.pool, move |conn| {
        model::delete(conn, &scope, id, &version)
    })
    .await?;
    flash::success(
        &session,
        format!("Closure {name} removed. Sessions it cancelled stay cancelled."),
    );
    Ok(redirect("/closures"))
}
