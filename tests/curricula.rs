//! The curriculum tree: adding, editing, deleting and reordering curricula, modules and lessons;
//! refusals by role and program; safe lesson content; and the browser journey of an admin building
//! a curriculum that the tutor then sees.

use diesel::{prelude::*, sql_query};
use uuid::Uuid;

use crate::{
    courses::{count_of, course_id, uuid_of},
    support::{browser, spawn_app, TestApp},
};

#[derive(QueryableByName, Debug, PartialEq)]
struct Ordered {
    #[diesel(sql_type = diesel::sql_types::Text)]
    name: String,
    #[diesel(sql_type = diesel::sql_types::Integer)]
    sequence_order: i32,
}

/// (name, sequence_order) of the lessons of a module, in order.
fn lessons_of(app: &TestApp, module: Uuid) -> Vec<(String, i32)> {
    sql_query(format!(
        "SELECT name::text AS name, sequence_order FROM lessons WHERE module_id = '{module}' ORDER BY sequence_order"
    ))
    .load::<Ordered>(&mut app.conn())
    .unwrap()
    .into_iter()
    .map(|o| (o.name, o.sequence_order))
    .collect()
}

fn module_named(app: &TestApp, course: &str, module: &str) -> Uuid {
    uuid_of(
        app,
        &format!(
            "SELECT m.id FROM modules m JOIN curricula c ON c.id = m.curriculum_id JOIN courses co ON co.id = c.course_id
             WHERE co.name = '{course}' AND m.name = '{module}' ORDER BY c.sequence_order LIMIT 1"
        ),
    )
}

fn lesson_named(app: &TestApp, module: Uuid, lesson: &str) -> Uuid {
    uuid_of(
        app,
        &format!("SELECT id FROM lessons WHERE module_id = '{module}' AND name = '{lesson}'"),
    )
}

#[actix_web::test]
async fn a_program_admin_builds_a_curriculum_and_orders_follow_one_after_another() {
    let app = spawn_app().await;
    let course = course_id(&app, "Adult Beginners");
    let mut admin = app.login("swim.admin").await;
    assert_eq!(
        admin
            .get(&format!("/courses/{course}/curricula/new"))
            .await
            .status,
        200
    );
    let res = admin
        .post(
            &format!("/courses/{course}/curricula"),
            &[
                ("name", "Term 3: Open water"),
                ("description", "Lake sessions"),
            ],
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.body);
    let curriculum = uuid_of(
        &app,
        "SELECT id FROM curricula WHERE name = 'Term 3: Open water'",
    );
    assert_eq!(
        count_of(
            &app,
            &format!("SELECT sequence_order::bigint AS n FROM curricula WHERE id = '{curriculum}'")
        ),
        3
    );
    assert_eq!(
        admin
            .get(&format!("/curricula/{curriculum}/modules/new"))
            .await
            .status,
        200
    );
    let res = admin
        .post(
            &format!("/curricula/{curriculum}/modules"),
            &[("name", "Sighting")],
        )
        .await;
    assert_eq!(res.status, 303);
    let module = uuid_of(
        &app,
        &format!("SELECT id FROM modules WHERE curriculum_id = '{curriculum}'"),
    );
    assert_eq!(
        admin
            .get(&format!("/modules/{module}/lessons/new"))
            .await
            .status,
        200
    );
    for (name, minutes) in [
        ("Lift the eyes", "30"),
        ("Swim straight", "40"),
        ("Buoy turns", "50"),
    ] {
        let res = admin
            .post(
                &format!("/modules/{module}/lessons"),
                &[
                    ("name", name),
                    ("duration_minutes", minutes),
                    ("content", "Practice."),
                ],
            )
            .await;
        assert_eq!(res.status, 303, "{}", res.body);
    }
    assert_eq!(
        lessons_of(&app, module),
        vec![
            ("Lift the eyes".into(), 1),
            ("Swim straight".into(), 2),
            ("Buoy turns".into(), 3)
        ]
    );
    let page = admin.get(&format!("/courses/{course}")).await;
    assert!(page.body.contains("Sighting") && page.body.contains("3 lessons · 2 h"));
    assert!(
        page.body.contains("1 module · 2 h"),
        "counts and total durations per node"
    );
    assert!(page.body.contains("3 curricula · 27 lessons"));
}

