//! Active enrollments per facility, read from the running counts (`enrollment_counts`, kept by
//! triggers) rather than counted: a facility of a large program holds tens of thousands.

use std::collections::HashMap;

use diesel::prelude::*;
use uuid::Uuid;

use super::EnrollmentStatus;
use crate::{access::ProgramScope, schema::enrollment_counts as c};

/// Active enrollments of each of `facilities` (absent: none). Inside a transaction that has
/// just enrolled someone, the count includes them: the trigger runs with the insert.
pub fn active_by_facility(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    facilities: &[Uuid],
) -> QueryResult<HashMap<Uuid, i64>> {
    let rows: Vec<(Uuid, i64)> = scope
        .enrollment_counts()
        .filter(c::facility_id.eq_any(facilities))
        .filter(c::status.eq(EnrollmentStatus::Active))
        .select((c::facility_id, c::enrollments))
        .load(conn)?;
    let mut active = HashMap::new();
    for (facility, n) in rows {
        *active.entry(facility).or_default() += n;
    }
    Ok(active)
}

/// Active enrollments of one facility. One key, not a list of them: PostgreSQL plans this once
/// per connection, and a list anew for each call (it runs on every enrollment).
pub fn active_at(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    facility: Uuid,
) -> QueryResult<i64> {
    let counts: Vec<i64> = scope
        .enrollment_counts()
        .filter(c::facility_id.eq(facility))
        .filter(c::status.eq(EnrollmentStatus::Active))
        .select(c::enrollments)
        .load(conn)?;
    Ok(counts.iter().sum())
}
