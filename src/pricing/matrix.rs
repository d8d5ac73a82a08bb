//! The pricing matrix of a facility: rows are the program's active courses, columns the
//! configurations they offer, one table per location type. One request, a fixed number of queries.

use std::collections::{HashMap, HashSet};

use actix_web::{web, HttpResponse};
use askama::Template;
use bigdecimal::BigDecimal;
use chrono::NaiveDate;
use diesel::prelude::*;
use uuid::Uuid;

use super::{
    lookup::{self, PriceKey},
    offer::Offerings,
};
use crate::{
    access::{permission::allows, Action, ProgramScope},
    db,
    error::AppResult,
    facilities::model::{self as facility_model, Facility},
    location_types::{self, LOCATION_TYPES},
    schema::{age_groups, courses, facility_course_pricing as fcp, session_types},
    web::{format, render, Shell},
    AppState,
};

/// One cell: the key, its labels (for people and screen readers) and its active price.
#[derive(Debug, Clone)]
pub struct CellView {
    pub facility_id: Uuid,
    pub course_id: Uuid,
    pub course_name: String,
    pub age_group: String,
    pub age_label: String,
    pub location_type: String,
    pub location_label: String,
    pub session_type: String,
    pub session_label: String,
    /// Whether the course offers this configuration at all.
    pub offered: bool,
    pub price: Option<BigDecimal>,
    pub editable: bool,
    /// Take the keyboard focus when swapped in (after a save or a cancel).
    pub focus: bool,
    /// Whether the cell ever had a price (so a reader can open its history even when empty).
    pub has_history: bool,
}

impl CellView {
    pub fn key(&self) -> PriceKey {
        PriceKey {
            facility_id: self.facility_id,
            course_id: self.course_id,
            age_group: self.age_group.clone(),
            location_type: self.location_type.clone(),
            session_type: self.session_type.clone(),
        }
    }

    /// The query string naming this cell.
    pub fn query(&self) -> String {
        serde_urlencoded::to_string([
            ("course_id", self.course_id.to_string().as_str()),
            ("age_group", &self.age_group),
            ("location_type", &self.location_type),
            ("session_type", &self.session_type),
        ])
        .unwrap_or_default()
    }

    pub fn display(&self) -> String {
        self.price.as_ref().map(format::money).unwrap_or_default()
    }

    /// What the cell is, for a screen reader.
    pub fn describe(&self) -> String {
        format!(
            "{}, {}, {}, {}: {}",
            self.course_name,
            self.age_label,
            self.location_label,
            self.session_label,
            self.price
                .as_ref()
                .map_or("no price".to_string(), format::money)
        )
    }

    /// The price as typed in the edit box (`15000.00`), or empty.
    pub fn plain(&self) -> String {
        self.price
            .as_ref()
            .map(|p| p.with_scale(2).to_string())
            .unwrap_or_default()
    }
}

pub struct ColumnHead {
    pub age_label: String,
    pub session_label: String,
}

pub struct AgeHead {
    pub label: String,
    pub span: usize,
}

pub struct MatrixRow {
    pub course_id: Uuid,
    pub course_name: String,
    pub cells: Vec<CellView>,
}

/// The part of the matrix of one location type.
pub struct LocationTable {
    pub code: String,
    pub label: String,
    pub age_heads: Vec<AgeHead>,
    pub columns: Vec<ColumnHead>,
    pub rows: Vec<MatrixRow>,
}

pub struct Matrix {
    pub tables: Vec<LocationTable>,
    pub courses: usize,
    pub offered_cells: usize,
    pub priced_cells: usize,
}

