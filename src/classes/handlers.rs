//! Class pages: the list, the class form (a course first, then what it offers), the class page
//! with its times, places and sessions, archive, restore and delete.

use actix_session::Session;
use actix_web::{web, HttpResponse};
use askama::Template;
use serde::Deserialize;
use uuid::Uuid;

use super::{
    changes,
    form::ClassForm,
    model::{self, ClassLine, ListFilter, Member},
    schedule::WEEKDAYS,
    sessions::{self, SessionLine},
    ClassStatus,
};
use crate::{
    access::{permission::allows, Action, ProgramScope},
    db,
    error::{AppError, AppResult},
    offerings::Choices,
    web::{
        flash,
        form::{FieldErrors, VersionForm},
        format,
        once::{self, FormToken},
        redirect, render, render_with_status, Shell,
    },
    AppState,
};

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ListQuery {
    pub course_id: String,
    pub facility_id: String,
    pub archived: String,
}

#[derive(Template)]
#[template(path = "classes/list.html")]
struct ListPage {
    shell: Shell,
    classes: Vec<ClassLine>,
    courses: Vec<(Uuid, String)>,
    facilities: Vec<(Uuid, String)>,
    query: ListQuery,
    can_manage: bool,
}

pub async fn list(
    shell: Shell,
    scope: ProgramScope,
    state: web::Data<AppState>,
    query: web::Query<ListQuery>,
) -> AppResult<HttpResponse> {
    let query = query.into_inner();
    let filter = ListFilter {
        course_id: query.course_id.parse().ok(),
        facility_id: query.facility_id.parse().ok(),
        include_archived: query.archived == "yes",
        ..ListFilter::default()
    };
    let (classes, (courses, facilities)) = db::run(&state.pool, move |conn| {
        Ok((
            model::list(conn, &scope, &filter)?,
            model::form_options(conn, &scope)?,
        ))
    })
    .await?;
    render(&ListPage {
        can_manage: allows(shell.user.role, Action::ManageTimetable),
        shell,
        classes,
        courses,
        facilities,
        query,
    })
}

#[derive(Template)]
#[template(path = "classes/form.html")]
struct FormPage {
    shell: Shell,
    /// `None` for a new class.
    class: Option<ClassLine>,
    form: ClassForm,
    errors: FieldErrors,
    courses: Vec<(Uuid, String)>,
    facilities: Vec<(Uuid, String)>,
    tutors: Vec<(Uuid, String)>,
    /// What the chosen course offers (empty until a course is chosen).
    choices: Choices,
    /// The chosen course's curricula.
    curricula: Vec<(Uuid, String)>,
}

impl FormPage {
    fn weekdays(&self) -> &'static [(i16, &'static str)] {
        &WEEKDAYS
    }
    fn action(&self) -> String {
        match &self.class {
            Some(c) => format!("/classes/{}/edit", c.class.id),
            None => "/classes".into(),
        }
    }
    fn course_chosen(&self) -> bool {
        self.form.course().is_some()
    }
}

