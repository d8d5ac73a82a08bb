//! The scoping mechanism cannot be bypassed by forgetting a filter: program-scoped tables are
//! reached only through `ProgramScope`, and this test fails on any other use.

use std::{fs, path::Path};

use academy_admin::access::scope::PROGRAM_SCOPED_TABLES;

/// Files allowed to name program-scoped tables directly, and why.
const ALLOWED: &[(&str, &str)] = &[
    ("src/access/scope.rs", "the scope itself"),
    (
        "src/access/gate.rs",
        "a user's own assignments decide their programs, across programs by nature",
    ),
    (
        "src/demo/",
        "demo data is written per program by the command line",
    ),
    (
        "src/programs/defaults.rs",
        "a new program's reference data, written before any scope exists for it",
    ),
    ("src/schema.rs", "generated table definitions"),
    (
        "src/programs/usage.rs",
        "what depends on a whole program is counted before deleting it, outside any scope",
    ),
    (
        "src/users/assignments.rs",
        "a user's programs and the people a team may add are read across programs, by nature",
    ),
];

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Whether `line` names `{table}::table` (as a whole identifier: `course_age_groups::table` does not
/// name `age_groups`) other than as the target of `insert_into(...)`. Inserting is allowed (the
/// row's program_id comes from the scope and the composite foreign keys check it); reading,
/// updating and deleting must start from the scope.
fn names_table_outside_an_insert(line: &str, table: &str) -> bool {
    let raw = format!("{table}::table");
    line.match_indices(&raw).any(|(at, _)| {
        let before = &line[..at];
        let whole = !before
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric() || c == '_');
        whole && !before.ends_with("insert_into(")
    })
}

#[test]
fn table_names_are_matched_as_whole_identifiers() {
    assert!(names_table_outside_an_insert(
        "age_groups::table.filter(x)",
        "age_groups"
    ));
    assert!(names_table_outside_an_insert(
        "let q = schema::age_groups::table;",
        "age_groups"
    ));
    assert!(!names_table_outside_an_insert(
        "diesel::insert_into(age_groups::table)",
        "age_groups"
    ));
    assert!(!names_table_outside_an_insert(
        "diesel::insert_into(course_age_groups::table)",
        "age_groups"
    ));
    assert!(!names_table_outside_an_insert(
        "course_age_groups::table.filter(x)",
        "age_groups"
    ));
    assert!(names_table_outside_an_insert(
        "course_age_groups::table.filter(x)",
        "course_age_groups"
    ));
    assert!(names_table_outside_an_insert(
        "diesel::insert_into(age_groups::table).select(age_groups::table)",
        "age_groups"
    ));
}

#[test]
fn program_tables_are_only_reached_through_the_scope() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    let mut offences = Vec::new();
    for file in files {
        let relative = file
            .strip_prefix(root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if ALLOWED
            .iter()
            .any(|(allowed, _)| relative.starts_with(allowed))
        {
            continue;
        }
        let text = fs::read_to_string(&file).unwrap();
        for (number, line) in text.lines().enumerate() {
            for table in PROGRAM_SCOPED_TABLES {
                if names_table_outside_an_insert(line, table) {
                    offences.push(format!("{relative}:{}: {}", number + 1, line.trim()));
                }
            }
        }
    }
    assert!(
        offences.is_empty(),
        "program-scoped tables used outside ProgramScope:\n{}",
        offences.join("\n")
    );
}
