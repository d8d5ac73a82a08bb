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
    GET  "/facilities"                                => crate::facilities::handlers::list,      Act(ViewFacilities);
    GET  "/facilities/new"                            => crate::facilities::handlers::new_form,  Act(EditFacilities);
    POST "/facilities/new"                            => crate::facilities::handlers::create,    Act(EditFacilities);
    GET  "/facilities/{facility_id}"                  => crate::facilities::handlers::show,      Act(ViewFacilities);
    GET  "/facilities/{facility_id}/edit"             => crate::facilities::handlers::edit_form, Act(EditFacilities);
    POST "/facilities/{facility_id}/edit"             => crate::facilities::handlers::update,    Act(EditFacilities);
    POST "/facilities/{facility_id}/delete"           => crate::facilities::handlers::delete,    Act(EditFacilities);
    GET  "/facilities/{facility_id}/pricing"          => crate::pricing::matrix::page,           Act(ViewPricing);
    GET  "/facilities/{facility_id}/pricing/cell"     => crate::pricing::cell::show,             Act(ViewPricing);
    GET  "/facilities/{facility_id}/pricing/cell/edit" => crate::pricing::cell::edit,            Act(EditPricing);
    POST "/facilities/{facility_id}/pricing/cell"     => crate::pricing::cell::save,             Act(EditPricing);
    GET  "/facilities/{facility_id}/pricing/history"  => crate::pricing::history::show,          Act(ViewPricing);
    GET  "/facilities/{facility_id}/pricing/copy"     => crate::pricing::bulk::copy_form,        Act(EditPricing);
    POST "/facilities/{facility_id}/pricing/copy"     => crate::pricing::bulk::copy_apply,       Act(EditPricing);
    GET  "/facilities/{facility_id}/pricing/row"      => crate::pricing::bulk::row_form,         Act(EditPricing);
    POST "/facilities/{facility_id}/pricing/row"      => crate::pricing::bulk::row_apply,        Act(EditPricing);
}
