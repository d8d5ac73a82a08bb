//! Allocating payments to invoices. A student's money not yet allocated goes to their open
//! invoices (issued or partly paid), the one named first, then oldest first; each invoice
//! touched becomes partly paid or paid. The invoices and payments are locked `FOR UPDATE` before
//! their sums are read, so two people recording payments for the same invoice at once are
//! allocated one after the other and never pay it beyond its total (the trigger
//! `payment_allocations_within_totals` refuses it whatever the path).

use bigdecimal::BigDecimal;
use diesel::{dsl::sum, prelude::*};
use uuid::Uuid;

use super::method::PaymentKind;
use crate::{
    access::ProgramScope,
    error::AppResult,
    invoices::{InvoiceKind, InvoiceStatus},
    schema::{invoices as i, payment_allocations as a, payments as p},
};

const OPEN: [InvoiceStatus; 2] = [InvoiceStatus::Issued, InvoiceStatus::PartlyPaid];

/// Settles each student's unallocated money against their open invoices; `first`, if given, is
/// paid before the others. What stays unallocated is the student's credit.
pub fn settle(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    students: &[Uuid],
    first: Option<Uuid>,
) -> AppResult<()> {
    for student in with_credit(conn, scope, students)? {
        settle_student(conn, scope, student, first)?;
    }
    Ok(())
}

/// The students among `students` with money not yet allocated.
fn with_credit(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    students: &[Uuid],
) -> QueryResult<Vec<Uuid>> {
    let mut out: Vec<Uuid> = credit_left(conn, scope, students, false)?
        .into_iter()
        .map(|c| c.student_id)
        .collect();
    out.sort();
    out.dedup();
    Ok(out)
}

/// A payment's credit: what no invoice took and no refund gave back.
pub(super) struct Credit {
    pub payment_id: Uuid,
    pub student_id: Uuid,
    pub left: BigDecimal,
}

/// The payments of `students` with credit left, oldest first (two statements: the payments with
/// what invoices took of each, then the refunds); `lock`: the payments locked `FOR UPDATE`.
pub(super) fn credit_left(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    students: &[Uuid],
    lock: bool,
) -> QueryResult<Vec<Credit>> {
    let query = scope
        .payments()
        .filter(p::student_id.eq_any(students))
        .filter(p::kind.eq(PaymentKind::Payment))
        .order((p::paid_on.asc(), p::number.asc()))
        .select((
            p::id,
            p::student_id,
            p::amount,
            scope
                .payment_allocations()
                .filter(a::payment_id.eq(p::id))
                .select(sum(a::amount))
                .single_value(),
        ));
    let rows: Vec<(Uuid, Uuid, BigDecimal, Option<BigDecimal>)> = if lock {
        query.for_update().load(conn)?
    } else {
        query.load(conn)?
    };
    let refunds: Vec<(Option<Uuid>, BigDecimal)> = scope
        .payments()
        .filter(p::student_id.eq_any(students))
        .filter(p::kind.eq(PaymentKind::Refund))
        .select((p::refund_of, p::amount))
        .load(conn)?;
    let zero = BigDecimal::from(0);
    Ok(rows
        .into_iter()
        .map(|(payment_id, student_id, amount, used)| {
            let refunded: BigDecimal = refunds
                .iter()
                .filter(|(of, _)| *of == Some(payment_id))
                .map(|(_, a)| a)
                .sum();
            Credit {
                payment_id,
                student_id,
                left: amount - used.unwrap_or_default() - refunded,
            }
        })
        .filter(|c| c.left > zero)
        .collect())
}

