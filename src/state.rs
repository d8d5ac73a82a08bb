//! What every handler may need, registered once as app data.

use std::sync::Arc;

use crate::{config::Config, db::Pool};

/// The pool and the validated settings.
#[derive(Clone)]
pub struct AppState {
    pub pool: Pool,
    pub config: Arc<Config>,
}
