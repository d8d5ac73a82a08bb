//! Guardians (issue 21): a student's guardians, siblings sharing one, what each does for a child,
//! the move of the emergency contacts, isolation and the tutor's limit.

use academy_admin::{
    db::MIGRATIONS,
    schema::across_programs::{guardians as g, student_guardians as l},
};
use diesel::{connection::SimpleConnection, prelude::*, sql_query, sql_types::Text};
use diesel_migrations::MigrationHarness;
use uuid::Uuid;

use crate::support::{spawn_app, TestApp, TestDb};

#[derive(QueryableByName)]
struct Id {
    #[diesel(sql_type = diesel::sql_types::Uuid)]
    id: Uuid,
}

fn one(app: &TestApp, sql: &str) -> Uuid {
    sql_query(sql).get_result::<Id>(&mut app.conn()).unwrap().id
}

fn flags_of(app: &TestApp, guardian: Uuid, student: Uuid) -> Option<(bool, bool, bool)> {
    l::table
        .filter(l::guardian_id.eq(guardian))
        .filter(l::student_id.eq(student))
        .select((l::emergency_contact, l::may_pick_up, l::pays_fees))
        .first(&mut app.conn())
        .optional()
        .unwrap()
}

#[actix_web::test]
async fn a_coordinator_adds_a_guardian_to_a_child_and_to_the_sibling_in_two_clicks() {
    let app = spawn_app().await;
    let swimming = app.program_id("Swimming");
    let first = one(
        &app,
        &format!(
            "SELECT id FROM students WHERE program_id = '{swimming}' ORDER BY student_id LIMIT 1"
        ),
    );
    let sibling = one(
        &app,
        &format!("SELECT id FROM students WHERE program_id = '{swimming}' ORDER BY student_id OFFSET 1 LIMIT 1"),
    );
    let mut coord = app.login("swim.coord").await;
    let page = coord.get(&format!("/students/{first}")).await;
    assert!(page
        .body
        .contains(&format!("/guardians/new?student_id={first}")));

    // Refused with the reasons beside the fields, the values kept, nothing saved.
    coord
        .get(&format!("/guardians/new?student_id={first}"))
        .await;
    let before = app.fingerprint();
    let refused = coord
        .post(
            "/guardians",
            &[
                ("full_name", ""),
                ("phone", "0803 call me"),
                ("preferred_contact", "phone"),
                ("student_id", &first.to_string()),
            ],
        )
        .await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(refused.body.contains("Use digits, spaces"));
    assert!(refused.body.contains("value=\"0803 call me\""));
    assert_eq!(app.fingerprint(), before);

    let created = coord
        .post(
            "/guardians",
            &[
                ("full_name", "Ngozi Okafor"),
                ("relationship", "Mother"),
                ("phone", "+234 803 555 0101"),
                ("email", "Ngozi@Example.ng"),
                ("preferred_contact", "whatsapp"),
                ("student_id", &first.to_string()),
                ("emergency_contact", "on"),
                ("pays_fees", "on"),
            ],
        )
        .await;
    assert_eq!(created.status, 303, "{}", created.body);
    assert_eq!(
        created.location(),
        Some(format!("/students/{first}").as_str())
    );
    let guardian: Uuid = g::table
        .filter(g::full_name.eq("Ngozi Okafor"))
        .select(g::id)
        .first(&mut app.conn())
        .unwrap();
    assert_eq!(flags_of(&app, guardian, first), Some((true, false, true)));
    let shown = coord.get(&format!("/students/{first}")).await;
    assert!(shown.body.contains("Ngozi Okafor"));
    assert!(shown.body.contains("Emergency contact. "));

    // The sibling: find the guardian from the sibling's page by phone, add (two clicks).
    let found = coord
        .get(&format!("/guardians?student_id={sibling}&q=555 0101"))
        .await;
    assert!(found.body.contains("Ngozi Okafor"), "{}", found.body);
    assert!(found.body.contains("Add to "));
    let add = [
        ("student_id", sibling.to_string()),
        ("back", "student".to_string()),
        ("emergency_contact", "on".to_string()),
        ("may_pick_up", "on".to_string()),
    ];
    let fields: Vec<(&str, &str)> = add.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let res = coord
        .post(&format!("/guardians/{guardian}/children"), &fields)
        .await;
    assert_eq!(res.status, 303, "{}", res.body);
    assert_eq!(
        res.location(),
        Some(format!("/students/{sibling}").as_str())
    );
    assert_eq!(flags_of(&app, guardian, sibling), Some((true, true, false)));
    let twice = coord
        .post(&format!("/guardians/{guardian}/children"), &fields)
        .await;
    assert_eq!(twice.status, 409);
    let profile = coord.get(&format!("/guardians/{guardian}")).await;
    assert!(profile.body.contains("ngozi@example.ng"));
    assert!(profile.body.contains("WhatsApp"));
    assert!(
        profile.body.matches("/children/").count() >= 4,
        "both children's flags and unlink forms"
    );
    for q in ["ngozi okafor", "ngozi@example", "555 0101"] {
        assert!(
            coord
                .get(&format!("/guardians?q={q}"))
                .await
                .body
                .contains("Ngozi Okafor"),
            "{q}"
        );
    }

    // What the guardian does for one child; unlinking keeps the guardian.
    let res = coord
        .post(
            &format!("/guardians/{guardian}/children/{first}"),
            &[("may_pick_up", "on")],
        )
        .await;
    assert_eq!(res.status, 303);
    assert_eq!(flags_of(&app, guardian, first), Some((false, true, false)));
    let res = coord
        .post(
            &format!("/guardians/{guardian}/children/{sibling}/remove"),
            &[],
        )
        .await;
    assert_eq!(res.status, 303);
    assert_eq!(flags_of(&app, guardian, sibling), None);
    assert_eq!(
        coord.get(&format!("/guardians/{guardian}")).await.status,
        200
    );

    // Edited at its version; an old page's form is refused.
    let version = app.version_of("guardians", guardian);
    let edit = [
        ("full_name", "Ngozi Okafor-Eze"),
        ("phone", "+234 803 555 0101"),
        ("preferred_contact", "phone"),
    ];
    let mut fields = edit.to_vec();
    fields.push(("version", "1"));
    assert_eq!(
        coord
            .post(&format!("/guardians/{guardian}"), &fields)
            .await
            .status,
        409
    );
    fields.pop();
    fields.push(("version", &version));
    let res = coord.post(&format!("/guardians/{guardian}"), &fields).await;
    assert_eq!(res.status, 303, "{}", res.body);
    let history = coord
        .htmx_get(&format!("/guardians/{guardian}/history"), None)
        .await;
    assert!(
        history.body.contains("Guardian changed"),
        "{}",
        history.body
    );
    assert!(history.body.contains("Chidi Nwosu"));

    // Another program never reaches the guardian; a tutor only sees their students' guardians
    // and edits none.
    let mut other = app.login("football.coord").await;
    other.get("/guardians").await;
    let before = app.fingerprint();
    assert_eq!(
        other.get(&format!("/guardians/{guardian}")).await.status,
        404
    );
    assert!(!other
        .get("/guardians?q=okafor-eze")
        .await
        .body
        .contains("Okafor-Eze"));
    let res = other
        .post(
            &format!("/guardians/{guardian}/children"),
            &[("student_id", &first.to_string())],
        )
        .await;
    assert_eq!(res.status, 404);
    let mut tutor = app.login("swim.tutor").await;
    let taught = one(
        &app,
        "SELECT e.student_id AS id FROM course_enrollments e JOIN course_tutors t ON t.course_id = e.course_id
           JOIN users u ON u.id = t.user_id WHERE u.username = 'swim.tutor' ORDER BY e.id LIMIT 1",
    );
    let theirs = one(
        &app,
        &format!(
            "SELECT guardian_id AS id FROM student_guardians WHERE student_id = '{taught}' LIMIT 1"
        ),
    );
    assert_eq!(tutor.get(&format!("/guardians/{theirs}")).await.status, 200);
    let untaught = one(
        &app,
        &format!(
            "SELECT l.guardian_id AS id FROM student_guardians l WHERE l.program_id = '{swimming}' AND NOT EXISTS (
               SELECT 1 FROM course_enrollments e JOIN course_tutors t ON t.course_id = e.course_id
                 JOIN users u ON u.id = t.user_id
                WHERE u.username = 'swim.tutor' AND e.student_id IN
                  (SELECT student_id FROM student_guardians x WHERE x.guardian_id = l.guardian_id))
             LIMIT 1"
        ),
    );
    assert_eq!(
        tutor.get(&format!("/guardians/{untaught}")).await.status,
        404
    );
    assert_eq!(
        tutor
            .post(&format!("/guardians/{theirs}"), &fields)
            .await
            .status,
        403
    );
    assert_eq!(app.fingerprint(), before);
}

