//! Invoices as the pages show them: the program's list (searched, paged in the database) and one
//! invoice with its lines. Every total is a SUM of lines by the database.

use bigdecimal::BigDecimal;
use chrono::NaiveDate;
use diesel::{
    dsl::{exists, sum},
    prelude::*,
};
use uuid::Uuid;

use super::{InvoiceKind, InvoiceStatus};
use crate::{
    access::ProgramScope,
    error::{AppError, AppResult},
    schema::{invoice_lines as l, invoices as i, payment_allocations as a, students as s},
    web::{form::like_pattern, pagination::PageRequest},
};

#[derive(Debug)]
pub struct InvoiceRow {
    pub id: Uuid,
    /// None for a draft: it is numbered when issued.
    pub number: Option<String>,
    pub kind: InvoiceKind,
    pub student_id: Uuid,
    pub student_code: String,
    /// "Obi, Ada".
    pub student_name: String,
    pub period_name: String,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub issued_on: NaiveDate,
    pub due_on: NaiveDate,
    pub status: InvoiceStatus,
    pub void_reason: String,
    /// The SUM of its lines.
    pub total: BigDecimal,
    /// The SUM of the lines of the credit notes that credit it.
    pub credited: BigDecimal,
    /// The SUM of the payments allocated to it.
    pub paid: BigDecimal,
    /// For a credit note: the invoice it credits.
    pub credit_note_of: Option<Uuid>,
}

impl InvoiceRow {
    /// Its number, or "Draft".
    pub fn number_shown(&self) -> &str {
        self.number.as_deref().unwrap_or("Draft")
    }
    pub fn is_draft(&self) -> bool {
        self.status == InvoiceStatus::Draft
    }
    /// What it still asks: its total less its credit notes and payments (a credit note asks
    /// nothing).
    pub fn outstanding(&self) -> BigDecimal {
        match self.kind {
            InvoiceKind::Invoice => &self.total - &self.credited - &self.paid,
            InvoiceKind::CreditNote => BigDecimal::from(0),
        }
    }
    /// Its total as it counts in a balance: a credit note's takes off.
    pub fn signed_total(&self) -> BigDecimal {
        match self.kind {
            InvoiceKind::Invoice => self.total.clone(),
            InvoiceKind::CreditNote => -self.total.clone(),
        }
    }
    /// The pill's class and words: a credit note is one, whatever its status.
    pub fn pill(&self) -> (&'static str, &'static str) {
        match self.kind {
            InvoiceKind::Invoice => (self.status.as_str(), self.status.label()),
            InvoiceKind::CreditNote => ("credit_note", "Credit note"),
        }
    }
    /// What credit notes may still credit: its total less earlier credit notes.
    pub fn creditable(&self) -> BigDecimal {
        &self.total - &self.credited
    }
    /// An invoice (not a credit note) that still asks for money.
    pub fn is_open(&self) -> bool {
        self.kind == InvoiceKind::Invoice
            && matches!(
                self.status,
                InvoiceStatus::Issued | InvoiceStatus::PartlyPaid
            )
    }
}

#[derive(Debug, Default, Clone)]
pub struct ListFilter {
    /// A number, or part of the student's name or id.
    pub q: String,
    pub status: Option<InvoiceStatus>,
    /// Only these students' (one, or a family), when not empty.
    pub students: Vec<Uuid>,
}

type Raw = (
    (
        Uuid,
        Option<String>,
        InvoiceKind,
        Uuid,
        String,
        NaiveDate,
        NaiveDate,
    ),
    (NaiveDate, NaiveDate, InvoiceStatus, String, Option<Uuid>),
    Option<String>,
    Option<String>,
    Option<BigDecimal>,
    (Option<BigDecimal>, Option<BigDecimal>),
);

/// The columns of a row and, by subqueries (the scoped students and lines are not joined), the
/// student's id and name, the SUM of the lines, of the lines crediting it and of its payments.
macro_rules! row_select {
    ($scope:expr) => {
        (
            (
                i::id,
                i::number,
                i::kind,
                i::student_id,
                i::period_name,
                i::period_start,
                i::period_end,
            ),
            (
                i::issued_on,
                i::due_on,
                i::status,
                i::void_reason,
                i::credit_note_of,
            ),
            $scope
                .students()
                .filter(s::id.eq(i::student_id))
                .select(s::student_id)
                .single_value(),
            $scope
                .students()
                .filter(s::id.eq(i::student_id))
                .select(s::last_name.concat(", ").concat(s::first_name))
                .single_value(),
            $scope
                .invoice_lines()
                .filter(l::invoice_id.eq(i::id))
                .select(sum(l::amount))
                .single_value(),
            (
                $scope
                    .invoice_lines()
                    .filter(l::credit_of.eq(i::id.nullable()))
                    .select(sum(l::amount))
                    .single_value(),
                $scope
                    .payment_allocations()
                    .filter(a::invoice_id.eq(i::id))
                    .select(sum(a::amount))
                    .single_value(),
            ),
        )
    };
}

fn row(raw: Raw) -> InvoiceRow {
    let (
        (id, number, kind, student_id, period_name, period_start, period_end),
        rest,
        code,
        name,
        total,
        (credited, paid),
    ) = raw;
    let (issued_on, due_on, status, void_reason, credit_note_of) = rest;
    InvoiceRow {
        id,
        number,
        kind,
        student_id,
        student_code: code.unwrap_or_default(),
        student_name: name.unwrap_or_default(),
        period_name,
        period_start,
        period_end,
        issued_on,
        due_on,
        status,
        void_reason,
        total: total.unwrap_or_default(),
        credited: credited.unwrap_or_default(),
        paid: paid.unwrap_or_default(),
        credit_note_of,
    }
}

