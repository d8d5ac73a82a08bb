//! `STU-YYYY-NNNN`: the year of creation and a number per year, zero-padded to four digits and
//! growing to five and more after 9999, never handed out twice.

use diesel::prelude::*;

use crate::schema::student_id_counters;

/// Takes the next number of `year` under the counter row's lock. Call it inside the transaction
/// that inserts the student: concurrent creations queue on the row, and a rolled-back creation
/// gives its number back with everything else, so no committed number repeats.
pub fn next(conn: &mut PgConnection, year: i32) -> QueryResult<String> {
    use student_id_counters::dsl as c;
    let number: i32 = diesel::insert_into(c::student_id_counters)
        .values((c::year.eq(year), c::last_number.eq(1)))
        .on_conflict(c::year)
        .do_update()
        .set(c::last_number.eq(c::last_number + 1))
        .returning(c::last_number)
        .get_result(conn)?;
    Ok(format(year, number))
}

pub fn format(year: i32, number: i32) -> String {
    format!("STU-{year}-{number:04}")
}

#[cfg(test)]
mod tests {
    use super::format;

    #[test]
    fn numbers_pad_to_four_digits_and_grow_past_9999() {
        assert_eq!(format(2026, 1), "STU-2026-0001");
        assert_eq!(format(2026, 9999), "STU-2026-9999");
        assert_eq!(format(2026, 10000), "STU-2026-10000");
    }
}
