//! Attendance: Today's roster, one mark per student and session, who may mark when, the lessons a
//! session covered and the progress they give.

use academy_admin::{
    access::Role,
    attendance::AttendanceMark,
    schema::across_programs::{
        attendance, attendance_changes, class_sessions, classes, course_enrollments as e,
        course_tutors, curricula, facility_course_pricing as p, lesson_credits, lessons, modules,
    },
};
use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use crate::{
    support::{spawn_app, TestApp},
    timetable::{free_students, tutored_configuration},
};

/// A class of Swimming taught by a tutor of its own (no clash with the demo's sessions), with
/// three students enrolled three weeks ago and the course's first curriculum.
struct Fixture {
    class: Uuid,
    tutor: Uuid,
    students: Vec<Uuid>,
    enrollments: Vec<Uuid>,
    curriculum: Uuid,
}

fn fixture(app: &TestApp) -> Fixture {
    let c = tutored_configuration(app);
    let swimming = app.program_id("Swimming");
    let mut conn = app.conn();
    let hash = academy_admin::auth::hash_password(academy_admin::demo::DEMO_PASSWORD).unwrap();
    let tutor = academy_admin::users::insert(
        &mut conn,
        "pool.tutor",
        "pool.tutor@academy.example",
        &hash,
        Role::Tutor,
    )
    .unwrap();
    diesel::sql_query(format!(
        "INSERT INTO user_program_assignments (user_id, program_id) VALUES ('{tutor}', '{swimming}')"
    ))
    .execute(&mut conn)
    .unwrap();
    diesel::insert_into(course_tutors::table)
        .values((
            course_tutors::course_id.eq(c.0),
            course_tutors::program_id.eq(swimming),
            course_tutors::user_id.eq(tutor),
        ))
        .execute(&mut conn)
        .unwrap();
    let curriculum: Uuid = curricula::table
        .filter(curricula::course_id.eq(c.0))
        .order(curricula::sequence_order)
        .select(curricula::id)
        .first(&mut conn)
        .unwrap();
    let today = Utc::now().date_naive();
    let priced_since: chrono::NaiveDate = p::table
        .filter(p::course_id.eq(c.0))
        .filter(p::facility_id.eq(c.1))
        .filter(p::age_group.eq(&c.2))
        .filter(p::location_type.eq(&c.3))
        .filter(p::session_type.eq(&c.4))
        .filter(p::is_active.eq(true))
        .select(p::effective_date)
        .first(&mut conn)
        .unwrap();
    let enrolled = priced_since.max(today - Duration::days(21));
    let class: Uuid = diesel::insert_into(classes::table)
        .values((
            classes::program_id.eq(swimming),
            classes::course_id.eq(c.0),
            classes::facility_id.eq(c.1),
            classes::tutor_id.eq(tutor),
            classes::age_group.eq(&c.2),
            classes::location_type.eq(&c.3),
            classes::session_type.eq(&c.4),
            classes::name.eq("Poolside"),
            classes::capacity.eq(5),
            classes::start_date.eq(enrolled),
            classes::end_date.eq(today + Duration::days(60)),
            classes::curriculum_id.eq(Some(curriculum)),
        ))
        .returning(classes::id)
        .get_result(&mut conn)
        .unwrap();
    let students = free_students(app, c.0, c.1, 3);
    let enrollments = students
        .iter()
        .map(|s| {
            diesel::insert_into(e::table)
                .values((
                    e::program_id.eq(swimming),
                    e::student_id.eq(s),
                    e::course_id.eq(c.0),
                    e::facility_id.eq(c.1),
                    e::age_group.eq(&c.2),
                    e::location_type.eq(&c.3),
                    e::session_type.eq(&c.4),
                    e::enrollment_date.eq(enrolled),
                    e::class_id.eq(Some(class)),
                ))
                .returning(e::id)
                .get_result(&mut conn)
                .unwrap()
        })
        .collect();
    Fixture {
        class,
        tutor,
        students,
        enrollments,
        curriculum,
    }
}

/// A session of the fixture's class starting at `at`, an hour long.
fn session_at(app: &TestApp, f: &Fixture, at: DateTime<Utc>, cancelled: bool) -> Uuid {
    diesel::insert_into(class_sessions::table)
        .values((
            class_sessions::program_id.eq(app.program_id("Swimming")),
            class_sessions::class_id.eq(f.class),
            class_sessions::tutor_id.eq(f.tutor),
            class_sessions::starts_at.eq(at),
            class_sessions::ends_at.eq(at + Duration::hours(1)),
            class_sessions::status.eq(if cancelled {
                academy_admin::classes::SessionStatus::Cancelled
            } else {
                academy_admin::classes::SessionStatus::Scheduled
            }),
            class_sessions::cancel_reason.eq(if cancelled { "Pool closed" } else { "" }),
        ))
        .returning(class_sessions::id)
        .get_result(&mut app.conn())
        .unwrap()
}

