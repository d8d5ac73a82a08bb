//! Changing a price keeps its history: the active row is ended (`is_active = false`, `end_date`)
//! and a new row starts (`effective_date`). Call inside a transaction; the partial unique index
//! `facility_course_pricing_active_key` has the last word when two people save one cell at once.

use bigdecimal::BigDecimal;
use chrono::NaiveDate;
use diesel::{
    prelude::*,
    result::{DatabaseErrorKind, Error as DieselError},
};
use uuid::Uuid;

use super::{lookup::PriceKey, Price};
use crate::{
    access::ProgramScope,
    error::{AppError, AppResult},
    schema::{facility_course_pricing, facility_course_pricing as fcp},
};

/// What a save asks for.
#[derive(Debug, Clone)]
pub enum Change {
    Set(Price),
    /// No price any more: the active row ends.
    Clear,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The same price was already active (or nothing to clear): no new row.
    Unchanged,
    Started,
    Replaced,
    Ended,
}

/// What the loser of two simultaneous saves of one cell is told.
pub const SIMULTANEOUS: &str =
    "Someone else saved this price at the same moment, so yours was not saved. The cell now shows their price; enter yours again to replace it.";

/// The active row of `key`, locked until the transaction ends.
pub fn active_row(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    key: &PriceKey,
) -> QueryResult<Option<(Uuid, BigDecimal, NaiveDate)>> {
    scope
        .facility_course_pricing()
        .filter(fcp::facility_id.eq(key.facility_id))
        .filter(fcp::course_id.eq(key.course_id))
        .filter(fcp::age_group.eq(&key.age_group))
        .filter(fcp::location_type.eq(&key.location_type))
        .filter(fcp::session_type.eq(&key.session_type))
        .filter(fcp::is_active.eq(true))
        .select((fcp::id, fcp::price, fcp::effective_date))
        .for_update()
        .first(conn)
        .optional()
}

/// Applies `change` to the cell `key` as of `today`, recording the acting user. Inside a transaction.
pub fn apply(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    key: &PriceKey,
    change: &Change,
    today: NaiveDate,
) -> AppResult<Outcome> {
    let actor = scope.actor_id();
    let current = active_row(conn, scope, key)?;
    if let (Change::Set(price), Some((_, amount, _))) = (change, &current) {
        if amount == price.amount() {
            return Ok(Outcome::Unchanged);
        }
    }
    if let Some((id, _, effective_date)) = &current {
        diesel::update(scope.facility_course_pricing().filter(fcp::id.eq(*id)))
            .set((
                fcp::is_active.eq(false),
                fcp::end_date.eq(today.max(*effective_date)),
                fcp::updated_by.eq(actor),
            ))
            .execute(conn)?;
    }
    let Change::Set(price) = change else {
        return Ok(if current.is_some() {
            Outcome::Ended
        } else {
            Outcome::Unchanged
        });
    };
    facility_course_pricing::insert()
        .values((
            fcp::facility_id.eq(key.facility_id),
            fcp::course_id.eq(key.course_id),
            fcp::program_id.eq(scope.program_id()),
            fcp::age_group.eq(&key.age_group),
            fcp::location_type.eq(&key.location_type),
            fcp::session_type.eq(&key.session_type),
            fcp::price.eq(price.amount()),
            fcp::is_active.eq(true),
            fcp::effective_date.eq(today),
            fcp::created_by.eq(actor),
            fcp::updated_by.eq(actor),
        ))
        .execute(conn)
        .map_err(|e| match e {
            DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _) => {
                AppError::conflict(SIMULTANEOUS)
            }
            other => AppError::from(other),
        })?;
    Ok(if current.is_some() {
        Outcome::Replaced
    } else {
        Outcome::Started
    })
}
