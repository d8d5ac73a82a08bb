//! A program's age groups and session types, edited inline with htmx (and as plain forms); codes
//! in use are neither renamed nor removed; another program's rows are not found.

use academy_admin::schema::across_programs::{
    age_groups, programs, session_types, user_program_assignments,
};
use diesel::{prelude::*, sql_query};
use uuid::Uuid;

use crate::support::{spawn_app, Client, TestApp};

fn age_group(app: &TestApp, program: &str, code: &str) -> (Uuid, String) {
    let (id, at): (Uuid, chrono::DateTime<chrono::Utc>) = age_groups::table
        .filter(age_groups::program_id.eq(app.program_id(program)))
        .filter(age_groups::code.eq(code))
        .select((age_groups::id, age_groups::updated_at))
        .first(&mut app.conn())
        .unwrap();
    (id, at.timestamp_micros().to_string())
}

fn session_type(app: &TestApp, program: &str, code: &str) -> (Uuid, String) {
    let (id, at): (Uuid, chrono::DateTime<chrono::Utc>) = session_types::table
        .filter(session_types::program_id.eq(app.program_id(program)))
        .filter(session_types::code.eq(code))
        .select((session_types::id, session_types::updated_at))
        .first(&mut app.conn())
        .unwrap();
    (id, at.timestamp_micros().to_string())
}

fn codes(app: &TestApp, program: &str) -> Vec<String> {
    age_groups::table
        .filter(age_groups::program_id.eq(app.program_id(program)))
        .order(age_groups::min_age)
        .select(age_groups::code)
        .load(&mut app.conn())
        .unwrap()
}

/// A new program of the test's own with the default reference data, which `username` joins:
/// nothing uses its codes (the demo's courses, prices and enrollments use Swimming's).
fn own_program(app: &TestApp, name: &str, username: &str) -> Uuid {
    let mut conn = app.conn();
    let id: Uuid = diesel::insert_into(programs::table)
        .values(programs::name.eq(name))
        .returning(programs::id)
        .get_result(&mut conn)
        .unwrap();
    academy_admin::programs::install_defaults(&mut conn, id).unwrap();
    diesel::insert_into(user_program_assignments::table)
        .values((
            user_program_assignments::user_id.eq(app.user_id(username)),
            user_program_assignments::program_id.eq(id),
        ))
        .execute(&mut conn)
        .unwrap();
    id
}

/// `client` chooses `program` in the header's dropdown and sees its reference data.
async fn work_in(client: &mut Client, program: Uuid, name: &str) {
    client.get("/reference-data").await;
    let res = client
        .post("/program-context", &[("program_id", &program.to_string())])
        .await;
    assert_eq!(res.status, 303, "{}", res.body);
    let page = client.get("/reference-data").await;
    assert!(
        page.body.contains(&format!("Reference data of {name}")),
        "{}",
        page.body
    );
}

/// A Swimming age group 3-5 and session type pair, new to the demo, offered by one new course
/// and used by nothing else.
fn course_using_codes(app: &TestApp) {
    let mut conn = app.conn();
    sql_query(
        "WITH p AS (SELECT id FROM programs WHERE name = 'Swimming'),
              g AS (INSERT INTO age_groups (program_id, code, name, min_age, max_age) SELECT id, '3-5', 'Ages 3-5', 3, 5 FROM p),
              t AS (INSERT INTO session_types (program_id, code, name, capacity) SELECT id, 'pair', 'Pair', 2 FROM p),
              c AS (INSERT INTO courses (program_id, name) SELECT id, 'Fixture Tadpoles' FROM p RETURNING id, program_id)
         SELECT id FROM c",
    )
    .execute(&mut conn)
    .unwrap();
    // The codes exist before the offerings name them (the offerings' foreign keys check them).
    sql_query(
        "WITH c AS (SELECT id, program_id FROM courses WHERE name = 'Fixture Tadpoles'),
              a AS (INSERT INTO course_age_groups (course_id, program_id, age_group) SELECT id, program_id, '3-5' FROM c)
         INSERT INTO course_session_types (course_id, program_id, session_type) SELECT id, program_id, 'pair' FROM c",
    )
    .execute(&mut conn)
    .unwrap();
}

