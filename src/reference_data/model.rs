//! Age groups and session types of the scope's program, and where their codes are used.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use diesel::{dsl::count_star, prelude::*};
use uuid::Uuid;

use super::form::{AgeGroupCommand, SessionTypeCommand};
use crate::{
    access::ProgramScope,
    schema::{
        age_groups, course_age_groups, course_session_types, enrollment_counts,
        facility_course_pricing, programs, session_types,
    },
    web::format::{and_list, plural},
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
        and_list(&parts).unwrap_or_else(|| "nothing".into())
    }
}

/// What the page and the changes of one kind of reference data need from the database.
pub trait Stored: Sized + Send + 'static {
    type Command: Send + 'static;

    /// The program's rows, in the page's order.
    fn all(conn: &mut PgConnection, scope: &ProgramScope) -> QueryResult<Vec<Self>>;
    /// Where each code of the program is used, in three queries whatever the number of codes.
    fn usages(conn: &mut PgConnection, scope: &ProgramScope)
        -> QueryResult<HashMap<String, Usage>>;
    /// Where one code is used.
    fn usage(conn: &mut PgConnection, scope: &ProgramScope, code: &str) -> QueryResult<Usage> {
        Ok(Self::usages(conn, scope)?.remove(code).unwrap_or_default())
    }
    fn find(conn: &mut PgConnection, scope: &ProgramScope, id: Uuid) -> QueryResult<Self>;
    /// `find`, locking the row until the transaction ends.
    fn find_for_update(
        conn: &mut PgConnection,
        scope: &ProgramScope,
        id: Uuid,
    ) -> QueryResult<Self>;
    fn insert(conn: &mut PgConnection, scope: &ProgramScope, c: &Self::Command) -> QueryResult<()>;
    fn update(
        conn: &mut PgConnection,
        scope: &ProgramScope,
        id: Uuid,
        c: &Self::Command,
    ) -> QueryResult<()>;
    fn delete(conn: &mut PgConnection, scope: &ProgramScope, id: Uuid) -> QueryResult<()>;
}

/// Usages from three lists of (code, count): courses, prices, enrollments.
fn usages_of(
    courses: Vec<(String, i64)>,
    prices: Vec<(String, i64)>,
    enrollments: Vec<(String, i64)>,
) -> HashMap<String, Usage> {
    let mut out: HashMap<String, Usage> = HashMap::new();
    for (code, n) in courses {
        out.entry(code).or_default().courses += n;
    }
    for (code, n) in prices {
        out.entry(code).or_default().prices += n;
    }
    for (code, n) in enrollments {
        out.entry(code).or_default().enrollments += n;
    }
    out
}

impl Stored for AgeGroup {
    type Command = AgeGroupCommand;

    fn all(conn: &mut PgConnection, scope: &ProgramScope) -> QueryResult<Vec<Self>> {
        scope
            .age_groups()
            .order((age_groups::min_age.asc(), age_groups::code.asc()))
            .select(AgeGroup::as_select())
            .load(conn)
    }
    fn usages(
        conn: &mut PgConnection,
        scope: &ProgramScope,
    ) -> QueryResult<HashMap<String, Usage>> {
        let courses = scope
            .course_age_groups()
            .group_by(course_age_groups::age_group)
            .select((course_age_groups::age_group, count_star()))
            .load(conn)?;
        let prices = scope
            .facility_course_pricing()
            .group_by(facility_course_pricing::age_group)
            .select((facility_course_pricing::age_group, count_star()))
            .load(conn)?;
        // Enrollments from their running counts: a page of reference data costs the same at
        // a million enrollments.
        let enrollments = scope
            .enrollment_counts()
            .select((enrollment_counts::age_group, enrollment_counts::enrollments))
            .load(conn)?;
        Ok(usages_of(courses, prices, enrollments))
    }
    fn find(conn: &mut PgConnection, scope: &ProgramScope, id: Uuid) -> QueryResult<Self> {
        scope
            .age_groups()
            .filter(age_groups::id.eq(id))
            .select(AgeGroup::as_select())
            .first(conn)
    }
    fn find_for_update(
        conn: &mut PgConnection,
        scope: &ProgramScope,
        id: Uuid,
    ) -> QueryResult<Self> {
        scope
            .age_groups()
            .filter(age_groups::id.eq(id))
            .select(AgeGroup::as_select())
            .for_update()
            .first(conn)
    }
    fn insert(
        conn: &mut PgConnection,
        scope: &ProgramScope,
        c: &AgeGroupCommand,
    ) -> QueryResult<()> {
        age_groups::insert()
            .values((
                age_groups::program_id.eq(scope.program_id()),
                age_groups::code.eq(&c.code),
                age_groups::name.eq(&c.name),
                age_groups::min_age.eq(c.min_age),
                age_groups::max_age.eq(c.max_age),
            ))
            .execute(conn)
            .map(|_| ())
    }
    fn update(
        conn: &mut PgConnection,
        scope: &ProgramScope,
        id: Uuid,
        c: &AgeGroupCommand,
    ) -> QueryResult<()> {
        diesel::update(scope.age_groups().filter(age_groups::id.eq(id)))
            .set((
                age_groups::code.eq(&c.code),
                age_groups::name.eq(&c.name),
                age_groups::min_age.eq(c.min_age),
                age_groups::max_age.eq(c.max_age),
            ))
            .execute(conn)
            .map(|_| ())
    }
    fn delete(conn: &mut PgConnection, scope: &ProgramScope, id: Uuid) -> QueryResult<()> {
        diesel::delete(scope.age_groups().filter(age_groups::id.eq(id)))
            .execute(conn)
            .map(|_| ())
    }
}