#[actix_web::test]
async fn tree_forms_with_mistakes_answer_422_with_messages_and_change_nothing() {
    let app = spawn_app().await;
    let course = course_id(&app, "Adult Beginners");
    let module = module_named(&app, "Adult Beginners", "Kicking");
    let lesson = lesson_named(&app, module, "Kicking relay");
    let mut admin = app.login("swim.admin").await;
    admin.get("/courses").await;
    let before = app.fingerprint();
    let res = admin
        .post(&format!("/courses/{course}/curricula"), &[("name", " ")])
        .await;
    assert_eq!(res.status, 422);
    assert!(res.body.contains("This field is required."));
    let res = admin
        .post(
            &format!("/lessons/{lesson}/edit"),
            &[
                ("name", "Kept name"),
                ("duration_minutes", "lots"),
                ("content", "kept content"),
            ],
        )
        .await;
    assert_eq!(res.status, 422);
    assert!(res
        .body
        .contains("Enter the minutes as a whole number from 0 to 1440."));
    assert!(res.body.contains("Kept name") && res.body.contains("kept content"));
    assert_eq!(app.fingerprint(), before);
}

#[actix_web::test]
async fn editing_a_curriculum_module_and_lesson_saves_them() {
    let app = spawn_app().await;
    let module = module_named(&app, "Adult Beginners", "Kicking");
    let lesson = lesson_named(&app, module, "Kicking relay");
    let curriculum = uuid_of(
        &app,
        &format!("SELECT curriculum_id AS id FROM modules WHERE id = '{module}'"),
    );
    let mut admin = app.login("swim.admin").await;
    for path in [
        format!("/curricula/{curriculum}/edit"),
        format!("/modules/{module}/edit"),
        format!("/lessons/{lesson}/edit"),
    ] {
        assert_eq!(admin.get(&path).await.status, 200, "{path}");
    }
    assert_eq!(
        admin
            .post(
                &format!("/curricula/{curriculum}/edit"),
                &[("name", "Term 1 (new)")]
            )
            .await
            .status,
        303
    );
    assert_eq!(
        admin
            .post(
                &format!("/modules/{module}/edit"),
                &[("name", "Kicks"), ("description", "Legs")]
            )
            .await
            .status,
        303
    );
    assert_eq!(
        admin
            .post(
                &format!("/lessons/{lesson}/edit"),
                &[
                    ("name", "Relay race"),
                    ("duration_minutes", "15"),
                    ("content", "## Teams\n\nTwo lanes.")
                ],
            )
            .await
            .status,
        303
    );
    let page = admin
        .get(&format!("/courses/{}", course_id(&app, "Adult Beginners")))
        .await;
    assert!(
        page.body.contains("Term 1 (new)")
            && page.body.contains("Kicks")
            && page.body.contains("Relay race")
    );
    assert!(page.body.contains("<h2>Teams</h2>"), "Markdown is rendered");
}

