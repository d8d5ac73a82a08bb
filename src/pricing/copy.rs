//! The bulk changes of the matrix, as statements: copying every active price of another facility
//! of the program (optionally adjusted by a percentage), planned first for the preview; and one
//! price for a whole course row. The pages are `bulk`.

use std::collections::HashMap;

use bigdecimal::{BigDecimal, Signed, Zero};
use chrono::NaiveDate;
use diesel::prelude::*;
use uuid::Uuid;

use super::{
    lookup::PriceKey,
    price::parse_percent,
    store::{self, Change, Outcome},
    Price,
};
use crate::{
    access::ProgramScope,
    error::{AppError, AppResult},
    facilities::Facility,
    offerings::{location_label, ProgramOfferings},
    schema::{facilities, facility_course_pricing as fcp},
    web::{form::FieldErrors, format},
};

#[derive(Debug, Default, Clone, serde::Deserialize)]
#[serde(default)]
pub struct CopyParams {
    pub source_id: String,
    pub percent: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    New,
    Changes,
    Same,
}

pub struct CopyLine {
    pub key: PriceKey,
    pub course_name: String,
    pub age_label: String,
    pub location_label: String,
    pub session_label: String,
    pub current: Option<BigDecimal>,
    pub new: Price,
    pub kind: LineKind,
}

impl CopyLine {
    pub fn current_text(&self) -> String {
        self.current
            .as_ref()
            .map(format::money)
            .unwrap_or_else(|| "—".into())
    }
    pub fn kind_label(&self) -> &'static str {
        match self.kind {
            LineKind::New => "New price",
            LineKind::Changes => "Changes",
            LineKind::Same => "Already the same",
        }
    }
    pub fn kind_class(&self) -> &'static str {
        match self.kind {
            LineKind::New => "new",
            LineKind::Changes => "changes",
            LineKind::Same => "same",
        }
    }
}

pub struct CopyPlan {
    pub source: Facility,
    pub percent: BigDecimal,
    pub lines: Vec<CopyLine>,
}

impl CopyPlan {
    pub fn count(&self, kind: LineKind) -> usize {
        self.lines.iter().filter(|l| l.kind == kind).count()
    }
    pub fn is_adjusted(&self) -> bool {
        !self.percent.is_zero()
    }
    /// `+10%`, `-5.5%`.
    pub fn percent_text(&self) -> String {
        let sign = if self.percent.is_positive() { "+" } else { "" };
        format!("{sign}{}%", self.percent.normalized())
    }
    pub fn new_count(&self) -> usize {
        self.count(LineKind::New)
    }
    pub fn changes_count(&self) -> usize {
        self.count(LineKind::Changes)
    }
    pub fn same_count(&self) -> usize {
        self.count(LineKind::Same)
    }
}

fn active_prices(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    facility_id: Uuid,
) -> QueryResult<HashMap<(Uuid, String, String, String), BigDecimal>> {
    let rows: Vec<(Uuid, String, String, String, BigDecimal)> = scope
        .facility_course_pricing()
        .filter(fcp::facility_id.eq(facility_id))
        .filter(fcp::is_active.eq(true))
        .select((
            fcp::course_id,
            fcp::age_group,
            fcp::location_type,
            fcp::session_type,
            fcp::price,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(c, a, l, s, p)| ((c, a, l, s), p))
        .collect())
}

