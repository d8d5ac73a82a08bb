//! A student's status, and what it does to their running enrollments: withdrawing a student
//! withdraws them (reason "student withdrawn"), graduating completes them, making them inactive
//! pauses the active ones. Nothing else may leave a withdrawn student counted in a facility's
//! load or the dashboard's money. All of it happens in one transaction, after the user has seen
//! how many enrollments it ends.

use chrono::NaiveDate;
use diesel::prelude::*;
use uuid::Uuid;

use super::StudentStatus;
use crate::{
    access::ProgramScope,
    enrollments::{self, Transition},
    error::{AppError, AppResult},
    schema::students,
};

/// The reason kept on enrollments withdrawn with their student.
pub const WITHDRAWN_REASON: &str = "student withdrawn";

/// What a student's new status does to their running enrollments.
pub fn enrollment_transition(status: StudentStatus) -> Option<Transition> {
    match status {
        StudentStatus::Withdrawn => Some(Transition::Withdraw),
        StudentStatus::Graduated => Some(Transition::Complete),
        StudentStatus::Inactive => Some(Transition::Pause),
        StudentStatus::Active => None,
    }
}

pub enum Outcome {
    /// The change would change this many enrollments: ask first.
    Confirm { enrollments: usize },
    /// Done; this many enrollments changed with it.
    Done { enrollments: usize },
}

/// Sets the status. `confirmed` is the number of enrollments the user agreed to change; when
/// the change would touch enrollments and that number is not the one it would touch now (never
/// asked, or someone enrolled the student meanwhile), nothing changes and `Confirm` says how many.
pub fn set(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    id: Uuid,
    status: StudentStatus,
    confirmed: Option<usize>,
    today: NaiveDate,
) -> AppResult<Outcome> {
    conn.transaction(|conn| {
        let current: StudentStatus = scope
            .students()
            .filter(students::id.eq(id))
            .select(students::status)
            .for_update()
            .first(conn)?;
        let (transition, changing) = match enrollment_transition(status) {
            Some(t) if status != current => (
                Some(t),
                enrollments::changeable_of_student(conn, scope, id, t)?,
            ),
            _ => (None, Vec::new()),
        };
        if !changing.is_empty() && confirmed != Some(changing.len()) {
            return Ok(Outcome::Confirm {
                enrollments: changing.len(),
            });
        }
        super::model::set_status(conn, scope, id, status)?;
        if let Some(transition) = transition {
            let reason = match transition {
                Transition::Withdraw => WITHDRAWN_REASON,
                _ => "",
            };
            for enrollment in &changing {
                enrollments::apply(conn, scope, *enrollment, transition, reason, today)?;
            }
        }
        Ok(Outcome::Done {
            enrollments: changing.len(),
        })
    })
    .map_err(|e: AppError| e)
}

/// "Withdraw Ada Obi? Their 2 running enrollments are withdrawn too, with the reason ..."
pub fn question(name: &str, status: StudentStatus, enrollments: usize) -> String {
    let them = crate::web::format::plural(enrollments, "running enrollment", "running enrollments");
    match status {
        StudentStatus::Withdrawn => format!(
            "Withdraw {name}? Their {them} end too: withdrawn, with the reason \u{201c}{WITHDRAWN_REASON}\u{201d}."
        ),
        StudentStatus::Graduated => {
            format!("Mark {name} as graduated? Their {them} are completed too.")
        }
        StudentStatus::Inactive => format!(
            "Make {name} inactive? Their {} paused too; resume them when {name} comes back.",
            match enrollments {
                1 => "1 active enrollment is".to_string(),
                n => format!("{n} active enrollments are"),
            }
        ),
        StudentStatus::Active => format!("Make {name} active?"),
    }
}

/// The success message: "Status changed to Withdrawn; 2 enrollments withdrawn."
pub fn done_message(status: StudentStatus, enrollments: usize) -> String {
    let what = match status {
        StudentStatus::Withdrawn => "withdrawn",
        StudentStatus::Graduated => "completed",
        _ => "paused",
    };
    match enrollments {
        0 => format!("Status changed to {}.", status.label()),
        n => format!(
            "Status changed to {}; {} {what}.",
            status.label(),
            crate::web::format::plural(n, "enrollment", "enrollments")
        ),
    }
}
