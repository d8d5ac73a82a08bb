//! `/reference-data`: the page, and each change answering either the whole page (plain forms) or
//! the section it changed (htmx), with messages beside the fields (422) when refused.
//!
//! Age groups and session types are edited the same way (show a row, open it for editing, save
//! with 422 on error, remove unless in use): that flow is written once, generic over `Kind`, and
//! `routes.rs` names `create::<AgeGroup>`, `create::<SessionType>`... What differs (fields, checks,
//! queries, wording) is each type's `impl Kind`.

use actix_session::Session;
use actix_web::{http::StatusCode, web, HttpRequest, HttpResponse};
use askama::Template;
use chrono::{DateTime, Utc};
use diesel::PgConnection;
use serde::de::DeserializeOwned;
use uuid::Uuid;

use super::{
    form::{AgeGroupCommand, AgeGroupForm, SessionTypeCommand, SessionTypeForm},
    model::{lock_program, overlaps, AgeGroup, SessionType, Stored, Usage},
};
use crate::{
    access::ProgramScope,
    db,
    error::{AppError, AppResult},
    web::{
        flash,
        form::{check_version, FieldErrors, VersionForm},
        is_htmx,
        once::{self, FormToken},
        redirect, render_with_status, Shell,
    },
    AppState,
};

/// One section of the page: its rows with their uses, and the forms of the inline edit.
pub struct View<K: Kind> {
    pub rows: Vec<(K, Usage)>,
    /// The row open for editing, if any.
    pub editing: Option<Uuid>,
    pub edit_form: K::Form,
    pub edit_errors: FieldErrors,
    pub new_form: K::Form,
    pub new_errors: FieldErrors,
    pub notice: String,
}

impl<K: Kind> View<K> {
    pub fn is_editing(&self, id: &Uuid) -> bool {
        self.editing.as_ref() == Some(id)
    }
}

#[derive(Template)]
#[template(path = "reference_data/show.html")]
struct Page {
    shell: Shell,
    ages: View<AgeGroup>,
    sessions: View<SessionType>,
}

#[derive(Template)]
#[template(path = "reference_data/age_groups.html")]
struct AgeGroupsFragment {
    shell: Shell,
    ages: View<AgeGroup>,
}

#[derive(Template)]
#[template(path = "reference_data/session_types.html")]
struct SessionTypesFragment {
    shell: Shell,
    sessions: View<SessionType>,
}

/// What the shared flow needs to know of a kind of reference data.
pub trait Kind: Stored {
    type Form: Default + DeserializeOwned + Send + 'static;
    /// In messages: "age group", and "Age group" at the start of a sentence.
    const NOUN: &'static str;
    const TITLE: &'static str;

    fn id(&self) -> Uuid;
    fn code(&self) -> &str;
    fn updated_at(&self) -> DateTime<Utc>;
    /// The edit form filled with this row.
    fn to_form(&self) -> Self::Form;
    fn validate(form: &Self::Form) -> Result<<Self as Stored>::Command, FieldErrors>;
    fn code_of(command: &<Self as Stored>::Command) -> &str;
    /// Checks of this kind only, against the program's other rows (age groups: ranges apart).
    fn check_others(
        _command: &<Self as Stored>::Command,
        _others: &[Self],
        _errors: &mut FieldErrors,
    ) {
    }

    /// This section alone, for htmx.
    fn fragment(status: StatusCode, shell: Shell, view: View<Self>) -> AppResult<HttpResponse>;
    /// Both sections of the whole page: this one and the other loaded afresh.
    fn with_other(
        conn: &mut PgConnection,
        scope: &ProgramScope,
        view: View<Self>,
    ) -> AppResult<(View<AgeGroup>, View<SessionType>)>;
}

fn load<K: Kind>(conn: &mut PgConnection, scope: &ProgramScope) -> AppResult<View<K>> {
    let mut usages = K::usages(conn, scope)?;
    let rows = K::all(conn, scope)?
        .into_iter()
        .map(|item| {
            let usage = usages.remove(item.code()).unwrap_or_default();
            (item, usage)
        })
        .collect();
    Ok(View {
        rows,
        editing: None,
        edit_form: K::Form::default(),
        edit_errors: FieldErrors::new(),
        new_form: K::Form::default(),
        new_errors: FieldErrors::new(),
        notice: String::new(),
    })
}

/// The answer to a change: the changed section for htmx, else the whole page.
async fn respond<K: Kind>(
    req: &HttpRequest,
    shell: Shell,
    scope: ProgramScope,
    state: &AppState,
    status: StatusCode,
    view: View<K>,
) -> AppResult<HttpResponse> {
    if is_htmx(req) {
        return K::fragment(status, shell, view);
    }
    let (ages, sessions) =
        db::run(&state.pool, move |conn| K::with_other(conn, &scope, view)).await?;
    render_with_status(
        status,
        &Page {
            shell,
            ages,
            sessions,
        },
    )
}

