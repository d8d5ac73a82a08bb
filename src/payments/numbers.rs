//! `RCT-YYYY-NNNNN`: a receipt number per program and year, handed out under the counter row's
//! lock inside the payment's transaction, never twice.

use diesel::prelude::*;

use crate::{access::ProgramScope, schema::receipt_counters as c};

pub fn next(conn: &mut PgConnection, scope: &ProgramScope, year: i32) -> QueryResult<String> {
    let n: i32 = c::insert()
        .values((
            c::program_id.eq(scope.program_id()),
            c::year.eq(year),
            c::last_number.eq(1),
        ))
        .on_conflict((c::program_id, c::year))
        .do_update()
        .set(c::last_number.eq(c::last_number + 1))
        .returning(c::last_number)
        .get_result(conn)?;
    Ok(format!("RCT-{year}-{n:05}"))
}
