//! Importing students and guardians from CSV (issue 21): every kind of error beside its field,
//! fixes, duplicates skipped or updated, one transaction with ids in file order, refusals of
//! malformed and oversized files, isolation.

use diesel::{connection::SimpleConnection, prelude::*, sql_query, sql_types::Text};
use uuid::Uuid;

use crate::support::{spawn_app, Client, Page, TestApp};

#[derive(QueryableByName)]
struct One {
    #[diesel(sql_type = Text)]
    v: String,
}

/// One text value of `sql` (its column named `v`).
fn text(app: &TestApp, sql: &str) -> String {
    sql_query(sql).get_result::<One>(&mut app.conn()).unwrap().v
}

fn count(app: &TestApp, sql: &str) -> i64 {
    text(app, &format!("SELECT ({sql})::text AS v"))
        .parse()
        .unwrap()
}

async fn upload(client: &mut Client, name: &str, bytes: &[u8]) -> Page {
    client.get("/students/import").await;
    client
        .post_file("/students/import", &[], ("file", name, bytes))
        .await
}

fn import_id(page: &Page) -> Uuid {
    let location = page.location().expect("a redirect to the import");
    location
        .trim_start_matches("/students/import/")
        .split('/')
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

/// The preview's cell of `line` holds `message` beside its field.
fn row_of<'a>(page: &'a Page, line: u64) -> &'a str {
    let start = page
        .body
        .find(&format!("id=\"line-{line}\""))
        .expect("the line is listed");
    let end = page.body[start..].find("</tr>").unwrap() + start;
    &page.body[start..end]
}

/// The new students of the first test's file.
const IMPORTED: &str = "(first_name, last_name) IN (('Amaka', 'Importa'), ('Chike', 'Importa'), ('Tobi', 'Importb'), ('Zainab', 'Importc'))";

