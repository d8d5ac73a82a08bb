//! The program's activity page and its CSV (program admins and super admins).

use actix_web::{web, HttpResponse};
use askama::Template;
use chrono::{Days, NaiveDate};
use serde::Deserialize;
use uuid::Uuid;

use super::{
    activity::{self, Actor, Filter, Row},
    model::{table, Table, TABLES},
};
use crate::{
    access::ProgramScope,
    db,
    error::AppResult,
    web::{
        csv_export::CsvExport,
        form::FieldErrors,
        format,
        pagination::{query_string, PageRequest, Paginated},
        render_with_status, Shell,
    },
    AppState,
};

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ActivityQuery {
    /// A user's id, or "app".
    pub person: String,
    /// A table of `TABLES`.
    pub kind: String,
    pub from: String,
    pub to: String,
    pub page: Option<i64>,
}

impl ActivityQuery {
    /// The filter, or what is wrong with each field; days in the academy's time zone.
    fn filter(&self, zone: chrono_tz::Tz) -> Result<Filter, FieldErrors> {
        let mut errors = FieldErrors::new();
        let actor = match self.person.trim() {
            "" => None,
            "app" => Some(Actor::App),
            id => match id.parse::<Uuid>() {
                Ok(id) => Some(Actor::User(id)),
                Err(_) => {
                    errors.add("person", "Choose a person from the list.");
                    None
                }
            },
        };
        let table = match self.kind.trim() {
            "" => None,
            kind => match table(kind) {
                Some(t) => Some(t.name),
                None => {
                    errors.add("kind", "Choose a kind of record from the list.");
                    None
                }
            },
        };
        let mut day = |field: &'static str, value: &str| -> Option<NaiveDate> {
            let value = value.trim();
            if value.is_empty() {
                return None;
            }
            NaiveDate::parse_from_str(value, "%Y-%m-%d")
                .map_err(|_| errors.add(field, "Enter a date, e.g. 2026-12-01."))
                .ok()
        };
        let (from, to) = (day("from", &self.from), day("to", &self.to));
        if let (Some(from), Some(to)) = (from, to) {
            if to < from {
                errors.add("to", "The last day comes on or after the first.");
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Filter {
            actor,
            table,
            from: from.map(|d| activity::start_of(d, zone)),
            until: to.map(|d| activity::start_of(d + Days::new(1), zone)),
        })
    }
    fn base(&self) -> String {
        query_string(&[
            ("person", self.person.trim()),
            ("kind", self.kind.trim()),
            ("from", self.from.trim()),
            ("to", self.to.trim()),
        ])
    }
    fn filtered(&self) -> bool {
        !self.base().is_empty()
    }
}

#[derive(Template)]
#[template(path = "history/activity.html")]
struct ActivityPage {
    shell: Shell,
    query: ActivityQuery,
    people: Vec<(Uuid, String)>,
    pagination: Paginated<Row>,
    export_query: String,
    errors: FieldErrors,
    tz: chrono_tz::Tz,
}

impl ActivityPage {
    fn kinds(&self) -> &'static [Table] {
        TABLES
    }
    fn when(&self, row: &Row) -> String {
        format::date_time(row.entry.changed_at, self.tz)
    }
}

pub async fn list(
    shell: Shell,
    scope: ProgramScope,
    state: web::Data<AppState>,
    query: web::Query<ActivityQuery>,
) -> AppResult<HttpResponse> {
    let query = query.into_inner();
    let page = PageRequest::parse(query.page)?;
    let tz = state.config.time_zone;
    let filter = query.filter(tz);
    let wanted = filter.clone().ok();
    let (people, (rows, counted)) = db::run(&state.pool, move |conn| {
        let people = activity::people(conn, &scope)?;
        let found = match wanted {
            Some(filter) => activity::list(conn, &scope, &filter, Some(page))?,
            None => (Vec::new(), 0),
        };
        Ok((people, found))
    })
    .await?;
    let errors = filter.err().unwrap_or_default();
    let base = query.base();
    render_with_status(
        errors.status(),
        &ActivityPage {
            shell,
            export_query: base.clone(),
            query,
            people,
            pagination: Paginated::counted_past(rows, counted, page, base),
            errors,
            tz,
        },
    )
}

/// The filtered activity as CSV, newest first, up to `activity::CSV_ROWS` rows.
pub async fn export(
    scope: ProgramScope,
    state: web::Data<AppState>,
    query: web::Query<ActivityQuery>,
) -> AppResult<HttpResponse> {
    let tz = state.config.time_zone;
    let filter = query.filter(tz).map_err(crate::error::AppError::Invalid)?;
    let program = scope.program_name().to_string();
    let (rows, _) = db::run(&state.pool, move |conn| {
        Ok(activity::list(conn, &scope, &filter, None)?)
    })
    .await?;
    let mut out = CsvExport::new(&[
        "changed_at",
        "person",
        "record",
        "change",
        "record_id",
        "values",
    ])?;
    for row in &rows {
        let at = row.entry.changed_at.with_timezone(&tz).to_rfc3339();
        out.row([
            at.as_str(),
            row.entry.actor_name(),
            row.entry.what().as_str(),
            row.entry.action.as_str(),
            row.record_id.to_string().as_str(),
            row.entry.summary().as_str(),
        ])?;
    }
    out.into_response("activity", &program)
}
