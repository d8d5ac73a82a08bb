//! No byte a user can send answers 500: every field of every form the app renders, posted with
//! NUL, other control characters, invalid UTF-8 and 10,000-character values, gets a 4xx or a
//! normal page, and a refusal changes nothing. Redirect parameters stay on this site.

use std::collections::BTreeMap;

use academy_admin::routes::ROUTES;
use scraper::{Html, Selector};

use crate::support::{spawn_app, Client, Page, TestApp};

/// A form as a page renders it: where it goes, how, and its fields with their values.
#[derive(Debug, Clone)]
struct Form {
    page: String,
    method: String,
    action: String,
    fields: Vec<(String, String)>,
}

fn forms_of(page: &str, html: &str) -> Vec<Form> {
    let document = Html::parse_document(html);
    let form = Selector::parse("form").unwrap();
    let field = Selector::parse("input[name], select[name], textarea[name]").unwrap();
    let option = Selector::parse("option").unwrap();
    document
        .select(&form)
        .map(|f| {
            let method = match f.value().attr("data-hx-post") {
                Some(_) => "post".to_string(),
                None => f.value().attr("method").unwrap_or("get").to_lowercase(),
            };
            let action = f
                .value()
                .attr("action")
                .or(f.value().attr("data-hx-post"))
                .unwrap_or(page.split('?').next().unwrap())
                .to_string();
            let fields = f
                .select(&field)
                .filter(|e| !matches!(e.value().attr("type"), Some("submit" | "button")))
                .map(|e| {
                    let name = e.value().attr("name").unwrap().to_string();
                    let value = match e.value().name() {
                        "textarea" => e.text().collect(),
                        "select" => e
                            .select(&option)
                            .find(|o| o.value().attr("selected").is_some())
                            .or_else(|| e.select(&option).next())
                            .and_then(|o| o.value().attr("value").map(str::to_string))
                            .unwrap_or_default(),
                        _ => e.value().attr("value").unwrap_or("").to_string(),
                    };
                    (name, value)
                })
                .collect();
            Form {
                page: page.to_string(),
                method,
                action,
                fields,
            }
        })
        .collect()
}

/// A route path with its `{param}`s filled with Swimming rows.
pub(crate) fn swimming_path(app: &TestApp, path: &str) -> String {
    let mut out = String::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let end = rest[start..].find('}').unwrap() + start;
        out.push_str(&app.id_for("Swimming", &rest[start + 1..end]).to_string());
        rest = &rest[end + 1..];
    }
    out + rest
}

/// The route of `ROUTES` a concrete path belongs to.
fn route_of(method: &str, path: &str) -> Option<&'static str> {
    let path = path.split('?').next().unwrap();
    ROUTES
        .iter()
        .filter(|r| r.method.eq_ignore_ascii_case(method))
        .find(|r| {
            let (a, b): (Vec<_>, Vec<_>) = (r.path.split('/').collect(), path.split('/').collect());
            a.len() == b.len() && a.iter().zip(&b).all(|(x, y)| x.starts_with('{') || x == y)
        })
        .map(|r| r.path)
}

