//! A program's Team page: its people with their roles, adding an existing coordinator or tutor,
//! taking someone off the program (their course assignments there end with it). The account
//! pages of the team (`/team/users/...`) are `users::handlers` with `Reach::Team`.

use std::collections::HashMap;

use actix_session::Session;
use actix_web::{web, HttpResponse};
use askama::Template;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde::Deserialize;
use uuid::Uuid;

use crate::{
    access::{CurrentUser, ProgramScope, Role},
    db,
    error::{AppError, AppResult},
    schema::{course_tutors, user_program_assignments, users},
    users::{
        assignments::{self, unassign_question},
        handlers::{filtered, removed_message, sorted, ListQuery},
        model::{manageable, may_remove, members, removable, UserRow},
    },
    web::{
        flash,
        form::{check_version, VersionForm},
        pagination::{query_string, total_count, PageRequest, Paginated},
        redirect, render, Shell,
    },
    AppState,
};

pub struct Member {
    pub user: UserRow,
    pub assigned_at: DateTime<Utc>,
    pub assigned_by: Option<String>,
    pub course_assignments: i64,
    pub version: String,
    /// Whether the viewer may edit this person's account (`users::model::manageable`).
    pub manageable: bool,
    /// Whether the viewer may take this person off the team (`users::model::removable`).
    pub removable: bool,
}

impl Member {
    pub fn confirm_question(&self, program: &str) -> String {
        unassign_question(&self.user.username, program, self.course_assignments)
    }
}

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
        let rows: Vec<(UserRow, i64)> = sorted(filtered(members(&scope), &q, &role, &status), sort)
            .select((UserRow::as_select(), total_count()))
            .limit(request.limit())
            .offset(request.offset())
            .load(conn)?;
        // The page's assignments, who made them and the course assignments, in three queries.
        let ids: Vec<Uuid> = rows.iter().map(|(u, _)| u.id).collect();
        let placed: HashMap<Uuid, (DateTime<Utc>, Option<Uuid>, DateTime<Utc>)> = scope
            .user_program_assignments()
            .filter(user_program_assignments::user_id.eq_any(&ids))
            .select((
                user_program_assignments::user_id,
                (
                    user_program_assignments::assigned_at,
                    user_program_assignments::assigned_by,
                    user_program_assignments::updated_at,
                ),
            ))
            .load::<(Uuid, (DateTime<Utc>, Option<Uuid>, DateTime<Utc>))>(conn)?
            .into_iter()
            .collect();
        let by_ids: Vec<Uuid> = placed.values().filter_map(|(_, by, _)| *by).collect();
        let names: HashMap<Uuid, String> = users::table
            .filter(users::id.eq_any(&by_ids))
            .select((users::id, users::username))
            .load::<(Uuid, String)>(conn)?
            .into_iter()
            .collect();
        let courses: HashMap<Uuid, i64> = scope
            .course_tutors()
            .filter(course_tutors::user_id.eq_any(&ids))
            .group_by(course_tutors::user_id)
            .select((course_tutors::user_id, diesel::dsl::count_star()))
            .load::<(Uuid, i64)>(conn)?
            .into_iter()
            .collect();
        let may_manage: std::collections::HashSet<Uuid> = manageable(&scope)
            .filter(users::id.eq_any(&ids))
            .select(users::id)
            .load::<Uuid>(conn)?
            .into_iter()
            .collect();
        let mut team = Vec::with_capacity(rows.len());
        for (user, total) in rows {
            let Some((assigned_at, by, updated_at)) = placed.get(&user.id).copied() else {
                continue; // taken off the team between the two queries
            };
            team.push((
                Member {
                    manageable: may_manage.contains(&user.id),
                    removable: may_remove(&scope, user.role),
                    assigned_at,
                    assigned_by: by.and_then(|id| names.get(&id).cloned()),
                    course_assignments: courses.get(&user.id).copied().unwrap_or(0),
                    version: crate::web::form::version(updated_at),
                    user,
                },
                total,
            ));
        }
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
        let offered = assignments::candidates(conn, &scope)?;
        if !offered.iter().any(|(id, _)| *id == user_id) {
            return Err(AppError::NotFound);
        }
        let (username, role): (String, Role) = users::table
            .find(user_id)
            .select((users::username, users::role))
            .first(conn)?;
        user_program_assignments::insert()
            .values((
                user_program_assignments::user_id.eq(user_id),
                user_program_assignments::program_id.eq(scope.program_id()),
                user_program_assignments::assigned_by.eq(me.id),
            ))
            .execute(conn)?;
        let _ = role;
        Ok(username)
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
        let user: UserRow = removable(&scope)
            .filter(users::id.eq(user_id))
            .select(UserRow::as_select())
            .first(conn)?;
        let updated_at: DateTime<Utc> = scope
            .user_program_assignments()
            .filter(user_program_assignments::user_id.eq(user.id))
            .select(user_program_assignments::updated_at)
            .for_update()
            .first(conn)?;
        check_version(&version, updated_at, "This assignment")?;
        let ended: i64 = scope
            .course_tutors()
            .filter(course_tutors::user_id.eq(user.id))
            .count()
            .get_result(conn)?;
        diesel::delete(
            scope
                .user_program_assignments()
                .filter(user_program_assignments::user_id.eq(user.id)),
        )
        .execute(conn)?;
        Ok((user.username, ended))
    })
    .await?;
    flash::success(&session, removed_message(&username, &program, ended));
    Ok(redirect("/team"))
}