fn marks_of(app: &TestApp, session: Uuid) -> Vec<(Uuid, AttendanceMark)> {
    attendance::table
        .filter(attendance::session_id.eq(session))
        .order(attendance::enrollment_id)
        .select((attendance::enrollment_id, attendance::mark))
        .load(&mut app.conn())
        .unwrap()
}

fn progress_of(app: &TestApp, enrollment: Uuid) -> i32 {
    e::table
        .find(enrollment)
        .select(e::progress_percentage)
        .first(&mut app.conn())
        .unwrap()
}

async fn mark(
    client: &mut crate::support::Client,
    session: Uuid,
    enrollment: Uuid,
    mark: &str,
) -> crate::support::Page {
    let enrollment = enrollment.to_string();
    client
        .post(
            &format!("/sessions/{session}/attendance"),
            &[
                ("enrollment_id", enrollment.as_str()),
                ("mark", mark),
                ("note", ""),
            ],
        )
        .await
}

#[actix_web::test]
async fn a_tutor_marks_todays_session_one_tap_at_a_time_and_every_change_is_kept() {
    let app = spawn_app().await;
    let f = fixture(&app);
    let session = session_at(&app, &f, Utc::now() + Duration::minutes(10), false);
    let mut tutor = app.login("pool.tutor").await;
    let today = tutor.get("/today").await;
    assert_eq!(today.status, 200);
    assert!(
        today.body.contains("Poolside")
            && today
                .body
                .contains(&format!("mark-{session}-{}", f.enrollments[0]))
    );
    // One tap, over htmx: the row comes back with the mark chosen.
    let row = tutor
        .htmx_post(
            &format!("/sessions/{session}/attendance"),
            &[
                ("enrollment_id", &f.enrollments[0].to_string()),
                ("mark", "present"),
                ("note", ""),
            ],
            Some(app.program_id("Swimming")),
        )
        .await;
    assert_eq!(row.status, 200, "{}", row.body);
    assert!(row.body.starts_with("<li") && row.body.contains("mark present chosen"));
    // Changed to late, with a note; the others all present at once.
    assert_eq!(
        mark(&mut tutor, session, f.enrollments[0], "late")
            .await
            .status,
        303
    );
    let res = tutor
        .post(&format!("/sessions/{session}/attendance/all"), &[])
        .await;
    assert_eq!(res.status, 303);
    let mut expected: Vec<(Uuid, AttendanceMark)> = vec![
        (f.enrollments[0], AttendanceMark::Late),
        (f.enrollments[1], AttendanceMark::Present),
        (f.enrollments[2], AttendanceMark::Present),
    ];
    expected.sort();
    assert_eq!(marks_of(&app, session), expected, "one record per student");
    let changes: Vec<(Option<AttendanceMark>, AttendanceMark, Option<Uuid>)> =
        attendance_changes::table
            .filter(attendance_changes::enrollment_id.eq(f.enrollments[0]))
            .order(attendance_changes::created_at)
            .select((
                attendance_changes::from_mark,
                attendance_changes::to_mark,
                attendance_changes::changed_by,
            ))
            .load(&mut app.conn())
            .unwrap();
    assert_eq!(
        changes,
        vec![
            (None, AttendanceMark::Present, Some(f.tutor)),
            (
                Some(AttendanceMark::Present),
                AttendanceMark::Late,
                Some(f.tutor)
            ),
        ]
    );
    let taken: Option<DateTime<Utc>> = class_sessions::table
        .find(session)
        .select(class_sessions::attendance_taken_at)
        .first(&mut app.conn())
        .unwrap();
    assert!(taken.is_some(), "the session is marked taken");
}

#[actix_web::test]
async fn a_tutor_marks_from_thirty_minutes_before_to_seven_days_after_and_staff_at_any_time_never_a_cancelled_session(
) {
    let app = spawn_app().await;
    let f = fixture(&app);
    let later = session_at(&app, &f, Utc::now() + Duration::hours(2), false);
    let old = session_at(&app, &f, Utc::now() - Duration::days(8), false);
    let cancelled = session_at(&app, &f, Utc::now() - Duration::hours(3), true);
    let mut tutor = app.login("pool.tutor").await;
    tutor.get("/today").await;
    let before = app.fingerprint();
    let res = mark(&mut tutor, later, f.enrollments[0], "present").await;
    assert_eq!(res.status, 409);
    assert!(res
        .body
        .contains("Attendance opens 30 minutes before the session starts."));
    let res = mark(&mut tutor, old, f.enrollments[0], "present").await;
    assert_eq!(res.status, 409);
    assert!(res.body.contains("ask a coordinator"));
    let res = mark(&mut tutor, cancelled, f.enrollments[0], "present").await;
    assert_eq!(res.status, 409);
    assert_eq!(app.fingerprint(), before, "nothing saved");
    // A coordinator may, at any time; never for a cancelled session either.
    let mut coord = app.login("swim.coord").await;
    coord.get("/today").await;
    assert_eq!(
        mark(&mut coord, later, f.enrollments[0], "excused")
            .await
            .status,
        303
    );
    assert_eq!(
        mark(&mut coord, old, f.enrollments[1], "absent")
            .await
            .status,
        303
    );
    assert_eq!(
        mark(&mut coord, cancelled, f.enrollments[0], "present")
            .await
            .status,
        409
    );
    assert_eq!(marks_of(&app, cancelled), vec![]);
}

