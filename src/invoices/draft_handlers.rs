//! Issuing and discarding drafts: all of a period's from Generate invoices, or one from its page.

use actix_session::Session;
use actix_web::{web, HttpResponse};
use chrono::NaiveDate;
use serde::Deserialize;
use uuid::Uuid;

use super::drafts;
use crate::{
    access::ProgramScope,
    db,
    error::{AppError, AppResult},
    web::{flash, format, redirect},
    AppState,
};

/// The period whose drafts are issued or discarded, by its first day.
#[derive(Deserialize)]
pub struct PeriodForm {
    #[serde(default)]
    period_start: String,
}

impl PeriodForm {
    fn period_start(&self) -> AppResult<NaiveDate> {
        NaiveDate::parse_from_str(self.period_start.trim(), "%Y-%m-%d").map_err(|_| {
            AppError::invalid(
                "period_start",
                "Choose the drafts of a period from Generate invoices.",
            )
        })
    }
}

pub async fn issue(
    scope: ProgramScope,
    state: web::Data<AppState>,
    session: Session,
    form: web::Form<PeriodForm>,
) -> AppResult<HttpResponse> {
    let (start, today) = (form.period_start()?, state.config.today());
    let issued = db::transaction(&state.pool, move |conn| {
        drafts::issue(conn, &scope, start, today)
    })
    .await?;
    flash::success(&session, issued);
    Ok(redirect("/invoices"))
}

pub async fn discard_period(
    scope: ProgramScope,
    state: web::Data<AppState>,
    session: Session,
    form: web::Form<PeriodForm>,
) -> AppResult<HttpResponse> {
    let start = form.period_start()?;
    let discarded = db::transaction(&state.pool, move |conn| {
        drafts::discard_period(conn, &scope, start)
    })
    .await?;
    flash::success(
        &session,
        format!(
            "{} discarded: their enrollments and charges can be billed for the period again.",
            format::plural(discarded, "draft invoice", "draft invoices")
        ),
    );
    Ok(redirect("/invoices/generate"))
}

#[derive(Deserialize)]
pub struct DiscardForm {
    #[serde(default)]
    version: String,
}

pub async fn discard(
    scope: ProgramScope,
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<Uuid>,
    form: web::Form<DiscardForm>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    db::transaction(&state.pool, move |conn| {
        drafts::discard(conn, &scope, id, &form.version)
    })
    .await?;
    flash::success(
        &session,
        "The draft is discarded: its enrollments and charges can be billed for the period again.",
    );
    Ok(redirect("/invoices?status=draft"))
}
