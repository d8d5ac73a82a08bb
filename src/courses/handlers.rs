//! Course pages: the list, the course page (details, offerings, tutors, curriculum tree, roster),
//! the form, archive, restore and delete.

use actix_session::Session;
use actix_web::{web, HttpResponse};
use askama::Template;
use diesel::PgConnection;
use serde::Deserialize;
use uuid::Uuid;

use super::{
    form::CourseForm,
    model::{self, Course, ListRow, Status, SORTS},
    page::show_page,
};
use crate::{
    access::{permission::allows, Action, ProgramScope},
    db,
    error::{AppError, AppResult},
    offerings::{Choices, Offered},
    web::{
        flash,
        form::{FieldErrors, VersionForm},
        once::{self, FormToken},
        pagination::{query_string, PageRequest, Paginated},
        redirect, render, render_with_status,
        sort::Sort,
        Shell,
    },
    AppState,
};

#[derive(Debug, Deserialize)]
pub struct ListQuery {
    pub q: Option<String>,
    pub status: Option<String>,
    pub sort: Option<String>,
    pub page: Option<i64>,
}

#[derive(Template)]
#[template(path = "courses/list.html")]
struct ListPage {
    shell: Shell,
    pagination: Paginated<ListRow>,
    q: String,
    status: &'static str,
    sort: &'static str,
    sorts: &'static [(&'static str, &'static str)],
    can_edit: bool,
    is_tutor: bool,
}

impl ListPage {
    fn order(&self) -> Sort {
        Sort::parse(self.sort, &["name", "level"], Sort::default()).unwrap_or_default()
    }
    /// The list's query without its order, for the column headers.
    fn unsorted(&self) -> String {
        query_string(&[("q", &self.q), ("status", self.status)])
    }
    fn filtered(&self) -> bool {
        !self.q.is_empty() || self.status != "active"
    }
}

pub async fn list(
    shell: Shell,
    scope: ProgramScope,
    state: web::Data<AppState>,
    query: web::Query<ListQuery>,
) -> AppResult<HttpResponse> {
    let query = query.into_inner();
    let page = PageRequest::parse(query.page)?;
    let q = query.q.unwrap_or_default().trim().to_string();
    let status = Status::parse(query.status.as_deref());
    let sort = model::parse_sort(query.sort.as_deref());
    let is_tutor = scope.tutor_id().is_some();
    let search = q.clone();
    let rows = db::run(&state.pool, move |conn| {
        model::list(conn, &scope, &search, status, sort, page)
    })
    .await?;
    let base = query_string(&[("q", &q), ("status", status.as_str()), ("sort", sort)]);
    render(&ListPage {
        can_edit: allows(shell.user.role, Action::EditCatalogue),
        shell,
        pagination: Paginated::new(rows, page, base),
        q,
        status: status.as_str(),
        sort,
        sorts: SORTS,
        is_tutor,
    })
}

pub async fn show(
    shell: Shell,
    scope: ProgramScope,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
) -> AppResult<HttpResponse> {
    show_page(shell, scope, &state, path.into_inner(), None).await
}

// ----- The form -----

#[derive(Template)]
#[template(path = "courses/form.html")]
struct FormPage {
    shell: Shell,
    /// `None` for a new course.
    course: Option<Course>,
    form: CourseForm,
    errors: FieldErrors,
    choices: Choices,
}

impl FormPage {
    fn action(&self) -> String {
        match &self.course {
            Some(course) => format!("/courses/{}/edit", course.id),
            None => "/courses".into(),
        }
    }
}

fn form_page(
    shell: Shell,
    course: Option<Course>,
    form: CourseForm,
    errors: FieldErrors,
    choices: Choices,
) -> AppResult<HttpResponse> {
    let status = errors.status();
    render_with_status(
        status,
        &FormPage {
            shell,
            course,
            form,
            errors,
            choices,
        },
    )
}

pub async fn new_form(
    shell: Shell,
    scope: ProgramScope,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let choices = db::run(&state.pool, move |conn| Ok(Choices::load(conn, &scope)?)).await?;
    form_page(
        shell,
        None,
        CourseForm::blank(),
        FieldErrors::new(),
        choices,
    )
}

