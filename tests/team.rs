//! A program's Team page: its people, adding and removing them, and the accounts a program admin
//! may manage (coordinators and tutors of their own programs only). Also the sweep of every route
//! of issue 3 with Football ids, and the browser journey of a new program's first team.

use academy_admin::{
    access::Role,
    routes::ROUTES,
    schema::across_programs::{course_tutors, user_program_assignments, users},
};
use diesel::{prelude::*, sql_query};
use uuid::Uuid;

use crate::support::{browser, spawn_app, TestApp};

/// A Swimming course with `tutor` assigned to it, straight in the database.
fn course_with_tutor(app: &TestApp, program: &str, tutor: &str) -> Uuid {
    #[derive(QueryableByName)]
    struct Id {
        #[diesel(sql_type = diesel::sql_types::Uuid)]
        id: Uuid,
    }
    let mut conn = app.conn();
    let course: Id = sql_query(format!(
        "INSERT INTO courses (program_id, name) VALUES ((SELECT id FROM programs WHERE name = '{program}'), 'Course of {tutor}') RETURNING id"
    ))
    .get_result(&mut conn)
    .unwrap();
    sql_query(format!(
        "INSERT INTO course_tutors (course_id, program_id, user_id) VALUES ('{}', (SELECT id FROM programs WHERE name = '{program}'), (SELECT id FROM users WHERE username = '{tutor}'))",
        course.id
    ))
    .execute(&mut conn)
    .unwrap();
    course.id
}

/// An account straight in the database (password `academy-demo` is not needed for these).
fn add_user(app: &TestApp, username: &str, role: Role, program: Option<&str>) -> Uuid {
    let mut conn = app.conn();
    let id: Uuid = diesel::insert_into(users::table)
        .values((
            users::username.eq(username),
            users::email.eq(format!("{username}@academy.example")),
            users::password_hash.eq("x"),
            users::role.eq(role),
        ))
        .returning(users::id)
        .get_result(&mut conn)
        .unwrap();
    if let Some(program) = program {
        diesel::insert_into(user_program_assignments::table)
            .values((
                user_program_assignments::user_id.eq(id),
                user_program_assignments::program_id.eq(app.program_id(program)),
            ))
            .execute(&mut conn)
            .unwrap();
    }
    id
}

fn assigned(app: &TestApp, user: Uuid, program: &str) -> bool {
    let n: i64 = user_program_assignments::table
        .filter(user_program_assignments::user_id.eq(user))
        .filter(user_program_assignments::program_id.eq(app.program_id(program)))
        .count()
        .get_result(&mut app.conn())
        .unwrap();
    n == 1
}

#[actix_web::test]
async fn the_team_page_lists_the_programs_people_with_their_roles_and_no_one_else() {
    let app = spawn_app().await;
    let mut admin = app.login("swim.admin").await;
    let page = admin.get("/team").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Team of Swimming"));
    for who in ["Chidi Nwosu", "Halima Bello", "Bola Adeyemi"] {
        assert!(page.body.contains(who), "{who} is listed");
    }
    assert!(page.body.contains("Program coordinator") && page.body.contains("Tutor"));
    assert!(!page.body.contains("Emeka Eze"), "no one of Football");
    assert!(
        !page
            .body
            .contains(&format!("/team/users/{}/edit", app.user_id("swim.admin"))),
        "a program admin is listed but not editable by another program admin"
    );
    let page = admin.get("/team?q=halima").await;
    assert!(page.body.contains("Halima Bello") && !page.body.contains("Chidi Nwosu"));
    let page = admin.get("/team?role=program_coordinator").await;
    assert!(page.body.contains("Chidi Nwosu") && !page.body.contains("Halima Bello"));
    let page = admin.get("/team?q=nobody-like-this").await;
    assert!(page.body.contains("No team members match"));
}

