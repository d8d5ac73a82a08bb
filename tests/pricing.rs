//! The pricing matrix: cells saved over htmx with history, validation, simultaneous saves, bulk
//! copy and rows, the price lookup, refusals by role and program, a matrix of 30 x 24 in a fixed
//! number of queries, and a keyboard journey in the browser.

use academy_admin::schema::across_programs::facility_course_pricing as fcp;
use chrono::{Duration, NaiveDate, Utc};
use diesel::{pg::PgConnection, prelude::*, sql_query, sql_types};
use uuid::Uuid;

use crate::support::{browser, catalogue, spawn_app, Client, Page, TestApp};

fn today() -> NaiveDate {
    Utc::now()
        .with_timezone(&chrono_tz::Africa::Lagos)
        .date_naive()
}

/// Swimming, its pool, and a course offering 6-8 and 9-12, at our facility and virtually, private and group.
struct Setup {
    app: TestApp,
    swimming: Uuid,
    pool: Uuid,
    course: Uuid,
    /// The program admin who prices the cells.
    admin: &'static str,
}

async fn setup() -> Setup {
    let app = spawn_app().await;
    let swimming = app.program_id("Swimming");
    let mut conn = app.conn();
    let course = catalogue::add_course(
        &mut conn,
        swimming,
        "Learn to Swim",
        &["6-8", "9-12"],
        &["our-facility", "virtual"],
        &["private", "group"],
    );
    let pool = catalogue::facility_id(&mut conn, "Ikoyi Aquatic Centre");
    Setup {
        app,
        swimming,
        pool,
        course,
        admin: "swim.admin",
    }
}

/// A program of the test's own, "Diving", with the default age groups and session types and a
/// program admin `dive.admin` (demo password): no demo course, facility or price in its matrix, so
/// a test can count cells, columns and prices exactly.
fn own_program(conn: &mut PgConnection) -> Uuid {
    #[derive(QueryableByName)]
    struct Id {
        #[diesel(sql_type = sql_types::Uuid)]
        id: Uuid,
    }
    let program = sql_query(
        "INSERT INTO programs (name, description, is_active) VALUES ('Diving', 'A program of the test', true) RETURNING id",
    )
    .get_result::<Id>(conn)
    .unwrap()
    .id;
    academy_admin::programs::install_defaults(conn, program).unwrap();
    // The same password as the demo accounts: reuse a demo hash rather than hashing again.
    let admin = sql_query(
        "INSERT INTO users (username, email, password_hash, role)
         SELECT 'dive.admin', 'dive.admin@academy.example', password_hash, role FROM users WHERE username = 'swim.admin'
         RETURNING id",
    )
    .get_result::<Id>(conn)
    .unwrap()
    .id;
    sql_query("INSERT INTO user_program_assignments (user_id, program_id) VALUES ($1, $2)")
        .bind::<sql_types::Uuid, _>(admin)
        .bind::<sql_types::Uuid, _>(program)
        .execute(conn)
        .unwrap();
    program
}

/// Like `setup`, in a program of the test's own (see `own_program`) with a facility of its own,
/// "Ikeja Diving Pool": the matrix holds just the test's course.
async fn setup_in_own_program() -> Setup {
    let app = spawn_app().await;
    let mut conn = app.conn();
    let diving = own_program(&mut conn);
    let course = catalogue::add_course(
        &mut conn,
        diving,
        "Learn to Swim",
        &["6-8", "9-12"],
        &["our-facility", "virtual"],
        &["private", "group"],
    );
    let pool = catalogue::add_facility(&mut conn, diving, "Ikeja Diving Pool");
    Setup {
        app,
        swimming: diving,
        pool,
        course,
        admin: "dive.admin",
    }
}

impl Setup {
    async fn admin(&self) -> Client {
        let mut admin = self.app.login(self.admin).await;
        admin
            .get(&format!("/facilities/{}/pricing", self.pool))
            .await;
        admin
    }

    async fn save(
        &self,
        client: &mut Client,
        age: &str,
        location: &str,
        session: &str,
        price: &str,
    ) -> Page {
        save_at(
            client,
            self.pool,
            self.course,
            self.swimming,
            age,
            location,
            session,
            price,
        )
        .await
    }

    /// (price, is_active, effective_date, end_date, created_by, updated_by) of one cell, oldest first.
    #[allow(clippy::type_complexity)]
    fn rows(
        &self,
        facility: Uuid,
        age: &str,
        session: &str,
    ) -> Vec<(
        String,
        bool,
        NaiveDate,
        Option<NaiveDate>,
        Option<Uuid>,
        Option<Uuid>,
    )> {
        fcp::table
            .filter(fcp::facility_id.eq(facility))
            .filter(fcp::course_id.eq(self.course))
            .filter(fcp::age_group.eq(age))
            .filter(fcp::location_type.eq("our-facility"))
            .filter(fcp::session_type.eq(session))
            .order(fcp::created_at.asc())
            .select((
                fcp::price,
                fcp::is_active,
                fcp::effective_date,
                fcp::end_date,
                fcp::created_by,
                fcp::updated_by,
            ))
            .load::<(
                bigdecimal::BigDecimal,
                bool,
                NaiveDate,
                Option<NaiveDate>,
                Option<Uuid>,
                Option<Uuid>,
            )>(&mut self.app.conn())
            .unwrap()
            .into_iter()
            .map(|(p, a, e, end, c, u)| (p.to_string(), a, e, end, c, u))
            .collect()
    }

    #[allow(clippy::too_many_arguments)]
    fn insert_price(
        &self,
        facility: Uuid,
        age: &str,
        session: &str,
        price: &str,
        active: bool,
        from: NaiveDate,
        until: Option<NaiveDate>,
    ) {
        sql_query(
            "INSERT INTO facility_course_pricing (facility_id, course_id, program_id, age_group, location_type, session_type, price, is_active, effective_date, end_date)
             VALUES ($1, $2, $3, $4, 'our-facility', $5, $6::numeric, $7, $8, $9)",
        )
        .bind::<sql_types::Uuid, _>(facility)
        .bind::<sql_types::Uuid, _>(self.course)
        .bind::<sql_types::Uuid, _>(self.swimming)
        .bind::<sql_types::Text, _>(age)
        .bind::<sql_types::Text, _>(session)
        .bind::<sql_types::Text, _>(price)
        .bind::<sql_types::Bool, _>(active)
        .bind::<sql_types::Date, _>(from)
        .bind::<sql_types::Nullable<sql_types::Date>, _>(until)
        .execute(&mut self.app.conn())
        .unwrap();
    }
}

