//! Rows a test needs that the demo data does not promise: a priced course in a program.

use diesel::{prelude::*, sql_query, sql_types::Text};
use uuid::Uuid;

use super::TestApp;

pub struct PricedCourse {
    pub course_id: Uuid,
    pub facility_id: Uuid,
    pub other_facility_id: Uuid,
}

/// A course offering 6-8 and 9-12, our-facility, group and private; two facilities (capacity 2
/// and 30) with a price for (6-8, our-facility, group) only, in force since 1 Jan 2026.
pub fn priced_course(app: &TestApp, program: &str) -> PricedCourse {
    #[derive(QueryableByName)]
    struct Ids {
        #[diesel(sql_type = Text)]
        course: String,
        #[diesel(sql_type = Text)]
        facility: String,
        #[diesel(sql_type = Text)]
        other: String,
    }
    let ids = sql_query(format!(
        "WITH p AS (SELECT id FROM programs WHERE name = '{program}'),
              c AS (INSERT INTO courses (program_id, name, level) SELECT id, 'Fixture Stroke Clinic', 2 FROM p RETURNING id, program_id),
              a AS (INSERT INTO course_age_groups (course_id, program_id, age_group) SELECT id, program_id, g FROM c, unnest(ARRAY['6-8','9-12']) g),
              l AS (INSERT INTO course_location_types (course_id, program_id, location_type) SELECT id, program_id, 'our-facility' FROM c),
              s AS (INSERT INTO course_session_types (course_id, program_id, session_type) SELECT id, program_id, t FROM c, unnest(ARRAY['group','private']) t),
              f AS (INSERT INTO facilities (program_id, name, facility_type, capacity) SELECT id, 'Fixture Small Pool', 'pool', 2 FROM p RETURNING id),
              g AS (INSERT INTO facilities (program_id, name, facility_type, capacity) SELECT id, 'Fixture Big Pool', 'pool', 30 FROM p RETURNING id)
         SELECT c.id::text AS course, f.id::text AS facility, g.id::text AS other FROM c, f, g"
    ))
    .get_result::<Ids>(&mut app.conn())
    .unwrap();
    let fixture = PricedCourse {
        course_id: ids.course.parse().unwrap(),
        facility_id: ids.facility.parse().unwrap(),
        other_facility_id: ids.other.parse().unwrap(),
    };
    for facility in [fixture.facility_id, fixture.other_facility_id] {
        sql_query(format!(
            "INSERT INTO facility_course_pricing (facility_id, course_id, program_id, age_group, location_type, session_type, price, effective_date)
             SELECT '{facility}', '{course}', id, '6-8', 'our-facility', 'group', 15000, '2026-01-01' FROM programs WHERE name = '{program}'",
            course = fixture.course_id
        ))
        .execute(&mut app.conn())
        .unwrap();
    }
    fixture
}

/// A new active student of `program` born `born` (YYYY-MM-DD).
pub fn student(app: &TestApp, program: &str, last_name: &str, born: &str) -> Uuid {
    #[derive(QueryableByName)]
    struct Id {
        #[diesel(sql_type = Text)]
        id: String,
    }
    sql_query(format!(
        "INSERT INTO students (program_id, student_id, first_name, last_name, date_of_birth)
         SELECT id, 'STU-1999-' || lpad((floor(random() * 90000) + 10000)::int::text, 5, '0'), 'Fixture', '{last_name}', '{born}'
         FROM programs WHERE name = '{program}' RETURNING id::text"
    ))
    .get_result::<Id>(&mut app.conn())
    .unwrap()
    .id
    .parse()
    .unwrap()
}
