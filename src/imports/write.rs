//! Confirming an import: every valid row written in one transaction (all or none), new students
//! numbered in file order, duplicates skipped or updated, each row's guardian found or created
//! once for the whole file and linked.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use uuid::Uuid;

use super::{
    check::{self, CheckedRow, Outcome},
    model,
};
use crate::{
    access::ProgramScope,
    error::{AppError, AppResult},
    guardians::{self, Flags, GuardianChanges},
    students::{self, StudentForm},
    web::format::plural,
};

/// What to do with a row that is one of the program's students already.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnDuplicate {
    Skip,
    Update,
}

impl std::str::FromStr for OnDuplicate {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        match s {
            "skip" => Ok(Self::Skip),
            "update" => Ok(Self::Update),
            _ => Err(()),
        }
    }
}

/// What an imported guardian is for their child: the one to call and who pays; picking up is
/// given on the guardian's page, never assumed (docs/decisions.md, "Importing students").
const GUARDIAN_FLAGS: Flags = Flags {
    emergency_contact: true,
    may_pick_up: false,
    pays_fees: true,
};

/// How many rows a statement writes, and how often the progress moves.
const BATCH: usize = 1000;

#[derive(Debug, Default)]
pub struct Done {
    pub created: usize,
    pub updated: usize,
    pub skipped: usize,
    pub left_out: usize,
    pub guardians: usize,
    pub first_and_last: Option<(String, String)>,
}

impl Done {
    pub fn message(&self) -> String {
        let mut parts = vec![match &self.first_and_last {
            Some((first, last)) if first != last => {
                format!("Imported {} students ({first} to {last})", self.created)
            }
            Some((first, _)) => format!("Imported 1 student ({first})"),
            None => "Imported no new students".into(),
        }];
        if self.updated > 0 {
            parts.push(format!("updated {}", self.updated));
        }
        if self.skipped > 0 {
            parts.push(format!("skipped {} already here", self.skipped));
        }
        if self.left_out > 0 {
            parts.push(format!(
                "left out {} with errors",
                plural(self.left_out, "row", "rows")
            ));
        }
        if self.guardians > 0 {
            parts.push(format!(
                "added {}",
                plural(self.guardians, "guardian", "guardians")
            ));
        }
        format!("{}.", parts.join(", "))
    }
}

/// Writes the import `id`; call inside a transaction (the caller's), which also marks it imported.
pub fn import(
    conn: &mut diesel::PgConnection,
    scope: &ProgramScope,
    id: Uuid,
    on_duplicate: OnDuplicate,
    today: NaiveDate,
    progress: &mut dyn FnMut(usize, usize),
) -> AppResult<Done> {
    // Held until the transaction ends: a page seeing the import "importing" knows it is written.
    model::hold_writing_lock(conn, id)?;
    let import = model::find(conn, scope, id)?;
    if !import.is_importing() {
        return Err(AppError::conflict(
            "This import is not waiting to be written (it was reset or is done); nothing was changed.",
        ));
    }
    let keys = check::lookup_keys(&import.rows, &import.mapping, &import.fixes);
    let existing = model::existing(conn, scope, keys)?;
    let rows = check::check(
        &import.rows,
        &import.mapping,
        &import.fixes,
        &existing,
        today,
    );
    let mut done = Done {
        left_out: rows
            .iter()
            .filter(|r| r.outcome == Outcome::Invalid)
            .count(),
        ..Done::default()
    };
    let new: Vec<&CheckedRow> = rows.iter().filter(|r| r.is_new()).collect();
    let dups: Vec<&CheckedRow> = rows.iter().filter(|r| r.is_duplicate()).collect();
    let total = new.len() + dups.len();
    if total == 0 {
        return Err(AppError::conflict(
            "No row can be imported: fix the rows with errors first. Nothing was changed.",
        ));
    }
    progress(0, total);
    let mut student_of: HashMap<u64, Uuid> = HashMap::new();
    for chunk in new.chunks(BATCH) {
        // Each block follows the last: the counter row stays locked until the import commits.
        let changes = chunk.iter().filter_map(|r| r.student.clone()).collect();
        let made = students::create_many(conn, scope, today.year(), changes)?;
        for (row, (student, code)) in chunk.iter().zip(made) {
            student_of.insert(row.line, student);
            let range = done
                .first_and_last
                .get_or_insert_with(|| (code.clone(), code.clone()));
            range.1 = code;
        }
        done.created += chunk.len();
        progress(done.created, total);
    }
    match on_duplicate {
        OnDuplicate::Skip => done.skipped = dups.len(),
        OnDuplicate::Update => {
            done.updated = update(conn, scope, &dups, today, &mut student_of)?;
        }
    }
    progress(total, total);
    done.guardians = link_guardians(conn, scope, &rows, &student_of)?;
    model::finish(conn, scope, id, &done.message())?;
    Ok(done)
}