#[test]
fn the_migration_moves_each_emergency_contact_into_a_guardian_siblings_sharing_one() {
    #[derive(QueryableByName)]
    struct Row {
        #[diesel(sql_type = Text)]
        line: String,
    }
    let db = TestDb::empty();
    let mut conn = db.connect();
    conn.run_pending_migrations(MIGRATIONS).unwrap();
    // Back to before guardians (and what came after), with students as the seed kept them.
    while conn
        .applied_migrations()
        .unwrap()
        .iter()
        .any(|v| v.to_string().ends_with("000036"))
    {
        conn.revert_last_migration(MIGRATIONS).unwrap();
    }
    conn.batch_execute(
        "INSERT INTO programs (name) VALUES ('Moved');
         INSERT INTO students (program_id, student_id, first_name, last_name, emergency_contact)
         SELECT p.id, s.code, s.first, 'Eze', s.contact::jsonb FROM programs p, (VALUES
           ('STU-2026-0001', 'Ada', '{\"name\": \"Ngozi Eze\", \"relation\": \"Mother\", \"phone\": \"0803\"}'),
           ('STU-2026-0002', 'Obi', '{\"name\": \"Ngozi Eze \", \"relation\": \"Mother\", \"phone\": \"0803\"}'),
           ('STU-2026-0003', 'Uche', '{\"phone\": \"0805\"}'),
           ('STU-2026-0004', 'Kemi', '{}')) AS s (code, first, contact)
         WHERE p.name = 'Moved';",
    )
    .unwrap();
    conn.run_pending_migrations(MIGRATIONS).unwrap();
    let lines: Vec<String> = sql_query(
        "SELECT s.first_name || ': ' || g.full_name || '|' || g.relationship || '|' || g.phone
                || '|' || l.emergency_contact || l.may_pick_up || l.pays_fees AS line
           FROM students s JOIN student_guardians l ON l.student_id = s.id
           JOIN guardians g ON g.id = l.guardian_id ORDER BY s.student_id",
    )
    .load::<Row>(&mut conn)
    .unwrap()
    .into_iter()
    .map(|r| r.line)
    .collect();
    assert_eq!(
        lines,
        [
            "Ada: Ngozi Eze|Mother|0803|truefalsefalse",
            "Obi: Ngozi Eze|Mother|0803|truefalsefalse",
            "Uche: ||0805|truefalsefalse",
        ]
    );
    let guardians: i64 = g::table.count().get_result(&mut conn).unwrap();
    assert_eq!(
        guardians, 2,
        "the siblings share theirs; an empty contact moves nowhere"
    );
}

