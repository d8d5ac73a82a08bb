//! The pricing matrix of a facility: rows are the program's active courses, columns the
//! configurations they offer, one table per location type. One request, a fixed number of queries.

use std::{collections::HashMap, sync::Arc};

use actix_web::{web, HttpResponse};
use askama::Template;
use bigdecimal::BigDecimal;
use chrono::NaiveDate;
use diesel::prelude::*;
use uuid::Uuid;

use super::{
    grid::{At, Grid, Label},
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
    web::{escaped::Escaped, format, render, Shell},
    AppState,
};

/// One cell: the key, its labels (for people and screen readers) and its active price. The
/// strings a row or column shares are shared (`Arc`), not copied per cell.
#[derive(Debug, Clone)]
pub struct CellView {
    pub facility_id: Uuid,
    /// `/facilities/<id>/pricing`, the start of every link of the cell.
    pub pricing_path: Escaped,
    pub course_id: Uuid,
    /// The course's id as text (its code) and its name.
    pub course: Label,
    pub age: Label,
    pub location: Label,
    pub session: Label,
    /// Whether the course offers this configuration at all.
    pub offered: bool,
    pub price: Option<BigDecimal>,
    /// The price as people read it (`₦15,000.00`), formatted once; empty without a price.
    price_text: String,
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
            age_group: self.age.code.to_string(),
            location_type: self.location.code.to_string(),
            session_type: self.session.code.to_string(),
        }
    }

    fn with_price(mut self, price: Option<BigDecimal>) -> Self {
        self.price_text = price.as_ref().map(format::money).unwrap_or_default();
        self.price = price;
        self
    }

    pub fn display(&self) -> &str {
        &self.price_text
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
    pub age_label: Arc<str>,
    pub session_label: Arc<str>,
}

pub struct AgeHead {
    pub label: Arc<str>,
    pub span: usize,
}

pub struct MatrixRow {
    pub course_id: Uuid,
    pub course_name: Arc<str>,
    pub cells: Vec<CellView>,
}

/// The part of the matrix of one location type.
pub struct LocationTable {
    pub code: Arc<str>,
    pub label: Arc<str>,
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
    let grid = Grid::new(&Offerings::load(conn, scope)?);
    let mut prices = grid.places::<(BigDecimal, lookup::Since)>();
    // Only the read-only matrix links a cell without a price to its earlier prices, so only it
    // reads the whole history; an editor's matrix opens the cell instead.
    let mut with_history = vec![false; grid.len()];
    for row in lookup::price_rows(conn, scope, facility_id, on, !editable)? {
        let Some(slot) = grid.slot_of(
            row.course_id,
            &row.age_group,
            &row.location_type,
            &row.session_type,
        ) else {
            continue;
        };
        with_history[slot] = true;
        let later = |(_, since): &(BigDecimal, lookup::Since)| *since <= row.since;
        if row.in_force && prices[slot].as_ref().is_none_or(later) {
            prices[slot] = Some((row.price, row.since));
        }
    }
    let pricing_path = pricing_path(facility_id);
    let mut matrix = Matrix {
        tables: Vec::new(),
        courses: grid.courses.len(),
        offered_cells: 0,
        priced_cells: 0,
    };
    for location in 0..grid.locations.len() {
        let table = location_table(&grid, location, |at, offered| {
            let slot = grid.slot(at);
            // Each slot is one cell, shown once: its price moves into the cell.
            let price = prices[slot].take().map(|(price, _)| price);
            if offered {
                matrix.offered_cells += 1;
                matrix.priced_cells += usize::from(price.is_some());
            }
            CellView {
                facility_id,
                pricing_path: pricing_path.clone(),
                course_id: grid.courses[at.course].0,
                course: grid.courses[at.course].1.clone(),
                age: grid.ages[at.age].clone(),
                location: grid.locations[at.location].clone(),
                session: grid.sessions[at.session].clone(),
                offered,
                price: None,
                price_text: String::new(),
                editable,
                focus: false,
                has_history: with_history[slot],
            }
            .with_price(price)
        });
        matrix.tables.extend(table);
    }
    Ok(matrix)
}

/// The table of one location type: the (age group, session type) columns some course offers
/// there, and a row per course that offers any of them; `None` when no course offers the location.
fn location_table(
    grid: &Grid,
    location: usize,
    mut cell: impl FnMut(At, bool) -> CellView,
) -> Option<LocationTable> {
    let at = |course, age, session| At {
        course,
        location,
        age,
        session,
    };
    let columns: Vec<(usize, usize)> = (0..grid.ages.len())
        .flat_map(|age| (0..grid.sessions.len()).map(move |session| (age, session)))
        .filter(|&(age, session)| {
            (0..grid.courses.len()).any(|course| grid.offered(at(course, age, session)))
        })
        .collect();
    if columns.is_empty() {
        return None;
    }
    let mut age_heads: Vec<AgeHead> = Vec::new();
    let mut last_age = None;
    for &(age, _) in &columns {
        if last_age == Some(age) {
            age_heads.last_mut().expect("pushed").span += 1;
        } else {
            age_heads.push(AgeHead {
                label: grid.ages[age].name.clone(),
                span: 1,
            });
            last_age = Some(age);
        }
    }
    let rows = (0..grid.courses.len())
        .filter(|&course| {
            columns
                .iter()
                .any(|&(age, session)| grid.offered(at(course, age, session)))
        })
        .map(|course| MatrixRow {
            course_id: grid.courses[course].0,
            course_name: grid.courses[course].1.name.clone(),
            cells: columns
                .iter()
                .map(|&(age, session)| {
                    let here = at(course, age, session);
                    cell(here, grid.offered(here))
                })
                .collect(),
        })
        .collect();
    Some(LocationTable {
        code: grid.locations[location].code.clone(),
        label: grid.locations[location].name.clone(),
        age_heads,
        columns: columns
            .iter()
            .map(|&(age, session)| ColumnHead {
                age_label: grid.ages[age].name.clone(),
                session_label: grid.sessions[session].name.clone(),
            })
            .collect(),
        rows,
    })
}

fn pricing_path(facility_id: Uuid) -> Escaped {
    Escaped::new(&format!("/facilities/{facility_id}/pricing"))
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
        pricing_path: pricing_path(key.facility_id),
        course_id: key.course_id,
        course: Label::new(&key.course_id.to_string(), &course_name),
        age: Label::new(&key.age_group, &labels.0),
        location: Label::new(
            &key.location_type,
            location_types::label(&key.location_type),
        ),
        session: Label::new(&key.session_type, &labels.1),
        offered: true,
        price: None,
        price_text: String::new(),
        editable,
        focus: false,
        has_history,
    }
    .with_price(price))
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
