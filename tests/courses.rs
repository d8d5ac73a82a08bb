//! Courses: list, form with offerings, archive/restore/delete, tutor assignment, the tutor's view,
//! isolation between programs, and the course page's fixed number of queries.

use diesel::{prelude::*, sql_query};
use uuid::Uuid;

use crate::support::{catalogue, query_count, spawn_app, TestApp};

#[derive(QueryableByName)]
struct Id {
    #[diesel(sql_type = diesel::sql_types::Uuid)]
    id: Uuid,
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

/// The id the query selects (as `id`).
pub fn uuid_of(app: &TestApp, query: &str) -> Uuid {
    sql_query(query)
        .get_result::<Id>(&mut app.conn())
        .unwrap_or_else(|e| panic!("{query}: {e}"))
        .id
}

/// The count the query selects (as `n`).
pub fn count_of(app: &TestApp, query: &str) -> i64 {
    sql_query(query)
        .get_result::<Count>(&mut app.conn())
        .unwrap_or_else(|e| panic!("{query}: {e}"))
        .n
}

pub fn course_id(app: &TestApp, name: &str) -> Uuid {
    uuid_of(
        app,
        &format!(
            "SELECT id FROM courses WHERE name = '{}'",
            name.replace('\'', "''")
        ),
    )
}

fn new_course_fields(name: &str) -> Vec<(&str, &str)> {
    vec![
        ("name", name),
        ("description", "Breaststroke for beginners."),
        ("level", "2"),
        ("is_active", "on"),
        ("age_groups", "6-8"),
        ("age_groups", "9-12"),
        ("location_types", "our-facility"),
        ("session_types", "group"),
    ]
}

/// A Swimming course of the test's own, named `name`, offering 18+, our facility and client
/// location, group and private sessions; no curriculum, prices or enrollments (the demo courses
/// have them).
fn own_course(app: &TestApp, name: &str) -> Uuid {
    catalogue::add_course(
        &mut app.conn(),
        app.program_id("Swimming"),
        name,
        &["18+"],
        &["our-facility", "client-location"],
        &["group", "private"],
    )
}

/// Gives `course` a curriculum of 2 curricula x 3 modules x 4 lessons (24 lessons).
fn add_tree(app: &TestApp, course: Uuid) {
    sql_query(format!(
        "WITH cu AS (INSERT INTO curricula (program_id, course_id, name, sequence_order)
                     SELECT program_id, id, 'Own term ' || n, n FROM courses, generate_series(1, 2) n
                     WHERE id = '{course}' RETURNING id, program_id),
              m AS (INSERT INTO modules (program_id, curriculum_id, name, sequence_order)
                    SELECT cu.program_id, cu.id, 'Own module ' || n, n FROM cu, generate_series(1, 3) n RETURNING id, program_id)
         INSERT INTO lessons (program_id, module_id, name, content, duration_minutes, sequence_order)
         SELECT m.program_id, m.id, 'Own lesson ' || n, 'text', 30, n FROM m, generate_series(1, 4) n"
    ))
    .execute(&mut app.conn())
    .unwrap();
}

#[actix_web::test]
async fn a_program_admin_creates_a_course_with_the_offerings_ticked() {
    let app = spawn_app().await;
    let mut admin = app.login("swim.admin").await;
    let form = admin.get("/courses/new").await;
    assert_eq!(form.status, 200);
    assert!(form.body.contains("Ages 6-8") && form.body.contains("School group"));
    let res = admin
        .post("/courses", &new_course_fields("Breaststroke Basics"))
        .await;
    assert_eq!(res.status, 303, "{}", res.body);
    let id = course_id(&app, "Breaststroke Basics");
    assert_eq!(res.location(), Some(format!("/courses/{id}").as_str()));
    let page = admin.get(&format!("/courses/{id}")).await;
    assert!(page.body.contains("created"), "the page confirms");
    assert!(page.body.contains("Ages 9-12") && page.body.contains("Our facility"));
    let swimming = app.program_id("Swimming");
    assert_eq!(
        uuid_of(
            &app,
            &format!("SELECT program_id AS id FROM courses WHERE id = '{id}'")
        ),
        swimming
    );
    assert_eq!(
        count_of(
            &app,
            &format!("SELECT count(*) AS n FROM course_age_groups WHERE course_id = '{id}'")
        ),
        2
    );
    assert_eq!(
        count_of(
            &app,
            &format!("SELECT count(*) AS n FROM course_session_types WHERE course_id = '{id}'")
        ),
        1
    );
}

