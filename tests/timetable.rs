//! The timetable: classes and their generated sessions, closures, clashes, one session changed
//! alone, regeneration that keeps the past, and the database's own refusals.

use academy_admin::{
    classes::SessionStatus,
    schema::across_programs::{
        class_sessions, classes, course_tutors, courses, facilities, facility_course_pricing as p,
    },
};
use chrono::{Datelike, Duration, NaiveDate, Utc};
use diesel::{prelude::*, sql_query};
use uuid::Uuid;

use crate::support::{spawn_app, TestApp};

/// A Swimming configuration `swim.tutor` may teach, priced at a facility: (course, facility,
/// age group, location, session type). Ordered by names, so every run picks the same one.
pub(crate) fn tutored_configuration(app: &TestApp) -> (Uuid, Uuid, String, String, String) {
    let tutor = app.user_id("swim.tutor");
    p::table
        .inner_join(courses::table.on(courses::id.eq(p::course_id)))
        .inner_join(course_tutors::table.on(course_tutors::course_id.eq(p::course_id)))
        .inner_join(facilities::table.on(facilities::id.eq(p::facility_id)))
        .filter(course_tutors::user_id.eq(tutor))
        .filter(p::program_id.eq(app.program_id("Swimming")))
        .filter(p::is_active.eq(true))
        .filter(p::effective_date.le(Utc::now().date_naive()))
        .order((
            courses::name,
            facilities::name,
            p::age_group,
            p::session_type,
        ))
        .select((
            p::course_id,
            p::facility_id,
            p::age_group,
            p::location_type,
            p::session_type,
        ))
        .first(&mut app.conn())
        .unwrap()
}

/// A Monday well after today and outside the demo's Christmas break.
fn a_future_monday() -> NaiveDate {
    let mut day = Utc::now().date_naive() + Duration::weeks(60);
    while day.weekday().num_days_from_monday() != 0 || day.month() == 12 || day.month() == 1 {
        day += Duration::days(1);
    }
    day
}

fn class_form<'a>(
    c: &'a (Uuid, Uuid, String, String, String),
    ids: &'a (String, String, String),
    name: &'a str,
    dates: &'a (String, String),
    weekday: &'a str,
    start: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("course_id", ids.0.as_str()),
        ("facility_id", ids.1.as_str()),
        ("tutor_id", ids.2.as_str()),
        ("age_group", c.2.as_str()),
        ("location_type", c.3.as_str()),
        ("session_type", c.4.as_str()),
        ("name", name),
        ("capacity", ""),
        ("start_date", dates.0.as_str()),
        ("end_date", dates.1.as_str()),
        ("weekday_1", weekday),
        ("start_1", start),
        ("minutes_1", "60"),
    ]
}

fn class_named(app: &TestApp, name: &str) -> Option<Uuid> {
    classes::table
        .filter(classes::name.eq(name))
        .select(classes::id)
        .first(&mut app.conn())
        .optional()
        .unwrap()
}

fn sessions_of(app: &TestApp, class: Uuid) -> Vec<(chrono::DateTime<Utc>, SessionStatus)> {
    class_sessions::table
        .filter(class_sessions::class_id.eq(class))
        .order(class_sessions::starts_at)
        .select((class_sessions::starts_at, class_sessions::status))
        .load(&mut app.conn())
        .unwrap()
}

#[actix_web::test]
async fn a_coordinator_creates_a_class_whose_weekly_sessions_skip_the_programs_closures() {
    let app = spawn_app().await;
    let mut coord = app.login("swim.coord").await;
    let monday = a_future_monday();
    // A closure on the third Saturday of the term.
    coord.get("/closures").await;
    let third_saturday = monday + Duration::days(19);
    let closure_day = third_saturday.to_string();
    let res = coord
        .post(
            "/closures",
            &[
                ("name", "Inter-house gala"),
                ("start_date", &closure_day),
                ("end_date", ""),
            ],
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.body);
    let c = tutored_configuration(&app);
    let ids = (
        c.0.to_string(),
        c.1.to_string(),
        app.user_id("swim.tutor").to_string(),
    );
    let dates = (
        monday.to_string(),
        (monday + Duration::weeks(6) - Duration::days(1)).to_string(),
    );
    coord.get(&format!("/classes/new?course_id={}", c.0)).await;
    let res = coord
        .post(
            "/classes",
            &class_form(&c, &ids, "Barracudas", &dates, "6", "09:00"),
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.body);
    let class = class_named(&app, "Barracudas").expect("the class is saved");
    let sessions = sessions_of(&app, class);
    assert_eq!(sessions.len(), 5, "six Saturdays but the closed one");
    let zone = chrono_tz::Africa::Lagos;
    for (at, status) in &sessions {
        let local = at.with_timezone(&zone);
        assert_eq!(local.format("%a %H:%M").to_string(), "Sat 09:00");
        assert_ne!(local.date_naive(), third_saturday);
        assert_eq!(*status, SessionStatus::Scheduled);
    }
    let page = coord.get(&format!("/classes/{class}")).await;
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("Barracudas · Sat 09:00 ·"),
        "the class is named with its time and facility"
    );
    let week = coord
        .get(&format!("/calendar?week={monday}&class_id={class}"))
        .await;
    assert!(
        week.body.contains("Barracudas"),
        "the week shows the session"
    );
    let list = coord.get("/classes").await;
    assert!(list.body.contains("Barracudas"));
}

