//! Course queries, all starting from the program's scope. [`visible`] is the one place that limits
//! a tutor to the courses assigned to them: every course and curriculum read uses it.

use diesel::{pg::Pg, prelude::*};
use uuid::Uuid;

use super::offerings;
use crate::offerings::Offered;
use crate::{
    access::ProgramScope,
    error::{AppError, AppResult},
    schema::{course_enrollments, course_tutors, courses, facility_course_pricing},
    web::format::plural,
    web::{
        form::{check_version, like_pattern},
        pagination::{total_count, PageRequest},
    },
};

use crate::db::functions::lower;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = courses, check_for_backend(Pg))]
pub struct Course {
    pub id: Uuid,
    pub name: String,
    pub description: String,
    pub level: i32,
    pub is_active: bool,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

impl Course {
    /// The version its archive, restore and delete forms carry (`web::form::check_version`).
    pub fn version(&self) -> String {
        crate::web::form::version(self.updated_at)
    }
}

/// The courses of the program this request may see: all of them, or for a tutor only the
/// courses assigned to them. Every course lookup and list starts here.
pub fn visible(scope: &ProgramScope) -> courses::BoxedQuery<'static, Pg> {
    let query = scope.courses().into_boxed();
    match scope.tutor_id() {
        Some(tutor_id) => query.filter(
            courses::id.eq_any(
                scope
                    .course_tutors()
                    .filter(course_tutors::user_id.eq(tutor_id))
                    .select(course_tutors::course_id),
            ),
        ),
        None => query,
    }
}

/// The visible active courses, by name.
pub fn active_visible(conn: &mut PgConnection, scope: &ProgramScope) -> QueryResult<Vec<Course>> {
    visible(scope)
        .filter(courses::is_active.eq(true))
        .order((courses::name.asc(), courses::id))
        .select(Course::as_select())
        .load(conn)
}

/// Ids of the visible courses, as a subquery for the curriculum tables.
pub fn visible_ids(
    scope: &ProgramScope,
) -> diesel::dsl::Select<courses::BoxedQuery<'static, Pg>, courses::id> {
    visible(scope).select(courses::id)
}

/// One visible course; another program's, or (for a tutor) another tutor's, is `NotFound`.
pub fn find(conn: &mut PgConnection, scope: &ProgramScope, id: Uuid) -> AppResult<Course> {
    Ok(visible(scope)
        .filter(courses::id.eq(id))
        .select(Course::as_select())
        .first(conn)?)
}

/// Refuses, under `course_id`, a course that is not this program's or is archived: it takes no
/// new `what` ("enrollments", "classes").
pub fn require_active(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    id: Uuid,
    what: &str,
) -> AppResult<()> {
    let active: Option<bool> = scope
        .courses()
        .filter(courses::id.eq(id))
        .select(courses::is_active)
        .first(conn)
        .optional()?;
    judge_active(active, what)
}

/// `require_active`'s verdict on what was read: the course's `is_active`, `None` when it is not
/// this program's (for callers that read it along with other facts in one statement).
pub fn judge_active(active: Option<bool>, what: &str) -> AppResult<()> {
    match active {
        None => Err(AppError::invalid(
            "course_id",
            "Choose a course of this program.",
        )),
        Some(false) => Err(AppError::invalid(
            "course_id",
            format!("This course is archived and takes no new {what}."),
        )),
        Some(true) => Ok(()),
    }
}

/// Locks the course row for the rest of the transaction: changes to its offerings, tutors and
/// curricula are serialised on it.
pub fn lock(conn: &mut PgConnection, scope: &ProgramScope, id: Uuid) -> AppResult<Course> {
    Ok(scope
        .courses()
        .filter(courses::id.eq(id))
        .filter(courses::id.eq_any(visible_ids(scope)))
        .select(Course::as_select())
        .for_update()
        .first(conn)?)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Active,
    Archived,
    All,
}

impl Status {
    pub fn parse(raw: Option<&str>) -> Self {
        match raw {
            Some("archived") => Self::Archived,
            Some("all") => Self::All,
            _ => Self::Active,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Archived => "archived",
            Self::All => "all",
        }
    }
}

/// Whitelisted sort orders of the list.
pub const SORTS: &[(&str, &str)] = &[
    ("name", "Name A-Z"),
    ("-name", "Name Z-A"),
    ("level", "Level, lowest first"),
    ("-level", "Level, highest first"),
];

pub fn parse_sort(raw: Option<&str>) -> &'static str {
    SORTS
        .iter()
        .map(|(key, _)| *key)
        .find(|key| Some(*key) == raw)
        .unwrap_or("name")
}

pub struct ListRow {
    pub course: Course,
    pub curricula: i64,
    pub tutors: i64,
}

pub fn list(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    search: &str,
    status: Status,
    sort: &str,
    page: PageRequest,
) -> AppResult<Vec<(ListRow, i64)>> {
    let mut query = visible(scope);
    if !search.is_empty() {
        let pattern = like_pattern(search);
        query = query.filter(
            courses::name
                .ilike(pattern.clone())
                .or(courses::description.ilike(pattern)),
        );
    }
    query = match status {
        Status::Active => query.filter(courses::is_active.eq(true)),
        Status::Archived => query.filter(courses::is_active.eq(false)),
        Status::All => query,
    };
    let name = lower(courses::name);
    query = match sort {
        "-name" => query.order((name.desc(), courses::id)),
        "level" => query.order((courses::level.asc(), name.asc(), courses::id)),
        "-level" => query.order((courses::level.desc(), name.asc(), courses::id)),
        _ => query.order((name.asc(), courses::id)),
    };
    let rows: Vec<(Course, i64)> = query
        .select((Course::as_select(), total_count()))
        .limit(page.limit())
        .offset(page.offset())
        .load(conn)?;
    let ids: Vec<Uuid> = rows.iter().map(|(c, _)| c.id).collect();
    let curricula: Vec<Uuid> = scope
        .curricula()
        .filter(crate::schema::curricula::course_id.eq_any(&ids))
        .select(crate::schema::curricula::course_id)
        .load(conn)?;
    let tutors: Vec<Uuid> = scope
        .course_tutors()
        .filter(course_tutors::course_id.eq_any(&ids))
        .select(course_tutors::course_id)
        .load(conn)?;
    let count = |list: &[Uuid], id: Uuid| list.iter().filter(|c| **c == id).count() as i64;
    Ok(rows
        .into_iter()
        .map(|(course, total)| {
            let row = ListRow {
                curricula: count(&curricula, course.id),
                tutors: count(&tutors, course.id),
                course,
            };
            (row, total)
        })
        .collect())
}

