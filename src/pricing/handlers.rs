//! The matrix page of a facility and the history of one of its cells. The statements are
//! `matrix` and `history`; a cell's own pages are `cell`, the bulk changes `bulk`.

use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use uuid::Uuid;

use super::{
    cell::CellParams,
    history::{load, History},
    matrix::{build, Matrix},
};
use crate::{
    access::{permission::allows, Action, ProgramScope},
    billing::{billing_period_of, BillingPeriod},
    db,
    error::AppResult,
    facilities::{self, Facility},
    web::{is_htmx, render, Shell},
    AppState,
};

#[derive(Template)]
#[template(path = "pricing/matrix.html")]
struct MatrixPage {
    shell: Shell,
    facility: Facility,
    matrix: Matrix,
    can_edit: bool,
    period: BillingPeriod,
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
    let (facility, matrix, period) = db::run(&state.pool, move |conn| {
        let facility = facilities::find(conn, &scope, facility_id)?;
        let matrix = build(conn, &scope, facility_id, on, can_edit)?;
        Ok((facility, matrix, billing_period_of(conn, &scope)?))
    })
    .await?;
    render(&MatrixPage {
        shell,
        facility,
        matrix,
        can_edit,
        period,
    })
}

#[derive(Template)]
#[template(path = "pricing/history_panel.html")]
struct HistoryPanel {
    history: History,
}

#[derive(Template)]
#[template(path = "pricing/history.html")]
struct HistoryPage {
    shell: Shell,
    history: History,
}

/// A whole page, or for htmx the panel beside the matrix.
pub async fn history(
    req: HttpRequest,
    shell: Shell,
    scope: ProgramScope,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
    query: web::Query<CellParams>,
) -> AppResult<HttpResponse> {
    let key = query.key(path.into_inner())?;
    let zone = state.config.time_zone;
    let on = state.config.today();
    let history = db::run(&state.pool, move |conn| load(conn, &scope, &key, on, zone)).await?;
    if is_htmx(&req) {
        render(&HistoryPanel { history })
    } else {
        render(&HistoryPage { shell, history })
    }
}
