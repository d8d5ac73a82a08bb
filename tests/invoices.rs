//! Invoices (issue 20): a period's run previewed then created once, numbered in sequence, each
//! enrollment billed at most once per period, and isolation.

use academy_admin::schema::across_programs::{course_enrollments as e, invoice_lines, invoices};
use bigdecimal::BigDecimal;
use chrono::{Datelike, NaiveDate};
use diesel::prelude::*;
use uuid::Uuid;

use crate::support::{spawn_app, TestApp};

pub fn this_month(app: &TestApp) -> (String, NaiveDate) {
    let today: NaiveDate = diesel::select(diesel::dsl::sql::<diesel::sql_types::Date>(
        "(now() AT TIME ZONE 'Africa/Lagos')::date",
    ))
    .get_result(&mut app.conn())
    .unwrap();
    let first = today.with_day(1).unwrap();
    (first.format("%Y-%m").to_string(), first)
}

pub fn numbers(app: &TestApp, program: Uuid) -> Vec<String> {
    invoices::table
        .filter(invoices::program_id.eq(program))
        .filter(invoices::number.like("INV-%"))
        .order(invoices::number)
        .select(invoices::number.assume_not_null())
        .load(&mut app.conn())
        .unwrap()
}

/// Every invoice's lines, and that no enrollment is billed twice for a period.
fn lines_per_invoice(app: &TestApp, program: Uuid) -> Vec<(Uuid, i64)> {
    invoice_lines::table
        .filter(invoice_lines::program_id.eq(program))
        .group_by(invoice_lines::invoice_id)
        .select((invoice_lines::invoice_id, diesel::dsl::count_star()))
        .load(&mut app.conn())
        .unwrap()
}