#[actix_web::test]
async fn a_course_form_with_mistakes_answers_422_with_messages_beside_the_fields_and_values_kept() {
    let app = spawn_app().await;
    // An age group of another program is not a choice here.
    sql_query(
        "INSERT INTO age_groups (program_id, code, name, min_age, max_age)
         SELECT id, 'u10', 'Under 10', 6, 9 FROM programs WHERE name = 'Football'",
    )
    .execute(&mut app.conn())
    .unwrap();
    let mut admin = app.login("swim.admin").await;
    admin.get("/courses/new").await;
    let before = app.fingerprint();
    let res = admin
        .post(
            "/courses",
            &[
                ("name", "  "),
                ("description", "Kept description"),
                ("level", "99"),
                ("age_groups", "u10"),
                ("location_types", "moon"),
            ],
        )
        .await;
    assert_eq!(res.status, 422);
    assert!(res.body.contains("This field is required."));
    assert!(res.body.contains("Enter a whole number from 1 to 20."));
    assert!(res.body.contains("Choose age group from the list."));
    assert!(
        !res.body.contains("Under 10"),
        "only this program's age groups are offered"
    );
    assert!(res.body.contains("Choose location type from the list."));
    assert!(res.body.contains("Choose at least one session type."));
    assert!(res.body.contains("Kept description"));
    assert!(res.body.contains("value=\"99\""));
    assert_eq!(app.fingerprint(), before);
}

#[actix_web::test]
async fn the_course_list_searches_filters_by_status_sorts_and_says_when_nothing_matches() {
    let app = spawn_app().await;
    let mut coord = app.login("swim.coord").await;
    let list = coord.get("/courses").await;
    assert_eq!(list.status, 200);
    assert!(list.body.contains("Learn to Swim: Dolphins"));
    assert!(
        !list.body.contains("Aqua Fitness"),
        "archived courses are hidden by default"
    );
    assert!(!list.body.contains("New course"), "coordinators only read");
    let archived = coord.get("/courses?status=archived").await;
    assert!(archived.body.contains("Aqua Fitness") && !archived.body.contains("Dolphins"));
    let search = coord.get("/courses?q=learn+to").await;
    assert!(search.body.contains("Starfish") && !search.body.contains("Junior Squad"));
    let percent = coord.get("/courses?q=%25").await;
    assert!(
        percent.body.contains("No courses match"),
        "% is taken literally"
    );
    let by_level = coord.get("/courses?sort=-level").await;
    let junior = by_level.body.find("Junior Squad").unwrap();
    let starfish = by_level.body.find("Learn to Swim: Starfish").unwrap();
    assert!(junior < starfish, "highest level first");
    let by_name = coord.get("/courses?sort=name").await;
    assert!(
        by_name.body.find("Adult Beginners").unwrap()
            < by_name.body.find("Stroke Development").unwrap()
    );
    assert_eq!(coord.get("/courses?page=0").await.status, 400);
}

#[actix_web::test]
async fn the_course_list_pages_through_many_courses() {
    let app = spawn_app().await;
    sql_query(
        "INSERT INTO courses (program_id, name) SELECT p.id, 'Bulk course ' || lpad(n::text, 2, '0')
         FROM programs p, generate_series(1, 30) n WHERE p.name = 'Swimming'",
    )
    .execute(&mut app.conn())
    .unwrap();
    let mut admin = app.login("swim.admin").await;
    let first = admin.get("/courses?q=bulk").await;
    assert!(first.body.contains("1–25 of 30"), "{}", first.body);
    let second = admin.get("/courses?q=bulk&page=2").await;
    assert!(second.body.contains("26–30 of 30") && second.body.contains("Bulk course 30"));
}

