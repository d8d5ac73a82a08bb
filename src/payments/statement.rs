//! A student's money: what they were billed, what they paid, and their payments. Every figure
//! is a SUM by the database.

use bigdecimal::BigDecimal;
use chrono::NaiveDate;
use diesel::{dsl::sum, prelude::*};
use uuid::Uuid;

use super::{method::PaymentKind, PaymentMethod};
use crate::{
    access::ProgramScope,
    error::{AppError, AppResult},
    invoices::{InvoiceKind, InvoiceStatus},
    schema::{invoice_lines as l, invoices as i, payments as p},
};

pub struct Balance {
    /// The lines of their invoices that are not void, less their credit notes.
    pub billed: BigDecimal,
    /// Their payments less what was refunded.
    pub paid: BigDecimal,
}

impl Balance {
    /// Billed less paid: what they owe, or (below zero) their credit.
    pub fn owed(&self) -> BigDecimal {
        &self.billed - &self.paid
    }
    pub fn is_credit(&self) -> bool {
        self.owed() < BigDecimal::from(0)
    }
    /// The credit as a positive amount.
    pub fn credit(&self) -> BigDecimal {
        -self.owed()
    }
}

/// One statement: the SUMs of the lines of the student's invoices that are not void, of their
/// credit notes, and of their payments and refunds.
pub fn balance_of(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    student: Uuid,
) -> QueryResult<Balance> {
    balance_of_all(conn, scope, &[student])
}

/// The balance of several students together (a family's: the SUM of their balances), in one
/// statement as `balance_of`.
pub fn balance_of_all(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    students: &[Uuid],
) -> QueryResult<Balance> {
    let invoices = scope
        .invoices()
        .filter(i::student_id.eq_any(students))
        .filter(i::kind.eq(InvoiceKind::Invoice))
        .filter(i::status.ne_all([InvoiceStatus::Void, InvoiceStatus::Draft]))
        .select(i::id);
    let credit_notes = scope
        .invoices()
        .filter(i::student_id.eq_any(students))
        .filter(i::kind.eq(InvoiceKind::CreditNote))
        .select(i::id);
    #[allow(clippy::type_complexity)]
    let (billed, credited, paid, refunded): (
        Option<BigDecimal>,
        Option<BigDecimal>,
        Option<BigDecimal>,
        Option<BigDecimal>,
    ) = diesel::select((
        scope
            .invoice_lines()
            .filter(l::invoice_id.eq_any(invoices))
            .select(sum(l::amount))
            .single_value(),
        scope
            .invoice_lines()
            .filter(l::invoice_id.eq_any(credit_notes))
            .select(sum(l::amount))
            .single_value(),
        scope
            .payments()
            .filter(p::student_id.eq_any(students))
            .filter(p::kind.eq(PaymentKind::Payment))
            .select(sum(p::amount))
            .single_value(),
        scope
            .payments()
            .filter(p::student_id.eq_any(students))
            .filter(p::kind.eq(PaymentKind::Refund))
            .select(sum(p::amount))
            .single_value(),
    ))
    .get_result(conn)?;
    Ok(Balance {
        billed: billed.unwrap_or_default() - credited.unwrap_or_default(),
        paid: paid.unwrap_or_default() - refunded.unwrap_or_default(),
    })
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = p, check_for_backend(diesel::pg::Pg))]
pub struct PaymentRow {
    pub id: Uuid,
    pub kind: PaymentKind,
    /// Why a refund was made.
    pub reason: String,
    pub number: String,
    pub paid_on: NaiveDate,
    pub amount: BigDecimal,
    pub method: PaymentMethod,
    pub reference: String,
}

/// The student's payments and refunds, newest first.
pub fn payments_of(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    student: Uuid,
) -> QueryResult<Vec<PaymentRow>> {
    scope
        .payments()
        .filter(p::student_id.eq(student))
        .order((p::paid_on.desc(), p::number.desc()))
        .select(PaymentRow::as_select())
        .limit(500)
        .load(conn)
}

/// A payment (or a refund) as its receipt shows it: who paid, what, which invoices it paid and
/// what was refunded of it.
pub struct Receipt {
    pub payment: PaymentRow,
    pub student_id: Uuid,
    pub student_code: String,
    pub student_name: String,
    /// Invoice number and the amount of this payment it took.
    pub paid: Vec<(Uuid, String, BigDecimal)>,
    /// Refunds of this payment: id, number, amount.
    pub refunds: Vec<(Uuid, String, BigDecimal)>,
    /// For a refund: the payment it gives back, and its number.
    pub refund_of: Option<(Uuid, String)>,
    pub recorded_at: chrono::DateTime<chrono::Utc>,
}

impl Receipt {
    /// What no invoice took and no refund gave back: the student's credit from this payment.
    pub fn unallocated(&self) -> BigDecimal {
        if self.payment.kind == PaymentKind::Refund {
            return BigDecimal::from(0);
        }
        let used: BigDecimal = self
            .paid
            .iter()
            .chain(&self.refunds)
            .map(|(_, _, a)| a)
            .sum();
        &self.payment.amount - used
    }
}