#[actix_web::test]
async fn a_tutor_booked_twice_at_once_is_refused_with_the_other_class_named_and_nothing_saved() {
    let app = spawn_app().await;
    let mut coord = app.login("swim.coord").await;
    let monday = a_future_monday();
    let c = tutored_configuration(&app);
    let ids = (
        c.0.to_string(),
        c.1.to_string(),
        app.user_id("swim.tutor").to_string(),
    );
    let dates = (
        monday.to_string(),
        (monday + Duration::weeks(4)).to_string(),
    );
    coord.get("/classes/new").await;
    let res = coord
        .post(
            "/classes",
            &class_form(&c, &ids, "Morning A", &dates, "2", "10:00"),
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.body);
    let before = app.fingerprint();
    coord.get("/classes/new").await;
    let res = coord
        .post(
            "/classes",
            &class_form(&c, &ids, "Morning B", &dates, "2", "10:30"),
        )
        .await;
    assert_eq!(res.status, 422);
    assert!(
        res.body.contains("already teaches Morning A"),
        "{}",
        res.body
    );
    assert!(
        res.body.contains("value=\"Morning B\""),
        "the form keeps what was typed"
    );
    assert_eq!(app.fingerprint(), before, "nothing was saved");
}

#[actix_web::test]
async fn one_session_is_cancelled_moved_or_given_a_substitute_without_touching_the_others() {
    let app = spawn_app().await;
    let mut coord = app.login("swim.coord").await;
    let monday = a_future_monday();
    let c = tutored_configuration(&app);
    let ids = (
        c.0.to_string(),
        c.1.to_string(),
        app.user_id("swim.tutor").to_string(),
    );
    let dates = (
        monday.to_string(),
        (monday + Duration::weeks(3) - Duration::days(1)).to_string(),
    );
    coord.get("/classes/new").await;
    coord
        .post(
            "/classes",
            &class_form(&c, &ids, "Tuesday Squad", &dates, "2", "16:00"),
        )
        .await;
    let class = class_named(&app, "Tuesday Squad").unwrap();
    let ids_of: Vec<Uuid> = class_sessions::table
        .filter(class_sessions::class_id.eq(class))
        .order(class_sessions::starts_at)
        .select(class_sessions::id)
        .load(&mut app.conn())
        .unwrap();
    assert_eq!(ids_of.len(), 3);
    // Cancel the first: a reason is required.
    let first = ids_of[0];
    coord.get(&format!("/sessions/{first}")).await;
    let version = app.version_of("class_sessions", first);
    let res = coord
        .post(
            &format!("/sessions/{first}/cancel"),
            &[("reason", " "), ("version", &version)],
        )
        .await;
    assert_eq!(res.status, 422);
    let res = coord
        .post(
            &format!("/sessions/{first}/cancel"),
            &[("reason", "Pool maintenance"), ("version", &version)],
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.body);
    // Move the second to the Thursday at 17:00.
    let second = ids_of[1];
    let thursday = (monday + Duration::days(10)).to_string();
    let version = app.version_of("class_sessions", second);
    coord.get(&format!("/sessions/{second}")).await;
    let res = coord
        .post(
            &format!("/sessions/{second}/move"),
            &[
                ("date", &thursday),
                ("start", "17:00"),
                ("minutes", "45"),
                ("version", &version),
            ],
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.body);
    let sessions = sessions_of(&app, class);
    let zone = chrono_tz::Africa::Lagos;
    assert_eq!(sessions[0].1, SessionStatus::Cancelled);
    assert_eq!(
        sessions[1]
            .0
            .with_timezone(&zone)
            .format("%a %H:%M")
            .to_string(),
        "Thu 17:00"
    );
    assert_eq!(
        sessions[2]
            .0
            .with_timezone(&zone)
            .format("%a %H:%M")
            .to_string(),
        "Tue 16:00",
        "the third is untouched"
    );
    // A substitute: another tutor of the program, made one here.
    let sub = create_tutor(&app, "swim.sub");
    let third = ids_of[2];
    let version = app.version_of("class_sessions", third);
    let res = coord
        .post(
            &format!("/sessions/{third}/substitute"),
            &[("tutor_id", &sub.to_string()), ("version", &version)],
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.body);
    let (tutor, substitute): (Uuid, bool) = class_sessions::table
        .find(third)
        .select((class_sessions::tutor_id, class_sessions::substitute))
        .first(&mut app.conn())
        .unwrap();
    assert_eq!((tutor, substitute), (sub, true));
}

fn create_tutor(app: &TestApp, username: &str) -> Uuid {
    let mut conn = app.conn();
    let id: Uuid = academy_admin::users::insert(
        &mut conn,
        username,
        &format!("{username}@academy.example"),
        "x",
        academy_admin::access::Role::Tutor,
    )
    .unwrap();
    sql_query(format!(
        "INSERT INTO user_program_assignments (user_id, program_id) VALUES ('{id}', '{}')",
        app.program_id("Swimming")
    ))
    .execute(&mut conn)
    .unwrap();
    id
}

#[actix_web::test]
async fn changing_the_times_remakes_only_the_sessions_still_ahead() {
    let app = spawn_app().await;
    let mut coord = app.login("swim.coord").await;
    let monday = a_future_monday();
    let c = tutored_configuration(&app);
    let ids = (
        c.0.to_string(),
        c.1.to_string(),
        app.user_id("swim.tutor").to_string(),
    );
    let dates = (
        monday.to_string(),
        (monday + Duration::weeks(4) - Duration::days(1)).to_string(),
    );
    coord.get("/classes/new").await;
    coord
        .post(
            "/classes",
            &class_form(&c, &ids, "Pattern", &dates, "3", "08:00"),
        )
        .await;
    let class = class_named(&app, "Pattern").unwrap();
    // The first session already happened (made past by hand: the clock cannot be moved), at
    // 03:00 two days ago, when no demo session of the tutor's can clash with it.
    let first: Uuid = class_sessions::table
        .filter(class_sessions::class_id.eq(class))
        .order(class_sessions::starts_at)
        .select(class_sessions::id)
        .first(&mut app.conn())
        .unwrap();
    sql_query(format!(
        "UPDATE class_sessions SET starts_at = date_trunc('day', now()) - interval '2 days' + interval '2 hours',
                ends_at = date_trunc('day', now()) - interval '2 days' + interval '3 hours' WHERE id = '{first}'"
    ))
    .execute(&mut app.conn())
    .unwrap();
    coord.get(&format!("/classes/{class}/edit")).await;
    let version = app.version_of("classes", class);
    let mut form = class_form(&c, &ids, "Pattern", &dates, "5", "15:00");
    form.push(("version", version.as_str()));
    let res = coord.post(&format!("/classes/{class}/edit"), &form).await;
    assert_eq!(res.status, 303, "{}", res.body);
    let sessions: Vec<(Uuid, chrono::DateTime<Utc>)> = class_sessions::table
        .filter(class_sessions::class_id.eq(class))
        .order(class_sessions::starts_at)
        .select((class_sessions::id, class_sessions::starts_at))
        .load(&mut app.conn())
        .unwrap();
    assert_eq!(sessions[0].0, first, "the past session stays");
    let zone = chrono_tz::Africa::Lagos;
    let future: Vec<String> = sessions[1..]
        .iter()
        .map(|(_, at)| at.with_timezone(&zone).format("%a %H:%M").to_string())
        .collect();
    assert_eq!(
        future,
        vec!["Fri 15:00"; 4],
        "the sessions ahead follow the new pattern"
    );
}

