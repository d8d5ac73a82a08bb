//! One week of the program's sessions, Monday to Sunday in the academy's time zone, by day: what
//! the calendar and a facility's page show.

use actix_web::HttpResponse;
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
    web::{pagination::query_string, render},
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

pub struct Week {
    /// The page the week's links go to (`/calendar`, a facility's page).
    pub base: String,
    pub monday: NaiveDate,
    pub days: Vec<Day>,
    pub query: WeekQuery,
    pub facilities: Vec<(Uuid, String)>,
    pub courses: Vec<(Uuid, String)>,
    pub tutors: Vec<(Uuid, String)>,
    pub zone: Tz,
}

impl Week {
    pub fn link(&self, monday: NaiveDate) -> String {
        let week = monday.to_string();
        query_string(&[
            ("week", &week),
            ("facility_id", &self.query.facility_id),
            ("tutor_id", &self.query.tutor_id),
            ("course_id", &self.query.course_id),
            ("class_id", &self.query.class_id),
        ])
    }
    pub fn previous(&self) -> String {
        self.link(self.monday - Duration::days(7))
    }
    pub fn next(&self) -> String {
        self.link(self.monday + Duration::days(7))
    }
    pub fn this_week(&self) -> String {
        self.link(self.monday)
    }
    pub fn heading(&self) -> String {
        let sunday = self.monday + Duration::days(6);
        format!(
            "Week of {} to {}",
            self.monday.format("%-d %b"),
            sunday.format("%-d %b %Y")
        )
    }
    pub fn time(&self, s: &SessionLine) -> String {
        format!(
            "{}–{}",
            s.starts_at.with_timezone(&self.zone).format("%H:%M"),
            s.ends_at.with_timezone(&self.zone).format("%H:%M")
        )
    }
    pub fn count(&self) -> usize {
        self.days.iter().map(|d| d.sessions.len()).sum()
    }
}

/// The week of `query` (this week when it names none) under `base`.
pub async fn load(
    scope: ProgramScope,
    state: &AppState,
    query: WeekQuery,
    base: String,
) -> AppResult<Week> {
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
        base,
        monday,
        days,
        query,
        facilities,
        courses,
        tutors,
        zone,
    })
}

#[derive(Template)]
#[template(path = "calendar/grid.html")]
struct WeekFragment {
    week: Week,
    mine: bool,
}

/// The week alone, as htmx swaps it in when moving between weeks.
pub fn fragment(week: Week, mine: bool) -> AppResult<HttpResponse> {
    render(&WeekFragment { week, mine })
}