#[actix_web::test]
async fn a_file_with_every_kind_of_error_is_previewed_fixed_and_imported_in_one_transaction_in_file_order(
) {
    let app = spawn_app().await;
    let swimming = app.program_id("Swimming");
    // Two of the program's students: one to meet again by name and birth, one by email.
    let (first, last, born) = {
        let v = text(&app, &format!("SELECT first_name || '|' || last_name || '|' || date_of_birth AS v FROM students WHERE program_id = '{swimming}' AND date_of_birth IS NOT NULL ORDER BY student_id LIMIT 1"));
        let parts: Vec<String> = v.split('|').map(str::to_string).collect();
        (parts[0].clone(), parts[1].clone(), parts[2].clone())
    };
    app.conn()
        .batch_execute(&format!("UPDATE students SET email = 'known@example.ng' WHERE id = (SELECT id FROM students WHERE program_id = '{swimming}' ORDER BY student_id OFFSET 1 LIMIT 1)"))
        .unwrap();
    let mut coord = app.login("swim.coord").await;

    // A semicolon file with a byte-order mark and headers as a spreadsheet writes them.
    let csv = format!(
        "\u{feff}First Name;Surname;DOB;E-mail;Status;Parent;Parent phone\n\
         Amaka;Importa;2016-05-01;;active;Ngozi Importa;0803 555 0101\n\
         Chike;Importa;11/02/2018;;;Ngozi Importa;0803-555-0101\n\
         Tobi;Importb;2015-02-30;;;;\n\
         ;Bello;;;;;\n\
         Femi;Bello;;;expelled;;\n\
         {first};{last};{born};;;;\n\
         Kemi;Lawal;;KNOWN@example.ng;;;\n\
         Amaka;Importa;2016-05-01;;;;\n\
         Uche;Eze;;uche@example;;Ada Eze;call me\n\
         Zainab;Importc;;;;;\n"
    );
    let uploaded = upload(&mut coord, "term.csv", csv.as_bytes()).await;
    assert_eq!(uploaded.status, 303, "{}", uploaded.body);
    let id = import_id(&uploaded);
    assert_eq!(
        uploaded.location(),
        Some(format!("/students/import/{id}").as_str()),
        "every header is known: straight to the preview"
    );

    let preview = coord.get(&format!("/students/import/{id}")).await;
    assert_eq!(preview.status, 200);
    assert!(preview.body.contains("10 rows: <strong>3</strong> new, <strong>2</strong> already here, <strong>5</strong> with errors"), "{}", preview.body);
    assert!(
        row_of(&preview, 3).contains("2018-02-11"),
        "a date written day first, as a spreadsheet keeps it, is read and shown as ISO"
    );
    assert!(
        row_of(&preview, 4).contains("Enter a date like 2015-03-24, or day first like 24/03/2015."),
        "bad date"
    );
    assert!(
        row_of(&preview, 5).contains("field-error"),
        "missing first name"
    );
    assert!(
        row_of(&preview, 6).contains("Choose a status."),
        "unknown status"
    );
    assert!(
        row_of(&preview, 7).contains("Already here"),
        "same name and birth as a student"
    );
    assert!(
        row_of(&preview, 8).contains("Already here"),
        "same email, whatever its case"
    );
    assert!(
        row_of(&preview, 9).contains("The same name and date of birth as line 2"),
        "twice in the file"
    );
    assert!(row_of(&preview, 10).contains("email"), "bad email");
    assert!(
        row_of(&preview, 10).contains("Use digits, spaces"),
        "bad guardian phone"
    );
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM students WHERE last_name = 'Importc'"
        ),
        0,
        "a preview saves nothing"
    );

    // A fix that still fails is refused beside its field and saves nothing.
    let form = coord
        .get(&format!("/students/import/{id}/row?line=4"))
        .await;
    assert_eq!(form.status, 200);
    assert!(form.body.contains("value=\"2015-02-30\""));
    let fixes_before = text(
        &app,
        &format!("SELECT fixes::text AS v FROM imports WHERE id = '{id}'"),
    );
    let still_bad = coord
        .post(
            &format!("/students/import/{id}/row"),
            &[
                ("line", "4"),
                ("first_name", "Tobi"),
                ("last_name", "Importb"),
                ("date_of_birth", "30/02/2015"),
            ],
        )
        .await;
    assert_eq!(still_bad.status, 422);
    assert!(
        still_bad.body.contains("value=\"30/02/2015\""),
        "the value typed is kept"
    );
    assert_eq!(
        text(
            &app,
            &format!("SELECT fixes::text AS v FROM imports WHERE id = '{id}'")
        ),
        fixes_before
    );
    let fixed = coord
        .post(
            &format!("/students/import/{id}/row"),
            &[
                ("line", "4"),
                ("first_name", "Tobi"),
                ("last_name", "Importb"),
                ("date_of_birth", "2015-02-28"),
            ],
        )
        .await;
    assert_eq!(fixed.status, 303, "{}", fixed.body);
    let preview = coord.get(&format!("/students/import/{id}")).await;
    assert!(
        preview.body.contains("<strong>4</strong> new"),
        "the fixed line is new"
    );

    // All or none: a row the database refuses (a check added for this test) rolls everything back.
    app.conn()
        .batch_execute(
            "ALTER TABLE students ADD CONSTRAINT test_no_zainab CHECK (last_name <> 'Importc')",
        )
        .unwrap();
    let counter = text(
        &app,
        "SELECT coalesce(max(last_number), 0)::text AS v FROM student_id_counters",
    );
    let students_before = count(&app, "SELECT count(*) FROM students");
    coord.get(&format!("/students/import/{id}")).await;
    let refused = coord
        .post(
            &format!("/students/import/{id}/confirm"),
            &[("duplicates", "skip")],
        )
        .await;
    assert!(refused.status >= 400, "{}", refused.status);
    assert_eq!(
        count(&app, "SELECT count(*) FROM students"),
        students_before,
        "nothing half-saved"
    );
    assert_eq!(
        text(
            &app,
            "SELECT coalesce(max(last_number), 0)::text AS v FROM student_id_counters"
        ),
        counter,
        "no id spent"
    );
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM guardians WHERE full_name = 'Ngozi Importa'"
        ),
        0
    );
    let back = coord.get(&format!("/students/import/{id}")).await;
    assert!(
        back.body.contains("Nothing was imported") || back.body.contains("wrote nothing"),
        "the preview says why: {}",
        back.body
    );
    app.conn()
        .batch_execute("ALTER TABLE students DROP CONSTRAINT test_no_zainab")
        .unwrap();

    // Confirmed: the four new rows in file order with consecutive ids, duplicates skipped.
    let coord_id = app.user_id("swim.coord");
    let done = coord
        .post(
            &format!("/students/import/{id}/confirm"),
            &[("duplicates", "skip")],
        )
        .await;
    assert_eq!(done.status, 303, "{}", done.body);
    let outcome = coord.get(&format!("/students/import/{id}")).await;
    assert!(
        outcome.body.contains("Imported 4 students"),
        "{}",
        outcome.body
    );
    assert!(outcome.body.contains("skipped 2 already here"));
    assert!(outcome.body.contains("left out 4 rows with errors"));
    let order = text(&app, &format!("SELECT string_agg(first_name, ',' ORDER BY student_id) AS v FROM students WHERE program_id = '{swimming}' AND {IMPORTED}"));
    assert_eq!(order, "Amaka,Chike,Tobi,Zainab", "file order");
    assert_eq!(
        text(&app, &format!("SELECT date_of_birth::text AS v FROM students WHERE program_id = '{swimming}' AND first_name = 'Chike' AND last_name = 'Importa'")),
        "2018-02-11"
    );
    let numbers = text(&app, &format!("SELECT string_agg(split_part(student_id, '-', 3), ',' ORDER BY student_id) AS v FROM students WHERE program_id = '{swimming}' AND {IMPORTED}"));
    let numbers: Vec<i64> = numbers.split(',').map(|n| n.parse().unwrap()).collect();
    assert!(
        numbers.windows(2).all(|w| w[1] == w[0] + 1),
        "consecutive: {numbers:?}"
    );
    // Siblings share the guardian with the same name and phone, linked to call and to pay.
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM guardians WHERE full_name = 'Ngozi Importa'"
        ),
        1
    );
    assert_eq!(
        count(&app, "SELECT count(*) FROM student_guardians l JOIN guardians g ON g.id = l.guardian_id WHERE g.full_name = 'Ngozi Importa' AND l.emergency_contact AND l.pays_fees AND NOT l.may_pick_up"),
        2
    );
    // Recorded in the history, as the coordinator's.
    assert_eq!(
        count(&app, &format!("SELECT count(*) FROM history h JOIN students s ON s.id = h.record_id WHERE s.last_name = 'Importc' AND h.action = 'insert' AND h.actor_id = '{coord_id}'")),
        1
    );

    // A second confirmation changes nothing.
    let before = app.fingerprint();
    let again = coord
        .post(
            &format!("/students/import/{id}/confirm"),
            &[("duplicates", "skip")],
        )
        .await;
    assert_eq!(again.status, 409);
    assert_eq!(app.fingerprint(), before);

    // Another program's coordinator never reaches it.
    let mut football = app.login("football.coord").await;
    assert_eq!(
        football.get(&format!("/students/import/{id}")).await.status,
        404
    );
    assert_eq!(
        football
            .get(&format!("/students/import/{id}/row?line=2"))
            .await
            .status,
        404
    );
}