#[actix_web::test]
async fn nobody_marks_a_student_outside_the_class_another_tutors_session_or_another_programs() {
    let app = spawn_app().await;
    let f = fixture(&app);
    let session = session_at(&app, &f, Utc::now() + Duration::minutes(5), false);
    // An enrollment of the program in another class (or none): not on this roster.
    let stranger: Uuid = e::table
        .filter(e::program_id.eq(app.program_id("Swimming")))
        .filter(e::id.ne_all(&f.enrollments))
        .select(e::id)
        .first(&mut app.conn())
        .unwrap();
    let before = app.fingerprint();
    let mut coord = app.login("swim.coord").await;
    coord.get("/today").await;
    let res = mark(&mut coord, session, stranger, "present").await;
    assert_eq!(res.status, 409);
    assert!(res
        .body
        .contains("not enrolled in this class on the session"));
    // Another tutor of the program does not find the session; nor does another program.
    let mut other = app.login("swim.tutor").await;
    other.get("/today").await;
    assert_eq!(
        mark(&mut other, session, f.enrollments[0], "present")
            .await
            .status,
        404
    );
    let mut football = app.login("football.coord").await;
    football.get("/dashboard").await;
    let res = mark(&mut football, session, f.enrollments[0], "present").await;
    assert!(res.status == 404 || res.status == 403, "{}", res.status);
    assert!(!res.body.contains("Poolside"));
    assert_eq!(app.fingerprint(), before, "nothing changed");
}

#[actix_web::test]
async fn two_people_marking_the_same_student_at_once_leave_one_record() {
    let app = spawn_app().await;
    let f = fixture(&app);
    let session = session_at(&app, &f, Utc::now() + Duration::minutes(5), false);
    let mut coord = app.login("swim.coord").await;
    coord.get("/today").await;
    let mut admin = app.login("swim.admin").await;
    admin.get("/today").await;
    let enrollment = f.enrollments[0].to_string();
    let tap = |client: &crate::support::Client, mark: &'static str| {
        let mut client = client.clone();
        let enrollment = enrollment.clone();
        actix_web::rt::spawn(async move {
            client
                .post(
                    &format!("/sessions/{session}/attendance"),
                    &[("enrollment_id", enrollment.as_str()), ("mark", mark)],
                )
                .await
                .status
        })
    };
    let handles: Vec<_> = (0..6)
        .map(|i| {
            if i % 2 == 0 {
                tap(&coord, "present")
            } else {
                tap(&admin, "late")
            }
        })
        .collect();
    for h in handles {
        assert_eq!(h.await.unwrap(), 303);
    }
    assert_eq!(marks_of(&app, session).len(), 1, "one record");
}

