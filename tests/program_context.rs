//! The program a request works in: chosen from the header's dropdown, checked on every request.

use academy_admin::schema::across_programs::programs;
use diesel::prelude::*;

use crate::support::spawn_app;

#[actix_web::test]
async fn a_super_admin_switches_to_any_active_program_and_lands_on_the_same_section() {
    let app = spawn_app().await;
    let mut admin = app.login("superadmin").await;
    let page = admin.get("/dashboard").await;
    assert!(page.body.contains(">Football</option>") && page.body.contains(">Swimming</option>"));
    assert!(
        !page.body.contains("Robotics"),
        "inactive programs are not offered"
    );
    let football = app.program_id("Football").to_string();
    let res = admin
        .post(
            "/program-context",
            &[("program_id", &football), ("return_to", "/dashboard")],
        )
        .await;
    assert_eq!(res.status, 303);
    assert_eq!(res.location(), Some("/dashboard"));
    let page = admin.get("/dashboard").await;
    assert!(page.body.contains("<h1>Football</h1>"), "{}", page.body);
    assert!(page.body.contains("You are now working in Football."));
    assert_eq!(
        page.hidden("program_context"),
        None,
        "no plain program-scoped form on the dashboard yet"
    );
}

#[actix_web::test]
async fn an_inactive_program_cannot_be_chosen_even_by_a_super_admin() {
    let app = spawn_app().await;
    let mut admin = app.login("superadmin").await;
    let robotics = app.program_id("Robotics").to_string();
    let res = admin
        .post("/program-context", &[("program_id", &robotics)])
        .await;
    assert_eq!(res.status, 403);
    let res = admin
        .htmx_get("/dashboard", Some(app.program_id("Robotics")))
        .await;
    assert_eq!(res.status, 403);
    assert!(!res.body.contains("Robotics"));
}

#[actix_web::test]
async fn a_swimming_coordinator_never_reaches_football_by_form_header_or_url() {
    let app = spawn_app().await;
    let mut coord = app.login("swim.coord").await;
    let page = coord.get("/dashboard").await;
    assert!(
        !page.body.contains("<select"),
        "a single-program user sees just the name"
    );
    assert!(page.body.contains("program-name\">Swimming<"));
    assert!(!page.body.contains("Football"));

    let football = app.program_id("Football");
    let before = app.fingerprint();
    let res = coord
        .post("/program-context", &[("program_id", &football.to_string())])
        .await;
    assert_eq!(res.status, 403);
    let res = coord.htmx_get("/dashboard", Some(football)).await;
    assert_eq!(res.status, 403);
    assert!(!res.body.contains("Football"));
    let res = coord.get(&format!("/dashboard?program={football}")).await;
    assert!(
        res.body.contains("<h1>Swimming</h1>"),
        "a query parameter does not change the program"
    );
    assert_eq!(app.fingerprint(), before);
    let page = coord.get("/dashboard").await;
    assert!(page.body.contains("<h1>Swimming</h1>"), "still in Swimming");
}

#[actix_web::test]
async fn a_garbled_program_header_is_refused_not_ignored() {
    let app = spawn_app().await;
    let mut coord = app.login("swim.coord").await;
    let res = coord.htmx_get("/dashboard", None).await;
    assert_eq!(res.status, 200);
    let mut request_with_garbage = app.login("swim.coord").await;
    request_with_garbage.get("/dashboard").await;
    let res = request_with_garbage
        .htmx_post("/program-context", &[("program_id", "not-a-uuid")], None)
        .await;
    assert_eq!(res.status, 400, "a malformed program id is a bad request");
}

#[actix_web::test]
async fn a_user_whose_only_program_is_archived_sees_a_clear_page() {
    let app = spawn_app().await;
    let mut coord = app.login("football.coord").await;
    diesel::update(programs::table.filter(programs::name.eq("Football")))
        .set(programs::is_active.eq(false))
        .execute(&mut app.conn())
        .unwrap();
    let res = coord.get("/dashboard").await;
    assert_eq!(res.status, 403);
    assert!(res.body.contains("No active program"), "{}", res.body);
    assert!(res.body.contains("not assigned to any active program"));
}

#[actix_web::test]
async fn htmx_requests_of_a_stale_tab_read_the_program_the_tab_shows() {
    let app = spawn_app().await;
    let mut admin = app.login("superadmin").await;
    let swimming = app.program_id("Swimming");
    let football = app.program_id("Football");
    admin
        .post("/program-context", &[("program_id", &football.to_string())])
        .await;
    // A tab still showing Swimming asks for a fragment: it gets Swimming, the program it shows.
    let res = admin.htmx_get("/dashboard", Some(swimming)).await;
    assert_eq!(res.status, 200);
    assert!(res.body.contains("<h1>Swimming</h1>"));
    let res = admin.get("/dashboard").await;
    assert!(
        res.body.contains("<h1>Football</h1>"),
        "the session's program is unchanged"
    );
}

#[actix_web::test]
async fn a_form_of_a_stale_tab_is_refused_with_the_programs_name_and_changes_nothing() {
    let app = spawn_app().await;
    let mut admin = app.login("superadmin").await;
    let swimming = app.program_id("Swimming");
    let football = app.program_id("Football");
    admin
        .post("/program-context", &[("program_id", &swimming.to_string())])
        .await;
    // The tab renders Swimming's reference data with its plain forms...
    let page = admin.get("/reference-data").await;
    assert!(page.body.contains("Reference data of Swimming"));
    let page_program = page.hidden("program_context").unwrap();
    assert_eq!(page_program, swimming.to_string());
    // ...then another tab switches the session to Football.
    admin
        .post("/program-context", &[("program_id", &football.to_string())])
        .await;
    let before = app.fingerprint();
    let fields = [
        ("code", "90+"),
        ("name", "Nonagenarians"),
        ("min_age", "90"),
        ("max_age", ""),
    ];
    let mut plain: Vec<(&str, &str)> = vec![("program_context", page_program.as_str())];
    plain.extend_from_slice(&fields);
    let res = admin.post("/reference-data/age-groups", &plain).await;
    assert_eq!(res.status, 409);
    assert!(
        res.body.contains("This page belongs to program Swimming"),
        "{}",
        res.body
    );
    let res = admin
        .htmx_post("/reference-data/age-groups", &fields, Some(swimming))
        .await;
    assert_eq!(res.status, 409);
    assert!(res.body.contains("This page belongs to program Swimming"));
    assert_eq!(res.header("HX-Retarget"), Some("#flash-region"));
    assert_eq!(
        app.fingerprint(),
        before,
        "nothing changed in either program"
    );
}
