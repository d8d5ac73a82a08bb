//! Facility rows and their queries, all starting from the request's `ProgramScope`.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use crate::web::sort::Sort;

use super::{FacilityStatus, FacilityType};
use crate::web::form::{escape_like, like_pattern};
use crate::{
    access::ProgramScope,
    error::{AppError, AppResult},
    schema::{course_enrollments, facilities, facility_course_pricing},
    web::pagination::{total_count, PageRequest},
};

/// A checked facility, ready to save.
#[derive(Debug, Clone)]
pub struct FacilityCommand {
    pub name: String,
    pub facility_type: FacilityType,
    pub capacity: i32,
    pub equipment: Vec<String>,
    pub amenities: Vec<String>,
    pub status: FacilityStatus,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = facilities, check_for_backend(diesel::pg::Pg))]
pub struct Facility {
    pub id: Uuid,
    pub name: String,
    pub facility_type: FacilityType,
    pub capacity: i32,
    pub equipment: serde_json::Value,
    pub amenities: serde_json::Value,
    pub status: FacilityStatus,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Facility {
    /// The version its delete form carries (`web::form::check_version`).
    pub fn version(&self) -> String {
        crate::web::form::version(self.updated_at)
    }

    pub fn equipment_tags(&self) -> Vec<String> {
        tags(&self.equipment)
    }

    pub fn amenity_tags(&self) -> Vec<String> {
        tags(&self.amenities)
    }
}

/// The strings of a JSON array (other values are skipped).
pub fn tags(value: &serde_json::Value) -> Vec<String> {
    value
        .as_array()
        .map(|items| {
            items
                .iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// What the facility list asks for.
#[derive(Debug, Default, Clone)]
pub struct ListFilter {
    pub q: String,
    pub facility_type: Option<FacilityType>,
    pub status: Option<FacilityStatus>,
    pub sort: Sort,
}

/// The columns the list sorts by, each both ways.
pub const SORT_KEYS: &[&str] = &["name", "type", "capacity", "status", "updated"];

pub fn list(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    filter: &ListFilter,
    page: PageRequest,
) -> AppResult<Vec<(Facility, i64)>> {
    let mut query = scope
        .facilities()
        .select((Facility::as_select(), total_count()))
        .into_boxed();
    if !filter.q.trim().is_empty() {
        query = query.filter(facilities::name.ilike(like_pattern(&filter.q)));
    }
    if let Some(kind) = filter.facility_type {
        query = query.filter(facilities::facility_type.eq(kind));
    }
    if let Some(status) = filter.status {
        query = query.filter(facilities::status.eq(status));
    }
    use facilities::{capacity, facility_type, name, updated_at};
    let status = facilities::status;
    query = match (filter.sort.key, filter.sort.descending) {
        ("type", false) => query.order((facility_type.asc(), name.asc())),
        ("type", true) => query.order((facility_type.desc(), name.asc())),
        ("capacity", false) => query.order((capacity.asc(), name.asc())),
        ("capacity", true) => query.order((capacity.desc(), name.asc())),
        ("status", false) => query.order((status.asc(), name.asc())),
        ("status", true) => query.order((status.desc(), name.asc())),
        ("updated", false) => query.order(updated_at.asc()),
        ("updated", true) => query.order(updated_at.desc()),
        (_, false) => query.order(name.asc()),
        (_, true) => query.order(name.desc()),
    };
    Ok(query
        .then_order_by(facilities::id.asc())
        .limit(page.limit())
        .offset(page.offset())
        .load(conn)?)
}

pub fn find(conn: &mut PgConnection, scope: &ProgramScope, id: Uuid) -> AppResult<Facility> {
    Ok(scope
        .facilities()
        .filter(facilities::id.eq(id))
        .select(Facility::as_select())
        .first(conn)?)
}

/// Refuses, under `facility_id`, a facility that is not this program's or is not active: it
/// takes no new `what` ("enrollments", "classes"). Its name and capacity otherwise.
pub fn require_active(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    id: Uuid,
    what: &str,
) -> AppResult<(String, i32)> {
    let facility: Option<(String, FacilityStatus, i32)> = scope
        .facilities()
        .filter(facilities::id.eq(id))
        .select((facilities::name, facilities::status, facilities::capacity))
        .first(conn)
        .optional()?;
    judge_active(facility, what)
}

/// `require_active`'s verdict on what was read: the facility's name, status and capacity, `None`
/// when it is not this program's.
pub fn judge_active(
    facility: Option<(String, FacilityStatus, i32)>,
    what: &str,
) -> AppResult<(String, i32)> {
    match facility {
        None => Err(AppError::invalid(
            "facility_id",
            "Choose a facility of this program.",
        )),
        Some((name, status, _)) if status != FacilityStatus::Active => Err(AppError::invalid(
            "facility_id",
            format!("{name} is {} and takes no new {what}.", status.in_words()),
        )),
        Some((name, _, capacity)) => Ok((name, capacity)),
    }
}

/// The name is unique enough for people: two facilities of one program with the same name confuse.
fn name_taken(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    name: &str,
    except: Option<Uuid>,
) -> QueryResult<bool> {
    let mut query = scope
        .facilities()
        .filter(facilities::name.ilike(escape_like(name.trim())))
        .select(facilities::id)
        .into_boxed();
    if let Some(id) = except {
        query = query.filter(facilities::id.ne(id));
    }
    Ok(query.first::<Uuid>(conn).optional()?.is_some())
}

pub const NAME_TAKEN: &str = "Another facility of this program already has this name.";

pub fn insert(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    command: &FacilityCommand,
) -> AppResult<Uuid> {
    if name_taken(conn, scope, &command.name, None)? {
        return Err(AppError::invalid("name", NAME_TAKEN));
    }
    let id = facilities::insert()
        .values((
            facilities::program_id.eq(scope.program_id()),
            facilities::name.eq(&command.name),
            facilities::facility_type.eq(command.facility_type),
            facilities::capacity.eq(command.capacity),
            facilities::equipment.eq(serde_json::json!(command.equipment)),
            facilities::amenities.eq(serde_json::json!(command.amenities)),
            facilities::status.eq(command.status),
        ))
        .returning(facilities::id)
        .get_result(conn)?;
    Ok(id)
}

pub fn update(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    id: Uuid,
    command: &FacilityCommand,
) -> AppResult<()> {
    if name_taken(conn, scope, &command.name, Some(id))? {
        return Err(AppError::invalid("name", NAME_TAKEN));
    }
    let updated = diesel::update(scope.facilities().filter(facilities::id.eq(id)))
        .set((
            facilities::name.eq(&command.name),
            facilities::facility_type.eq(command.facility_type),
            facilities::capacity.eq(command.capacity),
            facilities::equipment.eq(serde_json::json!(command.equipment)),
            facilities::amenities.eq(serde_json::json!(command.amenities)),
            facilities::status.eq(command.status),
        ))
        .execute(conn)?;
    if updated == 0 {
        return Err(AppError::NotFound);
    }
    Ok(())
}

/// Why the facility cannot be deleted, if something depends on it.
pub fn delete_blocker(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    facility_id: Uuid,
) -> QueryResult<Option<&'static str>> {
    let prices: i64 = scope
        .facility_course_pricing()
        .filter(facility_course_pricing::facility_id.eq(facility_id))
        .count()
        .get_result(conn)?;
    let enrollments: i64 = scope
        .course_enrollments()
        .filter(course_enrollments::facility_id.eq(facility_id))
        .count()
        .get_result(conn)?;
    Ok(match (prices > 0, enrollments > 0) {
        (false, false) => None,
        (true, false) => Some("This facility has prices (or their history), so it cannot be deleted. Set its status to Inactive instead."),
        (false, true) => Some("This facility has enrollments, so it cannot be deleted. Set its status to Inactive instead."),
        (true, true) => Some("This facility has prices and enrollments, so it cannot be deleted. Set its status to Inactive instead."),
    })
}

/// What deleting a facility did.
pub enum Deletion {
    /// Deleted: its name.
    Done(String),
    /// Kept, as something depends on it: why.
    Blocked(&'static str),
}

/// Deletes the facility unless something depends on it.
pub fn delete(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    facility_id: Uuid,
    version: &str,
) -> AppResult<Deletion> {
    let facility = find(conn, scope, facility_id)?;
    crate::web::form::check_version(version, facility.updated_at, "This facility")?;
    if let Some(reason) = delete_blocker(conn, scope, facility_id)? {
        return Ok(Deletion::Blocked(reason));
    }
    let deleted = diesel::delete(scope.facilities().filter(facilities::id.eq(facility_id)))
        .execute(conn)
        .map_err(|e| match AppError::from(e) {
            // A price or an enrollment arrived in between: the database keeps it.
            AppError::Conflict(_) => AppError::conflict(
                "This facility is now in use, so it cannot be deleted. Set its status to Inactive instead.",
            ),
            other => other,
        })?;
    if deleted == 0 {
        return Err(AppError::NotFound);
    }
    Ok(Deletion::Done(facility.name))
}