#[actix_web::test]
async fn editing_a_course_saves_its_fields_and_replaces_its_offerings() {
    let app = spawn_app().await;
    let id = own_course(&app, "Adult Starters");
    let mut admin = app.login("swim.admin").await;
    let form = admin.get(&format!("/courses/{id}/edit")).await;
    assert!(form.body.contains("value=\"Adult Starters\""));
    let page = admin.get(&format!("/courses/{id}")).await;
    assert!(page.body.contains(">Client location<"), "offered before");
    let res = admin
        .post(
            &format!("/courses/{id}/edit"),
            &[
                ("name", "Adult Improvers"),
                ("description", "Next steps."),
                ("level", "3"),
                ("is_active", "on"),
                ("age_groups", "18+"),
                ("location_types", "virtual"),
                ("session_types", "private"),
            ],
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.body);
    let page = admin.get(&format!("/courses/{id}")).await;
    assert!(page.body.contains("Adult Improvers") && page.body.contains("saved"));
    assert!(page.body.contains("Virtual") && !page.body.contains(">Client location<"));
    assert_eq!(
        count_of(
            &app,
            &format!("SELECT count(*) AS n FROM course_location_types WHERE course_id = '{id}'")
        ),
        1
    );
}

/// A facility and an active price for `course` (age group 18+, our facility, group), in Swimming.
fn price(app: &TestApp, course: Uuid) {
    sql_query(format!(
        "WITH f AS (INSERT INTO facilities (program_id, name, facility_type, capacity)
                    SELECT id, 'Test pool', 'pool', 20 FROM programs WHERE name = 'Swimming' RETURNING id, program_id)
         INSERT INTO facility_course_pricing (facility_id, course_id, program_id, age_group, location_type, session_type, price)
         SELECT f.id, '{course}', f.program_id, '18+', 'our-facility', 'group', 15000 FROM f"
    ))
    .execute(&mut app.conn())
    .unwrap();
}

#[actix_web::test]
async fn removing_an_offering_that_a_price_uses_is_refused_with_a_clear_message() {
    let app = spawn_app().await;
    let id = own_course(&app, "Adult Starters");
    price(&app, id);
    let mut admin = app.login("swim.admin").await;
    admin.get(&format!("/courses/{id}/edit")).await;
    let before = app.fingerprint();
    let res = admin
        .post(
            &format!("/courses/{id}/edit"),
            &[
                ("name", "Renamed"),
                ("level", "1"),
                ("age_groups", "18+"),
                ("location_types", "client-location"),
                ("session_types", "group"),
                ("session_types", "private"),
            ],
        )
        .await;
    assert_eq!(res.status, 422);
    assert!(
        res.body
            .contains("Cannot remove Our facility (used by 1 price)"),
        "{}",
        res.body
    );
    assert_eq!(
        app.fingerprint(),
        before,
        "nothing changed, not even the name"
    );
}

#[actix_web::test]
async fn archiving_and_restoring_a_course_asks_first_and_keeps_everything() {
    let app = spawn_app().await;
    let id = course_id(&app, "Junior Squad");
    let mut admin = app.login("swim.admin").await;
    let page = admin.get(&format!("/courses/{id}")).await;
    assert!(page.body.contains("data-confirm=\"Archive Junior Squad?"));
    let before = app.fingerprint();
    let bare = admin.post(&format!("/courses/{id}/archive"), &[]).await;
    assert_eq!(
        bare.status, 400,
        "a post without confirmation changes nothing"
    );
    assert_eq!(app.fingerprint(), before);
    let version = app.version_of("courses", id);
    let res = admin
        .post(&format!("/courses/{id}/archive"), &[("version", &version)])
        .await;
    assert_eq!(res.status, 303);
    let page = admin.get(&format!("/courses/{id}")).await;
    assert!(page.body.contains("archived") && page.body.contains("Restore course"));
    assert!(!admin.get("/courses").await.body.contains("Junior Squad"));
    let version = app.version_of("courses", id);
    let res = admin
        .post(&format!("/courses/{id}/restore"), &[("version", &version)])
        .await;
    assert_eq!(res.status, 303);
    assert!(admin.get("/courses").await.body.contains("Junior Squad"));
}

