//! An enrollment's life: active <-> paused; active or paused -> completed or withdrawn, both final.

use chrono::NaiveDate;
use diesel::prelude::*;
use uuid::Uuid;

use super::EnrollmentStatus;
use crate::{
    access::ProgramScope,
    error::{AppError, AppResult},
    schema::{classes, course_enrollments as e, course_tutors, enrollment_status_changes},
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transition {
    Pause,
    Resume,
    Complete,
    Withdraw,
    /// A waitlisted enrollment takes a place that came free in its class.
    Promote,
}

impl Transition {
    pub fn parse(verb: &str) -> Option<Self> {
        match verb {
            "pause" => Some(Self::Pause),
            "resume" => Some(Self::Resume),
            "complete" => Some(Self::Complete),
            "withdraw" => Some(Self::Withdraw),
            "promote" => Some(Self::Promote),
            _ => None,
        }
    }

    /// The status this transition leads to from `from`, if it is allowed.
    pub fn target(self, from: EnrollmentStatus) -> Option<EnrollmentStatus> {
        use EnrollmentStatus::*;
        match (self, from) {
            (Self::Pause, Active) => Some(Paused),
            (Self::Resume, Paused) => Some(Active),
            (Self::Complete, Active | Paused) => Some(Completed),
            (Self::Withdraw, Active | Paused | Waitlisted) => Some(Withdrawn),
            (Self::Promote, Waitlisted) => Some(Active),
            _ => None,
        }
    }

    pub fn past_tense(self) -> &'static str {
        match self {
            Self::Pause => "paused",
            Self::Resume => "resumed",
            Self::Complete => "completed",
            Self::Withdraw => "withdrawn",
            Self::Promote => "given its place in the class",
        }
    }
}

/// Applies `transition` to an enrollment of the scope; a withdrawal keeps `reason` in the notes.
/// Who made the change, and when, is recorded (`enrollment_status_changes`).
pub fn apply(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    id: Uuid,
    transition: Transition,
    reason: &str,
    today: NaiveDate,
) -> AppResult<EnrollmentStatus> {
    conn.transaction(|conn| {
        let (status, notes, enrolled, class_id): (
            EnrollmentStatus,
            String,
            NaiveDate,
            Option<Uuid>,
        ) = scope
            .course_enrollments()
            .filter(e::id.eq(id))
            .select((
                e::status,
                e::assignment_notes,
                e::enrollment_date,
                e::class_id,
            ))
            .for_update()
            .first(conn)?;
        let target = transition.target(status).ok_or_else(|| {
            AppError::conflict(format!(
                "A {} enrollment cannot be {}.",
                status.label().to_lowercase(),
                transition.past_tense()
            ))
        })?;
        let row = scope.course_enrollments().filter(e::id.eq(id));
        // Completion cannot predate the enrollment (an enrollment dated in the future).
        let finished = today.max(enrolled);
        match transition {
            Transition::Promote => {
                offer_place(conn, scope, id, class_id)?;
                diesel::update(row)
                    .set(e::status.eq(target))
                    .execute(conn)?;
            }
            Transition::Pause | Transition::Resume => {
                diesel::update(row)
                    .set(e::status.eq(target))
                    .execute(conn)?;
            }
            Transition::Complete => {
                diesel::update(row)
                    .set((
                        e::status.eq(target),
                        e::completion_date.eq(finished),
                        e::progress_percentage.eq(100),
                    ))
                    .execute(conn)?;
            }
            Transition::Withdraw => {
                let reason = reason.trim();
                if reason.is_empty() {
                    return Err(AppError::bad_request("Give a reason for the withdrawal."));
                }
                let notes = if notes.is_empty() {
                    format!("Withdrawn: {reason}")
                } else {
                    format!("{notes}\nWithdrawn: {reason}")
                };
                diesel::update(row)
                    .set((
                        e::status.eq(target),
                        e::completion_date.eq(finished),
                        e::assignment_notes.eq(notes),
                    ))
                    .execute(conn)?;
            }
        }
        enrollment_status_changes::insert()
            .values((
                enrollment_status_changes::enrollment_id.eq(id),
                enrollment_status_changes::program_id.eq(scope.program_id()),
                enrollment_status_changes::from_status.eq(status),
                enrollment_status_changes::to_status.eq(target),
                enrollment_status_changes::reason.eq(reason.trim()),
                enrollment_status_changes::changed_by.eq(scope.actor_id()),
            ))
            .execute(conn)?;
        Ok(target)
    })
}

