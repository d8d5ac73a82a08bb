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
    GET  "/courses"                                  => crate::courses::handlers::list,             Act(ViewCatalogue);
    GET  "/courses/new"                              => crate::courses::handlers::new_form,         Act(EditCatalogue);
    POST "/courses"                                  => crate::courses::handlers::create,           Act(EditCatalogue);
    GET  "/courses/{course_id}"                      => crate::courses::handlers::show,             Act(ViewCatalogue);
    GET  "/courses/{course_id}/edit"                 => crate::courses::handlers::edit_form,        Act(EditCatalogue);
    POST "/courses/{course_id}/edit"                 => crate::courses::handlers::update,           Act(EditCatalogue);
    POST "/courses/{course_id}/archive"              => crate::courses::handlers::archive,          Act(EditCatalogue);
    POST "/courses/{course_id}/restore"              => crate::courses::handlers::restore,          Act(EditCatalogue);
    POST "/courses/{course_id}/delete"               => crate::courses::handlers::delete,           Act(EditCatalogue);
    POST "/courses/{course_id}/tutors"               => crate::courses::tutors::assign,             Act(AssignTutors);
    POST "/courses/{course_id}/tutors/{user_id}/delete" => crate::courses::tutors::unassign,        Act(AssignTutors);
    GET  "/courses/{course_id}/curricula/new"        => crate::curricula::handlers::new_curriculum,    Act(EditCatalogue);
    POST "/courses/{course_id}/curricula"            => crate::curricula::handlers::create_curriculum, Act(EditCatalogue);
    GET  "/curricula/{curriculum_id}/edit"           => crate::curricula::handlers::edit_curriculum,   Act(EditCatalogue);
    POST "/curricula/{curriculum_id}/edit"           => crate::curricula::handlers::update_curriculum, Act(EditCatalogue);
    POST "/curricula/{curriculum_id}/delete"         => crate::curricula::handlers::delete_curriculum, Act(EditCatalogue);
    POST "/curricula/{curriculum_id}/move"           => crate::curricula::handlers::move_curriculum,   Act(EditCatalogue);
    GET  "/curricula/{curriculum_id}/modules/new"    => crate::curricula::handlers::new_module,        Act(EditCatalogue);
    POST "/curricula/{curriculum_id}/modules"        => crate::curricula::handlers::create_module,     Act(EditCatalogue);
    GET  "/modules/{module_id}/edit"                 => crate::curricula::handlers::edit_module,       Act(EditCatalogue);
    POST "/modules/{module_id}/edit"                 => crate::curricula::handlers::update_module,     Act(EditCatalogue);
    POST "/modules/{module_id}/delete"               => crate::curricula::handlers::delete_module,     Act(EditCatalogue);
    POST "/modules/{module_id}/move"                 => crate::curricula::handlers::move_module,       Act(EditCatalogue);
    GET  "/modules/{module_id}/lessons/new"          => crate::curricula::handlers::new_lesson,        Act(EditCatalogue);
    POST "/modules/{module_id}/lessons"              => crate::curricula::handlers::create_lesson,     Act(EditCatalogue);
    GET  "/lessons/{lesson_id}/edit"                 => crate::curricula::handlers::edit_lesson,       Act(EditCatalogue);
    POST "/lessons/{lesson_id}/edit"                 => crate::curricula::handlers::update_lesson,     Act(EditCatalogue);
    POST "/lessons/{lesson_id}/delete"               => crate::curricula::handlers::delete_lesson,     Act(EditCatalogue);
    POST "/lessons/{lesson_id}/move"                 => crate::curricula::handlers::move_lesson,       Act(EditCatalogue);
    GET  "/curricula"                                => crate::curricula::to_courses,                  Act(ViewCatalogue);
    GET  "/modules"                                  => crate::curricula::to_courses,                  Act(ViewCatalogue);
    GET  "/lessons"                                  => crate::curricula::to_courses,                  Act(ViewCatalogue);
}
