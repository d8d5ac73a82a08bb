//! Facility pages: thin handlers (parse, authorise, call, render).

use actix_session::Session;
use actix_web::{http::StatusCode, web, HttpResponse};
use askama::Template;
use bigdecimal::BigDecimal;
use chrono::NaiveDate;
use serde::Deserialize;
use uuid::Uuid;

use super::{
    form::FacilityForm,
    model::{self, Deletion, Facility, ListFilter, SORT_KEYS},
    FacilityStatus, FacilityType,
};
use crate::{
    access::{permission::allows, Action, ProgramScope},
    db,
    error::{AppError, AppResult},
    pricing::{self, PriceLine},
    web::{
        flash,
        form::{FieldErrors, VersionForm},
        format,
        once::{self, FormToken},
        pagination::{query_string, PageRequest, Paginated},
        redirect, render, render_with_status,
        sort::Sort,
        Shell,
    },
    AppState,
};

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ListQuery {
    pub q: String,
    pub facility_type: String,
    pub status: String,
    pub sort: String,
    pub page: Option<i64>,
}

#[derive(Template)]
#[template(path = "facilities/list.html")]
struct ListPage {
    shell: Shell,
    query: ListQuery,
    pagination: Paginated<Facility>,
    can_edit: bool,
    /// Tutors never see money: no link to the prices.
    can_see_prices: bool,
    filtered: bool,
}

impl ListPage {
    fn types(&self) -> &'static [FacilityType] {
        FacilityType::ALL
    }
    fn statuses(&self) -> &'static [FacilityStatus] {
        FacilityStatus::ALL
    }
    fn order(&self) -> Sort {
        order_of(&self.query.sort)
    }
    /// The list's query without its order, for the column headers.
    fn unsorted(&self) -> String {
        query_string(&[
            ("q", self.query.q.trim()),
            ("facility_type", &self.query.facility_type),
            ("status", &self.query.status),
        ])
    }
}

/// The list's order; an unknown one reads as the default (by name).
fn order_of(raw: &str) -> Sort {
    let by_name = Sort::ascending("name");
    Sort::parse(raw, SORT_KEYS, by_name).unwrap_or(by_name)
}

pub async fn list(
    shell: Shell,
    scope: ProgramScope,
    state: web::Data<AppState>,
    query: web::Query<ListQuery>,
) -> AppResult<HttpResponse> {
    let query = query.into_inner();
    let page = PageRequest::parse(query.page)?;
    let filter = ListFilter {
        q: query.q.clone(),
        facility_type: query.facility_type.parse().ok(),
        status: query.status.parse().ok(),
        sort: order_of(&query.sort),
    };
    let rows = db::run(&state.pool, move |conn| {
        model::list(conn, &scope, &filter, page)
    })
    .await?;
    let base = query_string(&[
        ("q", query.q.trim()),
        ("facility_type", &query.facility_type),
        ("status", &query.status),
        ("sort", &order_of(&query.sort).param()),
    ]);
    let filtered =
        !query.q.trim().is_empty() || !query.facility_type.is_empty() || !query.status.is_empty();
    render(&ListPage {
        can_edit: allows(shell.user.role, Action::EditFacilities),
        can_see_prices: allows(shell.user.role, Action::ViewPricing),
        shell,
        query,
        pagination: Paginated::new(rows, page, base),
        filtered,
    })
}

#[derive(Template)]
#[template(path = "facilities/form.html")]
struct FormPage {
    shell: Shell,
    /// `None` for a new facility.
    facility: Option<Facility>,
    form: FacilityForm,
    errors: FieldErrors,
}

impl FormPage {
    fn types(&self) -> &'static [FacilityType] {
        FacilityType::ALL
    }
    fn statuses(&self) -> &'static [FacilityStatus] {
        FacilityStatus::ALL
    }
    fn action(&self) -> String {
        match &self.facility {
            Some(f) => format!("/facilities/{}/edit", f.id),
            None => "/facilities/new".into(),
        }
    }
}

pub async fn new_form(shell: Shell) -> AppResult<HttpResponse> {
    render(&FormPage {
        shell,
        facility: None,
        form: FacilityForm::blank(),
        errors: FieldErrors::new(),
    })
}

pub async fn create(
    shell: Shell,
    scope: ProgramScope,
    state: web::Data<AppState>,
    session: Session,
    token: FormToken,
    form: web::Form<FacilityForm>,
) -> AppResult<HttpResponse> {
    let form = form.into_inner();
    let command = match form.validate() {
        Ok(command) => command,
        Err(errors) => return invalid(shell, None, form, errors),
    };
    let user = shell.user.id;
    let saved = db::transaction(&state.pool, move |conn| {
        once::create(
            conn,
            token,
            user,
            |conn| model::insert(conn, &scope, &command),
            |id| format!("/facilities/{id}"),
        )
    })
    .await;
    match saved {
        Ok(id) => {
            flash::success(&session, format!("Facility {} created.", form.name.trim()));
            Ok(redirect(&format!("/facilities/{id}")))
        }
        Err(AppError::Invalid(errors)) => invalid(shell, None, form, errors),
        Err(e) => Err(e),
    }
}