/// After a successful change: htmx gets the fresh section with a notice; a plain form a redirect
/// and a flash message.
async fn done<K: Kind>(
    req: &HttpRequest,
    session: &Session,
    shell: Shell,
    scope: ProgramScope,
    state: &AppState,
    notice: String,
) -> AppResult<HttpResponse> {
    if !is_htmx(req) {
        flash::success(session, notice);
        return Ok(redirect("/reference-data"));
    }
    let reload = scope.clone();
    let mut view = db::run(&state.pool, move |conn| load::<K>(conn, &reload)).await?;
    view.notice = notice;
    respond(req, shell, scope, state, StatusCode::OK, view).await
}

/// A refused save (422): the section again, the form as typed with the messages beside its
/// fields; `editing` names the row of an edit form, `None` is the add form.
async fn refused<K: Kind>(
    req: &HttpRequest,
    shell: Shell,
    scope: ProgramScope,
    state: &AppState,
    editing: Option<Uuid>,
    form: K::Form,
    errors: FieldErrors,
) -> AppResult<HttpResponse> {
    let reload = scope.clone();
    let mut view = db::run(&state.pool, move |conn| load::<K>(conn, &reload)).await?;
    if editing.is_some() {
        view.editing = editing;
        view.edit_form = form;
        view.edit_errors = errors;
    } else {
        view.new_form = form;
        view.new_errors = errors;
    }
    let status = StatusCode::UNPROCESSABLE_ENTITY;
    respond(req, shell, scope, state, status, view).await
}

pub async fn show(
    shell: Shell,
    scope: ProgramScope,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let (ages, sessions) = db::run(&state.pool, move |conn| {
        Ok((load(conn, &scope)?, load(conn, &scope)?))
    })
    .await?;
    render_with_status(
        StatusCode::OK,
        &Page {
            shell,
            ages,
            sessions,
        },
    )
}

// ---------------------------------------------------------------- the inline-edit flow

/// Checks a saved row against the others of the program (code unique, and the kind's own checks)
/// and against its own uses (a code in use keeps its spelling). `None` when it may be saved.
fn conflicts<K: Kind>(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    editing: Option<&K>,
    command: &K::Command,
) -> AppResult<()> {
    let mut errors = FieldErrors::new();
    // Two saves at once cannot both pass the checks: they queue on the program's row.
    lock_program(conn, scope)?;
    let mut others = K::all(conn, scope)?;
    others.retain(|o| Some(o.id()) != editing.map(K::id));
    let code = K::code_of(command);
    if others.iter().any(|o| o.code() == code) {
        let message = format!("Another {} of this program has that code.", K::NOUN);
        errors.add("code", message);
    }
    K::check_others(command, &others, &mut errors);
    if let Some(current) = editing.filter(|current| current.code() != code) {
        let usage = K::usage(conn, scope, current.code())?;
        if usage.in_use() {
            errors.add(
                "code",
                format!(
                    "Code {} is used by {}; it cannot be renamed. Add a new {} instead.",
                    current.code(),
                    usage.describe(),
                    K::NOUN
                ),
            );
        }
    }
    Ok(errors.into_result(())?)
}

pub async fn create<K: Kind>(
    req: HttpRequest,
    session: Session,
    shell: Shell,
    scope: ProgramScope,
    state: web::Data<AppState>,
    token: FormToken,
    form: web::Form<K::Form>,
) -> AppResult<HttpResponse> {
    let form = form.into_inner();
    let work_scope = scope.clone();
    let user = shell.user.id;
    let validated = K::validate(&form);
    let outcome = db::transaction(&state.pool, move |conn| {
        let command = validated?;
        let insert = |conn: &mut PgConnection| -> AppResult<String> {
            conflicts::<K>(conn, &work_scope, None, &command)?;
            K::insert(conn, &work_scope, &command)?;
            Ok(K::code_of(&command).to_string())
        };
        once::create(conn, token, user, insert, |_| "/reference-data".to_string())
    })
    .await;
    match outcome {
        Ok(code) => {
            let notice = format!("{} {code} added.", K::TITLE);
            done::<K>(&req, &session, shell, scope, &state, notice).await
        }
        Err(AppError::Invalid(errors)) => {
            refused::<K>(&req, shell, scope, &state, None, form, errors).await
        }
        Err(e) => Err(e),
    }
}

/// The section with one row open for editing.
pub async fn edit<K: Kind>(
    req: HttpRequest,
    shell: Shell,
    scope: ProgramScope,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let reload = scope.clone();
    let view = db::run(&state.pool, move |conn| {
        let found = K::find(conn, &reload, id)?;
        let mut view = load::<K>(conn, &reload)?;
        view.editing = Some(found.id());
        view.edit_form = found.to_form();
        Ok(view)
    })
    .await?;
    respond(&req, shell, scope, &state, StatusCode::OK, view).await
}

