//! Payments (issue 20): partial and full payments against an invoice, credit, receipts, two
//! payments at once, and that every balance is its invoices less its payments.

use academy_admin::schema::across_programs::{invoices, payment_allocations, payments};
use bigdecimal::BigDecimal;
use diesel::{prelude::*, sql_query, sql_types};
use uuid::Uuid;

use crate::support::{spawn_app, TestApp};

/// An issued Swimming invoice nobody paid yet: its id, student and total.
pub fn unpaid_invoice(app: &TestApp) -> (Uuid, Uuid, BigDecimal) {
    #[derive(QueryableByName)]
    struct Row {
        #[diesel(sql_type = sql_types::Uuid)]
        id: Uuid,
        #[diesel(sql_type = sql_types::Uuid)]
        student_id: Uuid,
        #[diesel(sql_type = sql_types::Numeric)]
        total: BigDecimal,
    }
    let r: Row = sql_query(
        "SELECT i.id, i.student_id, (SELECT sum(amount) FROM invoice_lines l WHERE l.invoice_id = i.id) AS total
           FROM invoices i JOIN programs p ON p.id = i.program_id AND p.name = 'Swimming'
          WHERE i.status = 'issued'
            AND NOT EXISTS (SELECT 1 FROM invoices o WHERE o.student_id = i.student_id AND o.id <> i.id)
            AND NOT EXISTS (SELECT 1 FROM payments x WHERE x.student_id = i.student_id)
            AND (SELECT sum(amount) FROM invoice_lines l WHERE l.invoice_id = i.id) > 100
          ORDER BY i.number LIMIT 1",
    )
    .get_result(&mut app.conn())
    .unwrap();
    (r.id, r.student_id, r.total)
}

pub fn status_of(app: &TestApp, invoice: Uuid) -> String {
    #[derive(QueryableByName)]
    struct S {
        #[diesel(sql_type = sql_types::Text)]
        s: String,
    }
    sql_query(format!(
        "SELECT status::text AS s FROM invoices WHERE id = '{invoice}'"
    ))
    .get_result::<S>(&mut app.conn())
    .unwrap()
    .s
}

