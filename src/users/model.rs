//! Queries of staff accounts. `Reach` says whose accounts a request may see and change: every
//! account (super admin, Academy section) or the team of one program (`manageable`).

use chrono::{DateTime, Utc};
use diesel::{pg::Pg, prelude::*};
use uuid::Uuid;

use super::{
    assignments::{within_programs_of, TEAM_ROLES},
    form::UserCommand,
};
use crate::{
    access::{ProgramScope, Role},
    error::{AppError, AppResult},
    schema::{programs, user_program_assignments, users},
    web::{
        form::{check_version, like_pattern, FieldErrors},
        pagination::{total_count, PageRequest},
        sort::Sort,
    },
};

/// Whose accounts a page works on.
#[derive(Clone)]
pub enum Reach {
    /// The Academy section: every account (super admins only, by the route's permission).
    All,
    /// A program's team page: the accounts `manageable` gives.
    Team(ProgramScope),
}

impl Reach {
    /// Where this reach's user pages live.
    pub fn base(&self) -> &'static str {
        match self {
            Reach::All => "/users",
            Reach::Team(_) => "/team/users",
        }
    }

    /// Where to go back to after saving.
    pub fn home(&self) -> &'static str {
        match self {
            Reach::All => "/users",
            Reach::Team(_) => "/team",
        }
    }

    /// Roles this reach may give to an account (and so may edit).
    pub fn roles(&self) -> &'static [Role] {
        match self {
            Reach::All => Role::ALL,
            Reach::Team(scope) if scope.actor_role() == Some(Role::SuperAdmin) => {
                &[Role::ProgramAdmin, Role::ProgramCoordinator, Role::Tutor]
            }
            Reach::Team(_) => TEAM_ROLES,
        }
    }

    /// The accounts of this reach, as a query to filter further.
    pub fn users(&self) -> users::BoxedQuery<'static, Pg> {
        match self {
            Reach::All => users::table.into_boxed(),
            Reach::Team(scope) => manageable(scope),
        }
    }

    /// One account of this reach, by id; any other id (another program's user, a role above the
    /// actor's, a missing id) is `NotFound`, the same answer.
    pub fn find(&self, conn: &mut PgConnection, id: Uuid) -> Result<UserRow, AppError> {
        Ok(self
            .users()
            .filter(users::id.eq(id))
            .select(UserRow::as_select())
            .first(conn)?)
    }
}

/// Everyone assigned to the scope's program, whatever their role: the Team page lists them all,
/// and offers actions only on those `manageable` gives.
pub fn members(scope: &ProgramScope) -> users::BoxedQuery<'static, Pg> {
    users::table
        .filter(
            users::id.eq_any(
                scope
                    .user_program_assignments()
                    .select(user_program_assignments::user_id),
            ),
        )
        .into_boxed()
}

/// Whether the scope's actor may take this member off the program (the rule of `removable`, for
/// one row).
pub fn may_remove(scope: &ProgramScope, role: Role) -> bool {
    scope.actor_role() == Some(Role::SuperAdmin) || TEAM_ROLES.contains(&role)
}

/// Members the scope's actor may take off the program: everyone for a super admin, else the
/// coordinators and tutors. Taking someone off touches only this program's assignment.
pub fn removable(scope: &ProgramScope) -> users::BoxedQuery<'static, Pg> {
    let query = members(scope);
    if scope.actor_role() == Some(Role::SuperAdmin) {
        query
    } else {
        query.filter(users::role.eq_any(TEAM_ROLES))
    }
}

