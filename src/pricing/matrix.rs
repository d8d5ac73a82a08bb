//! The pricing matrix of a facility: rows are the program's active courses, columns the
//! configurations they offer, one table per location type. One request, a fixed number of queries.

use std::{collections::HashMap, sync::Arc};

use bigdecimal::BigDecimal;
use chrono::NaiveDate;
use diesel::prelude::*;
use uuid::Uuid;

use super::{
    grid::{At, Grid, Label},
    lookup::{self, PriceKey},
    placed,
};
use crate::{
    access::ProgramScope,
    error::AppResult,
    offerings::{location_label, Choice, Choices, ProgramOfferings},
    schema::{courses, facility_course_pricing as fcp},
    web::{
        escaped::Escaped,
        format::{self, MoneyOrBlank},
    },
};

/// A cell as a template writes it: its labels (for people and screen readers, borrowed from the
/// grid that holds them once) and its active price.
#[derive(Debug, Clone)]
pub struct CellView<'a> {
    /// `/facilities/<id>/pricing`, the start of every link of the cell.
    pub pricing_path: &'a Escaped,
    /// The course's id as text (its code) and its name.
    pub course: &'a Label,
    pub age: &'a Label,
    pub location: &'a Label,
    pub session: &'a Label,
    /// Whether the course offers this configuration at all.
    pub offered: bool,
    /// The price in force, in kobo.
    pub price: Option<i64>,
    pub editable: bool,
    /// Take the keyboard focus when swapped in (after a save or a cancel).
    pub focus: bool,
    /// Whether the cell ever had a price (so a reader can open its history even when empty).
    pub has_history: bool,
}

impl CellView<'_> {
    /// The cell taking the keyboard focus when swapped in.
    pub fn focused(self) -> Self {
        Self {
            focus: true,
            ..self
        }
    }

    /// The price as people read it (`₦15,000.00`, empty without a price), written straight into
    /// the page.
    pub fn display(&self) -> MoneyOrBlank {
        MoneyOrBlank(self.price)
    }

    /// The price as typed in the edit box (`15000.00`), or empty.
    pub fn plain(&self) -> String {
        self.price
            .map(|kobo| format!("{}.{:02}", kobo / 100, kobo % 100))
            .unwrap_or_default()
    }
}

/// One cell of a built matrix: its place in the grid and what it shows. The labels it shares with
/// its row and column stay in the matrix (`Matrix::view`), so a cell is a few plain values.
#[derive(Debug, Clone, Copy)]
pub struct Cell {
    at: At,
    offered: bool,
    price: Option<i64>,
    has_history: bool,
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
    pub cells: Vec<Cell>,
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
    grid: Grid,
    pricing_path: Escaped,
    editable: bool,
    pub tables: Vec<LocationTable>,
    pub courses: usize,
    pub offered_cells: usize,
    pub priced_cells: usize,
}

impl Matrix {
    /// The cell with its labels, for the template.
    pub fn view(&self, cell: &Cell) -> CellView<'_> {
        let grid = &self.grid;
        CellView {
            pricing_path: &self.pricing_path,
            course: &grid.courses[cell.at.course].1,
            age: &grid.ages[cell.at.age],
            location: &grid.locations[cell.at.location],
            session: &grid.sessions[cell.at.session],
            offered: cell.offered,
            price: cell.price,
            editable: self.editable,
            focus: false,
            has_history: cell.has_history,
        }
    }
}

