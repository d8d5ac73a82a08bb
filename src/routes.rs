//! Every route of the app, in one table: method, path, the permission it needs, its handler.
//! `configure` registers them behind the gate; tests sweep `ROUTES` with every role and with ids
//! of another program, so a route joins those checks by being declared here.

use actix_web::{http::Method, middleware::from_fn, web};

use crate::access::{gate, Action::*, Permission, Permission::*, ProgramScope};
use crate::reference_data::{AgeGroup, SessionType};
use crate::users::handlers::Academy;

#[derive(Debug, Clone, Copy)]
pub struct RouteSpec {
    pub method: &'static str,
    pub path: &'static str,
    pub permission: Permission,
}

macro_rules! route_table {
    ($($method:ident $path:literal => $handler:path, $permission:expr;)+) => {
        pub const ROUTES: &[RouteSpec] = &[
            $(RouteSpec { method: stringify!($method), path: $path, permission: $permission }),+
        ];

        pub fn configure(cfg: &mut web::ServiceConfig) {
            $(
                cfg.route(
                    $path,
                    web::method(Method::$method).to($handler).wrap(from_fn(
                        |req, next| gate::check($permission, req, next),
                    )),
                );
            )+
        }
    };
}

route_table! {
    GET  "/healthz"            => crate::web::health::check,              Public;
    GET  "/static/{file}"      => crate::web::static_files::serve,        Public;
    GET  "/login"              => crate::auth::login::form,               Public;
    POST "/login"              => crate::auth::login::submit,             Public;
    POST "/logout"             => crate::auth::logout::submit,            SignedIn;
    GET  "/"                   => crate::dashboard::home,                 SignedIn;
    POST "/program-context"    => crate::programs::switch::submit,        SignedIn;
    GET  "/dashboard"          => crate::dashboard::show,                 Act(ViewDashboard);
    GET  "/my-courses"         => crate::courses::mine::list,             Act(ViewMyCourses);
    GET  "/students"           => crate::students::handlers::list,        Act(ViewStudents);
    GET  "/students/export.csv" => crate::students::export::students_csv, Act(ExportData);
    GET  "/students/new"       => crate::students::handlers::new,         Act(EditStudents);
    POST "/students"           => crate::students::handlers::create,      Act(EditStudents);
    GET  "/students/import"    => crate::imports::handlers::new,          Act(ImportStudents);
    POST "/students/import"    => crate::imports::handlers::upload,       Act(ImportStudents);
    GET  "/students/import/template.csv" => crate::imports::handlers::template, Act(ImportStudents);
    GET  "/students/import/{import_id}" => crate::imports::preview_handlers::show, Act(ImportStudents);
    GET  "/students/import/{import_id}/columns" => crate::imports::handlers::columns, Act(ImportStudents);
    POST "/students/import/{import_id}/columns" => crate::imports::handlers::save_columns, Act(ImportStudents);
    GET  "/students/import/{import_id}/row" => crate::imports::preview_handlers::row, Act(ImportStudents);
    POST "/students/import/{import_id}/row" => crate::imports::preview_handlers::fix_row, Act(ImportStudents);
    POST "/students/import/{import_id}/confirm" => crate::imports::preview_handlers::confirm, Act(ImportStudents);
    GET  "/students/{student_id}" => crate::students::handlers::show,     Act(ViewStudents);
    GET  "/students/{student_id}/edit" => crate::students::handlers::edit, Act(EditStudents);
    POST "/students/{student_id}" => crate::students::handlers::update,   Act(EditStudents);
    POST "/students/{student_id}/status" => crate::students::handlers::set_status, Act(EditStudents);
    GET  "/enrollments"        => crate::enrollments::list::list,         Act(ManageEnrollments);
    GET  "/enrollments/export.csv" => crate::enrollments::list::export,   Act(ExportData);
    GET  "/enrollments/bulk"   => crate::enrollments::bulk::page,         Act(ManageEnrollments);
    GET  "/enrollments/bulk/form" => crate::enrollments::bulk::refresh,   Act(ManageEnrollments);
    POST "/enrollments/bulk"   => crate::enrollments::bulk::submit,       Act(ManageEnrollments);
    GET  "/enrollments/new"    => crate::enrollments::handlers::new,      Act(ManageEnrollments);
    GET  "/enrollments/form"   => crate::enrollments::handlers::refresh,  Act(ManageEnrollments);
    GET  "/enrollments/students" => crate::enrollments::handlers::students, Act(ManageEnrollments);
    POST "/enrollments"        => crate::enrollments::handlers::create,   Act(ManageEnrollments);
    POST "/enrollments/{enrollment_id}/status" => crate::enrollments::handlers::change_status, Act(ManageEnrollments);
    POST "/enrollments/{enrollment_id}/class" => crate::enrollments::handlers::change_class, Act(ManageEnrollments);
    POST "/enrollments/{enrollment_id}/progress" => crate::enrollments::handlers::record_progress, Act(RecordProgress);
    GET  "/calendar"           => crate::calendar::handlers::week,        Act(ViewTimetable);
    GET  "/calendar/print"     => crate::calendar::handlers::print,       Act(ViewTimetable);
    GET  "/classes"            => crate::classes::handlers::list,         Act(ViewTimetable);
    GET  "/classes/new"        => crate::classes::handlers::new_form,     Act(ManageTimetable);
    POST "/classes"            => crate::classes::handlers::create,       Act(ManageTimetable);
    GET  "/classes/{class_id}" => crate::classes::handlers::show,         Act(ViewTimetable);
    GET  "/classes/{class_id}/edit" => crate::classes::handlers::edit_form, Act(ManageTimetable);
    POST "/classes/{class_id}/edit" => crate::classes::handlers::update,  Act(ManageTimetable);
    POST "/classes/{class_id}/archive" => crate::classes::handlers::archive, Act(ManageTimetable);
    POST "/classes/{class_id}/restore" => crate::classes::handlers::restore, Act(ManageTimetable);
    POST "/classes/{class_id}/delete" => crate::classes::handlers::delete, Act(ManageTimetable);
    GET  "/sessions/{session_id}" => crate::classes::session_handlers::show, Act(ViewTimetable);
    POST "/sessions/{session_id}/cancel" => crate::classes::session_handlers::cancel, Act(ManageTimetable);
    POST "/sessions/{session_id}/move" => crate::classes::session_handlers::reschedule, Act(ManageTimetable);
    POST "/sessions/{session_id}/substitute" => crate::classes::session_handlers::substitute, Act(ManageTimetable);
    GET  "/today"              => crate::attendance::handlers::today,     Act(TakeAttendance);
    POST "/sessions/{session_id}/attendance" => crate::attendance::handlers::mark, Act(TakeAttendance);
    POST "/sessions/{session_id}/attendance/all" => crate::attendance::handlers::all_present, Act(TakeAttendance);
    GET  "/classes/{class_id}/attendance" => crate::attendance::handlers::grid, Act(ViewTimetable);
    GET  "/classes/{class_id}/attendance.csv" => crate::attendance::handlers::grid_csv, Act(ExportData);
    GET  "/attendance/absent"  => crate::attendance::handlers::absent,    Act(ManageEnrollments);
    GET  "/makeups/new"        => crate::attendance::handlers::new_makeup, Act(ManageEnrollments);
    POST "/makeups"            => crate::attendance::handlers::book_makeup, Act(ManageEnrollments);
    POST "/sessions/{session_id}/lessons" => crate::attendance::handlers::cover, Act(TakeAttendance);
    POST "/enrollments/{enrollment_id}/lessons" => crate::attendance::handlers::credit, Act(ManageEnrollments);
    GET  "/closures"           => crate::closures::handlers::list,        Act(ManageTimetable);
    POST "/closures"           => crate::closures::handlers::create,      Act(ManageTimetable);
    POST "/closures/{closure_id}/delete" => crate::closures::handlers::delete, Act(ManageTimetable);
    GET  "/billing"            => crate::billing::handlers::show,         Act(ManageBilling);
    POST "/billing/period"     => crate::billing::handlers::set_period,   Act(ManageBilling);
    POST "/billing/terms"      => crate::billing::handlers::create_term,  Act(ManageBilling);
    POST "/billing/terms/{term_id}/delete" => crate::billing::handlers::delete_term, Act(ManageBilling);
    GET  "/enrollments/{enrollment_id}/fee"       => crate::fees::handlers::show,         Act(ManageFees);
    POST "/enrollments/{enrollment_id}/discount"  => crate::fees::handlers::set_discount, Act(ManageFees);
    POST "/enrollments/{enrollment_id}/fee/price" => crate::fees::handlers::apply_price,  Act(ManageFees);
    GET  "/fees/new-prices"                       => crate::fees::handlers::new_prices,   Act(ManageFees);
    GET  "/invoices"                              => crate::invoices::handlers::list,     Act(ManageFees);
    GET  "/fees/balances"                         => crate::balances::handlers::list,     Act(ManageFees);
    GET  "/fees/balances.csv"                     => crate::balances::handlers::export,   Act(ManageFees);
    GET  "/invoices/generate"                     => crate::invoices::handlers::preview,  Act(ManageBilling);
    POST "/invoices/generate"                     => crate::invoices::handlers::generate, Act(ManageBilling);
    GET  "/invoices/runs/{run_id}"                => crate::invoices::handlers::run,      Act(ManageBilling);
    // Before "/invoices/{invoice_id}/...": "drafts" is not an invoice id.
    POST "/invoices/drafts/issue"                 => crate::invoices::draft_handlers::issue, Act(ManageBilling);
    POST "/invoices/drafts/discard"               => crate::invoices::draft_handlers::discard_period, Act(ManageBilling);
    GET  "/invoices/{invoice_id}"                 => crate::invoices::handlers::show,     Act(ManageFees);
    GET  "/guardians"                             => crate::guardians::handlers::list,     Act(ViewGuardians);
    GET  "/guardians/new"                         => crate::guardians::handlers::new,      Act(EditGuardians);
    POST "/guardians"                             => crate::guardians::handlers::create,   Act(EditGuardians);
    GET  "/guardians/{guardian_id}"               => crate::guardians::handlers::show,     Act(ViewGuardians);
    GET  "/guardians/{guardian_id}/edit"          => crate::guardians::handlers::edit,     Act(EditGuardians);
    POST "/guardians/{guardian_id}"               => crate::guardians::handlers::update,   Act(EditGuardians);
    POST "/guardians/{guardian_id}/children"      => crate::guardians::handlers::add_child, Act(EditGuardians);
    POST "/guardians/{guardian_id}/children/{student_id}" => crate::guardians::handlers::set_flags, Act(EditGuardians);
    POST "/guardians/{guardian_id}/children/{student_id}/remove" => crate::guardians::handlers::remove_child, Act(EditGuardians);
    GET  "/guardians/{guardian_id}/history"       => crate::history::handlers::guardian,   Act(ViewHistory);
    GET  "/activity"                              => crate::history::activity_handlers::list,   Act(ViewActivity);
    GET  "/activity.csv"                          => crate::history::activity_handlers::export, Act(ViewActivity);
    GET  "/invoices/{invoice_id}/history"         => crate::history::handlers::invoice,   Act(ViewHistory);
    GET  "/students/{student_id}/history"         => crate::history::handlers::student,   Act(ViewHistory);
    GET  "/enrollments/{enrollment_id}/history"   => crate::history::handlers::enrollment, Act(ViewHistory);
    GET  "/classes/{class_id}/history"            => crate::history::handlers::class,     Act(ViewHistory);
    GET  "/courses/{course_id}/history"           => crate::history::handlers::course,    Act(ViewHistory);
    GET  "/facilities/{facility_id}/history"      => crate::history::handlers::facility,  Act(ViewHistory);
    POST "/invoices/{invoice_id}/void"            => crate::invoices::handlers::void,     Act(ManageBilling);
    POST "/invoices/{invoice_id}/credit-note"     => crate::invoices::handlers::credit_note, Act(ManageBilling);
    POST "/invoices/{invoice_id}/discard"         => crate::invoices::draft_handlers::discard, Act(ManageBilling);
    GET  "/students/{student_id}/payments/new"    => crate::payments::handlers::new,      Act(ManageFees);
    POST "/students/{student_id}/payments"        => crate::payments::handlers::create,   Act(ManageFees);
    GET  "/students/{student_id}/charges/new"     => crate::charges::handlers::new,       Act(ManageFees);
    POST "/students/{student_id}/charges"         => crate::charges::handlers::create,    Act(ManageFees);
    POST "/charges/{charge_id}/delete"            => crate::charges::handlers::remove,    Act(ManageFees);
    GET  "/payments/{payment_id}"                 => crate::payments::handlers::receipt,  Act(ManageFees);
    POST "/payments/{payment_id}/refund"          => crate::payments::handlers::refund,   Act(ManageBilling);
    GET  "/students/{student_id}/statement"       => crate::payments::handlers::statement, Act(ManageFees);
    GET  "/fees/new-prices/preview"               => crate::fees::handlers::preview,      Act(ManageFees);
    POST "/fees/new-prices/apply"                 => crate::fees::handlers::apply_new_price, Act(ManageFees);
    GET  "/account"            => crate::account::handlers::show,                   SignedIn;
    POST "/account/password"   => crate::account::handlers::change_password,        SignedIn;

    // Academy section (super admins): programs.
    GET  "/programs"                      => crate::programs::handlers::list,    Act(ManagePrograms);
    GET  "/programs/new"                  => crate::programs::handlers::new,     Act(ManagePrograms);
    POST "/programs/new"                  => crate::programs::handlers::create,  Act(ManagePrograms);
    GET  "/programs/{program_id}/edit"    => crate::programs::handlers::edit,    Act(ManagePrograms);
    POST "/programs/{program_id}/edit"    => crate::programs::handlers::update,  Act(ManagePrograms);
    POST "/programs/{program_id}/archive" => crate::programs::handlers::archive, Act(ManagePrograms);
    POST "/programs/{program_id}/restore" => crate::programs::handlers::restore, Act(ManagePrograms);
    POST "/programs/{program_id}/delete"  => crate::programs::handlers::delete,  Act(ManagePrograms);

    // Academy section (super admins): every account of the academy. The team's account pages are
    // the same handlers: `::<Academy>` reaches every account, `::<ProgramScope>` the team's.
    GET  "/users"                                        => crate::users::handlers::list,                  Act(ManageAllUsers);
    GET  "/users/new"                                    => crate::users::handlers::new::<Academy>,        Act(ManageAllUsers);
    POST "/users/new"                                    => crate::users::handlers::create::<Academy>,     Act(ManageAllUsers);
    GET  "/users/{user_id}/edit"                         => crate::users::handlers::edit::<Academy>,       Act(ManageAllUsers);
    POST "/users/{user_id}/edit"                         => crate::users::handlers::update::<Academy>,     Act(ManageAllUsers);
    POST "/users/{user_id}/password"                     => crate::users::handlers::password::<Academy>,   Act(ManageAllUsers);
    POST "/users/{user_id}/activate"                     => crate::users::handlers::activate::<Academy>,   Act(ManageAllUsers);
    POST "/users/{user_id}/deactivate"                   => crate::users::handlers::deactivate::<Academy>, Act(ManageAllUsers);
    POST "/users/{user_id}/programs"                     => crate::users::handlers::assign,                Act(ManageAllUsers);
    POST "/users/{user_id}/programs/{program_id}/delete" => crate::users::handlers::unassign,              Act(ManageAllUsers);

    // A program's reference data (program admins, in their programs).
    GET  "/reference-data"                                          => crate::reference_data::handlers::show,                  Act(ManageReferenceData);
    POST "/reference-data/age-groups"                               => crate::reference_data::handlers::create::<AgeGroup>,    Act(ManageReferenceData);
    GET  "/reference-data/age-groups/{age_group_id}"                => crate::reference_data::handlers::edit::<AgeGroup>,      Act(ManageReferenceData);
    POST "/reference-data/age-groups/{age_group_id}"                => crate::reference_data::handlers::update::<AgeGroup>,    Act(ManageReferenceData);
    POST "/reference-data/age-groups/{age_group_id}/delete"         => crate::reference_data::handlers::delete::<AgeGroup>,    Act(ManageReferenceData);
    POST "/reference-data/session-types"                            => crate::reference_data::handlers::create::<SessionType>, Act(ManageReferenceData);
    GET  "/reference-data/session-types/{session_type_id}"          => crate::reference_data::handlers::edit::<SessionType>,   Act(ManageReferenceData);
    POST "/reference-data/session-types/{session_type_id}"          => crate::reference_data::handlers::update::<SessionType>, Act(ManageReferenceData);
    POST "/reference-data/session-types/{session_type_id}/delete"   => crate::reference_data::handlers::delete::<SessionType>, Act(ManageReferenceData);

    // A program's team (program admins, in their programs): coordinators and tutors.
    GET  "/team"                                  => crate::users::team::handlers::show,                                  Act(ManageTeam);
    POST "/team/assignments"                      => crate::users::team::handlers::assign,                                Act(ManageTeam);
    POST "/team/assignments/{user_id}/delete"     => crate::users::team::handlers::unassign,                              Act(ManageTeam);
    GET  "/team/users/new"                        => crate::users::handlers::new::<ProgramScope>,        Act(ManageTeam);
    POST "/team/users/new"                        => crate::users::handlers::create::<ProgramScope>,     Act(ManageTeam);
    GET  "/team/users/{user_id}/edit"             => crate::users::handlers::edit::<ProgramScope>,       Act(ManageTeam);
    POST "/team/users/{user_id}/edit"             => crate::users::handlers::update::<ProgramScope>,     Act(ManageTeam);
    POST "/team/users/{user_id}/password"         => crate::users::handlers::password::<ProgramScope>,   Act(ManageTeam);
    POST "/team/users/{user_id}/activate"         => crate::users::handlers::activate::<ProgramScope>,   Act(ManageTeam);
    POST "/team/users/{user_id}/deactivate"       => crate::users::handlers::deactivate::<ProgramScope>, Act(ManageTeam);
    GET  "/courses"                                  => crate::courses::handlers::list,             Act(ViewCatalogue);
    GET  "/courses/new"                              => crate::courses::handlers::new_form,         Act(EditCatalogue);
    POST "/courses"                                  => crate::courses::handlers::create,           Act(EditCatalogue);
    GET  "/courses/{course_id}"                      => crate::courses::handlers::show,             Act(ViewCatalogue);
    GET  "/courses/{course_id}/edit"                 => crate::courses::handlers::edit_form,        Act(EditCatalogue);
    POST "/courses/{course_id}/edit"                 => crate::courses::handlers::update,           Act(EditCatalogue);
    POST "/courses/{course_id}/archive"              => crate::courses::handlers::archive,          Act(EditCatalogue);
    POST "/courses/{course_id}/restore"              => crate::courses::handlers::restore,          Act(EditCatalogue);
    POST "/courses/{course_id}/delete"               => crate::courses::handlers::delete,           Act(EditCatalogue);
    POST "/courses/{course_id}/tutors"               => crate::courses::tutor_handlers::assign,             Act(AssignTutors);
    POST "/courses/{course_id}/tutors/{user_id}/delete" => crate::courses::tutor_handlers::unassign,        Act(AssignTutors);
    GET  "/courses/{course_id}/curricula/new"        => crate::curricula::handlers::new_curriculum,    Act(EditCurricula);
    POST "/courses/{course_id}/curricula"            => crate::curricula::handlers::create_curriculum, Act(EditCurricula);
    GET  "/curricula/{curriculum_id}/edit"           => crate::curricula::handlers::edit_curriculum,   Act(EditCurricula);
    POST "/curricula/{curriculum_id}/edit"           => crate::curricula::handlers::update_curriculum, Act(EditCurricula);
    POST "/curricula/{curriculum_id}/delete"         => crate::curricula::handlers::delete_curriculum, Act(EditCurricula);
    POST "/curricula/{curriculum_id}/move"           => crate::curricula::handlers::move_curriculum,   Act(EditCurricula);
    GET  "/curricula/{curriculum_id}/modules/new"    => crate::curricula::handlers::new_module,        Act(EditCurricula);
    POST "/curricula/{curriculum_id}/modules"        => crate::curricula::handlers::create_module,     Act(EditCurricula);
    GET  "/modules/{module_id}/edit"                 => crate::curricula::handlers::edit_module,       Act(EditCurricula);
    POST "/modules/{module_id}/edit"                 => crate::curricula::handlers::update_module,     Act(EditCurricula);
    POST "/modules/{module_id}/delete"               => crate::curricula::handlers::delete_module,     Act(EditCurricula);
    POST "/modules/{module_id}/move"                 => crate::curricula::handlers::move_module,       Act(EditCurricula);
    GET  "/modules/{module_id}/lessons/new"          => crate::curricula::handlers::new_lesson,        Act(EditCurricula);
    POST "/modules/{module_id}/lessons"              => crate::curricula::handlers::create_lesson,     Act(EditCurricula);
    GET  "/lessons/{lesson_id}/edit"                 => crate::curricula::handlers::edit_lesson,       Act(EditCurricula);
    POST "/lessons/{lesson_id}/edit"                 => crate::curricula::handlers::update_lesson,     Act(EditCurricula);
    POST "/lessons/{lesson_id}/delete"               => crate::curricula::handlers::delete_lesson,     Act(EditCurricula);
    POST "/lessons/{lesson_id}/move"                 => crate::curricula::handlers::move_lesson,       Act(EditCurricula);
    GET  "/curricula"                                => crate::curricula::to_courses,                  Act(ViewCatalogue);
    GET  "/modules"                                  => crate::curricula::to_courses,                  Act(ViewCatalogue);
    GET  "/lessons"                                  => crate::curricula::to_courses,                  Act(ViewCatalogue);
    GET  "/facilities"                                => crate::facilities::handlers::list,      Act(ViewFacilities);
    GET  "/facilities/new"                            => crate::facilities::handlers::new_form,  Act(EditFacilities);
    POST "/facilities/new"                            => crate::facilities::handlers::create,    Act(EditFacilities);
    GET  "/facilities/{facility_id}"                  => crate::facilities::handlers::show,      Act(ViewFacilities);
    GET  "/facilities/{facility_id}/edit"             => crate::facilities::handlers::edit_form, Act(EditFacilities);
    POST "/facilities/{facility_id}/edit"             => crate::facilities::handlers::update,    Act(EditFacilities);
    POST "/facilities/{facility_id}/delete"           => crate::facilities::handlers::delete,    Act(EditFacilities);
    GET  "/facilities/{facility_id}/pricing"          => crate::pricing::handlers::page,           Act(ViewPricing);
    GET  "/facilities/{facility_id}/pricing/cell"     => crate::pricing::cell::show,             Act(ViewPricing);
    GET  "/facilities/{facility_id}/pricing/cell/edit" => crate::pricing::cell::edit,            Act(EditPricing);
    POST "/facilities/{facility_id}/pricing/cell"     => crate::pricing::cell::save,             Act(EditPricing);
    GET  "/facilities/{facility_id}/pricing/history"  => crate::pricing::handlers::history,          Act(ViewPricing);
    GET  "/facilities/{facility_id}/pricing/copy"     => crate::pricing::bulk::copy_form,        Act(EditPricing);
    POST "/facilities/{facility_id}/pricing/copy"     => crate::pricing::bulk::copy_apply,       Act(EditPricing);
    GET  "/facilities/{facility_id}/pricing/row"      => crate::pricing::bulk::row_form,         Act(EditPricing);
    POST "/facilities/{facility_id}/pricing/row"      => crate::pricing::bulk::row_apply,        Act(EditPricing);
}
