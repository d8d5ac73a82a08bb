//! The courses a student can be enrolled in, and which of the program's age groups fits a date
//! of birth.

use chrono::{Datelike, NaiveDate};
use diesel::prelude::*;
use uuid::Uuid;

use crate::{
    access::ProgramScope,
    schema::{age_groups, courses},
};

/// Active courses of the program, by name, for the enrollment form.
pub fn active_courses(
    conn: &mut PgConnection,
    scope: &ProgramScope,
) -> QueryResult<Vec<(Uuid, String)>> {
    scope
        .courses()
        .filter(courses::is_active.eq(true))
        .order(courses::name.asc())
        .select((courses::id, courses::name))
        .load(conn)
}

/// Age in whole years on `on`.
pub fn age_on(born: NaiveDate, on: NaiveDate) -> i32 {
    let mut age = on.year() - born.year();
    if (on.month(), on.day()) < (born.month(), born.day()) {
        age -= 1;
    }
    age
}

/// The program's age groups (code, minimum, maximum), youngest first: for many students at once.
pub fn age_groups(
    conn: &mut PgConnection,
    scope: &ProgramScope,
) -> QueryResult<Vec<(String, i32, Option<i32>)>> {
    scope
        .age_groups()
        .order(age_groups::min_age.asc())
        .select((age_groups::code, age_groups::min_age, age_groups::max_age))
        .load(conn)
}

/// Of `groups` (as `age_groups` gives them), the one that contains `age`: the oldest that
/// does, as `age_group_for` picks it.
pub fn group_of(groups: &[(String, i32, Option<i32>)], age: i32) -> Option<&str> {
    groups
        .iter()
        .rev()
        .find(|(_, min, max)| *min <= age && max.is_none_or(|max| max >= age))
        .map(|(code, _, _)| code.as_str())
}

/// The program's age group that contains `age`, if any.
pub fn age_group_for(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    age: i32,
) -> QueryResult<Option<String>> {
    scope
        .age_groups()
        .filter(age_groups::min_age.le(age))
        .filter(
            age_groups::max_age
                .is_null()
                .or(age_groups::max_age.ge(age)),
        )
        .order(age_groups::min_age.desc())
        .select(age_groups::code)
        .first(conn)
        .optional()
}

#[cfg(test)]
mod tests {
    use super::age_on;
    use chrono::NaiveDate;

    #[test]
    fn age_counts_whole_years_up_to_the_birthday() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(age_on(d(2016, 5, 14), d(2026, 5, 13)), 9);
        assert_eq!(age_on(d(2016, 5, 14), d(2026, 5, 14)), 10);
    }
}