/// Every form of every page a super admin (and an anonymous visitor) can open, by route.
async fn every_form(app: &TestApp, admin: &mut Client) -> Vec<Form> {
    let mut forms = Vec::new();
    let mut anonymous = app.anonymous();
    forms.extend(forms_of("/login", &anonymous.get("/login").await.body));
    let mut pages: Vec<String> = ROUTES
        .iter()
        .filter(|r| r.method == "GET" && !r.path.contains("{file}") && !r.path.ends_with(".csv"))
        .map(|r| swimming_path(app, r.path))
        .collect();
    // Fragments that only open from a page: a pricing cell's edit box.
    let matrix = admin
        .get(&swimming_path(app, "/facilities/{facility_id}/pricing"))
        .await;
    let cell = Html::parse_document(&matrix.body)
        .select(&Selector::parse("[data-hx-get*='/pricing/cell/edit']").unwrap())
        .next()
        .and_then(|e| e.value().attr("data-hx-get").map(str::to_string))
        .expect("the matrix links a cell's edit box");
    pages.push(cell.replace("&amp;", "&"));
    // A student with an active enrollment: their page carries its action forms.
    let student: uuid::Uuid = {
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
    pages.push(format!("/students/{student}"));
    // Records in the states that offer the remaining actions, and their pages.
    let extra = conditional_forms(app);
    pages.extend(extra);
    for page in pages {
        let res = admin.htmx_get(&page, None).await;
        assert!(res.status < 500, "GET {page}: {}", res.status);
        let full = admin.get(&page).await;
        forms.extend(forms_of(&page, &res.body));
        forms.extend(forms_of(&page, &full.body));
    }
    // One form per (method, route, field names): the same form on many pages, or for many
    // records, is fuzzed once.
    let mut unique = BTreeMap::new();
    for form in forms {
        let names: Vec<String> = form.fields.iter().map(|(n, _)| n.clone()).collect();
        let route = route_of(&form.method, &form.action)
            .unwrap_or(&form.action)
            .to_string();
        unique
            .entry((form.method.clone(), route, names))
            .or_insert(form);
    }
    unique.into_values().collect()
}

/// Rows whose pages show the forms only some states offer (restore, delete, activate...), and
/// those pages.
pub(crate) fn conditional_forms(app: &TestApp) -> Vec<String> {
    use diesel::{connection::SimpleConnection, sql_query, RunQueryDsl};
    let mut conn = app.conn();
    let swimming = app.program_id("Swimming");
    conn.batch_execute(&format!(
        "INSERT INTO programs (name) VALUES ('Fuzz Empty');
         INSERT INTO age_groups (program_id, code, name, min_age, max_age)
           VALUES ('{swimming}', '90-99', 'Fuzz ages', 90, 99);
         INSERT INTO session_types (program_id, code, name, capacity)
           VALUES ('{swimming}', 'fuzz', 'Fuzz sessions', 3);
         INSERT INTO courses (program_id, name, is_active) VALUES ('{swimming}', 'Fuzz archived', false);
         INSERT INTO users (username, email, password_hash, role, is_active)
           VALUES ('fuzz.tutor', 'fuzz.tutor@example.com', 'x', 'tutor', false);
         INSERT INTO user_program_assignments (user_id, program_id)
           SELECT id, '{swimming}' FROM users WHERE username = 'fuzz.tutor';"
    ))
    .unwrap();
    let one = |query: String| -> String {
        #[derive(diesel::QueryableByName)]
        struct Id {
            #[diesel(sql_type = diesel::sql_types::Text)]
            id: String,
        }
        sql_query(query)
            .get_result::<Id>(&mut app.conn())
            .unwrap()
            .id
    };
    let tutored =
        one(format!("SELECT course_id::text AS id FROM course_tutors WHERE program_id = '{swimming}' ORDER BY course_id LIMIT 1"));
    let priced = one(format!(
        "SELECT facility_id::text AS id FROM facility_course_pricing
         WHERE program_id = '{swimming}' AND is_active GROUP BY facility_id ORDER BY count(*) DESC LIMIT 2"
    ));
    let other = one(format!(
        "SELECT id::text AS id FROM facilities WHERE program_id = '{swimming}' AND id::text <> '{priced}' LIMIT 1"
    ));
    let archived = one("SELECT id::text AS id FROM courses WHERE name = 'Fuzz archived'".into());
    let inactive = one("SELECT id::text AS id FROM users WHERE username = 'fuzz.tutor'".into());
    let empty = one("SELECT id::text AS id FROM programs WHERE name = 'Fuzz Empty'".into());
    // A session tonight of a class with students: Today offers its marks.
    one(format!(
        "INSERT INTO class_sessions (program_id, class_id, tutor_id, starts_at, ends_at)
         SELECT c.program_id, c.id, c.tutor_id,
                ((now() AT TIME ZONE 'Africa/Lagos')::date + time '22:00') AT TIME ZONE 'Africa/Lagos',
                ((now() AT TIME ZONE 'Africa/Lagos')::date + time '22:45') AT TIME ZONE 'Africa/Lagos'
         FROM classes c WHERE c.program_id = '{swimming}'
           AND EXISTS (SELECT 1 FROM course_enrollments e WHERE e.class_id = c.id AND e.status = 'active')
         ORDER BY c.name LIMIT 1 RETURNING id::text AS id"
    ));
    // A student in a class that follows a curriculum: their page offers a lesson credit.
    let following = one(format!(
        "SELECT e.student_id::text AS id FROM course_enrollments e JOIN classes c ON c.id = e.class_id
         WHERE e.program_id = '{swimming}' AND e.status = 'active' AND c.curriculum_id IS NOT NULL
         ORDER BY e.id LIMIT 1"
    ));
    // A student excused from a past session of a course with another class ahead: a makeup.
    let makeup = one(format!(
        "WITH chosen AS (
           SELECT e.id AS enrollment, s1.id AS missed FROM course_enrollments e
           JOIN class_sessions s1 ON s1.class_id = e.class_id AND s1.starts_at < now() AND s1.status = 'scheduled'
           WHERE e.program_id = '{swimming}' AND e.status = 'active' AND EXISTS (
             SELECT 1 FROM classes c2 JOIN class_sessions s2 ON s2.class_id = c2.id
             WHERE c2.course_id = e.course_id AND c2.id <> e.class_id AND s2.status = 'scheduled'
               AND s2.starts_at > now() AND s2.starts_at < now() + interval '50 days')
           ORDER BY e.id, s1.starts_at LIMIT 1),
         marked AS (
           INSERT INTO attendance (program_id, session_id, enrollment_id, mark)
           SELECT '{swimming}', missed, enrollment, 'excused' FROM chosen RETURNING 1)
         SELECT 'enrollment_id=' || enrollment || '&missed_session_id=' || missed AS id FROM chosen"
    ));
    // A running enrollment taken out of its class (not the one archived below) offers it again.
    // Another student than the curriculum follower's and the makeup's: ids are in time order, so
    // "the first" of each query is often the same row.
    let classless = one(format!(
        "UPDATE course_enrollments SET class_id = NULL WHERE id = (
           SELECT id FROM course_enrollments WHERE program_id = '{swimming}' AND status = 'active'
             AND class_id <> (SELECT id FROM classes WHERE program_id = '{swimming}' ORDER BY name DESC, id LIMIT 1)
             AND student_id::text <> '{following}'
             AND id::text <> substring('{makeup}' FROM 'enrollment_id=([0-9a-f-]+)')
           ORDER BY id LIMIT 1) RETURNING student_id::text AS id"
    ));
    // An enrollment paying another fee than today's price: its fee page offers the price, and
    // the preview of its configuration offers to apply it to all.
    let repriced = one(format!(
        "UPDATE course_enrollments SET agreed_fee = agreed_fee + 1 WHERE id = (
           SELECT id FROM course_enrollments WHERE program_id = '{swimming}' AND status = 'active'
           ORDER BY id DESC LIMIT 1)
         RETURNING id || ' facility_id=' || facility_id || '&course_id=' || course_id
           || '&age_group=' || replace(age_group, '+', '%2B') || '&location_type=' || location_type
           || '&session_type=' || session_type AS id"
    ));
    let (repriced_id, repriced_key) = repriced.split_once(' ').expect("id and key");
    // This month is not billed yet (the demo billed last month): its preview offers the run.
    let this_month =
        one("SELECT to_char(now() AT TIME ZONE 'Africa/Lagos', 'YYYY-MM') AS id".to_string());
    // An unpaid invoice offers Void (the first of the demo's is paid).
    let unpaid = one(format!(
        "SELECT id::text AS id FROM invoices WHERE program_id = '{swimming}' AND kind = 'invoice' AND status = 'issued' ORDER BY number LIMIT 1"
    ));
    // A payment no invoice took (a credit) offers its refund.
    let credit = one(format!(
        "INSERT INTO payments (program_id, student_id, number, amount, paid_on, method)
         SELECT '{swimming}', s.id, 'RCT-2000-99999', 1000, CURRENT_DATE - 1, 'cash' FROM students s
          WHERE s.program_id = '{swimming}' AND NOT EXISTS (SELECT 1 FROM invoices i WHERE i.student_id = s.id)
          ORDER BY s.student_id LIMIT 1 RETURNING id::text AS id"
    ));
    // A charge not yet billed offers Remove on its student's page (the demo's registration fee).
    let charged = one(format!(
        "SELECT student_id::text AS id FROM charges WHERE program_id = '{swimming}' ORDER BY id LIMIT 1"
    ));
    // A draft offers Discard on its page, and its period Issue and Discard all on Generate.
    let draft = one(format!(
        "INSERT INTO invoices (program_id, student_id, status, period_start, period_end, period_name, issued_on, due_on)
         SELECT '{swimming}', s.id, 'draft', '2000-01-01', '2000-01-31', 'January 2000', '2000-02-01', '2000-02-15'
           FROM students s WHERE s.program_id = '{swimming}' ORDER BY s.student_id LIMIT 1
         RETURNING id::text AS id"
    ));
    // An archived class offers Restore.
    let archived_class = one(format!(
        "UPDATE classes SET status = 'archived' WHERE id = (SELECT id FROM classes WHERE program_id = '{swimming}' ORDER BY name DESC, id LIMIT 1) RETURNING id::text AS id"
    ));
    // An import with a row to fix: its preview, columns and the row's form.
    let import = one(format!(
        "INSERT INTO imports (program_id, file_name, headers, rows, row_count)
         VALUES ('{swimming}', 'fuzz.csv', '[\"First name\", \"Last name\", \"Born\"]',
                 '[{{\"line\": 2, \"cells\": [\"Ada\", \"\", \"1990-13-01\"]}}]', 1)
         RETURNING id::text AS id"
    ));
    vec![
        format!("/students/import/{import}"),
        format!("/students/import/{import}/columns"),
        format!("/students/import/{import}/row?line=2"),
        format!("/programs/{empty}/edit"),
        format!("/programs/{}/edit", app.program_id("Robotics")),
        "/reference-data".into(),
        format!("/courses/{archived}"),
        format!("/courses/{tutored}"),
        format!("/classes/new?course_id={tutored}"),
        format!("/classes/{archived_class}"),
        format!("/students/{classless}"),
        "/today".into(),
        format!("/makeups/new?{makeup}"),
        format!("/students/{following}"),
        format!("/users/{inactive}/edit"),
        format!("/team/users/{inactive}/edit"),
        format!("/facilities/{other}/pricing/copy?source_id={priced}&percent="),
        format!("/enrollments/{repriced_id}/fee"),
        format!("/fees/new-prices/preview?{repriced_key}"),
        format!("/invoices/generate?month={this_month}"),
        format!("/invoices/{unpaid}"),
        format!("/invoices/{draft}"),
        format!("/payments/{credit}"),
        format!("/students/{charged}"),
        // A guardian's page finding a child to add; a student adding an existing guardian.
        format!(
            "/guardians/{}?child_q=a",
            app.id_for("Swimming", "guardian_id")
        ),
        format!("/guardians?student_id={charged}"),
        format!("/guardians/new?student_id={charged}"),
    ]
}

