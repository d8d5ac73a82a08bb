//! Students: the list, the profile, the form, student ids, the CSV export, and isolation.

use academy_admin::schema::across_programs::{
    course_enrollments, course_tutors, programs, student_id_counters, students,
};
use academy_admin::students::StudentStatus;
use chrono::Datelike;
use diesel::prelude::*;
use uuid::Uuid;

use crate::support::{spawn_app, TestApp};

fn student_uuid(app: &TestApp, code: &str) -> Uuid {
    students::table
        .filter(students::student_id.eq(code))
        .select(students::id)
        .first(&mut app.conn())
        .unwrap()
}

fn program_of(app: &TestApp, id: Uuid) -> String {
    students::table
        .inner_join(programs::table)
        .filter(students::id.eq(id))
        .select(programs::name)
        .first(&mut app.conn())
        .unwrap()
}

const NEW_STUDENT: &[(&str, &str)] = &[
    ("first_name", "Kelechi"),
    ("last_name", "Nwachukwu"),
    ("email", "kelechi@example.ng"),
    ("phone", "+234 803 555 0101"),
    ("date_of_birth", "2016-05-14"),
    ("enrollment_date", "2026-09-01"),
    ("status", "active"),
    ("address_line1", "12 Awolowo Road"),
    ("city", "Ikoyi"),
    ("state", "Lagos"),
    ("country", "Nigeria"),
    ("allergies", "Penicillin"),
];

#[actix_web::test]
async fn a_coordinator_adds_a_student_who_gets_the_next_student_id_and_a_profile() {
    let app = spawn_app().await;
    let mut coord = app.login("swim.coord").await;
    coord.get("/students/new").await;
    let res = coord.post("/students", NEW_STUDENT).await;
    assert_eq!(res.status, 303, "{}", res.body);
    let profile = coord.get(res.location().unwrap()).await;
    let year = chrono::Utc::now().year();
    let demo = 2 * academy_admin::demo::STUDENTS_PER_PROGRAM;
    let code = format!("STU-{year}-{:04}", demo + 1);
    assert!(profile.body.contains(&code), "{code} in {}", profile.body);
    assert!(profile.body.contains("Kelechi Nwachukwu was added as"));
    for shown in [
        "12 Awolowo Road",
        "No guardian yet",
        "Penicillin",
        "14 May 2016",
        "1 Sep 2026",
    ] {
        assert!(profile.body.contains(shown), "profile shows {shown}");
    }
    let id = student_uuid(&app, &code);
    assert_eq!(program_of(&app, id), "Swimming");
    let list = coord.get("/students?q=kelechi").await;
    assert!(list.body.contains("Nwachukwu, Kelechi"));
}

#[actix_web::test]
async fn a_form_with_mistakes_says_what_is_wrong_beside_each_field_keeps_the_values_and_saves_nothing(
) {
    let app = spawn_app().await;
    let mut coord = app.login("swim.coord").await;
    coord.get("/students/new").await;
    let before = app.fingerprint();
    let res = coord
        .post(
            "/students",
            &[
                ("first_name", ""),
                ("last_name", "Nwachukwu"),
                ("email", "not-an-email"),
                ("phone", "12"),
                ("date_of_birth", "2099-01-01"),
                ("enrollment_date", "2026-09-01"),
                ("status", "active"),
                ("city", "Ikoyi"),
            ],
        )
        .await;
    assert_eq!(res.status, 422);
    assert!(res.body.contains("id=\"error-first_name\""));
    assert!(res.body.contains("Enter an email address"));
    assert!(res.body.contains("7 to 15 digits"));
    assert!(res.body.contains("cannot be in the future"));
    assert!(
        res.body.contains("value=\"Nwachukwu\"") && res.body.contains("value=\"Ikoyi\""),
        "values are kept"
    );
    assert_eq!(app.fingerprint(), before);
}