/// THE query of "users of this scope whose account I may manage" (edit, password, activation):
/// for a super admin every member; for a program admin the coordinators and tutors all of whose
/// programs are the admin's own. Someone who also works in another program is a super admin's
/// to manage, since their account reaches that program too. Every team account page starts here.
pub fn manageable(scope: &ProgramScope) -> users::BoxedQuery<'static, Pg> {
    let query = removable(scope);
    match scope.actor_id() {
        Some(actor) if scope.actor_role() != Some(Role::SuperAdmin) => {
            within_programs_of(query, actor)
        }
        _ => query,
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = users)]
pub struct UserRow {
    pub id: Uuid,
    pub username: String,
    pub full_name: String,
    pub email: String,
    pub role: Role,
    pub is_active: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl UserRow {
    pub fn display_name(&self) -> &str {
        display_name(&self.full_name, &self.username)
    }

    pub fn version(&self) -> String {
        crate::web::form::version(self.updated_at)
    }
}

/// How a person is named on a page: their full name, or their username while it is unset.
pub fn display_name<'a>(full_name: &'a str, username: &'a str) -> &'a str {
    if full_name.is_empty() {
        username
    } else {
        full_name
    }
}

/// Refuses a change that would leave no active super admin. Locks every active super admin (in
/// id order, so concurrent calls queue instead of deadlocking) before counting, so two super
/// admins demoting or deactivating each other at once cannot both succeed.
pub fn keep_a_super_admin(
    conn: &mut PgConnection,
    user: &UserRow,
    stays_active_super_admin: bool,
) -> Result<(), AppError> {
    if user.role != Role::SuperAdmin || stays_active_super_admin {
        return Ok(());
    }
    let active: Vec<Uuid> = users::table
        .filter(users::role.eq(Role::SuperAdmin))
        .filter(users::is_active.eq(true))
        .order(users::id.asc())
        .select(users::id)
        .for_update()
        .load(conn)?;
    if active.contains(&user.id) && active.len() == 1 {
        return Err(AppError::conflict(
            "This is the last active super admin: the academy needs at least one. Make someone else a super admin first; nothing was changed.",
        ));
    }
    Ok(())
}

/// Filters shared by the Academy list and the team page.
pub fn filtered(
    mut query: users::BoxedQuery<'static, diesel::pg::Pg>,
    q: &str,
    role: &str,
    status: &str,
) -> users::BoxedQuery<'static, diesel::pg::Pg> {
    if !q.trim().is_empty() {
        let pattern = like_pattern(q);
        query = query.filter(
            users::full_name
                .ilike(pattern.clone())
                .or(users::username.ilike(pattern.clone()))
                .or(users::email.ilike(pattern)),
        );
    }
    if let Ok(role) = role.parse::<Role>() {
        query = query.filter(users::role.eq(role));
    }
    match status {
        "active" => query = query.filter(users::is_active.eq(true)),
        "inactive" => query = query.filter(users::is_active.eq(false)),
        _ => {}
    }
    query
}

/// The columns the account lists sort by, each both ways.
pub const SORT_KEYS: &[&str] = &["name", "username", "role", "created"];

pub fn sorted(
    query: users::BoxedQuery<'static, diesel::pg::Pg>,
    sort: Sort,
) -> users::BoxedQuery<'static, diesel::pg::Pg> {
    use users::{created_at, full_name, id, role, username};
    match (sort.key, sort.descending) {
        ("username", false) => query.order((username.asc(), id.asc())),
        ("username", true) => query.order((username.desc(), id.desc())),
        ("role", false) => query.order((role.asc(), username.asc(), id.asc())),
        ("role", true) => query.order((role.desc(), username.asc(), id.asc())),
        ("created", false) => query.order((created_at.asc(), id.asc())),
        ("created", true) => query.order((created_at.desc(), id.desc())),
        (_, false) => query.order((full_name.asc(), username.asc(), id.asc())),
        (_, true) => query.order((full_name.desc(), username.desc(), id.desc())),
    }
}

/// One page of `reach`'s accounts, filtered and in `sort` order, each with the list's total.
pub fn page(
    conn: &mut PgConnection,
    reach: &Reach,
    q: &str,
    role: &str,
    status: &str,
    sort: Sort,
    request: PageRequest,
) -> QueryResult<Vec<(UserRow, i64)>> {
    sorted(filtered(reach.users(), q, role, status), sort)
        .select((UserRow::as_select(), total_count()))
        .limit(request.limit())
        .offset(request.offset())
        .load(conn)
}

