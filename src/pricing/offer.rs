//! Whether a price's key names something the program's course offers.

use diesel::prelude::*;

use super::lookup::PriceKey;
use crate::{
    access::ProgramScope,
    error::{AppError, AppResult},
    offerings::Offered,
    schema::courses,
};

/// Checks that `key` names an active course of the program and a configuration it offers; the
/// course's name on success. A course of another program is not found; a configuration the course
/// does not offer is a clear refusal.
pub fn check_offered(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    key: &PriceKey,
) -> AppResult<String> {
    let (name, active) = scope
        .courses()
        .filter(courses::id.eq(key.course_id))
        .select((courses::name, courses::is_active))
        .first::<(String, bool)>(conn)?;
    if !active {
        return Err(AppError::bad_request(format!(
            "{name} is archived, so it cannot be priced."
        )));
    }
    let offered = Offered::of_course(conn, scope, key.course_id)?;
    if !offered.offers(&key.age_group, &key.location_type, &key.session_type) {
        return Err(AppError::bad_request(format!(
            "{name} does not offer age group {:?}, location {:?} and session type {:?} together, so it cannot have a price for them. Nothing was saved.",
            key.age_group, key.location_type, key.session_type
        )));
    }
    Ok(name)
}
