//! Facilities: list, create, edit, the facility page (prices and load), deletion rules, and who may
//! do what in which program.

use academy_admin::{
    facilities::{FacilityStatus, FacilityType},
    schema::across_programs::facilities,
};
use diesel::{prelude::*, sql_query};
use uuid::Uuid;

use crate::support::{catalogue, fixtures, spawn_app};

fn facility_named(
    app: &crate::support::TestApp,
    name: &str,
) -> Option<(Uuid, FacilityType, i32, serde_json::Value, FacilityStatus)> {
    facilities::table
        .filter(facilities::name.eq(name))
        .select((
            facilities::id,
            facilities::facility_type,
            facilities::capacity,
            facilities::equipment,
            facilities::status,
        ))
        .first(&mut app.conn())
        .optional()
        .unwrap()
}

#[actix_web::test]
async fn a_program_admin_creates_a_facility_with_equipment_tags_and_finds_it_in_the_list() {
    let app = spawn_app().await;
    let mut admin = app.login("swim.admin").await;
    assert_eq!(admin.get("/facilities/new").await.status, 200);
    let res = admin
        .post(
            "/facilities/new",
            &[
                ("name", "  Ikeja Teaching Pool "),
                ("facility_type", "pool"),
                ("capacity", "35"),
                ("equipment", "Lane ropes, Kickboards\nkickboards, Noodles"),
                ("amenities", "Showers"),
                ("status", "active"),
            ],
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.body);
    let (id, kind, capacity, equipment, status) =
        facility_named(&app, "Ikeja Teaching Pool").expect("saved, trimmed");
    assert_eq!(
        (kind, capacity, status),
        (FacilityType::Pool, 35, FacilityStatus::Active)
    );
    assert_eq!(
        equipment,
        serde_json::json!(["Lane ropes", "Kickboards", "Noodles"])
    );
    assert_eq!(res.location(), Some(format!("/facilities/{id}").as_str()));
    let page = admin.get(&format!("/facilities/{id}")).await;
    assert!(page.body.contains("Facility Ikeja Teaching Pool created."));
    assert!(page.body.contains("Kickboards") && page.body.contains("0 / 35"));
    let list = admin.get("/facilities?q=teaching").await;
    assert!(list.body.contains("Ikeja Teaching Pool"));
    assert!(
        !list.body.contains("Lekki Dryland Gym"),
        "the search filters"
    );
}

#[actix_web::test]
async fn a_facility_form_with_mistakes_answers_422_with_messages_beside_the_fields_and_saves_nothing(
) {
    let app = spawn_app().await;
    let mut admin = app.login("swim.admin").await;
    admin.get("/facilities/new").await;
    let before = app.fingerprint();
    let long_tag = "x".repeat(61);
    let res = admin
        .post(
            "/facilities/new",
            &[
                ("name", "Kept name"),
                ("facility_type", "moon"),
                ("capacity", "0"),
                ("equipment", &long_tag),
                ("status", "active"),
            ],
        )
        .await;
    assert_eq!(res.status, 422);
    assert!(res.body.contains("value=\"Kept name\""), "values are kept");
    assert!(res.body.contains("Choose the kind of facility."));
    assert!(res
        .body
        .contains("Enter a capacity from 1 to 100,000 people."));
    assert!(res.body.contains("at most 60 characters"));
    // A name the program already uses is refused beside the name.
    let res = admin
        .post(
            "/facilities/new",
            &[
                ("name", "ikoyi aquatic centre"),
                ("facility_type", "pool"),
                ("capacity", "10"),
                ("status", "active"),
            ],
        )
        .await;
    assert_eq!(res.status, 422);
    assert!(res.body.contains("already has this name"));
    assert_eq!(app.fingerprint(), before);
}

#[actix_web::test]
async fn the_facility_list_searches_filters_sorts_and_pages_in_the_database() {
    let app = spawn_app().await;
    let swimming = app.program_id("Swimming");
    sql_query(
        "INSERT INTO facilities (program_id, name, facility_type, capacity, status)
         SELECT $1, 'Court ' || lpad(n::text, 2, '0'), 'court', n, CASE WHEN n % 5 = 0 THEN 'maintenance'::facility_status ELSE 'active' END
         FROM generate_series(1, 30) n",
    )
    .bind::<diesel::sql_types::Uuid, _>(swimming)
    .execute(&mut app.conn())
    .unwrap();
    let mut coord = app.login("swim.coord").await;
    let page = coord.get("/facilities?facility_type=court").await;
    assert!(page.body.contains("1–25 of 30"), "{}", page.body);
    assert!(page.body.contains("Court 01") && !page.body.contains("Court 26"));
    let second = coord.get("/facilities?facility_type=court&page=2").await;
    assert!(second.body.contains("Court 30") && second.body.contains("26–30 of 30"));
    let maintenance = coord
        .get("/facilities?facility_type=court&status=maintenance")
        .await;
    assert!(maintenance.body.contains("1–6 of 6"));
    let by_capacity = coord.get("/facilities?sort=-capacity").await;
    let first = by_capacity.body.find("Court 30").unwrap();
    assert!(
        first < by_capacity.body.find("Court 29").unwrap(),
        "largest first"
    );
    let literal = coord.get("/facilities?q=%25").await;
    assert!(
        literal.body.contains("No facility matches"),
        "% is searched literally"
    );
    assert!(
        !coord.get("/facilities").await.body.contains("New facility"),
        "coordinators only read"
    );
}

