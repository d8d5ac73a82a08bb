//! Demo billing: the academic year around today in three terms, so a program that switches to
//! billing by term has terms to bill (the demo programs bill by calendar month), and a few
//! discounts (siblings, a scholarship). A program that has terms, or discounts, is left alone.

use chrono::{Datelike, NaiveDate};
use diesel::prelude::*;
use uuid::Uuid;

use crate::{
    enrollments::EnrollmentStatus,
    fees::DiscountKind,
    schema::across_programs::{billing_terms, course_enrollments as e},
};

pub fn seed(conn: &mut PgConnection, program_id: Uuid, today: NaiveDate) -> QueryResult<()> {
    discounts(conn, program_id)?;
    registration(conn, program_id, today)?;
    terms(conn, program_id, today)
}

/// The newest student's registration fee, waiting for the next invoice run (once: a program
/// with charges is left alone).
fn registration(conn: &mut PgConnection, program_id: Uuid, today: NaiveDate) -> QueryResult<()> {
    use crate::schema::across_programs::{charges as c, students as s};
    let any: i64 = c::table
        .filter(c::program_id.eq(program_id))
        .count()
        .get_result(conn)?;
    if any > 0 {
        return Ok(());
    }
    let newest: Option<Uuid> = s::table
        .filter(s::program_id.eq(program_id))
        .order(s::student_id.desc())
        .select(s::id)
        .first(conn)
        .optional()?;
    if let Some(student) = newest {
        diesel::insert_into(c::table)
            .values((
                c::program_id.eq(program_id),
                c::student_id.eq(student),
                c::description.eq("Registration"),
                c::amount.eq(bigdecimal::BigDecimal::from(5000)),
                c::charged_on.eq(today),
            ))
            .execute(conn)?;
    }
    Ok(())
}

