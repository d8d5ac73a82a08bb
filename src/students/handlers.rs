//! Student pages: list, profile, new, edit, status.

use actix_session::Session;
use actix_web::{http::StatusCode, web, HttpResponse};
use askama::Template;
use serde::Deserialize;
use uuid::Uuid;

use super::{
    form::StudentForm,
    model::{self, Student, StudentChanges, StudentFilter, StudentRow},
    StudentStatus,
};
use crate::{
    access::{permission::allows, Action, ProgramScope},
    db,
    enrollments::{self, EnrollmentLine},
    error::{AppError, AppResult},
    web::{
        flash,
        form::FieldErrors,
        format,
        keyset::{Cursor, CursorParams, KeysetPage},
        once::{self, FormToken},
        pagination::query_string,
        redirect, render, render_with_status,
        sort::Sort,
        Shell,
    },
    AppState,
};

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct ListQuery {
    pub q: String,
    pub status: String,
    pub sort: String,
    #[serde(flatten)]
    pub cursor: CursorParams,
}

impl ListQuery {
    pub fn filter(&self) -> Result<StudentFilter, AppError> {
        let status = match self.status.as_str() {
            "" => None,
            s => Some(
                s.parse::<StudentStatus>()
                    .map_err(|_| AppError::bad_request("Unknown status filter."))?,
            ),
        };
        let order = Sort::parse(&self.sort, SORT_KEYS, Sort::ascending("name"))
            .ok_or_else(|| AppError::bad_request("Unknown sort order."))?;
        let sort = serde_json::from_value(serde_json::Value::String(order.key.into()))
            .map_err(|_| AppError::bad_request("Unknown sort order."))?;
        Ok(StudentFilter {
            search: self.q.trim().chars().take(100).collect(),
            status,
            sort,
            descending: order.descending,
        })
    }
}

/// The columns the list sorts by, each both ways.
const SORT_KEYS: &[&str] = &["name", "student_id", "newest"];

fn order_of(filter: &StudentFilter) -> Sort {
    let key = SORT_KEYS
        .iter()
        .find(|k| **k == filter.sort.as_str())
        .copied()
        .unwrap_or("name");
    Sort {
        key,
        descending: filter.descending,
    }
}

#[derive(Template)]
#[template(path = "students/list.html")]
struct ListPage {
    shell: Shell,
    pagination: KeysetPage<StudentRow>,
    filter: StudentFilter,
    statuses: &'static [StudentStatus],
    can_edit: bool,
    can_export: bool,
    can_import: bool,
    export_query: String,
}

impl ListPage {
    fn sort(&self) -> Sort {
        order_of(&self.filter)
    }
    /// The list's query without its order, for the column headers.
    fn unsorted(&self) -> String {
        let status = self.filter.status.map_or("", |s| s.as_str());
        query_string(&[("q", &self.filter.search), ("status", status)])
    }
    fn date(&self, day: &Option<chrono::NaiveDate>) -> String {
        day.map(format::date).unwrap_or_default()
    }
    fn status_selected(&self, status: &StudentStatus) -> bool {
        self.filter.status == Some(*status)
    }
}

pub async fn list(
    shell: Shell,
    scope: ProgramScope,
    state: web::Data<AppState>,
    query: web::Query<ListQuery>,
) -> AppResult<HttpResponse> {
    let filter = query.filter()?;
    let cursor = Cursor::parse(&query.cursor)?;
    let status = filter.status.map_or("", |s| s.as_str());
    let base = query_string(&[
        ("q", &filter.search),
        ("status", status),
        ("sort", &order_of(&filter).param()),
    ]);
    let f = filter.clone();
    let (rows, total) = db::run(&state.pool, move |conn| {
        model::list(conn, &scope, &f, cursor)
    })
    .await?;
    let role = shell.user.role;
    render(&ListPage {
        shell,
        pagination: KeysetPage::new(cursor, rows, total, base.clone()),
        filter,
        statuses: StudentStatus::ALL,
        can_edit: allows(role, Action::EditStudents),
        can_export: allows(role, Action::ExportData),
        can_import: allows(role, Action::ImportStudents),
        export_query: base,
    })
}