#[actix_web::test]
async fn the_database_refuses_a_class_across_programs_an_unassigned_tutor_and_an_enrollment_unlike_its_class(
) {
    let app = spawn_app().await;
    let mut conn = app.conn();
    let c = tutored_configuration(&app);
    let swimming = app.program_id("Swimming");
    let football_facility = app.football_id_for("facility_id");
    let insert = |facility: Uuid, tutor: Uuid| {
        format!(
            "INSERT INTO classes (program_id, course_id, facility_id, tutor_id, age_group, location_type, session_type, name, capacity, start_date, end_date)
             VALUES ('{swimming}', '{}', '{facility}', '{tutor}', '{}', '{}', '{}', 'Sneaky', 5, '2030-01-07', '2030-03-01')",
            c.0, c.2, c.3, c.4
        )
    };
    let tutor = app.user_id("swim.tutor");
    assert!(
        sql_query(insert(football_facility, tutor))
            .execute(&mut conn)
            .is_err(),
        "a facility of another program"
    );
    assert!(
        sql_query(insert(c.1, app.user_id("swim.coord")))
            .execute(&mut conn)
            .is_err(),
        "a tutor not assigned to the course"
    );
    sql_query(insert(c.1, tutor)).execute(&mut conn).unwrap();
    let class = class_named(&app, "Sneaky").unwrap();
    // An enrollment of the class must have its course, facility and configuration.
    let other_facility: Uuid = academy_admin::schema::across_programs::facilities::table
        .filter(academy_admin::schema::across_programs::facilities::program_id.eq(swimming))
        .filter(academy_admin::schema::across_programs::facilities::id.ne(c.1))
        .select(academy_admin::schema::across_programs::facilities::id)
        .first(&mut conn)
        .unwrap();
    let moved = sql_query(format!(
        "UPDATE course_enrollments SET class_id = '{class}' WHERE id = (SELECT id FROM course_enrollments WHERE program_id = '{swimming}' AND facility_id = '{other_facility}' LIMIT 1)"
    ))
    .execute(&mut conn);
    assert!(
        moved.is_err(),
        "the composite key refuses an enrollment unlike its class"
    );
}

/// `n` active Swimming students with no running or waitlisted enrollment in the course at the facility.
pub(crate) fn free_students(app: &TestApp, course: Uuid, facility: Uuid, n: usize) -> Vec<Uuid> {
    #[derive(QueryableByName)]
    struct Id {
        #[diesel(sql_type = diesel::sql_types::Uuid)]
        id: Uuid,
    }
    sql_query(format!(
        "SELECT s.id FROM students s WHERE s.program_id = '{}' AND s.status = 'active'
           AND NOT EXISTS (SELECT 1 FROM course_enrollments e WHERE e.student_id = s.id AND e.course_id = '{course}'
                             AND e.facility_id = '{facility}' AND e.status IN ('active', 'paused', 'waitlisted'))
         ORDER BY s.student_id LIMIT {n}",
        app.program_id("Swimming")
    ))
    .load::<Id>(&mut app.conn())
    .unwrap()
    .into_iter()
    .map(|r| r.id)
    .collect()
}

fn running_in(app: &TestApp, class: Uuid) -> i64 {
    use academy_admin::{
        enrollments::EnrollmentStatus, schema::across_programs::course_enrollments as e,
    };
    e::table
        .filter(e::class_id.eq(class))
        .filter(e::status.eq_any([EnrollmentStatus::Active, EnrollmentStatus::Paused]))
        .count()
        .get_result(&mut app.conn())
        .unwrap()
}

