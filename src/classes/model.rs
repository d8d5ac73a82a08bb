//! Class rows and their statements, all starting from the request's `ProgramScope`.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use diesel::{pg::Pg, prelude::*};
use uuid::Uuid;

use super::{
    schedule::{Closure, Meeting},
    ClassStatus,
};
use crate::{
    access::{ProgramScope, Role},
    enrollments::EnrollmentStatus,
    error::{AppError, AppResult},
    facilities::FacilityStatus,
    schema::{
        class_times, classes, course_enrollments, course_tutors, courses, facilities,
        program_closures, users,
    },
};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = classes, check_for_backend(Pg))]
pub struct Class {
    pub id: Uuid,
    pub course_id: Uuid,
    pub facility_id: Uuid,
    pub tutor_id: Uuid,
    pub age_group: String,
    pub location_type: String,
    pub session_type: String,
    pub name: String,
    pub capacity: i32,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub status: ClassStatus,
    pub updated_at: DateTime<Utc>,
    pub curriculum_id: Option<Uuid>,
}

impl Class {
    /// The version its archive and delete forms carry (`web::form::check_version`).
    pub fn version(&self) -> String {
        crate::web::form::version(self.updated_at)
    }
}

/// A class as lists and pages show it: with its course, facility and tutor names, weekly times
/// and how full it is.
#[derive(Debug, Clone)]
pub struct ClassLine {
    pub class: Class,
    pub course_name: String,
    pub facility_name: String,
    pub tutor_name: String,
    pub times: Vec<Meeting>,
    /// Active or paused enrollments.
    pub filled: i64,
    pub waitlisted: i64,
}

impl ClassLine {
    /// "Dolphins · Sat 09:00 · Ikoyi Aquatic Centre".
    pub fn title(&self) -> String {
        let times: Vec<String> = self.times.iter().map(Meeting::short).collect();
        let mut parts = vec![self.class.name.clone()];
        if !times.is_empty() {
            parts.push(times.join(", "));
        }
        parts.push(self.facility_name.clone());
        parts.join(" · ")
    }

    /// "5 Jan 2027 – 27 Mar 2027".
    pub fn dates(&self) -> String {
        format!(
            "{} – {}",
            crate::web::format::date(self.class.start_date),
            crate::web::format::date(self.class.end_date)
        )
    }

    pub fn free(&self) -> i64 {
        (i64::from(self.class.capacity) - self.filled).max(0)
    }

    pub fn is_full(&self) -> bool {
        self.filled >= i64::from(self.class.capacity)
    }
}

/// A checked class, ready to save.
#[derive(Debug, Clone)]
pub struct ClassCommand {
    pub course_id: Uuid,
    pub facility_id: Uuid,
    pub tutor_id: Uuid,
    pub age_group: String,
    pub location_type: String,
    pub session_type: String,
    pub name: String,
    /// `None`: the session type's capacity.
    pub capacity: Option<i32>,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub times: Vec<Meeting>,
    /// The curriculum its sessions follow (attendance credits its lessons), if any.
    pub curriculum_id: Option<Uuid>,
}

/// What the class list asks for.
#[derive(Debug, Default, Clone)]
pub struct ListFilter {
    pub course_id: Option<Uuid>,
    /// Any of these courses (a student's page: the classes its enrollments may join).
    pub course_ids: Option<Vec<Uuid>>,
    pub facility_id: Option<Uuid>,
    pub tutor_id: Option<Uuid>,
    pub include_archived: bool,
}

pub fn find(conn: &mut PgConnection, scope: &ProgramScope, id: Uuid) -> AppResult<Class> {
    let mut query = scope
        .classes()
        .filter(classes::id.eq(id))
        .select(Class::as_select())
        .into_boxed();
    if let Some(tutor) = scope.tutor_id() {
        query = query.filter(classes::tutor_id.eq(tutor));
    }
    Ok(query.first(conn)?)
}

