//! Every page passes the Nu HTML checker (vnu) with no error: every GET page of the route table as
//! every role that may see it (and the sign-in page as a visitor), plus pages in other states: an
//! error page, forms re-rendered with their messages (422), the enrollment form with choices made,
//! a confirmation page. The documents are written to a temporary directory and checked by one run
//! of `java -jar vnu.jar --errors-only --format json --stdout DIR` (one JVM start).
//!
//! vnu.jar is `VNU_JAR` or `target/tools/vnu.jar`, where `scripts/test.sh` puts it (`ensure_vnu`
//! in scripts/lib.sh). Without it or without Java the test says it skipped, unless `CI` is set:
//! then it fails.
//!
//! The same GET pages, opened in Chromium by each role, pass axe-core with no serious or critical
//! violation and leave the console empty (the journeys' page check, `Browser::check_page`).

use std::{
    collections::BTreeMap,
    path::{Path, PathBuf},
    process::Command,
};

use academy_admin::routes::ROUTES;

use crate::boundary::{conditional_forms, swimming_path};
use crate::support::{browser, fixtures, spawn_app, Client, TestApp};

const ROLES: &[&str] = &["superadmin", "swim.admin", "swim.coord", "swim.tutor"];

/// Where vnu.jar is, or why the check cannot run.
fn checker() -> Result<PathBuf, String> {
    let jar = std::env::var_os("VNU_JAR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target/tools/vnu.jar"));
    if !jar.is_file() {
        return Err(format!("{} is missing", jar.display()));
    }
    match Command::new("java").arg("-version").output() {
        Ok(out) if out.status.success() => Ok(jar),
        _ => Err("java is missing".into()),
    }
}

/// The documents to check, by file name, with the page they are (role and request) for the report.
struct Documents {
    dir: PathBuf,
    pages: BTreeMap<String, String>,
    /// Each role's GET pages that answered 200 with a whole document, in order: what the browser
    /// opens.
    seen: Vec<(String, String)>,
}