#[actix_web::test]
async fn the_page_shows_the_programs_age_groups_and_session_types() {
    let app = spawn_app().await;
    let mut admin = app.login("swim.admin").await;
    let page = admin.get("/reference-data").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Reference data of Swimming"));
    for text in [
        "6-8",
        "9-12",
        "13-17",
        "18+",
        "Ages 18 and over",
        "school-group",
        "Up to 50 students",
    ] {
        assert!(page.body.contains(text), "{text}");
    }
}

#[actix_web::test]
async fn an_admin_adds_edits_and_removes_an_age_group_inline_with_htmx() {
    let app = spawn_app().await;
    // Swimming's 18+ is used by the demo's courses; a program of the test's own uses nothing.
    let diving = own_program(&app, "Diving", "swim.admin");
    let mut admin = app.login("swim.admin").await;
    work_in(&mut admin, diving, "Diving").await;
    diesel::delete(
        age_groups::table
            .filter(age_groups::program_id.eq(diving))
            .filter(age_groups::code.eq("18+")),
    )
    .execute(&mut app.conn())
    .unwrap();
    let res = admin
        .htmx_post(
            "/reference-data/age-groups",
            &[
                ("code", "18-25"),
                ("name", "Young adults"),
                ("min_age", "18"),
                ("max_age", "25"),
            ],
            Some(diving),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.body);
    assert!(
        res.body.starts_with("<section id=\"age-groups\""),
        "just the section"
    );
    assert!(res.body.contains("Age group 18-25 added."));
    let res = admin
        .htmx_post(
            "/reference-data/age-groups",
            &[
                ("code", "26+"),
                ("name", "Adults"),
                ("min_age", "26"),
                ("max_age", ""),
            ],
            Some(diving),
        )
        .await;
    assert_eq!(res.status, 200);
    assert_eq!(
        codes(&app, "Diving"),
        ["6-8", "9-12", "13-17", "18-25", "26+"]
    );

    let (id, _) = age_group(&app, "Diving", "18-25");
    let res = admin
        .htmx_get(&format!("/reference-data/age-groups/{id}"), Some(diving))
        .await;
    assert_eq!(res.status, 200);
    assert!(res.body.contains("value=\"Young adults\"") && res.body.contains("Save"));
    let res = admin
        .htmx_post(
            &format!("/reference-data/age-groups/{id}"),
            &[
                ("code", "18-25"),
                ("name", "Students"),
                ("min_age", "18"),
                ("max_age", "25"),
            ],
            Some(diving),
        )
        .await;
    assert_eq!(res.status, 200);
    assert!(res.body.contains("Age group 18-25 saved.") && res.body.contains("Students"));

    let (id, version) = age_group(&app, "Diving", "26+");
    assert!(res
        .body
        .contains("hx-confirm=\"Remove age group 26+ from Diving? This cannot be undone.\""));
    let res = admin
        .htmx_post(
            &format!("/reference-data/age-groups/{id}/delete"),
            &[("version", &version)],
            Some(diving),
        )
        .await;
    assert_eq!(res.status, 200);
    assert!(res.body.contains("Age group 26+ removed."));
    assert_eq!(codes(&app, "Diving"), ["6-8", "9-12", "13-17", "18-25"]);
}

#[actix_web::test]
async fn plain_forms_work_without_javascript() {
    let app = spawn_app().await;
    let swimming = app.program_id("Swimming").to_string();
    let mut admin = app.login("swim.admin").await;
    admin.get("/reference-data").await;
    let res = admin
        .post(
            "/reference-data/session-types",
            &[
                ("code", "pair"),
                ("name", "Pair"),
                ("capacity", "2"),
                ("program_context", &swimming),
            ],
        )
        .await;
    assert_eq!(res.status, 303);
    let page = admin.get("/reference-data").await;
    assert!(page.body.contains("Session type pair added."));
    let (id, _) = session_type(&app, "Swimming", "pair");
    let page = admin
        .get(&format!("/reference-data/session-types/{id}"))
        .await;
    assert!(
        page.body.contains("<h1>Reference data of Swimming</h1>")
            && page.body.contains("value=\"pair\"")
    );
    let res = admin
        .post(
            &format!("/reference-data/session-types/{id}"),
            &[
                ("code", "duo"),
                ("name", "Duo"),
                ("capacity", "3"),
                ("program_context", &swimming),
            ],
        )
        .await;
    assert_eq!(res.status, 303);
    let (_, version) = session_type(&app, "Swimming", "duo");
    let res = admin
        .post(
            &format!("/reference-data/session-types/{id}/delete"),
            &[("version", &version), ("program_context", &swimming)],
        )
        .await;
    assert_eq!(res.status, 303);
}

