//! The enrollment list of a program (filters, pages) and its CSV export.

use actix_web::{web, HttpResponse};
use askama::Template;
use serde::Deserialize;
use uuid::Uuid;

use super::{
    listing::{self, Filter, Names, DEFAULT_SORT, SORT_KEYS},
    EnrollmentLine, EnrollmentStatus,
};
use crate::{
    access::{permission::allows, Action, ProgramScope},
    db,
    error::{AppError, AppResult},
    web::{
        csv_export::CsvExport,
        keyset::{Cursor, CursorParams, KeysetPage},
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
        let lines = listing::page(conn, &scope, &filter, &cursor)?;
        let total = listing::total(conn, &scope, &filter)?;
        let (courses, facilities) = listing::names(conn, &scope)?;
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

/// CSV of the filtered enrollments, with the fee each agreed to, its discount, the fee after the
/// discount, and its notes.
pub async fn export(
    scope: ProgramScope,
    state: web::Data<AppState>,
    query: web::Query<ListQuery>,
) -> AppResult<HttpResponse> {
    let filter = query.filter()?;
    let program = scope.program_name().to_string();
    let lines = db::run(&state.pool, move |conn| listing::all(conn, &scope, &filter)).await?;
    let mut out = CsvExport::new(&[
        "student_id",
        "student",
        "course",
        "facility",
        "configuration",
        "agreed_fee",
        "discount",
        "fee",
        "status",
        "enrollment_date",
        "completion_date",
        "progress_percentage",
        "credits_awarded",
        "assignment_type",
        "notes",
    ])?;
    for l in &lines {
        out.row([
            l.student_code.as_str(),
            &l.student_sorted_name(),
            &l.course,
            &l.facility,
            &l.configuration,
            &l.agreed_fee.with_scale(2).to_string(),
            &l.discount.describe().unwrap_or_default(),
            &l.fee.with_scale(2).to_string(),
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
