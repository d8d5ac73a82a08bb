//! Turns every error into what the user should see: a page for a normal request, a message in the
//! page's flash region for an htmx request; internal errors are logged with a request id that the
//! page shows, and never their cause.

use actix_web::{
    body::{BoxBody, MessageBody},
    dev::{ServiceRequest, ServiceResponse},
    http::{header, Method, StatusCode},
    middleware::Next,
    HttpMessage, HttpResponse,
};
use askama::Template;
use uuid::Uuid;

use crate::error::AppError;

/// Identifies one request in the log and on its error page.
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    title: &'a str,
    message: &'a str,
    request_id: &'a str,
    status: u16,
}

/// The same, inside the header and navigation, for a signed-in user the gate has met.
#[derive(Template)]
#[template(path = "error_in_layout.html")]
struct ErrorInLayout<'a> {
    shell: super::Shell,
    title: &'a str,
    message: &'a str,
    request_id: &'a str,
    status: u16,
}

#[derive(Template)]
#[template(path = "partials/error_fragment.html")]
struct ErrorFragment<'a> {
    title: &'a str,
    message: &'a str,
    request_id: &'a str,
}

pub async fn render(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let request_id = Uuid::new_v4().simple().to_string()[..12].to_string();
    req.extensions_mut().insert(RequestId(request_id.clone()));
    let res = next.call(req).await?.map_into_boxed_body();
    let status = res.status();
    let Some(error) = res.response().error() else {
        return Ok(res);
    };
    let fallback;
    let app_error = match error.as_error::<AppError>() {
        Some(e) => e,
        None => {
            // actix's own errors (session store, payload too large, method not allowed...).
            fallback = match status.as_u16() {
                404 => AppError::NotFound,
                405 => AppError::bad_request("This address does not accept that kind of request."),
                400..=499 => AppError::bad_request(error.to_string()),
                _ => AppError::internal(error.to_string()),
            };
            &fallback
        }
    };
    if matches!(app_error, AppError::Busy) {
        tracing::warn!(
            request_id,
            "request refused: no database connection in time"
        );
    } else if app_error.is_internal() {
        tracing::error!(request_id, error = %app_error, cause = ?std::error::Error::source(app_error), "request failed");
    }
    let response = respond(&res, app_error, status, &request_id);
    Ok(res.into_response(response))
}

fn respond(
    res: &ServiceResponse,
    error: &AppError,
    status: StatusCode,
    request_id: &str,
) -> HttpResponse {
    let req = res.request();
    let htmx = super::is_htmx(req);
    if matches!(error, AppError::Unauthenticated) {
        let next = if req.method() == Method::GET && !htmx {
            format!("/login?next={}", urlencode(&req.uri().to_string()))
        } else {
            "/login".to_string()
        };
        return if htmx {
            HttpResponse::Ok()
                .insert_header(("HX-Redirect", next))
                .finish()
        } else {
            HttpResponse::SeeOther()
                .insert_header((header::LOCATION, next))
                .finish()
        };
    }
    if let AppError::AlreadySubmitted {
        location: Some(location),
    } = error
    {
        // The record the first sending made: what the user would have seen.
        return if htmx {
            HttpResponse::Ok()
                .insert_header(("HX-Redirect", location.as_str()))
                .finish()
        } else {
            HttpResponse::SeeOther()
                .insert_header((header::LOCATION, location.as_str()))
                .finish()
        };
    }
    let (title, message) = error.public_message();
    // Every server-side failure (5xx) shows its id, so that it can be found in the log.
    let shown_id = if status.is_server_error() {
        request_id
    } else {
        ""
    };
    let body = if htmx {
        ErrorFragment {
            title,
            message: &message,
            request_id: shown_id,
        }
        .render()
    } else if let Some(shell) = super::Shell::for_error_page(req) {
        ErrorInLayout {
            shell,
            title,
            message: &message,
            request_id: shown_id,
            status: status.as_u16(),
        }
        .render()
    } else {
        ErrorPage {
            title,
            message: &message,
            request_id: shown_id,
            status: status.as_u16(),
        }
        .render()
    }
    .unwrap_or_else(|_| format!("{title}: {message}"));
    let mut response = HttpResponse::build(status);
    response
        .content_type("text/html; charset=utf-8")
        .insert_header(("X-Request-Id", request_id.to_string()));
    if htmx {
        // Errors land in the page's message region, whatever the element that asked.
        response
            .insert_header(("HX-Retarget", "#flash-region"))
            .insert_header(("HX-Reswap", "innerHTML"));
    }
    response.body(body)
}

fn urlencode(s: &str) -> String {
    serde_urlencoded::to_string([("", s)])
        .map(|e| e[1..].to_string())
        .unwrap_or_default()
}
