//! Command line: `serve` (default), `migrate`, `create-super-admin`, `seed-demo`. (The benchmark's
//! commands are in the `bench/` crate.)

use std::{process::ExitCode, time::Instant};

use academy_admin::{build_app, config::Config, db, demo, users, AppState};
use actix_web::{cookie::Key, HttpServer};
use diesel::{Connection, PgConnection};

const USAGE: &str = "usage: academy-admin [serve | migrate | create-super-admin | seed-demo]";

fn main() -> ExitCode {
    init_tracing();
    let config = match Config::from_env() {
        Ok(config) => config,
        Err(e) => {
            eprintln!("academy-admin cannot start: {e}");
            return ExitCode::from(2);
        }
    };
    let command = std::env::args().nth(1).unwrap_or_else(|| "serve".into());
    let result = match command.as_str() {
        "serve" => serve(config),
        "migrate" => migrated_connection(&config).map(|_| ()),
        "create-super-admin" => {
            migrated_connection(&config).and_then(|mut conn| create_super_admin(&mut conn))
        }
        "seed-demo" => migrated_connection(&config).and_then(|mut conn| {
            demo::seed(&mut conn, config.time_zone)?;
            println!(
                "Demo data is in place. Sign in as swim.coord / {}.",
                demo::DEMO_PASSWORD
            );
            Ok(())
        }),
        "-h" | "--help" | "help" => {
            println!("{USAGE}");
            Ok(())
        }
        other => Err(format!("unknown command {other:?}\n{USAGE}").into()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("academy-admin {command}: {e}");
            ExitCode::FAILURE
        }
    }
}

type CliResult<T> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false)
        .init();
}

/// One connection with every migration applied. One-shot commands use it rather than a pool:
/// a pool tops itself up on background threads, and a process that exits while one of them is
/// inside libpq can crash on the way out.
fn migrated_connection(config: &Config) -> CliResult<PgConnection> {
    let mut conn = PgConnection::establish(&config.database_url).map_err(|e| {
        format!("cannot connect to the database at DATABASE_URL ({e}); is PostgreSQL running?")
    })?;
    let applied = db::migrate(&mut conn)?;
    if applied > 0 {
        tracing::info!(applied, "database migrations applied");
    }
    Ok(conn)
}

fn serve(config: Config) -> CliResult<()> {
    let started = Instant::now();
    drop(migrated_connection(&config)?);
    let pool = db::pool(&config.database_url, config.pool_size)
        .map_err(|e| format!("cannot open the database pool ({e})"))?;
    let session_key = config.session_key.clone().unwrap_or_else(|| {
        tracing::warn!(
            "SESSION_KEY is not set: using a random key, so sessions end when the server restarts"
        );
        Key::generate()
    });
    let bind_addr = config.bind_addr;
    academy_admin::housekeeping::start(pool.clone());
    let state = AppState {
        pool,
        config: std::sync::Arc::new(config),
    };
    actix_web::rt::System::new().block_on(async move {
        let server = HttpServer::new(move || build_app(state.clone(), session_key.clone()))
            .bind(bind_addr)
            .map_err(|e| format!("cannot listen on BIND_ADDR {bind_addr}: {e}"))?
            .run();
        tracing::info!(%bind_addr, ready_in_ms = started.elapsed().as_millis() as u64, "Academy Admin is listening on http://{bind_addr}");
        server.await.map_err(Into::into)
    })
}

fn create_super_admin(conn: &mut PgConnection) -> CliResult<()> {
    let ask = |name: &str, prompt: &str, secret: bool| -> CliResult<String> {
        if let Ok(value) = std::env::var(name) {
            if !value.trim().is_empty() {
                return Ok(value);
            }
        }
        if secret {
            Ok(rpassword::prompt_password(prompt)?)
        } else {
            eprint!("{prompt}");
            let mut line = String::new();
            std::io::stdin().read_line(&mut line)?;
            Ok(line.trim().to_string())
        }
    };
    let username = ask("ADMIN_USERNAME", "Username: ", false)?;
    let email = ask("ADMIN_EMAIL", "Email: ", false)?;
    let password = ask("ADMIN_PASSWORD", "Password (10+ characters): ", true)?;
    users::create_super_admin(conn, &username, &email, &password)?;
    println!("Super admin {username} created.");
    Ok(())
}
