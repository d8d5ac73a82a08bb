//! The fields a file's columns can fill, the headers each is recognised by, and the mapping of
//! a file's columns onto them.

use std::collections::BTreeMap;

use crate::web::form::FieldErrors;

/// A field an import fills: its name (the student form's, or `guardian_*`), its label, and the
/// headers it is recognised by, compared without case, spaces or punctuation.
pub struct Field {
    pub name: &'static str,
    pub label: &'static str,
    aliases: &'static [&'static str],
}

pub const FIELDS: &[Field] = &[
    field(
        "first_name",
        "First name",
        &["givenname", "forename", "first"],
    ),
    field("last_name", "Last name", &["surname", "familyname", "last"]),
    field("email", "Email", &["emailaddress", "mail"]),
    field(
        "phone",
        "Phone",
        &["phonenumber", "mobile", "mobilenumber", "telephone", "tel"],
    ),
    field(
        "date_of_birth",
        "Date of birth",
        &["dob", "birthdate", "birthday"],
    ),
    field(
        "enrollment_date",
        "Enrollment date",
        &["enrolmentdate", "joined", "datejoined", "startdate"],
    ),
    field("status", "Status", &[]),
    field(
        "address_line1",
        "Address line 1",
        &["address", "address1", "street"],
    ),
    field("address_line2", "Address line 2", &["address2"]),
    field("city", "City", &["town"]),
    field("state", "State", &["region"]),
    field("country", "Country", &[]),
    field(
        "medical_conditions",
        "Medical conditions",
        &["conditions", "medical"],
    ),
    field("medications", "Medications", &["medication"]),
    field("allergies", "Allergies", &["allergy"]),
    field(
        "guardian_name",
        "Guardian's name",
        &["guardian", "guardianfullname", "parent", "parentname"],
    ),
    field(
        "guardian_relationship",
        "Guardian's relationship",
        &["relationship", "relation"],
    ),
    field("guardian_phone", "Guardian's phone", &["parentphone"]),
    field("guardian_email", "Guardian's email", &["parentemail"]),
];

const fn field(name: &'static str, label: &'static str, aliases: &'static [&'static str]) -> Field {
    Field {
        name,
        label,
        aliases,
    }
}

/// The fields a row cannot be imported without.
pub const REQUIRED: &[&str] = &["first_name", "last_name"];

pub fn find(name: &str) -> Option<&'static Field> {
    FIELDS.iter().find(|f| f.name == name)
}

fn squeezed(header: &str) -> String {
    header
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The field a header names, if it is one we know.
fn recognise(header: &str) -> Option<&'static Field> {
    let key = squeezed(header);
    FIELDS.iter().find(|f| {
        squeezed(f.name) == key || squeezed(f.label) == key || f.aliases.contains(&key.as_str())
    })
}

/// Which column each field is read from.
pub type Mapping = BTreeMap<String, usize>;

/// The mapping the headers give, and whether it needs the user's eye: a header we do not know,
/// two columns for one field, or a required field without a column. Blank headers are left out.
pub fn guess(headers: &[String]) -> (Mapping, bool) {
    let mut mapping = Mapping::new();
    let mut unsure = false;
    for (column, header) in headers.iter().enumerate() {
        if header.trim().is_empty() {
            continue;
        }
        match recognise(header) {
            Some(f) if !mapping.contains_key(f.name) => {
                mapping.insert(f.name.to_string(), column);
            }
            _ => unsure = true,
        }
    }
    unsure |= REQUIRED.iter().any(|f| !mapping.contains_key(*f));
    (mapping, unsure)
}

