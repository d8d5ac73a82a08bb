//! Debian's headless Chromium driven through chromedriver with fantoccini.
//!
//! Every page a journey visits is checked (`check_page`): axe-core (vendored in
//! tests/vendor/axe-core) finds no serious or critical accessibility violation, and the browser
//! console shows no error. A page is checked when `open` loads it, when `sign_in` lands on it, when
//! `wait_for_text` first sees it (a navigation after a click) and, in the state it is in then, by
//! each `screenshot`; `close` reads the console one last time. Screenshots are taken 1280 and 390
//! px wide.

use std::{
    cell::{Cell, RefCell},
    net::TcpListener,
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    time::Duration,
};

use fantoccini::{wd::WebDriverCompatibleCommand, Client, ClientBuilder, Locator};
use serde_json::Value;

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
/// The window height; journeys choose the width (`set_width`).
const HEIGHT: u32 = 900;
/// The widths every screenshot is taken at: a laptop and a phone.
const SCREENSHOT_WIDTHS: [u32; 2] = [1280, 390];
const AXE: &str = include_str!("../vendor/axe-core/axe.min.js");

pub struct Browser {
    pub client: Client,
    driver: Child,
    profile: PathBuf,
    base: String,
    /// The width the journey set (screenshots take both widths, then come back to it).
    width: Cell<u32>,
    /// `performance.timeOrigin` of the last document checked: a new one is a new page.
    checked: RefCell<Option<Value>>,
}

/// Chromium's console messages since the last read, through chromedriver's log endpoint (the
/// `goog:loggingPrefs` capability keeps them; WebDriver itself has no such command, so it is
/// issued as a custom command: POST /session/{id}/se/log {"type": "browser"}). Reading empties it.
#[derive(Debug)]
struct BrowserLog;