#[allow(clippy::too_many_arguments)]
async fn save_at(
    client: &mut Client,
    facility: Uuid,
    course: Uuid,
    program: Uuid,
    age: &str,
    location: &str,
    session: &str,
    price: &str,
) -> Page {
    let course = course.to_string();
    client
        .htmx_post(
            &format!("/facilities/{facility}/pricing/cell"),
            &[
                ("course_id", &course),
                ("age_group", age),
                ("location_type", location),
                ("session_type", session),
                ("price", price),
            ],
            Some(program),
        )
        .await
}

fn cell_query(course: Uuid, age: &str, location: &str, session: &str) -> String {
    serde_urlencoded::to_string([
        ("course_id", course.to_string().as_str()),
        ("age_group", age),
        ("location_type", location),
        ("session_type", session),
    ])
    .unwrap()
}

#[actix_web::test]
async fn saving_a_cell_answers_with_just_that_cells_fragment_showing_the_naira_price() {
    // The test's own program: its matrix holds the 8 configurations of the test's course only.
    let s = setup_in_own_program().await;
    let mut admin = s.admin().await;
    let res = s
        .save(&mut admin, "6-8", "our-facility", "group", "15000")
        .await;
    assert_eq!(res.status, 200, "{}", res.body);
    let body = res.body.trim();
    let (cell, message) = body.split_at(body.find("</td>").unwrap() + "</td>".len());
    assert!(cell.starts_with("<td"), "the cell first: {body}");
    assert!(
        message
            .trim()
            .starts_with("<div id=\"flash-region\" data-hx-swap-oob=\"innerHTML\">")
            && message.contains("role=\"status\">Saved: "),
        "then the message region, announced: {message}"
    );
    assert!(cell.contains("Saved</span>"), "the cell says it too");
    assert!(body.contains("₦15,000.00") && body.contains("autofocus"));
    assert!(!body.contains("<html") && !body.contains("<table"));
    let matrix = admin.get(&format!("/facilities/{}/pricing", s.pool)).await;
    assert!(matrix.body.contains("₦15,000.00"));
    assert!(matrix.body.contains("1 of 8 configurations priced"));
    // The edit box and the display of a cell are fragments too.
    let q = cell_query(s.course, "6-8", "our-facility", "group");
    let edit = admin
        .htmx_get(
            &format!("/facilities/{}/pricing/cell/edit?{q}", s.pool),
            Some(s.swimming),
        )
        .await;
    assert!(edit.body.trim().starts_with("<td") && edit.body.contains("value=\"15000.00\""));
    let show = admin
        .htmx_get(
            &format!("/facilities/{}/pricing/cell?{q}", s.pool),
            Some(s.swimming),
        )
        .await;
    assert!(show.body.trim().starts_with("<td") && show.body.contains("₦15,000.00"));
}

#[actix_web::test]
async fn changing_a_price_ends_the_old_row_and_starts_a_new_one_recording_who_and_when() {
    let s = setup().await;
    let mut admin = s.admin().await;
    let admin_id = s.app.user_id("swim.admin");
    s.insert_price(
        s.pool,
        "6-8",
        "group",
        "12000",
        true,
        today() - Duration::days(30),
        None,
    );
    let res = s
        .save(&mut admin, "6-8", "our-facility", "group", "₦15,500.50")
        .await;
    assert_eq!(res.status, 200, "{}", res.body);
    let rows = s.rows(s.pool, "6-8", "group");
    assert_eq!(rows.len(), 2);
    assert_eq!(
        rows[0],
        (
            "12000.00".into(),
            false,
            today() - Duration::days(30),
            Some(today()),
            None,
            Some(admin_id)
        )
    );
    assert_eq!(
        rows[1],
        (
            "15500.50".into(),
            true,
            today(),
            None,
            Some(admin_id),
            Some(admin_id)
        )
    );
    // Saving the same price again changes nothing.
    let res = s
        .save(&mut admin, "6-8", "our-facility", "group", "15500.5")
        .await;
    assert_eq!(res.status, 200);
    assert_eq!(s.rows(s.pool, "6-8", "group").len(), 2);
    // The history shows both, newest first, with who set them.
    let q = cell_query(s.course, "6-8", "our-facility", "group");
    let history = admin
        .get(&format!("/facilities/{}/pricing/history?{q}", s.pool))
        .await;
    assert_eq!(history.status, 200);
    let newer = history.body.find("₦15,500.50").unwrap();
    let older = history.body.find("₦12,000.00").unwrap();
    assert!(newer < older, "newest first");
    assert!(history.body.contains("In force") && history.body.contains("swim.admin"));
    let panel = admin
        .htmx_get(
            &format!("/facilities/{}/pricing/history?{q}", s.pool),
            Some(s.swimming),
        )
        .await;
    assert!(panel.body.trim().starts_with("<section") && panel.body.contains("₦12,000.00"));
}

#[actix_web::test]
async fn clearing_a_price_ends_it_and_the_cell_shows_empty() {
    let s = setup().await;
    let mut admin = s.admin().await;
    s.save(&mut admin, "9-12", "our-facility", "private", "30000")
        .await;
    let res = s
        .save(&mut admin, "9-12", "our-facility", "private", "  ")
        .await;
    assert_eq!(res.status, 200);
    assert!(!res.body.contains("₦"), "{}", res.body);
    let rows = s.rows(s.pool, "9-12", "private");
    assert_eq!(rows.len(), 1);
    assert!(
        !rows[0].1 && rows[0].3 == Some(today()),
        "ended today: {rows:?}"
    );
}

