//! An invoice run: the plan computed again inside the transaction, numbers reserved under the
//! counter's lock, every invoice and line inserted in batches. One transaction: a failure
//! anywhere leaves nothing behind.

use bigdecimal::BigDecimal;
use chrono::{Datelike, Days, NaiveDate};
use diesel::{
    dsl::sum,
    prelude::*,
    result::{DatabaseErrorKind, Error as DieselError},
};
use uuid::Uuid;

use super::{numbers, period::Window, plan, InvoiceKind, InvoiceStatus};
use crate::{
    access::ProgramScope,
    error::{AppError, AppResult},
    schema::{invoice_lines as l, invoices as i},
    web::format,
};

/// Days between issuing an invoice and its due date.
pub const DAYS_TO_PAY: u64 = 14;

/// Rows per INSERT: PostgreSQL takes at most 65,535 bound values in a statement.
const BATCH: usize = 2_000;

/// What a run does with its invoices: issues them, or saves them as drafts to look over first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Issue {
    Now,
    AsDrafts,
}

pub struct Created {
    pub invoices: usize,
    pub lines: usize,
    /// Summed by the database over the lines saved.
    pub total: BigDecimal,
    /// The first and last numbers handed out; none for drafts.
    pub numbers: Option<(String, String)>,
}

/// What a run is doing and how far: a step's name, done, out of.
pub type Progress<'a> = &'a mut dyn FnMut(&str, usize, usize);

impl Created {
    /// "3 invoices created (INV-2026-00001 to INV-2026-00003), 5 lines in all, ₦45,000.00."
    pub fn summary(&self) -> String {
        let lines = format::plural(self.lines, "line", "lines");
        let total = format::money(&self.total);
        match &self.numbers {
            Some((first, last)) => format!(
                "{} created ({first} to {last}), {lines} in all, {total}.",
                format::plural(self.invoices, "invoice", "invoices"),
            ),
            None => format!(
                "{} saved, {lines} in all, {total}: look them over, then issue them from Generate invoices.",
                format::plural(self.invoices, "draft invoice", "draft invoices"),
            ),
        }
    }
}

pub fn generate(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    window: Window,
    today: NaiveDate,
    zone: chrono_tz::Tz,
    issue: Issue,
    progress: Progress,
) -> AppResult<Created> {
    progress("Reading the enrollments", 0, 0);
    let plan = plan::plan(conn, scope, window, zone)?;
    if plan.invoices.is_empty() {
        return Err(AppError::conflict(format!(
            "Nothing to bill for {}: every enrollment running then is billed already, paused or free, and no one-off charge waits. Nothing was created.",
            plan.window.name
        )));
    }
    // Drafts get their numbers when they are issued (drafts::issue).
    let numbers: Vec<Option<String>> = match issue {
        Issue::Now => numbers::reserve(
            conn,
            scope,
            InvoiceKind::Invoice,
            today.year(),
            plan.invoices.len() as i32,
        )?
        .into_iter()
        .map(Some)
        .collect(),
        Issue::AsDrafts => vec![None; plan.invoices.len()],
    };
    let status = match issue {
        Issue::Now => InvoiceStatus::Issued,
        Issue::AsDrafts => InvoiceStatus::Draft,
    };
    let due = today + Days::new(DAYS_TO_PAY);
    let mut ids: Vec<Uuid> = Vec::with_capacity(plan.invoices.len());
    progress("Writing invoices", 0, plan.invoices.len());
    for (chunk, chunk_numbers) in plan.invoices.chunks(BATCH).zip(numbers.chunks(BATCH)) {
        let rows: Vec<_> = chunk
            .iter()
            .zip(chunk_numbers)
            .map(|(inv, number)| {
                (
                    i::program_id.eq(scope.program_id()),
                    i::student_id.eq(inv.student_id),
                    i::kind.eq(InvoiceKind::Invoice),
                    i::number.eq(number),
                    i::status.eq(status),
                    i::period_start.eq(plan.window.start),
                    i::period_end.eq(plan.window.end),
                    i::period_name.eq(&plan.window.name),
                    i::issued_on.eq(today),
                    i::due_on.eq(due),
                    i::created_by.eq(scope.actor_id()),
                )
            })
            .collect();
        ids.extend(
            i::insert()
                .values(rows)
                .returning(i::id)
                .get_results::<Uuid>(conn)?,
        );
        progress("Writing invoices", ids.len(), plan.invoices.len());
    }
    let lines: Vec<_> = plan
        .invoices
        .iter()
        .zip(&ids)
        .flat_map(|(inv, id)| inv.lines.iter().map(move |line| (*id, line)))
        .map(|(id, line)| {
            (
                l::program_id.eq(scope.program_id()),
                l::invoice_id.eq(id),
                l::enrollment_id.eq(line.enrollment_id),
                l::charge_id.eq(line.charge_id),
                l::period_start.eq(plan.window.start),
                l::description.eq(&line.description),
                l::share_note.eq(&line.share_note),
                l::amount.eq(&line.amount),
            )
        })
        .collect();
    for (n, chunk) in lines.chunks(BATCH).enumerate() {
        progress("Writing lines", n * BATCH, lines.len());
        match l::insert().values(chunk).execute(conn) {
            Ok(_) => {}
            Err(DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, info))
                if matches!(
                    info.constraint_name(),
                    Some("invoice_lines_once_per_period" | "invoice_lines_charge_once")
                ) =>
            {
                return Err(AppError::conflict(
                    "Another run billed some of these enrollments or charges meanwhile. Nothing was created: look at the preview again.",
                ));
            }
            Err(e) => return Err(e.into()),
        }
    }
    if issue == Issue::Now {
        progress("Applying families' credit", lines.len(), lines.len());
        // A family's credit (an earlier overpayment) pays its new invoice at once.
        let students: Vec<Uuid> = plan.invoices.iter().map(|inv| inv.student_id).collect();
        crate::payments::settle(conn, scope, &students, None)?;
    }
    let total: Option<BigDecimal> = scope
        .invoice_lines()
        .filter(l::invoice_id.eq_any(&ids))
        .select(sum(l::amount))
        .first(conn)?;
    Ok(Created {
        invoices: ids.len(),
        lines: lines.len(),
        total: total.unwrap_or_default(),
        numbers: match (numbers.first(), numbers.last()) {
            (Some(Some(first)), Some(Some(last))) => Some((first.clone(), last.clone())),
            _ => None,
        },
    })
}

