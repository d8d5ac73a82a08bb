//! Debian's headless Chromium driven through chromedriver with fantoccini.

use std::{
    net::TcpListener,
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    time::Duration,
};

use fantoccini::{Client, ClientBuilder, Locator};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

pub struct Browser {
    pub client: Client,
    driver: Child,
    profile: PathBuf,
    base: String,
}

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
    pub async fn open(&self, path: &str) {
        self.client
            .goto(&format!("{}{path}", self.base))
            .await
            .unwrap();
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
        self.client
            .wait()
            .for_element(Locator::Css(css))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
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

    /// Waits until the element's text contains `expected` (htmx swaps and navigations take a moment).
    pub async fn wait_for_text(&self, css: &str, expected: &str) -> String {
        let mut seen = String::new();
        for _ in 0..100 {
            if let Ok(element) = self.client.find(Locator::Css(css)).await {
                seen = element.text().await.unwrap_or_default();
                if seen.contains(expected) {
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
    }

    pub async fn set_width(&self, width: u32) {
        self.client.set_window_size(width, 900).await.unwrap();
    }

    /// Saves a screenshot under target/screenshots, for a person to look at.
    pub async fn screenshot(&self, name: &str) {
        let png = self.client.screenshot().await.unwrap();
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(format!("{name}.png")), png).unwrap();
    }

    pub async fn close(mut self) {
        let _ = self.client.clone().close().await;
        let _ = self.driver.kill();
        let _ = self.driver.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}