#[actix_web::test]
async fn lessons_move_up_and_down_with_htmx_and_orders_stay_contiguous() {
    let app = spawn_app().await;
    let swimming = app.program_id("Swimming");
    let module = module_named(&app, "Adult Beginners", "Kicking");
    let third = lesson_named(&app, module, "Kick and glide");
    let first = lesson_named(&app, module, "Flutter kick with a board");
    let mut admin = app.login("swim.admin").await;
    admin.get("/courses").await;
    let res = admin
        .htmx_post(
            &format!("/lessons/{third}/move"),
            &[("direction", "up")],
            Some(swimming),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.body);
    assert!(
        res.body.starts_with("\n<section id=\"curriculum-tree-")
            || res.body.contains("<section id=\"curriculum-tree-")
    );
    assert!(!res.body.contains("<html"), "only the tree fragment");
    assert!(res.body.contains("hx-swap-oob") && res.body.contains("moved"));
    let names: Vec<String> = lessons_of(&app, module)
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    assert_eq!(
        names,
        [
            "Flutter kick with a board",
            "Kick and glide",
            "Kicking on the back",
            "Kicking relay"
        ]
    );
    let fragment_order = (
        res.body.find("Kick and glide").unwrap(),
        res.body.find("Kicking on the back").unwrap(),
    );
    assert!(
        fragment_order.0 < fragment_order.1,
        "the fragment shows the new order"
    );
    // At the ends, nothing moves.
    admin
        .htmx_post(
            &format!("/lessons/{first}/move"),
            &[("direction", "up")],
            Some(swimming),
        )
        .await;
    let last = lesson_named(&app, module, "Kicking relay");
    admin
        .htmx_post(
            &format!("/lessons/{last}/move"),
            &[("direction", "down")],
            Some(swimming),
        )
        .await;
    admin
        .htmx_post(
            &format!("/lessons/{first}/move"),
            &[("direction", "down")],
            Some(swimming),
        )
        .await;
    assert_eq!(
        lessons_of(&app, module),
        vec![
            ("Kick and glide".into(), 1),
            ("Flutter kick with a board".into(), 2),
            ("Kicking on the back".into(), 3),
            ("Kicking relay".into(), 4)
        ]
    );
    // Without htmx the form posts and the course page follows.
    let res = admin
        .post(&format!("/lessons/{first}/move"), &[("direction", "up")])
        .await;
    assert_eq!(res.status, 303);
    let before = app.fingerprint();
    let res = admin
        .post(
            &format!("/lessons/{first}/move"),
            &[("direction", "sideways")],
        )
        .await;
    assert_eq!(res.status, 400);
    assert_eq!(app.fingerprint(), before);
}

#[actix_web::test]
async fn curricula_and_modules_reorder_within_their_parent() {
    let app = spawn_app().await;
    let swimming = app.program_id("Swimming");
    let course = course_id(&app, "Adult Beginners");
    let second = uuid_of(
        &app,
        &format!("SELECT id FROM curricula WHERE course_id = '{course}' AND sequence_order = 2"),
    );
    let mut admin = app.login("swim.admin").await;
    admin.get("/courses").await;
    let res = admin
        .htmx_post(
            &format!("/curricula/{second}/move"),
            &[("direction", "up")],
            Some(swimming),
        )
        .await;
    assert_eq!(res.status, 200);
    assert_eq!(
        count_of(
            &app,
            &format!("SELECT sequence_order::bigint AS n FROM curricula WHERE id = '{second}'")
        ),
        1
    );
    let module = module_named(&app, "Adult Beginners", "Kicking");
    let res = admin
        .htmx_post(
            &format!("/modules/{module}/move"),
            &[("direction", "up")],
            Some(swimming),
        )
        .await;
    assert_eq!(res.status, 200);
    assert_eq!(
        count_of(
            &app,
            &format!("SELECT sequence_order::bigint AS n FROM modules WHERE id = '{module}'")
        ),
        2
    );
    // Other courses' trees are untouched and every parent's orders are 1..n.
    assert_eq!(
        count_of(
            &app,
            "SELECT count(*) AS n FROM (SELECT curriculum_id FROM modules GROUP BY curriculum_id
               HAVING min(sequence_order) <> 1 OR max(sequence_order) <> count(*)
                   OR count(DISTINCT sequence_order) <> count(*)) bad"
        ),
        0
    );
}

