//! The Academy section's users (super admins): list, create, edit, reset a password, activate and
//! deactivate, add to and take off programs; never zero active super admins.

use academy_admin::{
    access::Role,
    schema::across_programs::{user_program_assignments, users},
};
use diesel::prelude::*;
use uuid::Uuid;

use crate::support::{spawn_app, TestApp};

fn version_of(app: &TestApp, id: Uuid) -> String {
    let at: chrono::DateTime<chrono::Utc> = users::table
        .find(id)
        .select(users::updated_at)
        .first(&mut app.conn())
        .unwrap();
    at.timestamp_micros().to_string()
}

fn role_of(app: &TestApp, id: Uuid) -> (Role, bool) {
    users::table
        .find(id)
        .select((users::role, users::is_active))
        .first(&mut app.conn())
        .unwrap()
}

#[actix_web::test]
async fn a_super_admin_lists_users_by_name_username_or_email_role_and_status() {
    let app = spawn_app().await;
    let mut admin = app.login("superadmin").await;
    let page = admin.get("/users").await;
    assert_eq!(page.status, 200);
    for name in [
        "Adaeze Okafor",
        "Bola Adeyemi",
        "Chidi Nwosu",
        "Halima Bello",
        "Emeka Eze",
    ] {
        assert!(page.body.contains(name), "{name}");
    }
    assert!(
        page.body.contains("Every program"),
        "a super admin's programs"
    );
    let page = admin.get("/users?q=emeka").await;
    assert!(page.body.contains("Emeka Eze") && !page.body.contains("Chidi Nwosu"));
    assert!(page.body.contains("Football"), "their programs are listed");
    let page = admin.get("/users?q=swim.tu").await;
    assert!(page.body.contains("Halima Bello") && !page.body.contains("Emeka Eze"));
    let page = admin.get("/users?q=football.coord%40academy").await;
    assert!(page.body.contains("Emeka Eze") && !page.body.contains("Halima Bello"));
    let page = admin.get("/users?role=tutor").await;
    assert!(page.body.contains("Halima Bello") && !page.body.contains("Chidi Nwosu"));
    let page = admin.get("/users?status=inactive").await;
    assert!(page.body.contains("No users match"));
    let page = admin.get("/users?q=100%25_").await;
    assert!(
        page.body.contains("No users match"),
        "% and _ are searched literally"
    );
    let page = admin.get("/users?sort=username").await;
    let (a, b) = (
        page.body.find("football.coord").unwrap(),
        page.body.find("swim.admin").unwrap(),
    );
    assert!(a < b);
}

#[actix_web::test]
async fn a_super_admin_creates_a_user_of_any_role_straight_into_a_program() {
    let app = spawn_app().await;
    let mut admin = app.login("superadmin").await;
    let page = admin.get("/users/new").await;
    assert!(
        page.body.contains("value=\"super_admin\"")
            && page.body.contains("value=\"program_admin\"")
    );
    let football = app.program_id("Football");
    let res = admin
        .post(
            "/users/new",
            &[
                ("full_name", "Femi Kuti"),
                ("username", "football.admin"),
                ("email", "femi@academy.example"),
                ("role", "program_admin"),
                ("password", "football-admin-pass"),
                ("program_id", &football.to_string()),
            ],
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.body);
    let id = app.user_id("football.admin");
    assert_eq!(res.location(), Some(format!("/users/{id}/edit").as_str()));
    assert_eq!(role_of(&app, id), (Role::ProgramAdmin, true));
    let by: Option<Uuid> = user_program_assignments::table
        .filter(user_program_assignments::user_id.eq(id))
        .filter(user_program_assignments::program_id.eq(football))
        .select(user_program_assignments::assigned_by)
        .first(&mut app.conn())
        .unwrap();
    assert_eq!(by, Some(app.user_id("superadmin")));
    let mut femi = app
        .login_with("football.admin", "football-admin-pass")
        .await;
    assert!(femi.get("/team").await.body.contains("Team of Football"));
}

