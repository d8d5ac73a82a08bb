//! The history of every change (issue 21): recorded by the database's triggers on every
//! program-scoped table, with who made it; shown in a record's History panel; never changed.

use academy_admin::{history::UNRECORDED, schema::across_programs::history as h};
use diesel::{prelude::*, sql_query, sql_types::Text};
use uuid::Uuid;

use crate::support::{spawn_app, TestApp};

#[derive(QueryableByName)]
struct Name {
    #[diesel(sql_type = Text)]
    name: String,
}

fn names(app: &TestApp, sql: &str) -> Vec<String> {
    sql_query(sql)
        .load::<Name>(&mut app.conn())
        .unwrap()
        .into_iter()
        .map(|n| n.name)
        .collect()
}

#[actix_web::test]
async fn every_table_with_a_program_has_its_history_triggers_tables_added_later_included() {
    let app = spawn_app().await;
    // Every table of the database with a program_id, whenever its migration was written.
    let tables = names(
        &app,
        "SELECT table_name::text AS name FROM information_schema.columns
          WHERE table_schema = 'public' AND column_name = 'program_id' ORDER BY 1",
    );
    assert!(tables.len() > 30, "{tables:?}");
    let exempt: Vec<&str> = UNRECORDED.iter().map(|(t, _)| *t).collect();
    for table in &exempt {
        assert!(tables.iter().any(|t| t == table), "{table} is no table");
    }
    let recorded = names(
        &app,
        "SELECT c.relname::text AS name FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
          WHERE t.tgname IN ('history_insert', 'history_update', 'history_delete') AND t.tgenabled <> 'D'
          GROUP BY c.relname HAVING count(*) = 3",
    );
    let missing: Vec<&String> = tables
        .iter()
        .filter(|t| !exempt.contains(&t.as_str()) && !recorded.contains(t))
        .collect();
    assert!(
        missing.is_empty(),
        "tables without history triggers: {missing:?} (SELECT track_history('table') in their migration, or say why not in history::UNRECORDED)"
    );
    // A table created now, like a later migration's, is caught until it is tracked.
    sql_query("CREATE TABLE later_feature (id UUID PRIMARY KEY, program_id UUID NOT NULL)")
        .execute(&mut app.conn())
        .unwrap();
    let untracked = names(
        &app,
        "SELECT table_name::text AS name FROM information_schema.columns c
          WHERE table_schema = 'public' AND column_name = 'program_id'
            AND NOT EXISTS (SELECT 1 FROM pg_trigger t WHERE t.tgrelid = c.table_name::regclass AND t.tgname = 'history_insert')",
    );
    assert!(untracked.contains(&"later_feature".to_string()));
}