#[actix_web::test]
async fn the_lessons_a_session_covered_credit_those_present_and_progress_follows_the_curriculum() {
    let app = spawn_app().await;
    let f = fixture(&app);
    let session = session_at(&app, &f, Utc::now() + Duration::minutes(5), false);
    let mut conn = app.conn();
    // The curriculum's lessons, durations made known: 30, 30, 60... (the rest as the demo has them).
    let all: Vec<(Uuid, i32)> = lessons::table
        .inner_join(modules::table.on(modules::id.eq(lessons::module_id)))
        .filter(modules::curriculum_id.eq(f.curriculum))
        .order((modules::sequence_order, lessons::sequence_order))
        .select((lessons::id, lessons::duration_minutes))
        .load(&mut conn)
        .unwrap();
    assert!(all.len() >= 2, "the demo curriculum has lessons");
    for (id, minutes) in &all {
        diesel::update(lessons::table.find(id))
            .set(lessons::duration_minutes.eq(if *minutes == 0 { 45 } else { *minutes }))
            .execute(&mut conn)
            .unwrap();
    }
    let all: Vec<(Uuid, i32)> = lessons::table
        .inner_join(modules::table.on(modules::id.eq(lessons::module_id)))
        .filter(modules::curriculum_id.eq(f.curriculum))
        .select((lessons::id, lessons::duration_minutes))
        .load(&mut conn)
        .unwrap();
    let total: i32 = all.iter().map(|l| l.1).sum();
    let two = &all[..2];
    let expected = (two.iter().map(|l| l.1).sum::<i32>() * 100) / total;
    let mut tutor = app.login("pool.tutor").await;
    tutor.get("/today").await;
    assert_eq!(
        mark(&mut tutor, session, f.enrollments[0], "present")
            .await
            .status,
        303
    );
    assert_eq!(
        mark(&mut tutor, session, f.enrollments[1], "late")
            .await
            .status,
        303
    );
    assert_eq!(
        mark(&mut tutor, session, f.enrollments[2], "absent")
            .await
            .status,
        303
    );
    let (a, b) = (two[0].0.to_string(), two[1].0.to_string());
    let res = tutor
        .post(
            &format!("/sessions/{session}/lessons"),
            &[("lesson_ids", a.as_str()), ("lesson_ids", b.as_str())],
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.body);
    assert_eq!(
        progress_of(&app, f.enrollments[0]),
        expected,
        "weighted by duration"
    );
    assert_eq!(
        progress_of(&app, f.enrollments[1]),
        expected,
        "late counts as there"
    );
    assert_eq!(progress_of(&app, f.enrollments[2]), 0, "absent: no credit");
    // Absent after all: the credit goes with the mark.
    assert_eq!(
        mark(&mut tutor, session, f.enrollments[1], "absent")
            .await
            .status,
        303
    );
    assert_eq!(progress_of(&app, f.enrollments[1]), 0);
    let credits: i64 = lesson_credits::table
        .filter(lesson_credits::enrollment_id.eq(f.enrollments[0]))
        .count()
        .get_result(&mut conn)
        .unwrap();
    assert_eq!(credits, 2);
    // A lesson that is not the curriculum's is refused, nothing changed.
    let before = app.fingerprint();
    let stranger = Uuid::new_v4().to_string();
    let res = tutor
        .post(
            &format!("/sessions/{session}/lessons"),
            &[("lesson_ids", stranger.as_str())],
        )
        .await;
    assert_eq!(res.status, 422);
    assert_eq!(app.fingerprint(), before);
    // A coordinator credits a makeup by hand, with the reason kept; progress moves.
    let mut coord = app.login("swim.coord").await;
    coord.get(&format!("/students/{}", f.students[2])).await;
    let res = coord
        .post(
            &format!("/enrollments/{}/lessons", f.enrollments[2]),
            &[
                ("lesson_id", a.as_str()),
                ("action", "credit"),
                ("reason", "Made up with the Sunday class"),
                ("return_to", "/today"),
            ],
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.body);
    assert_eq!(progress_of(&app, f.enrollments[2]), two[0].1 * 100 / total);
    // Without a reason: refused.
    let res = coord
        .post(
            &format!("/enrollments/{}/lessons", f.enrollments[2]),
            &[
                ("lesson_id", b.as_str()),
                ("action", "credit"),
                ("reason", " "),
            ],
        )
        .await;
    assert_eq!(res.status, 422);
    // A lesson deleted from the curriculum: the share of the rest is computed again.
    let module: Uuid = lessons::table
        .find(two[1].0)
        .select(lessons::module_id)
        .first(&mut conn)
        .unwrap();
    let course: Uuid = classes::table
        .find(f.class)
        .select(classes::course_id)
        .first(&mut conn)
        .unwrap();
    let mut admin = app.login("swim.admin").await;
    let page = admin.get(&format!("/courses/{course}")).await;
    let marker = format!("/lessons/{}/delete", two[1].0);
    if let Some(version) = page.hidden_after(&marker, "version") {
        let res = admin.post(&marker, &[("version", &version)]).await;
        assert_eq!(res.status, 303, "{}", res.body);
        let rest: i32 = total - two[1].1;
        assert_eq!(progress_of(&app, f.enrollments[0]), two[0].1 * 100 / rest);
    } else {
        panic!(
            "the course page offers deleting lesson {} of module {module}",
            two[1].0
        );
    }
}

#[actix_web::test]
async fn changing_a_class_keeps_the_sessions_whose_attendance_is_taken() {
    let app = spawn_app().await;
    let f = fixture(&app);
    let soon = session_at(&app, &f, Utc::now() + Duration::minutes(20), false);
    let mut coord = app.login("swim.coord").await;
    coord.get("/today").await;
    assert_eq!(
        mark(&mut coord, soon, f.enrollments[0], "present")
            .await
            .status,
        303
    );
    // Any edit that changes the times regenerates the sessions ahead.
    let page = coord.get(&format!("/classes/{}/edit", f.class)).await;
    let version = page.hidden("version").unwrap();
    let field = |name: &str| -> String {
        page.body
            .split(&format!("name=\"{name}\""))
            .nth(1)
            .and_then(|rest| rest.split("value=\"").nth(1))
            .and_then(|v| v.split('"').next())
            .unwrap_or_default()
            .to_string()
    };
    let c = tutored_configuration(&app);
    let (course, facility, tutor) = (c.0.to_string(), c.1.to_string(), f.tutor.to_string());
    let (start, end) = (field("start_date"), field("end_date"));
    let res = coord
        .post(
            &format!("/classes/{}/edit", f.class),
            &[
                ("course_id", course.as_str()),
                ("facility_id", facility.as_str()),
                ("tutor_id", tutor.as_str()),
                ("age_group", c.2.as_str()),
                ("location_type", c.3.as_str()),
                ("session_type", c.4.as_str()),
                ("name", "Poolside"),
                ("capacity", "5"),
                ("start_date", start.as_str()),
                ("end_date", end.as_str()),
                ("weekday_1", "7"),
                ("start_1", "06:00"),
                ("minutes_1", "45"),
                ("version", version.as_str()),
            ],
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.body);
    let kept: i64 = class_sessions::table
        .filter(class_sessions::id.eq(soon))
        .count()
        .get_result(&mut app.conn())
        .unwrap();
    assert_eq!(kept, 1, "the session with attendance stays");
    assert_eq!(marks_of(&app, soon).len(), 1);
}

