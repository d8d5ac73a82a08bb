//! Enrolling students: the form's live price, every refusal, the lifecycle, progress, isolation.

use academy_admin::{
    enrollments::{AssignmentType, EnrollmentStatus},
    schema::across_programs::{course_enrollments as e, course_tutors, facility_course_pricing},
};
use chrono::NaiveDate;
use diesel::{prelude::*, sql_query};
use uuid::Uuid;

use crate::support::{
    fixtures::{priced_course, student, PricedCourse},
    spawn_app, Client, TestApp,
};

fn form(
    student: Uuid,
    course: &PricedCourse,
    facility: Uuid,
    session_type: &str,
) -> Vec<(&'static str, String)> {
    vec![
        ("student_id", student.to_string()),
        ("course_id", course.course_id.to_string()),
        ("age_group", "6-8".into()),
        ("location_type", "our-facility".into()),
        ("session_type", session_type.into()),
        ("facility_id", facility.to_string()),
        ("enrollment_date", "2026-11-20".into()),
        ("assignment_notes", "Trial term".into()),
    ]
}

async fn post(client: &mut Client, fields: &[(&'static str, String)]) -> crate::support::Page {
    let borrowed: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    client.post("/enrollments", &borrowed).await
}

fn enrollments_of(app: &TestApp, student: Uuid) -> Vec<(Uuid, EnrollmentStatus)> {
    e::table
        .filter(e::student_id.eq(student))
        .select((e::id, e::status))
        .load(&mut app.conn())
        .unwrap()
}

#[actix_web::test]
async fn a_coordinator_enrolls_a_student_and_the_price_and_who_did_it_are_recorded() {
    let app = spawn_app().await;
    let course = priced_course(&app, "Swimming");
    let kid = student(&app, "Swimming", "Obi", "2019-02-01");
    let mut coord = app.login("swim.coord").await;
    let page = coord
        .get(&format!("/enrollments/new?student_id={kid}"))
        .await;
    assert_eq!(page.status, 200);
    let res = post(
        &mut coord,
        &form(kid, &course, course.other_facility_id, "group"),
    )
    .await;
    assert_eq!(res.status, 303, "{}", res.body);
    assert_eq!(res.location(), Some(format!("/students/{kid}").as_str()));
    let profile = coord.get(&format!("/students/{kid}")).await;
    assert!(profile.body.contains("Enrolled at ₦15,000.00"));
    assert!(
        profile.body.contains("Fixture Stroke Clinic") && profile.body.contains("Fixture Big Pool")
    );
    let (kind, by, notes, date): (AssignmentType, Option<Uuid>, String, NaiveDate) = e::table
        .filter(e::student_id.eq(kid))
        .select((
            e::assignment_type,
            e::assigned_by,
            e::assignment_notes,
            e::enrollment_date,
        ))
        .first(&mut app.conn())
        .unwrap();
    assert_eq!(kind, AssignmentType::Direct);
    assert_eq!(by, Some(app.user_id("swim.coord")));
    assert_eq!(
        (notes.as_str(), date),
        ("Trial term", NaiveDate::from_ymd_opt(2026, 11, 20).unwrap())
    );
}

#[actix_web::test]
async fn the_form_suggests_the_age_group_and_shows_the_price_as_the_configuration_changes() {
    let app = spawn_app().await;
    let course = priced_course(&app, "Swimming");
    let kid = student(&app, "Swimming", "Obi", "2019-02-01");
    let mut coord = app.login("swim.coord").await;
    let base = format!(
        "/enrollments/form?student_id={kid}&course_id={}&enrollment_date=2026-11-20",
        course.course_id
    );
    let priced = coord
        .htmx_get(
            &format!("{base}&location_type=our-facility&session_type=group"),
            None,
        )
        .await;
    assert_eq!(priced.status, 200);
    assert!(!priced.body.contains("<html"), "a fragment");
    assert!(priced.body.contains("Ages 6-8 (by date of birth)"));
    assert!(
        priced.body.contains("id=\"enroll-price\">₦15,000.00<"),
        "{}",
        priced.body
    );
    let unpriced = coord
        .htmx_get(
            &format!("{base}&location_type=our-facility&session_type=private"),
            None,
        )
        .await;
    assert!(unpriced.body.contains("No facility has a price in force"));
    assert!(!unpriced.body.contains("enroll-price"));
    let other_age = coord
        .htmx_get(&format!("{base}&age_group=9-12&session_type=group"), None)
        .await;
    assert!(other_age
        .body
        .contains("belongs to age group 6-8; you chose 9-12"));
    let search = coord
        .htmx_get("/enrollments/students?student_search=Obi", None)
        .await;
    assert!(search.body.contains("Fixture Obi"));
}

#[actix_web::test]
async fn without_a_price_in_force_the_enrollment_is_refused_and_nothing_is_saved() {
    let app = spawn_app().await;
    let course = priced_course(&app, "Swimming");
    let kid = student(&app, "Swimming", "Obi", "2019-02-01");
    let mut coord = app.login("swim.coord").await;
    coord.get("/enrollments/new").await;
    let before = app.fingerprint();
    // A crafted post for a configuration that has no price.
    let res = post(
        &mut coord,
        &form(kid, &course, course.facility_id, "private"),
    )
    .await;
    assert_eq!(res.status, 422);
    assert!(res.body.contains("no price in force"), "{}", res.body);
    // A date before the price started.
    let mut early = form(kid, &course, course.facility_id, "group");
    early[6].1 = "2025-12-31".into();
    assert_eq!(post(&mut coord, &early).await.status, 422);
    assert_eq!(app.fingerprint(), before);
}

#[actix_web::test]
async fn a_price_ended_while_the_form_was_open_refuses_the_enrollment() {
    let app = spawn_app().await;
    let course = priced_course(&app, "Swimming");
    let kid = student(&app, "Swimming", "Obi", "2019-02-01");
    let mut coord = app.login("swim.coord").await;
    let page = coord
        .get(&format!(
            "/enrollments/new?student_id={kid}&course_id={}&session_type=group",
            course.course_id
        ))
        .await;
    assert!(page.body.contains("₦15,000.00"));
    diesel::update(
        facility_course_pricing::table
            .filter(facility_course_pricing::facility_id.eq(course.facility_id)),
    )
    .set((
        facility_course_pricing::is_active.eq(false),
        facility_course_pricing::end_date.eq(NaiveDate::from_ymd_opt(2026, 11, 1)),
    ))
    .execute(&mut app.conn())
    .unwrap();
    let before = app.fingerprint();
    let res = post(&mut coord, &form(kid, &course, course.facility_id, "group")).await;
    assert_eq!(res.status, 422);
    assert_eq!(app.fingerprint(), before);
    assert!(enrollments_of(&app, kid).is_empty());
}

#[actix_web::test]
async fn the_database_itself_refuses_an_enrollment_without_a_price() {
    let app = spawn_app().await;
    let course = priced_course(&app, "Swimming");
    let kid = student(&app, "Swimming", "Obi", "2019-02-01");
    let sql = |session: &str| {
        format!(
            "INSERT INTO course_enrollments (student_id, course_id, program_id, facility_id, age_group, location_type, session_type, enrollment_date)
             SELECT '{kid}', '{}', id, '{}', '6-8', 'our-facility', '{session}', '2026-11-20' FROM programs WHERE name = 'Swimming'",
            course.course_id, course.facility_id
        )
    };
    let refused = sql_query(sql("private"))
        .execute(&mut app.conn())
        .unwrap_err();
    assert!(
        refused.to_string().contains("no price in force"),
        "{refused}"
    );
    assert_eq!(sql_query(sql("group")).execute(&mut app.conn()).unwrap(), 1);
}

#[actix_web::test]
async fn a_second_running_enrollment_at_the_same_facility_is_refused_but_another_facility_is_fine()
{
    let app = spawn_app().await;
    let course = priced_course(&app, "Swimming");
    let kid = student(&app, "Swimming", "Obi", "2019-02-01");
    let mut coord = app.login("swim.coord").await;
    coord.get("/enrollments/new").await;
    assert_eq!(
        post(&mut coord, &form(kid, &course, course.facility_id, "group"))
            .await
            .status,
        303
    );
    coord.get("/enrollments/new").await;
    let again = post(&mut coord, &form(kid, &course, course.facility_id, "group")).await;
    assert_eq!(again.status, 422);
    assert!(again
        .body
        .contains("already has an active or paused enrollment"));
    let elsewhere = post(
        &mut coord,
        &form(kid, &course, course.other_facility_id, "group"),
    )
    .await;
    assert_eq!(elsewhere.status, 303);
    assert_eq!(enrollments_of(&app, kid).len(), 2);
}

#[actix_web::test]
async fn archived_courses_inactive_facilities_and_inactive_students_take_no_enrollment() {
    let app = spawn_app().await;
    let course = priced_course(&app, "Swimming");
    let kid = student(&app, "Swimming", "Obi", "2019-02-01");
    let mut coord = app.login("swim.coord").await;
    coord.get("/enrollments/new").await;
    sql_query(format!(
        "UPDATE facilities SET status = 'maintenance' WHERE id = '{}'",
        course.facility_id
    ))
    .execute(&mut app.conn())
    .unwrap();
    let res = post(&mut coord, &form(kid, &course, course.facility_id, "group")).await;
    assert!(
        res.status == 422
            && res
                .body
                .contains("is under maintenance and takes no new enrollments"),
        "{}",
        res.body
    );
    sql_query(format!(
        "UPDATE courses SET is_active = false WHERE id = '{}'",
        course.course_id
    ))
    .execute(&mut app.conn())
    .unwrap();
    let res = post(
        &mut coord,
        &form(kid, &course, course.other_facility_id, "group"),
    )
    .await;
    assert!(res.status == 422 && res.body.contains("archived"));
    sql_query(format!(
        "UPDATE courses SET is_active = true WHERE id = '{}'",
        course.course_id
    ))
    .execute(&mut app.conn())
    .unwrap();
    sql_query(format!(
        "UPDATE students SET status = 'withdrawn' WHERE id = '{kid}'"
    ))
    .execute(&mut app.conn())
    .unwrap();
    let res = post(
        &mut coord,
        &form(kid, &course, course.other_facility_id, "group"),
    )
    .await;
    assert!(res.status == 422 && res.body.contains("only active students"));
    assert!(enrollments_of(&app, kid).is_empty());
}

#[actix_web::test]
async fn a_full_facility_gives_a_warning_not_a_refusal() {
    let app = spawn_app().await;
    let course = priced_course(&app, "Swimming");
    let mut coord = app.login("swim.coord").await;
    coord.get("/enrollments/new").await;
    for name in ["One", "Two", "Three"] {
        let kid = student(&app, "Swimming", name, "2019-02-01");
        let res = post(&mut coord, &form(kid, &course, course.facility_id, "group")).await;
        assert_eq!(res.status, 303);
        let page = coord.get(res.location().unwrap()).await;
        if name == "Two" {
            assert!(
                page.body.contains("Fixture Small Pool is now full"),
                "{}",
                page.body
            );
        }
        if name == "Three" {
            assert!(page
                .body
                .contains("now has 3 active enrollments for a capacity of 2"));
        }
    }
}

async fn enrolled(app: &TestApp, coord: &mut Client) -> (Uuid, Uuid) {
    let course = priced_course(app, "Swimming");
    let kid = student(app, "Swimming", "Obi", "2019-02-01");
    coord.get("/enrollments/new").await;
    assert_eq!(
        post(coord, &form(kid, &course, course.facility_id, "group"))
            .await
            .status,
        303
    );
    (kid, enrollments_of(app, kid)[0].0)
}

#[actix_web::test]
async fn an_enrollment_pauses_resumes_and_completes_and_final_states_stay_final() {
    let app = spawn_app().await;
    let mut coord = app.login("swim.coord").await;
    let (kid, id) = enrolled(&app, &mut coord).await;
    let path = format!("/enrollments/{id}/status");
    for (action, expected) in [
        ("pause", EnrollmentStatus::Paused),
        ("resume", EnrollmentStatus::Active),
        ("complete", EnrollmentStatus::Completed),
    ] {
        let res = coord.post(&path, &[("action", action)]).await;
        assert_eq!(res.status, 303, "{action}: {}", res.body);
        assert_eq!(enrollments_of(&app, kid)[0].1, expected);
    }
    let (progress, completed): (i32, Option<NaiveDate>) = e::table
        .find(id)
        .select((e::progress_percentage, e::completion_date))
        .first(&mut app.conn())
        .unwrap();
    assert_eq!(progress, 100);
    assert!(completed.is_some());
    let before = app.fingerprint();
    for action in ["resume", "pause", "withdraw", "complete"] {
        let res = coord
            .post(&path, &[("action", action), ("reason", "moved away")])
            .await;
        assert_eq!(res.status, 409, "{action} after completion");
    }
    assert_eq!(app.fingerprint(), before);
}

#[actix_web::test]
async fn a_withdrawal_needs_a_reason_and_keeps_it() {
    let app = spawn_app().await;
    let mut coord = app.login("swim.coord").await;
    let (_, id) = enrolled(&app, &mut coord).await;
    let path = format!("/enrollments/{id}/status");
    assert_eq!(
        coord
            .post(&path, &[("action", "withdraw"), ("reason", " ")])
            .await
            .status,
        400
    );
    assert_eq!(
        coord
            .post(
                &path,
                &[("action", "withdraw"), ("reason", "Family moved to Abuja")]
            )
            .await
            .status,
        303
    );
    let (status, notes, completed): (EnrollmentStatus, String, Option<NaiveDate>) = e::table
        .find(id)
        .select((e::status, e::assignment_notes, e::completion_date))
        .first(&mut app.conn())
        .unwrap();
    assert_eq!(status, EnrollmentStatus::Withdrawn);
    assert!(notes.contains("Withdrawn: Family moved to Abuja"));
    assert!(completed.is_some());
}

#[actix_web::test]
async fn progress_is_recorded_by_coordinators_and_by_the_course_tutor_only() {
    let app = spawn_app().await;
    let mut coord = app.login("swim.coord").await;
    let (kid, id) = enrolled(&app, &mut coord).await;
    let path = format!("/enrollments/{id}/progress");
    let fields = [
        ("progress_percentage", "40"),
        ("credits_awarded", "2"),
        ("return_to", "/students"),
    ];
    assert_eq!(coord.post(&path, &fields).await.status, 303);
    let before = app.fingerprint();
    for bad in [
        ("progress_percentage", "101"),
        ("progress_percentage", "-1"),
        ("progress_percentage", "lots"),
    ] {
        let res = coord.post(&path, &[bad, ("credits_awarded", "2")]).await;
        assert_eq!(res.status, 400, "{bad:?}");
    }
    assert_eq!(
        coord
            .post(
                &path,
                &[("progress_percentage", "50"), ("credits_awarded", "-3")]
            )
            .await
            .status,
        400
    );
    assert_eq!(app.fingerprint(), before);

    let mut tutor = app.login("swim.tutor").await;
    tutor.get("/my-courses").await;
    assert_eq!(
        tutor.post(&path, &fields).await.status,
        404,
        "not the tutor's course"
    );
    let course: Uuid = e::table
        .find(id)
        .select(e::course_id)
        .first(&mut app.conn())
        .unwrap();
    let program = app.program_id("Swimming");
    diesel::insert_into(course_tutors::table)
        .values((
            course_tutors::course_id.eq(course),
            course_tutors::program_id.eq(program),
            course_tutors::user_id.eq(app.user_id("swim.tutor")),
        ))
        .execute(&mut app.conn())
        .unwrap();
    let res = tutor
        .post(
            &path,
            &[("progress_percentage", "75"), ("credits_awarded", "3")],
        )
        .await;
    assert_eq!(res.status, 303);
    let saved: (i32, i32) = e::table
        .find(id)
        .select((e::progress_percentage, e::credits_awarded))
        .first(&mut app.conn())
        .unwrap();
    assert_eq!(saved, (75, 3));
    let roster = tutor.get("/students").await;
    assert!(
        roster.body.contains("Obi, Fixture"),
        "the tutor now sees the enrolled student"
    );
    assert_eq!(tutor.get(&format!("/students/{kid}")).await.status, 200);
}

#[actix_web::test]
async fn football_enrollments_and_courses_are_out_of_reach_for_swimming_staff() {
    let app = spawn_app().await;
    let football = priced_course(&app, "Football");
    let football_kid = student(&app, "Football", "Musa", "2019-02-01");
    let mut football_coord = app.login("football.coord").await;
    football_coord.get("/enrollments/new").await;
    assert_eq!(
        post(
            &mut football_coord,
            &form(football_kid, &football, football.facility_id, "group")
        )
        .await
        .status,
        303
    );
    let football_enrollment = enrollments_of(&app, football_kid)[0].0;

    let mut coord = app.login("swim.coord").await;
    let swim_kid = student(&app, "Swimming", "Obi", "2019-02-01");
    coord.get("/enrollments/new").await;
    let before = app.fingerprint();
    let crossed = post(
        &mut coord,
        &form(swim_kid, &football, football.facility_id, "group"),
    )
    .await;
    assert_eq!(
        crossed.status, 422,
        "a Football course is not a course of Swimming"
    );
    assert!(
        !crossed.body.contains(&football.course_id.to_string()),
        "the Football course is not offered"
    );
    let res = coord
        .post(
            &format!("/enrollments/{football_enrollment}/status"),
            &[("action", "pause")],
        )
        .await;
    assert_eq!(res.status, 404);
    let res = coord
        .post(
            &format!("/enrollments/{football_enrollment}/progress"),
            &[("progress_percentage", "10"), ("credits_awarded", "1")],
        )
        .await;
    assert_eq!(res.status, 404);
    let fragment = coord
        .htmx_get(
            &format!(
                "/enrollments/form?course_id={}&student_id={football_kid}",
                football.course_id
            ),
            None,
        )
        .await;
    assert!(!fragment.body.contains("Musa") && !fragment.body.contains("₦15,000.00"));
    assert_eq!(app.fingerprint(), before);
}

fn bulk_fields(
    students: &[Uuid],
    course: &PricedCourse,
    facility: Uuid,
) -> Vec<(&'static str, String)> {
    let mut fields: Vec<(&'static str, String)> = students
        .iter()
        .map(|s| ("student_ids", s.to_string()))
        .collect();
    fields.extend([
        ("course_id", course.course_id.to_string()),
        ("age_group", "6-8".to_string()),
        ("location_type", "our-facility".to_string()),
        ("session_type", "group".to_string()),
        ("facility_id", facility.to_string()),
        ("enrollment_date", "2026-11-20".to_string()),
    ]);
    fields
}

#[actix_web::test]
async fn bulk_enrolling_enrolls_every_ticked_student_in_one_go() {
    let app = spawn_app().await;
    let course = priced_course(&app, "Swimming");
    let kids: Vec<Uuid> = ["Ada", "Bola", "Chidi"]
        .iter()
        .map(|n| student(&app, "Swimming", n, "2019-02-01"))
        .collect();
    let mut coord = app.login("swim.coord").await;
    let page = coord.get("/enrollments/bulk?q=Fixture").await;
    assert!(page.body.contains("Ada, Fixture") && page.body.contains("Chidi, Fixture"));
    let fields = bulk_fields(&kids, &course, course.other_facility_id);
    let borrowed: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let res = coord.post("/enrollments/bulk", &borrowed).await;
    assert_eq!(res.status, 303, "{}", res.body);
    assert!(coord
        .get("/enrollments")
        .await
        .body
        .contains("Enrolled 3 students."));
    for kid in &kids {
        let kind: AssignmentType = e::table
            .filter(e::student_id.eq(kid))
            .select(e::assignment_type)
            .first(&mut app.conn())
            .unwrap();
        assert_eq!(kind, AssignmentType::BulkAssigned);
    }
}

#[actix_web::test]
async fn one_refused_student_means_nobody_is_enrolled_and_the_reason_is_named() {
    let app = spawn_app().await;
    let course = priced_course(&app, "Swimming");
    let kids: Vec<Uuid> = ["Ada", "Bola", "Chidi"]
        .iter()
        .map(|n| student(&app, "Swimming", n, "2019-02-01"))
        .collect();
    let mut coord = app.login("swim.coord").await;
    coord.get("/enrollments/new").await;
    // Bola is already enrolled there.
    assert_eq!(
        post(
            &mut coord,
            &form(kids[1], &course, course.facility_id, "group")
        )
        .await
        .status,
        303
    );
    coord.get("/enrollments/bulk").await;
    let before = app.fingerprint();
    let fields = bulk_fields(&kids, &course, course.facility_id);
    let borrowed: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let res = coord.post("/enrollments/bulk", &borrowed).await;
    assert_eq!(res.status, 422);
    assert!(res.body.contains("Nobody was enrolled"));
    assert!(
        res.body
            .contains("Fixture Bola: Fixture already has an active or paused enrollment"),
        "{}",
        res.body
    );
    assert_eq!(app.fingerprint(), before);
    assert_eq!(res.body.matches("checked").count(), 3, "the ticks are kept");
}

#[actix_web::test]
async fn the_enrollment_list_filters_and_exports_only_this_programs_enrollments() {
    let app = spawn_app().await;
    let course = priced_course(&app, "Swimming");
    let football = priced_course(&app, "Football");
    let kid = student(&app, "Swimming", "Obi", "2019-02-01");
    let football_kid = student(&app, "Football", "Musa", "2019-02-01");
    let mut football_coord = app.login("football.coord").await;
    football_coord.get("/enrollments/new").await;
    assert_eq!(
        post(
            &mut football_coord,
            &form(football_kid, &football, football.facility_id, "group")
        )
        .await
        .status,
        303
    );
    let mut coord = app.login("swim.coord").await;
    coord.get("/enrollments/new").await;
    assert_eq!(
        post(&mut coord, &form(kid, &course, course.facility_id, "group"))
            .await
            .status,
        303
    );
    let list = coord
        .get(&format!("/enrollments?course_id={}", course.course_id))
        .await;
    assert!(list.body.contains("Obi, Fixture") && !list.body.contains("Musa"));
    let filtered = coord.get("/enrollments?status=withdrawn&q=Obi").await;
    assert!(filtered.body.contains("No enrollments here"));
    let csv = coord.get("/enrollments/export.csv?q=Fixture").await;
    assert_eq!(csv.header("content-type"), Some("text/csv; charset=utf-8"));
    assert!(
        csv.body.contains("\"Obi, Fixture\""),
        "a comma inside a name is quoted: {}",
        csv.body
    );
    assert!(!csv.body.contains("Musa"));
    assert_eq!(
        coord.get("/enrollments?facility_id=nonsense").await.status,
        400
    );
}

#[actix_web::test]
async fn an_enrollment_form_of_a_tab_left_on_another_program_is_refused() {
    let app = spawn_app().await;
    let course = priced_course(&app, "Swimming");
    let kid = student(&app, "Swimming", "Obi", "2019-02-01");
    let mut admin = app.login("superadmin").await;
    let swimming = app.program_id("Swimming").to_string();
    admin
        .post("/program-context", &[("program_id", &swimming)])
        .await;
    let page = admin
        .get(&format!(
            "/enrollments/new?student_id={kid}&course_id={}&session_type=group",
            course.course_id
        ))
        .await;
    assert_eq!(
        page.hidden("program_context").as_deref(),
        Some(swimming.as_str())
    );
    // Another tab switches to Football; the Swimming form is then sent.
    let football = app.program_id("Football").to_string();
    admin
        .post("/program-context", &[("program_id", &football)])
        .await;
    let before = app.fingerprint();
    let mut fields = form(kid, &course, course.facility_id, "group");
    fields.push(("program_context", swimming.clone()));
    let res = post(&mut admin, &fields).await;
    assert_eq!(res.status, 409);
    assert!(res.body.contains("This page belongs to program Swimming"));
    assert_eq!(app.fingerprint(), before);
}

#[actix_web::test]
async fn the_list_pages_by_key_and_a_cursor_of_another_program_is_not_found() {
    let app = spawn_app().await;
    let mut coord = app.login("swim.coord").await;
    let foreign = app.football_id_for("enrollment_id");
    let before = app.fingerprint();
    for cursor in ["after", "before"] {
        let page = coord.get(&format!("/enrollments?{cursor}={foreign}")).await;
        assert_eq!(page.status, 404, "{cursor}");
        assert!(!page.body.contains(&foreign.to_string()));
    }
    assert_eq!(app.fingerprint(), before);
    let first = coord.get("/enrollments").await;
    assert_eq!(first.status, 200);
    assert!(first.body.contains(" shown of "), "{}", first.body);
    let last = coord.get("/enrollments?last=1").await;
    assert_eq!(last.status, 200);
    assert!(
        !last.body.contains("rel=\"next\""),
        "the last page has no next"
    );
}

#[actix_web::test]
async fn exports_write_formula_like_cells_as_text_dates_in_iso_and_each_enrollments_price_and_notes(
) {
    let app = spawn_app().await;
    let course = priced_course(&app, "Swimming");
    let kid = student(
        &app,
        "Swimming",
        "=HYPERLINK(\"http://evil.example\")",
        "2019-02-01",
    );
    let mut coord = app.login("swim.coord").await;
    coord.get("/enrollments/new").await;
    let res = post(&mut coord, &form(kid, &course, course.facility_id, "group")).await;
    assert_eq!(res.status, 303, "{}", res.body);
    diesel::update(e::table.filter(e::student_id.eq(kid)))
        .set(e::assignment_notes.eq("@SUM(1) and more"))
        .execute(&mut app.conn())
        .unwrap();
    let enrolled: NaiveDate = e::table
        .filter(e::student_id.eq(kid))
        .select(e::enrollment_date)
        .first(&mut app.conn())
        .unwrap();

    let csv = coord.get("/enrollments/export.csv?q=Fixture").await;
    let lines: Vec<&str> = csv.body.lines().collect();
    assert_eq!(
        lines[0].trim_start_matches('\u{feff}'),
        "student_id,student,course,facility,configuration,agreed_fee,discount,fee,status,enrollment_date,completion_date,progress_percentage,credits_awarded,assignment_type,notes"
    );
    let row = lines.iter().find(|l| l.contains("HYPERLINK")).unwrap();
    assert!(
        row.contains("\"'=HYPERLINK(\"\"http://evil.example\"\"), Fixture\""),
        "{row}"
    );
    assert!(
        row.contains(",15000.00,,15000.00,active,"),
        "the fee agreed, no discount, the fee: {row}"
    );
    assert!(row.contains(&format!(",{enrolled},")), "ISO date: {row}");
    assert!(row.ends_with(",'@SUM(1) and more"), "{row}");

    let csv = coord.get("/students/export.csv?q=Fixture").await;
    let row = csv.body.lines().find(|l| l.contains("HYPERLINK")).unwrap();
    assert!(
        row.contains(",\"'=HYPERLINK(\"\"http://evil.example\"\")\","),
        "{row}"
    );
    assert!(row.contains(",2019-02-01,"), "ISO date of birth: {row}");
}

#[actix_web::test]
async fn who_paused_resumed_and_withdrew_an_enrollment_and_when_is_recorded_and_shown() {
    use academy_admin::schema::across_programs::enrollment_status_changes as c;
    let app = spawn_app().await;
    let mut coord = app.login("swim.coord").await;
    let (kid, id) = enrolled(&app, &mut coord).await;
    let path = format!("/enrollments/{id}/status");
    assert_eq!(coord.post(&path, &[("action", "pause")]).await.status, 303);
    let mut admin = app.login("swim.admin").await;
    admin.get("/students").await;
    assert_eq!(admin.post(&path, &[("action", "resume")]).await.status, 303);
    let res = coord
        .post(&path, &[("action", "withdraw"), ("reason", "moved away")])
        .await;
    assert_eq!(res.status, 303);
    let changes: Vec<(EnrollmentStatus, EnrollmentStatus, Option<Uuid>, String)> = c::table
        .filter(c::enrollment_id.eq(id))
        .order(c::created_at.asc())
        .select((c::from_status, c::to_status, c::changed_by, c::reason))
        .load(&mut app.conn())
        .unwrap();
    let (coord_id, admin_id) = (app.user_id("swim.coord"), app.user_id("swim.admin"));
    assert_eq!(
        changes,
        vec![
            (
                EnrollmentStatus::Active,
                EnrollmentStatus::Paused,
                Some(coord_id),
                String::new()
            ),
            (
                EnrollmentStatus::Paused,
                EnrollmentStatus::Active,
                Some(admin_id),
                String::new()
            ),
            (
                EnrollmentStatus::Active,
                EnrollmentStatus::Withdrawn,
                Some(coord_id),
                "moved away".into()
            ),
        ]
    );
    let page = coord.get(&format!("/students/{kid}")).await;
    assert!(
        page.body.contains("Withdrawn by swim.coord on"),
        "{}",
        page.body
    );
}

#[actix_web::test]
async fn a_tutor_is_offered_the_progress_form_only_for_enrollments_in_their_own_courses() {
    let app = spawn_app().await;
    let mut coord = app.login("swim.coord").await;
    let (kid, theirs) = enrolled(&app, &mut coord).await;
    // The same student also takes a course swim.tutor teaches.
    let tutored: Uuid = course_tutors::table
        .filter(course_tutors::user_id.eq(app.user_id("swim.tutor")))
        .select(course_tutors::course_id)
        .first(&mut app.conn())
        .unwrap();
    let mine: Uuid = sql_query(format!(
        "INSERT INTO course_enrollments (student_id, course_id, program_id, facility_id, age_group,
            location_type, session_type)
         SELECT '{kid}', course_id, program_id, facility_id, age_group, location_type, session_type
         FROM facility_course_pricing WHERE course_id = '{tutored}' AND is_active LIMIT 1
         RETURNING id"
    ))
    .get_result::<IdRow>(&mut app.conn())
    .unwrap()
    .id;
    let mut tutor = app.login("swim.tutor").await;
    let page = tutor.get(&format!("/students/{kid}")).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains(&format!("/enrollments/{mine}/progress")));
    assert!(
        !page
            .body
            .contains(&format!("/enrollments/{theirs}/progress")),
        "no form that would answer 404 on save"
    );
}

#[derive(diesel::QueryableByName)]
struct IdRow {
    #[diesel(sql_type = diesel::sql_types::Uuid)]
    id: Uuid,
}

#[actix_web::test]
async fn messages_count_in_words_that_agree_and_demo_enrollments_name_a_coordinator_of_their_program(
) {
    let app = spawn_app().await;
    let course = priced_course(&app, "Swimming");
    let kid = student(&app, "Swimming", "Solo", "2019-02-01");
    let mut coord = app.login("swim.coord").await;
    coord.get("/enrollments/bulk").await;
    let fields = bulk_fields(&[kid], &course, course.other_facility_id);
    let borrowed: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(coord.post("/enrollments/bulk", &borrowed).await.status, 303);
    let page = coord.get("/enrollments").await;
    assert!(page.body.contains("Enrolled 1 student."), "{}", page.body);

    #[derive(diesel::QueryableByName)]
    struct N {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let strangers = sql_query(
        "SELECT count(*) AS n FROM course_enrollments e
         WHERE e.assigned_by IS NOT NULL AND NOT EXISTS (
           SELECT 1 FROM user_program_assignments a
           WHERE a.user_id = e.assigned_by AND a.program_id = e.program_id)",
    )
    .get_result::<N>(&mut app.conn())
    .unwrap()
    .n;
    assert_eq!(
        strangers, 0,
        "every enrollment was made by someone of its program"
    );
    let football: i64 = e::table
        .filter(e::program_id.eq(app.program_id("Football")))
        .filter(e::assigned_by.eq(app.user_id("football.coord")))
        .count()
        .get_result(&mut app.conn())
        .unwrap();
    assert!(
        football > 0,
        "Football's demo enrollments are football.coord's"
    );
}

#[actix_web::test]
async fn an_enrollment_reads_in_words_with_the_price_it_was_made_at_everywhere() {
    let app = spawn_app().await;
    let mut coord = app.login("swim.coord").await;
    let (kid, _) = enrolled(&app, &mut coord).await;
    // A later price change does not change what the enrollment was made at.
    sql_query(
        "UPDATE facility_course_pricing SET end_date = CURRENT_DATE, is_active = false
         WHERE course_id IN (SELECT course_id FROM course_enrollments WHERE assignment_notes = 'Trial term')",
    )
    .execute(&mut app.conn())
    .unwrap();
    let words = "Ages 6-8 · Our facility · Group";
    let page = coord.get(&format!("/students/{kid}")).await;
    assert!(page.body.contains(words), "{}", page.body);
    assert!(page.body.contains("₦15,000.00"));
    let list = coord.get("/enrollments?q=Obi").await;
    assert!(list.body.contains(words) && list.body.contains("₦15,000.00"));
    let csv = coord.get("/enrollments/export.csv?q=Obi").await;
    assert!(
        csv.body.contains(&format!("{words},15000.00,")),
        "{}",
        csv.body
    );
}

/// The enrollment ids of a list page, in page order (each row links its student's page; the
/// status forms are not on the list, so the rows are told apart by a data attribute).
fn enrollment_ids(body: &str) -> Vec<String> {
    body.split("data-enrollment=\"")
        .skip(1)
        .map(|cell| cell[..cell.find('"').unwrap()].to_string())
        .collect()
}

fn page_link(body: &str, rel: &str) -> Option<String> {
    let marker = format!("rel=\"{rel}\" href=\"");
    let start = body.find(&marker)? + marker.len();
    let end = start + body[start..].find('"')?;
    Some(format!(
        "/enrollments{}",
        body[start..end].replace("&#38;", "&").replace("&amp;", "&")
    ))
}

#[actix_web::test]
async fn the_enrollment_list_sorts_by_each_column_both_ways_and_pages_by_key_in_that_order() {
    let app = spawn_app().await;
    let mut coord = app.login("swim.coord").await;
    let order = |by: &str| -> Vec<String> {
        #[derive(diesel::QueryableByName)]
        struct Id {
            #[diesel(sql_type = diesel::sql_types::Text)]
            id: String,
        }
        sql_query(format!(
            "SELECT e.id::text AS id FROM course_enrollments e
             JOIN students s ON s.id = e.student_id JOIN courses c ON c.id = e.course_id
             JOIN facilities f ON f.id = e.facility_id
             WHERE e.program_id = (SELECT id FROM programs WHERE name = 'Swimming') ORDER BY {by}"
        ))
        .load::<Id>(&mut app.conn())
        .unwrap()
        .into_iter()
        .map(|r| r.id)
        .collect()
    };
    let cases = [
        ("", "e.enrollment_date DESC, e.id DESC"),
        ("date", "e.enrollment_date, e.id"),
        ("student", "s.last_name, s.first_name, e.id"),
        ("-student", "s.last_name DESC, s.first_name DESC, e.id DESC"),
        ("course", "c.name, e.enrollment_date, e.id"),
        ("-course", "c.name DESC, e.enrollment_date DESC, e.id DESC"),
        ("facility", "f.name, e.enrollment_date, e.id"),
        (
            "-facility",
            "f.name DESC, e.enrollment_date DESC, e.id DESC",
        ),
        ("status", "e.status, e.enrollment_date, e.id"),
        (
            "-status",
            "e.status DESC, e.enrollment_date DESC, e.id DESC",
        ),
    ];
    for (sort, sql) in cases {
        let expected = order(sql);
        assert!(expected.len() > 50, "the list spans three pages");
        let mut seen = Vec::new();
        let mut url = Some(format!("/enrollments?sort={sort}"));
        let mut last_body = String::new();
        while let Some(next) = url {
            assert!(seen.len() <= expected.len(), "{sort}: no end at {next}");
            let page = coord.get(&next).await;
            assert_eq!(page.status, 200, "{next}");
            seen.extend(enrollment_ids(&page.body));
            url = page_link(&page.body, "next");
            last_body = page.body;
        }
        assert_eq!(seen, expected, "forwards by {sort:?}");
        let mut back = enrollment_ids(&last_body);
        let mut url = page_link(&last_body, "prev");
        while let Some(previous) = url {
            let page = coord.get(&previous).await;
            let mut rows = enrollment_ids(&page.body);
            rows.extend(back);
            back = rows;
            url = page_link(&page.body, "prev");
        }
        assert_eq!(back, expected, "backwards by {sort:?}");
    }
    let page = coord.get("/enrollments?sort=-course").await;
    assert!(page
        .body
        .contains("aria-sort=\"descending\"><a href=\"?sort=course\">Course</a>"));
    assert_eq!(coord.get("/enrollments?sort=price").await.status, 400);
}

#[actix_web::test]
async fn bulk_enrolling_warns_about_a_student_whose_date_of_birth_does_not_fit_the_age_group() {
    let app = spawn_app().await;
    let course = priced_course(&app, "Swimming");
    let young = student(&app, "Swimming", "Young", "2019-02-01");
    let teen = student(&app, "Swimming", "Teen", "2011-02-01");
    let mut coord = app.login("swim.coord").await;
    let fields = bulk_fields(&[young, teen], &course, course.facility_id);
    let query = serde_urlencoded::to_string(&fields).unwrap();
    let form = coord
        .htmx_get(&format!("/enrollments/bulk/form?{query}"), None)
        .await;
    assert_eq!(form.status, 200);
    assert!(
        form.body
            .contains("Fixture Teen belongs to age group 13-17 by date of birth; you chose 6-8."),
        "{}",
        form.body
    );
    assert!(
        !form.body.contains("Fixture Young belongs"),
        "a fitting student gets no warning"
    );
}
