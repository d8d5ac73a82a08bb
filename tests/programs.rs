//! The Academy section's programs: list, create, edit, archive, restore and delete (super admins).

use academy_admin::schema::across_programs::{
    age_groups, programs, session_types, user_program_assignments,
};
use diesel::prelude::*;
use uuid::Uuid;

use crate::support::{catalogue, fixtures, spawn_app, Client, TestApp};

async fn create_program(app: &TestApp, admin: &mut Client, name: &str) -> Uuid {
    admin.get("/programs/new").await;
    let res = admin
        .post(
            "/programs/new",
            &[("name", name), ("description", "Made in a test.")],
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.body);
    app.program_id(name)
}

fn version_of(app: &TestApp, id: Uuid) -> String {
    let at: chrono::DateTime<chrono::Utc> = programs::table
        .find(id)
        .select(programs::updated_at)
        .first(&mut app.conn())
        .unwrap();
    at.timestamp_micros().to_string()
}

#[actix_web::test]
async fn a_super_admin_creates_a_program_that_starts_with_the_default_reference_data() {
    let app = spawn_app().await;
    let mut admin = app.login("superadmin").await;
    let id = create_program(&app, &mut admin, "Athletics").await;
    let mut conn = app.conn();
    let ages: Vec<String> = age_groups::table
        .filter(age_groups::program_id.eq(id))
        .order(age_groups::min_age)
        .select(age_groups::code)
        .load(&mut conn)
        .unwrap();
    assert_eq!(ages, ["6-8", "9-12", "13-17", "18+"]);
    let mut kinds: Vec<(String, i32)> = session_types::table
        .filter(session_types::program_id.eq(id))
        .select((session_types::code, session_types::capacity))
        .load(&mut conn)
        .unwrap();
    kinds.sort();
    assert_eq!(
        kinds,
        [
            ("group".to_string(), 5),
            ("private".to_string(), 2),
            ("school-group".to_string(), 50)
        ]
    );
    let page = admin.get(&format!("/programs/{id}/edit")).await;
    assert!(page.body.contains("Program Athletics created"));
    let page = admin.get("/dashboard").await;
    assert!(
        page.body.contains(">Athletics</option>"),
        "the new program is offered at once"
    );
}

#[actix_web::test]
async fn a_program_needs_a_unique_name_and_the_form_keeps_what_was_typed() {
    let app = spawn_app().await;
    let mut admin = app.login("superadmin").await;
    admin.get("/programs/new").await;
    let before = app.fingerprint();
    let res = admin
        .post(
            "/programs/new",
            &[("name", "  "), ("description", "Kept description")],
        )
        .await;
    assert_eq!(res.status, 422);
    assert!(res.body.contains("This field is required."));
    assert!(res.body.contains("Kept description"));
    let res = admin
        .post(
            "/programs/new",
            &[("name", "swimming"), ("description", "dup")],
        )
        .await;
    assert_eq!(res.status, 422);
    assert!(res.body.contains("Another program has that name."));
    assert!(res.body.contains("value=\"swimming\""));
    let swimming = app.program_id("Swimming");
    let res = admin
        .post(
            &format!("/programs/{swimming}/edit"),
            &[("name", "Football"), ("is_active", "on")],
        )
        .await;
    assert_eq!(res.status, 422);
    assert_eq!(app.fingerprint(), before);
}

#[actix_web::test]
async fn the_program_list_searches_filters_by_status_and_sorts() {
    let app = spawn_app().await;
    let mut admin = app.login("superadmin").await;
    let page = admin.get("/programs").await;
    for name in ["Swimming", "Football", "Robotics"] {
        assert!(page.body.contains(&format!(">{name}</a>")), "{name}");
    }
    let page = admin.get("/programs?q=swim").await;
    assert!(page.body.contains(">Swimming</a>") && !page.body.contains(">Football</a>"));
    let page = admin.get("/programs?status=archived").await;
    assert!(page.body.contains(">Robotics</a>") && !page.body.contains(">Swimming</a>"));
    let page = admin.get("/programs?status=active&sort=name").await;
    let (f, s) = (
        page.body.find(">Football</a>").unwrap(),
        page.body.find(">Swimming</a>").unwrap(),
    );
    assert!(f < s, "sorted by name");
    let page = admin.get("/programs?q=no-such-program").await;
    assert!(page.body.contains("No programs match"));
}