#[actix_web::test]
async fn a_program_admin_edits_a_facility_and_a_coordinator_or_tutor_may_only_read_it() {
    let app = spawn_app().await;
    let mut conn = app.conn();
    let gym = catalogue::facility_id(&mut conn, "Lekki Dryland Gym");
    let mut admin = app.login("swim.admin").await;
    let form = admin.get(&format!("/facilities/{gym}/edit")).await;
    assert!(form.body.contains("Resistance bands"));
    let res = admin
        .post(
            &format!("/facilities/{gym}/edit"),
            &[
                ("name", "Lekki Gym"),
                ("facility_type", "gym"),
                ("capacity", "28"),
                ("equipment", "Bands"),
                ("amenities", ""),
                ("status", "maintenance"),
            ],
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.body);
    let (_, _, capacity, equipment, status) = facility_named(&app, "Lekki Gym").unwrap();
    assert_eq!((capacity, status), (28, FacilityStatus::Maintenance));
    assert_eq!(equipment, serde_json::json!(["Bands"]));

    let before = app.fingerprint();
    for username in ["swim.coord", "swim.tutor"] {
        let mut reader = app.login(username).await;
        let page = reader.get(&format!("/facilities/{gym}")).await;
        assert_eq!(page.status, 200, "{username} reads the facility");
        assert!(!page.body.contains("Delete facility") && !page.body.contains("/edit\""));
        assert_eq!(
            reader.get(&format!("/facilities/{gym}/edit")).await.status,
            403
        );
        let res = reader
            .post(
                &format!("/facilities/{gym}/edit"),
                &[
                    ("name", "Hacked"),
                    ("facility_type", "gym"),
                    ("capacity", "1"),
                    ("status", "active"),
                ],
            )
            .await;
        assert_eq!(res.status, 403);
        assert_eq!(
            reader
                .post(&format!("/facilities/{gym}/delete"), &[("version", "0")])
                .await
                .status,
            403
        );
        assert_eq!(
            reader
                .post(
                    "/facilities/new",
                    &[
                        ("name", "New"),
                        ("facility_type", "gym"),
                        ("capacity", "1"),
                        ("status", "active")
                    ]
                )
                .await
                .status,
            403
        );
    }
    assert_eq!(app.fingerprint(), before, "refusals changed nothing");
}

#[actix_web::test]
async fn a_facility_of_another_program_is_not_found_and_left_unchanged() {
    let app = spawn_app().await;
    let pitch = catalogue::facility_id(&mut app.conn(), "Surulere Main Pitch");
    let mut admin = app.login("swim.admin").await;
    let before = app.fingerprint();
    assert_eq!(admin.get(&format!("/facilities/{pitch}")).await.status, 404);
    assert_eq!(
        admin.get(&format!("/facilities/{pitch}/edit")).await.status,
        404
    );
    let res = admin
        .post(
            &format!("/facilities/{pitch}/edit"),
            &[
                ("name", "Mine now"),
                ("facility_type", "field"),
                ("capacity", "5"),
                ("status", "active"),
            ],
        )
        .await;
    assert_eq!(res.status, 404);
    assert_eq!(
        admin
            .post(&format!("/facilities/{pitch}/delete"), &[("version", "0")])
            .await
            .status,
        404
    );
    assert!(
        !admin.get("/facilities").await.body.contains("Surulere"),
        "the list shows Swimming only"
    );
    assert_eq!(app.fingerprint(), before);
}

