//! Demo facilities (three per active demo program) and their prices: most cells of each matrix
//! get a realistic NGN price, some stay empty. Prices whatever active courses with offerings the
//! catalogue holds, so it runs after the catalogue. Running it again changes nothing.

use std::collections::{BTreeSet, HashMap, HashSet};

use bigdecimal::{BigDecimal, FromPrimitive, RoundingMode};
use chrono::{Datelike, NaiveDate, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use crate::{
    facilities::{FacilityStatus, FacilityType},
    offerings::LOCATION_TYPES,
    schema::across_programs::{
        age_groups, course_age_groups, course_location_types, course_session_types, courses,
        facilities, facility_course_pricing, programs, session_types, users,
    },
};

struct DemoFacility {
    program: &'static str,
    name: &'static str,
    kind: FacilityType,
    capacity: i32,
    equipment: &'static [&'static str],
    amenities: &'static [&'static str],
    status: FacilityStatus,
    /// Price level of the place, in percent of the program's base prices.
    level: u32,
}

const FACILITIES: &[DemoFacility] = &[
    DemoFacility {
        program: "Swimming",
        name: "Ikoyi Aquatic Centre",
        kind: FacilityType::Pool,
        capacity: 40,
        equipment: &[
            "Lane ropes",
            "Kickboards",
            "Pull buoys",
            "Starting blocks",
            "Pace clock",
        ],
        amenities: &[
            "Changing rooms",
            "Hot showers",
            "Lifeguard on duty",
            "Parking",
        ],
        status: FacilityStatus::Active,
        level: 100,
    },
    DemoFacility {
        program: "Swimming",
        name: "Lekki Dryland Gym",
        kind: FacilityType::Gym,
        capacity: 25,
        equipment: &[
            "Resistance bands",
            "Medicine balls",
            "Foam rollers",
            "Stretch mats",
        ],
        amenities: &["Changing rooms", "Water dispenser", "Air conditioning"],
        status: FacilityStatus::Active,
        level: 85,
    },
    DemoFacility {
        program: "Swimming",
        name: "Victoria Island Classroom",
        kind: FacilityType::Classroom,
        capacity: 30,
        equipment: &["Projector", "Whiteboard", "Water-safety posters"],
        amenities: &["Air conditioning", "Wi-Fi"],
        status: FacilityStatus::Active,
        level: 70,
    },
    DemoFacility {
        program: "Football",
        name: "Surulere Main Pitch",
        kind: FacilityType::Field,
        capacity: 60,
        equipment: &[
            "Full-size goals",
            "Cones",
            "Bibs",
            "Match balls",
            "Corner flags",
        ],
        amenities: &[
            "Floodlights",
            "Changing rooms",
            "Spectator stand",
            "Parking",
        ],
        status: FacilityStatus::Active,
        level: 100,
    },
    DemoFacility {
        program: "Football",
        name: "Yaba Training Field",
        kind: FacilityType::Field,
        capacity: 40,
        equipment: &["Mini goals", "Agility ladders", "Cones", "Rebounders"],
        amenities: &["Toilets", "Parking"],
        status: FacilityStatus::Active,
        level: 85,
    },
    DemoFacility {
        program: "Football",
        name: "Academy Fitness Gym",
        kind: FacilityType::Gym,
        capacity: 20,
        equipment: &["Treadmills", "Free weights", "Plyo boxes"],
        amenities: &["Showers", "Air conditioning"],
        status: FacilityStatus::Active,
        level: 75,
    },
];

/// Base price in naira of a session type code, before age, location, course level and place.
fn base_price(session_type: &str) -> f64 {
    match session_type {
        "private" => 25_000.0,
        "group" => 12_000.0,
        "school-group" => 6_000.0,
        _ => 10_000.0,
    }
}

fn location_factor(location_type: &str) -> f64 {
    match location_type {
        "client-location" => 1.3,
        "virtual" => 0.6,
        _ => 1.0,
    }
}

pub fn seed(conn: &mut PgConnection) -> QueryResult<()> {
    let today = Utc::now().date_naive();
    let start = NaiveDate::from_ymd_opt(today.year(), 1, 5).expect("a date");
    let admin: Option<Uuid> = users::table
        .filter(users::username.eq("superadmin"))
        .select(users::id)
        .first(conn)
        .optional()?;
    for (index, demo) in FACILITIES.iter().enumerate() {
        let Some(program_id) = programs::table
            .filter(programs::name.eq(demo.program))
            .select(programs::id)
            .first::<Uuid>(conn)
            .optional()?
        else {
            continue;
        };
        let facility_id = facility(conn, program_id, demo)?;
        prices(
            conn,
            program_id,
            facility_id,
            index,
            demo.level,
            start.min(today),
            admin,
        )?;
    }
    Ok(())
}

fn facility(conn: &mut PgConnection, program_id: Uuid, demo: &DemoFacility) -> QueryResult<Uuid> {
    if let Some(id) = facilities::table
        .filter(facilities::program_id.eq(program_id))
        .filter(facilities::name.eq(demo.name))
        .select(facilities::id)
        .first(conn)
        .optional()?
    {
        return Ok(id);
    }
    diesel::insert_into(facilities::table)
        .values((
            facilities::program_id.eq(program_id),
            facilities::name.eq(demo.name),
            facilities::facility_type.eq(demo.kind),
            facilities::capacity.eq(demo.capacity),
            facilities::equipment.eq(serde_json::json!(demo.equipment)),
            facilities::amenities.eq(serde_json::json!(demo.amenities)),
            facilities::status.eq(demo.status),
        ))
        .returning(facilities::id)
        .get_result(conn)
}

