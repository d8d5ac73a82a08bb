//! Balances (issue 20): who owes what, aged by days past due, totals by the database, search,
//! filter, CSV, and isolation.

use bigdecimal::BigDecimal;
use diesel::{prelude::*, sql_query, sql_types};

use crate::support::{spawn_app, TestApp};

/// What the program's open invoices still ask (less credit notes and payments), summed by the
/// database.
fn outstanding(app: &TestApp, program: &str) -> BigDecimal {
    #[derive(QueryableByName)]
    struct Sum {
        #[diesel(sql_type = sql_types::Numeric)]
        n: BigDecimal,
    }
    sql_query(format!(
        "SELECT coalesce(sum((SELECT coalesce(sum(amount), 0) FROM invoice_lines l WHERE l.invoice_id = i.id)
                     - (SELECT coalesce(sum(amount), 0) FROM invoice_lines c WHERE c.credit_of = i.id)
                     - (SELECT coalesce(sum(amount), 0) FROM payment_allocations a WHERE a.invoice_id = i.id)), 0) AS n
           FROM invoices i JOIN programs p ON p.id = i.program_id AND p.name = '{program}'
          WHERE i.kind = 'invoice' AND i.status IN ('issued', 'partly_paid')"
    ))
    .get_result::<Sum>(&mut app.conn())
    .unwrap()
    .n
}

/// A Swimming student who owes, with their student id and how many days past due their oldest
/// open invoice is.
fn a_debtor(app: &TestApp) -> (String, i32) {
    #[derive(QueryableByName)]
    struct D {
        #[diesel(sql_type = sql_types::Text)]
        code: String,
        #[diesel(sql_type = sql_types::Integer)]
        days: i32,
    }
    let d: D = sql_query(
        "SELECT s.student_id AS code, ((now() AT TIME ZONE 'Africa/Lagos')::date - min(i.due_on))::int AS days
           FROM invoices i JOIN students s ON s.id = i.student_id
           JOIN programs p ON p.id = i.program_id AND p.name = 'Swimming'
          WHERE i.kind = 'invoice' AND i.status IN ('issued', 'partly_paid')
          GROUP BY s.student_id ORDER BY s.student_id LIMIT 1",
    )
    .get_result(&mut app.conn())
    .unwrap();
    (d.code, d.days)
}

#[actix_web::test]
async fn staff_see_who_owes_what_aged_with_the_programs_total_and_a_csv() {
    let app = spawn_app().await;
    let mut coord = app.login("swim.coord").await;
    let page = coord.get("/fees/balances").await;
    assert_eq!(page.status, 200, "{}", page.body);
    let total = outstanding(&app, "Swimming");
    assert!(
        total > BigDecimal::from(0),
        "the demo has an overdue family"
    );
    assert!(
        page.body.contains(&format!(
            "id=\"outstanding-total\">{}<",
            academy_admin::web::format::money(&total)
        )),
        "{}",
        page.body
    );

    // The dashboard carries the same total, a link to this page.
    let dashboard = coord.get("/dashboard").await;
    assert!(
        dashboard.body.contains(&format!(
            "id=\"outstanding\" href=\"/fees/balances\">{}<",
            academy_admin::web::format::money(&total)
        )),
        "{}",
        dashboard.body
    );

    // The last 12 months: last month's billing (the demo's run) and what was collected then.
    #[derive(QueryableByName)]
    struct Month {
        #[diesel(sql_type = sql_types::Text)]
        label: String,
        #[diesel(sql_type = sql_types::Numeric)]
        billed: BigDecimal,
        #[diesel(sql_type = sql_types::Numeric)]
        collected: BigDecimal,
    }
    let last: Month = sql_query(
        "WITH m AS (SELECT date_trunc('month', (now() AT TIME ZONE 'Africa/Lagos')::date - interval '1 month')::date AS first),
              p AS (SELECT id FROM programs WHERE name = 'Swimming')
         SELECT to_char(m.first, 'Mon YYYY') AS label,
                (SELECT coalesce(sum(CASE l.kind WHEN 'invoice' THEN amount ELSE -amount END), 0)
                   FROM invoice_lines l, p WHERE l.program_id = p.id AND NOT l.voided
                    AND date_trunc('month', l.period_start) = m.first) AS billed,
                (SELECT coalesce(sum(CASE x.kind WHEN 'payment' THEN amount ELSE -amount END), 0)
                   FROM payments x, p WHERE x.program_id = p.id
                    AND date_trunc('month', x.paid_on) = m.first) AS collected
           FROM m",
    )
    .get_result(&mut app.conn())
    .unwrap();
    assert!(last.billed > BigDecimal::from(0));
    assert!(
        dashboard.body.contains(&format!(
            "{}: {} billed, {} collected",
            last.label,
            academy_admin::web::format::money(&last.billed),
            academy_admin::web::format::money(&last.collected)
        )),
        "{}",
        dashboard.body
    );

    // Search and the age filter.
    let (code, days) = a_debtor(&app);
    let found = coord.get(&format!("/fees/balances?q={code}")).await;
    assert!(found.body.contains(&code), "{}", found.body);
    let age = match days {
        i32::MIN..=0 => "not_due",
        1..=30 => "1-30",
        31..=60 => "31-60",
        61..=90 => "61-90",
        _ => "over_90",
    };
    let aged = coord
        .get(&format!("/fees/balances?q={code}&age={age}"))
        .await;
    assert!(aged.body.contains(&code), "{age}: {}", aged.body);
    let other_age = if age == "over_90" {
        "not_due"
    } else {
        "over_90"
    };
    let none = coord
        .get(&format!("/fees/balances?q={code}&age={other_age}"))
        .await;
    if days <= 90 && days > 0 {
        assert!(none.body.contains("No balance matches"), "{}", none.body);
    }

    // The CSV: one row per student owing, amounts summing to the program's outstanding total.
    let csv = coord.get("/fees/balances.csv").await;
    assert_eq!(csv.status, 200);
    let mut lines = csv.body.lines();
    assert_eq!(
        lines.next().unwrap().trim_start_matches('\u{feff}'),
        "student_id,student,not_yet_due,days_1_30,days_31_60,days_61_90,over_90_days,total"
    );
    let summed: BigDecimal = lines
        .map(|l| l.rsplit(',').next().unwrap().parse::<BigDecimal>().unwrap())
        .sum();
    assert_eq!(summed, total);

    // Tutors see no money; another program sees its own figures only.
    let mut tutor = app.login("swim.tutor").await;
    assert_eq!(tutor.get("/fees/balances").await.status, 403);
    assert_eq!(tutor.get("/fees/balances.csv").await.status, 403);
    let mut other = app.login("football.coord").await;
    let theirs = other.get("/fees/balances").await;
    assert!(theirs.body.contains(&format!(
        "id=\"outstanding-total\">{}<",
        academy_admin::web::format::money(&outstanding(&app, "Football"))
    )));
    assert!(!theirs.body.contains(&code));
    assert!(!other.get("/fees/balances.csv").await.body.contains(&code));
}