pub fn build(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    facility_id: Uuid,
    on: NaiveDate,
    editable: bool,
) -> QueryResult<Matrix> {
    let offerings = Offerings::load(conn, scope)?;
    let prices = lookup::prices_in_force(conn, scope, facility_id, on)?;
    // Only the read-only matrix links a cell without a price to its earlier prices; an editor's
    // matrix opens the cell instead, so it need not read the whole price history.
    let with_history: HashSet<(Uuid, String, String, String)> = if editable {
        HashSet::new()
    } else {
        scope
            .facility_course_pricing()
            .filter(fcp::facility_id.eq(facility_id))
            .select((
                fcp::course_id,
                fcp::age_group,
                fcp::location_type,
                fcp::session_type,
            ))
            .distinct()
            .load::<(Uuid, String, String, String)>(conn)?
            .into_iter()
            .collect()
    };
    let mut tables = Vec::new();
    let (mut offered_cells, mut priced_cells) = (0, 0);
    for (location, location_label) in LOCATION_TYPES {
        let mut columns: Vec<(&str, &str)> = Vec::new();
        for age in &offerings.age_groups {
            for session in &offerings.session_types {
                if offerings
                    .courses
                    .iter()
                    .any(|c| offerings.offers(c.id, &age.code, location, &session.code))
                {
                    columns.push((&age.code, &session.code));
                }
            }
        }
        if columns.is_empty() {
            continue;
        }
        let mut age_heads: Vec<AgeHead> = Vec::new();
        let mut last_age = "";
        for (age, _) in &columns {
            if *age == last_age {
                age_heads.last_mut().expect("pushed").span += 1;
            } else {
                age_heads.push(AgeHead {
                    label: offerings.age_label(age),
                    span: 1,
                });
                last_age = age;
            }
        }
        let mut rows = Vec::new();
        for course in &offerings.courses {
            if !columns
                .iter()
                .any(|(a, s)| offerings.offers(course.id, a, location, s))
            {
                continue;
            }
            let cells = columns
                .iter()
                .map(|(age, session)| {
                    let offered = offerings.offers(course.id, age, location, session);
                    let key = PriceKey {
                        facility_id,
                        course_id: course.id,
                        age_group: age.to_string(),
                        location_type: location.to_string(),
                        session_type: session.to_string(),
                    };
                    let price = prices.get(&key).map(|p| p.price.clone());
                    if offered {
                        offered_cells += 1;
                        priced_cells += usize::from(price.is_some());
                    }
                    CellView {
                        facility_id,
                        course_id: course.id,
                        course_name: course.name.clone(),
                        age_group: age.to_string(),
                        age_label: offerings.age_label(age),
                        location_type: location.to_string(),
                        location_label: location_label.to_string(),
                        session_type: session.to_string(),
                        session_label: offerings.session_label(session),
                        offered,
                        price,
                        editable,
                        focus: false,
                        has_history: with_history.contains(&(
                            course.id,
                            age.to_string(),
                            location.to_string(),
                            session.to_string(),
                        )),
                    }
                })
                .collect();
            rows.push(MatrixRow {
                course_id: course.id,
                course_name: course.name.clone(),
                cells,
            });
        }
        tables.push(LocationTable {
            code: location.to_string(),
            label: location_label.to_string(),
            age_heads,
            columns: columns
                .iter()
                .map(|(age, session)| ColumnHead {
                    age_label: offerings.age_label(age),
                    session_label: offerings.session_label(session),
                })
                .collect(),
            rows,
        });
    }
    Ok(Matrix {
        tables,
        courses: offerings.courses.len(),
        offered_cells,
        priced_cells,
    })
}

/// The cell of `key`, as the matrix shows it (after a save, a cancel, or for a single refresh).
pub fn cell(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    key: &PriceKey,
    on: NaiveDate,
    editable: bool,
) -> AppResult<CellView> {
    let course_name = super::offer::check_offered(conn, scope, key)?;
    let labels = Offerings::labels(conn, scope, &key.age_group, &key.session_type)?;
    let price = lookup::price_in_force(conn, scope, key, on)?.map(|p| p.price);
    let has_history = price.is_some()
        || scope
            .facility_course_pricing()
            .filter(fcp::facility_id.eq(key.facility_id))
            .filter(fcp::course_id.eq(key.course_id))
            .filter(fcp::age_group.eq(&key.age_group))
            .filter(fcp::location_type.eq(&key.location_type))
            .filter(fcp::session_type.eq(&key.session_type))
            .count()
            .get_result::<i64>(conn)?
            > 0;
    Ok(CellView {
        facility_id: key.facility_id,
        course_id: key.course_id,
        course_name,
        age_group: key.age_group.clone(),
        age_label: labels.0,
        location_type: key.location_type.clone(),
        location_label: location_types::label(&key.location_type).to_string(),
        session_type: key.session_type.clone(),
        session_label: labels.1,
        offered: true,
        price,
        editable,
        focus: false,
        has_history,
    })
}