fn group(rows: Vec<(Uuid, String)>) -> HashMap<Uuid, BTreeSet<String>> {
    let mut map: HashMap<Uuid, BTreeSet<String>> = HashMap::new();
    for (course, code) in rows {
        map.entry(course).or_default().insert(code);
    }
    map
}

fn prices(
    conn: &mut PgConnection,
    program_id: Uuid,
    facility_id: Uuid,
    facility_index: usize,
    level: u32,
    effective: NaiveDate,
    admin: Option<Uuid>,
) -> QueryResult<()> {
    let course_rows: Vec<(Uuid, i32)> = courses::table
        .filter(courses::program_id.eq(program_id))
        .filter(courses::is_active.eq(true))
        .order((courses::name.asc(), courses::id.asc()))
        .select((courses::id, courses::level))
        .load(conn)?;
    if course_rows.is_empty() {
        return Ok(());
    }
    let ages: Vec<String> = age_groups::table
        .filter(age_groups::program_id.eq(program_id))
        .order(age_groups::min_age.asc())
        .select(age_groups::code)
        .load(conn)?;
    let sessions: Vec<String> = session_types::table
        .filter(session_types::program_id.eq(program_id))
        .order(session_types::capacity.asc())
        .select(session_types::code)
        .load(conn)?;
    let offered_ages = group(
        course_age_groups::table
            .filter(course_age_groups::program_id.eq(program_id))
            .select((course_age_groups::course_id, course_age_groups::age_group))
            .load(conn)?,
    );
    let offered_locations = group(
        course_location_types::table
            .filter(course_location_types::program_id.eq(program_id))
            .select((
                course_location_types::course_id,
                course_location_types::location_type,
            ))
            .load(conn)?,
    );
    let offered_sessions = group(
        course_session_types::table
            .filter(course_session_types::program_id.eq(program_id))
            .select((
                course_session_types::course_id,
                course_session_types::session_type,
            ))
            .load(conn)?,
    );
    // Any row, active or ended, means the cell was seeded (or edited) before: leave it alone.
    let existing: HashSet<(Uuid, String, String, String)> = facility_course_pricing::table
        .filter(facility_course_pricing::facility_id.eq(facility_id))
        .select((
            facility_course_pricing::course_id,
            facility_course_pricing::age_group,
            facility_course_pricing::location_type,
            facility_course_pricing::session_type,
        ))
        .load::<(Uuid, String, String, String)>(conn)?
        .into_iter()
        .collect();
    let empty = BTreeSet::new();
    let mut cell = 0usize;
    let mut with_history = false;
    for (course_index, (course_id, course_level)) in course_rows.iter().enumerate() {
        let has = |map: &HashMap<Uuid, BTreeSet<String>>, code: &str| {
            map.get(course_id).unwrap_or(&empty).contains(code)
        };
        for (location, _) in LOCATION_TYPES {
            for (age_index, age) in ages.iter().enumerate() {
                for session in &sessions {
                    if !(has(&offered_ages, age)
                        && has(&offered_locations, location)
                        && has(&offered_sessions, session))
                    {
                        continue;
                    }
                    cell += 1;
                    // Some cells stay empty: not offered at this facility.
                    if (cell * 7 + facility_index * 3 + course_index) % 6 == 0 {
                        continue;
                    }
                    let key = (
                        *course_id,
                        age.clone(),
                        location.to_string(),
                        session.clone(),
                    );
                    if existing.contains(&key) {
                        continue;
                    }
                    let naira = base_price(session)
                        * (1.0 + 0.1 * age_index as f64)
                        * location_factor(location)
                        * (1.0 + 0.15 * f64::from((*course_level - 1).max(0)))
                        * f64::from(level)
                        / 100.0;
                    let rounded = ((naira / 500.0).round() * 500.0).max(500.0);
                    let price = BigDecimal::from_f64(rounded)
                        .expect("finite")
                        .with_scale_round(2, RoundingMode::HalfUp);
                    let values = (
                        facility_course_pricing::facility_id.eq(facility_id),
                        facility_course_pricing::course_id.eq(course_id),
                        facility_course_pricing::program_id.eq(program_id),
                        facility_course_pricing::age_group.eq(age),
                        facility_course_pricing::location_type.eq(*location),
                        facility_course_pricing::session_type.eq(session),
                        facility_course_pricing::created_by.eq(admin),
                        facility_course_pricing::updated_by.eq(admin),
                    );
                    if !with_history {
                        // One cell per facility shows a price change in its history.
                        with_history = true;
                        let earlier =
                            NaiveDate::from_ymd_opt(effective.year() - 1, 9, 1).expect("a date");
                        let old = (&price * BigDecimal::from_f64(0.9).expect("finite"))
                            .with_scale_round(-2, RoundingMode::HalfUp)
                            .with_scale(2);
                        diesel::insert_into(facility_course_pricing::table)
                            .values((
                                values,
                                facility_course_pricing::price.eq(old),
                                facility_course_pricing::is_active.eq(false),
                                facility_course_pricing::effective_date.eq(earlier),
                                facility_course_pricing::end_date.eq(Some(effective)),
                            ))
                            .execute(conn)?;
                    }
                    diesel::insert_into(facility_course_pricing::table)
                        .values((
                            values,
                            facility_course_pricing::price.eq(price),
                            facility_course_pricing::is_active.eq(true),
                            facility_course_pricing::effective_date.eq(effective),
                        ))
                        .execute(conn)?;
                }
            }
        }
    }
    Ok(())
}
