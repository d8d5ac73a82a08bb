//! The one read model of an enrollment: what the enrollment list, a student's page and a course's
//! roster show, read by one joined query (`ProgramScope::course_enrollments_named`: the enrollment
//! with its student, course and facility) and completed with the labels of its configuration and
//! its fee as agreed, less its discount.

use std::collections::HashMap;

use bigdecimal::BigDecimal;
use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use super::{AssignmentType, EnrollmentStatus};
use crate::{
    access::ProgramScope,
    db::functions::net_fee,
    error::AppResult,
    fees::{Discount, DiscountKind},
    offerings::{location_label, Choices},
    schema::{
        classes, course_enrollments as e, course_tutors, courses, enrollment_status_changes,
        facilities, students, users,
    },
    web::keyset::Keyed,
};

/// What the joined query reads of one enrollment (`Row::as_select()`).
#[derive(Queryable, Selectable)]
#[diesel(table_name = e, check_for_backend(diesel::pg::Pg))]
pub(super) struct Row {
    id: Uuid,
    student_id: Uuid,
    #[diesel(select_expression = students::student_id)]
    student_code: String,
    #[diesel(select_expression = students::first_name)]
    first_name: String,
    #[diesel(select_expression = students::last_name)]
    last_name: String,
    course_id: Uuid,
    #[diesel(select_expression = courses::name)]
    course: String,
    facility_id: Uuid,
    #[diesel(select_expression = facilities::name)]
    facility: String,
    age_group: String,
    location_type: String,
    session_type: String,
    class_id: Option<Uuid>,
    status: EnrollmentStatus,
    enrollment_date: NaiveDate,
    completion_date: Option<NaiveDate>,
    progress_percentage: i32,
    credits_awarded: i32,
    assignment_type: AssignmentType,
    #[diesel(column_name = assignment_notes)]
    notes: String,
    agreed_fee: BigDecimal,
    discount_kind: DiscountKind,
    discount_value: BigDecimal,
    discount_reason: String,
    #[diesel(select_expression = net_fee(e::agreed_fee, e::discount_kind, e::discount_value))]
    #[diesel(select_expression_type = net_fee<e::agreed_fee, e::discount_kind, e::discount_value>)]
    fee: BigDecimal,
}

pub struct EnrollmentLine {
    pub id: Uuid,
    pub student_id: Uuid,
    /// The student's id as the academy writes it ("SW-00042").
    pub student_code: String,
    pub first_name: String,
    pub last_name: String,
    pub course_id: Uuid,
    pub course: String,
    pub facility_id: Uuid,
    pub facility: String,
    pub age_group: String,
    pub location_type: String,
    pub session_type: String,
    /// The age group's and session type's names (their codes if no longer known).
    pub age_group_label: String,
    pub session_type_label: String,
    /// "Ages 9-12 · Our facility · Private".
    pub configuration: String,
    pub status: EnrollmentStatus,
    pub enrollment_date: NaiveDate,
    pub completion_date: Option<NaiveDate>,
    pub progress_percentage: i32,
    pub credits_awarded: i32,
    pub assignment_type: AssignmentType,
    pub notes: String,
    /// The fee agreed when it was made (the price in force then, unless a newer one was applied).
    pub agreed_fee: BigDecimal,
    pub discount: Discount,
    /// What it costs per billing period: the agreed fee less the discount.
    pub fee: BigDecimal,
    /// The last status change, who made it and when (read for a student's page).
    pub last_change: Option<StatusChange>,
    /// Whether the viewer may record progress here (a tutor only in their own courses).
    pub progress_editable: bool,
    /// The class it is in (or waits for), and that class's name.
    pub class_id: Option<Uuid>,
    pub class_name: Option<String>,
    /// The other classes it could be put in now (read for a student's page, running ones only).
    pub class_options: Vec<crate::classes::ClassLine>,
    /// Its changes of class, newest first (read for a student's page).
    pub class_changes: Vec<super::placing::ClassChange>,
}

impl Keyed for EnrollmentLine {
    fn key(&self) -> Uuid {
        self.id
    }
}

