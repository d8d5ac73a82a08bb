//! Invoice runs (issue 20): a run that takes a while goes on after the request and its page shows
//! its progress, then its outcome; a run that fails halfway leaves nothing behind and says so.

use diesel::{connection::SimpleConnection, prelude::*, sql_query, sql_types};
use uuid::Uuid;

use crate::support::{spawn_app, TestApp};

fn this_month(app: &TestApp) -> (String, i32) {
    #[derive(QueryableByName)]
    struct M {
        #[diesel(sql_type = sql_types::Text)]
        month: String,
        #[diesel(sql_type = sql_types::Integer)]
        year: i32,
    }
    let m: M = sql_query(
        "SELECT to_char(now() AT TIME ZONE 'Africa/Lagos', 'YYYY-MM') AS month,
                extract(year FROM now() AT TIME ZONE 'Africa/Lagos')::int AS year",
    )
    .get_result(&mut app.conn())
    .unwrap();
    (m.month, m.year)
}

fn count(app: &TestApp, sql: &str) -> i64 {
    #[derive(QueryableByName)]
    struct N {
        #[diesel(sql_type = sql_types::BigInt)]
        n: i64,
    }
    sql_query(sql).get_result::<N>(&mut app.conn()).unwrap().n
}

fn run_status(app: &TestApp, run: Uuid) -> (String, String) {
    #[derive(QueryableByName)]
    struct R {
        #[diesel(sql_type = sql_types::Text)]
        status: String,
        #[diesel(sql_type = sql_types::Text)]
        message: String,
    }
    let r: R = sql_query(format!(
        "SELECT status::text AS status, message FROM invoice_runs WHERE id = '{run}'"
    ))
    .get_result(&mut app.conn())
    .unwrap();
    (r.status, r.message)
}

fn run_id(location: &str) -> Uuid {
    location
        .strip_prefix("/invoices/runs/")
        .unwrap_or_else(|| panic!("the run's page, not {location}"))
        .parse()
        .unwrap()
}

#[actix_web::test]
async fn a_run_that_waits_goes_on_after_the_request_and_its_page_shows_progress_then_the_outcome() {
    let app = spawn_app().await;
    let swimming = app.program_id("Swimming");
    let (month, year) = this_month(&app);
    // Another session holds this year's invoice counter: the run waits on it, as a run of a large
    // program would be busy writing.
    let mut holder = app.conn();
    sql_query(format!(
        "INSERT INTO invoice_counters (program_id, kind, year, last_number)
         VALUES ('{swimming}', 'invoice', {year}, 0) ON CONFLICT DO NOTHING"
    ))
    .execute(&mut holder)
    .unwrap();
    sql_query("BEGIN").execute(&mut holder).unwrap();
    sql_query(format!(
        "SELECT 1 FROM invoice_counters WHERE program_id = '{swimming}' AND kind = 'invoice' AND year = {year} FOR UPDATE"
    ))
    .execute(&mut holder)
    .unwrap();
    let mut admin = app.login("swim.admin").await;
    let res = admin
        .post("/invoices/generate", &[("month", &month), ("term_id", "")])
        .await;
    assert_eq!(res.status, 303, "{}", res.body);
    let page_path = res.location().unwrap().to_string();
    let run = run_id(&page_path);
    let page = admin.get(&page_path).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("<progress"), "{}", page.body);
    assert!(page.body.contains("hx-trigger=\"every 1s\""));
    assert_eq!(run_status(&app, run).0, "running");
    // htmx asks for the fragment alone.
    let fragment = admin.htmx_get(&page_path, Some(swimming)).await;
    assert!(
        fragment.body.starts_with("<div id=\"run-progress\""),
        "{}",
        fragment.body
    );
    assert!(!fragment.body.contains("<html"));
    // Coordinators and another program's staff never see it.
    let mut coord = app.login("swim.coord").await;
    assert_eq!(coord.get(&page_path).await.status, 403);

    sql_query("COMMIT").execute(&mut holder).unwrap();
    let mut outcome = run_status(&app, run);
    for _ in 0..100 {
        if outcome.0 != "running" {
            break;
        }
        actix_web::rt::time::sleep(std::time::Duration::from_millis(100)).await;
        outcome = run_status(&app, run);
    }
    assert_eq!(outcome.0, "done", "{}", outcome.1);
    assert!(outcome.1.contains("invoices created"), "{}", outcome.1);
    let page = admin.get(&page_path).await;
    assert!(page.body.contains(&outcome.1));
    assert!(
        !page.body.contains("hx-trigger"),
        "a finished run stops asking"
    );
    let generate = admin.get("/invoices/generate").await;
    assert!(
        generate.body.contains(&format!("/invoices/runs/{run}")),
        "listed among the latest runs"
    );
}

#[actix_web::test]
async fn a_run_that_fails_halfway_leaves_nothing_behind_and_its_page_says_so() {
    let app = spawn_app().await;
    let (month, _) = this_month(&app);
    // The database refuses the last line the run writes: everything before it was written.
    let last = count(
        &app,
        "SELECT count(*) AS n FROM invoices WHERE program_id = (SELECT id FROM programs WHERE name = 'Swimming')",
    );
    app.conn().batch_execute(
        "CREATE FUNCTION fail_late() RETURNS trigger AS $$
         BEGIN
           IF NEW.invoice_id = (SELECT id FROM invoices WHERE program_id = NEW.program_id
                                 AND kind = 'invoice' ORDER BY number DESC LIMIT 1) THEN
             RAISE EXCEPTION 'disk full';
           END IF;
           RETURN NEW;
         END $$ LANGUAGE plpgsql;
         CREATE TRIGGER fail_late BEFORE INSERT ON invoice_lines FOR EACH ROW EXECUTE FUNCTION fail_late();",
    )
    .unwrap();
    let before = app.fingerprint();
    let mut admin = app.login("swim.admin").await;
    let res = admin
        .post("/invoices/generate", &[("month", &month), ("term_id", "")])
        .await;
    assert_eq!(res.status, 303, "{}", res.body);
    let page_path = res.location().unwrap().to_string();
    let run = run_id(&page_path);
    let (status, message) = run_status(&app, run);
    assert_eq!(status, "failed");
    assert!(message.contains("created nothing"), "{message}");
    let page = admin.get(&page_path).await;
    assert!(page.body.contains("created nothing"), "{}", page.body);
    // Nothing but the run's own record changed: no invoice, no line, no number used.
    assert_eq!(
        count(
            &app,
            "SELECT count(*) AS n FROM invoices WHERE program_id = (SELECT id FROM programs WHERE name = 'Swimming')",
        ),
        last
    );
    sql_query("DELETE FROM invoice_runs WHERE id = $1")
        .bind::<sql_types::Uuid, _>(run)
        .execute(&mut app.conn())
        .unwrap();
    assert_eq!(app.fingerprint(), before);
}