pub async fn update<K: Kind>(
    req: HttpRequest,
    session: Session,
    shell: Shell,
    scope: ProgramScope,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
    form: web::Form<K::Form>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let form = form.into_inner();
    let work_scope = scope.clone();
    let validated = K::validate(&form);
    let outcome = db::transaction(&state.pool, move |conn| {
        // A missing id, or one of another program, is not found before anything else is said.
        let current = K::find(conn, &work_scope, id)?;
        let command = validated?;
        conflicts(conn, &work_scope, Some(&current), &command)?;
        K::update(conn, &work_scope, current.id(), &command)?;
        Ok(K::code_of(&command).to_string())
    })
    .await;
    match outcome {
        Ok(code) => {
            let notice = format!("{} {code} saved.", K::TITLE);
            done::<K>(&req, &session, shell, scope, &state, notice).await
        }
        Err(AppError::Invalid(errors)) => {
            refused::<K>(&req, shell, scope, &state, Some(id), form, errors).await
        }
        Err(e) => Err(e),
    }
}

pub async fn delete<K: Kind>(
    req: HttpRequest,
    session: Session,
    shell: Shell,
    scope: ProgramScope,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
    form: web::Form<VersionForm>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let version = form.into_inner().version;
    let work_scope = scope.clone();
    let code = db::transaction(&state.pool, move |conn| {
        let found = K::find_for_update(conn, &work_scope, id)?;
        check_version(&version, found.updated_at(), &format!("This {}", K::NOUN))?;
        let usage = K::usage(conn, &work_scope, found.code())?;
        if usage.in_use() {
            return Err(AppError::conflict(format!(
                "{} {} is used by {}; it cannot be removed. Nothing was changed.",
                K::TITLE,
                found.code(),
                usage.describe()
            )));
        }
        K::delete(conn, &work_scope, found.id())?;
        Ok(found.code().to_string())
    })
    .await?;
    let notice = format!("{} {code} removed.", K::TITLE);
    done::<K>(&req, &session, shell, scope, &state, notice).await
}

// ---------------------------------------------------------------- age groups

impl Kind for AgeGroup {
    type Form = AgeGroupForm;
    const NOUN: &'static str = "age group";
    const TITLE: &'static str = "Age group";

    fn id(&self) -> Uuid {
        self.id
    }
    fn code(&self) -> &str {
        &self.code
    }
    fn updated_at(&self) -> DateTime<Utc> {
        self.updated_at
    }
    fn to_form(&self) -> AgeGroupForm {
        AgeGroupForm {
            code: self.code.clone(),
            name: self.name.clone(),
            min_age: self.min_age.to_string(),
            max_age: self.max_text(),
        }
    }
    fn validate(form: &AgeGroupForm) -> Result<AgeGroupCommand, FieldErrors> {
        form.validate()
    }
    fn code_of(command: &AgeGroupCommand) -> &str {
        &command.code
    }
    /// Age groups may not overlap.
    fn check_others(command: &AgeGroupCommand, others: &[Self], errors: &mut FieldErrors) {
        for other in others {
            let range = (command.min_age, command.max_age);
            if overlaps(range, (other.min_age, other.max_age)) {
                errors.add(
                    "min_age",
                    format!(
                        "These ages overlap {} ({}); age groups may not overlap.",
                        other.code,
                        other.range()
                    ),
                );
            }
        }
    }

    fn fragment(status: StatusCode, shell: Shell, ages: View<Self>) -> AppResult<HttpResponse> {
        render_with_status(status, &AgeGroupsFragment { shell, ages })
    }
    fn with_other(
        conn: &mut PgConnection,
        scope: &ProgramScope,
        ages: View<Self>,
    ) -> AppResult<(View<AgeGroup>, View<SessionType>)> {
        Ok((ages, load(conn, scope)?))
    }
}

// ---------------------------------------------------------------- session types

impl Kind for SessionType {
    type Form = SessionTypeForm;
    const NOUN: &'static str = "session type";
    const TITLE: &'static str = "Session type";

    fn id(&self) -> Uuid {
        self.id
    }
    fn code(&self) -> &str {
        &self.code
    }
    fn updated_at(&self) -> DateTime<Utc> {
        self.updated_at
    }
    fn to_form(&self) -> SessionTypeForm {
        SessionTypeForm {
            code: self.code.clone(),
            name: self.name.clone(),
            capacity: self.capacity.to_string(),
        }
    }
    fn validate(form: &SessionTypeForm) -> Result<SessionTypeCommand, FieldErrors> {
        form.validate()
    }
    fn code_of(command: &SessionTypeCommand) -> &str {
        &command.code
    }

    fn fragment(status: StatusCode, shell: Shell, sessions: View<Self>) -> AppResult<HttpResponse> {
        render_with_status(status, &SessionTypesFragment { shell, sessions })
    }
    fn with_other(
        conn: &mut PgConnection,
        scope: &ProgramScope,
        sessions: View<Self>,
    ) -> AppResult<(View<AgeGroup>, View<SessionType>)> {
        Ok((load(conn, scope)?, sessions))
    }
}