#[actix_web::test]
async fn a_course_with_prices_cannot_be_deleted_and_its_page_says_why() {
    let app = spawn_app().await;
    let id = own_course(&app, "Adult Starters");
    price(&app, id);
    let mut admin = app.login("swim.admin").await;
    let page = admin.get(&format!("/courses/{id}")).await;
    assert!(page
        .body
        .contains("This course has 1 price, so it cannot be deleted; archive it instead."));
    assert!(!page.body.contains("Delete course"));
    let before = app.fingerprint();
    let version = app.version_of("courses", id);
    let res = admin
        .post(&format!("/courses/{id}/delete"), &[("version", &version)])
        .await;
    assert_eq!(res.status, 409);
    assert!(res.body.contains("cannot be deleted"));
    assert_eq!(app.fingerprint(), before);
}

#[actix_web::test]
async fn a_course_with_enrollments_cannot_be_deleted() {
    let app = spawn_app().await;
    let id = own_course(&app, "Adult Starters");
    enroll(&app, id, "Ada", "Obi");
    let mut admin = app.login("swim.admin").await;
    let page = admin.get(&format!("/courses/{id}")).await;
    assert!(
        page.body
            .contains("This course has 1 enrollment and 1 price, so it cannot be deleted"),
        "the page says why"
    );
    assert!(!page.body.contains("Delete course"));
    let before = app.fingerprint();
    let version = app.version_of("courses", id);
    let res = admin
        .post(&format!("/courses/{id}/delete"), &[("version", &version)])
        .await;
    assert_eq!(res.status, 409);
    assert_eq!(app.fingerprint(), before);
}

#[actix_web::test]
async fn an_unused_course_is_deleted_with_its_curriculum_after_confirmation() {
    let app = spawn_app().await;
    let id = own_course(&app, "Adult Starters");
    add_tree(&app, id);
    let mut admin = app.login("swim.admin").await;
    let page = admin.get(&format!("/courses/{id}")).await;
    assert!(page
        .body
        .contains("data-confirm=\"Delete Adult Starters with its whole curriculum (24 lessons)"));
    let before = app.fingerprint();
    assert_eq!(
        admin
            .post(&format!("/courses/{id}/delete"), &[])
            .await
            .status,
        400
    );
    assert_eq!(app.fingerprint(), before);
    let version = app.version_of("courses", id);
    let res = admin
        .post(&format!("/courses/{id}/delete"), &[("version", &version)])
        .await;
    assert_eq!(res.status, 303);
    assert_eq!(res.location(), Some("/courses"));
    assert_eq!(
        count_of(
            &app,
            &format!("SELECT count(*) AS n FROM courses WHERE id = '{id}'")
        ),
        0
    );
    assert_eq!(
        count_of(
            &app,
            &format!("SELECT count(*) AS n FROM curricula WHERE course_id = '{id}'")
        ),
        0
    );
    assert_eq!(
        count_of(
            &app,
            "SELECT count(*) AS n FROM lessons WHERE name LIKE 'Own lesson %'"
        ),
        0,
        "the lessons went with it"
    );
    assert!(admin.get("/courses").await.body.contains("deleted"));
}

#[actix_web::test]
async fn coordinators_and_tutors_may_not_change_the_catalogue() {
    let app = spawn_app().await;
    let id = course_id(&app, "Learn to Swim: Starfish");
    for username in ["swim.coord", "swim.tutor"] {
        let mut user = app.login(username).await;
        let before = app.fingerprint();
        for (path, fields) in [
            ("/courses".to_string(), new_course_fields("Sneaky")),
            (format!("/courses/{id}/edit"), new_course_fields("Sneaky")),
            (format!("/courses/{id}/archive"), vec![("version", "0")]),
            (format!("/courses/{id}/delete"), vec![("version", "0")]),
            (format!("/courses/{id}/restore"), vec![]),
            (format!("/courses/{id}/tutors"), vec![("user_id", "x")]),
            (
                format!("/courses/{id}/tutors/{}/delete", app.user_id("swim.tutor")),
                vec![("version", "0")],
            ),
        ] {
            assert_eq!(
                user.post(&path, &fields).await.status,
                403,
                "{username} {path}"
            );
        }
        assert_eq!(user.get("/courses/new").await.status, 403);
        assert_eq!(user.get(&format!("/courses/{id}/edit")).await.status, 403);
        assert_eq!(app.fingerprint(), before);
        let page = user.get(&format!("/courses/{id}")).await;
        assert_eq!(page.status, 200, "{username} reads the course");
        assert!(!page.body.contains("Edit course"));
        assert_eq!(
            page.body.contains("Add curriculum"),
            username == "swim.coord",
            "{username}: coordinators edit curricula, tutors do not"
        );
        assert!(!page.body.contains("Assign a tutor"));
    }
}

