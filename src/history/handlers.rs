//! A record's History panel: loaded into its page by htmx when scrolled to, or a page of its own.

use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use uuid::Uuid;

use super::{model, Entry, Kind};
use crate::{
    access::ProgramScope,
    db,
    error::{AppError, AppResult},
    web::{format, render, Shell},
    AppState,
};

/// How many changes the panel shows, newest first.
const SHOWN: i64 = 50;

#[derive(Template)]
#[template(path = "history/panel.html")]
struct Panel {
    entries: Vec<Entry>,
    tz: chrono_tz::Tz,
}

#[derive(Template)]
#[template(path = "history/page.html")]
struct Page {
    shell: Shell,
    kind: Kind,
    back: String,
    entries: Vec<Entry>,
    tz: chrono_tz::Tz,
}

impl Panel {
    fn when(&self, entry: &Entry) -> String {
        format::date_time(entry.changed_at, self.tz)
    }
}

impl Page {
    fn when(&self, entry: &Entry) -> String {
        format::date_time(entry.changed_at, self.tz)
    }
}

async fn history(
    req: HttpRequest,
    shell: Shell,
    scope: ProgramScope,
    state: web::Data<AppState>,
    kind: Kind,
    id: Uuid,
) -> AppResult<HttpResponse> {
    let (back, entries) = db::run(&state.pool, move |conn| {
        let back = model::page_of(conn, &scope, kind, id)?.ok_or(AppError::NotFound)?;
        Ok((back, model::of_record(conn, &scope, id, SHOWN)?))
    })
    .await?;
    let tz = state.config.time_zone;
    if crate::web::is_htmx(&req) {
        return render(&Panel { entries, tz });
    }
    render(&Page {
        shell,
        kind,
        back,
        entries,
        tz,
    })
}

macro_rules! history_of {
    ($($name:ident => $kind:expr;)+) => {
        $(
            pub async fn $name(
                req: HttpRequest,
                shell: Shell,
                scope: ProgramScope,
                state: web::Data<AppState>,
                path: web::Path<Uuid>,
            ) -> AppResult<HttpResponse> {
                history(req, shell, scope, state, $kind, path.into_inner()).await
            }
        )+
    };
}

history_of! {
    student => Kind::Student;
    enrollment => Kind::Enrollment;
    class => Kind::Class;
    course => Kind::Course;
    facility => Kind::Facility;
    invoice => Kind::Invoice;
    guardian => Kind::Guardian;
}
