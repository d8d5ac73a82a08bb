//! What a course offers: the age groups, location types and session types chosen from the
//! program's reference data (`course_age_groups`, `course_location_types`,
//! `course_session_types`; pricing and enrollments read these tables too).

use diesel::prelude::*;
use uuid::Uuid;

use crate::{
    access::ProgramScope,
    error::{AppError, AppResult},
    location_types::LOCATION_TYPES,
    schema::{
        age_groups, course_age_groups, course_location_types, course_session_types,
        enrollment_counts, facility_course_pricing, session_types,
    },
};

/// A choice of the program's reference data: (code, label).
#[derive(Debug, Clone)]
pub struct Choice {
    pub code: String,
    pub label: String,
}

/// What a course may offer in this program.
pub struct Choices {
    pub age_groups: Vec<Choice>,
    pub location_types: Vec<Choice>,
    pub session_types: Vec<Choice>,
}

impl Choices {
    /// A configuration in words: "Ages 9-12 · Our facility · Private" (a code that is no longer
    /// in the reference data shows as itself).
    pub fn configuration(
        &self,
        age_group: &str,
        location_type: &str,
        session_type: &str,
    ) -> String {
        let label = |choices: &[Choice], code: &str| -> String {
            choices
                .iter()
                .find(|c| c.code == code)
                .map_or_else(|| code.to_string(), |c| c.label.clone())
        };
        format!(
            "{} · {} · {}",
            label(&self.age_groups, age_group),
            label(&self.location_types, location_type),
            label(&self.session_types, session_type)
        )
    }
}

pub fn choices(conn: &mut PgConnection, scope: &ProgramScope) -> AppResult<Choices> {
    let age_groups = scope
        .age_groups()
        .order((age_groups::min_age.asc(), age_groups::code.asc()))
        .select((age_groups::code, age_groups::name))
        .load::<(String, String)>(conn)?;
    let session_types = scope
        .session_types()
        .order((session_types::capacity.asc(), session_types::code.asc()))
        .select((session_types::code, session_types::name))
        .load::<(String, String)>(conn)?;
    let to_choices = |rows: Vec<(String, String)>| {
        rows.into_iter()
            .map(|(code, label)| Choice { code, label })
            .collect()
    };
    Ok(Choices {
        age_groups: to_choices(age_groups),
        location_types: LOCATION_TYPES
            .iter()
            .map(|(code, label)| Choice {
                code: code.to_string(),
                label: label.to_string(),
            })
            .collect(),
        session_types: to_choices(session_types),
    })
}

/// The codes a course offers, in the order of `choices`.
#[derive(Debug, Clone, Default)]
pub struct Offerings {
    pub age_groups: Vec<String>,
    pub location_types: Vec<String>,
    pub session_types: Vec<String>,
}

/// One query: the three kinds of offering, tagged 0 (age group), 1 (location) and 2 (session).
pub fn offerings(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    course_id: Uuid,
) -> AppResult<Offerings> {
    use diesel::{dsl::sql, sql_types::Integer};
    let rows: Vec<(i32, String)> = scope
        .course_age_groups()
        .filter(course_age_groups::course_id.eq(course_id))
        .select((sql::<Integer>("0"), course_age_groups::age_group))
        .union_all(
            scope
                .course_location_types()
                .filter(course_location_types::course_id.eq(course_id))
                .select((sql::<Integer>("1"), course_location_types::location_type))
                .union_all(
                    scope
                        .course_session_types()
                        .filter(course_session_types::course_id.eq(course_id))
                        .select((sql::<Integer>("2"), course_session_types::session_type)),
                ),
        )
        .load(conn)?;
    let mut offerings = Offerings::default();
    for (kind, code) in rows {
        match kind {
            0 => offerings.age_groups.push(code),
            1 => offerings.location_types.push(code),
            _ => offerings.session_types.push(code),
        }
    }
    Ok(offerings)
}

/// Adds offerings to a course; those it already has stay as they are.
pub fn add(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    course_id: Uuid,
    add: &Offerings,
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
pub type InUse = Vec<(String, i64, i64)>;

/// Which of the offerings about to be removed are still used, by kind.
pub struct OfferingsInUse {
    pub age_groups: InUse,
    pub location_types: InUse,
    pub session_types: InUse,
}

impl OfferingsInUse {
    pub fn is_empty(&self) -> bool {
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
/// the answer lists them, and nothing is changed.
pub fn replace(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    course_id: Uuid,
    new: &Offerings,
) -> AppResult<Result<(), OfferingsInUse>> {
    let old = offerings(conn, scope, course_id)?;
    let gone = Offerings {
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
        return Ok(Err(blocked));
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
    Ok(Ok(()))
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
