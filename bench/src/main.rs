//! `academy-admin-bench bench-seed ...` and `academy-admin-bench bench-replay-script ...`, run by
//! `scripts/bench.sh`.

use std::process::ExitCode;

use academy_admin::{config::Config, db};
use academy_admin_bench as bench;
use diesel::{Connection, PgConnection};

const USAGE: &str = "usage: academy-admin-bench [bench-seed [--programs N] [--facilities N] [--courses N] [--students N] [--enrollments N] | bench-replay-script --database DB --page KEY --script FILE --vars FILE]";

type CliResult<T> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("bench-seed") => seed(&args[1..]),
        Some("bench-replay-script") => replay_script(&args[1..]),
        _ => Err(USAGE.into()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("academy-admin-bench: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Fills `DATABASE_URL` (migrated first) with a large academy.
fn seed(args: &[String]) -> CliResult<()> {
    let sizes = bench::Sizes::parse(args)?;
    let config = Config::from_env()?;
    let mut conn = PgConnection::establish(&config.database_url).map_err(|e| {
        format!("cannot connect to the database at DATABASE_URL ({e}); is PostgreSQL running?")
    })?;
    db::migrate(&mut conn)?;
    println!("Generating {sizes:?}");
    bench::seed(&mut conn, &sizes, |line| println!("  {line}"))?;
    println!("Sign in as bench.coord / {}.", bench::BENCH_PASSWORD);
    Ok(())
}

/// Reads a PostgreSQL log excerpt on stdin; writes the page's pgbench script to `--script` and its
/// `-Dname=value` arguments to `--vars`, NUL-separated since a value may span lines.
fn replay_script(args: &[String]) -> CliResult<()> {
    let flag = |name: &str| -> CliResult<String> {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
            .ok_or_else(|| format!("{name} is required\n{USAGE}").into())
    };
    let (database, page) = (flag("--database")?, flag("--page")?);
    let (script_path, vars_path) = (flag("--script")?, flag("--vars")?);
    let mut log = String::new();
    std::io::Read::read_to_string(&mut std::io::stdin(), &mut log)?;
    let script = bench::replay::script_for_page(&log, &database, &page)?;
    std::fs::write(&script_path, &script.text)?;
    let vars: String = script
        .defines
        .iter()
        .map(|(name, value)| format!("-D{name}={value}\0"))
        .collect();
    std::fs::write(&vars_path, vars)?;
    println!("{}", script.statements);
    Ok(())
}