/// What the student owes and paid (staff only).
struct Money {
    balance: crate::payments::Balance,
    invoices: Vec<crate::invoices::InvoiceRow>,
    payments: Vec<crate::payments::PaymentRow>,
    /// One-off charges the next invoice run bills.
    charges: Vec<crate::charges::Charge>,
}

#[derive(Template)]
#[template(path = "students/show.html")]
struct ShowPage {
    shell: Shell,
    student: Student,
    guardians: Vec<crate::guardians::GuardianOfStudent>,
    can_edit_guardians: bool,
    enrollments: Vec<EnrollmentLine>,
    can_edit: bool,
    can_enroll: bool,
    can_record_progress: bool,
    /// Tutors never see money: no fee column, no balance, invoices or payments.
    can_see_fees: bool,
    money: Option<Money>,
    statuses: &'static [StudentStatus],
    tz: chrono_tz::Tz,
    /// The lesson checklists of enrollments that follow a curriculum.
    checklists: std::collections::HashMap<Uuid, crate::attendance::Checklist>,
    /// Sessions attended and sessions marked, by enrollment.
    rates: std::collections::HashMap<Uuid, (i64, i64)>,
}

impl ShowPage {
    fn money(&self, amount: impl std::borrow::Borrow<bigdecimal::BigDecimal>) -> String {
        format::money(amount.borrow())
    }
    fn date(&self, day: &Option<chrono::NaiveDate>) -> String {
        day.map(format::date).unwrap_or_else(|| "—".into())
    }
    fn day(&self, day: &chrono::NaiveDate) -> String {
        format::date(*day)
    }
    /// "Attended 8 of 10 (80%)", once a session is marked.
    fn attendance(&self, enrollment: &Uuid) -> Option<String> {
        let (attended, marked) = *self.rates.get(enrollment)?;
        (marked > 0).then(|| {
            format!(
                "Attended {attended} of {marked} ({}%)",
                attended * 100 / marked
            )
        })
    }
    fn checklist(&self, enrollment: &Uuid) -> Option<&crate::attendance::Checklist> {
        self.checklists.get(enrollment)
    }
}

pub async fn show(
    shell: Shell,
    scope: ProgramScope,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let see_money = allows(shell.user.role, Action::ManageFees);
    let (student, enrollments, (checklists, rates), money, guardians) =
        db::run(&state.pool, move |conn| {
            let student = model::find(conn, &scope, id)?;
            let guardians = crate::guardians::of_student(conn, &scope, id)?;
            let enrollments = enrollments::of_student(conn, &scope, id)?;
            let ids: Vec<Uuid> = enrollments.iter().map(|e| e.id).collect();
            let checklists = crate::attendance::checklists(conn, &scope, &ids)?;
            let rates = crate::attendance::reports::rates(conn, &scope, &ids)?;
            let money = if see_money {
                Some(Money {
                    balance: crate::payments::balance_of(conn, &scope, id)?,
                    invoices: crate::invoices::of_student(conn, &scope, id)?,
                    payments: crate::payments::payments_of(conn, &scope, id)?,
                    charges: crate::charges::pending_of(conn, &scope, id)?,
                })
            } else {
                None
            };
            Ok((student, enrollments, (checklists, rates), money, guardians))
        })
        .await?;
    let role = shell.user.role;
    render(&ShowPage {
        money,
        guardians,
        can_edit_guardians: allows(role, Action::EditGuardians),
        shell,
        student,
        enrollments,
        can_edit: allows(role, Action::EditStudents),
        can_enroll: allows(role, Action::ManageEnrollments),
        can_record_progress: allows(role, Action::RecordProgress),
        can_see_fees: allows(role, Action::ManageFees),
        statuses: StudentStatus::ALL,
        tz: state.config.time_zone,
        checklists,
        rates,
    })
}

#[derive(Template)]
#[template(path = "students/form.html")]
struct FormPage {
    shell: Shell,
    form: StudentForm,
    errors: FieldErrors,
    /// `None` for a new student.
    student: Option<(Uuid, String)>,
    statuses: &'static [StudentStatus],
}

fn form_page(
    shell: Shell,
    form: StudentForm,
    errors: FieldErrors,
    student: Option<(Uuid, String)>,
) -> FormPage {
    FormPage {
        shell,
        form,
        errors,
        student,
        statuses: StudentStatus::ALL,
    }
}