#[actix_web::test]
async fn a_program_admin_creates_a_coordinator_who_joins_the_program() {
    let app = spawn_app().await;
    let mut admin = app.login("swim.admin").await;
    admin.get("/team/users/new").await;
    let res = admin
        .post(
            "/team/users/new",
            &[
                ("full_name", "Ngozi Ade"),
                ("username", "ngozi"),
                ("email", "ngozi@academy.example"),
                ("role", "program_coordinator"),
                ("password", "a-long-password"),
                ("program_context", &app.program_id("Swimming").to_string()),
            ],
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.body);
    let id = app.user_id("ngozi");
    let (by, role): (Option<Uuid>, Role) = user_program_assignments::table
        .inner_join(users::table.on(users::id.eq(user_program_assignments::user_id)))
        .filter(user_program_assignments::user_id.eq(id))
        .select((user_program_assignments::assigned_by, users::role))
        .first(&mut app.conn())
        .unwrap();
    assert_eq!(by, Some(app.user_id("swim.admin")));
    assert_eq!(role, Role::ProgramCoordinator);
    let page = admin.get("/team").await;
    assert!(page.body.contains("Account ngozi created."));
    assert!(page.body.contains("Ngozi Ade"));
    let mut ngozi = app.login_with("ngozi", "a-long-password").await;
    let page = ngozi.get("/dashboard").await;
    assert!(page.body.contains("<h1>Swimming</h1>"));
}

#[actix_web::test]
async fn a_program_admin_can_never_create_or_promote_an_admin() {
    let app = spawn_app().await;
    let mut admin = app.login("swim.admin").await;
    let page = admin.get("/team/users/new").await;
    assert!(
        !page.body.contains("value=\"super_admin\"")
            && !page.body.contains("value=\"program_admin\"")
    );
    let before = app.fingerprint();
    for role in ["super_admin", "program_admin"] {
        let res = admin
            .post(
                "/team/users/new",
                &[
                    ("full_name", "Sneaky"),
                    ("username", "sneaky"),
                    ("email", "sneaky@academy.example"),
                    ("role", role),
                    ("password", "a-long-password"),
                ],
            )
            .await;
        assert_eq!(res.status, 422, "{role}");
        assert!(res.body.contains("Choose one of the roles offered."));
        assert!(res.body.contains("value=\"sneaky\""), "values are kept");
        let coord = app.user_id("swim.coord");
        let res = admin
            .post(
                &format!("/team/users/{coord}/edit"),
                &[
                    ("full_name", "Chidi Nwosu"),
                    ("username", "swim.coord"),
                    ("email", "swim.coord@academy.example"),
                    ("role", role),
                ],
            )
            .await;
        assert_eq!(res.status, 422, "promote to {role}");
    }
    assert_eq!(app.fingerprint(), before);
}