/// The ledger holds together: no invoice paid or credited beyond its total, no payment
/// allocated beyond its amount, every status follows its credit notes and allocations, and a
/// credit note credits only an invoice.
pub fn ledger_holds(app: &TestApp) {
    #[derive(QueryableByName)]
    struct Text {
        #[diesel(sql_type = sql_types::Nullable<sql_types::Text>)]
        s: Option<String>,
    }
    #[derive(QueryableByName)]
    struct N {
        #[diesel(sql_type = sql_types::BigInt)]
        n: i64,
    }
    let count = |sql: &str| sql_query(sql).get_result::<N>(&mut app.conn()).unwrap().n;
    assert_eq!(
        count(
            "SELECT count(*) AS n FROM invoices i WHERE
               (SELECT coalesce(sum(amount), 0) FROM payment_allocations a WHERE a.invoice_id = i.id)
             + (SELECT coalesce(sum(amount), 0) FROM invoice_lines c WHERE c.credit_of = i.id)
             > (SELECT coalesce(sum(amount), 0) FROM invoice_lines l WHERE l.invoice_id = i.id)"
        ),
        0,
        "an invoice paid or credited beyond its total"
    );
    assert_eq!(
        count(
            "SELECT count(*) AS n FROM invoices n JOIN invoices i ON i.id = n.credit_note_of
              WHERE n.kind <> 'credit_note' OR i.kind <> 'invoice' OR n.student_id <> i.student_id
                 OR EXISTS (SELECT 1 FROM payment_allocations a WHERE a.invoice_id = n.id)
                 OR EXISTS (SELECT 1 FROM invoice_lines l WHERE l.invoice_id = n.id AND l.credit_of IS DISTINCT FROM i.id)"
        ),
        0,
        "a credit note that credits anything but its invoice, or is paid"
    );
    assert_eq!(
        count(
            "SELECT count(*) AS n FROM payments p WHERE
               (SELECT coalesce(sum(amount), 0) FROM payment_allocations a WHERE a.payment_id = p.id)
             + (SELECT coalesce(sum(amount), 0) FROM payments r WHERE r.refund_of = p.id) > p.amount"
        ),
        0,
        "a payment allocated beyond its amount"
    );
    assert_eq!(
        count(
            "SELECT count(*) AS n FROM invoices i,
               LATERAL (SELECT coalesce(sum(amount), 0) AS total FROM invoice_lines l WHERE l.invoice_id = i.id) t,
               LATERAL (SELECT coalesce(sum(amount), 0) AS credited FROM invoice_lines c WHERE c.credit_of = i.id) c,
               LATERAL (SELECT coalesce(sum(amount), 0) AS paid FROM payment_allocations a WHERE a.invoice_id = i.id) p
             WHERE i.kind = 'invoice' AND i.status NOT IN ('void', 'draft') AND i.status::text <> CASE
               WHEN p.paid >= t.total - c.credited THEN 'paid' WHEN p.paid = 0 THEN 'issued' ELSE 'partly_paid' END"
        ),
        0,
        "an invoice whose status does not follow its credit notes and payments: {}",
        sql_query(
            "SELECT string_agg(i.number || ' ' || i.status || ' ' || t.total || ' ' || c.credited || ' ' || p.paid, '; ') AS s FROM invoices i,
               LATERAL (SELECT coalesce(sum(amount), 0) AS total FROM invoice_lines l WHERE l.invoice_id = i.id) t,
               LATERAL (SELECT coalesce(sum(amount), 0) AS credited FROM invoice_lines c WHERE c.credit_of = i.id) c,
               LATERAL (SELECT coalesce(sum(amount), 0) AS paid FROM payment_allocations a WHERE a.invoice_id = i.id) p
             WHERE i.kind = 'invoice'"
        )
        .get_result::<Text>(&mut app.conn())
        .map(|t| t.s.unwrap_or_default())
        .unwrap_or_default()
    );
    // What each invoice still asks, and each program's open invoices by due date, kept by the
    // database's triggers, equal the sums.
    assert_eq!(
        count(
            "SELECT count(*) AS n FROM invoices i WHERE i.kind = 'invoice' AND i.outstanding <>
                 (SELECT coalesce(sum(amount), 0) FROM invoice_lines l WHERE l.invoice_id = i.id)
               - (SELECT coalesce(sum(amount), 0) FROM invoice_lines c WHERE c.credit_of = i.id)
               - (SELECT coalesce(sum(amount), 0) FROM payment_allocations a WHERE a.invoice_id = i.id)"
        ),
        0,
        "an invoice's outstanding differs from its lines less credit notes and payments"
    );
    assert_eq!(
        count(
            "SELECT count(*) AS n FROM
               (SELECT program_id, due_on, sum(outstanding) AS amount, count(*)::int AS invoices FROM invoices
                 WHERE kind = 'invoice' AND status IN ('issued', 'partly_paid') GROUP BY program_id, due_on) x
               FULL JOIN (SELECT * FROM outstanding_by_due WHERE invoices > 0 OR amount <> 0) o
               USING (program_id, due_on)
              WHERE x.amount IS DISTINCT FROM o.amount OR x.invoices IS DISTINCT FROM o.invoices"
        ),
        0,
        "a program's outstanding by due date differs from its open invoices"
    );
    // Each program's billed and collected per month, kept by the database, equal the sums.
    assert_eq!(
        count(
            "SELECT count(*) AS n FROM
               (SELECT program_id, month, sum(billed) AS billed, sum(collected) AS collected FROM (
                  SELECT program_id, date_trunc('month', period_start)::date AS month,
                         CASE kind WHEN 'invoice' THEN amount ELSE -amount END AS billed, 0 AS collected
                    FROM invoice_lines l WHERE NOT voided
                     AND NOT EXISTS (SELECT 1 FROM invoices d WHERE d.id = l.invoice_id AND d.status = 'draft')
                  UNION ALL
                  SELECT program_id, date_trunc('month', paid_on)::date, 0,
                         CASE kind WHEN 'payment' THEN amount ELSE -amount END FROM payments) s
                GROUP BY program_id, month) x
               FULL JOIN (SELECT * FROM money_by_month WHERE billed <> 0 OR collected <> 0) m
               USING (program_id, month)
              WHERE coalesce(x.billed, 0) <> coalesce(m.billed, 0)
                 OR coalesce(x.collected, 0) <> coalesce(m.collected, 0)"
        ),
        0,
        "a program's billed or collected per month differs from its lines and payments"
    );
    // A draft has no number and nothing paid or credited.
    assert_eq!(
        count(
            "SELECT count(*) AS n FROM invoices i WHERE i.status = 'draft' AND (i.number IS NOT NULL
               OR EXISTS (SELECT 1 FROM payment_allocations a WHERE a.invoice_id = i.id)
               OR EXISTS (SELECT 1 FROM invoice_lines c WHERE c.credit_of = i.id))"
        ),
        0,
        "a draft numbered, paid or credited"
    );
    // A student with an open invoice has no unallocated money left (credit pays the next invoice).
    assert_eq!(
        count(
            "SELECT count(*) AS n FROM payments p WHERE p.kind = 'payment' AND
               p.amount > (SELECT coalesce(sum(amount), 0) FROM payment_allocations a WHERE a.payment_id = p.id)
                        + (SELECT coalesce(sum(amount), 0) FROM payments r WHERE r.refund_of = p.id)
               AND EXISTS (SELECT 1 FROM invoices i WHERE i.student_id = p.student_id AND i.kind = 'invoice' AND i.status IN ('issued', 'partly_paid'))"
        ),
        0,
        "credit left unused beside an open invoice"
    );
}

