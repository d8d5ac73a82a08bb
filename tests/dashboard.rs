//! The program dashboard: figures of the current program only, and the load chart.

use diesel::{connection::SimpleConnection, prelude::*, sql_query};

use crate::support::{
    fixtures::{priced_course, student},
    spawn_app,
};

#[actix_web::test]
async fn the_dashboard_counts_this_programs_students_enrollments_and_their_monthly_value_only() {
    let app = spawn_app().await;
    // Start from no enrollments (nor the demo's invoices of them), so the figures below are
    // exactly ours. The app never deletes an issued invoice; the test lifts that rule to wipe
    // them, and the triggers that keep the money figures still run.
    app.conn()
        .batch_execute(
            "ALTER TABLE invoice_lines DISABLE TRIGGER invoice_lines_kept;
             ALTER TABLE invoices DISABLE TRIGGER invoices_kept_delete",
        )
        .unwrap();
    for table in [
        "payment_allocations",
        "payments",
        "invoice_lines",
        "invoices",
        "course_enrollments",
    ] {
        sql_query(format!("DELETE FROM {table}"))
            .execute(&mut app.conn())
            .unwrap();
    }
    app.conn()
        .batch_execute(
            "ALTER TABLE invoice_lines ENABLE TRIGGER invoice_lines_kept;
             ALTER TABLE invoices ENABLE TRIGGER invoices_kept_delete",
        )
        .unwrap();
    let swim = priced_course(&app, "Swimming");
    let football = priced_course(&app, "Football");
    let mut conn = app.conn();
    for (program, course, name) in [
        ("Swimming", &swim, "A"),
        ("Swimming", &swim, "B"),
        ("Football", &football, "C"),
    ] {
        let kid = student(&app, program, name, "2019-02-01");
        sql_query(format!(
            "INSERT INTO course_enrollments (student_id, course_id, program_id, facility_id, age_group, location_type, session_type, enrollment_date)
             SELECT '{kid}', '{}', id, '{}', '6-8', 'our-facility', 'group', '2026-11-20' FROM programs WHERE name = '{program}'",
            course.course_id, course.facility_id
        ))
        .execute(&mut conn)
        .unwrap();
    }
    let mut coord = app.login("swim.coord").await;
    let page = coord.get("/dashboard").await;
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("id=\"monthly-value\">₦30,000.00<"),
        "two Swimming enrollments at ₦15,000.00"
    );
    assert!(page
        .body
        .contains("<span class=\"value\">2</span><span class=\"name\">Active enrollments"));
    assert!(
        page.body
            .contains("<span class=\"value\">62</span><span class=\"name\">Students"),
        "60 demo + 2"
    );
    assert!(page.body.contains("<svg class=\"bar-svg\""));
    assert!(page.body.contains("Fixture Small Pool") && page.body.contains("2/2 (100%)"));
    assert!(!page.body.contains("Football"), "nothing of Football");
}

#[actix_web::test]
async fn tutors_have_no_dashboard() {
    let app = spawn_app().await;
    let mut tutor = app.login("swim.tutor").await;
    assert_eq!(tutor.get("/dashboard").await.status, 403);
}

/// Rows where the running counts differ from counting the tables afresh (must be none).
#[actix_web::test]
async fn the_running_counts_match_a_recount_after_every_kind_of_write() {
    let app = spawn_app().await;
    let mut conn = app.conn();
    assert_eq!(
        crate::support::count_drift(&mut conn),
        0,
        "after the demo data"
    );
    for write in [
        "UPDATE students SET status = 'withdrawn' WHERE id IN (SELECT id FROM students ORDER BY id LIMIT 7)",
        "UPDATE course_enrollments SET status = 'completed', completion_date = enrollment_date
          WHERE id IN (SELECT id FROM course_enrollments WHERE status = 'active' ORDER BY id LIMIT 5)",
        "UPDATE course_enrollments SET progress_percentage = 50 WHERE id IN (SELECT id FROM course_enrollments LIMIT 5)",
        "DELETE FROM course_enrollments WHERE id IN (SELECT id FROM course_enrollments ORDER BY id LIMIT 3)",
        "INSERT INTO course_enrollments (student_id, course_id, program_id, facility_id, age_group, location_type,
                                         session_type, status, enrollment_date, completion_date)
         SELECT student_id, course_id, program_id, facility_id, age_group, location_type, session_type,
                'withdrawn', enrollment_date, enrollment_date
         FROM course_enrollments ORDER BY id LIMIT 4",
    ] {
        sql_query(write).execute(&mut conn).unwrap();
        assert_eq!(crate::support::count_drift(&mut conn), 0, "after {write}");
    }
    sql_query("TRUNCATE course_enrollments CASCADE")
        .execute(&mut conn)
        .unwrap();
    assert_eq!(crate::support::count_drift(&mut conn), 0, "after TRUNCATE");
}
