//! Recording a payment: the form, checked; then, in one transaction, its receipt number, the
//! payment, and its allocation (`settle`).

use bigdecimal::BigDecimal;
use chrono::{Datelike, NaiveDate};
use diesel::prelude::*;
use serde::Deserialize;
use uuid::Uuid;

use super::{settle, PaymentMethod};
use crate::{
    access::ProgramScope,
    error::{AppError, AppResult},
    invoices::{InvoiceKind, InvoiceStatus},
    schema::{invoices as i, payments as p, students as s},
    web::{form::FieldErrors, naira},
};

const REFERENCE_MAX: usize = 120;

/// The payment form as posted.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct PaymentForm {
    #[serde(default)]
    pub amount: String,
    #[serde(default)]
    pub paid_on: String,
    #[serde(default)]
    pub method: String,
    #[serde(default)]
    pub reference: String,
    /// The invoice it pays first; empty: the student's open invoices, oldest first.
    #[serde(default)]
    pub invoice_id: String,
}

/// A payment the database accepts.
#[derive(Debug, Clone)]
pub struct Payment {
    pub amount: BigDecimal,
    pub paid_on: NaiveDate,
    pub method: PaymentMethod,
    pub reference: String,
    pub invoice_id: Option<Uuid>,
}

impl PaymentForm {
    pub fn validate(&self, today: NaiveDate) -> Result<Payment, FieldErrors> {
        let mut errors = FieldErrors::new();
        let amount = naira::parse(&self.amount, naira::AMOUNT)
            .map_err(|m| errors.add("amount", m))
            .ok();
        let paid_on = match NaiveDate::parse_from_str(self.paid_on.trim(), "%Y-%m-%d") {
            Ok(day) if day > today => {
                errors.add("paid_on", "A payment cannot be dated in the future.");
                None
            }
            Ok(day) => Some(day),
            Err(_) => {
                errors.add("paid_on", "Enter the day it was paid.");
                None
            }
        };
        let method = self
            .method
            .parse::<PaymentMethod>()
            .map_err(|_| errors.add("method", "Choose how it was paid."))
            .ok();
        let reference = self.reference.trim();
        if reference.chars().count() > REFERENCE_MAX {
            errors.add(
                "reference",
                format!("Keep the reference to {REFERENCE_MAX} characters."),
            );
        }
        let invoice_id = match self.invoice_id.trim() {
            "" => None,
            raw => match raw.parse::<Uuid>() {
                Ok(id) => Some(id),
                Err(_) => {
                    errors.add("invoice_id", "Choose one of the student's open invoices.");
                    None
                }
            },
        };
        match (amount, paid_on, method) {
            (Some(amount), Some(paid_on), Some(method)) if errors.is_empty() => Ok(Payment {
                amount,
                paid_on,
                method,
                reference: reference.to_string(),
                invoice_id,
            }),
            _ => Err(errors),
        }
    }
}

/// Records the payment of a student of the scope; its id and receipt number.
pub fn record(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    student: Uuid,
    payment: &Payment,
) -> AppResult<(Uuid, String)> {
    let known: i64 = scope
        .students()
        .filter(s::id.eq(student))
        .count()
        .get_result(conn)?;
    if known == 0 {
        return Err(AppError::NotFound);
    }
    if let Some(invoice) = payment.invoice_id {
        let status: Option<InvoiceStatus> = scope
            .invoices()
            .filter(i::id.eq(invoice))
            .filter(i::student_id.eq(student))
            .filter(i::kind.eq(InvoiceKind::Invoice))
            .select(i::status)
            .first(conn)
            .optional()?;
        match status {
            Some(InvoiceStatus::Issued | InvoiceStatus::PartlyPaid) => {}
            Some(other) => {
                return Err(AppError::invalid(
                    "invoice_id",
                    format!(
                        "That invoice is {}: choose an open one, or record the payment against the student's open invoices.",
                        other.label().to_lowercase()
                    ),
                ))
            }
            None => {
                return Err(AppError::invalid(
                    "invoice_id",
                    "Choose one of the student's open invoices.",
                ))
            }
        }
    }
    let number = super::numbers::next(conn, scope, payment.paid_on.year())?;
    let id: Uuid = p::insert()
        .values((
            p::program_id.eq(scope.program_id()),
            p::student_id.eq(student),
            p::number.eq(&number),
            p::amount.eq(&payment.amount),
            p::paid_on.eq(payment.paid_on),
            p::method.eq(payment.method),
            p::reference.eq(&payment.reference),
            p::recorded_by.eq(scope.actor_id()),
        ))
        .returning(p::id)
        .get_result(conn)?;
    settle(conn, scope, &[student], payment.invoice_id)?;
    Ok((id, number))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(amount: &str, paid_on: &str, method: &str) -> PaymentForm {
        PaymentForm {
            amount: amount.into(),
            paid_on: paid_on.into(),
            method: method.into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_payment_has_an_amount_a_day_not_in_the_future_and_a_method() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
        let ok = form("₦7,500", "2026-12-03", "bank_transfer")
            .validate(today)
            .unwrap();
        assert_eq!(ok.amount.to_string(), "7500.00");
        for (amount, day, method, field) in [
            ("0", "2026-12-03", "cash", "amount"),
            ("5", "2026-12-04", "cash", "paid_on"),
            ("5", "", "cash", "paid_on"),
            ("5", "2026-12-01", "cheque", "method"),
        ] {
            let errors = form(amount, day, method).validate(today).unwrap_err();
            assert!(errors.has(field), "{amount} {day} {method}");
        }
    }
}
