//! The database's tables as the app may use them: the one place that enforces program scoping,
//! by what the compiler lets code name.
//!
//! `generated.rs` is `diesel print-schema`'s output and private to this module. A table of no
//! program (users, programs, sessions...) is handed out whole. A program-scoped table (one with a
//! `program_id`) is handed out without its `table`: its columns, to filter and select with, and
//! `insert()` (a new row takes its `program_id` from the scope, and the composite foreign keys
//! check it). Reading, updating or deleting its rows starts from `ProgramScope`'s method of the
//! same name, which filters by the program; there is no other way to write `FROM courses`,
//! whatever alias is used. Code that works across programs by nature (the gate, demo data, a
//! program's usage, a user's assignments, tests) uses `across_programs`; `tests/scoping.rs` names
//! the files allowed to, and fails when a table with a `program_id` is not listed below.

mod generated;

use diesel::prelude::*;
use uuid::Uuid;

pub use generated::sql_types;
pub use generated::{
    form_submissions, http_sessions, login_failures, programs, student_id_counters, users,
};

use crate::access::ProgramScope;

macro_rules! program_scoped {
    ($($table:ident),+ $(,)?) => {
        $(
            #[doc = concat!("`", stringify!($table), "`: its columns and `insert()`; its rows through `ProgramScope::", stringify!($table), "`.")]
            pub mod $table {
                pub use super::generated::$table::columns::*;
                pub use super::generated::$table::{all_columns, BoxedQuery, SqlType};

                /// `INSERT INTO` this table; the row's `program_id` comes from the scope.
                pub fn insert() -> diesel::query_builder::IncompleteInsertStatement<super::generated::$table::table> {
                    diesel::insert_into(super::generated::$table::table)
                }
            }
        )+

        impl ProgramScope {
            $(
                #[doc = concat!("`", stringify!($table), "` rows of this program only.")]
                pub fn $table(&self) -> diesel::dsl::Filter<generated::$table::table, diesel::dsl::Eq<generated::$table::program_id, Uuid>> {
                    generated::$table::table.filter(generated::$table::program_id.eq(self.program_id()))
                }
            )+
        }

        /// Every table with a `program_id`.
        pub const PROGRAM_SCOPED_TABLES: &[&str] = &[$(stringify!($table)),+];
    };
}

program_scoped!(
    age_groups,
    session_types,
    user_program_assignments,
    courses,
    course_age_groups,
    course_location_types,
    course_session_types,
    course_tutors,
    curricula,
    modules,
    lessons,
    facilities,
    facility_course_pricing,
    students,
    course_enrollments,
    enrollment_status_changes,
    enrollment_class_changes,
    enrollment_fee_changes,
    invoice_counters,
    invoices,
    invoice_lines,
    invoice_runs,
    outstanding_by_due,
    money_by_month,
    charges,
    receipt_counters,
    payments,
    payment_allocations,
    student_counts,
    enrollment_counts,
    program_closures,
    classes,
    class_times,
    class_sessions,
    attendance,
    attendance_changes,
    session_lessons,
    lesson_credits,
    lesson_credit_changes,
    makeups,
    billing_terms,
    history,
    guardians,
    student_guardians,
    imports,
);

/// The program's enrollments joined with their student, course and facility (the composite
/// foreign keys keep all four in one program), for lists that sort by those names.
#[diesel::dsl::auto_type]
pub fn enrollments_named_in(program: Uuid) -> _ {
    generated::course_enrollments::table
        .inner_join(
            generated::students::table
                .on(generated::students::id.eq(generated::course_enrollments::student_id)),
        )
        .inner_join(
            generated::courses::table
                .on(generated::courses::id.eq(generated::course_enrollments::course_id)),
        )
        .inner_join(
            generated::facilities::table
                .on(generated::facilities::id.eq(generated::course_enrollments::facility_id)),
        )
        .filter(generated::course_enrollments::program_id.eq(program))
}

impl ProgramScope {
    /// `course_enrollments` of this program with their student, course and facility rows.
    pub fn course_enrollments_named(&self) -> enrollments_named_in {
        enrollments_named_in(self.program_id())
    }
}

/// The program's classes joined with their course, facility and tutor (the composite foreign keys
/// keep all of them in one program).
#[diesel::dsl::auto_type]
pub fn classes_named_in(program: Uuid) -> _ {
    generated::classes::table
        .inner_join(
            generated::courses::table.on(generated::courses::id.eq(generated::classes::course_id)),
        )
        .inner_join(
            generated::facilities::table
                .on(generated::facilities::id.eq(generated::classes::facility_id)),
        )
        .inner_join(
            generated::users::table.on(generated::users::id.eq(generated::classes::tutor_id)),
        )
        .filter(generated::classes::program_id.eq(program))
}

/// The program's sessions joined with their class, its course and facility, and who teaches the
/// session (the class's tutor or a substitute).
#[diesel::dsl::auto_type]
pub fn sessions_named_in(program: Uuid) -> _ {
    generated::class_sessions::table
        .inner_join(
            generated::classes::table
                .on(generated::classes::id.eq(generated::class_sessions::class_id)),
        )
        .inner_join(
            generated::courses::table.on(generated::courses::id.eq(generated::classes::course_id)),
        )
        .inner_join(
            generated::facilities::table
                .on(generated::facilities::id.eq(generated::classes::facility_id)),
        )
        .inner_join(
            generated::users::table
                .on(generated::users::id.eq(generated::class_sessions::tutor_id)),
        )
        .filter(generated::class_sessions::program_id.eq(program))
}

impl ProgramScope {
    /// `classes` of this program with their course, facility and tutor rows.
    pub fn classes_named(&self) -> classes_named_in {
        classes_named_in(self.program_id())
    }

    /// `class_sessions` of this program with their class, course, facility and tutor rows.
    pub fn sessions_named(&self) -> sessions_named_in {
        sessions_named_in(self.program_id())
    }
}

/// Every table whole, across programs. Only for code that works across programs by nature;
/// `tests/scoping.rs` names the files allowed to use it.
pub mod across_programs {
    pub use super::generated::*;
}