#[actix_web::test]
async fn a_program_admin_previews_a_month_then_creates_its_invoices_once_numbered_in_sequence() {
    let app = spawn_app().await;
    let swimming = app.program_id("Swimming");
    let (month, first_day) = this_month(&app);
    let mut admin = app.login("swim.admin").await;
    // The demo billed last month.
    let demo = numbers(&app, swimming);
    assert!(!demo.is_empty());
    let page = admin.get("/invoices").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains(demo.last().unwrap()), "{}", page.body);

    // The preview creates nothing and says what it would.
    let before = app.fingerprint();
    let preview = admin
        .get(&format!("/invoices/generate?month={month}"))
        .await;
    assert_eq!(preview.status, 200, "{}", preview.body);
    assert!(preview.body.contains("Create "), "{}", preview.body);
    assert!(
        preview.body.contains("Free place: nothing to bill"),
        "the demo scholarship is skipped"
    );
    assert_eq!(app.fingerprint(), before);
    let bad = admin.get("/invoices/generate?month=2026-13").await;
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("Choose a month"));

    // Coordinators see invoices but do not generate them; tutors see no money at all.
    let mut coord = app.login("swim.coord").await;
    assert_eq!(coord.get("/invoices/generate").await.status, 403);
    assert_eq!(
        coord
            .post("/invoices/generate", &[("month", &month)])
            .await
            .status,
        403
    );
    let mut tutor = app.login("swim.tutor").await;
    assert_eq!(tutor.get("/invoices").await.status, 403);
    assert_eq!(app.fingerprint(), before);

    let res = admin
        .post("/invoices/generate", &[("month", &month), ("term_id", "")])
        .await;
    assert_eq!(res.status, 303, "{}", res.body);
    let all = numbers(&app, swimming);
    let created: Vec<String> = all.iter().filter(|n| !demo.contains(n)).cloned().collect();
    assert!(!created.is_empty());
    in_sequence(&all);
    let list = admin.get("/invoices").await;
    assert!(list.body.contains(" invoices created ("), "{}", list.body);
    assert!(list.body.contains(&created[0]));
    // Every line is rounded to the kobo; the page's total is the database's sum.
    let (invoice, total): (Uuid, BigDecimal) = invoice_lines::table
        .filter(invoice_lines::program_id.eq(swimming))
        .group_by(invoice_lines::invoice_id)
        .select((
            invoice_lines::invoice_id,
            diesel::dsl::sum(invoice_lines::amount).assume_not_null(),
        ))
        .first(&mut app.conn())
        .unwrap();
    let shown = coord.get(&format!("/invoices/{invoice}")).await;
    assert_eq!(shown.status, 200);
    assert!(
        shown.body.contains(&format!(
            "id=\"invoice-total\">{}<",
            academy_admin::web::format::money(&total)
        )),
        "{}",
        shown.body
    );
    assert!(shown.body.contains("Swimming"));

    // The same month again: nothing new to bill, nothing created.
    let lines_before = lines_per_invoice(&app, swimming);
    let before = app.fingerprint();
    let res = admin
        .post("/invoices/generate", &[("month", &month), ("term_id", "")])
        .await;
    assert_eq!(res.status, 409, "{}", res.body);
    assert!(res.body.contains("Nothing to bill"));
    assert_eq!(app.fingerprint(), before);

    // A student enrolled on the 15th without a class: billed for the share of days, alone, with
    // the next number.
    let fifteenth = first_day + chrono::Days::new(14);
    let added: Uuid = diesel::sql_query(format!(
        "INSERT INTO course_enrollments (student_id, course_id, program_id, facility_id, age_group, location_type, session_type, enrollment_date)
         SELECT s.id, x.course_id, x.program_id, x.facility_id, x.age_group, x.location_type, x.session_type, DATE '{fifteenth}'
           FROM course_enrollments x
           JOIN students s ON s.program_id = x.program_id
          WHERE x.program_id = '{swimming}' AND x.status = 'active'
            AND NOT EXISTS (SELECT 1 FROM course_enrollments y WHERE y.student_id = s.id AND y.course_id = x.course_id)
          ORDER BY x.id, s.id LIMIT 1
         RETURNING id"
    ))
    .get_result::<IdRow>(&mut app.conn())
    .unwrap()
    .id;
    let res = admin
        .post("/invoices/generate", &[("month", &month), ("term_id", "")])
        .await;
    assert_eq!(res.status, 303, "{}", res.body);
    let after = numbers(&app, swimming);
    assert_eq!(after.len(), all.len() + 1);
    in_sequence(&after);
    let (amount, note): (BigDecimal, String) = invoice_lines::table
        .filter(invoice_lines::enrollment_id.eq(added))
        .select((invoice_lines::amount, invoice_lines::share_note))
        .first(&mut app.conn())
        .unwrap();
    let agreed: BigDecimal = e::table
        .find(added)
        .select(e::agreed_fee)
        .first(&mut app.conn())
        .unwrap();
    let days = (first_day + chrono::Months::new(1) - first_day).num_days();
    let share = days - 14;
    assert_eq!(note, format!("{share} of {days} days"));
    let expected = (&agreed * BigDecimal::from(share) / BigDecimal::from(days))
        .with_scale_round(2, bigdecimal::RoundingMode::HalfUp);
    assert_eq!(amount, expected);
    let mut lines_now = lines_per_invoice(&app, swimming);
    lines_now.retain(|(id, _)| lines_before.iter().any(|(b, _)| b == id));
    assert_eq!(
        lines_now.len(),
        lines_before.len(),
        "earlier invoices untouched"
    );

    // The database bills an enrollment once per period whatever the path.
    let dup = diesel::sql_query(format!(
        "INSERT INTO invoice_lines (program_id, invoice_id, enrollment_id, period_start, description, amount)
         SELECT program_id, invoice_id, enrollment_id, period_start, 'again', 1 FROM invoice_lines
          WHERE enrollment_id = '{added}'"
    ))
    .execute(&mut app.conn());
    assert!(dup.is_err());

    // Another program sees none of it.
    let mut other = app.login("football.coord").await;
    assert_eq!(other.get(&format!("/invoices/{invoice}")).await.status, 404);
    // Numbers run per program (Football has its own INV-2026-00045), so the list is checked for
    // links to Swimming's invoices, not for their numbers.
    let swimming_ids: Vec<Uuid> = invoices::table
        .filter(invoices::program_id.eq(swimming))
        .select(invoices::id)
        .load(&mut app.conn())
        .unwrap();
    let listed = other.get("/invoices").await.body;
    assert!(
        listed.contains("/invoices/"),
        "Football's own invoices are listed"
    );
    for id in swimming_ids {
        assert!(!listed.contains(&format!("/invoices/{id}")));
    }
}

