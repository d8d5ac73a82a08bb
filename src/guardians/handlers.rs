//! The guardians' pages: the list and search, one guardian with their children, the form, and
//! linking a child (a sibling in two clicks: search, add).

use actix_session::Session;
use actix_web::{web, HttpResponse};
use askama::Template;
use serde::Deserialize;
use uuid::Uuid;

use super::{
    form::{FlagsForm, GuardianForm},
    model::{self, Child, ContactMethod, Guardian},
};
use crate::{
    access::{permission::allows, Action, ProgramScope},
    db,
    error::{AppError, AppResult},
    students,
    web::{
        flash,
        form::FieldErrors,
        pagination::{query_string, PageRequest, Paginated},
        redirect, render, render_with_status, Shell,
    },
    AppState,
};

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ListQuery {
    pub q: String,
    /// Adding an existing guardian to this student: each row offers it.
    pub student_id: String,
    pub page: Option<i64>,
}

#[derive(Template)]
#[template(path = "guardians/list.html")]
struct ListPage {
    shell: Shell,
    query: ListQuery,
    pagination: Paginated<(Guardian, i64)>,
    /// The student a guardian is being added to: id and name.
    adding_to: Option<(Uuid, String)>,
    can_edit: bool,
}

fn uuid_or_none(value: &str) -> AppResult<Option<Uuid>> {
    match value.trim() {
        "" => Ok(None),
        v => v
            .parse()
            .map(Some)
            .map_err(|_| AppError::bad_request("That is not a record of this program.")),
    }
}

pub async fn list(
    shell: Shell,
    scope: ProgramScope,
    state: web::Data<AppState>,
    query: web::Query<ListQuery>,
) -> AppResult<HttpResponse> {
    let query = query.into_inner();
    let page = PageRequest::parse(query.page)?;
    let student = uuid_or_none(&query.student_id)?;
    let q = query.q.clone();
    let ((rows, counted), adding_to) = db::run(&state.pool, move |conn| {
        let adding_to = match student {
            Some(id) => {
                let s = students::find(conn, &scope, id)?;
                Some((s.id, s.full_name()))
            }
            None => None,
        };
        Ok((model::list(conn, &scope, &q, page)?, adding_to))
    })
    .await?;
    let base = query_string(&[
        ("q", query.q.trim()),
        ("student_id", query.student_id.trim()),
    ]);
    render(&ListPage {
        can_edit: allows(shell.user.role, Action::EditGuardians),
        shell,
        query,
        pagination: Paginated::counted_past(rows, counted, page, base),
        adding_to,
    })
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ShowQuery {
    /// A student to add as a child: name or student id.
    pub child_q: String,
}

#[derive(Template)]
#[template(path = "guardians/show.html")]
struct ShowPage {
    shell: Shell,
    guardian: Guardian,
    children: Vec<Child>,
    child_q: String,
    candidates: Vec<(Uuid, String, String)>,
    can_edit: bool,
    /// The fees of the children they pay for (staff who see money only).
    family: Option<Family>,
}

/// What the family owes: the invoices of the children this guardian pays for, and the SUM of
/// their balances (docs/decisions.md, "Guardians").
struct Family {
    balance: crate::payments::Balance,
    invoices: Vec<crate::invoices::InvoiceRow>,
}

impl ShowPage {
    fn money(&self, amount: impl std::borrow::Borrow<bigdecimal::BigDecimal>) -> String {
        crate::web::format::money(amount.borrow())
    }
    fn day(&self, day: &chrono::NaiveDate) -> String {
        crate::web::format::date(*day)
    }
    fn pays_for_any(&self) -> bool {
        self.children.iter().any(|c| c.flags.pays_fees)
    }
}

pub async fn show(
    shell: Shell,
    scope: ProgramScope,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
    query: web::Query<ShowQuery>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let child_q = query.into_inner().child_q;
    let can_edit = allows(shell.user.role, Action::EditGuardians);
    let sees_money = allows(shell.user.role, Action::ManageFees);
    let q = child_q.clone();
    let (guardian, children, candidates, family) = db::run(&state.pool, move |conn| {
        let guardian = model::find(conn, &scope, id)?;
        let children = model::children(conn, &scope, id)?;
        let candidates = if can_edit {
            model::candidates(conn, &scope, id, &q)?
        } else {
            Vec::new()
        };
        let paid_for: Vec<Uuid> = children
            .iter()
            .filter(|c| c.flags.pays_fees)
            .map(|c| c.student_id)
            .collect();
        let family = if sees_money && !paid_for.is_empty() {
            Some(Family {
                balance: crate::payments::balance_of_all(conn, &scope, &paid_for)?,
                invoices: crate::invoices::of_students(conn, &scope, &paid_for)?,
            })
        } else {
            None
        };
        Ok((guardian, children, candidates, family))
    })
    .await?;
    render(&ShowPage {
        shell,
        guardian,
        children,
        child_q,
        candidates,
        can_edit,
        family,
    })
}

#[derive(Template)]
#[template(path = "guardians/form.html")]
struct FormPage {
    shell: Shell,
    /// None for a new guardian.
    guardian_id: Option<Uuid>,
    /// A new guardian's child: id and name.
    student: Option<(Uuid, String)>,
    form: GuardianForm,
    errors: FieldErrors,
}

impl FormPage {
    fn methods(&self) -> &'static [ContactMethod] {
        ContactMethod::ALL
    }
}