#[actix_web::test]
async fn a_program_admin_edits_resets_the_password_of_and_deactivates_a_team_member() {
    let app = spawn_app().await;
    let mut admin = app.login("swim.admin").await;
    let tutor = app.user_id("swim.tutor");
    let page = admin.get(&format!("/team/users/{tutor}/edit")).await;
    assert_eq!(page.status, 200);
    let res = admin
        .post(
            &format!("/team/users/{tutor}/edit"),
            &[
                ("full_name", "Halima Bello-Sani"),
                ("username", "swim.tutor"),
                ("email", "halima@academy.example"),
                ("role", "program_coordinator"),
            ],
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.body);
    let (name, role): (String, Role) = users::table
        .find(tutor)
        .select((users::full_name, users::role))
        .first(&mut app.conn())
        .unwrap();
    assert_eq!(
        (name.as_str(), role),
        ("Halima Bello-Sani", Role::ProgramCoordinator)
    );

    let mut tutor_client = app.login("swim.tutor").await;
    let res = admin
        .post(
            &format!("/team/users/{tutor}/password"),
            &[("password", "short")],
        )
        .await;
    assert_eq!(res.status, 422);
    assert!(res.body.contains("Use at least 10 characters."));
    let res = admin
        .post(
            &format!("/team/users/{tutor}/password"),
            &[("password", "brand-new-secret")],
        )
        .await;
    assert_eq!(res.status, 303);
    let res = tutor_client.get("/my-courses").await;
    assert_eq!(res.status, 303, "their old session ended");
    assert!(res.location().unwrap().starts_with("/login"));
    app.login_with("swim.tutor", "brand-new-secret").await;

    let page = admin.get(&format!("/team/users/{tutor}/edit")).await;
    let version = page.hidden("version").unwrap();
    assert!(page.body.contains("data-confirm=\"Deactivate swim.tutor?"));
    let res = admin
        .post(
            &format!("/team/users/{tutor}/deactivate"),
            &[("version", &version)],
        )
        .await;
    assert_eq!(res.status, 303);
    let mut again = app.anonymous();
    again.get("/login").await;
    let res = again
        .post(
            "/login",
            &[("username", "swim.tutor"), ("password", "brand-new-secret")],
        )
        .await;
    assert_eq!(res.status, 401, "a deactivated account cannot sign in");
    let page = admin.get(&format!("/team/users/{tutor}/edit")).await;
    let version = page.hidden("version").unwrap();
    let res = admin
        .post(
            &format!("/team/users/{tutor}/activate"),
            &[("version", &version)],
        )
        .await;
    assert_eq!(res.status, 303);
    app.login_with("swim.tutor", "brand-new-secret").await;
}

#[actix_web::test]
async fn a_program_admin_gets_not_found_for_an_admin_of_their_program_or_anyone_of_another() {
    let app = spawn_app().await;
    let other_admin = add_user(&app, "swim.admin2", Role::ProgramAdmin, Some("Swimming"));
    let football_coord = app.user_id("football.coord");
    let superadmin = app.user_id("superadmin");
    let mut admin = app.login("swim.admin").await;
    admin.get("/team").await;
    let before = app.fingerprint();
    for target in [other_admin, football_coord, superadmin, Uuid::new_v4()] {
        let res = admin.get(&format!("/team/users/{target}/edit")).await;
        assert_eq!(res.status, 404);
        for action in ["edit", "password", "activate", "deactivate"] {
            let res = admin
                .post(
                    &format!("/team/users/{target}/{action}"),
                    &[
                        ("full_name", "Taken Over"),
                        ("username", "taken.over"),
                        ("email", "taken@academy.example"),
                        ("role", "tutor"),
                        ("password", "a-long-password"),
                    ],
                )
                .await;
            assert_eq!(res.status, 404, "{action} {target}");
        }
        let res = admin
            .post(
                &format!("/team/assignments/{target}/delete"),
                &[("version", "1")],
            )
            .await;
        assert_eq!(res.status, 404);
        let res = admin
            .post("/team/assignments", &[("user_id", &target.to_string())])
            .await;
        assert_eq!(res.status, 404, "adding {target}");
    }
    assert_eq!(app.fingerprint(), before);
}

#[actix_web::test]
async fn a_program_admin_adds_an_existing_coordinator_without_a_program_but_never_one_of_another_program(
) {
    let app = spawn_app().await;
    let free = add_user(&app, "free.tutor", Role::Tutor, None);
    let mut admin = app.login("swim.admin").await;
    let page = admin.get("/team").await;
    assert!(page.body.contains(&format!("<option value=\"{free}\">")));
    assert!(!page
        .body
        .contains(&app.user_id("football.coord").to_string()));
    let res = admin
        .post("/team/assignments", &[("user_id", &free.to_string())])
        .await;
    assert_eq!(res.status, 303);
    assert!(assigned(&app, free, "Swimming"));
    let by: Option<Uuid> = user_program_assignments::table
        .filter(user_program_assignments::user_id.eq(free))
        .select(user_program_assignments::assigned_by)
        .first(&mut app.conn())
        .unwrap();
    assert_eq!(by, Some(app.user_id("swim.admin")));
    let page = admin.get("/team").await;
    assert!(page
        .body
        .contains("free.tutor joined the team of Swimming."));
}

