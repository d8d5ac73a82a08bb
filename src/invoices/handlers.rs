//! The invoice list, one invoice, and generating a period's invoices (preview, then confirm).

use actix_session::Session;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use bigdecimal::BigDecimal;
use serde::Deserialize;
use uuid::Uuid;

use super::{
    background,
    credit::{self, CreditForm},
    drafts,
    period::{PeriodChoice, Window},
    plan::{self, Plan},
    read::{self, Document, InvoiceRow, ListFilter},
    runs::{self, Run},
    status::RunStatus,
    write, InvoiceKind, InvoiceStatus,
};
use crate::{
    access::{permission::allows, Action, ProgramScope},
    billing::{self, BillingPeriod, BillingTerm},
    db::{self, background::Waited},
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
    fn money(&self, amount: impl std::borrow::Borrow<BigDecimal>) -> String {
        format::money(amount.borrow())
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
        students: Vec::new(),
    };
    let (rows, counted) = db::run(&state.pool, move |conn| {
        read::list(conn, &scope, &filter, page)
    })
    .await?;
    let base = query_string(&[("q", query.q.trim()), ("status", &query.status)]);
    let filtered = !query.q.trim().is_empty() || !query.status.is_empty();
    render(&ListPage {
        can_generate: allows(shell.user.role, Action::ManageBilling),
        shell,
        query,
        pagination: Paginated::counted_past(rows, counted, page, base),
        filtered,
    })
}

