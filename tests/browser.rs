//! Journeys in headless Chromium.

use crate::support::{browser, spawn_app};

#[actix_web::test]
async fn the_page_checks_catch_an_accessibility_violation_and_a_console_error() {
    let app = spawn_app().await;
    let Some(browser) = browser::start(&app.base).await else {
        return;
    };
    browser.open("/login").await;
    assert!(browser.axe_violations().await.is_empty());
    assert!(browser.console_errors().await.is_empty());
    // The same page with an image without a text alternative and a field without a label, and a
    // script error.
    browser
        .client
        .execute(
            "document.querySelector('main').insertAdjacentHTML('beforeend', '<img src=\"/static/favicon.svg\"><input id=\"unlabelled\">');
             console.error('a test error');",
            vec![],
        )
        .await
        .unwrap();
    let violations = browser.axe_violations().await.join("\n");
    assert!(violations.contains("image-alt [critical]"), "{violations}");
    assert!(violations.contains("#unlabelled"), "{violations}");
    let errors = browser.console_errors().await.join("\n");
    assert!(errors.contains("a test error"), "{errors}");
    browser.close().await;
}

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
    // Moving through the list with the arrow keys switches nothing; Enter does.
    select.send_keys("\u{E015}").await.unwrap(); // ArrowDown
    tokio::time::sleep(std::time::Duration::from_millis(600)).await;
    assert!(
        browser.text("h1").await.contains("Football"),
        "an arrow key does not switch"
    );
    select.send_keys("\u{E007}").await.unwrap(); // Enter
    browser.wait_for_text("h1", "Swimming").await;
    let focused: String = browser
        .client
        .execute("return document.activeElement.tagName;", vec![])
        .await
        .unwrap()
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(focused, "H1", "the new page's main heading has the focus");
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
            "return document.documentElement.scrollWidth > document.documentElement.clientWidth;",
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
    browser.sign_out().await;
    browser
        .wait_for_text(".flash.info", "You have signed out.")
        .await;
    browser.close().await;
}