#[actix_web::test]
async fn a_tutor_on_a_phone_marks_todays_session_ticks_two_lessons_and_the_progress_moves() {
    let app = spawn_app().await;
    let f = fixture(&app);
    let session = session_at(&app, &f, Utc::now() + Duration::minutes(10), false);
    let Some(browser) = crate::support::browser::start(&app.base).await else {
        return;
    };
    browser.set_width(390).await;
    browser.sign_in("pool.tutor").await;
    browser.wait_for_text("h1", "Today").await;
    browser
        .wait_for_text(&format!("#session-{session}"), "Poolside")
        .await;
    // One tap: the row comes back marked, without a page load.
    let row = format!("#mark-{session}-{}", f.enrollments[0]);
    browser.click(&format!("{row} button[value=present]")).await;
    browser
        .wait_for_text(&format!("{row} button.chosen"), "Present")
        .await;
    browser.screenshot("today-marking").await;
    browser
        .click(&format!(
            "#session-{session} form[action$='/attendance/all'] button"
        ))
        .await;
    browser
        .wait_for_text(".flash-region", "marked present")
        .await;
    assert_eq!(marks_of(&app, session).len(), 3);
    // Two lessons covered: everyone present is credited, and their progress moves.
    browser
        .click(&format!(
            "#session-{session} details.lessons-covered > summary"
        ))
        .await;
    let boxes = browser
        .client
        .find_all(fantoccini::Locator::Css(&format!(
            "#session-{session} input[name=lesson_ids]"
        )))
        .await
        .unwrap();
    assert!(boxes.len() >= 2);
    boxes[0].click().await.unwrap();
    boxes[1].click().await.unwrap();
    browser
        .click(&format!(
            "#session-{session} details.lessons-covered button.primary"
        ))
        .await;
    browser
        .wait_for_text(".flash-region", "2 lessons covered")
        .await;
    assert!(progress_of(&app, f.enrollments[0]) > 0);
    browser.screenshot("today-lessons-covered").await;
    browser.close().await;
}

/// A second class of the fixture's course and configuration, with `places` and no students, and
/// a session of it at `at`.
fn other_class_session(app: &TestApp, f: &Fixture, places: i32, at: DateTime<Utc>) -> Uuid {
    let original: (
        Uuid,
        Uuid,
        String,
        String,
        String,
        chrono::NaiveDate,
        chrono::NaiveDate,
    ) = classes::table
        .find(f.class)
        .select((
            classes::course_id,
            classes::facility_id,
            classes::age_group,
            classes::location_type,
            classes::session_type,
            classes::start_date,
            classes::end_date,
        ))
        .first(&mut app.conn())
        .unwrap();
    let class: Uuid = diesel::insert_into(classes::table)
        .values((
            classes::program_id.eq(app.program_id("Swimming")),
            classes::course_id.eq(original.0),
            classes::facility_id.eq(original.1),
            classes::tutor_id.eq(f.tutor),
            classes::age_group.eq(&original.2),
            classes::location_type.eq(&original.3),
            classes::session_type.eq(&original.4),
            classes::name.eq("Evening Swim"),
            classes::capacity.eq(places),
            classes::start_date.eq(original.5),
            classes::end_date.eq(original.6),
        ))
        .returning(classes::id)
        .get_result(&mut app.conn())
        .unwrap();
    let other = Fixture {
        class,
        tutor: f.tutor,
        students: Vec::new(),
        enrollments: Vec::new(),
        curriculum: f.curriculum,
    };
    session_at(app, &other, at, false)
}

