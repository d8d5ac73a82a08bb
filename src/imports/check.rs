//! The preview's judgement of each row, the same at confirmation: its values (the file's, under
//! the rows fixed on the preview), the student form's own errors and the guardian form's,
//! duplicates within the file, and duplicates of the program's students.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use uuid::Uuid;

use super::{
    columns::{Mapping, FIELDS},
    dates::{self, as_iso, DATE_FIELDS},
    file::FileRow,
};
use crate::{
    guardians::{GuardianChanges, GuardianForm},
    students::{StudentChanges, StudentForm},
    web::form::FieldErrors,
};

/// Rows corrected on the preview: by the row's line, the values typed for it.
pub type Fixes = BTreeMap<String, BTreeMap<String, String>>;

/// A student of the program an import's row may be.
#[derive(Debug, Clone)]
pub struct Existing {
    pub id: Uuid,
    pub student_id: String,
    pub first_name: String,
    pub last_name: String,
    pub email: Option<String>,
    pub date_of_birth: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    New,
    /// The same student as one of the program's: skipped or updated, as the user chooses.
    Duplicate {
        id: Uuid,
        student_id: String,
        name: String,
    },
    Invalid,
}

#[derive(Debug, Clone)]
pub struct CheckedRow {
    pub line: u64,
    pub values: BTreeMap<&'static str, String>,
    pub errors: FieldErrors,
    pub outcome: Outcome,
    /// What the row creates, when it is valid.
    pub student: Option<StudentChanges>,
    pub guardian: Option<GuardianChanges>,
}

impl CheckedRow {
    pub fn value(&self, field: &str) -> &str {
        self.values.get(field).map_or("", String::as_str)
    }
    pub fn is_new(&self) -> bool {
        self.outcome == Outcome::New
    }
    pub fn is_duplicate(&self) -> bool {
        matches!(self.outcome, Outcome::Duplicate { .. })
    }
}

/// A row's values by field: the mapped cells, then the fixes typed for its line; dates written
/// day first read as 2015-03-24.
pub fn values(row: &FileRow, mapping: &Mapping, fixes: &Fixes) -> BTreeMap<&'static str, String> {
    let fixed = fixes.get(&row.line.to_string());
    FIELDS
        .iter()
        .map(|f| {
            let value = fixed
                .and_then(|fix| fix.get(f.name))
                .or_else(|| mapping.get(f.name).and_then(|c| row.cells.get(*c)))
                .map_or("", |v| crate::web::csv_export::from_text(v.trim()));
            let value = if DATE_FIELDS.contains(&f.name) {
                as_iso(value)
            } else {
                value.to_string()
            };
            (f.name, value)
        })
        .collect()
}

/// The student form a row fills: `base` (a blank form, or an existing student's) with the row's
/// non-empty values over it.
pub fn student_form(mut base: StudentForm, values: &BTreeMap<&'static str, String>) -> StudentForm {
    for (field, value) in values {
        if value.is_empty() {
            continue;
        }
        let value = if *field == "status" {
            value.to_lowercase()
        } else {
            value.clone()
        };
        base.set(field, &value);
    }
    base
}

fn guardian(
    values: &BTreeMap<&'static str, String>,
) -> Option<Result<GuardianChanges, FieldErrors>> {
    let get = |f: &str| values.get(f).cloned().unwrap_or_default();
    let form = GuardianForm {
        full_name: get("guardian_name"),
        relationship: get("guardian_relationship"),
        phone: get("guardian_phone"),
        email: get("guardian_email"),
        preferred_contact: if get("guardian_phone").is_empty() {
            "email".into()
        } else {
            String::new()
        },
        ..GuardianForm::default()
    };
    let given = [
        &form.full_name,
        &form.relationship,
        &form.phone,
        &form.email,
    ];
    if given.iter().all(|v| v.is_empty()) {
        return None;
    }
    Some(form.validate().map_err(|errors| {
        let mut ours = FieldErrors::new();
        for (theirs, field) in [
            ("full_name", "guardian_name"),
            ("relationship", "guardian_relationship"),
            ("phone", "guardian_phone"),
            ("other_phone", "guardian_phone"),
            ("email", "guardian_email"),
            ("preferred_contact", "guardian_phone"),
            ("address", "guardian_name"),
        ] {
            if errors.has(theirs) {
                ours.add(field, errors.get(theirs));
            }
        }
        ours
    }))
}

fn name_key(first: &str, last: &str, born: NaiveDate) -> String {
    format!(
        "{}\u{1f}{}\u{1f}{born}",
        first.trim().to_lowercase(),
        last.trim().to_lowercase()
    )
}

/// The last names and emails (lower case) of the rows: what to look the program's students up by.
pub fn lookup_keys(
    rows: &[FileRow],
    mapping: &Mapping,
    fixes: &Fixes,
) -> (Vec<String>, Vec<String>) {
    let (mut names, mut emails) = (Vec::new(), Vec::new());
    for row in rows {
        let v = values(row, mapping, fixes);
        names.push(v["last_name"].to_lowercase());
        if !v["email"].is_empty() {
            emails.push(v["email"].to_lowercase());
        }
    }
    names.sort();
    names.dedup();
    emails.sort();
    emails.dedup();
    (names, emails)
}

