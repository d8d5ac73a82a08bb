//! The gate every declared route passes before its handler: CSRF on writes, the signed-in user
//! (checked active on every request), the route's permission, and the program the request works in.

use actix_session::{Session, SessionExt};
use actix_web::{
    body::BoxBody,
    dev::{ServiceRequest, ServiceResponse},
    http::Method,
    middleware::Next,
    web::Data,
    HttpMessage,
};
use diesel::prelude::*;
use uuid::Uuid;

use super::{permission::allows, CurrentUser, Permission, ProgramRef, ProgramScope, Role, Viewer};
use crate::{
    auth, db,
    error::AppError,
    schema::across_programs::{programs, user_program_assignments, users},
    web::csrf,
    web::form_meta::FormMeta,
    AppState,
};

/// Session key of the program the user last chose.
pub const SESSION_PROGRAM_ID: &str = "program_id";
/// Header naming the program a page was rendered for (set by `hx-headers` on `<body>`).
pub const PROGRAM_HEADER: &str = "X-Program-Context";

pub async fn check(
    permission: Permission,
    mut req: ServiceRequest,
    next: Next<BoxBody>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    match admit(permission, &mut req).await {
        // The handler, and the database work it does, act for the signed-in user.
        Ok(Some(user)) => db::actor::acting(user, next.call(req)).await,
        Ok(None) => next.call(req).await,
        Err(e) => Ok(req.error_response(e)),
    }
}

/// The signed-in user, once everything is checked; none on a public route.
async fn admit(permission: Permission, req: &mut ServiceRequest) -> Result<Option<Uuid>, AppError> {
    crate::web::input::check_query(req.query_string())?;
    let writes = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    let session = req.get_session();
    let form = if writes {
        FormMeta::read(req).await?
    } else {
        FormMeta::default()
    };
    let verify_csrf = || {
        let key = req
            .app_data::<Data<csrf::SigningKey>>()
            .map(|k| k.get_ref());
        csrf::verify(&session, req.headers(), &form, key)
    };
    let unavailable = auth::session_is_unavailable(&session);
    if unavailable && (writes || permission != Permission::Public) {
        return Err(AppError::internal("the session store could not be read"));
    }
    if permission == Permission::Public {
        return if writes {
            verify_csrf().map(|()| None)
        } else {
            Ok(None)
        };
    }
    // Signed out first: a form posted after the session ended goes to the sign-in page (it has
    // no session token to match, and changes nothing either way).
    let user_id = auth::session_user_id(&session).ok_or(AppError::Unauthenticated)?;
    if writes {
        verify_csrf()?;
    }
    let state = req
        .app_data::<Data<AppState>>()
        .expect("AppState is registered")
        .clone();
    let Some((user, programs)) = db::run(&state.pool, move |conn| load(conn, user_id)).await?
    else {
        // Deactivated or deleted since sign-in: the session ends here.
        session.purge();
        return Err(AppError::Unauthenticated);
    };
    // Known before the checks below: a refusal's page keeps the header and navigation.
    let chosen = session
        .get::<Uuid>(SESSION_PROGRAM_ID)
        .ok()
        .flatten()
        .and_then(|id| programs.iter().find(|p| p.id == id).cloned());
    req.extensions_mut().insert(Viewer {
        user: user.clone(),
        programs: programs.clone(),
        current: chosen.or_else(|| programs.first().cloned()),
    });
    req.extensions_mut()
        .insert(csrf::PageToken(csrf::token(&session)));
    if let Permission::Act(action) = permission {
        if !allows(user.role, action) {
            return Err(AppError::forbidden("Your role does not allow this."));
        }
    }

    if writes {
        let token = crate::web::once::FormToken::parse(form.form_token.as_deref());
        req.extensions_mut().insert(token);
    }
    let named = named_program(req, &form)?;
    let scoped = matches!(permission, Permission::Act(action) if action.is_program_scoped());
    let current = resolve_program(&session, &programs, named, writes && scoped)?;
    if scoped {
        let program = current.clone().ok_or(AppError::NoProgram)?;
        req.extensions_mut().insert(ProgramScope::for_request(
            program.id,
            program.name,
            user.id,
            user.role,
        ));
    }
    let id = user.id;
    req.extensions_mut().insert(Viewer {
        user,
        programs,
        current,
    });
    Ok(Some(id))
}