pub fn build(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    facility_id: Uuid,
    on: NaiveDate,
    editable: bool,
) -> QueryResult<Matrix> {
    let grid = Grid::new(&ProgramOfferings::load(conn, scope)?);
    let mut prices = grid.places::<(i64, placed::Since)>();
    // Only the read-only matrix links a cell without a price to its earlier prices, so only it
    // reads the whole history; an editor's matrix opens the cell instead.
    let mut with_history = vec![false; grid.len()];
    for row in placed::load(conn, scope, facility_id, on, !editable, &grid)? {
        with_history[row.slot] = true;
        let later = |(_, since): &(i64, placed::Since)| *since <= row.since;
        if row.in_force && prices[row.slot].as_ref().is_none_or(later) {
            prices[row.slot] = Some((row.kobo, row.since));
        }
    }
    let mut tables = Vec::new();
    let (mut offered_cells, mut priced_cells) = (0, 0);
    for location in 0..grid.locations.len() {
        let table = location_table(&grid, location, |at, offered| {
            let slot = grid.slot(at);
            let price = prices[slot].map(|(kobo, _)| kobo);
            if offered {
                offered_cells += 1;
                priced_cells += usize::from(price.is_some());
            }
            Cell {
                at,
                offered,
                price,
                has_history: with_history[slot],
            }
        });
        tables.extend(table);
    }
    Ok(Matrix {
        courses: grid.courses.len(),
        grid,
        pricing_path: pricing_path(facility_id),
        editable,
        tables,
        offered_cells,
        priced_cells,
    })
}

/// The table of one location type: the (age group, session type) columns some course offers
/// there, and a row per course that offers any of them; `None` when no course offers the location.
fn location_table(
    grid: &Grid,
    location: usize,
    mut cell: impl FnMut(At, bool) -> Cell,
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

/// A cell read on its own (to edit it, after a save or a cancel), with the labels its view
/// borrows.
pub struct SingleCell {
    pricing_path: Escaped,
    course: Label,
    age: Label,
    location: Label,
    session: Label,
    price: Option<i64>,
    editable: bool,
    has_history: bool,
}

impl SingleCell {
    pub fn view(&self) -> CellView<'_> {
        CellView {
            pricing_path: &self.pricing_path,
            course: &self.course,
            age: &self.age,
            location: &self.location,
            session: &self.session,
            offered: true,
            price: self.price,
            editable: self.editable,
            focus: false,
            has_history: self.has_history,
        }
    }
}

/// The cell of `key`, as the matrix shows it (after a save, a cancel, or for a single refresh).
pub fn cell(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    key: &PriceKey,
    on: NaiveDate,
    editable: bool,
) -> AppResult<SingleCell> {
    let course_name = super::offer::check_offered(conn, scope, key)?;
    let choices = Choices::load(conn, scope)?;
    let price = lookup::price_in_force(conn, scope, key, on)?.map(|p| format::kobo(&p.price));
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
    Ok(SingleCell {
        pricing_path: pricing_path(key.facility_id),
        course: Label::new(&key.course_id.to_string(), &course_name),
        age: Label::new(&key.age_group, &choices.age_label(&key.age_group)),
        location: Label::new(&key.location_type, location_label(&key.location_type)),
        session: Label::new(&key.session_type, &choices.session_label(&key.session_type)),
        price,
        editable,
        has_history,
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
    let choices = Choices::load(conn, scope)?;
    let position = |list: &[Choice], code: &str| {
        list.iter()
            .position(|c| c.code == code)
            .unwrap_or(usize::MAX)
    };
    let mut keyed: Vec<_> = prices.into_iter().collect();
    keyed.sort_by_cached_key(|(key, _)| {
        (
            names.get(&key.course_id).map(|n| n.to_lowercase()),
            key.course_id,
            position(&choices.location_types, &key.location_type),
            position(&choices.age_groups, &key.age_group),
            position(&choices.session_types, &key.session_type),
        )
    });
    Ok(keyed
        .into_iter()
        .map(|(key, in_force)| PriceLine {
            course_name: names.get(&key.course_id).cloned().unwrap_or_default(),
            age_label: choices.age_label(&key.age_group),
            location_label: location_label(&key.location_type).to_string(),
            session_label: choices.session_label(&key.session_type),
            price: in_force.price,
            effective_date: in_force.effective_date,
        })
        .collect())
}
