//! `STU-YYYY-NNNN`: the year of creation and a number per year, zero-padded to four digits and
//! growing to five and more after 9999, never handed out twice.

use diesel::prelude::*;

use crate::schema::student_id_counters;

/// Takes the next number of `year` under the counter row's lock. Call it inside the transaction
/// that inserts the student: concurrent creations queue on the row, and a rolled-back creation
/// gives its number back with everything else, so no committed number repeats.
pub fn next(conn: &mut PgConnection, year: i32) -> QueryResult<String> {
    Ok(reserve(conn, year, 1)?.remove(0))
}

/// Takes the next `count` numbers of `year` at once, in order (an import's block, one lock).
pub fn reserve(conn: &mut PgConnection, year: i32, count: usize) -> QueryResult<Vec<String>> {
    use student_id_counters::dsl as c;
    let count = i32::try_from(count.max(1)).unwrap_or(i32::MAX);
    let last: i32 = diesel::insert_into(c::student_id_counters)
        .values((c::year.eq(year), c::last_number.eq(count)))
        .on_conflict(c::year)
        .do_update()
        .set(c::last_number.eq(c::last_number + count))
        .returning(c::last_number)
        .get_result(conn)?;
    Ok((last - count + 1..=last).map(|n| format(year, n)).collect())
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