fn settle_student(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    student: Uuid,
    first: Option<Uuid>,
) -> AppResult<()> {
    // Invoices first, then payments: every path locks in this order.
    let mut invoices: Vec<(Uuid, BigDecimal)> = scope
        .invoices()
        .filter(i::student_id.eq(student))
        .filter(i::kind.eq(InvoiceKind::Invoice))
        .filter(i::status.eq_any(OPEN))
        .order((i::issued_on.asc(), i::number.asc()))
        .select(i::id)
        .for_update()
        .load::<Uuid>(conn)?
        .into_iter()
        .map(|id| (id, BigDecimal::from(0)))
        .collect();
    if invoices.is_empty() {
        return Ok(());
    }
    if let Some(at) = first.and_then(|f| invoices.iter().position(|(id, _)| *id == f)) {
        let named = invoices.remove(at);
        invoices.insert(0, named);
    }
    let ids: Vec<Uuid> = invoices.iter().map(|(id, _)| *id).collect();
    let owed = outstanding(conn, scope, &ids)?;
    for (id, due) in invoices.iter_mut() {
        *due = owed
            .iter()
            .find(|(o, _)| o == id)
            .map(|(_, d)| d.clone())
            .unwrap_or_default();
    }
    let mut money: Vec<(Uuid, BigDecimal)> = credit_left(conn, scope, &[student], true)?
        .into_iter()
        .map(|c| (c.payment_id, c.left))
        .collect();
    let zero = BigDecimal::from(0);
    let mut rows = Vec::new();
    for (invoice, due) in invoices.iter_mut() {
        for (payment, left) in money.iter_mut() {
            if *due <= zero {
                break;
            }
            if *left <= zero {
                continue;
            }
            let take = if *left < *due {
                left.clone()
            } else {
                due.clone()
            };
            *left -= &take;
            *due -= &take;
            rows.push((
                a::program_id.eq(scope.program_id()),
                a::payment_id.eq(*payment),
                a::invoice_id.eq(*invoice),
                a::amount.eq(take),
            ));
        }
    }
    if rows.is_empty() {
        return Ok(());
    }
    a::insert().values(rows).execute(conn)?;
    let paid: Vec<Uuid> = invoices
        .iter()
        .filter(|(_, due)| *due <= zero)
        .map(|(id, _)| *id)
        .collect();
    diesel::update(scope.invoices().filter(i::id.eq_any(&paid)))
        .set(i::status.eq(InvoiceStatus::Paid))
        .execute(conn)?;
    let touched: Vec<Uuid> = invoices
        .iter()
        .filter(|(id, due)| *due > zero && owed.iter().any(|(o, d)| o == id && d != due))
        .map(|(id, _)| *id)
        .collect();
    diesel::update(scope.invoices().filter(i::id.eq_any(&touched)))
        .set(i::status.eq(InvoiceStatus::PartlyPaid))
        .execute(conn)?;
    Ok(())
}

/// What each invoice still asks, by id.
pub(super) fn outstanding(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    ids: &[Uuid],
) -> QueryResult<Vec<(Uuid, BigDecimal)>> {
    let invoices = scope
        .invoices()
        .filter(i::id.eq_any(ids.to_vec()))
        .into_boxed();
    Ok(crate::invoices::owed(conn, invoices)?
        .into_iter()
        .map(|o| (o.id, o.amount))
        .collect())
}

/// Gives back `amount` of what payments paid the invoice `invoice`, its newest allocations
/// first (a credit note lowered what it asks): that money is its payments' credit again.
pub fn release(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    invoice: Uuid,
    amount: &BigDecimal,
) -> QueryResult<()> {
    let allocations: Vec<(Uuid, BigDecimal)> = scope
        .payment_allocations()
        .filter(a::invoice_id.eq(invoice))
        .order((a::created_at.desc(), a::id.desc()))
        .select((a::id, a::amount))
        .for_update()
        .load(conn)?;
    let mut left = amount.clone();
    let zero = BigDecimal::from(0);
    for (id, taken) in allocations {
        if left <= zero {
            break;
        }
        let target = scope.payment_allocations().filter(a::id.eq(id));
        if taken <= left {
            diesel::delete(target).execute(conn)?;
            left -= taken;
        } else {
            diesel::update(target)
                .set(a::amount.eq(&taken - &left))
                .execute(conn)?;
            left = zero.clone();
        }
    }
    Ok(())
}