#[actix_web::test]
async fn fifty_students_created_at_once_get_fifty_distinct_ids() {
    let app = spawn_app().await;
    let mut coord = app.login("swim.coord").await;
    coord.get("/students/new").await;
    let mut tasks = Vec::new();
    for i in 0..50 {
        let mut client = coord.clone();
        tasks.push(actix_web::rt::spawn(async move {
            let last = format!("Parallel{i}");
            client
                .post(
                    "/students",
                    &[
                        ("first_name", "Test"),
                        ("last_name", &last),
                        ("enrollment_date", "2026-09-01"),
                        ("status", "active"),
                    ],
                )
                .await
                .status
        }));
    }
    for task in tasks {
        assert_eq!(task.await.unwrap(), 303);
    }
    let codes: Vec<String> = students::table
        .filter(students::last_name.like("Parallel%"))
        .select(students::student_id)
        .load(&mut app.conn())
        .unwrap();
    let distinct: std::collections::HashSet<_> = codes.iter().collect();
    assert_eq!((codes.len(), distinct.len()), (50, 50));
}

#[actix_web::test]
async fn student_numbers_grow_past_9999_to_five_digits() {
    let app = spawn_app().await;
    let year = chrono::Utc::now().year();
    diesel::update(student_id_counters::table.find(year))
        .set(student_id_counters::last_number.eq(9999))
        .execute(&mut app.conn())
        .unwrap();
    let mut coord = app.login("swim.coord").await;
    coord.get("/students/new").await;
    let res = coord.post("/students", NEW_STUDENT).await;
    let profile = coord.get(res.location().unwrap()).await;
    assert!(profile.body.contains(&format!("STU-{year}-10000")));
}

#[actix_web::test]
async fn the_list_searches_by_name_id_email_or_phone_filters_by_status_and_pages_in_the_database() {
    let app = spawn_app().await;
    let mut coord = app.login("swim.coord").await;
    let first = coord.get("/students").await;
    assert!(
        first.body.contains("25 shown of 60 students"),
        "{}",
        first.body
    );
    assert_eq!(coord.get("/students?after=not-a-key").await.status, 400);
    let (code, email, phone): (String, String, String) = students::table
        .inner_join(programs::table)
        .filter(programs::name.eq("Swimming"))
        .order(students::student_id)
        .select((
            students::student_id,
            students::email.assume_not_null(),
            students::phone.assume_not_null(),
        ))
        .first(&mut app.conn())
        .unwrap();
    for term in [code.as_str(), email.as_str(), &phone[phone.len() - 4..]] {
        let found = coord
            .get(&format!(
                "/students?q={}",
                term.replace('+', "%2B").replace(' ', "+")
            ))
            .await;
        assert!(found.body.contains(&code), "searching {term} finds {code}");
    }
    let withdrawn = coord.get("/students?status=withdrawn").await;
    assert!(withdrawn.body.contains("Withdrawn") && !withdrawn.body.contains(">Active</span>"));
    let none = coord.get("/students?q=zzzz-nobody").await;
    assert!(none.body.contains("No student matches"));
    assert_eq!(coord.get("/students?status=expelled").await.status, 400);
    let by_id = coord.get("/students?sort=student_id").await;
    assert!(by_id.body.find(&code).is_some());
}

#[actix_web::test]
async fn a_football_student_is_not_found_for_swimming_staff_and_never_listed_or_exported() {
    let app = spawn_app().await;
    let football_student = app.football_id_for("student_id");
    let football_code: String = students::table
        .find(football_student)
        .select(students::student_id)
        .first(&mut app.conn())
        .unwrap();
    let mut coord = app.login("swim.coord").await;
    let before = app.fingerprint();
    assert_eq!(
        coord
            .get(&format!("/students/{football_student}"))
            .await
            .status,
        404
    );
    assert_eq!(
        coord
            .get(&format!("/students/{football_student}/edit"))
            .await
            .status,
        404
    );
    coord.get("/students").await;
    let res = coord
        .post(&format!("/students/{football_student}"), NEW_STUDENT)
        .await;
    assert_eq!(res.status, 404);
    let res = coord
        .post(
            &format!("/students/{football_student}/status"),
            &[("status", "withdrawn")],
        )
        .await;
    assert_eq!(res.status, 404);
    assert_eq!(app.fingerprint(), before, "nothing changed");
    let list = coord.get(&format!("/students?q={football_code}")).await;
    assert!(
        list.body.contains("No student matches"),
        "the search box echoes the term, the list has no match"
    );
    assert!(!list.body.contains(&format!(">{football_code}</code>")));
    let csv = coord.get("/students/export.csv").await;
    assert!(!csv.body.contains(&football_code));
    assert_eq!(
        csv.body.lines().count(),
        61,
        "a header and the 60 Swimming students"
    );
}