#[actix_web::test]
async fn thirty_parallel_enrollments_into_five_places_leave_exactly_five_running_and_the_waitlist_is_served_in_order(
) {
    let app = spawn_app().await;
    let mut coord = app.login("swim.coord").await;
    let monday = a_future_monday();
    let c = tutored_configuration(&app);
    let ids = (
        c.0.to_string(),
        c.1.to_string(),
        app.user_id("swim.tutor").to_string(),
    );
    let dates = (
        monday.to_string(),
        (monday + Duration::weeks(8)).to_string(),
    );
    let mut form = class_form(&c, &ids, "Five Places", &dates, "4", "07:00");
    form.retain(|(k, _)| *k != "capacity");
    form.push(("capacity", "5"));
    coord.get("/classes/new").await;
    let res = coord.post("/classes", &form).await;
    assert_eq!(res.status, 303, "{}", res.body);
    let class = class_named(&app, "Five Places").unwrap();
    let class_id = class.to_string();
    let students = free_students(&app, c.0, c.1, 33);
    assert_eq!(students.len(), 33, "the demo has students enough");
    let today = Utc::now()
        .with_timezone(&chrono_tz::Africa::Lagos)
        .date_naive()
        .to_string();
    coord.get("/enrollments/new").await;
    let post = |client: &crate::support::Client, student: Uuid, waitlist: bool| {
        let mut client = client.clone();
        let (c, class_id, today) = (c.clone(), class_id.clone(), today.clone());
        actix_web::rt::spawn(async move {
            let (student, course, facility) =
                (student.to_string(), c.0.to_string(), c.1.to_string());
            let mut fields = vec![
                ("student_id", student.as_str()),
                ("course_id", course.as_str()),
                ("facility_id", facility.as_str()),
                ("age_group", c.2.as_str()),
                ("location_type", c.3.as_str()),
                ("session_type", c.4.as_str()),
                ("enrollment_date", today.as_str()),
                ("class_id", class_id.as_str()),
            ];
            if waitlist {
                fields.push(("waitlist", "yes"));
            }
            client.post("/enrollments", &fields).await.status
        })
    };
    let handles: Vec<_> = students[..30]
        .iter()
        .map(|s| post(&coord, *s, false))
        .collect();
    let mut statuses = Vec::new();
    for h in handles {
        statuses.push(h.await.unwrap());
    }
    assert_eq!(
        statuses.iter().filter(|s| **s == 303).count(),
        5,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 422).count(),
        25,
        "{statuses:?}"
    );
    assert_eq!(running_in(&app, class), 5, "never six");
    // A full class offers its waitlist; three join it, in this order.
    for s in &students[30..33] {
        assert_eq!(post(&coord, *s, true).await.unwrap(), 303);
    }
    let page = coord.get(&format!("/classes/{class}")).await;
    assert!(page.body.contains("5 / 5") && !page.body.contains("Nobody is waiting"));
    assert!(
        !page.body.contains("Offer the place"),
        "no place is free yet"
    );
    // One running student withdraws: a place is free, offered to the first in line only.
    use academy_admin::{
        enrollments::EnrollmentStatus, schema::across_programs::course_enrollments as e,
    };
    let enrolled: Uuid = e::table
        .filter(e::class_id.eq(class))
        .filter(e::status.eq(EnrollmentStatus::Active))
        .select(e::id)
        .first(&mut app.conn())
        .unwrap();
    let res = coord
        .post(
            &format!("/enrollments/{enrolled}/status"),
            &[
                ("action", "withdraw"),
                ("reason", "Moved away"),
                ("return_to", "/classes"),
            ],
        )
        .await;
    assert_eq!(res.status, 303);
    let line: Vec<Uuid> = e::table
        .filter(e::class_id.eq(class))
        .filter(e::status.eq(EnrollmentStatus::Waitlisted))
        .order((e::waitlisted_at, e::id))
        .select(e::id)
        .load(&mut app.conn())
        .unwrap();
    assert_eq!(line.len(), 3);
    let page = coord.get(&format!("/classes/{class}")).await;
    assert!(
        page.body.contains("Offer the place"),
        "a free place is shown with the waitlist"
    );
    let second = coord
        .post(
            &format!("/enrollments/{}/status", line[1]),
            &[("action", "promote"), ("return_to", "/classes")],
        )
        .await;
    assert_eq!(second.status, 409, "the second in line waits for the first");
    let first = coord
        .post(
            &format!("/enrollments/{}/status", line[0]),
            &[("action", "promote"), ("return_to", "/classes")],
        )
        .await;
    assert_eq!(first.status, 303, "{}", first.body);
    assert_eq!(running_in(&app, class), 5);
    let third = coord
        .post(
            &format!("/enrollments/{}/status", line[1]),
            &[("action", "promote"), ("return_to", "/classes")],
        )
        .await;
    assert_eq!(third.status, 409, "the class is full again");
}

/// Creates a class of the tutored configuration with `capacity` places on `weekday` at 07:00.
async fn class_with_places(
    app: &TestApp,
    coord: &mut crate::support::Client,
    name: &str,
    weekday: &str,
    capacity: &str,
) -> Uuid {
    let monday = a_future_monday();
    let c = tutored_configuration(app);
    let ids = (
        c.0.to_string(),
        c.1.to_string(),
        app.user_id("swim.tutor").to_string(),
    );
    let dates = (
        monday.to_string(),
        (monday + Duration::weeks(8)).to_string(),
    );
    let mut form = class_form(&c, &ids, name, &dates, weekday, "07:00");
    form.retain(|(k, _)| *k != "capacity");
    form.push(("capacity", capacity));
    coord.get("/classes/new").await;
    let res = coord.post("/classes", &form).await;
    assert_eq!(res.status, 303, "{}", res.body);
    class_named(app, name).unwrap()
}

fn class_of(app: &TestApp, enrollment: Uuid) -> Option<Uuid> {
    use academy_admin::schema::across_programs::course_enrollments as e;
    e::table
        .find(enrollment)
        .select(e::class_id)
        .first(&mut app.conn())
        .unwrap()
}