#[actix_web::test]
async fn a_coordinators_changes_show_in_the_students_history_with_who_and_the_old_and_new_values() {
    let app = spawn_app().await;
    let coord_id = app.user_id("swim.coord");
    let mut coord = app.login("swim.coord").await;
    coord.get("/students/new").await;
    let mut fields = vec![
        ("first_name", "Kelechi"),
        ("last_name", "Nwachukwu"),
        ("date_of_birth", "2016-05-14"),
        ("enrollment_date", "2026-09-01"),
        ("status", "active"),
        ("phone", "+234 803 555 0101"),
    ];
    let created = coord.post("/students", &fields).await;
    assert_eq!(created.status, 303, "{}", created.body);
    let page = created.location().unwrap().to_string();
    let student: Uuid = page.trim_start_matches("/students/").parse().unwrap();
    let version = app.version_of("students", student);
    fields[5] = ("phone", "+234 803 555 0202");
    fields.push(("version", &version));
    let updated = coord.post(&page, &fields).await;
    assert_eq!(updated.status, 303, "{}", updated.body);

    // Recorded by the database, with who: the insert, then the one changed column.
    let rows: Vec<(String, Option<Uuid>, serde_json::Value)> = h::table
        .filter(h::record_id.eq(student))
        .order(h::id)
        .select((
            diesel::dsl::sql::<Text>("action::text"),
            h::actor_id,
            h::changes,
        ))
        .load(&mut app.conn())
        .unwrap();
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!(rows[0].0, "insert");
    assert_eq!(rows[0].2["first_name"], "Kelechi");
    assert_eq!((rows[1].0.as_str(), rows[1].1), ("update", Some(coord_id)));
    assert_eq!(
        rows[1].2,
        serde_json::json!({"phone": ["+234 803 555 0101", "+234 803 555 0202"]})
    );

    // The student page offers the panel; the panel (htmx) and the page show the change.
    let shown = coord.get(&page).await;
    assert!(shown.body.contains(&format!("{page}/history")));
    let panel = coord.htmx_get(&format!("{page}/history"), None).await;
    assert_eq!(panel.status, 200);
    assert!(panel.body.contains("Student changed"), "{}", panel.body);
    assert!(panel.body.contains("+234 803 555 0202"));
    assert!(!panel.body.contains("<html"), "a fragment");
    let full = coord.get(&format!("{page}/history")).await;
    assert!(full.body.contains("History of the student"));
    assert!(full.body.contains("Student created"));

    // Tutors see no history; another program's user never reaches this one's.
    let mut tutor = app.login("swim.tutor").await;
    assert_eq!(tutor.get(&format!("{page}/history")).await.status, 403);
    let mut other = app.login("football.coord").await;
    assert_eq!(other.get(&format!("{page}/history")).await.status, 404);

    // Nobody edits or deletes history, whatever the path.
    for sql in [
        "UPDATE history SET actor_id = NULL",
        "DELETE FROM history",
        "TRUNCATE history",
    ] {
        let refused = sql_query(sql).execute(&mut app.conn());
        assert!(
            format!("{refused:?}").contains("history is never changed or deleted"),
            "{sql}: {refused:?}"
        );
    }
}

#[actix_web::test]
async fn an_invoice_run_in_a_task_of_its_own_is_recorded_as_the_admins() {
    let app = spawn_app().await;
    let last: i64 = h::table
        .select(diesel::dsl::max(h::id))
        .first::<Option<i64>>(&mut app.conn())
        .unwrap()
        .unwrap_or(0);
    let admin = app.user_id("swim.admin");
    let (month, _) = crate::invoices::this_month(&app);
    let mut client = app.login("swim.admin").await;
    client.get("/invoices/generate").await;
    let res = client
        .post("/invoices/generate", &[("month", &month), ("issue", "now")])
        .await;
    assert_eq!(res.status, 303, "{}", res.body);
    let actors: Vec<Option<Uuid>> = h::table
        .filter(h::table_name.eq_any(["invoices", "invoice_lines"]))
        .filter(h::id.gt(last))
        .select(h::actor_id)
        .distinct()
        .load(&mut app.conn())
        .unwrap();
    assert_eq!(
        actors,
        vec![Some(admin)],
        "every invoice and line written by the run"
    );
}

