//! Who the app acts for: the signed-in user of the request, so the database's history (migration
//! 000034) records who made each change whatever the code path. The route gate runs each handler
//! inside `acting`; the database thread tells its connection (`app.actor_id`) before the work,
//! only when it changes. Commands (the demo seed) act for nobody.

use std::future::Future;

use uuid::Uuid;

tokio::task_local! {
    static ACTOR: Uuid;
}

/// Runs `work` (a request's handler, a run it started) for `user`.
pub async fn acting<F: Future>(user: Uuid, work: F) -> F::Output {
    ACTOR.scope(user, work).await
}

/// The user the current task acts for, if any.
pub fn current() -> Option<Uuid> {
    ACTOR.try_with(|user| *user).ok()
}