#[derive(Template)]
#[template(path = "invoices/show.html")]
struct ShowPage {
    shell: Shell,
    doc: Document,
    /// The guardian who pays the student's fees, as the invoice is shown today.
    bill_to: Option<crate::guardians::Guardian>,
    can_void: bool,
    can_credit: bool,
    can_discard: bool,
    version: String,
    /// The void form's reason, and the credit note form.
    reason: String,
    credit: CreditForm,
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

/// What the invoice page's forms hold when it is shown again with errors.
#[derive(Default)]
struct Forms {
    reason: String,
    credit: Option<CreditForm>,
    errors: FieldErrors,
}

async fn show_page(
    shell: Shell,
    scope: ProgramScope,
    state: &AppState,
    id: Uuid,
    forms: Forms,
) -> AppResult<HttpResponse> {
    let (doc, bill_to) = db::run(&state.pool, move |conn| {
        let doc = read::find(conn, &scope, id)?;
        let bill_to = crate::guardians::payer_of(conn, &scope, doc.invoice.student_id)?;
        Ok((doc, bill_to))
    })
    .await?;
    let status = forms.errors.status();
    let admin = allows(shell.user.role, Action::ManageBilling);
    let invoice = &doc.invoice;
    let is_invoice = invoice.kind == InvoiceKind::Invoice;
    let credit = forms.credit.unwrap_or_else(|| CreditForm {
        amount: invoice.creditable().to_string(),
        ..Default::default()
    });
    render_with_status(
        status,
        &ShowPage {
            can_void: admin
                && is_invoice
                && invoice.status == InvoiceStatus::Issued
                && doc.credit_notes.is_empty(),
            can_credit: admin
                && is_invoice
                && !matches!(invoice.status, InvoiceStatus::Void | InvoiceStatus::Draft)
                && invoice.creditable() > BigDecimal::from(0),
            can_discard: admin && invoice.is_draft(),
            version: crate::web::form::version(doc.updated_at),
            shell,
            doc,
            bill_to,
            reason: forms.reason,
            credit,
            errors: forms.errors,
        },
    )
}

pub async fn show(
    shell: Shell,
    scope: ProgramScope,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
) -> AppResult<HttpResponse> {
    show_page(shell, scope, &state, path.into_inner(), Forms::default()).await
}

pub async fn credit_note(
    shell: Shell,
    scope: ProgramScope,
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<Uuid>,
    form: web::Form<CreditForm>,
) -> AppResult<HttpResponse> {
    let (id, form) = (path.into_inner(), form.into_inner());
    let again = |errors| Forms {
        credit: Some(form.clone()),
        errors,
        ..Default::default()
    };
    let credit = match form.validate() {
        Ok(credit) => credit,
        Err(errors) => return show_page(shell, scope, &state, id, again(errors)).await,
    };
    let (s, today, version) = (scope.clone(), state.config.today(), form.version.clone());
    let amount = credit.amount.clone();
    match db::transaction(&state.pool, move |conn| {
        credit::credit_note(conn, &s, id, &version, &credit, today)
    })
    .await
    {
        Ok((note, number)) => {
            flash::success(
                &session,
                format!(
                    "Credit note {number} issued for {}.",
                    format::money(&amount)
                ),
            );
            Ok(redirect(&format!("/invoices/{note}")))
        }
        Err(AppError::Invalid(errors)) => show_page(shell, scope, &state, id, again(errors)).await,
        Err(e) => Err(e),
    }
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
        let forms = Forms {
            reason,
            errors,
            ..Default::default()
        };
        return show_page(shell, scope, &state, id, forms).await;
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
    runs: Vec<Run>,
    drafts: Vec<drafts::Batch>,
    tz: chrono_tz::Tz,
    errors: FieldErrors,
}

/// The preview lists this many invoices and skipped enrollments at most; its totals count all.
const PREVIEW_ROWS: usize = 200;

impl GeneratePage {
    fn shown_invoices(&self) -> &[plan::PlannedInvoice] {
        self.plan
            .as_ref()
            .map_or(&[], |p| &p.invoices[..p.invoices.len().min(PREVIEW_ROWS)])
    }
    fn shown_skipped(&self) -> &[plan::Skipped] {
        self.plan
            .as_ref()
            .map_or(&[], |p| &p.skipped[..p.skipped.len().min(PREVIEW_ROWS)])
    }
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
    let (period, terms, planned, runs, drafts) = db::run(&state.pool, move |conn| {
        let period = billing::billing_period_of(conn, &scope)?;
        let terms = billing::terms(conn, &scope)?;
        let runs = runs::recent(conn, &scope, 5)?;
        let drafts = drafts::waiting(conn, &scope)?;
        let planned = if chosen {
            match asked.window(period, &terms) {
                Ok(window) => Ok(plan::plan(conn, &scope, window, zone)?),
                Err(problem) => Err(problem),
            }
        } else {
            Err(("", String::new()))
        };
        Ok((period, terms, planned, runs, drafts))
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
            runs,
            drafts,
            tz: state.config.time_zone,
            errors,
        },
    )
}

/// The confirmation of a run: its period, and whether its invoices are issued now or saved as
/// drafts.
#[derive(Deserialize)]
pub struct GenerateForm {
    #[serde(default)]
    month: String,
    #[serde(default)]
    term_id: String,
    #[serde(default)]
    issue: String,
}

pub async fn generate(
    scope: ProgramScope,
    state: web::Data<AppState>,
    session: Session,
    form: web::Form<GenerateForm>,
) -> AppResult<HttpResponse> {
    let form = form.into_inner();
    let issue = match form.issue.as_str() {
        "" | "now" => write::Issue::Now,
        "drafts" => write::Issue::AsDrafts,
        _ => {
            return Err(AppError::invalid(
                "issue",
                "Choose to issue the invoices now or to save them as drafts.",
            ))
        }
    };
    let choice = PeriodChoice {
        month: form.month,
        term_id: form.term_id,
    };
    let (today, zone) = (state.config.today(), state.config.time_zone);
    let s = scope.clone();
    let window = db::run(&state.pool, move |conn| {
        let period = billing::billing_period_of(conn, &s)?;
        let terms = billing::terms(conn, &s)?;
        choice
            .window(period, &terms)
            .map_err(|(field, message)| AppError::invalid(field, message))
    })
    .await?;
    let started = background::start(&state.pool, scope, window, today, zone, issue).await?;
    match started.outcome {
        Waited::Finished(Ok(created)) => {
            flash::success(&session, created.summary());
            Ok(redirect(match issue {
                write::Issue::Now => "/invoices",
                write::Issue::AsDrafts => "/invoices/generate#drafts",
            }))
        }
        // Nothing to bill, or billed meanwhile: said on the page the admin came from.
        Waited::Finished(Err(e @ (AppError::Conflict(_) | AppError::Invalid(_)))) => Err(e),
        // Anything else: the run's page says it failed and that nothing was created.
        Waited::Finished(Err(_)) | Waited::Running => {
            Ok(redirect(&format!("/invoices/runs/{}", started.run)))
        }
    }
}

#[derive(Template)]
#[template(path = "invoices/run.html")]
struct RunPage {
    shell: Shell,
    run: Run,
    tz: chrono_tz::Tz,
}

#[derive(Template)]
#[template(path = "invoices/run_progress.html")]
struct RunProgress {
    run: Run,
}

/// A run's progress while it writes (htmx asks again every second), then its outcome.
pub async fn run(
    req: HttpRequest,
    shell: Shell,
    scope: ProgramScope,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let run = db::run(&state.pool, move |conn| runs::find(conn, &scope, id)).await?;
    if crate::web::is_htmx(&req) {
        return render(&RunProgress { run });
    }
    render(&RunPage {
        shell,
        run,
        tz: state.config.time_zone,
    })
}
