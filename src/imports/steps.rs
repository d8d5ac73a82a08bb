//! The import's three steps without their pages: keep an uploaded file, judge its rows, write
//! them. The pages call them one by one; the benchmark (`bench-import`) times them.

use chrono::NaiveDate;
use diesel::{Connection, PgConnection};
use uuid::Uuid;

use super::{
    check::{self, CheckedRow},
    columns, file,
    model::{self, Import},
    write::{self, Done, OnDuplicate},
};
use crate::{
    access::ProgramScope,
    error::{AppError, AppResult},
};

/// A kept upload, and whether its columns need the user's eye before its preview.
pub struct Kept {
    pub id: Uuid,
    pub needs_columns: bool,
}

/// Reads `bytes` as CSV and keeps it as an import; a file that cannot be read is refused with
/// why, as the upload field's message, and nothing is kept.
pub fn upload(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    name: &str,
    bytes: &[u8],
) -> AppResult<Kept> {
    let table = file::read(bytes).map_err(|why| AppError::invalid("file", why))?;
    let (mapping, needs_columns) = columns::guess(&table.headers);
    let id = model::create(conn, scope, name, &table, &mapping)?;
    Ok(Kept { id, needs_columns })
}

/// The import with each of its rows judged (none once it is confirmed).
pub fn preview(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    id: Uuid,
    today: NaiveDate,
) -> AppResult<(Import, Vec<CheckedRow>)> {
    let mut import = model::find(conn, scope, id)?;
    if import.is_importing() && model::recover(conn, scope, id)? {
        import = model::find(conn, scope, id)?;
    }
    if import.status != model::ImportStatus::Previewing {
        return Ok((import, Vec::new()));
    }
    let checked = judge(conn, scope, &import, &import.fixes, today)?;
    Ok((import, checked))
}

/// The import's rows judged with `fixes` over the file's values.
pub fn judge(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    import: &Import,
    fixes: &check::Fixes,
    today: NaiveDate,
) -> AppResult<Vec<CheckedRow>> {
    let keys = check::lookup_keys(&import.rows, &import.mapping, fixes);
    let existing = model::existing(conn, scope, keys)?;
    Ok(check::check(
        &import.rows,
        &import.mapping,
        fixes,
        &existing,
        today,
    ))
}

/// Marks the import confirmed and writes it in one transaction, all or none; on a failure it
/// goes back to its preview with why. (The pages run the writing in a task of its own, with its
/// progress on a second connection: `background`.)
pub fn confirm(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    id: Uuid,
    on_duplicate: OnDuplicate,
    today: NaiveDate,
    progress: &mut dyn FnMut(usize, usize),
) -> AppResult<Done> {
    model::start(conn, scope, id)?;
    let written =
        conn.transaction(|conn| write::import(conn, scope, id, on_duplicate, today, progress));
    if let Err(e) = &written {
        model::failed(conn, scope, id, &write::why_nothing_was_imported(e))?;
    }
    written
}