#[actix_web::test]
async fn an_excused_absence_gets_a_makeup_in_another_class_with_a_free_place_counted_for_that_session(
) {
    use academy_admin::schema::across_programs::makeups;
    let app = spawn_app().await;
    let f = fixture(&app);
    let missed = session_at(&app, &f, Utc::now() - Duration::hours(3), false);
    let later = Utc::now() + Duration::days(1);
    let makeup = other_class_session(&app, &f, 1, later);
    let mut coord = app.login("swim.coord").await;
    coord.get("/today").await;
    assert_eq!(
        mark(&mut coord, missed, f.enrollments[0], "excused")
            .await
            .status,
        303
    );
    assert_eq!(
        mark(&mut coord, missed, f.enrollments[1], "excused")
            .await
            .status,
        303
    );
    assert_eq!(
        mark(&mut coord, missed, f.enrollments[2], "present")
            .await
            .status,
        303
    );
    let ask = |e: Uuid| format!("/makeups/new?enrollment_id={e}&missed_session_id={missed}");
    let page = coord.get(&ask(f.enrollments[0])).await;
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("Evening Swim") && page.body.contains("1 place free"),
        "{}",
        page.body
    );
    let book = |e: Uuid| {
        vec![
            ("enrollment_id", e.to_string()),
            ("missed_session_id", missed.to_string()),
            ("session_id", makeup.to_string()),
        ]
    };
    let fields = book(f.enrollments[0]);
    let borrowed: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let res = coord.post("/makeups", &borrowed).await;
    assert_eq!(res.status, 303, "{}", res.body);
    // The makeup is on that session's roster, and is marked like anyone else.
    let day = later.with_timezone(&chrono_tz::Africa::Lagos).date_naive();
    let roster = coord.get(&format!("/today?day={day}")).await;
    let row = roster
        .body
        .split(&format!("mark-{makeup}-{}", f.enrollments[0]))
        .nth(1)
        .unwrap();
    assert!(row.contains("Makeup"));
    assert_eq!(
        mark(&mut coord, makeup, f.enrollments[0], "present")
            .await
            .status,
        303
    );
    // The one place is taken for that session: the second excused student is refused.
    let before = app.fingerprint();
    let fields = book(f.enrollments[1]);
    let borrowed: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let res = coord.post("/makeups", &borrowed).await;
    assert_eq!(res.status, 422);
    assert!(
        res.body
            .contains("has no free place in that session any more"),
        "{}",
        res.body
    );
    // Present, not excused: no makeup; a tutor books none.
    assert_eq!(coord.get(&ask(f.enrollments[2])).await.status, 409);
    let mut tutor = app.login("pool.tutor").await;
    assert_eq!(tutor.get(&ask(f.enrollments[1])).await.status, 403);
    assert_eq!(app.fingerprint(), before, "nothing changed");
    let booked: i64 = makeups::table.count().get_result(&mut app.conn()).unwrap();
    assert_eq!(booked, 1);
}

#[actix_web::test]
async fn a_classs_term_shows_as_a_grid_of_marks_with_rates_and_exports_as_csv_to_staff_only() {
    let app = spawn_app().await;
    let f = fixture(&app);
    let first = session_at(&app, &f, Utc::now() - Duration::days(2), false);
    let second = session_at(&app, &f, Utc::now() - Duration::hours(2), false);
    let mut coord = app.login("swim.coord").await;
    coord.get("/today").await;
    assert_eq!(
        mark(&mut coord, first, f.enrollments[0], "present")
            .await
            .status,
        303
    );
    assert_eq!(
        mark(&mut coord, second, f.enrollments[0], "absent")
            .await
            .status,
        303
    );
    assert_eq!(
        mark(&mut coord, first, f.enrollments[1], "late")
            .await
            .status,
        303
    );
    let grid = coord.get(&format!("/classes/{}/attendance", f.class)).await;
    assert_eq!(grid.status, 200);
    // A row is found by the student's code: siblings share a last name.
    let row = |student: Uuid| -> String {
        use academy_admin::schema::across_programs::students;
        let code: String = students::table
            .find(student)
            .select(students::student_id)
            .first(&mut app.conn())
            .unwrap();
        grid.body
            .split(&format!("<code class=\"muted\">{code}</code></th>"))
            .nth(1)
            .unwrap()
            .split("</tr>")
            .next()
            .unwrap()
            .to_string()
    };
    let first_row = row(f.students[0]);
    assert!(
        first_row.contains(">P</td>")
            && first_row.contains(">A</td>")
            && first_row.contains(">50%</td>"),
        "{first_row}"
    );
    assert!(row(f.students[1]).contains(">100%</td>"));
    assert!(row(f.students[2]).contains(">—</td>"), "no mark yet");
    // The dashboard: this term's rate of the course (two of three marks attended).
    let course: String = {
        use academy_admin::schema::across_programs::courses;
        classes::table
            .inner_join(courses::table.on(courses::id.eq(classes::course_id)))
            .filter(classes::id.eq(f.class))
            .select(courses::name)
            .first(&mut app.conn())
            .unwrap()
    };
    let board = coord.get("/dashboard").await;
    let section = board.body.split("Attendance by course").nth(1).unwrap();
    let line = section.split(&format!("<td>{course}</td>")).nth(1).unwrap();
    assert!(
        line.split("</tr>")
            .next()
            .unwrap()
            .ends_with("<td class=\"number\">66%</td>"),
        "{line}"
    );
    let csv = coord
        .get(&format!("/classes/{}/attendance.csv", f.class))
        .await;
    assert_eq!(csv.status, 200);
    assert!(
        csv.body.contains(",present,")
            && csv.body.contains(",absent,")
            && csv.body.contains(",late,")
    );
    // The class's tutor reads it; another tutor and another program do not; tutors export nothing.
    let mut tutor = app.login("pool.tutor").await;
    assert_eq!(
        tutor
            .get(&format!("/classes/{}/attendance", f.class))
            .await
            .status,
        200
    );
    assert_eq!(
        tutor
            .get(&format!("/classes/{}/attendance.csv", f.class))
            .await
            .status,
        403
    );
    let mut other = app.login("swim.tutor").await;
    assert_eq!(
        other
            .get(&format!("/classes/{}/attendance", f.class))
            .await
            .status,
        404
    );
    let mut football = app.login("football.coord").await;
    let res = football
        .get(&format!("/classes/{}/attendance.csv", f.class))
        .await;
    assert!(res.status == 404 || res.status == 403);
    assert!(!res.body.contains("Poolside"));
}