/// Active programs, by name: what a new account may be added to.
pub fn active_programs(conn: &mut PgConnection) -> QueryResult<Vec<(Uuid, String)>> {
    programs::table
        .filter(programs::is_active.eq(true))
        .order(programs::name.asc())
        .select((programs::id, programs::name))
        .load(conn)
}

/// Refuses a username or email another account has (case-insensitively).
fn refuse_taken(
    conn: &mut PgConnection,
    except: Option<Uuid>,
    username: &str,
    email: &str,
) -> AppResult<()> {
    use crate::db::functions::lower;
    let except = except.unwrap_or_default();
    let mut errors = FieldErrors::new();
    let username_taken: i64 = users::table
        .filter(lower(users::username).eq(username.to_lowercase()))
        .filter(users::id.ne(except))
        .count()
        .get_result(conn)?;
    if username_taken > 0 {
        errors.add("username", "That username is already taken.");
    }
    let email_taken: i64 = users::table
        .filter(lower(users::email).eq(email.to_lowercase()))
        .filter(users::id.ne(except))
        .count()
        .get_result(conn)?;
    if email_taken > 0 {
        errors.add("email", "Another account has that email.");
    }
    Ok(errors.into_result(())?)
}

/// A new account (and its program, unless it is a super admin's); refused (`AppError::Invalid`)
/// with the fields another account already has.
pub fn create(
    conn: &mut PgConnection,
    command: &UserCommand,
    password_hash: &str,
    program: Option<Uuid>,
    by: Uuid,
) -> AppResult<(Uuid, String)> {
    refuse_taken(conn, None, &command.username, &command.email)?;
    let id = super::insert(
        conn,
        &command.username,
        &command.email,
        password_hash,
        command.role,
    )?;
    diesel::update(users::table.find(id))
        .set(users::full_name.eq(&command.full_name))
        .execute(conn)?;
    if let Some(program_id) = program {
        if command.role != Role::SuperAdmin {
            super::assignments::assign(conn, id, command.role, program_id, by)?;
        }
    }
    Ok((id, command.username.clone()))
}

/// Saves an account within `reach`; refused with the fields another account already has.
pub fn update(
    conn: &mut PgConnection,
    reach: &Reach,
    user_id: Uuid,
    command: &UserCommand,
) -> AppResult<String> {
    let user = reach.find(conn, user_id)?;
    refuse_taken(conn, Some(user.id), &command.username, &command.email)?;
    keep_a_super_admin(conn, &user, command.role == Role::SuperAdmin)?;
    diesel::update(users::table.find(user.id))
        .set((
            users::full_name.eq(&command.full_name),
            users::username.eq(&command.username),
            users::email.eq(&command.email),
            users::role.eq(command.role),
        ))
        .execute(conn)?;
    if command.role == Role::SuperAdmin {
        // Super admins see every program; assignments would only mislead.
        super::assignments::remove_all(conn, user.id)?;
    }
    Ok(command.username.clone())
}

/// A new password for an account within `reach`; whoever knew the old one is signed out.
pub fn set_password(
    conn: &mut PgConnection,
    reach: &Reach,
    user_id: Uuid,
    password_hash: &str,
) -> AppResult<()> {
    let user = reach.find(conn, user_id)?;
    diesel::update(users::table.find(user.id))
        .set(users::password_hash.eq(password_hash))
        .execute(conn)?;
    crate::auth::end_sessions_of(conn, user.id)?;
    Ok(())
}

/// (De)activates an account within `reach` if it is still the `version` the page showed; never
/// one's own deactivation, never the last active super admin.
pub fn set_active(
    conn: &mut PgConnection,
    reach: &Reach,
    user_id: Uuid,
    version: &str,
    active: bool,
    me: Uuid,
) -> AppResult<String> {
    let user = reach.find(conn, user_id)?;
    check_version(version, user.updated_at, "This account")?;
    if !active && user.id == me {
        return Err(AppError::conflict(
            "You cannot deactivate your own account; nothing was changed.",
        ));
    }
    keep_a_super_admin(conn, &user, active)?;
    diesel::update(users::table.find(user.id))
        .set(users::is_active.eq(active))
        .execute(conn)?;
    Ok(user.username)
}
