//! Draft invoices: a run saved for the program admin to look over before families are billed.
//! A draft has no number (numbers run without gaps, so they are handed out when drafts are
//! issued), counts for nothing, and may be discarded; once issued it is an invoice like any other
//! (migration 000033 keeps both rules in the database).

use bigdecimal::BigDecimal;
use chrono::{Datelike, Days, NaiveDate};
use diesel::{
    dsl::{count_star, sum},
    prelude::*,
};
use uuid::Uuid;

use super::{numbers, write::DAYS_TO_PAY, InvoiceKind, InvoiceStatus};
use crate::{
    access::ProgramScope,
    db::functions::lower,
    error::{AppError, AppResult},
    schema::{invoice_lines as l, invoices as i, students as s},
    web::format,
};

diesel::define_sql_function! {
    /// SQL `issue_invoices(ids, numbers, issued, due)` (migration 000033): each draft of `ids`
    /// issued with its number in one statement; how many were.
    fn issue_invoices(
        ids: diesel::sql_types::Array<diesel::sql_types::Uuid>,
        numbers: diesel::sql_types::Array<diesel::sql_types::Text>,
        issued: diesel::sql_types::Date,
        due: diesel::sql_types::Date,
    ) -> diesel::sql_types::Integer;
}

/// The drafts of one period, waiting to be issued or discarded.
pub struct Batch {
    pub period_start: NaiveDate,
    pub period_name: String,
    pub invoices: i64,
    /// The SUM of their lines (a draft's outstanding is its total: nothing pays a draft).
    pub total: BigDecimal,
}

/// The program's drafts by period, oldest period first.
pub fn waiting(conn: &mut PgConnection, scope: &ProgramScope) -> QueryResult<Vec<Batch>> {
    Ok(scope
        .invoices()
        .filter(i::status.eq(InvoiceStatus::Draft))
        .group_by((i::period_start, i::period_name))
        .order(i::period_start.asc())
        .select((
            i::period_start,
            i::period_name,
            count_star(),
            sum(i::outstanding),
        ))
        .load::<(NaiveDate, String, i64, Option<BigDecimal>)>(conn)?
        .into_iter()
        .map(|(period_start, period_name, invoices, total)| Batch {
            period_start,
            period_name,
            invoices,
            total: total.unwrap_or_default(),
        })
        .collect())
}

/// Issues every draft of the period starting `period_start`: numbered in order of the students'
/// names under the counter's lock, issued today and due in 14 days; a family's credit pays its
/// new invoice at once. What was issued, as a sentence.
pub fn issue(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    period_start: NaiveDate,
    today: NaiveDate,
) -> AppResult<String> {
    let name = lower(s::last_name.concat(", ").concat(s::first_name));
    let drafts: Vec<(Uuid, Uuid)> = scope
        .invoices()
        .filter(i::status.eq(InvoiceStatus::Draft))
        .filter(i::period_start.eq(period_start))
        .order((
            scope
                .students()
                .filter(s::id.eq(i::student_id))
                .select(name)
                .single_value()
                .asc(),
            i::id.asc(),
        ))
        .select((i::id, i::student_id))
        .for_update()
        .load(conn)?;
    if drafts.is_empty() {
        return Err(AppError::conflict(
            "No draft of that period waits to be issued: it was issued or discarded meanwhile. Nothing was changed.",
        ));
    }
    let count = drafts.len() as i32;
    let numbers = numbers::reserve(conn, scope, InvoiceKind::Invoice, today.year(), count)?;
    let ids: Vec<Uuid> = drafts.iter().map(|d| d.0).collect();
    let due = today + Days::new(DAYS_TO_PAY);
    let issued: i32 =
        diesel::select(issue_invoices(&ids, &numbers, today, due)).get_result(conn)?;
    if issued != count {
        return Err(AppError::internal("drafts changed while they were issued"));
    }
    let students: Vec<Uuid> = drafts.iter().map(|d| d.1).collect();
    crate::payments::settle(conn, scope, &students, None)?;
    Ok(format!(
        "{} issued ({} to {}), due {}.",
        format::plural(ids.len(), "invoice", "invoices"),
        numbers[0],
        numbers[numbers.len() - 1],
        format::date(due)
    ))
}

/// Discards every draft of the period starting `period_start`: its enrollments and charges may be
/// billed for the period again. How many were.
pub fn discard_period(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    period_start: NaiveDate,
) -> AppResult<usize> {
    let drafts = || {
        scope
            .invoices()
            .filter(i::status.eq(InvoiceStatus::Draft))
            .filter(i::period_start.eq(period_start))
    };
    diesel::delete(
        scope
            .invoice_lines()
            .filter(l::invoice_id.eq_any(drafts().select(i::id))),
    )
    .execute(conn)?;
    let discarded = diesel::delete(drafts()).execute(conn)?;
    if discarded == 0 {
        return Err(AppError::conflict(
            "No draft of that period is left to discard: it was issued or discarded meanwhile. Nothing was changed.",
        ));
    }
    Ok(discarded)
}

/// Discards one draft (at its version): its student's enrollments and charges may be billed for
/// the period again. Refused for an invoice that is issued.
pub fn discard(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    id: Uuid,
    version: &str,
) -> AppResult<()> {
    let (status, updated_at): (InvoiceStatus, chrono::DateTime<chrono::Utc>) = scope
        .invoices()
        .filter(i::id.eq(id))
        .select((i::status, i::updated_at))
        .for_update()
        .first(conn)?;
    crate::web::form::check_version(version, updated_at, "This draft")?;
    if status != InvoiceStatus::Draft {
        return Err(AppError::conflict(
            "This invoice is issued: an issued invoice is never discarded (void it or credit it). Nothing was changed.",
        ));
    }
    diesel::delete(scope.invoice_lines().filter(l::invoice_id.eq(id))).execute(conn)?;
    diesel::delete(scope.invoices().filter(i::id.eq(id))).execute(conn)?;
    Ok(())
}
