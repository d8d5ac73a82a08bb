//! Credit notes (issue 20): an issued invoice is never edited; a program admin corrects it with a
//! credit note that refers to it. What payments paid beyond the corrected total becomes credit.

use academy_admin::web::format::money;
use bigdecimal::BigDecimal;
use diesel::{prelude::*, sql_query, sql_types};
use uuid::Uuid;

use crate::{
    payments::{ledger_holds, status_of, unpaid_invoice},
    support::{spawn_app, Client, Page, TestApp},
};

/// The credit notes of `invoice`: number and amount.
fn credit_notes(app: &TestApp, invoice: Uuid) -> Vec<(String, BigDecimal)> {
    #[derive(QueryableByName)]
    struct Row {
        #[diesel(sql_type = sql_types::Text)]
        number: String,
        #[diesel(sql_type = sql_types::Numeric)]
        amount: BigDecimal,
    }
    sql_query(format!(
        "SELECT n.number::text AS number, (SELECT sum(amount) FROM invoice_lines l WHERE l.invoice_id = n.id) AS amount
           FROM invoices n WHERE n.credit_note_of = '{invoice}' ORDER BY n.number"
    ))
    .load::<Row>(&mut app.conn())
    .unwrap()
    .into_iter()
    .map(|r| (r.number, r.amount))
    .collect()
}

fn count_credit_notes(app: &TestApp) -> i64 {
    use academy_admin::schema::across_programs::invoices as i;
    i::table
        .filter(i::program_id.eq(app.program_id("Swimming")))
        .filter(i::number.like("CRN-%"))
        .count()
        .get_result(&mut app.conn())
        .unwrap()
}

fn balance_shown(body: &str) -> String {
    let at = body.find("id=\"student-balance\">").expect("the balance") + 21;
    body[at..].split('<').next().unwrap().to_string()
}

/// Posts the credit note form of `invoice` with its current version.
async fn credit(
    app: &TestApp,
    who: &mut Client,
    invoice: Uuid,
    amount: &str,
    reason: &str,
) -> Page {
    let version = app.version_of("invoices", invoice);
    who.post(
        &format!("/invoices/{invoice}/credit-note"),
        &[
            ("version", &version),
            ("amount", amount),
            ("reason", reason),
        ],
    )
    .await
}

