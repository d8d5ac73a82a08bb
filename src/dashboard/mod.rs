//! The landing page of admins and coordinators: the current program at a glance.

use actix_web::HttpResponse;
use askama::Template;

mod chart;
mod figures;

use chart::BarChart;
use figures::Figures;

use crate::{
    access::{permission::allows, Action, CurrentUser, ProgramScope},
    db,
    error::AppResult,
    web::{format::money, redirect, render, Shell},
    AppState,
};

/// `/`: each role's landing page.
pub async fn home(user: CurrentUser) -> HttpResponse {
    if allows(user.role, Action::ViewDashboard) {
        redirect("/dashboard")
    } else {
        redirect("/my-courses")
    }
}

#[derive(Template)]
#[template(path = "dashboard/show.html")]
struct DashboardPage {
    shell: Shell,
    figures: Figures,
    chart: BarChart,
    monthly_value: String,
}

pub async fn show(
    shell: Shell,
    scope: ProgramScope,
    state: actix_web::web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let today = state.config.today();
    let figures = db::run(&state.pool, move |conn| figures::load(conn, &scope, today)).await?;
    let chart = chart::percent_bars(figures.facility_load.iter().map(|f| {
        (
            f.name.clone(),
            f.percent(),
            format!("{}/{} ({}%)", f.active, f.capacity, f.percent()),
        )
    }));
    let monthly_value = money(&figures.monthly_value);
    render(&DashboardPage {
        shell,
        figures,
        chart,
        monthly_value,
    })
}
