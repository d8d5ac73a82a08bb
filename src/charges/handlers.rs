//! Adding a one-off charge to a student, and removing one not yet billed.

use actix_session::Session;
use actix_web::{web, HttpResponse};
use askama::Template;
use uuid::Uuid;

use super::model::{self, ChargeForm};
use crate::{
    access::ProgramScope,
    db,
    error::AppResult,
    students,
    web::{flash, form::FieldErrors, format, redirect, render_with_status, Shell},
    AppState,
};

#[derive(Template)]
#[template(path = "charges/new.html")]
struct NewPage {
    shell: Shell,
    student_id: Uuid,
    student_name: String,
    form: ChargeForm,
    errors: FieldErrors,
}

async fn new_page(
    shell: Shell,
    scope: ProgramScope,
    state: &AppState,
    student: Uuid,
    form: ChargeForm,
    errors: FieldErrors,
) -> AppResult<HttpResponse> {
    let found = db::run(&state.pool, move |conn| {
        Ok(students::find(conn, &scope, student)?)
    })
    .await?;
    let status = errors.status();
    render_with_status(
        status,
        &NewPage {
            shell,
            student_id: student,
            student_name: format!("{} {}", found.first_name, found.last_name),
            form,
            errors,
        },
    )
}

pub async fn new(
    shell: Shell,
    scope: ProgramScope,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
) -> AppResult<HttpResponse> {
    let form = ChargeForm {
        charged_on: state.config.today().to_string(),
        ..Default::default()
    };
    new_page(
        shell,
        scope,
        &state,
        path.into_inner(),
        form,
        FieldErrors::new(),
    )
    .await
}

pub async fn create(
    shell: Shell,
    scope: ProgramScope,
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<Uuid>,
    form: web::Form<ChargeForm>,
) -> AppResult<HttpResponse> {
    let (student, form) = (path.into_inner(), form.into_inner());
    let charge = match form.validate() {
        Ok(charge) => charge,
        Err(errors) => return new_page(shell, scope, &state, student, form, errors).await,
    };
    let s = scope.clone();
    let (what, amount) = (charge.description.clone(), charge.amount.clone());
    db::transaction(&state.pool, move |conn| {
        model::add(conn, &s, student, &charge)
    })
    .await?;
    flash::success(
        &session,
        format!(
            "{what}, {}, added: the next invoice run bills it.",
            format::money(&amount)
        ),
    );
    Ok(redirect(&format!("/students/{student}#money-heading")))
}

pub async fn remove(
    scope: ProgramScope,
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<Uuid>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let student = db::transaction(&state.pool, move |conn| model::remove(conn, &scope, id)).await?;
    flash::success(&session, "The charge was removed: no invoice will bill it.");
    Ok(redirect(&format!("/students/{student}#money-heading")))
}
