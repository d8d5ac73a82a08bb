//! `bench-invoice-run`: one month's invoice run of a generated program, through the app's own
//! `invoices::generate`, timed, with the run's progress printed as it goes; then, set-based, the
//! payments of a share of the families (the balances and statement pages have something to read).

use std::time::{Duration, Instant};

use chrono::NaiveDate;
use diesel::{connection::SimpleConnection, prelude::*};

use academy_admin::{
    access::command_scope,
    error::AppError,
    invoices::{self, Window},
    schema::programs,
};

pub struct RunFigures {
    pub invoices: usize,
    pub lines: usize,
    pub elapsed: Duration,
}

/// Generates `month`'s invoices of the program `name` in one transaction, as a program admin's
/// run does; `log` gets the progress and the figures.
pub fn invoice_run(
    conn: &mut PgConnection,
    name: &str,
    month: NaiveDate,
    zone: chrono_tz::Tz,
    mut log: impl FnMut(&str),
) -> Result<RunFigures, AppError> {
    let program: uuid::Uuid = programs::table
        .filter(programs::name.eq(name))
        .select(programs::id)
        .first(conn)?;
    let scope = command_scope(program, name);
    let window = Window::month_of(month);
    let started = Instant::now();
    let mut last = String::new();
    let created = conn.transaction(|conn| {
        invoices::generate(
            conn,
            &scope,
            window,
            month,
            zone,
            invoices::Issue::Now,
            &mut |step: &str, done: usize, total: usize| {
                if step != last || done == total {
                    log(&format!(
                        "{:>6.1}s  {step} {done} of {total}",
                        started.elapsed().as_secs_f64()
                    ));
                    last = step.to_string();
                }
            },
        )
    })?;
    let elapsed = started.elapsed();
    log(&format!(
        "{name}: {} in {:.1}s (committed)",
        created.summary(),
        elapsed.as_secs_f64()
    ));
    Ok(RunFigures {
        invoices: created.invoices,
        lines: created.lines,
        elapsed,
    })
}

/// Every other family of the program pays its invoices of `month` in full, by transfer, on the
/// 10th; every seventh pays half. Set-based, with receipt numbers from the program's counter.
pub fn pay_share(conn: &mut PgConnection, name: &str, month: NaiveDate) -> Result<(), AppError> {
    let paid_on = month + chrono::Days::new(9);
    conn.transaction(|conn| pay_sql(conn, name, month, paid_on))
}

fn pay_sql(
    conn: &mut PgConnection,
    name: &str,
    month: NaiveDate,
    paid_on: NaiveDate,
) -> Result<(), AppError> {
    conn.batch_execute(&format!(
        "CREATE TEMP TABLE bench_pay ON COMMIT DROP AS
           SELECT i.id AS invoice_id, i.program_id, i.student_id,
                  CASE WHEN row_number() OVER w % 2 = 0 THEN t.total ELSE round(t.total / 2, 2) END AS amount,
                  row_number() OVER w AS n
             FROM invoices i JOIN programs p ON p.id = i.program_id AND p.name = '{name}',
             LATERAL (SELECT sum(amount) AS total FROM invoice_lines l WHERE l.invoice_id = i.id) t
            WHERE i.period_start = '{month}' AND i.kind = 'invoice' AND i.status = 'issued'
           WINDOW w AS (ORDER BY i.number);
         DELETE FROM bench_pay WHERE n % 2 <> 0 AND n % 7 <> 0;
         CREATE TEMP TABLE bench_paid ON COMMIT DROP AS
           SELECT b.*, uuid_generate_v7() AS payment_id,
                  'RCT-{year}-' || lpad((coalesce(c.last_number, 0) + row_number() OVER (ORDER BY b.n))::text, 5, '0') AS number
             FROM bench_pay b
             LEFT JOIN receipt_counters c ON c.program_id = b.program_id AND c.year = {year};
         INSERT INTO payments (id, program_id, student_id, number, amount, paid_on, method)
           SELECT payment_id, program_id, student_id, number, amount, '{paid_on}', 'bank_transfer' FROM bench_paid;
         INSERT INTO payment_allocations (program_id, payment_id, invoice_id, amount)
           SELECT program_id, payment_id, invoice_id, amount FROM bench_paid;
         UPDATE invoices i SET status = CASE WHEN b.n % 2 = 0 THEN 'paid'::invoice_status ELSE 'partly_paid' END
           FROM bench_paid b WHERE i.id = b.invoice_id;
         INSERT INTO receipt_counters (program_id, year, last_number)
           SELECT program_id, {year}, count(*) FROM bench_paid GROUP BY program_id
           ON CONFLICT (program_id, year) DO UPDATE SET last_number = receipt_counters.last_number + excluded.last_number;",
        year = chrono::Datelike::year(&paid_on),
    ))?;
    Ok(())
}