/// Completes the rows in a fixed number of queries, whatever their number: the program's
/// choices for the labels, the classes' names, and (for a tutor) their own courses.
pub(super) fn complete(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    rows: Vec<Row>,
) -> AppResult<Vec<EnrollmentLine>> {
    let choices = Choices::load(conn, scope)?;
    let class_names = class_names(conn, scope, &rows)?;
    let tutored: Option<Vec<Uuid>> = match scope.tutor_id() {
        Some(tutor) => Some(
            scope
                .course_tutors()
                .filter(course_tutors::user_id.eq(tutor))
                .select(course_tutors::course_id)
                .load(conn)?,
        ),
        None => None,
    };
    Ok(rows
        .into_iter()
        .map(|r| EnrollmentLine {
            age_group_label: choices.age_label(&r.age_group),
            session_type_label: choices.session_label(&r.session_type),
            configuration: choices.configuration(&r.age_group, &r.location_type, &r.session_type),
            agreed_fee: r.agreed_fee,
            discount: Discount {
                kind: r.discount_kind,
                value: r.discount_value,
                reason: r.discount_reason,
            },
            fee: r.fee,
            last_change: None,
            class_name: r.class_id.and_then(|c| class_names.get(&c).cloned()),
            class_id: r.class_id,
            class_options: Vec::new(),
            class_changes: Vec::new(),
            progress_editable: tutored
                .as_ref()
                .is_none_or(|mine| mine.contains(&r.course_id)),
            id: r.id,
            student_id: r.student_id,
            student_code: r.student_code,
            first_name: r.first_name,
            last_name: r.last_name,
            course_id: r.course_id,
            course: r.course,
            facility_id: r.facility_id,
            facility: r.facility,
            age_group: r.age_group,
            location_type: r.location_type,
            session_type: r.session_type,
            status: r.status,
            enrollment_date: r.enrollment_date,
            completion_date: r.completion_date,
            progress_percentage: r.progress_percentage,
            credits_awarded: r.credits_awarded,
            assignment_type: r.assignment_type,
            notes: r.notes,
        })
        .collect())
}

/// A student's enrollments across courses and facilities, newest first, each with its last
/// status change.
pub fn of_student(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    student_id: Uuid,
) -> AppResult<Vec<EnrollmentLine>> {
    let rows: Vec<Row> = scope
        .course_enrollments_named()
        .filter(e::student_id.eq(student_id))
        .order((e::enrollment_date.desc(), e::created_at.desc()))
        .select(Row::as_select())
        .load(conn)?;
    let mut lines = complete(conn, scope, rows)?;
    let ids: Vec<Uuid> = lines.iter().map(|l| l.id).collect();
    let mut changes = last_changes(conn, scope, &ids)?;
    let mut moves = super::placing::changes_of(conn, scope, &ids)?;
    let mut options = class_options(conn, scope, &lines)?;
    for line in &mut lines {
        line.last_change = changes.remove(&line.id);
        line.class_changes = moves.remove(&line.id).unwrap_or_default();
        line.class_options = options.remove(&line.id).unwrap_or_default();
    }
    Ok(lines)
}

/// One enrollment of the scope, as the lists show it.
pub fn one(conn: &mut PgConnection, scope: &ProgramScope, id: Uuid) -> AppResult<EnrollmentLine> {
    let rows: Vec<Row> = scope
        .course_enrollments_named()
        .filter(e::id.eq(id))
        .select(Row::as_select())
        .load(conn)?;
    complete(conn, scope, rows)?
        .pop()
        .ok_or(crate::error::AppError::NotFound)
}

/// The names of the classes the rows are in (one query, none when no row is in a class).
fn class_names(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    rows: &[Row],
) -> QueryResult<HashMap<Uuid, String>> {
    let ids: Vec<Uuid> = rows.iter().filter_map(|r| r.class_id).collect();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(scope
        .classes()
        .filter(classes::id.eq_any(ids))
        .select((classes::id, classes::name))
        .load::<(Uuid, String)>(conn)?
        .into_iter()
        .collect())
}

/// For each running enrollment, the active classes of its course, facility and configuration
/// other than its own: where it can be put, or moved (one read of the classes of those courses).
fn class_options(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    lines: &[EnrollmentLine],
) -> AppResult<HashMap<Uuid, Vec<crate::classes::ClassLine>>> {
    let running: Vec<&EnrollmentLine> = lines.iter().filter(|l| l.is_running()).collect();
    if running.is_empty() {
        return Ok(HashMap::new());
    }
    let filter = crate::classes::ListFilter {
        course_ids: Some(running.iter().map(|l| l.course_id).collect()),
        ..Default::default()
    };
    let classes = crate::classes::list(conn, scope, &filter)?;
    Ok(running
        .into_iter()
        .map(|l| {
            let fits = classes.iter().filter(|c| {
                let k = &c.class;
                (
                    k.course_id,
                    k.facility_id,
                    &k.age_group,
                    &k.location_type,
                    &k.session_type,
                ) == (
                    l.course_id,
                    l.facility_id,
                    &l.age_group,
                    &l.location_type,
                    &l.session_type,
                ) && Some(k.id) != l.class_id
            });
            (l.id, fits.cloned().collect())
        })
        .collect())
}