#[actix_web::test]
async fn the_csv_export_is_utf8_with_correct_quoting_and_follows_the_filters() {
    let app = spawn_app().await;
    let mut coord = app.login("swim.coord").await;
    coord.get("/students/new").await;
    let res = coord
        .post(
            "/students",
            &[
                ("first_name", "Ọlá \"Lola\""),
                ("last_name", "Adé, Jr."),
                ("enrollment_date", "2026-09-01"),
                ("status", "inactive"),
            ],
        )
        .await;
    assert_eq!(res.status, 303);
    let csv = coord.get("/students/export.csv?q=Jr.").await;
    assert_eq!(csv.header("content-type"), Some("text/csv; charset=utf-8"));
    assert!(csv
        .header("content-disposition")
        .unwrap()
        .contains("students-swimming.csv"));
    assert!(
        csv.body.starts_with('\u{feff}'),
        "a byte-order mark for spreadsheets"
    );
    let lines: Vec<&str> = csv.body.lines().collect();
    assert_eq!(lines.len(), 2);
    assert!(
        lines[1].contains(",\"Ọlá \"\"Lola\"\"\",\"Adé, Jr.\","),
        "{}",
        lines[1]
    );
}

#[actix_web::test]
async fn tutors_see_only_students_of_their_courses_and_cannot_add_any() {
    let app = spawn_app().await;
    let tutor_id = app.user_id("swim.tutor");
    let taught: Vec<Uuid> = course_enrollments::table
        .filter(
            course_enrollments::course_id.eq_any(
                course_tutors::table
                    .filter(course_tutors::user_id.eq(tutor_id))
                    .select(course_tutors::course_id),
            ),
        )
        .select(course_enrollments::student_id)
        .distinct()
        .load(&mut app.conn())
        .unwrap();
    assert!(
        !taught.is_empty(),
        "the demo enrolls students in the tutor's courses"
    );
    let untaught: Uuid = students::table
        .inner_join(programs::table)
        .filter(programs::name.eq("Swimming"))
        .filter(students::id.ne_all(&taught))
        .select(students::id)
        .first(&mut app.conn())
        .unwrap();
    let mut tutor = app.login("swim.tutor").await;
    let list = tutor.get("/students").await;
    assert_eq!(list.status, 200);
    assert!(
        list.body
            .contains(&format!(" of {} students", taught.len())),
        "exactly the {} taught students",
        taught.len()
    );
    assert!(!list.body.contains("Add student"));
    assert_eq!(
        tutor.get(&format!("/students/{}", taught[0])).await.status,
        200
    );
    assert_eq!(
        tutor.get(&format!("/students/{untaught}")).await.status,
        404
    );
    assert_eq!(tutor.get("/students/new").await.status, 403);
    assert_eq!(tutor.get("/students/export.csv").await.status, 403);
}

