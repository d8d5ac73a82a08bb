//! The app shell: health check, error pages, fragments for htmx, static files, security headers.

use diesel::{prelude::*, sql_query};

use crate::support::{db::url_of, spawn_app};

#[actix_web::test]
async fn healthz_answers_200_only_while_the_database_answers() {
    let app = spawn_app().await;
    let mut client = app.anonymous();
    let res = client.get("/healthz").await;
    assert_eq!((res.status, res.body.as_str()), (200, "ok"));
    let mut admin = PgConnection::establish(&url_of("postgres")).unwrap();
    sql_query(format!("DROP DATABASE {} WITH (FORCE)", app.db.name))
        .execute(&mut admin)
        .unwrap();
    let res = client.get("/healthz").await;
    assert_eq!(res.status, 503);
}

#[actix_web::test]
async fn a_failing_request_shows_a_request_id_and_never_its_cause() {
    let app = spawn_app().await;
    let mut client = app.login("swim.coord").await;
    // The dashboard's own query fails; the session and sign-in still work.
    sql_query("DROP TABLE enrollment_counts")
        .execute(&mut app.conn())
        .unwrap();
    let res = client.get("/dashboard").await;
    assert_eq!(res.status, 500);
    let request_id = res.header("x-request-id").unwrap().to_string();
    assert!(res.body.contains("Something went wrong"));
    assert!(
        res.body.contains(&request_id),
        "the page shows the request id"
    );
    for secret in ["diesel", "database \"", "postgres", "panicked", "src/"] {
        assert!(
            !res.body.to_lowercase().contains(&secret.to_lowercase()),
            "the page leaks {secret:?}"
        );
    }
}

#[actix_web::test]
async fn unknown_pages_get_a_404_page_and_htmx_gets_a_fragment_for_the_message_region() {
    let app = spawn_app().await;
    let mut client = app.login("swim.coord").await;
    let page = client.get("/no-such-page").await;
    assert_eq!(page.status, 404);
    assert!(page.body.contains("<html") && page.body.contains("Not found"));
    let fragment = client.htmx_get("/no-such-page", None).await;
    assert_eq!(fragment.status, 404);
    assert!(!fragment.body.contains("<html"), "a fragment, not a page");
    assert!(fragment.body.contains("Not found"));
    assert_eq!(fragment.header("hx-retarget"), Some("#flash-region"));
}

#[actix_web::test]
async fn an_htmx_request_that_lost_its_session_is_sent_to_the_login_page() {
    let app = spawn_app().await;
    let mut client = app.anonymous();
    let res = client.htmx_get("/dashboard", None).await;
    assert_eq!(res.header("hx-redirect"), Some("/login"));
}

#[actix_web::test]
async fn pages_load_nothing_from_other_hosts_and_forbid_inline_scripts() {
    let app = spawn_app().await;
    let mut client = app.login("superadmin").await;
    for path in ["/dashboard", "/login"] {
        let page = client.get(path).await;
        let csp = page.header("content-security-policy").unwrap();
        assert!(
            csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"),
            "{csp}"
        );
        assert_eq!(page.header("x-content-type-options"), Some("nosniff"));
        for attribute in ["src=\"http", "href=\"http", "src=\"//", "href=\"//"] {
            assert!(
                !page.body.contains(attribute),
                "{path} loads from another host: {attribute}"
            );
        }
        assert!(
            !page.body.contains("<script>"),
            "{path} has an inline script"
        );
    }
    let htmx = client.get("/static/htmx.min.js").await;
    assert_eq!(htmx.status, 200);
    assert!(htmx.body.contains("htmx"));
    assert_eq!(client.get("/static/htmx.LICENSE").await.status, 200);
    assert_eq!(client.get("/static/../Cargo.toml").await.status, 404);
}

#[actix_web::test]
async fn a_tutor_lands_on_my_courses_with_an_empty_state() {
    let app = spawn_app().await;
    let mut tutor = app.login("swim.tutor").await;
    assert_eq!(tutor.get("/").await.location(), Some("/today"));
    let page = tutor.get("/my-courses").await;
    assert!(page.body.contains("My courses"));
    assert!(
        !page.body.contains("href=\"/dashboard\""),
        "tutors have no dashboard link"
    );
    assert_eq!(tutor.get("/dashboard").await.status, 403);
}

