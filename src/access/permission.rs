//! The permission table of docs/decisions.md, in one place. Routes name the permission they need in
//! `routes.rs`; the gate checks it before any handler runs.

use super::Role;

/// Something a user does. Program-scoped actions are also checked against the user's programs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// Academy section: create, edit, archive and delete programs.
    ManagePrograms,
    /// Academy section: every user of every role.
    ManageAllUsers,
    /// The program dashboard with its figures.
    ViewDashboard,
    /// A tutor's own courses, their curricula and rosters.
    ViewMyCourses,
    /// Age groups and session types of the program.
    ManageReferenceData,
    /// The program's team: assign and unassign coordinators and tutors, create such users.
    ManageTeam,
    /// Courses and their curriculum trees (tutors only see their own courses).
    ViewCatalogue,
    /// Courses themselves: create, edit, archive, delete.
    EditCatalogue,
    /// The curriculum tree of the program's courses: curricula, modules, lessons, their order.
    /// Coordinators have it too (the system this one replaces gave them "curriculum access").
    EditCurricula,
    AssignTutors,
    ViewFacilities,
    EditFacilities,
    ViewPricing,
    EditPricing,
    /// Students of the program (tutors only see students enrolled in their courses).
    ViewStudents,
    EditStudents,
    /// Enroll, pause, resume, complete, withdraw.
    ManageEnrollments,
    /// Progress and credits of an enrollment (tutors only in their own courses).
    RecordProgress,
    ExportData,
    /// The timetable: the week calendar, classes and their sessions (tutors: the sessions they teach).
    ViewTimetable,
    /// Classes, their sessions (cancel, move, substitute) and the program's closure dates.
    ManageTimetable,
    /// Marking attendance and the lessons a session covered (tutors: their own sessions, from 30
    /// minutes before the start to 7 days after).
    TakeAttendance,
    /// The program's billing period and terms; later invoice runs, voiding, credit notes and
    /// refunds (docs/decisions.md, "Fees").
    ManageBilling,
    /// What families pay: enrollments' fees and discounts, applying a new price, balances,
    /// payments, receipts and statements. Tutors never see money.
    ManageFees,
    /// A record's History panel: who changed what and when. Tutors see none.
    ViewHistory,
    /// The program's activity page: every change of the program, by person, record and day; CSV.
    ViewActivity,
    /// Guardians: their pages and search (tutors: the guardians of their own courses' students,
    /// to call them).
    ViewGuardians,
    /// Add and edit guardians, link children and what each guardian does for them.
    EditGuardians,
    /// Import students and their guardians from a CSV file.
    ImportStudents,
}

impl Action {
    pub const ALL: &'static [Action] = &[
        Action::ManagePrograms,
        Action::ManageAllUsers,
        Action::ViewDashboard,
        Action::ViewMyCourses,
        Action::ManageReferenceData,
        Action::ManageTeam,
        Action::ViewCatalogue,
        Action::EditCatalogue,
        Action::EditCurricula,
        Action::AssignTutors,
        Action::ViewFacilities,
        Action::EditFacilities,
        Action::ViewPricing,
        Action::EditPricing,
        Action::ViewStudents,
        Action::EditStudents,
        Action::ManageEnrollments,
        Action::RecordProgress,
        Action::ExportData,
        Action::ViewTimetable,
        Action::ManageTimetable,
        Action::TakeAttendance,
        Action::ManageBilling,
        Action::ManageFees,
        Action::ViewHistory,
        Action::ViewActivity,
        Action::ViewGuardians,
        Action::EditGuardians,
        Action::ImportStudents,
    ];

    /// Whether the action happens inside one program (and so needs a `ProgramScope`).
    pub fn is_program_scoped(self) -> bool {
        !matches!(self, Action::ManagePrograms | Action::ManageAllUsers)
    }
}

/// Whether `role` may perform `action` at all. Row-level limits (a tutor's own courses) are applied
/// by the queries of the feature, on top of this.
pub fn allows(role: Role, action: Action) -> bool {
    use Action::*;
    match role {
        Role::SuperAdmin => action != ViewMyCourses,
        Role::ProgramAdmin => !matches!(action, ManagePrograms | ManageAllUsers | ViewMyCourses),
        Role::ProgramCoordinator => matches!(
            action,
            ViewDashboard
                | ViewCatalogue
                | EditCurricula
                | ViewFacilities
                | ViewPricing
                | ViewStudents
                | EditStudents
                | ManageEnrollments
                | RecordProgress
                | ExportData
                | ViewTimetable
                | ManageTimetable
                | TakeAttendance
                | ManageFees
                | ViewHistory
                | ViewGuardians
                | EditGuardians
                | ImportStudents
        ),
        // Tutors never see money, prices included (docs/decisions.md, section 1); everything
        // else of theirs is row-limited.
        Role::Tutor => matches!(
            action,
            ViewMyCourses
                | ViewCatalogue
                | ViewFacilities
                | ViewStudents
                | RecordProgress
                | ViewTimetable
                | TakeAttendance
                | ViewGuardians
        ),
    }
}

/// What a route requires before its handler runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    /// Anyone, signed in or not (login page, health check, static files).
    Public,
    /// Any signed-in, active user (logout, program switch, own account).
    SignedIn,
    /// A signed-in user whose role allows the action; program-scoped actions also need a program.
    Act(Action),
}
