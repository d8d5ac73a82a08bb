//! The binary's one-shot commands, run as a user runs them.

use std::process::Command;

use crate::support::TestDb;

fn run(database: &TestDb, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_academy-admin"))
        .args(args)
        .env("DATABASE_URL", &database.url)
        .env("RUST_LOG", "warn")
        .output()
        .expect("the binary runs")
}

#[test]
fn migrate_and_seed_demo_exit_cleanly_every_time() {
    let database = TestDb::empty();
    // A crash on the way out (a pool thread still inside libpq) showed up in about one run of three.
    for _ in 0..8 {
        let out = run(&database, &["migrate"]);
        assert!(
            out.status.success(),
            "migrate: {:?} {}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
    }
    for _ in 0..2 {
        let out = run(&database, &["seed-demo"]);
        assert!(
            out.status.success(),
            "seed-demo: {:?} {}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(String::from_utf8_lossy(&out.stdout).contains("Sign in as swim.coord"));
    }
}

#[test]
fn an_invalid_setting_stops_start_up_with_a_message_naming_it() {
    let out = Command::new(env!("CARGO_BIN_EXE_academy-admin"))
        .arg("migrate")
        .env("DATABASE_URL", "mysql://nope")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("DATABASE_URL") && stderr.contains("postgres://"),
        "{stderr}"
    );
}
