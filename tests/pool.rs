//! The queue in front of the connection pool: requests take turns in order of arrival, and one
//! that waits too long gets the "busy" error instead of hanging.

use std::{
    sync::{Arc, Mutex},
    time::Duration,
};

use academy_admin::{db, error::AppError};
use diesel::{prelude::*, sql_query};

use crate::support::TestDb;

fn hold_for(pool: &db::Pool, seconds: f64) -> impl std::future::Future<Output = ()> {
    let pool = pool.clone();
    async move {
        pool.with_connection(move |conn| {
            sql_query(format!("SELECT pg_sleep({seconds})"))
                .execute(conn)
                .unwrap()
        })
        .await
        .unwrap();
    }
}

#[actix_web::test]
async fn requests_take_turns_in_order_of_arrival() {
    let test_db = TestDb::new();
    let pool = db::pool(&test_db.url, 1).unwrap();
    let holder = actix_web::rt::spawn(hold_for(&pool, 0.3));
    actix_web::rt::time::sleep(Duration::from_millis(50)).await;
    let served = Arc::new(Mutex::new(Vec::new()));
    let mut waiters = Vec::new();
    for arrival in 0..6 {
        let (pool, served) = (pool.clone(), served.clone());
        waiters.push(actix_web::rt::spawn(async move {
            pool.with_connection(move |_| served.lock().unwrap().push(arrival))
                .await
                .unwrap()
        }));
        actix_web::rt::time::sleep(Duration::from_millis(10)).await;
    }
    holder.await.unwrap();
    for waiter in waiters {
        waiter.await.unwrap();
    }
    assert_eq!(*served.lock().unwrap(), vec![0, 1, 2, 3, 4, 5]);
}

#[actix_web::test]
async fn a_request_that_waits_too_long_is_told_the_server_is_busy() {
    let test_db = TestDb::new();
    let pool = db::pool(&test_db.url, 1)
        .unwrap()
        .with_wait(Duration::from_millis(100));
    let holder = actix_web::rt::spawn(hold_for(&pool, 0.5));
    actix_web::rt::time::sleep(Duration::from_millis(50)).await;
    let ran = Arc::new(Mutex::new(false));
    let flag = ran.clone();
    let waited = pool
        .with_connection(move |_| *flag.lock().unwrap() = true)
        .await;
    assert!(matches!(waited, Err(AppError::Busy)), "{waited:?}");
    assert!(
        !*ran.lock().unwrap(),
        "the work of a refused request never runs"
    );
    holder.await.unwrap();
    // Once the connection is back, the next request is served.
    assert!(pool.with_connection(|_| ()).await.is_ok());
}

#[actix_web::test]
async fn work_that_has_started_gives_its_answer_however_long_it_takes() {
    let test_db = TestDb::new();
    let pool = db::pool(&test_db.url, 1)
        .unwrap()
        .with_wait(Duration::from_millis(100));
    // Longer than the wait, but nothing queued before it: it starts at once, so its outcome
    // (here: a row written) is what the caller hears, never "busy".
    let written = pool
        .with_connection(|conn| {
            sql_query("SELECT pg_sleep(0.3)").execute(conn)?;
            sql_query("CREATE TABLE pool_probe (id int)").execute(conn)
        })
        .await;
    assert!(matches!(written, Ok(Ok(_))), "{written:?}");
    let mut conn = test_db.connect();
    assert_eq!(
        sql_query("SELECT 1 FROM pool_probe")
            .execute(&mut conn)
            .unwrap(),
        0
    );
}

#[actix_web::test]
async fn a_connection_closed_by_the_server_fails_one_piece_of_work_and_leaves_the_pool() {
    let test_db = TestDb::new();
    let pool = db::pool(&test_db.url, 3).unwrap();
    let fill: Vec<_> = (0..3)
        .map(|_| {
            pool.with_checked_connection(|conn| sql_query("SELECT pg_sleep(0.05)").execute(conn))
        })
        .collect();
    for f in fill {
        f.await.unwrap().unwrap();
    }
    let mut admin = PgConnection::establish(&test_db.url).unwrap();
    sql_query(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
         WHERE datname = current_database() AND pid <> pg_backend_pid()",
    )
    .execute(&mut admin)
    .unwrap();
    // Outside any transaction, as a session load is: each dead connection fails once.
    let mut failures = 0;
    for _ in 0..12 {
        let answer = db::run(&pool, |conn| Ok(sql_query("SELECT 1").execute(conn)?)).await;
        if answer.is_err() {
            failures += 1;
        }
    }
    assert!(
        (1..=3).contains(&failures),
        "{failures} failures: each of the 3 killed connections fails once at most"
    );
    for _ in 0..6 {
        db::run(&pool, |conn| Ok(sql_query("SELECT 1").execute(conn)?))
            .await
            .expect("the pool has only live connections again");
    }
}