/// The program's classes with names, times and counts, by course and name: a few queries.
pub fn list(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    filter: &ListFilter,
) -> AppResult<Vec<ClassLine>> {
    let mut query = scope.classes_named().select(line_columns()).into_boxed();
    if let Some(id) = filter.course_id {
        query = query.filter(classes::course_id.eq(id));
    }
    if let Some(ids) = &filter.course_ids {
        query = query.filter(classes::course_id.eq_any(ids.clone()));
    }
    if let Some(id) = filter.facility_id {
        query = query.filter(classes::facility_id.eq(id));
    }
    if let Some(id) = filter.tutor_id.or(scope.tutor_id()) {
        query = query.filter(classes::tutor_id.eq(id));
    }
    if !filter.include_archived {
        query = query.filter(classes::status.eq(ClassStatus::Active));
    }
    let rows: Vec<(Class, String, String, String, String)> = query
        .order((courses::name.asc(), classes::name.asc(), classes::id.asc()))
        .limit(500)
        .load(conn)?;
    lines(conn, scope, rows)
}

/// What `lines` completes: the class with its course, facility and tutor names, over
/// `ProgramScope::classes_named`.
type LineColumns = (
    diesel::helper_types::AsSelect<Class, Pg>,
    courses::name,
    facilities::name,
    users::full_name,
    users::username,
);

fn line_columns() -> LineColumns {
    (
        Class::as_select(),
        courses::name,
        facilities::name,
        users::full_name,
        users::username,
    )
}

/// The active classes of one course, facility and configuration, for enrolling into one.
pub fn matching(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    key: &crate::pricing::PriceKey,
) -> AppResult<Vec<ClassLine>> {
    let rows: Vec<(Class, String, String, String, String)> = scope
        .classes_named()
        .filter(classes::course_id.eq(key.course_id))
        .filter(classes::facility_id.eq(key.facility_id))
        .filter(classes::age_group.eq(&key.age_group))
        .filter(classes::location_type.eq(&key.location_type))
        .filter(classes::session_type.eq(&key.session_type))
        .filter(classes::status.eq(ClassStatus::Active))
        .order((classes::name.asc(), classes::id.asc()))
        .select(line_columns())
        .limit(50)
        .load(conn)?;
    lines(conn, scope, rows)
}

/// The active classes of a course with their places and waitlists, for the course page.
pub fn of_course(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    course_id: Uuid,
) -> AppResult<Vec<ClassLine>> {
    list(
        conn,
        scope,
        &ListFilter {
            course_id: Some(course_id),
            ..ListFilter::default()
        },
    )
}

/// One class with names, times and counts.
pub fn line(conn: &mut PgConnection, scope: &ProgramScope, id: Uuid) -> AppResult<ClassLine> {
    let mut query = scope
        .classes_named()
        .filter(classes::id.eq(id))
        .select(line_columns())
        .into_boxed();
    if let Some(tutor) = scope.tutor_id() {
        query = query.filter(classes::tutor_id.eq(tutor));
    }
    let row = query.first(conn)?;
    lines(conn, scope, vec![row])?
        .pop()
        .ok_or(AppError::NotFound)
}

fn lines(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    rows: Vec<(Class, String, String, String, String)>,
) -> AppResult<Vec<ClassLine>> {
    // The live price fragment asks on every change of choices; most configurations have no class.
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<Uuid> = rows.iter().map(|r| r.0.id).collect();
    let mut times = times_of(conn, scope, &ids)?;
    let counts = counts_of(conn, scope, &ids)?;
    Ok(rows
        .into_iter()
        .map(|(class, course_name, facility_name, full_name, username)| {
            let (filled, waitlisted) = counts.get(&class.id).copied().unwrap_or((0, 0));
            ClassLine {
                times: times.remove(&class.id).unwrap_or_default(),
                tutor_name: crate::users::display_name(&full_name, &username).to_string(),
                class,
                course_name,
                facility_name,
                filled,
                waitlisted,
            }
        })
        .collect())
}

/// The weekly times of each class, by weekday and time.
pub fn times_of(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    ids: &[Uuid],
) -> QueryResult<HashMap<Uuid, Vec<Meeting>>> {
    let rows: Vec<(Uuid, i16, chrono::NaiveTime, i32)> = scope
        .class_times()
        .filter(class_times::class_id.eq_any(ids))
        .order((class_times::weekday.asc(), class_times::start_time.asc()))
        .select((
            class_times::class_id,
            class_times::weekday,
            class_times::start_time,
            class_times::duration_minutes,
        ))
        .load(conn)?;
    let mut out: HashMap<Uuid, Vec<Meeting>> = HashMap::new();
    for (id, weekday, start_time, duration_minutes) in rows {
        out.entry(id).or_default().push(Meeting {
            weekday,
            start_time,
            duration_minutes,
        });
    }
    Ok(out)
}

