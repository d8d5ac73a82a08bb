//! Draft invoices (issue 20): a run saved as drafts for the program admin to look over. Drafts
//! have no number and count for nothing, hold their enrollments' places for the period, are
//! discarded one by one or by period, and are issued together: numbered then, in name order.

use academy_admin::schema::across_programs::{invoices as i, money_by_month as m, students as s};
use bigdecimal::BigDecimal;
use diesel::{prelude::*, sql_query};
use uuid::Uuid;

use crate::{
    invoices::{in_sequence, numbers, this_month},
    payments::ledger_holds,
    support::{spawn_app, TestApp},
};

/// The program's drafts: id and student, in name order.
fn drafts(app: &TestApp, program: Uuid) -> Vec<(Uuid, Uuid)> {
    i::table
        .inner_join(s::table.on(s::id.eq(i::student_id)))
        .filter(i::program_id.eq(program))
        .filter(i::status.eq(academy_admin::invoices::InvoiceStatus::Draft))
        .order((
            diesel::dsl::sql::<diesel::sql_types::Text>(
                "lower(students.last_name || ', ' || students.first_name)",
            ),
            i::id,
        ))
        .select((i::id, i::student_id))
        .load(&mut app.conn())
        .unwrap()
}

/// What the dashboard counts as billed, every month together.
fn billed(app: &TestApp, program: Uuid) -> BigDecimal {
    m::table
        .filter(m::program_id.eq(program))
        .select(diesel::dsl::sum(m::billed))
        .first::<Option<BigDecimal>>(&mut app.conn())
        .unwrap()
        .unwrap_or_default()
}