#[actix_web::test]
async fn a_program_admin_sees_the_programs_activity_by_person_record_and_day_and_as_csv() {
    let app = spawn_app().await;
    let coord_id = app.user_id("swim.coord");
    let mut coord = app.login("swim.coord").await;
    coord.get("/students/new").await;
    let created = coord
        .post(
            "/students",
            &[
                ("first_name", "Kelechi"),
                ("last_name", "Nwachukwu"),
                ("date_of_birth", "2016-05-14"),
                ("enrollment_date", "2026-09-01"),
                ("status", "active"),
            ],
        )
        .await;
    assert_eq!(created.status, 303, "{}", created.body);
    let student = created.location().unwrap().to_string();

    let mut admin = app.login("swim.admin").await;
    let all = admin.get("/activity").await;
    assert_eq!(all.status, 200, "{}", all.body);
    assert!(
        all.body
            .contains(&format!("<a href=\"{student}\">Student created</a>")),
        "{}",
        all.body
    );
    let theirs = admin
        .get(&format!("/activity?person={coord_id}&kind=students"))
        .await;
    assert!(
        theirs.body.contains("First name: Kelechi"),
        "{}",
        theirs.body
    );
    let set_up = admin.get("/activity?person=app&kind=students").await;
    assert!(
        set_up.body.contains("Student created"),
        "the demo's students"
    );
    assert!(!set_up.body.contains("Kelechi"));
    let later = admin.get("/activity?from=2099-01-01").await;
    assert!(later.body.contains("No change matches"));
    for (bad, message) in [
        ("/activity?from=2026-13-01", "Enter a date"),
        ("/activity?kind=users", "Choose a kind of record"),
        ("/activity?person=someone", "Choose a person"),
        (
            "/activity?from=2026-12-02&to=2026-12-01",
            "on or after the first",
        ),
    ] {
        let res = admin.get(bad).await;
        assert_eq!(res.status, 422, "{bad}");
        assert!(res.body.contains(message), "{bad}: {}", res.body);
    }
    let csv = admin.get(&format!("/activity.csv?person={coord_id}")).await;
    assert_eq!(csv.status, 200);
    assert!(csv.header("content-type").unwrap().starts_with("text/csv"));
    assert!(csv.body.contains("First name: Kelechi"), "{}", csv.body);
    assert!(csv.body.contains(",insert,"));

    // Coordinators see a record's history, not the program's activity; another program's
    // activity never shows this one's changes.
    assert_eq!(coord.get("/activity").await.status, 403);
    assert_eq!(coord.get("/activity.csv").await.status, 403);
    let mut other = app.login("superadmin").await;
    other.get("/dashboard").await;
    let football = app.program_id("Football").to_string();
    other
        .post("/program-context", &[("program_id", &football)])
        .await;
    let elsewhere = other.get(&format!("/activity?person={coord_id}")).await;
    assert_eq!(elsewhere.status, 200);
    assert!(!elsewhere.body.contains("Kelechi"));
    assert!(elsewhere.body.contains("No change matches"));
}

#[actix_web::test]
async fn in_the_browser_a_coordinator_changes_a_phone_and_sees_it_in_the_students_history_on_a_laptop_and_a_phone(
) {
    let app = spawn_app().await;
    let Some(browser) = crate::support::browser::start(&app.base).await else {
        return;
    };
    let student: Uuid = academy_admin::schema::across_programs::students::table
        .filter(
            academy_admin::schema::across_programs::students::program_id
                .eq(app.program_id("Swimming")),
        )
        .order(academy_admin::schema::across_programs::students::student_id)
        .select(academy_admin::schema::across_programs::students::id)
        .first(&mut app.conn())
        .unwrap();
    browser.sign_in("swim.coord").await;
    browser.open(&format!("/students/{student}/edit")).await;
    browser.fill("#field-phone", "+234 809 111 2222").await;
    browser
        .click("form.card button[type=submit], form button.primary")
        .await;
    browser.wait_for_text(".flash.success", "was saved").await;
    // The panel loads when it is scrolled to.
    browser
        .client
        .execute(
            "document.getElementById('history').scrollIntoView();",
            vec![],
        )
        .await
        .unwrap();
    let shown = browser.wait_for_text("#history", "+234 809 111 2222").await;
    assert!(shown.contains("Student changed"), "{shown}");
    assert!(shown.contains("Phone"), "{shown}");
    assert!(shown.contains("Chidi Nwosu"), "who: {shown}");
    browser.screenshot("history-panel").await;
    browser.set_width(390).await;
    browser.open(&format!("/students/{student}/history")).await;
    browser.wait_for_text("main", "+234 809 111 2222").await;
    browser.screenshot("history-page-phone").await;
    browser.close().await;
}