#[actix_web::test]
async fn a_wrong_price_is_refused_in_the_cell_with_the_typed_value_kept_and_nothing_saved() {
    let s = setup().await;
    let mut admin = s.admin().await;
    let before = s.app.fingerprint();
    for (typed, message) in [
        ("0", "more than ₦0.00"),
        ("-5", "more than ₦0.00"),
        ("12.345", "at most two decimals"),
        ("10000000000", "below ₦10,000,000,000.00"),
        ("fifteen", "number of naira"),
    ] {
        let res = s
            .save(&mut admin, "6-8", "our-facility", "group", typed)
            .await;
        assert_eq!(res.status, 422, "{typed}");
        assert!(
            res.body.trim().starts_with("<td") && res.body.contains(message),
            "{typed}: {}",
            res.body
        );
        assert!(
            res.body.contains(&format!("value=\"{typed}\"")) && res.body.contains("aria-invalid")
        );
    }
    assert_eq!(s.app.fingerprint(), before);
    let res = s
        .save(&mut admin, "6-8", "our-facility", "group", "9999999999.99")
        .await;
    assert_eq!(res.status, 200, "the largest NUMERIC(12,2) fits");
}

#[actix_web::test]
async fn only_configurations_the_course_offers_and_courses_of_the_program_can_be_priced() {
    let s = setup().await;
    let football = s.app.program_id("Football");
    let mut conn = s.app.conn();
    let football_course = catalogue::add_simple_course(&mut conn, football, "Dribbling");
    let pitch = catalogue::facility_id(&mut conn, "Surulere Main Pitch");
    let mut admin = s.admin().await;
    let before = s.app.fingerprint();
    for (age, location, session) in [
        ("13-17", "our-facility", "group"),
        ("6-8", "client-location", "group"),
        ("6-8", "our-facility", "school-group"),
        ("6-8", "moon", "group"),
    ] {
        let res = s.save(&mut admin, age, location, session, "1000").await;
        assert_eq!(res.status, 400, "{age} {location} {session}");
        assert!(res.body.contains("does not offer"), "{}", res.body);
    }
    // A course or a facility of another program is not found.
    let res = save_at(
        &mut admin,
        s.pool,
        football_course,
        s.swimming,
        "6-8",
        "our-facility",
        "group",
        "1000",
    )
    .await;
    assert_eq!(res.status, 404);
    let res = save_at(
        &mut admin,
        pitch,
        s.course,
        s.swimming,
        "6-8",
        "our-facility",
        "group",
        "1000",
    )
    .await;
    assert_eq!(res.status, 404);
    assert_eq!(
        admin
            .get(&format!("/facilities/{pitch}/pricing"))
            .await
            .status,
        404
    );
    assert_eq!(s.app.fingerprint(), before);
    // And the database refuses such a row whatever the code does.
    let direct = sql_query(
        "INSERT INTO facility_course_pricing (facility_id, course_id, program_id, age_group, location_type, session_type, price)
         VALUES ($1, $2, $3, '6-8', 'our-facility', 'group', 1000)",
    )
    .bind::<sql_types::Uuid, _>(s.pool)
    .bind::<sql_types::Uuid, _>(football_course)
    .bind::<sql_types::Uuid, _>(s.swimming)
    .execute(&mut conn);
    assert!(direct.is_err());
}

#[actix_web::test]
async fn coordinators_see_the_matrix_read_only_tutors_not_at_all_and_neither_changes_a_price() {
    let s = setup().await;
    s.insert_price(s.pool, "6-8", "group", "12000", true, today(), None);
    let q = cell_query(s.course, "6-8", "our-facility", "group");
    let before = s.app.fingerprint();
    // Tutors never see money: the matrix and a cell's history are refused too.
    let mut tutor = s.app.login("swim.tutor").await;
    for path in [
        format!("/facilities/{}/pricing", s.pool),
        format!("/facilities/{}/pricing/history?{q}", s.pool),
    ] {
        let page = tutor.get(&path).await;
        assert_eq!(page.status, 403, "{path}");
        assert!(!page.body.contains("₦12,000.00"));
    }
    for username in ["swim.coord"] {
        let mut reader = s.app.login(username).await;
        let matrix = reader.get(&format!("/facilities/{}/pricing", s.pool)).await;
        assert_eq!(matrix.status, 200);
        assert!(matrix.body.contains("₦12,000.00") && matrix.body.contains("pricing/history?"));
        assert!(
            !matrix.body.contains("cell/edit") && !matrix.body.contains("price-cell editable"),
            "{username} gets no edit box"
        );
        assert!(!matrix.body.contains("Copy from another facility"));
        assert_eq!(
            reader
                .htmx_get(
                    &format!("/facilities/{}/pricing/cell/edit?{q}", s.pool),
                    Some(s.swimming)
                )
                .await
                .status,
            403
        );
        assert_eq!(
            save_at(
                &mut reader,
                s.pool,
                s.course,
                s.swimming,
                "6-8",
                "our-facility",
                "group",
                "1"
            )
            .await
            .status,
            403
        );
        assert_eq!(
            reader
                .get(&format!("/facilities/{}/pricing/copy", s.pool))
                .await
                .status,
            403
        );
        assert_eq!(
            reader
                .post(
                    &format!("/facilities/{}/pricing/row", s.pool),
                    &[("course_id", &s.course.to_string()), ("price", "1")]
                )
                .await
                .status,
            403
        );
        assert_eq!(
            reader
                .get(&format!("/facilities/{}/pricing/history?{q}", s.pool))
                .await
                .status,
            200
        );
    }
    assert_eq!(s.app.fingerprint(), before);
}