#[actix_web::test]
async fn a_coordinator_adds_a_student_and_enrolls_them_watching_the_price_follow_the_choices() {
    let app = spawn_app().await;
    let course = crate::support::fixtures::priced_course(&app, "Swimming");
    let Some(browser) = browser::start(&app.base).await else {
        return;
    };
    browser.set_width(390).await;
    browser.sign_in("swim.coord").await;
    browser.open("/students/new").await;
    browser.fill("#field-first_name", "Zara").await;
    browser.fill("#field-last_name", "Okonjo").await;
    browser.fill("#field-phone", "+234 803 000 1234").await;
    browser
        .client
        .execute(
            "document.getElementById('field-date_of_birth').value = '2019-02-01';",
            vec![],
        )
        .await
        .unwrap();
    browser.screenshot("student-form-phone").await;
    browser.click("button.primary[type=submit]").await;
    browser
        .wait_for_text(".flash-region", "Zara Okonjo was added as")
        .await;
    browser.click("a[href^='/enrollments/new']").await;
    browser.wait_for_text("h1", "Enroll a student").await;
    let course_select = browser
        .client
        .find(fantoccini::Locator::Css("#field-course_id"))
        .await
        .unwrap();
    course_select
        .select_by_label("Fixture Stroke Clinic")
        .await
        .unwrap();
    browser
        .wait_for_text("#field-age_group", "(by date of birth)")
        .await;
    let session = browser
        .client
        .wait()
        .for_element(fantoccini::Locator::Css("#field-session_type"))
        .await
        .unwrap();
    session.select_by_label("Group").await.unwrap();
    browser.wait_for_text("#enroll-price", "₦15,000.00").await;
    let session = browser
        .client
        .wait()
        .for_element(fantoccini::Locator::Css("#field-session_type"))
        .await
        .unwrap();
    session.select_by_label("Private").await.unwrap();
    browser
        .wait_for_text("#no-price", "No facility has a price")
        .await;
    let session = browser
        .client
        .wait()
        .for_element(fantoccini::Locator::Css("#field-session_type"))
        .await
        .unwrap();
    session.select_by_label("Group").await.unwrap();
    browser.wait_for_text("#enroll-price", "₦15,000.00").await;
    browser.screenshot("enroll-form-phone").await;
    browser.click("#enroll-form button.primary").await;
    browser
        .wait_for_text(".flash-region", "Enrolled at ₦15,000.00")
        .await;
    browser.wait_for_text("main", "Fixture Stroke Clinic").await;
    browser.screenshot("student-enrolled-phone").await;
    let overflow: bool = browser
        .client
        .execute(
            "return document.documentElement.scrollWidth > document.documentElement.clientWidth;",
            vec![],
        )
        .await
        .unwrap()
        .as_bool()
        .unwrap();
    if overflow {
        let wide = browser.client.execute("return Array.from(document.querySelectorAll('body *')).filter(e => !e.closest('.table-wrap') && e.getBoundingClientRect().right > document.documentElement.clientWidth + 1).slice(0, 8).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right)).join(' | ');", vec![]).await.unwrap();
        panic!("the student page overflows a phone: {wide}");
    }

    // The course's tutor finds the new student in the roster and records progress.
    {
        use academy_admin::schema::across_programs::course_tutors;
        use diesel::prelude::*;
        diesel::insert_into(course_tutors::table)
            .values((
                course_tutors::course_id.eq(course.course_id),
                course_tutors::program_id.eq(app.program_id("Swimming")),
                course_tutors::user_id.eq(app.user_id("swim.tutor")),
            ))
            .execute(&mut app.conn())
            .unwrap();
    }
    browser.sign_out().await;
    browser
        .wait_for_text(".flash.info", "You have signed out.")
        .await;
    browser.sign_in("swim.tutor").await;
    browser.open("/my-courses").await;
    let roster = "section.roster[aria-label='Roster of Fixture Stroke Clinic']";
    browser.wait_for_text(roster, "Zara Okonjo").await;
    let progress = browser
        .client
        .find(fantoccini::Locator::XPath(
            "//section[@aria-label='Roster of Fixture Stroke Clinic']//tr[contains(., 'Zara Okonjo')]//input[@name='progress_percentage']",
        ))
        .await
        .unwrap();
    progress.clear().await.unwrap();
    progress.send_keys("60").await.unwrap();
    browser.screenshot("tutor-roster-phone").await;
    browser
        .client
        .find(fantoccini::Locator::XPath(
            "//section[@aria-label='Roster of Fixture Stroke Clinic']//tr[contains(., 'Zara Okonjo')]//button",
        ))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    browser
        .wait_for_text(".flash-region", "Progress saved: 60%")
        .await;
    browser.wait_for_text(roster, "60%").await;
    browser.close().await;
}

#[actix_web::test]
async fn the_coordinators_daily_pages_fit_a_phone() {
    let app = spawn_app().await;
    let Some(browser) = browser::start(&app.base).await else {
        return;
    };
    browser.set_width(390).await;
    browser.sign_in("swim.coord").await;
    for (path, heading) in [
        ("/dashboard", "Swimming"),
        ("/students", "Students"),
        ("/students/new", "New student"),
        ("/enrollments", "Enrollments"),
        ("/enrollments/new", "Enroll a student"),
        ("/enrollments/bulk", "Enroll several students"),
    ] {
        browser.open(path).await;
        browser.wait_for_text("h1", heading).await;
        let name = format!("phone{}", path.replace('/', "-"));
        browser.screenshot(&name).await;
        let overflow: bool = browser
            .client
            .execute(
                "return document.documentElement.scrollWidth > document.documentElement.clientWidth;",
                vec![],
            )
            .await
            .unwrap()
            .as_bool()
            .unwrap();
        assert!(!overflow, "{path} fits a 390 px wide phone");
    }
    browser.close().await;
}