pub fn receipt(conn: &mut PgConnection, scope: &ProgramScope, id: Uuid) -> AppResult<Receipt> {
    use crate::schema::{payment_allocations as a, students as s};
    #[allow(clippy::type_complexity)]
    let row: Option<(
        PaymentRow,
        Uuid,
        Option<Uuid>,
        chrono::DateTime<chrono::Utc>,
        Option<String>,
        Option<String>,
    )> = scope
        .payments()
        .filter(p::id.eq(id))
        .select((
            PaymentRow::as_select(),
            p::student_id,
            p::refund_of,
            p::created_at,
            scope
                .students()
                .filter(s::id.eq(p::student_id))
                .select(s::student_id)
                .single_value(),
            scope
                .students()
                .filter(s::id.eq(p::student_id))
                .select(s::first_name.concat(" ").concat(s::last_name))
                .single_value(),
        ))
        .first(conn)
        .optional()?;
    let Some((payment, student_id, refund_of, at, code, name)) = row else {
        return Err(AppError::NotFound);
    };
    let paid = scope
        .payment_allocations()
        .filter(a::payment_id.eq(payment.id))
        .order(a::id.asc())
        .select((
            a::invoice_id,
            scope
                .invoices()
                .filter(i::id.eq(a::invoice_id))
                .select(i::number)
                .single_value(),
            a::amount,
        ))
        .load::<(Uuid, Option<String>, BigDecimal)>(conn)?
        .into_iter()
        .map(|(invoice, number, amount)| (invoice, number.unwrap_or_default(), amount))
        .collect();
    let refunds = scope
        .payments()
        .filter(p::refund_of.eq(payment.id))
        .order(p::number.asc())
        .select((p::id, p::number, p::amount))
        .load(conn)?;
    let refund_of = match refund_of {
        Some(of) => Some((
            of,
            scope
                .payments()
                .filter(p::id.eq(of))
                .select(p::number)
                .first(conn)?,
        )),
        None => None,
    };
    Ok(Receipt {
        payment,
        student_id,
        student_code: code.unwrap_or_default(),
        student_name: name.unwrap_or_default(),
        paid,
        refunds,
        refund_of,
        recorded_at: at,
    })
}

/// The student's open invoices (issued or partly paid), oldest first, each with what it still
/// asks: the choices of the payment form.
pub fn open_invoices(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    student: Uuid,
) -> QueryResult<Vec<(Uuid, String, String, BigDecimal)>> {
    let rows: Vec<(Uuid, Option<String>, String)> = scope
        .invoices()
        .filter(i::student_id.eq(student))
        .filter(i::kind.eq(InvoiceKind::Invoice))
        .filter(i::status.eq_any([InvoiceStatus::Issued, InvoiceStatus::PartlyPaid]))
        .order((i::issued_on.asc(), i::number.asc()))
        .select((i::id, i::number, i::period_name))
        .load(conn)?;
    let ids: Vec<Uuid> = rows.iter().map(|r| r.0).collect();
    let owed = super::settle::outstanding(conn, scope, &ids)?;
    Ok(rows
        .into_iter()
        .map(|(id, number, period)| {
            let due = owed
                .iter()
                .find(|(o, _)| *o == id)
                .map(|(_, d)| d.clone())
                .unwrap_or_default();
            (id, number.unwrap_or_default(), period, due)
        })
        .collect())
}

/// One entry of a statement: an invoice (what it billed) or a payment (what it paid).
pub struct Entry {
    pub on: NaiveDate,
    pub what: String,
    pub link: String,
    pub billed: Option<BigDecimal>,
    pub paid: Option<BigDecimal>,
    /// Billed less paid up to and including this entry.
    pub balance: BigDecimal,
    pub void: bool,
}

/// The student's statement: every invoice and payment in date order with the running balance.
/// Void invoices are listed but count for nothing.
pub fn statement(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    student: Uuid,
) -> AppResult<Vec<Entry>> {
    let invoices = crate::invoices::of_student(conn, scope, student)?;
    let payments = payments_of(conn, scope, student)?;
    let mut entries: Vec<(NaiveDate, u8, String, Entry)> = Vec::new();
    // A draft is not billed yet.
    for inv in invoices.into_iter().filter(|inv| !inv.is_draft()) {
        let void = inv.status == InvoiceStatus::Void;
        let number = inv.number_shown().to_string();
        // A credit note takes off what its invoice billed: it counts as a negative invoice.
        let (what, billed) = match inv.kind {
            InvoiceKind::Invoice => (
                format!("Invoice {}, {}", inv.number_shown(), inv.period_name),
                inv.total,
            ),
            InvoiceKind::CreditNote => (
                format!("Credit note {}, {}", inv.number_shown(), inv.period_name),
                -inv.total,
            ),
        };
        entries.push((
            inv.issued_on,
            0,
            number,
            Entry {
                on: inv.issued_on,
                what,
                link: format!("/invoices/{}", inv.id),
                billed: Some(billed),
                paid: None,
                balance: BigDecimal::from(0),
                void,
            },
        ));
    }
    for p in payments {
        entries.push((
            p.paid_on,
            1,
            p.number.clone(),
            Entry {
                on: p.paid_on,
                // A refund gives money back: it counts as a negative payment.
                what: match p.kind {
                    PaymentKind::Payment => format!("Payment {}, {}", p.number, p.method.label()),
                    PaymentKind::Refund => format!("Refund {}: {}", p.number, p.reason),
                },
                link: format!("/payments/{}", p.id),
                billed: None,
                paid: Some(match p.kind {
                    PaymentKind::Payment => p.amount,
                    PaymentKind::Refund => -p.amount,
                }),
                balance: BigDecimal::from(0),
                void: false,
            },
        ));
    }
    entries.sort_by(|a, b| (a.0, a.1, &a.2).cmp(&(b.0, b.1, &b.2)));
    let mut running = BigDecimal::from(0);
    Ok(entries
        .into_iter()
        .map(|(_, _, _, mut e)| {
            if !e.void {
                if let Some(b) = &e.billed {
                    running += b;
                }
            }
            if let Some(p) = &e.paid {
                running -= p;
            }
            e.balance = running.clone();
            e
        })
        .collect())
}
