//! A program's Team page: its people with their roles, adding an existing coordinator or tutor,
//! taking someone off the program (their course assignments there end with it). The account
//! pages of the team (`/team/users/...`) are `users::handlers` with `Reach::Team`.

use actix_session::Session;
use actix_web::{web, HttpResponse};
use askama::Template;
use serde::Deserialize;
use uuid::Uuid;

use crate::{
    access::{CurrentUser, ProgramScope, Role},
    db,
    error::{AppError, AppResult},
    users::{
        assignments,
        handlers::{removed_message, ListQuery},
    },
    web::{
        flash,
        form::VersionForm,
        pagination::{query_string, PageRequest, Paginated},
        redirect, render, Shell,
    },
    AppState,
};

use super::model::{self, Member};

#[derive(Template)]
#[template(path = "team/show.html")]
struct TeamPage {
    shell: Shell,
    query: ListQuery,
    roles: &'static [Role],
    candidates: Vec<(Uuid, String)>,
    pagination: Paginated<Member>,
    tz: chrono_tz::Tz,
}

pub async fn show(
    shell: Shell,
    scope: ProgramScope,
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
    let roles: &'static [Role] = &[Role::ProgramAdmin, Role::ProgramCoordinator, Role::Tutor];
    let (rows, candidates) = db::run(&state.pool, move |conn| {
        let team = model::page(
            conn,
            &scope,
            (q.as_str(), role.as_str(), status.as_str()),
            sort,
            request,
        )?;
        let candidates = assignments::candidates(conn, &scope)?;
        Ok((team, candidates))
    })
    .await?;
    let base = query_string(&[
        ("q", &query.q),
        ("role", &query.role),
        ("status", &query.status),
        ("sort", &query.sort),
    ]);
    render(&TeamPage {
        shell,
        query,
        roles,
        candidates,
        pagination: Paginated::new(rows, request, base),
        tz: state.config.time_zone,
    })
}

#[derive(Debug, Default, Deserialize)]
pub struct AssignForm {
    #[serde(default)]
    user_id: String,
}

/// Adds an existing person to the program; only someone `assignments::candidates` offers.
pub async fn assign(
    me: CurrentUser,
    session: Session,
    scope: ProgramScope,
    state: web::Data<AppState>,
    form: web::Form<AssignForm>,
) -> AppResult<HttpResponse> {
    let user_id = form
        .user_id
        .trim()
        .parse::<Uuid>()
        .map_err(|_| AppError::bad_request("Choose a person to add to the team."))?;
    let program = scope.program_name().to_string();
    let username = db::transaction(&state.pool, move |conn| {
        model::add(conn, &scope, user_id, me.id)
    })
    .await?;
    flash::success(
        &session,
        format!("{username} joined the team of {program}."),
    );
    Ok(redirect("/team"))
}

#[derive(Deserialize)]
pub struct UserPath {
    user_id: Uuid,
}

/// Takes someone off the program: only people `users::model::removable` gives. Their other
/// programs' assignments, if any, stay as they are.
pub async fn unassign(
    session: Session,
    scope: ProgramScope,
    state: web::Data<AppState>,
    path: web::Path<UserPath>,
    form: web::Form<VersionForm>,
) -> AppResult<HttpResponse> {
    let user_id = path.user_id;
    let version = form.into_inner().version;
    let program = scope.program_name().to_string();
    let (username, ended) = db::transaction(&state.pool, move |conn| {
        model::take_off(conn, &scope, user_id, &version)
    })
    .await?;
    flash::success(&session, removed_message(&username, &program, ended));
    Ok(redirect("/team"))
}