#[actix_web::test]
async fn the_new_user_form_says_what_is_wrong_beside_each_field_and_keeps_the_values() {
    let app = spawn_app().await;
    let mut admin = app.login("superadmin").await;
    admin.get("/users/new").await;
    let before = app.fingerprint();
    let res = admin
        .post(
            "/users/new",
            &[
                ("full_name", "Kept Name"),
                ("username", "SWIM.COORD"),
                ("email", "not-an-email"),
                ("role", "tutor"),
                ("password", "short"),
            ],
        )
        .await;
    assert_eq!(res.status, 422);
    assert!(res
        .body
        .contains("Enter an email address like name@example.com."));
    assert!(res.body.contains("Use at least 10 characters."));
    assert!(res.body.contains("value=\"Kept Name\""));
    let res = admin
        .post(
            "/users/new",
            &[
                ("full_name", "Kept Name"),
                ("username", "SWIM.COORD"),
                ("email", "Swim.Admin@academy.example"),
                ("role", "tutor"),
                ("password", "a-long-enough-one"),
            ],
        )
        .await;
    assert_eq!(res.status, 422);
    assert!(res.body.contains("That username is already taken."));
    assert!(res.body.contains("Another account has that email."));
    let res = admin
        .post(
            "/users/new",
            &[
                ("full_name", "Same"),
                ("username", "samesame"),
                ("email", "same@academy.example"),
                ("role", "tutor"),
                ("password", "SameSame"),
            ],
        )
        .await;
    assert_eq!(res.status, 422);
    let robotics = app.program_id("Robotics").to_string();
    let res = admin
        .post(
            "/users/new",
            &[
                ("full_name", "Archived Fan"),
                ("username", "archived.fan"),
                ("email", "fan@academy.example"),
                ("role", "tutor"),
                ("password", "a-long-enough-one"),
                ("program_id", &robotics),
            ],
        )
        .await;
    assert_eq!(res.status, 422);
    assert!(res
        .body
        .contains("Choose one of the active programs, or none."));
    assert!(res.body.contains("value=\"archived.fan\""));
    assert_eq!(app.fingerprint(), before);
}

#[actix_web::test]
async fn a_super_admin_edits_a_user_resets_their_password_and_deactivates_and_activates_them() {
    let app = spawn_app().await;
    let mut admin = app.login("superadmin").await;
    let coord = app.user_id("football.coord");
    let mut signed_in_coord = app.login("football.coord").await;
    let page = admin.get(&format!("/users/{coord}/edit")).await;
    assert!(page.body.contains("Emeka Eze"));
    let res = admin
        .post(
            &format!("/users/{coord}/edit"),
            &[
                ("full_name", "Emeka Eze Jr"),
                ("username", "football.coord"),
                ("email", "emeka@academy.example"),
                ("role", "program_admin"),
            ],
        )
        .await;
    assert_eq!(res.status, 303);
    assert_eq!(role_of(&app, coord), (Role::ProgramAdmin, true));
    let res = admin
        .post(
            &format!("/users/{coord}/password"),
            &[("password", "football.coord")],
        )
        .await;
    assert_eq!(res.status, 422);
    let res = admin
        .post(
            &format!("/users/{coord}/password"),
            &[("password", "another-secret")],
        )
        .await;
    assert_eq!(res.status, 303);
    let res = admin
        .post(
            &format!("/users/{coord}/deactivate"),
            &[("version", &version_of(&app, coord))],
        )
        .await;
    assert_eq!(res.status, 303);
    assert_eq!(role_of(&app, coord), (Role::ProgramAdmin, false));
    let res = signed_in_coord.get("/dashboard").await;
    assert_eq!(res.status, 303, "signed out at the next request");
    let page = admin.get(&format!("/users/{coord}/edit")).await;
    assert!(page
        .body
        .contains("is deactivated: they can no longer sign in."));
    let res = admin
        .post(
            &format!("/users/{coord}/activate"),
            &[("version", &version_of(&app, coord))],
        )
        .await;
    assert_eq!(res.status, 303);
    app.login_with("football.coord", "another-secret").await;
}

