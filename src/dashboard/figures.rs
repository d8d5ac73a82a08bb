//! The program's figures, in a handful of small queries whatever the program's size.

use std::collections::HashMap;

use bigdecimal::BigDecimal;
use diesel::prelude::*;
use uuid::Uuid;

use crate::{
    access::ProgramScope,
    enrollments::EnrollmentStatus,
    error::AppResult,
    facilities::FacilityStatus,
    schema::{courses, enrollment_counts as c, facilities, student_counts},
    students::StudentStatus,
};

pub struct Count {
    pub label: String,
    pub value: i64,
}

pub struct FacilityLoad {
    pub name: String,
    pub active: i64,
    pub capacity: i32,
}

impl FacilityLoad {
    /// Share of capacity in use, in percent (may pass 100).
    pub fn percent(&self) -> i64 {
        if self.capacity <= 0 {
            0
        } else {
            self.active * 100 / self.capacity as i64
        }
    }
}

pub struct Figures {
    pub students_by_status: Vec<Count>,
    pub students_total: i64,
    pub enrollments_by_course: Vec<Count>,
    pub facility_load: Vec<FacilityLoad>,
    pub active_enrollments: i64,
    pub monthly_value: BigDecimal,
}

/// Reads the running counts (`student_counts`, `enrollment_counts`, kept by triggers), never the
/// students or enrollments themselves: the page costs the same at a hundred rows or a million.
pub fn load(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    today: chrono::NaiveDate,
) -> AppResult<Figures> {
    let by_status: HashMap<StudentStatus, i64> = scope
        .student_counts()
        .select((student_counts::status, student_counts::students))
        .load::<(StudentStatus, i64)>(conn)?
        .into_iter()
        .collect();
    let students_by_status: Vec<Count> = StudentStatus::ALL
        .iter()
        .map(|s| Count {
            label: s.label().into(),
            value: by_status.get(s).copied().unwrap_or(0),
        })
        .collect();
    let active: Vec<(Uuid, Uuid, i64)> = scope
        .enrollment_counts()
        .filter(c::status.eq(EnrollmentStatus::Active))
        .select((c::course_id, c::facility_id, c::enrollments))
        .load(conn)?;
    let mut per_course: HashMap<Uuid, i64> = HashMap::new();
    let mut per_facility: HashMap<Uuid, i64> = HashMap::new();
    for (course, facility, n) in &active {
        *per_course.entry(*course).or_default() += n;
        *per_facility.entry(*facility).or_default() += n;
    }
    per_course.retain(|_, n| *n > 0);
    let mut enrollments_by_course: Vec<Count> = scope
        .courses()
        .filter(courses::id.eq_any(per_course.keys().copied().collect::<Vec<_>>()))
        .select((courses::id, courses::name))
        .load::<(Uuid, String)>(conn)?
        .into_iter()
        .map(|(id, name)| Count {
            label: name,
            value: per_course.get(&id).copied().unwrap_or(0),
        })
        .collect();
    enrollments_by_course.sort_by(|a, b| b.value.cmp(&a.value).then(a.label.cmp(&b.label)));
    let mut facility_load: Vec<FacilityLoad> = scope
        .facilities()
        .filter(facilities::status.ne(FacilityStatus::Inactive))
        .select((facilities::id, facilities::name, facilities::capacity))
        .load::<(Uuid, String, i32)>(conn)?
        .into_iter()
        .map(|(id, name, capacity)| FacilityLoad {
            name,
            active: per_facility.get(&id).copied().unwrap_or(0),
            capacity,
        })
        .collect();
    facility_load.sort_by(|a, b| b.percent().cmp(&a.percent()).then(a.name.cmp(&b.name)));
    Ok(Figures {
        students_total: by_status.values().sum(),
        students_by_status,
        active_enrollments: per_facility.values().sum(),
        enrollments_by_course,
        facility_load,
        monthly_value: monthly_value(conn, scope, today)?,
    })
}

/// What the active enrollments bring in a month at the prices in force today for their
/// configurations: a few dozen configuration counts, each with its price from the price lookup,
/// summed here (Diesel has no typed `numeric * bigint`).
fn monthly_value(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    today: chrono::NaiveDate,
) -> QueryResult<BigDecimal> {
    let rows = crate::pricing::in_force_for_counts(conn, scope, EnrollmentStatus::Active, today)?;
    Ok(rows
        .into_iter()
        .map(|(price, n)| price * BigDecimal::from(n))
        .sum())
}
