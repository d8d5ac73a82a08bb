//! CSV of the filtered student list: UTF-8 with a byte-order mark (so spreadsheet programs read
//! accents right), quoted by the `csv` crate, only the current program's students.

use actix_web::{http::header, web, HttpResponse};

use super::{handlers::ListQuery, model};
use crate::{access::ProgramScope, db, error::AppResult, AppState};

pub async fn students_csv(
    scope: ProgramScope,
    state: web::Data<AppState>,
    query: web::Query<ListQuery>,
) -> AppResult<HttpResponse> {
    let filter = query.filter()?;
    let program = scope.program_name().to_string();
    let students = db::run(&state.pool, move |conn| {
        Ok(model::all(conn, &scope, &filter)?)
    })
    .await?;
    let mut out = csv::Writer::from_writer(vec![0xEF, 0xBB, 0xBF]);
    let write_error = |e: csv::Error| crate::error::AppError::internal(format!("writing CSV: {e}"));
    out.write_record([
        "student_id",
        "first_name",
        "last_name",
        "email",
        "phone",
        "date_of_birth",
        "enrollment_date",
        "status",
        "address_line1",
        "address_line2",
        "city",
        "state",
        "country",
        "emergency_contact_name",
        "emergency_contact_relation",
        "emergency_contact_phone",
        "medical_conditions",
        "medications",
        "allergies",
    ])
    .map_err(write_error)?;
    for s in &students {
        let (a, e, m) = (s.address(), s.emergency_contact(), s.medical_info());
        out.write_record([
            s.student_id.as_str(),
            &s.first_name,
            &s.last_name,
            s.email.as_deref().unwrap_or(""),
            s.phone.as_deref().unwrap_or(""),
            &s.date_of_birth.map(|d| d.to_string()).unwrap_or_default(),
            &s.enrollment_date.to_string(),
            s.status.as_str(),
            &a.line1,
            &a.line2,
            &a.city,
            &a.state,
            &a.country,
            &e.name,
            &e.relation,
            &e.phone,
            &m.conditions,
            &m.medications,
            &m.allergies,
        ])
        .map_err(write_error)?;
    }
    let body = out
        .into_inner()
        .map_err(|e| crate::error::AppError::internal(e.to_string()))?;
    let file = format!(
        "students-{}.csv",
        program
            .to_lowercase()
            .replace(|c: char| !c.is_ascii_alphanumeric(), "-")
    );
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "text/csv; charset=utf-8"))
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{file}\""),
        ))
        .body(body))
}