pub async fn create(
    shell: Shell,
    scope: ProgramScope,
    session: Session,
    state: web::Data<AppState>,
    token: FormToken,
    body: web::Form<Vec<(String, String)>>,
) -> AppResult<HttpResponse> {
    let form = CourseForm::from_pairs(&body);
    let user = shell.user.id;
    let reload = scope.clone();
    let choices = db::run(&state.pool, move |conn| Ok(Choices::load(conn, &reload)?)).await?;
    let command = match form.validate(&choices) {
        Ok(command) => command,
        Err(errors) => return form_page(shell, None, form, errors, choices),
    };
    let (id, name) = db::transaction(&state.pool, move |conn| {
        let insert = |conn: &mut PgConnection| model::insert(conn, &scope, &command);
        let id = once::create(conn, token, user, insert, |id| format!("/courses/{id}"))?;
        Ok((id, command.name))
    })
    .await?;
    flash::success(
        &session,
        format!("Course \u{201c}{name}\u{201d} created. Add its curriculum below."),
    );
    Ok(redirect(&format!("/courses/{id}")))
}

pub async fn edit_form(
    shell: Shell,
    scope: ProgramScope,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
) -> AppResult<HttpResponse> {
    let course_id = path.into_inner();
    let (course, offerings, choices) = db::run(&state.pool, move |conn| {
        Ok((
            model::find(conn, &scope, course_id)?,
            Offered::of_course(conn, &scope, course_id)?,
            Choices::load(conn, &scope)?,
        ))
    })
    .await?;
    let form = CourseForm::from_course(&course, &offerings);
    form_page(shell, Some(course), form, FieldErrors::new(), choices)
}

pub async fn update(
    shell: Shell,
    scope: ProgramScope,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
    body: web::Form<Vec<(String, String)>>,
) -> AppResult<HttpResponse> {
    let course_id = path.into_inner();
    let form = CourseForm::from_pairs(&body);
    let reload = scope.clone();
    let (course, choices) = db::run(&state.pool, move |conn| {
        Ok((
            model::find(conn, &reload, course_id)?,
            Choices::load(conn, &reload)?,
        ))
    })
    .await?;
    let command = match form.validate(&choices) {
        Ok(command) => command,
        Err(errors) => return form_page(shell, Some(course), form, errors, choices),
    };
    let saved = db::transaction(&state.pool, move |conn| {
        model::update(conn, &scope, course_id, &command)?;
        Ok(command.name)
    })
    .await;
    match saved {
        Ok(name) => {
            flash::success(&session, format!("Course \u{201c}{name}\u{201d} saved."));
            Ok(redirect(&format!("/courses/{course_id}")))
        }
        Err(AppError::Invalid(errors)) => form_page(shell, Some(course), form, errors, choices),
        Err(e) => Err(e),
    }
}

// ----- Archive, restore, delete -----

pub async fn archive(
    scope: ProgramScope,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
    form: web::Form<VersionForm>,
) -> AppResult<HttpResponse> {
    let (course_id, version) = (path.into_inner(), form.into_inner().version);
    let course = db::transaction(&state.pool, move |conn| {
        model::set_active(conn, &scope, course_id, false, &version)
    })
    .await?;
    flash::success(
        &session,
        format!(
            "Course \u{201c}{}\u{201d} archived. It stays in the records and can be restored.",
            course.name
        ),
    );
    Ok(redirect(&format!("/courses/{course_id}")))
}

pub async fn restore(
    scope: ProgramScope,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
    form: web::Form<VersionForm>,
) -> AppResult<HttpResponse> {
    let (course_id, version) = (path.into_inner(), form.into_inner().version);
    let course = db::transaction(&state.pool, move |conn| {
        model::set_active(conn, &scope, course_id, true, &version)
    })
    .await?;
    flash::success(
        &session,
        format!("Course \u{201c}{}\u{201d} restored.", course.name),
    );
    Ok(redirect(&format!("/courses/{course_id}")))
}

pub async fn delete(
    scope: ProgramScope,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
    form: web::Form<VersionForm>,
) -> AppResult<HttpResponse> {
    let (course_id, version) = (path.into_inner(), form.into_inner().version);
    let course = db::transaction(&state.pool, move |conn| {
        model::delete(conn, &scope, course_id, &version)
    })
    .await?;
    flash::success(
        &session,
        format!("Course \u{201c}{}\u{201d} deleted.", course.name),
    );
    Ok(redirect("/courses"))
}
