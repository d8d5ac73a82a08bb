//! The program's activity: every recorded change of the program, newest first, filtered by
//! person, kind of record and days; a page at a time, or all of it (up to a cap) as CSV.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use super::model::{entry, raw_select, Entry, Raw};
use crate::{
    access::{ProgramScope, Role},
    schema::{history as h, user_program_assignments as a, users},
    web::pagination::PageRequest,
};

/// The most rows one CSV holds: narrow the days for more.
pub const CSV_ROWS: i64 = 100_000;

/// Whose changes: one user's, or the app's own (set-up, demo, commands).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actor {
    User(Uuid),
    App,
}

#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub actor: Option<Actor>,
    /// A table of `super::model::TABLES`.
    pub table: Option<&'static str>,
    /// From the start of the first day to the end of the last, in the academy's time zone.
    pub from: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
}

pub struct Row {
    pub entry: Entry,
    pub record_id: Uuid,
    /// The record's page, while it exists and has one.
    pub link: Option<String>,
}

/// One page of the filtered activity (counted up to one row past it), or all of it up to
/// `CSV_ROWS` when `page` is none.
pub fn list(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    filter: &Filter,
    page: Option<PageRequest>,
) -> QueryResult<(Vec<Row>, i64)> {
    let mut query = scope.history().into_boxed();
    match filter.actor {
        Some(Actor::User(id)) => query = query.filter(h::actor_id.eq(id)),
        Some(Actor::App) => query = query.filter(h::actor_id.is_null()),
        None => {}
    }
    if let Some(table) = filter.table {
        query = query.filter(h::table_name.eq(table));
    }
    if let Some(from) = filter.from {
        query = query.filter(h::changed_at.ge(from));
    }
    if let Some(until) = filter.until {
        query = query.filter(h::changed_at.lt(until));
    }
    let (limit, offset) = match page {
        Some(p) => (p.count_limit(), p.offset()),
        None => (CSV_ROWS, 0),
    };
    let ids: Vec<i64> = query
        .order(h::id.desc())
        .limit(limit)
        .select(h::id)
        .load(conn)?;
    let counted = ids.len() as i64;
    let shown: Vec<i64> = match page {
        Some(p) => ids
            .into_iter()
            .skip(offset as usize)
            .take(p.limit() as usize)
            .collect(),
        None => ids,
    };
    let rows: Vec<(Raw, Uuid)> = scope
        .history()
        .filter(h::id.eq_any(&shown))
        .order(h::id.desc())
        .select((raw_select!(), h::record_id))
        .load(conn)?;
    Ok((
        rows.into_iter()
            .map(|(raw, record_id)| {
                let entry = entry(raw);
                let link = entry.link(record_id);
                Row {
                    entry,
                    record_id,
                    link,
                }
            })
            .collect(),
        counted,
    ))
}

/// The people whose changes can be picked: the program's team and the super admins, by name.
pub fn people(conn: &mut PgConnection, scope: &ProgramScope) -> QueryResult<Vec<(Uuid, String)>> {
    users::table
        .filter(
            users::id
                .eq_any(scope.user_program_assignments().select(a::user_id))
                .or(users::role.eq(Role::SuperAdmin)),
        )
        .order((users::full_name, users::username))
        .select((users::id, users::full_name, users::username))
        .load::<(Uuid, String, String)>(conn)
        .map(|rows| {
            rows.into_iter()
                .map(|(id, name, username)| (id, if name.is_empty() { username } else { name }))
                .collect()
        })
}

/// The first instant of `day` in `zone`.
pub fn start_of(day: NaiveDate, zone: chrono_tz::Tz) -> DateTime<Utc> {
    crate::classes::instant(day, chrono::NaiveTime::MIN, zone)
}
