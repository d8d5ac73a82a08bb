//! A `multipart/form-data` post (the CSV import's upload), read whole by the gate: its CSRF token
//! and program come from its text fields as a plain form's do, and its file waits for the
//! handler in the request's extensions.

use std::collections::HashMap;

use actix_web::{
    dev::{Payload, ServiceRequest},
    http::header::{self, HeaderMap},
    web::{Bytes, BytesMut},
    FromRequest, HttpMessage, HttpRequest,
};
use futures_util::StreamExt;

use crate::error::AppError;

/// The largest file an upload takes.
pub const MAX_FILE: usize = 5 * 1024 * 1024;
/// The whole body: the file and the form's few text fields.
const MAX_BODY: usize = MAX_FILE + 64 * 1024;

#[derive(Debug, Clone, Default)]
pub struct Upload {
    pub fields: HashMap<String, String>,
    pub file: Option<UploadedFile>,
}

#[derive(Debug, Clone)]
pub struct UploadedFile {
    pub name: String,
    pub bytes: Bytes,
}

pub fn is_multipart(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"))
}

/// Reads the body to its end (a larger one too, so that the browser reads the answer instead of
/// a broken connection) and parses it; the upload is kept for the handler.
pub async fn read(req: &mut ServiceRequest) -> Result<Upload, AppError> {
    let mut payload = req.take_payload();
    let (mut body, mut size) = (BytesMut::new(), 0usize);
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|_| {
            AppError::bad_request("The upload was cut short. Nothing was changed; try again.")
        })?;
        size += chunk.len();
        if size <= MAX_BODY {
            body.extend_from_slice(&chunk);
        }
    }
    if size > MAX_BODY {
        return Err(too_large(size));
    }
    let upload = parse(req.headers(), body.freeze()).await?;
    req.extensions_mut().insert(upload.clone());
    Ok(upload)
}

fn too_large(size: usize) -> AppError {
    AppError::TooLarge(format!(
        "The file is {:.1} MB; an import takes files of up to {} MB. Nothing was changed: split it into smaller files and import each.",
        size as f64 / 1_048_576.0,
        MAX_FILE / 1_048_576
    ))
}

async fn parse(headers: &HeaderMap, body: Bytes) -> Result<Upload, AppError> {
    let unreadable = || {
        AppError::bad_request(
            "The upload could not be read. Nothing was changed; choose the file again.",
        )
    };
    let stream =
        futures_util::stream::once(async move { Ok::<_, actix_web::error::PayloadError>(body) });
    let mut parts = actix_multipart::Multipart::new(headers, stream);
    let mut upload = Upload::default();
    while let Some(part) = parts.next().await {
        let mut part = part.map_err(|_| unreadable())?;
        let name = part.name().unwrap_or_default().to_string();
        let file_name = part
            .content_disposition()
            .and_then(|d| d.get_filename())
            .map(str::to_string);
        let mut value = BytesMut::new();
        while let Some(chunk) = part.next().await {
            value.extend_from_slice(&chunk.map_err(|_| unreadable())?);
        }
        match file_name {
            Some(file_name) if upload.file.is_none() => {
                if value.len() > MAX_FILE {
                    return Err(too_large(value.len()));
                }
                upload.file = Some(UploadedFile {
                    name: file_name,
                    bytes: value.freeze(),
                });
            }
            Some(_) => {}
            None => {
                let text = String::from_utf8(value.to_vec()).map_err(|_| unreadable())?;
                if text
                    .chars()
                    .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
                {
                    return Err(AppError::RefusedField { field: name });
                }
                upload.fields.insert(name, text);
            }
        }
    }
    Ok(upload)
}

impl Upload {
    pub fn field(&self, name: &str) -> &str {
        self.fields.get(name).map_or("", String::as_str)
    }
}

/// The upload the gate read; an empty one when the post was not `multipart/form-data`.
impl FromRequest for Upload {
    type Error = AppError;
    type Future = std::future::Ready<Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        std::future::ready(Ok(req
            .extensions()
            .get::<Upload>()
            .cloned()
            .unwrap_or_default()))
    }
}