/// One page of the program's invoices, newest first, and how many there are counted up to one
/// past the page (a program invoices tens of thousands a month).
pub fn list(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    filter: &ListFilter,
    page: PageRequest,
) -> AppResult<(Vec<InvoiceRow>, i64)> {
    let mut query = scope.invoices().into_boxed();
    let q = filter.q.trim();
    if !q.is_empty() {
        let pattern = like_pattern(q);
        let student = scope.students().filter(s::id.eq(i::student_id)).filter(
            s::student_id
                .ilike(pattern.clone())
                .or(s::first_name
                    .concat(" ")
                    .concat(s::last_name)
                    .ilike(pattern.clone()))
                .or(s::last_name
                    .concat(", ")
                    .concat(s::first_name)
                    .ilike(pattern.clone())),
        );
        query = query.filter(i::number.ilike(pattern).or(exists(student)));
    }
    if !filter.students.is_empty() {
        query = query.filter(i::student_id.eq_any(filter.students.clone()));
    }
    if let Some(status) = filter.status {
        query = query.filter(i::status.eq(status));
    }
    // The ids up to one past the page, in list order (an index walk); then the page's rows.
    let ids: Vec<Uuid> = query
        .order((i::issued_on.desc(), i::number.desc()))
        .limit(page.count_limit())
        .select(i::id)
        .load(conn)?;
    let counted = ids.len() as i64;
    let shown: Vec<Uuid> = ids
        .into_iter()
        .skip(page.offset() as usize)
        .take(page.limit() as usize)
        .collect();
    let rows: Vec<Raw> = scope
        .invoices()
        .filter(i::id.eq_any(&shown))
        .order((i::issued_on.desc(), i::number.desc()))
        .select(row_select!(scope))
        .load(conn)?;
    Ok((rows.into_iter().map(row).collect(), counted))
}

pub struct LineRow {
    pub description: String,
    pub share_note: String,
    pub amount: BigDecimal,
}

/// An invoice as its page shows it.
pub struct Document {
    pub invoice: InvoiceRow,
    /// In the order they were written.
    pub lines: Vec<LineRow>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
    /// The credit notes crediting it: id, number, issued on, amount.
    pub credit_notes: Vec<(Uuid, String, NaiveDate, BigDecimal)>,
    /// For a credit note: the number of the invoice it credits.
    pub credits_number: Option<String>,
}

/// One invoice (or credit note) of the scope with its lines, its version and its credit notes.
pub fn find(conn: &mut PgConnection, scope: &ProgramScope, id: Uuid) -> AppResult<Document> {
    let (raw, updated_at): (Raw, chrono::DateTime<chrono::Utc>) = scope
        .invoices()
        .filter(i::id.eq(id))
        .select((row_select!(scope), i::updated_at))
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound)?;
    let invoice = row(raw);
    let lines = scope
        .invoice_lines()
        .filter(l::invoice_id.eq(id))
        .order(l::id.asc())
        .select((l::description, l::share_note, l::amount))
        .load::<(String, String, BigDecimal)>(conn)?
        .into_iter()
        .map(|(description, share_note, amount)| LineRow {
            description,
            share_note,
            amount,
        })
        .collect();
    let credit_notes = scope
        .invoices()
        .filter(i::credit_note_of.eq(id))
        .order(i::number.asc())
        .select((
            i::id,
            i::number,
            i::issued_on,
            scope
                .invoice_lines()
                .filter(l::invoice_id.eq(i::id))
                .select(sum(l::amount))
                .single_value(),
        ))
        .load::<(Uuid, Option<String>, NaiveDate, Option<BigDecimal>)>(conn)?
        .into_iter()
        .map(|(id, number, on, amount)| {
            (
                id,
                number.unwrap_or_default(),
                on,
                amount.unwrap_or_default(),
            )
        })
        .collect();
    let credits_number = match invoice.credit_note_of {
        Some(of) => scope
            .invoices()
            .filter(i::id.eq(of))
            .select(i::number)
            .first(conn)?,
        None => None,
    };
    Ok(Document {
        invoice,
        lines,
        updated_at,
        credit_notes,
        credits_number,
    })
}

/// A student's invoices, newest first (their page; a student has a few a month at most).
pub fn of_student(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    student: Uuid,
) -> AppResult<Vec<InvoiceRow>> {
    of_students(conn, scope, &[student])
}

/// The invoices of any of `students` (a family's), newest first as the list orders them.
pub fn of_students(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    students: &[Uuid],
) -> AppResult<Vec<InvoiceRow>> {
    if students.is_empty() {
        return Ok(Vec::new());
    }
    let filter = ListFilter {
        students: students.to_vec(),
        ..Default::default()
    };
    let page = PageRequest {
        page: 1,
        per_page: 500,
    };
    Ok(list(conn, scope, &filter, page)?.0)
}

/// What each invoice of `invoices` still asks, with its id, student and due date: its lines less
/// the lines crediting it and the payments allocated to it, kept by the database
/// (`invoices.outstanding`, migration 000030; checked against the sums by the ledger test).
pub fn owed(
    conn: &mut PgConnection,
    invoices: i::BoxedQuery<'_, diesel::pg::Pg>,
) -> QueryResult<Vec<Owed>> {
    Ok(invoices
        .select((i::id, i::student_id, i::due_on, i::outstanding))
        .load::<(Uuid, Uuid, NaiveDate, BigDecimal)>(conn)?
        .into_iter()
        .map(|(id, student_id, due_on, amount)| Owed {
            id,
            student_id,
            due_on,
            amount,
        })
        .collect())
}

pub struct Owed {
    pub id: Uuid,
    pub student_id: Uuid,
    pub due_on: NaiveDate,
    pub amount: BigDecimal,
}
