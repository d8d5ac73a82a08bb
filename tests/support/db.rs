//! A fresh database per test, cloned from one migrated and demo-seeded template per run, so tests
//! run in parallel against a real PostgreSQL and never see each other's rows.

use std::sync::{Mutex, OnceLock};

use academy_admin::{db, demo};
use diesel::{pg::PgConnection, prelude::*, sql_query};
use uuid::Uuid;

/// Server URL without a database; `TEST_DATABASE_URL` overrides it.
pub fn server_url() -> String {
    std::env::var("TEST_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres:postgres@127.0.0.1:5432".into())
}

/// The URL of `database` on the test server. Loopback needs no TLS, and without it no test thread
/// is ever inside OpenSSL when the test binary exits.
pub fn url_of(database: &str) -> String {
    format!("{}/{database}?sslmode=disable", server_url())
}

fn admin_connection() -> PgConnection {
    PgConnection::establish(&url_of("postgres"))
        .expect("PostgreSQL must be reachable at TEST_DATABASE_URL (run the README's test command)")
}

/// The template for this run: migrated and seeded once, cloned by every test.
fn template() -> &'static str {
    static TEMPLATE: OnceLock<String> = OnceLock::new();
    static LOCK: Mutex<()> = Mutex::new(());
    TEMPLATE.get_or_init(|| {
        let _guard = LOCK.lock().unwrap();
        let name = format!("aa_tpl_{}", std::process::id());
        let mut admin = admin_connection();
        drop_stale_databases(&mut admin);
        sql_query(format!("CREATE DATABASE {name}"))
            .execute(&mut admin)
            .unwrap();
        let mut conn = PgConnection::establish(&url_of(&name)).unwrap();
        db::migrate(&mut conn).expect("migrations apply to an empty database");
        demo::seed(&mut conn, chrono_tz::Africa::Lagos).expect("demo data seeds");
        drop(conn);
        name
    })
}

/// Databases of earlier runs whose process is gone (a crashed or interrupted run leaves them).
fn drop_stale_databases(admin: &mut PgConnection) {
    #[derive(QueryableByName)]
    struct Name {
        #[diesel(sql_type = diesel::sql_types::Text)]
        datname: String,
    }
    let names: Vec<Name> = sql_query(
        "SELECT datname FROM pg_database WHERE datname LIKE 'aa\\_tpl\\_%' OR datname LIKE 'aa\\_t\\_%'",
    )
    .load(admin)
    .unwrap_or_default();
    for Name { datname } in names {
        let pid = datname
            .rsplit('_')
            .next()
            .and_then(|p| p.parse::<u32>().ok());
        let alive = pid.is_some_and(|pid| std::path::Path::new(&format!("/proc/{pid}")).exists());
        if !alive {
            let _ =
                sql_query(format!("DROP DATABASE IF EXISTS {datname} WITH (FORCE)")).execute(admin);
        }
    }
}

/// A database of one test; dropped when the test ends.
pub struct TestDb {
    pub name: String,
    pub url: String,
}

impl TestDb {
    pub fn new() -> Self {
        let template = template();
        let name = format!(
            "aa_t_{}_{}",
            Uuid::new_v4().simple().to_string().get(..12).unwrap(),
            std::process::id()
        );
        let mut admin = admin_connection();
        // Concurrent clones of one template can collide on its lock; a short retry settles it.
        let create = format!("CREATE DATABASE {name} TEMPLATE {template}");
        let mut tries = 0;
        while let Err(e) = sql_query(&create).execute(&mut admin) {
            tries += 1;
            assert!(tries < 20, "cannot create a test database: {e}");
            std::thread::sleep(std::time::Duration::from_millis(50 * tries));
        }
        Self {
            url: url_of(&name),
            name,
        }
    }

    /// An empty database with nothing applied (for the migration tests).
    pub fn empty() -> Self {
        let name = format!(
            "aa_t_{}_{}",
            Uuid::new_v4().simple().to_string().get(..12).unwrap(),
            std::process::id()
        );
        sql_query(format!("CREATE DATABASE {name}"))
            .execute(&mut admin_connection())
            .unwrap();
        Self {
            url: url_of(&name),
            name,
        }
    }

    pub fn connect(&self) -> PgConnection {
        PgConnection::establish(&self.url).unwrap()
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let _ = sql_query(format!(
            "DROP DATABASE IF EXISTS {} WITH (FORCE)",
            self.name
        ))
        .execute(&mut admin_connection());
    }
}