/// A money amount as a page shows it ("₦12,500.00"), in kobo.
fn kobo(shown: &str) -> i64 {
    let digits: String = shown.chars().filter(char::is_ascii_digit).collect();
    digits.parse().unwrap()
}

fn after<'a>(body: &'a str, marker: &str) -> &'a str {
    let at = body
        .find(marker)
        .unwrap_or_else(|| panic!("{marker} in {body}"))
        + marker.len();
    body[at..].split('<').next().unwrap()
}

#[actix_web::test]
async fn a_paying_guardians_page_shows_the_familys_invoices_and_balance_and_invoices_are_addressed_to_them(
) {
    let app = spawn_app().await;
    let swimming = app.program_id("Swimming");
    // Demo siblings share a parent who pays for both; both were invoiced last month.
    let parent = one(
        &app,
        &format!(
            "SELECT l.guardian_id AS id FROM student_guardians l
             WHERE l.program_id = '{swimming}' AND l.pays_fees
               AND EXISTS (SELECT 1 FROM invoices i WHERE i.student_id = l.student_id AND i.status IN ('issued', 'partly_paid'))
             GROUP BY l.guardian_id HAVING count(*) = 2 ORDER BY l.guardian_id LIMIT 1"
        ),
    );
    let children: Vec<Uuid> = l::table
        .filter(l::guardian_id.eq(parent))
        .order(l::student_id)
        .select(l::student_id)
        .load(&mut app.conn())
        .unwrap();
    let name: String = g::table
        .find(parent)
        .select(g::full_name)
        .first(&mut app.conn())
        .unwrap();
    let mut coord = app.login("swim.coord").await;
    let mut owed = 0;
    for child in &children {
        let page = coord.get(&format!("/students/{child}")).await;
        owed += kobo(after(&page.body, "id=\"student-balance\">"));
    }
    let page = coord.get(&format!("/guardians/{parent}")).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Family fees"));
    assert_eq!(
        kobo(after(&page.body, "id=\"family-balance\">")),
        owed,
        "the SUM of the children's balances"
    );
    let invoice = one(
        &app,
        &format!("SELECT id FROM invoices WHERE student_id = '{}' AND status <> 'draft' ORDER BY number LIMIT 1", children[1]),
    );
    assert!(
        page.body.contains(&format!("/invoices/{invoice}")),
        "both children's invoices are listed"
    );
    let shown = coord.get(&format!("/invoices/{invoice}")).await;
    assert!(
        shown.body.contains("Bill to"),
        "addressed to the paying guardian"
    );
    assert!(shown.body.contains(&name));
    // Paying it: the receipt is the paying guardian's too, for the child.
    let student = children[1].to_string();
    coord
        .get(&format!(
            "/students/{student}/payments/new?invoice_id={invoice}"
        ))
        .await;
    let invoice_field = invoice.to_string();
    let paid_on = chrono::Utc::now().date_naive().to_string();
    let res = coord
        .post(
            &format!("/students/{student}/payments"),
            &[
                ("amount", "100"),
                ("paid_on", paid_on.as_str()),
                ("method", "cash"),
                ("reference", ""),
                ("invoice_id", invoice_field.as_str()),
            ],
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.body);
    let receipt = coord.get(res.location().unwrap()).await;
    assert!(receipt.body.contains("Received from"), "{}", receipt.body);
    let received_from = receipt
        .body
        .split("Received from</dt><dd>")
        .nth(1)
        .unwrap()
        .split("</dd>")
        .next()
        .unwrap();
    assert!(
        received_from.contains(&name) && received_from.contains(", for "),
        "{received_from}"
    );

    // The family stops having them pay for the second child: the invoice follows, the family shrinks.
    diesel::update(
        l::table
            .filter(l::guardian_id.eq(parent))
            .filter(l::student_id.eq(children[1])),
    )
    .set(l::pays_fees.eq(false))
    .execute(&mut app.conn())
    .unwrap();
    let shown = coord.get(&format!("/invoices/{invoice}")).await;
    assert!(!shown.body.contains("Bill to"));
    let receipt = coord.get(res.location().unwrap()).await;
    assert!(
        !receipt.body.contains(&name),
        "nobody pays for them now: the receipt names the child alone"
    );
    let page = coord.get(&format!("/guardians/{parent}")).await;
    assert!(!page.body.contains(&format!("/invoices/{invoice}")));

    // A tutor who may see the guardian never sees money.
    let mut tutor = app.login("swim.tutor").await;
    let visible = one(
        &app,
        &format!(
            "SELECT l.guardian_id AS id FROM student_guardians l
             JOIN course_enrollments e ON e.student_id = l.student_id
             JOIN course_tutors t ON t.course_id = e.course_id
             JOIN users u ON u.id = t.user_id AND u.username = 'swim.tutor'
             WHERE l.program_id = '{swimming}' ORDER BY l.guardian_id LIMIT 1"
        ),
    );
    let page = tutor.get(&format!("/guardians/{visible}")).await;
    assert_eq!(page.status, 200);
    assert!(!page.body.contains("Family fees"));
    assert!(!page.body.contains('₦'));
}

