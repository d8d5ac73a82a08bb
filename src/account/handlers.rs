//! The pages of "My account". The statements are `model`.

use actix_session::Session;
use actix_web::{http::StatusCode, web, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::model;
use crate::{
    access::{CurrentUser, Role},
    auth, db,
    error::{AppError, AppResult},
    web::{flash, form::FieldErrors, redirect, render_with_status, Shell},
    AppState,
};

#[derive(Template)]
#[template(path = "account/show.html")]
struct AccountPage {
    shell: Shell,
    full_name: String,
    errors: FieldErrors,
}

impl AccountPage {
    fn every_program(&self) -> bool {
        self.shell.user.role == Role::SuperAdmin
    }
}

async fn page(
    shell: Shell,
    state: &AppState,
    errors: FieldErrors,
    status: StatusCode,
) -> AppResult<HttpResponse> {
    let id = shell.user.id;
    let full_name = db::run(&state.pool, move |conn| Ok(model::full_name(conn, id)?)).await?;
    render_with_status(
        status,
        &AccountPage {
            shell,
            full_name,
            errors,
        },
    )
}

pub async fn show(shell: Shell, state: web::Data<AppState>) -> AppResult<HttpResponse> {
    page(shell, &state, FieldErrors::new(), StatusCode::OK).await
}

#[derive(Debug, Default, Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    new_password: String,
    #[serde(default)]
    confirm_password: String,
}

pub async fn change_password(
    shell: Shell,
    me: CurrentUser,
    session: Session,
    state: web::Data<AppState>,
    form: web::Form<PasswordForm>,
) -> AppResult<HttpResponse> {
    let form = form.into_inner();
    let id = me.id;
    let stored: String =
        db::run(&state.pool, move |conn| Ok(model::password_hash(conn, id)?)).await?;
    let mut errors = FieldErrors::new();
    if form.current_password.is_empty() {
        errors.add("current_password", "Enter your current password.");
    }
    errors.check(
        "new_password",
        auth::password_weakness(&form.new_password, &me.username),
    );
    if form.new_password != form.confirm_password {
        errors.add("confirm_password", "The two new passwords differ.");
    }
    let current = form.current_password.clone();
    let current_ok = !current.is_empty()
        && web::block(move || auth::verify_password(&current, &stored))
            .await
            .map_err(|e| AppError::internal(e.to_string()))?;
    if !form.current_password.is_empty() && !current_ok {
        errors.add("current_password", "That is not your current password.");
    }
    if !errors.is_empty() {
        return page(shell, &state, errors, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    let new_password = form.new_password;
    let hash = web::block(move || auth::hash_password(&new_password))
        .await
        .map_err(|e| AppError::internal(e.to_string()))??;
    // Whoever knew the old password is signed out everywhere else; this browser keeps going on a
    // new session key (the middleware saves the renewed session after its old row is gone).
    db::transaction(&state.pool, move |conn| {
        model::set_password(conn, id, &hash)
    })
    .await?;
    session.renew();
    flash::success(
        &session,
        "Your password is changed; your other sessions are signed out. Use it the next time you sign in.",
    );
    Ok(redirect("/account"))
}
