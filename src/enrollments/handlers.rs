//! Enrollment pages: the enrollment form with its live parts, status changes, progress.

use actix_session::Session;
use actix_web::{http::StatusCode, web, HttpRequest, HttpResponse};
use askama::Template;
use serde::Deserialize;
use uuid::Uuid;

use super::{
    create::enroll,
    form::{self, EnrollForm, EnrollView},
    lifecycle::{self, Transition},
    placing, AssignmentType,
};
use crate::{
    access::ProgramScope,
    db,
    error::{AppError, AppResult},
    web::{
        csrf, flash,
        form::FieldErrors,
        format, is_htmx,
        once::{self, FormToken},
        redirect, redirect_for, render, render_with_status, Shell,
    },
    AppState,
};

#[derive(Template)]
#[template(path = "enrollments/new.html")]
struct NewPage {
    shell: Shell,
    view: EnrollView,
}

#[derive(Template)]
#[template(path = "enrollments/form.html")]
struct FormFragment {
    view: EnrollView,
}

#[derive(Template)]
#[template(path = "enrollments/student_options.html")]
struct StudentOptions {
    students: Vec<(Uuid, String)>,
    searched: bool,
}

async fn build(
    state: &AppState,
    session: &Session,
    scope: ProgramScope,
    form: EnrollForm,
    errors: FieldErrors,
) -> AppResult<EnrollView> {
    let today = state.config.today();
    let mut view = db::run(&state.pool, move |conn| {
        form::view(conn, &scope, form, errors, today)
    })
    .await?;
    view.csrf_token = csrf::token(session);
    Ok(view)
}

/// `/enrollments/new?student_id=..&course_id=..`: the whole page.
pub async fn new(
    shell: Shell,
    scope: ProgramScope,
    session: Session,
    state: web::Data<AppState>,
    query: web::Query<EnrollForm>,
) -> AppResult<HttpResponse> {
    let view = build(
        &state,
        &session,
        scope,
        query.into_inner(),
        FieldErrors::new(),
    )
    .await?;
    render(&NewPage { shell, view })
}

/// The form again for what is chosen so far: htmx swaps it in as choices change (live price).
pub async fn refresh(
    scope: ProgramScope,
    session: Session,
    state: web::Data<AppState>,
    query: web::Query<EnrollForm>,
) -> AppResult<HttpResponse> {
    let view = build(
        &state,
        &session,
        scope,
        query.into_inner(),
        FieldErrors::new(),
    )
    .await?;
    render(&FormFragment { view })
}

#[derive(Deserialize)]
pub struct SearchQuery {
    #[serde(default)]
    student_search: String,
}

/// Search-as-you-type for the student picker.
pub async fn students(
    scope: ProgramScope,
    state: web::Data<AppState>,
    query: web::Query<SearchQuery>,
) -> AppResult<HttpResponse> {
    let term = query.into_inner().student_search;
    let searched = term.trim().chars().count() >= 2;
    let students = db::run(&state.pool, move |conn| {
        form::search_students(conn, &scope, &term)
    })
    .await?;
    render(&StudentOptions { students, searched })
}

