//! The bulk pages of the matrix: copy every active price of another facility of the program
//! (optionally adjusted by a percentage), with a preview; and one price for a whole course row.
//! Each applies in one transaction: all of it, or nothing. The statements are `copy`.

use actix_session::Session;
use actix_web::{http::StatusCode, web, HttpResponse};
use askama::Template;
use uuid::Uuid;

use super::copy::{self, other_facilities, plan, row_courses, CopyParams, CopyPlan, RowParams};
use crate::{
    access::ProgramScope,
    db,
    error::{AppError, AppResult},
    facilities::Facility,
    web::{flash, form::FieldErrors, redirect, render_with_status, Shell},
    AppState,
};

#[derive(Template)]
#[template(path = "pricing/copy.html")]
struct CopyPage {
    shell: Shell,
    facility: Facility,
    sources: Vec<(Uuid, String)>,
    params: CopyParams,
    errors: FieldErrors,
    plan: Option<CopyPlan>,
}

/// The copy form, and with a source chosen, the preview of what will change.
pub async fn copy_form(
    shell: Shell,
    scope: ProgramScope,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
    query: web::Query<CopyParams>,
) -> AppResult<HttpResponse> {
    let target_id = path.into_inner();
    let params = query.into_inner();
    let asked = !params.source_id.is_empty() || !params.percent.is_empty();
    let (p, s) = (params.clone(), scope.clone());
    let (facility, sources) = db::run(&state.pool, move |conn| {
        let facility = crate::facilities::find(conn, &s, target_id)?;
        Ok((facility, other_facilities(conn, &s, target_id)?))
    })
    .await?;
    let planned = match asked {
        true => Some(db::run(&state.pool, move |conn| plan(conn, &scope, target_id, &p)).await),
        false => None,
    };
    let (status, plan, errors) = match planned {
        None => (StatusCode::OK, None, FieldErrors::new()),
        Some(Ok(plan)) => (StatusCode::OK, Some(plan), FieldErrors::new()),
        Some(Err(AppError::Invalid(errors))) => (StatusCode::UNPROCESSABLE_ENTITY, None, errors),
        Some(Err(e)) => return Err(e),
    };
    render_with_status(
        status,
        &CopyPage {
            shell,
            facility,
            sources,
            params,
            errors,
            plan,
        },
    )
}

/// Applies the copy in one transaction: every price, or none.
pub async fn copy_apply(
    shell: Shell,
    scope: ProgramScope,
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<Uuid>,
    form: web::Form<CopyParams>,
) -> AppResult<HttpResponse> {
    let target_id = path.into_inner();
    let params = form.into_inner();
    let on = state.config.today();
    let (p, s) = (params.clone(), scope.clone());
    let applied = db::transaction(&state.pool, move |conn| {
        copy::apply_copy(conn, &s, target_id, &p, on)
    })
    .await;
    let failure = match applied {
        Ok((source, changed, total)) => {
            flash::success(
                &session,
                format!("Copied the prices of {source}: {changed} of {total} prices set here; the others were already the same."),
            );
            return Ok(redirect(&format!("/facilities/{target_id}/pricing")));
        }
        Err(AppError::Invalid(errors)) => (StatusCode::UNPROCESSABLE_ENTITY, errors),
        Err(AppError::Conflict(message)) => {
            let mut errors = FieldErrors::new();
            errors.add("source_id", format!("Nothing was copied: {message}"));
            (StatusCode::CONFLICT, errors)
        }
        Err(other) => return Err(other),
    };
    let (facility, sources) = db::run(&state.pool, move |conn| {
        Ok((
            crate::facilities::find(conn, &scope, target_id)?,
            other_facilities(conn, &scope, target_id)?,
        ))
    })
    .await?;
    render_with_status(
        failure.0,
        &CopyPage {
            shell,
            facility,
            sources,
            params,
            errors: failure.1,
            plan: None,
        },
    )
}

#[derive(Template)]
#[template(path = "pricing/row.html")]
struct RowPage {
    shell: Shell,
    facility: Facility,
    /// Active courses with at least one configuration: (id, name, configurations).
    courses: Vec<(Uuid, String, usize)>,
    params: RowParams,
    errors: FieldErrors,
}

pub async fn row_form(
    shell: Shell,
    scope: ProgramScope,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
    query: web::Query<RowParams>,
) -> AppResult<HttpResponse> {
    let facility_id = path.into_inner();
    let (facility, courses) = db::run(&state.pool, move |conn| {
        Ok((
            crate::facilities::find(conn, &scope, facility_id)?,
            row_courses(conn, &scope)?.1,
        ))
    })
    .await?;
    render_with_status(
        StatusCode::OK,
        &RowPage {
            shell,
            facility,
            courses,
            params: query.into_inner(),
            errors: FieldErrors::new(),
        },
    )
}

/// One price for every configuration a course offers, in one transaction.
pub async fn row_apply(
    shell: Shell,
    scope: ProgramScope,
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<Uuid>,
    form: web::Form<RowParams>,
) -> AppResult<HttpResponse> {
    let facility_id = path.into_inner();
    let params = form.into_inner();
    let on = state.config.today();
    let (p, s) = (params.clone(), scope.clone());
    let applied = db::transaction(&state.pool, move |conn| {
        copy::set_row(conn, &s, facility_id, &p, on)
    })
    .await;
    let (status, errors) = match applied {
        Ok(message) => {
            flash::success(&session, message);
            return Ok(redirect(&format!("/facilities/{facility_id}/pricing")));
        }
        Err(AppError::Invalid(errors)) => (StatusCode::UNPROCESSABLE_ENTITY, errors),
        Err(AppError::Conflict(message)) => {
            let mut errors = FieldErrors::new();
            errors.add("price", format!("Nothing was saved: {message}"));
            (StatusCode::CONFLICT, errors)
        }
        Err(other) => return Err(other),
    };
    let (facility, courses) = db::run(&state.pool, move |conn| {
        Ok((
            crate::facilities::find(conn, &scope, facility_id)?,
            row_courses(conn, &scope)?.1,
        ))
    })
    .await?;
    render_with_status(
        status,
        &RowPage {
            shell,
            facility,
            courses,
            params,
            errors,
        },
    )
}
