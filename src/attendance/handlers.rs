//! "Today" and the attendance forms: one tap per student (htmx swaps the student's row), all
//! present at once, the lessons a session covered, a lesson credited by hand.

use actix_session::Session;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use chrono::{Duration, NaiveDate};
use serde::Deserialize;
use uuid::Uuid;

use super::{day::DaySession, lessons, marking, roster::RosterLine, AttendanceMark};
use crate::{
    access::ProgramScope,
    db,
    error::{AppError, AppResult},
    web::{flash, is_htmx, redirect, render, Shell},
    AppState,
};

#[derive(Template)]
#[template(path = "attendance/today.html")]
struct TodayPage {
    shell: Shell,
    day: NaiveDate,
    today: NaiveDate,
    sessions: Vec<DaySession>,
    zone: chrono_tz::Tz,
    marks: &'static [AttendanceMark],
    /// Whether the viewer books makeups (staff).
    can_book: bool,
}

impl TodayPage {
    fn heading(&self) -> String {
        if self.day == self.today {
            "Today".into()
        } else {
            self.day.format("%A %-d %B").to_string()
        }
    }
    fn time(&self, s: &DaySession) -> String {
        format!(
            "{}–{}",
            s.session
                .starts_at
                .with_timezone(&self.zone)
                .format("%H:%M"),
            s.session.ends_at.with_timezone(&self.zone).format("%H:%M")
        )
    }
    fn other_day(&self, days: i64) -> String {
        format!("/today?day={}", self.day + Duration::days(days))
    }
}