/// Voids an unpaid invoice with its reason: it keeps its number and lines, counts for nothing,
/// and its enrollments may be billed for the period again. An invoice with payments is refused
/// (what they paid would be lost). Its number.
pub fn void(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    id: Uuid,
    version: &str,
    reason: &str,
) -> AppResult<String> {
    let (number, kind, status, updated_at): (
        Option<String>,
        InvoiceKind,
        InvoiceStatus,
        chrono::DateTime<chrono::Utc>,
    ) = scope
        .invoices()
        .filter(i::id.eq(id))
        .select((i::number, i::kind, i::status, i::updated_at))
        .for_update()
        .first(conn)?;
    crate::web::form::check_version(version, updated_at, "This invoice")?;
    let Some(number) = number else {
        return Err(AppError::conflict(
            "A draft is not voided: discard it instead. Nothing was changed.",
        ));
    };
    let credited = diesel::select(diesel::dsl::exists(
        scope.invoices().filter(i::credit_note_of.eq(id)),
    ))
    .get_result::<bool>(conn)?;
    if kind == InvoiceKind::CreditNote || credited {
        return Err(AppError::conflict(format!(
            "{number} cannot be voided: a credit note and the invoice it credits stand as issued. Issue another credit note to correct it. Nothing was changed."
        )));
    }
    match status {
        // A draft has no number: refused above.
        InvoiceStatus::Issued | InvoiceStatus::Draft => {}
        InvoiceStatus::Void => {
            return Err(AppError::conflict(format!(
                "{number} is void already. Nothing was changed."
            )))
        }
        InvoiceStatus::PartlyPaid | InvoiceStatus::Paid => {
            return Err(AppError::conflict(format!(
                "{number} has payments against it and cannot be voided: what they paid would be lost. Nothing was changed."
            )))
        }
    }
    diesel::update(scope.invoices().filter(i::id.eq(id)))
        .set((
            i::status.eq(InvoiceStatus::Void),
            i::void_reason.eq(reason),
            i::voided_by.eq(scope.actor_id()),
            i::voided_at.eq(diesel::dsl::now),
        ))
        .execute(conn)?;
    diesel::update(scope.invoice_lines().filter(l::invoice_id.eq(id)))
        .set(l::voided.eq(true))
        .execute(conn)?;
    Ok(number)
}
