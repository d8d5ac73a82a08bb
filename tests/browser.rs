//! Journeys in headless Chromium.

use crate::support::{browser, spawn_app};

#[actix_web::test]
async fn a_super_admin_switches_program_from_the_dropdown_and_the_header_follows() {
    let app = spawn_app().await;
    let Some(browser) = browser::start(&app.base).await else {
        return;
    };
    browser.sign_in("superadmin").await;
    browser.wait_for_text("h1", "Football").await;
    browser.screenshot("dashboard-super-admin").await;
    let select = browser
        .client
        .find(fantoccini::Locator::Css("#program-switch"))
        .await
        .unwrap();
    select.select_by_label("Swimming").await.unwrap();
    browser.wait_for_text("h1", "Swimming").await;
    browser
        .wait_for_text("#flash-region", "You are now working in Swimming.")
        .await;
    let selected = browser
        .client
        .find(fantoccini::Locator::Css("#program-switch option[selected]"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(selected, "Swimming");

    browser.set_width(390).await;
    browser.open("/dashboard").await;
    browser.wait_for_text("h1", "Swimming").await;
    browser.screenshot("dashboard-phone").await;
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
    assert!(!overflow, "the page fits a 390 px wide phone");
    browser.close().await;
}

#[actix_web::test]
async fn a_coordinator_signs_in_and_out_in_the_browser() {
    let app = spawn_app().await;
    let Some(browser) = browser::start(&app.base).await else {
        return;
    };
    browser.open("/login").await;
    browser.screenshot("login").await;
    browser.fill("#username", "swim.coord").await;
    browser.fill("#password", "not-the-password").await;
    browser.click("button[type=submit]").await;
    browser.wait_for_text("#login-error", "not right").await;
    browser.sign_in("swim.coord").await;
    browser.wait_for_text(".program-name", "Swimming").await;
    browser.click(".account button").await;
    browser
        .wait_for_text(".flash.info", "You have signed out.")
        .await;
    browser.close().await;
}
