//! Credit notes: the correction of an issued invoice, which is never edited. A credit note
//! (`CRN-YYYY-NNNNN`) credits part or all of what the invoice billed less its earlier credit
//! notes; what payments had paid beyond the corrected total goes back to the family's credit and
//! pays their other open invoices, oldest first. Program admins and super admins only; always with
//! a reason. The trigger `credit_notes_within_invoice` refuses crediting beyond the invoice
//! whatever the path.

use bigdecimal::BigDecimal;
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use diesel::prelude::*;
use serde::Deserialize;
use uuid::Uuid;

use super::{numbers, InvoiceKind, InvoiceStatus};
use crate::{
    access::ProgramScope,
    error::{AppError, AppResult},
    schema::{invoice_lines as l, invoices as i},
    web::{
        form::{check_version, FieldErrors},
        format, naira,
    },
};

#[derive(Debug, Default, Clone, Deserialize)]
pub struct CreditForm {
    #[serde(default)]
    pub version: String,
    #[serde(default)]
    pub amount: String,
    #[serde(default)]
    pub reason: String,
}

pub struct Credit {
    pub amount: BigDecimal,
    pub reason: String,
}

impl CreditForm {
    pub fn validate(&self) -> Result<Credit, FieldErrors> {
        let mut errors = FieldErrors::new();
        let amount = naira::parse(&self.amount, naira::AMOUNT)
            .map_err(|m| errors.add("amount", m))
            .ok();
        let reason = self.reason.trim();
        if reason.is_empty() {
            errors.add(
                "reason",
                "Say why the invoice is corrected: the reason is printed on the credit note.",
            );
        } else if reason.chars().count() > 200 {
            errors.add("reason", "Keep the reason to 200 characters.");
        }
        match amount {
            Some(amount) if errors.is_empty() => Ok(Credit {
                amount,
                reason: reason.to_string(),
            }),
            _ => Err(errors),
        }
    }
}

/// Issues a credit note for `amount` of the invoice `id`; its id and number.
pub fn credit_note(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    id: Uuid,
    version: &str,
    credit: &Credit,
    today: NaiveDate,
) -> AppResult<(Uuid, String)> {
    #[allow(clippy::type_complexity)]
    let (number, kind, status, student, period, updated_at): (
        Option<String>,
        InvoiceKind,
        InvoiceStatus,
        Uuid,
        (NaiveDate, NaiveDate, String),
        DateTime<Utc>,
    ) = scope
        .invoices()
        .filter(i::id.eq(id))
        .select((
            i::number,
            i::kind,
            i::status,
            i::student_id,
            (i::period_start, i::period_end, i::period_name),
            i::updated_at,
        ))
        .for_update()
        .first(conn)?;
    check_version(version, updated_at, "This invoice")?;
    let number = number.unwrap_or_else(|| "A draft".into());
    if kind != InvoiceKind::Invoice || matches!(status, InvoiceStatus::Void | InvoiceStatus::Draft)
    {
        return Err(AppError::conflict(format!(
            "{number} cannot be credited: only an issued invoice that is not void can. Nothing was changed."
        )));
    }
    let owed = super::read::find(conn, scope, id)?.invoice;
    let creditable = owed.creditable();
    if credit.amount > creditable {
        return Err(AppError::invalid(
            "amount",
            format!(
                "At most {} can be credited: what {number} billed less its earlier credit notes.",
                format::money(&creditable)
            ),
        ));
    }
    // What payments paid beyond the corrected total goes back to the family's credit.
    let left = &creditable - &credit.amount;
    if owed.paid > left {
        crate::payments::release(conn, scope, id, &(&owed.paid - &left))?;
    }
    let note_number =
        numbers::reserve(conn, scope, InvoiceKind::CreditNote, today.year(), 1)?.remove(0);
    let (period_start, period_end, period_name) = period;
    let note: Uuid = i::insert()
        .values((
            i::program_id.eq(scope.program_id()),
            i::student_id.eq(student),
            i::kind.eq(InvoiceKind::CreditNote),
            i::number.eq(&note_number),
            i::status.eq(InvoiceStatus::Issued),
            i::period_start.eq(period_start),
            i::period_end.eq(period_end),
            i::period_name.eq(&period_name),
            i::issued_on.eq(today),
            i::due_on.eq(today),
            i::credit_note_of.eq(id),
            i::created_by.eq(scope.actor_id()),
        ))
        .returning(i::id)
        .get_result(conn)?;
    l::insert()
        .values((
            l::program_id.eq(scope.program_id()),
            l::invoice_id.eq(note),
            l::kind.eq(InvoiceKind::CreditNote),
            l::credit_of.eq(id),
            l::period_start.eq(period_start),
            l::description.eq(format!("Credit for {number}: {}", credit.reason)),
            l::amount.eq(&credit.amount),
        ))
        .execute(conn)?;
    let paid = owed.paid.clone().min(left.clone());
    let zero = BigDecimal::from(0);
    let status = if paid >= left {
        InvoiceStatus::Paid
    } else if paid > zero {
        InvoiceStatus::PartlyPaid
    } else {
        InvoiceStatus::Issued
    };
    diesel::update(scope.invoices().filter(i::id.eq(id)))
        .set(i::status.eq(status))
        .execute(conn)?;
    crate::payments::settle(conn, scope, &[student], None)?;
    Ok((note, note_number))
}
