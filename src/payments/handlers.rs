//! Recording a student's payment, and its receipt.

use actix_session::Session;
use actix_web::{web, HttpResponse};
use askama::Template;
use bigdecimal::BigDecimal;
use uuid::Uuid;

use super::{
    method::PaymentKind,
    record::{self, PaymentForm},
    refund::{self, RefundForm},
    statement::{self, Balance, Receipt},
    PaymentMethod,
};
use crate::{
    access::{permission::allows, Action, ProgramScope},
    db,
    error::{AppError, AppResult},
    students,
    web::{flash, form::FieldErrors, format, redirect, render, render_with_status, Shell},
    AppState,
};

#[derive(Template)]
#[template(path = "payments/new.html")]
struct NewPage {
    shell: Shell,
    student_id: Uuid,
    student_name: String,
    balance: Balance,
    open: Vec<(Uuid, String, String, BigDecimal)>,
    form: PaymentForm,
    errors: FieldErrors,
}

impl NewPage {
    fn money(&self, amount: impl std::borrow::Borrow<BigDecimal>) -> String {
        format::money(amount.borrow())
    }
    fn methods(&self) -> &'static [PaymentMethod] {
        PaymentMethod::ALL
    }
}

async fn new_page(
    shell: Shell,
    scope: ProgramScope,
    state: &AppState,
    student: Uuid,
    form: PaymentForm,
    errors: FieldErrors,
) -> AppResult<HttpResponse> {
    let (name, balance, open) = db::run(&state.pool, move |conn| {
        let found = students::find(conn, &scope, student)?;
        Ok((
            format!("{} {}", found.first_name, found.last_name),
            statement::balance_of(conn, &scope, student)?,
            statement::open_invoices(conn, &scope, student)?,
        ))
    })
    .await?;
    let status = errors.status();
    render_with_status(
        status,
        &NewPage {
            shell,
            student_id: student,
            student_name: name,
            balance,
            open,
            form,
            errors,
        },
    )
}

#[derive(serde::Deserialize)]
pub struct NewQuery {
    #[serde(default)]
    invoice_id: String,
}

pub async fn new(
    shell: Shell,
    scope: ProgramScope,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
    query: web::Query<NewQuery>,
) -> AppResult<HttpResponse> {
    let form = PaymentForm {
        paid_on: state.config.today().to_string(),
        method: PaymentMethod::Cash.as_str().into(),
        invoice_id: query.into_inner().invoice_id,
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
    form: web::Form<PaymentForm>,
) -> AppResult<HttpResponse> {
    let (student, form) = (path.into_inner(), form.into_inner());
    let payment = match form.validate(state.config.today()) {
        Ok(payment) => payment,
        Err(errors) => return new_page(shell, scope, &state, student, form, errors).await,
    };
    let (s, p) = (scope.clone(), payment.clone());
    match db::transaction(&state.pool, move |conn| {
        record::record(conn, &s, student, &p)
    })
    .await
    {
        Ok((id, number)) => {
            flash::success(
                &session,
                format!(
                    "Payment of {} recorded: receipt {number}.",
                    format::money(&payment.amount)
                ),
            );
            Ok(redirect(&format!("/payments/{id}")))
        }
        Err(AppError::Invalid(errors)) => {
            new_page(shell, scope, &state, student, form, errors).await
        }
        Err(e) => Err(e),
    }
}

#[derive(Template)]
#[template(path = "payments/statement.html")]
struct StatementPage {
    shell: Shell,
    student: crate::students::Student,
    /// The guardian who pays the student's fees, as the statement is shown today.
    bill_to: Option<crate::guardians::Guardian>,
    entries: Vec<statement::Entry>,
    balance: Balance,
    today: chrono::NaiveDate,
}

impl StatementPage {
    fn money(&self, amount: impl std::borrow::Borrow<BigDecimal>) -> String {
        format::money(amount.borrow())
    }
    fn day(&self, day: &chrono::NaiveDate) -> String {
        format::date(*day)
    }
}

/// A student's statement: every invoice and payment, and the balance; printable on A4.
pub async fn statement(
    shell: Shell,
    scope: ProgramScope,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let (student, entries, balance, bill_to) = db::run(&state.pool, move |conn| {
        Ok((
            students::find(conn, &scope, id)?,
            statement::statement(conn, &scope, id)?,
            statement::balance_of(conn, &scope, id)?,
            crate::guardians::payer_of(conn, &scope, id)?,
        ))
    })
    .await?;
    render(&StatementPage {
        shell,
        student,
        bill_to,
        entries,
        balance,
        today: state.config.today(),
    })
}

#[derive(Template)]
#[template(path = "payments/receipt.html")]
struct ReceiptPage {
    shell: Shell,
    receipt: Receipt,
    /// The child's guardian who pays, if any: the receipt is theirs, as the invoice was.
    payer: Option<crate::guardians::Guardian>,
    tz: chrono_tz::Tz,
    /// Program admins and super admins give credit back.
    can_refund: bool,
    form: RefundForm,
    errors: FieldErrors,
}

impl ReceiptPage {
    fn money(&self, amount: impl std::borrow::Borrow<BigDecimal>) -> String {
        format::money(amount.borrow())
    }
    fn methods(&self) -> &'static [PaymentMethod] {
        PaymentMethod::ALL
    }
    fn is_refund(&self) -> bool {
        self.receipt.payment.kind == PaymentKind::Refund
    }
}

async fn receipt_page(
    shell: Shell,
    scope: ProgramScope,
    state: &AppState,
    id: Uuid,
    form: RefundForm,
    errors: FieldErrors,
) -> AppResult<HttpResponse> {
    let (receipt, payer) = db::run(&state.pool, move |conn| {
        let receipt = statement::receipt(conn, &scope, id)?;
        let payer = crate::guardians::payer_of(conn, &scope, receipt.student_id)?;
        Ok((receipt, payer))
    })
    .await?;
    let status = errors.status();
    render_with_status(
        status,
        &ReceiptPage {
            can_refund: allows(shell.user.role, Action::ManageBilling),
            shell,
            receipt,
            payer,
            tz: state.config.time_zone,
            form,
            errors,
        },
    )
}

pub async fn refund(
    shell: Shell,
    scope: ProgramScope,
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<Uuid>,
    form: web::Form<RefundForm>,
) -> AppResult<HttpResponse> {
    let (payment, form) = (path.into_inner(), form.into_inner());
    let refund = match form.validate() {
        Ok(refund) => refund,
        Err(errors) => return receipt_page(shell, scope, &state, payment, form, errors).await,
    };
    let (s, today) = (scope.clone(), state.config.today());
    let amount = refund.amount.clone();
    match db::transaction(&state.pool, move |conn| {
        refund::refund(conn, &s, payment, &refund, today)
    })
    .await
    {
        Ok((id, number)) => {
            flash::success(
                &session,
                format!("Refund of {} recorded: {number}.", format::money(&amount)),
            );
            Ok(redirect(&format!("/payments/{id}")))
        }
        Err(AppError::Invalid(errors)) => {
            receipt_page(shell, scope, &state, payment, form, errors).await
        }
        Err(e) => Err(e),
    }
}

pub async fn receipt(
    shell: Shell,
    scope: ProgramScope,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
) -> AppResult<HttpResponse> {
    let form = RefundForm {
        method: PaymentMethod::BankTransfer.as_str().into(),
        ..Default::default()
    };
    receipt_page(
        shell,
        scope,
        &state,
        path.into_inner(),
        form,
        FieldErrors::new(),
    )
    .await
}
