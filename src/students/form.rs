//! The student form: every seed field, the JSON ones as ordinary fields.

use chrono::NaiveDate;
use serde::Deserialize;

use super::{
    model::{Address, MedicalInfo, Student, StudentChanges},
    StudentStatus,
};
use crate::web::form::{required, FieldErrors};

/// As typed: strings, so whatever was entered comes back on an error.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct StudentForm {
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub phone: String,
    pub date_of_birth: String,
    pub enrollment_date: String,
    pub status: String,
    pub address_line1: String,
    pub address_line2: String,
    pub city: String,
    pub state: String,
    pub country: String,
    pub medical_conditions: String,
    pub medications: String,
    pub allergies: String,
}

impl StudentForm {
    pub fn blank(today: NaiveDate) -> Self {
        Self {
            enrollment_date: today.to_string(),
            status: "active".into(),
            country: "Nigeria".into(),
            ..Self::default()
        }
    }

    pub fn from_student(s: &Student) -> Self {
        let (a, m) = (s.address(), s.medical_info());
        Self {
            first_name: s.first_name.clone(),
            last_name: s.last_name.clone(),
            email: s.email.clone().unwrap_or_default(),
            phone: s.phone.clone().unwrap_or_default(),
            date_of_birth: s.date_of_birth.map(|d| d.to_string()).unwrap_or_default(),
            enrollment_date: s.enrollment_date.to_string(),
            status: s.status.as_str().into(),
            address_line1: a.line1,
            address_line2: a.line2,
            city: a.city,
            state: a.state,
            country: a.country,
            medical_conditions: m.conditions,
            medications: m.medications,
            allergies: m.allergies,
        }
    }

    /// Sets the field named `name` (the form's own names, as an import's columns use them);
    /// false for a name the form does not have.
    pub fn set(&mut self, name: &str, value: &str) -> bool {
        let slot = match name {
            "first_name" => &mut self.first_name,
            "last_name" => &mut self.last_name,
            "email" => &mut self.email,
            "phone" => &mut self.phone,
            "date_of_birth" => &mut self.date_of_birth,
            "enrollment_date" => &mut self.enrollment_date,
            "status" => &mut self.status,
            "address_line1" => &mut self.address_line1,
            "address_line2" => &mut self.address_line2,
            "city" => &mut self.city,
            "state" => &mut self.state,
            "country" => &mut self.country,
            "medical_conditions" => &mut self.medical_conditions,
            "medications" => &mut self.medications,
            "allergies" => &mut self.allergies,
            _ => return false,
        };
        *slot = value.to_string();
        true
    }

    pub fn validate(&self, today: NaiveDate) -> Result<StudentChanges, FieldErrors> {
        let mut errors = FieldErrors::new();
        let mut text = |field: &'static str, value: &str, max: usize| match required(value, max) {
            Ok(v) => v,
            Err(message) => {
                errors.add(field, message);
                String::new()
            }
        };
        let first_name = text("first_name", &self.first_name, 80);
        let last_name = text("last_name", &self.last_name, 80);
        let email = optional(&self.email);
        if let Some(email) = &email {
            errors.check("email", crate::users::email_problem(email));
        }
        let phone = optional(&self.phone);
        if let Some(phone) = &phone {
            let digits = phone.chars().filter(char::is_ascii_digit).count();
            let allowed = phone
                .chars()
                .all(|c| c.is_ascii_digit() || " +-()".contains(c));
            if !allowed || !(7..=15).contains(&digits) || phone.len() > 32 {
                errors.add(
                    "phone",
                    "Enter a phone number of 7 to 15 digits, e.g. +234 803 123 4567.",
                );
            }
        }
        let date_of_birth = match optional(&self.date_of_birth) {
            None => None,
            Some(raw) => match raw.parse::<NaiveDate>() {
                Ok(d) if d > today => {
                    errors.add(
                        "date_of_birth",
                        "The date of birth cannot be in the future.",
                    );
                    None
                }
                Ok(d) if d < NaiveDate::from_ymd_opt(1900, 1, 1).unwrap() => {
                    errors.add("date_of_birth", "Enter a date after 1900.");
                    None
                }
                Ok(d) => Some(d),
                Err(_) => {
                    errors.add("date_of_birth", "Enter a date like 2015-03-24.");
                    None
                }
            },
        };
        let enrollment_date = match self.enrollment_date.trim().parse::<NaiveDate>() {
            Ok(d) => d,
            Err(_) => {
                errors.add("enrollment_date", "Enter a date like 2026-09-01.");
                today
            }
        };
        if let (Some(born), true) = (date_of_birth, errors.get("enrollment_date").is_empty()) {
            if enrollment_date < born {
                errors.add(
                    "enrollment_date",
                    "The enrollment date is before the date of birth.",
                );
            }
        }
        let status = self.status.parse::<StudentStatus>().unwrap_or_else(|_| {
            errors.add("status", "Choose a status.");
            StudentStatus::Active
        });
        for (field, value, max) in [
            ("address_line1", &self.address_line1, 160),
            ("address_line2", &self.address_line2, 160),
            ("city", &self.city, 80),
            ("state", &self.state, 80),
            ("country", &self.country, 80),
            ("medical_conditions", &self.medical_conditions, 2000),
            ("medications", &self.medications, 2000),
            ("allergies", &self.allergies, 2000),
        ] {
            if value.chars().count() > max {
                errors.add(field, format!("Use at most {max} characters."));
            }
        }
        let address = Address {
            line1: self.address_line1.trim().into(),
            line2: self.address_line2.trim().into(),
            city: self.city.trim().into(),
            state: self.state.trim().into(),
            country: self.country.trim().into(),
        };
        let medical = MedicalInfo {
            conditions: self.medical_conditions.trim().into(),
            medications: self.medications.trim().into(),
            allergies: self.allergies.trim().into(),
        };
        errors.into_result(StudentChanges {
            first_name,
            last_name,
            email,
            phone,
            date_of_birth,
            enrollment_date,
            status,
            address: serde_json::to_value(address).unwrap_or_default(),
            medical_info: serde_json::to_value(medical).unwrap_or_default(),
        })
    }
}

fn optional(value: &str) -> Option<String> {
    let value = value.trim();
    (!value.is_empty()).then(|| value.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
    }

    #[test]
    fn a_complete_form_becomes_changes_with_json_details() {
        let form = StudentForm {
            first_name: " Adaeze ".into(),
            last_name: "Okafor".into(),
            phone: "+234 803 123 4567".into(),
            date_of_birth: "2015-03-24".into(),
            city: "Lagos".into(),
            allergies: "Peanuts".into(),
            ..StudentForm::blank(today())
        };
        let changes = form.validate(today()).unwrap();
        assert_eq!(changes.first_name, "Adaeze");
        assert_eq!(changes.address["city"], "Lagos");
        assert_eq!(changes.medical_info["allergies"], "Peanuts");
    }

    #[test]
    fn each_wrong_field_gets_its_own_message() {
        let form = StudentForm {
            first_name: "".into(),
            last_name: "Okafor".into(),
            email: "not-an-email".into(),
            phone: "call me".into(),
            date_of_birth: "2030-01-01".into(),
            status: "expelled".into(),
            ..StudentForm::blank(today())
        };
        let errors = form.validate(today()).unwrap_err();
        for field in ["first_name", "email", "phone", "date_of_birth", "status"] {
            assert!(errors.has(field), "{field}");
        }
        assert!(!errors.has("last_name"));
    }
}