#[actix_web::test]
async fn deleting_is_refused_while_children_exist_and_renumbers_the_siblings_after() {
    let app = spawn_app().await;
    let swimming = app.program_id("Swimming");
    let module = module_named(&app, "Adult Beginners", "Kicking");
    let curriculum = uuid_of(
        &app,
        &format!("SELECT curriculum_id AS id FROM modules WHERE id = '{module}'"),
    );
    let mut admin = app.login("swim.admin").await;
    admin.get("/courses").await;
    let before = app.fingerprint();
    let res = admin
        .htmx_post(
            &format!("/modules/{module}/delete"),
            &[("version", &app.version_of("modules", module))],
            Some(swimming),
        )
        .await;
    assert_eq!(res.status, 409);
    assert!(
        res.body.contains("Module “Kicking” still has 4 lessons"),
        "{}",
        res.body
    );
    assert_eq!(res.header("hx-retarget"), Some("#flash-region"));
    let res = admin
        .htmx_post(
            &format!("/curricula/{curriculum}/delete"),
            &[("version", &app.version_of("curricula", curriculum))],
            Some(swimming),
        )
        .await;
    assert_eq!(res.status, 409);
    assert!(res.body.contains("still has 3 modules"));
    let lesson = lesson_named(&app, module, "Kicking on the back");
    assert_eq!(
        admin
            .htmx_post(&format!("/lessons/{lesson}/delete"), &[], Some(swimming))
            .await
            .status,
        400,
        "not without confirmation"
    );
    assert_eq!(app.fingerprint(), before);

    let res = admin
        .htmx_post(
            &format!("/lessons/{lesson}/delete"),
            &[("version", &app.version_of("lessons", lesson))],
            Some(swimming),
        )
        .await;
    assert_eq!(res.status, 200);
    assert!(res.body.contains("Lesson “Kicking on the back” deleted."));
    assert_eq!(
        lessons_of(&app, module),
        vec![
            ("Flutter kick with a board".into(), 1),
            ("Kick and glide".into(), 2),
            ("Kicking relay".into(), 3)
        ]
    );
    for name in [
        "Flutter kick with a board",
        "Kick and glide",
        "Kicking relay",
    ] {
        let id = lesson_named(&app, module, name);
        let version = app.version_of("lessons", id);
        let res = admin
            .post(&format!("/lessons/{id}/delete"), &[("version", &version)])
            .await;
        assert_eq!(res.status, 303);
    }
    let version = app.version_of("modules", module);
    let res = admin
        .post(
            &format!("/modules/{module}/delete"),
            &[("version", &version)],
        )
        .await;
    assert_eq!(res.status, 303);
    assert_eq!(
        count_of(&app, &format!("SELECT count(*) AS n FROM modules WHERE curriculum_id = '{curriculum}' AND sequence_order = 3")),
        0,
        "the module after the deleted one moved up"
    );
}

#[actix_web::test]
async fn lesson_content_is_rendered_without_running_anything_a_user_typed() {
    let app = spawn_app().await;
    let module = module_named(&app, "Adult Beginners", "Kicking");
    let mut admin = app.login("swim.admin").await;
    admin.get("/courses").await;
    let res = admin
        .post(
            &format!("/modules/{module}/lessons"),
            &[
                ("name", "<b>Bold</b> name"),
                ("duration_minutes", "10"),
                ("content", "**Safe** <script>alert('x')</script> [click](javascript:alert(1)) <img src=x onerror=alert(2)>"),
            ],
        )
        .await;
    assert_eq!(res.status, 303);
    let page = admin
        .get(&format!("/courses/{}", course_id(&app, "Adult Beginners")))
        .await;
    assert!(page.body.contains("<strong>Safe</strong>"));
    assert!(!page.body.contains("<script>alert"), "no script tag");
    assert!(!page.body.contains("<img src=x"), "no raw HTML");
    assert!(!page.body.contains("javascript:alert"), "no script links");
    assert!(
        page.body.contains("&lt;b&gt;Bold&lt;/b&gt; name") || page.body.contains("&#60;b&#62;Bold")
    );
}

#[actix_web::test]
async fn tutors_cannot_change_the_tree() {
    let app = spawn_app().await;
    let course = course_id(&app, "Learn to Swim: Starfish");
    let module = module_named(&app, "Learn to Swim: Starfish", "Kicking");
    let lesson = lesson_named(&app, module, "Kicking relay");
    let curriculum = uuid_of(
        &app,
        &format!("SELECT curriculum_id AS id FROM modules WHERE id = '{module}'"),
    );
    for username in ["swim.tutor"] {
        let mut user = app.login(username).await;
        let before = app.fingerprint();
        for (path, fields) in [
            (format!("/courses/{course}/curricula"), vec![("name", "X")]),
            (format!("/curricula/{curriculum}/edit"), vec![("name", "X")]),
            (
                format!("/curricula/{curriculum}/move"),
                vec![("direction", "down")],
            ),
            (
                format!("/curricula/{curriculum}/delete"),
                vec![("version", "0")],
            ),
            (
                format!("/curricula/{curriculum}/modules"),
                vec![("name", "X")],
            ),
            (format!("/modules/{module}/edit"), vec![("name", "X")]),
            (format!("/modules/{module}/move"), vec![("direction", "up")]),
            (format!("/modules/{module}/delete"), vec![("version", "0")]),
            (
                format!("/modules/{module}/lessons"),
                vec![("name", "X"), ("duration_minutes", "5")],
            ),
            (
                format!("/lessons/{lesson}/edit"),
                vec![("name", "X"), ("duration_minutes", "5")],
            ),
            (format!("/lessons/{lesson}/move"), vec![("direction", "up")]),
            (format!("/lessons/{lesson}/delete"), vec![("version", "0")]),
        ] {
            assert_eq!(
                user.post(&path, &fields).await.status,
                403,
                "{username} {path}"
            );
        }
        for path in [
            format!("/courses/{course}/curricula/new"),
            format!("/curricula/{curriculum}/edit"),
            format!("/modules/{module}/lessons/new"),
            format!("/lessons/{lesson}/edit"),
        ] {
            assert_eq!(user.get(&path).await.status, 403, "{username} {path}");
        }
        assert_eq!(app.fingerprint(), before);
    }
}

