//! The roster of courses: students enrolled, with facility, configuration, status and progress.
//! Five queries for any number of courses and students.

use std::collections::HashMap;

use diesel::prelude::*;
use uuid::Uuid;

use super::model::visible_ids;
use crate::{
    access::ProgramScope,
    enrollments::EnrollmentStatus,
    error::AppResult,
    location_types,
    schema::{age_groups, course_enrollments, facilities, session_types, students},
};

pub struct RosterRow {
    pub enrollment_id: Uuid,
    pub student_number: String,
    pub student_name: String,
    pub facility: String,
    /// The age group's name (its code if unknown).
    pub age_group: String,
    pub location_type: String,
    /// The session type's name (its code if unknown).
    pub session_type: String,
    pub status: EnrollmentStatus,
    pub progress: i32,
    pub credits: i32,
}

impl RosterRow {
    pub fn location_label(&self) -> &str {
        location_types::label(&self.location_type)
    }
    pub fn status_label(&self) -> &'static str {
        self.status.label()
    }
    /// Active or paused: progress can still be recorded.
    pub fn is_running(&self) -> bool {
        matches!(
            self.status,
            EnrollmentStatus::Active | EnrollmentStatus::Paused
        )
    }
}

type EnrollmentRow = (
    Uuid,
    Uuid,
    Uuid,
    Uuid,
    String,
    String,
    String,
    EnrollmentStatus,
    i32,
    i32,
);

/// Rosters of the given (visible) courses, by course: running enrollments first, then by name.
pub fn load(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    course_ids: &[Uuid],
) -> AppResult<HashMap<Uuid, Vec<RosterRow>>> {
    let enrollments: Vec<EnrollmentRow> = scope
        .course_enrollments()
        .filter(course_enrollments::course_id.eq_any(course_ids))
        .filter(course_enrollments::course_id.eq_any(visible_ids(scope)))
        .select((
            course_enrollments::id,
            course_enrollments::course_id,
            course_enrollments::student_id,
            course_enrollments::facility_id,
            course_enrollments::age_group,
            course_enrollments::location_type,
            course_enrollments::session_type,
            course_enrollments::status,
            course_enrollments::progress_percentage,
            course_enrollments::credits_awarded,
        ))
        .load(conn)?;
    let mut rosters: HashMap<Uuid, Vec<RosterRow>> = HashMap::new();
    if enrollments.is_empty() {
        return Ok(rosters);
    }
    let student_ids: Vec<Uuid> = enrollments.iter().map(|e| e.2).collect();
    let facility_ids: Vec<Uuid> = enrollments.iter().map(|e| e.3).collect();
    let people: HashMap<Uuid, (String, String, String)> = scope
        .students()
        .filter(students::id.eq_any(&student_ids))
        .select((
            students::id,
            students::student_id,
            students::first_name,
            students::last_name,
        ))
        .load::<(Uuid, String, String, String)>(conn)?
        .into_iter()
        .map(|(id, number, first, last)| (id, (number, first, last)))
        .collect();
    let age_names: HashMap<String, String> = scope
        .age_groups()
        .select((age_groups::code, age_groups::name))
        .load::<(String, String)>(conn)?
        .into_iter()
        .collect();
    let session_names: HashMap<String, String> = scope
        .session_types()
        .select((session_types::code, session_types::name))
        .load::<(String, String)>(conn)?
        .into_iter()
        .collect();
    let places: HashMap<Uuid, String> = scope
        .facilities()
        .filter(facilities::id.eq_any(&facility_ids))
        .select((facilities::id, facilities::name))
        .load::<(Uuid, String)>(conn)?
        .into_iter()
        .collect();
    for (
        id,
        course_id,
        student_id,
        facility_id,
        age_group,
        location_type,
        session_type,
        status,
        progress,
        credits,
    ) in enrollments
    {
        let (number, first, last) = people.get(&student_id).cloned().unwrap_or_default();
        rosters.entry(course_id).or_default().push(RosterRow {
            enrollment_id: id,
            student_number: number,
            student_name: format!("{first} {last}"),
            facility: places.get(&facility_id).cloned().unwrap_or_default(),
            age_group: age_names.get(&age_group).cloned().unwrap_or(age_group),
            location_type,
            session_type: session_names
                .get(&session_type)
                .cloned()
                .unwrap_or(session_type),
            status,
            progress,
            credits,
        });
    }
    for rows in rosters.values_mut() {
        rows.sort_by(|a, b| {
            (!a.is_running()).cmp(&!b.is_running()).then_with(|| {
                a.student_name
                    .to_lowercase()
                    .cmp(&b.student_name.to_lowercase())
            })
        });
    }
    Ok(rosters)
}
