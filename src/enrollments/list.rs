//! The enrollment list of a program (filters, pages) and its CSV export.

use std::collections::HashMap;

use actix_web::{web, HttpResponse};
use askama::Template;
use chrono::NaiveDate;
use diesel::{pg::Pg, prelude::*};
use serde::Deserialize;
use uuid::Uuid;

use super::{
    lines::{complete, Row, COLUMNS},
    EnrollmentLine, EnrollmentStatus,
};
use crate::{
    access::{permission::allows, Action, ProgramScope},
    db,
    error::{AppError, AppResult},
    schema::enrollments_named_in,
    schema::{course_enrollments as e, courses, facilities, students},
    web::{
        csv_export::CsvExport,
        keyset::{Cursor, CursorParams, KeysetPage, Total, COUNT_BOUND},
        pagination::query_string,
        render,
        sort::Sort,
        Shell,
    },
    AppState,
};

#[derive(Debug, Deserialize, Default, Clone)]
#[serde(default)]
pub struct ListQuery {
    pub q: String,
    pub course_id: String,
    pub facility_id: String,
    pub status: String,
    pub sort: String,
    #[serde(flatten)]
    pub cursor: CursorParams,
}

struct Filter {
    search: String,
    course_id: Option<Uuid>,
    facility_id: Option<Uuid>,
    status: Option<EnrollmentStatus>,
    sort: Sort,
}

impl ListQuery {
    fn filter(&self) -> AppResult<Filter> {
        let id = |raw: &str| match raw {
            "" => Ok(None),
            raw => raw
                .parse::<Uuid>()
                .map(Some)
                .map_err(|_| AppError::bad_request("Unknown filter value.")),
        };
        let status = match self.status.as_str() {
            "" => None,
            s => Some(
                s.parse::<EnrollmentStatus>()
                    .map_err(|_| AppError::bad_request("Unknown status filter."))?,
            ),
        };
        Ok(Filter {
            search: self.q.trim().chars().take(100).collect(),
            course_id: id(&self.course_id)?,
            facility_id: id(&self.facility_id)?,
            status,
            sort: self.order()?,
        })
    }

    fn order(&self) -> AppResult<Sort> {
        Sort::parse(&self.sort, SORT_KEYS, DEFAULT_SORT)
            .ok_or_else(|| AppError::bad_request("Unknown sort order."))
    }

    /// The list's query without its order, for the column headers.
    fn unsorted(&self) -> String {
        query_string(&[
            ("q", self.q.trim()),
            ("course_id", &self.course_id),
            ("facility_id", &self.facility_id),
            ("status", &self.status),
        ])
    }

    fn base(&self) -> String {
        let sort = self.order().unwrap_or(DEFAULT_SORT).param();
        match self.unsorted() {
            q if q.is_empty() => format!("sort={sort}"),
            q => format!("{q}&sort={sort}"),
        }
    }
}

type Boxed<'a> = diesel::dsl::IntoBoxed<'a, enrollments_named_in, Pg>;

/// The columns the list sorts by, each both ways; newest enrollment first by default.
const SORT_KEYS: &[&str] = &["date", "student", "course", "facility", "status"];
const DEFAULT_SORT: Sort = Sort::descending("date");

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
fn total(conn: &mut PgConnection, scope: &ProgramScope, filter: &Filter) -> QueryResult<Total> {
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

type Names = HashMap<Uuid, String>;

fn names(conn: &mut PgConnection, scope: &ProgramScope) -> QueryResult<(Names, Names)> {
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

#[derive(Template)]
#[template(path = "enrollments/list.html")]
struct ListPage {
    shell: Shell,
    pagination: KeysetPage<EnrollmentLine>,
    query: ListQuery,
    courses: Vec<(String, String)>,
    facilities: Vec<(String, String)>,
    statuses: &'static [EnrollmentStatus],
    can_export: bool,
    export_query: String,
}

impl ListPage {
    fn selected(&self, value: &str, chosen: &str) -> bool {
        value == chosen
    }
    fn sort(&self) -> Sort {
        self.query.order().unwrap_or(DEFAULT_SORT)
    }
}

fn sorted(map: Names) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = map
        .into_iter()
        .map(|(id, name)| (id.to_string(), name))
        .collect();
    out.sort_by(|a, b| a.1.cmp(&b.1));
    out
}

pub async fn list(
    shell: Shell,
    scope: ProgramScope,
    state: web::Data<AppState>,
    query: web::Query<ListQuery>,
) -> AppResult<HttpResponse> {
    let query = query.into_inner();
    let filter = query.filter()?;
    let cursor = Cursor::parse(&query.cursor)?;
    let (lines, total, courses, facilities) = db::run(&state.pool, move |conn| {
        let mut rows = matching(&scope, &filter);
        if let Some(key) = cursor.key() {
            rows = beyond(conn, &scope, rows, filter.sort, key, cursor.backward())?;
        }
        let rows: Vec<Row> = ordered(rows, filter.sort, cursor.backward())
            .select(COLUMNS)
            .limit(cursor.limit())
            .load(conn)?;
        let lines = complete(conn, &scope, rows)?;
        let total = total(conn, &scope, &filter)?;
        let (courses, facilities) = names(conn, &scope)?;
        Ok((lines, total, courses, facilities))
    })
    .await?;
    let base = query.base();
    let can_export = allows(shell.user.role, Action::ExportData);
    render(&ListPage {
        shell,
        pagination: KeysetPage::new(cursor, lines, total, base.clone()),
        query,
        courses: sorted(courses),
        facilities: sorted(facilities),
        statuses: EnrollmentStatus::ALL,
        can_export,
        export_query: base,
    })
}

/// CSV of the filtered enrollments, with the price each was made at (the price in force on its
/// enrollment date) and its notes.
pub async fn export(
    scope: ProgramScope,
    state: web::Data<AppState>,
    query: web::Query<ListQuery>,
) -> AppResult<HttpResponse> {
    let filter = query.filter()?;
    let program = scope.program_name().to_string();
    let lines = db::run(&state.pool, move |conn| {
        let rows: Vec<Row> = ordered(matching(&scope, &filter), filter.sort, false)
            .select(COLUMNS)
            .load(conn)?;
        Ok(complete(conn, &scope, rows)?)
    })
    .await?;
    let mut out = CsvExport::new(&[
        "student_id",
        "student",
        "course",
        "facility",
        "configuration",
        "price",
        "status",
        "enrollment_date",
        "completion_date",
        "progress_percentage",
        "credits_awarded",
        "assignment_type",
        "notes",
    ])?;
    for l in &lines {
        let price = l
            .price
            .as_ref()
            .map(|p| p.with_scale(2).to_string())
            .unwrap_or_default();
        out.row([
            l.student_code.as_str(),
            &l.student_sorted_name(),
            &l.course,
            &l.facility,
            &l.configuration,
            &price,
            l.status.as_str(),
            &l.enrollment_date.to_string(),
            &l.completion_date.map(|d| d.to_string()).unwrap_or_default(),
            &l.progress_percentage.to_string(),
            &l.credits_awarded.to_string(),
            l.assignment_type.as_str(),
            &l.notes,
        ])?;
    }
    out.into_response("enrollments", &program)
}