#[actix_web::test]
async fn another_programs_curricula_modules_and_lessons_are_not_found_and_stay_unchanged() {
    let app = spawn_app().await;
    let curriculum = app.football_id_for("curriculum_id");
    let module = app.football_id_for("module_id");
    let lesson = app.football_id_for("lesson_id");
    let course = app.football_id_for("course_id");
    let mut admin = app.login("swim.admin").await;
    admin.get("/courses").await;
    let before = app.fingerprint();
    for path in [
        format!("/courses/{course}/curricula/new"),
        format!("/curricula/{curriculum}/edit"),
        format!("/curricula/{curriculum}/modules/new"),
        format!("/modules/{module}/edit"),
        format!("/modules/{module}/lessons/new"),
        format!("/lessons/{lesson}/edit"),
    ] {
        assert_eq!(admin.get(&path).await.status, 404, "{path}");
    }
    for (path, fields) in [
        (format!("/courses/{course}/curricula"), vec![("name", "X")]),
        (format!("/curricula/{curriculum}/edit"), vec![("name", "X")]),
        (
            format!("/curricula/{curriculum}/move"),
            vec![("direction", "down")],
        ),
        (
            format!("/curricula/{curriculum}/delete"),
            vec![("version", "0")],
        ),
        (
            format!("/curricula/{curriculum}/modules"),
            vec![("name", "X")],
        ),
        (format!("/modules/{module}/edit"), vec![("name", "X")]),
        (
            format!("/modules/{module}/move"),
            vec![("direction", "down")],
        ),
        (format!("/modules/{module}/delete"), vec![("version", "0")]),
        (
            format!("/modules/{module}/lessons"),
            vec![("name", "X"), ("duration_minutes", "5")],
        ),
        (
            format!("/lessons/{lesson}/edit"),
            vec![("name", "X"), ("duration_minutes", "5")],
        ),
        (
            format!("/lessons/{lesson}/move"),
            vec![("direction", "down")],
        ),
        (format!("/lessons/{lesson}/delete"), vec![("version", "0")]),
    ] {
        assert_eq!(admin.post(&path, &fields).await.status, 404, "{path}");
    }
    assert_eq!(app.fingerprint(), before, "nothing of Football changed");
}