impl Documents {
    fn new() -> Self {
        let dir = std::env::temp_dir().join(format!("aa-html-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&dir).unwrap();
        Self {
            dir,
            pages: BTreeMap::new(),
            seen: Vec::new(),
        }
    }

    /// Keeps `body` when it is a whole document (fragments for htmx are not).
    fn add(&mut self, who: &str, what: &str, status: u16, body: &str) -> bool {
        if !body
            .trim_start()
            .to_ascii_lowercase()
            .starts_with("<!doctype html")
        {
            return false;
        }
        let name = format!("{:03}.html", self.pages.len());
        std::fs::write(self.dir.join(&name), body).unwrap();
        self.pages
            .insert(name, format!("{what} as {who} ({status})"));
        true
    }
}

/// GETs `path` and keeps the page when the role may see it (a 200; redirects and refusals are
/// skipped) or when `expected` says which other status it must answer.
async fn fetch(
    docs: &mut Documents,
    client: &mut Client,
    who: &str,
    path: &str,
    expected: Option<u16>,
) {
    let page = client.get(path).await;
    match expected {
        Some(status) => {
            assert_eq!(page.status, status, "GET {path} as {who}");
            assert!(
                docs.add(who, &format!("GET {path}"), page.status, &page.body),
                "GET {path} as {who} is a whole page"
            );
        }
        None if page.status == 200 => {
            if docs.add(who, &format!("GET {path}"), page.status, &page.body) {
                docs.seen.push((who.to_string(), path.to_string()));
            }
        }
        None => assert!(page.status < 500, "GET {path} as {who}: {}", page.status),
    }
}

/// POSTs a form as a page would (with the client's token) and keeps the answer, which must have
/// `expected` status.
async fn submit(
    docs: &mut Documents,
    client: &mut Client,
    who: &str,
    path: &str,
    fields: &[(&str, &str)],
    expected: u16,
) {
    let page = client.post(path, fields).await;
    assert_eq!(page.status, expected, "POST {path} as {who}: {}", page.body);
    assert!(
        docs.add(who, &format!("POST {path}"), page.status, &page.body),
        "POST {path} as {who} answers a whole page"
    );
}

/// Every page each role can open, and the pages in other states.
async fn collect(app: &TestApp, docs: &mut Documents) {
    let mut anonymous = app.anonymous();
    fetch(docs, &mut anonymous, "a visitor", "/login", Some(200)).await;
    submit(
        docs,
        &mut anonymous,
        "a visitor",
        "/login",
        &[("username", "swim.coord"), ("password", "not-the-password")],
        401,
    )
    .await;

    // Records in the states that show the remaining actions (archived, inactive...), as the fuzz
    // test uses them.
    let mut extra = conditional_forms(app);
    // A student with an active enrollment: their page shows its actions.
    let enrolled = enrolled_student(app);
    extra.push(format!("/students/{enrolled}"));
    let pages: Vec<String> = ROUTES
        .iter()
        .filter(|r| r.method == "GET" && !r.path.contains("{file}") && !r.path.ends_with(".csv"))
        .map(|r| swimming_path(app, r.path))
        .chain(extra)
        .collect();
    // For the enrollment form with every choice made (after the route's rows were chosen).
    let course = fixtures::priced_course(app, "Swimming");
    let born = (chrono::Utc::now().date_naive() - chrono::Duration::days(7 * 365 + 100))
        .format("%Y-%m-%d")
        .to_string();
    let student = fixtures::student(app, "Swimming", "Checked", &born);
    let swimming = app.program_id("Swimming").to_string();

    for &who in ROLES {
        let mut client = app.login(who).await;
        if who == "superadmin" {
            client.get("/dashboard").await;
            let res = client
                .post("/program-context", &[("program_id", &swimming)])
                .await;
            assert_eq!(res.status, 303);
        }
        for path in &pages {
            fetch(docs, &mut client, who, path, None).await;
        }
        fetch(docs, &mut client, who, "/no-such-page", Some(404)).await;
        // A password change refused: the account page again with its messages.
        submit(
            docs,
            &mut client,
            who,
            "/account/password",
            &[
                ("current_password", "wrong"),
                ("new_password", "x"),
                ("confirm_password", "y"),
            ],
            422,
        )
        .await;
    }

    let mut coord = app.login("swim.coord").await;
    let who = "swim.coord";
    fetch(
        docs,
        &mut coord,
        who,
        &format!("/students/{}", uuid::Uuid::new_v4()),
        Some(404),
    )
    .await;
    // Forms sent empty: the same forms, with a message beside each field (422).
    coord.get("/students/new").await;
    submit(
        docs,
        &mut coord,
        who,
        "/students",
        &[("first_name", "")],
        422,
    )
    .await;
    coord.get("/enrollments/new").await;
    submit(
        docs,
        &mut coord,
        who,
        "/enrollments",
        &[("student_id", "")],
        422,
    )
    .await;
    // The enrollment form with a student and every choice made: facilities and the price show.
    let enroll = format!(
        "/enrollments/new?student_id={student}&course_id={}&age_group=6-8&location_type=our-facility&session_type=group&facility_id={}",
        course.course_id, course.facility_id
    );
    fetch(docs, &mut coord, who, &enroll, Some(200)).await;
    let enroll = format!(
        "/enrollments/new?student_id={student}&course_id={}",
        course.course_id
    );
    fetch(docs, &mut coord, who, &enroll, Some(200)).await;
    // An upload without a file: the upload page with its message.
    coord.get("/students/import").await;
    submit(docs, &mut coord, who, "/students/import", &[], 422).await;
    // A status change that would end running enrollments asks first.
    coord.get(&format!("/students/{enrolled}")).await;
    submit(
        docs,
        &mut coord,
        who,
        &format!("/students/{enrolled}/status"),
        &[("status", "withdrawn")],
        200,
    )
    .await;

    let mut admin = app.login("superadmin").await;
    let who = "superadmin";
    admin.get("/programs/new").await;
    submit(docs, &mut admin, who, "/programs/new", &[("name", "")], 422).await;
    admin.get("/users/new").await;
    submit(
        docs,
        &mut admin,
        who,
        "/users/new",
        &[("username", "")],
        422,
    )
    .await;
}

/// A Swimming student with an active enrollment (the first by student id, so that each run checks
/// the same one).
fn enrolled_student(app: &TestApp) -> uuid::Uuid {
    use diesel::{sql_query, RunQueryDsl};
    #[derive(diesel::QueryableByName)]
    struct Id {
        #[diesel(sql_type = diesel::sql_types::Uuid)]
        id: uuid::Uuid,
    }
    sql_query(
        "SELECT s.id FROM students s JOIN programs p ON p.id = s.program_id AND p.name = 'Swimming'
         WHERE EXISTS (SELECT 1 FROM course_enrollments e WHERE e.student_id = s.id AND e.status = 'active')
         ORDER BY s.student_id LIMIT 1",
    )
    .get_result::<Id>(&mut app.conn())
    .unwrap()
    .id
}

#[actix_web::test]
async fn every_page_of_every_role_passes_the_nu_html_checker() {
    let jar = match checker() {
        Ok(jar) => jar,
        Err(why) if std::env::var_os("CI").is_some_and(|v| !v.is_empty()) => {
            panic!("CI is set but {why}: scripts/test.sh installs Java and vnu.jar (ensure_vnu)")
        }
        Err(why) => {
            eprintln!("SKIPPED: the Nu HTML check needs Java and vnu.jar, but {why} (scripts/test.sh installs them)");
            return;
        }
    };
    let app = spawn_app().await;
    let mut docs = Documents::new();
    collect(&app, &mut docs).await;
    assert!(
        docs.pages.len() > 100,
        "only {} pages were collected",
        docs.pages.len()
    );

    let out = Command::new("java")
        .arg("-jar")
        .arg(&jar)
        .args(["--errors-only", "--format", "json", "--stdout"])
        .arg(&docs.dir)
        .output()
        .expect("java runs");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "vnu gave no JSON report ({e}): {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    let mut errors = Vec::new();
    for message in report["messages"].as_array().into_iter().flatten() {
        let file = message["url"].as_str().unwrap_or_default();
        let name = file.rsplit('/').next().unwrap_or(file);
        let page = docs.pages.get(name).map(String::as_str).unwrap_or(file);
        errors.push(format!(
            "{page} [{name}] line {}: {} {}\n    {}",
            message["lastLine"],
            message["type"].as_str().unwrap_or_default(),
            message["message"].as_str().unwrap_or_default(),
            message["extract"]
                .as_str()
                .unwrap_or_default()
                .replace('\n', " ")
        ));
    }
    if !errors.is_empty() {
        let index: String = docs
            .pages
            .iter()
            .map(|(name, page)| format!("{name} {page}\n"))
            .collect();
        std::fs::write(docs.dir.join("index.txt"), index).unwrap();
        panic!(
            "the Nu HTML checker found {} errors in {} pages (documents kept in {}, listed in index.txt):\n{}",
            errors.len(),
            docs.pages.len(),
            docs.dir.display(),
            errors.join("\n")
        );
    }
    eprintln!(
        "{} documents ({} GET pages) checked by the Nu HTML checker: no error",
        docs.pages.len(),
        docs.seen.len()
    );
    std::fs::remove_dir_all(&docs.dir).unwrap();
}

#[actix_web::test]
async fn every_page_of_every_role_passes_axe_in_the_browser() {
    let app = spawn_app().await;
    let mut docs = Documents::new();
    collect(&app, &mut docs).await;
    std::fs::remove_dir_all(&docs.dir).unwrap();
    let Some(browser) = browser::start(&app.base).await else {
        return;
    };
    let mut signed_in: Option<&str> = None;
    let mut failures = Vec::new();
    for (who, path) in &docs.seen {
        if signed_in != Some(who.as_str()) {
            if signed_in.is_some() {
                browser.sign_out().await;
                browser
                    .wait_for_text(".flash.info", "You have signed out.")
                    .await;
            }
            browser.sign_in(who).await;
            if who == "superadmin" {
                let select = browser
                    .client
                    .find(fantoccini::Locator::Css("#program-switch"))
                    .await
                    .unwrap();
                select.select_by_label("Swimming").await.unwrap();
                select.send_keys("\u{E007}").await.unwrap(); // Enter switches
                browser
                    .wait_for_text(".flash-region", "You are now working in Swimming.")
                    .await;
            }
            signed_in = Some(who.as_str());
        }
        browser
            .client
            .goto(&format!("{}{path}", app.base))
            .await
            .unwrap();
        // Both widths: a table can need scrolling on a phone only.
        for width in [1280, 390] {
            browser.set_width(width).await;
            for problem in browser.axe_violations().await {
                failures.push(format!("{path} as {who} at {width} px: {problem}"));
            }
        }
        browser.set_width(1280).await;
        for error in browser.console_errors().await {
            failures.push(format!("{path} as {who}: console: {error}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} problems on {} pages:\n{}",
        failures.len(),
        docs.seen.len(),
        failures.join("\n")
    );
    eprintln!(
        "{} pages checked by axe in the browser at 1280 and 390 px",
        docs.seen.len()
    );
    browser.close().await;
}
