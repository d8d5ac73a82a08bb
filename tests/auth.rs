//! Signing in and out, sessions, throttling and CSRF.

use academy_admin::{auth::login::WRONG_CREDENTIALS, schema::across_programs::users};
use diesel::prelude::*;

use crate::support::{spawn_app, Client};

async fn try_login(client: &mut Client, username: &str, password: &str) -> crate::support::Page {
    client.get("/login").await;
    client
        .post("/login", &[("username", username), ("password", password)])
        .await
}

#[actix_web::test]
async fn a_coordinator_signs_in_with_username_or_email_and_lands_on_the_dashboard() {
    let app = spawn_app().await;
    let mut by_name = app.anonymous();
    let res = try_login(&mut by_name, "swim.coord", "academy-demo").await;
    assert_eq!(res.status, 303);
    let cookie = res.set_cookie("academy_session").unwrap();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    let home = by_name.get("/").await;
    assert_eq!(home.location(), Some("/dashboard"));
    let dashboard = by_name.get("/dashboard").await;
    assert_eq!(dashboard.status, 200);
    assert!(dashboard.body.contains("swim.coord"));
    assert!(dashboard.body.contains("Swimming"));

    let mut by_email = app.anonymous();
    let res = try_login(&mut by_email, "SWIM.COORD@academy.example", "academy-demo").await;
    assert_eq!(res.status, 303, "email in any case signs in too");
}

#[actix_web::test]
async fn wrong_password_unknown_user_and_inactive_user_get_one_generic_message() {
    let app = spawn_app().await;
    diesel::update(users::table.filter(users::username.eq("swim.tutor")))
        .set(users::is_active.eq(false))
        .execute(&mut app.conn())
        .unwrap();
    for (username, password) in [
        ("swim.coord", "wrong-password"),
        ("nobody.here", "academy-demo"),
        ("swim.tutor", "academy-demo"),
    ] {
        let mut client = app.anonymous();
        let res = try_login(&mut client, username, password).await;
        assert_eq!(res.status, 401, "{username}");
        assert!(
            res.body.contains(&askama_escaped(WRONG_CREDENTIALS)),
            "{username}: {}",
            res.body
        );
        assert!(
            res.body.contains(&format!("value=\"{username}\"")),
            "the username is kept"
        );
        assert_eq!(
            client.get("/dashboard").await.status,
            303,
            "{username} is not signed in"
        );
    }
}

fn askama_escaped(s: &str) -> String {
    s.replace('\'', "&#39;")
}

#[actix_web::test]
async fn a_user_deactivated_while_signed_in_is_signed_out_at_the_next_request() {
    let app = spawn_app().await;
    let mut client = app.login("swim.coord").await;
    assert_eq!(client.get("/dashboard").await.status, 200);
    diesel::update(users::table.filter(users::username.eq("swim.coord")))
        .set(users::is_active.eq(false))
        .execute(&mut app.conn())
        .unwrap();
    let res = client.get("/dashboard").await;
    assert_eq!(res.status, 303);
    assert!(res.location().unwrap().starts_with("/login"));
    // Reactivated, the old session does not come back: it was ended.
    diesel::update(users::table.filter(users::username.eq("swim.coord")))
        .set(users::is_active.eq(true))
        .execute(&mut app.conn())
        .unwrap();
    assert_eq!(client.get("/dashboard").await.status, 303);
}

#[actix_web::test]
async fn signing_out_ends_the_session_on_the_server() {
    let app = spawn_app().await;
    let mut client = app.login("swim.coord").await;
    let cookie_before = session_rows(&app);
    let res = client.post("/logout", &[]).await;
    assert_eq!(res.status, 303);
    assert_eq!(res.location(), Some("/login?signed_out=1"));
    assert_eq!(
        session_rows(&app),
        cookie_before - 1,
        "the session row is deleted"
    );
    assert_eq!(client.get("/dashboard").await.status, 303);
}

fn session_rows(app: &crate::support::TestApp) -> i64 {
    use academy_admin::schema::across_programs::http_sessions;
    http_sessions::table
        .count()
        .get_result(&mut app.conn())
        .unwrap()
}