#[derive(Template)]
#[template(path = "attendance/row.html")]
struct RowFragment {
    session_id: Uuid,
    line: RosterLine,
    closed: Option<&'static str>,
    marks: &'static [AttendanceMark],
    csrf_token: String,
    program_context: String,
    can_book: bool,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DayQuery {
    day: String,
}

/// `/today`: the caller's sessions of the day (a tutor's own; staff every session of the program).
pub async fn today(
    shell: Shell,
    scope: ProgramScope,
    state: web::Data<AppState>,
    query: web::Query<DayQuery>,
) -> AppResult<HttpResponse> {
    let zone = state.config.time_zone;
    let today = state.config.today();
    let day = NaiveDate::parse_from_str(query.day.trim(), "%Y-%m-%d").unwrap_or(today);
    let sessions = db::run(&state.pool, move |conn| {
        super::day::load(conn, &scope, day, zone)
    })
    .await?;
    render(&TodayPage {
        can_book: crate::access::permission::allows(
            shell.user.role,
            crate::access::Action::ManageEnrollments,
        ),
        shell,
        day,
        today,
        sessions,
        zone,
        marks: AttendanceMark::ALL,
    })
}

#[derive(Deserialize)]
pub struct MarkForm {
    enrollment_id: Uuid,
    mark: String,
    #[serde(default)]
    note: String,
}

/// One student's mark: the row again for htmx, else back to the day.
pub async fn mark(
    req: HttpRequest,
    user: crate::access::CurrentUser,
    scope: ProgramScope,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
    form: web::Form<MarkForm>,
) -> AppResult<HttpResponse> {
    let session_id = path.into_inner();
    let program = scope.program_id();
    let MarkForm {
        enrollment_id,
        mark,
        note,
    } = form.into_inner();
    let mark = mark
        .parse::<AttendanceMark>()
        .map_err(|_| AppError::bad_request("Mark present, late, absent or excused."))?;
    let zone = state.config.time_zone;
    let line = db::run(&state.pool, move |conn| {
        marking::mark(conn, &scope, session_id, enrollment_id, mark, &note, zone)
    })
    .await?;
    if is_htmx(&req) {
        return render(&RowFragment {
            session_id,
            line,
            closed: None,
            marks: AttendanceMark::ALL,
            csrf_token: crate::web::csrf::token(&session),
            program_context: program.to_string(),
            can_book: crate::access::permission::allows(
                user.role,
                crate::access::Action::ManageEnrollments,
            ),
        });
    }
    flash::success(&session, format!("{}: {}.", line.name, mark.label()));
    Ok(redirect(&format!("/today#session-{session_id}")))
}

/// Every student without a mark yet, present.
pub async fn all_present(
    scope: ProgramScope,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
) -> AppResult<HttpResponse> {
    let session_id = path.into_inner();
    let zone = state.config.time_zone;
    let count = db::run(&state.pool, move |conn| {
        marking::all_present(conn, &scope, session_id, zone)
    })
    .await?;
    flash::success(
        &session,
        format!(
            "{} marked present.",
            crate::web::format::plural(count as i64, "student", "students")
        ),
    );
    Ok(redirect(&format!("/today#session-{session_id}")))
}

/// The lessons the session covered (the ticked boxes, all of them).
pub async fn cover(
    scope: ProgramScope,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
    body: web::Bytes,
) -> AppResult<HttpResponse> {
    let session_id = path.into_inner();
    let lesson_ids: Vec<Uuid> = form_urlencoded::parse(&body)
        .filter(|(k, _)| k == "lesson_ids")
        .filter_map(|(_, v)| v.parse().ok())
        .collect();
    let zone = state.config.time_zone;
    let count = db::run(&state.pool, move |conn| {
        lessons::cover(conn, &scope, session_id, &lesson_ids, zone)
    })
    .await?;
    flash::success(
        &session,
        format!(
            "{} covered; those present are credited.",
            crate::web::format::plural(count as i64, "lesson", "lessons")
        ),
    );
    Ok(redirect(&format!("/today#session-{session_id}")))
}

#[derive(Deserialize)]
pub struct CreditForm {
    lesson_id: Uuid,
    /// `credit` or `remove`.
    action: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    return_to: String,
}

/// A lesson credited to one student by hand, or taken back, with the reason kept.
pub async fn credit(
    scope: ProgramScope,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
    form: web::Form<CreditForm>,
) -> AppResult<HttpResponse> {
    let enrollment_id = path.into_inner();
    let CreditForm {
        lesson_id,
        action,
        reason,
        return_to,
    } = form.into_inner();
    let credited = match action.as_str() {
        "credit" => true,
        "remove" => false,
        _ => return Err(AppError::bad_request("Credit or remove a lesson.")),
    };
    db::run(&state.pool, move |conn| {
        lessons::set_by_hand(conn, &scope, enrollment_id, lesson_id, credited, &reason)
    })
    .await?;
    flash::success(
        &session,
        if credited {
            "Lesson credited; progress updated."
        } else {
            "Lesson credit removed; progress updated."
        },
    );
    Ok(redirect(
        &crate::web::local_path(&return_to).unwrap_or_else(|| "/".into()),
    ))
}

#[derive(Template)]
#[template(path = "attendance/makeup.html")]
struct MakeupPage {
    shell: Shell,
    choice: super::makeups::Choice,
    enrollment_id: Uuid,
    error: Option<String>,
    zone: chrono_tz::Tz,
}

impl MakeupPage {
    fn when(&self, s: &crate::classes::SessionLine) -> String {
        format!(
            "{}–{}",
            s.starts_at
                .with_timezone(&self.zone)
                .format("%a %-d %b %Y, %H:%M"),
            s.ends_at.with_timezone(&self.zone).format("%H:%M")
        )
    }
}

#[derive(Deserialize)]
pub struct MakeupForm {
    enrollment_id: Uuid,
    missed_session_id: Uuid,
    #[serde(default)]
    session_id: String,
}

async fn makeup_page(
    shell: Shell,
    scope: ProgramScope,
    state: &AppState,
    enrollment_id: Uuid,
    missed: Uuid,
    error: Option<String>,
) -> AppResult<HttpResponse> {
    let choice = db::run(&state.pool, move |conn| {
        super::makeups::choice(conn, &scope, enrollment_id, missed, chrono::Utc::now())
    })
    .await?;
    let status = if error.is_some() {
        actix_web::http::StatusCode::UNPROCESSABLE_ENTITY
    } else {
        actix_web::http::StatusCode::OK
    };
    crate::web::render_with_status(
        status,
        &MakeupPage {
            shell,
            choice,
            enrollment_id,
            error,
            zone: state.config.time_zone,
        },
    )
}

/// `/makeups/new?enrollment_id=..&missed_session_id=..`: the sessions with a free place.
pub async fn new_makeup(
    shell: Shell,
    scope: ProgramScope,
    state: web::Data<AppState>,
    query: web::Query<MakeupForm>,
) -> AppResult<HttpResponse> {
    let q = query.into_inner();
    makeup_page(
        shell,
        scope,
        &state,
        q.enrollment_id,
        q.missed_session_id,
        None,
    )
    .await
}

pub async fn book_makeup(
    shell: Shell,
    scope: ProgramScope,
    session: Session,
    state: web::Data<AppState>,
    form: web::Form<MakeupForm>,
) -> AppResult<HttpResponse> {
    let f = form.into_inner();
    let Ok(target) = f.session_id.trim().parse::<Uuid>() else {
        let error = Some("Choose a session.".to_string());
        return makeup_page(
            shell,
            scope,
            &state,
            f.enrollment_id,
            f.missed_session_id,
            error,
        )
        .await;
    };
    let s = scope.clone();
    let booked = db::run(&state.pool, move |conn| {
        super::makeups::book(
            conn,
            &s,
            f.enrollment_id,
            f.missed_session_id,
            target,
            chrono::Utc::now(),
        )
    })
    .await;
    match booked {
        Ok(class) => {
            flash::success(
                &session,
                format!("Makeup booked in {class}: the student is on that session's roster."),
            );
            Ok(redirect(&format!("/sessions/{target}")))
        }
        Err(AppError::Invalid(errors)) => {
            let error = Some(errors.summary());
            makeup_page(
                shell,
                scope,
                &state,
                f.enrollment_id,
                f.missed_session_id,
                error,
            )
            .await
        }
        Err(e) => Err(e),
    }
}

#[derive(Template)]
#[template(path = "attendance/grid.html")]
struct GridPage {
    shell: Shell,
    grid: super::grid::Grid,
    zone: chrono_tz::Tz,
    can_export: bool,
}

impl GridPage {
    fn day(&self, s: &crate::classes::SessionLine) -> String {
        s.starts_at
            .with_timezone(&self.zone)
            .format("%-d %b")
            .to_string()
    }
    fn letter(&self, cell: &Option<(AttendanceMark, String)>) -> &'static str {
        match cell {
            None => "",
            Some((AttendanceMark::Present, _)) => "P",
            Some((AttendanceMark::Late, _)) => "L",
            Some((AttendanceMark::Absent, _)) => "A",
            Some((AttendanceMark::Excused, _)) => "E",
        }
    }
}