#[actix_web::test]
async fn a_coordinator_records_a_partial_then_a_full_payment_and_the_invoice_and_balance_follow() {
    let app = spawn_app().await;
    ledger_holds(&app);
    let (invoice, student, total) = unpaid_invoice(&app);
    let mut coord = app.login("swim.coord").await;
    let new = format!("/students/{student}/payments/new?invoice_id={invoice}");
    let page = coord.get(&new).await;
    assert_eq!(page.status, 200, "{}", page.body);
    let post = format!("/students/{student}/payments");
    let invoice_field = invoice.to_string();

    // Mistakes are refused beside their field, what was typed kept, nothing saved.
    let before = app.fingerprint();
    for (amount, paid_on, method, field_says) in [
        (
            "abc",
            "2026-12-01",
            "cash",
            "Enter the amount as a number of naira",
        ),
        ("100", "2999-01-01", "cash", "cannot be dated in the future"),
        ("100", "2026-12-01", "cheque", "Choose how it was paid"),
    ] {
        let res = coord
            .post(
                &post,
                &[
                    ("amount", amount),
                    ("paid_on", paid_on),
                    ("method", method),
                    ("reference", "TRX-1"),
                    ("invoice_id", &invoice_field),
                ],
            )
            .await;
        assert_eq!(res.status, 422, "{amount} {paid_on} {method}");
        assert!(res.body.contains(field_says), "{}", res.body);
        assert!(res.body.contains(r#"value="TRX-1""#));
    }
    assert_eq!(app.fingerprint(), before);

    let today = chrono::Utc::now()
        .date_naive()
        .pred_opt()
        .unwrap()
        .to_string();
    let half = (&total / BigDecimal::from(2)).with_scale_round(2, bigdecimal::RoundingMode::HalfUp);
    let rest = &total - &half;
    let res = coord
        .post(
            &post,
            &[
                ("amount", &half.to_string()),
                ("paid_on", &today),
                ("method", "bank_transfer"),
                ("reference", "TRX-1"),
                ("invoice_id", &invoice_field),
            ],
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.body);
    let receipt = coord.get(res.location().unwrap()).await;
    assert!(receipt.body.contains("Receipt RCT-"), "{}", receipt.body);
    assert!(receipt
        .body
        .contains(&academy_admin::web::format::money(&half)));
    assert_eq!(status_of(&app, invoice), "partly_paid");
    let shown = coord.get(&format!("/invoices/{invoice}")).await;
    assert!(shown.body.contains(&format!(
        "id=\"invoice-outstanding\">{}<",
        academy_admin::web::format::money(&rest)
    )));
    ledger_holds(&app);

    // The rest and ₦1,000 more: the invoice is paid, the ₦1,000 is credit.
    let more = &rest + BigDecimal::from(1000);
    let res = coord
        .post(
            &post,
            &[
                ("amount", &more.to_string()),
                ("paid_on", &today),
                ("method", "cash"),
                ("reference", ""),
                ("invoice_id", ""),
            ],
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.body);
    assert_eq!(status_of(&app, invoice), "paid");
    let page = coord.get(&format!("/students/{student}")).await;
    assert!(
        page.body
            .contains("Credit: <strong id=\"student-balance\">₦1,000.00</strong>"),
        "{}",
        page.body
    );
    let receipt = coord.get(res.location().unwrap()).await;
    assert!(receipt.body.contains("Credit for the next invoice"));
    // The statement lists the invoice and both payments, and ends at the same credit.
    let statement = coord.get(&format!("/students/{student}/statement")).await;
    assert_eq!(statement.status, 200);
    assert!(statement
        .body
        .contains("<dt>Credit</dt><dd><strong id=\"statement-balance\">₦1,000.00</strong>"));
    assert_eq!(statement.body.matches("Payment RCT-").count(), 2);
    assert!(
        statement.body.contains(">-₦1,000.00</td>"),
        "the running balance ends at the credit: {}",
        statement.body
    );
    ledger_holds(&app);
    // Program admins give credit back, never more than it, always with a reason.
    let overpaid = res.location().unwrap().to_string();
    let refund = format!("{overpaid}/refund");
    assert!(
        !receipt.body.contains("Give the credit back"),
        "coordinators do not refund"
    );
    assert_eq!(
        coord
            .post(
                &refund,
                &[("amount", "100"), ("method", "cash"), ("reason", "x")]
            )
            .await
            .status,
        403
    );
    let mut admin = app.login("swim.admin").await;
    let page = admin.get(&overpaid).await;
    assert!(page.body.contains("Give the credit back"));
    let before = app.fingerprint();
    for (amount, reason, says) in [
        (
            "2000",
            "Family moved",
            "At most ₦1,000.00 can be given back",
        ),
        ("400", " ", "Say why the money is given back"),
    ] {
        let res = admin
            .post(
                &refund,
                &[("amount", amount), ("method", "cash"), ("reason", reason)],
            )
            .await;
        assert_eq!(res.status, 422, "{amount}");
        assert!(res.body.contains(says), "{}", res.body);
    }
    assert_eq!(app.fingerprint(), before);
    let res = admin
        .post(
            &refund,
            &[
                ("amount", "400"),
                ("method", "bank_transfer"),
                ("reason", "Family moved"),
            ],
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.body);
    let refunded = admin.get(res.location().unwrap()).await;
    assert!(refunded.body.contains("Refund RFD-"), "{}", refunded.body);
    assert!(refunded.body.contains("Family moved"));
    let page = coord.get(&format!("/students/{student}")).await;
    assert!(
        page.body
            .contains("Credit: <strong id=\"student-balance\">₦600.00</strong>"),
        "{}",
        page.body
    );
    let statement = coord.get(&format!("/students/{student}/statement")).await;
    assert!(statement.body.contains("Refund RFD-"));
    assert!(
        statement.body.contains(">-₦600.00</td>"),
        "{}",
        statement.body
    );
    ledger_holds(&app);

    // Receipt numbers follow each other.
    let numbers: Vec<String> = payments::table
        .filter(payments::student_id.eq(student))
        .order(payments::number)
        .select(payments::number)
        .load(&mut app.conn())
        .unwrap();
    assert_eq!(numbers.len(), 3);
    let seq = |n: &str| n.rsplit('-').next().unwrap().parse::<u32>().unwrap();
    let mut seqs: Vec<u32> = numbers.iter().map(|n| seq(n)).collect();
    seqs.sort();
    assert_eq!(seqs[1], seqs[0] + 1);
    assert_eq!(seqs[2], seqs[1] + 1);

    // Tutors never see money; another program's staff reach none of it.
    let mut tutor = app.login("swim.tutor").await;
    assert_eq!(tutor.get(&new).await.status, 403);
    let payment: Uuid = payments::table
        .filter(payments::student_id.eq(student))
        .select(payments::id)
        .first(&mut app.conn())
        .unwrap();
    assert_eq!(tutor.get(&format!("/payments/{payment}")).await.status, 403);
    assert_eq!(
        tutor
            .get(&format!("/students/{student}/statement"))
            .await
            .status,
        403
    );
    let mut other = app.login("football.coord").await;
    assert_eq!(other.get(&new).await.status, 404);
    assert_eq!(
        other
            .get(&format!("/students/{student}/statement"))
            .await
            .status,
        404
    );
    assert_eq!(other.get(&format!("/payments/{payment}")).await.status, 404);
    let before = app.fingerprint();
    let res = other
        .post(
            &post,
            &[
                ("amount", "10"),
                ("paid_on", &today),
                ("method", "cash"),
                ("invoice_id", ""),
            ],
        )
        .await;
    assert_eq!(res.status, 404);
    assert_eq!(app.fingerprint(), before);
}

#[actix_web::test]
async fn two_payments_at_once_never_pay_an_invoice_beyond_its_total() {
    let app = spawn_app().await;
    let (invoice, student, total) = unpaid_invoice(&app);
    let mut first = app.login("swim.coord").await;
    let mut second = app.login("swim.admin").await;
    let new = format!("/students/{student}/payments/new?invoice_id={invoice}");
    first.get(&new).await;
    second.get(&new).await;
    let post = format!("/students/{student}/payments");
    let (amount, invoice_field) = (total.to_string(), invoice.to_string());
    let today = chrono::Utc::now()
        .date_naive()
        .pred_opt()
        .unwrap()
        .to_string();
    let fields = [
        ("amount", amount.as_str()),
        ("paid_on", today.as_str()),
        ("method", "cash"),
        ("invoice_id", invoice_field.as_str()),
    ];
    let (a, b) = tokio::join!(first.post(&post, &fields), second.post(&post, &fields));
    // The one that comes second either finds the invoice paid (refused, nothing saved) or, if it
    // read it open before the first committed, waits for the lock and becomes credit.
    let mut statuses = [a.status, b.status];
    statuses.sort();
    let refused = statuses == [303, 422];
    assert!(refused || statuses == [303, 303], "{statuses:?}");
    if refused {
        let body = if a.status == 422 { &a.body } else { &b.body };
        assert!(body.contains("That invoice is paid"), "{body}");
    }
    let allocated: Option<BigDecimal> = payment_allocations::table
        .filter(payment_allocations::invoice_id.eq(invoice))
        .select(diesel::dsl::sum(payment_allocations::amount))
        .first(&mut app.conn())
        .unwrap();
    assert_eq!(allocated, Some(total.clone()), "paid exactly once");
    let status: i64 = invoices::table
        .filter(invoices::id.eq(invoice))
        .count()
        .get_result(&mut app.conn())
        .unwrap();
    assert_eq!(status, 1);
    assert_eq!(status_of(&app, invoice), "paid");
    ledger_holds(&app);
    let recorded: i64 = payments::table
        .filter(payments::student_id.eq(student))
        .count()
        .get_result(&mut app.conn())
        .unwrap();
    assert_eq!(recorded, if refused { 1 } else { 2 });
    // Whatever the path, the database refuses to pay it beyond its total.
    let beyond = sql_query(format!(
        "INSERT INTO payment_allocations (program_id, payment_id, invoice_id, amount)
         SELECT program_id, id, '{invoice}', 0.01 FROM payments WHERE student_id = '{student}' LIMIT 1"
    ))
    .execute(&mut app.conn());
    assert!(
        beyond.is_err(),
        "the trigger refuses an allocation beyond the total"
    );
    if !refused {
        // The second payment is the student's credit: the page says so.
        let page = first.get(&format!("/students/{student}")).await;
        assert!(page.body.contains(&format!(
            "Credit: <strong id=\"student-balance\">{}</strong>",
            academy_admin::web::format::money(&total)
        )));
    }
}

/// No horizontal scrolling on the page open in the browser.
async fn fits(browser: &crate::support::browser::Browser) -> bool {
    !browser
        .client
        .execute(
            "return document.documentElement.scrollWidth > document.documentElement.clientWidth;",
            vec![],
        )
        .await
        .unwrap()
        .as_bool()
        .unwrap()
}

#[actix_web::test]
async fn in_the_browser_a_month_is_invoiced_paid_in_two_parts_and_the_balance_and_dashboard_follow()
{
    let app = spawn_app().await;
    let Some(browser) = crate::support::browser::start(&app.base).await else {
        return;
    };
    let swimming = app.program_id("Swimming");
    let month: String = diesel::select(diesel::dsl::sql::<sql_types::Text>(
        "to_char(now() AT TIME ZONE 'Africa/Lagos', 'YYYY-MM')",
    ))
    .get_result(&mut app.conn())
    .unwrap();

    // The program admin previews this month and creates its invoices.
    browser.sign_in("swim.admin").await;
    browser
        .open(&format!("/invoices/generate?month={month}"))
        .await;
    browser.wait_for_text("#preview-heading", "invoices").await;
    browser.screenshot("invoices-preview").await;
    browser
        .click("form[action='/invoices/generate'] button.primary")
        .await;
    browser.client.accept_alert().await.unwrap();
    browser
        .wait_for_text(".flash-region", "invoices created")
        .await;
    browser.sign_out().await;

    // A student billed this month, nothing paid yet.
    let (invoice, student, total) = {
        #[derive(QueryableByName)]
        struct Row {
            #[diesel(sql_type = sql_types::Uuid)]
            id: Uuid,
            #[diesel(sql_type = sql_types::Uuid)]
            student_id: Uuid,
            #[diesel(sql_type = sql_types::Numeric)]
            total: BigDecimal,
        }
        let r: Row = sql_query(format!(
            "SELECT i.id, i.student_id, (SELECT sum(amount) FROM invoice_lines l WHERE l.invoice_id = i.id) AS total
               FROM invoices i WHERE i.program_id = '{swimming}' AND i.kind = 'invoice' AND i.status = 'issued'
                AND to_char(i.period_start, 'YYYY-MM') = '{month}'
                AND (SELECT sum(amount) FROM invoice_lines l WHERE l.invoice_id = i.id) > 100
              ORDER BY i.number LIMIT 1"
        ))
        .get_result(&mut app.conn())
        .unwrap();
        (r.id, r.student_id, r.total)
    };
    let half = (&total / BigDecimal::from(2)).with_scale_round(2, bigdecimal::RoundingMode::HalfUp);
    let money = |a: &BigDecimal| academy_admin::web::format::money(a);

    // The coordinator records a partial payment from the invoice, then the rest.
    browser.sign_in("swim.coord").await;
    for (amount, status) in [(half.clone(), "Partly paid"), (&total - &half, "Paid")] {
        browser.open(&format!("/invoices/{invoice}")).await;
        browser.click("a[href*='/payments/new']").await;
        browser.wait_for_text("h1", "Record a payment").await;
        browser.fill("#field-amount", &amount.to_string()).await;
        browser
            .click("form[action$='/payments'] button.primary")
            .await;
        browser.wait_for_text("h1", "Receipt RCT-").await;
        browser
            .wait_for_text("#receipt-amount", &money(&amount))
            .await;
        browser.open(&format!("/invoices/{invoice}")).await;
        browser.wait_for_text(".status-pill", status).await;
    }
    browser.screenshot("receipt-and-invoice-paid").await;
    browser.open(&format!("/invoices/{invoice}")).await;
    browser.wait_for_text("#invoice-outstanding", "₦0.00").await;

    // The student's balance and the dashboard follow the database's sums.
    let balance: BigDecimal = {
        #[derive(QueryableByName)]
        struct B {
            #[diesel(sql_type = sql_types::Numeric)]
            n: BigDecimal,
        }
        sql_query(format!(
            "SELECT coalesce((SELECT sum(l.amount) FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id
                       WHERE i.student_id = '{student}' AND i.status <> 'void'), 0)
                  - coalesce((SELECT sum(amount) FROM payments WHERE student_id = '{student}'), 0) AS n"
        ))
        .get_result::<B>(&mut app.conn())
        .unwrap()
        .n
    };
    browser.open(&format!("/students/{student}")).await;
    let shown = browser.text("#student-balance").await;
    let expected = if balance < BigDecimal::from(0) {
        money(&-balance.clone())
    } else {
        money(&balance)
    };
    assert_eq!(shown, expected);
    browser.open("/dashboard").await;
    let outstanding = browser.text("#outstanding").await;
    browser.open("/fees/balances").await;
    assert_eq!(browser.text("#outstanding-total").await, outstanding);

    // The money pages fit a phone.
    browser.set_width(390).await;
    for path in [
        "/fees/balances".to_string(),
        "/invoices".to_string(),
        format!("/invoices/{invoice}"),
        format!("/students/{student}/statement"),
    ] {
        browser.open(&path).await;
        assert!(fits(&browser).await, "{path} fits a 390 px phone");
    }
    browser.screenshot("statement-phone").await;
    browser.close().await;
}

