//! The week view: Monday to Sunday in the academy's time zone, one column a day (one list a day on
//! a phone), moving between weeks with htmx; `/calendar/print` is the same week on paper.

use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;

use super::week::{load, Week, WeekQuery};
use crate::{
    access::ProgramScope,
    error::AppResult,
    web::{is_htmx, render, Shell},
    AppState,
};

#[derive(Template)]
#[template(path = "calendar/week.html")]
struct WeekPage {
    shell: Shell,
    week: Week,
    mine: bool,
}

#[derive(Template)]
#[template(path = "calendar/print.html")]
struct PrintPage {
    program: String,
    week: Week,
}

pub async fn week(
    req: HttpRequest,
    shell: Shell,
    scope: ProgramScope,
    state: web::Data<AppState>,
    query: web::Query<WeekQuery>,
) -> AppResult<HttpResponse> {
    let mine = scope.tutor_id().is_some();
    let week = load(scope, &state, query.into_inner(), "/calendar".into()).await?;
    if is_htmx(&req) {
        return super::fragment(week, mine);
    }
    render(&WeekPage { shell, week, mine })
}

pub async fn print(
    scope: ProgramScope,
    state: web::Data<AppState>,
    query: web::Query<WeekQuery>,
) -> AppResult<HttpResponse> {
    let program = scope.program_name().to_string();
    let week = load(scope, &state, query.into_inner(), "/calendar".into()).await?;
    render(&PrintPage { program, week })
}