#[actix_web::test]
async fn a_program_admin_saves_a_month_as_drafts_discards_some_and_issues_the_rest_numbered_in_name_order(
) {
    let app = spawn_app().await;
    let swimming = app.program_id("Swimming");
    let (month, first_day) = this_month(&app);
    let period_start = first_day.to_string();
    let mut admin = app.login("swim.admin").await;
    admin.get("/invoices/generate").await;
    let (numbered, billed_before) = (numbers(&app, swimming), billed(&app, swimming));

    // An unknown choice is refused and changes nothing.
    let before = app.fingerprint();
    let bad = admin
        .post(
            "/invoices/generate",
            &[("month", &month), ("issue", "later")],
        )
        .await;
    assert_eq!(bad.status, 422, "{}", bad.body);
    assert!(bad
        .body
        .contains("issue the invoices now or to save them as drafts"));
    assert_eq!(app.fingerprint(), before);

    // Saved as drafts: no numbers, nothing billed, nothing owed.
    let saved = admin
        .post(
            "/invoices/generate",
            &[("month", &month), ("issue", "drafts")],
        )
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    assert_eq!(saved.location(), Some("/invoices/generate#drafts"));
    let made = drafts(&app, swimming);
    assert!(made.len() >= 2, "the demo has students to bill this month");
    let page = admin.get("/invoices/generate").await;
    assert!(page.body.contains("draft invoices saved"), "{}", page.body);
    assert!(page.body.contains("Drafts waiting to be issued"));
    assert!(page.body.contains(&format!("Issue {}", made.len())));
    assert_eq!(numbers(&app, swimming), numbered);
    assert_eq!(billed(&app, swimming), billed_before);
    ledger_holds(&app);
    let (draft, student) = made[0];
    let shown = admin.get(&format!("/invoices/{draft}")).await;
    assert!(shown.body.contains("Draft invoice"), "{}", shown.body);
    assert!(!shown.body.contains("Record a payment"));
    assert!(!shown.body.contains("Issue a credit note"));
    let statement = admin.get(&format!("/students/{student}/statement")).await;
    assert_eq!(statement.status, 200);
    assert!(
        !statement.body.contains(&format!("/invoices/{draft}")),
        "a draft is not on the family's statement"
    );
    let listed = admin.get("/invoices?status=draft").await;
    assert!(listed.body.contains(&format!("/invoices/{draft}")));

    // The drafts hold their enrollments: running the month again bills nothing new.
    let before = app.fingerprint();
    let again = admin
        .post("/invoices/generate", &[("month", &month), ("issue", "now")])
        .await;
    assert_eq!(again.status, 409, "{}", again.body);
    assert_eq!(app.fingerprint(), before);

    // A draft is not voided, credited or paid; coordinators and another program's admin do not
    // issue or discard; the database never deletes an issued invoice.
    let version = app.version_of("invoices", draft);
    for (path, fields) in [
        (
            format!("/invoices/{draft}/void"),
            vec![("version", version.as_str()), ("void_reason", "wrong")],
        ),
        (
            format!("/invoices/{draft}/credit-note"),
            vec![
                ("version", version.as_str()),
                ("amount", "1000"),
                ("reason", "wrong"),
            ],
        ),
    ] {
        let res = admin.post(&path, &fields).await;
        assert_eq!(res.status, 409, "{path}: {}", res.body);
    }
    let mut coord = app.login("swim.coord").await;
    coord.get("/invoices").await;
    let refused = coord
        .post(
            &format!("/students/{student}/payments"),
            &[
                ("amount", "1000"),
                ("paid_on", &first_day.to_string()),
                ("method", "cash"),
                ("reference", ""),
                ("invoice_id", &draft.to_string()),
            ],
        )
        .await;
    assert_ne!(
        refused.status, 303,
        "a payment against a draft: {}",
        refused.body
    );
    assert_eq!(app.fingerprint(), before);
    for path in ["/invoices/drafts/issue", "/invoices/drafts/discard"] {
        let res = coord.post(path, &[("period_start", &period_start)]).await;
        assert_eq!(res.status, 403, "{path}");
    }
    let res = coord
        .post(
            &format!("/invoices/{draft}/discard"),
            &[("version", &version)],
        )
        .await;
    assert_eq!(res.status, 403);
    let mut other = app.login("superadmin").await;
    other.get("/dashboard").await;
    let football = app.program_id("Football").to_string();
    other
        .post("/program-context", &[("program_id", &football)])
        .await;
    let res = other
        .post(
            &format!("/invoices/{draft}/discard"),
            &[("version", &version)],
        )
        .await;
    assert_eq!(res.status, 404, "another program's draft is not found");
    for path in ["/invoices/drafts/issue", "/invoices/drafts/discard"] {
        let res = other.post(path, &[("period_start", &period_start)]).await;
        assert_eq!(
            res.status, 409,
            "Football has no draft of {path}: {}",
            res.body
        );
    }
    assert_eq!(app.fingerprint(), before);
    let issued = i::table
        .filter(i::program_id.eq(swimming))
        .filter(i::number.is_not_null())
        .select(i::id)
        .first::<Uuid>(&mut app.conn())
        .unwrap();
    let deleted = sql_query(format!(
        "DELETE FROM invoice_lines WHERE invoice_id = '{issued}'"
    ))
    .execute(&mut app.conn());
    assert!(
        format!("{deleted:?}").contains("never deleted"),
        "{deleted:?}"
    );

    // One draft discarded (an old page's form is refused first): its student is billed again by
    // the next run.
    let stale = admin
        .post(&format!("/invoices/{draft}/discard"), &[("version", "1")])
        .await;
    assert_eq!(stale.status, 409);
    let res = admin
        .post(
            &format!("/invoices/{draft}/discard"),
            &[("version", &version)],
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.body);
    assert_eq!(drafts(&app, swimming).len(), made.len() - 1);
    assert_eq!(admin.get(&format!("/invoices/{draft}")).await.status, 404);
    ledger_holds(&app);
    let res = admin
        .post(
            "/invoices/generate",
            &[("month", &month), ("issue", "drafts")],
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.body);
    let redrafted = drafts(&app, swimming);
    assert_eq!(redrafted.len(), made.len());
    assert!(redrafted.iter().any(|(_, s)| *s == student));

    // All of the period discarded, then drafted again and issued.
    let res = admin
        .post(
            "/invoices/drafts/discard",
            &[("period_start", &period_start)],
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.body);
    assert!(drafts(&app, swimming).is_empty());
    assert_eq!(billed(&app, swimming), billed_before);
    ledger_holds(&app);
    admin
        .post(
            "/invoices/generate",
            &[("month", &month), ("issue", "drafts")],
        )
        .await;
    let waiting = drafts(&app, swimming);
    assert_eq!(waiting.len(), made.len());
    let res = admin
        .post("/invoices/drafts/issue", &[("period_start", &period_start)])
        .await;
    assert_eq!(res.status, 303, "{}", res.body);
    let list = admin.get("/invoices").await;
    assert!(
        list.body.contains(" invoices issued (INV-"),
        "{}",
        list.body
    );
    assert!(drafts(&app, swimming).is_empty());
    let all = numbers(&app, swimming);
    assert_eq!(all.len(), numbered.len() + waiting.len());
    in_sequence(&all);
    // Numbered in order of the students' names, after the numbers already handed out.
    let new_numbers: Vec<String> = waiting
        .iter()
        .map(|(id, _)| {
            i::table
                .find(id)
                .select(i::number.assume_not_null())
                .first::<String>(&mut app.conn())
                .unwrap()
        })
        .collect();
    let mut sorted = new_numbers.clone();
    sorted.sort();
    assert_eq!(new_numbers, sorted, "numbers follow the students' names");
    assert!(!numbered.contains(&new_numbers[0]));
    assert!(billed(&app, swimming) > billed_before);
    ledger_holds(&app);
    let twice = admin
        .post("/invoices/drafts/issue", &[("period_start", &period_start)])
        .await;
    assert_eq!(twice.status, 409);
}
