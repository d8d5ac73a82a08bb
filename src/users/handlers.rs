//! The account pages, shared by the Academy section (`/users`, every account, super admins) and
//! a program's team (`/team/users`, the accounts `model::manageable` gives): list, new, edit,
//! password reset, activate and deactivate, and (Academy) program assignments.

use std::future::{ready, Ready};

use actix_session::Session;
use actix_web::{dev::Payload, http::StatusCode, web, FromRequest, HttpRequest, HttpResponse};
use askama::Template;
use diesel::PgConnection;
use serde::Deserialize;
use uuid::Uuid;

use super::{
    assignments::{self, Assignment},
    form::{ResetPasswordForm, UserForm},
    model::{self, Reach, UserRow, SORT_KEYS},
};
use crate::{
    access::{CurrentUser, ProgramScope, Role},
    auth, db,
    error::{AppError, AppResult},
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

// ---------------------------------------------------------------- list (Academy)

#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub role: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub sort: String,
    pub page: Option<i64>,
}

pub struct ListedUser {
    pub user: UserRow,
    pub programs: Vec<String>,
}

#[derive(Template)]
#[template(path = "users/list.html")]
struct ListPage {
    shell: Shell,
    query: ListQuery,
    roles: &'static [Role],
    pagination: Paginated<ListedUser>,
}

impl ListQuery {
    /// The list's order (an unknown one reads as the default).
    pub fn order(&self) -> Sort {
        Sort::parse(&self.sort, SORT_KEYS, Sort::ascending("name"))
            .unwrap_or(Sort::ascending("name"))
    }

    /// The list's query without its order, for the column headers.
    pub fn unsorted(&self) -> String {
        query_string(&[
            ("q", &self.q),
            ("role", &self.role),
            ("status", &self.status),
        ])
    }
}

pub async fn list(
    shell: Shell,
    state: web::Data<AppState>,
    query: web::Query<ListQuery>,
) -> AppResult<HttpResponse> {
    let query = query.into_inner();
    let request = PageRequest::parse(query.page)?;
    let (q, role, status, sort) = (
        query.q.clone(),
        query.role.clone(),
        query.status.clone(),
        query.order(),
    );
    let rows = db::run(&state.pool, move |conn| {
        let rows = model::page(conn, &Reach::All, &q, &role, &status, sort, request)?;
        let ids: Vec<Uuid> = rows.iter().map(|(u, _)| u.id).collect();
        let mut names = assignments::program_names(conn, &ids)?;
        Ok(rows
            .into_iter()
            .map(|(user, total)| {
                let programs = names.remove(&user.id).unwrap_or_default();
                (ListedUser { user, programs }, total)
            })
            .collect::<Vec<_>>())
    })
    .await?;
    let base = query_string(&[
        ("q", &query.q),
        ("role", &query.role),
        ("status", &query.status),
        ("sort", &query.sort),
    ]);
    render(&ListPage {
        shell,
        query,
        roles: Role::ALL,
        pagination: Paginated::new(rows, request, base),
    })
}

// ---------------------------------------------------------------- new and edit

#[derive(Template)]
#[template(path = "users/form.html")]
struct FormPage {
    shell: Shell,
    base: &'static str,
    home: &'static str,
    academy: bool,
    roles: &'static [Role],
    form: UserForm,
    errors: FieldErrors,
    /// `None` on the new-account page.
    user: Option<UserRow>,
    password_error: String,
    /// Academy pages: the user's programs, and active programs to add them to.
    assignments: Vec<Assignment>,
    offered_programs: Vec<(Uuid, String)>,
    is_self: bool,
    tz: chrono_tz::Tz,
}

impl FormPage {
    fn new(shell: Shell, reach: &Reach, tz: chrono_tz::Tz) -> Self {
        Self {
            shell,
            base: reach.base(),
            home: reach.home(),
            academy: matches!(reach, Reach::All),
            roles: reach.roles(),
            form: UserForm::default(),
            errors: FieldErrors::new(),
            user: None,
            password_error: String::new(),
            assignments: Vec::new(),
            offered_programs: Vec::new(),
            is_self: false,
            tz,
        }
    }

