//! Charges: added, removed while not billed, and those the next invoice run bills.

use bigdecimal::BigDecimal;
use chrono::NaiveDate;
use diesel::{dsl::exists, prelude::*};
use serde::Deserialize;
use uuid::Uuid;

use crate::{
    access::ProgramScope,
    error::{AppError, AppResult},
    schema::{charges as c, invoice_lines as l},
    web::{form::FieldErrors, naira},
};

#[derive(Debug, Default, Clone, Deserialize)]
pub struct ChargeForm {
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub amount: String,
    #[serde(default)]
    pub charged_on: String,
}

/// A charge as typed, checked.
pub struct NewCharge {
    pub description: String,
    pub amount: BigDecimal,
    pub charged_on: NaiveDate,
}

impl ChargeForm {
    pub fn validate(&self) -> Result<NewCharge, FieldErrors> {
        let mut errors = FieldErrors::new();
        let description = self.description.trim();
        if description.is_empty() {
            errors.add(
                "description",
                "Say what the charge is for, e.g. Registration or Swimming kit.",
            );
        } else if description.chars().count() > 200 {
            errors.add("description", "Keep it to 200 characters.");
        }
        let amount = naira::parse(&self.amount, naira::AMOUNT)
            .map_err(|m| errors.add("amount", m))
            .ok();
        let charged_on = self
            .charged_on
            .trim()
            .parse::<NaiveDate>()
            .map_err(|_| errors.add("charged_on", "Enter the day as YYYY-MM-DD."))
            .ok();
        match (amount, charged_on) {
            (Some(amount), Some(charged_on)) if errors.is_empty() => Ok(NewCharge {
                description: description.to_string(),
                amount,
                charged_on,
            }),
            _ => Err(errors),
        }
    }
}

#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = c, check_for_backend(diesel::pg::Pg))]
pub struct Charge {
    pub id: Uuid,
    pub student_id: Uuid,
    pub description: String,
    pub amount: BigDecimal,
    pub charged_on: NaiveDate,
}

pub fn add(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    student: Uuid,
    charge: &NewCharge,
) -> AppResult<Uuid> {
    // The student is of the scope: the composite key refuses another program's.
    crate::students::find(conn, scope, student)?;
    Ok(c::insert()
        .values((
            c::program_id.eq(scope.program_id()),
            c::student_id.eq(student),
            c::description.eq(&charge.description),
            c::amount.eq(&charge.amount),
            c::charged_on.eq(charge.charged_on),
            c::created_by.eq(scope.actor_id()),
        ))
        .returning(c::id)
        .get_result(conn)?)
}

/// Removes a charge not yet billed; its student. A billed one stays (its invoice names it).
pub fn remove(conn: &mut PgConnection, scope: &ProgramScope, id: Uuid) -> AppResult<Uuid> {
    let student: Uuid = scope
        .charges()
        .filter(c::id.eq(id))
        .select(c::student_id)
        .for_update()
        .first(conn)?;
    let billed = diesel::select(exists(
        scope
            .invoice_lines()
            .filter(l::charge_id.eq(id))
            .filter(l::voided.eq(false)),
    ))
    .get_result::<bool>(conn)?;
    if billed {
        return Err(AppError::conflict(
            "This charge is on an invoice already and stays: correct the invoice with a credit note. Nothing was changed.",
        ));
    }
    diesel::delete(scope.charges().filter(c::id.eq(id))).execute(conn)?;
    Ok(student)
}

/// The student's charges no invoice bills yet, oldest first.
pub fn pending_of(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    student: Uuid,
) -> QueryResult<Vec<Charge>> {
    pending(conn, scope, Some(student), None)
}

/// The charges no invoice (not void) bills yet: of one student, or all of the program dated up
/// to `until` (an invoice run's last day), oldest first.
pub fn pending(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    student: Option<Uuid>,
    until: Option<NaiveDate>,
) -> QueryResult<Vec<Charge>> {
    let billed = scope
        .invoice_lines()
        .filter(l::charge_id.eq(c::id.nullable()))
        .filter(l::voided.eq(false));
    let mut query = scope
        .charges()
        .filter(diesel::dsl::not(exists(billed)))
        .order((c::charged_on.asc(), c::id.asc()))
        .select(Charge::as_select())
        .into_boxed();
    if let Some(student) = student {
        query = query.filter(c::student_id.eq(student));
    }
    if let Some(until) = until {
        query = query.filter(c::charged_on.le(until));
    }
    query.load(conn)
}
