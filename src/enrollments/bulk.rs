//! Bulk enrolling: several students into one course, configuration and facility, in one
//! transaction (`bulk_assigned`): all of them, or none with a reason per refused student.

use actix_session::Session;
use actix_web::{http::StatusCode, web, HttpResponse};
use askama::Template;
use serde::Deserialize;
use uuid::Uuid;

use super::{
    form::{self, EnrollForm, EnrollView},
    many::{self, Outcome, MAX_STUDENTS},
};
use crate::{
    access::ProgramScope,
    db,
    error::AppResult,
    web::{
        csrf, flash, form::FieldErrors, once::FormToken, redirect, render, render_with_status,
        Shell,
    },
    AppState,
};

#[derive(Template)]
#[template(path = "enrollments/bulk.html")]
struct BulkPage {
    shell: Shell,
    search: String,
    view: EnrollView,
    /// (id, label, ticked)
    candidates: Vec<(Uuid, String, bool)>,
    refusals: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "enrollments/bulk_form.html")]
struct BulkForm {
    view: EnrollView,
    candidates: Vec<(Uuid, String, bool)>,
    refusals: Vec<(String, String)>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct BulkQuery {
    q: String,
}

/// The posted (or refreshed) bulk form: the configuration fields and the ticked students.
struct Posted {
    form: EnrollForm,
    search: String,
    ticked: Vec<Uuid>,
}

fn parse(body: &[u8]) -> Posted {
    let mut form = EnrollForm::default();
    let mut search = String::new();
    let mut ticked = Vec::new();
    for (key, value) in form_urlencoded::parse(body) {
        let value = value.into_owned();
        match key.as_ref() {
            "student_ids" => ticked.extend(value.parse::<Uuid>().ok()),
            "q" => search = value,
            "course_id" => form.course_id = value,
            "age_group" => form.age_group = value,
            "location_type" => form.location_type = value,
            "session_type" => form.session_type = value,
            "facility_id" => form.facility_id = value,
            "enrollment_date" => form.enrollment_date = value,
            "class_id" => form.class_id = value,
            "waitlist" => form.waitlist = value,
            _ => {}
        }
    }
    Posted {
        form,
        search,
        ticked,
    }
}

async fn build(
    state: &AppState,
    session: &Session,
    scope: ProgramScope,
    posted: Posted,
    errors: FieldErrors,
) -> AppResult<(EnrollView, Vec<(Uuid, String, bool)>)> {
    let today = state.config.today();
    let Posted {
        form,
        search,
        ticked,
    } = posted;
    let (mut view, list) = db::run(&state.pool, move |conn| {
        let list = many::candidates(conn, &scope, &search, &ticked)?;
        let mut view = form::view(conn, &scope, form, errors, today)?;
        let misfits = many::age_misfits(conn, &scope, &ticked, &view.form.age_group, today)?;
        view.warnings.extend(misfits);
        // The waitlist is offered when the ticked students do not all fit in the chosen class.
        let chosen = view
            .classes
            .iter()
            .find(|c| c.class.id.to_string() == view.form.class_id);
        view.class_full = chosen.is_some_and(|c| c.free() < ticked.len().max(1) as i64);
        Ok((view, list))
    })
    .await?;
    view.csrf_token = csrf::token(session);
    view.refresh_url = "/enrollments/bulk/form";
    view.form_id = "bulk-form";
    Ok((view, list))
}

pub async fn page(
    shell: Shell,
    scope: ProgramScope,
    session: Session,
    state: web::Data<AppState>,
    query: web::Query<BulkQuery>,
) -> AppResult<HttpResponse> {
    let search = query.into_inner().q;
    let posted = Posted {
        form: EnrollForm::default(),
        search: search.clone(),
        ticked: Vec::new(),
    };
    let (view, candidates) = build(&state, &session, scope, posted, FieldErrors::new()).await?;
    render(&BulkPage {
        shell,
        search,
        view,
        candidates,
        refusals: Vec::new(),
    })
}

/// The bulk form again as its configuration changes (htmx), ticks kept.
pub async fn refresh(
    scope: ProgramScope,
    session: Session,
    state: web::Data<AppState>,
    req: actix_web::HttpRequest,
) -> AppResult<HttpResponse> {
    let posted = parse(req.query_string().as_bytes());
    let (view, candidates) = build(&state, &session, scope, posted, FieldErrors::new()).await?;
    render(&BulkForm {
        view,
        candidates,
        refusals: Vec::new(),
    })
}

pub async fn submit(
    shell: Shell,
    scope: ProgramScope,
    session: Session,
    state: web::Data<AppState>,
    token: FormToken,
    body: web::Bytes,
) -> AppResult<HttpResponse> {
    let posted = parse(&body);
    let mut errors = FieldErrors::new();
    if posted.ticked.is_empty() {
        errors.add("student_ids", "Tick at least one student.");
    }
    if posted.ticked.len() as i64 > MAX_STUDENTS {
        errors.add(
            "student_ids",
            format!("Enroll at most {MAX_STUDENTS} students at once."),
        );
    }
    // The students come from the ticks; the form's own student field is not used here.
    let as_template = EnrollForm {
        student_id: Uuid::nil().to_string(),
        ..posted.form.clone()
    };
    let template = match as_template.validate() {
        Ok(t) if errors.is_empty() => t,
        Ok(_) => return refuse(shell, &session, &state, scope, posted, errors, Vec::new()).await,
        Err(more) => {
            errors.merge(more);
            return refuse(shell, &session, &state, scope, posted, errors, Vec::new()).await;
        }
    };
    let students = posted.ticked.clone();
    let work_scope = scope.clone();
    let user = shell.user.id;
    let outcome = db::run(&state.pool, move |conn| {
        many::enroll_all(conn, &work_scope, &template, &students, token, user)
    })
    .await?;
    match outcome {
        Outcome::Enrolled { count, waitlisted } => {
            let students = crate::web::format::plural(count as i64, "student", "students");
            flash::success(
                &session,
                if waitlisted > 0 {
                    format!(
                        "Enrolled {students}: {} in the class, {waitlisted} on its waitlist.",
                        count - waitlisted
                    )
                } else {
                    format!("Enrolled {students}.")
                },
            );
            Ok(redirect("/enrollments"))
        }
        Outcome::Refused(names) => {
            refuse(
                shell,
                &session,
                &state,
                scope,
                posted,
                FieldErrors::new(),
                names,
            )
            .await
        }
    }
}

async fn refuse(
    shell: Shell,
    session: &Session,
    state: &AppState,
    scope: ProgramScope,
    posted: Posted,
    errors: FieldErrors,
    refusals: Vec<(String, String)>,
) -> AppResult<HttpResponse> {
    let search = posted.search.clone();
    let (view, candidates) = build(state, session, scope, posted, errors).await?;
    render_with_status(
        StatusCode::UNPROCESSABLE_ENTITY,
        &BulkPage {
            shell,
            search,
            view,
            candidates,
            refusals,
        },
    )
}
