//! CSV of the filtered student list, only the current program's students.

use actix_web::{web, HttpResponse};

use super::{handlers::ListQuery, model};
use crate::{access::ProgramScope, db, error::AppResult, web::csv_export::CsvExport, AppState};

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
    let mut out = CsvExport::new(&[
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
        "medical_conditions",
        "medications",
        "allergies",
    ])?;
    for s in &students {
        let (a, m) = (s.address(), s.medical_info());
        out.row([
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
            &m.conditions,
            &m.medications,
            &m.allergies,
        ])?;
    }
    out.into_response("students", &program)
}