/// The rosters of courses the caller has found visible, by course: running enrollments first,
/// then by student name. A tutor's roster holds only their own courses whatever is asked.
pub fn rosters(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    course_ids: &[Uuid],
) -> AppResult<HashMap<Uuid, Vec<EnrollmentLine>>> {
    let mut query = scope
        .course_enrollments_named()
        .filter(e::course_id.eq_any(course_ids))
        .into_boxed();
    if let Some(tutor) = scope.tutor_id() {
        let mine = scope
            .course_tutors()
            .filter(course_tutors::user_id.eq(tutor))
            .select(course_tutors::course_id);
        query = query.filter(e::course_id.eq_any(mine));
    }
    let rows: Vec<Row> = query.select(Row::as_select()).load(conn)?;
    let mut rosters: HashMap<Uuid, Vec<EnrollmentLine>> = HashMap::new();
    for line in complete(conn, scope, rows)? {
        rosters.entry(line.course_id).or_default().push(line);
    }
    for lines in rosters.values_mut() {
        lines.sort_by_cached_key(|l| (!l.is_running(), l.student_name().to_lowercase()));
    }
    Ok(rosters)
}

pub struct StatusChange {
    pub to: EnrollmentStatus,
    pub by: Option<String>,
    pub at: DateTime<Utc>,
}

impl EnrollmentLine {
    /// "Ada Obi".
    pub fn student_name(&self) -> String {
        format!("{} {}", self.first_name, self.last_name)
    }

    /// "Obi, Ada", as a list sorted by last name shows it.
    pub fn student_sorted_name(&self) -> String {
        format!("{}, {}", self.last_name, self.first_name)
    }

    pub fn location_label(&self) -> &str {
        location_label(&self.location_type)
    }

    /// Active or paused: still changeable.
    pub fn is_running(&self) -> bool {
        self.status.is_running()
    }

    /// The status changes allowed now, as the page offers them.
    pub fn transitions(&self) -> Vec<TransitionButton> {
        let button = |action, label, question, needs_reason| TransitionButton {
            action,
            label,
            question,
            needs_reason,
        };
        let mut out = Vec::new();
        match self.status {
            EnrollmentStatus::Active => out.push(button(
                "pause",
                "Pause",
                "Pause this enrollment? It can be resumed later.",
                false,
            )),
            EnrollmentStatus::Paused => {
                out.push(button("resume", "Resume", "Resume this enrollment?", false))
            }
            EnrollmentStatus::Waitlisted => {
                out.push(button(
                    "withdraw",
                    "Leave the waitlist",
                    "Take this student off the class's waitlist? This is final.",
                    true,
                ));
                return out;
            }
            _ => return out,
        }
        out.push(button(
            "complete",
            "Complete",
            "Complete this enrollment? Progress becomes 100% and it cannot be reopened.",
            false,
        ));
        out.push(button(
            "withdraw",
            "Withdraw",
            "Withdraw from this course? This is final.",
            true,
        ));
        out
    }
}

pub struct TransitionButton {
    pub action: &'static str,
    pub label: &'static str,
    pub question: &'static str,
    pub needs_reason: bool,
}

/// The latest status change of each enrollment, with who made it (one query).
fn last_changes(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    ids: &[Uuid],
) -> AppResult<HashMap<Uuid, StatusChange>> {
    use enrollment_status_changes as c;
    let rows: Vec<(Uuid, EnrollmentStatus, Option<String>, DateTime<Utc>)> = scope
        .enrollment_status_changes()
        .left_join(users::table)
        .filter(c::enrollment_id.eq_any(ids))
        .order((c::enrollment_id, c::created_at.desc()))
        .distinct_on(c::enrollment_id)
        .select((
            c::enrollment_id,
            c::to_status,
            users::username.nullable(),
            c::created_at,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, to, by, at)| (id, StatusChange { to, by, at }))
        .collect())
}
