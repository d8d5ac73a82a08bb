//! Enrolling many students at once, as statements: the students a bulk enrollment may tick, those
//! the chosen age group does not fit, and the enrollment of all of them in one transaction, or of
//! none with a reason per refused student. The pages are `bulk`.

use diesel::{prelude::*, Connection};
use uuid::Uuid;

use super::{create::enroll, request::Enrollment, AssignmentType};
use crate::{
    access::ProgramScope,
    error::{AppError, AppResult},
    schema::students,
    students::StudentStatus,
    web::once::{self, FormToken},
};

/// Most students one bulk enrollment shows and takes.
pub(super) const MAX_STUDENTS: i64 = 100;

/// What enrolling them all did.
pub(super) enum Outcome {
    /// How many, and how many of them joined the class's waitlist.
    Enrolled { count: usize, waitlisted: usize },
    /// Nothing was saved: each refused student's name and why.
    Refused(Vec<(String, String)>),
}

pub(super) fn candidates(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    search: &str,
    ticked: &[Uuid],
) -> QueryResult<Vec<(Uuid, String, bool)>> {
    // The same search as the student list, through its trigram index.
    let query = if search.trim().is_empty() {
        scope.students().into_boxed()
    } else {
        crate::students::search(scope, search)
    }
    .filter(students::status.eq(StudentStatus::Active));
    let rows: Vec<(Uuid, String, String, String)> = query
        .order((students::last_name.asc(), students::first_name.asc()))
        .limit(MAX_STUDENTS)
        .select((
            students::id,
            students::student_id,
            students::first_name,
            students::last_name,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, code, first, last)| {
            (
                id,
                format!("{last}, {first} ({code})"),
                ticked.contains(&id),
            )
        })
        .collect())
}

/// "Ada Obi belongs to age group 9-12 by date of birth; you chose 6-8.", for each ticked
/// student the chosen age group does not fit (as the single enrollment form warns).
pub(super) fn age_misfits(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    ticked: &[Uuid],
    chosen: &str,
    today: chrono::NaiveDate,
) -> AppResult<Vec<String>> {
    if chosen.is_empty() || ticked.is_empty() {
        return Ok(Vec::new());
    }
    let groups = super::configuration::age_groups(conn, scope)?;
    let born: Vec<(String, String, Option<chrono::NaiveDate>)> = scope
        .students()
        .filter(students::id.eq_any(ticked))
        .order((students::last_name, students::first_name))
        .select((
            students::first_name,
            students::last_name,
            students::date_of_birth,
        ))
        .load(conn)?;
    Ok(born
        .into_iter()
        .filter_map(|(first, last, born)| {
            let age = super::configuration::age_on(born?, today);
            let group = super::configuration::group_of(&groups, age)?;
            (group != chosen).then(|| {
                format!("{first} {last} belongs to age group {group} by date of birth; you chose {chosen}.")
            })
        })
        .collect())
}

/// Enrolls each of `students` as `template` says, all or none: a savepoint per student lets every
/// refusal be found, and any refusal rolls the whole back.
pub(super) fn enroll_all(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    template: &Enrollment,
    students: &[Uuid],
    token: FormToken,
    user: Uuid,
) -> AppResult<Outcome> {
    let mut refusals = Vec::new();
    let mut waitlisted = 0;
    let result = conn.transaction::<usize, BulkFailure, _>(|conn| {
        once::claim(conn, token, user).map_err(BulkFailure::Failed)?;
        for student in students {
            let mut one = template.clone();
            one.student_id = *student;
            match conn.transaction(|conn| enroll(conn, scope, &one, AssignmentType::BulkAssigned)) {
                Ok(done) => {
                    waitlisted += usize::from(done.class.is_some_and(|(_, waits)| waits));
                }
                Err(AppError::Invalid(errors)) => refusals.push((*student, errors.summary())),
                Err(e) => return Err(BulkFailure::Failed(e)),
            }
        }
        if !refusals.is_empty() {
            return Err(BulkFailure::Refused);
        }
        once::saved_at(conn, token, "/enrollments").map_err(BulkFailure::Failed)?;
        Ok(students.len())
    });
    match result {
        Ok(count) => Ok(Outcome::Enrolled { count, waitlisted }),
        Err(BulkFailure::Refused) => Ok(Outcome::Refused(named(conn, scope, refusals)?)),
        Err(BulkFailure::Failed(e)) => Err(e),
    }
}

/// The name of each refused student beside its reason.
fn named(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    refused: Vec<(Uuid, String)>,
) -> QueryResult<Vec<(String, String)>> {
    let ids: Vec<Uuid> = refused.iter().map(|r| r.0).collect();
    let names: Vec<(Uuid, String, String)> = scope
        .students()
        .filter(students::id.eq_any(ids))
        .select((students::id, students::first_name, students::last_name))
        .load(conn)?;
    Ok(refused
        .into_iter()
        .map(|(id, reason)| {
            let name = names
                .iter()
                .find(|n| n.0 == id)
                .map(|n| format!("{} {}", n.1, n.2))
                .unwrap_or_default();
            (name, reason)
        })
        .collect())
}

/// Why the bulk transaction rolled back: a student was refused (the page names them), or the
/// work failed (its own error: a conflict stays a conflict, never a 500).
enum BulkFailure {
    Refused,
    Failed(AppError),
}

impl From<diesel::result::Error> for BulkFailure {
    fn from(e: diesel::result::Error) -> Self {
        BulkFailure::Failed(e.into())
    }
}