#[actix_web::test]
async fn editing_keeps_the_student_id_and_changes_the_fields() {
    let app = spawn_app().await;
    let mut coord = app.login("swim.coord").await;
    coord.get("/students/new").await;
    let created = coord.post("/students", NEW_STUDENT).await;
    let path = created.location().unwrap().to_string();
    let edit = coord.get(&format!("{path}/edit")).await;
    assert!(edit.body.contains("value=\"Kelechi\""));
    let mut fields: Vec<(&str, &str)> = NEW_STUDENT.to_vec();
    fields.retain(|(k, _)| *k != "city");
    fields.push(("city", "Lekki"));
    let res = coord.post(&path, &fields).await;
    assert_eq!(res.status, 303);
    let profile = coord.get(&path).await;
    assert!(profile.body.contains("Lekki") && profile.body.contains("was saved."));
    let res = coord
        .post(&format!("{path}/status"), &[("status", "graduated")])
        .await;
    assert_eq!(res.status, 303);
    assert!(coord
        .get(&path)
        .await
        .body
        .contains("Status changed to Graduated."));
}

/// The `href` of the pagination link with `rel`, decoded.
fn link(body: &str, rel: &str) -> Option<String> {
    let marker = format!("rel=\"{rel}\" href=\"");
    let start = body.find(&marker)? + marker.len();
    let end = start + body[start..].find('"')?;
    Some(format!(
        "/students{}",
        body[start..end].replace("&#38;", "&").replace("&amp;", "&")
    ))
}

/// Student codes of a list page, in page order.
fn codes(body: &str) -> Vec<String> {
    body.split("<code class=\"student-id\">")
        .skip(1)
        .map(|cell| cell[..cell.find('<').unwrap()].to_string())
        .collect()
}

#[actix_web::test]
async fn pages_follow_by_key_forwards_and_backwards_in_every_order_and_match_the_database() {
    let app = spawn_app().await;
    let mut coord = app.login("swim.coord").await;
    let swimming = || {
        students::table
            .inner_join(programs::table)
            .filter(programs::name.eq("Swimming"))
            .select(students::student_id)
            .into_boxed()
    };
    let mut conn = app.conn();
    let by_name: Vec<String> = swimming()
        .order((students::last_name, students::first_name, students::id))
        .load(&mut conn)
        .unwrap();
    let by_code: Vec<String> = swimming()
        .order(students::student_id)
        .load(&mut conn)
        .unwrap();
    let newest: Vec<String> = swimming()
        .order((students::created_at.desc(), students::id.desc()))
        .load(&mut conn)
        .unwrap();
    // A search is paged from its matches in memory (one index scan per request): the same walk.
    let searched: Vec<String> = swimming()
        .filter(diesel::dsl::sql::<diesel::sql_types::Bool>(
            "student_search_text(students.first_name, students.last_name, students.student_id, \
             students.email, students.phone) ILIKE '%a%'",
        ))
        .order((students::last_name, students::first_name, students::id))
        .load(&mut conn)
        .unwrap();
    assert!(searched.len() > 50, "the search spans three pages");
    let reversed = |list: &Vec<String>| list.iter().rev().cloned().collect::<Vec<_>>();
    for (sort, expected) in [
        ("-name", reversed(&by_name)),
        ("-student_id", reversed(&by_code)),
        ("-newest", reversed(&newest)),
        ("-name&q=a", reversed(&searched)),
        ("name", by_name),
        ("student_id", by_code),
        ("newest", newest),
        ("name&q=a", searched),
    ] {
        let mut seen = Vec::new();
        let mut url = Some(format!("/students?sort={sort}"));
        let mut last_body = String::new();
        while let Some(next) = url {
            assert!(
                seen.len() <= expected.len(),
                "forwards in {sort} order: no end at {next}"
            );
            let page = coord.get(&next).await;
            assert_eq!(page.status, 200, "{next}");
            seen.extend(codes(&page.body));
            url = link(&page.body, "next");
            last_body = page.body;
        }
        assert_eq!(seen, expected, "forwards in {sort} order");
        let mut back = codes(&last_body);
        let mut url = link(&last_body, "prev");
        while let Some(previous) = url {
            assert!(
                back.len() <= expected.len(),
                "backwards in {sort} order: no start at {previous}"
            );
            let page = coord.get(&previous).await;
            let mut rows = codes(&page.body);
            rows.extend(back);
            back = rows;
            url = link(&page.body, "prev");
        }
        assert_eq!(back, expected, "backwards in {sort} order");
        let last = coord.get(&format!("/students?sort={sort}&last=1")).await;
        let tail = expected[expected.len() - 25..].to_vec();
        assert_eq!(
            codes(&last.body),
            tail,
            "the last page of {sort} holds its last 25"
        );
    }
}