#[actix_web::test]
async fn a_program_admin_credits_part_of_an_invoice_then_the_rest_and_overpaid_money_becomes_credit(
) {
    let app = spawn_app().await;
    let (invoice, student, total) = unpaid_invoice(&app);
    // The demo's own credit notes come first in the sequence.
    let demo_notes = count_credit_notes(&app);
    let page = format!("/invoices/{invoice}");
    let mut admin = app.login("swim.admin").await;
    let shown = admin.get(&page).await;
    assert!(shown.body.contains("Issue a credit note"), "{}", shown.body);

    // Coordinators do not issue credit notes; another program's admin never reaches the invoice.
    let mut coord = app.login("swim.coord").await;
    assert!(!coord.get(&page).await.body.contains("Issue a credit note"));
    let before = app.fingerprint();
    assert_eq!(
        credit(&app, &mut coord, invoice, "100", "Sibling")
            .await
            .status,
        403
    );
    let mut other = app.login("football.coord").await;
    assert_eq!(other.get(&page).await.status, 404);
    assert_eq!(
        credit(&app, &mut other, invoice, "100", "Sibling")
            .await
            .status,
        403,
        "another program's coordinator is refused by role first"
    );
    // Mistakes are refused beside their field, nothing saved.
    let too_much = (&total + BigDecimal::from(1)).to_string();
    for (amount, reason, says) in [
        (too_much.as_str(), "Sibling discount", "can be credited"),
        (
            "abc",
            "Sibling discount",
            "Enter the amount as a number of naira",
        ),
        ("100", "  ", "Say why the invoice is corrected"),
    ] {
        let res = credit(&app, &mut admin, invoice, amount, reason).await;
        assert_eq!(res.status, 422, "{amount}: {}", res.body);
        assert!(res.body.contains(says), "{}", res.body);
        assert!(res.body.contains("No credit note was issued"));
    }
    let stale = admin
        .post(
            &format!("{page}/credit-note"),
            &[("version", "1"), ("amount", "100"), ("reason", "Sibling")],
        )
        .await;
    assert_eq!(stale.status, 409, "an edit made meanwhile: {}", stale.body);
    assert_eq!(app.fingerprint(), before);

    // A part: the invoice asks the rest, the balance follows, the credit note says what it credits.
    let res = credit(&app, &mut admin, invoice, "1000", "Missed the first week").await;
    assert_eq!(res.status, 303, "{}", res.body);
    let note = admin.get(res.location().unwrap()).await;
    assert!(note.body.contains("Credit note CRN-"), "{}", note.body);
    assert!(note.body.contains("Credit for INV-"));
    assert!(note.body.contains("Missed the first week"));
    assert!(
        !note.body.contains("Void this invoice"),
        "a credit note is never voided"
    );
    let notes = credit_notes(&app, invoice);
    assert_eq!(notes.len(), 1);
    assert!(
        notes[0].0.ends_with(&format!("-{:05}", demo_notes + 1)),
        "the first credit note: {}",
        notes[0].0
    );
    assert_eq!(notes[0].1, BigDecimal::from(1000));
    assert_eq!(status_of(&app, invoice), "issued");
    let rest = &total - BigDecimal::from(1000);
    let shown = admin.get(&page).await;
    assert!(shown
        .body
        .contains(&format!("id=\"invoice-outstanding\">{}<", money(&rest))));
    assert!(
        !shown.body.contains("Void this invoice"),
        "a credited invoice stands"
    );
    let student_page = admin.get(&format!("/students/{student}")).await;
    assert_eq!(balance_shown(&student_page.body), money(&rest));
    ledger_holds(&app);

    // The family pays what is asked, then the rest is credited: that payment becomes credit.
    let today = chrono::Utc::now()
        .date_naive()
        .pred_opt()
        .unwrap()
        .to_string();
    let paid = coord
        .post(
            &format!("/students/{student}/payments"),
            &[
                ("amount", &rest.to_string()),
                ("paid_on", &today),
                ("method", "cash"),
                ("reference", ""),
                ("invoice_id", &invoice.to_string()),
            ],
        )
        .await;
    assert_eq!(paid.status, 303, "{}", paid.body);
    assert_eq!(status_of(&app, invoice), "paid");
    let res = credit(
        &app,
        &mut admin,
        invoice,
        &rest.to_string(),
        "Withdrew before the term",
    )
    .await;
    assert_eq!(res.status, 303, "{}", res.body);
    assert_eq!(credit_notes(&app, invoice).len(), 2);
    assert_eq!(status_of(&app, invoice), "paid", "nothing left to ask");
    let student_page = admin.get(&format!("/students/{student}")).await;
    assert!(
        student_page
            .body
            .contains("Credit: <strong id=\"student-balance\">"),
        "{}",
        student_page.body
    );
    assert_eq!(balance_shown(&student_page.body), money(&rest));
    let statement = admin.get(&format!("/students/{student}/statement")).await;
    assert_eq!(statement.body.matches("Credit note CRN-").count(), 2);
    ledger_holds(&app);
    // The database itself refuses to change an invoice's line.
    let edited = diesel::sql_query(format!(
        "UPDATE invoice_lines SET amount = amount + 1 WHERE invoice_id = '{invoice}'"
    ))
    .execute(&mut app.conn());
    assert!(
        format!("{edited:?}").contains("never changed"),
        "{edited:?}"
    );
    // Nothing is left to credit: no form, and a post changes nothing.
    let shown = admin.get(&page).await;
    assert!(!shown.body.contains("Issue a credit note"));
    let before = app.fingerprint();
    let res = credit(&app, &mut admin, invoice, "1", "Again").await;
    assert_eq!(res.status, 422, "{}", res.body);
    assert_eq!(app.fingerprint(), before);
}