#[actix_web::test]
async fn overlapping_ranges_duplicate_codes_and_bad_values_are_refused_beside_the_field() {
    let app = spawn_app().await;
    let swimming = app.program_id("Swimming");
    let mut admin = app.login("swim.admin").await;
    admin.get("/reference-data").await;
    let before = app.fingerprint();
    let cases: &[(&[(&str, &str)], &str)] = &[
        (
            &[
                ("code", "10-14"),
                ("name", "Tweens"),
                ("min_age", "10"),
                ("max_age", "14"),
            ],
            "These ages overlap 9-12 (9 to 12)",
        ),
        (
            &[
                ("code", "60+"),
                ("name", "Seniors"),
                ("min_age", "60"),
                ("max_age", ""),
            ],
            "These ages overlap 18+ (18 and over)",
        ),
        (
            &[
                ("code", "9-12"),
                ("name", "Again"),
                ("min_age", "90"),
                ("max_age", "95"),
            ],
            "Another age group of this program has that code.",
        ),
        (
            &[
                ("code", "Bad Code"),
                ("name", "X"),
                ("min_age", "90"),
                ("max_age", "95"),
            ],
            "Use lowercase letters, digits and dashes",
        ),
        (
            &[
                ("code", "old"),
                ("name", "Old"),
                ("min_age", "95"),
                ("max_age", "90"),
            ],
            "The maximum age cannot be below the minimum age.",
        ),
        (
            &[
                ("code", "old"),
                ("name", ""),
                ("min_age", "abc"),
                ("max_age", ""),
            ],
            "Enter a whole number from 0 to 120.",
        ),
    ];
    for (fields, message) in cases {
        let res = admin
            .htmx_post("/reference-data/age-groups", fields, Some(swimming))
            .await;
        assert_eq!(res.status, 422, "{fields:?}");
        assert!(res.body.contains(message), "{message}: {}", res.body);
        assert!(
            res.body.contains(&format!("value=\"{}\"", fields[0].1)),
            "values kept"
        );
    }
    for capacity in ["0", "101", "many"] {
        let res = admin
            .htmx_post(
                "/reference-data/session-types",
                &[("code", "crowd"), ("name", "Crowd"), ("capacity", capacity)],
                Some(swimming),
            )
            .await;
        assert_eq!(res.status, 422);
        assert!(res.body.contains("Enter a whole number from 1 to 100."));
    }
    let res = admin
        .htmx_post(
            "/reference-data/session-types",
            &[
                ("code", "group"),
                ("name", "Group again"),
                ("capacity", "6"),
            ],
            Some(swimming),
        )
        .await;
    assert_eq!(res.status, 422);
    assert!(res
        .body
        .contains("Another session type of this program has that code."));
    let (id, _) = age_group(&app, "Swimming", "6-8");
    let res = admin
        .htmx_post(
            &format!("/reference-data/age-groups/{id}"),
            &[
                ("code", "6-8"),
                ("name", "Little ones"),
                ("min_age", "6"),
                ("max_age", "9"),
            ],
            Some(swimming),
        )
        .await;
    assert_eq!(res.status, 422, "widening into the next group");
    assert_eq!(app.fingerprint(), before);
}