/// The form's page with the choices of its course.
async fn form_page(
    shell: Shell,
    scope: ProgramScope,
    state: &AppState,
    class: Option<ClassLine>,
    form: ClassForm,
    errors: FieldErrors,
) -> AppResult<HttpResponse> {
    let course = form.course();
    let ((courses, facilities), tutors, choices, curricula) = db::run(&state.pool, move |conn| {
        let options = model::form_options(conn, &scope)?;
        let (tutors, choices, curricula) =
            match course.filter(|c| options.0.iter().any(|(id, _)| id == c)) {
                Some(id) => (
                    model::course_tutors_of(conn, &scope, id)?,
                    Choices::of_course(conn, &scope, id)?,
                    model::curricula_of(conn, &scope, id)?,
                ),
                None => (Vec::new(), Choices::default(), Vec::new()),
            };
        Ok((options, tutors, choices, curricula))
    })
    .await?;
    let mut form = form;
    // A new class follows the course's first curriculum unless told otherwise.
    if class.is_none() && form.curriculum_id.is_empty() {
        form.curriculum_id = curricula
            .first()
            .map_or_else(|| "none".into(), |c| c.0.to_string());
    }
    let status = errors.status();
    render_with_status(
        status,
        &FormPage {
            shell,
            class,
            form,
            errors,
            courses,
            facilities,
            tutors,
            choices,
            curricula,
        },
    )
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct NewQuery {
    pub course_id: String,
}

pub async fn new_form(
    shell: Shell,
    scope: ProgramScope,
    state: web::Data<AppState>,
    query: web::Query<NewQuery>,
) -> AppResult<HttpResponse> {
    let form = ClassForm::blank(query.course_id.parse().ok(), state.config.today());
    form_page(shell, scope, &state, None, form, FieldErrors::new()).await
}

pub async fn create(
    shell: Shell,
    scope: ProgramScope,
    state: web::Data<AppState>,
    session: Session,
    token: FormToken,
    form: web::Form<ClassForm>,
) -> AppResult<HttpResponse> {
    let form = form.into_inner();
    let command = match form.validate() {
        Ok(command) => command,
        Err(errors) => return form_page(shell, scope, &state, None, form, errors).await,
    };
    let (user, today, zone) = (shell.user.id, state.config.today(), state.config.time_zone);
    let s = scope.clone();
    let saved = db::transaction(&state.pool, move |conn| {
        once::create(
            conn,
            token,
            user,
            |conn| changes::insert(conn, &s, &command, today, zone),
            |id| format!("/classes/{id}"),
        )
    })
    .await;
    match saved {
        Ok(id) => {
            let done = format!("Class {} created with its sessions.", form.name.trim());
            warn_if_crowded(&state, scope, &session, id, done).await?;
            Ok(redirect(&format!("/classes/{id}")))
        }
        Err(AppError::Invalid(errors)) => form_page(shell, scope, &state, None, form, errors).await,
        Err(e) => Err(e),
    }
}

/// The success message, with the facility's crowding warning when there is one.
pub(super) async fn warn_if_crowded(
    state: &AppState,
    scope: ProgramScope,
    session: &Session,
    class_id: Uuid,
    done: String,
) -> AppResult<()> {
    let zone = state.config.time_zone;
    let warning = db::run(&state.pool, move |conn| {
        super::overload(conn, &scope, class_id, zone)
    })
    .await?;
    match warning {
        Some(warning) => flash::warning(session, format!("{done} {warning}")),
        None => flash::success(session, done),
    }
    Ok(())
}

pub async fn edit_form(
    shell: Shell,
    scope: ProgramScope,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let s = scope.clone();
    let line = db::run(&state.pool, move |conn| model::line(conn, &s, id)).await?;
    let form = ClassForm::from_class(&line.class, &line.times);
    form_page(shell, scope, &state, Some(line), form, FieldErrors::new()).await
}

pub async fn update(
    shell: Shell,
    scope: ProgramScope,
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<Uuid>,
    form: web::Form<ClassForm>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let form = form.into_inner();
    let s = scope.clone();
    let line = db::run(&state.pool, move |conn| model::line(conn, &s, id)).await?;
    let command = match form.validate() {
        Ok(command) => command,
        Err(errors) => return form_page(shell, scope, &state, Some(line), form, errors).await,
    };
    let (today, zone, version) = (
        state.config.today(),
        state.config.time_zone,
        form.version.clone(),
    );
    let s = scope.clone();
    let saved = db::transaction(&state.pool, move |conn| {
        changes::update(conn, &s, id, &command, &version, today, zone)
    })
    .await;
    match saved {
        Ok(()) => {
            let done = format!("Class {} saved.", form.name.trim());
            warn_if_crowded(&state, scope, &session, id, done).await?;
            Ok(redirect(&format!("/classes/{id}")))
        }
        Err(AppError::Invalid(errors)) => {
            form_page(shell, scope, &state, Some(line), form, errors).await
        }
        Err(e) => Err(e),
    }
}

#[derive(Template)]
#[template(path = "classes/show.html")]
struct ShowPage {
    shell: Shell,
    line: ClassLine,
    configuration: String,
    sessions: Vec<SessionLine>,
    students: Vec<Member>,
    waitlist: Vec<Member>,
    can_manage: bool,
    can_enroll: bool,
    zone: chrono_tz::Tz,
}

impl ShowPage {
    fn when(&self, s: &SessionLine) -> String {
        format::date_time(s.starts_at, self.zone)
    }
    fn until(&self, s: &SessionLine) -> String {
        s.ends_at
            .with_timezone(&self.zone)
            .format("%H:%M")
            .to_string()
    }
}

/// Sessions the class page lists, from now on.
const UPCOMING: i64 = 60;

pub async fn show(
    shell: Shell,
    scope: ProgramScope,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let now = chrono::Utc::now();
    let (line, configuration, sessions, (students, waitlist)) = db::run(&state.pool, move |conn| {
        let line = model::line(conn, &scope, id)?;
        let configuration = Choices::load(conn, &scope)?.configuration(
            &line.class.age_group,
            &line.class.location_type,
            &line.class.session_type,
        );
        let sessions = sessions::of_class(conn, &scope, id, now, UPCOMING)?;
        let members = model::members(conn, &scope, id)?;
        Ok((line, configuration, sessions, members))
    })
    .await?;
    render(&ShowPage {
        can_manage: allows(shell.user.role, Action::ManageTimetable),
        can_enroll: allows(shell.user.role, Action::ManageEnrollments),
        zone: state.config.time_zone,
        shell,
        line,
        configuration,
        sessions,
        students,
        waitlist,
    })
}

async fn set_status(
    scope: ProgramScope,
    state: web::Data<AppState>,
    session: Session,
    id: Uuid,
    version: String,
    status: ClassStatus,
) -> AppResult<HttpResponse> {
    let name = db::transaction(&state.pool, move |conn| {
        changes::set_status(conn, &scope, id, status, &version)
    })
    .await?;
    let done = match status {
        ClassStatus::Archived => {
            "archived: it keeps its sessions and students and takes no new enrollments"
        }
        ClassStatus::Active => "restored",
    };
    flash::success(&session, format!("Class {name} {done}."));
    Ok(redirect(&format!("/classes/{id}")))
}

pub async fn archive(
    scope: ProgramScope,
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<Uuid>,
    form: web::Form<VersionForm>,
) -> AppResult<HttpResponse> {
    let version = form.into_inner().version;
    set_status(
        scope,
        state,
        session,
        path.into_inner(),
        version,
        ClassStatus::Archived,
    )
    .await
}

pub async fn restore(
    scope: ProgramScope,
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<Uuid>,
    form: web::Form<VersionForm>,
) -> AppResult<HttpResponse> {
    let version = form.into_inner().version;
    set_status(
        scope,
        state,
        session,
        path.into_inner(),
        version,
        ClassStatus::Active,
    )
    .await
}

pub async fn delete(
    scope: ProgramScope,
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<Uuid>,
    form: web::Form<VersionForm>,
) -> AppResult<HttpResponse> {
    let (id, version) = (path.into_inner(), form.into_inner().version);
    let now = chrono::Utc::now();
    let outcome = db::transaction(&state.pool, move |conn| {
        changes::delete(conn, &scope, id, &version, now)
    })
    .await;
    match outcome {
        Ok(name) => {
            flash::success(&session, format!("Class {name} deleted."));
            Ok(redirect("/classes"))
        }
        Err(AppError::Conflict(reason)) => {
            flash::error(&session, reason);
            Ok(redirect(&format!("/classes/{id}")))
        }
        Err(e) => Err(e),
    }
}