/// Updates each duplicate's student with the row's non-empty values (their status stays: it
/// changes on the student's page, which says what it does to their enrollments).
fn update(
    conn: &mut diesel::PgConnection,
    scope: &ProgramScope,
    dups: &[&CheckedRow],
    today: NaiveDate,
    student_of: &mut HashMap<u64, Uuid>,
) -> AppResult<usize> {
    let ids: Vec<Uuid> = dups.iter().filter_map(|r| duplicate_of(r)).collect();
    let current: HashMap<Uuid, students::Student> = students::many(conn, scope, &ids)?
        .into_iter()
        .map(|s| (s.id, s))
        .collect();
    let mut updated = 0;
    for row in dups {
        let Some(student) = duplicate_of(row).and_then(|id| current.get(&id)) else {
            continue;
        };
        let form = check::student_form(StudentForm::from_student(student), &row.values);
        let changes = form.validate(today).map_err(|errors| {
            AppError::conflict(format!(
                "Line {}: {} cannot be updated: {} Nothing was imported.",
                row.line,
                student.student_id,
                errors.summary()
            ))
        })?;
        let changes = students::StudentChanges {
            status: student.status,
            ..changes
        };
        students::update(conn, scope, student.id, changes)?;
        student_of.insert(row.line, student.id);
        updated += 1;
    }
    Ok(updated)
}

fn duplicate_of(row: &CheckedRow) -> Option<Uuid> {
    match &row.outcome {
        Outcome::Duplicate { id, .. } => Some(*id),
        _ => None,
    }
}

/// A row's guardian is the program's guardian (or an earlier row's) with the same name and
/// phone, or the same name and email when there is no phone: siblings share one.
fn guardian_key(name: &str, phone: &str, email: &str) -> String {
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    let reach = if digits.is_empty() {
        email.to_lowercase()
    } else {
        digits
    };
    format!("{}\u{1f}{reach}", name.trim().to_lowercase())
}

/// Finds or creates each written row's guardian (once per file) and links them; returns how
/// many guardians were created.
fn link_guardians(
    conn: &mut diesel::PgConnection,
    scope: &ProgramScope,
    rows: &[CheckedRow],
    student_of: &HashMap<u64, Uuid>,
) -> AppResult<usize> {
    let wanted: Vec<(Uuid, &GuardianChanges)> = rows
        .iter()
        .filter_map(|r| Some((*student_of.get(&r.line)?, r.guardian.as_ref()?)))
        .collect();
    if wanted.is_empty() {
        return Ok(0);
    }
    let mut names: Vec<String> = wanted
        .iter()
        .map(|(_, g)| g.full_name.to_lowercase())
        .collect();
    names.sort();
    names.dedup();
    let mut known: HashMap<String, Uuid> = guardians::named(conn, scope, &names)?
        .into_iter()
        .map(|(id, name, phone, email)| (guardian_key(&name, &phone, &email), id))
        .collect();
    let (mut created, mut pairs) = (Vec::new(), Vec::new());
    for (student, g) in wanted {
        let key = guardian_key(&g.full_name, &g.phone, &g.email);
        let guardian = *known.entry(key).or_insert_with(|| {
            let id = Uuid::now_v7();
            created.push((id, g.clone()));
            id
        });
        pairs.push((student, guardian));
    }
    let count = created.len();
    guardians::create_many(conn, scope, created)?;
    guardians::link_many(conn, scope, &pairs, GUARDIAN_FLAGS)?;
    Ok(count)
}

/// Why an import wrote nothing, as its preview says it.
pub fn why_nothing_was_imported(error: &AppError) -> String {
    match error {
        AppError::Conflict(why) => why.clone(),
        AppError::Invalid(errors) => format!("{} Nothing was imported.", errors.summary()),
        _ => "The import stopped on an error and wrote nothing. Try again; if it fails again, tell whoever runs the app.".into(),
    }
}