#[actix_web::test]
async fn a_code_in_use_is_neither_renamed_nor_removed_and_the_page_says_where_it_is_used() {
    let app = spawn_app().await;
    course_using_codes(&app);
    let swimming = app.program_id("Swimming");
    let mut admin = app.login("swim.admin").await;
    let page = admin.get("/reference-data").await;
    for code in ["3-5", "pair"] {
        let at = page
            .body
            .find(&format!("<code>{code}</code>"))
            .unwrap_or_else(|| panic!("{code} is listed"));
        let row = &page.body[at..at + page.body[at..].find("</li>").unwrap()];
        assert!(row.contains("Used by 1 course</span>"), "{code}: {row}");
        assert!(
            !row.contains("aria-label=\"Remove"),
            "{code} offers no Remove: {row}"
        );
    }
    let before = app.fingerprint();
    let (id, version) = age_group(&app, "Swimming", "3-5");
    let res = admin
        .htmx_post(
            &format!("/reference-data/age-groups/{id}"),
            &[
                ("code", "3-to-5"),
                ("name", "Ages 3-5"),
                ("min_age", "3"),
                ("max_age", "5"),
            ],
            Some(swimming),
        )
        .await;
    assert_eq!(res.status, 422);
    assert!(res
        .body
        .contains("Code 3-5 is used by 1 course; it cannot be renamed."));
    let res = admin
        .htmx_post(
            &format!("/reference-data/age-groups/{id}/delete"),
            &[("version", &version)],
            Some(swimming),
        )
        .await;
    assert_eq!(res.status, 409);
    assert!(res
        .body
        .contains("Age group 3-5 is used by 1 course; it cannot be removed."));
    let (id, version) = session_type(&app, "Swimming", "pair");
    let res = admin
        .htmx_post(
            &format!("/reference-data/session-types/{id}/delete"),
            &[("version", &version)],
            Some(swimming),
        )
        .await;
    assert_eq!(res.status, 409);
    assert!(res.body.contains("Session type pair is used by 1 course"));
    let res = admin
        .htmx_post(
            &format!("/reference-data/session-types/{id}"),
            &[("code", "pairs"), ("name", "Pair"), ("capacity", "2")],
            Some(swimming),
        )
        .await;
    assert_eq!(res.status, 422);
    assert_eq!(app.fingerprint(), before);
    // The name and the ages of a code in use may still change.
    let (id, _) = age_group(&app, "Swimming", "3-5");
    let res = admin
        .htmx_post(
            &format!("/reference-data/age-groups/{id}"),
            &[
                ("code", "3-5"),
                ("name", "Little swimmers"),
                ("min_age", "2"),
                ("max_age", "5"),
            ],
            Some(swimming),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.body);
}

#[actix_web::test]
async fn rows_of_another_program_are_not_found_and_nothing_changes() {
    let app = spawn_app().await;
    let swimming = app.program_id("Swimming");
    let mut admin = app.login("swim.admin").await;
    admin.get("/reference-data").await;
    let (age, age_version) = age_group(&app, "Football", "6-8");
    let (kind, kind_version) = session_type(&app, "Football", "group");
    let before = app.fingerprint();
    for (path, fields) in [
        (
            format!("/reference-data/age-groups/{age}"),
            vec![
                ("code", "6-8"),
                ("name", "X"),
                ("min_age", "6"),
                ("max_age", "8"),
            ],
        ),
        (
            format!("/reference-data/age-groups/{age}/delete"),
            vec![("version", age_version.as_str())],
        ),
        (
            format!("/reference-data/session-types/{kind}"),
            vec![("code", "group"), ("name", "X"), ("capacity", "5")],
        ),
        (
            format!("/reference-data/session-types/{kind}/delete"),
            vec![("version", kind_version.as_str())],
        ),
    ] {
        assert_eq!(
            admin.htmx_post(&path, &fields, Some(swimming)).await.status,
            404,
            "{path}"
        );
        assert_eq!(admin.post(&path, &fields).await.status, 404, "{path}");
    }
    assert_eq!(
        admin
            .get(&format!("/reference-data/age-groups/{age}"))
            .await
            .status,
        404
    );
    assert_eq!(
        admin
            .get(&format!("/reference-data/session-types/{kind}"))
            .await
            .status,
        404
    );
    assert_eq!(app.fingerprint(), before);
}

#[actix_web::test]
async fn coordinators_and_tutors_may_not_change_reference_data() {
    let app = spawn_app().await;
    let (age, version) = age_group(&app, "Swimming", "6-8");
    for username in ["swim.coord", "swim.tutor"] {
        let mut client = app.login(username).await;
        let before = app.fingerprint();
        assert_eq!(client.get("/reference-data").await.status, 403);
        let res = client
            .post(
                "/reference-data/age-groups",
                &[("code", "90+"), ("name", "X"), ("min_age", "90")],
            )
            .await;
        assert_eq!(res.status, 403);
        let res = client
            .post(
                &format!("/reference-data/age-groups/{age}/delete"),
                &[("version", &version)],
            )
            .await;
        assert_eq!(res.status, 403);
        assert_eq!(app.fingerprint(), before);
    }
}

