//! Students with an outstanding balance, aged. An invoice is open while it is issued or partly
//! paid; what it still asks is the SUM of its lines less the SUM of its payments, both by the
//! database.

use std::collections::HashMap;

use bigdecimal::BigDecimal;
use chrono::NaiveDate;
use diesel::{dsl::exists, pg::Pg, prelude::*};
use uuid::Uuid;

use super::{Ageing, Bucket};
use crate::{
    access::ProgramScope,
    error::AppResult,
    invoices::{owed, InvoiceKind, InvoiceStatus},
    schema::{invoices as i, students as s},
    web::{form::like_pattern, pagination::PageRequest},
};

const OPEN: [InvoiceStatus; 2] = [InvoiceStatus::Issued, InvoiceStatus::PartlyPaid];

pub struct StudentBalance {
    pub student_id: Uuid,
    pub student_code: String,
    /// "Obi, Ada".
    pub name: String,
    pub ageing: Ageing,
}

#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Part of the student's name or id.
    pub q: String,
    /// Only students with an open invoice of this age.
    pub bucket: Option<Bucket>,
}

/// The due dates of `bucket` (any, without one), as a closed range the database compares with.
fn due_range(bucket: Option<Bucket>, today: NaiveDate) -> (NaiveDate, NaiveDate) {
    let (from, to) = bucket.map_or((None, None), |b| b.due_between(today));
    let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).expect("a calendar day");
    (
        from.unwrap_or(day(1900, 1, 1)),
        to.unwrap_or(day(9999, 12, 31)),
    )
}

/// The program's open invoices, as a boxed query.
fn open_invoices<'a>(scope: &ProgramScope) -> i::BoxedQuery<'a, Pg> {
    scope
        .invoices()
        .filter(i::kind.eq(InvoiceKind::Invoice))
        .filter(i::status.eq_any(OPEN))
        .into_boxed()
}

/// The students owing something (who match the filter), by name, and how many there are, counted
/// up to one past the page (a program's debtors run to tens of thousands); `page` none: all of
/// them (the CSV).
pub fn list(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    filter: &Filter,
    page: Option<PageRequest>,
    today: NaiveDate,
) -> AppResult<(Vec<StudentBalance>, i64)> {
    // Not boxed: it names the outer student.
    let (from, to) = due_range(filter.bucket, today);
    let owing = scope
        .invoices()
        .filter(i::student_id.eq(s::id))
        .filter(i::kind.eq(InvoiceKind::Invoice))
        .filter(i::status.eq_any(OPEN))
        .filter(i::due_on.between(from, to))
        .select(i::id);
    let mut query = scope.students().filter(exists(owing)).into_boxed();
    let q = filter.q.trim();
    if !q.is_empty() {
        let pattern = like_pattern(q);
        query = query.filter(
            s::student_id
                .ilike(pattern.clone())
                .or(s::first_name
                    .concat(" ")
                    .concat(s::last_name)
                    .ilike(pattern.clone()))
                .or(s::last_name
                    .concat(", ")
                    .concat(s::first_name)
                    .ilike(pattern)),
        );
    }
    query = query.order((s::last_name.asc(), s::first_name.asc(), s::id.asc()));
    let students: Vec<(Uuid, String, String)> = match page {
        Some(page) => query
            .limit(page.count_limit())
            .select((
                s::id,
                s::student_id,
                s::last_name.concat(", ").concat(s::first_name),
            ))
            .load(conn)?,
        None => query
            .select((
                s::id,
                s::student_id,
                s::last_name.concat(", ").concat(s::first_name),
            ))
            .load(conn)?,
    };
    // The rows up to the page's end were read in list order: the page is their tail.
    let counted = students.len() as i64;
    let shown: Vec<(Uuid, String, String)> = match page {
        Some(page) => students
            .into_iter()
            .skip(page.offset() as usize)
            .take(page.limit() as usize)
            .collect(),
        None => students,
    };
    let ids: Vec<Uuid> = shown.iter().map(|r| r.0).collect();
    let mut ageing = aged(conn, scope, &ids, today)?;
    let rows = shown
        .into_iter()
        .map(|(id, code, name)| StudentBalance {
            student_id: id,
            student_code: code,
            name,
            ageing: ageing.remove(&id).unwrap_or_default(),
        })
        .collect();
    Ok((rows, counted))
}

/// Each student's open invoices, aged (one statement).
fn aged(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    students: &[Uuid],
    today: NaiveDate,
) -> QueryResult<HashMap<Uuid, Ageing>> {
    let mut by_student: HashMap<Uuid, Ageing> = HashMap::new();
    for o in owed(
        conn,
        open_invoices(scope).filter(i::student_id.eq_any(students.to_vec())),
    )? {
        by_student
            .entry(o.student_id)
            .or_default()
            .add(Bucket::of(o.due_on, today), &o.amount);
    }
    Ok(by_student)
}

/// The program's outstanding amounts, aged: the figures above the list and on the dashboard,
/// from what its open invoices still ask by due date, kept by the database
/// (`outstanding_by_due`, a few rows: one per due date).
pub fn totals(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    today: NaiveDate,
) -> QueryResult<Ageing> {
    use crate::schema::outstanding_by_due as o;
    let mut ageing = Ageing::default();
    for (due_on, amount) in scope
        .outstanding_by_due()
        .filter(o::invoices.gt(0))
        .select((o::due_on, o::amount))
        .load::<(NaiveDate, BigDecimal)>(conn)?
    {
        ageing.add(Bucket::of(due_on, today), &amount);
    }
    Ok(ageing)
}

/// Billed (invoice lines not void less credit notes, by the month they bill) and collected
/// (payments less refunds, by the month paid) in each of the 12 months up to `today`'s, oldest
/// first, as the database keeps them (`money_by_month`, one row per month).
pub fn by_month(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    today: NaiveDate,
) -> QueryResult<Vec<(NaiveDate, BigDecimal, BigDecimal)>> {
    use crate::schema::money_by_month as m;
    use chrono::{Datelike, Months};
    let first = today.with_day(1).expect("a first of the month") - Months::new(11);
    let kept: Vec<(NaiveDate, BigDecimal, BigDecimal)> = scope
        .money_by_month()
        .filter(m::month.ge(first))
        .select((m::month, m::billed, m::collected))
        .load(conn)?;
    Ok((0..12)
        .map(|n| {
            let month = first + Months::new(n);
            kept.iter().find(|k| k.0 == month).cloned().unwrap_or((
                month,
                BigDecimal::default(),
                BigDecimal::default(),
            ))
        })
        .collect())
}