#[actix_web::test]
async fn a_cursor_naming_another_programs_student_is_not_found() {
    let app = spawn_app().await;
    let mut coord = app.login("swim.coord").await;
    let football_student: Uuid = students::table
        .inner_join(programs::table)
        .filter(programs::name.eq("Football"))
        .select(students::id)
        .first(&mut app.conn())
        .unwrap();
    for cursor in ["after", "before"] {
        let page = coord
            .get(&format!("/students?{cursor}={football_student}"))
            .await;
        assert_eq!(page.status, 404, "{cursor}");
    }
}

#[actix_web::test]
async fn the_totals_come_from_the_running_counts_and_follow_every_change() {
    let app = spawn_app().await;
    let mut coord = app.login("swim.coord").await;
    let exact: i64 = students::table
        .inner_join(programs::table)
        .filter(programs::name.eq("Swimming"))
        .filter(students::status.eq(StudentStatus::Withdrawn))
        .count()
        .get_result(&mut app.conn())
        .unwrap();
    let page = coord.get("/students?status=withdrawn").await;
    assert!(
        page.body.contains(&format!(" of {exact} students")),
        "{}",
        page.body
    );
    let some: Uuid = students::table
        .inner_join(programs::table)
        .filter(programs::name.eq("Swimming"))
        .filter(students::status.eq(StudentStatus::Active))
        .select(students::id)
        .first(&mut app.conn())
        .unwrap();
    diesel::update(students::table.find(some))
        .set(students::status.eq(StudentStatus::Withdrawn))
        .execute(&mut app.conn())
        .unwrap();
    let page = coord.get("/students?status=withdrawn").await;
    assert!(
        page.body.contains(&format!(" of {} students", exact + 1)),
        "{}",
        page.body
    );
}

/// A fixture student of Swimming with an active and a paused enrollment and a completed one.
fn student_with_enrollments(app: &TestApp) -> (Uuid, Vec<Uuid>) {
    use crate::support::fixtures::{priced_course, student};
    let course = priced_course(app, "Swimming");
    let kid = student(app, "Swimming", "Leaver", "2019-02-01");
    let mut ids = Vec::new();
    for (facility, status) in [
        (course.facility_id, "active"),
        (course.other_facility_id, "paused"),
        (course.facility_id, "completed"),
    ] {
        let completion = if status == "completed" {
            "CURRENT_DATE"
        } else {
            "NULL"
        };
        #[derive(diesel::QueryableByName)]
        struct Id {
            #[diesel(sql_type = diesel::sql_types::Uuid)]
            id: Uuid,
        }
        let row: Id = diesel::sql_query(format!(
            "INSERT INTO course_enrollments (student_id, course_id, program_id, facility_id, age_group,
                location_type, session_type, status, enrollment_date, completion_date)
             SELECT '{kid}', '{}', program_id, '{facility}', '6-8', 'our-facility', 'group', '{status}',
                CURRENT_DATE, {completion} FROM students WHERE id = '{kid}' RETURNING id",
            course.course_id
        ))
        .get_result(&mut app.conn())
        .unwrap();
        ids.push(row.id);
    }
    (kid, ids)
}

fn statuses(app: &TestApp, ids: &[Uuid]) -> Vec<String> {
    ids.iter()
        .map(|id| {
            course_enrollments::table
                .find(id)
                .select(course_enrollments::status)
                .first::<academy_admin::enrollments::EnrollmentStatus>(&mut app.conn())
                .unwrap()
                .as_str()
                .to_string()
        })
        .collect()
}