impl WebDriverCompatibleCommand for BrowserLog {
    fn endpoint(
        &self,
        base_url: &reqwest::Url,
        session_id: Option<&str>,
    ) -> Result<reqwest::Url, <reqwest::Url as std::str::FromStr>::Err> {
        base_url.join(&format!(
            "session/{}/se/log",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &reqwest::Url) -> (reqwest::Method, Option<String>) {
        (reqwest::Method::POST, Some(r#"{"type":"browser"}"#.into()))
    }
}

/// Runs axe on the document and answers its violations (rule, impact, help, node targets), or an
/// `error` if axe could not run. It first lets running CSS animations end (at most 5 s): text
/// fading out (a cell's "Saved") would otherwise be measured at whatever contrast it had then.
const RUN_AXE: &str = r#"
const done = arguments[arguments.length - 1];
const settled = Promise.race([
  Promise.all(document.getAnimations().map((a) => a.finished.catch(() => null))),
  new Promise((resolve) => setTimeout(resolve, 5000)),
]);
settled.then(() => axe.run(document, { resultTypes: ["violations"] })).then(
  (results) => done({ violations: results.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map((n) => ({ target: n.target.join(" "), summary: n.failureSummary })),
  })) }),
  (error) => done({ error: String(error) }),
);
"#;

/// Starts a fresh headless browser. Without Chromium installed this is `None` (the test says it
/// skipped), except under `CI=true`, where a missing browser fails the run.
pub async fn start(base: &str) -> Option<Browser> {
    if !Path::new(CHROMIUM).exists() || !Path::new(CHROMEDRIVER).exists() {
        if std::env::var("CI").as_deref() == Ok("true") {
            panic!("CI=true but {CHROMIUM} or {CHROMEDRIVER} is missing: the test command installs them");
        }
        eprintln!("SKIPPED: browser test needs {CHROMIUM} and {CHROMEDRIVER} (the README's test command installs them)");
        return None;
    }
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let driver = Command::new(CHROMEDRIVER)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver starts");
    let profile =
        std::env::temp_dir().join(format!("aa-chromium-{}", uuid::Uuid::new_v4().simple()));
    let capabilities = serde_json::json!({
        // Chromium's console, read by `console_errors`.
        "goog:loggingPrefs": { "browser": "ALL" },
        "goog:chromeOptions": {
            "binary": CHROMIUM,
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-quic", "--no-first-run", "--window-size=1280,900",
                format!("--user-data-dir={}", profile.display()),
            ]
        }
    });
    let capabilities = capabilities.as_object().unwrap().clone();
    let url = format!("http://127.0.0.1:{port}");
    let mut last_error = None;
    for _ in 0..50 {
        match ClientBuilder::native()
            .capabilities(capabilities.clone())
            .connect(&url)
            .await
        {
            Ok(client) => {
                return Some(Browser {
                    client,
                    driver,
                    profile,
                    base: base.to_string(),
                    width: Cell::new(1280),
                    checked: RefCell::new(None),
                });
            }
            Err(e) => {
                last_error = Some(e);
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
    }
    panic!("cannot reach chromedriver: {last_error:?}");
}

impl Browser {
    /// Loads the page and checks it (`check_page`).
    pub async fn open(&self, path: &str) {
        self.client
            .goto(&format!("{}{path}", self.base))
            .await
            .unwrap();
        self.check_new_page().await;
    }

    pub async fn fill(&self, css: &str, value: &str) {
        let field = self
            .client
            .wait()
            .for_element(Locator::Css(css))
            .await
            .unwrap();
        field.clear().await.unwrap();
        field.send_keys(value).await.unwrap();
    }

    pub async fn click(&self, css: &str) {
        // htmx may swap the element out between finding and clicking it (a live fragment that
        // refreshes): a stale element was not clicked, so find it again.
        for _ in 0..20 {
            let element = self
                .client
                .wait()
                .for_element(Locator::Css(css))
                .await
                .unwrap();
            match element.click().await {
                Ok(()) => return,
                Err(e) if e.is_stale_element_reference() => {
                    tokio::time::sleep(Duration::from_millis(100)).await
                }
                Err(e) => panic!("clicking {css}: {e}"),
            }
        }
        panic!("{css} was replaced each time it was about to be clicked");
    }

    pub async fn text(&self, css: &str) -> String {
        self.client
            .wait()
            .for_element(Locator::Css(css))
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    }

    /// Waits until the element's text contains `expected` (htmx swaps and navigations take a moment);
    /// a page seen for the first time (after a click that navigated) is checked.
    pub async fn wait_for_text(&self, css: &str, expected: &str) -> String {
        let mut seen = String::new();
        for _ in 0..100 {
            if let Ok(element) = self.client.find(Locator::Css(css)).await {
                seen = element.text().await.unwrap_or_default();
                if seen.contains(expected) {
                    self.check_new_page().await;
                    return seen;
                }
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("{css} never showed {expected:?}; last saw {seen:?}");
    }

    /// Signs out from the header (opening the phone menu first where the page is that narrow).
    pub async fn sign_out(&self) {
        let toggle = self.client.find(Locator::Css(".menu-toggle")).await;
        if let Ok(toggle) = toggle {
            if toggle.is_displayed().await.unwrap_or(false)
                && toggle.attr("aria-expanded").await.ok().flatten().as_deref() != Some("true")
            {
                toggle.click().await.unwrap();
            }
        }
        let account = self
            .client
            .find(Locator::Css("details.account"))
            .await
            .unwrap();
        if account.attr("open").await.ok().flatten().is_none() {
            self.click("details.account summary").await;
        }
        self.click(".account button").await;
    }

    pub async fn sign_in(&self, username: &str) {
        self.open("/login").await;
        self.fill("#username", username).await;
        self.fill("#password", academy_admin::demo::DEMO_PASSWORD)
            .await;
        self.click("button[type=submit]").await;
        self.client
            .wait()
            .for_element(Locator::Css(".topbar"))
            .await
            .unwrap();
        self.check_new_page().await;
    }

    pub async fn set_width(&self, width: u32) {
        self.client.set_window_size(width, HEIGHT).await.unwrap();
        self.width.set(width);
    }

    /// Saves the page as `name-1280.png` and `name-390.png` under target/screenshots, for a person
    /// to look at, and checks it (`check_page`); the window comes back to the journey's width.
    pub async fn screenshot(&self, name: &str) {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
        std::fs::create_dir_all(&dir).unwrap();
        let current = self.width.get();
        // The journey's width first: no resize for that one.
        let mut widths = SCREENSHOT_WIDTHS;
        widths.sort_by_key(|w| *w != current);
        for width in widths {
            if width != current {
                self.client.set_window_size(width, HEIGHT).await.unwrap();
            }
            let png = self.client.screenshot().await.unwrap();
            std::fs::write(dir.join(format!("{name}-{width}.png")), png).unwrap();
        }
        if widths.iter().any(|w| *w != current) {
            self.client.set_window_size(current, HEIGHT).await.unwrap();
        }
        // After the pictures, which show the page as it was (the check lets animations end).
        self.check_page().await;
    }

    /// When this document was loaded: a new value is a new page.
    async fn document_origin(&self) -> Value {
        self.client
            .execute("return performance.timeOrigin;", vec![])
            .await
            .unwrap()
    }

    /// `check_page` unless this document was checked already.
    async fn check_new_page(&self) {
        if self.checked.borrow().as_ref() != Some(&self.document_origin().await) {
            self.check_page().await;
        }
    }

    /// Fails on any console error so far, then on any serious or critical axe violation of the
    /// page as it is now.
    pub async fn check_page(&self) {
        self.assert_no_console_error().await;
        self.assert_accessible().await;
        *self.checked.borrow_mut() = Some(self.document_origin().await);
    }

    /// Runs axe-core on the current page; fails naming each serious or critical violation (rule,
    /// impact, help and the offending nodes' targets). Minor and moderate ones are printed.
    pub async fn assert_accessible(&self) {
        let url = self.client.current_url().await.unwrap();
        let serious = self.axe_violations().await;
        assert!(
            serious.is_empty(),
            "axe finds {} serious or critical violations on {url}:\n{}",
            serious.len(),
            serious.join("\n")
        );
    }

    /// axe-core's serious and critical violations on the current page, one line each.
    pub async fn axe_violations(&self) -> Vec<String> {
        let url = self.client.current_url().await.unwrap();
        // A new document has no axe yet: inject it (WebDriver's scripts are not subject to the
        // page's CSP).
        let loaded = self
            .client
            .execute("return typeof window.axe === 'object';", vec![])
            .await
            .unwrap();
        if loaded != Value::Bool(true) {
            self.client
                .execute(&format!("{AXE}\nreturn true;"), vec![])
                .await
                .unwrap();
        }
        let result = self.client.execute_async(RUN_AXE, vec![]).await.unwrap();
        if let Some(error) = result.get("error") {
            panic!("axe could not run on {url}: {error}");
        }
        let mut serious = Vec::new();
        for violation in result["violations"].as_array().into_iter().flatten() {
            let impact = violation["impact"].as_str().unwrap_or("unknown");
            let nodes: Vec<String> = violation["nodes"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|n| {
                    format!(
                        "{} ({})",
                        n["target"].as_str().unwrap_or_default(),
                        n["summary"].as_str().unwrap_or_default().replace('\n', " ")
                    )
                })
                .collect();
            let line = format!(
                "{} [{impact}] {}: {}",
                violation["id"].as_str().unwrap_or_default(),
                violation["help"].as_str().unwrap_or_default(),
                nodes.join("; ")
            );
            if matches!(impact, "serious" | "critical") {
                serious.push(line);
            } else {
                eprintln!("axe on {url}: {line}");
            }
        }
        serious
    }

    /// Chromium's console errors (level SEVERE: console.error, uncaught exceptions, CSP refusals,
    /// failed loads) since the last read. Chromium also logs every page or htmx answer with a 4xx
    /// status as a failed load: those are the app's answers (a refused sign-in is a 401 with the
    /// form, a refused form a 422 with its messages, a page of another program a 404 page), so they
    /// are not counted; a 4xx of a static file, or any 5xx, is.
    pub async fn console_errors(&self) -> Vec<String> {
        let log = self.client.issue_cmd(BrowserLog).await.unwrap();
        let answer_of_the_app = |entry: &Value| {
            let message = entry["message"].as_str().unwrap_or_default();
            let url = message.split(' ').next().unwrap_or_default();
            entry["source"] == "network"
                && url.starts_with(&format!("{}/", self.base))
                && !url.starts_with(&format!("{}/static/", self.base))
                && message
                    .contains("Failed to load resource: the server responded with a status of 4")
        };
        log.as_array()
            .into_iter()
            .flatten()
            .filter(|entry| entry["level"] == "SEVERE" && !answer_of_the_app(entry))
            .map(|entry| {
                format!(
                    "{}: {}",
                    entry["source"].as_str().unwrap_or_default(),
                    entry["message"].as_str().unwrap_or_default()
                )
            })
            .collect()
    }

    /// Fails on any console error since the last check.
    pub async fn assert_no_console_error(&self) {
        let url = self.client.current_url().await.unwrap();
        let errors = self.console_errors().await;
        assert!(
            errors.is_empty(),
            "the browser console shows errors (before or on {url}):\n{}",
            errors.join("\n")
        );
    }

    /// Quits the browser, after a last look at the console.
    pub async fn close(mut self) {
        let errors = self.console_errors().await;
        let _ = self.client.clone().close().await;
        let _ = self.driver.kill();
        let _ = self.driver.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
        assert!(
            errors.is_empty(),
            "the browser console shows errors at the end of the journey:\n{}",
            errors.join("\n")
        );
    }
}
