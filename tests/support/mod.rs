#![allow(dead_code)] // helpers serve tests of every feature; not each uses all of them
//! What every test needs: the real app on a random port over its own database, signed-in clients,
//! a way to look at the database, and a headless browser.

pub mod browser;
pub mod catalogue;
pub mod db;
pub mod fixtures;
pub mod query_count;

use std::{net::TcpListener, sync::Arc};

use academy_admin::{build_app, config::Config, db as app_db, demo::DEMO_PASSWORD, AppState};
use actix_web::{cookie::Key, HttpServer};
use diesel::{pg::PgConnection, prelude::*, sql_query};
use uuid::Uuid;

pub use db::TestDb;

pub struct TestApp {
    pub base: String,
    pub db: TestDb,
    pub pool: app_db::Pool,
    server: actix_web::dev::ServerHandle,
}

/// Starts the app exactly as `main.rs` serves it, on a random loopback port, over a fresh database.
pub async fn spawn_app() -> TestApp {
    let db = TestDb::new();
    let config = Config::from_lookup(|name| match name {
        "DATABASE_URL" => Some(db.url.clone()),
        "DATABASE_POOL_SIZE" => Some("4".into()),
        _ => None,
    })
    .expect("test configuration is valid");
    let pool = app_db::pool(&db.url, config.pool_size).unwrap();
    let state = AppState {
        pool: pool.clone(),
        config: Arc::new(config),
    };
    let key = Key::generate();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = HttpServer::new(move || build_app(state.clone(), key.clone()))
        .workers(2)
        .disable_signals()
        .listen(listener)
        .unwrap()
        .run();
    let handle = server.handle();
    actix_web::rt::spawn(server);
    TestApp {
        base: format!("http://127.0.0.1:{port}"),
        db,
        pool,
        server: handle,
    }
}

impl TestApp {
    pub fn conn(&self) -> PgConnection {
        self.db.connect()
    }

    /// A client with no session yet.
    pub fn anonymous(&self) -> Client {
        Client::new(&self.base)
    }

    /// A client signed in as one of the demo users (password `academy-demo`).
    pub async fn login(&self, username: &str) -> Client {
        self.login_with(username, DEMO_PASSWORD).await
    }

    pub async fn login_with(&self, username: &str, password: &str) -> Client {
        let mut client = self.anonymous();
        let page = client.get("/login").await;
        assert_eq!(page.status, 200);
        let res = client
            .post("/login", &[("username", username), ("password", password)])
            .await;
        assert_eq!(res.status, 303, "{username} signs in: {}", res.body);
        let landing = client.get("/").await;
        let landing = client
            .get(
                landing
                    .location()
                    .expect("home redirects to a landing page"),
            )
            .await;
        assert_eq!(landing.status, 200, "{username} lands on a page");
        client
    }

    pub fn user_id(&self, username: &str) -> Uuid {
        use academy_admin::schema::across_programs::users;
        users::table
            .filter(users::username.eq(username))
            .select(users::id)
            .first(&mut self.conn())
            .unwrap()
    }

    pub fn program_id(&self, name: &str) -> Uuid {
        use academy_admin::schema::across_programs::programs;
        programs::table
            .filter(programs::name.eq(name))
            .select(programs::id)
            .first(&mut self.conn())
            .unwrap()
    }

    /// An id of a Football row for a route's `{param}`: the route sweep requests it as users of
    /// Swimming, who must get a refusal. Each path parameter name of `routes.rs` needs a line here.
    pub fn football_id_for(&self, param: &str) -> Uuid {
        self.id_for("Football", param)
    }