async fn form_page(
    shell: Shell,
    scope: ProgramScope,
    state: &AppState,
    guardian_id: Option<Uuid>,
    form: GuardianForm,
    errors: FieldErrors,
) -> AppResult<HttpResponse> {
    let student = uuid_or_none(&form.student_id)?;
    let student = match student {
        Some(id) => Some(
            db::run(&state.pool, move |conn| {
                let s = students::find(conn, &scope, id)?;
                Ok((s.id, s.full_name()))
            })
            .await?,
        ),
        None => None,
    };
    render_with_status(
        errors.status(),
        &FormPage {
            shell,
            guardian_id,
            student,
            form,
            errors,
        },
    )
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct NewQuery {
    pub student_id: String,
}

pub async fn new(
    shell: Shell,
    scope: ProgramScope,
    state: web::Data<AppState>,
    query: web::Query<NewQuery>,
) -> AppResult<HttpResponse> {
    let form = GuardianForm {
        student_id: query.into_inner().student_id,
        preferred_contact: "phone".into(),
        flags: FlagsForm {
            emergency_contact: Some("on".into()),
            may_pick_up: Some("on".into()),
            pays_fees: Some("on".into()),
        },
        ..Default::default()
    };
    form_page(shell, scope, &state, None, form, FieldErrors::new()).await
}

pub async fn create(
    shell: Shell,
    scope: ProgramScope,
    state: web::Data<AppState>,
    session: Session,
    form: web::Form<GuardianForm>,
) -> AppResult<HttpResponse> {
    let form = form.into_inner();
    let student = uuid_or_none(&form.student_id)?;
    let changes = match form.validate() {
        Ok(changes) => changes,
        Err(errors) => return form_page(shell, scope, &state, None, form, errors).await,
    };
    let flags = form.flags.flags();
    let name = changes.full_name.clone();
    let id = db::transaction(&state.pool, move |conn| {
        let id = model::create(conn, &scope, &changes)?;
        if let Some(student) = student {
            model::link(conn, &scope, id, student, flags)?;
        }
        Ok(id)
    })
    .await?;
    flash::success(&session, format!("{name} was added."));
    Ok(redirect(&match student {
        Some(s) => format!("/students/{s}"),
        None => format!("/guardians/{id}"),
    }))
}

pub async fn edit(
    shell: Shell,
    scope: ProgramScope,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let s = scope.clone();
    let g = db::run(&state.pool, move |conn| model::find(conn, &s, id)).await?;
    let form = GuardianForm {
        full_name: g.full_name,
        relationship: g.relationship,
        phone: g.phone,
        other_phone: g.other_phone,
        email: g.email,
        address: g.address,
        preferred_contact: g.preferred_contact.as_str().into(),
        version: crate::web::form::version(g.updated_at),
        ..Default::default()
    };
    form_page(shell, scope, &state, Some(id), form, FieldErrors::new()).await
}

pub async fn update(
    shell: Shell,
    scope: ProgramScope,
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<Uuid>,
    form: web::Form<GuardianForm>,
) -> AppResult<HttpResponse> {
    let (id, mut form) = (path.into_inner(), form.into_inner());
    // Editing never links a child: that is the guardian page's job.
    form.student_id.clear();
    let changes = match form.validate() {
        Ok(changes) => changes,
        Err(errors) => return form_page(shell, scope, &state, Some(id), form, errors).await,
    };
    let (name, version) = (changes.full_name.clone(), form.version.clone());
    db::transaction(&state.pool, move |conn| {
        model::update(conn, &scope, id, &version, &changes)
    })
    .await?;
    flash::success(&session, format!("{name} was saved."));
    Ok(redirect(&format!("/guardians/{id}")))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ChildForm {
    pub student_id: String,
    /// Where to go back: "student" (the child's page) or the guardian's page.
    pub back: String,
    #[serde(flatten)]
    pub flags: FlagsForm,
}

pub async fn add_child(
    scope: ProgramScope,
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<Uuid>,
    form: web::Form<ChildForm>,
) -> AppResult<HttpResponse> {
    let (guardian, form) = (path.into_inner(), form.into_inner());
    let student = uuid_or_none(&form.student_id)?
        .ok_or_else(|| AppError::invalid("student_id", "Choose the child to add."))?;
    let flags = form.flags.flags();
    db::transaction(&state.pool, move |conn| {
        model::find(conn, &scope, guardian)?;
        model::link(conn, &scope, guardian, student, flags)
    })
    .await?;
    flash::success(&session, "The child was added to the guardian.");
    Ok(redirect(&if form.back == "student" {
        format!("/students/{student}")
    } else {
        format!("/guardians/{guardian}")
    }))
}

pub async fn set_flags(
    scope: ProgramScope,
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<(Uuid, Uuid)>,
    form: web::Form<FlagsForm>,
) -> AppResult<HttpResponse> {
    let ((guardian, student), flags) = (path.into_inner(), form.flags());
    db::transaction(&state.pool, move |conn| {
        model::set_flags(conn, &scope, guardian, student, flags)
    })
    .await?;
    flash::success(&session, "Saved what this guardian does for the child.");
    Ok(redirect(&format!("/guardians/{guardian}")))
}

pub async fn remove_child(
    scope: ProgramScope,
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<(Uuid, Uuid)>,
) -> AppResult<HttpResponse> {
    let (guardian, student) = path.into_inner();
    db::transaction(&state.pool, move |conn| {
        model::unlink(conn, &scope, guardian, student)
    })
    .await?;
    flash::success(
        &session,
        "The child is no longer linked to this guardian; the guardian stays.",
    );
    Ok(redirect(&format!("/guardians/{guardian}")))
}