    fn action(&self) -> String {
        match &self.user {
            Some(user) => format!("{}/{}/edit", self.base, user.id),
            None => format!("{}/new", self.base),
        }
    }
}

/// The Academy section's side of `Reach`: every account. It reads nothing from the request; being
/// an extractor like `ProgramScope` lets one handler below serve both sections: `routes.rs` names
/// `edit::<Academy>` for `/users/...` and `edit::<ProgramScope>` for `/team/users/...`.
pub struct Academy;

impl FromRequest for Academy {
    type Error = AppError;
    type Future = Ready<Result<Self, AppError>>;
    fn from_request(_: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(Ok(Academy))
    }
}

impl From<Academy> for Reach {
    fn from(_: Academy) -> Self {
        Reach::All
    }
}

impl From<ProgramScope> for Reach {
    fn from(scope: ProgramScope) -> Self {
        Reach::Team(scope)
    }
}

pub async fn new<R: Into<Reach>>(
    shell: Shell,
    reach: R,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let mut page = FormPage::new(shell, &reach.into(), state.config.time_zone);
    page.form.role = Role::Tutor.as_str().into();
    if page.academy {
        page.offered_programs =
            db::run(&state.pool, |conn| Ok(model::active_programs(conn)?)).await?;
    }
    render(&page)
}

pub async fn create<R: Into<Reach>>(
    shell: Shell,
    me: CurrentUser,
    session: Session,
    reach: R,
    state: web::Data<AppState>,
    token: FormToken,
    form: web::Form<UserForm>,
) -> AppResult<HttpResponse> {
    let (reach, form, state) = (reach.into(), form.into_inner(), state.get_ref());
    let validated = form.validate(reach.roles(), true);
    let program_choice = match &reach {
        Reach::All if !form.program_id.trim().is_empty() => {
            let chosen = form.program_id.trim().parse::<Uuid>().ok();
            let offered = db::run(&state.pool, |conn| Ok(model::active_programs(conn)?)).await?;
            match chosen.filter(|id| offered.iter().any(|(p, _)| p == id)) {
                Some(id) => Some(id),
                None => {
                    let mut errors = validated.err().unwrap_or_default();
                    errors.add("program_id", "Choose one of the active programs, or none.");
                    return form_error(shell, &reach, state, form, errors).await;
                }
            }
        }
        Reach::All => None,
        Reach::Team(scope) => Some(scope.program_id()),
    };
    let command = match validated {
        Ok(c) => c,
        Err(errors) => return form_error(shell, &reach, state, form, errors).await,
    };
    let hash = web::block({
        let password = command.password.clone().unwrap_or_default();
        move || auth::hash_password(&password)
    })
    .await
    .map_err(|e| AppError::internal(e.to_string()))??;
    let me_id = me.id;
    let home = reach.clone();
    let outcome = db::transaction(&state.pool, move |conn| {
        let insert =
            |conn: &mut PgConnection| model::create(conn, &command, &hash, program_choice, me_id);
        once::create(conn, token, me_id, insert, |(id, _)| {
            created_location(&home, *id)
        })
    })
    .await;
    match outcome {
        Ok((id, username)) => {
            flash::success(&session, format!("Account {username} created."));
            Ok(redirect(&created_location(&reach, id)))
        }
        Err(AppError::Invalid(errors)) => form_error(shell, &reach, state, form, errors).await,
        Err(e) => Err(e),
    }
}

/// Where a new account is shown: its page in the Academy section, the team page of a team.
fn created_location(reach: &Reach, id: Uuid) -> String {
    match reach {
        Reach::All => format!("/users/{id}/edit"),
        Reach::Team(_) => "/team".to_string(),
    }
}

