//! "My account": every user sees their account and programs and changes their own password.

use crate::support::spawn_app;

#[actix_web::test]
async fn every_user_sees_their_account_and_only_their_programs() {
    let app = spawn_app().await;
    let mut coord = app.login("swim.coord").await;
    let page = coord.get("/dashboard").await;
    assert!(
        page.body.contains("href=\"/account\""),
        "reachable from the header's username"
    );
    let page = coord.get("/account").await;
    assert_eq!(page.status, 200);
    for text in [
        "Chidi Nwosu",
        "swim.coord@academy.example",
        "Program coordinator",
        "Swimming",
    ] {
        assert!(page.body.contains(text), "{text}");
    }
    assert!(!page.body.contains("Football"));
    let mut tutor = app.login("swim.tutor").await;
    assert!(tutor.get("/account").await.body.contains("Swimming"));
    let mut admin = app.login("superadmin").await;
    let page = admin.get("/account").await;
    assert!(page.body.contains("every active program"));
    assert!(page.body.contains("<li>Football") && page.body.contains("<li>Swimming"));
    assert!(!page.body.contains("Robotics"));
}

#[actix_web::test]
async fn a_user_changes_their_password_with_the_current_one_and_a_strong_new_one() {
    let app = spawn_app().await;
    let mut elsewhere = app.login("swim.tutor").await;
    let mut tutor = app.login("swim.tutor").await;
    tutor.get("/account").await;
    let before = app.fingerprint();
    let cases: &[(&[(&str, &str)], &str)] = &[
        (
            &[
                ("current_password", "wrong-password"),
                ("new_password", "a-new-password"),
                ("confirm_password", "a-new-password"),
            ],
            "That is not your current password.",
        ),
        (
            &[
                ("current_password", ""),
                ("new_password", "a-new-password"),
                ("confirm_password", "a-new-password"),
            ],
            "Enter your current password.",
        ),
        (
            &[
                ("current_password", "academy-demo"),
                ("new_password", "short"),
                ("confirm_password", "short"),
            ],
            "Use at least 10 characters.",
        ),
        (
            &[
                ("current_password", "academy-demo"),
                ("new_password", "SWIM.TUTOR"),
                ("confirm_password", "SWIM.TUTOR"),
            ],
            "The password may not be the username.",
        ),
        (
            &[
                ("current_password", "academy-demo"),
                ("new_password", "a-new-password"),
                ("confirm_password", "another-one"),
            ],
            "The two new passwords differ.",
        ),
    ];
    for (fields, message) in cases {
        let res = tutor.post("/account/password", fields).await;
        assert_eq!(res.status, 422, "{message}");
        assert!(res.body.contains(message), "{message}");
    }
    assert_eq!(app.fingerprint(), before);
    let res = tutor
        .post(
            "/account/password",
            &[
                ("current_password", "academy-demo"),
                ("new_password", "a-new-password"),
                ("confirm_password", "a-new-password"),
            ],
        )
        .await;
    assert_eq!(res.status, 303);
    let page = tutor.get("/account").await;
    assert_eq!(page.status, 200, "this browser stays signed in");
    assert!(page.body.contains("Your password is changed;"));
    let signed_out = elsewhere.get("/account").await;
    assert_ne!(signed_out.status, 200, "the other session ended");
    assert!(
        !signed_out.body.contains("swim.tutor@"),
        "and shows nothing of the account"
    );
    app.login_with("swim.tutor", "a-new-password").await;
    let mut old = app.anonymous();
    old.get("/login").await;
    let res = old
        .post(
            "/login",
            &[("username", "swim.tutor"), ("password", "academy-demo")],
        )
        .await;
    assert_eq!(res.status, 401, "the old password no longer works");
}