    /// An id of a row of `program` for a route's `{param}` (see `football_id_for`).
    pub fn id_for(&self, program: &str, param: &str) -> Uuid {
        #[derive(QueryableByName)]
        struct Id {
            #[diesel(sql_type = diesel::sql_types::Uuid)]
            id: Uuid,
        }
        let program_row = format!("(SELECT id FROM programs WHERE name = '{program}')");
        let user = match program {
            "Football" => "football.coord",
            _ => "swim.tutor",
        };
        let query = match param {
            "program_id" => format!("SELECT {program_row} AS id"),
            "user_id" => format!("SELECT id FROM users WHERE username = '{user}'"),
            "course_id" => format!("SELECT id FROM courses WHERE program_id = {program_row} ORDER BY name LIMIT 1"),
            "curriculum_id" => format!("SELECT id FROM curricula WHERE program_id = {program_row} ORDER BY id LIMIT 1"),
            "module_id" => format!("SELECT id FROM modules WHERE program_id = {program_row} ORDER BY id LIMIT 1"),
            "lesson_id" => format!("SELECT id FROM lessons WHERE program_id = {program_row} ORDER BY id LIMIT 1"),
            "facility_id" => format!("SELECT id FROM facilities WHERE program_id = {program_row} ORDER BY name LIMIT 1"),
            "age_group_id" => format!("SELECT id FROM age_groups WHERE program_id = {program_row} ORDER BY code LIMIT 1"),
            "session_type_id" => format!("SELECT id FROM session_types WHERE program_id = {program_row} ORDER BY code LIMIT 1"),
            "price_id" => format!("SELECT id FROM facility_course_pricing WHERE program_id = {program_row} ORDER BY id LIMIT 1"),
            "student_id" => format!("SELECT id FROM students WHERE program_id = {program_row} ORDER BY student_id LIMIT 1"),
            "enrollment_id" => format!("SELECT id FROM course_enrollments WHERE program_id = {program_row} ORDER BY id LIMIT 1"),
            "class_id" => format!("SELECT id FROM classes WHERE program_id = {program_row} ORDER BY name, id LIMIT 1"),
            "session_id" => format!("SELECT id FROM class_sessions WHERE program_id = {program_row} ORDER BY starts_at, id LIMIT 1"),
            "closure_id" => format!("SELECT id FROM program_closures WHERE program_id = {program_row} ORDER BY id LIMIT 1"),
            "invoice_id" => format!("SELECT id FROM invoices WHERE program_id = {program_row} ORDER BY number LIMIT 1"),
            "run_id" => format!("SELECT id FROM invoice_runs WHERE program_id = {program_row} ORDER BY started_at LIMIT 1"),
            "guardian_id" => format!("SELECT id FROM guardians WHERE program_id = {program_row} ORDER BY lower(full_name), id LIMIT 1"),
            // An import is made for the sweep when the program has none (the demo data has none).
            "import_id" => format!(
                "WITH made AS (
                   INSERT INTO imports (program_id, file_name, headers, rows, row_count)
                   SELECT {program_row}, 'sweep.csv', '[\"First name\", \"Last name\"]',
                          '[{{\"line\": 2, \"cells\": [\"Ada\", \"Obi\"]}}]', 1
                   WHERE NOT EXISTS (SELECT 1 FROM imports WHERE program_id = {program_row})
                   RETURNING id)
                 SELECT id FROM made UNION ALL
                 (SELECT id FROM imports WHERE program_id = {program_row} ORDER BY created_at LIMIT 1)
                 LIMIT 1"
            ),
            "charge_id" => format!("SELECT id FROM charges WHERE program_id = {program_row} ORDER BY id LIMIT 1"),
            "payment_id" => format!("SELECT id FROM payments WHERE program_id = {program_row} ORDER BY number LIMIT 1"),
            "term_id" => format!("SELECT id FROM billing_terms WHERE program_id = {program_row} ORDER BY start_date LIMIT 1"),
            other => panic!("the route sweep has no value for {{{other}}}: add it to id_for"),
        };
        sql_query(query)
            .get_result::<Id>(&mut self.conn())
            .unwrap_or_else(|e| panic!("the demo data needs a {program} row for {{{param}}}: {e}"))
            .id
    }

    /// The version a record's forms carry (its `updated_at` in microseconds), as a page shows it.
    pub fn version_of(&self, table: &str, id: Uuid) -> String {
        #[derive(QueryableByName)]
        struct Version {
            #[diesel(sql_type = diesel::sql_types::Text)]
            version: String,
        }
        sql_query(format!(
            "SELECT (extract(epoch FROM updated_at) * 1000000)::bigint::text AS version FROM {table} WHERE id = '{id}'"
        ))
        .get_result::<Version>(&mut self.conn())
        .map(|v| v.version)
        .unwrap_or_default()
    }

    /// A summary of every row of every table (but sessions and login throttling), to show that a
    /// refused request changed nothing.
    pub fn fingerprint(&self) -> String {
        #[derive(QueryableByName)]
        struct Row {
            #[diesel(sql_type = diesel::sql_types::Text)]
            summary: String,
        }
        let mut conn = self.conn();
        let tables: Vec<Row> = sql_query(
            "SELECT table_name::text AS summary FROM information_schema.tables
             WHERE table_schema = 'public' AND table_type = 'BASE TABLE'
               AND table_name NOT IN ('http_sessions', 'login_failures', '__diesel_schema_migrations')
             ORDER BY table_name",
        )
        .load(&mut conn)
        .unwrap();
        let parts: Vec<String> = tables
            .iter()
            .map(|t| format!("SELECT '{0}:' || count(*) || ':' || coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') FROM {0} t", t.summary))
            .collect();
        let query = format!(
            "SELECT concat_ws(' ', {}) AS summary",
            parts
                .iter()
                .map(|p| format!("({p})"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        sql_query(query)
            .get_result::<Row>(&mut conn)
            .unwrap()
            .summary
    }
}

/// How many running counts (`student_counts`, `enrollment_counts`) differ from a recount: 0 when
/// the triggers kept them exact.
pub fn count_drift(conn: &mut diesel::PgConnection) -> i64 {
    #[derive(diesel::QueryableByName)]
    struct Drift {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let drift = |conn: &mut diesel::PgConnection, sql: &str| {
        diesel::sql_query(sql).get_result::<Drift>(conn).unwrap().n
    };
    drift(
        conn,
        "SELECT count(*) AS n FROM (SELECT program_id, status, count(*) AS c FROM students GROUP BY 1, 2) a
         FULL JOIN student_counts s USING (program_id, status)
         WHERE coalesce(a.c, 0) <> coalesce(s.students, 0)",
    ) + drift(
        conn,
        "SELECT count(*) AS n FROM (SELECT program_id, course_id, facility_id, age_group, location_type,
                session_type, status, count(*) AS c FROM course_enrollments GROUP BY 1, 2, 3, 4, 5, 6, 7) a
         FULL JOIN enrollment_counts e
           USING (program_id, course_id, facility_id, age_group, location_type, session_type, status)
         WHERE coalesce(a.c, 0) <> coalesce(e.enrollments, 0)",
    )
}

impl Drop for TestApp {
    fn drop(&mut self) {
        // Stop accepting before the database goes away.
        let _ = self.server.stop(false);
    }
}

/// A browser-like HTTP client: keeps cookies, follows no redirects, sends the page's CSRF token.
#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    base: String,
    pub csrf_token: Option<String>,
}

#[derive(Debug)]
pub struct Page {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub body: String,
}

impl Page {
    pub fn location(&self) -> Option<&str> {
        self.headers.get("location").and_then(|v| v.to_str().ok())
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The `Set-Cookie` header that sets the cookie `name`.
    pub fn set_cookie(&self, name: &str) -> Option<String> {
        self.headers
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with(&format!("{name}=")))
            .map(str::to_string)
    }

    /// The value of the hidden input `name` of the form that follows `marker` (e.g. its action).
    pub fn hidden_after(&self, marker: &str, name: &str) -> Option<String> {
        let rest = &self.body[self.body.find(marker)?..];
        let field = format!("name=\"{name}\" value=\"");
        let start = rest.find(&field)? + field.len();
        Some(rest[start..start + rest[start..].find('"')?].to_string())
    }

    /// The value of the first hidden input named `name`.
    pub fn hidden(&self, name: &str) -> Option<String> {
        let marker = format!("name=\"{name}\" value=\"");
        let start = self.body.find(&marker)? + marker.len();
        let end = self.body[start..].find('"')?;
        Some(self.body[start..start + end].to_string())
    }
}

impl Client {
    pub fn new(base: &str) -> Self {
        let http = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        Self {
            http,
            base: base.to_string(),
            csrf_token: None,
        }
    }

    async fn send(&mut self, request: reqwest::RequestBuilder) -> Page {
        let res = request.send().await.expect("the app answers");
        let status = res.status().as_u16();
        let headers = res.headers().clone();
        let body = res.text().await.unwrap();
        let page = Page {
            status,
            headers,
            body,
        };
        if let Some(token) = page.hidden("csrf_token") {
            self.csrf_token = Some(token);
        }
        page
    }

    pub async fn get(&mut self, path: &str) -> Page {
        let request = self.http.get(format!("{}{path}", self.base));
        self.send(request).await
    }

    /// GET as htmx does it, naming the page's program.
    pub async fn htmx_get(&mut self, path: &str, program: Option<Uuid>) -> Page {
        let mut request = self
            .http
            .get(format!("{}{path}", self.base))
            .header("HX-Request", "true");
        if let Some(program) = program {
            request = request.header("X-Program-Context", program.to_string());
        }
        self.send(request).await
    }

    /// A plain form post with the CSRF token of the last page seen.
    pub async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> Page {
        let token = self
            .csrf_token
            .clone()
            .expect("a page with a CSRF token was fetched first");
        let mut all = vec![("csrf_token", token.as_str())];
        all.extend_from_slice(fields);
        self.post_raw(path, &all).await
    }

    /// A form post exactly as given: no token added.
    pub async fn post_raw(&mut self, path: &str, fields: &[(&str, &str)]) -> Page {
        let body = serde_urlencoded_body(fields);
        let request = self
            .http
            .post(format!("{}{path}", self.base))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body);
        self.send(request).await
    }

    /// A form post of an already encoded body, byte for byte.
    pub async fn post_body(&mut self, path: &str, body: String) -> Page {
        let request = self
            .http
            .post(format!("{}{path}", self.base))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body);
        self.send(request).await
    }

    /// A `multipart/form-data` post of `fields` (the CSRF token added) and one file, as a
    /// browser sends a form with a file input.
    pub async fn post_file(
        &mut self,
        path: &str,
        fields: &[(&str, &str)],
        file: (&str, &str, &[u8]),
    ) -> Page {
        let token = self
            .csrf_token
            .clone()
            .expect("a page with a CSRF token was fetched first");
        let boundary = "----academy-test-boundary-7d41";
        let mut body = Vec::new();
        for (name, value) in [("csrf_token", token.as_str())].iter().chain(fields) {
            body.extend_from_slice(
                format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
                    .as_bytes(),
            );
        }
        let (name, file_name, bytes) = file;
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{file_name}\"\r\nContent-Type: text/csv\r\n\r\n")
                .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let request = self
            .http
            .post(format!("{}{path}", self.base))
            .header(
                "content-type",
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(body);
        self.send(request).await
    }

    /// A post as htmx sends it: token and program in headers.
    pub async fn htmx_post(
        &mut self,
        path: &str,
        fields: &[(&str, &str)],
        program: Option<Uuid>,
    ) -> Page {
        let token = self
            .csrf_token
            .clone()
            .expect("a page with a CSRF token was fetched first");
        let mut request = self
            .http
            .post(format!("{}{path}", self.base))
            .header("HX-Request", "true")
            .header("X-CSRF-Token", token)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(serde_urlencoded_body(fields));
        if let Some(program) = program {
            request = request.header("X-Program-Context", program.to_string());
        }
        self.send(request).await
    }
}

fn serde_urlencoded_body(fields: &[(&str, &str)]) -> String {
    serde_urlencoded::to_string(fields).unwrap()
}