#[actix_web::test]
async fn a_course_of_another_program_never_appears_in_lists_or_lookups() {
    let app = spawn_app().await;
    let football_course = course_id(&app, "Little Kickers");
    for username in ["swim.admin", "swim.coord", "swim.tutor", "superadmin"] {
        let mut user = app.login(username).await;
        if username == "superadmin" {
            // The super admin works in Swimming for this check.
            user.post(
                "/program-context",
                &[("program_id", &app.program_id("Swimming").to_string())],
            )
            .await;
        }
        let list = user.get("/courses?status=all").await;
        for name in ["Little Kickers", "Grassroots Skills", "Academy Squad U15"] {
            assert!(!list.body.contains(name), "{username} sees {name}");
        }
        let search = user.get("/courses?q=kickers&status=all").await;
        assert!(!search.body.contains("Little Kickers"));
        assert_eq!(
            user.get(&format!("/courses/{football_course}"))
                .await
                .status,
            404,
            "{username}"
        );
        let mine = user.get("/my-courses").await;
        assert!(!mine.body.contains("Little Kickers"));
        let before = app.fingerprint();
        for path in ["edit", "archive", "restore", "delete", "tutors"] {
            let res = user
                .post(
                    &format!("/courses/{football_course}/{path}"),
                    &[
                        ("version", "0"),
                        ("user_id", &app.user_id("swim.tutor").to_string()),
                    ],
                )
                .await;
            assert!(
                matches!(res.status, 403 | 404),
                "{username} {path}: {}",
                res.status
            );
        }
        assert_eq!(app.fingerprint(), before, "{username} changed nothing");
    }
}

#[actix_web::test]
async fn a_program_admin_assigns_and_unassigns_a_tutor_and_the_record_says_who_and_when() {
    let app = spawn_app().await;
    let id = course_id(&app, "Adult Beginners");
    let tutor = app.user_id("swim.tutor").to_string();
    let swimming = app.program_id("Swimming");
    let mut admin = app.login("swim.admin").await;
    let page = admin.get(&format!("/courses/{id}")).await;
    assert!(page.body.contains("No tutor is assigned"));
    let res = admin
        .htmx_post(
            &format!("/courses/{id}/tutors"),
            &[("user_id", &tutor)],
            Some(swimming),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.body);
    assert!(res.body.contains("id=\"tutors\"") && res.body.contains("swim.tutor"));
    assert!(res.body.contains("assigned by swim.admin"));
    assert_eq!(
        uuid_of(
            &app,
            &format!("SELECT assigned_by AS id FROM course_tutors WHERE course_id = '{id}'")
        ),
        app.user_id("swim.admin")
    );
    // The tutor now sees it.
    let mut tutor_client = app.login("swim.tutor").await;
    assert!(tutor_client
        .get("/my-courses")
        .await
        .body
        .contains("Adult Beginners"));
    assert_eq!(
        tutor_client.get(&format!("/courses/{id}")).await.status,
        200
    );

    let twice = admin
        .htmx_post(
            &format!("/courses/{id}/tutors"),
            &[("user_id", &tutor)],
            Some(swimming),
        )
        .await;
    assert_eq!(twice.status, 422);

    let page = admin.get(&format!("/courses/{id}")).await;
    let marker = format!("/courses/{id}/tutors/{tutor}/delete");
    let version = page.hidden_after(&marker, "version").unwrap();
    let res = admin
        .htmx_post(&marker, &[("version", &version)], Some(swimming))
        .await;
    assert_eq!(res.status, 200);
    assert!(res.body.contains("No tutor is assigned"));
    assert_eq!(
        tutor_client.get(&format!("/courses/{id}")).await.status,
        404
    );
}

