//! `ProgramScope`: the one way into program-scoped tables.
//!
//! Only the gate (for a request) and the command line (for demo data) can build one; its fields
//! are private. Every program-scoped query starts from one of its table methods, which already
//! filter by the program, so an id of another program is simply "not found". The test
//! `scoping::program_tables_are_only_reached_through_the_scope` fails if code reaches a
//! program-scoped table any other way.

use std::future::{ready, Ready};

use actix_web::{dev::Payload, FromRequest, HttpMessage, HttpRequest};
use diesel::{dsl, prelude::*};
use uuid::Uuid;

use super::Role;
use crate::{error::AppError, schema::*};

#[derive(Debug, Clone)]
pub struct ProgramScope {
    program_id: Uuid,
    program_name: String,
    /// Who acts: user id and role.
    actor: Option<(Uuid, Role)>,
}

impl ProgramScope {
    pub(super) fn for_request(
        program_id: Uuid,
        program_name: String,
        user_id: Uuid,
        role: Role,
    ) -> Self {
        Self {
            program_id,
            program_name,
            actor: Some((user_id, role)),
        }
    }

    pub fn program_id(&self) -> Uuid {
        self.program_id
    }

    pub fn program_name(&self) -> &str {
        &self.program_name
    }

    pub fn actor_id(&self) -> Option<Uuid> {
        self.actor.map(|(id, _)| id)
    }

    /// The role of who acts (`None` for the command line).
    pub fn actor_role(&self) -> Option<Role> {
        self.actor.map(|(_, role)| role)
    }

    /// The tutor whose view is limited to their own courses, if the actor is one.
    pub fn tutor_id(&self) -> Option<Uuid> {
        self.actor
            .filter(|(_, role)| *role == Role::Tutor)
            .map(|(id, _)| id)
    }
}

macro_rules! scoped_tables {
    ($($table:ident),+ $(,)?) => {
        impl ProgramScope {
            $(
                #[doc = concat!("`", stringify!($table), "` rows of this program only.")]
                pub fn $table(&self) -> dsl::Filter<$table::table, dsl::Eq<$table::program_id, Uuid>> {
                    $table::table.filter($table::program_id.eq(self.program_id))
                }
            )+
        }

        /// Every table with a `program_id`: reached only through the methods above.
        pub const PROGRAM_SCOPED_TABLES: &[&str] = &[$(stringify!($table)),+];
    };
}

scoped_tables!(
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
    student_counts,
    enrollment_counts,
);

/// The program's enrollments joined with their student, course and facility (the composite
/// foreign keys keep all four in one program), for lists that sort by those names.
#[dsl::auto_type]
pub fn enrollments_named_in(program: Uuid) -> _ {
    course_enrollments::table
        .inner_join(students::table.on(students::id.eq(course_enrollments::student_id)))
        .inner_join(courses::table.on(courses::id.eq(course_enrollments::course_id)))
        .inner_join(facilities::table.on(facilities::id.eq(course_enrollments::facility_id)))
        .filter(course_enrollments::program_id.eq(program))
}

impl ProgramScope {
    /// `course_enrollments` of this program with their student, course and facility rows.
    pub fn course_enrollments_named(&self) -> enrollments_named_in {
        enrollments_named_in(self.program_id)
    }
}

impl FromRequest for ProgramScope {
    type Error = AppError;
    type Future = Ready<Result<Self, AppError>>;
    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(
            req.extensions()
                .get::<ProgramScope>()
                .cloned()
                .ok_or_else(|| {
                    AppError::internal(
                        "ProgramScope requested on a route without a program-scoped permission",
                    )
                }),
        )
    }
}