#[actix_web::test]
async fn the_students_absent_from_their_last_sessions_are_listed_to_call_and_rates_show_on_their_page(
) {
    let app = spawn_app().await;
    let f = fixture(&app);
    let sessions: Vec<Uuid> = (1..=3)
        .map(|d| session_at(&app, &f, Utc::now() - Duration::days(d), false))
        .collect();
    let mut coord = app.login("swim.coord").await;
    coord.get("/today").await;
    for s in &sessions {
        assert_eq!(
            mark(&mut coord, *s, f.enrollments[0], "absent")
                .await
                .status,
            303
        );
        assert_eq!(
            mark(&mut coord, *s, f.enrollments[1], "present")
                .await
                .status,
            303
        );
    }
    // The second student missed only the last one.
    assert_eq!(
        mark(&mut coord, sessions[0], f.enrollments[2], "absent")
            .await
            .status,
        303
    );
    let name = |id: Uuid| -> String {
        use academy_admin::schema::across_programs::students;
        students::table
            .find(id)
            .select(students::first_name.concat(" ").concat(students::last_name))
            .first(&mut app.conn())
            .unwrap()
    };
    let page = coord.get("/attendance/absent").await;
    assert_eq!(page.status, 200);
    let link = |id: Uuid| format!("/students/{id}\"");
    assert!(page.body.contains(&link(f.students[0])), "{}", page.body);
    assert!(!page.body.contains(&link(f.students[1])) && !page.body.contains(&link(f.students[2])));
    let one = coord.get("/attendance/absent?n=1").await;
    assert!(one.body.contains(&link(f.students[0])) && one.body.contains(&link(f.students[2])));
    // The student's page: attended 3 of 3.
    let student = coord.get(&format!("/students/{}", f.students[1])).await;
    assert!(student.body.contains("Attended 3 of 3 (100%)"));
    // Tutors do not get the list; other programs see nobody of this one.
    let mut tutor = app.login("pool.tutor").await;
    assert_eq!(tutor.get("/attendance/absent").await.status, 403);
    let mut football = app.login("football.coord").await;
    let other = football.get("/attendance/absent").await;
    assert_eq!(other.status, 200);
    assert!(!other.body.contains(&link(f.students[0])));
    assert!(!other.body.contains(&name(f.students[0])));
}

#[actix_web::test]
async fn a_coordinator_marks_a_student_excused_and_books_their_makeup_in_the_browser() {
    let app = spawn_app().await;
    let f = fixture(&app);
    let missed = session_at(&app, &f, Utc::now() + Duration::minutes(15), false);
    let makeup = other_class_session(&app, &f, 4, Utc::now() + Duration::days(2));
    let Some(browser) = crate::support::browser::start(&app.base).await else {
        return;
    };
    browser.sign_in("swim.coord").await;
    browser.open("/today").await;
    let row = format!("#mark-{missed}-{}", f.enrollments[0]);
    browser.click(&format!("{row} button[value=excused]")).await;
    browser
        .wait_for_text(&format!("{row} a.button"), "Book a makeup")
        .await;
    browser.click(&format!("{row} a.button")).await;
    browser.wait_for_text("h1", "Book a makeup").await;
    browser.wait_for_text("main", "Evening Swim").await;
    browser
        .click(&format!("input[name=session_id][value='{makeup}']"))
        .await;
    browser.screenshot("makeup-booking").await;
    browser
        .click("form[action='/makeups'] button.primary")
        .await;
    browser
        .wait_for_text(".flash-region", "Makeup booked in Evening Swim")
        .await;
    let booked: i64 = {
        use academy_admin::schema::across_programs::makeups;
        makeups::table
            .filter(makeups::session_id.eq(makeup))
            .filter(makeups::enrollment_id.eq(f.enrollments[0]))
            .count()
            .get_result(&mut app.conn())
            .unwrap()
    };
    assert_eq!(booked, 1);
    browser.close().await;
}