const CONTROL: &[&str] = &[
    "a\u{0}b",
    "\u{0}",
    "x\u{1b}[31m",
    "\u{7f}",
    "\u{8}",
    "\u{9b}",
];

/// Sends the form with `field` set to `encoded` (already percent-encoded, so that invalid UTF-8
/// can be sent), and the client's own CSRF token. A refusal for a stale token would prove
/// nothing about the field, so it fails the test.
async fn send(client: &mut Client, form: &Form, field: &str, encoded: &str) -> Page {
    let mut body: Vec<String> = form
        .fields
        .iter()
        .filter(|(n, _)| n != field && n != "csrf_token")
        .map(|(n, v)| serde_urlencoded::to_string([(n, v)]).unwrap())
        .collect();
    body.push(format!("{field}={encoded}"));
    let res = if form.method == "post" {
        let token = client.csrf_token.clone().unwrap_or_default();
        body.push(format!("csrf_token={token}"));
        client.post_body(&form.action, body.join("&")).await
    } else {
        let sep = if form.action.contains('?') { '&' } else { '?' };
        client
            .get(&format!("{}{sep}{}", form.action, body.join("&")))
            .await
    };
    assert!(
        !res.body.contains("Form expired"),
        "{} {}: the test sent a stale CSRF token",
        form.method,
        form.action
    );
    res
}

