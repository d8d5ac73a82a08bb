//! `academy-admin-bench bench-seed ...` and `academy-admin-bench bench-replay-script ...`, run by
//! `scripts/bench.sh`.

use std::process::ExitCode;

use academy_admin::{config::Config, db};
use academy_admin_bench as bench;
use diesel::{Connection, PgConnection};

const USAGE: &str = "usage: academy-admin-bench [bench-seed [--programs N] [--facilities N] [--courses N] [--students N] [--enrollments N] | bench-invoice-run --month YYYY-MM [--programs N] | bench-import [--rows N] [--program NAME] | bench-replay-script --database DB --page KEY --script FILE --vars FILE]";

type CliResult<T> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("bench-seed") => seed(&args[1..]),
        Some("bench-replay-script") => replay_script(&args[1..]),
        Some("bench-invoice-run") => invoice_run(&args[1..]),
        Some("bench-import") => import(&args[1..]),
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

/// Generates `--month`'s invoices of the first `--programs` generated programs (all 20 by
/// default), one timed run each, then pays a share of them; a program invoiced for the month
/// already is skipped.
fn invoice_run(args: &[String]) -> CliResult<()> {
    let flag = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let month = flag("--month").ok_or_else(|| format!("--month is required\n{USAGE}"))?;
    let month = chrono::NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d")
        .map_err(|_| format!("--month {month}: not a YYYY-MM month"))?;
    let programs: u32 = flag("--programs").map_or(Ok(20), |n| n.parse())?;
    let config = Config::from_env()?;
    let mut conn = PgConnection::establish(&config.database_url)?;
    db::migrate(&mut conn)?;
    let mut slowest = std::time::Duration::ZERO;
    for n in 1..=programs {
        let name = format!("Bench {n:03}");
        match bench::invoice_run(&mut conn, &name, month, config.time_zone, |line| {
            println!("  {line}")
        }) {
            Ok(figures) => {
                slowest = slowest.max(figures.elapsed);
                println!(
                    "{name}: {} invoices, {} lines in {:.1}s",
                    figures.invoices,
                    figures.lines,
                    figures.elapsed.as_secs_f64()
                );
                bench::pay_share(&mut conn, &name, month)?;
            }
            Err(academy_admin::error::AppError::Conflict(why)) => println!("{name}: {why}"),
            Err(e) => return Err(e.into()),
        }
    }
    println!("slowest run: {:.1}s", slowest.as_secs_f64());
    Ok(())
}

/// Imports a generated CSV of `--rows` new students (10,000 by default) with their guardians
/// into `--program` (Bench 001 by default), timing the upload, the preview and the import.
fn import(args: &[String]) -> CliResult<()> {
    let flag = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let rows: usize = flag("--rows").map_or(Ok(10_000), |n| n.parse())?;
    let program = flag("--program").unwrap_or_else(|| "Bench 001".into());
    let config = Config::from_env()?;
    let mut conn = PgConnection::establish(&config.database_url)?;
    db::migrate(&mut conn)?;
    let tag = format!("Imp{}", chrono::Utc::now().timestamp() % 1_000_000);
    let file = bench::import_file(rows, &tag);
    println!(
        "{program}: importing {rows} rows ({:.1} MB)",
        file.len() as f64 / 1_048_576.0
    );
    let f = bench::import(&mut conn, &program, &file, config.today())?;
    println!(
        "upload {:.2}s, preview {:.2}s, import {:.2}s (one transaction): {} students, {} guardians",
        f.upload.as_secs_f64(),
        f.preview.as_secs_f64(),
        f.import.as_secs_f64(),
        f.created,
        f.guardians
    );
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
