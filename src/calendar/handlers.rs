//! The week view: Monday to Sunday in the academy's time zone, one column a day (one list a day on
//! a phone), moving between weeks with htmx; `/calendar/print` is the same week on paper.

use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use chrono::{Datelike, Duration, NaiveDate};
use chrono_tz::Tz;
use serde::Deserialize;
use uuid::Uuid;

use crate::{
    access::ProgramScope,
    classes::{self, SessionLine, WeekFilter},
    db,
    error::AppResult,
    web::{is_htmx, pagination::query_string, render, Shell},
    AppState,
};

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct WeekQuery {
    /// Any day of the week to show (`YYYY-MM-DD`); this week when empty.
    pub week: String,
    pub facility_id: String,
    pub tutor_id: String,
    pub course_id: String,
    pub class_id: String,
}

/// One day of the week with its sessions.
pub struct Day {
    pub date: NaiveDate,
    pub sessions: Vec<SessionLine>,
    pub today: bool,
}

impl Day {
    pub fn title(&self) -> String {
        self.date.format("%a %-d %b").to_string()
    }
}

struct Week {
    monday: NaiveDate,
    days: Vec<Day>,
    query: WeekQuery,
    facilities: Vec<(Uuid, String)>,
    courses: Vec<(Uuid, String)>,
    tutors: Vec<(Uuid, String)>,
    zone: Tz,
}

impl Week {
    fn link(&self, monday: NaiveDate) -> String {
        let week = monday.to_string();
        query_string(&[
            ("week", &week),
            ("facility_id", &self.query.facility_id),
            ("tutor_id", &self.query.tutor_id),
            ("course_id", &self.query.course_id),
            ("class_id", &self.query.class_id),
        ])
    }
    fn previous(&self) -> String {
        self.link(self.monday - Duration::days(7))
    }
    fn next(&self) -> String {
        self.link(self.monday + Duration::days(7))
    }
    fn this_week(&self) -> String {
        self.link(self.monday)
    }
    fn heading(&self) -> String {
        let sunday = self.monday + Duration::days(6);
        format!(
            "Week of {} to {}",
            self.monday.format("%-d %b"),
            sunday.format("%-d %b %Y")
        )
    }
    fn time(&self, s: &SessionLine) -> String {
        format!(
            "{}–{}",
            s.starts_at.with_timezone(&self.zone).format("%H:%M"),
            s.ends_at.with_timezone(&self.zone).format("%H:%M")
        )
    }
    fn count(&self) -> usize {
        self.days.iter().map(|d| d.sessions.len()).sum()
    }
}

#[derive(Template)]
#[template(path = "calendar/week.html")]
struct WeekPage {
    shell: Shell,
    week: Week,
    mine: bool,
}

#[derive(Template)]
#[template(path = "calendar/grid.html")]
struct WeekFragment {
    week: Week,
    mine: bool,
}

#[derive(Template)]
#[template(path = "calendar/print.html")]
struct PrintPage {
    program: String,
    week: Week,
}

async fn load(scope: ProgramScope, state: &AppState, query: WeekQuery) -> AppResult<Week> {
    let zone = state.config.time_zone;
    let day = NaiveDate::parse_from_str(query.week.trim(), "%Y-%m-%d")
        .unwrap_or_else(|_| state.config.today());
    let monday = classes::monday_of(day);
    let today = state.config.today();
    let filter = WeekFilter {
        facility_id: query.facility_id.parse().ok(),
        tutor_id: query.tutor_id.parse().ok(),
        course_id: query.course_id.parse().ok(),
        class_id: query.class_id.parse().ok(),
    };
    let from = classes::instant(monday, chrono::NaiveTime::MIN, zone);
    let to = classes::instant(monday + Duration::days(7), chrono::NaiveTime::MIN, zone);
    let (sessions, (facilities, courses, tutors)) = db::run(&state.pool, move |conn| {
        Ok((
            classes::week(conn, &scope, from, to, &filter)?,
            classes::week_filters(conn, &scope)?,
        ))
    })
    .await?;
    let mut days: Vec<Day> = (0..7)
        .map(|i| {
            let date = monday + Duration::days(i);
            Day {
                date,
                sessions: Vec::new(),
                today: date == today,
            }
        })
        .collect();
    for s in sessions {
        let local = s.starts_at.with_timezone(&zone).date_naive();
        days[local.weekday().num_days_from_monday() as usize]
            .sessions
            .push(s);
    }
    Ok(Week {
        monday,
        days,
        query,
        facilities,
        courses,
        tutors,
        zone,
    })
}

pub async fn week(
    req: HttpRequest,
    shell: Shell,
    scope: ProgramScope,
    state: web::Data<AppState>,
    query: web::Query<WeekQuery>,
) -> AppResult<HttpResponse> {
    let mine = scope.tutor_id().is_some();
    let week = load(scope, &state, query.into_inner()).await?;
    if is_htmx(&req) {
        return render(&WeekFragment { week, mine });
    }
    render(&WeekPage { shell, week, mine })
}

pub async fn print(
    scope: ProgramScope,
    state: web::Data<AppState>,
    query: web::Query<WeekQuery>,
) -> AppResult<HttpResponse> {
    let program = scope.program_name().to_string();
    let week = load(scope, &state, query.into_inner()).await?;
    render(&PrintPage { program, week })
}