#[actix_web::test]
async fn duplicates_can_be_updated_keeping_their_status_and_unknown_headers_are_mapped_on_a_screen()
{
    let app = spawn_app().await;
    let swimming = app.program_id("Swimming");
    let (first, last, born, status) = {
        let v = text(&app, &format!("SELECT first_name || '|' || last_name || '|' || date_of_birth || '|' || status AS v FROM students WHERE program_id = '{swimming}' AND date_of_birth IS NOT NULL ORDER BY student_id LIMIT 1"));
        let p: Vec<String> = v.split('|').map(str::to_string).collect();
        (p[0].clone(), p[1].clone(), p[2].clone(), p[3].clone())
    };
    let mut coord = app.login("swim.coord").await;
    let csv = format!("Given,Family,Born,Mobile,Shoe size\n{first},{last},{born},0809 111 2222,40\nNew,Pupil,2017-01-01,,38\n");
    let uploaded = upload(&mut coord, "other.csv", csv.as_bytes()).await;
    let id = import_id(&uploaded);
    assert_eq!(
        uploaded.location(),
        Some(format!("/students/import/{id}/columns").as_str())
    );
    let screen = coord.get(&format!("/students/import/{id}/columns")).await;
    assert!(screen.body.contains("Shoe size"));
    let twice = coord
        .post(
            &format!("/students/import/{id}/columns"),
            &[
                ("column_0", "first_name"),
                ("column_1", "first_name"),
                ("column_2", "date_of_birth"),
            ],
        )
        .await;
    assert_eq!(twice.status, 422);
    assert!(twice.body.contains("already read from another column"));
    let mapped = coord
        .post(
            &format!("/students/import/{id}/columns"),
            &[
                ("column_0", "first_name"),
                ("column_1", "last_name"),
                ("column_2", "date_of_birth"),
                ("column_3", "phone"),
                ("column_4", ""),
            ],
        )
        .await;
    assert_eq!(mapped.status, 303);
    let preview = coord.get(&format!("/students/import/{id}")).await;
    assert!(
        preview
            .body
            .contains("<strong>1</strong> new, <strong>1</strong> already here"),
        "{}",
        preview.body
    );
    let done = coord
        .post(
            &format!("/students/import/{id}/confirm"),
            &[("duplicates", "update")],
        )
        .await;
    assert_eq!(done.status, 303, "{}", done.body);
    let after = text(&app, &format!("SELECT phone || '|' || status AS v FROM students WHERE program_id = '{swimming}' AND first_name = '{first}' AND last_name = '{last}' AND date_of_birth = '{born}'"));
    assert_eq!(
        after,
        format!("0809 111 2222|{status}"),
        "updated, status kept"
    );
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM students WHERE first_name = 'New' AND last_name = 'Pupil'"
        ),
        1
    );
}

