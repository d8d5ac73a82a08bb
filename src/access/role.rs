use crate::schema::sql_types::UserRole;

crate::pg_enum! {
    /// `users.role`: what a staff member is (docs/decisions.md, "Who uses it").
    pub enum Role: UserRole {
        SuperAdmin = "super_admin",
        ProgramAdmin = "program_admin",
        ProgramCoordinator = "program_coordinator",
        Tutor = "tutor",
    }
}

impl Role {
    pub fn label(self) -> &'static str {
        match self {
            Role::SuperAdmin => "Super admin",
            Role::ProgramAdmin => "Program admin",
            Role::ProgramCoordinator => "Program coordinator",
            Role::Tutor => "Tutor",
        }
    }
}