/// `/classes/{id}/attendance`: the class's term, students by sessions; prints as a register.
pub async fn grid(
    shell: Shell,
    scope: ProgramScope,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let grid = db::run(&state.pool, move |conn| {
        super::grid::of_class(conn, &scope, id)
    })
    .await?;
    render(&GridPage {
        can_export: crate::access::permission::allows(
            shell.user.role,
            crate::access::Action::ExportData,
        ),
        shell,
        grid,
        zone: state.config.time_zone,
    })
}

/// The same cells as CSV: one line per student and session.
pub async fn grid_csv(
    scope: ProgramScope,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let program = scope.program_name().to_string();
    let zone = state.config.time_zone;
    let grid = db::run(&state.pool, move |conn| {
        super::grid::of_class(conn, &scope, id)
    })
    .await?;
    let mut out = crate::web::csv_export::CsvExport::new(&[
        "class",
        "session_date",
        "session_start",
        "session_status",
        "student_id",
        "student",
        "mark",
        "note",
    ])?;
    for row in &grid.rows {
        for (session, cell) in grid.sessions.iter().zip(&row.cells) {
            let local = session.starts_at.with_timezone(&zone);
            let (mark, note) = cell
                .as_ref()
                .map_or(("", ""), |(m, n)| (m.as_str(), n.as_str()));
            out.row([
                grid.class.class.name.as_str(),
                &local.date_naive().to_string(),
                &local.format("%H:%M").to_string(),
                session.status.as_str(),
                &row.student_code,
                &row.name,
                mark,
                note,
            ])?;
        }
    }
    out.into_response("attendance", &program)
}

#[derive(Template)]
#[template(path = "attendance/absent.html")]
struct AbsentPage {
    shell: Shell,
    n: usize,
    absentees: Vec<super::reports::Absentee>,
    zone: chrono_tz::Tz,
}

impl AbsentPage {
    fn seen(&self, a: &super::reports::Absentee) -> String {
        a.last_seen.map_or_else(
            || "not in the last 120 days".into(),
            |at| crate::web::format::date(at.with_timezone(&self.zone).date_naive()),
        )
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct AbsentQuery {
    n: String,
}

/// `/attendance/absent?n=3`: students absent from their last n sessions, to call.
pub async fn absent(
    shell: Shell,
    scope: ProgramScope,
    state: web::Data<AppState>,
    query: web::Query<AbsentQuery>,
) -> AppResult<HttpResponse> {
    let n = query
        .n
        .trim()
        .parse::<usize>()
        .ok()
        .filter(|n| (1..=20).contains(n))
        .unwrap_or(3);
    let absentees = db::run(&state.pool, move |conn| {
        super::reports::absent_lately(conn, &scope, n, chrono::Utc::now())
    })
    .await?;
    render(&AbsentPage {
        shell,
        n,
        absentees,
        zone: state.config.time_zone,
    })
}