#[actix_web::test]
async fn the_last_active_super_admin_can_be_neither_demoted_nor_deactivated() {
    let app = spawn_app().await;
    let mut admin = app.login("superadmin").await;
    let me = app.user_id("superadmin");
    let page = admin.get(&format!("/users/{me}/edit")).await;
    assert!(page
        .body
        .contains("You cannot deactivate your own account."));
    let before = app.fingerprint();
    let res = admin
        .post(
            &format!("/users/{me}/deactivate"),
            &[("version", &version_of(&app, me))],
        )
        .await;
    assert_eq!(res.status, 409);
    let res = admin
        .post(
            &format!("/users/{me}/edit"),
            &[
                ("full_name", "Adaeze Okafor"),
                ("username", "superadmin"),
                ("email", "superadmin@academy.example"),
                ("role", "program_admin"),
            ],
        )
        .await;
    assert_eq!(res.status, 409);
    assert!(res.body.contains("last active super admin"));
    assert_eq!(app.fingerprint(), before);

    // With a second super admin, one may step down; the other then cannot.
    admin.get("/users/new").await;
    let res = admin
        .post(
            "/users/new",
            &[
                ("full_name", "Second Admin"),
                ("username", "second.admin"),
                ("email", "second@academy.example"),
                ("role", "super_admin"),
                ("password", "second-admin-pass"),
            ],
        )
        .await;
    assert_eq!(res.status, 303);
    let second = app.user_id("second.admin");
    let res = admin
        .post(
            &format!("/users/{me}/edit"),
            &[
                ("full_name", "Adaeze Okafor"),
                ("username", "superadmin"),
                ("email", "superadmin@academy.example"),
                ("role", "program_admin"),
            ],
        )
        .await;
    assert_eq!(res.status, 303);
    assert_eq!(role_of(&app, me).0, Role::ProgramAdmin);
    let mut second_client = app.login_with("second.admin", "second-admin-pass").await;
    second_client.get("/users").await;
    let res = second_client
        .post(
            &format!("/users/{second}/deactivate"),
            &[("version", &version_of(&app, second))],
        )
        .await;
    assert_eq!(res.status, 409);
    let active_super_admins: i64 = users::table
        .filter(
            users::role
                .eq(Role::SuperAdmin)
                .and(users::is_active.eq(true)),
        )
        .count()
        .get_result(&mut app.conn())
        .unwrap();
    assert_eq!(active_super_admins, 1);
}

#[actix_web::test]
async fn a_super_admin_adds_a_user_to_a_program_and_takes_them_off_recording_who_and_when() {
    let app = spawn_app().await;
    let mut admin = app.login("superadmin").await;
    let tutor = app.user_id("swim.tutor");
    let football = app.program_id("Football");
    let robotics = app.program_id("Robotics");
    let page = admin.get(&format!("/users/{tutor}/edit")).await;
    assert!(page
        .body
        .contains(&format!("<option value=\"{football}\">Football</option>")));
    assert!(
        !page
            .body
            .contains(&format!("<option value=\"{robotics}\">")),
        "archived programs are not offered"
    );
    let before = app.fingerprint();
    let res = admin
        .post(
            &format!("/users/{tutor}/programs"),
            &[("program_id", &robotics.to_string())],
        )
        .await;
    assert_eq!(res.status, 400, "an archived program is refused");
    assert_eq!(app.fingerprint(), before);
    let res = admin
        .post(
            &format!("/users/{tutor}/programs"),
            &[("program_id", &football.to_string())],
        )
        .await;
    assert_eq!(res.status, 303);
    let (by, at): (Option<Uuid>, chrono::DateTime<chrono::Utc>) = user_program_assignments::table
        .filter(user_program_assignments::user_id.eq(tutor))
        .filter(user_program_assignments::program_id.eq(football))
        .select((
            user_program_assignments::assigned_by,
            user_program_assignments::assigned_at,
        ))
        .first(&mut app.conn())
        .unwrap();
    assert_eq!(by, Some(app.user_id("superadmin")));
    assert!((chrono::Utc::now() - at).num_minutes() < 5);
    let page = admin.get(&format!("/users/{tutor}/edit")).await;
    assert!(page.body.contains("swim.tutor added to Football."));
    assert!(page.body.contains("by superadmin"));
    assert!(page
        .body
        .contains("Remove swim.tutor from Football? They have no course assignments there."));
    let marker = format!("/users/{tutor}/programs/{football}/delete");
    let version = page.hidden_after(&marker, "version").unwrap();
    let res = admin.post(&marker, &[("version", &version)]).await;
    assert_eq!(res.status, 303);
    let left: i64 = user_program_assignments::table
        .filter(user_program_assignments::user_id.eq(tutor))
        .filter(user_program_assignments::program_id.eq(football))
        .count()
        .get_result(&mut app.conn())
        .unwrap();
    assert_eq!(left, 0);
}

#[actix_web::test]
async fn program_admins_coordinators_and_tutors_are_refused_the_user_pages() {
    let app = spawn_app().await;
    let coord = app.user_id("swim.coord");
    let football = app.program_id("Football");
    for username in ["swim.admin", "swim.coord", "swim.tutor"] {
        let mut client = app.login(username).await;
        let before = app.fingerprint();
        for path in [
            "/users".to_string(),
            "/users/new".to_string(),
            format!("/users/{coord}/edit"),
        ] {
            assert_eq!(client.get(&path).await.status, 403, "{username} {path}");
        }
        for action in ["edit", "password", "activate", "deactivate", "programs"] {
            let res = client
                .post(
                    &format!("/users/{coord}/{action}"),
                    &[
                        ("version", "1"),
                        ("password", "a-long-password"),
                        ("program_id", &football.to_string()),
                    ],
                )
                .await;
            assert_eq!(res.status, 403, "{username} {action}");
        }
        assert_eq!(app.fingerprint(), before);
    }
}

