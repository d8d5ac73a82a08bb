//! Putting a running enrollment in a class, or moving it to another class of its course: the
//! class must teach the enrollment's own facility and configuration (the composite key says so
//! too; another facility or configuration has another price, so that is a new enrollment). The
//! place is counted under the class's lock, as enrolling does, and every change is kept.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use super::EnrollmentStatus;
use crate::{
    access::ProgramScope,
    error::{AppError, AppResult},
    pricing::PriceKey,
    schema::{classes, course_enrollments as e, enrollment_class_changes as h, users},
};

/// The class the enrollment is in now, and the one it left (if it was in one).
pub struct Placed {
    pub class: String,
    pub from: Option<String>,
}

/// Puts the enrollment `id` in `class_id`, in one transaction; refused for an enrollment that is
/// not running (a waitlisted one waits for its own class), for its own class, and for a full one.
pub fn place(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    id: Uuid,
    class_id: Uuid,
) -> AppResult<Placed> {
    conn.transaction(|conn| {
        type Row = (
            EnrollmentStatus,
            Option<Uuid>,
            Uuid,
            Uuid,
            String,
            String,
            String,
        );
        let (status, current, course_id, facility_id, age_group, location_type, session_type): Row =
            scope
                .course_enrollments()
                .filter(e::id.eq(id))
                .select((
                    e::status,
                    e::class_id,
                    e::course_id,
                    e::facility_id,
                    e::age_group,
                    e::location_type,
                    e::session_type,
                ))
                .for_update()
                .first(conn)?;
        if !status.is_running() {
            return Err(AppError::conflict(format!(
                "A {} enrollment cannot change class; nothing was changed.",
                status.label().to_lowercase()
            )));
        }
        if current == Some(class_id) {
            return Err(AppError::conflict(
                "The student is already in this class; nothing was changed.",
            ));
        }
        let key = PriceKey {
            facility_id,
            course_id,
            age_group,
            location_type,
            session_type,
        };
        let (class, _) = super::create::take_place(conn, scope, class_id, &key, false)?;
        let from: Option<String> = match current {
            Some(old) => Some(
                scope
                    .classes()
                    .filter(classes::id.eq(old))
                    .select(classes::name)
                    .first(conn)?,
            ),
            None => None,
        };
        diesel::update(scope.course_enrollments().filter(e::id.eq(id)))
            .set(e::class_id.eq(class_id))
            .execute(conn)?;
        h::insert()
            .values((
                h::enrollment_id.eq(id),
                h::program_id.eq(scope.program_id()),
                h::from_class_id.eq(current),
                h::to_class_id.eq(class_id),
                h::changed_by.eq(scope.actor_id()),
            ))
            .execute(conn)?;
        Ok(Placed { class, from })
    })
}

/// One change of class, as a student's page lists it.
pub struct ClassChange {
    pub from: Option<String>,
    pub to: Option<String>,
    pub by: Option<String>,
    pub at: DateTime<Utc>,
}

/// The class changes of `ids`, newest first, by enrollment (one query).
pub fn changes_of(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    ids: &[Uuid],
) -> AppResult<std::collections::HashMap<Uuid, Vec<ClassChange>>> {
    let rows: Vec<(
        Uuid,
        Option<Uuid>,
        Option<Uuid>,
        Option<String>,
        DateTime<Utc>,
    )> = scope
        .enrollment_class_changes()
        .left_join(users::table)
        .filter(h::enrollment_id.eq_any(ids))
        .order((h::enrollment_id, h::created_at.desc()))
        .select((
            h::enrollment_id,
            h::from_class_id,
            h::to_class_id,
            users::username.nullable(),
            h::created_at,
        ))
        .load(conn)?;
    let class_ids: Vec<Uuid> = rows.iter().flat_map(|r| [r.1, r.2]).flatten().collect();
    let names: std::collections::HashMap<Uuid, String> = if class_ids.is_empty() {
        Default::default()
    } else {
        scope
            .classes()
            .filter(classes::id.eq_any(&class_ids))
            .select((classes::id, classes::name))
            .load::<(Uuid, String)>(conn)?
            .into_iter()
            .collect()
    };
    let name = |id: Option<Uuid>| id.and_then(|id| names.get(&id).cloned());
    let mut out: std::collections::HashMap<Uuid, Vec<ClassChange>> = Default::default();
    for (id, from, to, by, at) in rows {
        out.entry(id).or_default().push(ClassChange {
            from: name(from),
            to: name(to),
            by,
            at,
        });
    }
    Ok(out)
}