fn encoded(value: &str) -> String {
    serde_urlencoded::to_string([("", value)]).unwrap()[1..].to_string()
}

#[actix_web::test]
async fn every_form_field_refuses_control_characters_and_no_value_answers_a_500() {
    let app = spawn_app().await;
    let mut admin = app.login("superadmin").await;
    let swimming = app.program_id("Swimming").to_string();
    admin.get("/dashboard").await;
    let res = admin
        .post("/program-context", &[("program_id", &swimming)])
        .await;
    assert_eq!(res.status, 303);

    let forms = every_form(&app, &mut admin).await;
    // Every write the route table declares is reached by some rendered form.
    let reached: Vec<&str> = forms
        .iter()
        .filter(|f| f.method == "post")
        .filter_map(|f| route_of("POST", &f.action))
        .collect();
    let missed: Vec<&str> = ROUTES
        .iter()
        .filter(|r| r.method == "POST" && !reached.contains(&r.path))
        .map(|r| r.path)
        .collect();
    assert!(
        missed.is_empty(),
        "no rendered form posts to {missed:?}: the fuzz test would miss their fields"
    );

    let long = "é".repeat(10_000);
    let mut checked = 0;
    for form in &forms {
        let mut client = if form.page == "/login" {
            let mut anonymous = app.anonymous();
            anonymous.get("/login").await;
            anonymous
        } else {
            admin.clone()
        };
        for (name, _) in &form.fields {
            if name == "csrf_token" {
                continue;
            }
            let what = format!(
                "{} {} field {name} (form of {})",
                form.method, form.action, form.page
            );
            let before = app.fingerprint();
            for value in CONTROL {
                let res = send(&mut client, form, name, &encoded(value)).await;
                assert_eq!(res.status, 400, "{what} with {value:?}");
                assert!(
                    res.body.contains("control character"),
                    "{what} with {value:?}: {}",
                    res.body
                );
                checked += 1;
            }
            assert_eq!(
                app.fingerprint(),
                before,
                "{what}: a refusal changed nothing"
            );
            let mut before = before;
            for (label, value) in [
                ("10,000 characters", encoded(&long)),
                ("a lone surrogate", "%ED%A0%80".to_string()),
                ("cut UTF-8", "a%C3".to_string()),
            ] {
                let status = send(&mut client, form, name, &value).await.status;
                assert!(status < 500, "{what} with {label}: {status}");
                let after = app.fingerprint();
                if status >= 400 {
                    assert_eq!(
                        after, before,
                        "{what} with {label}: refused ({status}), nothing changed"
                    );
                }
                before = after;
                checked += 1;
            }
        }
    }
    eprintln!("{} forms, {checked} values posted", forms.len());
    assert!(checked > 500, "only {checked} values were posted");
}

