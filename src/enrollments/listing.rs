//! The enrollment list's statements: the filtered enrollments, one page of them in any of its
//! orders (a keyset over the joined names, so a far page costs what the first does), every one
//! of them for the export, and the list's total.

use std::collections::HashMap;

use chrono::NaiveDate;
use diesel::{pg::Pg, prelude::*};
use uuid::Uuid;

use super::{
    lines::{complete, Row},
    EnrollmentLine, EnrollmentStatus,
};
use crate::{
    access::ProgramScope,
    error::AppResult,
    schema::enrollments_named_in,
    schema::{course_enrollments as e, courses, facilities, students},
    web::{
        keyset::{Cursor, Total, COUNT_BOUND},
        sort::Sort,
    },
};

/// What the list shows: its search, filters and order.
pub(super) struct Filter {
    pub search: String,
    pub course_id: Option<Uuid>,
    pub facility_id: Option<Uuid>,
    pub status: Option<EnrollmentStatus>,
    pub sort: Sort,
}

type Boxed<'a> = diesel::dsl::IntoBoxed<'a, enrollments_named_in, Pg>;

/// The columns the list sorts by, each both ways; newest enrollment first by default.
pub(super) const SORT_KEYS: &[&str] = &["date", "student", "course", "facility", "status"];
pub(super) const DEFAULT_SORT: Sort = Sort::descending("date");

/// The enrollments the filter selects, unordered.
fn matching<'a>(scope: &ProgramScope, filter: &Filter) -> Boxed<'a> {
    let mut query = scope.course_enrollments_named().into_boxed();
    if !filter.search.is_empty() {
        let found = crate::students::search(scope, &filter.search).select(students::id);
        query = query.filter(e::student_id.eq_any(found));
    }
    if let Some(id) = filter.course_id {
        query = query.filter(e::course_id.eq(id));
    }
    if let Some(id) = filter.facility_id {
        query = query.filter(e::facility_id.eq(id));
    }
    if let Some(status) = filter.status {
        query = query.filter(e::status.eq(status));
    }
    query
}

/// In `sort` order, or the other way round when reading backwards; every order ends on the
/// enrollment id, so the keyset below is exact.
fn ordered(query: Boxed<'_>, sort: Sort, backward: bool) -> Boxed<'_> {
    use crate::schema::{courses::name as course, facilities::name as facility};
    use students::{first_name, last_name};
    let (date, id) = (e::enrollment_date, e::id);
    match (sort.key, sort.descending == backward) {
        ("student", true) => query.order((last_name.asc(), first_name.asc(), id.asc())),
        ("student", false) => query.order((last_name.desc(), first_name.desc(), id.desc())),
        ("course", true) => query.order((course.asc(), date.asc(), id.asc())),
        ("course", false) => query.order((course.desc(), date.desc(), id.desc())),
        ("facility", true) => query.order((facility.asc(), date.asc(), id.asc())),
        ("facility", false) => query.order((facility.desc(), date.desc(), id.desc())),
        ("status", true) => query.order((e::status.asc(), date.asc(), id.asc())),
        ("status", false) => query.order((e::status.desc(), date.desc(), id.desc())),
        (_, true) => query.order((date.asc(), id.asc())),
        (_, false) => query.order((date.desc(), id.desc())),
    }
}

/// `(a, b, c)` after (`up`) or before the key's values, as ranges the index scans start from;
/// typed, so that the statement stays in Diesel's prepared-statement cache.
macro_rules! beyond3 {
    ($query:expr, $up:expr, ($a:expr, $x:expr), ($b:expr, $y:expr), ($c:expr, $z:expr)) => {
        if $up {
            $query.filter($a.ge($x.clone())).filter(
                $a.gt($x.clone()).or($a
                    .eq($x.clone())
                    .and($b.gt($y.clone()).or($b.eq($y).and($c.gt($z))))),
            )
        } else {
            $query.filter($a.le($x.clone())).filter(
                $a.lt($x.clone()).or($a
                    .eq($x.clone())
                    .and($b.lt($y.clone()).or($b.eq($y).and($c.lt($z))))),
            )
        }
    };
}

/// Rows beyond the enrollment `key` in list order; the key is read through the scope.
fn beyond<'a>(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    query: Boxed<'a>,
    sort: Sort,
    key: Uuid,
    backward: bool,
) -> AppResult<Boxed<'a>> {
    use crate::schema::{courses::name as course, facilities::name as facility};
    use students::{first_name, last_name};
    type KeyRow = (
        NaiveDate,
        EnrollmentStatus,
        String,
        String,
        String,
        String,
        Uuid,
    );
    let (day, status, last, first, course_name, facility_name, id): KeyRow = scope
        .course_enrollments_named()
        .filter(e::id.eq(key))
        .select((
            e::enrollment_date,
            e::status,
            last_name,
            first_name,
            course,
            facility,
            e::id,
        ))
        .first(conn)?;
    let up = sort.descending == backward;
    let date = e::enrollment_date;
    Ok(match sort.key {
        "student" => beyond3!(
            query,
            up,
            (last_name, last),
            (first_name, first),
            (e::id, id)
        ),
        "course" => beyond3!(query, up, (course, course_name), (date, day), (e::id, id)),
        "facility" => beyond3!(
            query,
            up,
            (facility, facility_name),
            (date, day),
            (e::id, id)
        ),
        "status" => beyond3!(query, up, (e::status, status), (date, day), (e::id, id)),
        _ if up => query
            .filter(date.ge(day))
            .filter(date.gt(day).or(e::id.gt(id))),
        _ => query
            .filter(date.le(day))
            .filter(date.lt(day).or(e::id.lt(id))),
    })
}