#[actix_web::test]
async fn an_edited_program_keeps_its_data_and_shows_its_new_name() {
    let app = spawn_app().await;
    let mut admin = app.login("superadmin").await;
    let football = app.program_id("Football");
    let page = admin.get(&format!("/programs/{football}/edit")).await;
    assert!(page
        .body
        .contains("Grassroots and academy football coaching."));
    let res = admin
        .post(
            &format!("/programs/{football}/edit"),
            &[
                ("name", "Soccer"),
                ("description", "Renamed."),
                ("is_active", "on"),
            ],
        )
        .await;
    assert_eq!(res.status, 303);
    assert_eq!(app.program_id("Soccer"), football);
    let page = admin.get("/programs").await;
    assert!(page.body.contains("Program Soccer saved."));
}

#[actix_web::test]
async fn an_archived_program_leaves_every_choice_keeps_its_data_and_comes_back_when_restored() {
    let app = spawn_app().await;
    let mut admin = app.login("superadmin").await;
    let mut coord = app.login("football.coord").await;
    let football = app.program_id("Football");
    let page = admin.get(&format!("/programs/{football}/edit")).await;
    assert!(page.body.contains("data-confirm=\"Archive Football?"));
    let version = page.hidden("version").unwrap();
    let res = admin
        .post(
            &format!("/programs/{football}/archive"),
            &[("version", &version)],
        )
        .await;
    assert_eq!(res.status, 303);
    let page = admin.get("/dashboard").await;
    assert!(
        !page.body.contains(">Football</option>"),
        "not in the switcher"
    );
    let swim_tutor = app.user_id("swim.tutor");
    let page = admin.get(&format!("/users/{swim_tutor}/edit")).await;
    assert!(
        !page
            .body
            .contains(&format!("<option value=\"{football}\">")),
        "not offered to add users to"
    );
    let res = coord.get("/dashboard").await;
    assert_eq!(res.status, 403, "its team has no program to work in now");
    let ages: i64 = age_groups::table
        .filter(age_groups::program_id.eq(football))
        .count()
        .get_result(&mut app.conn())
        .unwrap();
    assert_eq!(ages, 4, "its data stays");
    assert!(
        user_program_assignments::table
            .filter(user_program_assignments::program_id.eq(football))
            .count()
            .get_result::<i64>(&mut app.conn())
            .unwrap()
            > 0
    );
    let res = admin
        .post(
            &format!("/programs/{football}/restore"),
            &[("version", &version_of(&app, football))],
        )
        .await;
    assert_eq!(res.status, 303);
    assert_eq!(coord.get("/dashboard").await.status, 200);
}

#[actix_web::test]
async fn a_stale_or_missing_version_changes_nothing() {
    let app = spawn_app().await;
    let mut admin = app.login("superadmin").await;
    let football = app.program_id("Football");
    let page = admin.get(&format!("/programs/{football}/edit")).await;
    let old = page.hidden("version").unwrap();
    admin
        .post(
            &format!("/programs/{football}/edit"),
            &[
                ("name", "Football"),
                ("description", "Changed meanwhile."),
                ("is_active", "on"),
            ],
        )
        .await;
    let before = app.fingerprint();
    let res = admin
        .post(
            &format!("/programs/{football}/archive"),
            &[("version", &old)],
        )
        .await;
    assert_eq!(res.status, 409);
    assert!(res.body.contains("changed by someone else"));
    let res = admin
        .post(&format!("/programs/{football}/delete"), &[])
        .await;
    assert_eq!(res.status, 400);
    assert_eq!(app.fingerprint(), before);
}