#[actix_web::test]
async fn malformed_oversized_and_empty_uploads_are_refused_with_a_clear_message_and_change_nothing()
{
    let app = spawn_app().await;
    let mut coord = app.login("swim.coord").await;
    coord.get("/students/import").await;
    let before = app.fingerprint();
    for (bytes, message) in [
        (
            &b"First name,Last name\nAda,Obi\nEmeka,Eze,extra\n"[..],
            "Line 3 has 3 fields where the header line has 2",
        ),
        (b"First name,Last name\nAda,\xFFbi\n", "not UTF-8"),
        (b"", "empty"),
        (
            b"First name,Last name\nAda,O\x00bi\n",
            "Line 2 holds a control character",
        ),
        (b"First name,Last name\n", "no rows"),
    ] {
        let page = upload(&mut coord, "bad.csv", bytes).await;
        assert_eq!(page.status, 422, "{message}");
        assert!(page.body.contains(message), "{message}: {}", page.body);
    }
    let none = coord.post("/students/import", &[]).await;
    assert_eq!(none.status, 422);
    assert!(none.body.contains("Choose a CSV file"));
    let mut big = b"First name,Last name\n".to_vec();
    while big.len() < 20 * 1024 * 1024 {
        big.extend_from_slice(b"Adaeze,Okafor-Nwankwo-Obi-Eze\n");
    }
    let page = upload(&mut coord, "big.csv", &big).await;
    assert_eq!(page.status, 413);
    assert!(page.body.contains("up to 5 MB"), "{}", page.body);
    assert_eq!(app.fingerprint(), before, "nothing kept of a refused file");

    // The template is recognised whole: straight to its preview, one new student.
    let template = coord.get("/students/import/template.csv").await;
    assert_eq!(template.status, 200);
    assert!(template.body.contains("First name,Last name,Email"));
    let uploaded = upload(&mut coord, "template.csv", template.body.as_bytes()).await;
    let id = import_id(&uploaded);
    assert_eq!(
        uploaded.location(),
        Some(format!("/students/import/{id}").as_str())
    );
    let preview = coord.get(&format!("/students/import/{id}")).await;
    assert!(
        preview.body.contains("1 row: <strong>1</strong> new"),
        "{}",
        preview.body
    );
}