/// What copying `source_id` into `target_id` would do; refused (`AppError::Invalid`) with field
/// messages if the request is wrong.
pub fn plan(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    target_id: Uuid,
    params: &CopyParams,
) -> AppResult<CopyPlan> {
    let mut errors = FieldErrors::new();
    let percent = parse_percent(&params.percent)
        .map_err(|e| errors.add("percent", e))
        .ok();
    let source_id = params.source_id.trim().parse::<Uuid>().ok();
    let source = match source_id {
        Some(id) if id == target_id => {
            errors.add("source_id", "Choose another facility than this one.");
            None
        }
        Some(id) => match crate::facilities::find(conn, scope, id) {
            Ok(f) => Some(f),
            Err(AppError::NotFound) => {
                errors.add("source_id", "Choose a facility of this program.");
                None
            }
            Err(e) => return Err(e),
        },
        None => {
            errors.add("source_id", "Choose the facility to copy prices from.");
            None
        }
    };
    let (Some(source), Some(percent)) = (source, percent) else {
        return Err(errors.into());
    };
    let offerings = ProgramOfferings::load(conn, scope)?;
    let from = active_prices(conn, scope, source.id)?;
    let here = active_prices(conn, scope, target_id)?;
    let mut lines = Vec::new();
    for course in &offerings.courses {
        for (age, location, session) in offerings.configurations(course.id) {
            let index = (course.id, age.clone(), location.clone(), session.clone());
            let Some(source_price) = from.get(&index) else {
                continue;
            };
            let new = Price::from_decimal(source_price.clone())
                .and_then(|p| p.adjusted(&percent))
                .map_err(|e| {
                    format!(
                        "{} ({}, {}, {}): {} becomes invalid: {e}",
                        course.name,
                        offerings.choices.age_label(&age),
                        location_label(&location),
                        offerings.choices.session_label(&session),
                        format::money(source_price)
                    )
                });
            let new = match new {
                Ok(new) => new,
                Err(message) => {
                    errors.add("percent", message);
                    return Err(errors.into());
                }
            };
            let current = here.get(&index).cloned();
            let kind = match &current {
                None => LineKind::New,
                Some(c) if c == new.amount() => LineKind::Same,
                Some(_) => LineKind::Changes,
            };
            lines.push(CopyLine {
                key: PriceKey {
                    facility_id: target_id,
                    course_id: course.id,
                    age_group: age.clone(),
                    location_type: location.clone(),
                    session_type: session.clone(),
                },
                course_name: course.name.clone(),
                age_label: offerings.choices.age_label(&age),
                location_label: location_label(&location).to_string(),
                session_label: offerings.choices.session_label(&session),
                current,
                new,
                kind,
            });
        }
    }
    Ok(CopyPlan {
        source,
        percent,
        lines,
    })
}

/// Applies the copy: the source's name, how many prices changed and how many were copied. Call
/// in a transaction.
pub fn apply_copy(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    target_id: Uuid,
    params: &CopyParams,
    on: NaiveDate,
) -> AppResult<(String, usize, usize)> {
    crate::facilities::find(conn, scope, target_id)?;
    let plan = plan(conn, scope, target_id, params)?;
    let mut changed = 0;
    for line in &plan.lines {
        if store::apply(conn, scope, &line.key, &Change::Set(line.new.clone()), on)?
            != Outcome::Unchanged
        {
            changed += 1;
        }
    }
    Ok((plan.source.name, changed, plan.lines.len()))
}

pub fn other_facilities(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    target_id: Uuid,
) -> QueryResult<Vec<(Uuid, String)>> {
    scope
        .facilities()
        .filter(facilities::id.ne(target_id))
        .order((facilities::name.asc(), facilities::id.asc()))
        .select((facilities::id, facilities::name))
        .load(conn)
}

#[derive(Debug, Default, Clone, serde::Deserialize)]
#[serde(default)]
pub struct RowParams {
    pub course_id: String,
    pub price: String,
}

/// An active course with at least one configuration: (id, name, number of configurations).
type RowCourse = (Uuid, String, usize);

pub fn row_courses(
    conn: &mut PgConnection,
    scope: &ProgramScope,
) -> QueryResult<(ProgramOfferings, Vec<RowCourse>)> {
    let offerings = ProgramOfferings::load(conn, scope)?;
    let courses = offerings
        .courses
        .iter()
        .map(|c| (c.id, c.name.clone(), offerings.configurations(c.id).len()))
        .filter(|(_, _, n)| *n > 0)
        .collect();
    Ok((offerings, courses))
}

/// Sets `params.price` for every configuration the course offers at the facility: a message
/// saying what changed. Call in a transaction.
pub fn set_row(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    facility_id: Uuid,
    params: &RowParams,
    on: NaiveDate,
) -> AppResult<String> {
    let facility = crate::facilities::find(conn, scope, facility_id)?;
    let (offerings, courses) = row_courses(conn, scope)?;
    let mut errors = FieldErrors::new();
    let course = params
        .course_id
        .parse::<Uuid>()
        .ok()
        .and_then(|id| courses.iter().find(|(cid, _, _)| *cid == id).cloned());
    if course.is_none() {
        errors.add(
            "course_id",
            "Choose an active course of this program that offers at least one configuration.",
        );
    }
    let price = Price::parse(&params.price)
        .map_err(|e| errors.add("price", e))
        .ok();
    let (Some((course_id, course_name, _)), Some(price)) = (course, price) else {
        return Err(errors.into());
    };
    let mut changed = 0;
    let configurations = offerings.configurations(course_id);
    for (age_group, location_type, session_type) in &configurations {
        let key = PriceKey {
            facility_id,
            course_id,
            age_group: age_group.clone(),
            location_type: location_type.clone(),
            session_type: session_type.clone(),
        };
        if store::apply(conn, scope, &key, &Change::Set(price.clone()), on)? != Outcome::Unchanged {
            changed += 1;
        }
    }
    Ok(format!(
        "{course_name} at {}: {price} in all {} configurations ({changed} changed).",
        facility.name,
        configurations.len(),
    ))
}
