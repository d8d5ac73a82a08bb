//! Failures answered honestly: with the app's database connections killed from outside while
//! students are being created, every answer is a success whose student exists, or an error page
//! with a request id whose request saved nothing; and a form sent twice creates one record.

use std::{
    sync::{
        atomic::{AtomicBool, Ordering},
        Arc,
    },
    time::Duration,
};

use academy_admin::schema::across_programs::students;
use diesel::{prelude::*, sql_query};

use crate::support::{spawn_app, Client};

/// Terminates every connection to the test database but its own, every few milliseconds, until
/// `stop` is set.
fn kill_connections_until(url: String, stop: Arc<AtomicBool>) -> std::thread::JoinHandle<usize> {
    std::thread::spawn(move || {
        let mut conn = PgConnection::establish(&url).unwrap();
        let mut rounds = 0;
        while !stop.load(Ordering::Relaxed) {
            sql_query(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                 WHERE datname = current_database() AND pid <> pg_backend_pid()",
            )
            .execute(&mut conn)
            .unwrap();
            rounds += 1;
            std::thread::sleep(Duration::from_millis(25));
        }
        rounds
    })
}

struct Answer {
    name: String,
    status: u16,
    location: Option<String>,
    request_id: Option<String>,
    body: String,
}

async fn create(client: &mut Client, name: String) -> Answer {
    let page = client
        .post(
            "/students",
            &[
                ("first_name", "Load"),
                ("last_name", &name),
                ("enrollment_date", "2026-09-01"),
                ("status", "active"),
            ],
        )
        .await;
    Answer {
        name,
        status: page.status,
        location: page.location().map(str::to_string),
        request_id: page.header("x-request-id").map(str::to_string),
        body: page.body,
    }
}

#[actix_web::test]
async fn killed_database_connections_under_load_give_error_pages_and_never_lose_a_saved_student() {
    let app = spawn_app().await;
    let coord = app.login("swim.coord").await;
    let mut first = coord.clone();
    first.get("/students/new").await;
    let stop = Arc::new(AtomicBool::new(false));
    let killer = kill_connections_until(app.db.url.clone(), stop.clone());
    let mut tasks = Vec::new();
    for worker in 0..6 {
        let mut client = first.clone();
        tasks.push(actix_web::rt::spawn(async move {
            let mut answers = Vec::new();
            for n in 0..20 {
                answers.push(create(&mut client, format!("W{worker}N{n}")).await);
            }
            answers
        }));
    }
    let mut answers = Vec::new();
    for task in tasks {
        answers.extend(task.await.unwrap());
    }
    stop.store(true, Ordering::Relaxed);
    let rounds = killer.join().unwrap();
    assert!(rounds > 5, "the connections were killed {rounds} times");

    let saved: Vec<String> = students::table
        .filter(students::first_name.eq("Load"))
        .select(students::last_name)
        .load(&mut app.conn())
        .unwrap();
    let mut failures = 0;
    for a in &answers {
        let success = a.status == 303
            && a.location
                .as_deref()
                .is_some_and(|l| l.starts_with("/students/"));
        if success {
            assert!(
                saved.contains(&a.name),
                "{}: answered as saved, but not saved",
                a.name
            );
        } else {
            failures += 1;
            assert!(
                !saved.contains(&a.name),
                "{}: answered {} although it was saved: {}",
                a.name,
                a.status,
                a.body
            );
            assert!(a.status >= 500, "{}: {} {:?}", a.name, a.status, a.location);
            let id = a.request_id.as_deref().unwrap_or_else(|| {
                panic!(
                    "{}: {} without a request id: {:?}",
                    a.name, a.status, a.body
                )
            });
            assert!(
                a.body.contains(id),
                "{}: a {} without its request id on the page: {:?}",
                a.name,
                a.status,
                a.body
            );
        }
    }
    eprintln!(
        "{} answers, {failures} errors, {} saved, {rounds} kills",
        answers.len(),
        saved.len()
    );
    // Once the killing stops, the app recovers: each pooled connection that was killed fails one
    // request at most (with its error page) and leaves the pool (4 connections in the tests), then
    // students are saved again.
    let mut client = coord.clone();
    let mut attempts = 0;
    loop {
        attempts += 1;
        let after = create(&mut client, format!("After{attempts}")).await;
        if after.status == 303 {
            break;
        }
        assert!(
            after.status >= 500 && attempts <= 4,
            "{}: {}",
            after.status,
            after.body
        );
    }
}

#[actix_web::test]
async fn a_create_form_sent_twice_even_at_once_creates_one_record_and_both_answers_lead_to_it() {
    let app = spawn_app().await;
    let mut coord = app.login("swim.coord").await;
    let page = coord.get("/students/new").await;
    let token = page
        .hidden("form_token")
        .expect("the form carries a one-time token");
    let fields = |last: &'static str| {
        vec![
            ("first_name", "Twice"),
            ("last_name", last),
            ("enrollment_date", "2026-09-01"),
            ("status", "active"),
            ("form_token", token.as_str()),
        ]
    };
    let (mut a, mut b) = (coord.clone(), coord.clone());
    let (fields_a, fields_b) = (fields("Sent"), fields("Sent"));
    let (first, second) = tokio::join!(
        a.post("/students", &fields_a),
        b.post("/students", &fields_b)
    );
    assert_eq!((first.status, second.status), (303, 303));
    assert_eq!(
        first.location(),
        second.location(),
        "both lead to the one student"
    );
    let saved: i64 = students::table
        .filter(students::first_name.eq("Twice"))
        .count()
        .get_result(&mut app.conn())
        .unwrap();
    assert_eq!(saved, 1);
    // Sent again later (a retry after a lost answer): still one.
    let third = coord.post("/students", &fields("Sent")).await;
    assert_eq!(third.location(), first.location());
    // A new form (a new token) creates a new student.
    let page = coord.get("/students/new").await;
    let other = page.hidden("form_token").unwrap();
    assert_ne!(other, token);
    let res = coord
        .post(
            "/students",
            &[
                ("first_name", "Twice"),
                ("last_name", "Again"),
                ("enrollment_date", "2026-09-01"),
                ("status", "active"),
                ("form_token", &other),
            ],
        )
        .await;
    assert_eq!(res.status, 303);
    assert_ne!(res.location(), first.location());
}

#[actix_web::test]
async fn every_create_form_carries_a_one_time_token() {
    let app = spawn_app().await;
    let mut admin = app.login("superadmin").await;
    let swimming = app.program_id("Swimming").to_string();
    admin.get("/dashboard").await;
    admin
        .post("/program-context", &[("program_id", &swimming)])
        .await;
    let id = |param| app.id_for("Swimming", param);
    for page in [
        "/students/new".to_string(),
        "/enrollments/new".to_string(),
        "/enrollments/bulk".to_string(),
        "/courses/new".to_string(),
        "/facilities/new".to_string(),
        "/programs/new".to_string(),
        "/users/new".to_string(),
        "/team/users/new".to_string(),
        "/reference-data".to_string(),
        format!("/courses/{}/curricula/new", id("course_id")),
        format!("/curricula/{}/modules/new", id("curriculum_id")),
        format!("/modules/{}/lessons/new", id("module_id")),
    ] {
        let res = admin.get(&page).await;
        assert_eq!(res.status, 200, "{page}");
        assert!(
            res.body.contains("name=\"form_token\""),
            "{page} has no one-time token"
        );
    }
}
