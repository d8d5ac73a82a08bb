//! One-off charges (issue 20): a coordinator adds a registration or kit fee to a student; the
//! next invoice run bills it once as a line of the student's invoice; a charge not yet billed can
//! be removed, a billed one stays; voiding its invoice gives it back to the next run.

use academy_admin::schema::across_programs::{charges, invoice_lines};
use bigdecimal::BigDecimal;
use diesel::prelude::*;
use uuid::Uuid;

use crate::support::{spawn_app, TestApp};

/// A Swimming student with no invoice and no charge yet.
fn unbilled_student(app: &TestApp) -> Uuid {
    use academy_admin::schema::across_programs::{invoices, students};
    students::table
        .filter(students::program_id.eq(app.program_id("Swimming")))
        .filter(diesel::dsl::not(diesel::dsl::exists(
            invoices::table.filter(invoices::student_id.eq(students::id)),
        )))
        .filter(diesel::dsl::not(diesel::dsl::exists(
            charges::table.filter(charges::student_id.eq(students::id)),
        )))
        .order(students::student_id)
        .select(students::id)
        .first(&mut app.conn())
        .unwrap()
}

/// Today in the academy's time zone.
fn today(app: &TestApp) -> chrono::NaiveDate {
    diesel::select(diesel::dsl::sql::<diesel::sql_types::Date>(
        "(now() AT TIME ZONE 'Africa/Lagos')::date",
    ))
    .get_result(&mut app.conn())
    .unwrap()
}

/// The lines billing `charge` that are not void: (invoice, amount).
fn billed(app: &TestApp, charge: Uuid) -> Vec<(Uuid, BigDecimal)> {
    invoice_lines::table
        .filter(invoice_lines::charge_id.eq(charge))
        .filter(invoice_lines::voided.eq(false))
        .select((invoice_lines::invoice_id, invoice_lines::amount))
        .load(&mut app.conn())
        .unwrap()
}

#[actix_web::test]
async fn a_coordinators_charge_is_billed_once_by_the_next_run_and_removed_only_while_unbilled() {
    let app = spawn_app().await;
    let student = unbilled_student(&app);
    let mut coord = app.login("swim.coord").await;
    let new = format!("/students/{student}/charges/new");
    let post = format!("/students/{student}/charges");
    let page = coord.get(&new).await;
    assert_eq!(page.status, 200, "{}", page.body);
    let day = today(&app).to_string();

    // Mistakes are refused beside their field, what was typed kept, nothing saved.
    let before = app.fingerprint();
    for (what, amount, day, says) in [
        (" ", "5000", day.as_str(), "Say what the charge is for"),
        ("Swimming kit", "-5", day.as_str(), "amount"),
        (
            "Swimming kit",
            "5000",
            "2026-02-30",
            "Enter the day as YYYY-MM-DD",
        ),
    ] {
        let res = coord
            .post(
                &post,
                &[
                    ("description", what),
                    ("amount", amount),
                    ("charged_on", day),
                ],
            )
            .await;
        assert_eq!(res.status, 422, "{what} {amount} {day}: {}", res.body);
        assert!(res.body.contains(says), "{says}: {}", res.body);
    }
    assert_eq!(app.fingerprint(), before);
    // Tutors see no money; another program's coordinator never reaches the student.
    let mut tutor = app.login("swim.tutor").await;
    assert_eq!(tutor.get(&new).await.status, 403);
    let mut other = app.login("football.coord").await;
    assert_eq!(other.get(&new).await.status, 404);
    let res = other
        .post(
            &post,
            &[
                ("description", "Kit"),
                ("amount", "100"),
                ("charged_on", &day),
            ],
        )
        .await;
    assert_eq!(res.status, 404);
    assert_eq!(app.fingerprint(), before);

    // Two charges: a kit, and a mistake removed before any run.
    for what in ["Swimming kit", "Typed twice"] {
        let res = coord
            .post(
                &post,
                &[
                    ("description", what),
                    ("amount", "7500.50"),
                    ("charged_on", &day),
                ],
            )
            .await;
        assert_eq!(res.status, 303, "{}", res.body);
    }
    let page = coord.get(&format!("/students/{student}")).await;
    assert!(page.body.contains("Swimming kit"), "{}", page.body);
    let ids: Vec<(Uuid, String)> = charges::table
        .filter(charges::student_id.eq(student))
        .order(charges::description)
        .select((charges::id, charges::description))
        .load(&mut app.conn())
        .unwrap();
    let (kit, twice) = (ids[0].0, ids[1].0);
    let before = app.fingerprint();
    assert_eq!(
        other
            .post(&format!("/charges/{twice}/delete"), &[])
            .await
            .status,
        404,
        "another program's charge is not found"
    );
    assert_eq!(app.fingerprint(), before);
    let res = coord.post(&format!("/charges/{twice}/delete"), &[]).await;
    assert_eq!(res.status, 303, "{}", res.body);
    assert_eq!(
        charges::table
            .filter(charges::id.eq(twice))
            .count()
            .get_result::<i64>(&mut app.conn())
            .unwrap(),
        0
    );

    // This month's run bills the kit on the student's invoice (they have no enrollment billed).
    let month = today(&app).format("%Y-%m").to_string();
    let mut admin = app.login("swim.admin").await;
    let preview = admin
        .get(&format!("/invoices/generate?month={month}"))
        .await;
    assert!(preview.body.contains("Swimming kit"), "{}", preview.body);
    let res = admin
        .post("/invoices/generate", &[("month", &month), ("term_id", "")])
        .await;
    assert_eq!(res.status, 303, "{}", res.body);
    let lines = billed(&app, kit);
    assert_eq!(lines.len(), 1, "billed once");
    assert_eq!(lines[0].1, "7500.50".parse::<BigDecimal>().unwrap());
    let invoice = lines[0].0;
    let shown = coord.get(&format!("/invoices/{invoice}")).await;
    assert!(shown.body.contains("Swimming kit"));
    // A billed charge stays; it is no longer waiting on the student's page.
    let before = app.fingerprint();
    let res = coord.post(&format!("/charges/{kit}/delete"), &[]).await;
    assert_eq!(res.status, 409, "{}", res.body);
    assert!(res.body.contains("credit note"));
    assert_eq!(app.fingerprint(), before);
    let page = coord.get(&format!("/students/{student}")).await;
    assert!(page.body.contains("No charges waiting"), "{}", page.body);

    // Voiding its invoice gives the charge back to the next run, which bills it again.
    let version = app.version_of("invoices", invoice);
    let res = admin
        .post(
            &format!("/invoices/{invoice}/void"),
            &[("version", &version), ("void_reason", "Wrong family")],
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.body);
    assert!(billed(&app, kit).is_empty());
    let res = admin
        .post("/invoices/generate", &[("month", &month), ("term_id", "")])
        .await;
    assert_eq!(res.status, 303, "{}", res.body);
    let again = billed(&app, kit);
    assert_eq!(again.len(), 1);
    crate::payments::ledger_holds(&app);
    assert_ne!(again[0].0, invoice, "a new invoice, a new number");
}
