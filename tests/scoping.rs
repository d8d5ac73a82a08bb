//! The scoping mechanism cannot be bypassed by forgetting a filter. The compiler does most of it:
//! `crate::schema` hands out a program-scoped table's columns and `insert()`, never the table
//! itself, so reading, updating or deleting its rows can only start from `ProgramScope` (whatever
//! alias is used). This test keeps the two doors that remain honest: the tables are all listed as
//! scoped, including tables added later, and `across_programs` (every table whole) is named only
//! where working across programs is the point.

use std::{fs, path::Path};

use academy_admin::schema::PROGRAM_SCOPED_TABLES;
use diesel::{prelude::*, sql_query, sql_types::Text};

use crate::support::TestDb;

/// Files allowed to use `schema::across_programs`, and why.
const ALLOWED: &[(&str, &str)] = &[
    ("src/schema/", "the tables themselves"),
    (
        "src/access/gate.rs",
        "a user's own assignments decide their programs, across programs by nature",
    ),
    (
        "src/demo/",
        "demo data is written per program by the command line",
    ),
    (
        "src/housekeeping.rs",
        "what the server forgets on a schedule (old import files) it forgets in every program",
    ),
    (
        "src/programs/defaults.rs",
        "a new program's reference data, written before any scope exists for it",
    ),
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

/// Whether `line` uses `across_programs` other than to name a derive's table (a derive makes
/// no query: `#[diesel(table_name = crate::schema::across_programs::students)]`).
fn reaches_across_programs(line: &str) -> bool {
    line.contains("across_programs") && !line.trim_start().starts_with("#[diesel(table_name")
}

#[test]
fn only_the_listed_files_reach_tables_across_programs() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    rust_files(&root.join("bench/src"), &mut files);
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
            if reaches_across_programs(line) {
                offences.push(format!("{relative}:{}: {}", number + 1, line.trim()));
            }
        }
    }
    assert!(
        offences.is_empty(),
        "program-scoped tables reached outside ProgramScope:\n{}",
        offences.join("\n")
    );
}

#[test]
fn a_derive_may_name_its_table_but_nothing_else_may() {
    assert!(!reaches_across_programs(
        "    #[diesel(table_name = crate::schema::across_programs::students)]"
    ));
    assert!(reaches_across_programs(
        "use crate::schema::across_programs::students;"
    ));
    assert!(reaches_across_programs(
        "use crate::schema::{across_programs as everything};"
    ));
}

#[test]
fn every_table_with_a_program_id_is_scoped_and_every_scoped_table_has_one() {
    #[derive(QueryableByName)]
    struct Name {
        #[diesel(sql_type = Text)]
        table_name: String,
    }
    let database = TestDb::new();
    let mut conn = database.connect();
    let with_program_id: Vec<String> = sql_query(
        "SELECT table_name::text AS table_name FROM information_schema.columns
         WHERE table_schema = 'public' AND column_name = 'program_id'
         ORDER BY table_name",
    )
    .load::<Name>(&mut conn)
    .unwrap()
    .into_iter()
    .map(|n| n.table_name)
    .collect();
    let mut scoped: Vec<String> = PROGRAM_SCOPED_TABLES
        .iter()
        .map(|t| t.to_string())
        .collect();
    scoped.sort();
    assert_eq!(
        with_program_id, scoped,
        "a table with a program_id is listed in program_scoped! (src/schema/mod.rs), and only those"
    );
}
