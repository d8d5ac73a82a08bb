//! The fields of a plain form post that the gate needs before the handler runs: the CSRF token,
//! the program the page was rendered for, and a create form's one-time token. The body is put
//! back for the handler.

use actix_web::{dev::ServiceRequest, http::header, web::Bytes};
use serde::Deserialize;

use crate::error::AppError;

#[derive(Debug, Default, Deserialize)]
pub struct FormMeta {
    pub csrf_token: Option<String>,
    pub program_context: Option<String>,
    /// A create form's one-time token (`web::once`).
    pub form_token: Option<String>,
}

impl FormMeta {
    pub async fn read(req: &mut ServiceRequest) -> Result<Self, AppError> {
        let is_form = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
        if super::upload::is_multipart(req.headers()) {
            let upload = super::upload::read(req).await?;
            let field = |name: &str| upload.fields.get(name).cloned();
            return Ok(Self {
                csrf_token: field("csrf_token"),
                program_context: field("program_context"),
                form_token: field("form_token"),
            });
        }
        if !is_form {
            return Ok(Self::default());
        }
        let body = req
            .extract::<Bytes>()
            .await
            .map_err(|_| AppError::bad_request("The form is too large or could not be read."))?;
        req.set_payload(body.clone().into());
        super::input::check_form(&body)?;
        Ok(serde_urlencoded::from_bytes(&body).unwrap_or_default())
    }
}