#[actix_web::test]
async fn only_tutors_of_the_program_can_be_assigned() {
    let app = spawn_app().await;
    let id = course_id(&app, "Adult Beginners");
    let mut admin = app.login("swim.admin").await;
    admin.get(&format!("/courses/{id}")).await;
    let before = app.fingerprint();
    for (who, user) in [
        ("a coordinator", app.user_id("swim.coord").to_string()),
        (
            "another program's user",
            app.user_id("football.coord").to_string(),
        ),
        ("nobody", Uuid::new_v4().to_string()),
        ("garbage", "not-an-id".to_string()),
    ] {
        let res = admin
            .post(&format!("/courses/{id}/tutors"), &[("user_id", &user)])
            .await;
        assert_eq!(res.status, 422, "{who}");
        assert!(
            res.body.contains("Choose a tutor of this program."),
            "{who}"
        );
    }
    assert_eq!(
        app.fingerprint(),
        before,
        "no refused assignment changed anything"
    );
    // A tutor who is not in the program (the database's composite key agrees). Their classes
    // go first: a tutor who teaches a class stays on its course.
    sql_query("DELETE FROM course_enrollments WHERE status = 'waitlisted' AND class_id IN (SELECT id FROM classes WHERE tutor_id = (SELECT id FROM users WHERE username = 'swim.tutor'))")
        .execute(&mut app.conn())
        .unwrap();
    sql_query("UPDATE course_enrollments SET class_id = NULL WHERE class_id IN (SELECT id FROM classes WHERE tutor_id = (SELECT id FROM users WHERE username = 'swim.tutor'))")
        .execute(&mut app.conn())
        .unwrap();
    sql_query("DELETE FROM class_sessions WHERE class_id IN (SELECT id FROM classes WHERE tutor_id = (SELECT id FROM users WHERE username = 'swim.tutor'))")
        .execute(&mut app.conn())
        .unwrap();
    sql_query(
        "DELETE FROM classes WHERE tutor_id = (SELECT id FROM users WHERE username = 'swim.tutor')",
    )
    .execute(&mut app.conn())
    .unwrap();
    sql_query("DELETE FROM user_program_assignments WHERE user_id = (SELECT id FROM users WHERE username = 'swim.tutor')")
        .execute(&mut app.conn())
        .unwrap();
    let res = admin
        .post(
            &format!("/courses/{id}/tutors"),
            &[("user_id", &app.user_id("swim.tutor").to_string())],
        )
        .await;
    assert_eq!(res.status, 422);
    assert_eq!(
        count_of(
            &app,
            &format!("SELECT count(*) AS n FROM course_tutors WHERE course_id = '{id}'")
        ),
        0
    );
}

/// Enrolls a new student of Swimming in `course` at a new facility, via SQL. The enrollment takes
/// the course's first offered configuration, priced at that facility first (the database refuses an
/// enrollment without a price in force).
pub fn enroll(app: &TestApp, course: Uuid, first: &str, last: &str) {
    let student = uuid_of(
        app,
        &format!(
            "INSERT INTO students (program_id, student_id, first_name, last_name)
             SELECT id, 'STU-2099-' || lpad((SELECT count(*) + 1 FROM students WHERE student_id LIKE 'STU-2099-%')::text, 5, '0'), '{first}', '{last}'
             FROM programs WHERE name = 'Swimming' RETURNING id"
        ),
    );
    let facility = uuid_of(
        app,
        "INSERT INTO facilities (program_id, name, facility_type, capacity)
         SELECT id, 'Lekki Pool', 'pool', 30 FROM programs WHERE name = 'Swimming' RETURNING id",
    );
    let configuration = format!(
        "WITH cfg AS (SELECT a.age_group, l.location_type, t.session_type
                      FROM course_age_groups a, course_location_types l, course_session_types t
                      WHERE a.course_id = '{course}' AND l.course_id = '{course}' AND t.course_id = '{course}'
                      ORDER BY 1, 2, 3 LIMIT 1)"
    );
    sql_query(format!(
        "{configuration}
         INSERT INTO facility_course_pricing (facility_id, course_id, program_id, age_group, location_type, session_type, price, effective_date)
         SELECT '{facility}', '{course}', program_id, cfg.age_group, cfg.location_type, cfg.session_type, 15000, CURRENT_DATE - 30
         FROM cfg, courses WHERE courses.id = '{course}'"
    ))
    .execute(&mut app.conn())
    .unwrap();
    let enrolled = sql_query(format!(
        "{configuration}
         INSERT INTO course_enrollments (student_id, course_id, program_id, facility_id, session_type, location_type, age_group, progress_percentage)
         SELECT '{student}', '{course}', program_id, '{facility}', cfg.session_type, cfg.location_type, cfg.age_group, 40
         FROM cfg, courses WHERE courses.id = '{course}'"
    ))
    .execute(&mut app.conn())
    .unwrap();
    assert_eq!(
        enrolled, 1,
        "the course offers a configuration to enroll in"
    );
}

