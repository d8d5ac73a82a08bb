//! The import's first pages: the upload (with the template) and the columns screen. The preview,
//! a row's fix and the confirmation are in `preview_handlers`.

use std::collections::HashMap;

use actix_web::{http::StatusCode, web, HttpResponse};
use askama::Template;
use uuid::Uuid;

use super::{
    columns::{self, Field, FIELDS},
    model::{self, Import, ImportLine, ImportStatus},
    steps::{self, Kept},
};
use crate::{
    access::ProgramScope,
    db,
    error::{AppError, AppResult},
    web::{
        csv_export::CsvExport, form::FieldErrors, format, redirect, render, render_with_status,
        upload::Upload, Shell,
    },
    AppState,
};

#[derive(Template)]
#[template(path = "imports/upload.html")]
struct UploadPage {
    shell: Shell,
    error: String,
    recent: Vec<ImportLine>,
    tz: chrono_tz::Tz,
    fields: &'static [Field],
}

impl UploadPage {
    fn when(&self, at: &chrono::DateTime<chrono::Utc>) -> String {
        format::date_time(*at, self.tz)
    }
}

async fn upload_page(
    shell: Shell,
    scope: ProgramScope,
    state: &AppState,
    error: String,
) -> AppResult<HttpResponse> {
    let recent = db::run(&state.pool, move |conn| Ok(model::recent(conn, &scope)?)).await?;
    let page = UploadPage {
        shell,
        error,
        recent,
        tz: state.config.time_zone,
        fields: FIELDS,
    };
    let status = if page.error.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    render_with_status(status, &page)
}

pub async fn new(
    shell: Shell,
    scope: ProgramScope,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    upload_page(shell, scope, &state, String::new()).await
}

/// The template: every field's header and an example row.
pub async fn template(shell: Shell) -> AppResult<HttpResponse> {
    let mut csv = CsvExport::new(&columns::template_headers())?;
    csv.row(columns::EXAMPLE.iter().copied())?;
    csv.into_response("student-import-template", shell.program_name())
}

/// Reads the uploaded file; a file that cannot be read is refused beside the field and not kept.
pub async fn upload(
    shell: Shell,
    scope: ProgramScope,
    state: web::Data<AppState>,
    upload: Upload,
) -> AppResult<HttpResponse> {
    let Some(uploaded) = upload
        .file
        .filter(|f| !f.name.is_empty() || !f.bytes.is_empty())
    else {
        return upload_page(shell, scope, &state, "Choose a CSV file to import.".into()).await;
    };
    let s = scope.clone();
    let kept = db::run(&state.pool, move |conn| {
        steps::upload(conn, &s, &uploaded.name, &uploaded.bytes)
    })
    .await;
    let Kept { id, needs_columns } = match kept {
        Ok(kept) => kept,
        Err(AppError::Invalid(errors)) => {
            return upload_page(shell, scope, &state, errors.get("file").to_string()).await
        }
        Err(e) => return Err(e),
    };
    Ok(redirect(&if needs_columns {
        format!("/students/import/{id}/columns")
    } else {
        format!("/students/import/{id}")
    }))
}

struct ColumnView {
    index: usize,
    header: String,
    samples: String,
    chosen: String,
    error: String,
}

#[derive(Template)]
#[template(path = "imports/columns.html")]
struct ColumnsPage {
    shell: Shell,
    id: Uuid,
    file_name: String,
    columns: Vec<ColumnView>,
    fields: &'static [Field],
    error: String,
}

fn columns_page(
    shell: Shell,
    import: &Import,
    chosen: &[String],
    errors: &FieldErrors,
) -> ColumnsPage {
    let columns = import
        .headers
        .iter()
        .enumerate()
        .map(|(index, header)| ColumnView {
            index,
            header: header.clone(),
            samples: import
                .rows
                .iter()
                .filter_map(|r| r.cells.get(index).filter(|c| !c.is_empty()))
                .take(3)
                .cloned()
                .collect::<Vec<_>>()
                .join(" · "),
            chosen: chosen.get(index).cloned().unwrap_or_default(),
            error: errors.get(columns::column_key(index)).to_string(),
        })
        .collect();
    ColumnsPage {
        shell,
        id: import.id,
        file_name: import.file_name.clone(),
        columns,
        fields: FIELDS,
        error: errors.get("columns").to_string(),
    }
}

/// The field each column is read from now: the choices as the mapping holds them.
fn current_choices(import: &Import) -> Vec<String> {
    let mut chosen = vec![String::new(); import.headers.len()];
    for (field, column) in &import.mapping {
        if let Some(slot) = chosen.get_mut(*column) {
            *slot = field.clone();
        }
    }
    chosen
}

pub(super) async fn load(state: &AppState, scope: ProgramScope, id: Uuid) -> AppResult<Import> {
    db::run(&state.pool, move |conn| model::find(conn, &scope, id)).await
}

pub async fn columns(
    shell: Shell,
    scope: ProgramScope,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
) -> AppResult<HttpResponse> {
    let import = load(&state, scope, path.into_inner()).await?;
    if import.status != ImportStatus::Previewing {
        return Ok(redirect(&format!("/students/import/{}", import.id)));
    }
    render(&columns_page(
        shell,
        &import,
        &current_choices(&import),
        &FieldErrors::new(),
    ))
}

pub async fn save_columns(
    shell: Shell,
    scope: ProgramScope,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
    form: web::Form<HashMap<String, String>>,
) -> AppResult<HttpResponse> {
    let import = load(&state, scope.clone(), path.into_inner()).await?;
    let chosen: Vec<String> = (0..import.headers.len())
        .map(|c| {
            form.get(columns::column_key(c))
                .cloned()
                .unwrap_or_default()
        })
        .collect();
    let mapping = match columns::chosen(&chosen, import.headers.len()) {
        Ok(mapping) => mapping,
        Err(errors) => {
            return render_with_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &columns_page(shell, &import, &chosen, &errors),
            )
        }
    };
    let id = import.id;
    db::transaction(&state.pool, move |conn| {
        model::set_mapping(conn, &scope, id, &mapping)
    })
    .await?;
    Ok(redirect(&format!("/students/import/{id}")))
}