#[actix_web::test]
async fn bulk_enrolling_fills_a_class_then_its_waitlist_and_a_student_moves_class_with_its_place_rechecked_and_the_move_kept(
) {
    use academy_admin::{
        enrollments::EnrollmentStatus,
        schema::across_programs::{course_enrollments as e, enrollment_class_changes as h},
    };
    let app = spawn_app().await;
    let mut coord = app.login("swim.coord").await;
    let a = class_with_places(&app, &mut coord, "Bulk Three", "4", "3").await;
    let b = class_with_places(&app, &mut coord, "Bulk Two", "5", "2").await;
    let c = tutored_configuration(&app);
    let kids = free_students(&app, c.0, c.1, 6);
    let today = Utc::now()
        .with_timezone(&chrono_tz::Africa::Lagos)
        .date_naive()
        .to_string();
    let (course, facility, a_id) = (c.0.to_string(), c.1.to_string(), a.to_string());
    let kid_ids: Vec<String> = kids.iter().map(Uuid::to_string).collect();
    let mut fields: Vec<(&str, &str)> = kid_ids[..5]
        .iter()
        .map(|k| ("student_ids", k.as_str()))
        .collect();
    fields.extend([
        ("course_id", course.as_str()),
        ("age_group", c.2.as_str()),
        ("location_type", c.3.as_str()),
        ("session_type", c.4.as_str()),
        ("facility_id", facility.as_str()),
        ("enrollment_date", today.as_str()),
        ("class_id", a_id.as_str()),
    ]);
    // The bulk form offers the class, and its waitlist once the ticks outnumber its places.
    let form = coord.get("/enrollments/bulk").await;
    assert_eq!(form.status, 200);
    let query = serde_urlencoded::to_string(&fields).unwrap();
    let refreshed = coord.get(&format!("/enrollments/bulk/form?{query}")).await;
    assert!(
        refreshed.body.contains("Bulk Three")
            && refreshed
                .body
                .contains("put those who do not fit on the waitlist"),
        "{}",
        refreshed.body
    );
    // Five students for three places, without the waitlist: nobody is enrolled.
    let before = app.fingerprint();
    let refused = coord.post("/enrollments/bulk", &fields).await;
    assert_eq!(refused.status, 422);
    assert!(
        refused.body.contains("Bulk Three is full"),
        "{}",
        refused.body
    );
    assert_eq!(app.fingerprint(), before, "nothing saved");
    // With the waitlist: three in the class, two waiting, in tick order.
    fields.push(("waitlist", "yes"));
    let res = coord.post("/enrollments/bulk", &fields).await;
    assert_eq!(res.status, 303, "{}", res.body);
    assert!(coord
        .get("/enrollments")
        .await
        .body
        .contains("Enrolled 5 students: 3 in the class, 2 on its waitlist."));
    assert_eq!(running_in(&app, a), 3);
    let waiting: i64 = e::table
        .filter(e::class_id.eq(a))
        .filter(e::status.eq(EnrollmentStatus::Waitlisted))
        .count()
        .get_result(&mut app.conn())
        .unwrap();
    assert_eq!(waiting, 2);

    // A sixth student enrolled without a class gets one later from their page.
    coord.get("/enrollments/new").await;
    let res = coord
        .post(
            "/enrollments",
            &[
                ("student_id", kid_ids[5].as_str()),
                ("course_id", course.as_str()),
                ("facility_id", facility.as_str()),
                ("age_group", c.2.as_str()),
                ("location_type", c.3.as_str()),
                ("session_type", c.4.as_str()),
                ("enrollment_date", today.as_str()),
            ],
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.body);
    let sixth: Uuid = e::table
        .filter(e::student_id.eq(kids[5]))
        .filter(e::course_id.eq(c.0))
        .filter(e::facility_id.eq(c.1))
        .filter(e::status.eq(EnrollmentStatus::Active))
        .select(e::id)
        .first(&mut app.conn())
        .unwrap();
    let page = coord.get(&format!("/students/{}", kids[5])).await;
    assert!(
        page.body.contains("Put in class") && page.body.contains("Bulk Two"),
        "{}",
        page.body
    );
    let back = format!("/students/{}", kids[5]);
    let before = app.fingerprint();
    let res = coord
        .post(
            &format!("/enrollments/{sixth}/class"),
            &[("class_id", a_id.as_str()), ("return_to", back.as_str())],
        )
        .await;
    assert_eq!(res.status, 422, "the full class refuses: {}", res.body);
    assert!(res.body.contains("Bulk Three is full"), "{}", res.body);
    assert_eq!(app.fingerprint(), before, "nothing changed");
    let b_id = b.to_string();
    let res = coord
        .post(
            &format!("/enrollments/{sixth}/class"),
            &[("class_id", b_id.as_str()), ("return_to", back.as_str())],
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.body);
    assert_eq!(class_of(&app, sixth), Some(b));
    assert!(coord.get(&back).await.body.contains("Put in Bulk Two."));

    // One of the first class's students moves to the second: a place frees in the first, and
    // its waitlist is offered it; the move is kept.
    let mover: Uuid = e::table
        .filter(e::class_id.eq(a))
        .filter(e::status.eq(EnrollmentStatus::Active))
        .select(e::id)
        .first(&mut app.conn())
        .unwrap();
    let res = coord
        .post(
            &format!("/enrollments/{mover}/class"),
            &[("class_id", b_id.as_str()), ("return_to", "/classes")],
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.body);
    assert_eq!((running_in(&app, a), running_in(&app, b)), (2, 2));
    let kept: Vec<(Option<Uuid>, Option<Uuid>, Option<Uuid>)> = h::table
        .filter(h::enrollment_id.eq(mover))
        .select((h::from_class_id, h::to_class_id, h::changed_by))
        .load(&mut app.conn())
        .unwrap();
    assert_eq!(
        kept,
        vec![(Some(a), Some(b), Some(app.user_id("swim.coord")))]
    );
    let page = coord.get(&format!("/classes/{a}")).await;
    assert!(
        page.body.contains("Offer the place"),
        "the freed place is offered"
    );
    // The second class is full now: moving into it is refused, nothing changed.
    let other: Uuid = e::table
        .filter(e::class_id.eq(a))
        .filter(e::status.eq(EnrollmentStatus::Active))
        .select(e::id)
        .first(&mut app.conn())
        .unwrap();
    let before = app.fingerprint();
    let res = coord
        .post(
            &format!("/enrollments/{other}/class"),
            &[("class_id", b_id.as_str()), ("return_to", "/classes")],
        )
        .await;
    assert_eq!(res.status, 422);
    assert_eq!(app.fingerprint(), before);
    // A waitlisted enrollment waits for its own class; another program's coordinator is refused.
    let waiting: Uuid = e::table
        .filter(e::class_id.eq(a))
        .filter(e::status.eq(EnrollmentStatus::Waitlisted))
        .select(e::id)
        .first(&mut app.conn())
        .unwrap();
    let res = coord
        .post(
            &format!("/enrollments/{waiting}/class"),
            &[("class_id", b_id.as_str()), ("return_to", "/classes")],
        )
        .await;
    assert_eq!(res.status, 409);
    let mut football = app.login("football.coord").await;
    football.get("/dashboard").await;
    let res = football
        .post(
            &format!("/enrollments/{sixth}/class"),
            &[("class_id", a_id.as_str()), ("return_to", "/dashboard")],
        )
        .await;
    assert!(res.status == 403 || res.status == 404, "{}", res.status);
    assert_eq!(app.fingerprint(), before, "nothing changed");
}

