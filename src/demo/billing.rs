//! Demo billing terms: the academic year around today in three terms, so a program that switches
//! to billing by term has terms to bill (the demo programs bill by calendar month). A program
//! that has terms is left alone.

use chrono::{Datelike, NaiveDate};
use diesel::prelude::*;
use uuid::Uuid;

use crate::schema::across_programs::billing_terms;

pub fn seed(conn: &mut PgConnection, program_id: Uuid, today: NaiveDate) -> QueryResult<()> {
    let existing: i64 = billing_terms::table
        .filter(billing_terms::program_id.eq(program_id))
        .count()
        .get_result(conn)?;
    if existing > 0 {
        return Ok(());
    }
    // The academic year starts in September.
    let year = if today.month() >= 9 {
        today.year()
    } else {
        today.year() - 1
    };
    let day = |y: i32, m: u32, d: u32| NaiveDate::from_ymd_opt(y, m, d).expect("a calendar day");
    let terms = [
        (
            format!("Autumn term {year}"),
            day(year, 9, 7),
            day(year, 12, 18),
        ),
        (
            format!("Spring term {}", year + 1),
            day(year + 1, 1, 11),
            day(year + 1, 4, 1),
        ),
        (
            format!("Summer term {}", year + 1),
            day(year + 1, 4, 19),
            day(year + 1, 7, 16),
        ),
    ];
    for (name, start, end) in terms {
        diesel::insert_into(billing_terms::table)
            .values((
                billing_terms::program_id.eq(program_id),
                billing_terms::name.eq(name),
                billing_terms::start_date.eq(start),
                billing_terms::end_date.eq(end),
            ))
            .execute(conn)?;
    }
    Ok(())
}