#[actix_web::test]
async fn in_the_browser_a_coordinator_adds_a_second_child_to_a_guardian_on_a_laptop_and_a_phone() {
    let app = spawn_app().await;
    let Some(browser) = crate::support::browser::start(&app.base).await else {
        return;
    };
    let swimming = app.program_id("Swimming");
    // A parent with one child, and a student with another surname to add as their second.
    let parent = one(
        &app,
        &format!(
            "SELECT guardian_id AS id FROM student_guardians WHERE program_id = '{swimming}'
             GROUP BY guardian_id HAVING count(*) = 1 ORDER BY guardian_id LIMIT 1"
        ),
    );
    let second = one(
        &app,
        &format!(
            "SELECT id FROM students WHERE program_id = '{swimming}'
               AND id NOT IN (SELECT student_id FROM student_guardians WHERE guardian_id = '{parent}')
             ORDER BY student_id DESC LIMIT 1"
        ),
    );
    let code: String = academy_admin::schema::across_programs::students::table
        .find(second)
        .select(academy_admin::schema::across_programs::students::student_id)
        .first(&mut app.conn())
        .unwrap();
    browser.sign_in("swim.coord").await;
    browser.set_width(390).await;
    browser.open(&format!("/guardians/{parent}")).await;
    browser.fill("#child_q", &code).await;
    browser.click("form[role=search] button[type=submit]").await;
    browser.wait_for_text(".candidates", &code).await;
    browser.screenshot("guardian-add-child").await;
    browser.click(".candidates button[type=submit]").await;
    browser.wait_for_text(".flash.success", "").await;
    let children = browser.wait_for_text("#children", &code).await;
    assert!(children.contains(&code), "{children}");
    browser.set_width(1280).await;
    browser.screenshot("guardian-two-children").await;
    browser.close().await;
    assert_eq!(flags_of(&app, parent, second), Some((true, true, false)));
}