impl Stored for SessionType {
    type Command = SessionTypeCommand;

    fn all(conn: &mut PgConnection, scope: &ProgramScope) -> QueryResult<Vec<Self>> {
        scope
            .session_types()
            .order((session_types::capacity.asc(), session_types::code.asc()))
            .select(SessionType::as_select())
            .load(conn)
    }
    fn usages(
        conn: &mut PgConnection,
        scope: &ProgramScope,
    ) -> QueryResult<HashMap<String, Usage>> {
        let courses = scope
            .course_session_types()
            .group_by(course_session_types::session_type)
            .select((course_session_types::session_type, count_star()))
            .load(conn)?;
        let prices = scope
            .facility_course_pricing()
            .group_by(facility_course_pricing::session_type)
            .select((facility_course_pricing::session_type, count_star()))
            .load(conn)?;
        let enrollments = scope
            .enrollment_counts()
            .select((
                enrollment_counts::session_type,
                enrollment_counts::enrollments,
            ))
            .load(conn)?;
        Ok(usages_of(courses, prices, enrollments))
    }
    fn find(conn: &mut PgConnection, scope: &ProgramScope, id: Uuid) -> QueryResult<Self> {
        scope
            .session_types()
            .filter(session_types::id.eq(id))
            .select(SessionType::as_select())
            .first(conn)
    }
    fn find_for_update(
        conn: &mut PgConnection,
        scope: &ProgramScope,
        id: Uuid,
    ) -> QueryResult<Self> {
        scope
            .session_types()
            .filter(session_types::id.eq(id))
            .select(SessionType::as_select())
            .for_update()
            .first(conn)
    }
    fn insert(
        conn: &mut PgConnection,
        scope: &ProgramScope,
        c: &SessionTypeCommand,
    ) -> QueryResult<()> {
        session_types::insert()
            .values((
                session_types::program_id.eq(scope.program_id()),
                session_types::code.eq(&c.code),
                session_types::name.eq(&c.name),
                session_types::capacity.eq(c.capacity),
            ))
            .execute(conn)
            .map(|_| ())
    }
    fn update(
        conn: &mut PgConnection,
        scope: &ProgramScope,
        id: Uuid,
        c: &SessionTypeCommand,
    ) -> QueryResult<()> {
        diesel::update(scope.session_types().filter(session_types::id.eq(id)))
            .set((
                session_types::code.eq(&c.code),
                session_types::name.eq(&c.name),
                session_types::capacity.eq(c.capacity),
            ))
            .execute(conn)
            .map(|_| ())
    }
    fn delete(conn: &mut PgConnection, scope: &ProgramScope, id: Uuid) -> QueryResult<()> {
        diesel::delete(scope.session_types().filter(session_types::id.eq(id)))
            .execute(conn)
            .map(|_| ())
    }
}

/// Serialises changes to a program's reference data: each check-then-write waits for the previous
/// one to commit, so it sees its rows (new rows included, which a row lock could not cover). A
/// `NO KEY` lock, so rows elsewhere that merely reference the program are not held up.
pub fn lock_program(conn: &mut PgConnection, scope: &ProgramScope) -> QueryResult<()> {
    programs::table
        .find(scope.program_id())
        .select(programs::id)
        .for_no_key_update()
        .first::<Uuid>(conn)?;
    Ok(())
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
