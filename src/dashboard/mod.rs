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

/// `/`: each role's landing page (a tutor's is Today: the sessions to take attendance of).
pub async fn home(user: CurrentUser) -> HttpResponse {
    if allows(user.role, Action::ViewDashboard) {
        redirect("/dashboard")
    } else {
        redirect("/today")
    }
}

#[derive(Template)]
#[template(path = "dashboard/show.html")]
struct DashboardPage {
    shell: Shell,
    figures: Figures,
    chart: BarChart,
    monthly_value: String,
    /// What the program's open invoices still ask (none for a role that sees no money).
    outstanding: Option<String>,
    /// Billed and collected, the last 12 months (empty for a role that sees no money).
    money_months: Vec<chart::MoneyMonth>,
    places: Places,
    attendance: crate::attendance::reports::Rates,
}

impl DashboardPage {
    fn percent(&self, rate: &(i64, i64)) -> String {
        crate::attendance::reports::percent(rate)
    }
    /// A class's attendance this term, "—" before any mark.
    fn class_rate(&self, class: &uuid::Uuid) -> String {
        self.attendance
            .by_class
            .get(class)
            .map_or_else(|| "—".into(), |(_, term)| self.percent(term))
    }
}

/// The classes' places: how many are filled, free and waited for, and the classes to look at
/// first (a free place with a waitlist, then the fullest).
struct Places {
    capacity: i64,
    filled: i64,
    waiting: i64,
    classes: Vec<crate::classes::ClassPlaces>,
    more: usize,
}

/// Classes the dashboard lists; the rest are on the class list.
const SHOWN_CLASSES: usize = 10;

impl Places {
    fn of(mut classes: Vec<crate::classes::ClassPlaces>) -> Self {
        let capacity = classes.iter().map(|c| i64::from(c.capacity)).sum();
        let filled = classes
            .iter()
            .map(|c| c.filled.min(i64::from(c.capacity)))
            .sum();
        let waiting = classes.iter().map(|c| c.waitlisted).sum();
        classes.sort_by_key(|c| {
            let offer = c.free() > 0 && c.waitlisted > 0;
            let fill = c.filled * 1000 / i64::from(c.capacity.max(1));
            (!offer, -fill, c.name.clone())
        });
        let more = classes.len().saturating_sub(SHOWN_CLASSES);
        classes.truncate(SHOWN_CLASSES);
        Places {
            capacity,
            filled,
            waiting,
            classes,
            more,
        }
    }

    fn free(&self) -> i64 {
        self.capacity - self.filled
    }
}

pub async fn show(
    shell: Shell,
    scope: ProgramScope,
    state: actix_web::web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let today = state.config.today();
    let zone = state.config.time_zone;
    let see_money = allows(shell.user.role, Action::ManageFees);
    let (figures, classes, attendance, (outstanding, months)) = db::run(&state.pool, move |conn| {
        let figures = figures::load(conn, &scope, today)?;
        let (outstanding, months) = if see_money {
            (
                Some(crate::balances::totals(conn, &scope, today)?.total()),
                crate::balances::by_month(conn, &scope, today)?,
            )
        } else {
            (None, Vec::new())
        };
        let classes = crate::classes::places(conn, &scope)?;
        let attendance = match crate::classes::term_start(conn, &scope, today)? {
            None => Default::default(),
            Some(start) => {
                let at = |day| crate::classes::instant(day, chrono::NaiveTime::MIN, zone);
                let monday = crate::classes::monday_of(today);
                crate::attendance::reports::program_rates(
                    conn,
                    &scope,
                    at(start),
                    at(monday),
                    chrono::Utc::now(),
                )?
            }
        };
        Ok((figures, classes, attendance, (outstanding, months)))
    })
    .await?;
    let chart = chart::percent_bars(figures.facility_load.iter().map(|f| {
        (
            f.name.clone(),
            f.percent(),
            format!("{}/{} ({}%)", f.active, f.capacity, f.percent()),
        )
    }));
    let monthly_value = money(&figures.monthly_value);
    let outstanding = outstanding.map(|o| money(&o));
    render(&DashboardPage {
        shell,
        figures,
        chart,
        monthly_value,
        outstanding,
        money_months: chart::money_months(&months),
        places: Places::of(classes),
        attendance,
    })
}