#[derive(Template)]
#[template(path = "pricing/matrix.html")]
struct MatrixPage {
    shell: Shell,
    facility: Facility,
    matrix: Matrix,
    can_edit: bool,
}

pub async fn page(
    shell: Shell,
    scope: ProgramScope,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
) -> AppResult<HttpResponse> {
    let facility_id = path.into_inner();
    let can_edit = allows(shell.user.role, Action::EditPricing);
    let on = state.config.today();
    let (facility, matrix) = db::run(&state.pool, move |conn| {
        let facility = facility_model::find(conn, &scope, facility_id)?;
        let matrix = build(conn, &scope, facility_id, on, can_edit)?;
        Ok((facility, matrix))
    })
    .await?;
    render(&MatrixPage {
        shell,
        facility,
        matrix,
        can_edit,
    })
}

/// One price in force, for the facility page.
pub struct PriceLine {
    pub course_name: String,
    pub age_label: String,
    pub location_label: String,
    pub session_label: String,
    pub price: BigDecimal,
    pub effective_date: NaiveDate,
}

/// Prices of a facility in force on `on`, for the facility page: by course name, then location
/// type, age group and session type in the program's order. Four queries.
pub fn active_price_lines(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    facility_id: Uuid,
    on: NaiveDate,
) -> AppResult<Vec<PriceLine>> {
    let prices = lookup::prices_in_force(conn, scope, facility_id, on)?;
    let ids: Vec<Uuid> = prices.keys().map(|k| k.course_id).collect();
    let names: HashMap<Uuid, String> = scope
        .courses()
        .filter(courses::id.eq_any(&ids))
        .select((courses::id, courses::name))
        .load::<(Uuid, String)>(conn)?
        .into_iter()
        .collect();
    let ages: Vec<(String, String)> = scope
        .age_groups()
        .order((age_groups::min_age.asc(), age_groups::code.asc()))
        .select((age_groups::code, age_groups::name))
        .load(conn)?;
    let sessions: Vec<(String, String)> = scope
        .session_types()
        .order((session_types::capacity.asc(), session_types::code.asc()))
        .select((session_types::code, session_types::name))
        .load(conn)?;
    let position = |list: &[(String, String)], code: &str| {
        list.iter()
            .position(|(c, _)| c == code)
            .unwrap_or(usize::MAX)
    };
    let label = |list: &[(String, String)], code: &str| {
        list.iter()
            .find(|(c, _)| c == code)
            .map_or_else(|| code.to_string(), |(_, name)| name.clone())
    };
    let location_order = |code: &str| {
        LOCATION_TYPES
            .iter()
            .position(|(c, _)| *c == code)
            .unwrap_or(usize::MAX)
    };
    let mut keyed: Vec<_> = prices.into_iter().collect();
    keyed.sort_by_cached_key(|(key, _)| {
        (
            names.get(&key.course_id).map(|n| n.to_lowercase()),
            key.course_id,
            location_order(&key.location_type),
            position(&ages, &key.age_group),
            position(&sessions, &key.session_type),
        )
    });
    Ok(keyed
        .into_iter()
        .map(|(key, in_force)| PriceLine {
            course_name: names.get(&key.course_id).cloned().unwrap_or_default(),
            age_label: label(&ages, &key.age_group),
            location_label: location_types::label(&key.location_type).to_string(),
            session_label: label(&sessions, &key.session_type),
            price: in_force.price,
            effective_date: in_force.effective_date,
        })
        .collect())
}