#[actix_web::test]
async fn removing_a_tutor_from_the_team_ends_their_course_assignments_after_saying_how_many() {
    let app = spawn_app().await;
    // A tutor of the test's own with one course; the demo's swim.tutor already tutors courses.
    let tutor = add_user(&app, "pool.tutor", Role::Tutor, Some("Swimming"));
    course_with_tutor(&app, "Swimming", "pool.tutor");
    let assignments_of = |user: Uuid| -> i64 {
        course_tutors::table
            .filter(course_tutors::user_id.eq(user))
            .count()
            .get_result(&mut app.conn())
            .unwrap()
    };
    let demo_tutor = app.user_id("swim.tutor");
    let demo_assignments = assignments_of(demo_tutor);
    assert!(demo_assignments > 1, "the demo's swim.tutor tutors courses");
    let mut admin = app.login("swim.admin").await;
    let page = admin.get("/team").await;
    assert!(
        page.body
            .contains("Remove pool.tutor from Swimming? Their 1 course assignment there ends too."),
        "{}",
        page.body
    );
    assert!(
        page.body.contains(&format!(
            "Remove swim.tutor from Swimming? Their {demo_assignments} course assignments there end too."
        )),
        "{}",
        page.body
    );
    let marker = format!("/team/assignments/{tutor}/delete");
    let version = page.hidden_after(&marker, "version").unwrap();
    let res = admin.post(&marker, &[("version", &version)]).await;
    assert_eq!(res.status, 303);
    assert!(!assigned(&app, tutor, "Swimming"));
    assert_eq!(assignments_of(tutor), 0);
    assert_eq!(
        assignments_of(demo_tutor),
        demo_assignments,
        "another tutor's assignments stay"
    );
    let page = admin.get("/team").await;
    assert!(page
        .body
        .contains("pool.tutor removed from Swimming; 1 course assignment ended."));
}

#[actix_web::test]
async fn coordinators_and_tutors_are_refused_every_team_and_academy_page() {
    let app = spawn_app().await;
    let coord = app.user_id("swim.coord");
    for username in ["swim.coord", "swim.tutor"] {
        let mut client = app.login(username).await;
        let before = app.fingerprint();
        for path in [
            "/team",
            "/team/users/new",
            "/reference-data",
            "/programs",
            "/users",
            "/users/new",
        ] {
            assert_eq!(client.get(path).await.status, 403, "{username} GET {path}");
        }
        let res = client
            .post(
                &format!("/team/users/{coord}/deactivate"),
                &[("version", "1")],
            )
            .await;
        assert_eq!(res.status, 403);
        let res = client
            .post("/team/users/new", &[("username", "x"), ("role", "tutor")])
            .await;
        assert_eq!(res.status, 403);
        assert_eq!(app.fingerprint(), before);
    }
}