#[actix_web::test]
async fn in_the_browser_the_academy_pages_work_on_a_laptop_and_a_phone() {
    let app = spawn_app().await;
    let Some(browser) = crate::support::browser::start(&app.base).await else {
        return;
    };
    browser.sign_in("superadmin").await;
    let football = app.program_id("Football");
    let coord = app.user_id("football.coord");
    let pages = [
        ("/users".to_string(), "Users", "users-list"),
        ("/users/new".to_string(), "New user", "user-new"),
        (
            format!("/users/{coord}/edit"),
            "Emeka Eze",
            "user-edit-coord",
        ),
        ("/programs".to_string(), "Programs", "programs"),
        (
            format!("/programs/{football}/edit"),
            "Football",
            "program-football",
        ),
        ("/account".to_string(), "My account", "account"),
    ];
    for width in [1280, 390] {
        browser.set_width(width).await;
        for (path, heading, name) in &pages {
            browser.open(path).await;
            browser.wait_for_text("h1", heading).await;
            if width == 1280 {
                // Saved at both widths (name-1280.png and name-390.png).
                browser.screenshot(name).await;
            }
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
            assert!(!overflow, "{path} fits {width} px");
        }
    }
    // A search from the list, with the keyboard's Enter.
    browser.set_width(1280).await;
    browser.open("/users").await;
    browser.fill("#q", "halima\n").await;
    browser.wait_for_text("table", "Halima Bello").await;
    let table = browser.text("table").await;
    assert!(!table.contains("Emeka Eze"));
    browser.close().await;
}

#[actix_web::test]
async fn two_super_admins_deactivating_each_other_at_once_leave_one_active() {
    let app = spawn_app().await;
    let mut first = app.login("superadmin").await;
    first.get("/users/new").await;
    let res = first
        .post(
            "/users/new",
            &[
                ("full_name", "Second Admin"),
                ("username", "second.admin"),
                ("email", "second@academy.example"),
                ("role", "super_admin"),
                ("password", "second-admin-pass"),
            ],
        )
        .await;
    assert_eq!(res.status, 303);
    let mut second = app.login_with("second.admin", "second-admin-pass").await;
    second.get("/users").await;
    let (a, b) = (app.user_id("superadmin"), app.user_id("second.admin"));
    let (va, vb) = (version_of(&app, a), version_of(&app, b));
    let path_b = format!("/users/{b}/deactivate");
    let path_a = format!("/users/{a}/deactivate");
    let body_b = [("version", vb.as_str())];
    let body_a = [("version", va.as_str())];
    let (r1, r2) = tokio::join!(first.post(&path_b, &body_b), second.post(&path_a, &body_a));
    for res in [&r1, &r2] {
        // Done (303 to the user page), refused (409), or signed out because already deactivated.
        assert!(
            matches!(res.status, 303 | 409),
            "{}: {}",
            res.status,
            res.body
        );
    }
    let active_super_admins: i64 = users::table
        .filter(
            users::role
                .eq(Role::SuperAdmin)
                .and(users::is_active.eq(true)),
        )
        .count()
        .get_result(&mut app.conn())
        .unwrap();
    assert_eq!(active_super_admins, 1);
}

#[actix_web::test]
async fn a_long_user_list_is_paged_and_the_pages_keep_the_search() {
    let app = spawn_app().await;
    let mut conn = app.conn();
    for n in 0..30 {
        diesel::insert_into(users::table)
            .values((
                users::username.eq(format!("pool.tutor{n:02}")),
                users::full_name.eq(format!("Pool Tutor {n:02}")),
                users::email.eq(format!("pool{n:02}@academy.example")),
                users::password_hash.eq("x"),
                users::role.eq(Role::Tutor),
            ))
            .execute(&mut conn)
            .unwrap();
    }
    let mut admin = app.login("superadmin").await;
    let page = admin.get("/users?q=pool").await;
    assert!(page.body.contains("1–25 of 30"));
    let pager = &page.body[page.body.find("class=\"pagination\"").unwrap()..];
    assert!(
        pager.contains("href=\"?q=pool&#38;page=2\""),
        "the next page keeps the search: {pager}"
    );
    let page = admin.get("/users?q=pool&page=2").await;
    assert!(page.body.contains("26–30 of 30"));
    assert!(page.body.contains("Pool Tutor 29") && !page.body.contains("Pool Tutor 00"));
    assert_eq!(admin.get("/users?page=0").await.status, 400);
}