#[actix_web::test]
async fn classes_meeting_at_once_beyond_the_facilitys_capacity_are_saved_with_a_warning_naming_them(
) {
    use academy_admin::schema::across_programs::facilities;
    let app = spawn_app().await;
    let c = tutored_configuration(&app);
    diesel::update(facilities::table.find(c.1))
        .set(facilities::capacity.eq(8))
        .execute(&mut app.conn())
        .unwrap();
    let second = create_tutor(&app, "lane.two");
    sql_query(format!(
        "INSERT INTO course_tutors (course_id, user_id, program_id) VALUES ('{}', '{second}', '{}')",
        c.0,
        app.program_id("Swimming")
    ))
    .execute(&mut app.conn())
    .unwrap();
    let mut coord = app.login("swim.coord").await;
    let first = class_with_places(&app, &mut coord, "Lane One", "3", "5").await;
    let page = coord.get(&format!("/classes/{first}")).await;
    assert!(!page.body.contains("students at once"), "alone it fits");
    // The same hour, another tutor: 10 places in a facility of 8.
    let monday = a_future_monday();
    let ids = (c.0.to_string(), c.1.to_string(), second.to_string());
    let dates = (
        monday.to_string(),
        (monday + Duration::weeks(8)).to_string(),
    );
    let mut form = class_form(&c, &ids, "Lane Two", &dates, "3", "07:30");
    form.retain(|(k, _)| *k != "capacity");
    form.push(("capacity", "5"));
    coord.get("/classes/new").await;
    let res = coord.post("/classes", &form).await;
    assert_eq!(res.status, 303, "a warning, not a refusal: {}", res.body);
    let created = class_named(&app, "Lane Two").unwrap();
    let page = coord.get(&format!("/classes/{created}")).await;
    assert!(
        page.body.contains("could hold 10 students at once")
            && page
                .body
                .contains("(this class and Lane One) for a capacity of 8."),
        "{}",
        page.body
    );
}

#[actix_web::test]
async fn the_tutor_the_facility_page_and_the_dashboard_show_the_classes_their_sessions_and_a_freed_place(
) {
    use academy_admin::schema::across_programs::program_closures;
    let app = spawn_app().await;
    diesel::delete(program_closures::table)
        .execute(&mut app.conn())
        .unwrap();
    let mut coord = app.login("swim.coord").await;
    let today = Utc::now()
        .with_timezone(&chrono_tz::Africa::Lagos)
        .date_naive();
    let tomorrow = today + Duration::days(1);
    let c = tutored_configuration(&app);
    let ids = (
        c.0.to_string(),
        c.1.to_string(),
        app.user_id("swim.tutor").to_string(),
    );
    let dates = (today.to_string(), (today + Duration::days(20)).to_string());
    let weekday = tomorrow.weekday().number_from_monday().to_string();
    let mut form = class_form(&c, &ids, "Tomorrow Squad", &dates, &weekday, "05:30");
    form.retain(|(k, _)| *k != "capacity");
    form.push(("capacity", "2"));
    coord.get("/classes/new").await;
    let res = coord.post("/classes", &form).await;
    assert_eq!(res.status, 303, "{}", res.body);
    let class = class_named(&app, "Tomorrow Squad").unwrap();
    let (class_id, course, facility, day) = (
        class.to_string(),
        c.0.to_string(),
        c.1.to_string(),
        today.to_string(),
    );
    coord.get("/enrollments/new").await;
    for (student, waitlist) in free_students(&app, c.0, c.1, 3)
        .into_iter()
        .zip(["", "", "yes"])
    {
        let student = student.to_string();
        let res = coord
            .post(
                "/enrollments",
                &[
                    ("student_id", student.as_str()),
                    ("course_id", course.as_str()),
                    ("facility_id", facility.as_str()),
                    ("age_group", c.2.as_str()),
                    ("location_type", c.3.as_str()),
                    ("session_type", c.4.as_str()),
                    ("enrollment_date", day.as_str()),
                    ("class_id", class_id.as_str()),
                    ("waitlist", waitlist),
                ],
            )
            .await;
        assert_eq!(res.status, 303, "{}", res.body);
    }
    // The tutor: the class under its course, tomorrow's session among the next ones.
    let mut tutor = app.login("swim.tutor").await;
    let mine = tutor.get("/my-courses").await;
    assert!(mine.body.contains("Your classes") && mine.body.contains("Tomorrow Squad"));
    assert!(
        mine.body.contains("2 of 2 places filled, 1 waiting"),
        "{}",
        mine.body
    );
    let session: Uuid = class_sessions::table
        .filter(class_sessions::class_id.eq(class))
        .order(class_sessions::starts_at)
        .select(class_sessions::id)
        .first(&mut app.conn())
        .unwrap();
    assert!(
        mine.body.contains(&format!("/sessions/{session}")),
        "tomorrow's session is listed"
    );
    assert!(mine
        .body
        .contains(&tomorrow.format("%a %-d %b, 05:30").to_string()));
    // The facility page shows its week, and moves between weeks in place.
    let page = coord
        .get(&format!("/facilities/{}?week={tomorrow}", c.1))
        .await;
    assert!(
        page.body.contains("Sessions at") && page.body.contains(&format!("/sessions/{session}"))
    );
    let next = tomorrow + Duration::weeks(1);
    let fragment = coord
        .htmx_get(
            &format!("/facilities/{}?week={next}", c.1),
            Some(app.program_id("Swimming")),
        )
        .await;
    assert!(
        fragment.body.starts_with("<section id=\"calendar-week\"")
            && fragment.body.contains("Tomorrow Squad")
    );
    // The dashboard: full, then a place frees and is shown with its waitlist.
    let board = coord.get("/dashboard").await;
    assert!(board.body.contains("Places in classes") && !board.body.contains("place to offer"));
    use academy_admin::{
        enrollments::EnrollmentStatus, schema::across_programs::course_enrollments as e,
    };
    let leaving: Uuid = e::table
        .filter(e::class_id.eq(class))
        .filter(e::status.eq(EnrollmentStatus::Active))
        .select(e::id)
        .first(&mut app.conn())
        .unwrap();
    let res = coord
        .post(
            &format!("/enrollments/{leaving}/status"),
            &[
                ("action", "withdraw"),
                ("reason", "Moved"),
                ("return_to", "/dashboard"),
            ],
        )
        .await;
    assert_eq!(res.status, 303);
    let board = coord.get("/dashboard").await;
    let row = board.body.split("Tomorrow Squad").nth(1).unwrap();
    assert!(
        row.starts_with("</a> <span class=\"badge warning\">place to offer</span>"),
        "{row}"
    );
    assert!(row.contains(
        "<td data-label=\"Filled\" class=\"number\">1 / 2</td><td data-label=\"Free\" class=\"number\">1</td><td data-label=\"Waiting\" class=\"number\">1</td>"
    ));
}

