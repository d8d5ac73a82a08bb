//! The price in force for (facility, course, age group, location type, session type, date), in
//! one place: the matrix, enrollments and the dashboard all ask here.

use bigdecimal::BigDecimal;
use chrono::NaiveDate;
use diesel::prelude::*;
use uuid::Uuid;

use crate::{
    access::ProgramScope,
    schema::{facilities, facility_course_pricing as p},
};

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PriceKey {
    pub facility_id: Uuid,
    pub course_id: Uuid,
    pub age_group: String,
    pub location_type: String,
    pub session_type: String,
}

#[derive(Debug, Clone)]
pub struct PriceInForce {
    pub id: Uuid,
    pub facility_id: Uuid,
    pub price: BigDecimal,
    pub effective_date: NaiveDate,
}

/// The row in force on `on`: started on or before it, and not ended by then. An ended row is
/// inactive now but was in force before its `end_date`.
pub fn price_in_force(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    key: &PriceKey,
    on: NaiveDate,
) -> QueryResult<Option<PriceInForce>> {
    scope
        .facility_course_pricing()
        .filter(p::facility_id.eq(key.facility_id))
        .filter(p::course_id.eq(key.course_id))
        .filter(p::age_group.eq(&key.age_group))
        .filter(p::location_type.eq(&key.location_type))
        .filter(p::session_type.eq(&key.session_type))
        .filter(p::effective_date.le(on))
        .filter(p::end_date.is_null().or(p::end_date.gt(on)))
        .order(p::effective_date.desc())
        .select((p::id, p::facility_id, p::price, p::effective_date))
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

#[derive(Debug, Clone)]
pub struct FacilityPrice {
    pub facility_id: Uuid,
    pub facility_name: String,
    pub price: BigDecimal,
}

/// Active facilities with a price in force on `on` for the configuration, by name.
pub fn facilities_with_price(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    course_id: Uuid,
    age_group: &str,
    location_type: &str,
    session_type: &str,
    on: NaiveDate,
) -> QueryResult<Vec<FacilityPrice>> {
    let priced: Vec<(Uuid, BigDecimal)> = scope
        .facility_course_pricing()
        .filter(p::course_id.eq(course_id))
        .filter(p::age_group.eq(age_group))
        .filter(p::location_type.eq(location_type))
        .filter(p::session_type.eq(session_type))
        .filter(p::effective_date.le(on))
        .filter(p::end_date.is_null().or(p::end_date.gt(on)))
        .select((p::facility_id, p::price))
        .load(conn)?;
    let ids: Vec<Uuid> = priced.iter().map(|(id, _)| *id).collect();
    let names: Vec<(Uuid, String)> = scope
        .facilities()
        .filter(facilities::id.eq_any(ids))
        .filter(diesel::dsl::sql::<diesel::sql_types::Bool>(
            "facilities.status = 'active'",
        ))
        .order(facilities::name.asc())
        .select((facilities::id, facilities::name))
        .load(conn)?;
    Ok(names
        .into_iter()
        .filter_map(|(facility_id, facility_name)| {
            priced
                .iter()
                .find(|(id, _)| *id == facility_id)
                .map(|(_, price)| FacilityPrice {
                    facility_id,
                    facility_name,
                    price: price.clone(),
                })
        })
        .collect())
}
