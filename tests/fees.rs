//! Fees (issue 20): how a program bills, the fee an enrollment agreed to and its discount.

use academy_admin::schema::across_programs::{billing_terms, course_enrollments};
use bigdecimal::BigDecimal;
use diesel::prelude::*;
use uuid::Uuid;

use crate::support::spawn_app;

fn terms_of(app: &crate::support::TestApp, program: Uuid) -> Vec<String> {
    billing_terms::table
        .filter(billing_terms::program_id.eq(program))
        .order(billing_terms::start_date)
        .select(billing_terms::name)
        .load(&mut app.conn())
        .unwrap()
}

#[actix_web::test]
async fn a_program_admin_bills_by_term_only_with_terms_that_never_overlap() {
    let app = spawn_app().await;
    let swimming = app.program_id("Swimming");
    diesel::delete(billing_terms::table.filter(billing_terms::program_id.eq(swimming)))
        .execute(&mut app.conn())
        .unwrap();
    let mut admin = app.login("swim.admin").await;
    let page = admin.get("/billing").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("No terms yet"), "{}", page.body);

    // Billing by term with no term to bill is refused, and the program still bills by month.
    let res = admin
        .post("/billing/period", &[("billing_period", "term")])
        .await;
    assert_eq!(res.status, 422);
    assert!(res.body.contains("Add a term first"), "{}", res.body);
    let period = |app: &crate::support::TestApp| -> String {
        diesel::select(diesel::dsl::sql::<diesel::sql_types::Text>(&format!(
            "(SELECT billing_period::text FROM programs WHERE id = '{swimming}')"
        )))
        .get_result(&mut app.conn())
        .unwrap()
    };
    assert_eq!(period(&app), "month");

    let add = |name: &'static str, from: &'static str, to: &'static str| {
        [("name", name), ("start_date", from), ("end_date", to)]
    };
    let res = admin
        .post(
            "/billing/terms",
            &add("Spring 2027", "2027-01-11", "2027-04-01"),
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.body);
    // An overlapping term is refused, naming the term it overlaps; the form keeps what was typed.
    let res = admin
        .post(
            "/billing/terms",
            &add("Easter 2027", "2027-03-29", "2027-04-16"),
        )
        .await;
    assert_eq!(res.status, 422);
    assert!(
        res.body
            .contains("These dates overlap Spring 2027 (11 Jan 2027 to 1 Apr 2027)."),
        "{}",
        res.body
    );
    assert!(res.body.contains(r#"value="Easter 2027""#));
    // A term needs its last day, on or after its first.
    let res = admin
        .post("/billing/terms", &add("Summer 2027", "2027-07-16", ""))
        .await;
    assert_eq!(res.status, 422);
    let res = admin
        .post(
            "/billing/terms",
            &add("Summer 2027", "2027-07-16", "2027-04-19"),
        )
        .await;
    assert!(res
        .body
        .contains("The last day comes on or after the first."));
    assert_eq!(terms_of(&app, swimming), vec!["Spring 2027"]);

    // The database refuses an overlap whatever the path.
    let overlap = diesel::insert_into(billing_terms::table)
        .values((
            billing_terms::program_id.eq(swimming),
            billing_terms::name.eq("Sneaked in"),
            billing_terms::start_date.eq(chrono::NaiveDate::from_ymd_opt(2027, 4, 1).unwrap()),
            billing_terms::end_date.eq(chrono::NaiveDate::from_ymd_opt(2027, 4, 2).unwrap()),
        ))
        .execute(&mut app.conn());
    assert!(overlap.is_err(), "the exclusion constraint refuses it");
    // Another program's terms are its own: the same dates are fine in Football.
    let football = app.program_id("Football");
    diesel::delete(billing_terms::table.filter(billing_terms::program_id.eq(football)))
        .execute(&mut app.conn())
        .unwrap();
    diesel::insert_into(billing_terms::table)
        .values((
            billing_terms::program_id.eq(football),
            billing_terms::name.eq("Football spring"),
            billing_terms::start_date.eq(chrono::NaiveDate::from_ymd_opt(2027, 1, 11).unwrap()),
            billing_terms::end_date.eq(chrono::NaiveDate::from_ymd_opt(2027, 4, 1).unwrap()),
        ))
        .execute(&mut app.conn())
        .unwrap();
    let page = admin.get("/billing").await;
    assert!(!page.body.contains("Football spring"));

    let res = admin
        .post("/billing/period", &[("billing_period", "term")])
        .await;
    assert_eq!(res.status, 303, "{}", res.body);
    assert_eq!(period(&app), "term");
    let page = admin.get("/billing").await;
    assert!(page.body.contains("now bills by term"), "{}", page.body);
    // The pricing matrix says what a price pays for.
    let facility = app.id_for("Swimming", "facility_id");
    let matrix = admin.get(&format!("/facilities/{facility}/pricing")).await;
    assert!(
        matrix
            .body
            .contains("A price is the fee for one billing period: per term."),
        "{}",
        matrix.body
    );

    // The only term of a program billing by term stays.
    let spring: Uuid = billing_terms::table
        .filter(billing_terms::program_id.eq(swimming))
        .select(billing_terms::id)
        .first(&mut app.conn())
        .unwrap();
    let version = app.version_of("billing_terms", spring);
    let res = admin
        .post(
            &format!("/billing/terms/{spring}/delete"),
            &[("version", &version)],
        )
        .await;
    assert_eq!(res.status, 409, "{}", res.body);
    assert!(
        res.body.contains("the program&#39;s only term")
            || res.body.contains("the program's only term"),
        "{}",
        res.body
    );
    // Back to months, it can go.
    admin
        .post("/billing/period", &[("billing_period", "month")])
        .await;
    let res = admin
        .post(
            &format!("/billing/terms/{spring}/delete"),
            &[("version", &version)],
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.body);
    assert!(terms_of(&app, swimming).is_empty());
    let matrix = admin.get(&format!("/facilities/{facility}/pricing")).await;
    assert!(matrix.body.contains("per calendar month"));
}

#[actix_web::test]
async fn an_enrollment_keeps_the_fee_agreed_when_it_was_made_whatever_the_price_does_later() {
    let app = spawn_app().await;
    // Every demo enrollment agreed to the price in force on its enrollment date.
    let differing: i64 = diesel::select(diesel::dsl::sql::<diesel::sql_types::BigInt>(
        "(SELECT count(*) FROM course_enrollments e WHERE e.agreed_fee IS DISTINCT FROM (
            SELECT p.price FROM facility_course_pricing p
             WHERE p.facility_id = e.facility_id AND p.course_id = e.course_id
               AND p.age_group = e.age_group AND p.location_type = e.location_type
               AND p.session_type = e.session_type AND p.effective_date <= e.enrollment_date
               AND (p.end_date IS NULL OR p.end_date > e.enrollment_date)
             ORDER BY p.effective_date DESC, p.created_at DESC LIMIT 1))",
    ))
    .get_result(&mut app.conn())
    .unwrap();
    assert_eq!(differing, 0);
    let (enrollment, fee): (Uuid, BigDecimal) = course_enrollments::table
        .filter(course_enrollments::program_id.eq(app.program_id("Swimming")))
        .order(course_enrollments::id)
        .select((course_enrollments::id, course_enrollments::agreed_fee))
        .first(&mut app.conn())
        .unwrap();
    // The price of every configuration doubles; the running enrollment's fee stays.
    diesel::sql_query("UPDATE facility_course_pricing SET price = price * 2")
        .execute(&mut app.conn())
        .unwrap();
    let after: BigDecimal = course_enrollments::table
        .find(enrollment)
        .select(course_enrollments::agreed_fee)
        .first(&mut app.conn())
        .unwrap();
    assert_eq!(after, fee);
}
