//! Enrollments as lists show them: with course and facility names, in a constant number of queries.

use std::collections::HashMap;

use bigdecimal::BigDecimal;
use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use super::EnrollmentStatus;
use crate::{
    access::ProgramScope,
    error::AppResult,
    location_types,
    schema::{
        course_enrollments, course_tutors, courses, enrollment_status_changes, facilities, users,
    },
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
    /// "Ages 9-12 · Our facility · Private".
    pub configuration: String,
    /// The price it was made at.
    pub price: Option<BigDecimal>,
    /// The last status change: who made it and when.
    pub last_change: Option<StatusChange>,
    /// Whether the viewer may record progress here (a tutor only in their own courses).
    pub progress_editable: bool,
}

pub struct StatusChange {
    pub to: EnrollmentStatus,
    pub by: Option<String>,
    pub at: DateTime<Utc>,
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
    let ids: Vec<Uuid> = rows.iter().map(|r| r.0).collect();
    let mut changes = last_changes(conn, scope, &ids)?;
    let mut prices = crate::pricing::lookup::made_at(conn, scope, &ids)?;
    let choices = crate::courses::offerings::choices(conn, scope)?;
    let tutored: Option<Vec<Uuid>> = match scope.tutor_id() {
        Some(tutor) => Some(
            scope
                .course_tutors()
                .filter(course_tutors::user_id.eq(tutor))
                .select(course_tutors::course_id)
                .load(conn)?,
        ),
        None => None,
    };
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
                let configuration =
                    choices.configuration(&age_group, &location_type, &session_type);
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
                    last_change: changes.remove(&id),
                    configuration,
                    price: prices.remove(&id),
                    progress_editable: tutored.as_ref().is_none_or(|mine| mine.contains(&course)),
                }
            },
        )
        .collect())
}

/// The latest status change of each enrollment, with who made it (one query).
fn last_changes(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    ids: &[Uuid],
) -> AppResult<HashMap<Uuid, StatusChange>> {
    use enrollment_status_changes as c;
    let rows: Vec<(Uuid, EnrollmentStatus, Option<String>, DateTime<Utc>)> = scope
        .enrollment_status_changes()
        .left_join(users::table)
        .filter(c::enrollment_id.eq_any(ids))
        .order((c::enrollment_id, c::created_at.desc()))
        .distinct_on(c::enrollment_id)
        .select((
            c::enrollment_id,
            c::to_status,
            users::username.nullable(),
            c::created_at,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, to, by, at)| (id, StatusChange { to, by, at }))
        .collect())
}
