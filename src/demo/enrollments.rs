//! Demo enrollments: students enrolled across the priced courses and facilities of each program,
//! in every status. Only configurations with a price in force are used (the database insists).

use chrono::{Datelike, NaiveDate, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use crate::{
    enrollments::{AssignmentType, EnrollmentStatus},
    error::AppError,
    schema::across_programs::{
        age_groups, course_enrollments as e, facility_course_pricing as p, students,
        user_program_assignments,
    },
};

/// Enrolls the program's students once; a program that has enrollments is left alone.
pub fn seed(
    conn: &mut PgConnection,
    program_id: Uuid,
    assigned_by: Option<Uuid>,
) -> Result<(), AppError> {
    let existing: i64 = e::table
        .filter(e::program_id.eq(program_id))
        .count()
        .get_result(conn)?;
    if existing > 0 {
        // Demo data seeded before each program had its own coordinator on its enrollments.
        if let Some(by) = assigned_by {
            let members = user_program_assignments::table
                .filter(user_program_assignments::program_id.eq(program_id))
                .select(user_program_assignments::user_id.nullable());
            diesel::update(
                e::table
                    .filter(e::program_id.eq(program_id))
                    .filter(e::assigned_by.ne_all(members)),
            )
            .set(e::assigned_by.eq(by))
            .execute(conn)?;
        }
        return Ok(());
    }
    let today = Utc::now().date_naive();
    let prices: Vec<(Uuid, Uuid, String, String, String, NaiveDate)> = p::table
        .filter(
            p::program_id
                .eq(program_id)
                .and(p::is_active.eq(true))
                .and(p::effective_date.le(today)),
        )
        .order((
            p::course_id,
            p::facility_id,
            p::age_group,
            p::location_type,
            p::session_type,
        ))
        .select((
            p::facility_id,
            p::course_id,
            p::age_group,
            p::location_type,
            p::session_type,
            p::effective_date,
        ))
        .load(conn)?;
    if prices.is_empty() {
        return Ok(());
    }
    let groups: Vec<(String, i32, Option<i32>)> = age_groups::table
        .filter(age_groups::program_id.eq(program_id))
        .select((age_groups::code, age_groups::min_age, age_groups::max_age))
        .load(conn)?;
    let kids: Vec<(Uuid, Option<NaiveDate>)> = students::table
        .filter(
            students::program_id
                .eq(program_id)
                .and(students::status.eq(crate::students::StudentStatus::Active)),
        )
        .order(students::student_id)
        .select((students::id, students::date_of_birth))
        .load(conn)?;
    for (i, (student, born)) in kids.iter().enumerate() {
        let age = born.map(|b| today.year() - b.year()).unwrap_or(30);
        let group = groups
            .iter()
            .find(|(_, min, max)| age >= *min && max.is_none_or(|m| age <= m))
            .map(|g| g.0.as_str());
        let fitting: Vec<_> = prices
            .iter()
            .filter(|row| Some(row.2.as_str()) == group)
            .collect();
        // Most students take one course, every third a second one elsewhere.
        let takes = if i % 3 == 0 { 2 } else { 1 };
        for k in 0..takes.min(fitting.len()) {
            let (facility, course, age_group, location, session, effective) =
                fitting[(i * 5 + k * 3) % fitting.len()];
            let enrolled = (*effective).max(today - chrono::Days::new((i % 60) as u64));
            let (status, completed, progress, notes) = match (i + k) % 10 {
                0 => (
                    EnrollmentStatus::Paused,
                    None,
                    35,
                    "Paused for exams".to_string(),
                ),
                1 => (EnrollmentStatus::Completed, Some(today), 100, String::new()),
                2 => (
                    EnrollmentStatus::Withdrawn,
                    Some(today),
                    20,
                    "Withdrawn: family relocated".to_string(),
                ),
                n => (
                    EnrollmentStatus::Active,
                    None,
                    (n as i32 * 11) % 90,
                    String::new(),
                ),
            };
            diesel::insert_into(e::table)
                .values((
                    e::program_id.eq(program_id),
                    e::student_id.eq(student),
                    e::course_id.eq(course),
                    e::facility_id.eq(facility),
                    e::age_group.eq(age_group),
                    e::location_type.eq(location),
                    e::session_type.eq(session),
                    e::status.eq(status),
                    e::enrollment_date.eq(enrolled),
                    e::completion_date.eq(completed),
                    e::progress_percentage.eq(progress),
                    e::credits_awarded.eq(progress / 25),
                    e::assignment_type.eq(if k == 0 {
                        AssignmentType::Direct
                    } else {
                        AssignmentType::BulkAssigned
                    }),
                    e::assignment_notes.eq(notes),
                    e::assigned_by.eq(assigned_by),
                ))
                .on_conflict_do_nothing()
                .execute(conn)?;
        }
    }
    Ok(())
}