#[actix_web::test]
async fn a_coordinator_pages_through_the_students_by_next_previous_and_last() {
    let app = spawn_app().await;
    let Some(browser) = browser::start(&app.base).await else {
        return;
    };
    browser.sign_in("swim.coord").await;
    browser.open("/students").await;
    browser
        .wait_for_text("nav.pagination", "25 shown of 60 students")
        .await;
    let first_row = browser.text("tbody tr td code").await;
    browser.click("nav.pagination a[rel=next]").await;
    browser.wait_for_text("nav.pagination", "« First").await;
    assert_ne!(
        browser.text("tbody tr td code").await,
        first_row,
        "the next page"
    );
    browser.click("nav.pagination a[rel=prev]").await;
    browser
        .wait_for_text("nav.pagination", "25 shown of 60 students")
        .await;
    assert_eq!(
        browser.text("tbody tr td code").await,
        first_row,
        "back to the start"
    );
    browser.click("nav.pagination a[href$='last=1']").await;
    browser.wait_for_text("nav.pagination", "← Previous").await;
    browser
        .client
        .execute(
            "document.querySelector('nav.pagination').scrollIntoView();",
            vec![],
        )
        .await
        .unwrap();
    browser.screenshot("students-last-page").await;
    let next = browser
        .client
        .find_all(fantoccini::Locator::Css("nav.pagination a[rel=next]"))
        .await
        .unwrap();
    assert!(next.is_empty(), "the last page has no next");
    browser.close().await;
}

#[actix_web::test]
async fn the_header_is_one_row_at_1280_px_and_at_most_100_px_tall_on_a_phone_for_every_role() {
    let app = spawn_app().await;
    let Some(browser) = browser::start(&app.base).await else {
        return;
    };
    let height = |browser: &browser::Browser| {
        let client = browser.client.clone();
        async move {
            client
                .execute(
                    "return document.querySelector('header.topbar').getBoundingClientRect().height;",
                    vec![],
                )
                .await
                .unwrap()
                .as_f64()
                .unwrap()
        }
    };
    for username in ["superadmin", "swim.admin", "swim.coord", "swim.tutor"] {
        browser.set_width(1280).await;
        browser.sign_in(username).await;
        browser.open("/courses").await;
        browser.wait_for_text("h1", "Courses").await;
        let desktop = height(&browser).await;
        assert!(
            desktop < 70.0,
            "{username}: the header is one row at 1280 px ({desktop} px)"
        );
        browser.set_width(390).await;
        browser.open("/courses").await;
        browser.wait_for_text("h1", "Courses").await;
        let phone = height(&browser).await;
        assert!(phone <= 100.0, "{username}: {phone} px on a phone");
        // The menu button opens the navigation.
        browser.click(".menu-toggle").await;
        let shown = browser
            .client
            .find(fantoccini::Locator::Css(".main-nav a[href='/courses']"))
            .await
            .unwrap()
            .is_displayed()
            .await
            .unwrap();
        assert!(shown, "{username}: the menu shows the navigation");
        browser.screenshot(&format!("header-menu-{username}")).await;
        browser.sign_out().await;
    }
    browser.close().await;
}

/// Whether anything of the page reaches beyond a 390 px screen: the page itself, or a table
/// wider than the box that scrolls it (its last columns, actions among them, off-screen).
async fn overflow_on_a_phone(browser: &browser::Browser) -> Vec<String> {
    let found = browser
        .client
        .execute(
            "var out = [];
             if (document.documentElement.scrollWidth > document.documentElement.clientWidth) {
               out.push('the page is ' + document.documentElement.scrollWidth + ' px wide');
             }
             document.querySelectorAll('table').forEach(function (t) {
               var box = t.parentElement;
               if (t.scrollWidth > box.clientWidth + 1) {
                 out.push((t.className || 'a table') + ' is ' + t.scrollWidth + ' px in ' + box.clientWidth);
               }
             });
             return out;",
            vec![],
        )
        .await
        .unwrap();
    found
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect()
}