#[actix_web::test]
async fn signing_in_issues_a_new_session_key() {
    let app = spawn_app().await;
    // A session key known before sign-in (here the client's own, as one planted by someone else
    // would be) is worthless after it.
    let mut client = app.login("swim.tutor").await;
    let page = client.get("/my-courses").await;
    assert_eq!(page.status, 200);
    use academy_admin::schema::across_programs::http_sessions;
    let keys = || -> Vec<String> {
        http_sessions::table
            .select(http_sessions::session_key)
            .load(&mut app.conn())
            .unwrap()
    };
    let before = keys();
    assert_eq!(before.len(), 1);
    let res = client
        .post(
            "/login",
            &[("username", "swim.coord"), ("password", "academy-demo")],
        )
        .await;
    assert_eq!(res.status, 303);
    assert!(
        res.set_cookie("academy_session").is_some(),
        "a new session cookie"
    );
    let after = keys();
    assert_eq!(after.len(), 1, "the earlier session is gone: {after:?}");
    assert_ne!(after, before);
}

#[actix_web::test]
async fn anonymous_visits_store_no_session_and_expired_sessions_are_swept() {
    let app = spawn_app().await;
    for _ in 0..200 {
        let mut visitor = app.anonymous();
        let page = visitor.get("/login").await;
        assert_eq!(page.status, 200);
        assert!(
            page.set_cookie("academy_login_csrf").is_some(),
            "the form's signed token"
        );
        assert!(page.set_cookie("academy_session").is_none());
    }
    let mut visitor = app.anonymous();
    assert_eq!(visitor.get("/students").await.status, 303);
    assert_eq!(session_rows(&app), 0, "200 visits stored nothing");
    // A failed sign-in stores nothing either; a signed-in one stores one session.
    let res = try_login(&mut visitor, "swim.coord", "wrong-password").await;
    assert_eq!(res.status, 401);
    assert_eq!(session_rows(&app), 0);
    let res = try_login(&mut visitor, "swim.coord", "academy-demo").await;
    assert_eq!(res.status, 303);
    assert_eq!(session_rows(&app), 1);
    // A forged sign-in cookie is no token.
    let mut forger = app.anonymous();
    let res = forger
        .post_raw(
            "/login",
            &[
                ("username", "swim.coord"),
                ("password", "academy-demo"),
                ("csrf_token", "x"),
            ],
        )
        .await;
    assert_eq!(res.status, 403);

    // Expired sessions are deleted by the housekeeping the server runs on a schedule.
    diesel::sql_query("UPDATE http_sessions SET expires_at = now() - interval '1 minute'")
        .execute(&mut app.conn())
        .unwrap();
    academy_admin::housekeeping::run_once(&app.pool).unwrap();
    assert_eq!(session_rows(&app), 0);
}

#[actix_web::test]
async fn repeated_failures_lock_the_account_for_a_while() {
    let app = spawn_app().await;
    let mut client = app.anonymous();
    for _ in 0..academy_admin::auth::ACCOUNT_LIMIT {
        assert_eq!(
            try_login(&mut client, "swim.coord", "guess-guess")
                .await
                .status,
            401
        );
    }
    let locked = try_login(&mut client, "swim.coord", "academy-demo").await;
    assert_eq!(
        locked.status, 429,
        "even the right password waits: {}",
        locked.body
    );
    assert!(locked.body.contains("Too many failed sign-ins"));
    // Another account from another client is not affected.
    let mut other = app.anonymous();
    assert_eq!(
        try_login(&mut other, "swim.admin", "academy-demo")
            .await
            .status,
        303
    );
}

#[actix_web::test]
async fn a_locked_account_stays_locked_whichever_of_its_names_is_typed() {
    let app = spawn_app().await;
    let email: String = {
        use academy_admin::schema::across_programs::users;
        use diesel::prelude::*;
        users::table
            .filter(users::username.eq("swim.tutor"))
            .select(users::email)
            .first(&mut app.conn())
            .unwrap()
    };
    let mut client = app.anonymous();
    for _ in 0..academy_admin::auth::ACCOUNT_LIMIT {
        let res = try_login(&mut client, "swim.tutor", "guess-guess").await;
        assert_eq!(res.status, 401);
    }
    for name in [email.as_str(), &email.to_uppercase(), "SWIM.TUTOR"] {
        let mut other = app.anonymous();
        let res = try_login(&mut other, name, "academy-demo").await;
        assert_eq!(res.status, 429, "{name}: {}", res.body);
    }
    // Failures typed as the email lock the account for the username too.
    let mut client = app.anonymous();
    for _ in 0..academy_admin::auth::ACCOUNT_LIMIT {
        try_login(&mut client, "swim.admin@academy.example", "guess").await;
    }
    let res = try_login(&mut app.anonymous(), "swim.admin", "academy-demo").await;
    assert_eq!(
        res.status, 429,
        "failures typed as the email lock the username"
    );
    // A name longer than any account is refused like a wrong password, not a 500.
    let long = "x".repeat(10_000);
    let res = try_login(&mut app.anonymous(), &long, "academy-demo").await;
    assert_eq!(res.status, 401);
}