/// The filtered list's size: exact from the running counts unless a search narrows it.
pub(super) fn total(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    filter: &Filter,
) -> QueryResult<Total> {
    use crate::schema::enrollment_counts as c;
    if !filter.search.is_empty() {
        let counted = matching(scope, filter)
            .select(e::id)
            .limit(COUNT_BOUND + 1)
            .load::<Uuid>(conn)?
            .len();
        return Ok(Total::bounded(counted as i64));
    }
    let mut counts = scope
        .enrollment_counts()
        .select(c::enrollments)
        .into_boxed();
    if let Some(id) = filter.course_id {
        counts = counts.filter(c::course_id.eq(id));
    }
    if let Some(id) = filter.facility_id {
        counts = counts.filter(c::facility_id.eq(id));
    }
    if let Some(status) = filter.status {
        counts = counts.filter(c::status.eq(status));
    }
    Ok(Total::Exact(counts.load::<i64>(conn)?.into_iter().sum()))
}

pub(super) type Names = HashMap<Uuid, String>;

pub(super) fn names(conn: &mut PgConnection, scope: &ProgramScope) -> QueryResult<(Names, Names)> {
    let courses = scope
        .courses()
        .select((courses::id, courses::name))
        .load::<(Uuid, String)>(conn)?
        .into_iter()
        .collect();
    let facilities = scope
        .facilities()
        .select((facilities::id, facilities::name))
        .load::<(Uuid, String)>(conn)?
        .into_iter()
        .collect();
    Ok((courses, facilities))
}

/// The page of the list that `cursor` asks for.
pub(super) fn page(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    filter: &Filter,
    cursor: &Cursor,
) -> AppResult<Vec<EnrollmentLine>> {
    let mut rows = matching(scope, filter);
    if let Some(key) = cursor.key() {
        rows = beyond(conn, scope, rows, filter.sort, key, cursor.backward())?;
    }
    let rows: Vec<Row> = ordered(rows, filter.sort, cursor.backward())
        .select(Row::as_select())
        .limit(cursor.limit())
        .load(conn)?;
    complete(conn, scope, rows)
}

/// Every enrollment of the list, in its order (the export).
pub(super) fn all(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    filter: &Filter,
) -> AppResult<Vec<EnrollmentLine>> {
    let rows: Vec<Row> = ordered(matching(scope, filter), filter.sort, false)
        .select(Row::as_select())
        .load(conn)?;
    complete(conn, scope, rows)
}