pub async fn new(shell: Shell, state: web::Data<AppState>) -> AppResult<HttpResponse> {
    render(&form_page(
        shell,
        StudentForm::blank(state.config.today()),
        FieldErrors::new(),
        None,
    ))
}

pub async fn create(
    shell: Shell,
    scope: ProgramScope,
    session: Session,
    state: web::Data<AppState>,
    token: FormToken,
    form: web::Form<StudentForm>,
) -> AppResult<HttpResponse> {
    let form = form.into_inner();
    let today = state.config.today();
    let changes = match form.validate(today) {
        Ok(changes) => changes,
        Err(errors) => {
            return render_with_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &form_page(shell, form, errors, None),
            )
        }
    };
    let year = chrono::Datelike::year(&today);
    let user = shell.user.id;
    let student = db::transaction(&state.pool, move |conn| {
        once::create(
            conn,
            token,
            user,
            |conn| model::create(conn, &scope, year, changes),
            |s| format!("/students/{}", s.id),
        )
    })
    .await?;
    flash::success(
        &session,
        format!(
            "{} was added as {}.",
            student.full_name(),
            student.student_id
        ),
    );
    Ok(redirect(&format!("/students/{}", student.id)))
}

pub async fn edit(
    shell: Shell,
    scope: ProgramScope,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let student = db::run(&state.pool, move |conn| model::find(conn, &scope, id)).await?;
    let form = StudentForm::from_student(&student);
    render(&form_page(
        shell,
        form,
        FieldErrors::new(),
        Some((student.id, student.student_id)),
    ))
}

pub async fn update(
    shell: Shell,
    scope: ProgramScope,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
    form: web::Form<StudentForm>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let form = form.into_inner();
    let lookup_scope = scope.clone();
    // The student must exist in this program before anything is said about the form.
    let existing = db::run(&state.pool, move |conn| {
        model::find(conn, &lookup_scope, id)
    })
    .await?;
    let changes = match form.validate(state.config.today()) {
        // The status changes on the student's page, where its effect on enrollments is asked.
        Ok(changes) => StudentChanges {
            status: existing.status,
            ..changes
        },
        Err(errors) => {
            let page = form_page(
                shell,
                form,
                errors,
                Some((existing.id, existing.student_id)),
            );
            return render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
        }
    };
    let student = db::run(&state.pool, move |conn| {
        model::update(conn, &scope, id, changes)
    })
    .await?;
    flash::success(&session, format!("{} was saved.", student.full_name()));
    Ok(redirect(&format!("/students/{id}")))
}

#[derive(Deserialize)]
pub struct StatusForm {
    status: String,
    /// How many enrollments the user agreed to change (from the confirmation page).
    #[serde(default)]
    confirm_enrollments: String,
}

#[derive(Template)]
#[template(path = "students/confirm_status.html")]
struct ConfirmStatusPage {
    shell: Shell,
    student_id: Uuid,
    student_name: String,
    status: StudentStatus,
    enrollments: usize,
    question: String,
}

/// Changes a student's status; when that ends or pauses running enrollments, a page first says
/// how many and asks (see `status`).
pub async fn set_status(
    shell: Shell,
    scope: ProgramScope,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
    form: web::Form<StatusForm>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let status: StudentStatus = form
        .status
        .parse()
        .map_err(|_| AppError::bad_request("Choose a known status."))?;
    let confirmed = form.confirm_enrollments.trim().parse::<usize>().ok();
    let today = state.config.today();
    let outcome = db::run(&state.pool, move |conn| {
        let outcome = super::status::set(conn, &scope, id, status, confirmed, today)?;
        let student = model::find(conn, &scope, id)?;
        Ok((outcome, student))
    })
    .await?;
    match outcome {
        (super::status::Outcome::Confirm { enrollments }, student) => render(&ConfirmStatusPage {
            shell,
            student_id: id,
            question: super::status::question(&student.full_name(), status, enrollments),
            student_name: student.full_name(),
            status,
            enrollments,
        }),
        (super::status::Outcome::Done { enrollments }, _) => {
            flash::success(&session, super::status::done_message(status, enrollments));
            Ok(redirect(&format!("/students/{id}")))
        }
    }
}