/// A mapping as chosen on the columns screen: for each column, a field name or "" (left out).
/// Errors are keyed by the column's form field, `column_N`.
pub fn chosen(choices: &[String], columns: usize) -> Result<Mapping, FieldErrors> {
    let mut errors = FieldErrors::new();
    let mut mapping = Mapping::new();
    for (column, choice) in choices.iter().enumerate().take(columns) {
        if choice.is_empty() {
            continue;
        }
        let key = column_key(column);
        match find(choice) {
            None => errors.add(key, "Choose a field from the list."),
            Some(f) if mapping.contains_key(f.name) => errors.add(
                key,
                format!(
                    "{} is already read from another column; leave one of them out.",
                    f.label
                ),
            ),
            Some(f) => {
                mapping.insert(f.name.to_string(), column);
            }
        }
    }
    for required in REQUIRED {
        if !mapping.contains_key(*required) && errors.is_empty() {
            let label = find(required).map_or("", |f| f.label);
            errors.add(
                "columns",
                format!("Choose the column that holds the {}.", label.to_lowercase()),
            );
        }
    }
    errors.into_result(mapping)
}

/// `column_0`, `column_1`...: the names of the columns screen's selects (at most 60 columns).
pub fn column_key(column: usize) -> &'static str {
    COLUMN_KEYS.get(column).copied().unwrap_or("columns")
}

macro_rules! column_keys {
    ($($n:literal)*) => { &[$(concat!("column_", $n)),*] };
}
const COLUMN_KEYS: &[&str] = column_keys!(
    0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29
    30 31 32 33 34 35 36 37 38 39 40 41 42 43 44 45 46 47 48 49 50 51 52 53 54 55 56 57 58 59
);

/// The template offered for download: every field's label as its header, and this example row.
pub const EXAMPLE: &[&str] = &[
    "Adaeze",
    "Okafor",
    "adaeze@example.ng",
    "+234 803 123 4567",
    "2015-03-24",
    "2026-09-01",
    "active",
    "12 Bourdillon Road",
    "",
    "Lagos",
    "Lagos",
    "Nigeria",
    "",
    "",
    "Peanuts",
    "Ngozi Okafor",
    "Mother",
    "+234 803 555 0101",
    "ngozi@example.ng",
];

pub fn template_headers() -> Vec<&'static str> {
    FIELDS.iter().map(|f| f.label).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn common_headers_are_recognised_whatever_their_spelling() {
        let (mapping, unsure) = guess(&headers(&[
            "First Name",
            "SURNAME",
            "e-mail",
            "D.O.B.",
            "",
            "Parent phone",
        ]));
        assert!(!unsure);
        assert_eq!(mapping["first_name"], 0);
        assert_eq!(mapping["last_name"], 1);
        assert_eq!(mapping["email"], 2);
        assert_eq!(mapping["date_of_birth"], 3);
        assert_eq!(mapping["guardian_phone"], 5);
    }

    #[test]
    fn an_unknown_header_or_a_missing_name_asks_for_the_columns() {
        assert!(guess(&headers(&["First name", "Last name", "Shoe size"])).1);
        assert!(guess(&headers(&["First name", "Email"])).1);
        assert!(guess(&headers(&["First name", "Last name", "first"])).1);
    }

    #[test]
    fn a_chosen_mapping_reads_each_field_from_one_column_and_has_the_names() {
        let choice = |names: &[&str]| names.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            chosen(&choice(&["first_name", "last_name", ""]), 3)
                .unwrap()
                .len(),
            2
        );
        let twice = chosen(&choice(&["first_name", "first_name", "last_name"]), 3).unwrap_err();
        assert!(twice.has("column_1"));
        assert!(chosen(&choice(&["first_name", ""]), 2)
            .unwrap_err()
            .has("columns"));
        assert!(chosen(&choice(&["shoe_size", "last_name"]), 2)
            .unwrap_err()
            .has("column_0"));
    }

    #[test]
    fn every_column_a_file_may_have_has_its_key() {
        assert_eq!(COLUMN_KEYS.len(), super::super::file::MAX_COLUMNS);
        assert_eq!(column_key(59), "column_59");
    }

    #[test]
    fn the_template_has_every_field_and_is_recognised_whole() {
        let (mapping, unsure) = guess(&headers(&template_headers()));
        assert!(!unsure);
        assert_eq!(mapping.len(), FIELDS.len());
        assert_eq!(EXAMPLE.len(), FIELDS.len());
    }
}