/// The validated fields of the course form.
#[derive(Debug, Clone)]
pub struct CourseCommand {
    pub name: String,
    pub description: String,
    pub level: i32,
    pub is_active: bool,
    pub offerings: Offered,
}

pub fn insert(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    command: &CourseCommand,
) -> AppResult<Uuid> {
    let id: Uuid = courses::insert()
        .values((
            courses::program_id.eq(scope.program_id()),
            courses::name.eq(&command.name),
            courses::description.eq(&command.description),
            courses::level.eq(command.level),
            courses::is_active.eq(command.is_active),
        ))
        .returning(courses::id)
        .get_result(conn)?;
    offerings::add(conn, scope, id, &command.offerings)?;
    Ok(id)
}

/// Saves the course and its offerings. Offerings that prices or enrollments use are not removed:
/// the refusal lists them, and nothing is changed.
pub fn update(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    course_id: Uuid,
    command: &CourseCommand,
) -> AppResult<()> {
    lock(conn, scope, course_id)?;
    offerings::replace(conn, scope, course_id, &command.offerings)?;
    diesel::update(scope.courses().filter(courses::id.eq(course_id)))
        .set((
            courses::name.eq(&command.name),
            courses::description.eq(&command.description),
            courses::level.eq(command.level),
            courses::is_active.eq(command.is_active),
        ))
        .execute(conn)?;
    Ok(())
}

/// How many enrollments and prices (active or not) a course has: either keeps it from deletion.
#[derive(Debug, Clone, Copy, Default)]
pub struct Usage {
    pub enrollments: i64,
    pub prices: i64,
}

impl Usage {
    pub fn blocks_deletion(&self) -> bool {
        self.enrollments > 0 || self.prices > 0
    }

    /// Why the course cannot be deleted, for the page.
    pub fn reason(&self) -> String {
        let mut parts = Vec::new();
        if self.enrollments > 0 {
            parts.push(plural(self.enrollments, "enrollment", "enrollments"));
        }
        if self.prices > 0 {
            parts.push(plural(self.prices, "price", "prices"));
        }
        format!(
            "This course has {}, so it cannot be deleted; archive it instead. Archived courses keep their history and can be restored.",
            parts.join(" and ")
        )
    }
}

/// Both counts in one query.
pub fn usage(conn: &mut PgConnection, scope: &ProgramScope, course_id: Uuid) -> AppResult<Usage> {
    let (enrollments, prices): (Option<i64>, Option<i64>) = diesel::select((
        scope
            .course_enrollments()
            .filter(course_enrollments::course_id.eq(course_id))
            .count()
            .single_value(),
        scope
            .facility_course_pricing()
            .filter(facility_course_pricing::course_id.eq(course_id))
            .count()
            .single_value(),
    ))
    .get_result(conn)?;
    Ok(Usage {
        enrollments: enrollments.unwrap_or(0),
        prices: prices.unwrap_or(0),
    })
}

pub fn set_active(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    course_id: Uuid,
    active: bool,
    version: &str,
) -> AppResult<Course> {
    let course = lock(conn, scope, course_id)?;
    check_version(version, course.updated_at, "This course")?;
    if course.is_active != active {
        diesel::update(scope.courses().filter(courses::id.eq(course_id)))
            .set(courses::is_active.eq(active))
            .execute(conn)?;
    }
    Ok(course)
}

/// Deletes a course with its curriculum, offerings and tutor assignments, unless enrollments or
/// prices use it.
pub fn delete(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    course_id: Uuid,
    version: &str,
) -> AppResult<Course> {
    use crate::schema::{curricula, lessons, modules};
    let course = lock(conn, scope, course_id)?;
    check_version(version, course.updated_at, "This course")?;
    let usage = usage(conn, scope, course_id)?;
    if usage.blocks_deletion() {
        return Err(AppError::conflict(usage.reason()));
    }
    let curriculum_ids = scope
        .curricula()
        .filter(curricula::course_id.eq(course_id))
        .select(curricula::id);
    let module_ids = scope
        .modules()
        .filter(modules::curriculum_id.eq_any(curriculum_ids))
        .select(modules::id);
    diesel::delete(
        scope
            .lessons()
            .filter(lessons::module_id.eq_any(module_ids)),
    )
    .execute(conn)?;
    diesel::delete(
        scope
            .modules()
            .filter(modules::curriculum_id.eq_any(curriculum_ids)),
    )
    .execute(conn)?;
    diesel::delete(scope.curricula().filter(curricula::course_id.eq(course_id))).execute(conn)?;
    diesel::delete(scope.courses().filter(courses::id.eq(course_id)))
        .execute(conn)
        .map_err(|e| match AppError::from(e) {
            AppError::Conflict(_) => AppError::conflict(
                "This course is still used by enrollments or prices, so it cannot be deleted; archive it instead.",
            ),
            other => other,
        })?;
    Ok(course)
}
