//! The `imports` table: an uploaded file kept, parsed, from upload to import; read and written
//! through the program's scope.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use super::{
    check::{Existing, Fixes},
    columns::Mapping,
    file::{FileRow, Table},
};
use crate::{
    access::ProgramScope,
    db::functions::lower,
    error::{AppError, AppResult},
    schema::{imports as i, sql_types, students as s},
};

crate::pg_enum! {
    /// `imports.status`: previewing (the mapping and preview can change), importing (confirmed,
    /// writing), imported (done, changes nothing more).
    pub enum ImportStatus: sql_types::ImportStatus {
        Previewing = "previewing",
        Importing = "importing",
        Imported = "imported",
    }
}

/// An import as its pages read it: the file's rows, how they map, what was fixed.
pub struct Import {
    pub id: Uuid,
    pub file_name: String,
    pub headers: Vec<String>,
    pub rows: Vec<FileRow>,
    pub mapping: Mapping,
    pub fixes: Fixes,
    pub status: ImportStatus,
    pub done: i32,
    pub total: i32,
    pub message: String,
}

impl Import {
    pub fn is_importing(&self) -> bool {
        self.status == ImportStatus::Importing
    }
    pub fn percent(&self) -> i32 {
        if self.total == 0 {
            0
        } else {
            (i64::from(self.done) * 100 / i64::from(self.total)) as i32
        }
    }
}

/// A line of the list of recent imports.
#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = i, check_for_backend(diesel::pg::Pg))]
pub struct ImportLine {
    pub id: Uuid,
    pub file_name: String,
    pub row_count: i32,
    pub status: ImportStatus,
    pub message: String,
    pub created_at: DateTime<Utc>,
}

type Row = (
    Uuid,
    String,
    serde_json::Value,
    serde_json::Value,
    serde_json::Value,
    serde_json::Value,
    ImportStatus,
    i32,
    i32,
    String,
);

fn json<T: serde::de::DeserializeOwned>(value: serde_json::Value) -> AppResult<T> {
    serde_json::from_value(value)
        .map_err(|e| AppError::internal(format!("an import's stored rows: {e}")))
}

fn json_of<T: serde::Serialize>(value: &T) -> serde_json::Value {
    serde_json::to_value(value).unwrap_or_default()
}

pub fn create(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    file_name: &str,
    table: &Table,
    mapping: &Mapping,
) -> QueryResult<Uuid> {
    i::insert()
        .values((
            i::program_id.eq(scope.program_id()),
            i::file_name.eq(file_name
                .chars()
                .filter(|c| !c.is_control())
                .take(255)
                .collect::<String>()),
            i::headers.eq(json_of(&table.headers)),
            i::rows.eq(json_of(&table.rows)),
            i::row_count.eq(i32::try_from(table.rows.len()).unwrap_or(i32::MAX)),
            i::mapping.eq(json_of(mapping)),
            i::created_by.eq(scope.actor_id()),
        ))
        .returning(i::id)
        .get_result(conn)
}

pub fn find(conn: &mut PgConnection, scope: &ProgramScope, id: Uuid) -> AppResult<Import> {
    let row: Row = scope
        .imports()
        .filter(i::id.eq(id))
        .select((
            i::id,
            i::file_name,
            i::headers,
            i::rows,
            i::mapping,
            i::fixes,
            i::status,
            i::done,
            i::total,
            i::message,
        ))
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound)?;
    let (id, file_name, headers, rows, mapping, fixes, status, done, total, message) = row;
    Ok(Import {
        id,
        file_name,
        headers: json(headers)?,
        rows: json(rows)?,
        mapping: json(mapping)?,
        fixes: json(fixes)?,
        status,
        done,
        total,
        message,
    })
}

/// The program's latest imports, newest first.
pub fn recent(conn: &mut PgConnection, scope: &ProgramScope) -> QueryResult<Vec<ImportLine>> {
    scope
        .imports()
        .order(i::created_at.desc())
        .limit(10)
        .select(ImportLine::as_select())
        .load(conn)
}

fn previewing(conn: &mut PgConnection, scope: &ProgramScope, id: Uuid) -> AppResult<()> {
    let status: ImportStatus = scope
        .imports()
        .filter(i::id.eq(id))
        .select(i::status)
        .for_update()
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound)?;
    if status != ImportStatus::Previewing {
        return Err(AppError::conflict(
            "This import was confirmed already; nothing was changed. Upload the file again to import it anew.",
        ));
    }
    Ok(())
}

pub fn set_mapping(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    id: Uuid,
    mapping: &Mapping,
) -> AppResult<()> {
    previewing(conn, scope, id)?;
    diesel::update(scope.imports().filter(i::id.eq(id)))
        .set((i::mapping.eq(json_of(mapping)), i::message.eq("")))
        .execute(conn)?;
    Ok(())
}

