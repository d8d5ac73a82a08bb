//! What every page shares: rendering, redirects, the layout context, flash messages, formatting,
//! error pages, static files and the health check.

pub mod csrf;
pub mod csv_export;
pub mod date_range;
pub mod error_pages;
pub mod escaped;
mod field_errors;
pub mod flash;
pub mod form;
pub mod form_meta;
pub mod format;
pub mod health;
pub mod input;
pub mod keyset;
pub mod layout;
pub mod naira;
pub mod nav;
pub mod once;
pub mod pagination;
pub mod redirect;
pub mod sort;
pub mod static_files;
pub mod upload;

use actix_web::{http::StatusCode, HttpRequest, HttpResponse};
use askama::Template;

use crate::error::{AppError, AppResult};

pub use layout::Shell;
pub use redirect::{local_path, redirect, redirect_for};

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

pub fn is_htmx(req: &HttpRequest) -> bool {
    req.headers().contains_key("HX-Request")
}