#[actix_web::test]
async fn withdrawing_a_student_withdraws_their_running_enrollments_after_saying_how_many() {
    let app = spawn_app().await;
    let (kid, ids) = student_with_enrollments(&app);
    let mut coord = app.login("swim.coord").await;
    let page = coord.get(&format!("/students/{kid}")).await;
    assert_eq!(page.status, 200);
    let before = app.fingerprint();
    let path = format!("/students/{kid}/status");
    let ask = coord.post(&path, &[("status", "withdrawn")]).await;
    assert_eq!(ask.status, 200, "a confirmation page");
    assert!(
        ask.body.contains("Their 2 running enrollments end too")
            && ask.body.contains("student withdrawn"),
        "{}",
        ask.body
    );
    assert!(ask
        .body
        .contains("name=\"confirm_enrollments\" value=\"2\""));
    assert_eq!(app.fingerprint(), before, "asking changes nothing");
    // A confirmation for another number (someone enrolled them meanwhile) asks again.
    let stale = coord
        .post(
            &path,
            &[("status", "withdrawn"), ("confirm_enrollments", "1")],
        )
        .await;
    assert_eq!(stale.status, 200);
    assert_eq!(app.fingerprint(), before);

    let done = coord
        .post(
            &path,
            &[("status", "withdrawn"), ("confirm_enrollments", "2")],
        )
        .await;
    assert_eq!(done.status, 303);
    assert_eq!(
        statuses(&app, &ids),
        ["withdrawn", "withdrawn", "completed"]
    );
    let notes: Vec<String> = course_enrollments::table
        .filter(course_enrollments::id.eq_any(&ids[..2]))
        .select(course_enrollments::assignment_notes)
        .load(&mut app.conn())
        .unwrap();
    assert!(
        notes
            .iter()
            .all(|n| n.contains("Withdrawn: student withdrawn")),
        "{notes:?}"
    );
    let student_status: StudentStatus = students::table
        .find(kid)
        .select(students::status)
        .first(&mut app.conn())
        .unwrap();
    assert_eq!(student_status, StudentStatus::Withdrawn);
    assert_eq!(
        crate::support::count_drift(&mut app.conn()),
        0,
        "the running counts stay exact"
    );
    let page = coord.get(&format!("/students/{kid}")).await;
    assert!(page
        .body
        .contains("Status changed to Withdrawn; 2 enrollments withdrawn."));
    assert!(
        page.body.contains("Withdrawn by swim.coord on"),
        "who ended them is shown"
    );
}

#[actix_web::test]
async fn graduating_completes_and_inactive_pauses_the_running_enrollments() {
    let app = spawn_app().await;
    let (kid, ids) = student_with_enrollments(&app);
    let mut coord = app.login("swim.coord").await;
    coord.get(&format!("/students/{kid}")).await;
    let path = format!("/students/{kid}/status");
    let ask = coord.post(&path, &[("status", "inactive")]).await;
    assert!(
        ask.body.contains("1 active enrollment is paused too"),
        "{}",
        ask.body
    );
    let res = coord
        .post(
            &path,
            &[("status", "inactive"), ("confirm_enrollments", "1")],
        )
        .await;
    assert_eq!(res.status, 303);
    assert_eq!(statuses(&app, &ids), ["paused", "paused", "completed"]);
    // Back to active: nothing to ask, the enrollments stay paused until someone resumes them.
    let res = coord.post(&path, &[("status", "active")]).await;
    assert_eq!(res.status, 303);
    assert_eq!(statuses(&app, &ids), ["paused", "paused", "completed"]);
    let res = coord
        .post(
            &path,
            &[("status", "graduated"), ("confirm_enrollments", "2")],
        )
        .await;
    assert_eq!(res.status, 303);
    assert_eq!(
        statuses(&app, &ids),
        ["completed", "completed", "completed"]
    );
    assert_eq!(crate::support::count_drift(&mut app.conn()), 0);
    // A student's edit form no longer changes the status behind the enrollments' back.
    let edit = coord.get(&format!("/students/{kid}/edit")).await;
    assert!(edit.body.contains("changed on"));
}
