//! The billing page: the program's billing period, its terms, and the form to add a term.

use actix_session::Session;
use actix_web::{web, HttpResponse};
use askama::Template;
use serde::Deserialize;
use uuid::Uuid;

use super::{
    period::{self, BillingPeriod},
    terms::{self, BillingTerm},
};
use crate::{
    access::ProgramScope,
    db,
    error::{AppError, AppResult},
    web::{
        date_range::{DateRangeForm, LastDay},
        flash,
        form::{FieldErrors, VersionForm},
        format,
        once::{self, FormToken},
        redirect, render_with_status, Shell,
    },
    AppState,
};

#[derive(Template)]
#[template(path = "billing/periods.html")]
struct BillingPage {
    shell: Shell,
    period: BillingPeriod,
    terms: Vec<BillingTerm>,
    form: DateRangeForm,
    errors: FieldErrors,
}

impl BillingPage {
    fn date(&self, day: &chrono::NaiveDate) -> String {
        format::date(*day)
    }

    fn periods(&self) -> &'static [BillingPeriod] {
        BillingPeriod::ALL
    }
}

async fn page(
    shell: Shell,
    scope: ProgramScope,
    state: &AppState,
    form: DateRangeForm,
    errors: FieldErrors,
) -> AppResult<HttpResponse> {
    let (period, terms) = db::run(&state.pool, move |conn| {
        Ok((
            period::billing_period_of(conn, &scope)?,
            terms::list(conn, &scope)?,
        ))
    })
    .await?;
    let status = errors.status();
    render_with_status(
        status,
        &BillingPage {
            shell,
            period,
            terms,
            form,
            errors,
        },
    )
}

pub async fn show(
    shell: Shell,
    scope: ProgramScope,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    page(
        shell,
        scope,
        &state,
        DateRangeForm::default(),
        FieldErrors::new(),
    )
    .await
}

#[derive(Deserialize)]
pub struct PeriodForm {
    #[serde(default)]
    billing_period: String,
}

pub async fn set_period(
    shell: Shell,
    scope: ProgramScope,
    state: web::Data<AppState>,
    session: Session,
    form: web::Form<PeriodForm>,
) -> AppResult<HttpResponse> {
    let Ok(chosen) = form.billing_period.parse::<BillingPeriod>() else {
        let mut errors = FieldErrors::new();
        errors.add("billing_period", "Choose calendar month or term.");
        return page(shell, scope, &state, DateRangeForm::default(), errors).await;
    };
    let s = scope.clone();
    match db::transaction(&state.pool, move |conn| terms::set_period(conn, &s, chosen)).await {
        Ok(()) => {
            flash::success(
                &session,
                format!(
                    "{} now bills {}: a price in the matrix is the fee {}.",
                    scope.program_name(),
                    match chosen {
                        BillingPeriod::Month => "by calendar month",
                        BillingPeriod::Term => "by term",
                    },
                    chosen.per()
                ),
            );
            Ok(redirect("/billing"))
        }
        Err(AppError::Invalid(errors)) => {
            page(shell, scope, &state, DateRangeForm::default(), errors).await
        }
        Err(e) => Err(e),
    }
}

pub async fn create_term(
    shell: Shell,
    scope: ProgramScope,
    state: web::Data<AppState>,
    session: Session,
    token: FormToken,
    form: web::Form<DateRangeForm>,
) -> AppResult<HttpResponse> {
    let form = form.into_inner();
    let term = match form.validate(LastDay::Required, "A term") {
        Ok(term) => term,
        Err(errors) => return page(shell, scope, &state, form, errors).await,
    };
    let (user, s) = (shell.user.id, scope.clone());
    let saved = db::transaction(&state.pool, move |conn| {
        once::create(
            conn,
            token,
            user,
            |conn| terms::insert(conn, &s, &term),
            |_| "/billing".to_string(),
        )
    })
    .await;
    match saved {
        Ok(()) => {
            flash::success(&session, format!("Term {} added.", form.name.trim()));
            Ok(redirect("/billing"))
        }
        Err(AppError::Invalid(errors)) => page(shell, scope, &state, form, errors).await,
        Err(e) => Err(e),
    }
}

pub async fn delete_term(
    scope: ProgramScope,
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<Uuid>,
    form: web::Form<VersionForm>,
) -> AppResult<HttpResponse> {
    let (id, version) = (path.into_inner(), form.into_inner().version);
    let name = db::transaction(&state.pool, move |conn| {
        terms::delete(conn, &scope, id, &version)
    })
    .await?;
    flash::success(&session, format!("Term {name} removed."));
    Ok(redirect("/billing"))
}
