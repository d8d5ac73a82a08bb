//! Enrolling a student: every rule of docs/decisions.md checked inside one transaction, so what is
//! checked is what is saved.

use bigdecimal::BigDecimal;
use diesel::{
    prelude::*,
    result::{DatabaseErrorKind, Error as DieselError},
};
use uuid::Uuid;

use super::{admission::Admitted, request::Enrollment, AssignmentType, EnrollmentStatus};
use crate::{
    access::ProgramScope,
    error::{AppError, AppResult},
    pricing::PriceKey,
    schema::{classes, course_enrollments},
};

/// What happened, for the success message.
#[derive(Debug)]
pub struct Enrolled {
    pub price: BigDecimal,
    /// Set when the facility now has as many active enrollments as its capacity, or more.
    pub capacity_warning: Option<String>,
    /// The class joined, and whether on its waitlist.
    pub class: Option<(String, bool)>,
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
    let key = PriceKey {
        facility_id: e.facility_id,
        course_id: e.course_id,
        age_group: e.age_group.clone(),
        location_type: e.location_type.clone(),
        session_type: e.session_type.clone(),
    };
    let Admitted {
        first_name,
        facility_name,
        capacity,
        price,
    } = super::admission::check(conn, scope, e, &key)?;
    let placed = match e.class_id {
        Some(class_id) => Some(take_place(conn, scope, class_id, &key, e.waitlist)?),
        None => None,
    };
    let status = match &placed {
        Some((_, true)) => EnrollmentStatus::Waitlisted,
        _ => EnrollmentStatus::Active,
    };
    let waitlisted_at = (status == EnrollmentStatus::Waitlisted).then(chrono::Utc::now);
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
            course_enrollments::class_id.eq(e.class_id),
            course_enrollments::status.eq(status),
            course_enrollments::waitlisted_at.eq(waitlisted_at),
        ))
        .returning(course_enrollments::id)
        .get_result::<Uuid>(conn);
    match inserted {
        Ok(_) => {}
        Err(DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, info))
            if info.constraint_name() == Some("course_enrollments_waitlisted_key") =>
        {
            return Err(AppError::invalid(
                "facility_id",
                format!(
                    "{first_name} is already on a waitlist for this course at {facility_name}."
                ),
            ));
        }
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
    let active = super::counts::active_at(conn, scope, e.facility_id)?;
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
        price,
        capacity_warning,
        class: placed,
    })
}

/// Checks the class with its row locked, so that concurrent enrollments into it queue here: it is
/// active, of exactly this course, facility and configuration, and has a free place, or the
/// student may join its waitlist. The class's name, and whether the student waits.
pub(super) fn take_place(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    class_id: Uuid,
    key: &PriceKey,
    waitlist: bool,
) -> AppResult<(String, bool)> {
    type Row = (
        String,
        crate::classes::ClassStatus,
        i32,
        Uuid,
        Uuid,
        String,
        String,
        String,
    );
    let class: Option<Row> = scope
        .classes()
        .filter(classes::id.eq(class_id))
        .select((
            classes::name,
            classes::status,
            classes::capacity,
            classes::course_id,
            classes::facility_id,
            classes::age_group,
            classes::location_type,
            classes::session_type,
        ))
        .for_update()
        .first(conn)
        .optional()?;
    let Some((name, status, capacity, course, facility, age, location, session)) = class else {
        return Err(AppError::invalid(
            "class_id",
            "Choose a class of this program.",
        ));
    };
    if (
        course,
        facility,
        age.as_str(),
        location.as_str(),
        session.as_str(),
    ) != (
        key.course_id,
        key.facility_id,
        key.age_group.as_str(),
        key.location_type.as_str(),
        key.session_type.as_str(),
    ) {
        return Err(AppError::invalid(
            "class_id",
            format!("{name} teaches another course, facility or configuration: choose one of the classes offered."),
        ));
    }
    if status != crate::classes::ClassStatus::Active {
        return Err(AppError::invalid(
            "class_id",
            format!("{name} is archived and takes no new students."),
        ));
    }
    let running: i64 = scope
        .course_enrollments()
        .filter(course_enrollments::class_id.eq(class_id))
        .filter(
            course_enrollments::status.eq_any([EnrollmentStatus::Active, EnrollmentStatus::Paused]),
        )
        .count()
        .get_result(conn)?;
    let full = running >= i64::from(capacity);
    if full && !waitlist {
        return Err(AppError::invalid(
            "class_id",
            format!("{name} is full ({running} of {capacity} places taken). Join the waitlist, or choose another class."),
        ));
    }
    Ok((name, full))
}
