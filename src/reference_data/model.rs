//! Age groups and session types of the scope's program, and where their codes are used.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use crate::{
    access::ProgramScope,
    schema::{
        age_groups, course_age_groups, course_enrollments, course_session_types,
        facility_course_pricing, session_types,
    },
    web::format::plural,
};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = age_groups)]
pub struct AgeGroup {
    pub id: Uuid,
    pub code: String,
    pub name: String,
    pub min_age: i32,
    pub max_age: Option<i32>,
    pub updated_at: DateTime<Utc>,
}

impl AgeGroup {
    pub fn version(&self) -> String {
        crate::web::form::version(self.updated_at)
    }
    pub fn range(&self) -> String {
        match self.max_age {
            Some(max) => format!("{} to {max}", self.min_age),
            None => format!("{} and over", self.min_age),
        }
    }
    pub fn max_text(&self) -> String {
        self.max_age.map(|m| m.to_string()).unwrap_or_default()
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = session_types)]
pub struct SessionType {
    pub id: Uuid,
    pub code: String,
    pub name: String,
    pub capacity: i32,
    pub updated_at: DateTime<Utc>,
}

impl SessionType {
    pub fn version(&self) -> String {
        crate::web::form::version(self.updated_at)
    }
}

/// Where a code is used: courses offering it, prices and enrollments naming it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Usage {
    pub courses: i64,
    pub prices: i64,
    pub enrollments: i64,
}

impl Usage {
    pub fn in_use(&self) -> bool {
        self.courses + self.prices + self.enrollments > 0
    }

    /// "2 courses, 1 price and 3 enrollments"
    pub fn describe(&self) -> String {
        let parts: Vec<String> = [
            (self.courses, "course", "courses"),
            (self.prices, "price", "prices"),
            (self.enrollments, "enrollment", "enrollments"),
        ]
        .iter()
        .filter(|(n, _, _)| *n > 0)
        .map(|(n, one, many)| plural(*n, one, many))
        .collect();
        match parts.len() {
            0 => "nothing".into(),
            1 => parts[0].clone(),
            _ => format!(
                "{} and {}",
                parts[..parts.len() - 1].join(", "),
                parts[parts.len() - 1]
            ),
        }
    }
}

pub fn age_groups(conn: &mut PgConnection, scope: &ProgramScope) -> QueryResult<Vec<AgeGroup>> {
    scope
        .age_groups()
        .order((age_groups::min_age.asc(), age_groups::code.asc()))
        .select(AgeGroup::as_select())
        .load(conn)
}

pub fn session_types(
    conn: &mut PgConnection,
    scope: &ProgramScope,
) -> QueryResult<Vec<SessionType>> {
    scope
        .session_types()
        .order((session_types::capacity.asc(), session_types::code.asc()))
        .select(SessionType::as_select())
        .load(conn)
}

pub fn age_group_usage(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    code: &str,
) -> QueryResult<Usage> {
    Ok(Usage {
        courses: scope
            .course_age_groups()
            .filter(course_age_groups::age_group.eq(code))
            .count()
            .get_result(conn)?,
        prices: scope
            .facility_course_pricing()
            .filter(facility_course_pricing::age_group.eq(code))
            .count()
            .get_result(conn)?,
        enrollments: scope
            .course_enrollments()
            .filter(course_enrollments::age_group.eq(code))
            .count()
            .get_result(conn)?,
    })
}

pub fn session_type_usage(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    code: &str,
) -> QueryResult<Usage> {
    Ok(Usage {
        courses: scope
            .course_session_types()
            .filter(course_session_types::session_type.eq(code))
            .count()
            .get_result(conn)?,
        prices: scope
            .facility_course_pricing()
            .filter(facility_course_pricing::session_type.eq(code))
            .count()
            .get_result(conn)?,
        enrollments: scope
            .course_enrollments()
            .filter(course_enrollments::session_type.eq(code))
            .count()
            .get_result(conn)?,
    })
}

/// Whether two age ranges share an age (`None` = open-ended).
pub fn overlaps(a: (i32, Option<i32>), b: (i32, Option<i32>)) -> bool {
    let a_max = a.1.unwrap_or(i32::MAX);
    let b_max = b.1.unwrap_or(i32::MAX);
    a.0 <= b_max && b.0 <= a_max
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_overlap_when_they_share_an_age() {
        assert!(!overlaps((6, Some(8)), (9, Some(12))));
        assert!(overlaps((6, Some(9)), (9, Some(12))));
        assert!(overlaps((18, None), (30, Some(40))));
        assert!(!overlaps((13, Some(17)), (18, None)));
        assert!(overlaps((0, None), (5, None)));
    }

    #[test]
    fn usage_reads_as_a_sentence() {
        let u = Usage {
            courses: 2,
            prices: 1,
            enrollments: 3,
        };
        assert_eq!(u.describe(), "2 courses, 1 price and 3 enrollments");
        let u = Usage {
            courses: 1,
            prices: 0,
            enrollments: 0,
        };
        assert_eq!(u.describe(), "1 course");
    }
}
