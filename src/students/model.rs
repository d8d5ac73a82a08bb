//! The students table, read and written through the program scope.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::{
    pg::Pg,
    prelude::*,
    sql_types::{Bool, Text},
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{student_code, StudentStatus};
use crate::{
    access::ProgramScope,
    error::{AppError, AppResult},
    schema::{course_enrollments, course_tutors, students},
    web::{form::like_pattern, pagination::PageRequest},
};

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Address {
    #[serde(default)]
    pub line1: String,
    #[serde(default)]
    pub line2: String,
    #[serde(default)]
    pub city: String,
    #[serde(default)]
    pub state: String,
    #[serde(default)]
    pub country: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct EmergencyContact {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub relation: String,
    #[serde(default)]
    pub phone: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct MedicalInfo {
    #[serde(default)]
    pub conditions: String,
    #[serde(default)]
    pub medications: String,
    #[serde(default)]
    pub allergies: String,
}

/// One student as the profile and the form show it.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = students, check_for_backend(Pg))]
pub struct Student {
    pub id: Uuid,
    pub student_id: String,
    pub first_name: String,
    pub last_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub date_of_birth: Option<NaiveDate>,
    pub enrollment_date: NaiveDate,
    pub status: StudentStatus,
    pub address: serde_json::Value,
    pub emergency_contact: serde_json::Value,
    pub medical_info: serde_json::Value,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Student {
    pub fn full_name(&self) -> String {
        format!("{} {}", self.first_name, self.last_name)
    }
    pub fn address(&self) -> Address {
        serde_json::from_value(self.address.clone()).unwrap_or_default()
    }
    pub fn emergency_contact(&self) -> EmergencyContact {
        serde_json::from_value(self.emergency_contact.clone()).unwrap_or_default()
    }
    pub fn medical_info(&self) -> MedicalInfo {
        serde_json::from_value(self.medical_info.clone()).unwrap_or_default()
    }
}

/// A row of the student list.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = students, check_for_backend(Pg))]
pub struct StudentRow {
    pub id: Uuid,
    pub student_id: String,
    pub first_name: String,
    pub last_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub date_of_birth: Option<NaiveDate>,
    pub status: StudentStatus,
}

/// What a new or edited student holds; validated by `form::StudentForm::validate`.
#[derive(Debug, Clone, AsChangeset, Insertable)]
#[diesel(table_name = students, treat_none_as_null = true)]
pub struct StudentChanges {
    pub first_name: String,
    pub last_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub date_of_birth: Option<NaiveDate>,
    pub enrollment_date: NaiveDate,
    pub status: StudentStatus,
    pub address: serde_json::Value,
    pub emergency_contact: serde_json::Value,
    pub medical_info: serde_json::Value,
}

/// How the list is ordered (`?sort=`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum StudentSort {
    #[default]
    Name,
    StudentId,
    Newest,
}

impl StudentSort {
    pub fn as_str(self) -> &'static str {
        match self {
            StudentSort::Name => "name",
            StudentSort::StudentId => "student_id",
            StudentSort::Newest => "newest",
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct StudentFilter {
    pub search: String,
    pub status: Option<StudentStatus>,
    pub sort: StudentSort,
}

type Boxed<'a> = students::BoxedQuery<'a, Pg>;

/// The students this scope may see: the program's, or for a tutor only those enrolled in the
/// tutor's courses. Every student read starts here.
pub fn visible<'a>(scope: &ProgramScope) -> Boxed<'a> {
    let query = scope.students().into_boxed();
    match scope.tutor_id() {
        None => query,
        Some(tutor) => query.filter(
            students::id.eq_any(
                scope
                    .course_enrollments()
                    .filter(
                        course_enrollments::course_id.eq_any(
                            scope
                                .course_tutors()
                                .filter(course_tutors::user_id.eq(tutor))
                                .select(course_tutors::course_id),
                        ),
                    )
                    .select(course_enrollments::student_id),
            ),
        ),
    }
}

/// The students the filter selects, unordered (counting needs no order).
fn matching<'a>(scope: &ProgramScope, filter: &StudentFilter) -> Boxed<'a> {
    let mut query = visible(scope);
    if !filter.search.trim().is_empty() {
        let pattern = like_pattern(&filter.search);
        let full_name = diesel::dsl::sql::<Bool>(
            "concat_ws(' ', students.first_name, students.last_name) ILIKE ",
        )
        .bind::<Text, _>(pattern.clone());
        query = query.filter(
            full_name
                .or(students::student_id.ilike(pattern.clone()))
                .or(students::email.ilike(pattern.clone()))
                .or(students::phone.ilike(pattern)),
        );
    }
    if let Some(status) = filter.status {
        query = query.filter(students::status.eq(status));
    }
    query
}

fn filtered<'a>(scope: &ProgramScope, filter: &StudentFilter) -> Boxed<'a> {
    let query = matching(scope, filter);
    match filter.sort {
        StudentSort::Name => query.order((
            students::last_name.asc(),
            students::first_name.asc(),
            students::id.asc(),
        )),
        StudentSort::StudentId => query.order(students::student_id.asc()),
        StudentSort::Newest => query.order((students::created_at.desc(), students::id.asc())),
    }
}

/// One page of the filtered list, with the filtered total. Two queries on purpose: the page reads
/// 25 rows in index order, the total counts in an index-only scan; one query with
/// `COUNT(*) OVER ()` would sort every row of a large program for each page (600 ms at 1M students).
pub fn list(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    filter: &StudentFilter,
    page: PageRequest,
) -> QueryResult<Vec<(StudentRow, i64)>> {
    let rows: Vec<StudentRow> = filtered(scope, filter)
        .select(StudentRow::as_select())
        .limit(page.limit())
        .offset(page.offset())
        .load(conn)?;
    let total: i64 = matching(scope, filter).count().get_result(conn)?;
    Ok(rows.into_iter().map(|row| (row, total)).collect())
}

/// Every student of the filtered list (for the CSV export), in list order.
pub fn all(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    filter: &StudentFilter,
) -> QueryResult<Vec<Student>> {
    filtered(scope, filter)
        .select(Student::as_select())
        .load(conn)
}

pub fn find(conn: &mut PgConnection, scope: &ProgramScope, id: Uuid) -> AppResult<Student> {
    Ok(visible(scope)
        .filter(students::id.eq(id))
        .select(Student::as_select())
        .first(conn)?)
}

/// Creates a student with the next `STU-YYYY-NNNN` of `year`, in one transaction.
pub fn create(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    year: i32,
    changes: StudentChanges,
) -> AppResult<Student> {
    conn.transaction(|conn| {
        let code = student_code::next(conn, year)?;
        let id: Uuid = diesel::insert_into(students::table)
            .values((
                students::program_id.eq(scope.program_id()),
                students::student_id.eq(code),
                changes,
            ))
            .returning(students::id)
            .get_result(conn)?;
        find(conn, scope, id)
    })
}

pub fn update(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    id: Uuid,
    changes: StudentChanges,
) -> AppResult<Student> {
    let updated = diesel::update(scope.students().filter(students::id.eq(id)))
        .set(changes)
        .execute(conn)?;
    if updated == 0 {
        return Err(AppError::NotFound);
    }
    find(conn, scope, id)
}

pub fn set_status(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    id: Uuid,
    status: StudentStatus,
) -> AppResult<()> {
    let updated = diesel::update(scope.students().filter(students::id.eq(id)))
        .set(students::status.eq(status))
        .execute(conn)?;
    if updated == 0 {
        return Err(AppError::NotFound);
    }
    Ok(())
}