/// The program the page says it belongs to: the `X-Program-Context` header, or the hidden
/// `program_context` field of a plain form.
fn named_program(req: &ServiceRequest, form: &FormMeta) -> Result<Option<Uuid>, AppError> {
    let raw = req
        .headers()
        .get(PROGRAM_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
        .or_else(|| form.program_context.clone())
        .filter(|s| !s.trim().is_empty());
    match raw {
        None => Ok(None),
        Some(raw) => raw
            .trim()
            .parse::<Uuid>()
            .map(Some)
            .map_err(|_| AppError::forbidden("You may not use that program.")),
    }
}

/// Picks the program of this request. A named program must be one of the user's (never silently
/// replaced); a write from a page of another program than the session's is refused as stale.
fn resolve_program(
    session: &Session,
    programs: &[ProgramRef],
    named: Option<Uuid>,
    program_scoped_write: bool,
) -> Result<Option<ProgramRef>, AppError> {
    let find = |id: Uuid| programs.iter().find(|p| p.id == id).cloned();
    let chosen = session
        .get::<Uuid>(SESSION_PROGRAM_ID)
        .ok()
        .flatten()
        .and_then(find);
    if let Some(id) = named {
        let page_program =
            find(id).ok_or_else(|| AppError::forbidden("You may not use that program."))?;
        if program_scoped_write && chosen.as_ref().is_some_and(|c| c.id != id) {
            return Err(AppError::StaleProgram {
                page_program: page_program.name,
            });
        }
        return Ok(Some(page_program));
    }
    match chosen {
        Some(program) => Ok(Some(program)),
        None => {
            let first = programs.first().cloned();
            if let Some(program) = &first {
                let _ = session.insert(SESSION_PROGRAM_ID, program.id);
            }
            Ok(first)
        }
    }
}

/// The active user and the active programs they may use, in one statement: it runs on every
/// request, so it is one round trip (a left join: a user with no program still comes back).
fn load(
    conn: &mut PgConnection,
    user_id: Uuid,
) -> Result<Option<(CurrentUser, Vec<ProgramRef>)>, AppError> {
    // The user's own assignments, by the (user_id, program_id) key: not a probe of every
    // assignment of the academy per program (at 800 tutors that was a scan on every request).
    let assigned = programs::id.eq_any(
        user_program_assignments::table
            .filter(user_program_assignments::user_id.eq(user_id))
            .select(user_program_assignments::program_id),
    );
    let rows = users::table
        .left_join(
            programs::table.on(programs::is_active
                .eq(true)
                .and(users::role.eq(Role::SuperAdmin).or(assigned))),
        )
        .filter(users::id.eq(user_id).and(users::is_active.eq(true)))
        .order(programs::name.asc())
        .select((
            (users::id, users::username, users::email, users::role),
            (programs::id, programs::name).nullable(),
        ))
        .load::<((Uuid, String, String, Role), Option<(Uuid, String)>)>(conn)?;
    let Some(((id, username, email, role), _)) = rows.first().cloned() else {
        return Ok(None);
    };
    let programs = rows
        .into_iter()
        .filter_map(|(_, program)| program.map(|(id, name)| ProgramRef { id, name }))
        .collect();
    let user = CurrentUser {
        id,
        username,
        email,
        role,
    };
    Ok(Some((user, programs)))
}

/// Active programs a user may work in: all of them for a super admin, else their assignments.
pub fn visible_programs(
    conn: &mut PgConnection,
    user_id: Uuid,
    role: Role,
) -> QueryResult<Vec<ProgramRef>> {
    let rows: Vec<(Uuid, String)> = if role == Role::SuperAdmin {
        programs::table
            .filter(programs::is_active.eq(true))
            .order(programs::name.asc())
            .select((programs::id, programs::name))
            .load(conn)?
    } else {
        programs::table
            .inner_join(user_program_assignments::table)
            .filter(
                user_program_assignments::user_id
                    .eq(user_id)
                    .and(programs::is_active.eq(true)),
            )
            .order(programs::name.asc())
            .select((programs::id, programs::name))
            .load(conn)?
    };
    Ok(rows
        .into_iter()
        .map(|(id, name)| ProgramRef { id, name })
        .collect())
}
