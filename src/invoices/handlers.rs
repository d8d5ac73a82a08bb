//! The invoice list, one invoice, and generating a period's invoices (preview, then confirm).

use actix_session::Session;
use actix_web::{web, HttpResponse};
use askama::Template;
use bigdecimal::BigDecimal;
use serde::Deserialize;
use uuid::Uuid;

use super::{
    period::{PeriodChoice, Window},
    plan::{self, Plan},
    read::{self, InvoiceRow, LineRow, ListFilter},
    write, InvoiceStatus,
};
use crate::{
    access::{permission::allows, Action, ProgramScope},
    billing::{self, BillingPeriod, BillingTerm},
    db,
    error::{AppError, AppResult},
    web::{
        flash,
        form::FieldErrors,
        format,
        pagination::{query_string, PageRequest, Paginated},
        redirect, render, render_with_status, Shell,
    },
    AppState,
};

#[derive(Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub status: String,
    pub page: Option<i64>,
}

#[derive(Template)]
#[template(path = "invoices/list.html")]
struct ListPage {
    shell: Shell,
    query: ListQuery,
    pagination: Paginated<InvoiceRow>,
    filtered: bool,
    can_generate: bool,
}

impl ListPage {
    fn money(&self, amount: &BigDecimal) -> String {
        format::money(amount)
    }
    fn day(&self, day: &chrono::NaiveDate) -> String {
        format::date(*day)
    }
    fn statuses(&self) -> &'static [InvoiceStatus] {
        InvoiceStatus::ALL
    }
}

pub async fn list(
    shell: Shell,
    scope: ProgramScope,
    state: web::Data<AppState>,
    query: web::Query<ListQuery>,
) -> AppResult<HttpResponse> {
    let query = query.into_inner();
    let page = PageRequest::parse(query.page)?;
    let filter = ListFilter {
        q: query.q.clone(),
        status: query.status.parse().ok(),
        student_id: None,
    };
    let rows = db::run(&state.pool, move |conn| {
        read::list(conn, &scope, &filter, page)
    })
    .await?;
    let base = query_string(&[("q", query.q.trim()), ("status", &query.status)]);
    let filtered = !query.q.trim().is_empty() || !query.status.is_empty();
    render(&ListPage {
        can_generate: allows(shell.user.role, Action::ManageBilling),
        shell,
        query,
        pagination: Paginated::new(rows, page, base),
        filtered,
    })
}

#[derive(Template)]
#[template(path = "invoices/show.html")]
struct ShowPage {
    shell: Shell,
    invoice: InvoiceRow,
    lines: Vec<LineRow>,
    can_void: bool,
    version: String,
    reason: String,
    errors: FieldErrors,
}

impl ShowPage {
    fn money(&self, amount: impl std::borrow::Borrow<BigDecimal>) -> String {
        format::money(amount.borrow())
    }
    fn day(&self, day: &chrono::NaiveDate) -> String {
        format::date(*day)
    }
}

async fn show_page(
    shell: Shell,
    scope: ProgramScope,
    state: &AppState,
    id: Uuid,
    reason: String,
    errors: FieldErrors,
) -> AppResult<HttpResponse> {
    let (invoice, lines, updated_at) =
        db::run(&state.pool, move |conn| read::find(conn, &scope, id)).await?;
    let status = errors.status();
    render_with_status(
        status,
        &ShowPage {
            can_void: allows(shell.user.role, Action::ManageBilling)
                && invoice.status == InvoiceStatus::Issued,
            version: crate::web::form::version(updated_at),
            shell,
            invoice,
            lines,
            reason,
            errors,
        },
    )
}

pub async fn show(
    shell: Shell,
    scope: ProgramScope,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
) -> AppResult<HttpResponse> {
    show_page(
        shell,
        scope,
        &state,
        path.into_inner(),
        String::new(),
        FieldErrors::new(),
    )
    .await
}

#[derive(Deserialize)]
pub struct VoidForm {
    #[serde(default)]
    version: String,
    #[serde(default)]
    void_reason: String,
}