/// Sets a field's value as a person choosing it would, telling htmx it changed.
async fn choose(browser: &crate::support::browser::Browser, id: &str, value: &str) {
    browser
        .client
        .execute(
            "const f = document.getElementById(arguments[0]); f.value = arguments[1]; f.dispatchEvent(new Event('change', {bubbles: true}));",
            vec![id.into(), value.into()],
        )
        .await
        .unwrap();
}

#[actix_web::test]
async fn a_coordinator_fills_a_class_in_the_browser_the_next_student_waits_and_gets_the_freed_place_and_the_tutor_sees_the_session(
) {
    use academy_admin::schema::across_programs::{program_closures, students};
    let app = spawn_app().await;
    diesel::delete(program_closures::table)
        .execute(&mut app.conn())
        .unwrap();
    let c = tutored_configuration(&app);
    let kids = free_students(&app, c.0, c.1, 3);
    let names: Vec<String> = kids
        .iter()
        .map(|k| {
            students::table
                .find(k)
                .select(students::first_name.concat(" ").concat(students::last_name))
                .first(&mut app.conn())
                .unwrap()
        })
        .collect();
    let Some(browser) = crate::support::browser::start(&app.base).await else {
        return;
    };
    let today = Utc::now()
        .with_timezone(&chrono_tz::Africa::Lagos)
        .date_naive();
    let tomorrow = today + Duration::days(1);
    browser.sign_in("swim.coord").await;

    // A class of two places, meeting tomorrow at 06:00.
    browser
        .open(&format!("/classes/new?course_id={}", c.0))
        .await;
    browser.wait_for_text("h1", "New class").await;
    browser.fill("#field-name", "Morning Dolphins").await;
    for (id, value) in [
        ("field-facility_id", c.1.to_string()),
        ("field-tutor_id", app.user_id("swim.tutor").to_string()),
        ("field-age_group", c.2.clone()),
        ("field-location_type", c.3.clone()),
        ("field-session_type", c.4.clone()),
        ("field-start_date", today.to_string()),
        ("field-end_date", (today + Duration::days(27)).to_string()),
        (
            "field-weekday_1",
            tomorrow.weekday().number_from_monday().to_string(),
        ),
        ("field-start_1", "06:00".into()),
        ("field-minutes_1", "60".into()),
    ] {
        choose(&browser, id, &value).await;
    }
    browser.fill("#field-capacity", "2").await;
    browser.screenshot("class-form").await;
    browser.click("form.class-form button.primary").await;
    browser
        .wait_for_text(
            ".flash-region",
            "Class Morning Dolphins created with its sessions.",
        )
        .await;
    let class = class_named(&app, "Morning Dolphins").unwrap();

    // Two students take the places; the third finds the class full and joins its waitlist.
    for (k, kid) in kids.iter().enumerate() {
        browser
            .open(&format!(
                "/enrollments/new?student_id={kid}&course_id={}",
                c.0
            ))
            .await;
        browser.wait_for_text("h1", "Enroll a student").await;
        for (id, value) in [
            ("field-age_group", c.2.as_str()),
            ("field-location_type", c.3.as_str()),
            ("field-session_type", c.4.as_str()),
        ] {
            choose(&browser, id, value).await;
            tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        }
        let facility = c.1.to_string();
        choose(&browser, "field-facility_id", &facility).await;
        browser
            .wait_for_text(".class-choice", "Morning Dolphins")
            .await;
        browser
            .click(&format!("input[name=class_id][value='{class}']"))
            .await;
        if k < 2 {
            browser
                .wait_for_text(".class-choice", &format!("{} of 2 places free", 2 - k))
                .await;
            browser.click("#enroll-form button.primary").await;
            browser
                .wait_for_text(".flash-region", "Enrolled in Morning Dolphins")
                .await;
        } else {
            browser
                .wait_for_text(".class-choice", "This class is full: join the waitlist")
                .await;
            browser.screenshot("enroll-full-class").await;
            browser.click("input[name=waitlist]").await;
            browser.click("#enroll-form button.primary").await;
            browser
                .wait_for_text(".flash-region", "Added to the waitlist of Morning Dolphins")
                .await;
        }
    }
    browser.open(&format!("/classes/{class}")).await;
    browser.wait_for_text("main", "2 / 2").await;
    browser.wait_for_text("main", &names[2]).await;
    browser.screenshot("class-full-with-waitlist").await;

    // The first student withdraws; the freed place is offered to the one waiting.
    browser.open(&format!("/students/{}", kids[0])).await;
    browser.fill("input[name=reason]", "Family moved").await;
    browser
        .click("form[action$='/status'] input[name=reason] ~ button")
        .await;
    browser.client.accept_alert().await.unwrap();
    browser
        .wait_for_text(".flash-region", "The enrollment was withdrawn.")
        .await;
    browser.open(&format!("/classes/{class}")).await;
    browser.wait_for_text("main", "Offer the place").await;
    browser.set_width(390).await;
    browser.screenshot("class-place-to-offer").await;
    browser.click("form input[value=promote] ~ button").await;
    browser
        .wait_for_text(
            ".flash-region",
            "The enrollment was given its place in the class.",
        )
        .await;
    browser.wait_for_text("main", "2 / 2").await;
    assert_eq!(running_in(&app, class), 2);
    browser.open(&format!("/students/{}", kids[1])).await;
    browser
        .wait_for_text("main", "Class: Morning Dolphins")
        .await;
    browser.screenshot("student-in-a-class").await;
    browser.open("/dashboard").await;
    browser
        .wait_for_text(".class-places", "Morning Dolphins")
        .await;
    browser.screenshot("dashboard-places").await;

    // The tutor sees tomorrow's session in My week (the screenshots: at 1280 and 390 px).
    browser.sign_out().await;
    browser.sign_in("swim.tutor").await;
    browser.open(&format!("/calendar?week={tomorrow}")).await;
    browser
        .wait_for_text("#calendar-week", "Morning Dolphins")
        .await;
    browser.set_width(1280).await;
    browser.open(&format!("/calendar?week={tomorrow}")).await;
    browser
        .wait_for_text("#calendar-week", "06:00–07:00 Morning Dolphins")
        .await;
    browser.screenshot("tutor-my-week").await;
    browser.close().await;
}

