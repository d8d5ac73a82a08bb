//! Queries of staff accounts. `Reach` says whose accounts a request may see and change: every
//! account (super admin, Academy section) or the team of one program (`manageable`).

use chrono::{DateTime, Utc};
use diesel::{pg::Pg, prelude::*};
use uuid::Uuid;

use super::assignments::{within_programs_of, TEAM_ROLES};
use crate::{
    access::{ProgramScope, Role},
    error::AppError,
    schema::{user_program_assignments, users},
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
        if self.full_name.is_empty() {
            &self.username
        } else {
            &self.full_name
        }
    }

    pub fn version(&self) -> String {
        crate::web::form::version(self.updated_at)
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
