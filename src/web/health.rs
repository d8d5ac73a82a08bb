use std::time::Duration;

use actix_web::{web, HttpResponse};
use diesel::{connection::SimpleConnection, r2d2::PooledConnection};

use crate::AppState;

/// 200 only when the database answers within two seconds; 503 otherwise.
pub async fn check(state: web::Data<AppState>) -> HttpResponse {
    let pool = state.pool.clone();
    let answered = web::block(move || {
        let mut conn: PooledConnection<_> = pool.get_timeout(Duration::from_secs(2)).ok()?;
        conn.batch_execute("SELECT 1").ok()
    })
    .await
    .ok()
    .flatten()
    .is_some();
    if answered {
        HttpResponse::Ok().content_type("text/plain").body("ok")
    } else {
        HttpResponse::ServiceUnavailable()
            .content_type("text/plain")
            .body("database unavailable")
    }
}
