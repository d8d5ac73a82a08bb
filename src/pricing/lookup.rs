//! The price in force: the one place that answers "what does this cost, here, on that day?", for
//! the matrix and for enrollments.
//!
//! A price row is in force on day `d` when `effective_date <= d` and (`end_date` is null or
//! `end_date > d`). An ended row (`is_active = false`) was in force before its `end_date`.

use bigdecimal::BigDecimal;
use chrono::NaiveDate;
use diesel::{pg::Pg, prelude::*};
use uuid::Uuid;

use crate::facilities::FacilityStatus;
use crate::{
    access::ProgramScope,
    schema::{facilities, facility_course_pricing as fcp},
};

/// One cell of a facility's matrix: which course, in which configuration.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PriceKey {
    pub facility_id: Uuid,
    pub course_id: Uuid,
    pub age_group: String,
    pub location_type: String,
    pub session_type: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PriceInForce {
    pub id: Uuid,
    pub facility_id: Uuid,
    pub price: BigDecimal,
    pub effective_date: NaiveDate,
}

/// Whether a price row is in force on day `on`: the rule above, in SQL.
#[diesel::dsl::auto_type]
pub(super) fn in_force_on(on: NaiveDate) -> _ {
    fcp::effective_date
        .le(on)
        .and(fcp::end_date.is_null().or(fcp::end_date.gt(on)))
}

/// The price of `key` in force on `on`, if there is one.
pub fn price_in_force(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    key: &PriceKey,
    on: NaiveDate,
) -> QueryResult<Option<PriceInForce>> {
    in_force(scope, key, on)
        .select((fcp::id, fcp::facility_id, fcp::price, fcp::effective_date))
        .first::<(Uuid, Uuid, BigDecimal, NaiveDate)>(conn)
        .optional()
        .map(|row| {
            row.map(|(id, facility_id, price, effective_date)| PriceInForce {
                id,
                facility_id,
                price,
                effective_date,
            })
        })
}

/// The price of `key` in force on `on` alone, as a query for a caller that reads it along with
/// other facts in one statement (`.single_value()`).
pub fn price_in_force_query<'a>(
    scope: &ProgramScope,
    key: &'a PriceKey,
    on: NaiveDate,
) -> diesel::dsl::Select<fcp::BoxedQuery<'a, Pg>, fcp::price> {
    in_force(scope, key, on).select(fcp::price)
}

/// The rows of `key` in force on `on`, the one that counts first.
fn in_force<'a>(scope: &ProgramScope, key: &'a PriceKey, on: NaiveDate) -> fcp::BoxedQuery<'a, Pg> {
    scope
        .facility_course_pricing()
        .filter(fcp::facility_id.eq(key.facility_id))
        .filter(fcp::course_id.eq(key.course_id))
        .filter(fcp::age_group.eq(&key.age_group))
        .filter(fcp::location_type.eq(&key.location_type))
        .filter(fcp::session_type.eq(&key.session_type))
        .filter(in_force_on(on))
        .order((fcp::effective_date.desc(), fcp::created_at.desc()))
        .into_boxed()
}

#[derive(Debug, Clone, PartialEq)]
pub struct FacilityPrice {
    pub facility_id: Uuid,
    pub facility_name: String,
    pub price: BigDecimal,
}

/// Active facilities of the program with a price in force on `on` for the configuration, by name.
pub fn facilities_with_price(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    course_id: Uuid,
    age_group: &str,
    location_type: &str,
    session_type: &str,
    on: NaiveDate,
) -> QueryResult<Vec<FacilityPrice>> {
    let priced: Vec<(Uuid, BigDecimal, NaiveDate)> = scope
        .facility_course_pricing()
        .filter(fcp::course_id.eq(course_id))
        .filter(fcp::age_group.eq(age_group))
        .filter(fcp::location_type.eq(location_type))
        .filter(fcp::session_type.eq(session_type))
        .filter(in_force_on(on))
        .order((
            fcp::facility_id,
            fcp::effective_date.desc(),
            fcp::created_at.desc(),
        ))
        .select((fcp::facility_id, fcp::price, fcp::effective_date))
        .load(conn)?;
    if priced.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<Uuid> = priced.iter().map(|(id, _, _)| *id).collect();
    let names: Vec<(Uuid, String)> = scope
        .facilities()
        .filter(facilities::id.eq_any(&ids))
        .filter(facilities::status.eq(FacilityStatus::Active))
        .order((facilities::name.asc(), facilities::id.asc()))
        .select((facilities::id, facilities::name))
        .load(conn)?;
    Ok(names
        .into_iter()
        .filter_map(|(facility_id, facility_name)| {
            // The first row of a facility is its latest in force (ordered above).
            priced
                .iter()
                .find(|(id, _, _)| *id == facility_id)
                .map(|(_, price, _)| FacilityPrice {
                    facility_id,
                    facility_name,
                    price: price.clone(),
                })
        })
        .collect())
}