#[actix_web::test]
async fn every_list_and_the_student_page_fit_a_390_px_phone_with_every_action_in_reach() {
    let app = spawn_app().await;
    let Some(browser) = browser::start(&app.base).await else {
        return;
    };
    let enrolled: uuid::Uuid = {
        use academy_admin::{
            enrollments::EnrollmentStatus, schema::across_programs::course_enrollments as e,
        };
        use diesel::prelude::*;
        e::table
            .filter(e::program_id.eq(app.program_id("Swimming")))
            .filter(e::status.eq(EnrollmentStatus::Active))
            .select(e::student_id)
            .first(&mut app.conn())
            .unwrap()
    };
    let (class, facility): (uuid::Uuid, uuid::Uuid) = {
        use academy_admin::schema::across_programs::classes;
        use diesel::prelude::*;
        classes::table
            .filter(classes::program_id.eq(app.program_id("Swimming")))
            .order(classes::name)
            .select((classes::id, classes::facility_id))
            .first(&mut app.conn())
            .unwrap()
    };
    browser.set_width(390).await;
    let mut problems = Vec::new();
    for (username, pages) in [
        (
            "swim.coord",
            vec![
                "/students".to_string(),
                format!("/students/{enrolled}"),
                "/enrollments".to_string(),
                "/courses".to_string(),
                "/facilities".to_string(),
                format!("/facilities/{facility}"),
                "/classes".to_string(),
                format!("/classes/{class}"),
                "/calendar".to_string(),
                "/closures".to_string(),
                "/dashboard".to_string(),
                "/today".to_string(),
                "/attendance/absent".to_string(),
            ],
        ),
        (
            "swim.tutor",
            vec![
                "/today".to_string(),
                "/my-courses".to_string(),
                "/calendar".to_string(),
            ],
        ),
        (
            "swim.admin",
            vec!["/team".to_string(), "/reference-data".to_string()],
        ),
        (
            "superadmin",
            vec!["/programs".to_string(), "/users".to_string()],
        ),
    ] {
        browser.sign_in(username).await;
        for page in pages {
            browser.open(&page).await;
            browser.wait_for_text("main", "").await;
            let name = page.trim_start_matches('/').replace('/', "-");
            browser
                .screenshot(&format!("phone-{username}-{name}"))
                .await;
            for problem in overflow_on_a_phone(&browser).await {
                problems.push(format!("{username} {page}: {problem}"));
            }
        }
        browser.sign_out().await;
    }
    assert!(problems.is_empty(), "at 390 px:\n{}", problems.join("\n"));
    browser.close().await;
}

#[actix_web::test]
async fn the_students_list_searches_as_you_type_and_a_refused_form_takes_the_focus_to_its_errors() {
    let app = spawn_app().await;
    let Some(browser) = browser::start(&app.base).await else {
        return;
    };
    browser.sign_in("swim.coord").await;
    browser.open("/students").await;
    browser.wait_for_text("h1", "Students").await;
    let rows = |browser: &browser::Browser| {
        let client = browser.client.clone();
        async move {
            client
                .execute(
                    "return document.querySelectorAll('#student-results tbody tr').length;",
                    vec![],
                )
                .await
                .unwrap()
                .as_u64()
                .unwrap()
        }
    };
    assert_eq!(rows(&browser).await, 25, "a full first page");
    let field = browser
        .client
        .find(fantoccini::Locator::Css("#q"))
        .await
        .unwrap();
    field.send_keys("Okafor").await.unwrap();
    // No Enter: the list follows the typing.
    let mut narrowed = 0;
    for _ in 0..60 {
        narrowed = rows(&browser).await;
        if narrowed < 25 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!((1..25).contains(&narrowed), "{narrowed} rows after typing");
    browser.wait_for_text("#student-results", "Okafor").await;
    let focused: String = browser
        .client
        .execute("return document.activeElement.id;", vec![])
        .await
        .unwrap()
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(
        focused, "q",
        "the search box keeps the focus while the list changes"
    );

    // The enrollment form refused: the focus goes to its error summary.
    browser.open("/enrollments/new").await;
    browser.wait_for_text("h1", "Enroll").await;
    // (Sent as htmx sends it: the Enroll button waits for a price, so the form is submitted.)
    browser
        .client
        .execute(
            "document.getElementById('enroll-form').requestSubmit();",
            vec![],
        )
        .await
        .unwrap();
    browser
        .wait_for_text("#enroll-form [role=alert]", "not saved")
        .await;
    let mut role = String::new();
    for _ in 0..40 {
        role = browser
            .client
            .execute("return document.activeElement.getAttribute('role') || document.activeElement.tagName;", vec![])
            .await
            .unwrap()
            .as_str()
            .unwrap_or_default()
            .to_string();
        if role == "alert" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(role, "alert", "the error summary has the focus");
    browser.close().await;
}
