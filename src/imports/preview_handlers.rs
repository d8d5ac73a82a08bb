//! The import's preview (with a row's fix), its confirmation, and then its progress and outcome.

use std::collections::{BTreeMap, HashMap};

use actix_session::Session;
use actix_web::{http::StatusCode, web, HttpRequest, HttpResponse};
use askama::Template;
use serde::Deserialize;
use uuid::Uuid;

use super::{
    background,
    check::{self, CheckedRow, Outcome},
    columns::{self, Field, FIELDS},
    handlers::load,
    model::{self, Import, ImportStatus},
    steps,
    write::OnDuplicate,
};
use crate::{
    access::ProgramScope,
    db::{self, background::Waited},
    error::{AppError, AppResult},
    web::{flash, form::FieldErrors, format, redirect, render, render_with_status, Shell},
    AppState,
};

/// Which rows the preview lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Show {
    All,
    Errors,
    Duplicates,
    New,
}

impl Show {
    fn parse(raw: &str) -> Option<Self> {
        Some(match raw {
            "" | "all" => Show::All,
            "errors" => Show::Errors,
            "duplicates" => Show::Duplicates,
            "new" => Show::New,
            _ => return None,
        })
    }
    fn as_str(self) -> &'static str {
        match self {
            Show::All => "all",
            Show::Errors => "errors",
            Show::Duplicates => "duplicates",
            Show::New => "new",
        }
    }
    fn keeps(self, row: &CheckedRow) -> bool {
        match self {
            Show::All => true,
            Show::Errors => !row.errors.is_empty(),
            Show::Duplicates => row.is_duplicate(),
            Show::New => row.is_new(),
        }
    }
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct PreviewQuery {
    show: String,
    page: String,
}

/// Rows a preview page lists.
const PAGE: usize = 100;

#[derive(Template)]
#[template(path = "imports/preview.html")]
struct PreviewPage {
    shell: Shell,
    import: Import,
    rows: Vec<CheckedRow>,
    show: Show,
    page: usize,
    pages: usize,
    counts: Counts,
    /// The fields the preview has a column for (the names, and those the file fills); others'
    /// errors are listed under Result.
    shown: Vec<&'static str>,
}

struct Counts {
    all: usize,
    new: usize,
    duplicates: usize,
    errors: usize,
}

impl PreviewPage {
    fn label(&self, field: &&str) -> &'static str {
        columns::find(field).map_or("", |f| f.label)
    }
    /// Errors of fields the table has no column for.
    fn other_errors(&self, row: &CheckedRow) -> Vec<String> {
        FIELDS
            .iter()
            .filter(|f| !self.shown.contains(&f.name) && row.errors.has(f.name))
            .map(|f| format!("{}: {}", f.label, row.errors.get(f.name)))
            .collect()
    }
    fn new_students(&self) -> String {
        format::plural(self.counts.new, "new student", "new students")
    }
    fn rows(&self, n: &usize) -> String {
        format::plural(*n, "row", "rows")
    }
    fn link(&self, show: &str, page: usize) -> String {
        format!(
            "/students/import/{}?show={show}&page={page}",
            self.import.id
        )
    }
}

const SHOWN: &[&str] = &[
    "first_name",
    "last_name",
    "date_of_birth",
    "email",
    "phone",
    "status",
    "guardian_name",
    "guardian_phone",
];

#[derive(Template)]
#[template(path = "imports/progress.html")]
struct ProgressFragment {
    import: Import,
}

#[derive(Template)]
#[template(path = "imports/done.html")]
struct DonePage {
    shell: Shell,
    import: Import,
}