/// The part of `body` from `start` to the next `end` (inclusive); panics if absent.
fn part<'a>(body: &'a str, start: &str, end: &str) -> &'a str {
    let from = body
        .find(start)
        .unwrap_or_else(|| panic!("{start} not in {body}"));
    let to = from + body[from..].find(end).expect("closed") + end.len();
    &body[from..to]
}

/// The table row of the roster that names `student`.
fn roster_row<'a>(body: &'a str, student: &str) -> &'a str {
    let at = body
        .find(student)
        .unwrap_or_else(|| panic!("{student} not in {body}"));
    let from = body[..at].rfind("<tr>").expect("in a row");
    part(&body[from..], "<tr>", "</tr>")
}

#[actix_web::test]
async fn a_tutor_lands_on_my_courses_with_trees_and_rosters_and_sees_only_their_courses() {
    let app = spawn_app().await;
    // The demo courses have students; a course of the tutor's own has nobody enrolled yet.
    let quiet = own_course(&app, "Quiet Lanes");
    sql_query(format!(
        "INSERT INTO course_tutors (course_id, program_id, user_id)
         SELECT c.id, c.program_id, u.id FROM courses c, users u WHERE c.id = '{quiet}' AND u.username = 'swim.tutor'"
    ))
    .execute(&mut app.conn())
    .unwrap();
    let mut tutor = app.login("swim.tutor").await;
    let mine = tutor.get("/my-courses").await;
    assert_eq!(mine.status, 200);
    assert!(
        mine.body.contains("Learn to Swim: Starfish") && mine.body.contains("Stroke Development")
    );
    assert!(!mine.body.contains("Junior Squad"));
    assert!(mine.body.contains("Term 1: Foundations") && mine.body.contains("Blowing bubbles"));
    assert!(part(
        &mine.body,
        "aria-label=\"Roster of Quiet Lanes\"",
        "</section>"
    )
    .contains("No students are enrolled in this course yet."));
    assert!(!mine.body.contains("Move "), "the tree is read-only");
    assert!(!mine.body.contains("Tolu Adeyemi"));

    let list = tutor.get("/courses").await;
    assert!(list.body.contains("Learn to Swim: Starfish") && !list.body.contains("Junior Squad"));
    let other = course_id(&app, "Junior Squad");
    assert_eq!(tutor.get(&format!("/courses/{other}")).await.status, 404);

    let starfish = course_id(&app, "Learn to Swim: Starfish");
    enroll(&app, starfish, "Tolu", "Adeyemi");
    enroll(&app, other, "Hidden", "Student");
    let mine = tutor.get("/my-courses").await;
    let roster = part(
        &mine.body,
        "aria-label=\"Roster of Learn to Swim: Starfish\"",
        "</section>",
    );
    let row = roster_row(roster, "Tolu Adeyemi");
    assert!(row.contains("Lekki Pool") && row.contains("40%"), "{row}");
    assert!(!mine.body.contains("Hidden Student"));
}