/// Each year's numbers run from 00001 without a gap or a repeat.
pub fn in_sequence(numbers: &[String]) {
    let mut by_year: std::collections::BTreeMap<&str, Vec<u32>> = Default::default();
    for n in numbers {
        let (year, seq) = n.trim_start_matches("INV-").split_once('-').unwrap();
        by_year.entry(year).or_default().push(seq.parse().unwrap());
    }
    for (year, mut seqs) in by_year {
        seqs.sort();
        let expected: Vec<u32> = (1..=seqs.len() as u32).collect();
        assert_eq!(seqs, expected, "the numbers of {year}");
    }
}

#[derive(QueryableByName)]
struct IdRow {
    #[diesel(sql_type = diesel::sql_types::Uuid)]
    id: Uuid,
}

#[actix_web::test]
async fn a_program_admin_voids_an_unpaid_invoice_with_its_reason_and_its_enrollments_can_be_billed_again(
) {
    let app = spawn_app().await;
    let swimming = app.program_id("Swimming");
    let unpaid = |app: &TestApp, status: &str| -> (Uuid, String, Uuid, NaiveDate) {
        invoices::table
            .filter(invoices::program_id.eq(swimming))
            .filter(diesel::dsl::sql::<diesel::sql_types::Bool>(&format!(
                "status = '{status}' AND kind = 'invoice'"
            )))
            .order(invoices::number)
            .select((
                invoices::id,
                invoices::number.assume_not_null(),
                invoices::student_id,
                invoices::period_start,
            ))
            .first(&mut app.conn())
            .unwrap()
    };
    let (invoice, number, student, period) = unpaid(&app, "issued");
    let path = format!("/invoices/{invoice}/void");
    let version = app.version_of("invoices", invoice);

    // Coordinators do not void; a void needs its reason; an old page's form changes nothing.
    let before = app.fingerprint();
    let mut coord = app.login("swim.coord").await;
    coord.get("/invoices").await;
    let res = coord
        .post(&path, &[("version", &version), ("void_reason", "typo")])
        .await;
    assert_eq!(res.status, 403);
    let mut admin = app.login("swim.admin").await;
    let page = admin.get(&format!("/invoices/{invoice}")).await;
    assert!(
        page.body.contains(&format!("action=\"{path}\"")),
        "{}",
        page.body
    );
    let res = admin
        .post(&path, &[("version", &version), ("void_reason", "  ")])
        .await;
    assert_eq!(res.status, 422);
    assert!(res.body.contains("Say why it is voided"));
    let res = admin
        .post(&path, &[("version", "1"), ("void_reason", "Billed twice")])
        .await;
    assert_eq!(res.status, 409);
    assert_eq!(app.fingerprint(), before);

    let res = admin
        .post(
            &path,
            &[("version", &version), ("void_reason", "Billed twice")],
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.body);
    let shown = admin.get(&format!("/invoices/{invoice}")).await;
    assert!(shown.body.contains(&number) && shown.body.contains("Billed twice"));
    assert!(shown.body.contains("status-pill void"));
    assert!(
        !shown.body.contains(&format!("action=\"{path}\"")),
        "nothing more to void"
    );
    let voided: Vec<bool> = invoice_lines::table
        .filter(invoice_lines::invoice_id.eq(invoice))
        .select(invoice_lines::voided)
        .load(&mut app.conn())
        .unwrap();
    assert!(!voided.is_empty() && voided.iter().all(|v| *v));

    // An invoice with payments is refused.
    let (paid, _, _, _) = unpaid(&app, "paid");
    let version = app.version_of("invoices", paid);
    let res = admin
        .post(
            &format!("/invoices/{paid}/void"),
            &[("version", &version), ("void_reason", "why not")],
        )
        .await;
    assert_eq!(res.status, 409);
    assert!(res.body.contains("has payments against it"), "{}", res.body);

    // The period again bills the voided invoice's enrollments, with a new number.
    let month = period.format("%Y-%m").to_string();
    let res = admin
        .post("/invoices/generate", &[("month", &month), ("term_id", "")])
        .await;
    assert_eq!(res.status, 303, "{}", res.body);
    let again: i64 = invoices::table
        .filter(invoices::student_id.eq(student))
        .filter(invoices::period_start.eq(period))
        .count()
        .get_result(&mut app.conn())
        .unwrap();
    assert_eq!(again, 2, "the void one and its replacement");
    in_sequence(&numbers(&app, swimming));
    crate::payments::ledger_holds(&app);
}
