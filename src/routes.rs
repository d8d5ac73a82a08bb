//! Every route of the app, in one table: method, path, the permission it needs, its handler.
//! `configure` registers them behind the gate; tests sweep `ROUTES` with every role and with ids
//! of another program, so a route joins those checks by being declared here.

use actix_web::{http::Method, middleware::from_fn, web};

use crate::access::{gate, Action::*, Permission, Permission::*};

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
    POST "/enrollments/{enrollment_id}/progress" => crate::enrollments::handlers::record_progress, Act(RecordProgress);
}
