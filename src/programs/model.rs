//! Every statement about programs themselves (the table is the academy's, not a program's).

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use super::{defaults, form::ProgramCommand};
use crate::{
    error::{AppError, AppResult},
    schema::programs,
    web::{
        form::like_pattern,
        pagination::{total_count, PageRequest},
        sort::Sort,
    },
};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = programs)]
pub struct ProgramRow {
    pub id: Uuid,
    pub name: String,
    pub description: String,
    pub is_active: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl ProgramRow {
    pub fn version(&self) -> String {
        crate::web::form::version(self.updated_at)
    }
}

/// The list's columns it sorts by.
pub const SORT_KEYS: &[&str] = &["name", "status", "created"];

/// One page of programs matching `q` and `status` ("active", "archived" or any), in `sort`
/// order, each with the list's total.
pub fn page(
    conn: &mut PgConnection,
    (q, status): (&str, &str),
    sort: Sort,
    request: PageRequest,
) -> QueryResult<Vec<(ProgramRow, i64)>> {
    let mut select = programs::table.into_boxed();
    if !q.trim().is_empty() {
        let pattern = like_pattern(q);
        select = select.filter(
            programs::name
                .ilike(pattern.clone())
                .or(programs::description.ilike(pattern)),
        );
    }
    match status {
        "active" => select = select.filter(programs::is_active.eq(true)),
        "archived" => select = select.filter(programs::is_active.eq(false)),
        _ => {}
    }
    use programs::{created_at, id, is_active, name};
    select = match (sort.key, sort.descending) {
        ("created", false) => select.order((created_at.asc(), id.asc())),
        ("created", true) => select.order((created_at.desc(), id.asc())),
        // Active first, then archived.
        ("status", false) => select.order((is_active.desc(), name.asc())),
        ("status", true) => select.order((is_active.asc(), name.asc())),
        (_, false) => select.order((name.asc(), id.asc())),
        (_, true) => select.order((name.desc(), id.asc())),
    };
    select
        .select((ProgramRow::as_select(), total_count()))
        .limit(request.limit())
        .offset(request.offset())
        .load(conn)
}

/// A name another program has (names are unique case-insensitively).
pub fn name_taken(conn: &mut PgConnection, name: &str, except: Option<Uuid>) -> QueryResult<bool> {
    use crate::db::functions::lower;
    let n: i64 = programs::table
        .filter(lower(programs::name).eq(name.to_lowercase()))
        .filter(programs::id.ne(except.unwrap_or_default()))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

const NAME_TAKEN: &str = "Another program has that name.";

/// A new active program with the default reference data.
pub fn create(conn: &mut PgConnection, command: &ProgramCommand) -> AppResult<Uuid> {
    if name_taken(conn, &command.name, None)? {
        return Err(AppError::invalid("name", NAME_TAKEN));
    }
    let id: Uuid = diesel::insert_into(programs::table)
        .values((
            programs::name.eq(&command.name),
            programs::description.eq(&command.description),
            programs::is_active.eq(true),
        ))
        .returning(programs::id)
        .get_result(conn)?;
    defaults::install(conn, id)?;
    Ok(id)
}

pub fn find(conn: &mut PgConnection, id: Uuid) -> QueryResult<ProgramRow> {
    programs::table
        .find(id)
        .select(ProgramRow::as_select())
        .first(conn)
}

/// The program, locked for the rest of the transaction.
pub fn lock(conn: &mut PgConnection, id: Uuid) -> QueryResult<ProgramRow> {
    programs::table
        .find(id)
        .select(ProgramRow::as_select())
        .for_update()
        .first(conn)
}

pub fn update(conn: &mut PgConnection, id: Uuid, command: &ProgramCommand) -> AppResult<()> {
    if name_taken(conn, &command.name, Some(id))? {
        return Err(AppError::invalid("name", NAME_TAKEN));
    }
    diesel::update(programs::table.find(id))
        .set((
            programs::name.eq(&command.name),
            programs::description.eq(&command.description),
            programs::is_active.eq(command.is_active),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn set_active(conn: &mut PgConnection, id: Uuid, active: bool) -> QueryResult<()> {
    diesel::update(programs::table.find(id))
        .set(programs::is_active.eq(active))
        .execute(conn)?;
    Ok(())
}

/// Deletes the program; its age groups and session types (and nothing else) go with it.
pub fn delete(conn: &mut PgConnection, id: Uuid) -> QueryResult<()> {
    diesel::delete(programs::table.find(id)).execute(conn)?;
    Ok(())
}
