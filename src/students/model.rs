//! The students table, read and written through the program scope.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::{
    pg::Pg,
    prelude::*,
    sql_types::{Nullable, Text},
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{student_code, StudentStatus};
use crate::{
    access::ProgramScope,
    error::{AppError, AppResult},
    schema::{course_enrollments, course_tutors, student_counts, students},
    web::{
        form::like_pattern,
        keyset::{Cursor, Keyed, Total, COUNT_BOUND},
    },
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
    pub created_at: DateTime<Utc>,
}

/// What a new or edited student holds; validated by `form::StudentForm::validate`.
#[derive(Debug, Clone, AsChangeset, Insertable)]
#[diesel(table_name = crate::schema::across_programs::students, treat_none_as_null = true)]
pub struct StudentChanges {
    pub first_name: String,
    pub last_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub date_of_birth: Option<NaiveDate>,
    pub enrollment_date: NaiveDate,
    pub status: StudentStatus,
    pub address: serde_json::Value,
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
    /// The other way round: a descending order read forwards is its ascending order read
    /// backwards, so the keyset reads below flip their direction and nothing else changes.
    pub descending: bool,
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

diesel::define_sql_function! {
    /// The text a search looks in (migration `scale`); the trigram index is on this expression.
    fn student_search_text(
        first_name: Text,
        last_name: Text,
        student_id: Text,
        email: Nullable<Text>,
        phone: Nullable<Text>,
    ) -> Text;
}

/// Visible students whose name, student id, email or phone contains `text`. Typed, not literal
/// SQL, so that Diesel keeps the statement prepared (planning a search costs as much as running it).
pub fn search<'a>(scope: &ProgramScope, text: &str) -> Boxed<'a> {
    let searched = student_search_text(
        students::first_name,
        students::last_name,
        students::student_id,
        students::email,
        students::phone,
    );
    if has_trigram(text) {
        return visible(scope).filter(searched.ilike(like_pattern(text)));
    }
    // No trigram to look up, so the trigram index would be read whole: half a second at a
    // million students in the generic plan PostgreSQL settles on for a prepared search. Written
    // as an expression the index does not cover, the program's own rows are matched instead.
    visible(scope).filter(searched.concat("").ilike(like_pattern(text)))
}

/// Whether `text` has a run of three letters or digits, i.e. a trigram pg_trgm can look up.
fn has_trigram(text: &str) -> bool {
    text.split(|c: char| !c.is_alphanumeric())
        .any(|word| word.chars().count() >= 3)
}

/// The students the filter selects, unordered (counting needs no order).
fn matching<'a>(scope: &ProgramScope, filter: &StudentFilter) -> Boxed<'a> {
    let mut query = if filter.search.trim().is_empty() {
        visible(scope)
    } else {
        search(scope, &filter.search)
    };
    if let Some(status) = filter.status {
        query = query.filter(students::status.eq(status));
    }
    query
}

/// The list in `sort` order, or against it when reading backwards; `id` breaks ties so that the
/// order is total and a row's key names one place in it.
fn ordered<'a>(query: Boxed<'a>, sort: StudentSort, backward: bool) -> Boxed<'a> {
    use students::{created_at, first_name, id, last_name, student_id};
    match (sort, backward) {
        (StudentSort::Name, false) => query.order((last_name.asc(), first_name.asc(), id.asc())),
        (StudentSort::Name, true) => query.order((last_name.desc(), first_name.desc(), id.desc())),
        (StudentSort::StudentId, false) => query.order(student_id.asc()),
        (StudentSort::StudentId, true) => query.order(student_id.desc()),
        (StudentSort::Newest, false) => query.order((created_at.desc(), id.desc())),
        (StudentSort::Newest, true) => query.order((created_at.asc(), id.asc())),
    }
}

/// Rows strictly after (or before) the student `key` in `sort` order. The key is read through
/// the scope: a student of another program is not found, and reveals nothing.
///
/// Spelled as a range on the leading sort column (which the index scan starts from) and the
/// tie-breaks, not as a row comparison `(a, b, c) > (..)`: Diesel has no typed row comparison, and
/// literal SQL would cost the statement its place in Diesel's prepared-statement cache.
fn beyond<'a>(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    query: Boxed<'a>,
    sort: StudentSort,
    key: Uuid,
    backward: bool,
) -> AppResult<Boxed<'a>> {
    use students::{created_at, first_name, id, last_name, student_id};
    let (last, first, code, created, row) = visible(scope)
        .filter(students::id.eq(key))
        .select((last_name, first_name, student_id, created_at, id))
        .first::<(String, String, String, DateTime<Utc>, Uuid)>(conn)?;
    // Newest-first runs against time, so it reads towards older rows going forwards.
    Ok(match (sort, backward) {
        (StudentSort::Name, false) => query.filter(last_name.ge(last.clone())).filter(
            last_name.gt(last.clone()).or(last_name.eq(last).and(
                first_name
                    .gt(first.clone())
                    .or(first_name.eq(first).and(id.gt(row))),
            )),
        ),
        (StudentSort::Name, true) => query.filter(last_name.le(last.clone())).filter(
            last_name.lt(last.clone()).or(last_name.eq(last).and(
                first_name
                    .lt(first.clone())
                    .or(first_name.eq(first).and(id.lt(row))),
            )),
        ),
        (StudentSort::StudentId, false) => query.filter(student_id.gt(code)),
        (StudentSort::StudentId, true) => query.filter(student_id.lt(code)),
        (StudentSort::Newest, false) => query
            .filter(created_at.le(created))
            .filter(created_at.lt(created).or(id.lt(row))),
        (StudentSort::Newest, true) => query
            .filter(created_at.ge(created))
            .filter(created_at.gt(created).or(id.gt(row))),
    })
}