#[actix_web::test]
async fn in_the_browser_a_coordinator_imports_a_small_file_fixes_its_bad_row_and_imports_on_a_laptop_and_a_phone(
) {
    let app = spawn_app().await;
    let Some(browser) = crate::support::browser::start(&app.base).await else {
        return;
    };
    let dir = std::env::temp_dir().join(format!("academy-import-{}", Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("new-term.csv");
    std::fs::write(
        &path,
        "First name,Last name,Date of birth,Guardian,Guardian phone\n\
         Ebere,Journeyman,2016-04-12,Oby Journeyman,0803 777 0001\n\
         Ike,Journeyman,04/13/2018,Oby Journeyman,0803 777 0001\n\
         Sola,Journeywoman,2015-09-30,,\n",
    )
    .unwrap();
    browser.sign_in("swim.coord").await;
    browser.open("/students").await;
    browser.click("a[href='/students/import']").await;
    browser.wait_for_text("h1", "Import students").await;
    browser.fill("#field-file", path.to_str().unwrap()).await;
    browser
        .click("form[action='/students/import'] button[type=submit]")
        .await;
    let summary = browser.wait_for_text("main", "with errors").await;
    assert!(summary.contains("2 new"), "{summary}");
    assert!(summary.contains("1 with errors"), "{summary}");
    assert!(
        summary.contains("Enter a date like 2015-03-24, or day first like 24/03/2015."),
        "{summary}"
    );
    browser.screenshot("import-preview").await;

    // On a phone: the bad row fixed, then everything imported.
    browser.set_width(390).await;
    browser.click("a[href*='/row?line=3']").await;
    browser.wait_for_text("h1", "Fix line 3").await;
    browser.fill("#field-date_of_birth", "13/04/2018").await;
    browser
        .click("form[action$='/row'] button[type=submit]")
        .await;
    browser
        .wait_for_text(".flash.success", "Line 3 is fixed")
        .await;
    let summary = browser.wait_for_text("main", "3 new").await;
    assert!(summary.contains("0 with errors"), "{summary}");
    browser
        .click("form[action$='/confirm'] button[type=submit]")
        .await;
    browser.wait_for_text("main", "Imported 3 students").await;
    browser.screenshot("import-done").await;
    browser.close().await;

    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM students WHERE last_name IN ('Journeyman', 'Journeywoman')"
        ),
        3
    );
    assert_eq!(
        text(&app, "SELECT date_of_birth::text AS v FROM students WHERE first_name = 'Ike' AND last_name = 'Journeyman'"),
        "2018-04-13",
        "the fix typed day first"
    );
    assert_eq!(
        count(&app, "SELECT count(*) FROM student_guardians l JOIN guardians g ON g.id = l.guardian_id WHERE g.full_name = 'Oby Journeyman'"),
        2,
        "the siblings share their guardian"
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[actix_web::test]
async fn an_import_left_importing_by_a_stopped_server_goes_back_to_its_preview_but_never_while_written(
) {
    let app = spawn_app().await;
    let mut coord = app.login("swim.coord").await;
    let uploaded = upload(
        &mut coord,
        "stopped.csv",
        b"First name,Last name\nAda,Stoppedserver\n",
    )
    .await;
    let id = import_id(&uploaded);
    app.conn()
        .batch_execute(&format!(
            "UPDATE imports SET status = 'importing' WHERE id = '{id}'"
        ))
        .unwrap();
    // While a transaction writes it (holding its lock), the page follows its progress.
    let mut writer = app.conn();
    writer
        .batch_execute(&format!(
            "SELECT pg_advisory_lock(hashtextextended('{id}', 0))"
        ))
        .unwrap();
    let page = coord.get(&format!("/students/import/{id}")).await;
    assert!(page.body.contains("Importing"), "{}", page.body);
    assert_eq!(
        text(
            &app,
            &format!("SELECT status::text AS v FROM imports WHERE id = '{id}'")
        ),
        "importing"
    );
    // Nothing writes it: it stopped, wrote nothing, and can be imported again.
    writer
        .batch_execute(&format!(
            "SELECT pg_advisory_unlock(hashtextextended('{id}', 0))"
        ))
        .unwrap();
    let page = coord.get(&format!("/students/import/{id}")).await;
    assert!(
        page.body.contains("stopped before it finished"),
        "{}",
        page.body
    );
    let done = coord
        .post(
            &format!("/students/import/{id}/confirm"),
            &[("duplicates", "skip")],
        )
        .await;
    assert_eq!(done.status, 303);
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM students WHERE last_name = 'Stoppedserver'"
        ),
        1
    );
}