pub fn set_fixes(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    id: Uuid,
    fixes: &Fixes,
) -> AppResult<()> {
    previewing(conn, scope, id)?;
    diesel::update(scope.imports().filter(i::id.eq(id)))
        .set(i::fixes.eq(json_of(fixes)))
        .execute(conn)?;
    Ok(())
}

/// Marks a previewed import as importing (committed at once): a second confirmation, or one
/// racing it, finds it taken and changes nothing.
pub fn start(conn: &mut PgConnection, scope: &ProgramScope, id: Uuid) -> AppResult<()> {
    let taken = diesel::update(
        scope
            .imports()
            .filter(i::id.eq(id))
            .filter(i::status.eq(ImportStatus::Previewing)),
    )
    .set((
        i::status.eq(ImportStatus::Importing),
        i::done.eq(0),
        i::total.eq(0),
        i::message.eq(""),
    ))
    .execute(conn)?;
    if taken == 0 {
        previewing(conn, scope, id)?;
    }
    Ok(())
}

/// How far the import is (written on a connection of its own, outside the import's transaction).
pub fn report(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    id: Uuid,
    done: usize,
    total: usize,
) -> QueryResult<()> {
    diesel::update(scope.imports().filter(i::id.eq(id)))
        .set((
            i::done.eq(i32::try_from(done).unwrap_or(i32::MAX)),
            i::total.eq(i32::try_from(total).unwrap_or(i32::MAX)),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Done: written inside the import's own transaction, so it is imported exactly when its rows are.
pub fn finish(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    id: Uuid,
    message: &str,
) -> QueryResult<()> {
    diesel::update(scope.imports().filter(i::id.eq(id)))
        .set((
            i::status.eq(ImportStatus::Imported),
            i::done.eq(i::total),
            i::message.eq(message),
            i::finished_at.eq(diesel::dsl::now),
        ))
        .execute(conn)
        .map(|_| ())
}

/// The import stopped and wrote nothing: back to its preview, with why.
pub fn failed(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    id: Uuid,
    why: &str,
) -> QueryResult<()> {
    diesel::update(
        scope
            .imports()
            .filter(i::id.eq(id))
            .filter(i::status.eq(ImportStatus::Importing)),
    )
    .set((i::status.eq(ImportStatus::Previewing), i::message.eq(why)))
    .execute(conn)
    .map(|_| ())
}

diesel::define_sql_function! {
    /// SQL `pg_try_advisory_xact_lock(bigint)`.
    fn pg_try_advisory_xact_lock(key: diesel::sql_types::BigInt) -> diesel::sql_types::Bool;
}

diesel::define_sql_function! {
    /// SQL `hashtextextended(text, seed)`: an import's id as an advisory lock's key.
    fn hashtextextended(text: diesel::sql_types::Text, seed: diesel::sql_types::BigInt) -> diesel::sql_types::BigInt;
}

/// Taken by the transaction that writes the import `id`, for as long as it runs: a page that can
/// take it knows that nothing is writing that import.
pub fn hold_writing_lock(conn: &mut PgConnection, id: Uuid) -> QueryResult<()> {
    diesel::sql_query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))")
        .bind::<diesel::sql_types::Text, _>(id.to_string())
        .execute(conn)
        .map(|_| ())
}

/// An import marked importing that nothing is writing stopped before it finished (the server
/// restarted): its transaction rolled back, so it goes back to its preview. True when it did.
pub fn recover(conn: &mut PgConnection, scope: &ProgramScope, id: Uuid) -> QueryResult<bool> {
    conn.transaction(|conn| {
        let free: bool = diesel::select(pg_try_advisory_xact_lock(hashtextextended(id.to_string(), 0)))
            .get_result(conn)?;
        if !free {
            return Ok(false);
        }
        let reset = diesel::update(
            scope
                .imports()
                .filter(i::id.eq(id))
                .filter(i::status.eq(ImportStatus::Importing)),
        )
        .set((
            i::status.eq(ImportStatus::Previewing),
            i::message.eq("The import stopped before it finished (the server restarted) and wrote nothing. Check the rows and import again."),
        ))
        .execute(conn)?;
        Ok(reset > 0)
    })
}

/// The program's students a row may duplicate: same last name, or same email (lower case).
pub fn existing(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    (last_names, emails): (Vec<String>, Vec<String>),
) -> QueryResult<Vec<Existing>> {
    scope
        .students()
        .filter(
            lower(s::last_name)
                .eq_any(last_names)
                .or(lower(s::email.assume_not_null()).eq_any(emails)),
        )
        .select((
            s::id,
            s::student_id,
            s::first_name,
            s::last_name,
            s::email,
            s::date_of_birth,
        ))
        .load::<(
            Uuid,
            String,
            String,
            String,
            Option<String>,
            Option<chrono::NaiveDate>,
        )>(conn)
        .map(|rows| {
            rows.into_iter()
                .map(
                    |(id, student_id, first_name, last_name, email, date_of_birth)| Existing {
                        id,
                        student_id,
                        first_name,
                        last_name,
                        email,
                        date_of_birth,
                    },
                )
                .collect()
        })
}
