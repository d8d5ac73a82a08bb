//! Billing terms: named date ranges of one program that never overlap (the exclusion constraint
//! `billing_terms_no_overlap`), so every day belongs to at most one term.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::{
    pg::Pg,
    prelude::*,
    result::{DatabaseErrorKind, Error as DieselError},
};
use uuid::Uuid;

use super::{billing_period_of, BillingPeriod};
use crate::{
    access::ProgramScope,
    error::{AppError, AppResult},
    schema::{billing_terms, programs},
    web::{date_range::DateRange, form::check_version, format},
};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = billing_terms, check_for_backend(Pg))]
pub struct BillingTerm {
    pub id: Uuid,
    pub name: String,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub updated_at: DateTime<Utc>,
}

impl BillingTerm {
    pub fn version(&self) -> String {
        crate::web::form::version(self.updated_at)
    }

    pub fn days(&self) -> i64 {
        (self.end_date - self.start_date).num_days() + 1
    }

    /// "Autumn 2026 (1 Sep 2026 to 15 Dec 2026)", for refusals.
    fn described(&self) -> String {
        format!(
            "{} ({} to {})",
            self.name,
            format::date(self.start_date),
            format::date(self.end_date)
        )
    }
}

/// The program's terms in calendar order (a program has a few a year).
pub fn list(conn: &mut PgConnection, scope: &ProgramScope) -> QueryResult<Vec<BillingTerm>> {
    scope
        .billing_terms()
        .order((billing_terms::start_date.asc(), billing_terms::id.asc()))
        .select(BillingTerm::as_select())
        .limit(500)
        .load(conn)
}

pub fn count(conn: &mut PgConnection, scope: &ProgramScope) -> QueryResult<i64> {
    scope.billing_terms().count().get_result(conn)
}

/// Saves the term, refusing one that overlaps another term of the program (named).
pub fn insert(conn: &mut PgConnection, scope: &ProgramScope, t: &DateRange) -> AppResult<()> {
    let overlapping: Option<BillingTerm> = scope
        .billing_terms()
        .filter(billing_terms::start_date.le(t.end_date))
        .filter(billing_terms::end_date.ge(t.start_date))
        .order(billing_terms::start_date.asc())
        .select(BillingTerm::as_select())
        .first(conn)
        .optional()?;
    if let Some(other) = overlapping {
        return Err(overlap(&format!("{}.", other.described())));
    }
    let inserted = billing_terms::insert()
        .values((
            billing_terms::program_id.eq(scope.program_id()),
            billing_terms::name.eq(&t.name),
            billing_terms::start_date.eq(t.start_date),
            billing_terms::end_date.eq(t.end_date),
        ))
        .execute(conn);
    match inserted {
        Ok(_) => Ok(()),
        // A term saved meanwhile by someone else.
        Err(DieselError::DatabaseError(DatabaseErrorKind::Unknown, info))
            if info.constraint_name() == Some("billing_terms_no_overlap") =>
        {
            Err(overlap("a term just added."))
        }
        Err(e) => Err(e.into()),
    }
}

fn overlap(other: &str) -> AppError {
    AppError::invalid(
        "start_date",
        format!("These dates overlap {other} A day belongs to one term only."),
    )
}

/// Removes the term; its name.
pub fn delete(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    id: Uuid,
    version: &str,
) -> AppResult<String> {
    let term: BillingTerm = scope
        .billing_terms()
        .filter(billing_terms::id.eq(id))
        .select(BillingTerm::as_select())
        .for_update()
        .first(conn)?;
    check_version(version, term.updated_at, "This term")?;
    if billing_period_of(conn, scope)? == BillingPeriod::Term && count(conn, scope)? == 1 {
        return Err(AppError::conflict(format!(
            "{} is the program's only term and the program bills by term: switch to billing by calendar month first, or add another term. Nothing was changed.",
            term.name
        )));
    }
    diesel::delete(scope.billing_terms().filter(billing_terms::id.eq(id))).execute(conn)?;
    Ok(term.name)
}

/// Sets the program's billing period. Billing by term needs a term to bill: with none, nothing
/// could be invoiced, so it is refused.
pub fn set_period(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    period: BillingPeriod,
) -> AppResult<()> {
    if period == BillingPeriod::Term && count(conn, scope)? == 0 {
        return Err(AppError::invalid(
            "billing_period",
            "Add a term first: billing by term needs at least one term to bill.",
        ));
    }
    diesel::update(programs::table.find(scope.program_id()))
        .set(programs::billing_period.eq(period))
        .execute(conn)?;
    Ok(())
}
