//! The account form (new and edit) and the password forms, with their validation.

use serde::Deserialize;

use super::{email_problem, username_problem};
use crate::{
    access::Role,
    auth,
    web::form::{required, FieldErrors},
};

#[derive(Debug, Default, Clone, Deserialize)]
pub struct UserForm {
    #[serde(default)]
    pub full_name: String,
    #[serde(default)]
    pub username: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub role: String,
    /// Only on the new-account form.
    #[serde(default)]
    pub password: String,
    /// Only on the Academy new-account form: a program to add the account to.
    #[serde(default)]
    pub program_id: String,
}

pub struct UserCommand {
    pub full_name: String,
    pub username: String,
    pub email: String,
    pub role: Role,
    pub password: Option<String>,
}

impl UserForm {
    /// `roles`: the roles the page may give; `new`: whether a password is set here.
    pub fn validate(&self, roles: &[Role], new: bool) -> Result<UserCommand, FieldErrors> {
        let mut errors = FieldErrors::new();
        let full_name = match required(&self.full_name, 120) {
            Ok(v) => v,
            Err(e) => {
                errors.add("full_name", e);
                String::new()
            }
        };
        let username = self.username.trim().to_string();
        errors.check("username", username_problem(&username));
        let email = self.email.trim().to_string();
        errors.check("email", email_problem(&email));
        let role = self.role.parse::<Role>().ok().filter(|r| roles.contains(r));
        if role.is_none() {
            errors.add("role", "Choose one of the roles offered.");
        }
        let password = if new {
            errors.check(
                "password",
                auth::password_weakness(&self.password, &username),
            );
            Some(self.password.clone())
        } else {
            None
        };
        errors.into_result(UserCommand {
            full_name,
            username,
            email,
            role: role.unwrap_or(Role::Tutor),
            password,
        })
    }
}

/// An administrator sets a new password for someone else.
#[derive(Debug, Default, Deserialize)]
pub struct ResetPasswordForm {
    #[serde(default)]
    pub password: String,
}
