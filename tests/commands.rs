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

/// `run.sh`'s database set-up (`ensure_app_database` in scripts/lib.sh), on a scratch role and
/// database: the app gets a login role of its own that owns its database and can migrate it,
/// and the postgres superuser is left exactly as it was.
#[test]
fn the_run_setup_gives_the_app_a_role_of_its_own_and_leaves_the_superuser_as_it_was() {
    use diesel::{prelude::*, sql_query, sql_types::Text};
    #[derive(QueryableByName)]
    struct Line {
        #[diesel(sql_type = Text)]
        line: String,
    }
    let mut admin = PgConnection::establish(&crate::support::db::url_of("postgres")).unwrap();
    let superuser = |admin: &mut PgConnection| {
        sql_query(
            "SELECT concat_ws('|', rolsuper, rolcanlogin, coalesce(rolpassword, '-')) AS line
             FROM pg_authid WHERE rolname = 'postgres'",
        )
        .get_result::<Line>(admin)
        .unwrap()
        .line
    };
    let before = superuser(&mut admin);
    let name = format!("aa_setup_{}", std::process::id());
    let password_file = std::env::temp_dir().join(format!("{name}.password"));
    let root = env!("CARGO_MANIFEST_DIR");
    let out = Command::new("bash")
        .arg("-c")
        .arg(r#". scripts/lib.sh && ensure_app_database "$SCRATCH" >&2 && printf %s "$DATABASE_URL""#)
        .current_dir(root)
        .env_remove("DATABASE_URL")
        .env("SCRATCH", &name)
        .env("APP_DB_ROLE", &name)
        .env("APP_DB_PASSWORD_FILE", &password_file)
        .env("ADMIN_DATABASE_URL", crate::support::db::url_of("postgres"))
        .output()
        .expect("bash runs");
    let url = String::from_utf8_lossy(&out.stdout).to_string();
    let result = std::panic::catch_unwind(|| {
        assert!(
            out.status.success(),
            "set-up: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(url.starts_with(&format!("postgres://{name}:")), "{url}");
        let mut app = PgConnection::establish(&url).expect("the app's role signs in");
        let rights = sql_query(
            "SELECT concat_ws('|', r.rolsuper, r.rolcreaterole, r.rolcreatedb,
                    pg_get_userbyid(d.datdba) = current_user) AS line
             FROM pg_roles r, pg_database d
             WHERE r.rolname = current_user AND d.datname = current_database()",
        )
        .get_result::<Line>(&mut app)
        .unwrap()
        .line;
        assert_eq!(rights, "f|f|f|t", "no superuser, owns its database");
        academy_admin::db::migrate(&mut app).expect("the app's role migrates its database");
        let mode = std::fs::metadata(&password_file).unwrap();
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            mode.permissions().mode() & 0o777,
            0o600,
            "the password file is private"
        );
    });
    let _ = sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(&mut admin);
    let _ = sql_query(format!("DROP ROLE IF EXISTS {name}")).execute(&mut admin);
    let _ = std::fs::remove_file(&password_file);
    assert_eq!(
        superuser(&mut admin),
        before,
        "the postgres role is as it was"
    );
    if let Err(panic) = result {
        std::panic::resume_unwind(panic);
    }
}
