//! The guardian form: who they are and how to reach them; and a link's flags.

use serde::Deserialize;

use super::model::{ContactMethod, Flags, GuardianChanges};
use crate::web::form::{required, FieldErrors};

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct GuardianForm {
    pub full_name: String,
    pub relationship: String,
    pub phone: String,
    pub other_phone: String,
    pub email: String,
    pub address: String,
    pub preferred_contact: String,
    pub version: String,
    /// A new guardian from a student's page is linked to them, with the flags below.
    pub student_id: String,
    #[serde(flatten)]
    pub flags: FlagsForm,
}

/// What is true of a guardian for one child (checkboxes: present when ticked).
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct FlagsForm {
    pub emergency_contact: Option<String>,
    pub may_pick_up: Option<String>,
    pub pays_fees: Option<String>,
}

impl FlagsForm {
    pub fn flags(&self) -> Flags {
        Flags {
            emergency_contact: self.emergency_contact.is_some(),
            may_pick_up: self.may_pick_up.is_some(),
            pays_fees: self.pays_fees.is_some(),
        }
    }
}

fn phone(errors: &mut FieldErrors, field: &'static str, value: &str) -> String {
    let value = value.trim();
    if value.chars().count() > 32 {
        errors.add(field, "Use at most 32 characters.");
    } else if !value
        .chars()
        .all(|c| c.is_ascii_digit() || " +-()".contains(c))
    {
        errors.add(
            field,
            "Use digits, spaces and + - ( ) only, e.g. +234 803 555 0101.",
        );
    }
    value.to_string()
}

impl GuardianForm {
    pub fn validate(&self) -> Result<GuardianChanges, FieldErrors> {
        let mut errors = FieldErrors::new();
        let full_name = required(&self.full_name, 160)
            .map_err(|e| errors.add("full_name", e))
            .unwrap_or_default();
        let relationship = self.relationship.trim().to_string();
        if relationship.chars().count() > 60 {
            errors.add("relationship", "Use at most 60 characters.");
        }
        let phone_number = phone(&mut errors, "phone", &self.phone);
        let other_phone = phone(&mut errors, "other_phone", &self.other_phone);
        let email = self.email.trim().to_lowercase();
        if email.chars().count() > 254 {
            errors.add("email", "Use at most 254 characters.");
        } else if !email.is_empty() && !email.contains('@') {
            errors.add("email", "Enter an email address, e.g. ngozi@example.ng.");
        }
        let address = self.address.trim().to_string();
        if address.chars().count() > 500 {
            errors.add("address", "Use at most 500 characters.");
        }
        let preferred_contact = match self.preferred_contact.parse::<ContactMethod>() {
            Ok(method) => method,
            Err(_) if self.preferred_contact.trim().is_empty() => ContactMethod::Phone,
            Err(_) => {
                errors.add("preferred_contact", "Choose how they like to be reached.");
                ContactMethod::Phone
            }
        };
        if phone_number.is_empty() && other_phone.is_empty() && email.is_empty() {
            errors.add(
                "phone",
                "Give a phone number or an email: a guardian is someone to reach.",
            );
        } else if preferred_contact == ContactMethod::Email && email.is_empty() {
            errors.add("email", "They prefer email: give their address.");
        } else if preferred_contact != ContactMethod::Email
            && phone_number.is_empty()
            && other_phone.is_empty()
        {
            errors.add("phone", "They prefer a phone: give their number.");
        }
        errors.into_result(GuardianChanges {
            full_name,
            relationship,
            phone: phone_number,
            other_phone,
            email,
            address,
            preferred_contact,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_guardian_needs_a_name_and_a_way_to_reach_them_as_they_prefer() {
        let form = GuardianForm {
            full_name: " ".into(),
            preferred_contact: "email".into(),
            phone: "0803 abc".into(),
            ..Default::default()
        };
        let errors = form.validate().unwrap_err();
        assert!(errors.has("full_name"));
        assert!(errors.has("phone"));
        let ok = GuardianForm {
            full_name: "Ngozi Eze".into(),
            email: "Ngozi@Example.ng".into(),
            preferred_contact: "email".into(),
            ..Default::default()
        }
        .validate()
        .unwrap();
        assert_eq!(ok.email, "ngozi@example.ng");
    }
}
