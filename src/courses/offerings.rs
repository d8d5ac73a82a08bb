//! Writing what a course offers: adding offerings, and replacing them unless prices or
//! enrollments still use those removed. The words themselves are `crate::offerings`.

use diesel::prelude::*;
use uuid::Uuid;

use crate::{
    access::ProgramScope,
    error::{AppError, AppResult},
    offerings::{location_label, Choices, Offered},
    schema::{
        course_age_groups, course_location_types, course_session_types, enrollment_counts,
        facility_course_pricing,
    },
    web::form::FieldErrors,
};

/// Adds offerings to a course; those it already has stay as they are.
pub fn add(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    course_id: Uuid,
    add: &Offered,
) -> AppResult<()> {
    let program_id = scope.program_id();
    for code in &add.age_groups {
        course_age_groups::insert()
            .values((
                course_age_groups::course_id.eq(course_id),
                course_age_groups::program_id.eq(program_id),
                course_age_groups::age_group.eq(code),
            ))
            .on_conflict_do_nothing()
            .execute(conn)?;
    }
    for code in &add.location_types {
        course_location_types::insert()
            .values((
                course_location_types::course_id.eq(course_id),
                course_location_types::program_id.eq(program_id),
                course_location_types::location_type.eq(code),
            ))
            .on_conflict_do_nothing()
            .execute(conn)?;
    }
    for code in &add.session_types {
        course_session_types::insert()
            .values((
                course_session_types::course_id.eq(course_id),
                course_session_types::program_id.eq(program_id),
                course_session_types::session_type.eq(code),
            ))
            .on_conflict_do_nothing()
            .execute(conn)?;
    }
    Ok(())
}

/// Offerings that prices or enrollments of the course still use, among `codes` of one kind:
/// (code, prices, enrollments).
type InUse = Vec<(String, i64, i64)>;

/// Which of the offerings about to be removed are still used, by kind.
struct OfferingsInUse {
    pub age_groups: InUse,
    pub location_types: InUse,
    pub session_types: InUse,
}

impl OfferingsInUse {
    fn is_empty(&self) -> bool {
        self.age_groups.is_empty()
            && self.location_types.is_empty()
            && self.session_types.is_empty()
    }
}

fn removed(old: &[String], new: &[String]) -> Vec<String> {
    old.iter().filter(|c| !new.contains(c)).cloned().collect()
}

fn in_use(prices: &[String], enrollments: &[String], codes: &[String]) -> InUse {
    codes
        .iter()
        .filter_map(|code| {
            let p = prices.iter().filter(|c| *c == code).count() as i64;
            let e = enrollments.iter().filter(|c| *c == code).count() as i64;
            (p + e > 0).then(|| (code.clone(), p, e))
        })
        .collect()
}

/// Makes the course offer exactly `new`. Offerings that prices or enrollments use are not removed:
/// the refusal (`AppError::Invalid`) names them beside their fields, and nothing is changed.
pub fn replace(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    course_id: Uuid,
    new: &Offered,
) -> AppResult<()> {
    let old = Offered::of_course(conn, scope, course_id)?;
    let gone = Offered {
        age_groups: removed(&old.age_groups, &new.age_groups),
        location_types: removed(&old.location_types, &new.location_types),
        session_types: removed(&old.session_types, &new.session_types),
    };
    let used: Vec<(String, String, String)> = scope
        .facility_course_pricing()
        .filter(facility_course_pricing::course_id.eq(course_id))
        .select((
            facility_course_pricing::age_group,
            facility_course_pricing::location_type,
            facility_course_pricing::session_type,
        ))
        .load(conn)?;
    // From the running counts: a course of a large program has thousands of enrollments.
    let enrolled: Vec<(String, String, String)> = scope
        .enrollment_counts()
        .filter(enrollment_counts::course_id.eq(course_id))
        .filter(enrollment_counts::enrollments.gt(0))
        .select((
            enrollment_counts::age_group,
            enrollment_counts::location_type,
            enrollment_counts::session_type,
        ))
        .distinct()
        .load(conn)?;
    let column = |rows: &[(String, String, String)], i: usize| -> Vec<String> {
        rows.iter()
            .map(|r| match i {
                0 => r.0.clone(),
                1 => r.1.clone(),
                _ => r.2.clone(),
            })
            .collect()
    };
    let blocked = OfferingsInUse {
        age_groups: in_use(&column(&used, 0), &column(&enrolled, 0), &gone.age_groups),
        location_types: in_use(
            &column(&used, 1),
            &column(&enrolled, 1),
            &gone.location_types,
        ),
        session_types: in_use(
            &column(&used, 2),
            &column(&enrolled, 2),
            &gone.session_types,
        ),
    };
    if !blocked.is_empty() {
        let choices = Choices::load(conn, scope)?;
        return Err(in_use_errors(&blocked, &choices).into());
    }
    diesel::delete(
        scope
            .course_age_groups()
            .filter(course_age_groups::course_id.eq(course_id))
            .filter(course_age_groups::age_group.eq_any(&gone.age_groups)),
    )
    .execute(conn)
    .map_err(offering_in_use)?;
    diesel::delete(
        scope
            .course_location_types()
            .filter(course_location_types::course_id.eq(course_id))
            .filter(course_location_types::location_type.eq_any(&gone.location_types)),
    )
    .execute(conn)
    .map_err(offering_in_use)?;
    diesel::delete(
        scope
            .course_session_types()
            .filter(course_session_types::course_id.eq(course_id))
            .filter(course_session_types::session_type.eq_any(&gone.session_types)),
    )
    .execute(conn)
    .map_err(offering_in_use)?;
    add(conn, scope, course_id, new)?;
    Ok(())
}

/// A removed offering that a price or enrollment started to use meanwhile: the foreign key refuses,
/// the transaction rolls back, and the user reads why.
fn offering_in_use(e: diesel::result::Error) -> AppError {
    match AppError::from(e) {
        AppError::Conflict(_) => AppError::conflict(
            "An offering you removed is used by a price or an enrollment of this course. Reload the form to see which; nothing was changed.",
        ),
        other => other,
    }
}

/// Field messages for offerings that prices or enrollments still use.
fn in_use_errors(blocked: &OfferingsInUse, choices: &Choices) -> FieldErrors {
    let mut errors = FieldErrors::new();
    let describe = |rows: &[(String, i64, i64)], labels: &dyn Fn(&str) -> String| -> String {
        let parts: Vec<String> = rows
            .iter()
            .map(|(code, prices, enrollments)| {
                let mut uses = Vec::new();
                if *prices > 0 {
                    uses.push(crate::web::format::plural(*prices, "price", "prices"));
                }
                if *enrollments > 0 {
                    uses.push(crate::web::format::plural(
                        *enrollments,
                        "enrollment",
                        "enrollments",
                    ));
                }
                format!("{} (used by {})", labels(code), uses.join(" and "))
            })
            .collect();
        format!(
            "Cannot remove {}: end those prices and enrollments first. Nothing was changed.",
            parts.join(", ")
        )
    };
    if !blocked.age_groups.is_empty() {
        errors.add(
            "age_groups",
            describe(&blocked.age_groups, &|c| choices.age_label(c)),
        );
    }
    if !blocked.location_types.is_empty() {
        errors.add(
            "location_types",
            describe(&blocked.location_types, &|c| location_label(c).to_string()),
        );
    }
    if !blocked.session_types.is_empty() {
        errors.add(
            "session_types",
            describe(&blocked.session_types, &|c| choices.session_label(c)),
        );
    }
    errors
}