/// The import: its preview while it can change, then its progress and outcome.
pub async fn show(
    req: HttpRequest,
    shell: Shell,
    scope: ProgramScope,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
    query: web::Query<PreviewQuery>,
) -> AppResult<HttpResponse> {
    let show =
        Show::parse(&query.show).ok_or_else(|| AppError::bad_request("Unknown list of rows."))?;
    let page = match query.page.as_str() {
        "" => 1,
        raw => raw
            .parse::<usize>()
            .ok()
            .filter(|p| *p >= 1)
            .ok_or_else(|| AppError::bad_request("Unknown page."))?,
    };
    let id = path.into_inner();
    let today = state.config.today();
    let (import, checked) = db::run(&state.pool, move |conn| {
        steps::preview(conn, &scope, id, today)
    })
    .await?;
    if import.status != ImportStatus::Previewing {
        if crate::web::is_htmx(&req) {
            return render(&ProgressFragment { import });
        }
        return render(&DonePage { shell, import });
    }
    let counts = Counts {
        all: checked.len(),
        new: checked.iter().filter(|r| r.is_new()).count(),
        duplicates: checked.iter().filter(|r| r.is_duplicate()).count(),
        errors: checked.iter().filter(|r| !r.errors.is_empty()).count(),
    };
    let listed: Vec<CheckedRow> = checked.into_iter().filter(|r| show.keeps(r)).collect();
    let pages = listed.len().div_ceil(PAGE).max(1);
    let rows = listed
        .into_iter()
        .skip((page.min(pages) - 1) * PAGE)
        .take(PAGE)
        .collect();
    render(&PreviewPage {
        shell,
        rows,
        show,
        page: page.min(pages),
        pages,
        counts,
        shown: SHOWN
            .iter()
            .copied()
            .filter(|f| columns::REQUIRED.contains(f) || import.mapping.contains_key(*f))
            .collect(),
        import,
    })
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct LineQuery {
    line: String,
}

#[derive(Template)]
#[template(path = "imports/row.html")]
struct RowPage {
    shell: Shell,
    id: Uuid,
    line: u64,
    values: BTreeMap<&'static str, String>,
    errors: FieldErrors,
    fields: &'static [Field],
}

impl RowPage {
    fn value(&self, field: &str) -> &str {
        self.values.get(field).map_or("", String::as_str)
    }
}

/// The row of `line`, or not found (a line the file does not have).
fn row_of(import: &Import, line: &str) -> AppResult<usize> {
    let line: u64 = line.trim().parse().map_err(|_| AppError::NotFound)?;
    import
        .rows
        .iter()
        .position(|r| r.line == line)
        .ok_or(AppError::NotFound)
}

/// The row's own errors, with `fixes` applied, as the preview would say them (the import as the
/// handler loaded it: its rows are read once per request).
async fn judged(
    state: &AppState,
    scope: ProgramScope,
    import: Import,
    fixes: check::Fixes,
    at: usize,
) -> AppResult<CheckedRow> {
    let today = state.config.today();
    db::run(&state.pool, move |conn| {
        let mut checked = steps::judge(conn, &scope, &import, &fixes, today)?;
        Ok(checked.swap_remove(at))
    })
    .await
}

pub async fn row(
    shell: Shell,
    scope: ProgramScope,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
    query: web::Query<LineQuery>,
) -> AppResult<HttpResponse> {
    let import = load(&state, scope.clone(), path.into_inner()).await?;
    let at = row_of(&import, &query.line)?;
    if import.status != ImportStatus::Previewing {
        return Ok(redirect(&format!("/students/import/{}", import.id)));
    }
    let (id, fixes) = (import.id, import.fixes.clone());
    let checked = judged(&state, scope, import, fixes, at).await?;
    render(&RowPage {
        shell,
        id,
        line: checked.line,
        values: checked.values,
        errors: checked.errors,
        fields: FIELDS,
    })
}

/// Saves the values typed for a row once they hold; otherwise shows them again with their
/// errors, saving nothing.
pub async fn fix_row(
    shell: Shell,
    scope: ProgramScope,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
    form: web::Form<HashMap<String, String>>,
) -> AppResult<HttpResponse> {
    let import = load(&state, scope.clone(), path.into_inner()).await?;
    let at = row_of(&import, form.get("line").map_or("", String::as_str))?;
    let line = import.rows[at].line;
    let typed: BTreeMap<String, String> = FIELDS
        .iter()
        .map(|f| {
            (
                f.name.to_string(),
                form.get(f.name).map_or("", |v| v.trim()).to_string(),
            )
        })
        .collect();
    let id = import.id;
    let mut fixes = import.fixes.clone();
    fixes.insert(line.to_string(), typed);
    let checked = judged(&state, scope.clone(), import, fixes.clone(), at).await?;
    if !checked.errors.is_empty() {
        let page = RowPage {
            shell,
            id,
            line,
            values: checked.values,
            errors: checked.errors,
            fields: FIELDS,
        };
        return render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
    }
    db::transaction(&state.pool, move |conn| {
        model::set_fixes(conn, &scope, id, &fixes)
    })
    .await?;
    flash::success(
        &session,
        format!("Line {line} is fixed; it will be imported with the others."),
    );
    Ok(redirect(&format!("/students/import/{id}")))
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct ConfirmForm {
    duplicates: String,
}

pub async fn confirm(
    scope: ProgramScope,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
    form: web::Form<ConfirmForm>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let on_duplicate: OnDuplicate = form.duplicates.parse().map_err(|_| {
        AppError::bad_request("Choose whether to skip or update the students already here.")
    })?;
    let today = state.config.today();
    // Done or still running, the import's page says how it stands.
    if let Waited::Finished(Err(e)) =
        background::start(&state.pool, scope, id, on_duplicate, today).await?
    {
        return Err(e);
    }
    Ok(redirect(&format!("/students/import/{id}")))
}
