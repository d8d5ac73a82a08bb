use std::time::Duration;

use actix_web::{web, HttpResponse};
use diesel::connection::SimpleConnection;

use crate::AppState;

/// 200 only when the database answers within two seconds (queue included); 503 otherwise.
pub async fn check(state: web::Data<AppState>) -> HttpResponse {
    let ask = state
        .pool
        .with_checked_connection(|conn| conn.batch_execute("SELECT 1"));
    let answered = matches!(
        tokio::time::timeout(Duration::from_secs(2), ask).await,
        Ok(Ok(Ok(())))
    );
    if answered {
        HttpResponse::Ok().content_type("text/plain").body("ok")
    } else {
        HttpResponse::ServiceUnavailable()
            .content_type("text/plain")
            .body("database unavailable")
    }
}