/// Every row judged, in file order.
pub fn check(
    rows: &[FileRow],
    mapping: &Mapping,
    fixes: &Fixes,
    existing: &[Existing],
    today: NaiveDate,
) -> Vec<CheckedRow> {
    let mut by_name = HashMap::new();
    let mut by_email = HashMap::new();
    for student in existing {
        if let Some(born) = student.date_of_birth {
            by_name.insert(
                name_key(&student.first_name, &student.last_name, born),
                student,
            );
        }
        if let Some(email) = &student.email {
            by_email.insert(email.to_lowercase(), student);
        }
    }
    let (mut seen_names, mut seen_emails) = (HashMap::new(), HashMap::new());
    rows.iter()
        .map(|row| {
            let values = values(row, mapping, fixes);
            let form = student_form(StudentForm::blank(today), &values);
            // A date's message says how an import reads dates; the form's other messages follow.
            let mut errors = dates::unreadable(&values);
            let student = match form.validate(today) {
                Ok(changes) => Some(changes),
                Err(found) => {
                    errors.merge(found);
                    None
                }
            };
            let guardian = match guardian(&values) {
                Some(Ok(changes)) => Some(changes),
                Some(Err(found)) => {
                    errors.merge(found);
                    None
                }
                None => None,
            };
            let mut same = None;
            if let Some(changes) = &student {
                if let Some(born) = changes.date_of_birth {
                    let key = name_key(&changes.first_name, &changes.last_name, born);
                    if let Some(line) = seen_names.insert(key.clone(), row.line) {
                        errors.add("first_name", format!("The same name and date of birth as line {line}: the same student twice."));
                    }
                    same = same.or(by_name.get(&key).copied());
                }
                if let Some(email) = &changes.email {
                    let key = email.to_lowercase();
                    if let Some(line) = seen_emails.insert(key.clone(), row.line) {
                        errors.add("email", format!("The same email as line {line}: the same student twice."));
                    }
                    same = same.or(by_email.get(&key).copied());
                }
            }
            let outcome = match (errors.is_empty(), same) {
                (false, _) => Outcome::Invalid,
                (true, Some(s)) => Outcome::Duplicate {
                    id: s.id,
                    student_id: s.student_id.clone(),
                    name: format!("{} {}", s.first_name, s.last_name),
                },
                (true, None) => Outcome::New,
            };
            CheckedRow {
                line: row.line,
                values,
                errors,
                outcome,
                student,
                guardian,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 3).unwrap()
    }

    fn rows(cells: &[&[&str]]) -> Vec<FileRow> {
        cells
            .iter()
            .enumerate()
            .map(|(i, c)| FileRow {
                line: i as u64 + 2,
                cells: c.iter().map(|s| s.to_string()).collect(),
            })
            .collect()
    }

    fn mapping() -> Mapping {
        [
            "first_name",
            "last_name",
            "date_of_birth",
            "email",
            "status",
            "guardian_name",
            "guardian_phone",
        ]
        .iter()
        .enumerate()
        .map(|(i, f)| (f.to_string(), i))
        .collect()
    }

    #[test]
    fn each_kind_of_error_is_beside_its_field() {
        let file = rows(&[
            &["Ada", "Obi", "2015-02-30", "", "active", "", ""],
            &["", "Obi", "", "", "Active", "", ""],
            &[
                "Emeka",
                "Eze",
                "",
                "not-an-email",
                "expelled",
                "Ngozi Eze",
                "",
            ],
        ]);
        let checked = check(&file, &mapping(), &Fixes::new(), &[], today());
        assert_eq!(
            checked[0].errors.get("date_of_birth"),
            dates::UNREADABLE,
            "an import says both ways it reads a date"
        );
        assert!(checked[1].errors.has("first_name"));
        assert!(
            !checked[1].errors.has("status"),
            "a capitalised status is read"
        );
        for field in ["email", "status", "guardian_phone"] {
            assert!(checked[2].errors.has(field), "{field}");
        }
        assert!(checked.iter().all(|r| r.outcome == Outcome::Invalid));
    }

    #[test]
    fn duplicates_in_the_file_and_in_the_program_are_found_by_name_and_birth_or_email() {
        let file = rows(&[
            &["Ada", "Obi", "2015-03-24", "", "", "", ""],
            &["ADA", "obi", "2015-03-24", "", "", "", ""],
            &["Tunde", "Bello", "", "T@x.ng", "", "", ""],
            &["Kemi", "Bello", "", "t@x.ng", "", "", ""],
            &[
                "Chidi",
                "Okeke",
                "2014-01-01",
                "",
                "",
                "Ngozi Okeke",
                "0803 555 0101",
            ],
        ]);
        let existing = [Existing {
            id: Uuid::nil(),
            student_id: "STU-2026-0001".into(),
            first_name: "Chidi".into(),
            last_name: "Okeke".into(),
            email: None,
            date_of_birth: NaiveDate::from_ymd_opt(2014, 1, 1),
        }];
        let checked = check(&file, &mapping(), &Fixes::new(), &existing, today());
        assert!(checked[0].is_new());
        assert!(checked[1].errors.get("first_name").contains("line 2"));
        assert!(checked[2].is_new());
        assert!(checked[3].errors.get("email").contains("line 4"));
        assert!(checked[4].is_duplicate());
        assert_eq!(
            checked[4].guardian.as_ref().unwrap().full_name,
            "Ngozi Okeke"
        );
    }

    #[test]
    fn a_fix_replaces_the_files_value_for_its_line() {
        let file = rows(&[&["Ada", "Obi", "24/03/2015", "", "", "", ""]]);
        let mut fixes = Fixes::new();
        fixes.insert(
            "2".into(),
            [("date_of_birth".to_string(), "2015-03-24".to_string())].into(),
        );
        let checked = check(&file, &mapping(), &fixes, &[], today());
        assert!(checked[0].is_new(), "{:?}", checked[0].errors);
    }
}