#[actix_web::test]
async fn a_program_admin_builds_and_reorders_a_curriculum_in_the_browser_and_the_tutor_sees_it() {
    let app = spawn_app().await;
    let Some(browser) = browser::start(&app.base).await else {
        return;
    };
    let course = course_id(&app, "Learn to Swim: Starfish");
    browser.sign_in("swim.admin").await;
    browser.open("/courses").await;
    browser.wait_for_text("h1", "Courses").await;
    browser.screenshot("courses-list").await;
    browser.click(&format!("a[href='/courses/{course}']")).await;
    browser.wait_for_text("h1", "Learn to Swim: Starfish").await;
    browser
        .click(&format!("a[href='/courses/{course}/curricula/new']"))
        .await;
    browser.wait_for_text("h1", "Add a curriculum").await;
    browser.click(".form-actions button[type=submit]").await;
    browser
        .wait_for_text(".field-error", "This field is required.")
        .await;
    browser.fill("#field-name", "Holiday camp").await;
    browser
        .fill("#field-description", "One intensive week.")
        .await;
    browser.click(".form-actions button[type=submit]").await;
    browser
        .wait_for_text("#flash-region", "Curriculum “Holiday camp” added.")
        .await;
    let curriculum = uuid_of(&app, "SELECT id FROM curricula WHERE name = 'Holiday camp'");
    browser
        .click(&format!("a[href='/curricula/{curriculum}/modules/new']"))
        .await;
    browser.fill("#field-name", "Day one").await;
    browser.click(".form-actions button[type=submit]").await;
    browser
        .wait_for_text("#flash-region", "Module “Day one” added")
        .await;
    let module = uuid_of(
        &app,
        &format!("SELECT id FROM modules WHERE curriculum_id = '{curriculum}'"),
    );
    for (name, minutes) in [
        ("Pool games", "30"),
        ("Diving for rings", "20"),
        ("Cool-down", "10"),
    ] {
        browser
            .click(&format!("a[href='/modules/{module}/lessons/new']"))
            .await;
        browser.wait_for_text("h1", "Add a lesson").await;
        browser.fill("#field-name", name).await;
        browser.fill("#field-duration_minutes", minutes).await;
        browser.fill("#field-content", "Bring *goggles*.").await;
        browser.click(".form-actions button[type=submit]").await;
        browser
            .wait_for_text("#flash-region", &format!("Lesson “{name}” added"))
            .await;
    }
    browser
        .wait_for_text(&format!("#module-{module}"), "3 lessons · 1 h")
        .await;
    // Deleting asks first (hx-confirm), then the tree is swapped without the lesson.
    let cool_down = lesson_named(&app, module, "Cool-down");
    browser
        .click(&format!(
            "#lesson-{cool_down} button[aria-label='Delete Cool-down']"
        ))
        .await;
    let question = wait_for_alert(&browser).await;
    assert!(
        question.contains("Delete the lesson “Cool-down”?"),
        "{question}"
    );
    browser.client.accept_alert().await.unwrap();
    browser
        .wait_for_text("#flash-region", "Lesson “Cool-down” deleted.")
        .await;
    browser
        .wait_for_text(&format!("#module-{module}"), "2 lessons · 50 min")
        .await;
    let second = lesson_named(&app, module, "Diving for rings");
    // Reorder with htmx: the page stays, the tree is swapped.
    browser
        .client
        .execute("document.body.dataset.marker = 'same-page';", vec![])
        .await
        .unwrap();
    browser
        .click(&format!(
            "#lesson-{second} button[aria-label='Move Diving for rings up']"
        ))
        .await;
    browser
        .wait_for_text("#flash-region", "Lesson “Diving for rings” moved.")
        .await;
    let marker = browser
        .client
        .execute("return document.body.dataset.marker || '';", vec![])
        .await
        .unwrap();
    assert_eq!(marker.as_str(), Some("same-page"), "no full page reload");
    // The focus moves right after the swap.
    let mut focused = serde_json::Value::Null;
    for _ in 0..20 {
        focused = browser
            .client
            .execute(
                "return document.activeElement.getAttribute('aria-label');",
                vec![],
            )
            .await
            .unwrap();
        if focused.as_str() == Some("Move Diving for rings down") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(
        focused.as_str(),
        Some("Move Diving for rings down"),
        "the keyboard stays on the moved lesson"
    );
    let visible = browser
        .client
        .execute(
            "var r = document.activeElement.getBoundingClientRect(); return r.top >= 0 && r.bottom <= window.innerHeight;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(visible.as_bool(), Some(true), "and the page shows it");
    let text = browser.text(&format!("#module-{module}")).await;
    assert!(
        text.find("Diving for rings").unwrap() < text.find("Pool games").unwrap(),
        "the tree shows the new order: {text}"
    );
    assert_eq!(
        lessons_of(&app, module),
        vec![("Diving for rings".into(), 1), ("Pool games".into(), 2)]
    );
    browser.screenshot("course-tree").await;
    browser.set_width(390).await;
    browser.open(&format!("/courses/{course}")).await;
    browser.wait_for_text("h1", "Learn to Swim: Starfish").await;
    browser.screenshot("course-tree-phone").await;
    assert_fits(&browser).await;
    scroll_to(&browser, &format!("#module-{module}")).await;
    browser.screenshot("course-tree-phone-nodes").await;
    browser.open(&format!("/courses/{course}/edit")).await;
    browser.wait_for_text("h1", "Edit").await;
    browser.screenshot("course-form-phone").await;
    assert_fits(&browser).await;
    browser.open("/courses").await;
    browser.wait_for_text("h1", "Courses").await;
    browser.screenshot("courses-list-phone").await;
    assert_fits(&browser).await;
    browser.sign_out().await;
    browser.wait_for_text(".flash.info", "signed out").await;

    crate::courses::enroll(&app, course, "Tolu", "Adeyemi");
    browser.set_width(1280).await;
    browser.sign_in("swim.tutor").await;
    browser.wait_for_text("h1", "Today").await;
    browser.open("/my-courses").await;
    browser.wait_for_text("h1", "My courses").await;
    // The roster comes first; the curriculum is folded until the tutor opens it.
    let folded = "article:first-of-type details.folded-tree";
    let open = browser
        .client
        .find(fantoccini::Locator::Css(folded))
        .await
        .unwrap();
    assert!(
        open.attr("open").await.unwrap().is_none(),
        "the tree starts folded"
    );
    browser.click(&format!("{folded} > summary")).await;
    browser.wait_for_text("main", "Holiday camp").await;
    let text = browser.text(&format!("#module-{module}")).await;
    assert!(text.find("Diving for rings").unwrap() < text.find("Pool games").unwrap());
    browser.screenshot("my-courses").await;
    browser.set_width(390).await;
    browser.open("/my-courses").await;
    browser.wait_for_text("h1", "My courses").await;
    browser.screenshot("my-courses-phone").await;
    assert_fits(&browser).await;
    // The demo students are on the roster too; the one enrolled here is among them.
    let roster = ".roster[aria-label='Roster of Learn to Swim: Starfish']";
    browser.wait_for_text(roster, "Tolu Adeyemi").await;
    scroll_to(&browser, roster).await;
    browser.screenshot("my-courses-phone-roster").await;
    let other = course_id(&app, "Junior Squad");
    browser.open(&format!("/courses/{other}")).await;
    browser.wait_for_text("h1", "Not found").await;
    browser.close().await;
}

async fn assert_fits(browser: &browser::Browser) {
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
}

async fn scroll_to(browser: &browser::Browser, css: &str) {
    browser
        .client
        .execute(
            "document.querySelector(arguments[0]).scrollIntoView({block: 'start'});",
            vec![serde_json::json!(css)],
        )
        .await
        .unwrap();
}

async fn wait_for_alert(browser: &browser::Browser) -> String {
    for _ in 0..100 {
        if let Ok(text) = browser.client.get_alert_text().await {
            return text;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("no confirmation dialog appeared");
}

#[actix_web::test]
async fn coordinators_add_and_reorder_curricula_modules_and_lessons_but_not_courses() {
    let app = spawn_app().await;
    let course = course_id(&app, "Learn to Swim: Starfish");
    let mut coord = app.login("swim.coord").await;
    let page = coord.get(&format!("/courses/{course}")).await;
    assert!(page.body.contains("Add curriculum"));
    let form = coord.get(&format!("/courses/{course}/curricula/new")).await;
    assert_eq!(form.status, 200);
    let res = coord
        .post(
            &format!("/courses/{course}/curricula"),
            &[("name", "Holiday intensive"), ("description", "")],
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.body);
    let curriculum = uuid_of(
        &app,
        "SELECT id FROM curricula WHERE name = 'Holiday intensive'",
    );
    let res = coord
        .post(
            &format!("/curricula/{curriculum}/move"),
            &[("direction", "up")],
        )
        .await;
    assert!(res.status == 303 || res.status == 200, "{}", res.status);
    let res = coord
        .post(
            &format!("/curricula/{curriculum}/modules"),
            &[("name", "Day one")],
        )
        .await;
    assert_eq!(res.status, 303);
    // Courses themselves stay with program admins.
    assert_eq!(coord.get("/courses/new").await.status, 403);
    assert_eq!(
        coord.get(&format!("/courses/{course}/edit")).await.status,
        403
    );
}
