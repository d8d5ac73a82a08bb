//! Enrolling a student: every rule of docs/decisions.md checked inside one transaction, so what is
//! checked is what is saved.

use bigdecimal::BigDecimal;
use chrono::NaiveDate;
use diesel::{
    prelude::*,
    result::{DatabaseErrorKind, Error as DieselError},
};
use uuid::Uuid;

use super::AssignmentType;
use crate::{
    access::ProgramScope,
    error::{AppError, AppResult},
    facilities::FacilityStatus,
    offerings::Choices,
    pricing::{self, PriceKey},
    schema::{course_enrollments, courses, facilities, students},
    students::StudentStatus,
};

/// A checked request to enroll one student.
#[derive(Debug, Clone)]
pub struct Enrollment {
    pub student_id: Uuid,
    pub course_id: Uuid,
    pub facility_id: Uuid,
    pub age_group: String,
    pub location_type: String,
    pub session_type: String,
    pub enrollment_date: NaiveDate,
    pub assignment_notes: String,
}

/// What happened, for the success message.
#[derive(Debug)]
pub struct Enrolled {
    pub price: BigDecimal,
    /// Set when the facility now has as many active enrollments as its capacity, or more.
    pub capacity_warning: Option<String>,
}

/// Checks and saves one enrollment; call inside a transaction (bulk enrolling calls it per
/// student). A refusal is `AppError::Invalid`, its messages by form field (`student_id`,
/// `course_id`, `facility_id`...).
pub fn enroll(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    e: &Enrollment,
    kind: AssignmentType,
) -> AppResult<Enrolled> {
    let student: Option<(String, StudentStatus)> = scope
        .students()
        .filter(students::id.eq(e.student_id))
        .select((students::first_name, students::status))
        .first(conn)
        .optional()?;
    let Some((first_name, status)) = student else {
        return Err(AppError::invalid(
            "student_id",
            "Choose a student of this program.",
        ));
    };
    if status != StudentStatus::Active {
        return Err(AppError::invalid(
            "student_id",
            format!(
                "{first_name} is {}: only active students can be enrolled.",
                status.label().to_lowercase()
            ),
        ));
    }
    let course: Option<bool> = scope
        .courses()
        .filter(courses::id.eq(e.course_id))
        .select(courses::is_active)
        .first(conn)
        .optional()?;
    match course {
        None => {
            return Err(AppError::invalid(
                "course_id",
                "Choose a course of this program.",
            ))
        }
        Some(false) => {
            return Err(AppError::invalid(
                "course_id",
                "This course is archived and takes no new enrollments.",
            ))
        }
        Some(true) => {}
    }
    let offerings = Choices::of_course(conn, scope, e.course_id)?;
    if !offerings.offers(&e.age_group, &e.location_type, &e.session_type) {
        return Err(AppError::invalid(
            "session_type",
            "The course does not offer this combination of age group, location and session type.",
        ));
    }
    let facility: Option<(String, FacilityStatus, i32)> = scope
        .facilities()
        .filter(facilities::id.eq(e.facility_id))
        .select((facilities::name, facilities::status, facilities::capacity))
        .first(conn)
        .optional()?;
    let Some((facility_name, facility_status, capacity)) = facility else {
        return Err(AppError::invalid(
            "facility_id",
            "Choose a facility of this program.",
        ));
    };
    if facility_status != FacilityStatus::Active {
        return Err(AppError::invalid(
            "facility_id",
            format!(
                "{facility_name} is {} and takes no new enrollments.",
                facility_status.in_words()
            ),
        ));
    }
    let key = PriceKey {
        facility_id: e.facility_id,
        course_id: e.course_id,
        age_group: e.age_group.clone(),
        location_type: e.location_type.clone(),
        session_type: e.session_type.clone(),
    };
    let Some(price) = pricing::price_in_force(conn, scope, &key, e.enrollment_date)? else {
        return Err(AppError::invalid(
            "facility_id",
            format!("{facility_name} has no price in force for this configuration on that date, so nothing was saved. Ask a program admin to set one."),
        ));
    };
    let inserted = course_enrollments::insert()
        .values((
            course_enrollments::program_id.eq(scope.program_id()),
            course_enrollments::student_id.eq(e.student_id),
            course_enrollments::course_id.eq(e.course_id),
            course_enrollments::facility_id.eq(e.facility_id),
            course_enrollments::age_group.eq(&e.age_group),
            course_enrollments::location_type.eq(&e.location_type),
            course_enrollments::session_type.eq(&e.session_type),
            course_enrollments::enrollment_date.eq(e.enrollment_date),
            course_enrollments::assignment_type.eq(kind),
            course_enrollments::assignment_notes.eq(&e.assignment_notes),
            course_enrollments::assigned_by.eq(scope.actor_id()),
        ))
        .returning(course_enrollments::id)
        .get_result::<Uuid>(conn);
    match inserted {
        Ok(_) => {}
        Err(DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _)) => {
            return Err(AppError::invalid("facility_id", format!("{first_name} already has an active or paused enrollment in this course at {facility_name}.")));
        }
        Err(DieselError::DatabaseError(DatabaseErrorKind::CheckViolation, info))
            if info.constraint_name() == Some("course_enrollments_price_in_force") =>
        {
            return Err(AppError::invalid(
                "facility_id",
                format!("The price at {facility_name} ended meanwhile; nothing was saved."),
            ));
        }
        Err(e) => return Err(e.into()),
    };
    let active = super::counts::active_by_facility(conn, scope, &[e.facility_id])?
        .get(&e.facility_id)
        .copied()
        .unwrap_or(0);
    let capacity_warning = (active > capacity as i64)
        .then(|| {
            format!(
                "{facility_name} now has {active} active enrollments for a capacity of {capacity}."
            )
        })
        .or_else(|| {
            (active == capacity as i64)
                .then(|| format!("{facility_name} is now full ({capacity} active enrollments)."))
        });
    Ok(Enrolled {
        price: price.price,
        capacity_warning,
    })
}