#[actix_web::test]
async fn no_page_fragment_or_export_is_kept_by_a_browser_or_proxy_but_static_files_are() {
    let app = spawn_app().await;
    let mut anonymous = app.anonymous();
    let login = anonymous.get("/login").await;
    assert_eq!(
        login.header("cache-control"),
        Some("no-store"),
        "the sign-in page holds a token"
    );
    let mut coord = app.login("swim.coord").await;
    let student = app.id_for("Swimming", "student_id");
    for path in [
        "/dashboard".to_string(),
        "/students".to_string(),
        format!("/students/{student}"),
        "/students/export.csv".to_string(),
        "/enrollments/export.csv".to_string(),
        "/no-such-page".to_string(),
    ] {
        let res = coord.get(&path).await;
        assert_eq!(res.header("cache-control"), Some("no-store"), "{path}");
    }
    let fragment = coord.htmx_get("/enrollments/students?q=ade", None).await;
    assert_eq!(fragment.status, 200);
    assert_eq!(
        fragment.header("cache-control"),
        Some("no-store"),
        "an htmx fragment"
    );
    let css = coord.get("/static/app.css").await;
    assert_eq!(css.header("cache-control"), Some("public, max-age=3600"));
}

#[actix_web::test]
async fn every_sortable_list_says_its_order_on_the_header_cell_and_sorts_both_ways() {
    let app = spawn_app().await;
    let mut admin = app.login("superadmin").await;
    let swimming = app.program_id("Swimming").to_string();
    admin.get("/dashboard").await;
    admin
        .post("/program-context", &[("program_id", &swimming)])
        .await;
    for (list, first) in [
        ("/programs", "name"),
        ("/users", "name"),
        ("/team", "name"),
        ("/courses", "name"),
        ("/facilities", "name"),
        ("/students", "name"),
        ("/enrollments", "student"),
    ] {
        let page = admin.get(list).await;
        assert_eq!(page.status, 200, "{list}");
        for (at, _) in page.body.match_indices("aria-sort") {
            let tag = &page.body[page.body[..at].rfind('<').unwrap()..at];
            assert!(tag.starts_with("<th"), "{list}: aria-sort on {tag}");
        }
        let header = |body: &str, aria: &str| -> Option<String> {
            let marker = format!("<th aria-sort=\"{aria}\"><a href=\"");
            let start = body.find(&marker)? + marker.len();
            Some(body[start..start + body[start..].find('"')?].to_string())
        };
        let res = admin.get(&format!("{list}?sort={first}")).await;
        let link = header(&res.body, "ascending").unwrap_or_default();
        assert!(
            link.ends_with(&format!("sort=-{first}")),
            "{list}: the current column's header links to the other way round: {link}"
        );
        let res = admin.get(&format!("{list}?sort=-{first}")).await;
        let link = header(&res.body, "descending").unwrap_or_default();
        assert!(
            link.ends_with(&format!("sort={first}")),
            "{list}: descending: {link}"
        );
    }
}

#[actix_web::test]
async fn error_pages_keep_the_header_and_navigation_for_a_signed_in_user() {
    let app = spawn_app().await;
    let mut coord = app.login("swim.coord").await;
    let football_student = app.football_id_for("student_id");
    for (path, status) in [
        (format!("/students/{football_student}"), 404),
        ("/users".to_string(), 403),
        ("/courses/not-an-id".to_string(), 404),
    ] {
        let res = coord.get(&path).await;
        assert_eq!(res.status, status, "{path}");
        assert!(
            res.body.contains("<nav class=\"main-nav\"") && res.body.contains("href=\"/students\""),
            "{path}: the navigation is there"
        );
        assert!(
            !res.body.contains("Football"),
            "{path}: nothing of another program"
        );
    }
    let mut anonymous = app.anonymous();
    let res = anonymous.get("/no-such-page").await;
    assert_eq!(res.status, 404);
    assert!(
        !res.body.contains("main-nav"),
        "a visitor gets the plain page"
    );
}