fn invalid(
    shell: Shell,
    facility: Option<Facility>,
    form: FacilityForm,
    errors: FieldErrors,
) -> AppResult<HttpResponse> {
    render_with_status(
        StatusCode::UNPROCESSABLE_ENTITY,
        &FormPage {
            shell,
            facility,
            form,
            errors,
        },
    )
}

pub async fn edit_form(
    shell: Shell,
    scope: ProgramScope,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let facility = db::run(&state.pool, move |conn| model::find(conn, &scope, id)).await?;
    let form = FacilityForm::from_facility(&facility);
    render(&FormPage {
        shell,
        facility: Some(facility),
        form,
        errors: FieldErrors::new(),
    })
}

pub async fn update(
    shell: Shell,
    scope: ProgramScope,
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<Uuid>,
    form: web::Form<FacilityForm>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let form = form.into_inner();
    let scope2 = scope.clone();
    let facility = db::run(&state.pool, move |conn| model::find(conn, &scope2, id)).await?;
    let command = match form.validate() {
        Ok(command) => command,
        Err(errors) => return invalid(shell, Some(facility), form, errors),
    };
    let saved = db::transaction(&state.pool, move |conn| {
        model::update(conn, &scope, id, &command)
    })
    .await;
    match saved {
        Ok(()) => {
            flash::success(&session, format!("Facility {} saved.", form.name.trim()));
            Ok(redirect(&format!("/facilities/{id}")))
        }
        Err(AppError::Invalid(errors)) => invalid(shell, Some(facility), form, errors),
        Err(e) => Err(e),
    }
}

#[derive(Template)]
#[template(path = "facilities/show.html")]
struct ShowPage {
    shell: Shell,
    facility: Facility,
    load: i64,
    prices: Vec<PriceLine>,
    can_edit: bool,
    can_price: bool,
    /// Tutors never see money: no prices, no link to the matrix.
    can_see_prices: bool,
    /// Its sessions this week (or the week asked for), as the calendar shows them.
    week: crate::calendar::Week,
    mine: bool,
}

impl ShowPage {
    fn money(&self, amount: &BigDecimal) -> String {
        format::money(amount)
    }
    fn date(&self, day: &NaiveDate) -> String {
        format::date(*day)
    }
    fn over_capacity(&self) -> bool {
        self.load > i64::from(self.facility.capacity)
    }
    fn load_percent(&self) -> i64 {
        (self.load * 100 / i64::from(self.facility.capacity.max(1))).min(100)
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ShowQuery {
    week: String,
}

pub async fn show(
    req: actix_web::HttpRequest,
    shell: Shell,
    scope: ProgramScope,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
    query: web::Query<ShowQuery>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let on = state.config.today();
    let s = scope.clone();
    let see_prices = allows(shell.user.role, Action::ViewPricing);
    let (facility, load, prices) = db::run(&state.pool, move |conn| {
        let facility = model::find(conn, &s, id)?;
        // Its current load against its capacity.
        let load = crate::enrollments::active_at(conn, &s, id)?;
        let prices = if see_prices {
            pricing::active_price_lines(conn, &s, id, on)?
        } else {
            Vec::new()
        };
        Ok((facility, load, prices))
    })
    .await?;
    let asked = crate::calendar::WeekQuery {
        week: query.into_inner().week,
        facility_id: id.to_string(),
        ..Default::default()
    };
    let week = crate::calendar::load(scope, &state, asked, format!("/facilities/{id}")).await?;
    if crate::web::is_htmx(&req) {
        return crate::calendar::fragment(week, false);
    }
    render(&ShowPage {
        week,
        mine: false,
        can_edit: allows(shell.user.role, Action::EditFacilities),
        can_price: allows(shell.user.role, Action::EditPricing),
        can_see_prices: allows(shell.user.role, Action::ViewPricing),
        shell,
        facility,
        load,
        prices,
    })
}

pub async fn delete(
    scope: ProgramScope,
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<Uuid>,
    form: web::Form<VersionForm>,
) -> AppResult<HttpResponse> {
    let (id, version) = (path.into_inner(), form.into_inner().version);
    let outcome = db::transaction(&state.pool, move |conn| {
        model::delete(conn, &scope, id, &version)
    })
    .await?;
    match outcome {
        Deletion::Done(name) => {
            flash::success(&session, format!("Facility {name} deleted."));
            Ok(redirect("/facilities"))
        }
        Deletion::Blocked(reason) => {
            flash::error(&session, reason);
            Ok(redirect(&format!("/facilities/{id}")))
        }
    }
}
