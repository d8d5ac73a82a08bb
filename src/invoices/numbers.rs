//! `INV-YYYY-NNNNN`: a number per program, kind and year, zero-padded to five digits, handed out
//! under the counter row's lock and never twice.

use diesel::prelude::*;

use super::InvoiceKind;
use crate::{access::ProgramScope, schema::invoice_counters as c};

/// Reserves `count` consecutive numbers of `year` (call it inside the transaction that inserts
/// the invoices: concurrent runs queue on the row, and a rolled-back run gives its numbers back
/// with everything else, so no committed number repeats). The numbers, in order.
pub fn reserve(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    kind: InvoiceKind,
    year: i32,
    count: i32,
) -> QueryResult<Vec<String>> {
    let last: i32 = c::insert()
        .values((
            c::program_id.eq(scope.program_id()),
            c::kind.eq(kind),
            c::year.eq(year),
            c::last_number.eq(count),
        ))
        .on_conflict((c::program_id, c::kind, c::year))
        .do_update()
        .set(c::last_number.eq(c::last_number + count))
        .returning(c::last_number)
        .get_result(conn)?;
    Ok((last - count + 1..=last)
        .map(|n| format(kind, year, n))
        .collect())
}

pub fn format(kind: InvoiceKind, year: i32, number: i32) -> String {
    format!("{}-{year}-{number:05}", kind.prefix())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_pad_to_five_digits_and_grow_past_99999() {
        assert_eq!(format(InvoiceKind::Invoice, 2026, 1), "INV-2026-00001");
        assert_eq!(
            format(InvoiceKind::CreditNote, 2027, 123456),
            "CRN-2027-123456"
        );
    }
}