async fn form_error(
    shell: Shell,
    reach: &Reach,
    state: &AppState,
    mut form: UserForm,
    errors: FieldErrors,
) -> AppResult<HttpResponse> {
    form.password.clear();
    let mut page = FormPage::new(shell, reach, state.config.time_zone);
    page.form = form;
    page.errors = errors;
    if page.academy {
        page.offered_programs =
            db::run(&state.pool, |conn| Ok(model::active_programs(conn)?)).await?;
    }
    render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

async fn edit_page(
    shell: Shell,
    me: &CurrentUser,
    reach: Reach,
    state: &AppState,
    user_id: Uuid,
    form: Option<(UserForm, FieldErrors)>,
    password_error: String,
) -> AppResult<HttpResponse> {
    let academy = matches!(reach, Reach::All);
    let lookup = reach.clone();
    let (user, assignments, offered) = db::run(&state.pool, move |conn| {
        let user = lookup.find(conn, user_id)?;
        let (a, o) = if academy {
            (
                assignments::assignments_of(conn, user_id)?,
                assignments::programs_to_offer(conn, user_id)?,
            )
        } else {
            (Vec::new(), Vec::new())
        };
        Ok((user, a, o))
    })
    .await?;
    let mut page = FormPage::new(shell, &reach, state.config.time_zone);
    let status = if form.is_some() || !password_error.is_empty() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let (form, errors) = form.unwrap_or_else(|| {
        (
            UserForm {
                full_name: user.full_name.clone(),
                username: user.username.clone(),
                email: user.email.clone(),
                role: user.role.as_str().into(),
                ..UserForm::default()
            },
            FieldErrors::new(),
        )
    });
    page.form = form;
    page.errors = errors;
    page.password_error = password_error;
    page.is_self = user.id == me.id;
    page.user = Some(user);
    page.assignments = assignments;
    page.offered_programs = offered;
    render_with_status(status, &page)
}

#[derive(Deserialize)]
pub struct UserPath {
    user_id: Uuid,
}

pub async fn edit<R: Into<Reach>>(
    shell: Shell,
    me: CurrentUser,
    reach: R,
    state: web::Data<AppState>,
    path: web::Path<UserPath>,
) -> AppResult<HttpResponse> {
    let reach = reach.into();
    edit_page(shell, &me, reach, &state, path.user_id, None, String::new()).await
}

pub async fn update<R: Into<Reach>>(
    shell: Shell,
    me: CurrentUser,
    session: Session,
    reach: R,
    state: web::Data<AppState>,
    path: web::Path<UserPath>,
    form: web::Form<UserForm>,
) -> AppResult<HttpResponse> {
    let (reach, state) = (reach.into(), state.get_ref());
    let (user_id, form) = (path.user_id, form.into_inner());
    // The account must be within reach before anything about the form is said.
    let lookup = reach.clone();
    let current = db::run(&state.pool, move |conn| lookup.find(conn, user_id)).await?;
    let command = match form.validate(reach.roles(), false) {
        Ok(c) => c,
        Err(errors) => {
            let form = Some((form, errors));
            return edit_page(shell, &me, reach, state, user_id, form, String::new()).await;
        }
    };
    let lookup = reach.clone();
    let outcome = db::transaction(&state.pool, move |conn| {
        model::update(conn, &lookup, user_id, &command)
    })
    .await;
    match outcome {
        Ok(username) => {
            flash::success(&session, format!("Account {username} saved."));
            Ok(redirect(&match reach {
                Reach::All => format!("/users/{}/edit", current.id),
                Reach::Team(_) => "/team".to_string(),
            }))
        }
        Err(AppError::Invalid(errors)) => {
            let form = Some((form, errors));
            edit_page(shell, &me, reach, state, user_id, form, String::new()).await
        }
        Err(e) => Err(e),
    }
}

// ---------------------------------------------------------------- password, activation

pub async fn password<R: Into<Reach>>(
    shell: Shell,
    me: CurrentUser,
    session: Session,
    reach: R,
    state: web::Data<AppState>,
    path: web::Path<UserPath>,
    form: web::Form<ResetPasswordForm>,
) -> AppResult<HttpResponse> {
    let (reach, state) = (reach.into(), state.get_ref());
    let (user_id, form) = (path.user_id, form.into_inner());
    let lookup = reach.clone();
    let user = db::run(&state.pool, move |conn| lookup.find(conn, user_id)).await?;
    if let Some(problem) = auth::password_weakness(&form.password, &user.username) {
        return edit_page(shell, &me, reach, state, user_id, None, problem.to_string()).await;
    }
    let hash = web::block(move || auth::hash_password(&form.password))
        .await
        .map_err(|e| AppError::internal(e.to_string()))??;
    let lookup = reach.clone();
    db::transaction(&state.pool, move |conn| {
        model::set_password(conn, &lookup, user_id, &hash)
    })
    .await?;
    flash::success(
        &session,
        format!(
            "New password set for {}. Tell them in person or by phone.",
            user.username
        ),
    );
    Ok(redirect(&format!("{}/{}/edit", reach.base(), user_id)))
}

pub async fn activate<R: Into<Reach>>(
    me: CurrentUser,
    session: Session,
    reach: R,
    state: web::Data<AppState>,
    path: web::Path<UserPath>,
    form: web::Form<VersionForm>,
) -> AppResult<HttpResponse> {
    set_active(
        me,
        session,
        reach.into(),
        &state,
        path.user_id,
        form.0.version,
        true,
    )
    .await
}

pub async fn deactivate<R: Into<Reach>>(
    me: CurrentUser,
    session: Session,
    reach: R,
    state: web::Data<AppState>,
    path: web::Path<UserPath>,
    form: web::Form<VersionForm>,
) -> AppResult<HttpResponse> {
    set_active(
        me,
        session,
        reach.into(),
        &state,
        path.user_id,
        form.0.version,
        false,
    )
    .await
}

async fn set_active(
    me: CurrentUser,
    session: Session,
    reach: Reach,
    state: &AppState,
    user_id: Uuid,
    version: String,
    active: bool,
) -> AppResult<HttpResponse> {
    let lookup = reach.clone();
    let me_id = me.id;
    let username = db::transaction(&state.pool, move |conn| {
        model::set_active(conn, &lookup, user_id, &version, active, me_id)
    })
    .await?;
    let message = if active {
        format!("Account {username} is active again: they can sign in.")
    } else {
        format!("Account {username} is deactivated: they can no longer sign in.")
    };
    flash::success(&session, message);
    Ok(redirect(&format!("{}/{}/edit", reach.base(), user_id)))
}

// ---------------------------------------------------------------- program assignments (Academy)

#[derive(Debug, Default, Deserialize)]
pub struct AssignForm {
    #[serde(default)]
    program_id: String,
}

pub async fn assign(
    me: CurrentUser,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<UserPath>,
    form: web::Form<AssignForm>,
) -> AppResult<HttpResponse> {
    let user_id = path.user_id;
    let program_id = form
        .program_id
        .trim()
        .parse::<Uuid>()
        .map_err(|_| AppError::bad_request("Choose a program to add the account to."))?;
    let (username, program) = db::transaction(&state.pool, move |conn| {
        let user = Reach::All.find(conn, user_id)?;
        let program = assignments::assign(conn, user.id, user.role, program_id, me.id)?;
        Ok((user.username, program))
    })
    .await?;
    flash::success(&session, format!("{username} added to {program}."));
    Ok(redirect(&format!("/users/{user_id}/edit")))
}

#[derive(Deserialize)]
pub struct UserProgramPath {
    user_id: Uuid,
    program_id: Uuid,
}

pub async fn unassign(
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<UserProgramPath>,
    form: web::Form<VersionForm>,
) -> AppResult<HttpResponse> {
    let UserProgramPath {
        user_id,
        program_id,
    } = path.into_inner();
    let version = form.into_inner().version;
    let (username, program, ended) = db::transaction(&state.pool, move |conn| {
        let user = Reach::All.find(conn, user_id)?;
        let (program, ended) = assignments::unassign(conn, user.id, program_id, &version)?;
        Ok((user.username, program, ended))
    })
    .await?;
    flash::success(&session, removed_message(&username, &program, ended));
    Ok(redirect(&format!("/users/{user_id}/edit")))
}

pub fn removed_message(username: &str, program: &str, ended: i64) -> String {
    match ended {
        0 => format!("{username} removed from {program}."),
        1 => format!("{username} removed from {program}; 1 course assignment ended."),
        n => format!("{username} removed from {program}; {n} course assignments ended."),
    }
}
