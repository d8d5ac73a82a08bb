//! One session: its page (class, time, tutor) and the changes that touch it alone: cancel with a
//! reason, move to another date or time, give it a substitute tutor.

use actix_session::Session;
use actix_web::{web, HttpResponse};
use askama::Template;
use uuid::Uuid;

use super::{
    form::{CancelForm, MoveForm, SubstituteForm},
    model,
    sessions::{self, SessionLine},
};
use crate::{
    access::{permission::allows, Action, ProgramScope},
    db,
    error::{AppError, AppResult},
    web::{flash, form::FieldErrors, format, redirect, render_with_status, Shell},
    AppState,
};

#[derive(Template)]
#[template(path = "classes/session.html")]
struct SessionPage {
    shell: Shell,
    session: SessionLine,
    tutors: Vec<(Uuid, String)>,
    cancel: CancelForm,
    moving: MoveForm,
    errors: FieldErrors,
    can_manage: bool,
    zone: chrono_tz::Tz,
}

impl SessionPage {
    fn when(&self) -> String {
        format!(
            "{}-{}",
            format::date_time(self.session.starts_at, self.zone),
            self.session
                .ends_at
                .with_timezone(&self.zone)
                .format("%H:%M")
        )
    }
}

/// The move form as the session stands: its date, time and length.
fn move_form(s: &SessionLine, zone: chrono_tz::Tz) -> MoveForm {
    let start = s.starts_at.with_timezone(&zone);
    MoveForm {
        date: start.date_naive().to_string(),
        start: start.format("%H:%M").to_string(),
        minutes: (s.ends_at - s.starts_at).num_minutes().to_string(),
        version: s.version(),
    }
}

async fn page(
    shell: Shell,
    scope: ProgramScope,
    state: &AppState,
    id: Uuid,
    forms: Option<(CancelForm, MoveForm)>,
    errors: FieldErrors,
) -> AppResult<HttpResponse> {
    let (session, tutors) = db::run(&state.pool, move |conn| {
        Ok((
            sessions::find(conn, &scope, id)?,
            model::program_tutors(conn, &scope)?,
        ))
    })
    .await?;
    let zone = state.config.time_zone;
    let (cancel, moving) = match forms {
        // A refused cancel or substitute: the move form shows the session as it stands.
        Some((cancel, moving)) if moving.date.is_empty() => (cancel, move_form(&session, zone)),
        Some(forms) => forms,
        None => (
            CancelForm {
                reason: String::new(),
                version: session.version(),
            },
            move_form(&session, zone),
        ),
    };
    let status = errors.status();
    render_with_status(
        status,
        &SessionPage {
            can_manage: allows(shell.user.role, Action::ManageTimetable),
            shell,
            session,
            tutors,
            cancel,
            moving,
            errors,
            zone,
        },
    )
}

pub async fn show(
    shell: Shell,
    scope: ProgramScope,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
) -> AppResult<HttpResponse> {
    page(
        shell,
        scope,
        &state,
        path.into_inner(),
        None,
        FieldErrors::new(),
    )
    .await
}

/// Where a change of one session ends: back on its page with a message, or the page again with
/// the refusal beside its field.
async fn finish(
    shell: Shell,
    scope: ProgramScope,
    state: &AppState,
    session: &Session,
    id: Uuid,
    outcome: AppResult<Option<Uuid>>,
    done: &str,
    forms: (CancelForm, MoveForm),
) -> AppResult<HttpResponse> {
    match outcome {
        Ok(None) => {
            flash::success(session, done);
            Ok(redirect(&format!("/sessions/{id}")))
        }
        // A session moved in time: the facility may now be crowded then.
        Ok(Some(class_id)) => {
            super::handlers::warn_if_crowded(state, scope, session, class_id, done.into()).await?;
            Ok(redirect(&format!("/sessions/{id}")))
        }
        Err(AppError::Invalid(errors)) => page(shell, scope, state, id, Some(forms), errors).await,
        Err(e) => Err(e),
    }
}

pub async fn cancel(
    shell: Shell,
    scope: ProgramScope,
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<Uuid>,
    form: web::Form<CancelForm>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let form = form.into_inner();
    let reason = form.reason.trim().to_string();
    let outcome = if reason.is_empty() || reason.chars().count() > 500 {
        Err(AppError::invalid("reason", "Say why the session is cancelled (at most 500 characters): students and tutors see it."))
    } else {
        let (s, version) = (scope.clone(), form.version.clone());
        db::transaction(&state.pool, move |conn| {
            sessions::cancel(conn, &s, id, &reason, &version)
        })
        .await
        .map(|()| None)
    };
    let moving = MoveForm {
        version: form.version.clone(),
        ..MoveForm::default()
    };
    finish(
        shell,
        scope,
        &state,
        &session,
        id,
        outcome,
        "Session cancelled.",
        (form, moving),
    )
    .await
}

pub async fn reschedule(
    shell: Shell,
    scope: ProgramScope,
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<Uuid>,
    form: web::Form<MoveForm>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let form = form.into_inner();
    let zone = state.config.time_zone;
    let outcome = match form.validate() {
        Err(errors) => Err(AppError::Invalid(errors)),
        Ok((day, time, minutes)) => {
            let (s, version) = (scope.clone(), form.version.clone());
            db::transaction(&state.pool, move |conn| {
                sessions::reschedule(conn, &s, id, day, time, minutes, &version, zone)
            })
            .await
            .map(Some)
        }
    };
    let cancel = CancelForm {
        reason: String::new(),
        version: form.version.clone(),
    };
    finish(
        shell,
        scope,
        &state,
        &session,
        id,
        outcome,
        "Session moved.",
        (cancel, form),
    )
    .await
}

pub async fn substitute(
    shell: Shell,
    scope: ProgramScope,
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<Uuid>,
    form: web::Form<SubstituteForm>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let form = form.into_inner();
    let zone = state.config.time_zone;
    let outcome = match form.tutor_id.trim().parse::<Uuid>() {
        Err(_) => Err(AppError::invalid("tutor_id", "Choose a tutor.")),
        Ok(tutor) => {
            let (s, version) = (scope.clone(), form.version.clone());
            db::transaction(&state.pool, move |conn| {
                sessions::substitute(conn, &s, id, tutor, &version, zone)
            })
            .await
            .map(|()| None)
        }
    };
    let forms = (
        CancelForm {
            reason: String::new(),
            version: form.version.clone(),
        },
        MoveForm {
            version: form.version.clone(),
            ..MoveForm::default()
        },
    );
    finish(
        shell,
        scope,
        &state,
        &session,
        id,
        outcome,
        "Tutor of the session changed.",
        forms,
    )
    .await
}
