//! The sign-in page and its form: username or email, password; one message for every wrong case.

use actix_session::Session;
use actix_web::{cookie::Cookie, http::StatusCode, web, HttpRequest, HttpResponse};
use askama::Template;
use chrono::{DateTime, Utc};
use serde::Deserialize;
use uuid::Uuid;

use super::{credentials, password, session_user_id, throttle, SESSION_USER_ID};
use crate::web::csrf;
use crate::{
    access::gate::SESSION_PROGRAM_ID,
    db,
    error::AppResult,
    web::{local_path, redirect, render_with_status},
    AppState,
};

pub const WRONG_CREDENTIALS: &str =
    "That username or password is not right, or the account is not active.";

#[derive(Template)]
#[template(path = "auth/login.html")]
struct LoginPage {
    csrf_token: String,
    username: String,
    next: String,
    error: Option<String>,
    notice: Option<&'static str>,
}

#[derive(Deserialize)]
pub struct LoginQuery {
    next: Option<String>,
    signed_out: Option<String>,
}

#[derive(Deserialize)]
pub struct LoginForm {
    username: String,
    password: String,
    next: Option<String>,
}

pub async fn form(
    req: HttpRequest,
    session: Session,
    key: web::Data<csrf::SigningKey>,
    query: web::Query<LoginQuery>,
) -> AppResult<HttpResponse> {
    if session_user_id(&session).is_some() {
        return Ok(redirect("/"));
    }
    let (csrf_token, cookie) = csrf::login_token(&req, &key);
    let page = LoginPage {
        csrf_token,
        username: String::new(),
        next: query
            .next
            .as_deref()
            .and_then(local_path)
            .unwrap_or_default(),
        error: None,
        notice: query.signed_out.as_ref().map(|_| "You have signed out."),
    };
    with_cookie(render_with_status(StatusCode::OK, &page)?, cookie)
}

fn with_cookie(
    mut response: HttpResponse,
    cookie: Option<Cookie<'static>>,
) -> AppResult<HttpResponse> {
    if let Some(cookie) = cookie {
        response
            .add_cookie(&cookie)
            .map_err(|e| crate::error::AppError::internal(e.to_string()))?;
    }
    Ok(response)
}

enum Outcome {
    SignedIn(Uuid),
    Refused,
    Locked(DateTime<Utc>),
}

pub async fn submit(
    req: HttpRequest,
    session: Session,
    key: web::Data<csrf::SigningKey>,
    state: web::Data<AppState>,
    form: web::Form<LoginForm>,
) -> AppResult<HttpResponse> {
    let LoginForm {
        username,
        password: given,
        next,
    } = form.into_inner();
    let address = req
        .peer_addr()
        .map(|a| a.ip().to_string())
        .unwrap_or_else(|| "unknown".into());
    let outcome = attempt(&state.pool, username.clone(), given, address).await?;
    let next = next.as_deref().and_then(local_path);
    let (status, error) = match outcome {
        Outcome::SignedIn(user_id) => {
            // A new session id at sign-in: a key planted before sign-in is worthless after it.
            session.renew();
            session.remove(SESSION_PROGRAM_ID);
            session
                .insert(SESSION_USER_ID, user_id)
                .map_err(|e| crate::error::AppError::internal(e.to_string()))?;
            csrf::rotate(&session);
            let response = redirect(next.as_deref().unwrap_or("/"));
            return with_cookie(response, Some(csrf::forget_login_cookie()));
        }
        Outcome::Refused => (StatusCode::UNAUTHORIZED, WRONG_CREDENTIALS.to_string()),
        Outcome::Locked(until) => (
            StatusCode::TOO_MANY_REQUESTS,
            format!(
                "Too many failed sign-ins. Try again in {} minutes.",
                ((until - Utc::now()).num_seconds() / 60 + 1).max(1)
            ),
        ),
    };
    let (csrf_token, cookie) = csrf::login_token(&req, &key);
    let page = LoginPage {
        csrf_token,
        username,
        next: next.unwrap_or_default(),
        error: Some(error),
        notice: None,
    };
    with_cookie(render_with_status(status, &page)?, cookie)
}

async fn attempt(
    pool: &db::Pool,
    login: String,
    given: String,
    address: String,
) -> AppResult<Outcome> {
    let lookup_login = login.trim().to_lowercase();
    let found = db::run(pool, move |conn| {
        let user = credentials::of(conn, &lookup_login)?;
        let keys = [
            throttle::account_key(user.as_ref().map(|u| u.0), &lookup_login),
            throttle::address_key(&address),
        ];
        let locked = throttle::locked_until(conn, &keys)?;
        Ok((user, keys, locked))
    })
    .await?;
    let (user, keys, locked) = found;
    if let Some(until) = locked {
        return Ok(Outcome::Locked(until));
    }
    // Hash outside the database call: no connection is held while argon2 works.
    let accepted = web::block(move || match user {
        Some((id, hash, active)) => (password::verify(&given, &hash) && active).then_some(id),
        None => {
            password::spend_equal_time(&given);
            None
        }
    })
    .await
    .map_err(|e| crate::error::AppError::internal(e.to_string()))?;
    db::run(pool, move |conn| {
        match accepted {
            Some(_) => throttle::clear(conn, &keys[0])?,
            None => {
                throttle::record_failure(conn, &keys[0], throttle::ACCOUNT_LIMIT)?;
                throttle::record_failure(conn, &keys[1], throttle::ADDRESS_LIMIT)?;
            }
        }
        Ok(())
    })
    .await?;
    Ok(accepted.map_or(Outcome::Refused, Outcome::SignedIn))
}
