//! Counts the queries Diesel sends, per database: every connection established after `install()`
//! reports its queries under the name of its database, so a test can measure what one request
//! costs on its own database while other tests run in parallel.

use std::{
    collections::HashMap,
    sync::{Mutex, Once},
};

use diesel::connection::{set_default_instrumentation, Instrumentation, InstrumentationEvent};

static COUNTS: Mutex<Option<HashMap<String, usize>>> = Mutex::new(None);

struct Counter {
    database: Option<String>,
}

impl Instrumentation for Counter {
    fn on_connection_event(&mut self, event: InstrumentationEvent<'_>) {
        match event {
            InstrumentationEvent::StartEstablishConnection { url, .. } => {
                let name = url.rsplit('/').next().unwrap_or_default();
                self.database = Some(name.split('?').next().unwrap_or_default().to_string());
            }
            InstrumentationEvent::StartQuery { .. } => {
                if let Some(database) = &self.database {
                    let mut counts = COUNTS.lock().unwrap();
                    *counts
                        .get_or_insert_with(HashMap::new)
                        .entry(database.clone())
                        .or_default() += 1;
                }
            }
            _ => {}
        }
    }
}

/// Installs the counter for every connection established from now on (once per test binary).
pub fn install() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        set_default_instrumentation(|| Some(Box::new(Counter { database: None })))
            .expect("the default instrumentation can be set");
    });
}

/// Queries sent so far to `database` by connections established after `install()`.
pub fn count(database: &str) -> usize {
    COUNTS
        .lock()
        .unwrap()
        .as_ref()
        .and_then(|c| c.get(database).copied())
        .unwrap_or(0)
}
