//! Enrollments as lists show them: with course and facility names, in a constant number of queries.

use std::collections::HashMap;

use chrono::NaiveDate;
use diesel::prelude::*;
use uuid::Uuid;

use super::EnrollmentStatus;
use crate::{
    access::ProgramScope,
    error::AppResult,
    location_types,
    schema::{course_enrollments, courses, facilities},
};

pub struct EnrollmentLine {
    pub id: Uuid,
    pub course_name: String,
    pub facility_name: String,
    pub age_group: String,
    pub location_type: String,
    pub session_type: String,
    pub status: EnrollmentStatus,
    pub enrollment_date: NaiveDate,
    pub completion_date: Option<NaiveDate>,
    pub progress_percentage: i32,
    pub credits_awarded: i32,
}

impl EnrollmentLine {
    pub fn location_label(&self) -> &str {
        location_types::label(&self.location_type)
    }

    /// Active or paused: still changeable.
    pub fn is_running(&self) -> bool {
        matches!(
            self.status,
            EnrollmentStatus::Active | EnrollmentStatus::Paused
        )
    }

    /// The status changes allowed now, as the page offers them.
    pub fn transitions(&self) -> Vec<TransitionButton> {
        let button = |action, label, question, needs_reason| TransitionButton {
            action,
            label,
            question,
            needs_reason,
        };
        let mut out = Vec::new();
        match self.status {
            EnrollmentStatus::Active => out.push(button(
                "pause",
                "Pause",
                "Pause this enrollment? It can be resumed later.",
                false,
            )),
            EnrollmentStatus::Paused => {
                out.push(button("resume", "Resume", "Resume this enrollment?", false))
            }
            _ => return out,
        }
        out.push(button(
            "complete",
            "Complete",
            "Complete this enrollment? Progress becomes 100% and it cannot be reopened.",
            false,
        ));
        out.push(button(
            "withdraw",
            "Withdraw",
            "Withdraw from this course? This is final.",
            true,
        ));
        out
    }
}

pub struct TransitionButton {
    pub action: &'static str,
    pub label: &'static str,
    pub question: &'static str,
    pub needs_reason: bool,
}

type Row = (
    Uuid,
    Uuid,
    Uuid,
    String,
    String,
    String,
    EnrollmentStatus,
    NaiveDate,
    Option<NaiveDate>,
    i32,
    i32,
);

/// A student's enrollments across courses and facilities, newest first.
pub fn of_student(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    student_id: Uuid,
) -> AppResult<Vec<EnrollmentLine>> {
    use course_enrollments as e;
    let rows: Vec<Row> = scope
        .course_enrollments()
        .filter(e::student_id.eq(student_id))
        .order((e::enrollment_date.desc(), e::created_at.desc()))
        .select((
            e::id,
            e::course_id,
            e::facility_id,
            e::age_group,
            e::location_type,
            e::session_type,
            e::status,
            e::enrollment_date,
            e::completion_date,
            e::progress_percentage,
            e::credits_awarded,
        ))
        .load(conn)?;
    let course_ids: Vec<Uuid> = rows.iter().map(|r| r.1).collect();
    let facility_ids: Vec<Uuid> = rows.iter().map(|r| r.2).collect();
    let course_names: HashMap<Uuid, String> = scope
        .courses()
        .filter(courses::id.eq_any(course_ids))
        .select((courses::id, courses::name))
        .load::<(Uuid, String)>(conn)?
        .into_iter()
        .collect();
    let facility_names: HashMap<Uuid, String> = scope
        .facilities()
        .filter(facilities::id.eq_any(facility_ids))
        .select((facilities::id, facilities::name))
        .load::<(Uuid, String)>(conn)?
        .into_iter()
        .collect();
    Ok(rows
        .into_iter()
        .map(
            |(
                id,
                course,
                facility,
                age_group,
                location_type,
                session_type,
                status,
                enrolled,
                completed,
                progress,
                credits,
            )| {
                EnrollmentLine {
                    id,
                    course_name: course_names.get(&course).cloned().unwrap_or_default(),
                    facility_name: facility_names.get(&facility).cloned().unwrap_or_default(),
                    age_group,
                    location_type,
                    session_type,
                    status,
                    enrollment_date: enrolled,
                    completion_date: completed,
                    progress_percentage: progress,
                    credits_awarded: credits,
                }
            },
        )
        .collect())
}