#[actix_web::test]
async fn a_facility_with_prices_or_enrollments_cannot_be_deleted_but_one_without_can_after_confirmation(
) {
    let app = spawn_app().await;
    let swimming = app.program_id("Swimming");
    let mut conn = app.conn();
    let course = catalogue::add_simple_course(&mut conn, swimming, "Water Confidence");
    let priced = catalogue::add_facility(&mut conn, swimming, "Priced Pool");
    let enrolled = catalogue::add_facility(&mut conn, swimming, "Busy Pool");
    let free = catalogue::add_facility(&mut conn, swimming, "Spare Pool");
    // An enrollment needs a price in force for its configuration (a database trigger), so the busy
    // pool has both: a price, then an enrollment of a student of the test's own.
    for facility in [priced, enrolled] {
        sql_query("INSERT INTO facility_course_pricing (facility_id, course_id, program_id, age_group, location_type, session_type, price) VALUES ($1, $2, $3, '6-8', 'our-facility', 'group', 5000)")
            .bind::<diesel::sql_types::Uuid, _>(facility)
            .bind::<diesel::sql_types::Uuid, _>(course)
            .bind::<diesel::sql_types::Uuid, _>(swimming)
            .execute(&mut conn)
            .unwrap();
    }
    let student = fixtures::student(&app, "Swimming", "Obi", "2019-06-01");
    sql_query("INSERT INTO course_enrollments (student_id, course_id, program_id, facility_id, session_type, location_type, age_group)
               VALUES ($1, $2, $3, $4, 'group', 'our-facility', '6-8')")
        .bind::<diesel::sql_types::Uuid, _>(student)
        .bind::<diesel::sql_types::Uuid, _>(course)
        .bind::<diesel::sql_types::Uuid, _>(swimming)
        .bind::<diesel::sql_types::Uuid, _>(enrolled)
        .execute(&mut conn)
        .unwrap();
    let mut admin = app.login("swim.admin").await;
    let page = admin.get(&format!("/facilities/{enrolled}")).await;
    assert!(
        page.body.contains("1 / 30"),
        "the load shows active enrollments against capacity"
    );
    let before = app.fingerprint();
    for (id, why) in [
        (priced, "has prices (or their history)"),
        (enrolled, "has prices and enrollments"),
    ] {
        let version = app.version_of("facilities", id);
        let res = admin
            .post(
                &format!("/facilities/{id}/delete"),
                &[("version", &version)],
            )
            .await;
        assert_eq!(res.status, 303);
        let page = admin.get(res.location().unwrap()).await;
        assert!(
            page.body.contains(why) && page.body.contains("Set its status to Inactive instead"),
            "{}",
            page.body
        );
    }
    // A bare post (no confirmation from the delete button) deletes nothing.
    assert_eq!(
        admin
            .post(&format!("/facilities/{free}/delete"), &[])
            .await
            .status,
        400
    );
    assert_eq!(app.fingerprint(), before);
    let version = app.version_of("facilities", free);
    let res = admin
        .post(
            &format!("/facilities/{free}/delete"),
            &[("version", &version)],
        )
        .await;
    assert_eq!(res.location(), Some("/facilities"));
    assert!(admin
        .get("/facilities")
        .await
        .body
        .contains("Facility Spare Pool deleted."));
    assert!(facility_named(&app, "Spare Pool").is_none());
}

#[actix_web::test]
async fn the_facility_page_lists_the_prices_in_force_to_staff_and_none_to_tutors() {
    let app = spawn_app().await;
    let swimming = app.program_id("Swimming");
    let mut conn = app.conn();
    let course = catalogue::add_simple_course(&mut conn, swimming, "Stroke Clinic");
    let pool = catalogue::facility_id(&mut conn, "Ikoyi Aquatic Centre");
    sql_query("INSERT INTO facility_course_pricing (facility_id, course_id, program_id, age_group, location_type, session_type, price, effective_date) VALUES ($1, $2, $3, '6-8', 'our-facility', 'group', 15000, CURRENT_DATE - 3)")
        .bind::<diesel::sql_types::Uuid, _>(pool)
        .bind::<diesel::sql_types::Uuid, _>(course)
        .bind::<diesel::sql_types::Uuid, _>(swimming)
        .execute(&mut conn)
        .unwrap();
    let mut coord = app.login("swim.coord").await;
    let page = coord.get(&format!("/facilities/{pool}")).await;
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("Stroke Clinic") && page.body.contains("₦15,000.00"),
        "{}",
        page.body
    );
    assert!(page
        .body
        .contains("<td data-label=\"Age group\">Ages 6-8</td><td data-label=\"Location\">Our facility</td><td data-label=\"Session\">Group</td>"));
    // Tutors never see money: the facility, its week, but no price and no way to the matrix.
    let mut tutor = app.login("swim.tutor").await;
    let page = tutor.get(&format!("/facilities/{pool}")).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Ikoyi Aquatic Centre"));
    assert!(
        !page.body.contains("₦") && !page.body.contains("/pricing"),
        "{}",
        page.body
    );
    let list = tutor.get("/facilities").await;
    assert!(!list.body.contains("/pricing"), "{}", list.body);
}
