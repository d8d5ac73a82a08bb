use actix_session::Session;
use actix_web::HttpResponse;

use crate::web::redirect;

/// Ends the session (its row is deleted) and returns to the sign-in page.
pub async fn submit(session: Session) -> HttpResponse {
    session.purge();
    redirect("/login?signed_out=1")
}