/// Every price of a facility in force on `on`, by cell (one query).
pub fn prices_in_force(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    facility_id: Uuid,
    on: NaiveDate,
) -> QueryResult<std::collections::HashMap<PriceKey, PriceInForce>> {
    let rows: Vec<(Uuid, Uuid, String, String, String, BigDecimal, NaiveDate)> = scope
        .facility_course_pricing()
        .filter(fcp::facility_id.eq(facility_id))
        .filter(in_force_on(on))
        // Oldest first, so the latest row of a cell is the one kept.
        .order((fcp::effective_date.asc(), fcp::created_at.asc()))
        .select((
            fcp::id,
            fcp::course_id,
            fcp::age_group,
            fcp::location_type,
            fcp::session_type,
            fcp::price,
            fcp::effective_date,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(
            |(id, course_id, age_group, location_type, session_type, price, effective_date)| {
                (
                    PriceKey {
                        facility_id,
                        course_id,
                        age_group,
                        location_type,
                        session_type,
                    },
                    PriceInForce {
                        id,
                        facility_id,
                        price,
                        effective_date,
                    },
                )
            },
        )
        .collect())
}

/// Every price of the program in force on `on`, by cell (the one that counts, by the rule at the
/// top of this file): one statement.
pub fn program_prices_in_force(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    on: NaiveDate,
) -> QueryResult<std::collections::HashMap<PriceKey, BigDecimal>> {
    let rows: Vec<(Uuid, Uuid, String, String, String, BigDecimal)> = scope
        .facility_course_pricing()
        .filter(in_force_on(on))
        .order((fcp::effective_date.asc(), fcp::created_at.asc()))
        .select((
            fcp::facility_id,
            fcp::course_id,
            fcp::age_group,
            fcp::location_type,
            fcp::session_type,
            fcp::price,
        ))
        .load(conn)?;
    // Oldest first, so the row that counts (the newest) is the one left in the map.
    Ok(rows
        .into_iter()
        .map(
            |(facility_id, course_id, age_group, location_type, session_type, price)| {
                let key = PriceKey {
                    facility_id,
                    course_id,
                    age_group,
                    location_type,
                    session_type,
                };
                (key, price)
            },
        )
        .collect())
}

/// The program's enrollment counts in `status`, by configuration, each with the price of its cell
/// in force on `on` (counts whose cell has none are left out): one statement, a correlated
/// lookup per configuration on the price index.
pub fn in_force_for_counts(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    status: crate::enrollments::EnrollmentStatus,
    on: NaiveDate,
) -> QueryResult<Vec<(BigDecimal, i64)>> {
    use crate::schema::enrollment_counts as c;
    let price = scope
        .facility_course_pricing()
        .filter(fcp::facility_id.eq(c::facility_id))
        .filter(fcp::course_id.eq(c::course_id))
        .filter(fcp::age_group.eq(c::age_group))
        .filter(fcp::location_type.eq(c::location_type))
        .filter(fcp::session_type.eq(c::session_type))
        .filter(in_force_on(on))
        .order((fcp::effective_date.desc(), fcp::created_at.desc()))
        .select(fcp::price)
        .limit(1)
        .single_value();
    let rows: Vec<(Option<BigDecimal>, i64)> = scope
        .enrollment_counts()
        .filter(c::status.eq(status))
        .select((price, c::enrollments))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(price, n)| price.map(|p| (p, n)))
        .collect())
}