/// Checks, with the class locked, that a place is free and that `id` is first in line.
fn offer_place(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    id: Uuid,
    class_id: Option<Uuid>,
) -> AppResult<()> {
    let class_id = class_id.ok_or_else(|| AppError::conflict("This enrollment is in no class."))?;
    let (name, capacity): (String, i32) = scope
        .classes()
        .filter(classes::id.eq(class_id))
        .select((classes::name, classes::capacity))
        .for_update()
        .first(conn)?;
    let running: i64 = scope
        .course_enrollments()
        .filter(e::class_id.eq(class_id))
        .filter(e::status.eq_any([EnrollmentStatus::Active, EnrollmentStatus::Paused]))
        .count()
        .get_result(conn)?;
    if running >= i64::from(capacity) {
        return Err(AppError::conflict(format!(
            "{name} has no free place ({running} of {capacity} taken). Nothing was changed."
        )));
    }
    let first: Uuid = scope
        .course_enrollments()
        .filter(e::class_id.eq(class_id))
        .filter(e::status.eq(EnrollmentStatus::Waitlisted))
        .order((e::waitlisted_at.asc(), e::id.asc()))
        .select(e::id)
        .first(conn)?;
    if first != id {
        return Err(AppError::conflict(
            "Another student is first in line for this class: offer the place to them first. Nothing was changed.",
        ));
    }
    // Enrolled meanwhile without a class (an older record): one running enrollment per course.
    let (student, course, facility): (Uuid, Uuid, Uuid) = scope
        .course_enrollments()
        .filter(e::id.eq(id))
        .select((e::student_id, e::course_id, e::facility_id))
        .first(conn)?;
    let running_elsewhere: i64 = scope
        .course_enrollments()
        .filter(e::student_id.eq(student))
        .filter(e::course_id.eq(course))
        .filter(e::facility_id.eq(facility))
        .filter(e::status.eq_any([EnrollmentStatus::Active, EnrollmentStatus::Paused]))
        .count()
        .get_result(conn)?;
    if running_elsewhere > 0 {
        return Err(AppError::conflict(
            "This student already has a running enrollment in this course at this facility: move that one into the class from their page, and take this one off the waitlist. Nothing was changed.",
        ));
    }
    Ok(())
}

/// The student's enrollments that `transition` applies to now (the running ones it may change),
/// locked until the transaction ends, in id order so that concurrent callers queue.
pub fn changeable_of_student(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    student_id: Uuid,
    transition: Transition,
) -> AppResult<Vec<Uuid>> {
    let rows: Vec<(Uuid, EnrollmentStatus)> = scope
        .course_enrollments()
        .filter(e::student_id.eq(student_id))
        .filter(e::status.eq_any([
            EnrollmentStatus::Active,
            EnrollmentStatus::Paused,
            EnrollmentStatus::Waitlisted,
        ]))
        .order(e::id.asc())
        .select((e::id, e::status))
        .for_update()
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter(|(_, status)| transition.target(*status).is_some())
        .map(|(id, _)| id)
        .collect())
}

/// Records progress and credits; a tutor only in the courses assigned to them.
pub fn record_progress(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    id: Uuid,
    progress: i32,
    credits: i32,
) -> AppResult<()> {
    let mut row = scope.course_enrollments().filter(e::id.eq(id)).into_boxed();
    if let Some(tutor) = scope.tutor_id() {
        row = row.filter(
            e::course_id.eq_any(
                scope
                    .course_tutors()
                    .filter(course_tutors::user_id.eq(tutor))
                    .select(course_tutors::course_id),
            ),
        );
    }
    let ids: Vec<Uuid> = row.select(e::id).load(conn)?;
    if ids.is_empty() {
        return Err(AppError::NotFound);
    }
    if crate::attendance::progress::curriculum_of(conn, scope, id)?.is_some() {
        return Err(AppError::conflict(
            "This student's class follows a curriculum: progress is the share of its lessons credited, from attendance or by hand on the student's page. Nothing was changed.",
        ));
    }
    diesel::update(scope.course_enrollments().filter(e::id.eq_any(ids)))
        .set((
            e::progress_percentage.eq(progress),
            e::credits_awarded.eq(credits),
        ))
        .execute(conn)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{EnrollmentStatus::*, Transition::*};

    #[test]
    fn only_the_product_transitions_are_allowed() {
        assert_eq!(Pause.target(Active), Some(Paused));
        assert_eq!(Resume.target(Paused), Some(Active));
        assert_eq!(Complete.target(Paused), Some(Completed));
        assert_eq!(Withdraw.target(Active), Some(Withdrawn));
        assert_eq!(Resume.target(Active), None);
        assert_eq!(Pause.target(Completed), None);
        assert_eq!(Withdraw.target(Completed), None);
        assert_eq!(Complete.target(Withdrawn), None);
    }
}