fn terms(conn: &mut PgConnection, program_id: Uuid, today: NaiveDate) -> QueryResult<()> {
    let existing: i64 = billing_terms::table
        .filter(billing_terms::program_id.eq(program_id))
        .count()
        .get_result(conn)?;
    if existing > 0 {
        return Ok(());
    }
    // The academic year starts in September.
    let year = if today.month() >= 9 {
        today.year()
    } else {
        today.year() - 1
    };
    let day = |y: i32, m: u32, d: u32| NaiveDate::from_ymd_opt(y, m, d).expect("a calendar day");
    let terms = [
        (
            format!("Autumn term {year}"),
            day(year, 9, 7),
            day(year, 12, 18),
        ),
        (
            format!("Spring term {}", year + 1),
            day(year + 1, 1, 11),
            day(year + 1, 4, 1),
        ),
        (
            format!("Summer term {}", year + 1),
            day(year + 1, 4, 19),
            day(year + 1, 7, 16),
        ),
    ];
    for (name, start, end) in terms {
        diesel::insert_into(billing_terms::table)
            .values((
                billing_terms::program_id.eq(program_id),
                billing_terms::name.eq(name),
                billing_terms::start_date.eq(start),
                billing_terms::end_date.eq(end),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Two siblings at 10% off and one scholarship (a free place), among the running enrollments.
fn discounts(conn: &mut PgConnection, program_id: Uuid) -> QueryResult<()> {
    let of_program = e::table.filter(e::program_id.eq(program_id));
    let any: i64 = of_program
        .filter(e::discount_kind.ne(DiscountKind::None))
        .count()
        .get_result(conn)?;
    if any > 0 {
        return Ok(());
    }
    let running: Vec<Uuid> = of_program
        .filter(e::status.eq(EnrollmentStatus::Active))
        .order(e::id.desc())
        .select(e::id)
        .limit(3)
        .load(conn)?;
    let given = [
        (DiscountKind::Percent, 10, "Sibling"),
        (DiscountKind::Percent, 10, "Sibling"),
        (DiscountKind::Percent, 100, "Scholarship"),
    ];
    for (id, (kind, value, reason)) in running.into_iter().zip(given) {
        diesel::update(e::table.find(id))
            .set((
                e::discount_kind.eq(kind),
                e::discount_value.eq(bigdecimal::BigDecimal::from(value)),
                e::discount_reason.eq(reason),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Last month's invoices, as a program admin would have generated them (once: a program that has
/// invoices is left alone).
pub fn invoices(
    conn: &mut PgConnection,
    program_id: Uuid,
    program_name: &str,
    zone: chrono_tz::Tz,
) -> Result<(), crate::error::AppError> {
    let any: i64 = crate::schema::across_programs::invoices::table
        .filter(crate::schema::across_programs::invoices::program_id.eq(program_id))
        .count()
        .get_result(conn)?;
    if any > 0 {
        return Ok(());
    }
    let today = chrono::Utc::now().with_timezone(&zone).date_naive();
    let last_month = today.with_day(1).expect("a first of the month") - chrono::Days::new(1);
    let scope = crate::access::command_scope(program_id, program_name);
    let window = crate::invoices::Window::month_of(last_month);
    let run = crate::invoices::start_run(conn, &scope, &window)?;
    match crate::invoices::generate(
        conn,
        &scope,
        window,
        last_month.with_day(1).expect("a first of the month"),
        zone,
        crate::invoices::Issue::Now,
        &mut |_, _, _| {},
    ) {
        Ok(created) => {
            crate::invoices::finish_run(conn, &scope, run, Ok(created.summary()))?;
            payments(conn, &scope, program_id, last_month)?;
            credit_note(conn, &scope, program_id, today)
        }
        Err(crate::error::AppError::Conflict(why)) => {
            crate::invoices::finish_run(conn, &scope, run, Err(why))?;
            Ok(())
        }
        Err(e) => Err(e),
    }
}

/// The first family paid in full by transfer, the second half in cash; the others owe.
fn payments(
    conn: &mut PgConnection,
    scope: &crate::access::ProgramScope,
    program_id: Uuid,
    paid_on: NaiveDate,
) -> Result<(), crate::error::AppError> {
    use crate::schema::across_programs::invoices as i;
    let first: Vec<Uuid> = i::table
        .filter(i::program_id.eq(program_id))
        .order(i::number)
        .select(i::student_id)
        .limit(2)
        .load(conn)?;
    for (n, student) in first.into_iter().enumerate() {
        let Some(invoice) = crate::invoices::of_student(conn, scope, student)?.pop() else {
            continue;
        };
        let (amount, method) = if n == 0 {
            (
                invoice.total.clone(),
                crate::payments::PaymentMethod::BankTransfer,
            )
        } else {
            (
                (&invoice.total / bigdecimal::BigDecimal::from(2))
                    .with_scale_round(2, bigdecimal::RoundingMode::HalfUp),
                crate::payments::PaymentMethod::Cash,
            )
        };
        if amount <= bigdecimal::BigDecimal::from(0) {
            continue;
        }
        let payment = crate::payments::Payment {
            amount,
            paid_on,
            method,
            reference: String::new(),
            invoice_id: Some(invoice.id),
        };
        crate::payments::record(conn, scope, student, &payment)?;
    }
    Ok(())
}

/// The last family's invoice corrected by a credit note: sessions were off for a week.
fn credit_note(
    conn: &mut PgConnection,
    scope: &crate::access::ProgramScope,
    program_id: Uuid,
    today: NaiveDate,
) -> Result<(), crate::error::AppError> {
    use crate::schema::across_programs::{invoice_lines as l, invoices as i};
    let last: Option<(Uuid, chrono::DateTime<chrono::Utc>)> = i::table
        .filter(i::program_id.eq(program_id))
        .filter(i::kind.eq(crate::invoices::InvoiceKind::Invoice))
        .order(i::number.desc())
        .select((i::id, i::updated_at))
        .first(conn)
        .optional()?;
    let Some((invoice, updated_at)) = last else {
        return Ok(());
    };
    let total: Option<bigdecimal::BigDecimal> = l::table
        .filter(l::invoice_id.eq(invoice))
        .select(diesel::dsl::sum(l::amount))
        .first(conn)?;
    let credit = crate::invoices::Credit {
        amount: total
            .unwrap_or_default()
            .min(bigdecimal::BigDecimal::from(2000)),
        reason: "No sessions for a week (facility closed)".into(),
    };
    crate::invoices::credit_note(
        conn,
        scope,
        invoice,
        &crate::web::form::version(updated_at),
        &credit,
        today,
    )?;
    Ok(())
}
