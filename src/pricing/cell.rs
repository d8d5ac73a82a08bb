//! One cell of the matrix, over htmx: its display, its edit box, and saving it. Every answer is
//! just that cell's `<td>`, which htmx swaps in place.

use actix_web::{http::StatusCode, web, HttpResponse};
use askama::Template;
use serde::Deserialize;
use uuid::Uuid;

use super::{
    lookup::PriceKey,
    matrix::{self, CellView, SingleCell},
    store::{self, Change},
    Price,
};
use crate::{
    access::{permission::allows, Action, CurrentUser, ProgramScope},
    db,
    error::{AppError, AppResult},
    facilities,
    web::{render, render_with_status},
    AppState,
};

/// The fields naming a cell (query of a GET, fields of the POST).
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct CellParams {
    pub course_id: String,
    pub age_group: String,
    pub location_type: String,
    pub session_type: String,
}

impl CellParams {
    /// The key of the cell; a malformed course id is a course that does not exist.
    pub fn key(&self, facility_id: Uuid) -> AppResult<PriceKey> {
        let course_id = self
            .course_id
            .trim()
            .parse::<Uuid>()
            .map_err(|_| AppError::NotFound)?;
        if self.age_group.is_empty()
            || self.location_type.is_empty()
            || self.session_type.is_empty()
        {
            return Err(AppError::bad_request(
                "Name the age group, location type and session type of the price.",
            ));
        }
        Ok(PriceKey {
            facility_id,
            course_id,
            age_group: self.age_group.clone(),
            location_type: self.location_type.clone(),
            session_type: self.session_type.clone(),
        })
    }
}

#[derive(Template)]
#[template(path = "pricing/cell.html")]
pub struct CellFragment<'a> {
    pub cell: CellView<'a>,
}

/// The answer to a saved cell: the cell, and "Saved" in the page's message region.
#[derive(Template)]
#[template(path = "pricing/cell_saved.html")]
pub struct SavedCellFragment<'a> {
    pub cell: CellView<'a>,
}

#[derive(Template)]
#[template(path = "pricing/cell_edit.html")]
pub struct CellEditFragment<'a> {
    pub cell: CellView<'a>,
    pub value: String,
    pub error: String,
}

/// The cell as the matrix shows it (also what Escape brings back).
pub async fn show(
    user: CurrentUser,
    scope: ProgramScope,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
    query: web::Query<CellParams>,
) -> AppResult<HttpResponse> {
    let key = query.key(path.into_inner())?;
    let editable = allows(user.role, Action::EditPricing);
    let single = load_cell(&state, scope, key, editable).await?;
    render(&CellFragment {
        cell: single.view().focused(),
    })
}

/// The edit box of a cell.
pub async fn edit(
    scope: ProgramScope,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
    query: web::Query<CellParams>,
) -> AppResult<HttpResponse> {
    let key = query.key(path.into_inner())?;
    let single = load_cell(&state, scope, key, true).await?;
    let cell = single.view();
    render(&CellEditFragment {
        value: cell.plain(),
        cell,
        error: String::new(),
    })
}

async fn load_cell(
    state: &AppState,
    scope: ProgramScope,
    key: PriceKey,
    editable: bool,
) -> AppResult<SingleCell> {
    let on = state.config.today();
    db::run(&state.pool, move |conn| {
        facilities::find(conn, &scope, key.facility_id)?;
        matrix::cell(conn, &scope, &key, on, editable)
    })
    .await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SaveForm {
    pub course_id: String,
    pub age_group: String,
    pub location_type: String,
    pub session_type: String,
    /// The new price; empty ends the active price.
    pub price: String,
}

/// Saves a cell: a new price (the old one ends), or an empty one (the price ends).
pub async fn save(
    scope: ProgramScope,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
    form: web::Form<SaveForm>,
) -> AppResult<HttpResponse> {
    let form = form.into_inner();
    let params = CellParams {
        course_id: form.course_id.clone(),
        age_group: form.age_group.clone(),
        location_type: form.location_type.clone(),
        session_type: form.session_type.clone(),
    };
    let key = params.key(path.into_inner())?;
    let typed = form.price.trim().to_string();
    let change = if typed.is_empty() {
        Change::Clear
    } else {
        match Price::parse(&typed) {
            Ok(price) => Change::Set(price),
            Err(message) => {
                let single = load_cell(&state, scope, key, true).await?;
                return render_with_status(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    &CellEditFragment {
                        cell: single.view(),
                        value: typed,
                        error: message,
                    },
                );
            }
        }
    };
    let on = state.config.today();
    let (scope2, key2) = (scope.clone(), key.clone());
    let saved = db::transaction(&state.pool, move |conn| {
        facilities::find(conn, &scope2, key2.facility_id)?;
        super::offer::check_offered(conn, &scope2, &key2)?;
        store::apply(conn, &scope2, &key2, &change, on)
    })
    .await;
    match saved {
        Ok(_) => {
            let single = load_cell(&state, scope, key, true).await?;
            render(&SavedCellFragment {
                cell: single.view().focused(),
            })
        }
        Err(AppError::Conflict(message)) => {
            // Lost a race for this cell: show what is now saved, keep what was typed.
            let single = load_cell(&state, scope, key, true).await?;
            let cell = single.view();
            let now = match cell.price {
                Some(_) => cell.display().to_string(),
                None => "no price".to_string(),
            };
            let message = format!("{message} (now {now})");
            render_with_status(
                StatusCode::CONFLICT,
                &CellEditFragment {
                    cell,
                    value: typed,
                    error: message,
                },
            )
        }
        Err(other) => Err(other),
    }
}
