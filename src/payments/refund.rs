//! Refunds: giving back (part of) a payment's credit, what no invoice took. Program admins and
//! super admins only; always with a reason; never more than the credit left (the payment locked
//! first, and the trigger `payments_refund_within_credit` whatever the path).

use bigdecimal::BigDecimal;
use chrono::{Datelike, NaiveDate};
use diesel::prelude::*;
use serde::Deserialize;
use uuid::Uuid;

use super::{method::PaymentKind, PaymentMethod};
use crate::{
    access::ProgramScope,
    error::{AppError, AppResult},
    schema::payments as p,
    web::{form::FieldErrors, format, naira},
};

#[derive(Debug, Default, Clone, Deserialize)]
pub struct RefundForm {
    #[serde(default)]
    pub amount: String,
    #[serde(default)]
    pub method: String,
    #[serde(default)]
    pub reason: String,
}

pub struct Refund {
    pub amount: BigDecimal,
    pub method: PaymentMethod,
    pub reason: String,
}

impl RefundForm {
    pub fn validate(&self) -> Result<Refund, FieldErrors> {
        let mut errors = FieldErrors::new();
        let amount = naira::parse(&self.amount, naira::AMOUNT)
            .map_err(|m| errors.add("amount", m))
            .ok();
        let method = self
            .method
            .parse::<PaymentMethod>()
            .map_err(|_| errors.add("method", "Choose how the money is given back."))
            .ok();
        let reason = self.reason.trim();
        if reason.is_empty() {
            errors.add("reason", "Say why the money is given back.");
        }
        match (amount, method) {
            (Some(amount), Some(method)) if errors.is_empty() => Ok(Refund {
                amount,
                method,
                reason: reason.to_string(),
            }),
            _ => Err(errors),
        }
    }
}

/// Records the refund of `payment`'s credit; the refund's id and number.
pub fn refund(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    payment: Uuid,
    refund: &Refund,
    today: NaiveDate,
) -> AppResult<(Uuid, String)> {
    let (student, kind): (Uuid, PaymentKind) = scope
        .payments()
        .filter(p::id.eq(payment))
        .select((p::student_id, p::kind))
        .for_update()
        .first(conn)?;
    if kind != PaymentKind::Payment {
        return Err(AppError::conflict(
            "A refund is not refunded. Nothing was changed.",
        ));
    }
    let left = super::settle::credit_left(conn, scope, &[student], false)?
        .into_iter()
        .find(|c| c.payment_id == payment)
        .map(|c| c.left)
        .unwrap_or_default();
    if refund.amount > left {
        return Err(AppError::invalid(
            "amount",
            format!(
                "At most {} can be given back: what no invoice took of this payment.",
                format::money(&left)
            ),
        ));
    }
    let number = super::numbers::next(conn, scope, today.year())?.replacen("RCT", "RFD", 1);
    let id = p::insert()
        .values((
            p::program_id.eq(scope.program_id()),
            p::student_id.eq(student),
            p::kind.eq(PaymentKind::Refund),
            p::number.eq(&number),
            p::amount.eq(&refund.amount),
            p::paid_on.eq(today),
            p::method.eq(refund.method),
            p::refund_of.eq(Some(payment)),
            p::reason.eq(&refund.reason),
            p::recorded_by.eq(scope.actor_id()),
        ))
        .returning(p::id)
        .get_result(conn)?;
    Ok((id, number))
}
