//! What every page shares: rendering, redirects, the layout context, flash messages, formatting,
//! error pages, static files and the health check.

pub mod error_pages;
pub mod escaped;
pub mod flash;
pub mod form;
pub mod form_meta;
pub mod format;
pub mod health;
pub mod keyset;
pub mod layout;
pub mod nav;
pub mod pagination;
pub mod static_files;

use actix_web::{
    http::{header, StatusCode},
    HttpRequest, HttpResponse,
};
use askama::Template;

use crate::error::{AppError, AppResult};

pub use layout::Shell;

pub fn render(template: &impl Template) -> AppResult<HttpResponse> {
    render_with_status(StatusCode::OK, template)
}

/// Renders `template` with `status`, e.g. 422 for a form with validation errors.
pub fn render_with_status(status: StatusCode, template: &impl Template) -> AppResult<HttpResponse> {
    let body = template
        .render()
        .map_err(|e| AppError::internal(format!("rendering a template: {e}")))?;
    Ok(HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .body(body))
}

/// A 303 "see other" redirect, the answer to a successful plain form post.
pub fn redirect(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, location))
        .finish()
}

/// Redirects a plain request, or tells htmx to navigate the whole page there.
pub fn redirect_for(req: &HttpRequest, location: &str) -> HttpResponse {
    if is_htmx(req) {
        HttpResponse::Ok()
            .insert_header(("HX-Redirect", location))
            .finish()
    } else {
        redirect(location)
    }
}

pub fn is_htmx(req: &HttpRequest) -> bool {
    req.headers().contains_key("HX-Request")
}

/// `path` if it is a path on this site (never another host), for "return to" parameters.
pub fn local_path(path: &str) -> Option<String> {
    let ok = path.starts_with('/')
        && !path.starts_with("//")
        && !path.contains('\\')
        && !path.contains("://");
    ok.then(|| path.to_string())
}