pub async fn create(
    req: HttpRequest,
    shell: Shell,
    scope: ProgramScope,
    session: Session,
    state: web::Data<AppState>,
    token: FormToken,
    form: web::Form<EnrollForm>,
) -> AppResult<HttpResponse> {
    let form = form.into_inner();
    let refused = |errors: FieldErrors| (form.clone(), errors);
    let user = shell.user.id;
    let outcome = match form.validate() {
        Err(errors) => Err(refused(errors)),
        Ok(enrollment) => {
            let work_scope = scope.clone();
            let result = db::transaction(&state.pool, move |conn| {
                let location = format!("/students/{}", enrollment.student_id);
                once::claim_leading_to(conn, token, user, &location)?;
                enroll(conn, &work_scope, &enrollment, AssignmentType::Direct)
            })
            .await;
            match result {
                Ok(done) => Ok((done, form.student_id.clone())),
                Err(AppError::Invalid(errors)) => Err(refused(errors)),
                Err(e) => return Err(e),
            }
        }
    };
    match outcome {
        Ok((done, student_id)) => {
            let message = match &done.class {
                Some((class, true)) => format!(
                    "Added to the waitlist of {class}: the student gets the next free place offered."
                ),
                Some((class, false)) => format!(
                    "Enrolled in {class} at {} per the facility's price.",
                    format::money(&done.price)
                ),
                None => format!(
                    "Enrolled at {} per the facility's price.",
                    format::money(&done.price)
                ),
            };
            match done.capacity_warning {
                Some(warning) => flash::warning(&session, format!("{message} {warning}")),
                None => flash::success(&session, message),
            }
            Ok(redirect_for(&req, &format!("/students/{student_id}")))
        }
        Err((form, errors)) => {
            let view = build(&state, &session, scope, form, errors).await?;
            if is_htmx(&req) {
                render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &FormFragment { view })
            } else {
                render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &NewPage { shell, view })
            }
        }
    }
}

#[derive(Deserialize)]
pub struct StatusForm {
    action: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    return_to: String,
}

pub async fn change_status(
    scope: ProgramScope,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
    form: web::Form<StatusForm>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let StatusForm {
        action,
        reason,
        return_to,
    } = form.into_inner();
    let transition = Transition::parse(&action)
        .ok_or_else(|| AppError::bad_request("Unknown enrollment action."))?;
    let today = state.config.today();
    db::run(&state.pool, move |conn| {
        lifecycle::apply(conn, &scope, id, transition, &reason, today)
    })
    .await?;
    flash::success(
        &session,
        format!("The enrollment was {}.", transition.past_tense()),
    );
    Ok(redirect(
        &crate::web::local_path(&return_to).unwrap_or_else(|| "/".into()),
    ))
}

#[derive(Deserialize)]
pub struct ClassChoice {
    #[serde(default)]
    class_id: String,
    #[serde(default)]
    return_to: String,
}

/// Puts a running enrollment in a class, or moves it to another one of its course.
pub async fn change_class(
    scope: ProgramScope,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
    form: web::Form<ClassChoice>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let class_id = form
        .class_id
        .trim()
        .parse::<Uuid>()
        .map_err(|_| AppError::bad_request("Choose a class; nothing was changed."))?;
    let return_to = crate::web::local_path(&form.return_to).unwrap_or_else(|| "/".into());
    let placed = db::run(&state.pool, move |conn| {
        placing::place(conn, &scope, id, class_id)
    })
    .await?;
    flash::success(
        &session,
        match placed.from {
            Some(from) => format!("Moved from {from} to {}.", placed.class),
            None => format!("Put in {}.", placed.class),
        },
    );
    Ok(redirect(&return_to))
}

#[derive(Deserialize)]
pub struct ProgressForm {
    progress_percentage: String,
    credits_awarded: String,
    #[serde(default)]
    return_to: String,
}

pub async fn record_progress(
    scope: ProgramScope,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
    form: web::Form<ProgressForm>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let progress = form
        .progress_percentage
        .trim()
        .parse::<i32>()
        .ok()
        .filter(|p| (0..=100).contains(p));
    let credits = form
        .credits_awarded
        .trim()
        .parse::<i32>()
        .ok()
        .filter(|c| (0..=10_000).contains(c));
    let (Some(progress), Some(credits)) = (progress, credits) else {
        return Err(AppError::bad_request("Progress is a whole number from 0 to 100 and credits a whole number of 0 or more; nothing was saved."));
    };
    let return_to = crate::web::local_path(&form.return_to).unwrap_or_else(|| "/".into());
    db::run(&state.pool, move |conn| {
        lifecycle::record_progress(conn, &scope, id, progress, credits)
    })
    .await?;
    flash::success(
        &session,
        format!("Progress saved: {progress}%, {credits} credits."),
    );
    Ok(redirect(&return_to))
}
