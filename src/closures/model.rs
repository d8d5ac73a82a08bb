//! Closure rows and their statements, all starting from the request's `ProgramScope`.

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use chrono_tz::Tz;
use diesel::{pg::Pg, prelude::*};
use uuid::Uuid;

use crate::{
    access::ProgramScope,
    classes::{self, SessionStatus},
    error::AppResult,
    schema::{class_sessions, program_closures},
    web::{date_range::DateRange, form::check_version},
};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = program_closures, check_for_backend(Pg))]
pub struct ProgramClosure {
    pub id: Uuid,
    pub name: String,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub updated_at: DateTime<Utc>,
}

impl ProgramClosure {
    pub fn version(&self) -> String {
        crate::web::form::version(self.updated_at)
    }
    pub fn days(&self) -> i64 {
        (self.end_date - self.start_date).num_days() + 1
    }
}

/// Every closure of the program, the latest first.
pub fn list(conn: &mut PgConnection, scope: &ProgramScope) -> QueryResult<Vec<ProgramClosure>> {
    scope
        .program_closures()
        .order((
            program_closures::start_date.desc(),
            program_closures::id.asc(),
        ))
        .select(ProgramClosure::as_select())
        .limit(500)
        .load(conn)
}

/// Saves the closure and cancels the scheduled sessions of the program on its days (their reason
/// is the closure's name); how many were cancelled.
pub fn insert(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    c: &DateRange,
    zone: Tz,
) -> AppResult<usize> {
    program_closures::insert()
        .values((
            program_closures::program_id.eq(scope.program_id()),
            program_closures::name.eq(&c.name),
            program_closures::start_date.eq(c.start_date),
            program_closures::end_date.eq(c.end_date),
        ))
        .execute(conn)?;
    let from = classes::instant(c.start_date, NaiveTime::MIN, zone);
    let to = classes::instant(c.end_date + Duration::days(1), NaiveTime::MIN, zone);
    Ok(diesel::update(
        scope
            .class_sessions()
            .filter(class_sessions::status.eq(SessionStatus::Scheduled))
            .filter(class_sessions::starts_at.ge(from))
            .filter(class_sessions::starts_at.lt(to)),
    )
    .set((
        class_sessions::status.eq(SessionStatus::Cancelled),
        class_sessions::cancel_reason.eq(format!("Closed: {}", c.name)),
    ))
    .execute(conn)?)
}

/// Removes the closure; the sessions it cancelled stay cancelled (a coordinator may have told
/// families already), and patterns changed later generate on its days again.
pub fn delete(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    id: Uuid,
    version: &str,
) -> AppResult<String> {
    let closure: ProgramClosure = scope
        .program_closures()
        .filter(program_closures::id.eq(id))
        .select(ProgramClosure::as_select())
        .for_update()
        .first(conn)?;
    check_version(version, closure.updated_at, "This closure")?;
    diesel::delete(scope.program_closures().filter(program_closures::id.eq(id))).execute(conn)?;
    Ok(closure.name)
}