#[actix_web::test]
async fn a_preview_left_a_week_is_forgotten_and_an_imported_files_rows_a_week_after_its_import() {
    let app = spawn_app().await;
    let mut coord = app.login("swim.coord").await;
    let file =
        |first: &str| format!("First name,Last name,Date of birth\n{first},Keptweek,2016-04-12\n");
    let mut id_of = Vec::new();
    for first in ["Stale", "Fresh", "Done"] {
        let page = upload(&mut coord, &format!("{first}.csv"), file(first).as_bytes()).await;
        assert_eq!(page.status, 303, "{}", page.body);
        id_of.push(import_id(&page));
    }
    let (stale, fresh, done) = (id_of[0], id_of[1], id_of[2]);
    let res = coord
        .post(
            &format!("/students/import/{done}/confirm"),
            &[("duplicates", "skip")],
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.body);
    // Eight days on for the stale preview and the imported file (the updated_at trigger held off).
    app.conn()
        .batch_execute(&format!(
            "SET session_replication_role = replica;
             UPDATE imports SET updated_at = now() - interval '8 days' WHERE id = '{stale}';
             UPDATE imports SET finished_at = now() - interval '8 days' WHERE id = '{done}';
             SET session_replication_role = DEFAULT;"
        ))
        .unwrap();

    let forgotten = academy_admin::housekeeping::run_once(&app.pool).unwrap();
    assert_eq!(forgotten, 2, "one preview deleted, one file's rows cleared");
    assert_eq!(
        count(
            &app,
            &format!("SELECT count(*) FROM imports WHERE id = '{stale}'")
        ),
        0
    );
    assert_eq!(
        coord.get(&format!("/students/import/{stale}")).await.status,
        404
    );
    assert_eq!(
        text(
            &app,
            &format!("SELECT rows::text AS v FROM imports WHERE id = '{fresh}'")
        )
        .contains("Fresh"),
        true,
        "a preview worked on this week is kept"
    );
    assert_eq!(
        text(
            &app,
            &format!("SELECT rows::text || fixes::text AS v FROM imports WHERE id = '{done}'")
        ),
        "[]{}",
        "the imported file's children are no longer in it"
    );
    let outcome = coord.get(&format!("/students/import/{done}")).await;
    assert_eq!(outcome.status, 200);
    assert!(
        outcome.body.contains("Imported 1 student"),
        "{}",
        outcome.body
    );
    assert!(!outcome.body.contains("Keptweek"));
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM students WHERE first_name = 'Done' AND last_name = 'Keptweek'"
        ),
        1,
        "the students imported stay"
    );
    assert_eq!(
        academy_admin::housekeeping::run_once(&app.pool).unwrap(),
        0,
        "nothing twice"
    );
}