#[actix_web::test]
async fn many_simultaneous_saves_of_one_cell_leave_exactly_one_active_price_and_losers_get_a_clear_message(
) {
    let s = setup().await;
    let mut clients = Vec::new();
    for _ in 0..8 {
        clients.push(s.admin().await);
    }
    for round in 0..2 {
        let mut tasks = Vec::new();
        for (i, client) in clients.drain(..).enumerate() {
            let (pool, course, program) = (s.pool, s.course, s.swimming);
            tasks.push(actix_web::rt::spawn(async move {
                let mut client = client;
                let price = format!("{}", 10_000 + round * 1000 + i * 10);
                let res = save_at(
                    &mut client,
                    pool,
                    course,
                    program,
                    "6-8",
                    "our-facility",
                    "group",
                    &price,
                )
                .await;
                (client, res)
            }));
        }
        let mut saved = 0;
        for task in tasks {
            let (client, res) = task.await.unwrap();
            match res.status {
                200 => saved += 1,
                409 => assert!(
                    res.body
                        .contains("Someone else saved this price at the same moment"),
                    "{}",
                    res.body
                ),
                other => panic!("a simultaneous save answered {other}: {}", res.body),
            }
            clients.push(client);
        }
        assert!(saved >= 1);
        let rows = s.rows(s.pool, "6-8", "group");
        assert_eq!(
            rows.iter().filter(|r| r.1).count(),
            1,
            "round {round}: exactly one active price: {rows:?}"
        );
    }
}

#[actix_web::test]
async fn the_matrix_shows_the_price_in_force_today_by_effective_and_end_dates() {
    let s = setup().await;
    let d = today();
    // Ended, but only tomorrow: still in force today.
    s.insert_price(
        s.pool,
        "6-8",
        "private",
        "1111",
        false,
        d - Duration::days(30),
        Some(d + Duration::days(1)),
    );
    // Ended today: no longer in force.
    s.insert_price(
        s.pool,
        "6-8",
        "group",
        "2222",
        false,
        d - Duration::days(30),
        Some(d),
    );
    // Starts tomorrow: not yet.
    s.insert_price(
        s.pool,
        "9-12",
        "private",
        "3333",
        true,
        d + Duration::days(1),
        None,
    );
    // Started today.
    s.insert_price(s.pool, "9-12", "group", "4444", true, d, None);
    let mut coord = s.app.login("swim.coord").await;
    let matrix = coord.get(&format!("/facilities/{}/pricing", s.pool)).await;
    assert!(matrix.body.contains("₦1,111.00") && matrix.body.contains("₦4,444.00"));
    assert!(!matrix.body.contains("₦2,222.00") && !matrix.body.contains("₦3,333.00"));
    assert_eq!(
        matrix.body.matches("earlier prices</a>").count(),
        2,
        "readers open the history of emptied cells too"
    );
    // Other active facilities with a price in force for the configuration, by name, in the history panel.
    let gym = catalogue::facility_id(&mut s.app.conn(), "Lekki Dryland Gym");
    let classroom = catalogue::facility_id(&mut s.app.conn(), "Victoria Island Classroom");
    s.insert_price(gym, "9-12", "group", "5555", true, d, None);
    s.insert_price(classroom, "9-12", "group", "6666", true, d, None);
    sql_query("UPDATE facilities SET status = 'inactive' WHERE id = $1")
        .bind::<sql_types::Uuid, _>(classroom)
        .execute(&mut s.app.conn())
        .unwrap();
    let q = cell_query(s.course, "9-12", "our-facility", "group");
    let history = coord
        .get(&format!("/facilities/{}/pricing/history?{q}", s.pool))
        .await;
    let ikoyi = history
        .body
        .find("Ikoyi Aquatic Centre: <strong>₦4,444.00")
        .expect("this facility");
    let lekki = history
        .body
        .find("Lekki Dryland Gym: <strong>₦5,555.00")
        .expect("the gym");
    assert!(ikoyi < lekki, "by name");
    assert!(
        !history.body.contains("₦6,666.00"),
        "inactive facilities are left out"
    );
}