/// A plausible form for any route of this issue, with the version of the row the route names, so
/// a refusal is not a mere validation failure.
fn fields_for(app: &TestApp, path: &str) -> Vec<(String, String)> {
    #[derive(QueryableByName)]
    struct Version {
        #[diesel(sql_type = diesel::sql_types::Text)]
        v: String,
    }
    let table = if path.contains("/age-groups/") {
        Some(("age_groups", app.football_id_for("age_group_id")))
    } else if path.contains("/session-types/") {
        Some(("session_types", app.football_id_for("session_type_id")))
    } else if path.contains("/programs/") && !path.starts_with("/users") {
        Some(("programs", app.football_id_for("program_id")))
    } else if path.contains("/users/") || path.contains("/assignments/") {
        Some(("users", app.football_id_for("user_id")))
    } else {
        None
    };
    let version = table
        .map(|(table, id)| {
            sql_query(format!(
                "SELECT (floor(extract(epoch FROM updated_at) * 1000000))::bigint::text AS v FROM {table} WHERE id = '{id}'"
            ))
            .get_result::<Version>(&mut app.conn())
            .unwrap()
            .v
        })
        .unwrap_or_default();
    [
        ("full_name", "Taken Over"),
        ("username", "taken.over"),
        ("email", "taken@academy.example"),
        ("role", "tutor"),
        ("password", "a-long-password"),
        ("name", "Taken"),
        ("description", "taken"),
        ("is_active", "on"),
        ("code", "taken"),
        ("min_age", "90"),
        ("max_age", "95"),
        ("capacity", "9"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .chain([
        ("version".to_string(), version),
        (
            "user_id".to_string(),
            app.football_id_for("user_id").to_string(),
        ),
        (
            "program_id".to_string(),
            app.football_id_for("program_id").to_string(),
        ),
    ])
    .collect()
}

fn fill(path: &str, value: impl Fn(&str) -> String) -> String {
    let mut out = String::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let end = rest[start..].find('}').unwrap() + start;
        out.push_str(&value(&rest[start + 1..end]));
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    out
}

#[actix_web::test]
async fn a_swimming_admin_asking_about_football_users_or_programs_gets_the_missing_id_answer_on_every_route(
) {
    let app = spawn_app().await;
    let mut admin = app.login("swim.admin").await;
    admin.get("/team").await;
    let before = app.fingerprint();
    let mut checked = 0;
    for route in ROUTES.iter().filter(|r| {
        ["/programs", "/users", "/team", "/reference-data"]
            .iter()
            .any(|p| r.path.starts_with(p))
            && r.path.contains('{')
    }) {
        let football = fill(route.path, |param| app.football_id_for(param).to_string());
        let missing = fill(route.path, |_| Uuid::new_v4().to_string());
        let fields = fields_for(&app, route.path);
        let fields: Vec<(&str, &str)> = fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let (a, b) = if route.method == "GET" {
            (admin.get(&football).await, admin.get(&missing).await)
        } else {
            (
                admin.post(&football, &fields).await,
                admin.post(&missing, &fields).await,
            )
        };
        assert_eq!(
            a.status, b.status,
            "{} {} answers like a missing id",
            route.method, route.path
        );
        assert!(
            matches!(a.status, 403 | 404),
            "{} {}: {}",
            route.method,
            route.path,
            a.status
        );
        if route.path.starts_with("/team") || route.path.starts_with("/reference-data") {
            assert_eq!(a.status, 404, "{} {}", route.method, route.path);
        }
        assert!(!a.body.contains("Football") && !a.body.contains("Emeka"));
        checked += 1;
    }
    assert!(
        checked >= 20,
        "every route with an id is checked ({checked})"
    );
    assert_eq!(app.fingerprint(), before, "nothing changed");
}

#[actix_web::test]
async fn in_the_browser_a_new_programs_admin_adds_a_coordinator_who_sees_only_that_program() {
    let app = spawn_app().await;
    let Some(browser) = browser::start(&app.base).await else {
        return;
    };
    // A super admin creates Athletics and puts swim.admin in charge of it.
    browser.sign_in("superadmin").await;
    browser.open("/programs").await;
    browser.wait_for_text("h1", "Programs").await;
    browser.screenshot("programs-list").await;
    browser.open("/programs/new").await;
    browser.fill("#field-name", "Athletics").await;
    browser
        .fill("#field-description", "Track and field for all ages.")
        .await;
    browser.click("form button[type=submit].primary").await;
    browser
        .wait_for_text("#flash-region", "Program Athletics created")
        .await;
    browser.screenshot("program-edit").await;
    let admin = app.user_id("swim.admin");
    browser.open(&format!("/users/{admin}/edit")).await;
    browser.wait_for_text("h1", "Bola Adeyemi").await;
    let select = browser
        .client
        .find(fantoccini::Locator::Css("#assign-program"))
        .await
        .unwrap();
    select.select_by_label("Athletics").await.unwrap();
    browser
        .click("#assign-program ~ button, form[action$='/programs'] button")
        .await;
    browser
        .wait_for_text("#flash-region", "swim.admin added to Athletics.")
        .await;
    browser.screenshot("user-edit").await;
    browser.sign_out().await;
    browser
        .wait_for_text(".flash.info", "You have signed out.")
        .await;

    // The program admin switches to Athletics and creates its first coordinator.
    browser.sign_in("swim.admin").await;
    // Two programs now: the header offers both, and Athletics (first by name) is the landing one.
    browser.wait_for_text("#program-switch", "Swimming").await;
    browser.wait_for_text("h1", "Athletics").await;
    browser.open("/team").await;
    browser.wait_for_text("h1", "Team of Athletics").await;
    browser.click("a[href='/team/users/new']").await;
    browser.fill("#field-full_name", "Tunde Bakare").await;
    browser.fill("#field-username", "tunde").await;
    browser.fill("#field-email", "tunde@academy.example").await;
    let role = browser
        .client
        .find(fantoccini::Locator::Css("#field-role"))
        .await
        .unwrap();
    role.select_by_label("Program coordinator").await.unwrap();
    browser.fill("#field-password", "tunde-password-1").await;
    browser.click("form.user-form button[type=submit]").await;
    browser
        .wait_for_text("#flash-region", "Account tunde created.")
        .await;
    browser.wait_for_text("table", "Tunde Bakare").await;
    browser.screenshot("team-athletics").await;
    browser.open("/reference-data").await;
    browser.wait_for_text("#age-groups", "18+").await;
    browser.screenshot("reference-data").await;
    browser.set_width(390).await;
    for (path, name) in [
        ("/team", "team-phone"),
        ("/reference-data", "reference-data-phone"),
        ("/account", "account-phone"),
    ] {
        browser.open(path).await;
        browser.wait_for_text("main", "").await;
        browser.screenshot(name).await;
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
        assert!(!overflow, "{path} fits a 390 px wide phone");
    }
    browser.set_width(1280).await;
    browser.sign_out().await;
    browser
        .wait_for_text(".flash.info", "You have signed out.")
        .await;

    // The coordinator signs in and sees Athletics only.
    browser.open("/login").await;
    browser.fill("#username", "tunde").await;
    browser.fill("#password", "tunde-password-1").await;
    browser.click("button[type=submit]").await;
    browser.wait_for_text(".program-name", "Athletics").await;
    browser.wait_for_text("h1", "Athletics").await;
    let header = browser.text(".topbar").await;
    assert!(!header.contains("Swimming") && !header.contains("Football"));
    assert!(browser
        .client
        .find(fantoccini::Locator::Css("#program-switch"))
        .await
        .is_err());
    browser.screenshot("coordinator-athletics").await;
    browser.close().await;
}

#[actix_web::test]
async fn a_super_admin_adds_a_program_admin_to_a_team_and_sees_every_member() {
    let app = spawn_app().await;
    let mut admin = app.login("superadmin").await;
    let football = app.program_id("Football");
    admin
        .post("/program-context", &[("program_id", &football.to_string())])
        .await;
    let page = admin.get("/team").await;
    assert!(page.body.contains("Team of Football") && page.body.contains("Emeka Eze"));
    let swim_admin = app.user_id("swim.admin");
    assert!(page
        .body
        .contains(&format!("<option value=\"{swim_admin}\">")));
    assert!(!page
        .body
        .contains(&format!("<option value=\"{}\">", app.user_id("superadmin"))));
    let res = admin
        .post(
            "/team/assignments",
            &[
                ("user_id", &swim_admin.to_string()),
                ("program_context", &football.to_string()),
            ],
        )
        .await;
    assert_eq!(res.status, 303);
    assert!(assigned(&app, swim_admin, "Football"));
    let page = admin.get("/team").await;
    assert!(
        page.body
            .contains(&format!("/team/users/{swim_admin}/edit")),
        "a super admin manages program admins"
    );
    let page = admin.get("/team/users/new").await;
    assert!(
        page.body.contains("value=\"program_admin\"")
            && !page.body.contains("value=\"super_admin\"")
    );
}

#[actix_web::test]
async fn a_program_admin_cannot_act_on_the_account_of_someone_who_also_works_in_another_program() {
    let app = spawn_app().await;
    // Made so by a super admin: a tutor of Swimming and Football, tutoring a course in each.
    let both = add_user(&app, "both.tutor", Role::Tutor, Some("Swimming"));
    diesel::insert_into(user_program_assignments::table)
        .values((
            user_program_assignments::user_id.eq(both),
            user_program_assignments::program_id.eq(app.program_id("Football")),
        ))
        .execute(&mut app.conn())
        .unwrap();
    course_with_tutor(&app, "Swimming", "both.tutor");
    course_with_tutor(&app, "Football", "both.tutor");
    let hash = |app: &TestApp| -> (String, bool) {
        users::table
            .find(both)
            .select((users::password_hash, users::is_active))
            .first(&mut app.conn())
            .unwrap()
    };
    let mut admin = app.login("swim.admin").await;
    let page = admin.get("/team").await;
    assert!(
        page.body.contains("both.tutor"),
        "the team page still lists them"
    );
    assert!(
        !page.body.contains(&format!("/team/users/{both}/edit")),
        "no account action is offered"
    );
    assert!(page.body.contains("a super admin manages this account"));
    assert!(page
        .body
        .contains(&format!("/team/assignments/{both}/delete")));

    let before = app.fingerprint();
    let res = admin.get(&format!("/team/users/{both}/edit")).await;
    assert_eq!(res.status, 404);
    for (path, fields) in [
        (
            format!("/team/users/{both}/password"),
            vec![("password", "a-new-password-1")],
        ),
        (
            format!("/team/users/{both}/deactivate"),
            vec![("version", "0")],
        ),
        (
            format!("/team/users/{both}/activate"),
            vec![("version", "0")],
        ),
        (
            format!("/team/users/{both}/edit"),
            vec![
                ("full_name", "Taken Over"),
                ("username", "both.tutor"),
                ("email", "mine@academy.example"),
                ("role", "tutor"),
            ],
        ),
    ] {
        let res = admin.post(&path, &fields).await;
        assert_eq!(res.status, 404, "{path}: refused like a missing id");
        assert!(
            !res.body.contains("Football"),
            "{path}: the refusal names no other program"
        );
    }
    assert_eq!(app.fingerprint(), before, "nothing changed");
    assert_eq!(hash(&app).0, "x", "the password is as it was");

    // Taking them off Swimming stays possible and touches nothing of Football.
    let page = admin.get("/team").await;
    let marker = format!("/team/assignments/{both}/delete");
    let version = page.hidden_after(&marker, "version").unwrap();
    let res = admin.post(&marker, &[("version", &version)]).await;
    assert_eq!(res.status, 303);
    assert!(!assigned(&app, both, "Swimming"));
    assert!(
        assigned(&app, both, "Football"),
        "their Football assignment stays"
    );
    let football_courses: i64 = course_tutors::table
        .filter(course_tutors::user_id.eq(both))
        .filter(course_tutors::program_id.eq(app.program_id("Football")))
        .count()
        .get_result(&mut app.conn())
        .unwrap();
    assert_eq!(football_courses, 1, "their Football course stays");
    assert_eq!(hash(&app), ("x".to_string(), true));

    // Someone only in the admin's programs is still theirs to manage.
    let only = add_user(&app, "only.tutor", Role::Tutor, Some("Swimming"));
    let res = admin.get(&format!("/team/users/{only}/edit")).await;
    assert_eq!(res.status, 200);
}