#[actix_web::test]
async fn a_write_without_the_csrf_token_is_refused_and_changes_nothing() {
    let app = spawn_app().await;
    let mut client = app.login("superadmin").await;
    let football = app.program_id("Football").to_string();
    let before = app.fingerprint();
    let sessions_before = session_rows(&app);
    for fields in [
        vec![("program_id", football.as_str())],
        vec![
            ("program_id", football.as_str()),
            ("csrf_token", "forged-token"),
        ],
    ] {
        let res = client.post_raw("/program-context", &fields).await;
        assert_eq!(res.status, 403, "{}", res.body);
        assert!(res.body.contains("Form expired"));
    }
    let res = client.post_raw("/logout", &[]).await;
    assert_eq!(res.status, 403, "logout needs the token too");
    assert_eq!(app.fingerprint(), before);
    assert_eq!(session_rows(&app), sessions_before);
    let dashboard = client.get("/dashboard").await;
    assert!(
        dashboard.body.contains("<option value=\"") && dashboard.status == 200,
        "still signed in"
    );
    // The same request with the token in the htmx header goes through.
    let res = client
        .htmx_post("/program-context", &[("program_id", &football)], None)
        .await;
    assert_eq!(res.status, 200);
    assert!(res.header("hx-redirect").is_some());
}

#[actix_web::test]
async fn the_login_form_itself_needs_its_csrf_token() {
    let app = spawn_app().await;
    let mut client = app.anonymous();
    client.get("/login").await;
    let res = client
        .post_raw(
            "/login",
            &[("username", "swim.coord"), ("password", "academy-demo")],
        )
        .await;
    assert_eq!(res.status, 403);
}

#[actix_web::test]
async fn next_sends_the_user_back_to_the_page_they_asked_for_but_never_off_site() {
    let app = spawn_app().await;
    let mut client = app.anonymous();
    let res = client.get("/my-courses").await;
    assert_eq!(res.location(), Some("/login?next=%2Fmy-courses"));
    let form = client.get("/login?next=/my-courses").await;
    let next = form.hidden("next").unwrap();
    assert_eq!(next, "/my-courses");
    let res = client
        .post(
            "/login",
            &[
                ("username", "swim.tutor"),
                ("password", "academy-demo"),
                ("next", &next),
            ],
        )
        .await;
    assert_eq!(res.location(), Some("/my-courses"));

    let mut other = app.anonymous();
    other.get("/login").await;
    let res = other
        .post(
            "/login",
            &[
                ("username", "swim.tutor"),
                ("password", "academy-demo"),
                ("next", "//evil.example/x"),
            ],
        )
        .await;
    assert_eq!(res.location(), Some("/"));
}

/// A session update commits without waiting for the disk (see `auth::session_store`), and that
/// setting ends with the update: the same pooled connection commits everything else durably.
#[actix_web::test]
async fn a_session_update_is_saved_and_leaves_its_connection_committing_durably() {
    use academy_admin::{auth::PgSessionStore, db, schema::across_programs::http_sessions};
    use actix_session::storage::SessionStore;
    use std::collections::HashMap;

    let test_db = crate::support::TestDb::new();
    let pool = db::pool(&test_db.url, 1).unwrap();
    let store = PgSessionStore::new(pool.clone());
    let ttl = actix_web::cookie::time::Duration::hours(1);
    let key = store
        .save(HashMap::from([("a".to_string(), "1".to_string())]), &ttl)
        .await
        .unwrap();
    let key = store
        .update(
            key,
            HashMap::from([("a".to_string(), "2".to_string())]),
            &ttl,
        )
        .await
        .unwrap();
    let row_key = key.as_ref().to_owned();
    let (state, synchronous) = pool
        .with_connection(move |conn| {
            let state: serde_json::Value = http_sessions::table
                .find(row_key)
                .select(http_sessions::state)
                .first(conn)
                .unwrap();
            #[derive(QueryableByName)]
            struct Setting {
                #[diesel(sql_type = diesel::sql_types::Text)]
                synchronous_commit: String,
            }
            let setting: Setting = diesel::sql_query("SHOW synchronous_commit")
                .get_result(conn)
                .unwrap();
            (state, setting.synchronous_commit)
        })
        .await
        .unwrap();
    assert_eq!(state, serde_json::json!({"a": "2"}));
    assert_eq!(synchronous, "on");
}