/// One page of the filtered list, read by key (see `web::keyset`), and the list's size: exact
/// from the running counts when only the status filters, else a bounded count.
pub fn list(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    filter: &StudentFilter,
    cursor: Cursor,
) -> AppResult<(Vec<StudentRow>, Total)> {
    let mut known_total = None;
    if !filter.search.trim().is_empty() {
        // A search reads its matches once, up to the count bound, and pages them here: one scan
        // of the trigram index per request instead of two (the page and its count).
        let matches: Vec<StudentRow> = matching(scope, filter)
            .select(StudentRow::as_select())
            .limit(COUNT_BOUND + 1)
            .load(conn)?;
        let found = Total::bounded(matches.len() as i64);
        let page = page_of(matches, filter.sort, filter.descending, cursor);
        if let (Total::Exact(n), Some(rows)) = (found, page) {
            return Ok((rows, Total::Exact(n)));
        }
        known_total = Some(found);
    }
    let mut query = matching(scope, filter);
    let reading_back = cursor.backward() != filter.descending;
    if let Some(key) = cursor.key() {
        query = beyond(conn, scope, query, filter.sort, key, reading_back)?;
    }
    let rows = ordered(query, filter.sort, reading_back)
        .select(StudentRow::as_select())
        .limit(cursor.limit())
        .load(conn)?;
    let total = match known_total {
        Some(total) => total,
        None => total(conn, scope, filter)?,
    };
    Ok((rows, total))
}

/// The page of `rows` (every match of a search) for `cursor`, read in the direction of travel
/// like a database page; `None` when the cursor's student is not among them (it changed since).
/// Sorted here by byte order, which is the database's order under the `C.UTF-8` collation.
fn page_of(
    mut rows: Vec<StudentRow>,
    sort: StudentSort,
    descending: bool,
    cursor: Cursor,
) -> Option<Vec<StudentRow>> {
    match sort {
        StudentSort::Name => rows.sort_by(|a, b| {
            (&a.last_name, &a.first_name, a.id).cmp(&(&b.last_name, &b.first_name, b.id))
        }),
        StudentSort::StudentId => rows.sort_by(|a, b| a.student_id.cmp(&b.student_id)),
        StudentSort::Newest => rows.sort_by(|a, b| (b.created_at, b.id).cmp(&(a.created_at, a.id))),
    }
    if descending {
        rows.reverse();
    }
    let at = |id: Uuid| rows.iter().position(|r| r.id == id);
    let (range, backward) = match cursor {
        Cursor::First => (0..rows.len(), false),
        Cursor::After(id) => (at(id)? + 1..rows.len(), false),
        Cursor::Before(id) => (0..at(id)?, true),
        Cursor::Last => (0..rows.len(), true),
    };
    let mut page: Vec<StudentRow> = rows.drain(range).collect();
    if backward {
        page.reverse();
    }
    page.truncate(cursor.limit() as usize);
    Some(page)
}

fn total(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    filter: &StudentFilter,
) -> QueryResult<Total> {
    if filter.search.trim().is_empty() && scope.tutor_id().is_none() {
        let mut counts = scope
            .student_counts()
            .select(student_counts::students)
            .into_boxed();
        if let Some(status) = filter.status {
            counts = counts.filter(student_counts::status.eq(status));
        }
        return Ok(Total::Exact(counts.load::<i64>(conn)?.into_iter().sum()));
    }
    let counted = matching(scope, filter)
        .select(students::id)
        .limit(COUNT_BOUND + 1)
        .load::<Uuid>(conn)?
        .len();
    Ok(Total::bounded(counted as i64))
}

impl Keyed for StudentRow {
    fn key(&self) -> Uuid {
        self.id
    }
}

/// Every student of the filtered list (for the CSV export), in list order.
pub fn all(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    filter: &StudentFilter,
) -> QueryResult<Vec<Student>> {
    ordered(matching(scope, filter), filter.sort, false)
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
        let id: Uuid = students::insert()
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

/// Creates students in the given order with a block of consecutive ids of `year` (one lock on
/// the counter); returns each one's id and student id, in the same order.
pub fn create_many(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    year: i32,
    changes: Vec<StudentChanges>,
) -> QueryResult<Vec<(Uuid, String)>> {
    if changes.is_empty() {
        return Ok(Vec::new());
    }
    let codes = student_code::reserve(conn, year, changes.len())?;
    let created: Vec<(Uuid, String)> = codes
        .into_iter()
        .map(|code| (Uuid::now_v7(), code))
        .collect();
    let rows: Vec<_> = created
        .iter()
        .zip(changes)
        .map(|((id, code), changes)| {
            (
                students::id.eq(*id),
                students::program_id.eq(scope.program_id()),
                students::student_id.eq(code.clone()),
                changes,
            )
        })
        .collect();
    // PostgreSQL takes at most 65,535 parameters per statement.
    for batch in rows.chunks(1000) {
        students::insert().values(batch).execute(conn)?;
    }
    Ok(created)
}

/// The visible students with these ids.
pub fn many(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    ids: &[Uuid],
) -> QueryResult<Vec<Student>> {
    visible(scope)
        .filter(students::id.eq_any(ids))
        .select(Student::as_select())
        .load(conn)
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

#[cfg(test)]
mod tests {
    use super::has_trigram;

    #[test]
    fn only_a_run_of_three_letters_or_digits_has_a_trigram_to_look_up() {
        for (text, expected) in [
            ("ok", false),
            ("a-b-c", false),
            (" o k ", false),
            ("oka", true),
            ("ada ok", true),
            ("0803", true),
            ("Adé", true),
        ] {
            assert_eq!(has_trigram(text), expected, "{text:?}");
        }
    }
}
