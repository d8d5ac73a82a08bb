//! Fees (issue 20): how a program bills, the fee an enrollment agreed to and its discount.

use academy_admin::{
    db::functions::net_fee,
    enrollments::EnrollmentStatus,
    schema::across_programs::{billing_terms, course_enrollments, enrollment_fee_changes},
};
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

/// A running Swimming enrollment and its student.
fn running_enrollment(app: &crate::support::TestApp) -> (Uuid, Uuid) {
    course_enrollments::table
        .filter(course_enrollments::program_id.eq(app.program_id("Swimming")))
        .filter(course_enrollments::status.eq(EnrollmentStatus::Active))
        .order(course_enrollments::id)
        .select((course_enrollments::id, course_enrollments::student_id))
        .first(&mut app.conn())
        .unwrap()
}

/// The fee after the discount, as the database computes it for every page and invoice.
fn net_fee_of(app: &crate::support::TestApp, enrollment: Uuid) -> BigDecimal {
    course_enrollments::table
        .find(enrollment)
        .select(net_fee(
            course_enrollments::agreed_fee,
            course_enrollments::discount_kind,
            course_enrollments::discount_value,
        ))
        .first::<BigDecimal>(&mut app.conn())
        .unwrap()
}

#[actix_web::test]
async fn a_coordinator_gives_a_discount_with_its_reason_and_the_fee_follows_to_the_kobo() {
    let app = spawn_app().await;
    let (enrollment, student) = running_enrollment(&app);
    // A fee that makes the rounding visible: 12.5% of ₦15,000.10 is ₦1,875.0125.
    diesel::update(course_enrollments::table.find(enrollment))
        .set(course_enrollments::agreed_fee.eq("15000.10".parse::<BigDecimal>().unwrap()))
        .execute(&mut app.conn())
        .unwrap();
    let path = format!("/enrollments/{enrollment}/fee");
    let mut coord = app.login("swim.coord").await;
    let page = coord.get(&path).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("₦15,000.10"), "{}", page.body);
    assert!(page.body.contains("per calendar month"));

    // No reason: refused beside the field, what was typed kept, nothing changed.
    let version = app.version_of("course_enrollments", enrollment);
    let before = app.fingerprint();
    let res = coord
        .post(
            &format!("/enrollments/{enrollment}/discount"),
            &[
                ("discount_kind", "percent"),
                ("discount_value", "12.5"),
                ("discount_reason", " "),
                ("version", &version),
            ],
        )
        .await;
    assert_eq!(res.status, 422);
    assert!(res.body.contains("a discount always has its reason"));
    assert!(res.body.contains(r#"value="12.5""#));
    assert_eq!(app.fingerprint(), before);
    // Above 100% is refused too.
    let res = coord
        .post(
            &format!("/enrollments/{enrollment}/discount"),
            &[
                ("discount_kind", "percent"),
                ("discount_value", "101"),
                ("discount_reason", "sibling"),
                ("version", &version),
            ],
        )
        .await;
    assert_eq!(res.status, 422);
    assert_eq!(app.fingerprint(), before);

    let res = coord
        .post(
            &format!("/enrollments/{enrollment}/discount"),
            &[
                ("discount_kind", "percent"),
                ("discount_value", "12.5"),
                ("discount_reason", "sibling"),
                ("version", &version),
            ],
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.body);
    // 15,000.10 - round(1,875.0125, 2) = 15,000.10 - 1,875.01
    assert_eq!(net_fee_of(&app, enrollment).to_string(), "13125.09");
    let page = coord.get(&path).await;
    assert!(page.body.contains("Discount saved: 12.5% off (sibling)."));
    assert!(page.body.contains("₦13,125.09"));
    assert!(page.body.contains("swim.coord"), "who changed it is kept");
    let student_page = coord.get(&format!("/students/{student}")).await;
    assert!(student_page.body.contains("₦13,125.09"));
    assert!(student_page.body.contains("12.5% off (sibling)"));

    // The form of the old version is refused: someone changed the fee since.
    let res = coord
        .post(
            &format!("/enrollments/{enrollment}/discount"),
            &[
                ("discount_kind", "amount"),
                ("discount_value", "100"),
                ("discount_reason", "sibling"),
                ("version", &version),
            ],
        )
        .await;
    assert_eq!(res.status, 409);
    assert_eq!(net_fee_of(&app, enrollment).to_string(), "13125.09");

    // An amount above the fee makes it nothing, never less; 100% is a free place.
    for (kind, value, expected, says) in [
        ("amount", "20000", "0.00", "₦20,000.00 off (scholarship)"),
        ("percent", "100", "0.00", "Free place (scholarship)"),
        ("none", "", "15000.10", "Discount removed"),
    ] {
        let version = app.version_of("course_enrollments", enrollment);
        let res = coord
            .post(
                &format!("/enrollments/{enrollment}/discount"),
                &[
                    ("discount_kind", kind),
                    ("discount_value", value),
                    ("discount_reason", "scholarship"),
                    ("version", &version),
                ],
            )
            .await;
        assert_eq!(res.status, 303, "{kind}: {}", res.body);
        assert_eq!(
            net_fee_of(&app, enrollment),
            expected.parse::<BigDecimal>().unwrap(),
            "{kind}"
        );
        assert!(coord.get(&path).await.body.contains(says), "{kind}");
    }

    // Tutors never see money; another program's staff never see this enrollment.
    let mut tutor = app.login("swim.tutor").await;
    assert_eq!(tutor.get(&path).await.status, 403);
    let roster = tutor.get(&format!("/students/{student}")).await;
    assert!(!roster.body.contains('₦'), "{}", roster.body);
    let mut other = app.login("football.coord").await;
    assert_eq!(other.get(&path).await.status, 404);
    let before = app.fingerprint();
    let version = app.version_of("course_enrollments", enrollment);
    let res = other
        .post(
            &format!("/enrollments/{enrollment}/discount"),
            &[
                ("discount_kind", "percent"),
                ("discount_value", "50"),
                ("discount_reason", "mine"),
                ("version", &version),
            ],
        )
        .await;
    assert_eq!(res.status, 404);
    assert_eq!(app.fingerprint(), before);
}

#[actix_web::test]
async fn a_new_price_reaches_running_enrollments_only_when_applied_after_a_preview() {
    let app = spawn_app().await;
    let swimming = app.program_id("Swimming");
    // The configuration with the most running enrollments.
    let (facility, course, age, location, session): (Uuid, Uuid, String, String, String) =
        course_enrollments::table
            .filter(course_enrollments::program_id.eq(swimming))
            .filter(course_enrollments::status.eq(EnrollmentStatus::Active))
            .group_by((
                course_enrollments::facility_id,
                course_enrollments::course_id,
                course_enrollments::age_group,
                course_enrollments::location_type,
                course_enrollments::session_type,
            ))
            .order(diesel::dsl::count_star().desc())
            .select((
                course_enrollments::facility_id,
                course_enrollments::course_id,
                course_enrollments::age_group,
                course_enrollments::location_type,
                course_enrollments::session_type,
            ))
            .first(&mut app.conn())
            .unwrap();
    let of_config = || {
        course_enrollments::table
            .filter(course_enrollments::facility_id.eq(facility))
            .filter(course_enrollments::course_id.eq(course))
            .filter(course_enrollments::age_group.eq(age.clone()))
            .filter(course_enrollments::location_type.eq(location.clone()))
            .filter(course_enrollments::session_type.eq(session.clone()))
    };
    let running: i64 = of_config()
        .filter(course_enrollments::status.eq_any([
            EnrollmentStatus::Active,
            EnrollmentStatus::Paused,
            EnrollmentStatus::Waitlisted,
        ]))
        .count()
        .get_result(&mut app.conn())
        .unwrap();
    assert!(
        running >= 2,
        "the demo has a configuration with two running enrollments"
    );
    // One of them finished: its fee stays what it was.
    let finished: Uuid = of_config()
        .filter(course_enrollments::status.eq(EnrollmentStatus::Active))
        .select(course_enrollments::id)
        .first(&mut app.conn())
        .unwrap();
    diesel::update(course_enrollments::table.find(finished))
        .set((
            course_enrollments::status.eq(EnrollmentStatus::Completed),
            course_enrollments::completion_date.eq(diesel::dsl::date(diesel::dsl::now).nullable()),
        ))
        .execute(&mut app.conn())
        .unwrap();
    let fees_before: Vec<(Uuid, BigDecimal)> = of_config()
        .select((course_enrollments::id, course_enrollments::agreed_fee))
        .load(&mut app.conn())
        .unwrap();

    // The program admin raises the price from yesterday on.
    diesel::sql_query(
        "WITH ended AS (
            UPDATE facility_course_pricing SET is_active = false, end_date = CURRENT_DATE - 1
             WHERE facility_id = $1 AND course_id = $2 AND age_group = $3 AND location_type = $4
               AND session_type = $5 AND is_active RETURNING program_id)
         INSERT INTO facility_course_pricing (facility_id, course_id, program_id, age_group, location_type, session_type, price, effective_date)
         SELECT $1, $2, program_id, $3, $4, $5, 99999.99, CURRENT_DATE - 1 FROM ended",
    )
    .bind::<diesel::sql_types::Uuid, _>(facility)
    .bind::<diesel::sql_types::Uuid, _>(course)
    .bind::<diesel::sql_types::Text, _>(&age)
    .bind::<diesel::sql_types::Text, _>(&location)
    .bind::<diesel::sql_types::Text, _>(&session)
    .execute(&mut app.conn())
    .unwrap();
    let after_price: Vec<(Uuid, BigDecimal)> = of_config()
        .select((course_enrollments::id, course_enrollments::agreed_fee))
        .load(&mut app.conn())
        .unwrap();
    assert_eq!(
        after_price, fees_before,
        "a price change alone changes no fee"
    );

    let mut coord = app.login("swim.coord").await;
    let list = coord.get("/fees/new-prices").await;
    assert_eq!(list.status, 200);
    assert!(list.body.contains("₦99,999.99"), "{}", list.body);
    let query = format!(
        "facility_id={facility}&course_id={course}&age_group={}&location_type={location}&session_type={session}",
        age.replace('+', "%2B")
    );
    let preview = coord
        .get(&format!("/fees/new-prices/preview?{query}"))
        .await;
    assert_eq!(preview.status, 200, "{}", preview.body);
    assert!(
        preview.body.contains(&format!("to all {}", running - 1)),
        "{}",
        preview.body
    );

    let mut fields: Vec<(&str, String)> = vec![
        ("facility_id", facility.to_string()),
        ("course_id", course.to_string()),
        ("age_group", age.clone()),
        ("location_type", location.clone()),
        ("session_type", session.clone()),
        ("price", "88888.88".into()),
    ];
    // Another program's coordinator, and a price other than the one shown, change nothing.
    let before = app.fingerprint();
    let mut other = app.login("football.coord").await;
    fields[5].1 = "99999.99".into();
    let res = other.post("/fees/new-prices/apply", &refs(&fields)).await;
    assert!(res.status == 404 || res.status == 409, "{}", res.status);
    fields[5].1 = "88888.88".into();
    let res = coord.post("/fees/new-prices/apply", &refs(&fields)).await;
    assert_eq!(res.status, 409, "{}", res.body);
    assert_eq!(app.fingerprint(), before);

    fields[5].1 = "99999.99".into();
    let res = coord.post("/fees/new-prices/apply", &refs(&fields)).await;
    assert_eq!(res.status, 303, "{}", res.body);
    let page = coord.get("/fees/new-prices").await;
    assert!(
        page.body.contains(&format!(
            "{} enrollments now pay the price in force, ₦99,999.99.",
            running - 1
        )) || page
            .body
            .contains("1 enrollment now pays the price in force, ₦99,999.99."),
        "{}",
        page.body
    );
    for (id, fee) in of_config()
        .select((course_enrollments::id, course_enrollments::agreed_fee))
        .load::<(Uuid, BigDecimal)>(&mut app.conn())
        .unwrap()
    {
        if id == finished {
            let was = &fees_before.iter().find(|(i, _)| *i == finished).unwrap().1;
            assert_eq!(&fee, was, "a completed enrollment keeps its fee");
        } else {
            assert_eq!(fee.to_string(), "99999.99");
        }
    }
    let recorded: i64 = enrollment_fee_changes::table
        .filter(enrollment_fee_changes::program_id.eq(swimming))
        .count()
        .get_result(&mut app.conn())
        .unwrap();
    assert_eq!(recorded, running - 1, "each change keeps who and when");
    assert!(
        !page.body.contains("₦99,999.99</td>"),
        "nothing left to apply"
    );

    // One enrollment at a time, from its fee page: one that still pays the old fee.
    let one = fees_before
        .iter()
        .find(|(id, _)| *id != finished)
        .unwrap()
        .0;
    diesel::update(course_enrollments::table.find(one))
        .set(
            course_enrollments::agreed_fee.eq(&fees_before
                .iter()
                .find(|(id, _)| *id == one)
                .unwrap()
                .1),
        )
        .execute(&mut app.conn())
        .unwrap();
    let fee_page = coord.get(&format!("/enrollments/{one}/fee")).await;
    assert!(
        fee_page.body.contains("A new price is in force"),
        "{}",
        fee_page.body
    );
    let version = app.version_of("course_enrollments", one);
    let apply = format!("/enrollments/{one}/fee/price");
    let res = coord.post(&apply, &[("version", &version)]).await;
    assert_eq!(res.status, 303, "{}", res.body);
    let fee_of = |id: Uuid| -> BigDecimal {
        course_enrollments::table
            .find(id)
            .select(course_enrollments::agreed_fee)
            .first(&mut app.conn())
            .unwrap()
    };
    assert_eq!(fee_of(one).to_string(), "99999.99");
    let version = app.version_of("course_enrollments", one);
    let res = coord.post(&apply, &[("version", &version)]).await;
    assert_eq!(res.status, 409);
    assert!(
        res.body.contains("already is the price in force"),
        "{}",
        res.body
    );
    // A completed enrollment's fee no longer changes.
    let version = app.version_of("course_enrollments", finished);
    let res = coord
        .post(
            &format!("/enrollments/{finished}/fee/price"),
            &[("version", &version)],
        )
        .await;
    assert_eq!(res.status, 409);
}

fn refs<'a>(fields: &'a [(&'a str, String)]) -> Vec<(&'a str, &'a str)> {
    fields.iter().map(|(k, v)| (*k, v.as_str())).collect()
}
