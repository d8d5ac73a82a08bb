//! What enrolling checks before it takes a place: the student, the course and what it offers, the
//! facility, the price in force and a place the student already holds. All of it is read in one
//! statement (each fact a subquery of its own scoped table), because the front desk's busiest
//! hour is many enrollments at once and each round trip to PostgreSQL counts (docs/benchmarks.md).

use bigdecimal::BigDecimal;
use diesel::{dsl::exists, prelude::*};

use super::{request::Enrollment, EnrollmentStatus};
use crate::{
    access::ProgramScope,
    error::{AppError, AppResult},
    facilities::FacilityStatus,
    pricing::{self, PriceKey},
    schema::{
        course_age_groups, course_enrollments, course_location_types, course_session_types,
        courses, facilities, students,
    },
    students::StudentStatus,
};

/// What the success message and the capacity warning need from the checks.
pub(super) struct Admitted {
    pub first_name: String,
    pub facility_name: String,
    pub capacity: i32,
    pub price: BigDecimal,
}

type Facts = (
    Option<String>,
    Option<StudentStatus>,
    Option<bool>,
    bool,
    Option<String>,
    Option<FacilityStatus>,
    Option<i32>,
    Option<BigDecimal>,
    Option<EnrollmentStatus>,
);

/// Refuses, under the field to correct, the first rule `e` breaks, in the order a person fixes
/// them: student, course, configuration, facility, price, a place already held.
pub(super) fn check(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    e: &Enrollment,
    key: &PriceKey,
) -> AppResult<Admitted> {
    let student = scope.students().filter(students::id.eq(e.student_id));
    let facility = scope.facilities().filter(facilities::id.eq(e.facility_id));
    let offers = exists(
        scope
            .course_age_groups()
            .filter(course_age_groups::course_id.eq(e.course_id))
            .filter(course_age_groups::age_group.eq(&e.age_group)),
    )
    .and(exists(
        scope
            .course_location_types()
            .filter(course_location_types::course_id.eq(e.course_id))
            .filter(course_location_types::location_type.eq(&e.location_type)),
    ))
    .and(exists(
        scope
            .course_session_types()
            .filter(course_session_types::course_id.eq(e.course_id))
            .filter(course_session_types::session_type.eq(&e.session_type)),
    ));
    // A student holds one place per course and facility: a running enrollment or a place in a
    // waitlist, not both.
    let held = scope
        .course_enrollments()
        .filter(course_enrollments::student_id.eq(e.student_id))
        .filter(course_enrollments::course_id.eq(e.course_id))
        .filter(course_enrollments::facility_id.eq(e.facility_id))
        .filter(course_enrollments::status.eq_any([
            EnrollmentStatus::Active,
            EnrollmentStatus::Paused,
            EnrollmentStatus::Waitlisted,
        ]))
        .select(course_enrollments::status);
    let (
        first_name,
        status,
        course_active,
        offered,
        facility_name,
        facility_status,
        capacity,
        price,
        held,
    ): Facts = diesel::select((
        student.clone().select(students::first_name).single_value(),
        student.select(students::status).single_value(),
        scope
            .courses()
            .filter(courses::id.eq(e.course_id))
            .select(courses::is_active)
            .single_value(),
        offers,
        facility.clone().select(facilities::name).single_value(),
        facility.clone().select(facilities::status).single_value(),
        facility.select(facilities::capacity).single_value(),
        pricing::price_in_force_query(scope, key, e.enrollment_date).single_value(),
        held.single_value(),
    ))
    .get_result(conn)?;
    let (Some(first_name), Some(status)) = (first_name, status) else {
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
    crate::courses::judge_active(course_active, "enrollments")?;
    if !offered {
        return Err(AppError::invalid(
            "session_type",
            "The course does not offer this combination of age group, location and session type.",
        ));
    }
    let facility = facility_name.zip(facility_status).zip(capacity);
    let (facility_name, capacity) = crate::facilities::judge_active(
        facility.map(|((name, status), capacity)| (name, status, capacity)),
        "enrollments",
    )?;
    let Some(price) = price else {
        return Err(AppError::invalid(
            "facility_id",
            format!("{facility_name} has no price in force for this configuration on that date, so nothing was saved. Ask a program admin to set one."),
        ));
    };
    refuse_second_place(held, &first_name, &facility_name)?;
    Ok(Admitted {
        first_name,
        facility_name,
        capacity,
        price,
    })
}

/// The unique keys refuse two running enrollments or two waitlist places of one course and
/// facility; this refuses the mix, which would leave a promoted student enrolled twice.
fn refuse_second_place(
    held: Option<EnrollmentStatus>,
    first_name: &str,
    facility_name: &str,
) -> AppResult<()> {
    match held {
        None => Ok(()),
        Some(EnrollmentStatus::Waitlisted) => Err(AppError::invalid(
            "facility_id",
            format!("{first_name} is already on a waitlist for this course at {facility_name}: offer them the place from the class's page, or take them off the waitlist first."),
        )),
        Some(_) => Err(AppError::invalid(
            "facility_id",
            format!("{first_name} already has an active or paused enrollment in this course at {facility_name}: put it in a class from their page."),
        )),
    }
}