#[actix_web::test]
async fn a_credit_pays_the_students_next_invoice_as_soon_as_it_is_created() {
    let app = spawn_app().await;
    let swimming = app.program_id("Swimming");
    let month: String = diesel::select(diesel::dsl::sql::<sql_types::Text>(
        "to_char(now() AT TIME ZONE 'Africa/Lagos', 'YYYY-MM')",
    ))
    .get_result(&mut app.conn())
    .unwrap();
    // A student with an active enrollment pays far ahead: their open invoices, then credit.
    #[derive(QueryableByName)]
    struct S {
        #[diesel(sql_type = sql_types::Uuid)]
        id: Uuid,
    }
    let student = sql_query(format!(
        "SELECT e.student_id AS id FROM course_enrollments e
          WHERE e.program_id = '{swimming}' AND e.status = 'active' AND e.enrollment_date < now() - interval '40 days'
            AND net_fee(e.agreed_fee, e.discount_kind, e.discount_value) > 0
          ORDER BY e.id LIMIT 1"
    ))
    .get_result::<S>(&mut app.conn())
    .unwrap()
    .id;
    let mut coord = app.login("swim.coord").await;
    coord
        .get(&format!("/students/{student}/payments/new"))
        .await;
    let today = chrono::Utc::now()
        .date_naive()
        .pred_opt()
        .unwrap()
        .to_string();
    let res = coord
        .post(
            &format!("/students/{student}/payments"),
            &[
                ("amount", "5000000"),
                ("paid_on", &today),
                ("method", "bank_transfer"),
                ("invoice_id", ""),
            ],
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.body);
    ledger_holds(&app);

    // The month's run: the student's new invoice is paid from the credit at once.
    let mut admin = app.login("swim.admin").await;
    admin.get("/invoices").await;
    let res = admin
        .post("/invoices/generate", &[("month", &month), ("term_id", "")])
        .await;
    assert_eq!(res.status, 303, "{}", res.body);
    let statuses: Vec<String> = sql_query(format!(
        "SELECT status::text AS s FROM invoices WHERE student_id = '{student}' AND to_char(period_start, 'YYYY-MM') = '{month}'"
    ))
    .load::<StatusRow>(&mut app.conn())
    .unwrap()
    .into_iter()
    .map(|r| r.s)
    .collect();
    assert_eq!(statuses, vec!["paid".to_string()]);
    ledger_holds(&app);
}

#[derive(QueryableByName)]
struct StatusRow {
    #[diesel(sql_type = sql_types::Text)]
    s: String,
}
