//! Bulk enrolling: several students into one course, configuration and facility, in one
//! transaction (`bulk_assigned`): all of them, or none with a reason per refused student.

use actix_session::Session;
use actix_web::{http::StatusCode, web, HttpResponse};
use askama::Template;
use diesel::{prelude::*, Connection};
use serde::Deserialize;
use uuid::Uuid;

use super::{
    create::enroll,
    form::{self, EnrollForm, EnrollView},
    AssignmentType,
};
use crate::{
    access::ProgramScope,
    db,
    error::{AppError, AppResult},
    schema::students,
    students::StudentStatus,
    web::{
        csrf, flash,
        form::FieldErrors,
        once::{self, FormToken},
        redirect, render, render_with_status, Shell,
    },
    AppState,
};

/// Most students one bulk enrollment shows and takes.
const MAX_STUDENTS: i64 = 100;

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
            _ => {}
        }
    }
    Posted {
        form,
        search,
        ticked,
    }
}

fn candidates(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    search: &str,
    ticked: &[Uuid],
) -> QueryResult<Vec<(Uuid, String, bool)>> {
    // The same search as the student list, through its trigram index.
    let query = if search.trim().is_empty() {
        scope.students().into_boxed()
    } else {
        crate::students::search(scope, search)
    }
    .filter(students::status.eq(StudentStatus::Active));
    let rows: Vec<(Uuid, String, String, String)> = query
        .order((students::last_name.asc(), students::first_name.asc()))
        .limit(MAX_STUDENTS)
        .select((
            students::id,
            students::student_id,
            students::first_name,
            students::last_name,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, code, first, last)| {
            (
                id,
                format!("{last}, {first} ({code})"),
                ticked.contains(&id),
            )
        })
        .collect())
}

/// "Ada Obi belongs to age group 9-12 by date of birth; you chose 6-8.", for each ticked
/// student the chosen age group does not fit (as the single enrollment form warns).
fn age_misfits(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    ticked: &[Uuid],
    chosen: &str,
    today: chrono::NaiveDate,
) -> AppResult<Vec<String>> {
    if chosen.is_empty() || ticked.is_empty() {
        return Ok(Vec::new());
    }
    let groups = super::configuration::age_groups(conn, scope)?;
    let born: Vec<(String, String, Option<chrono::NaiveDate>)> = scope
        .students()
        .filter(students::id.eq_any(ticked))
        .order((students::last_name, students::first_name))
        .select((
            students::first_name,
            students::last_name,
            students::date_of_birth,
        ))
        .load(conn)?;
    Ok(born
        .into_iter()
        .filter_map(|(first, last, born)| {
            let age = super::configuration::age_on(born?, today);
            let group = super::configuration::group_of(&groups, age)?;
            (group != chosen).then(|| {
                format!("{first} {last} belongs to age group {group} by date of birth; you chose {chosen}.")
            })
        })
        .collect())
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
        let list = candidates(conn, &scope, &search, &ticked)?;
        let mut view = form::view(conn, &scope, form, errors, today)?;
        let misfits = age_misfits(conn, &scope, &ticked, &view.form.age_group, today)?;
        view.warnings.extend(misfits);
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
        let mut refusals = Vec::new();
        let result = conn.transaction::<usize, BulkFailure, _>(|conn| {
            once::claim(conn, token, user).map_err(BulkFailure::Failed)?;
            for student in &students {
                let mut one = template.clone();
                one.student_id = *student;
                // A savepoint per student: a refused insert must not abort the others' checks.
                match conn.transaction(|conn| {
                    enroll(conn, &work_scope, &one, AssignmentType::BulkAssigned)
                }) {
                    Ok(_) => {}
                    Err(AppError::Invalid(errors)) => refusals.push((*student, errors.summary())),
                    Err(e) => return Err(BulkFailure::Failed(e)),
                }
            }
            if !refusals.is_empty() {
                // All or nothing: one refusal undoes the others.
                return Err(BulkFailure::Refused);
            }
            once::saved_at(conn, token, "/enrollments").map_err(BulkFailure::Failed)?;
            Ok(students.len())
        });
        match result {
            Ok(count) => Ok(Ok(count)),
            Err(BulkFailure::Refused) => Ok(Err(refusals)),
            Err(BulkFailure::Failed(e)) => Err(e),
        }
    })
    .await?;
    match outcome {
        Ok(count) => {
            flash::success(
                &session,
                format!(
                    "Enrolled {}.",
                    crate::web::format::plural(count as i64, "student", "students")
                ),
            );
            Ok(redirect("/enrollments"))
        }
        Err(refused) => {
            let names = label_refusals(&state, scope.clone(), refused).await?;
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

async fn label_refusals(
    state: &AppState,
    scope: ProgramScope,
    refused: Vec<(Uuid, String)>,
) -> AppResult<Vec<(String, String)>> {
    db::run(&state.pool, move |conn| {
        let ids: Vec<Uuid> = refused.iter().map(|r| r.0).collect();
        let names: Vec<(Uuid, String, String)> = scope
            .students()
            .filter(students::id.eq_any(ids))
            .select((students::id, students::first_name, students::last_name))
            .load(conn)?;
        Ok(refused
            .into_iter()
            .map(|(id, reason)| {
                let name = names
                    .iter()
                    .find(|n| n.0 == id)
                    .map(|n| format!("{} {}", n.1, n.2))
                    .unwrap_or_default();
                (name, reason)
            })
            .collect())
    })
    .await
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

/// Why the bulk transaction rolled back: a student was refused (the page names them), or the
/// work failed (its own error: a conflict stays a conflict, never a 500).
enum BulkFailure {
    Refused,
    Failed(AppError),
}

impl From<diesel::result::Error> for BulkFailure {
    fn from(e: diesel::result::Error) -> Self {
        BulkFailure::Failed(e.into())
    }
}