/// Running (active or paused) and waitlisted enrollments of each class.
pub fn counts_of(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    ids: &[Uuid],
) -> QueryResult<HashMap<Uuid, (i64, i64)>> {
    let rows: Vec<(Option<Uuid>, EnrollmentStatus, i64)> = scope
        .course_enrollments()
        .filter(course_enrollments::class_id.eq_any(ids))
        .filter(course_enrollments::status.eq_any([
            EnrollmentStatus::Active,
            EnrollmentStatus::Paused,
            EnrollmentStatus::Waitlisted,
        ]))
        .group_by((course_enrollments::class_id, course_enrollments::status))
        .select((
            course_enrollments::class_id,
            course_enrollments::status,
            diesel::dsl::count_star(),
        ))
        .load(conn)?;
    let mut out: HashMap<Uuid, (i64, i64)> = HashMap::new();
    for (id, status, n) in rows {
        let Some(id) = id else { continue };
        let entry = out.entry(id).or_default();
        if status == EnrollmentStatus::Waitlisted {
            entry.1 += n;
        } else {
            entry.0 += n;
        }
    }
    Ok(out)
}

/// The program's closures, for generating sessions.
pub fn closures(conn: &mut PgConnection, scope: &ProgramScope) -> QueryResult<Vec<Closure>> {
    Ok(scope
        .program_closures()
        .select((program_closures::start_date, program_closures::end_date))
        .load::<(NaiveDate, NaiveDate)>(conn)?
        .into_iter()
        .map(|(start_date, end_date)| Closure {
            start_date,
            end_date,
        })
        .collect())
}

/// The program's tutors (id, name), for a substitute.
pub fn program_tutors(
    conn: &mut PgConnection,
    scope: &ProgramScope,
) -> QueryResult<Vec<(Uuid, String)>> {
    use crate::schema::user_program_assignments as upa;
    let rows: Vec<(Uuid, String, String)> = scope
        .user_program_assignments()
        .inner_join(users::table.on(users::id.eq(upa::user_id)))
        .filter(users::role.eq(Role::Tutor))
        .filter(users::is_active.eq(true))
        .order(users::username.asc())
        .select((users::id, users::full_name, users::username))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, full, user)| (id, crate::users::display_name(&full, &user).to_string()))
        .collect())
}

/// The tutors assigned to a course (id, name).
pub fn course_tutors_of(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    course_id: Uuid,
) -> QueryResult<Vec<(Uuid, String)>> {
    let rows: Vec<(Uuid, String, String)> = scope
        .course_tutors()
        .filter(course_tutors::course_id.eq(course_id))
        .inner_join(users::table.on(users::id.eq(course_tutors::user_id)))
        .order(users::username.asc())
        .select((users::id, users::full_name, users::username))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, full, user)| (id, crate::users::display_name(&full, &user).to_string()))
        .collect())
}

/// The choices of the class form: active courses and facilities of the program (id, name).
pub fn form_options(
    conn: &mut PgConnection,
    scope: &ProgramScope,
) -> QueryResult<(Vec<(Uuid, String)>, Vec<(Uuid, String)>)> {
    let courses = scope
        .courses()
        .filter(courses::is_active.eq(true))
        .order(courses::name.asc())
        .select((courses::id, courses::name))
        .load(conn)?;
    let facilities = scope
        .facilities()
        .filter(facilities::status.eq(FacilityStatus::Active))
        .order(facilities::name.asc())
        .select((facilities::id, facilities::name))
        .load(conn)?;
    Ok((courses, facilities))
}

/// The calendar's filters: the program's facilities, active courses and tutors (id, name).
#[allow(clippy::type_complexity)]
pub fn week_filters(
    conn: &mut PgConnection,
    scope: &ProgramScope,
) -> QueryResult<(
    Vec<(Uuid, String)>,
    Vec<(Uuid, String)>,
    Vec<(Uuid, String)>,
)> {
    let (courses, facilities) = form_options(conn, scope)?;
    Ok((facilities, courses, program_tutors(conn, scope)?))
}