#[actix_web::test]
async fn a_lesson_added_to_the_curriculum_later_lowers_the_share_each_credit_is() {
    let app = spawn_app().await;
    let f = fixture(&app);
    let all: Vec<(Uuid, Uuid)> = lessons::table
        .inner_join(modules::table.on(modules::id.eq(lessons::module_id)))
        .filter(modules::curriculum_id.eq(f.curriculum))
        .select((lessons::id, lessons::module_id))
        .load(&mut app.conn())
        .unwrap();
    // Every lesson the same length, so the share is a count.
    diesel::update(lessons::table.filter(lessons::id.eq_any(all.iter().map(|l| l.0))))
        .set(lessons::duration_minutes.eq(30))
        .execute(&mut app.conn())
        .unwrap();
    let mut coord = app.login("swim.coord").await;
    coord.get(&format!("/students/{}", f.students[0])).await;
    let lesson = all[0].0.to_string();
    let res = coord
        .post(
            &format!("/enrollments/{}/lessons", f.enrollments[0]),
            &[
                ("lesson_id", lesson.as_str()),
                ("action", "credit"),
                ("reason", "Assessed at the trial"),
            ],
        )
        .await;
    assert_eq!(res.status, 303);
    let n = all.len() as i32;
    assert_eq!(progress_of(&app, f.enrollments[0]), 100 / n);
    let mut admin = app.login("swim.admin").await;
    admin
        .get(&format!("/modules/{}/lessons/new", all[0].1))
        .await;
    let res = admin
        .post(
            &format!("/modules/{}/lessons", all[0].1),
            &[
                ("name", "Treading water"),
                ("content", ""),
                ("duration_minutes", "30"),
            ],
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.body);
    assert_eq!(progress_of(&app, f.enrollments[0]), 100 / (n + 1));
}

#[actix_web::test]
async fn a_substitute_sees_the_session_they_cover_and_a_paused_student_is_listed_as_paused() {
    use academy_admin::enrollments::EnrollmentStatus;
    let app = spawn_app().await;
    let f = fixture(&app);
    let at = Utc::now() + Duration::hours(3);
    let session = session_at(&app, &f, at, false);
    // The demo's swim.tutor covers it (their own demo sessions at that hour, if any, are
    // cancelled first: a tutor is never in two sessions at once); one student is paused.
    diesel::sql_query(format!(
        "UPDATE class_sessions o SET status = 'cancelled', cancel_reason = 'test'
           FROM class_sessions s
          WHERE s.id = '{session}' AND o.tutor_id = (SELECT id FROM users WHERE username = 'swim.tutor')
            AND o.status = 'scheduled' AND tstzrange(o.starts_at, o.ends_at) && tstzrange(s.starts_at, s.ends_at)"
    ))
    .execute(&mut app.conn())
    .unwrap();
    diesel::update(class_sessions::table.find(session))
        .set((
            class_sessions::tutor_id.eq(app.user_id("swim.tutor")),
            class_sessions::substitute.eq(true),
        ))
        .execute(&mut app.conn())
        .unwrap();
    diesel::update(e::table.find(f.enrollments[2]))
        .set(e::status.eq(EnrollmentStatus::Paused))
        .execute(&mut app.conn())
        .unwrap();
    let day = at.with_timezone(&chrono_tz::Africa::Lagos).date_naive();
    let mut substitute = app.login("swim.tutor").await;
    let page = substitute.get(&format!("/today?day={day}")).await;
    assert!(
        page.body.contains(&format!("id=\"session-{session}\"")),
        "{}",
        page.body
    );
    assert!(page.body.contains("(substitute)"));
    let row = page
        .body
        .split(&format!("mark-{session}-{}", f.enrollments[2]))
        .nth(1)
        .unwrap();
    assert!(row.split("</li>").next().unwrap().contains("Paused"));
    // The class's own tutor no longer has it.
    let mut own = app.login("pool.tutor").await;
    let theirs = own.get(&format!("/today?day={day}")).await;
    assert!(!theirs.body.contains(&format!("id=\"session-{session}\"")));
}

#[actix_web::test]
async fn at_every_lesson_credited_the_students_page_suggests_completing_and_staff_decide() {
    let app = spawn_app().await;
    let f = fixture(&app);
    let all: Vec<Uuid> = lessons::table
        .inner_join(modules::table.on(modules::id.eq(lessons::module_id)))
        .filter(modules::curriculum_id.eq(f.curriculum))
        .select(lessons::id)
        .load(&mut app.conn())
        .unwrap();
    let mut coord = app.login("swim.coord").await;
    let page = coord.get(&format!("/students/{}", f.students[0])).await;
    assert!(page.body.contains(&format!("0 of {} lessons", all.len())));
    for lesson in &all {
        let lesson = lesson.to_string();
        let res = coord
            .post(
                &format!("/enrollments/{}/lessons", f.enrollments[0]),
                &[
                    ("lesson_id", lesson.as_str()),
                    ("action", "credit"),
                    ("reason", "Transferred from another academy"),
                ],
            )
            .await;
        assert_eq!(res.status, 303);
    }
    assert_eq!(progress_of(&app, f.enrollments[0]), 100);
    let page = coord.get(&format!("/students/{}", f.students[0])).await;
    assert!(page
        .body
        .contains("every lesson done: complete the enrollment?"));
    let status: academy_admin::enrollments::EnrollmentStatus = e::table
        .find(f.enrollments[0])
        .select(e::status)
        .first(&mut app.conn())
        .unwrap();
    assert_eq!(
        status,
        academy_admin::enrollments::EnrollmentStatus::Active,
        "only staff complete"
    );
}
