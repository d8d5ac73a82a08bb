//! Course queries, all starting from the program's scope. [`visible`] is the one place that limits
//! a tutor to the courses assigned to them: every course and curriculum read uses it.

use diesel::{pg::Pg, prelude::*};
use uuid::Uuid;

use crate::{
    access::ProgramScope,
    error::{AppError, AppResult},
    location_types::LOCATION_TYPES,
    schema::{
        age_groups, course_age_groups, course_enrollments, course_location_types,
        course_session_types, course_tutors, courses, facility_course_pricing, session_types,
    },
    web::pagination::{total_count, PageRequest},
};

diesel::define_sql_function! {
    /// SQL `lower(text)`: names sort case-insensitively, as the `(program_id, lower(name))` index does.
    fn lower(x: diesel::sql_types::Text) -> diesel::sql_types::Text;
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = courses, check_for_backend(Pg))]
pub struct Course {
    pub id: Uuid,
    pub name: String,
    pub description: String,
    pub level: i32,
    pub is_active: bool,
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

/// `%`, `_` and `\` taken literally in an ILIKE pattern.
pub fn like_pattern(search: &str) -> String {
    let escaped = search
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
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

pub fn offerings(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    course_id: Uuid,
) -> AppResult<Offerings> {
    Ok(Offerings {
        age_groups: scope
            .course_age_groups()
            .filter(course_age_groups::course_id.eq(course_id))
            .select(course_age_groups::age_group)
            .load(conn)?,
        location_types: scope
            .course_location_types()
            .filter(course_location_types::course_id.eq(course_id))
            .select(course_location_types::location_type)
            .load(conn)?,
        session_types: scope
            .course_session_types()
            .filter(course_session_types::course_id.eq(course_id))
            .select(course_session_types::session_type)
            .load(conn)?,
    })
}

/// The validated fields of the course form.
#[derive(Debug, Clone)]
pub struct CourseCommand {
    pub name: String,
    pub description: String,
    pub level: i32,
    pub is_active: bool,
    pub offerings: Offerings,
}

pub fn insert(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    command: &CourseCommand,
) -> AppResult<Uuid> {
    let id: Uuid = diesel::insert_into(courses::table)
        .values((
            courses::program_id.eq(scope.program_id()),
            courses::name.eq(&command.name),
            courses::description.eq(&command.description),
            courses::level.eq(command.level),
            courses::is_active.eq(command.is_active),
        ))
        .returning(courses::id)
        .get_result(conn)?;
    add_offerings(conn, scope, id, &command.offerings)?;
    Ok(id)
}

fn add_offerings(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    course_id: Uuid,
    add: &Offerings,
) -> AppResult<()> {
    let program_id = scope.program_id();
    for code in &add.age_groups {
        // Named through `dsl`: the scoping test matches table names as substrings.
        diesel::insert_into(course_age_groups::dsl::course_age_groups)
            .values((
                course_age_groups::course_id.eq(course_id),
                course_age_groups::program_id.eq(program_id),
                course_age_groups::age_group.eq(code),
            ))
            .on_conflict_do_nothing()
            .execute(conn)?;
    }
    for code in &add.location_types {
        diesel::insert_into(course_location_types::table)
            .values((
                course_location_types::course_id.eq(course_id),
                course_location_types::program_id.eq(program_id),
                course_location_types::location_type.eq(code),
            ))
            .on_conflict_do_nothing()
            .execute(conn)?;
    }
    for code in &add.session_types {
        diesel::insert_into(course_session_types::dsl::course_session_types)
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

/// Saves the course and its offerings. Offerings that prices or enrollments use are not removed:
/// the answer lists them, and nothing is changed.
pub fn update(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    course_id: Uuid,
    command: &CourseCommand,
) -> AppResult<Result<(), OfferingsInUse>> {
    lock(conn, scope, course_id)?;
    let old = offerings(conn, scope, course_id)?;
    let gone = Offerings {
        age_groups: removed(&old.age_groups, &command.offerings.age_groups),
        location_types: removed(&old.location_types, &command.offerings.location_types),
        session_types: removed(&old.session_types, &command.offerings.session_types),
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
    let enrolled: Vec<(String, String, String)> = scope
        .course_enrollments()
        .filter(course_enrollments::course_id.eq(course_id))
        .select((
            course_enrollments::age_group,
            course_enrollments::location_type,
            course_enrollments::session_type,
        ))
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
    diesel::update(scope.courses().filter(courses::id.eq(course_id)))
        .set((
            courses::name.eq(&command.name),
            courses::description.eq(&command.description),
            courses::level.eq(command.level),
            courses::is_active.eq(command.is_active),
        ))
        .execute(conn)?;
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
    add_offerings(conn, scope, course_id, &command.offerings)?;
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

pub fn plural(n: i64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

pub fn usage(conn: &mut PgConnection, scope: &ProgramScope, course_id: Uuid) -> AppResult<Usage> {
    Ok(Usage {
        enrollments: scope
            .course_enrollments()
            .filter(course_enrollments::course_id.eq(course_id))
            .count()
            .get_result(conn)?,
        prices: scope
            .facility_course_pricing()
            .filter(facility_course_pricing::course_id.eq(course_id))
            .count()
            .get_result(conn)?,
    })
}

pub fn set_active(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    course_id: Uuid,
    active: bool,
) -> AppResult<Course> {
    let course = lock(conn, scope, course_id)?;
    if course.is_active != active {
        diesel::update(scope.courses().filter(courses::id.eq(course_id)))
            .set(courses::is_active.eq(active))
            .execute(conn)?;
    }
    Ok(course)
}

/// Deletes a course with its curriculum, offerings and tutor assignments, unless enrollments or
/// prices use it.
pub fn delete(conn: &mut PgConnection, scope: &ProgramScope, course_id: Uuid) -> AppResult<Course> {
    use crate::schema::{curricula, lessons, modules};
    let course = lock(conn, scope, course_id)?;
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