/// The names of classes the tutor teaches (of the course, if given; at most five): a tutor who
/// teaches a class stays assigned to its course and program (the foreign key) until the class has
/// another tutor.
pub fn taught_by(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    course_id: Option<Uuid>,
    tutor_id: Uuid,
) -> QueryResult<Vec<String>> {
    let mut query = scope
        .classes()
        .filter(classes::tutor_id.eq(tutor_id))
        .into_boxed();
    if let Some(course_id) = course_id {
        query = query.filter(classes::course_id.eq(course_id));
    }
    query
        .order(classes::name.asc())
        .select(classes::name)
        .distinct()
        .limit(5)
        .load(conn)
}

/// A student of a class: running (active or paused) or waiting for a place.
#[derive(Debug, Clone, Queryable)]
pub struct Member {
    pub enrollment_id: Uuid,
    pub student_id: Uuid,
    pub student_code: String,
    pub first_name: String,
    pub last_name: String,
    pub status: EnrollmentStatus,
    pub waitlisted_at: Option<DateTime<Utc>>,
}

impl Member {
    pub fn name(&self) -> String {
        format!("{} {}", self.first_name, self.last_name)
    }
}

/// The class's running students by name, then its waitlist in line order: one query.
pub fn members(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    class_id: Uuid,
) -> QueryResult<(Vec<Member>, Vec<Member>)> {
    use crate::schema::students;
    let rows: Vec<Member> = scope
        .course_enrollments_named()
        .filter(course_enrollments::class_id.eq(class_id))
        .filter(course_enrollments::status.eq_any([
            EnrollmentStatus::Active,
            EnrollmentStatus::Paused,
            EnrollmentStatus::Waitlisted,
        ]))
        .order((
            course_enrollments::waitlisted_at.asc(),
            students::last_name.asc(),
            students::first_name.asc(),
            course_enrollments::id.asc(),
        ))
        .select((
            course_enrollments::id,
            students::id,
            students::student_id,
            students::first_name,
            students::last_name,
            course_enrollments::status,
            course_enrollments::waitlisted_at,
        ))
        .limit(1000)
        .load(conn)?;
    Ok(rows
        .into_iter()
        .partition(|m| m.status != EnrollmentStatus::Waitlisted))
}

/// The course's curricula in their order, for the class form.
pub fn curricula_of(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    course_id: Uuid,
) -> QueryResult<Vec<(Uuid, String)>> {
    use crate::schema::curricula;
    scope
        .curricula()
        .filter(curricula::course_id.eq(course_id))
        .order((curricula::sequence_order, curricula::id))
        .select((curricula::id, curricula::name))
        .load(conn)
}

/// A class's places, as the dashboard counts them.
#[derive(Debug, Clone)]
pub struct ClassPlaces {
    pub id: Uuid,
    pub name: String,
    pub capacity: i32,
    /// Active or paused enrollments.
    pub filled: i64,
    pub waitlisted: i64,
}

impl ClassPlaces {
    pub fn free(&self) -> i64 {
        (i64::from(self.capacity) - self.filled).max(0)
    }
}

/// Every active class of the program with its places, in two queries (the counts through the
/// index of the program's enrollments in classes, whatever its other enrollments).
pub fn places(conn: &mut PgConnection, scope: &ProgramScope) -> QueryResult<Vec<ClassPlaces>> {
    let rows: Vec<(Uuid, String, i32)> = scope
        .classes()
        .filter(classes::status.eq(ClassStatus::Active))
        .select((classes::id, classes::name, classes::capacity))
        .load(conn)?;
    let ids: Vec<Uuid> = rows.iter().map(|r| r.0).collect();
    let counts = counts_of(conn, scope, &ids)?;
    Ok(rows
        .into_iter()
        .map(|(id, name, capacity)| {
            let (filled, waitlisted) = counts.get(&id).copied().unwrap_or((0, 0));
            ClassPlaces {
                id,
                name,
                capacity,
                filled,
                waitlisted,
            }
        })
        .collect())
}

/// The first day of the running term: the earliest start of the active classes running today.
pub fn term_start(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    today: NaiveDate,
) -> QueryResult<Option<NaiveDate>> {
    scope
        .classes()
        .filter(classes::status.eq(ClassStatus::Active))
        .filter(classes::start_date.le(today))
        .filter(classes::end_date.ge(today))
        .select(diesel::dsl::min(classes::start_date))
        .first(conn)
}