#[actix_web::test]
async fn in_the_browser_an_admin_edits_adds_and_removes_rows_in_place() {
    let app = spawn_app().await;
    // The default session types are used by the demo's courses; this one by nothing.
    sql_query(
        "INSERT INTO session_types (program_id, code, name, capacity)
         SELECT id, 'squad', 'Squad', 12 FROM programs WHERE name = 'Swimming'",
    )
    .execute(&mut app.conn())
    .unwrap();
    let Some(browser) = crate::support::browser::start(&app.base).await else {
        return;
    };
    browser.sign_in("swim.admin").await;
    browser.open("/reference-data").await;
    browser
        .wait_for_text("h1", "Reference data of Swimming")
        .await;
    browser.click("a[aria-label='Edit age group 9-12']").await;
    browser.fill("#edit-age-group-name", "Juniors").await;
    browser.screenshot("reference-data-editing").await;
    browser
        .click("#age-groups .editing button[type=submit]")
        .await;
    browser
        .wait_for_text("#age-groups", "Age group 9-12 saved.")
        .await;
    browser.wait_for_text("#age-groups", "Juniors").await;

    browser.fill("#new-age-group-code", "10-11").await;
    browser.fill("#new-age-group-name", "Overlapping").await;
    browser.fill("#new-age-group-min_age", "10").await;
    browser.fill("#new-age-group-max_age", "11").await;
    browser
        .click("#age-groups form.add button[type=submit]")
        .await;
    browser
        .wait_for_text("#age-groups .field-error", "These ages overlap 9-12")
        .await;
    browser.screenshot("reference-data-error").await;

    browser
        .click("button[aria-label='Remove session type squad']")
        .await;
    browser.client.accept_alert().await.unwrap();
    browser
        .wait_for_text("#session-types", "Session type squad removed.")
        .await;
    let body = browser.text("#session-types").await;
    assert!(!body.contains("Up to 12 students"));

    browser.set_width(390).await;
    browser.open("/reference-data").await;
    browser.wait_for_text("h1", "Reference data").await;
    browser
        .click("a[aria-label='Edit session type group']")
        .await;
    browser
        .wait_for_text("#session-types .editing", "Capacity")
        .await;
    browser.screenshot("reference-data-editing-phone").await;
    let overflow: bool = browser
        .client
        .execute(
            "return document.documentElement.scrollWidth > window.innerWidth;",
            vec![],
        )
        .await
        .unwrap()
        .as_bool()
        .unwrap();
    assert!(!overflow, "fits a 390 px wide phone");
    browser.close().await;
}

#[actix_web::test]
async fn overlapping_age_groups_saved_at_the_same_moment_are_not_both_kept() {
    let app = spawn_app().await;
    // Swimming's age groups are used by the demo's courses; a program of the test's own starts
    // with none at all.
    let diving = own_program(&app, "Diving", "swim.admin");
    diesel::delete(age_groups::table.filter(age_groups::program_id.eq(diving)))
        .execute(&mut app.conn())
        .unwrap();
    let mut clients = Vec::new();
    for _ in 0..4 {
        let mut client = app.login("swim.admin").await;
        work_in(&mut client, diving, "Diving").await;
        clients.push(client);
    }
    let [a, b, c, d] = &mut clients[..] else {
        unreachable!()
    };
    let (fa, fb, fc, fd) = (
        overlapping(10),
        overlapping(11),
        overlapping(12),
        overlapping(13),
    );
    let (ba, bb, bc, bd) = (refs(&fa), refs(&fb), refs(&fc), refs(&fd));
    let path = "/reference-data/age-groups";
    let results = tokio::join!(
        a.htmx_post(path, &ba, Some(diving)),
        b.htmx_post(path, &bb, Some(diving)),
        c.htmx_post(path, &bc, Some(diving)),
        d.htmx_post(path, &bd, Some(diving)),
    );
    let statuses = [
        results.0.status,
        results.1.status,
        results.2.status,
        results.3.status,
    ];
    assert_eq!(
        statuses.iter().filter(|s| **s == 200).count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 422).count(),
        3,
        "{statuses:?}"
    );
    assert_eq!(codes(&app, "Diving").len(), 1);
}

/// Fields of an age group from `n` to `n + 5`: any two of these overlap.
fn overlapping(n: u32) -> Vec<(&'static str, String)> {
    vec![
        ("code", format!("{n}-{}", n + 5)),
        ("name", format!("From {n}")),
        ("min_age", n.to_string()),
        ("max_age", (n + 5).to_string()),
    ]
}

fn refs<'a>(fields: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    fields.iter().map(|(k, v)| (*k, v.as_str())).collect()
}