pub async fn void(
    shell: Shell,
    scope: ProgramScope,
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<Uuid>,
    form: web::Form<VoidForm>,
) -> AppResult<HttpResponse> {
    let (id, form) = (path.into_inner(), form.into_inner());
    let reason = form.void_reason.trim().to_string();
    if reason.is_empty() {
        let mut errors = FieldErrors::new();
        errors.add(
            "void_reason",
            "Say why it is voided: the reason stays on the invoice.",
        );
        return show_page(shell, scope, &state, id, reason, errors).await;
    }
    let why = reason.clone();
    let number = db::transaction(&state.pool, move |conn| {
        write::void(conn, &scope, id, &form.version, &why)
    })
    .await?;
    flash::success(
        &session,
        format!("{number} is void: it keeps its number and counts for nothing; its enrollments can be billed for the period again."),
    );
    Ok(redirect(&format!("/invoices/{id}")))
}

#[derive(Template)]
#[template(path = "invoices/generate.html")]
struct GeneratePage {
    shell: Shell,
    period: BillingPeriod,
    terms: Vec<BillingTerm>,
    choice: PeriodChoice,
    plan: Option<Plan>,
    errors: FieldErrors,
}

impl GeneratePage {
    /// A line's amount (a reference) or a total computed for the preview (a value).
    fn money(&self, amount: impl std::borrow::Borrow<BigDecimal>) -> String {
        format::money(amount.borrow())
    }
    fn day(&self, day: &chrono::NaiveDate) -> String {
        format::date(*day)
    }
}

/// The generation page: the period to bill and, once one is chosen, the preview of its run.
pub async fn preview(
    shell: Shell,
    scope: ProgramScope,
    state: web::Data<AppState>,
    query: web::Query<PeriodChoice>,
) -> AppResult<HttpResponse> {
    let mut choice = query.into_inner();
    let chosen = !choice.month.trim().is_empty() || !choice.term_id.trim().is_empty();
    let (today, zone) = (state.config.today(), state.config.time_zone);
    if choice.month.trim().is_empty() {
        choice.month = Window::month_of(today).start.format("%Y-%m").to_string();
    }
    let asked = choice.clone();
    let (period, terms, planned) = db::run(&state.pool, move |conn| {
        let period = billing::billing_period_of(conn, &scope)?;
        let terms = billing::terms(conn, &scope)?;
        let planned = if chosen {
            match asked.window(period, &terms) {
                Ok(window) => Ok(plan::plan(conn, &scope, window, zone)?),
                Err(problem) => Err(problem),
            }
        } else {
            Err(("", String::new()))
        };
        Ok((period, terms, planned))
    })
    .await?;
    let mut errors = FieldErrors::new();
    let plan = match planned {
        Ok(plan) => Some(plan),
        Err((field, message)) if !field.is_empty() => {
            errors.add(field, message);
            None
        }
        Err(_) => None,
    };
    let status = errors.status();
    render_with_status(
        status,
        &GeneratePage {
            shell,
            period,
            terms,
            choice,
            plan,
            errors,
        },
    )
}

pub async fn generate(
    scope: ProgramScope,
    state: web::Data<AppState>,
    session: Session,
    form: web::Form<PeriodChoice>,
) -> AppResult<HttpResponse> {
    let choice = form.into_inner();
    let (today, zone) = (state.config.today(), state.config.time_zone);
    let created = db::transaction(&state.pool, move |conn| {
        let period = billing::billing_period_of(conn, &scope)?;
        let terms = billing::terms(conn, &scope)?;
        let window = choice
            .window(period, &terms)
            .map_err(|(field, message)| AppError::invalid(field, message))?;
        write::generate(conn, &scope, window, today, zone)
    })
    .await?;
    flash::success(
        &session,
        format!(
            "{} created ({} to {}), {} in all, {}.",
            format::plural(created.invoices, "invoice", "invoices"),
            created.first_number,
            created.last_number,
            format::plural(created.lines, "line", "lines"),
            format::money(&created.total)
        ),
    );
    Ok(redirect("/invoices"))
}