#[actix_web::test]
async fn where_two_rows_of_a_cell_are_in_force_the_later_is_its_price_and_labels_are_escaped() {
    let s = setup().await;
    let d = today();
    // Two rows of one cell in force today (an import can leave such overlaps): the one that
    // started later is the price, whatever order the database returns them in.
    s.insert_price(
        s.pool,
        "6-8",
        "private",
        "7777",
        false,
        d - Duration::days(30),
        Some(d + Duration::days(5)),
    );
    s.insert_price(
        s.pool,
        "6-8",
        "private",
        "8888",
        true,
        d - Duration::days(2),
        None,
    );
    sql_query("UPDATE courses SET name = $1 WHERE id = $2")
        .bind::<sql_types::Text, _>(r#"Swim <b>& "Co"</b>"#)
        .bind::<sql_types::Uuid, _>(s.course)
        .execute(&mut s.app.conn())
        .unwrap();
    let mut coord = s.app.login("swim.coord").await;
    let matrix = coord.get(&format!("/facilities/{}/pricing", s.pool)).await;
    assert!(matrix.body.contains("₦8,888.00"), "the later row");
    assert!(!matrix.body.contains("₦7,777.00"), "not the earlier one");
    assert!(
        matrix
            .body
            .contains("Swim &#60;b&#62;&#38; &#34;Co&#34;&#60;/b&#62;, Ages 6-8"),
        "a cell's label is escaped"
    );
    assert!(!matrix.body.contains("<b>& "), "never written as markup");
}

#[actix_web::test]
async fn copying_the_prices_of_another_facility_previews_then_applies_them_adjusted_to_the_kobo() {
    // Two facilities of the test's own program: only the prices below are there to copy.
    let s = setup_in_own_program().await;
    let gym = catalogue::add_facility(&mut s.app.conn(), s.swimming, "Ajah Diving Gym");
    let d = today();
    s.insert_price(
        gym,
        "6-8",
        "private",
        "10000",
        true,
        d - Duration::days(3),
        None,
    );
    s.insert_price(
        gym,
        "6-8",
        "group",
        "12345.67",
        true,
        d - Duration::days(3),
        None,
    );
    s.insert_price(
        s.pool,
        "6-8",
        "group",
        "9000",
        true,
        d - Duration::days(3),
        None,
    );
    s.insert_price(
        s.pool,
        "9-12",
        "group",
        "7000",
        true,
        d - Duration::days(3),
        None,
    );
    let mut admin = s.admin().await;
    let preview = admin
        .get(&format!(
            "/facilities/{}/pricing/copy?source_id={gym}&percent=10",
            s.pool
        ))
        .await;
    assert_eq!(preview.status, 200);
    assert!(
        preview
            .body
            .contains("1 new, 1 changed, 0 already the same"),
        "{}",
        preview.body
    );
    assert!(
        preview.body.contains("₦11,000.00")
            && preview.body.contains("₦13,580.24")
            && preview.body.contains("₦9,000.00")
    );
    assert_eq!(
        s.rows(s.pool, "6-8", "private").len(),
        0,
        "a preview saves nothing"
    );
    let res = admin
        .post(
            &format!("/facilities/{}/pricing/copy", s.pool),
            &[("source_id", &gym.to_string()), ("percent", "10")],
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.body);
    assert_eq!(s.rows(s.pool, "6-8", "private")[0].0, "11000.00");
    let group = s.rows(s.pool, "6-8", "group");
    assert_eq!(
        (group[0].1, group[1].0.as_str(), group[1].1),
        (false, "13580.24", true)
    );
    assert_eq!(
        s.rows(s.pool, "9-12", "group")[0].0,
        "7000.00",
        "prices the source lacks stay"
    );
    let page = admin.get(res.location().unwrap()).await;
    assert!(page
        .body
        .contains("Copied the prices of Ajah Diving Gym: 2 of 2 prices set here"));
}

#[actix_web::test]
async fn a_bulk_copy_is_all_or_nothing() {
    let s = setup().await;
    let gym = catalogue::facility_id(&mut s.app.conn(), "Lekki Dryland Gym");
    let pitch = catalogue::facility_id(&mut s.app.conn(), "Surulere Main Pitch");
    let d = today();
    s.insert_price(gym, "6-8", "private", "100", true, d, None);
    s.insert_price(gym, "9-12", "group", "777.77", true, d, None);
    // The database fails the last row of the copy half-way through.
    sql_query(
        "CREATE FUNCTION refuse_777() RETURNS trigger LANGUAGE plpgsql AS $$
         BEGIN IF NEW.price = 777.77 AND NEW.facility_id <> NEW.course_id THEN
           IF (SELECT name FROM facilities WHERE id = NEW.facility_id) = 'Ikoyi Aquatic Centre' THEN RAISE EXCEPTION 'refused'; END IF;
         END IF; RETURN NEW; END $$",
    )
    .execute(&mut s.app.conn())
    .unwrap();
    sql_query("CREATE TRIGGER refuse_777 BEFORE INSERT ON facility_course_pricing FOR EACH ROW EXECUTE FUNCTION refuse_777()")
        .execute(&mut s.app.conn())
        .unwrap();
    let mut admin = s.admin().await;
    admin
        .get(&format!("/facilities/{}/pricing/copy", s.pool))
        .await;
    let before = s.app.fingerprint();
    let res = admin
        .post(
            &format!("/facilities/{}/pricing/copy", s.pool),
            &[("source_id", &gym.to_string()), ("percent", "")],
        )
        .await;
    assert_eq!(res.status, 500);
    assert!(res.body.contains("Nothing was changed"));
    assert_eq!(s.app.fingerprint(), before, "the first row was not kept");
    // Wrong requests are refused beside their field, nothing saved.
    let res = admin
        .post(
            &format!("/facilities/{}/pricing/copy", s.pool),
            &[("source_id", &pitch.to_string()), ("percent", "")],
        )
        .await;
    assert_eq!(res.status, 422);
    assert!(res.body.contains("Choose a facility of this program."));
    let res = admin
        .post(
            &format!("/facilities/{}/pricing/copy", s.pool),
            &[("source_id", &gym.to_string()), ("percent", "-95")],
        )
        .await;
    assert_eq!(res.status, 422);
    assert!(res.body.contains("from -90 to +500"));
    let res = admin
        .post(
            &format!("/facilities/{}/pricing/copy", s.pool),
            &[("source_id", &s.pool.to_string()), ("percent", "")],
        )
        .await;
    assert!(res.body.contains("Choose another facility than this one."));
    assert_eq!(s.app.fingerprint(), before);
}

#[actix_web::test]
async fn one_price_for_a_whole_course_row_sets_every_configuration_it_offers() {
    let s = setup().await;
    let mut admin = s.admin().await;
    let form = admin
        .get(&format!(
            "/facilities/{}/pricing/row?course_id={}",
            s.pool, s.course
        ))
        .await;
    assert!(form.body.contains("Learn to Swim (8 configurations)"));
    let before = s.app.fingerprint();
    let res = admin
        .post(
            &format!("/facilities/{}/pricing/row", s.pool),
            &[("course_id", &s.course.to_string()), ("price", "0.001")],
        )
        .await;
    assert_eq!(res.status, 422);
    assert!(res.body.contains("two decimals"));
    assert_eq!(s.app.fingerprint(), before);
    let res = admin
        .post(
            &format!("/facilities/{}/pricing/row", s.pool),
            &[("course_id", &s.course.to_string()), ("price", "9,000")],
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.body);
    let active: i64 = fcp::table
        .filter(fcp::facility_id.eq(s.pool))
        .filter(fcp::is_active.eq(true))
        .filter(fcp::price.eq(bigdecimal::BigDecimal::from(9000)))
        .count()
        .get_result(&mut s.app.conn())
        .unwrap();
    assert_eq!(active, 8);
    let page = admin.get(res.location().unwrap()).await;
    assert!(page
        .body
        .contains("Learn to Swim at Ikoyi Aquatic Centre: ₦9,000.00 in all 8 configurations"));
}

/// Queries sent to this test's database so far (one counter for the whole test binary).
fn queries_of(app: &TestApp) -> usize {
    crate::support::query_count::count(&app.db.name)
}

#[actix_web::test]
async fn a_matrix_of_30_courses_by_24_configurations_renders_in_one_request_of_a_fixed_number_of_queries(
) {
    crate::support::query_count::install();
    let app = spawn_app().await;
    let mut conn = app.conn();
    // A program and a facility of the test's own: the matrix holds exactly the courses below
    // (the demo catalogue's courses of Swimming would add rows of their own).
    let swimming = own_program(&mut conn);
    let pool = catalogue::add_facility(&mut conn, swimming, "Ikeja Diving Pool");
    let all_ages = ["6-8", "9-12", "13-17", "18+"];
    let all_locations = ["our-facility", "client-location", "virtual"];
    catalogue::add_course(
        &mut conn,
        swimming,
        "Course 00",
        &all_ages,
        &all_locations,
        &["private", "group"],
    );
    let mut admin = app.login("dive.admin").await;
    let path = format!("/facilities/{pool}/pricing");
    admin.get(&path).await;
    let start = queries_of(&app);
    let small = admin.get(&path).await;
    let small_queries = queries_of(&app) - start;
    assert_eq!(
        small.body.matches("class=\"price-cell editable").count(),
        24
    );

    for n in 1..30 {
        catalogue::add_course(
            &mut conn,
            swimming,
            &format!("Course {n:02}"),
            &all_ages,
            &all_locations,
            &["private", "group"],
        );
    }
    sql_query(
        "INSERT INTO facility_course_pricing (facility_id, course_id, program_id, age_group, location_type, session_type, price)
         SELECT $1, a.course_id, a.program_id, a.age_group, l.location_type, s.session_type, 1000 + (row_number() OVER ()) * 5
         FROM course_age_groups a
         JOIN course_location_types l ON l.course_id = a.course_id
         JOIN course_session_types s ON s.course_id = a.course_id
         WHERE a.program_id = $2",
    )
    .bind::<sql_types::Uuid, _>(pool)
    .bind::<sql_types::Uuid, _>(swimming)
    .execute(&mut conn)
    .unwrap();
    let start = queries_of(&app);
    let big = admin.get(&path).await;
    let big_queries = queries_of(&app) - start;
    assert_eq!(big.status, 200);
    assert_eq!(
        big.body.matches("class=\"price-cell editable").count(),
        720,
        "30 x 24 cells"
    );
    assert!(big
        .body
        .contains("720 of 720 configurations priced across 30 active courses"));
    assert_eq!(
        big.body.matches("<table class=\"price-matrix\"").count(),
        3,
        "one table per location type"
    );
    // Per request: the gate (user, programs), the session store, pool checkouts, and the matrix's own
    // nine (facility, courses, age groups, session types, three offering tables, prices, history keys).
    eprintln!("matrix queries: {small_queries} for 1 x 24, {big_queries} for 30 x 24 (gate and session included)");
    assert!(small_queries > 0 && small_queries <= 18, "{small_queries}");
    assert_eq!(
        big_queries, small_queries,
        "the number of queries does not grow with the matrix"
    );
}

/// Waits until the element with the keyboard focus matches `css`.
async fn wait_for_focus(browser: &browser::Browser, css: &str) {
    let script = format!(
        "return !!(document.activeElement && document.activeElement.matches('{}'));",
        css.replace('\'', "\\'")
    );
    for _ in 0..100 {
        let focused = browser.client.execute(&script, vec![]).await.unwrap();
        if focused == serde_json::json!(true) {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("{css} never got the keyboard focus");
}

#[actix_web::test]
async fn a_program_admin_edits_three_cells_with_the_keyboard_and_reads_the_history_of_one() {
    // The test's own program: the matrix has just the columns and the row of the test's course,
    // so the arrow keys reach the cells named below.
    let s = setup_in_own_program().await;
    let Some(browser) = browser::start(&s.app.base).await else {
        return;
    };
    s.insert_price(
        s.pool,
        "9-12",
        "group",
        "8000",
        true,
        today() - Duration::days(10),
        None,
    );
    let gym = catalogue::add_facility(&mut s.app.conn(), s.swimming, "Ajah Diving Gym");
    browser.sign_in(s.admin).await;
    browser
        .open(&format!("/facilities/{}/pricing", s.pool))
        .await;
    browser
        .wait_for_text("h1", "Prices of Ikeja Diving Pool")
        .await;
    browser.screenshot("pricing-matrix").await;
    let cell = |age: &str, session: &str| {
        format!("table[data-location=\"our-facility\"] td[data-age=\"{age}\"][data-session=\"{session}\"]")
    };
    // The first cell gets the focus; the arrow keys reach the next ones.
    let first = cell("6-8", "private");
    browser
        .client
        .execute(
            &format!(
                "document.querySelector('{}').focus();",
                first.replace('\'', "\\'")
            ),
            vec![],
        )
        .await
        .unwrap();
    let mut focused_cell = first.clone();
    for (age, session, moves, typed, shown) in [
        ("6-8", "private", "", "25000", "₦25,000.00"),
        ("6-8", "group", "\u{E014}", "12,500.5", "₦12,500.50"),
        ("9-12", "group", "\u{E014}\u{E014}", "9000", "₦9,000.00"),
    ] {
        let selector = cell(age, session);
        // After a save the cell keeps the focus (htmx autofocus after settling).
        wait_for_focus(&browser, &focused_cell).await;
        let focused = browser.client.active_element().await.unwrap();
        focused
            .send_keys(&format!("{moves}\u{E007}"))
            .await
            .unwrap();
        browser
            .client
            .wait()
            .for_element(fantoccini::Locator::Css(&format!(
                "{selector} input.price-input"
            )))
            .await
            .unwrap();
        // The box has the focus with the old price selected: typing replaces it; Enter saves.
        wait_for_focus(&browser, &format!("{selector} input.price-input")).await;
        let input = browser.client.active_element().await.unwrap();
        input.send_keys(&format!("{typed}\u{E007}")).await.unwrap();
        browser.wait_for_text(&selector, shown).await;
        focused_cell = selector;
    }
    // A saved cell says so, in the cell and in the (announced) message region.
    assert!(browser
        .text(&format!("{} .cell-saved", cell("9-12", "group")))
        .await
        .contains("Saved"));
    browser
        .wait_for_text("#flash-region [role=status]", "Saved: ")
        .await;

    // A wrong price shows its message in the cell; Escape brings the cell back unchanged.
    let selector = cell("9-12", "private");
    browser.click(&selector).await;
    browser
        .fill(&format!("{selector} input.price-input"), "12.345\u{E007}")
        .await;
    browser
        .wait_for_text(&format!("{selector} .cell-error"), "two decimals")
        .await;
    browser.screenshot("pricing-cell-error").await;
    wait_for_focus(&browser, &format!("{selector} input.price-input")).await;
    let input = browser.client.active_element().await.unwrap();
    input.send_keys("\u{E00C}").await.unwrap();
    browser
        .client
        .wait()
        .for_element(fantoccini::Locator::Css(&format!("{selector}.editable")))
        .await
        .unwrap();
    assert_eq!(s.rows(s.pool, "9-12", "private").len(), 0);
    // The history of a cell, beside the matrix.
    let selector = cell("9-12", "group");
    browser.click(&selector).await;
    browser.click(&format!("{selector} .cell-history")).await;
    browser.wait_for_text("#history-panel", "₦8,000.00").await;
    browser.wait_for_text("#history-panel", "₦9,000.00").await;
    browser.screenshot("pricing-history").await;
    assert_eq!(s.rows(s.pool, "6-8", "private")[0].0, "25000.00");
    assert_eq!(s.rows(s.pool, "6-8", "group")[0].0, "12500.50");
    // Emptying a cell ends its price, after a question; "no" leaves it as it was. (The cell is
    // open since its history was asked for.)
    let selector = cell("9-12", "group");
    let input = format!("{selector} input.price-input");
    browser.fill(&input, "\u{E007}").await;
    let question = browser.client.get_alert_text().await.unwrap();
    assert!(question.starts_with("End this price?"), "{question}");
    browser.client.dismiss_alert().await.unwrap();
    assert_eq!(
        s.rows(s.pool, "9-12", "group")
            .iter()
            .filter(|r| r.1)
            .count(),
        1,
        "still priced"
    );
    browser.fill(&input, "\u{E007}").await;
    browser.client.accept_alert().await.unwrap();
    browser
        .client
        .wait()
        .for_element(fantoccini::Locator::Css(&format!("{selector}.empty")))
        .await
        .unwrap();
    assert_eq!(
        s.rows(s.pool, "9-12", "group")
            .iter()
            .filter(|r| r.1)
            .count(),
        0,
        "the price ended"
    );

    // On a phone the matrix scrolls sideways inside its box with the course column kept in view.
    browser.set_width(390).await;
    browser
        .open(&format!("/facilities/{}/pricing", s.pool))
        .await;
    browser.wait_for_text("h1", "Prices of").await;
    browser.screenshot("pricing-matrix-phone").await;
    let overflow = browser
        .client
        .execute(
            "return document.documentElement.scrollWidth > window.innerWidth;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        overflow,
        serde_json::json!(false),
        "the page itself fits 390 px"
    );
    let sticky = browser
        .client
        .execute(
            "return getComputedStyle(document.querySelector('tbody .course-col')).position;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(sticky, serde_json::json!("sticky"));
    for (name, page) in [
        ("facilities-phone", "/facilities".to_string()),
        ("facility-phone", format!("/facilities/{}", s.pool)),
        (
            "pricing-copy-phone",
            format!("/facilities/{}/pricing/copy?source_id={gym}", s.pool),
        ),
        ("facility-form-phone", "/facilities/new".to_string()),
        (
            "facility-edit-phone",
            format!("/facilities/{}/edit", s.pool),
        ),
        (
            "pricing-row-phone",
            format!("/facilities/{}/pricing/row?course_id={}", s.pool, s.course),
        ),
        (
            "pricing-history-phone",
            format!(
                "/facilities/{}/pricing/history?{}",
                s.pool,
                cell_query(s.course, "9-12", "our-facility", "group")
            ),
        ),
    ] {
        let page = page.as_str();
        browser.open(page).await;
        browser.wait_for_text(".content", "").await;
        browser.screenshot(name).await;
        let wide = browser
            .client
            .execute(
                "var w = document.documentElement.clientWidth; return Array.from(document.querySelectorAll('body *')).filter(function (e) { return e.getBoundingClientRect().right > w + 1 && !e.closest('.table-wrap, .matrix-scroll'); }).map(function (e) { return e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right); }).slice(0, 8);",
                vec![],
            )
            .await
            .unwrap();
        let overflow = browser
            .client
            .execute(
                "return document.documentElement.scrollWidth > window.innerWidth;",
                vec![],
            )
            .await
            .unwrap();
        assert_eq!(
            overflow,
            serde_json::json!(false),
            "{page} fits 390 px; too wide: {wide}"
        );
    }
    // A wide matrix: six courses offering all 24 configurations, most of them priced.
    let mut conn = s.app.conn();
    for n in 1..=6 {
        catalogue::add_course(
            &mut conn,
            s.swimming,
            &format!("Squad level {n}"),
            &["6-8", "9-12", "13-17", "18+"],
            &["our-facility", "client-location", "virtual"],
            &["private", "group"],
        );
    }
    sql_query(
        "INSERT INTO facility_course_pricing (facility_id, course_id, program_id, age_group, location_type, session_type, price)
         SELECT $1, a.course_id, a.program_id, a.age_group, l.location_type, s.session_type, 5000 + (row_number() OVER ()) * 250
         FROM course_age_groups a
         JOIN courses c ON c.id = a.course_id AND c.name LIKE 'Squad%'
         JOIN course_location_types l ON l.course_id = a.course_id
         JOIN course_session_types s ON s.course_id = a.course_id
         WHERE a.program_id = $2 AND NOT (a.age_group = '18+' AND s.session_type = 'private')",
    )
    .bind::<sql_types::Uuid, _>(s.pool)
    .bind::<sql_types::Uuid, _>(s.swimming)
    .execute(&mut conn)
    .unwrap();
    browser
        .open(&format!("/facilities/{}/pricing", s.pool))
        .await;
    browser.wait_for_text("h1", "Prices of").await;
    browser.client.execute("document.querySelector('#loc-client-location').scrollIntoView(); document.querySelectorAll('.matrix-scroll')[1].scrollLeft = 400;", vec![]).await.unwrap();
    browser.screenshot("pricing-matrix-wide-phone").await;
    browser.set_width(1280).await;
    browser
        .open(&format!("/facilities/{}/pricing", s.pool))
        .await;
    browser.wait_for_text("h1", "Prices of").await;
    browser.screenshot("pricing-matrix-wide").await;
    browser
        .open(&format!(
            "/facilities/{gym}/pricing/copy?source_id={}&percent=5",
            s.pool
        ))
        .await;
    browser
        .wait_for_text(".copy-preview", "new, 0 changed")
        .await;
    browser.screenshot("pricing-copy-preview").await;
    browser.open("/facilities").await;
    browser.wait_for_text("h1", "Facilities").await;
    browser.screenshot("facilities").await;
    browser.open(&format!("/facilities/{}", s.pool)).await;
    browser.wait_for_text("h1", "Ikeja Diving Pool").await;
    browser.screenshot("facility").await;
    browser.close().await;
}

#[actix_web::test]
async fn the_demo_data_prices_most_cells_of_each_demo_facility_and_seeding_again_changes_nothing() {
    #[derive(QueryableByName, Debug)]
    struct Count {
        #[diesel(sql_type = sql_types::Text)]
        name: String,
        /// Configurations the active courses of the facility's program offer.
        #[diesel(sql_type = sql_types::BigInt)]
        cells: i64,
        /// Of those, the ones with an active price at the facility.
        #[diesel(sql_type = sql_types::BigInt)]
        prices: i64,
        /// The same two for the test's own course of the program, added after the first seeding.
        #[diesel(sql_type = sql_types::BigInt)]
        own_cells: i64,
        #[diesel(sql_type = sql_types::BigInt)]
        own_prices: i64,
    }
    let app = spawn_app().await;
    let mut conn = app.conn();
    let (swimming, football) = (app.program_id("Swimming"), app.program_id("Football"));
    // 8 configurations in Swimming, 6 in Football, beside the demo catalogue's courses: seeding
    // again prices the active courses it finds, these too.
    catalogue::add_course(
        &mut conn,
        swimming,
        "Learn to Swim",
        &["6-8", "9-12"],
        &["our-facility", "client-location"],
        &["private", "group"],
    );
    catalogue::add_course(
        &mut conn,
        football,
        "Grassroots",
        &["6-8", "9-12", "13-17"],
        &["our-facility"],
        &["group", "school-group"],
    );
    academy_admin::demo::seed(&mut conn, chrono_tz::Africa::Lagos).unwrap();
    let counts: Vec<Count> = sql_query(
        "WITH offered AS (
             SELECT c.program_id, c.name AS course, a.course_id, a.age_group, l.location_type, s.session_type
             FROM courses c
             JOIN course_age_groups a ON a.course_id = c.id
             JOIN age_groups ag ON ag.program_id = c.program_id AND ag.code = a.age_group
             JOIN course_location_types l ON l.course_id = c.id
             JOIN course_session_types s ON s.course_id = c.id
             JOIN session_types st ON st.program_id = c.program_id AND st.code = s.session_type
             WHERE c.is_active
         ), cells AS (
             SELECT f.name, o.course IN ('Learn to Swim', 'Grassroots') AS own,
                    EXISTS (SELECT 1 FROM facility_course_pricing p
                            WHERE p.facility_id = f.id AND p.is_active AND p.course_id = o.course_id
                              AND p.age_group = o.age_group AND p.location_type = o.location_type
                              AND p.session_type = o.session_type) AS priced
             FROM facilities f JOIN offered o ON o.program_id = f.program_id
         )
         SELECT f.name::text AS name,
                count(c.name) AS cells, count(c.name) FILTER (WHERE c.priced) AS prices,
                count(c.name) FILTER (WHERE c.own) AS own_cells,
                count(c.name) FILTER (WHERE c.own AND c.priced) AS own_prices
         FROM facilities f LEFT JOIN cells c ON c.name = f.name
         GROUP BY f.name ORDER BY f.name",
    )
    .load(&mut conn)
    .unwrap();
    assert_eq!(
        counts.len(),
        6,
        "three facilities per demo program: {counts:?}"
    );
    let mut empty = 0;
    for count in &counts {
        let own = if [
            "Ikoyi Aquatic Centre",
            "Lekki Dryland Gym",
            "Victoria Island Classroom",
        ]
        .contains(&count.name.as_str())
        {
            8
        } else {
            6
        };
        assert_eq!(count.own_cells, own, "{count:?}");
        assert!(
            count.cells > count.own_cells,
            "the demo catalogue's courses are in the matrix too: {count:?}"
        );
        assert!(
            count.prices * 2 > count.cells && count.own_prices * 2 > count.own_cells,
            "most cells of {} are priced: {count:?}",
            count.name
        );
        empty += count.cells - count.prices;
    }
    assert!(empty > 0, "some cells stay empty: {counts:?}");
    let before = app.fingerprint();
    academy_admin::demo::seed(&mut conn, chrono_tz::Africa::Lagos).unwrap();
    assert_eq!(app.fingerprint(), before, "seeding again changes nothing");
}

#[actix_web::test]
async fn a_super_admin_prices_cells_of_the_program_they_work_in_and_a_stale_tab_changes_nothing() {
    let app = spawn_app().await;
    let (football, swimming) = (app.program_id("Football"), app.program_id("Swimming"));
    let mut conn = app.conn();
    let course = catalogue::add_simple_course(&mut conn, football, "Ball Mastery");
    let pitch = catalogue::facility_id(&mut conn, "Surulere Main Pitch");
    let mut superadmin = app.login("superadmin").await;
    let page = superadmin
        .get(&format!("/facilities/{pitch}/pricing"))
        .await;
    assert_eq!(page.status, 200, "the super admin works in Football first");
    let res = save_at(
        &mut superadmin,
        pitch,
        course,
        football,
        "6-8",
        "our-facility",
        "group",
        "7500",
    )
    .await;
    assert_eq!(res.status, 200, "{}", res.body);
    assert!(res.body.contains("₦7,500.00"));
    // A tab still showing Swimming cannot write while the session works in Football.
    let before = app.fingerprint();
    let res = save_at(
        &mut superadmin,
        pitch,
        course,
        swimming,
        "6-8",
        "our-facility",
        "group",
        "9999",
    )
    .await;
    assert_eq!(res.status, 409);
    assert!(
        res.body.contains("belongs to program Swimming"),
        "{}",
        res.body
    );
    assert_eq!(res.header("HX-Retarget"), Some("#flash-region"));
    assert_eq!(app.fingerprint(), before);
}