#[actix_web::test]
async fn a_tutor_who_teaches_a_class_stays_in_the_program_and_the_refusal_names_the_class() {
    let app = spawn_app().await;
    let tutor = app.user_id("swim.tutor");
    let swimming = app.program_id("Swimming");
    let taught: String = classes::table
        .filter(classes::tutor_id.eq(tutor))
        .order(classes::name)
        .select(classes::name)
        .first(&mut app.conn())
        .unwrap();
    let before = app.fingerprint();
    // The program admin's team page.
    let mut admin = app.login("swim.admin").await;
    let team = admin.get("/team").await;
    let marker = format!("/team/assignments/{tutor}/delete");
    let version = team.hidden_after(&marker, "version").unwrap();
    let res = admin.post(&marker, &[("version", &version)]).await;
    assert_eq!(res.status, 409);
    assert!(
        res.body.contains("They teach")
            && res.body.contains(&taught)
            && res.body.contains("give the class another tutor first"),
        "{}",
        res.body
    );
    // The super admin's user page.
    let mut root = app.login("superadmin").await;
    let page = root.get(&format!("/users/{tutor}/edit")).await;
    let marker = format!("/users/{tutor}/programs/{swimming}/delete");
    let version = page.hidden_after(&marker, "version").unwrap();
    let res = root.post(&marker, &[("version", &version)]).await;
    assert_eq!(res.status, 409);
    assert!(res.body.contains(&taught) && res.body.contains("in Swimming"));
    assert_eq!(app.fingerprint(), before, "nothing changed");
}

#[actix_web::test]
async fn a_student_holds_one_place_per_course_and_facility_a_running_enrollment_or_a_waitlist_place(
) {
    let app = spawn_app().await;
    let mut coord = app.login("swim.coord").await;
    let class = class_with_places(&app, &mut coord, "One Place", "2", "1").await;
    let c = tutored_configuration(&app);
    let kids = free_students(&app, c.0, c.1, 2);
    let today = Utc::now()
        .with_timezone(&chrono_tz::Africa::Lagos)
        .date_naive()
        .to_string();
    let (course, facility, class_id) = (c.0.to_string(), c.1.to_string(), class.to_string());
    let enroll = |student: &Uuid, class: &str, waitlist: &str| {
        vec![
            ("student_id", student.to_string()),
            ("course_id", course.clone()),
            ("facility_id", facility.clone()),
            ("age_group", c.2.clone()),
            ("location_type", c.3.clone()),
            ("session_type", c.4.clone()),
            ("enrollment_date", today.clone()),
            ("class_id", class.to_string()),
            ("waitlist", waitlist.to_string()),
        ]
    };
    coord.get("/enrollments/new").await;
    let mut post = async |fields: Vec<(&'static str, String)>| {
        let borrowed: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        coord.post("/enrollments", &borrowed).await
    };
    // The first takes the place; the second waits for it.
    assert_eq!(post(enroll(&kids[0], &class_id, "")).await.status, 303);
    assert_eq!(post(enroll(&kids[1], &class_id, "yes")).await.status, 303);
    let before = app.fingerprint();
    // The one waiting cannot be enrolled without a class as well...
    let res = post(enroll(&kids[1], "", "")).await;
    assert_eq!(res.status, 422);
    assert!(
        res.body
            .contains("is already on a waitlist for this course at"),
        "{}",
        res.body
    );
    // ...nor the one enrolled put on the waitlist too.
    let res = post(enroll(&kids[0], &class_id, "yes")).await;
    assert_eq!(res.status, 422);
    assert!(res
        .body
        .contains("already has an active or paused enrollment in this course"));
    assert_eq!(app.fingerprint(), before, "nothing saved");
}