#[actix_web::test]
async fn the_course_page_renders_its_whole_tree_in_a_constant_number_of_queries() {
    query_count::install();
    let app = spawn_app().await;
    let small = course_id(&app, "Adult Beginners");
    // A course with a bigger tree (4 curricula x 6 modules x 10 lessons) and five enrollments.
    sql_query(
        "WITH c AS (INSERT INTO courses (program_id, name) SELECT id, 'Big course' FROM programs WHERE name = 'Swimming' RETURNING id, program_id),
              cu AS (INSERT INTO curricula (program_id, course_id, name, sequence_order)
                     SELECT c.program_id, c.id, 'Curriculum ' || n, n FROM c, generate_series(1, 4) n RETURNING id, program_id),
              m AS (INSERT INTO modules (program_id, curriculum_id, name, sequence_order)
                    SELECT cu.program_id, cu.id, 'Module ' || n, n FROM cu, generate_series(1, 6) n RETURNING id, program_id)
         INSERT INTO lessons (program_id, module_id, name, content, duration_minutes, sequence_order)
         SELECT m.program_id, m.id, 'Lesson ' || n, '*text*', 30, n FROM m, generate_series(1, 10) n",
    )
    .execute(&mut app.conn())
    .unwrap();
    sql_query(
        "WITH c AS (SELECT id FROM courses WHERE name = 'Big course')
         INSERT INTO course_age_groups (course_id, program_id, age_group) SELECT id, (SELECT id FROM programs WHERE name = 'Swimming'), '18+' FROM c;
         ",
    )
    .execute(&mut app.conn())
    .unwrap();
    for (table, column, code) in [
        ("course_location_types", "location_type", "our-facility"),
        ("course_session_types", "session_type", "group"),
    ] {
        sql_query(format!(
            "INSERT INTO {table} (course_id, program_id, {column}) SELECT id, program_id, '{code}' FROM courses WHERE name = 'Big course'"
        ))
        .execute(&mut app.conn())
        .unwrap();
    }
    let big = course_id(&app, "Big course");
    enroll(&app, small, "Only", "Student");
    for i in 0..5 {
        enroll(&app, big, "Student", &format!("Number{i}"));
    }
    let mut admin = app.login("swim.admin").await;
    let mut measure = Vec::new();
    for id in [small, big, small, big] {
        let before = query_count::count(&app.db.name);
        let page = admin.get(&format!("/courses/{id}")).await;
        assert_eq!(page.status, 200);
        measure.push(query_count::count(&app.db.name) - before);
    }
    let page = admin.get(&format!("/courses/{big}")).await;
    assert!(page.body.contains("240 lessons") && page.body.contains("Number4"));
    eprintln!(
        "queries per course page: small tree {} / big tree {}",
        measure[2], measure[3]
    );
    assert!(measure[2] > 0, "the counter sees the app's queries");
    assert_eq!(
        measure[2], measure[3],
        "same number of queries whatever the tree's size"
    );
}

#[actix_web::test]
async fn the_demo_catalogue_seeds_every_program_once_and_again_changes_nothing() {
    let app = spawn_app().await;
    for program in ["Swimming", "Football"] {
        let courses = count_of(
            &app,
            &format!("SELECT count(*) AS n FROM courses c JOIN programs p ON p.id = c.program_id WHERE p.name = '{program}'"),
        );
        assert!(
            (4..=6).contains(&courses),
            "{program} has {courses} courses"
        );
        let lessons = count_of(
            &app,
            &format!(
                "SELECT count(*) AS n FROM lessons l JOIN programs p ON p.id = l.program_id WHERE p.name = '{program}'"
            ),
        );
        assert_eq!(
            lessons,
            courses * 2 * 3 * 4,
            "{program}: 2 curricula x 3 modules x 4 lessons each"
        );
    }
    assert_eq!(
        count_of(
            &app,
            "SELECT count(*) AS n FROM course_tutors t JOIN users u ON u.id = t.user_id WHERE u.username = 'swim.tutor'"
        ),
        2
    );
    let before = app.fingerprint();
    academy_admin::demo::seed(&mut app.conn(), chrono_tz::Africa::Lagos).unwrap();
    assert_eq!(app.fingerprint(), before);
}

#[actix_web::test]
async fn switching_program_on_a_tree_page_lands_on_the_course_list_of_the_new_program() {
    let app = spawn_app().await;
    let module = uuid_of(
        &app,
        "SELECT m.id FROM modules m JOIN programs p ON p.id = m.program_id WHERE p.name = 'Football' LIMIT 1",
    );
    let mut admin = app.login("superadmin").await;
    let page = admin.get(&format!("/modules/{module}/edit")).await;
    assert_eq!(page.status, 200, "the super admin starts in Football");
    let res = admin
        .post(
            "/program-context",
            &[
                ("program_id", &app.program_id("Swimming").to_string()),
                ("return_to", &format!("/modules/{module}/edit")),
            ],
        )
        .await;
    assert_eq!(res.location(), Some("/modules"));
    let res = admin.get("/modules").await;
    assert_eq!(res.location(), Some("/courses"));
    let list = admin.get("/courses").await;
    assert!(list.body.contains("Learn to Swim: Dolphins") && !list.body.contains("Little Kickers"));
}