#[actix_web::test]
async fn a_program_something_depends_on_cannot_be_deleted_and_the_page_says_why() {
    let app = spawn_app().await;
    let mut admin = app.login("superadmin").await;
    // A program of the test's own, so the reason counts exactly the rows put in it here.
    let polo = create_program(&app, &mut admin, "Water Polo").await;
    {
        let mut conn = app.conn();
        catalogue::add_simple_course(&mut conn, polo, "Treading Water");
        catalogue::add_simple_course(&mut conn, polo, "Passing Drills");
        catalogue::add_facility(&mut conn, polo, "Polo Pool");
        diesel::insert_into(user_program_assignments::table)
            .values((
                user_program_assignments::user_id.eq(app.user_id("swim.coord")),
                user_program_assignments::program_id.eq(polo),
            ))
            .execute(&mut conn)
            .unwrap();
    }
    fixtures::student(&app, "Water Polo", "Marsh", "2015-03-01");
    let page = admin.get(&format!("/programs/{polo}/edit")).await;
    assert!(
        page.body.contains(
            "Water Polo cannot be deleted: it still has 2 courses, 1 facility, 1 student and 1 team member"
        ),
        "{}",
        page.body
    );
    assert!(!page.body.contains(&format!("/programs/{polo}/delete")));
    let before = app.fingerprint();
    let res = admin
        .post(
            &format!("/programs/{polo}/delete"),
            &[("version", &version_of(&app, polo))],
        )
        .await;
    assert_eq!(res.status, 409);
    assert!(res.body.contains(
        "Water Polo cannot be deleted: it still has 2 courses, 1 facility, 1 student and 1 team member. Archive it instead"
    ));
    assert_eq!(app.fingerprint(), before);

    // A demo program says the same, counted from what the demo data put in it.
    let swimming = app.program_id("Swimming");
    let reason = {
        let mut conn = app.conn();
        let mut count = |table: &str| -> i64 {
            #[derive(QueryableByName)]
            struct N {
                #[diesel(sql_type = diesel::sql_types::BigInt)]
                n: i64,
            }
            diesel::sql_query(format!(
                "SELECT count(*) AS n FROM {table} WHERE program_id = '{swimming}'"
            ))
            .get_result::<N>(&mut conn)
            .unwrap()
            .n
        };
        let (courses, facilities, students, members) = (
            count("courses"),
            count("facilities"),
            count("students"),
            count("user_program_assignments"),
        );
        assert!(courses > 1 && facilities > 1 && students > 1 && members > 1);
        format!("{courses} courses, {facilities} facilities, {students} students and {members} team members")
    };
    let page = admin.get(&format!("/programs/{swimming}/edit")).await;
    assert!(
        page.body.contains(&format!(
            "Swimming cannot be deleted: it still has {reason}"
        )),
        "{reason}: {}",
        page.body
    );
    assert!(!page.body.contains(&format!("/programs/{swimming}/delete")));
    let before = app.fingerprint();
    let res = admin
        .post(
            &format!("/programs/{swimming}/delete"),
            &[("version", &version_of(&app, swimming))],
        )
        .await;
    assert_eq!(res.status, 409);
    assert!(res.body.contains(&format!(
        "Swimming cannot be deleted: it still has {reason}. Archive it instead"
    )));
    assert_eq!(app.fingerprint(), before);
}

#[actix_web::test]
async fn a_program_nothing_depends_on_is_deleted_after_confirmation_with_its_reference_data() {
    let app = spawn_app().await;
    let mut admin = app.login("superadmin").await;
    let id = create_program(&app, &mut admin, "Chess").await;
    let page = admin.get(&format!("/programs/{id}/edit")).await;
    assert!(page.body.contains("data-confirm=\"Delete Chess with its age groups and session types? This cannot be undone.\""));
    let res = admin
        .post(
            &format!("/programs/{id}/delete"),
            &[("version", &page.hidden("version").unwrap())],
        )
        .await;
    assert_eq!(res.status, 303);
    let left: i64 = programs::table
        .filter(programs::id.eq(id))
        .count()
        .get_result(&mut app.conn())
        .unwrap();
    assert_eq!(left, 0);
    let ages: i64 = age_groups::table
        .filter(age_groups::program_id.eq(id))
        .count()
        .get_result(&mut app.conn())
        .unwrap();
    assert_eq!(ages, 0);
    let page = admin.get("/programs").await;
    assert!(page.body.contains("Program Chess deleted."));
}

#[actix_web::test]
async fn only_a_super_admin_reaches_the_program_pages() {
    let app = spawn_app().await;
    let football = app.program_id("Football");
    let swimming = app.program_id("Swimming");
    for username in ["swim.admin", "swim.coord", "swim.tutor"] {
        let mut client = app.login(username).await;
        let before = app.fingerprint();
        for path in [
            "/programs".to_string(),
            "/programs/new".to_string(),
            format!("/programs/{swimming}/edit"),
        ] {
            assert_eq!(client.get(&path).await.status, 403, "{username} {path}");
        }
        for id in [football, swimming, Uuid::new_v4()] {
            for action in ["edit", "archive", "restore", "delete"] {
                let res = client
                    .post(
                        &format!("/programs/{id}/{action}"),
                        &[("name", "X"), ("version", "1")],
                    )
                    .await;
                assert_eq!(res.status, 403, "{username} {action}");
            }
        }
        let res = client.post("/programs/new", &[("name", "Sneaky")]).await;
        assert_eq!(res.status, 403);
        assert_eq!(app.fingerprint(), before);
    }
}
