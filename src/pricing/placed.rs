//! The price rows of a facility placed in a matrix's grid: the database answers each row's cell by
//! position and its price in kobo, so the matrix builds no key, string or decimal per row.

use bigdecimal::BigDecimal;
use chrono::{DateTime, NaiveDate, Utc};
use diesel::{
    prelude::*,
    sql_types::{Array, Numeric, SingleValue},
};
use uuid::Uuid;

use super::{
    grid::{At, Grid, Label},
    lookup::in_force_on,
};
use crate::{access::ProgramScope, schema::facility_course_pricing as fcp};

/// One price row of a facility, for the matrix: the grid slot of its cell, its price in kobo,
/// whether it is in force and since when.
pub struct PlacedPrice {
    pub slot: usize,
    pub kobo: i64,
    pub in_force: bool,
    pub since: Since,
}

/// A row's `effective_date` and `created_at`: where a cell has more than one row in force, the
/// latest by these is its price.
pub type Since = (NaiveDate, DateTime<Utc>);

diesel::define_sql_function! {
    /// The 1-based place of `element` in `array`, or null.
    fn array_position<T: SingleValue>(array: Array<T>, element: T) -> Nullable<Integer>;
}

diesel::define_sql_function! {
    /// PostgreSQL's cast of a numeric to a bigint (rounding to a whole number).
    fn int8(number: Numeric) -> BigInt;
}

/// The price rows of a facility whose cell is in `grid`, in no particular order: only those in
/// force on `on`, or with `history` every row ever saved, each saying whether it is in force.
///
/// One query either way, and the database does the decoding work a matrix would otherwise do per
/// row: it names each row's place in the grid by position (no codes to copy and compare) and its
/// price in kobo (no decimal to build). Unsorted: sorting a facility's rows cost the database a
/// third of the query, and the caller picks each cell's latest row by `since` as it goes.
pub fn load(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    facility_id: Uuid,
    on: NaiveDate,
    history: bool,
    grid: &Grid,
) -> QueryResult<Vec<PlacedPrice>> {
    let codes =
        |labels: &[Label]| -> Vec<String> { labels.iter().map(|l| l.code.to_string()).collect() };
    let course_ids: Vec<Uuid> = grid.courses.iter().map(|(id, _)| *id).collect();
    let mut query = scope
        .facility_course_pricing()
        .filter(fcp::facility_id.eq(facility_id))
        .select((
            array_position(course_ids, fcp::course_id),
            array_position(codes(&grid.locations), fcp::location_type),
            array_position(codes(&grid.ages), fcp::age_group),
            array_position(codes(&grid.sessions), fcp::session_type),
            int8(fcp::price * BigDecimal::from(100)),
            in_force_on(on),
            fcp::effective_date,
            fcp::created_at,
        ))
        .into_boxed();
    if !history {
        query = query.filter(in_force_on(on));
    }
    type Row = (
        Option<i32>,
        Option<i32>,
        Option<i32>,
        Option<i32>,
        i64,
        Option<bool>,
        NaiveDate,
        DateTime<Utc>,
    );
    // 1-based and null where the code is not in the grid, as `array_position` answers.
    let index = |place: Option<i32>| usize::try_from(place?).ok()?.checked_sub(1);
    Ok(query
        .load::<Row>(conn)?
        .into_iter()
        .filter_map(
            |(course, location, age, session, kobo, in_force, from, saved)| {
                let at = At {
                    course: index(course)?,
                    location: index(location)?,
                    age: index(age)?,
                    session: index(session)?,
                };
                Some(PlacedPrice {
                    slot: grid.slot(at),
                    kobo,
                    // SQL types the rule nullable; it is never null (`end_date IS NULL OR ...`).
                    in_force: in_force.unwrap_or(false),
                    since: (from, saved),
                })
            },
        )
        .collect())
}