#[actix_web::test]
async fn a_search_or_filter_with_a_nul_byte_is_a_plain_400() {
    let app = spawn_app().await;
    let mut coord = app.login("swim.coord").await;
    for path in [
        "/students?q=%00",
        "/students?q=ada%00",
        "/enrollments?status=%0A",
        "/enrollments/students?q=%00",
        "/courses?q=%1b",
    ] {
        let res = coord.get(path).await;
        assert_eq!(res.status, 400, "{path}");
        assert!(
            res.body.contains("control character"),
            "{path}: {}",
            res.body
        );
    }
    let res = coord.get("/students?q=ad%C3%A9").await;
    assert_eq!(res.status, 200, "an accent is fine");
}

#[actix_web::test]
async fn redirect_parameters_only_lead_to_paths_on_this_site() {
    let app = spawn_app().await;
    for next in [
        "/\t/evil.example",
        "/\n/evil.example",
        "//evil.example",
        "/\\evil.example",
        "https://evil.example/",
    ] {
        let mut client = app.anonymous();
        let page = client.get("/login").await;
        assert_eq!(page.status, 200);
        let res = client
            .post(
                "/login",
                &[
                    ("username", "swim.coord"),
                    ("password", academy_admin::demo::DEMO_PASSWORD),
                    ("next", next),
                ],
            )
            .await;
        assert_eq!(res.status, 303, "{next:?}");
        assert_eq!(
            res.location(),
            Some("/"),
            "{next:?} falls back to the home page"
        );
    }
    let mut coord = app.login("swim.coord").await;
    let swimming = app.program_id("Swimming").to_string();
    for return_to in ["//evil.example", "/\\evil.example", "/%09/evil.example"] {
        let res = coord
            .post(
                "/program-context",
                &[("program_id", &swimming), ("return_to", return_to)],
            )
            .await;
        assert_eq!(res.status, 303, "{return_to:?}");
        let location = res.location().unwrap();
        assert!(
            location.starts_with('/')
                && !location.starts_with("//")
                && !location.starts_with("/\\"),
            "{return_to:?} -> {location}"
        );
    }
}
